// The Audit page's store at 1,000,000 events, against references measured in the same run:
// reading the bytes of events.jsonl, and strictly parsing every line with eventFromJson (what any
// loader must do), and verifyBundle alone. Also filter passes, data() calls, the first and a
// later inclusion proof, CSV export of everything, and the store's memory. Prints one JSON line.
//
//   build/tests/bench/bench_audit_model [--events N] [--dir DIR]
//
// The bundle (a complete one, 3 signed tree heads) is written to DIR, or to a temporary directory;
// an existing bundle in DIR is reused. All timings run with the bundle in the page cache (it is
// read once before the first measurement).
#include "auditbundlesource.h"
#include "auditeventstore.h"
#include "auditfilter.h"
#include "auditlogmodel.h"
#include "upcoach/compliance/auditbundle.h"
#include "upcoach/compliance/signedtreehead.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTimer>
#include <QUuid>
#include <QtConcurrent/QtConcurrentMap>
#include <cstdio>
#include <functional>
#include <numeric>

using namespace upcoach;
using namespace upcoach::compliance;
using namespace upcoach::viewmodels;

namespace {

const QUuid kNamespace(QStringLiteral("{6ba7b811-9dad-11d1-80b4-00c04fd430c8}"));

AuditEvent makeEvent(qint64 i)
{
    static const char *const actions[] = {
        "api-token.issue", "api-token.revoke", "config.update", "tenant.create",
        "tenant.suspend",  "user.login",       "user.logout",   "user.mfa.enable",
        "role.grant",      "role.revoke",      "export.start",  "impersonation.start"};
    static const char *const classes[] = {"security", "config-change", "phi-access",
                                          "billing",  "identity",      "data-export"};
    AuditEvent event;
    event.id = QUuid::createUuidV5(kNamespace, QString::number(i)).toString(QUuid::WithoutBraces);
    event.sequence = uint64_t(i);
    event.time = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).addMSecs(i * 2000 + i % 997);
    event.actor = QStringLiteral("user:user%1@tenant%2.example").arg(i * 7919 % 5000).arg(i % 200);
    event.impersonator = i % 97 == 0 ? QStringLiteral("user:support@upcoach.example") : QString();
    event.tenant = i % 11 == 0 ? QString() : QStringLiteral("tenant-%1").arg(i % 200);
    event.action = QLatin1String(actions[i % 12]);
    event.target = QStringLiteral("object:%1").arg(i * 31 % 100000);
    event.outcome = i % 17 == 0   ? QStringLiteral("denied")
                    : i % 23 == 0 ? QStringLiteral("failure")
                                  : QStringLiteral("success");
    event.sourceIp = QStringLiteral("10.%1.%2.%3").arg(i % 7).arg(i / 250 % 250).arg(i % 250);
    event.requestId = QStringLiteral("req-%1").arg(i, 8, 16, QLatin1Char('0'));
    event.classification = QLatin1String(classes[i % 6]);
    event.details =
        QJsonObject{{QStringLiteral("n"), i},
                    {QStringLiteral("path"), QStringLiteral("/v1/items/%1").arg(i % 100)}};
    return event;
}

Status writeBenchBundle(const QString &dir, qint64 count)
{
    auto signer = Ed25519Signer::generate();
    if (!signer)
        return signer.error();
    BundleInput input;
    input.events.reserve(size_t(count));
    for (qint64 i = 0; i < count; ++i)
        input.events.push_back(makeEvent(i));
    // Leaf hashes on every core: this is set-up, not what is measured.
    input.leafHashes.resize(size_t(count));
    std::vector<qint64> indices(static_cast<size_t>(count));
    std::iota(indices.begin(), indices.end(), 0);
    QtConcurrent::blockingMap(indices, [&](qint64 i) {
        input.leafHashes[size_t(i)] = *leafHashOf(input.events[size_t(i)]);
    });
    const QDateTime base(QDate(2026, 2, 1), QTime(0, 0), Qt::UTC);
    for (int k = 1; k <= 3; ++k) {
        const uint64_t size = uint64_t(count) * uint64_t(k) / 3;
        TreeHead head{size, base.addSecs(k),
                      rootOf(std::span<const Hash>(input.leafHashes).first(size_t(size)))};
        Result<QByteArray> signature = signer->sign(head);
        if (!signature)
            return signature.error();
        input.treeHeads.push_back({head, *signature});
    }
    input.publicKeyRaw = signer->publicKeyRaw();
    input.created = base;
    return writeBundle(dir, input);
}

