// The traffic policy file: the default policy, every rule type's fields, and errors that name the
// rule and the field.
#include "routingtestsupport.h"

#include <QTest>

using namespace upcoach;
using namespace upcoach::routing;
using namespace upcoach::routing::testing;

namespace {

// A policy header followed by the given rule lines.
QByteArray withRules(std::initializer_list<const char *> ruleLines)
{
    QByteArray out = yamlLines({"version: 1", "name: test-policy", "rules:"});
    for (const char *line : ruleLines) {
        out += line;
        out += '\n';
    }
    return out;
}

QString errorOf(const QByteArray &yaml)
{
    const auto parsed = parseTrafficPolicy(yaml, RegionCatalog::builtin());
    if (parsed)
        return QString();
    return parsed.error().message;
}

} // namespace

class TrafficPolicyTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultPolicyParses();
    void everyRuleTypeParses();
    void regionsSubsetKeepsCatalogOrder();
    void jsonFormIsAccepted();
    void errorsNameRuleAndField_data();
    void errorsNameRuleAndField();
    void emptyFileIsRefused();
    void oversizedFileIsRefused();
    void syntaxErrorNamesTheLine();
    void tooManyRulesAreRefused();
    void ruleKindNamesRoundTrip();
};

void TrafficPolicyTest::defaultPolicyParses()
{
    const auto parsed = defaultTrafficPolicy(RegionCatalog::builtin());
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : qPrintable(parsed.error().message));
    const TrafficPolicy &policy = parsed.value();
    QCOMPARE(policy.name, QStringLiteral("nearest-healthy"));
    QCOMPARE(policy.regions.size(), std::size_t(9));
    QCOMPARE(policy.regions.front(), QStringLiteral("us-east-1"));
    QCOMPARE(policy.regions.back(), QStringLiteral("af-south-1"));
    QCOMPARE(policy.rules.size(), std::size_t(4));
    QCOMPARE(policy.rules[0].kind, RuleKind::IpDeny);
    QCOMPARE(policy.rules[0].cidrs.size(), std::size_t(3));
    QCOMPARE(policy.rules[1].kind, RuleKind::Affinity);
    QCOMPARE(policy.rules[1].cookie, QStringLiteral("uc_region"));
    QVERIFY(policy.rules[1].header.isEmpty());
    QCOMPARE(policy.rules[1].ttl, std::chrono::seconds(1800));
    QCOMPARE(policy.rules[2].kind, RuleKind::GeoProximity);
    QCOMPARE(policy.rules[3].kind, RuleKind::Failover);
    const PolicyRule *failover = policy.rule(u"regional-failover");
    QVERIFY(failover);
    const auto &tokyoChain =
        failover->chains[static_cast<std::size_t>(regionOf(policy, "ap-northeast-1"))];
    QCOMPARE(tokyoChain.size(), std::size_t(2));
    QCOMPARE(int(tokyoChain[0]), regionOf(policy, "ap-southeast-1"));
    QCOMPARE(int(tokyoChain[1]), regionOf(policy, "us-west-2"));
    for (int r = 0; r < 9; ++r)
        QCOMPARE(failover->chains[static_cast<std::size_t>(r)].size(), std::size_t(2));
    QVERIFY(policy.hedging.enabled);
    QCOMPARE(policy.hedging.budget, 0.05);
    QCOMPARE(policy.hedging.percentile, 95);
    QCOMPARE(policy.hedging.minDelay, std::chrono::milliseconds(20));
    QCOMPARE(policy.hedging.maxDelay, std::chrono::milliseconds(2000));
    QCOMPARE(policy.source, defaultTrafficPolicySource());
    QCOMPARE(policy.regionIndex(u"eu-west-1"), 2);
    QCOMPARE(policy.regionIndex(u"mars-1"), -1);
    QCOMPARE(policy.allRegions(), RegionMask(0x1ff));
}

