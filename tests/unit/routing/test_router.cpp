// The router: every rule alone and composed, failover, hedging, the reason texts, the issue's
// acceptance facts with the real GeoIP database and the default policy, and thread safety.
#include "routingtestsupport.h"

#include <QTest>
#include <atomic>
#include <cmath>
#include <map>
#include <thread>
#include <vector>

using namespace upcoach;
using namespace upcoach::routing;
using namespace upcoach::routing::testing;

namespace {

constexpr qint64 kNow = 1'800'000'000; // a fixed "now" for affinity tokens (2027-01-15)

RouteRequest requestFrom(const char *countryCode, const char *ip = "100.64.0.1")
{
    RouteRequest request;
    request.address = address(ip);
    request.country = country(countryCode);
    request.nowSeconds = kNow;
    return request;
}

RouteDecision decideOn(const RouteSnapshot &snapshot, const RouteRequest &request)
{
    Router router(nullptr);
    RouteDecision decision;
    router.decideWith(snapshot, request, decision);
    return decision;
}

QString first(const RouteSnapshot &snapshot, const RouteDecision &decision)
{
    return decision.routed() ? regionName(snapshotPolicy(snapshot), decision.regions[0])
                             : QStringLiteral("(none)");
}

QStringList order(const RouteSnapshot &snapshot, const RouteDecision &decision)
{
    QStringList out;
    for (int k = 0; k < decision.count; ++k)
        out << regionName(snapshotPolicy(snapshot), decision.regions[static_cast<std::size_t>(k)]);
    return out;
}

std::string tokenFor(const char *region, qint64 expiresAt,
                     const QByteArray &key = testAffinityKey())
{
    const QByteArray token = makeAffinityToken(key, QString::fromLatin1(region), expiresAt);
    return token.toStdString();
}

LatencyRow row(std::initializer_list<std::tuple<int, float, int>> cells)
{
    LatencyRow out;
    out.ewmaMs.fill(-1.0f);
    for (const auto &[region, ms, samples] : cells) {
        out.ewmaMs[static_cast<std::size_t>(region)] = ms;
        out.samples[static_cast<std::size_t>(region)] = static_cast<std::uint16_t>(samples);
    }
    return out;
}

// The share of decisions whose first region is each region, over `clients` distinct /24s.
std::map<QString, double> weightedShares(const RouteSnapshot &snapshot, int clients,
                                         const char *countryCode = "US")
{
    Router router(nullptr);
    std::map<QString, int> counts;
    RouteDecision decision;
    for (int i = 0; i < clients; ++i) {
        RouteRequest request;
        request.address = IpAddress::fromV4((static_cast<std::uint32_t>(i) + 0x0b0000u) << 8 | 9u);
        request.country = country(countryCode);
        router.decideWith(snapshot, request, decision);
        ++counts[first(snapshot, decision)];
    }
    std::map<QString, double> shares;
    for (const auto &[region, count] : counts)
        shares[region] = static_cast<double>(count) / clients;
    return shares;
}

const QByteArray kWeightedPolicy = yamlLines({
    "version: 1",
    "name: canary",
    "rules:",
    "  - name: canary",
    "    type: weighted",
    "    weights: {us-east-1: 90, us-west-2: 10}",
    "  - name: nearest",
    "    type: geo-proximity",
});

const QByteArray kThreeWayPolicy = yamlLines({
    "version: 1",
    "name: three-way",
    "rules:",
    "  - name: split",
    "    type: weighted",
    "    weights: {us-east-1: 50, eu-west-1: 30, ap-southeast-1: 20}",
    "  - name: nearest",
    "    type: geo-proximity",
});

const QByteArray kLatencyPolicy = yamlLines({
    "version: 1",
    "name: fastest",
    "rules:",
    "  - name: fastest",
    "    type: latency",
    "    min-samples: 3",
    "  - name: nearest",
    "    type: geo-proximity",
    "  - name: regional-failover",
    "    type: failover",
    "    chains: {eu-west-1: [eu-central-1]}",
});

// Real addresses and the countries the CC0 database places them in (checked first in the
// acceptance test, so a changed database fails there with a clear message).
struct KnownAddress
{
    const char *ip;
    const char *country;
    const char *region;
};
constexpr KnownAddress kKnownAddresses[] = {
    {"133.242.0.1", "JP", "ap-northeast-1"}, // Japanese academic network
    {"126.0.0.1", "JP", "ap-northeast-1"},   // SoftBank
    {"80.130.1.1", "DE", "eu-central-1"},    // Deutsche Telekom
    {"200.160.2.3", "BR", "sa-east-1"},      // NIC.br
    {"41.0.0.1", "ZA", "af-south-1"},
    {"165.21.1.1", "SG", "ap-southeast-1"}, // SingNet
    {"2400:4050::1", "JP", "ap-northeast-1"},
    {"2003::1", "DE", "eu-central-1"}, // Deutsche Telekom IPv6
};

} // namespace

class RouterTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void noSnapshotMeansNoRegion();
    void ipDenyRefusesListedNetworks();
    void ipAllowRefusesOthers();
    void geoFenceDeniesAndAllowsCountries();
    void geoFenceRestrictsRegions();
    void tenantResidency();
    void residencyIsRespectedByFailoverChains();
    void affinityHonoursValidTokens();
    void affinityIgnoresBadTokens_data();
    void affinityIgnoresBadTokens();
    void affinityTokenToUnavailableRegionIsIgnored();
    void weightedDistributionMatchesWeights();
    void weightedClientKeepsItsBucket();
    void weightedRenormalizesWhenRegionDrained();
    void weightedOverrides();
    void weightedBySession();
    void latencyPrefersNetworkTable();
    void latencyRespectsMinSamples();
    void latencyFallsThroughWhenUnmeasured();
    void geoProximityBiasFollowsRoute53Formula();
    void failoverChains();
    void forcedFailoverTargetComesFirst();
    void failoverWithoutRuleUsesNextRegion();
    void everyRegionUnavailable();
    void whenConditions();
    void defaultDecisionWithoutRules();
    void composedChain();
    void hedgingBudget();
    void hedgingDelayIsClamped();
    void noHedgeWithOneRegion();
    void decisionKindAndUnavailabilityNames();
    void verifiedTokensAreRememberedSafely();
    void affinityTokenFormat();

    void acceptanceWithRealGeoIp();
    void ipv6ClientsWithRealGeoIp();
    void locateCachesPerNetwork();

    void concurrentDecisionsWhilePublishing();

private:
    std::unique_ptr<GeoIpDatabase> m_geoip;
};

void RouterTest::initTestCase()
{
    auto opened = GeoIpDatabase::open(GeoIpDatabase::defaultPath());
    QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().message));
    m_geoip = std::move(opened).value();
}

void RouterTest::noSnapshotMeansNoRegion()
{
    Router router(m_geoip.get());
    RouteDecision decision;
    decision.count = 3;
    router.decide(requestFrom("JP"), decision);
    QCOMPARE(decision.kind, DecisionKind::NoRegion);
    QVERIFY(!decision.routed());
    QVERIFY(!router.snapshot());
}

void RouterTest::ipDenyRefusesListedNetworks()
{
    const auto snapshot = snapshotFor(defaultPolicy());
    for (const char *ip : {"192.0.2.7", "198.51.100.200", "2001:db8::1", "2001:db8:ffff::9"}) {
        const RouteDecision decision = decideOn(*snapshot, requestFrom("JP", ip));
        QCOMPARE(decision.kind, DecisionKind::Denied);
        QCOMPARE(decision.rule, 0);
        QVERIFY(!decision.routed());
        QCOMPARE(describeDecision(*snapshot, decision),
                 QStringLiteral("refused by ip-deny rule 'blocked-networks'"));
    }
    // Next door is fine.
    const RouteDecision allowed = decideOn(*snapshot, requestFrom("JP", "192.0.3.7"));
    QCOMPARE(allowed.kind, DecisionKind::Rule);
    QCOMPARE(first(*snapshot, allowed), QStringLiteral("ap-northeast-1"));
    QCOMPARE(decideOn(*snapshot, requestFrom("JP", "2001:db9::1")).kind, DecisionKind::Rule);
}

