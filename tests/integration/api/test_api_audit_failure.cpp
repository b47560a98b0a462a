// When the audit log cannot record, nothing changes: state-changing requests get 503 and leave
// the token table as it was. Two ways to fail: an AuditLog that fails on purpose (an error, a
// canceled future, an exception in the future), and a real PostgresAuditLog whose database is
// killed under it. Refusals (401/403) are still answered as refusals.
#include "apitestsupport.h"

#include <QPromise>
#include <atomic>

using namespace upcoach;
using namespace upcoach::testing;

namespace {

class BrokenAuditLog final : public compliance::AuditLog
{
public:
    enum class Mode
    {
        Error,
        Canceled,
        Exception
    };
    std::atomic<Mode> mode{Mode::Error};
    std::atomic<int> calls{0};

    QFuture<Result<compliance::AuditReceipt>> record(compliance::AuditRecord) override
    {
        ++calls;
        QPromise<Result<compliance::AuditReceipt>> promise;
        QFuture<Result<compliance::AuditReceipt>> future = promise.future();
        promise.start();
        switch (mode.load()) {
        case Mode::Error:
            promise.addResult(Result<compliance::AuditReceipt>(
                makeError(ErrorCode::Unavailable, QStringLiteral("broken on purpose"))));
            break;
        case Mode::Canceled:
            promise.future().cancel();
            break;
        case Mode::Exception:
            promise.setException(std::make_exception_ptr(std::runtime_error("broken on purpose")));
            break;
        }
        promise.finish();
        return future;
    }
};

} // namespace

class TestApiAuditFailure : public QObject
{
    Q_OBJECT
    BrokenAuditLog m_broken;
    ApiFixture m_f;
    QNetworkAccessManager m_nam;

    QByteArray bearer(const QByteArray &token) const { return "Bearer " + token; }

    HttpReply issue(quint16 port, const QByteArray &token)
    {
        return httpRequest(m_nam,
                           QUrl(QStringLiteral("http://127.0.0.1:%1/api/v1/tokens").arg(port)),
                           bearer(token), "POST", "{\"role\":\"ops-admin\"}",
                           {{"Content-Type", "application/json"}});
    }

    HttpReply revoke(quint16 port, const QString &id, const QByteArray &token)
    {
        return httpRequest(
            m_nam, QUrl(QStringLiteral("http://127.0.0.1:%1/api/v1/tokens/%2").arg(port).arg(id)),
            bearer(token), "DELETE");
    }

    qint64 tokenRows()
    {
        storage::ConnectionPool *pool = m_f.controlPlane.get();
        const auto counted = offThread([pool] {
            return pool->withConnection([](pqxx::connection &c) {
                pqxx::read_transaction tx(c);
                return tx.exec1("SELECT count(*) FROM api_tokens")[0].as<qint64>();
            });
        });
        return counted ? counted.value() : -1;
    }

    identity::IssuedApiToken freshToken()
    {
        identity::ApiTokenStore *tokens = m_f.tokens.get();
        const auto issued = offThread([tokens] {
            return tokens->issue(QStringLiteral("ops-viewer"),
                                 QDateTime::currentDateTimeUtc().addDays(1),
                                 identity::ApiTokenKind::Service);
        });
        return issued ? issued.value() : identity::IssuedApiToken{};
    }

