#include "upcoach/compliance/auditstore.h"

#include "upcoach/core/crypto.h"
#include "upcoach/core/ids.h"
#include "upcoach/core/logging.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QPromise>
#include <QSaveFile>
#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <pqxx/pqxx>
#include <thread>
#include <unordered_map>
#include <variant>

namespace upcoach::compliance {

namespace {

constexpr qint64 kMaxSigningKeyBytes = 16 * 1024;
// audit_segment_size() in the schema: a segment is the perfect subtree of level 12.
constexpr uint64_t kSegmentSize = 4096;

// The columns every event read selects, in AuditEvent order, plus the stored leaf hash.
const char *const kEventColumns =
    "sequence, id::text, floor(extract(epoch FROM occurred_at) * 1000)::bigint, actor, "
    "impersonator, tenant, action, target, outcome, source_ip, request_id, classification, "
    "details, encode(leaf_hash, 'hex')";

std::string hexOf(const Hash &hash)
{
    return toHex(hash).toStdString();
}

// A record as the writer needs it: its canonical tail (canonicalTail) and the same UTF-8 bytes
// as the text columns actor .. classification, details.
struct PreparedRecord
{
    QByteArray tail;
    std::array<std::string, 10> columns;
};

Result<PreparedRecord> prepareRecord(const AuditRecord &record)
{
    Result<QByteArray> tail = canonicalTailOf(record);
    if (!tail)
        return tail.error();
    PreparedRecord prepared;
    prepared.tail = std::move(tail.value());
    // The tail is ten fields, each a 4-byte big-endian length and its bytes.
    const char *at = prepared.tail.constData();
    for (std::string &column : prepared.columns) {
        const auto *length = reinterpret_cast<const unsigned char *>(at);
        const size_t size = (size_t(length[0]) << 24) | (size_t(length[1]) << 16) |
                            (size_t(length[2]) << 8) | size_t(length[3]);
        column.assign(at + 4, size);
        at += 4 + size;
    }
    return prepared;
}

std::string byteaLiteral(const Hash &hash)
{
    return "\\x" + hexOf(hash);
}

QString text(const pqxx::field &field)
{
    return QString::fromStdString(field.as<std::string>());
}

Result<Hash> hashField(const pqxx::field &field)
{
    return hashFromHex(text(field));
}

QByteArray byteaField(const pqxx::field &field)
{
    // Selected as encode(..., 'hex').
    return QByteArray::fromHex(QByteArray::fromStdString(field.as<std::string>()));
}

struct StoredEvent
{
    AuditEvent event;
    Hash storedLeaf{};
    QByteArray storedDetails; // the details text exactly as stored
};

Result<StoredEvent> eventFromRow(const pqxx::row &row)
{
    StoredEvent out;
    AuditEvent &e = out.event;
    e.sequence = row[0].as<uint64_t>();
    e.id = text(row[1]);
    e.time = QDateTime::fromMSecsSinceEpoch(row[2].as<qint64>(), Qt::UTC);
    e.actor = text(row[3]);
    e.impersonator = text(row[4]);
    e.tenant = text(row[5]);
    e.action = text(row[6]);
    e.target = text(row[7]);
    e.outcome = text(row[8]);
    e.sourceIp = text(row[9]);
    e.requestId = text(row[10]);
    e.classification = text(row[11]);
    out.storedDetails = QByteArray::fromStdString(row[12].as<std::string>());
    QJsonParseError parseError;
    const QJsonDocument details = QJsonDocument::fromJson(out.storedDetails, &parseError);
    if (parseError.error != QJsonParseError::NoError || !details.isObject())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("sequence %1: the stored details are not a JSON object")
                             .arg(e.sequence));
    e.details = details.object();
    auto leaf = hashField(row[13]);
    if (!leaf)
        return leaf.error();
    out.storedLeaf = leaf.value();
    return out;
}

// The signed tree heads of one key, in increasing size.
struct HeadRow
{
    SignedTreeHead head;
    QByteArray keyId;
};

std::vector<HeadRow> readHeads(pqxx::transaction_base &tx, const std::string &where = {})
{
    std::vector<HeadRow> heads;
    const pqxx::result rows =
        tx.exec("SELECT tree_size, floor(extract(epoch FROM signed_at) * 1000)::bigint, "
                "encode(root_hash, 'hex'), encode(signature, 'hex'), encode(key_id, 'hex') "
                "FROM audit_tree_heads " +
                where + " ORDER BY tree_size");
    heads.reserve(rows.size());
    for (const pqxx::row &row : rows) {
        HeadRow h;
        h.head.head.treeSize = row[0].as<uint64_t>();
        h.head.head.timestamp = QDateTime::fromMSecsSinceEpoch(row[1].as<qint64>(), Qt::UTC);
        h.head.head.rootHash = hashFromHex(text(row[2])).value();
        h.head.signature = byteaField(row[3]);
        h.keyId = byteaField(row[4]);
        heads.push_back(std::move(h));
    }
    return heads;
}

QByteArray publicKeyOf(pqxx::transaction_base &tx, const QByteArray &keyId)
{
    const pqxx::result rows =
        tx.exec_params("SELECT encode(public_key, 'hex') FROM audit_signing_keys WHERE key_id = "
                       "decode($1, 'hex')",
                       keyId.toHex().toStdString());
    return rows.empty() ? QByteArray() : byteaField(rows[0][0]);
}

// Leaf hashes of [begin, end) from the event rows and the purged segments.
Result<std::vector<Hash>> readLeaves(pqxx::transaction_base &tx, uint64_t begin, uint64_t end)
{
    std::vector<Hash> leaves(end - begin);
    std::vector<bool> seen(end - begin, false);
    for (const pqxx::row &row :
         tx.exec_params("SELECT sequence, encode(leaf_hash, 'hex') FROM audit_events "
                        "WHERE sequence >= $1 AND sequence < $2 ORDER BY sequence",
                        begin, end)) {
        const auto sequence = row[0].as<uint64_t>();
        auto leaf = hashField(row[1]);
        if (!leaf)
            return leaf.error();
        leaves[sequence - begin] = leaf.value();
        seen[sequence - begin] = true;
    }
    for (const pqxx::row &row :
         tx.exec_params("SELECT first_sequence, encode(leaf_hashes, 'hex') "
                        "FROM audit_purged_segments WHERE first_sequence < $2 "
                        "AND last_sequence >= $1",
                        begin, end)) {
        const auto first = row[0].as<uint64_t>();
        const QByteArray bytes = byteaField(row[1]);
        for (qsizetype i = 0; i + 32 <= bytes.size(); i += 32) {
            const uint64_t sequence = first + uint64_t(i / 32);
            if (sequence < begin || sequence >= end)
                continue;
            leaves[sequence - begin] = hashFromBytes(QByteArrayView(bytes).sliced(i, 32)).value();
            seen[sequence - begin] = true;
        }
    }
    const auto gap = std::find(seen.begin(), seen.end(), false);
    if (gap != seen.end())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("sequence %1: the event is missing from the stored log "
                                        "(deleted, and not in a purged segment)")
                             .arg(begin + uint64_t(gap - seen.begin())));
    return leaves;
}

