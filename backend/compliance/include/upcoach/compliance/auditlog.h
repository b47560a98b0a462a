// The one interface every backend module records audit events through. The log assigns the
// event's id, sequence number and time; the future resolves once the event is durable.
#pragma once

#include "upcoach/compliance/auditevent.h"
#include "upcoach/core/result.h"

#include <QDateTime>
#include <QFuture>
#include <QJsonObject>
#include <QString>
#include <cstdint>

namespace upcoach::compliance {

// Who does something, for the audit log: every domain that records operators' actions takes
// this from its caller (the API fills it from the request). Never holds a secret.
struct ActorContext
{
    QString actor;        // "token:<id>", "user:alice@example.com", "service:upcoach-ops"
    QString impersonator; // the operator when the actor is impersonated
    QString sourceIp;
    QString requestId;
};

// What a caller records. Field rules are AuditEvent's (auditevent.h); details never hold a
// secret, and PII only encrypted.
struct AuditRecord
{
    QString actor;        // "user:alice@example.com", "service:upcoach-ops", "token:<id>"
    QString impersonator; // the real actor when actor is impersonated
    QString tenant;       // tenant slug; empty = the platform itself
    QString action;       // "api-token.issue"
    QString target;
    QString outcome = QStringLiteral("success"); // success | failure | denied
    QString sourceIp;
    QString requestId;
    QString classification = QStringLiteral("security");
    QJsonObject details;
};

// A record of `action` on `target` in `tenant` (empty: the platform) by `actor` — its actor,
// impersonator, source address and request id.
inline AuditRecord auditRecordOf(const ActorContext &actor, const QString &tenant,
                                 const QString &action, const QString &target)
{
    AuditRecord record;
    record.actor = actor.actor;
    record.impersonator = actor.impersonator;
    record.sourceIp = actor.sourceIp;
    record.requestId = actor.requestId;
    record.tenant = tenant;
    record.action = action;
    record.target = target;
    return record;
}

// What the log answers once the event is committed.
struct AuditReceipt
{
    QString id;
    uint64_t sequence = 0;
    QDateTime time;
};

class AuditLog
{
public:
    virtual ~AuditLog() = default;
    // Checks the record at once (an invalid one resolves with InvalidInput naming the field and
    // never enters the log). Otherwise the future resolves when the event is durable — only then
    // may the caller act as if it was recorded — or with the error that kept it out (nothing
    // was written). Thread-safe; never blocks.
    virtual QFuture<Result<AuditReceipt>> record(AuditRecord record) = 0;
};

// The event a record becomes, with the given id, sequence and time.
AuditEvent eventFromRecord(const AuditRecord &record, const QString &id, uint64_t sequence,
                           const QDateTime &time);
// Validates everything the caller supplies and encodes it: the record's canonicalTail (id,
// sequence and time are the log's, encoded later by canonicalHead).
Result<QByteArray> canonicalTailOf(const AuditRecord &record);

} // namespace upcoach::compliance
