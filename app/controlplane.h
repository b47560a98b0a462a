// What the CLI commands, serve and demo share to reach the control plane: the database (from
// --config, or the demo's state directory) and the audit log that records what they change.
#pragma once

#include "upcoach/compliance/auditstore.h"
#include "upcoach/core/config.h"

#include <QString>
#include <functional>
#include <memory>

class QCommandLineParser;

namespace upcoach::app {

struct ControlPlaneTarget
{
    RegionEndpoint endpoint;       // the application's login
    QString signingKeyFile;        // the audit tree-head key
    bool createSigningKey = false; // the embedded default creates its key on first use
    AuditConfig audit;
};

// <state dir>/secrets/audit-signing-key.pem: the embedded default's audit key.
QString embeddedSigningKeyPath(const QString &stateDir);

// Opens the audit writer on the control plane. Config mode needs audit.signing_key_file.
Result<std::unique_ptr<compliance::PostgresAuditLog>>
openAuditLog(const ControlPlaneTarget &target);

// --config FILE and --state-dir DIR.
void addControlPlaneOptions(QCommandLineParser &parser);

// Runs fn against the control plane: from --config, or the demo's state directory (attaching to
// a running demo, or starting its control-plane cluster just for this call). Returns fn's exit
// code, or a failure's.
int withControlPlane(const QCommandLineParser &parser,
                     const std::function<int(const ControlPlaneTarget &)> &fn);

// The actor of a command-line action: the operating-system user who ran it.
QString cliActor();

} // namespace upcoach::app
