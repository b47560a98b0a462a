#include "upcoach/storage/regionhealth.h"

#include <algorithm>

namespace upcoach::storage {

QString healthStatusName(HealthStatus status)
{
    switch (status) {
    case HealthStatus::Up:
        return QStringLiteral("up");
    case HealthStatus::Down:
        return QStringLiteral("down");
    case HealthStatus::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QString databaseRoleName(DatabaseRole role)
{
    switch (role) {
    case DatabaseRole::Primary:
        return QStringLiteral("primary");
    case DatabaseRole::Standby:
        return QStringLiteral("standby");
    case DatabaseRole::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

const RegionHealth *HealthSnapshot::find(const QString &regionId) const
{
    auto it = std::find_if(regions.begin(), regions.end(),
                           [&](const RegionHealth &r) { return r.regionId == regionId; });
    return it == regions.end() ? nullptr : &*it;
}

bool HealthSnapshot::allUp() const
{
    return !regions.empty() &&
           std::all_of(regions.begin(), regions.end(),
                       [](const RegionHealth &r) { return r.status == HealthStatus::Up; });
}

} // namespace upcoach::storage
