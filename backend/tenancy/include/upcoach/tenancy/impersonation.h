// Operator impersonation of a tenant user: a reason and a ticket are required, it is
// time-boxed (at most 4 hours), ended explicitly or by expiry, and every action taken under it
// is recorded in the audit log with both identities (actor = the impersonated user,
// impersonator = the operator). Blocking.
#pragma once

#include "upcoach/core/clock.h"
#include "upcoach/core/result.h"
#include "upcoach/tenancy/tenant.h"
#include "upcoach/tenancy/tenantsession.h"

#include <QDateTime>
#include <QJsonObject>
#include <chrono>
#include <vector>

namespace upcoach::compliance {
class AuditLog;
}
namespace upcoach::storage {
class ConnectionPool;
}

namespace upcoach::tenancy {

class TenantRegistry;

struct ImpersonationRequest
{
    QString tenantSlug;
    QString subject;                   // the tenant user acted as: "user:alice@acme.example"
    QString reason;                    // 10 to 1000 characters
    QString ticket;                    // "SUP-1234"
    std::chrono::minutes duration{30}; // 1 minute to 4 hours
};

struct Impersonation
{
    QUuid id;
    QUuid tenantId;
    QString tenantSlug;
    QString operatorActor; // who impersonates ("user:ops@upcoach.example")
    QString subject;       // "user:<email>" as the operator chose it (shown to operators)
    QString subjectUserId; // the user's id in the tenant: audit events name the subject by it
    QString reason;
    QString ticket;
    QDateTime startedAt;
    QDateTime expiresAt;
    QDateTime endedAt; // invalid while open
    QString endedBy;
    bool activeAt(const QDateTime &now) const { return !endedAt.isValid() && now < expiresAt; }
    // Who actions under it are recorded as: "user:<subject user id>" (no email in the log).
    QString subjectActor() const;
};

class ImpersonationService
{
public:
    ImpersonationService(storage::ConnectionPool &controlPlane, TenantRegistry &registry,
                         TenantSessions &sessions, compliance::AuditLog &audit,
                         const Clock &clock = Clock::system());

    // Records "tenant.impersonation.start" (operator as actor), then opens it. Errors name the
    // field; the subject must be a user of the tenant (NotFound otherwise). Only trial and
    // active tenants can be impersonated.
    Result<Impersonation> start(const ImpersonationRequest &request,
                                const ActorContext &operatorActor);
    // Ends it (recorded); Conflict when it had already ended or expired.
    Result<Impersonation> end(const QUuid &id, const ActorContext &actor);
    Result<Impersonation> get(const QUuid &id);
    // The tenant's impersonations: open ones first, then newest first (openOnly: only those open
    // now). limit 1..500.
    Result<std::vector<Impersonation>> list(const QString &tenantSlug, bool openOnly,
                                            int limit = 50);

    // What the impersonated user sees of their own coaching: their profile, goals, habits (with
    // check-ins of the last 30 days) and coaching sessions (as coach or coachee, newest first,
    // at most 50), read under the impersonation and recorded as "tenant.impersonation.view".
    // Only the operator who started it may (Forbidden otherwise); the record carries the
    // caller's source IP and request id.
    // {"user": {id, email, displayName, role} (null when the user was removed),
    //  "goals":    [{id, title, status, progress (0..100), targetDate ("YYYY-MM-DD" or null)}],
    //  "habits":   [{id, name, cadence, checkinsLast30Days}],
    //  "sessions": [{id, scheduledAt (ISO 8601 UTC), durationMinutes, status,
    //                as ("coach" | "coachee"), with (the other person's display name)}]}
    Result<QJsonObject> overview(const QUuid &id, const ActorContext &caller);

    // Runs fn in a tenant session as the impersonated user: refused unless the impersonation is
    // open and `caller` is the operator who started it; the action is recorded first with both
    // identities (actor = subjectActor(), impersonator = operator, details.impersonation = id)
    // and the caller's source IP and request id.
    template<typename Fn>
    auto run(const QUuid &id, const ActorContext &caller, const QString &action,
             const QJsonObject &details, Fn &&fn)
        -> Result<std::invoke_result_t<Fn, TenantTransaction &>>
    {
        auto allowed = admit(id, caller, action, details);
        if (!allowed)
            return allowed.error();
        return m_sessions.run(allowed->tenantSlug, TenantAccess::Member, std::forward<Fn>(fn));
    }

private:
    // Checks the impersonation is open and the caller's, and records the action; the
    // impersonation on success.
    Result<Impersonation> admit(const QUuid &id, const ActorContext &caller, const QString &action,
                                const QJsonObject &details);

    storage::ConnectionPool &m_control;
    TenantRegistry &m_registry;
    TenantSessions &m_sessions;
    compliance::AuditLog &m_audit;
    const Clock &m_clock;
};

} // namespace upcoach::tenancy
