#include "upcoach/identity/sessions.h"

#include "upcoach/compliance/recordedchange.h"
#include "upcoach/core/crypto.h"
#include "upcoach/core/ids.h"
#include "upcoach/identity/jose.h"
#include "upcoach/identity/qrcode.h"
#include "upcoach/identity/rbac.h"
#include "upcoach/identity/recoverycodes.h"
#include "upcoach/identity/totp.h"
#include "upcoach/storage/connectionpool.h"
#include "upcoach/storage/pqvalues.h"
#include "upcoach/tenancy/fieldcipher.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace upcoach::identity {

using storage::pq::bytes;
using storage::pq::instant;
using storage::pq::text;
using storage::pq::uuidText;

namespace {

const QString kAudience = QStringLiteral("upcoach-ops-api");
const QByteArray kRefreshPrefix = QByteArrayLiteral("rt.");
constexpr qsizetype kMaxAccessTokenBytes = 4096;
const QStringList kTenantRoles{QStringLiteral("admin"), QStringLiteral("coach"),
                               QStringLiteral("coachee")};

Error unauthorized()
{
    return makeError(ErrorCode::Unauthorized,
                     QStringLiteral("missing, expired, revoked or malformed session token"));
}

QString sessionText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

// The SHA-256 of the refresh token's secret part.
QByteArray refreshHash(const QByteArray &secret)
{
    return crypto::sha256(secret);
}

tenancy::FieldLocation keyLocation(const QUuid &tenantId)
{
    return {tenantId, QStringLiteral("session_keys"), QStringLiteral("private_sealed"),
            sessionText(tenantId)};
}

tenancy::FieldLocation totpLocation(const QUuid &tenantId, const QString &userId)
{
    return {tenantId, QStringLiteral("mfa_totp"), QStringLiteral("secret_sealed"), userId};
}

const char *kSessionColumns =
    "id::text, user_id::text, role, mfa, mfa_pending,"
    " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
    " to_char(refreshed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
    " to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
    " to_char(revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
    " coalesce(revoke_reason, '')";

SessionInfo sessionFrom(const pqxx::row &row)
{
    SessionInfo info;
    info.id = QString::fromStdString(row[0].as<std::string>());
    info.userId = QString::fromStdString(row[1].as<std::string>());
    info.role = QString::fromStdString(row[2].as<std::string>());
    info.mfa = QString::fromStdString(row[3].as<std::string>());
    info.mfaPending = row[4].as<bool>();
    info.createdAt = instant(row[5]);
    info.refreshedAt = instant(row[6]);
    info.expiresAt = instant(row[7]);
    info.revokedAt = instant(row[8]);
    info.revokeReason = QString::fromStdString(row[9].as<std::string>());
    return info;
}

MfaPolicy policyFrom(const pqxx::row &row)
{
    MfaPolicy policy;
    policy.requiredForAll = row[0].as<bool>();
    policy.requiredRoles = storage::pq::stringArray(row[1]);
    policy.acceptIdpMfa = row[2].as<bool>();
    policy.version = row[3].as<int>();
    return policy;
}

struct TotpRow
{
    QString sealed;
    bool confirmed = false;
    std::optional<qint64> lastStep;
};

std::optional<TotpRow> totpRow(pqxx::transaction_base &work, const QUuid &tenantId,
                               const QString &userId)
{
    const pqxx::result rows =
        work.exec_params("SELECT secret_sealed, confirmed_at IS NOT NULL, last_step FROM mfa_totp "
                         "WHERE tenant_id = $1::uuid AND user_id = $2::uuid",
                         uuidText(tenantId), text(userId));
    if (rows.empty())
        return std::nullopt;
    TotpRow row;
    row.sealed = QString::fromStdString(rows[0][0].as<std::string>());
    row.confirmed = rows[0][1].as<bool>();
    if (!rows[0][2].is_null())
        row.lastStep = rows[0][2].as<qint64>();
    return row;
}

} // namespace

Result<TotpEnrolment> totpEnrolmentFor(const QString &issuer, const QString &account,
                                       const QByteArray &secret)
{
    TotpEnrolment enrolment;
    enrolment.secretBase32 = base32Encode(secret);
    auto uri = otpauthUri(issuer.left(kOtpauthMaxIssuerLength),
                          account.left(kOtpauthMaxAccountLength), secret);
    if (!uri)
        return uri.error();
    enrolment.otpauthUri = *uri;
    auto qr = encodeQr(uri->toUtf8());
    if (!qr)
        return qr.error();
    enrolment.qrSvg = qrSvg(*qr);
    return enrolment;
}

bool mfaRequired(const MfaPolicy &policy, const QString &role)
{
    return policy.requiredForAll || policy.requiredRoles.contains(role);
}

struct SessionService::TenantKey
{
    QUuid tenantId;
    QString kid;
    JwkSet verification;
    std::optional<SigningKey> signing; // only in the signing cache
};

SessionService::SessionService(storage::ConnectionPool &controlPlane, tenancy::FieldCipher &cipher,
                               compliance::AuditLog &audit, QString issuer, const Clock &clock,
                               SessionLimits limits)
    : m_pool(controlPlane)
    , m_cipher(cipher)
    , m_audit(audit)
    , m_issuer(std::move(issuer))
    , m_clock(clock)
    , m_limits(limits)
{}

SessionService::~SessionService() = default;

