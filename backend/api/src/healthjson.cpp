#include "healthjson.h"

#include <QJsonArray>
#include <cmath>

namespace upcoach::api::detail {

namespace {

QJsonValue milliseconds(double value)
{
    if (value < 0)
        return QJsonValue::Null;
    return std::round(value * 1000.0) / 1000.0; // microsecond resolution is plenty
}

QJsonValue nonNegative(qint64 value)
{
    return value < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(value);
}

QJsonValue text(const QString &value)
{
    return value.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(value);
}

QJsonObject regionObject(const storage::RegionHealth &health, const RegionCatalog &catalog)
{
    QJsonObject object;
    object.insert(QStringLiteral("id"), health.regionId);
    if (const Region *region = catalog.find(health.regionId)) {
        object.insert(QStringLiteral("displayName"), region->displayName);
        object.insert(QStringLiteral("city"), region->city);
        object.insert(QStringLiteral("country"), region->country);
        object.insert(QStringLiteral("continent"), region->continent);
        object.insert(QStringLiteral("latitude"), region->latitude);
        object.insert(QStringLiteral("longitude"), region->longitude);
    } else {
        object.insert(QStringLiteral("displayName"), health.regionId);
        for (const char *key : {"city", "country", "continent", "latitude", "longitude"})
            object.insert(QLatin1String(key), QJsonValue::Null);
    }
    object.insert(QStringLiteral("status"), storage::healthStatusName(health.status));
    object.insert(QStringLiteral("latencyMs"), milliseconds(health.latencyMs));
    object.insert(QStringLiteral("connectMs"), milliseconds(health.connectMs));
    object.insert(QStringLiteral("role"), storage::databaseRoleName(health.role));
    object.insert(QStringLiteral("serverVersion"), text(health.serverVersion));
    object.insert(QStringLiteral("databaseSizeBytes"), nonNegative(health.databaseSizeBytes));
    object.insert(QStringLiteral("connections"), nonNegative(health.connections));
    object.insert(QStringLiteral("checkedAt"), isoTime(health.checkedAt));
    object.insert(QStringLiteral("statusSince"), isoTime(health.statusSince));
    object.insert(QStringLiteral("error"), text(health.error));
    return object;
}

qint64 wholeMs(double value)
{
    return value < 0 ? -1 : qint64(std::llround(value));
}

} // namespace

QJsonValue isoTime(const QDateTime &time)
{
    if (!time.isValid())
        return QJsonValue::Null;
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QJsonObject regionHealthDocument(const storage::HealthSnapshot *snapshot,
                                 const RegionCatalog &catalog)
{
    QJsonObject document;
    QJsonArray regions;
    if (snapshot) {
        for (const storage::RegionHealth &health : snapshot->regions)
            regions.append(regionObject(health, catalog));
    }
    document.insert(QStringLiteral("generation"), snapshot ? qint64(snapshot->generation) : 0);
    document.insert(QStringLiteral("takenAt"),
                    snapshot ? isoTime(snapshot->takenAt) : QJsonValue::Null);
    document.insert(QStringLiteral("regions"), regions);
    return document;
}

SnapshotChange classifyChange(const storage::HealthSnapshot *previous,
                              const storage::HealthSnapshot &next)
{
    if (!previous || previous->regions.size() != next.regions.size())
        return SnapshotChange::State;
    SnapshotChange change = SnapshotChange::None;
    for (size_t i = 0; i < next.regions.size(); ++i) {
        const storage::RegionHealth &a = previous->regions[i];
        const storage::RegionHealth &b = next.regions[i];
        if (a.regionId != b.regionId || a.status != b.status || a.role != b.role ||
            a.serverVersion != b.serverVersion || a.error != b.error)
            return SnapshotChange::State;
        if (wholeMs(a.latencyMs) != wholeMs(b.latencyMs) ||
            wholeMs(a.connectMs) != wholeMs(b.connectMs) || a.connections != b.connections ||
            a.databaseSizeBytes != b.databaseSizeBytes)
            change = SnapshotChange::Measurements;
    }
    return change;
}

} // namespace upcoach::api::detail
