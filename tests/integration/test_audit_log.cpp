// The audit log against a real PostgreSQL cluster: the database itself refuses changes (grants
// and triggers), many writers get one gap-free order, a writer killed mid-batch loses nothing it
// acknowledged, every kind of tampering with stored rows is found and located, proofs from stored
// nodes verify, exports verify offline, and retention purges only what it may.
#include "testcluster.h"
#include "upcoach/compliance/auditbundle.h"
#include "upcoach/compliance/auditstore.h"
#include "upcoach/core/clock.h"

#include <QCoreApplication>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <thread>

using namespace upcoach;
using namespace upcoach::compliance;

namespace {

AuditRecord sampleRecord(int i, const QString &writer = QStringLiteral("w"))
{
    AuditRecord r;
    r.actor = QStringLiteral("user:ops%1@example.com").arg(i % 7);
    r.tenant = i % 3 == 0 ? QString() : QStringLiteral("tenant-%1").arg(i % 3);
    r.action = i % 2 ? QStringLiteral("api-token.issue") : QStringLiteral("tenant.update");
    r.target = QStringLiteral("object-%1").arg(i);
    r.outcome = i % 5 == 0 ? QStringLiteral("denied") : QStringLiteral("success");
    r.sourceIp = QStringLiteral("192.0.2.%1").arg(i % 250);
    r.requestId = QStringLiteral("req-%1-%2").arg(writer).arg(i);
    r.classification = i % 4 == 0 ? QStringLiteral("config-change") : QStringLiteral("security");
    r.details = QJsonObject{{QStringLiteral("n"), i}, {QStringLiteral("writer"), writer}};
    return r;
}

AuditQuery newest(int limit)
{
    AuditQuery q;
    q.limit = limit;
    return q;
}

AuditQuery after(uint64_t sequence, int limit)
{
    AuditQuery q;
    q.afterSequence = sequence;
    q.limit = limit;
    return q;
}

// Runs SQL as the schema owner (the superuser of the test cluster).
Status ownerExec(const RegionEndpoint &endpoint, const std::string &sql)
{
    try {
        pqxx::connection c(endpoint.asOwner().connectionString().value().toStdString());
        pqxx::work w(c);
        w.exec(sql);
        w.commit();
        return {};
    } catch (const std::exception &e) {
        return makeError(ErrorCode::InvalidInput, QString::fromUtf8(e.what()));
    }
}

// Runs SQL as the application's login.
Status appExec(const RegionEndpoint &endpoint, const std::string &sql)
{
    try {
        pqxx::connection c(endpoint.connectionString().value().toStdString());
        pqxx::work w(c);
        w.exec(sql);
        w.commit();
        return {};
    } catch (const std::exception &e) {
        return makeError(ErrorCode::InvalidInput, QString::fromUtf8(e.what()));
    }
}

// The child process of crashDuringABatchLosesNothingAcknowledged: writes until killed,
// printing every acknowledged id.
int runChildWriter()
{
    RegionEndpoint endpoint;
    endpoint.regionId = QStringLiteral("us-east-1");
    endpoint.dsn = qEnvironmentVariable("UPCOACH_TEST_DSN");
    endpoint.passwordEnv = QStringLiteral("UPCOACH_TEST_PASSWORD");
    auto signer = loadSigningKey(qEnvironmentVariable("UPCOACH_TEST_KEY"), false);
    if (!signer)
        return 3;
    AuditLogSettings settings;
    settings.maxBatch = 500;
    auto log = PostgresAuditLog::open(endpoint, std::move(signer.value()), settings);
    if (!log)
        return 4;
    std::vector<QFuture<Result<AuditReceipt>>> inflight;
    for (int i = 0;; ++i) {
        inflight.push_back(log.value()->record(sampleRecord(i, QStringLiteral("child"))));
        if (inflight.size() >= 300) {
            for (auto &f : inflight) {
                Result<AuditReceipt> r = f.result();
                if (r.ok())
                    std::printf("ack %s\n", qPrintable(r->id));
            }
            std::fflush(stdout);
            inflight.clear();
        }
    }
}

} // namespace