void TrafficPolicyTest::everyRuleTypeParses()
{
    const auto policy = policyFrom(withRules({
        "  - name: only-known",
        "    type: ip-allow",
        "    cidrs: [10.0.0.0/8, 2001:db8:1::/48, 203.0.113.7]",
        "  - name: blocked",
        "    type: ip-deny",
        "    cidrs: [10.9.0.0/16]",
        "  - name: fence",
        "    type: geo-fence",
        "    when: {countries: [DE, FR]}",
        "    deny-countries: [KP]",
        "    allow-regions: [eu-west-1, eu-central-1]",
        "  - name: sticky",
        "    type: affinity",
        "    header: X-UC-Region",
        "    ttl: 2h",
        "  - name: canary",
        "    type: weighted",
        "    when: {path-prefixes: [/api/v2/], tenants: [acme-corp]}",
        "    weights: {us-east-1: 95, us-west-2: 5}",
        "    hash-by: session",
        "  - name: fastest",
        "    type: latency",
        "    min-samples: 7",
        "  - name: nearest",
        "    type: geo-proximity",
        "    bias: {eu-west-1: 25, me-south-1: -40}",
        "  - name: failover",
        "    type: failover",
        "    chains: {us-east-1: [us-west-2]}",
        "hedging: {enabled: false, budget: 0.1, percentile: 90, min-delay: 5ms, max-delay: 1s}",
    }));
    QCOMPARE(policy->rules.size(), std::size_t(8));
    const PolicyRule &allow = policy->rules[0];
    QCOMPARE(allow.kind, RuleKind::IpAllow);
    QCOMPARE(allow.cidrs.size(), std::size_t(3));
    QCOMPARE(allow.cidrs[2].prefix, 128); // 203.0.113.7 is a /32 (+96 in the mapped form)
    QVERIFY(allow.cidrSet.contains(address("10.200.1.1")));
    QVERIFY(allow.cidrSet.contains(address("2001:db8:1:ffff::1")));
    QVERIFY(!allow.cidrSet.contains(address("2001:db8:2::1")));
    QVERIFY(allow.cidrSet.contains(address("203.0.113.7")));
    QVERIFY(!allow.cidrSet.contains(address("203.0.113.8")));

    const PolicyRule &fence = policy->rules[2];
    QCOMPARE(fence.when.countries.size(), std::size_t(2));
    QCOMPARE(fence.when.countries[1], country("FR"));
    QCOMPARE(fence.denyCountries.size(), std::size_t(1));
    QCOMPARE(fence.allowRegions, RegionMask((1u << 2) | (1u << 3)));

    const PolicyRule &sticky = policy->rules[3];
    QVERIFY(sticky.cookie.isEmpty());
    QCOMPARE(sticky.header, QStringLiteral("x-uc-region")); // header names compare lower case
    QCOMPARE(sticky.ttl, std::chrono::seconds(7200));

    const PolicyRule &canary = policy->rules[4];
    QCOMPARE(canary.weights[0], 95u);
    QCOMPARE(canary.weights[1], 5u);
    QCOMPARE(canary.weights[2], 0u);
    QVERIFY(canary.hashBySession);
    QCOMPARE(canary.when.pathPrefixes.front(), std::string("/api/v2/"));
    QCOMPARE(canary.when.tenants.front(), std::string("acme-corp"));

    QCOMPARE(policy->rules[5].minSamples, 7);
    QCOMPARE(policy->rules[6].bias[2], 25);
    QCOMPARE(policy->rules[6].bias[7], -40);
    QCOMPARE(policy->rules[7].chains[0].size(), std::size_t(1));

    QVERIFY(!policy->hedging.enabled);
    QCOMPARE(policy->hedging.budget, 0.1);
    QCOMPARE(policy->hedging.percentile, 90);
    QCOMPARE(policy->hedging.minDelay, std::chrono::milliseconds(5));
    QCOMPARE(policy->hedging.maxDelay, std::chrono::milliseconds(1000));
}

void TrafficPolicyTest::regionsSubsetKeepsCatalogOrder()
{
    const auto policy = policyFrom(yamlLines({
        "version: 1",
        "name: two-regions",
        "regions: [eu-central-1, us-east-1]",
        "rules:",
        "  - {name: nearest, type: geo-proximity}",
    }));
    QCOMPARE(policy->regions.size(), std::size_t(2));
    QCOMPARE(policy->regions[0], QStringLiteral("us-east-1"));
    QCOMPARE(policy->regions[1], QStringLiteral("eu-central-1"));
    QCOMPARE(policy->allRegions(), RegionMask(3));

    const QString error = errorOf(yamlLines({
        "version: 1",
        "name: two-regions",
        "regions: [eu-central-1, us-east-1]",
        "rules:",
        "  - {name: canary, type: weighted, weights: {eu-west-1: 5}}",
    }));
    QVERIFY2(error.contains(QStringLiteral("rule 1 'canary': weights.eu-west-1: unknown region "
                                           "'eu-west-1' (known: us-east-1, eu-central-1)")),
             qPrintable(error));
}

