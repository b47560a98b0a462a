// "Impersonate user…" on the Tenants page: the form (the tenant user to act as, picked from
// TenantUserListModel; a reason of reasonMinimum..reasonMaximum characters; a support ticket; a
// duration from durationChoices), checked field by field with the rules and words of
// ImpersonationService::start and then by the service itself (its error goes to the field it
// names, splitFieldMessage); and, once started, the open impersonation: who is acted as, the
// ticket, the countdown to expiresAt (a timer on the backend's clock; expiry ends it here by
// itself), what the user sees of their coaching (ImpersonationService::overview: goals, habits,
// sessions) and end(). One impersonation at a time; every backend call runs on the object's own
// worker thread.
//
// Unknown numbers are -1, unknown dates invalid (null in QML), unknown strings empty.
#pragma once

#include "tenantbackend.h"
#include "tenantuserlistmodel.h"

#include <QDateTime>
#include <QObject>
#include <QThreadPool>
#include <QTimer>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace upcoach::viewmodels {

class TenantImpersonation final : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built by the composition root")

    Q_PROPERTY(bool ready READ ready NOTIFY readyChanged)
    // Starting or ending (a backend call is under way).
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    // Who the audit log names as the operator.
    Q_PROPERTY(QString actor READ actor NOTIFY readyChanged)

    // The form (prepare() fills the tenant and empties the rest).
    Q_PROPERTY(QString tenantSlug READ tenantSlug NOTIFY formChanged)
    Q_PROPERTY(QString tenantName READ tenantName NOTIFY formChanged)
    Q_PROPERTY(upcoach::viewmodels::TenantUserListModel *users READ users CONSTANT)
    // The chosen user: "user:<email>" ("" = none yet), with their name, email and role.
    Q_PROPERTY(QString subject READ subject NOTIFY formChanged)
    Q_PROPERTY(QString subjectName READ subjectName NOTIFY formChanged)
    Q_PROPERTY(QString subjectEmail READ subjectEmail NOTIFY formChanged)
    Q_PROPERTY(QString subjectRole READ subjectRole NOTIFY formChanged)
    Q_PROPERTY(QString reason READ reason WRITE setReason NOTIFY formChanged)
    // Characters of the reason as the service counts them (trimmed).
    Q_PROPERTY(int reasonLength READ reasonLength NOTIFY formChanged)
    Q_PROPERTY(int reasonMinimum READ reasonMinimum CONSTANT)
    Q_PROPERTY(int reasonMaximum READ reasonMaximum CONSTANT)
    Q_PROPERTY(QString ticket READ ticket WRITE setTicket NOTIFY formChanged)
    Q_PROPERTY(int durationMinutes READ durationMinutes WRITE setDurationMinutes NOTIFY formChanged)
    // The durations offered: [{minutes, value, unit ("min" | "h")}] (60 → 1 h).
    Q_PROPERTY(QVariantList durationChoices READ durationChoices CONSTANT)
    // Field ("subject", "reason", "ticket", "duration") → what is wrong, without the field's name.
    Q_PROPERTY(QVariantMap fieldErrors READ fieldErrors NOTIFY errorsChanged)
    // An error that belongs to no field (the tenant's state, the database, ending failed).
    Q_PROPERTY(QString error READ error NOTIFY errorsChanged)

    // The open impersonation.
    Q_PROPERTY(bool active READ active NOTIFY activeChanged)
    Q_PROPERTY(QString impersonationId READ impersonationId NOTIFY activeChanged)
    Q_PROPERTY(QString activeTenantSlug READ activeTenantSlug NOTIFY activeChanged)
    Q_PROPERTY(QString activeTenantName READ activeTenantName NOTIFY activeChanged)
    Q_PROPERTY(QString activeSubject READ activeSubject NOTIFY activeChanged)
    // The user's display name (from the picker, then from the overview).
    Q_PROPERTY(QString activeName READ activeName NOTIFY activeChanged)
    Q_PROPERTY(QString activeEmail READ activeEmail NOTIFY activeChanged)
    Q_PROPERTY(QString activeRole READ activeRole NOTIFY activeChanged)
    Q_PROPERTY(QString activeTicket READ activeTicket NOTIFY activeChanged)
    Q_PROPERTY(QString operatorActor READ operatorActor NOTIFY activeChanged)
    Q_PROPERTY(QDateTime startedAt READ startedAt NOTIFY activeChanged)
    Q_PROPERTY(QDateTime expiresAt READ expiresAt NOTIFY activeChanged)
    // Seconds until it expires (-1 when none is open), and as a clock: "29:41", "1:59:41".
    Q_PROPERTY(int remainingSeconds READ remainingSeconds NOTIFY remainingChanged)
    Q_PROPERTY(QString remainingText READ remainingText NOTIFY remainingChanged)
    // The whole span in seconds, and the share of it left (0..1, for a bar of the time left).
    Q_PROPERTY(int durationSeconds READ durationSeconds NOTIFY activeChanged)
    Q_PROPERTY(double remainingShare READ remainingShare NOTIFY remainingChanged)

    // What the user sees (ImpersonationService::overview, read under the impersonation).
    Q_PROPERTY(bool overviewLoading READ overviewLoading NOTIFY overviewChanged)
    Q_PROPERTY(QString overviewError READ overviewError NOTIFY overviewChanged)
    Q_PROPERTY(QDateTime overviewLoadedAt READ overviewLoadedAt NOTIFY overviewChanged)
    // [{title, status (open | achieved | abandoned), progress (0..100, -1 unknown),
    //   progressFraction (0..1), targetDate}]
    Q_PROPERTY(QVariantList goals READ goals NOTIFY overviewChanged)
    // [{name, cadence (daily | weekly), checkins}] (check-ins within habitWindowDays)
    Q_PROPERTY(QVariantList habits READ habits NOTIFY overviewChanged)
    // [{scheduledAt, durationMinutes, status, as (coach | coachee), with (the other's name)}],
    // newest first
    Q_PROPERTY(QVariantList sessions READ sessions NOTIFY overviewChanged)
    // The span the overview counts habit check-ins over (ImpersonationService::overview).
    Q_PROPERTY(int habitWindowDays READ habitWindowDays CONSTANT)

