#include "upcoach/routing/trafficstats.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <functional>

namespace upcoach::routing {

namespace {

constexpr int kShardCount = 8;
constexpr int kUnknownCountry = CountryCode::kTableSize; // index of "country unknown"
constexpr int kCountrySlots = CountryCode::kTableSize + 1;
constexpr int kEndpointSlots = TrafficStats::kMaxEndpoints + 1; // the last: "other"
constexpr std::size_t kMaxCachedOtherEndpoints = 1024;          // per shard

std::atomic<int> g_nextShard{0};

struct TransparentHash
{
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept
    {
        return std::hash<std::string_view>{}(text);
    }
};

int countrySlot(CountryCode country)
{
    return country.valid() ? country.index() : kUnknownCountry;
}

CountryCode countryOfSlot(int slot)
{
    return {static_cast<char>('A' + slot / 26), static_cast<char>('A' + slot % 26)};
}

// Dense counters with the list of indices that became non-zero, so that moving them into the
// ring and clearing them costs what was recorded, not the size of the array.
template<std::size_t N> struct TouchedCounts
{
    std::array<std::uint32_t, N> counts{};
    std::vector<std::uint16_t> touched;

    TouchedCounts() { touched.reserve(N); }
    void add(int index, std::uint32_t by = 1)
    {
        auto &count = counts[static_cast<std::size_t>(index)];
        if (count == 0)
            touched.push_back(static_cast<std::uint16_t>(index));
        count += by;
    }
    template<typename Sink> void drain(Sink &&sink)
    {
        for (std::uint16_t index : touched) {
            sink(index, counts[index]);
            counts[index] = 0;
        }
        touched.clear();
    }
};

using Sparse = std::vector<std::pair<std::uint16_t, std::uint32_t>>;

struct TopEntry
{
    int index;
    std::uint64_t count;
};

// The k largest (count, then lower index first) of dense counts.
template<typename Counts> std::vector<TopEntry> topOf(const Counts &counts, int size, int k)
{
    std::vector<TopEntry> entries;
    for (int i = 0; i < size; ++i) {
        if (counts[static_cast<std::size_t>(i)] > 0)
            entries.push_back({i, counts[static_cast<std::size_t>(i)]});
    }
    const auto better = [](const TopEntry &a, const TopEntry &b) {
        return a.count != b.count ? a.count > b.count : a.index < b.index;
    };
    const auto keep = std::min<std::size_t>(entries.size(), static_cast<std::size_t>(k));
    std::partial_sort(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(keep),
                      entries.end(), better);
    entries.resize(keep);
    return entries;
}

} // namespace

// --- LatencyHistogram -------------------------------------------------------------------------

int LatencyHistogram::bucketOf(double ms) noexcept
{
    const double units = ms / kMinMs; // 1 at the lowest bucket
    if (!(units >= 1.0))              // also NaN
        return 0;
    if (units >= static_cast<double>(std::uint64_t{1} << kOctaves))
        return kBucketCount - 1;
    // The exponent is the octave, the top six mantissa bits the linear sub-bucket.
    const auto bits = std::bit_cast<std::uint64_t>(units);
    const int octave = static_cast<int>((bits >> 52) & 0x7ff) - 1023;
    const int sub = static_cast<int>((bits >> (52 - 6)) & (kSubBuckets - 1));
    return octave * kSubBuckets + sub;
}

double LatencyHistogram::bucketValue(int bucket) noexcept
{
    const int octave = bucket / kSubBuckets;
    const int sub = bucket % kSubBuckets;
    return kMinMs * std::ldexp(1.0 + (sub + 0.5) / kSubBuckets, octave);
}

void LatencyHistogram::add(double ms, std::uint64_t count) noexcept
{
    addBucket(bucketOf(ms), count);
}

void LatencyHistogram::addBucket(int bucket, std::uint64_t count) noexcept
{
    m_counts[static_cast<std::size_t>(std::clamp(bucket, 0, kBucketCount - 1))] += count;
    m_total += count;
}

void LatencyHistogram::merge(const LatencyHistogram &other) noexcept
{
    for (std::size_t i = 0; i < m_counts.size(); ++i)
        m_counts[i] += other.m_counts[i];
    m_total += other.m_total;
}

double LatencyHistogram::percentile(double q) const noexcept
{
    if (m_total == 0)
        return 0;
    const double wanted = std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(m_total));
    const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(wanted));
    std::uint64_t seen = 0;
    for (int i = 0; i < kBucketCount; ++i) {
        seen += m_counts[static_cast<std::size_t>(i)];
        if (seen >= rank)
            return bucketValue(i);
    }
    return bucketValue(kBucketCount - 1);
}