void RouterTest::ipAllowRefusesOthers()
{
    const auto snapshot = snapshotFor(policyFrom(yamlLines({
        "version: 1",
        "name: intranet",
        "rules:",
        "  - {name: corporate, type: ip-allow, cidrs: [10.0.0.0/8, 2001:db8:1::/48]}",
        "  - {name: nearest, type: geo-proximity}",
    })));
    for (const char *ip : {"10.1.2.3", "::ffff:10.200.0.1", "2001:db8:1:42::5"})
        QCOMPARE(decideOn(*snapshot, requestFrom("DE", ip)).kind, DecisionKind::Rule);
    for (const char *ip : {"11.0.0.1", "9.255.255.255", "2001:db8:2::1", "::1"}) {
        const RouteDecision decision = decideOn(*snapshot, requestFrom("DE", ip));
        QCOMPARE(decision.kind, DecisionKind::Denied);
        QCOMPARE(describeDecision(*snapshot, decision),
                 QStringLiteral("refused by ip-allow rule 'corporate'"));
    }
}

void RouterTest::geoFenceDeniesAndAllowsCountries()
{
    const auto denyList = snapshotFor(policyFrom(yamlLines({
        "version: 1",
        "name: sanctions",
        "rules:",
        "  - {name: embargo, type: geo-fence, deny-countries: [KP, CU]}",
        "  - {name: nearest, type: geo-proximity}",
    })));
    QCOMPARE(decideOn(*denyList, requestFrom("KP")).kind, DecisionKind::Denied);
    QCOMPARE(decideOn(*denyList, requestFrom("CU")).kind, DecisionKind::Denied);
    QCOMPARE(describeDecision(*denyList, decideOn(*denyList, requestFrom("KP"))),
             QStringLiteral("refused by geo-fence rule 'embargo'"));
    QCOMPARE(decideOn(*denyList, requestFrom("KR")).kind, DecisionKind::Rule);
    // A deny list lets unknown countries through.
    RouteRequest unknown = requestFrom("US");
    unknown.country = {};
    QCOMPARE(decideOn(*denyList, unknown).kind, DecisionKind::Default);

    const auto allowList = snapshotFor(policyFrom(yamlLines({
        "version: 1",
        "name: eu-only",
        "rules:",
        "  - {name: eu-clients, type: geo-fence, allow-countries: [DE, FR, IE]}",
        "  - {name: nearest, type: geo-proximity}",
    })));
    QCOMPARE(decideOn(*allowList, requestFrom("FR")).kind, DecisionKind::Rule);
    QCOMPARE(decideOn(*allowList, requestFrom("US")).kind, DecisionKind::Denied);
    // An allow list cannot vouch for a client whose country is unknown.
    QCOMPARE(decideOn(*allowList, unknown).kind, DecisionKind::Denied);
}

void RouterTest::geoFenceRestrictsRegions()
{
    const auto policy = policyFrom(yamlLines({
        "version: 1",
        "name: gdpr",
        "rules:",
        "  - name: eu-stays-in-eu",
        "    type: geo-fence",
        "    when: {countries: [DE, FR, IT, PL]}",
        "    allow-regions: [eu-west-1, eu-central-1]",
        "  - {name: nearest, type: geo-proximity}",
        "  - name: regional-failover",
        "    type: failover",
        "    chains: {eu-central-1: [me-south-1, eu-west-1]}",
    }));
    const auto snapshot = snapshotFor(policy);
    const RouteDecision german = decideOn(*snapshot, requestFrom("DE"));
    QCOMPARE(german.kind, DecisionKind::Rule);
    QCOMPARE(order(*snapshot, german),
             QStringList({QStringLiteral("eu-central-1"), QStringLiteral("eu-west-1")}));
    // The fence does not apply to others.
    QCOMPARE(decideOn(*snapshot, requestFrom("TR")).count, 9);
    // With Frankfurt drained, the chain's me-south-1 is fenced out: Dublin.
    const auto drained = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        in.regionState[static_cast<std::size_t>(regionOf(*policy, "eu-central-1"))].unavailable =
            Unavailability::Drained;
    });
    const RouteDecision failedOver = decideOn(*drained, requestFrom("DE"));
    QCOMPARE(failedOver.kind, DecisionKind::Failover);
    QCOMPARE(order(*drained, failedOver), QStringList({QStringLiteral("eu-west-1")}));
    // A tenant whose residency leaves nothing inside the fence: blocked by the fence rule.
    const auto tenants = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        auto map = std::make_shared<
            std::unordered_map<std::string, RegionMask, StringHash, std::equal_to<>>>();
        (*map)["us-only"] = 1u << regionOf(*policy, "us-east-1");
        in.tenantRegions = map;
    });
    RouteRequest request = requestFrom("DE");
    request.tenant = "us-only";
    const RouteDecision blocked = decideOn(*tenants, request);
    QCOMPARE(blocked.kind, DecisionKind::ResidencyBlocked);
    QCOMPARE(blocked.rule, 0);
    QCOMPARE(describeDecision(*tenants, blocked),
             QStringLiteral("no region allowed by geo-fence rule 'eu-stays-in-eu'"));
}

void RouterTest::tenantResidency()
{
    const auto policy = defaultPolicy();
    const auto snapshot = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        auto map = std::make_shared<
            std::unordered_map<std::string, RegionMask, StringHash, std::equal_to<>>>();
        (*map)["acme-eu"] =
            (1u << regionOf(*policy, "eu-west-1")) | (1u << regionOf(*policy, "eu-central-1"));
        (*map)["nowhere-inc"] = 0;
        in.tenantRegions = map;
    });
    RouteRequest request = requestFrom("JP", "133.242.0.1");
    request.tenant = "acme-eu";
    const RouteDecision eu = decideOn(*snapshot, request);
    QCOMPARE(eu.kind, DecisionKind::Rule);
    // From Tokyo, Frankfurt is nearer than Dublin.
    QCOMPARE(order(*snapshot, eu),
             QStringList({QStringLiteral("eu-central-1"), QStringLiteral("eu-west-1")}));

    request.tenant = "globex";
    const RouteDecision unknown = decideOn(*snapshot, request);
    QCOMPARE(unknown.kind, DecisionKind::UnknownTenant);
    QCOMPARE(describeDecision(*snapshot, unknown), QStringLiteral("unknown tenant"));

    request.tenant = "nowhere-inc";
    const RouteDecision blocked = decideOn(*snapshot, request);
    QCOMPARE(blocked.kind, DecisionKind::ResidencyBlocked);
    QCOMPARE(blocked.rule, -1);
    QCOMPARE(describeDecision(*snapshot, blocked),
             QStringLiteral("no region allowed by the tenant's data residency"));

    // Without a tenant table every named tenant is unknown.
    request.tenant = "acme-eu";
    QCOMPARE(decideOn(*snapshotFor(policy), request).kind, DecisionKind::UnknownTenant);
}

void RouterTest::residencyIsRespectedByFailoverChains()
{
    const auto policy = defaultPolicy();
    const int tokyo = regionOf(*policy, "ap-northeast-1");
    const auto build = [&](bool drainTokyo) {
        return snapshotFor(policy, [&](RouteSnapshotInputs &in) {
            auto map = std::make_shared<
                std::unordered_map<std::string, RegionMask, StringHash, std::equal_to<>>>();
            (*map)["jp-us"] = (1u << tokyo) | (1u << regionOf(*policy, "us-west-2"));
            (*map)["jp-only"] = 1u << tokyo;
            in.tenantRegions = map;
            if (drainTokyo)
                in.regionState[static_cast<std::size_t>(tokyo)].unavailable =
                    Unavailability::Drained;
        });
    };
    RouteRequest request = requestFrom("JP");
    request.tenant = "jp-us";
    const auto normal = build(false);
    QCOMPARE(first(*normal, decideOn(*normal, request)), QStringLiteral("ap-northeast-1"));

    // Tokyo's chain is [ap-southeast-1, us-west-2]; Singapore is outside the residency.
    const auto drained = build(true);
    const RouteDecision failedOver = decideOn(*drained, request);
    QCOMPARE(failedOver.kind, DecisionKind::Failover);
    QCOMPARE(order(*drained, failedOver), QStringList({QStringLiteral("us-west-2")}));
    QCOMPARE(failedOver.failedOverFrom, tokyo);

    request.tenant = "jp-only";
    const RouteDecision none = decideOn(*drained, request);
    QCOMPARE(none.kind, DecisionKind::NoRegion);
    QCOMPARE(describeDecision(*drained, none),
             QStringLiteral("every allowed region is unavailable"));
}

