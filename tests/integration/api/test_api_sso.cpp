// SAML SSO through the API over real PostgreSQL: the tenant's SP metadata, an SP-initiated login
// (302 to the IdP, the response answering it accepted once, the user provisioned just in time
// with a mapped role), IdP-initiated logins, and refusals — unsigned and re-signed responses, a
// replayed assertion (also on a second instance sharing the database), malformed requests —
// each recorded in the audit log.
#include "identitytestsupport.h"
#include "samlforge.h"
#include "upcoach/identity/ssoservice.h"
#include "upcoach/identity/ssostore.h"
#include "upcoach/tenancy/tenantusers.h"
#include "upcoach/tenancy/usage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

using namespace upcoach;
using namespace upcoach::testing;

namespace {
const QString kProblems = QStringLiteral("https://upcoach.dev/problems/");
QString text(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toString();
}
} // namespace

class TestApiSso : public QObject
{
    Q_OBJECT
    TenantApiFixture m_f;
    IdentityStack m_id;
    identity::SamlKeyPair m_idp;
    identity::SamlKeyPair m_attacker;
    QString m_slug;
    QString m_base;
    const QString m_idpEntity = QStringLiteral("https://idp.example.test/metadata");

    ForgedResponse response(const QString &inResponseTo, const QString &assertionId) const
    {
        ForgedResponse r;
        r.idpEntityId = m_idpEntity;
        r.spEntityId = m_base + QStringLiteral("/sso/saml/") + m_slug + QStringLiteral("/metadata");
        r.acsUrl = m_base + QStringLiteral("/sso/saml/") + m_slug + QStringLiteral("/acs");
        r.now = QDateTime::currentDateTimeUtc();
        r.inResponseTo = inResponseTo;
        r.assertionId = assertionId;
        return r;
    }

    HttpReply postAcs(const QByteArray &xml,
                      const QByteArray &contentType = "application/x-www-form-urlencoded")
    {
        const QByteArray body =
            "SAMLResponse=" + xml.toBase64().toPercentEncoding() + "&RelayState=%2Fhome";
        return m_f.send("POST", QStringLiteral("/sso/saml/") + m_slug + QStringLiteral("/acs"), {},
                        body, {{"Content-Type", contentType}});
    }

    std::vector<compliance::AuditEvent> loginEvents()
    {
        std::vector<compliance::AuditEvent> out;
        for (const auto &event : m_f.auditOfTenant(m_slug))
            if (event.action == QStringLiteral("sso.saml.login"))
                out.push_back(event);
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto idp = identity::generateSamlKeyPair(QStringLiteral("idp"));
        auto attacker = identity::generateSamlKeyPair(QStringLiteral("idp"));
        QVERIFY(idp && attacker);
        m_idp = *idp;
        m_attacker = *attacker;
        const QString error =
            m_f.start(1, [this](api::ServerDeps &deps) { m_id.build(m_f, deps); });
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_base = m_id.useServerUrl(m_f);
        const QString created = offThread([this]() -> QString {
            auto tenant = m_f.tenancy->createTenant(QStringLiteral("sso"),
                                                    tenancy::IsolationStrategy::RowLevelSecurity);
            if (!tenant)
                return tenant.error().message;
            m_slug = tenant->slug;
            identity::SamlConnectionSettings settings;
            settings.idp.entityId = m_idpEntity;
            settings.idp.ssoRedirectUrl = QUrl(QStringLiteral("https://idp.example.test/sso"));
            settings.idp.certificatesPem = {m_idp.certificatePem};
            settings.idp.allowIdpInitiated = true;
            settings.emailAttribute = QStringLiteral("email");
            settings.roleRules = {
                {QStringLiteral("groups"), QStringLiteral("Coaches"), QStringLiteral("coach")}};
            identity::NewSsoConnection connection;
            connection.name = QStringLiteral("Example IdP");
            connection.preset = QStringLiteral("okta");
            connection.emailDomains = {QStringLiteral("Example.com")};
            connection.settings = identity::samlSettingsToJson(settings);
            auto stored = m_id.store->createConnection(tenant->id, connection);
            if (!stored)
                return stored.error().message;
            return {};
        });
        QVERIFY2(created.isEmpty(), qPrintable(created));
    }

