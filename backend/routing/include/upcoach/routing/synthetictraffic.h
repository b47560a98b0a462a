// The demo's traffic, routed by the real Router: clients at real addresses (sampled from the
// address space and kept only where the GeoIP database places them in a chosen country, the
// country mix weighted by internet users), a realistic API mix, responses simulated from
// great-circle distance, each region's measured database round trip and a long-tailed service
// time; regions that do not answer time out; hedges race the first region. Every request is
// recorded in TrafficStats and its round trips in the LatencyTracker.
//
// Runs on its own worker thread (start/stop), in small batches every tick. Deterministic for a
// seed: the same settings, facts and snapshots give the same requests when driven by step().
#pragma once

#include "upcoach/routing/ipaddress.h"
#include "upcoach/routing/trafficpolicy.h"

#include <QByteArray>
#include <QObject>
#include <QThread>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace upcoach::routing {

class CountryAtlas;
class GeoIpDatabase;
class LatencyTracker;
class Router;
class TrafficStats;

struct SyntheticTrafficSettings
{
    double requestsPerSecond = 200;
    std::uint64_t seed = 1;
    std::chrono::milliseconds tick{50};
    int networksPerCountry = 24; // client networks (/24 or /48) per country in the pool
    double ipv6Share = 0.2;      // of each country's networks, when its IPv6 space allows
    double sessionShare = 0.5;   // requests from clients that keep a session cookie
    // The snapshot's affinity key (RouteSnapshotInputs::affinityKey). When set, session clients
    // keep the token an affinity rule issues, as a browser keeps the cookie; empty: no tokens.
    QByteArray affinityKey;
    double timeoutMs = 3000;      // what a client waits for a region that does not answer
    double baseErrorRate = 0.002; // answers that fail anyway (5xx)
};

struct SyntheticClient
{
    IpAddress address;
    CountryCode country;
    double lastMileMs = 0; // access network round trip, fixed per client
};

// A country of the synthetic population and its weight (internet users, millions).
struct SyntheticCountryShare
{
    const char *code;
    double users;
};

class SyntheticTraffic final : public QObject
{
    Q_OBJECT
public:
    SyntheticTraffic(const Router &router, const GeoIpDatabase &geoip, const CountryAtlas &atlas,
                     TrafficStats &stats, LatencyTracker &latency,
                     SyntheticTrafficSettings settings, QObject *parent = nullptr);
    ~SyntheticTraffic() override;

    // Whether a region really answers (its health), and its measured database round trip in ms.
    // Thread-safe; read at every tick. Regions default to answering with a 2 ms database.
    void setRegionFacts(int region, bool answering, double databaseMs);
    // Region coordinates (latitude, longitude) in policy region order. Thread-safe. Until set,
    // the built-in region catalog's coordinates of the policy's regions are used.
    void setRegionLocations(std::vector<std::pair<double, double>> latLon);

    // Starts the worker thread (it builds the client pool first, then runs a batch every tick).
    // Idempotent.
    void start();
    // Stops and waits for the worker. Idempotent.
    void stop();
    bool isRunning() const;

    // Runs one batch for `elapsed` of traffic on the caller's thread (tests, benchmarks). Not
    // while started.
    void step(std::chrono::milliseconds elapsed);

    quint64 requestsSent() const;
    // The client pool (built on first use: about half a second of GeoIP lookups).
    std::vector<SyntheticClient> clients();

    static const std::vector<SyntheticCountryShare> &countryShares();

private:
    struct Simulation;

    void buildPoolLocked(); // m_simulationMutex held

    const Router &m_router;
    const GeoIpDatabase &m_geoip;
    const CountryAtlas &m_atlas;
    TrafficStats &m_stats;
    LatencyTracker &m_latency;
    const SyntheticTrafficSettings m_settings;

    mutable std::mutex m_factsMutex;
    std::array<bool, kMaxRegions> m_answering;
    std::array<double, kMaxRegions> m_databaseMs;
    std::vector<std::pair<double, double>> m_locations;

    std::mutex m_simulationMutex; // the pool, the PRNG and the sessions: one stepping thread
    std::unique_ptr<Simulation> m_simulation;

    std::atomic<quint64> m_sent{0};
    QThread m_thread;
    QObject *m_worker = nullptr; // lives in m_thread; owns the tick timer
};

} // namespace upcoach::routing
