// Test plumbing for the API suites: a running ApiServer over real clusters, and clients that
// wait by spinning the event loop (the test thread is the server's thread, and is marked so
// that any blocking database call on it fails).
#pragma once

#include "testcluster.h"
#include "upcoach/api/apiserver.h"
#include "upcoach/compliance/auditstore.h"
#include "upcoach/identity/apitokens.h"
#include "upcoach/storage/connectionpool.h"
#include "upcoach/storage/regionmonitor.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFuture>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QtConcurrent/QtConcurrentRun>
#include <functional>
#include <memory>

namespace upcoach::testing {

// Runs blocking work (token issue/revoke) on a worker thread and waits with the event loop
// running, because the test thread refuses blocking database calls.
template<typename Fn> auto offThread(Fn &&fn)
{
    auto future = QtConcurrent::run(std::forward<Fn>(fn));
    while (!future.isFinished())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    return future.result();
}

struct HttpReply
{
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QNetworkReply::NetworkError error = QNetworkReply::NoError;

    QByteArray header(const char *name) const { return headers.value(QByteArray(name).toLower()); }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

inline HttpReply httpRequest(QNetworkAccessManager &nam, const QUrl &url,
                             const QByteArray &authorization = {}, const QByteArray &verb = "GET",
                             const QByteArray &body = {},
                             const QList<QPair<QByteArray, QByteArray>> &headers = {})
{
    QNetworkRequest request(url);
    if (!authorization.isNull())
        request.setRawHeader("Authorization", authorization);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    std::unique_ptr<QNetworkReply> reply(nam.sendCustomRequest(request, verb, body));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(10000);
    HttpReply result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.error = reply->error();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        result.headers.insert(name.toLower(), value);
    return result;
}

// Writes raw bytes and collects what comes back until the server closes or `waitMs` passes.
struct RawExchange
{
    QByteArray received;
    bool closedByServer = false;
};

inline RawExchange rawExchange(quint16 port, const QByteArray &request, int waitMs = 3000)
{
    RawExchange result;
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(3000))
        return result;
    QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
    socket.write(request);
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < waitMs && disconnected.isEmpty()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        result.received += socket.readAll();
    }
    result.received += socket.readAll();
    result.closedByServer = !disconnected.isEmpty();
    return result;
}

inline int statusOf(const QByteArray &response)
{
    // "HTTP/1.1 414 ..." → 414
    return response.startsWith("HTTP/1.1 ") ? response.mid(9, 3).toInt() : 0;
}

struct ApiFixtureOptions
{
    int regions = 1;
    api::ServerLimits limits = {};
    // A PostgresAuditLog (and an AuditStore) on the control-plane cluster, wired into the server.
    bool auditLog = false;
    compliance::AuditLogSettings auditSettings = {};
    const Clock *auditClock = &Clock::system();
    // Wired instead of the PostgresAuditLog (the AuditStore still reads the control plane).
    compliance::AuditLog *auditOverride = nullptr;
    // Completes the server's dependencies (e.g. a TrafficRuntime over the fixture's control
    // plane and audit log) once everything else runs, before the server starts and before the
    // test thread is marked non-blocking. Returns an error text, or an empty string.
    std::function<QString(api::ServerDeps &)> configure;
};

// Everything a suite needs: clusters, monitor, token store, tokens, audit log, server.
struct ApiFixture
{
    std::unique_ptr<TestCluster> cluster;
    std::unique_ptr<storage::ConnectionPool> controlPlane;
    std::unique_ptr<identity::ApiTokenStore> tokens;
    std::unique_ptr<storage::RegionMonitor> monitor;
    QTemporaryDir keys;
    std::unique_ptr<compliance::PostgresAuditLog> auditLog;
    std::unique_ptr<compliance::AuditStore> auditStore;
    std::unique_ptr<api::ApiServer> server;
    quint16 port = 0;
    QByteArray adminToken;
    QByteArray viewerToken;
    QByteArray revokedToken;
    QString adminTokenId;
    QString viewerTokenId;

