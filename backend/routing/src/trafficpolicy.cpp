#include "upcoach/routing/trafficpolicy.h"

#include "upcoach/core/config.h"

#include <QFile>
#include <QRegularExpression>
#include <algorithm>
#include <set>
#include <yaml-cpp/yaml.h>

namespace upcoach::routing {

namespace {

struct PolicyError
{
    QString where;
    QString problem;
};

Error policyError(const QString &where, const QString &problem)
{
    return Error{ErrorCode::InvalidInput,
                 QStringLiteral("traffic policy: ") +
                     (where.isEmpty() ? problem : where + QStringLiteral(": ") + problem)};
}

QString str(const YAML::Node &node)
{
    return QString::fromStdString(node.as<std::string>());
}

bool isScalar(const YAML::Node &node)
{
    return node && node.IsScalar();
}

Status onlyKnownKeys(const YAML::Node &map, const QString &where,
                     std::initializer_list<const char *> known)
{
    for (const auto &entry : map) {
        if (!entry.first.IsScalar())
            return policyError(where, QStringLiteral("keys must be plain names"));
        const std::string key = entry.first.as<std::string>();
        if (std::none_of(known.begin(), known.end(), [&](const char *k) { return key == k; })) {
            QStringList names;
            for (const char *k : known)
                names << QLatin1String(k);
            return policyError(where, QStringLiteral("unknown field '%1' (expected one of: %2)")
                                          .arg(QString::fromStdString(key).left(64),
                                               names.join(QStringLiteral(", "))));
        }
    }
    return {};
}

Result<QString> requiredString(const YAML::Node &node, const QString &where, const char *field,
                               int maxLength = 200)
{
    const YAML::Node value = node[field];
    if (!isScalar(value) || value.as<std::string>().empty())
        return policyError(
            where, QStringLiteral("%1: a non-empty text is required").arg(QLatin1String(field)));
    const QString text = str(value);
    if (text.size() > maxLength)
        return policyError(
            where,
            QStringLiteral("%1: at most %2 characters").arg(QLatin1String(field)).arg(maxLength));
    return text;
}

Result<long long> integerIn(const YAML::Node &value, const QString &where, const QString &field,
                            long long low, long long high)
{
    bool ok = false;
    const long long number = isScalar(value) ? str(value).toLongLong(&ok) : 0;
    if (!ok || number < low || number > high)
        return policyError(where, QStringLiteral("%1: a whole number from %2 to %3 is required")
                                      .arg(field)
                                      .arg(low)
                                      .arg(high));
    return number;
}

Result<std::vector<QString>> stringList(const YAML::Node &node, const QString &where,
                                        const QString &field)
{
    if (!node.IsSequence())
        return policyError(where, QStringLiteral("%1: a list is required").arg(field));
    if (node.size() > static_cast<std::size_t>(kMaxListEntries))
        return policyError(
            where, QStringLiteral("%1: at most %2 entries").arg(field).arg(kMaxListEntries));
    std::vector<QString> items;
    for (std::size_t i = 0; i < node.size(); ++i) {
        if (!isScalar(node[i]) || node[i].as<std::string>().empty())
            return policyError(
                where, QStringLiteral("%1[%2]: a non-empty text is required").arg(field).arg(i));
        items.push_back(str(node[i]));
    }
    return items;
}

Result<std::vector<CountryCode>> countryList(const YAML::Node &node, const QString &where,
                                             const QString &field)
{
    auto items = stringList(node, where, field);
    if (!items)
        return items.error();
    std::vector<CountryCode> codes;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const QString &text = items->at(i);
        const CountryCode code = CountryCode::fromString(text);
        if (!code.valid() || text != text.toUpper())
            return policyError(where,
                               QStringLiteral("%1[%2]: '%3' is not an ISO 3166-1 alpha-2 country "
                                              "code (two capital letters, e.g. DE)")
                                   .arg(field)
                                   .arg(i)
                                   .arg(text.left(16)));
        codes.push_back(code);
    }
    return codes;
}

Result<int> regionIndex(const TrafficPolicy &policy, const QString &regionId, const QString &where,
                        const QString &field)
{
    const int index = policy.regionIndex(regionId);
    if (index < 0) {
        QStringList known;
        for (const QString &id : policy.regions)
            known << id;
        return policyError(where, QStringLiteral("%1: unknown region '%2' (known: %3)")
                                      .arg(field, regionId.left(64), known.join(u", ")));
    }
    return index;
}

Result<RegionMask> regionMask(const TrafficPolicy &policy, const YAML::Node &node,
                              const QString &where, const QString &field)
{
    auto ids = stringList(node, where, field);
    if (!ids)
        return ids.error();
    if (ids->empty())
        return policyError(where, QStringLiteral("%1: name at least one region").arg(field));
    RegionMask mask = 0;
    for (std::size_t i = 0; i < ids->size(); ++i) {
        auto index =
            regionIndex(policy, ids->at(i), where, QStringLiteral("%1[%2]").arg(field).arg(i));
        if (!index)
            return index.error();
        mask |= 1u << index.value();
    }
    return mask;
}

Result<std::chrono::milliseconds> durationIn(const YAML::Node &value, const QString &where,
                                             const QString &field, std::chrono::milliseconds low,
                                             std::chrono::milliseconds high)
{
    if (!isScalar(value))
        return policyError(
            where, QStringLiteral("%1: a duration such as 30s or 5m is required").arg(field));
    auto duration = parseDuration(str(value));
    if (!duration)
        return policyError(where, field + QStringLiteral(": ") + duration.error().message);
    if (duration.value() < low || duration.value() > high)
        return policyError(where, QStringLiteral("%1: must be between %2 ms and %3 ms")
                                      .arg(field)
                                      .arg(low.count())
                                      .arg(high.count()));
    return duration.value();
}

Status parseCondition(const YAML::Node &node, const QString &where, RuleCondition &condition)
{
    const QString at = where + QStringLiteral(": when");
    if (!node.IsMap())
        return policyError(at, QStringLiteral("a mapping of countries, path-prefixes, tenants is "
                                              "required"));
    if (auto s = onlyKnownKeys(node, at, {"countries", "path-prefixes", "tenants"}); !s)
        return s;
    if (node["countries"]) {
        auto codes = countryList(node["countries"], at, QStringLiteral("countries"));
        if (!codes)
            return codes.error();
        condition.countries = codes.value();
    }
    if (node["path-prefixes"]) {
        auto prefixes = stringList(node["path-prefixes"], at, QStringLiteral("path-prefixes"));
        if (!prefixes)
            return prefixes.error();
        for (std::size_t i = 0; i < prefixes->size(); ++i) {
            if (!prefixes->at(i).startsWith(u'/'))
                return policyError(at,
                                   QStringLiteral("path-prefixes[%1]: must start with '/'").arg(i));
            condition.pathPrefixes.push_back(prefixes->at(i).toStdString());
        }
    }
    if (node["tenants"]) {
        auto slugs = stringList(node["tenants"], at, QStringLiteral("tenants"));
        if (!slugs)
            return slugs.error();
        static const QRegularExpression slugPattern(
            QStringLiteral("^[a-z][a-z0-9-]{1,61}[a-z0-9]$"));
        for (std::size_t i = 0; i < slugs->size(); ++i) {
            if (!slugPattern.match(slugs->at(i)).hasMatch())
                return policyError(at, QStringLiteral("tenants[%1]: '%2' is not a tenant slug")
                                           .arg(i)
                                           .arg(slugs->at(i).left(64)));
            condition.tenants.push_back(slugs->at(i).toStdString());
        }
    }
    return {};
}

Status parseIpRule(const YAML::Node &node, const QString &where, PolicyRule &rule)
{
    if (auto s = onlyKnownKeys(node, where, {"name", "type", "when", "cidrs"}); !s)
        return s;
    if (!node["cidrs"])
        return policyError(where, QStringLiteral("cidrs: a list of networks is required"));
    auto texts = stringList(node["cidrs"], where, QStringLiteral("cidrs"));
    if (!texts)
        return texts.error();
    if (texts->empty())
        return policyError(where, QStringLiteral("cidrs: name at least one network"));
    for (std::size_t i = 0; i < texts->size(); ++i) {
        const QByteArray latin = texts->at(i).toLatin1();
        auto block = Cidr::parse(
            std::string_view(latin.constData(), static_cast<std::size_t>(latin.size())));
        if (!block)
            return policyError(where, QStringLiteral("cidrs[%1]: ").arg(i) + block.error().message);
        rule.cidrs.push_back(block.value());
    }
    rule.cidrSet = CidrSet(rule.cidrs);
    return {};
}

Status parseGeoFence(const TrafficPolicy &policy, const YAML::Node &node, const QString &where,
                     PolicyRule &rule)
{
    if (auto s = onlyKnownKeys(
            node, where,
            {"name", "type", "when", "allow-countries", "deny-countries", "allow-regions"});
        !s)
        return s;
    if (node["allow-countries"]) {
        auto codes = countryList(node["allow-countries"], where, QStringLiteral("allow-countries"));
        if (!codes)
            return codes.error();
        rule.allowCountries = codes.value();
    }
    if (node["deny-countries"]) {
        auto codes = countryList(node["deny-countries"], where, QStringLiteral("deny-countries"));
        if (!codes)
            return codes.error();
        rule.denyCountries = codes.value();
    }
    if (node["allow-regions"]) {
        auto mask =
            regionMask(policy, node["allow-regions"], where, QStringLiteral("allow-regions"));
        if (!mask)
            return mask.error();
        rule.allowRegions = mask.value();
    }
    if (rule.allowCountries.empty() && rule.denyCountries.empty() && rule.allowRegions == 0)
        return policyError(where, QStringLiteral("give allow-countries, deny-countries or "
                                                 "allow-regions"));
    for (const CountryCode &code : rule.allowCountries) {
        if (std::find(rule.denyCountries.begin(), rule.denyCountries.end(), code) !=
            rule.denyCountries.end())
            return policyError(
                where, QStringLiteral("%1 is both allowed and denied").arg(code.toString()));
    }
    return {};
}

Status parseAffinity(const YAML::Node &node, const QString &where, PolicyRule &rule)
{
    if (auto s = onlyKnownKeys(node, where, {"name", "type", "when", "cookie", "header", "ttl"});
        !s)
        return s;
    static const QRegularExpression token(QStringLiteral("^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$"));
    if (node["cookie"]) {
        auto name = requiredString(node, where, "cookie", 64);
        if (!name)
            return name.error();
        if (!token.match(name.value()).hasMatch())
            return policyError(
                where, QStringLiteral("cookie: '%1' is not a valid cookie name").arg(name.value()));
        rule.cookie = name.value();
    }
    if (node["header"]) {
        auto name = requiredString(node, where, "header", 64);
        if (!name)
            return name.error();
        if (!token.match(name.value()).hasMatch())
            return policyError(
                where, QStringLiteral("header: '%1' is not a valid header name").arg(name.value()));
        rule.header = name.value().toLower();
    }
    if (rule.cookie.isEmpty() == rule.header.isEmpty())
        return policyError(where, QStringLiteral("give exactly one of cookie and header"));
    if (node["ttl"]) {
        auto ttl = durationIn(node["ttl"], where, QStringLiteral("ttl"), std::chrono::seconds(10),
                              std::chrono::hours(24 * 7));
        if (!ttl)
            return ttl.error();
        rule.ttl = std::chrono::duration_cast<std::chrono::seconds>(ttl.value());
    }
    return {};
}

Status parseWeighted(const TrafficPolicy &policy, const YAML::Node &node, const QString &where,
                     PolicyRule &rule)
{
    if (auto s = onlyKnownKeys(node, where, {"name", "type", "when", "weights", "hash-by"}); !s)
        return s;
    const YAML::Node weights = node["weights"];
    if (!weights || !weights.IsMap() || weights.size() == 0)
        return policyError(where, QStringLiteral("weights: a mapping of region → weight is "
                                                 "required"));
    std::uint64_t total = 0;
    for (const auto &entry : weights) {
        const QString regionId = str(entry.first);
        const QString field = QStringLiteral("weights.") + regionId.left(64);
        auto index = regionIndex(policy, regionId, where, field);
        if (!index)
            return index.error();
        auto weight = integerIn(entry.second, where, field, 0, 1000000);
        if (!weight)
            return weight.error();
        rule.weights[static_cast<std::size_t>(index.value())] =
            static_cast<std::uint32_t>(weight.value());
        total += static_cast<std::uint64_t>(weight.value());
    }
    if (total == 0)
        return policyError(where, QStringLiteral("weights: at least one weight must be above 0"));
    if (node["hash-by"]) {
        const QString by = isScalar(node["hash-by"]) ? str(node["hash-by"]) : QString();
        if (by != u"client-network" && by != u"session")
            return policyError(where, QStringLiteral("hash-by: must be client-network or "
                                                     "session"));
        rule.hashBySession = by == u"session";
    }
    return {};
}

Status parseLatency(const YAML::Node &node, const QString &where, PolicyRule &rule)
{
    if (auto s = onlyKnownKeys(node, where, {"name", "type", "when", "min-samples"}); !s)
        return s;
    if (node["min-samples"]) {
        auto samples =
            integerIn(node["min-samples"], where, QStringLiteral("min-samples"), 1, 1000);
        if (!samples)
            return samples.error();
        rule.minSamples = static_cast<int>(samples.value());
    }
    return {};
}

Status parseGeoProximity(const TrafficPolicy &policy, const YAML::Node &node, const QString &where,
                         PolicyRule &rule)
{
    if (auto s = onlyKnownKeys(node, where, {"name", "type", "when", "bias"}); !s)
        return s;
    if (const YAML::Node bias = node["bias"]) {
        if (!bias.IsMap())
            return policyError(where, QStringLiteral("bias: a mapping of region → -99..99 is "
                                                     "required"));
        for (const auto &entry : bias) {
            const QString regionId = str(entry.first);
            const QString field = QStringLiteral("bias.") + regionId.left(64);
            auto index = regionIndex(policy, regionId, where, field);
            if (!index)
                return index.error();
            auto value = integerIn(entry.second, where, field, -99, 99);
            if (!value)
                return value.error();
            rule.bias[static_cast<std::size_t>(index.value())] = static_cast<int>(value.value());
        }
    }
    return {};
}

Status parseFailover(const TrafficPolicy &policy, const YAML::Node &node, const QString &where,
                     PolicyRule &rule)
{
    if (auto s = onlyKnownKeys(node, where, {"name", "type", "when", "chains"}); !s)
        return s;
    const YAML::Node chains = node["chains"];
    if (!chains || !chains.IsMap() || chains.size() == 0)
        return policyError(where, QStringLiteral("chains: a mapping of region → [regions that "
                                                 "take over, in order] is required"));
    for (const auto &entry : chains) {
        const QString regionId = str(entry.first);
        const QString field = QStringLiteral("chains.") + regionId.left(64);
        auto index = regionIndex(policy, regionId, where, field);
        if (!index)
            return index.error();
        auto ids = stringList(entry.second, where, field);
        if (!ids)
            return ids.error();
        if (ids->empty())
            return policyError(where, field + QStringLiteral(": name at least one region"));
        auto &chain = rule.chains[static_cast<std::size_t>(index.value())];
        for (std::size_t i = 0; i < ids->size(); ++i) {
            const QString itemField = QStringLiteral("%1[%2]").arg(field).arg(i);
            auto target = regionIndex(policy, ids->at(i), where, itemField);
            if (!target)
                return target.error();
            if (target.value() == index.value())
                return policyError(where, itemField + QStringLiteral(": a region cannot take "
                                                                     "over from itself"));
            if (std::find(chain.begin(), chain.end(), target.value()) != chain.end())
                return policyError(where, itemField + QStringLiteral(": listed twice"));
            chain.push_back(static_cast<std::uint8_t>(target.value()));
        }
    }
    return {};
}

Status parseHedging(const YAML::Node &node, HedgingPolicy &hedging)
{
    const QString where = QStringLiteral("hedging");
    if (!node.IsMap())
        return policyError(where, QStringLiteral("a mapping is required"));
    if (auto s = onlyKnownKeys(node, where,
                               {"enabled", "budget", "percentile", "min-delay", "max-delay"});
        !s)
        return s;
    if (node["enabled"]) {
        const QString value = isScalar(node["enabled"]) ? str(node["enabled"]) : QString();
        if (value != u"true" && value != u"false")
            return policyError(where, QStringLiteral("enabled: true or false"));
        hedging.enabled = value == u"true";
    }
    if (node["budget"]) {
        bool ok = false;
        const double budget = isScalar(node["budget"]) ? str(node["budget"]).toDouble(&ok) : 0;
        if (!ok || !(budget > 0) || budget > 0.5)
            return policyError(where, QStringLiteral("budget: a share of traffic above 0 and at "
                                                     "most 0.5 (e.g. 0.05 for 5%)"));
        hedging.budget = budget;
    }
    if (node["percentile"]) {
        auto percentile =
            integerIn(node["percentile"], where, QStringLiteral("percentile"), 50, 99);
        if (!percentile)
            return percentile.error();
        hedging.percentile = static_cast<int>(percentile.value());
    }
    if (node["min-delay"]) {
        auto delay = durationIn(node["min-delay"], where, QStringLiteral("min-delay"),
                                std::chrono::milliseconds(1), std::chrono::seconds(60));
        if (!delay)
            return delay.error();
        hedging.minDelay = delay.value();
    }
    if (node["max-delay"]) {
        auto delay = durationIn(node["max-delay"], where, QStringLiteral("max-delay"),
                                std::chrono::milliseconds(1), std::chrono::seconds(60));
        if (!delay)
            return delay.error();
        hedging.maxDelay = delay.value();
    }
    if (hedging.minDelay > hedging.maxDelay)
        return policyError(where, QStringLiteral("min-delay must not exceed max-delay"));
    return {};
}

const std::pair<const char *, RuleKind> kKinds[] = {
    {"ip-allow", RuleKind::IpAllow},           {"ip-deny", RuleKind::IpDeny},
    {"geo-fence", RuleKind::GeoFence},         {"affinity", RuleKind::Affinity},
    {"weighted", RuleKind::Weighted},          {"latency", RuleKind::Latency},
    {"geo-proximity", RuleKind::GeoProximity}, {"failover", RuleKind::Failover},
};

Result<TrafficPolicy> parseDocument(const YAML::Node &root, const RegionCatalog &catalog)
{
    if (!root.IsMap())
        return policyError({}, QStringLiteral("the file must be a mapping with version, name "
                                              "and rules"));
    if (auto s = onlyKnownKeys(root, {},
                               {"version", "name", "description", "regions", "rules", "hedging"});
        !s)
        return s.error();
    TrafficPolicy policy;
    auto version = integerIn(root["version"], {}, QStringLiteral("version"), 1, 1);
    if (!version)
        return version.error();
    auto name = requiredString(root, {}, "name", 100);
    if (!name)
        return name.error();
    policy.name = name.value();
    if (root["description"]) {
        auto description = requiredString(root, {}, "description", 2000);
        if (!description)
            return description.error();
        policy.description = description.value();
    }
    if (root["regions"]) {
        auto ids = stringList(root["regions"], {}, QStringLiteral("regions"));
        if (!ids)
            return ids.error();
        if (ids->empty())
            return policyError({}, QStringLiteral("regions: name at least one region"));
        for (std::size_t i = 0; i < ids->size(); ++i) {
            if (!catalog.find(ids->at(i)))
                return policyError({}, QStringLiteral("regions[%1]: unknown region '%2'")
                                           .arg(i)
                                           .arg(ids->at(i).left(64)));
        }
        // Catalog order, so region indices mean the same in every policy over the same set.
        for (const Region &region : catalog.regions()) {
            if (std::find(ids->begin(), ids->end(), region.id) != ids->end())
                policy.regions.push_back(region.id);
        }
    } else {
        for (const Region &region : catalog.regions())
            policy.regions.push_back(region.id);
    }
    if (policy.regions.size() > static_cast<std::size_t>(kMaxRegions))
        return policyError({}, QStringLiteral("regions: at most %1").arg(kMaxRegions));

    const YAML::Node rules = root["rules"];
    if (!rules || !rules.IsSequence() || rules.size() == 0)
        return policyError({}, QStringLiteral("rules: a non-empty list is required"));
    if (rules.size() > static_cast<std::size_t>(kMaxRules))
        return policyError({}, QStringLiteral("rules: at most %1").arg(kMaxRules));
    std::set<QString> names;
    static const QRegularExpression namePattern(QStringLiteral("^[a-z0-9][a-z0-9-]{0,62}$"));
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const YAML::Node node = rules[i];
        QString where = QStringLiteral("rule %1").arg(i + 1);
        if (!node.IsMap())
            return policyError(where, QStringLiteral("a mapping with name and type is required"));
        auto ruleName = requiredString(node, where, "name", 63);
        if (!ruleName)
            return ruleName.error();
        if (!namePattern.match(ruleName.value()).hasMatch())
            return policyError(where, QStringLiteral("name: lower-case letters, digits and '-' "
                                                     "only"));
        where += QStringLiteral(" '") + ruleName.value() + u'\'';
        if (!names.insert(ruleName.value()).second)
            return policyError(where, QStringLiteral("name: another rule has this name"));
        auto type = requiredString(node, where, "type", 32);
        if (!type)
            return type.error();
        PolicyRule rule;
        rule.name = ruleName.value();
        const auto kind = std::find_if(std::begin(kKinds), std::end(kKinds), [&](const auto &k) {
            return type.value() == QLatin1String(k.first);
        });
        if (kind == std::end(kKinds)) {
            QStringList known;
            for (const auto &k : kKinds)
                known << QLatin1String(k.first);
            return policyError(where, QStringLiteral("type: unknown rule type '%1' (known: %2)")
                                          .arg(type.value(), known.join(u", ")));
        }
        rule.kind = kind->second;
        if (node["when"]) {
            if (auto s = parseCondition(node["when"], where, rule.when); !s)
                return s.error();
        }
        Status parsed;
        switch (rule.kind) {
        case RuleKind::IpAllow:
        case RuleKind::IpDeny:
            parsed = parseIpRule(node, where, rule);
            break;
        case RuleKind::GeoFence:
            parsed = parseGeoFence(policy, node, where, rule);
            break;
        case RuleKind::Affinity:
            parsed = parseAffinity(node, where, rule);
            break;
        case RuleKind::Weighted:
            parsed = parseWeighted(policy, node, where, rule);
            break;
        case RuleKind::Latency:
            parsed = parseLatency(node, where, rule);
            break;
        case RuleKind::GeoProximity:
            parsed = parseGeoProximity(policy, node, where, rule);
            break;
        case RuleKind::Failover:
            parsed = parseFailover(policy, node, where, rule);
            break;
        }
        if (!parsed)
            return parsed.error();
        policy.rules.push_back(std::move(rule));
    }
    const int affinityRules = static_cast<int>(
        std::count_if(policy.rules.begin(), policy.rules.end(),
                      [](const PolicyRule &r) { return r.kind == RuleKind::Affinity; }));
    if (affinityRules > 1)
        return policyError(QStringLiteral("rules"), QStringLiteral("at most one affinity rule"));
    if (root["hedging"]) {
        if (auto s = parseHedging(root["hedging"], policy.hedging); !s)
            return s.error();
    }
    return policy;
}

} // namespace

