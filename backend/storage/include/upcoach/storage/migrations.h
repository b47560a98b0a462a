// Versioned SQL migrations. Each file NNNN_name.sql runs in one transaction together with its
// row in schema_migrations; a failing migration rolls back whole and stops with a message naming
// the migration and the error. An applied migration whose text changed is refused (checksum).
// Concurrent migrators (several serve instances) serialize on an advisory lock.
#pragma once

#include "upcoach/core/result.h"

#include <QString>
#include <pqxx/pqxx>
#include <vector>

namespace upcoach::storage {

struct Migration
{
    int version = 0;
    QString name; // "0001_region_heartbeat"
    QByteArray sql;
    QByteArray checksum; // SHA-256 of sql, hex
};

class MigrationSet
{
public:
    // The sets compiled into the binary: "regional" (every regional database), "control"
    // (the control-plane database only) and "tenant" (the coaching data model, applied into a
    // schema with applyInSchema: tenant_shared, t_<id>, or tenant_data of a tenant database).
    static const MigrationSet &regional();
    static const MigrationSet &control();
    static const MigrationSet &tenant();

    // Loads NNNN_name.sql files from a directory (resource or disk). Names must be unique and
    // versions strictly increasing.
    static Result<MigrationSet> fromDirectory(const QString &scope, const QString &dir);

    const QString &scope() const { return m_scope; }
    const std::vector<Migration> &migrations() const { return m_migrations; }

    // Applies what is missing; returns how many migrations were applied. Blocking.
    Result<int> apply(pqxx::connection &connection) const;

    // Creates `schema` if missing and applies the set inside it (search_path is the schema
    // alone while the migrations run; its own schema_migrations table lives there too). Then
    // grants `grantee` USAGE on the schema and SELECT, INSERT, UPDATE, DELETE on its tables
    // (read-only on schema_migrations) and revokes everything from PUBLIC. Run as the owner.
    // Blocking; idempotent.
    Result<int> applyInSchema(pqxx::connection &connection, const QString &schema,
                              const QString &grantee) const;

private:
    QString m_scope;
    std::vector<Migration> m_migrations;
};

} // namespace upcoach::storage
