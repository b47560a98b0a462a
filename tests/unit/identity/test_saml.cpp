// The SAML SP library against responses our test IdP signs with libxmlsec1: what a good
// response yields, the connection options, encrypted assertions, metadata and AuthnRequests.
#include "samlforge.h"
#include "upcoach/identity/saml.h"

#include <QTest>
#include <QUrlQuery>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

using namespace upcoach;
using namespace upcoach::identity;
using upcoach::testing::ForgedResponse;

class SamlTest : public QObject
{
    Q_OBJECT

private:
    SamlKeyPair m_sp;
    SamlKeyPair m_idp;
    SamlKeyPair m_idp2;
    QDateTime m_now = QDateTime(QDate(2026, 11, 24), QTime(10, 0), Qt::UTC);

    SamlServiceProvider sp() const
    {
        SamlServiceProvider s;
        s.entityId = QStringLiteral("https://ops.example.test/sso/saml/acme/metadata");
        s.acsUrl = QStringLiteral("https://ops.example.test/sso/saml/acme/acs");
        s.certificatePem = m_sp.certificatePem;
        s.privateKeyPem = m_sp.privateKeyPem;
        return s;
    }
    SamlIdentityProvider idp() const
    {
        SamlIdentityProvider i;
        i.entityId = QStringLiteral("https://idp.example.test/metadata");
        i.ssoRedirectUrl = QUrl(QStringLiteral("https://idp.example.test/sso?tenant=acme"));
        i.certificatesPem = {m_idp.certificatePem};
        return i;
    }
    ForgedResponse response() const
    {
        ForgedResponse r;
        r.spEntityId = sp().entityId;
        r.acsUrl = sp().acsUrl;
        r.now = m_now;
        r.inResponseTo = QStringLiteral("_req1");
        return r;
    }
    SamlCheck check(std::optional<QString> request = QStringLiteral("_req1")) const
    {
        SamlCheck c;
        c.now = m_now.addSecs(5);
        c.inResponseTo = request;
        return c;
    }
    QByteArray encoded(const ForgedResponse &r, const SamlKeyPair &key) const
    {
        return upcoach::testing::forgeResponseXml(r, key.privateKeyPem, key.certificatePem)
            .toBase64();
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto sp = generateSamlKeyPair(QStringLiteral("sp"));
        auto idp = generateSamlKeyPair(QStringLiteral("idp"));
        auto idp2 = generateSamlKeyPair(QStringLiteral("idp-next"));
        QVERIFY(sp && idp && idp2);
        m_sp = *sp;
        m_idp = *idp;
        m_idp2 = *idp2;
    }

    void aSignedAssertionYieldsTheSubjectAndAttributes()
    {
        auto result = validateSamlResponse(encoded(response(), m_idp), sp(), idp(), check());
        QVERIFY2(result, result ? "" : qPrintable(result.error().message));
        QCOMPARE(result->nameId, QStringLiteral("ada@example.com"));
        QCOMPARE(result->issuer, QStringLiteral("https://idp.example.test/metadata"));
        QCOMPARE(result->assertionId, QStringLiteral("_a0c7e5f1d2b34c0e9c1f"));
        QCOMPARE(result->attributes.value(QStringLiteral("groups")),
                 QStringList{QStringLiteral("coaches")});
        QCOMPARE(
            result->authnContextClassRef,
            QStringLiteral("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"));
        QVERIFY(result->assertionSigned);
        QVERIFY(!result->responseSigned);
        QCOMPARE(result->inResponseTo, std::optional<QString>(QStringLiteral("_req1")));
        QCOMPARE(result->replayKey.size(), 32);
        QCOMPARE(result->replayUntil, m_now.addSecs(300 + 120));
    }

    void lineBreaksInTheBase64AreTolerated()
    {
        QByteArray wrapped;
        const QByteArray flat = encoded(response(), m_idp);
        for (qsizetype i = 0; i < flat.size(); i += 76)
            wrapped += flat.mid(i, 76) + "\r\n";
        QVERIFY(validateSamlResponse(wrapped, sp(), idp(), check()));
    }

