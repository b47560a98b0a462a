// Traffic analytics: histogram accuracy, percentiles of known distributions, sliding windows on
// a manual clock, concurrent recording, top lists, error rates, hedges, timelines.
#include "upcoach/routing/trafficstats.h"

#include <QTest>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <numbers>
#include <thread>
#include <vector>

using namespace upcoach;
using namespace upcoach::routing;
using namespace std::chrono_literals;

namespace {

QDateTime start()
{
    return QDateTime(QDate(2026, 11, 24), QTime(12, 0), Qt::UTC);
}

TrafficSample sample(int region, double ms, const char *endpoint = "/api/v1/goals",
                     const char *countryCode = "DE", bool error = false)
{
    TrafficSample s;
    s.region = region;
    s.latencyMs = ms;
    s.endpoint = endpoint;
    s.country = CountryCode::fromString(std::string_view(countryCode));
    s.error = error;
    return s;
}

// Nearest-rank percentile of a sorted sample.
double exactPercentile(const std::vector<double> &sorted, double q)
{
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
    return sorted[std::max<std::size_t>(rank, 1) - 1];
}

bool within(double value, double expected, double relative)
{
    return std::abs(value - expected) <= relative * std::abs(expected);
}

// The standard normal distribution's quantile: Newton's method on erf.
double standardNormalQuantile(double p)
{
    const double y = 2.0 * p - 1.0;
    double x = 0;
    for (int k = 0; k < 100; ++k)
        x -= (std::erf(x) - y) / (2.0 / std::sqrt(std::numbers::pi) * std::exp(-x * x));
    return x * std::sqrt(2.0);
}

QByteArray describe(double value, double expected)
{
    return QByteArray::number(value) + " vs " + QByteArray::number(expected);
}

} // namespace

class TrafficStatsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void histogramRelativeErrorBelowOnePercent();
    void histogramClampsOutOfRange();
    void percentilesOfKnownDistributions_data();
    void percentilesOfKnownDistributions();
    void windowsExpire();
    void ringSlotsAreReused();
    void requestsPerSecond();
    void concurrentRecordingSumsExactly();
    void topEndpointsAndCountries();
    void endpointsBeyondTheLimitCountAsOther();
    void errorRate();
    void hedgeMetrics();
    void unroutedRequestsCountInTheTotalOnly();
    void flowsAreTopPairs();
    void timelineSteps();
    void invalidRegionsAreIgnored();
};

void TrafficStatsTest::histogramRelativeErrorBelowOnePercent()
{
    double worst = 0;
    for (double ms = 0.01; ms <= 120000.0; ms *= 1.0007) {
        const double reported = LatencyHistogram::bucketValue(LatencyHistogram::bucketOf(ms));
        worst = std::max(worst, std::abs(reported - ms) / ms);
    }
    QVERIFY2(worst <= 0.0079, QByteArray::number(worst).constData());
    // Buckets are monotonic.
    int previous = 0;
    for (double ms = 0.01; ms <= 120000.0; ms *= 1.01) {
        const int bucket = LatencyHistogram::bucketOf(ms);
        QVERIFY(bucket >= previous);
        previous = bucket;
    }
    QVERIFY(LatencyHistogram::bucketOf(120000.0) < LatencyHistogram::kBucketCount - 1);
}

void TrafficStatsTest::histogramClampsOutOfRange()
{
    QCOMPARE(LatencyHistogram::bucketOf(0), 0);
    QCOMPARE(LatencyHistogram::bucketOf(-5), 0);
    QCOMPARE(LatencyHistogram::bucketOf(std::nan("")), 0);
    QCOMPARE(LatencyHistogram::bucketOf(1e12), LatencyHistogram::kBucketCount - 1);
    QCOMPARE(LatencyHistogram::bucketOf(HUGE_VAL), LatencyHistogram::kBucketCount - 1);
    LatencyHistogram empty;
    QCOMPARE(empty.percentile(0.95), 0.0);
    LatencyHistogram one;
    one.add(42.0);
    QVERIFY(within(one.percentile(0.0), 42.0, 0.008));
    QVERIFY(within(one.percentile(1.0), 42.0, 0.008));
}

void TrafficStatsTest::percentilesOfKnownDistributions_data()
{
    QTest::addColumn<QString>("distribution");
    QTest::newRow("uniform 1..1000 ms") << QStringLiteral("uniform");
    QTest::newRow("exponential mean 50 ms") << QStringLiteral("exponential");
    QTest::newRow("lognormal median 40 ms sigma 1") << QStringLiteral("lognormal");
    QTest::newRow("bimodal 2 ms / 900 ms") << QStringLiteral("bimodal");
    QTest::newRow("sub-millisecond") << QStringLiteral("fast");
}

