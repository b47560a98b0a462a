// Attacks on the JOSE layer: "none" in every case, HS256 keyed with the RSA public key (PEM, DER,
// JWK n), algorithm switching against a pinned connection, kid games, foreign and embedded keys
// (jwk/jku/x5u headers), tampering, malformed encodings and sizes, crit/b64, and every ID token
// claim check. Each case must be rejected; the error code and the check it names are asserted.
#include "jose_testkeys.h"

#include <QJsonArray>
#include <QTest>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

using namespace upcoach;
using namespace upcoach::identity;
using namespace jose_test;

Q_DECLARE_METATYPE(upcoach::identity::JwsAlgorithm)
Q_DECLARE_METATYPE(upcoach::ErrorCode)

class JoseAttackTest : public QObject
{
    Q_OBJECT

private:
    SigningKey m_rsa;      // the IdP's RS256 key, kid "rsa-1"
    SigningKey m_ec;       // the IdP's ES256 key, kid "ec-1"
    SigningKey m_attacker; // an RSA key the IdP never published, kid "rsa-1" too
    JwkSet m_set;
    const QDateTime m_now = QDateTime(QDate(2026, 11, 24), QTime(10, 0), Qt::UTC);
    const QString m_issuer = QStringLiteral("https://idp.example.com");
    const QString m_client = QStringLiteral("upcoach-ops");
    const QString m_nonce = QStringLiteral("Zk9_secret-nonce-value_31");

    qint64 nowS() const { return m_now.toSecsSinceEpoch(); }
    QJsonObject claims() const
    {
        return QJsonObject{
            {QStringLiteral("iss"), m_issuer},   {QStringLiteral("sub"), QStringLiteral("u-1")},
            {QStringLiteral("aud"), m_client},   {QStringLiteral("exp"), nowS() + 300},
            {QStringLiteral("iat"), nowS() - 5}, {QStringLiteral("nonce"), m_nonce},
        };
    }
    IdTokenExpectations expect() const
    {
        IdTokenExpectations e;
        e.issuer = m_issuer;
        e.clientId = m_client;
        e.algorithm = JwsAlgorithm::RS256;
        e.nonce = m_nonce;
        e.now = m_now;
        return e;
    }
    static QByteArray header(const char *alg, const char *kid = "rsa-1")
    {
        QJsonObject h{{QStringLiteral("alg"), QString::fromLatin1(alg)}};
        if (kid)
            h.insert(QStringLiteral("kid"), QString::fromLatin1(kid));
        return json(h);
    }
    // A JWT signed by the real key with a hand-written header.
    QByteArray withHeader(const QJsonObject &h, const QJsonObject &c) const
    {
        return signRaw(m_rsa, json(h), json(c));
    }
    QByteArray good() const { return *signJwt(claims(), m_rsa); }

    void expectRejected(const Result<IdTokenClaims> &r, ErrorCode code, const char *mentions)
    {
        QVERIFY2(!r, "an attack token was accepted");
        QCOMPARE(r.error().code, code);
        QVERIFY2(r.error().message.contains(QLatin1String(mentions)),
                 qPrintable(r.error().message));
        // Messages never echo a secret claim value.
        QVERIFY(!r.error().message.contains(m_nonce));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_rsa = *SigningKey::generate(JwsAlgorithm::RS256, QStringLiteral("rsa-1"));
        m_ec = *SigningKey::generate(JwsAlgorithm::ES256, QStringLiteral("ec-1"));
        m_attacker = *SigningKey::generate(JwsAlgorithm::RS256, QStringLiteral("rsa-1"));
        m_set = JwkSet({m_rsa.verificationKey(), m_ec.verificationKey()});
        auto sanity = validateIdToken(good(), m_set, expect());
        QVERIFY2(sanity, sanity ? "" : qPrintable(sanity.error().message));
    }