compliance::AuditRecord SessionService::recordFor(const QString &action, const QString &tenantSlug,
                                                  const QString &target,
                                                  const compliance::ActorContext &actor) const
{
    return compliance::auditRecordOf(actor, tenantSlug, action, target);
}

// ---- keys ------------------------------------------------------------------------------------

Result<std::shared_ptr<const SessionService::TenantKey>>
SessionService::signingKey(const QUuid &tenantId)
{
    {
        std::lock_guard lock(m_keysMutex);
        if (auto cached = m_signingKeys.value(tenantId))
            return cached;
    }
    auto read = [&]() -> Result<std::optional<std::pair<QString, QString>>> {
        return m_pool.withConnection([&](pqxx::connection &connection) {
            pqxx::read_transaction work(connection);
            const pqxx::result rows = work.exec_params(
                "SELECT kid, private_sealed FROM session_keys WHERE tenant_id = $1::uuid",
                uuidText(tenantId));
            if (rows.empty())
                return std::optional<std::pair<QString, QString>>();
            return std::optional<std::pair<QString, QString>>(
                std::pair{QString::fromStdString(rows[0][0].as<std::string>()),
                          QString::fromStdString(rows[0][1].as<std::string>())});
        });
    };
    auto stored = read();
    if (!stored)
        return stored.error();
    if (!*stored) {
        // First use: a fresh Ed25519 key. Two instances may race; the first insert wins and both
        // read it back.
        auto generated = SigningKey::generate(JwsAlgorithm::EdDSA);
        if (!generated)
            return generated.error();
        auto pem = generated->privateKeyPem();
        if (!pem)
            return pem.error();
        auto sealed = m_cipher.encrypt(keyLocation(tenantId), *pem);
        crypto::secureWipe(*pem);
        if (!sealed)
            return sealed.error().context(QStringLiteral("sealing the session key"));
        const QByteArray jwk = QJsonDocument(generated->publicJwk()).toJson(QJsonDocument::Compact);
        auto inserted = m_pool.withConnection([&](pqxx::connection &connection) {
            pqxx::work work(connection);
            work.exec_params("INSERT INTO session_keys (tenant_id, kid, public_jwk, "
                             "private_sealed) VALUES ($1::uuid, $2, $3::jsonb, $4) ON CONFLICT "
                             "(tenant_id) DO NOTHING",
                             uuidText(tenantId), text(generated->kid()), jwk.toStdString(),
                             text(*sealed));
            work.commit();
        });
        if (!inserted)
            return inserted.error();
        stored = read();
        if (!stored)
            return stored.error();
        if (!*stored)
            return makeError(ErrorCode::Internal, QStringLiteral("the session key vanished"));
    }
    auto pem = m_cipher.decrypt(keyLocation(tenantId), (*stored)->second);
    if (!pem)
        return pem.error().context(QStringLiteral("opening the session key"));
    auto key = SigningKey::fromPem(*pem, JwsAlgorithm::EdDSA, (*stored)->first);
    crypto::secureWipe(*pem);
    if (!key)
        return key.error();
    auto entry = std::make_shared<TenantKey>();
    entry->tenantId = tenantId;
    entry->kid = (*stored)->first;
    entry->verification = JwkSet({key->verificationKey()});
    entry->signing = *key;
    std::lock_guard lock(m_keysMutex);
    m_signingKeys.insert(tenantId, entry);
    return std::shared_ptr<const TenantKey>(entry);
}

Result<std::shared_ptr<const SessionService::TenantKey>>
SessionService::verificationKey(const QString &kid)
{
    {
        std::lock_guard lock(m_keysMutex);
        if (auto cached = m_verificationKeys.value(kid))
            return cached;
    }
    auto found = m_pool.withConnection([&](pqxx::connection &connection)
                                           -> std::optional<std::pair<QUuid, QByteArray>> {
        pqxx::read_transaction work(connection);
        const pqxx::result rows = work.exec_params(
            "SELECT tenant_id::text, public_jwk::text FROM session_keys WHERE kid = $1", text(kid));
        if (rows.empty())
            return std::nullopt;
        return std::pair{QUuid::fromString(QString::fromStdString(rows[0][0].as<std::string>())),
                         QByteArray::fromStdString(rows[0][1].as<std::string>())};
    });
    if (!found)
        return found.error();
    if (!*found)
        return unauthorized();
    auto jwk = Jwk::fromJson(QJsonDocument::fromJson((*found)->second).object());
    if (!jwk)
        return jwk.error();
    auto entry = std::make_shared<TenantKey>();
    entry->tenantId = (*found)->first;
    entry->kid = kid;
    entry->verification = JwkSet({*jwk});
    std::lock_guard lock(m_keysMutex);
    if (m_verificationKeys.size() > 10000)
        m_verificationKeys.clear(); // bounded: one entry per tenant in practice
    m_verificationKeys.insert(kid, entry);
    return std::shared_ptr<const TenantKey>(entry);
}

// ---- tokens ----------------------------------------------------------------------------------

