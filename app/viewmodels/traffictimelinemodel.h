// The selected region's traffic over the last five minutes, as a table QtCharts' VXYModelMapper
// maps onto line series: one row per five-second step (oldest first), columns time (ms since the
// epoch, UTC), requests per second, p95 latency (ms) and error rate (percent). The axis ranges
// come from here too: `from`/`to` and rounded-up maxima of the series.
//
// GUI thread only. A refresh keeps the row count (a sliding window) and emits dataChanged; the
// rows are inserted once when the first timeline arrives. Steps without answers have p95 0.
#pragma once

#include "upcoach/routing/trafficstats.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QtQml/qqmlregistration.h>
#include <vector>

namespace upcoach::viewmodels {

class TrafficTimelineModel final : public QAbstractTableModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("part of TrafficWorkspace")

    Q_PROPERTY(int count READ count NOTIFY changed)
    Q_PROPERTY(QString regionId READ regionId NOTIFY changed)
    // The time axis: whole minutes around the points, one tick per minute (timeTickCount), so
    // "HH:mm" labels never repeat.
    Q_PROPERTY(QDateTime from READ from NOTIFY changed)
    Q_PROPERTY(QDateTime to READ to NOTIFY changed)
    Q_PROPERTY(int timeTickCount READ timeTickCount NOTIFY changed)
    Q_PROPERTY(double maxRequestsPerSecond READ maxRequestsPerSecond NOTIFY changed)
    Q_PROPERTY(double maxP95Ms READ maxP95Ms NOTIFY changed)
    Q_PROPERTY(double maxErrorPercent READ maxErrorPercent NOTIFY changed)
    // Tick marks of the value axes: kAxisSteps + 1 (0 and the maximum included).
    Q_PROPERTY(int axisTickCount READ axisTickCount CONSTANT)
    // The newest step's figures (-1 before the first timeline).
    Q_PROPERTY(double latestRequestsPerSecond READ latestRequestsPerSecond NOTIFY changed)
    Q_PROPERTY(double latestP95Ms READ latestP95Ms NOTIFY changed)
    // Any step of the window had requests.
    Q_PROPERTY(bool hasTraffic READ hasTraffic NOTIFY changed)

public:
    enum Column
    {
        TimeColumn,
        RequestsPerSecondColumn,
        P95MsColumn,
        ErrorPercentColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role
    {
        TimeRole = Qt::UserRole + 1,
        RequestsPerSecondRole,
        P95MsRole,
        ErrorPercentRole,
    };

    // The smallest axis maximum; the axes divide into kAxisSteps equal whole-number steps.
    static constexpr double kAxisMinimum = 5;
    static constexpr int kAxisSteps = 5;

    explicit TrafficTimelineModel(QObject *parent);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_points.size()); }
    QString regionId() const { return m_regionId; }
    QDateTime from() const;
    QDateTime to() const;
    double maxRequestsPerSecond() const { return m_maxRequestsPerSecond; }
    double maxP95Ms() const { return m_maxP95Ms; }
    double maxErrorPercent() const { return m_maxErrorPercent; }
    double latestRequestsPerSecond() const;
    double latestP95Ms() const;
    bool hasTraffic() const { return m_hasTraffic; }
    int axisTickCount() const { return kAxisSteps + 1; }
    int timeTickCount() const;

    // `regionId` empty: all regions.
    void apply(const QString &regionId, const std::vector<routing::TrafficStats::Point> &points);

    // The smallest "nice" number (1, 2, 2.5, 5 × 10^n) at or above `value`; `minimum` for 0.
    static double niceCeiling(double value, double minimum);

Q_SIGNALS:
    void changed();

private:
    QVariant cell(int row, int column) const;

    QString m_regionId;
    std::vector<routing::TrafficStats::Point> m_points;
    double m_maxRequestsPerSecond = kAxisMinimum;
    double m_maxP95Ms = kAxisMinimum;
    double m_maxErrorPercent = kAxisMinimum;
    bool m_hasTraffic = false;
};

} // namespace upcoach::viewmodels
