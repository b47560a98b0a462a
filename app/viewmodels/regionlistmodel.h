// The Regions overview as a list model: one row per region of the catalog, filled from the
// immutable HealthSnapshots that RegionMonitor publishes. The model never talks to a database;
// it only receives snapshots on the GUI thread.
//
// Unknown values: numbers (latencyMs, connectMs, databaseSizeBytes, connections and the summary
// figures) are -1, as in RegionHealth; dates (checkedAt, statusSince, lastUpdated) are a null
// QVariant / invalid QDateTime; strings are empty.
#pragma once

#include "upcoach/core/regioncatalog.h"
#include "upcoach/storage/regionhealth.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QtQml/qqmlregistration.h>
#include <vector>

namespace upcoach::viewmodels {

class RegionListModel final : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built by the composition root")

    Q_PROPERTY(int count READ count CONSTANT)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(int upCount READ upCount NOTIFY summaryChanged)
    Q_PROPERTY(int downCount READ downCount NOTIFY summaryChanged)
    Q_PROPERTY(int unknownCount READ unknownCount NOTIFY summaryChanged)
    Q_PROPERTY(double medianLatencyMs READ medianLatencyMs NOTIFY summaryChanged)
    Q_PROPERTY(double slowestLatencyMs READ slowestLatencyMs NOTIFY summaryChanged)
    Q_PROPERTY(QString slowestRegionName READ slowestRegionName NOTIFY summaryChanged)
    Q_PROPERTY(QDateTime lastUpdated READ lastUpdated NOTIFY summaryChanged)

public:
    enum Role
    {
        RegionIdRole = Qt::UserRole + 1,
        DisplayNameRole,
        CityRole,
        CountryRole,
        ContinentRole,
        LatitudeRole,
        LongitudeRole,
        StatusRole, // "up", "down", "unknown"
        LatencyMsRole,
        ConnectMsRole,
        RoleRole, // "primary", "standby", "unknown"
        ServerVersionRole,
        DatabaseSizeBytesRole,
        DatabaseSizeTextRole, // human readable in the current locale, empty when unknown
        ConnectionsRole,
        ErrorRole,
        CheckedAtRole,
        StatusSinceRole,
    };
    Q_ENUM(Role)

    explicit RegionListModel(std::vector<upcoach::Region> regions, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return static_cast<int>(m_rows.size()); }
    bool loading() const { return m_loading; }
    int upCount() const { return m_upCount; }
    int downCount() const { return m_downCount; }
    int unknownCount() const { return count() - m_upCount - m_downCount; }
    // Over the regions that are up and answered; -1 when none did.
    double medianLatencyMs() const { return m_medianLatencyMs; }
    double slowestLatencyMs() const { return m_slowestLatencyMs; }
    QString slowestRegionName() const { return m_slowestRegionName; }
    // When the applied snapshot was taken; invalid before the first one.
    QDateTime lastUpdated() const { return m_lastUpdated; }

public Q_SLOTS:
    // GUI thread only (connect the monitor's signal with Qt::QueuedConnection). Updates the rows
    // whose health changed and emits dataChanged for those rows only; never resets the model.
    // A null snapshot, or one not newer than the applied one, is ignored.
    void applySnapshot(upcoach::storage::HealthSnapshotPtr snapshot);

Q_SIGNALS:
    void loadingChanged();
    void summaryChanged();

private:
    struct Row
    {
        upcoach::Region region;
        upcoach::storage::RegionHealth health;
    };

    void recomputeSummary();

    std::vector<Row> m_rows;
    bool m_loading = true;
    quint64 m_generation = 0;
    int m_upCount = 0;
    int m_downCount = 0;
    double m_medianLatencyMs = -1;
    double m_slowestLatencyMs = -1;
    QString m_slowestRegionName;
    QDateTime m_lastUpdated;
};

} // namespace upcoach::viewmodels