Result<SessionTokens> SessionService::accessTokenFor(const QString &sessionId,
                                                     const QUuid &tenantId,
                                                     const QString &tenantSlug,
                                                     const QString &userId, const QString &role,
                                                     const QString &mfa, bool mfaPending,
                                                     const QDateTime &expiresAt)
{
    auto key = signingKey(tenantId);
    if (!key)
        return key.error();
    auto jti = randomState(16);
    if (!jti)
        return jti.error();
    const QDateTime now = m_clock.now();
    QDateTime accessExpires = now.addSecs(m_limits.accessLifetime.count());
    if (accessExpires > expiresAt)
        accessExpires = expiresAt;
    const QJsonObject claims{
        {QStringLiteral("iss"), m_issuer},
        {QStringLiteral("aud"), kAudience},
        {QStringLiteral("sub"), userId},
        {QStringLiteral("tid"), sessionText(tenantId)},
        {QStringLiteral("ten"), tenantSlug},
        {QStringLiteral("sid"), sessionId},
        {QStringLiteral("role"), role},
        {QStringLiteral("mfa"), mfaPending ? QStringLiteral("pending") : mfa},
        {QStringLiteral("iat"), now.toSecsSinceEpoch()},
        {QStringLiteral("exp"), accessExpires.toSecsSinceEpoch()},
        {QStringLiteral("jti"), QString::fromLatin1(*jti)},
    };
    auto token = signJwt(claims, *(*key)->signing);
    if (!token)
        return token.error();
    SessionTokens tokens;
    tokens.sessionId = sessionId;
    tokens.accessToken = *token;
    tokens.accessExpiresAt = accessExpires;
    tokens.expiresAt = expiresAt;
    tokens.mfaPending = mfaPending;
    tokens.mfa = mfaPending ? QStringLiteral("pending") : mfa;
    return tokens;
}

bool SessionService::looksLikeAccessToken(QByteArrayView token)
{
    return token.size() <= kMaxAccessTokenBytes && token.count('.') == 2 && token.startsWith("eyJ");
}

Result<ApiPrincipal> SessionService::verifyAccessToken(QByteArrayView token)
{
    if (!looksLikeAccessToken(token))
        return unauthorized();
    const qsizetype dot = token.indexOf('.');
    auto headerBytes = base64UrlDecodeStrict(token.first(dot));
    if (!headerBytes)
        return unauthorized();
    QJsonParseError parseError;
    const QJsonDocument header = QJsonDocument::fromJson(*headerBytes, &parseError);
    const QString kid = header.object().value(QStringLiteral("kid")).toString();
    if (parseError.error != QJsonParseError::NoError || kid.isEmpty() || kid.size() > 64)
        return unauthorized();
    auto key = verificationKey(kid);
    if (!key)
        return key.error().code == ErrorCode::Unauthorized ? key.error() : key.error();
    // EdDSA is pinned: a token claiming any other algorithm (none, HS256 keyed with our public
    // key, ...) fails here.
    auto verified = verifyJwt(token, (*key)->verification, JwsAlgorithm::EdDSA);
    if (!verified)
        return unauthorized();
    const QJsonObject &claims = verified->claims;
    const qint64 now = m_clock.now().toSecsSinceEpoch();
    const QString sessionId = claims.value(QStringLiteral("sid")).toString();
    const QUuid sessionUuid = QUuid::fromString(sessionId);
    if (claims.value(QStringLiteral("iss")).toString() != m_issuer ||
        claims.value(QStringLiteral("aud")).toString() != kAudience ||
        !claims.value(QStringLiteral("exp")).isDouble() ||
        qint64(claims.value(QStringLiteral("exp")).toDouble()) <= now ||
        QUuid::fromString(claims.value(QStringLiteral("tid")).toString()) != (*key)->tenantId ||
        sessionUuid.isNull())
        return unauthorized();
    // The session row decides: revoked or ended sessions stop at once; role and MFA state are
    // the row's (a second factor given mid-token counts, a role the row lacks does not).
    auto row = m_pool.withConnection([&](pqxx::connection &connection) {
        pqxx::read_transaction work(connection);
        return work.exec_params("SELECT user_id::text, role, mfa_pending FROM user_sessions "
                                "WHERE id = $1::uuid AND tenant_id = $2::uuid AND revoked_at IS "
                                "NULL AND expires_at > now()",
                                uuidText(sessionUuid), uuidText((*key)->tenantId));
    });
    if (!row)
        return row.error();
    if (row->empty())
        return unauthorized();
    ApiPrincipal principal;
    principal.sessionId = sessionText(sessionUuid);
    principal.tokenId = principal.sessionId;
    principal.tenantId = (*key)->tenantId;
    principal.tenantSlug = claims.value(QStringLiteral("ten")).toString();
    principal.userId = QString::fromStdString((*row)[0][0].as<std::string>());
    principal.role = QString::fromStdString((*row)[0][1].as<std::string>());
    principal.mfaPending = (*row)[0][2].as<bool>();
    if (principal.userId != claims.value(QStringLiteral("sub")).toString())
        return unauthorized();
    return principal;
}

// ---- lifecycle -------------------------------------------------------------------------------

