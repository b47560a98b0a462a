#include "console.h"

#include "auditlogmodel.h"
#include "regionlistmodel.h"
#include "tenantworkspace.h"
#include "trafficworkspace.h"
#include "upcoach/core/logging.h"

#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QLocale>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTextStream>
#include <QTimer>
#include <QTranslator>
#include <QUrl>
#include <QtQml/qqmlextensionplugin.h>
#include <chrono>
#include <mutex>
#include <pwd.h>
#include <unistd.h>

// The QML modules are static libraries; their plugins must be pulled in explicitly.
Q_IMPORT_QML_PLUGIN(UpCoach_OpsPlugin)
Q_IMPORT_QML_PLUGIN(UpCoach_ViewModelsPlugin)

namespace upcoach::app {

namespace {

using viewmodels::AuditLogModel;
using viewmodels::RegionListModel;
using viewmodels::TenantWorkspace;
using viewmodels::TrafficWorkspace;

constexpr auto screenshotDataTimeout = std::chrono::seconds(30);
// The demo's first start initializes its clusters and creates its tenants (some with their own
// database) before the Tenants page has anything to show.
constexpr auto screenshotTenantsTimeout = std::chrono::minutes(3);
// The demo starts its traffic runtime once its clusters are up; the first requests follow within
// a second or two (TrafficWorkspace stops waiting for them 10 s after the runtime arrived).
constexpr auto screenshotTrafficTimeout = std::chrono::minutes(3);
// A bundle always finishes loading (or fails) by itself; this only guards against a hang. A
// million events take well under a minute to read and verify.
constexpr auto screenshotAuditTimeout = std::chrono::minutes(10);
// Frames rendered after the data arrived before grabbing: the first may still carry layout from
// before the data; the second is settled.
constexpr int screenshotSettleFrames = 2;

const QString mainQml = QStringLiteral("qrc:/UpCoach/Ops/Main.qml");

void printError(const QString &message)
{
    QTextStream(stderr) << "upcoach-ops: " << message << Qt::endl;
}

int exitCodeFor(const Error &error)
{
    return error.code == ErrorCode::InvalidInput ? 2 : 1;
}

void setControlsStyleOnce()
{
    // Quick Controls accepts a style only before the first QML that imports it is loaded;
    // an explicit QT_QUICK_CONTROLS_STYLE from the environment wins.
    static std::once_flag once;
    std::call_once(once, [] {
        if (qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_STYLE"))
            QQuickStyle::setStyle(QStringLiteral("Basic"));
    });
}

bool isEnglish(const QString &language)
{
    return language.isEmpty() || language == QLatin1String("en");
}

} // namespace

QStringList consolePages()
{
    return {QStringLiteral("regions"), QStringLiteral("tenants"), QStringLiteral("audit")};
}

QStringList availablePages(const ConsoleModels &models)
{
    QStringList pages;
    if (models.regions)
        pages << QStringLiteral("regions");
    if (models.tenants)
        pages << QStringLiteral("tenants");
    if (models.audit)
        pages << QStringLiteral("audit");
    return pages;
}

QStringList consoleLanguages()
{
    return {QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("ar")};
}

QString consoleActor()
{
    const passwd *pw = ::getpwuid(::geteuid());
    return QStringLiteral("user:") +
           (pw ? QString::fromLocal8Bit(pw->pw_name) : QString::number(::geteuid()));
}

ConsoleView::ConsoleView() = default;

ConsoleView::~ConsoleView()
{
    // The window goes with the engine; the translator only after nothing can ask for it.
    m_engine.reset();
    if (m_translator)
        QCoreApplication::removeTranslator(m_translator.get());
}

Result<std::unique_ptr<ConsoleView>> createConsoleView(const ConsoleOptions &options,
                                                       RegionListModel &regionModel)
{
    return createConsoleView(options, ConsoleModels{&regionModel, nullptr, nullptr});
}

Result<std::unique_ptr<ConsoleView>> createConsoleView(const ConsoleOptions &options,
                                                       const ConsoleModels &models)
{
    const QStringList available = availablePages(models);
    if (available.isEmpty())
        return makeError(ErrorCode::Internal, QStringLiteral("the console has no page to show"));
    if (!options.page.isEmpty() && !consolePages().contains(options.page)) {
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("unknown page \"%1\"; valid pages: %2")
                             .arg(options.page, consolePages().join(QStringLiteral(", "))));
    }
    if (!options.page.isEmpty() && !available.contains(options.page)) {
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("page \"%1\" has no data in this console; pages here: %2")
                             .arg(options.page, available.join(QStringLiteral(", "))));
    }
    if (!options.language.isEmpty() && !consoleLanguages().contains(options.language)) {
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("unknown language \"%1\"; valid languages: %2")
                             .arg(options.language, consoleLanguages().join(QStringLiteral(", "))));
    }

    std::unique_ptr<ConsoleView> view(new ConsoleView);

    const QString language = isEnglish(options.language) ? QStringLiteral("en") : options.language;
    QLocale::setDefault(QLocale(language));
    QGuiApplication::setLayoutDirection(language == QLatin1String("ar") ? Qt::RightToLeft
                                                                        : Qt::LeftToRight);
    // English has a translation too: it carries the plural forms of the source strings.
    auto translator = std::make_unique<QTranslator>();
    const QString file = QStringLiteral(":/i18n/upcoach_") + language;
    if (!translator->load(file)) {
        return makeError(ErrorCode::Internal,
                         QStringLiteral("the %1 translation is missing from the build (%2.qm)")
                             .arg(language, file));
    }
    QCoreApplication::installTranslator(translator.get());
    view->m_translator = std::move(translator);

    setControlsStyleOnce();

    if (models.traffic) {
        if (models.regions)
            models.traffic->setDatabaseHealth(models.regions);
        if (models.traffic->actor().isEmpty())
            models.traffic->setActor(consoleActor());
    }

    view->m_engine = std::make_unique<QQmlApplicationEngine>();
    // Qt 6.4 puts static QML modules under :/<URI as path>; the engine only searches there when
    // the resource root is an import path.
    view->m_engine->addImportPath(QStringLiteral("qrc:/"));
    const QString page = options.page.isEmpty() ? available.constFirst() : options.page;
    view->m_engine->setInitialProperties({
        {QStringLiteral("regionModel"), QVariant::fromValue(models.regions)},
        {QStringLiteral("auditModel"), QVariant::fromValue(models.audit)},
        {QStringLiteral("tenantWorkspace"), QVariant::fromValue(models.tenants)},
        {QStringLiteral("trafficWorkspace"), QVariant::fromValue(models.traffic)},
        {QStringLiteral("initialPage"), page},
    });
    view->m_engine->load(QUrl(mainQml));
    const QList<QObject *> roots = view->m_engine->rootObjects();
    view->m_window = roots.isEmpty() ? nullptr : qobject_cast<QQuickWindow *>(roots.constFirst());
    if (!view->m_window) {
        return makeError(ErrorCode::Internal,
                         QStringLiteral("%1 did not load (see the QML errors above)").arg(mainQml));
    }
    qCDebug(lcApp) << "console loaded, page" << page << "language" << language;
    return view;
}

