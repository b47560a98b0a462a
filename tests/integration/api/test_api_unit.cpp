// Pure logic of the API module: request-head limits, bearer credentials, problem documents,
// the Prometheus text format, /proc parsing, region-health change rules, the EventHub, audit
// list queries and cursors, RFC 3339 times, request ids, the denied-event cap, token bodies, and
// the tenant routes' bodies, list query, If-Match, merge patches, JSON and error mapping.
#include "auditquery.h"
#include "healthjson.h"
#include "httpsupport.h"
#include "prometheus.h"
#include "requestaudit.h"
#include "tenantopsroutes.h"
#include "tenantroutes.h"
#include "tokenroutes.h"
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
        QTest::newRow("too long") << QByteArray("Bearer " + QByteArray(4097, 'a')) << malformed
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

    void rfc3339Times_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("epochMs"); // -1: refused
        const qint64 base =
            QDateTime(QDate(2026, 3, 14), QTime(15, 9, 26), Qt::UTC).toMSecsSinceEpoch();
        QTest::newRow("audit form") << QStringLiteral("2026-03-14T15:09:26.535Z") << base + 535;
        QTest::newRow("seconds") << QStringLiteral("2026-03-14T15:09:26Z") << base;
        QTest::newRow("lower case") << QStringLiteral("2026-03-14t15:09:26z") << base;
        QTest::newRow("utc offset") << QStringLiteral("2026-03-14T15:09:26+00:00") << base;
        QTest::newRow("minus zero") << QStringLiteral("2026-03-14T15:09:26-00:00") << base;
        QTest::newRow("plus two") << QStringLiteral("2026-03-14T17:09:26.5+02:00") << base + 500;
        QTest::newRow("minus 5:30") << QStringLiteral("2026-03-14T09:39:26-05:30") << base;
        QTest::newRow("one digit") << QStringLiteral("2026-03-14T15:09:26.1Z") << base + 100;
        QTest::newRow("sub-ms rounds up")
            << QStringLiteral("2026-03-14T15:09:26.5350001Z") << base + 536;
        QTest::newRow("nine digits")
            << QStringLiteral("2026-03-14T15:09:26.535000000Z") << base + 535;
        QTest::newRow("ten digits")
            << QStringLiteral("2026-03-14T15:09:26.5350000000Z") << qint64(-1);
        QTest::newRow("no zone") << QStringLiteral("2026-03-14T15:09:26") << qint64(-1);
        QTest::newRow("date only") << QStringLiteral("2026-03-14") << qint64(-1);
        QTest::newRow("space") << QStringLiteral("2026-03-14 15:09:26Z") << qint64(-1);
        QTest::newRow("hour 24") << QStringLiteral("2026-03-14T24:00:00Z") << qint64(-1);
        QTest::newRow("leap second") << QStringLiteral("2026-03-14T23:59:60Z") << qint64(-1);
        QTest::newRow("february 30") << QStringLiteral("2026-02-30T00:00:00Z") << qint64(-1);
        QTest::newRow("empty fraction") << QStringLiteral("2026-03-14T15:09:26.Z") << qint64(-1);
        QTest::newRow("offset hours") << QStringLiteral("2026-03-14T15:09:26+24:00") << qint64(-1);
        QTest::newRow("short offset") << QStringLiteral("2026-03-14T15:09:26+0200") << qint64(-1);
        QTest::newRow("trailing") << QStringLiteral("2026-03-14T15:09:26Zx") << qint64(-1);
        QTest::newRow("sign in year") << QStringLiteral("+026-03-14T15:09:26Z") << qint64(-1);
        QTest::newRow("arabic digits") << QStringLiteral("2026-03-14T15:09:2\u0666Z") << qint64(-1);
        QTest::newRow("year zero") << QStringLiteral("0000-01-01T00:00:00Z") << qint64(-1);
    }

    void rfc3339Times()
    {
        QFETCH(QString, text);
        QFETCH(qint64, epochMs);
        const std::optional<QDateTime> parsed = parseRfc3339(text);
        if (epochMs < 0) {
            QVERIFY2(!parsed, qPrintable(text));
            return;
        }
        QVERIFY2(parsed, qPrintable(text));
        QCOMPARE(parsed->toMSecsSinceEpoch(), epochMs);
        QCOMPARE(parsed->timeSpec(), Qt::UTC);
    }

    void uuids()
    {
        QCOMPARE(parseUuid(u"0190A1B2-0000-7000-8000-00000000ABCD"),
                 std::optional<QString>(QStringLiteral("0190a1b2-0000-7000-8000-00000000abcd")));
        QVERIFY(!parseUuid(u"{0190a1b2-0000-7000-8000-00000000abcd}"));
        QVERIFY(!parseUuid(u"0190a1b2000070008000000000000abcd"));
        QVERIFY(!parseUuid(u"0190a1b2-0000-7000-8000-00000000abcg"));
        QVERIFY(!parseUuid(u"..%2F..%2F..%2Fetc%2Fpasswd-0000-00"));
        QVERIFY(!parseUuid(u""));
    }

    void auditQueryParsesEveryFilter()
    {
        const auto parsed = parseAuditListQuery(QUrlQuery(QStringLiteral(
            "tenant=acme&actor=user:alice%40example.com&action=tenant.*&outcome=denied&"
            "classification=config-change&from=2026-03-14T15:09:26Z&to=2026-03-14T17:09:26%2B01:00&"
            "limit=7")));
        QVERIFY(std::holds_alternative<compliance::AuditQuery>(parsed));
        const auto &query = std::get<compliance::AuditQuery>(parsed);
        QCOMPARE(query.tenant, std::optional<QString>(QStringLiteral("acme")));
        QCOMPARE(query.actor, QStringLiteral("user:alice@example.com"));
        QCOMPARE(query.action, QStringLiteral("tenant.*"));
        QCOMPARE(query.outcome, QStringLiteral("denied"));
        QCOMPARE(query.classification, QStringLiteral("config-change"));
        QCOMPARE(query.from, QDateTime(QDate(2026, 3, 14), QTime(15, 9, 26), Qt::UTC));
        QCOMPARE(query.to, QDateTime(QDate(2026, 3, 14), QTime(16, 9, 26), Qt::UTC));
        QCOMPARE(query.limit, 7);
        QVERIFY(!query.beforeSequence);

        const auto defaults = parseAuditListQuery(QUrlQuery());
        QCOMPARE(std::get<compliance::AuditQuery>(defaults).limit, 100);
        QVERIFY(!std::get<compliance::AuditQuery>(defaults).tenant);
        const auto platform = parseAuditListQuery(QUrlQuery(QStringLiteral("tenant=")));
        QCOMPARE(std::get<compliance::AuditQuery>(platform).tenant,
                 std::optional<QString>(QString()));
        // A literal "+" in an offset stays a plus (QUrlQuery does not turn it into a space).
        const auto plus =
            parseAuditListQuery(QUrlQuery(QStringLiteral("from=2026-03-14T17:09:26+02:00")));
        QCOMPARE(std::get<compliance::AuditQuery>(plus).from,
                 QDateTime(QDate(2026, 3, 14), QTime(15, 9, 26), Qt::UTC));
    }

    void auditQueryRefusalsNameTheParameter_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QStringList>("parameters");
        auto row = [](const char *name, const char *query, QStringList parameters) {
            QTest::newRow(name) << QString::fromUtf8(query) << parameters;
        };
        row("unknown", "limit=5&colour=red&size=2",
            {QStringLiteral("colour"), QStringLiteral("size")});
        row("access_token", "access_token=x", {QStringLiteral("access_token")});
        row("repeated", "actor=a&actor=b", {QStringLiteral("actor")});
        row("limit zero", "limit=0", {QStringLiteral("limit")});
        row("limit big", "limit=1001", {QStringLiteral("limit")});
        row("limit huge", "limit=99999999999999999999", {QStringLiteral("limit")});
        row("limit text", "limit=ten", {QStringLiteral("limit")});
        row("limit negative", "limit=-1", {QStringLiteral("limit")});
        row("limit exponent", "limit=1e3", {QStringLiteral("limit")});
        row("limit empty", "limit=", {QStringLiteral("limit")});
        row("limit plus", "limit=%2B5", {QStringLiteral("limit")});
        row("outcome", "outcome=maybe", {QStringLiteral("outcome")});
        row("classification", "classification=Security", {QStringLiteral("classification")});
        row("action case", "action=Tenant.update", {QStringLiteral("action")});
        row("action like", "action=%25*", {QStringLiteral("action")});
        row("action star inside", "action=te*nant", {QStringLiteral("action")});
        row("tenant", "tenant=ACME", {QStringLiteral("tenant")});
        row("tenant sql", "tenant=x'%20OR%20'1'%3D'1", {QStringLiteral("tenant")});
        row("actor empty", "actor=", {QStringLiteral("actor")});
        row("actor nul", "actor=a%00b", {QStringLiteral("actor")});
        row("actor long", QByteArray("actor=" + QByteArray(1025, 'a')).constData(),
            {QStringLiteral("actor")});
        row("from", "from=yesterday", {QStringLiteral("from")});
        row("to", "to=2026-03-14T15:09:26", {QStringLiteral("to")});
        row("from after to", "from=2026-03-14T15:00:00Z&to=2026-03-14T14:00:00Z",
            {QStringLiteral("from"), QStringLiteral("to")});
        row("cursor", "cursor=garbage", {QStringLiteral("cursor")});
    }

    void auditQueryRefusalsNameTheParameter()
    {
        QFETCH(QString, query);
        QFETCH(QStringList, parameters);
        const auto parsed = parseAuditListQuery(QUrlQuery(query));
        QVERIFY(std::holds_alternative<QueryError>(parsed));
        const QueryError &error = std::get<QueryError>(parsed);
        QCOMPARE(error.parameters, parameters);
        for (const QString &parameter : parameters)
            QVERIFY2(error.detail.contains(parameter), qPrintable(error.detail));
        QVERIFY(!error.detail.contains(QLatin1String("OR '1'")));
    }

    void auditCursorsRoundTripAndRefuseTampering()
    {
        compliance::AuditQuery filters;
        filters.tenant = QStringLiteral("acme");
        filters.outcome = QStringLiteral("denied");
        for (const uint64_t sequence :
             {uint64_t(0), uint64_t(1), uint64_t(4096), compliance::kMaxSequence}) {
            const QString cursor = encodeAuditCursor(sequence, filters);
            QCOMPARE(decodeAuditCursor(cursor, filters), std::optional<uint64_t>(sequence));
            for (const QChar c : cursor)
                QVERIFY(c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_'));
        }
        const QString cursor = encodeAuditCursor(1234, filters);
        // Every single-character change is refused.
        static const QString alphabet =
            QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
        for (qsizetype i = 0; i < cursor.size(); ++i) {
            QString changed = cursor;
            changed[i] = alphabet.at((alphabet.indexOf(cursor.at(i)) + 1) % alphabet.size());
            QVERIFY2(!decodeAuditCursor(changed, filters), qPrintable(changed));
        }
        // Bound to the filters: the same cursor with other filters is refused.
        compliance::AuditQuery other = filters;
        other.tenant = QString();
        QVERIFY(!decodeAuditCursor(cursor, other));
        other = filters;
        other.from = QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
        QVERIFY(!decodeAuditCursor(cursor, other));
        // Garbage.
        QVERIFY(!decodeAuditCursor(u"", filters));
        QVERIFY(!decodeAuditCursor(QString(cursor + QLatin1Char('A')), filters));
        QVERIFY(!decodeAuditCursor(cursor.chopped(1), filters));
        QVERIFY(!decodeAuditCursor(QString(cursor.size(), QLatin1Char('=')), filters));
        // A sequence beyond 2^53-1 with a correct check value is still refused.
        QVERIFY(
            !decodeAuditCursor(encodeAuditCursor(compliance::kMaxSequence + 1, filters), filters));
        // The listing turns a cursor into beforeSequence.
        const auto parsed = parseAuditListQuery(
            QUrlQuery(QStringLiteral("tenant=acme&outcome=denied&limit=5&cursor=") + cursor));
        QCOMPARE(std::get<compliance::AuditQuery>(parsed).beforeSequence,
                 std::optional<uint64_t>(1234));
        const auto moved = parseAuditListQuery(
            QUrlQuery(QStringLiteral("tenant=acme&outcome=success&cursor=") + cursor));
        QCOMPARE(std::get<QueryError>(moved).parameters, QStringList{QStringLiteral("cursor")});
    }

    void auditPagesAreCutAtTheByteLimit()
    {
        compliance::AuditPage page;
        for (uint64_t sequence = 10; sequence > 0; --sequence) {
            compliance::AuditEvent event;
            event.id = QStringLiteral("0190a1b2-0000-7000-8000-0000000000%1")
                           .arg(sequence, 2, 10, QLatin1Char('0'));
            event.sequence = sequence;
            event.time = QDateTime(QDate(2026, 3, 14), QTime(12, 0), Qt::UTC);
            event.actor = QStringLiteral("user:a@example.com");
            event.action = QStringLiteral("tenant.update");
            event.outcome = QStringLiteral("success");
            event.classification = QStringLiteral("security");
            page.events.push_back(event);
        }
        compliance::AuditQuery filters;
        const qsizetype lineSize = compliance::eventToJson(page.events[0])->size();

        const QJsonObject whole =
            QJsonDocument::fromJson(auditPageJson(page, filters, 1 << 20).value()).object();
        QCOMPARE(whole.value(QStringLiteral("events")).toArray().size(), 10);
        QVERIFY(whole.value(QStringLiteral("nextCursor")).isNull());

        // Room for three events: cut after the third (sequence 8), continue below it.
        const QByteArray cut = auditPageJson(page, filters, 20 + 3 * (lineSize + 1)).value();
        const QJsonObject document = QJsonDocument::fromJson(cut).object();
        QCOMPARE(document.value(QStringLiteral("events")).toArray().size(), 3);
        QCOMPARE(
            decodeAuditCursor(document.value(QStringLiteral("nextCursor")).toString(), filters),
            std::optional<uint64_t>(8));
        // At least one event, however small the limit.
        const QJsonObject one =
            QJsonDocument::fromJson(auditPageJson(page, filters, 1).value()).object();
        QCOMPARE(one.value(QStringLiteral("events")).toArray().size(), 1);
    }

    void requestIds()
    {
        QVERIFY(isWellFormedRequestId("abc-DEF_1.2"));
        QVERIFY(isWellFormedRequestId(QByteArray(128, 'a')));
        QVERIFY(!isWellFormedRequestId(QByteArray(129, 'a')));
        QVERIFY(!isWellFormedRequestId(""));
        QVERIFY(!isWellFormedRequestId("a b"));
        QVERIFY(!isWellFormedRequestId("a\r\nX-Evil: 1"));
        QVERIFY(!isWellFormedRequestId("<script>"));
        const QString fresh = newRequestId();
        QCOMPARE(fresh.size(), 36);
        QVERIFY(isWellFormedRequestId(fresh.toLatin1()));
        QVERIFY(fresh != newRequestId());
        QCOMPARE(sourceAddressText(QHostAddress(QStringLiteral("::ffff:192.0.2.7"))),
                 QStringLiteral("192.0.2.7"));
        QCOMPARE(sourceAddressText(QHostAddress(QStringLiteral("2001:db8::1"))),
                 QStringLiteral("2001:db8::1"));
    }

    void deniedEventCap()
    {
        using namespace std::chrono_literals;
        DeniedEventLimiter limiter(3, 5, 60s);
        const auto t0 = std::chrono::steady_clock::time_point(1000s);
        const QHostAddress a(QStringLiteral("192.0.2.1"));
        const QHostAddress b(QStringLiteral("192.0.2.2"));
        int admitted = 0;
        for (int i = 0; i < 10; ++i)
            admitted += limiter.admit(a, t0 + std::chrono::seconds(i)) ? 1 : 0;
        QCOMPARE(admitted, 3); // per source
        QCOMPARE(limiter.dropped(), quint64(7));
        QVERIFY(limiter.admit(b, t0 + 10s));
        QVERIFY(limiter.admit(b, t0 + 10s));
        QVERIFY(!limiter.admit(QHostAddress(QStringLiteral("192.0.2.3")), t0 + 10s)); // total 5
        // The next window starts afresh.
        QVERIFY(limiter.admit(a, t0 + 60s));
        QCOMPARE(limiter.dropped(), quint64(8));

        // One IPv6 /64 is one source; IPv4-mapped addresses are their IPv4 address.
        DeniedEventLimiter v6(2, 100, 60s);
        QVERIFY(v6.admit(QHostAddress(QStringLiteral("2001:db8:1:2::1")), t0));
        QVERIFY(v6.admit(QHostAddress(QStringLiteral("2001:db8:1:2:ffff::9")), t0));
        QVERIFY(!v6.admit(QHostAddress(QStringLiteral("2001:db8:1:2:abcd::1")), t0));
        QVERIFY(v6.admit(QHostAddress(QStringLiteral("2001:db8:1:3::1")), t0));
        QCOMPARE(DeniedEventLimiter::sourceKey(QHostAddress(QStringLiteral("::ffff:192.0.2.7"))),
                 QStringLiteral("192.0.2.7"));
    }

    void tokenRequestBodies_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status"); // 0: accepted
        const QByteArray json = "application/json";
        QTest::newRow("viewer") << json << QByteArray(R"({"role":"ops-viewer"})") << 0;
        QTest::newRow("charset") << QByteArray("Application/JSON; charset=utf-8")
                                 << QByteArray(R"({"role":"ops-admin","expiresAt":null})") << 0;
        QTest::newRow("expiry") << json
                                << QByteArray(
                                       R"({"role":"ops-admin","expiresAt":"2030-01-01T00:00:00Z"})")
                                << 0;
        QTest::newRow("past") << json
                              << QByteArray(
                                     R"({"role":"ops-admin","expiresAt":"2020-01-01T00:00:00Z"})")
                              << 400;
        QTest::newRow("bad time") << json
                                  << QByteArray(R"({"role":"ops-admin","expiresAt":"tomorrow"})")
                                  << 400;
        QTest::newRow("number time")
            << json << QByteArray(R"({"role":"ops-admin","expiresAt":5})") << 400;
        QTest::newRow("unknown role") << json << QByteArray(R"({"role":"root"})") << 400;
        QTest::newRow("no role") << json << QByteArray("{}") << 400;
        QTest::newRow("unknown field")
            << json << QByteArray(R"({"role":"ops-viewer","admin":true})") << 400;
        QTest::newRow("array") << json << QByteArray("[]") << 400;
        QTest::newRow("garbage") << json << QByteArray("role=ops-viewer") << 400;
        QTest::newRow("form") << QByteArray("application/x-www-form-urlencoded")
                              << QByteArray("role=ops-viewer") << 415;
        QTest::newRow("no type") << QByteArray() << QByteArray(R"({"role":"ops-viewer"})") << 415;
        QTest::newRow("large") << json << QByteArray(5000, ' ') << 413;
    }

    void tokenRequestBodies()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        const QDateTime now(QDate(2026, 3, 14), QTime(12, 0), Qt::UTC);
        const auto parsed = parseTokenRequest(contentType, body, now, 4096);
        if (status == 0) {
            QVERIFY(std::holds_alternative<TokenRequest>(parsed));
            return;
        }
        QVERIFY(std::holds_alternative<Problem>(parsed));
        QCOMPARE(std::get<Problem>(parsed).status, status);
    }

    void issuedTokenAnswer()
    {
        identity::IssuedApiToken token;
        token.id = QStringLiteral("0190a1b2-0000-7000-8000-00000000abcd");
        token.role = QStringLiteral("ops-viewer");
        token.secret = "uco_secret";
        const QJsonObject plain = QJsonDocument::fromJson(issuedTokenJson(token)).object();
        QCOMPARE(plain.value(QStringLiteral("token")).toString(), QStringLiteral("uco_secret"));
        QVERIFY(plain.value(QStringLiteral("expiresAt")).isNull());
        token.expiresAt = QDateTime(QDate(2030, 1, 1), QTime(0, 0), Qt::UTC);
        const QJsonObject expiring = QJsonDocument::fromJson(issuedTokenJson(token)).object();
        QCOMPARE(expiring.value(QStringLiteral("expiresAt")).toString(),
                 QStringLiteral("2030-01-01T00:00:00.000Z"));
    }
    // ---- tenant routes ----

    void newTenantBodies_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");    // 0: accepted
        QTest::addColumn<QString>("field"); // what the detail starts with / names
        const QByteArray json = "application/json";
        const QByteArray base = R"("slug":"acme","name":"Acme","plan":"starter",)"
                                R"("homeRegion":"eu-west-1","isolation":"rls",)"
                                R"("ownerEmail":"ops@acme.example")";
        auto with = [&](const QByteArray &extra) -> QByteArray { return "{" + base + extra + "}"; };
        QTest::newRow("minimal") << json << with("") << 0 << QString();
        QTest::newRow("everything")
            << json
            << with(R"(,"ownerName":"Ada","kind":"team","parent":"acme-org",)"
                    R"("allowedRegions":["eu-west-1","eu-central-1"],"config":{"locale":"de"},)"
                    R"("limits":{"seats":5},"features":{"sso":true},"trial":false)")
            << 0 << QString();
        QTest::newRow("nulls for optional fields")
            << json << with(R"(,"parent":null,"config":null,"trial":null)") << 0 << QString();
        QTest::newRow("missing slug")
            << json
            << QByteArray(R"({"name":"Acme","plan":"starter","homeRegion":"eu-west-1",)"
                          R"("isolation":"rls","ownerEmail":"a@b.example"})")
            << 400 << QStringLiteral("slug");
        QTest::newRow("bad slug") << json
                                  << QByteArray(R"({"slug":"Acme!","name":"Acme","plan":"starter",)"
                                                R"("homeRegion":"eu-west-1","isolation":"rls",)"
                                                R"("ownerEmail":"a@b.example"})")
                                  << 400 << QStringLiteral("slug");
        QTest::newRow("bad isolation")
            << json
            << QByteArray(R"({"slug":"acme","name":"Acme","plan":"starter",)"
                          R"("homeRegion":"eu-west-1","isolation":"shared",)"
                          R"("ownerEmail":"a@b.example"})")
            << 400 << QStringLiteral("isolation");
        QTest::newRow("name not a string")
            << json
            << QByteArray(R"({"slug":"acme","name":7,"plan":"starter",)"
                          R"("homeRegion":"eu-west-1","isolation":"rls",)"
                          R"("ownerEmail":"a@b.example"})")
            << 400 << QStringLiteral("name");
        QTest::newRow("trial not a bool")
            << json << with(R"(,"trial":"yes")") << 400 << QStringLiteral("trial");
        QTest::newRow("kind unknown")
            << json << with(R"(,"kind":"department")") << 400 << QStringLiteral("kind");
        QTest::newRow("parent not a slug")
            << json << with(R"(,"parent":5)") << 400 << QStringLiteral("parent");
        QTest::newRow("regions not strings")
            << json << with(R"(,"allowedRegions":[1])") << 400 << QStringLiteral("allowedRegions");
        QTest::newRow("region garbage") << json << with(R"(,"allowedRegions":["EU WEST"])") << 400
                                        << QStringLiteral("allowedRegions");
        QTest::newRow("config not an object")
            << json << with(R"(,"config":[])") << 400 << QStringLiteral("config");
        QTest::newRow("config key garbage")
            << json << with(R"(,"config":{"a b\n":1})") << 400 << QStringLiteral("config");
        QTest::newRow("limits not an object")
            << json << with(R"(,"limits":5)") << 400 << QStringLiteral("limits");
        QTest::newRow("unknown field")
            << json << with(R"(,"owner":"x")") << 400 << QStringLiteral("owner");
        QTest::newRow("plan garbage") << json
                                      << QByteArray(R"({"slug":"acme","name":"Acme","plan":"<b>",)"
                                                    R"("homeRegion":"eu-west-1","isolation":"rls",)"
                                                    R"("ownerEmail":"a@b.example"})")
                                      << 400 << QStringLiteral("plan");
        QTest::newRow("array") << json << QByteArray("[]") << 400 << QString();
        QTest::newRow("garbage") << json << QByteArray("slug=acme") << 400 << QString();
        QTest::newRow("form") << QByteArray("application/x-www-form-urlencoded")
                              << QByteArray("slug=acme") << 415 << QStringLiteral("Content-Type");
        QTest::newRow("no type") << QByteArray() << with("") << 415
                                 << QStringLiteral("Content-Type");
        QTest::newRow("merge patch type") << QByteArray("application/merge-patch+json") << with("")
                                          << 415 << QStringLiteral("Content-Type");
        QTest::newRow("charset") << QByteArray("application/json; charset=utf-8") << with("") << 0
                                 << QString();
        QTest::newRow("large") << json << QByteArray(70000, ' ') << 413 << QString();
    }

    void newTenantBodies()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, field);
        const auto parsed = parseNewTenant(contentType, body, 64 * 1024);
        if (status == 0) {
            const Problem *problem = std::get_if<Problem>(&parsed);
            QVERIFY2(!problem, problem ? qPrintable(problem->detail) : "");
            return;
        }
        QVERIFY(std::holds_alternative<Problem>(parsed));
        const Problem problem = std::get<Problem>(parsed);
        QCOMPARE(problem.status, status);
        if (!field.isEmpty())
            QVERIFY2(problem.detail.startsWith(field) ||
                         problem.detail.contains(QStringLiteral(": ") + field),
                     qPrintable(problem.detail));
    }

    void newTenantValues()
    {
        const auto parsed = parseNewTenant(
            "application/json",
            R"({"slug":"acme-team","name":"Acme Team","plan":"growth","homeRegion":"eu-west-1",)"
            R"("isolation":"database","ownerEmail":"o@acme.example","kind":"team",)"
            R"("parent":"acme","allowedRegions":["eu-west-1"],"trial":false,)"
            R"("limits":{"seats":9}})",
            64 * 1024);
        QVERIFY(std::holds_alternative<tenancy::NewTenant>(parsed));
        const tenancy::NewTenant tenant = std::get<tenancy::NewTenant>(parsed);
        QCOMPARE(tenant.slug, QStringLiteral("acme-team"));
        QCOMPARE(tenant.displayName, QStringLiteral("Acme Team"));
        QCOMPARE(tenant.plan, QStringLiteral("growth"));
        QCOMPARE(tenant.isolation, tenancy::IsolationStrategy::Database);
        QCOMPARE(tenant.kind, tenancy::TenantKind::Team);
        QCOMPARE(tenant.parentSlug, QStringLiteral("acme"));
        QCOMPARE(tenant.allowedRegions, QStringList{QStringLiteral("eu-west-1")});
        QCOMPARE(tenant.limits.value(QStringLiteral("seats")).toInt(), 9);
        QVERIFY(!tenant.trial);
        const auto defaults =
            parseNewTenant("application/json",
                           R"({"slug":"acme","name":"A","plan":"starter","homeRegion":"eu-west-1",)"
                           R"("isolation":"rls","ownerEmail":"o@acme.example"})",
                           64 * 1024);
        QVERIFY(std::get<tenancy::NewTenant>(defaults).trial);
        QCOMPARE(std::get<tenancy::NewTenant>(defaults).kind, tenancy::TenantKind::Organization);
    }

    void tenantUpdateBodies()
    {
        auto parse = [](const QByteArray &type, const QByteArray &body) {
            return parseTenantUpdate(type, body, 64 * 1024);
        };
        const auto replace =
            parse("application/json", R"({"name":"New","config":{"locale":"de"},"limits":null})");
        QVERIFY(std::holds_alternative<TenantUpdate>(replace));
        const TenantUpdate r = std::get<TenantUpdate>(replace);
        QCOMPARE(*r.patch.displayName, QStringLiteral("New"));
        QCOMPARE(*r.patch.config, (QJsonObject{{QStringLiteral("locale"), QStringLiteral("de")}}));
        QCOMPARE(*r.patch.limits, QJsonObject());
        QVERIFY(!r.patch.plan && !r.patch.features && !r.needsCurrent());

        const auto merge = parse("application/merge-patch+json",
                                 R"({"ownerName":null,"config":{"locale":null,"timezone":"UTC"}})");
        QVERIFY(std::holds_alternative<TenantUpdate>(merge));
        const TenantUpdate m = std::get<TenantUpdate>(merge);
        QCOMPARE(*m.patch.ownerName, QString());
        QVERIFY(m.needsCurrent());
        tenancy::Tenant current;
        current.config = QJsonObject{{QStringLiteral("locale"), QStringLiteral("fr")},
                                     {QStringLiteral("brandColor"), QStringLiteral("#000000")}};
        const tenancy::TenantPatch resolved = resolveUpdate(m, current);
        QCOMPARE(*resolved.config,
                 (QJsonObject{{QStringLiteral("timezone"), QStringLiteral("UTC")},
                              {QStringLiteral("brandColor"), QStringLiteral("#000000")}}));
        QVERIFY(!resolved.limits);

        struct Refused
        {
            QByteArray type;
            QByteArray body;
            int status;
            QString field;
        };
        const Refused refusals[] = {
            {"application/json", "{}", 400, {}},
            {"application/json", R"({"name":null})", 400, QStringLiteral("name")},
            {"application/json", R"({"plan":3})", 400, QStringLiteral("plan")},
            {"application/json", R"({"slug":"other"})", 400, QStringLiteral("slug")},
            {"application/json", R"({"state":"active"})", 400, QStringLiteral("state")},
            {"application/json", R"({"features":"sso"})", 400, QStringLiteral("features")},
            {"application/json", R"({"allowedRegions":"eu-west-1"})", 400,
             QStringLiteral("allowedRegions")},
            {"text/plain", R"({"name":"x"})", 415, QStringLiteral("Content-Type")},
            {"application/json", QByteArray(70000, ' '), 413, {}},
        };
        for (const Refused &refused : refusals) {
            const auto parsed = parse(refused.type, refused.body);
            QVERIFY2(std::holds_alternative<Problem>(parsed), refused.body.left(80).constData());
            const Problem problem = std::get<Problem>(parsed);
            QCOMPARE(problem.status, refused.status);
            QVERIFY2(problem.detail.contains(refused.field), qPrintable(problem.detail));
        }
    }

    void jsonMergePatch()
    {
        // RFC 7396 appendix A, a selection.
        auto doc = [](const char *text) {
            return QJsonDocument::fromJson(QByteArray(text)).object();
        };
        QCOMPARE(mergePatch(doc(R"({"a":"b"})"), doc(R"({"a":"c"})")).toObject(),
                 doc(R"({"a":"c"})"));
        QCOMPARE(mergePatch(doc(R"({"a":"b"})"), doc(R"({"b":"c"})")).toObject(),
                 doc(R"({"a":"b","b":"c"})"));
        QCOMPARE(mergePatch(doc(R"({"a":"b","b":"c"})"), doc(R"({"a":null})")).toObject(),
                 doc(R"({"b":"c"})"));
        QCOMPARE(
            mergePatch(doc(R"({"a":{"b":"c"}})"), doc(R"({"a":{"b":"d","c":null}})")).toObject(),
            doc(R"({"a":{"b":"d"}})"));
        QCOMPARE(mergePatch(doc(R"({"a":[{"b":"c"}]})"), doc(R"({"a":[1]})")).toObject(),
                 doc(R"({"a":[1]})"));
        QCOMPARE(mergePatch(doc(R"({"e":null})"), doc(R"({"a":1})")).toObject(),
                 doc(R"({"e":null,"a":1})"));
    }

    void moveAndActionBodies()
    {
        const auto both = parseTenantMove(
            "application/json", R"({"isolation":"schema","homeRegion":"eu-west-1"})", 4096);
        QVERIFY(std::holds_alternative<TenantMoveRequest>(both));
        QCOMPARE(*std::get<TenantMoveRequest>(both).isolation, tenancy::IsolationStrategy::Schema);
        QCOMPARE(*std::get<TenantMoveRequest>(both).homeRegion, QStringLiteral("eu-west-1"));
        const auto none = parseTenantMove("application/json", "{}", 4096);
        QVERIFY(std::holds_alternative<Problem>(none));
        QVERIFY(std::get<Problem>(none).detail.startsWith(QStringLiteral("isolation")));
        const auto bad = parseTenantMove("application/json", R"({"isolation":"shards"})", 4096);
        QVERIFY(std::get<Problem>(bad).detail.startsWith(QStringLiteral("isolation")));

        QVERIFY(!checkNoBody({}, {}));
        QVERIFY(!checkNoBody("application/json", "{}"));
        QCOMPARE(checkNoBody("application/json", R"({"force":true})")->status, 400);
        QCOMPARE(checkNoBody("text/plain", "now")->status, 415);
    }

    void ifMatchHeaders()
    {
        auto parse = [](QList<QByteArray> values) { return parseIfMatch(values); };
        QVERIFY(!std::get<IfMatch>(parse({})).present);
        QVERIFY(std::get<IfMatch>(parse({})).matches(7));
        const IfMatch one = std::get<IfMatch>(parse({"\"7\""}));
        QVERIFY(one.present && one.matches(7) && !one.matches(8));
        const IfMatch list = std::get<IfMatch>(parse({"\"3\", \"8\""}));
        QVERIFY(list.matches(3) && list.matches(8) && !list.matches(7));
        QVERIFY(std::get<IfMatch>(parse({"*"})).matches(42));
        QVERIFY(!std::get<IfMatch>(parse({"W/\"7\""})).matches(7)); // strong comparison
        QVERIFY(!std::get<IfMatch>(parse({"\"abc\""})).matches(7));
        for (const QByteArray &bad :
             {QByteArray("7"), QByteArray("\"7"), QByteArray("\"7\"x\""), QByteArray("")}) {
            const auto parsed = parse({bad});
            QVERIFY2(std::holds_alternative<Problem>(parsed), bad.constData());
            QVERIFY(std::get<Problem>(parsed).detail.startsWith(QStringLiteral("If-Match")));
        }
        QCOMPARE(versionETag(12), QByteArray("\"12\""));
    }

    void tenantListQueries()
    {
        const auto parsed = parseTenantListQuery(
            QUrlQuery(QStringLiteral("state=suspended&plan=growth&region=eu-west-1&isolation=schema"
                                     "&parent=acme&q=co%20rp&sort=created&order=desc&limit=5"
                                     "&offset=10")));
        QVERIFY(std::holds_alternative<tenancy::TenantQuery>(parsed));
        const tenancy::TenantQuery query = std::get<tenancy::TenantQuery>(parsed);
        QCOMPARE(*query.state, tenancy::TenantState::Suspended);
        QCOMPARE(query.plan, QStringLiteral("growth"));
        QCOMPARE(query.region, QStringLiteral("eu-west-1"));
        QCOMPARE(*query.isolation, tenancy::IsolationStrategy::Schema);
        QCOMPARE(query.parentSlug, QStringLiteral("acme"));
        QCOMPARE(query.search, QStringLiteral("co rp"));
        QCOMPARE(query.sort, tenancy::TenantSort::Created);
        QVERIFY(query.descending);
        QCOMPARE(query.limit, 5);
        QCOMPARE(query.offset, 10);
        const tenancy::TenantQuery defaults =
            std::get<tenancy::TenantQuery>(parseTenantListQuery(QUrlQuery()));
        QCOMPARE(defaults.limit, 100);
        QCOMPARE(defaults.offset, 0);
        QCOMPARE(defaults.sort, tenancy::TenantSort::Slug);
        QVERIFY(!defaults.descending && !defaults.includeDeleted);

        const std::pair<const char *, QStringList> refusals[] = {
            {"color=red", {QStringLiteral("color")}},
            {"cursor=x&tenant=y", {QStringLiteral("cursor"), QStringLiteral("tenant")}},
            {"state=active&state=trial", {QStringLiteral("state")}},
            {"state=frozen", {QStringLiteral("state")}},
            {"isolation=shared", {QStringLiteral("isolation")}},
            {"sort=owner", {QStringLiteral("sort")}},
            {"order=up", {QStringLiteral("order")}},
            {"limit=0", {QStringLiteral("limit")}},
            {"limit=1001", {QStringLiteral("limit")}},
            {"limit=-1", {QStringLiteral("limit")}},
            {"limit=1e2", {QStringLiteral("limit")}},
            {"offset=-1", {QStringLiteral("offset")}},
            {"offset=99999999999", {QStringLiteral("offset")}},
            {"parent=A!", {QStringLiteral("parent")}},
            {"q=", {QStringLiteral("q")}},
            {"region=EU%20WEST", {QStringLiteral("region")}},
        };
        for (const auto &[text, names] : refusals) {
            const auto refused = parseTenantListQuery(QUrlQuery(QString::fromLatin1(text)));
            QVERIFY2(std::holds_alternative<QueryError>(refused), text);
            const QueryError error = std::get<QueryError>(refused);
            QCOMPARE(error.parameters, names);
            for (const QString &name : names)
                QVERIFY2(error.detail.contains(name), qPrintable(error.detail));
        }
    }

    void tenantJsonShape()
    {
        tenancy::Tenant tenant;
        tenant.id = QUuid(QStringLiteral("0190a1b2-0000-7000-8000-00000000abcd"));
        tenant.slug = QStringLiteral("acme");
        tenant.displayName = QStringLiteral("Acme");
        tenant.kind = tenancy::TenantKind::SubOrganization;
        tenant.plan = QStringLiteral("growth");
        tenant.state = tenancy::TenantState::Suspended;
        tenant.homeRegion = QStringLiteral("eu-west-1");
        tenant.allowedRegions = {QStringLiteral("eu-west-1")};
        tenant.isolation = tenancy::IsolationStrategy::Schema;
        tenant.provisioning = tenancy::Provisioning::Ready;
        tenant.createdAt = QDateTime(QDate(2026, 3, 14), QTime(15, 9, 26, 535), Qt::UTC);
        tenant.suspendedAt = tenant.createdAt.addSecs(60);
        tenant.version = 4;
        const QJsonObject json = tenantJson(tenant, QStringLiteral("acme-holding"));
        const QStringList keys =
            QStringLiteral("id slug name kind parent plan state trialEndsAt homeRegion "
                           "allowedRegions isolation provisioning config limits features ownerName "
                           "ownerEmail createdAt updatedAt suspendedAt canceledAt "
                           "deletionRequestedAt purgeAfter deletedAt version")
                .split(QLatin1Char(' '));
        QStringList actual = json.keys();
        QStringList expected = keys;
        actual.sort();
        expected.sort();
        QCOMPARE(actual, expected);
        QCOMPARE(json.value(QStringLiteral("id")).toString(),
                 QStringLiteral("0190a1b2-0000-7000-8000-00000000abcd"));
        QCOMPARE(json.value(QStringLiteral("kind")).toString(), QStringLiteral("sub-organization"));
        QCOMPARE(json.value(QStringLiteral("parent")).toString(), QStringLiteral("acme-holding"));
        QCOMPARE(json.value(QStringLiteral("state")).toString(), QStringLiteral("suspended"));
        QCOMPARE(json.value(QStringLiteral("isolation")).toString(), QStringLiteral("schema"));
        QCOMPARE(json.value(QStringLiteral("createdAt")).toString(),
                 QStringLiteral("2026-03-14T15:09:26.535Z"));
        QCOMPARE(json.value(QStringLiteral("suspendedAt")).toString(),
                 QStringLiteral("2026-03-14T15:10:26.535Z"));
        QVERIFY(json.value(QStringLiteral("trialEndsAt")).isNull());
        QVERIFY(json.value(QStringLiteral("canceledAt")).isNull());
        for (const char *unset : {"deletionRequestedAt", "purgeAfter", "deletedAt"})
            QVERIFY(json.value(QLatin1String(unset)).isNull());
        tenancy::Tenant scheduled = tenant;
        scheduled.deletionRequestedAt = tenant.createdAt;
        scheduled.purgeAfter = tenant.createdAt.addDays(30);
        scheduled.deletedAt = tenant.createdAt.addDays(31);
        const QJsonObject deletion = tenantJson(scheduled, {});
        QCOMPARE(deletion.value(QStringLiteral("deletionRequestedAt")).toString(),
                 QStringLiteral("2026-03-14T15:09:26.535Z"));
        QCOMPARE(deletion.value(QStringLiteral("purgeAfter")).toString(),
                 QStringLiteral("2026-04-13T15:09:26.535Z"));
        QCOMPARE(deletion.value(QStringLiteral("deletedAt")).toString(),
                 QStringLiteral("2026-04-14T15:09:26.535Z"));
        QCOMPARE(json.value(QStringLiteral("version")).toInteger(), 4);
        QVERIFY(tenantJson(tenant, {}).value(QStringLiteral("parent")).isNull());

        tenancy::EffectiveSettings settings;
        settings.limits = {25, 1000, 600};
        settings.features.insert(QStringLiteral("sso"), true);
        settings.config = QJsonObject{{QStringLiteral("locale"), QStringLiteral("en-US")}};
        const QJsonObject effective = effectiveSettingsJson(settings);
        QCOMPARE(effective.value(QStringLiteral("limits"))
                     .toObject()
                     .value(QStringLiteral("seats"))
                     .toInteger(),
                 25);
        QVERIFY(effective.value(QStringLiteral("features"))
                    .toObject()
                    .value(QStringLiteral("sso"))
                    .toBool());
        QCOMPARE(effective.value(QStringLiteral("config")).toObject(), settings.config);
    }

    void registryErrorsBecomeProblems()
    {
        auto error = [](ErrorCode code, const char *message) {
            return makeError(code, QString::fromLatin1(message));
        };
        // Validation: 400 naming the field; nothing was recorded by the registry.
        RegistryFailure f = registryFailure(
            TenantOperation::Create,
            error(ErrorCode::InvalidInput, "config.timezone: must be an IANA time zone"), false);
        QCOMPARE(f.problem.status, 400);
        QCOMPARE(f.problem.extensions.value(QStringLiteral("field")).toString(),
                 QStringLiteral("config.timezone"));
        QVERIFY(!f.recordedByRegistry);
        // The slug is taken.
        f = registryFailure(TenantOperation::Create,
                            error(ErrorCode::Conflict, "slug: tenant acme already exists"), false);
        QCOMPARE(f.problem.status, 409);
        QCOMPARE(f.problem.slug, QStringLiteral("tenant-exists"));
        QVERIFY(!f.recordedByRegistry);
        // A refused lifecycle action: recorded by the registry, the API adds nothing.
        f = registryFailure(
            TenantOperation::Transition,
            error(ErrorCode::Conflict, "tenant acme cannot suspend: it is already suspended"),
            false);
        QCOMPARE(f.problem.status, 409);
        QCOMPARE(f.problem.slug, QStringLiteral("tenant-state-conflict"));
        QCOMPARE(f.problem.detail,
                 QStringLiteral("tenant acme cannot suspend: it is already suspended"));
        QVERIFY(f.recordedByRegistry);
        // A stale version: 412 with If-Match, refused before recording.
        const Error stale = error(ErrorCode::Conflict,
                                  "tenant acme changed since version 3 (now 4); reload and retry");
        QVERIFY(isUnrecordedStaleVersion(stale));
        for (const TenantOperation op : {TenantOperation::Update, TenantOperation::Transition}) {
            f = registryFailure(op, stale, true);
            QCOMPARE(f.problem.status, 412);
            QVERIFY(!f.recordedByRegistry);
            QCOMPARE(registryFailure(op, stale, false).problem.status, 409);
        }
        // The race after the update's event was recorded (and corrected by the registry).
        const Error meanwhile =
            error(ErrorCode::Conflict, "tenant acme changed meanwhile; reload and retry");
        QVERIFY(!isUnrecordedStaleVersion(meanwhile));
        f = registryFailure(TenantOperation::Update, meanwhile, true);
        QCOMPARE(f.problem.status, 412);
        QVERIFY(f.recordedByRegistry);
        // Not found.
        f = registryFailure(TenantOperation::Update, error(ErrorCode::NotFound, "no tenant acme"),
                            false);
        QCOMPARE(f.problem.status, 404);
        QVERIFY(!f.recordedByRegistry);
        // The database or the audit log did not answer: 503, the registry's text not repeated.
        f = registryFailure(TenantOperation::Create,
                            error(ErrorCode::Unavailable,
                                  "database unreachable: connection to 10.0.0.7 port 5432 failed"),
                            false);
        QCOMPARE(f.problem.status, 503);
        QCOMPARE(f.problem.slug, QStringLiteral("tenancy-unavailable"));
        QVERIFY(!f.problem.detail.contains(QStringLiteral("10.0.0.7")));
        f = registryFailure(TenantOperation::Transition,
                            error(ErrorCode::Unavailable,
                                  "the audit log could not record tenant.suspend, so nothing was "
                                  "changed: timeout"),
                            false);
        QCOMPARE(f.problem.slug, QStringLiteral("audit-unavailable"));
        QCOMPARE(registryFailure(TenantOperation::Read, error(ErrorCode::Internal, "boom"), false)
                     .problem.status,
                 500);
    }

    void deletionQueries()
    {
        auto days = [](const char *text) {
            const auto parsed = parseDeletionQuery(QUrlQuery(QString::fromLatin1(text)));
            return std::holds_alternative<int>(parsed) ? std::get<int>(parsed) : -1;
        };
        QCOMPARE(days(""), 30);
        QCOMPARE(days("retentionDays=1"), 1);
        QCOMPARE(days("retentionDays=7"), 7);
        QCOMPARE(days("retentionDays=365"), 365);
        QCOMPARE(days("retentionDays=030"), 30);

        const std::pair<const char *, QStringList> refusals[] = {
            {"retentionDays=0", {QStringLiteral("retentionDays")}},
            {"retentionDays=366", {QStringLiteral("retentionDays")}},
            {"retentionDays=x", {QStringLiteral("retentionDays")}},
            {"retentionDays=", {QStringLiteral("retentionDays")}},
            {"retentionDays", {QStringLiteral("retentionDays")}},
            {"retentionDays=-5", {QStringLiteral("retentionDays")}},
            {"retentionDays=1e2", {QStringLiteral("retentionDays")}},
            {"retentionDays=%2B7", {QStringLiteral("retentionDays")}},
            {"retentionDays=99999999999", {QStringLiteral("retentionDays")}},
            {"retentionDays=7&retentionDays=8", {QStringLiteral("retentionDays")}},
            {"retention=7", {QStringLiteral("retention")}},
            {"force=1&retentionDays=7", {QStringLiteral("force")}},
        };
        for (const auto &[text, names] : refusals) {
            const auto refused = parseDeletionQuery(QUrlQuery(QString::fromLatin1(text)));
            QVERIFY2(std::holds_alternative<QueryError>(refused), text);
            const QueryError error = std::get<QueryError>(refused);
            QCOMPARE(error.parameters, names);
            QVERIFY2(error.detail.startsWith(names.first()) || error.detail.contains(names.first()),
                     qPrintable(error.detail));
        }
    }

    void exportBodies()
    {
        auto mask = [](const QByteArray &contentType, const QByteArray &body) {
            const auto parsed = parseTenantExport(contentType, body, kMaxTenantExportRequestBytes);
            return std::holds_alternative<TenantExportRequest>(parsed)
                       ? std::optional<bool>(std::get<TenantExportRequest>(parsed).mask)
                       : std::nullopt;
        };
        QCOMPARE(mask({}, {}), std::optional<bool>(false));
        QCOMPARE(mask("application/json", "{}"), std::optional<bool>(false));
        QCOMPARE(mask("application/json", R"({"mask":true})"), std::optional<bool>(true));
        QCOMPARE(mask("application/json; charset=utf-8", R"({"mask":false})"),
                 std::optional<bool>(false));
        QCOMPARE(mask("application/json", R"({"mask":null})"), std::optional<bool>(false));

        auto problem = [](const QByteArray &contentType, const QByteArray &body) {
            const auto parsed = parseTenantExport(contentType, body, kMaxTenantExportRequestBytes);
            return std::holds_alternative<Problem>(parsed) ? std::get<Problem>(parsed) : Problem{};
        };
        Problem refused = problem("application/json", R"({"mask":"yes"})");
        QCOMPARE(refused.status, 400);
        QVERIFY(refused.detail.startsWith(QStringLiteral("mask:")));
        QCOMPARE(refused.extensions.value(QStringLiteral("field")).toString(),
                 QStringLiteral("mask"));
        QCOMPARE(problem("application/json", R"({"mask":1})").status, 400);
        refused = problem("application/json", R"({"masked":true})");
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.extensions.value(QStringLiteral("fields")).toArray(),
                 QJsonArray{QStringLiteral("masked")});
        QCOMPARE(problem("application/json", "[true]").status, 400);
        QCOMPARE(problem("application/json", "mask=true").status, 400);
        QCOMPARE(problem("text/plain", R"({"mask":true})").status, 415);
        QCOMPARE(problem("application/json",
                         "{\"mask\":true}" + QByteArray(kMaxTenantExportRequestBytes, ' '))
                     .status,
                 413);
    }

    void exportDirectoriesAndAnswers()
    {
        const QDateTime at(QDate(2026, 3, 14), QTime(15, 9, 26, 535), Qt::UTC);
        QCOMPARE(exportDirectoryName(QStringLiteral("acme"), at, QByteArray::fromHex("deadbeef")),
                 QStringLiteral("acme-20260314T150926Z-deadbeef"));
        // Always UTC, whatever zone the clock's time is in.
        QCOMPARE(exportDirectoryName(QStringLiteral("acme"), at.toOffsetFromUtc(2 * 3600),
                                     QByteArray::fromHex("00000001")),
                 QStringLiteral("acme-20260314T150926Z-00000001"));

        tenancy::ExportReport report;
        report.directory = QStringLiteral("/exports/acme-20260314T150926Z-deadbeef");
        report.rows.insert(QStringLiteral("users"), 4);
        report.rows.insert(QStringLiteral("goals"), 0);
        const QJsonObject manifest{
            {QStringLiteral("format"), QStringLiteral("upcoach-tenant-export/1")}};
        const QJsonObject json = tenantExportJson(report, manifest);
        QCOMPARE(json.keys(), (QStringList{QStringLiteral("directory"), QStringLiteral("manifest"),
                                           QStringLiteral("rows")}));
        QCOMPARE(json.value(QStringLiteral("directory")).toString(), report.directory);
        QCOMPARE(json.value(QStringLiteral("manifest")).toObject(), manifest);
        QCOMPARE(json.value(QStringLiteral("rows")).toObject(),
                 (QJsonObject{{QStringLiteral("users"), 4}, {QStringLiteral("goals"), 0}}));
    }

    void deletionAndExportErrorsBecomeProblems()
    {
        auto error = [](ErrorCode code, const char *message) {
            return makeError(code, QString::fromLatin1(message));
        };
        // Refused before the registry recorded anything: the API records the failure.
        for (const auto &[op, message] :
             {std::pair{TenantOperation::Delete,
                        "tenant acme is already scheduled for deletion on 2026-04-13T15:09:26"},
              std::pair{TenantOperation::Delete, "tenant acme was deleted"},
              std::pair{TenantOperation::Restore, "tenant acme is not scheduled for deletion"},
              std::pair{TenantOperation::Restore,
                        "tenant acme was already purged; it cannot be restored"},
              std::pair{TenantOperation::Export, "tenant acme was deleted"}}) {
            const RegistryFailure f =
                registryFailure(op, error(ErrorCode::Conflict, message), false);
            QCOMPARE(f.problem.status, 409);
            QCOMPARE(f.problem.slug, QStringLiteral("tenant-state-conflict"));
            QCOMPARE(f.problem.detail, QString::fromLatin1(message));
            QVERIFY(!f.recordedByRegistry);
        }
        for (const TenantOperation op :
             {TenantOperation::Delete, TenantOperation::Restore, TenantOperation::Export}) {
            const RegistryFailure f =
                registryFailure(op, error(ErrorCode::NotFound, "no tenant acme"), false);
            QCOMPARE(f.problem.status, 404);
            QVERIFY(!f.recordedByRegistry);
        }
        // The deletion's race after its event (the registry corrected it).
        RegistryFailure f = registryFailure(
            TenantOperation::Delete,
            error(ErrorCode::Conflict, "tenant acme changed meanwhile; retry"), false);
        QCOMPARE(f.problem.status, 409);
        QCOMPARE(f.problem.slug, QStringLiteral("tenant-changed"));
        QVERIFY(f.recordedByRegistry);
        // An export that failed after tenant.export was recorded: 503, paths not repeated.
        f = registryFailure(
            TenantOperation::Export,
            error(ErrorCode::Unavailable, "writing the users files in /srv/exports/acme-x failed"),
            false);
        QCOMPARE(f.problem.status, 503);
        QCOMPARE(f.problem.slug, QStringLiteral("tenant-export-failed"));
        QVERIFY(!f.problem.detail.contains(QStringLiteral("/srv")));
        QVERIFY(f.recordedByRegistry);
        f = registryFailure(TenantOperation::Export,
                            error(ErrorCode::Unavailable,
                                  "the audit log could not record tenant.export, so nothing was "
                                  "changed: timeout"),
                            false);
        QCOMPARE(f.problem.slug, QStringLiteral("audit-unavailable"));
        // The API's own directory or options refused: a bug, not the caller's.
        f = registryFailure(TenantOperation::Export,
                            error(ErrorCode::InvalidInput, "directory: /x exists and is not empty"),
                            false);
        QCOMPARE(f.problem.status, 500);
        QVERIFY(!f.problem.detail.contains(QStringLiteral("/x")));
        QCOMPARE(tenantExportUnavailable().status, 503);
        QCOMPARE(tenantExportUnavailable().slug, QStringLiteral("tenant-export-unavailable"));
    }

    void fieldNames()
    {
        QCOMPARE(fieldOf(QStringLiteral("slug: taken")), QStringLiteral("slug"));
        QCOMPARE(fieldOf(QStringLiteral("config.timezone: bad")),
                 QStringLiteral("config.timezone"));
        QCOMPARE(fieldOf(QStringLiteral("config.allowedEmailDomains[2]: bad")),
                 QStringLiteral("config.allowedEmailDomains[2]"));
        QCOMPARE(fieldOf(QStringLiteral("nothing to change")), QString());
        QCOMPARE(fieldOf(QStringLiteral("tenant acme already uses rls in eu-west-1")), QString());
    }

    // ---- tenant operations routes (tenantopsroutes.h) ----

    void impersonationBodies()
    {
        const QByteArray json = "application/json";
        auto parse = [&](const char *body) {
            return parseImpersonationRequest(json, QByteArray(body), 4096);
        };
        // A bare email is the user it names; the duration defaults to 30 minutes.
        auto parsed = parse(R"({"subject":"ada@acme.example","reason":"Cannot see her goals",)"
                            R"("ticket":"SUP-12"})");
        QVERIFY(std::holds_alternative<tenancy::ImpersonationRequest>(parsed));
        auto request = std::get<tenancy::ImpersonationRequest>(parsed);
        QCOMPARE(request.subject, QStringLiteral("user:ada@acme.example"));
        QCOMPARE(request.duration, std::chrono::minutes(30));
        QVERIFY(request.tenantSlug.isEmpty());
        parsed = parse(R"({"subject":"user:ada@acme.example","reason":"Cannot see her goals",)"
                       R"("ticket":"SUP-12","durationMinutes":240})");
        QCOMPARE(std::get<tenancy::ImpersonationRequest>(parsed).duration,
                 std::chrono::minutes(240));
        QCOMPARE(std::get<tenancy::ImpersonationRequest>(parsed).subject,
                 QStringLiteral("user:ada@acme.example"));
        // Refusals name the field and never repeat the value.
        const std::pair<const char *, const char *> refused[] = {
            {R"({"subject":"user:user:x","reason":"Cannot see her goals","ticket":"SUP-1"})",
             "subject"},
            {R"({"subject":"a@b.example","reason":"short","ticket":"SUP-1"})", "reason"},
            {R"({"subject":"a@b.example","reason":"Cannot see her goals","ticket":"<script>"})",
             "ticket"},
            {R"({"subject":"a@b.example","reason":"Cannot see her goals","ticket":"SUP-1",)"
             R"("durationMinutes":1e9})",
             "durationMinutes"},
        };
        for (const auto &[body, field] : refused) {
            parsed = parse(body);
            QVERIFY2(std::holds_alternative<Problem>(parsed), body);
            const Problem problem = std::get<Problem>(parsed);
            QCOMPARE(problem.status, 400);
            QCOMPARE(problem.extensions.value(QStringLiteral("field")).toString(),
                     QString::fromLatin1(field));
            QVERIFY(!problem.detail.contains(QStringLiteral("script")));
        }
        QCOMPARE(
            std::get<Problem>(parseImpersonationRequest(json, QByteArray(5000, ' '), 4096)).status,
            413);
    }

    void tenantUserBodiesAndQueries()
    {
        auto user = parseNewTenantUser("application/json; charset=utf-8",
                                       R"({"email":"a@b.example","displayName":" Ada ",)"
                                       R"("role":"admin"})",
                                       4096);
        QVERIFY(std::holds_alternative<tenancy::NewTenantUser>(user));
        QCOMPARE(std::get<tenancy::NewTenantUser>(user).role, QStringLiteral("admin"));
        user = parseNewTenantUser("application/json", R"({"email":"a@b.example"})", 4096);
        QCOMPARE(std::get<Problem>(user).extensions.value(QStringLiteral("fields")).toArray(),
                 (QJsonArray{QStringLiteral("displayName"), QStringLiteral("role")}));

        auto query = parseTenantUserQuery(QUrlQuery(QStringLiteral("search=&role=&offset=7")));
        QVERIFY(std::holds_alternative<tenancy::TenantUserQuery>(query));
        QCOMPARE(std::get<tenancy::TenantUserQuery>(query).limit, kDefaultTenantUserPageSize);
        QCOMPARE(std::get<tenancy::TenantUserQuery>(query).offset, 7);
        query = parseTenantUserQuery(QUrlQuery(QStringLiteral("limit=1&limit=2")));
        QCOMPARE(std::get<QueryError>(query).parameters, QStringList{QStringLiteral("limit")});
        auto open = parseImpersonationListQuery(QUrlQuery(QStringLiteral("open=true&limit=500")));
        QVERIFY(std::get<ImpersonationListQuery>(open).openOnly);
        QCOMPARE(std::get<ImpersonationListQuery>(open).limit, 500);
        QVERIFY(std::holds_alternative<QueryError>(
            parseUsageQuery(QUrlQuery(QStringLiteral("fresh=1")))));
        QVERIFY(std::get<bool>(parseUsageQuery(QUrlQuery(QStringLiteral("fresh=true")))));
    }

    void impersonationAndKeyJson()
    {
        tenancy::Impersonation i;
        i.id = QUuid::createUuid();
        i.tenantSlug = QStringLiteral("acme");
        i.operatorActor = QStringLiteral("token:t1");
        i.subject = QStringLiteral("user:ada@acme.example");
        i.startedAt = QDateTime(QDate(2026, 3, 14), QTime(15, 0), Qt::UTC);
        i.expiresAt = i.startedAt.addSecs(1800);
        QJsonObject json = impersonationJson(i, i.startedAt.addSecs(60));
        QVERIFY(json.value(QStringLiteral("open")).toBool());
        QVERIFY(json.value(QStringLiteral("endedBy")).isNull());
        QCOMPARE(json.value(QStringLiteral("expiresAt")).toString(),
                 QStringLiteral("2026-03-14T15:30:00.000Z"));
        QVERIFY(!impersonationJson(i, i.expiresAt).value(QStringLiteral("open")).toBool());

        tenancy::TenantKeyStatus status;
        status.slug = QStringLiteral("acme");
        for (int version : {1, 2}) {
            tenancy::DataKeyInfo key;
            key.version = version;
            key.kekId = QStringLiteral("keyring:k");
            key.kekVersion = 1;
            key.createdAt = i.startedAt;
            status.keys.push_back(key);
        }
        status.currentVersion = 2;
        status.encryptedValues = {{1, 3}, {2, 4}};
        status.pendingReencryption = 3;
        json = keyStatusJson(status);
        QCOMPARE(json.value(QStringLiteral("currentVersion")).toInt(), 2);
        const QJsonArray versions = json.value(QStringLiteral("versions")).toArray();
        QCOMPARE(versions[0].toObject().value(QStringLiteral("encryptedValues")).toInt(), 3);
        QVERIFY(versions[1].toObject().value(QStringLiteral("current")).toBool());
        QCOMPARE(json.value(QStringLiteral("encryptedValues")).toObject(),
                 (QJsonObject{{QStringLiteral("1"), 3}, {QStringLiteral("2"), 4}}));
        QVERIFY(json.value(QStringLiteral("nextRotationDue")).isNull());
        // A purged tenant: no keys, no current version.
        QVERIFY(keyStatusJson(tenancy::TenantKeyStatus{})
                    .value(QStringLiteral("currentVersion"))
                    .isNull());
    }

    void tenantOpsFailures()
    {
        auto error = [](ErrorCode code, const char *message) {
            return makeError(code, QString::fromLatin1(message));
        };
        using Op = TenantOpsOperation;
        // Refused before tenant.user.add was recorded: the API records the refusal.
        RegistryFailure f = tenantOpsFailure(
            Op::AddUser, error(ErrorCode::Conflict,
                               "limits.seats: the limit is 3; 3 used, 1 more would exceed it"));
        QCOMPARE(f.problem.status, 409);
        QCOMPARE(f.problem.slug, QStringLiteral("seat-limit-reached"));
        QCOMPARE(f.problem.extensions.value(QStringLiteral("field")).toString(),
                 QStringLiteral("limits.seats"));
        QVERIFY(!f.recordedByRegistry);
        f = tenantOpsFailure(Op::AddUser,
                             error(ErrorCode::Conflict, "email: already a user of acme"));
        QCOMPARE(f.problem.slug, QStringLiteral("user-exists"));
        QVERIFY(!f.recordedByRegistry);
        f = tenantOpsFailure(Op::AddUser, error(ErrorCode::Forbidden, "tenant acme is suspended"));
        QCOMPARE(f.problem.slug, QStringLiteral("tenant-state-conflict"));
        QVERIFY(!f.recordedByRegistry);
        // Lost a race inside the insert's transaction, after the record (the domain corrects it).
        f = tenantOpsFailure(Op::AddUser,
                             error(ErrorCode::Conflict, "limits.seats: the limit is 3; 3 used, 1 "
                                                        "more would exceed it (the last seat was "
                                                        "taken meanwhile)"));
        QCOMPARE(f.problem.slug, QStringLiteral("seat-limit-reached"));
        QVERIFY(f.recordedByRegistry);
        f = tenantOpsFailure(Op::AddUser,
                             error(ErrorCode::Conflict, "email: became a user of acme meanwhile"));
        QCOMPARE(f.problem.slug, QStringLiteral("user-exists"));
        QVERIFY(f.recordedByRegistry);
        // Refused before recording.
        f = tenantOpsFailure(Op::AddUser,
                             error(ErrorCode::Conflict, "limits.storageBytes: the limit is 10; "
                                                        "9 used, 5 more would exceed it"));
        QCOMPARE(f.problem.slug, QStringLiteral("storage-limit-reached"));
        QVERIFY(!f.recordedByRegistry);
        f = tenantOpsFailure(Op::StartImpersonation,
                             error(ErrorCode::InvalidInput, "duration: 1 minute to 4 hours"));
        QCOMPARE(f.problem.extensions.value(QStringLiteral("field")).toString(),
                 QStringLiteral("durationMinutes"));
        QVERIFY(!f.recordedByRegistry);
        f = tenantOpsFailure(Op::StartImpersonation,
                             error(ErrorCode::NotFound, "subject: acme has no such user"));
        QCOMPARE(f.problem.status, 404);
        QCOMPARE(f.problem.extensions.value(QStringLiteral("field")).toString(),
                 QStringLiteral("subject"));
        f = tenantOpsFailure(Op::EndImpersonation,
                             error(ErrorCode::Conflict, "impersonation x has already ended"));
        QCOMPARE(f.problem.slug, QStringLiteral("impersonation-ended"));
        QVERIFY(!f.recordedByRegistry);
        QVERIFY(tenantOpsFailure(Op::EndImpersonation,
                                 error(ErrorCode::Conflict, "impersonation ended meanwhile"))
                    .recordedByRegistry);
        f = tenantOpsFailure(Op::Overview, error(ErrorCode::Forbidden,
                                                 "impersonation x is not open (it expired); start "
                                                 "a new one"));
        QCOMPARE(f.problem.status, 403);
        QCOMPARE(f.problem.slug, QStringLiteral("impersonation-not-open"));
        // The database's own words are not repeated.
        f = tenantOpsFailure(
            Op::Read, error(ErrorCode::Unavailable, "connection to 10.0.0.7 port 5432 failed"));
        QCOMPARE(f.problem.status, 503);
        QVERIFY(!f.problem.detail.contains(QStringLiteral("10.0.0.7")));
        QCOMPARE(tenantOpsFailure(Op::Read, error(ErrorCode::Forbidden, "statement refused"))
                     .problem.status,
                 500);
    }
};

QTEST_GUILESS_MAIN(TestApiUnit)
#include "test_api_unit.moc"
