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

Result<QByteArray> canonicalTailOf(const AuditRecord &record)
{
    // The tail neither reads nor checks id, sequence and time.
    return canonicalTail(eventFromRecord(record, QString(), 0, QDateTime()));
}

} // namespace upcoach::compliance
