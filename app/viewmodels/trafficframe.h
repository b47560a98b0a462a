// What one refresh of the Regions page reads from a TrafficRuntime — per-region health and
// traffic, the country → region flows, the selected region's timeline, the policy and the hedge
// counters, and (after a routing change) where every country is routed now — as plain values.
// readTrafficFrame() runs on a worker thread; the view models take the frame on the GUI thread.
#pragma once

#include "upcoach/core/regioncatalog.h"
#include "upcoach/routing/router.h"
#include "upcoach/routing/trafficpolicy.h"
#include "upcoach/routing/trafficruntime.h"
#include "upcoach/routing/trafficstats.h"

#include <QDateTime>
#include <QString>
#include <QVariantList>
#include <chrono>
#include <map>
#include <memory>
#include <vector>

namespace upcoach::viewmodels {

// The window of the health cards, the flows and the hedge figures.
inline constexpr std::chrono::seconds kTrafficWindow{60};
// The charts: the last five minutes in five-second steps.
inline constexpr std::chrono::seconds kTimelineWindow{300};
inline constexpr std::chrono::seconds kTimelineStep{5};

struct TrafficRegionRow
{
    QString regionId;
    QString displayName;
    QString city;
    QString country; // ISO code of the region's location
    double latitude = 0;
    double longitude = 0;

    // "healthy", "unhealthy", "drained", "failed-over", "unknown" (trafficRegionStatus).
    QString status;
    QString healthDetail;
    QDateTime healthSince;
    double checkLatencyMs = -1;
    double uptimeRatio = -1; // 0..1, -1 before the first check

    // An operator's drain or failover.
    QString overrideReason;
    QString overrideBy;
    QDateTime overrideAt;
    QString failoverTarget;

    // The traffic window.
    quint64 requests = 0;
    double requestsPerSecond = 0;
    double p50Ms = -1; // -1: no answers in the window
    double p95Ms = -1;
    double p99Ms = -1;
    double errorRate = -1; // 0..1, -1: no requests
    double share = 0;      // of the requests all regions served
    quint64 hedgesSent = 0;
    quint64 hedgesWon = 0;
    double latencySavedMs = 0;
    QVariantList topCountries; // {code, name, requests}
    QVariantList topEndpoints; // {endpoint, requests}
    QVariantList weights;      // {rule, weight}: effective weights of weighted rules

    friend bool operator==(const TrafficRegionRow &, const TrafficRegionRow &) = default;
};

struct TrafficFlowRow
{
    QString country;
    QString countryName;
    double fromLatitude = 0;
    double fromLongitude = 0;
    QString regionId;
    double toLatitude = 0;
    double toLongitude = 0;
    quint64 requests = 0;
    double weight = 0; // requests / the largest flow's requests
};

struct TrafficTotals
{
    quint64 requests = 0; // all requests, refused and unrouted ones included
    double requestsPerSecond = 0;
    double p95Ms = -1;
    double errorRate = -1;
    quint64 hedgesSent = 0;
    quint64 hedgesWon = 0;
    double latencySavedMs = 0;
};

struct TrafficFrame
{
    QString error; // the read failed; nothing else is set
    QDateTime from, to;
    std::vector<TrafficRegionRow> regions;
    TrafficTotals totals;
    std::vector<TrafficFlowRow> flows;
    QString timelineRegion; // empty: all regions
    std::vector<routing::TrafficStats::Point> timeline;
    std::shared_ptr<const routing::TrafficPolicy> policy;
    routing::Router::HedgeCounters hedgeCounters;
    // Only when asked for: ISO code → the region its clients are served from first now; a
    // country that is refused or has no region left is absent.
    bool hasCountryRoutes = false;
    std::map<QString, QString> countryRoutes;
};

// "healthy", "unhealthy", "drained", "failed-over" or "unknown": an operator's override first,
// then the router's verdict, then the health checks.
QString trafficRegionStatus(const routing::RegionTrafficStatus &status);

// Reads everything the page shows. Thread-safe (the runtime's readers are); never blocks on I/O.
TrafficFrame readTrafficFrame(const routing::TrafficRuntime &runtime, const RegionCatalog &catalog,
                              const QString &timelineRegion, bool withCountryRoutes);

// Where each country's clients go first now, from the runtime's what-if of every region (a
// country is listed, with its current region as `from`, in the what-if of that region).
std::map<QString, QString> readCountryRoutes(const routing::TrafficRuntime &runtime,
                                             const std::vector<QString> &regionIds);

} // namespace upcoach::viewmodels
