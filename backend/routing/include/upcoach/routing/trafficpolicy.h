// The traffic policy: an ordered rule chain in a YAML or JSON file (JSON is read as YAML), parsed
// and validated into a form the router evaluates without allocation. Errors name the rule and
// the field: "rule 3 'canary': weights.us-east-9: unknown region".
//
// Evaluation (router.h): the access rules (ip-allow, ip-deny, geo-fence) may refuse the client
// or narrow the candidate regions; the tenant's data-residency regions always narrow them; then
// the selection rules (affinity, weighted, latency, geo-proximity) in file order — the first one
// that applies to the request decides the first region, the next ones order the rest; then
// regions that are unhealthy, drained or failed over are replaced by their failover chain (a
// failover rule) or dropped. Every rule may carry `when` (countries, path prefixes, tenants).
#pragma once

#include "upcoach/core/regioncatalog.h"
#include "upcoach/core/result.h"
#include "upcoach/routing/ipaddress.h"

#include <QByteArray>
#include <QString>
#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace upcoach::routing {

inline constexpr int kMaxRegions = 16;                   // regions a policy can name
inline constexpr qsizetype kMaxPolicyBytes = 256 * 1024; // a larger file is refused
inline constexpr int kMaxRules = 64;
inline constexpr int kMaxListEntries = 4096; // CIDRs, countries, prefixes per rule

using RegionMask = std::uint32_t; // bit i: region i of the policy's region list
static_assert(kMaxRegions <= 32);

enum class RuleKind
{
    IpAllow,      // clients outside the listed networks are refused
    IpDeny,       // clients inside the listed networks are refused
    GeoFence,     // allow/deny client countries; restrict the regions that may serve them
    Affinity,     // a signed cookie or header keeps a client on its region until the TTL
    Weighted,     // a client hashes into a bucket of the weights (canary, A/B) and stays there
    Latency,      // lowest measured round trip (EWMA) from the client's network, else country
    GeoProximity, // nearest region to the client's country, distance scaled by a per-region bias
    Failover,     // ordered chains that take over from an unavailable region
};
QString ruleKindName(RuleKind kind); // the file's spelling: "ip-allow", "geo-proximity", ...

// When a rule applies; every list given must match (an empty list matches everything).
struct RuleCondition
{
    std::vector<CountryCode> countries;
    std::vector<std::string> pathPrefixes;
    std::vector<std::string> tenants;
};

struct PolicyRule
{
    QString name;
    RuleKind kind = RuleKind::GeoProximity;
    RuleCondition when;

    // ip-allow / ip-deny
    std::vector<Cidr> cidrs;
    CidrSet cidrSet;

    // geo-fence: refuse clients from denyCountries, or from outside allowCountries (when
    // given); clients the rule applies to may only be served from allowRegions (when given).
    std::vector<CountryCode> allowCountries;
    std::vector<CountryCode> denyCountries;
    RegionMask allowRegions = 0; // 0: any

    // affinity
    QString cookie; // cookie name, or empty when a header carries the token
    QString header;
    std::chrono::seconds ttl{1800};

    // weighted: weight per region index (0 = never chosen first by this rule)
    std::array<std::uint32_t, kMaxRegions> weights{};
    bool hashBySession = false; // the affinity token / session key instead of the client network

    // latency: regions need this many samples from the client's network (or country) to rank
    int minSamples = 3;

    // geo-proximity: Route 53 bias, -99..99; biased distance = distance × (1 − bias/100)
    std::array<int, kMaxRegions> bias{};

    // failover: chain per region index (region indices in order), empty when none
    std::array<std::vector<std::uint8_t>, kMaxRegions> chains{};
};

struct HedgingPolicy
{
    bool enabled = false;
    double budget = 0.05; // at most this share of requests is hedged
    int percentile = 95;  // the hedge is sent after the primary's observed latency percentile
    std::chrono::milliseconds minDelay{10};
    std::chrono::milliseconds maxDelay{2000};
};

struct TrafficPolicy
{
    int version = 1;
    QString name;
    QString description;
    std::vector<QString> regions; // region ids the policy may route to, catalog order
    std::vector<PolicyRule> rules;
    HedgingPolicy hedging;
    QByteArray source; // the file as given, for display

    int regionIndex(QStringView regionId) const; // -1 when unknown
    RegionMask allRegions() const
    {
        return regions.size() >= 32 ? ~0u : (1u << regions.size()) - 1;
    }
    const PolicyRule *rule(QStringView name) const;
};

// Parses and validates a policy. `catalog` limits the regions a policy may name; unknown keys,
// wrong types, duplicate rule names, unknown regions or countries, bad CIDRs, weights summing to
// zero, chains naming their own region and out-of-range numbers are errors naming rule and field.
Result<TrafficPolicy> parseTrafficPolicy(const QByteArray &text, const RegionCatalog &catalog);

// The demo's and the server's default (resources/traffic-policy.yaml, compiled in): geo-proximity
// with health-based failover chains, sticky sessions, hedging.
Result<TrafficPolicy> defaultTrafficPolicy(const RegionCatalog &catalog);
QByteArray defaultTrafficPolicySource();

} // namespace upcoach::routing
