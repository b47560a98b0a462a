// console: the operations console against the regions and tenants of a configuration file and/or
// an offline audit bundle (--audit DIR, no database, no configuration); and the console options
// that demo shares.
#include "auditbundlesource.h"
#include "auditdatabasesource.h"
#include "auditeventstore.h"
#include "auditlogmodel.h"
#include "console.h"
#include "consolebackend.h"
#include "controlplane.h"
#include "modes.h"
#include "regionlistmodel.h"
#include "tenancyruntime.h"
#include "tenantworkspace.h"
#include "trafficworkspace.h"
#include "unixsignals.h"
#include "upcoach/core/logging.h"
#include "upcoach/storage/regionmonitor.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QGuiApplication>
#include <QtConcurrent/QtConcurrentRun>
#include <optional>

namespace upcoach::app {

namespace {

// The console's backend for a configuration: its audit log writer needs
// audit.signing_key_file, as serve's does (every change is recorded through it); the keyring sits
// beside that key without keys.keyring_file, as in serve; routing as configured (`routing:`).
Result<std::shared_ptr<ConsoleBackend>> openConfiguredBackend(const AppConfig &config)
{
    const RegionEndpoint *controlPlane = config.controlPlane();
    if (!controlPlane)
        return makeError(ErrorCode::Config,
                         QStringLiteral("control_plane.region is not configured"));
    auto routing = routing::RoutingSettings::fromYaml(config.routingYaml, config.baseDir,
                                                      RegionCatalog::builtin());
    if (!routing)
        return routing.error();
    ConsoleBackendSetup setup;
    setup.regions = config.regions;
    setup.controlPlane = {*controlPlane, config.audit.signingKeyFile, false, config.audit};
    setup.keys = config.keys;
    setup.defaultKeyringPath =
        QFileInfo(config.audit.signingKeyFile).absolutePath() + QStringLiteral("/tenant-keyring");
    setup.routing = std::move(routing).value();
    return openConsoleBackend(setup);
}

} // namespace

Status prepareDisplay(bool screenshotOnly)
{
    if (qEnvironmentVariableIsSet("QT_QPA_PLATFORM") || qEnvironmentVariableIsSet("DISPLAY") ||
        qEnvironmentVariableIsSet("WAYLAND_DISPLAY"))
        return {};
    if (screenshotOnly) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
        return {};
    }
    return makeError(
        ErrorCode::Unavailable,
        QStringLiteral("no display (neither DISPLAY nor WAYLAND_DISPLAY is set). Run on a "
                       "desktop, use 'demo --headless' for the server, or set "
                       "QT_QPA_PLATFORM=offscreen with --screenshot FILE.png"));
}

bool wantsScreenshot(const QStringList &arguments)
{
    return std::any_of(arguments.begin(), arguments.end(), [](const QString &a) {
        return a == QLatin1String("--screenshot") || a.startsWith(QLatin1String("--screenshot="));
    });
}

bool wantsHelp(const QStringList &arguments)
{
    return arguments.contains(QStringLiteral("--help")) ||
           arguments.contains(QStringLiteral("-h")) ||
           arguments.contains(QStringLiteral("--help-all"));
}

void addConsoleOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("kiosk"), QStringLiteral("Full screen, read-only console.")},
        {QStringLiteral("screenshot"),
         QStringLiteral(
             "Render --page offscreen once its data has loaded, write the PNG and exit."),
         QStringLiteral("FILE.png")},
        {QStringLiteral("page"),
         QStringLiteral("Page to open: %1 (default: the first one there is data for).")
             .arg(consolePages().join(QStringLiteral(", "))),
         QStringLiteral("NAME")},
        {QStringLiteral("lang"),
         QStringLiteral("Interface language: %1.")
             .arg(consoleLanguages().join(QStringLiteral(", "))),
         QStringLiteral("LANG")},
    });
}

Result<ConsoleOptions> consoleOptionsFrom(const QCommandLineParser &parser)
{
    ConsoleOptions options;
    options.screenshotPath = parser.value(QStringLiteral("screenshot"));
    if (parser.isSet(QStringLiteral("page")))
        options.page = parser.value(QStringLiteral("page"));
    options.language = parser.value(QStringLiteral("lang"));
    options.kiosk = parser.isSet(QStringLiteral("kiosk"));
    if (!options.page.isEmpty() && !consolePages().contains(options.page))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("--page: unknown page \"%1\" (pages: %2)")
                             .arg(options.page, consolePages().join(QStringLiteral(", "))));
    if (!options.language.isEmpty() && !consoleLanguages().contains(options.language))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("--lang: unknown language \"%1\" (languages: %2)")
                             .arg(options.language, consoleLanguages().join(QStringLiteral(", "))));
    return options;
}

