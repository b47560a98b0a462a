// JWK import and export over OpenSSL 3's provider interfaces (EVP_PKEY_fromdata, OSSL_PARAM,
// EVP_PKEY_get_*_param); no deprecated RSA_* / EC_KEY_* calls.
#include "jose_internal.h"
#include "upcoach/core/crypto.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

namespace upcoach::identity {

namespace detail {

KeyData::~KeyData()
{
    crypto::secureWipe(secret);
}

} // namespace detail

namespace {

using detail::KeyData;
using detail::PkeyPtr;

struct BnFree
{
    void operator()(BIGNUM *b) const { BN_clear_free(b); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

struct CtxFree
{
    void operator()(EVP_PKEY_CTX *c) const { EVP_PKEY_CTX_free(c); }
};
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, CtxFree>;

struct BldFree
{
    void operator()(OSSL_PARAM_BLD *b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree
{
    void operator()(OSSL_PARAM *p) const { OSSL_PARAM_free(p); }
};

struct BioFree
{
    void operator()(BIO *b) const { BIO_free(b); }
};

Error invalid(const QString &message)
{
    return makeError(ErrorCode::InvalidInput, message);
}

struct Curve
{
    const char *jwkName;
    const char *opensslName;
    int coordinateBytes;
    int bits;
    JwsAlgorithm algorithm;
};

constexpr Curve kCurves[] = {
    {"P-256", "prime256v1", 32, 256, JwsAlgorithm::ES256},
    {"P-384", "secp384r1", 48, 384, JwsAlgorithm::ES384},
    {"P-521", "secp521r1", 66, 521, JwsAlgorithm::ES512},
};

const Curve *curveByJwkName(const QString &name)
{
    for (const Curve &c : kCurves)
        if (name == QLatin1String(c.jwkName))
            return &c;
    return nullptr;
}

const Curve *curveByOpensslName(const char *name)
{
    for (const Curve &c : kCurves)
        if (qstrcmp(name, c.opensslName) == 0)
            return &c;
    return nullptr;
}

// A required base64url string member.
Result<QByteArray> member(const QJsonObject &jwk, const char *name)
{
    const QJsonValue v = jwk.value(QLatin1String(name));
    if (!v.isString())
        return invalid(
            QStringLiteral("member \"%1\" is missing or not a string").arg(QLatin1String(name)));
    auto decoded = base64UrlDecodeStrict(v.toString().toLatin1());
    if (!decoded)
        return invalid(
            QStringLiteral("member \"%1\": %2").arg(QLatin1String(name), decoded.error().message));
    if (decoded->isEmpty())
        return invalid(QStringLiteral("member \"%1\" is empty").arg(QLatin1String(name)));
    return decoded;
}

QByteArray stripLeadingZeros(QByteArray bytes)
{
    qsizetype i = 0;
    while (i + 1 < bytes.size() && bytes.at(i) == '\0')
        ++i;
    return i ? bytes.mid(i) : bytes;
}

BnPtr toBn(const QByteArray &bytes)
{
    return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char *>(bytes.constData()),
                           int(bytes.size()), nullptr));
}

PkeyPtr fromData(const char *type, int selection, OSSL_PARAM *params)
{
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY *pkey = nullptr;
    if (ctx && EVP_PKEY_fromdata_init(ctx.get()) == 1)
        EVP_PKEY_fromdata(ctx.get(), &pkey, selection, params);
    return PkeyPtr(pkey);
}

bool checkKey(EVP_PKEY *pkey, bool privatePart)
{
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
    if (!ctx)
        return false;
    return (privatePart ? EVP_PKEY_check(ctx.get()) : EVP_PKEY_public_check(ctx.get())) == 1;
}

QByteArray bnParam(const EVP_PKEY *pkey, const char *name, int padTo = 0)
{
    BIGNUM *raw = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1)
        return {};
    BnPtr bn(raw);
    const int size = padTo > 0 ? padTo : BN_num_bytes(bn.get());
    QByteArray out(size, Qt::Uninitialized);
    auto *dst = reinterpret_cast<unsigned char *>(out.data());
    if (padTo > 0)
        BN_bn2binpad(bn.get(), dst, padTo);
    else
        BN_bn2bin(bn.get(), dst);
    return out;
}

QString b64(const QByteArray &bytes)
{
    return QString::fromLatin1(crypto::base64Url(bytes));
}

// RSA: n and e, plus the CRT members for a private key.
Result<std::shared_ptr<KeyData>> importRsa(const QJsonObject &jwk, bool withPrivate)
{
    auto n = member(jwk, "n");
    if (!n)
        return n.error();
    auto e = member(jwk, "e");
    if (!e)
        return e.error();
    const QByteArray modulus = stripLeadingZeros(*n);
    const QByteArray exponent = stripLeadingZeros(*e);
    const int bits = int(modulus.size() * 8) - (qCountLeadingZeroBits(quint8(modulus.at(0))));
    if (bits < kRsaMinBits)
        return invalid(QStringLiteral("RSA key of %1 bits is weaker than the %2-bit minimum")
                           .arg(bits)
                           .arg(kRsaMinBits));
    if (bits > kRsaMaxBits)
        return invalid(QStringLiteral("RSA key of %1 bits is larger than the %2-bit maximum")
                           .arg(bits)
                           .arg(kRsaMaxBits));
    if (exponent.size() > 8 || (quint8(exponent.back()) & 1) == 0 ||
        (exponent.size() == 1 && quint8(exponent.at(0)) < 3))
        return invalid(QStringLiteral("RSA public exponent is not an odd number from 3 to 2^64"));

    std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
    std::vector<BnPtr> bns;
    bns.push_back(toBn(modulus));
    bns.push_back(toBn(exponent));
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bns[0].get());
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bns[1].get());
    if (withPrivate) {
        static const char *const jwkNames[] = {"d", "p", "q", "dp", "dq", "qi"};
        static const char *const paramNames[] = {
            OSSL_PKEY_PARAM_RSA_D,         OSSL_PKEY_PARAM_RSA_FACTOR1,
            OSSL_PKEY_PARAM_RSA_FACTOR2,   OSSL_PKEY_PARAM_RSA_EXPONENT1,
            OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1};
        for (int i = 0; i < 6; ++i) {
            auto part = member(jwk, jwkNames[i]);
            if (!part)
                return part.error();
            bns.push_back(toBn(*part));
            crypto::secureWipe(*part);
            OSSL_PARAM_BLD_push_BN(bld.get(), paramNames[i], bns.back().get());
        }
    }
    std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
    PkeyPtr pkey =
        params ? fromData("RSA", withPrivate ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params.get())
               : nullptr;
    if (!pkey || !checkKey(pkey.get(), withPrivate))
        return invalid(QStringLiteral("RSA key is not valid"));
    auto d = std::make_shared<KeyData>();
    d->type = KeyType::Rsa;
    d->pkey = std::move(pkey);
    d->bits = bits;
    d->hasPrivate = withPrivate;
    return d;
}

Result<std::shared_ptr<KeyData>> importEc(const QJsonObject &jwk, const Curve &curve,
                                          bool withPrivate)
{
    auto x = member(jwk, "x");
    if (!x)
        return x.error();
    auto y = member(jwk, "y");
    if (!y)
        return y.error();
    if (x->size() != curve.coordinateBytes || y->size() != curve.coordinateBytes)
        return invalid(QStringLiteral("EC %1 coordinates must be exactly %2 bytes each")
                           .arg(QLatin1String(curve.jwkName))
                           .arg(curve.coordinateBytes));
    const QByteArray point = QByteArray(1, '\x04') + *x + *y;
    std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
    OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve.opensslName, 0);
    OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.constData(),
                                     size_t(point.size()));
    BnPtr priv;
    if (withPrivate) {
        auto dBytes = member(jwk, "d");
        if (!dBytes)
            return dBytes.error();
        if (dBytes->size() != curve.coordinateBytes)
            return invalid(QStringLiteral("EC %1 private key must be exactly %2 bytes")
                               .arg(QLatin1String(curve.jwkName))
                               .arg(curve.coordinateBytes));
        priv = toBn(*dBytes);
        crypto::secureWipe(*dBytes);
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv.get());
    }
    std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
    // oct2point inside fromdata refuses points off the curve; the explicit check repeats it and
    // also refuses the point at infinity (and, with d, that d·G is the public point).
    PkeyPtr pkey =
        params ? fromData("EC", withPrivate ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params.get())
               : nullptr;
    if (!pkey || !checkKey(pkey.get(), withPrivate))
        return invalid(QStringLiteral("EC %1 point is not on the curve or the key is not valid")
                           .arg(QLatin1String(curve.jwkName)));
    auto d = std::make_shared<KeyData>();
    d->type = KeyType::Ec;
    d->pkey = std::move(pkey);
    d->curve = QLatin1String(curve.jwkName);
    d->bits = curve.bits;
    d->hasPrivate = withPrivate;
    return d;
}

