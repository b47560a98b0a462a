// SCIM 2.0 through the API over real PostgreSQL, on two tenants with different isolation
// strategies (rls and schema-per-tenant): discovery, the token (rotation, other tenants' tokens),
// the user and group lifecycle with filters, sorting, paging, projections, ETags and PATCH;
// refusals of malformed input; isolation between tenants; deprovisioning that cuts SSO access at
// once; and the audit trail (no userName or e-mail in it).
#include "identitytestsupport.h"
#include "samlforge.h"
#include "upcoach/identity/scimservice.h"
#include "upcoach/identity/ssoservice.h"
#include "upcoach/identity/ssostore.h"
#include "upcoach/tenancy/tenantusers.h"
#include "upcoach/tenancy/usage.h"

#include <QJsonArray>
#include <QUrlQuery>

using namespace upcoach;
using namespace upcoach::testing;

namespace {

QString str(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toString();
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject newUser(const QString &userName, const QString &family, const QString &email,
                    bool withEnterprise = false)
{
    QJsonObject user{
        {QStringLiteral("schemas"),
         QJsonArray{QStringLiteral("urn:ietf:params:scim:schemas:core:2.0:User")}},
        {QStringLiteral("userName"), userName},
        {QStringLiteral("externalId"), QString(QStringLiteral("ext-") + userName)},
        {QStringLiteral("name"), QJsonObject{{QStringLiteral("givenName"), QStringLiteral("Ada")},
                                             {QStringLiteral("familyName"), family}}},
        {QStringLiteral("emails"),
         QJsonArray{QJsonObject{{QStringLiteral("value"), email},
                                {QStringLiteral("type"), QStringLiteral("work")},
                                {QStringLiteral("primary"), true}}}},
        {QStringLiteral("active"), true},
    };
    if (withEnterprise) {
        const QString urn =
            QStringLiteral("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
        user.insert(QStringLiteral("schemas"),
                    QJsonArray{QStringLiteral("urn:ietf:params:scim:schemas:core:2.0:User"), urn});
        user.insert(urn, QJsonObject{{QStringLiteral("department"), QStringLiteral("Coaching")},
                                     {QStringLiteral("employeeNumber"), QStringLiteral("701")}});
    }
    return user;
}

QJsonObject patchOp(const QJsonArray &operations)
{
    return QJsonObject{
        {QStringLiteral("schemas"),
         QJsonArray{QStringLiteral("urn:ietf:params:scim:api:messages:2.0:PatchOp")}},
        {QStringLiteral("Operations"), operations}};
}

QJsonObject op(const char *verb, const QString &path, const QJsonValue &value = {})
{
    QJsonObject operation{{QStringLiteral("op"), QLatin1String(verb)}};
    if (!path.isEmpty())
        operation.insert(QStringLiteral("path"), path);
    if (!value.isUndefined() && !value.isNull())
        operation.insert(QStringLiteral("value"), value);
    return operation;
}

} // namespace

class TestApiScim : public QObject
{
    Q_OBJECT
    TenantApiFixture m_f;
    IdentityStack m_id;
    identity::SamlKeyPair m_idp;
    QString m_a; // rls tenant
    QString m_b; // schema-per-tenant tenant
    QByteArray m_tokenA;
    QByteArray m_tokenB;
    QString m_base;
    const QString m_idpEntity = QStringLiteral("https://idp.example.test/metadata");

    HttpReply scim(const QByteArray &verb, const QString &slug, const QString &path,
                   const QByteArray &token, const QByteArray &body = {},
                   QList<QPair<QByteArray, QByteArray>> headers = {})
    {
        if (!body.isEmpty())
            headers.append(
                qMakePair(QByteArray("Content-Type"), QByteArray("application/scim+json")));
        return m_f.send(verb, QStringLiteral("/scim/v2/") + slug + u'/' + path, token, body,
                        headers);
    }

    QString filterQuery(const QString &filter)
    {
        return QStringLiteral("Users?filter=") +
               QString::fromLatin1(QUrl::toPercentEncoding(filter));
    }

    QByteArray rotate(const QString &slug)
    {
        const HttpReply reply = m_f.send(
            "POST", QStringLiteral("/api/v1/tenants/") + slug + QStringLiteral("/scim-token"),
            m_f.admin);
        if (reply.status != 201)
            qWarning() << "rotation answered" << reply.status << reply.body;
        return str(reply.json(), "token").toLatin1();
    }

    QString createUser(const QString &slug, const QByteArray &token, const QJsonObject &user)
    {
        const HttpReply reply = scim("POST", slug, QStringLiteral("Users"), token, json(user));
        if (reply.status != 201)
            qWarning() << "create answered" << reply.status << reply.body;
        return str(reply.json(), "id");
    }

    HttpReply samlLogin(const QString &slug, const QString &email)
    {
        ForgedResponse r;
        r.idpEntityId = m_idpEntity;
        r.spEntityId = m_base + QStringLiteral("/sso/saml/") + slug + QStringLiteral("/metadata");
        r.acsUrl = m_base + QStringLiteral("/sso/saml/") + slug + QStringLiteral("/acs");
        r.now = QDateTime::currentDateTimeUtc();
        r.assertionId = QStringLiteral("_a") + QUuid::createUuid().toString(QUuid::Id128);
        r.nameId = email;
        r.attributes = {{QStringLiteral("email"), email}};
        const QByteArray xml = forgeResponseXml(r, m_idp.privateKeyPem, m_idp.certificatePem);
        const QByteArray body = "SAMLResponse=" + xml.toBase64().toPercentEncoding();
        return m_f.send("POST", QStringLiteral("/sso/saml/") + slug + QStringLiteral("/acs"), {},
                        body, {{"Content-Type", "application/x-www-form-urlencoded"}});
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto idp = identity::generateSamlKeyPair(QStringLiteral("idp"));
        QVERIFY(idp);
        m_idp = *idp;
        const QString error =
            m_f.start(1, [this](api::ServerDeps &deps) { m_id.build(m_f, deps); });
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_base = m_id.useServerUrl(m_f);
        const QString created = offThread([this]() -> QString {
            auto a = m_f.tenancy->createTenant(QStringLiteral("scima"),
                                               tenancy::IsolationStrategy::RowLevelSecurity);
            auto b = m_f.tenancy->createTenant(QStringLiteral("scimb"),
                                               tenancy::IsolationStrategy::Schema);
            if (!a || !b)
                return (a ? b.error() : a.error()).message;
            m_a = a->slug;
            m_b = b->slug;
            identity::SamlConnectionSettings settings;
            settings.idp.entityId = m_idpEntity;
            settings.idp.ssoRedirectUrl = QUrl(QStringLiteral("https://idp.example.test/sso"));
            settings.idp.certificatesPem = {m_idp.certificatePem};
            settings.idp.allowIdpInitiated = true;
            settings.emailAttribute = QStringLiteral("email");
            identity::NewSsoConnection connection;
            connection.name = QStringLiteral("Example IdP");
            connection.settings = identity::samlSettingsToJson(settings);
            auto stored = m_id.store->createConnection(a->id, connection);
            if (!stored)
                return stored.error().message;
            return {};
        });
        QVERIFY2(created.isEmpty(), qPrintable(created));
        m_tokenA = rotate(m_a);
        m_tokenB = rotate(m_b);
        QVERIFY(m_tokenA.startsWith("scim_"));
        QVERIFY(m_tokenB.startsWith("scim_"));
    }

    void cleanupTestCase() { m_id.stop(m_f); }

    void discoveryAnswersWithoutAToken()
    {
        HttpReply config = scim("GET", m_a, QStringLiteral("ServiceProviderConfig"), {});
        QCOMPARE(config.status, 200);
        QCOMPARE(config.header("content-type"), QByteArray("application/scim+json"));
        const QJsonObject body = config.json();
        QVERIFY(body.value(QStringLiteral("patch"))
                    .toObject()
                    .value(QStringLiteral("supported"))
                    .toBool());
        QVERIFY(body.value(QStringLiteral("etag"))
                    .toObject()
                    .value(QStringLiteral("supported"))
                    .toBool());
        QVERIFY(!body.value(QStringLiteral("bulk"))
                     .toObject()
                     .value(QStringLiteral("supported"))
                     .toBool(true));
        QCOMPARE(body.value(QStringLiteral("filter"))
                     .toObject()
                     .value(QStringLiteral("maxResults"))
                     .toInt(),
                 identity::kScimMaxResults);
        QCOMPARE(str(body.value(QStringLiteral("meta")).toObject(), "location"),
                 m_base + QStringLiteral("/scim/v2/") + m_a +
                     QStringLiteral("/ServiceProviderConfig"));

        const HttpReply schemas = scim("GET", m_a, QStringLiteral("Schemas"), {});
        QCOMPARE(schemas.status, 200);
        QStringList ids;
        for (const QJsonValue &schema : schemas.json().value(QStringLiteral("Resources")).toArray())
            ids << str(schema.toObject(), "id");
        QVERIFY(ids.contains(QStringLiteral("urn:ietf:params:scim:schemas:core:2.0:User")));
        QVERIFY(ids.contains(QStringLiteral("urn:ietf:params:scim:schemas:core:2.0:Group")));
        QVERIFY(ids.contains(
            QStringLiteral("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")));
        const HttpReply one = scim(
            "GET", m_a, QStringLiteral("Schemas/urn:ietf:params:scim:schemas:core:2.0:Group"), {});
        QCOMPARE(one.status, 200);
        QCOMPARE(str(one.json(), "name"), QStringLiteral("Group"));
        const HttpReply types = scim("GET", m_a, QStringLiteral("ResourceTypes/User"), {});
        QCOMPARE(types.status, 200);
        QCOMPARE(str(types.json(), "endpoint"), QStringLiteral("/Users"));

        QCOMPARE(scim("GET", QStringLiteral("no-such-tenant"),
                      QStringLiteral("ServiceProviderConfig"), {})
                     .status,
                 404);
        QCOMPARE(scim("POST", m_a, QStringLiteral("ServiceProviderConfig"), m_tokenA, "{}").status,
                 405);
    }

    void requestsWithoutTheTenantsTokenAreRefused()
    {
        const HttpReply none = scim("GET", m_a, QStringLiteral("Users"), {});
        QCOMPARE(none.status, 401);
        QVERIFY(none.header("www-authenticate").startsWith("Bearer"));
        QCOMPARE(str(none.json(), "status"), QStringLiteral("401"));
        QCOMPARE(scim("GET", m_a, QStringLiteral("Users"), "scim_wrong").status, 401);
        // Another tenant's valid token: the same answer as a wrong one.
        QCOMPARE(scim("GET", m_a, QStringLiteral("Users"), m_tokenB).status, 401);
        // An ops API token is not a SCIM token.
        QCOMPARE(scim("GET", m_a, QStringLiteral("Users"), m_f.admin).status, 401);
        // A write with a wrong token is refused and recorded as denied.
        QCOMPARE(scim("POST", m_a, QStringLiteral("Users"), m_tokenB,
                      json(newUser(QStringLiteral("intruder"), QStringLiteral("X"),
                                   QStringLiteral("intruder@example.com"))))
                     .status,
                 401);
        bool denied = false;
        for (const auto &event : m_f.auditOfTenant(m_a))
            denied |= event.action == QStringLiteral("scim.request") &&
                      event.outcome == QStringLiteral("denied");
        QVERIFY(denied);
        // Only ops-admin tokens rotate; viewers read the status.
        QCOMPARE(m_f.send("POST",
                          QStringLiteral("/api/v1/tenants/") + m_a + QStringLiteral("/scim-token"),
                          m_f.viewer)
                     .status,
                 403);
        const HttpReply status = m_f.send(
            "GET", QStringLiteral("/api/v1/tenants/") + m_a + QStringLiteral("/scim-token"),
            m_f.viewer);
        QCOMPARE(status.status, 200);
        QVERIFY(!status.json().value(QStringLiteral("issuedAt")).isNull());
        QVERIFY(!status.body.contains("scim_"));
    }

    void rotationRevokesThePreviousToken()
    {
        const QByteArray old = m_tokenB;
        m_tokenB = rotate(m_b);
        QVERIFY(!m_tokenB.isEmpty() && m_tokenB != old);
        QCOMPARE(scim("GET", m_b, QStringLiteral("Users"), old).status, 401);
        QCOMPARE(scim("GET", m_b, QStringLiteral("Users"), m_tokenB).status, 200);
        bool recorded = false;
        for (const auto &event : m_f.auditOfTenant(m_b))
            recorded |= event.action == QStringLiteral("sso.scim.token-rotate");
        QVERIFY(recorded);
    }

    void usersAreCreatedReadAndFiltered()
    {
        const HttpReply created =
            scim("POST", m_a, QStringLiteral("Users"), m_tokenA,
                 json(newUser(QStringLiteral("grace.h@example.com"), QStringLiteral("Hopper"),
                              QStringLiteral("grace.h@example.com"), true)));
        QCOMPARE(created.status, 201);
        const QJsonObject user = created.json();
        const QString id = str(user, "id");
        QVERIFY(!QUuid::fromString(id).isNull());
        QCOMPARE(QString::fromUtf8(created.header("location")),
                 m_base + QStringLiteral("/scim/v2/") + m_a + QStringLiteral("/Users/") + id);
        const QJsonObject meta = user.value(QStringLiteral("meta")).toObject();
        QCOMPARE(str(meta, "resourceType"), QStringLiteral("User"));
        QCOMPARE(created.header("etag"), str(meta, "version").toLatin1());
        QVERIFY(created.header("etag").startsWith("W/\""));
        QCOMPARE(str(user, "externalId"), QStringLiteral("ext-grace.h@example.com"));
        QCOMPARE(
            user.value(QStringLiteral("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"))
                .toObject()
                .value(QStringLiteral("department"))
                .toString(),
            QStringLiteral("Coaching"));

        const HttpReply read = scim("GET", m_a, QStringLiteral("Users/") + id, m_tokenA);
        QCOMPARE(read.status, 200);
        QCOMPARE(str(read.json(), "userName"), QStringLiteral("grace.h@example.com"));
        // If-None-Match with the current version: 304, no body.
        const HttpReply same = scim("GET", m_a, QStringLiteral("Users/") + id, m_tokenA, {},
                                    {{"If-None-Match", read.header("etag")}});
        QCOMPARE(same.status, 304);

        // The user is a tenant user now (the coaching model's users table).
        const auto listed = offThread([this] {
            tenancy::TenantUserQuery query;
            query.search = QStringLiteral("grace.h@");
            return m_id.users->list(m_a, query);
        });
        QVERIFY(listed && listed->users.size() == 1);
        QCOMPARE(listed->users.front().managedBy, QStringLiteral("scim"));

        createUser(m_a, m_tokenA,
                   newUser(QStringLiteral("alan.t@example.com"), QStringLiteral("Turing"),
                           QStringLiteral("alan.t@example.com")));
        createUser(m_a, m_tokenA,
                   newUser(QStringLiteral("hedy.l@example.org"), QStringLiteral("Lamarr"),
                           QStringLiteral("hedy.l@example.org")));

        auto total = [this](const QString &filter) {
            const HttpReply reply = scim("GET", m_a, filterQuery(filter), m_tokenA);
            if (reply.status != 200)
                qWarning() << filter << reply.status << reply.body;
            return reply.json().value(QStringLiteral("totalResults")).toInt(-1);
        };
        QCOMPARE(total(QStringLiteral("userName eq \"GRACE.H@example.com\"")), 1);
        QCOMPARE(total(QStringLiteral("emails[type eq \"work\" and value co \"@example.com\"]")),
                 2);
        QCOMPARE(total(QStringLiteral("name.familyName sw \"Tur\"")), 1);
        QCOMPARE(total(QStringLiteral("externalId eq \"ext-hedy.l@example.org\"")), 1);
        QCOMPARE(total(QStringLiteral("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:"
                                      "department eq \"coaching\"")),
                 1);
        QCOMPARE(total(QStringLiteral("active eq true and not (userName ew \".org\")")), 2);
        QCOMPARE(total(QStringLiteral("meta.lastModified gt \"2020-01-01T00:00:00Z\" and "
                                      "(name.familyName eq \"Lamarr\" or name.familyName eq "
                                      "\"Hopper\")")),
                 2);
        QCOMPARE(total(QStringLiteral("title pr")), 0);
        QCOMPARE(total(QStringLiteral("userName ne \"alan.t@example.com\"")), 2);

        // Sorting and paging.
        const HttpReply page =
            scim("GET", m_a,
                 QStringLiteral(
                     "Users?sortBy=name.familyName&sortOrder=descending&startIndex=2&count=1"),
                 m_tokenA);
        QCOMPARE(page.status, 200);
        const QJsonObject list = page.json();
        QCOMPARE(list.value(QStringLiteral("totalResults")).toInt(), 3);
        QCOMPARE(list.value(QStringLiteral("itemsPerPage")).toInt(), 1);
        QCOMPARE(list.value(QStringLiteral("startIndex")).toInt(), 2);
        QCOMPARE(
            str(list.value(QStringLiteral("Resources")).toArray().at(0).toObject(), "userName"),
            QStringLiteral("hedy.l@example.org"));

        // Projections.
        const QJsonObject only =
            scim("GET", m_a, QStringLiteral("Users/") + id + QStringLiteral("?attributes=userName"),
                 m_tokenA)
                .json();
        QCOMPARE(str(only, "id"), id);
        QCOMPARE(str(only, "userName"), QStringLiteral("grace.h@example.com"));
        QVERIFY(!only.contains(QStringLiteral("emails")));
        const QJsonObject without =
            scim("GET", m_a,
                 QStringLiteral("Users/") + id + QStringLiteral("?excludedAttributes=emails"),
                 m_tokenA)
                .json();
        QVERIFY(!without.contains(QStringLiteral("emails")));
        QVERIFY(without.contains(QStringLiteral("name")));
    }

    void uniquenessVersionsAndPatch()
    {
        // userName is unique in any case.
        const HttpReply duplicate =
            scim("POST", m_a, QStringLiteral("Users"), m_tokenA,
                 json(newUser(QStringLiteral("Grace.H@example.com"), QStringLiteral("Other"),
                              QStringLiteral("other@example.com"))));
        QCOMPARE(duplicate.status, 409);
        QCOMPARE(str(duplicate.json(), "scimType"), QStringLiteral("uniqueness"));

        const QString id =
            createUser(m_a, m_tokenA,
                       newUser(QStringLiteral("mary.j@example.com"), QStringLiteral("Jackson"),
                               QStringLiteral("mary.j@example.com")));
        QVERIFY(!id.isEmpty());
        const QByteArray v1 =
            scim("GET", m_a, QStringLiteral("Users/") + id, m_tokenA).header("etag");

        QJsonObject replacement =
            newUser(QStringLiteral("mary.j@example.com"), QStringLiteral("Jackson"),
                    QStringLiteral("mary.j@example.com"));
        replacement.insert(QStringLiteral("displayName"), QStringLiteral("Mary Jackson"));
        const HttpReply replaced = scim("PUT", m_a, QStringLiteral("Users/") + id, m_tokenA,
                                        json(replacement), {{"If-Match", v1}});
        QCOMPARE(replaced.status, 200);
        QCOMPARE(str(replaced.json(), "displayName"), QStringLiteral("Mary Jackson"));
        const QByteArray v2 = replaced.header("etag");
        QVERIFY(v2 != v1);
        // The old version no longer matches.
        QCOMPARE(scim("PUT", m_a, QStringLiteral("Users/") + id, m_tokenA, json(replacement),
                      {{"If-Match", v1}})
                     .status,
                 412);

        const QJsonObject patch = patchOp(QJsonArray{
            op("add", QStringLiteral("emails"),
               QJsonArray{QJsonObject{{QStringLiteral("value"), QStringLiteral("mary@home.test")},
                                      {QStringLiteral("type"), QStringLiteral("home")}}}),
            op("replace", QStringLiteral("emails[type eq \"work\"].value"),
               QStringLiteral("mary.jackson@example.com")),
            op("Replace", {},
               QJsonObject{{QStringLiteral("name.givenName"), QStringLiteral("Mary")}}),
        });
        const HttpReply patched =
            scim("PATCH", m_a, QStringLiteral("Users/") + id, m_tokenA, json(patch));
        QCOMPARE(patched.status, 200);
        QStringList emails;
        for (const QJsonValue &email : patched.json().value(QStringLiteral("emails")).toArray())
            emails << str(email.toObject(), "value");
        QCOMPARE(emails, QStringList({QStringLiteral("mary.jackson@example.com"),
                                      QStringLiteral("mary@home.test")}));
        QCOMPARE(str(patched.json().value(QStringLiteral("name")).toObject(), "givenName"),
                 QStringLiteral("Mary"));
        // The primary work e-mail is the tenant user's e-mail now.
        const auto found = offThread([this] {
            return m_id.users->findByEmail(m_a, QStringLiteral("mary.jackson@example.com"));
        });
        QVERIFY(found);

        const HttpReply removed = scim(
            "PATCH", m_a, QStringLiteral("Users/") + id, m_tokenA,
            json(patchOp(QJsonArray{op("remove", QStringLiteral("emails[type eq \"home\"]"))})));
        QCOMPARE(removed.status, 200);
        QCOMPARE(removed.json().value(QStringLiteral("emails")).toArray().size(), 1);

        const HttpReply badPath =
            scim("PATCH", m_a, QStringLiteral("Users/") + id, m_tokenA,
                 json(patchOp(QJsonArray{op("replace", QStringLiteral("noSuchAttribute"), 1)})));
        QCOMPARE(badPath.status, 400);
        QVERIFY(!str(badPath.json(), "scimType").isEmpty());
        // Audit: every change, by id, without userName or e-mail.
        QStringList actions;
        for (const auto &event : m_f.auditOfTenant(m_a)) {
            if (!event.action.startsWith(QStringLiteral("scim.user.")))
                continue;
            actions << event.action;
            const QByteArray details = QJsonDocument(event.details).toJson();
            QVERIFY2(!details.contains("@"), details.constData());
            QVERIFY(!event.target.contains(QLatin1Char('@')));
        }
        QVERIFY(actions.contains(QStringLiteral("scim.user.create")));
        QVERIFY(actions.contains(QStringLiteral("scim.user.replace")));
        QVERIFY(actions.contains(QStringLiteral("scim.user.patch")));
    }

    void groupsTrackTheirMembers()
    {
        const QString u1 =
            createUser(m_a, m_tokenA,
                       newUser(QStringLiteral("g1@example.com"), QStringLiteral("One"),
                               QStringLiteral("g1@example.com")));
        const QString u2 =
            createUser(m_a, m_tokenA,
                       newUser(QStringLiteral("g2@example.com"), QStringLiteral("Two"),
                               QStringLiteral("g2@example.com")));
        const QString u3 =
            createUser(m_a, m_tokenA,
                       newUser(QStringLiteral("g3@example.com"), QStringLiteral("Three"),
                               QStringLiteral("g3@example.com")));
        const QJsonObject group{
            {QStringLiteral("schemas"),
             QJsonArray{QStringLiteral("urn:ietf:params:scim:schemas:core:2.0:Group")}},
            {QStringLiteral("displayName"), QStringLiteral("Coaches")},
            {QStringLiteral("members"), QJsonArray{QJsonObject{{QStringLiteral("value"), u1}},
                                                   QJsonObject{{QStringLiteral("value"), u2}}}}};
        const HttpReply created =
            scim("POST", m_a, QStringLiteral("Groups"), m_tokenA, json(group));
        QCOMPARE(created.status, 201);
        const QString gid = str(created.json(), "id");
        QCOMPARE(created.json().value(QStringLiteral("members")).toArray().size(), 2);
        QCOMPARE(scim("POST", m_a, QStringLiteral("Groups"), m_tokenA, json(group)).status, 409);

        const QJsonObject member = scim("GET", m_a, QStringLiteral("Users/") + u1, m_tokenA).json();
        const QJsonArray groups = member.value(QStringLiteral("groups")).toArray();
        QCOMPARE(groups.size(), 1);
        QCOMPARE(str(groups.at(0).toObject(), "value"), gid);
        QCOMPARE(str(groups.at(0).toObject(), "display"), QStringLiteral("Coaches"));

        const HttpReply patched =
            scim("PATCH", m_a, QStringLiteral("Groups/") + gid, m_tokenA,
                 json(patchOp(QJsonArray{op("add", QStringLiteral("members"),
                                            QJsonArray{QJsonObject{{QStringLiteral("value"), u3}}}),
                                         op("remove", QStringLiteral("members[value eq \"") + u2 +
                                                          QStringLiteral("\"]"))})));
        QCOMPARE(patched.status, 200);
        QStringList members;
        for (const QJsonValue &m : patched.json().value(QStringLiteral("members")).toArray())
            members << str(m.toObject(), "value");
        members.sort();
        QStringList expected{u1, u3};
        expected.sort();
        QCOMPARE(members, expected);

        // A member that is not a user of this tenant.
        const HttpReply foreign = scim(
            "PATCH", m_a, QStringLiteral("Groups/") + gid, m_tokenA,
            json(patchOp(QJsonArray{op(
                "add", QStringLiteral("members"),
                QJsonArray{QJsonObject{{QStringLiteral("value"),
                                        QUuid::createUuid().toString(QUuid::WithoutBraces)}}})})));
        QCOMPARE(foreign.status, 400);

        const HttpReply filtered =
            scim("GET", m_a,
                 QStringLiteral("Groups?filter=") +
                     QString::fromLatin1(QUrl::toPercentEncoding(
                         QStringLiteral("displayName eq \"coaches\" and members.value eq \"") + u3 +
                         u'"')),
                 m_tokenA);
        QCOMPARE(filtered.json().value(QStringLiteral("totalResults")).toInt(), 1);

        // Deleting a user removes it from its groups.
        QCOMPARE(scim("DELETE", m_a, QStringLiteral("Users/") + u3, m_tokenA).status, 204);
        QCOMPARE(scim("GET", m_a, QStringLiteral("Users/") + u3, m_tokenA).status, 404);
        QCOMPARE(scim("DELETE", m_a, QStringLiteral("Users/") + u3, m_tokenA).status, 404);
        const QJsonObject after =
            scim("GET", m_a, QStringLiteral("Groups/") + gid, m_tokenA).json();
        QCOMPARE(after.value(QStringLiteral("members")).toArray().size(), 1);
        // The userName is free again.
        QVERIFY(!createUser(m_a, m_tokenA,
                            newUser(QStringLiteral("g3@example.com"), QStringLiteral("Three"),
                                    QStringLiteral("g3@example.com")))
                     .isEmpty());
        QCOMPARE(scim("DELETE", m_a, QStringLiteral("Groups/") + gid, m_tokenA).status, 204);
        QCOMPARE(scim("GET", m_a, QStringLiteral("Groups/") + gid, m_tokenA).status, 404);
    }

    void malformedInputIsRefused()
    {
        const HttpReply badFilter =
            scim("GET", m_a, filterQuery(QStringLiteral("userName eq")), m_tokenA);
        QCOMPARE(badFilter.status, 400);
        QCOMPARE(str(badFilter.json(), "scimType"), QStringLiteral("invalidFilter"));
        const HttpReply injection =
            scim("GET", m_a, filterQuery(QStringLiteral("userName eq \"x' OR '1'='1\"")), m_tokenA);
        QCOMPARE(injection.status, 200);
        QCOMPARE(injection.json().value(QStringLiteral("totalResults")).toInt(), 0);
        QCOMPARE(
            scim("GET", m_a, filterQuery(QStringLiteral("password eq \"x\"")), m_tokenA).status,
            400);
        QCOMPARE(scim("GET", m_a, QStringLiteral("Users?sortBy=nothing"), m_tokenA).status, 400);
        const HttpReply notJson =
            scim("POST", m_a, QStringLiteral("Users"), m_tokenA, "{\"userName\": ");
        QCOMPARE(notJson.status, 400);
        QCOMPARE(str(notJson.json(), "scimType"), QStringLiteral("invalidSyntax"));
        QCOMPARE(m_f.send("POST", QStringLiteral("/scim/v2/") + m_a + QStringLiteral("/Users"),
                          m_tokenA, "userName=x", {{"Content-Type", "text/plain"}})
                     .status,
                 415);
        const HttpReply noUserName =
            scim("POST", m_a, QStringLiteral("Users"), m_tokenA,
                 json(QJsonObject{
                     {QStringLiteral("schemas"),
                      QJsonArray{QStringLiteral("urn:ietf:params:scim:schemas:core:2.0:User")}}}));
        QCOMPARE(noUserName.status, 400);
        QJsonObject noEmail = newUser(QStringLiteral("no-email"), QStringLiteral("X"),
                                      QStringLiteral("x@example.com"));
        noEmail.remove(QStringLiteral("emails"));
        QCOMPARE(scim("POST", m_a, QStringLiteral("Users"), m_tokenA, json(noEmail)).status, 400);
        QByteArray huge = "{\"userName\":\"" + QByteArray(2 * 1024 * 1024, 'a') + "\"}";
        QCOMPARE(scim("POST", m_a, QStringLiteral("Users"), m_tokenA, huge).status, 413);
        QCOMPARE(scim("GET", m_a, QStringLiteral("Users/not-a-uuid"), m_tokenA).status, 404);
        QCOMPARE(scim("GET", m_a, QStringLiteral("Nothing"), m_tokenA).status, 404);
        QCOMPARE(scim("PUT", m_a, QStringLiteral("Users"), m_tokenA, "{}").status, 405);
        // Nothing of the above left a user behind.
        QCOMPARE(scim("GET", m_a, filterQuery(QStringLiteral("userName eq \"no-email\"")), m_tokenA)
                     .json()
                     .value(QStringLiteral("totalResults"))
                     .toInt(),
                 0);
    }

    void tenantsCannotReachEachOther()
    {
        const QString inB =
            createUser(m_b, m_tokenB,
                       newUser(QStringLiteral("bee@example.com"), QStringLiteral("Bee"),
                               QStringLiteral("bee@example.com")));
        QVERIFY(!inB.isEmpty());
        // B's user id under A (with A's token): not found, not changeable, not deletable.
        QCOMPARE(scim("GET", m_a, QStringLiteral("Users/") + inB, m_tokenA).status, 404);
        QCOMPARE(scim("PATCH", m_a, QStringLiteral("Users/") + inB, m_tokenA,
                      json(patchOp(QJsonArray{op("replace", QStringLiteral("active"), false)})))
                     .status,
                 404);
        QCOMPARE(scim("DELETE", m_a, QStringLiteral("Users/") + inB, m_tokenA).status, 404);
        QCOMPARE(scim("GET", m_a, filterQuery(QStringLiteral("userName eq \"bee@example.com\"")),
                      m_tokenA)
                     .json()
                     .value(QStringLiteral("totalResults"))
                     .toInt(),
                 0);
        // A's users in a B group: not users of B.
        const QString inA =
            createUser(m_a, m_tokenA,
                       newUser(QStringLiteral("ant@example.com"), QStringLiteral("Ant"),
                               QStringLiteral("ant@example.com")));
        const QJsonObject group{
            {QStringLiteral("schemas"),
             QJsonArray{QStringLiteral("urn:ietf:params:scim:schemas:core:2.0:Group")}},
            {QStringLiteral("displayName"), QStringLiteral("Mixed")},
            {QStringLiteral("members"), QJsonArray{QJsonObject{{QStringLiteral("value"), inA}}}}};
        QCOMPARE(scim("POST", m_b, QStringLiteral("Groups"), m_tokenB, json(group)).status, 400);
        // The same userName may exist in both tenants.
        QVERIFY(!createUser(m_b, m_tokenB,
                            newUser(QStringLiteral("ant@example.com"), QStringLiteral("Ant"),
                                    QStringLiteral("ant@example.com")))
                     .isEmpty());
        QCOMPARE(scim("GET", m_b, QStringLiteral("Users"), m_tokenB)
                     .json()
                     .value(QStringLiteral("totalResults"))
                     .toInt(),
                 2);
    }

    void deprovisioningCutsSsoAccessAtOnce()
    {
        const QString email = QStringLiteral("leaver@example.com");
        const QString id =
            createUser(m_a, m_tokenA, newUser(email, QStringLiteral("Leaver"), email));
        QVERIFY(!id.isEmpty());
        const HttpReply before = samlLogin(m_a, email);
        QVERIFY2(before.status == 200, before.body.constData());
        QCOMPARE(str(before.json().value(QStringLiteral("user")).toObject(), "id"), id);
        QVERIFY(!before.json().value(QStringLiteral("provisioned")).toBool(true));

        // Entra ID's deactivation: a PATCH without path and a string boolean.
        const HttpReply deactivated =
            scim("PATCH", m_a, QStringLiteral("Users/") + id, m_tokenA,
                 json(patchOp(QJsonArray{
                     op("Replace", {},
                        QJsonObject{{QStringLiteral("active"), QStringLiteral("False")}})})));
        QCOMPARE(deactivated.status, 200);
        QCOMPARE(deactivated.json().value(QStringLiteral("active")).toBool(true), false);
        const HttpReply after = samlLogin(m_a, email);
        QCOMPARE(after.status, 403);
        QVERIFY(after.body.contains("deactivated"));
        QCOMPARE(scim("GET", m_a, filterQuery(QStringLiteral("active eq false")), m_tokenA)
                     .json()
                     .value(QStringLiteral("totalResults"))
                     .toInt(),
                 1);
    }
};

QTEST_GUILESS_MAIN(TestApiScim)
#include "test_api_scim.moc"
