// Measured round trips for the latency rule: an exponentially weighted moving average per
// (client network, region) and per (client country, region). Bounded: at most maxNetworks
// networks, the least recently updated evicted first. The router never reads the tracker; the
// runtime exports immutable tables (networkTable(), countryTable()) into a new snapshot every
// couple of seconds.
#pragma once

#include "upcoach/routing/ipaddress.h"
#include "upcoach/routing/router.h"

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace upcoach::routing {

struct LatencyTrackerSettings
{
    double alpha = 0.2;              // weight of a new sample: ewma = α·rtt + (1 − α)·ewma
    std::size_t maxNetworks = 65536; // /24 (IPv4) and /48 (IPv6) client networks kept
};

class LatencyTracker
{
public:
    explicit LatencyTracker(LatencyTrackerSettings settings = {});
    ~LatencyTracker();
    LatencyTracker(const LatencyTracker &) = delete;
    LatencyTracker &operator=(const LatencyTracker &) = delete;

    // A measured round trip from a client to a region (policy region index). Thread-safe.
    // Ignored for a region outside 0..kMaxRegions-1, or a negative, zero or non-finite rtt.
    // The country row is skipped for an unknown country.
    void observe(const IpAddress &address, CountryCode country, int region, double rttMs);

    // Immutable copies for a RouteSnapshot, keyed by IpAddress::networkKey() and
    // CountryCode::index(). Unmeasured regions have ewmaMs −1 and samples 0; samples saturate
    // at 65535. While nothing was observed since the last export the same table is returned.
    std::shared_ptr<const LatencyTable> networkTable() const;
    std::shared_ptr<const LatencyTable> countryTable() const;

    std::size_t networkCount() const;
    const LatencyTrackerSettings &settings() const { return m_settings; }

private:
    struct Network
    {
        LatencyRow row;
        std::list<std::uint64_t>::iterator recency; // position in m_recency
    };

    static LatencyRow emptyRow();
    void update(LatencyRow &row, int region, double rttMs) const;

    LatencyTrackerSettings m_settings;
    mutable std::mutex m_mutex;
    std::unordered_map<std::uint64_t, Network> m_networks;
    std::list<std::uint64_t> m_recency;  // most recently updated first
    std::vector<LatencyRow> m_countries; // by CountryCode::index()
    std::vector<bool> m_countryMeasured;
    std::uint64_t m_networkVersion = 0;
    std::uint64_t m_countryVersion = 0;
    mutable std::uint64_t m_exportedNetworkVersion = ~std::uint64_t{0};
    mutable std::uint64_t m_exportedCountryVersion = ~std::uint64_t{0};
    mutable std::shared_ptr<const LatencyTable> m_networkExport;
    mutable std::shared_ptr<const LatencyTable> m_countryExport;
};

} // namespace upcoach::routing
