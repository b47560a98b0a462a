// Durable audit appends per second through PostgresAuditLog (batched, every event hashed into the
// Merkle tree, interior nodes stored, a signed tree head every 1000 events, COMMIT before the
// caller is acknowledged), against a reference measured in the same run on the same cluster: the
// same rows, already encoded, COPYed in batches of the same size into a plain table with the same
// columns and indexes — what PostgreSQL itself can take, with no hashing, no tree and no head
// lock. Prints one JSON line.
//
//   build/tests/bench/bench_audit_append [--events N] [--producers P]
#include "testcluster.h"
#include "upcoach/compliance/auditstore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <cstdio>
#include <thread>

using namespace upcoach;
using namespace upcoach::compliance;

namespace {

AuditRecord record(int i)
{
    AuditRecord r;
    r.actor = QStringLiteral("user:ops%1@example.com").arg(i % 50);
    r.tenant = QStringLiteral("tenant-%1").arg(i % 200);
    r.action = i % 3 ? QStringLiteral("tenant.settings.update") : QStringLiteral("api-token.issue");
    r.target = QStringLiteral("setting:%1").arg(i % 1000);
    r.sourceIp = QStringLiteral("198.51.100.%1").arg(i % 250);
    r.requestId = QStringLiteral("req-%1").arg(i);
    r.classification = QStringLiteral("config-change");
    r.details = QJsonObject{{QStringLiteral("field"), QStringLiteral("seats")},
                            {QStringLiteral("from"), i % 90},
                            {QStringLiteral("to"), i % 90 + 1}};
    return r;
}

double perSecond(qint64 count, qint64 ns)
{
    return ns > 0 ? double(count) * 1e9 / double(ns) : 0.0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int events = 200'000;
    int producers = 4;
    const QStringList args = app.arguments();
    if (const qsizetype at = args.indexOf(QStringLiteral("--events")); at >= 0)
        events = args.value(at + 1).toInt();
    if (const qsizetype at = args.indexOf(QStringLiteral("--producers")); at >= 0)
        producers = std::max(1, args.value(at + 1).toInt());

    testing::TestCluster cluster(1);
    if (!cluster.ok()) {
        std::fprintf(stderr, "cluster: %s\n", qPrintable(cluster.error()));
        return 1;
    }
    QTemporaryDir keys;
    auto signer = loadSigningKey(keys.filePath(QStringLiteral("k.pem")), true);
    AuditLogSettings settings; // the defaults: batches up to 8192, a head every 1000 events
    auto log = PostgresAuditLog::open(cluster.endpoint(), std::move(signer.value()), settings);
    if (!log) {
        std::fprintf(stderr, "audit log: %s\n", qPrintable(log.error().message));
        return 1;
    }

    // Warm-up: connections, catalog caches.
    for (int i = 0; i < 2000; ++i)
        (void)log.value()->record(record(i));
    (void)log.value()->flushAndSign();

    QElapsedTimer timer;
    timer.start();
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int p = 0; p < producers; ++p)
        threads.emplace_back([&, p] {
            // Each producer keeps up to 20,000 events in flight, as busy request handlers would.
            std::vector<QFuture<Result<AuditReceipt>>> inflight;
            for (int i = p; i < events; i += producers) {
                inflight.push_back(log.value()->record(record(i)));
                if (inflight.size() >= 20'000) {
                    for (auto &f : inflight)
                        failures += f.result().ok() ? 0 : 1;
                    inflight.clear();
                }
            }
            for (auto &f : inflight)
                failures += f.result().ok() ? 0 : 1;
        });
    for (auto &t : threads)
        t.join();
    const qint64 appendNs = timer.nsecsElapsed();
    auto signedSize = log.value()->flushAndSign();

    // Reference: the same number of rows COPYed into a plain table in batches of 8192.
    qint64 referenceNs = 0;
    try {
        pqxx::connection owner(
            cluster.endpoint().asOwner().connectionString().value().toStdString());
        {
            pqxx::work w(owner);
            w.exec("CREATE TABLE bench_plain (LIKE audit_events INCLUDING DEFAULTS INCLUDING "
                   "INDEXES INCLUDING CONSTRAINTS)");
            w.commit();
        }
        std::vector<std::tuple<int64_t, std::string, std::string, std::string, std::string,
                               std::string, std::string, std::string, std::string, std::string,
                               std::string, std::string, std::string, std::string>>
            rows;
        rows.reserve(size_t(events));
        for (int i = 0; i < events; ++i) {
            const AuditRecord r = record(i);
            rows.emplace_back(i, QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString(),
                              "2026-11-24T00:00:00.000Z", r.actor.toStdString(), "",
                              r.tenant.toStdString(), r.action.toStdString(),
                              r.target.toStdString(), "success", r.sourceIp.toStdString(),
                              r.requestId.toStdString(), r.classification.toStdString(),
                              canonicalDetailsJson(r.details).value().toStdString(),
                              "\\x" + std::string(64, 'a'));
        }
        timer.restart();
        for (int start = 0; start < events; start += settings.maxBatch) {
            pqxx::work w(owner);
            pqxx::stream_to copy(
                w, "bench_plain",
                std::vector<std::string>{"sequence", "id", "occurred_at", "actor", "impersonator",
                                         "tenant", "action", "target", "outcome", "source_ip",
                                         "request_id", "classification", "details", "leaf_hash"});
            for (int i = start; i < std::min(events, start + settings.maxBatch); ++i)
                copy << rows[size_t(i)];
            copy.complete();
            w.commit();
        }
        referenceNs = timer.nsecsElapsed();
    } catch (const std::exception &e) {
        std::fprintf(stderr, "reference: %s\n", e.what());
        return 1;
    }

    QJsonObject out{
        {QStringLiteral("benchmark"), QStringLiteral("audit_append")},
        {QStringLiteral("events"), events},
        {QStringLiteral("producers"), producers},
        {QStringLiteral("failures"), failures.load()},
        {QStringLiteral("durable_appends_per_s"), qRound64(perSecond(events, appendNs))},
        {QStringLiteral("append_seconds"), double(appendNs) / 1e9},
        {QStringLiteral("signed_tree_size"), qint64(signedSize ? signedSize.value() : 0)},
        {QStringLiteral("reference_plain_copy_rows_per_s"),
         qRound64(perSecond(events, referenceNs))},
        {QStringLiteral("goal_appends_per_s"), 50'000},
        {QStringLiteral("anchor_crosby_wallach_2009_per_core"),
         QJsonObject{{QStringLiteral("signed"), 1750}, {QStringLiteral("unsigned"), 10500}}},
    };
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return failures.load() == 0 ? 0 : 1;
}