class TestAuditLog : public QObject
{
    Q_OBJECT
    std::unique_ptr<testing::TestCluster> m_cluster;
    std::unique_ptr<storage::ConnectionPool> m_pool;
    QTemporaryDir m_keys;

    Ed25519Signer signer() { return loadSigningKey(keyPath(), true).value(); }
    QString keyPath() const { return m_keys.filePath(QStringLiteral("audit-key.pem")); }
    RegionEndpoint endpoint() const { return m_cluster->endpoint(); }

    std::unique_ptr<PostgresAuditLog> openLog(AuditLogSettings settings = {},
                                              const Clock &clock = Clock::system())
    {
        auto log = PostgresAuditLog::open(endpoint(), signer(), settings, clock);
        if (!log)
            qWarning() << log.error().message;
        return log ? std::move(log.value()) : nullptr;
    }

    QList<Result<AuditReceipt>> recordAll(AuditLog &log, int count, const QString &writer)
    {
        std::vector<QFuture<Result<AuditReceipt>>> futures;
        for (int i = 0; i < count; ++i)
            futures.push_back(log.record(sampleRecord(i, writer)));
        QList<Result<AuditReceipt>> out;
        for (auto &f : futures)
            out << f.result();
        return out;
    }

    QString verifyStoredError()
    {
        AuditStore store(*m_pool);
        auto report = store.verifyStored();
        return report ? QString() : report.error().message;
    }

    // Tampering runs as the owner with triggers off (session_replication_role = replica), as an
    // attacker with superuser access would; restore() puts the backed-up rows back.
    bool m_backedUp = false;
    void backup()
    {
        m_backedUp = true;
        QVERIFY(ownerExec(endpoint(), "DROP TABLE IF EXISTS events_backup, nodes_backup, "
                                      "heads_backup, head_backup;"
                                      "CREATE TABLE events_backup AS SELECT * FROM audit_events;"
                                      "CREATE TABLE nodes_backup AS SELECT * FROM audit_nodes;"
                                      "CREATE TABLE heads_backup AS SELECT * FROM audit_tree_heads;"
                                      "CREATE TABLE head_backup AS SELECT * FROM audit_head")
                    .ok());
    }
    Status tamper(const std::string &sql)
    {
        return ownerExec(endpoint(), "SET session_replication_role = replica; " + sql);
    }
    void restore()
    {
        QVERIFY(tamper("DELETE FROM audit_events; INSERT INTO audit_events SELECT * FROM "
                       "events_backup; DELETE FROM audit_nodes; INSERT INTO audit_nodes SELECT * "
                       "FROM nodes_backup; DELETE FROM audit_tree_heads; INSERT INTO "
                       "audit_tree_heads SELECT * FROM heads_backup; DELETE FROM audit_head; "
                       "INSERT INTO audit_head SELECT * FROM head_backup")
                    .ok());
        QCOMPARE(verifyStoredError(), QString());
    }

private Q_SLOTS:
    // Whatever a tamper case did is undone, even when it failed half-way.
    void cleanup()
    {
        if (m_backedUp) {
            m_backedUp = false;
            restore();
        }
    }

    void initTestCase()
    {
        QVERIFY(m_keys.isValid());
        m_cluster = std::make_unique<testing::TestCluster>(1);
        QVERIFY2(m_cluster->ok(), qPrintable(m_cluster->error()));
        m_pool = std::make_unique<storage::ConnectionPool>(endpoint());
    }

