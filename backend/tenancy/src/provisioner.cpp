#include "upcoach/tenancy/provisioner.h"

#include "placementcontext.h"
#include "upcoach/core/logging.h"
#include "upcoach/storage/migrations.h"
#include "upcoach/storage/regionpools.h"

#include <pqxx/pqxx>

namespace upcoach::tenancy {

namespace {

const QString templateDatabase = QStringLiteral("upcoach_tenant_template");
// Serializes template upkeep and database creation per region (two int4 halves: "upco", "tdb ").
constexpr int lockClass = 0x7570636f;
constexpr int lockObject = 0x74646220;
constexpr int copyBatchRows = 1000;

std::string id(const Tenant &tenant)
{
    return tenant.id.toString(QUuid::WithoutBraces).toStdString();
}

bool exists(pqxx::transaction_base &tx, const char *sql, const QString &name)
{
    return !tx.exec_params(sql, name.toStdString()).empty();
}

} // namespace

void enterTenantContext(pqxx::transaction_base &transaction, const Tenant &tenant)
{
    // pg_temp last: a temporary table left on a pooled connection can never shadow a tenant
    // table (by default the temporary schema is searched first).
    const std::string path =
        transaction.quote_name(tenant.schemaName().toStdString()) + ", pg_temp";
    if (tenant.isolation == IsolationStrategy::Schema) {
        transaction.exec_params("SELECT set_config('role', $1, true),"
                                " set_config('search_path', $2, true),"
                                " set_config('upcoach.tenant_id', $3, true)",
                                tenant.roleName().toStdString(), path, id(tenant));
    } else {
        transaction.exec_params("SELECT set_config('search_path', $1, true),"
                                " set_config('upcoach.tenant_id', $2, true)",
                                path, id(tenant));
    }
}

const QStringList &tenantTables()
{
    static const QStringList tables{
        QStringLiteral("users"),          QStringLiteral("programs"),
        QStringLiteral("goals"),          QStringLiteral("habits"),
        QStringLiteral("habit_checkins"), QStringLiteral("coaching_sessions"),
        QStringLiteral("session_notes"),  QStringLiteral("messages"),
        QStringLiteral("scim_groups"),    QStringLiteral("scim_group_members"),
    };
    return tables;
}

TenantProvisioner::TenantProvisioner(storage::RegionPools &pools)
    : m_pools(pools)
{}

void TenantProvisioner::setFaultInjector(std::function<Status(const QString &)> injector)
{
    m_faults = std::move(injector);
}

Status TenantProvisioner::step(const QString &name)
{
    if (m_faults)
        return m_faults(name);
    return {};
}

Status TenantProvisioner::provision(const Tenant &tenant)
{
    Status done;
    switch (tenant.isolation) {
    case IsolationStrategy::RowLevelSecurity:
        done = provisionShared(tenant);
        break;
    case IsolationStrategy::Schema:
        done = provisionSchema(tenant);
        break;
    case IsolationStrategy::Database:
        done = provisionDatabase(tenant);
        break;
    }
    if (!done)
        return done.error().context(
            QStringLiteral("provisioning %1 (%2) in %3")
                .arg(tenant.slug, isolationName(tenant.isolation), tenant.homeRegion));
    return {};
}

Result<int> TenantProvisioner::migratePlacement(const Tenant &tenant)
{
    Result<Result<int>> migrated = Result<int>(0);
    switch (tenant.isolation) {
    case IsolationStrategy::RowLevelSecurity:
        return 0;
    case IsolationStrategy::Schema: {
        auto owner = m_pools.owner(tenant.homeRegion);
        if (!owner)
            return owner.error();
        migrated = (*owner)->withConnection([&](pqxx::connection &connection) {
            return storage::MigrationSet::tenant().applyInSchema(connection, tenant.schemaName(),
                                                                 tenant.roleName());
        });
        break;
    }
    case IsolationStrategy::Database: {
        auto pool = m_pools.ownerDatabase(tenant.homeRegion, tenant.databaseName());
        if (!pool)
            return pool.error();
        migrated = (*pool)->withConnection([&](pqxx::connection &connection) {
            return storage::MigrationSet::tenant().applyInSchema(connection, tenant.schemaName(),
                                                                 QStringLiteral("upcoach_app"));
        });
        break;
    }
    }
    if (!migrated)
        return migrated.error().context(tenant.slug);
    if (!migrated.value())
        return migrated.value().error().context(tenant.slug);
    return migrated.value().value();
}

Status TenantProvisioner::provisionShared(const Tenant &tenant)
{
    // The shared tables exist in every regional database (bootstrap applies the tenant
    // migrations to tenant_shared); a tenant needs only its placement row.
    return recordPlacement(tenant);
}

Status TenantProvisioner::provisionSchema(const Tenant &tenant)
{
    auto owner = m_pools.owner(tenant.homeRegion);
    if (!owner)
        return owner.error();
    const QString role = tenant.roleName();
    const QString schema = tenant.schemaName();
    if (Status s = step(QStringLiteral("role")); !s)
        return s;
    auto made = (*owner)->withConnection([&](pqxx::connection &connection) {
        pqxx::work work(connection);
        const std::string quotedRole = work.quote_name(role.toStdString());
        if (!exists(work, "SELECT 1 FROM pg_roles WHERE rolname = $1", role)) {
            // NOLOGIN, and reachable only by SET ROLE through upcoach_tenant_roles (NOINHERIT).
            work.exec0("CREATE ROLE " + quotedRole + " NOLOGIN NOINHERIT");
        }
        work.exec0("GRANT " + quotedRole + " TO upcoach_tenant_roles");
        work.commit();
    });
    if (!made)
        return made.error();
    if (Status s = step(QStringLiteral("schema")); !s)
        return s;
    auto migrated = (*owner)->withConnection([&](pqxx::connection &connection) {
        return storage::MigrationSet::tenant().applyInSchema(connection, schema, role);
    });
    if (!migrated)
        return migrated.error();
    if (!migrated.value())
        return migrated.value().error();
    if (Status s = step(QStringLiteral("placement")); !s)
        return s;
    return recordPlacement(tenant);
}

Status TenantProvisioner::ensureTemplate(const QString &regionId, pqxx::connection &owner)
{
    // Called with the region's template lock held on `owner`. The template is migrated every
    // time it is used, so a template left half-migrated, or one from before a new tenant
    // migration, is brought up to date before any database is copied from it.
    {
        pqxx::nontransaction work(owner);
        if (!exists(work, "SELECT 1 FROM pg_database WHERE datname = $1", templateDatabase)) {
            work.exec0("CREATE DATABASE " + work.quote_name(templateDatabase.toStdString()));
            work.exec0("REVOKE CONNECT, TEMPORARY ON DATABASE " +
                       work.quote_name(templateDatabase.toStdString()) + " FROM PUBLIC");
        }
    }
    const RegionEndpoint *endpoint = m_pools.endpoint(regionId);
    auto dsn = endpoint->asOwner().connectionString(
        {{QStringLiteral("dbname"), templateDatabase},
         {QStringLiteral("connect_timeout"), QStringLiteral("10")},
         {QStringLiteral("application_name"), QStringLiteral("upcoach-ops provisioning")}});
    if (!dsn)
        return dsn.error();
    try {
        // Not pooled: a template must have no open connection when it is copied.
        pqxx::connection connection(dsn.value().toStdString());
        auto applied = storage::MigrationSet::tenant().applyInSchema(
            connection, placementSchema({}, IsolationStrategy::Database),
            QStringLiteral("upcoach_app"));
        if (!applied)
            return applied.error().context(QStringLiteral("template database"));
        return {};
    } catch (const std::exception &e) {
        return storage::databaseError(e).context(QStringLiteral("template database"));
    }
}

Status TenantProvisioner::provisionDatabase(const Tenant &tenant)
{
    auto owner = m_pools.owner(tenant.homeRegion);
    if (!owner)
        return owner.error();
    const QString database = tenant.databaseName();
    // One session holds the region's template lock while the template is brought up to date
    // and copied, so no other provisioner connects to it in between.
    auto locked = (*owner)->withConnection([&](pqxx::connection &connection) -> Status {
        {
            pqxx::nontransaction lock(connection);
            lock.exec_params("SELECT pg_advisory_lock($1, $2)", lockClass, lockObject);
        }
        struct Unlock
        {
            pqxx::connection &c;
            ~Unlock()
            {
                try {
                    pqxx::nontransaction unlock(c);
                    unlock.exec_params("SELECT pg_advisory_unlock($1, $2)", lockClass, lockObject);
                } catch (const std::exception &) {
                    // The lock ends with the session when the connection is gone.
                }
            }
        } unlock{connection};
        if (Status s = step(QStringLiteral("template")); !s)
            return s;
        if (Status s = ensureTemplate(tenant.homeRegion, connection); !s)
            return s;
        if (Status s = step(QStringLiteral("database")); !s)
            return s;
        pqxx::nontransaction work(connection);
        if (!exists(work, "SELECT 1 FROM pg_database WHERE datname = $1", database)) {
            // CREATE DATABASE is atomic: the database exists whole or not at all.
            work.exec0("CREATE DATABASE " + work.quote_name(database.toStdString()) + " TEMPLATE " +
                       work.quote_name(templateDatabase.toStdString()));
        }
        work.exec0("REVOKE CONNECT, TEMPORARY ON DATABASE " +
                   work.quote_name(database.toStdString()) + " FROM PUBLIC");
        work.exec0("GRANT CONNECT ON DATABASE " + work.quote_name(database.toStdString()) +
                   " TO upcoach_app");
        return {};
    });
    if (!locked)
        return locked.error();
    if (!locked.value())
        return locked.value();
    if (Status s = step(QStringLiteral("grants")); !s)
        return s;
    // Brings a database copied from an older template up to date; a no-op otherwise.
    auto pool = m_pools.ownerDatabase(tenant.homeRegion, database);
    if (!pool)
        return pool.error();
    auto migrated = (*pool)->withConnection([&](pqxx::connection &connection) {
        return storage::MigrationSet::tenant().applyInSchema(connection, tenant.schemaName(),
                                                             QStringLiteral("upcoach_app"));
    });
    if (!migrated)
        return migrated.error();
    if (!migrated.value())
        return migrated.value().error();
    if (Status s = step(QStringLiteral("placement")); !s)
        return s;
    return recordPlacement(tenant);
}

Status TenantProvisioner::recordPlacement(const Tenant &tenant)
{
    auto owner = m_pools.owner(tenant.homeRegion);
    if (!owner)
        return owner.error();
    auto recorded = (*owner)->withConnection([&](pqxx::connection &connection) {
        pqxx::work work(connection);
        work.exec_params("INSERT INTO tenant_placements"
                         " (tenant_id, isolation, slug, schema_name, database_name)"
                         " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, isolation)"
                         " DO UPDATE SET slug = EXCLUDED.slug",
                         id(tenant), isolationName(tenant.isolation).toStdString(),
                         tenant.slug.toStdString(), tenant.schemaName().toStdString(),
                         tenant.databaseName().toStdString());
        work.commit();
    });
    if (!recorded)
        return recorded.error();
    return {};
}

Result<bool> TenantProvisioner::isProvisioned(const Tenant &tenant)
{
    auto owner = m_pools.owner(tenant.homeRegion);
    if (!owner)
        return owner.error();
    return (*owner)->withConnection([&](pqxx::connection &connection) {
        pqxx::work work(connection);
        return !work.exec_params("SELECT 1 FROM tenant_placements WHERE tenant_id = $1"
                                 " AND isolation = $2",
                                 id(tenant), isolationName(tenant.isolation).toStdString())
                    .empty();
    });
}

Status TenantProvisioner::removePlacement(const Tenant &tenant)
{
    auto owner = m_pools.owner(tenant.homeRegion);
    if (!owner)
        return owner.error();
    Result<void> removed;
    switch (tenant.isolation) {
    case IsolationStrategy::RowLevelSecurity:
        removed = (*owner)->withConnection([&](pqxx::connection &connection) {
            pqxx::work work(connection);
            // The owner is subject to the forced policies too (unless it is a superuser), so
            // the delete runs in the tenant's context.
            enterTenantContext(work, tenant);
            const QStringList &tables = tenantTables();
            for (auto it = tables.crbegin(); it != tables.crend(); ++it)
                work.exec_params("DELETE FROM " + work.quote_name(it->toStdString()) +
                                     " WHERE tenant_id = $1",
                                 id(tenant));
            work.commit();
        });
        break;
    case IsolationStrategy::Schema:
        removed = (*owner)->withConnection([&](pqxx::connection &connection) {
            pqxx::work work(connection);
            work.exec0("DROP SCHEMA IF EXISTS " +
                       work.quote_name(tenant.schemaName().toStdString()) + " CASCADE");
            work.exec0("DROP ROLE IF EXISTS " + work.quote_name(tenant.roleName().toStdString()));
            work.commit();
        });
        break;
    case IsolationStrategy::Database:
        m_pools.forgetDatabase(tenant.homeRegion, tenant.databaseName());
        removed = (*owner)->withConnection([&](pqxx::connection &connection) {
            pqxx::nontransaction work(connection);
            work.exec0("DROP DATABASE IF EXISTS " +
                       work.quote_name(tenant.databaseName().toStdString()) + " WITH (FORCE)");
        });
        break;
    }
    if (!removed)
        return removed.error().context(QStringLiteral("removing the %1 placement of %2")
                                           .arg(isolationName(tenant.isolation), tenant.slug));
    auto forgotten = (*owner)->withConnection([&](pqxx::connection &connection) {
        pqxx::work work(connection);
        work.exec_params("DELETE FROM tenant_placements WHERE tenant_id = $1 AND isolation = $2",
                         id(tenant), isolationName(tenant.isolation).toStdString());
        work.commit();
    });
    if (!forgotten)
        return forgotten.error();
    return {};
}

namespace {

// The application's pool on a tenant's placement.
Result<std::shared_ptr<storage::ConnectionPool>> appPool(storage::RegionPools &pools,
                                                         const Tenant &tenant)
{
    if (tenant.isolation == IsolationStrategy::Database)
        return pools.appDatabase(tenant.homeRegion, tenant.databaseName());
    auto pool = pools.app(tenant.homeRegion);
    if (!pool)
        return pool.error();
    // Non-owning: the region's pool lives as long as RegionPools.
    return std::shared_ptr<storage::ConnectionPool>(std::shared_ptr<void>(), pool.value());
}

} // namespace

Result<QMap<QString, qint64>> TenantProvisioner::copyRows(const Tenant &from, const Tenant &to)
{
    if (from.id != to.id)
        return makeError(ErrorCode::Internal, QStringLiteral("copyRows: two different tenants"));
    auto source = appPool(m_pools, from);
    if (!source)
        return source.error();
    auto target = appPool(m_pools, to);
    if (!target)
        return target.error();
    QMap<QString, qint64> copied;
    std::optional<Error> failure;
    auto outer = (*source)->withConnection([&](pqxx::connection &sourceConnection) {
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> read(sourceConnection);
        enterTenantContext(read, from);
        auto inner = (*target)->withConnection([&](pqxx::connection &targetConnection) {
            pqxx::work write(targetConnection);
            enterTenantContext(write, to);
            const QStringList &tables = tenantTables();
            // Replace: an earlier, interrupted copy may have left rows behind.
            for (auto it = tables.crbegin(); it != tables.crend(); ++it)
                write.exec0("DELETE FROM " + write.quote_name(it->toStdString()));
            for (const QString &table : tables) {
                const std::string name = read.quote_name(table.toStdString());
                const std::string batch = "WITH batch AS (SELECT * FROM " + name +
                                          " %WHERE% ORDER BY id LIMIT " +
                                          std::to_string(copyBatchRows) +
                                          ") SELECT coalesce(json_agg(batch ORDER BY id), '[]')"
                                          "::text, count(*), (SELECT id FROM batch ORDER BY id "
                                          "DESC LIMIT 1) FROM batch";
                auto withWhere = [&](const std::string &where) {
                    std::string sql = batch;
                    sql.replace(sql.find("%WHERE%"), 7, where);
                    return sql;
                };
                const std::string first = withWhere("");
                const std::string next = withWhere("WHERE id > $1::uuid");
                const std::string insert = "INSERT INTO " + name + " SELECT * FROM" +
                                           " json_populate_recordset(NULL::" + name + ", $1::json)";
                qint64 total = 0;
                std::string last;
                for (;;) {
                    pqxx::result rows =
                        last.empty() ? read.exec(first) : read.exec_params(next, last);
                    const qint64 count = rows[0][1].as<qint64>();
                    if (count == 0)
                        break;
                    write.exec_params(insert, rows[0][0].as<std::string>());
                    total += count;
                    last = rows[0][2].as<std::string>();
                    if (count < copyBatchRows)
                        break;
                }
                const qint64 inSource =
                    read.exec("SELECT count(*) FROM " + name)[0][0].as<qint64>();
                const qint64 inTarget =
                    write.exec("SELECT count(*) FROM " + name)[0][0].as<qint64>();
                if (inSource != total || inTarget != total) {
                    failure = makeError(ErrorCode::Internal,
                                        QStringLiteral("copying %1 of %2: %3 rows in the source, "
                                                       "%4 copied, %5 in the target")
                                            .arg(table, from.slug)
                                            .arg(inSource)
                                            .arg(total)
                                            .arg(inTarget));
                    return; // the write transaction rolls back
                }
                copied.insert(table, total);
            }
            write.commit();
        });
        if (!inner && !failure)
            failure = inner.error();
    });
    if (!outer)
        return outer.error();
    if (failure)
        return *failure;
    return copied;
}

} // namespace upcoach::tenancy