void TrafficPolicyTest::jsonFormIsAccepted()
{
    const QByteArray json =
        "{\"version\": 1, \"name\": \"json-policy\", \"rules\": ["
        "{\"name\": \"blocked\", \"type\": \"ip-deny\", \"cidrs\": [\"192.0.2.0/24\"]},"
        "{\"name\": \"canary\", \"type\": \"weighted\", \"weights\": {\"us-east-1\": 9, "
        "\"us-west-2\": 1}},"
        "{\"name\": \"failover\", \"type\": \"failover\", \"chains\": "
        "{\"us-east-1\": [\"us-west-2\", \"eu-west-1\"]}}],"
        "\"hedging\": {\"enabled\": true, \"budget\": 0.02}}";
    const auto parsed = parseTrafficPolicy(json, RegionCatalog::builtin());
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : qPrintable(parsed.error().message));
    QCOMPARE(parsed->name, QStringLiteral("json-policy"));
    QCOMPARE(parsed->rules.size(), std::size_t(3));
    QCOMPARE(parsed->rules[1].weights[1], 1u);
    QCOMPARE(parsed->rules[2].chains[0].size(), std::size_t(2));
    QVERIFY(parsed->hedging.enabled);
    QCOMPARE(parsed->hedging.budget, 0.02);
    QCOMPARE(parsed->source, json);
}

