// What the Tenants page changes: lifecycle actions (activate, suspend, cancel, reactivate) on one
// tenant or on the checked ones, its configuration, limits and feature flags, and its data key
// (rotate-key). Every change goes through TenantRegistry or TenantKeyRotation (recorded in the
// audit log as the console's actor) on a worker thread; registry changes carry the version the
// operator saw, so a tenant changed meanwhile is refused rather than overwritten. One action
// runs at a time; finished() reports it.
#pragma once

#include "tenantbackend.h"

#include <QJsonObject>
#include <QObject>
#include <QThreadPool>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace upcoach::viewmodels {

// The settings editor's text turned into the tenant's override objects (tenantsettings.h).
// `errors` maps a field path ("config.sessionLengthMinutes", "limits.seats") to what is wrong
// with its text; nothing else is checked here (the registry validates the rest).
struct TenantSettingsEdit
{
    QJsonObject config;
    QJsonObject limits;
    QJsonObject features;
    QVariantMap errors;
};
// config: key → text ("" = the default; booleans "true"/"false"; lists comma-separated);
// limits: key → text ("" = the plan's; storageBytes also takes units: "50 GiB", "2TB");
// features: key → "on" | "off" | "" (the plan's).
TenantSettingsEdit parseTenantSettingsEdit(const QVariantMap &config, const QVariantMap &limits,
                                           const QVariantMap &features);
// "1048576", "50 GiB", "1.5 TB", "200MB" → bytes; -1 when it is not a size.
qint64 parseByteSize(const QString &text);

class TenantActions final : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built by the composition root")

    Q_PROPERTY(bool ready READ ready NOTIFY readyChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    // Who the audit log will name for the console's changes ("user:alice").
    Q_PROPERTY(QString actor READ actor NOTIFY readyChanged)
    // The last action ("activate", ..., "settings", "rotate-key"; "" before the first): "" or
    // what went wrong; fieldErrors for the settings editor's fields.
    Q_PROPERTY(QString lastAction READ lastAction NOTIFY resultChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY resultChanged)
    Q_PROPERTY(QVariantMap fieldErrors READ fieldErrors NOTIFY resultChanged)

public:
    // No default argument: Qt 6.4 instantiates QML element wrappers for default-constructible
    // types even when QML_UNCREATABLE, and a final class cannot be wrapped.
    explicit TenantActions(QObject *parent);
    ~TenantActions() override; // waits for a running action

    // GUI thread. The backend must outlive this object.
    void setBackend(const TenantBackend &backend);

    bool ready() const { return m_backend.isComplete(); }
    bool busy() const { return m_busy; }
    QString actor() const { return m_backend.actor; }
    QString lastAction() const { return m_lastAction; }
    QString lastError() const { return m_lastError; }
    QVariantMap fieldErrors() const { return m_fieldErrors; }

    // The lifecycle actions a tenant in `state` allows, in the order the page offers them
    // (activate, reactivate, suspend, cancel).
    Q_INVOKABLE QStringList actionsFor(const QString &state) const;
    // Also "rotate-key": every tenant that still has keys (not deleted).
    Q_INVOKABLE bool allows(const QString &state, const QString &action) const;

    // Starts `action` on one tenant. False (nothing started) when busy, without a backend or for
    // an unknown action.
    Q_INVOKABLE bool transition(const QString &slug, const QString &action, double version);
    // Starts `action` on every tenant of [{slug, state, version}] (TenantListModel::
    // checkedTenants) one after another; tenants whose state does not allow it are skipped.
    Q_INVOKABLE bool transitionMany(const QString &action, const QVariantList &tenants);
    // Replaces the tenant's configuration, limit and feature overrides (see
    // parseTenantSettingsEdit). Text that cannot be read fails at once with fieldErrors.
    Q_INVOKABLE bool saveSettings(const QString &slug, double version, const QVariantMap &config,
                                  const QVariantMap &limits, const QVariantMap &features);
    // Rotates the tenant's data key now and re-encrypts its values under the new version
    // (TenantKeyRotation::rotate): finished("rotate-key", ...). False when busy or without a
    // backend.
    Q_INVOKABLE bool rotateDataKey(const QString &slug);
    Q_INVOKABLE void clearErrors();

Q_SIGNALS:
    void readyChanged();
    void busyChanged();
    void resultChanged();
    // After every action: `action` is a lifecycle action, "settings" or "rotate-key"; `changed`
    // the tenants
    // it changed; `failed` how many it could not change (error: the first reason); `skipped`
    // how many were left alone because their state does not allow the action.
    void finished(const QString &action, bool ok, const QStringList &changed, int failed,
                  int skipped, const QString &error);

private:
    struct Outcome
    {
        QString action;
        QStringList changed;
        int failed = 0;
        int skipped = 0;
        QString error;
        QVariantMap fieldErrors;
    };
    template<typename Work> void run(const QString &action, Work work);
    void apply(const Outcome &outcome);
    void setBusy(bool busy);

    TenantBackend m_backend;
    QThreadPool m_threads;
    bool m_busy = false;
    QString m_lastAction;
    QString m_lastError;
    QVariantMap m_fieldErrors;
};

} // namespace upcoach::viewmodels
