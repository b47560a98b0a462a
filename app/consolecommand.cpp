// console: the operations console against the regions of a configuration file.
#include "console.h"
#include "modes.h"
#include "unixsignals.h"
#include "upcoach/core/logging.h"
#include "upcoach/storage/regionmonitor.h"

#include <QCommandLineParser>
#include <QGuiApplication>

namespace upcoach::app {

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

Status validateConsoleOptions(const ConsoleOptions &options)
{
    if (!consolePages().contains(options.page))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("--page: unknown page \"%1\" (pages: %2)")
                             .arg(options.page, consolePages().join(QStringLiteral(", "))));
    if (!options.language.isEmpty() && !consoleLanguages().contains(options.language))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("--lang: unknown language \"%1\" (languages: %2)")
                             .arg(options.language, consoleLanguages().join(QStringLiteral(", "))));
    return {};
}

int consoleCommand(int &argc, char **argv, const QStringList &arguments)
{
    const bool screenshot = std::any_of(arguments.begin(), arguments.end(), [](const QString &a) {
        return a == QLatin1String("--screenshot") || a.startsWith(QLatin1String("--screenshot="));
    });
    if (auto display = prepareDisplay(screenshot); !display)
        return fail(display.error().message, 2);
    QGuiApplication application(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("upcoach-ops"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Open the operations console."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("config"), QStringLiteral("Configuration file (YAML)."),
         QStringLiteral("FILE")},
        {QStringLiteral("kiosk"), QStringLiteral("Full screen, read-only console.")},
        {QStringLiteral("screenshot"),
         QStringLiteral(
             "Render --page offscreen once its data has loaded, write the PNG and exit."),
         QStringLiteral("FILE.png")},
        {QStringLiteral("page"), QStringLiteral("Page to open (default regions)."),
         QStringLiteral("NAME")},
        {QStringLiteral("lang"), QStringLiteral("Interface language: en, de or ar."),
         QStringLiteral("LANG")},
    });
    parser.process(arguments);
    logging::install(logging::Format::Text);
    if (!parser.isSet(QStringLiteral("config")))
        return fail(
            QStringLiteral(
                "console needs --config FILE (or run 'upcoach-ops demo' for the embedded default)"),
            2);
    auto config = AppConfig::load(parser.value(QStringLiteral("config")));
    if (!config)
        return fail(config.error().message, 2);

    ConsoleOptions options;
    options.screenshotPath = parser.value(QStringLiteral("screenshot"));
    if (parser.isSet(QStringLiteral("page")))
        options.page = parser.value(QStringLiteral("page"));
    options.language = parser.value(QStringLiteral("lang"));
    options.kiosk = parser.isSet(QStringLiteral("kiosk"));
    if (auto valid = validateConsoleOptions(options); !valid)
        return fail(valid.error().message, 2);

    std::vector<Region> regions;
    for (const RegionEndpoint &endpoint : config->regions)
        regions.push_back(
            *RegionCatalog::builtin().find(endpoint.regionId)); // validated by the config
    // The console only reads; migrations are the job of serve (and demo) at start.
    storage::RegionMonitor monitor(config->regions, config->monitor);
    monitor.start();
    UnixSignals signals;
    QObject::connect(&signals, &UnixSignals::terminationRequested, qApp, &QCoreApplication::quit);
    const int code = runConsole(options, regions, monitor);
    monitor.stop();
    return code;
}

} // namespace upcoach::app