// PATH(index, size) from the stored nodes (level >= 4) and leaves (below): one query per table.
Result<std::vector<Hash>> proofFromStore(pqxx::transaction_base &tx, uint64_t index, uint64_t size)
{
    // Every hash the proof needs, in one round trip per table.
    std::vector<NodeId> needed;
    std::vector<std::pair<size_t, size_t>> spans; // per range: [first, last) in needed
    for (const LeafRange &range : inclusionProofRanges(index, size)) {
        const size_t first = needed.size();
        perfectSubtreesOf(range, needed);
        spans.emplace_back(first, needed.size());
    }
    std::vector<std::string> levels;
    std::vector<std::string> indices;
    // Nodes below level 4 lie inside 16-leaf blocks: near the leaf, and at the tree's right edge.
    constexpr uint64_t kBlock = uint64_t(1) << kStoredNodeMinLevel;
    std::map<uint64_t, std::vector<Hash>> blocks; // first leaf of the block -> its leaves
    for (const NodeId &id : needed) {
        if (id.level >= kStoredNodeMinLevel) {
            levels.push_back(std::to_string(id.level));
            indices.push_back(std::to_string(id.index));
        } else {
            blocks[id.range().begin / kBlock * kBlock];
        }
    }
    std::map<std::pair<uint32_t, uint64_t>, Hash> stored_nodes;
    if (!levels.empty()) {
        const std::string levelArray = "{" + [&] {
            std::string s;
            for (size_t i = 0; i < levels.size(); ++i)
                s += (i ? "," : "") + levels[i];
            return s;
        }() + "}";
        const std::string indexArray = "{" + [&] {
            std::string s;
            for (size_t i = 0; i < indices.size(); ++i)
                s += (i ? "," : "") + indices[i];
            return s;
        }() + "}";
        for (const pqxx::row &row :
             tx.exec_params("SELECT n.level, n.idx, encode(n.hash, 'hex') FROM audit_nodes n "
                            "JOIN unnest($1::smallint[], $2::bigint[]) AS w(level, idx) "
                            "ON n.level = w.level AND n.idx = w.idx",
                            levelArray, indexArray))
            stored_nodes[{row[0].as<uint32_t>(), row[1].as<uint64_t>()}] =
                hashFromHex(text(row[2])).value();
    }
    for (auto &[first, leaves] : blocks) {
        auto read = readLeaves(tx, first, std::min(first + kBlock, size));
        if (!read)
            return read.error();
        leaves = std::move(read.value());
    }
    auto nodeHashOf = [&](const NodeId &id) -> Result<Hash> {
        if (id.level >= kStoredNodeMinLevel) {
            auto it = stored_nodes.find({id.level, id.index});
            if (it == stored_nodes.end())
                return makeError(ErrorCode::Internal,
                                 QStringLiteral("the stored tree lacks node (%1, %2)")
                                     .arg(id.level)
                                     .arg(id.index));
            return it->second;
        }
        const LeafRange r = id.range();
        const uint64_t first = r.begin / kBlock * kBlock;
        return rootOf(std::span(blocks[first]).subspan(r.begin - first, r.size()));
    };
    std::vector<Hash> proof;
    for (const auto &[first, last] : spans) {
        std::vector<Hash> roots;
        for (size_t i = first; i < last; ++i) {
            auto h = nodeHashOf(needed[i]);
            if (!h)
                return h.error();
            roots.push_back(h.value());
        }
        proof.push_back(foldSubtreeRoots(roots));
    }
    return proof;
}

// withConnection around a callback that itself returns a Result.
template<typename T> Result<T> flatten(Result<Result<T>> nested)
{
    if (!nested)
        return nested.error();
    return std::move(nested.value());
}

} // namespace

// ---- signing key ----

