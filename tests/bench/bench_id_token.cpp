// OIDC ID tokens fully validated per second on one core (strict base64url, strict JSON header and
// claims, key choice by kid, signature, every §3.1.3.7 claim check) against a reference measured in
// the same run: OpenSSL's raw EVP_DigestVerify of the same signing input and signature with the
// same key (a fresh EVP_MD_CTX per token, as a one-shot verifier would). Rows for RS256 (2048-bit),
// ES256 and EdDSA; prints one JSON line.
//
//   build/tests/bench/bench_id_token [--iterations N]
#include "upcoach/identity/jose.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

using namespace upcoach;
using namespace upcoach::identity;

namespace {

const QDateTime kNow = QDateTime(QDate(2026, 11, 24), QTime(10, 0), Qt::UTC);

double perSecond(qint64 count, qint64 nanoseconds)
{
    return nanoseconds > 0 ? double(count) * 1e9 / double(nanoseconds) : 0.0;
}

// A realistic enterprise IdP ID token: profile, groups, amr/acr, auth_time, nonce.
QJsonObject claims()
{
    const qint64 now = kNow.toSecsSinceEpoch();
    return QJsonObject{
        {QStringLiteral("iss"), QStringLiteral("https://login.idp.example.com/tenant-7f3c9a")},
        {QStringLiteral("sub"), QStringLiteral("00u1a2b3c4d5e6f7g8h9")},
        {QStringLiteral("aud"), QStringLiteral("upcoach-ops-console")},
        {QStringLiteral("exp"), now + 3600},
        {QStringLiteral("iat"), now - 2},
        {QStringLiteral("auth_time"), now - 30},
        {QStringLiteral("nonce"), QStringLiteral("p5PZr0sFQ2n0Kp8tH5fWcS6yVd3Zq1LmXo9bRt7uYwA")},
        {QStringLiteral("amr"), QJsonArray{QStringLiteral("pwd"), QStringLiteral("mfa")}},
        {QStringLiteral("acr"), QStringLiteral("urn:okta:loa:2fa:any")},
        {QStringLiteral("email"), QStringLiteral("jane.doe@customer.example.com")},
        {QStringLiteral("email_verified"), true},
        {QStringLiteral("name"), QStringLiteral("Jane Doe")},
        {QStringLiteral("given_name"), QStringLiteral("Jane")},
        {QStringLiteral("family_name"), QStringLiteral("Doe")},
        {QStringLiteral("groups"),
         QJsonArray{QStringLiteral("ops-admins"), QStringLiteral("ops-viewers-eu")}},
    };
}

EVP_PKEY *publicPkey(const SigningKey &key)
{
    const QByteArray pem = *key.privateKeyPem();
    BIO *in = BIO_new_mem_buf(pem.constData(), int(pem.size()));
    EVP_PKEY *priv = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
    BIO_free(in);
    BIO *mid = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(mid, priv);
    EVP_PKEY *pub = PEM_read_bio_PUBKEY(mid, nullptr, nullptr, nullptr);
    BIO_free(mid);
    EVP_PKEY_free(priv);
    return pub;
}

QJsonObject row(JwsAlgorithm alg, qint64 iterations, bool *allOk)
{
    const SigningKey key = *SigningKey::generate(alg, QStringLiteral("bench-key"));
    // The realistic case: the IdP's JWKS holds two keys (current and next), the kid picks one.
    const SigningKey next = *SigningKey::generate(alg, QStringLiteral("bench-next"));
    const JwkSet set({next.verificationKey(), key.verificationKey()});
    const QByteArray token = *signJwt(claims(), key);

    IdTokenExpectations expect;
    expect.issuer = QStringLiteral("https://login.idp.example.com/tenant-7f3c9a");
    expect.clientId = QStringLiteral("upcoach-ops-console");
    expect.algorithm = alg;
    expect.nonce = QStringLiteral("p5PZr0sFQ2n0Kp8tH5fWcS6yVd3Zq1LmXo9bRt7uYwA");
    expect.maxAge = std::chrono::seconds(600);
    expect.now = kNow;

    // Reference inputs, decoded outside the timed loop.
    const qsizetype dot = token.lastIndexOf('.');
    const QByteArray input = token.left(dot);
    QByteArray signature = *base64UrlDecodeStrict(token.mid(dot + 1));
    if (alg == JwsAlgorithm::ES256) { // OpenSSL verifies DER, the JWS carries R||S
        ECDSA_SIG *sig = ECDSA_SIG_new();
        ECDSA_SIG_set0(
            sig,
            BN_bin2bn(reinterpret_cast<const unsigned char *>(signature.constData()), 32, nullptr),
            BN_bin2bn(reinterpret_cast<const unsigned char *>(signature.constData()) + 32, 32,
                      nullptr));
        unsigned char *der = nullptr;
        const int len = i2d_ECDSA_SIG(sig, &der);
        signature = QByteArray(reinterpret_cast<const char *>(der), len);
        OPENSSL_free(der);
        ECDSA_SIG_free(sig);
    }
    EVP_PKEY *pkey = publicPkey(key);
    const char *md = alg == JwsAlgorithm::EdDSA ? nullptr : "SHA256";

    qint64 rawOk = 0;
    qint64 oursOk = 0;
    QElapsedTimer timer;
    // Warm-up (provider fetch caches, page faults).
    for (int i = 0; i < 200; ++i)
        oursOk -= validateIdToken(token, set, expect).ok() ? 0 : 1;

    // The three loops run interleaved in rounds so that load from other processes and frequency
    // changes hit them alike (the machine may be shared).
    qint64 rawNs = 0;
    qint64 oursNs = 0;
    qint64 jwsNs = 0;
    qint64 jwsOk = 0;
    oursOk = 0;
    const int rounds = 10;
    const qint64 perRound = iterations / rounds;
    iterations = perRound * rounds;
    for (int round = 0; round < rounds; ++round) {
        timer.start();
        for (qint64 i = 0; i < perRound; ++i) {
            EVP_MD_CTX *ctx = EVP_MD_CTX_new();
            if (EVP_DigestVerifyInit_ex(ctx, nullptr, md, nullptr, nullptr, pkey, nullptr) == 1 &&
                EVP_DigestVerify(ctx,
                                 reinterpret_cast<const unsigned char *>(signature.constData()),
                                 size_t(signature.size()),
                                 reinterpret_cast<const unsigned char *>(input.constData()),
                                 size_t(input.size())) == 1)
                ++rawOk;
            EVP_MD_CTX_free(ctx);
        }
        rawNs += timer.nsecsElapsed();

        timer.start();
        for (qint64 i = 0; i < perRound; ++i)
            if (validateIdToken(token, set, expect).ok())
                ++oursOk;
        oursNs += timer.nsecsElapsed();

        // The JWS layer alone (no claims), to split the overhead.
        timer.start();
        for (qint64 i = 0; i < perRound; ++i)
            if (verifyJws(token, set, alg).ok())
                ++jwsOk;
        jwsNs += timer.nsecsElapsed();
    }
    EVP_PKEY_free(pkey);

    *allOk = *allOk && rawOk == iterations && oursOk == iterations && jwsOk == iterations;
    const double raw = perSecond(iterations, rawNs);
    const double ours = perSecond(iterations, oursNs);
    return QJsonObject{
        {QStringLiteral("alg"), jwsAlgorithmName(alg)},
        {QStringLiteral("token_bytes"), qint64(token.size())},
        {QStringLiteral("reference_raw_evp_digest_verify_per_s"), qRound64(raw)},
        {QStringLiteral("id_token_validated_per_s"), qRound64(ours)},
        {QStringLiteral("jws_verified_per_s"), qRound64(perSecond(iterations, jwsNs))},
        {QStringLiteral("ratio_vs_raw"), raw > 0 ? ours / raw : 0.0},
        {QStringLiteral("overhead_us_per_token"),
         (double(oursNs) - double(rawNs)) / 1e3 / double(iterations)},
    };
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qint64 iterations = 20000;
    const QStringList args = app.arguments();
    const qsizetype at = args.indexOf(QStringLiteral("--iterations"));
    if (at >= 0 && at + 1 < args.size())
        iterations = args.at(at + 1).toLongLong();

    bool allOk = true;
    QJsonArray rows;
    for (JwsAlgorithm alg : {JwsAlgorithm::RS256, JwsAlgorithm::ES256, JwsAlgorithm::EdDSA})
        rows.append(row(alg, iterations, &allOk));
    const QJsonObject rs = rows.at(0).toObject();
    const QJsonObject out{
        {QStringLiteral("bench"), QStringLiteral("id_token")},
        {QStringLiteral("iterations"), iterations},
        {QStringLiteral("rs256_id_token_validated_per_s"),
         rs.value(QLatin1String("id_token_validated_per_s"))},
        {QStringLiteral("rs256_reference_raw_evp_digest_verify_per_s"),
         rs.value(QLatin1String("reference_raw_evp_digest_verify_per_s"))},
        {QStringLiteral("rs256_ratio_vs_raw"), rs.value(QLatin1String("ratio_vs_raw"))},
        {QStringLiteral("rows"), rows},
        {QStringLiteral("all_valid"), allOk},
    };
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return allOk ? 0 : 1;
}