Result<SessionTokens> SessionService::start(const NewSession &input,
                                            const compliance::ActorContext &actor)
{
    if (!kTenantRoles.contains(input.role) || QUuid::fromString(input.userId).isNull())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("a session needs a tenant user and a tenant role"));
    auto policy = mfaPolicy(input.tenantId);
    if (!policy)
        return policy.error();
    const bool required = mfaRequired(*policy, input.role);
    const bool idpSatisfies = input.idpMfa && policy->acceptIdpMfa;
    const QString mfa = !required      ? QStringLiteral("none")
                        : idpSatisfies ? QStringLiteral("idp")
                                       : QStringLiteral("none");
    const bool pending = required && !idpSatisfies;
    auto secret = crypto::randomBytes(32);
    if (!secret)
        return secret.error();
    const QByteArray refreshSecret = crypto::base64Url(*secret);
    const QUuid id = ids::uuid7(m_clock);
    const QDateTime expires = m_clock.now().addSecs(m_limits.absoluteLifetime.count());

    compliance::AuditRecord record = recordFor(QStringLiteral("session.start"), input.tenantSlug,
                                               QStringLiteral("session:") + sessionText(id), actor);
    record.actor = QStringLiteral("user:") + input.userId;
    record.details =
        QJsonObject{{QStringLiteral("role"), input.role},
                    {QStringLiteral("mfaRequired"), required},
                    {QStringLiteral("mfa"), pending ? QStringLiteral("pending") : mfa}};
    auto stored = compliance::recordThenChange<bool>(m_audit, record, [&]() -> Result<bool> {
        auto done = m_pool.withConnection([&](pqxx::connection &connection) {
            pqxx::work work(connection);
            work.exec_params(
                "INSERT INTO user_sessions (id, tenant_id, user_id, role, connection_id, mfa, "
                "mfa_pending, refresh_hash, expires_at) VALUES ($1::uuid, $2::uuid, $3::uuid, $4, "
                "$5::uuid, $6, $7, $8, $9::timestamptz)",
                uuidText(id), uuidText(input.tenantId), text(input.userId), text(input.role),
                input.connectionId.isNull() ? std::optional<std::string>()
                                            : std::optional(uuidText(input.connectionId)),
                text(mfa), pending, bytes(refreshHash(refreshSecret)),
                text(expires.toString(Qt::ISODateWithMs)));
            work.commit();
        });
        if (!done)
            return done.error();
        return true;
    });
    if (!stored)
        return stored.error();
    auto tokens = accessTokenFor(sessionText(id), input.tenantId, input.tenantSlug, input.userId,
                                 input.role, mfa, pending, expires);
    if (!tokens)
        return tokens.error();
    tokens->refreshToken = kRefreshPrefix + sessionText(id).toLatin1() + '.' + refreshSecret;
    return tokens;
}

Result<SessionTokens> SessionService::refresh(QByteArrayView presented,
                                              const compliance::ActorContext &actor)
{
    // "rt.<session uuid>.<43 characters>"
    const QByteArray token = presented.toByteArray();
    const QList<QByteArray> parts = token.split('.');
    if (!token.startsWith(kRefreshPrefix) || parts.size() != 3 || parts[2].size() != 43)
        return unauthorized();
    const QUuid id = QUuid::fromString(QLatin1String(parts[1]));
    if (id.isNull())
        return unauthorized();
    auto secret = crypto::randomBytes(32);
    if (!secret)
        return secret.error();
    const QByteArray next = crypto::base64Url(*secret);

    struct Outcome
    {
        enum class Kind
        {
            Refused,
            Reused,
            Refreshed
        } kind = Kind::Refused;
        QUuid tenantId;
        QString tenantSlug;
        QString userId, role, mfa;
        bool pending = false;
        QDateTime expires;
    };
    auto outcome = m_pool.withConnection([&](pqxx::connection &connection) {
        pqxx::work work(connection);
        Outcome result;
        const pqxx::result rows = work.exec_params(
            "SELECT s.tenant_id::text, t.slug, s.user_id::text, s.role, s.mfa, s.mfa_pending, "
            "s.refresh_hash, to_char(s.expires_at AT TIME ZONE 'UTC', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), s.refreshed_at + $2::interval < now() "
            "FROM user_sessions s JOIN tenants t ON t.id = s.tenant_id WHERE s.id = $1::uuid AND "
            "s.revoked_at IS NULL AND s.expires_at > now() FOR UPDATE OF s",
            uuidText(id), std::to_string(m_limits.idleTimeout.count()) + " seconds");
        if (rows.empty())
            return result;
        const pqxx::row row = rows[0];
        result.tenantId = QUuid::fromString(QString::fromStdString(row[0].as<std::string>()));
        result.tenantSlug = QString::fromStdString(row[1].as<std::string>());
        result.userId = QString::fromStdString(row[2].as<std::string>());
        result.role = QString::fromStdString(row[3].as<std::string>());
        result.mfa = QString::fromStdString(row[4].as<std::string>());
        result.pending = row[5].as<bool>();
        const pqxx::binarystring stored(row[6]);
        const QByteArray storedHash(reinterpret_cast<const char *>(stored.data()),
                                    qsizetype(stored.size()));
        result.expires = instant(row[7]);
        const bool idle = row[8].as<bool>();
        if (!crypto::constantTimeEquals(storedHash, refreshHash(parts[2]))) {
            // A refresh token of this session that is no longer current: it was used before,
            // so two parties hold it. End the session for both.
            work.exec_params("UPDATE user_sessions SET revoked_at = now(), revoke_reason = "
                             "'refresh-reuse' WHERE id = $1::uuid",
                             uuidText(id));
            work.commit();
            result.kind = Outcome::Kind::Reused;
            return result;
        }
        if (idle) {
            work.exec_params("UPDATE user_sessions SET revoked_at = now(), revoke_reason = "
                             "'idle' WHERE id = $1::uuid",
                             uuidText(id));
            work.commit();
            return result;
        }
        work.exec_params("UPDATE user_sessions SET refresh_hash = $2, generation = generation + "
                         "1, refreshed_at = now() WHERE id = $1::uuid",
                         uuidText(id), bytes(refreshHash(next)));
        work.commit();
        result.kind = Outcome::Kind::Refreshed;
        return result;
    });
    if (!outcome)
        return outcome.error();
    const QString target = QStringLiteral("session:") + sessionText(id);
    compliance::AuditRecord record =
        recordFor(QStringLiteral("session.refresh"), outcome->tenantSlug, target, actor);
    if (!outcome->userId.isEmpty())
        record.actor = QStringLiteral("user:") + outcome->userId;
    if (outcome->kind != Outcome::Kind::Refreshed) {
        if (outcome->kind == Outcome::Kind::Reused) {
            record.outcome = QStringLiteral("denied");
            record.details = QJsonObject{
                {QStringLiteral("reason"), QStringLiteral("a refresh token was used twice; the "
                                                          "session is revoked")}};
            (void)compliance::recordAndWait(m_audit, record);
        }
        return unauthorized();
    }
    if (auto receipt = compliance::recordAndWait(m_audit, record); !receipt)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("the audit log could not record the refresh: ") +
                             receipt.error().message);
    auto tokens =
        accessTokenFor(sessionText(id), outcome->tenantId, outcome->tenantSlug, outcome->userId,
                       outcome->role, outcome->mfa, outcome->pending, outcome->expires);
    if (!tokens)
        return tokens.error();
    tokens->refreshToken = kRefreshPrefix + sessionText(id).toLatin1() + '.' + next;
    return tokens;
}

