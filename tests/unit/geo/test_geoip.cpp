// GeoIP against the real CC0 database scripts/setup.sh installs (GeoIpDatabase::defaultPath()),
// plus small MaxMind DB files written here to cover the MaxMind layout (country.iso_code,
// registered_country.iso_code), ASN-only databases and damaged files.
//
// The addresses are long-standing allocations, checked against the database when chosen:
// NTT, KDDI and IIJ in Japan, Deutsche Telekom and M-net in Germany, NIC.br in Brazil, Telkom
// SA and TENET in South Africa, SingNet/Singtel in Singapore, Google and Quad9 in the US.
#include "upcoach/routing/geoip.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <cstdlib>
#include <thread>
#include <vector>

using namespace upcoach;
using namespace upcoach::routing;

// --- allocation counting ------------------------------------------------------------------------
// country() promises not to allocate. The test binary interposes malloc and friends (glibc's
// __libc_* entry points do the work) and counts calls while a lookup loop runs.
extern "C" {
void *__libc_malloc(size_t size);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *pointer, size_t size);
void __libc_free(void *pointer);
}

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
} // namespace

extern "C" {
void *malloc(size_t size) noexcept
{
    if (g_counting.load(std::memory_order_relaxed))
        g_allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_malloc(size);
}
void *calloc(size_t count, size_t size) noexcept
{
    if (g_counting.load(std::memory_order_relaxed))
        g_allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_calloc(count, size);
}
void *realloc(void *pointer, size_t size) noexcept
{
    if (g_counting.load(std::memory_order_relaxed))
        g_allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_realloc(pointer, size);
}
void free(void *pointer) noexcept
{
    __libc_free(pointer);
}
}

namespace {

IpAddress address(const QString &text)
{
    const auto parsed = IpAddress::parse(text);
    if (!parsed)
        qFatal("test address '%s' does not parse", qUtf8Printable(text));
    return *parsed;
}

// --- a minimal MaxMind DB writer (format 2.0) -----------------------------------------------
// One search node over an IPv4 database: 0.0.0.0/1 → `low`, 128.0.0.0/1 → `high` (an empty
// QByteArray leaves that half without data).
class MmdbBuilder
{
public:
    static QByteArray string(const QByteArray &text)
    {
        Q_ASSERT(text.size() < 29);
        return char(0x40 | text.size()) + text;
    }
    static QByteArray map(int entries) { return QByteArray(1, char(0xE0 | entries)); }
    static QByteArray uint16(quint16 value)
    {
        return QByteArray(1, char(0xA2)) + char(value >> 8) + char(value & 0xFF);
    }
    static QByteArray uint32(quint32 value)
    {
        QByteArray out(1, char(0xC4));
        for (int shift = 24; shift >= 0; shift -= 8)
            out += char((value >> shift) & 0xFF);
        return out;
    }
    static QByteArray uint64(quint64 value)
    {
        QByteArray out;
        out += char(0x08);  // extended type, size 8
        out += char(9 - 7); // uint64
        for (int shift = 56; shift >= 0; shift -= 8)
            out += char((value >> shift) & 0xFF);
        return out;
    }
    static QByteArray emptyArray()
    {
        QByteArray out;
        out += char(0x00);
        out += char(11 - 7);
        return out;
    }

    static QByteArray build(const QByteArray &low, const QByteArray &high,
                            const QByteArray &type = "Test-Country")
    {
        constexpr quint32 nodeCount = 1;
        const auto record = [&](const QByteArray &data, quint32 offset) -> quint32 {
            return data.isEmpty() ? nodeCount : nodeCount + 16 + offset;
        };
        const quint32 left = record(low, 0);
        const quint32 right = record(high, quint32(low.size()));
        QByteArray file;
        for (quint32 value : {left, right})
            for (int shift = 16; shift >= 0; shift -= 8)
                file += char((value >> shift) & 0xFF);
        file += QByteArray(16, '\0');
        file += low + high;
        file += QByteArray("\xAB\xCD\xEFMaxMind.com");
        file += map(9);
        file += string("node_count") + uint32(nodeCount);
        file += string("record_size") + uint16(24);
        file += string("ip_version") + uint16(4);
        file += string("database_type") + string(type);
        file += string("languages") + emptyArray();
        file += string("binary_format_major_version") + uint16(2);
        file += string("binary_format_minor_version") + uint16(0);
        file += string("build_epoch") + uint64(1700000000);
        file += string("description") + map(0);
        return file;
    }
};

} // namespace

