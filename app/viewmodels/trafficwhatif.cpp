#include "trafficwhatif.h"

#include "upcoach/core/regioncatalog.h"
#include "upcoach/routing/countryatlas.h"
#include "upcoach/routing/trafficruntime.h"

#include <QCollator>
#include <QFuture>
#include <QVariantMap>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <exception>
#include <map>

namespace upcoach::viewmodels {

namespace {

// Every moving country gets the same line on the map: thin enough that the highlighted
// countries under a bundle of lines stay visible.
constexpr double kFlowWeight = 0.3;

QString nameOf(const RegionCatalog &catalog, const QString &regionId)
{
    if (regionId.isEmpty())
        return {};
    const Region *region = catalog.find(regionId);
    return region ? region->displayName : regionId;
}

// Stranded entries first, then by name.
void sortEntries(QVariantList &entries, const QString &nameKey)
{
    QCollator collator;
    collator.setCaseSensitivity(Qt::CaseInsensitive);
    std::stable_sort(entries.begin(), entries.end(), [&](const QVariant &a, const QVariant &b) {
        const QVariantMap x = a.toMap(), y = b.toMap();
        const bool xNowhere = x.value(QStringLiteral("nowhere")).toBool();
        const bool yNowhere = y.value(QStringLiteral("nowhere")).toBool();
        if (xNowhere != yNowhere)
            return xNowhere;
        return collator.compare(x.value(nameKey).toString(), y.value(nameKey).toString()) < 0;
    });
}

} // namespace

TrafficWhatIf::TrafficWhatIf(QObject *parent)
    : QObject(parent)
{
    m_threads.setMaxThreadCount(1);
}

TrafficWhatIf::~TrafficWhatIf()
{
    m_threads.waitForDone();
}

void TrafficWhatIf::setRuntime(const routing::TrafficRuntime *runtime, const RegionCatalog *catalog)
{
    m_runtime = runtime;
    m_catalog = catalog;
    refresh();
}

TrafficWhatIf::Outcome TrafficWhatIf::describe(const QString &regionId,
                                               const routing::WhatIf &whatIf,
                                               const RegionCatalog &catalog)
{
    Outcome result;
    result.regionId = regionId;
    // destination region id ("" = nowhere) → {countries, tenants}
    std::map<QString, std::pair<int, int>> destinations;
    for (const routing::WhatIfCountry &country : whatIf.countries) {
        const routing::CountryPoint *point =
            routing::CountryAtlas::builtin().find(routing::CountryCode::fromString(country.code));
        const bool nowhere = country.to.isEmpty();
        QVariantMap entry{
            {QStringLiteral("code"), country.code},
            {QStringLiteral("name"), country.name.isEmpty() ? country.code : country.name},
            {QStringLiteral("from"), country.from},
            {QStringLiteral("fromName"), nameOf(catalog, country.from)},
            {QStringLiteral("to"), country.to},
            {QStringLiteral("toName"), nameOf(catalog, country.to)},
            {QStringLiteral("nowhere"), nowhere},
            {QStringLiteral("latitude"), point ? point->latitude : 0.0},
            {QStringLiteral("longitude"), point ? point->longitude : 0.0},
        };
        result.countries.append(entry);
        result.countryCodes.append(country.code);
        ++destinations[country.to].first;
        if (nowhere) {
            result.strandedCodes.append(country.code);
            continue;
        }
        const Region *to = catalog.find(country.to);
        if (point && to) {
            result.flows.append(QVariantMap{
                {QStringLiteral("fromLatitude"), point->latitude},
                {QStringLiteral("fromLongitude"), point->longitude},
                {QStringLiteral("toLatitude"), to->latitude},
                {QStringLiteral("toLongitude"), to->longitude},
                {QStringLiteral("weight"), kFlowWeight},
                {QStringLiteral("country"), country.code},
                {QStringLiteral("regionId"), country.to},
            });
        }
    }
    for (const routing::WhatIfTenant &tenant : whatIf.tenants) {
        const bool nowhere = tenant.to.isEmpty();
        result.tenants.append(QVariantMap{
            {QStringLiteral("slug"), tenant.slug},
            {QStringLiteral("displayName"),
             tenant.displayName.isEmpty() ? tenant.slug : tenant.displayName},
            {QStringLiteral("from"), tenant.from},
            {QStringLiteral("fromName"), nameOf(catalog, tenant.from)},
            {QStringLiteral("to"), tenant.to},
            {QStringLiteral("toName"), nameOf(catalog, tenant.to)},
            {QStringLiteral("nowhere"), nowhere},
        });
        ++destinations[tenant.to].second;
        if (nowhere)
            ++result.strandedTenants;
    }
    sortEntries(result.countries, QStringLiteral("name"));
    sortEntries(result.tenants, QStringLiteral("displayName"));

    std::vector<std::pair<QString, std::pair<int, int>>> ordered(destinations.begin(),
                                                                 destinations.end());
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto &a, const auto &b) {
        if (a.first.isEmpty() != b.first.isEmpty())
            return a.first.isEmpty(); // nowhere first: it needs attention
        return a.second.first + a.second.second > b.second.first + b.second.second;
    });
    for (const auto &[to, counts] : ordered) {
        result.destinations.append(QVariantMap{
            {QStringLiteral("regionId"), to},
            {QStringLiteral("regionName"), nameOf(catalog, to)},
            {QStringLiteral("countries"), counts.first},
            {QStringLiteral("tenants"), counts.second},
        });
    }
    return result;
}

