// Measured round trips for the latency rule: EWMA arithmetic, the network bound and its
// eviction order, immutable exported tables, input checks.
#include "upcoach/routing/latencytracker.h"

#include <QTest>
#include <cmath>
#include <thread>
#include <vector>

using namespace upcoach;
using namespace upcoach::routing;

namespace {

IpAddress network(std::uint32_t index)
{
    return IpAddress::fromV4((0x0b000000u + (index << 8)) | 7u); // one address per /24
}

CountryCode de()
{
    return CountryCode::fromString(std::string_view("DE"));
}

} // namespace

class LatencyTrackerTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ewmaArithmetic();
    void configurableAlpha();
    void unmeasuredRegionsAreNegative();
    void samplesSaturate();
    void networksAreKeyedBySlash24AndSlash48();
    void evictsLeastRecentlyUpdated();
    void defaultBound();
    void exportedTablesAreImmutable();
    void invalidObservationsAreIgnored();
    void concurrentObservations();
};

void LatencyTrackerTest::ewmaArithmetic()
{
    LatencyTracker tracker;
    QCOMPARE(tracker.settings().alpha, 0.2);
    const IpAddress client = network(1);
    tracker.observe(client, de(), 3, 100);
    tracker.observe(client, de(), 3, 200); // 0.2·200 + 0.8·100 = 120
    tracker.observe(client, de(), 3, 50);  // 0.2·50 + 0.8·120 = 106
    const auto table = tracker.networkTable();
    const LatencyRow &row = table->at(client.networkKey());
    QCOMPARE(row.ewmaMs[3], 106.0f);
    QCOMPARE(row.samples[3], std::uint16_t(3));
    const auto countries = tracker.countryTable();
    QCOMPARE(countries->size(), std::size_t(1));
    QCOMPARE(countries->at(static_cast<std::uint64_t>(de().index())).ewmaMs[3], 106.0f);
    // A second network in the same country moves the country row, not the first network's.
    tracker.observe(network(2), de(), 3, 6);
    QCOMPARE(tracker.networkTable()->at(client.networkKey()).ewmaMs[3], 106.0f);
    QCOMPARE(tracker.networkTable()->at(network(2).networkKey()).ewmaMs[3], 6.0f);
    QCOMPARE(tracker.countryTable()->at(static_cast<std::uint64_t>(de().index())).ewmaMs[3],
             float(0.2 * 6 + 0.8 * 106));
    QCOMPARE(tracker.countryTable()->at(static_cast<std::uint64_t>(de().index())).samples[3],
             std::uint16_t(4));
}

void LatencyTrackerTest::configurableAlpha()
{
    LatencyTracker half({0.5, 100});
    half.observe(network(1), de(), 0, 10);
    half.observe(network(1), de(), 0, 30);
    QCOMPARE(half.networkTable()->at(network(1).networkKey()).ewmaMs[0], 20.0f);
    // Out-of-range alphas fall back to the default.
    LatencyTracker bad({1.5, 100});
    QCOMPARE(bad.settings().alpha, 0.2);
    LatencyTracker zero({0.0, 100});
    QCOMPARE(zero.settings().alpha, 0.2);
}

void LatencyTrackerTest::unmeasuredRegionsAreNegative()
{
    LatencyTracker tracker;
    tracker.observe(network(1), de(), 4, 25);
    const LatencyRow &row = tracker.networkTable()->at(network(1).networkKey());
    for (int r = 0; r < kMaxRegions; ++r) {
        if (r == 4)
            continue;
        QVERIFY(row.ewmaMs[static_cast<std::size_t>(r)] < 0);
        QCOMPARE(row.samples[static_cast<std::size_t>(r)], std::uint16_t(0));
    }
    // An unknown country measures the network only.
    tracker.observe(network(9), CountryCode{}, 1, 25);
    QCOMPARE(tracker.countryTable()->size(), std::size_t(1));
    QVERIFY(tracker.networkTable()->count(network(9).networkKey()));
}

void LatencyTrackerTest::samplesSaturate()
{
    LatencyTracker tracker;
    for (int i = 0; i < 70000; ++i)
        tracker.observe(network(1), de(), 0, 10);
    QCOMPARE(tracker.networkTable()->at(network(1).networkKey()).samples[0], std::uint16_t(65535));
    QCOMPARE(tracker.countryTable()->begin()->second.samples[0], std::uint16_t(65535));
    QCOMPARE(tracker.networkTable()->at(network(1).networkKey()).ewmaMs[0], 10.0f);
}

void LatencyTrackerTest::networksAreKeyedBySlash24AndSlash48()
{
    LatencyTracker tracker;
    tracker.observe(*IpAddress::parse(std::string_view("81.2.69.1")), de(), 0, 10);
    tracker.observe(*IpAddress::parse(std::string_view("81.2.69.254")), de(), 0, 20);
    tracker.observe(*IpAddress::parse(std::string_view("2a00:1450:4001:81a::1")), de(), 0, 10);
    tracker.observe(*IpAddress::parse(std::string_view("2a00:1450:4001:ffff::2")), de(), 0, 20);
    tracker.observe(*IpAddress::parse(std::string_view("2a00:1450:4002::1")), de(), 0, 20);
    QCOMPARE(tracker.networkCount(), std::size_t(3));
    const auto table = tracker.networkTable();
    QCOMPARE(table->at(IpAddress::parse(std::string_view("81.2.69.77"))->networkKey()).samples[0],
             std::uint16_t(2));
}

