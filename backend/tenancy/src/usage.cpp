#include "upcoach/tenancy/usage.h"

#include "upcoach/tenancy/provisioner.h"
#include "upcoach/tenancy/tenantsession.h"

#include <QJsonObject>

namespace upcoach::tenancy {

namespace {

// One statement over every tenant table: "SELECT 'users', count(*), sum(pg_column_size(t.*))
// FROM users t UNION ALL ...". The table names are ours (tenantTables()), never input.
const std::string &usageStatement()
{
    static const std::string sql = [] {
        std::string text;
        for (const QString &table : tenantTables()) {
            if (!text.empty())
                text += " UNION ALL ";
            const std::string name = table.toStdString();
            text += "SELECT '" + name +
                    "', count(*), coalesce(sum(pg_column_size(t.*)), 0)::bigint"
                    " FROM " +
                    name + " t";
        }
        return text;
    }();
    return sql;
}

Error overLimit(const QString &path, qint64 used, qint64 adding, qint64 limit)
{
    return makeError(ErrorCode::Conflict,
                     QStringLiteral("%1: the limit is %2; %3 used, %4 more would exceed it")
                         .arg(path)
                         .arg(limit)
                         .arg(used)
                         .arg(adding));
}

} // namespace

Result<TenantUsage> measureTenantUsage(TenantSessions &sessions, const QString &slug,
                                       const Clock &clock)
{
    auto measured = sessions.runSnapshot(slug, TenantAccess::Operator, [&](TenantTransaction &tx) {
        TenantUsage usage;
        usage.slug = tx.tenant().slug;
        for (const auto &row : tx.exec(usageStatement())) {
            TableUsage table;
            table.table = QString::fromStdString(row[0].as<std::string>());
            table.rows = row[1].as<qint64>();
            table.bytes = row[2].as<qint64>();
            usage.rows += table.rows;
            usage.bytes += table.bytes;
            if (table.table == QLatin1String("users"))
                usage.seatsUsed = table.rows;
            usage.tables.push_back(std::move(table));
        }
        return usage;
    });
    if (measured)
        measured->measuredAt = clock.now().toUTC();
    return measured;
}

TenantQuota::TenantQuota(TenantSettingsSource &settings, TenantSessions &sessions,
                         std::chrono::seconds maxAge, const Clock &clock)
    : m_settings(settings)
    , m_sessions(sessions)
    , m_maxAge(maxAge)
    , m_clock(clock)
{}

Result<TenantUsage> TenantQuota::usage(const QString &slug, bool fresh)
{
    if (!fresh) {
        std::lock_guard lock(m_mutex);
        const auto cached = m_cache.constFind(slug);
        if (cached != m_cache.cend() &&
            cached->usage.measuredAt.secsTo(m_clock.now()) < qint64(m_maxAge.count()))
            return cached->usage;
    }
    auto measured = measureTenantUsage(m_sessions, slug, m_clock);
    if (!measured)
        return measured.error();
    std::lock_guard lock(m_mutex);
    m_cache.insert(slug, Cached{measured.value(), 0});
    return measured;
}

Result<QJsonObject> TenantQuota::report(const QString &slug, bool fresh)
{
    auto settings = m_settings.settingsFor(slug);
    if (!settings)
        return settings.error();
    auto measured = usage(slug, fresh);
    if (!measured)
        return measured.error();
    QJsonObject tables;
    for (const TableUsage &table : measured->tables)
        tables.insert(table.table, QJsonObject{{QStringLiteral("rows"), double(table.rows)},
                                               {QStringLiteral("bytes"), double(table.bytes)}});
    const TenantLimits &limits = settings->limits;
    return QJsonObject{
        {QStringLiteral("tenant"), measured->slug},
        {QStringLiteral("measuredAt"), measured->measuredAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("rows"), double(measured->rows)},
        {QStringLiteral("tables"), tables},
        {QStringLiteral("seats"), QJsonObject{{QStringLiteral("used"), double(measured->seatsUsed)},
                                              {QStringLiteral("limit"), double(limits.seats)}}},
        {QStringLiteral("storageBytes"),
         QJsonObject{{QStringLiteral("used"), double(measured->bytes)},
                     {QStringLiteral("limit"), double(limits.storageBytes)}}},
        {QStringLiteral("apiRequestsPerMinute"),
         QJsonObject{{QStringLiteral("limit"), double(limits.apiRequestsPerMinute)}}},
    };
}

Status TenantQuota::checkSeats(const QString &slug, qint64 used, qint64 adding)
{
    if (adding <= 0)
        return {};
    auto settings = m_settings.settingsFor(slug);
    if (!settings)
        return settings.error();
    if (used + adding > settings->limits.seats)
        return overLimit(QStringLiteral("limits.seats"), used, adding, settings->limits.seats);
    return {};
}

Status TenantQuota::admitSeats(TenantTransaction &tx, qint64 adding)
{
    if (adding <= 0)
        return {};
    // Serializes seat changes of this tenant until the writer's transaction ends, so two
    // concurrent additions cannot both take the last seat.
    tx.exec("SELECT pg_advisory_xact_lock(740010, hashtext($1))",
            tx.tenant().id.toString(QUuid::WithoutBraces).toStdString());
    const qint64 used =
        tx.exec("SELECT count(*) FROM users WHERE deprovisioned_at IS NULL")[0][0].as<qint64>();
    return checkSeats(tx.tenant().slug, used, adding);
}

Status TenantQuota::admitStorage(const QString &slug, qint64 bytes)
{
    if (bytes <= 0)
        return {};
    auto settings = m_settings.settingsFor(slug);
    if (!settings)
        return settings.error();
    auto measured = usage(slug);
    if (!measured)
        return measured.error();
    std::lock_guard lock(m_mutex);
    auto entry = m_cache.find(slug);
    if (entry == m_cache.end())
        entry = m_cache.insert(slug, Cached{measured.value(), 0});
    Cached &cached = entry.value();
    const qint64 used = cached.usage.bytes + cached.admittedSince;
    if (used + bytes > settings->limits.storageBytes)
        return overLimit(QStringLiteral("limits.storageBytes"), used, bytes,
                         settings->limits.storageBytes);
    cached.admittedSince += bytes;
    return {};
}

void TenantQuota::forget(const QString &slug)
{
    std::lock_guard lock(m_mutex);
    m_cache.remove(slug);
}

} // namespace upcoach::tenancy