Status SessionService::revoke(const QUuid &tenantId, const QString &tenantSlug,
                              const QString &sessionId, const QString &reason,
                              const compliance::ActorContext &actor)
{
    const QUuid id = QUuid::fromString(sessionId);
    if (id.isNull())
        return makeError(ErrorCode::NotFound, QStringLiteral("no such active session"));
    compliance::AuditRecord record = recordFor(QStringLiteral("session.revoke"), tenantSlug,
                                               QStringLiteral("session:") + sessionText(id), actor);
    record.details = QJsonObject{{QStringLiteral("reason"), reason.left(64)}};
    auto done = compliance::recordThenChange<bool>(m_audit, record, [&]() -> Result<bool> {
        auto updated = m_pool.withConnection([&](pqxx::connection &connection) {
            pqxx::work work(connection);
            const pqxx::result rows = work.exec_params(
                "UPDATE user_sessions SET revoked_at = now(), revoke_reason = $3 WHERE id = "
                "$1::uuid AND tenant_id = $2::uuid AND revoked_at IS NULL AND expires_at > now() "
                "RETURNING id",
                uuidText(id), uuidText(tenantId), text(reason.left(64)));
            work.commit();
            return !rows.empty();
        });
        if (!updated)
            return updated.error();
        if (!*updated)
            return makeError(ErrorCode::NotFound, QStringLiteral("no such active session"));
        return true;
    });
    if (!done)
        return done.error();
    return {};
}

Result<int> SessionService::revokeUser(const QUuid &tenantId, const QString &tenantSlug,
                                       const QString &userId, const QString &reason,
                                       const compliance::ActorContext &actor)
{
    if (QUuid::fromString(userId).isNull())
        return makeError(ErrorCode::InvalidInput, QStringLiteral("not a user id"));
    compliance::AuditRecord record = recordFor(QStringLiteral("session.revoke-user"), tenantSlug,
                                               QStringLiteral("user:") + userId, actor);
    record.details = QJsonObject{{QStringLiteral("reason"), reason.left(64)}};
    return compliance::recordThenChange<int>(m_audit, record, [&]() -> Result<int> {
        return m_pool.withConnection([&](pqxx::connection &connection) {
            pqxx::work work(connection);
            const pqxx::result rows = work.exec_params(
                "UPDATE user_sessions SET revoked_at = now(), revoke_reason = $3 WHERE tenant_id "
                "= $1::uuid AND user_id = $2::uuid AND revoked_at IS NULL RETURNING id",
                uuidText(tenantId), text(userId), text(reason.left(64)));
            work.commit();
            return int(rows.size());
        });
    });
}

Result<std::vector<SessionInfo>> SessionService::sessions(const QUuid &tenantId, bool activeOnly)
{
    return m_pool.withConnection([&](pqxx::connection &connection) {
        pqxx::read_transaction work(connection);
        const std::string query =
            std::string("SELECT ") + kSessionColumns +
            " FROM user_sessions WHERE tenant_id = $1::uuid" +
            (activeOnly ? " AND revoked_at IS NULL AND expires_at > now()" : "") +
            " ORDER BY created_at DESC LIMIT 500";
        const pqxx::result rows = work.exec_params(query, uuidText(tenantId));
        std::vector<SessionInfo> out;
        out.reserve(rows.size());
        for (const pqxx::row &row : rows)
            out.push_back(sessionFrom(row));
        return out;
    });
}

// ---- MFA -------------------------------------------------------------------------------------

Result<MfaPolicy> SessionService::mfaPolicy(const QUuid &tenantId)
{
    return m_pool.withConnection([&](pqxx::connection &connection) {
        pqxx::read_transaction work(connection);
        const pqxx::result rows = work.exec_params(
            "SELECT required_all, required_roles, accept_idp_mfa, version FROM mfa_policies "
            "WHERE tenant_id = $1::uuid",
            uuidText(tenantId));
        return rows.empty() ? MfaPolicy{} : policyFrom(rows[0]);
    });
}

