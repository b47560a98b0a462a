// "What if this region went away": the countries and tenants whose first region would change if
// a region were drained (TrafficRuntime::whatIf on a worker thread), with where they go — or
// that they would be left with no region ("nowhere": refused, or a tenant's data residency leaves
// nothing). The What-if view and the drain/failover confirmation each have one.
//
// GUI thread only. run() replaces the result when the worker is done (a newer run overtakes an
// older one; the older result is dropped); refresh() runs the same region again (the routing
// state changed).
#pragma once

#include <QObject>
#include <QStringList>
#include <QThreadPool>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace upcoach {
class RegionCatalog;
}
namespace upcoach::routing {
class TrafficRuntime;
struct WhatIf;
} // namespace upcoach::routing

namespace upcoach::viewmodels {

class TrafficWhatIf final : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("part of TrafficWorkspace")

    Q_PROPERTY(QString regionId READ regionId NOTIFY resultChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    // A result for regionId is there (it may be empty: nothing moves).
    Q_PROPERTY(bool ready READ ready NOTIFY resultChanged)
    Q_PROPERTY(QString error READ error NOTIFY resultChanged)
    // [{code, name, from, fromName, to, toName, nowhere, latitude, longitude}]: the ones with
    // nowhere to go first, then by name.
    Q_PROPERTY(QVariantList countries READ countries NOTIFY resultChanged)
    // [{slug, displayName, from, fromName, to, toName, nowhere}], likewise.
    Q_PROPERTY(QVariantList tenants READ tenants NOTIFY resultChanged)
    // ISO codes of every moving country (the map highlights them), and of those left nowhere.
    Q_PROPERTY(QStringList countryCodes READ countryCodes NOTIFY resultChanged)
    Q_PROPERTY(QStringList strandedCodes READ strandedCodes NOTIFY resultChanged)
    // For the map: a flow from each moving country to its new region (the same weight for all).
    Q_PROPERTY(QVariantList flows READ flows NOTIFY resultChanged)
    // [{regionId, regionName, countries, tenants}]: where the traffic goes, most countries first;
    // regionId "" collects the ones left nowhere.
    Q_PROPERTY(QVariantList destinations READ destinations NOTIFY resultChanged)
    Q_PROPERTY(int movingCountryCount READ movingCountryCount NOTIFY resultChanged)
    Q_PROPERTY(int strandedCountryCount READ strandedCountryCount NOTIFY resultChanged)
    Q_PROPERTY(int movingTenantCount READ movingTenantCount NOTIFY resultChanged)
    Q_PROPERTY(int strandedTenantCount READ strandedTenantCount NOTIFY resultChanged)

public:
    explicit TrafficWhatIf(QObject *parent);
    ~TrafficWhatIf() override; // waits for a running what-if

    // GUI thread. The runtime and catalog must outlive this object.
    void setRuntime(const routing::TrafficRuntime *runtime, const RegionCatalog *catalog);

    QString regionId() const { return m_regionId; }
    bool busy() const { return m_running > 0; }
    bool ready() const { return m_ready; }
    QString error() const { return m_error; }
    QVariantList countries() const { return m_countries; }
    QVariantList tenants() const { return m_tenants; }
    QStringList countryCodes() const { return m_countryCodes; }
    QStringList strandedCodes() const { return m_strandedCodes; }
    QVariantList flows() const { return m_flows; }
    QVariantList destinations() const { return m_destinations; }
    int movingCountryCount() const { return int(m_countries.size()); }
    int strandedCountryCount() const { return int(m_strandedCodes.size()); }
    int movingTenantCount() const { return int(m_tenants.size()); }
    int strandedTenantCount() const { return m_strandedTenants; }

    // Starts the what-if of a region (empty: clear()). False without a runtime.
    Q_INVOKABLE bool run(const QString &regionId);
    // The current region again; nothing when none is set.
    Q_INVOKABLE void refresh();
    Q_INVOKABLE void clear();

    // The result's lists from a backend answer (also for tests).
    struct Outcome
    {
        QString regionId;
        QString error;
        QVariantList countries;
        QVariantList tenants;
        QStringList countryCodes;
        QStringList strandedCodes;
        QVariantList flows;
        QVariantList destinations;
        int strandedTenants = 0;
    };
    static Outcome describe(const QString &regionId, const routing::WhatIf &whatIf,
                            const RegionCatalog &catalog);

Q_SIGNALS:
    void busyChanged();
    void resultChanged();

private:
    void apply(quint64 generation, const Outcome &result);
    // Drops the shown result (and says so): a different region is asked, or the view is cleared.
    void forgetResult(const QString &regionId);

    const routing::TrafficRuntime *m_runtime = nullptr;
    const RegionCatalog *m_catalog = nullptr;
    QThreadPool m_threads;
    quint64 m_generation = 0;
    int m_running = 0;
    QString m_regionId;
    bool m_ready = false;
    QString m_error;
    QVariantList m_countries;
    QVariantList m_tenants;
    QStringList m_countryCodes;
    QStringList m_strandedCodes;
    QVariantList m_flows;
    QVariantList m_destinations;
    int m_strandedTenants = 0;
};

} // namespace upcoach::viewmodels