void LatencyTrackerTest::evictsLeastRecentlyUpdated()
{
    LatencyTracker tracker({0.2, 1000});
    for (std::uint32_t i = 0; i < 1000; ++i)
        tracker.observe(network(i), de(), 0, 10);
    QCOMPARE(tracker.networkCount(), std::size_t(1000));
    tracker.observe(network(0), de(), 0, 10); // network 0 is now the most recent
    tracker.observe(network(1000), de(), 0, 10);
    QCOMPARE(tracker.networkCount(), std::size_t(1000));
    const auto table = tracker.networkTable();
    QCOMPARE(table->size(), std::size_t(1000));
    QVERIFY(table->count(network(0).networkKey()));
    QVERIFY(!table->count(network(1).networkKey())); // the least recently updated
    QVERIFY(table->count(network(2).networkKey()));
    QVERIFY(table->count(network(1000).networkKey()));
    for (std::uint32_t i = 1001; i < 6000; ++i)
        tracker.observe(network(i), de(), 0, 10);
    QCOMPARE(tracker.networkCount(), std::size_t(1000));
    const auto later = tracker.networkTable();
    QVERIFY(!later->count(network(0).networkKey()));
    QVERIFY(later->count(network(5000).networkKey()));
    QVERIFY(later->count(network(5999).networkKey()));
    QVERIFY(!later->count(network(4999).networkKey()));
    // An evicted network that comes back starts over.
    tracker.observe(network(1), de(), 0, 77);
    QCOMPARE(tracker.networkTable()->at(network(1).networkKey()).samples[0], std::uint16_t(1));
    QCOMPARE(tracker.networkTable()->at(network(1).networkKey()).ewmaMs[0], 77.0f);
}

void LatencyTrackerTest::defaultBound()
{
    LatencyTracker tracker;
    QCOMPARE(tracker.settings().maxNetworks, std::size_t(65536));
    for (std::uint32_t i = 0; i < 70000; ++i)
        tracker.observe(network(i), de(), static_cast<int>(i % 9), 10);
    QCOMPARE(tracker.networkCount(), std::size_t(65536));
    QCOMPARE(tracker.networkTable()->size(), std::size_t(65536));
}

void LatencyTrackerTest::exportedTablesAreImmutable()
{
    LatencyTracker tracker;
    tracker.observe(network(1), de(), 2, 40);
    const std::shared_ptr<const LatencyTable> networks = tracker.networkTable();
    const std::shared_ptr<const LatencyTable> countries = tracker.countryTable();
    // Nothing new: the same tables.
    QCOMPARE(tracker.networkTable().get(), networks.get());
    QCOMPARE(tracker.countryTable().get(), countries.get());

    tracker.observe(network(1), de(), 2, 400);
    tracker.observe(network(2), de(), 2, 400);
    QCOMPARE(networks->size(), std::size_t(1));
    QCOMPARE(networks->at(network(1).networkKey()).ewmaMs[2], 40.0f);
    QCOMPARE(networks->at(network(1).networkKey()).samples[2], std::uint16_t(1));
    QCOMPARE(countries->at(static_cast<std::uint64_t>(de().index())).samples[2], std::uint16_t(1));

    const auto fresh = tracker.networkTable();
    QVERIFY(fresh.get() != networks.get());
    QCOMPARE(fresh->size(), std::size_t(2));
    QCOMPARE(fresh->at(network(1).networkKey()).samples[2], std::uint16_t(2));
    QCOMPARE(tracker.countryTable()->at(static_cast<std::uint64_t>(de().index())).samples[2],
             std::uint16_t(3));
}

void LatencyTrackerTest::invalidObservationsAreIgnored()
{
    LatencyTracker tracker;
    tracker.observe(network(1), de(), -1, 10);
    tracker.observe(network(1), de(), kMaxRegions, 10);
    tracker.observe(network(1), de(), 0, 0);
    tracker.observe(network(1), de(), 0, -3);
    tracker.observe(network(1), de(), 0, std::nan(""));
    tracker.observe(network(1), de(), 0, HUGE_VAL);
    QCOMPARE(tracker.networkCount(), std::size_t(0));
    QVERIFY(tracker.networkTable()->empty());
    QVERIFY(tracker.countryTable()->empty());
}

void LatencyTrackerTest::concurrentObservations()
{
    LatencyTracker tracker;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (std::uint32_t i = 0; i < 20000; ++i) {
                tracker.observe(network(i % 500), de(), t, 10.0 + t);
                if (i % 997 == 0)
                    (void)tracker.networkTable();
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    const auto table = tracker.networkTable();
    QCOMPARE(table->size(), std::size_t(500));
    for (int t = 0; t < 4; ++t) {
        QCOMPARE(table->at(network(0).networkKey()).samples[static_cast<std::size_t>(t)],
                 std::uint16_t(40));
        QCOMPARE(table->at(network(0).networkKey()).ewmaMs[static_cast<std::size_t>(t)],
                 float(10 + t));
    }
    QCOMPARE(tracker.countryTable()->begin()->second.samples[0], std::uint16_t(20000));
}

QTEST_GUILESS_MAIN(LatencyTrackerTest)
#include "test_latency_tracker.moc"
