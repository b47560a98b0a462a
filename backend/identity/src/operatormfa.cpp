#include "upcoach/identity/operatormfa.h"

#include "upcoach/compliance/recordedchange.h"
#include "upcoach/core/crypto.h"
#include "upcoach/core/logging.h"
#include "upcoach/identity/totp.h"
#include "upcoach/storage/connectionpool.h"
#include "upcoach/storage/pqvalues.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace upcoach::identity {

using storage::pq::bytes;
using storage::pq::text;

namespace {

const QString kOperator = apiTokenKindName(ApiTokenKind::Operator);
const QString kOperatorSession = apiTokenKindName(ApiTokenKind::OperatorSession);

Error notAnOperator()
{
    return makeError(ErrorCode::Forbidden,
                     QStringLiteral("operator MFA is for operator credentials and their sessions "
                                    "(service tokens have no second factor)"));
}

Error useTheCredential()
{
    return makeError(ErrorCode::Forbidden,
                     QStringLiteral("enrol and open sessions with the operator credential itself, "
                                    "not with an operator session"));
}

Error invalidCode()
{
    return makeError(ErrorCode::Unauthorized,
                     QStringLiteral("the code is not valid or was used before"));
}

QByteArray associatedData(const QString &credentialId)
{
    return QByteArrayLiteral("operator_totp:") + credentialId.toLatin1();
}

struct TotpRow
{
    QByteArray sealed;
    bool confirmed = false;
    std::optional<qint64> lastStep;
    int failures = 0;
};

std::optional<TotpRow> totpRow(pqxx::transaction_base &work, const QString &credentialId)
{
    const pqxx::result rows =
        work.exec_params("SELECT secret_sealed, confirmed_at IS NOT NULL, last_step, failures "
                         "FROM operator_totp WHERE token_id = $1::uuid",
                         text(credentialId));
    if (rows.empty())
        return std::nullopt;
    TotpRow row;
    const pqxx::binarystring sealed(rows[0][0]);
    row.sealed = QByteArray(sealed.get(), qsizetype(sealed.size()));
    row.confirmed = rows[0][1].as<bool>();
    if (!rows[0][2].is_null())
        row.lastStep = rows[0][2].as<qint64>();
    row.failures = rows[0][3].as<int>();
    return row;
}

// Runs one statement that changes at most a row (… RETURNING); whether it changed one.
template<typename... Params>
Result<bool> changedARow(storage::ConnectionPool &pool, const char *sql, const Params &...params)
{
    return pool.withConnection([&](pqxx::connection &connection) {
        pqxx::work work(connection);
        const pqxx::result rows = work.exec_params(sql, params...);
        work.commit();
        return !rows.empty();
    });
}

} // namespace

OperatorMfa::OperatorMfa(storage::ConnectionPool &controlPlane, ApiTokenStore &tokens,
                         compliance::AuditLog &audit, const Clock &clock)
    : m_pool(controlPlane)
    , m_tokens(tokens)
    , m_audit(audit)
    , m_clock(clock)
{}

Result<QByteArray> OperatorMfa::sealingKey(const ApiPrincipal &principal,
                                           const QByteArray &presented) const
{
    if (principal.isSession() || principal.tokenKind != kOperator)
        return principal.tokenKind == kOperatorSession ? useTheCredential() : notAnOperator();
    // HMAC-SHA256 as a PRF keyed with the credential's 256 random bits (HKDF-Expand, one block):
    // the key exists only while the operator presents the credential.
    const QByteArray info =
        QByteArrayLiteral("upcoach-ops operator-totp v1 ") + principal.tokenId.toLatin1();
    QByteArray key(crypto::kAesGcmKeyBytes, Qt::Uninitialized);
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), presented.constData(), int(presented.size()),
              reinterpret_cast<const unsigned char *>(info.constData()), size_t(info.size()),
              reinterpret_cast<unsigned char *>(key.data()), &length) ||
        int(length) != crypto::kAesGcmKeyBytes)
        return makeError(ErrorCode::Internal, QStringLiteral("key derivation failed"));
    return key;
}

Result<OperatorMfaStatus> OperatorMfa::status(const ApiPrincipal &principal)
{
    if (principal.isSession() ||
        (principal.tokenKind != kOperator && principal.tokenKind != kOperatorSession))
        return notAnOperator();
    OperatorMfaStatus status;
    status.credentialId =
        principal.tokenKind == kOperator ? principal.tokenId : principal.credentialId;
    auto row = m_pool.withConnection([&](pqxx::connection &connection) {
        pqxx::read_transaction work(connection);
        return totpRow(work, status.credentialId);
    });
    if (!row)
        return row.error();
    if (*row) {
        status.totpEnrolled = (*row)->confirmed;
        status.totpPending = !(*row)->confirmed;
        status.failures = (*row)->failures;
    }
    return status;
}

