// The audit log in the control-plane PostgreSQL database (schema: storage migration
// control/0002_audit_log.sql; design: README.md "Audit log storage").
//
// PostgresAuditLog is the writer: one thread, its own connection, group commit. Every batch is
// one transaction that locks audit_head, numbers the events after the stored tree size, inserts
// events and completed tree nodes with COPY, moves the head and — every N events — inserts a
// signed tree head. Callers are acknowledged only after COMMIT, so a crash loses nothing that was
// acknowledged; several writers (threads or processes) serialize on the head row, giving one
// total order with no gap and no duplicate.
//
// AuditStore reads: filtered pages, inclusion proofs from stored nodes (O(log n) rows), bundle
// export input, a full integrity check of the stored log, and retention purges.
#pragma once

#include "upcoach/compliance/auditbundle.h"
#include "upcoach/compliance/auditlog.h"
#include "upcoach/compliance/signedtreehead.h"
#include "upcoach/core/clock.h"
#include "upcoach/core/config.h"
#include "upcoach/core/result.h"
#include "upcoach/storage/connectionpool.h"

#include <QDateTime>
#include <QString>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace upcoach::compliance {

struct AuditLogSettings
{
    uint64_t treeHeadEvery = 1000;                      // sign once this many events are unsigned
    std::chrono::milliseconds treeHeadInterval{10'000}; // or once the oldest unsigned is this old
    int maxBatch = 8192;                                // events per transaction
    int maxQueued = 200'000; // back-pressure: record() fails with Unavailable beyond this
};

// Interior nodes of this level and above are stored; lower ones are recomputed from at most 16
// leaves when a proof needs them.
inline constexpr uint32_t kStoredNodeMinLevel = 4;

// The Ed25519 key that signs tree heads, kept as a PKCS#8 PEM file (mode 0600). Created when
// missing and `create` is set; an existing file that is not an Ed25519 key is an error.
Result<Ed25519Signer> loadSigningKey(const QString &path, bool create);

class PostgresAuditLog final : public AuditLog
{
public:
    // Connects (the application's login), registers the signer's public key and starts the
    // writer thread.
    static Result<std::unique_ptr<PostgresAuditLog>> open(const RegionEndpoint &controlPlane,
                                                          Ed25519Signer signer,
                                                          AuditLogSettings settings = {},
                                                          const Clock &clock = Clock::system());
    // Writes what is queued, signs a final head when events are unsigned, stops the thread.
    ~PostgresAuditLog() override;
    PostgresAuditLog(const PostgresAuditLog &) = delete;
    PostgresAuditLog &operator=(const PostgresAuditLog &) = delete;

    QFuture<Result<AuditReceipt>> record(AuditRecord record) override;

    // Blocking: waits until everything queued before the call is committed, then signs a tree
    // head when the stored tree has grown past the last signed one. Returns the last signed
    // tree size.
    Result<uint64_t> flushAndSign();

    const QByteArray &publicKeyRaw() const;

private:
    struct Impl;
    explicit PostgresAuditLog(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

struct AuditQuery
{
    std::optional<QString> tenant; // exactly this slug ("" = platform events)
    QString actor;                 // exact match when set
    QString action;                // exact match, or a prefix when it ends in '*'
    QString outcome;
    QString classification;
    QDateTime from; // inclusive
    QDateTime to;   // exclusive
    // Newest first, below this sequence (the cursor of the previous page).
    std::optional<uint64_t> beforeSequence;
    // Oldest first, above this sequence (tailing the log); excludes beforeSequence.
    std::optional<uint64_t> afterSequence;
    // Oldest first from the beginning of the log (implied by afterSequence).
    bool oldestFirst = false;
    int limit = 100; // 1..1000
};

struct AuditPage
{
    std::vector<AuditEvent> events;
    std::optional<uint64_t> nextCursor; // pass as beforeSequence/afterSequence for the next page
};

struct StoredTreeHead
{
    SignedTreeHead signedHead;
    QByteArray publicKeyRaw;
};

struct EventProof
{
    AuditEvent event;
    Hash leafHash{};
    StoredTreeHead treeHead; // the latest signed head that covers the event
    std::vector<Hash> proof; // RFC 9162 PATH(sequence, treeSize), deepest first
};

struct StoredLogReport
{
    uint64_t treeSize = 0;
    uint64_t events = 0;       // rows present
    uint64_t purgedEvents = 0; // in purged segments
    int treeHeads = 0;
    uint64_t nodesChecked = 0;
};

struct PurgeReport
{
    std::vector<uint64_t> segments; // purged now
    uint64_t events = 0;
};

class AuditStore
{
public:
    explicit AuditStore(storage::ConnectionPool &controlPlane);

    // Blocking (database): worker threads, the CLI and the server's thread pool only.
    Result<AuditPage> list(const AuditQuery &query);
    // NotFound for an unknown id or a purged event; Unavailable when no signed tree head
    // covers the event yet (retry after the tree head interval).
    Result<EventProof> proof(const QString &eventId);
    Result<std::optional<StoredTreeHead>> latestTreeHead();
    // PATH(leafIndex, treeSize) from stored nodes; treeSize must not exceed the stored tree.
    Result<std::vector<Hash>> inclusionProof(uint64_t leafIndex, uint64_t treeSize);
    // Everything writeBundle needs for the log up to the latest signed tree head, filtered.
    Result<BundleInput> bundleInput(const BundleFilter &filter);
    // Recomputes every stored leaf from its row, the tree from the leaves, and compares with the
    // stored nodes, the head row, every signed tree head (and its signature) and every purged
    // segment. InvalidInput names the first bad sequence (or leaf range) and what is wrong.
    Result<StoredLogReport> verifyStored();
    // Purges every whole segment whose events all passed their retention: appends the signed
    // purge record through `log`, then has the database delete the segment (it re-checks all
    // conditions itself). `now` only selects candidates; the database decides with its own time.
    Result<PurgeReport> purgeExpired(PostgresAuditLog &log);

private:
    storage::ConnectionPool &m_pool;
};

} // namespace upcoach::compliance
