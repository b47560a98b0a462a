// Routing decisions per core against a reference measured in the same run: libmaxminddb's raw
// lookup (GeoIpDatabase::rawLookup, no record decoding) over the same addresses. Also the
// lookup with decoding (GeoIpDatabase::country), and Router::decide with the default policy and
// with a richer composed chain, with the per-network country cache warm (addresses from a pool
// of N networks) and cold (every address in its own network). Single thread. Prints one JSON
// line.
//
//   build/tests/bench/bench_routing [--addresses 100000] [--networks 1000] [--rounds 7]
//   build/tests/bench/bench_routing --profile decide_rich_warm   # one pass, for perf/callgrind
#include "upcoach/core/regioncatalog.h"
#include "upcoach/routing/countryatlas.h"
#include "upcoach/routing/geoip.h"
#include "upcoach/routing/latencytracker.h"
#include "upcoach/routing/router.h"
#include "upcoach/routing/trafficpolicy.h"
#include "upcoach/routing/trafficstats.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

using namespace upcoach;
using namespace upcoach::routing;

namespace {

struct SplitMix
{
    std::uint64_t state;
    std::uint64_t next()
    {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
};

// `count` addresses the database places in a country, each in its own /24 (IPv4) or /48
// (IPv6), one in ten IPv6: a sample of the allocated address space, as clients come.
std::vector<IpAddress> allocatedAddresses(const GeoIpDatabase &geoip, std::size_t count,
                                          std::uint64_t seed)
{
    static constexpr std::uint16_t kIpv6Blocks[] = {
        0x2001, 0x2400, 0x2401, 0x2403, 0x2404, 0x2406, 0x2408, 0x240e, 0x2600, 0x2601, 0x2603,
        0x2605, 0x2607, 0x2800, 0x2804, 0x2a00, 0x2a01, 0x2a02, 0x2a03, 0x2a05, 0x2a0a, 0x2c0f};
    SplitMix random{seed};
    std::vector<IpAddress> out;
    std::unordered_set<std::uint64_t> networks;
    out.reserve(count);
    while (out.size() < count) {
        IpAddress address;
        if (out.size() % 10 == 9) {
            const std::uint64_t high = random.next();
            const std::uint64_t low = random.next();
            for (int i = 0; i < 8; ++i) {
                address.bytes[static_cast<std::size_t>(i)] =
                    static_cast<std::uint8_t>(high >> (56 - 8 * i));
                address.bytes[static_cast<std::size_t>(8 + i)] =
                    static_cast<std::uint8_t>(low >> (56 - 8 * i));
            }
            const std::uint16_t block = kIpv6Blocks[random.next() % std::size(kIpv6Blocks)];
            address.bytes[0] = static_cast<std::uint8_t>(block >> 8);
            address.bytes[1] = static_cast<std::uint8_t>(block);
        } else {
            address = IpAddress::fromV4(static_cast<std::uint32_t>(random.next() >> 32));
        }
        if (!geoip.country(address).valid() || !networks.insert(address.networkKey()).second)
            continue;
        out.push_back(address);
    }
    // Interleaved, so the IPv6 share is spread and the order is not sorted by anything.
    for (std::size_t i = out.size() - 1; i > 0; --i)
        std::swap(out[i], out[random.next() % (i + 1)]);
    return out;
}

// Addresses drawn from `networks` of the given ones (another host of the same /24 or /48 each
// time), `count` of them: clients that come back, as the per-network cache sees them.
std::vector<IpAddress> repeatingAddresses(const std::vector<IpAddress> &from, std::size_t networks,
                                          std::size_t count, std::uint64_t seed)
{
    SplitMix random{seed};
    std::vector<IpAddress> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        IpAddress address = from[random.next() % std::min(networks, from.size())];
        address.bytes[15] = static_cast<std::uint8_t>(random.next());
        out.push_back(address);
    }
    return out;
}

// CPU time of this thread in nanoseconds: a pass descheduled by other work on a busy machine
// does not count the time it waited.
std::int64_t threadCpuNs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return std::int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec;
}