void LatencyHistogram::clear() noexcept
{
    m_counts.fill(0);
    m_total = 0;
}

// --- TrafficStats internals -------------------------------------------------------------------

// One region's counts for the shard's current second.
struct TrafficStats::Accumulator
{
    TouchedCounts<LatencyHistogram::kBucketCount> buckets;
    TouchedCounts<kEndpointSlots> endpoints;
    TouchedCounts<kCountrySlots> countries;
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
    std::uint64_t hedgesSent = 0;
    std::uint64_t hedgesWon = 0;
    double savedMs = 0;
    bool active = false;
};

struct TrafficStats::Shard
{
    std::mutex mutex;
    qint64 second = -1;
    std::vector<Accumulator> regions; // regionCount + 1 (the last: unrouted requests)
    std::vector<int> active;          // indices of regions with counts
    std::unordered_map<std::string, int, TransparentHash, std::equal_to<>> endpoints;
    std::size_t cachedOther = 0;

    Accumulator &touch(int index)
    {
        Accumulator &accumulator = regions[static_cast<std::size_t>(index)];
        if (!accumulator.active) {
            accumulator.active = true;
            active.push_back(index);
        }
        return accumulator;
    }
};

// One region's counts for one second of the ring: sparse, possibly with repeated indices (one
// run per shard flush); readers add them up.
struct TrafficStats::RegionSlot
{
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
    std::uint64_t hedgesSent = 0;
    std::uint64_t hedgesWon = 0;
    double savedMs = 0;
    Sparse buckets;
    Sparse endpoints;
    Sparse countries;

    void clear()
    {
        requests = errors = hedgesSent = hedgesWon = 0;
        savedMs = 0;
        buckets.clear();
        endpoints.clear();
        countries.clear();
    }
};

struct TrafficStats::Slot
{
    qint64 second = -1;
    std::vector<RegionSlot> regions; // regionCount + 1
};

TrafficStats::TrafficStats(int regionCount, const Clock &clock)
    : m_regionCount(std::clamp(regionCount, 0, 64))
    , m_clock(clock)
    , m_startMs(std::chrono::duration_cast<std::chrono::milliseconds>(
                    clock.steadyNow().time_since_epoch())
                    .count())
{
    const auto lanes = static_cast<std::size_t>(m_regionCount + 1);
    for (int i = 0; i < kShardCount; ++i) {
        auto shard = std::make_unique<Shard>();
        shard->regions = std::vector<Accumulator>(lanes);
        shard->active.reserve(lanes);
        m_shards.push_back(std::move(shard));
    }
    m_ring.resize(kSlots);
    for (Slot &slot : m_ring)
        slot.regions.resize(lanes);
    m_endpointNames.reserve(kMaxEndpoints + 1);
}

TrafficStats::~TrafficStats() = default;

qint64 TrafficStats::currentSecond() const
{
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        m_clock.steadyNow().time_since_epoch())
                        .count();
    return ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
}

TrafficStats::Shard &TrafficStats::shardForThisThread() const
{
    // Threads take shards round robin, so a few recording threads never share one.
    thread_local const int lane = g_nextShard.fetch_add(1, std::memory_order_relaxed);
    return *m_shards[static_cast<std::size_t>(lane % kShardCount)];
}

