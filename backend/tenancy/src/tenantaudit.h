// The audit record of something done to a tenant by `actor` (both identities when the actor is
// impersonated, the caller's source IP and request id). One place builds it, so every tenancy
// record carries the same context.
#pragma once

#include "upcoach/compliance/auditlog.h"
#include "upcoach/tenancy/tenant.h"

namespace upcoach::tenancy {

inline compliance::AuditRecord tenantAuditRecord(const ActorContext &actor, const QString &slug,
                                                 const QString &action, const QString &target,
                                                 const QString &classification,
                                                 QJsonObject details = {})
{
    compliance::AuditRecord record = compliance::auditRecordOf(actor, slug, action, target);
    record.classification = classification;
    record.details = std::move(details);
    return record;
}

} // namespace upcoach::tenancy