void TrafficPolicyTest::errorsNameRuleAndField_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QStringList>("fragments");
    const auto row = [](const char *tag, QByteArray yaml, QStringList fragments) {
        QTest::newRow(tag) << yaml << fragments;
    };

    row("unknown rule field", withRules({"  - {name: nearest, type: geo-proximity, colour: red}"}),
        {QStringLiteral("rule 1 'nearest'"), QStringLiteral("unknown field 'colour'")});
    row("unknown top-level field",
        yamlLines({"version: 1", "name: x", "colours: [red]",
                   "rules:", "  - {name: nearest, type: geo-proximity}"}),
        {QStringLiteral("unknown field 'colours'")});
    row("unknown when field",
        withRules({"  - {name: nearest, type: geo-proximity, when: {planets: [mars]}}"}),
        {QStringLiteral("rule 1 'nearest': when"), QStringLiteral("unknown field 'planets'")});
    row("unknown type", withRules({"  - {name: near, type: nearest-ish}"}),
        {QStringLiteral("rule 1 'near': type: unknown rule type 'nearest-ish'")});
    row("missing type", withRules({"  - {name: near}"}),
        {QStringLiteral("rule 1 'near': type: a non-empty text is required")});
    row("missing name", withRules({"  - {type: geo-proximity}"}),
        {QStringLiteral("rule 1: name: a non-empty text is required")});
    row("bad rule name", withRules({"  - {name: Near_Est, type: geo-proximity}"}),
        {QStringLiteral("rule 1: name: lower-case letters")});
    row("duplicate name",
        withRules(
            {"  - {name: nearest, type: geo-proximity}", "  - {name: nearest, type: latency}"}),
        {QStringLiteral("rule 2 'nearest': name: another rule has this name")});
    row("unknown region in weights",
        withRules({"  - {name: canary, type: weighted, weights: {us-east-1: 9, us-east-9: 1}}"}),
        {QStringLiteral("rule 1 'canary': weights.us-east-9: unknown region 'us-east-9'")});
    row("negative weight",
        withRules({"  - {name: canary, type: weighted, weights: {us-east-1: -1}}"}),
        {QStringLiteral("rule 1 'canary': weights.us-east-1: a whole number from 0 to 1000000")});
    row("weights all zero",
        withRules({"  - {name: canary, type: weighted, weights: {us-east-1: 0, us-west-2: 0}}"}),
        {QStringLiteral("rule 1 'canary': weights: at least one weight must be above 0")});
    row("weights missing", withRules({"  - {name: canary, type: weighted}"}),
        {QStringLiteral("rule 1 'canary': weights: a mapping of region")});
    row("bad hash-by",
        withRules({"  - {name: canary, type: weighted, weights: {us-east-1: 1}, hash-by: ip}"}),
        {QStringLiteral("rule 1 'canary': hash-by: must be client-network or session")});
    row("unknown region in chain key",
        withRules({"  - {name: fo, type: failover, chains: {mars-1: [us-east-1]}}"}),
        {QStringLiteral("rule 1 'fo': chains.mars-1: unknown region 'mars-1'")});
    row("unknown region in chain",
        withRules({"  - {name: fo, type: failover, chains: {us-east-1: [us-west-2, mars-1]}}"}),
        {QStringLiteral("rule 1 'fo': chains.us-east-1[1]: unknown region 'mars-1'")});
    row("chain naming its own region",
        withRules({"  - {name: fo, type: failover, chains: {us-east-1: [us-east-1]}}"}),
        {QStringLiteral("rule 1 'fo': chains.us-east-1[0]: a region cannot take over from "
                        "itself")});
    row("chain listing a region twice",
        withRules({"  - {name: fo, type: failover, chains: {us-east-1: [us-west-2, us-west-2]}}"}),
        {QStringLiteral("rule 1 'fo': chains.us-east-1[1]: listed twice")});
    row("empty chain", withRules({"  - {name: fo, type: failover, chains: {us-east-1: []}}"}),
        {QStringLiteral("rule 1 'fo': chains.us-east-1: name at least one region")});
    row("unknown region in bias",
        withRules({"  - {name: near, type: geo-proximity, bias: {xx-north-1: 10}}"}),
        {QStringLiteral("rule 1 'near': bias.xx-north-1: unknown region 'xx-north-1'")});
    row("bias above range",
        withRules({"  - {name: near, type: geo-proximity, bias: {eu-west-1: 100}}"}),
        {QStringLiteral("rule 1 'near': bias.eu-west-1: a whole number from -99 to 99")});
    row("bias below range",
        withRules({"  - {name: near, type: geo-proximity, bias: {eu-west-1: -100}}"}),
        {QStringLiteral("rule 1 'near': bias.eu-west-1: a whole number from -99 to 99")});
    row("unknown region in allow-regions",
        withRules({"  - {name: fence, type: geo-fence, allow-regions: [eu-west-1, eu-south-3]}"}),
        {QStringLiteral("rule 1 'fence': allow-regions[1]: unknown region 'eu-south-3'")});
    row("empty geo-fence", withRules({"  - {name: fence, type: geo-fence}"}),
        {QStringLiteral("rule 1 'fence': give allow-countries, deny-countries or allow-regions")});
    row("country both allowed and denied",
        withRules({"  - {name: fence, type: geo-fence, allow-countries: [DE], "
                   "deny-countries: [DE]}"}),
        {QStringLiteral("rule 1 'fence': DE is both allowed and denied")});
    row("bad country code (lower case)",
        withRules({"  - {name: fence, type: geo-fence, deny-countries: [KP, de]}"}),
        {QStringLiteral("rule 1 'fence': deny-countries[1]: 'de' is not an ISO 3166-1 alpha-2 "
                        "country code")});
    row("bad country code (name)",
        withRules({"  - {name: fence, type: geo-fence, allow-countries: [Germany]}"}),
        {QStringLiteral("rule 1 'fence': allow-countries[0]: 'Germany' is not an ISO 3166-1")});
    row("bad country code in when",
        withRules({"  - {name: near, type: geo-proximity, when: {countries: [D1]}}"}),
        {QStringLiteral("rule 1 'near': when: countries[0]: 'D1' is not an ISO 3166-1")});
    row("path prefix without slash",
        withRules({"  - {name: near, type: geo-proximity, when: {path-prefixes: [api/]}}"}),
        {QStringLiteral("rule 1 'near': when: path-prefixes[0]: must start with '/'")});
    row("bad tenant slug",
        withRules({"  - {name: near, type: geo-proximity, when: {tenants: [Acme Corp]}}"}),
        {QStringLiteral("rule 1 'near': when: tenants[0]: 'Acme Corp' is not a tenant slug")});
    row("bad CIDR: IPv4 host bits",
        withRules({"  - {name: deny, type: ip-deny, cidrs: [192.0.2.0/24, 10.0.0.1/8]}"}),
        {QStringLiteral("rule 1 'deny': cidrs[1]: '10.0.0.1/8' has host bits set below the "
                        "prefix; write 10.0.0.0/8")});
    row("bad CIDR: IPv6 host bits",
        withRules({"  - {name: deny, type: ip-deny, cidrs: [2001:db8::1/32]}"}),
        {QStringLiteral("rule 1 'deny': cidrs[0]: '2001:db8::1/32' has host bits set"),
         QStringLiteral("write 2001:db8::/32")});
    row("bad CIDR: prefix too long",
        withRules({"  - {name: allow, type: ip-allow, cidrs: [10.0.0.0/33]}"}),
        {QStringLiteral("rule 1 'allow': cidrs[0]: '10.0.0.0/33': the prefix length must be at "
                        "most 32")});
    row("bad CIDR: not an address",
        withRules({"  - {name: allow, type: ip-allow, cidrs: [intranet]}"}),
        {QStringLiteral("rule 1 'allow': cidrs[0]: 'intranet' is not an IPv4 or IPv6 address")});
    row("no CIDRs", withRules({"  - {name: allow, type: ip-allow, cidrs: []}"}),
        {QStringLiteral("rule 1 'allow': cidrs: name at least one network")});
    row("both cookie and header",
        withRules({"  - {name: sticky, type: affinity, cookie: uc_region, header: x-region}"}),
        {QStringLiteral("rule 1 'sticky': give exactly one of cookie and header")});
    row("neither cookie nor header", withRules({"  - {name: sticky, type: affinity}"}),
        {QStringLiteral("rule 1 'sticky': give exactly one of cookie and header")});
    row("bad cookie name", withRules({"  - {name: sticky, type: affinity, cookie: \"uc region\"}"}),
        {QStringLiteral("rule 1 'sticky': cookie: 'uc region' is not a valid cookie name")});
    row("ttl too short",
        withRules({"  - {name: sticky, type: affinity, cookie: uc_region, ttl: 5s}"}),
        {QStringLiteral("rule 1 'sticky': ttl: must be between 10000 ms and 604800000 ms")});
    row("ttl too long",
        withRules({"  - {name: sticky, type: affinity, cookie: uc_region, ttl: 8d}"}),
        {QStringLiteral("rule 1 'sticky': ttl:")});
    row("ttl not a duration",
        withRules({"  - {name: sticky, type: affinity, cookie: uc_region, ttl: soon}"}),
        {QStringLiteral("rule 1 'sticky': ttl:")});
    row("two affinity rules",
        withRules({"  - {name: a, type: affinity, cookie: a}",
                   "  - {name: b, type: affinity, header: b}"}),
        {QStringLiteral("rules: at most one affinity rule")});
    row("min-samples out of range", withRules({"  - {name: fast, type: latency, min-samples: 0}"}),
        {QStringLiteral("rule 1 'fast': min-samples: a whole number from 1 to 1000")});
    row("hedging budget out of range",
        yamlLines({"version: 1", "name: x", "rules:", "  - {name: near, type: geo-proximity}",
                   "hedging: {enabled: true, budget: 0.9}"}),
        {QStringLiteral("hedging: budget: a share of traffic above 0 and at most 0.5")});
    row("hedging enabled not boolean",
        yamlLines({"version: 1", "name: x", "rules:", "  - {name: near, type: geo-proximity}",
                   "hedging: {enabled: perhaps}"}),
        {QStringLiteral("hedging: enabled: true or false")});
    row("hedging delays inverted",
        yamlLines({"version: 1", "name: x", "rules:", "  - {name: near, type: geo-proximity}",
                   "hedging: {min-delay: 3s, max-delay: 1s}"}),
        {QStringLiteral("hedging: min-delay must not exceed max-delay")});
    row("hedging unknown field",
        yamlLines({"version: 1", "name: x", "rules:", "  - {name: near, type: geo-proximity}",
                   "hedging: {copies: 2}"}),
        {QStringLiteral("hedging: unknown field 'copies'")});
    row("unknown version",
        yamlLines({"version: 2", "name: x", "rules:", "  - {name: near, type: geo-proximity}"}),
        {QStringLiteral("version: a whole number from 1 to 1")});
    row("no rules", yamlLines({"version: 1", "name: x", "rules: []"}),
        {QStringLiteral("rules: a non-empty list is required")});
    row("not a mapping", yamlLines({"- version: 1"}),
        {QStringLiteral("the file must be a mapping")});
    row("unknown region in regions",
        yamlLines({"version: 1", "name: x", "regions: [us-east-1, moon-base-1]",
                   "rules:", "  - {name: near, type: geo-proximity}"}),
        {QStringLiteral("regions[1]: unknown region 'moon-base-1'")});
}

