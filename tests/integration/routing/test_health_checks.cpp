// Health checks against real local servers: an HTTP responder whose answers the test switches,
// an HTTPS one (QSslServer) with a certificate made here by OpenSSL, open and closed TCP ports.
// Thresholds and hysteresis, status ranges, body matching, timeouts, no overlapping probes, TLS
// verification choices, and the failover detection time (printed as a JSON line).
#include "httptestserver.h"
#include "upcoach/routing/healthcheck.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <chrono>
#include <memory>
#include <mutex>

using namespace upcoach;
using namespace upcoach::routing;
using std::chrono::milliseconds;
using upcoach::testing::HttpTestServer;

namespace {

// Transitions as the handler saw them, from the checker's thread.
struct TransitionLog
{
    mutable std::mutex mutex;
    std::vector<HealthTransition> transitions;
    std::vector<std::chrono::steady_clock::time_point> times;
    std::vector<int> requestsSeen; // the server's request count when the handler ran
    bool allOffMainThread = true;

    std::size_t count() const
    {
        std::lock_guard lock(mutex);
        return transitions.size();
    }
    HealthTransition at(std::size_t i) const
    {
        std::lock_guard lock(mutex);
        return transitions.at(i);
    }
};

std::shared_ptr<TransitionLog> attachLog(HealthChecker &checker,
                                         const HttpTestServer *server = nullptr)
{
    auto log = std::make_shared<TransitionLog>();
    QThread *mainThread = QThread::currentThread();
    checker.setTransitionHandler([log, server, mainThread](const HealthTransition &transition) {
        std::lock_guard lock(log->mutex);
        log->transitions.push_back(transition);
        log->times.push_back(std::chrono::steady_clock::now());
        log->requestsSeen.push_back(server ? server->requests() : -1);
        if (QThread::currentThread() == mainThread)
            log->allOffMainThread = false;
    });
    return log;
}

HealthCheckSpec httpSpec(quint16 port, const QString &name = QStringLiteral("eu-central-1-api"))
{
    HealthCheckSpec spec;
    spec.name = name;
    spec.regionId = QStringLiteral("eu-central-1");
    spec.kind = CheckKind::Http;
    spec.host = QStringLiteral("127.0.0.1");
    spec.port = port;
    spec.interval = milliseconds(50);
    spec.timeout = milliseconds(1000);
    spec.healthyThreshold = 1;
    spec.unhealthyThreshold = 1;
    return spec;
}

quint16 closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

QString describe(const CheckStatus &status)
{
    return QStringLiteral("state=%1 checks=%2 failures=%3 lastError=%4")
        .arg(checkStateName(status.state))
        .arg(status.checks)
        .arg(status.failures)
        .arg(status.lastError);
}

} // namespace

