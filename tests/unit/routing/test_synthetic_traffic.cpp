// The demo's synthetic traffic through the real router and the real GeoIP database: a realistic
// client pool, every region served by the default policy, traffic leaving an unhealthy region,
// hedges, determinism, and the worker thread.
#include "routingtestsupport.h"
#include "upcoach/routing/latencytracker.h"
#include "upcoach/routing/synthetictraffic.h"
#include "upcoach/routing/trafficstats.h"

#include <QTest>
#include <set>

using namespace upcoach;
using namespace upcoach::routing;
using namespace upcoach::routing::testing;
using namespace std::chrono_literals;

namespace {

QDateTime start()
{
    return QDateTime(QDate(2026, 11, 24), QTime(12, 0), Qt::UTC);
}

// Everything one simulation needs, on a manual clock.
struct Bench
{
    explicit Bench(const GeoIpDatabase &geoip, SyntheticTrafficSettings settings = {})
        : clock(start())
        , policy(defaultPolicy())
        , router(&geoip)
        , stats(static_cast<int>(policy->regions.size()), clock)
        , traffic(router, geoip, CountryAtlas::builtin(), stats, latency, settings)
    {
        router.publish(snapshotFor(policy));
    }

    // `seconds` of traffic in 100 ms ticks, the clock moving along.
    void run(int seconds)
    {
        for (int i = 0; i < seconds * 10; ++i) {
            traffic.step(100ms);
            clock.advance(100ms);
        }
    }

    ManualClock clock;
    std::shared_ptr<const TrafficPolicy> policy;
    Router router;
    TrafficStats stats;
    LatencyTracker latency;
    SyntheticTraffic traffic;
};

} // namespace

class SyntheticTrafficTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void poolAddressesGeolocateToTheirCountries();
    void everyRegionReceivesTraffic();
    void sameSeedSameTraffic();
    void unhealthyRegionLosesItsTraffic();
    void slowRegionIsHedged();
    void sessionsCarryAffinityTokens();
    void workerThreadSendsAtTheConfiguredRate();

private:
    std::unique_ptr<GeoIpDatabase> m_geoip;
};

void SyntheticTrafficTest::initTestCase()
{
    auto opened = GeoIpDatabase::open(GeoIpDatabase::defaultPath());
    QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().message));
    m_geoip = std::move(opened).value();
}

void SyntheticTrafficTest::poolAddressesGeolocateToTheirCountries()
{
    Bench bench(*m_geoip);
    const std::vector<SyntheticClient> clients = bench.traffic.clients();
    QVERIFY(clients.size() >= 30 * 20);
    std::set<QString> countries;
    std::set<std::uint64_t> networks;
    int ipv6 = 0;
    std::set<QString> wanted;
    for (const SyntheticCountryShare &share : SyntheticTraffic::countryShares())
        wanted.insert(QString::fromLatin1(share.code, 2));
    QVERIFY(wanted.size() >= 30);
    for (const SyntheticClient &client : clients) {
        QCOMPARE(m_geoip->country(client.address), client.country);
        QVERIFY2(wanted.count(client.country.toString()), qPrintable(client.country.toString()));
        countries.insert(client.country.toString());
        networks.insert(client.address.networkKey());
        ipv6 += client.address.v4 ? 0 : 1;
        QVERIFY(client.lastMileMs >= 2 && client.lastMileMs <= 12);
        QVERIFY(CountryAtlas::builtin().find(client.country));
    }
    QVERIFY2(countries.size() >= 30, qPrintable(QString::number(countries.size())));
    QCOMPARE(networks.size(), clients.size()); // one client per /24 or /48
    QVERIFY2(ipv6 >= static_cast<int>(clients.size()) / 10, qPrintable(QString::number(ipv6)));
    // Every continent.
    for (const char *code : {"US", "BR", "DE", "NG", "ZA", "IN", "JP", "AU", "AE"})
        QVERIFY2(countries.count(QString::fromLatin1(code)), code);
}

