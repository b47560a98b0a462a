// console: the operations console against the regions of a configuration file; and the console
// options that demo shares.
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
         QStringLiteral("Page to open: %1 (default regions).")
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
    if (!consolePages().contains(options.page))
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
             : std::make_unique<QGuiApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("upcoach-ops"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Open the operations console."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("config"), QStringLiteral("Configuration file (YAML)."),
                      QStringLiteral("FILE")});
    addConsoleOptions(parser);
    parser.process(arguments);
    logging::install(logging::Format::Text);
    if (!parser.isSet(QStringLiteral("config")))
        return fail(
            QStringLiteral(
                "console needs --config FILE (or run 'upcoach-ops demo' for the embedded default)"),
            2);
    auto options = consoleOptionsFrom(parser);
    if (!options)
        return fail(options.error().message, 2);
    auto config = AppConfig::load(parser.value(QStringLiteral("config")));
    if (!config)
        return fail(config.error().message, 2);

    std::vector<Region> regions;
    for (const RegionEndpoint &endpoint : config->regions)
        regions.push_back(
            *RegionCatalog::builtin().find(endpoint.regionId)); // validated by the config
    // The console only reads; migrations are the job of serve (and demo) at start.
    storage::RegionMonitor monitor(config->regions, config->monitor);
    monitor.start();
    UnixSignals signals;
    QObject::connect(&signals, &UnixSignals::terminationRequested, qApp, &QCoreApplication::quit);
    const int code = runConsole(options.value(), regions, monitor);
    monitor.stop();
    return code;
}

} // namespace upcoach::app
