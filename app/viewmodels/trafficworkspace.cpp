#include "trafficworkspace.h"

#include "regionlistmodel.h"
#include "upcoach/routing/countryatlas.h"
#include "upcoach/routing/trafficruntime.h"

#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>

namespace upcoach::viewmodels {

namespace {

// After the runtime says its routing changed, wait this long for more changes before reading:
// a failover often brings several transitions at once.
constexpr std::chrono::milliseconds kStateChangeDelay{150};

QVariantMap flowMap(const TrafficFlowRow &flow)
{
    return {
        {QStringLiteral("fromLatitude"), flow.fromLatitude},
        {QStringLiteral("fromLongitude"), flow.fromLongitude},
        {QStringLiteral("toLatitude"), flow.toLatitude},
        {QStringLiteral("toLongitude"), flow.toLongitude},
        {QStringLiteral("weight"), flow.weight},
        {QStringLiteral("country"), flow.country},
        {QStringLiteral("countryName"), flow.countryName},
        {QStringLiteral("regionId"), flow.regionId},
        {QStringLiteral("requests"), double(flow.requests)},
    };
}

} // namespace

TrafficWorkspace::TrafficWorkspace(QObject *parent)
    : QObject(parent)
{
    m_threads.setMaxThreadCount(1);
    m_timer.setInterval(kDefaultRefreshInterval);
    connect(&m_timer, &QTimer::timeout, this, &TrafficWorkspace::refresh);
    // A new selection shows its chart at once.
    connect(&m_regions, &TrafficRegionModel::selectionChanged, this, [this] {
        if (m_timeline.regionId() != m_regions.selectedRegion())
            refresh();
    });
    // A finished control changes what the what-if views would show.
    connect(&m_actions, &TrafficActions::finished, this,
            [this](const QString &, const QString &, bool ok) {
                if (ok)
                    routingStateChanged();
            });
}

TrafficWorkspace::~TrafficWorkspace()
{
    m_timer.stop();
    m_threads.waitForDone();
}

void TrafficWorkspace::setRuntime(routing::TrafficRuntime *runtime, const RegionCatalog &catalog,
                                  const QString &actor)
{
    if (m_runtime || !runtime)
        return;
    m_runtime = runtime;
    m_catalog = &catalog;
    if (!actor.isEmpty())
        m_actor = actor;
    m_sinceRuntime.start();
    // Emitted on the runtime's thread (health checks, pollers): queued to this one.
    connect(runtime, &routing::TrafficRuntime::stateChanged, this,
            &TrafficWorkspace::routingStateChanged, Qt::QueuedConnection);
    m_whatIf.setRuntime(runtime, &catalog);
    m_preview.setRuntime(runtime, &catalog);
    m_actions.setRuntime(runtime, m_actor);
    setError({});
    Q_EMIT readyChanged();
    m_timer.start();
    refresh();
}

void TrafficWorkspace::setRuntimeError(const QString &message)
{
    setError(message);
    setLoading(false);
}

void TrafficWorkspace::setActor(const QString &actor)
{
    m_actor = actor;
    if (m_runtime)
        m_actions.setRuntime(m_runtime, m_actor);
}

void TrafficWorkspace::setRefreshInterval(std::chrono::milliseconds interval)
{
    m_timer.setInterval(interval);
}

void TrafficWorkspace::setDatabaseHealth(RegionListModel *model)
{
    if (m_databaseHealth)
        disconnect(m_databaseHealth, nullptr, this, nullptr);
    m_databaseHealth = model;
    if (model) {
        connect(model, &QAbstractItemModel::dataChanged, this,
                &TrafficWorkspace::readDatabaseHealth);
        connect(model, &QAbstractItemModel::modelReset, this,
                &TrafficWorkspace::readDatabaseHealth);
        connect(model, &QAbstractItemModel::rowsInserted, this,
                &TrafficWorkspace::readDatabaseHealth);
    }
    readDatabaseHealth();
}

void TrafficWorkspace::readDatabaseHealth()
{
    QHash<QString, TrafficRegionModel::DatabaseHealth> health;
    if (RegionListModel *model = m_databaseHealth.data()) {
        for (int row = 0; row < model->rowCount(); ++row) {
            const QModelIndex at = model->index(row);
            TrafficRegionModel::DatabaseHealth entry;
            entry.latencyMs = model->data(at, RegionListModel::LatencyMsRole).toDouble();
            entry.status = model->data(at, RegionListModel::StatusRole).toString();
            health.insert(model->data(at, RegionListModel::RegionIdRole).toString(), entry);
        }
    }
    m_regions.setDatabaseHealth(health);
}

void TrafficWorkspace::routingStateChanged()
{
    m_routesStale = true;
    QTimer::singleShot(kStateChangeDelay, this, [this] {
        refresh();
        m_whatIf.refresh();
        m_preview.refresh();
    });
}

void TrafficWorkspace::refresh()
{
    if (!m_runtime)
        return;
    if (m_reading) {
        m_readAgain = true;
        return;
    }
    m_reading = true;
    const bool withRoutes = m_routesStale;
    m_routesStale = false;
    const routing::TrafficRuntime *runtime = m_runtime;
    const RegionCatalog *catalog = m_catalog;
    const QString region = m_regions.selectedRegion();
    QtConcurrent::run(&m_threads, [runtime, catalog, region, withRoutes]() {
        return readTrafficFrame(*runtime, *catalog, region, withRoutes);
    }).then(this, [this, withRoutes](TrafficFrame frame) {
        m_reading = false;
        if (withRoutes && !frame.error.isEmpty())
            m_routesStale = true;
        apply(std::move(frame));
        if (m_readAgain) {
            m_readAgain = false;
            refresh();
        }
    });
}

void TrafficWorkspace::apply(TrafficFrame frame)
{
    if (!frame.error.isEmpty()) {
        setError(frame.error);
        return;
    }
    setError({});
    m_regions.apply(frame.regions);
    // The first frame selected a region: its timeline follows with the next read.
    if (frame.timelineRegion == m_regions.selectedRegion())
        m_timeline.apply(frame.timelineRegion, frame.timeline);
    else
        refresh();
    m_policy.apply(frame);

    m_totals = frame.totals;
    m_updatedAt = frame.to;
    m_flowRows = std::move(frame.flows);
    m_flows.clear();
    for (const TrafficFlowRow &flow : m_flowRows)
        m_flows.append(flowMap(flow));
    if (frame.hasCountryRoutes) {
        m_countryRoutes = std::move(frame.countryRoutes);
        Q_EMIT routesChanged();
    }
    Q_EMIT frameChanged();

    // Loaded once requests have arrived and every region's health checks have reached a verdict
    // (a few check intervals after the start), or after the grace period whatever the state.
    const bool everyRegionJudged =
        std::none_of(frame.regions.begin(), frame.regions.end(), [](const TrafficRegionRow &row) {
            return row.status == QLatin1String("unknown");
        });
    if (m_loading && ((frame.totals.requests > 0 && everyRegionJudged) ||
                      m_sinceRuntime.elapsed() >= kFirstTrafficGrace.count()))
        setLoading(false);
}

void TrafficWorkspace::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged();
}