void TrafficStatsTest::percentilesOfKnownDistributions()
{
    QFETCH(QString, distribution);
    // Values from each distribution's quantile function at evenly spaced probabilities, so the
    // exact percentiles are known; recorded in a shuffled order.
    constexpr int kCount = 100000;
    std::vector<double> values;
    values.reserve(kCount);
    for (int i = 0; i < kCount; ++i) {
        const double p = (i + 0.5) / kCount;
        double v = 0;
        if (distribution == u"uniform")
            v = 1.0 + 999.0 * p;
        else if (distribution == u"exponential")
            v = -50.0 * std::log(1.0 - p);
        else if (distribution == u"lognormal")
            v = 40.0 * std::exp(1.0 * standardNormalQuantile(p));
        else if (distribution == u"bimodal")
            v = i % 10 < 9 ? 2.0 + 0.5 * p : 900.0 + 100.0 * p;
        else
            v = 0.05 + 0.9 * p;
        values.push_back(v);
    }
    std::vector<double> shuffled = values;
    for (std::size_t i = shuffled.size() - 1; i > 0; --i)
        std::swap(shuffled[i], shuffled[(i * 2654435761u) % (i + 1)]);

    ManualClock clock(start());
    TrafficStats stats(1, clock);
    for (double v : shuffled)
        stats.record(sample(0, v));
    std::sort(values.begin(), values.end());
    const auto report = stats.report(60s);
    const auto &region = report.regions.at(0);
    QCOMPARE(region.requests, quint64(kCount));
    QVERIFY2(within(region.p50Ms, exactPercentile(values, 0.50), 0.01),
             describe(region.p50Ms, exactPercentile(values, 0.50)).constData());
    QVERIFY2(within(region.p95Ms, exactPercentile(values, 0.95), 0.01),
             describe(region.p95Ms, exactPercentile(values, 0.95)).constData());
    QVERIFY2(within(region.p99Ms, exactPercentile(values, 0.99), 0.01),
             describe(region.p99Ms, exactPercentile(values, 0.99)).constData());
    QCOMPARE(report.total.p95Ms, region.p95Ms);
}

void TrafficStatsTest::windowsExpire()
{
    ManualClock clock(start());
    TrafficStats stats(2, clock);
    for (int i = 0; i < 100; ++i)
        stats.record(sample(0, 10));
    QCOMPARE(stats.report(60s).regions[0].requests, quint64(100));
    clock.advance(9s);
    for (int i = 0; i < 50; ++i)
        stats.record(sample(1, 20));
    QCOMPARE(stats.report(10s).regions[0].requests, quint64(100)); // 9 s old: inside 10 s
    clock.advance(1s);
    QCOMPARE(stats.report(10s).regions[0].requests, quint64(0)); // 10 s old: outside
    QCOMPARE(stats.report(60s).regions[0].requests, quint64(100));
    QCOMPARE(stats.report(10s).regions[1].requests, quint64(50));
    clock.advance(49s); // the first second is now 59 s old
    QCOMPARE(stats.report(60s).total.requests, quint64(150));
    clock.advance(1s);
    QCOMPARE(stats.report(60s).total.requests, quint64(50));
    QCOMPARE(stats.report(300s).total.requests, quint64(150));
    clock.advance(241s); // the first batch is now 301 s old, the later one 292 s
    QCOMPARE(stats.report(300s).total.requests, quint64(50));
    clock.advance(10s);
    const auto empty = stats.report(300s);
    QCOMPARE(empty.total.requests, quint64(0));
    QCOMPARE(empty.total.p95Ms, 0.0);
    QCOMPARE(empty.total.errorRate, 0.0);
    // Windows beyond 300 s are clamped, and the report says which period it covers.
    const auto clamped = stats.report(3600s);
    QCOMPARE(clamped.from.secsTo(clamped.to), 300);
    QCOMPARE(clamped.to, clock.now());
}

void TrafficStatsTest::ringSlotsAreReused()
{
    ManualClock clock(start());
    TrafficStats stats(1, clock);
    for (int i = 0; i < 7; ++i)
        stats.record(sample(0, 5));
    clock.advance(300s); // the same ring slot, 300 seconds later
    for (int i = 0; i < 3; ++i)
        stats.record(sample(0, 500));
    const auto report = stats.report(300s);
    QCOMPARE(report.regions[0].requests, quint64(3));
    QVERIFY(within(report.regions[0].p50Ms, 500, 0.01));
}