public:
    static constexpr int reasonMinimumLength = 10;    // ImpersonationService::start
    static constexpr int reasonMaximumLength = 1000;  // ImpersonationService::start
    static constexpr int habitCheckinWindowDays = 30; // ImpersonationService::overview
    static constexpr int defaultDurationMinutes = 30;
    static constexpr int tickMs = 1000;

    // No default argument: Qt 6.4 instantiates QML element wrappers for default-constructible
    // types even when QML_UNCREATABLE, and a final class cannot be wrapped.
    explicit TenantImpersonation(QObject *parent);
    ~TenantImpersonation() override; // waits for a running call

    // GUI thread. The backend must outlive this object.
    void setBackend(const TenantBackend &backend);

    bool ready() const { return m_backend.isComplete(); }
    bool busy() const { return m_busy; }
    QString actor() const { return m_backend.actor; }

    QString tenantSlug() const { return m_tenantSlug; }
    QString tenantName() const { return m_tenantName; }
    TenantUserListModel *users() { return &m_users; }
    QString subject() const { return m_subject; }
    QString subjectName() const { return m_subjectName; }
    QString subjectEmail() const { return m_subjectEmail; }
    QString subjectRole() const { return m_subjectRole; }
    QString reason() const { return m_reason; }
    void setReason(const QString &reason);
    int reasonLength() const { return int(m_reason.trimmed().size()); }
    int reasonMinimum() const { return reasonMinimumLength; }
    int reasonMaximum() const { return reasonMaximumLength; }
    QString ticket() const { return m_ticket; }
    void setTicket(const QString &ticket);
    int durationMinutes() const { return m_durationMinutes; }
    void setDurationMinutes(int minutes);
    QVariantList durationChoices() const;
    QVariantMap fieldErrors() const { return m_fieldErrors; }
    QString error() const { return m_error; }

    bool active() const { return !m_active.id.isEmpty(); }
    QString impersonationId() const { return m_active.id; }
    QString activeTenantSlug() const { return m_active.tenantSlug; }
    QString activeTenantName() const { return m_active.tenantName; }
    QString activeSubject() const { return m_active.subject; }
    QString activeName() const { return m_active.name; }
    QString activeEmail() const { return m_active.email; }
    QString activeRole() const { return m_active.role; }
    QString activeTicket() const { return m_active.ticket; }
    QString operatorActor() const { return m_active.operatorActor; }
    QDateTime startedAt() const { return m_active.startedAt; }
    QDateTime expiresAt() const { return m_active.expiresAt; }
    int remainingSeconds() const { return m_remaining; }
    QString remainingText() const;
    int durationSeconds() const;
    double remainingShare() const;

    bool overviewLoading() const { return m_overviewLoading; }
    QString overviewError() const { return m_overviewError; }
    QDateTime overviewLoadedAt() const { return m_overviewLoadedAt; }
    QVariantList goals() const { return m_goals; }
    QVariantList habits() const { return m_habits; }
    QVariantList sessions() const { return m_sessions; }
    int habitWindowDays() const { return habitCheckinWindowDays; }

    // Empties the form for `slug` (its users are listed) and clears the errors.
    Q_INVOKABLE void prepare(const QString &slug, const QString &name);
    // Picks the user at `row` of `users` (TenantUserListModel::choose does the same); false for
    // a row that is not loaded.
    Q_INVOKABLE bool chooseUser(int row);
    Q_INVOKABLE void clearUser();
    // Checks every field with the service's rules; fills fieldErrors. True when all pass.
    Q_INVOKABLE bool validate();
    // Starts the impersonation (validate() first). False (nothing started) when busy, one is
    // open already, without a backend or when a field is wrong. started() or errors follow.
    Q_INVOKABLE bool start();
    // Ends the open impersonation (recorded). ended("ended", ...) or error follows.
    Q_INVOKABLE bool end();
    // Reads what the user sees again.
    Q_INVOKABLE void reloadOverview();
    Q_INVOKABLE void clearErrors();

    // "29:41" / "1:59:41" for `seconds` in the current locale's digits ("" below zero).
    static QString clockText(int seconds);