void TrafficWorkspace::setError(const QString &error)
{
    if (m_error == error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
}

QVariantMap TrafficWorkspace::countryInfo(const QString &code) const
{
    const routing::CountryPoint *point =
        routing::CountryAtlas::builtin().find(routing::CountryCode::fromString(code));
    if (!point)
        return {};
    const QString iso = point->code.toString();
    const auto route = m_countryRoutes.find(iso);
    const QString regionId = route == m_countryRoutes.end() ? QString() : route->second;
    double requests = 0;
    QVariantList servedBy;
    for (const TrafficFlowRow &flow : m_flowRows) {
        if (flow.country != iso)
            continue;
        requests += double(flow.requests);
        servedBy.append(
            QVariantMap{{QStringLiteral("regionId"), flow.regionId},
                        {QStringLiteral("regionName"), m_regions.regionName(flow.regionId)},
                        {QStringLiteral("requests"), double(flow.requests)}});
    }
    return {
        {QStringLiteral("code"), iso},
        {QStringLiteral("name"), point->name},
        {QStringLiteral("regionId"), regionId},
        {QStringLiteral("regionName"),
         regionId.isEmpty() ? QString() : m_regions.regionName(regionId)},
        {QStringLiteral("routeKnown"), !m_countryRoutes.empty()},
        {QStringLiteral("requests"), requests},
        {QStringLiteral("servedBy"), servedBy},
    };
}

QVariantList TrafficWorkspace::failoverTargets(const QString &regionId) const
{
    QVariantList targets;
    for (const TrafficRegionRow &row : m_regions.rows()) {
        if (row.regionId == regionId)
            continue;
        targets.append(QVariantMap{{QStringLiteral("text"), row.displayName},
                                   {QStringLiteral("value"), row.regionId}});
    }
    return targets;
}

} // namespace upcoach::viewmodels
