// token: issue and revoke API bearer tokens in the control-plane database.
#include "controlplane.h"
#include "modes.h"
#include "upcoach/core/logging.h"
#include "upcoach/identity/apitokens.h"
#include "upcoach/storage/connectionpool.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonObject>
#include <QTextStream>

namespace upcoach::app {

namespace {

// Records a token change; the change only counts once this is durable.
Status recordTokenEvent(const ControlPlaneTarget &target, const QString &action,
                        const QString &tokenId, QJsonObject details)
{
    auto log = openAuditLog(target);
    if (!log)
        return log.error();
    compliance::AuditRecord record;
    record.actor = cliActor();
    record.action = action;
    record.target = QStringLiteral("api-token:") + tokenId;
    record.classification = QStringLiteral("security");
    record.details = std::move(details);
    Result<compliance::AuditReceipt> receipt = log.value()->record(record).result();
    if (!receipt)
        return receipt.error();
    return {};
}

} // namespace

int tokenCommand(int &argc, char **argv, const QStringList &arguments)
{
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("upcoach-ops"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Issue or revoke API bearer tokens.\n\n"
        "  token issue --role ROLE [--kind operator|service] [--expires-in 30d]\n"
        "                                               prints the new token on stdout, once\n"
        "  token revoke TOKEN_ID\n\n"
        "An operator token (the default) is a person's credential: before anything else it enrols "
        "a TOTP authenticator (POST /api/v1/me/mfa/totp) and then exchanges codes for 12-hour "
        "operator sessions (POST /api/v1/me/mfa/verify). A service token is for automation: no "
        "second factor, so --expires-in is required (at most 90d).\n\n"
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
         QStringLiteral("Lifetime, like 12h or 30d (default: no expiry; service tokens need "
                        "one)."),
         QStringLiteral("DURATION")},
        {QStringLiteral("kind"),
         QStringLiteral("operator (a person; MFA always, the default) or service (automation)."),
         QStringLiteral("KIND"), QStringLiteral("operator")},
    });
    addControlPlaneOptions(parser);
    parser.process(arguments);
    logging::install(logging::Format::Text);
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);

    if (action == QLatin1String("issue") && positional.size() == 1) {
        if (!parser.isSet(QStringLiteral("role")))
            return fail(QStringLiteral("token issue needs --role (%1)")
                            .arg(identity::apiTokenRoles().join(QStringLiteral(", "))),
                        2);
        const auto kind = identity::apiTokenKindFromName(parser.value(QStringLiteral("kind")));
        if (!kind || *kind == identity::ApiTokenKind::OperatorSession)
            return fail(QStringLiteral("--kind: operator or service"), 2);
        std::optional<QDateTime> expiresAt;
        if (parser.isSet(QStringLiteral("expires-in"))) {
            auto lifetime = parseDuration(parser.value(QStringLiteral("expires-in")));
            if (!lifetime)
                return fail(QStringLiteral("--expires-in: ") + lifetime.error().message, 2);
            expiresAt = QDateTime::currentDateTimeUtc().addMSecs(lifetime.value().count());
        }
        return withControlPlane(parser, [&](const ControlPlaneTarget &controlPlane) {
            storage::ConnectionPool pool(controlPlane.endpoint,
                                         storage::PoolOptions{.maxConnections = 1});
            identity::ApiTokenStore store(pool);
            auto token = store.issue(parser.value(QStringLiteral("role")), expiresAt, *kind);
            if (!token)
                return fail(token.error().message,
                            token.error().code == ErrorCode::InvalidInput ? 2 : 1);
            // Never the secret: only what identifies the token.
            QJsonObject details{{QStringLiteral("tokenId"), token->id},
                                {QStringLiteral("role"), token->role},
                                {QStringLiteral("kind"), identity::apiTokenKindName(token->kind)}};
            if (token->expiresAt.isValid())
                details.insert(QStringLiteral("expiresAt"),
                               compliance::auditTimeToString(token->expiresAt));
            if (auto recorded = recordTokenEvent(controlPlane, QStringLiteral("api-token.issue"),
                                                 token->id, details);
                !recorded) {
                (void)store.revoke(token->id); // an unrecorded token must not stay usable
                return fail(QStringLiteral("the audit log could not record the token, so it was "
                                           "revoked again: ") +
                            recorded.error().message);
            }
            QTextStream(stderr) << "issued " << identity::apiTokenKindName(token->kind) << " token "
                                << token->id << " for role " << token->role
                                << "; it is shown once:\n";
            if (token->kind == identity::ApiTokenKind::Operator)
                QTextStream(stderr)
                    << "(an operator token needs a second factor: enrol an authenticator with "
                       "POST /api/v1/me/mfa/totp, then exchange codes for sessions at POST "
                       "/api/v1/me/mfa/verify)\n";
            QTextStream(stdout) << token->secret << '\n';
            return 0;
        });
    }
    if (action == QLatin1String("revoke") && positional.size() == 2) {
        return withControlPlane(parser, [&](const ControlPlaneTarget &controlPlane) {
            storage::ConnectionPool pool(controlPlane.endpoint,
                                         storage::PoolOptions{.maxConnections = 1});
            identity::ApiTokenStore store(pool);
            if (auto revoked = store.revoke(positional.value(1)); !revoked)
                return fail(revoked.error().message);
            if (auto recorded = recordTokenEvent(controlPlane, QStringLiteral("api-token.revoke"),
                                                 positional.value(1), {});
                !recorded)
                return fail(QStringLiteral("the token was revoked, but the audit log could not "
                                           "record it: ") +
                            recorded.error().message);
            QTextStream(stderr) << "revoked token " << positional.value(1) << '\n';
            return 0;
        });
    }
    return fail(
        QStringLiteral("usage: upcoach-ops token issue --role ROLE | token revoke TOKEN_ID"), 2);
}

} // namespace upcoach::app