    void aSignedResponseAloneNeedsTheConnectionsConsent()
    {
        ForgedResponse r = response();
        r.signAssertion = false;
        r.signResponse = true;
        const QByteArray body = encoded(r, m_idp);
        auto strict = validateSamlResponse(body, sp(), idp(), check());
        QVERIFY(!strict);
        QVERIFY(strict.error().message.contains(QStringLiteral("assertion is not signed")));
        SamlIdentityProvider lenient = idp();
        lenient.requireSignedAssertion = false;
        auto ok = validateSamlResponse(body, sp(), lenient, check());
        QVERIFY2(ok, ok ? "" : qPrintable(ok.error().message));
        QVERIFY(ok->responseSigned);
    }

    void bothSignaturesVerify()
    {
        ForgedResponse r = response();
        r.signResponse = true;
        auto ok = validateSamlResponse(encoded(r, m_idp), sp(), idp(), check());
        QVERIFY2(ok, ok ? "" : qPrintable(ok.error().message));
        QVERIFY(ok->responseSigned && ok->assertionSigned);
    }

    void idpInitiatedOnlyWhenTheConnectionAllowsIt()
    {
        ForgedResponse r = response();
        r.inResponseTo.clear();
        const QByteArray body = encoded(r, m_idp);
        auto refused = validateSamlResponse(body, sp(), idp(), check(std::nullopt));
        QVERIFY(!refused);
        QVERIFY(refused.error().message.contains(QStringLiteral("unsolicited")));
        SamlIdentityProvider allowing = idp();
        allowing.allowIdpInitiated = true;
        auto ok = validateSamlResponse(body, sp(), allowing, check(std::nullopt));
        QVERIFY2(ok, ok ? "" : qPrintable(ok.error().message));
        QVERIFY(!ok->inResponseTo);
    }

    void aRolledOverCertificateIsAccepted()
    {
        SamlIdentityProvider both = idp();
        both.certificatesPem = {m_idp.certificatePem, m_idp2.certificatePem};
        QVERIFY(validateSamlResponse(encoded(response(), m_idp2), sp(), both, check()));
        QVERIFY(!validateSamlResponse(encoded(response(), m_idp2), sp(), idp(), check()));
    }

    void anEncryptedAssertionIsDecryptedWithTheSpKey()
    {
        ForgedResponse r = response();
        r.encryptForCertificatePem = m_sp.certificatePem;
        const QByteArray xml =
            upcoach::testing::forgeResponseXml(r, m_idp.privateKeyPem, m_idp.certificatePem);
        QVERIFY(xml.contains("EncryptedAssertion"));
        QVERIFY(!xml.contains("ada@example.com"));
        auto ok = validateSamlResponse(xml.toBase64(), sp(), idp(), check());
        QVERIFY2(ok, ok ? "" : qPrintable(ok.error().message));
        QVERIFY(ok->encrypted);
        QCOMPARE(ok->nameId, QStringLiteral("ada@example.com"));

        // Another SP's key cannot read it.
        SamlServiceProvider other = sp();
        other.privateKeyPem = m_idp2.privateKeyPem;
        auto refused = validateSamlResponse(xml.toBase64(), other, idp(), check());
        QVERIFY(!refused);
        QVERIFY(refused.error().message.contains(QStringLiteral("does not decrypt")));
    }

    void skewIsBounded()
    {
        SamlCheck late = check();
        late.now = m_now.addSecs(300 + 119);
        QVERIFY(validateSamlResponse(encoded(response(), m_idp), sp(), idp(), late));
        late.now = m_now.addSecs(300 + 120);
        QVERIFY(!validateSamlResponse(encoded(response(), m_idp), sp(), idp(), late));
        SamlCheck early = check();
        early.now = m_now.addSecs(-119);
        QVERIFY(validateSamlResponse(encoded(response(), m_idp), sp(), idp(), early));
        early.now = m_now.addSecs(-200);
        QVERIFY(!validateSamlResponse(encoded(response(), m_idp), sp(), idp(), early));
    }

