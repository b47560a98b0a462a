// SAML responses fully validated per second on one core (validateSamlResponse: base64, parse with
// DTDs refused, the wrapping checks, XML-DSig reference digests and signature with libxmlsec1,
// every Profiles §4.1.4 condition) against a reference measured in the same run: OpenSSL's raw
// EVP_DigestVerify (RSA PKCS#1 v1.5, SHA-256) of a SignedInfo-sized input with the same IdP key
// (RSA-3072, as generateSamlKeyPair makes). Rows: a signed assertion (one signature, the common
// case), a signed response and assertion (two), and an encrypted signed assertion (plus RSA-OAEP
// and AES-256-CBC). Prints one JSON line.
//
//   build/tests/bench/bench_saml_response [--iterations N]
#include "samlforge.h"
#include "upcoach/identity/saml.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

using namespace upcoach;
using namespace upcoach::identity;
using upcoach::testing::ForgedResponse;

namespace {

const QDateTime kNow = QDateTime(QDate(2026, 11, 24), QTime(10, 0), Qt::UTC);

double perSecond(qint64 count, qint64 nanoseconds)
{
    return nanoseconds > 0 ? double(count) * 1e9 / double(nanoseconds) : 0.0;
}

EVP_PKEY *privateKey(const QByteArray &pem)
{
    BIO *bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    return key;
}

// Raw RSA-SHA256 verifications per second of `input` with `key`'s public half.
double rawVerifyRate(EVP_PKEY *key, const QByteArray &input, qint64 iterations, bool *ok)
{
    QByteArray signature(EVP_PKEY_get_size(key), '\0');
    size_t length = size_t(signature.size());
    EVP_MD_CTX *signer = EVP_MD_CTX_new();
    EVP_DigestSignInit(signer, nullptr, EVP_sha256(), nullptr, key);
    EVP_DigestSign(signer, reinterpret_cast<unsigned char *>(signature.data()), &length,
                   reinterpret_cast<const unsigned char *>(input.constData()),
                   size_t(input.size()));
    EVP_MD_CTX_free(signer);
    qint64 good = 0;
    QElapsedTimer timer;
    timer.start();
    for (qint64 i = 0; i < iterations; ++i) {
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        if (EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(signature.constData()),
                             length, reinterpret_cast<const unsigned char *>(input.constData()),
                             size_t(input.size())) == 1)
            ++good;
        EVP_MD_CTX_free(ctx);
    }
    const qint64 ns = timer.nsecsElapsed();
    *ok = *ok && good == iterations;
    return perSecond(iterations, ns);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qint64 iterations = 2000;
    const QStringList args = app.arguments();
    const qsizetype at = args.indexOf(QStringLiteral("--iterations"));
    if (at >= 0 && at + 1 < args.size())
        iterations = args.at(at + 1).toLongLong();
    initialiseSaml();
    auto spKeys = generateSamlKeyPair(QStringLiteral("sp"));
    auto idpKeys = generateSamlKeyPair(QStringLiteral("idp"));
    if (!spKeys || !idpKeys)
        return 2;
    SamlServiceProvider sp;
    sp.entityId = QStringLiteral("https://ops.example.test/sso/saml/acme/metadata");
    sp.acsUrl = QStringLiteral("https://ops.example.test/sso/saml/acme/acs");
    sp.certificatePem = spKeys->certificatePem;
    sp.privateKeyPem = spKeys->privateKeyPem;
    SamlIdentityProvider idp;
    idp.entityId = QStringLiteral("https://idp.example.test/metadata");
    idp.ssoRedirectUrl = QUrl(QStringLiteral("https://idp.example.test/sso"));
    idp.certificatesPem = {idpKeys->certificatePem};
    SamlCheck check;
    check.now = kNow.addSecs(5);
    check.inResponseTo = QStringLiteral("_req1");

    bool allOk = true;
    EVP_PKEY *key = privateKey(idpKeys->privateKeyPem);
    // A canonical SignedInfo with one reference is about 600 bytes.
    const double raw = rawVerifyRate(key, QByteArray(600, 'x'), iterations, &allOk);
    EVP_PKEY_free(key);

    struct Case
    {
        const char *name;
        bool signResponse;
        bool encrypt;
        int signatures;
    };
    QJsonArray rows;
    double common = 0;
    for (const Case &c : {Case{"signed_assertion", false, false, 1},
                          Case{"signed_response_and_assertion", true, false, 2},
                          Case{"encrypted_signed_assertion", false, true, 1}}) {
        ForgedResponse r;
        r.spEntityId = sp.entityId;
        r.acsUrl = sp.acsUrl;
        r.now = kNow;
        r.inResponseTo = QStringLiteral("_req1");
        r.signResponse = c.signResponse;
        if (c.encrypt)
            r.encryptForCertificatePem = sp.certificatePem;
        const QByteArray body =
            upcoach::testing::forgeResponseXml(r, idpKeys->privateKeyPem, idpKeys->certificatePem)
                .toBase64();
        qint64 good = 0;
        QElapsedTimer timer;
        timer.start();
        for (qint64 i = 0; i < iterations; ++i)
            if (validateSamlResponse(body, sp, idp, check).ok())
                ++good;
        const qint64 ns = timer.nsecsElapsed();
        allOk = allOk && good == iterations;
        const double ours = perSecond(iterations, ns);
        if (common == 0)
            common = ours;
        rows.append(QJsonObject{
            {QStringLiteral("case"), QLatin1String(c.name)},
            {QStringLiteral("response_bytes"), qint64(body.size())},
            {QStringLiteral("signatures"), c.signatures},
            {QStringLiteral("responses_validated_per_s"), qRound64(ours)},
            {QStringLiteral("ratio_vs_raw_verify"), raw > 0 ? ours / raw : 0.0},
            {QStringLiteral("ratio_vs_raw_verifies_needed"),
             raw > 0 ? ours * c.signatures / raw : 0.0},
            {QStringLiteral("overhead_us_per_response"),
             ours > 0 ? 1e6 / ours - 1e6 * c.signatures / raw : 0.0},
        });
    }
    const QJsonObject out{
        {QStringLiteral("bench"), QStringLiteral("saml_response")},
        {QStringLiteral("iterations"), iterations},
        {QStringLiteral("idp_key"), QStringLiteral("RSA-3072, rsa-sha256")},
        {QStringLiteral("reference_raw_evp_digest_verify_per_s"), qRound64(raw)},
        {QStringLiteral("signed_assertion_validated_per_s"), qRound64(common)},
        {QStringLiteral("ratio_vs_raw"), raw > 0 ? common / raw : 0.0},
        {QStringLiteral("rows"), rows},
        {QStringLiteral("all_valid"), allOk},
    };
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return allOk ? 0 : 1;
}
