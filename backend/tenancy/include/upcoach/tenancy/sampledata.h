// Sample coaching data (users, a program, goals, habits with check-ins, sessions with notes,
// messages), written through a TenantSession like any other tenant data. Used by the demo's
// seed, the tests and the benchmarks; deterministic for a given seed.
#pragma once

#include "upcoach/core/result.h"
#include "upcoach/tenancy/tenantsession.h"

namespace upcoach::tenancy {

struct SampleDataReport
{
    int users = 0; // coachees, plus one coach
    int sessions = 0;
};

// Writes `coachees` coachees (names and emails from `seed`) with one coach and a program.
Result<SampleDataReport> writeSampleCoachingData(TenantSessions &sessions, const QString &slug,
                                                 int coachees, quint32 seed = 1);

} // namespace upcoach::tenancy
