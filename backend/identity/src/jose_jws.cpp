// Compact JWS (RFC 7515 §7.1) signing and verification with a pinned algorithm.
#include "jose_internal.h"
#include "upcoach/core/crypto.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>

namespace upcoach::identity {

namespace detail {

int hashBytes(JwsAlgorithm algorithm)
{
    switch (algorithm) {
    case JwsAlgorithm::RS256:
    case JwsAlgorithm::PS256:
    case JwsAlgorithm::ES256:
    case JwsAlgorithm::HS256:
        return 32;
    case JwsAlgorithm::RS384:
    case JwsAlgorithm::PS384:
    case JwsAlgorithm::ES384:
    case JwsAlgorithm::HS384:
        return 48;
    case JwsAlgorithm::RS512:
    case JwsAlgorithm::PS512:
    case JwsAlgorithm::ES512:
    case JwsAlgorithm::HS512:
        return 64;
    case JwsAlgorithm::EdDSA:
        return 0;
    }
    return 0;
}

const char *digestName(JwsAlgorithm algorithm)
{
    switch (hashBytes(algorithm)) {
    case 32:
        return "SHA256";
    case 48:
        return "SHA384";
    case 64:
        return "SHA512";
    default:
        return nullptr;
    }
}

namespace {

struct MdCtxFree
{
    void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

struct EcdsaSigFree
{
    void operator()(ECDSA_SIG *s) const { ECDSA_SIG_free(s); }
};
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, EcdsaSigFree>;

bool isPss(JwsAlgorithm a)
{
    return a == JwsAlgorithm::PS256 || a == JwsAlgorithm::PS384 || a == JwsAlgorithm::PS512;
}
bool isHmac(JwsAlgorithm a)
{
    return a == JwsAlgorithm::HS256 || a == JwsAlgorithm::HS384 || a == JwsAlgorithm::HS512;
}
// Bytes of R and of S in the JWS form (RFC 7518 §3.4); 0 for non-ECDSA algorithms.
int ecCoordinateBytes(JwsAlgorithm a)
{
    switch (a) {
    case JwsAlgorithm::ES256:
        return 32;
    case JwsAlgorithm::ES384:
        return 48;
    case JwsAlgorithm::ES512:
        return 66;
    default:
        return 0;
    }
}

const unsigned char *u8(QByteArrayView v)
{
    return reinterpret_cast<const unsigned char *>(v.data());
}

bool initContext(EVP_MD_CTX *ctx, const KeyData &key, JwsAlgorithm algorithm, bool forSigning)
{
    EVP_PKEY_CTX *pctx = nullptr;
    const int rc = forSigning ? EVP_DigestSignInit_ex(ctx, &pctx, digestName(algorithm), nullptr,
                                                      nullptr, key.pkey.get(), nullptr)
                              : EVP_DigestVerifyInit_ex(ctx, &pctx, digestName(algorithm), nullptr,
                                                        nullptr, key.pkey.get(), nullptr);
    if (rc != 1)
        return false;
    if (isPss(algorithm)) {
        // RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash output. On
        // verification SALTLEN_DIGEST also demands exactly that salt length.
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1)
            return false;
    }
    return true;
}

QByteArray hmac(const KeyData &key, JwsAlgorithm algorithm, QByteArrayView input)
{
    QByteArray out(hashBytes(algorithm), Qt::Uninitialized);
    size_t len = 0;
    if (!EVP_Q_mac(nullptr, "HMAC", nullptr, digestName(algorithm), nullptr, key.secret.constData(),
                   size_t(key.secret.size()), u8(input), size_t(input.size()),
                   reinterpret_cast<unsigned char *>(out.data()), size_t(out.size()), &len) ||
        len != size_t(out.size()))
        return {};
    return out;
}

// R||S (each `half` bytes) to DER; empty on malformed input.
QByteArray rawToDer(QByteArrayView raw, int half)
{
    EcdsaSigPtr sig(ECDSA_SIG_new());
    BIGNUM *r = BN_bin2bn(u8(raw), half, nullptr);
    BIGNUM *s = BN_bin2bn(u8(raw) + half, half, nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        return {};
    }
    const int len = i2d_ECDSA_SIG(sig.get(), nullptr);
    if (len <= 0)
        return {};
    QByteArray der(len, Qt::Uninitialized);
    auto *p = reinterpret_cast<unsigned char *>(der.data());
    i2d_ECDSA_SIG(sig.get(), &p);
    return der;
}

QByteArray derToRaw(const QByteArray &der, int half)
{
    const unsigned char *p = u8(der);
    EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, long(der.size())));
    if (!sig)
        return {};
    const BIGNUM *r = nullptr;
    const BIGNUM *s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    QByteArray raw(2 * half, Qt::Uninitialized);
    auto *dst = reinterpret_cast<unsigned char *>(raw.data());
    if (BN_bn2binpad(r, dst, half) != half || BN_bn2binpad(s, dst + half, half) != half)
        return {};
    return raw;
}

} // namespace

