// Offline audit bundle verification at scale, against references measured in the same run: a
// 1,000,000-event log (several tenants, actors and actions, details of a few keys, one signed
// tree head per 1000 events) exported as a complete and as a tenant bundle, then verified.
// References: reading the bundle's files, plain SHA-256 over the same events.jsonl bytes, and the
// strict per-line path (eventFromJson + leafHashOf) the verifier falls back to. Each bundle is
// verified in a child process (this binary, --verify-only), which reports wall time (best and
// median of --runs), CPU time of all threads, and its peak RSS. Prints one JSON line.
//
//   build/tests/bench/bench_audit_verify [--events N] [--head-every K] [--runs R] [--keep DIR]
//     (--keep DIR: write the bundles there and keep them; if DIR already holds them, reuse them)
//   build/tests/bench/bench_audit_verify --verify-only DIR   (an existing bundle, e.g. for perf)
#include "upcoach/compliance/auditbundle.h"
#include "upcoach/compliance/auditevent.h"
#include "upcoach/compliance/merkle.h"
#include "upcoach/compliance/signedtreehead.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <openssl/evp.h>
#include <thread>
#include <vector>

using namespace upcoach;
using namespace upcoach::compliance;

namespace {

uint64_t splitmix(uint64_t &state)
{
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

QString uuidFrom(uint64_t &state)
{
    const uint64_t high = (splitmix(state) & ~0xf000ull) | 0x4000ull; // version 4
    const uint64_t low = (splitmix(state) & 0x3fffffffffffffffull) | 0x8000000000000000ull;
    const QString hex = QStringLiteral("%1%2")
                            .arg(high, 16, 16, QLatin1Char('0'))
                            .arg(low, 16, 16, QLatin1Char('0'));
    return hex.left(8) + QLatin1Char('-') + hex.mid(8, 4) + QLatin1Char('-') + hex.mid(12, 4) +
           QLatin1Char('-') + hex.mid(16, 4) + QLatin1Char('-') + hex.mid(20);
}

// Realistic variety with shared strings (implicit sharing keeps the input's memory sane).
std::vector<AuditEvent> makeEvents(size_t count)
{
    const QStringList tenants{
        QStringLiteral("acme"),        QStringLiteral("globex"),    QStringLiteral("initech"),
        QStringLiteral("umbrella-eu"), QStringLiteral("hooli"),     QStringLiteral("stark-ind"),
        QStringLiteral("wayne-ent"),   QStringLiteral("tyrell-ap"), QString()};
    const QStringList actions{QStringLiteral("session.login"),
                              QStringLiteral("session.logout"),
                              QStringLiteral("api-token.issue"),
                              QStringLiteral("api-token.revoke"),
                              QStringLiteral("tenant.settings.update"),
                              QStringLiteral("user.role.grant"),
                              QStringLiteral("user.invite"),
                              QStringLiteral("coach.session.view"),
                              QStringLiteral("phi.record.read"),
                              QStringLiteral("billing.invoice.issue"),
                              QStringLiteral("dsr.export"),
                              QStringLiteral("impersonation.start")};
    const QStringList classifications{QStringLiteral("security"), QStringLiteral("config-change"),
                                      QStringLiteral("phi-access"), QStringLiteral("billing")};
    QStringList actors;
    for (int i = 0; i < 60; ++i)
        actors << (i % 10 == 9 ? QStringLiteral("service:worker-%1").arg(i)
                               : QStringLiteral("user:coach%1@example.com").arg(i));
    const QString support = QStringLiteral("user:support@upcoach.example");
    const QString success = QStringLiteral("success");
    const QString denied = QStringLiteral("denied");
    const QString failure = QStringLiteral("failure");
    const QStringList notes{QStringLiteral("bulk change"), QStringLiteral("Überprüfung \"Q3\""),
                            QStringLiteral("via SCIM"), QStringLiteral("line1\nline2")};
    const QDateTime base(QDate(2026, 1, 5), QTime(7, 0), Qt::UTC);
    uint64_t state = 42;
    std::vector<AuditEvent> events(count);
    for (size_t i = 0; i < count; ++i) {
        AuditEvent &e = events[i];
        const uint64_t r = splitmix(state);
        e.id = uuidFrom(state);
        e.sequence = i;
        e.time = base.addMSecs(qint64(i) * 29 + qint64(r % 7));
        e.tenant = tenants[qsizetype(r % 9)];
        e.actor = actors[qsizetype((r >> 8) % 60)];
        e.impersonator = (r >> 16) % 50 == 0 ? support : QString();
        e.action = actions[qsizetype((r >> 20) % 12)];
        e.classification = classifications[qsizetype((r >> 24) % 4)];
        const unsigned outcome = (r >> 28) % 20;
        e.outcome = outcome < 17 ? success : outcome < 19 ? denied : failure;
        e.target = QStringLiteral("user:%1").arg((r >> 32) % 50000);
        e.sourceIp = QStringLiteral("203.0.113.%1").arg((r >> 40) % 250);
        e.requestId = QStringLiteral("req-%1").arg(r & 0xffffffffffull, 0, 16);
        QJsonObject details{{QStringLiteral("latencyMs"), qint64((r >> 44) % 900)},
                            {QStringLiteral("region"), (r >> 50) % 2
                                                           ? QStringLiteral("eu-west-1")
                                                           : QStringLiteral("us-east-1")}};
        if ((r >> 52) % 3 == 0)
            details.insert(QStringLiteral("changed"),
                           QJsonArray{QStringLiteral("branding"), QStringLiteral("limits")});
        if ((r >> 54) % 4 == 0)
            details.insert(QStringLiteral("note"), notes[qsizetype((r >> 56) % 4)]);
        if ((r >> 58) % 5 == 0)
            details.insert(QStringLiteral("quota"),
                           QJsonObject{{QStringLiteral("seats"), qint64(r % 500)},
                                       {QStringLiteral("trial"), (r >> 60) % 2 == 0}});
        e.details = details;
    }
    return events;
}

double perSecond(uint64_t count, qint64 nanoseconds)
{
    return nanoseconds > 0 ? double(count) * 1e9 / double(nanoseconds) : 0.0;
}

qint64 statusKiB(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qsizetype(qstrlen(field))).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// Resets the peak RSS (VmHWM) so the next peak is the verifier's alone (Linux >= 4.0).
bool resetPeakRss()
{
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    return clear.open(QIODevice::WriteOnly) && clear.write("5") == 1;
}

qint64 processCpuNs()
{
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

struct Verified
{
    qint64 bestNs = 0;
    qint64 medianNs = 0;
    qint64 cpuNs = 0; // CPU time of all threads, per run (median run)
    qint64 peakRssKiB = -1;
    bool ok = false;
    QString error;
    VerifyReport report;
};

Verified verifyTimed(const QString &dir, int runs)
{
    Verified out;
    std::vector<qint64> times;
    std::vector<qint64> cpu;
    const bool reset = resetPeakRss();
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer timer;
        const qint64 cpuStart = processCpuNs();
        timer.start();
        Result<VerifyReport> report = verifyBundle(dir);
        times.push_back(timer.nsecsElapsed());
        cpu.push_back(processCpuNs() - cpuStart);
        out.ok = report.ok();
        if (!report.ok()) {
            out.error = report.error().message;
            break;
        }
        out.report = *report;
    }
    out.peakRssKiB = reset ? statusKiB("VmHWM:") : -1;
    std::sort(times.begin(), times.end());
    std::sort(cpu.begin(), cpu.end());
    out.bestNs = times.front();
    out.medianNs = times[times.size() / 2];
    out.cpuNs = cpu[cpu.size() / 2];
    return out;
}

QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    return file.open(QIODevice::ReadOnly)
               ? QString::fromLatin1(file.readAll().split(' ').mid(0, 3).join(' '))
               : QString();
}

// The verification in a fresh process (this binary with --verify-only), so its peak RSS is the
// verifier's and not the log generator's.
QJsonObject verifyInChild(const QString &dir, int runs)
{
    QProcess child;
    child.start(
        QCoreApplication::applicationFilePath(),
        {QStringLiteral("--verify-only"), dir, QStringLiteral("--runs"), QString::number(runs)});
    if (!child.waitForFinished(-1))
        return QJsonObject{{QStringLiteral("ok"), false},
                           {QStringLiteral("error"), child.errorString()}};
    return QJsonDocument::fromJson(child.readAllStandardOutput()).object();
}

QByteArray readAllBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const auto option = [&](const char *name, qint64 fallback) {
        const qsizetype at = args.indexOf(QLatin1String(name));
        return at >= 0 && at + 1 < args.size() ? args.at(at + 1).toLongLong() : fallback;
    };
    const auto text = [&](const char *name) {
        const qsizetype at = args.indexOf(QLatin1String(name));
        return at >= 0 && at + 1 < args.size() ? args.at(at + 1) : QString();
    };
    const int runs = int(std::max<qint64>(1, option("--runs", 3)));