Result<TotpEnrolment> OperatorMfa::beginTotpEnrolment(const ApiPrincipal &principal,
                                                      const QByteArray &presented,
                                                      const compliance::ActorContext &actor)
{
    auto key = sealingKey(principal, presented);
    if (!key)
        return key.error();
    auto current = status(principal);
    if (!current)
        return current.error();
    if (current->totpEnrolled)
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("an authenticator is already enrolled for this operator "
                                        "credential"));
    auto secret = generateTotpSecret();
    if (!secret)
        return secret.error();
    auto sealed = crypto::aesGcmEncrypt(*key, *secret, associatedData(principal.tokenId));
    crypto::secureWipe(*key);
    if (!sealed)
        return sealed.error();
    // The account names the credential (its id's first part), so the operator sees which token
    // the authenticator belongs to.
    auto enrolment =
        totpEnrolmentFor(QStringLiteral("UpCoach Ops"),
                         QStringLiteral("operator-") + principal.tokenId.left(8), *secret);
    crypto::secureWipe(*secret);
    if (!enrolment)
        return enrolment.error();
    const QByteArray stored = sealed->nonce + sealed->ciphertext + sealed->tag;

    const compliance::AuditRecord record =
        compliance::auditRecordOf(actor, {}, QStringLiteral("operator-mfa.enrol-start"),
                                  QStringLiteral("api-token:") + principal.tokenId);
    auto written = compliance::recordThenChange<bool>(m_audit, record, [&]() -> Result<bool> {
        // Replaces an unconfirmed secret; a confirmed one stays (the WHERE).
        auto inserted = changedARow(
            m_pool,
            "INSERT INTO operator_totp (token_id, secret_sealed) VALUES ($1::uuid, $2) ON "
            "CONFLICT (token_id) DO UPDATE SET secret_sealed = EXCLUDED.secret_sealed, "
            "created_at = now(), last_step = NULL WHERE operator_totp.confirmed_at IS NULL "
            "RETURNING token_id",
            text(principal.tokenId), bytes(stored));
        if (!inserted)
            return inserted.error();
        if (!*inserted)
            return makeError(ErrorCode::Conflict,
                             QStringLiteral("an authenticator is already enrolled for this "
                                            "operator credential"));
        return true;
    });
    if (!written)
        return written.error();
    return enrolment;
}

Error OperatorMfa::refuse(const ApiPrincipal &principal, const QString &action,
                          const Error &refusal, const compliance::ActorContext &actor)
{
    auto failures = m_pool.withConnection([&](pqxx::connection &connection) {
        pqxx::work work(connection);
        const pqxx::result rows =
            work.exec_params("UPDATE operator_totp SET failures = failures + 1 WHERE token_id = "
                             "$1::uuid RETURNING failures",
                             text(principal.tokenId));
        work.commit();
        return rows.empty() ? 0 : rows[0][0].as<int>();
    });
    bool revoked = false;
    if (failures && *failures >= kMaxFailures) {
        // Whoever holds the credential cannot guess codes for long.
        revoked = bool(m_tokens.revoke(principal.tokenId));
        qCWarning(lcIdentity).noquote() << "operator credential" << principal.tokenId
                                        << "revoked after" << *failures << "wrong second factors";
    }
    compliance::AuditRecord record = compliance::auditRecordOf(
        actor, {}, action, QStringLiteral("api-token:") + principal.tokenId);
    record.outcome = QStringLiteral("denied");
    record.details = QJsonObject{{QStringLiteral("reason"), refusal.message}};
    if (failures) {
        record.details.insert(QStringLiteral("failures"), *failures);
        record.details.insert(QStringLiteral("credentialRevoked"), revoked);
    }
    (void)compliance::recordAndWait(m_audit, record);
    return refusal;
}

Result<qint64> OperatorMfa::checkCode(const ApiPrincipal &principal, const QByteArray &presented,
                                      const QString &code, bool confirming, const QString &action,
                                      const compliance::ActorContext &actor)
{
    auto key = sealingKey(principal, presented);
    if (!key)
        return key.error();
    auto row = m_pool.withConnection([&](pqxx::connection &connection) {
        pqxx::read_transaction work(connection);
        return totpRow(work, principal.tokenId);
    });
    if (!row)
        return row.error();
    if (confirming && (!*row || (*row)->confirmed))
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("no authenticator enrolment is in progress"));
    if (!confirming && (!*row || !(*row)->confirmed))
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("no authenticator is enrolled for this operator "
                                        "credential: enrol one at POST /api/v1/me/mfa/totp"));
    const QByteArray &sealed = (*row)->sealed;
    const qsizetype body = sealed.size() - crypto::kAesGcmNonceBytes - crypto::kAesGcmTagBytes;
    if (body <= 0)
        return makeError(ErrorCode::Internal, QStringLiteral("the stored TOTP secret is damaged"));
    auto secret = crypto::aesGcmDecrypt(
        *key, QByteArrayView(sealed).first(crypto::kAesGcmNonceBytes),
        QByteArrayView(sealed).sliced(crypto::kAesGcmNonceBytes, body),
        QByteArrayView(sealed).last(crypto::kAesGcmTagBytes), associatedData(principal.tokenId));
    crypto::secureWipe(*key);
    if (!secret)
        return makeError(ErrorCode::Internal,
                         QStringLiteral("the stored TOTP secret does not open with this "
                                        "credential"));
    auto step = verifyTotp(*secret, code.trimmed(), {}, m_clock.now().toSecsSinceEpoch(), 1,
                           confirming ? std::nullopt : (*row)->lastStep);
    crypto::secureWipe(*secret);
    if (!step && step.error().code == ErrorCode::InvalidInput)
        return step.error(); // not a code at all: nothing was guessed
    if (!step)
        return refuse(principal, action, invalidCode(), actor);
    return *step;
}

