// Attacks on the SAML SP, each of which must be refused with a message naming the failed check:
// XML Signature Wrapping variants, a removed signature, a response re-signed by another key,
// tampering after signing, comment injection in NameID, XXE and entity expansion, wrong
// audience / recipient / destination / request, expired and premature assertions, SHA-1, and
// malformed or oversized input. Every case starts from a response that is accepted.
#include "samlforge.h"
#include "upcoach/identity/saml.h"

#include <QTest>

using namespace upcoach;
using namespace upcoach::identity;
using upcoach::testing::ForgedResponse;

class SamlAttacksTest : public QObject
{
    Q_OBJECT

private:
    SamlKeyPair m_sp;
    SamlKeyPair m_idp;
    SamlKeyPair m_attacker;
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
        i.ssoRedirectUrl = QUrl(QStringLiteral("https://idp.example.test/sso"));
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
    SamlCheck check() const
    {
        SamlCheck c;
        c.now = m_now.addSecs(5);
        c.inResponseTo = QStringLiteral("_req1");
        return c;
    }
    QByteArray signedXml(const ForgedResponse &r) const
    {
        return upcoach::testing::forgeResponseXml(r, m_idp.privateKeyPem, m_idp.certificatePem);
    }
    static QByteArray assertionOf(const QByteArray &xml)
    {
        const qsizetype start = xml.indexOf("<saml:Assertion");
        const qsizetype end =
            xml.indexOf("</saml:Assertion>") + qsizetype(strlen("</saml:Assertion>"));
        return xml.mid(start, end - start);
    }
    static QByteArray withoutSignature(QByteArray xml)
    {
        const qsizetype start = xml.indexOf("<ds:Signature");
        const qsizetype end = xml.indexOf("</ds:Signature>") + qsizetype(strlen("</ds:Signature>"));
        return xml.remove(start, end - start);
    }
    // An assertion for the attacker: the genuine one with another subject and no signature.
    static QByteArray evilAssertion(const QByteArray &genuine, const QByteArray &newId)
    {
        QByteArray evil = withoutSignature(genuine);
        evil.replace("ada@example.com", "eve@attacker.test");
        if (!newId.isEmpty())
            evil.replace("ID=\"_a0c7e5f1d2b34c0e9c1f\"", QByteArray("ID=\"" + newId + "\""));
        return evil;
    }
    // Refused, and the message says why.
    void expectRefused(const QByteArray &xml, const QString &why,
                       const SamlIdentityProvider &connection)
    {
        auto result = validateSamlResponse(xml.toBase64(), sp(), connection, check());
        QVERIFY2(!result, "an attack was accepted");
        QVERIFY2(result.error().message.contains(why), qPrintable(result.error().message));
    }
    void expectRefused(const QByteArray &xml, const QString &why)
    {
        expectRefused(xml, why, idp());
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto sp = generateSamlKeyPair(QStringLiteral("sp"));
        auto idp = generateSamlKeyPair(QStringLiteral("idp"));
        auto attacker = generateSamlKeyPair(QStringLiteral("idp"));
        QVERIFY(sp && idp && attacker);
        m_sp = *sp;
        m_idp = *idp;
        m_attacker = *attacker;
        // The baseline every attack starts from is accepted.
        auto ok = validateSamlResponse(signedXml(response()).toBase64(), this->sp(), this->idp(),
                                       check());
        QVERIFY2(ok, ok ? "" : qPrintable(ok.error().message));
    }

    // ---- signatures ----
    void signatureRemoved()
    {
        expectRefused(withoutSignature(signedXml(response())),
                      QStringLiteral("neither the response nor the assertion is signed"));
    }

    void resignedByAnotherKey()
    {
        // The attacker signs with their own key and puts their certificate in KeyInfo: the SP
        // must only trust the connection's certificate.
        const QByteArray xml = upcoach::testing::forgeResponseXml(
            response(), m_attacker.privateKeyPem, m_attacker.certificatePem);
        QVERIFY(xml.contains("X509Certificate"));
        expectRefused(xml, QStringLiteral("does not verify"));
    }

