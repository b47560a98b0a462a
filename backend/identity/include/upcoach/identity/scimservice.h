// The SCIM 2.0 service provider (RFC 7643/7644) of every tenant: /Users and /Groups (create,
// get, replace, PATCH, delete, list with filter/sort/paging/attributes), ETags from a version per
// resource, /ServiceProviderConfig, /Schemas and /ResourceTypes. Storage is the tenant's own
// placement (tenant migration 0002: users, scim_groups, scim_group_members, the scim_users view)
// reached only through TenantSessions; filters become parameterised SQL (scimsql.h).
//
// Authentication: the tenant's SCIM bearer token (SsoStore::rotateScimToken). A token of another
// tenant, an unknown tenant and a wrong token get the same 401. Deprovisioning cuts access at
// once: "active": false or DELETE make every later SSO login of the user fail (SsoService reads
// the same rows), DELETE frees the e-mail and userName and removes the user's memberships.
//
// Every change is recorded in the audit log before it is made (scim.user.create|replace|patch|
// delete, scim.group.*; target user:<id> / scim-group:<id>; no userName, e-mail or name in the
// record); refused writes (bad token, bad body) are recorded as denied/failure.
//
// HTTP-agnostic: the API module turns requests into ScimHttpRequest and answers ScimHttpResponse.
// Blocking (PostgreSQL): call from worker threads.
#pragma once

#include "upcoach/compliance/auditlog.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrlQuery>
#include <functional>

namespace upcoach::tenancy {
class TenantRegistry;
class TenantSessions;
class TenantQuota;
} // namespace upcoach::tenancy

namespace upcoach::identity {

class SsoStore;

// Request bodies larger than this are refused with 413 before parsing.
constexpr qsizetype kScimMaxBodyBytes = 1024 * 1024;
// ListResponse pages hold at most this many resources (ServiceProviderConfig filter.maxResults).
constexpr int kScimMaxResults = 200;
constexpr int kScimDefaultCount = 100;

struct ScimHttpRequest
{
    QByteArray method; // GET, POST, PUT, PATCH, DELETE
    QString tenant;    // the slug in /scim/v2/{tenant}/
    QStringList path;  // the segments after it: {"Users"}, {"Users", id}, {"Schemas", urn}, ...
    QUrlQuery query;   // filter, sortBy, sortOrder, startIndex, count, attributes, ...
    QByteArray body;   // JSON for POST/PUT/PATCH
    QByteArray contentType;
    QByteArray bearerToken; // empty when the request carried none
    QByteArrayList ifMatch;
    QByteArrayList ifNoneMatch;
    QString baseUrl; // absolute, without a trailing slash: "https://ops.example.com/scim/v2/acme"
    compliance::ActorContext caller; // sourceIp and requestId (the actor is the token's)
};

struct ScimHttpResponse
{
    int status = 200;
    QJsonObject body;          // empty for 204 and 304
    QByteArray etag;           // W/"<version>" for single resources
    QString location;          // for 201
    bool unauthorized = false; // 401: the API adds WWW-Authenticate: Bearer
};

class ScimService
{
public:
    ScimService(SsoStore &store, tenancy::TenantRegistry &registry,
                tenancy::TenantSessions &sessions, tenancy::TenantQuota &quota,
                compliance::AuditLog &audit);

    ScimHttpResponse handle(const ScimHttpRequest &request);

    // Called (on the handling thread) after a user was deleted or set inactive over SCIM, with
    // the tenant's id and slug and the user's id: serve revokes the user's sessions there.
    using DeprovisionHook =
        std::function<void(const QUuid &tenantId, const QString &slug, const QString &userId)>;
    void setDeprovisionHook(DeprovisionHook hook) { m_deprovisioned = std::move(hook); }

private:
    SsoStore &m_store;
    tenancy::TenantRegistry &m_registry;
    tenancy::TenantSessions &m_sessions;
    tenancy::TenantQuota &m_quota;
    compliance::AuditLog &m_audit;
    DeprovisionHook m_deprovisioned;
};

} // namespace upcoach::identity
