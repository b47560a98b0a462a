// token: issue and revoke API bearer tokens in the control-plane database.
#include "modes.h"
#include "upcoach/core/logging.h"
#include "upcoach/identity/apitokens.h"
#include "upcoach/storage/bootstrap.h"
#include "upcoach/storage/connectionpool.h"
#include "upcoach/storage/embeddedclusters.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>
#include <functional>

namespace upcoach::app {

namespace {

// Runs fn against the control-plane database: from --config, or the demo's state directory
// (attaching to a running demo, or starting its control-plane cluster just for this).
int withControlPlane(const QCommandLineParser &parser,
                     const std::function<int(const RegionEndpoint &)> &fn)
{
    if (parser.isSet(QStringLiteral("config"))) {
        auto config = AppConfig::load(parser.value(QStringLiteral("config")));
        if (!config)
            return fail(config.error().message, 2);
        if (auto s =
                storage::prepareDatabases({*config->controlPlane()}, config->controlPlaneRegion);
            !s)
            return fail(s.error().message);
        return fn(*config->controlPlane());
    }
    const QString stateDir = parser.isSet(QStringLiteral("state-dir"))
                                 ? parser.value(QStringLiteral("state-dir"))
                                 : storage::EmbeddedClusters::defaultStateDir();
    const Region &controlRegion = RegionCatalog::builtin().regions().front();
    if (auto running = storage::EmbeddedClusters::runningEndpoint(stateDir, controlRegion.id))
        return fn(running.value());
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
    const int code = fn(endpoint);
    if (auto stopped = clusters.value()->stop(); !stopped)
        return fail(stopped.error().message);
    return code;
}

} // namespace

int tokenCommand(int &argc, char **argv, const QStringList &arguments)
{
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("upcoach-ops"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Issue or revoke API bearer tokens.\n\n"
        "  token issue --role ROLE [--expires-in 30d]   prints the new token on stdout, once\n"
        "  token revoke TOKEN_ID\n\n"
        "The control-plane database comes from --config FILE, or else from the demo's state "
        "directory."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("issue or revoke"));
    parser.addOptions({
        {QStringLiteral("role"),
         QStringLiteral("Role of the token: %1.")
             .arg(identity::apiTokenRoles().join(QStringLiteral(", "))),
         QStringLiteral("ROLE")},
        {QStringLiteral("expires-in"),
         QStringLiteral("Lifetime, like 12h or 30d (default: no expiry)."),
         QStringLiteral("DURATION")},
        {QStringLiteral("config"), QStringLiteral("Configuration file (YAML)."),
         QStringLiteral("FILE")},
        {QStringLiteral("state-dir"), QStringLiteral("The demo's state directory."),
         QStringLiteral("DIR")},
    });
    parser.process(arguments);
    logging::install(logging::Format::Text);
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);

    if (action == QLatin1String("issue") && positional.size() == 1) {
        if (!parser.isSet(QStringLiteral("role")))
            return fail(QStringLiteral("token issue needs --role (%1)")
                            .arg(identity::apiTokenRoles().join(QStringLiteral(", "))),
                        2);
        std::optional<QDateTime> expiresAt;
        if (parser.isSet(QStringLiteral("expires-in"))) {
            auto lifetime = parseDuration(parser.value(QStringLiteral("expires-in")));
            if (!lifetime)
                return fail(QStringLiteral("--expires-in: ") + lifetime.error().message, 2);
            expiresAt = QDateTime::currentDateTimeUtc().addMSecs(lifetime.value().count());
        }
        return withControlPlane(parser, [&](const RegionEndpoint &controlPlane) {
            storage::ConnectionPool pool(controlPlane, storage::PoolOptions{.maxConnections = 1});
            identity::ApiTokenStore store(pool);
            auto token = store.issue(parser.value(QStringLiteral("role")), expiresAt);
            if (!token)
                return fail(token.error().message,
                            token.error().code == ErrorCode::InvalidInput ? 2 : 1);
            QTextStream(stderr) << "issued token " << token->id << " for role " << token->role
                                << "; it is shown once:\n";
            QTextStream(stdout) << token->secret << '\n';
            return 0;
        });
    }
    if (action == QLatin1String("revoke") && positional.size() == 2) {
        return withControlPlane(parser, [&](const RegionEndpoint &controlPlane) {
            storage::ConnectionPool pool(controlPlane, storage::PoolOptions{.maxConnections = 1});
            identity::ApiTokenStore store(pool);
            if (auto revoked = store.revoke(positional.value(1)); !revoked)
                return fail(revoked.error().message);
            QTextStream(stderr) << "revoked token " << positional.value(1) << '\n';
            return 0;
        });
    }
    return fail(
        QStringLiteral("usage: upcoach-ops token issue --role ROLE | token revoke TOKEN_ID"), 2);
}

} // namespace upcoach::app