Result<Ed25519Signer> loadSigningKey(const QString &path, bool create)
{
    QFile file(path);
    if (file.exists()) {
        if (!file.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::Config, QStringLiteral("cannot read the audit signing "
                                                               "key %1: %2")
                                                    .arg(path, file.errorString()));
        if (file.size() > kMaxSigningKeyBytes)
            return makeError(
                ErrorCode::Config,
                QStringLiteral("the audit signing key %1 is larger than 16 KiB").arg(path));
        auto signer = Ed25519Signer::fromPrivateKeyPem(file.readAll());
        if (!signer)
            return signer.error().context(QStringLiteral("audit signing key ") + path);
        return signer;
    }
    if (!create)
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("the audit signing key %1 does not exist").arg(path));
    auto signer = Ed25519Signer::generate();
    if (!signer)
        return signer.error();
    auto pem = signer->privateKeyPem();
    if (!pem)
        return pem.error();
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) ||
        !out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        out.write(pem.value()) != pem->size() || !out.commit())
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("cannot write the audit signing key %1: %2")
                             .arg(path, out.errorString()));
    qCInfo(lcAudit).noquote() << "created a new audit signing key, sha256:"
                              << keyFingerprint(signer->publicKeyRaw());
    return signer;
}

// ---- the writer ----

struct PostgresAuditLog::Impl
{
    struct Pending
    {
        PreparedRecord prepared;
        QPromise<Result<AuditReceipt>> promise;
    };
    struct FlushMarker
    {
        std::shared_ptr<std::promise<Result<uint64_t>>> done;
    };
    using Item = std::variant<Pending, FlushMarker>;

    RegionEndpoint endpoint;
    Ed25519Signer signer;
    QByteArray publicKey;
    QByteArray keyId;
    AuditLogSettings settings;
    const Clock *clock = nullptr;

    std::mutex mutex;
    std::condition_variable wake;
    std::deque<Item> queue;
    bool stopping = false;
    std::thread thread;

    // Writer thread only. Scheduling uses the real steady clock (an injected test clock only
    // sets event and head times).
    std::unique_ptr<pqxx::connection> connection;
    std::optional<std::chrono::steady_clock::time_point> oldestUnsigned;

    Impl(Ed25519Signer s)
        : signer(std::move(s))
    {}

    Status connect()
    {
        if (connection && connection->is_open())
            return {};
        connection.reset();
        auto dsn = endpoint.connectionString(
            {{QStringLiteral("connect_timeout"), QStringLiteral("10")},
             {QStringLiteral("application_name"), QStringLiteral("upcoach-ops audit writer")}});
        if (!dsn)
            return dsn.error();
        try {
            connection = std::make_unique<pqxx::connection>(dsn->toStdString());
            return {};
        } catch (const std::exception &e) {
            return storage::databaseError(e).context(QStringLiteral("audit log"));
        }
    }

    // Inserts a signed head for the current stored tree when it grew past the last one. Runs
    // inside the caller's transaction, which holds the head row lock.
    void signHead(pqxx::work &tx, uint64_t size, const Hash &root)
    {
        TreeHead head;
        head.treeSize = size;
        head.timestamp = clock->now();
        head.rootHash = root;
        const QByteArray signature = signer.sign(head).value();
        tx.exec_params("INSERT INTO audit_tree_heads (tree_size, signed_at, root_hash, signature, "
                       "key_id) VALUES ($1, $2::timestamptz, decode($3, 'hex'), decode($4, "
                       "'hex'), decode($5, 'hex')) ON CONFLICT (tree_size) DO NOTHING",
                       size, auditTimeToString(head.timestamp).toStdString(), hexOf(root),
                       signature.toHex().toStdString(), keyId.toHex().toStdString());
    }

    uint64_t lastSignedSize(pqxx::work &tx)
    {
        return tx.exec1("SELECT coalesce(max(tree_size), 0) FROM audit_tree_heads")[0]
            .as<uint64_t>();
    }

    struct HeadState
    {
        MerkleTree tree;
        QDateTime lastTime;
    };

    HeadState lockHead(pqxx::work &tx)
    {
        const pqxx::row row = tx.exec1("SELECT tree_size, encode(frontier, 'hex'), "
                                       "floor(extract(epoch FROM last_time) * 1000)::bigint "
                                       "FROM audit_head FOR UPDATE");
        const auto size = row[0].as<uint64_t>();
        const QByteArray frontierBytes = byteaField(row[1]);
        std::vector<Hash> frontier;
        for (qsizetype i = 0; i + 32 <= frontierBytes.size(); i += 32)
            frontier.push_back(hashFromBytes(QByteArrayView(frontierBytes).sliced(i, 32)).value());
        auto tree = MerkleTree::fromFrontier(size, frontier);
        if (!tree)
            throw std::runtime_error("audit_head holds an inconsistent frontier: " +
                                     tree.error().message.toStdString());
        HeadState state{std::move(tree.value()), {}};
        if (!row[2].is_null())
            state.lastTime = QDateTime::fromMSecsSinceEpoch(row[2].as<qint64>(), Qt::UTC);
        return state;
    }

    static std::string frontierHex(const MerkleTree &tree)
    {
        std::string out;
        for (const Hash &h : tree.frontier())
            out += hexOf(h);
        return out;
    }