namespace {

// Whether every model of the console has its data on screen.
bool modelsReady(const ConsoleModels &models)
{
    return !(models.regions && models.regions->loading()) &&
           !(models.audit && models.audit->loading()) &&
           !(models.tenants && models.tenants->loading()) &&
           !(models.traffic && models.traffic->loading());
}

// Shows the window and, once every model's data has been on screen for screenshotSettleFrames
// frames, grabs it to a PNG. Returns the exit code.
int runScreenshot(const QString &path, QQuickWindow &window, const ConsoleModels &models,
                  bool kiosk)
{
    int framesWithData = 0;
    bool finished = false;

    if (models.regions)
        QObject::connect(models.regions, &RegionListModel::loadingChanged, &window,
                         &QQuickWindow::update);
    if (models.audit)
        QObject::connect(models.audit, &AuditLogModel::loadingChanged, &window,
                         &QQuickWindow::update);
    if (models.tenants)
        QObject::connect(models.tenants, &TenantWorkspace::loadingChanged, &window,
                         &QQuickWindow::update);
    if (models.traffic)
        QObject::connect(models.traffic, &TrafficWorkspace::loadingChanged, &window,
                         &QQuickWindow::update);
    // frameSwapped comes from the render thread with the threaded render loop; the receiver
    // context (on the GUI thread) makes the grab happen on the GUI thread.
    QObject context;
    QObject::connect(
        &window, &QQuickWindow::frameSwapped, &context,
        [&] {
            if (finished)
                return;
            if (!modelsReady(models)) {
                framesWithData = 0;
                return;
            }
            if (++framesWithData < screenshotSettleFrames) {
                window.update();
                return;
            }
            finished = true;
            const QImage image = window.grabWindow();
            const QFileInfo target(path);
            if (!QDir().mkpath(target.absolutePath()) || image.isNull() ||
                !image.save(target.absoluteFilePath(), "PNG")) {
                printError(QStringLiteral("could not write the screenshot to %1")
                               .arg(target.absoluteFilePath()));
                QCoreApplication::exit(1);
                return;
            }
            QTextStream(stdout) << target.absoluteFilePath() << Qt::endl;
            QCoreApplication::exit(0);
        },
        Qt::QueuedConnection);

    const auto timeout =
        models.audit ? std::chrono::duration_cast<std::chrono::seconds>(screenshotAuditTimeout)
        : models.tenants
            ? std::chrono::duration_cast<std::chrono::seconds>(screenshotTenantsTimeout)
        : models.traffic
            ? std::chrono::duration_cast<std::chrono::seconds>(screenshotTrafficTimeout)
            : screenshotDataTimeout;
    QTimer::singleShot(timeout, &context, [&] {
        if (finished)
            return;
        finished = true;
        if (models.regions && models.regions->loading())
            printError(QStringLiteral("no region health data arrived within %1 s; is the monitor "
                                      "running and are the regional databases reachable?")
                           .arg(timeout.count()));
        else if (models.tenants && models.tenants->loading())
            printError(QStringLiteral("the tenants did not load within %1 s; is the control-plane "
                                      "database reachable?")
                           .arg(timeout.count()));
        else if (models.traffic && models.traffic->loading())
            printError(QStringLiteral("no traffic data arrived within %1 s; did the traffic "
                                      "runtime start?")
                           .arg(timeout.count()));
        else
            printError(QStringLiteral("the audit log did not finish loading within %1 s")
                           .arg(timeout.count()));
        QCoreApplication::exit(1);
    });

    if (kiosk)
        window.showFullScreen();
    else
        window.show();
    return QGuiApplication::exec();
}

} // namespace

int runConsole(const ConsoleOptions &options, const std::vector<upcoach::Region> &regions,
               upcoach::storage::RegionMonitor &monitor)
{
    RegionListModel model(regions);
    // The monitor publishes from its worker thread; the model is only touched here, on the GUI
    // thread, and never waits for a database.
    QObject::connect(&monitor, &storage::RegionMonitor::snapshotPublished, &model,
                     &RegionListModel::applySnapshot, Qt::QueuedConnection);
    model.applySnapshot(monitor.latest());
    return runConsole(options, ConsoleModels{&model, nullptr, nullptr});
}

int runConsole(const ConsoleOptions &options, const ConsoleModels &models)
{
    auto view = createConsoleView(options, models);
    if (!view) {
        printError(view.error().message);
        return exitCodeFor(view.error());
    }
    QQuickWindow &window = *(*view)->window();

    if (!options.screenshotPath.isEmpty())
        return runScreenshot(options.screenshotPath, window, models, options.kiosk);

    if (options.kiosk)
        window.showFullScreen();
    else
        window.show();
    return QGuiApplication::exec();
}

} // namespace upcoach::app