    void tamperedAfterSigning()
    {
        QByteArray xml = signedXml(response());
        xml.replace("<saml:AttributeValue>coaches", "<saml:AttributeValue>admins");
        expectRefused(xml, QStringLiteral("does not verify"));
    }

    void sha1RefusedUnlessAllowed()
    {
        ForgedResponse r = response();
        r.sha1 = true;
        const QByteArray xml = signedXml(r);
        expectRefused(xml, QStringLiteral("does not verify"));
        SamlIdentityProvider legacy = idp();
        legacy.allowSha1 = true;
        QVERIFY(validateSamlResponse(xml.toBase64(), sp(), legacy, check()));
    }

    void referenceToAnotherElement()
    {
        // The signature is moved onto an evil assertion whose ID differs from the reference.
        const QByteArray xml = signedXml(response());
        const QByteArray genuine = assertionOf(xml);
        QByteArray evil = evilAssertion(genuine, "_evil");
        const qsizetype sigStart = genuine.indexOf("<ds:Signature");
        const QByteArray signature =
            genuine.mid(sigStart, genuine.indexOf("</ds:Signature>") + 15 - sigStart);
        evil.insert(evil.indexOf("</saml:Issuer>") + 14, signature);
        QByteArray forged = xml;
        forged.replace(genuine, evil);
        expectRefused(forged, QStringLiteral("does not refer to the signed element"));
    }

    // ---- XML Signature Wrapping ----
    void xswEvilAssertionBesideTheSignedOne()
    {
        const QByteArray xml = signedXml(response());
        const QByteArray genuine = assertionOf(xml);
        QByteArray forged = xml;
        forged.replace(genuine, QByteArray(evilAssertion(genuine, "_evil") + genuine));
        expectRefused(forged, QStringLiteral("exactly one assertion"));
        forged = xml;
        forged.replace(genuine, QByteArray(genuine + evilAssertion(genuine, "_evil")));
        expectRefused(forged, QStringLiteral("exactly one assertion"));
    }

    void xswSignedAssertionHiddenInExtensions()
    {
        // The genuine assertion moves into <samlp:Extensions>; an evil one with the same ID
        // takes its place (a naive getElementById finds the genuine one and verifies it).
        const QByteArray xml = signedXml(response());
        const QByteArray genuine = assertionOf(xml);
        QByteArray forged = xml;
        forged.replace(genuine, evilAssertion(genuine, QByteArray()));
        forged.replace("<samlp:Status>", QByteArray("<samlp:Extensions>" + genuine +
                                                    "</samlp:Extensions><samlp:Status>"));
        expectRefused(forged, QStringLiteral("signature in an unexpected place"));
    }

    void xswSignedAssertionInsideTheEvilOnesSignatureObject()
    {
        const QByteArray xml = signedXml(response());
        const QByteArray genuine = assertionOf(xml);
        QByteArray evil = evilAssertion(genuine, "_evil");
        evil.insert(evil.indexOf("</saml:Issuer>") + 14,
                    "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:Object>" +
                        genuine + "</ds:Object></ds:Signature>");
        QByteArray forged = xml;
        forged.replace(genuine, evil);
        expectRefused(forged, QStringLiteral("signature in an unexpected place"));
    }

    void xswSignedAssertionNestedInTheEvilOne()
    {
        const QByteArray xml = signedXml(response());
        const QByteArray genuine = assertionOf(xml);
        QByteArray evil = evilAssertion(genuine, "_evil");
        evil.insert(evil.indexOf("</saml:Issuer>") + 14, genuine);
        QByteArray forged = xml;
        forged.replace(genuine, evil);
        expectRefused(forged, QStringLiteral("signature in an unexpected place"));
    }

