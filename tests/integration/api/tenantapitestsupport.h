// Plumbing of the tenant API suites (test_api_tenants, test_api_tenant_ops): the tenancy backend
// on real PostgreSQL (tests/integration/tenancy/tenancyfixture.h: throwaway clusters, the real
// audit log, registry and sessions) behind an ApiServer on an ephemeral port, with an ops-admin
// and an ops-viewer token; requests that wait long enough for a database-per-tenant
// provisioning on a loaded machine; and the audit events of a query. The test thread is the
// server's event loop and is marked so that blocking on it fails.
#pragma once

#include "apitestsupport.h"
#include "tenancyfixture.h"

#include <functional>
#include <vector>

namespace upcoach::testing {

class TenantApiFixture
{
public:
    std::unique_ptr<TenancyFixture> tenancy;
    std::unique_ptr<storage::ConnectionPool> control;
    std::unique_ptr<identity::ApiTokenStore> tokens;
    std::unique_ptr<storage::RegionMonitor> monitor;
    std::unique_ptr<api::ApiServer> server;
    quint16 port = 0;
    QByteArray admin;
    QByteArray viewer;
    QString adminId;
    QString viewerId;

    // Starts `regions` clusters and everything on them; `configure` completes the server's
    // dependencies (tenant sessions, exports, tenant operations) before it starts. Returns an
    // error text, or an empty string.
    QString start(int regions, const std::function<void(api::ServerDeps &)> &configure = {})
    {
        tenancy = std::make_unique<TenancyFixture>(regions);
        if (!tenancy->ok())
            return tenancy->error();
        control = std::make_unique<storage::ConnectionPool>(tenancy->cluster().endpoint(0));
        tokens = std::make_unique<identity::ApiTokenStore>(*control);
        auto issuedAdmin =
            tokens->issue(QStringLiteral("ops-admin"), QDateTime::currentDateTimeUtc().addDays(1),
                          identity::ApiTokenKind::Service);
        auto issuedViewer =
            tokens->issue(QStringLiteral("ops-viewer"), QDateTime::currentDateTimeUtc().addDays(1),
                          identity::ApiTokenKind::Service);
        if (!issuedAdmin || !issuedViewer)
            return QStringLiteral("cannot issue tokens");
        admin = issuedAdmin->secret;
        viewer = issuedViewer->secret;
        adminId = issuedAdmin->id;
        viewerId = issuedViewer->id;

        MonitorSettings settings;
        settings.interval = std::chrono::seconds(1);
        monitor =
            std::make_unique<storage::RegionMonitor>(tenancy->cluster().endpoints(), settings);
        monitor->start();

        api::ServerDeps deps = baseDeps();
        deps.auditStore = &tenancy->auditStore();
        if (configure)
            configure(deps);
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
        tokens.reset();
        control.reset();
        tenancy.reset();
    }

    // Catalog, monitor, tokens, the audit log and the registry: for extra servers a test starts
    // with other dependencies.
    api::ServerDeps baseDeps() const
    {
        api::ServerDeps deps;
        deps.catalog = &RegionCatalog::builtin();
        deps.monitor = monitor.get();
        deps.tokens = tokens.get();
        deps.audit = &tenancy->auditLog();
        deps.tenants = &tenancy->registry();
        return deps;
    }

    QUrl url(const QString &pathAndQuery, quint16 otherPort = 0) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2")
                        .arg(otherPort ? otherPort : port)
                        .arg(pathAndQuery));
    }

    // `token` empty: no Authorization header. `otherPort`: another server than the fixture's.
    HttpReply send(const QByteArray &verb, const QString &pathAndQuery, const QByteArray &token,
                   const QByteArray &body = {},
                   const QList<QPair<QByteArray, QByteArray>> &headers = {}, quint16 otherPort = 0)
    {
        QNetworkRequest request(url(pathAndQuery, otherPort));
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token);
        for (const auto &[name, value] : headers)
            request.setRawHeader(name, value);
        std::unique_ptr<QNetworkReply> reply(m_nam.sendCustomRequest(request, verb, body));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(180000);
        HttpReply result;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = reply->readAll();
        result.error = reply->error();
        for (const auto &[name, value] : reply->rawHeaderPairs())
            result.headers.insert(name.toLower(), value);
        return result;
    }

    // The audit events of a query, oldest first (the store blocks: off the test thread).
    std::vector<compliance::AuditEvent> audit(compliance::AuditQuery query)
    {
        query.oldestFirst = true;
        query.limit = 1000;
        compliance::AuditStore *store = &tenancy->auditStore();
        const auto page = offThread([store, query] { return store->list(query); });
        if (!page) {
            qWarning() << "audit listing failed:" << page.error().message;
            return {};
        }
        return page->events;
    }

    std::vector<compliance::AuditEvent> auditOfTenant(const QString &slug)
    {
        compliance::AuditQuery query;
        query.tenant = slug;
        return audit(query);
    }

    std::vector<compliance::AuditEvent> auditOfRequest(const QByteArray &requestId)
    {
        std::vector<compliance::AuditEvent> matching;
        for (const compliance::AuditEvent &event : audit({}))
            if (event.requestId == QString::fromLatin1(requestId))
                matching.push_back(event);
        return matching;
    }

private:
    QNetworkAccessManager m_nam;
};

} // namespace upcoach::testing
