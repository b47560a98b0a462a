// Self-contained audit bundles: a directory with the events, the signed tree heads, the public
// key, the proofs and a manifest, written by writeBundle and checked by verifyBundle with no
// database and no network. The exact format is in README.md ("Audit bundle format, version 1").
#pragma once

#include "upcoach/compliance/auditevent.h"
#include "upcoach/compliance/merkle.h"
#include "upcoach/compliance/signedtreehead.h"
#include "upcoach/core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace upcoach::compliance {

inline constexpr int kBundleFormatVersion = 1;

struct SignedTreeHead
{
    TreeHead head;
    QByteArray signature; // 64 bytes, Ed25519 over treeHeadSigningBytes(head)
};

// Which events a bundle holds. No filter at all makes a complete bundle (every event of the
// signed tree, checked by recomputing the root); any filter makes a filtered one (each event
// carries an inclusion proof).
struct BundleFilter
{
    std::optional<QString> tenant; // exactly this tenant slug ("" = platform events only)
    QDateTime from;                // inclusive; invalid = unbounded
    QDateTime to;                  // exclusive; invalid = unbounded

    bool isEmpty() const { return !tenant && !from.isValid() && !to.isValid(); }
    bool matches(const AuditEvent &event) const;
};

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
};

// Writes the bundle into `dir` (created if missing; must not already hold bundle files).
// Refuses to write a bundle that would not verify: a head whose signature or root does not
// match, an event whose leaf hash differs from leafHashes, a key that is not 32 bytes.
Status writeBundle(const QString &dir, const BundleInput &input);

struct VerifyOptions
{
    // SHA-256 hex of the raw public key the auditor trusts (from the operator, out of band).
    // Empty = accept the bundle's own key and only report its fingerprint.
    QString expectedKeyFingerprint;
};

struct VerifyReport
{
    bool complete = false; // no filter: every event of the tree is in the bundle
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
};

// Checks everything listed in README.md. The error (InvalidInput) names the first bad position
// ("events.jsonl line 17 (sequence 16): ...") and what is wrong; NotFound when a file is missing.
Result<VerifyReport> verifyBundle(const QString &dir, const VerifyOptions &options = {});

// SHA-256 hex of a raw public key: the fingerprint auditors compare.
QString keyFingerprint(QByteArrayView publicKeyRaw);

// Inclusion proofs of several leaves in one pass: O(n) hashes plus O(log n) per proof, instead
// of O(n) per proof. `indices` must be strictly increasing and below leafHashes.size().
Result<std::vector<std::vector<Hash>>> inclusionProofs(std::span<const Hash> leafHashes,
                                                       std::span<const uint64_t> indices);

} // namespace upcoach::compliance
