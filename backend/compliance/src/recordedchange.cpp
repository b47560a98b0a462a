#include "upcoach/compliance/recordedchange.h"

#include "upcoach/core/logging.h"

namespace upcoach::compliance {

Result<AuditReceipt> recordAndWait(AuditLog &log, const AuditRecord &record)
{
    QFuture<Result<AuditReceipt>> future = log.record(record);
    future.waitForFinished();
    if (future.isCanceled() || future.resultCount() == 0)
        return makeError(ErrorCode::Unavailable, QStringLiteral("the audit log gave no answer"));
    return future.result();
}

void recordCorrection(AuditLog &log, const AuditRecord &original, const AuditReceipt &receipt,
                      const Error &error)
{
    AuditRecord correction = original;
    correction.outcome = QStringLiteral("failure");
    // The error's code only: messages can quote input values.
    correction.details = QJsonObject{{QStringLiteral("correctsEvent"), receipt.id},
                                     {QStringLiteral("error"), errorCodeName(error.code)}};
    auto recorded = recordAndWait(log, correction);
    if (!recorded)
        qCWarning(lcAudit).noquote()
            << QStringLiteral("could not record the correction of %1 (%2): %3")
                   .arg(receipt.id, original.action, recorded.error().message);
}

} // namespace upcoach::compliance
