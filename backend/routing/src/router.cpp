#include "upcoach/routing/router.h"

#include "upcoach/routing/countryatlas.h"

#include <QDateTime>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace upcoach::routing {

namespace {

constexpr int kCountryCount = CountryCode::kTableSize;
constexpr std::size_t kAffinityMacBytes = 16;
constexpr std::size_t kMaxAffinityTokenBytes = 128;

std::atomic<std::uint64_t> g_nextRouterId{1};

std::uint64_t mix64(std::uint64_t x) noexcept
{
    // splitmix64's finalizer: a fixed, well-distributed hash so a client's bucket never moves
    // between processes or versions.
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

std::uint64_t hashText(std::string_view text) noexcept
{
    std::uint64_t h = 0xcbf29ce484222325ULL; // FNV-1a, then mixed
    for (char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return mix64(h);
}

using RegionOrder = std::array<std::uint8_t, kMaxRegions>;

bool isAccessRule(RuleKind kind)
{
    return kind == RuleKind::IpAllow || kind == RuleKind::IpDeny || kind == RuleKind::GeoFence;
}

// The network latency table re-laid for the hot path: open addressing over flat 16-byte slots
// (key, row), so a miss, the common case, reads one cache line instead of a bucket and a node.
// The rows stay in the table, which the snapshot keeps alive. Network keys always carry a
// family tag in their top byte, so key 0 marks an empty slot.
class NetworkLatencyIndex
{
public:
    void build(const LatencyTable *table)
    {
        if (!table || table->empty())
            return;
        std::size_t capacity = 16;
        while (capacity < table->size() * 2)
            capacity *= 2;
        m_mask = capacity - 1;
        m_slots.assign(capacity, Slot{});
        for (const auto &[key, row] : *table) {
            if (key == 0)
                continue;
            std::size_t slot = mix64(key) & m_mask;
            while (m_slots[slot].key != 0)
                slot = (slot + 1) & m_mask;
            m_slots[slot] = {key, &row};
        }
    }

    const LatencyRow *find(std::uint64_t key) const noexcept
    {
        if (m_slots.empty())
            return nullptr;
        for (std::size_t slot = mix64(key) & m_mask;; slot = (slot + 1) & m_mask) {
            if (m_slots[slot].key == key)
                return m_slots[slot].row;
            if (m_slots[slot].key == 0)
                return nullptr;
        }
    }

private:
    struct Slot
    {
        std::uint64_t key = 0;
        const LatencyRow *row = nullptr;
    };
    std::vector<Slot> m_slots;
    std::size_t m_mask = 0;
};

} // namespace

struct RouteSnapshot
{
    RouteSnapshotInputs inputs;
    int regionCount = 0;
    RegionMask allMask = 0;
    RegionMask availableMask = 0;
    std::vector<std::string> regionIds; // UTF-8, for affinity tokens
    // Identifies the affinity key and region list: verified tokens are remembered per thread
    // under it (never 0).
    std::uint64_t affinityId = 0;
    // Regions by plain distance from each country (unknown location: policy order).
    std::vector<RegionOrder> nearestByCountry;
    std::vector<bool> countryLocated;
    // Per rule: geo-proximity orders with the rule's bias; weights after overrides.
    std::vector<std::vector<RegionOrder>> biasedOrderByRule;
    std::vector<std::array<std::uint32_t, kMaxRegions>> weightsByRule;
    RegionOrder policyOrder{};
    // The latency tables as the latency rule reads them: hashed flat by network, dense by
    // country (pointers into the input tables, which the snapshot keeps alive).
    NetworkLatencyIndex networkLatency;
    std::vector<const LatencyRow *> countryLatency;
};

namespace {

void sortByDistance(const RouteSnapshot &snapshot, const CountryPoint &point,
                    const std::array<int, kMaxRegions> &bias, RegionOrder &order)
{
    std::array<double, kMaxRegions> distance{};
    for (int r = 0; r < snapshot.regionCount; ++r) {
        const auto i = static_cast<std::size_t>(r);
        const double km =
            greatCircleKm(point.latitude, point.longitude, snapshot.inputs.regionLatitude[i],
                          snapshot.inputs.regionLongitude[i]);
        distance[i] = km * (1.0 - bias[i] / 100.0);
    }
    for (int r = 0; r < snapshot.regionCount; ++r)
        order[static_cast<std::size_t>(r)] = static_cast<std::uint8_t>(r);
    std::stable_sort(order.begin(), order.begin() + snapshot.regionCount,
                     [&](std::uint8_t a, std::uint8_t b) { return distance[a] < distance[b]; });
}

bool conditionMatches(const RuleCondition &when, const RouteRequest &request,
                      CountryCode country) noexcept
{
    if (!when.countries.empty() &&
        std::find(when.countries.begin(), when.countries.end(), country) == when.countries.end())
        return false;
    if (!when.pathPrefixes.empty() &&
        std::none_of(when.pathPrefixes.begin(), when.pathPrefixes.end(),
                     [&](const std::string &prefix) { return request.path.starts_with(prefix); }))
        return false;
    if (!when.tenants.empty() &&
        std::none_of(when.tenants.begin(), when.tenants.end(),
                     [&](const std::string &slug) { return request.tenant == slug; }))
        return false;
    return true;
}

bool contains(const std::vector<CountryCode> &codes, CountryCode code) noexcept
{
    return std::find(codes.begin(), codes.end(), code) != codes.end();
}

struct OrderBuilder
{
    RegionOrder regions{};
    int count = 0;
    RegionMask used = 0;

    void add(int region) noexcept
    {
        const RegionMask bit = 1u << region;
        if (used & bit)
            return;
        used |= bit;
        regions[static_cast<std::size_t>(count++)] = static_cast<std::uint8_t>(region);
    }
};

// The region whose share of the weights (over the regions in `mask`) holds the hash; -1 when
// those weights sum to zero.
int weightedPick(const std::array<std::uint32_t, kMaxRegions> &weights, int regionCount,
                 RegionMask mask, std::uint64_t hash) noexcept
{
    std::uint64_t total = 0;
    for (int r = 0; r < regionCount; ++r) {
        if (mask & (1u << r))
            total += weights[static_cast<std::size_t>(r)];
    }
    if (total == 0)
        return -1;
    std::uint64_t bucket = hash % total;
    for (int r = 0; r < regionCount; ++r) {
        if (!(mask & (1u << r)))
            continue;
        const std::uint64_t weight = weights[static_cast<std::size_t>(r)];
        if (bucket < weight)
            return r;
        bucket -= weight;
    }
    return -1;
}

struct ThreadSnapshot
{
    std::uint64_t routerId = 0;
    std::uint64_t version = 0;
    std::shared_ptr<const RouteSnapshot> snapshot;
};

struct LocateEntry
{
    std::uint64_t key = 0;
    const GeoIpDatabase *database = nullptr;
    CountryCode country;
};
constexpr std::size_t kLocateCacheSize = 4096; // a power of two

struct VerifiedToken
{
    std::uint64_t affinityId = 0;
    std::uint8_t length = 0;
    std::array<char, kMaxAffinityTokenBytes> text{};
    int region = -1;
};
constexpr std::size_t kVerifiedTokenCacheSize = 64; // a power of two

struct HedgeBucket
{
    double tokens = 0;
};

} // namespace

std::shared_ptr<const RouteSnapshot> buildSnapshot(RouteSnapshotInputs inputs)
{
    auto snapshot = std::make_shared<RouteSnapshot>();
    const TrafficPolicy &policy = *inputs.policy;
    snapshot->regionCount = static_cast<int>(policy.regions.size());
    snapshot->allMask = policy.allRegions();
    for (int r = 0; r < snapshot->regionCount; ++r) {
        snapshot->regionIds.push_back(policy.regions[static_cast<std::size_t>(r)].toStdString());
        snapshot->policyOrder[static_cast<std::size_t>(r)] = static_cast<std::uint8_t>(r);
        if (inputs.regionState[static_cast<std::size_t>(r)].unavailable == Unavailability::None)
            snapshot->availableMask |= 1u << r;
    }
    inputs.regionLatitude.resize(policy.regions.size(), 0.0);
    inputs.regionLongitude.resize(policy.regions.size(), 0.0);
    snapshot->inputs = std::move(inputs);
    const RouteSnapshotInputs &in = snapshot->inputs;

    snapshot->nearestByCountry.assign(kCountryCount, snapshot->policyOrder);
    snapshot->countryLocated.assign(kCountryCount, false);
    const std::array<int, kMaxRegions> noBias{};
    if (in.atlas) {
        for (const CountryPoint &point : in.atlas->countries()) {
            const auto index = static_cast<std::size_t>(point.code.index());
            sortByDistance(*snapshot, point, noBias, snapshot->nearestByCountry[index]);
            snapshot->countryLocated[index] = true;
        }
    }
    snapshot->biasedOrderByRule.resize(policy.rules.size());
    snapshot->weightsByRule.resize(policy.rules.size());
    for (std::size_t i = 0; i < policy.rules.size(); ++i) {
        const PolicyRule &rule = policy.rules[i];
        if (rule.kind == RuleKind::GeoProximity) {
            if (rule.bias == noBias || !in.atlas) {
                snapshot->biasedOrderByRule[i] = snapshot->nearestByCountry;
            } else {
                auto &orders = snapshot->biasedOrderByRule[i];
                orders.assign(kCountryCount, snapshot->policyOrder);
                for (const CountryPoint &point : in.atlas->countries())
                    sortByDistance(*snapshot, point, rule.bias,
                                   orders[static_cast<std::size_t>(point.code.index())]);
            }
        }
        if (rule.kind == RuleKind::Weighted) {
            snapshot->weightsByRule[i] = rule.weights;
            for (const auto &[ruleName, weights] : in.weightOverrides) {
                if (ruleName == rule.name)
                    snapshot->weightsByRule[i] = weights;
            }
        }
    }
    std::uint64_t affinityId = hashText(std::string_view(
        in.affinityKey.constData(), static_cast<std::size_t>(in.affinityKey.size())));
    for (const std::string &id : snapshot->regionIds)
        affinityId = mix64(affinityId ^ hashText(id));
    snapshot->affinityId = affinityId | 1;
    snapshot->networkLatency.build(in.networkLatency.get());
    snapshot->countryLatency.assign(kCountryCount, nullptr);
    if (in.countryLatency) {
        for (const auto &[key, row] : *in.countryLatency) {
            if (key < static_cast<std::uint64_t>(kCountryCount))
                snapshot->countryLatency[static_cast<std::size_t>(key)] = &row;
        }
    }
    return snapshot;
}

const TrafficPolicy &snapshotPolicy(const RouteSnapshot &snapshot)
{
    return *snapshot.inputs.policy;
}

quint64 snapshotGeneration(const RouteSnapshot &snapshot)
{
    return snapshot.inputs.generation;
}

const RegionRouteState &snapshotRegionState(const RouteSnapshot &snapshot, int region)
{
    return snapshot.inputs.regionState[static_cast<std::size_t>(region)];
}

Router::Router(const GeoIpDatabase *geoip)
    : m_geoip(geoip)
    , m_id(g_nextRouterId.fetch_add(1))
{}

Router::~Router() = default;

void Router::publish(std::shared_ptr<const RouteSnapshot> snapshot)
{
    std::lock_guard lock(m_publishMutex);
    m_snapshot = std::move(snapshot);
    m_version.fetch_add(1, std::memory_order_release);
}

std::shared_ptr<const RouteSnapshot> Router::snapshot() const
{
    std::lock_guard lock(m_publishMutex);
    return m_snapshot;
}

CountryCode Router::locate(const IpAddress &address) const noexcept
{
    if (!m_geoip)
        return {};
    thread_local std::array<LocateEntry, kLocateCacheSize> cache{};
    const std::uint64_t key = address.networkKey();
    LocateEntry &entry = cache[mix64(key) & (kLocateCacheSize - 1)];
    if (entry.key == key && entry.database == m_geoip)
        return entry.country;
    const CountryCode country = m_geoip->country(address);
    entry = {key, m_geoip, country};
    return country;
}

void Router::decide(const RouteRequest &request, RouteDecision &decision) const noexcept
{
    thread_local ThreadSnapshot current;
    const std::uint64_t version = m_version.load(std::memory_order_acquire);
    if (current.routerId != m_id || current.version != version) {
        std::lock_guard lock(m_publishMutex); // only when a new snapshot was published
        current.routerId = m_id;
        current.version = m_version.load(std::memory_order_relaxed);
        current.snapshot = m_snapshot;
    }
    if (!current.snapshot) {
        decision = RouteDecision{};
        decision.kind = DecisionKind::NoRegion;
        return;
    }
    decideWith(*current.snapshot, request, decision);
    // Counted here, not in decideWith(): what-if views and tests decide against snapshots too.
    countServed(decision);
}

void Router::countServed(const RouteDecision &decision) const noexcept
{
    m_decisions.fetch_add(1, std::memory_order_relaxed);
    if (decision.hedgeRegion >= 0)
        m_hedges.fetch_add(1, std::memory_order_relaxed);
}

void Router::decideWith(const RouteSnapshot &snapshot, const RouteRequest &request,
                        RouteDecision &decision) const noexcept
{
    decision = RouteDecision{};
    const TrafficPolicy &policy = *snapshot.inputs.policy;
    const CountryCode country = request.country.valid() ? request.country : locate(request.address);
    decision.country = country;

    RegionMask candidates = snapshot.allMask;
    if (!request.tenant.empty()) {
        const auto &tenants = snapshot.inputs.tenantRegions;
        const auto it = tenants ? tenants->find(request.tenant) : decltype(tenants->end()){};
        if (!tenants || it == tenants->end()) {
            decision.kind = DecisionKind::UnknownTenant;
            return;
        }
        candidates &= it->second;
        if (candidates == 0) {
            decision.kind = DecisionKind::ResidencyBlocked;
            return;
        }
    }

    // Access rules: refuse, or narrow the regions.
    for (std::size_t i = 0; i < policy.rules.size(); ++i) {
        const PolicyRule &rule = policy.rules[i];
        if (!isAccessRule(rule.kind) || !conditionMatches(rule.when, request, country))
            continue;
        bool refused = false;
        switch (rule.kind) {
        case RuleKind::IpAllow:
            refused = !rule.cidrSet.contains(request.address);
            break;
        case RuleKind::IpDeny:
            refused = rule.cidrSet.contains(request.address);
            break;
        case RuleKind::GeoFence:
            // An allow list cannot vouch for a client whose country is unknown.
            refused = contains(rule.denyCountries, country) ||
                      (!rule.allowCountries.empty() && !contains(rule.allowCountries, country));
            if (!refused && rule.allowRegions != 0) {
                candidates &= rule.allowRegions;
                if (candidates == 0) {
                    decision.kind = DecisionKind::ResidencyBlocked;
                    decision.rule = static_cast<int>(i);
                    return;
                }
            }
            break;
        default:
            break;
        }
        if (refused) {
            decision.kind = DecisionKind::Denied;
            decision.rule = static_cast<int>(i);
            return;
        }
    }

    // Selection rules: the first that applies picks the first region; later ones order the rest.
    const RegionMask usable = candidates & snapshot.availableMask;
    OrderBuilder order;
    int decidingRule = -1;
    const bool located =
        country.valid() && snapshot.countryLocated[static_cast<std::size_t>(country.index())];
    for (std::size_t i = 0; i < policy.rules.size() && order.used != candidates; ++i) {
        const PolicyRule &rule = policy.rules[i];
        if (isAccessRule(rule.kind) || rule.kind == RuleKind::Failover ||
            !conditionMatches(rule.when, request, country))
            continue;
        const int before = order.count;
        switch (rule.kind) {
        case RuleKind::Affinity: {
            decision.affinityRule = static_cast<int>(i);
            if (order.count == 0 && !request.affinityToken.empty()) {
                const int region =
                    verifyAffinityToken(snapshot, request.affinityToken, request.nowSeconds);
                if (region >= 0 && (usable & (1u << region))) {
                    order.add(region);
                    decision.affinityHonoured = true;
                }
            }
            break;
        }
        case RuleKind::Weighted: {
            if (order.count != 0)
                break;
            const auto &weights = snapshot.weightsByRule[i];
            std::uint64_t usableTotal = 0;
            for (int r = 0; r < snapshot.regionCount; ++r) {
                if (usable & (1u << r))
                    usableTotal += weights[static_cast<std::size_t>(r)];
            }
            if (usableTotal == 0)
                break;
            // Without a session (no key, no token) a client splits by its network, so that
            // sessionless clients do not all share one bucket.
            const bool bySession =
                rule.hashBySession && (request.sessionKey != 0 || !request.affinityToken.empty());
            const std::uint64_t key =
                bySession
                    ? (request.sessionKey ? request.sessionKey : hashText(request.affinityToken))
                    : request.address.networkKey();
            const std::uint64_t hash = mix64(key ^ mix64(i + 1));
            // The bucket is drawn over every region the client may use, available or not, so a
            // client keeps its region while others are drained; only the clients of an
            // unavailable region are spread again, over the usable ones in proportion.
            int region = weightedPick(weights, snapshot.regionCount, candidates, hash);
            if (region < 0 || !(usable & (1u << region)))
                region = weightedPick(weights, snapshot.regionCount, usable, mix64(hash));
            if (region >= 0)
                order.add(region);
            break;
        }
        case RuleKind::Latency: {
            const LatencyRow *row = snapshot.networkLatency.find(request.address.networkKey());
            const auto measured = [&](const LatencyRow *candidate) {
                int regions = 0;
                for (int r = 0; r < snapshot.regionCount; ++r) {
                    if ((usable & (1u << r)) &&
                        candidate->samples[static_cast<std::size_t>(r)] >= rule.minSamples)
                        ++regions;
                }
                return regions;
            };
            if (!row || measured(row) == 0)
                row = country.valid()
                          ? snapshot.countryLatency[static_cast<std::size_t>(country.index())]
                          : nullptr;
            if (!row || measured(row) == 0)
                break;
            RegionOrder ranked{};
            int n = 0;
            for (int r = 0; r < snapshot.regionCount; ++r) {
                if ((usable & (1u << r)) && !(order.used & (1u << r)) &&
                    row->samples[static_cast<std::size_t>(r)] >= rule.minSamples)
                    ranked[static_cast<std::size_t>(n++)] = static_cast<std::uint8_t>(r);
            }
            std::sort(ranked.begin(), ranked.begin() + n, [&](std::uint8_t a, std::uint8_t b) {
                return row->ewmaMs[a] < row->ewmaMs[b];
            });
            for (int k = 0; k < n; ++k)
                order.add(ranked[static_cast<std::size_t>(k)]);
            break;
        }
        case RuleKind::GeoProximity: {
            if (!located)
                break;
            const RegionOrder &nearest =
                snapshot.biasedOrderByRule[i][static_cast<std::size_t>(country.index())];
            for (int k = 0; k < snapshot.regionCount; ++k) {
                const int r = nearest[static_cast<std::size_t>(k)];
                if (candidates & (1u << r))
                    order.add(r);
            }
            break;
        }
        default:
            break;
        }
        if (before == 0 && order.count > 0)
            decidingRule = static_cast<int>(i);
    }
    // Whatever no rule placed: nearest first when the client is located, else policy order.
    const RegionOrder &rest =
        located ? snapshot.nearestByCountry[static_cast<std::size_t>(country.index())]
                : snapshot.policyOrder;
    for (int k = 0; k < snapshot.regionCount; ++k) {
        const int r = rest[static_cast<std::size_t>(k)];
        if (candidates & (1u << r))
            order.add(r);
    }

    // Availability: an unavailable region hands over to its forced target and failover chain.
    int failoverRule = -1;
    for (std::size_t i = 0; i < policy.rules.size(); ++i) {
        if (policy.rules[i].kind == RuleKind::Failover &&
            conditionMatches(policy.rules[i].when, request, country)) {
            failoverRule = static_cast<int>(i);
            break;
        }
    }
    OrderBuilder result;
    for (int k = 0; k < order.count; ++k) {
        const int r = order.regions[static_cast<std::size_t>(k)];
        if (usable & (1u << r)) {
            result.add(r);
            continue;
        }
        const RegionRouteState &state = snapshot.inputs.regionState[static_cast<std::size_t>(r)];
        if (state.failoverTarget >= 0 && (usable & (1u << state.failoverTarget)))
            result.add(state.failoverTarget);
        if (failoverRule >= 0) {
            for (std::uint8_t next : policy.rules[static_cast<std::size_t>(failoverRule)]
                                         .chains[static_cast<std::size_t>(r)]) {
                if (usable & (1u << next))
                    result.add(next);
            }
        }
    }
    decision.regions = result.regions;
    decision.count = result.count;
    if (result.count == 0) {
        decision.kind = DecisionKind::NoRegion;
        return;
    }
    const int firstChoice = order.regions[0];
    if (!(usable & (1u << firstChoice))) {
        decision.kind = DecisionKind::Failover;
        decision.failedOverFrom = firstChoice;
        decision.failedOverBecause =
            snapshot.inputs.regionState[static_cast<std::size_t>(firstChoice)].unavailable;
        decision.rule = failoverRule;
    } else if (decidingRule >= 0) {
        decision.kind = DecisionKind::Rule;
        decision.rule = decidingRule;
    } else {
        decision.kind = DecisionKind::Default;
    }

    // Hedging: a second region after the first's observed latency percentile, within budget.
    const HedgingPolicy &hedging = policy.hedging;
    if (hedging.enabled && result.count >= 2) {
        thread_local HedgeBucket bucket;
        bucket.tokens = std::min(bucket.tokens + hedging.budget, 1.0 + hedging.budget);
        const double p95 = snapshot.inputs.regionState[decision.regions[0]].p95Ms;
        if (p95 > 0 && bucket.tokens >= 1.0) {
            bucket.tokens -= 1.0;
            decision.hedgeRegion = decision.regions[1];
            const double low = static_cast<double>(hedging.minDelay.count());
            const double high = static_cast<double>(hedging.maxDelay.count());
            decision.hedgeAfterMs = static_cast<std::uint32_t>(std::clamp(p95, low, high));
        }
    }
}

Router::HedgeCounters Router::hedgeCounters() const
{
    return {m_decisions.load(std::memory_order_relaxed), m_hedges.load(std::memory_order_relaxed)};
}

QString unavailabilityName(Unavailability reason)
{
    switch (reason) {
    case Unavailability::None:
        return {};
    case Unavailability::Unhealthy:
        return QStringLiteral("unhealthy");
    case Unavailability::Drained:
        return QStringLiteral("drained");
    case Unavailability::FailedOver:
        return QStringLiteral("failed-over");
    }
    return {};
}

QString decisionKindName(DecisionKind kind)
{
    switch (kind) {
    case DecisionKind::Rule:
        return QStringLiteral("rule");
    case DecisionKind::Failover:
        return QStringLiteral("failover");
    case DecisionKind::Default:
        return QStringLiteral("default");
    case DecisionKind::Denied:
        return QStringLiteral("denied");
    case DecisionKind::UnknownTenant:
        return QStringLiteral("unknown-tenant");
    case DecisionKind::ResidencyBlocked:
        return QStringLiteral("residency-blocked");
    case DecisionKind::NoRegion:
        return QStringLiteral("no-region");
    }
    return {};
}

QString describeDecision(const RouteSnapshot &snapshot, const RouteDecision &decision)
{
    const TrafficPolicy &policy = *snapshot.inputs.policy;
    const auto ruleText = [&](int index) {
        if (index < 0 || index >= static_cast<int>(policy.rules.size()))
            return QString();
        const PolicyRule &rule = policy.rules[static_cast<std::size_t>(index)];
        return QStringLiteral("%1 rule '%2'").arg(ruleKindName(rule.kind), rule.name);
    };
    switch (decision.kind) {
    case DecisionKind::Rule:
        return decision.affinityHonoured
                   ? ruleText(decision.rule) + QStringLiteral(" (session token)")
                   : ruleText(decision.rule);
    case DecisionKind::Failover: {
        const QString from = policy.regions[static_cast<std::size_t>(decision.failedOverFrom)];
        const QString why = unavailabilityName(decision.failedOverBecause);
        return decision.rule >= 0
                   ? QStringLiteral("%1: %2 %3").arg(ruleText(decision.rule), from, why)
                   : QStringLiteral("health failover: %1 %2, next region in order").arg(from, why);
    }
    case DecisionKind::Default:
        return decision.country.valid()
                   ? QStringLiteral("no rule applied: nearest region")
                   : QStringLiteral("no rule applied and the client's country is unknown: "
                                    "policy order");
    case DecisionKind::Denied:
        return QStringLiteral("refused by ") + ruleText(decision.rule);
    case DecisionKind::UnknownTenant:
        return QStringLiteral("unknown tenant");
    case DecisionKind::ResidencyBlocked:
        return decision.rule >= 0
                   ? QStringLiteral("no region allowed by ") + ruleText(decision.rule)
                   : QStringLiteral("no region allowed by the tenant's data residency");
    case DecisionKind::NoRegion:
        return QStringLiteral("every allowed region is unavailable");
    }
    return {};
}

QByteArray makeAffinityToken(const QByteArray &key, QStringView regionId, qint64 expiresAt)
{
    const QByteArray payload = regionId.toUtf8() + '.' + QByteArray::number(expiresAt);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int macLength = 0;
    HMAC(EVP_sha256(), key.constData(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char *>(payload.constData()),
         static_cast<std::size_t>(payload.size()), mac, &macLength);
    const QByteArray truncated(reinterpret_cast<const char *>(mac), kAffinityMacBytes);
    return payload + '.' +
           truncated.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

int verifyAffinityToken(const RouteSnapshot &snapshot, std::string_view token,
                        qint64 nowSeconds) noexcept
{
    if (token.empty() || token.size() > kMaxAffinityTokenBytes ||
        snapshot.inputs.affinityKey.isEmpty())
        return -1;
    const auto macDot = token.rfind('.');
    if (macDot == std::string_view::npos)
        return -1;
    const std::string_view payload = token.substr(0, macDot);
    const auto regionDot = payload.find('.');
    if (regionDot == std::string_view::npos)
        return -1;
    const std::string_view region = payload.substr(0, regionDot);
    const std::string_view expiryText = payload.substr(regionDot + 1);
    if (expiryText.empty() || expiryText.size() > 12)
        return -1;
    qint64 expiry = 0;
    for (char c : expiryText) {
        if (c < '0' || c > '9')
            return -1;
        expiry = expiry * 10 + (c - '0');
    }
    const qint64 now = nowSeconds > 0 ? nowSeconds : QDateTime::currentSecsSinceEpoch();
    if (expiry <= now)
        return -1;
    int index = -1;
    for (std::size_t r = 0; r < snapshot.regionIds.size(); ++r) {
        if (snapshot.regionIds[r] == region)
            index = static_cast<int>(r);
    }
    if (index < 0)
        return -1;
    // A client presents the same token with every request: a token this thread verified under
    // the same key and regions is taken without the HMAC (the expiry was checked above).
    thread_local std::array<VerifiedToken, kVerifiedTokenCacheSize> verified{};
    VerifiedToken &remembered = verified[hashText(token) & (kVerifiedTokenCacheSize - 1)];
    if (remembered.affinityId == snapshot.affinityId && remembered.length == token.size() &&
        CRYPTO_memcmp(remembered.text.data(), token.data(), token.size()) == 0)
        return remembered.region == index ? index : -1;
    // Decode the presented MAC (base64url, 22 characters for 16 bytes).
    const std::string_view macText = token.substr(macDot + 1);
    if (macText.size() != 22)
        return -1;
    unsigned char presented[kAffinityMacBytes];
    std::uint32_t accumulator = 0;
    int bits = 0;
    std::size_t produced = 0;
    for (char c : macText) {
        int value = -1;
        if (c >= 'A' && c <= 'Z')
            value = c - 'A';
        else if (c >= 'a' && c <= 'z')
            value = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            value = c - '0' + 52;
        else if (c == '-')
            value = 62;
        else if (c == '_')
            value = 63;
        if (value < 0)
            return -1;
        accumulator = (accumulator << 6) | static_cast<std::uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (produced < kAffinityMacBytes)
                presented[produced++] = static_cast<unsigned char>(accumulator >> bits);
        }
    }
    // The 4 bits past the 16 bytes must be zero: one spelling per MAC (no malleable tokens).
    if (produced != kAffinityMacBytes || (accumulator & ((1u << bits) - 1)) != 0)
        return -1;
    unsigned char expected[EVP_MAX_MD_SIZE];
    unsigned int expectedLength = 0;
    const QByteArray &key = snapshot.inputs.affinityKey;
    if (!HMAC(EVP_sha256(), key.constData(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char *>(payload.data()), payload.size(), expected,
              &expectedLength))
        return -1;
    if (CRYPTO_memcmp(presented, expected, kAffinityMacBytes) != 0)
        return -1;
    remembered = {snapshot.affinityId, static_cast<std::uint8_t>(token.size()), {}, index};
    std::memcpy(remembered.text.data(), token.data(), token.size());
    return index;
}

} // namespace upcoach::routing
