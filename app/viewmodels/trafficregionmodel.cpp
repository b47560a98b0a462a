#include "trafficregionmodel.h"

#include <algorithm>

namespace upcoach::viewmodels {

namespace {

QVariant dateOrNull(const QDateTime &value)
{
    return value.isValid() ? QVariant(value) : QVariant();
}

double percentOrUnknown(double ratio)
{
    return ratio < 0 ? -1 : ratio * 100;
}

bool sameRegions(const std::vector<TrafficRegionRow> &a, const std::vector<TrafficRegionRow> &b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const TrafficRegionRow &x, const TrafficRegionRow &y) {
                          return x.regionId == y.regionId;
                      });
}

} // namespace

TrafficRegionModel::TrafficRegionModel(QObject *parent)
    : QAbstractListModel(parent)
{}

int TrafficRegionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant TrafficRegionModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    return value(m_rows[std::size_t(index.row())], role);
}

QVariant TrafficRegionModel::value(const TrafficRegionRow &row, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
    case DisplayNameRole:
        return row.displayName;
    case RegionIdRole:
        return row.regionId;
    case CityRole:
        return row.city;
    case CountryRole:
        return row.country;
    case LatitudeRole:
        return row.latitude;
    case LongitudeRole:
        return row.longitude;
    case StatusRole:
        return row.status;
    case HealthDetailRole:
        return row.healthDetail;
    case HealthSinceRole:
        return dateOrNull(row.healthSince);
    case CheckLatencyMsRole:
        return row.checkLatencyMs;
    case UptimePercentRole:
        return percentOrUnknown(row.uptimeRatio);
    case RequestsRole:
        return double(row.requests);
    case RequestsPerSecondRole:
        return row.requestsPerSecond;
    case P50MsRole:
        return row.p50Ms;
    case P95MsRole:
        return row.p95Ms;
    case P99MsRole:
        return row.p99Ms;
    case ErrorPercentRole:
        return percentOrUnknown(row.errorRate);
    case SharePercentRole:
        return row.share * 100;
    case HedgesSentRole:
        return double(row.hedgesSent);
    case HedgesWonRole:
        return double(row.hedgesWon);
    case LatencySavedMsRole:
        return row.latencySavedMs;
    case TopCountriesRole:
        return row.topCountries;
    case TopEndpointsRole:
        return row.topEndpoints;
    case WeightsRole:
        return row.weights;
    case OverrideReasonRole:
        return row.overrideReason;
    case OverrideByRole:
        return row.overrideBy;
    case OverrideAtRole:
        return dateOrNull(row.overrideAt);
    case FailoverTargetRole:
        return row.failoverTarget;
    case DatabaseLatencyMsRole:
        return m_database.value(row.regionId).latencyMs;
    case DatabaseStatusRole:
        return m_database.value(row.regionId).status;
    case SelectedRole:
        return row.regionId == m_selected;
    default:
        return {};
    }
}

QHash<int, QByteArray> TrafficRegionModel::roleNames() const
{
    return {
        {RegionIdRole, "regionId"},
        {DisplayNameRole, "displayName"},
        {CityRole, "city"},
        {CountryRole, "country"},
        {LatitudeRole, "latitude"},
        {LongitudeRole, "longitude"},
        {StatusRole, "status"},
        {HealthDetailRole, "healthDetail"},
        {HealthSinceRole, "healthSince"},
        {CheckLatencyMsRole, "checkLatencyMs"},
        {UptimePercentRole, "uptimePercent"},
        {RequestsRole, "requests"},
        {RequestsPerSecondRole, "requestsPerSecond"},
        {P50MsRole, "p50Ms"},
        {P95MsRole, "p95Ms"},
        {P99MsRole, "p99Ms"},
        {ErrorPercentRole, "errorPercent"},
        {SharePercentRole, "sharePercent"},
        {HedgesSentRole, "hedgesSent"},
        {HedgesWonRole, "hedgesWon"},
        {LatencySavedMsRole, "latencySavedMs"},
        {TopCountriesRole, "topCountries"},
        {TopEndpointsRole, "topEndpoints"},
        {WeightsRole, "weights"},
        {OverrideReasonRole, "overrideReason"},
        {OverrideByRole, "overrideBy"},
        {OverrideAtRole, "overrideAt"},
        {FailoverTargetRole, "failoverTarget"},
        {DatabaseLatencyMsRole, "databaseLatencyMs"},
        {DatabaseStatusRole, "databaseStatus"},
        {SelectedRole, "selected"},
    };
}