Result<MfaPolicy> SessionService::setMfaPolicy(const QUuid &tenantId, const QString &tenantSlug,
                                               const MfaPolicy &policy,
                                               std::optional<int> expectedVersion,
                                               const compliance::ActorContext &actor)
{
    QStringList roles;
    for (const QString &role : policy.requiredRoles) {
        if (!kTenantRoles.contains(role))
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("requiredRoles: unknown role \"%1\" (known: %2)")
                                 .arg(role.left(32), kTenantRoles.join(QStringLiteral(", "))));
        if (!roles.contains(role))
            roles.append(role);
    }
    roles.sort();
    compliance::AuditRecord record = recordFor(QStringLiteral("mfa.policy.set"), tenantSlug,
                                               QStringLiteral("tenant:") + tenantSlug, actor);
    record.details =
        QJsonObject{{QStringLiteral("requiredForAll"), policy.requiredForAll},
                    {QStringLiteral("requiredRoles"), QJsonArray::fromStringList(roles)},
                    {QStringLiteral("acceptIdpMfa"), policy.acceptIdpMfa}};
    return compliance::recordThenChange<MfaPolicy>(m_audit, record, [&]() -> Result<MfaPolicy> {
        auto written =
            m_pool.withConnection([&](pqxx::connection &connection) -> std::optional<MfaPolicy> {
                pqxx::work work(connection);
                const pqxx::result current = work.exec_params(
                    "SELECT version FROM mfa_policies WHERE tenant_id = $1::uuid FOR UPDATE",
                    uuidText(tenantId));
                const int version = current.empty() ? 0 : current[0][0].as<int>();
                if (expectedVersion && *expectedVersion != version)
                    return std::nullopt;
                const pqxx::result rows = work.exec_params(
                    "INSERT INTO mfa_policies (tenant_id, required_all, required_roles, "
                    "accept_idp_mfa) VALUES ($1::uuid, $2, $3::text[], $4) ON CONFLICT "
                    "(tenant_id) DO UPDATE SET required_all = EXCLUDED.required_all, "
                    "required_roles = EXCLUDED.required_roles, accept_idp_mfa = "
                    "EXCLUDED.accept_idp_mfa, version = mfa_policies.version + 1, "
                    "updated_at = now() RETURNING required_all, required_roles, "
                    "accept_idp_mfa, version",
                    uuidText(tenantId), policy.requiredForAll, storage::pq::textArray(roles),
                    policy.acceptIdpMfa);
                work.commit();
                return policyFrom(rows[0]);
            });
        if (!written)
            return written.error();
        if (!*written)
            return makeError(
                ErrorCode::Conflict,
                QStringLiteral("the MFA policy changed since version %1").arg(*expectedVersion));
        return **written;
    });
}

Result<MfaStatus> SessionService::mfaStatus(const ApiPrincipal &principal)
{
    auto policy = mfaPolicy(principal.tenantId);
    if (!policy)
        return policy.error();
    return m_pool.withConnection([&](pqxx::connection &connection) {
        pqxx::read_transaction work(connection);
        MfaStatus status;
        if (auto row = totpRow(work, principal.tenantId, principal.userId)) {
            status.totpEnrolled = row->confirmed;
            status.totpPending = !row->confirmed;
        }
        status.recoveryCodesLeft =
            work.exec_params("SELECT count(*) FROM mfa_recovery_codes WHERE tenant_id = $1::uuid "
                             "AND user_id = $2::uuid",
                             uuidText(principal.tenantId), text(principal.userId))[0][0]
                .as<int>();
        const pqxx::result session =
            work.exec_params("SELECT mfa, mfa_pending FROM user_sessions WHERE id = $1::uuid",
                             text(principal.sessionId));
        if (!session.empty()) {
            status.sessionMfa = QString::fromStdString(session[0][0].as<std::string>());
            status.sessionMfaPending = session[0][1].as<bool>();
        }
        status.required = mfaRequired(*policy, principal.role);
        return status;
    });
}

Result<TotpEnrolment> SessionService::beginTotpEnrolment(const ApiPrincipal &principal,
                                                         const QString &issuer,
                                                         const QString &account,
                                                         const compliance::ActorContext &actor)
{
    if (!principal.isSession())
        return makeError(ErrorCode::Forbidden,
                         QStringLiteral("MFA enrolment is for signed-in users"));
    auto secret = generateTotpSecret();
    if (!secret)
        return secret.error();
    auto sealed = m_cipher.encrypt(totpLocation(principal.tenantId, principal.userId), *secret);
    if (!sealed)
        return sealed.error();
    auto enrolment = totpEnrolmentFor(issuer, account, *secret);
    crypto::secureWipe(*secret);
    if (!enrolment)
        return enrolment.error();
    compliance::AuditRecord record =
        recordFor(QStringLiteral("mfa.totp.enrol-start"), principal.tenantSlug,
                  QStringLiteral("user:") + principal.userId, actor);
    auto stored = compliance::recordThenChange<bool>(m_audit, record, [&]() -> Result<bool> {
        auto written = m_pool.withConnection([&](pqxx::connection &connection) {
            pqxx::work work(connection);
            // Replaces an unconfirmed secret; a confirmed one stays (the WHERE).
            const pqxx::result rows = work.exec_params(
                "INSERT INTO mfa_totp (tenant_id, user_id, secret_sealed) VALUES ($1::uuid, "
                "$2::uuid, $3) ON CONFLICT (tenant_id, user_id) DO UPDATE SET secret_sealed = "
                "EXCLUDED.secret_sealed, created_at = now(), last_step = NULL WHERE "
                "mfa_totp.confirmed_at IS NULL RETURNING user_id",
                uuidText(principal.tenantId), text(principal.userId), text(*sealed));
            work.commit();
            return !rows.empty();
        });
        if (!written)
            return written.error();
        if (!*written)
            return makeError(ErrorCode::Conflict,
                             QStringLiteral("an authenticator is already enrolled for this user"));
        return true;
    });
    if (!stored)
        return stored.error();
    return enrolment;
}