qint64 elapsedMs(const std::function<void()> &work)
{
    QElapsedTimer timer;
    timer.start();
    work();
    return timer.elapsed();
}

// Runs the event loop (sleeping while there is nothing to do) until `done`.
void waitUntil(const std::function<bool()> &done)
{
    if (done())
        return;
    QEventLoop loop;
    QTimer check;
    check.setInterval(5);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    check.start();
    loop.exec();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qint64 count = 1000000;
    QString dir;
    const QStringList args = app.arguments();
    if (const qsizetype at = args.indexOf(QStringLiteral("--events"));
        at >= 0 && at + 1 < args.size())
        count = args.at(at + 1).toLongLong();
    if (const qsizetype at = args.indexOf(QStringLiteral("--dir")); at >= 0 && at + 1 < args.size())
        dir = args.at(at + 1);
    if (count < 3) {
        std::fprintf(stderr, "--events must be at least 3\n");
        return 2;
    }
    QTemporaryDir temporary;
    if (dir.isEmpty())
        dir = temporary.filePath(QStringLiteral("bundle"));
    qint64 writeMs = 0;
    if (!QFile::exists(QDir(dir).filePath(QStringLiteral("manifest.json")))) {
        Status written;
        writeMs = elapsedMs([&] { written = writeBenchBundle(dir, count); });
        if (!written) {
            std::fprintf(stderr, "writing the bundle failed: %s\n",
                         qPrintable(written.error().message));
            return 1;
        }
    }
    const QString eventsPath = QDir(dir).filePath(QStringLiteral("events.jsonl"));
    const qint64 fileBytes = QFileInfo(eventsPath).size();

    // Reference 1: the bytes alone (twice; the first read warms the page cache).
    qint64 sink = 0;
    qint64 readMs = 0;
    for (int round = 0; round < 2; ++round) {
        readMs = elapsedMs([&] {
            QFile file(eventsPath);
            if (!file.open(QIODevice::ReadOnly))
                return;
            while (true) {
                const QByteArray block = file.read(4 << 20);
                if (block.isEmpty())
                    break;
                sink += block.count('\n');
            }
        });
    }

    // Reference 2: a strict parse of every line, single-threaded, keeping nothing.
    qint64 parsed = 0;
    const qint64 parseMs = elapsedMs([&] {
        QFile file(eventsPath);
        if (!file.open(QIODevice::ReadOnly))
            return;
        const QByteArray all = file.readAll();
        qsizetype start = 0;
        while (start < all.size()) {
            qsizetype end = all.indexOf('\n', start);
            if (end < 0)
                end = all.size();
            if (eventFromJson(QByteArrayView(all).sliced(start, end - start)))
                ++parsed;
            start = end + 1;
        }
    });

    // Reference 3: verifyBundle alone.
    bool verifiedAlone = false;
    const qint64 verifyMs = elapsedMs([&] { verifiedAlone = verifyBundle(dir).ok(); });

    // The store: events loaded (table complete) and verified (banner green), both measured from
    // load(); verification and reading run side by side.
    AuditEventStore store;
    AuditLogModel model(store);
    AuditBundleSource source(store);
    QElapsedTimer timer;
    timer.start();
    qint64 eventsLoadedMs = -1;
    QObject::connect(&store, &AuditEventStore::loadStatusChanged, &store, [&] {
        if (eventsLoadedMs < 0 && store.loadStatus().state == AuditLoadStatus::State::Ready)
            eventsLoadedMs = timer.elapsed();
    });
    source.load(dir);
    waitUntil([&] { return !source.isLoading(); });
    const qint64 loadAndVerifyMs = timer.elapsed();
    const bool verified = store.verification().state == AuditVerification::State::Verified;

    // data(): what a delegate asks for, over every row.
    qint64 dataCalls = 0;
    const qint64 dataMs = elapsedMs([&] {
        for (int row = 0; row < model.rowCount(); ++row) {
            const QModelIndex index = model.index(row);
            sink += index.data(AuditLogModel::ActorRole).toString().size();
            sink += index.data(AuditLogModel::TimeTextRole).toString().size();
            sink += index.data(AuditLogModel::TargetRole).toString().size();
            dataCalls += 3;
        }
    });

    // Filter passes as the model runs them (worker thread, then a reset), one at a time.
    const auto pass = [&](const AuditFilter &filter, qint64 *matches) {
        return elapsedMs([&] {
            model.setFilter(filter);
            waitUntil([&] { return !model.filtering(); });
            *matches = model.count();
        });
    };
    AuditFilter search;
    search.search = QStringLiteral("USER42@");
    AuditFilter searchDetails;
    searchDetails.search = QStringLiteral("/v1/items/7");
    AuditFilter tenant;
    tenant.tenant = QStringLiteral("tenant-7");
    AuditFilter range;
    range.fromMs = makeEvent(count / 4).time.toMSecsSinceEpoch();
    range.toMs = makeEvent(count / 2).time.toMSecsSinceEpoch();
    AuditFilter combined = tenant;
    combined.outcome = QStringLiteral("success");
    combined.search = QStringLiteral("req-");
    qint64 searchMatches = 0, detailsMatches = 0, tenantMatches = 0, rangeMatches = 0,
           combinedMatches = 0;
    const qint64 searchMs = pass(search, &searchMatches);
    const qint64 searchDetailsMs = pass(searchDetails, &detailsMatches);
    const qint64 tenantMs = pass(tenant, &tenantMatches);
    const qint64 rangeMs = pass(range, &rangeMatches);
    const qint64 combinedMs = pass(combined, &combinedMatches);
    const qint64 clearMs = elapsedMs([&] { model.clearFilters(); });

    // Inclusion proof of a complete bundle: the first reads leaves.txt, later ones reuse it.
    const auto proof = [&](int row) {
        return elapsedMs([&] {
            model.select(row);
            waitUntil([&] {
                return model.selection()->proofState() != AuditEventDetails::ProofComputing;
            });
        });
    };
    const qint64 firstProofMs = proof(int(count / 3));
    const qint64 laterProofMs = proof(int(count - 1));
    const bool proofVerified = model.selection()->proofState() == AuditEventDetails::ProofVerified;

    // CSV of the whole view.
    const QString csv = temporary.filePath(QStringLiteral("all.csv"));
    bool exported = false;
    const qint64 exportMs = elapsedMs([&] {
        model.exportCsv(QUrl::fromLocalFile(csv));
        waitUntil([&] { return !model.exporting(); });
        exported = model.exportState() == AuditLogModel::ExportDone;
    });
    const qint64 csvBytes = QFileInfo(csv).size();

    const QJsonObject out{
        {QStringLiteral("bench"), QStringLiteral("audit_model")},
        {QStringLiteral("events"), count},
        {QStringLiteral("events_jsonl_bytes"), fileBytes},
        {QStringLiteral("bundle_write_ms"), writeMs},
        {QStringLiteral("reference_read_bytes_ms"), readMs},
        {QStringLiteral("reference_strict_parse_ms"), parseMs},
        {QStringLiteral("reference_verify_bundle_ms"), verifyMs},
        {QStringLiteral("load_events_ms"), eventsLoadedMs},
        {QStringLiteral("load_and_verify_ms"), loadAndVerifyMs},
        {QStringLiteral("load_vs_strict_parse"), double(eventsLoadedMs) / double(parseMs)},
        {QStringLiteral("store_bytes"), store.memoryBytes()},
        {QStringLiteral("store_bytes_per_event"), double(store.memoryBytes()) / double(count)},
        {QStringLiteral("data_ns_per_call"), double(dataMs) * 1e6 / double(dataCalls)},
        {QStringLiteral("filter_search_ms"), searchMs},
        {QStringLiteral("filter_search_matches"), searchMatches},
        {QStringLiteral("filter_search_details_ms"), searchDetailsMs},
        {QStringLiteral("filter_search_details_matches"), detailsMatches},
        {QStringLiteral("filter_tenant_ms"), tenantMs},
        {QStringLiteral("filter_tenant_matches"), tenantMatches},
        {QStringLiteral("filter_time_range_ms"), rangeMs},
        {QStringLiteral("filter_time_range_matches"), rangeMatches},
        {QStringLiteral("filter_combined_ms"), combinedMs},
        {QStringLiteral("filter_combined_matches"), combinedMatches},
        {QStringLiteral("filter_clear_ms"), clearMs},
        {QStringLiteral("proof_first_ms"), firstProofMs},
        {QStringLiteral("proof_later_ms"), laterProofMs},
        {QStringLiteral("export_csv_all_ms"), exportMs},
        {QStringLiteral("export_csv_bytes"), csvBytes},
        {QStringLiteral("all_parsed"), parsed == count},
        {QStringLiteral("verified"), verified && verifiedAlone},
        {QStringLiteral("proof_verified"), proofVerified},
        {QStringLiteral("exported"), exported},
        {QStringLiteral("sink"), sink},
    };
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    const bool ok = parsed == count && verified && verifiedAlone && proofVerified && exported &&
                    model.totalCount() == count;
    return ok ? 0 : 1;
}
