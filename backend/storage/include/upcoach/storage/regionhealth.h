// Immutable health snapshots of the regional databases, published by RegionMonitor and read
// by the console and the server alike.
#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <memory>
#include <vector>

namespace upcoach::storage {

enum class HealthStatus
{
    Unknown,
    Up,
    Down
};
enum class DatabaseRole
{
    Unknown,
    Primary,
    Standby
};

QString healthStatusName(HealthStatus status); // "unknown", "up", "down"
QString databaseRoleName(DatabaseRole role);   // "unknown", "primary", "standby"

struct RegionHealth
{
    QString regionId;
    HealthStatus status = HealthStatus::Unknown;
    QDateTime checkedAt;   // when the last probe finished (UTC)
    QDateTime statusSince; // when the status last changed
    double connectMs = -1; // time to open a connection, -1 when it failed
    double latencyMs = -1; // round trip of a trivial query on an open connection
    QString serverVersion; // "15.18"
    DatabaseRole role = DatabaseRole::Unknown;
    qint64 databaseSizeBytes = -1;
    int connections = -1; // backends connected to the cluster
    int consecutiveFailures = 0;
    QString error; // why the last probe failed; never contains a password
};

struct HealthSnapshot
{
    quint64 generation = 0; // increases with each published snapshot
    QDateTime takenAt;
    std::vector<RegionHealth> regions; // catalog order

    const RegionHealth *find(const QString &regionId) const;
    bool allUp() const;
};

using HealthSnapshotPtr = std::shared_ptr<const HealthSnapshot>;

} // namespace upcoach::storage

Q_DECLARE_METATYPE(upcoach::storage::HealthSnapshotPtr)
