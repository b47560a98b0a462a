// DNS publication against a real BIND 9 on loopback: signed RFC 2136 updates checked with real
// dig queries (publish, fail over, AAAA, removal), and the attack and misconfiguration cases:
// wrong secret, unknown key, a key without permission, a zone the server does not serve, names
// outside the zone, and forged answers from a fake server (unsigned, bad MAC, wrong id).
#include "bindtestserver.h"
#include "upcoach/routing/dnspublisher.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QtEndian>
#include <algorithm>
#include <future>

using namespace upcoach;
using namespace upcoach::routing;
using upcoach::testing::BindTestServer;

namespace {

const QString kApi = QStringLiteral("api.ops.upcoach.test.");

QStringList sortedStrings(QStringList list)
{
    std::sort(list.begin(), list.end());
    return list;
}

quint16 closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

QByteArray encodeName(const QByteArray &name)
{
    QByteArray wire;
    for (const QByteArray &label : name.split('.')) {
        if (label.isEmpty())
            continue;
        wire += char(label.size());
        wire += label;
    }
    wire += '\0';
    return wire;
}

void appendU16(QByteArray &out, quint16 value)
{
    char bytes[2];
    qToBigEndian(value, bytes);
    out.append(bytes, 2);
}

// A DNS server that answers every UPDATE with a forged answer, to prove publish() trusts only
// answers signed with our key for our request.
class ForgingDnsServer
{
public:
    enum class Forgery
    {
        UnsignedSuccess, // NOERROR without a TSIG
        BadMac,          // NOERROR with a TSIG under our key name whose MAC is random
        WrongId,         // an answer to some other message
    };

    explicit ForgingDnsServer(Forgery forgery)
        : m_forgery(forgery)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::pendingConnectionAvailable, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                QObject::connect(socket, &QTcpSocket::readyRead, socket,
                                 [this, socket] { answer(socket); });
        });
    }
    quint16 port() const { return m_server.serverPort(); }
    int answered() const { return m_answered; }

private:
    void answer(QTcpSocket *socket)
    {
        m_buffer += socket->readAll();
        if (m_buffer.size() < 2)
            return;
        const quint16 length = qFromBigEndian<quint16>(m_buffer.constData());
        if (m_buffer.size() < 2 + length)
            return;
        const QByteArray request = m_buffer.mid(2, length);
        m_buffer.clear();
        quint16 id = qFromBigEndian<quint16>(request.constData());
        if (m_forgery == Forgery::WrongId)
            id = quint16(id + 1);

        QByteArray message;
        appendU16(message, id);
        appendU16(message, 0xA800); // QR, opcode UPDATE, NOERROR
        appendU16(message, 1);      // zone section
        appendU16(message, 0);
        appendU16(message, 0);
        appendU16(message, m_forgery == Forgery::BadMac ? 1 : 0);
        message += encodeName("ops.upcoach.test");
        appendU16(message, 6); // SOA
        appendU16(message, 1); // IN
        if (m_forgery == Forgery::BadMac) {
            message += encodeName(BindTestServer::kKeyName);
            appendU16(message, 250); // TSIG
            appendU16(message, 255); // ANY
            message += QByteArray(4, '\0');
            QByteArray rdata = encodeName("hmac-sha256");
            const quint64 now = quint64(QDateTime::currentSecsSinceEpoch());
            appendU16(rdata, quint16(now >> 32));
            appendU16(rdata, quint16(now >> 16));
            appendU16(rdata, quint16(now));
            appendU16(rdata, 300);
            appendU16(rdata, 32);
            for (int i = 0; i < 32; ++i)
                rdata += char(QRandomGenerator::global()->bounded(256));
            appendU16(rdata, id);
            appendU16(rdata, 0); // error
            appendU16(rdata, 0); // other len
            appendU16(message, quint16(rdata.size()));
            message += rdata;
        }
        QByteArray framed;
        appendU16(framed, quint16(message.size()));
        framed += message;
        socket->write(framed);
        ++m_answered;
    }

    Forgery m_forgery;
    QTcpServer m_server;
    QByteArray m_buffer;
    int m_answered = 0;
};

} // namespace