    if (const QString only = text("--verify-only"); !only.isEmpty()) {
        const Verified verified = verifyTimed(only, runs);
        const QJsonObject out{
            {QStringLiteral("bench"), QStringLiteral("audit_verify")},
            {QStringLiteral("bundle"), only},
            {QStringLiteral("ok"), verified.ok},
            {QStringLiteral("error"), verified.error},
            {QStringLiteral("events"), qint64(verified.report.eventCount)},
            {QStringLiteral("tree_heads"), verified.report.treeHeadCount},
            {QStringLiteral("purged_events"), qint64(verified.report.purgedEventCount)},
            {QStringLiteral("best_ms"), double(verified.bestNs) / 1e6},
            {QStringLiteral("median_ms"), double(verified.medianNs) / 1e6},
            {QStringLiteral("events_per_s"),
             qRound64(perSecond(verified.report.eventCount, verified.bestNs))},
            {QStringLiteral("median_events_per_s"),
             qRound64(perSecond(verified.report.eventCount, verified.medianNs))},
            {QStringLiteral("cpu_ms_per_run"), double(verified.cpuNs) / 1e6},
            {QStringLiteral("cpu_ns_per_event"),
             verified.report.eventCount
                 ? double(verified.cpuNs) / double(verified.report.eventCount)
                 : 0.0},
            {QStringLiteral("peak_rss_mib"), double(verified.peakRssKiB) / 1024.0},
            {QStringLiteral("load_average"), loadAverage()}};
        std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
        return verified.ok ? 0 : 1;
    }