    // One transaction for the whole batch; acknowledges only after COMMIT.
    void commitBatch(std::vector<Pending> &batch)
    {
        std::vector<AuditReceipt> receipts;
        Status outcome = [&]() -> Status {
            if (auto s = connect(); !s)
                return s;
            try {
                pqxx::work tx(*connection);
                HeadState head = lockHead(tx);
                QDateTime time = clock->now();
                if (head.lastTime.isValid() && time < head.lastTime)
                    time = head.lastTime; // times never go backwards along the sequence
                time = QDateTime::fromMSecsSinceEpoch(time.toMSecsSinceEpoch(), Qt::UTC);
                const std::string timeText = auditTimeToString(time).toStdString();

                std::vector<std::tuple<uint32_t, uint64_t, Hash>> nodes;
                {
                    pqxx::stream_to events(
                        tx, "audit_events",
                        std::vector<std::string>{"sequence", "id", "occurred_at", "actor",
                                                 "impersonator", "tenant", "action", "target",
                                                 "outcome", "source_ip", "request_id",
                                                 "classification", "details", "leaf_hash"});
                    receipts.reserve(batch.size());
                    for (Pending &p : batch) {
                        const uint64_t sequence = head.tree.size();
                        const QString id = ids::uuid7(*clock).toString(QUuid::WithoutBraces);
                        // The caller's part was validated and encoded in record(); only what
                        // the log assigns is encoded here.
                        const Hash leaf =
                            leafHash(canonicalHead(id, sequence, time), p.prepared.tail);
                        head.tree.append(leaf, [&](uint32_t level, uint64_t index, const Hash &h) {
                            if (level >= kStoredNodeMinLevel)
                                nodes.emplace_back(level, index, h);
                        });
                        const auto &c = p.prepared.columns;
                        events << std::make_tuple(sequence, id.toStdString(), timeText, c[0], c[1],
                                                  c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9],
                                                  byteaLiteral(leaf));
                        receipts.push_back({id, sequence, time});
                    }
                    events.complete();
                }
                if (!nodes.empty()) {
                    pqxx::stream_to stored(tx, "audit_nodes",
                                           std::vector<std::string>{"level", "idx", "hash"});
                    for (const auto &[level, index, hash] : nodes)
                        stored << std::make_tuple(level, index, byteaLiteral(hash));
                    stored.complete();
                }
                const Hash root = head.tree.root();
                tx.exec_params("UPDATE audit_head SET tree_size = $1, root_hash = decode($2, "
                               "'hex'), frontier = decode($3, 'hex'), last_time = "
                               "$4::timestamptz",
                               head.tree.size(), hexOf(root), frontierHex(head.tree), timeText);
                if (head.tree.size() - lastSignedSize(tx) >= settings.treeHeadEvery)
                    signHead(tx, head.tree.size(), root);
                tx.commit();
                return {};
            } catch (const pqxx::in_doubt_error &) {
                connection.reset();
                return makeError(ErrorCode::Unavailable,
                                 QStringLiteral("audit log: the connection broke during COMMIT; "
                                                "whether the batch was stored is unknown"));
            } catch (const std::exception &e) {
                if (connection && !connection->is_open())
                    connection.reset();
                return storage::databaseError(e).context(QStringLiteral("audit log"));
            }
        }();
        if (outcome.ok() && !oldestUnsigned)
            oldestUnsigned = std::chrono::steady_clock::now();
        for (size_t i = 0; i < batch.size(); ++i) {
            if (outcome.ok())
                batch[i].promise.addResult(Result<AuditReceipt>(receipts[i]));
            else
                batch[i].promise.addResult(Result<AuditReceipt>(outcome.error()));
            batch[i].promise.finish();
        }
        if (!outcome.ok())
            qCWarning(lcAudit).noquote()
                << outcome.error().message << "- batch of" << batch.size() << "events not recorded";
    }

    // Signs a head for the stored tree when it grew past the last signed one.
    Result<uint64_t> signIfGrown()
    {
        if (auto s = connect(); !s)
            return s.error();
        try {
            pqxx::work tx(*connection);
            HeadState head = lockHead(tx);
            uint64_t signedSize = lastSignedSize(tx);
            if (head.tree.size() > signedSize) {
                signHead(tx, head.tree.size(), head.tree.root());
                signedSize = head.tree.size();
            }
            tx.commit();
            oldestUnsigned.reset();
            return signedSize;
        } catch (const std::exception &e) {
            if (connection && !connection->is_open())
                connection.reset();
            return storage::databaseError(e).context(QStringLiteral("audit log"));
        }
    }

    void run()
    {
        std::unique_lock lock(mutex);
        for (;;) {
            if (queue.empty() && !stopping) {
                if (oldestUnsigned) {
                    const auto due = *oldestUnsigned + settings.treeHeadInterval;
                    wake.wait_until(lock, due, [this] { return !queue.empty() || stopping; });
                } else {
                    wake.wait(lock, [this] { return !queue.empty() || stopping; });
                }
            }
            if (queue.empty()) {
                if (stopping)
                    break;
                if (oldestUnsigned && std::chrono::steady_clock::now() >=
                                          *oldestUnsigned + settings.treeHeadInterval) {
                    lock.unlock();
                    if (auto signedSize = signIfGrown(); !signedSize) {
                        qCWarning(lcAudit).noquote() << signedSize.error().message;
                        oldestUnsigned =
                            std::chrono::steady_clock::now(); // retry after another interval
                    }
                    lock.lock();
                }
                continue;
            }
            if (auto *marker = std::get_if<FlushMarker>(&queue.front())) {
                auto done = marker->done;
                queue.pop_front();
                lock.unlock();
                done->set_value(signIfGrown());
                lock.lock();
                continue;
            }
            std::vector<Pending> batch;
            while (!queue.empty() && int(batch.size()) < settings.maxBatch &&
                   std::holds_alternative<Pending>(queue.front())) {
                batch.push_back(std::move(std::get<Pending>(queue.front())));
                queue.pop_front();
            }
            lock.unlock();
            commitBatch(batch);
            lock.lock();
        }
        lock.unlock();
        if (oldestUnsigned) {
            if (auto signedSize = signIfGrown(); !signedSize)
                qCWarning(lcAudit).noquote() << signedSize.error().message;
        }
    }
};