void RouterTest::affinityHonoursValidTokens()
{
    const auto snapshot = snapshotFor(defaultPolicy());
    const std::string token = tokenFor("eu-west-1", kNow + 600);
    RouteRequest request = requestFrom("JP");
    request.affinityToken = token;
    const RouteDecision decision = decideOn(*snapshot, request);
    QCOMPARE(decision.kind, DecisionKind::Rule);
    QCOMPARE(decision.rule, 1);
    QVERIFY(decision.affinityHonoured);
    QCOMPARE(decision.affinityRule, 1);
    QCOMPARE(first(*snapshot, decision), QStringLiteral("eu-west-1"));
    // The rest in the nearest order, Tokyo next.
    QCOMPARE(order(*snapshot, decision).at(1), QStringLiteral("ap-northeast-1"));
    QCOMPARE(decision.count, 9);
    QCOMPARE(describeDecision(*snapshot, decision),
             QStringLiteral("affinity rule 'sticky-sessions' (session token)"));
    QCOMPARE(verifyAffinityToken(*snapshot, token, kNow),
             regionOf(snapshotPolicy(*snapshot), "eu-west-1"));
    // Without a token the affinity rule still asks for one to be issued.
    const RouteDecision fresh = decideOn(*snapshot, requestFrom("JP"));
    QVERIFY(!fresh.affinityHonoured);
    QCOMPARE(fresh.affinityRule, 1);
    QCOMPARE(fresh.rule, 2);
    QCOMPARE(describeDecision(*snapshot, fresh), QStringLiteral("geo-proximity rule 'nearest'"));
}

void RouterTest::affinityIgnoresBadTokens_data()
{
    QTest::addColumn<QByteArray>("token");
    const QByteArray good = makeAffinityToken(testAffinityKey(), u"eu-west-1", kNow + 600);
    QByteArray forged = good;
    forged[forged.size() - 3] = forged.at(forged.size() - 3) == 'A' ? 'B' : 'A';
    QTest::newRow("forged MAC") << forged;
    QTest::newRow("other key") << makeAffinityToken(QByteArray(32, 'k'), u"eu-west-1", kNow + 600);
    QByteArray retargeted = good;
    retargeted.replace("eu-west-1", "us-west-2");
    QTest::newRow("region edited") << retargeted;
    QByteArray extended = good;
    extended.replace(QByteArray::number(kNow + 600), QByteArray::number(kNow + 999999));
    QTest::newRow("expiry edited") << extended;
    QTest::newRow("expired") << makeAffinityToken(testAffinityKey(), u"eu-west-1", kNow - 1);
    QTest::newRow("expires now") << makeAffinityToken(testAffinityKey(), u"eu-west-1", kNow);
    QTest::newRow("unknown region")
        << makeAffinityToken(testAffinityKey(), u"mars-north-1", kNow + 600);
    QTest::newRow("empty MAC") << QByteArray("eu-west-1.") + QByteArray::number(kNow + 600) + '.';
    QTest::newRow("no dots") << QByteArray("eu-west-1");
    QTest::newRow("one dot") << QByteArray("eu-west-1.1900000000");
    QTest::newRow("expiry not a number") << QByteArray("eu-west-1.soon.AAAAAAAAAAAAAAAAAAAAAA");
    QTest::newRow("MAC too short") << good.left(good.size() - 1);
    QTest::newRow("MAC too long") << good + 'A';
    QByteArray badAlphabet = good;
    badAlphabet[badAlphabet.size() - 5] = '+';
    QTest::newRow("MAC not base64url") << badAlphabet;
    QTest::newRow("overlong") << QByteArray(300, 'a');
    QTest::newRow("garbage") << QByteArray("\xff\xfe.\x01.\x02");
    // 22 base64url characters carry 132 bits for the 16-byte MAC; the last 4 must be zero, or
    // one MAC would have 16 spellings.
    const QByteArray alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    QByteArray padded = good;
    const int last = alphabet.indexOf(good.back());
    QVERIFY(last >= 0 && (last & 0xf) == 0);
    padded[padded.size() - 1] = alphabet.at(last | 1);
    QTest::newRow("non-canonical MAC") << padded;
}

void RouterTest::affinityIgnoresBadTokens()
{
    QFETCH(QByteArray, token);
    const auto snapshot = snapshotFor(defaultPolicy());
    const std::string text = token.toStdString();
    RouteRequest request = requestFrom("JP");
    request.affinityToken = text;
    const RouteDecision decision = decideOn(*snapshot, request);
    QVERIFY(!decision.affinityHonoured);
    QCOMPARE(decision.kind, DecisionKind::Rule);
    QCOMPARE(decision.rule, 2); // geo-proximity decided
    QCOMPARE(first(*snapshot, decision), QStringLiteral("ap-northeast-1"));
    QCOMPARE(verifyAffinityToken(*snapshot, text, kNow), -1);
}

void RouterTest::affinityTokenToUnavailableRegionIsIgnored()
{
    const auto policy = defaultPolicy();
    const auto snapshot = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        in.regionState[static_cast<std::size_t>(regionOf(*policy, "eu-west-1"))].unavailable =
            Unavailability::Drained;
    });
    const std::string token = tokenFor("eu-west-1", kNow + 600);
    RouteRequest request = requestFrom("JP");
    request.affinityToken = token;
    const RouteDecision decision = decideOn(*snapshot, request);
    QVERIFY(!decision.affinityHonoured);
    QCOMPARE(decision.kind, DecisionKind::Rule);
    QCOMPARE(first(*snapshot, decision), QStringLiteral("ap-northeast-1"));
    QVERIFY(!order(*snapshot, decision).contains(QStringLiteral("eu-west-1")));
    // The runtime refreshes the token for the region the client now uses.
    QCOMPARE(decision.affinityRule, 1);

    // A token outside the tenant's residency is not honoured either.
    const auto residency = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        auto map = std::make_shared<
            std::unordered_map<std::string, RegionMask, StringHash, std::equal_to<>>>();
        (*map)["jp-only"] = 1u << regionOf(*policy, "ap-northeast-1");
        in.tenantRegions = map;
    });
    request.tenant = "jp-only";
    const RouteDecision resident = decideOn(*residency, request);
    QVERIFY(!resident.affinityHonoured);
    QCOMPARE(order(*residency, resident), QStringList({QStringLiteral("ap-northeast-1")}));
}

void RouterTest::weightedDistributionMatchesWeights()
{
    const auto snapshot = snapshotFor(policyFrom(kWeightedPolicy));
    auto shares = weightedShares(*snapshot, 100000);
    QVERIFY2(std::abs(shares[QStringLiteral("us-east-1")] - 0.90) <= 0.01,
             qPrintable(QString::number(shares[QStringLiteral("us-east-1")])));
    QVERIFY2(std::abs(shares[QStringLiteral("us-west-2")] - 0.10) <= 0.01,
             qPrintable(QString::number(shares[QStringLiteral("us-west-2")])));
    QCOMPARE(shares.size(), std::size_t(2));

    const auto threeWay = snapshotFor(policyFrom(kThreeWayPolicy));
    shares = weightedShares(*threeWay, 100000, "JP");
    QVERIFY(std::abs(shares[QStringLiteral("us-east-1")] - 0.50) <= 0.01);
    QVERIFY(std::abs(shares[QStringLiteral("eu-west-1")] - 0.30) <= 0.01);
    QVERIFY(std::abs(shares[QStringLiteral("ap-southeast-1")] - 0.20) <= 0.01);

    RouteRequest request = requestFrom("US", "23.1.2.3");
    const RouteDecision decision = decideOn(*snapshot, request);
    QCOMPARE(decision.kind, DecisionKind::Rule);
    QCOMPARE(decision.rule, 0);
    QCOMPARE(describeDecision(*snapshot, decision), QStringLiteral("weighted rule 'canary'"));
    // The weighted rule picks the first region; the nearest order fills the rest.
    QCOMPARE(decision.count, 9);
}

