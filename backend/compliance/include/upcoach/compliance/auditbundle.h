// Self-contained audit bundles: a directory with the events, the signed tree heads, the public
// key, the proofs and a manifest, written by writeBundle and checked by verifyBundle with no
// database and no network. The exact format is in README.md ("Audit bundle format"): version 2
// (retention purges) is written; versions 1 and 2 are verified.
#pragma once

#include "upcoach/compliance/auditevent.h"
#include "upcoach/compliance/merkle.h"
#include "upcoach/compliance/signedtreehead.h"
#include "upcoach/core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QLatin1StringView>
#include <QString>
#include <cstdint>
#include <optional>
#include <vector>

namespace upcoach::compliance {

// The version writeBundle writes; verifyBundle accepts kOldestBundleFormatVersion..this.
inline constexpr int kBundleFormatVersion = 2;
inline constexpr int kOldestBundleFormatVersion = 1;

struct SignedTreeHead
{
    TreeHead head;
    QByteArray signature; // 64 bytes, Ed25519 over treeHeadSigningBytes(head)
};

// Which events a bundle holds. No filter at all makes a complete bundle (every event of the
// signed tree except purged ranges, checked by recomputing the root); any filter makes a
// filtered one (each event carries an inclusion proof).
struct BundleFilter
{
    std::optional<QString> tenant; // exactly this tenant slug ("" = platform events only)
    QDateTime from;                // inclusive; invalid = unbounded
    QDateTime to;                  // exclusive; invalid = unbounded

    bool isEmpty() const { return !tenant && !from.isValid() && !to.isValid(); }
    bool matches(const AuditEvent &event) const;
};

// Events [firstSequence, lastSequence] deleted by retention. Their leaves stay in the log (and
// in leaves.txt); the purge record, event purgeRecordSequence (> lastSequence), says so under the
// log's signature. Aggregate: {first, last, record}.
struct PurgedRange
{
    uint64_t firstSequence = 0;
    uint64_t lastSequence = 0; // inclusive
    uint64_t purgeRecordSequence = 0;

    uint64_t eventCount() const { return lastSequence - firstSequence + 1; }
    bool operator==(const PurgedRange &other) const = default;
};

// The fixed fields of a purge record (README.md, "Audit bundle format").
inline constexpr QLatin1StringView kPurgeRecordAction{"audit.retention.purge"};
inline constexpr QLatin1StringView kPurgeRecordClassification{"audit-retention"};
inline constexpr QLatin1StringView kPurgeRecordActor{"service:upcoach-ops"};

// The details of the purge record of segment `segment` = events [firstSequence, lastSequence]:
// {"segment", "firstSequence", "lastSequence", "eventCount", "segmentRoot" (hex MTH of the
// segment's leaves), "retention" (the policy, any object)}.
QJsonObject purgeRecordDetails(uint64_t segment, uint64_t firstSequence, uint64_t lastSequence,
                               const Hash &segmentRoot, const QJsonObject &retention);

// OK when `record` is a well-formed purge record of `range` (action, classification, actor,
// tenant "", target "segment:K", outcome success, exactly the details above with matching
// numbers, sequence purgeRecordSequence > lastSequence) whose segmentRoot is `segmentRoot`, the
// MTH of leaves [firstSequence, lastSequence + 1). InvalidInput naming what differs otherwise.
Status checkPurgeRecord(const AuditEvent &record, const PurgedRange &range,
                        const Hash &segmentRoot);

struct BundleInput
{
    // Every leaf of the log, at least up to the final tree head's size (leaf i = sequence i).
    // When empty, computed from `events`, which must then be the whole log from sequence 0.
    std::vector<Hash> leafHashes;
    // The candidate events in sequence order; writeBundle keeps those the filter matches and
    // that lie inside the final tree head. Each must hash to leafHashes[sequence].
    std::vector<AuditEvent> events;
    // Signed tree heads in increasing size; the bundle is checked against the last one.
    std::vector<SignedTreeHead> treeHeads;
    QByteArray publicKeyRaw; // 32 bytes, the key that signed every head
    BundleFilter filter;
    QDateTime created; // invalid = now
    // Ranges deleted by retention, sorted and non-overlapping; complete bundles only. Events inside
    // them are left out even when `events` still holds them; each purge record must be among
    // `events`, and leafHashes must be given.
    std::vector<PurgedRange> purged;
};

// Writes the bundle into `dir` (created if missing; must not already hold bundle files).
// Refuses to write a bundle that would not verify: a head whose signature or root does not
// match, an event whose leaf hash differs from leafHashes, a key that is not 32 bytes, a purged
// range without its matching purge record, purges in a filtered bundle, a gap in a bundle
// filtered by time only. O(n + heads * log n) hashes (MerkleNodeCache); removes what it wrote
// if writing fails.
Status writeBundle(const QString &dir, const BundleInput &input);

struct VerifyOptions
{
    // SHA-256 hex of the raw public key the auditor trusts (from the operator, out of band).
    // Empty = accept the bundle's own key and only report its fingerprint.
    QString expectedKeyFingerprint;
};

struct VerifyReport
{
    int formatVersion = 0;
    bool complete = false; // no filter: every event of the tree, except purged ones, is present
    uint64_t eventCount = 0;
    std::optional<uint64_t> firstSequence;
    std::optional<uint64_t> lastSequence;
    QDateTime firstTime; // earliest and latest event time (invalid when no events)
    QDateTime lastTime;
    int treeHeadCount = 0;
    uint64_t finalTreeSize = 0;
    Hash finalRoot{};
    QDateTime finalTreeHeadTime;
    QString keyFingerprint; // SHA-256 hex of the raw 32-byte public key
    bool keyPinned = false; // the fingerprint matched VerifyOptions::expectedKeyFingerprint
    BundleFilter filter;
    QDateTime created;
    std::vector<PurgedRange> purged; // version 2, complete bundles: each proven by its record
    uint64_t purgedEventCount = 0;   // eventCount + purgedEventCount == finalTreeSize (complete)
};

// Checks everything listed in README.md. The error (InvalidInput) names the first bad position
// ("events.jsonl line 17 (sequence 16): ...") and what is wrong; NotFound when a file is missing.
Result<VerifyReport> verifyBundle(const QString &dir, const VerifyOptions &options = {});

// SHA-256 hex of a raw public key: the fingerprint auditors compare.
QString keyFingerprint(QByteArrayView publicKeyRaw);

} // namespace upcoach::compliance