void TrafficStatsTest::requestsPerSecond()
{
    ManualClock clock(start());
    TrafficStats stats(1, clock);
    // 10 requests in each of the seconds 1..60 after construction.
    for (int second = 1; second <= 60; ++second) {
        clock.advance(1s);
        for (int i = 0; i < 10; ++i)
            stats.record(sample(0, 12));
    }
    const auto report = stats.report(60s);
    QCOMPARE(report.regions[0].requests, quint64(600));
    QCOMPARE(report.regions[0].requestsPerSecond, 10.0);
    // A window longer than the time since start divides by the time since start.
    QCOMPARE(stats.report(300s).regions[0].requestsPerSecond, 10.0);
    QCOMPARE(stats.report(10s).regions[0].requestsPerSecond, 10.0);
}

void TrafficStatsTest::concurrentRecordingSumsExactly()
{
    ManualClock clock(start());
    constexpr int kRegions = 3;
    constexpr int kThreads = 4;
    constexpr int kPerThread = 100000;
    TrafficStats stats(kRegions, clock);
    std::atomic<bool> go{false};
    std::atomic<int> running{kThreads};
    std::vector<std::thread> threads;
    const char *endpoints[] = {"/api/v1/goals", "/api/v1/sessions", "/api/v1/messages"};
    const char *countries[] = {"DE", "JP", "BR", "US"};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            while (!go.load())
                std::this_thread::yield();
            for (int i = 0; i < kPerThread; ++i) {
                stats.record(sample(i % kRegions, 1.0 + (i % 500), endpoints[i % 3], countries[t],
                                    i % 10 == 0));
                if (i % 1000 == 0)
                    stats.recordHedge(i % kRegions, i % 2000 == 0, 5.0);
            }
            --running;
        });
    }
    // Seconds pass while the threads record (within the 300 s the report covers), and reports
    // are taken meanwhile: the shards move into the ring under load.
    go = true;
    int ticks = 0;
    while (running.load() > 0) {
        if (ticks < 250) {
            clock.advance(1s);
            ++ticks;
        }
        (void)stats.report(300s);
        std::this_thread::yield();
    }
    for (std::thread &thread : threads)
        thread.join();

    const auto report = stats.report(300s);
    QCOMPARE(report.total.requests, quint64(kThreads) * kPerThread);
    quint64 sum = 0;
    for (const auto &region : report.regions)
        sum += region.requests;
    QCOMPARE(sum, quint64(kThreads) * kPerThread);
    // Every region got exactly its share: i % 3 over 100000 → 33334, 33333, 33333 per thread.
    QCOMPARE(report.regions[0].requests, quint64(kThreads) * 33334);
    QCOMPARE(report.regions[1].requests, quint64(kThreads) * 33333);
    QCOMPARE(report.total.errorRate, 0.1);
    QCOMPARE(report.total.hedgesSent, quint64(kThreads) * 100);
    QCOMPARE(report.total.hedgesWon, quint64(kThreads) * 50);
    QCOMPARE(report.total.latencySavedMs, kThreads * 50 * 5.0);
    QCOMPARE(report.total.topCountries.size(), std::size_t(4));
    for (const auto &[code, count] : report.total.topCountries)
        QCOMPARE(count, quint64(kPerThread));
}

void TrafficStatsTest::topEndpointsAndCountries()
{
    ManualClock clock(start());
    TrafficStats stats(2, clock);
    const std::pair<const char *, int> endpoints[] = {
        {"/api/v1/sessions", 50}, {"/api/v1/goals", 40},        {"/api/v1/messages", 30},
        {"/scim/v2/Users", 20},   {"/api/v1/auth/refresh", 10}, {"/oauth/token", 5},
    };
    for (const auto &[endpoint, count] : endpoints) {
        for (int i = 0; i < count; ++i)
            stats.record(sample(0, 10, endpoint, "US"));
    }
    const std::pair<const char *, int> countries[] = {{"JP", 9}, {"DE", 7}, {"BR", 5},
                                                      {"ZA", 3}, {"SG", 2}, {"AE", 1}};
    for (const auto &[code, count] : countries) {
        for (int i = 0; i < count; ++i)
            stats.record(sample(1, 10, "/api/v1/goals", code));
    }
    const auto report = stats.report(60s);
    const auto &endpointsTop = report.regions[0].topEndpoints;
    QCOMPARE(endpointsTop.size(), std::size_t(5));
    QCOMPARE(endpointsTop[0], std::make_pair(QStringLiteral("/api/v1/sessions"), quint64(50)));
    QCOMPARE(endpointsTop[1], std::make_pair(QStringLiteral("/api/v1/goals"), quint64(40)));
    QCOMPARE(endpointsTop[4], std::make_pair(QStringLiteral("/api/v1/auth/refresh"), quint64(10)));
    QCOMPARE(report.regions[0].topCountries,
             (std::vector<std::pair<QString, quint64>>{{QStringLiteral("US"), 155}}));
    const auto &countriesTop = report.regions[1].topCountries;
    QCOMPARE(countriesTop.size(), std::size_t(5));
    QCOMPARE(countriesTop[0], std::make_pair(QStringLiteral("JP"), quint64(9)));
    QCOMPARE(countriesTop[4], std::make_pair(QStringLiteral("SG"), quint64(2)));
    // The total merges the regions: /api/v1/goals 40 + 27.
    QCOMPARE(report.total.topEndpoints[0],
             std::make_pair(QStringLiteral("/api/v1/goals"), quint64(67)));
    QCOMPARE(report.total.topCountries[0], std::make_pair(QStringLiteral("US"), quint64(155)));
}