    void xswDuplicateIdsWithOneAssertion()
    {
        // One assertion, but another element carries the same ID (where a lax resolver might
        // point the reference).
        const QByteArray xml = signedXml(response());
        QByteArray forged = xml;
        forged.replace("<samlp:Status>", "<samlp:Extensions><x:Decoy xmlns:x=\"urn:x\" "
                                         "ID=\"_a0c7e5f1d2b34c0e9c1f\"/></samlp:Extensions>"
                                         "<samlp:Status>");
        expectRefused(forged, QStringLiteral("duplicate ID"));
    }

    void xswWrappedSignedResponse()
    {
        // Response-signed connection: the attacker wraps the whole genuine (signed) response in
        // an unsigned one carrying the evil assertion.
        ForgedResponse r = response();
        r.signAssertion = false;
        r.signResponse = true;
        SamlIdentityProvider lenient = idp();
        lenient.requireSignedAssertion = false;
        const QByteArray xml = signedXml(r);
        QVERIFY(validateSamlResponse(xml.toBase64(), sp(), lenient, check()));
        QByteArray inner = xml.mid(xml.indexOf("<samlp:Response"));
        QByteArray outer = withoutSignature(inner);
        outer.replace("ada@example.com", "eve@attacker.test");
        outer.replace("ID=\"_r8d1c2b3a4f5e6d7c8b9\"", "ID=\"_outer\"");
        outer.replace("<samlp:Status>", QByteArray("<samlp:Extensions>" + inner +
                                                   "</samlp:Extensions><samlp:Status>"));
        expectRefused(outer, QStringLiteral("signature in an unexpected place"), lenient);
    }

    void signatureInAnUnexpectedPlace()
    {
        const QByteArray xml = signedXml(response());
        QByteArray forged = xml;
        forged.replace("<saml:AttributeStatement>",
                       "<saml:AttributeStatement><ds:Signature xmlns:ds=\"http://www.w3.org/"
                       "2000/09/xmldsig#\"/>");
        expectRefused(forged, QStringLiteral("unexpected place"));
    }

    // ---- parsing ----
    void commentInjectionInNameId()
    {
        // Exclusive c14n drops comments, so the signature still verifies; a reader taking the
        // first text node would see "admin@example.com".
        ForgedResponse r = response();
        r.rawNameIdXml = QStringLiteral("admin@example.com<!---->.attacker.test");
        const QByteArray xml = signedXml(r);
        QVERIFY(xml.contains("<!---->"));
        expectRefused(xml, QStringLiteral("plain text"));
    }

