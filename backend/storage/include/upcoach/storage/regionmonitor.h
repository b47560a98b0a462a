// Probes every regional database on an interval, on its own worker threads, and publishes
// immutable HealthSnapshots. Readers never block: latest() is a pointer copy under a short lock,
// and snapshotPublished() is delivered queued to whichever thread the receiver lives in.
#pragma once

#include "upcoach/core/clock.h"
#include "upcoach/core/config.h"
#include "upcoach/storage/regionhealth.h"

#include <QObject>
#include <QThread>
#include <mutex>

namespace upcoach::storage {

// One probe of one database: connect, server facts, round trip. Blocking; worker threads only.
RegionHealth probeRegion(const RegionEndpoint &endpoint, std::chrono::milliseconds timeout,
                         const Clock &clock = Clock::system());

class RegionMonitor final : public QObject
{
    Q_OBJECT
public:
    RegionMonitor(std::vector<RegionEndpoint> endpoints, MonitorSettings settings,
                  const Clock &clock = Clock::system(), QObject *parent = nullptr);
    ~RegionMonitor() override;

    // Replaces the regions to probe; only before start() (the demo learns its endpoints while
    // the console is already up). Returns false, changing nothing, once probing has started.
    bool setEndpoints(std::vector<RegionEndpoint> endpoints);

    // Starts probing at once and then every interval. Idempotent.
    void start();
    // Stops probing and waits for the probes in flight to finish.
    void stop();

    HealthSnapshotPtr latest() const;
    const MonitorSettings &settings() const { return m_settings; }

Q_SIGNALS:
    // Emitted from the monitor's worker thread after each round of probes.
    void snapshotPublished(upcoach::storage::HealthSnapshotPtr snapshot);

private:
    void probeRound();
    void publish(std::vector<RegionHealth> results);

    std::vector<RegionEndpoint> m_endpoints;
    MonitorSettings m_settings;
    const Clock &m_clock;
    QThread m_thread;
    QObject *m_worker = nullptr; // lives in m_thread; owns the interval timer
    mutable std::mutex m_mutex;
    HealthSnapshotPtr m_latest;
};

} // namespace upcoach::storage
