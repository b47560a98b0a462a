// serve: the headless control plane, and the server half of demo --headless.
#include "buildinfo.h"
#include "controlplane.h"
#include "modes.h"
#include "tenancyruntime.h"
#include "trafficsetup.h"
#include "unixsignals.h"
#include "upcoach/api/apiserver.h"
#include "upcoach/core/logging.h"
#include "upcoach/identity/apitokens.h"
#include "upcoach/identity/scimservice.h"
#include "upcoach/identity/sessions.h"
#include "upcoach/identity/ssoservice.h"
#include "upcoach/identity/ssostore.h"
#include "upcoach/storage/bootstrap.h"
#include "upcoach/storage/connectionpool.h"
#include "upcoach/storage/regionmonitor.h"
#include "upcoach/tenancy/fieldcipher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QTextStream>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace upcoach::app {

namespace {
constexpr std::chrono::milliseconds kDrainGrace{10'000};
}

QString versionString()
{
    return QStringLiteral(UPCOACH_VERSION);
}

QString commitString()
{
    return QStringLiteral(UPCOACH_COMMIT);
}

int fail(const QString &message, int exitCode)
{
    QTextStream(stderr) << "upcoach-ops: error: " << message << '\n';
    return exitCode;
}

int runServer(const ServerSetup &setup, UnixSignals &signals)
{
    const RegionEndpoint *controlPlane = nullptr;
    for (const RegionEndpoint &endpoint : setup.regions) {
        if (endpoint.regionId == setup.controlPlaneRegion)
            controlPlane = &endpoint;
    }
    if (!controlPlane)
        return fail(QStringLiteral("control-plane region %1 is not configured")
                        .arg(setup.controlPlaneRegion));

    // Nothing runs unaudited: without its audit log the server does not start.
    auto auditLog =
        openAuditLog({*controlPlane, setup.signingKeyFile, setup.createSigningKey, setup.audit});
    if (!auditLog)
        return fail(auditLog.error().message);
    compliance::AuditRecord started;
    started.actor = QStringLiteral("service:upcoach-ops");
    started.action = QStringLiteral("server.start");
    started.classification = QStringLiteral("operations");
    started.target = QStringLiteral("control-plane:") + setup.controlPlaneRegion;
    started.details = {{QStringLiteral("version"), versionString()},
                       {QStringLiteral("listen"), setup.listen.toString()}};
    if (auto recorded = auditLog.value()->record(started).result(); !recorded)
        return fail(recorded.error().message);

    storage::RegionMonitor monitor(setup.regions, setup.monitor);
    storage::ConnectionPool controlPool(*controlPlane);
    identity::ApiTokenStore tokens(controlPool);
    compliance::AuditStore auditStore(controlPool);
    auto tenancyRuntime =
        TenancyRuntime::open(setup.regions, setup.controlPlaneRegion, *auditLog.value(), setup.keys,
                             setup.defaultKeyringPath);
    if (!tenancyRuntime)
        return fail(tenancyRuntime.error().message);
    TenancyRuntime &tenancy = *tenancyRuntime.value();
    routing::TrafficRuntimeDeps trafficDeps;
    trafficDeps.catalog = &RegionCatalog::builtin();
    trafficDeps.control = &controlPool;
    trafficDeps.audit = auditLog.value().get();
    trafficDeps.tenants = tenantResidencySource(tenancy.registry());
    routing::TrafficRuntime traffic(trafficDeps, setup.routing);
    if (auto trafficStarted = traffic.start(); !trafficStarted)
        return fail(trafficStarted.error().message);
    // The synthetic clients (demo) are answered as fast as each region's database really is.
    QObject::connect(&monitor, &storage::RegionMonitor::snapshotPublished, &traffic,
                     [&traffic](const storage::HealthSnapshotPtr &snapshot) {
                         for (const storage::RegionHealth &region : snapshot->regions)
                             traffic.setRegionDatabaseLatency(
                                 region.regionId, region.status == storage::HealthStatus::Up
                                                      ? region.latencyMs
                                                      : -1.0);
                     });
    api::ServerDeps deps{&RegionCatalog::builtin(), &monitor, &tokens,
                         api::BuildInfo{versionString(), commitString()}};
    deps.audit = auditLog.value().get();
    deps.auditStore = &auditStore;
    deps.tenants = &tenancy.registry();
    deps.tenantSessions = &tenancy.sessions();
    deps.tenantExportDir = setup.exportDir;
    deps.tenantUsers = &tenancy.users();
    deps.tenantQuota = &tenancy.quota();
    deps.impersonations = &tenancy.impersonations();
    deps.keyRotation = &tenancy.keyRotation();
    deps.traffic = &traffic; // declared before the server, so it outlives it
    identity::SsoStore ssoStore(controlPool);
    // OIDC client secrets and keys are sealed with the tenant's data key.
    tenancy::FieldCipher ssoCipher(tenancy.keys());
    ssoStore.setFieldCipher(&ssoCipher);
    identity::SsoService sso(ssoStore, tenancy.registry(), tenancy.users(), *auditLog.value(),
                             QUrl());
    deps.sso = &sso;
    identity::ScimService scim(ssoStore, tenancy.registry(), tenancy.sessions(), tenancy.quota(),
                               *auditLog.value());
    deps.scim = &scim;
    // Sign-ins start sessions (access tokens signed with the tenant's key, sealed like the OIDC
    // secrets); SCIM deprovisioning ends a user's sessions at once.
    identity::SessionService sessions(controlPool, ssoCipher, *auditLog.value(), QString());
    sso.setSessions(&sessions);
    deps.sessions = &sessions;
    scim.setDeprovisionHook([&sessions](const QUuid &tenantId, const QString &slug,
                                        const QString &userId) {
        compliance::ActorContext actor;
        actor.actor = QStringLiteral("service:scim");
        if (auto revoked =
                sessions.revokeUser(tenantId, slug, userId, QStringLiteral("deprovisioned"), actor);
            !revoked)
            qCWarning(lcApp).noquote()
                << "revoking a deprovisioned user's sessions:" << revoked.error().message;
    });
    // Declared after the audit log and store, so it is destroyed first.
    api::ApiServer server(deps);
    // From here on the main thread runs the event loop: blocking database work on it is a bug.
    storage::forbidBlockingOn(QThread::currentThread());
    auto bound = server.listen(setup.listen);
    if (!bound) {
        storage::forbidBlockingOn(nullptr);
        return fail(bound.error().message);
    }
    // SAML entity ids and ACS URLs are derived from the public URL: UPCOACH_PUBLIC_URL (the
    // address IdPs and browsers use, e.g. behind a load balancer), else the bound address.
    const QString publicUrl = qEnvironmentVariable("UPCOACH_PUBLIC_URL");
    if (!publicUrl.isEmpty()) {
        sso.setPublicBaseUrl(QUrl(publicUrl, QUrl::StrictMode));
    } else {
        QString host = setup.listen.address.toString();
        if (host == QStringLiteral("0.0.0.0") || host == QStringLiteral("::"))
            host = QStringLiteral("127.0.0.1");
        else if (host.contains(QLatin1Char(':')))
            host = QLatin1Char('[') + host + QLatin1Char(']');
        sso.setPublicBaseUrl(QUrl(QStringLiteral("http://%1:%2").arg(host).arg(*bound)));
    }
    sessions.setIssuer(sso.publicBaseUrl().toString(QUrl::FullyEncoded));
    monitor.start();
    // Tenants whose provisioning was interrupted (a crash, a region that was down) are finished
    // now and every 5 minutes; on the same schedule trials that ended are suspended, deleted
    // tenants past retention are purged, and data keys due for rotation are rotated.
    tenancy::ActorContext scheduler;
    scheduler.actor = QStringLiteral("service:upcoach-ops");
    auto housekeeping = [&tenancy, scheduler](bool atStart) {
        return QtConcurrent::run([&tenancy, scheduler, atStart] {
            // After an upgrade, the tenants' own schemas and databases get the new tenant
            // migrations (tenant_shared was migrated with the regional databases).
            if (atStart) {
                if (auto migrated = tenancy.registry().migratePlacements(); !migrated)
                    qCWarning(lcApp).noquote()
                        << "migrating tenant placements:" << migrated.error().message;
                else if (*migrated > 0)
                    qCInfo(lcApp) << "tenant migrations applied to placements:" << *migrated;
            }
            if (auto resumed = tenancy.registry().resumeProvisioning(scheduler); !resumed)
                qCWarning(lcApp).noquote()
                    << "resuming tenant provisioning:" << resumed.error().message;
            if (auto expired = tenancy.registry().expireTrials(scheduler); !expired)
                qCWarning(lcApp).noquote() << "expiring trials:" << expired.error().message;
            if (auto purged = tenancy.registry().purgeDeleted(scheduler); !purged)
                qCWarning(lcApp).noquote() << "purging deleted tenants:" << purged.error().message;
            if (auto rotated = tenancy.keyRotation().rotateDue(scheduler); !rotated)
                qCWarning(lcApp).noquote()
                    << "rotating tenant data keys:" << rotated.error().message;
            else if (rotated->rotated > 0 || rotated->failed > 0)
                qCInfo(lcApp) << "tenant data keys rotated:" << rotated->rotated
                              << "failed:" << rotated->failed << "still due:" << rotated->remaining;
            // After a KEK rotation (a new keyring or HSM key version), data keys still wrapped
            // by the old one are re-wrapped in batches.
            if (auto rewrapped = tenancy.keys().rewrapAll(); !rewrapped)
                qCWarning(lcApp).noquote()
                    << "re-wrapping tenant data keys:" << rewrapped.error().message;
        });
    };
    QFuture<void> running = housekeeping(true);
    QTimer housekeepingTimer;
    housekeepingTimer.setInterval(std::chrono::minutes(5));
    QObject::connect(&housekeepingTimer, &QTimer::timeout, &server, [&] {
        if (running.isFinished())
            running = housekeeping(false);
    });
    housekeepingTimer.start();
    ListenAddress actual = setup.listen;
    actual.port = bound.value();
    qCInfo(lcApp).noquote() << QStringLiteral("serving on http://") + actual.toString() << "with"
                            << setup.regions.size() << "region(s); control plane"
                            << setup.controlPlaneRegion;

    bool draining = false;
    QObject::connect(&signals, &UnixSignals::terminationRequested, &server, [&](int number) {
        if (draining)
            return;
        draining = true;
        qCInfo(lcApp) << "signal" << number << "received: draining in-flight requests";
        server.drain(kDrainGrace);
    });
    QObject::connect(&server, &api::ApiServer::drained, qApp, &QCoreApplication::quit);
    const int code = QCoreApplication::exec();
    housekeepingTimer.stop();
    running.waitForFinished();
    monitor.stop();
    traffic.stop();
    storage::forbidBlockingOn(nullptr);
    compliance::AuditRecord stopped = started;
    stopped.action = QStringLiteral("server.stop");
    stopped.details = {{QStringLiteral("version"), versionString()}};
    if (auto recorded = auditLog.value()->record(stopped).result(); !recorded)
        qCWarning(lcApp).noquote() << recorded.error().message;
    qCInfo(lcApp) << "server stopped";
    return code;
}

int serveCommand(int &argc, char **argv, const QStringList &arguments)
{
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("upcoach-ops"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Run the headless control plane."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("config"), QStringLiteral("Configuration file (YAML)."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("listen"),
                      QStringLiteral("Address to listen on (overrides server.listen)."),
                      QStringLiteral("ADDR:PORT")});
    parser.process(arguments);
    if (!parser.isSet(QStringLiteral("config")))
        return fail(QStringLiteral("serve needs --config FILE (see README, section Configuration)"),
                    2);