    void algNone_data()
    {
        QTest::addColumn<QByteArray>("alg");
        QTest::addColumn<QByteArray>("signature");
        for (const char *alg : {"none", "None", "NONE", "nOnE"}) {
            QTest::newRow(QByteArray(QByteArray(alg) + " empty").constData())
                << QByteArray(alg) << QByteArray();
            QTest::newRow(QByteArray(QByteArray(alg) + " signed").constData())
                << QByteArray(alg) << QByteArrayLiteral("not-a-signature-but-present");
        }
    }
    void algNone()
    {
        QFETCH(QByteArray, alg);
        QFETCH(QByteArray, signature);
        for (const char *kid : {"rsa-1", static_cast<const char *>(nullptr)}) {
            const QByteArray t = forge(header(alg.constData(), kid), json(claims()), signature);
            expectRejected(validateIdToken(t, m_set, expect()), ErrorCode::Unauthorized, "none");
            // Whatever the pin, including HS256 with a secret in the set.
            const JwkSet secrets({*Jwk::fromSecret(QByteArray(32, 's'), QStringLiteral("rsa-1"))});
            for (JwsAlgorithm pin : {JwsAlgorithm::HS256, JwsAlgorithm::EdDSA}) {
                auto r = verifyJws(t, secrets, pin);
                QVERIFY(!r);
                QCOMPARE(r.error().code, ErrorCode::Unauthorized);
            }
        }
    }

    void hmacKeyedWithPublicKey_data()
    {
        QTest::addColumn<QByteArray>("secret");
        const QJsonObject pub = m_rsa.publicJwk();
        EVP_PKEY *pkey = nullptr;
        {
            const QByteArray pem = *m_rsa.privateKeyPem();
            BIO *in = BIO_new_mem_buf(pem.constData(), int(pem.size()));
            pkey = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
            BIO_free(in);
        }
        BIO *out = BIO_new(BIO_s_mem());
        PEM_write_bio_PUBKEY(out, pkey);
        char *data = nullptr;
        const long len = BIO_get_mem_data(out, &data);
        const QByteArray pubPem(data, qsizetype(len));
        BIO_free(out);
        unsigned char *der = nullptr;
        const int derLen = i2d_PUBKEY(pkey, &der);
        const QByteArray pubDer(reinterpret_cast<const char *>(der), derLen);
        OPENSSL_free(der);
        EVP_PKEY_free(pkey);
        QVERIFY(pubPem.startsWith("-----BEGIN PUBLIC KEY-----"));
        QTest::newRow("PEM") << pubPem;
        QTest::newRow("PEM without newline") << pubPem.trimmed();
        QTest::newRow("DER") << pubDer;
        QTest::newRow("JWK n bytes")
            << *base64UrlDecodeStrict(pub.value(QLatin1String("n")).toString().toLatin1());
        QTest::newRow("JWK n text") << pub.value(QLatin1String("n")).toString().toLatin1();
        QTest::newRow("JWK JSON") << json(pub);
    }
    void hmacKeyedWithPublicKey()
    {
        QFETCH(QByteArray, secret);
        for (const char *kid : {"rsa-1", static_cast<const char *>(nullptr)}) {
            const QByteArray input = b64(header("HS256", kid)) + '.' + b64(json(claims()));
            const QByteArray t = input + '.' + b64(hmac("SHA256", secret, input));
            // Pinned RS256: the alg does not match the pin.
            expectRejected(validateIdToken(t, m_set, expect()), ErrorCode::Unauthorized,
                           "pinned RS256");
            // Pinned HS256 but the set holds only public keys: no key may act as an HMAC secret.
            IdTokenExpectations e = expect();
            e.algorithm = JwsAlgorithm::HS256;
            auto r = validateIdToken(t, m_set, e);
            QVERIFY(!r);
            QCOMPARE(r.error().code, ErrorCode::Unauthorized);
            QVERIFY2(r.error().message.contains(kid ? QLatin1String("cannot be used with HS256")
                                                    : QLatin1String("no key for HS256")),
                     qPrintable(r.error().message));
            // Even parsed from a JWKS the public key never becomes a secret.
            auto parsed = JwkSet::parse(m_set.toJson());
            QVERIFY(parsed);
            QVERIFY(!validateIdToken(t, *parsed, e));
        }
    }

