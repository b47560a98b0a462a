#include "trafficpolicymodel.h"

#include "upcoach/routing/countryatlas.h"

#include <QVariantMap>

namespace upcoach::viewmodels {

using routing::CountryAtlas;
using routing::CountryCode;
using routing::PolicyRule;
using routing::RuleKind;

namespace {

QVariantList countries(const std::vector<CountryCode> &codes)
{
    QVariantList list;
    for (const CountryCode &code : codes) {
        const routing::CountryPoint *point = CountryAtlas::builtin().find(code);
        const QString text = code.toString();
        list.append(QVariantMap{{QStringLiteral("code"), text},
                                {QStringLiteral("name"), point ? point->name : text}});
    }
    return list;
}

QStringList strings(const std::vector<std::string> &values)
{
    QStringList list;
    for (const std::string &value : values)
        list.append(QString::fromStdString(value));
    return list;
}

QStringList regionsOf(const routing::TrafficPolicy &policy, routing::RegionMask mask)
{
    QStringList list;
    for (std::size_t i = 0; i < policy.regions.size(); ++i) {
        if (mask & (1u << i))
            list.append(policy.regions[i]);
    }
    return list;
}

} // namespace

TrafficPolicyModel::TrafficPolicyModel(QObject *parent)
    : QAbstractListModel(parent)
{}

int TrafficPolicyModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant TrafficPolicyModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    return value(m_policy->rules[std::size_t(index.row())], index.row() + 1, role);
}

QVariant TrafficPolicyModel::value(const PolicyRule &rule, int position, int role) const
{
    const routing::TrafficPolicy &policy = *m_policy;
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return rule.name;
    case PositionRole:
        return position;
    case KindRole:
        return routing::ruleKindName(rule.kind);
    case AppliesToAllRole:
        return rule.when.countries.empty() && rule.when.pathPrefixes.empty() &&
               rule.when.tenants.empty();
    case CountriesRole:
        return countries(rule.when.countries);
    case PathPrefixesRole:
        return strings(rule.when.pathPrefixes);
    case TenantsRole:
        return strings(rule.when.tenants);
    case CidrsRole: {
        QStringList list;
        for (std::size_t i = 0; i < rule.cidrs.size() && i < std::size_t(kCidrsShown); ++i)
            list.append(rule.cidrs[i].toString());
        return list;
    }
    case CidrCountRole:
        return int(rule.cidrs.size());
    case AllowCountriesRole:
        return countries(rule.allowCountries);
    case DenyCountriesRole:
        return countries(rule.denyCountries);
    case AllowRegionsRole:
        return regionsOf(policy, rule.allowRegions);
    case CookieRole:
        return rule.cookie;
    case HeaderRole:
        return rule.header;
    case TtlSecondsRole:
        return double(rule.ttl.count());
    case WeightsRole:
        return rule.kind == RuleKind::Weighted ? weightsOf(rule.name) : QVariantList();
    case WeightsOverriddenRole: {
        if (rule.kind != RuleKind::Weighted)
            return false;
        const auto found = m_effectiveWeights.find(rule.name);
        if (found == m_effectiveWeights.end())
            return false;
        for (std::size_t i = 0; i < policy.regions.size(); ++i) {
            const auto effective = found->second.find(policy.regions[i]);
            const std::uint32_t weight = effective == found->second.end() ? 0 : effective->second;
            if (weight != rule.weights[i])
                return true;
        }
        return false;
    }
    case HashBySessionRole:
        return rule.hashBySession;
    case MinSamplesRole:
        return rule.minSamples;
    case BiasRole: {
        QVariantList list;
        for (std::size_t i = 0; i < policy.regions.size(); ++i) {
            if (rule.bias[i] != 0)
                list.append(QVariantMap{{QStringLiteral("regionId"), policy.regions[i]},
                                        {QStringLiteral("bias"), rule.bias[i]}});
        }
        return list;
    }
    case ChainsRole: {
        QVariantList list;
        for (std::size_t i = 0; i < policy.regions.size(); ++i) {
            if (rule.chains[i].empty())
                continue;
            QStringList chain;
            for (const std::uint8_t next : rule.chains[i]) {
                if (next < policy.regions.size())
                    chain.append(policy.regions[next]);
            }
            list.append(QVariantMap{{QStringLiteral("regionId"), policy.regions[i]},
                                    {QStringLiteral("chain"), chain}});
        }
        return list;
    }
    default:
        return {};
    }
}

QHash<int, QByteArray> TrafficPolicyModel::roleNames() const
{
    return {
        {PositionRole, "position"},
        {KindRole, "kind"},
        {NameRole, "name"},
        {AppliesToAllRole, "appliesToAll"},
        {CountriesRole, "countries"},
        {PathPrefixesRole, "pathPrefixes"},
        {TenantsRole, "tenants"},
        {CidrsRole, "cidrs"},
        {CidrCountRole, "cidrCount"},
        {AllowCountriesRole, "allowCountries"},
        {DenyCountriesRole, "denyCountries"},
        {AllowRegionsRole, "allowRegions"},
        {CookieRole, "cookie"},
        {HeaderRole, "header"},
        {TtlSecondsRole, "ttlSeconds"},
        {WeightsRole, "weights"},
        {WeightsOverriddenRole, "weightsOverridden"},
        {HashBySessionRole, "hashBySession"},
        {MinSamplesRole, "minSamples"},
        {BiasRole, "bias"},
        {ChainsRole, "chains"},
    };
}