class TestDnsPublication : public QObject
{
    Q_OBJECT

private:
    BindTestServer m_bind;

    DnsTarget target() const
    {
        DnsTarget target;
        target.server = QStringLiteral("127.0.0.1");
        target.port = m_bind.port();
        target.zone = QString::fromLatin1(BindTestServer::kZone);
        target.key.name = QString::fromLatin1(BindTestServer::kKeyName);
        target.key.algorithm = QStringLiteral("hmac-sha256");
        target.key.secret = m_bind.secret();
        target.timeout = std::chrono::milliseconds(3000);
        return target;
    }

    static DnsRecordSet recordSet(const QString &name, const QStringList &addresses, int ttl = 30)
    {
        DnsRecordSet set;
        set.name = name;
        set.ttl = ttl;
        for (const QString &address : addresses)
            set.addresses.emplace_back(address);
        return set;
    }

    QStringList queryA(const QString &name) const
    {
        return m_bind.query(name, QStringLiteral("A"));
    }
    QStringList queryAaaa(const QString &name) const
    {
        return m_bind.query(name, QStringLiteral("AAAA"));
    }

    // publish() blocks; a server in this thread needs the event loop to run meanwhile.
    static Result<void> publishWhileServing(DnsPublisher &publisher,
                                            const std::vector<DnsRecordSet> &sets)
    {
        auto pending =
            std::async(std::launch::async, [&publisher, &sets] { return publisher.publish(sets); });
        while (pending.wait_for(std::chrono::milliseconds(5)) != std::future_status::ready)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        return pending.get();
    }

private Q_SLOTS:
    void initTestCase()
    {
        const bool started = m_bind.start();
        QVERIFY2(started, qPrintable(m_bind.error()));
    }

    void parseTsigKeyValidates()
    {
        const QByteArray secret(32, 'k');
        const QString encoded = QString::fromLatin1(secret.toBase64());
        auto key = parseTsigKey(QStringLiteral("upcoach-publisher"), QStringLiteral("HMAC-SHA256."),
                                encoded);
        QVERIFY(key.ok());
        QCOMPARE(key->algorithm, QStringLiteral("hmac-sha256"));
        QCOMPARE(key->secret, secret);
        QVERIFY(parseTsigKey(QStringLiteral("k"), QStringLiteral("hmac-sha512"), encoded).ok());

        const auto badName =
            parseTsigKey(QStringLiteral("bad key"), QStringLiteral("hmac-sha256"), encoded);
        QVERIFY(!badName.ok());
        QVERIFY(badName.error().message.contains(QStringLiteral("name")));
        const auto md5 = parseTsigKey(QStringLiteral("k"), QStringLiteral("hmac-md5"), encoded);
        QVERIFY(!md5.ok());
        QVERIFY(md5.error().message.contains(QStringLiteral("algorithm")));
        const auto notBase64 = parseTsigKey(QStringLiteral("k"), QStringLiteral("hmac-sha256"),
                                            QStringLiteral("not*base64!"));
        QVERIFY(!notBase64.ok());
        QVERIFY(notBase64.error().message.contains(QStringLiteral("base64")));
        QVERIFY(!notBase64.error().message.contains(QStringLiteral("not*base64!")));
        const QString shortSecret = QString::fromLatin1(QByteArray("short").toBase64());
        const auto tooShort =
            parseTsigKey(QStringLiteral("k"), QStringLiteral("hmac-sha256"), shortSecret);
        QVERIFY(!tooShort.ok());
        QVERIFY(tooShort.error().message.contains(QStringLiteral("16..512 bytes")));
        QVERIFY(!tooShort.error().message.contains(shortSecret));
        QCOMPARE(tooShort.error().code, ErrorCode::Config);
    }

    void publishesARecords()
    {
        DnsPublisher publisher(target());
        const Result<void> published = publisher.publish(
            {recordSet(kApi, {QStringLiteral("192.0.2.10"), QStringLiteral("192.0.2.11")})});
        QVERIFY2(published.ok(),
                 qPrintable(published.ok() ? QString() : published.error().message));
        QCOMPARE(queryA(kApi),
                 QStringList({QStringLiteral("192.0.2.10"), QStringLiteral("192.0.2.11")}));
    }

