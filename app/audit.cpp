// audit: offline review of exported audit bundles. `audit verify` needs no database and no
// network: it checks a bundle directory with upcoach::compliance::verifyBundle.
#include "modes.h"
#include "upcoach/compliance/auditbundle.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

namespace upcoach::app {

namespace {

const char *const kAuditUsage =
    "usage: upcoach-ops audit verify [--key-fingerprint HEX] BUNDLE_DIR";

void printSummary(const QString &dir, const compliance::VerifyReport &report)
{
    QTextStream out(stdout);
    const auto time = [](const QDateTime &t) {
        return t.isValid() ? compliance::auditTimeToString(t) : QStringLiteral("-");
    };
    out << "audit bundle " << dir << ": OK\n";
    out << "  events:       " << report.eventCount;
    if (report.firstSequence)
        out << " (sequence " << *report.firstSequence << ".." << *report.lastSequence << ')';
    out << '\n';
    out << "  time range:   " << time(report.firstTime) << " .. " << time(report.lastTime) << '\n';
    QString scope = report.complete ? QStringLiteral("complete log") : QStringLiteral("filtered");
    if (report.filter.tenant)
        scope += QStringLiteral(", tenant '%1'").arg(*report.filter.tenant);
    if (report.filter.from.isValid() || report.filter.to.isValid())
        scope +=
            QStringLiteral(", time %1 .. %2").arg(time(report.filter.from), time(report.filter.to));
    out << "  scope:        " << scope << '\n';
    out << "  tree heads:   " << report.treeHeadCount << " signed, consistent\n";
    out << "  final head:   size " << report.finalTreeSize << ", root "
        << compliance::toHex(report.finalRoot) << ", " << time(report.finalTreeHeadTime) << '\n';
    out << "  signer:       ed25519 sha256:" << report.keyFingerprint
        << (report.keyPinned ? " (matches --key-fingerprint)\n"
                             : " (not pinned: compare with the operator's published key)\n");
    out << "  exported:     " << time(report.created) << '\n';
}

} // namespace

int auditCommand(int &argc, char **argv, const QStringList &arguments)
{
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("upcoach-ops"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Offline review of audit bundles.\n\n"
        "  audit verify [--key-fingerprint HEX] BUNDLE_DIR\n\n"
        "Checks every signature, proof and file hash of an exported bundle, with no database and "
        "no network. Exit 0 when intact, 1 when not (naming the first bad position), 2 on usage "
        "errors."));
    const QCommandLineOption help = parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("verify"));
    parser.addOption({QStringLiteral("key-fingerprint"),
                      QStringLiteral("SHA-256 hex of the trusted signer key; any other key fails."),
                      QStringLiteral("HEX")});
    if (!parser.parse(arguments))
        return fail(parser.errorText() + QStringLiteral("\n") + QLatin1String(kAuditUsage), 2);
    if (parser.isSet(help)) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2 || positional.value(0) != QLatin1String("verify"))
        return fail(QLatin1String(kAuditUsage), 2);
    const QString dir = positional.value(1);

    compliance::VerifyOptions options;
    options.expectedKeyFingerprint = parser.value(QStringLiteral("key-fingerprint"));
    if (!options.expectedKeyFingerprint.isEmpty() &&
        !compliance::hashFromHex(options.expectedKeyFingerprint).ok())
        return fail(QStringLiteral("--key-fingerprint: not 64 hex digits"), 2);
    Result<compliance::VerifyReport> report = compliance::verifyBundle(dir, options);
    if (!report)
        return fail(QStringLiteral("audit bundle %1: verification FAILED: %2")
                        .arg(dir, report.error().message));
    printSummary(dir, *report);
    return 0;
}

} // namespace upcoach::app
