// ApiServer end to end over real PostgreSQL clusters, a real RegionMonitor and real tokens:
// probes, metrics, the REST API, the event stream, a region going down, listen errors, drain.
// The test thread is the server's event loop and is marked so that blocking on it fails.
#include "apitestsupport.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTcpServer>

using namespace upcoach;
using namespace upcoach::testing;

namespace {

QJsonObject regionById(const QJsonObject &document, const QString &id)
{
    for (const QJsonValue &region : document.value(QStringLiteral("regions")).toArray()) {
        if (region.toObject().value(QStringLiteral("id")).toString() == id)
            return region.toObject();
    }
    return {};
}

// Every non-comment line of a Prometheus text exposition: name{labels} value.
bool parsePrometheus(const QByteArray &text, QHash<QString, double> *samples, QString *problem)
{
    static const QRegularExpression line(QStringLiteral(
        R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*)?\})? ([-+]?(?:[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?|NaN|Inf))$)"));
    static const QRegularExpression comment(
        QStringLiteral(R"(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$)"));
    for (const QByteArray &raw : text.split('\n')) {
        const QString text_ = QString::fromUtf8(raw);
        if (text_.isEmpty())
            continue;
        if (text_.startsWith(QLatin1Char('#'))) {
            if (!comment.match(text_).hasMatch()) {
                *problem = QStringLiteral("bad comment line: ") + text_;
                return false;
            }
            continue;
        }
        const QRegularExpressionMatch match = line.match(text_);
        if (!match.hasMatch()) {
            *problem = QStringLiteral("bad sample line: ") + text_;
            return false;
        }
        samples->insert(match.captured(1) + match.captured(2), match.captured(3).toDouble());
    }
    return true;
}

} // namespace

class TestApiServer : public QObject
{
    Q_OBJECT
    ApiFixture m_f;
    QNetworkAccessManager m_nam;
    QString m_secondRegion;

    QByteArray bearer(const QByteArray &token) const { return "Bearer " + token; }

private Q_SLOTS:
    void initTestCase()
    {
        const QString error = m_f.start(2);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_secondRegion = m_f.cluster->endpoint(1).regionId;
        // Both regions answered at least once before the readiness tests.
        QTRY_VERIFY_WITH_TIMEOUT(m_f.monitor->latest() && m_f.monitor->latest()->allUp(), 15000);
    }

    void cleanupTestCase() { m_f.stop(); }

    void healthz()
    {
        const HttpReply reply = httpRequest(m_nam, m_f.url(QStringLiteral("/healthz")));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(reply.header("Cache-Control"), QByteArray("no-store"));
    }