    void failoverRemovesTheDeadAddress()
    {
        DnsPublisher publisher(target());
        QVERIFY(publisher
                    .publish({recordSet(
                        kApi, {QStringLiteral("192.0.2.10"), QStringLiteral("192.0.2.11")})})
                    .ok());
        const Result<void> failover =
            publisher.publish({recordSet(kApi, {QStringLiteral("192.0.2.11")})});
        QVERIFY2(failover.ok(), qPrintable(failover.ok() ? QString() : failover.error().message));
        QCOMPARE(queryA(kApi), QStringList({QStringLiteral("192.0.2.11")}));
    }

    void publishesAaaaBesideA()
    {
        DnsPublisher publisher(target());
        const Result<void> published = publisher.publish(
            {recordSet(kApi, {QStringLiteral("192.0.2.11"), QStringLiteral("2001:db8::11"),
                              QStringLiteral("2001:db8::12")})});
        QVERIFY2(published.ok(),
                 qPrintable(published.ok() ? QString() : published.error().message));
        QCOMPARE(queryA(kApi), QStringList({QStringLiteral("192.0.2.11")}));
        QCOMPARE(queryAaaa(kApi),
                 QStringList({QStringLiteral("2001:db8::11"), QStringLiteral("2001:db8::12")}));
        // IPv6 only now: the A RRset goes.
        QVERIFY(publisher.publish({recordSet(kApi, {QStringLiteral("2001:db8::12")})}).ok());
        QVERIFY(queryA(kApi).isEmpty());
        QCOMPARE(queryAaaa(kApi), QStringList({QStringLiteral("2001:db8::12")}));
    }

    void anEmptyListRemovesTheName()
    {
        DnsPublisher publisher(target());
        QVERIFY(publisher
                    .publish({recordSet(
                        kApi, {QStringLiteral("192.0.2.20"), QStringLiteral("2001:db8::20")})})
                    .ok());
        QCOMPARE(queryA(kApi), QStringList({QStringLiteral("192.0.2.20")}));
        const Result<void> removed = publisher.publish({recordSet(kApi, {})});
        QVERIFY2(removed.ok(), qPrintable(removed.ok() ? QString() : removed.error().message));
        QVERIFY(queryA(kApi).isEmpty());
        QVERIFY(queryAaaa(kApi).isEmpty());
    }

    void severalNamesInOneUpdate()
    {
        DnsPublisher publisher(target());
        const QString eu = QStringLiteral("eu.ops.upcoach.test");
        const QString us = QStringLiteral("US.ops.upcoach.test."); // case does not matter
        const QString apex = QStringLiteral("ops.upcoach.test.");
        const Result<void> published = publisher.publish(
            {recordSet(eu, {QStringLiteral("192.0.2.31")}),
             recordSet(us, {QStringLiteral("192.0.2.41"), QStringLiteral("::ffff:192.0.2.42")}),
             recordSet(apex, {QStringLiteral("192.0.2.1")}, 0)});
        QVERIFY2(published.ok(),
                 qPrintable(published.ok() ? QString() : published.error().message));
        QCOMPARE(queryA(eu), QStringList({QStringLiteral("192.0.2.31")}));
        // An IPv4-mapped IPv6 address is published as the A record it is.
        QCOMPARE(queryA(QStringLiteral("us.ops.upcoach.test")),
                 sortedStrings({QStringLiteral("192.0.2.41"), QStringLiteral("192.0.2.42")}));
        QVERIFY(queryAaaa(QStringLiteral("us.ops.upcoach.test")).isEmpty());
        QCOMPARE(queryA(apex), QStringList({QStringLiteral("192.0.2.1")}));
        // The zone's own records are untouched.
        QCOMPARE(queryA(QStringLiteral("ns1.ops.upcoach.test")),
                 QStringList({QStringLiteral("127.0.0.1")}));
    }

