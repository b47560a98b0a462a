// Entering a tenant's context inside a transaction: shared by TenantSessions and the
// provisioner's row copies, so there is exactly one definition of what "the tenant's context"
// is.
#pragma once

#include "upcoach/tenancy/tenant.h"

#include <pqxx/pqxx>

namespace upcoach::tenancy {

// Sets (transaction-locally) the tenant id every policy reads, the search_path to the tenant's
// schema and, for the schema strategy, the tenant's role. One round trip.
void enterTenantContext(pqxx::transaction_base &transaction, const Tenant &tenant);

} // namespace upcoach::tenancy