void SyntheticTrafficTest::everyRegionReceivesTraffic()
{
    Bench bench(*m_geoip);
    bench.run(30);
    QCOMPARE(bench.traffic.requestsSent(), quint64(30 * 200));
    const auto report = bench.stats.report(60s);
    QCOMPARE(report.total.requests, quint64(30 * 200));
    QCOMPARE(report.regions.size(), std::size_t(9));
    for (const auto &region : report.regions) {
        QVERIFY2(region.requests > 0, qPrintable(regionName(*bench.policy, region.region)));
        QVERIFY2(region.p50Ms > 5 && region.p50Ms < 300, qPrintable(QString::number(region.p50Ms)));
        QVERIFY(region.p99Ms >= region.p95Ms && region.p95Ms >= region.p50Ms);
        QVERIFY(!region.topCountries.empty());
        QVERIFY(!region.topEndpoints.empty());
    }
    QCOMPARE(report.total.requestsPerSecond, 200.0);
    QVERIFY(report.total.errorRate < 0.02);
    QVERIFY(report.flows.size() >= 30);
    // The nearest region serves each country: Japan → Tokyo, Brazil → São Paulo.
    for (const auto &flow : report.flows) {
        if (flow.country == country("JP"))
            QCOMPARE(regionName(*bench.policy, flow.region), QStringLiteral("ap-northeast-1"));
        if (flow.country == country("BR"))
            QCOMPARE(regionName(*bench.policy, flow.region), QStringLiteral("sa-east-1"));
    }
    // Endpoint mix: the heaviest first.
    QCOMPARE(report.total.topEndpoints.size(), std::size_t(5));
    QCOMPARE(report.total.topEndpoints[0].first, QStringLiteral("/api/v1/sessions"));
    // Round trips reached the latency tracker, per network and per country.
    QVERIFY(bench.latency.networkCount() > 300);
    QVERIFY(bench.latency.countryTable()->size() >= 30);
}

void SyntheticTrafficTest::sameSeedSameTraffic()
{
    SyntheticTrafficSettings settings;
    settings.seed = 42;
    Bench a(*m_geoip, settings);
    Bench b(*m_geoip, settings);
    a.run(5);
    b.run(5);
    const auto ra = a.stats.report(60s);
    const auto rb = b.stats.report(60s);
    for (std::size_t r = 0; r < ra.regions.size(); ++r) {
        QCOMPARE(ra.regions[r].requests, rb.regions[r].requests);
        QCOMPARE(ra.regions[r].p95Ms, rb.regions[r].p95Ms);
    }
    QCOMPARE(a.traffic.clients().front().address, b.traffic.clients().front().address);

    settings.seed = 43;
    Bench c(*m_geoip, settings);
    QVERIFY(c.traffic.clients().front().address != a.traffic.clients().front().address);
}

void SyntheticTrafficTest::unhealthyRegionLosesItsTraffic()
{
    Bench bench(*m_geoip);
    const int frankfurt = regionOf(*bench.policy, "eu-central-1");
    bench.run(10);
    QVERIFY(bench.stats.report(10s).regions[static_cast<std::size_t>(frankfurt)].requests > 50);

    // The region stops answering: its requests time out until health checks notice.
    bench.traffic.setRegionFacts(frankfurt, false, 0);
    bench.run(5);
    const auto failing = bench.stats.report(5s);
    const auto &down = failing.regions[static_cast<std::size_t>(frankfurt)];
    QVERIFY(down.requests > 20);
    QCOMPARE(down.errorRate, 1.0);
    QVERIFY(down.p50Ms >= 2970 && down.p50Ms <= 3030); // the client's timeout

    // Health marks it unhealthy: the router sends nobody there any more.
    bench.router.publish(snapshotFor(bench.policy, [&](RouteSnapshotInputs &in) {
        in.regionState[static_cast<std::size_t>(frankfurt)].unavailable = Unavailability::Unhealthy;
    }));
    bench.clock.advance(1s); // the next window starts after the change
    bench.run(10);
    // 11 s: the 10 seconds of traffic since the change (the clock stands at the next second).
    const auto after = bench.stats.report(11s);
    QCOMPARE(after.regions[static_cast<std::size_t>(frankfurt)].requests, quint64(0));
    QCOMPARE(after.total.requests, quint64(2000));
    // Its clients went to its chain: eu-west-1 now serves Germany.
    bool germanyInDublin = false;
    for (const auto &flow : after.flows) {
        QVERIFY(flow.region != frankfurt);
        if (flow.country == country("DE"))
            germanyInDublin = regionName(*bench.policy, flow.region) == u"eu-west-1";
    }
    QVERIFY(germanyInDublin);
    QVERIFY(after.total.errorRate < 0.02);
}

