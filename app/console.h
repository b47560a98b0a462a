// The desktop console: loads the QML shell over the view models the composition root built
// (regions over a RegionMonitor, the audit log over an AuditEventStore, the tenants over the
// tenancy backend) and runs it. Also the one
// place that loads Main.qml, so the UI tests take the same path.
#pragma once

#include "upcoach/core/regioncatalog.h"
#include "upcoach/core/result.h"
#include "upcoach/storage/regionmonitor.h"

#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

class QQmlApplicationEngine;
class QQuickWindow;
class QTranslator;

namespace upcoach::viewmodels {
class AuditLogModel;
class RegionListModel;
class TenantWorkspace;
class TrafficWorkspace;
} // namespace upcoach::viewmodels

namespace upcoach::app {

struct ConsoleOptions
{
    // When set, render once every page's data has loaded, save a PNG here and exit.
    QString screenshotPath;
    QString page;     // one of consolePages(); empty = the first page the models can show
    QString language; // "", "en", "de", "ar"
    bool kiosk = false;
};

// The view models a console shows; a page whose model is absent is not offered. The models are
// owned by the caller and outlive the view.
struct ConsoleModels
{
    viewmodels::RegionListModel *regions = nullptr; // needs a configuration (regional databases)
    viewmodels::AuditLogModel *audit = nullptr;     // an audit bundle (console --audit DIR)
    // The tenancy backend (demo, console --config); may get its backend after the window is up.
    viewmodels::TenantWorkspace *tenants = nullptr;
    // The Regions page's traffic (map, health cards, charts, policy, what-if, controls) over a
    // routing::TrafficRuntime; may get its runtime after the window is up (setRuntime). Shown
    // on the Regions page, so it needs `regions` too; createConsoleView joins the regions'
    // database round trips into it and sets consoleActor() as its actor unless one is set.
    viewmodels::TrafficWorkspace *traffic = nullptr;
};

// What --page accepts, in navigation order.
QStringList consolePages();
// The pages these models can show, in navigation order.
QStringList availablePages(const ConsoleModels &models);
// What --lang accepts ("" and "en" are the untranslated English UI).
QStringList consoleLanguages();
// Who the console's changes are recorded as in the audit log: "user:<operating-system user>".
QString consoleActor();

// A loaded console window: the QML engine, its root window and the installed translator.
// Destroying it closes the window and removes the translator again.
class ConsoleView
{
public:
    ~ConsoleView();
    ConsoleView(const ConsoleView &) = delete;
    ConsoleView &operator=(const ConsoleView &) = delete;

    QQmlApplicationEngine &engine() const { return *m_engine; }
    QQuickWindow *window() const { return m_window; }

private:
    friend Result<std::unique_ptr<ConsoleView>> createConsoleView(const ConsoleOptions &options,
                                                                  const ConsoleModels &models);
    ConsoleView();

    std::unique_ptr<QTranslator> m_translator;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow *m_window = nullptr;
};

// Validates page and language (ErrorCode::InvalidInput, naming the valid values; a page whose
// model is absent is InvalidInput too), installs the translator and layout direction for the
// language, sets the Quick Controls style and loads qrc:/UpCoach/Ops/Main.qml with the models as
// required properties (null when absent). At least one model must be given. The window is
// created but not shown. Needs a QGuiApplication; GUI thread only.
Result<std::unique_ptr<ConsoleView>> createConsoleView(const ConsoleOptions &options,
                                                       const ConsoleModels &models);
// The Regions console only.
Result<std::unique_ptr<ConsoleView>> createConsoleView(const ConsoleOptions &options,
                                                       viewmodels::RegionListModel &regionModel);

// Runs the console until the window closes (or, with screenshotPath, until every model has its
// data and the PNG is written: for tenants, the table's first page and the first tenant's
// details; for traffic, the first report with requests, or 10 s of none after the runtime
// arrived). Returns the process exit code: 0 success, 1 runtime failure (QML did not load, no
// data in time for a screenshot — 30 s for region health, 3 min for tenants or traffic (the
// demo's first start creates its databases and tenants meanwhile), 10 min for an audit bundle
// —, PNG not writable), 2 bad options. The application object exists already (a QApplication
// when the Regions page shows traffic: its charts are QtCharts).
int runConsole(const ConsoleOptions &options, const ConsoleModels &models);
// The Regions console over a monitor: builds the region model, feeds it the monitor's snapshots
// (queued) and runs the console with it.
int runConsole(const ConsoleOptions &options, const std::vector<upcoach::Region> &regions,
               upcoach::storage::RegionMonitor &monitor);

} // namespace upcoach::app