PostgresAuditLog::PostgresAuditLog(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{}

Result<std::unique_ptr<PostgresAuditLog>> PostgresAuditLog::open(const RegionEndpoint &controlPlane,
                                                                 Ed25519Signer signer,
                                                                 AuditLogSettings settings,
                                                                 const Clock &clock)
{
    if (settings.treeHeadEvery == 0 || settings.maxBatch < 1 || settings.maxQueued < 1 ||
        settings.treeHeadInterval.count() <= 0)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("audit log settings: tree head interval, batch and queue "
                                        "sizes must be positive"));
    auto impl = std::make_unique<Impl>(std::move(signer));
    impl->endpoint = controlPlane;
    impl->settings = settings;
    impl->clock = &clock;
    impl->publicKey = impl->signer.publicKeyRaw();
    impl->keyId = crypto::sha256(impl->publicKey);
    if (auto s = impl->connect(); !s)
        return s.error();
    try {
        pqxx::work tx(*impl->connection);
        tx.exec_params("INSERT INTO audit_signing_keys (key_id, public_key) VALUES (decode($1, "
                       "'hex'), decode($2, 'hex')) ON CONFLICT (key_id) DO NOTHING",
                       impl->keyId.toHex().toStdString(), impl->publicKey.toHex().toStdString());
        // Events left unsigned by a previous run get a head on the first interval.
        const pqxx::row row =
            tx.exec1("SELECT (SELECT tree_size FROM audit_head), "
                     "(SELECT coalesce(max(tree_size), 0) FROM audit_tree_heads)");
        if (row[0].as<uint64_t>() > row[1].as<uint64_t>())
            impl->oldestUnsigned = std::chrono::steady_clock::now();
        tx.commit();
    } catch (const std::exception &e) {
        return storage::databaseError(e).context(QStringLiteral("audit log"));
    }
    Impl *raw = impl.get();
    impl->thread = std::thread([raw] { raw->run(); });
    return std::unique_ptr<PostgresAuditLog>(new PostgresAuditLog(std::move(impl)));
}

PostgresAuditLog::~PostgresAuditLog()
{
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->stopping = true;
    }
    m_impl->wake.notify_all();
    if (m_impl->thread.joinable())
        m_impl->thread.join();
}

QFuture<Result<AuditReceipt>> PostgresAuditLog::record(AuditRecord record)
{
    QPromise<Result<AuditReceipt>> promise;
    QFuture<Result<AuditReceipt>> future = promise.future();
    promise.start();
    // Validated and encoded here, on the caller's thread: the one writer thread only adds what
    // the log assigns (id, sequence, time) and hashes.
    Result<PreparedRecord> prepared = prepareRecord(record);
    if (!prepared) {
        promise.addResult(Result<AuditReceipt>(prepared.error()));
        promise.finish();
        return future;
    }
    {
        std::lock_guard lock(m_impl->mutex);
        if (m_impl->stopping || int(m_impl->queue.size()) >= m_impl->settings.maxQueued) {
            promise.addResult(Result<AuditReceipt>(makeError(
                ErrorCode::Unavailable,
                m_impl->stopping ? QStringLiteral("audit log: shutting down")
                                 : QStringLiteral("audit log: %1 events already queued; the "
                                                  "database is not keeping up")
                                       .arg(m_impl->queue.size()))));
            promise.finish();
            return future;
        }
        m_impl->queue.push_back(Impl::Pending{std::move(prepared.value()), std::move(promise)});
    }
    m_impl->wake.notify_one();
    return future;
}

Result<uint64_t> PostgresAuditLog::flushAndSign()
{
    if (storage::blockingForbiddenHere())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("audit log: flushAndSign() blocks; not on this thread"));
    auto done = std::make_shared<std::promise<Result<uint64_t>>>();
    std::future<Result<uint64_t>> result = done->get_future();
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->queue.push_back(Impl::FlushMarker{done});
    }
    m_impl->wake.notify_one();
    return result.get();
}

const QByteArray &PostgresAuditLog::publicKeyRaw() const
{
    return m_impl->publicKey;
}

// ---- reading ----

AuditStore::AuditStore(storage::ConnectionPool &controlPlane)
    : m_pool(controlPlane)
{}

Result<AuditPage> AuditStore::list(const AuditQuery &query)
{
    if (query.limit < 1 || query.limit > 1000)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("limit: 1 to 1000"));
    if (query.beforeSequence && query.afterSequence)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("a page goes either before or after a cursor, not both"));
    std::vector<std::string> params;
    std::string where = " WHERE true";
    auto add = [&](const std::string &condition, const QString &value) {
        params.push_back(value.toStdString());
        where += " AND " + condition + " $" + std::to_string(params.size());
    };
    if (query.tenant)
        add("tenant =", *query.tenant);
    if (!query.actor.isEmpty())
        add("actor =", query.actor);
    if (query.action.endsWith(QLatin1Char('*'))) {
        // A prefix match; LIKE's own wildcards in the prefix are escaped.
        QString prefix = query.action.chopped(1);
        prefix.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
            .replace(QLatin1Char('%'), QStringLiteral("\\%"))
            .replace(QLatin1Char('_'), QStringLiteral("\\_"));
        add("action LIKE", prefix + QLatin1Char('%'));
    } else if (!query.action.isEmpty()) {
        add("action =", query.action);
    }
    if (!query.outcome.isEmpty())
        add("outcome =", query.outcome);
    if (!query.classification.isEmpty())
        add("classification =", query.classification);
    if (query.from.isValid())
        add("occurred_at >=", auditTimeToString(query.from));
    if (query.to.isValid())
        add("occurred_at <", auditTimeToString(query.to));
    if (query.beforeSequence)
        add("sequence <", QString::number(*query.beforeSequence));
    if (query.afterSequence)
        add("sequence >", QString::number(*query.afterSequence));
    const bool ascending = query.afterSequence.has_value() || query.oldestFirst;
    if (ascending && query.beforeSequence)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("oldest-first pages go after a cursor, not before"));
    const std::string sql = std::string("SELECT ") + kEventColumns + " FROM audit_events" + where +
                            (ascending ? " ORDER BY sequence ASC" : " ORDER BY sequence DESC") +
                            " LIMIT " + std::to_string(query.limit + 1);
    return flatten(m_pool.withConnection([&](pqxx::connection &c) -> Result<AuditPage> {
        pqxx::read_transaction tx(c);
        const pqxx::result rows = tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
        AuditPage page;
        for (const pqxx::row &row : rows) {
            if (int(page.events.size()) == query.limit) {
                page.nextCursor = page.events.back().sequence;
                break;
            }
            auto stored = eventFromRow(row);
            if (!stored)
                return stored.error();
            page.events.push_back(std::move(stored->event));
        }
        return page;
    }));
}

