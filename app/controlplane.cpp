#include "controlplane.h"

#include "modes.h"
#include "upcoach/storage/bootstrap.h"
#include "upcoach/storage/embeddedclusters.h"

#include <QCommandLineParser>
#include <QDir>
#include <pwd.h>
#include <unistd.h>

namespace upcoach::app {

QString embeddedSigningKeyPath(const QString &stateDir)
{
    return QDir(stateDir).absolutePath() + QStringLiteral("/secrets/audit-signing-key.pem");
}

Result<std::unique_ptr<compliance::PostgresAuditLog>> openAuditLog(const ControlPlaneTarget &target)
{
    if (target.signingKeyFile.isEmpty())
        return makeError(ErrorCode::Config,
                         QStringLiteral("audit.signing_key_file is not set: the audit log needs "
                                        "the Ed25519 key that signs its tree heads (create one "
                                        "with 'openssl genpkey -algorithm ed25519')"));
    auto signer = compliance::loadSigningKey(target.signingKeyFile, target.createSigningKey);
    if (!signer)
        return signer.error();
    compliance::AuditLogSettings settings;
    settings.treeHeadEvery = target.audit.treeHeadEvery;
    settings.treeHeadInterval = target.audit.treeHeadInterval;
    return compliance::PostgresAuditLog::open(target.endpoint, std::move(signer.value()), settings);
}

void addControlPlaneOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("config"), QStringLiteral("Configuration file (YAML)."),
         QStringLiteral("FILE")},
        {QStringLiteral("state-dir"),
         QStringLiteral("The demo's state directory (default: the demo's default)."),
         QStringLiteral("DIR")},
    });
}

int withControlPlane(const QCommandLineParser &parser,
                     const std::function<int(const ControlPlaneTarget &)> &fn)
{
    if (parser.isSet(QStringLiteral("config"))) {
        auto config = AppConfig::load(parser.value(QStringLiteral("config")));
        if (!config)
            return fail(config.error().message, 2);
        if (auto s =
                storage::prepareDatabases({*config->controlPlane()}, config->controlPlaneRegion);
            !s)
            return fail(s.error().message);
        return fn({*config->controlPlane(), config->audit.signingKeyFile, false, config->audit});
    }
    const QString stateDir = parser.isSet(QStringLiteral("state-dir"))
                                 ? parser.value(QStringLiteral("state-dir"))
                                 : storage::EmbeddedClusters::defaultStateDir();
    const QString keyFile = embeddedSigningKeyPath(stateDir);
    const Region &controlRegion = RegionCatalog::builtin().regions().front();
    if (auto running = storage::EmbeddedClusters::runningEndpoint(stateDir, controlRegion.id))
        return fn({running.value(), keyFile, true, {}});
    storage::EmbeddedOptions options;
    options.stateDir = stateDir;
    options.regions = {controlRegion};
    options.progress = [](const QString &) {};
    auto clusters = storage::EmbeddedClusters::start(options);
    if (!clusters)
        return fail(clusters.error().message);
    const RegionEndpoint endpoint = clusters.value()->endpoints().front();
    if (auto s = storage::prepareDatabases({endpoint}, endpoint.regionId); !s)
        return fail(s.error().message);
    const int code = fn({endpoint, keyFile, true, {}});
    if (auto stopped = clusters.value()->stop(); !stopped)
        return fail(stopped.error().message);
    return code;
}

QString cliActor()
{
    const passwd *pw = ::getpwuid(::geteuid());
    return QStringLiteral("cli:") +
           (pw ? QString::fromLocal8Bit(pw->pw_name) : QString::number(::geteuid()));
}

} // namespace upcoach::app
