#include "trafficframe.h"

#include "upcoach/routing/countryatlas.h"

#include <QVariantMap>
#include <algorithm>
#include <exception>

namespace upcoach::viewmodels {

using routing::CheckStatus;
using routing::CountryAtlas;
using routing::CountryCode;
using routing::RegionTrafficStatus;
using routing::TrafficStats;
using routing::Unavailability;

namespace {

QString countryName(const QString &code)
{
    const routing::CountryPoint *point =
        CountryAtlas::builtin().find(CountryCode::fromString(code));
    return point ? point->name : code;
}

QVariantList countryList(const std::vector<std::pair<QString, quint64>> &entries)
{
    QVariantList list;
    for (const auto &[code, requests] : entries) {
        list.append(QVariantMap{{QStringLiteral("code"), code},
                                {QStringLiteral("name"), countryName(code)},
                                {QStringLiteral("requests"), requests}});
    }
    return list;
}

QVariantList endpointList(const std::vector<std::pair<QString, quint64>> &entries)
{
    QVariantList list;
    for (const auto &[endpoint, requests] : entries) {
        list.append(QVariantMap{{QStringLiteral("endpoint"), endpoint},
                                {QStringLiteral("requests"), requests}});
    }
    return list;
}

// Percentiles of an empty window are 0 in the report; the page shows them as unknown.
double knownOrUnknown(double value, quint64 samples)
{
    return samples > 0 ? value : -1;
}

void fillTraffic(TrafficRegionRow &row, const TrafficStats::RegionReport &report)
{
    row.requests = report.requests;
    row.requestsPerSecond = report.requestsPerSecond;
    row.p50Ms = knownOrUnknown(report.p50Ms, report.requests);
    row.p95Ms = knownOrUnknown(report.p95Ms, report.requests);
    row.p99Ms = knownOrUnknown(report.p99Ms, report.requests);
    row.errorRate = report.requests > 0 ? report.errorRate : -1;
    row.hedgesSent = report.hedgesSent;
    row.hedgesWon = report.hedgesWon;
    row.latencySavedMs = report.latencySavedMs;
    row.topCountries = countryList(report.topCountries);
    row.topEndpoints = endpointList(report.topEndpoints);
}

} // namespace

QString trafficRegionStatus(const RegionTrafficStatus &status)
{
    if (status.override)
        return status.override->failedOver ? QStringLiteral("failed-over")
                                           : QStringLiteral("drained");
    switch (status.unavailable) {
    case Unavailability::Drained:
        return QStringLiteral("drained");
    case Unavailability::FailedOver:
        return QStringLiteral("failed-over");
    case Unavailability::Unhealthy:
        return QStringLiteral("unhealthy");
    case Unavailability::None:
        break;
    }
    switch (status.health) {
    case CheckStatus::Healthy:
        return QStringLiteral("healthy");
    case CheckStatus::Unhealthy:
        return QStringLiteral("unhealthy");
    case CheckStatus::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

std::map<QString, QString> readCountryRoutes(const routing::TrafficRuntime &runtime,
                                             const std::vector<QString> &regionIds)
{
    std::map<QString, QString> routes;
    for (const QString &regionId : regionIds) {
        const Result<routing::WhatIf> whatIf = runtime.whatIf(regionId);
        if (!whatIf)
            continue;
        for (const routing::WhatIfCountry &country : whatIf->countries) {
            if (!country.from.isEmpty())
                routes.emplace(country.code, country.from);
        }
    }
    return routes;
}

TrafficFrame readTrafficFrame(const routing::TrafficRuntime &runtime, const RegionCatalog &catalog,
                              const QString &timelineRegion, bool withCountryRoutes)
{
    TrafficFrame frame;
    try {
        frame.policy = runtime.policy();
        const TrafficStats::Report report = runtime.traffic(kTrafficWindow);
        frame.from = report.from;
        frame.to = report.to;
        frame.hedgeCounters = runtime.hedgeCounters();

        quint64 served = 0;
        for (const TrafficStats::RegionReport &region : report.regions)
            served += region.requests;

        const std::vector<RegionTrafficStatus> statuses = runtime.regions();
        frame.regions.reserve(statuses.size());
        std::vector<QString> regionIds;
        for (const RegionTrafficStatus &status : statuses) {
            TrafficRegionRow row;
            row.regionId = status.regionId;
            row.displayName = status.displayName.isEmpty() ? status.regionId : status.displayName;
            if (const Region *region = catalog.find(status.regionId)) {
                row.city = region->city;
                row.country = region->country;
                row.latitude = region->latitude;
                row.longitude = region->longitude;
                if (status.displayName.isEmpty())
                    row.displayName = region->displayName;
            }
            row.status = trafficRegionStatus(status);
            row.healthDetail = status.healthDetail;
            row.healthSince = status.healthSince;
            row.checkLatencyMs = status.checkLatencyMs;
            row.uptimeRatio = status.uptimeRatio;
            if (status.override) {
                row.overrideReason = status.override->reason;
                row.overrideBy = status.override->changedBy;
                row.overrideAt = status.override->changedAt;
                row.failoverTarget = status.override->failoverTarget;
            }
            for (const auto &[rule, weight] : status.weights) {
                row.weights.append(QVariantMap{{QStringLiteral("rule"), rule},
                                               {QStringLiteral("weight"), weight}});
            }
            const int index = frame.policy ? frame.policy->regionIndex(status.regionId) : -1;
            if (index >= 0 && std::size_t(index) < report.regions.size()) {
                const TrafficStats::RegionReport &traffic = report.regions[std::size_t(index)];
                fillTraffic(row, traffic);
                row.share = served > 0 ? double(traffic.requests) / double(served) : 0;
            }
            regionIds.push_back(row.regionId);
            frame.regions.push_back(std::move(row));
        }

        frame.totals.requests = report.total.requests;
        frame.totals.requestsPerSecond = report.total.requestsPerSecond;
        frame.totals.p95Ms = knownOrUnknown(report.total.p95Ms, report.total.requests);
        frame.totals.errorRate = report.total.requests > 0 ? report.total.errorRate : -1;
        frame.totals.hedgesSent = report.total.hedgesSent;
        frame.totals.hedgesWon = report.total.hedgesWon;
        frame.totals.latencySavedMs = report.total.latencySavedMs;

        quint64 largest = 0;
        for (const TrafficStats::Flow &flow : report.flows)
            largest = std::max(largest, flow.requests);
        for (const TrafficStats::Flow &flow : report.flows) {
            if (!flow.country.valid() || !frame.policy || flow.region < 0 ||
                std::size_t(flow.region) >= frame.policy->regions.size() || flow.requests == 0)
                continue;
            const routing::CountryPoint *from = CountryAtlas::builtin().find(flow.country);
            const Region *to = catalog.find(frame.policy->regions[std::size_t(flow.region)]);
            if (!from || !to)
                continue;
            TrafficFlowRow row;
            row.country = flow.country.toString();
            row.countryName = from->name;
            row.fromLatitude = from->latitude;
            row.fromLongitude = from->longitude;
            row.regionId = to->id;
            row.toLatitude = to->latitude;
            row.toLongitude = to->longitude;
            row.requests = flow.requests;
            row.weight = largest > 0 ? double(flow.requests) / double(largest) : 0;
            frame.flows.push_back(std::move(row));
        }

        frame.timelineRegion = timelineRegion;
        const int timelineIndex = timelineRegion.isEmpty() || !frame.policy
                                      ? -1
                                      : frame.policy->regionIndex(timelineRegion);
        if (timelineRegion.isEmpty() || timelineIndex >= 0)
            frame.timeline = runtime.timeline(timelineIndex, kTimelineWindow, kTimelineStep);

        if (withCountryRoutes) {
            frame.countryRoutes = readCountryRoutes(runtime, regionIds);
            frame.hasCountryRoutes = true;
        }
    } catch (const std::exception &e) {
        // The runtime's readers are not expected to throw; a frame that failed says so instead of
        // taking the worker thread down.
        TrafficFrame failed;
        failed.error = QString::fromUtf8(e.what());
        return failed;
    }
    return frame;
}

} // namespace upcoach::viewmodels
