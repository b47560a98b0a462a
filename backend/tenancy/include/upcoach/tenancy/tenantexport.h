// Tenant export: every row of a tenant as a portable archive directory — per table a JSON-lines
// file and a CSV file (RFC 4180, header row), and manifest.json with the tenant, the row counts
// and the SHA-256 of every file. Read in one REPEATABLE READ snapshot through TenantSession.
// With masking (non-production copies), names, emails and phone numbers are replaced by
// deterministic, format-keeping stand-ins (masking.h). Recorded in the audit log first.
#pragma once

#include "upcoach/core/result.h"
#include "upcoach/tenancy/tenant.h"

#include <QByteArray>
#include <QMap>
#include <QString>

namespace upcoach::compliance {
class AuditLog;
}

namespace upcoach::tenancy {

class TenantRegistry;
class TenantSessions;

struct ExportOptions
{
    bool mask = false;
    QByteArray maskKey; // required when mask; at least 16 bytes
};

struct ExportReport
{
    QString directory;
    QMap<QString, qint64> rows; // per table
    qint64 bytes = 0;
};

// `directory` must not exist yet, or be empty. Blocking.
Result<ExportReport> exportTenant(TenantRegistry &registry, TenantSessions &sessions,
                                  compliance::AuditLog &audit, const QString &slug,
                                  const QString &directory, const ExportOptions &options,
                                  const ActorContext &actor);

} // namespace upcoach::tenancy
