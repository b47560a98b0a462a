// The audit routes' pure parts, separate from the server so they are unit-tested directly: the
// query string of GET /api/v1/audit, its opaque cursors, RFC 3339 times, event ids, and the JSON
// of a page and of a proof.
#pragma once

#include "upcoach/compliance/auditstore.h"
#include "upcoach/core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <QUrlQuery>
#include <optional>
#include <variant>

namespace upcoach::api::detail {

// RFC 3339 date-time: "2026-03-14T15:09:26.535Z", "2026-03-14T15:09:26Z",
// "2026-03-14T17:09:26.5+02:00" (T/Z in either case, 1..9 fraction digits, -00:00 = UTC).
// Fractions below a millisecond round up, so `t >= result` and `t < result` keep their meaning
// for millisecond event times. No leap second (:60), years 0001..9999.
std::optional<QDateTime> parseRfc3339(QStringView text);

// A lowercase or uppercase UUID 8-4-4-4-12 without braces; returned lowercase.
std::optional<QString> parseUuid(QStringView text);

inline constexpr int kMaxAuditPageSize = 1000;
inline constexpr int kDefaultAuditPageSize = 100;

// Why a query was refused: the parameter(s) named, and a sentence for the problem detail that
// never repeats the value.
struct QueryError
{
    QStringList parameters;
    QString detail;
};

// The query string of GET /api/v1/audit (decoded as QUrlQuery does: "+" stays "+"). Unknown,
// repeated or invalid parameters are refused; the error names them. A cursor becomes
// beforeSequence.
std::variant<compliance::AuditQuery, QueryError> parseAuditListQuery(const QUrlQuery &query);

// Cursors: base64url of version, the sequence to continue below, and a check value over both and
// the query's filters, so a modified cursor, garbage, or a cursor reused with other filters is
// refused instead of giving a wrong page. Not secret: reading the log is open to every role, and
// a cursor grants nothing the filters do not.
QString encodeAuditCursor(uint64_t sequence, const compliance::AuditQuery &filters);
std::optional<uint64_t> decodeAuditCursor(QStringView cursor,
                                          const compliance::AuditQuery &filters);

// {"events":[...eventToJson...],"nextCursor":"..."|null}. A page whose events would pass
// `maxBytes` is cut after the last event that fits (at least one is always kept), and its cursor
// continues from there. InvalidInput when a stored event cannot be written (it was stored
// invalid).
Result<QByteArray> auditPageJson(const compliance::AuditPage &page,
                                 const compliance::AuditQuery &filters, qsizetype maxBytes);

// {"event":{...}, "leafHash", "proof":[hex...], "treeHead":{treeSize, timestamp, rootHash,
// signature, publicKey, publicKeyFingerprint, signatureAlgorithm}}.
Result<QByteArray> auditProofJson(const compliance::EventProof &proof);

} // namespace upcoach::api::detail
