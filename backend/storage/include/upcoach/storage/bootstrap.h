// What every mode does to its regional databases at start, embedded or configured: check each
// database belongs to its region, apply the regional migrations everywhere and the control-plane
// migrations to the control-plane database. Regions are prepared in parallel. Blocking.
#pragma once

#include "upcoach/core/config.h"
#include "upcoach/core/result.h"

namespace upcoach::storage {

enum class RegionsRequired
{
    All,              // any region failing fails the whole start (embedded clusters)
    ControlPlaneOnly, // other regions failing are logged and left to the monitor (serve)
};

Status prepareDatabases(const std::vector<RegionEndpoint> &regions,
                        const QString &controlPlaneRegion,
                        RegionsRequired required = RegionsRequired::All);

} // namespace upcoach::storage