    const auto eventCount = size_t(std::max<qint64>(1, option("--events", 1000000)));
    const auto headEvery = size_t(std::max<qint64>(1, option("--head-every", 1000)));
    QTemporaryDir tmp;
    QString root = text("--keep");
    if (root.isEmpty())
        root = tmp.path();
    QDir().mkpath(root);
    const QString fullDir = QDir(root).filePath(QStringLiteral("complete"));
    const QString tenantDir = QDir(root).filePath(QStringLiteral("tenant-acme"));

    const bool reuse = QFile::exists(QDir(fullDir).filePath(QStringLiteral("manifest.json"))) &&
                       QFile::exists(QDir(tenantDir).filePath(QStringLiteral("manifest.json")));
    qint64 logNs = 0;
    qint64 writeFullNs = 0;
    qint64 writeTenantNs = 0;
    if (!reuse) {
        // The log: events, leaves (two threads), signed heads every `headEvery` events.
        QElapsedTimer timer;
        timer.start();
        std::vector<AuditEvent> events = makeEvents(eventCount);
        std::vector<Hash> leaves(eventCount);
        {
            const auto hashRange = [&](size_t begin, size_t end) {
                for (size_t i = begin; i < end; ++i)
                    leaves[i] = *leafHashOf(events[i]);
            };
            std::thread other(hashRange, eventCount / 2, eventCount);
            hashRange(0, eventCount / 2);
            other.join();
        }
        Result<Ed25519Signer> signer = Ed25519Signer::generate();
        if (!signer)
            return 2;
        std::vector<SignedTreeHead> heads;
        MerkleTree tree;
        const QDateTime headBase(QDate(2026, 1, 5), QTime(7, 0), Qt::UTC);
        for (size_t i = 0; i < eventCount; ++i) {
            tree.append(leaves[i]);
            if (tree.size() % headEvery == 0 || tree.size() == eventCount) {
                TreeHead head{tree.size(), headBase.addMSecs(qint64(tree.size()) * 29 + 1000),
                              tree.root()};
                heads.push_back({head, *signer->sign(head)});
            }
        }
        logNs = timer.nsecsElapsed();

        BundleInput input;
        input.leafHashes = leaves;
        input.events = std::move(events);
        input.treeHeads = heads;
        input.publicKeyRaw = signer->publicKeyRaw();
        timer.start();
        Status written = writeBundle(fullDir, input);
        writeFullNs = timer.nsecsElapsed();
        input.filter.tenant = QStringLiteral("acme");
        timer.start();
        Status writtenTenant = written ? writeBundle(tenantDir, input) : written;
        writeTenantNs = timer.nsecsElapsed();
        if (!written || !writtenTenant) {
            std::fprintf(stderr, "writeBundle failed: %s\n",
                         qPrintable((written ? writtenTenant : written).error().message));
            return 1;
        }
    }