void TrafficStatsTest::endpointsBeyondTheLimitCountAsOther()
{
    ManualClock clock(start());
    TrafficStats stats(1, clock);
    std::vector<std::string> names;
    for (int i = 0; i < TrafficStats::kMaxEndpoints + 44; ++i)
        names.push_back("/api/v1/generated/" + std::to_string(i));
    for (const std::string &name : names)
        stats.record(sample(0, 10, name.c_str()));
    stats.record(sample(0, 10, "")); // no template: other
    const auto report = stats.report(60s);
    QCOMPARE(report.regions[0].requests, quint64(TrafficStats::kMaxEndpoints + 45));
    QCOMPARE(report.regions[0].topEndpoints[0],
             std::make_pair(QStringLiteral("other"), quint64(45)));
    // Interned names keep counting after the table is full.
    stats.record(sample(0, 10, names[3].c_str()));
    QCOMPARE(stats.report(60s).regions[0].topEndpoints[1],
             std::make_pair(QString::fromStdString(names[3]), quint64(2)));
}

void TrafficStatsTest::errorRate()
{
    ManualClock clock(start());
    TrafficStats stats(2, clock);
    for (int i = 0; i < 1000; ++i)
        stats.record(sample(0, 10, "/api/v1/goals", "DE", i < 25));
    for (int i = 0; i < 1000; ++i)
        stats.record(sample(1, 10, "/api/v1/goals", "DE", false));
    const auto report = stats.report(60s);
    QCOMPARE(report.regions[0].errorRate, 0.025);
    QCOMPARE(report.regions[1].errorRate, 0.0);
    QCOMPARE(report.total.errorRate, 0.0125);
}

void TrafficStatsTest::hedgeMetrics()
{
    ManualClock clock(start());
    TrafficStats stats(3, clock);
    stats.recordHedge(2, true, 30);
    stats.recordHedge(2, false, 99); // saved time only counts for won hedges
    stats.recordHedge(2, true, 10.5);
    stats.recordHedge(0, false, 0);
    stats.recordHedge(7, true, 5); // no such region
    const auto report = stats.report(60s);
    QCOMPARE(report.regions[2].hedgesSent, quint64(3));
    QCOMPARE(report.regions[2].hedgesWon, quint64(2));
    QCOMPARE(report.regions[2].latencySavedMs, 40.5);
    QCOMPARE(report.regions[0].hedgesSent, quint64(1));
    QCOMPARE(report.regions[0].hedgesWon, quint64(0));
    QCOMPARE(report.total.hedgesSent, quint64(4));
    QCOMPARE(report.total.hedgesWon, quint64(2));
    QCOMPARE(report.total.latencySavedMs, 40.5);
    QCOMPARE(report.regions[2].requests, quint64(0)); // hedges are not requests
    clock.advance(61s);
    QCOMPARE(stats.report(60s).total.hedgesSent, quint64(0));
}

