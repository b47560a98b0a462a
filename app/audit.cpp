// audit: the audit log from the command line. `audit verify` is offline review of an exported
// bundle (no database, no network); `export`, `check` and `purge` work on the control-plane
// database (from --config, or the demo's state directory).
#include "controlplane.h"
#include "modes.h"
#include "upcoach/compliance/auditbundle.h"
#include "upcoach/core/logging.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QTextStream>

namespace upcoach::app {

namespace {

const char *const kAuditUsage =
    "usage: upcoach-ops audit verify [--key-fingerprint HEX] BUNDLE_DIR\n"
    "       upcoach-ops audit export [--from TIME] [--to TIME] [--tenant SLUG] OUT_DIR\n"
    "       upcoach-ops audit check\n"
    "       upcoach-ops audit purge";

void printSummary(const QString &dir, const compliance::VerifyReport &report);

// --from/--to: the audit time form, or any ISO 8601 date-time with an offset, or a date.
Result<QDateTime> parseTimeOption(const QString &name, const QString &value)
{
    if (auto exact = compliance::auditTimeFromString(value))
        return exact.value();
    QDateTime parsed = QDateTime::fromString(value, Qt::ISODateWithMs);
    if (!parsed.isValid()) {
        const QDate date = QDate::fromString(value, Qt::ISODate);
        if (date.isValid())
            parsed = date.startOfDay(Qt::UTC);
    }
    if (!parsed.isValid() || parsed.timeSpec() == Qt::LocalTime)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("--%1: \"%2\" is not a time like "
                                        "2026-03-14T15:09:26Z or a date like 2026-03-14")
                             .arg(name, value));
    return parsed.toUTC();
}

int exportBundle(const QCommandLineParser &parser, const QString &outDir)
{
    compliance::BundleFilter filter;
    for (const char *name : {"from", "to"}) {
        const QString key = QLatin1String(name);
        if (!parser.isSet(key))
            continue;
        auto time = parseTimeOption(key, parser.value(key));
        if (!time)
            return fail(time.error().message, 2);
        (key == QLatin1String("from") ? filter.from : filter.to) = time.value();
    }
    if (parser.isSet(QStringLiteral("tenant")))
        filter.tenant = parser.value(QStringLiteral("tenant"));
    if (QFileInfo::exists(outDir) && !QDir(outDir).isEmpty())
        return fail(
            QStringLiteral("%1 exists and is not empty; export into a new directory").arg(outDir),
            2);
    return withControlPlane(parser, [&](const ControlPlaneTarget &controlPlane) {
        storage::ConnectionPool pool(controlPlane.endpoint,
                                     storage::PoolOptions{.maxConnections = 1});
        compliance::AuditStore store(pool);
        auto input = store.bundleInput(filter);
        if (!input)
            return fail(QStringLiteral("audit export: ") + input.error().message);
        if (auto written = compliance::writeBundle(outDir, input.value()); !written)
            return fail(QStringLiteral("audit export refused: ") + written.error().message);
        auto report = compliance::verifyBundle(outDir);
        if (!report)
            return fail(QStringLiteral("audit export: the written bundle does not verify: ") +
                        report.error().message);
        printSummary(outDir, report.value());
        return 0;
    });
}

int checkStored(const QCommandLineParser &parser)
{
    return withControlPlane(parser, [&](const ControlPlaneTarget &controlPlane) {
        storage::ConnectionPool pool(controlPlane.endpoint,
                                     storage::PoolOptions{.maxConnections = 1});
        compliance::AuditStore store(pool);
        auto report = store.verifyStored();
        if (!report)
            return fail(QStringLiteral("audit log: verification FAILED: ") +
                        report.error().message);
        QTextStream(stdout) << "audit log: OK\n"
                            << "  tree size:    " << report->treeSize << '\n'
                            << "  events:       " << report->events << " stored, "
                            << report->purgedEvents << " purged by retention\n"
                            << "  tree heads:   " << report->treeHeads << " signed, verified\n"
                            << "  tree nodes:   " << report->nodesChecked << " checked\n";
        return 0;
    });
}

int purgeExpired(const QCommandLineParser &parser)
{
    return withControlPlane(parser, [&](const ControlPlaneTarget &controlPlane) {
        auto log = openAuditLog(controlPlane);
        if (!log)
            return fail(log.error().message);
        storage::ConnectionPool pool(controlPlane.endpoint,
                                     storage::PoolOptions{.maxConnections = 1});
        compliance::AuditStore store(pool);
        auto report = store.purgeExpired(*log.value());
        if (!report)
            return fail(QStringLiteral("audit purge: ") + report.error().message);
        QTextStream(stdout) << "audit purge: " << report->segments.size() << " segment(s), "
                            << report->events << " event(s) purged\n";
        return 0;
    });
}

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
        "The tamper-evident audit log.\n\n"
        "  audit verify [--key-fingerprint HEX] BUNDLE_DIR\n"
        "      Checks every signature, proof and file hash of an exported bundle, with no "
        "database and no network.\n"
        "  audit export [--from TIME] [--to TIME] [--tenant SLUG] OUT_DIR\n"
        "      Writes a signed, self-contained bundle (complete, or filtered with inclusion "
        "proofs).\n"
        "  audit check\n"
        "      Recomputes every stored event, tree node and signed tree head in the database.\n"
        "  audit purge\n"
        "      Purges whole segments whose events all passed their retention, recording a "
        "signed purge record first.\n\n"
        "Exit 0 when intact/done, 1 when not (naming the first bad position), 2 on usage "
        "errors."));
    const QCommandLineOption help = parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("action"),
                                 QStringLiteral("verify, export, check or purge"));
    parser.addOptions({
        {QStringLiteral("from"), QStringLiteral("export: events at or after TIME."),
         QStringLiteral("TIME")},
        {QStringLiteral("to"), QStringLiteral("export: events before TIME."),
         QStringLiteral("TIME")},
        {QStringLiteral("tenant"),
         QStringLiteral("export: only this tenant's events (\"\" = platform events)."),
         QStringLiteral("SLUG")},
    });
    addControlPlaneOptions(parser);
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
    const QString action = positional.value(0);
    if (action != QLatin1String("export") &&
        (parser.isSet(QStringLiteral("from")) || parser.isSet(QStringLiteral("to")) ||
         parser.isSet(QStringLiteral("tenant"))))
        return fail(QStringLiteral("--from, --to and --tenant belong to audit export"), 2);
    if (action == QLatin1String("export") && positional.size() == 2) {
        logging::install(logging::Format::Text);
        return exportBundle(parser, positional.value(1));
    }
    if (action == QLatin1String("check") && positional.size() == 1) {
        logging::install(logging::Format::Text);
        return checkStored(parser);
    }
    if (action == QLatin1String("purge") && positional.size() == 1) {
        logging::install(logging::Format::Text);
        return purgeExpired(parser);
    }
    if (positional.size() != 2 || action != QLatin1String("verify"))
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
