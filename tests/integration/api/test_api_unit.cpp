// Pure logic of the API module: request-head limits, bearer credentials, problem documents,
// the Prometheus text format, /proc parsing, region-health change rules and the EventHub.
#include "healthjson.h"
#include "httpsupport.h"
#include "prometheus.h"
#include "upcoach/api/eventhub.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QThread>

using namespace upcoach;
using namespace upcoach::api;
using namespace upcoach::api::detail;

namespace {

storage::HealthSnapshot snapshotOf(std::initializer_list<storage::RegionHealth> regions)
{
    storage::HealthSnapshot snapshot;
    snapshot.generation = 1;
    snapshot.takenAt = QDateTime(QDate(2025, 1, 31), QTime(12, 0), Qt::UTC);
    snapshot.regions = regions;
    return snapshot;
}

storage::RegionHealth upRegion(const QString &id, double latencyMs = 1.2)
{
    storage::RegionHealth health;
    health.regionId = id;
    health.status = storage::HealthStatus::Up;
    health.role = storage::DatabaseRole::Primary;
    health.serverVersion = QStringLiteral("15.18");
    health.latencyMs = latencyMs;
    health.connectMs = 4.0;
    health.connections = 3;
    health.databaseSizeBytes = 8000000;
    health.checkedAt = QDateTime(QDate(2025, 1, 31), QTime(12, 0), Qt::UTC);
    health.statusSince = health.checkedAt;
    return health;
}

} // namespace