    // Starts everything; returns an error text or an empty string.
    QString start(int regions, api::ServerLimits limits = {})
    {
        ApiFixtureOptions options;
        options.regions = regions;
        options.limits = limits;
        return start(options);
    }

    QString start(const ApiFixtureOptions &options)
    {
        const int regions = options.regions;
        cluster = std::make_unique<TestCluster>(regions);
        if (!cluster->ok())
            return cluster->error();
        controlPlane = std::make_unique<storage::ConnectionPool>(cluster->endpoint(0));
        tokens = std::make_unique<identity::ApiTokenStore>(*controlPlane);
        auto admin =
            tokens->issue(QStringLiteral("ops-admin"), QDateTime::currentDateTimeUtc().addDays(1),
                          identity::ApiTokenKind::Service);
        auto viewer =
            tokens->issue(QStringLiteral("ops-viewer"), QDateTime::currentDateTimeUtc().addDays(1),
                          identity::ApiTokenKind::Service);
        auto revoked =
            tokens->issue(QStringLiteral("ops-viewer"), QDateTime::currentDateTimeUtc().addDays(1),
                          identity::ApiTokenKind::Service);
        if (!admin || !viewer || !revoked)
            return QStringLiteral("cannot issue tokens");
        if (auto gone = tokens->revoke(revoked->id); !gone)
            return gone.error().message;
        adminToken = admin->secret;
        viewerToken = viewer->secret;
        revokedToken = revoked->secret;
        adminTokenId = admin->id;
        viewerTokenId = viewer->id;

        if (options.auditLog) {
            auto signer =
                compliance::loadSigningKey(keys.filePath(QStringLiteral("audit-key.pem")), true);
            if (!signer)
                return signer.error().message;
            auto opened =
                compliance::PostgresAuditLog::open(cluster->endpoint(0), std::move(signer.value()),
                                                   options.auditSettings, *options.auditClock);
            if (!opened)
                return opened.error().message;
            auditLog = std::move(opened.value());
        }
        if (options.auditLog || options.auditOverride)
            auditStore = std::make_unique<compliance::AuditStore>(*controlPlane);

        MonitorSettings settings;
        settings.interval = std::chrono::milliseconds(200);
        settings.timeout = std::chrono::milliseconds(2000);
        monitor = std::make_unique<storage::RegionMonitor>(cluster->endpoints(), settings);
        monitor->start();

        api::ServerDeps deps;
        deps.catalog = &RegionCatalog::builtin();
        deps.monitor = monitor.get();
        deps.tokens = tokens.get();
        deps.build = {QStringLiteral("1.2.3-test"), QStringLiteral("abc\"def")};
        deps.limits = options.limits;
        deps.audit = options.auditOverride ? options.auditOverride
                                           : static_cast<compliance::AuditLog *>(auditLog.get());
        deps.auditStore = auditStore.get();
        if (options.configure) {
            if (const QString error = options.configure(deps); !error.isEmpty())
                return error;
        }
        server = std::make_unique<api::ApiServer>(deps);
        auto listening = server->listen(ListenAddress{QHostAddress(QHostAddress::LocalHost), 0});
        if (!listening)
            return listening.error().message;
        port = listening.value();
        // From here on nothing may block on this thread: the server's event loop.
        storage::forbidBlockingOn(QThread::currentThread());
        return {};
    }

    void stop()
    {
        storage::forbidBlockingOn(nullptr);
        server.reset();
        if (monitor)
            monitor->stop();
        monitor.reset();
        auditStore.reset();
        auditLog.reset();
        tokens.reset();
        controlPlane.reset();
        cluster.reset();
    }

    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path));
    }
    QUrl wsUrl(const QString &pathAndQuery) const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(port).arg(pathAndQuery));
    }
};

} // namespace upcoach::testing
