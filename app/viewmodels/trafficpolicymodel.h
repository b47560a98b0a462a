// The active traffic policy, readably: one row per rule in evaluation order with its kind, name,
// condition (`when`: countries, path prefixes, tenants) and what it does as structured values
// (the page words them), plus the policy's name, description, source text, hedging settings and
// the hedging figures (since start from the router; the last minute from the analytics).
//
// GUI thread only. A different policy replaces the rows (reset); new effective weights (an
// operator's override) change the weighted rows in place.
#pragma once

#include "trafficframe.h"

#include <QAbstractListModel>
#include <QStringList>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>
#include <memory>

namespace upcoach::viewmodels {

class TrafficPolicyModel final : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("part of TrafficWorkspace")

    Q_PROPERTY(int count READ count NOTIFY policyChanged)
    Q_PROPERTY(bool ready READ ready NOTIFY policyChanged)
    Q_PROPERTY(QString name READ name NOTIFY policyChanged)
    Q_PROPERTY(QString description READ description NOTIFY policyChanged)
    Q_PROPERTY(int version READ version NOTIFY policyChanged)
    Q_PROPERTY(QStringList regions READ regions NOTIFY policyChanged)
    Q_PROPERTY(QString source READ source NOTIFY policyChanged)
    // Names of the weighted rules (the ones whose weights an operator may set).
    Q_PROPERTY(QStringList weightedRules READ weightedRules NOTIFY policyChanged)

    Q_PROPERTY(bool hedgingEnabled READ hedgingEnabled NOTIFY policyChanged)
    Q_PROPERTY(double hedgeBudgetPercent READ hedgeBudgetPercent NOTIFY policyChanged)
    Q_PROPERTY(int hedgePercentile READ hedgePercentile NOTIFY policyChanged)
    Q_PROPERTY(double hedgeMinDelayMs READ hedgeMinDelayMs NOTIFY policyChanged)
    Q_PROPERTY(double hedgeMaxDelayMs READ hedgeMaxDelayMs NOTIFY policyChanged)

    // Since the runtime started (the router's counters).
    Q_PROPERTY(double routingDecisions READ routingDecisions NOTIFY countersChanged)
    Q_PROPERTY(double hedgesSentTotal READ hedgesSentTotal NOTIFY countersChanged)
    // The last minute (the analytics): hedges sent and won, latency saved; -1 when unknown.
    Q_PROPERTY(double windowHedgesSent READ windowHedgesSent NOTIFY countersChanged)
    Q_PROPERTY(double windowHedgesWon READ windowHedgesWon NOTIFY countersChanged)
    Q_PROPERTY(double windowLatencySavedMs READ windowLatencySavedMs NOTIFY countersChanged)
    Q_PROPERTY(double hedgeWinPercent READ hedgeWinPercent NOTIFY countersChanged)
    Q_PROPERTY(double averageSavedMs READ averageSavedMs NOTIFY countersChanged)
    // Hedges sent as a share of routing decisions since start (percent; -1 before any).
    Q_PROPERTY(double hedgedPercent READ hedgedPercent NOTIFY countersChanged)

public:
    enum Role
    {
        PositionRole = Qt::UserRole + 1, // 1-based evaluation order
        KindRole,                        // the file's spelling: "geo-proximity", "failover", ...
        NameRole,
        AppliesToAllRole, // no `when`
        CountriesRole,    // [{code, name}]
        PathPrefixesRole, // [string]
        TenantsRole,      // [string]
        CidrsRole,        // ip-allow / ip-deny: the first networks, as text
        CidrCountRole,
        AllowCountriesRole, // geo-fence: [{code, name}]
        DenyCountriesRole,
        AllowRegionsRole, // geo-fence: [region id]; empty: any
        CookieRole,       // affinity
        HeaderRole,
        TtlSecondsRole,
        WeightsRole, // weighted: [{regionId, weight, policyWeight, percent}], effective weights
        WeightsOverriddenRole,
        HashBySessionRole,
        MinSamplesRole, // latency
        BiasRole,       // geo-proximity: [{regionId, bias}] for the regions with a bias
        ChainsRole,     // failover: [{regionId, chain: [region id]}]
    };
    Q_ENUM(Role)

    static constexpr int kCidrsShown = 6;

    explicit TrafficPolicyModel(QObject *parent);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return m_policy ? int(m_policy->rules.size()) : 0; }
    bool ready() const { return m_policy != nullptr; }
    QString name() const;
    QString description() const;
    int version() const;
    QStringList regions() const;
    QString source() const;
    QStringList weightedRules() const;
    bool hedgingEnabled() const;
    double hedgeBudgetPercent() const;
    int hedgePercentile() const;
    double hedgeMinDelayMs() const;
    double hedgeMaxDelayMs() const;

    double routingDecisions() const { return double(m_counters.decisions); }
    double hedgesSentTotal() const { return double(m_counters.hedgesSent); }
    double windowHedgesSent() const { return m_windowKnown ? double(m_totals.hedgesSent) : -1; }
    double windowHedgesWon() const { return m_windowKnown ? double(m_totals.hedgesWon) : -1; }
    double windowLatencySavedMs() const { return m_windowKnown ? m_totals.latencySavedMs : -1; }
    double hedgeWinPercent() const;
    double averageSavedMs() const;
    double hedgedPercent() const;

    // The effective weights of a weighted rule: [{regionId, weight, policyWeight, percent}].
    Q_INVOKABLE QVariantList weightsOf(const QString &rule) const;

    // A frame's policy (a different one resets the rows), its regions' effective weights and
    // the hedge figures.
    void apply(const TrafficFrame &frame);

Q_SIGNALS:
    void policyChanged();
    void countersChanged();

private:
    QVariant value(const routing::PolicyRule &rule, int position, int role) const;

    std::shared_ptr<const routing::TrafficPolicy> m_policy;
    // rule name → region id → effective weight (from RegionTrafficStatus::weights).
    std::map<QString, std::map<QString, std::uint32_t>> m_effectiveWeights;
    routing::Router::HedgeCounters m_counters;
    TrafficTotals m_totals;
    bool m_windowKnown = false;
};

} // namespace upcoach::viewmodels