Result<QByteArray> signRaw(const KeyData &key, JwsAlgorithm algorithm, QByteArrayView input)
{
    if (!key.hasPrivate)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("a public key cannot sign"));
    if (isHmac(algorithm)) {
        QByteArray mac = hmac(key, algorithm, input);
        if (mac.isEmpty())
            return makeError(ErrorCode::Internal, QStringLiteral("OpenSSL HMAC failed"));
        return mac;
    }
    MdCtxPtr ctx(EVP_MD_CTX_new());
    size_t len = 0;
    if (!ctx || !initContext(ctx.get(), key, algorithm, true) ||
        EVP_DigestSign(ctx.get(), nullptr, &len, u8(input), size_t(input.size())) != 1)
        return makeError(ErrorCode::Internal, QStringLiteral("OpenSSL signing setup failed"));
    QByteArray sig(qsizetype(len), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(sig.data()), &len, u8(input),
                       size_t(input.size())) != 1)
        return makeError(ErrorCode::Internal, QStringLiteral("OpenSSL signing failed"));
    sig.resize(qsizetype(len));
    if (const int half = ecCoordinateBytes(algorithm)) {
        QByteArray raw = derToRaw(sig, half);
        if (raw.isEmpty())
            return makeError(ErrorCode::Internal, QStringLiteral("ECDSA signature conversion"));
        return raw;
    }
    return sig;
}

bool verifyRaw(const KeyData &key, JwsAlgorithm algorithm, QByteArrayView input,
               QByteArrayView signature)
{
    if (isHmac(algorithm)) {
        if (key.type != KeyType::Oct || signature.size() != hashBytes(algorithm))
            return false;
        const QByteArray mac = hmac(key, algorithm, input);
        return !mac.isEmpty() &&
               CRYPTO_memcmp(mac.constData(), signature.data(), size_t(mac.size())) == 0;
    }
    if (key.type == KeyType::Oct || !key.pkey)
        return false;
    QByteArray der;
    if (const int half = ecCoordinateBytes(algorithm)) {
        // RFC 7518 §3.4: exactly R||S at the curve's size; DER or other lengths are refused.
        if (signature.size() != 2 * half)
            return false;
        der = rawToDer(signature, half);
        if (der.isEmpty())
            return false;
        signature = der;
    } else if (algorithm == JwsAlgorithm::EdDSA && signature.size() != 64) {
        return false;
    }
    MdCtxPtr ctx(EVP_MD_CTX_new());
    return ctx && initContext(ctx.get(), key, algorithm, false) &&
           EVP_DigestVerify(ctx.get(), u8(signature), size_t(signature.size()), u8(input),
                            size_t(input.size())) == 1;
}

} // namespace detail

namespace {

Error malformed(const QString &message)
{
    return makeError(ErrorCode::InvalidInput, QStringLiteral("JWS: ") + message);
}
Error rejected(const QString &message)
{
    return makeError(ErrorCode::Unauthorized, QStringLiteral("JWS: ") + message);
}

} // namespace

Result<QByteArray> signJws(QByteArrayView payload, const SigningKey &key,
                           const QJsonObject &extraHeader)
{
    if (key.isNull())
        return makeError(ErrorCode::InvalidInput, QStringLiteral("JWS: no signing key"));
    QJsonObject header = extraHeader;
    header.insert(QStringLiteral("alg"), jwsAlgorithmName(key.algorithm()));
    header.remove(QStringLiteral("kid"));
    if (!key.kid().isEmpty())
        header.insert(QStringLiteral("kid"), key.kid());
    QByteArray token = crypto::base64Url(detail::compactJson(header));
    token.reserve(token.size() + payload.size() * 4 / 3 + 700);
    token += '.';
    token += crypto::base64Url(payload.toByteArray());
    auto sig = key.sign(token);
    if (!sig)
        return sig.error();
    token += '.';
    token += crypto::base64Url(*sig);
    return token;
}

Result<QByteArray> signJwt(const QJsonObject &claims, const SigningKey &key,
                           const QJsonObject &extraHeader)
{
    QJsonObject header = extraHeader;
    if (!header.contains(QLatin1String("typ")))
        header.insert(QStringLiteral("typ"), QStringLiteral("JWT"));
    return signJws(detail::compactJson(claims), key, header);
}