void RouterTest::weightedClientKeepsItsBucket()
{
    const auto snapshot = snapshotFor(policyFrom(kThreeWayPolicy));
    Router router(nullptr);
    for (std::uint32_t network = 1; network < 2000; ++network) {
        RouteDecision a;
        RouteDecision b;
        RouteRequest request;
        request.country = country("US");
        request.address = IpAddress::fromV4((0x2e0000u + network) << 8 | 1u);
        router.decideWith(*snapshot, request, a);
        request.address = IpAddress::fromV4((0x2e0000u + network) << 8 | 200u); // same /24
        request.path = "/api/v1/goals";
        router.decideWith(*snapshot, request, b);
        QCOMPARE(a.regions[0], b.regions[0]);
        // And again after a rebuild of the same inputs (no state in the router).
        RouteDecision c;
        router.decideWith(*snapshotFor(policyFrom(kThreeWayPolicy)), request, c);
        QCOMPARE(c.regions[0], a.regions[0]);
        if (network > 20)
            break; // the rebuild is the slow part; the hash is checked at scale above
    }
}

void RouterTest::weightedRenormalizesWhenRegionDrained()
{
    const auto policy = policyFrom(kThreeWayPolicy); // us-east-1 50, eu-west-1 30, ap-se-1 20
    const int dublin = regionOf(*policy, "eu-west-1");
    const auto normal = snapshotFor(policy);
    const auto drained = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        in.regionState[static_cast<std::size_t>(dublin)].unavailable = Unavailability::Drained;
    });
    const auto shares = weightedShares(*drained, 100000, "JP");
    QVERIFY2(std::abs(shares.at(QStringLiteral("us-east-1")) - 50.0 / 70.0) <= 0.01,
             qPrintable(QString::number(shares.at(QStringLiteral("us-east-1")))));
    QVERIFY2(std::abs(shares.at(QStringLiteral("ap-southeast-1")) - 20.0 / 70.0) <= 0.01,
             qPrintable(QString::number(shares.at(QStringLiteral("ap-southeast-1")))));
    QVERIFY(!shares.count(QStringLiteral("eu-west-1")));

    // Clients of the regions that stay keep their region; only the drained region's move.
    Router router(nullptr);
    int moved = 0;
    int fromDublin = 0;
    for (std::uint32_t i = 0; i < 20000; ++i) {
        RouteRequest request;
        request.country = country("JP");
        request.address = IpAddress::fromV4((0x300000u + i) << 8 | 5u);
        RouteDecision before;
        RouteDecision after;
        router.decideWith(*normal, request, before);
        router.decideWith(*drained, request, after);
        QCOMPARE(after.kind, DecisionKind::Rule); // renormalized, not a failover
        if (before.regions[0] == dublin)
            ++fromDublin;
        else if (after.regions[0] != before.regions[0])
            ++moved;
    }
    QCOMPARE(moved, 0);
    QVERIFY(fromDublin > 5000);

    // Every weighted region drained: the next rule (geo-proximity) decides.
    const auto allDrained = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        for (const char *id : {"us-east-1", "eu-west-1", "ap-southeast-1"})
            in.regionState[static_cast<std::size_t>(regionOf(*policy, id))].unavailable =
                Unavailability::Drained;
    });
    const RouteDecision geo = decideOn(*allDrained, requestFrom("JP"));
    QCOMPARE(geo.rule, 1);
    QCOMPARE(first(*allDrained, geo), QStringLiteral("ap-northeast-1"));
}

void RouterTest::weightedOverrides()
{
    const auto policy = policyFrom(kWeightedPolicy);
    const auto snapshot = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        std::array<std::uint32_t, kMaxRegions> weights{};
        weights[static_cast<std::size_t>(regionOf(*policy, "us-east-1"))] = 50;
        weights[static_cast<std::size_t>(regionOf(*policy, "eu-west-1"))] = 50;
        in.weightOverrides.emplace_back(QStringLiteral("canary"), weights);
        in.weightOverrides.emplace_back(QStringLiteral("no-such-rule"), weights); // ignored
    });
    const auto shares = weightedShares(*snapshot, 100000);
    QVERIFY(std::abs(shares.at(QStringLiteral("us-east-1")) - 0.5) <= 0.01);
    QVERIFY(std::abs(shares.at(QStringLiteral("eu-west-1")) - 0.5) <= 0.01);
    QVERIFY(!shares.count(QStringLiteral("us-west-2")));
}

void RouterTest::weightedBySession()
{
    const auto policy = policyFrom(yamlLines({
        "version: 1",
        "name: ab",
        "rules:",
        "  - {name: ab, type: weighted, hash-by: session, weights: {us-east-1: 1, us-west-2: 1}}",
        "  - {name: nearest, type: geo-proximity}",
    }));
    const auto snapshot = snapshotFor(policy);
    Router router(nullptr);
    int east = 0;
    RouteDecision decision;
    // One network, many sessions: split by session.
    for (std::uint64_t session = 1; session <= 20000; ++session) {
        RouteRequest request = requestFrom("US", "23.1.2.3");
        request.sessionKey = session * 0x9e3779b97f4a7c15ULL;
        router.decideWith(*snapshot, request, decision);
        if (decision.regions[0] == 0)
            ++east;
    }
    QVERIFY2(std::abs(east / 20000.0 - 0.5) <= 0.02, qPrintable(QString::number(east)));
    // The same session always lands on the same side.
    RouteRequest request = requestFrom("US", "23.1.2.3");
    request.sessionKey = 77;
    RouteDecision a;
    router.decideWith(*snapshot, request, a);
    request.address = address("81.2.3.4");
    RouteDecision b;
    router.decideWith(*snapshot, request, b);
    QCOMPARE(a.regions[0], b.regions[0]);
    // Clients without any session split by their network instead of all landing on one side.
    east = 0;
    for (std::uint32_t i = 0; i < 20000; ++i) {
        RouteRequest sessionless;
        sessionless.country = country("US");
        sessionless.address = IpAddress::fromV4((0x400000u + i) << 8 | 1u);
        router.decideWith(*snapshot, sessionless, decision);
        if (decision.regions[0] == 0)
            ++east;
    }
    QVERIFY2(std::abs(east / 20000.0 - 0.5) <= 0.02, qPrintable(QString::number(east)));
}

void RouterTest::latencyPrefersNetworkTable()
{
    const auto policy = policyFrom(kLatencyPolicy);
    const IpAddress client = address("81.2.69.160");
    const int dublin = regionOf(*policy, "eu-west-1");
    const int virginia = regionOf(*policy, "us-east-1");
    const int singapore = regionOf(*policy, "ap-southeast-1");
    const int tokyo = regionOf(*policy, "ap-northeast-1");
    const auto snapshot = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        auto networks = std::make_shared<LatencyTable>();
        (*networks)[client.networkKey()] = row({{virginia, 80.f, 5}, {dublin, 30.f, 5}});
        in.networkLatency = networks;
        auto countries = std::make_shared<LatencyTable>();
        (*countries)[static_cast<std::uint64_t>(country("JP").index())] =
            row({{singapore, 40.f, 10}, {tokyo, 90.f, 10}});
        in.countryLatency = countries;
    });
    RouteRequest request = requestFrom("JP", "81.2.69.160");
    const RouteDecision measured = decideOn(*snapshot, request);
    QCOMPARE(measured.kind, DecisionKind::Rule);
    QCOMPARE(measured.rule, 0);
    QCOMPARE(describeDecision(*snapshot, measured), QStringLiteral("latency rule 'fastest'"));
    // Measured regions first by EWMA, then the rest nearest first.
    const QStringList regions = order(*snapshot, measured);
    QCOMPARE(regions.mid(0, 3),
             QStringList({QStringLiteral("eu-west-1"), QStringLiteral("us-east-1"),
                          QStringLiteral("ap-northeast-1")}));
    QCOMPARE(regions.size(), 9);

    // Another network in Japan: the country table.
    request.address = address("133.242.0.1");
    const RouteDecision byCountry = decideOn(*snapshot, request);
    QCOMPARE(order(*snapshot, byCountry).mid(0, 2),
             QStringList({QStringLiteral("ap-southeast-1"), QStringLiteral("ap-northeast-1")}));

    // The fastest region drained: the next measured one, not a failover (it is not chosen).
    const auto drained = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        in = inputsFor(policy);
        auto networks = std::make_shared<LatencyTable>();
        (*networks)[client.networkKey()] = row({{virginia, 80.f, 5}, {dublin, 30.f, 5}});
        in.networkLatency = networks;
        in.regionState[static_cast<std::size_t>(dublin)].unavailable = Unavailability::Unhealthy;
    });
    request.address = client;
    const RouteDecision next = decideOn(*drained, request);
    QCOMPARE(next.kind, DecisionKind::Rule);
    QCOMPARE(first(*drained, next), QStringLiteral("us-east-1"));
}

