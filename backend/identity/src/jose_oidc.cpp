// OpenID Connect ID token validation (Core 1.0 §3.1.3.7), private_key_jwt client assertions
// (RFC 7523), PKCE (RFC 7636) and state/nonce values.
#include "jose_internal.h"
#include "upcoach/core/crypto.h"

#include <QJsonArray>
#include <cmath>

namespace upcoach::identity {

namespace {

// 9999-12-31T23:59:59Z: NumericDates beyond this are refused rather than overflowing.
constexpr double kMaxNumericDate = 253402300799.0;

Error failed(const QString &check)
{
    return makeError(ErrorCode::Unauthorized, QStringLiteral("ID token: ") + check);
}

// A NumericDate (RFC 7519 §2) in milliseconds since the epoch; nullopt when absent or invalid.
std::optional<qint64> numericDateMs(const QJsonValue &v)
{
    if (!v.isDouble())
        return std::nullopt;
    const double seconds = v.toDouble();
    if (!(seconds >= 0.0 && seconds <= kMaxNumericDate))
        return std::nullopt;
    return qint64(std::floor(seconds * 1000.0));
}

QDateTime utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

// A string claim or a string array (a single string counts as a one-element list).
std::optional<QStringList> stringList(const QJsonValue &v)
{
    if (v.isString())
        return QStringList{v.toString()};
    if (!v.isArray())
        return std::nullopt;
    QStringList out;
    const QJsonArray array = v.toArray();
    out.reserve(array.size());
    for (const QJsonValue &item : array) {
        if (!item.isString())
            return std::nullopt;
        out.append(item.toString());
    }
    return out;
}

QString optionalString(const QJsonObject &claims, QLatin1String name)
{
    const QJsonValue v = claims.value(name);
    return v.isString() ? v.toString() : QString();
}

qint64 nowMs(const QDateTime &now)
{
    return now.isValid() ? now.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
}

} // namespace

Result<IdTokenClaims> validateIdToken(QByteArrayView token, const JwkSet &keys,
                                      const IdTokenExpectations &expect)
{
    if (expect.issuer.isEmpty() || expect.clientId.isEmpty())
        return makeError(ErrorCode::Config,
                         QStringLiteral("ID token: the expected issuer and client id must be set"));
    auto jwt = verifyJwt(token, keys, expect.algorithm);
    if (!jwt)
        return jwt.error();
    const QJsonObject &c = jwt->claims;
    const qint64 now = nowMs(expect.now);
    const qint64 skew = qint64(expect.allowedSkew.count()) * 1000;

    IdTokenClaims out;
    // iss: exact match (§3.1.3.7 step 2), no normalisation of a trailing slash or case.
    const QJsonValue iss = c.value(QLatin1String("iss"));
    if (!iss.isString() || iss.toString() != expect.issuer)
        return failed(QStringLiteral("iss is not the expected issuer %1").arg(expect.issuer));
    out.issuer = iss.toString();

    const QJsonValue sub = c.value(QLatin1String("sub"));
    if (!sub.isString() || sub.toString().isEmpty() || sub.toString().size() > 255)
        return failed(QStringLiteral("sub is missing, empty, longer than 255 or not a string"));
    out.subject = sub.toString();

    // aud must contain our client id (step 3); with several audiences azp is required (step 4)
    // and, when present, must be our client id (step 5).
    const auto aud = stringList(c.value(QLatin1String("aud")));
    if (!aud || aud->isEmpty())
        return failed(QStringLiteral("aud is missing or not a string or string array"));
    if (!aud->contains(expect.clientId))
        return failed(QStringLiteral("aud does not contain the client id %1").arg(expect.clientId));
    out.audiences = *aud;
    const QJsonValue azp = c.value(QLatin1String("azp"));
    if (!azp.isUndefined()) {
        if (!azp.isString() || azp.toString() != expect.clientId)
            return failed(QStringLiteral("azp is not the client id %1").arg(expect.clientId));
        out.authorizedParty = azp.toString();
    } else if (aud->size() > 1) {
        return failed(QStringLiteral("aud has several audiences but azp is missing"));
    }

    // exp (step 9): the token is dead once exp <= now - skew.
    const auto exp = numericDateMs(c.value(QLatin1String("exp")));
    if (!exp)
        return failed(QStringLiteral("exp is missing or not a valid NumericDate"));
    if (*exp <= now - skew)
        return failed(QStringLiteral("exp has passed (token expired)"));
    out.expiresAt = utc(*exp);

    // iat (step 10): required, and not issued in the future beyond the skew.
    const auto iat = numericDateMs(c.value(QLatin1String("iat")));
    if (!iat)
        return failed(QStringLiteral("iat is missing or not a valid NumericDate"));
    if (*iat > now + skew)
        return failed(QStringLiteral("iat is in the future"));
    out.issuedAt = utc(*iat);

    const QJsonValue nbfValue = c.value(QLatin1String("nbf"));
    if (!nbfValue.isUndefined()) {
        const auto nbf = numericDateMs(nbfValue);
        if (!nbf)
            return failed(QStringLiteral("nbf is not a valid NumericDate"));
        if (*nbf > now + skew)
            return failed(QStringLiteral("nbf is in the future (token not yet valid)"));
    }

    // nonce (step 11): compared in constant time; its value never appears in a message.
    const QJsonValue nonce = c.value(QLatin1String("nonce"));
    if (!nonce.isUndefined() && !nonce.isString())
        return failed(QStringLiteral("nonce is not a string"));
    if (expect.nonce) {
        if (!nonce.isString())
            return failed(QStringLiteral("nonce is missing"));
        if (!crypto::constantTimeEquals(nonce.toString().toUtf8(), expect.nonce->toUtf8()))
            return failed(QStringLiteral("nonce does not match the one sent"));
    }
    if (nonce.isString())
        out.nonce = nonce.toString();

    // auth_time (step 13): required when max_age was requested.
    const QJsonValue authTimeValue = c.value(QLatin1String("auth_time"));
    if (!authTimeValue.isUndefined()) {
        const auto authTime = numericDateMs(authTimeValue);
        if (!authTime)
            return failed(QStringLiteral("auth_time is not a valid NumericDate"));
        out.authTime = utc(*authTime);
    }
    if (expect.maxAge) {
        if (!out.authTime)
            return failed(QStringLiteral("auth_time is missing but max_age was requested"));
        const qint64 maxAge = qint64(expect.maxAge->count()) * 1000;
        if (out.authTime->toMSecsSinceEpoch() + maxAge < now - skew)
            return failed(QStringLiteral("auth_time is older than max_age"));
    }

    // Profile claims: wrong types are ignored (the claim is treated as absent), not fatal.
    out.amr = stringList(c.value(QLatin1String("amr"))).value_or(QStringList());
    out.acr = optionalString(c, QLatin1String("acr"));
    out.email = optionalString(c, QLatin1String("email"));
    const QJsonValue verified = c.value(QLatin1String("email_verified"));
    if (verified.isBool())
        out.emailVerified = verified.toBool();
    else if (verified.isString() && (verified.toString() == QLatin1String("true") ||
                                     verified.toString() == QLatin1String("false")))
        out.emailVerified = verified.toString() == QLatin1String("true"); // some IdPs send text
    out.name = optionalString(c, QLatin1String("name"));
    out.givenName = optionalString(c, QLatin1String("given_name"));
    out.familyName = optionalString(c, QLatin1String("family_name"));
    out.groups = stringList(c.value(QLatin1String("groups"))).value_or(QStringList());
    out.payload = c;
    return out;
}

Result<QByteArray> buildClientAssertion(const SigningKey &key, const QString &clientId,
                                        const QString &tokenEndpoint, const QDateTime &now,
                                        std::chrono::seconds lifetime)
{
    if (clientId.isEmpty() || tokenEndpoint.isEmpty())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("client assertion: client id and token endpoint needed"));
    if (lifetime.count() <= 0 || lifetime.count() > 600)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("client assertion: lifetime must be 1..600 seconds"));
    auto jti = randomState(16);
    if (!jti)
        return jti.error();
    const qint64 iat = nowMs(now) / 1000;
    const QJsonObject claims{
        {QStringLiteral("iss"), clientId},
        {QStringLiteral("sub"), clientId},
        {QStringLiteral("aud"), tokenEndpoint},
        {QStringLiteral("jti"), QString::fromLatin1(*jti)},
        {QStringLiteral("iat"), iat},
        {QStringLiteral("exp"), iat + qint64(lifetime.count())},
    };
    return signJwt(claims, key);
}

Result<QByteArray> pkceVerifier(int length)
{
    if (length < 43 || length > 128)
        return makeError(
            ErrorCode::InvalidInput,
            QStringLiteral("a PKCE verifier has 43 to 128 characters, not %1").arg(length));
    // Each base64url character carries 6 bits; the first `length` characters of the encoding of
    // ceil(6·length/8) random bytes are all full 6-bit groups.
    auto bytes = crypto::randomBytes((length * 6 + 7) / 8);
    if (!bytes)
        return bytes.error();
    QByteArray verifier = crypto::base64Url(*bytes).left(length);
    crypto::secureWipe(*bytes);
    return verifier;
}

QByteArray pkceChallengeS256(QByteArrayView verifier)
{
    return crypto::base64Url(crypto::sha256(verifier.toByteArray()));
}

Result<QByteArray> randomState(int bytes)
{
    if (bytes < 16 || bytes > 64)
        return makeError(
            ErrorCode::InvalidInput,
            QStringLiteral("state/nonce needs 16 to 64 random bytes, not %1").arg(bytes));
    auto random = crypto::randomBytes(bytes);
    if (!random)
        return random.error();
    return crypto::base64Url(*random);
}

} // namespace upcoach::identity
