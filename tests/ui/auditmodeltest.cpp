// The Audit page's store and model over real bundles (a complete one and a tenant-filtered one,
// written with compliance::writeBundle and a fresh Ed25519 key): loading, every filter and the
// search, order, the detail pane's proof, the CSV bytes, live appends without resets, a tampered
// bundle and a missing directory. QAbstractItemModelTester watches the model throughout.
#include "auditbundlefixture.h"
#include "auditbundlesource.h"
#include "auditcsv.h"
#include "auditeventstore.h"
#include "auditfilter.h"
#include "auditlogmodel.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <functional>

using namespace upcoach;
using namespace upcoach::viewmodels;
using compliance::AuditEvent;
using compliance::Hash;

namespace {

constexpr int kEventCount = 240;
constexpr int kHeadEvery = 60;

// The pieces the console's composition root builds for `console --audit DIR`.
struct Harness
{
    AuditEventStore store;
    AuditLogModel model{store};
    AuditBundleSource source{store};
    QAbstractItemModelTester tester{&model, QAbstractItemModelTester::FailureReportingMode::QtTest};
};

bool settled(const AuditLogModel &model)
{
    return !model.loading();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString copyBundle(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    for (const QString &name : QDir(from).entryList(QDir::Files))
        QFile::copy(QDir(from).filePath(name), QDir(to).filePath(name));
    return to;
}

} // namespace

class AuditModelTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    testing::AuditLog m_log;
    QString m_full;
    QString m_acme;

    // The rows the model shows, as sequences.
    static std::vector<uint64_t> shownSequences(const AuditLogModel &model)
    {
        std::vector<uint64_t> sequences;
        for (int row = 0; row < model.rowCount(); ++row)
            sequences.push_back(
                uint64_t(model.data(model.index(row), AuditLogModel::SequenceRole).toLongLong()));
        return sequences;
    }

    std::vector<uint64_t> expected(const std::function<bool(const AuditEvent &)> &keep) const
    {
        std::vector<uint64_t> sequences;
        for (const AuditEvent &event : m_log.events) {
            if (keep(event))
                sequences.push_back(event.sequence);
        }
        return sequences;
    }

    static bool searchHit(const AuditEvent &e, const QString &needle)
    {
        const QByteArray details = *compliance::canonicalDetailsJson(e.details);
        for (const QString &field :
             {e.id, e.actor, e.impersonator, e.tenant, e.action, e.target, e.outcome, e.sourceIp,
              e.requestId, e.classification, QString::fromUtf8(details)}) {
            if (field.contains(needle, Qt::CaseInsensitive))
                return true;
        }
        return false;
    }

    void loadInto(Harness &harness, const QString &dir)
    {
        QSignalSpy finished(&harness.source, &AuditBundleSource::finished);
        harness.source.load(dir);
        QVERIFY(harness.model.loading());
        QVERIFY(finished.wait(30000));
        QTRY_VERIFY(settled(harness.model));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto log = testing::makeAuditLog(kEventCount, kHeadEvery);
        QVERIFY2(log.ok(), log.ok() ? "" : qPrintable(log.error().message));
        m_log = std::move(log).value();
        m_full = m_dir.filePath(QStringLiteral("full"));
        m_acme = m_dir.filePath(QStringLiteral("acme"));
        Status full = testing::writeAuditBundle(m_log, m_full);
        QVERIFY2(full.ok(), full.ok() ? "" : qPrintable(full.error().message));
        Status acme = testing::writeAuditBundle(m_log, m_acme, QStringLiteral("acme"));
        QVERIFY2(acme.ok(), acme.ok() ? "" : qPrintable(acme.error().message));
    }