void RouterTest::latencyRespectsMinSamples()
{
    const auto policy = policyFrom(kLatencyPolicy);
    const IpAddress client = address("81.2.69.160");
    const int dublin = regionOf(*policy, "eu-west-1");
    const int virginia = regionOf(*policy, "us-east-1");
    const auto snapshot = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        auto networks = std::make_shared<LatencyTable>();
        // Dublin is faster but has only 2 samples (min-samples is 3).
        (*networks)[client.networkKey()] = row({{virginia, 80.f, 3}, {dublin, 10.f, 2}});
        in.networkLatency = networks;
    });
    const RouteDecision decision = decideOn(*snapshot, requestFrom("DE", "81.2.69.160"));
    QCOMPARE(decision.rule, 0);
    QCOMPARE(first(*snapshot, decision), QStringLiteral("us-east-1"));
    // Dublin is ranked by geography afterwards, not by its two samples.
    QCOMPARE(order(*snapshot, decision).at(1), QStringLiteral("eu-central-1"));

    // Too few samples everywhere in the network row: the country row is used.
    const auto countryOnly = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        auto networks = std::make_shared<LatencyTable>();
        (*networks)[client.networkKey()] = row({{dublin, 10.f, 1}});
        in.networkLatency = networks;
        auto countries = std::make_shared<LatencyTable>();
        (*countries)[static_cast<std::uint64_t>(country("DE").index())] =
            row({{virginia, 95.f, 3}});
        in.countryLatency = countries;
    });
    QCOMPARE(first(*countryOnly, decideOn(*countryOnly, requestFrom("DE", "81.2.69.160"))),
             QStringLiteral("us-east-1"));
}

void RouterTest::latencyFallsThroughWhenUnmeasured()
{
    const auto policy = policyFrom(kLatencyPolicy);
    const auto snapshot = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        in.networkLatency = std::make_shared<LatencyTable>();
        in.countryLatency = std::make_shared<LatencyTable>();
    });
    const RouteDecision decision = decideOn(*snapshot, requestFrom("DE", "81.2.69.160"));
    QCOMPARE(decision.kind, DecisionKind::Rule);
    QCOMPARE(decision.rule, 1);
    QCOMPARE(describeDecision(*snapshot, decision), QStringLiteral("geo-proximity rule 'nearest'"));
    QCOMPARE(first(*snapshot, decision), QStringLiteral("eu-central-1"));
    // No tables at all behaves the same.
    QCOMPARE(decideOn(*snapshotFor(policy), requestFrom("DE", "81.2.69.160")).rule, 1);
}

void RouterTest::geoProximityBiasFollowsRoute53Formula()
{
    // From the US's representative point, Virginia is a little nearer than Oregon. Route 53's
    // biased distance is distance × (1 − bias/100): the smallest bias that makes Oregon win is
    // the first whole number above 100 × (1 − dVirginia/dOregon).
    const CountryPoint *us = CountryAtlas::builtin().find(country("US"));
    QVERIFY(us);
    const Region *virginia = RegionCatalog::builtin().find(QStringLiteral("us-east-1"));
    const Region *oregon = RegionCatalog::builtin().find(QStringLiteral("us-west-2"));
    const double dVirginia =
        greatCircleKm(us->latitude, us->longitude, virginia->latitude, virginia->longitude);
    const double dOregon =
        greatCircleKm(us->latitude, us->longitude, oregon->latitude, oregon->longitude);
    QVERIFY2(dVirginia < dOregon && dOregon < dVirginia * 1.5,
             qPrintable(QStringLiteral("%1 %2").arg(dVirginia).arg(dOregon)));
    const int threshold = static_cast<int>(std::floor(100.0 * (1.0 - dVirginia / dOregon))) + 1;
    QVERIFY(threshold > 0 && threshold < 99);

    const auto policyWithBias = [](const QByteArray &bias) {
        return policyFrom(yamlLines({"version: 1", "name: biased", "rules:", "  - name: nearest",
                                     "    type: geo-proximity"}) +
                          "    bias: {" + bias + "}\n");
    };
    const auto withBias = [&](int bias) {
        return snapshotFor(policyWithBias("us-west-2: " + QByteArray::number(bias)));
    };
    const auto unbiased = snapshotFor(policyFrom(yamlLines(
        {"version: 1", "name: plain", "rules:", "  - {name: nearest, type: geo-proximity}"})));
    QCOMPARE(first(*unbiased, decideOn(*unbiased, requestFrom("US"))), QStringLiteral("us-east-1"));
    const auto below = withBias(threshold - 1);
    QCOMPARE(first(*below, decideOn(*below, requestFrom("US"))), QStringLiteral("us-east-1"));
    const auto above = withBias(threshold);
    const RouteDecision won = decideOn(*above, requestFrom("US"));
    QCOMPARE(first(*above, won), QStringLiteral("us-west-2"));
    QCOMPARE(order(*above, won).at(1), QStringLiteral("us-east-1"));
    // A negative bias pushes a region away: Virginia at −10 loses to Oregon.
    const auto negative = snapshotFor(policyWithBias("us-east-1: -10"));
    QCOMPARE(first(*negative, decideOn(*negative, requestFrom("US"))), QStringLiteral("us-west-2"));
    // The bias does not change the order for clients far from both.
    QCOMPARE(first(*above, decideOn(*above, requestFrom("JP"))), QStringLiteral("ap-northeast-1"));
}

void RouterTest::failoverChains()
{
    const auto policy = defaultPolicy();
    const int tokyo = regionOf(*policy, "ap-northeast-1");
    const int singapore = regionOf(*policy, "ap-southeast-1");
    for (const Unavailability reason : {Unavailability::Drained, Unavailability::Unhealthy}) {
        const auto snapshot = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
            in.regionState[static_cast<std::size_t>(tokyo)].unavailable = reason;
        });
        const RouteDecision decision = decideOn(*snapshot, requestFrom("JP"));
        QCOMPARE(decision.kind, DecisionKind::Failover);
        QCOMPARE(decision.rule, 3);
        QCOMPARE(decision.failedOverFrom, tokyo);
        QCOMPARE(decision.failedOverBecause, reason);
        // The chain in its order, then the rest nearest first, Tokyo never.
        const QStringList regions = order(*snapshot, decision);
        QCOMPARE(regions.mid(0, 2),
                 QStringList({QStringLiteral("ap-southeast-1"), QStringLiteral("us-west-2")}));
        QCOMPARE(regions.size(), 8);
        QVERIFY(!regions.contains(QStringLiteral("ap-northeast-1")));
        QCOMPARE(describeDecision(*snapshot, decision),
                 QStringLiteral("failover rule 'regional-failover': ap-northeast-1 ") +
                     unavailabilityName(reason));
    }
    // The chain's first member unavailable too: its second.
    const auto both = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        in.regionState[static_cast<std::size_t>(tokyo)].unavailable = Unavailability::Drained;
        in.regionState[static_cast<std::size_t>(singapore)].unavailable = Unavailability::Unhealthy;
    });
    const RouteDecision second = decideOn(*both, requestFrom("JP"));
    QCOMPARE(second.kind, DecisionKind::Failover);
    QCOMPARE(first(*both, second), QStringLiteral("us-west-2"));
    // Clients whose first choice is fine are untouched.
    const RouteDecision german = decideOn(*both, requestFrom("DE"));
    QCOMPARE(german.kind, DecisionKind::Rule);
    QCOMPARE(first(*both, german), QStringLiteral("eu-central-1"));
}

void RouterTest::forcedFailoverTargetComesFirst()
{
    const auto policy = defaultPolicy();
    const int tokyo = regionOf(*policy, "ap-northeast-1");
    const auto snapshot = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        auto &state = in.regionState[static_cast<std::size_t>(tokyo)];
        state.unavailable = Unavailability::FailedOver;
        state.failoverTarget = regionOf(*policy, "me-south-1");
    });
    const RouteDecision decision = decideOn(*snapshot, requestFrom("JP"));
    QCOMPARE(decision.kind, DecisionKind::Failover);
    QCOMPARE(decision.failedOverBecause, Unavailability::FailedOver);
    QCOMPARE(order(*snapshot, decision).mid(0, 3),
             QStringList({QStringLiteral("me-south-1"), QStringLiteral("ap-southeast-1"),
                          QStringLiteral("us-west-2")}));
    QCOMPARE(describeDecision(*snapshot, decision),
             QStringLiteral("failover rule 'regional-failover': ap-northeast-1 failed-over"));
}