Error SessionService::mfaFailure(const ApiPrincipal &principal, const QString &action,
                                 const Error &refusal, const compliance::ActorContext &actor)
{
    auto failures = m_pool.withConnection([&](pqxx::connection &connection) {
        pqxx::work work(connection);
        const pqxx::result rows = work.exec_params(
            "UPDATE user_sessions SET mfa_failures = mfa_failures + 1, revoked_at = CASE WHEN "
            "mfa_failures + 1 >= $2 THEN now() ELSE revoked_at END, revoke_reason = CASE WHEN "
            "mfa_failures + 1 >= $2 THEN 'mfa-failures' ELSE revoke_reason END WHERE id = "
            "$1::uuid RETURNING mfa_failures",
            text(principal.sessionId), m_limits.maxMfaFailures);
        work.commit();
        return rows.empty() ? 0 : rows[0][0].as<int>();
    });
    compliance::AuditRecord record =
        recordFor(action, principal.tenantSlug, QStringLiteral("user:") + principal.userId, actor);
    record.outcome = QStringLiteral("denied");
    record.details = QJsonObject{{QStringLiteral("reason"), refusal.message}};
    if (failures) {
        record.details.insert(QStringLiteral("failures"), *failures);
        record.details.insert(QStringLiteral("sessionRevoked"),
                              *failures >= m_limits.maxMfaFailures);
    }
    (void)compliance::recordAndWait(m_audit, record);
    return refusal;
}

Result<SessionTokens> SessionService::satisfyMfa(const ApiPrincipal &principal,
                                                 const QString &method)
{
    auto row = m_pool.withConnection([&](pqxx::connection &connection) {
        pqxx::work work(connection);
        const pqxx::result rows = work.exec_params(
            "UPDATE user_sessions SET mfa = $2, mfa_pending = false, mfa_failures = 0 WHERE id = "
            "$1::uuid AND revoked_at IS NULL AND expires_at > now() RETURNING role, "
            "to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')",
            text(principal.sessionId), text(method));
        work.commit();
        return rows;
    });
    if (!row)
        return row.error();
    if (row->empty())
        return unauthorized();
    return accessTokenFor(principal.sessionId, principal.tenantId, principal.tenantSlug,
                          principal.userId, QString::fromStdString((*row)[0][0].as<std::string>()),
                          method, false, instant((*row)[0][1]));
}

Result<ConfirmedTotp> SessionService::confirmTotp(const ApiPrincipal &principal,
                                                  const QString &code,
                                                  const compliance::ActorContext &actor)
{
    if (!principal.isSession())
        return makeError(ErrorCode::Forbidden,
                         QStringLiteral("MFA enrolment is for signed-in users"));
    auto row = m_pool.withConnection([&](pqxx::connection &connection) {
        pqxx::read_transaction work(connection);
        return totpRow(work, principal.tenantId, principal.userId);
    });
    if (!row)
        return row.error();
    if (!*row || (*row)->confirmed)
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("no authenticator enrolment is in progress"));
    auto secret =
        m_cipher.decrypt(totpLocation(principal.tenantId, principal.userId), (*row)->sealed);
    if (!secret)
        return secret.error();
    auto step = verifyTotp(*secret, code, {}, m_clock.now().toSecsSinceEpoch(), 1);
    crypto::secureWipe(*secret);
    const QString action = QStringLiteral("mfa.totp.enrol");
    if (!step)
        return mfaFailure(
            principal, action,
            step.error().code == ErrorCode::InvalidInput
                ? step.error()
                : makeError(ErrorCode::Unauthorized, QStringLiteral("the code is not valid")),
            actor);
    auto codes = generateRecoveryCodes();
    if (!codes)
        return codes.error();
    compliance::AuditRecord record =
        recordFor(action, principal.tenantSlug, QStringLiteral("user:") + principal.userId, actor);
    record.details = QJsonObject{{QStringLiteral("recoveryCodes"), int(codes->codes.size())}};
    auto stored = compliance::recordThenChange<bool>(m_audit, record, [&]() -> Result<bool> {
        auto written = m_pool.withConnection([&](pqxx::connection &connection) {
            pqxx::work work(connection);
            const pqxx::result rows = work.exec_params(
                "UPDATE mfa_totp SET confirmed_at = now(), last_step = $3 WHERE tenant_id = "
                "$1::uuid AND user_id = $2::uuid AND confirmed_at IS NULL RETURNING user_id",
                uuidText(principal.tenantId), text(principal.userId), *step);
            if (rows.empty())
                return false;
            work.exec_params("DELETE FROM mfa_recovery_codes WHERE tenant_id = $1::uuid AND "
                             "user_id = $2::uuid",
                             uuidText(principal.tenantId), text(principal.userId));
            for (qsizetype i = 0; i < codes->hashes.size(); ++i)
                work.exec_params("INSERT INTO mfa_recovery_codes (tenant_id, user_id, position, "
                                 "code_hash) VALUES ($1::uuid, $2::uuid, $3, $4)",
                                 uuidText(principal.tenantId), text(principal.userId), int(i),
                                 text(codes->hashes.at(i)));
            work.commit();
            return true;
        });
        if (!written)
            return written.error();
        if (!*written)
            return makeError(ErrorCode::Conflict,
                             QStringLiteral("the enrolment was confirmed by another request"));
        return true;
    });
    if (!stored)
        return stored.error();
    ConfirmedTotp confirmed;
    confirmed.recoveryCodes = codes->codes;
    if (principal.mfaPending) {
        auto tokens = satisfyMfa(principal, QStringLiteral("totp"));
        if (!tokens)
            return tokens.error();
        confirmed.session = *tokens;
    }
    return confirmed;
}