class TestApiUnit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scannerAcceptsOrdinaryAndPipelinedRequests()
    {
        RequestScanner scanner;
        const QByteArray requests = "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n"
                                    "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                                    "\r\nGET /y HTTP/1.1\r\nHost: a\r\n\r\n";
        // Byte by byte, so every boundary falls inside a chunk once.
        for (const char c : requests)
            QCOMPARE(scanner.feed(QByteArrayView(&c, 1)), RequestScanner::Verdict::Continue);
        QCOMPARE(scanner.phase(), RequestScanner::Phase::BetweenRequests);
        const std::vector<qint64> ends = scanner.takeRequestEnds();
        QCOMPARE(ends.size(), size_t(3));
        QCOMPARE(ends[0], qint64(requests.indexOf("POST")));
        QCOMPARE(ends[1], qint64(requests.indexOf("hello") + 5));
        QCOMPARE(ends[2], qint64(requests.size()));
    }

    void scannerRefusesWhatBreaksLimits_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("verdict");
        using V = RequestScanner::Verdict;
        QTest::newRow("long target, head incomplete")
            << QByteArray("GET /" + QByteArray(9000, 'a')) << int(V::UriTooLong);
        QTest::newRow("long target, whole request")
            << QByteArray("GET /" + QByteArray(8200, 'a') + " HTTP/1.1\r\n\r\n")
            << int(V::UriTooLong);
        QTest::newRow("huge head") << QByteArray("GET / HTTP/1.1\r\nX: " + QByteArray(70000, 'b'))
                                   << int(V::HeadersTooLarge);
        QTest::newRow("big body announced")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n")
            << int(V::PayloadTooLarge);
        QTest::newRow("chunked") << QByteArray(
                                        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
                                 << int(V::LengthRequired);
        QTest::newRow("conflicting lengths")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n")
            << int(V::BadRequest);
        QTest::newRow("length and chunked")
            << QByteArray(
                   "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")
            << int(V::BadRequest);
        QTest::newRow("negative length")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << int(V::BadRequest);
        QTest::newRow("space before colon")
            << QByteArray("GET / HTTP/1.1\r\nHost : a\r\n\r\n") << int(V::BadRequest);
        QTest::newRow("obs-fold") << QByteArray("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n")
                                  << int(V::BadRequest);
        QTest::newRow("exactly at the body limit")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1048576\r\n\r\n") << int(V::Continue);
    }

    void scannerRefusesWhatBreaksLimits()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, verdict);
        RequestScanner scanner;
        QCOMPARE(int(scanner.feed(bytes)), verdict);
    }

    void scannerStopsAtWebSocketUpgrade()
    {
        RequestScanner scanner;
        const QByteArray handshake =
            "GET /api/v1/events HTTP/1.1\r\nUpgrade: websocket\r\n"
            "Connection: keep-alive, Upgrade\r\nContent-Length: 99999999\r\n\r\n";
        QCOMPARE(scanner.feed(handshake), RequestScanner::Verdict::Continue);
        QCOMPARE(scanner.phase(), RequestScanner::Phase::Upgraded);
    }

    void bearerCredentials_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<int>("state");
        QTest::addColumn<QByteArray>("token");
        const int present = int(CredentialState::Present);
        const int malformed = int(CredentialState::Malformed);
        QTest::newRow("plain") << QByteArray("Bearer uco_abc-_.~+/") << present
                               << QByteArray("uco_abc-_.~+/");
        QTest::newRow("scheme case")
            << QByteArray("bEaReR tok==") << present << QByteArray("tok==");
        QTest::newRow("extra spaces")
            << QByteArray("  Bearer   tok  ") << present << QByteArray("tok");
        QTest::newRow("basic") << QByteArray("Basic dXNlcjpwYXNz") << malformed << QByteArray();
        QTest::newRow("no token") << QByteArray("Bearer") << malformed << QByteArray();
        QTest::newRow("empty") << QByteArray("") << malformed << QByteArray();
        QTest::newRow("padding inside") << QByteArray("Bearer ab=c") << malformed << QByteArray();
        QTest::newRow("only padding") << QByteArray("Bearer ==") << malformed << QByteArray();
        QTest::newRow("two tokens") << QByteArray("Bearer a b") << malformed << QByteArray();
        QTest::newRow("control char") << QByteArray("Bearer a\x01") << malformed << QByteArray();
        QTest::newRow("too long") << QByteArray("Bearer " + QByteArray(513, 'a')) << malformed
                                  << QByteArray();
    }

    void bearerCredentials()
    {
        QFETCH(QByteArray, header);
        QFETCH(int, state);
        QFETCH(QByteArray, token);
        const Credential credential = bearerFromAuthorization(header);
        QCOMPARE(int(credential.state), state);
        QCOMPARE(credential.token, token);
    }

    void bearerFromHeaderList()
    {
        using Headers = QList<QPair<QByteArray, QByteArray>>;
        QCOMPARE(bearerFromHeaders(Headers{{"Host", "a"}}).state, CredentialState::Absent);
        QCOMPARE(bearerFromHeaders(Headers{{"authorization", "Bearer t"}}).state,
                 CredentialState::Present);
        QCOMPARE(
            bearerFromHeaders(Headers{{"Authorization", "Bearer t"}, {"AUTHORIZATION", "Bearer u"}})
                .state,
            CredentialState::Malformed);
    }

    void webSocketUpgradeDetection()
    {
        using Headers = QList<QPair<QByteArray, QByteArray>>;
        QVERIFY(isWebSocketUpgrade(
            Headers{{"Upgrade", "WebSocket"}, {"Connection", "keep-alive, upgrade"}}));
        QVERIFY(!isWebSocketUpgrade(Headers{{"Upgrade", "websocket"}}));
        QVERIFY(!isWebSocketUpgrade(Headers{{"Upgrade", "h2c"}, {"Connection", "Upgrade"}}));
    }

    void problemDocuments()
    {
        Problem problem{503,
                        QStringLiteral("not-ready"),
                        QStringLiteral("Not ready"),
                        QStringLiteral("regions not answering: eu-west-1"),
                        {}};
        problem.extensions.insert(QStringLiteral("regions"),
                                  QJsonArray{QStringLiteral("eu-west-1")});
        const QJsonObject json = QJsonDocument::fromJson(problemJson(problem)).object();
        QCOMPARE(json.value(QStringLiteral("type")).toString(),
                 QStringLiteral("https://upcoach.dev/problems/not-ready"));
        QCOMPARE(json.value(QStringLiteral("title")).toString(), QStringLiteral("Not ready"));
        QCOMPARE(json.value(QStringLiteral("status")).toInt(), 503);
        QCOMPARE(json.value(QStringLiteral("regions")).toArray().first().toString(),
                 QStringLiteral("eu-west-1"));

        const QByteArray raw = rawProblemResponse(uriTooLong(8192));
        QVERIFY(raw.startsWith("HTTP/1.1 414 URI Too Long\r\n"));
        QVERIFY(raw.contains("Content-Type: application/problem+json\r\n"));
        QVERIFY(raw.contains("Connection: close\r\n"));
        const QByteArray body = raw.mid(raw.indexOf("\r\n\r\n") + 4);
        QVERIFY(raw.contains(
            QByteArray("Content-Length: " + QByteArray::number(body.size()) + "\r\n")));
        QCOMPARE(QJsonDocument::fromJson(body).object().value(QStringLiteral("status")).toInt(),
                 414);
    }

    void prometheusEscapingAndValues()
    {
        QCOMPARE(PrometheusWriter::escapeLabelValue(QStringLiteral("a\\b\"c\nd")),
                 QByteArray("a\\\\b\\\"c\\nd"));
        QCOMPARE(PrometheusWriter::escapeHelp("x\\y\nz \"q\""), QByteArray("x\\\\y\\nz \"q\""));
        QCOMPARE(PrometheusWriter::formatValue(0.1), QByteArray("0.1"));
        QCOMPARE(PrometheusWriter::formatValue(3), QByteArray("3"));
        QCOMPARE(PrometheusWriter::formatValue(std::numeric_limits<double>::quiet_NaN()),
                 QByteArray("NaN"));
        QCOMPARE(PrometheusWriter::formatValue(-std::numeric_limits<double>::infinity()),
                 QByteArray("-Inf"));

        PrometheusWriter out;
        out.family("m_total", "counter", "Help.");
        out.sample("m_total", {{"route", QStringLiteral("/x")}, {"code", QStringLiteral("200")}},
                   quint64(7));
        out.sample("plain", {}, 1.5);
        QCOMPARE(out.text(), QByteArray("# HELP m_total Help.\n# TYPE m_total counter\n"
                                        "m_total{route=\"/x\",code=\"200\"} 7\nplain 1.5\n"));
    }

    void procStatParsing()
    {
        // comm with spaces and a parenthesis; utime 250, stime 50 ticks; starttime 1000 ticks;
        // vsize 123456789; rss 2000 pages.
        const QByteArray stat =
            "4242 (upcoach) ops) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 "
            "9 0 1000 123456789 2000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0";
        const auto stats = parseProcStat(stat, 100, 4096, 1700000000);
        QVERIFY(stats);
        QCOMPARE(stats->cpuSeconds, 3.0);
        QCOMPARE(stats->startTimeSeconds, 1700000010.0);
        QCOMPARE(stats->virtualBytes, qint64(123456789));
        QCOMPARE(stats->residentBytes, qint64(2000) * 4096);
        QVERIFY(!parseProcStat("garbage", 100, 4096, 0));

        const auto live = readProcessStats();
        QVERIFY(live);
        QVERIFY(live->residentBytes > 0);
        QVERIFY(live->openFds > 2);
        QVERIFY(live->startTimeSeconds > 1e9);
    }

    void regionHealthJson()
    {
        const QJsonObject empty = regionHealthDocument(nullptr, RegionCatalog::builtin());
        QCOMPARE(empty.value(QStringLiteral("generation")).toInt(), 0);
        QVERIFY(empty.value(QStringLiteral("takenAt")).isNull());
        QVERIFY(empty.value(QStringLiteral("regions")).toArray().isEmpty());

        storage::RegionHealth down;
        down.regionId = QStringLiteral("eu-west-1");
        down.status = storage::HealthStatus::Down;
        down.error = QStringLiteral("connection refused");
        storage::RegionHealth custom = upRegion(QStringLiteral("on-prem-7"));
        const auto snapshot = snapshotOf({upRegion(QStringLiteral("us-east-1")), down, custom});
        const QJsonObject json = regionHealthDocument(&snapshot, RegionCatalog::builtin());
        QCOMPARE(json.value(QStringLiteral("takenAt")).toString(),
                 QStringLiteral("2025-01-31T12:00:00.000Z"));
        const QJsonArray regions = json.value(QStringLiteral("regions")).toArray();
        QCOMPARE(regions.size(), 3);
        const QJsonObject first = regions.at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("id")).toString(), QStringLiteral("us-east-1"));
        QVERIFY(!first.value(QStringLiteral("displayName")).toString().isEmpty());
        QVERIFY(first.value(QStringLiteral("latitude")).isDouble());
        QCOMPARE(first.value(QStringLiteral("status")).toString(), QStringLiteral("up"));
        QCOMPARE(first.value(QStringLiteral("latencyMs")).toDouble(), 1.2);
        QCOMPARE(first.value(QStringLiteral("role")).toString(), QStringLiteral("primary"));
        QVERIFY(first.value(QStringLiteral("error")).isNull());
        const QJsonObject second = regions.at(1).toObject();
        QCOMPARE(second.value(QStringLiteral("status")).toString(), QStringLiteral("down"));
        QVERIFY(second.value(QStringLiteral("latencyMs")).isNull());
        QVERIFY(second.value(QStringLiteral("checkedAt")).isNull());
        QCOMPARE(second.value(QStringLiteral("error")).toString(),
                 QStringLiteral("connection refused"));
        const QJsonObject third = regions.at(2).toObject();
        QCOMPARE(third.value(QStringLiteral("displayName")).toString(),
                 QStringLiteral("on-prem-7"));
        QVERIFY(third.value(QStringLiteral("latitude")).isNull());
    }

    void snapshotChangeRules()
    {
        const auto base =
            snapshotOf({upRegion(QStringLiteral("a"), 1.2), upRegion(QStringLiteral("b"))});
        QCOMPARE(classifyChange(nullptr, base), SnapshotChange::State);
        QCOMPARE(classifyChange(&base, base), SnapshotChange::None);

        auto jitter = base; // sub-millisecond noise is not news
        jitter.regions[0].latencyMs = 1.4;
        jitter.regions[0].checkedAt = jitter.regions[0].checkedAt.addSecs(5);
        QCOMPARE(classifyChange(&base, jitter), SnapshotChange::None);

        auto slower = base;
        slower.regions[0].latencyMs = 7.0;
        QCOMPARE(classifyChange(&base, slower), SnapshotChange::Measurements);

        auto down = base;
        down.regions[1].status = storage::HealthStatus::Down;
        QCOMPARE(classifyChange(&base, down), SnapshotChange::State);

        auto promoted = base;
        promoted.regions[1].role = storage::DatabaseRole::Standby;
        QCOMPARE(classifyChange(&base, promoted), SnapshotChange::State);

        const auto fewer = snapshotOf({upRegion(QStringLiteral("a"))});
        QCOMPARE(classifyChange(&base, fewer), SnapshotChange::State);
    }

    void eventHubRetainsAndDeliversInOrder()
    {
        EventHub hub;
        QObject owner;
        QList<QByteArray> received;
        hub.publish(QStringLiteral("t"), "first");
        hub.publish(QStringLiteral("other"), "elsewhere");
        hub.subscribe(QStringLiteral("t"), &owner,
                      [&](const QString &, const QByteArray &m) { received.append(m); });
        QCOMPARE(received, QList<QByteArray>{"first"});
        hub.publish(QStringLiteral("t"), "second");
        hub.publish(QStringLiteral("t"), "transient", EventHub::Retain::No);
        QCOMPARE(received, (QList<QByteArray>{"first", "second", "transient"}));
        QCOMPARE(hub.retained(QStringLiteral("t")), QByteArray("second"));
        QCOMPARE(hub.subscriberCount(QStringLiteral("t")), 1);
    }

    void eventHubSurvivesUnsubscribeDuringDelivery()
    {
        EventHub hub;
        auto first = std::make_unique<QObject>();
        QObject second;
        int secondCount = 0;
        quint64 firstId = 0;
        firstId =
            hub.subscribe(QStringLiteral("t"), first.get(),
                          [&](const QString &, const QByteArray &) { hub.unsubscribe(firstId); });
        hub.subscribe(QStringLiteral("t"), &second,
                      [&](const QString &, const QByteArray &) { ++secondCount; });
        hub.publish(QStringLiteral("t"), "x");
        hub.publish(QStringLiteral("t"), "y");
        QCOMPARE(secondCount, 2);
        QCOMPARE(hub.subscriberCount(QStringLiteral("t")), 1);

        auto third = std::make_unique<QObject>();
        hub.subscribe(QStringLiteral("t"), third.get(), [](const QString &, const QByteArray &) {});
        QCOMPARE(hub.subscriberCount(QStringLiteral("t")), 2);
        third.reset(); // destroying the owner ends the subscription
        QCOMPARE(hub.subscriberCount(QStringLiteral("t")), 1);
    }

    void eventHubPublishFromAnotherThread()
    {
        EventHub hub;
        QObject owner;
        QList<QByteArray> received;
        hub.subscribe(QStringLiteral("t"), &owner, [&](const QString &, const QByteArray &m) {
            QCOMPARE(QThread::currentThread(), hub.thread());
            received.append(m);
        });
        std::unique_ptr<QThread> worker(
            QThread::create([&hub] { hub.publish(QStringLiteral("t"), "from worker"); }));
        worker->start();
        QVERIFY(worker->wait(5000));
        QTRY_COMPARE(received, QList<QByteArray>{"from worker"});
    }
};

QTEST_GUILESS_MAIN(TestApiUnit)
#include "test_api_unit.moc"
