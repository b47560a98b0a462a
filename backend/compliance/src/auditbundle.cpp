#include "upcoach/compliance/auditbundle.h"

#include "strictjson.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QSet>
#include <algorithm>
#include <bit>
#include <limits>
#include <map>

namespace upcoach::compliance {

namespace {

const QString kManifest = QStringLiteral("manifest.json");
const QString kEvents = QStringLiteral("events.jsonl");
const QString kTreeHeads = QStringLiteral("tree-heads.jsonl");
const QString kConsistency = QStringLiteral("consistency.jsonl");
const QString kProofs = QStringLiteral("proofs.jsonl");
const QString kLeaves = QStringLiteral("leaves.txt");
const QString kPublicKey = QStringLiteral("public-key.pem");
const QString kFormatName = QStringLiteral("upcoach-audit-bundle");

constexpr qint64 kMaxManifestBytes = 1024 * 1024;
constexpr qint64 kMaxPemBytes = 16 * 1024;
constexpr qsizetype kMaxTreeHeadLineBytes = 4 * 1024;
constexpr qsizetype kMaxProofLineBytes = 16 * 1024;
constexpr qsizetype kMaxLeafLineBytes = 64;
constexpr qsizetype kMaxProofHashes = 128; // a valid proof has at most 2 * 64
constexpr uint64_t kMaxTreeHeads = 10'000'000;
constexpr uint64_t kMaxTreeSize = uint64_t(1) << 40;

// SubjectPublicKeyInfo DER of an Ed25519 key is this prefix + the 32 raw bytes (RFC 8410).
const QByteArray kEd25519SpkiPrefix = QByteArray::fromHex("302a300506032b6570032100");

Error invalid(const QString &message)
{
    return makeError(ErrorCode::InvalidInput, message);
}

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
        , m_hash(QCryptographicHash::Sha256)
    {}
    Status open()
    {
        if (!m_file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            return makeError(ErrorCode::Unavailable,
                             m_name +
                                 QStringLiteral(": cannot create (%1)").arg(m_file.errorString()));
        return {};
    }
    Status write(const QByteArray &bytes)
    {
        if (m_file.write(bytes) != bytes.size())
            return makeError(ErrorCode::Unavailable,
                             m_name +
                                 QStringLiteral(": write failed (%1)").arg(m_file.errorString()));
        m_hash.addData(bytes);
        m_size += bytes.size();
        return {};
    }
    Status writeLine(const QJsonObject &object)
    {
        return write(QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n');
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
    QJsonObject entry() const
    {
        return QJsonObject{{QStringLiteral("sha256"), hexOf(m_hash.result())},
                           {QStringLiteral("size"), m_size}};
    }
    const QString &name() const { return m_name; }

private:
    QString m_name;
    QFile m_file;
    QCryptographicHash m_hash;
    qint64 m_size = 0;
};

// Reads a bundle file line by line with a cap on each line, hashing everything it reads.
class LineReader
{
public:
    LineReader(const QString &dir, const QString &name, qsizetype maxLine)
        : m_name(name)
        , m_file(QDir(dir).filePath(name))
        , m_hash(QCryptographicHash::Sha256)
        , m_maxLine(maxLine)
    {}
    Status open()
    {
        if (!m_file.exists())
            return makeError(ErrorCode::NotFound, m_name + QStringLiteral(": missing"));
        if (!m_file.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::Unavailable,
                             m_name +
                                 QStringLiteral(": cannot read (%1)").arg(m_file.errorString()));
        m_buffer.resize(m_maxLine + 2);
        return {};
    }
    // true with the line (without '\n') in `line`; false at the end of the file.
    Result<bool> next(QByteArray &line)
    {
        if (m_file.atEnd())
            return false;
        const qint64 read = m_file.readLine(m_buffer.data(), m_buffer.size());
        if (read <= 0)
            return makeError(ErrorCode::Unavailable,
                             m_name +
                                 QStringLiteral(": read failed (%1)").arg(m_file.errorString()));
        ++m_lineNumber;
        m_hash.addData(QByteArrayView(m_buffer.constData(), read));
        m_size += read;
        if (m_buffer.at(read - 1) != '\n') {
            if (read > m_maxLine)
                return invalid(where() + QStringLiteral(": longer than %1 bytes").arg(m_maxLine));
            return invalid(where() + QStringLiteral(": no newline at the end (file truncated?)"));
        }
        if (read == 1)
            return invalid(where() + QStringLiteral(": empty line"));
        line = QByteArray(m_buffer.constData(), read - 1);
        return true;
    }
    // Reads (and hashes) the rest of the file without interpreting it.
    Status drain()
    {
        QByteArray line;
        for (;;) {
            Result<bool> more = next(line);
            if (!more)
                return more.error();
            if (!*more)
                return {};
        }
    }
    QString where() const { return m_name + QStringLiteral(" line %1").arg(m_lineNumber); }
    int lineNumber() const { return m_lineNumber; }
    QByteArray sha256() const { return m_hash.result(); }
    qint64 size() const { return m_size; }
    const QString &name() const { return m_name; }

private:
    QString m_name;
    QFile m_file;
    QCryptographicHash m_hash;
    qsizetype m_maxLine;
    QByteArray m_buffer;
    int m_lineNumber = 0;
    qint64 m_size = 0;
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

// --- strict JSON accessors -------------------------------------------------------------

Status requireExactKeys(const QJsonObject &object, std::initializer_list<const char *> names)
{
    for (const char *name : names)
        if (!object.contains(QLatin1String(name)))
            return invalid(QLatin1String(name) + QStringLiteral(": missing"));
    if (object.size() != qsizetype(names.size())) {
        for (auto it = object.begin(); it != object.end(); ++it)
            if (std::none_of(names.begin(), names.end(),
                             [&](const char *name) { return it.key() == QLatin1String(name); }))
                return invalid(QStringLiteral("unknown field '%1'").arg(it.key().left(64)));
    }
    return {};
}

Result<uint64_t> uintField(const QJsonObject &object, const char *name, uint64_t max)
{
    const QJsonValue value = object.value(QLatin1String(name));
    constexpr qint64 notWhole = std::numeric_limits<qint64>::min();
    const qint64 number = value.isDouble() ? value.toInteger(notWhole) : notWhole;
    if (number < 0 || uint64_t(number) > max)
        return invalid(QLatin1String(name) + QStringLiteral(": not an integer in 0..%1").arg(max));
    return uint64_t(number);
}

Result<QString> stringField(const QJsonObject &object, const char *name)
{
    const QJsonValue value = object.value(QLatin1String(name));
    if (!value.isString())
        return invalid(QLatin1String(name) + QStringLiteral(": not a string"));
    return value.toString();
}

Result<QDateTime> optionalTimeField(const QJsonObject &object, const char *name)
{
    const QJsonValue value = object.value(QLatin1String(name));
    if (value.isNull())
        return QDateTime();
    if (!value.isString())
        return invalid(QLatin1String(name) + QStringLiteral(": not a time or null"));
    Result<QDateTime> time = auditTimeFromString(value.toString());
    if (!time)
        return time.error().context(QLatin1String(name));
    return time;
}

Result<Hash> hashField(const QJsonObject &object, const char *name)
{
    Result<QString> text = stringField(object, name);
    if (!text)
        return text.error();
    Result<Hash> hash = hashFromHex(*text);
    if (!hash)
        return invalid(QLatin1String(name) + QStringLiteral(": not 64 hex digits"));
    return hash;
}

Result<std::vector<Hash>> hashListField(const QJsonObject &object, const char *name)
{
    const QJsonValue value = object.value(QLatin1String(name));
    if (!value.isArray())
        return invalid(QLatin1String(name) + QStringLiteral(": not an array"));
    const QJsonArray array = value.toArray();
    if (array.size() > kMaxProofHashes)
        return invalid(QLatin1String(name) +
                       QStringLiteral(": more than %1 hashes").arg(kMaxProofHashes));
    std::vector<Hash> hashes;
    hashes.reserve(size_t(array.size()));
    for (qsizetype i = 0; i < array.size(); ++i) {
        Result<Hash> hash = array.at(i).isString() ? hashFromHex(array.at(i).toString())
                                                   : Result<Hash>(invalid(QString()));
        if (!hash)
            return invalid(QLatin1String(name) + QStringLiteral("[%1]: not 64 hex digits").arg(i));
        hashes.push_back(*hash);
    }
    return hashes;
}

Result<QByteArray> base64Field(const QJsonObject &object, const char *name, qsizetype size)
{
    Result<QString> text = stringField(object, name);
    if (!text)
        return text.error();
    auto decoded =
        QByteArray::fromBase64Encoding(text->toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != size ||
        decoded.decoded.toBase64() != text->toLatin1())
        return invalid(QLatin1String(name) + QStringLiteral(": not %1 bytes of base64").arg(size));
    return decoded.decoded;
}

// --- proofs ----------------------------------------------------------------------------

uint64_t largestPowerOfTwoBelow(uint64_t n)
{
    return std::bit_floor(n - 1);
}

// MTH(D[offset:offset+leaves.size()]) with the siblings of every leaf in `indices` (absolute,
// sorted) appended to proofs[firstProof + i], deepest first — RFC 9162 PATH for many leaves.
Hash collectProofs(std::span<const Hash> leaves, uint64_t offset, std::span<const uint64_t> indices,
                   std::vector<std::vector<Hash>> &proofs, size_t firstProof)
{
    if (indices.empty())
        return rootOf(leaves);
    if (leaves.size() == 1)
        return leaves.front();
    const uint64_t split = largestPowerOfTwoBelow(leaves.size());
    const auto middle = std::lower_bound(indices.begin(), indices.end(), offset + split);
    const size_t leftCount = size_t(middle - indices.begin());
    const Hash left =
        collectProofs(leaves.first(split), offset, indices.first(leftCount), proofs, firstProof);
    const Hash right = collectProofs(leaves.subspan(split), offset + split,
                                     indices.subspan(leftCount), proofs, firstProof + leftCount);
    for (size_t i = 0; i < indices.size(); ++i)
        proofs[firstProof + i].push_back(i < leftCount ? right : left);
    return nodeHash(left, right);
}

// --- verification helpers --------------------------------------------------------------

struct VerifiedHead
{
    SignedTreeHead signedHead;
    int line = 0;
};

QString sequenceWhere(const LineReader &reader, uint64_t sequence)
{
    return reader.where() + QStringLiteral(" (sequence %1)").arg(sequence);
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

Result<std::vector<std::vector<Hash>>> inclusionProofs(std::span<const Hash> leafHashes,
                                                       std::span<const uint64_t> indices)
{
    for (size_t i = 0; i < indices.size(); ++i) {
        if (indices[i] >= leafHashes.size())
            return invalid(QStringLiteral("index out of range"));
        if (i > 0 && indices[i] <= indices[i - 1])
            return invalid(QStringLiteral("indices not strictly increasing"));
    }
    std::vector<std::vector<Hash>> proofs(indices.size());
    if (!indices.empty())
        collectProofs(leafHashes, 0, indices, proofs, 0);
    return proofs;
}

Status writeBundle(const QString &dir, const BundleInput &input)
{
    if (input.publicKeyRaw.size() != kEd25519PublicKeySize)
        return invalid(QStringLiteral("public key: not %1 bytes").arg(kEd25519PublicKeySize));
    if (input.treeHeads.empty())
        return invalid(QStringLiteral("tree heads: at least one signed tree head is needed"));
    std::vector<Hash> computed;
    std::span<const Hash> leaves = input.leafHashes;
    if (leaves.empty()) {
        computed.reserve(input.events.size());
        for (size_t i = 0; i < input.events.size(); ++i) {
            if (input.events[i].sequence != i)
                return invalid(QStringLiteral("events: without leafHashes the events must be the "
                                              "whole log; sequence %1 is at position %2")
                                   .arg(input.events[i].sequence)
                                   .arg(i));
            Result<Hash> leaf = leafHashOf(input.events[i]);
            if (!leaf)
                return leaf.error().context(QStringLiteral("event %1").arg(i));
            computed.push_back(*leaf);
        }
        leaves = computed;
    }

    // The heads: increasing, signed by this key, over these leaves.
    uint64_t previousSize = 0;
    for (size_t i = 0; i < input.treeHeads.size(); ++i) {
        const SignedTreeHead &signedHead = input.treeHeads[i];
        const TreeHead &head = signedHead.head;
        const QString where = QStringLiteral("tree head %1 (size %2)").arg(i).arg(head.treeSize);
        if (i > 0 && head.treeSize <= previousSize)
            return invalid(where + QStringLiteral(": sizes must increase"));
        previousSize = head.treeSize;
        if (head.treeSize > leaves.size())
            return invalid(where +
                           QStringLiteral(": larger than the %1 leaves given").arg(leaves.size()));
        if (Status status = verifyTreeHead(head, signedHead.signature, input.publicKeyRaw); !status)
            return status.error().context(where);
        if (rootOf(leaves.first(head.treeSize)) != head.rootHash)
            return invalid(where + QStringLiteral(": root does not match the leaves"));
    }
    const TreeHead &finalHead = input.treeHeads.back().head;
    const uint64_t treeSize = finalHead.treeSize;
    const bool complete = input.filter.isEmpty();

    std::vector<const AuditEvent *> selected;
    std::vector<uint64_t> sequences;
    for (const AuditEvent &event : input.events) {
        if (event.sequence >= treeSize || !input.filter.matches(event))
            continue;
        if (!sequences.empty() && event.sequence <= sequences.back())
            return invalid(QStringLiteral("events: sequence %1 is not after %2")
                               .arg(event.sequence)
                               .arg(sequences.back()));
        Result<Hash> leaf = leafHashOf(event);
        if (!leaf)
            return leaf.error().context(QStringLiteral("event sequence %1").arg(event.sequence));
        if (*leaf != leaves[event.sequence])
            return invalid(QStringLiteral("event sequence %1: leaf hash differs from the log's")
                               .arg(event.sequence));
        selected.push_back(&event);
        sequences.push_back(event.sequence);
    }
    if (complete && sequences.size() != treeSize)
        return invalid(QStringLiteral("events: a bundle without filter needs all %1 events of the "
                                      "signed tree, got %2")
                           .arg(treeSize)
                           .arg(sequences.size()));

    if (!QDir().mkpath(dir))
        return makeError(ErrorCode::Unavailable, QStringLiteral("cannot create %1").arg(dir));
    if (QFileInfo::exists(QDir(dir).filePath(kManifest)))
        return makeError(ErrorCode::Conflict, QStringLiteral("%1 already holds a bundle").arg(dir));

    std::vector<HashedWriter *> written;
    HashedWriter events(dir, kEvents);
    HashedWriter heads(dir, kTreeHeads);
    HashedWriter consistency(dir, kConsistency);
    HashedWriter proofsOrLeaves(dir, complete ? kLeaves : kProofs);
    HashedWriter publicKey(dir, kPublicKey);
    for (HashedWriter *writer : {&events, &heads, &consistency, &proofsOrLeaves, &publicKey}) {
        if (Status status = writer->open(); !status)
            return status;
        written.push_back(writer);
    }

    for (const AuditEvent *event : selected) {
        Result<QByteArray> line = eventToJson(*event);
        if (!line)
            return line.error().context(QStringLiteral("event sequence %1").arg(event->sequence));
        if (Status status = events.write(*line + '\n'); !status)
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
        Result<std::vector<Hash>> proof = consistencyProof(leaves.first(toSize), fromSize);
        if (!proof)
            return proof.error();
        const QJsonObject object{{QStringLiteral("fromSize"), qint64(fromSize)},
                                 {QStringLiteral("toSize"), qint64(toSize)},
                                 {QStringLiteral("proof"), hashArray(*proof)}};
        if (Status status = consistency.writeLine(object); !status)
            return status;
    }
    if (complete) {
        for (uint64_t i = 0; i < treeSize; ++i)
            if (Status status = proofsOrLeaves.write(toHex(leaves[i]).toLatin1() + '\n'); !status)
                return status;
    } else {
        Result<std::vector<std::vector<Hash>>> proofs =
            inclusionProofs(leaves.first(treeSize), sequences);
        if (!proofs)
            return proofs.error();
        for (size_t i = 0; i < sequences.size(); ++i) {
            const QJsonObject object{{QStringLiteral("sequence"), qint64(sequences[i])},
                                     {QStringLiteral("leafIndex"), qint64(sequences[i])},
                                     {QStringLiteral("treeSize"), qint64(treeSize)},
                                     {QStringLiteral("proof"), hashArray((*proofs)[i])}};
            if (Status status = proofsOrLeaves.writeLine(object); !status)
                return status;
        }
    }
    if (Status status = publicKey.write(publicKeyPemOf(input.publicKeyRaw)); !status)
        return status;

    QJsonObject files;
    for (HashedWriter *writer : written) {
        if (Status status = writer->close(); !status)
            return status;
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
        {QStringLiteral("files"), files}};
    HashedWriter manifestWriter(dir, kManifest);
    if (Status status = manifestWriter.open(); !status)
        return status;
    if (Status status =
            manifestWriter.write(QJsonDocument(manifest).toJson(QJsonDocument::Indented));
        !status)
        return status;
    return manifestWriter.close();
}

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
    if (Status status = requireExactKeys(
            manifest, {"format", "version", "created", "complete", "filter", "eventCount",
                       "firstSequence", "lastSequence", "treeSize", "publicKey", "files"});
        !status)
        return manifestError(status.error());
    if (manifest.value(QLatin1String("format")).toString() != kFormatName)
        return invalid(kManifest + QStringLiteral(": format: not %1").arg(kFormatName));
    if (manifest.value(QLatin1String("version")).toInteger(-1) != kBundleFormatVersion)
        return invalid(
            kManifest +
            QStringLiteral(": version: only version %1 is supported").arg(kBundleFormatVersion));
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

    // 3. Signed tree heads.
    std::vector<VerifiedHead> heads;
    LineReader headReader(dir, kTreeHeads, kMaxTreeHeadLineBytes);
    if (Status status = headReader.open(); !status)
        return status.error();
    QByteArray line;
    for (;;) {
        Result<bool> more = headReader.next(line);
        if (!more)
            return more.error();
        if (!*more)
            break;
        if (heads.size() >= kMaxTreeHeads)
            return invalid(headReader.where() +
                           QStringLiteral(": more than %1 tree heads").arg(kMaxTreeHeads));
        Result<QJsonObject> object = parseJsonObject(line);
        if (!object)
            return object.error().context(headReader.where());
        if (Status status =
                requireExactKeys(*object, {"treeSize", "timestamp", "rootHash", "signature"});
            !status)
            return status.error().context(headReader.where());
        Result<uint64_t> size = uintField(*object, "treeSize", kMaxTreeSize);
        if (!size)
            return size.error().context(headReader.where());
        const QString where = headReader.where() + QStringLiteral(" (treeSize %1)").arg(*size);
        Result<QDateTime> timestamp = optionalTimeField(*object, "timestamp");
        if (!timestamp || !timestamp->isValid())
            return invalid(where + QStringLiteral(": timestamp: not a time"));
        Result<Hash> root = hashField(*object, "rootHash");
        if (!root)
            return root.error().context(where);
        Result<QByteArray> signature = base64Field(*object, "signature", kEd25519SignatureSize);
        if (!signature)
            return signature.error().context(where);
        SignedTreeHead signedHead{TreeHead{*size, *timestamp, *root}, *signature};
        if (Status status = verifyTreeHead(signedHead.head, signedHead.signature, publicKeyRaw);
            !status)
            return status.error().context(where);
        if (!heads.empty() && *size <= heads.back().signedHead.head.treeSize)
            return invalid(where + QStringLiteral(": tree sizes must increase (previous %1)")
                                       .arg(heads.back().signedHead.head.treeSize));
        if (!heads.empty() && *timestamp < heads.back().signedHead.head.timestamp)
            return invalid(where + QStringLiteral(": timestamp earlier than the previous head's"));
        heads.push_back({signedHead, headReader.lineNumber()});
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

    // 4. Consistency between consecutive heads.
    LineReader consistencyReader(dir, kConsistency, kMaxProofLineBytes);
    if (Status status = consistencyReader.open(); !status)
        return status.error();
    for (size_t i = 1;; ++i) {
        Result<bool> more = consistencyReader.next(line);
        if (!more)
            return more.error();
        if (!*more) {
            if (i < heads.size())
                return invalid(kConsistency + QStringLiteral(": no proof between tree sizes %1 and "
                                                             "%2 (expected at line %3)")
                                                  .arg(heads[i - 1].signedHead.head.treeSize)
                                                  .arg(heads[i].signedHead.head.treeSize)
                                                  .arg(i));
            break;
        }
        const QString where = consistencyReader.where();
        if (i >= heads.size())
            return invalid(where + QStringLiteral(": more proofs than consecutive tree heads"));
        const TreeHead &older = heads[i - 1].signedHead.head;
        const TreeHead &newer = heads[i].signedHead.head;
        Result<QJsonObject> object = parseJsonObject(line);
        if (!object)
            return object.error().context(where);
        if (Status status = requireExactKeys(*object, {"fromSize", "toSize", "proof"}); !status)
            return status.error().context(where);
        Result<uint64_t> fromSize = uintField(*object, "fromSize", kMaxTreeSize);
        Result<uint64_t> toSize = uintField(*object, "toSize", kMaxTreeSize);
        if (!fromSize || !toSize || *fromSize != older.treeSize || *toSize != newer.treeSize)
            return invalid(where + QStringLiteral(": must prove tree size %1 -> %2")
                                       .arg(older.treeSize)
                                       .arg(newer.treeSize));
        Result<std::vector<Hash>> proof = hashListField(*object, "proof");
        if (!proof)
            return proof.error().context(where);
        if (Status status = verifyConsistency(older.treeSize, newer.treeSize, older.rootHash,
                                              newer.rootHash, *proof);
            !status)
            return status.error().context(
                where + QStringLiteral(" (%1 -> %2): the signed tree heads are not consistent")
                            .arg(older.treeSize)
                            .arg(newer.treeSize));
    }

    // 5. A complete bundle's leaf list, authenticated segment by segment by the signed heads.
    std::vector<Hash> leaves;
    std::optional<LineReader> leavesReader;
    if (report.complete) {
        leavesReader.emplace(dir, kLeaves, kMaxLeafLineBytes);
        if (Status status = leavesReader->open(); !status)
            return status.error();
        leaves.reserve(size_t(std::min<uint64_t>(treeSize, 1 << 20)));
        MerkleTree tree;
        size_t nextHead = 0;
        uint64_t segmentStart = 1;
        for (;;) {
            Result<bool> more = leavesReader->next(line);
            if (!more)
                return more.error();
            if (!*more)
                break;
            if (leaves.size() >= treeSize)
                return invalid(
                    leavesReader->where() +
                    QStringLiteral(": more leaves than the signed tree size %1").arg(treeSize));
            Result<Hash> leaf = hashFromHex(QString::fromLatin1(line));
            if (!leaf)
                return invalid(leavesReader->where() + QStringLiteral(": not 64 hex digits"));
            leaves.push_back(*leaf);
            tree.append(*leaf);
            while (nextHead < heads.size() &&
                   heads[nextHead].signedHead.head.treeSize == tree.size()) {
                if (tree.root() != heads[nextHead].signedHead.head.rootHash)
                    return invalid(kLeaves +
                                   QStringLiteral(" lines %1..%2: do not match the signed "
                                                  "tree head of size %3 (tree-heads.jsonl "
                                                  "line %4)")
                                       .arg(segmentStart)
                                       .arg(tree.size())
                                       .arg(tree.size())
                                       .arg(heads[nextHead].line));
                segmentStart = tree.size() + 1;
                ++nextHead;
            }
        }
        if (leaves.size() != treeSize)
            return invalid(kLeaves + QStringLiteral(": %1 leaves, but the signed tree has %2")
                                         .arg(leaves.size())
                                         .arg(treeSize));
    }

    // 6. The events, each against the authenticated leaves or its inclusion proof.
    LineReader eventReader(dir, kEvents, kMaxEventLineBytes);
    if (Status status = eventReader.open(); !status)
        return status.error();
    std::optional<LineReader> proofReader;
    if (!report.complete) {
        proofReader.emplace(dir, kProofs, kMaxProofLineBytes);
        if (Status status = proofReader->open(); !status)
            return status.error();
    }
    const bool contiguous = !report.filter.tenant; // no tenant filter: no event may be skipped
    std::optional<uint64_t> previous;
    QByteArray proofLine;
    for (;;) {
        Result<bool> more = eventReader.next(line);
        if (!more)
            return more.error();
        if (!*more)
            break;
        if (report.eventCount >= treeSize)
            return invalid(
                eventReader.where() +
                QStringLiteral(": more events than the signed tree size %1").arg(treeSize));
        Result<AuditEvent> event = eventFromJson(line);
        if (!event)
            return event.error().context(eventReader.where());
        const uint64_t sequence = event->sequence;
        const QString where = sequenceWhere(eventReader, sequence);
        if (sequence >= treeSize)
            return invalid(where +
                           QStringLiteral(": beyond the signed tree (size %1)").arg(treeSize));
        if (previous && sequence <= *previous)
            return invalid(where + QStringLiteral(": not after the previous event's sequence %1 "
                                                  "(reordered or duplicated)")
                                       .arg(*previous));
        if (report.complete && !previous && sequence != 0)
            return invalid(where + QStringLiteral(": a complete bundle starts at sequence 0; "
                                                  "events 0..%1 are missing")
                                       .arg(sequence - 1));
        if (contiguous && previous && sequence != *previous + 1)
            return invalid(where +
                           QStringLiteral(": expected sequence %1; events %1..%2 are missing")
                               .arg(*previous + 1)
                               .arg(sequence - 1));
        if (report.filter.tenant && event->tenant != *report.filter.tenant)
            return invalid(where + QStringLiteral(": tenant '%1' is outside the bundle's tenant "
                                                  "filter '%2'")
                                       .arg(event->tenant, *report.filter.tenant));
        if (!report.filter.matches(*event))
            return invalid(where + QStringLiteral(": time %1 is outside the bundle's time filter")
                                       .arg(auditTimeToString(event->time)));
        Result<Hash> leaf = leafHashOf(*event);
        if (!leaf)
            return leaf.error().context(where);
        if (report.complete) {
            if (*leaf != leaves[sequence])
                return invalid(where + QStringLiteral(": does not match leaf %1 of the signed tree "
                                                      "(the event was altered)")
                                           .arg(sequence));
        } else {
            Result<bool> haveProof = proofReader->next(proofLine);
            if (!haveProof)
                return haveProof.error();
            if (!*haveProof)
                return invalid(where + QStringLiteral(": no inclusion proof (proofs.jsonl ends "
                                                      "after line %1)")
                                           .arg(proofReader->lineNumber()));
            const QString proofWhere = proofReader->where();
            Result<QJsonObject> object = parseJsonObject(proofLine);
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
                return invalid(where + QStringLiteral(": %1 is the proof of sequence %2, not of "
                                                      "this event (an event was deleted, inserted "
                                                      "or moved)")
                                           .arg(proofWhere)
                                           .arg(*proofSequence));
            Result<uint64_t> leafIndex = uintField(*object, "leafIndex", kMaxSequence);
            Result<uint64_t> proofTreeSize = uintField(*object, "treeSize", kMaxTreeSize);
            if (!leafIndex || *leafIndex != sequence)
                return invalid(proofWhere + QStringLiteral(": leafIndex must equal the sequence"));
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
                return invalid(where + QStringLiteral(": inclusion proof does not match the signed "
                                                      "tree head (size %1): %2 (%3)")
                                           .arg(treeSize)
                                           .arg(status.error().message, proofWhere));
        }
        if (!report.firstTime.isValid() || event->time < report.firstTime)
            report.firstTime = event->time;
        if (!report.lastTime.isValid() || report.lastTime < event->time)
            report.lastTime = event->time;
        if (!report.firstSequence)
            report.firstSequence = sequence;
        report.lastSequence = sequence;
        previous = sequence;
        ++report.eventCount;
    }
    if (report.complete && report.eventCount != treeSize)
        return invalid(kEvents + QStringLiteral(" ends after line %1: events %2..%3 of the signed "
                                                "tree (size %4) are missing")
                                     .arg(eventReader.lineNumber())
                                     .arg(report.eventCount)
                                     .arg(treeSize - 1)
                                     .arg(treeSize));
    if (proofReader) {
        Result<bool> extra = proofReader->next(proofLine);
        if (!extra)
            return extra.error();
        if (*extra)
            return invalid(proofReader->where() +
                           QStringLiteral(": has no event (events.jsonl ends after line %1; "
                                          "events were removed from the end)")
                               .arg(eventReader.lineNumber()));
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
    for (LineReader *reader : {&eventReader, &headReader, &consistencyReader,
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