    void readyzWhenAllRegionsAreUp()
    {
        const HttpReply reply = httpRequest(m_nam, m_f.url(QStringLiteral("/readyz")));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(QStringLiteral("status")).toString(), QStringLiteral("ready"));
        QCOMPARE(reply.json().value(QStringLiteral("regions")).toArray().size(), 2);
    }

    void unknownRouteAndWrongMethodAreProblems()
    {
        const HttpReply missing = httpRequest(m_nam, m_f.url(QStringLiteral("/nope")));
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.header("Content-Type"), QByteArray("application/problem+json"));
        QCOMPARE(missing.json().value(QStringLiteral("status")).toInt(), 404);
        QCOMPARE(missing.json().value(QStringLiteral("type")).toString(),
                 QStringLiteral("https://upcoach.dev/problems/not-found"));

        const HttpReply wrongMethod =
            httpRequest(m_nam, m_f.url(QStringLiteral("/healthz")), {}, "POST", "{}");
        QCOMPARE(wrongMethod.status, 405);
        QCOMPARE(wrongMethod.header("Content-Type"), QByteArray("application/problem+json"));
        QCOMPARE(wrongMethod.header("Allow"), QByteArray("GET"));
        QCOMPARE(wrongMethod.json().value(QStringLiteral("status")).toInt(), 405);

        // Under /api/ the method is only judged once the caller is authenticated.
        const HttpReply anonymous =
            httpRequest(m_nam, m_f.url(QStringLiteral("/api/v1/regions")), {}, "DELETE");
        QCOMPARE(anonymous.status, 401);
        const HttpReply authenticated = httpRequest(
            m_nam, m_f.url(QStringLiteral("/api/v1/regions")), bearer(m_f.adminToken), "DELETE");
        QCOMPARE(authenticated.status, 405);
    }

    void regionsRequireAValidToken_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::newRow("none") << QByteArray();
        QTest::newRow("empty") << QByteArray("");
        QTest::newRow("basic scheme") << QByteArray("Basic dXNlcjpwYXNz");
        QTest::newRow("malformed") << QByteArray("Bearer not a token");
        QTest::newRow("wrong") << QByteArray("Bearer uco_" + QByteArray(43, 'A'));
        QTest::newRow("wrong shape") << QByteArray("Bearer abc");
        QTest::newRow("revoked") << QByteArray("revoked");
    }

    void regionsRequireAValidToken()
    {
        QFETCH(QByteArray, authorization);
        if (authorization == "revoked")
            authorization = bearer(m_f.revokedToken);
        const HttpReply reply =
            httpRequest(m_nam, m_f.url(QStringLiteral("/api/v1/regions")), authorization);
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.header("Content-Type"), QByteArray("application/problem+json"));
        QCOMPARE(reply.header("WWW-Authenticate"), QByteArray("Bearer realm=\"upcoach-ops\""));
        // One body for every kind of failure: nothing tells a missing token from a revoked one.
        static QByteArray firstBody;
        if (firstBody.isEmpty())
            firstBody = reply.body;
        QCOMPARE(reply.body, firstBody);
        QCOMPARE(reply.json().value(QStringLiteral("status")).toInt(), 401);
    }

    void regionsWithAnIssuedToken()
    {
        for (const QByteArray &token : {m_f.adminToken, m_f.viewerToken}) {
            const HttpReply reply =
                httpRequest(m_nam, m_f.url(QStringLiteral("/api/v1/regions")), bearer(token));
            QCOMPARE(reply.status, 200);
            QCOMPARE(reply.header("Content-Type"), QByteArray("application/json"));
            const QJsonObject document = reply.json();
            QVERIFY(document.value(QStringLiteral("generation")).toInteger() > 0);
            QVERIFY(QDateTime::fromString(document.value(QStringLiteral("takenAt")).toString(),
                                          Qt::ISODateWithMs)
                        .isValid());
            QCOMPARE(document.value(QStringLiteral("regions")).toArray().size(), 2);
            for (int i = 0; i < 2; ++i) {
                const QString id = m_f.cluster->endpoint(i).regionId;
                const QJsonObject region = regionById(document, id);
                const Region *catalog = RegionCatalog::builtin().find(id);
                QVERIFY(catalog);
                QCOMPARE(region.value(QStringLiteral("displayName")).toString(),
                         catalog->displayName);
                QCOMPARE(region.value(QStringLiteral("city")).toString(), catalog->city);
                QCOMPARE(region.value(QStringLiteral("country")).toString(), catalog->country);
                QCOMPARE(region.value(QStringLiteral("continent")).toString(), catalog->continent);
                QCOMPARE(region.value(QStringLiteral("latitude")).toDouble(), catalog->latitude);
                QCOMPARE(region.value(QStringLiteral("longitude")).toDouble(), catalog->longitude);
                QCOMPARE(region.value(QStringLiteral("status")).toString(), QStringLiteral("up"));
                QCOMPARE(region.value(QStringLiteral("role")).toString(),
                         QStringLiteral("primary"));
                QVERIFY(region.value(QStringLiteral("serverVersion"))
                            .toString()
                            .startsWith(QLatin1String("15.")));
                QVERIFY(region.value(QStringLiteral("latencyMs")).toDouble() >= 0);
                QVERIFY(region.value(QStringLiteral("connectMs")).toDouble() > 0);
                QVERIFY(region.value(QStringLiteral("databaseSizeBytes")).toDouble() > 0);
                QVERIFY(region.value(QStringLiteral("connections")).toDouble() >= 1);
                QVERIFY(QDateTime::fromString(region.value(QStringLiteral("checkedAt")).toString(),
                                              Qt::ISODateWithMs)
                            .isValid());
                QVERIFY(region.value(QStringLiteral("statusSince")).isString());
                QVERIFY(region.value(QStringLiteral("error")).isNull());
            }
        }
    }

    void unknownApiPathsNeedATokenToo()
    {
        QCOMPARE(httpRequest(m_nam, m_f.url(QStringLiteral("/api/v2/secret"))).status, 401);
        const HttpReply reply =
            httpRequest(m_nam, m_f.url(QStringLiteral("/api/v2/secret")), bearer(m_f.adminToken));
        QCOMPARE(reply.status, 404);
        QCOMPARE(reply.header("Content-Type"), QByteArray("application/problem+json"));
        // A plain GET of the event stream asks for the upgrade.
        const HttpReply events =
            httpRequest(m_nam, m_f.url(QStringLiteral("/api/v1/events")), bearer(m_f.adminToken));
        QCOMPARE(events.status, 426);
        QCOMPARE(events.header("Upgrade"), QByteArray("websocket"));
    }

    void auditRoutesWithoutAnAuditLogAre503()
    {
        // This fixture wires neither an audit log nor an audit store.
        const QList<QPair<QString, QByteArray>> requests = {
            {QStringLiteral("/api/v1/audit"), "GET"},
            {QStringLiteral("/api/v1/audit/0190a1b2-0000-7000-8000-000000000000/proof"), "GET"},
            {QStringLiteral("/api/v1/tokens"), "POST"},
            {QStringLiteral("/api/v1/tokens/0190a1b2-0000-7000-8000-000000000000"), "DELETE"},
        };
        for (const auto &[path, verb] : requests) {
            const HttpReply reply =
                httpRequest(m_nam, m_f.url(path), bearer(m_f.adminToken), verb,
                            verb == "POST" ? QByteArray("{\"role\":\"ops-viewer\"}") : QByteArray(),
                            {{"Content-Type", "application/json"}});
            QCOMPARE(reply.status, 503);
            QCOMPARE(reply.header("Content-Type"), QByteArray("application/problem+json"));
            QCOMPARE(reply.json().value(QStringLiteral("type")).toString(),
                     QStringLiteral("https://upcoach.dev/problems/audit-unavailable"));
            QVERIFY(reply.json()
                        .value(QStringLiteral("detail"))
                        .toString()
                        .contains(QLatin1String("configured")));
            QVERIFY(!reply.header("Retry-After").isEmpty());
        }
        // Roles are still checked first, and nothing is issued.
        const HttpReply viewer =
            httpRequest(m_nam, m_f.url(QStringLiteral("/api/v1/tokens")), bearer(m_f.viewerToken),
                        "POST", "{}", {{"Content-Type", "application/json"}});
        QCOMPARE(viewer.status, 403);
        QCOMPARE(httpRequest(m_nam, m_f.url(QStringLiteral("/api/v1/tokens"))).status, 401);
    }

    void everyAnswerCarriesARequestId()
    {
        for (const char *path : {"/healthz", "/nope", "/api/v1/regions", "/metrics"}) {
            const HttpReply reply = httpRequest(m_nam, m_f.url(QString::fromLatin1(path)));
            QCOMPARE(reply.header("X-Request-Id").size(), 36);
        }
        const HttpReply echoed =
            httpRequest(m_nam, m_f.url(QStringLiteral("/api/v1/regions")), bearer(m_f.viewerToken),
                        "GET", {}, {{"X-Request-Id", "ops-console.42"}});
        QCOMPARE(echoed.status, 200);
        QCOMPARE(echoed.header("X-Request-Id"), QByteArray("ops-console.42"));
    }

    void metricsParseAndCoverEveryFamily()
    {
        const HttpReply reply = httpRequest(m_nam, m_f.url(QStringLiteral("/metrics")));
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.header("Content-Type").startsWith("text/plain; version=0.0.4"));
        QHash<QString, double> samples;
        QString problem;
        QVERIFY2(parsePrometheus(reply.body, &samples, &problem), qPrintable(problem));
        for (int i = 0; i < 2; ++i) {
            const QString labels =
                QStringLiteral("{region=\"%1\"}").arg(m_f.cluster->endpoint(i).regionId);
            QCOMPARE(samples.value(QStringLiteral("upcoach_region_up") + labels, -1), 1.0);
            QVERIFY(
                samples.contains(QStringLiteral("upcoach_region_probe_latency_seconds") + labels));
            QVERIFY(samples.value(QStringLiteral("upcoach_region_connect_seconds") + labels) > 0);
            QVERIFY(samples.value(QStringLiteral("upcoach_region_database_size_bytes") + labels) >
                    0);
            QVERIFY(samples.value(QStringLiteral("upcoach_region_connections") + labels) >= 1);
        }
        // The commit label holds a double quote: escaped per the format.
        QCOMPARE(samples.value(QStringLiteral(
                     "upcoach_build_info{version=\"1.2.3-test\",commit=\"abc\\\"def\"}")),
                 1.0);
        QVERIFY(samples.value(QStringLiteral(
                    "upcoach_http_requests_total{route=\"/healthz\",code=\"200\"}")) >= 1);
        QVERIFY(samples.value(QStringLiteral(
                    "upcoach_http_requests_total{route=\"/api/v1/regions\",code=\"401\"}")) >= 7);
        QVERIFY(samples.value(QStringLiteral(
                    "upcoach_http_requests_total{route=\"unmatched\",code=\"404\"}")) >= 1);
        QVERIFY(samples.contains(QStringLiteral(
            "upcoach_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"}")));
        QVERIFY(samples.value(QStringLiteral("process_cpu_seconds_total")) > 0);
        QVERIFY(samples.value(QStringLiteral("process_resident_memory_bytes")) > 1e6);
        QVERIFY(samples.value(QStringLiteral("process_virtual_memory_bytes")) > 1e6);
        QVERIFY(samples.value(QStringLiteral("process_open_fds")) > 3);
        const double started = samples.value(QStringLiteral("process_start_time_seconds"));
        QVERIFY(qAbs(started - QDateTime::currentSecsSinceEpoch()) < 3600);
        QVERIFY(reply.body.contains("# TYPE upcoach_http_requests_total counter\n"));
        QVERIFY(reply.body.contains("# HELP upcoach_region_up "));
        QCOMPARE(samples.value(QStringLiteral("upcoach_audit_denied_events_dropped_total"), -1),
                 0.0);
        QVERIFY(samples.contains(QStringLiteral("upcoach_audit_record_failures_total")));
        QVERIFY(samples.contains(
            QStringLiteral("upcoach_audit_events_recorded_total{outcome=\"denied\"}")));
    }

    void eventStreamSendsASnapshotAfterAuthentication()
    {
        QWebSocket socket;
        QSignalSpy messages(&socket, &QWebSocket::textMessageReceived);
        QSignalSpy connected(&socket, &QWebSocket::connected);
        QNetworkRequest request(m_f.wsUrl(QStringLiteral("/api/v1/events")));
        request.setRawHeader("Authorization", bearer(m_f.viewerToken));
        socket.open(request);
        QTRY_COMPARE(connected.size(), 1);
        QTRY_VERIFY(messages.size() >= 1);
        const QJsonObject first =
            QJsonDocument::fromJson(messages.first().first().toString().toUtf8()).object();
        QCOMPARE(first.value(QStringLiteral("type")).toString(), QStringLiteral("region-health"));
        QCOMPARE(first.value(QStringLiteral("regions")).toArray().size(), 2);
        QCOMPARE(regionById(first, m_secondRegion).value(QStringLiteral("status")).toString(),
                 QStringLiteral("up"));
        socket.close();
    }

    void eventStreamAcceptsTheQueryParameterToken()
    {
        QWebSocket socket;
        QSignalSpy messages(&socket, &QWebSocket::textMessageReceived);
        socket.open(m_f.wsUrl(QStringLiteral("/api/v1/events?access_token=") +
                              QString::fromLatin1(m_f.adminToken)));
        QTRY_VERIFY(messages.size() >= 1);
        socket.close();
    }

    void eventStreamClosesWith1008OnABadToken_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::newRow("unknown") << QByteArray("uco_" + QByteArray(43, 'B'));
        QTest::newRow("revoked") << QByteArray("revoked");
    }

    void eventStreamClosesWith1008OnABadToken()
    {
        QFETCH(QByteArray, token);
        if (token == "revoked")
            token = m_f.revokedToken;
        QWebSocket socket;
        QSignalSpy messages(&socket, &QWebSocket::textMessageReceived);
        QSignalSpy disconnected(&socket, &QWebSocket::disconnected);
        QNetworkRequest request(m_f.wsUrl(QStringLiteral("/api/v1/events")));
        request.setRawHeader("Authorization", bearer(token));
        socket.open(request);
        QTRY_COMPARE(disconnected.size(), 1);
        QCOMPARE(socket.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
        QCOMPARE(messages.size(), 0); // nothing before authentication
    }

    void eventStreamWithoutCredentialIsRefusedBeforeTheUpgrade()
    {
        QWebSocket socket;
        QSignalSpy connected(&socket, &QWebSocket::connected);
        QSignalSpy disconnected(&socket, &QWebSocket::disconnected);
        socket.open(m_f.wsUrl(QStringLiteral("/api/v1/events")));
        QTRY_COMPARE(disconnected.size(), 1);
        QCOMPARE(connected.size(), 0);

        const RawExchange raw =
            rawExchange(m_f.port, "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                                  "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
        QCOMPARE(statusOf(raw.received), 401);
        QVERIFY(raw.received.contains("WWW-Authenticate: Bearer"));
        QVERIFY(raw.closedByServer);
    }

    void regionGoingDownShowsEverywhere()
    {
        QWebSocket socket;
        QSignalSpy messages(&socket, &QWebSocket::textMessageReceived);
        QNetworkRequest request(m_f.wsUrl(QStringLiteral("/api/v1/events")));
        request.setRawHeader("Authorization", bearer(m_f.adminToken));
        socket.open(request);
        QTRY_VERIFY(messages.size() >= 1);

        QVERIFY(m_f.cluster->killPostmaster(m_secondRegion));

        // The stream moves without being asked.
        auto sawDown = [&] {
            for (const QList<QVariant> &message : std::as_const(messages)) {
                const QJsonObject event =
                    QJsonDocument::fromJson(message.first().toString().toUtf8()).object();
                if (regionById(event, m_secondRegion).value(QStringLiteral("status")).toString() ==
                    QLatin1String("down"))
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(sawDown(), 10000);

        const HttpReply ready = httpRequest(m_nam, m_f.url(QStringLiteral("/readyz")));
        QCOMPARE(ready.status, 503);
        QCOMPARE(ready.header("Content-Type"), QByteArray("application/problem+json"));
        const QJsonObject problem = ready.json();
        QCOMPARE(problem.value(QStringLiteral("type")).toString(),
                 QStringLiteral("https://upcoach.dev/problems/not-ready"));
        QCOMPARE(problem.value(QStringLiteral("status")).toInt(), 503);
        QVERIFY(problem.value(QStringLiteral("detail")).toString().contains(m_secondRegion));
        QCOMPARE(problem.value(QStringLiteral("regions")).toArray(), QJsonArray{m_secondRegion});

        const HttpReply metrics = httpRequest(m_nam, m_f.url(QStringLiteral("/metrics")));
        QVERIFY(metrics.body.contains(
            QStringLiteral("upcoach_region_up{region=\"%1\"} 0\n").arg(m_secondRegion).toUtf8()));
        QVERIFY(metrics.body.contains(QStringLiteral("upcoach_region_up{region=\"%1\"} 1\n")
                                          .arg(m_f.cluster->endpoint(0).regionId)
                                          .toUtf8()));

        const HttpReply regions =
            httpRequest(m_nam, m_f.url(QStringLiteral("/api/v1/regions")), bearer(m_f.adminToken));
        const QJsonObject down = regionById(regions.json(), m_secondRegion);
        QCOMPARE(down.value(QStringLiteral("status")).toString(), QStringLiteral("down"));
        QVERIFY(!down.value(QStringLiteral("error")).toString().isEmpty());
        QVERIFY(down.value(QStringLiteral("latencyMs")).isNull());
        socket.close();
    }

    void listenOnATakenPortNamesTheAddress()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        api::ServerDeps deps;
        deps.catalog = &RegionCatalog::builtin();
        deps.monitor = m_f.monitor.get();
        deps.tokens = m_f.tokens.get();
        api::ApiServer second(deps);
        const ListenAddress taken{QHostAddress(QHostAddress::LocalHost), squatter.serverPort()};
        const auto result = second.listen(taken);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.contains(taken.toString()),
                 qPrintable(result.error().message));
        QCOMPARE(result.error().code, ErrorCode::Unavailable);

        const auto unusable =
            second.listen(ListenAddress{QHostAddress(QStringLiteral("192.0.2.1")), 0});
        QVERIFY(!unusable.ok());
        QVERIFY2(unusable.error().message.contains(QLatin1String("192.0.2.1")),
                 qPrintable(unusable.error().message));
    }

    // Last: the server does not come back from a drain.
    void drainStopsAcceptingClosesStreamsAndSignals()
    {
        QWebSocket stream;
        QSignalSpy messages(&stream, &QWebSocket::textMessageReceived);
        QSignalSpy streamClosed(&stream, &QWebSocket::disconnected);
        QNetworkRequest request(m_f.wsUrl(QStringLiteral("/api/v1/events")));
        request.setRawHeader("Authorization", bearer(m_f.adminToken));
        stream.open(request);
        QTRY_VERIFY(messages.size() >= 1);

        // An idle keep-alive connection, and a request already on its way.
        QTcpSocket idle;
        idle.connectToHost(QHostAddress::LocalHost, m_f.port);
        QVERIFY(idle.waitForConnected(3000));
        QSignalSpy idleClosed(&idle, &QTcpSocket::disconnected);
        QTcpSocket busy;
        busy.connectToHost(QHostAddress::LocalHost, m_f.port);
        QVERIFY(busy.waitForConnected(3000));
        QSignalSpy busyClosed(&busy, &QTcpSocket::disconnected);
        QTest::qWait(50); // both accepted by the server
        busy.write("GET /api/v1/regions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                   m_f.adminToken + "\r\n\r\n");
        busy.flush();
        QTest::qWait(20);

        QSignalSpy drained(m_f.server.get(), &api::ApiServer::drained);
        m_f.server->drain(std::chrono::milliseconds(5000));
        QVERIFY(m_f.server->isDraining());

        QTRY_COMPARE(streamClosed.size(), 1);
        QCOMPARE(stream.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        QTRY_COMPARE(idleClosed.size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(drained.size(), 1, 6000);
        // The request in flight got a whole answer (its own or "shutting down"), then the
        // connection was closed.
        QTRY_COMPARE(busyClosed.size(), 1);
        const QByteArray answer = busy.readAll();
        QVERIFY2(statusOf(answer) == 200 || statusOf(answer) == 503, answer.left(200).constData());

        QTcpSocket late;
        late.connectToHost(QHostAddress::LocalHost, m_f.port);
        QVERIFY(!late.waitForConnected(2000));
        QCOMPARE(late.error(), QAbstractSocket::ConnectionRefusedError);
        QVERIFY(!m_f.server->listen(ListenAddress{QHostAddress(QHostAddress::LocalHost), 0}).ok());
    }
};

QTEST_GUILESS_MAIN(TestApiServer)
#include "test_api_server.moc"
