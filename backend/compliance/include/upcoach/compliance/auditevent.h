// One audit event, its canonical bytes (what the Merkle leaf hashes) and its JSON line form.
// The byte layout is documented in README.md ("Audit event encoding, version ua1"); it is never
// changed — a new layout gets a new magic.
#pragma once

#include "upcoach/compliance/merkle.h"
#include "upcoach/core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <cstdint>

namespace upcoach::compliance {

// Limits that make every event encodable and every event line bounded.
inline constexpr qsizetype kMaxEventLineBytes = 64 * 1024;        // one JSON line, without '\n'
inline constexpr qsizetype kMaxEventFieldBytes = 1024;            // each string field, UTF-8
inline constexpr qsizetype kMaxDetailsBytes = 48 * 1024;          // canonical details JSON
inline constexpr int kMaxDetailsDepth = 16;                       // nesting of objects/arrays
inline constexpr uint64_t kMaxSequence = (uint64_t(1) << 53) - 1; // exact in every JSON reader
inline constexpr int64_t kMaxSafeJsonInteger = (int64_t(1) << 53) - 1;

struct AuditEvent
{
    QString id;             // lowercase UUID, 8-4-4-4-12, no braces
    uint64_t sequence = 0;  // the leaf index: 0, 1, 2, ... without gaps
    QDateTime time;         // the instant, millisecond precision; 1970 <= year <= 9999
    QString actor;          // "user:alice@example.com", "service:upcoach-ops"; required
    QString impersonator;   // the real actor when `actor` is impersonated; may be empty
    QString tenant;         // tenant slug; empty = the platform itself
    QString action;         // "api-token.issue"; required, [a-z0-9][a-z0-9._:-]*
    QString target;         // what was acted on; may be empty
    QString outcome;        // "success" | "failure" | "denied"
    QString sourceIp;       // may be empty
    QString requestId;      // may be empty
    QString classification; // "security", "config-change", "phi-access"; same charset as action
    QJsonObject details;    // never a secret; integers only (see README)

    bool operator==(const AuditEvent &other) const = default;
};

// OK when the event can be encoded: every rule in the field comments above, valid Unicode in
// every string, string fields at most kMaxEventFieldBytes, details canonicalizable. The error
// names the field ("details.amount: ...").
Status validateEvent(const AuditEvent &event);

// The canonical JSON of a details object: keys sorted by UTF-8 bytes, no whitespace, integers
// only (|n| <= 2^53-1), strings escaped as README.md says. InvalidInput for a non-integer number,
// invalid Unicode, nesting deeper than kMaxDetailsDepth or more than kMaxDetailsBytes.
Result<QByteArray> canonicalDetailsJson(const QJsonObject &details);

// "ua1" then every field in a fixed order (README.md). Validates first.
Result<QByteArray> canonicalBytes(const AuditEvent &event);
// canonicalBytes split where the log fills in what it assigns, so a writer can encode (and
// validate) the caller's part before the event has a sequence: canonicalBytes(e) ==
// canonicalHead(e.id, e.sequence, e.time) + canonicalTail(e). The tail is the nine text fields
// and the details JSON, each as a 4-byte big-endian length and the UTF-8 bytes; canonicalTail
// validates every field except id, sequence and time.
QByteArray canonicalHead(QStringView id, uint64_t sequence, const QDateTime &time);
Result<QByteArray> canonicalTail(const AuditEvent &event);
// leafHash(canonicalBytes(event)): the event's Merkle leaf.
Result<Hash> leafHashOf(const AuditEvent &event);

// The event as one compact JSON object (no newline), at most kMaxEventLineBytes.
Result<QByteArray> eventToJson(const AuditEvent &event);
// Strict inverse of eventToJson: every field present with the right type, no unknown field,
// canonical time text, the line at most kMaxEventLineBytes. Errors name the field.
Result<AuditEvent> eventFromJson(QByteArrayView line);

// Times as text in bundles: "2026-03-14T15:09:26.535Z" (UTC, always milliseconds).
QString auditTimeToString(const QDateTime &time);
// Only that exact form; anything else is InvalidInput.
Result<QDateTime> auditTimeFromString(QStringView text);

} // namespace upcoach::compliance