Result<SessionTokens> SessionService::verifySecondFactor(const ApiPrincipal &principal,
                                                         const QString &code,
                                                         const compliance::ActorContext &actor)
{
    if (!principal.isSession())
        return makeError(ErrorCode::Forbidden, QStringLiteral("MFA is for signed-in users"));
    if (!principal.mfaPending)
        return makeError(ErrorCode::Conflict, QStringLiteral("this session owes no second factor"));
    const QString action = QStringLiteral("mfa.verify");
    const QString trimmed = code.trimmed();
    const bool isTotp = trimmed.size() == 6 && std::all_of(trimmed.begin(), trimmed.end(),
                                                           [](QChar c) { return c.isDigit(); });
    QString method;
    if (isTotp) {
        auto row = m_pool.withConnection([&](pqxx::connection &connection) {
            pqxx::read_transaction work(connection);
            return totpRow(work, principal.tenantId, principal.userId);
        });
        if (!row)
            return row.error();
        if (!*row || !(*row)->confirmed)
            return makeError(ErrorCode::Conflict,
                             QStringLiteral("no authenticator is enrolled: enrol one first"));
        auto secret =
            m_cipher.decrypt(totpLocation(principal.tenantId, principal.userId), (*row)->sealed);
        if (!secret)
            return secret.error();
        auto step =
            verifyTotp(*secret, trimmed, {}, m_clock.now().toSecsSinceEpoch(), 1, (*row)->lastStep);
        crypto::secureWipe(*secret);
        if (!step)
            return mfaFailure(principal, action,
                              makeError(ErrorCode::Unauthorized,
                                        QStringLiteral("the code is not valid or was used "
                                                       "before")),
                              actor);
        // Each step once, across instances: the update only succeeds past the last used step.
        auto claimed = m_pool.withConnection([&](pqxx::connection &connection) {
            pqxx::work work(connection);
            const pqxx::result rows = work.exec_params(
                "UPDATE mfa_totp SET last_step = $3 WHERE tenant_id = $1::uuid AND user_id = "
                "$2::uuid AND (last_step IS NULL OR last_step < $3) RETURNING user_id",
                uuidText(principal.tenantId), text(principal.userId), *step);
            work.commit();
            return !rows.empty();
        });
        if (!claimed)
            return claimed.error();
        if (!*claimed)
            return mfaFailure(principal, action,
                              makeError(ErrorCode::Unauthorized,
                                        QStringLiteral("the code is not valid or was used "
                                                       "before")),
                              actor);
        method = QStringLiteral("totp");
    } else {
        if (!normaliseRecoveryCode(trimmed))
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("code: a 6-digit TOTP code or a recovery code"));
        auto stored = m_pool.withConnection([&](pqxx::connection &connection) {
            pqxx::read_transaction work(connection);
            const pqxx::result rows = work.exec_params(
                "SELECT position, code_hash FROM mfa_recovery_codes WHERE tenant_id = $1::uuid "
                "AND user_id = $2::uuid ORDER BY position",
                uuidText(principal.tenantId), text(principal.userId));
            std::vector<std::pair<int, QString>> out;
            for (const pqxx::row &row : rows)
                out.emplace_back(row[0].as<int>(),
                                 QString::fromStdString(row[1].as<std::string>()));
            return out;
        });
        if (!stored)
            return stored.error();
        QStringList hashes;
        for (const auto &entry : *stored)
            hashes.append(entry.second);
        auto matched = matchRecoveryCode(trimmed, hashes);
        if (!matched)
            return mfaFailure(principal, action,
                              makeError(ErrorCode::Unauthorized,
                                        QStringLiteral("the recovery code is not valid")),
                              actor);
        const int position = stored->at(size_t(*matched)).first;
        auto used = m_pool.withConnection([&](pqxx::connection &connection) {
            pqxx::work work(connection);
            const pqxx::result rows = work.exec_params(
                "DELETE FROM mfa_recovery_codes WHERE tenant_id = $1::uuid AND user_id = $2::uuid "
                "AND position = $3 RETURNING position",
                uuidText(principal.tenantId), text(principal.userId), position);
            work.commit();
            return !rows.empty();
        });
        if (!used)
            return used.error();
        if (!*used) // another request used it first
            return mfaFailure(principal, action,
                              makeError(ErrorCode::Unauthorized,
                                        QStringLiteral("the recovery code is not valid")),
                              actor);
        method = QStringLiteral("recovery");
    }
    compliance::AuditRecord record =
        recordFor(action, principal.tenantSlug, QStringLiteral("user:") + principal.userId, actor);
    record.details = QJsonObject{{QStringLiteral("method"), method}};
    if (auto receipt = compliance::recordAndWait(m_audit, record); !receipt)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("the audit log could not record the second factor: ") +
                             receipt.error().message);
    return satisfyMfa(principal, method);
}

} // namespace upcoach::identity
