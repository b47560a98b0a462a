// The Tenants page's detail pane: one tenant's record, its effective settings against its plan
// (configuration with defaults, limits and feature flags with plan values and overrides), usage
// against its limits (TenantQuota: rows and stored bytes per table, seats and storage), its data
// keys (TenantKeyRotation::status), its impersonations (ImpersonationService::list, open ones
// first) and lifecycle history (its audit events, newest first). load() reads everything on a
// worker thread; the result replaces what is shown in one step (changed()), so the pane never
// shows two tenants mixed.
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
#include <algorithm>
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
    // TenantQuota's measurement, per tenant table (tenantTables() order): [{table, rows, bytes,
    // bytesText (human-readable, this locale), share (of all stored bytes, 0..1)}]
    Q_PROPERTY(QVariantList usage READ usage NOTIFY changed)
    // Rows of every table; -1 when unknown.
    Q_PROPERTY(double usageRows READ usageRows NOTIFY changed)
    // Seats in use (users) against the effective seat limit; -1 when unknown.
    Q_PROPERTY(double seatsUsed READ seatsUsed NOTIFY changed)
    Q_PROPERTY(double seatLimit READ seatLimit NOTIFY changed)
    // Stored bytes of the tenant's rows against the effective storage limit; -1 when unknown;
    // the texts human-readable ("3.2 MiB"), "" when unknown.
    Q_PROPERTY(double storageUsed READ storageUsed NOTIFY changed)
    Q_PROPERTY(double storageLimit READ storageLimit NOTIFY changed)
    Q_PROPERTY(QString storageUsedText READ storageUsedText NOTIFY changed)
    Q_PROPERTY(QString storageLimitText READ storageLimitText NOTIFY changed)
    // used / limit, 0..1 (over the limit: 1), for the bars; -1 when unknown.
    Q_PROPERTY(double seatShare READ seatShare NOTIFY changed)
    Q_PROPERTY(double storageShare READ storageShare NOTIFY changed)
    // When the figures were measured (TenantQuota caches a measurement for a while).
    Q_PROPERTY(QDateTime usageMeasuredAt READ usageMeasuredAt NOTIFY changed)
    // Why usage could not be read (not provisioned, deleted, database down); empty otherwise.
    Q_PROPERTY(QString usageError READ usageError NOTIFY changed)

    // Data keys, newest first: [{version, createdAt, kekId, kekVersion, rewrappedAt (null until
    // re-wrapped), current (bool), values (field values encrypted under it)}]
    Q_PROPERTY(QVariantList keyVersions READ keyVersions NOTIFY changed)
    // 0 when the tenant has no keys (destroyed, or never created).
    Q_PROPERTY(int currentKeyVersion READ currentKeyVersion NOTIFY changed)
    Q_PROPERTY(QDateTime currentKeyCreatedAt READ currentKeyCreatedAt NOTIFY changed)
    // Encrypted values in all, and those still under an older version; -1 when unknown.
    Q_PROPERTY(double encryptedValues READ encryptedValues NOTIFY changed)
    Q_PROPERTY(double pendingReencryption READ pendingReencryption NOTIFY changed)
    // Invalid when no rotation policy applies.
    Q_PROPERTY(QDateTime nextRotationDue READ nextRotationDue NOTIFY changed)
    Q_PROPERTY(QString encryptionError READ encryptionError NOTIFY changed)

    // The tenant's impersonations, open ones first, then newest first (at most
    // impersonationLimit): [{id, operator, subject, ticket, reason, startedAt, expiresAt,
    // endedAt, endedBy, status (open | ended | expired)}]
    Q_PROPERTY(QVariantList impersonations READ impersonations NOTIFY changed)
    Q_PROPERTY(int openImpersonations READ openImpersonations NOTIFY changed)
    Q_PROPERTY(QString impersonationsError READ impersonationsError NOTIFY changed)
    // [{sequence, time (QDateTime UTC), actor, impersonator, action, outcome, summary}],
    // newest first, at most historyLimit.
    Q_PROPERTY(QVariantList history READ history NOTIFY changed)
    Q_PROPERTY(QString historyError READ historyError NOTIFY changed)

public:
    // The usage and key figures as the pane shows them (built on the worker thread).
    struct Usage
    {
        QVariantList tables;
        double rows = -1;
        double seatsUsed = -1;
        double seatLimit = -1;
        double storageUsed = -1;
        double storageLimit = -1;
        QString storageUsedText;
        QString storageLimitText;
        QDateTime measuredAt;
        QString error;
    };
    struct Keys
    {
        QVariantList versions;
        int currentVersion = 0;
        QDateTime currentCreatedAt;
        double values = -1;
        double pending = -1;
        QDateTime nextRotationDue;
        QString error;
    };

    static constexpr int historyLimit = 100;
    static constexpr int impersonationLimit = 50;

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
    QVariantList usage() const { return m_usage.tables; }
    double usageRows() const { return m_usage.rows; }
    double seatsUsed() const { return m_usage.seatsUsed; }
    double seatLimit() const { return m_usage.seatLimit; }
    double storageUsed() const { return m_usage.storageUsed; }
    double storageLimit() const { return m_usage.storageLimit; }
    QString storageUsedText() const { return m_usage.storageUsedText; }
    QString storageLimitText() const { return m_usage.storageLimitText; }
    double seatShare() const { return share(m_usage.seatsUsed, m_usage.seatLimit); }
    double storageShare() const { return share(m_usage.storageUsed, m_usage.storageLimit); }
    QDateTime usageMeasuredAt() const { return m_usage.measuredAt; }
    QString usageError() const { return m_usage.error; }
    QVariantList keyVersions() const { return m_keys.versions; }
    int currentKeyVersion() const { return m_keys.currentVersion; }
    QDateTime currentKeyCreatedAt() const { return m_keys.currentCreatedAt; }
    double encryptedValues() const { return m_keys.values; }
    double pendingReencryption() const { return m_keys.pending; }
    QDateTime nextRotationDue() const { return m_keys.nextRotationDue; }
    QString encryptionError() const { return m_keys.error; }
    QVariantList impersonations() const { return m_impersonations; }
    int openImpersonations() const { return m_openImpersonations; }
    QString impersonationsError() const { return m_impersonationsError; }
    QVariantList history() const { return m_history; }
    QString historyError() const { return m_historyError; }

    // Shows `slug` (reads it on a worker thread); "" clears the pane.
    Q_INVOKABLE void load(const QString &slug);
    // Reads the shown tenant again (after an action).
    Q_INVOKABLE void reload();
    // Reads it again with a new usage measurement (not TenantQuota's cached one).
    Q_INVOKABLE void measureUsage();

Q_SIGNALS:
    void slugChanged();
    void loadingChanged();
    void changed();

private:
    struct Snapshot;
    static double share(double used, double limit)
    {
        if (used < 0 || limit <= 0)
            return -1;
        return std::min(1.0, used / limit);
    }
    void start(bool freshUsage = false);
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
    Usage m_usage;
    Keys m_keys;
    QVariantList m_impersonations;
    int m_openImpersonations = 0;
    QString m_impersonationsError;
    QVariantList m_history;
    QString m_historyError;
};

} // namespace upcoach::viewmodels
