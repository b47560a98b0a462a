// Audit events' canonical encoding and audit bundles: a 300-event log over three tenants with a
// real Ed25519 signer, a complete and a tenant-filtered bundle that verify, and a tamper matrix in
// which every kind of change fails verification and is located. Format version 2: a 200-event log
// whose retention purged two segments (purge records 150 and 151), its bundle, and a matrix of
// forged or broken purges. Version 1 bundles (data/v1-*, written by the version-1 writer) still
// verify.
#include "sampleevent.h"
#include "upcoach/compliance/auditbundle.h"
#include "upcoach/compliance/auditevent.h"
#include "upcoach/compliance/merkle.h"
#include "upcoach/compliance/signedtreehead.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>
#include <algorithm>
#include <functional>
#include <optional>

using namespace upcoach;
using namespace upcoach::compliance;

namespace {

template<typename R> QByteArray why(const R &result)
{
    return result.ok() ? QByteArray() : result.error().message.toUtf8();
}

const QStringList kTenants{QStringLiteral("acme"), QStringLiteral("globex"),
                           QStringLiteral("initech")};
constexpr int kEventCount = 300;
constexpr int kHeadEvery = 50;

AuditEvent sampleEvent()
{
    return testing::sampleEvent();
}

QList<QByteArray> readLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = file.readAll().split('\n');
    if (!lines.isEmpty() && lines.back().isEmpty())
        lines.removeLast();
    return lines;
}

void writeLines(const QString &path, const QList<QByteArray> &lines)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    for (const QByteArray &line : lines)
        file.write(line + '\n');
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}