Result<std::shared_ptr<KeyData>> importEd25519(const QJsonObject &jwk, bool withPrivate)
{
    auto x = member(jwk, "x");
    if (!x)
        return x.error();
    if (x->size() != 32)
        return invalid(QStringLiteral("Ed25519 public key must be exactly 32 bytes"));
    PkeyPtr pkey;
    if (withPrivate) {
        auto dBytes = member(jwk, "d");
        if (!dBytes)
            return dBytes.error();
        if (dBytes->size() != 32)
            return invalid(QStringLiteral("Ed25519 private key must be exactly 32 bytes"));
        pkey.reset(EVP_PKEY_new_raw_private_key_ex(
            nullptr, "ED25519", nullptr, reinterpret_cast<const unsigned char *>(dBytes->data()),
            32));
        crypto::secureWipe(*dBytes);
        QByteArray derived(32, Qt::Uninitialized);
        size_t len = 32;
        if (!pkey ||
            EVP_PKEY_get_raw_public_key(
                pkey.get(), reinterpret_cast<unsigned char *>(derived.data()), &len) != 1 ||
            !crypto::constantTimeEquals(derived, *x))
            return invalid(QStringLiteral("Ed25519 private key does not match its \"x\""));
    } else {
        pkey.reset(EVP_PKEY_new_raw_public_key_ex(
            nullptr, "ED25519", nullptr, reinterpret_cast<const unsigned char *>(x->constData()),
            32));
    }
    if (!pkey)
        return invalid(QStringLiteral("Ed25519 key is not valid"));
    auto d = std::make_shared<KeyData>();
    d->type = KeyType::Okp;
    d->pkey = std::move(pkey);
    d->curve = QStringLiteral("Ed25519");
    d->bits = 256;
    d->hasPrivate = withPrivate;
    return d;
}

