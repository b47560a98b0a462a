// writeBundle and the purge-record rules; verifyBundle is in bundleverify.cpp.
#include "upcoach/compliance/auditbundle.h"

#include "bundleformat.h"
#include "bundlelines.h"
#include "bundleparallel.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <algorithm>
#include <limits>

namespace upcoach::compliance {

using namespace bundle;

namespace {

constexpr size_t kEventsPerWriteBatch = 16 * 1024;
constexpr size_t kEventsPerTask = 256;

// SubjectPublicKeyInfo DER of an Ed25519 key is this prefix + the 32 raw bytes (RFC 8410).
const QByteArray kEd25519SpkiPrefix = QByteArray::fromHex("302a300506032b6570032100");

QString hexOf(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toHex());
}

QJsonArray hashArray(const std::vector<Hash> &hashes)
{
    QJsonArray array;
    for (const Hash &hash : hashes)
        array.append(toHex(hash));
    return array;
}

QJsonValue optionalTime(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(auditTimeToString(time)) : QJsonValue(QJsonValue::Null);
}

QByteArray publicKeyPemOf(const QByteArray &raw)
{
    const QByteArray base64 = QByteArray(kEd25519SpkiPrefix + raw).toBase64();
    QByteArray pem = "-----BEGIN PUBLIC KEY-----\n";
    for (qsizetype i = 0; i < base64.size(); i += 64)
        pem += base64.mid(i, 64) + '\n';
    pem += "-----END PUBLIC KEY-----\n";
    return pem;
}

// A file written and hashed in one pass, so a large bundle never sits in memory.
class HashedWriter
{
public:
    HashedWriter(const QString &dir, const QString &name)
        : m_name(name)
        , m_file(QDir(dir).filePath(name))
    {}
    Status open()
    {
        if (!m_file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            return makeError(ErrorCode::Unavailable,
                             m_name +
                                 QStringLiteral(": cannot create (%1)").arg(m_file.errorString()));
        m_created = true;
        return {};
    }
    Status write(QByteArrayView bytes)
    {
        if (m_file.write(bytes.data(), bytes.size()) != bytes.size())
            return makeError(ErrorCode::Unavailable,
                             m_name +
                                 QStringLiteral(": write failed (%1)").arg(m_file.errorString()));
        m_hash.addData(bytes);
        m_size += bytes.size();
        return {};
    }
    Status writeLine(const QJsonObject &object)
    {
        QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact);
        line.append('\n');
        return write(line);
    }
    Status close()
    {
        if (!m_file.flush())
            return makeError(ErrorCode::Unavailable,
                             m_name +
                                 QStringLiteral(": write failed (%1)").arg(m_file.errorString()));
        m_file.close();
        return {};
    }
    // A bundle that could not be finished is removed, file by file (only what this wrote).
    void discard()
    {
        if (!m_created)
            return;
        m_file.close();
        m_file.remove();
        m_created = false;
    }
    QJsonObject entry()
    {
        return QJsonObject{{QStringLiteral("sha256"), hexOf(m_hash.result())},
                           {QStringLiteral("size"), m_size}};
    }
    const QString &name() const { return m_name; }

private:
    QString m_name;
    QFile m_file;
    Sha256Stream m_hash;
    qint64 m_size = 0;
    bool m_created = false;
};

// Runs produce(i) for i in [0, count) in parallel tasks of `perTask` and returns the first
// failure in index order, if any.
template<typename Produce>
std::optional<std::pair<size_t, Error>> firstFailure(size_t count, size_t perTask,
                                                     Produce &&produce)
{
    const size_t tasks = (count + perTask - 1) / perTask;
    std::vector<std::optional<std::pair<size_t, Error>>> failures(tasks);
    parallelFor(tasks, [&](size_t task, int) {
        const size_t end = std::min(count, (task + 1) * perTask);
        for (size_t i = task * perTask; i < end; ++i) {
            if (Status status = produce(i); !status) {
                failures[task] = std::pair{i, status.error()};
                return;
            }
        }
    });
    for (auto &failure : failures)
        if (failure)
            return failure;
    return std::nullopt;
}

// The index of the range holding `sequence`, or -1. `ranges` sorted and disjoint.
qsizetype rangeHolding(const std::vector<PurgedRange> &ranges, uint64_t sequence)
{
    const auto after =
        std::upper_bound(ranges.begin(), ranges.end(), sequence,
                         [](uint64_t s, const PurgedRange &r) { return s < r.firstSequence; });
    if (after == ranges.begin() || sequence > std::prev(after)->lastSequence)
        return -1;
    return after - ranges.begin() - 1;
}

Status writeBundleFiles(const BundleInput &input, std::span<const Hash> leaves,
                        const MerkleNodeCache &cache, uint64_t treeSize, bool complete,
                        const std::vector<const AuditEvent *> &selected,
                        std::vector<HashedWriter *> &written)
{
    HashedWriter &events = *written[0];
    HashedWriter &heads = *written[1];
    HashedWriter &consistency = *written[2];
    HashedWriter &proofsOrLeaves = *written[3];
    HashedWriter &publicKey = *written[4];

    // Events: JSON lines made in parallel, written in order, a batch at a time.
    std::vector<QByteArray> lines;
    for (size_t first = 0; first < selected.size(); first += kEventsPerWriteBatch) {
        const size_t count = std::min(kEventsPerWriteBatch, selected.size() - first);
        lines.assign(count, QByteArray());
        if (auto failure = firstFailure(count, kEventsPerTask, [&](size_t i) -> Status {
                Result<QByteArray> line = eventToJson(*selected[first + i]);
                if (!line)
                    return line.error();
                lines[i] = std::move(*line);
                lines[i].append('\n');
                return {};
            }))
            return failure->second.context(QStringLiteral("event sequence %1")
                                               .arg(selected[first + failure->first]->sequence));
        for (const QByteArray &line : lines)
            if (Status status = events.write(line); !status)
                return status;
    }
    for (const SignedTreeHead &signedHead : input.treeHeads) {
        const QJsonObject object{
            {QStringLiteral("treeSize"), qint64(signedHead.head.treeSize)},
            {QStringLiteral("timestamp"), auditTimeToString(signedHead.head.timestamp)},
            {QStringLiteral("rootHash"), toHex(signedHead.head.rootHash)},
            {QStringLiteral("signature"), QString::fromLatin1(signedHead.signature.toBase64())}};
        if (Status status = heads.writeLine(object); !status)
            return status;
    }
    for (size_t i = 1; i < input.treeHeads.size(); ++i) {
        const uint64_t fromSize = input.treeHeads[i - 1].head.treeSize;
        const uint64_t toSize = input.treeHeads[i].head.treeSize;
        Result<std::vector<Hash>> proof = cache.consistencyProof(fromSize, toSize);
        if (!proof)
            return proof.error();
        const QJsonObject object{{QStringLiteral("fromSize"), qint64(fromSize)},
                                 {QStringLiteral("toSize"), qint64(toSize)},
                                 {QStringLiteral("proof"), hashArray(*proof)}};
        if (Status status = consistency.writeLine(object); !status)
            return status;
    }
    if (complete) {
        static constexpr char digits[] = "0123456789abcdef";
        QByteArray block;
        constexpr uint64_t kLinesPerBlock = 64 * 1024;
        for (uint64_t first = 0; first < treeSize; first += kLinesPerBlock) {
            const uint64_t count = std::min(kLinesPerBlock, treeSize - first);
            block.resize(qsizetype(count * 65));
            char *out = block.data();
            for (uint64_t i = first; i < first + count; ++i) {
                for (const unsigned char byte : leaves[i]) {
                    *out++ = digits[byte >> 4];
                    *out++ = digits[byte & 0xf];
                }
                *out++ = '\n';
            }
            if (Status status = proofsOrLeaves.write(block); !status)
                return status;
        }
    } else {
        for (size_t first = 0; first < selected.size(); first += kEventsPerWriteBatch) {
            const size_t count = std::min(kEventsPerWriteBatch, selected.size() - first);
            lines.assign(count, QByteArray());
            if (auto failure = firstFailure(count, kEventsPerTask, [&](size_t i) -> Status {
                    const uint64_t sequence = selected[first + i]->sequence;
                    Result<std::vector<Hash>> proof = cache.inclusionProof(sequence, treeSize);
                    if (!proof)
                        return proof.error();
                    const QJsonObject object{{QStringLiteral("sequence"), qint64(sequence)},
                                             {QStringLiteral("leafIndex"), qint64(sequence)},
                                             {QStringLiteral("treeSize"), qint64(treeSize)},
                                             {QStringLiteral("proof"), hashArray(*proof)}};
                    lines[i] = QJsonDocument(object).toJson(QJsonDocument::Compact);
                    lines[i].append('\n');
                    return {};
                }))
                return failure->second;
            for (const QByteArray &line : lines)
                if (Status status = proofsOrLeaves.write(line); !status)
                    return status;
        }
    }
    return publicKey.write(publicKeyPemOf(input.publicKeyRaw));
}

} // namespace

