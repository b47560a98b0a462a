// Our SAML 2.0 service provider against a real identity provider (npm samlify, run by
// tests/interop/saml_idp.mjs): the IdP reads our SP metadata and verifies our signed
// AuthnRequest (HTTP-Redirect) with samlify and the SAML XSD; we read its metadata with
// parseIdpMetadata and create the connection from it; then SP-initiated and IdP-initiated logins
// through our ACS (JIT user, role from the groups attribute, RelayState), an encrypted assertion,
// and refusals: a replayed response, and a response for another tenant's SP.
#include "identitytestsupport.h"
#include "nodepeer.h"
#include "upcoach/identity/saml.h"
#include "upcoach/identity/ssoservice.h"
#include "upcoach/identity/ssostore.h"
#include "upcoach/tenancy/tenantusers.h"
#include "upcoach/tenancy/usage.h"

#include <QJsonArray>
#include <QUrlQuery>

using namespace upcoach;
using namespace upcoach::testing;

class TestInteropSaml : public QObject
{
    Q_OBJECT
    TenantApiFixture m_f;
    IdentityStack m_id;
    NodePeer m_idp;
    identity::SamlKeyPair m_idpKeys;
    QString m_slug;
    QString m_other;
    QString m_base;
    QString m_idpBase;
    QByteArray m_idpMetadata;
    QNetworkAccessManager m_nam;

    QJsonObject idpConfig(bool encrypt, const QString &slug) const
    {
        // A restarted IdP keeps its port: the connection knows its SSO URL.
        return QJsonObject{
            {QStringLiteral("port"), m_idpBase.isEmpty() ? 0 : QUrl(m_idpBase).port()},
            {QStringLiteral("keyPem"), QString::fromLatin1(m_idpKeys.privateKeyPem)},
            {QStringLiteral("certPem"), QString::fromLatin1(m_idpKeys.certificatePem)},
            {QStringLiteral("spMetadataXml"), QString::fromUtf8(spMetadata(slug))},
            {QStringLiteral("user"),
             QJsonObject{{QStringLiteral("nameId"), QStringLiteral("saml.peer@example.com")},
                         {QStringLiteral("email"), QStringLiteral("Saml.Peer@Example.com")},
                         {QStringLiteral("displayName"), QStringLiteral("Saml Peer")},
                         {QStringLiteral("groups"),
                          QJsonArray{QStringLiteral("Staff"), QStringLiteral("Coaches")}}}},
            {QStringLiteral("signResponse"), true},
            {QStringLiteral("signAssertion"), true},
            {QStringLiteral("encryptAssertion"), encrypt},
        };
    }

    QByteArray spMetadata(const QString &slug) const
    {
        auto metadata = offThread([this, slug] { return m_id.sso->spMetadata(slug); });
        return metadata ? *metadata : QByteArray();
    }

    QJsonObject getJson(const QUrl &url, int *status)
    {
        std::unique_ptr<QNetworkReply> reply(m_nam.get(QNetworkRequest(url)));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(30000);
        *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        return QJsonDocument::fromJson(reply->readAll()).object();
    }

    HttpReply postAcs(const QString &slug, const QJsonObject &answer)
    {
        QByteArray body =
            "SAMLResponse=" +
            QUrl::toPercentEncoding(answer.value(QStringLiteral("SAMLResponse")).toString());
        const QString relay = answer.value(QStringLiteral("RelayState")).toString();
        if (!relay.isEmpty())
            body += "&RelayState=" + QUrl::toPercentEncoding(relay);
        return m_f.send("POST", QStringLiteral("/sso/saml/") + slug + QStringLiteral("/acs"), {},
                        body, {{"Content-Type", "application/x-www-form-urlencoded"}});
    }