enum class Support
{
    Supported,
    Unsupported, // unknown kty or curve: skipped in a JWKS
};

Result<std::shared_ptr<KeyData>> importJwk(const QJsonObject &jwk, bool withPrivate,
                                           Support *support = nullptr)
{
    if (support)
        *support = Support::Supported;
    const QJsonValue ktyValue = jwk.value(QLatin1String("kty"));
    if (!ktyValue.isString())
        return invalid(QStringLiteral("member \"kty\" is missing or not a string"));
    const QString kty = ktyValue.toString();
    for (const char *name : {"kid", "alg", "use", "crv"}) {
        const QJsonValue v = jwk.value(QLatin1String(name));
        if (!v.isUndefined() && !v.isString())
            return invalid(
                QStringLiteral("member \"%1\" is not a string").arg(QLatin1String(name)));
    }
    const QString alg = jwk.value(QLatin1String("alg")).toString();
    if (!alg.isEmpty() && !jwsAlgorithmFromName(alg)) {
        if (support)
            *support = Support::Unsupported;
        return invalid(QStringLiteral("alg is not a supported signature algorithm"));
    }
    Result<std::shared_ptr<KeyData>> imported =
        invalid(QStringLiteral("kty \"%1\" is not supported").arg(kty.left(16)));
    if (kty == QLatin1String("RSA")) {
        imported = importRsa(jwk, withPrivate);
    } else if (kty == QLatin1String("EC")) {
        const QString crv = jwk.value(QLatin1String("crv")).toString();
        const Curve *curve = curveByJwkName(crv);
        if (!curve) {
            if (support)
                *support = Support::Unsupported;
            return invalid(QStringLiteral("EC curve \"%1\" is not supported").arg(crv.left(16)));
        }
        imported = importEc(jwk, *curve, withPrivate);
    } else if (kty == QLatin1String("OKP")) {
        const QString crv = jwk.value(QLatin1String("crv")).toString();
        if (crv != QLatin1String("Ed25519")) {
            if (support)
                *support = Support::Unsupported;
            return invalid(QStringLiteral("OKP curve \"%1\" is not supported").arg(crv.left(16)));
        }
        imported = importEd25519(jwk, withPrivate);
    } else if (kty == QLatin1String("oct")) {
        return invalid(QStringLiteral("kty \"oct\" (a symmetric secret) is not a public key"));
    } else {
        if (support)
            *support = Support::Unsupported;
        return imported;
    }
    if (!imported)
        return imported;
    (*imported)->kid = jwk.value(QLatin1String("kid")).toString();
    (*imported)->alg = alg;
    return imported;
}