Result<std::optional<StoredTreeHead>> AuditStore::latestTreeHead()
{
    return m_pool.withConnection([](pqxx::connection &c) -> std::optional<StoredTreeHead> {
        pqxx::read_transaction tx(c);
        std::vector<HeadRow> heads =
            readHeads(tx, "WHERE tree_size = (SELECT max(tree_size) FROM audit_tree_heads)");
        if (heads.empty())
            return std::nullopt;
        return StoredTreeHead{heads.front().head, publicKeyOf(tx, heads.front().keyId)};
    });
}

Result<EventProof> AuditStore::proof(const QString &eventId)
{
    if (QUuid::fromString(eventId).isNull())
        return makeError(ErrorCode::InvalidInput, QStringLiteral("not an event id: expected a "
                                                                 "UUID"));
    return flatten(m_pool.withConnection([&](pqxx::connection &c) -> Result<EventProof> {
        pqxx::read_transaction tx(c);
        const pqxx::result rows = tx.exec_params(std::string("SELECT ") + kEventColumns +
                                                     " FROM audit_events WHERE id = $1::uuid",
                                                 eventId.toStdString());
        if (rows.empty())
            return makeError(ErrorCode::NotFound,
                             QStringLiteral("no audit event %1 (unknown, or purged by "
                                            "retention)")
                                 .arg(eventId));
        auto stored = eventFromRow(rows[0]);
        if (!stored)
            return stored.error();
        const uint64_t index = stored->event.sequence;
        std::vector<HeadRow> heads =
            readHeads(tx, "WHERE tree_size = (SELECT max(tree_size) FROM audit_tree_heads)");
        if (heads.empty() || heads.front().head.head.treeSize <= index)
            return makeError(ErrorCode::Unavailable,
                             QStringLiteral("event %1 is not yet covered by a signed tree "
                                            "head; retry shortly")
                                 .arg(eventId));
        const uint64_t size = heads.front().head.head.treeSize;

        EventProof out;
        auto path = proofFromStore(tx, index, size);
        if (!path)
            return path.error();
        out.proof = std::move(path.value());
        out.event = std::move(stored->event);
        out.leafHash = stored->storedLeaf;
        out.treeHead = StoredTreeHead{heads.front().head, publicKeyOf(tx, heads.front().keyId)};
        return out;
    }));
}

Result<std::vector<Hash>> AuditStore::inclusionProof(uint64_t leafIndex, uint64_t treeSize)
{
    return flatten(m_pool.withConnection([&](pqxx::connection &c) -> Result<std::vector<Hash>> {
        pqxx::read_transaction tx(c);
        const auto stored = tx.exec1("SELECT tree_size FROM audit_head")[0].as<uint64_t>();
        if (leafIndex >= treeSize || treeSize > stored)
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("index out of range: leaf %1 of a tree of %2 leaves "
                                            "(%3 stored)")
                                 .arg(leafIndex)
                                 .arg(treeSize)
                                 .arg(stored));
        return proofFromStore(tx, leafIndex, treeSize);
    }));
}

Result<BundleInput> AuditStore::bundleInput(const BundleFilter &filter)
{
    return flatten(m_pool.withConnection([&](pqxx::connection &c) -> Result<BundleInput> {
        // One snapshot for heads, leaves and events.
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c);
        std::vector<HeadRow> all = readHeads(tx);
        if (all.empty())
            return makeError(ErrorCode::NotFound,
                             QStringLiteral("the audit log has no signed tree head yet"));
        const QByteArray finalKey = all.back().keyId;
        BundleInput input;
        for (HeadRow &h : all) {
            if (h.keyId == finalKey)
                input.treeHeads.push_back(std::move(h.head));
        }
        input.publicKeyRaw = publicKeyOf(tx, finalKey);
        const uint64_t size = input.treeHeads.back().head.treeSize;
        auto leaves = readLeaves(tx, 0, size);
        if (!leaves)
            return leaves.error();
        input.leafHashes = std::move(leaves.value());

        std::vector<std::string> params{std::to_string(size)};
        std::string where = " WHERE sequence < $1";
        auto add = [&](const std::string &condition, const QString &value) {
            params.push_back(value.toStdString());
            where += " AND " + condition + " $" + std::to_string(params.size());
        };
        if (filter.tenant)
            add("tenant =", *filter.tenant);
        if (filter.from.isValid())
            add("occurred_at >=", auditTimeToString(filter.from));
        if (filter.to.isValid())
            add("occurred_at <", auditTimeToString(filter.to));
        for (const pqxx::row &row :
             tx.exec_params(std::string("SELECT ") + kEventColumns + " FROM audit_events" + where +
                                " ORDER BY sequence",
                            pqxx::prepare::make_dynamic_params(params))) {
            auto stored = eventFromRow(row);
            if (!stored)
                return stored.error();
            input.events.push_back(std::move(stored->event));
        }
        if (filter.isEmpty()) {
            for (const pqxx::row &row :
                 tx.exec_params("SELECT first_sequence, last_sequence, purge_record_sequence "
                                "FROM audit_purged_segments WHERE purge_record_sequence < $1 "
                                "ORDER BY first_sequence",
                                size))
                input.purged.push_back(
                    {row[0].as<uint64_t>(), row[1].as<uint64_t>(), row[2].as<uint64_t>()});
        }
        input.filter = filter;
        return input;
    }));
}