Q_SIGNALS:
    void readyChanged();
    void busyChanged();
    void formChanged();
    void errorsChanged();
    void activeChanged();
    void remainingChanged();
    void overviewChanged();
    void started(const QString &tenantSlug);
    // `how`: "ended" (by the operator) or "expired" (its time ran out).
    void ended(const QString &tenantSlug, const QString &how);

private:
    struct Active
    {
        QString id;
        QString tenantSlug;
        QString tenantName;
        QString subject;
        QString name;
        QString email;
        QString role;
        QString ticket;
        QString operatorActor;
        QDateTime startedAt;
        QDateTime expiresAt;
    };
    struct Overview;

    void tick();
    void finish(const QString &how);
    void applyOverview(const std::shared_ptr<Overview> &overview);
    void setBusy(bool busy);
    void setFieldError(const QString &field, const QString &message);
    void takeError(const QString &message);

    TenantBackend m_backend;
    QThreadPool m_threads;
    QTimer m_ticker;
    TenantUserListModel m_users{nullptr};
    bool m_busy = false;

    QString m_tenantSlug;
    QString m_tenantName;
    QString m_subject;
    QString m_subjectName;
    QString m_subjectEmail;
    QString m_subjectRole;
    QString m_reason;
    QString m_ticket;
    int m_durationMinutes = defaultDurationMinutes;
    QVariantMap m_fieldErrors;
    QString m_error;

    Active m_active;
    int m_remaining = -1;
    // Bumped when an impersonation ends: an overview read for it that comes back later is
    // dropped.
    quint64 m_overviewGeneration = 0;
    bool m_overviewLoading = false;
    QString m_overviewError;
    QDateTime m_overviewLoadedAt;
    QVariantList m_goals;
    QVariantList m_habits;
    QVariantList m_sessions;
};

} // namespace upcoach::viewmodels