    void loadsACompleteBundle()
    {
        Harness h;
        loadInto(h, m_full);
        QCOMPARE(h.model.loadState(), AuditLogModel::Ready);
        QCOMPARE(h.model.loadMessage(), QString());
        QCOMPARE(h.model.totalCount(), kEventCount);
        QCOMPARE(h.model.count(), kEventCount);
        QCOMPARE(h.model.sourceName(), m_full);

        const AuditVerificationStatus *v = h.model.verification();
        QCOMPARE(v->state(), AuditVerificationStatus::Verified);
        QCOMPARE(v->eventCount(), double(kEventCount));
        QVERIFY(v->complete());
        QVERIFY(!v->hasTenantScope());
        QCOMPARE(v->treeHeadCount(), kEventCount / kHeadEvery);
        QCOMPARE(v->finalTreeSize(), double(kEventCount));
        QCOMPARE(v->finalRoot(), compliance::toHex(compliance::rootOf(m_log.leaves)));
        QCOMPARE(v->keyFingerprint(), compliance::keyFingerprint(m_log.publicKey));
        QCOMPARE(v->firstSequence(), 0.0);
        QCOMPARE(v->lastSequence(), double(kEventCount - 1));
        QCOMPARE(v->firstTimeText(), QStringLiteral("2026-05-01 08:00:00.007"));

        // Every row, in sequence order, with the values of its event (escaped JSON strings,
        // non-ASCII, line breaks included).
        for (int row = 0; row < kEventCount; ++row) {
            const AuditEvent &e = m_log.events[size_t(row)];
            const QModelIndex index = h.model.index(row);
            QCOMPARE(index.data(AuditLogModel::SequenceRole).toLongLong(), qint64(e.sequence));
            QCOMPARE(index.data(AuditLogModel::EventIdRole).toString(), e.id);
            QCOMPARE(index.data(AuditLogModel::ActorRole).toString(), e.actor);
            QCOMPARE(index.data(AuditLogModel::ImpersonatorRole).toString(), e.impersonator);
            QCOMPARE(index.data(AuditLogModel::TenantRole).toString(), e.tenant);
            QCOMPARE(index.data(AuditLogModel::ActionRole).toString(), e.action);
            QCOMPARE(index.data(AuditLogModel::TargetRole).toString(), e.target);
            QCOMPARE(index.data(AuditLogModel::OutcomeRole).toString(), e.outcome);
            QCOMPARE(index.data(AuditLogModel::SourceIpRole).toString(), e.sourceIp);
            QCOMPARE(index.data(AuditLogModel::RequestIdRole).toString(), e.requestId);
            QCOMPARE(index.data(AuditLogModel::ClassificationRole).toString(), e.classification);
            QCOMPARE(index.data(AuditLogModel::TimeRole).toDateTime(), e.time);
            QCOMPARE(index.data(AuditLogModel::SelectedRole).toBool(), false);
        }
        QCOMPARE(h.model.index(1).data(AuditLogModel::TimeTextRole).toString(),
                 QStringLiteral("2026-05-01 08:00:01.507"));
        // Canonical details are kept for CSV and search (Qt's own JSON escapes differ).
        const AuditStoreSnapshot snapshot = h.store.snapshot();
        for (int i : {5, 11, 13}) {
            const AuditRow &row = snapshot.row(i);
            QCOMPARE(snapshot.chunkOf(i).bytes(row.details).toByteArray(),
                     *compliance::canonicalDetailsJson(m_log.events[size_t(i)].details));
        }
        QCOMPARE(h.model.tenantChoices(),
                 (QStringList{QString(), QStringLiteral("acme"), QStringLiteral("globex"),
                              QStringLiteral("initech")}));
        QCOMPARE(h.model.outcomeChoices(),
                 (QStringList{QStringLiteral("denied"), QStringLiteral("failure"),
                              QStringLiteral("success")}));
        QCOMPARE(h.model.actionChoices().size(), 3);
        QCOMPARE(h.model.classificationChoices().size(), 3);
    }

