// The "New tenant" wizard: the form's state, step by step, with each step checked on the spot
// for format (the rules of tenant.h: the same messages the registry gives) and the slug checked
// against the registry before the operator moves on; submit() creates and provisions the tenant
// on a worker thread. Every error names its field: fieldErrors maps the field ("slug", "name",
// "plan", "homeRegion", "allowedRegions", "isolation", "ownerEmail", "ownerName") to the message
// without the field's name, and a registry error sends the wizard back to its field's step.
#pragma once

#include "tenantbackend.h"

#include <QObject>
#include <QStringList>
#include <QThreadPool>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace upcoach::viewmodels {

class TenantWizard final : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built by the composition root")

    Q_PROPERTY(bool ready READ ready NOTIFY readyChanged)
    // 0 identity (name, slug), 1 plan, 2 placement (home and allowed regions, isolation),
    // 3 owner, 4 review.
    Q_PROPERTY(int step READ step NOTIFY stepChanged)
    Q_PROPERTY(int stepCount READ stepCount CONSTANT)
    Q_PROPERTY(QString name READ name WRITE setName NOTIFY formChanged)
    // Follows the name (suggestTenantSlug) until the operator edits it.
    Q_PROPERTY(QString slug READ slug WRITE setSlug NOTIFY formChanged)
    Q_PROPERTY(bool slugEdited READ slugEdited NOTIFY formChanged)
    Q_PROPERTY(QString plan READ plan WRITE setPlan NOTIFY formChanged)
    Q_PROPERTY(bool trial READ trial WRITE setTrial NOTIFY formChanged)
    Q_PROPERTY(QString homeRegion READ homeRegion WRITE setHomeRegion NOTIFY formChanged)
    // Always includes the home region (data residency).
    Q_PROPERTY(
        QStringList allowedRegions READ allowedRegions WRITE setAllowedRegions NOTIFY formChanged)
    // rls | schema | database
    Q_PROPERTY(QString isolation READ isolation WRITE setIsolation NOTIFY formChanged)
    Q_PROPERTY(QString ownerName READ ownerName WRITE setOwnerName NOTIFY formChanged)
    Q_PROPERTY(QString ownerEmail READ ownerEmail WRITE setOwnerEmail NOTIFY formChanged)
    Q_PROPERTY(QStringList regionChoices READ regionChoices NOTIFY readyChanged)

    Q_PROPERTY(QVariantMap fieldErrors READ fieldErrors NOTIFY errorsChanged)
    // An error that belongs to no field (the database did not answer, say).
    Q_PROPERTY(QString error READ error NOTIFY errorsChanged)
    // Checking the slug or creating the tenant.
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString createdSlug READ createdSlug NOTIFY created)

public:
    enum Step
    {
        IdentityStep,
        PlanStep,
        PlacementStep,
        OwnerStep,
        ReviewStep,
    };
    Q_ENUM(Step)

    // No default argument: Qt 6.4 instantiates QML element wrappers for default-constructible
    // types even when QML_UNCREATABLE, and a final class cannot be wrapped.
    explicit TenantWizard(QObject *parent);
    ~TenantWizard() override; // waits for a running check or creation

    // GUI thread. The backend must outlive this object.
    void setBackend(const TenantBackend &backend);

    bool ready() const { return m_backend.isComplete(); }
    int step() const { return m_step; }
    int stepCount() const { return ReviewStep + 1; }
    QString name() const { return m_name; }
    void setName(const QString &name);
    QString slug() const { return m_slug; }
    void setSlug(const QString &slug);
    bool slugEdited() const { return m_slugEdited; }
    QString plan() const { return m_plan; }
    void setPlan(const QString &plan);
    bool trial() const { return m_trial; }
    void setTrial(bool trial);
    QString homeRegion() const { return m_homeRegion; }
    void setHomeRegion(const QString &region);
    QStringList allowedRegions() const { return m_allowedRegions; }
    void setAllowedRegions(const QStringList &regions);
    QString isolation() const { return m_isolation; }
    void setIsolation(const QString &isolation);
    QString ownerName() const { return m_ownerName; }
    void setOwnerName(const QString &name);
    QString ownerEmail() const { return m_ownerEmail; }
    void setOwnerEmail(const QString &email);
    QStringList regionChoices() const { return m_backend.regions; }

    QVariantMap fieldErrors() const { return m_fieldErrors; }
    QString error() const { return m_error; }
    bool busy() const { return m_busy; }
    QString createdSlug() const { return m_createdSlug; }

    Q_INVOKABLE static QString suggestSlug(const QString &name) { return suggestTenantSlug(name); }
    // Checks a step's fields locally; fills fieldErrors for that step's fields.
    Q_INVOKABLE bool validateStep(int step);
    // Validates the current step and moves on (the identity step also asks the registry whether
    // the slug is free, so next() may finish later: watch `step`). False when it cannot.
    Q_INVOKABLE bool next();
    Q_INVOKABLE void back();
    // Creates the tenant (from the review step). created() or errors follow.
    Q_INVOKABLE bool submit();
    // Empties the form (defaults: first plan, first region, rls, trial) and goes to step 0.
    Q_INVOKABLE void reset(const QString &defaultPlan = QString());
    Q_INVOKABLE void toggleAllowedRegion(const QString &region, bool allowed);

    // The step on which `field` is entered.
    static int stepOf(const QString &field);

Q_SIGNALS:
    void readyChanged();
    void stepChanged();
    void formChanged();
    void errorsChanged();
    void busyChanged();
    void created(const QString &slug);

private:
    void setStep(int step);
    void setBusy(bool busy);
    void setFieldError(const QString &field, const QString &message);
    void clearFieldErrors(const QStringList &fields);
    void takeError(const QString &message);

    TenantBackend m_backend;
    QThreadPool m_threads;
    int m_step = IdentityStep;
    QString m_name;
    QString m_slug;
    bool m_slugEdited = false;
    QString m_plan;
    bool m_trial = true;
    QString m_homeRegion;
    QStringList m_allowedRegions;
    QString m_isolation = QStringLiteral("rls");
    QString m_ownerName;
    QString m_ownerEmail;
    QVariantMap m_fieldErrors;
    QString m_error;
    bool m_busy = false;
    QString m_createdSlug;
};

} // namespace upcoach::viewmodels
