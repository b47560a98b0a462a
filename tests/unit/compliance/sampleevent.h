// One valid audit event with every field set, shared by the compliance unit tests.
#pragma once

#include "upcoach/compliance/auditevent.h"

#include <QJsonArray>
#include <QJsonObject>

namespace upcoach::compliance::testing {

inline AuditEvent sampleEvent()
{
    AuditEvent event;
    event.id = QStringLiteral("0b6f4a52-2f1e-4c3a-9d7e-5a8b1c2d3e4f");
    event.sequence = 42;
    event.time = QDateTime(QDate(2026, 3, 14), QTime(15, 9, 26, 535), Qt::UTC);
    event.actor = QStringLiteral("user:alice@example.com");
    event.impersonator = QStringLiteral("user:support@upcoach.example");
    event.tenant = QStringLiteral("acme");
    event.action = QStringLiteral("api-token.issue");
    event.target = QStringLiteral("token:7f3a");
    event.outcome = QStringLiteral("success");
    event.sourceIp = QStringLiteral("192.0.2.10");
    event.requestId = QStringLiteral("req-1");
    event.classification = QStringLiteral("security");
    event.details = QJsonObject{{QStringLiteral("scopes"), QJsonArray{QStringLiteral("read")}},
                                {QStringLiteral("ttlDays"), 30}};
    return event;
}

} // namespace upcoach::compliance::testing