QString TrafficPolicyModel::name() const
{
    return m_policy ? m_policy->name : QString();
}

QString TrafficPolicyModel::description() const
{
    return m_policy ? m_policy->description : QString();
}

int TrafficPolicyModel::version() const
{
    return m_policy ? m_policy->version : -1;
}

QStringList TrafficPolicyModel::regions() const
{
    QStringList list;
    if (m_policy) {
        for (const QString &region : m_policy->regions)
            list.append(region);
    }
    return list;
}

QString TrafficPolicyModel::source() const
{
    return m_policy ? QString::fromUtf8(m_policy->source) : QString();
}

QStringList TrafficPolicyModel::weightedRules() const
{
    QStringList list;
    if (m_policy) {
        for (const PolicyRule &rule : m_policy->rules) {
            if (rule.kind == RuleKind::Weighted)
                list.append(rule.name);
        }
    }
    return list;
}

bool TrafficPolicyModel::hedgingEnabled() const
{
    return m_policy && m_policy->hedging.enabled;
}

double TrafficPolicyModel::hedgeBudgetPercent() const
{
    return m_policy ? m_policy->hedging.budget * 100 : -1;
}

int TrafficPolicyModel::hedgePercentile() const
{
    return m_policy ? m_policy->hedging.percentile : -1;
}

double TrafficPolicyModel::hedgeMinDelayMs() const
{
    return m_policy ? double(m_policy->hedging.minDelay.count()) : -1;
}

double TrafficPolicyModel::hedgeMaxDelayMs() const
{
    return m_policy ? double(m_policy->hedging.maxDelay.count()) : -1;
}

double TrafficPolicyModel::hedgeWinPercent() const
{
    if (!m_windowKnown || m_totals.hedgesSent == 0)
        return -1;
    return 100.0 * double(m_totals.hedgesWon) / double(m_totals.hedgesSent);
}

double TrafficPolicyModel::averageSavedMs() const
{
    if (!m_windowKnown || m_totals.hedgesWon == 0)
        return -1;
    return m_totals.latencySavedMs / double(m_totals.hedgesWon);
}

double TrafficPolicyModel::hedgedPercent() const
{
    if (m_counters.decisions == 0)
        return -1;
    return 100.0 * double(m_counters.hedgesSent) / double(m_counters.decisions);
}

QVariantList TrafficPolicyModel::weightsOf(const QString &ruleName) const
{
    QVariantList list;
    const PolicyRule *rule = m_policy ? m_policy->rule(ruleName) : nullptr;
    if (!rule || rule->kind != RuleKind::Weighted)
        return list;
    const auto effective = m_effectiveWeights.find(ruleName);
    std::vector<std::uint32_t> weights;
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < m_policy->regions.size(); ++i) {
        std::uint32_t weight = rule->weights[i];
        if (effective != m_effectiveWeights.end()) {
            const auto found = effective->second.find(m_policy->regions[i]);
            weight = found == effective->second.end() ? 0 : found->second;
        }
        weights.push_back(weight);
        total += weight;
    }
    for (std::size_t i = 0; i < m_policy->regions.size(); ++i) {
        list.append(QVariantMap{
            {QStringLiteral("regionId"), m_policy->regions[i]},
            {QStringLiteral("weight"), double(weights[i])},
            {QStringLiteral("policyWeight"), double(rule->weights[i])},
            {QStringLiteral("percent"), total > 0 ? 100.0 * double(weights[i]) / double(total) : 0},
        });
    }
    return list;
}

void TrafficPolicyModel::apply(const TrafficFrame &frame)
{
    std::map<QString, std::map<QString, std::uint32_t>> effective;
    for (const TrafficRegionRow &region : frame.regions) {
        for (const QVariant &entry : region.weights) {
            const QVariantMap weight = entry.toMap();
            effective[weight.value(QStringLiteral("rule")).toString()][region.regionId] =
                weight.value(QStringLiteral("weight")).toUInt();
        }
    }

    if (frame.policy && frame.policy != m_policy) {
        beginResetModel();
        m_policy = frame.policy;
        m_effectiveWeights = std::move(effective);
        endResetModel();
        Q_EMIT policyChanged();
    } else if (effective != m_effectiveWeights) {
        m_effectiveWeights = std::move(effective);
        for (int row = 0; row < count(); ++row) {
            if (m_policy->rules[std::size_t(row)].kind == RuleKind::Weighted)
                Q_EMIT dataChanged(index(row), index(row), {WeightsRole, WeightsOverriddenRole});
        }
    }

    m_counters = frame.hedgeCounters;
    m_totals = frame.totals;
    m_windowKnown = true;
    Q_EMIT countersChanged();
}

} // namespace upcoach::viewmodels