int TrafficStats::internEndpoint(Shard &shard, std::string_view endpoint)
{
    if (endpoint.empty())
        return kMaxEndpoints;
    if (const auto it = shard.endpoints.find(endpoint); it != shard.endpoints.end())
        return it->second;
    int id = kMaxEndpoints;
    {
        std::lock_guard lock(m_endpointMutex);
        const std::string key(endpoint);
        if (const auto it = m_endpointIds.find(key); it != m_endpointIds.end()) {
            id = it->second;
        } else if (m_endpointIds.size() < static_cast<std::size_t>(kMaxEndpoints)) {
            id = static_cast<int>(m_endpointNames.size());
            m_endpointNames.push_back(
                QString::fromUtf8(endpoint.data(), static_cast<qsizetype>(endpoint.size())));
            m_endpointIds.emplace(key, id);
        }
    }
    // Names beyond the interned ones go to "other"; the shard remembers a bounded number of them.
    if (id < kMaxEndpoints || shard.cachedOther++ < kMaxCachedOtherEndpoints)
        shard.endpoints.emplace(std::string(endpoint), id);
    return id;
}

void TrafficStats::record(const TrafficSample &sample)
{
    if (sample.region < -1 || sample.region >= m_regionCount)
        return;
    const qint64 second = currentSecond();
    Shard &shard = shardForThisThread();
    std::lock_guard lock(shard.mutex);
    if (second > shard.second) {
        flushLocked(shard);
        shard.second = second;
    }
    const int lane = sample.region >= 0 ? sample.region : m_regionCount;
    const int endpoint = internEndpoint(shard, sample.endpoint);
    Accumulator &accumulator = shard.touch(lane);
    ++accumulator.requests;
    if (sample.error)
        ++accumulator.errors;
    // Not measured (an answer the caller serves, a refusal): counted, but not a latency.
    if (sample.region >= 0 && sample.latencyMs > 0)
        accumulator.buckets.add(LatencyHistogram::bucketOf(sample.latencyMs));
    accumulator.endpoints.add(endpoint);
    accumulator.countries.add(countrySlot(sample.country));
}

void TrafficStats::recordHedge(int region, bool won, double savedMs)
{
    if (region < 0 || region >= m_regionCount)
        return;
    const qint64 second = currentSecond();
    Shard &shard = shardForThisThread();
    std::lock_guard lock(shard.mutex);
    if (second > shard.second) {
        flushLocked(shard);
        shard.second = second;
    }
    Accumulator &accumulator = shard.touch(region);
    ++accumulator.hedgesSent;
    if (won) {
        ++accumulator.hedgesWon;
        if (savedMs > 0 && std::isfinite(savedMs))
            accumulator.savedMs += savedMs;
    }
}

void TrafficStats::flushLocked(Shard &shard) const
{
    if (shard.active.empty())
        return;
    std::lock_guard lock(m_ringMutex);
    Slot &slot = m_ring[static_cast<std::size_t>(((shard.second % kSlots) + kSlots) % kSlots)];
    const bool stale = slot.second > shard.second; // the ring moved past it: out of every window
    if (slot.second < shard.second) {
        for (RegionSlot &region : slot.regions)
            region.clear();
        slot.second = shard.second;
    }
    for (int index : shard.active) {
        Accumulator &from = shard.regions[static_cast<std::size_t>(index)];
        RegionSlot &to = slot.regions[static_cast<std::size_t>(index)];
        if (!stale) {
            to.requests += from.requests;
            to.errors += from.errors;
            to.hedgesSent += from.hedgesSent;
            to.hedgesWon += from.hedgesWon;
            to.savedMs += from.savedMs;
        }
        const auto into = [stale](Sparse &sparse) {
            return [&sparse, stale](std::uint16_t i, std::uint32_t n) {
                if (!stale)
                    sparse.emplace_back(i, n);
            };
        };
        from.buckets.drain(into(to.buckets));
        from.endpoints.drain(into(to.endpoints));
        from.countries.drain(into(to.countries));
        from.requests = from.errors = from.hedgesSent = from.hedgesWon = 0;
        from.savedMs = 0;
        from.active = false;
    }
    shard.active.clear();
}

