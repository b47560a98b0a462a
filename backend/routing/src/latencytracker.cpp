#include "upcoach/routing/latencytracker.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace upcoach::routing {

LatencyTracker::LatencyTracker(LatencyTrackerSettings settings)
    : m_settings(settings)
    , m_countries(CountryCode::kTableSize, emptyRow())
    , m_countryMeasured(CountryCode::kTableSize, false)
{
    if (!(m_settings.alpha > 0.0) || m_settings.alpha > 1.0)
        m_settings.alpha = LatencyTrackerSettings{}.alpha;
    m_settings.maxNetworks = std::max<std::size_t>(1, m_settings.maxNetworks);
}

LatencyTracker::~LatencyTracker() = default;

LatencyRow LatencyTracker::emptyRow()
{
    LatencyRow row;
    row.ewmaMs.fill(-1.0f);
    row.samples.fill(0);
    return row;
}

void LatencyTracker::update(LatencyRow &row, int region, double rttMs) const
{
    const auto r = static_cast<std::size_t>(region);
    if (row.samples[r] == 0 || row.ewmaMs[r] < 0)
        row.ewmaMs[r] = static_cast<float>(rttMs);
    else
        row.ewmaMs[r] =
            static_cast<float>(m_settings.alpha * rttMs + (1.0 - m_settings.alpha) * row.ewmaMs[r]);
    if (row.samples[r] < std::numeric_limits<std::uint16_t>::max())
        ++row.samples[r];
}

void LatencyTracker::observe(const IpAddress &address, CountryCode country, int region,
                             double rttMs)
{
    if (region < 0 || region >= kMaxRegions || !std::isfinite(rttMs) || rttMs <= 0)
        return;
    const std::uint64_t key = address.networkKey();
    std::lock_guard lock(m_mutex);
    auto it = m_networks.find(key);
    if (it == m_networks.end()) {
        if (m_networks.size() >= m_settings.maxNetworks) {
            m_networks.erase(m_recency.back());
            m_recency.pop_back();
        }
        m_recency.push_front(key);
        it = m_networks.emplace(key, Network{emptyRow(), m_recency.begin()}).first;
    } else if (it->second.recency != m_recency.begin()) {
        m_recency.splice(m_recency.begin(), m_recency, it->second.recency);
    }
    update(it->second.row, region, rttMs);
    ++m_networkVersion;
    if (country.valid()) {
        const auto index = static_cast<std::size_t>(country.index());
        update(m_countries[index], region, rttMs);
        m_countryMeasured[index] = true;
        ++m_countryVersion;
    }
}

std::shared_ptr<const LatencyTable> LatencyTracker::networkTable() const
{
    std::lock_guard lock(m_mutex);
    if (m_networkExport && m_exportedNetworkVersion == m_networkVersion)
        return m_networkExport;
    auto table = std::make_shared<LatencyTable>();
    table->reserve(m_networks.size());
    for (const auto &[key, network] : m_networks)
        table->emplace(key, network.row);
    m_networkExport = std::move(table);
    m_exportedNetworkVersion = m_networkVersion;
    return m_networkExport;
}

std::shared_ptr<const LatencyTable> LatencyTracker::countryTable() const
{
    std::lock_guard lock(m_mutex);
    if (m_countryExport && m_exportedCountryVersion == m_countryVersion)
        return m_countryExport;
    auto table = std::make_shared<LatencyTable>();
    for (std::size_t i = 0; i < m_countries.size(); ++i) {
        if (m_countryMeasured[i])
            table->emplace(static_cast<std::uint64_t>(i), m_countries[i]);
    }
    m_countryExport = std::move(table);
    m_exportedCountryVersion = m_countryVersion;
    return m_countryExport;
}

std::size_t LatencyTracker::networkCount() const
{
    std::lock_guard lock(m_mutex);
    return m_networks.size();
}

} // namespace upcoach::routing