bool TrafficWhatIf::run(const QString &regionId)
{
    if (regionId.isEmpty()) {
        clear();
        return true;
    }
    if (!m_runtime || !m_catalog)
        return false;
    const quint64 generation = ++m_generation;
    if (regionId != m_regionId) {
        // A different region: the old answer must not stand for the new one meanwhile.
        forgetResult(regionId);
    }
    if (m_running++ == 0)
        Q_EMIT busyChanged();
    const routing::TrafficRuntime *runtime = m_runtime;
    const RegionCatalog *catalog = m_catalog;
    QtConcurrent::run(&m_threads, [runtime, catalog, regionId]() {
        try {
            const upcoach::Result<routing::WhatIf> whatIf = runtime->whatIf(regionId);
            if (!whatIf) {
                Outcome failed;
                failed.regionId = regionId;
                failed.error = whatIf.error().message;
                return failed;
            }
            return describe(regionId, whatIf.value(), *catalog);
        } catch (const std::exception &e) {
            Outcome failed;
            failed.regionId = regionId;
            failed.error = QString::fromUtf8(e.what());
            return failed;
        }
    }).then(this, [this, generation](const Outcome &result) { apply(generation, result); });
    return true;
}

void TrafficWhatIf::refresh()
{
    if (!m_regionId.isEmpty())
        run(m_regionId);
}

void TrafficWhatIf::clear()
{
    ++m_generation; // a running what-if is dropped
    forgetResult({});
}

void TrafficWhatIf::forgetResult(const QString &regionId)
{
    m_regionId = regionId;
    m_ready = false;
    m_error.clear();
    m_countries.clear();
    m_tenants.clear();
    m_countryCodes.clear();
    m_strandedCodes.clear();
    m_flows.clear();
    m_destinations.clear();
    m_strandedTenants = 0;
    Q_EMIT resultChanged();
}

void TrafficWhatIf::apply(quint64 generation, const Outcome &result)
{
    if (--m_running == 0)
        Q_EMIT busyChanged();
    if (generation != m_generation)
        return;
    m_regionId = result.regionId;
    m_ready = result.error.isEmpty();
    m_error = result.error;
    m_countries = result.countries;
    m_tenants = result.tenants;
    m_countryCodes = result.countryCodes;
    m_strandedCodes = result.strandedCodes;
    m_flows = result.flows;
    m_destinations = result.destinations;
    m_strandedTenants = result.strandedTenants;
    Q_EMIT resultChanged();
}

} // namespace upcoach::viewmodels
