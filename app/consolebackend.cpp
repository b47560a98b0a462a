#include "consolebackend.h"

#include "console.h"
#include "tenantworkspace.h"
#include "trafficsetup.h"
#include "trafficworkspace.h"
#include "upcoach/core/logging.h"
#include "upcoach/core/regioncatalog.h"
#include "upcoach/storage/regionmonitor.h"

#include <QCoreApplication>

namespace upcoach::app {

Result<std::shared_ptr<ConsoleBackend>> openConsoleBackend(const ConsoleBackendSetup &setup)
{
    auto log = openAuditLog(setup.controlPlane);
    if (!log)
        return log.error();
    auto backend = std::make_shared<ConsoleBackend>();
    backend->auditLog = std::move(log).value();
    backend->controlPool = std::make_unique<storage::ConnectionPool>(
        setup.controlPlane.endpoint, storage::PoolOptions{.maxConnections = 2});
    backend->auditStore = std::make_unique<compliance::AuditStore>(*backend->controlPool);
    auto runtime = TenancyRuntime::open(setup.regions, setup.controlPlane.endpoint.regionId,
                                        *backend->auditLog, setup.keys, setup.defaultKeyringPath);
    if (!runtime)
        return runtime.error();
    backend->runtime = std::move(runtime).value();
    for (const RegionEndpoint &endpoint : setup.regions)
        backend->regions << endpoint.regionId;
    // SSO URLs name the server IdPs and browsers reach: UPCOACH_PUBLIC_URL, else serve's default.
    const QString publicUrl =
        qEnvironmentVariable("UPCOACH_PUBLIC_URL", QStringLiteral("http://127.0.0.1:8080"));
    backend->cipher = std::make_unique<tenancy::FieldCipher>(backend->runtime->keys());
    backend->ssoStore = std::make_unique<identity::SsoStore>(*backend->controlPool);
    backend->ssoStore->setFieldCipher(backend->cipher.get());
    backend->sso = std::make_unique<identity::SsoService>(
        *backend->ssoStore, backend->runtime->registry(), backend->runtime->users(),
        *backend->auditLog, QUrl(publicUrl));
    backend->sessions = std::make_unique<identity::SessionService>(
        *backend->controlPool, *backend->cipher, *backend->auditLog, publicUrl);

    routing::TrafficRuntimeDeps trafficDeps;
    trafficDeps.catalog = &RegionCatalog::builtin();
    trafficDeps.control = backend->controlPool.get();
    trafficDeps.audit = backend->auditLog.get();
    trafficDeps.tenants = tenantResidencySource(backend->runtime->registry());
    backend->traffic = std::make_unique<routing::TrafficRuntime>(trafficDeps, setup.routing);
    if (auto started = backend->traffic->start(); !started)
        return started.error();
    // Opened on a worker thread; its signals are for the console's thread.
    backend->traffic->moveToThread(QCoreApplication::instance()->thread());
    return backend;
}

void attachConsoleBackend(ConsoleBackend &backend, storage::RegionMonitor &monitor,
                          viewmodels::TenantWorkspace &tenants,
                          viewmodels::TrafficWorkspace &traffic)
{
    traffic.setRuntime(backend.traffic.get(), RegionCatalog::builtin(), consoleActor());
    QObject::connect(&monitor, &storage::RegionMonitor::snapshotPublished, &traffic,
                     [runtime = backend.traffic.get()](const storage::HealthSnapshotPtr &snapshot) {
                         for (const storage::RegionHealth &region : snapshot->regions)
                             runtime->setRegionDatabaseLatency(
                                 region.regionId, region.status == storage::HealthStatus::Up
                                                      ? region.latencyMs
                                                      : -1.0);
                     });
    tenants.setBackend({&backend.runtime->registry(), &backend.runtime->sessions(),
                        backend.auditStore.get(), backend.regions, consoleActor(),
                        &backend.runtime->users(), &backend.runtime->quota(),
                        &backend.runtime->impersonations(), &backend.runtime->keyRotation()});
    tenants.setIdentityBackend(
        {backend.sso.get(), backend.sessions.get(), &backend.runtime->registry(), consoleActor()});
}

void reportConsoleBackendError(const QString &message, viewmodels::TenantWorkspace &tenants,
                               viewmodels::TrafficWorkspace &traffic)
{
    qCWarning(lcApp).noquote() << "the Tenants and Regions pages have no backend:" << message;
    tenants.setBackendError(message);
    traffic.setRuntimeError(message);
}

} // namespace upcoach::app