Result<VerifiedJws> verifyJws(QByteArrayView token, const JwkSet &keys, JwsAlgorithm pinned)
{
    if (token.size() > kJwsMaxTokenBytes)
        return malformed(QStringLiteral("token of %1 bytes is larger than the %2-byte limit")
                             .arg(token.size())
                             .arg(kJwsMaxTokenBytes));
    const qsizetype dot1 = token.indexOf('.');
    const qsizetype dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot1 < 0 || dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0)
        return malformed(QStringLiteral("a compact JWS has exactly three segments"));

    auto headerBytes = base64UrlDecodeStrict(token.first(dot1));
    if (!headerBytes)
        return headerBytes.error().context(QStringLiteral("JWS header"));
    auto header = detail::parseJsonObject(*headerBytes);
    if (!header)
        return header.error().context(QStringLiteral("JWS header"));

    const QJsonValue algValue = header->value(QLatin1String("alg"));
    if (!algValue.isString())
        return malformed(QStringLiteral("header member \"alg\" is missing or not a string"));
    const QString alg = algValue.toString();
    if (alg.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
        return rejected(QStringLiteral("alg \"none\" is never accepted"));
    if (alg != jwsAlgorithmName(pinned))
        return rejected(
            QStringLiteral("alg is not the connection's pinned %1").arg(jwsAlgorithmName(pinned)));
    // We implement no JWS extension, so any crit is unknown (RFC 7515 §4.1.11); and unencoded
    // payloads (RFC 7797) are refused outright.
    if (header->contains(QLatin1String("crit")))
        return rejected(QStringLiteral("header \"crit\" names extensions we do not implement"));
    if (header->contains(QLatin1String("b64")) &&
        header->value(QLatin1String("b64")) != QJsonValue(true))
        return rejected(QStringLiteral("unencoded payloads (b64) are not accepted"));
    const QJsonValue kidValue = header->value(QLatin1String("kid"));
    if (!kidValue.isUndefined() && !kidValue.isString())
        return malformed(QStringLiteral("header member \"kid\" is not a string"));

    auto payload = base64UrlDecodeStrict(token.sliced(dot1 + 1, dot2 - dot1 - 1));
    if (!payload)
        return payload.error().context(QStringLiteral("JWS payload"));
    auto signature = base64UrlDecodeStrict(token.sliced(dot2 + 1));
    if (!signature)
        return signature.error().context(QStringLiteral("JWS signature"));

    const QByteArrayView signingInput = token.first(dot2);
    const std::vector<Jwk> &all = keys.keys();
    if (kidValue.isString()) {
        const QString kid = kidValue.toString();
        bool found = false;
        bool usable = false;
        for (const Jwk &key : all) {
            if (key.kid() != kid)
                continue;
            found = true;
            if (!key.supports(pinned))
                continue;
            usable = true;
            if (detail::verifyRaw(*JoseAccess::data(key), pinned, signingInput, *signature))
                return VerifiedJws{std::move(*header), std::move(*payload), key};
        }
        if (!found)
            return makeError(ErrorCode::NotFound,
                             QStringLiteral("JWS: the key set has no key with the token's kid"));
        if (!usable)
            return rejected(QStringLiteral("the kid's key cannot be used with %1")
                                .arg(jwsAlgorithmName(pinned)));
        return rejected(QStringLiteral("signature does not verify"));
    }
    bool candidate = false;
    for (const Jwk &key : all) {
        if (!key.supports(pinned))
            continue;
        candidate = true;
        if (detail::verifyRaw(*JoseAccess::data(key), pinned, signingInput, *signature))
            return VerifiedJws{std::move(*header), std::move(*payload), key};
    }
    if (!candidate)
        return rejected(
            QStringLiteral("the key set has no key for %1").arg(jwsAlgorithmName(pinned)));
    return rejected(QStringLiteral("signature does not verify"));
}

Result<VerifiedJwt> verifyJwt(QByteArrayView token, const JwkSet &keys, JwsAlgorithm pinned)
{
    auto jws = verifyJws(token, keys, pinned);
    if (!jws)
        return jws.error();
    const QJsonValue typ = jws->header.value(QLatin1String("typ"));
    if (!typ.isUndefined() &&
        (!typ.isString() ||
         (typ.toString().compare(QLatin1String("JWT"), Qt::CaseInsensitive) &&
          typ.toString().compare(QLatin1String("application/jwt"), Qt::CaseInsensitive))))
        return makeError(ErrorCode::Unauthorized, QStringLiteral("JWT: header typ is not JWT"));
    auto claims = detail::parseJsonObject(jws->payload);
    if (!claims)
        return claims.error().context(QStringLiteral("JWT claims"));
    return VerifiedJwt{std::move(jws->header), std::move(*claims), std::move(jws->key)};
}

} // namespace upcoach::identity
