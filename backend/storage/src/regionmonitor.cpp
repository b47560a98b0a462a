#include "upcoach/storage/regionmonitor.h"

#include "upcoach/core/logging.h"
#include "upcoach/storage/connectionpool.h"

#include <QTimer>
#include <QtConcurrent/QtConcurrentMap>
#include <pqxx/pqxx>

namespace upcoach::storage {

namespace {

double msSince(std::chrono::steady_clock::time_point start, const Clock &clock)
{
    return std::chrono::duration<double, std::milli>(clock.steadyNow() - start).count();
}

} // namespace

RegionHealth probeRegion(const RegionEndpoint &endpoint, std::chrono::milliseconds timeout,
                         const Clock &clock)
{
    RegionHealth health;
    health.regionId = endpoint.regionId;
    const qint64 seconds = std::max<qint64>(1, (timeout.count() + 999) / 1000);
    auto dsn = endpoint.connectionString(
        {{QStringLiteral("connect_timeout"), QString::number(seconds)},
         {QStringLiteral("options"),
          QStringLiteral("-c statement_timeout=%1").arg(timeout.count())},
         {QStringLiteral("application_name"), QStringLiteral("upcoach-ops region monitor")}});
    if (!dsn) {
        health.status = HealthStatus::Down;
        health.error = dsn.error().message;
        health.checkedAt = clock.now();
        return health;
    }
    try {
        const auto connectStart = clock.steadyNow();
        pqxx::connection connection(dsn.value().toStdString());
        health.connectMs = msSince(connectStart, clock);

        const auto roundTripStart = clock.steadyNow();
        {
            pqxx::nontransaction ping(connection);
            ping.exec("SELECT 1");
        }
        health.latencyMs = msSince(roundTripStart, clock);

        pqxx::nontransaction facts(connection);
        const pqxx::row row = facts.exec1(
            "SELECT current_setting('server_version'), pg_is_in_recovery(),"
            " pg_database_size(current_database()), (SELECT count(*) FROM pg_stat_activity"
            " WHERE backend_type = 'client backend')");
        health.serverVersion =
            QString::fromStdString(row[0].as<std::string>()).section(QLatin1Char(' '), 0, 0);
        health.role = row[1].as<bool>() ? DatabaseRole::Standby : DatabaseRole::Primary;
        health.databaseSizeBytes = row[2].as<qint64>();
        health.connections = row[3].as<int>();
        health.status = HealthStatus::Up;
    } catch (const std::exception &e) {
        health.status = HealthStatus::Down;
        health.error = databaseError(e).message;
    }
    health.checkedAt = clock.now();
    return health;
}

RegionMonitor::RegionMonitor(std::vector<RegionEndpoint> endpoints, MonitorSettings settings,
                             const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_endpoints(std::move(endpoints))
    , m_settings(settings)
    , m_clock(clock)
{
    qRegisterMetaType<HealthSnapshotPtr>();
    m_thread.setObjectName(QStringLiteral("region-monitor"));
}

RegionMonitor::~RegionMonitor()
{
    stop();
}

bool RegionMonitor::setEndpoints(std::vector<RegionEndpoint> endpoints)
{
    if (m_thread.isRunning())
        return false;
    m_endpoints = std::move(endpoints);
    return true;
}

void RegionMonitor::start()
{
    if (m_thread.isRunning())
        return;
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(&m_thread, &QThread::started, m_worker, [this] {
        // Created here so the timer lives in, and fires on, the monitor's thread.
        auto *timer = new QTimer(m_worker);
        timer->setInterval(int(m_settings.interval.count()));
        connect(timer, &QTimer::timeout, m_worker, [this] { probeRound(); });
        probeRound();
        timer->start();
    });
    m_thread.start();
}

void RegionMonitor::stop()
{
    if (!m_thread.isRunning())
        return;
    m_thread.quit();
    m_thread.wait();
    m_worker = nullptr;
}

HealthSnapshotPtr RegionMonitor::latest() const
{
    std::lock_guard lock(m_mutex);
    return m_latest;
}

void RegionMonitor::probeRound()
{
    // The regions are probed in parallel so one slow region does not delay the others'.
    const auto timeout = m_settings.timeout;
    const Clock &clock = m_clock;
    std::vector<RegionHealth> results = QtConcurrent::blockingMapped<std::vector<RegionHealth>>(
        m_endpoints, [timeout, &clock](const RegionEndpoint &endpoint) {
            return probeRegion(endpoint, timeout, clock);
        });
    publish(std::move(results));
}

void RegionMonitor::publish(std::vector<RegionHealth> results)
{
    const HealthSnapshotPtr previous = latest();
    auto next = std::make_shared<HealthSnapshot>();
    next->generation = previous ? previous->generation + 1 : 1;
    next->takenAt = m_clock.now();
    for (RegionHealth &health : results) {
        const RegionHealth *before = previous ? previous->find(health.regionId) : nullptr;
        const bool failed = health.status == HealthStatus::Down;
        health.consecutiveFailures = failed ? (before ? before->consecutiveFailures : 0) + 1 : 0;
        // Hysteresis: a region is reported down only after failuresBeforeDown failed probes in
        // a row; until then it keeps its previous status.
        if (failed && health.consecutiveFailures < m_settings.failuresBeforeDown && before)
            health.status = before->status;
        if (!before || before->status != health.status) {
            health.statusSince = health.checkedAt;
            if (before)
                qCInfo(lcMonitor).noquote()
                    << "region" << health.regionId << "is now" << healthStatusName(health.status)
                    << (health.error.isEmpty()
                            ? QString()
                            : QStringLiteral("(") + health.error + QLatin1Char(')'));
        } else {
            health.statusSince = before->statusSince;
        }
        next->regions.push_back(std::move(health));
    }
    HealthSnapshotPtr published = std::move(next);
    {
        std::lock_guard lock(m_mutex);
        m_latest = published;
    }
    Q_EMIT snapshotPublished(published);
}

} // namespace upcoach::storage
