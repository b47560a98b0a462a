// Traffic analytics per region: requests, rates, latency percentiles, error rates, top endpoints
// and countries, country → region flows and hedging, over sliding windows of up to 5 minutes.
//
// Percentiles come from log-linear histograms (64 linear sub-buckets per power of two from
// 0.01 ms to 167 s, reported at the bucket middle: at most 0.78% relative error), kept per region
// per one-second slot in a ring of 300 slots and merged for a window — never from averages.
//
// Recording is cheap from many threads: each thread records into one of a few shards (its own
// mutex, dense counters for the current second); a shard moves its second into the shared ring
// when the second changes or a report is taken. Reports and timelines read the ring.
#pragma once

#include "upcoach/core/clock.h"
#include "upcoach/routing/ipaddress.h"

#include <QDateTime>
#include <QString>
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace upcoach::routing {

struct TrafficSample
{
    int region = -1;           // policy region index; -1: no region served it (refused, none)
    CountryCode country;       // the client's country, unknown when not located
    std::string_view endpoint; // path template, "/api/v1/goals" (UTF-8); empty: "other"
    double latencyMs = 0;      // what the client saw; ≤ 0: not measured (not in percentiles)
    bool error = false;
};

// A latency histogram: log-linear buckets over [0.01 ms, ~167 s]; smaller values count in the
// first bucket, larger ones in the last.
class LatencyHistogram
{
public:
    static constexpr int kSubBuckets = 64; // per power of two
    static constexpr int kOctaves = 24;    // 0.01 ms × 2^24 ≈ 167.8 s
    static constexpr int kBucketCount = kSubBuckets * kOctaves;
    static constexpr double kMinMs = 0.01;

    static int bucketOf(double ms) noexcept;
    // The middle of a bucket, in milliseconds.
    static double bucketValue(int bucket) noexcept;

    void add(double ms, std::uint64_t count = 1) noexcept;
    void addBucket(int bucket, std::uint64_t count) noexcept;
    void merge(const LatencyHistogram &other) noexcept;
    std::uint64_t count() const noexcept { return m_total; }
    // The value at quantile q (0..1): the middle of the bucket holding the ceil(q × n)-th
    // smallest sample; 0 for an empty histogram.
    double percentile(double q) const noexcept;
    void clear() noexcept;

private:
    std::array<std::uint64_t, kBucketCount> m_counts{};
    std::uint64_t m_total = 0;
};

class TrafficStats
{
public:
    static constexpr int kSlots = 300;        // one per second: the longest window
    static constexpr int kMaxEndpoints = 256; // distinct endpoint templates; more count as "other"
    static constexpr int kTopEntries = 5;
    static constexpr int kTopFlows = 60;

    explicit TrafficStats(int regionCount, const Clock &clock = Clock::system());
    ~TrafficStats();
    TrafficStats(const TrafficStats &) = delete;
    TrafficStats &operator=(const TrafficStats &) = delete;

    // Thread-safe; a sample for a region outside 0..regionCount-1 other than -1 is ignored.
    void record(const TrafficSample &sample);
    // A hedged copy was sent for a request `region` served first; `won`: the hedge answered
    // first, `savedMs`: how much sooner than the first region would have (0 when not won).
    void recordHedge(int region, bool won, double savedMs);

    struct RegionReport
    {
        int region = -1; // -1: the total
        quint64 requests = 0;
        double requestsPerSecond = 0;
        double p50Ms = 0, p95Ms = 0, p99Ms = 0; // 0 when there were no answers
        double errorRate = 0;                   // errors / requests, 0 when no requests
        std::vector<std::pair<QString, quint64>> topEndpoints; // ≤ 5, most requests first
        std::vector<std::pair<QString, quint64>> topCountries; // ≤ 5, ISO codes
        quint64 hedgesSent = 0;
        quint64 hedgesWon = 0;
        double latencySavedMs = 0; // sum over won hedges
    };
    struct Flow
    {
        CountryCode country;
        int region = -1;
        quint64 requests = 0;
    };
    struct Report
    {
        QDateTime from, to;
        std::vector<RegionReport> regions; // one per region index
        RegionReport total;                // all regions plus refused / unrouted requests
        std::vector<Flow> flows;           // top 60 (country, region) pairs by requests
    };
    // The last `window` seconds (1..300), including the current second. Rates divide by the
    // window, or by the time since construction when that is shorter.
    Report report(std::chrono::seconds window = std::chrono::seconds(60)) const;

    struct Point
    {
        QDateTime at; // end of the step
        double requestsPerSecond = 0;
        double p95Ms = 0;
        double errorRate = 0;
    };
    // window / step points, oldest first; region -1: all regions (and unrouted requests).
    std::vector<Point> timeline(int region, std::chrono::seconds window = std::chrono::seconds(300),
                                std::chrono::seconds step = std::chrono::seconds(5)) const;

    int regionCount() const { return m_regionCount; }
    const Clock &clock() const { return m_clock; }

private:
    struct Accumulator;
    struct Shard;
    struct RegionSlot;
    struct Slot;

    qint64 currentSecond() const;
    Shard &shardForThisThread() const;
    int internEndpoint(Shard &shard, std::string_view endpoint);
    // Moves a shard's counts into the ring; the shard's mutex must be held.
    void flushLocked(Shard &shard) const;
    void flushAll() const;

    const int m_regionCount;
    const Clock &m_clock;
    const qint64 m_startMs; // steady clock at construction
    std::vector<std::unique_ptr<Shard>> m_shards;

    // Endpoint names by id (append-only); id kMaxEndpoints is "other".
    mutable std::mutex m_endpointMutex;
    std::vector<QString> m_endpointNames;
    std::unordered_map<std::string, int> m_endpointIds;

    mutable std::mutex m_ringMutex;
    mutable std::vector<Slot> m_ring; // kSlots; readers move the shards into it first
};

} // namespace upcoach::routing
