// The routing hot path. Router::decide() reads an immutable RouteSnapshot without taking a lock
// (each thread keeps its own reference and re-reads only when a new snapshot was published), does
// not allocate, and answers the ordered regions for a client with the rule that decided.
// Everything that changes — health, drains, weights, measured latency, tenants — changes by
// publishing a new snapshot (RouteSnapshotInputs → buildSnapshot → Router::publish).
#pragma once

#include "upcoach/routing/geoip.h"
#include "upcoach/routing/ipaddress.h"
#include "upcoach/routing/trafficpolicy.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace upcoach::routing {

class CountryAtlas;

// Why a region cannot serve right now (a region may be several at once; the first wins).
enum class Unavailability : std::uint8_t
{
    None,
    Unhealthy,  // its health checks crossed the unhealthy threshold
    Drained,    // an operator drained it
    FailedOver, // an operator forced its traffic elsewhere
};
QString unavailabilityName(Unavailability reason); // "", "unhealthy", "drained", "failed-over"

struct RegionRouteState
{
    Unavailability unavailable = Unavailability::None;
    int failoverTarget = -1; // a forced failover's target region index, or -1
    double p95Ms = 0;        // observed latency percentile used for hedging (0: unknown)
};

// Per-region EWMA round trips, in milliseconds; a negative value is "not measured".
struct LatencyRow
{
    std::array<float, kMaxRegions> ewmaMs;
    std::array<std::uint16_t, kMaxRegions> samples{};
};
using LatencyTable = std::unordered_map<std::uint64_t, LatencyRow>;

struct StringHash
{
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept
    {
        return std::hash<std::string_view>{}(text);
    }
};

// Everything a snapshot is built from. Shared pieces are shared_ptrs so rebuilding after a
// health change does not copy the latency tables.
struct RouteSnapshotInputs
{
    std::shared_ptr<const TrafficPolicy> policy;
    const CountryAtlas *atlas = nullptr; // country points for geo-proximity; must outlive
    std::vector<double> regionLatitude;  // per policy region
    std::vector<double> regionLongitude;
    std::array<RegionRouteState, kMaxRegions> regionState{};
    // Manual weight overrides: rule name → weight per region index.
    std::vector<std::pair<QString, std::array<std::uint32_t, kMaxRegions>>> weightOverrides;
    // Tenant slug → the regions its data may be served from (data residency).
    std::shared_ptr<const std::unordered_map<std::string, RegionMask, StringHash, std::equal_to<>>>
        tenantRegions;
    std::shared_ptr<const LatencyTable> networkLatency; // key: IpAddress::networkKey()
    std::shared_ptr<const LatencyTable> countryLatency; // key: CountryCode::index()
    QByteArray affinityKey;                             // HMAC key of affinity tokens (32 bytes)
    quint64 generation = 0;
};

struct RouteSnapshot;
std::shared_ptr<const RouteSnapshot> buildSnapshot(RouteSnapshotInputs inputs);

enum class DecisionKind : std::uint8_t
{
    Rule,             // `rule` decided the first region
    Failover,         // the first region by `rule` was unavailable; `from` was replaced
    Default,          // no selection rule applied: nearest by the policy's region order
    Denied,           // an access rule refused the client (`rule`)
    UnknownTenant,    // the request named a tenant the platform does not have
    ResidencyBlocked, // the tenant's data-residency regions leave nothing
    NoRegion,         // every candidate region is unavailable
};

struct RouteRequest
{
    IpAddress address;
    CountryCode country;            // set: skip the GeoIP lookup (what-if, tests)
    std::string_view tenant;        // slug, may be empty
    std::string_view path;          // may be empty
    std::string_view affinityToken; // the cookie or header value presented, may be empty
    std::uint64_t sessionKey = 0;   // weighted rules with hash-by: session
    qint64 nowSeconds = 0;          // Unix time (affinity expiry); 0: the system clock
};

struct RouteDecision
{
    std::array<std::uint8_t, kMaxRegions> regions{}; // policy region indices, best first
    int count = 0;
    DecisionKind kind = DecisionKind::Default;
    int rule = -1;           // index of the deciding rule, -1 none
    int failedOverFrom = -1; // region index the first choice would have been
    Unavailability failedOverBecause = Unavailability::None;
    CountryCode country;  // the client's country, unknown when the database has none
    int hedgeRegion = -1; // region to send a hedged copy to, -1 none
    std::uint32_t hedgeAfterMs = 0;
    bool affinityHonoured = false; // a valid token chose the first region
    int affinityRule = -1;         // an affinity rule applies: issue/refresh a token for regions[0]

    bool routed() const { return count > 0; }
};

class Router
{
public:
    // The GeoIP database may be null (then only requests with `country` set are located).
    explicit Router(const GeoIpDatabase *geoip);
    ~Router();

    void publish(std::shared_ptr<const RouteSnapshot> snapshot);
    std::shared_ptr<const RouteSnapshot> snapshot() const;

    // Fills `decision`. Lock-free and allocation-free once this thread has seen the current
    // snapshot. Before the first publish() every decision is NoRegion.
    void decide(const RouteRequest &request, RouteDecision &decision) const noexcept;
    // The same against a given snapshot (what-if views; tests). Not counted in the decision
    // and hedge counters: countServed() does that for a decision that answered a real request.
    void decideWith(const RouteSnapshot &snapshot, const RouteRequest &request,
                    RouteDecision &decision) const noexcept;
    void countServed(const RouteDecision &decision) const noexcept;

    // Country of an address through the per-network cache (thread-local, /24 and /48 keyed).
    CountryCode locate(const IpAddress &address) const noexcept;

    // Hedging counters since start.
    struct HedgeCounters
    {
        std::uint64_t decisions = 0;
        std::uint64_t hedgesSent = 0;
    };
    HedgeCounters hedgeCounters() const;

private:
    const GeoIpDatabase *m_geoip;
    std::uint64_t m_id; // distinguishes routers in the thread-local caches
    mutable std::mutex m_publishMutex;
    std::shared_ptr<const RouteSnapshot> m_snapshot;
    std::atomic<std::uint64_t> m_version{0};
    mutable std::atomic<std::uint64_t> m_decisions{0};
    mutable std::atomic<std::uint64_t> m_hedges{0};
};

// Snapshot accessors for callers outside the hot path.
const TrafficPolicy &snapshotPolicy(const RouteSnapshot &snapshot);
quint64 snapshotGeneration(const RouteSnapshot &snapshot);
const RegionRouteState &snapshotRegionState(const RouteSnapshot &snapshot, int region);

// A human-readable account of a decision: "geo-proximity rule 'nearest'", "failover rule
// 'regional-failover': ap-northeast-1 drained", "refused by ip-deny rule 'blocked-networks'".
QString describeDecision(const RouteSnapshot &snapshot, const RouteDecision &decision);
QString decisionKindName(DecisionKind kind); // "rule", "failover", "default", "denied", ...

// Affinity tokens: "<region id>.<expiry unix seconds>.<base64url HMAC-SHA256 truncated to 16
// bytes>"; the MAC is compared in constant time.
QByteArray makeAffinityToken(const QByteArray &key, QStringView regionId, qint64 expiresAt);
// The region index the token names when it is authentic and unexpired, else -1.
int verifyAffinityToken(const RouteSnapshot &snapshot, std::string_view token,
                        qint64 nowSeconds) noexcept;

} // namespace upcoach::routing
