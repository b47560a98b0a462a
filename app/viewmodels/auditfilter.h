// What the Audit page's filters and search select, and the matcher that applies them to stored
// rows on any thread.
#pragma once

#include "auditeventstore.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

namespace upcoach::viewmodels {

struct AuditFilter
{
    std::optional<int64_t> fromMs; // inclusive, ms since the epoch; unset = unbounded
    std::optional<int64_t> toMs;   // exclusive
    QString actor;                 // case-insensitive substring; empty = any
    std::optional<QString> tenant; // exact; "" = platform events (no tenant)
    QString action;                // exact; empty = any
    QString outcome;               // exact; empty = any
    QString classification;        // exact; empty = any
    // Case-insensitive substring of any text field: id, actor, impersonator, tenant, action,
    // target, outcome, sourceIp, requestId, classification or the details JSON.
    QString search;

    bool isEmpty() const;
    bool operator==(const AuditFilter &other) const = default;
};

// Decides, per row, whether it passes a filter. Decisions about interned strings are made once per
// string; prepare() must have seen every string id the rows use.
class AuditFilterMatcher
{
public:
    AuditFilterMatcher() = default;
    explicit AuditFilterMatcher(AuditFilter filter);

    const AuditFilter &filter() const { return m_filter; }
    // Brings the per-string decisions up to `strings.size()`; ids keep their meaning, so only new
    // strings are looked at.
    void prepare(const std::vector<QString> &strings);
    bool matches(const AuditRow &row, const AuditChunk &chunk) const;

private:
    bool textMatches(QByteArrayView utf8) const;

    AuditFilter m_filter;
    std::vector<uint8_t> m_stringBits; // per string id, the constraints it satisfies
    QString m_search;                  // lower case
    QByteArray m_searchAscii;          // lower case UTF-8, when the search is plain ASCII
    bool m_searchIsAscii = true;
    std::array<uint32_t, 256> m_skip{}; // Horspool shifts for m_searchAscii, both cases
};

// The indices in [begin, end) of the snapshot's rows that pass, in order. Stops early (returning
// what it has) when `cancelled` becomes true.
std::vector<uint32_t> filterRows(const AuditStoreSnapshot &snapshot,
                                 const AuditFilterMatcher &matcher, qsizetype begin, qsizetype end,
                                 const std::atomic<bool> *cancelled = nullptr);

// A time the user typed, read as UTC: "2026-05-01", "2026-05-01 08:30", "2026-05-01T08:30:15",
// with optional ".zzz" milliseconds and a trailing "Z". Invalid for anything else.
QDateTime parseAuditFilterTime(const QString &text);

// "2026-05-01 08:30:15.123", UTC: how the page shows event times.
QString formatAuditTime(int64_t msSinceEpoch);

} // namespace upcoach::viewmodels