int consoleCommand(int &argc, char **argv, const QStringList &arguments)
{
    const bool help = wantsHelp(arguments);
    if (!help) {
        if (auto display = prepareDisplay(wantsScreenshot(arguments)); !display)
            return fail(display.error().message, 2);
    }
    std::unique_ptr<QCoreApplication> application =
        help ? std::make_unique<QCoreApplication>(argc, argv)
             : std::make_unique<QApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("upcoach-ops"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Open the operations console: the regions of a configuration file (--config), an "
        "exported audit bundle (--audit, no database and no configuration needed), or both."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("config"), QStringLiteral("Configuration file (YAML)."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("audit"),
                      QStringLiteral("Audit bundle directory to review on the Audit page "
                                     "(verified on opening)."),
                      QStringLiteral("BUNDLE_DIR")});
    addConsoleOptions(parser);
    parser.process(arguments);
    logging::install(logging::Format::Text);
    const bool withConfig = parser.isSet(QStringLiteral("config"));
    const bool withAudit = parser.isSet(QStringLiteral("audit"));
    if (!withConfig && !withAudit)
        return fail(QStringLiteral("console needs --config FILE or --audit BUNDLE_DIR (or run "
                                   "'upcoach-ops demo' for the embedded default)"),
                    2);
    auto options = consoleOptionsFrom(parser);
    if (!options)
        return fail(options.error().message, 2);
    if (options->page == QLatin1String("regions") && !withConfig)
        return fail(QStringLiteral("--page regions needs --config FILE"), 2);
    if (options->page == QLatin1String("tenants") && !withConfig)
        return fail(QStringLiteral("--page tenants needs --config FILE"), 2);
    if (options->page == QLatin1String("audit") && !withAudit && !withConfig)
        return fail(QStringLiteral("--page audit needs --audit BUNDLE_DIR or --config FILE"), 2);
    const QString bundleDir = parser.value(QStringLiteral("audit"));
    if (withAudit && !QFileInfo(bundleDir).isDir())
        return fail(QStringLiteral("--audit: %1 is not a directory (give the directory that "
                                   "'audit verify' checks)")
                        .arg(bundleDir),
                    2);

    // Regions: only with a configuration. The console only reads; migrations are the job of
    // serve (and demo) at start.
    std::optional<AppConfig> config;
    if (withConfig) {
        auto loaded = AppConfig::load(parser.value(QStringLiteral("config")));
        if (!loaded)
            return fail(loaded.error().message, 2);
        config = std::move(loaded).value();
    }
    std::vector<Region> regions;
    std::unique_ptr<storage::RegionMonitor> monitor;
    std::unique_ptr<viewmodels::RegionListModel> regionModel;
    if (config) {
        for (const RegionEndpoint &endpoint : config->regions)
            regions.push_back(
                *RegionCatalog::builtin().find(endpoint.regionId)); // validated by the config
        monitor = std::make_unique<storage::RegionMonitor>(config->regions, config->monitor);
        regionModel = std::make_unique<viewmodels::RegionListModel>(regions);
        // The monitor publishes from its worker thread; the model only sees queued snapshots.
        QObject::connect(monitor.get(), &storage::RegionMonitor::snapshotPublished,
                         regionModel.get(), &viewmodels::RegionListModel::applySnapshot,
                         Qt::QueuedConnection);
        monitor->start();
        regionModel->applySnapshot(monitor->latest());
    }

    // Audit: a bundle (--audit) is verified and read on worker threads while the window is up;
    // without one, a configuration shows the live log of its control-plane database.
    // Declared in this order so the model and the sources go before the store.
    std::unique_ptr<storage::ConnectionPool> auditPool;
    std::unique_ptr<viewmodels::AuditEventStore> auditStore;
    std::unique_ptr<viewmodels::AuditLogModel> auditModel;
    std::unique_ptr<viewmodels::AuditBundleSource> bundleSource;
    std::unique_ptr<viewmodels::AuditDatabaseSource> databaseSource;
    if (withAudit || config) {
        auditStore = std::make_unique<viewmodels::AuditEventStore>();
        auditModel = std::make_unique<viewmodels::AuditLogModel>(*auditStore);
    }
    if (withAudit) {
        bundleSource = std::make_unique<viewmodels::AuditBundleSource>(*auditStore);
        bundleSource->load(bundleDir);
    } else if (config) {
        auditPool = std::make_unique<storage::ConnectionPool>(
            *config->controlPlane(), storage::PoolOptions{.maxConnections = 2});
        databaseSource = std::make_unique<viewmodels::AuditDatabaseSource>(*auditStore, *auditPool);
        databaseSource->start();
    }

    // Tenants and the Regions page's traffic: with a configuration, its control plane's registry
    // and a traffic runtime of its own (the configured policy and health checks, drains and
    // failovers through the control plane, which every serve instance polls). The pages show
    // "loading" until the backend has opened on a worker thread (or why it could not).
    // Declared before the workspaces, which must go first (their workers use the backend).
    std::shared_ptr<ConsoleBackend> backend;
    std::unique_ptr<viewmodels::TenantWorkspace> tenants;
    std::unique_ptr<viewmodels::TrafficWorkspace> traffic;
    QFutureWatcher<Result<std::shared_ptr<ConsoleBackend>>> backendStartup;
    if (config) {
        tenants = std::make_unique<viewmodels::TenantWorkspace>(nullptr);
        traffic = std::make_unique<viewmodels::TrafficWorkspace>(nullptr);
        QObject::connect(
            &backendStartup, &QFutureWatcher<Result<std::shared_ptr<ConsoleBackend>>>::finished,
            tenants.get(), [&] {
                const auto opened = backendStartup.result();
                if (!opened) {
                    reportConsoleBackendError(opened.error().message, *tenants, *traffic);
                    return;
                }
                backend = opened.value();
                attachConsoleBackend(*backend, *monitor, *tenants, *traffic);
            });
        backendStartup.setFuture(QtConcurrent::run(openConfiguredBackend, *config));
    }

    UnixSignals signals;
    QObject::connect(&signals, &UnixSignals::terminationRequested, qApp, &QCoreApplication::quit);
    const int code = runConsole(options.value(), ConsoleModels{regionModel.get(), auditModel.get(),
                                                               tenants.get(), traffic.get()});
    if (monitor)
        monitor->stop();
    backendStartup.waitForFinished();
    traffic.reset();
    tenants.reset();
    backend.reset();
    // A backend that opened after the window had closed is held by the finished future alone.
    backendStartup.setFuture(QFuture<Result<std::shared_ptr<ConsoleBackend>>>());
    return code;
}

} // namespace upcoach::app
