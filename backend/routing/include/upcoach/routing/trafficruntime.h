// The traffic layer as one running service, shared by `serve`, the demo and the console: it owns
// the GeoIP database, the policy, the router and its snapshots, the health checker, the manual
// controls, the latency tracker, the analytics, DNS publication and (demo) synthetic traffic, and
// keeps the router's snapshot current — a health transition, a control change (this instance's
// or another's, polled), new latency figures or a tenant's residency publish a new snapshot.
//
// Threads: start()/stop() on the owner's thread. route(), traffic(), regions(), whatIf() are
// thread-safe and do not block on I/O. The controls (drain, ...) block on the database and the
// audit log: call them on worker threads.
#pragma once

#include "upcoach/compliance/auditlog.h"
#include "upcoach/core/clock.h"
#include "upcoach/core/regioncatalog.h"
#include "upcoach/core/result.h"
#include "upcoach/routing/healthcheck.h"
#include "upcoach/routing/router.h"
#include "upcoach/routing/trafficcontrols.h"
#include "upcoach/routing/trafficstats.h"

#include <QObject>
#include <QStringList>
#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace upcoach::storage {
class ConnectionPool;
}

namespace upcoach::routing {

class DnsPublisher;
class GeoIpDatabase;
class LatencyTracker;
class SyntheticTraffic;
struct DnsTarget;

// The platform hostnames published to DNS: each name gets the A/AAAA addresses of the regions
// the router would currently use (available regions of the policy), refreshed on every change.
struct DnsHostname
{
    QString name;                                   // e.g. "api.ops.upcoach.example."
    std::map<QString, QStringList> regionAddresses; // region id → its addresses
};

struct DnsPublicationSettings
{
    QString server = QStringLiteral("127.0.0.1");
    quint16 port = 53;
    QString zone;
    QString keyName;
    QString keyAlgorithm = QStringLiteral("hmac-sha256");
    QString keySecretFile; // base64 secret, file mode 0600; never inline in the config
    int ttl = 60;
    std::vector<DnsHostname> hostnames;
};

// The `routing:` section of the configuration (docs in backend/routing/README.md).
struct RoutingSettings
{
    QString policyFile;    // empty: the built-in policy (resources/traffic-policy.yaml)
    QString geoipDatabase; // empty: GeoIpDatabase::defaultPath()
    std::vector<HealthCheckSpec> healthChecks;
    std::optional<DnsPublicationSettings> dns;
    bool syntheticTraffic = false; // the demo's generated clients
    double syntheticRequestsPerSecond = 200;
    std::chrono::milliseconds overridesPollInterval{2000};
    std::chrono::milliseconds latencyPublishInterval{2000};

    // Parses the YAML of the `routing:` mapping; relative paths are taken from baseDir.
    static Result<RoutingSettings> fromYaml(const QByteArray &yaml, const QString &baseDir,
                                            const RegionCatalog &catalog);
};

struct TenantResidency
{
    QString slug;
    QString displayName;
    QString homeRegion;
    QStringList allowedRegions;
};
using TenantResidencySource = std::function<Result<std::vector<TenantResidency>>()>;

struct TrafficRuntimeDeps
{
    const RegionCatalog *catalog = nullptr;
    // Control-plane pool for the manual controls; null: controls answer Unavailable.
    storage::ConnectionPool *control = nullptr;
    // Records controls and health transitions; null: controls answer Unavailable.
    compliance::AuditLog *audit = nullptr;
    // Tenants' data-residency regions (refreshed every 30 s); null: requests naming a tenant
    // are answered as unknown tenants.
    TenantResidencySource tenants;
    const Clock *clock = &Clock::system();
};

struct RouteQuery
{
    QString ip;
    QString tenant;
    QString path;
    QByteArray affinityToken; // the cookie or header value the client presented
};

struct RouteAnswer
{
    QStringList regions; // best first
    QString kind;        // decisionKindName
    QString reason;      // describeDecision
    QString rule;        // the deciding rule's name, or empty
    QString country;     // ISO code, or empty when unknown
    QString failedOverFrom;
    QString hedgeRegion; // empty: no hedge
    int hedgeAfterMs = 0;
    // Issue or refresh this session token (cookie or header named by the affinity rule).
    QString affinityCookie;
    QString affinityHeader;
    QByteArray affinityToken;
    int affinityMaxAgeSeconds = 0;
    quint64 snapshotGeneration = 0;
};

struct RegionTrafficStatus
{
    QString regionId;
    QString displayName;
    CheckStatus::State health = CheckStatus::Unknown;
    QString healthDetail;       // the failing check's last error, or empty
    double checkLatencyMs = -1; // the region's latest successful check round trip
    double uptimeRatio = -1;    // successful checks / checks since start, -1 before any
    QDateTime healthSince;
    Unavailability unavailable = Unavailability::None;
    std::optional<RegionOverride> override;   // drained / failed over by an operator
    std::map<QString, std::uint32_t> weights; // effective weights of weighted rules, by rule
};

struct WhatIfCountry
{
    QString code;
    QString name;
    QString from; // region today
    QString to;   // region after the drain; empty: nowhere (refused or no region)
};

struct WhatIfTenant
{
    QString slug;
    QString displayName;
    QString from;
    QString to; // empty: its residency leaves no region
};

struct WhatIf
{
    QString regionId;
    std::vector<WhatIfCountry> countries; // only those whose first region changes
    std::vector<WhatIfTenant> tenants;    // likewise, by the tenant's home-region clients
};

class TrafficRuntime final : public QObject
{
    Q_OBJECT
public:
    TrafficRuntime(TrafficRuntimeDeps deps, RoutingSettings settings, QObject *parent = nullptr);
    ~TrafficRuntime() override;

    // Opens the GeoIP database and the policy, loads the controls, starts health checks, the
    // pollers, DNS publication and (when set) synthetic traffic. Errors name what is missing.
    Status start();
    void stop();

    Result<RouteAnswer> route(const RouteQuery &query) const;
    TrafficStats::Report traffic(std::chrono::seconds window = std::chrono::seconds(60)) const;
    std::vector<TrafficStats::Point> timeline(int region, std::chrono::seconds window,
                                              std::chrono::seconds step) const;
    std::vector<RegionTrafficStatus> regions() const;
    Result<WhatIf> whatIf(const QString &regionId) const;
    std::shared_ptr<const TrafficPolicy> policy() const;
    Router::HedgeCounters hedgeCounters() const;
    // The last DNS publication: when, and its error (empty when it succeeded or is off).
    std::pair<QDateTime, QString> lastDnsPublication() const;

    // Blocking (database, audit). Conflict when refused by state, InvalidInput naming the field.
    Status drain(const QString &regionId, const QString &reason,
                 const compliance::ActorContext &actor);
    Status undrain(const QString &regionId, const QString &reason,
                   const compliance::ActorContext &actor);
    Status failover(const QString &regionId, const QString &target, const QString &reason,
                    const compliance::ActorContext &actor);
    Status setWeights(const QString &rule, const std::map<QString, std::uint32_t> &weights,
                      const QString &reason, const compliance::ActorContext &actor);

    // For the demo: facts the synthetic traffic simulates from (database round trip per region).
    void setRegionDatabaseLatency(const QString &regionId, double milliseconds);

Q_SIGNALS:
    // The routing state changed (health, controls, policy); emitted on the runtime's thread.
    void stateChanged();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace upcoach::routing