Result<StoredLogReport> AuditStore::verifyStored()
{
    return flatten(m_pool.withConnection([&](pqxx::connection &c) -> Result<StoredLogReport> {
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c);
        StoredLogReport report;
        const pqxx::row headRow =
            tx.exec1("SELECT tree_size, encode(root_hash, 'hex') FROM audit_head");
        report.treeSize = headRow[0].as<uint64_t>();
        const Hash headRoot = hashFromHex(text(headRow[1])).value();

        // Purged segments: their leaves, and the record that purged them.
        std::map<uint64_t, std::pair<QByteArray, uint64_t>> purged; // first -> leaves, record
        std::map<uint64_t, Hash> purgedRoots;
        for (const pqxx::row &row : tx.exec("SELECT first_sequence, encode(leaf_hashes, 'hex'), "
                                            "purge_record_sequence, encode(segment_root, 'hex') "
                                            "FROM audit_purged_segments ORDER BY first_sequence")) {
            purged[row[0].as<uint64_t>()] = {byteaField(row[1]), row[2].as<uint64_t>()};
            purgedRoots[row[0].as<uint64_t>()] = hashFromHex(text(row[3])).value();
        }
        std::unordered_map<uint64_t, Hash> nodes; // key: level << 58 | index
        for (const pqxx::row &row :
             tx.exec("SELECT level, idx, encode(hash, 'hex') FROM audit_nodes"))
            nodes[uint64_t(row[0].as<uint32_t>()) << 58 | row[1].as<uint64_t>()] =
                hashFromHex(text(row[2])).value();
        const std::vector<HeadRow> heads = readHeads(tx);
        std::map<QByteArray, QByteArray> keys;
        for (const pqxx::row &row : tx.exec("SELECT encode(key_id, 'hex'), "
                                            "encode(public_key, 'hex') FROM audit_signing_keys"))
            keys[byteaField(row[0])] = byteaField(row[1]);

        MerkleTree tree;
        size_t nextHead = 0;
        QString problem;
        auto checkNode = [&](uint32_t level, uint64_t index, const Hash &h) {
            if (!problem.isEmpty() || level < kStoredNodeMinLevel)
                return;
            ++report.nodesChecked;
            auto it = nodes.find(uint64_t(level) << 58 | index);
            const LeafRange r = NodeId{level, index}.range();
            if (it == nodes.end())
                problem = QStringLiteral("sequences %1..%2: the stored tree node (level %3, "
                                         "index %4) is missing")
                              .arg(r.begin)
                              .arg(r.end - 1)
                              .arg(level)
                              .arg(index);
            else if (it->second != h)
                problem = QStringLiteral("sequences %1..%2: the leaves do not match the "
                                         "stored tree node (level %3, index %4): an event "
                                         "was changed, removed, inserted or reordered")
                              .arg(r.begin)
                              .arg(r.end - 1)
                              .arg(level)
                              .arg(index);
        };
        auto appendLeaf = [&](const Hash &leaf) -> bool {
            tree.append(leaf, checkNode);
            while (problem.isEmpty() && nextHead < heads.size() &&
                   heads[nextHead].head.head.treeSize == tree.size()) {
                const HeadRow &h = heads[nextHead];
                const auto key = keys.find(h.keyId);
                if (key == keys.end())
                    problem = QStringLiteral("tree head %1: signed by an unknown key")
                                  .arg(h.head.head.treeSize);
                else if (auto s = verifyTreeHead(h.head.head, h.head.signature, key->second); !s)
                    problem = QStringLiteral("tree head %1: %2")
                                  .arg(h.head.head.treeSize)
                                  .arg(s.error().message);
                else if (tree.root() != h.head.head.rootHash)
                    problem = QStringLiteral("tree head %1: its signed root does not match "
                                             "the stored events before it")
                                  .arg(h.head.head.treeSize);
                ++nextHead;
                ++report.treeHeads;
            }
            return problem.isEmpty();
        };

        uint64_t expected = 0;
        for (const pqxx::row &row : tx.exec(std::string("SELECT ") + kEventColumns +
                                            " FROM audit_events ORDER BY sequence")) {
            auto stored = eventFromRow(row);
            if (!stored)
                return stored.error();
            const AuditEvent &event = stored->event;
            if (event.sequence >= report.treeSize)
                return makeError(ErrorCode::InvalidInput,
                                 QStringLiteral("sequence %1: beyond the %2 events of the "
                                                "stored head (inserted)")
                                     .arg(event.sequence)
                                     .arg(report.treeSize));
            // Leaves of purged segments before this row.
            while (expected < event.sequence) {
                const auto segment = purged.find(expected);
                if (segment == purged.end())
                    return makeError(ErrorCode::InvalidInput,
                                     QStringLiteral("sequence %1: the event is missing "
                                                    "(deleted, not purged)")
                                         .arg(expected));
                const QByteArray &bytes = segment->second.first;
                for (qsizetype i = 0; i + 32 <= bytes.size(); i += 32) {
                    if (!appendLeaf(hashFromBytes(QByteArrayView(bytes).sliced(i, 32)).value()))
                        return makeError(ErrorCode::InvalidInput, problem);
                    ++report.purgedEvents;
                }
                const uint64_t first = expected;
                expected += uint64_t(bytes.size() / 32);
                const Hash segmentRoot = rootOf([&] {
                    std::vector<Hash> leaves;
                    for (qsizetype i = 0; i + 32 <= bytes.size(); i += 32)
                        leaves.push_back(
                            hashFromBytes(QByteArrayView(bytes).sliced(i, 32)).value());
                    return leaves;
                }());
                if (segmentRoot != purgedRoots[first])
                    return makeError(ErrorCode::InvalidInput,
                                     QStringLiteral("sequences %1..%2: the purged segment's "
                                                    "leaves do not match its recorded root")
                                         .arg(first)
                                         .arg(expected - 1));
            }
            if (event.sequence != expected)
                return makeError(ErrorCode::InvalidInput,
                                 QStringLiteral("sequence %1: expected sequence %2 "
                                                "(inserted or duplicated)")
                                     .arg(event.sequence)
                                     .arg(expected));
            auto bytes = canonicalBytes(event);
            if (!bytes)
                return makeError(ErrorCode::InvalidInput,
                                 QStringLiteral("sequence %1: the stored event is not "
                                                "valid: %2")
                                     .arg(event.sequence)
                                     .arg(bytes.error().message));
            if (leafHash(bytes.value()) != stored->storedLeaf)
                return makeError(ErrorCode::InvalidInput,
                                 QStringLiteral("sequence %1: the stored event does not "
                                                "hash to its leaf (a field was modified)")
                                     .arg(event.sequence));
            if (canonicalDetailsJson(event.details).value() != stored->storedDetails)
                return makeError(ErrorCode::InvalidInput,
                                 QStringLiteral("sequence %1: the stored details are not "
                                                "in canonical form (modified)")
                                     .arg(event.sequence));
            if (!appendLeaf(stored->storedLeaf))
                return makeError(ErrorCode::InvalidInput, problem);
            ++report.events;
            ++expected;
        }
        // Trailing purged segments (none in practice: the purge record follows them).
        if (expected != report.treeSize)
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("the head says %1 events, the table ends at "
                                            "sequence %2 (truncated or extended)")
                                 .arg(report.treeSize)
                                 .arg(qint64(expected) - 1));
        if (tree.root() != headRoot)
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("the stored head's root does not match the "
                                            "events"));
        if (nextHead != heads.size())
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("tree head %1: beyond the stored events "
                                            "(the log was truncated)")
                                 .arg(heads[nextHead].head.head.treeSize));
        if (nodes.size() != report.nodesChecked)
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("the stored tree has %1 nodes beyond the events")
                                 .arg(nodes.size() - report.nodesChecked));
        return report;
    }));
}