void TrafficStatsTest::unroutedRequestsCountInTheTotalOnly()
{
    ManualClock clock(start());
    TrafficStats stats(2, clock);
    for (int i = 0; i < 10; ++i)
        stats.record(sample(0, 100));
    for (int i = 0; i < 10; ++i)
        stats.record(sample(-1, 0, "/api/v1/goals", "KP", true)); // refused: no latency
    const auto report = stats.report(60s);
    QCOMPARE(report.regions[0].requests, quint64(10));
    QCOMPARE(report.regions[1].requests, quint64(0));
    QCOMPARE(report.total.requests, quint64(20));
    QCOMPARE(report.total.errorRate, 0.5);
    QVERIFY(within(report.total.p50Ms, 100, 0.01)); // refusals have no latency to count
    // Requests without a measured latency count as requests, not as 0 ms answers.
    for (int i = 0; i < 30; ++i)
        stats.record(sample(0, 0));
    const auto unmeasured = stats.report(60s);
    QCOMPARE(unmeasured.regions[0].requests, quint64(40));
    QVERIFY(within(unmeasured.regions[0].p50Ms, 100, 0.01));
    QCOMPARE(report.total.region, -1);
    QCOMPARE(report.total.topCountries[0].first, QStringLiteral("DE"));
    QCOMPARE(report.total.topCountries.size(), std::size_t(2));
    for (const auto &flow : report.flows)
        QVERIFY(flow.region >= 0);
}

void TrafficStatsTest::flowsAreTopPairs()
{
    ManualClock clock(start());
    TrafficStats stats(9, clock);
    // 9 regions × 20 countries = 180 pairs with distinct counts.
    int n = 1;
    for (int region = 0; region < 9; ++region) {
        for (int c = 0; c < 20; ++c) {
            const char code[3] = {static_cast<char>('A' + c), static_cast<char>('A' + region), 0};
            for (int i = 0; i < n; ++i)
                stats.record(sample(region, 10, "/api/v1/goals", code));
            ++n;
        }
    }
    stats.record(sample(3, 10, "/api/v1/goals", "")); // unknown country: no flow
    const auto report = stats.report(60s);
    QCOMPARE(report.flows.size(), std::size_t(TrafficStats::kTopFlows));
    QCOMPARE(report.flows.front().requests, quint64(180));
    QCOMPARE(report.flows.front().region, 8);
    QCOMPARE(report.flows.front().country.toString(), QStringLiteral("TI"));
    QCOMPARE(report.flows.back().requests, quint64(121));
    for (std::size_t i = 1; i < report.flows.size(); ++i)
        QVERIFY(report.flows[i - 1].requests >= report.flows[i].requests);
}

void TrafficStatsTest::timelineSteps()
{
    ManualClock clock(start());
    TrafficStats stats(2, clock);
    for (int second = 0; second < 20; ++second) {
        const int count = second < 10 ? 10 : 20;
        for (int i = 0; i < count; ++i)
            stats.record(
                sample(0, second < 10 ? 10 : 80, "/api/v1/goals", "DE", second >= 15 && i < 2));
        stats.record(sample(1, 5));
        if (second < 19)
            clock.advance(1s);
    }
    const auto points = stats.timeline(0, 20s, 5s);
    QCOMPARE(points.size(), std::size_t(4));
    QCOMPARE(points[0].requestsPerSecond, 10.0);
    QCOMPARE(points[1].requestsPerSecond, 10.0);
    QCOMPARE(points[2].requestsPerSecond, 20.0);
    QCOMPARE(points[3].requestsPerSecond, 20.0);
    QVERIFY(within(points[0].p95Ms, 10, 0.01));
    QVERIFY(within(points[3].p95Ms, 80, 0.01));
    QCOMPARE(points[2].errorRate, 0.0);
    QCOMPARE(points[3].errorRate, 0.1);
    QCOMPARE(points[3].at, clock.now());
    QCOMPARE(points[0].at, clock.now().addSecs(-15));

    const auto all = stats.timeline(-1, 20s, 5s);
    QCOMPARE(all[0].requestsPerSecond, 11.0);
    QCOMPARE(all[3].requestsPerSecond, 21.0);

    // The default: 300 s in 5 s steps, older steps empty.
    const auto full = stats.timeline(1);
    QCOMPARE(full.size(), std::size_t(60));
    QCOMPARE(full.front().requestsPerSecond, 0.0);
    QCOMPARE(full.back().requestsPerSecond, 1.0);
    QVERIFY(stats.timeline(2).empty()); // no such region
}

void TrafficStatsTest::invalidRegionsAreIgnored()
{
    ManualClock clock(start());
    TrafficStats stats(2, clock);
    stats.record(sample(2, 10));
    stats.record(sample(-2, 10));
    stats.record(sample(1, 10));
    const auto report = stats.report(60s);
    QCOMPARE(report.total.requests, quint64(1));
    QCOMPARE(report.regions.size(), std::size_t(2));
    QCOMPARE(stats.regionCount(), 2);
}

QTEST_GUILESS_MAIN(TrafficStatsTest)
#include "test_traffic_stats.moc"
