// Builds, copies and removes a tenant's placement in its home region, for each isolation
// strategy (README.md, "Isolation"). Every step is idempotent, so provisioning that stopped
// anywhere resumes by running provision() again; the placement counts as complete only once its
// tenant_placements row exists (the last step). Runs as the region's schema owner. Blocking.
#pragma once

#include "upcoach/core/result.h"
#include "upcoach/tenancy/tenant.h"

#include <QMap>
#include <QString>
#include <functional>
#include <pqxx/pqxx>

namespace upcoach::storage {
class RegionPools;
}

namespace upcoach::tenancy {

// The tenant tables in foreign-key order (parents first), as migrations/tenant creates them.
const QStringList &tenantTables();

class TenantProvisioner
{
public:
    explicit TenantProvisioner(storage::RegionPools &pools);

    // Completes whatever is missing of the tenant's placement (tenant.homeRegion,
    // tenant.isolation). Steps, by strategy:
    //   rls:      placement
    //   schema:   role, schema (+ tenant migrations), grants, placement
    //   database: template, database, grants, placement
    Status provision(const Tenant &tenant);

    // Applies tenant migrations the placement does not have yet (after an upgrade of the
    // binary): the tenant's schema (schema strategy) or its database's tenant_data schema
    // (database strategy). rls placements live in tenant_shared, which
    // storage::prepareDatabases migrates. Returns how many migrations ran. Idempotent.
    Result<int> migratePlacement(const Tenant &tenant);

    // Whether the placement is complete (its tenant_placements row exists).
    Result<bool> isProvisioned(const Tenant &tenant);

    // Destroys the placement: the tenant's rows (rls), its schema and role (schema), or its
    // database (database), and the tenant_placements row. Idempotent.
    Status removePlacement(const Tenant &tenant);

    // Copies every row of the tenant from the `from` placement into the `to` placement (same
    // tenant id; `to` must be provisioned). Rows already in `to` are replaced, so an interrupted
    // copy can simply run again. Checks each table's count afterwards; returns rows per table.
    Result<QMap<QString, qint64>> copyRows(const Tenant &from, const Tenant &to);

    // Tests: called before each step with its name ("schema", "database", ...); an error
    // stops provisioning there, exactly as a failing statement would.
    void setFaultInjector(std::function<Status(const QString &step)> injector);

private:
    Status step(const QString &name);
    Status provisionShared(const Tenant &tenant);
    Status provisionSchema(const Tenant &tenant);
    Status provisionDatabase(const Tenant &tenant);
    Status ensureTemplate(const QString &regionId, pqxx::connection &owner);
    Status recordPlacement(const Tenant &tenant);

    storage::RegionPools &m_pools;
    std::function<Status(const QString &)> m_faults;
};

} // namespace upcoach::tenancy
