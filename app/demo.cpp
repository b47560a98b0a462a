// demo: the embedded default. Starts one private PostgreSQL cluster per region, prepares them,
// writes a fresh ops-admin token, then opens the console or (--headless) serves.
#include "console.h"
#include "consolebackend.h"
#include "controlplane.h"
#include "modes.h"
#include "regionlistmodel.h"
#include "tenancyruntime.h"
#include "tenantworkspace.h"
#include "trafficsetup.h"
#include "trafficworkspace.h"
#include "unixsignals.h"
#include "upcoach/core/logging.h"
#include "upcoach/identity/apitokens.h"
#include "upcoach/identity/ssostore.h"
#include "upcoach/storage/bootstrap.h"
#include "upcoach/storage/connectionpool.h"
#include "upcoach/storage/embeddedclusters.h"
#include "upcoach/storage/regionmonitor.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QFutureWatcher>
#include <QTextStream>
#include <QtConcurrent/QtConcurrentRun>
#include <memory>

namespace upcoach::app {

namespace {

// A fresh owner-only file holding one secret line.
Status writeSecretFile(const QString &path, const QByteArray &secret)
{
    QFile file(path);
    QFile::remove(path); // a fresh file, so its permissions are ours from the first byte
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(secret + '\n');
    return {};
}

Status writeAdminToken(const RegionEndpoint &controlPlane, const QString &stateDir,
                       compliance::AuditLog &log, QString *path)
{
    storage::ConnectionPool pool(controlPlane, storage::PoolOptions{.maxConnections = 1});
    identity::ApiTokenStore tokens(pool);
    // A service token: the demo's scripts and kiosk use it without a second factor, so it
    // expires (a fresh one is written at every start). People get operator tokens
    // (`token issue --role ops-admin`), which need TOTP.
    auto token =
        tokens.issue(QStringLiteral("ops-admin"), QDateTime::currentDateTimeUtc().addDays(30),
                     identity::ApiTokenKind::Service);
    if (!token)
        return token.error();
    compliance::AuditRecord issued;
    issued.actor = QStringLiteral("service:upcoach-ops");
    issued.action = QStringLiteral("api-token.issue");
    issued.target = QStringLiteral("api-token:") + token->id;
    issued.details = {{QStringLiteral("tokenId"), token->id},
                      {QStringLiteral("role"), token->role},
                      {QStringLiteral("kind"), identity::apiTokenKindName(token->kind)},
                      {QStringLiteral("purpose"), QStringLiteral("demo admin token")}};
    if (auto recorded = log.record(issued).result(); !recorded) {
        (void)tokens.revoke(token->id);
        return recorded.error();
    }
    *path = stateDir + QStringLiteral("/admin-token");
    return writeSecretFile(*path, token->secret);
}

// The demo's identity setup for its SSO tenant: a SAML connection (Okta preset) trusting a demo
// IdP certificate (the IdP's private key is not kept: nobody can sign as it), and a fresh SCIM
// token in <state>/scim-token (0600) on every start, recorded like any rotation.
constexpr const char *kDemoSsoTenant = "fabrikam";

Status seedDemoIdentity(TenancyRuntime &tenancy, compliance::AuditLog &log,
                        const RegionEndpoint &controlPlane, const QString &stateDir)
{
    auto tenant = tenancy.registry().get(QLatin1String(kDemoSsoTenant));
    if (!tenant)
        return tenant.error().code == ErrorCode::NotFound ? Status() : Status(tenant.error());
    storage::ConnectionPool pool(controlPlane, storage::PoolOptions{.maxConnections = 1});
    identity::SsoStore store(pool);
    auto connections = store.connections(tenant->id);
    if (!connections)
        return connections.error();
    if (connections->empty()) {
        auto idpKeys = identity::generateSamlKeyPair(QStringLiteral("Fabrikam demo IdP"));
        if (!idpKeys)
            return idpKeys.error();
        identity::SamlConnectionSettings settings;
        settings.idp.entityId = QStringLiteral("https://idp.fabrikam.example/metadata");
        settings.idp.ssoRedirectUrl = QUrl(QStringLiteral("https://idp.fabrikam.example/sso"));
        settings.idp.certificatesPem = {idpKeys->certificatePem};
        const auto okta = identity::ssoPreset(QStringLiteral("okta"));
        settings.emailAttribute = okta->emailAttribute;
        settings.displayNameAttribute = okta->displayNameAttribute;
        settings.groupsAttribute = okta->groupsAttribute;
        settings.roleRules = {
            {okta->groupsAttribute, QStringLiteral("Coaches"), QStringLiteral("coach")},
            {okta->groupsAttribute, QStringLiteral("Admins"), QStringLiteral("admin")}};
        identity::NewSsoConnection connection;
        connection.name = QStringLiteral("Fabrikam Okta");
        connection.preset = QStringLiteral("okta");
        connection.emailDomains = {QStringLiteral("fabrikam.example")};
        connection.settings = identity::samlSettingsToJson(settings);
        if (auto created = store.createConnection(tenant->id, connection); !created)
            return created.error();
    }
    compliance::AuditRecord rotated;
    rotated.actor = QStringLiteral("service:upcoach-ops");
    rotated.tenant = tenant->slug;
    rotated.action = QStringLiteral("sso.scim.token-rotate");
    rotated.target = QStringLiteral("tenant:") + tenant->slug;
    rotated.details = {{QStringLiteral("purpose"), QStringLiteral("demo SCIM token")}};
    if (auto recorded = log.record(rotated).result(); !recorded)
        return recorded.error();
    auto token = store.rotateScimToken(tenant->id);
    if (!token)
        return token.error();
    const QString path = stateDir + QStringLiteral("/scim-token");
    if (Status written = writeSecretFile(path, token->secret); !written)
        return written;
    qCInfo(lcApp).noquote() << "a SCIM token for tenant" << tenant->slug << "is in" << path
                            << "(mode 0600)";
    return {};
}

struct EmbeddedStart
{
    std::shared_ptr<storage::EmbeddedClusters> clusters;
    std::vector<RegionEndpoint> endpoints;
};

// Starts the regional clusters, prepares their databases and writes a fresh admin token.
// Blocking; runs on a worker thread when the console is up meanwhile.
Result<EmbeddedStart> startEmbedded(const storage::EmbeddedOptions &options)
{
    auto clusters = storage::EmbeddedClusters::start(options);
    if (!clusters)
        return clusters.error();
    EmbeddedStart started{std::move(clusters.value()), {}};
    started.endpoints = started.clusters->endpoints();
    const QString controlPlane = started.endpoints.front().regionId;
    if (auto prepared = storage::prepareDatabases(started.endpoints, controlPlane); !prepared)
        return prepared.error();
    auto log = openAuditLog({started.endpoints.front(),
                             embeddedSigningKeyPath(started.clusters->stateDir()),
                             true,
                             {}});
    if (!log)
        return log.error();
    QString tokenPath;
    if (auto written = writeAdminToken(started.endpoints.front(), started.clusters->stateDir(),
                                       *log.value(), &tokenPath);
        !written)
        return written.error();
    qCInfo(lcApp).noquote() << "an ops-admin API token is in" << tokenPath << "(mode 0600)";
    // First start: a realistic set of tenants across the regions and strategies.
    auto tenancy = TenancyRuntime::open(started.endpoints, controlPlane, *log.value(), {},
                                        embeddedKeyringPath(started.clusters->stateDir()));
    if (!tenancy)
        return tenancy.error();
    // A state directory from an older build: its tenants' own schemas and databases get the
    // tenant migrations added since.
    if (auto migrated = tenancy.value()->registry().migratePlacements(); !migrated)
        return migrated.error();
    QStringList regionIds;
    for (const RegionEndpoint &endpoint : started.endpoints)
        regionIds << endpoint.regionId;
    if (auto seeded = seedDemoTenants(*tenancy.value(), regionIds); !seeded)
        return seeded.error();
    if (Status identity = seedDemoIdentity(*tenancy.value(), *log.value(),
                                           started.endpoints.front(), started.clusters->stateDir());
        !identity)
        return identity.error().context(QStringLiteral("demo identity"));
    return started;
}

// The console's backend once the clusters are up: the first cluster is the control plane; the
// embedded routing settings (a TCP check per cluster, synthetic clients).
Result<std::shared_ptr<ConsoleBackend>> openDemoBackend(const EmbeddedStart &started)
{
    ConsoleBackendSetup setup;
    setup.regions = started.endpoints;
    setup.controlPlane = {
        started.endpoints.front(), embeddedSigningKeyPath(started.clusters->stateDir()), true, {}};
    setup.defaultKeyringPath = embeddedKeyringPath(started.clusters->stateDir());
    setup.routing = embeddedRoutingSettings(started.endpoints);
    return openConsoleBackend(setup);
}

} // namespace

int demoCommand(int &argc, char **argv, const QStringList &arguments)
{
    // Decide the application type before parsing fully: a GUI application needs a display.
    const bool headless = arguments.contains(QStringLiteral("--headless"));
    if (!headless && !wantsHelp(arguments)) {
        if (auto display = prepareDisplay(wantsScreenshot(arguments)); !display)
            return fail(display.error().message, 2);
    }
    std::unique_ptr<QCoreApplication> application =
        headless || wantsHelp(arguments) ? std::make_unique<QCoreApplication>(argc, argv)
                                         : std::make_unique<QApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("upcoach-ops"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Embedded default: one private PostgreSQL 15 cluster per region, then the console."));
    parser.addHelpOption();
    const int regionCount = int(RegionCatalog::builtin().regions().size());
    parser.addOptions({
        {QStringLiteral("regions"),
         QStringLiteral("Start the first N regions (1-%1, default all).").arg(regionCount),
         QStringLiteral("N")},
        {QStringLiteral("state-dir"),
         QStringLiteral("State directory (default %1).")
             .arg(storage::EmbeddedClusters::defaultStateDir()),
         QStringLiteral("DIR")},
        {QStringLiteral("headless"),
         QStringLiteral("Serve the HTTP API instead of opening the console.")},
        {QStringLiteral("listen"),
         QStringLiteral("With --headless: address to listen on (default 127.0.0.1:8080)."),
         QStringLiteral("ADDR:PORT")},
        {QStringLiteral("probe-interval"),
         QStringLiteral("How often regions are probed (default 2s)."), QStringLiteral("DURATION")},
    });
    addConsoleOptions(parser);
    parser.process(arguments);
    logging::install(headless ? logging::Format::JsonLines : logging::Format::Text);

    int count = regionCount;
    if (parser.isSet(QStringLiteral("regions"))) {
        bool ok = false;
        count = parser.value(QStringLiteral("regions")).toInt(&ok);
        if (!ok || count < 1 || count > regionCount)
            return fail(
                QStringLiteral("--regions must be a whole number from 1 to %1").arg(regionCount),
                2);
    }
    MonitorSettings monitorSettings;
    monitorSettings.interval = std::chrono::milliseconds(2000);
    monitorSettings.timeout = std::chrono::milliseconds(1500);
    if (parser.isSet(QStringLiteral("probe-interval"))) {
        auto interval = parseDuration(parser.value(QStringLiteral("probe-interval")));
        if (!interval || interval.value() < std::chrono::milliseconds(100))
            return fail(
                QStringLiteral("--probe-interval: give a duration of at least 100ms, like 2s"), 2);
        monitorSettings.interval = interval.value();
        monitorSettings.timeout = std::min(monitorSettings.timeout, interval.value());
    }
    ListenAddress listen;
    if (parser.isSet(QStringLiteral("listen"))) {
        auto parsed = ListenAddress::parse(parser.value(QStringLiteral("listen")));
        if (!parsed)
            return fail(QStringLiteral("--listen: ") + parsed.error().message, 2);
        listen = parsed.value();
    }
    ConsoleOptions consoleOptions;
    if (!headless) {
        auto parsed = consoleOptionsFrom(parser);
        if (!parsed)
            return fail(parsed.error().message, 2);
        consoleOptions = parsed.value();
    }

    const std::vector<Region> regions = RegionCatalog::builtin().firstN(count);
    storage::EmbeddedOptions options;
    options.stateDir = parser.isSet(QStringLiteral("state-dir"))
                           ? parser.value(QStringLiteral("state-dir"))
                           : storage::EmbeddedClusters::defaultStateDir();
    options.regions = regions;
    UnixSignals signals;

    if (headless) {
        // Nothing to show while the clusters start, so the start runs right here.
        auto started = startEmbedded(options);
        if (!started)
            return fail(started.error().message);
        const QString controlPlane = started->endpoints.front().regionId;
        ServerSetup setup;
        setup.regions = started->endpoints;
        setup.controlPlaneRegion = controlPlane;
        setup.monitor = monitorSettings;
        setup.listen = listen;
        setup.signingKeyFile = embeddedSigningKeyPath(started->clusters->stateDir());
        setup.createSigningKey = true;
        setup.defaultKeyringPath = embeddedKeyringPath(started->clusters->stateDir());
        setup.exportDir = started->clusters->stateDir() + QStringLiteral("/exports");
        setup.routing = embeddedRoutingSettings(started->endpoints);
        const int code = runServer(setup, signals);
        if (auto stopped = started->clusters->stop(); !stopped)
            return fail(stopped.error().message);
        return code;
    }

    // The console: the window comes up at once ("waiting for data") while the clusters start on
    // a worker thread; then the monitor starts probing and the tenancy backend opens (on a worker
    // too) and is handed to the Tenants page.
    storage::RegionMonitor monitor({}, monitorSettings);
    viewmodels::RegionListModel regionModel(regions);
    // The monitor publishes from its worker thread; the model only sees queued snapshots.
    QObject::connect(&monitor, &storage::RegionMonitor::snapshotPublished, &regionModel,
                     &viewmodels::RegionListModel::applySnapshot, Qt::QueuedConnection);
    regionModel.applySnapshot(monitor.latest());
    // Declared before the workspaces, which must go first (their workers use the backend).
    std::shared_ptr<ConsoleBackend> backend;
    auto tenants = std::make_unique<viewmodels::TenantWorkspace>(nullptr);
    auto traffic = std::make_unique<viewmodels::TrafficWorkspace>(nullptr);
    QFutureWatcher<Result<std::shared_ptr<ConsoleBackend>>> backendStartup;
    QObject::connect(&backendStartup,
                     &QFutureWatcher<Result<std::shared_ptr<ConsoleBackend>>>::finished,
                     tenants.get(), [&] {
                         const auto opened = backendStartup.result();
                         if (!opened) {
                             reportConsoleBackendError(opened.error().message, *tenants, *traffic);
                             return;
                         }
                         backend = opened.value();
                         attachConsoleBackend(*backend, monitor, *tenants, *traffic);
                     });
    QFutureWatcher<Result<EmbeddedStart>> startup;
    QObject::connect(&startup, &QFutureWatcher<Result<EmbeddedStart>>::finished, &monitor, [&] {
        const Result<EmbeddedStart> started = startup.result();
        if (!started) {
            fail(started.error().message);
            QCoreApplication::exit(1);
            return;
        }
        monitor.setEndpoints(started->endpoints);
        monitor.start();
        backendStartup.setFuture(QtConcurrent::run(openDemoBackend, started.value()));
    });
    startup.setFuture(QtConcurrent::run(startEmbedded, options));
    QObject::connect(&signals, &UnixSignals::terminationRequested, qApp, &QCoreApplication::quit);
    const int code = runConsole(consoleOptions,
                                ConsoleModels{&regionModel, nullptr, tenants.get(), traffic.get()});
    monitor.stop();
    // Closed before the start finished: let it finish, then stop what it started. The console's
    // tenancy backend (and its audit log, which writes what is queued) goes before the clusters.
    startup.waitForFinished();
    backendStartup.waitForFinished();
    traffic.reset();
    tenants.reset();
    backend.reset();
    // A backend that opened after the window had closed is held by the finished future alone.
    backendStartup.setFuture(QFuture<Result<std::shared_ptr<ConsoleBackend>>>());
    if (const Result<EmbeddedStart> started = startup.result(); started) {
        if (auto stopped = started->clusters->stop(); !stopped)
            return fail(stopped.error().message);
    }
    return code;
}

} // namespace upcoach::app
