// Plans, per-tenant configuration, limits and feature flags: the schema they are validated
// against, and the one interface other modules read a tenant's effective settings through.
//
// Configuration keys (all optional; unknown keys are rejected, naming them):
//   locale                "en-US"      language[-REGION] (BCP 47 subset)
//   timezone              "UTC"        an IANA zone name
//   weekStartsOn          "monday"     monday | sunday
//   sessionLengthMinutes  60           15..240, the default coaching session length
//   dataRetentionDays     730          30..3650
//   mfaRequired           false        users must enrol TOTP
//   ssoRequired           false        only with the "sso" feature
//   allowedEmailDomains   []           up to 50 domain names; empty = any
//   brandColor            "#2F6FEB"    #RRGGBB
// Limits (override the plan's): seats 1..1,000,000; storageBytes 0..10^15;
// apiRequestsPerMinute 1..1,000,000. Features (override the plan's): the plan's flag names,
// booleans.
#pragma once

#include "upcoach/core/result.h"
#include "upcoach/tenancy/tenant.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <vector>

namespace upcoach::tenancy {

struct TenantLimits
{
    qint64 seats = 0;
    qint64 storageBytes = 0;
    qint64 apiRequestsPerMinute = 0;
};

struct Plan
{
    QString plan;
    QString displayName;
    int trialDays = 0;
    TenantLimits limits;
    QMap<QString, bool> features;
    qint64 monthlyPricePerSeatCents = 0;
};

// Each error names the offending key path ("config.timezone: ...").
Status validateConfig(const QJsonObject &config, const Plan &plan, const QJsonObject &features);
Status validateLimitOverrides(const QJsonObject &limits);
Status validateFeatureOverrides(const QJsonObject &features, const Plan &plan);

struct EffectiveSettings
{
    QString slug;
    QString plan;
    TenantState state = TenantState::Trial;
    TenantLimits limits;
    QMap<QString, bool> features;
    QJsonObject config; // every key, defaults filled in
};

// The plan's values overridden by the tenant's own.
EffectiveSettings effectiveSettings(const Plan &plan, const Tenant &tenant);

// What other modules (rate limiting, SSO, billing, the console) read a tenant's limits and
// flags through.
class TenantSettingsSource
{
public:
    virtual ~TenantSettingsSource() = default;
    // Blocking (may read the database).
    virtual Result<EffectiveSettings> settingsFor(const QString &slug) = 0;
};

} // namespace upcoach::tenancy