    void everyFilterAndTheSearch()
    {
        Harness h;
        loadInto(h, m_full);
        QSignalSpy resets(&h.model, &QAbstractItemModel::modelReset);
        const auto check = [&](const char *what, const std::vector<uint64_t> &want) {
            QTRY_VERIFY(settled(h.model));
            const std::vector<uint64_t> got = shownSequences(h.model);
            QVERIFY2(got == want, qPrintable(QStringLiteral("%1: %2 rows, expected %3")
                                                 .arg(QLatin1String(what))
                                                 .arg(got.size())
                                                 .arg(want.size())));
            QCOMPARE(h.model.count(), int(want.size()));
            QVERIFY(!want.empty() || h.model.count() == 0);
        };

        h.model.setActorFilter(QStringLiteral("USER3@"));
        QVERIFY(h.model.hasFilter());
        check("actor", expected([](const AuditEvent &e) {
                  return e.actor.contains(QStringLiteral("user3@"), Qt::CaseInsensitive);
              }));
        h.model.clearFilters();
        check("cleared", expected([](const AuditEvent &) { return true; }));
        QVERIFY(!h.model.hasFilter());

        h.model.setTenantFilter(QStringLiteral("acme"));
        check("tenant",
              expected([](const AuditEvent &e) { return e.tenant == QLatin1String("acme"); }));
        h.model.setTenantFilter(QString(QLatin1String("")));
        check("platform", expected([](const AuditEvent &e) { return e.tenant.isEmpty(); }));
        QCOMPARE(h.model.tenantFilter(), QVariant(QString()));
        h.model.setTenantFilter(QVariant());
        QVERIFY(!h.model.hasFilter());
        check("any tenant", expected([](const AuditEvent &) { return true; }));

        h.model.setActionFilter(QStringLiteral("tenant.export"));
        check("action", expected([](const AuditEvent &e) {
                  return e.action == QLatin1String("tenant.export");
              }));
        h.model.setActionFilter(QString());

        h.model.setOutcomeFilter(QStringLiteral("failure"));
        check("outcome",
              expected([](const AuditEvent &e) { return e.outcome == QLatin1String("failure"); }));
        h.model.setOutcomeFilter(QString());

        h.model.setClassificationFilter(QStringLiteral("config-change"));
        check("classification", expected([](const AuditEvent &e) {
                  return e.classification == QLatin1String("config-change");
              }));
        h.model.setClassificationFilter(QString());

        // Time range: from inclusive, until exclusive, typed as UTC text.
        const QDateTime from = m_log.events[20].time;
        const QDateTime to = m_log.events[30].time;
        h.model.setFromText(from.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
        h.model.setToText(to.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ")));
        QVERIFY(h.model.fromTextValid() && h.model.toTextValid());
        check("time range",
              expected([&](const AuditEvent &e) { return e.time >= from && e.time < to; }));
        h.model.setToText(QStringLiteral("2026-13-45"));
        QVERIFY(!h.model.toTextValid());
        check("open end", expected([&](const AuditEvent &e) { return e.time >= from; }));
        h.model.clearFilters();

        // Search: case-insensitive substring over every text field and the details JSON.
        for (const QString &needle :
             {QStringLiteral("zebra-42"), QStringLiteral("REQ-17"), QStringLiteral("192.0.2.42"),
              QString::fromUtf8("目标"), QString::fromUtf8("ÜNÏ"), QStringLiteral("TOKEN"),
              QStringLiteral("support@"), QStringLiteral("\"path\":\"/a/b\""),
              QStringLiteral("nothing-has-this")}) {
            h.model.setSearchText(needle);
            check(qPrintable(needle),
                  expected([&](const AuditEvent &e) { return searchHit(e, needle); }));
        }

        // Everything at once.
        AuditFilter all;
        all.tenant = QStringLiteral("globex");
        all.outcome = QStringLiteral("success");
        all.actor = QStringLiteral("user");
        all.search = QStringLiteral("issue");
        all.fromMs = m_log.events[10].time.toMSecsSinceEpoch();
        h.model.setFilter(all);
        check("combined", expected([&](const AuditEvent &e) {
                  return e.tenant == QLatin1String("globex") &&
                         e.outcome == QLatin1String("success") &&
                         e.actor.contains(QStringLiteral("user")) && searchHit(e, all.search) &&
                         e.sequence >= 10;
              }));
        QVERIFY(resets.count() > 0); // a filter change resets the model
    }

    void newestFirstReversesTheOrder()
    {
        Harness h;
        loadInto(h, m_full);
        h.model.setTenantFilter(QStringLiteral("initech"));
        QTRY_VERIFY(settled(h.model));
        std::vector<uint64_t> ascending = shownSequences(h.model);
        QVERIFY(std::is_sorted(ascending.begin(), ascending.end()));
        h.model.select(2);
        const uint64_t selected = ascending[2];
        h.model.setNewestFirst(true);
        std::vector<uint64_t> descending = shownSequences(h.model);
        std::reverse(descending.begin(), descending.end());
        QCOMPARE(descending, ascending);
        // The selection follows its event.
        QCOMPARE(h.model.selectedRow(), int(ascending.size()) - 3);
        QCOMPARE(
            h.model.index(h.model.selectedRow()).data(AuditLogModel::SequenceRole).toLongLong(),
            qint64(selected));
        QVERIFY(h.model.index(h.model.selectedRow()).data(AuditLogModel::SelectedRole).toBool());
    }

    void detailPaneShowsTheEventAndAVerifiedProof()
    {
        Harness h;
        loadInto(h, m_full);
        const AuditEventDetails *d = h.model.selection();
        QVERIFY(!d->hasEvent());
        QCOMPARE(d->proofState(), AuditEventDetails::ProofNone);

        QSignalSpy selectedChanged(&h.model, &QAbstractItemModel::dataChanged);
        h.model.select(5);
        QCOMPARE(h.model.selectedRow(), 5);
        QVERIFY(h.model.index(5).data(AuditLogModel::SelectedRole).toBool());
        QCOMPARE(selectedChanged.count(), 1);
        const AuditEvent &e = m_log.events[5];
        QVERIFY(d->hasEvent());
        QCOMPARE(d->sequence(), 5.0);
        QCOMPARE(d->eventId(), e.id);
        QCOMPARE(d->actor(), e.actor);
        QCOMPARE(d->target(), e.target);
        QCOMPARE(d->outcome(), e.outcome);
        QCOMPARE(d->requestId(), e.requestId);
        QCOMPARE(d->timeText(), QStringLiteral("2026-05-01 08:00:07.507"));
        QVERIFY(d->detailsJson().contains(QStringLiteral("\"note\": \"a \\\"b\\\", c\\nd\"")));
        QCOMPARE(d->leafHash(), compliance::toHex(*compliance::leafHashOf(e)));
        QCOMPARE(d->leafIndex(), 5.0);

        QTRY_COMPARE(d->proofState(), AuditEventDetails::ProofVerified);
        QCOMPARE(d->treeSize(), double(kEventCount));
        const Hash root = compliance::rootOf(m_log.leaves);
        QCOMPARE(d->rootHash(), compliance::toHex(root));
        std::vector<Hash> proof;
        for (const QString &hex : d->proofHashes())
            proof.push_back(*compliance::hashFromHex(hex));
        QCOMPARE(proof.size(), size_t(compliance::inclusionProofLength(5, kEventCount)));
        QVERIFY(compliance::verifyInclusion(m_log.leaves[5], 5, kEventCount, proof, root).ok());

        // Another selection replaces the first; clearing empties the pane.
        h.model.select(kEventCount - 1);
        QTRY_COMPARE(d->proofState(), AuditEventDetails::ProofVerified);
        QCOMPARE(d->sequence(), double(kEventCount - 1));
        h.model.select(-1);
        QVERIFY(!d->hasEvent());
        QCOMPARE(h.model.selectedRow(), -1);
    }

    void filteredBundleProofsComeFromProofsJsonl()
    {
        Harness h;
        loadInto(h, m_acme);
        const std::vector<uint64_t> acme =
            expected([](const AuditEvent &e) { return e.tenant == QLatin1String("acme"); });
        QCOMPARE(shownSequences(h.model), acme);
        const AuditVerificationStatus *v = h.model.verification();
        QCOMPARE(v->state(), AuditVerificationStatus::Verified);
        QVERIFY(!v->complete());
        QVERIFY(v->hasTenantScope());
        QCOMPARE(v->scopeTenant(), QStringLiteral("acme"));
        QCOMPARE(v->eventCount(), double(acme.size()));

        for (int row : {0, 7, int(acme.size()) - 1}) {
            h.model.select(row);
            const AuditEventDetails *d = h.model.selection();
            QTRY_COMPARE(d->proofState(), AuditEventDetails::ProofVerified);
            QCOMPARE(d->leafIndex(), double(acme[size_t(row)]));
            std::vector<Hash> proof;
            for (const QString &hex : d->proofHashes())
                proof.push_back(*compliance::hashFromHex(hex));
            QVERIFY(compliance::verifyInclusion(m_log.leaves[acme[size_t(row)]], acme[size_t(row)],
                                                kEventCount, proof,
                                                compliance::rootOf(m_log.leaves))
                        .ok());
        }
    }

    void csvHasExactBytes()
    {
        Harness h;
        loadInto(h, m_full);
        // Events 3 to 6 hold a formula actor, quotes and commas, a tab, a line break, a details
        // string with all of them, and a request ID starting with '-'.
        h.model.setFromText(QStringLiteral("2026-05-01 08:00:04.507"));
        h.model.setToText(QStringLiteral("2026-05-01 08:00:10.507"));
        QTRY_VERIFY(settled(h.model));
        QCOMPARE(shownSequences(h.model), (std::vector<uint64_t>{3, 4, 5, 6}));

        const QString path = m_dir.filePath(QStringLiteral("export.csv"));
        QSignalSpy finished(&h.model, &AuditLogModel::exportFinished);
        QVERIFY(h.model.exportCsv(QUrl::fromLocalFile(path)));
        QVERIFY(h.model.exporting());
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().first().toBool(), true);
        QCOMPARE(h.model.exportState(), AuditLogModel::ExportDone);
        QCOMPARE(h.model.exportedCount(), 4);
        QCOMPARE(h.model.exportPath(), path);

        const auto id = [&](int i) { return m_log.events[size_t(i)].id.toUtf8(); };
        const QByteArray want =
            "id,sequence,time,actor,impersonator,tenant,action,target,outcome,sourceIp,"
            "requestId,classification,details\r\n" +
            id(3) +
            ",3,2026-05-01T08:00:04.507Z,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",,,"
            "api-token.issue,object:3,success,192.0.2.3,req-3,security,\"{\"\"n\"\":3}\"\r\n" +
            id(4) +
            ",4,2026-05-01T08:00:06.007Z,user:user4@example.com,,acme,config.update,"
            "\"quoted \"\"name\"\", with comma\",success,'\t10.0.0.1,req-4,phi-access,"
            "\"{\"\"n\"\":4}\"\r\n" +
            id(5) +
            ",5,2026-05-01T08:00:07.507Z,'+danger,,globex,api-token.issue,object:5,denied,"
            "192.0.2.5,req-5,security,\"{\"\"n\"\":5,\"\"note\"\":\"\"a \\\"\"b\\\"\", "
            "c\\u000ad\"\"}\"\r\n" +
            id(6) +
            ",6,2026-05-01T08:00:09.007Z,user:user6@example.com,,initech,config.update,"
            "\"line1\nline2\",success,192.0.2.6,'-7,security,\"{\"\"n\"\":6}\"\r\n";
        QCOMPARE(readFile(path), want);

        // Newest first exports in that order.
        h.model.setNewestFirst(true);
        finished.clear();
        QVERIFY(h.model.exportCsv(QUrl::fromLocalFile(path)));
        QVERIFY(finished.wait(10000));
        const QList<QByteArray> lines = readFile(path).split('\n');
        QVERIFY(lines.value(1).startsWith(id(6)));

        // Not a local file: refused, with a reason.
        QVERIFY(!h.model.exportCsv(QUrl(QStringLiteral("https://example.com/x.csv"))));
        QCOMPARE(h.model.exportState(), AuditLogModel::ExportFailed);
        QVERIFY(!h.model.exportError().isEmpty());
    }

    void csvCells()
    {
        const auto cell = [](const char *text) {
            QByteArray out;
            appendCsvCell(out, QByteArrayView(text));
            return out;
        };
        QCOMPARE(cell("plain"), QByteArray("plain"));
        QCOMPARE(cell(""), QByteArray(""));
        QCOMPARE(cell("a,b"), QByteArray("\"a,b\""));
        QCOMPARE(cell("say \"hi\""), QByteArray("\"say \"\"hi\"\"\""));
        QCOMPARE(cell("a\r\nb"), QByteArray("\"a\r\nb\""));
        QCOMPARE(cell("=1+2"), QByteArray("'=1+2"));
        QCOMPARE(cell("@SUM(A1)"), QByteArray("'@SUM(A1)"));
        QCOMPARE(cell("-3"), QByteArray("'-3"));
        QCOMPARE(cell("+3"), QByteArray("'+3"));
        QCOMPARE(cell("\tx"), QByteArray("'\tx"));
        QCOMPARE(cell("\rx"), QByteArray("\"'\rx\""));
        QCOMPARE(cell("=a,b"), QByteArray("\"'=a,b\""));
        QCOMPARE(cell("a=b"), QByteArray("a=b"));
    }

    void tamperedBundleFailsButStillShowsItsEvents()
    {
        const QString copy = copyBundle(m_full, m_dir.filePath(QStringLiteral("tampered")));
        const QString events = QDir(copy).filePath(QStringLiteral("events.jsonl"));
        QByteArray bytes = readFile(events);
        const QByteArray original = m_log.events[16].actor.toUtf8();
        const qsizetype at = bytes.indexOf("\"sequence\":16,");
        QVERIFY(at > 0);
        const qsizetype actorAt = bytes.lastIndexOf(original, at) >= 0
                                      ? bytes.lastIndexOf(original, at)
                                      : bytes.indexOf(original, at);
        QVERIFY(actorAt > 0);
        bytes.replace(actorAt, original.size(), "user:mallory@example.com");
        QFile file(events);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(bytes);
        file.close();
        const auto report = compliance::verifyBundle(copy);
        QVERIFY(!report.ok());
        QVERIFY2(
            report.error().message.contains(QStringLiteral("events.jsonl line 17 (sequence 16)")),
            qPrintable(report.error().message));

        Harness h;
        loadInto(h, copy);
        const AuditVerificationStatus *v = h.model.verification();
        QCOMPARE(v->state(), AuditVerificationStatus::Failed);
        QCOMPARE(v->message(), report.error().message);
        QCOMPARE(v->eventCount(), -1.0);
        QCOMPARE(h.model.loadState(), AuditLogModel::Ready);
        QCOMPARE(h.model.totalCount(), kEventCount);
        QCOMPARE(h.model.index(16).data(AuditLogModel::ActorRole).toString(),
                 QStringLiteral("user:mallory@example.com"));
        h.model.select(16);
        QCOMPARE(h.model.selection()->proofState(), AuditEventDetails::ProofUntrusted);
        QCOMPARE(h.model.selection()->proofMessage(), report.error().message);
    }

    void unreadableLinesAreSkippedAndReported()
    {
        const QString copy = copyBundle(m_full, m_dir.filePath(QStringLiteral("garbled")));
        const QString events = QDir(copy).filePath(QStringLiteral("events.jsonl"));
        QList<QByteArray> lines = readFile(events).split('\n');
        lines[9] = "{not json";
        QFile file(events);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(lines.join('\n'));
        file.close();

        Harness h;
        loadInto(h, copy);
        QCOMPARE(h.model.totalCount(), kEventCount - 1);
        QVERIFY2(h.model.loadMessage().contains(QStringLiteral("events.jsonl line 10")),
                 qPrintable(h.model.loadMessage()));
        QCOMPARE(h.model.verification()->state(), AuditVerificationStatus::Failed);
        QVERIFY(h.model.verification()->message().contains(QStringLiteral("events.jsonl line 10")));
    }

    void missingDirectoryIsAnErrorState()
    {
        Harness h;
        const QString missing = m_dir.filePath(QStringLiteral("no/such/bundle"));
        loadInto(h, missing);
        QCOMPARE(h.model.loadState(), AuditLogModel::Failed);
        QVERIFY2(h.model.loadMessage().contains(QStringLiteral("does not exist")),
                 qPrintable(h.model.loadMessage()));
        QCOMPARE(h.model.totalCount(), 0);
        QCOMPARE(h.model.count(), 0);
        QCOMPARE(h.model.verification()->state(), AuditVerificationStatus::Failed);
        h.model.select(0); // nothing to select: no crash, nothing shown
        QVERIFY(!h.model.selection()->hasEvent());

        // A directory without events.jsonl is unreadable too.
        const QString empty = m_dir.filePath(QStringLiteral("empty"));
        QDir().mkpath(empty);
        loadInto(h, empty);
        QCOMPARE(h.model.loadState(), AuditLogModel::Failed);
        QVERIFY(h.model.loadMessage().contains(QStringLiteral("events.jsonl")));
    }

    void reloadingReplacesTheEvents()
    {
        Harness h;
        loadInto(h, m_full);
        h.model.setTenantFilter(QStringLiteral("acme"));
        QTRY_VERIFY(settled(h.model));
        h.model.select(1);
        loadInto(h, m_acme);
        QCOMPARE(h.model.totalCount(), int(expected([](const AuditEvent &e) {
                                               return e.tenant == QLatin1String("acme");
                                           }).size()));
        QCOMPARE(h.model.count(), h.model.totalCount()); // the filter stays and still matches all
        QVERIFY(!h.model.selection()->hasEvent());
        QCOMPARE(h.model.selectedRow(), -1);
    }

    void liveAppendsInsertRowsWithoutReset()
    {
        AuditEventStore store;
        AuditLogModel model(store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto batchOf = [&](int from, int to) {
            std::vector<AuditEvent> events(m_log.events.begin() + from, m_log.events.begin() + to);
            auto batch = AuditEventBatch::fromEvents(events);
            return std::move(batch).value();
        };
        AuditVerification verified;
        verified.state = AuditVerification::State::Verified;
        verified.report.finalTreeSize = 100;
        verified.report.finalRoot =
            compliance::rootOf(std::span<const Hash>(m_log.leaves).first(100));
        store.setVerification(verified);

        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QVERIFY(store.appendEvents(batchOf(0, 100)).ok());
        QCOMPARE(model.count(), 100);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(resets.count(), 0);

        model.setTenantFilter(QStringLiteral("acme"));
        QTRY_VERIFY(!model.filtering());
        QCOMPARE(model.count(), 25);
        resets.clear();
        inserted.clear();
        // More than a chunk's worth over several batches: rows are inserted, never a reset.
        QVERIFY(store.appendEvents(batchOf(100, 141)).ok());
        QVERIFY(store.appendEvents(batchOf(141, 142)).ok());
        QCOMPARE(resets.count(), 0);
        QCOMPARE(inserted.count(), 1); // event 141 is globex: nothing to insert for that batch
        QCOMPARE(model.count(), 36);
        QCOMPARE(model.totalCount(), 142);
        QCOMPARE(shownSequences(model), expected([](const AuditEvent &e) {
                     return e.tenant == QLatin1String("acme") && e.sequence < 142;
                 }));

        // Out of order: refused, nothing changes.
        const Status stale = store.appendEvents(batchOf(120, 130));
        QVERIFY(!stale.ok());
        QCOMPARE(stale.error().code, ErrorCode::InvalidInput);
        QCOMPARE(model.totalCount(), 142);

        // Newest first: new rows arrive at the top and the selection moves with its event.
        model.setNewestFirst(true);
        model.select(0);
        const qint64 selected = model.index(0).data(AuditLogModel::SequenceRole).toLongLong();
        resets.clear();
        QVERIFY(store.appendEvents(batchOf(142, 150)).ok());
        QCOMPARE(resets.count(), 0);
        QCOMPARE(model.index(0).data(AuditLogModel::SequenceRole).toLongLong(), 148);
        QCOMPARE(model.index(model.selectedRow()).data(AuditLogModel::SequenceRole).toLongLong(),
                 selected);
        // Beyond the final verified head: no proof yet.
        QCOMPARE(model.selection()->proofState(), AuditEventDetails::ProofNotCovered);
        model.select(model.rowCount() - 1);
        QCOMPARE(model.selection()->proofState(), AuditEventDetails::ProofUnavailable);
    }

    void batchesKeepEscapedValues()
    {
        AuditEventBatch batch;
        for (int i : {4, 5, 6, 8, 13}) {
            const QByteArray line = *compliance::eventToJson(m_log.events[size_t(i)]);
            QVERIFY(batch.addJsonLine(line).ok());
        }
        QVERIFY(!batch.addJsonLine("{\"id\":1}").ok());
        QVERIFY(!batch.addJsonLine(*compliance::eventToJson(m_log.events[2])).ok()); // order
        AuditEventStore store;
        QVERIFY(store.appendEvents(std::move(batch)).ok());
        QCOMPARE(store.count(), 5);
        const AuditStoreSnapshot snapshot = store.snapshot();
        const AuditRow &six = snapshot.row(2);
        QCOMPARE(snapshot.chunkOf(2).string(six.target), QStringLiteral("line1\nline2"));
        QCOMPARE(snapshot.chunkOf(2).string(six.requestId), QStringLiteral("-7"));
        QCOMPARE(snapshot.chunkOf(3).string(snapshot.row(3).target),
                 QString::fromUtf8("Ünïcödé 目标"));
        QCOMPARE(store.indexOfSequence(8), 3);
        QCOMPARE(store.indexOfSequence(7), -1);
        QVERIFY(store.memoryBytes() > 0);
    }

    void timeTexts()
    {
        const auto utc = [](int h, int m, int s, int ms) {
            return QDateTime(QDate(2026, 5, 1), QTime(h, m, s, ms), Qt::UTC);
        };
        QCOMPARE(parseAuditFilterTime(QStringLiteral("2026-05-01")), utc(0, 0, 0, 0));
        QCOMPARE(parseAuditFilterTime(QStringLiteral(" 2026-05-01 08:30 ")), utc(8, 30, 0, 0));
        QCOMPARE(parseAuditFilterTime(QStringLiteral("2026-05-01T08:30:15")), utc(8, 30, 15, 0));
        QCOMPARE(parseAuditFilterTime(QStringLiteral("2026-05-01T08:30:15.250Z")),
                 utc(8, 30, 15, 250));
        for (const char *bad : {"", "yesterday", "2026-05-32", "2026-05-01 25:00", "01/05/2026"})
            QVERIFY2(!parseAuditFilterTime(QString::fromLatin1(bad)).isValid(), bad);
        QCOMPARE(formatAuditTime(utc(8, 30, 15, 250).toMSecsSinceEpoch()),
                 QStringLiteral("2026-05-01 08:30:15.250"));
        QCOMPARE(formatAuditTime(0), QStringLiteral("1970-01-01 00:00:00.000"));
    }
};

QTEST_GUILESS_MAIN(AuditModelTest)
#include "auditmodeltest.moc"
