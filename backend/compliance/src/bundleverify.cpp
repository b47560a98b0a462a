// verifyBundle: the checks of README.md ("Audit bundle format", verification steps 1-8), in that
// order, reporting the first failure in file order. The large files (leaves.txt, events.jsonl,
// proofs.jsonl) are read in blocks of whole lines; each block is checked by parallelFor tasks
// that write one result slot per line, and a serial pass then walks the slots in order, so the
// error is the same one a line-by-line reader would report, whatever thread found it.
#include "bundleformat.h"
#include "bundlelines.h"
#include "bundlememory.h"
#include "bundleparallel.h"
#include "fasteventline.h"
#include "strictjson.h"
#include "upcoach/compliance/auditbundle.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonValue>
#include <algorithm>
#include <limits>
#include <map>
#include <span>

namespace upcoach::compliance {

using namespace bundle;

namespace {

// Blocks of whole lines: bounded in bytes and in lines, so no content makes a block's per-line
// state large. A filtered bundle's block also holds the events' proof lines (up to 16 KiB each).
constexpr size_t kEventBatchBytes = 4 * 1024 * 1024;
constexpr size_t kLeafBatchBytes = 4 * 1024 * 1024;
constexpr size_t kMaxLinesPerBatch = 64 * 1024;
constexpr size_t kMaxFilteredLinesPerBatch = 4 * 1024;
constexpr size_t kLinesPerTask = 256;
constexpr size_t kNodesPerTask = 16 * 1024;
constexpr size_t kHeadsPerBatch = 16 * 1024; // tree heads and consistency proofs
constexpr size_t kHeadsPerTask = 32;

// The leaves: not zero-filled (every element is written before it is read), in huge pages.
using HashVector = std::vector<Hash, LargeAllocator<Hash>>;

struct VerifiedHead
{
    SignedTreeHead signedHead;
    int line = 0;
};

Result<QByteArray> readSmallFile(const QString &dir, const QString &name, qint64 maxBytes)
{
    QFile file(QDir(dir).filePath(name));
    if (!file.exists())
        return makeError(ErrorCode::NotFound, name + QStringLiteral(": missing"));
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Unavailable,
                         name + QStringLiteral(": cannot read (%1)").arg(file.errorString()));
    QByteArray bytes = file.read(maxBytes + 1);
    if (bytes.size() > maxBytes)
        return invalid(name + QStringLiteral(": larger than %1 bytes").arg(maxBytes));
    return bytes;
}

QByteArrayView viewOf(std::string_view text)
{
    return QByteArrayView(text.data(), qsizetype(text.size()));
}

// Tasks over [0, count) in pieces of `perTask`, plus `extra` tasks numbered first.
size_t taskCount(size_t count, size_t perTask, size_t extra)
{
    return extra + (count + perTask - 1) / perTask;
}

// The roots of the signed heads' prefixes [0, size) of the leaves, in one parallel O(n) pass and
// little memory: the leaves are cut into aligned chunks of 2^kChunkLevel, each chunk is hashed
// by one task (which also notes the root of [chunk start, size) for every head size inside it),
// and a prefix root is then the fold of whole-chunk subtrees and that partial root.
class PrefixRoots
{
public:
    static constexpr uint32_t kChunkLevel = 14;
    static constexpr uint64_t kChunk = uint64_t(1) << kChunkLevel;

    // headSizes increasing, each at most leaves.size().
    PrefixRoots(std::span<const Hash> leaves, std::span<const uint64_t> headSizes)
        : m_sizes(headSizes)
        , m_partial(headSizes.size())
    {
        const uint64_t fullChunks = leaves.size() / kChunk;
        const uint64_t chunks = (leaves.size() + kChunk - 1) / kChunk;
        std::vector<Hash> chunkRoots(fullChunks);
        parallelFor(chunks, [&](size_t chunk, int) {
            const uint64_t begin = chunk * kChunk;
            const uint64_t end = std::min<uint64_t>(leaves.size(), begin + kChunk);
            auto head = size_t(std::upper_bound(headSizes.begin(), headSizes.end(), begin) -
                               headSizes.begin());
            MerkleTree tree;
            for (uint64_t i = begin; i < end; ++i) {
                tree.append(leaves[i]);
                for (; head < headSizes.size() && headSizes[head] == i + 1; ++head)
                    m_partial[head] = tree.root();
            }
            if (chunk < fullChunks)
                chunkRoots[chunk] = tree.root();
        });
        // The few levels above the chunks.
        m_upper.push_back(std::move(chunkRoots));
        while (m_upper.back().size() >= 2) {
            const std::vector<Hash> &below = m_upper.back();
            std::vector<Hash> level(below.size() / 2);
            for (size_t i = 0; i < level.size(); ++i)
                level[i] = nodeHash(below[2 * i], below[2 * i + 1]);
            m_upper.push_back(std::move(level));
        }
    }

