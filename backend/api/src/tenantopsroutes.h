// The pure parts of the tenant operations routes below /api/v1/tenants/{slug} — users, usage,
// impersonations, data keys — unit-tested directly: query strings and request bodies (problems
// name the field or parameter and never repeat a value), the JSON of each answer, and how a
// domain error becomes an answer (and whether the domain had already recorded an audit event).
#pragma once

#include "auditquery.h"
#include "httpsupport.h"
#include "tenantroutes.h"
#include "upcoach/tenancy/impersonation.h"
#include "upcoach/tenancy/keyrotation.h"
#include "upcoach/tenancy/tenantusers.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QUrlQuery>
#include <variant>

namespace upcoach::api::detail {

inline constexpr int kDefaultTenantUserPageSize = 50;
inline constexpr int kMaxTenantUserPageSize = 500;
inline constexpr int kMaxTenantUserOffset = 10'000'000;
inline constexpr int kDefaultImpersonationPageSize = 50;
inline constexpr int kMaxImpersonationPageSize = 500;
inline constexpr int kDefaultImpersonationMinutes = 30;
inline constexpr int kMaxImpersonationMinutes = 240;

// GET .../usage: `fresh` (true|false, default false), at most once. Returns fresh.
std::variant<bool, QueryError> parseUsageQuery(const QUrlQuery &query);

// GET .../users: search (0..200 characters, no control characters), role (coach, coachee,
// admin; empty: any), limit (1..500, default 50), offset (0..10000000), each at most once.
std::variant<tenancy::TenantUserQuery, QueryError> parseTenantUserQuery(const QUrlQuery &query);

// POST .../users, as application/json: {"email", "displayName", "role"}, all required.
std::variant<tenancy::NewTenantUser, Problem>
parseNewTenantUser(const QByteArray &contentType, const QByteArray &body, qint64 maxBytes);

// POST .../impersonations, as application/json: {"subject": "user:<email>" or "<email>",
// "reason": 10..1000 characters, "ticket": "SUP-1234", "durationMinutes"?: 1..240 (default
// 30)}. The result's tenantSlug is left empty (the path names the tenant).
std::variant<tenancy::ImpersonationRequest, Problem>
parseImpersonationRequest(const QByteArray &contentType, const QByteArray &body, qint64 maxBytes);

// GET .../impersonations: open (true|false, default false: all), limit (1..500, default 50).
struct ImpersonationListQuery
{
    bool openOnly = false;
    int limit = kDefaultImpersonationPageSize;
};
std::variant<ImpersonationListQuery, QueryError>
parseImpersonationListQuery(const QUrlQuery &query);

// {id, email, displayName, role, createdAt}.
QJsonObject tenantUserJson(const tenancy::TenantUser &user);
// {id, tenant, operator, subject, ticket, reason, startedAt, expiresAt, endedAt, endedBy, open}:
// `open` as of `now`.
QJsonObject impersonationJson(const tenancy::Impersonation &impersonation, const QDateTime &now);
// {tenant, currentVersion, currentCreatedAt, versions: [{version, current, kekId, kekVersion,
// createdAt, rewrappedAt, encryptedValues}], encryptedValues: {"<version>": n},
// pendingReencryption, nextRotationDue}. Never key material (the status holds none).
QJsonObject keyStatusJson(const tenancy::TenantKeyStatus &status);

// The domain call an error came from: the same code means different things (and was or was not
// recorded by the domain before it failed) depending on where it was raised.
enum class TenantOpsOperation
{
    Read, // usage, user list, impersonation list/get, key status
    AddUser,
    StartImpersonation,
    EndImpersonation,
    Overview,
    RotateKey,
};

// What a domain error is answered with; recordedByRegistry: the domain recorded an event for
// this request (or the answer is a 5xx), so the API records none.
RegistryFailure tenantOpsFailure(TenantOpsOperation operation, const Error &error);

// Unknown impersonation ids and ids of another tenant get the same 404: nothing about other
// tenants' impersonations leaks through a tenant's routes.
Problem impersonationNotFound();
Problem invalidImpersonationIdInPath();
// The overview acts as the subject on behalf of the operator who started the impersonation; any
// other token would be recorded under that operator's name.
Problem impersonationNotYours();

} // namespace upcoach::api::detail
