// Logging categories, one per subsystem (upcoach.<area>[.<sub>]); debug is off by default.
// Rule for sensitive values: never log a secret, token, password, key or PII value. Log the
// kind of thing and an id instead ("token for role ops-admin", not the token).
#pragma once

#include <QLoggingCategory>

namespace upcoach::logging {

enum class Format
{
    Text,
    JsonLines
};

// Installs the process-wide message handler. JsonLines writes one JSON object per line to
// stderr: {"ts","level","category","msg"} and is what server mode uses.
void install(Format format);

// Formats one record as a JSON line (without the trailing newline). Exposed for tests.
QByteArray jsonLine(QtMsgType type, const char *category, const QString &message, qint64 epochMs);

} // namespace upcoach::logging

Q_DECLARE_LOGGING_CATEGORY(lcCore)
Q_DECLARE_LOGGING_CATEGORY(lcConfig)
Q_DECLARE_LOGGING_CATEGORY(lcStorage)
Q_DECLARE_LOGGING_CATEGORY(lcCluster)
Q_DECLARE_LOGGING_CATEGORY(lcMigrations)
Q_DECLARE_LOGGING_CATEGORY(lcMonitor)
Q_DECLARE_LOGGING_CATEGORY(lcIdentity)
Q_DECLARE_LOGGING_CATEGORY(lcApi)
Q_DECLARE_LOGGING_CATEGORY(lcApp)
Q_DECLARE_LOGGING_CATEGORY(lcRouting)
Q_DECLARE_LOGGING_CATEGORY(lcAudit)
