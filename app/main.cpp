// upcoach-ops: one binary, five modes. Only argument dispatch lives here; each mode is its own
// composition root (modes.h).
#include "modes.h"

#include <QCoreApplication>
#include <QTextStream>
#include <cstdio>

namespace {

const char *kUsage = R"(Usage: upcoach-ops <command> [options]

Operations console and headless control plane for the UpCoach multi-region platform.

Commands:
  demo      Embedded default: start one private PostgreSQL 15 cluster per region under a state
            directory, migrate them, and open the console (or serve with --headless).
  console   Open the operations console against the regions in a configuration file, or on an
            exported audit bundle (--audit DIR, no database needed).
  serve     Run the headless control plane (REST API, /metrics, /healthz, /readyz, events).
  token     Issue or revoke API bearer tokens.
  audit     Verify an exported audit bundle offline (no database, no network); to browse
            one, use 'console --audit DIR'.

Run 'upcoach-ops <command> --help' for a command's options.
Options:
  -h, --help     Show this help.
  -v, --version  Show the version.
)";

} // namespace

int main(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const QString command = arguments.value(1);
    if (command.isEmpty() || command == QLatin1String("-h") || command == QLatin1String("--help") ||
        command == QLatin1String("help")) {
        std::fputs(kUsage, command.isEmpty() ? stderr : stdout);
        return command.isEmpty() ? 2 : 0;
    }
    if (command == QLatin1String("-v") || command == QLatin1String("--version")) {
        QTextStream(stdout) << "upcoach-ops " << upcoach::app::versionString() << " ("
                            << upcoach::app::commitString() << ")\n";
        return 0;
    }
    // Each command creates its own application object: the console needs a GUI one, the server
    // and the CLI commands must run where there is no display.
    QStringList rest = arguments;
    rest.removeAt(1);
    if (command == QLatin1String("demo"))
        return upcoach::app::demoCommand(argc, argv, rest);
    if (command == QLatin1String("console"))
        return upcoach::app::consoleCommand(argc, argv, rest);
    if (command == QLatin1String("serve"))
        return upcoach::app::serveCommand(argc, argv, rest);
    if (command == QLatin1String("token"))
        return upcoach::app::tokenCommand(argc, argv, rest);
    if (command == QLatin1String("audit"))
        return upcoach::app::auditCommand(argc, argv, rest);
    std::fprintf(stderr, "upcoach-ops: unknown command '%s'\n\n%s", argv[1], kUsage);
    return 2;
}
