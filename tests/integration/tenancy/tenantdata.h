// Coaching data for tests and benchmarks, written through TenantSessions, and a fingerprint of
// everything a tenant holds (count and hash per table) to compare placements row for row.
#pragma once

#include "upcoach/tenancy/tenantsession.h"

#include <QMap>
#include <QString>

namespace upcoach::testing {

struct TableFingerprint
{
    qint64 rows = 0;
    QString hash; // md5 over every row's text, in id order
    bool operator==(const TableFingerprint &) const = default;
};

// Writes `users` coachees and a coach (tenancy::writeSampleCoachingData, seeded by the slug).
Status seedCoachingData(tenancy::TenantSessions &sessions, const QString &slug, int users);

Result<QMap<QString, TableFingerprint>> fingerprint(tenancy::TenantSessions &sessions,
                                                    const QString &slug);

} // namespace upcoach::testing