QString ruleKindName(RuleKind kind)
{
    for (const auto &k : kKinds) {
        if (k.second == kind)
            return QLatin1String(k.first);
    }
    return {};
}

int TrafficPolicy::regionIndex(QStringView regionId) const
{
    for (std::size_t i = 0; i < regions.size(); ++i) {
        if (regions[i] == regionId)
            return static_cast<int>(i);
    }
    return -1;
}

const PolicyRule *TrafficPolicy::rule(QStringView ruleName) const
{
    for (const PolicyRule &r : rules) {
        if (r.name == ruleName)
            return &r;
    }
    return nullptr;
}

Result<TrafficPolicy> parseTrafficPolicy(const QByteArray &text, const RegionCatalog &catalog)
{
    if (text.size() > kMaxPolicyBytes)
        return policyError({}, QStringLiteral("the file is %1 bytes; at most %2 are accepted")
                                   .arg(text.size())
                                   .arg(kMaxPolicyBytes));
    if (text.trimmed().isEmpty())
        return policyError({}, QStringLiteral("the file is empty"));
    try {
        const YAML::Node root = YAML::Load(text.toStdString());
        auto policy = parseDocument(root, catalog);
        if (policy)
            policy->source = text;
        return policy;
    } catch (const YAML::Exception &error) {
        return policyError(QStringLiteral("line %1, column %2")
                               .arg(error.mark.line + 1)
                               .arg(error.mark.column + 1),
                           QString::fromStdString(error.msg));
    }
}

QByteArray defaultTrafficPolicySource()
{
    QFile file(QStringLiteral(":/upcoach/traffic-policy.yaml"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.read(kMaxPolicyBytes + 1);
}

Result<TrafficPolicy> defaultTrafficPolicy(const RegionCatalog &catalog)
{
    const QByteArray source = defaultTrafficPolicySource();
    if (source.isEmpty())
        return Error{ErrorCode::Internal,
                     QStringLiteral("the built-in traffic policy is missing from the binary")};
    return parseTrafficPolicy(source, catalog);
}

} // namespace upcoach::routing