QByteArray editJson(const QByteArray &line, const std::function<void(QJsonObject &)> &edit)
{
    QJsonObject object = QJsonDocument::fromJson(line).object();
    edit(object);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QString flipHexDigit(const QString &hex)
{
    QString changed = hex;
    changed[0] = hex[0] == QLatin1Char('0') ? QLatin1Char('1') : QLatin1Char('0');
    return changed;
}

QByteArray sha256Hex(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

// What someone who edits a bundle and rewrites its (unsigned) manifest would do: apply `edit`,
// then make eventCount, firstSequence, lastSequence and every file hash match the files again,
// so that only the cryptographic checks can object.
void resealManifest(const QString &dir, const std::function<void(QJsonObject &)> &edit = {})
{
    const QString path = QDir(dir).filePath(QStringLiteral("manifest.json"));
    QJsonObject manifest = QJsonDocument::fromJson(readFile(path)).object();
    if (edit)
        edit(manifest);
    const QList<QByteArray> lines = readLines(QDir(dir).filePath(QStringLiteral("events.jsonl")));
    const auto sequenceOf = [](const QByteArray &line) {
        return QJsonDocument::fromJson(line).object().value(QLatin1String("sequence"));
    };
    manifest.insert(QStringLiteral("eventCount"), lines.size());
    manifest.insert(QStringLiteral("firstSequence"),
                    lines.isEmpty() ? QJsonValue() : sequenceOf(lines.front()));
    manifest.insert(QStringLiteral("lastSequence"),
                    lines.isEmpty() ? QJsonValue() : sequenceOf(lines.back()));
    QJsonObject files = manifest.value(QLatin1String("files")).toObject();
    for (const QString &name : files.keys()) {
        const QByteArray bytes = readFile(QDir(dir).filePath(name));
        files.insert(name,
                     QJsonObject{{QStringLiteral("sha256"), QString::fromLatin1(sha256Hex(bytes))},
                                 {QStringLiteral("size"), bytes.size()}});
    }
    manifest.insert(QStringLiteral("files"), files);
    writeFile(path, QJsonDocument(manifest).toJson());
}

QJsonArray purgedJson(const std::vector<PurgedRange> &ranges)
{
    QJsonArray array;
    for (const PurgedRange &r : ranges)
        array.append(
            QJsonObject{{QStringLiteral("firstSequence"), qint64(r.firstSequence)},
                        {QStringLiteral("lastSequence"), qint64(r.lastSequence)},
                        {QStringLiteral("purgeRecordSequence"), qint64(r.purgeRecordSequence)}});
    return array;
}

// The 1-based line of events.jsonl that holds `sequence`, or 0.
int lineOfSequence(const QString &bundle, uint64_t sequence)
{
    const QList<QByteArray> lines =
        readLines(QDir(bundle).filePath(QStringLiteral("events.jsonl")));
    for (qsizetype i = 0; i < lines.size(); ++i)
        if (QJsonDocument::fromJson(lines[i])
                .object()
                .value(QLatin1String("sequence"))
                .toInteger() == qint64(sequence))
            return int(i + 1);
    return 0;
}

// A log whose retention purged segment 0 = events 20..39 (purge record 150) and segment 1 =
// events 60..99 (purge record 151); 200 events, a signed head every 25.
constexpr int kPurgeLogSize = 200;
const std::vector<PurgedRange> kPurges{{20, 39, 150}, {60, 99, 151}};

struct PurgeLog
{
    std::vector<AuditEvent> events;
    std::vector<Hash> leaves;
    std::vector<SignedTreeHead> heads;
};

} // namespace

class TestAuditBundle : public QObject
{
    Q_OBJECT

    std::vector<AuditEvent> m_events;
    std::vector<Hash> m_leaves;
    std::vector<SignedTreeHead> m_heads;
    QByteArray m_publicKey;
    QTemporaryDir m_tmp;
    QString m_full;
    QString m_tenant;
    int m_copies = 0;
    std::optional<Ed25519Signer> m_signer;
    PurgeLog m_purgeLog;
    QString m_purgedBundle;   // version 2, complete, two purged ranges
    QString m_unpurgedBundle; // the same log with every event (no purge declared)

    // `corrupt(segment, details)` may change a purge record before it is hashed and signed.
    PurgeLog makePurgeLog(const std::function<void(int, AuditEvent &)> &corrupt = {}) const
    {
        PurgeLog log;
        const QDateTime base(QDate(2026, 6, 1), QTime(3, 0), Qt::UTC);
        for (int i = 0; i < kPurgeLogSize; ++i) {
            AuditEvent event;
            event.id =
                QStringLiteral("7a3e0c11-5b2d-4f60-8e9a-%1").arg(i, 12, 10, QLatin1Char('0'));
            event.sequence = uint64_t(i);
            event.time = base.addMSecs(qint64(i) * 1000);
            const int segment = i == 150 ? 0 : i == 151 ? 1 : -1;
            if (segment >= 0) {
                const PurgedRange &range = kPurges[size_t(segment)];
                event.actor = QStringLiteral("service:upcoach-ops");
                event.action = QStringLiteral("audit.retention.purge");
                event.classification = QStringLiteral("audit-retention");
                event.target = QStringLiteral("segment:%1").arg(segment);
                event.outcome = QStringLiteral("success");
                event.details = purgeRecordDetails(
                    uint64_t(segment), range.firstSequence, range.lastSequence,
                    rootOf(std::span<const Hash>(log.leaves)
                               .subspan(range.firstSequence, range.eventCount())),
                    QJsonObject{{QStringLiteral("policy"), QStringLiteral("audit_retention")},
                                {QStringLiteral("days"), 2190}});
                if (corrupt)
                    corrupt(segment, event);
            } else {
                event.actor = QStringLiteral("user:user%1@example.com").arg(i % 5);
                event.tenant = kTenants[i % 3];
                event.action = QStringLiteral("config.update");
                event.target = QStringLiteral("object:%1").arg(i);
                event.outcome = QStringLiteral("success");
                event.classification = QStringLiteral("config-change");
                event.details = QJsonObject{{QStringLiteral("n"), i}};
            }
            log.leaves.push_back(leafHashOf(event).valueOr(Hash{}));
            log.events.push_back(event);
        }
        const QDateTime headBase(QDate(2026, 6, 2), QTime(0, 0), Qt::UTC);
        for (size_t size = 25; size <= log.leaves.size(); size += 25) {
            TreeHead head{size, headBase.addSecs(qint64(size)),
                          rootOf(std::span<const Hash>(log.leaves).first(size))};
            log.heads.push_back({head, m_signer->sign(head).valueOr(QByteArray())});
        }
        return log;
    }

    BundleInput purgeInput(const PurgeLog &log, const std::vector<PurgedRange> &purged) const
    {
        BundleInput input;
        input.leafHashes = log.leaves;
        input.events = log.events;
        input.treeHeads = log.heads;
        input.publicKeyRaw = m_signer->publicKeyRaw();
        input.created = QDateTime(QDate(2026, 6, 3), QTime(9, 0), Qt::UTC);
        input.purged = purged;
        return input;
    }

    // A complete bundle of `log` without purges, whose events of `ranges` are then removed and
    // declared purged in a resealed manifest: what a forger can do without the signing key.
    QString forgePurge(const PurgeLog &log, const std::vector<PurgedRange> &ranges)
    {
        const QString dir = m_tmp.filePath(QStringLiteral("forged-purge-%1").arg(++m_copies));
        if (Status written = writeBundle(dir, purgeInput(log, {})); !written) {
            qWarning("%s", qPrintable(written.error().message));
            return dir;
        }
        const QString events = QDir(dir).filePath(QStringLiteral("events.jsonl"));
        QList<QByteArray> kept;
        for (const QByteArray &line : readLines(events)) {
            const auto sequence = uint64_t(QJsonDocument::fromJson(line)
                                               .object()
                                               .value(QLatin1String("sequence"))
                                               .toInteger());
            if (std::none_of(ranges.begin(), ranges.end(), [&](const PurgedRange &r) {
                    return sequence >= r.firstSequence && sequence <= r.lastSequence;
                }))
                kept.append(line);
        }
        writeLines(events, kept);
        resealManifest(dir, [&](QJsonObject &manifest) {
            manifest.insert(QStringLiteral("purged"), purgedJson(ranges));
        });
        return dir;
    }

    QString copyOf(const QString &bundle)
    {
        const QString copy = m_tmp.filePath(QStringLiteral("copy-%1").arg(++m_copies));
        QDir().mkpath(copy);
        for (const QString &name : QDir(bundle).entryList(QDir::Files))
            QFile::copy(QDir(bundle).filePath(name), QDir(copy).filePath(name));
        return copy;
    }

    // The sequence number written on line `lineNumber` (1-based) of a bundle's events.jsonl.
    qint64 sequenceAt(const QString &bundle, int lineNumber)
    {
        const QList<QByteArray> lines =
            readLines(QDir(bundle).filePath(QStringLiteral("events.jsonl")));
        return QJsonDocument::fromJson(lines.value(lineNumber - 1))
            .object()
            .value(QLatin1String("sequence"))
            .toInteger(-1);
    }

    static Result<std::vector<SignedTreeHead>> signHeads(const Ed25519Signer &signer,
                                                         const std::vector<Hash> &leaves)
    {
        std::vector<SignedTreeHead> heads;
        const QDateTime base(QDate(2026, 5, 1), QTime(12, 0), Qt::UTC);
        for (size_t size = kHeadEvery; size <= leaves.size(); size += kHeadEvery) {
            TreeHead head{size, base.addSecs(qint64(size)),
                          rootOf(std::span<const Hash>(leaves).first(size))};
            Result<QByteArray> signature = signer.sign(head);
            if (!signature)
                return signature.error();
            heads.push_back({head, *signature});
        }
        return heads;
    }

    BundleInput inputWith(const BundleFilter &filter) const
    {
        BundleInput input;
        input.leafHashes = m_leaves;
        input.events = m_events;
        input.treeHeads = m_heads;
        input.publicKeyRaw = m_publicKey;
        input.filter = filter;
        input.created = QDateTime(QDate(2026, 5, 2), QTime(9, 0), Qt::UTC);
        return input;
    }

    void expectFailure(const QString &bundle, const QString &expected)
    {
        Result<VerifyReport> report = verifyBundle(bundle);
        QVERIFY2(!report.ok(),
                 qPrintable(QStringLiteral("tampered bundle verified; expected: ") + expected));
        QVERIFY2(report.error().message.contains(expected),
                 qPrintable(QStringLiteral("message '%1' does not contain '%2'")
                                .arg(report.error().message, expected)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        // For trying `upcoach-ops audit verify` by hand on the bundles this test writes.
        if (qEnvironmentVariableIsSet("UPCOACH_KEEP_TEST_BUNDLES")) {
            m_tmp.setAutoRemove(false);
            qInfo("bundles kept in %s", qPrintable(m_tmp.path()));
        }
        const QDateTime base(QDate(2026, 5, 1), QTime(8, 0), Qt::UTC);
        for (int i = 0; i < kEventCount; ++i) {
            AuditEvent event;
            event.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            event.sequence = uint64_t(i);
            event.time = base.addMSecs(qint64(i) * 1500 + 7);
            event.actor = QStringLiteral("user:user%1@example.com").arg(i % 7);
            event.impersonator =
                i % 11 == 0 ? QStringLiteral("user:support@upcoach.example") : QString();
            event.tenant = kTenants[i % 3];
            event.action =
                i % 2 ? QStringLiteral("api-token.issue") : QStringLiteral("config.update");
            event.target = QStringLiteral("object:%1").arg(i);
            event.outcome = i % 5 == 0 ? QStringLiteral("denied") : QStringLiteral("success");
            event.sourceIp = QStringLiteral("192.0.2.%1").arg(i % 250);
            event.requestId = QStringLiteral("req-%1").arg(i);
            event.classification =
                i % 4 == 0 ? QStringLiteral("phi-access") : QStringLiteral("security");
            event.details = QJsonObject{{QStringLiteral("n"), i},
                                        {QStringLiteral("note"), QStringLiteral("é \"quoted\"\n")}};
            Result<Hash> leaf = leafHashOf(event);
            QVERIFY2(leaf.ok(), why(leaf));
            m_leaves.push_back(*leaf);
            m_events.push_back(event);
        }
        Result<Ed25519Signer> signer = Ed25519Signer::generate();
        QVERIFY(signer.ok());
        m_publicKey = signer->publicKeyRaw();
        {
            Result<Ed25519Signer> purgeSigner = Ed25519Signer::generate();
            QVERIFY(purgeSigner.ok());
            m_signer.emplace(std::move(*purgeSigner));
        }
        Result<std::vector<SignedTreeHead>> heads = signHeads(*signer, m_leaves);
        QVERIFY2(heads.ok(), why(heads));
        m_heads = *heads;
        QCOMPARE(m_heads.size(), size_t(kEventCount / kHeadEvery));

        m_full = m_tmp.filePath(QStringLiteral("full"));
        Status written = writeBundle(m_full, inputWith({}));
        QVERIFY2(written.ok(), why(written));
        BundleFilter filter;
        filter.tenant = QStringLiteral("globex");
        m_tenant = m_tmp.filePath(QStringLiteral("tenant"));
        written = writeBundle(m_tenant, inputWith(filter));
        QVERIFY2(written.ok(), why(written));

        m_purgeLog = makePurgeLog();
        m_purgedBundle = m_tmp.filePath(QStringLiteral("purged"));
        written = writeBundle(m_purgedBundle, purgeInput(m_purgeLog, kPurges));
        QVERIFY2(written.ok(), why(written));
        m_unpurgedBundle = m_tmp.filePath(QStringLiteral("unpurged"));
        written = writeBundle(m_unpurgedBundle, purgeInput(m_purgeLog, {}));
        QVERIFY2(written.ok(), why(written));
    }

    // --- canonical encoding -------------------------------------------------------------

    void canonicalBytesFollowTheDocumentedLayout()
    {
        const AuditEvent event = sampleEvent();
        Result<QByteArray> bytes = canonicalBytes(event);
        QVERIFY2(bytes.ok(), why(bytes));
        QCOMPARE(bytes->left(3), QByteArray("ua1"));
        QCOMPARE(bytes->mid(3, 4).toHex(), QByteArray("00000024")); // 36-byte UUID
        QCOMPARE(bytes->mid(7, 36), event.id.toUtf8());
        QCOMPARE(bytes->mid(43, 8).toHex(), QByteArray("000000000000002a"));
        QCOMPARE(bytes->mid(51, 8).toHex(), QByteArray("0000019cece52687")); // 1773500966535 ms
        QCOMPARE(bytes->mid(59, 4).toHex(), QByteArray("00000016"));         // actor, 22 bytes
        QCOMPARE(bytes->mid(63, 22), QByteArray("user:alice@example.com"));
        const QByteArray details = R"({"scopes":["read"],"ttlDays":30})";
        QVERIFY(bytes->endsWith(details));
        const auto detailsLength = uint32_t(details.size());
        QCOMPARE(bytes->mid(bytes->size() - details.size() - 4, 4),
                 QByteArray::fromHex(QByteArray::number(detailsLength, 16).rightJustified(8, '0')));
        // leafHashOf is RFC 9162's leaf hash of exactly these bytes, computed here independently.
        QByteArray prefixed = QByteArray(1, '\0') + *bytes;
        QCOMPARE(toBytes(*leafHashOf(event)),
                 QCryptographicHash::hash(prefixed, QCryptographicHash::Sha256));
    }

    // The writer encodes the caller's part (the tail) before it knows the sequence, then hashes
    // head and tail without joining them: the same bytes, the same leaf.
    void headAndTailAreTheCanonicalBytesSplit()
    {
        AuditEvent event = sampleEvent();
        event.details.insert(QStringLiteral("note"), QStringLiteral("naïve \t\n \u00e9 ✓"));
        const QByteArray head = canonicalHead(event.id, event.sequence, event.time);
        Result<QByteArray> tail = canonicalTail(event);
        QVERIFY2(tail.ok(), why(tail));
        QCOMPARE(QByteArray(head + *tail), *canonicalBytes(event));
        QCOMPARE(head.size(), 59);
        QCOMPARE(toBytes(leafHash(head, *tail)), toBytes(*leafHashOf(event)));
        QCOMPARE(toBytes(leafHash(QByteArrayView(), QByteArray(head + *tail))),
                 toBytes(*leafHashOf(event)));
        // The tail validates what it encodes.
        AuditEvent bad = event;
        bad.details.insert(QStringLiteral("ratio"), 0.5);
        QVERIFY(!canonicalTail(bad).ok());
    }

    void canonicalBytesAreDeterministic()
    {
        const AuditEvent event = sampleEvent();
        QCOMPARE(*canonicalBytes(event), *canonicalBytes(event));
        Result<QByteArray> json = eventToJson(event);
        QVERIFY2(json.ok(), why(json));
        Result<AuditEvent> back = eventFromJson(*json);
        QVERIFY2(back.ok(), why(back));
        QCOMPARE(*back, event);
        QCOMPARE(*canonicalBytes(*back), *canonicalBytes(event));
        // The same instant in another time zone encodes the same.
        AuditEvent shifted = event;
        shifted.time = event.time.toOffsetFromUtc(3600 * 5);
        QCOMPARE(*canonicalBytes(shifted), *canonicalBytes(event));
    }

    void everyFieldChangeChangesTheBytes()
    {
        const AuditEvent base = sampleEvent();
        const QByteArray original = *canonicalBytes(base);
        const std::vector<std::function<void(AuditEvent &)>> changes = {
            [](AuditEvent &e) { e.id = QStringLiteral("0b6f4a52-2f1e-4c3a-9d7e-5a8b1c2d3e40"); },
            [](AuditEvent &e) { e.sequence += 1; },
            [](AuditEvent &e) { e.time = e.time.addMSecs(1); },
            [](AuditEvent &e) { e.actor += QLatin1Char('x'); },
            [](AuditEvent &e) { e.impersonator.clear(); },
            [](AuditEvent &e) { e.tenant = QStringLiteral("globex"); },
            [](AuditEvent &e) { e.action = QStringLiteral("api-token.revoke"); },
            [](AuditEvent &e) { e.target = QStringLiteral("token:7f3b"); },
            [](AuditEvent &e) { e.outcome = QStringLiteral("denied"); },
            [](AuditEvent &e) { e.sourceIp = QStringLiteral("192.0.2.11"); },
            [](AuditEvent &e) { e.requestId.clear(); },
            [](AuditEvent &e) { e.classification = QStringLiteral("phi-access"); },
            [](AuditEvent &e) { e.details.insert(QStringLiteral("ttlDays"), 31); },
            // Moving bytes between adjacent fields must not collide (length prefixes).
            [](AuditEvent &e) {
                e.impersonator = e.actor.right(3);
                e.actor.chop(3);
            },
        };
        QSet<QByteArray> seen{original};
        for (size_t i = 0; i < changes.size(); ++i) {
            AuditEvent changed = base;
            changes[i](changed);
            Result<QByteArray> bytes = canonicalBytes(changed);
            QVERIFY2(bytes.ok(), why(bytes));
            QVERIFY2(!seen.contains(*bytes),
                     qPrintable(QStringLiteral("change %1 collides").arg(i)));
            seen.insert(*bytes);
        }
    }

    void detailsKeyOrderIsIrrelevant()
    {
        const QJsonObject a =
            QJsonDocument::fromJson(
                R"({"b":{"y":[1,{"q":2,"p":true}],"x":null},"a":"s","é":1,"z":-5})")
                .object();
        const QJsonObject b =
            QJsonDocument::fromJson(
                R"({"z":-5,"é":1,"a":"s","b":{"x":null,"y":[1,{"p":true,"q":2}]}})")
                .object();
        QCOMPARE(*canonicalDetailsJson(a), *canonicalDetailsJson(b));
        QCOMPARE(*canonicalDetailsJson(a),
                 QByteArray(R"({"a":"s","b":{"x":null,"y":[1,{"p":true,"q":2}]},"z":-5,"é":1})"));
        // Escapes: only '"', '\' and control characters (as \u00xx); the rest is raw UTF-8.
        const QJsonObject escapes{{QStringLiteral("k"), QStringLiteral("a\"b\\c\n\x01/é")}};
        QCOMPARE(*canonicalDetailsJson(escapes),
                 QByteArray("{\"k\":\"a\\\"b\\\\c\\u000a\\u0001/\xc3\xa9\"}"));
        // Integral doubles are integers.
        QCOMPARE(*canonicalDetailsJson(QJsonDocument::fromJson("{\"n\":2.0}").object()),
                 QByteArray(R"({"n":2})"));
    }

    void nonDeterministicDetailsAreRejected()
    {
        AuditEvent event = sampleEvent();
        event.details.insert(QStringLiteral("ratio"), 1.5);
        Result<QByteArray> bytes = canonicalBytes(event);
        QVERIFY(!bytes.ok());
        QVERIFY2(bytes.error().message.startsWith(QLatin1String("details.ratio: not an integer")),
                 why(bytes));
        event = sampleEvent();
        event.details.insert(QStringLiteral("big"), 9007199254740993.0 * 4);
        QVERIFY(!canonicalBytes(event).ok());
        event = sampleEvent();
        event.details.insert(QStringLiteral("nested"),
                             QJsonObject{{QStringLiteral("x"), QJsonArray{1, 0.25}}});
        bytes = canonicalBytes(event);
        QVERIFY(!bytes.ok());
        QVERIFY2(bytes.error().message.startsWith(QLatin1String("details.nested.x[1]")),
                 why(bytes));
        event = sampleEvent();
        event.target = QString(QChar(0xd800)); // a lone surrogate has no UTF-8 form
        bytes = canonicalBytes(event);
        QVERIFY(!bytes.ok());
        QVERIFY2(bytes.error().message.startsWith(QLatin1String("target")), why(bytes));
        event = sampleEvent();
        event.outcome = QStringLiteral("ok");
        QVERIFY(!canonicalBytes(event).ok());
    }

    void eventJsonIsStrict_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("expected");
        const QByteArray good = *eventToJson(sampleEvent());
        auto edited = [&](const std::function<void(QJsonObject &)> &edit) {
            return editJson(good, edit);
        };
        QTest::newRow("unknown field")
            << edited([](QJsonObject &o) { o.insert(QStringLiteral("extra"), 1); })
            << QStringLiteral("unknown field 'extra'");
        QTest::newRow("missing field")
            << edited([](QJsonObject &o) { o.remove(QStringLiteral("actor")); })
            << QStringLiteral("actor: missing");
        QTest::newRow("wrong type")
            << edited([](QJsonObject &o) { o.insert(QStringLiteral("outcome"), 1); })
            << QStringLiteral("outcome: not a string");
        QTest::newRow("negative sequence")
            << edited([](QJsonObject &o) { o.insert(QStringLiteral("sequence"), -1); })
            << QStringLiteral("sequence: not an integer");
        QTest::newRow("fractional sequence")
            << edited([](QJsonObject &o) { o.insert(QStringLiteral("sequence"), 1.5); })
            << QStringLiteral("sequence: not an integer");
        QTest::newRow("time without ms") << edited([](QJsonObject &o) {
            o.insert(QStringLiteral("time"), QStringLiteral("2026-03-14T15:09:26Z"));
        }) << QStringLiteral("time: not a UTC time");
        QTest::newRow("time with offset") << edited([](QJsonObject &o) {
            o.insert(QStringLiteral("time"), QStringLiteral("2026-03-14T15:09:26.535+01:00"));
        }) << QStringLiteral("time: not a UTC time");
        QTest::newRow("oversized field") << edited([](QJsonObject &o) {
            o.insert(QStringLiteral("target"), QString(2000, QLatin1Char('x')));
        }) << QStringLiteral("target: longer than 1024 bytes");
        QTest::newRow("float in details") << edited([](QJsonObject &o) {
            o.insert(QStringLiteral("details"), QJsonObject{{QStringLiteral("f"), 0.5}});
        }) << QStringLiteral("details.f: not an integer");
        QTest::newRow("oversized line")
            << QByteArray(70000, ' ') << QStringLiteral("longer than 65536 bytes");
        QTest::newRow("not json") << QByteArray("{\"id\":") << QStringLiteral("not valid JSON");
        QTest::newRow("array") << QByteArray("[]") << QStringLiteral("not a JSON object");
    }

    void eventJsonIsStrict()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, expected);
        Result<AuditEvent> event = eventFromJson(line);
        QVERIFY(!event.ok());
        QVERIFY2(event.error().message.contains(expected), why(event));
    }

    // The writer's proofs (MerkleNodeCache, O(log^2 n) each) are RFC 9162 PATH, as the O(n)
    // reference computes them.
    void filteredBundleProofsEqualSingleOnes()
    {
        const QList<QByteArray> lines =
            readLines(QDir(m_tenant).filePath(QStringLiteral("proofs.jsonl")));
        QCOMPARE(lines.size(), kEventCount / 3);
        for (const QByteArray &line : lines) {
            const QJsonObject object = QJsonDocument::fromJson(line).object();
            const auto sequence = uint64_t(object.value(QLatin1String("sequence")).toInteger());
            std::vector<Hash> proof;
            for (const QJsonValue &hex : object.value(QLatin1String("proof")).toArray())
                proof.push_back(*hashFromHex(hex.toString()));
            QCOMPARE(proof, *inclusionProof(m_leaves, sequence));
        }
        const QList<QByteArray> consistency =
            readLines(QDir(m_full).filePath(QStringLiteral("consistency.jsonl")));
        QCOMPARE(consistency.size(), kEventCount / kHeadEvery - 1);
        for (const QByteArray &line : consistency) {
            const QJsonObject object = QJsonDocument::fromJson(line).object();
            const auto from = uint64_t(object.value(QLatin1String("fromSize")).toInteger());
            const auto to = uint64_t(object.value(QLatin1String("toSize")).toInteger());
            std::vector<Hash> proof;
            for (const QJsonValue &hex : object.value(QLatin1String("proof")).toArray())
                proof.push_back(*hashFromHex(hex.toString()));
            QCOMPARE(proof, *consistencyProof(std::span<const Hash>(m_leaves).first(to), from));
        }
    }

    // --- intact bundles -----------------------------------------------------------------

    void fullBundleVerifies()
    {
        Result<VerifyReport> report = verifyBundle(m_full);
        QVERIFY2(report.ok(), why(report));
        QVERIFY(report->complete);
        QCOMPARE(report->eventCount, uint64_t(kEventCount));
        QCOMPARE(report->firstSequence, std::optional<uint64_t>(0));
        QCOMPARE(report->lastSequence, std::optional<uint64_t>(kEventCount - 1));
        QCOMPARE(report->firstTime, m_events.front().time);
        QCOMPARE(report->lastTime, m_events.back().time);
        QCOMPARE(report->treeHeadCount, kEventCount / kHeadEvery);
        QCOMPARE(report->finalTreeSize, uint64_t(kEventCount));
        QCOMPARE(report->finalRoot, rootOf(m_leaves));
        QCOMPARE(report->keyFingerprint,
                 QString::fromLatin1(
                     QCryptographicHash::hash(m_publicKey, QCryptographicHash::Sha256).toHex()));
        QVERIFY(!report->filter.tenant);
        QVERIFY(!report->keyPinned);
        QVERIFY(QFile::exists(QDir(m_full).filePath(QStringLiteral("leaves.txt"))));
        QVERIFY(!QFile::exists(QDir(m_full).filePath(QStringLiteral("proofs.jsonl"))));

        VerifyOptions pinned;
        pinned.expectedKeyFingerprint = report->keyFingerprint;
        Result<VerifyReport> pinnedReport = verifyBundle(m_full, pinned);
        QVERIFY2(pinnedReport.ok(), why(pinnedReport));
        QVERIFY(pinnedReport->keyPinned);
    }

    void tenantBundleVerifiesAndHoldsOnlyThatTenant()
    {
        Result<VerifyReport> report = verifyBundle(m_tenant);
        QVERIFY2(report.ok(), why(report));
        QVERIFY(!report->complete);
        QCOMPARE(report->filter.tenant, std::optional<QString>(QStringLiteral("globex")));
        QCOMPARE(report->eventCount, uint64_t(kEventCount / 3));
        QCOMPARE(report->firstSequence, std::optional<uint64_t>(1));
        QCOMPARE(report->lastSequence, std::optional<uint64_t>(kEventCount - 2));
        QCOMPARE(report->finalTreeSize, uint64_t(kEventCount));
        QCOMPARE(report->finalRoot, rootOf(m_leaves));
        QCOMPARE(report->firstTime, m_events[1].time);
        QCOMPARE(report->lastTime, m_events[kEventCount - 2].time);
        // The text itself: no other tenant's name or event anywhere in the bundle.
        for (const QString &name : QDir(m_tenant).entryList(QDir::Files)) {
            const QByteArray text = readFile(QDir(m_tenant).filePath(name));
            // (Names only in the text files that carry tenant data: base64 could spell anything.)
            if (name == QLatin1String("events.jsonl") || name == QLatin1String("proofs.jsonl"))
                QVERIFY2(!text.contains("acme") && !text.contains("initech"), qPrintable(name));
            for (const AuditEvent &event : m_events)
                if (event.tenant != QLatin1String("globex"))
                    QVERIFY(!text.contains(event.id.toLatin1()));
        }
        QCOMPARE(readLines(QDir(m_tenant).filePath(QStringLiteral("events.jsonl"))).size(),
                 kEventCount / 3);
    }

    void timeFilteredBundleVerifies()
    {
        BundleFilter filter;
        filter.from = m_events[60].time;
        filter.to = m_events[120].time;
        const QString dir = m_tmp.filePath(QStringLiteral("time"));
        Status written = writeBundle(dir, inputWith(filter));
        QVERIFY2(written.ok(), why(written));
        Result<VerifyReport> report = verifyBundle(dir);
        QVERIFY2(report.ok(), why(report));
        QCOMPARE(report->eventCount, uint64_t(60));
        QCOMPARE(report->firstSequence, std::optional<uint64_t>(60));
        QCOMPARE(report->lastSequence, std::optional<uint64_t>(119));
    }

    void writerRefusesBadInput()
    {
        BundleInput input = inputWith({});
        input.events[5].actor = QStringLiteral("user:mallory@example.com");
        QVERIFY(!writeBundle(m_tmp.filePath(QStringLiteral("bad1")), input).ok());
        input = inputWith({});
        input.treeHeads[2].signature[0] = char(input.treeHeads[2].signature[0] ^ 1);
        QVERIFY(!writeBundle(m_tmp.filePath(QStringLiteral("bad2")), input).ok());
        QCOMPARE(writeBundle(m_full, inputWith({})).error().code, ErrorCode::Conflict);
        QCOMPARE(verifyBundle(m_tmp.filePath(QStringLiteral("nothing-here"))).error().code,
                 ErrorCode::NotFound);
    }

    // --- tamper matrix ------------------------------------------------------------------

    void tamperIsDetectedAndLocated_data()
    {
        QTest::addColumn<bool>("tenantBundle");
        QTest::addColumn<QString>("kind");
        const QStringList kinds{
            QStringLiteral("actor"),         QStringLiteral("outcome"),
            QStringLiteral("details"),       QStringLiteral("delete"),
            QStringLiteral("insert"),        QStringLiteral("swap"),
            QStringLiteral("truncate"),      QStringLiteral("proof"),
            QStringLiteral("head-root"),     QStringLiteral("signature"),
            QStringLiteral("consistency"),   QStringLiteral("key-swap"),
            QStringLiteral("key-file-only"), QStringLiteral("manifest-json"),
            QStringLiteral("oversized"),     QStringLiteral("whitespace"),
            QStringLiteral("partial-line"),  QStringLiteral("manifest-count"),
        };
        for (const bool tenant : {false, true})
            for (const QString &kind : kinds)
                QTest::newRow(qPrintable(
                    (tenant ? QStringLiteral("tenant/") : QStringLiteral("full/")) + kind))
                    << tenant << kind;
    }

    void tamperIsDetectedAndLocated()
    {
        QFETCH(bool, tenantBundle);
        QFETCH(QString, kind);
        const QString dir = copyOf(tenantBundle ? m_tenant : m_full);
        const QString events = QDir(dir).filePath(QStringLiteral("events.jsonl"));
        const QString heads = QDir(dir).filePath(QStringLiteral("tree-heads.jsonl"));
        const QString manifest = QDir(dir).filePath(QStringLiteral("manifest.json"));
        QList<QByteArray> lines = readLines(events);
        const int eventLines = int(lines.size());
        auto at = [&](int line) {
            return QStringLiteral("events.jsonl line %1 (sequence %2)")
                .arg(line)
                .arg(sequenceAt(dir, line));
        };
        auto editEvent = [&](int line, const std::function<void(QJsonObject &)> &edit) {
            lines[line - 1] = editJson(lines[line - 1], edit);
            writeLines(events, lines);
        };
        const QString leafOrProof = tenantBundle ? QStringLiteral("inclusion proof does not match")
                                                 : QStringLiteral("does not match leaf");

        if (kind == QLatin1String("actor")) {
            editEvent(17, [](QJsonObject &o) {
                o.insert(QStringLiteral("actor"), QStringLiteral("user:mallory@example.com"));
            });
            expectFailure(dir, at(17) + QStringLiteral(": ") + leafOrProof);
        } else if (kind == QLatin1String("outcome")) {
            editEvent(5, [](QJsonObject &o) {
                o.insert(QStringLiteral("outcome"), QStringLiteral("failure"));
            });
            expectFailure(dir, at(5) + QStringLiteral(": ") + leafOrProof);
        } else if (kind == QLatin1String("details")) {
            editEvent(33, [](QJsonObject &o) {
                QJsonObject details = o.value(QLatin1String("details")).toObject();
                details.insert(QStringLiteral("n"), 999);
                o.insert(QStringLiteral("details"), details);
            });
            expectFailure(dir, at(33) + QStringLiteral(": ") + leafOrProof);
        } else if (kind == QLatin1String("delete")) {
            lines.removeAt(16);
            writeLines(events, lines);
            expectFailure(
                dir, at(17) + (tenantBundle ? QStringLiteral(
                                                  ": proofs.jsonl line 17 is the proof of sequence")
                                            : QStringLiteral(": expected sequence 16")));
        } else if (kind == QLatin1String("insert")) {
            const QByteArray forged = editJson(lines[9], [](QJsonObject &o) {
                o.insert(QStringLiteral("id"), QUuid::createUuid().toString(QUuid::WithoutBraces));
                o.insert(QStringLiteral("action"), QStringLiteral("audit.purge"));
            });
            lines.insert(9, forged);
            writeLines(events, lines);
            expectFailure(dir, at(10) + QStringLiteral(": ") + leafOrProof);
        } else if (kind == QLatin1String("swap")) {
            std::swap(lines[19], lines[20]);
            writeLines(events, lines);
            expectFailure(
                dir, at(20) + (tenantBundle ? QStringLiteral(
                                                  ": proofs.jsonl line 20 is the proof of sequence")
                                            : QStringLiteral(": expected sequence 19")));
        } else if (kind == QLatin1String("truncate")) {
            lines.resize(eventLines - 5);
            writeLines(events, lines);
            expectFailure(
                dir, tenantBundle
                         ? QStringLiteral("proofs.jsonl line %1: has no event").arg(eventLines - 4)
                         : QStringLiteral(
                               "events.jsonl ends after line %1: events %1..%2 of the signed tree")
                               .arg(eventLines - 5)
                               .arg(kEventCount - 1));
        } else if (kind == QLatin1String("proof")) {
            if (tenantBundle) {
                const QString proofs = QDir(dir).filePath(QStringLiteral("proofs.jsonl"));
                QList<QByteArray> proofLines = readLines(proofs);
                proofLines[7] = editJson(proofLines[7], [](QJsonObject &o) {
                    QJsonArray proof = o.value(QLatin1String("proof")).toArray();
                    proof[2] = flipHexDigit(proof[2].toString());
                    o.insert(QStringLiteral("proof"), proof);
                });
                writeLines(proofs, proofLines);
                expectFailure(dir,
                              at(8) + QStringLiteral(
                                          ": inclusion proof does not match the signed tree head"));
            } else {
                const QString leaves = QDir(dir).filePath(QStringLiteral("leaves.txt"));
                QList<QByteArray> leafLines = readLines(leaves);
                leafLines[120] = flipHexDigit(QString::fromLatin1(leafLines[120])).toLatin1();
                writeLines(leaves, leafLines);
                expectFailure(dir, QStringLiteral("leaves.txt lines 101..150: do not match the "
                                                  "signed tree head of size 150"));
            }
        } else if (kind == QLatin1String("head-root") || kind == QLatin1String("signature")) {
            QList<QByteArray> headLines = readLines(heads);
            const bool root = kind == QLatin1String("head-root");
            headLines[1] = editJson(headLines[1], [root](QJsonObject &o) {
                if (root) {
                    o.insert(QStringLiteral("rootHash"),
                             flipHexDigit(o.value(QLatin1String("rootHash")).toString()));
                } else {
                    QByteArray signature = QByteArray::fromBase64(
                        o.value(QLatin1String("signature")).toString().toLatin1());
                    signature[10] = char(signature[10] ^ 0x40);
                    o.insert(QStringLiteral("signature"),
                             QString::fromLatin1(signature.toBase64()));
                }
            });
            writeLines(heads, headLines);
            expectFailure(
                dir, QStringLiteral("tree-heads.jsonl line 2 (treeSize 100): signature mismatch"));
        } else if (kind == QLatin1String("consistency")) {
            const QString path = QDir(dir).filePath(QStringLiteral("consistency.jsonl"));
            QList<QByteArray> proofLines = readLines(path);
            proofLines[2] = editJson(proofLines[2], [](QJsonObject &o) {
                QJsonArray proof = o.value(QLatin1String("proof")).toArray();
                proof[0] = flipHexDigit(proof[0].toString());
                o.insert(QStringLiteral("proof"), proof);
            });
            writeLines(path, proofLines);
            expectFailure(dir, QStringLiteral("consistency.jsonl line 3 (150 -> 200): the signed "
                                              "tree heads are not consistent"));
        } else if (kind == QLatin1String("key-swap") || kind == QLatin1String("key-file-only")) {
            // Another key, signatures unchanged: the heads no longer verify.
            Result<Ed25519Signer> other = Ed25519Signer::generate();
            QVERIFY(other.ok());
            writeFile(QDir(dir).filePath(QStringLiteral("public-key.pem")), *other->publicKeyPem());
            if (kind == QLatin1String("key-file-only")) {
                expectFailure(dir,
                              QStringLiteral("public-key.pem: not the key named in manifest.json"));
            } else {
                QJsonObject object = QJsonDocument::fromJson(readFile(manifest)).object();
                const QByteArray raw = other->publicKeyRaw();
                object.insert(
                    QStringLiteral("publicKey"),
                    QJsonObject{{QStringLiteral("algorithm"), QStringLiteral("ed25519")},
                                {QStringLiteral("raw"), QString::fromLatin1(raw.toBase64())},
                                {QStringLiteral("sha256"), keyFingerprint(raw)}});
                writeFile(manifest, QJsonDocument(object).toJson());
                expectFailure(
                    dir,
                    QStringLiteral("tree-heads.jsonl line 1 (treeSize 50): signature mismatch"));
            }
        } else if (kind == QLatin1String("manifest-json")) {
            QByteArray text = readFile(manifest);
            text.chop(3);
            writeFile(manifest, text);
            expectFailure(dir, QStringLiteral("manifest.json: not valid JSON"));
        } else if (kind == QLatin1String("oversized")) {
            lines[2] = QByteArray(70000, 'x');
            writeLines(events, lines);
            expectFailure(dir, QStringLiteral("events.jsonl line 3: longer than 65536 bytes"));
        } else if (kind == QLatin1String("whitespace")) {
            // Same content, different bytes: only the manifest's file hash can tell.
            lines[4] = lines[4] + ' ';
            writeLines(events, lines);
            expectFailure(dir,
                          QStringLiteral("manifest.json: events.jsonl does not match its SHA-256"));
        } else if (kind == QLatin1String("partial-line")) {
            QByteArray text = readFile(events);
            text.chop(10);
            writeFile(events, text);
            expectFailure(
                dir, QStringLiteral("events.jsonl line %1: no newline at the end").arg(eventLines));
        } else if (kind == QLatin1String("manifest-count")) {
            QJsonObject object = QJsonDocument::fromJson(readFile(manifest)).object();
            object.insert(QStringLiteral("eventCount"),
                          object.value(QLatin1String("eventCount")).toInteger() - 1);
            writeFile(manifest, QJsonDocument(object).toJson());
            expectFailure(dir, QStringLiteral("manifest.json: eventCount is"));
        } else {
            QFAIL("unknown tamper kind");
        }
    }

    // An attacker with their own key can re-sign everything and rewrite the manifest: the bundle
    // is then internally consistent, so only the pinned fingerprint can tell (README.md).
    void resignedBundleFailsOnlyAgainstAPinnedKey()
    {
        Result<Ed25519Signer> attacker = Ed25519Signer::generate();
        QVERIFY(attacker.ok());
        std::vector<AuditEvent> forgedEvents = m_events;
        forgedEvents[17].outcome = QStringLiteral("failure");
        std::vector<Hash> forgedLeaves;
        for (const AuditEvent &event : forgedEvents)
            forgedLeaves.push_back(*leafHashOf(event));
        Result<std::vector<SignedTreeHead>> forgedHeads = signHeads(*attacker, forgedLeaves);
        QVERIFY(forgedHeads.ok());
        BundleInput input;
        input.leafHashes = forgedLeaves;
        input.events = forgedEvents;
        input.treeHeads = *forgedHeads;
        input.publicKeyRaw = attacker->publicKeyRaw();
        const QString dir = m_tmp.filePath(QStringLiteral("forged"));
        QVERIFY(writeBundle(dir, input).ok());

        Result<VerifyReport> unpinned = verifyBundle(dir);
        QVERIFY2(unpinned.ok(), why(unpinned));
        QVERIFY(unpinned->keyFingerprint != keyFingerprint(m_publicKey)); // visible in the summary
        VerifyOptions pinned;
        pinned.expectedKeyFingerprint = keyFingerprint(m_publicKey);
        Result<VerifyReport> report = verifyBundle(dir, pinned);
        QVERIFY(!report.ok());
        QCOMPARE(report.error().code, ErrorCode::Unauthorized);
        QVERIFY2(report.error().message.contains(QLatin1String("is not the trusted key")),
                 why(report));
    }

    // --- format version 2: retention purges -------------------------------------------------

    void purgedBundleVerifies()
    {
        Result<VerifyReport> report = verifyBundle(m_purgedBundle);
        QVERIFY2(report.ok(), why(report));
        QCOMPARE(report->formatVersion, 2);
        QVERIFY(report->complete);
        QCOMPARE(report->purged, kPurges);
        QCOMPARE(report->purgedEventCount, uint64_t(60));
        QCOMPARE(report->eventCount, uint64_t(kPurgeLogSize - 60));
        QCOMPARE(report->firstSequence, std::optional<uint64_t>(0));
        QCOMPARE(report->lastSequence, std::optional<uint64_t>(kPurgeLogSize - 1));
        QCOMPARE(report->finalTreeSize, uint64_t(kPurgeLogSize));
        QCOMPARE(report->finalRoot, rootOf(m_purgeLog.leaves));
        // The purged events are gone from events.jsonl; their leaves are all in leaves.txt.
        QCOMPARE(readLines(QDir(m_purgedBundle).filePath(QStringLiteral("events.jsonl"))).size(),
                 kPurgeLogSize - 60);
        QCOMPARE(readLines(QDir(m_purgedBundle).filePath(QStringLiteral("leaves.txt"))).size(),
                 kPurgeLogSize);
        QCOMPARE(lineOfSequence(m_purgedBundle, 25), 0);
        QCOMPARE(lineOfSequence(m_purgedBundle, 40), 21);
        const QJsonObject manifest =
            QJsonDocument::fromJson(
                readFile(QDir(m_purgedBundle).filePath(QStringLiteral("manifest.json"))))
                .object();
        QCOMPARE(manifest.value(QLatin1String("version")).toInt(), 2);
        QCOMPARE(manifest.value(QLatin1String("purged")).toArray(), purgedJson(kPurges));

        // The same log without a purge: every event, "purged":[].
        Result<VerifyReport> unpurged = verifyBundle(m_unpurgedBundle);
        QVERIFY2(unpurged.ok(), why(unpurged));
        QVERIFY(unpurged->purged.empty());
        QCOMPARE(unpurged->eventCount, uint64_t(kPurgeLogSize));
    }

    void writerLeavesPurgedEventsOut()
    {
        // Given only the surviving events, the writer produces the same bundle.
        BundleInput input = purgeInput(m_purgeLog, kPurges);
        std::erase_if(input.events, [](const AuditEvent &e) {
            return (e.sequence >= 20 && e.sequence <= 39) || (e.sequence >= 60 && e.sequence <= 99);
        });
        const QString dir = m_tmp.filePath(QStringLiteral("purged-survivors"));
        QVERIFY2(writeBundle(dir, input).ok(), "writeBundle");
        for (const QString &name : {QStringLiteral("events.jsonl"), QStringLiteral("leaves.txt")})
            QCOMPARE(readFile(QDir(dir).filePath(name)),
                     readFile(QDir(m_purgedBundle).filePath(name)));
        QVERIFY(verifyBundle(dir).ok());
    }

    void checkPurgeRecordNamesWhatDiffers()
    {
        const AuditEvent &record = m_purgeLog.events[150];
        const PurgedRange &range = kPurges[0];
        const Hash root = rootOf(std::span<const Hash>(m_purgeLog.leaves)
                                     .subspan(range.firstSequence, range.eventCount()));
        QVERIFY(checkPurgeRecord(record, range, root).ok());
        const auto failure = [&](const AuditEvent &changed, const PurgedRange &r, const Hash &h) {
            Status status = checkPurgeRecord(changed, r, h);
            return status.ok() ? QString() : status.error().message;
        };
        QVERIFY(failure(record, range, m_purgeLog.leaves[0])
                    .startsWith(QLatin1String("details.segmentRoot")));
        QVERIFY(failure(record, {20, 40, 150}, root)
                    .startsWith(QLatin1String("details.lastSequence is 39")));
        QVERIFY(failure(record, {20, 39, 151}, root)
                    .contains(QLatin1String("the record is sequence 150")));
        AuditEvent changed = record;
        changed.tenant = QStringLiteral("acme");
        QVERIFY(failure(changed, range, root).startsWith(QLatin1String("tenant is 'acme'")));
        changed = record;
        changed.target = QStringLiteral("segment:7");
        QVERIFY(failure(changed, range, root)
                    .startsWith(QLatin1String("target is 'segment:7', not 'segment:0'")));
        changed = record;
        changed.details.insert(QStringLiteral("extra"), 1);
        QVERIFY(failure(changed, range, root)
                    .startsWith(QLatin1String("details: unknown field 'extra'")));
        changed = record;
        changed.details.insert(QStringLiteral("retention"), QStringLiteral("forever"));
        QVERIFY(failure(changed, range, root)
                    .startsWith(QLatin1String("details.retention: not an object")));
    }

    void writerRefusesBadPurges()
    {
        int n = 0;
        const auto refused = [&](const BundleInput &input, const char *expected) {
            const QString dir = m_tmp.filePath(QStringLiteral("bad-purge-%1").arg(++n));
            Status status = writeBundle(dir, input);
            if (status.ok())
                return QStringLiteral("written");
            if (!status.error().message.contains(QLatin1String(expected)))
                return status.error().message;
            return QFile::exists(QDir(dir).filePath(QStringLiteral("manifest.json")))
                       ? QStringLiteral("left a manifest")
                       : QString();
        };
        BundleInput input = purgeInput(m_purgeLog, kPurges);
        input.filter.tenant = QStringLiteral("acme");
        QCOMPARE(refused(input, "only a complete bundle"), QString());
        input = purgeInput(m_purgeLog, kPurges);
        input.leafHashes.clear();
        QCOMPARE(refused(input, "leaf hashes of the whole log are needed"), QString());
        input = purgeInput(m_purgeLog, kPurges);
        std::erase_if(input.events, [](const AuditEvent &e) { return e.sequence == 151; });
        QCOMPARE(
            refused(input, "purged range 60..99: its purge record (sequence 151) is not among"),
            QString());
        QCOMPARE(
            refused(purgeInput(m_purgeLog, {{20, 39, 150}, {30, 99, 151}}), "sorted and disjoint"),
            QString());
        QCOMPARE(refused(purgeInput(m_purgeLog, {{20, 39, 30}}), "must follow it"), QString());
        QCOMPARE(refused(purgeInput(m_purgeLog, {{20, 39, 151}}), "details.firstSequence is 60"),
                 QString());
        QCOMPARE(refused(purgeInput(m_purgeLog, {{20, 39, 150}, {60, 98, 151}}),
                         "details.lastSequence is 99"),
                 QString());
        // Events missing without a purge declaring them.
        input = purgeInput(m_purgeLog, {kPurges[0]});
        std::erase_if(input.events, [](const AuditEvent &e) { return e.sequence == 70; });
        QCOMPARE(refused(input, "needs all 200 events of the signed tree (except 20 purged)"),
                 QString());
        // A purge record that does not match the leaves it names: the log signed it, but a bundle
        // declaring that purge would not verify.
        const PurgeLog badLog = makePurgeLog([](int segment, AuditEvent &record) {
            if (segment == 0)
                record.details.insert(QStringLiteral("segmentRoot"), toHex(Hash{}));
        });
        QCOMPARE(refused(purgeInput(badLog, kPurges),
                         "purged range 20..39: purge record 150: details.segmentRoot"),
                 QString());
        // Events outside a time filter do not leave gaps the verifier would refuse.
        BundleFilter filter;
        filter.from = m_purgeLog.events[10].time;
        input = purgeInput(m_purgeLog, {});
        std::erase_if(input.events, [](const AuditEvent &e) { return e.sequence == 15; });
        input.filter = filter;
        QCOMPARE(refused(input, "sequences 15..15 are missing"), QString());
    }

    void purgeForgeryIsDetectedAndLocated_data()
    {
        QTest::addColumn<QString>("kind");
        for (const char *kind : {"fake-purge",          "undeclared-gap",     "record-reused",
                                 "record-before-range", "record-beyond-tree", "record-inside-range",
                                 "overlapping-ranges",  "wrong-root",         "wrong-first",
                                 "wrong-last",          "wrong-count",        "wrong-action",
                                 "wrong-tenant",        "leaf-in-range",      "delete-after-range",
                                 "delete-before-range", "event-in-range",     "delete-record",
                                 "undeclared-purge",    "short-declaration",  "filtered-declares",
                                 "v2-without-purged",   "v1-with-purged",     "purged-not-array",
                                 "range-bad-keys"})
            QTest::newRow(kind) << QString::fromLatin1(kind);
    }

    void purgeForgeryIsDetectedAndLocated()
    {
        QFETCH(QString, kind);
        const auto lineAt = [](const QString &dir, uint64_t sequence) {
            return QStringLiteral("events.jsonl line %1 (sequence %2)")
                .arg(lineOfSequence(dir, sequence))
                .arg(sequence);
        };
        const auto recordIssue = [](int segment, const char *issue) {
            return std::function<void(int, AuditEvent &)>(
                [segment, issue](int s, AuditEvent &record) {
                    if (s != segment)
                        return;
                    const QString what = QString::fromLatin1(issue);
                    if (what == QLatin1String("root"))
                        record.details.insert(QStringLiteral("segmentRoot"), toHex(Hash{}));
                    else if (what == QLatin1String("first"))
                        record.details.insert(QStringLiteral("firstSequence"), 21);
                    else if (what == QLatin1String("last"))
                        record.details.insert(QStringLiteral("lastSequence"), 38);
                    else if (what == QLatin1String("count"))
                        record.details.insert(QStringLiteral("eventCount"), 19);
                    else if (what == QLatin1String("action"))
                        record.action = QStringLiteral("audit.retention.purged");
                    else if (what == QLatin1String("tenant"))
                        record.tenant = QStringLiteral("acme");
                });
        };
        const QString notRecordOf0 = QStringLiteral(
            ": not the purge record of the purged range 20..39 (manifest.json purged[0]): ");

        if (kind == QLatin1String("fake-purge")) {
            // Events 110..114 removed and declared purged by event 115, an ordinary event.
            const QString dir = forgePurge(m_purgeLog, {kPurges[0], kPurges[1], {110, 114, 115}});
            expectFailure(dir, lineAt(dir, 115) +
                                   QStringLiteral(": not the purge record of the purged range "
                                                  "110..114 (manifest.json purged[2]): action is "
                                                  "'config.update', not 'audit.retention.purge'"));
        } else if (kind == QLatin1String("undeclared-gap")) {
            const QString dir = forgePurge(m_purgeLog, {kPurges[0], kPurges[1], {110, 114, 115}});
            resealManifest(dir, [](QJsonObject &m) {
                m.insert(QStringLiteral("purged"), purgedJson(kPurges));
            });
            expectFailure(
                dir, lineAt(dir, 115) +
                         QStringLiteral(": expected sequence 110; events 110..114 are missing"));
        } else if (kind == QLatin1String("record-reused")) {
            const QString dir = forgePurge(m_purgeLog, {kPurges[0], kPurges[1], {110, 114, 150}});
            expectFailure(dir,
                          QStringLiteral("manifest.json: purged[2]: purge record 150 is already "
                                         "the record of purged[0]"));
        } else if (kind == QLatin1String("record-before-range")) {
            const QString dir = forgePurge(m_purgeLog, {{110, 114, 105}});
            expectFailure(
                dir, QStringLiteral("manifest.json: purged[0] (events 110..114): "
                                    "purgeRecordSequence 105 must come after the purged events"));
        } else if (kind == QLatin1String("record-beyond-tree")) {
            const QString dir = forgePurge(m_purgeLog, {{110, 114, 200}});
            expectFailure(dir, QStringLiteral(
                                   "manifest.json: purged[0] (events 110..114): "
                                   "purgeRecordSequence 200 is beyond the signed tree (size 200)"));
        } else if (kind == QLatin1String("record-inside-range")) {
            const QString dir = forgePurge(m_purgeLog, {{20, 39, 150}, {140, 160, 170}});
            expectFailure(dir, QStringLiteral("manifest.json: purged[0]: its purge record 150 lies "
                                              "inside purged[1]"));
        } else if (kind == QLatin1String("overlapping-ranges")) {
            const QString dir = forgePurge(m_purgeLog, {{20, 39, 150}});
            resealManifest(dir, [](QJsonObject &m) {
                m.insert(QStringLiteral("purged"), purgedJson({{20, 39, 150}, {30, 45, 151}}));
            });
            expectFailure(dir,
                          QStringLiteral("manifest.json: purged[1] (events 30..45): overlaps or "
                                         "precedes purged[0]"));
        } else if (kind.startsWith(QLatin1String("wrong-"))) {
            // The log really signed a faulty purge record; declaring that purge must fail on it.
            const QByteArray issue = kind.mid(6).toLatin1();
            const PurgeLog log = makePurgeLog(recordIssue(0, issue.constData()));
            const QString dir = forgePurge(log, kPurges);
            const QString expected =
                issue == "root" ? QStringLiteral("details.segmentRoot ") + toHex(Hash{}) +
                                      QStringLiteral(" is not the root")
                : issue == "first"
                    ? QStringLiteral("details.firstSequence is 21, but the purged range says 20")
                : issue == "last"
                    ? QStringLiteral("details.lastSequence is 38, but the purged range says 39")
                : issue == "count"
                    ? QStringLiteral("details.eventCount is 19, but the purged range says 20")
                : issue == "action"
                    ? QStringLiteral(
                          "action is 'audit.retention.purged', not 'audit.retention.purge'")
                    : QStringLiteral("tenant is 'acme', not ''");
            expectFailure(dir, lineAt(dir, 150) + notRecordOf0 + expected);
        } else if (kind == QLatin1String("leaf-in-range")) {
            const QString dir = copyOf(m_purgedBundle);
            const QString leaves = QDir(dir).filePath(QStringLiteral("leaves.txt"));
            QList<QByteArray> lines = readLines(leaves);
            lines[30] = flipHexDigit(QString::fromLatin1(lines[30])).toLatin1(); // leaf 30, purged
            writeLines(leaves, lines);
            resealManifest(dir);
            expectFailure(dir,
                          QStringLiteral("leaves.txt lines 26..50: do not match the signed tree "
                                         "head of size 50"));
        } else if (kind == QLatin1String("delete-after-range") ||
                   kind == QLatin1String("delete-before-range") ||
                   kind == QLatin1String("delete-record")) {
            const uint64_t deleted = kind == QLatin1String("delete-after-range")    ? 40
                                     : kind == QLatin1String("delete-before-range") ? 19
                                                                                    : 150;
            const QString dir = copyOf(m_purgedBundle);
            const QString events = QDir(dir).filePath(QStringLiteral("events.jsonl"));
            QList<QByteArray> lines = readLines(events);
            lines.removeAt(lineOfSequence(dir, deleted) - 1);
            writeLines(events, lines);
            resealManifest(dir);
            const uint64_t next = deleted == 19 ? 40 : deleted + 1;
            expectFailure(dir,
                          lineAt(dir, next) +
                              QStringLiteral(": expected sequence %1; events %1..%1 are missing")
                                  .arg(deleted));
        } else if (kind == QLatin1String("event-in-range")) {
            // A purged event put back (it is genuine: its leaf matches).
            const QString dir = copyOf(m_purgedBundle);
            const QString events = QDir(dir).filePath(QStringLiteral("events.jsonl"));
            QList<QByteArray> lines = readLines(events);
            const QList<QByteArray> all =
                readLines(QDir(m_unpurgedBundle).filePath(QStringLiteral("events.jsonl")));
            lines.insert(20, all[25]);
            writeLines(events, lines);
            resealManifest(dir);
            expectFailure(dir,
                          QStringLiteral("events.jsonl line 21 (sequence 25): inside the purged "
                                         "range 20..39 (manifest.json purged[0]); a purged "
                                         "event cannot be in the bundle"));
        } else if (kind == QLatin1String("undeclared-purge")) {
            const QString dir = copyOf(m_purgedBundle);
            resealManifest(
                dir, [](QJsonObject &m) { m.insert(QStringLiteral("purged"), QJsonArray()); });
            expectFailure(dir,
                          QStringLiteral("events.jsonl line 21 (sequence 40): expected sequence "
                                         "20; events 20..39 are missing"));
        } else if (kind == QLatin1String("short-declaration")) {
            // Declares 20..38 purged while 39 is gone too.
            const QString dir = copyOf(m_purgedBundle);
            resealManifest(dir, [](QJsonObject &m) {
                m.insert(QStringLiteral("purged"), purgedJson({{20, 38, 150}, kPurges[1]}));
            });
            expectFailure(dir,
                          QStringLiteral("events.jsonl line 21 (sequence 40): expected sequence "
                                         "39; events 39..39 are missing"));
        } else if (kind == QLatin1String("filtered-declares")) {
            BundleFilter filter;
            filter.tenant = QStringLiteral("acme");
            BundleInput input = purgeInput(m_purgeLog, {});
            input.filter = filter;
            const QString dir = m_tmp.filePath(QStringLiteral("purge-filtered"));
            QVERIFY(writeBundle(dir, input).ok());
            QVERIFY(verifyBundle(dir).ok());
            resealManifest(dir, [](QJsonObject &m) {
                m.insert(QStringLiteral("purged"), purgedJson(kPurges));
            });
            expectFailure(dir,
                          QStringLiteral("manifest.json: purged: a filtered bundle cannot declare "
                                         "purged events"));
        } else if (kind == QLatin1String("v2-without-purged")) {
            const QString dir = copyOf(m_purgedBundle);
            resealManifest(dir, [](QJsonObject &m) { m.remove(QStringLiteral("purged")); });
            expectFailure(dir, QStringLiteral("manifest.json: purged: missing"));
        } else if (kind == QLatin1String("v1-with-purged")) {
            const QString dir = copyOf(m_purgedBundle);
            resealManifest(dir, [](QJsonObject &m) { m.insert(QStringLiteral("version"), 1); });
            expectFailure(dir, QStringLiteral("manifest.json: unknown field 'purged'"));
        } else if (kind == QLatin1String("purged-not-array")) {
            const QString dir = copyOf(m_purgedBundle);
            resealManifest(
                dir, [](QJsonObject &m) { m.insert(QStringLiteral("purged"), QJsonObject()); });
            expectFailure(dir, QStringLiteral("manifest.json: purged: not an array"));
        } else if (kind == QLatin1String("range-bad-keys")) {
            const QString dir = copyOf(m_purgedBundle);
            resealManifest(dir, [](QJsonObject &m) {
                QJsonArray purged = m.value(QLatin1String("purged")).toArray();
                QJsonObject range = purged[1].toObject();
                range.remove(QStringLiteral("purgeRecordSequence"));
                purged[1] = range;
                m.insert(QStringLiteral("purged"), purged);
            });
            expectFailure(dir,
                          QStringLiteral("manifest.json: purged[1]: purgeRecordSequence: missing"));
        } else {
            QFAIL("unknown kind");
        }
    }

    // --- format version 1 ---------------------------------------------------------------

    // Bundles the version-1 writer produced (data/v1-*, kept as they were written) still verify,
    // and still fail when changed.
    void version1BundlesStillVerify()
    {
        const QString complete = QFINDTESTDATA("data/v1-complete/manifest.json");
        const QString tenant = QFINDTESTDATA("data/v1-tenant/manifest.json");
        QVERIFY(!complete.isEmpty() && !tenant.isEmpty());
        const QString completeDir = QFileInfo(complete).path();
        const QString tenantDir = QFileInfo(tenant).path();
        const QString fingerprint =
            QStringLiteral("603d1a95bbf2fb8535bb0e327b44c1a6bb8053481f8a81ce8de0d56a12c16d46");
        const QString root =
            QStringLiteral("d7bbc45b194b319a9176fdfaf5453fa81720ca32ef3e58cedf0cf2f748af5afa");
        VerifyOptions pinned;
        pinned.expectedKeyFingerprint = fingerprint;

        Result<VerifyReport> report = verifyBundle(completeDir, pinned);
        QVERIFY2(report.ok(), why(report));
        QCOMPARE(report->formatVersion, 1);
        QVERIFY(report->complete);
        QVERIFY(report->keyPinned);
        QCOMPARE(report->eventCount, uint64_t(24));
        QCOMPARE(report->treeHeadCount, 4);
        QCOMPARE(toHex(report->finalRoot), root);
        QVERIFY(report->purged.empty());
        QCOMPARE(report->purgedEventCount, uint64_t(0));
        QCOMPARE(report->firstTime, QDateTime(QDate(2025, 11, 3), QTime(9, 30, 0, 125), Qt::UTC));

        report = verifyBundle(tenantDir, pinned);
        QVERIFY2(report.ok(), why(report));
        QCOMPARE(report->formatVersion, 1);
        QVERIFY(!report->complete);
        QCOMPARE(report->filter.tenant, std::optional<QString>(QStringLiteral("acme")));
        QCOMPARE(report->eventCount, uint64_t(8));
        QCOMPARE(report->firstSequence, std::optional<uint64_t>(0));
        QCOMPARE(report->lastSequence, std::optional<uint64_t>(21));
        QCOMPARE(toHex(report->finalRoot), root);

        // Changed after export: still caught, at the same place as ever.
        const QString dir = copyOf(completeDir);
        const QString events = QDir(dir).filePath(QStringLiteral("events.jsonl"));
        QList<QByteArray> lines = readLines(events);
        lines[6] = editJson(lines[6], [](QJsonObject &o) {
            o.insert(QStringLiteral("outcome"), QStringLiteral("failure"));
        });
        writeLines(events, lines);
        expectFailure(dir,
                      QStringLiteral("events.jsonl line 7 (sequence 6): does not match leaf 6"));
        // A version-1 manifest has no "purged".
        const QString withPurged = copyOf(completeDir);
        resealManifest(withPurged,
                       [](QJsonObject &m) { m.insert(QStringLiteral("purged"), QJsonArray()); });
        expectFailure(withPurged, QStringLiteral("manifest.json: unknown field 'purged'"));
        const QString version3 = copyOf(completeDir);
        resealManifest(version3, [](QJsonObject &m) { m.insert(QStringLiteral("version"), 3); });
        expectFailure(version3,
                      QStringLiteral("manifest.json: version: only versions 1 to 2 are supported"));
    }

    void garbageNeverCrashes()
    {
        // Every file of the bundles replaced by junk in turn: an error, never a crash.
        for (const QString &bundle : {m_tenant, m_purgedBundle})
            for (const QString &name : QDir(bundle).entryList(QDir::Files)) {
                for (const QByteArray &junk :
                     {QByteArray(), QByteArray("\n"), QByteArray("{}\n"), QByteArray("[1,2]\n"),
                      QByteArray("{\"treeSize\":-1,\"proof\":\"x\"}\n"),
                      QByteArray(3 * 1024 * 1024, '\n')}) {
                    const QString dir = copyOf(bundle);
                    writeFile(QDir(dir).filePath(name), junk);
                    QVERIFY2(!verifyBundle(dir).ok(), qPrintable(name));
                }
            }
    }
};

QTEST_GUILESS_MAIN(TestAuditBundle)
#include "test_auditbundle.moc"