bool algorithmFits(const KeyData &d, JwsAlgorithm algorithm)
{
    switch (algorithm) {
    case JwsAlgorithm::RS256:
    case JwsAlgorithm::RS384:
    case JwsAlgorithm::RS512:
    case JwsAlgorithm::PS256:
    case JwsAlgorithm::PS384:
    case JwsAlgorithm::PS512:
        return d.type == KeyType::Rsa;
    case JwsAlgorithm::ES256:
        return d.type == KeyType::Ec && d.curve == QLatin1String("P-256");
    case JwsAlgorithm::ES384:
        return d.type == KeyType::Ec && d.curve == QLatin1String("P-384");
    case JwsAlgorithm::ES512:
        return d.type == KeyType::Ec && d.curve == QLatin1String("P-521");
    case JwsAlgorithm::EdDSA:
        return d.type == KeyType::Okp && d.curve == QLatin1String("Ed25519");
    case JwsAlgorithm::HS256:
    case JwsAlgorithm::HS384:
    case JwsAlgorithm::HS512:
        return d.type == KeyType::Oct && d.secret.size() >= detail::hashBytes(algorithm);
    }
    return false;
}

// Builds the KeyData of a loaded EVP_PKEY (PEM, generated).
Result<std::shared_ptr<KeyData>> wrapPkey(PkeyPtr pkey, bool hasPrivate)
{
    auto d = std::make_shared<KeyData>();
    d->hasPrivate = hasPrivate;
    if (EVP_PKEY_is_a(pkey.get(), "RSA")) {
        d->type = KeyType::Rsa;
        d->bits = EVP_PKEY_get_bits(pkey.get());
        if (d->bits < kRsaMinBits || d->bits > kRsaMaxBits)
            return invalid(QStringLiteral("RSA key of %1 bits is outside %2..%3 bits")
                               .arg(d->bits)
                               .arg(kRsaMinBits)
                               .arg(kRsaMaxBits));
    } else if (EVP_PKEY_is_a(pkey.get(), "EC")) {
        char group[64] = {};
        size_t len = 0;
        const Curve *curve = nullptr;
        if (EVP_PKEY_get_utf8_string_param(pkey.get(), OSSL_PKEY_PARAM_GROUP_NAME, group,
                                           sizeof group, &len) == 1)
            curve = curveByOpensslName(group);
        if (!curve)
            return invalid(QStringLiteral("EC key is not on P-256, P-384 or P-521"));
        d->type = KeyType::Ec;
        d->curve = QLatin1String(curve->jwkName);
        d->bits = curve->bits;
    } else if (EVP_PKEY_is_a(pkey.get(), "ED25519")) {
        d->type = KeyType::Okp;
        d->curve = QStringLiteral("Ed25519");
        d->bits = 256;
    } else {
        return invalid(QStringLiteral("the key is not RSA, EC or Ed25519"));
    }
    d->pkey = std::move(pkey);
    return d;
}

