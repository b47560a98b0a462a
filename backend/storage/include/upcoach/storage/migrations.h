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
    // The sets compiled into the binary: "regional" (every regional database) and "control"
    // (the control-plane database only).
    static const MigrationSet &regional();
    static const MigrationSet &control();

    // Loads NNNN_name.sql files from a directory (resource or disk). Names must be unique and
    // versions strictly increasing.
    static Result<MigrationSet> fromDirectory(const QString &scope, const QString &dir);

    const QString &scope() const { return m_scope; }
    const std::vector<Migration> &migrations() const { return m_migrations; }

    // Applies what is missing; returns how many migrations were applied. Blocking.
    Result<int> apply(pqxx::connection &connection) const;

private:
    QString m_scope;
    std::vector<Migration> m_migrations;
};

} // namespace upcoach::storage
