#include "upcoach/storage/migrations.h"

#include "upcoach/core/crypto.h"
#include "upcoach/core/logging.h"
#include "upcoach/storage/connectionpool.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <map>

namespace upcoach::storage {

namespace {

// One advisory-lock key for all migrators of a database (two int4 halves: "upco", "migr").
constexpr int lockClass = 0x7570636f;
constexpr int lockObject = 0x6d696772;

const MigrationSet &builtinSet(const QString &scope)
{
    static std::map<QString, MigrationSet> sets;
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    auto it = sets.find(scope);
    if (it == sets.end()) {
        auto loaded =
            MigrationSet::fromDirectory(scope, QStringLiteral(":/upcoach/migrations/") + scope);
        if (!loaded)
            qFatal("built-in %s migrations are invalid: %s", qUtf8Printable(scope),
                   qUtf8Printable(loaded.error().message));
        it = sets.emplace(scope, std::move(loaded.value())).first;
    }
    return it->second;
}

} // namespace

const MigrationSet &MigrationSet::regional()
{
    return builtinSet(QStringLiteral("regional"));
}

const MigrationSet &MigrationSet::control()
{
    return builtinSet(QStringLiteral("control"));
}

const MigrationSet &MigrationSet::tenant()
{
    return builtinSet(QStringLiteral("tenant"));
}

Result<MigrationSet> MigrationSet::fromDirectory(const QString &scope, const QString &dir)
{
    static const QRegularExpression fileName(QStringLiteral("^(\\d{4})_([a-z0-9_]+)\\.sql$"));
    MigrationSet set;
    set.m_scope = scope;
    const QStringList files =
        QDir(dir).entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
    if (!QDir(dir).exists())
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("migration directory %1 does not exist").arg(dir));
    for (const QString &name : files) {
        const auto match = fileName.match(name);
        if (!match.hasMatch())
            return makeError(
                ErrorCode::InvalidInput,
                QStringLiteral("migration %1: the name must look like 0001_short_name.sql")
                    .arg(name));
        QFile file(QDir(dir).filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::Unavailable,
                             QStringLiteral("migration %1: %2").arg(name, file.errorString()));
        Migration migration;
        migration.version = match.captured(1).toInt();
        migration.name = name.chopped(4);
        migration.sql = file.readAll();
        migration.checksum = crypto::sha256(migration.sql).toHex();
        if (!set.m_migrations.empty() && set.m_migrations.back().version >= migration.version)
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("migration %1: version %2 is used twice")
                                 .arg(name)
                                 .arg(migration.version));
        set.m_migrations.push_back(std::move(migration));
    }
    return set;
}

Result<int> MigrationSet::apply(pqxx::connection &connection) const
{
    try {
        {
            pqxx::work setup(connection);
            setup.exec0("CREATE TABLE IF NOT EXISTS schema_migrations ("
                        " scope text NOT NULL, version integer NOT NULL, name text NOT NULL,"
                        " checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),"
                        " PRIMARY KEY (scope, version))");
            setup.commit();
        }
        // Session-level lock: held across the per-migration transactions below.
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
                    // The session ends with the connection, and the lock with it.
                }
            }
        } unlock{connection};

        std::map<int, std::pair<std::string, std::string>> applied;
        {
            pqxx::work read(connection);
            for (const auto &row : read.exec_params(
                     "SELECT version, name, checksum FROM schema_migrations WHERE scope = $1",
                     m_scope.toStdString()))
                applied[row[0].as<int>()] = {row[1].as<std::string>(), row[2].as<std::string>()};
            read.commit();
        }

        int count = 0;
        for (const Migration &migration : m_migrations) {
            auto found = applied.find(migration.version);
            if (found != applied.end()) {
                if (found->second.second != migration.checksum.toStdString())
                    return makeError(
                        ErrorCode::Conflict,
                        QStringLiteral("migration %1 (%2) was changed after it was applied; "
                                       "add a new migration instead of editing an applied one")
                            .arg(migration.name, m_scope));
                continue;
            }
            try {
                pqxx::work work(connection);
                work.exec(migration.sql.toStdString());
                work.exec_params("INSERT INTO schema_migrations (scope, version, name, checksum) "
                                 "VALUES ($1, $2, $3, $4)",
                                 m_scope.toStdString(), migration.version,
                                 migration.name.toStdString(), migration.checksum.toStdString());
                work.commit();
            } catch (const std::exception &e) {
                return makeError(ErrorCode::Internal,
                                 QStringLiteral("migration %1 (%2) failed and was rolled back: %3")
                                     .arg(migration.name, m_scope, databaseError(e).message));
            }
            qCInfo(lcMigrations).noquote()
                << QStringLiteral("applied %1 (%2)").arg(migration.name, m_scope);
            ++count;
        }
        return count;
    } catch (const std::exception &e) {
        return databaseError(e).context(QStringLiteral("migrations (") + m_scope +
                                        QLatin1Char(')'));
    }
}

Result<int> MigrationSet::applyInSchema(pqxx::connection &connection, const QString &schema,
                                        const QString &grantee) const
{
    try {
        const std::string schemaName = connection.quote_name(schema.toStdString());
        const std::string role = connection.quote_name(grantee.toStdString());
        {
            pqxx::work create(connection);
            create.exec0("CREATE SCHEMA IF NOT EXISTS " + schemaName);
            create.commit();
        }
        struct RestorePath
        {
            pqxx::connection &c;
            ~RestorePath()
            {
                try {
                    pqxx::nontransaction reset(c);
                    reset.exec0("RESET search_path");
                } catch (const std::exception &) {
                    // A broken connection is dropped by its owner; nothing to restore.
                }
            }
        } restore{connection};
        {
            pqxx::nontransaction path(connection);
            path.exec_params("SELECT set_config('search_path', $1, false)", schemaName);
        }
        auto applied = apply(connection);
        if (!applied)
            return applied.error().context(QStringLiteral("schema ") + schema);
        pqxx::work grant(connection);
        grant.exec0("REVOKE ALL ON SCHEMA " + schemaName + " FROM PUBLIC");
        grant.exec0("GRANT USAGE ON SCHEMA " + schemaName + " TO " + role);
        grant.exec0("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schemaName +
                    " TO " + role);
        grant.exec0("REVOKE INSERT, UPDATE, DELETE ON " + schemaName + ".schema_migrations FROM " +
                    role);
        grant.commit();
        return applied;
    } catch (const std::exception &e) {
        return databaseError(e).context(QStringLiteral("schema ") + schema);
    }
}

} // namespace upcoach::storage
