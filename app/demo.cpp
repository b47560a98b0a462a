// demo: the embedded default. Starts one private PostgreSQL cluster per region, prepares them,
// writes a fresh ops-admin token, then opens the console or (--headless) serves.
#include "console.h"
#include "modes.h"
#include "unixsignals.h"
#include "upcoach/core/logging.h"
#include "upcoach/identity/apitokens.h"
#include "upcoach/storage/bootstrap.h"
#include "upcoach/storage/connectionpool.h"
#include "upcoach/storage/embeddedclusters.h"
#include "upcoach/storage/regionmonitor.h"

#include <QCommandLineParser>
#include <QFile>
#include <QGuiApplication>
#include <QTextStream>
#include <memory>

namespace upcoach::app {

namespace {

Status writeAdminToken(const RegionEndpoint &controlPlane, const QString &stateDir, QString *path)
{
    storage::ConnectionPool pool(controlPlane, storage::PoolOptions{.maxConnections = 1});
    identity::ApiTokenStore tokens(pool);
    auto token = tokens.issue(QStringLiteral("ops-admin"));
    if (!token)
        return token.error();
    *path = stateDir + QStringLiteral("/admin-token");
    QFile file(*path);
    QFile::remove(*path); // a fresh file, so its permissions are ours from the first byte
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("cannot write %1: %2").arg(*path, file.errorString()));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(token->secret + '\n');
    return {};
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
                                         : std::make_unique<QGuiApplication>(argc, argv);
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
    // Signals during the start are held until the event loop runs; the clusters still stop.
    UnixSignals signals;
    auto clusters = storage::EmbeddedClusters::start(options);
    if (!clusters)
        return fail(clusters.error().message);
    const std::vector<RegionEndpoint> endpoints = clusters.value()->endpoints();
    const QString controlPlane = endpoints.front().regionId;
    if (auto prepared = storage::prepareDatabases(endpoints, controlPlane); !prepared)
        return fail(prepared.error().message);
    QString tokenPath;
    if (auto written = writeAdminToken(endpoints.front(), clusters.value()->stateDir(), &tokenPath);
        !written)
        return fail(written.error().message);
    qCInfo(lcApp).noquote() << "an ops-admin API token is in" << tokenPath << "(mode 0600)";

    int code = 0;
    if (headless) {
        code = runServer({endpoints, controlPlane, monitorSettings, listen}, signals);
    } else {
        storage::RegionMonitor monitor(endpoints, monitorSettings);
        monitor.start();
        QObject::connect(&signals, &UnixSignals::terminationRequested, qApp,
                         &QCoreApplication::quit);
        code = runConsole(consoleOptions, regions, monitor);
        monitor.stop();
    }
    if (auto stopped = clusters.value()->stop(); !stopped)
        return fail(stopped.error().message);
    return code;
}

} // namespace upcoach::app