void RouterTest::failoverWithoutRuleUsesNextRegion()
{
    const auto policy = policyFrom(yamlLines(
        {"version: 1", "name: plain", "rules:", "  - {name: nearest, type: geo-proximity}"}));
    const auto snapshot = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        in.regionState[static_cast<std::size_t>(regionOf(*policy, "eu-central-1"))].unavailable =
            Unavailability::Drained;
    });
    const RouteDecision decision = decideOn(*snapshot, requestFrom("DE"));
    QCOMPARE(decision.kind, DecisionKind::Failover);
    QCOMPARE(decision.rule, -1);
    QCOMPARE(first(*snapshot, decision), QStringLiteral("eu-west-1"));
    QCOMPARE(describeDecision(*snapshot, decision),
             QStringLiteral("health failover: eu-central-1 drained, next region in order"));
}

void RouterTest::everyRegionUnavailable()
{
    const auto policy = defaultPolicy();
    const auto snapshot = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        for (int r = 0; r < 9; ++r)
            in.regionState[static_cast<std::size_t>(r)].unavailable = Unavailability::Unhealthy;
    });
    const RouteDecision decision = decideOn(*snapshot, requestFrom("JP"));
    QCOMPARE(decision.kind, DecisionKind::NoRegion);
    QCOMPARE(decision.count, 0);
    QCOMPARE(describeDecision(*snapshot, decision),
             QStringLiteral("every allowed region is unavailable"));
}

void RouterTest::whenConditions()
{
    const auto policy = policyFrom(yamlLines({
        "version: 1",
        "name: conditional",
        "rules:",
        "  - name: japan-to-singapore",
        "    type: weighted",
        "    when: {countries: [JP]}",
        "    weights: {ap-southeast-1: 1}",
        "  - name: v2-canary",
        "    type: weighted",
        "    when: {path-prefixes: [/api/v2/, /beta/]}",
        "    weights: {us-west-2: 1}",
        "  - name: acme-pinned",
        "    type: weighted",
        "    when: {tenants: [acme-corp], path-prefixes: [/api/]}",
        "    weights: {eu-west-1: 1}",
        "  - {name: nearest, type: geo-proximity}",
    }));
    const auto snapshot = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        auto map = std::make_shared<
            std::unordered_map<std::string, RegionMask, StringHash, std::equal_to<>>>();
        (*map)["acme-corp"] = policy->allRegions();
        (*map)["globex"] = policy->allRegions();
        in.tenantRegions = map;
    });
    const auto decide = [&](const char *countryCode, const char *path, const char *tenant) {
        RouteRequest request = requestFrom(countryCode);
        request.path = path;
        request.tenant = tenant;
        const RouteDecision decision = decideOn(*snapshot, request);
        return std::make_pair(first(*snapshot, decision),
                              decision.rule >= 0
                                  ? policy->rules[static_cast<std::size_t>(decision.rule)].name
                                  : QString());
    };
    using Answer = std::pair<QString, QString>;
    QCOMPARE(decide("JP", "/api/v1/goals", ""),
             Answer(QStringLiteral("ap-southeast-1"), QStringLiteral("japan-to-singapore")));
    QCOMPARE(decide("DE", "/api/v1/goals", ""),
             Answer(QStringLiteral("eu-central-1"), QStringLiteral("nearest")));
    QCOMPARE(decide("DE", "/api/v2/goals", ""),
             Answer(QStringLiteral("us-west-2"), QStringLiteral("v2-canary")));
    QCOMPARE(decide("DE", "/beta/x", ""),
             Answer(QStringLiteral("us-west-2"), QStringLiteral("v2-canary")));
    QCOMPARE(decide("DE", "/api/v22", ""), // a prefix is a prefix of the text
             Answer(QStringLiteral("eu-central-1"), QStringLiteral("nearest")));
    QCOMPARE(decide("DE", "/api/v1/goals", "acme-corp"),
             Answer(QStringLiteral("eu-west-1"), QStringLiteral("acme-pinned")));
    QCOMPARE(decide("DE", "/scim/v2/Users", "acme-corp"), // both lists must match
             Answer(QStringLiteral("eu-central-1"), QStringLiteral("nearest")));
    QCOMPARE(decide("DE", "/api/v1/goals", "globex"),
             Answer(QStringLiteral("eu-central-1"), QStringLiteral("nearest")));
    // The first rule that applies decides; JP + v2 path: the country rule comes first.
    QCOMPARE(decide("JP", "/api/v2/goals", ""),
             Answer(QStringLiteral("ap-southeast-1"), QStringLiteral("japan-to-singapore")));
}

void RouterTest::defaultDecisionWithoutRules()
{
    const auto policy = policyFrom(yamlLines({
        "version: 1",
        "name: only-conditional",
        "rules:",
        "  - {name: jp, type: weighted, when: {countries: [JP]}, weights: {ap-southeast-1: 1}}",
    }));
    const auto snapshot = snapshotFor(policy);
    const RouteDecision nearest = decideOn(*snapshot, requestFrom("BR"));
    QCOMPARE(nearest.kind, DecisionKind::Default);
    QCOMPARE(nearest.rule, -1);
    QCOMPARE(first(*snapshot, nearest), QStringLiteral("sa-east-1"));
    QCOMPARE(describeDecision(*snapshot, nearest),
             QStringLiteral("no rule applied: nearest region"));
    RouteRequest unknown = requestFrom("BR");
    unknown.country = {};
    const RouteDecision policyOrder = decideOn(*snapshot, unknown);
    QCOMPARE(policyOrder.kind, DecisionKind::Default);
    QCOMPARE(order(*snapshot, policyOrder),
             QStringList(policy->regions.begin(), policy->regions.end()));
    QCOMPARE(describeDecision(*snapshot, policyOrder),
             QStringLiteral("no rule applied and the client's country is unknown: policy order"));
}

void RouterTest::composedChain()
{
    // Everything at once, as the benchmark's rich chain: each rule where it should apply.
    const auto policy = policyFrom(yamlLines({
        "version: 1",
        "name: composed",
        "rules:",
        "  - {name: blocked, type: ip-deny, cidrs: [192.0.2.0/24, 2001:db8::/32]}",
        "  - {name: embargo, type: geo-fence, deny-countries: [KP]}",
        "  - name: eu-in-eu",
        "    type: geo-fence",
        "    when: {countries: [DE, FR]}",
        "    allow-regions: [eu-west-1, eu-central-1]",
        "  - {name: sticky, type: affinity, cookie: uc_region, ttl: 30m}",
        "  - name: canary",
        "    type: weighted",
        "    when: {path-prefixes: [/api/v2/]}",
        "    weights: {us-east-1: 1, us-west-2: 1}",
        "  - {name: fastest, type: latency}",
        "  - {name: nearest, type: geo-proximity, bias: {eu-west-1: 5}}",
        "  - name: failover",
        "    type: failover",
        "    chains: {ap-northeast-1: [ap-southeast-1], eu-central-1: [eu-west-1]}",
        "hedging: {enabled: true, budget: 0.5, min-delay: 10ms, max-delay: 500ms}",
    }));
    const IpAddress measured = address("81.2.69.160");
    const auto snapshot = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        auto networks = std::make_shared<LatencyTable>();
        (*networks)[measured.networkKey()] = row(
            {{regionOf(*policy, "us-east-1"), 20.f, 9}, {regionOf(*policy, "eu-west-1"), 25.f, 9}});
        in.networkLatency = networks;
        in.regionState[static_cast<std::size_t>(regionOf(*policy, "ap-northeast-1"))].unavailable =
            Unavailability::Drained;
        for (auto &state : in.regionState)
            state.p95Ms = 120;
    });
    const auto ruleName = [&](const RouteDecision &d) {
        return d.rule >= 0 ? policy->rules[static_cast<std::size_t>(d.rule)].name : QString();
    };
    QCOMPARE(ruleName(decideOn(*snapshot, requestFrom("JP", "192.0.2.1"))),
             QStringLiteral("blocked"));
    QCOMPARE(ruleName(decideOn(*snapshot, requestFrom("KP"))), QStringLiteral("embargo"));
    // A German client measured fastest to Virginia: the fence keeps it in the EU.
    RouteRequest german = requestFrom("DE", "81.2.69.160");
    const RouteDecision fenced = decideOn(*snapshot, german);
    QCOMPARE(order(*snapshot, fenced),
             QStringList({QStringLiteral("eu-west-1"), QStringLiteral("eu-central-1")}));
    QCOMPARE(ruleName(fenced), QStringLiteral("fastest"));
    // Measured, not fenced: Virginia.
    QCOMPARE(first(*snapshot, decideOn(*snapshot, requestFrom("GB", "81.2.69.160"))),
             QStringLiteral("us-east-1"));
    // v2 path: the canary splits before latency is asked.
    RouteRequest canary = requestFrom("GB", "81.2.69.160");
    canary.path = "/api/v2/goals";
    QCOMPARE(ruleName(decideOn(*snapshot, canary)), QStringLiteral("canary"));
    // A token wins over everything after it.
    const std::string token = tokenFor("sa-east-1", kNow + 60);
    canary.affinityToken = token;
    const RouteDecision sticky = decideOn(*snapshot, canary);
    QCOMPARE(ruleName(sticky), QStringLiteral("sticky"));
    QCOMPARE(first(*snapshot, sticky), QStringLiteral("sa-east-1"));
    // Japan: nearest is Tokyo, drained → the failover chain.
    const RouteDecision japan = decideOn(*snapshot, requestFrom("JP"));
    QCOMPARE(japan.kind, DecisionKind::Failover);
    QCOMPARE(ruleName(japan), QStringLiteral("failover"));
    QCOMPARE(first(*snapshot, japan), QStringLiteral("ap-southeast-1"));
}

