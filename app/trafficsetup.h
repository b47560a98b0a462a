// The traffic layer's wiring for serve and demo: where tenants' data-residency regions come
// from, and the embedded default's routing settings (TCP health checks on each regional
// cluster, synthetic clients through the real router).
#pragma once

#include "upcoach/core/config.h"
#include "upcoach/routing/trafficruntime.h"

#include <vector>

namespace upcoach::tenancy {
class TenantRegistry;
}

namespace upcoach::app {

// Every tenant that is not deleted, with its home and allowed regions (paged through the
// registry; blocking, called on the runtime's worker thread).
routing::TenantResidencySource tenantResidencySource(tenancy::TenantRegistry &registry);

// The demo: a TCP health check per regional cluster (every 2 s, 2 failures → unhealthy, 2
// successes → healthy) and synthetic traffic.
routing::RoutingSettings embeddedRoutingSettings(const std::vector<RegionEndpoint> &regions);

} // namespace upcoach::app
