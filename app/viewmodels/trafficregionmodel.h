// The Regions page's health cards and map markers: one row per region the traffic policy routes
// to, with its routing status (an operator's drain or failover, the health checks' verdict),
// uptime, the last minute's traffic (requests/s, p95, error rate) and its database round trip
// (joined from RegionListModel). One region is selected: the page shows its chart and controls.
//
// Unknown numbers are -1 (no check yet, no requests in the window); dates null; strings empty.
// GUI thread only; rows change through apply() (dataChanged for changed rows, never a reset
// unless the policy's regions themselves change).
#pragma once

#include "trafficframe.h"

#include <QAbstractListModel>
#include <QHash>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>
#include <vector>

namespace upcoach::viewmodels {

class TrafficRegionModel final : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("part of TrafficWorkspace")

    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int healthyCount READ healthyCount NOTIFY summaryChanged)
    Q_PROPERTY(int unhealthyCount READ unhealthyCount NOTIFY summaryChanged)
    Q_PROPERTY(int drainedCount READ drainedCount NOTIFY summaryChanged)
    Q_PROPERTY(int failedOverCount READ failedOverCount NOTIFY summaryChanged)
    Q_PROPERTY(int unknownCount READ unknownCount NOTIFY summaryChanged)
    // The selected region's id ("" before the first data) and every role of its row by role name
    // (an empty map while none is selected).
    Q_PROPERTY(QString selectedRegion READ selectedRegion WRITE select NOTIFY selectionChanged)
    Q_PROPERTY(int selectedRow READ selectedRow NOTIFY selectionChanged)
    Q_PROPERTY(QVariantMap selected READ selected NOTIFY selectedChanged)

public:
    enum Role
    {
        RegionIdRole = Qt::UserRole + 1,
        DisplayNameRole,
        CityRole,
        CountryRole,
        LatitudeRole,
        LongitudeRole,
        StatusRole, // "healthy", "unhealthy", "drained", "failed-over", "unknown"
        HealthDetailRole,
        HealthSinceRole,
        CheckLatencyMsRole,
        UptimePercentRole, // 0..100, -1 before the first check
        RequestsRole,
        RequestsPerSecondRole,
        P50MsRole,
        P95MsRole,
        P99MsRole,
        ErrorPercentRole, // 0..100, -1 without requests
        SharePercentRole, // of the requests all regions served
        HedgesSentRole,
        HedgesWonRole,
        LatencySavedMsRole,
        TopCountriesRole, // [{code, name, requests}]
        TopEndpointsRole, // [{endpoint, requests}]
        WeightsRole,      // [{rule, weight}]
        OverrideReasonRole,
        OverrideByRole,
        OverrideAtRole,
        FailoverTargetRole,
        DatabaseLatencyMsRole, // RegionListModel's round trip; -1 unknown
        DatabaseStatusRole,    // "up", "down", "unknown"
        SelectedRole,
    };
    Q_ENUM(Role)

    // No default argument: Qt 6.4 instantiates QML element wrappers for default-constructible
    // types even when QML_UNCREATABLE, and a final class cannot be wrapped.
    explicit TrafficRegionModel(QObject *parent);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_rows.size()); }
    int healthyCount() const { return countOf(QStringLiteral("healthy")); }
    int unhealthyCount() const { return countOf(QStringLiteral("unhealthy")); }
    int drainedCount() const { return countOf(QStringLiteral("drained")); }
    int failedOverCount() const { return countOf(QStringLiteral("failed-over")); }
    int unknownCount() const { return countOf(QStringLiteral("unknown")); }

    QString selectedRegion() const { return m_selected; }
    int selectedRow() const { return rowOf(m_selected); }
    QVariantMap selected() const;
    // Selects a region by id; an unknown id is ignored.
    Q_INVOKABLE void select(const QString &regionId);

    // The row of a region, -1 when it is not listed.
    Q_INVOKABLE int rowOf(const QString &regionId) const;
    // A region's display name, or the id when it is not listed.
    Q_INVOKABLE QString regionName(const QString &regionId) const;
    // Every role of a region's row by role name; empty for an unknown region.
    Q_INVOKABLE QVariantMap get(const QString &regionId) const;
    const std::vector<TrafficRegionRow> &rows() const { return m_rows; }

    // Takes a frame's regions. The first region becomes selected when none is.
    void apply(const std::vector<TrafficRegionRow> &rows);
    // Region id → {latencyMs, status} from the database health monitor.
    struct DatabaseHealth
    {
        double latencyMs = -1;
        QString status = QStringLiteral("unknown");
        friend bool operator==(const DatabaseHealth &, const DatabaseHealth &) = default;
    };
    void setDatabaseHealth(const QHash<QString, DatabaseHealth> &health);

Q_SIGNALS:
    void countChanged();
    void summaryChanged();
    void selectionChanged();
    void selectedChanged();

private:
    QVariant value(const TrafficRegionRow &row, int role) const;
    QVariantMap rowMap(int row) const;
    int countOf(const QString &status) const;

    std::vector<TrafficRegionRow> m_rows;
    QHash<QString, DatabaseHealth> m_database;
    QString m_selected;
};

} // namespace upcoach::viewmodels