    void cleanupTestCase() { m_id.stop(m_f); }

    // IdP metadata as an IdP's admin page offers it: the test IdP's signing certificate.
    QByteArray idpMetadata(const QByteArray &entityId, const QByteArray &ssoUrl) const
    {
        QByteArray certificate;
        for (const QByteArray &line : m_idp.certificatePem.split('\n'))
            if (!line.startsWith("-----"))
                certificate += line;
        return "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" "
               "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" entityID=\"" +
               entityId +
               "\"><md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:"
               "protocol\"><md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data>"
               "<ds:X509Certificate>" +
               certificate +
               "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
               "<md:SingleSignOnService "
               "Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"" +
               ssoUrl + "\"/></md:IDPSSODescriptor></md:EntityDescriptor>";
    }

    void connectionsCanBeEditedAndDeleted()
    {
        const QString metadata = QString::fromLatin1(
            idpMetadata("https://okta.example.test/x1", "https://okta.example.test/sso"));
        const QString path =
            QStringLiteral("/api/v1/tenants/") + m_slug + QStringLiteral("/sso/connections");
        const auto json = [](const QJsonObject &body) { return QJsonDocument(body).toJson(); };
        QJsonObject body{{QStringLiteral("name"), QStringLiteral("Editable")},
                         {QStringLiteral("preset"), QStringLiteral("okta")},
                         {QStringLiteral("emailDomains"), QJsonArray{QStringLiteral("edit.test")}},
                         {QStringLiteral("metadataXml"), metadata}};
        const HttpReply created =
            m_f.send("POST", path, m_f.admin, json(body), {{"Content-Type", "application/json"}});
        QVERIFY2(created.status == 201, created.body.constData());
        const QString id = created.json().value(QStringLiteral("id")).toString();
        QCOMPARE(created.json().value(QStringLiteral("version")).toInt(), 1);
        const QString item = path + u'/' + id;

        // An edit replaces name, domains and rules; the ETag is the new version.
        body.insert(QStringLiteral("name"), QStringLiteral("Edited"));
        body.insert(QStringLiteral("emailDomains"),
                    QJsonArray{QStringLiteral("edit.test"), QStringLiteral("EDIT2.test")});
        body.insert(QStringLiteral("settings"),
                    QJsonObject{{QStringLiteral("defaultRole"), QStringLiteral("coach")},
                                {QStringLiteral("roleRules"),
                                 QJsonArray{QJsonObject{
                                     {QStringLiteral("attribute"), QStringLiteral("groups")},
                                     {QStringLiteral("value"), QStringLiteral("Leads")},
                                     {QStringLiteral("role"), QStringLiteral("admin")}}}}});
        QCOMPARE(
            m_f.send("PUT", item, m_f.viewer, json(body), {{"Content-Type", "application/json"}})
                .status,
            403);
        const HttpReply edited =
            m_f.send("PUT", item, m_f.admin, json(body),
                     {{"Content-Type", "application/json"}, {"If-Match", "\"1\""}});
        QVERIFY2(edited.status == 200, edited.body.constData());
        QCOMPARE(edited.header("ETag"), QByteArray("\"2\""));
        QCOMPARE(edited.json().value(QStringLiteral("name")).toString(), QStringLiteral("Edited"));
        QCOMPARE(edited.json().value(QStringLiteral("emailDomains")).toArray().size(), 2);
        const QJsonObject settings = edited.json().value(QStringLiteral("settings")).toObject();
        QCOMPARE(settings.value(QStringLiteral("defaultRole")).toString(), QStringLiteral("coach"));
        QCOMPARE(settings.value(QStringLiteral("roleRules")).toArray().size(), 1);
        QCOMPARE(settings.value(QStringLiteral("idpEntityId")).toString(),
                 QStringLiteral("https://okta.example.test/x1"));
        // Stale version: 412 and nothing changes.
        body.insert(QStringLiteral("name"), QStringLiteral("Stale"));
        QCOMPARE(m_f.send("PUT", item, m_f.admin, json(body),
                          {{"Content-Type", "application/json"}, {"If-Match", "\"1\""}})
                     .status,
                 412);
        QCOMPARE(m_f.send("PUT", item, m_f.admin, json(body),
                          {{"Content-Type", "application/json"}, {"If-Match", "W/1"}})
                     .status,
                 400);
        // A taken name, a protocol change, bad metadata, an unknown id.
        body.insert(QStringLiteral("name"), QStringLiteral("Example IdP"));
        QCOMPARE(
            m_f.send("PUT", item, m_f.admin, json(body), {{"Content-Type", "application/json"}})
                .status,
            409);
        QJsonObject oidc = body;
        oidc.insert(QStringLiteral("name"), QStringLiteral("Edited"));
        oidc.insert(QStringLiteral("protocol"), QStringLiteral("oidc"));
        oidc.remove(QStringLiteral("metadataXml"));
        QCOMPARE(
            m_f.send("PUT", item, m_f.admin, json(oidc), {{"Content-Type", "application/json"}})
                .status,
            400);
        QJsonObject hostile = body;
        hostile.insert(QStringLiteral("name"), QStringLiteral("Edited"));
        hostile.insert(QStringLiteral("metadataXml"),
                       QStringLiteral("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                                      "<md:EntityDescriptor>&e;</md:EntityDescriptor>"));
        QCOMPARE(
            m_f.send("PUT", item, m_f.admin, json(hostile), {{"Content-Type", "application/json"}})
                .status,
            400);
        QCOMPARE(m_f.send("PUT", path + u'/' + QUuid::createUuid().toString(QUuid::WithoutBraces),
                          m_f.admin, json(body), {{"Content-Type", "application/json"}})
                     .status,
                 404);
        const HttpReply after = m_f.send("GET", path, m_f.viewer);
        bool unchanged = false;
        for (const QJsonValue &entry : after.json().value(QStringLiteral("connections")).toArray())
            if (entry[QStringLiteral("id")].toString() == id)
                unchanged = entry[QStringLiteral("name")].toString() == QStringLiteral("Edited") &&
                            entry[QStringLiteral("version")].toInt() == 2;
        QVERIFY(unchanged);

        // Delete: gone from the list, its login refused, a second delete is 404.
        QCOMPARE(m_f.send("DELETE", item, m_f.viewer).status, 403);
        QCOMPARE(m_f.send("DELETE", item, m_f.admin).status, 204);
        QCOMPARE(m_f.send("DELETE", item, m_f.admin).status, 404);
        QCOMPARE(m_f.send("DELETE", path + QStringLiteral("/not-a-uuid"), m_f.admin).status, 400);
        for (const QJsonValue &entry : m_f.send("GET", path, m_f.viewer)
                                           .json()
                                           .value(QStringLiteral("connections"))
                                           .toArray())
            QVERIFY(entry[QStringLiteral("id")].toString() != id);
        const HttpReply login = m_f.send("GET",
                                         QStringLiteral("/sso/saml/") + m_slug +
                                             QStringLiteral("/login?connection=Edited"),
                                         QByteArray());
        QVERIFY2(login.status >= 400, login.body.constData());
        QStringList actions;
        for (const auto &event : m_f.auditOfTenant(m_slug))
            if (event.target == QStringLiteral("sso-connection:") + id)
                actions.append(event.action + u'/' + event.outcome);
        QVERIFY2(actions.contains(QStringLiteral("sso.connection.update/success")),
                 qPrintable(actions.join(u' ')));
        QVERIFY2(actions.contains(QStringLiteral("sso.connection.delete/success")),
                 qPrintable(actions.join(u' ')));
    }

    void connectionsAreConfiguredFromPastedMetadata()
    {
        const HttpReply presets =
            m_f.send("GET", QStringLiteral("/api/v1/sso/presets"), m_f.viewer);
        QCOMPARE(presets.status, 200);
        bool entra = false;
        for (const QJsonValue &preset : presets.json().value(QStringLiteral("presets")).toArray())
            if (preset.toObject().value(QStringLiteral("id")) == QStringLiteral("entra-id"))
                entra = preset.toObject()
                            .value(QStringLiteral("oidcIssuerTemplate"))
                            .toString()
                            .startsWith(QStringLiteral("https://login.microsoftonline.com/"));
        QVERIFY(entra);

        const QByteArray metadata =
            idpMetadata("https://entra.example.test/e1", "https://entra.example.test/sso");
        const QString path =
            QStringLiteral("/api/v1/tenants/") + m_slug + QStringLiteral("/sso/connections");
        const auto post = [&](const QJsonObject &body, const QByteArray &token) {
            return m_f.send("POST", path, token, QJsonDocument(body).toJson(),
                            {{"Content-Type", "application/json"}});
        };
        QJsonObject body{{QStringLiteral("name"), QStringLiteral("Entra")},
                         {QStringLiteral("protocol"), QStringLiteral("saml")},
                         {QStringLiteral("preset"), QStringLiteral("entra-id")},
                         {QStringLiteral("emailDomains"), QJsonArray{QStringLiteral("entra.test")}},
                         {QStringLiteral("metadataXml"), QString::fromLatin1(metadata)},
                         {QStringLiteral("settings"),
                          QJsonObject{{QStringLiteral("defaultRole"), QStringLiteral("coachee")}}}};
        QCOMPARE(post(body, m_f.viewer).status, 403);
        const HttpReply created = post(body, m_f.admin);
        QVERIFY2(created.status == 201, created.body.constData());
        const QJsonObject connection = created.json();
        const QJsonObject settings = connection.value(QStringLiteral("settings")).toObject();
        QCOMPARE(settings.value(QStringLiteral("idpEntityId")).toString(),
                 QStringLiteral("https://entra.example.test/e1"));
        QCOMPARE(settings.value(QStringLiteral("ssoUrl")).toString(),
                 QStringLiteral("https://entra.example.test/sso"));
        // The preset's attribute names where the operator named none.
        QCOMPARE(settings.value(QStringLiteral("groupsAttribute")).toString(),
                 QStringLiteral("http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"));
        QVERIFY(
            connection.value(QStringLiteral("acsUrl")).toString().endsWith(QStringLiteral("/acs")));
        QCOMPARE(post(body, m_f.admin).status, 409); // the name is taken

        // Bad metadata: a DOCTYPE, or not metadata at all; nothing is stored.
        QJsonObject hostile = body;
        hostile.insert(QStringLiteral("name"), QStringLiteral("Hostile"));
        hostile.insert(QStringLiteral("emailDomains"), QJsonArray());
        hostile.insert(QStringLiteral("metadataXml"),
                       QStringLiteral("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                                      "<md:EntityDescriptor>&e;</md:EntityDescriptor>"));
        QCOMPARE(post(hostile, m_f.admin).status, 400);
        hostile.insert(QStringLiteral("metadataXml"), QStringLiteral("hello"));
        QCOMPARE(post(hostile, m_f.admin).status, 400);
        hostile.insert(QStringLiteral("unknown"), 1);
        QCOMPARE(post(hostile, m_f.admin).status, 400);

        const HttpReply list = m_f.send("GET", path, m_f.viewer);
        QCOMPARE(list.status, 200);
        const QJsonArray connections = list.json().value(QStringLiteral("connections")).toArray();
        QCOMPARE(connections.size(), 2); // "Example IdP" and "Entra"
        const QString id = connection.value(QStringLiteral("id")).toString();
        QCOMPARE(m_f.send("POST", path + u'/' + id + QStringLiteral("/disable"), m_f.admin).status,
                 200);
        bool disabled = false;
        for (const QJsonValue &entry : m_f.send("GET", path, m_f.viewer)
                                           .json()
                                           .value(QStringLiteral("connections"))
                                           .toArray())
            if (entry.toObject().value(QStringLiteral("id")).toString() == id)
                disabled = !entry.toObject().value(QStringLiteral("enabled")).toBool(true);
        QVERIFY(disabled);
        QCOMPARE(m_f.send("POST",
                          path + QStringLiteral("/") +
                              QUuid::createUuid().toString(QUuid::WithoutBraces) +
                              QStringLiteral("/enable"),
                          m_f.admin)
                     .status,
                 404);
        int recorded = 0;
        for (const auto &event : m_f.auditOfTenant(m_slug))
            if (event.action == QStringLiteral("sso.connection.create") ||
                event.action == QStringLiteral("sso.connection.disable"))
                ++recorded;
        QVERIFY(recorded >= 2);

        // The role-mapping preview of unsaved rules.
        const HttpReply preview = m_f.send(
            "POST",
            QStringLiteral("/api/v1/tenants/") + m_slug + QStringLiteral("/sso/role-preview"),
            m_f.viewer,
            QJsonDocument(
                QJsonObject{
                    {QStringLiteral("settings"),
                     QJsonObject{{QStringLiteral("defaultRole"), QStringLiteral("coachee")},
                                 {QStringLiteral("emailAttribute"), QStringLiteral("mail")},
                                 {QStringLiteral("roleRules"),
                                  QJsonArray{QJsonObject{
                                      {QStringLiteral("attribute"), QStringLiteral("groups")},
                                      {QStringLiteral("value"), QStringLiteral("Leads")},
                                      {QStringLiteral("role"), QStringLiteral("admin")}}}}}},
                    {QStringLiteral("nameId"), QStringLiteral("x@entra.test")},
                    {QStringLiteral("attributes"),
                     QJsonObject{{QStringLiteral("mail"), QStringLiteral("Lea@Entra.test")},
                                 {QStringLiteral("groups"),
                                  QJsonArray{QStringLiteral("staff"), QStringLiteral("leads")}}}}})
                .toJson(),
            {{"Content-Type", "application/json"}});
        QVERIFY2(preview.status == 200, preview.body.constData());
        QCOMPARE(preview.json().value(QStringLiteral("role")).toString(), QStringLiteral("admin"));
        QCOMPARE(preview.json().value(QStringLiteral("email")).toString(),
                 QStringLiteral("lea@entra.test"));
        QCOMPARE(preview.json()
                     .value(QStringLiteral("matchedRule"))
                     .toObject()
                     .value(QStringLiteral("index"))
                     .toInt(),
                 0);
    }

    void metadataDescribesTheTenantsServiceProvider()
    {
        const HttpReply reply = m_f.send(
            "GET", QStringLiteral("/sso/saml/") + m_slug + QStringLiteral("/metadata"), {});
        QVERIFY2(reply.status == 200, reply.body.constData());
        QCOMPARE(reply.header("content-type"), QByteArray("application/samlmetadata+xml"));
        const QString prefix = m_base + QStringLiteral("/sso/saml/") + m_slug;
        QVERIFY(reply.body.contains(
            QString(QStringLiteral("entityID=\"") + prefix + QStringLiteral("/metadata\""))
                .toUtf8()));
        QVERIFY(reply.body.contains(
            QString(QStringLiteral("Location=\"") + prefix + QStringLiteral("/acs\"")).toUtf8()));
        QVERIFY(reply.body.contains("X509Certificate"));
        // The key pair is generated once and then stable.
        const HttpReply again = m_f.send(
            "GET", QStringLiteral("/sso/saml/") + m_slug + QStringLiteral("/metadata"), {});
        QCOMPARE(again.body, reply.body);
        QCOMPARE(m_f.send("GET", QStringLiteral("/sso/saml/no-such-tenant/metadata"), {}).status,
                 404);
        QCOMPARE(m_f.send("GET", QStringLiteral("/sso/saml/NOT_A_SLUG/metadata"), {}).status, 404);
    }

    void spInitiatedLoginProvisionsTheUserOnce()
    {
        // Not followed: the IdP does not exist here.
        QNetworkAccessManager nam;
        QNetworkRequest startRequest(
            m_f.url(QStringLiteral("/sso/saml/") + m_slug + QStringLiteral("/login")));
        startRequest.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                                  QNetworkRequest::ManualRedirectPolicy);
        std::unique_ptr<QNetworkReply> start(nam.get(startRequest));
        QSignalSpy finished(start.get(), &QNetworkReply::finished);
        QVERIFY(start->isFinished() || finished.wait(60000));
        QCOMPARE(start->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 302);
        const QByteArray location = start->rawHeader("Location");
        QVERIFY2(location.startsWith("https://idp.example.test/sso?SAMLRequest="),
                 location.constData());
        QVERIFY(location.contains("&SigAlg=") && location.contains("&Signature="));

        QString requestId;
        for (const auto &event : m_f.auditOfTenant(m_slug))
            if (event.action == QStringLiteral("sso.saml.login-start"))
                requestId = event.details.value(QStringLiteral("requestId")).toString();
        QVERIFY(requestId.startsWith(QLatin1Char('_')));

        ForgedResponse r = response(requestId, QStringLiteral("_sp1"));
        r.nameId = QStringLiteral("grace@example.com");
        r.attributes = {{QStringLiteral("email"), QStringLiteral("Grace@Example.com")},
                        {QStringLiteral("groups"), QStringLiteral("coaches")}};
        const QByteArray xml = forgeResponseXml(r, m_idp.privateKeyPem, m_idp.certificatePem);
        const HttpReply login = postAcs(xml);
        QVERIFY2(login.status == 200, login.body.constData());
        const QJsonObject body = login.json();
        QCOMPARE(body.value(QStringLiteral("provisioned")).toBool(), true);
        QCOMPARE(body.value(QStringLiteral("idpInitiated")).toBool(), false);
        const QJsonObject user = body.value(QStringLiteral("user")).toObject();
        QCOMPARE(user.value(QStringLiteral("email")).toString(),
                 QStringLiteral("grace@example.com"));
        QCOMPARE(user.value(QStringLiteral("role")).toString(), QStringLiteral("coach"));

        // The same response again: its request is used up.
        const HttpReply again = postAcs(xml);
        QCOMPARE(again.status, 401);
        const auto events = loginEvents();
        QVERIFY(events.size() >= 2);
        QCOMPARE(events.at(events.size() - 2).outcome, QStringLiteral("success"));
        QCOMPARE(events.back().outcome, QStringLiteral("denied"));
        QVERIFY(!events.back()
                     .details.value(QStringLiteral("reason"))
                     .toString()
                     .contains(QStringLiteral("grace")));
    }

    void idpInitiatedLoginSignsInTheExistingUserAndRefusesReplays()
    {
        ForgedResponse r = response(QString(), QStringLiteral("_idp1"));
        r.nameId = QStringLiteral("grace@example.com");
        r.attributes = {{QStringLiteral("email"), QStringLiteral("grace@example.com")}};
        const QByteArray xml = forgeResponseXml(r, m_idp.privateKeyPem, m_idp.certificatePem);
        const HttpReply first = postAcs(xml);
        QVERIFY2(first.status == 200, first.body.constData());
        QCOMPARE(first.json().value(QStringLiteral("provisioned")).toBool(), false);
        QCOMPARE(first.json().value(QStringLiteral("idpInitiated")).toBool(), true);
        // Grace's IdP no longer lists her in Coaches: a just-in-time user's role follows the
        // IdP at every sign-in (recorded), where a SCIM-managed or local user's would not.
        QCOMPARE(first.json()[QStringLiteral("user")][QStringLiteral("role")].toString(),
                 QStringLiteral("coachee"));
        bool synced = false;
        for (const auto &event : m_f.auditOfTenant(m_slug))
            synced |= event.action == QStringLiteral("tenant.user.role") &&
                      event.details.value(QStringLiteral("previousRole")).toString() ==
                          QStringLiteral("coach") &&
                      event.details.value(QStringLiteral("role")).toString() ==
                          QStringLiteral("coachee") &&
                      event.actor.startsWith(QStringLiteral("sso-connection:"));
        QVERIFY(synced);

        const HttpReply replay = postAcs(xml);
        QCOMPARE(replay.status, 401);
        QVERIFY2(replay.body.contains("replay"), replay.body.constData());

        // Another instance on the same control plane refuses it too.
        ForgedResponse other = response(QString(), QStringLiteral("_idp2"));
        const QByteArray second =
            forgeResponseXml(other, m_idp.privateKeyPem, m_idp.certificatePem);
        QVERIFY(postAcs(second).status == 200);
        const QString slug = m_slug;
        const QString verdict = offThread([this, second, slug]() -> QString {
            identity::SsoStore store(*m_f.control);
            identity::SsoService instance(store, m_f.tenancy->registry(), *m_id.users,
                                          m_f.tenancy->auditLog(), QUrl(m_base));
            auto login = instance.completeSamlLogin(slug, second.toBase64(), QString(),
                                                    compliance::ActorContext{});
            return login ? QStringLiteral("accepted") : login.error().message;
        });
        QVERIFY2(verdict.contains(QStringLiteral("replay")), qPrintable(verdict));
    }

    void unsignedAndResignedResponsesAreRefusedAndAudited()
    {
        ForgedResponse r = response(QString(), QStringLiteral("_unsigned"));
        r.signAssertion = false;
        const HttpReply unsignedReply =
            postAcs(forgeResponseXml(r, m_idp.privateKeyPem, m_idp.certificatePem));
        QCOMPARE(unsignedReply.status, 401);
        QCOMPARE(text(unsignedReply.json(), "type"), kProblems + QLatin1String("sso-refused"));
        QVERIFY2(unsignedReply.body.contains("neither the response nor the assertion is signed"),
                 unsignedReply.body.constData());

        ForgedResponse resigned = response(QString(), QStringLiteral("_resigned"));
        resigned.nameId = QStringLiteral("mallory@example.com");
        const HttpReply resignedReply = postAcs(
            forgeResponseXml(resigned, m_attacker.privateKeyPem, m_attacker.certificatePem));
        QCOMPARE(resignedReply.status, 401);
        QVERIFY(resignedReply.body.contains("does not verify"));

        const auto events = loginEvents();
        QVERIFY(events.size() >= 2);
        QCOMPARE(events.back().outcome, QStringLiteral("denied"));
        QVERIFY(events.back()
                    .details.value(QStringLiteral("reason"))
                    .toString()
                    .contains(QStringLiteral("does not verify")));
        QVERIFY(events.back().target.startsWith(QStringLiteral("sso-connection:")));
    }

    void malformedRequestsAreRefused()
    {
        const QString acs = QStringLiteral("/sso/saml/") + m_slug + QStringLiteral("/acs");
        QCOMPARE(
            m_f.send("POST", acs, {}, "SAMLResponse=abc", {{"Content-Type", "text/plain"}}).status,
            415);
        QCOMPARE(m_f.send("POST", acs, {}, "RelayState=x",
                          {{"Content-Type", "application/x-www-form-urlencoded"}})
                     .status,
                 400);
        const HttpReply garbage = m_f.send("POST", acs, {}, "SAMLResponse=%%%not-base64",
                                           {{"Content-Type", "application/x-www-form-urlencoded"}});
        QCOMPARE(garbage.status, 400);
        QCOMPARE(text(garbage.json(), "type"), kProblems + QLatin1String("invalid-saml-message"));
        QCOMPARE(m_f.send("GET", acs, {}).status, 405);
    }
};

QTEST_GUILESS_MAIN(TestApiSso)
#include "test_api_sso.moc"
