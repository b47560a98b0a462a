// What the Tenants page's view models work with: the tenancy backend of the process (registry,
// sessions, audit log reader) as the composition root hands it over, possibly after the window
// is up. Every call into it blocks, so the view models make them on worker threads only.
#pragma once

#include "upcoach/core/clock.h"

#include <QString>
#include <QStringList>

namespace upcoach::tenancy {
class TenantRegistry;
class TenantSessions;
class TenantUsers;
class TenantQuota;
class ImpersonationService;
class TenantKeyRotation;
} // namespace upcoach::tenancy
namespace upcoach::compliance {
class AuditStore;
}

namespace upcoach::viewmodels {

struct TenantBackend
{
    tenancy::TenantRegistry *registry = nullptr;
    tenancy::TenantSessions *sessions = nullptr;
    compliance::AuditStore *audit = nullptr;
    // The regions configured here (filter choices, the wizard's home and allowed regions).
    QStringList regions;
    // Who console actions are recorded as ("user:<operating-system user>"); never a secret.
    QString actor;
    // Users (the impersonation picker), usage against limits, impersonations, data keys.
    tenancy::TenantUsers *users = nullptr;
    tenancy::TenantQuota *quota = nullptr;
    tenancy::ImpersonationService *impersonations = nullptr;
    tenancy::TenantKeyRotation *keyRotation = nullptr;
    // What "now" is for impersonation countdowns and open/expired history (the services' clock;
    // null: the system clock). Tests pass a ManualClock shared with the services.
    const Clock *clock = nullptr;

    QDateTime now() const { return (clock ? *clock : Clock::system()).now(); }

    bool isComplete() const
    {
        return registry && sessions && audit && !actor.isEmpty() && users && quota &&
               impersonations && keyRotation;
    }
};

// A backend error such as "slug: 3 to 63 characters ..." split into its field ("slug") and the
// rest. Field paths may be dotted ("config.timezone", "limits.seats"). Messages that do not
// start with a field leave `field` empty and `message` whole.
struct FieldMessage
{
    QString field;
    QString message;
};
FieldMessage splitFieldMessage(const QString &message);

// "Acme Health, Inc." → "acme-health-inc": lower case a-z, 0-9 and single dashes, starting with
// a letter, at most 63 characters (what tenancy::validateSlug accepts when long enough).
QString suggestTenantSlug(const QString &name);

} // namespace upcoach::viewmodels