    void verifyNotRecorded(const HttpReply &reply)
    {
        QCOMPARE(reply.status, 503);
        QCOMPARE(reply.header("Content-Type"), QByteArray("application/problem+json"));
        QCOMPARE(reply.json().value(QStringLiteral("type")).toString(),
                 QStringLiteral("https://upcoach.dev/problems/audit-unavailable"));
        QVERIFY(!reply.header("Retry-After").isEmpty());
        QVERIFY(!reply.header("X-Request-Id").isEmpty());
        QVERIFY(!reply.body.contains("uco_"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        ApiFixtureOptions options;
        options.auditOverride = &m_broken;
        const QString error = m_f.start(options);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void cleanupTestCase() { m_f.stop(); }

    void issuingFailsWith503AndStoresNothing_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("error") << int(BrokenAuditLog::Mode::Error);
        QTest::newRow("canceled") << int(BrokenAuditLog::Mode::Canceled);
        QTest::newRow("exception") << int(BrokenAuditLog::Mode::Exception);
    }

    void issuingFailsWith503AndStoresNothing()
    {
        QFETCH(int, mode);
        m_broken.mode = BrokenAuditLog::Mode(mode);
        const qint64 before = tokenRows();
        QVERIFY(before >= 3);
        const int calls = m_broken.calls;
        const HttpReply reply = issue(m_f.port, m_f.adminToken);
        verifyNotRecorded(reply);
        QCOMPARE(m_broken.calls, calls + 1);
        QCOMPARE(tokenRows(), before);
    }

    void revokingFailsWith503AndKeepsTheToken_data() { issuingFailsWith503AndStoresNothing_data(); }

    void revokingFailsWith503AndKeepsTheToken()
    {
        QFETCH(int, mode);
        m_broken.mode = BrokenAuditLog::Mode(mode);
        const identity::IssuedApiToken token = freshToken();
        QVERIFY(!token.id.isEmpty());
        verifyNotRecorded(revoke(m_f.port, token.id, m_f.adminToken));
        const HttpReply stillValid =
            httpRequest(m_nam, m_f.url(QStringLiteral("/api/v1/regions")), bearer(token.secret));
        QCOMPARE(stillValid.status, 200);
    }

    void refusalsAreStillAnsweredAsRefusals()
    {
        m_broken.mode = BrokenAuditLog::Mode::Error;
        const int calls = m_broken.calls;
        const HttpReply anonymous =
            httpRequest(m_nam, m_f.url(QStringLiteral("/api/v1/tokens")), {}, "POST", "{}");
        QCOMPARE(anonymous.status, 401);
        QCOMPARE(issue(m_f.port, m_f.viewerToken).status, 403);
        QCOMPARE(m_broken.calls, calls + 2); // both were offered to the log
        // Reads need no recording.
        QCOMPARE(
            httpRequest(m_nam, m_f.url(QStringLiteral("/api/v1/audit")), bearer(m_f.viewerToken))
                .status,
            200);
    }

    void failuresAreCounted()
    {
        const HttpReply metrics = httpRequest(m_nam, m_f.url(QStringLiteral("/metrics")));
        double failures = -1;
        for (const QByteArray &line : metrics.body.split('\n')) {
            if (line.startsWith("upcoach_audit_record_failures_total "))
                failures =
                    line.mid(int(qstrlen("upcoach_audit_record_failures_total "))).toDouble();
        }
        QVERIFY2(failures >= 8, metrics.body.constData());
        QVERIFY(
            metrics.body.contains("upcoach_audit_events_recorded_total{outcome=\"success\"} 0\n"));
    }

    // A real audit log whose database dies: the same server code, a real failure.
    void auditDatabaseGoneMeansNoChange()
    {
        storage::forbidBlockingOn(nullptr); // starting a cluster and opening the log block
        auto auditCluster = std::make_unique<TestCluster>(1);
        QVERIFY2(auditCluster->ok(), qPrintable(auditCluster->error()));
        QTemporaryDir keys;
        auto signer = compliance::loadSigningKey(keys.filePath(QStringLiteral("k.pem")), true);
        QVERIFY(signer.ok());
        auto opened = compliance::PostgresAuditLog::open(auditCluster->endpoint(0),
                                                         std::move(signer.value()));
        QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().message));
        std::unique_ptr<compliance::PostgresAuditLog> log = std::move(opened.value());

        api::ServerDeps deps;
        deps.catalog = &RegionCatalog::builtin();
        deps.monitor = m_f.monitor.get();
        deps.tokens = m_f.tokens.get();
        deps.audit = log.get();
        auto server = std::make_unique<api::ApiServer>(deps);
        const auto listening =
            server->listen(ListenAddress{QHostAddress(QHostAddress::LocalHost), 0});
        QVERIFY(listening.ok());
        const quint16 port = listening.value();
        storage::forbidBlockingOn(QThread::currentThread());

        // Working: issuance is recorded and performed.
        qint64 before = tokenRows();
        QCOMPARE(issue(port, m_f.adminToken).status, 201);
        QCOMPARE(tokenRows(), before + 1);

        const identity::IssuedApiToken token = freshToken();
        // A fast shutdown ends every backend at once (after a SIGKILL of the postmaster alone,
        // the writer's backend may still commit one more batch before it notices).
        storage::forbidBlockingOn(nullptr);
        QVERIFY(auditCluster->clusters().stop().ok());
        storage::forbidBlockingOn(QThread::currentThread());

        before = tokenRows();
        verifyNotRecorded(issue(port, m_f.adminToken));
        QCOMPARE(tokenRows(), before);
        verifyNotRecorded(revoke(port, token.id, m_f.adminToken));
        QCOMPARE(
            httpRequest(m_nam, m_f.url(QStringLiteral("/api/v1/regions")), bearer(token.secret))
                .status,
            200);

        storage::forbidBlockingOn(nullptr);
        server.reset();
        log.reset();
        auditCluster.reset();
        storage::forbidBlockingOn(QThread::currentThread());
    }
};

QTEST_GUILESS_MAIN(TestApiAuditFailure)
#include "test_api_audit_failure.moc"