void SyntheticTrafficTest::slowRegionIsHedged()
{
    Bench bench(*m_geoip);
    // Hedging needs each region's observed p95 in the snapshot (the runtime puts it there).
    bench.router.publish(snapshotFor(bench.policy, [](RouteSnapshotInputs &in) {
        for (auto &state : in.regionState)
            state.p95Ms = 120;
    }));
    const int tokyo = regionOf(*bench.policy, "ap-northeast-1");
    bench.traffic.setRegionFacts(tokyo, true, 400); // a slow database
    const auto before = bench.router.hedgeCounters();
    bench.run(20);
    const auto report = bench.stats.report(60s);
    const auto &slow = report.regions[static_cast<std::size_t>(tokyo)];
    QVERIFY(slow.hedgesSent > 0);
    QVERIFY(slow.hedgesWon > 0);
    QVERIFY(slow.latencySavedMs > 0);
    QVERIFY(report.total.hedgesSent >= slow.hedgesSent);
    QVERIFY(report.total.hedgesWon <= report.total.hedgesSent);
    // Within the 5% budget of decisions.
    const auto after = bench.router.hedgeCounters();
    QCOMPARE(after.decisions - before.decisions, std::uint64_t(4000));
    QVERIFY(after.hedgesSent - before.hedgesSent <= 4000 / 20 + 1);
    QVERIFY(report.total.hedgesSent <= after.hedgesSent - before.hedgesSent);
}

void SyntheticTrafficTest::sessionsCarryAffinityTokens()
{
    SyntheticTrafficSettings settings;
    settings.affinityKey = testAffinityKey();
    settings.sessionShare = 1.0;
    Bench bench(*m_geoip, settings);
    bench.run(10);
    // Drain Frankfurt: session clients that were there hold tokens naming it, which are
    // ignored now; nobody lands in Frankfurt.
    const int frankfurt = regionOf(*bench.policy, "eu-central-1");
    bench.router.publish(snapshotFor(bench.policy, [&](RouteSnapshotInputs &in) {
        in.regionState[static_cast<std::size_t>(frankfurt)].unavailable = Unavailability::Drained;
    }));
    bench.clock.advance(1s);
    bench.run(5);
    QCOMPARE(bench.stats.report(5s).regions[static_cast<std::size_t>(frankfurt)].requests,
             quint64(0));
    // Undrained: clients now hold tokens for the regions they were moved to, and stay there
    // (that is what affinity is for), so Frankfurt gets back only clients without one yet.
    bench.router.publish(snapshotFor(bench.policy));
    bench.clock.advance(1s);
    bench.run(5);
    const auto report = bench.stats.report(5s);
    quint64 germansInDublin = 0;
    for (const auto &flow : report.flows) {
        if (flow.country == country("DE") && regionName(*bench.policy, flow.region) == u"eu-west-1")
            germansInDublin = flow.requests;
    }
    QVERIFY2(germansInDublin > 0, "sticky sessions kept German clients on their failover region");
}

void SyntheticTrafficTest::workerThreadSendsAtTheConfiguredRate()
{
    SyntheticTrafficSettings settings;
    settings.requestsPerSecond = 400;
    const auto policy = defaultPolicy();
    Router router(m_geoip.get());
    router.publish(snapshotFor(policy));
    TrafficStats stats(static_cast<int>(policy->regions.size()));
    LatencyTracker latency;
    SyntheticTraffic traffic(router, *m_geoip, CountryAtlas::builtin(), stats, latency, settings);
    traffic.start();
    traffic.start(); // idempotent
    QVERIFY(traffic.isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(traffic.requestsSent() >= 200, 10000);
    const quint64 first = traffic.requestsSent();
    QTest::qWait(1000);
    const quint64 second = traffic.requestsSent();
    traffic.stop();
    QVERIFY(!traffic.isRunning());
    // About 400 in the second (timers on a loaded 2-core machine are late, never early).
    QVERIFY2(second - first >= 250 && second - first <= 600,
             qPrintable(QString::number(second - first)));
    const quint64 stopped = traffic.requestsSent();
    QTest::qWait(200);
    QCOMPARE(traffic.requestsSent(), stopped);
    QCOMPARE(stats.report(60s).total.requests, stopped);
    traffic.stop(); // idempotent
}

QTEST_GUILESS_MAIN(SyntheticTrafficTest)
#include "test_synthetic_traffic.moc"