int noPassphrase(char *, int, int, void *)
{
    return -1;
}

} // namespace

// ---- algorithms -------------------------------------------------------------------------------

QString jwsAlgorithmName(JwsAlgorithm algorithm)
{
    switch (algorithm) {
    case JwsAlgorithm::RS256:
        return QStringLiteral("RS256");
    case JwsAlgorithm::RS384:
        return QStringLiteral("RS384");
    case JwsAlgorithm::RS512:
        return QStringLiteral("RS512");
    case JwsAlgorithm::PS256:
        return QStringLiteral("PS256");
    case JwsAlgorithm::PS384:
        return QStringLiteral("PS384");
    case JwsAlgorithm::PS512:
        return QStringLiteral("PS512");
    case JwsAlgorithm::ES256:
        return QStringLiteral("ES256");
    case JwsAlgorithm::ES384:
        return QStringLiteral("ES384");
    case JwsAlgorithm::ES512:
        return QStringLiteral("ES512");
    case JwsAlgorithm::EdDSA:
        return QStringLiteral("EdDSA");
    case JwsAlgorithm::HS256:
        return QStringLiteral("HS256");
    case JwsAlgorithm::HS384:
        return QStringLiteral("HS384");
    case JwsAlgorithm::HS512:
        return QStringLiteral("HS512");
    }
    return {};
}

std::optional<JwsAlgorithm> jwsAlgorithmFromName(QStringView name)
{
    static constexpr JwsAlgorithm all[] = {
        JwsAlgorithm::RS256, JwsAlgorithm::RS384, JwsAlgorithm::RS512, JwsAlgorithm::PS256,
        JwsAlgorithm::PS384, JwsAlgorithm::PS512, JwsAlgorithm::ES256, JwsAlgorithm::ES384,
        JwsAlgorithm::ES512, JwsAlgorithm::EdDSA, JwsAlgorithm::HS256, JwsAlgorithm::HS384,
        JwsAlgorithm::HS512};
    for (JwsAlgorithm a : all)
        if (name == jwsAlgorithmName(a)) // QStringView == QString: exact, case-sensitive
            return a;
    return std::nullopt;
}

// ---- Jwk --------------------------------------------------------------------------------------

Result<Jwk> Jwk::fromJson(const QJsonObject &jwk)
{
    auto imported = importJwk(jwk, false);
    if (!imported)
        return imported.error();
    return Jwk(std::move(*imported));
}

Result<Jwk> Jwk::fromSecret(QByteArrayView secret, const QString &kid, const QString &algorithm)
{
    if (secret.size() < kHmacMinSecretBytes)
        return invalid(QStringLiteral("an HMAC secret needs at least %1 bytes, not %2")
                           .arg(kHmacMinSecretBytes)
                           .arg(secret.size()));
    if (!algorithm.isEmpty()) {
        const auto a = jwsAlgorithmFromName(algorithm);
        if (!a ||
            (*a != JwsAlgorithm::HS256 && *a != JwsAlgorithm::HS384 && *a != JwsAlgorithm::HS512))
            return invalid(QStringLiteral("a secret key's alg must be HS256, HS384 or HS512"));
    }
    auto d = std::make_shared<KeyData>();
    d->type = KeyType::Oct;
    d->secret = secret.toByteArray();
    d->kid = kid;
    d->alg = algorithm;
    d->bits = int(secret.size() * 8);
    d->hasPrivate = true;
    return Jwk(std::move(d));
}