void TrafficStats::flushAll() const
{
    for (const auto &shard : m_shards) {
        std::lock_guard lock(shard->mutex);
        flushLocked(*shard);
    }
}

// --- Reports ----------------------------------------------------------------------------------

namespace {

struct LaneTotals
{
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
    std::uint64_t hedgesSent = 0;
    std::uint64_t hedgesWon = 0;
    double savedMs = 0;
    LatencyHistogram histogram;
    std::vector<std::uint64_t> endpoints = std::vector<std::uint64_t>(kEndpointSlots, 0);
    std::vector<std::uint64_t> countries = std::vector<std::uint64_t>(kCountrySlots, 0);
};

} // namespace

TrafficStats::Report TrafficStats::report(std::chrono::seconds window) const
{
    const qint64 span = std::clamp<qint64>(window.count(), 1, kSlots);
    flushAll();
    const qint64 now = currentSecond();
    const QDateTime wallNow = m_clock.now();

    const auto lanes = static_cast<std::size_t>(m_regionCount + 1);
    std::vector<LaneTotals> totals(lanes);
    std::vector<QString> endpointNames;
    {
        std::lock_guard lock(m_ringMutex);
        for (const Slot &slot : m_ring) {
            if (slot.second <= now - span || slot.second > now)
                continue;
            for (std::size_t lane = 0; lane < lanes; ++lane) {
                const RegionSlot &from = slot.regions[lane];
                LaneTotals &to = totals[lane];
                to.requests += from.requests;
                to.errors += from.errors;
                to.hedgesSent += from.hedgesSent;
                to.hedgesWon += from.hedgesWon;
                to.savedMs += from.savedMs;
                for (const auto &[bucket, count] : from.buckets)
                    to.histogram.addBucket(bucket, count);
                for (const auto &[endpoint, count] : from.endpoints)
                    to.endpoints[endpoint] += count;
                for (const auto &[country, count] : from.countries)
                    to.countries[country] += count;
            }
        }
    }
    {
        std::lock_guard lock(m_endpointMutex);
        endpointNames = m_endpointNames;
    }

    const double elapsedSeconds =
        static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                m_clock.steadyNow().time_since_epoch())
                                .count() -
                            m_startMs) /
        1000.0;
    const double seconds = std::max(1.0, std::min(static_cast<double>(span), elapsedSeconds));

    const auto makeReport = [&](int region, const LaneTotals &lane) {
        RegionReport out;
        out.region = region;
        out.requests = lane.requests;
        out.requestsPerSecond = static_cast<double>(lane.requests) / seconds;
        out.p50Ms = lane.histogram.percentile(0.50);
        out.p95Ms = lane.histogram.percentile(0.95);
        out.p99Ms = lane.histogram.percentile(0.99);
        out.errorRate = lane.requests
                            ? static_cast<double>(lane.errors) / static_cast<double>(lane.requests)
                            : 0.0;
        for (const TopEntry &entry : topOf(lane.endpoints, kEndpointSlots, kTopEntries)) {
            const auto index = static_cast<std::size_t>(entry.index);
            out.topEndpoints.emplace_back(index < endpointNames.size() ? endpointNames[index]
                                                                       : QStringLiteral("other"),
                                          entry.count);
        }
        // The unknown country is not a country: it counts in requests, not in the top list.
        for (const TopEntry &entry : topOf(lane.countries, CountryCode::kTableSize, kTopEntries))
            out.topCountries.emplace_back(countryOfSlot(entry.index).toString(), entry.count);
        out.hedgesSent = lane.hedgesSent;
        out.hedgesWon = lane.hedgesWon;
        out.latencySavedMs = lane.savedMs;
        return out;
    };

    Report report;
    report.to = wallNow;
    report.from = wallNow.addSecs(-span);
    LaneTotals all;
    std::vector<Flow> flows;
    for (std::size_t lane = 0; lane < lanes; ++lane) {
        const LaneTotals &t = totals[lane];
        const bool routed = lane < static_cast<std::size_t>(m_regionCount);
        if (routed) {
            report.regions.push_back(makeReport(static_cast<int>(lane), t));
            for (int c = 0; c < CountryCode::kTableSize; ++c) {
                if (const auto n = t.countries[static_cast<std::size_t>(c)])
                    flows.push_back({countryOfSlot(c), static_cast<int>(lane), n});
            }
        }
        all.requests += t.requests;
        all.errors += t.errors;
        all.hedgesSent += t.hedgesSent;
        all.hedgesWon += t.hedgesWon;
        all.savedMs += t.savedMs;
        all.histogram.merge(t.histogram);
        for (std::size_t i = 0; i < all.endpoints.size(); ++i)
            all.endpoints[i] += t.endpoints[i];
        for (std::size_t i = 0; i < all.countries.size(); ++i)
            all.countries[i] += t.countries[i];
    }
    report.total = makeReport(-1, all);
    const auto keep = std::min<std::size_t>(flows.size(), kTopFlows);
    std::partial_sort(flows.begin(), flows.begin() + static_cast<std::ptrdiff_t>(keep), flows.end(),
                      [](const Flow &a, const Flow &b) {
                          if (a.requests != b.requests)
                              return a.requests > b.requests;
                          if (a.region != b.region)
                              return a.region < b.region;
                          return a.country.index() < b.country.index();
                      });
    flows.resize(keep);
    report.flows = std::move(flows);
    return report;
}