double nsPerItem(std::size_t items, const std::function<void()> &work)
{
    const std::int64_t begin = threadCpuNs();
    work();
    return static_cast<double>(threadCpuNs() - begin) / static_cast<double>(items);
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

QByteArray richPolicy()
{
    // ip-deny + geo-fence + affinity + weighted + latency + geo-proximity + failover, hedging.
    return "version: 1\n"
           "name: rich\n"
           "rules:\n"
           "  - {name: blocked, type: ip-deny, cidrs: [192.0.2.0/24, 198.51.100.0/24, "
           "203.0.113.0/24, 2001:db8::/32, 100.64.0.0/10]}\n"
           "  - {name: embargo, type: geo-fence, deny-countries: [KP, CU, SY]}\n"
           "  - name: eu-in-eu\n"
           "    type: geo-fence\n"
           "    when: {countries: [DE, FR, IT, ES, NL, PL, SE, IE, AT, BE]}\n"
           "    allow-regions: [eu-west-1, eu-central-1]\n"
           "  - {name: sticky, type: affinity, cookie: uc_region, ttl: 30m}\n"
           "  - name: canary\n"
           "    type: weighted\n"
           "    when: {path-prefixes: [/api/v2/]}\n"
           "    weights: {us-east-1: 95, us-west-2: 5}\n"
           "  - {name: fastest, type: latency, min-samples: 3}\n"
           "  - {name: nearest, type: geo-proximity, bias: {eu-west-1: 10, me-south-1: -5}}\n"
           "  - name: regional-failover\n"
           "    type: failover\n"
           "    chains:\n"
           "      us-east-1: [us-west-2, eu-west-1]\n"
           "      ap-northeast-1: [ap-southeast-1, us-west-2]\n"
           "      eu-central-1: [eu-west-1, me-south-1]\n"
           "hedging: {enabled: true, budget: 0.05, min-delay: 20ms, max-delay: 2s}\n";
}

RouteSnapshotInputs baseInputs(std::shared_ptr<const TrafficPolicy> policy)
{
    RouteSnapshotInputs inputs;
    inputs.atlas = &CountryAtlas::builtin();
    for (const QString &id : policy->regions) {
        const Region *region = RegionCatalog::builtin().find(id);
        inputs.regionLatitude.push_back(region->latitude);
        inputs.regionLongitude.push_back(region->longitude);
    }
    inputs.affinityKey = QByteArray(32, 'k');
    inputs.policy = std::move(policy);
    for (auto &state : inputs.regionState)
        state.p95Ms = 180; // hedging needs an observed p95
    return inputs;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::size_t addressCount = 100000;
    std::size_t networkPool = 1000;
    int rounds = 7;
    const QStringList args = app.arguments();
    const auto option = [&](const char *name, auto &target) {
        const qsizetype at = args.indexOf(QLatin1String(name));
        if (at >= 0 && at + 1 < args.size())
            target = static_cast<std::remove_reference_t<decltype(target)>>(
                args.at(at + 1).toULongLong());
    };
    option("--addresses", addressCount);
    option("--networks", networkPool);
    option("--rounds", rounds);
    rounds = std::max(1, rounds);

    auto opened = GeoIpDatabase::open(GeoIpDatabase::defaultPath());
    if (!opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error().message));
        return 2;
    }
    const GeoIpDatabase &geoip = **opened;
    const std::vector<IpAddress> cold = allocatedAddresses(geoip, addressCount, 7);
    const std::vector<IpAddress> warm = repeatingAddresses(cold, networkPool, addressCount, 11);

    auto defaultParsed = defaultTrafficPolicy(RegionCatalog::builtin());
    auto richParsed = parseTrafficPolicy(richPolicy(), RegionCatalog::builtin());
    if (!defaultParsed || !richParsed) {
        std::fprintf(
            stderr, "policy: %s\n",
            qPrintable(defaultParsed ? richParsed.error().message : defaultParsed.error().message));
        return 2;
    }
    const auto defaultPolicy = std::make_shared<const TrafficPolicy>(defaultParsed.value());
    const auto rich = std::make_shared<const TrafficPolicy>(richParsed.value());

    // The rich chain with measured latency for a quarter of the networks (by /24 and country)
    // and Tokyo drained, so failover is exercised.
    RouteSnapshotInputs richInputs = baseInputs(rich);
    {
        auto networks = std::make_shared<LatencyTable>();
        auto countries = std::make_shared<LatencyTable>();
        SplitMix random{5};
        for (std::size_t i = 0; i < cold.size(); i += 4) {
            LatencyRow row;
            row.ewmaMs.fill(-1.0f);
            for (int r = 0; r < static_cast<int>(rich->regions.size()); ++r) {
                row.ewmaMs[static_cast<std::size_t>(r)] = 20.0f + float(random.next() % 200);
                row.samples[static_cast<std::size_t>(r)] = 10;
            }
            networks->emplace(cold[i].networkKey(), row);
            const CountryCode country = geoip.country(cold[i]);
            countries->emplace(static_cast<std::uint64_t>(country.index()), row);
        }
        richInputs.networkLatency = networks;
        richInputs.countryLatency = countries;
        richInputs.regionState[static_cast<std::size_t>(rich->regionIndex(u"ap-northeast-1"))]
            .unavailable = Unavailability::Drained;
    }
    Router defaultRouter(&geoip);
    defaultRouter.publish(buildSnapshot(baseInputs(defaultPolicy)));
    Router richRouter(&geoip);
    richRouter.publish(buildSnapshot(std::move(richInputs)));

    std::uint64_t sink = 0;
    const auto rawPass = [&](const std::vector<IpAddress> &addresses) {
        return [&] {
            for (const IpAddress &address : addresses)
                sink += geoip.rawLookup(address);
        };
    };
    const auto countryPass = [&](const std::vector<IpAddress> &addresses) {
        return [&] {
            for (const IpAddress &address : addresses)
                sink += static_cast<unsigned char>(geoip.country(address).first);
        };
    };
    const auto decidePass = [&](const Router &router, const std::vector<IpAddress> &addresses,
                                const char *path) {
        return [&router, &addresses, &sink, path] {
            RouteRequest request;
            request.path = path;
            request.nowSeconds = 1'800'000'000;
            RouteDecision decision;
            for (const IpAddress &address : addresses) {
                request.address = address;
                router.decide(request, decision);
                sink += decision.regions[0] + static_cast<unsigned>(decision.kind);
            }
        };
    };
    // Every request presents a valid session token (HMAC-SHA256 verification per decision).
    const std::string token =
        makeAffinityToken(QByteArray(32, 'k'), u"eu-west-1", 1'800'000'000 + 600).toStdString();
    const auto tokenPass = [&](const Router &router, const std::vector<IpAddress> &addresses) {
        return [&router, &addresses, &sink, &token] {
            RouteRequest request;
            request.path = "/api/v1/goals";
            request.nowSeconds = 1'800'000'000;
            request.affinityToken = token;
            RouteDecision decision;
            for (const IpAddress &address : addresses) {
                request.address = address;
                router.decide(request, decision);
                sink += decision.regions[0];
            }
        };
    };

    const std::size_t n = cold.size();
    struct Pass
    {
        const char *name;
        std::function<void()> work;
        int sameAddresses; // index of the raw lookup pass over the same addresses
        std::vector<double> ns;
        std::vector<double> ratio;     // per round, against the reference (pass 0)
        std::vector<double> ratioSame; // per round, against raw lookups of the same addresses
    };
    std::vector<Pass> passes;
    passes.push_back({"reference_raw_lookup", rawPass(cold), 0, {}, {}, {}});
    passes.push_back({"raw_lookup_repeating_networks", rawPass(warm), 1, {}, {}, {}});
    passes.push_back({"country_lookup_decode", countryPass(cold), 0, {}, {}, {}});
    passes.push_back(
        {"decide_default_cold", decidePass(defaultRouter, cold, "/api/v1/goals"), 0, {}, {}, {}});
    passes.push_back(
        {"decide_default_warm", decidePass(defaultRouter, warm, "/api/v1/goals"), 1, {}, {}, {}});
    passes.push_back(
        {"decide_rich_cold", decidePass(richRouter, cold, "/api/v1/goals"), 0, {}, {}, {}});
    passes.push_back(
        {"decide_rich_warm", decidePass(richRouter, warm, "/api/v1/goals"), 1, {}, {}, {}});
    passes.push_back({"decide_rich_warm_canary_path",
                      decidePass(richRouter, warm, "/api/v2/goals"),
                      1,
                      {},
                      {},
                      {}});
    passes.push_back(
        {"decide_rich_warm_with_session_token", tokenPass(richRouter, warm), 1, {}, {}, {}});

    // Per-request bookkeeping after a decision (not the routing hot path, but per request too):
    // one TrafficStats sample and one LatencyTracker observation.
    TrafficStats stats(static_cast<int>(rich->regions.size()));
    LatencyTracker tracker;
    static constexpr const char *kEndpoints[] = {"/api/v1/sessions",        "/api/v1/goals",
                                                 "/api/v1/habits/checkins", "/api/v1/messages",
                                                 "/api/v1/auth/refresh",    "/scim/v2/Users"};
    passes.push_back({"traffic_stats_record",
                      [&] {
                          TrafficSample sample;
                          std::size_t i = 0;
                          for (const IpAddress &address : warm) {
                              sample.region = static_cast<int>(i % 9);
                              sample.country = CountryCode{static_cast<char>('A' + i % 26),
                                                           static_cast<char>('A' + i % 7)};
                              sample.endpoint = kEndpoints[i % std::size(kEndpoints)];
                              sample.latencyMs = 5.0 + static_cast<double>(address.bytes[15]);
                              sample.error = i % 100 == 0;
                              stats.record(sample);
                              ++i;
                          }
                      },
                      0,
                      {},
                      {},
                      {}});
    passes.push_back({"latency_tracker_observe",
                      [&] {
                          std::size_t i = 0;
                          for (const IpAddress &address : warm) {
                              tracker.observe(address, CountryCode{'D', 'E'},
                                              static_cast<int>(i++ % 9),
                                              20.0 + static_cast<double>(address.bytes[15]));
                          }
                      },
                      0,
                      {},
                      {},
                      {}});

    // --profile NAME: only that pass, for ~20 rounds (perf record / callgrind on one figure).
    const qsizetype profileAt = args.indexOf(QStringLiteral("--profile"));
    if (profileAt >= 0 && profileAt + 1 < args.size()) {
        const QByteArray name = args.at(profileAt + 1).toLatin1();
        for (Pass &pass : passes) {
            if (name != pass.name)
                continue;
            pass.work(); // warm-up
            std::vector<double> samples;
            for (int r = 0; r < std::max(rounds, 20); ++r)
                samples.push_back(nsPerItem(n, pass.work));
            std::printf("{\"profile\":\"%s\",\"ns\":%.1f}\n", pass.name, median(samples));
            return 0;
        }
        std::fprintf(stderr, "--profile: one of");
        for (const Pass &pass : passes)
            std::fprintf(stderr, " %s", pass.name);
        std::fprintf(stderr, "\n");
        return 2;
    }

    // Every round runs every pass once, so slow phases of a shared machine hit all of them
    // alike; ratios are taken within a round, then the median over the rounds.
    for (Pass &pass : passes)
        pass.work(); // warm-up: page in the database, fill the caches
    for (int r = 0; r < rounds; ++r) {
        std::vector<double> round;
        for (Pass &pass : passes) {
            round.push_back(nsPerItem(n, pass.work));
            pass.ns.push_back(round.back());
        }
        for (std::size_t i = 0; i < passes.size(); ++i) {
            passes[i].ratio.push_back(round[i] / round[0]);
            passes[i].ratioSame.push_back(round[i] /
                                          round[static_cast<std::size_t>(passes[i].sameAddresses)]);
        }
    }

    const auto counters = richRouter.hedgeCounters();
    QJsonObject out{
        {QStringLiteral("bench"), QStringLiteral("routing")},
        {QStringLiteral("addresses"), qint64(n)},
        {QStringLiteral("warm_networks"), qint64(networkPool)},
        {QStringLiteral("rounds"), rounds},
        {QStringLiteral("clock"), QStringLiteral("thread CPU time, median of rounds")},
        {QStringLiteral("geoip_database"), geoip.databaseType()},
        {QStringLiteral("geoip_build"), geoip.buildDate()},
        {QStringLiteral("rich_hedge_share"),
         counters.decisions ? double(counters.hedgesSent) / double(counters.decisions) : 0.0},
        {QStringLiteral("sink"), qint64(sink & 0xffff)},
    };
    for (const Pass &pass : passes) {
        const double ns = median(pass.ns);
        out.insert(QLatin1String(pass.name),
                   QJsonObject{
                       {QStringLiteral("ns"), std::round(ns * 10) / 10},
                       {QStringLiteral("per_s"), qRound64(1e9 / ns)},
                       {QStringLiteral("ratio_vs_raw_lookup"),
                        std::round(median(pass.ratio) * 1000) / 1000},
                       {QStringLiteral("ratio_vs_raw_lookup_same_addresses"),
                        std::round(median(pass.ratioSame) * 1000) / 1000},
                   });
    }
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return 0;
}
