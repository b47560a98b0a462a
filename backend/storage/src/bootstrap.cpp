#include "upcoach/storage/bootstrap.h"

#include "upcoach/core/logging.h"
#include "upcoach/storage/connectionpool.h"
#include "upcoach/storage/migrations.h"

#include <future>
#include <pqxx/pqxx>

namespace upcoach::storage {

namespace {

Status prepareRegion(const RegionEndpoint &endpoint, bool controlPlane)
{
    // Migrations run as the schema owner; the application's own login owns nothing.
    auto dsn = endpoint.asOwner().connectionString(
        {{QStringLiteral("connect_timeout"), QStringLiteral("10")},
         {QStringLiteral("application_name"), QStringLiteral("upcoach-ops migrations")}});
    if (!dsn)
        return dsn.error();
    try {
        pqxx::connection connection(dsn.value().toStdString());
        auto applied = MigrationSet::regional().apply(connection);
        if (!applied)
            return applied.error();
        // The shared schema of the row-level-security strategy (regional 0003).
        auto appliedShared = MigrationSet::tenant().applyInSchema(
            connection, QStringLiteral("tenant_shared"), QStringLiteral("upcoach_app"));
        if (!appliedShared)
            return appliedShared.error();
        if (controlPlane) {
            auto appliedControl = MigrationSet::control().apply(connection);
            if (!appliedControl)
                return appliedControl.error();
        }
        // A database claims its region once; a DSN pointing at another region's database is
        // caught here instead of mixing two regions' data.
        pqxx::work work(connection);
        work.exec_params(
            "INSERT INTO region_identity (region_id) VALUES ($1) ON CONFLICT DO NOTHING",
            endpoint.regionId.toStdString());
        const std::string owner =
            work.exec1("SELECT region_id FROM region_identity").front().as<std::string>();
        work.commit();
        if (owner != endpoint.regionId.toStdString())
            return makeError(
                ErrorCode::Config,
                QStringLiteral("the database configured for %1 belongs to region %2; check its DSN")
                    .arg(endpoint.regionId, QString::fromStdString(owner)));
        return {};
    } catch (const std::exception &e) {
        return databaseError(e);
    }
}

} // namespace

Status prepareDatabases(const std::vector<RegionEndpoint> &regions,
                        const QString &controlPlaneRegion, RegionsRequired required)
{
    std::vector<std::future<Status>> jobs;
    for (const RegionEndpoint &endpoint : regions)
        jobs.push_back(std::async(std::launch::async, prepareRegion, std::cref(endpoint),
                                  endpoint.regionId == controlPlaneRegion));
    std::optional<Error> first;
    for (size_t i = 0; i < jobs.size(); ++i) {
        Status s = jobs[i].get();
        if (s)
            continue;
        const Error error = s.error().context(QStringLiteral("region ") + regions[i].regionId);
        if (required == RegionsRequired::ControlPlaneOnly &&
            regions[i].regionId != controlPlaneRegion) {
            qCWarning(lcStorage).noquote()
                << error.message << "- continuing; its migrations run at the next start";
            continue;
        }
        if (!first)
            first = error;
    }
    if (first)
        return *first;
    return {};
}

} // namespace upcoach::storage
