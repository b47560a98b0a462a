// The subcommands of upcoach-ops. main.cpp picks one; each builds what its mode needs (the
// composition root) and returns the process exit code.
#pragma once

#include "upcoach/core/config.h"
#include "upcoach/routing/trafficruntime.h"

#include <QStringList>

class QCommandLineParser;

namespace upcoach::app {

// argc/argv are the process's (for the application object); arguments has the command removed.
int demoCommand(int &argc, char **argv, const QStringList &arguments);
int consoleCommand(int &argc, char **argv, const QStringList &arguments);
int serveCommand(int &argc, char **argv, const QStringList &arguments);
int tokenCommand(int &argc, char **argv, const QStringList &arguments);
int auditCommand(int &argc, char **argv, const QStringList &arguments);

// What serve and demo --headless share: the regions to monitor and where to listen.
struct ServerSetup
{
    std::vector<RegionEndpoint> regions;
    QString controlPlaneRegion;
    MonitorSettings monitor;
    ListenAddress listen;
    // The audit log's tree-head key and settings (ControlPlaneTarget without the endpoint).
    QString signingKeyFile;
    bool createSigningKey = false;
    AuditConfig audit;
    // Tenants' key-encryption keys (keys: in YAML); the keyring used when none is configured.
    KeysConfig keys;
    QString defaultKeyringPath;
    QString exportDir; // tenant exports; empty: not offered
    // The traffic layer: policy, GeoIP, health checks, DNS publication, synthetic traffic.
    routing::RoutingSettings routing;
};

class UnixSignals;

// Runs the headless control plane until `signals` reports SIGTERM/SIGINT; drains in-flight
// requests first. Requires a QCoreApplication.
int runServer(const ServerSetup &setup, UnixSignals &signals);

// Makes sure a GUI application can be created: with no display, a screenshot run switches to
// the offscreen platform and anything else is refused with advice.
Status prepareDisplay(bool screenshotOnly);

struct ConsoleOptions;
// The console's options (--kiosk, --screenshot, --page, --lang), shared by demo and console.
void addConsoleOptions(QCommandLineParser &parser);
// Reads them back, checking --page and --lang before anything slow starts.
Result<ConsoleOptions> consoleOptionsFrom(const QCommandLineParser &parser);
// Whether the arguments ask for a screenshot, or only for help; decided before the application
// object exists (help must work where there is no display).
bool wantsScreenshot(const QStringList &arguments);
bool wantsHelp(const QStringList &arguments);

// Prints "upcoach-ops: error: <message>" to stderr and returns the exit code for it.
int fail(const QString &message, int exitCode = 1);

QString versionString();
QString commitString();

} // namespace upcoach::app