    // References over the same bytes.
    QElapsedTimer timer;
    const QString eventsPath = QDir(fullDir).filePath(QStringLiteral("events.jsonl"));
    // Reading: every file of the complete bundle through one reused 4 MiB buffer (the page
    // cache is warm, as for the verifier: this is the cost of the read() copies).
    timer.start();
    qint64 bundleBytes = 0;
    {
        QByteArray block(4 * 1024 * 1024, Qt::Uninitialized);
        for (const QString &name : QDir(fullDir).entryList(QDir::Files)) {
            QFile file(QDir(fullDir).filePath(name));
            if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
                continue;
            for (qint64 read; (read = file.read(block.data(), block.size())) > 0;)
                bundleBytes += read;
        }
    }
    const qint64 readNs = timer.nsecsElapsed();
    const QByteArray eventBytes = readAllBytes(eventsPath);
    unsigned char digest[32];
    unsigned int digestLength = 0;
    timer.start();
    EVP_Digest(eventBytes.constData(), size_t(eventBytes.size()), digest, &digestLength,
               EVP_sha256(), nullptr);
    const qint64 shaNs = timer.nsecsElapsed();
    // The strict per-line path on the first lines (the fallback, and the verifier's old way).
    const QList<QByteArrayView> sampleLines = [&] {
        QList<QByteArrayView> out;
        qsizetype start = 0;
        while (out.size() < 100000 && start < eventBytes.size()) {
            const qsizetype end = eventBytes.indexOf('\n', start);
            out.append(QByteArrayView(eventBytes.constData() + start, end - start));
            start = end + 1;
        }
        return out;
    }();
    timer.start();
    size_t strictOk = 0;
    for (const QByteArrayView line : sampleLines) {
        Result<AuditEvent> event = eventFromJson(line);
        if (event && leafHashOf(*event))
            ++strictOk;
    }
    const qint64 strictNs = timer.nsecsElapsed();

    const QJsonObject full = verifyInChild(fullDir, runs);
    const QJsonObject tenant = verifyInChild(tenantDir, runs);
    const auto value = [](const QJsonObject &o, const char *key) {
        return o.value(QLatin1String(key));
    };

    const QJsonObject out{
        {QStringLiteral("bench"), QStringLiteral("audit_verify")},
        {QStringLiteral("events"), value(full, "events")},
        {QStringLiteral("bundles_reused"), reuse},
        {QStringLiteral("tree_heads"), value(full, "tree_heads")},
        {QStringLiteral("threads"), qint64(std::thread::hardware_concurrency())},
        {QStringLiteral("events_jsonl_bytes"), eventBytes.size()},
        {QStringLiteral("bundle_bytes"), bundleBytes},
        {QStringLiteral("make_log_s"), double(logNs) / 1e9},
        {QStringLiteral("write_complete_s"), double(writeFullNs) / 1e9},
        {QStringLiteral("write_tenant_s"), double(writeTenantNs) / 1e9},
        {QStringLiteral("verify_complete_ok"), value(full, "ok")},
        {QStringLiteral("verify_complete_error"), value(full, "error")},
        {QStringLiteral("verify_complete_best_ms"), value(full, "best_ms")},
        {QStringLiteral("verify_complete_median_ms"), value(full, "median_ms")},
        {QStringLiteral("verify_complete_events_per_s"), value(full, "events_per_s")},
        {QStringLiteral("verify_complete_median_events_per_s"), value(full, "median_events_per_s")},
        {QStringLiteral("verify_complete_cpu_ns_per_event"), value(full, "cpu_ns_per_event")},
        {QStringLiteral("verify_complete_peak_rss_mib"), value(full, "peak_rss_mib")},
        {QStringLiteral("verify_tenant_ok"), value(tenant, "ok")},
        {QStringLiteral("verify_tenant_error"), value(tenant, "error")},
        {QStringLiteral("verify_tenant_events"), value(tenant, "events")},
        {QStringLiteral("verify_tenant_best_ms"), value(tenant, "best_ms")},
        {QStringLiteral("verify_tenant_events_per_s"), value(tenant, "events_per_s")},
        {QStringLiteral("verify_tenant_cpu_ns_per_event"), value(tenant, "cpu_ns_per_event")},
        {QStringLiteral("verify_tenant_peak_rss_mib"), value(tenant, "peak_rss_mib")},
        {QStringLiteral("load_average_after"), loadAverage()},
        {QStringLiteral("reference_read_bundle_ms"), double(readNs) / 1e6},
        {QStringLiteral("reference_sha256_events_jsonl_ms"), double(shaNs) / 1e6},
        {QStringLiteral("reference_sha256_events_jsonl_mb_per_s"),
         perSecond(uint64_t(eventBytes.size()), shaNs) / 1e6},
        {QStringLiteral("reference_strict_line_path_per_s"),
         qRound64(perSecond(sampleLines.size(), strictNs))},
        {QStringLiteral("reference_strict_line_path_ok"), strictOk == size_t(sampleLines.size())},
        {QStringLiteral("goal_events_per_s"), 1000000},
        {QStringLiteral("anchor_crosby_wallach_2009_signed_per_s_per_core"), 1750},
        {QStringLiteral("anchor_crosby_wallach_2009_unsigned_per_s_per_core"), 10500},
    };
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return value(full, "ok").toBool() && value(tenant, "ok").toBool() ? 0 : 1;
}