    // SP-initiated: our 302, the IdP's answer to that exact query.
    QJsonObject idpAnswerForLogin(const QString &slug, int *status)
    {
        HttpReply redirect;
        {
            QNetworkAccessManager manual;
            manual.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
            QNetworkRequest request(m_f.url(QStringLiteral("/sso/saml/") + slug +
                                            QStringLiteral("/login?RelayState=%2Fgoals")));
            std::unique_ptr<QNetworkReply> reply(manual.get(request));
            QSignalSpy finished(reply.get(), &QNetworkReply::finished);
            if (!reply->isFinished())
                finished.wait(30000);
            redirect.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            redirect.headers.insert("location", reply->rawHeader("Location"));
        }
        if (redirect.status != 302) {
            *status = redirect.status;
            return {};
        }
        const QUrl location(QString::fromUtf8(redirect.header("location")));
        return getJson(
            QUrl(m_idpBase + QStringLiteral("/sso?") + location.query(QUrl::FullyEncoded)), status);
    }

    QString startIdp(bool encrypt)
    {
        m_idp.stop();
        const QJsonObject ready =
            m_idp.start(QStringLiteral("saml_idp.mjs"), idpConfig(encrypt, m_slug));
        if (ready.isEmpty())
            return m_idp.error();
        m_idpBase = ready.value(QStringLiteral("base")).toString();
        m_idpMetadata = ready.value(QStringLiteral("metadata")).toString().toUtf8();
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto keys = identity::generateSamlKeyPair(QStringLiteral("samlify-idp"));
        QVERIFY(keys);
        m_idpKeys = *keys;
        const QString error =
            m_f.start(1, [this](api::ServerDeps &deps) { m_id.build(m_f, deps); });
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_base = m_id.useServerUrl(m_f);
        auto tenants = offThread([this]() -> QString {
            auto a = m_f.tenancy->createTenant(QStringLiteral("samlify"),
                                               tenancy::IsolationStrategy::Schema);
            auto b = m_f.tenancy->createTenant(QStringLiteral("other"),
                                               tenancy::IsolationStrategy::RowLevelSecurity);
            if (!a || !b)
                return (a ? b.error() : a.error()).message;
            m_slug = a->slug;
            m_other = b->slug;
            return {};
        });
        QVERIFY2(tenants.isEmpty(), qPrintable(tenants));

        const QString started = startIdp(false);
        QVERIFY2(started.isEmpty(), qPrintable(started));
        // Their metadata, read by our parser, makes the connection.
        auto metadata = identity::parseIdpMetadata(m_idpMetadata);
        QVERIFY2(metadata, qPrintable(metadata ? QString() : metadata.error().message));
        QCOMPARE(metadata->ssoRedirectUrl.toString(), QString(m_idpBase + QStringLiteral("/sso")));
        QVERIFY(metadata->wantAuthnRequestsSigned);
        identity::SamlConnectionSettings settings;
        settings.idp.entityId = metadata->entityId;
        settings.idp.ssoRedirectUrl = metadata->ssoRedirectUrl;
        settings.idp.certificatesPem = metadata->signingCertificatesPem;
        settings.idp.allowIdpInitiated = true;
        settings.emailAttribute = QStringLiteral("email");
        settings.displayNameAttribute = QStringLiteral("displayName");
        settings.groupsAttribute = QStringLiteral("groups");
        settings.roleRules = {
            {QStringLiteral("groups"), QStringLiteral("coaches"), QStringLiteral("coach")}};
        const QString made = offThread([&]() -> QString {
            for (const QString &slug : {m_slug, m_other}) {
                auto tenant = m_f.tenancy->registry().get(slug);
                if (!tenant)
                    return tenant.error().message;
                identity::NewSsoConnection connection;
                connection.name = QStringLiteral("samlify");
                connection.settings = identity::samlSettingsToJson(settings);
                auto created = m_id.store->createConnection(tenant->id, connection);
                if (!created)
                    return created.error().message;
            }
            return {};
        });
        QVERIFY2(made.isEmpty(), qPrintable(made));
    }

    void cleanupTestCase()
    {
        m_idp.stop();
        m_id.stop(m_f);
    }

