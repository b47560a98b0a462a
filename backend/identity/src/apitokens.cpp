#include "upcoach/identity/apitokens.h"

#include "upcoach/core/crypto.h"
#include "upcoach/core/ids.h"
#include "upcoach/core/logging.h"

namespace upcoach::identity {

namespace {

// Tokens look like "uco_" + base64url(32 random bytes): the prefix lets secret scanners find
// leaked ones; the 256 random bits make a plain SHA-256 a safe storage form.
const QByteArray kPrefix = QByteArrayLiteral("uco_");
constexpr int kSecretBytes = 32;
constexpr int kTokenLength = 4 + 43;

Error unauthorized()
{
    return makeError(ErrorCode::Unauthorized,
                     QStringLiteral("missing, unknown, expired or revoked token"));
}

pqxx::binarystring asBytes(const QByteArray &data)
{
    return pqxx::binarystring(data.constData(), size_t(data.size()));
}

} // namespace

QString apiTokenKindName(ApiTokenKind kind)
{
    switch (kind) {
    case ApiTokenKind::Operator:
        return QStringLiteral("operator");
    case ApiTokenKind::OperatorSession:
        return QStringLiteral("operator-session");
    case ApiTokenKind::Service:
        return QStringLiteral("service");
    }
    return {};
}

std::optional<ApiTokenKind> apiTokenKindFromName(QStringView name)
{
    for (const ApiTokenKind kind :
         {ApiTokenKind::Operator, ApiTokenKind::OperatorSession, ApiTokenKind::Service})
        if (name == apiTokenKindName(kind))
            return kind;
    return std::nullopt;
}

QStringList apiTokenRoles()
{
    return {QStringLiteral("ops-admin"), QStringLiteral("ops-viewer"),
            QStringLiteral("ops-auditor")};
}

ApiTokenStore::ApiTokenStore(storage::ConnectionPool &controlPlane, const Clock &clock)
    : m_pool(controlPlane)
    , m_clock(clock)
{}

Result<IssuedApiToken> ApiTokenStore::generate(const QString &role,
                                               std::optional<QDateTime> expiresAt,
                                               ApiTokenKind kind) const
{
    if (!apiTokenRoles().contains(role))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("unknown role \"%1\" (known: %2)")
                             .arg(role, apiTokenRoles().join(QStringLiteral(", "))));
    if (kind == ApiTokenKind::OperatorSession)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("operator sessions are opened with a second factor, not "
                                        "issued"));
    if (kind == ApiTokenKind::Service &&
        (!expiresAt ||
         *expiresAt > m_clock.now().addSecs(
                          std::chrono::duration_cast<std::chrono::seconds>(kMaxServiceTokenLifetime)
                              .count())))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("a service token has no second factor, so it must expire "
                                        "within %1 days")
                             .arg(kMaxServiceTokenLifetime.count() / 24));
    auto random = crypto::randomBytes(kSecretBytes);
    if (!random)
        return random.error();
    IssuedApiToken token;
    token.id = ids::uuid7(m_clock).toString(QUuid::WithoutBraces);
    token.role = role;
    token.secret = kPrefix + crypto::base64Url(random.value());
    token.kind = kind;
    if (expiresAt)
        token.expiresAt = expiresAt->toUTC();
    return token;
}

Status ApiTokenStore::store(const IssuedApiToken &token)
{
    if (!apiTokenRoles().contains(token.role) || QUuid::fromString(token.id).isNull() ||
        token.secret.size() != kTokenLength || !token.secret.startsWith(kPrefix) ||
        (token.kind == ApiTokenKind::OperatorSession) == token.parentId.isEmpty() ||
        (token.kind != ApiTokenKind::Operator && !token.expiresAt.isValid()))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("not a token made by ApiTokenStore::generate()"));
    const QByteArray hash = crypto::sha256(token.secret);
    auto stored = m_pool.withConnection([&](pqxx::connection &c) {
        pqxx::work work(c);
        const std::string now = m_clock.now().toString(Qt::ISODateWithMs).toStdString();
        work.exec_params("INSERT INTO api_tokens (id, token_hash, role, created_at, expires_at, "
                         "kind, parent_id, last_used_at) VALUES ($1, $2, $3, $4, $5, $6, "
                         "$7::uuid, CASE WHEN $6 = 'operator-session' THEN $4::timestamptz END)",
                         token.id.toStdString(), asBytes(hash), token.role.toStdString(), now,
                         token.expiresAt.isValid()
                             ? std::optional<std::string>(
                                   token.expiresAt.toString(Qt::ISODateWithMs).toStdString())
                             : std::nullopt,
                         apiTokenKindName(token.kind).toStdString(),
                         token.parentId.isEmpty()
                             ? std::nullopt
                             : std::optional<std::string>(token.parentId.toStdString()));
        work.commit();
    });
    if (!stored)
        return stored.error();
    qCInfo(lcIdentity).noquote() << "issued API token" << token.id << "for role" << token.role
                                 << "kind" << apiTokenKindName(token.kind);
    return {};
}

Result<IssuedApiToken> ApiTokenStore::issue(const QString &role, std::optional<QDateTime> expiresAt,
                                            ApiTokenKind kind)
{
    auto token = generate(role, expiresAt, kind);
    if (!token)
        return token;
    if (auto stored = store(token.value()); !stored)
        return stored.error();
    return token;
}

