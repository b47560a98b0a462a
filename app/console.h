// The desktop console: builds the view models over a RegionMonitor, loads the QML shell and
// runs it. Also the one place that loads Main.qml, so the UI tests take the same path.
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
class RegionListModel;
}

namespace upcoach::app {

struct ConsoleOptions
{
    // When set, render once the first health snapshot is on screen, save a PNG here and exit.
    QString screenshotPath;
    QString page = QStringLiteral("regions");
    QString language; // "", "en", "de", "ar"
    bool kiosk = false;
};

// What --page accepts, in navigation order.
QStringList consolePages();
// What --lang accepts ("" and "en" are the untranslated English UI).
QStringList consoleLanguages();

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
    friend Result<std::unique_ptr<ConsoleView>>
    createConsoleView(const ConsoleOptions &options, viewmodels::RegionListModel &regionModel);
    ConsoleView();

    std::unique_ptr<QTranslator> m_translator;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow *m_window = nullptr;
};

// Validates page and language (ErrorCode::InvalidInput, naming the valid values), installs the
// translator and layout direction for the language, sets the Quick Controls style and loads
// qrc:/UpCoach/Ops/Main.qml with the model as a required property. The window is created but
// not shown. Needs a QGuiApplication; GUI thread only.
Result<std::unique_ptr<ConsoleView>> createConsoleView(const ConsoleOptions &options,
                                                       viewmodels::RegionListModel &regionModel);

// Runs the console until the window closes (or, with screenshotPath, until the PNG is written).
// Returns the process exit code: 0 success, 1 runtime failure (QML did not load, no data within
// 30 s for a screenshot, PNG not writable), 2 bad options. The QGuiApplication exists already.
int runConsole(const ConsoleOptions &options, const std::vector<upcoach::Region> &regions,
               upcoach::storage::RegionMonitor &monitor);

} // namespace upcoach::app
