// IP addresses, CIDR blocks and sets as the router and the access rules read them: what parses,
// what is refused and why, and where block boundaries fall.
#include "upcoach/routing/ipaddress.h"

#include <QTest>
#include <string>

using namespace upcoach::routing;

namespace {

IpAddress address(const char *text)
{
    const auto parsed = IpAddress::parse(std::string_view(text));
    if (!parsed)
        qFatal("test address '%s' does not parse", text);
    return *parsed;
}

Cidr block(const char *text)
{
    auto parsed = Cidr::parse(std::string_view(text));
    if (!parsed)
        qFatal("test block '%s' does not parse: %s", text, qUtf8Printable(parsed.error().message));
    return parsed.value();
}

} // namespace

class TestIpAddress : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesAddresses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("v4");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("v4") << QStringLiteral("203.0.113.7") << true
                            << QStringLiteral("203.0.113.7");
        QTest::newRow("v4 zero") << QStringLiteral("0.0.0.0") << true << QStringLiteral("0.0.0.0");
        QTest::newRow("v4 broadcast")
            << QStringLiteral("255.255.255.255") << true << QStringLiteral("255.255.255.255");
        QTest::newRow("v6") << QStringLiteral("2001:db8::1") << false
                            << QStringLiteral("2001:db8::1");
        QTest::newRow("v6 full form") << QStringLiteral("2001:0DB8:0000:0000:0000:0000:0000:0001")
                                      << false << QStringLiteral("2001:db8::1");
        QTest::newRow("v6 unspecified") << QStringLiteral("::") << false << QStringLiteral("::");
        QTest::newRow("v6 loopback") << QStringLiteral("::1") << false << QStringLiteral("::1");
        QTest::newRow("mapped is v4")
            << QStringLiteral("::ffff:203.0.113.7") << true << QStringLiteral("203.0.113.7");
        QTest::newRow("mapped, longest text (45)")
            << QStringLiteral("0000:0000:0000:0000:0000:ffff:255.255.255.255") << true
            << QStringLiteral("255.255.255.255");
        QTest::newRow("v4-compatible is v6")
            << QStringLiteral("::203.0.113.7") << false << QStringLiteral("::203.0.113.7");
    }
    void parsesAddresses()
    {
        QFETCH(QString, text);
        QFETCH(bool, v4);
        QFETCH(QString, canonical);
        const auto parsed = IpAddress::parse(text);
        QVERIFY(parsed.has_value());
        QCOMPARE(parsed->v4, v4);
        QCOMPARE(parsed->toString(), canonical);
        const QByteArray latin = text.toLatin1();
        const auto fromView =
            IpAddress::parse(std::string_view(latin.constData(), std::size_t(latin.size())));
        QVERIFY(fromView.has_value());
        QVERIFY(*fromView == *parsed);
        // The canonical text parses back to the same address.
        QVERIFY(*IpAddress::parse(canonical) == *parsed);
    }

    void refusesAnythingElse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("three parts") << QStringLiteral("1.2.3");
        QTest::newRow("five parts") << QStringLiteral("1.2.3.4.5");
        QTest::newRow("port") << QStringLiteral("1.2.3.4:80");
        QTest::newRow("v6 brackets") << QStringLiteral("[::1]");
        QTest::newRow("v6 bracket and port") << QStringLiteral("[2001:db8::1]:443");
        QTest::newRow("zone id") << QStringLiteral("fe80::1%eth0");
        QTest::newRow("octet over 255") << QStringLiteral("256.1.1.1");
        QTest::newRow("leading zero (octal?)") << QStringLiteral("010.1.1.1");
        QTest::newRow("leading space") << QStringLiteral(" 1.2.3.4");
        QTest::newRow("trailing space") << QStringLiteral("1.2.3.4 ");
        QTest::newRow("trailing newline") << QStringLiteral("1.2.3.4\n");
        QTest::newRow("two double colons") << QStringLiteral("1::2::3");
        QTest::newRow("not hex") << QStringLiteral("2001:db8::g");
        QTest::newRow("nine groups") << QStringLiteral("1:2:3:4:5:6:7:8:9");
        QTest::newRow("cidr") << QStringLiteral("10.0.0.0/8");
        QTest::newRow("host name") << QStringLiteral("localhost");
        QTest::newRow("over-long (46)")
            << QStringLiteral("0000:0000:0000:0000:0000:ffff:255.255.255.2550");
        QTest::newRow("over-long (4096)") << QString(4096, u'1');
        QTest::newRow("non-latin") << QStringLiteral("１.２.３.４");
        QTest::newRow("embedded NUL") << (QStringLiteral("1.2.3.4") + QChar(0) + u'x');
    }
    void refusesAnythingElse()
    {
        QFETCH(QString, text);
        // "embedded NUL": inet_pton stops at a NUL, so parse() must refuse it before.
        QVERIFY(!IpAddress::parse(text).has_value());
        const QByteArray utf8 = text.toUtf8();
        QVERIFY(!IpAddress::parse(std::string_view(utf8.constData(), std::size_t(utf8.size())))
                     .has_value());
    }

    void fromV4MatchesParse()
    {
        QVERIFY(IpAddress::fromV4(0xC0000201u) == address("192.0.2.1"));
        QVERIFY(IpAddress::fromV4(0u) == address("0.0.0.0"));
        QVERIFY(IpAddress::fromV4(0xFFFFFFFFu) == address("::ffff:255.255.255.255"));
        QVERIFY(IpAddress::fromV4(0xC0000201u).v4);
    }

    void networkKeyGroupsBySlash24AndSlash48()
    {
        QCOMPARE(address("203.0.113.7").networkKey(), address("203.0.113.200").networkKey());
        QCOMPARE(address("203.0.113.7").networkKey(), address("::ffff:203.0.113.1").networkKey());
        QVERIFY(address("203.0.113.7").networkKey() != address("203.0.114.7").networkKey());
        QVERIFY(address("203.0.113.7").networkKey() != address("203.1.113.7").networkKey());
        QCOMPARE(address("2001:db8:1:2::1").networkKey(),
                 address("2001:db8:1:ffff:1:2:3:4").networkKey());
        QVERIFY(address("2001:db8:1::1").networkKey() != address("2001:db8:2::1").networkKey());
        QVERIFY(address("2001:db8:1::1").networkKey() != address("2001:db9:1::1").networkKey());
        // The family is part of the key: 0.0.0.0/24 and ::/48 are different networks.
        QVERIFY(address("0.0.0.1").networkKey() != address("::1").networkKey());
    }

    void samePrefixComparesLeadingBits()
    {
        QVERIFY(address("10.1.2.3").samePrefix(address("10.200.0.0"), 96 + 8));
        QVERIFY(!address("10.1.2.3").samePrefix(address("11.1.2.3"), 96 + 8));
        QVERIFY(address("10.1.2.3").samePrefix(address("10.1.3.3"), 96 + 23));
        QVERIFY(!address("10.1.2.3").samePrefix(address("10.1.3.3"), 96 + 24));
        QVERIFY(address("2001:db8::1").samePrefix(address("2001:db8:ffff::"), 32));
        QVERIFY(address("2001:db8::1").samePrefix(address("::"), 0));
        QVERIFY(address("2001:db8::1").samePrefix(address("2001:db8::1"), 128));
        QVERIFY(!address("2001:db8::1").samePrefix(address("2001:db8::0"), 128));
    }

    void parsesBlocks_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("prefix");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("v4 /8") << QStringLiteral("10.0.0.0/8") << 104
                               << QStringLiteral("10.0.0.0/8");
        QTest::newRow("v4 /0") << QStringLiteral("0.0.0.0/0") << 96 << QStringLiteral("0.0.0.0/0");
        QTest::newRow("v4 host") << QStringLiteral("192.0.2.1") << 128
                                 << QStringLiteral("192.0.2.1/32");
        QTest::newRow("v4 /32") << QStringLiteral("192.0.2.1/32") << 128
                                << QStringLiteral("192.0.2.1/32");
        QTest::newRow("v6 /32") << QStringLiteral("2001:db8::/32") << 32
                                << QStringLiteral("2001:db8::/32");
        QTest::newRow("v6 host") << QStringLiteral("::1") << 128 << QStringLiteral("::1/128");
        QTest::newRow("v6 /0") << QStringLiteral("::/0") << 0 << QStringLiteral("::/0");
        QTest::newRow("v6 /127") << QStringLiteral("2001:db8::2/127") << 127
                                 << QStringLiteral("2001:db8::2/127");
    }
    void parsesBlocks()
    {
        QFETCH(QString, text);
        QFETCH(int, prefix);
        QFETCH(QString, canonical);
        const QByteArray latin = text.toLatin1();
        auto parsed = Cidr::parse(std::string_view(latin.constData(), std::size_t(latin.size())));
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : qPrintable(parsed.error().message));
        QCOMPARE(parsed->prefix, prefix);
        QCOMPARE(parsed->toString(), canonical);
    }

    void blockErrorsSayWhatToWrite_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("host bits v4") << QStringLiteral("10.0.0.1/8")
                                      << QStringLiteral("host bits set below the prefix; write "
                                                        "10.0.0.0/8");
        QTest::newRow("host bits v6")
            << QStringLiteral("2001:db8::1/32") << QStringLiteral("write 2001:db8::/32");
        QTest::newRow("v4 prefix too long")
            << QStringLiteral("10.0.0.0/33") << QStringLiteral("at most 32");
        QTest::newRow("v6 prefix too long")
            << QStringLiteral("2001:db8::/129") << QStringLiteral("at most 128");
        QTest::newRow("mapped prefix is v4")
            << QStringLiteral("::ffff:10.0.0.0/104") << QStringLiteral("at most 32");
        QTest::newRow("non-numeric prefix")
            << QStringLiteral("10.0.0.0/eight") << QStringLiteral("must be a number");
        QTest::newRow("negative prefix")
            << QStringLiteral("10.0.0.0/-8") << QStringLiteral("must be a number");
        QTest::newRow("empty prefix")
            << QStringLiteral("10.0.0.0/") << QStringLiteral("must be a number");
        QTest::newRow("four-digit prefix")
            << QStringLiteral("10.0.0.0/0008") << QStringLiteral("must be a number");
        QTest::newRow("two slashes")
            << QStringLiteral("10.0.0.0/8/8") << QStringLiteral("must be a number");
        QTest::newRow("prefix with space")
            << QStringLiteral("10.0.0.0/ 8") << QStringLiteral("must be a number");
        QTest::newRow("no address")
            << QStringLiteral("/8") << QStringLiteral("is not an IPv4 or IPv6 address");
        QTest::newRow("empty") << QString() << QStringLiteral("is not an IPv4 or IPv6 address");
        QTest::newRow("bad address")
            << QStringLiteral("10.0.0/8") << QStringLiteral("is not an IPv4 or IPv6 address");
    }
    void blockErrorsSayWhatToWrite()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const QByteArray latin = text.toLatin1();
        auto parsed = Cidr::parse(std::string_view(latin.constData(), std::size_t(latin.size())));
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, upcoach::ErrorCode::InvalidInput);
        QVERIFY2(parsed.error().message.contains(expected), qPrintable(parsed.error().message));
    }

    void overLongBlockTextIsQuotedShort()
    {
        const std::string text(100000, '9');
        auto parsed = Cidr::parse(text);
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().message.size() < 200, qPrintable(parsed.error().message));
    }

    void containsAcrossFamilies()
    {
        const Cidr v4 = block("10.0.0.0/8");
        QVERIFY(v4.contains(address("10.0.0.0")));
        QVERIFY(v4.contains(address("10.255.255.255")));
        QVERIFY(v4.contains(address("::ffff:10.1.2.3"))); // the mapped form is the same address
        QVERIFY(!v4.contains(address("11.0.0.0")));
        QVERIFY(!v4.contains(address("9.255.255.255")));
        QVERIFY(!v4.contains(address("::a00:1"))); // ::10.0.0.1 (IPv4-compatible) is IPv6

        const Cidr allV4 = block("0.0.0.0/0");
        QVERIFY(allV4.contains(address("255.255.255.255")));
        QVERIFY(!allV4.contains(address("2001:db8::1")));

        const Cidr v6 = block("2001:db8::/32");
        QVERIFY(v6.contains(address("2001:db8::")));
        QVERIFY(v6.contains(address("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")));
        QVERIFY(!v6.contains(address("2001:db9::")));
        QVERIFY(!v6.contains(address("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff")));
        QVERIFY(!v6.contains(address("192.0.2.1")));

        const Cidr everything = block("::/0");
        QVERIFY(everything.contains(address("192.0.2.1")));
        QVERIFY(everything.contains(address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));

        const Cidr host = block("192.0.2.1");
        QVERIFY(host.contains(address("192.0.2.1")));
        QVERIFY(!host.contains(address("192.0.2.2")));
    }

    void setMergesAdjacentAndOverlappingBlocks()
    {
        QCOMPARE(CidrSet({block("10.0.0.0/24"), block("10.0.1.0/24")}).rangeCount(), size_t(1));
        QCOMPARE(CidrSet({block("10.0.1.0/24"), block("10.0.0.0/24")}).rangeCount(), size_t(1));
        QCOMPARE(CidrSet({block("10.0.0.0/8"), block("10.1.0.0/16")}).rangeCount(), size_t(1));
        QCOMPARE(CidrSet({block("10.1.0.0/16"), block("10.0.0.0/8")}).rangeCount(), size_t(1));
        QCOMPARE(CidrSet({block("10.0.0.0/24"), block("10.0.0.0/24")}).rangeCount(), size_t(1));
        QCOMPARE(CidrSet({block("10.0.0.0/24"), block("10.0.2.0/24")}).rangeCount(), size_t(2));
        // A chain: /25 + /25 + /24 become one /23.
        QCOMPARE(CidrSet({block("10.0.0.128/25"), block("10.0.1.0/24"), block("10.0.0.0/25")})
                     .rangeCount(),
                 size_t(1));
        QCOMPARE(CidrSet({block("::/1"), block("8000::/1")}).rangeCount(), size_t(1));
        // The end of the address space does not wrap around to the start.
        QCOMPARE(CidrSet({block("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), block("::/128")})
                     .rangeCount(),
                 size_t(2));
        QCOMPARE(CidrSet({block("10.0.0.0/8"), block("2001:db8::/32")}).rangeCount(), size_t(2));
    }

    void setContainsAtTheBoundaries()
    {
        const CidrSet set({block("10.0.0.0/24"), block("10.0.1.0/24"), block("10.0.3.0/24"),
                           block("2001:db8::/48"), block("192.0.2.7")});
        QCOMPARE(set.rangeCount(), size_t(4));
        QVERIFY(!set.contains(address("9.255.255.255")));
        QVERIFY(set.contains(address("10.0.0.0")));
        QVERIFY(set.contains(address("10.0.1.255")));
        QVERIFY(!set.contains(address("10.0.2.0")));
        QVERIFY(!set.contains(address("10.0.2.255")));
        QVERIFY(set.contains(address("10.0.3.0")));
        QVERIFY(set.contains(address("10.0.3.255")));
        QVERIFY(!set.contains(address("10.0.4.0")));
        QVERIFY(set.contains(address("::ffff:10.0.3.9")));
        QVERIFY(set.contains(address("192.0.2.7")));
        QVERIFY(!set.contains(address("192.0.2.6")));
        QVERIFY(!set.contains(address("192.0.2.8")));
        QVERIFY(set.contains(address("2001:db8::")));
        QVERIFY(set.contains(address("2001:db8:0:ffff:ffff:ffff:ffff:ffff")));
        QVERIFY(!set.contains(address("2001:db8:1::")));
        QVERIFY(!set.contains(address("::")));
        QVERIFY(!set.contains(address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));

        const CidrSet none;
        QVERIFY(none.empty());
        QVERIFY(!none.contains(address("10.0.0.1")));

        const CidrSet all({block("::/0")});
        QVERIFY(all.contains(address("::")));
        QVERIFY(all.contains(address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
        QVERIFY(all.contains(address("0.0.0.0")));
    }

    void countryCodes()
    {
        const CountryCode jp = CountryCode::fromString(std::string_view("jp"));
        QVERIFY(jp.valid());
        QCOMPARE(jp.toString(), QStringLiteral("JP"));
        QVERIFY(jp == CountryCode::fromString(QStringLiteral("JP")));
        QCOMPARE(jp.index(), ('J' - 'A') * 26 + ('P' - 'A'));
        QCOMPARE(CountryCode::fromString(QStringLiteral("AA")).index(), 0);
        QCOMPARE(CountryCode::fromString(QStringLiteral("ZZ")).index(),
                 CountryCode::kTableSize - 1);
        for (const char *bad : {"", "J", "JPN", "J1", "-P", "ÄB"})
            QVERIFY2(!CountryCode::fromString(QString::fromUtf8(bad)).valid(), bad);
        QVERIFY(!CountryCode().valid());
        QCOMPARE(CountryCode().toString(), QString());
    }
};

QTEST_GUILESS_MAIN(TestIpAddress)
#include "test_ipaddress.moc"