KeyType Jwk::type() const
{
    return m_d ? m_d->type : KeyType::Rsa;
}
QString Jwk::kid() const
{
    return m_d ? m_d->kid : QString();
}
QString Jwk::algorithm() const
{
    return m_d ? m_d->alg : QString();
}
QString Jwk::curve() const
{
    return m_d ? m_d->curve : QString();
}
int Jwk::bits() const
{
    return m_d ? m_d->bits : 0;
}
bool Jwk::hasPrivatePart() const
{
    return m_d && m_d->hasPrivate;
}

bool Jwk::supports(JwsAlgorithm algorithm) const
{
    if (!m_d || !algorithmFits(*m_d, algorithm))
        return false;
    return m_d->alg.isEmpty() || m_d->alg == jwsAlgorithmName(algorithm);
}

QJsonObject Jwk::toPublicJson() const
{
    if (!m_d || m_d->type == KeyType::Oct)
        return {};
    QJsonObject out;
    const EVP_PKEY *pkey = m_d->pkey.get();
    switch (m_d->type) {
    case KeyType::Rsa:
        out.insert(QStringLiteral("kty"), QStringLiteral("RSA"));
        out.insert(QStringLiteral("n"), b64(bnParam(pkey, OSSL_PKEY_PARAM_RSA_N)));
        out.insert(QStringLiteral("e"), b64(bnParam(pkey, OSSL_PKEY_PARAM_RSA_E)));
        break;
    case KeyType::Ec: {
        const Curve *curve = curveByJwkName(m_d->curve);
        out.insert(QStringLiteral("kty"), QStringLiteral("EC"));
        out.insert(QStringLiteral("crv"), m_d->curve);
        out.insert(QStringLiteral("x"),
                   b64(bnParam(pkey, OSSL_PKEY_PARAM_EC_PUB_X, curve->coordinateBytes)));
        out.insert(QStringLiteral("y"),
                   b64(bnParam(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, curve->coordinateBytes)));
        break;
    }
    case KeyType::Okp: {
        QByteArray raw(32, Qt::Uninitialized);
        size_t len = 32;
        EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char *>(raw.data()), &len);
        out.insert(QStringLiteral("kty"), QStringLiteral("OKP"));
        out.insert(QStringLiteral("crv"), m_d->curve);
        out.insert(QStringLiteral("x"), b64(raw));
        break;
    }
    case KeyType::Oct:
        break;
    }
    if (!m_d->kid.isEmpty())
        out.insert(QStringLiteral("kid"), m_d->kid);
    if (!m_d->alg.isEmpty())
        out.insert(QStringLiteral("alg"), m_d->alg);
    out.insert(QStringLiteral("use"), QStringLiteral("sig"));
    return out;
}

QByteArray Jwk::thumbprint() const
{
    if (!m_d)
        return {};
    // RFC 7638 §3.2: the required members only, lexicographic order, no whitespace. The values
    // are base64url strings and fixed names, so no JSON escaping is needed.
    QByteArray canonical;
    if (m_d->type == KeyType::Oct) {
        canonical = "{\"k\":\"" + crypto::base64Url(m_d->secret) + "\",\"kty\":\"oct\"}";
    } else {
        const QJsonObject j = toPublicJson();
        auto s = [&j](const char *name) {
            return j.value(QLatin1String(name)).toString().toUtf8();
        };
        switch (m_d->type) {
        case KeyType::Rsa:
            canonical = "{\"e\":\"" + s("e") + "\",\"kty\":\"RSA\",\"n\":\"" + s("n") + "\"}";
            break;
        case KeyType::Ec:
            canonical = "{\"crv\":\"" + s("crv") + "\",\"kty\":\"EC\",\"x\":\"" + s("x") +
                        "\",\"y\":\"" + s("y") + "\"}";
            break;
        case KeyType::Okp:
            canonical = "{\"crv\":\"" + s("crv") + "\",\"kty\":\"OKP\",\"x\":\"" + s("x") + "\"}";
            break;
        case KeyType::Oct:
            break;
        }
    }
    const QByteArray out = crypto::base64Url(crypto::sha256(canonical));
    crypto::secureWipe(canonical);
    return out;
}

