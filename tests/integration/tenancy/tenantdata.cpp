#include "tenantdata.h"

#include "upcoach/tenancy/provisioner.h"
#include "upcoach/tenancy/sampledata.h"

namespace upcoach::testing {

using tenancy::TenantAccess;
using tenancy::TenantTransaction;

Status seedCoachingData(tenancy::TenantSessions &sessions, const QString &slug, int users)
{
    auto written = tenancy::writeSampleCoachingData(sessions, slug, users, qHash(slug));
    if (!written)
        return written.error();
    return {};
}

Result<QMap<QString, TableFingerprint>> fingerprint(tenancy::TenantSessions &sessions,
                                                    const QString &slug)
{
    return sessions.run(slug, TenantAccess::Operator, [&](TenantTransaction &tx) {
        QMap<QString, TableFingerprint> prints;
        for (const QString &table : tenancy::tenantTables()) {
            // The table name comes from the fixed list, never from input.
            const auto row = tx.exec("SELECT count(*), coalesce(md5(string_agg(t::text, ','"
                                     " ORDER BY t.id)), '') FROM " +
                                     table.toStdString() + " t")[0];
            prints.insert(table,
                          {row[0].as<qint64>(), QString::fromStdString(row[1].as<std::string>())});
        }
        return prints;
    });
}

} // namespace upcoach::testing