    void algSwitchAgainstPin_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<JwsAlgorithm>("pin");
        QTest::addColumn<QString>("mentions");
        auto ps = SigningKey::fromPem(*m_rsa.privateKeyPem(), JwsAlgorithm::PS256,
                                      QStringLiteral("rsa-1"));
        auto rs512 = SigningKey::fromPem(*m_rsa.privateKeyPem(), JwsAlgorithm::RS512,
                                         QStringLiteral("rsa-1"));
        QTest::newRow("PS256 same RSA key, RS256 pinned")
            << *signJwt(claims(), *ps) << JwsAlgorithm::RS256 << QStringLiteral("pinned RS256");
        QTest::newRow("RS512 same RSA key, RS256 pinned")
            << *signJwt(claims(), *rs512) << JwsAlgorithm::RS256 << QStringLiteral("pinned RS256");
        QTest::newRow("ES256 EC key, RS256 pinned")
            << *signJwt(claims(), m_ec) << JwsAlgorithm::RS256 << QStringLiteral("pinned RS256");
        QTest::newRow("RS256 token, ES256 pinned")
            << good() << JwsAlgorithm::ES256 << QStringLiteral("pinned ES256");
        QTest::newRow("lower-case rs256") << signRaw(m_rsa, header("rs256"), json(claims()))
                                          << JwsAlgorithm::RS256 << QStringLiteral("pinned RS256");
        QTest::newRow("RS256 with trailing space")
            << signRaw(m_rsa, header("RS256 "), json(claims())) << JwsAlgorithm::RS256
            << QStringLiteral("pinned RS256");
        // The header says RS256 but the kid is the EC key.
        QTest::newRow("kid of EC key with RS256")
            << signRaw(m_rsa, header("RS256", "ec-1"), json(claims())) << JwsAlgorithm::RS256
            << QStringLiteral("cannot be used with RS256");
        QTest::newRow("kid of RSA key with ES256")
            << signRaw(m_ec, header("ES256", "rsa-1"), json(claims())) << JwsAlgorithm::ES256
            << QStringLiteral("cannot be used with ES256");
    }
    void algSwitchAgainstPin()
    {
        QFETCH(QByteArray, token);
        QFETCH(JwsAlgorithm, pin);
        QFETCH(QString, mentions);
        IdTokenExpectations e = expect();
        e.algorithm = pin;
        auto r = validateIdToken(token, m_set, e);
        QVERIFY2(!r, "accepted");
        QCOMPARE(r.error().code, ErrorCode::Unauthorized);
        QVERIFY2(r.error().message.contains(mentions), qPrintable(r.error().message));
    }

    void unknownKidIsNotFound()
    {
        const QByteArray t = signRaw(m_rsa, header("RS256", "rotated-2027"), json(claims()));
        auto r = validateIdToken(t, m_set, expect());
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::NotFound);
        // An empty set: NotFound with a kid, Unauthorized without.
        QCOMPARE(validateIdToken(good(), JwkSet(), expect()).error().code, ErrorCode::NotFound);
        const QByteArray noKid = signRaw(m_rsa, header("RS256", nullptr), json(claims()));
        QCOMPARE(validateIdToken(noKid, JwkSet(), expect()).error().code, ErrorCode::Unauthorized);
        // kid must be a string.
        const QByteArray numericKid =
            signRaw(m_rsa, QByteArrayLiteral("{\"alg\":\"RS256\",\"kid\":1}"), json(claims()));
        QCOMPARE(validateIdToken(numericKid, m_set, expect()).error().code,
                 ErrorCode::InvalidInput);
    }

    void foreignKeys_data()
    {
        QTest::addColumn<QByteArray>("token");
        // The attacker's key under the IdP's kid, and without a kid.
        QTest::newRow("other RSA key, same kid") << *signJwt(claims(), m_attacker);
        QTest::newRow("other RSA key, no kid")
            << signRaw(m_attacker, header("RS256", nullptr), json(claims()));
        // Embedded and remote key references are ignored: keys come only from the configured set.
        QJsonObject embedded{{QStringLiteral("alg"), QStringLiteral("RS256")},
                             {QStringLiteral("jwk"), m_attacker.publicJwk()}};
        QTest::newRow("jwk header") << signRaw(m_attacker, json(embedded), json(claims()));
        QJsonObject jku{{QStringLiteral("alg"), QStringLiteral("RS256")},
                        {QStringLiteral("kid"), QStringLiteral("evil")},
                        {QStringLiteral("jku"), QStringLiteral("https://evil.example/jwks.json")}};
        QTest::newRow("jku header") << signRaw(m_attacker, json(jku), json(claims()));
        QJsonObject x5u{{QStringLiteral("alg"), QStringLiteral("RS256")},
                        {QStringLiteral("x5u"), QStringLiteral("https://evil.example/cert.pem")}};
        QTest::newRow("x5u header") << signRaw(m_attacker, json(x5u), json(claims()));
    }
    void foreignKeys()
    {
        QFETCH(QByteArray, token);
        auto r = validateIdToken(token, m_set, expect());
        QVERIFY2(!r, "a token signed by a key outside the set was accepted");
        QVERIFY(r.error().code == ErrorCode::Unauthorized || r.error().code == ErrorCode::NotFound);
    }

    void remoteKeyHeadersAreIgnoredNotFetched()
    {
        // A genuine token carrying jku/x5u/jwk verifies with the configured key: the headers are
        // neither fetched nor trusted, and they do not change which key is used.
        QJsonObject h{{QStringLiteral("alg"), QStringLiteral("RS256")},
                      {QStringLiteral("kid"), QStringLiteral("rsa-1")},
                      {QStringLiteral("jku"), QStringLiteral("https://evil.example/jwks.json")},
                      {QStringLiteral("x5u"), QStringLiteral("https://evil.example/cert.pem")},
                      {QStringLiteral("jwk"), m_attacker.publicJwk()}};
        auto r = validateIdToken(withHeader(h, claims()), m_set, expect());
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
    }

    void tampering()
    {
        const QByteArray t = good();
        const QList<QByteArray> parts = t.split('.');
        QJsonObject changed = claims();
        changed.insert(QStringLiteral("sub"), QStringLiteral("admin"));
        const QByteArray swapped = parts[0] + '.' + b64(json(changed)) + '.' + parts[2];
        expectRejected(validateIdToken(swapped, m_set, expect()), ErrorCode::Unauthorized,
                       "signature");
        // Signature of another token.
        const QByteArray other = *signJwt(changed, m_rsa);
        const QByteArray mixed = parts[0] + '.' + parts[1] + '.' + other.split('.')[2];
        expectRejected(validateIdToken(mixed, m_set, expect()), ErrorCode::Unauthorized,
                       "signature");
        // Truncated and empty signatures.
        expectRejected(
            validateIdToken(QByteArray(parts[0] + '.' + parts[1] + '.' + parts[2].left(40)), m_set,
                            expect()),
            ErrorCode::Unauthorized, "signature");
        expectRejected(
            validateIdToken(QByteArray(parts[0] + '.' + parts[1] + '.'), m_set, expect()),
            ErrorCode::Unauthorized, "signature");
    }

    void ecdsaDerSignatureRefused()
    {
        // The same ECDSA signature in DER (what OpenSSL emits natively) instead of R||S.
        const QByteArray t = *signJwt(claims(), m_ec);
        const QByteArray raw = *base64UrlDecodeStrict(t.mid(t.lastIndexOf('.') + 1));
        QCOMPARE(raw.size(), 64);
        auto derFrom = [](const QByteArray &rs) -> QByteArray {
            auto integer = [](QByteArray v) -> QByteArray {
                while (v.size() > 1 && v.at(0) == '\0' && !(quint8(v.at(1)) & 0x80))
                    v.remove(0, 1);
                if (quint8(v.at(0)) & 0x80)
                    v.prepend('\0');
                return QByteArray(1, '\x02') + char(v.size()) + v;
            };
            const QByteArray body = integer(rs.left(32)) + integer(rs.mid(32));
            return QByteArray(1, '\x30') + char(body.size()) + body;
        };
        const QByteArray derToken = t.left(t.lastIndexOf('.') + 1) + b64(derFrom(raw));
        IdTokenExpectations e = expect();
        e.algorithm = JwsAlgorithm::ES256;
        QVERIFY(validateIdToken(t, m_set, e)); // sanity: the R||S form verifies
        expectRejected(validateIdToken(derToken, m_set, e), ErrorCode::Unauthorized, "signature");
    }

    void claimChecks_data()
    {
        QTest::addColumn<QString>("claim");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("mentions");
        const QJsonValue remove(QJsonValue::Undefined); // the claim is removed
        QTest::newRow("expired") << QStringLiteral("exp") << QJsonValue(nowS() - 3600)
                                 << QStringLiteral("exp");
        QTest::newRow("nbf in the future")
            << QStringLiteral("nbf") << QJsonValue(nowS() + 3600) << QStringLiteral("nbf");
        QTest::newRow("iat far in the future")
            << QStringLiteral("iat") << QJsonValue(nowS() + 86400) << QStringLiteral("iat");
        QTest::newRow("iss with trailing slash")
            << QStringLiteral("iss") << QJsonValue(QStringLiteral("https://idp.example.com/"))
            << QStringLiteral("iss");
        QTest::newRow("iss prefix")
            << QStringLiteral("iss") << QJsonValue(QStringLiteral("https://idp.example.co"))
            << QStringLiteral("iss");
        QTest::newRow("iss suffix domain")
            << QStringLiteral("iss")
            << QJsonValue(QStringLiteral("https://idp.example.com.evil.io"))
            << QStringLiteral("iss");
        QTest::newRow("iss other case")
            << QStringLiteral("iss") << QJsonValue(QStringLiteral("https://IDP.example.com"))
            << QStringLiteral("iss");
        QTest::newRow("iss http") << QStringLiteral("iss")
                                  << QJsonValue(QStringLiteral("http://idp.example.com"))
                                  << QStringLiteral("iss");
        QTest::newRow("iss as array")
            << QStringLiteral("iss")
            << QJsonValue(QJsonArray{QStringLiteral("https://idp.example.com")})
            << QStringLiteral("iss");
        QTest::newRow("iss missing") << QStringLiteral("iss") << remove << QStringLiteral("iss");
        QTest::newRow("wrong aud")
            << QStringLiteral("aud") << QJsonValue(QStringLiteral("another-client"))
            << QStringLiteral("aud");
        QTest::newRow("aud prefix")
            << QStringLiteral("aud") << QJsonValue(QStringLiteral("upcoach"))
            << QStringLiteral("aud");
        QTest::newRow("aud empty array")
            << QStringLiteral("aud") << QJsonValue(QJsonArray()) << QStringLiteral("aud");
        QTest::newRow("aud number")
            << QStringLiteral("aud") << QJsonValue(7) << QStringLiteral("aud");
        QTest::newRow("aud missing") << QStringLiteral("aud") << remove << QStringLiteral("aud");
        QTest::newRow("aud array with another, no azp")
            << QStringLiteral("aud")
            << QJsonValue(QJsonArray{QStringLiteral("upcoach-ops"), QStringLiteral("evil-client")})
            << QStringLiteral("azp is missing");
        QTest::newRow("azp mismatch")
            << QStringLiteral("azp") << QJsonValue(QStringLiteral("evil-client"))
            << QStringLiteral("azp");
        QTest::newRow("azp not a string")
            << QStringLiteral("azp") << QJsonValue(true) << QStringLiteral("azp");
        QTest::newRow("nonce mismatch")
            << QStringLiteral("nonce") << QJsonValue(QStringLiteral("Zk9_secret-nonce-value_32"))
            << QStringLiteral("nonce does not match");
        QTest::newRow("nonce prefix")
            << QStringLiteral("nonce") << QJsonValue(QStringLiteral("Zk9_secret-nonce-value_3"))
            << QStringLiteral("nonce does not match");
        QTest::newRow("nonce missing")
            << QStringLiteral("nonce") << remove << QStringLiteral("nonce is missing");
        QTest::newRow("nonce not a string")
            << QStringLiteral("nonce") << QJsonValue(31) << QStringLiteral("nonce");
        QTest::newRow("sub empty")
            << QStringLiteral("sub") << QJsonValue(QString()) << QStringLiteral("sub");
        QTest::newRow("sub too long")
            << QStringLiteral("sub") << QJsonValue(QString(256, QLatin1Char('a')))
            << QStringLiteral("sub");
        QTest::newRow("exp as string")
            << QStringLiteral("exp") << QJsonValue(QString::number(nowS() + 300))
            << QStringLiteral("exp");
        QTest::newRow("exp negative")
            << QStringLiteral("exp") << QJsonValue(-1) << QStringLiteral("exp");
    }
    void claimChecks()
    {
        QFETCH(QString, claim);
        QFETCH(QJsonValue, value);
        QFETCH(QString, mentions);
        QJsonObject c = claims();
        if (value.isUndefined())
            c.remove(claim);
        else
            c.insert(claim, value);
        const QByteArray t = *signJwt(c, m_rsa);
        auto r = validateIdToken(t, m_set, expect());
        QVERIFY2(!r, "accepted");
        QCOMPARE(r.error().code, ErrorCode::Unauthorized);
        QVERIFY2(r.error().message.contains(mentions), qPrintable(r.error().message));
        QVERIFY(!r.error().message.contains(m_nonce));
        QVERIFY(!r.error().message.contains(QString::fromLatin1(t.left(20))));
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<ErrorCode>("code");
        const QByteArray t = good();
        const QList<QByteArray> p = t.split('.');
        QTest::newRow("padding in header")
            << QByteArray(p[0] + "=." + p[1] + '.' + p[2]) << ErrorCode::InvalidInput;
        QTest::newRow("padding in signature")
            << QByteArray(p[0] + '.' + p[1] + '.' + p[2] + "==") << ErrorCode::InvalidInput;
        QByteArray plus = t;
        plus.replace('-', '+').replace('_', '/');
        if (plus == t) // no '-' or '_' happened to occur: force one
            plus = p[0] + '.' + p[1] + '.' + p[2].left(4) + '+' + p[2].mid(5);
        QTest::newRow("'+' and '/'") << plus << ErrorCode::InvalidInput;
        QTest::newRow("'+' in signature")
            << QByteArray(p[0] + '.' + p[1] + '.' + p[2].left(4) + '+' + p[2].mid(5))
            << ErrorCode::InvalidInput;
        QTest::newRow("'/' in payload")
            << QByteArray(p[0] + '.' + p[1].left(4) + '/' + p[1].mid(5) + '.' + p[2])
            << ErrorCode::InvalidInput;
        QTest::newRow("space") << QByteArray(p[0] + '.' + p[1].left(8) + ' ' + p[1].mid(8) + '.' +
                                             p[2])
                               << ErrorCode::InvalidInput;
        QTest::newRow("newline") << QByteArray(p[0] + '.' + p[1] + ".\n" + p[2])
                                 << ErrorCode::InvalidInput;
        QTest::newRow("trailing newline") << QByteArray(t + '\n') << ErrorCode::InvalidInput;
        QTest::newRow("2 segments") << QByteArray(p[0] + '.' + p[1]) << ErrorCode::InvalidInput;
        QTest::newRow("4 segments") << QByteArray(t + '.' + p[2]) << ErrorCode::InvalidInput;
        QTest::newRow("JWE-like 5 segments") << QByteArray(t + ".a.b") << ErrorCode::InvalidInput;
        QTest::newRow("empty") << QByteArray() << ErrorCode::InvalidInput;
        QTest::newRow("dots only") << QByteArrayLiteral("..") << ErrorCode::InvalidInput;
        QTest::newRow("oversized")
            << QByteArray(t + '.' + QByteArray(16 * 1024, 'A')) << ErrorCode::InvalidInput;
        QTest::newRow("oversized 3 segments")
            << QByteArray(p[0] + '.' + b64(QByteArray(13 * 1024, 'x')) + '.' + p[2])
            << ErrorCode::InvalidInput;
        QTest::newRow("header array")
            << forge("[\"RS256\"]", json(claims()), "s") << ErrorCode::InvalidInput;
        QTest::newRow("header string")
            << forge("\"RS256\"", json(claims()), "s") << ErrorCode::InvalidInput;
        QTest::newRow("header null")
            << forge("null", json(claims()), "s") << ErrorCode::InvalidInput;
        QTest::newRow("header not JSON")
            << forge("{alg:RS256}", json(claims()), "s") << ErrorCode::InvalidInput;
        QTest::newRow("header trailing garbage")
            << forge("{\"alg\":\"RS256\"}x", json(claims()), "s") << ErrorCode::InvalidInput;
        QTest::newRow("header invalid UTF-8")
            << forge("{\"alg\":\"RS256\",\"x\":\"\xff\"}", json(claims()), "s")
            << ErrorCode::InvalidInput;
        // Duplicate members: QJsonDocument would keep the last "alg"; we refuse the token.
        QTest::newRow("duplicate alg")
            << signRaw(m_rsa, "{\"alg\":\"none\",\"alg\":\"RS256\",\"kid\":\"rsa-1\"}",
                       json(claims()))
            << ErrorCode::InvalidInput;
        QTest::newRow("duplicate alg spelled with an escape")
            << signRaw(m_rsa, "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"\\u0061lg\":\"none\"}",
                       json(claims()))
            << ErrorCode::InvalidInput;
        QTest::newRow("duplicate in a nested object (signed)")
            << signRaw(m_rsa, header("RS256"),
                       json(claims()).chopped(1) + ",\"x\":{\"a\":1,\"b\":{\"a\":2},\"a\":3}}")
            << ErrorCode::InvalidInput;
        QTest::newRow("duplicate claim (signed)")
            << signRaw(m_rsa, header("RS256"), json(claims()).chopped(1) + ",\"sub\":\"admin\"}")
            << ErrorCode::InvalidInput;
        QTest::newRow("payload not an object (signed)")
            << signRaw(m_rsa, header("RS256"), "[1,2]") << ErrorCode::InvalidInput;
        QTest::newRow("alg missing")
            << forge("{\"kid\":\"rsa-1\"}", json(claims()), "s") << ErrorCode::InvalidInput;
        QTest::newRow("alg not a string")
            << forge("{\"alg\":256}", json(claims()), "s") << ErrorCode::InvalidInput;
        QByteArray deep;
        for (int i = 0; i < 40; ++i)
            deep += "{\"a\":";
        deep += "1";
        for (int i = 0; i < 40; ++i)
            deep += "}";
        QTest::newRow("deep nesting (signed)")
            << signRaw(m_rsa, header("RS256"), deep) << ErrorCode::InvalidInput;
        // A 256-byte signature ends in a character carrying 2 bits and 4 zero bits; 'B' or 'C'
        // there sets a trailing bit (a second encoding of the same bytes).
        QTest::newRow("non-canonical base64 tail")
            << QByteArray(p[0] + '.' + p[1] + '.' + p[2].chopped(1) +
                          (p[2].endsWith('B') ? 'C' : 'B'))
            << ErrorCode::InvalidInput;
    }
    void malformed()
    {
        QFETCH(QByteArray, token);
        QFETCH(ErrorCode, code);
        auto r = validateIdToken(token, m_set, expect());
        QVERIFY2(!r, "a malformed token was accepted");
        QCOMPARE(r.error().code, code);
    }

    void critAndB64()
    {
        QJsonObject h{{QStringLiteral("alg"), QStringLiteral("RS256")},
                      {QStringLiteral("kid"), QStringLiteral("rsa-1")},
                      {QStringLiteral("crit"), QJsonArray{QStringLiteral("urn:example:ext")}},
                      {QStringLiteral("urn:example:ext"), true}};
        expectRejected(validateIdToken(withHeader(h, claims()), m_set, expect()),
                       ErrorCode::Unauthorized, "crit");
        h.insert(QStringLiteral("crit"), QJsonArray{QStringLiteral("exp")});
        expectRejected(validateIdToken(withHeader(h, claims()), m_set, expect()),
                       ErrorCode::Unauthorized, "crit");
        h.insert(QStringLiteral("crit"), QJsonArray());
        expectRejected(validateIdToken(withHeader(h, claims()), m_set, expect()),
                       ErrorCode::Unauthorized, "crit");
        QJsonObject b64Header{{QStringLiteral("alg"), QStringLiteral("RS256")},
                              {QStringLiteral("kid"), QStringLiteral("rsa-1")},
                              {QStringLiteral("b64"), false},
                              {QStringLiteral("crit"), QJsonArray{QStringLiteral("b64")}}};
        expectRejected(validateIdToken(withHeader(b64Header, claims()), m_set, expect()),
                       ErrorCode::Unauthorized, "");
        b64Header.remove(QStringLiteral("crit"));
        expectRejected(validateIdToken(withHeader(b64Header, claims()), m_set, expect()),
                       ErrorCode::Unauthorized, "b64");
    }

    void accessTokenTypeRefused()
    {
        QJsonObject h{{QStringLiteral("alg"), QStringLiteral("RS256")},
                      {QStringLiteral("kid"), QStringLiteral("rsa-1")},
                      {QStringLiteral("typ"), QStringLiteral("at+jwt")}};
        expectRejected(validateIdToken(withHeader(h, claims()), m_set, expect()),
                       ErrorCode::Unauthorized, "typ");
        h.insert(QStringLiteral("typ"), QStringLiteral("jwt")); // media types are case-insensitive
        QVERIFY(validateIdToken(withHeader(h, claims()), m_set, expect()));
    }

    void hmacConnection()
    {
        // A genuine HS256 connection (client_secret as the key): the right secret verifies, a
        // truncated MAC or another secret does not, and the secret never leaks into the JWKS.
        const QByteArray secret(48, 'k');
        auto key = SigningKey::fromSecret(secret, JwsAlgorithm::HS256);
        QVERIFY(key);
        const JwkSet set({key->verificationKey()});
        IdTokenExpectations e = expect();
        e.algorithm = JwsAlgorithm::HS256;
        const QByteArray t = *signJwt(claims(), *key);
        QVERIFY(validateIdToken(t, set, e));
        const QByteArray truncated =
            t.left(t.lastIndexOf('.') + 1) +
            b64(base64UrlDecodeStrict(t.mid(t.lastIndexOf('.') + 1))->left(16));
        expectRejected(validateIdToken(truncated, set, e), ErrorCode::Unauthorized, "signature");
        auto otherKey = SigningKey::fromSecret(QByteArray(48, 'j'), JwsAlgorithm::HS256);
        expectRejected(validateIdToken(*signJwt(claims(), *otherKey), set, e),
                       ErrorCode::Unauthorized, "signature");
        QCOMPARE(set.toJson(), QByteArrayLiteral("{\"keys\":[]}"));
        // The secret set cannot be used for RS256 either.
        expectRejected(validateIdToken(signRaw(m_rsa, header("RS256", nullptr), json(claims())),
                                       set, expect()),
                       ErrorCode::Unauthorized, "no key for RS256");
    }
};

QTEST_GUILESS_MAIN(JoseAttackTest)
#include "test_jose_attacks.moc"
