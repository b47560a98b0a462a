// The pure parts of the tenant routes (/api/v1/tenants...), unit-tested directly: request bodies,
// the list and deletion queries, If-Match, JSON merge patches, the JSON of a tenant and of an
// export, and how a registry error becomes an answer (and whether the registry had already
// recorded an audit event for it).
#pragma once

#include "auditquery.h"
#include "httpsupport.h"
#include "upcoach/tenancy/registry.h"
#include "upcoach/tenancy/tenant.h"
#include "upcoach/tenancy/tenantexport.h"
#include "upcoach/tenancy/tenantsettings.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrlQuery>
#include <optional>
#include <variant>

namespace upcoach::api::detail {

inline constexpr int kMaxTenantPageSize = 1000;
inline constexpr int kDefaultTenantPageSize = 100;
// DELETE /api/v1/tenants/{slug}?retentionDays=: how long a deleted tenant can still be restored.
inline constexpr int kDefaultRetentionDays = 30;
inline constexpr int kMaxRetentionDays = 365;
// POST /api/v1/tenants/{slug}/export body ({"mask": bool}); larger → 413.
inline constexpr qint64 kMaxTenantExportRequestBytes = 4 * 1024;

// POST /api/v1/tenants, as application/json: required slug, name, plan, homeRegion, isolation,
// ownerEmail; optional ownerName, kind, parent, allowedRegions, config, limits, features, trial.
// Problems name the field and never repeat a value: 413 beyond `maxBytes`, 415 for another
// media type, 400 for the rest. Values are checked by type here and by meaning in the registry.
std::variant<tenancy::NewTenant, Problem> parseNewTenant(const QByteArray &contentType,
                                                         const QByteArray &body, qint64 maxBytes);

// PATCH /api/v1/tenants/{slug}: any of name, plan, allowedRegions, ownerName, ownerEmail,
// config, limits, features.
//   application/json: each field given replaces the tenant's value (config, limits and features
//   as whole objects; null resets one to {} — the plan's values and the defaults).
//   application/merge-patch+json (RFC 7396): config, limits and features are merged into the
//   tenant's current objects (null removes a key); top-level null resets ownerName to "" and
//   config/limits/features to {}.
struct TenantUpdate
{
    tenancy::TenantPatch patch;
    // Merge mode: RFC 7396 patches (an object, or null) for config / limits / features, applied
    // to the tenant as read just before the update (resolveUpdate).
    QJsonObject objectMerges;
    bool needsCurrent() const { return !objectMerges.isEmpty(); }
};
std::variant<TenantUpdate, Problem> parseTenantUpdate(const QByteArray &contentType,
                                                      const QByteArray &body, qint64 maxBytes);
// The patch to hand the registry: `update.patch` with the merges applied to `current`.
tenancy::TenantPatch resolveUpdate(const TenantUpdate &update, const tenancy::Tenant &current);

// RFC 7396 JSON Merge Patch of `target` by `patch` (a non-object patch replaces the target).
QJsonValue mergePatch(const QJsonValue &target, const QJsonValue &patch);

// POST /api/v1/tenants/{slug}/move: {"isolation"?: "rls"|"schema"|"database", "homeRegion"?:
// region id}, at least one; an omitted one stays as it is.
struct TenantMoveRequest
{
    std::optional<tenancy::IsolationStrategy> isolation;
    std::optional<QString> homeRegion;
};
std::variant<TenantMoveRequest, Problem> parseTenantMove(const QByteArray &contentType,
                                                         const QByteArray &body, qint64 maxBytes);

// POST /api/v1/tenants/{slug}/export: no body, or application/json {"mask": true|false}
// (null or absent: false).
struct TenantExportRequest
{
    bool mask = false;
};
std::variant<TenantExportRequest, Problem>
parseTenantExport(const QByteArray &contentType, const QByteArray &body, qint64 maxBytes);

// The directory an export is written to, inside the configured export directory:
// "<slug>-<UTC yyyyMMddTHHmmssZ>-<suffix as hex>" (8 hex digits for 4 random bytes).
QString exportDirectoryName(const QString &slug, const QDateTime &now, const QByteArray &suffix);

// The answer to an export: {"directory", "manifest": the manifest.json object, "rows": {table: n}}.
QJsonObject tenantExportJson(const tenancy::ExportReport &report, const QJsonObject &manifest);

// Lifecycle actions (and restore, deletion) take no body: none, or an empty JSON object.
std::optional<Problem> checkNoBody(const QByteArray &contentType, const QByteArray &body);

// If-Match (RFC 9110 §13.1.1) against the tenant's version, whose entity tag is "<version>"
// (strong). `*` matches any existing tenant; weak tags never match (strong comparison).
struct IfMatch
{
    bool present = false;
    bool any = false;
    QList<qint64> versions;
    bool matches(qint64 version) const { return !present || any || versions.contains(version); }
};
// `values`: every If-Match header of the request. 400 (naming If-Match) when malformed.
std::variant<IfMatch, Problem> parseIfMatch(const QList<QByteArray> &values);
QByteArray versionETag(qint64 version);

// GET /api/v1/tenants: state, plan, region, isolation, parent, q, sort, order, limit, offset,
// each at most once; unknown, repeated or invalid parameters are refused naming them.
std::variant<tenancy::TenantQuery, QueryError> parseTenantListQuery(const QUrlQuery &query);

// DELETE /api/v1/tenants/{slug}: retentionDays (decimal digits, 1..365, default 30), at most
// once; anything else is refused naming the parameter(s). Returns the retention in days.
std::variant<int, QueryError> parseDeletionQuery(const QUrlQuery &query);

// The tenant as the API shows it (README.md, "Tenant routes"). `parentSlug` empty → null.
QJsonObject tenantJson(const tenancy::Tenant &tenant, const QString &parentSlug);
// {"limits": {...}, "features": {...}, "config": {...every key, defaults filled in}}.
QJsonObject effectiveSettingsJson(const tenancy::EffectiveSettings &settings);

// The registry operation an error came from: the same error code means different things (and
// was or was not recorded by the registry) depending on where it was raised.
enum class TenantOperation
{
    Read,
    Create,
    Update,
    Transition,
    Move,
    Delete,  // requestDeletion
    Restore, // cancelDeletion
    Export,  // tenancy::exportTenant
};

struct RegistryFailure
{
    Problem problem;
    // The registry already recorded an event for this request (a refused lifecycle action, a
    // change that failed after its event was durable), or the answer is a 5xx (never recorded by
    // the API): the API adds none. False: nothing was recorded, and the API records the 4xx.
    bool recordedByRegistry = false;
};

// What a registry call on a worker produced, for the event loop to answer.
struct TenantOutcome
{
    std::optional<tenancy::Tenant> tenant; // success
    QString parentSlug;                    // of `tenant`; empty: none
    std::optional<tenancy::EffectiveSettings> settings;
    std::optional<Error> error;     // the registry refused or failed (see registryFailure)
    std::optional<Problem> problem; // decided on the worker (a stale If-Match, provisioning)
    bool problemRecordedByRegistry = false;
};

// The registry's version check refused the change before it recorded anything: the tenant
// changed since the version the caller (or the API, for a merge) read.
bool isUnrecordedStaleVersion(const Error &error);

// `preconditionGiven`: the request had If-Match (a stale version is then 412, else 409).
// Unavailable and internal errors are answered without repeating the registry's message
// (it may name hosts or SQL); the caller logs it.
RegistryFailure registryFailure(TenantOperation operation, const Error &error,
                                bool preconditionGiven);

// Problems of the tenant routes.
Problem tenancyUnavailable(const QString &detail);
Problem tenantNotFound(const QString &slug);
Problem preconditionFailed(const QString &detail);
Problem provisioningFailed(const QString &slug);
// The invalid path segment of /api/v1/tenants/{slug}/...
Problem invalidSlugInPath();
// No TenantSessions or no export directory configured.
Problem tenantExportUnavailable();
// The export was recorded but could not be completed (database, files); the reason is logged.
Problem tenantExportFailed();

// "slug: ..." → "slug"; "config.timezone: ..." → "config.timezone"; empty when the message
// does not start with a field name.
QString fieldOf(const QString &message);

} // namespace upcoach::api::detail
