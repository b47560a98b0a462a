#include "upcoach/routing/synthetictraffic.h"

#include "upcoach/core/regioncatalog.h"
#include "upcoach/routing/countryatlas.h"
#include "upcoach/routing/geoip.h"
#include "upcoach/routing/latencytracker.h"
#include "upcoach/routing/router.h"
#include "upcoach/routing/trafficstats.h"

#include <QElapsedTimer>
#include <QTimer>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <unordered_set>

namespace upcoach::routing {

namespace {

// Light in fibre covers about 200 km per millisecond; real paths are ~1.4× the great circle.
constexpr double kFibreKmPerMs = 200.0;
constexpr double kPathInflation = 1.4;
constexpr double kDefaultDatabaseMs = 2.0;
constexpr int kMaxIpv4Attempts = 6'000'000;
constexpr int kMaxIpv6Attempts = 1'500'000;

// xoshiro256** seeded by splitmix64: small, fast, and the same sequence on every platform (the
// standard library's distributions are not specified bit for bit).
class Random
{
public:
    explicit Random(std::uint64_t seed)
    {
        for (auto &word : m_state) {
            seed += 0x9e3779b97f4a7c15ULL;
            std::uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            word = z ^ (z >> 31);
        }
    }
    std::uint64_t next()
    {
        const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
        const std::uint64_t t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; } // [0, 1)
    std::uint64_t below(std::uint64_t n) { return n ? next() % n : 0; }
    double normal()
    {
        // Box–Muller; the second value is dropped to keep the stream simple to reason about.
        const double u1 = 1.0 - uniform(); // (0, 1]
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }
    double lognormal(double median, double sigma) { return median * std::exp(sigma * normal()); }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::array<std::uint64_t, 4> m_state{};
};

struct Endpoint
{
    const char *path;
    double weight;   // share of requests
    double medianMs; // service time median (application + queries, without the database trip)
};

// What a coaching app's clients call, roughly in the proportions a mobile + web client does.
constexpr Endpoint kEndpoints[] = {
    {"/api/v1/sessions", 16, 22},
    {"/api/v1/habits/checkins", 15, 12},
    {"/api/v1/messages", 14, 18},
    {"/api/v1/goals", 13, 16},
    {"/api/v1/auth/refresh", 10, 8},
    {"/api/v1/users/me", 8, 6},
    {"/api/v1/notifications", 7, 10},
    {"/api/v1/analytics/events", 6, 5},
    {"/api/v1/coaching/programs", 5, 30},
    {"/api/v1/files/uploads", 2, 85},
    {"/scim/v2/Users", 1.5, 40},
    {"/api/v1/billing/invoices", 1, 45},
    {"/oauth/token", 1.5, 14},
};

// IPv6 /16 blocks with allocations from every registry: ARIN 2600–2607, 2620; APNIC 2400–2409,
// 240e (China); RIPE 2a00–2a0f; LACNIC 2800–2804; AFRINIC 2c0f; early 2001:: allocations.
constexpr std::uint16_t kIpv6Blocks[] = {
    0x2001, 0x2400, 0x2401, 0x2402, 0x2403, 0x2404, 0x2405, 0x2406, 0x2407, 0x2408, 0x2409,
    0x240e, 0x2600, 0x2601, 0x2602, 0x2603, 0x2604, 0x2605, 0x2606, 0x2607, 0x2620, 0x2800,
    0x2801, 0x2803, 0x2804, 0x2a00, 0x2a01, 0x2a02, 0x2a03, 0x2a04, 0x2a05, 0x2a06, 0x2a07,
    0x2a09, 0x2a0a, 0x2a0b, 0x2a0c, 0x2a0d, 0x2a0e, 0x2a10, 0x2c0f,
};

bool reservedFirstOctet(std::uint32_t address)
{
    const std::uint32_t first = address >> 24;
    return first == 0 || first == 10 || first == 127 || first >= 224;
}

} // namespace

const std::vector<SyntheticCountryShare> &SyntheticTraffic::countryShares()
{
    // Internet users in millions (ITU / DataReportal 2023, rounded), all continents.
    static const std::vector<SyntheticCountryShare> shares = {
        {"CN", 1092}, {"IN", 881}, {"US", 311}, {"ID", 213}, {"BR", 183}, {"RU", 127}, {"NG", 122},
        {"JP", 117},  {"MX", 101}, {"PK", 87},  {"PH", 86},  {"EG", 82},  {"DE", 78},  {"VN", 78},
        {"TR", 72},   {"GB", 66},  {"BD", 66},  {"TH", 61},  {"FR", 60},  {"IT", 51},  {"KR", 50},
        {"ES", 45},   {"ZA", 45},  {"AR", 39},  {"CO", 38},  {"CA", 37},  {"SA", 36},  {"PL", 33},
        {"MA", 33},   {"MY", 32},  {"AU", 25},  {"PE", 24},  {"GH", 23},  {"KE", 22},  {"CL", 17},
        {"NL", 17},   {"SE", 10},  {"AE", 9.4}, {"IL", 8.3}, {"SG", 5.6}, {"IE", 4.7}, {"NZ", 4.6},
        {"KW", 4.3},  {"QA", 2.9}, {"BH", 1.5},
    };
    return shares;
}

struct SyntheticTraffic::Simulation
{
    explicit Simulation(std::uint64_t seed)
        : random(seed)
    {}