Result<PurgeReport> AuditStore::purgeExpired(PostgresAuditLog &log)
{
    // Candidates: whole segments, all expired, before the last signed head, not yet purged.
    auto candidates = m_pool.withConnection([](pqxx::connection &c) {
        pqxx::read_transaction tx(c);
        std::vector<std::pair<uint64_t, Hash>> out;
        for (const pqxx::row &row : tx.exec(
                 "SELECT e.sequence / audit_segment_size() AS segment, encode(n.hash, 'hex') "
                 "FROM audit_events e "
                 "JOIN audit_nodes n ON n.level = 12 AND n.idx = e.sequence / "
                 "audit_segment_size() "
                 "WHERE e.sequence < (SELECT coalesce(max(tree_size), 0) FROM audit_tree_heads) "
                 "GROUP BY 1, 2 "
                 "HAVING count(*) = audit_segment_size() "
                 "AND bool_and(e.occurred_at + audit_retention_for(e.classification) <= now()) "
                 "ORDER BY 1"))
            out.emplace_back(row[0].as<uint64_t>(), hashFromHex(text(row[1])).value());
        return out;
    });
    if (!candidates)
        return candidates.error();
    PurgeReport report;
    for (const auto &[segment, segmentRoot] : candidates.value()) {
        // The segment is the perfect subtree (level 12, index segment): 4096 events.
        const uint64_t first = segment * kSegmentSize;
        AuditRecord purge;
        purge.actor = kPurgeRecordActor;
        purge.action = kPurgeRecordAction;
        purge.classification = kPurgeRecordClassification;
        purge.target = QStringLiteral("segment:%1").arg(segment);
        purge.details = purgeRecordDetails(
            segment, first, first + kSegmentSize - 1, segmentRoot,
            QJsonObject{{QStringLiteral("policy"), QStringLiteral("audit_retention")}});
        QFuture<Result<AuditReceipt>> recorded = log.record(purge);
        Result<AuditReceipt> receipt = recorded.result();
        if (!receipt)
            return receipt.error().context(QStringLiteral("recording the purge record"));
        if (auto signedSize = log.flushAndSign(); !signedSize)
            return signedSize.error().context(QStringLiteral("signing the purge record"));
        auto deleted = m_pool.withConnection([&](pqxx::connection &c) {
            pqxx::work tx(c);
            const auto n =
                tx.exec_params1("SELECT audit_purge_segment($1, $2)", segment, receipt->sequence)[0]
                    .as<uint64_t>();
            tx.commit();
            return n;
        });
        if (!deleted)
            return deleted.error().context(QStringLiteral("purging segment %1").arg(segment));
        report.segments.push_back(segment);
        report.events += deleted.value();
        qCInfo(lcAudit).noquote() << "purged audit segment" << segment << "(" << deleted.value()
                                  << "events), purge record sequence" << receipt->sequence;
    }
    return report;
}

} // namespace upcoach::compliance
