// The JOSE layer against the RFC examples (RFC 7515 A.2/A.3, RFC 8037 A, RFC 7638 §3.1, RFC 7636
// B), sign/verify round trips for every algorithm, JWKS parsing and its limits, ID token
// validation including the clock-skew edges, private_key_jwt assertions and PKCE.
#include "jose_testkeys.h"

#include <QJsonArray>
#include <QTest>
#include <atomic>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <thread>

using namespace upcoach;
using namespace upcoach::identity;
using namespace jose_test;

Q_DECLARE_METATYPE(upcoach::identity::JwsAlgorithm)

class JoseTest : public QObject
{
    Q_OBJECT

private:
    SigningKey m_rsa;
    JwkSet m_set;
    const QDateTime m_now = QDateTime(QDate(2026, 11, 24), QTime(10, 0), Qt::UTC);
    const QString m_issuer = QStringLiteral("https://idp.example.com");
    const QString m_client = QStringLiteral("upcoach-ops");

    qint64 nowS() const { return m_now.toSecsSinceEpoch(); }

    QJsonObject baseClaims() const
    {
        return QJsonObject{
            {QStringLiteral("iss"), m_issuer},
            {QStringLiteral("sub"), QStringLiteral("248289761001")},
            {QStringLiteral("aud"), m_client},
            {QStringLiteral("exp"), nowS() + 300},
            {QStringLiteral("iat"), nowS() - 5},
            {QStringLiteral("nonce"), QStringLiteral("n-0S6_WzA2Mj")},
        };
    }
    IdTokenExpectations expectations() const
    {
        IdTokenExpectations e;
        e.issuer = m_issuer;
        e.clientId = m_client;
        e.algorithm = JwsAlgorithm::RS256;
        e.nonce = QStringLiteral("n-0S6_WzA2Mj");
        e.now = m_now;
        return e;
    }
    QByteArray token(const QJsonObject &claims) const { return *signJwt(claims, m_rsa); }
    Result<IdTokenClaims> validate(const QJsonObject &claims) const
    {
        return validateIdToken(token(claims), m_set, expectations());
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto key = SigningKey::generate(JwsAlgorithm::RS256, QStringLiteral("rsa-1"));
        QVERIFY2(key, key ? "" : qPrintable(key.error().message));
        m_rsa = *key;
        m_set = JwkSet({m_rsa.verificationKey()});
    }

    // ---- RFC examples --------------------------------------------------------------------------