    void theDatabaseRefusesChanges()
    {
        auto log = openLog();
        QVERIFY(log);
        const auto receipts = recordAll(*log, 3, QStringLiteral("guard"));
        for (const auto &r : receipts)
            QVERIFY(r.ok());
        QVERIFY(log->flushAndSign().ok());

        // The application's login: no UPDATE, DELETE or TRUNCATE privilege at all.
        for (const char *sql :
             {"UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events",
              "TRUNCATE audit_events", "UPDATE audit_tree_heads SET signed_at = now()",
              "DELETE FROM audit_nodes", "UPDATE audit_retention SET retain = '1 day'",
              "SELECT set_config('upcoach.audit_purge', 'on', false); DELETE FROM audit_events",
              "DELETE FROM audit_head", "CREATE TABLE sneaky (id int)"}) {
            const Status s = appExec(endpoint(), sql);
            QVERIFY2(!s.ok(), sql);
            QVERIFY2(s.error().message.contains(QStringLiteral("permission denied")),
                     qPrintable(s.error().message));
        }
        // Even the owner meets the trigger.
        for (const char *sql :
             {"UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events WHERE sequence = 0",
              "TRUNCATE audit_events", "DELETE FROM audit_tree_heads", "TRUNCATE audit_nodes",
              "DELETE FROM audit_head"}) {
            const Status s = ownerExec(endpoint(), sql);
            QVERIFY2(!s.ok(), sql);
            QVERIFY2(s.error().message.contains(QStringLiteral("append-only")),
                     qPrintable(s.error().message));
        }
        // HIPAA-related classes keep at least 6 years, whoever asks.
        QVERIFY(!ownerExec(endpoint(), "UPDATE audit_retention SET retain = '1 year' "
                                       "WHERE classification = 'phi-access'")
                     .ok());
        QVERIFY(!ownerExec(endpoint(), "INSERT INTO audit_retention VALUES ('hipaa-baa', "
                                       "'5 years')")
                     .ok());
        // Inserting is what the application may do.
        QVERIFY(appExec(endpoint(), "SELECT count(*) FROM audit_events").ok());
        QCOMPARE(verifyStoredError(), QString());
    }