void RouterTest::hedgingBudget()
{
    const auto policy = defaultPolicy();
    const auto snapshot = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        for (auto &state : in.regionState)
            state.p95Ms = 150;
    });
    Router router(nullptr);
    router.publish(snapshot);
    const auto before = router.hedgeCounters();
    constexpr int kDecisions = 100000;
    int hedged = 0;
    RouteDecision decision;
    for (int i = 0; i < kDecisions; ++i) {
        RouteRequest request = requestFrom(i % 2 ? "JP" : "DE");
        request.address = IpAddress::fromV4(0x50000000u + static_cast<std::uint32_t>(i) * 256u);
        router.decide(request, decision);
        if (decision.hedgeRegion >= 0) {
            ++hedged;
            if (decision.hedgeRegion != decision.regions[1] || decision.hedgeAfterMs != 150)
                QFAIL("a hedge goes to the second region after the first's p95");
        }
    }
    const double share = static_cast<double>(hedged) / kDecisions;
    QVERIFY2(std::abs(share - policy->hedging.budget) <= 0.005, qPrintable(QString::number(share)));
    const auto after = router.hedgeCounters();
    QCOMPARE(after.hedgesSent - before.hedgesSent, std::uint64_t(hedged));
    QCOMPARE(after.decisions - before.decisions, std::uint64_t(kDecisions));

    // Unknown latency (p95 0): no hedges.
    const auto unknown = snapshotFor(policy);
    hedged = 0;
    for (int i = 0; i < 1000; ++i) {
        router.decideWith(*unknown, requestFrom("JP"), decision);
        hedged += decision.hedgeRegion >= 0;
    }
    QCOMPARE(hedged, 0);
}

void RouterTest::hedgingDelayIsClamped()
{
    const auto policy = defaultPolicy(); // min-delay 20ms, max-delay 2s
    Router router(nullptr);
    for (const auto &[p95, expected] : {std::pair{5.0, 20u}, std::pair{20.0, 20u},
                                        std::pair{333.4, 333u}, std::pair{9000.0, 2000u}}) {
        const auto snapshot = snapshotFor(policy, [&, p = p95](RouteSnapshotInputs &in) {
            for (auto &state : in.regionState)
                state.p95Ms = p;
        });
        RouteDecision decision;
        bool seen = false;
        for (int i = 0; i < 100 && !seen; ++i) { // within the budget: one in 20
            router.decideWith(*snapshot, requestFrom("BR"), decision);
            if (decision.hedgeRegion >= 0) {
                seen = true;
                QCOMPARE(decision.hedgeAfterMs, expected);
                QCOMPARE(first(*snapshot, decision), QStringLiteral("sa-east-1"));
                QCOMPARE(regionName(*policy, decision.hedgeRegion), QStringLiteral("us-east-1"));
            }
        }
        QVERIFY(seen);
    }
}

void RouterTest::noHedgeWithOneRegion()
{
    const auto policy = policyFrom(yamlLines({
        "version: 1",
        "name: single",
        "regions: [eu-west-1]",
        "rules:",
        "  - {name: nearest, type: geo-proximity}",
        "hedging: {enabled: true, budget: 0.5}",
    }));
    const auto snapshot =
        snapshotFor(policy, [](RouteSnapshotInputs &in) { in.regionState[0].p95Ms = 100; });
    Router router(nullptr);
    RouteDecision decision;
    for (int i = 0; i < 1000; ++i) {
        router.decideWith(*snapshot, requestFrom("IE"), decision);
        QCOMPARE(decision.count, 1);
        QCOMPARE(decision.hedgeRegion, -1);
    }
    // Two regions of which one is drained: no hedge either.
    const auto two =
        policyFrom(yamlLines({"version: 1", "name: pair", "regions: [eu-west-1, eu-central-1]",
                              "rules:", "  - {name: nearest, type: geo-proximity}",
                              "hedging: {enabled: true, budget: 0.5}"}));
    const auto drained = snapshotFor(two, [](RouteSnapshotInputs &in) {
        in.regionState[0].p95Ms = 100;
        in.regionState[1].p95Ms = 100;
        in.regionState[1].unavailable = Unavailability::Drained;
    });
    for (int i = 0; i < 100; ++i) {
        router.decideWith(*drained, requestFrom("DE"), decision);
        QCOMPARE(decision.hedgeRegion, -1);
    }
}

void RouterTest::decisionKindAndUnavailabilityNames()
{
    QCOMPARE(decisionKindName(DecisionKind::Rule), QStringLiteral("rule"));
    QCOMPARE(decisionKindName(DecisionKind::Failover), QStringLiteral("failover"));
    QCOMPARE(decisionKindName(DecisionKind::Default), QStringLiteral("default"));
    QCOMPARE(decisionKindName(DecisionKind::Denied), QStringLiteral("denied"));
    QCOMPARE(decisionKindName(DecisionKind::UnknownTenant), QStringLiteral("unknown-tenant"));
    QCOMPARE(decisionKindName(DecisionKind::ResidencyBlocked), QStringLiteral("residency-blocked"));
    QCOMPARE(decisionKindName(DecisionKind::NoRegion), QStringLiteral("no-region"));
    QCOMPARE(unavailabilityName(Unavailability::None), QString());
    QCOMPARE(unavailabilityName(Unavailability::Unhealthy), QStringLiteral("unhealthy"));
    QCOMPARE(unavailabilityName(Unavailability::Drained), QStringLiteral("drained"));
    QCOMPARE(unavailabilityName(Unavailability::FailedOver), QStringLiteral("failed-over"));
}

void RouterTest::verifiedTokensAreRememberedSafely()
{
    // A verified token is remembered per thread; the expiry, the key and the regions still count.
    const auto policy = defaultPolicy();
    const auto snapshot = snapshotFor(policy);
    const std::string token = tokenFor("sa-east-1", kNow + 600);
    const int saoPaulo = regionOf(*policy, "sa-east-1");
    QCOMPARE(verifyAffinityToken(*snapshot, token, kNow), saoPaulo);
    QCOMPARE(verifyAffinityToken(*snapshot, token, kNow + 599), saoPaulo);
    QCOMPARE(verifyAffinityToken(*snapshot, token, kNow + 600), -1); // expired
    QCOMPARE(verifyAffinityToken(*snapshot, token, kNow), saoPaulo);
    // Another key (a rotated secret): not valid any more.
    const auto rotated =
        snapshotFor(policy, [](RouteSnapshotInputs &in) { in.affinityKey = QByteArray(32, 'r'); });
    QCOMPARE(verifyAffinityToken(*rotated, token, kNow), -1);
    // Other regions (indices move): the region is found again by name.
    const auto subset = snapshotFor(
        policyFrom(yamlLines({"version: 1", "name: two", "regions: [eu-west-1, sa-east-1]",
                              "rules:", "  - {name: sticky, type: affinity, cookie: uc}",
                              "  - {name: near, type: geo-proximity}"})));
    QCOMPARE(verifyAffinityToken(*subset, token, kNow), 1);
    // A forged token next to a remembered one is still checked.
    std::string forged = token;
    forged.back() = forged.back() == 'A' ? 'B' : 'A';
    QCOMPARE(verifyAffinityToken(*snapshot, forged, kNow), -1);
    QCOMPARE(verifyAffinityToken(*snapshot, token, kNow), saoPaulo);
}