void TrafficPolicyTest::errorsNameRuleAndField()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QStringList, fragments);
    const auto parsed = parseTrafficPolicy(yaml, RegionCatalog::builtin());
    QVERIFY2(!parsed.ok(), "the policy was accepted");
    QCOMPARE(parsed.error().code, ErrorCode::InvalidInput);
    const QString message = parsed.error().message;
    QVERIFY2(message.startsWith(QStringLiteral("traffic policy: ")), qPrintable(message));
    for (const QString &fragment : fragments)
        QVERIFY2(message.contains(fragment),
                 qPrintable(QStringLiteral("'%1' not in: %2").arg(fragment, message)));
}

void TrafficPolicyTest::emptyFileIsRefused()
{
    QVERIFY(errorOf(QByteArray()).contains(QStringLiteral("the file is empty")));
    QVERIFY(errorOf(QByteArray(" \n\n  \t\n")).contains(QStringLiteral("the file is empty")));
}

void TrafficPolicyTest::oversizedFileIsRefused()
{
    // A valid policy padded with a comment past 256 KiB: refused before parsing.
    QByteArray yaml = withRules({"  - {name: nearest, type: geo-proximity}"});
    QVERIFY(parseTrafficPolicy(yaml, RegionCatalog::builtin()).ok());
    yaml += "# " + QByteArray(kMaxPolicyBytes, 'x') + '\n';
    const QString error = errorOf(yaml);
    QVERIFY2(error.contains(QStringLiteral("at most 262144 are accepted")), qPrintable(error));
}