Result<IssuedApiToken> ApiTokenStore::generateOperatorSession(const QString &credentialId,
                                                              const QString &role) const
{
    if (QUuid::fromString(credentialId).isNull())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("\"%1\" is not a token id").arg(credentialId));
    const QDateTime expiresAt = m_clock.now().addSecs(
        std::chrono::duration_cast<std::chrono::seconds>(kOperatorSessionLifetime).count());
    auto token = generate(role, expiresAt);
    if (!token)
        return token;
    token->kind = ApiTokenKind::OperatorSession;
    token->parentId = credentialId;
    return token;
}

Result<ApiTokenInfo> ApiTokenStore::find(const QString &tokenId)
{
    if (QUuid::fromString(tokenId).isNull())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("\"%1\" is not a token id").arg(tokenId));
    auto found = m_pool.withConnection([&](pqxx::connection &c) -> std::optional<ApiTokenInfo> {
        pqxx::read_transaction work(c);
        const pqxx::result rows = work.exec_params(
            "SELECT id::text, role, floor(extract(epoch FROM created_at) * 1000)::bigint, "
            "floor(extract(epoch FROM expires_at) * 1000)::bigint, "
            "floor(extract(epoch FROM revoked_at) * 1000)::bigint, kind, coalesce(parent_id::text, "
            "'') FROM api_tokens WHERE id = $1",
            tokenId.toStdString());
        if (rows.empty())
            return std::nullopt;
        auto time = [](const pqxx::field &field) {
            return field.is_null() ? QDateTime()
                                   : QDateTime::fromMSecsSinceEpoch(field.as<qint64>(), Qt::UTC);
        };
        return ApiTokenInfo{
            QString::fromStdString(rows[0][0].as<std::string>()),
            QString::fromStdString(rows[0][1].as<std::string>()),
            time(rows[0][2]),
            time(rows[0][3]),
            time(rows[0][4]),
            apiTokenKindFromName(QString::fromStdString(rows[0][5].as<std::string>()))
                .value_or(ApiTokenKind::Operator),
            QString::fromStdString(rows[0][6].as<std::string>())};
    });
    if (!found)
        return found.error();
    if (!found.value())
        return makeError(ErrorCode::NotFound, QStringLiteral("no token with id %1").arg(tokenId));
    return *found.value();
}

Result<ApiPrincipal> ApiTokenStore::verify(const QByteArray &presented)
{
    if (presented.size() != kTokenLength || !presented.startsWith(kPrefix))
        return unauthorized();
    const QByteArray hash = crypto::sha256(presented);
    auto found = m_pool.withConnection([&](pqxx::connection &c) -> std::optional<ApiPrincipal> {
        pqxx::work work(c);
        // Looked up by hash: a timing difference in the index lookup tells an attacker nothing
        // about a token they do not already know.
        // An operator session also needs its credential alive, and a request within the idle
        // timeout (last_used_at is the previous request).
        const pqxx::result rows = work.exec_params(
            "UPDATE api_tokens t SET last_used_at = $2 WHERE token_hash = $1 AND revoked_at IS "
            "NULL AND (expires_at IS NULL OR expires_at > $2) AND (kind <> 'operator-session' OR "
            "(last_used_at > $2::timestamptz - make_interval(secs => $3) AND EXISTS (SELECT 1 "
            "FROM api_tokens p WHERE p.id = t.parent_id AND p.revoked_at IS NULL AND "
            "(p.expires_at IS NULL OR p.expires_at > $2)))) RETURNING id::text, role, "
            "token_hash, kind, coalesce(parent_id::text, '')",
            asBytes(hash), m_clock.now().toString(Qt::ISODateWithMs).toStdString(),
            double(std::chrono::duration_cast<std::chrono::seconds>(kOperatorSessionIdleTimeout)
                       .count()));
        work.commit();
        if (rows.empty())
            return std::nullopt;
        const pqxx::binarystring stored(rows[0][2]);
        const QByteArray storedHash(stored.get(), qsizetype(stored.size()));
        if (!crypto::constantTimeEquals(storedHash, hash))
            return std::nullopt;
        ApiPrincipal principal;
        principal.tokenId = QString::fromStdString(rows[0][0].as<std::string>());
        principal.role = QString::fromStdString(rows[0][1].as<std::string>());
        principal.tokenKind = QString::fromStdString(rows[0][3].as<std::string>());
        principal.credentialId = QString::fromStdString(rows[0][4].as<std::string>());
        // An operator credential alone owes its second factor (rbac.h: MFA routes only).
        principal.mfaPending = principal.tokenKind == apiTokenKindName(ApiTokenKind::Operator);
        return principal;
    });
    if (!found)
        return found.error();
    if (!found.value())
        return unauthorized();
    return *found.value();
}

Status ApiTokenStore::revoke(const QString &tokenId)
{
    if (QUuid::fromString(tokenId).isNull())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("\"%1\" is not a token id").arg(tokenId));
    auto revoked = m_pool.withConnection([&](pqxx::connection &c) {
        pqxx::work work(c);
        const std::string now = m_clock.now().toString(Qt::ISODateWithMs).toStdString();
        const pqxx::result rows = work.exec_params(
            "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            tokenId.toStdString(), now);
        // The sessions an operator credential opened end with it.
        work.exec_params("UPDATE api_tokens SET revoked_at = $2 WHERE parent_id = $1 AND "
                         "revoked_at IS NULL",
                         tokenId.toStdString(), now);
        work.commit();
        return rows.affected_rows();
    });
    if (!revoked)
        return revoked.error();
    if (revoked.value() == 0)
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("no active token with id %1").arg(tokenId));
    qCInfo(lcIdentity).noquote() << "revoked API token" << tokenId;
    return {};
}

} // namespace upcoach::identity
