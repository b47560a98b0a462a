#include "traffictimelinemodel.h"

#include <algorithm>
#include <cmath>

namespace upcoach::viewmodels {

TrafficTimelineModel::TrafficTimelineModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int TrafficTimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

int TrafficTimelineModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(ColumnCount);
}

QVariant TrafficTimelineModel::cell(int row, int column) const
{
    const routing::TrafficStats::Point &point = m_points[std::size_t(row)];
    switch (column) {
    case TimeColumn:
        return double(point.at.toMSecsSinceEpoch());
    case RequestsPerSecondColumn:
        return point.requestsPerSecond;
    case P95MsColumn:
        return point.p95Ms;
    case ErrorPercentColumn:
        return point.errorRate * 100;
    default:
        return {};
    }
}

QVariant TrafficTimelineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return cell(index.row(), index.column());
    case TimeRole:
        return cell(index.row(), TimeColumn);
    case RequestsPerSecondRole:
        return cell(index.row(), RequestsPerSecondColumn);
    case P95MsRole:
        return cell(index.row(), P95MsColumn);
    case ErrorPercentRole:
        return cell(index.row(), ErrorPercentColumn);
    default:
        return {};
    }
}

QVariant TrafficTimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 ||
        section >= ColumnCount)
        return {};
    static const char *const names[] = {"time", "requestsPerSecond", "p95Ms", "errorPercent"};
    return QString::fromLatin1(names[section]);
}

QHash<int, QByteArray> TrafficTimelineModel::roleNames() const
{
    QHash<int, QByteArray> roles = QAbstractTableModel::roleNames();
    roles.insert(TimeRole, "time");
    roles.insert(RequestsPerSecondRole, "requestsPerSecond");
    roles.insert(P95MsRole, "p95Ms");
    roles.insert(ErrorPercentRole, "errorPercent");
    return roles;
}

namespace {

constexpr qint64 kMinuteMs = 60'000;

} // namespace

QDateTime TrafficTimelineModel::from() const
{
    if (m_points.empty())
        return {};
    const qint64 first = m_points.front().at.toMSecsSinceEpoch();
    return QDateTime::fromMSecsSinceEpoch(first - first % kMinuteMs, Qt::UTC);
}

QDateTime TrafficTimelineModel::to() const
{
    if (m_points.empty())
        return {};
    return from().addMSecs((timeTickCount() - 1) * kMinuteMs);
}

int TrafficTimelineModel::timeTickCount() const
{
    if (m_points.empty())
        return 2;
    const qint64 span = m_points.back().at.toMSecsSinceEpoch() - from().toMSecsSinceEpoch();
    return int(std::max<qint64>(1, (span + kMinuteMs - 1) / kMinuteMs)) + 1;
}

double TrafficTimelineModel::latestRequestsPerSecond() const
{
    return m_points.empty() ? -1 : m_points.back().requestsPerSecond;
}

double TrafficTimelineModel::latestP95Ms() const
{
    return m_points.empty() ? -1 : m_points.back().p95Ms;
}

double TrafficTimelineModel::niceCeiling(double value, double minimum)
{
    if (!(value > 0) || !std::isfinite(value))
        return minimum;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (const double step : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (step * magnitude >= value * (1 - 1e-9))
            return std::max(minimum, step * magnitude);
    }
    return std::max(minimum, 10 * magnitude);
}

void TrafficTimelineModel::apply(const QString &regionId,
                                 const std::vector<routing::TrafficStats::Point> &points)
{
    const std::size_t before = m_points.size();
    if (points.size() != before) {
        // Only the first timeline (or a different window) changes the row count.
        if (before > 0) {
            beginRemoveRows({}, 0, int(before) - 1);
            m_points.clear();
            endRemoveRows();
        }
        if (!points.empty()) {
            beginInsertRows({}, 0, int(points.size()) - 1);
            m_points = points;
            endInsertRows();
        }
    } else if (!points.empty()) {
        m_points = points;
        Q_EMIT dataChanged(index(0, 0), index(count() - 1, ColumnCount - 1));
    }
    m_regionId = regionId;

    double rps = 0, p95 = 0, errors = 0;
    bool traffic = false;
    for (const routing::TrafficStats::Point &point : m_points) {
        rps = std::max(rps, point.requestsPerSecond);
        p95 = std::max(p95, point.p95Ms);
        errors = std::max(errors, point.errorRate * 100);
        traffic = traffic || point.requestsPerSecond > 0;
    }
    // Headroom above the highest point, so the line never runs along the frame; at least
    // kAxisMinimum, so five equal steps are whole numbers (5, 10, 20, 25, 50, ...).
    m_maxRequestsPerSecond = niceCeiling(rps * 1.1, kAxisMinimum);
    m_maxP95Ms = niceCeiling(p95 * 1.1, kAxisMinimum);
    m_maxErrorPercent = niceCeiling(errors * 1.1, kAxisMinimum);
    m_hasTraffic = traffic;
    Q_EMIT changed();
}

} // namespace upcoach::viewmodels