    void rfc7515A2Rs256()
    {
        auto pub = Jwk::fromJson(publicOnly(a2PrivateJwk()));
        QVERIFY2(pub, pub ? "" : qPrintable(pub.error().message));
        QCOMPARE(pub->bits(), 2048);
        QVERIFY(!pub->hasPrivatePart());
        auto r = verifyJws(kA2Token, JwkSet({*pub}), JwsAlgorithm::RS256);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->payload, kRfcPayload);
        // PKCS#1 v1.5 is deterministic: signing with the RFC's private key reproduces the bytes.
        auto key = SigningKey::fromJwk(a2PrivateJwk(), JwsAlgorithm::RS256);
        QVERIFY2(key, key ? "" : qPrintable(key.error().message));
        const QByteArray input = kA2Token.left(kA2Token.lastIndexOf('.'));
        auto sig = key->sign(input);
        QVERIFY(sig);
        QCOMPARE(QByteArray(input + '.' + b64(*sig)), kA2Token);
        // The published form of the key is the RFC's n and e.
        const QJsonObject published = key->publicJwk();
        QCOMPARE(published.value(QLatin1String("n")), a2PrivateJwk().value(QLatin1String("n")));
        QCOMPARE(published.value(QLatin1String("e")).toString(), QStringLiteral("AQAB"));
        QVERIFY(!published.contains(QLatin1String("d")));
    }

    void rfc7515A3Es256()
    {
        auto pub = Jwk::fromJson(publicOnly(a3PrivateJwk()));
        QVERIFY2(pub, pub ? "" : qPrintable(pub.error().message));
        QCOMPARE(pub->curve(), QStringLiteral("P-256"));
        auto r = verifyJws(kA3Token, JwkSet({*pub}), JwsAlgorithm::ES256);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->payload, kRfcPayload);
        // The RFC's signature is R||S (64 bytes), not DER.
        QCOMPARE(base64UrlDecodeStrict(kA3Token.mid(kA3Token.lastIndexOf('.') + 1))->size(), 64);
        // Our ECDSA signatures are random but must verify under the RFC's public key.
        auto key = SigningKey::fromJwk(a3PrivateJwk(), JwsAlgorithm::ES256);
        QVERIFY2(key, key ? "" : qPrintable(key.error().message));
        const QByteArray token =
            signRaw(*key, QByteArrayLiteral("{\"alg\":\"ES256\"}"), kRfcPayload);
        auto again = verifyJws(token, JwkSet({*pub}), JwsAlgorithm::ES256);
        QVERIFY2(again, again ? "" : qPrintable(again.error().message));
        QCOMPARE(again->payload, kRfcPayload);
    }

    void rfc8037Ed25519()
    {
        auto pub = Jwk::fromJson(publicOnly(ed25519PrivateJwk()));
        QVERIFY2(pub, pub ? "" : qPrintable(pub.error().message));
        auto r = verifyJws(kRfc8037Token, JwkSet({*pub}), JwsAlgorithm::EdDSA);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->payload, QByteArrayLiteral("Example of Ed25519 signing"));
        QCOMPARE(pub->thumbprint(), kEd25519Thumbprint); // RFC 8037 A.3
        // Ed25519 is deterministic: A.4's signature comes out again.
        auto key = SigningKey::fromJwk(ed25519PrivateJwk(), JwsAlgorithm::EdDSA);
        QVERIFY2(key, key ? "" : qPrintable(key.error().message));
        const QByteArray input = kRfc8037Token.left(kRfc8037Token.lastIndexOf('.'));
        QCOMPARE(QByteArray(input + '.' + b64(*key->sign(input))), kRfc8037Token);
        // A private JWK whose x does not belong to d is refused.
        QJsonObject wrong = ed25519PrivateJwk();
        wrong.insert(QStringLiteral("x"),
                     QStringLiteral("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"));
        QVERIFY(!SigningKey::fromJwk(wrong, JwsAlgorithm::EdDSA));
    }

    void rfc7638Thumbprint()
    {
        const QJsonObject jwk{
            {QStringLiteral("kty"), QStringLiteral("RSA")},
            {QStringLiteral("n"),
             QStringLiteral(
                 "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L"
                 "6t"
                 "Soc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_"
                 "RN5w6Cf0h4QyQ5v-"
                 "65YGjQR0_"
                 "FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qN"
                 "Lyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-"
                 "kEgU8awap"
                 "JzKnqDKgw")},
            {QStringLiteral("e"), QStringLiteral("AQAB")},
            {QStringLiteral("alg"), QStringLiteral("RS256")},
            {QStringLiteral("kid"), QStringLiteral("2011-04-29")},
        };
        auto key = Jwk::fromJson(jwk);
        QVERIFY2(key, key ? "" : qPrintable(key.error().message));
        QCOMPARE(key->thumbprint(),
                 QByteArrayLiteral("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"));
        QCOMPARE(key->kid(), QStringLiteral("2011-04-29"));
        QCOMPARE(key->algorithm(), QStringLiteral("RS256"));
        QVERIFY(key->supports(JwsAlgorithm::RS256));
        QVERIFY(!key->supports(JwsAlgorithm::PS256)); // the key's own alg restricts it
    }

    void pkceRfc7636AppendixB()
    {
        QCOMPARE(pkceChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
                 QByteArrayLiteral("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    }

    void pkceVerifier_data()
    {
        QTest::addColumn<int>("length");
        QTest::addColumn<bool>("ok");
        QTest::newRow("42") << 42 << false;
        QTest::newRow("43") << 43 << true;
        QTest::newRow("64") << 64 << true;
        QTest::newRow("128") << 128 << true;
        QTest::newRow("129") << 129 << false;
    }
    void pkceVerifier()
    {
        QFETCH(int, length);
        QFETCH(bool, ok);
        auto v = upcoach::identity::pkceVerifier(length);
        QCOMPARE(v.ok(), ok);
        if (!ok) {
            QCOMPARE(v.error().code, ErrorCode::InvalidInput);
            return;
        }
        QCOMPARE(v->size(), length);
        for (char c : *v)
            QVERIFY2(QByteArrayLiteral(
                         "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
                         .contains(c),
                     "verifier character outside the unreserved alphabet");
        QVERIFY(*v != *upcoach::identity::pkceVerifier(length));
        QCOMPARE(pkceChallengeS256(*v).size(), 43);
    }

    void randomStateValues()
    {
        auto a = randomState();
        auto b = randomState();
        QVERIFY(a && b);
        QCOMPARE(a->size(), 43); // 256 bits
        QVERIFY(*a != *b);
        QVERIFY(base64UrlDecodeStrict(*a));
        QCOMPARE(randomState(16)->size(), 22); // 128 bits, the minimum
        QVERIFY(!randomState(15));
    }

    // ---- round trips ---------------------------------------------------------------------------

    void roundTrip_data()
    {
        QTest::addColumn<JwsAlgorithm>("alg");
        for (JwsAlgorithm a :
             {JwsAlgorithm::RS256, JwsAlgorithm::RS384, JwsAlgorithm::RS512, JwsAlgorithm::PS256,
              JwsAlgorithm::PS384, JwsAlgorithm::PS512, JwsAlgorithm::ES256, JwsAlgorithm::ES384,
              JwsAlgorithm::ES512, JwsAlgorithm::EdDSA, JwsAlgorithm::HS256, JwsAlgorithm::HS384,
              JwsAlgorithm::HS512})
            QTest::newRow(qPrintable(jwsAlgorithmName(a))) << a;
    }
    void roundTrip()
    {
        QFETCH(JwsAlgorithm, alg);
        const bool hmac =
            alg == JwsAlgorithm::HS256 || alg == JwsAlgorithm::HS384 || alg == JwsAlgorithm::HS512;
        Result<SigningKey> key =
            hmac ? SigningKey::fromSecret(*crypto::randomBytes(64), alg, QStringLiteral("hs"))
                 : SigningKey::generate(alg);
        QVERIFY2(key, key ? "" : qPrintable(key.error().message));
        QCOMPARE(key->algorithm(), alg);
        QCOMPARE(jwsAlgorithmFromName(jwsAlgorithmName(alg)), std::optional<JwsAlgorithm>(alg));
        const JwkSet set({key->verificationKey()});
        const QByteArray payload = QByteArrayLiteral("{\"hello\":\"world\",\"n\":1}");
        auto token = signJws(payload, *key, {{QStringLiteral("typ"), QStringLiteral("JWT")}});
        QVERIFY2(token, token ? "" : qPrintable(token.error().message));
        auto r = verifyJws(*token, set, alg);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->payload, payload);
        QCOMPARE(r->header.value(QLatin1String("alg")).toString(), jwsAlgorithmName(alg));
        QCOMPARE(r->header.value(QLatin1String("kid")).toString(), key->kid());
        QVERIFY(!key->kid().isEmpty());
        // Any flipped signature bit fails.
        QByteArray sig = *base64UrlDecodeStrict(token->mid(token->lastIndexOf('.') + 1));
        sig[sig.size() / 2] = char(sig.at(sig.size() / 2) ^ 0x01);
        const QByteArray bad = token->left(token->lastIndexOf('.') + 1) + b64(sig);
        auto rb = verifyJws(bad, set, alg);
        QVERIFY(!rb);
        QCOMPARE(rb.error().code, ErrorCode::Unauthorized);
        if (hmac) {
            QVERIFY(key->publicJwk().isEmpty()); // a secret is never published
            QVERIFY(!key->privateKeyPem());
            return;
        }
        // PEM round trip: the reloaded key signs tokens the original public key accepts.
        auto pem = key->privateKeyPem();
        QVERIFY(pem && pem->startsWith("-----BEGIN PRIVATE KEY-----"));
        auto reloaded = SigningKey::fromPem(*pem, alg, key->kid());
        QVERIFY2(reloaded, reloaded ? "" : qPrintable(reloaded.error().message));
        QCOMPARE(reloaded->thumbprint(), key->thumbprint());
        QVERIFY(verifyJws(*signJws(payload, *reloaded), set, alg));
        // The published JWK parses back to the same key.
        auto published = Jwk::fromJson(key->publicJwk());
        QVERIFY2(published, published ? "" : qPrintable(published.error().message));
        QCOMPARE(published->thumbprint(), key->thumbprint());
        QVERIFY(verifyJws(*token, JwkSet({*published}), alg));
    }

    void generateRefusesHmac()
    {
        auto k = SigningKey::generate(JwsAlgorithm::HS256);
        QVERIFY(!k);
        QCOMPARE(k.error().code, ErrorCode::InvalidInput);
        QVERIFY(!SigningKey::fromSecret(QByteArray(31, 'k'), JwsAlgorithm::HS256));
        QVERIFY(!SigningKey::fromSecret(QByteArray(32, 'k'), JwsAlgorithm::HS384)); // < 48 bytes
        QVERIFY(!SigningKey::fromSecret(QByteArray(64, 'k'), JwsAlgorithm::RS256));
        // A key bound to one algorithm family refuses another.
        QVERIFY(!SigningKey::fromPem(*m_rsa.privateKeyPem(), JwsAlgorithm::ES256));
        QVERIFY(!SigningKey::fromPem(
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", JwsAlgorithm::RS256));
    }

    // ---- JWKS ----------------------------------------------------------------------------------

    void jwksParsesAndSkips()
    {
        QJsonObject rsa = publicOnly(a2PrivateJwk());
        rsa.insert(QStringLiteral("kid"), QStringLiteral("rsa"));
        QJsonObject enc = rsa;
        enc.insert(QStringLiteral("kid"), QStringLiteral("enc"));
        enc.insert(QStringLiteral("use"), QStringLiteral("enc"));
        QJsonObject ec = publicOnly(a3PrivateJwk());
        ec.insert(QStringLiteral("kid"), QStringLiteral("ec"));
        ec.insert(QStringLiteral("use"), QStringLiteral("sig"));
        QJsonObject ed = publicOnly(ed25519PrivateJwk());
        ed.insert(QStringLiteral("kid"), QStringLiteral("ed"));
        const QJsonObject x25519{
            {QStringLiteral("kty"), QStringLiteral("OKP")},
            {QStringLiteral("crv"), QStringLiteral("X25519")},
            {QStringLiteral("x"), QStringLiteral("3p7bfXt9wbTTW2HC7OQ1Nz-DQ8hbeGdNrfx-FG-IK08")}};
        const QJsonObject future{{QStringLiteral("kty"), QStringLiteral("PQC")},
                                 {QStringLiteral("kid"), QStringLiteral("future")}};
        QJsonObject opsEncrypt = ec;
        opsEncrypt.remove(QStringLiteral("use"));
        opsEncrypt.insert(QStringLiteral("key_ops"), QJsonArray{QStringLiteral("encrypt")});
        const QJsonObject doc{
            {QStringLiteral("keys"), QJsonArray{rsa, enc, ec, ed, x25519, future, opsEncrypt}}};
        auto set = JwkSet::parse(json(doc));
        QVERIFY2(set, set ? "" : qPrintable(set.error().message));
        QCOMPARE(set->size(), 3);
        QCOMPARE(set->keys()[0].kid(), QStringLiteral("rsa"));
        QCOMPARE(set->keys()[0].type(), KeyType::Rsa);
        QCOMPARE(set->keys()[1].type(), KeyType::Ec);
        QCOMPARE(set->keys()[2].type(), KeyType::Okp);
        QVERIFY(verifyJws(kA2Token, *set, JwsAlgorithm::RS256));
        QVERIFY(verifyJws(kA3Token, *set, JwsAlgorithm::ES256));
        QVERIFY(verifyJws(kRfc8037Token, *set, JwsAlgorithm::EdDSA));
        // Our published JWKS parses back.
        auto again = JwkSet::parse(set->toJson());
        QVERIFY(again);
        QCOMPARE(again->size(), 3);
        QCOMPARE(again->keys()[1].thumbprint(), set->keys()[1].thumbprint());
    }

    void jwksLimits_data()
    {
        QTest::addColumn<QByteArray>("document");
        QTest::addColumn<QString>("mentions");
        QJsonObject rsa = publicOnly(a2PrivateJwk());
        QJsonArray many;
        for (int i = 0; i < 101; ++i)
            many.append(QJsonObject{{QStringLiteral("kty"), QStringLiteral("unknown")}});
        QTest::newRow("101 keys") << json({{QStringLiteral("keys"), many}})
                                  << QStringLiteral("limit of 100");
        QTest::newRow("over 256 KiB")
            << QByteArray("{\"keys\":[],\"pad\":\"" + QByteArray(256 * 1024, 'a') + "\"}")
            << QStringLiteral("262144-byte limit");
        QTest::newRow("not JSON") << QByteArrayLiteral("{\"keys\":[") << QStringLiteral("JSON");
        QTest::newRow("top-level array") << QByteArrayLiteral("[]") << QStringLiteral("object");
        QTest::newRow("keys missing") << QByteArrayLiteral("{}") << QStringLiteral("\"keys\"");
        QTest::newRow("keys not array")
            << QByteArrayLiteral("{\"keys\":{}}") << QStringLiteral("\"keys\"");
        QTest::newRow("duplicate member")
            << QByteArrayLiteral("{\"keys\":[],\"keys\":[]}") << QStringLiteral("duplicate");
        QTest::newRow("entry not object")
            << QByteArrayLiteral("{\"keys\":[1]}") << QStringLiteral("key 0");
        QJsonObject oct{
            {QStringLiteral("kty"), QStringLiteral("oct")},
            {QStringLiteral("k"), QStringLiteral("c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0")}};
        QTest::newRow("symmetric key") << json({{QStringLiteral("keys"), QJsonArray{rsa, oct}}})
                                       << QStringLiteral("key 1: kty \"oct\"");
        QJsonObject badB64 = rsa;
        badB64.insert(QStringLiteral("e"), QStringLiteral("AQAB="));
        QTest::newRow("padded base64")
            << json({{QStringLiteral("keys"), QJsonArray{badB64}}}) << QStringLiteral("\"e\"");
        QJsonObject kidNumber = rsa;
        kidNumber.insert(QStringLiteral("kid"), 7);
        QTest::newRow("kid not string")
            << json({{QStringLiteral("keys"), QJsonArray{kidNumber}}}) << QStringLiteral("\"kid\"");
    }
    void jwksLimits()
    {
        QFETCH(QByteArray, document);
        QFETCH(QString, mentions);
        auto set = JwkSet::parse(document);
        QVERIFY(!set);
        QCOMPARE(set.error().code, ErrorCode::InvalidInput);
        QVERIFY2(set.error().message.contains(mentions), qPrintable(set.error().message));
    }

    void jwksHundredKeysAccepted()
    {
        QJsonArray keys;
        QJsonObject ed = publicOnly(ed25519PrivateJwk());
        for (int i = 0; i < 100; ++i) {
            ed.insert(QStringLiteral("kid"), QString::number(i));
            keys.append(ed);
        }
        auto set = JwkSet::parse(json({{QStringLiteral("keys"), keys}}));
        QVERIFY2(set, set ? "" : qPrintable(set.error().message));
        QCOMPARE(set->size(), 100);
    }

    void ecPointNotOnCurve()
    {
        QJsonObject ec = publicOnly(a3PrivateJwk());
        QByteArray y = *base64UrlDecodeStrict(ec.value(QLatin1String("y")).toString().toLatin1());
        y[31] = char(y.at(31) ^ 0x01);
        ec.insert(QStringLiteral("y"), QString::fromLatin1(b64(y)));
        auto k = Jwk::fromJson(ec);
        QVERIFY(!k);
        QCOMPARE(k.error().code, ErrorCode::InvalidInput);
        QVERIFY2(k.error().message.contains(QLatin1String("not on the curve")),
                 qPrintable(k.error().message));
        // The same refusal inside a JWKS fails the document and names the entry.
        auto set = JwkSet::parse(json({{QStringLiteral("keys"), QJsonArray{ec}}}));
        QVERIFY(!set);
        QVERIFY(set.error().message.contains(QLatin1String("key 0")));
        // Short coordinates (leading zero stripped) and the wrong curve's length are refused too.
        QJsonObject shortX = publicOnly(a3PrivateJwk());
        shortX.insert(QStringLiteral("x"), QString::fromLatin1(b64(QByteArray(31, '\x01'))));
        QVERIFY(!Jwk::fromJson(shortX));
        QJsonObject wrongCurve = publicOnly(a3PrivateJwk());
        wrongCurve.insert(QStringLiteral("crv"), QStringLiteral("P-384"));
        QVERIFY(!Jwk::fromJson(wrongCurve));
    }

    void rsaUnder2048Refused()
    {
        // A real 1024-bit key, as JWK and as PEM.
        EVP_PKEY *small = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(1024));
        QVERIFY(small);
        BIGNUM *n = nullptr;
        QVERIFY(EVP_PKEY_get_bn_param(small, OSSL_PKEY_PARAM_RSA_N, &n) == 1);
        QByteArray nBytes(BN_num_bytes(n), Qt::Uninitialized);
        BN_bn2bin(n, reinterpret_cast<unsigned char *>(nBytes.data()));
        BN_free(n);
        const QJsonObject jwk{{QStringLiteral("kty"), QStringLiteral("RSA")},
                              {QStringLiteral("n"), QString::fromLatin1(b64(nBytes))},
                              {QStringLiteral("e"), QStringLiteral("AQAB")}};
        auto k = Jwk::fromJson(jwk);
        QVERIFY(!k);
        QCOMPARE(k.error().code, ErrorCode::InvalidInput);
        QVERIFY2(k.error().message.contains(QLatin1String("1024 bits")),
                 qPrintable(k.error().message));
        BIO *bio = BIO_new(BIO_s_mem());
        PEM_write_bio_PrivateKey(bio, small, nullptr, nullptr, 0, nullptr, nullptr);
        char *data = nullptr;
        const long len = BIO_get_mem_data(bio, &data);
        const QByteArray pem(data, qsizetype(len));
        BIO_free(bio);
        EVP_PKEY_free(small);
        QVERIFY(!SigningKey::fromPem(pem, JwsAlgorithm::RS256));
        // Exponent 1 and an even exponent are refused.
        QJsonObject e1 = publicOnly(a2PrivateJwk());
        e1.insert(QStringLiteral("e"), QStringLiteral("AQ"));
        QVERIFY(!Jwk::fromJson(e1));
        e1.insert(QStringLiteral("e"), QStringLiteral("AQAA"));
        QVERIFY(!Jwk::fromJson(e1));
    }

    void sameNameInDifferentObjectsIsFine()
    {
        QJsonObject c = baseClaims();
        c.insert(QStringLiteral("address"),
                 QJsonObject{{QStringLiteral("iss"), QStringLiteral("x")}});
        c.insert(QStringLiteral("list"), QJsonArray{QJsonObject{{QStringLiteral("a"), 1}},
                                                    QJsonObject{{QStringLiteral("a"), 2}}});
        auto r = validate(c);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
    }

    void strictBase64()
    {
        QCOMPARE(*base64UrlDecodeStrict("aGk"), QByteArrayLiteral("hi"));
        QCOMPARE(*base64UrlDecodeStrict(""), QByteArray());
        QVERIFY(!base64UrlDecodeStrict("aGk="));
        QVERIFY(!base64UrlDecodeStrict("aG k"));
        QVERIFY(!base64UrlDecodeStrict("a+/k"));
        QVERIFY(!base64UrlDecodeStrict("aGl")); // non-zero trailing bits
        QVERIFY(!base64UrlDecodeStrict("a"));   // impossible length
    }

    // ---- ID tokens -----------------------------------------------------------------------------

    void idTokenHappyPath()
    {
        QJsonObject c = baseClaims();
        c.insert(QStringLiteral("aud"), QJsonArray{m_client, QStringLiteral("other-api")});
        c.insert(QStringLiteral("azp"), m_client);
        c.insert(QStringLiteral("nbf"), nowS() - 10);
        c.insert(QStringLiteral("auth_time"), nowS() - 120);
        c.insert(QStringLiteral("amr"), QJsonArray{QStringLiteral("pwd"), QStringLiteral("otp")});
        c.insert(QStringLiteral("acr"), QStringLiteral("urn:mace:incommon:iap:silver"));
        c.insert(QStringLiteral("email"), QStringLiteral("jane@example.com"));
        c.insert(QStringLiteral("email_verified"), true);
        c.insert(QStringLiteral("name"), QStringLiteral("Jane Doe"));
        c.insert(QStringLiteral("given_name"), QStringLiteral("Jane"));
        c.insert(QStringLiteral("family_name"), QStringLiteral("Doe"));
        c.insert(QStringLiteral("groups"),
                 QJsonArray{QStringLiteral("ops-admins"), QStringLiteral("eu")});
        c.insert(QStringLiteral("tenant_role"), QStringLiteral("owner"));
        IdTokenExpectations e = expectations();
        e.maxAge = std::chrono::seconds(300);
        auto r = validateIdToken(token(c), m_set, e);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->subject, QStringLiteral("248289761001"));
        QCOMPARE(r->issuer, m_issuer);
        QCOMPARE(r->audiences, QStringList({m_client, QStringLiteral("other-api")}));
        QCOMPARE(r->authorizedParty, m_client);
        QCOMPARE(r->expiresAt, m_now.addSecs(300));
        QCOMPARE(r->issuedAt, m_now.addSecs(-5));
        QCOMPARE(r->nonce, std::optional<QString>(QStringLiteral("n-0S6_WzA2Mj")));
        QCOMPARE(r->authTime, std::optional<QDateTime>(m_now.addSecs(-120)));
        QCOMPARE(r->amr, QStringList({QStringLiteral("pwd"), QStringLiteral("otp")}));
        QCOMPARE(r->acr, QStringLiteral("urn:mace:incommon:iap:silver"));
        QCOMPARE(r->email, QStringLiteral("jane@example.com"));
        QCOMPARE(r->emailVerified, std::optional<bool>(true));
        QCOMPARE(r->name, QStringLiteral("Jane Doe"));
        QCOMPARE(r->givenName, QStringLiteral("Jane"));
        QCOMPARE(r->familyName, QStringLiteral("Doe"));
        QCOMPARE(r->groups, QStringList({QStringLiteral("ops-admins"), QStringLiteral("eu")}));
        QCOMPARE(r->payload.value(QLatin1String("tenant_role")).toString(),
                 QStringLiteral("owner"));
        QCOMPARE(r->expiresAt.timeSpec(), Qt::UTC);
    }

    void idTokenMinimal()
    {
        QJsonObject c = baseClaims();
        c.remove(QStringLiteral("nonce"));
        IdTokenExpectations e = expectations();
        e.nonce.reset();
        auto r = validateIdToken(token(c), m_set, e);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QVERIFY(!r->nonce);
        QVERIFY(!r->emailVerified);
        QVERIFY(r->groups.isEmpty());
        QVERIFY(r->authorizedParty.isEmpty());
    }

    void skewBoundaries_data()
    {
        QTest::addColumn<QString>("claim");
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<bool>("ok");
        // exp must be > now - skew (60 s).
        QTest::newRow("exp at now-skew") << QStringLiteral("exp") << qint64(-60) << false;
        QTest::newRow("exp at now-skew+1") << QStringLiteral("exp") << qint64(-59) << true;
        QTest::newRow("exp long past") << QStringLiteral("exp") << qint64(-3600) << false;
        // iat must be <= now + skew.
        QTest::newRow("iat at now+skew") << QStringLiteral("iat") << qint64(60) << true;
        QTest::newRow("iat at now+skew+1") << QStringLiteral("iat") << qint64(61) << false;
        // nbf must be <= now + skew.
        QTest::newRow("nbf at now+skew") << QStringLiteral("nbf") << qint64(60) << true;
        QTest::newRow("nbf at now+skew+1") << QStringLiteral("nbf") << qint64(61) << false;
    }
    void skewBoundaries()
    {
        QFETCH(QString, claim);
        QFETCH(qint64, offset);
        QFETCH(bool, ok);
        QJsonObject c = baseClaims();
        c.insert(claim, nowS() + offset);
        auto r = validate(c);
        QCOMPARE(r.ok(), ok);
        if (!ok) {
            QCOMPARE(r.error().code, ErrorCode::Unauthorized);
            QVERIFY2(r.error().message.contains(claim), qPrintable(r.error().message));
        }
    }

    void skewIsConfigurable()
    {
        QJsonObject c = baseClaims();
        c.insert(QStringLiteral("exp"), nowS() - 30);
        IdTokenExpectations e = expectations();
        e.allowedSkew = std::chrono::seconds(0);
        QVERIFY(!validateIdToken(token(c), m_set, e));
        e.allowedSkew = std::chrono::seconds(31);
        QVERIFY(validateIdToken(token(c), m_set, e));
    }

    void maxAge()
    {
        IdTokenExpectations e = expectations();
        e.maxAge = std::chrono::seconds(600);
        QJsonObject c = baseClaims();
        auto missing = validateIdToken(token(c), m_set, e);
        QVERIFY(!missing);
        QVERIFY(missing.error().message.contains(QLatin1String("auth_time")));
        c.insert(QStringLiteral("auth_time"), nowS() - 600 - 60); // at the edge: accepted
        QVERIFY(validateIdToken(token(c), m_set, e));
        c.insert(QStringLiteral("auth_time"), nowS() - 600 - 61);
        QVERIFY(!validateIdToken(token(c), m_set, e));
    }

    void numericDatesAreNumbers()
    {
        QJsonObject c = baseClaims();
        c.insert(QStringLiteral("exp"), QString::number(nowS() + 300));
        QVERIFY(!validate(c));
        c = baseClaims();
        c.remove(QStringLiteral("exp"));
        QVERIFY(!validate(c));
        c = baseClaims();
        c.remove(QStringLiteral("iat"));
        QVERIFY(!validate(c));
        c = baseClaims();
        c.insert(QStringLiteral("exp"), 1e300);
        QVERIFY(!validate(c));
        c = baseClaims();
        c.remove(QStringLiteral("sub"));
        QVERIFY(!validate(c));
        c = baseClaims();
        c.insert(QStringLiteral("exp"), double(nowS()) + 0.5); // fractional NumericDate
        QVERIFY(validate(c));
    }

    void emailVerifiedAsText()
    {
        QJsonObject c = baseClaims();
        c.insert(QStringLiteral("email_verified"), QStringLiteral("false"));
        c.insert(QStringLiteral("groups"), QStringLiteral("single"));
        auto r = validate(c);
        QVERIFY(r);
        QCOMPARE(r->emailVerified, std::optional<bool>(false));
        QCOMPARE(r->groups, QStringList{QStringLiteral("single")});
    }

    // ---- private_key_jwt, publishing, threads --------------------------------------------------

    void clientAssertion()
    {
        auto key = SigningKey::generate(JwsAlgorithm::ES256, QStringLiteral("client-key-1"));
        QVERIFY(key);
        const QString endpoint = QStringLiteral("https://idp.example.com/oauth2/token");
        auto a = buildClientAssertion(*key, m_client, endpoint, m_now);
        QVERIFY2(a, a ? "" : qPrintable(a.error().message));
        auto jwt = verifyJwt(*a, JwkSet({key->verificationKey()}), JwsAlgorithm::ES256);
        QVERIFY2(jwt, jwt ? "" : qPrintable(jwt.error().message));
        QCOMPARE(jwt->header.value(QLatin1String("kid")).toString(),
                 QStringLiteral("client-key-1"));
        QCOMPARE(jwt->header.value(QLatin1String("typ")).toString(), QStringLiteral("JWT"));
        const QJsonObject &c = jwt->claims;
        QCOMPARE(c.value(QLatin1String("iss")).toString(), m_client);
        QCOMPARE(c.value(QLatin1String("sub")).toString(), m_client);
        QCOMPARE(c.value(QLatin1String("aud")).toString(), endpoint);
        QCOMPARE(c.value(QLatin1String("iat")).toInteger(), nowS());
        QCOMPARE(c.value(QLatin1String("exp")).toInteger(), nowS() + 60);
        QVERIFY(c.value(QLatin1String("jti")).toString().size() >= 22);
        auto b = buildClientAssertion(*key, m_client, endpoint, m_now);
        QVERIFY(verifyJwt(*b, JwkSet({key->verificationKey()}), JwsAlgorithm::ES256)
                    ->claims.value(QLatin1String("jti")) != c.value(QLatin1String("jti")));
        QVERIFY(!buildClientAssertion(*key, QString(), endpoint, m_now));
    }

    void publishedJwksVerifiesOurTokens()
    {
        auto ec = SigningKey::generate(JwsAlgorithm::ES256);
        auto ed = SigningKey::generate(JwsAlgorithm::EdDSA);
        QVERIFY(ec && ed);
        QCOMPARE(ec->kid(), QString::fromLatin1(ec->thumbprint())); // kid defaults to thumbprint
        const JwkSet ours({m_rsa.verificationKey(), ec->verificationKey(), ed->verificationKey()});
        const QByteArray published = ours.toJson();
        QVERIFY(!published.contains("\"d\""));
        auto parsed = JwkSet::parse(published);
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
        QCOMPARE(parsed->size(), 3);
        QVERIFY(verifyJws(*signJws("x", m_rsa), *parsed, JwsAlgorithm::RS256));
        QVERIFY(verifyJws(*signJws("x", *ec), *parsed, JwsAlgorithm::ES256));
        QVERIFY(verifyJws(*signJws("x", *ed), *parsed, JwsAlgorithm::EdDSA));
    }

    void tokenWithoutKidTriesEachCandidate()
    {
        auto other = SigningKey::generate(JwsAlgorithm::RS256);
        QVERIFY(other);
        const JwkSet set({other->verificationKey(), m_rsa.verificationKey()});
        const QByteArray t =
            signRaw(m_rsa, QByteArrayLiteral("{\"alg\":\"RS256\"}"), json(baseClaims()));
        auto r = validateIdToken(t, set, expectations());
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
    }

    void sharedSetAcrossThreads()
    {
        const QByteArray t = token(baseClaims());
        const IdTokenExpectations e = expectations();
        std::atomic<int> good{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < 4; ++i)
            threads.emplace_back([&] {
                for (int k = 0; k < 100; ++k)
                    if (validateIdToken(t, m_set, e))
                        ++good;
            });
        for (std::thread &th : threads)
            th.join();
        QCOMPARE(good.load(), 400);
    }
};

QTEST_GUILESS_MAIN(JoseTest)
#include "test_jose.moc"