    void hmacSha512KeysWork()
    {
        DnsTarget sha512 = target();
        sha512.key.name = QString::fromLatin1(BindTestServer::kSha512KeyName);
        sha512.key.algorithm = QStringLiteral("hmac-sha512");
        sha512.key.secret = m_bind.sha512Secret();
        DnsPublisher publisher(sha512);
        const QString name = QStringLiteral("sha512.ops.upcoach.test.");
        const Result<void> published =
            publisher.publish({recordSet(name, {QStringLiteral("192.0.2.51")})});
        QVERIFY2(published.ok(),
                 qPrintable(published.ok() ? QString() : published.error().message));
        QCOMPARE(queryA(name), QStringList({QStringLiteral("192.0.2.51")}));
    }

    void aWrongSecretIsRejectedAndChangesNothing()
    {
        DnsPublisher good(target());
        QVERIFY(good.publish({recordSet(kApi, {QStringLiteral("192.0.2.60")})}).ok());
        DnsTarget forged = target();
        forged.key.secret = QByteArray(32, 'x');
        DnsPublisher attacker(forged);
        const Result<void> rejected =
            attacker.publish({recordSet(kApi, {QStringLiteral("203.0.113.66")})});
        QVERIFY(!rejected.ok());
        qInfo().noquote() << "user sees:" << rejected.error().message;
        const QString message = rejected.error().message;
        QVERIFY2(message.contains(QStringLiteral("BADSIG")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("NOTAUTH")), qPrintable(message));
        QVERIFY(message.contains(QStringLiteral("127.0.0.1")));
        QVERIFY(message.contains(QStringLiteral("ops.upcoach.test.")));
        QVERIFY(!message.contains(QString::fromLatin1(forged.key.secret.toBase64())));
        QCOMPARE(rejected.error().code, ErrorCode::Unauthorized);
        QCOMPARE(queryA(kApi), QStringList({QStringLiteral("192.0.2.60")}));
    }

    void anUnknownKeyIsRejected()
    {
        DnsTarget stranger = target();
        stranger.key.name = QStringLiteral("stranger-key");
        DnsPublisher publisher(stranger);
        const QString name = QStringLiteral("stranger.ops.upcoach.test.");
        const Result<void> rejected =
            publisher.publish({recordSet(name, {QStringLiteral("203.0.113.1")})});
        QVERIFY(!rejected.ok());
        qInfo().noquote() << "user sees:" << rejected.error().message;
        QVERIFY2(rejected.error().message.contains(QStringLiteral("BADKEY")),
                 qPrintable(rejected.error().message));
        QCOMPARE(rejected.error().code, ErrorCode::Unauthorized);
        QVERIFY(queryA(name).isEmpty());
    }

    void aKeyWithoutPermissionIsRefused()
    {
        DnsTarget reader = target();
        reader.key.name = QString::fromLatin1(BindTestServer::kReadOnlyKeyName);
        reader.key.secret = m_bind.readOnlySecret();
        DnsPublisher publisher(reader);
        const QString name = QStringLiteral("reader.ops.upcoach.test.");
        const Result<void> refused =
            publisher.publish({recordSet(name, {QStringLiteral("203.0.113.2")})});
        QVERIFY(!refused.ok());
        qInfo().noquote() << "user sees:" << refused.error().message;
        QVERIFY2(refused.error().message.contains(QStringLiteral("REFUSED")),
                 qPrintable(refused.error().message));
        QCOMPARE(refused.error().code, ErrorCode::Forbidden);
        QVERIFY(queryA(name).isEmpty());
    }

    void aZoneTheServerDoesNotServeIsNotAuth()
    {
        DnsTarget elsewhere = target();
        elsewhere.zone = QStringLiteral("elsewhere.upcoach.test");
        DnsPublisher publisher(elsewhere);
        const Result<void> rejected = publisher.publish({recordSet(
            QStringLiteral("api.elsewhere.upcoach.test"), {QStringLiteral("192.0.2.7")})});
        QVERIFY(!rejected.ok());
        qInfo().noquote() << "user sees:" << rejected.error().message;
        const QString message = rejected.error().message;
        QVERIFY2(message.contains(QStringLiteral("NOTAUTH")) ||
                     message.contains(QStringLiteral("NOTZONE")),
                 qPrintable(message));
        QVERIFY(message.contains(QStringLiteral("elsewhere.upcoach.test.")));
        QCOMPARE(rejected.error().code, ErrorCode::Config);
    }