    Random random;
    std::vector<SyntheticClient> clients;
    std::vector<std::vector<int>> clientsByCountry; // by countryShares() index
    std::vector<double> countryCumulative;          // over the countries that have clients
    std::vector<int> countryOfCumulative;
    std::vector<double> endpointCumulative;
    std::vector<std::string> tokens; // per client: the session cookie it holds
    double carry = 0;
    bool built = false;
};

SyntheticTraffic::SyntheticTraffic(const Router &router, const GeoIpDatabase &geoip,
                                   const CountryAtlas &atlas, TrafficStats &stats,
                                   LatencyTracker &latency, SyntheticTrafficSettings settings,
                                   QObject *parent)
    : QObject(parent)
    , m_router(router)
    , m_geoip(geoip)
    , m_atlas(atlas)
    , m_stats(stats)
    , m_latency(latency)
    , m_settings(settings)
    , m_simulation(std::make_unique<Simulation>(settings.seed))
{
    m_answering.fill(true);
    m_databaseMs.fill(kDefaultDatabaseMs);
    m_thread.setObjectName(QStringLiteral("synthetic-traffic"));
}

SyntheticTraffic::~SyntheticTraffic()
{
    stop();
}

void SyntheticTraffic::setRegionFacts(int region, bool answering, double databaseMs)
{
    if (region < 0 || region >= kMaxRegions)
        return;
    std::lock_guard lock(m_factsMutex);
    m_answering[static_cast<std::size_t>(region)] = answering;
    m_databaseMs[static_cast<std::size_t>(region)] =
        std::isfinite(databaseMs) && databaseMs >= 0 ? databaseMs : kDefaultDatabaseMs;
}

void SyntheticTraffic::setRegionLocations(std::vector<std::pair<double, double>> latLon)
{
    std::lock_guard lock(m_factsMutex);
    m_locations = std::move(latLon);
}

void SyntheticTraffic::start()
{
    if (m_thread.isRunning())
        return;
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(&m_thread, &QThread::started, m_worker, [this] {
        auto *timer = new QTimer(m_worker);
        auto elapsed = std::make_shared<QElapsedTimer>();
        timer->setInterval(std::chrono::milliseconds(std::max<qint64>(5, m_settings.tick.count())));
        connect(timer, &QTimer::timeout, m_worker, [this, elapsed] {
            // Real time between ticks, so a late tick sends a bigger batch, not fewer requests.
            const auto ms = std::chrono::milliseconds(elapsed->restart());
            step(std::min<std::chrono::milliseconds>(ms, std::chrono::seconds(1)));
        });
        {
            std::lock_guard lock(m_simulationMutex);
            buildPoolLocked(); // the pool first, so ticks do not stall on it
        }
        elapsed->start();
        timer->start();
    });
    m_thread.start();
}

void SyntheticTraffic::stop()
{
    if (!m_thread.isRunning())
        return;
    m_thread.quit();
    m_thread.wait();
    m_worker = nullptr;
}

bool SyntheticTraffic::isRunning() const
{
    return m_thread.isRunning();
}

quint64 SyntheticTraffic::requestsSent() const
{
    return m_sent.load(std::memory_order_relaxed);
}

std::vector<SyntheticClient> SyntheticTraffic::clients()
{
    std::lock_guard lock(m_simulationMutex);
    buildPoolLocked();
    return m_simulation->clients;
}

void SyntheticTraffic::buildPoolLocked()
{
    Simulation &sim = *m_simulation;
    if (sim.built)
        return;
    sim.built = true;

    const auto &shares = countryShares();
    std::vector<int> shareOfCountry(CountryCode::kTableSize, -1);
    for (std::size_t i = 0; i < shares.size(); ++i)
        shareOfCountry[static_cast<std::size_t>(
            CountryCode::fromString(std::string_view(shares[i].code, 2)).index())] =
            static_cast<int>(i);
    sim.clientsByCountry.assign(shares.size(), {});
    const int perCountry = std::max(1, m_settings.networksPerCountry);
    const int v6Quota =
        static_cast<int>(std::lround(perCountry * std::clamp(m_settings.ipv6Share, 0.0, 1.0)));
    std::unordered_set<std::uint64_t> networks;

    const auto admit = [&](const IpAddress &address, int quota) {
        const CountryCode country = m_geoip.country(address);
        if (!country.valid())
            return false;
        const int share = shareOfCountry[static_cast<std::size_t>(country.index())];
        if (share < 0 ||
            static_cast<int>(sim.clientsByCountry[static_cast<std::size_t>(share)].size()) >= quota)
            return false;
        if (!networks.insert(address.networkKey()).second)
            return false;
        SyntheticClient client;
        client.address = address;
        client.country = country;
        client.lastMileMs = 2.0 + 10.0 * sim.random.uniform() * sim.random.uniform();
        sim.clientsByCountry[static_cast<std::size_t>(share)].push_back(
            static_cast<int>(sim.clients.size()));
        sim.clients.push_back(client);
        return true;
    };
    const auto full = [&](int quota) {
        return std::all_of(
            sim.clientsByCountry.begin(), sim.clientsByCountry.end(),
            [quota](const std::vector<int> &c) { return static_cast<int>(c.size()) >= quota; });
    };

    // IPv6 first, up to its quota per country: a random /48 in a block that registries
    // allocate from, host part random.
    for (int attempt = 0; v6Quota > 0 && attempt < kMaxIpv6Attempts; ++attempt) {
        if ((attempt & 0xfff) == 0 && full(v6Quota))
            break;
        IpAddress address;
        const std::uint16_t block = kIpv6Blocks[sim.random.below(std::size(kIpv6Blocks))];
        const std::uint64_t high = sim.random.next();
        const std::uint64_t low = sim.random.next();
        for (int i = 0; i < 8; ++i) {
            address.bytes[static_cast<std::size_t>(i)] =
                static_cast<std::uint8_t>(high >> (56 - 8 * i));
            address.bytes[static_cast<std::size_t>(8 + i)] =
                static_cast<std::uint8_t>(low >> (56 - 8 * i));
        }
        address.bytes[0] = static_cast<std::uint8_t>(block >> 8);
        address.bytes[1] = static_cast<std::uint8_t>(block);
        admit(address, v6Quota);
    }
    // Then IPv4 up to the full quota: a random public address, one per /24.
    for (int attempt = 0; attempt < kMaxIpv4Attempts; ++attempt) {
        if ((attempt & 0xfff) == 0 && full(perCountry))
            break;
        const auto value = static_cast<std::uint32_t>(sim.random.next() >> 32);
        if (reservedFirstOctet(value))
            continue;
        // Hosts 1..254 of the /24: never a network or broadcast address.
        const std::uint32_t host = 1 + static_cast<std::uint32_t>(sim.random.below(254));
        admit(IpAddress::fromV4((value & 0xffffff00u) | host), perCountry);
    }

    double cumulative = 0;
    for (std::size_t i = 0; i < shares.size(); ++i) {
        if (sim.clientsByCountry[i].empty())
            continue;
        cumulative += shares[i].users;
        sim.countryCumulative.push_back(cumulative);
        sim.countryOfCumulative.push_back(static_cast<int>(i));
    }
    cumulative = 0;
    for (const Endpoint &endpoint : kEndpoints) {
        cumulative += endpoint.weight;
        sim.endpointCumulative.push_back(cumulative);
    }
    sim.tokens.assign(sim.clients.size(), std::string());
}

void SyntheticTraffic::step(std::chrono::milliseconds elapsed)
{
    std::lock_guard lock(m_simulationMutex);
    buildPoolLocked();
    Simulation &sim = *m_simulation;
    if (sim.clients.empty() || elapsed.count() <= 0)
        return;

    const std::shared_ptr<const RouteSnapshot> snapshot = m_router.snapshot();
    if (!snapshot)
        return;
    const TrafficPolicy &policy = snapshotPolicy(*snapshot);
    const int regionCount = static_cast<int>(policy.regions.size());

    std::array<bool, kMaxRegions> answering{};
    std::array<double, kMaxRegions> databaseMs{};
    std::array<double, kMaxRegions> latitude{};
    std::array<double, kMaxRegions> longitude{};
    {
        std::lock_guard factsLock(m_factsMutex);
        answering = m_answering;
        databaseMs = m_databaseMs;
        for (int r = 0; r < regionCount && r < kMaxRegions; ++r) {
            const auto i = static_cast<std::size_t>(r);
            if (i < m_locations.size()) {
                latitude[i] = m_locations[i].first;
                longitude[i] = m_locations[i].second;
            } else if (const Region *region = RegionCatalog::builtin().find(policy.regions[i])) {
                latitude[i] = region->latitude;
                longitude[i] = region->longitude;
            }
        }
    }

    const double wanted =
        m_settings.requestsPerSecond * static_cast<double>(elapsed.count()) / 1000.0 + sim.carry;
    const auto count = static_cast<qint64>(std::floor(std::max(0.0, wanted)));
    sim.carry = wanted - static_cast<double>(count);
    const qint64 nowSeconds = m_stats.clock().now().toSecsSinceEpoch();

    // One region's answer to one client: network round trip (distance), database, service.
    struct Answer
    {
        double networkMs = 0;
        double totalMs = 0;
        bool error = false;
    };
    const auto simulate = [&](const SyntheticClient &client, const CountryPoint *point, int region,
                              double serviceMedianMs) {
        Answer answer;
        const auto r = static_cast<std::size_t>(region);
        const double km =
            point ? greatCircleKm(point->latitude, point->longitude, latitude[r], longitude[r])
                  : 8000.0;
        answer.networkMs = km / kFibreKmPerMs * 2.0 * kPathInflation + client.lastMileMs +
                           std::abs(sim.random.normal()) * 1.5;
        if (!answering[r]) {
            answer.totalMs = m_settings.timeoutMs;
            answer.error = true;
            return answer;
        }
        // Service time: lognormal body, and one request in fifty lands in a slow tail (GC
        // pauses, lock waits, cold caches).
        double serviceMs = sim.random.lognormal(serviceMedianMs, 0.5);
        if (sim.random.uniform() < 0.02)
            serviceMs *= 3.0 + 7.0 * sim.random.uniform();
        answer.totalMs = answer.networkMs + databaseMs[r] + serviceMs;
        answer.error = sim.random.uniform() < m_settings.baseErrorRate;
        return answer;
    };

    RouteDecision decision;
    for (qint64 n = 0; n < count; ++n) {
        const double pickCountry = sim.random.uniform() * sim.countryCumulative.back();
        const auto countrySlot =
            static_cast<std::size_t>(std::upper_bound(sim.countryCumulative.begin(),
                                                      sim.countryCumulative.end(), pickCountry) -
                                     sim.countryCumulative.begin());
        const auto &members = sim.clientsByCountry[static_cast<std::size_t>(
            sim.countryOfCumulative[std::min(countrySlot, sim.countryOfCumulative.size() - 1)])];
        const int clientIndex = members[sim.random.below(members.size())];
        const SyntheticClient &client = sim.clients[static_cast<std::size_t>(clientIndex)];
        std::string &token = sim.tokens[static_cast<std::size_t>(clientIndex)];

        const double pickEndpoint = sim.random.uniform() * sim.endpointCumulative.back();
        const auto endpointIndex = std::min<std::size_t>(
            static_cast<std::size_t>(std::upper_bound(sim.endpointCumulative.begin(),
                                                      sim.endpointCumulative.end(), pickEndpoint) -
                                     sim.endpointCumulative.begin()),
            std::size(kEndpoints) - 1);
        const Endpoint &endpoint = kEndpoints[endpointIndex];
        const bool session = sim.random.uniform() < m_settings.sessionShare;

        RouteRequest request;
        request.address = client.address;
        request.path = endpoint.path;
        request.nowSeconds = nowSeconds;
        if (session)
            request.affinityToken = token;
        m_router.decide(request, decision); // counted in the router's hedge counters
        m_sent.fetch_add(1, std::memory_order_relaxed);

        TrafficSample sample;
        sample.country = decision.country;
        sample.endpoint = endpoint.path;
        if (!decision.routed()) {
            sample.region = -1;
            sample.error = true;
            m_stats.record(sample);
            continue;
        }
        const int primary = decision.regions[0];
        if (primary >= regionCount || decision.hedgeRegion >= regionCount)
            continue; // a policy with other regions was published during this batch
        const CountryPoint *point = m_atlas.find(client.country);
        const Answer first = simulate(client, point, primary, endpoint.medianMs);
        if (answering[static_cast<std::size_t>(primary)])
            m_latency.observe(client.address, client.country, primary, first.networkMs);

        double seenMs = first.totalMs;
        bool error = first.error;
        // A hedge goes out only if the first region has not answered after hedgeAfterMs; the
        // first answer (that is not a failure) wins.
        if (decision.hedgeRegion >= 0 && first.totalMs > decision.hedgeAfterMs) {
            const Answer hedge = simulate(client, point, decision.hedgeRegion, endpoint.medianMs);
            if (answering[static_cast<std::size_t>(decision.hedgeRegion)])
                m_latency.observe(client.address, client.country, decision.hedgeRegion,
                                  hedge.networkMs);
            const double hedgeMs = decision.hedgeAfterMs + hedge.totalMs;
            const bool won = !hedge.error && (first.error || hedgeMs < first.totalMs);
            m_stats.recordHedge(primary, won, won ? first.totalMs - hedgeMs : 0.0);
            if (won) {
                seenMs = hedgeMs;
                error = false;
            }
        }
        sample.region = primary;
        sample.latencyMs = seenMs;
        sample.error = error;
        m_stats.record(sample);

        // The session cookie the runtime would set with the answer.
        if (session && decision.affinityRule >= 0 &&
            decision.affinityRule < static_cast<int>(policy.rules.size()) &&
            !m_settings.affinityKey.isEmpty() && !error) {
            const PolicyRule &rule = policy.rules[static_cast<std::size_t>(decision.affinityRule)];
            const QByteArray issued = makeAffinityToken(
                m_settings.affinityKey, policy.regions[static_cast<std::size_t>(primary)],
                nowSeconds + rule.ttl.count());
            token.assign(issued.constData(), static_cast<std::size_t>(issued.size()));
        }
    }
}

} // namespace upcoach::routing