    void invalidRecordsAreRefusedAtOnce()
    {
        auto log = openLog();
        QVERIFY(log);
        AuditRecord bad = sampleRecord(1);
        bad.outcome = QStringLiteral("maybe");
        Result<AuditReceipt> r = log->record(bad).result();
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(QStringLiteral("outcome")),
                 qPrintable(r.error().message));
        bad = sampleRecord(1);
        bad.details = QJsonObject{{QStringLiteral("ratio"), 0.5}};
        QVERIFY(!log->record(bad).result().ok());
        QCOMPARE(verifyStoredError(), QString());
    }

    void manyWritersOneOrderNoGapsNoDuplicates()
    {
        AuditLogSettings settings;
        settings.treeHeadEvery = 250;
        // Two log objects = two independent writers with their own connections (as two server
        // processes), each fed by four threads.
        auto first = openLog(settings);
        auto second = openLog(settings);
        QVERIFY(first && second);
        AuditStore store(*m_pool);
        const auto before = store.list(newest(1));
        QVERIFY(before.ok());
        const uint64_t start = before->events.empty() ? 0 : before->events.front().sequence + 1;

        constexpr int kThreads = 8;
        constexpr int kPerThread = 400;
        std::vector<QList<Result<AuditReceipt>>> results(kThreads);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&, t] {
                results[size_t(t)] =
                    recordAll(t % 2 ? *second : *first, kPerThread, QStringLiteral("t%1").arg(t));
            });
        for (auto &t : threads)
            t.join();
        QSet<uint64_t> sequences;
        QSet<QString> ids;
        for (const auto &list : results) {
            for (const auto &r : list) {
                QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
                sequences.insert(r->sequence);
                ids.insert(r->id);
            }
        }
        QCOMPARE(sequences.size(), kThreads * kPerThread);
        QCOMPARE(ids.size(), kThreads * kPerThread);
        for (uint64_t s = start; s < start + kThreads * kPerThread; ++s)
            QVERIFY(sequences.contains(s));
        QVERIFY(first->flushAndSign().ok());
        auto report = store.verifyStored();
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error().message));
        QCOMPARE(report->treeSize, start + kThreads * kPerThread);
        // A head is signed by the first commit after 250 unsigned events (a batch is never
        // split for it), and flushAndSign signed the rest.
        QVERIFY(report->treeHeads >= 2);

        // Times never go backwards along the sequence.
        auto page = store.list(newest(1000));
        QVERIFY(page.ok());
        for (size_t i = 1; i < page->events.size(); ++i) {
            QCOMPARE(page->events[i].sequence + 1, page->events[i - 1].sequence);
            QVERIFY(page->events[i].time <= page->events[i - 1].time);
        }
    }

    void proofsFromStoredNodesVerify()
    {
        auto log = openLog();
        QVERIFY(log);
        const auto receipts = recordAll(*log, 137, QStringLiteral("proof"));
        QVERIFY(log->flushAndSign().ok());
        AuditStore store(*m_pool);
        for (int i : {0, 1, 17, 64, 100, 136}) {
            QVERIFY(receipts[i].ok());
            auto proof = store.proof(receipts[i]->id);
            QVERIFY2(proof.ok(), proof.ok() ? "" : qPrintable(proof.error().message));
            QCOMPARE(proof->event.id, receipts[i]->id);
            QCOMPARE(proof->event.sequence, receipts[i]->sequence);
            // The leaf is recomputed here from the event, not taken from the store.
            const Hash leaf = leafHashOf(proof->event).value();
            QCOMPARE(toHex(leaf), toHex(proof->leafHash));
            const TreeHead &head = proof->treeHead.signedHead.head;
            QVERIFY(verifyTreeHead(head, proof->treeHead.signedHead.signature,
                                   proof->treeHead.publicKeyRaw)
                        .ok());
            const Status ok = verifyInclusion(leaf, proof->event.sequence, head.treeSize,
                                              proof->proof, head.rootHash);
            QVERIFY2(ok.ok(), ok.ok() ? "" : qPrintable(ok.error().message));
            // And equals the proof computed from every leaf of the exported log.
            auto input = store.bundleInput({});
            QVERIFY(input.ok());
            auto expected = inclusionProof(std::span(input->leafHashes).first(head.treeSize),
                                           proof->event.sequence);
            QVERIFY(expected.ok());
            QVERIFY(expected.value() == proof->proof);
        }
        QCOMPARE(store.proof(QStringLiteral("0190a1b2-0000-7000-8000-000000000000")).error().code,
                 ErrorCode::NotFound);
        QCOMPARE(store.proof(QStringLiteral("'; DROP TABLE audit_events; --")).error().code,
                 ErrorCode::InvalidInput);
    }

    void treeHeadsAreSignedByTime()
    {
        AuditLogSettings settings;
        settings.treeHeadEvery = 1'000'000;
        settings.treeHeadInterval = std::chrono::milliseconds(200);
        auto log = openLog(settings);
        QVERIFY(log);
        const auto receipts = recordAll(*log, 5, QStringLiteral("timer"));
        QVERIFY(receipts.last().ok());
        AuditStore store(*m_pool);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto head = store.latestTreeHead();
                return head.ok() && head->has_value() &&
                       (*head)->signedHead.head.treeSize > receipts.last()->sequence;
            }(),
            20000);
    }

    void listFiltersAndPages()
    {
        auto log = openLog();
        QVERIFY(log);
        QVERIFY(recordAll(*log, 60, QStringLiteral("page")).last().ok());
        AuditStore store(*m_pool);
        AuditQuery q;
        q.tenant = QStringLiteral("tenant-1");
        q.limit = 7;
        QSet<uint64_t> seen;
        std::optional<uint64_t> last;
        for (;;) {
            auto page = store.list(q);
            QVERIFY(page.ok());
            for (const AuditEvent &e : page->events) {
                QCOMPARE(e.tenant, QStringLiteral("tenant-1"));
                if (last)
                    QVERIFY(e.sequence < *last); // newest first
                last = e.sequence;
                QVERIFY(!seen.contains(e.sequence));
                seen.insert(e.sequence);
            }
            if (!page->nextCursor)
                break;
            q.beforeSequence = page->nextCursor;
        }
        QVERIFY(seen.size() >= 20);
        AuditQuery prefix;
        prefix.action = QStringLiteral("api-token.*");
        prefix.outcome = QStringLiteral("denied");
        auto page = store.list(prefix);
        QVERIFY(page.ok());
        QVERIFY(!page->events.empty());
        for (const AuditEvent &e : page->events) {
            QVERIFY(e.action.startsWith(QStringLiteral("api-token.")));
            QCOMPARE(e.outcome, QStringLiteral("denied"));
        }
        AuditQuery injection;
        injection.actor = QStringLiteral("' OR 1=1 --");
        QVERIFY(store.list(injection).value().events.empty());
        AuditQuery wildcard;
        wildcard.action = QStringLiteral("%*"); // LIKE's wildcard is literal here
        QVERIFY(store.list(wildcard).value().events.empty());
        QVERIFY(!store.list(newest(0)).ok());
        QVERIFY(!store.list(newest(5000)).ok());
    }

    // Each kind of tampering with stored rows is detected and located.
    void tamperMatrixOnStoredRows_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("exportFails"); // tree nodes are an index the export does not use
        QTest::newRow("field modified")
            << "UPDATE audit_events SET actor = 'user:mallory' WHERE sequence = 5"
            << "sequence 5: the stored event does not hash to its leaf" << true;
        QTest::newRow("details modified")
            << "UPDATE audit_events SET details = '{\"n\":999}' WHERE sequence = 6"
            << "sequence 6: the stored event does not hash to its leaf" << true;
        QTest::newRow("time modified")
            << "UPDATE audit_events SET occurred_at = occurred_at - interval '1 day' "
               "WHERE sequence = 7"
            << "sequence 7: the stored event does not hash to its leaf" << true;
        QTest::newRow("row and leaf rewritten together")
            << "UPDATE audit_events SET actor = 'user:mallory', leaf_hash = decode('%LEAF20%', "
               "'hex') "
               "WHERE sequence = 20"
            << "sequences 16..31: the leaves do not match the stored tree node" << true;
        QTest::newRow("deleted") << "DELETE FROM audit_events WHERE sequence = 9"
                                 << "sequence 9: the event is missing" << true;
        QTest::newRow("inserted")
            << "INSERT INTO audit_events SELECT sequence + 1000000, gen_random_uuid(), "
               "occurred_at, actor, impersonator, tenant, action, target, outcome, source_ip, "
               "request_id, classification, details, leaf_hash FROM audit_events "
               "WHERE sequence = 3"
            << "sequence 1000003: beyond the" << false; // beyond the signed head: not exported
        QTest::newRow("reordered")
            << "UPDATE audit_events SET sequence = sequence + 2000000 WHERE sequence IN (10, 11); "
               "UPDATE audit_events SET sequence = 11 WHERE sequence = 2000010; "
               "UPDATE audit_events SET sequence = 10 WHERE sequence = 2000011"
            << "sequence 10: the stored event does not hash to its leaf" << true;
        QTest::newRow("tail truncated")
            << "DELETE FROM audit_events WHERE sequence >= (SELECT tree_size - 3 FROM audit_head)"
            << "the head says" << true;
        QTest::newRow("tree head forged")
            << "UPDATE audit_tree_heads SET root_hash = sha256('forged') "
               "WHERE tree_size = (SELECT min(tree_size) FROM audit_tree_heads)"
            << "signature mismatch" << true;
        QTest::newRow("node changed")
            << "UPDATE audit_nodes SET hash = sha256('y') WHERE level = 4 AND idx = 0"
            << "sequences 0..15: the leaves do not match the stored tree node (level 4, index 0)"
            << false;
    }

    void tamperMatrixOnStoredRows()
    {
        QFETCH(QString, sql);
        QFETCH(QString, expected);
        QFETCH(bool, exportFails);
        {
            auto log = openLog();
            QVERIFY(log);
            QVERIFY(recordAll(*log, 40, QStringLiteral("tamper")).last().ok());
            QVERIFY(log->flushAndSign().ok());
        }
        QCOMPARE(verifyStoredError(), QString());
        if (sql.contains(QStringLiteral("%LEAF20%"))) {
            // A consistent forgery: the row and its leaf agree; only the tree can tell.
            AuditStore store(*m_pool);
            auto page = store.list(after(19, 1));
            QVERIFY(page.ok() && page->events.size() == 1);
            AuditEvent forged = page->events.front();
            forged.actor = QStringLiteral("user:mallory");
            sql.replace(QStringLiteral("%LEAF20%"), toHex(leafHashOf(forged).value()));
        }
        backup();
        const Status done = tamper(sql.toStdString());
        QVERIFY2(done.ok(), done.ok() ? "" : qPrintable(done.error().message));
        const QString error = verifyStoredError();
        QVERIFY2(error.contains(expected), qPrintable(error));
        // The export refuses too, and names a position or the bad head.
        AuditStore store(*m_pool);
        auto input = store.bundleInput({});
        QTemporaryDir out;
        const Status written = input.ok()
                                   ? writeBundle(out.filePath(QStringLiteral("b")), input.value())
                                   : Status(input.error());
        QCOMPARE(!written.ok(), exportFails);
    }

    void exportedBundlesVerifyOffline()
    {
        auto log = openLog();
        QVERIFY(log);
        QVERIFY(recordAll(*log, 90, QStringLiteral("export")).last().ok());
        QVERIFY(log->flushAndSign().ok());
        AuditStore store(*m_pool);
        QTemporaryDir out;

        auto complete = store.bundleInput({});
        QVERIFY(complete.ok());
        QVERIFY(writeBundle(out.filePath(QStringLiteral("all")), complete.value()).ok());
        auto report = verifyBundle(out.filePath(QStringLiteral("all")));
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error().message));
        QVERIFY(report->complete);
        QCOMPARE(report->keyFingerprint, keyFingerprint(log->publicKeyRaw()));

        BundleFilter tenant;
        tenant.tenant = QStringLiteral("tenant-2");
        auto filtered = store.bundleInput(tenant);
        QVERIFY(filtered.ok());
        for (const AuditEvent &e : filtered->events)
            QCOMPARE(e.tenant, QStringLiteral("tenant-2"));
        QVERIFY(writeBundle(out.filePath(QStringLiteral("tenant")), filtered.value()).ok());
        auto tenantReport = verifyBundle(out.filePath(QStringLiteral("tenant")));
        QVERIFY2(tenantReport.ok(),
                 tenantReport.ok() ? "" : qPrintable(tenantReport.error().message));
        QVERIFY(!tenantReport->complete);
        QVERIFY(tenantReport->eventCount > 0);
    }

    void crashDuringABatchLosesNothingAcknowledged()
    {
        (void)signer(); // the key file exists for the child
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("UPCOACH_TEST_DSN"), endpoint().dsn);
        env.insert(QStringLiteral("UPCOACH_TEST_PASSWORD"), endpoint().password);
        env.insert(QStringLiteral("UPCOACH_TEST_KEY"), keyPath());
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--child-writer")});
        QVERIFY(child.waitForStarted());
        QByteArray out;
        // Kill it once it has acknowledged a few thousand events: it is then mid-batch.
        QTRY_VERIFY_WITH_TIMEOUT((out += child.readAllStandardOutput()).count("ack ") >= 3000,
                                 60000);
        child.kill(); // SIGKILL: no destructor, no flush
        QVERIFY(child.waitForFinished());
        out += child.readAllStandardOutput();
        QSet<QString> acked;
        for (const QByteArray &line : out.split('\n')) {
            if (line.startsWith("ack "))
                acked.insert(QString::fromLatin1(line.mid(4)));
        }
        QVERIFY(acked.size() >= 3000);

        // Every acknowledged event is there, the log is whole, and a new writer continues it.
        AuditStore store(*m_pool);
        QSet<QString> stored;
        AuditQuery q;
        q.limit = 1000;
        q.afterSequence = std::nullopt;
        for (;;) {
            auto page = store.list(q);
            QVERIFY(page.ok());
            for (const AuditEvent &e : page->events)
                stored.insert(e.id);
            if (!page->nextCursor)
                break;
            q.beforeSequence = page->nextCursor;
        }
        for (const QString &id : acked)
            QVERIFY2(stored.contains(id), qPrintable(id));
        QCOMPARE(verifyStoredError(), QString());
        auto log = openLog();
        QVERIFY(log);
        QVERIFY(recordAll(*log, 10, QStringLiteral("after-crash")).last().ok());
        QVERIFY(log->flushAndSign().ok());
        QCOMPARE(verifyStoredError(), QString());
        QTemporaryDir dir;
        auto input = store.bundleInput({});
        QVERIFY(input.ok());
        QVERIFY(writeBundle(dir.filePath(QStringLiteral("b")), input.value()).ok());
        QVERIFY(verifyBundle(dir.filePath(QStringLiteral("b"))).ok());
    }

    // In a fresh database: event times never go backwards along the sequence, so events two
    // years old can only be written into a log that has none newer.
    void retentionPurgesOnlyWholeExpiredSegments()
    {
        testing::TestCluster fresh(1);
        QVERIFY2(fresh.ok(), qPrintable(fresh.error()));
        storage::ConnectionPool pool(fresh.endpoint());
        AuditStore store(pool);
        ManualClock old(QDateTime::currentDateTimeUtc().addYears(-2));
        {
            auto log = PostgresAuditLog::open(fresh.endpoint(), signer(), {}, old);
            QVERIFY(log.ok());
            // Segment 0: 4096 expired events. Segment 1: a HIPAA event (kept 6 years) and more.
            std::vector<QFuture<Result<AuditReceipt>>> futures;
            for (int i = 0; i < 4096; ++i)
                futures.push_back(log.value()->record(sampleRecord(i, QStringLiteral("old"))));
            AuditRecord phi = sampleRecord(1, QStringLiteral("old"));
            phi.classification = QStringLiteral("phi-access");
            futures.push_back(log.value()->record(phi));
            for (int i = 0; i < 4095; ++i)
                futures.push_back(log.value()->record(sampleRecord(i, QStringLiteral("old2"))));
            for (auto &f : futures)
                QVERIFY(f.result().ok());
            QVERIFY(log.value()->flushAndSign().ok());
        }
        auto opened = PostgresAuditLog::open(fresh.endpoint(), signer());
        QVERIFY(opened.ok());
        PostgresAuditLog &log = *opened.value();
        const uint64_t phiSegment = 1;
        auto purged = store.purgeExpired(log);
        QVERIFY2(purged.ok(), purged.ok() ? "" : qPrintable(purged.error().message));
        QCOMPARE(purged->segments, std::vector<uint64_t>{0});
        QCOMPARE(purged->events, uint64_t(4096));
        auto remaining = store.list(newest(1000));
        QVERIFY(remaining.ok());
        for (const AuditEvent &e : remaining->events)
            QVERIFY(e.sequence >= 4096);
        // The purge record is the newest event, and says what went.
        const AuditEvent &record = remaining->events.front();
        QCOMPARE(record.action, QStringLiteral("audit.retention.purge"));
        QCOMPARE(record.details.value(QStringLiteral("firstSequence")).toInteger(), 0);
        QCOMPARE(record.details.value(QStringLiteral("lastSequence")).toInteger(), 4095);

        // What remains verifies, in the database and as an exported bundle.
        auto report = store.verifyStored();
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error().message));
        QCOMPARE(report->purgedEvents, purged->events);
        QTemporaryDir dir;
        auto input = store.bundleInput({});
        QVERIFY(input.ok());
        const Status written = writeBundle(dir.filePath(QStringLiteral("b")), input.value());
        QVERIFY2(written.ok(), written.ok() ? "" : qPrintable(written.error().message));
        auto verified = verifyBundle(dir.filePath(QStringLiteral("b")));
        QVERIFY2(verified.ok(), verified.ok() ? "" : qPrintable(verified.error().message));

        // The database refuses to purge the PHI segment, and a purge without a record.
        auto refused = pool.withConnection([&](pqxx::connection &c) {
            pqxx::work w(c);
            w.exec_params("SELECT audit_purge_segment($1, $2)", phiSegment, uint64_t(0));
            w.commit();
        });
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QStringLiteral("not its purge record")),
                 qPrintable(refused.error().message));
        // Purging again finds nothing more to do.
        auto again = store.purgeExpired(log);
        QVERIFY(again.ok());
        QVERIFY(again->segments.empty());
    }
};

int main(int argc, char **argv)
{
    if (argc > 1 && qstrcmp(argv[1], "--child-writer") == 0) {
        QCoreApplication app(argc, argv);
        return runChildWriter();
    }
    QCoreApplication app(argc, argv);
    TestAuditLog test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_audit_log.moc"