class TestHealthChecks : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tlsDir;
    QString m_certFile;
    QString m_keyFile;

    std::unique_ptr<HttpTestServer> startHttps()
    {
        QFile certFile(m_certFile);
        QFile keyFile(m_keyFile);
        if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
            return nullptr;
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(QSslCertificate(&certFile, QSsl::Pem));
        tls.setPrivateKey(QSslKey(&keyFile, QSsl::Ec, QSsl::Pem));
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        auto sslServer = std::make_unique<QSslServer>();
        sslServer->setSslConfiguration(tls);
        auto server = std::make_unique<HttpTestServer>(std::move(sslServer));
        if (!server->listen())
            return nullptr;
        return server;
    }

    // The state after the first verdict of a checker with thresholds of 1.
    CheckStatus firstVerdict(const HealthCheckSpec &spec)
    {
        HealthChecker checker({spec});
        auto log = attachLog(checker);
        checker.start();
        QElapsedTimer waited;
        waited.start();
        while (log->count() == 0 && waited.elapsed() < 10000)
            QTest::qWait(10);
        checker.stop();
        return checker.statuses().front();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tlsDir.isValid());
        const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        QVERIFY2(!openssl.isEmpty(), "openssl not found: run scripts/setup.sh (installs it from "
                                     "scripts/debian-packages.txt)");
        m_certFile = m_tlsDir.filePath(QStringLiteral("cert.pem"));
        m_keyFile = m_tlsDir.filePath(QStringLiteral("key.pem"));
        QProcess req;
        req.start(openssl,
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                   QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                   QStringLiteral("-keyout"), m_keyFile, QStringLiteral("-out"), m_certFile,
                   QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                   QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
                   QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1")});
        QVERIFY(req.waitForFinished(30000));
        const QByteArray opensslErrors = req.readAllStandardError();
        QVERIFY2(req.exitCode() == 0, opensslErrors.constData());
        QVERIFY(QFile::exists(m_certFile));
    }

    void validateAcceptsAGoodSpec()
    {
        HealthCheckSpec spec = httpSpec(8080);
        spec.interval = milliseconds(10000);
        QVERIFY(validate(spec).ok());
        spec.kind = CheckKind::Https;
        spec.port = 0; // the scheme's default
        spec.caFile = m_certFile;
        spec.serverName = QStringLiteral("localhost");
        QVERIFY(validate(spec).ok());
        spec.kind = CheckKind::Tcp;
        spec.caFile.clear();
        spec.serverName.clear();
        spec.port = 5432;
        QVERIFY(validate(spec).ok());
    }

    void validateNamesTheField_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("expected");
        QTest::newRow("name") << QStringLiteral("name") << QStringLiteral("name must be");
        QTest::newRow("region") << QStringLiteral("regionId") << QStringLiteral("regionId");
        QTest::newRow("host") << QStringLiteral("host") << QStringLiteral("host must be");
        QTest::newRow("tcp port") << QStringLiteral("port") << QStringLiteral("port must be");
        QTest::newRow("interval") << QStringLiteral("interval")
                                  << QStringLiteral("interval must be 50ms..1h");
        QTest::newRow("timeout") << QStringLiteral("timeout") << QStringLiteral("timeout must be");
        QTest::newRow("healthy") << QStringLiteral("healthyThreshold")
                                 << QStringLiteral("healthyThreshold must be 1..100");
        QTest::newRow("unhealthy") << QStringLiteral("unhealthyThreshold")
                                   << QStringLiteral("unhealthyThreshold must be 1..100");
        QTest::newRow("path") << QStringLiteral("path") << QStringLiteral("path must start");
        QTest::newRow("host header injection")
            << QStringLiteral("hostHeader") << QStringLiteral("hostHeader must be");
        QTest::newRow("status range")
            << QStringLiteral("expectedStatusMax") << QStringLiteral("expectedStatusMax must be");
        QTest::newRow("ca on http")
            << QStringLiteral("caFile-http") << QStringLiteral("only used by HTTPS");
        QTest::newRow("missing ca") << QStringLiteral("caFile") << QStringLiteral("does not exist");
        QTest::newRow("body on tcp")
            << QStringLiteral("bodyContains-tcp") << QStringLiteral("only used by HTTP");
    }

    void validateNamesTheField()
    {
        QFETCH(QString, field);
        QFETCH(QString, expected);
        HealthCheckSpec spec = httpSpec(8080);
        if (field == QStringLiteral("name"))
            spec.name = QStringLiteral("bad name!");
        else if (field == QStringLiteral("regionId"))
            spec.regionId.clear();
        else if (field == QStringLiteral("host"))
            spec.host = QStringLiteral("user@evil/x");
        else if (field == QStringLiteral("port")) {
            spec.kind = CheckKind::Tcp;
            spec.port = 0;
        } else if (field == QStringLiteral("interval"))
            spec.interval = milliseconds(10);
        else if (field == QStringLiteral("timeout"))
            spec.timeout = milliseconds(120000);
        else if (field == QStringLiteral("healthyThreshold"))
            spec.healthyThreshold = 0;
        else if (field == QStringLiteral("unhealthyThreshold"))
            spec.unhealthyThreshold = 1000;
        else if (field == QStringLiteral("path"))
            spec.path = QStringLiteral("healthz with space");
        else if (field == QStringLiteral("hostHeader"))
            spec.hostHeader = QStringLiteral("a.test\r\nX-Injected: 1");
        else if (field == QStringLiteral("expectedStatusMax"))
            spec.expectedStatusMax = 150;
        else if (field == QStringLiteral("caFile-http"))
            spec.caFile = m_certFile;
        else if (field == QStringLiteral("caFile")) {
            spec.kind = CheckKind::Https;
            spec.caFile = m_tlsDir.filePath(QStringLiteral("missing.pem"));
        } else if (field == QStringLiteral("bodyContains-tcp")) {
            spec.kind = CheckKind::Tcp;
            spec.bodyContains = "ok";
        }
        const Result<void> valid = validate(spec);
        QVERIFY(!valid.ok());
        QCOMPARE(valid.error().code, ErrorCode::Config);
        QVERIFY2(valid.error().message.contains(expected), qPrintable(valid.error().message));
    }

    void duplicateNamesAreRejected()
    {
        const Result<void> valid = validate(std::vector{httpSpec(1), httpSpec(2)});
        QVERIFY(!valid.ok());
        QVERIFY(valid.error().message.contains(QStringLiteral("used twice")));
    }

    void anInvalidSpecIsNeverProbed()
    {
        HttpTestServer server;
        QVERIFY(server.listen());
        HealthCheckSpec bad = httpSpec(server.port(), QStringLiteral("bad"));
        bad.healthyThreshold = 0;
        HealthCheckSpec good = httpSpec(server.port(), QStringLiteral("good"));
        good.regionId = QStringLiteral("us-east-1");
        HealthChecker checker({bad, good});
        checker.start();
        QTRY_VERIFY_WITH_TIMEOUT(
            checker.regionState(QStringLiteral("us-east-1")) == CheckStatus::Healthy, 5000);
        QTest::qWait(150);
        checker.stop();
        const auto statuses = checker.statuses();
        QCOMPARE(statuses[0].checks, quint64(0));
        QCOMPARE(statuses[0].state, CheckStatus::Unknown);
        QVERIFY(statuses[0].lastError.contains(QStringLiteral("healthyThreshold")));
        QVERIFY(statuses[1].checks > 0);
        QCOMPARE(server.requests(), int(statuses[1].checks));
        QCOMPARE(checker.regionState(QStringLiteral("eu-central-1")), CheckStatus::Unknown);
    }

    void healthyAfterExactlyTheThreshold()
    {
        HttpTestServer server;
        QVERIFY(server.listen());
        HealthCheckSpec spec = httpSpec(server.port());
        spec.healthyThreshold = 3;
        HealthChecker checker({spec});
        auto log = attachLog(checker, &server);
        QSignalSpy signalled(&checker, &HealthChecker::transitioned);
        QCOMPARE(checker.regionState(spec.regionId), CheckStatus::Unknown);
        checker.start();
        QTRY_COMPARE_WITH_TIMEOUT(log->count(), std::size_t(1), 5000);
        const HealthTransition first = log->at(0);
        QVERIFY(first.healthy);
        QCOMPARE(first.checkName, spec.name);
        QCOMPARE(first.regionId, spec.regionId);
        QCOMPARE(first.reason, QStringLiteral("3 consecutive successes"));
        QVERIFY(first.at.isValid());
        {
            std::lock_guard lock(log->mutex);
            QCOMPARE(log->requestsSeen.at(0), 3);
            QVERIFY(log->allOffMainThread); // the handler runs on the checker's thread
        }
        // The signal is queued to this (the main) thread.
        QTRY_COMPARE_WITH_TIMEOUT(signalled.count(), 1, 2000);
        QCOMPARE(signalled.at(0).at(0).value<HealthTransition>().checkName, spec.name);
        QCOMPARE(checker.regionState(spec.regionId), CheckStatus::Healthy);
        checker.stop();
        const CheckStatus status = checker.statuses().front();
        QCOMPARE(status.state, CheckStatus::Healthy);
        QVERIFY(status.lastLatencyMs >= 0);
        QVERIFY(status.lastError.isEmpty());
        QCOMPARE(status.failures, quint64(0));
        QVERIFY(status.stateSince.isValid());
        QVERIFY(status.lastCheckedAt >= status.stateSince);
    }

    void aSingleFlapDoesNotFlipButNFailuresDo()
    {
        HttpTestServer server;
        QVERIFY(server.listen());
        // Healthy after 2; a lone 503 and a pair of 503s do not flip it; the third in a row does.
        server.setScript({200, 200, 503, 200, 503, 503, 200, 503, 503, 503});
        server.setResponse(503);
        HealthCheckSpec spec = httpSpec(server.port());
        spec.healthyThreshold = 2;
        spec.unhealthyThreshold = 3;
        HealthChecker checker({spec});
        auto log = attachLog(checker, &server);
        checker.start();
        QTRY_COMPARE_WITH_TIMEOUT(log->count(), std::size_t(2), 5000);
        checker.stop();
        QVERIFY(log->at(0).healthy);
        QVERIFY(!log->at(1).healthy);
        {
            std::lock_guard lock(log->mutex);
            QCOMPARE(log->requestsSeen.at(0), 2);
            QCOMPARE(log->requestsSeen.at(1), 10);
        }
        QVERIFY2(log->at(1).reason.startsWith(QStringLiteral("3 consecutive failures")),
                 qPrintable(log->at(1).reason));
        QVERIFY(log->at(1).reason.contains(QStringLiteral("HTTP status 503")));
        const CheckStatus status = checker.statuses().front();
        QCOMPARE(status.state, CheckStatus::Unhealthy);
        QCOMPARE(status.lastLatencyMs, -1.0);
        QVERIFY(status.failures >= 6);
    }

    void recoveryNeedsTheHealthyThreshold()
    {
        HttpTestServer server;
        QVERIFY(server.listen());
        server.setScript({503, 503, 200, 503, 200, 200});
        server.setResponse(200);
        HealthCheckSpec spec = httpSpec(server.port());
        spec.healthyThreshold = 2;
        spec.unhealthyThreshold = 2;
        HealthChecker checker({spec});
        auto log = attachLog(checker, &server);
        checker.start();
        QTRY_COMPARE_WITH_TIMEOUT(log->count(), std::size_t(2), 5000);
        checker.stop();
        QVERIFY(!log->at(0).healthy);
        QVERIFY(log->at(1).healthy);
        std::lock_guard lock(log->mutex);
        QCOMPARE(log->requestsSeen.at(0), 2);
        QCOMPARE(log->requestsSeen.at(1), 6);
    }

    void statusMustBeInTheExpectedRange_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("min");
        QTest::addColumn<int>("max");
        QTest::addColumn<bool>("healthy");
        QTest::newRow("200 in default range") << 200 << 200 << 399 << true;
        QTest::newRow("302 is not followed") << 302 << 200 << 399 << true;
        QTest::newRow("404") << 404 << 200 << 399 << false;
        QTest::newRow("503") << 503 << 200 << 399 << false;
        QTest::newRow("204 in 200..204") << 204 << 200 << 204 << true;
        QTest::newRow("205 outside 200..204") << 205 << 200 << 204 << false;
        QTest::newRow("503 expected by a drain check") << 503 << 503 << 503 << true;
    }

    void statusMustBeInTheExpectedRange()
    {
        QFETCH(int, status);
        QFETCH(int, min);
        QFETCH(int, max);
        QFETCH(bool, healthy);
        HttpTestServer server;
        QVERIFY(server.listen());
        server.setResponse(status);
        // A redirect to a dead port: following it would fail the check.
        server.setExtraHeaders("Location: http://127.0.0.1:" + QByteArray::number(closedPort()) +
                               "/elsewhere\r\n");
        HealthCheckSpec spec = httpSpec(server.port());
        spec.expectedStatusMin = min;
        spec.expectedStatusMax = max;
        const CheckStatus verdict = firstVerdict(spec);
        QCOMPARE(verdict.state, healthy ? CheckStatus::Healthy : CheckStatus::Unhealthy);
        if (!healthy)
            QVERIFY2(verdict.lastError.contains(QStringLiteral("HTTP status %1").arg(status)),
                     qPrintable(verdict.lastError));
        QCOMPARE(server.requests(), 1);
    }

    void bodyMustContainTheExpectedText_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("needle");
        QTest::addColumn<bool>("healthy");
        QTest::newRow("found") << QByteArray("{\"status\":\"ok\",\"db\":\"up\"}")
                               << QByteArray("\"db\":\"up\"") << true;
        QTest::newRow("missing") << QByteArray("{\"status\":\"degraded\"}")
                                 << QByteArray("\"status\":\"ok\"") << false;
        QTest::newRow("within the first 64 KiB")
            << QByteArray(QByteArray(10 * 1024, 'x') + "READY" + QByteArray(200 * 1024, 'y'))
            << QByteArray("READY") << true;
        QTest::newRow("beyond the first 64 KiB")
            << QByteArray(QByteArray(70 * 1024, 'x') + "READY") << QByteArray("READY") << false;
    }

    void bodyMustContainTheExpectedText()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, needle);
        QFETCH(bool, healthy);
        HttpTestServer server;
        QVERIFY(server.listen());
        server.setResponse(200, body);
        HealthCheckSpec spec = httpSpec(server.port());
        spec.bodyContains = needle;
        const CheckStatus verdict = firstVerdict(spec);
        QVERIFY2(verdict.state == (healthy ? CheckStatus::Healthy : CheckStatus::Unhealthy),
                 qPrintable(describe(verdict)));
        if (!healthy) {
            QVERIFY2(verdict.lastError.contains(QStringLiteral("lacks the expected text")),
                     qPrintable(verdict.lastError));
            QVERIFY(!verdict.lastError.contains(QString::fromLatin1(needle)));
        }
    }

    void hostHeaderIsSent()
    {
        HttpTestServer server;
        QVERIFY(server.listen());
        HealthCheckSpec spec = httpSpec(server.port());
        spec.hostHeader = QStringLiteral("api.eu-central-1.upcoach.test");
        QCOMPARE(firstVerdict(spec).state, CheckStatus::Healthy);
        QCOMPARE(server.lastHostHeader(), QByteArray("api.eu-central-1.upcoach.test"));
    }

    void tcpCheckOfOpenAndClosedPorts()
    {
        QTcpServer open;
        QVERIFY(open.listen(QHostAddress::LocalHost, 0));
        HealthCheckSpec spec = httpSpec(open.serverPort());
        spec.kind = CheckKind::Tcp;
        QCOMPARE(firstVerdict(spec).state, CheckStatus::Healthy);

        spec.port = closedPort();
        const CheckStatus closed = firstVerdict(spec);
        QCOMPARE(closed.state, CheckStatus::Unhealthy);
        QVERIFY2(closed.lastError.contains(QStringLiteral("refused"), Qt::CaseInsensitive),
                 qPrintable(closed.lastError));
    }

    void aServerThatNeverAnswersTimesOut()
    {
        HttpTestServer server;
        QVERIFY(server.listen());
        server.setMode(HttpTestServer::Mode::Hang);
        HealthCheckSpec spec = httpSpec(server.port());
        spec.timeout = milliseconds(150);
        QElapsedTimer elapsed;
        elapsed.start();
        const CheckStatus verdict = firstVerdict(spec);
        QCOMPARE(verdict.state, CheckStatus::Unhealthy);
        QVERIFY2(verdict.lastError.contains(QStringLiteral("timed out after 150 ms")),
                 qPrintable(verdict.lastError));
        QVERIFY(elapsed.elapsed() >= 150);
        QVERIFY2(elapsed.elapsed() < 2000, qPrintable(QString::number(elapsed.elapsed())));
    }

    void probesDoNotOverlap()
    {
        HttpTestServer server;
        QVERIFY(server.listen());
        server.setMode(HttpTestServer::Mode::Hang);
        HealthCheckSpec spec = httpSpec(server.port());
        spec.interval = milliseconds(50);
        spec.timeout = milliseconds(300);
        spec.unhealthyThreshold = 100;
        HealthChecker checker({spec});
        QElapsedTimer elapsed;
        elapsed.start();
        checker.start();
        QTest::qWait(1000);
        checker.stop();
        const qint64 ran = elapsed.elapsed();
        // With one probe in flight at a time, a probe every 300 ms at most: not one per 50 ms.
        const int maxProbes = int(ran / 300) + 1;
        QVERIFY2(server.connections() >= 2 && server.connections() <= maxProbes,
                 qPrintable(
                     QStringLiteral("%1 connections in %2 ms").arg(server.connections()).arg(ran)));
        const CheckStatus status = checker.statuses().front();
        QVERIFY(status.checks <= quint64(maxProbes));
        QCOMPARE(status.failures, status.checks);
        QVERIFY(status.lastError.contains(QStringLiteral("timed out")));
    }

    void errorsNeverQuoteTheQuery()
    {
        HttpTestServer server;
        QVERIFY(server.listen());
        server.setMode(HttpTestServer::Mode::Garbage);
        HealthCheckSpec spec = httpSpec(server.port());
        spec.path = QStringLiteral("/healthz?token=s3cr3t-t0ken");
        const CheckStatus garbage = firstVerdict(spec);
        QCOMPARE(garbage.state, CheckStatus::Unhealthy);
        QVERIFY2(!garbage.lastError.contains(QStringLiteral("s3cr3t")),
                 qPrintable(garbage.lastError));
        server.setMode(HttpTestServer::Mode::Respond);
        server.setResponse(500);
        const CheckStatus failing = firstVerdict(spec);
        QCOMPARE(failing.state, CheckStatus::Unhealthy);
        QVERIFY2(!failing.lastError.contains(QStringLiteral("s3cr3t")),
                 qPrintable(failing.lastError));
        spec.port = closedPort();
        const CheckStatus refused = firstVerdict(spec);
        QVERIFY2(!refused.lastError.contains(QStringLiteral("s3cr3t")),
                 qPrintable(refused.lastError));
    }

    void httpsVerification_data()
    {
        QTest::addColumn<bool>("verify");
        QTest::addColumn<bool>("withCa");
        QTest::addColumn<QString>("serverName");
        QTest::addColumn<bool>("healthy");
        QTest::newRow("verify, system CAs only") << true << false << QString() << false;
        QTest::newRow("verify with the CA file") << true << true << QString() << true;
        QTest::newRow("verify with the CA file and SNI localhost")
            << true << true << QStringLiteral("localhost") << true;
        QTest::newRow("no verification") << false << false << QString() << true;
        QTest::newRow("CA file but the wrong server name")
            << true << true << QStringLiteral("wrong.upcoach.test") << false;
    }

    void httpsVerification()
    {
        QFETCH(bool, verify);
        QFETCH(bool, withCa);
        QFETCH(QString, serverName);
        QFETCH(bool, healthy);
        auto server = startHttps();
        QVERIFY(server);
        HealthCheckSpec spec = httpSpec(server->port());
        spec.kind = CheckKind::Https;
        spec.verifyCertificate = verify;
        spec.caFile = withCa ? m_certFile : QString();
        spec.serverName = serverName;
        QVERIFY(validate(spec).ok());
        const CheckStatus verdict = firstVerdict(spec);
        QVERIFY2(verdict.state == (healthy ? CheckStatus::Healthy : CheckStatus::Unhealthy),
                 qPrintable(describe(verdict)));
        if (healthy)
            QVERIFY(server->requests() >= 1);
        else
            QCOMPARE(server->requests(), 0); // the handshake failed before any request
    }

    void regionVerdictCombinesItsChecks()
    {
        HttpTestServer api;
        HttpTestServer web;
        QVERIFY(api.listen());
        QVERIFY(web.listen());
        web.setResponse(503);
        HealthCheckSpec apiSpec = httpSpec(api.port(), QStringLiteral("eu-api"));
        HealthCheckSpec webSpec = httpSpec(web.port(), QStringLiteral("eu-web"));
        HealthCheckSpec usSpec = httpSpec(api.port(), QStringLiteral("us-api"));
        usSpec.regionId = QStringLiteral("us-east-1");
        HealthChecker checker({apiSpec, webSpec, usSpec});
        QCOMPARE(checker.regionState(QStringLiteral("eu-central-1")), CheckStatus::Unknown);
        checker.start();
        QTRY_COMPARE_WITH_TIMEOUT(checker.regionState(QStringLiteral("eu-central-1")),
                                  CheckStatus::Unhealthy, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(checker.regionState(QStringLiteral("us-east-1")),
                                  CheckStatus::Healthy, 5000);
        QCOMPARE(checker.regionState(QStringLiteral("ap-southeast-1")), CheckStatus::Unknown);
        web.setResponse(200);
        QTRY_COMPARE_WITH_TIMEOUT(checker.regionState(QStringLiteral("eu-central-1")),
                                  CheckStatus::Healthy, 5000);
        checker.stop();
    }

    void stopStopsProbing()
    {
        HttpTestServer server;
        QVERIFY(server.listen());
        HealthChecker checker({httpSpec(server.port())});
        checker.start();
        QVERIFY(checker.isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(server.requests() >= 3, 5000);
        checker.stop();
        QVERIFY(!checker.isRunning());
        QTest::qWait(100); // lets this thread's server take a request sent just before stop()
        const int after = server.requests();
        QTest::qWait(300);
        QCOMPARE(server.requests(), after);
        // A probe abandoned by stop() is not counted.
        const int counted = int(checker.statuses().front().checks);
        QVERIFY(counted == after || counted == after - 1);
        // And it starts again.
        checker.start();
        QTRY_VERIFY_WITH_TIMEOUT(server.requests() > after, 5000);
        checker.stop();
    }

    void failoverDetectionTime()
    {
        constexpr int intervalMs = 100;
        constexpr int timeoutMs = 200;
        constexpr int threshold = 2;
        HttpTestServer server;
        QVERIFY(server.listen());
        HealthCheckSpec spec = httpSpec(server.port());
        spec.interval = milliseconds(intervalMs);
        spec.timeout = milliseconds(timeoutMs);
        spec.healthyThreshold = 1;
        spec.unhealthyThreshold = threshold;
        HealthChecker checker({spec});
        auto log = attachLog(checker);
        checker.start();
        QTRY_COMPARE_WITH_TIMEOUT(log->count(), std::size_t(1), 5000);
        QVERIFY(log->at(0).healthy);
        QTest::qWait(intervalMs * 3 / 2); // somewhere inside the schedule, not at its start

        server.kill();
        const auto killedAt = std::chrono::steady_clock::now();
        QTRY_COMPARE_WITH_TIMEOUT(log->count(), std::size_t(2), 5000);
        QVERIFY(!log->at(1).healthy);
        double detectionMs = 0;
        {
            std::lock_guard lock(log->mutex);
            detectionMs =
                std::chrono::duration<double, std::milli>(log->times.at(1) - killedAt).count();
        }
        checker.stop();
        qInfo().noquote() << QStringLiteral("{\"metric\":\"failover_detection_ms\",\"value\":%1,"
                                            "\"interval_ms\":%2,\"unhealthy_threshold\":%3}")
                                 .arg(detectionMs, 0, 'f', 1)
                                 .arg(intervalMs)
                                 .arg(threshold);
        const double bound = intervalMs * threshold + timeoutMs + intervalMs;
        QVERIFY2(detectionMs <= bound,
                 qPrintable(QStringLiteral("%1 ms > %2 ms").arg(detectionMs).arg(bound)));
    }
};

QTEST_GUILESS_MAIN(TestHealthChecks)
#include "test_health_checks.moc"