    void spInitiatedLogin()
    {
        int status = 0;
        const QJsonObject answer = idpAnswerForLogin(m_slug, &status);
        QVERIFY2(status == 200, qPrintable(QString::fromUtf8(QJsonDocument(answer).toJson()) +
                                           m_idp.stderrText()));
        QCOMPARE(answer.value(QStringLiteral("acs")).toString(),
                 QString(m_base + QStringLiteral("/sso/saml/") + m_slug + QStringLiteral("/acs")));
        QCOMPARE(answer.value(QStringLiteral("RelayState")).toString(), QStringLiteral("/goals"));
        const HttpReply login = postAcs(m_slug, answer);
        QVERIFY2(login.status == 200, login.body.constData());
        const QJsonObject body = login.json();
        const QJsonObject user = body.value(QStringLiteral("user")).toObject();
        QCOMPARE(user.value(QStringLiteral("email")).toString(),
                 QStringLiteral("saml.peer@example.com"));
        QCOMPARE(user.value(QStringLiteral("displayName")).toString(), QStringLiteral("Saml Peer"));
        QCOMPARE(user.value(QStringLiteral("role")).toString(), QStringLiteral("coach"));
        QVERIFY(body.value(QStringLiteral("provisioned")).toBool());
        QVERIFY(!body.value(QStringLiteral("idpInitiated")).toBool(true));
        QCOMPARE(body.value(QStringLiteral("relayState")).toString(), QStringLiteral("/goals"));

        // The same response again: a replay.
        const HttpReply replay = postAcs(m_slug, answer);
        QCOMPARE(replay.status, 401);
    }

    void idpInitiatedLogin()
    {
        int status = 0;
        const QJsonObject answer =
            getJson(QUrl(m_idpBase + QStringLiteral("/idp-initiated?RelayState=%2Fhome")), &status);
        QVERIFY2(status == 200, qPrintable(m_idp.stderrText()));
        const HttpReply login = postAcs(m_slug, answer);
        QVERIFY2(login.status == 200, login.body.constData());
        QVERIFY(login.json().value(QStringLiteral("idpInitiated")).toBool());
        QVERIFY(!login.json().value(QStringLiteral("provisioned")).toBool(true));
        // A response made for this tenant's SP is refused by another tenant's ACS (audience,
        // destination), even though that tenant trusts the same IdP.
        const HttpReply elsewhere = postAcs(m_other, answer);
        QCOMPARE(elsewhere.status, 401);
    }

    void encryptedAssertion()
    {
        const QString started = startIdp(true);
        QVERIFY2(started.isEmpty(), qPrintable(started));
        int status = 0;
        const QJsonObject answer = idpAnswerForLogin(m_slug, &status);
        QVERIFY2(status == 200, qPrintable(m_idp.stderrText()));
        const QByteArray xml = QByteArray::fromBase64(
            answer.value(QStringLiteral("SAMLResponse")).toString().toLatin1());
        QVERIFY(xml.contains("EncryptedAssertion"));
        const HttpReply login = postAcs(m_slug, answer);
        QVERIFY2(login.status == 200, login.body.constData());
        QCOMPARE(login.json()
                     .value(QStringLiteral("user"))
                     .toObject()
                     .value(QStringLiteral("email"))
                     .toString(),
                 QStringLiteral("saml.peer@example.com"));
    }

    void everyAttemptIsAudited()
    {
        int successes = 0;
        int refused = 0;
        for (const auto &event : m_f.auditOfTenant(m_slug)) {
            if (event.action != QStringLiteral("sso.saml.login"))
                continue;
            successes += event.outcome == QStringLiteral("success");
            refused += event.outcome == QStringLiteral("denied");
            QVERIFY(!QJsonDocument(event.details).toJson().contains("@"));
        }
        QCOMPARE(successes, 3);
        QCOMPARE(refused, 1);
    }
};

QTEST_GUILESS_MAIN(TestInteropSaml)
#include "test_interop_saml.moc"