Result<IssuedApiToken> OperatorMfa::confirmTotp(const ApiPrincipal &principal,
                                                const QByteArray &presented, const QString &code,
                                                const compliance::ActorContext &actor)
{
    const QString action = QStringLiteral("operator-mfa.enrol");
    auto step = checkCode(principal, presented, code, true, action, actor);
    if (!step)
        return step.error();
    auto session = m_tokens.generateOperatorSession(principal.tokenId, principal.role);
    if (!session)
        return session.error();
    compliance::AuditRecord record = compliance::auditRecordOf(
        actor, {}, action, QStringLiteral("api-token:") + principal.tokenId);
    record.details = QJsonObject{{QStringLiteral("sessionTokenId"), session->id}};
    auto done = compliance::recordThenChange<bool>(m_audit, record, [&]() -> Result<bool> {
        auto claimed = changedARow(
            m_pool,
            "UPDATE operator_totp SET confirmed_at = now(), last_step = $2, failures = 0 WHERE "
            "token_id = $1::uuid AND confirmed_at IS NULL RETURNING token_id",
            text(principal.tokenId), *step);
        if (!claimed)
            return claimed.error();
        if (!*claimed)
            return makeError(ErrorCode::Conflict,
                             QStringLiteral("the enrolment was confirmed by another request"));
        if (auto stored = m_tokens.store(*session); !stored)
            return stored.error();
        return true;
    });
    if (!done)
        return done.error();
    return session;
}

Result<IssuedApiToken> OperatorMfa::openSession(const ApiPrincipal &principal,
                                                const QByteArray &presented, const QString &code,
                                                const compliance::ActorContext &actor)
{
    const QString action = QStringLiteral("operator-session.start");
    auto step = checkCode(principal, presented, code, false, action, actor);
    if (!step)
        return step.error();
    // Each step once, across instances: the update only succeeds past the last used step.
    auto claimed = changedARow(
        m_pool,
        "UPDATE operator_totp SET last_step = $2, failures = 0 WHERE token_id = $1::uuid AND "
        "(last_step IS NULL OR last_step < $2) RETURNING token_id",
        text(principal.tokenId), *step);
    if (!claimed)
        return claimed.error();
    if (!*claimed)
        return refuse(principal, action, invalidCode(), actor);
    auto session = m_tokens.generateOperatorSession(principal.tokenId, principal.role);
    if (!session)
        return session.error();
    compliance::AuditRecord record = compliance::auditRecordOf(
        actor, {}, action, QStringLiteral("api-token:") + principal.tokenId);
    record.details = QJsonObject{
        {QStringLiteral("sessionTokenId"), session->id},
        {QStringLiteral("expiresAt"), compliance::auditTimeToString(session->expiresAt)}};
    auto stored = compliance::recordThenChange<bool>(m_audit, record, [&]() -> Result<bool> {
        if (auto done = m_tokens.store(*session); !done)
            return done.error();
        return true;
    });
    if (!stored)
        return stored.error();
    return session;
}

Status OperatorMfa::endSession(const ApiPrincipal &principal, const compliance::ActorContext &actor)
{
    if (principal.isSession() || principal.tokenKind != kOperatorSession)
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("only an operator session can be logged out of; revoke "
                                        "a token with DELETE /api/v1/tokens/{id}"));
    compliance::AuditRecord record =
        compliance::auditRecordOf(actor, {}, QStringLiteral("operator-session.end"),
                                  QStringLiteral("api-token:") + principal.credentialId);
    record.details = QJsonObject{{QStringLiteral("sessionTokenId"), principal.tokenId}};
    auto done = compliance::recordThenChange<bool>(m_audit, record, [&]() -> Result<bool> {
        if (auto revoked = m_tokens.revoke(principal.tokenId); !revoked)
            return revoked.error();
        return true;
    });
    if (!done)
        return done.error();
    return {};
}

} // namespace upcoach::identity