std::vector<TrafficStats::Point> TrafficStats::timeline(int region, std::chrono::seconds window,
                                                        std::chrono::seconds step) const
{
    if (region < -1 || region >= m_regionCount)
        return {};
    const qint64 span = std::clamp<qint64>(window.count(), 1, kSlots);
    const qint64 stepSeconds = std::clamp<qint64>(step.count(), 1, span);
    const qint64 points = span / stepSeconds;
    flushAll();
    const qint64 now = currentSecond();
    const QDateTime wallNow = m_clock.now();

    struct StepTotals
    {
        std::uint64_t requests = 0;
        std::uint64_t errors = 0;
        LatencyHistogram histogram;
    };
    // Point k covers the seconds (now - (points - k) × step, now - (points - 1 - k) × step].
    std::vector<StepTotals> steps(static_cast<std::size_t>(points));
    {
        std::lock_guard lock(m_ringMutex);
        for (const Slot &slot : m_ring) {
            const qint64 age = now - slot.second; // 0: the current second
            if (slot.second < 0 || age < 0 || age >= points * stepSeconds)
                continue;
            StepTotals &to = steps[static_cast<std::size_t>(points - 1 - age / stepSeconds)];
            for (std::size_t lane = 0; lane < slot.regions.size(); ++lane) {
                if (region >= 0 && lane != static_cast<std::size_t>(region))
                    continue;
                const RegionSlot &from = slot.regions[lane];
                to.requests += from.requests;
                to.errors += from.errors;
                for (const auto &[bucket, count] : from.buckets)
                    to.histogram.addBucket(bucket, count);
            }
        }
    }
    std::vector<Point> out;
    out.reserve(steps.size());
    for (qint64 k = 0; k < points; ++k) {
        const StepTotals &s = steps[static_cast<std::size_t>(k)];
        Point point;
        point.at = wallNow.addSecs(-(points - 1 - k) * stepSeconds);
        point.requestsPerSecond =
            static_cast<double>(s.requests) / static_cast<double>(stepSeconds);
        point.p95Ms = s.histogram.percentile(0.95);
        point.errorRate =
            s.requests ? static_cast<double>(s.errors) / static_cast<double>(s.requests) : 0.0;
        out.push_back(point);
    }
    return out;
}

} // namespace upcoach::routing