int TrafficRegionModel::rowOf(const QString &regionId) const
{
    const auto found = std::find_if(m_rows.begin(), m_rows.end(), [&](const TrafficRegionRow &row) {
        return row.regionId == regionId;
    });
    return found == m_rows.end() ? -1 : int(found - m_rows.begin());
}

QString TrafficRegionModel::regionName(const QString &regionId) const
{
    const int row = rowOf(regionId);
    return row < 0 ? regionId : m_rows[std::size_t(row)].displayName;
}

QVariantMap TrafficRegionModel::rowMap(int row) const
{
    QVariantMap map;
    if (row < 0 || row >= count())
        return map;
    const QHash<int, QByteArray> roles = roleNames();
    for (auto it = roles.begin(); it != roles.end(); ++it)
        map.insert(QString::fromLatin1(it.value()), value(m_rows[std::size_t(row)], it.key()));
    return map;
}

QVariantMap TrafficRegionModel::get(const QString &regionId) const
{
    return rowMap(rowOf(regionId));
}

QVariantMap TrafficRegionModel::selected() const
{
    return rowMap(selectedRow());
}

int TrafficRegionModel::countOf(const QString &status) const
{
    return int(std::count_if(m_rows.begin(), m_rows.end(),
                             [&](const TrafficRegionRow &row) { return row.status == status; }));
}

void TrafficRegionModel::select(const QString &regionId)
{
    if (regionId == m_selected || rowOf(regionId) < 0)
        return;
    const int before = selectedRow();
    m_selected = regionId;
    const int after = selectedRow();
    for (const int row : {before, after}) {
        if (row >= 0)
            Q_EMIT dataChanged(index(row), index(row), {SelectedRole});
    }
    Q_EMIT selectionChanged();
    Q_EMIT selectedChanged();
}

void TrafficRegionModel::apply(const std::vector<TrafficRegionRow> &rows)
{
    const int countBefore = count();
    if (m_rows.empty() && !rows.empty()) {
        beginInsertRows({}, 0, int(rows.size()) - 1);
        m_rows = rows;
        endInsertRows();
    } else if (!sameRegions(m_rows, rows)) {
        // The policy's regions changed (a new policy): a different list, not an update.
        beginResetModel();
        m_rows = rows;
        endResetModel();
    } else {
        const int selected = selectedRow();
        bool selectedTouched = false;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (m_rows[i] == rows[i])
                continue;
            m_rows[i] = rows[i];
            const QModelIndex at = index(int(i));
            Q_EMIT dataChanged(at, at);
            selectedTouched = selectedTouched || int(i) == selected;
        }
        if (selectedTouched)
            Q_EMIT selectedChanged();
    }
    if (count() != countBefore)
        Q_EMIT countChanged();
    Q_EMIT summaryChanged();

    if (rowOf(m_selected) < 0) {
        m_selected = m_rows.empty() ? QString() : m_rows.front().regionId;
        if (!m_rows.empty())
            Q_EMIT dataChanged(index(0), index(0), {SelectedRole});
        Q_EMIT selectionChanged();
        Q_EMIT selectedChanged();
    }
}

void TrafficRegionModel::setDatabaseHealth(const QHash<QString, DatabaseHealth> &health)
{
    const QHash<QString, DatabaseHealth> before = m_database;
    m_database = health;
    const int selected = selectedRow();
    bool selectedTouched = false;
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        const QString &id = m_rows[i].regionId;
        if (before.value(id) == m_database.value(id))
            continue;
        const QModelIndex at = index(int(i));
        Q_EMIT dataChanged(at, at, {DatabaseLatencyMsRole, DatabaseStatusRole});
        selectedTouched = selectedTouched || int(i) == selected;
    }
    if (selectedTouched)
        Q_EMIT selectedChanged();
}

} // namespace upcoach::viewmodels