bool BundleFilter::matches(const AuditEvent &event) const
{
    if (tenant && event.tenant != *tenant)
        return false;
    if (from.isValid() && event.time < from)
        return false;
    if (to.isValid() && !(event.time < to))
        return false;
    return true;
}

QString keyFingerprint(QByteArrayView publicKeyRaw)
{
    return hexOf(QCryptographicHash::hash(publicKeyRaw, QCryptographicHash::Sha256));
}

QJsonObject purgeRecordDetails(uint64_t segment, uint64_t firstSequence, uint64_t lastSequence,
                               const Hash &segmentRoot, const QJsonObject &retention)
{
    return QJsonObject{{QStringLiteral("segment"), qint64(segment)},
                       {QStringLiteral("firstSequence"), qint64(firstSequence)},
                       {QStringLiteral("lastSequence"), qint64(lastSequence)},
                       {QStringLiteral("eventCount"), qint64(lastSequence - firstSequence + 1)},
                       {QStringLiteral("segmentRoot"), toHex(segmentRoot)},
                       {QStringLiteral("retention"), retention}};
}

Status checkPurgeRecord(const AuditEvent &record, const PurgedRange &range, const Hash &segmentRoot)
{
    const auto quoted = [](const QString &text) -> QString {
        return QLatin1Char('\'') + text.left(64) + QLatin1Char('\'');
    };
    if (range.firstSequence > range.lastSequence)
        return invalid(QStringLiteral("firstSequence %1 is after lastSequence %2")
                           .arg(range.firstSequence)
                           .arg(range.lastSequence));
    if (record.sequence != range.purgeRecordSequence)
        return invalid(QStringLiteral("the record is sequence %1, not %2")
                           .arg(record.sequence)
                           .arg(range.purgeRecordSequence));
    if (record.sequence <= range.lastSequence)
        return invalid(QStringLiteral("the record (sequence %1) does not come after the purged "
                                      "events")
                           .arg(record.sequence));
    const struct
    {
        const QString &value;
        QLatin1StringView expected;
        const char *name;
    } fixed[] = {
        {record.action, kPurgeRecordAction, "action"},
        {record.classification, kPurgeRecordClassification, "classification"},
        {record.actor, kPurgeRecordActor, "actor"},
        {record.tenant, QLatin1StringView(""), "tenant"},
        {record.outcome, QLatin1StringView("success"), "outcome"},
    };
    for (const auto &field : fixed)
        if (field.value != field.expected)
            return invalid(
                QLatin1String(field.name) +
                QStringLiteral(" is %1, not '%2'").arg(quoted(field.value), field.expected));
    const QJsonObject &details = record.details;
    if (Status status = requireExactKeys(details, {"segment", "firstSequence", "lastSequence",
                                                   "eventCount", "segmentRoot", "retention"});
        !status)
        return status.error().context(QStringLiteral("details"));
    Result<uint64_t> segment = uintField(details, "segment", kMaxSequence);
    if (!segment)
        return segment.error().context(QStringLiteral("details"));
    const QString target = QStringLiteral("segment:%1").arg(*segment);
    if (record.target != target)
        return invalid(QStringLiteral("target is %1, not '%2'").arg(quoted(record.target), target));
    const struct
    {
        const char *name;
        uint64_t expected;
    } numbers[] = {
        {"firstSequence", range.firstSequence},
        {"lastSequence", range.lastSequence},
        {"eventCount", range.eventCount()},
    };
    for (const auto &number : numbers) {
        Result<uint64_t> value = uintField(details, number.name, kMaxSequence);
        if (!value)
            return value.error().context(QStringLiteral("details"));
        if (*value != number.expected)
            return invalid(QStringLiteral("details.%1 is %2, but the purged range says %3")
                               .arg(QLatin1String(number.name))
                               .arg(*value)
                               .arg(number.expected));
    }
    Result<Hash> root = hashField(details, "segmentRoot");
    if (!root)
        return root.error().context(QStringLiteral("details"));
    if (*root != segmentRoot)
        return invalid(QStringLiteral("details.segmentRoot %1 is not the root %2 of leaves "
                                      "%3..%4 (the purged events were not these)")
                           .arg(toHex(*root), toHex(segmentRoot))
                           .arg(range.firstSequence)
                           .arg(range.lastSequence));
    if (!details.value(QLatin1String("retention")).isObject())
        return invalid(QStringLiteral("details.retention: not an object"));
    return {};
}

