// The Regions page's traffic view models in one place, as the page gets them: the region health
// cards and map markers (TrafficRegionModel), the selected region's five-minute timeline for the
// charts (TrafficTimelineModel), the active policy (TrafficPolicyModel), the What-if view and the
// confirmation's preview (two TrafficWhatIf), the controls (TrafficActions), and the map's
// country → region flows.
//
// Built by the composition root, possibly before the traffic runtime exists (the demo starts it
// while the window is up): everything is `loading` until setRuntime(). Then every refreshInterval
// (and soon after the runtime's stateChanged) a worker thread reads a TrafficFrame from the
// runtime and the GUI thread applies it; the GUI thread never waits for the runtime.
#pragma once

#include "trafficactions.h"
#include "trafficframe.h"
#include "trafficpolicymodel.h"
#include "trafficregionmodel.h"
#include "traffictimelinemodel.h"
#include "trafficwhatif.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>
#include <map>

namespace upcoach::viewmodels {

class RegionListModel;

class TrafficWorkspace final : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built by the composition root")

    Q_PROPERTY(upcoach::viewmodels::TrafficRegionModel *regions READ regions CONSTANT)
    Q_PROPERTY(upcoach::viewmodels::TrafficTimelineModel *timeline READ timeline CONSTANT)
    Q_PROPERTY(upcoach::viewmodels::TrafficPolicyModel *policy READ policy CONSTANT)
    Q_PROPERTY(upcoach::viewmodels::TrafficWhatIf *whatIf READ whatIf CONSTANT)
    Q_PROPERTY(upcoach::viewmodels::TrafficWhatIf *preview READ preview CONSTANT)
    Q_PROPERTY(upcoach::viewmodels::TrafficActions *actions READ actions CONSTANT)
    // Until the first traffic report with requests is on screen (at most firstTrafficGrace after
    // the runtime arrived: a platform without traffic shows its zeros), or setRuntimeError().
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    // The runtime is attached (controls and what-if can run).
    Q_PROPERTY(bool ready READ ready NOTIFY readyChanged)
    // Why there is no traffic data (the runtime could not start, a read failed); "" otherwise.
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    Q_PROPERTY(QDateTime updatedAt READ updatedAt NOTIFY frameChanged)
    Q_PROPERTY(int windowSeconds READ windowSeconds CONSTANT)
    Q_PROPERTY(int timelineMinutes READ timelineMinutes CONSTANT)
    // The map's flows: [{fromLatitude, fromLongitude, toLatitude, toLongitude, weight (0..1),
    // country, countryName, regionId, requests}], the largest country → region pairs of the window.
    Q_PROPERTY(QVariantList flows READ flows NOTIFY frameChanged)
    // All requests of the window (refused and unrouted ones included).
    Q_PROPERTY(double totalRequests READ totalRequests NOTIFY frameChanged)
    Q_PROPERTY(double totalRequestsPerSecond READ totalRequestsPerSecond NOTIFY frameChanged)
    Q_PROPERTY(double totalP95Ms READ totalP95Ms NOTIFY frameChanged)
    Q_PROPERTY(double totalErrorPercent READ totalErrorPercent NOTIFY frameChanged)
    // Countries whose current route is known (country → region), for the map's tooltip.
    Q_PROPERTY(int routedCountryCount READ routedCountryCount NOTIFY routesChanged)

public:
    static constexpr std::chrono::milliseconds kDefaultRefreshInterval{2000};
    static constexpr std::chrono::milliseconds kFirstTrafficGrace{10000};

    explicit TrafficWorkspace(QObject *parent);
    ~TrafficWorkspace() override; // waits for a running read