    void aNameOutsideTheZoneIsRefusedBeforeSending()
    {
        DnsPublisher publisher(target());
        const Result<void> refused = publisher.publish(
            {recordSet(kApi, {QStringLiteral("192.0.2.70")}),
             recordSet(QStringLiteral("www.evil-upcoach.test."), {QStringLiteral("203.0.113.9")})});
        QVERIFY(!refused.ok());
        qInfo().noquote() << "user sees:" << refused.error().message;
        QCOMPARE(refused.error().code, ErrorCode::InvalidInput);
        QVERIFY2(refused.error().message.contains(QStringLiteral("outside the zone")),
                 qPrintable(refused.error().message));
        // A suffix match on a label boundary only: "xops.upcoach.test" is not in the zone.
        QVERIFY(!publisher.publish({recordSet(QStringLiteral("xops.upcoach.test"), {})}).ok());
        // Nothing of the update reached the server, not even the valid name.
        QVERIFY(!queryA(kApi).contains(QStringLiteral("192.0.2.70")));
        QVERIFY(!m_bind.log().contains(QStringLiteral("evil-upcoach")));
    }

    void badInputIsRefusedLocally_data()
    {
        QTest::addColumn<int>("ttl");
        QTest::addColumn<int>("addressCount");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("address");
        QTest::addColumn<QString>("expected");
        QTest::newRow("negative ttl") << -1 << 1 << kApi << QString() << QStringLiteral("ttl");
        QTest::newRow("ttl over a day") << 86401 << 1 << kApi << QString() << QStringLiteral("ttl");
        QTest::newRow("65 addresses")
            << 60 << 65 << kApi << QString() << QStringLiteral("at most 64");
        QTest::newRow("not a name") << 60 << 1 << QStringLiteral("bad name.ops.upcoach.test")
                                    << QString() << QStringLiteral("not a DNS name");
        QTest::newRow("unspecified address")
            << 60 << 1 << kApi << QStringLiteral("0.0.0.0") << QStringLiteral("not an address");
    }

    void badInputIsRefusedLocally()
    {
        QFETCH(int, ttl);
        QFETCH(int, addressCount);
        QFETCH(QString, name);
        QFETCH(QString, address);
        QFETCH(QString, expected);
        DnsPublisher publisher(target());
        QVERIFY(publisher.publish({recordSet(kApi, {QStringLiteral("192.0.2.80")})}).ok());
        DnsRecordSet set;
        set.name = name;
        set.ttl = ttl;
        for (int i = 0; i < addressCount; ++i)
            set.addresses.emplace_back(address.isEmpty() ? QStringLiteral("198.51.100.%1").arg(i)
                                                         : address);
        const Result<void> refused = publisher.publish({set});
        QVERIFY(!refused.ok());
        qInfo().noquote() << "user sees:" << refused.error().message;
        QCOMPARE(refused.error().code, ErrorCode::InvalidInput);
        QVERIFY2(refused.error().message.contains(expected), qPrintable(refused.error().message));
        QCOMPARE(queryA(kApi), QStringList({QStringLiteral("192.0.2.80")}));
    }

    void aNameListedTwiceIsRefused()
    {
        DnsPublisher publisher(target());
        const Result<void> refused =
            publisher.publish({recordSet(kApi, {QStringLiteral("192.0.2.1")}),
                               recordSet(QStringLiteral("API.ops.upcoach.test"), {})});
        QVERIFY(!refused.ok());
        qInfo().noquote() << "user sees:" << refused.error().message;
        QVERIFY(refused.error().message.contains(QStringLiteral("twice")));
    }