    auto config = AppConfig::load(parser.value(QStringLiteral("config")));
    if (!config)
        return fail(config.error().message, 2);
    logging::install(config->jsonLogs ? logging::Format::JsonLines : logging::Format::Text);
    if (parser.isSet(QStringLiteral("listen"))) {
        auto listen = ListenAddress::parse(parser.value(QStringLiteral("listen")));
        if (!listen)
            return fail(QStringLiteral("--listen: ") + listen.error().message, 2);
        config->listen = listen.value();
    }
    UnixSignals signals;
    if (auto prepared = storage::prepareDatabases(config->regions, config->controlPlaneRegion,
                                                  storage::RegionsRequired::ControlPlaneOnly);
        !prepared)
        return fail(prepared.error().message);
    ServerSetup setup;
    setup.regions = config->regions;
    setup.controlPlaneRegion = config->controlPlaneRegion;
    setup.monitor = config->monitor;
    setup.listen = config->listen;
    setup.signingKeyFile = config->audit.signingKeyFile;
    setup.audit = config->audit;
    setup.keys = config->keys;
    setup.exportDir = config->exportDir;
    // Without keys.keyring_file, the keyring sits beside the audit signing key (both secrets).
    setup.defaultKeyringPath =
        QFileInfo(config->audit.signingKeyFile).absolutePath() + QStringLiteral("/tenant-keyring");
    auto routing = routing::RoutingSettings::fromYaml(config->routingYaml, config->baseDir,
                                                      RegionCatalog::builtin());
    if (!routing)
        return fail(routing.error().message, 2);
    setup.routing = routing.value();
    return runServer(setup, signals);
}

} // namespace upcoach::app
