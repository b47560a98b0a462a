// What a tenant uses (rows and bytes per table, seats) and the admission check that keeps it
// within its plan's limits (TenantSettingsSource). Measured through a TenantSession snapshot, so
// the figures are the tenant's own rows whatever its isolation strategy: bytes are the stored
// size of its rows (pg_column_size of each row, TOASTed values as stored), not the table files,
// which the rls strategy shares between tenants. Blocking.
#pragma once

#include "upcoach/core/clock.h"
#include "upcoach/core/result.h"
#include "upcoach/tenancy/tenantsettings.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <chrono>
#include <mutex>
#include <vector>

namespace upcoach::tenancy {

class TenantSessions;
class TenantTransaction;

struct TableUsage
{
    QString table;
    qint64 rows = 0;
    qint64 bytes = 0;
};

struct TenantUsage
{
    QString slug;
    std::vector<TableUsage> tables; // tenantTables() order
    qint64 rows = 0;
    qint64 bytes = 0;
    qint64 seatsUsed = 0; // rows of users
    QDateTime measuredAt;
};

// Measures every tenant table in one read-only snapshot (operator access: also suspended and
// canceled tenants).
Result<TenantUsage> measureTenantUsage(TenantSessions &sessions, const QString &slug,
                                       const Clock &clock = Clock::system());

// The one place writers ask whether a tenant may grow. Seats are checked exactly inside the
// writer's transaction (admitSeats); storage against a measurement at most `maxAge` old plus what
// this process admitted since (storage limits are soft by that much).
class TenantQuota
{
public:
    TenantQuota(TenantSettingsSource &settings, TenantSessions &sessions,
                std::chrono::seconds maxAge = std::chrono::seconds(60),
                const Clock &clock = Clock::system());

    // The measurement cached for the tenant, or a new one when older than maxAge (or `fresh`).
    Result<TenantUsage> usage(const QString &slug, bool fresh = false);
    // Limits and usage side by side: {"tenant", "measuredAt", "rows", "tables": {<table>:
    // {"rows", "bytes"}}, "seats": {"used", "limit"}, "storageBytes": {"used", "limit"},
    // "apiRequestsPerMinute": {"limit"}}.
    Result<QJsonObject> report(const QString &slug, bool fresh = false);

    // Inside a writer's tenant transaction: serializes seat changes of the tenant
    // (a transaction-scoped advisory lock), counts the users and refuses (Conflict, naming
    // "limits.seats" with used and allowed) when `adding` more would exceed the seat limit.
    Status admitSeats(TenantTransaction &tx, qint64 adding);
    // The same comparison for a count the caller read (a pre-check before recording).
    Status checkSeats(const QString &slug, qint64 used, qint64 adding);
    // Refuses (Conflict, naming "limits.storageBytes") a write of `bytes` that would take the
    // tenant over its storage limit; otherwise counts it against the cached measurement.
    Status admitStorage(const QString &slug, qint64 bytes);

    void forget(const QString &slug);

private:
    struct Cached
    {
        TenantUsage usage;
        qint64 admittedSince = 0;
    };

    TenantSettingsSource &m_settings;
    TenantSessions &m_sessions;
    std::chrono::seconds m_maxAge;
    const Clock &m_clock;
    std::mutex m_mutex;
    QHash<QString, Cached> m_cache;
};

} // namespace upcoach::tenancy
