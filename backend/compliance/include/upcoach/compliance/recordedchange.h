// "Record first, then change" for blocking domain services (tenancy, later identity and
// billing) on worker threads: the change runs only once its audit event is durable, and a change
// that then fails gets a correcting event (outcome failure, details.correctsEvent = the first
// event's id). The log may over-report a change that failed — and says so when it can — but never
// under-reports one that happened (backend/api/README.md, "Audit recording").
#pragma once

#include "upcoach/compliance/auditlog.h"
#include "upcoach/core/result.h"

#include <functional>

namespace upcoach::compliance {

// Records and waits until the event is durable (or failed). Blocking.
Result<AuditReceipt> recordAndWait(AuditLog &log, const AuditRecord &record);

// Appends the correction for `receipt` (best effort: a failure is logged, not returned).
void recordCorrection(AuditLog &log, const AuditRecord &original, const AuditReceipt &receipt,
                      const Error &error);

template<typename T>
Result<T> recordThenChange(AuditLog &log, const AuditRecord &record,
                           const std::function<Result<T>()> &change)
{
    auto receipt = recordAndWait(log, record);
    if (!receipt)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("the audit log could not record %1, so nothing was "
                                        "changed: %2")
                             .arg(record.action, receipt.error().message));
    Result<T> result = change();
    if (!result)
        recordCorrection(log, record, receipt.value(), result.error());
    return result;
}

} // namespace upcoach::compliance