    void idpMetadataIsRead()
    {
        const QByteArray body = [&] {
            QByteArray b;
            for (const QByteArray &line : m_idp.certificatePem.split('\n'))
                if (!line.startsWith("-----"))
                    b += line;
            return b;
        }();
        const QByteArray xml =
            "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" "
            "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" entityID=\"https://idp.example.test/"
            "metadata\"><md:IDPSSODescriptor WantAuthnRequestsSigned=\"true\" "
            "protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">"
            "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>" +
            body +
            "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
            "<md:KeyDescriptor use=\"encryption\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>" +
            body +
            "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
            "<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" "
            "Location=\"https://idp.example.test/post\"/>"
            "<md:SingleSignOnService "
            "Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" "
            "Location=\"https://idp.example.test/redirect\"/></md:IDPSSODescriptor>"
            "</md:EntityDescriptor>";
        auto metadata = parseIdpMetadata(xml);
        QVERIFY2(metadata, metadata ? "" : qPrintable(metadata.error().message));
        QCOMPARE(metadata->entityId, QStringLiteral("https://idp.example.test/metadata"));
        QCOMPARE(metadata->ssoRedirectUrl,
                 QUrl(QStringLiteral("https://idp.example.test/redirect")));
        QCOMPARE(metadata->ssoPostUrl, QUrl(QStringLiteral("https://idp.example.test/post")));
        QVERIFY(metadata->wantAuthnRequestsSigned);
        QCOMPARE(metadata->signingCertificatesPem.size(), 1); // the same cert twice, once
        QCOMPARE(metadata->signingCertificatesPem.front().trimmed(),
                 m_idp.certificatePem.trimmed());

        QVERIFY(!parseIdpMetadata(QByteArray("<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:"
                                             "SAML:2.0:metadata\" entityID=\"x\"/>")));
        QByteArray noCert = xml;
        noCert.replace(body, "bm90IGEgY2VydA==");
        auto bad = parseIdpMetadata(noCert);
        QVERIFY(!bad);
        QVERIFY(bad.error().message.contains(QStringLiteral("not an X.509")));
    }

    void spMetadataNamesTheAcsAndTheCertificate()
    {
        const QByteArray xml = spMetadataXml(sp());
        QVERIFY(xml.contains("entityID=\"https://ops.example.test/sso/saml/acme/metadata\""));
        QVERIFY(xml.contains("AuthnRequestsSigned=\"true\""));
        QVERIFY(xml.contains("Location=\"https://ops.example.test/sso/saml/acme/acs\""));
        QVERIFY(xml.contains("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"));
        QByteArray body;
        for (const QByteArray &line : m_sp.certificatePem.split('\n'))
            if (!line.startsWith("-----"))
                body += line;
        QCOMPARE(xml.count(body), 2); // signing and encryption
    }

    void authnRequestsAreSignedForTheRedirectBinding()
    {
        auto request = buildAuthnRequest(sp(), idp(), QStringLiteral("relay-123"), m_now);
        QVERIFY2(request, request ? "" : qPrintable(request.error().message));
        QVERIFY(request->id.startsWith(QLatin1Char('_')));
        const QByteArray url = request->redirectUrl.toEncoded();
        QVERIFY(url.startsWith("https://idp.example.test/sso?tenant=acme&SAMLRequest="));
        const qsizetype at = url.indexOf("SAMLRequest=");
        const qsizetype sigAt = url.indexOf("&Signature=");
        QVERIFY(at > 0 && sigAt > at);
        const QByteArray signedPart = url.mid(at, sigAt - at);
        QVERIFY(signedPart.contains("&RelayState=relay-123&SigAlg="));
        const QByteArray signature =
            QByteArray::fromBase64(QByteArray::fromPercentEncoding(url.mid(sigAt + 11)));

        BIO *bio =
            BIO_new_mem_buf(m_sp.certificatePem.constData(), int(m_sp.certificatePem.size()));
        X509 *cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
        BIO_free(bio);
        QVERIFY(cert);
        EVP_PKEY *key = X509_get_pubkey(cert);
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        QCOMPARE(EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key), 1);
        const int verified =
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(signature.constData()),
                             size_t(signature.size()),
                             reinterpret_cast<const unsigned char *>(signedPart.constData()),
                             size_t(signedPart.size()));
        EVP_MD_CTX_free(ctx);
        EVP_PKEY_free(key);
        X509_free(cert);
        QCOMPARE(verified, 1);

        QVERIFY(!buildAuthnRequest(sp(), idp(), QString(81, QLatin1Char('r')), m_now));
        SamlIdentityProvider plain = idp();
        plain.ssoRedirectUrl = QUrl(QStringLiteral("http://idp.example.test/sso"));
        QVERIFY(!buildAuthnRequest(sp(), plain, QString(), m_now));
    }
};

QTEST_GUILESS_MAIN(SamlTest)
#include "test_saml.moc"
