// The console's backend for the Tenants and Regions pages, the same for the demo and for
// `console --config`: the audit log writer (every change is recorded through it) and reader on
// the control plane, the tenancy runtime, and the traffic runtime over the same control plane
// (drains and failovers, audited) and tenants (data residency). Opened on a worker thread —
// opening connects to databases — and handed to the GUI thread; lives as long as the console.
#pragma once

#include "controlplane.h"
#include "tenancyruntime.h"
#include "upcoach/compliance/auditstore.h"
#include "upcoach/core/config.h"
#include "upcoach/identity/sessions.h"
#include "upcoach/identity/ssoservice.h"
#include "upcoach/identity/ssostore.h"
#include "upcoach/routing/trafficruntime.h"
#include "upcoach/storage/connectionpool.h"
#include "upcoach/tenancy/fieldcipher.h"

#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

namespace upcoach::storage {
class RegionMonitor;
}
namespace upcoach::viewmodels {
class TenantWorkspace;
class TrafficWorkspace;
} // namespace upcoach::viewmodels

namespace upcoach::app {

struct ConsoleBackend
{
    std::unique_ptr<compliance::PostgresAuditLog> auditLog;
    std::unique_ptr<storage::ConnectionPool> controlPool;
    std::unique_ptr<compliance::AuditStore> auditStore;
    std::unique_ptr<TenancyRuntime> runtime;
    // The Identity tab's services, as serve wires them (SSO connections, SCIM token, sessions
    // and MFA policy), over the same control plane and tenant keys.
    std::unique_ptr<tenancy::FieldCipher> cipher;
    std::unique_ptr<identity::SsoStore> ssoStore;
    std::unique_ptr<identity::SsoService> sso;
    std::unique_ptr<identity::SessionService> sessions;
    // Declared last: destroyed (and stopped) first, before what it uses.
    std::unique_ptr<routing::TrafficRuntime> traffic;
    QStringList regions;
};

struct ConsoleBackendSetup
{
    std::vector<RegionEndpoint> regions;
    ControlPlaneTarget controlPlane;
    KeysConfig keys;
    QString defaultKeyringPath; // without keys.keyring_file
    routing::RoutingSettings routing;
};

// Opens and starts everything; the traffic runtime's signals go to the application's thread.
Result<std::shared_ptr<ConsoleBackend>> openConsoleBackend(const ConsoleBackendSetup &setup);

// GUI thread: hands an opened backend to the Tenants and Regions pages (as the console's actor)
// and feeds the monitor's database round trips to the traffic runtime (its synthetic clients are
// answered as fast as each region's database really is). The backend must outlive the pages.
void attachConsoleBackend(ConsoleBackend &backend, storage::RegionMonitor &monitor,
                          viewmodels::TenantWorkspace &tenants,
                          viewmodels::TrafficWorkspace &traffic);

// GUI thread: the pages say why they have no backend.
void reportConsoleBackendError(const QString &message, viewmodels::TenantWorkspace &tenants,
                               viewmodels::TrafficWorkspace &traffic);

} // namespace upcoach::app
