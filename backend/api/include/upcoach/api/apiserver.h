// The HTTP/WebSocket face of the headless server (`upcoach-ops serve`): health and readiness
// probes, Prometheus metrics, the authenticated REST API under /api/ (regions, API tokens, the
// audit log, tenants) and the live event stream /api/v1/events. Runs on the thread that creates
// it (its event loop); never blocks it: database work (tokens, audit reads, the tenant registry)
// runs on the server's own worker threads, and audit recording is chained on AuditLog's futures.
#pragma once

#include "upcoach/core/clock.h"
#include "upcoach/core/config.h"
#include "upcoach/core/regioncatalog.h"
#include "upcoach/core/result.h"

#include <QObject>
#include <QString>
#include <chrono>
#include <memory>

namespace upcoach::storage {
class RegionMonitor;
}
namespace upcoach::identity {
class SsoService;
class ScimService;
class SessionService;
class ApiTokenStore;
} // namespace upcoach::identity
namespace upcoach::compliance {
class AuditLog;
class AuditStore;
} // namespace upcoach::compliance
namespace upcoach::routing {
class TrafficRuntime;
}
namespace upcoach::tenancy {
class TenantRegistry;
class TenantSessions;
class TenantUsers;
class TenantQuota;
class ImpersonationService;
class TenantKeyRotation;
} // namespace upcoach::tenancy