Status writeBundle(const QString &dir, const BundleInput &input)
{
    if (input.publicKeyRaw.size() != kEd25519PublicKeySize)
        return invalid(QStringLiteral("public key: not %1 bytes").arg(kEd25519PublicKeySize));
    if (input.treeHeads.empty())
        return invalid(QStringLiteral("tree heads: at least one signed tree head is needed"));
    const bool complete = input.filter.isEmpty();
    if (!input.purged.empty() && !complete)
        return invalid(QStringLiteral("purged: only a complete bundle (no filter) can declare "
                                      "purged events"));
    if (!input.purged.empty() && input.leafHashes.empty())
        return invalid(QStringLiteral("purged: the leaf hashes of the whole log are needed (the "
                                      "purged events' leaves stay in the bundle)"));

    std::vector<Hash> computed;
    std::span<const Hash> leaves = input.leafHashes;
    if (leaves.empty()) {
        for (size_t i = 0; i < input.events.size(); ++i)
            if (input.events[i].sequence != i)
                return invalid(QStringLiteral("events: without leafHashes the events must be the "
                                              "whole log; sequence %1 is at position %2")
                                   .arg(input.events[i].sequence)
                                   .arg(i));
        computed.resize(input.events.size());
        if (auto failure = firstFailure(input.events.size(), kEventsPerTask, [&](size_t i) {
                Result<Hash> leaf = leafHashOf(input.events[i]);
                if (!leaf)
                    return Status(leaf.error());
                computed[i] = *leaf;
                return Status();
            }))
            return failure->second.context(QStringLiteral("event %1").arg(failure->first));
        leaves = computed;
    }

    // The heads: increasing, signed by this key, over these leaves.
    for (size_t i = 0; i < input.treeHeads.size(); ++i) {
        const TreeHead &head = input.treeHeads[i].head;
        const QString where = QStringLiteral("tree head %1 (size %2)").arg(i).arg(head.treeSize);
        if (i > 0 && head.treeSize <= input.treeHeads[i - 1].head.treeSize)
            return invalid(where + QStringLiteral(": sizes must increase"));
        if (head.treeSize > leaves.size())
            return invalid(where +
                           QStringLiteral(": larger than the %1 leaves given").arg(leaves.size()));
    }
    const TreeHead &finalHead = input.treeHeads.back().head;
    const uint64_t treeSize = finalHead.treeSize;
    // Every subtree root once (O(n)); each head root and proof is then O(log n) lookups.
    const MerkleNodeCache cache(leaves.first(treeSize));
    if (auto failure = firstFailure(input.treeHeads.size(), 8, [&](size_t i) -> Status {
            const SignedTreeHead &signedHead = input.treeHeads[i];
            if (Status status =
                    verifyTreeHead(signedHead.head, signedHead.signature, input.publicKeyRaw);
                !status)
                return status;
            if (cache.rangeRoot({0, signedHead.head.treeSize}) != signedHead.head.rootHash)
                return invalid(QStringLiteral("root does not match the leaves"));
            return {};
        }))
        return failure->second.context(QStringLiteral("tree head %1 (size %2)")
                                           .arg(failure->first)
                                           .arg(input.treeHeads[failure->first].head.treeSize));

    // Purged ranges: sorted, disjoint, inside the tree, each followed by its record.
    uint64_t purgedCount = 0;
    for (size_t i = 0; i < input.purged.size(); ++i) {
        const PurgedRange &range = input.purged[i];
        const QString where =
            QStringLiteral("purged range %1..%2").arg(range.firstSequence).arg(range.lastSequence);
        if (range.firstSequence > range.lastSequence)
            return invalid(where + QStringLiteral(": firstSequence after lastSequence"));
        if (i > 0 && range.firstSequence <= input.purged[i - 1].lastSequence)
            return invalid(where + QStringLiteral(": ranges must be sorted and disjoint"));
        if (range.purgeRecordSequence <= range.lastSequence ||
            range.purgeRecordSequence >= treeSize)
            return invalid(where + QStringLiteral(": its purge record %1 must follow it inside "
                                                  "the signed tree (size %2)")
                                       .arg(range.purgeRecordSequence)
                                       .arg(treeSize));
        purgedCount += range.eventCount();
    }
    for (const PurgedRange &range : input.purged)
        if (rangeHolding(input.purged, range.purgeRecordSequence) >= 0)
            return invalid(QStringLiteral("purged range %1..%2: its purge record %3 is itself "
                                          "purged")
                               .arg(range.firstSequence)
                               .arg(range.lastSequence)
                               .arg(range.purgeRecordSequence));

    std::vector<const AuditEvent *> selected;
    std::vector<uint64_t> sequences;
    for (const AuditEvent &event : input.events) {
        if (event.sequence >= treeSize || !input.filter.matches(event))
            continue;
        if (rangeHolding(input.purged, event.sequence) >= 0)
            continue;
        if (!sequences.empty() && event.sequence <= sequences.back())
            return invalid(QStringLiteral("events: sequence %1 is not after %2")
                               .arg(event.sequence)
                               .arg(sequences.back()));
        selected.push_back(&event);
        sequences.push_back(event.sequence);
    }
    if (auto failure = firstFailure(selected.size(), kEventsPerTask, [&](size_t i) -> Status {
            Result<Hash> leaf = leafHashOf(*selected[i]);
            if (!leaf)
                return leaf.error();
            if (*leaf != leaves[selected[i]->sequence])
                return invalid(QStringLiteral("leaf hash differs from the log's"));
            return {};
        }))
        return failure->second.context(
            QStringLiteral("event sequence %1").arg(sequences[failure->first]));
    if (!complete && !input.filter.tenant) {
        // A time filter alone: the verifier requires consecutive sequences.
        for (size_t i = 1; i < sequences.size(); ++i)
            if (sequences[i] != sequences[i - 1] + 1)
                return invalid(QStringLiteral("events: sequences %1..%2 are missing (purged, or "
                                              "outside the time filter); a bundle filtered by "
                                              "time only must hold consecutive events")
                                   .arg(sequences[i - 1] + 1)
                                   .arg(sequences[i] - 1));
    }
    for (const PurgedRange &range : input.purged) {
        const QString where =
            QStringLiteral("purged range %1..%2").arg(range.firstSequence).arg(range.lastSequence);
        const auto record =
            std::lower_bound(sequences.begin(), sequences.end(), range.purgeRecordSequence);
        if (record == sequences.end() || *record != range.purgeRecordSequence)
            return invalid(where + QStringLiteral(": its purge record (sequence %1) is not among "
                                                  "the events")
                                       .arg(range.purgeRecordSequence));
        const Hash segmentRoot = rootOf(leaves.subspan(range.firstSequence, range.eventCount()));
        if (Status status =
                checkPurgeRecord(*selected[size_t(record - sequences.begin())], range, segmentRoot);
            !status)
            return status.error().context(
                where + QStringLiteral(": purge record %1").arg(range.purgeRecordSequence));
    }

    if (complete && sequences.size() != treeSize - purgedCount)
        return invalid(QStringLiteral("events: a bundle without filter needs all %1 events of the "
                                      "signed tree (except %2 purged), got %3")
                           .arg(treeSize)
                           .arg(purgedCount)
                           .arg(sequences.size()));
    if (!QDir().mkpath(dir))
        return makeError(ErrorCode::Unavailable, QStringLiteral("cannot create %1").arg(dir));
    if (QFileInfo::exists(QDir(dir).filePath(kManifest)))
        return makeError(ErrorCode::Conflict, QStringLiteral("%1 already holds a bundle").arg(dir));

    HashedWriter events(dir, kEvents);
    HashedWriter heads(dir, kTreeHeads);
    HashedWriter consistency(dir, kConsistency);
    HashedWriter proofsOrLeaves(dir, complete ? kLeaves : kProofs);
    HashedWriter publicKey(dir, kPublicKey);
    HashedWriter manifestWriter(dir, kManifest);
    std::vector<HashedWriter *> written{&events, &heads, &consistency, &proofsOrLeaves, &publicKey};
    const auto fail = [&](const Error &error) {
        for (HashedWriter *writer : written)
            writer->discard();
        manifestWriter.discard();
        return error;
    };
    for (HashedWriter *writer : written)
        if (Status status = writer->open(); !status)
            return fail(status.error());
    if (Status status =
            writeBundleFiles(input, leaves, cache, treeSize, complete, selected, written);
        !status)
        return fail(status.error());

    QJsonObject files;
    for (HashedWriter *writer : written) {
        if (Status status = writer->close(); !status)
            return fail(status.error());
        files.insert(writer->name(), writer->entry());
    }
    const QJsonObject filter{{QStringLiteral("tenant"), input.filter.tenant
                                                            ? QJsonValue(*input.filter.tenant)
                                                            : QJsonValue(QJsonValue::Null)},
                             {QStringLiteral("from"), optionalTime(input.filter.from)},
                             {QStringLiteral("to"), optionalTime(input.filter.to)}};
    const QJsonObject key{
        {QStringLiteral("algorithm"), QStringLiteral("ed25519")},
        {QStringLiteral("raw"), QString::fromLatin1(input.publicKeyRaw.toBase64())},
        {QStringLiteral("sha256"), keyFingerprint(input.publicKeyRaw)}};
    QJsonArray purged;
    for (const PurgedRange &range : input.purged)
        purged.append(QJsonObject{
            {QStringLiteral("firstSequence"), qint64(range.firstSequence)},
            {QStringLiteral("lastSequence"), qint64(range.lastSequence)},
            {QStringLiteral("purgeRecordSequence"), qint64(range.purgeRecordSequence)}});
    const QDateTime created =
        input.created.isValid() ? input.created : QDateTime::currentDateTimeUtc();
    const QJsonObject manifest{
        {QStringLiteral("format"), kFormatName},
        {QStringLiteral("version"), kBundleFormatVersion},
        {QStringLiteral("created"), auditTimeToString(created)},
        {QStringLiteral("complete"), complete},
        {QStringLiteral("filter"), filter},
        {QStringLiteral("eventCount"), qint64(sequences.size())},
        {QStringLiteral("firstSequence"),
         sequences.empty() ? QJsonValue(QJsonValue::Null) : QJsonValue(qint64(sequences.front()))},
        {QStringLiteral("lastSequence"),
         sequences.empty() ? QJsonValue(QJsonValue::Null) : QJsonValue(qint64(sequences.back()))},
        {QStringLiteral("treeSize"), qint64(treeSize)},
        {QStringLiteral("publicKey"), key},
        {QStringLiteral("files"), files},
        {QStringLiteral("purged"), purged}};
    if (Status status = manifestWriter.open(); !status)
        return fail(status.error());
    if (Status status =
            manifestWriter.write(QJsonDocument(manifest).toJson(QJsonDocument::Indented));
        !status)
        return fail(status.error());
    if (Status status = manifestWriter.close(); !status)
        return fail(status.error());
    return {};
}

} // namespace upcoach::compliance
