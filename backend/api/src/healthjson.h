// Region health as the API shows it: the JSON of GET /api/v1/regions and of the
// "region-health" event, and the rule deciding which snapshots are worth a new event.
#pragma once

#include "upcoach/core/regioncatalog.h"
#include "upcoach/storage/regionhealth.h"

#include <QJsonObject>

namespace upcoach::api::detail {

// {"generation","takenAt","regions":[...]} — catalog facts joined with the live health of
// every monitored region, in the monitor's order. Unknown numbers and times are null.
// A null snapshot (no probe has completed) gives generation 0 and no regions.
QJsonObject regionHealthDocument(const storage::HealthSnapshot *snapshot,
                                 const RegionCatalog &catalog);

// UTC ISO-8601 with milliseconds ("2025-01-31T12:00:00.000Z"), or null when invalid.
QJsonValue isoTime(const QDateTime &time);

enum class SnapshotChange
{
    None,         // nothing a viewer would see changed
    Measurements, // only latency/connect time (whole ms), connections or database size moved
    State,        // a region's status, role, version or error changed, or the region set did
};

SnapshotChange classifyChange(const storage::HealthSnapshot *previous,
                              const storage::HealthSnapshot &next);

} // namespace upcoach::api::detail