void RouterTest::affinityTokenFormat()
{
    const QByteArray token = makeAffinityToken(testAffinityKey(), u"eu-west-1", 1900000000);
    const QList<QByteArray> parts = token.split('.');
    QCOMPARE(parts.size(), 3);
    QCOMPARE(parts[0], QByteArray("eu-west-1"));
    QCOMPARE(parts[1], QByteArray("1900000000"));
    QCOMPARE(parts[2].size(), 22); // 16 bytes, base64url without padding
    QVERIFY(!parts[2].contains('=') && !parts[2].contains('+') && !parts[2].contains('/'));
    // Without a key in the snapshot no token is valid.
    const auto keyless =
        snapshotFor(defaultPolicy(), [](RouteSnapshotInputs &in) { in.affinityKey.clear(); });
    QCOMPARE(verifyAffinityToken(*keyless, token.toStdString(), kNow), -1);
}

void RouterTest::acceptanceWithRealGeoIp()
{
    // The addresses are where we think they are.
    for (const KnownAddress &known : kKnownAddresses)
        QVERIFY2(m_geoip->country(address(known.ip)) == country(known.country),
                 qPrintable(QStringLiteral("%1 is in '%2' by %3, expected %4")
                                .arg(QLatin1String(known.ip),
                                     m_geoip->country(address(known.ip)).toString(),
                                     m_geoip->path(), QLatin1String(known.country))));

    const auto policy = defaultPolicy();
    Router router(m_geoip.get());
    router.publish(snapshotFor(policy));
    RouteDecision decision;
    for (const KnownAddress &known : kKnownAddresses) {
        RouteRequest request;
        request.address = address(known.ip);
        router.decide(request, decision);
        QCOMPARE(decision.country, country(known.country));
        QCOMPARE(decision.kind, DecisionKind::Rule);
        QCOMPARE(regionName(*policy, decision.regions[0]), QString::fromLatin1(known.region));
    }

    // Drain Tokyo: the Japanese address goes to Singapore (its chain), as a failover.
    const int tokyo = regionOf(*policy, "ap-northeast-1");
    router.publish(snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        in.regionState[static_cast<std::size_t>(tokyo)].unavailable = Unavailability::Drained;
        in.generation = 2;
    }));
    RouteRequest japanese;
    japanese.address = address("133.242.0.1");
    router.decide(japanese, decision);
    QCOMPARE(decision.kind, DecisionKind::Failover);
    QCOMPARE(regionName(*policy, decision.regions[0]), QStringLiteral("ap-southeast-1"));
    QCOMPARE(decision.failedOverFrom, tokyo);
    QCOMPARE(describeDecision(*router.snapshot(), decision),
             QStringLiteral("failover rule 'regional-failover': ap-northeast-1 drained"));
    QCOMPARE(snapshotGeneration(*router.snapshot()), quint64(2));
    QCOMPARE(snapshotRegionState(*router.snapshot(), tokyo).unavailable, Unavailability::Drained);
    // The German address is not affected.
    RouteRequest german;
    german.address = address("80.130.1.1");
    router.decide(german, decision);
    QCOMPARE(regionName(*policy, decision.regions[0]), QStringLiteral("eu-central-1"));

    // Undrain: back to Tokyo.
    router.publish(snapshotFor(policy));
    router.decide(japanese, decision);
    QCOMPARE(decision.kind, DecisionKind::Rule);
    QCOMPARE(regionName(*policy, decision.regions[0]), QStringLiteral("ap-northeast-1"));
}

void RouterTest::ipv6ClientsWithRealGeoIp()
{
    const auto policy = defaultPolicy();
    Router router(m_geoip.get());
    router.publish(snapshotFor(policy));
    RouteDecision decision;
    RouteRequest request;
    request.address = address("2400:4050::1");
    router.decide(request, decision);
    QCOMPARE(decision.country, country("JP"));
    QCOMPARE(regionName(*policy, decision.regions[0]), QStringLiteral("ap-northeast-1"));
    request.address = address("2003::1");
    router.decide(request, decision);
    QCOMPARE(decision.country, country("DE"));
    QCOMPARE(regionName(*policy, decision.regions[0]), QStringLiteral("eu-central-1"));
    // Documentation space: denied by the default policy before any lookup matters.
    request.address = address("2001:db8::42");
    router.decide(request, decision);
    QCOMPARE(decision.kind, DecisionKind::Denied);
    // Private space has no country: the policy order.
    request.address = address("10.1.2.3");
    router.decide(request, decision);
    QCOMPARE(decision.kind, DecisionKind::Default);
    QVERIFY(!decision.country.valid());
    QCOMPARE(decision.regions[0], std::uint8_t(0));
}

void RouterTest::locateCachesPerNetwork()
{
    Router router(m_geoip.get());
    QCOMPARE(router.locate(address("80.130.1.1")), country("DE"));
    QCOMPARE(router.locate(address("80.130.1.77")), country("DE"));
    QCOMPARE(router.locate(address("133.242.0.1")), country("JP"));
    QVERIFY(!router.locate(address("192.168.1.1")).valid());
    Router blind(nullptr);
    QVERIFY(!blind.locate(address("80.130.1.1")).valid());
}

void RouterTest::concurrentDecisionsWhilePublishing()
{
    const auto policy = defaultPolicy();
    const int tokyo = regionOf(*policy, "ap-northeast-1");
    const auto normal = snapshotFor(policy);
    const auto drained = snapshotFor(policy, [&](RouteSnapshotInputs &in) {
        in.regionState[static_cast<std::size_t>(tokyo)].unavailable = Unavailability::Drained;
    });
    Router reference(nullptr);
    RouteDecision expectedNormal;
    RouteDecision expectedDrained;
    reference.decideWith(*normal, requestFrom("JP"), expectedNormal);
    reference.decideWith(*drained, requestFrom("JP"), expectedDrained);
    const auto same = [](const RouteDecision &a, const RouteDecision &b) {
        return a.kind == b.kind && a.count == b.count && a.regions == b.regions &&
               a.rule == b.rule && a.failedOverFrom == b.failedOverFrom;
    };

    Router router(m_geoip.get());
    router.publish(normal);
    std::atomic<bool> done{false};
    std::atomic<int> inconsistent{0};
    std::atomic<long> decisions{0};
    std::array<std::atomic<long>, 2> seen{};
    std::vector<std::thread> deciders;
    for (int t = 0; t < 4; ++t) {
        deciders.emplace_back([&, t] {
            RouteDecision decision;
            long n = 0;
            while (!done.load(std::memory_order_relaxed) || n < 1000) {
                RouteRequest request = requestFrom("JP");
                request.address =
                    IpAddress::fromV4(0x85000000u + static_cast<std::uint32_t>((n * 4 + t) << 8));
                router.decide(request, decision);
                if (same(decision, expectedNormal))
                    ++seen[0];
                else if (same(decision, expectedDrained))
                    ++seen[1];
                else
                    ++inconsistent;
                ++n;
            }
            decisions += n;
        });
    }
    for (int i = 0; i < 3000; ++i) {
        router.publish(i % 2 ? normal : drained);
        if (i % 100 == 0)
            std::this_thread::yield();
    }
    done = true;
    for (std::thread &thread : deciders)
        thread.join();
    QCOMPARE(inconsistent.load(), 0);
    QVERIFY(decisions.load() >= 4000);
    QCOMPARE(seen[0].load() + seen[1].load(), decisions.load());
}

QTEST_GUILESS_MAIN(RouterTest)
#include "test_router.moc"
