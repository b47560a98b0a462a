#include "regionlistmodel.h"

#include <QLocale>
#include <QThread>
#include <algorithm>

namespace upcoach::viewmodels {

using storage::HealthStatus;
using storage::RegionHealth;

namespace {

QVariant dateOrNull(const QDateTime &value)
{
    return value.isValid() ? QVariant(value) : QVariant();
}

// The roles whose value differs between two health records of the same region.
QList<int> changedRoles(const RegionHealth &before, const RegionHealth &after)
{
    QList<int> roles;
    if (before.status != after.status)
        roles << RegionListModel::StatusRole;
    if (before.latencyMs != after.latencyMs)
        roles << RegionListModel::LatencyMsRole;
    if (before.connectMs != after.connectMs)
        roles << RegionListModel::ConnectMsRole;
    if (before.role != after.role)
        roles << RegionListModel::RoleRole;
    if (before.serverVersion != after.serverVersion)
        roles << RegionListModel::ServerVersionRole;
    if (before.databaseSizeBytes != after.databaseSizeBytes)
        roles << RegionListModel::DatabaseSizeBytesRole << RegionListModel::DatabaseSizeTextRole;
    if (before.connections != after.connections)
        roles << RegionListModel::ConnectionsRole;
    if (before.error != after.error)
        roles << RegionListModel::ErrorRole;
    if (before.checkedAt != after.checkedAt)
        roles << RegionListModel::CheckedAtRole;
    if (before.statusSince != after.statusSince)
        roles << RegionListModel::StatusSinceRole;
    return roles;
}

} // namespace

RegionListModel::RegionListModel(std::vector<upcoach::Region> regions, QObject *parent)
    : QAbstractListModel(parent)
{
    m_rows.reserve(regions.size());
    for (auto &region : regions) {
        RegionHealth health;
        health.regionId = region.id;
        m_rows.push_back(Row{std::move(region), std::move(health)});
    }
}

int RegionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant RegionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[static_cast<std::size_t>(index.row())];
    const RegionHealth &health = row.health;
    switch (role) {
    case Qt::DisplayRole:
    case DisplayNameRole:
        return row.region.displayName;
    case RegionIdRole:
        return row.region.id;
    case CityRole:
        return row.region.city;
    case CountryRole:
        return row.region.country;
    case ContinentRole:
        return row.region.continent;
    case LatitudeRole:
        return row.region.latitude;
    case LongitudeRole:
        return row.region.longitude;
    case StatusRole:
        return storage::healthStatusName(health.status);
    case LatencyMsRole:
        return health.latencyMs;
    case ConnectMsRole:
        return health.connectMs;
    case RoleRole:
        return storage::databaseRoleName(health.role);
    case ServerVersionRole:
        return health.serverVersion;
    case DatabaseSizeBytesRole:
        return health.databaseSizeBytes;
    case DatabaseSizeTextRole:
        return health.databaseSizeBytes < 0 ? QString()
                                            : QLocale().formattedDataSize(health.databaseSizeBytes);
    case ConnectionsRole:
        return health.connections;
    case ErrorRole:
        return health.error;
    case CheckedAtRole:
        return dateOrNull(health.checkedAt);
    case StatusSinceRole:
        return dateOrNull(health.statusSince);
    default:
        return {};
    }
}

QHash<int, QByteArray> RegionListModel::roleNames() const
{
    return {
        {RegionIdRole, "regionId"},
        {DisplayNameRole, "displayName"},
        {CityRole, "city"},
        {CountryRole, "country"},
        {ContinentRole, "continent"},
        {LatitudeRole, "latitude"},
        {LongitudeRole, "longitude"},
        {StatusRole, "status"},
        {LatencyMsRole, "latencyMs"},
        {ConnectMsRole, "connectMs"},
        {RoleRole, "role"},
        {ServerVersionRole, "serverVersion"},
        {DatabaseSizeBytesRole, "databaseSizeBytes"},
        {DatabaseSizeTextRole, "databaseSizeText"},
        {ConnectionsRole, "connections"},
        {ErrorRole, "error"},
        {CheckedAtRole, "checkedAt"},
        {StatusSinceRole, "statusSince"},
    };
}

void RegionListModel::applySnapshot(upcoach::storage::HealthSnapshotPtr snapshot)
{
    Q_ASSERT_X(QThread::currentThread() == thread(), "RegionListModel::applySnapshot",
               "connect the monitor with Qt::QueuedConnection");
    if (!snapshot)
        return;
    if (!m_loading && snapshot->generation <= m_generation)
        return;
    m_generation = snapshot->generation;

    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        const RegionHealth *found = snapshot->find(row.region.id);
        RegionHealth next;
        if (found) {
            next = *found;
        } else {
            // A region the monitor does not probe is unknown, not stale.
            next.regionId = row.region.id;
        }
        const QList<int> roles = changedRoles(row.health, next);
        row.health = std::move(next);
        if (!roles.isEmpty()) {
            const QModelIndex changed = index(static_cast<int>(i));
            Q_EMIT dataChanged(changed, changed, roles);
        }
    }

    m_lastUpdated = snapshot->takenAt;
    recomputeSummary();
    Q_EMIT summaryChanged();
    if (m_loading) {
        m_loading = false;
        Q_EMIT loadingChanged();
    }
}

void RegionListModel::recomputeSummary()
{
    m_upCount = 0;
    m_downCount = 0;
    m_slowestLatencyMs = -1;
    m_slowestRegionName.clear();
    std::vector<double> latencies;
    latencies.reserve(m_rows.size());
    for (const Row &row : m_rows) {
        if (row.health.status == HealthStatus::Up)
            ++m_upCount;
        else if (row.health.status == HealthStatus::Down)
            ++m_downCount;
        if (row.health.status != HealthStatus::Up || row.health.latencyMs < 0)
            continue;
        latencies.push_back(row.health.latencyMs);
        if (row.health.latencyMs > m_slowestLatencyMs) {
            m_slowestLatencyMs = row.health.latencyMs;
            m_slowestRegionName = row.region.displayName;
        }
    }
    if (latencies.empty()) {
        m_medianLatencyMs = -1;
        return;
    }
    std::sort(latencies.begin(), latencies.end());
    const std::size_t middle = latencies.size() / 2;
    m_medianLatencyMs = latencies.size() % 2 == 1
                            ? latencies[middle]
                            : (latencies[middle - 1] + latencies[middle]) / 2.0;
}

} // namespace upcoach::viewmodels