    void externalEntity()
    {
        QByteArray xml = signedXml(response());
        xml.replace("<samlp:Response", "<!DOCTYPE samlp:Response [<!ENTITY xxe SYSTEM "
                                       "\"file:///etc/passwd\">]><samlp:Response");
        xml.replace("ada@example.com</saml:NameID>", "&xxe;</saml:NameID>");
        auto result = validateSamlResponse(xml.toBase64(), sp(), idp(), check());
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::InvalidInput);
        QVERIFY(result.error().message.contains(QStringLiteral("DTD")));
        QVERIFY(!result.error().message.contains(QStringLiteral("root:")));
    }

    void entityExpansion()
    {
        QByteArray bomb = "<!DOCTYPE samlp:Response [<!ENTITY a \"aaaaaaaaaa\">";
        for (char c = 'b'; c <= 'j'; ++c) {
            QByteArray references;
            for (int i = 0; i < 10; ++i)
                references += QByteArray("&") + char(c - 1) + ';';
            bomb += QByteArray("<!ENTITY ") + c + " \"" + references + "\">";
        }
        bomb += "]>";
        QByteArray xml = signedXml(response());
        xml.replace("<samlp:Response", QByteArray(bomb + "<samlp:Response"));
        xml.replace("ada@example.com</saml:NameID>", "&j;</saml:NameID>");
        auto result = validateSamlResponse(xml.toBase64(), sp(), idp(), check());
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::InvalidInput);
    }

    void malformedInput()
    {
        const QList<QByteArray> bad{
            QByteArray(), "not base64 at all!", QByteArray("<x/>").toBase64(),
            QByteArray("<samlp:Response").toBase64(), QByteArray("\xff\xfe<\x00").toBase64()};
        for (const QByteArray &input : bad) {
            auto result = validateSamlResponse(input, sp(), idp(), check());
            QVERIFY(!result);
            QCOMPARE(result.error().code, ErrorCode::InvalidInput);
        }
    }

    void oversized()
    {
        QByteArray xml = signedXml(response());
        xml.replace("<samlp:Status>", QByteArray("<samlp:Extensions><x:p xmlns:x=\"urn:x\">" +
                                                 QByteArray(300 * 1024, 'p') +
                                                 "</x:p></samlp:Extensions><samlp:Status>"));
        auto result = validateSamlResponse(xml.toBase64(), sp(), idp(), check());
        QVERIFY(!result);
        QVERIFY(result.error().message.contains(QStringLiteral("large")));
    }

    // ---- conditions ----
    void wrongAudience()
    {
        ForgedResponse r = response();
        r.audience = QStringLiteral("https://other-sp.example.test/metadata");
        expectRefused(signedXml(r), QStringLiteral("Audience"));
    }

    void wrongRecipient()
    {
        ForgedResponse r = response();
        r.recipient = QStringLiteral("https://other-sp.example.test/acs");
        expectRefused(signedXml(r), QStringLiteral("Recipient"));
    }

    void wrongDestination()
    {
        ForgedResponse r = response();
        r.destination = QStringLiteral("https://other-sp.example.test/acs");
        expectRefused(signedXml(r), QStringLiteral("Destination"));
    }

    void signedResponseWithoutDestination()
    {
        ForgedResponse r = response();
        r.destination = QStringLiteral("-");
        r.signResponse = true;
        expectRefused(signedXml(r), QStringLiteral("Destination"));
    }

    void expired()
    {
        ForgedResponse r = response();
        r.now = m_now.addSecs(-3600);
        expectRefused(signedXml(r), QStringLiteral("too old"));
        r.now = m_now.addSecs(-250);
        r.validForSeconds = 60;
        expectRefused(signedXml(r), QStringLiteral("expired"));
    }

    void notYetValid()
    {
        ForgedResponse r = response();
        r.now = m_now.addSecs(600);
        expectRefused(signedXml(r), QStringLiteral("future"));
    }

    void inResponseToAnotherRequest()
    {
        ForgedResponse r = response();
        r.inResponseTo = QStringLiteral("_someone-elses-request");
        expectRefused(signedXml(r), QStringLiteral("InResponseTo"));
    }

    void unsolicitedForAnSpInitiatedLogin()
    {
        ForgedResponse r = response();
        r.inResponseTo.clear();
        expectRefused(signedXml(r), QStringLiteral("InResponseTo"));
    }

    void wrongIssuer()
    {
        ForgedResponse r = response();
        r.idpEntityId = QStringLiteral("https://idp.attacker.test/metadata");
        expectRefused(signedXml(r), QStringLiteral("Issuer"));
    }

    void idpReportsFailure()
    {
        ForgedResponse r = response();
        r.statusCode = QStringLiteral("urn:oasis:names:tc:SAML:2.0:status:Requester");
        expectRefused(signedXml(r), QStringLiteral("did not report success (Requester)"));
    }

    void replayIsDetectableByKey()
    {
        // One-time use is enforced by the store (PostgreSQL, all instances); the library gives
        // the same key for the same assertion and a different one for another.
        const QByteArray xml = signedXml(response());
        auto first = validateSamlResponse(xml.toBase64(), sp(), idp(), check());
        auto second = validateSamlResponse(xml.toBase64(), sp(), idp(), check());
        QVERIFY(first && second);
        QCOMPARE(first->replayKey, second->replayKey);
        ForgedResponse other = response();
        other.assertionId = QStringLiteral("_another");
        auto third = validateSamlResponse(signedXml(other).toBase64(), sp(), idp(), check());
        QVERIFY(third);
        QVERIFY(third->replayKey != first->replayKey);
    }
};

QTEST_GUILESS_MAIN(SamlAttacksTest)
#include "test_saml_attacks.moc"