void TrafficPolicyTest::syntaxErrorNamesTheLine()
{
    const QString error = errorOf(yamlLines({
        "version: 1",
        "name: broken",
        "rules:",
        "  - name: nearest",
        "    type: [geo-proximity",
        "  - name: other",
    }));
    QVERIFY2(error.startsWith(QStringLiteral("traffic policy: line ")), qPrintable(error));
    // yaml-cpp reports where it noticed the unclosed flow sequence: on or after line 5.
    const int line = error.section(QLatin1Char(' '), 3, 3).remove(QLatin1Char(',')).toInt();
    QVERIFY2(line >= 5 && line <= 7, qPrintable(error));

    const QString tab = errorOf(yamlLines({"version: 1", "name: x", "rules:", "\t- name: a"}));
    QVERIFY2(tab.startsWith(QStringLiteral("traffic policy: line 4")), qPrintable(tab));
}

void TrafficPolicyTest::tooManyRulesAreRefused()
{
    QByteArray yaml = yamlLines({"version: 1", "name: many", "rules:"});
    for (int i = 0; i <= kMaxRules; ++i)
        yaml += "  - {name: rule-" + QByteArray::number(i) + ", type: geo-proximity}\n";
    QVERIFY(errorOf(yaml).contains(QStringLiteral("rules: at most 64")));
}

void TrafficPolicyTest::ruleKindNamesRoundTrip()
{
    QCOMPARE(ruleKindName(RuleKind::IpAllow), QStringLiteral("ip-allow"));
    QCOMPARE(ruleKindName(RuleKind::IpDeny), QStringLiteral("ip-deny"));
    QCOMPARE(ruleKindName(RuleKind::GeoFence), QStringLiteral("geo-fence"));
    QCOMPARE(ruleKindName(RuleKind::Affinity), QStringLiteral("affinity"));
    QCOMPARE(ruleKindName(RuleKind::Weighted), QStringLiteral("weighted"));
    QCOMPARE(ruleKindName(RuleKind::Latency), QStringLiteral("latency"));
    QCOMPARE(ruleKindName(RuleKind::GeoProximity), QStringLiteral("geo-proximity"));
    QCOMPARE(ruleKindName(RuleKind::Failover), QStringLiteral("failover"));
}

QTEST_GUILESS_MAIN(TrafficPolicyTest)
#include "test_traffic_policy.moc"