// ---- JwkSet -----------------------------------------------------------------------------------

JwkSet::JwkSet(std::vector<Jwk> keys)
    : m_keys(std::make_shared<const std::vector<Jwk>>(std::move(keys)))
{}

const std::vector<Jwk> &JwkSet::keys() const
{
    static const std::vector<Jwk> empty;
    return m_keys ? *m_keys : empty;
}

Result<JwkSet> JwkSet::parse(QByteArrayView json)
{
    if (json.size() > kJwksMaxDocumentBytes)
        return invalid(QStringLiteral("JWKS document of %1 bytes is larger than the %2-byte limit")
                           .arg(json.size())
                           .arg(kJwksMaxDocumentBytes));
    auto doc = detail::parseJsonObject(json);
    if (!doc)
        return doc.error().context(QStringLiteral("JWKS"));
    const QJsonValue keysValue = doc->value(QLatin1String("keys"));
    if (!keysValue.isArray())
        return invalid(QStringLiteral("JWKS: member \"keys\" is missing or not an array"));
    const QJsonArray entries = keysValue.toArray();
    if (entries.size() > kJwksMaxKeys)
        return invalid(QStringLiteral("JWKS: %1 keys is more than the limit of %2")
                           .arg(entries.size())
                           .arg(kJwksMaxKeys));
    std::vector<Jwk> keys;
    keys.reserve(size_t(entries.size()));
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QString where = QStringLiteral("JWKS key %1").arg(i);
        if (!entries.at(i).isObject())
            return invalid(where + QStringLiteral(": not a JSON object"));
        const QJsonObject entry = entries.at(i).toObject();
        const QJsonValue use = entry.value(QLatin1String("use"));
        if (use.isString() && use.toString() != QLatin1String("sig"))
            continue;
        const QJsonValue ops = entry.value(QLatin1String("key_ops"));
        if (!ops.isUndefined() &&
            !(ops.isArray() && ops.toArray().contains(QJsonValue(QStringLiteral("verify")))))
            continue;
        Support support = Support::Supported;
        auto imported = importJwk(entry, false, &support);
        if (!imported) {
            if (support == Support::Unsupported)
                continue;
            QString kid = entry.value(QLatin1String("kid")).toString().left(64);
            return imported.error().context(
                kid.isEmpty() ? where : where + QStringLiteral(" (kid \"%1\")").arg(kid));
        }
        keys.push_back(JoseAccess::make(std::move(*imported)));
    }
    return JwkSet(std::move(keys));
}

QByteArray JwkSet::toJson() const
{
    QJsonArray array;
    for (const Jwk &key : keys())
        if (key.type() != KeyType::Oct)
            array.append(key.toPublicJson());
    return QJsonDocument(QJsonObject{{QStringLiteral("keys"), array}})
        .toJson(QJsonDocument::Compact);
}

// ---- SigningKey -------------------------------------------------------------------------------

Result<SigningKey> SigningKey::bind(Jwk key, JwsAlgorithm algorithm, const QString &kid)
{
    auto *d = const_cast<KeyData *>(JoseAccess::data(key));
    if (!algorithmFits(*d, algorithm))
        return invalid(
            QStringLiteral("the key cannot sign with %1").arg(jwsAlgorithmName(algorithm)));
    if (!d->alg.isEmpty() && d->alg != jwsAlgorithmName(algorithm))
        return invalid(QStringLiteral("the key's alg is not %1").arg(jwsAlgorithmName(algorithm)));
    // Still the only owner: completing the freshly built key is not a mutation of shared data.
    d->alg = jwsAlgorithmName(algorithm);
    if (!kid.isEmpty())
        d->kid = kid;
    else if (d->kid.isEmpty() && d->type != KeyType::Oct) // a secret's hash is not published
        d->kid = QString::fromLatin1(key.thumbprint());
    SigningKey out;
    out.m_algorithm = algorithm;
    out.m_key = std::move(key);
    if (d->type == KeyType::Oct) {
        out.m_public = out.m_key;
    } else {
        auto pub = Jwk::fromJson(out.m_key.toPublicJson());
        if (!pub)
            return pub.error();
        out.m_public = std::move(*pub);
    }
    return out;
}