class TestGeoIp : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<GeoIpDatabase> m_database;
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            file.write(content) != content.size())
            qFatal("cannot write %s", qUtf8Printable(path));
        return path;
    }

    static void expectError(const QString &path, ErrorCode code, const QString &expected)
    {
        auto opened = GeoIpDatabase::open(path);
        QVERIFY2(!opened.ok(), qPrintable(path));
        QCOMPARE(errorCodeName(opened.error().code), errorCodeName(code));
        QVERIFY2(opened.error().message.contains(expected), qPrintable(opened.error().message));
        QVERIFY2(path.isEmpty() || opened.error().message.contains(path),
                 qPrintable(opened.error().message));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString path = GeoIpDatabase::defaultPath();
        QVERIFY2(path.endsWith(QStringLiteral("/geo-whois-asn-country.mmdb")), qPrintable(path));
        QVERIFY2(QFile::exists(path),
                 qPrintable(path + QStringLiteral(" is missing: run scripts/setup.sh")));
        auto opened = GeoIpDatabase::open(path);
        QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().message));
        m_database = std::move(opened).value();
    }

    void describesItself()
    {
        QCOMPARE(m_database->path(), GeoIpDatabase::defaultPath());
        // "country ipvAll" in the release this was written against.
        QVERIFY2(m_database->databaseType().startsWith(QStringLiteral("country")),
                 qPrintable(m_database->databaseType()));
        const QDate built = QDate::fromString(m_database->buildDate(), Qt::ISODate);
        QVERIFY2(built.isValid() && built.year() >= 2024, qPrintable(m_database->buildDate()));
    }

    void locatesWellKnownNetworks_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("country");
        const std::pair<const char *, const char *> rows[] = {
            {"153.128.1.1", "JP"},          {"106.128.1.1", "JP"},       {"210.130.1.1", "JP"},
            {"2001:240::1", "JP"},          {"2400:4050::1", "JP"},      {"2404:1a8::1", "JP"},
            {"80.130.1.1", "DE"},           {"2003::1", "DE"},           {"2001:a60::1", "DE"},
            {"::ffff:80.130.1.1", "DE"},    {"200.160.2.3", "BR"},       {"189.1.1.1", "BR"},
            {"2001:12ff::1", "BR"},         {"196.25.1.1", "ZA"},        {"41.0.0.1", "ZA"},
            {"2001:4200::1", "ZA"},         {"165.21.1.1", "SG"},        {"202.156.1.1", "SG"},
            {"2406:3003::1", "SG"},         {"8.8.8.8", "US"},           {"9.9.9.9", "US"},
            {"2001:4860:4860::8888", "US"}, {"2a00:1450:4001::1", "IE"},
        };
        for (const auto &[text, country] : rows)
            QTest::newRow(text) << QString::fromLatin1(text) << QString::fromLatin1(country);
    }
    void locatesWellKnownNetworks()
    {
        QFETCH(QString, text);
        QFETCH(QString, country);
        const IpAddress ip = address(text);
        QCOMPARE(m_database->country(ip).toString(), country);
        QVERIFY(m_database->rawLookup(ip)); // the raw lookup agrees there is an entry
    }

    // Special-purpose space names no place. The whois-derived database does have entries for
    // some of it (192.168.0.0/16 and 2001:db8::/32 map to a country there): country() refuses
    // them while rawLookup(), libmaxminddb alone, reports what the file holds.
    void specialPurposeSpaceIsUnknown_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("inFile");
        QTest::newRow("10/8") << QStringLiteral("10.0.0.1") << false;
        QTest::newRow("192.168/16") << QStringLiteral("192.168.1.1") << true;
        QTest::newRow("172.16/12") << QStringLiteral("172.16.0.1") << true;
        QTest::newRow("loopback") << QStringLiteral("127.0.0.1") << false;
        QTest::newRow("CGNAT") << QStringLiteral("100.64.0.1") << false;
        QTest::newRow("link local") << QStringLiteral("169.254.1.1") << false;
        QTest::newRow("TEST-NET-2") << QStringLiteral("198.51.100.1") << true;
        QTest::newRow("multicast") << QStringLiteral("224.0.0.1") << false;
        QTest::newRow("broadcast") << QStringLiteral("255.255.255.255") << false;
        QTest::newRow("v4 zero") << QStringLiteral("0.0.0.0") << false;
        QTest::newRow("::1") << QStringLiteral("::1") << false;
        QTest::newRow("::") << QStringLiteral("::") << false;
        QTest::newRow("v4-compatible") << QStringLiteral("::8.8.8.8") << true;
        QTest::newRow("link local v6") << QStringLiteral("fe80::1") << false;
        QTest::newRow("ULA") << QStringLiteral("fd12:3456::1") << false;
        QTest::newRow("documentation v6") << QStringLiteral("2001:db8::1") << true;
        QTest::newRow("multicast v6") << QStringLiteral("ff02::1") << false;
    }
    void specialPurposeSpaceIsUnknown()
    {
        QFETCH(QString, text);
        QFETCH(bool, inFile);
        const IpAddress ip = address(text);
        QVERIFY(!m_database->country(ip).valid());
        QCOMPARE(m_database->rawLookup(ip), inFile);
    }

    void defaultAddressIsUnknown() { QVERIFY(!m_database->country(IpAddress{}).valid()); }

    void countryDoesNotAllocate()
    {
        std::vector<IpAddress> addresses;
        for (const char *text : {"153.128.1.1", "2003::1", "200.160.2.3", "10.0.0.1", "::1",
                                 "2001:4860:4860::8888", "196.25.1.1", "203.0.113.9"})
            addresses.push_back(address(QString::fromLatin1(text)));
        int found = 0;
        g_allocations = 0;
        g_counting = true;
        for (int round = 0; round < 1000; ++round)
            for (const IpAddress &ip : addresses)
                found += m_database->country(ip).valid() ? 1 : 0;
        g_counting = false;
        QCOMPARE(g_allocations.load(), 0L);
        QCOMPARE(found, 5 * 1000);
        // The interposed malloc does count (the check above is not vacuous).
        g_counting = true;
        void *probe = std::malloc(16);
        g_counting = false;
        std::free(probe);
        QCOMPARE(g_allocations.load(), 1L);
    }

    void lookupsAreThreadSafe()
    {
        std::atomic<int> wrong{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                const IpAddress jp = *IpAddress::parse(std::string_view("153.128.1.1"));
                const IpAddress de = *IpAddress::parse(std::string_view("2003::1"));
                for (int i = 0; i < 20000; ++i)
                    if (m_database->country(i % 2 ? jp : de).toString() !=
                        (i % 2 ? QStringLiteral("JP") : QStringLiteral("DE")))
                        ++wrong;
            });
        for (auto &thread : threads)
            thread.join();
        QCOMPARE(wrong.load(), 0);
    }

    // --- files that are not a usable country database --------------------------------------------
    void missingFileSaysWhatToDo()
    {
        expectError(m_dir.filePath(QStringLiteral("absent.mmdb")), ErrorCode::NotFound,
                    QStringLiteral("does not exist: run scripts/setup.sh"));
        expectError(QString(), ErrorCode::Config, QStringLiteral("no GeoIP database"));
    }

    void directoryIsRefused()
    {
        expectError(m_dir.path(), ErrorCode::Config, QStringLiteral("is not a file"));
    }

    void emptyAndTextFilesAreRefused()
    {
        expectError(write(QStringLiteral("empty.mmdb"), {}), ErrorCode::InvalidInput,
                    QStringLiteral("is empty"));
        expectError(write(QStringLiteral("text.mmdb"), "network,country\n1.0.0.0/24,AU\n"),
                    ErrorCode::InvalidInput, QStringLiteral("is not a MaxMind DB file"));
    }

    void truncatedCopyIsRefused()
    {
        QFile original(GeoIpDatabase::defaultPath());
        QVERIFY(original.open(QIODevice::ReadOnly));
        const QByteArray bytes = original.readAll();
        expectError(write(QStringLiteral("half.mmdb"), bytes.left(bytes.size() / 2)),
                    ErrorCode::InvalidInput, QStringLiteral("truncated"));
        // Only the last bytes of the metadata cut off.
        expectError(write(QStringLiteral("short.mmdb"), bytes.left(bytes.size() - 10)),
                    ErrorCode::InvalidInput, QStringLiteral("truncated"));
    }

    void damagedSearchTreeDoesNotCrash()
    {
        QFile original(GeoIpDatabase::defaultPath());
        QVERIFY(original.open(QIODevice::ReadOnly));
        QByteArray bytes = original.readAll();
        // Records pointing far past the end of the file throughout the first nodes.
        bytes.replace(0, 1 << 20, QByteArray(1 << 20, '\xFF'));
        auto opened = GeoIpDatabase::open(write(QStringLiteral("damaged.mmdb"), bytes));
        if (opened.ok()) {
            for (const char *text : {"8.8.8.8", "153.128.1.1", "2003::1"}) {
                const IpAddress ip = address(QString::fromLatin1(text));
                QVERIFY(!opened.value()->country(ip).valid());
                QVERIFY(!opened.value()->rawLookup(ip));
            }
        } else {
            QCOMPARE(opened.error().code, ErrorCode::InvalidInput);
        }
    }

    // --- MaxMind's layout, ASN databases ------------------------------------------------------
    void readsMaxMindLayout()
    {
        using B = MmdbBuilder;
        // 0.0.0.0/1: a located country; 128.0.0.0/1: only the registered country (anycast).
        const QByteArray low =
            B::map(1) + B::string("country") + B::map(1) + B::string("iso_code") + B::string("JP");
        const QByteArray high = B::map(1) + B::string("registered_country") + B::map(1) +
                                B::string("iso_code") + B::string("DE");
        auto opened = GeoIpDatabase::open(
            write(QStringLiteral("maxmind.mmdb"), B::build(low, high, "GeoLite2-Country")));
        QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().message));
        const GeoIpDatabase &database = *opened.value();
        QCOMPARE(database.databaseType(), QStringLiteral("GeoLite2-Country"));
        QCOMPARE(database.buildDate(), QStringLiteral("2023-11-14"));
        QCOMPARE(database.country(address(QStringLiteral("8.8.8.8"))).toString(),
                 QStringLiteral("JP"));
        QCOMPARE(database.country(address(QStringLiteral("200.160.2.3"))).toString(),
                 QStringLiteral("DE"));
        QVERIFY(!database.country(address(QStringLiteral("10.1.1.1"))).valid());
        // An IPv4-only database answers nothing for IPv6, without an error.
        QVERIFY(!database.country(address(QStringLiteral("2003::1"))).valid());
        QVERIFY(!database.rawLookup(address(QStringLiteral("2003::1"))));
    }

    void readsTopLevelCountryCodeLayout()
    {
        using B = MmdbBuilder;
        const QByteArray low = B::map(1) + B::string("country_code") + B::string("BR");
        auto opened =
            GeoIpDatabase::open(write(QStringLiteral("toplevel.mmdb"), B::build(low, {})));
        QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().message));
        QCOMPARE(opened.value()->country(address(QStringLiteral("8.8.8.8"))).toString(),
                 QStringLiteral("BR"));
        QVERIFY(!opened.value()->country(address(QStringLiteral("200.160.2.3"))).valid());
        QVERIFY(!opened.value()->rawLookup(address(QStringLiteral("200.160.2.3"))));
    }

    void refusesAsnAndCountrylessDatabases()
    {
        using B = MmdbBuilder;
        const QByteArray asn = B::map(2) + B::string("autonomous_system_number") +
                               B::uint32(64500) + B::string("autonomous_system_organization") +
                               B::string("Example Networks");
        expectError(write(QStringLiteral("asn.mmdb"), B::build(asn, asn, "GeoLite2-ASN")),
                    ErrorCode::Config,
                    QStringLiteral("is an ASN database (type 'GeoLite2-ASN') and has no countries: "
                                   "run scripts/setup.sh"));
        const QByteArray city = B::map(1) + B::string("city") + B::string("Springfield");
        expectError(write(QStringLiteral("city.mmdb"), B::build(city, city)), ErrorCode::Config,
                    QStringLiteral("has no country data"));
        // A country code that is not two letters is no country either.
        const QByteArray odd = B::map(1) + B::string("country_code") + B::string("JPN");
        expectError(write(QStringLiteral("odd.mmdb"), B::build(odd, odd)), ErrorCode::Config,
                    QStringLiteral("has no country data"));
        expectError(write(QStringLiteral("nothing.mmdb"), B::build({}, {})),
                    ErrorCode::InvalidInput, QStringLiteral("has no records"));
    }
};

QTEST_GUILESS_MAIN(TestGeoIp)
#include "test_geoip.moc"
