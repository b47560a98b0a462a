// The tenancy backend of one process (serve, demo, console --config): region pools for both
// logins, the tenant registry (recording through the process's audit log) and tenant sessions.
// Built once by the composition root; everything else gets references.
#pragma once

#include "upcoach/compliance/auditlog.h"
#include "upcoach/core/config.h"
#include "upcoach/storage/regionpools.h"
#include "upcoach/tenancy/registry.h"
#include "upcoach/tenancy/tenantsession.h"

#include <memory>

namespace upcoach::app {

class TenancyRuntime
{
public:
    TenancyRuntime(const std::vector<RegionEndpoint> &regions, const QString &controlPlaneRegion,
                   compliance::AuditLog &audit);

    storage::RegionPools &pools() { return m_pools; }
    tenancy::TenantRegistry &registry() { return m_registry; }
    tenancy::TenantSessions &sessions() { return m_sessions; }

private:
    storage::RegionPools m_pools;
    tenancy::TenantRegistry m_registry;
    tenancy::TenantSessions m_sessions;
};

// The demo's tenants: on first start (an empty registry) a realistic set across the started
// regions, all three strategies, every lifecycle state and an organization hierarchy, each with
// sample coaching data. Returns how many were created (0 when tenants exist already). Blocking.
Result<int> seedDemoTenants(TenancyRuntime &tenancy, const QStringList &regions);

} // namespace upcoach::app