    // MTH of the first headSizes[head] leaves.
    Hash root(size_t head) const
    {
        const uint64_t size = m_sizes[head];
        std::vector<NodeId> nodes;
        perfectSubtreesOf({0, size / kChunk * kChunk}, nodes);
        std::vector<Hash> roots;
        for (const NodeId &id : nodes)
            roots.push_back(m_upper[id.level - kChunkLevel][id.index]);
        if (size % kChunk != 0)
            roots.push_back(m_partial[head]);
        return roots.empty() ? emptyTreeHash() : foldSubtreeRoots(roots);
    }

private:
    std::span<const uint64_t> m_sizes;
    std::vector<Hash> m_partial;            // MTH of [size / kChunk * kChunk, size) per head
    std::vector<std::vector<Hash>> m_upper; // m_upper[l][i] = node (kChunkLevel + l, i)
};

// What the tasks find out about one line of events.jsonl (and its proofs.jsonl line).
struct EventLineResult
{
    uint64_t sequence = 0;
    int64_t timeMs = 0;
    uint64_t proofSequence = 0;
    uint64_t proofLeafIndex = 0;
    uint64_t proofTreeSize = 0;
    bool parsed = false;        // a valid event line (eventFromJson would accept it)
    bool leafMatches = false;   // complete: leaf `sequence` of leaves.txt is this event's
    bool tenantMatches = false; // the tenant filter, if any
    bool proofParsed = false;   // filtered: the proof line is in the fast subset
    bool inclusionOk = false;   // filtered: the proof line is for this event and verifies
};

// RFC 9162 §2.1.3.2, exactly as verifyInclusion decides it (the caller runs verifyInclusion
// for the message when this says no), with node hashes remembered per proof step: proofs of
// consecutive leaves share their upper path, so most of those nodes are the same two inputs as
// for the previous proof and need no hashing.
class InclusionVerifier
{
public:
    bool verify(const Hash &leaf, uint64_t index, uint64_t treeSize, std::span<const Hash> proof,
                const Hash &root)
    {
        if (index >= treeSize || proof.size() != inclusionProofLength(index, treeSize))
            return false;
        uint64_t fn = index;
        uint64_t sn = treeSize - 1;
        Hash r = leaf;
        for (size_t step = 0; step < proof.size(); ++step) {
            const Hash &p = proof[step];
            if (sn == 0)
                return false;
            if ((fn & 1) || fn == sn) {
                r = node(step, p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = node(step, r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r == root;
    }

private:
    struct Remembered
    {
        Hash left;
        Hash right;
        Hash parent;
        bool valid = false;
    };
    Hash node(size_t step, const Hash &left, const Hash &right)
    {
        if (step >= m_steps.size())
            m_steps.resize(step + 1);
        Remembered &remembered = m_steps[step];
        if (!remembered.valid || remembered.left != left || remembered.right != right)
            remembered = {left, right, nodeHash(left, right), true};
        return remembered.parent;
    }
    std::vector<Remembered> m_steps;
};

struct WorkerScratch
{
    FastEventParser parser;
    std::vector<Hash> proof;
    InclusionVerifier inclusion;
};

// What the tasks check each event line against.
struct EventContext
{
    bool complete = false;
    uint64_t treeSize = 0;
    Hash finalRoot{};
    std::span<const Hash> leaves;
    std::optional<QByteArray> tenantUtf8;
    std::optional<QString> tenant;
};

void checkEventLine(const EventContext &context, std::string_view line,
                    std::optional<std::string_view> proofLine, WorkerScratch &scratch,
                    EventLineResult &result)
{
    Hash leaf;
    FastEvent fast;
    if (scratch.parser.parse(line, fast)) {
        leaf = leafHash(viewOf(scratch.parser.canonical()));
        result.sequence = fast.sequence;
        result.timeMs = fast.timeMs;
        result.tenantMatches =
            !context.tenantUtf8 || viewOf(fast.tenant) == QByteArrayView(*context.tenantUtf8);
    } else {
        // Not in the fast subset: the definition decides (and is reentrant).
        Result<AuditEvent> event = eventFromJson(viewOf(line));
        if (!event)
            return;
        Result<Hash> computed = leafHashOf(*event);
        if (!computed)
            return;
        leaf = *computed;
        result.sequence = event->sequence;
        result.timeMs = event->time.toMSecsSinceEpoch();
        result.tenantMatches = !context.tenant || event->tenant == *context.tenant;
    }
    result.parsed = true;
    if (context.complete) {
        result.leafMatches =
            result.sequence < context.treeSize && context.leaves[result.sequence] == leaf;
        return;
    }
    if (!proofLine)
        return;
    FastProofLine proof;
    if (!parseProofLineFast(*proofLine, size_t(kMaxProofHashes), proof, scratch.proof))
        return;
    result.proofParsed = true;
    result.proofSequence = proof.sequence;
    result.proofLeafIndex = proof.leafIndex;
    result.proofTreeSize = proof.treeSize;
    if (proof.sequence == result.sequence && proof.leafIndex == result.sequence &&
        proof.treeSize == context.treeSize)
        result.inclusionOk = scratch.inclusion.verify(leaf, result.sequence, context.treeSize,
                                                      scratch.proof, context.finalRoot);
}

QString sequenceWhere(const QString &where, uint64_t sequence)
{
    return where + QStringLiteral(" (sequence %1)").arg(sequence);
}

QString purgedWhere(const PurgedRange &range, size_t index)
{
    return QStringLiteral("the purged range %1..%2 (manifest.json purged[%3])")
        .arg(range.firstSequence)
        .arg(range.lastSequence)
        .arg(index);
}

} // namespace

Result<VerifyReport> verifyBundle(const QString &dir, const VerifyOptions &options)
{
    VerifyReport report;

    // 1. The manifest.
    Result<QByteArray> manifestText = readSmallFile(dir, kManifest, kMaxManifestBytes);
    if (!manifestText)
        return manifestText.error();
    Result<QJsonObject> manifestObject = parseJsonObject(*manifestText);
    if (!manifestObject)
        return manifestObject.error().context(kManifest);
    const QJsonObject &manifest = *manifestObject;
    auto manifestError = [](const Error &error) { return error.context(kManifest); };
    // The key set depends on the version; anything but 2 is checked as version 1 (and then
    // refused below unless it is 1).
    const bool version2 = manifest.value(QLatin1String("version")).toInteger(-1) == 2;
    if (Status status =
            version2
                ? requireExactKeys(manifest, {"format", "version", "created", "complete", "filter",
                                              "eventCount", "firstSequence", "lastSequence",
                                              "treeSize", "publicKey", "files", "purged"})
                : requireExactKeys(manifest, {"format", "version", "created", "complete", "filter",
                                              "eventCount", "firstSequence", "lastSequence",
                                              "treeSize", "publicKey", "files"});
        !status)
        return manifestError(status.error());
    if (manifest.value(QLatin1String("format")).toString() != kFormatName)
        return invalid(kManifest + QStringLiteral(": format: not %1").arg(kFormatName));
    {
        const qint64 version = manifest.value(QLatin1String("version")).toInteger(-1);
        if (version < kOldestBundleFormatVersion || version > kBundleFormatVersion)
            return invalid(kManifest + QStringLiteral(": version: only versions %1 to %2 are "
                                                      "supported")
                                           .arg(kOldestBundleFormatVersion)
                                           .arg(kBundleFormatVersion));
        report.formatVersion = int(version);
    }
    {
        Result<QDateTime> created = optionalTimeField(manifest, "created");
        if (!created || !created->isValid())
            return invalid(kManifest + QStringLiteral(": created: not a time"));
        report.created = *created;
    }
    if (!manifest.value(QLatin1String("complete")).isBool())
        return invalid(kManifest + QStringLiteral(": complete: not a boolean"));
    report.complete = manifest.value(QLatin1String("complete")).toBool();
    {
        const QJsonValue filterValue = manifest.value(QLatin1String("filter"));
        if (!filterValue.isObject())
            return invalid(kManifest + QStringLiteral(": filter: not an object"));
        const QJsonObject filter = filterValue.toObject();
        if (Status status = requireExactKeys(filter, {"tenant", "from", "to"}); !status)
            return manifestError(status.error().context(QStringLiteral("filter")));
        const QJsonValue tenant = filter.value(QLatin1String("tenant"));
        if (tenant.isString())
            report.filter.tenant = tenant.toString();
        else if (!tenant.isNull())
            return invalid(kManifest + QStringLiteral(": filter.tenant: not a string or null"));
        Result<QDateTime> from = optionalTimeField(filter, "from");
        Result<QDateTime> to = optionalTimeField(filter, "to");
        if (!from)
            return manifestError(from.error().context(QStringLiteral("filter")));
        if (!to)
            return manifestError(to.error().context(QStringLiteral("filter")));
        report.filter.from = *from;
        report.filter.to = *to;
    }
    if (report.complete != report.filter.isEmpty())
        return invalid(kManifest + QStringLiteral(": complete must be true exactly when there is "
                                                  "no filter"));
    Result<uint64_t> treeSizeField = uintField(manifest, "treeSize", kMaxTreeSize);
    if (!treeSizeField)
        return manifestError(treeSizeField.error());
    const uint64_t treeSize = *treeSizeField;
    Result<uint64_t> eventCountField = uintField(manifest, "eventCount", treeSize);
    if (!eventCountField)
        return manifestError(eventCountField.error());
    std::optional<uint64_t> manifestFirst;
    std::optional<uint64_t> manifestLast;
    for (auto [name, target] :
         {std::pair{"firstSequence", &manifestFirst}, std::pair{"lastSequence", &manifestLast}}) {
        if (manifest.value(QLatin1String(name)).isNull())
            continue;
        Result<uint64_t> value = uintField(manifest, name, kMaxSequence);
        if (!value)
            return manifestError(value.error());
        *target = *value;
    }
    QByteArray publicKeyRaw;
    {
        const QJsonValue keyValue = manifest.value(QLatin1String("publicKey"));
        if (!keyValue.isObject())
            return invalid(kManifest + QStringLiteral(": publicKey: not an object"));
        const QJsonObject key = keyValue.toObject();
        if (Status status = requireExactKeys(key, {"algorithm", "raw", "sha256"}); !status)
            return manifestError(status.error().context(QStringLiteral("publicKey")));
        if (key.value(QLatin1String("algorithm")).toString() != QLatin1String("ed25519"))
            return invalid(kManifest + QStringLiteral(": publicKey.algorithm: not ed25519"));
        Result<QByteArray> raw = base64Field(key, "raw", kEd25519PublicKeySize);
        if (!raw)
            return manifestError(raw.error().context(QStringLiteral("publicKey")));
        publicKeyRaw = *raw;
        report.keyFingerprint = keyFingerprint(publicKeyRaw);
        if (key.value(QLatin1String("sha256")).toString() != report.keyFingerprint)
            return invalid(
                kManifest +
                QStringLiteral(": publicKey.sha256 is not the SHA-256 of publicKey.raw"));
    }
    const QString proofsName = report.complete ? kLeaves : kProofs;
    const QStringList expectedFiles{kEvents, kTreeHeads, kConsistency, proofsName, kPublicKey};
    std::map<QString, std::pair<QByteArray, qint64>> fileEntries;
    {
        const QJsonValue filesValue = manifest.value(QLatin1String("files"));
        if (!filesValue.isObject())
            return invalid(kManifest + QStringLiteral(": files: not an object"));
        const QJsonObject files = filesValue.toObject();
        if (files.size() != expectedFiles.size())
            return invalid(kManifest + QStringLiteral(": files: must list exactly %1")
                                           .arg(expectedFiles.join(QStringLiteral(", "))));
        for (const QString &name : expectedFiles) {
            const QJsonValue entryValue = files.value(name);
            if (!entryValue.isObject())
                return invalid(kManifest + QStringLiteral(": files.%1: missing").arg(name));
            const QJsonObject entry = entryValue.toObject();
            if (Status status = requireExactKeys(entry, {"sha256", "size"}); !status)
                return manifestError(status.error().context(QStringLiteral("files.") + name));
            Result<Hash> sha = hashField(entry, "sha256");
            Result<uint64_t> size = uintField(entry, "size", kMaxSequence);
            if (!sha)
                return manifestError(sha.error().context(QStringLiteral("files.") + name));
            if (!size)
                return manifestError(size.error().context(QStringLiteral("files.") + name));
            fileEntries[name] = {toBytes(*sha), qint64(*size)};
        }
    }
    // Version 2: the ranges retention purged, each with the sequence of its purge record.
    if (version2) {
        const QJsonValue purgedValue = manifest.value(QLatin1String("purged"));
        if (!purgedValue.isArray())
            return invalid(kManifest + QStringLiteral(": purged: not an array"));
        const QJsonArray purged = purgedValue.toArray();
        if (!report.complete && !purged.isEmpty())
            return invalid(kManifest + QStringLiteral(": purged: a filtered bundle cannot declare "
                                                      "purged events (only a complete bundle "
                                                      "can)"));
        for (qsizetype i = 0; i < purged.size(); ++i) {
            const QString where = QStringLiteral("purged[%1]").arg(i);
            if (!purged.at(i).isObject())
                return invalid(kManifest + QStringLiteral(": ") + where +
                               QStringLiteral(": not an object"));
            const QJsonObject entry = purged.at(i).toObject();
            if (Status status = requireExactKeys(
                    entry, {"firstSequence", "lastSequence", "purgeRecordSequence"});
                !status)
                return manifestError(status.error().context(where));
            PurgedRange range;
            for (auto [name, target] :
                 {std::pair{"firstSequence", &range.firstSequence},
                  std::pair{"lastSequence", &range.lastSequence},
                  std::pair{"purgeRecordSequence", &range.purgeRecordSequence}}) {
                Result<uint64_t> value = uintField(entry, name, kMaxSequence);
                if (!value)
                    return manifestError(value.error().context(where));
                *target = *value;
            }
            const QString rangeWhere = kManifest + QStringLiteral(": %1 (events %2..%3)")
                                                       .arg(where)
                                                       .arg(range.firstSequence)
                                                       .arg(range.lastSequence);
            if (range.firstSequence > range.lastSequence)
                return invalid(rangeWhere + QStringLiteral(": firstSequence after lastSequence"));
            if (!report.purged.empty() && range.firstSequence <= report.purged.back().lastSequence)
                return invalid(rangeWhere + QStringLiteral(": overlaps or precedes purged[%1]; "
                                                           "ranges must be sorted and disjoint")
                                                .arg(i - 1));
            if (range.purgeRecordSequence <= range.lastSequence)
                return invalid(rangeWhere + QStringLiteral(": purgeRecordSequence %1 must come "
                                                           "after the purged events")
                                                .arg(range.purgeRecordSequence));
            if (range.purgeRecordSequence >= treeSize)
                return invalid(rangeWhere + QStringLiteral(": purgeRecordSequence %1 is beyond "
                                                           "the signed tree (size %2)")
                                                .arg(range.purgeRecordSequence)
                                                .arg(treeSize));
            report.purged.push_back(range);
            report.purgedEventCount += range.eventCount();
        }
        // Each purge record must itself be in the bundle, and record one range only.
        std::map<uint64_t, size_t> records;
        for (size_t i = 0; i < report.purged.size(); ++i) {
            const uint64_t record = report.purged[i].purgeRecordSequence;
            const auto after = std::upper_bound(
                report.purged.begin(), report.purged.end(), record,
                [](uint64_t sequence, const PurgedRange &r) { return sequence < r.firstSequence; });
            if (after != report.purged.begin() && record <= std::prev(after)->lastSequence)
                return invalid(kManifest + QStringLiteral(": purged[%1]: its purge record %2 lies "
                                                          "inside purged[%3]; a purge record "
                                                          "is never purged")
                                               .arg(i)
                                               .arg(record)
                                               .arg(after - report.purged.begin() - 1));
            if (const auto [it, inserted] = records.emplace(record, i); !inserted)
                return invalid(kManifest + QStringLiteral(": purged[%1]: purge record %2 is "
                                                          "already the record of purged[%3]")
                                               .arg(i)
                                               .arg(record)
                                               .arg(it->second));
        }
    }

    // 2. The public key file must be the manifest's key, and the pinned one if given.
    Result<QByteArray> pem = readSmallFile(dir, kPublicKey, kMaxPemBytes);
    if (!pem)
        return pem.error();
    {
        Result<QByteArray> raw = ed25519PublicKeyFromPem(*pem);
        if (!raw)
            return raw.error().context(kPublicKey);
        if (*raw != publicKeyRaw)
            return invalid(kPublicKey + QStringLiteral(": not the key named in manifest.json"));
    }
    if (!options.expectedKeyFingerprint.isEmpty()) {
        if (options.expectedKeyFingerprint.toLower() != report.keyFingerprint)
            return makeError(ErrorCode::Unauthorized,
                             QStringLiteral("public key: fingerprint %1 is not the trusted key %2; "
                                            "the bundle was not signed by the expected log")
                                 .arg(report.keyFingerprint, options.expectedKeyFingerprint));
        report.keyPinned = true;
    }

    // 3. Signed tree heads, a batch of lines at a time: parsed and their signatures checked by
    // parallel tasks, then taken in order (a bad signature on line 3 is reported before a bad
    // line 7, and before the ordering checks of line 4).
    std::vector<VerifiedHead> heads;
    BundleLineFile headReader(dir, kTreeHeads, kMaxTreeHeadLineBytes);
    if (Status status = headReader.open(); !status)
        return status.error();
    {
        struct HeadSlot
        {
            std::optional<Error> error; // the line does not parse
            SignedTreeHead signedHead;
            bool signatureOk = false;
        };
        std::vector<HeadSlot> slots;
        LineBatch batch;
        for (;;) {
            if (Status status = headReader.next(batch, kHeadsPerBatch, SIZE_MAX); !status)
                return status.error();
            headReader.hash(batch);
            slots.assign(batch.size(), HeadSlot{});
            parallelFor(taskCount(batch.size(), kHeadsPerTask, 0), [&](size_t task, int) {
                const size_t end = std::min(batch.size(), (task + 1) * kHeadsPerTask);
                for (size_t i = task * kHeadsPerTask; i < end; ++i) {
                    HeadSlot &slot = slots[i];
                    const QString lineWhere = headReader.where(batch.firstLine + i);
                    Result<QJsonObject> object = parseJsonObject(viewOf(batch.lines[i]));
                    if (!object) {
                        slot.error = object.error().context(lineWhere);
                        continue;
                    }
                    if (Status status = requireExactKeys(
                            *object, {"treeSize", "timestamp", "rootHash", "signature"});
                        !status) {
                        slot.error = status.error().context(lineWhere);
                        continue;
                    }
                    Result<uint64_t> size = uintField(*object, "treeSize", kMaxTreeSize);
                    if (!size) {
                        slot.error = size.error().context(lineWhere);
                        continue;
                    }
                    const QString where = lineWhere + QStringLiteral(" (treeSize %1)").arg(*size);
                    Result<QDateTime> timestamp = optionalTimeField(*object, "timestamp");
                    if (!timestamp || !timestamp->isValid()) {
                        slot.error = invalid(where + QStringLiteral(": timestamp: not a time"));
                        continue;
                    }
                    Result<Hash> root = hashField(*object, "rootHash");
                    if (!root) {
                        slot.error = root.error().context(where);
                        continue;
                    }
                    Result<QByteArray> signature =
                        base64Field(*object, "signature", kEd25519SignatureSize);
                    if (!signature) {
                        slot.error = signature.error().context(where);
                        continue;
                    }
                    slot.signedHead = {TreeHead{*size, *timestamp, *root}, *signature};
                    slot.signatureOk = verifyTreeHead(slot.signedHead.head,
                                                      slot.signedHead.signature, publicKeyRaw)
                                           .ok();
                }
            });
            for (size_t i = 0; i < batch.size(); ++i) {
                const uint64_t line = batch.firstLine + i;
                if (heads.size() >= kMaxTreeHeads)
                    return invalid(headReader.where(line) +
                                   QStringLiteral(": more than %1 tree heads").arg(kMaxTreeHeads));
                const HeadSlot &slot = slots[i];
                if (slot.error)
                    return *slot.error;
                const SignedTreeHead &signedHead = slot.signedHead;
                const QString where =
                    headReader.where(line) +
                    QStringLiteral(" (treeSize %1)").arg(signedHead.head.treeSize);
                if (!slot.signatureOk)
                    return verifyTreeHead(signedHead.head, signedHead.signature, publicKeyRaw)
                        .error()
                        .context(where);
                if (!heads.empty() &&
                    signedHead.head.treeSize <= heads.back().signedHead.head.treeSize)
                    return invalid(where +
                                   QStringLiteral(": tree sizes must increase (previous %1)")
                                       .arg(heads.back().signedHead.head.treeSize));
                if (!heads.empty() &&
                    signedHead.head.timestamp < heads.back().signedHead.head.timestamp)
                    return invalid(where +
                                   QStringLiteral(": timestamp earlier than the previous head's"));
                heads.push_back({signedHead, int(line)});
            }
            if (batch.error)
                return *batch.error;
            if (batch.size() == 0)
                break;
        }
    }
    if (heads.empty())
        return invalid(kTreeHeads + QStringLiteral(": no signed tree head"));
    const TreeHead &finalHead = heads.back().signedHead.head;
    if (finalHead.treeSize != treeSize)
        return invalid(kTreeHeads + QStringLiteral(" line %1 (treeSize %2): the final head is not "
                                                   "the tree size %3 named in manifest.json")
                                        .arg(heads.back().line)
                                        .arg(finalHead.treeSize)
                                        .arg(treeSize));
    report.treeHeadCount = int(heads.size());
    report.finalTreeSize = finalHead.treeSize;
    report.finalRoot = finalHead.rootHash;
    report.finalTreeHeadTime = finalHead.timestamp;

    // 4. Consistency between consecutive heads: line i proves head i -> head i + 1 (1-based
    // lines, 0-based heads); checked in parallel, reported in order.
    BundleLineFile consistencyReader(dir, kConsistency, kMaxProofLineBytes);
    if (Status status = consistencyReader.open(); !status)
        return status.error();
    {
        std::vector<std::optional<Error>> failures;
        LineBatch batch;
        for (;;) {
            if (Status status = consistencyReader.next(batch, kHeadsPerBatch, SIZE_MAX); !status)
                return status.error();
            consistencyReader.hash(batch);
            failures.assign(batch.size(), std::nullopt);
            parallelFor(taskCount(batch.size(), kHeadsPerTask, 0), [&](size_t task, int) {
                const size_t end = std::min(batch.size(), (task + 1) * kHeadsPerTask);
                for (size_t k = task * kHeadsPerTask; k < end; ++k) {
                    const uint64_t i = batch.firstLine + k; // proves head i - 1 -> head i
                    if (i >= heads.size())
                        continue; // reported in order below
                    const QString where = consistencyReader.where(i);
                    const TreeHead &older = heads[i - 1].signedHead.head;
                    const TreeHead &newer = heads[i].signedHead.head;
                    Result<QJsonObject> object = parseJsonObject(viewOf(batch.lines[k]));
                    if (!object) {
                        failures[k] = object.error().context(where);
                        continue;
                    }
                    if (Status status = requireExactKeys(*object, {"fromSize", "toSize", "proof"});
                        !status) {
                        failures[k] = status.error().context(where);
                        continue;
                    }
                    Result<uint64_t> fromSize = uintField(*object, "fromSize", kMaxTreeSize);
                    Result<uint64_t> toSize = uintField(*object, "toSize", kMaxTreeSize);
                    if (!fromSize || !toSize || *fromSize != older.treeSize ||
                        *toSize != newer.treeSize) {
                        failures[k] =
                            invalid(where + QStringLiteral(": must prove tree size %1 -> %2")
                                                .arg(older.treeSize)
                                                .arg(newer.treeSize));
                        continue;
                    }
                    Result<std::vector<Hash>> proof = hashListField(*object, "proof");
                    if (!proof) {
                        failures[k] = proof.error().context(where);
                        continue;
                    }
                    if (Status status = verifyConsistency(older.treeSize, newer.treeSize,
                                                          older.rootHash, newer.rootHash, *proof);
                        !status)
                        failures[k] = status.error().context(
                            where +
                            QStringLiteral(" (%1 -> %2): the signed tree heads are not consistent")
                                .arg(older.treeSize)
                                .arg(newer.treeSize));
                }
            });
            for (size_t k = 0; k < batch.size(); ++k) {
                const uint64_t i = batch.firstLine + k;
                if (i >= heads.size())
                    return invalid(consistencyReader.where(i) +
                                   QStringLiteral(": more proofs than consecutive tree heads"));
                if (failures[k])
                    return *failures[k];
            }
            if (batch.error)
                return *batch.error;
            if (batch.size() == 0)
                break;
        }
        const uint64_t proofs = consistencyReader.linesRead();
        if (proofs + 1 < heads.size())
            return invalid(kConsistency + QStringLiteral(": no proof between tree sizes %1 and "
                                                         "%2 (expected at line %3)")
                                              .arg(heads[proofs].signedHead.head.treeSize)
                                              .arg(heads[proofs + 1].signedHead.head.treeSize)
                                              .arg(proofs + 1));
    }

    // 5. A complete bundle's leaf list, authenticated segment by segment by the signed heads.
    HashVector leaves;
    std::vector<Hash> purgedRoots; // MTH of each purged range's leaves
    std::optional<BundleLineFile> leavesReader;
    if (report.complete) {
        leavesReader.emplace(dir, kLeaves, kMaxLeafLineBytes);
        if (Status status = leavesReader->open(); !status)
            return status.error();
        leaves.reserve(size_t(std::min<uint64_t>(treeSize, 1 << 20)));
        // Lines are parsed up to the first unusable one; the heads the leaves before it cover
        // are checked first, as a line-by-line reader would.
        std::optional<Error> stop;
        LineBatch batch;
        while (!stop) {
            // After the first batch, next() returns the one task 0 below prefetched.
            if (Status status = leavesReader->next(batch, kMaxLinesPerBatch, kLeafBatchBytes);
                !status)
                return status.error();
            if (batch.size() == 0 && !batch.error)
                break;
            // Task 0 reads the next batch while the others parse this one.
            const bool more = !batch.error && batch.size() < treeSize - leaves.size();
            const size_t room = size_t(treeSize - leaves.size()); // lines that can still be leaves
            const size_t usable = std::min(batch.size(), room);
            const size_t offset = leaves.size();
            leaves.resize(offset + usable);
            std::vector<size_t> firstBad(taskCount(usable, kNodesPerTask, 0), SIZE_MAX);
            parallelFor(taskCount(usable, kNodesPerTask, 2), [&](size_t task, int) {
                if (task == 0) {
                    if (more)
                        leavesReader->prefetch(kMaxLinesPerBatch, kLeafBatchBytes);
                    return;
                }
                if (task == 1) {
                    leavesReader->hash(batch);
                    return;
                }
                const size_t piece = task - 2;
                const size_t end = std::min(usable, (piece + 1) * kNodesPerTask);
                for (size_t i = piece * kNodesPerTask; i < end; ++i) {
                    if (!hashFromHexFast(batch.lines[i], leaves[offset + i])) {
                        firstBad[piece] = i;
                        return;
                    }
                }
            });
            const size_t bad =
                firstBad.empty() ? SIZE_MAX : *std::min_element(firstBad.begin(), firstBad.end());
            if (bad != SIZE_MAX) {
                leaves.resize(offset + bad);
                stop = invalid(leavesReader->where(batch.firstLine + bad) +
                               QStringLiteral(": not 64 hex digits"));
            } else if (usable < batch.size()) {
                stop = invalid(
                    leavesReader->where(batch.firstLine + usable) +
                    QStringLiteral(": more leaves than the signed tree size %1").arg(treeSize));
            } else if (batch.error) {
                stop = batch.error;
            }
        }
        std::vector<uint64_t> headSizes;
        for (const VerifiedHead &head : heads)
            if (head.signedHead.head.treeSize <= leaves.size())
                headSizes.push_back(head.signedHead.head.treeSize);
        const PrefixRoots prefixRoots(leaves, headSizes);
        uint64_t segmentStart = 1;
        for (size_t i = 0; i < headSizes.size(); ++i) {
            const VerifiedHead &head = heads[i];
            const uint64_t size = head.signedHead.head.treeSize;
            if (size == 0 && head.signedHead.head.rootHash != emptyTreeHash())
                return invalid(kTreeHeads + QStringLiteral(" line %1 (treeSize 0): not the empty "
                                                           "tree's root")
                                                .arg(head.line));
            if (prefixRoots.root(i) != head.signedHead.head.rootHash)
                return invalid(kLeaves + QStringLiteral(" lines %1..%2: do not match the signed "
                                                        "tree head of size %3 (tree-heads.jsonl "
                                                        "line %4)")
                                             .arg(segmentStart)
                                             .arg(size)
                                             .arg(size)
                                             .arg(head.line));
            segmentStart = size + 1;
        }
        if (stop)
            return *stop;
        if (leaves.size() != treeSize)
            return invalid(kLeaves + QStringLiteral(": %1 leaves, but the signed tree has %2")
                                         .arg(leaves.size())
                                         .arg(treeSize));
        purgedRoots.resize(report.purged.size());
        parallelFor(report.purged.size(), [&](size_t i, int) {
            const PurgedRange &range = report.purged[i];
            purgedRoots[i] = rootOf(std::span<const Hash>(leaves).subspan(
                size_t(range.firstSequence), size_t(range.eventCount())));
        });
    }
    // 6. The events, each against the authenticated leaves or its inclusion proof.
    BundleLineFile eventReader(dir, kEvents, kMaxEventLineBytes);
    if (Status status = eventReader.open(); !status)
        return status.error();
    std::optional<BundleLineFile> proofReader;
    if (!report.complete) {
        proofReader.emplace(dir, kProofs, kMaxProofLineBytes);
        if (Status status = proofReader->open(); !status)
            return status.error();
    }
    EventContext context;
    context.complete = report.complete;
    context.treeSize = treeSize;
    context.finalRoot = finalHead.rootHash;
    context.leaves = leaves;
    if (report.filter.tenant) {
        context.tenant = report.filter.tenant;
        context.tenantUtf8 = report.filter.tenant->toUtf8();
    }
    const bool timeFiltered = report.filter.from.isValid() || report.filter.to.isValid();
    const int64_t fromMs = report.filter.from.isValid() ? report.filter.from.toMSecsSinceEpoch()
                                                        : std::numeric_limits<int64_t>::min();
    const bool toBounded = report.filter.to.isValid();
    const int64_t toMs = toBounded ? report.filter.to.toMSecsSinceEpoch() : 0;
    const bool contiguous = !report.filter.tenant; // no tenant filter: no event may be skipped
    // Purge records by sequence, and the next purged range for the contiguity check.
    std::vector<std::pair<uint64_t, size_t>> records;
    for (size_t i = 0; i < report.purged.size(); ++i)
        records.emplace_back(report.purged[i].purgeRecordSequence, i);
    std::sort(records.begin(), records.end());
    size_t nextRecord = 0;
    size_t nextRange = 0;
    uint64_t expected = 0; // complete: the next sequence that must follow
    const auto skipPurged = [&] {
        while (nextRange < report.purged.size() &&
               report.purged[nextRange].firstSequence == expected)
            expected = report.purged[nextRange++].lastSequence + 1;
    };
    // The end of the run of events missing from `expected` on: up to the next purged range.
    const auto missingUntil = [&](uint64_t sequence) {
        const uint64_t limit = nextRange < report.purged.size()
                                   ? report.purged[nextRange].firstSequence
                                   : std::numeric_limits<uint64_t>::max();
        return std::min(sequence, limit) - 1;
    };
    skipPurged();

    std::optional<uint64_t> previous;
    int64_t firstMs = std::numeric_limits<int64_t>::max();
    int64_t lastMs = std::numeric_limits<int64_t>::min();
    std::vector<WorkerScratch> scratch(static_cast<size_t>(parallelWorkers()));
    const size_t eventLinesPerBatch =
        report.complete ? kMaxLinesPerBatch : kMaxFilteredLinesPerBatch;
    std::vector<EventLineResult> results;
    LineBatch batch;
    LineBatch proofBatch;
    for (;;) {
        // After the first batch, next() returns the one task 0 below prefetched.
        if (Status status = eventReader.next(batch, eventLinesPerBatch, kEventBatchBytes); !status)
            return status.error();
        if (proofReader) {
            if (batch.size() > 0) {
                if (Status status = proofReader->next(proofBatch, batch.size(), SIZE_MAX); !status)
                    return status.error();
            } else {
                proofBatch = LineBatch{};
            }
        }
        const size_t count = batch.size();
        results.assign(count, EventLineResult{});
        // Task 0 reads the next batch, task 1 (and 2) hash this one, the rest check lines.
        const bool more = count > 0 && !batch.error;
        const size_t fixedTasks = proofReader ? 3 : 2;
        parallelFor(taskCount(count, kLinesPerTask, fixedTasks), [&](size_t task, int worker) {
            if (task == 0) {
                if (more)
                    eventReader.prefetch(eventLinesPerBatch, kEventBatchBytes);
                return;
            }
            if (task == 1) {
                eventReader.hash(batch);
                return;
            }
            if (task < fixedTasks) {
                proofReader->hash(proofBatch);
                return;
            }
            const size_t piece = task - fixedTasks;
            const size_t end = std::min(count, (piece + 1) * kLinesPerTask);
            for (size_t i = piece * kLinesPerTask; i < end; ++i) {
                std::optional<std::string_view> proofLine;
                if (proofReader && i < proofBatch.size())
                    proofLine = proofBatch.lines[i];
                checkEventLine(context, batch.lines[i], proofLine, scratch[size_t(worker)],
                               results[i]);
            }
        });

        // In file order: the first failure is the one reported.
        for (size_t i = 0; i < count; ++i) {
            const EventLineResult &result = results[i];
            const std::string_view line = batch.lines[i];
            const auto lineWhere = [&] { return eventReader.where(batch.firstLine + i); };
            if (report.eventCount >= treeSize)
                return invalid(
                    lineWhere() +
                    QStringLiteral(": more events than the signed tree size %1").arg(treeSize));
            if (!result.parsed) {
                Result<AuditEvent> event = eventFromJson(viewOf(line));
                if (!event)
                    return event.error().context(lineWhere());
                // eventFromJson validated it, so this fails the same way the task's call did.
                Result<Hash> leaf = leafHashOf(*event);
                return (leaf ? makeError(ErrorCode::Internal,
                                         QStringLiteral("the event was accepted on a second "
                                                        "reading"))
                             : leaf.error())
                    .context(sequenceWhere(lineWhere(), event->sequence));
            }
            const uint64_t sequence = result.sequence;
            const auto where = [&] { return sequenceWhere(lineWhere(), sequence); };
            if (sequence >= treeSize)
                return invalid(where() +
                               QStringLiteral(": beyond the signed tree (size %1)").arg(treeSize));
            if (previous && sequence <= *previous)
                return invalid(where() + QStringLiteral(": not after the previous event's "
                                                        "sequence %1 (reordered or duplicated)")
                                             .arg(*previous));
            if (report.complete && sequence != expected) {
                if (sequence < expected) {
                    // Only a purged range skipped over can hold it.
                    const auto after = std::upper_bound(
                        report.purged.begin(), report.purged.end(), sequence,
                        [](uint64_t s, const PurgedRange &r) { return s < r.firstSequence; });
                    const auto index = size_t(after - report.purged.begin()) - 1;
                    return invalid(where() + QStringLiteral(": inside ") +
                                   purgedWhere(report.purged[index], index) +
                                   QStringLiteral("; a purged event cannot be in the bundle"));
                }
                if (!previous)
                    return invalid(where() +
                                   QStringLiteral(": a complete bundle starts at sequence %1; "
                                                  "events %1..%2 are missing")
                                       .arg(expected)
                                       .arg(missingUntil(sequence)));
                return invalid(where() +
                               QStringLiteral(": expected sequence %1; events %1..%2 are missing")
                                   .arg(expected)
                                   .arg(missingUntil(sequence)));
            }
            if (!report.complete && contiguous && previous && sequence != *previous + 1)
                return invalid(where() +
                               QStringLiteral(": expected sequence %1; events %1..%2 are missing")
                                   .arg(*previous + 1)
                                   .arg(sequence - 1));
            if (!result.tenantMatches) {
                Result<AuditEvent> event = eventFromJson(viewOf(line));
                return invalid(where() +
                               QStringLiteral(": tenant '%1' is outside the bundle's "
                                              "tenant filter '%2'")
                                   .arg(event ? event->tenant : QString(), *report.filter.tenant));
            }
            if (timeFiltered && (result.timeMs < fromMs || (toBounded && result.timeMs >= toMs)))
                return invalid(where() +
                               QStringLiteral(": time %1 is outside the bundle's time filter")
                                   .arg(auditTimeToString(
                                       QDateTime::fromMSecsSinceEpoch(result.timeMs, Qt::UTC))));
            if (report.complete) {
                if (!result.leafMatches)
                    return invalid(where() + QStringLiteral(": does not match leaf %1 of the "
                                                            "signed tree (the event was altered)")
                                                 .arg(sequence));
            } else if (!result.inclusionOk) {
                if (i >= proofBatch.size()) {
                    if (proofBatch.error)
                        return *proofBatch.error;
                    return invalid(where() + QStringLiteral(": no inclusion proof (proofs.jsonl "
                                                            "ends after line %1)")
                                                 .arg(proofReader->linesRead()));
                }
                const QString proofWhere = proofReader->where(proofBatch.firstLine + i);
                Result<AuditEvent> event = eventFromJson(viewOf(line));
                Result<Hash> leaf = event ? leafHashOf(*event) : Result<Hash>(event.error());
                if (!leaf)
                    return leaf.error().context(where());
                Result<QJsonObject> object = parseJsonObject(viewOf(proofBatch.lines[i]));
                if (!object)
                    return object.error().context(proofWhere);
                if (Status status =
                        requireExactKeys(*object, {"sequence", "leafIndex", "treeSize", "proof"});
                    !status)
                    return status.error().context(proofWhere);
                Result<uint64_t> proofSequence = uintField(*object, "sequence", kMaxSequence);
                if (!proofSequence)
                    return proofSequence.error().context(proofWhere);
                if (*proofSequence != sequence)
                    return invalid(where() + QStringLiteral(": %1 is the proof of sequence %2, "
                                                            "not of this event (an event was "
                                                            "deleted, inserted or moved)")
                                                 .arg(proofWhere)
                                                 .arg(*proofSequence));
                Result<uint64_t> leafIndex = uintField(*object, "leafIndex", kMaxSequence);
                Result<uint64_t> proofTreeSize = uintField(*object, "treeSize", kMaxTreeSize);
                if (!leafIndex || *leafIndex != sequence)
                    return invalid(proofWhere +
                                   QStringLiteral(": leafIndex must equal the sequence"));
                if (!proofTreeSize || *proofTreeSize != treeSize)
                    return invalid(
                        proofWhere +
                        QStringLiteral(": treeSize must be the final head's %1").arg(treeSize));
                Result<std::vector<Hash>> proof = hashListField(*object, "proof");
                if (!proof)
                    return proof.error().context(proofWhere);
                if (Status status =
                        verifyInclusion(*leaf, sequence, treeSize, *proof, finalHead.rootHash);
                    !status)
                    return invalid(where() + QStringLiteral(": inclusion proof does not match the "
                                                            "signed tree head (size %1): %2 (%3)")
                                                 .arg(treeSize)
                                                 .arg(status.error().message, proofWhere));
                // The slow path found nothing wrong: the fast proof parser left this line out.
            }
            // A purge record declared in the manifest: it must say exactly what was purged.
            while (nextRecord < records.size() && records[nextRecord].first < sequence)
                ++nextRecord;
            if (nextRecord < records.size() && records[nextRecord].first == sequence) {
                const size_t index = records[nextRecord].second;
                const PurgedRange &range = report.purged[index];
                Result<AuditEvent> event = eventFromJson(viewOf(line));
                if (!event)
                    return event.error().context(where());
                if (Status status = checkPurgeRecord(*event, range, purgedRoots[index]); !status)
                    return invalid(where() + QStringLiteral(": not the purge record of ") +
                                   purgedWhere(range, index) + QStringLiteral(": ") +
                                   status.error().message);
            }
            firstMs = std::min(firstMs, result.timeMs);
            lastMs = std::max(lastMs, result.timeMs);
            if (!report.firstSequence)
                report.firstSequence = sequence;
            report.lastSequence = sequence;
            previous = sequence;
            ++report.eventCount;
            expected = sequence + 1;
            skipPurged();
        }
        if (batch.error)
            return *batch.error;
        if (count == 0)
            break;
    }
    if (report.eventCount > 0) {
        report.firstTime = QDateTime::fromMSecsSinceEpoch(firstMs, Qt::UTC);
        report.lastTime = QDateTime::fromMSecsSinceEpoch(lastMs, Qt::UTC);
    }
    if (report.complete && expected != treeSize)
        return invalid(kEvents + QStringLiteral(" ends after line %1: events %2..%3 of the signed "
                                                "tree (size %4) are missing")
                                     .arg(eventReader.linesRead())
                                     .arg(expected)
                                     .arg(missingUntil(treeSize))
                                     .arg(treeSize));
    if (proofReader) {
        std::string_view extraLine;
        Result<bool> extra = proofReader->nextLine(extraLine);
        if (!extra)
            return extra.error();
        if (*extra)
            return invalid(proofReader->where() +
                           QStringLiteral(": has no event (events.jsonl ends after line %1; "
                                          "events were removed from the end)")
                               .arg(eventReader.linesRead()));
    }

    // 7. The manifest's claims and file hashes.
    if (report.eventCount != *eventCountField)
        return invalid(kManifest + QStringLiteral(": eventCount is %1, but events.jsonl holds %2")
                                       .arg(*eventCountField)
                                       .arg(report.eventCount));
    if (report.firstSequence != manifestFirst || report.lastSequence != manifestLast)
        return invalid(kManifest + QStringLiteral(": firstSequence/lastSequence do not match "
                                                  "events.jsonl"));
    const auto checkFile = [&](const QString &name, const QByteArray &sha, qint64 size) -> Status {
        const auto &[expectedSha, expectedSize] = fileEntries.at(name);
        if (sha != expectedSha || size != expectedSize)
            return invalid(kManifest + QStringLiteral(": %1 does not match its SHA-256 or size "
                                                      "(the file was changed after export)")
                                           .arg(name));
        return {};
    };
    for (BundleLineFile *reader : {&eventReader, &headReader, &consistencyReader,
                                   report.complete ? &*leavesReader : &*proofReader}) {
        if (Status status = reader->drain(); !status)
            return status.error();
        if (Status status = checkFile(reader->name(), reader->sha256(), reader->size()); !status)
            return status.error();
    }
    if (Status status = checkFile(
            kPublicKey, QCryptographicHash::hash(*pem, QCryptographicHash::Sha256), pem->size());
        !status)
        return status.error();
    return report;
}

} // namespace upcoach::compliance
