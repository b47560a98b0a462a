// The Tenants page's detail pane: one tenant's record, its effective settings against its plan
// (configuration with defaults, limits and feature flags with plan values and overrides), usage
// (row counts through an operator TenantSession) and lifecycle history (its audit events, newest
// first). load() reads everything on a worker thread; the result replaces what is shown in one
// step (changed()), so the pane never shows two tenants mixed.
//
// Unknown numbers are -1, unknown dates invalid (null in QML), unknown strings empty.
#pragma once

#include "tenantbackend.h"

#include <QDateTime>
#include <QObject>
#include <QThreadPool>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>
#include <atomic>
#include <memory>

namespace upcoach::viewmodels {

class TenantDetails final : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built by the composition root")

    // The tenant asked for (set by load() at once; the data follows).
    Q_PROPERTY(QString slug READ slug NOTIFY slugChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(bool hasTenant READ hasTenant NOTIFY changed)
    // Why the tenant could not be read (it is not shown then).
    Q_PROPERTY(QString error READ error NOTIFY changed)
    Q_PROPERTY(QDateTime loadedAt READ loadedAt NOTIFY changed)

    // Overview: slug, name, id, kind, parent, plan, planName, state, trialEndsAt, homeRegion,
    // allowedRegions (list), isolation, provisioning, provisioningError, placement (schema or
    // database), ownerName, ownerEmail, createdAt, updatedAt, suspendedAt, canceledAt,
    // deletionRequestedAt, purgeAfter, version.
    Q_PROPERTY(QVariantMap overview READ overview NOTIFY changed)
    Q_PROPERTY(QString state READ state NOTIFY changed)
    // For optimistic concurrency: the version the shown data has.
    Q_PROPERTY(double version READ version NOTIFY changed)

    // [{key, type ("text" | "integer" | "boolean" | "list"), value (effective, typed),
    //   valueText, overridden (bool: the tenant sets it), overrideText (the tenant's own value
    //   as editable text, "" when it uses the default), defaultText}]
    Q_PROPERTY(QVariantList configuration READ configuration NOTIFY changed)
    // [{key, unit ("count" | "bytes" | "perMinute"), planValue, overrideValue (-1: none),
    //   effective, overridden, planText, effectiveText, overrideText (editable, "" = plan)}]
    Q_PROPERTY(QVariantList limits READ limits NOTIFY changed)
    // [{key, planValue, overridden, overrideValue, effective}] (all bool but `key`)
    Q_PROPERTY(QVariantList features READ features NOTIFY changed)
    // [{key (users | coaches | coachees | programs | goals | sessions | messages), value}]
    Q_PROPERTY(QVariantList usage READ usage NOTIFY changed)
    // Seats in use (users) against the effective seat limit; -1 when unknown.
    Q_PROPERTY(double seatsUsed READ seatsUsed NOTIFY changed)
    Q_PROPERTY(double seatLimit READ seatLimit NOTIFY changed)
    // Why usage could not be read (not provisioned, deleted, database down); empty otherwise.
    Q_PROPERTY(QString usageError READ usageError NOTIFY changed)
    // [{sequence, time (QDateTime UTC), actor, impersonator, action, outcome, summary}],
    // newest first, at most historyLimit.
    Q_PROPERTY(QVariantList history READ history NOTIFY changed)
    Q_PROPERTY(QString historyError READ historyError NOTIFY changed)

public:
    static constexpr int historyLimit = 100;

    // No default argument: Qt 6.4 instantiates QML element wrappers for default-constructible
    // types even when QML_UNCREATABLE, and a final class cannot be wrapped.
    explicit TenantDetails(QObject *parent);
    ~TenantDetails() override; // waits for a running load

    // GUI thread. The backend must outlive this object. Loads the pending tenant, if any.
    void setBackend(const TenantBackend &backend);

    QString slug() const { return m_slug; }
    bool loading() const { return m_loading; }
    bool hasTenant() const { return !m_overview.isEmpty(); }
    QString error() const { return m_error; }
    QDateTime loadedAt() const { return m_loadedAt; }
    QVariantMap overview() const { return m_overview; }
    QString state() const { return m_overview.value(QStringLiteral("state")).toString(); }
    double version() const { return m_overview.value(QStringLiteral("version"), -1).toDouble(); }
    QVariantList configuration() const { return m_configuration; }
    QVariantList limits() const { return m_limits; }
    QVariantList features() const { return m_features; }
    QVariantList usage() const { return m_usage; }
    double seatsUsed() const { return m_seatsUsed; }
    double seatLimit() const { return m_seatLimit; }
    QString usageError() const { return m_usageError; }
    QVariantList history() const { return m_history; }
    QString historyError() const { return m_historyError; }

    // Shows `slug` (reads it on a worker thread); "" clears the pane.
    Q_INVOKABLE void load(const QString &slug);
    // Reads the shown tenant again (after an action).
    Q_INVOKABLE void reload();

Q_SIGNALS:
    void slugChanged();
    void loadingChanged();
    void changed();

private:
    struct Snapshot;
    void start();
    void apply(const std::shared_ptr<Snapshot> &snapshot);
    void setLoading(bool loading);

    TenantBackend m_backend;
    QThreadPool m_threads;
    std::shared_ptr<std::atomic<quint64>> m_generation = std::make_shared<std::atomic<quint64>>(0);

    QString m_slug;
    bool m_loading = false;
    QString m_error;
    QDateTime m_loadedAt;
    QVariantMap m_overview;
    QVariantList m_configuration;
    QVariantList m_limits;
    QVariantList m_features;
    QVariantList m_usage;
    double m_seatsUsed = -1;
    double m_seatLimit = -1;
    QString m_usageError;
    QVariantList m_history;
    QString m_historyError;
};

} // namespace upcoach::viewmodels