    void anOversizedUpdateIsRefused()
    {
        std::vector<DnsRecordSet> sets;
        for (int n = 0; n < 1000; ++n) {
            DnsRecordSet set;
            set.name = QStringLiteral("n%1.ops.upcoach.test").arg(n);
            for (int i = 0; i < 8; ++i)
                set.addresses.emplace_back(QStringLiteral("198.51.100.%1").arg(i));
            sets.push_back(set);
        }
        DnsPublisher publisher(target());
        const Result<void> refused = publisher.publish(sets);
        QVERIFY(!refused.ok());
        qInfo().noquote() << "user sees:" << refused.error().message;
        QCOMPARE(refused.error().code, ErrorCode::InvalidInput);
        QVERIFY2(refused.error().message.contains(QStringLiteral("65535")),
                 qPrintable(refused.error().message));
        QVERIFY(queryA(QStringLiteral("n1.ops.upcoach.test")).isEmpty());
    }

    void anUnreachableServerIsUnavailable()
    {
        DnsTarget down = target();
        down.port = closedPort();
        down.timeout = std::chrono::milliseconds(1000);
        DnsPublisher publisher(down);
        const Result<void> failed =
            publisher.publish({recordSet(kApi, {QStringLiteral("192.0.2.1")})});
        QVERIFY(!failed.ok());
        qInfo().noquote() << "user sees:" << failed.error().message;
        QCOMPARE(failed.error().code, ErrorCode::Unavailable);
        QVERIFY(failed.error().message.contains(QStringLiteral("127.0.0.1")));
        QVERIFY(failed.error().message.contains(QString::number(down.port)));
    }

    void aSilentServerTimesOut()
    {
        // Listening but never serviced: the kernel accepts the connection, nothing answers.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        DnsTarget mute = target();
        mute.port = silent.serverPort();
        mute.timeout = std::chrono::milliseconds(300);
        DnsPublisher publisher(mute);
        QElapsedTimer elapsed;
        elapsed.start();
        const Result<void> failed =
            publisher.publish({recordSet(kApi, {QStringLiteral("192.0.2.1")})});
        QVERIFY(!failed.ok());
        qInfo().noquote() << "user sees:" << failed.error().message;
        QCOMPARE(failed.error().code, ErrorCode::Unavailable);
        QVERIFY2(failed.error().message.contains(QStringLiteral("no answer within 300 ms")),
                 qPrintable(failed.error().message));
        QVERIFY(elapsed.elapsed() >= 290);
        QVERIFY2(elapsed.elapsed() < 1500, qPrintable(QString::number(elapsed.elapsed())));
    }

    void anInvalidTargetIsAConfigError()
    {
        DnsTarget bad = target();
        bad.key.secret.clear();
        const Result<void> invalid = DnsPublisher(bad).publish({recordSet(kApi, {})});
        QVERIFY(!invalid.ok());
        QCOMPARE(invalid.error().code, ErrorCode::Config);
        QVERIFY(invalid.error().message.contains(QStringLiteral("secret")));
    }

    void forgedAnswersAreNotTrusted_data()
    {
        QTest::addColumn<int>("forgery");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unsigned success")
            << int(ForgingDnsServer::Forgery::UnsignedSuccess) << QStringLiteral("not signed");
        QTest::newRow("bad MAC") << int(ForgingDnsServer::Forgery::BadMac)
                                 << QStringLiteral("does not verify");
        QTest::newRow("wrong id") << int(ForgingDnsServer::Forgery::WrongId)
                                  << QStringLiteral("does not belong");
    }

    void forgedAnswersAreNotTrusted()
    {
        QFETCH(int, forgery);
        QFETCH(QString, expected);
        ForgingDnsServer forger{ForgingDnsServer::Forgery(forgery)};
        DnsTarget spoofed = target();
        spoofed.port = forger.port();
        DnsPublisher publisher(spoofed);
        const Result<void> result =
            publishWhileServing(publisher, {recordSet(kApi, {QStringLiteral("192.0.2.1")})});
        QCOMPARE(forger.answered(), 1);
        QVERIFY(!result.ok());
        qInfo().noquote() << "user sees:" << result.error().message;
        QVERIFY2(result.error().message.contains(expected), qPrintable(result.error().message));
    }
};

QTEST_GUILESS_MAIN(TestDnsPublication)
#include "test_dns_publication.moc"