namespace upcoach::api {

class EventHub;

struct BuildInfo
{
    QString version;
    QString commit;
};

// Protective limits. QtHttpServer 6.4 has none of its own; ApiServer enforces these on the raw
// connection before the request reaches QtHttpServer's parser.
struct ServerLimits
{
    qint64 maxBodyBytes = 1 << 20;                   // larger Content-Length → 413
    qsizetype maxUrlBytes = 8 * 1024;                // longer request-target → 414
    qsizetype maxHeaderBytes = 64 * 1024;            // larger request head → 431
    std::chrono::milliseconds requestTimeout{15000}; // a request must arrive whole in this → 408
    std::chrono::milliseconds idleTimeout{60000};    // idle keep-alive connections are closed
    int maxConnections = 1024;                 // concurrent HTTP connections; more are refused
    int maxWebSocketClients = 256;             // concurrent /api/v1/events sessions
    qint64 maxWebSocketBacklogBytes = 4 << 20; // unsent bytes before a slow client is dropped
    // Region-health messages that only carry new measurements (latency, size, connections) are
    // sent at most this often; status, role, version and error changes are sent at once.
    std::chrono::milliseconds liveMeasurementInterval{1000};
    int workerThreads = 4; // token verification, token changes and audit reads
    // Audit events for refused state-changing requests (401/403) are capped per window, so an
    // unauthenticated flood cannot fill the audit log; the rest are counted in /metrics.
    int deniedAuditEventsPerSource = 20; // per IPv4 address or IPv6 /64
    int deniedAuditEventsTotal = 600;    // all sources together
    std::chrono::milliseconds deniedAuditWindow{60000};
    qint64 maxTokenRequestBytes = 4096;       // POST /api/v1/tokens body; larger → 413
    qsizetype maxAuditPageBytes = 8 << 20;    // a GET /api/v1/audit page is cut (with a cursor)
                                              // before it grows past this
    qint64 maxTenantRequestBytes = 64 * 1024; // tenant create / update / move bodies → 413
    // Bodies of the tenant operations routes (add a user, start an impersonation) → 413.
    qint64 maxTenantOperationRequestBytes = 4 * 1024;
    // Tenant changes (creation provisions a schema or a database, a move copies every row) run
    // on their own threads, so slow ones never hold up token verification and reads.
    int tenantWorkerThreads = 2;
};

struct ServerDeps
{
    const RegionCatalog *catalog = nullptr;    // display names, coordinates
    storage::RegionMonitor *monitor = nullptr; // health snapshots (never blocked on)
    identity::ApiTokenStore *tokens = nullptr; // bearer verification (blocking → off-thread)
    BuildInfo build;
    const Clock *clock = &Clock::system();
    ServerLimits limits = {};
    // Records every state-changing request (never blocks: record() resolves when durable). Null:
    // state-changing routes answer 503, since nothing may change unrecorded. Must outlive the
    // server.
    compliance::AuditLog *audit = nullptr;
    // Reads for GET /api/v1/audit and .../proof (blocking → off-thread). Null: those answer 503.
    compliance::AuditStore *auditStore = nullptr;
    // /api/v1/tenants (blocking → off-thread; records its own audit events for changes). Null:
    // the tenant routes answer 503 tenancy-unavailable. Must outlive the server.
    tenancy::TenantRegistry *tenants = nullptr;
    // POST /api/v1/tenants/{slug}/export reads the tenant's rows through these sessions (one
    // snapshot; blocking → the tenant worker threads). Must outlive the server. Null, or an empty
    // tenantExportDir: the export route answers 503 tenant-export-unavailable.
    tenancy::TenantSessions *tenantSessions = nullptr;
    // Where exports are written, each into a new owner-only (0700) directory
    // "<slug>-<UTC yyyyMMddTHHmmssZ>-<8 hex>" below it; created (with parents) when missing.
    // Exports hold tenant data (personal data unless masked): keep it on a protected volume.
    QString tenantExportDir{};
    // The tenant operations routes below /api/v1/tenants/{slug}: users (list, add within the seat
    // limit), usage against limits, impersonations (start with reason and ticket, list, end, the
    // subject's overview) and data keys (status, rotate). Blocking → the tenant worker threads.
    // Null: those routes answer 503 tenancy-unavailable. Must outlive the server.
    tenancy::TenantUsers *tenantUsers = nullptr;
    tenancy::TenantQuota *tenantQuota = nullptr;
    tenancy::ImpersonationService *impersonations = nullptr;
    tenancy::TenantKeyRotation *keyRotation = nullptr;
    // /api/v1/route, /api/v1/traffic[/policy], the region controls (drain, undrain, failover)
    // and weight overrides. Reads answer from the runtime's snapshot; controls block (database,
    // audit: the runtime records traffic.region.* and traffic.weights.* itself) → worker threads.
    // Null: those routes answer 503 traffic-unavailable. Must be started, and outlive the server.
    routing::TrafficRuntime *traffic = nullptr;
    // /sso/saml/{tenant}/metadata|login|acs (public: browsers and IdPs call them; the service
    // records its own audit events). Blocking → worker threads. Null: those routes answer 503
    // sso-unavailable. Must outlive the server.
    identity::SsoService *sso = nullptr;
    // /scim/v2/{tenant}/... (the tenant's SCIM token, checked by the service, which records
    // every change). Blocking → worker threads. Null: those routes answer 503. The SCIM token
    // routes (/api/v1/tenants/{slug}/scim-token) use `sso`. Must outlive the server.
    identity::ScimService *scim = nullptr;
    // Session access tokens as bearer credentials on /api/ (next to API tokens), refresh at
    // /sso/session/refresh, /api/v1/me (own session, MFA enrolment and verification), and the
    // tenants' MFA policies and users' sessions. Blocking → worker threads. Null: only API
    // tokens authenticate and those routes answer 503. Must outlive the server.
    identity::SessionService *sessions = nullptr;
};

class ApiServer final : public QObject
{
    Q_OBJECT
public:
    explicit ApiServer(ServerDeps deps, QObject *parent = nullptr);
    ~ApiServer() override;

    // Binds and starts accepting. A taken port or an unusable address is an Error whose message
    // names the address. Returns the bound port (port 0 picks an ephemeral one). May be called
    // more than once (e.g. IPv4 and IPv6).
    Result<quint16> listen(const ListenAddress &address);

    // Stops accepting connections, answers requests already in flight (new requests on open
    // connections get 503), closes WebSockets with 1001 Going Away and idle connections, then
    // emits drained() — at the latest after `grace`, aborting whatever is left. Idempotent.
    void drain(std::chrono::milliseconds grace);
    bool isDraining() const;

    // The broadcaster behind /api/v1/events; later live views publish their topics here.
    EventHub &events();

Q_SIGNALS:
    void drained();

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace upcoach::api