Result<SigningKey> SigningKey::generate(JwsAlgorithm algorithm, const QString &kid)
{
    EVP_PKEY *raw = nullptr;
    switch (algorithm) {
    case JwsAlgorithm::RS256:
    case JwsAlgorithm::RS384:
    case JwsAlgorithm::RS512:
    case JwsAlgorithm::PS256:
    case JwsAlgorithm::PS384:
    case JwsAlgorithm::PS512:
        raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048));
        break;
    case JwsAlgorithm::ES256:
        raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
        break;
    case JwsAlgorithm::ES384:
        raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
        break;
    case JwsAlgorithm::ES512:
        raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-521");
        break;
    case JwsAlgorithm::EdDSA:
        raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
        break;
    case JwsAlgorithm::HS256:
    case JwsAlgorithm::HS384:
    case JwsAlgorithm::HS512:
        return invalid(QStringLiteral("HMAC keys are secrets: use SigningKey::fromSecret"));
    }
    if (!raw)
        return makeError(ErrorCode::Internal, QStringLiteral("OpenSSL key generation failed"));
    auto d = wrapPkey(PkeyPtr(raw), true);
    if (!d)
        return d.error();
    return bind(JoseAccess::make(std::move(*d)), algorithm, kid);
}

Result<SigningKey> SigningKey::fromPem(QByteArrayView pem, JwsAlgorithm algorithm,
                                       const QString &kid)
{
    if (pem.size() > 64 * 1024)
        return invalid(QStringLiteral("PEM private key is larger than 64 KiB"));
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), int(pem.size())));
    EVP_PKEY *raw = bio ? PEM_read_bio_PrivateKey_ex(bio.get(), nullptr, noPassphrase, nullptr,
                                                     nullptr, nullptr)
                        : nullptr;
    if (!raw)
        return invalid(QStringLiteral("not an unencrypted PEM private key"));
    auto d = wrapPkey(PkeyPtr(raw), true);
    if (!d)
        return d.error();
    return bind(JoseAccess::make(std::move(*d)), algorithm, kid);
}

Result<SigningKey> SigningKey::fromJwk(const QJsonObject &jwk, JwsAlgorithm algorithm,
                                       const QString &kid)
{
    auto d = importJwk(jwk, true);
    if (!d)
        return d.error();
    return bind(JoseAccess::make(std::move(*d)), algorithm, kid);
}

Result<SigningKey> SigningKey::fromSecret(QByteArrayView secret, JwsAlgorithm algorithm,
                                          const QString &kid)
{
    auto key = Jwk::fromSecret(secret, kid);
    if (!key)
        return key.error();
    return bind(std::move(*key), algorithm, kid);
}

Result<QByteArray> SigningKey::privateKeyPem() const
{
    const KeyData *d = JoseAccess::data(m_key);
    if (!d || d->type == KeyType::Oct)
        return invalid(QStringLiteral("an HMAC secret has no PEM form"));
    std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), d->pkey.get(), nullptr, nullptr, 0, nullptr,
                                         nullptr) != 1)
        return makeError(ErrorCode::Internal, QStringLiteral("OpenSSL could not write the key"));
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    QByteArray out(data, qsizetype(len));
    OPENSSL_cleanse(data, size_t(len));
    return out;
}

Result<QByteArray> SigningKey::sign(QByteArrayView signingInput) const
{
    const KeyData *d = JoseAccess::data(m_key);
    if (!d)
        return invalid(QStringLiteral("no signing key"));
    return detail::signRaw(*d, m_algorithm, signingInput);
}

} // namespace upcoach::identity