    // GUI thread; once. The runtime (and the catalog: region names and places) must outlive the
    // workspace. `actor` is who the audit log names for the console's controls
    // ("user:<operating-system user>"); empty: setActor() before a control can run.
    void setRuntime(routing::TrafficRuntime *runtime,
                    const RegionCatalog &catalog = RegionCatalog::builtin(),
                    const QString &actor = {});
    // GUI thread: the runtime could not be started; the page says why instead of waiting.
    void setRuntimeError(const QString &message);
    void setActor(const QString &actor);
    QString actor() const { return m_actor; }
    // GUI thread: joins each region's database round trip and status from the health monitor's
    // model (kept up to date while it changes). The model must outlive the workspace, or be
    // detached again with nullptr.
    void setDatabaseHealth(RegionListModel *model);
    // Tests: how often the page refreshes (default kDefaultRefreshInterval).
    void setRefreshInterval(std::chrono::milliseconds interval);

    TrafficRegionModel *regions() { return &m_regions; }
    TrafficTimelineModel *timeline() { return &m_timeline; }
    TrafficPolicyModel *policy() { return &m_policy; }
    TrafficWhatIf *whatIf() { return &m_whatIf; }
    TrafficWhatIf *preview() { return &m_preview; }
    TrafficActions *actions() { return &m_actions; }
    bool loading() const { return m_loading; }
    bool ready() const { return m_runtime != nullptr; }
    QString error() const { return m_error; }
    QDateTime updatedAt() const { return m_updatedAt; }
    int windowSeconds() const { return int(kTrafficWindow.count()); }
    int timelineMinutes() const { return int(kTimelineWindow.count() / 60); }
    QVariantList flows() const { return m_flows; }
    double totalRequests() const { return double(m_totals.requests); }
    double totalRequestsPerSecond() const { return m_totals.requestsPerSecond; }
    double totalP95Ms() const { return m_totals.p95Ms; }
    double totalErrorPercent() const
    {
        return m_totals.errorRate < 0 ? -1 : m_totals.errorRate * 100;
    }
    int routedCountryCount() const { return int(m_countryRoutes.size()); }

    // The map's tooltip for a country (ISO code): {code, name, regionId, regionName (where its
    // clients go first now; "" when refused or nowhere, or not known yet), routeKnown, requests
    // (its requests in the window, summed over its flows), servedBy: [{regionId, regionName,
    // requests}]}. Empty for an unknown code.
    Q_INVOKABLE QVariantMap countryInfo(const QString &code) const;
    // The regions a forced failover of `regionId` may name as its target: [{text, value}] (name,
    // id), every other region in the cards' order. (No target — the policy's chain — is the
    // page's own first choice.)
    Q_INVOKABLE QVariantList failoverTargets(const QString &regionId) const;
    // Reads a new frame now (coalesced with one that is running).
    Q_INVOKABLE void refresh();

Q_SIGNALS:
    void loadingChanged();
    void readyChanged();
    void errorChanged();
    void frameChanged();
    void routesChanged();

private:
    void apply(TrafficFrame frame);
    void setLoading(bool loading);
    void setError(const QString &error);
    void readDatabaseHealth();
    void routingStateChanged();

    TrafficRegionModel m_regions{nullptr};
    TrafficTimelineModel m_timeline{nullptr};
    TrafficPolicyModel m_policy{nullptr};
    TrafficWhatIf m_whatIf{nullptr};
    TrafficWhatIf m_preview{nullptr};
    TrafficActions m_actions{nullptr};

    routing::TrafficRuntime *m_runtime = nullptr;
    const RegionCatalog *m_catalog = nullptr;
    QString m_actor;
    QPointer<RegionListModel> m_databaseHealth;
    QTimer m_timer;
    QElapsedTimer m_sinceRuntime;
    QThreadPool m_threads;
    bool m_reading = false;
    bool m_readAgain = false;
    bool m_routesStale = true;

    bool m_loading = true;
    QString m_error;
    QDateTime m_updatedAt;
    QVariantList m_flows;
    std::vector<TrafficFlowRow> m_flowRows;
    TrafficTotals m_totals;
    std::map<QString, QString> m_countryRoutes;
};

} // namespace upcoach::viewmodels
