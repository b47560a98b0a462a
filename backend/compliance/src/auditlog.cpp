#include "upcoach/compliance/auditlog.h"

namespace upcoach::compliance {

AuditEvent eventFromRecord(const AuditRecord &record, const QString &id, uint64_t sequence,
                           const QDateTime &time)
{
    AuditEvent event;
    event.id = id;
    event.sequence = sequence;
    event.time = time;
    event.actor = record.actor;
    event.impersonator = record.impersonator;
    event.tenant = record.tenant;
    event.action = record.action;
    event.target = record.target;
    event.outcome = record.outcome;
    event.sourceIp = record.sourceIp;
    event.requestId = record.requestId;
    event.classification = record.classification;
    event.details = record.details;
    return event;
}

Status validateRecord(const AuditRecord &record)
{
    // Placeholders for what the log assigns, all valid, so only the caller's fields can fail.
    static const QString placeholderId = QStringLiteral("00000000-0000-7000-8000-000000000000");
    static const QDateTime placeholderTime = QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
    return validateEvent(eventFromRecord(record, placeholderId, 0, placeholderTime));
}

} // namespace upcoach::compliance
