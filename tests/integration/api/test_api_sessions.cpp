// Sessions, RBAC and MFA through the API over real PostgreSQL: a SAML sign-in starts a session
// whose access token acts only within its tenant and only as its role allows; refresh rotates
// and a reused refresh token revokes; logout, an admin's revocation and SCIM deprovisioning cut
// access at once; forged, tampered, cross-tenant and expired access tokens are refused; the
// tenant's MFA policy makes a session owe a second factor (TOTP enrolment with QR code and
// recovery codes, one-time codes, recovery codes used up, an IdP-asserted MFA when allowed,
// revocation after repeated wrong codes); every event is in the audit log.
#include "identitytestsupport.h"
#include "samlforge.h"
#include "upcoach/core/crypto.h"
#include "upcoach/identity/jose.h"
#include "upcoach/identity/totp.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace upcoach;
using namespace upcoach::testing;

namespace {

const QString kMfaClass = QStringLiteral("urn:example:mfa");

QByteArray b64url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QJsonObject part(const QByteArray &token, int index)
{
    return QJsonDocument::fromJson(
               QByteArray::fromBase64(token.split('.').value(index), QByteArray::Base64UrlEncoding))
        .object();
}

QByteArray unsignedJwt(const QJsonObject &header, const QJsonObject &claims)
{
    return b64url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
           b64url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
}

QString totpNow(const QString &secretBase32, qint64 offsetSteps = 0)
{
    auto secret = identity::base32Decode(secretBase32);
    if (!secret)
        return {};
    auto code = identity::totp(*secret, QDateTime::currentSecsSinceEpoch() + offsetSteps * 30);
    return code ? *code : QString();
}

} // namespace

class TestApiSessions : public QObject
{
    Q_OBJECT
    TenantApiFixture m_f;
    IdentityStack m_id;
    identity::SamlKeyPair m_idp;
    QString m_base;
    QString m_acme;
    QString m_globex;
    QUuid m_acmeId;
    int m_assertions = 0;

    // An IdP-initiated sign-in to `slug` as `email` with `groups`; the answer's JSON.
    QJsonObject signIn(const QString &slug, const QString &email, const QString &groups,
                       bool idpMfa = false, int *status = nullptr)
    {
        ForgedResponse r;
        r.idpEntityId = QStringLiteral("https://idp.example.test/") + slug;
        r.spEntityId = m_base + QStringLiteral("/sso/saml/") + slug + QStringLiteral("/metadata");
        r.acsUrl = m_base + QStringLiteral("/sso/saml/") + slug + QStringLiteral("/acs");
        r.now = QDateTime::currentDateTimeUtc();
        r.assertionId = QStringLiteral("_as%1").arg(++m_assertions);
        r.responseId = QStringLiteral("_rs%1").arg(m_assertions);
        r.nameId = email;
        r.attributes = {{QStringLiteral("email"), email}, {QStringLiteral("groups"), groups}};
        if (idpMfa)
            r.authnContextClassRef = kMfaClass;
        const QByteArray xml = forgeResponseXml(r, m_idp.privateKeyPem, m_idp.certificatePem);
        const HttpReply reply =
            m_f.send("POST", QStringLiteral("/sso/saml/") + slug + QStringLiteral("/acs"), {},
                     "SAMLResponse=" + xml.toBase64().toPercentEncoding(),
                     {{"Content-Type", "application/x-www-form-urlencoded"}});
        if (status)
            *status = reply.status;
        if (reply.status != 200)
            qWarning() << "sign-in failed:" << reply.status << reply.body;
        return reply.json();
    }

    static QJsonObject session(const QJsonObject &login)
    {
        return login.value(QStringLiteral("session")).toObject();
    }
    static QByteArray access(const QJsonObject &tokens)
    {
        return tokens.value(QStringLiteral("accessToken")).toString().toLatin1();
    }

    HttpReply json(const QByteArray &verb, const QString &path, const QByteArray &token,
                   const QJsonObject &body)
    {
        return m_f.send(verb, path, token, QJsonDocument(body).toJson(QJsonDocument::Compact),
                        {{"Content-Type", "application/json"}});
    }

    HttpReply refresh(const QJsonObject &tokens)
    {
        return json(
            "POST", QStringLiteral("/sso/session/refresh"), {},
            {{QStringLiteral("refreshToken"), tokens.value(QStringLiteral("refreshToken"))}});
    }

    int countEvents(const QString &slug, const QString &action, const QString &outcome)
    {
        int n = 0;
        for (const auto &event : m_f.auditOfTenant(slug))
            if (event.action == action && event.outcome == outcome)
                ++n;
        return n;
    }

    void setPolicy(const QString &slug, const QJsonObject &policy)
    {
        const HttpReply reply =
            json("PUT", QStringLiteral("/api/v1/tenants/") + slug + QStringLiteral("/mfa-policy"),
                 m_f.admin, policy);
        QVERIFY2(reply.status == 200, reply.body.constData());
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto idp = identity::generateSamlKeyPair(QStringLiteral("idp"));
        QVERIFY(idp);
        m_idp = *idp;
        const QString error = m_f.start(1, [this](api::ServerDeps &deps) {
            m_id.build(m_f, deps, true, true);
            deps.tenantUsers = m_id.users.get();
            deps.tenantQuota = m_id.quota.get();
        });
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_base = m_id.useServerUrl(m_f);
        const QString created = offThread([this]() -> QString {
            for (const QString &name : {QStringLiteral("acme"), QStringLiteral("globex")}) {
                auto tenant =
                    m_f.tenancy->createTenant(name, tenancy::IsolationStrategy::RowLevelSecurity);
                if (!tenant)
                    return tenant.error().message;
                (name == QLatin1String("acme") ? m_acme : m_globex) = tenant->slug;
                if (name == QLatin1String("acme"))
                    m_acmeId = tenant->id;
                identity::SamlConnectionSettings settings;
                settings.idp.entityId = QStringLiteral("https://idp.example.test/") + tenant->slug;
                settings.idp.ssoRedirectUrl = QUrl(QStringLiteral("https://idp.example.test/sso"));
                settings.idp.certificatesPem = {m_idp.certificatePem};
                settings.idp.allowIdpInitiated = true;
                settings.emailAttribute = QStringLiteral("email");
                settings.mfaContextClassRef = kMfaClass;
                settings.roleRules = {
                    {QStringLiteral("groups"), QStringLiteral("admins"), QStringLiteral("admin")},
                    {QStringLiteral("groups"), QStringLiteral("coaches"), QStringLiteral("coach")}};
                identity::NewSsoConnection connection;
                connection.name = QStringLiteral("IdP");
                connection.settings = identity::samlSettingsToJson(settings);
                if (auto stored = m_id.store->createConnection(tenant->id, connection); !stored)
                    return stored.error().message;
            }
            return {};
        });
        QVERIFY2(created.isEmpty(), qPrintable(created));
    }

    void cleanupTestCase() { m_id.stop(m_f); }

    void signInStartsASessionThatActsWithinItsTenant()
    {
        const QJsonObject login =
            signIn(m_acme, QStringLiteral("ann@acme.test"), QStringLiteral("admins"));
        const QJsonObject tokens = session(login);
        QVERIFY2(!tokens.isEmpty(), QJsonDocument(login).toJson().constData());
        QCOMPARE(tokens.value(QStringLiteral("mfaPending")).toBool(), false);
        QVERIFY(tokens.value(QStringLiteral("refreshToken"))
                    .toString()
                    .startsWith(QStringLiteral("rt.")));
        const QByteArray token = access(tokens);
        // A JWT signed by the tenant's Ed25519 key.
        QCOMPARE(part(token, 0).value(QStringLiteral("alg")).toString(), QStringLiteral("EdDSA"));
        QCOMPARE(part(token, 1).value(QStringLiteral("ten")).toString(), m_acme);

        const HttpReply me = m_f.send("GET", QStringLiteral("/api/v1/me"), token);
        QVERIFY2(me.status == 200, me.body.constData());
        QCOMPARE(me.json().value(QStringLiteral("kind")).toString(), QStringLiteral("session"));
        QCOMPARE(me.json().value(QStringLiteral("role")).toString(), QStringLiteral("admin"));
        QCOMPARE(me.json().value(QStringLiteral("tenant")).toString(), m_acme);
        QVERIFY(me.json()
                    .value(QStringLiteral("permissions"))
                    .toArray()
                    .contains(QStringLiteral("tenant.identity")));

        const QString acme = QStringLiteral("/api/v1/tenants/") + m_acme;
        const QString globex = QStringLiteral("/api/v1/tenants/") + m_globex;
        QCOMPARE(m_f.send("GET", acme + QStringLiteral("/users"), token).status, 200);
        QCOMPARE(m_f.send("GET", acme, token).status, 200);
        QCOMPARE(m_f.send("GET", acme + QStringLiteral("/mfa-policy"), token).status, 200);
        // Another tenant's routes do not exist for this session.
        QCOMPARE(m_f.send("GET", globex + QStringLiteral("/users"), token).status, 404);
        QCOMPARE(m_f.send("GET", globex, token).status, 404);
        QCOMPARE(m_f.send("POST", globex + QStringLiteral("/scim-token"), token).status, 404);
        // Platform routes and operator-only tenant routes are not a tenant admin's.
        QCOMPARE(m_f.send("GET", QStringLiteral("/api/v1/tenants"), token).status, 403);
        QCOMPARE(m_f.send("GET", QStringLiteral("/api/v1/audit"), token).status, 403);
        QCOMPARE(m_f.send("GET", QStringLiteral("/api/v1/regions"), token).status, 403);
        const HttpReply issue = json("POST", QStringLiteral("/api/v1/tokens"), token,
                                     {{QStringLiteral("role"), QStringLiteral("ops-admin")}});
        QCOMPARE(issue.status, 403);
        QVERIFY(issue.body.contains("platform.manage"));
        QCOMPARE(m_f.send("POST", acme + QStringLiteral("/keys/rotate"), token).status, 403);
        QCOMPARE(m_f.send("POST", acme + QStringLiteral("/suspend"), token).status, 403);
        // What the role does grant: the tenant's identity settings.
        QCOMPARE(m_f.send("POST", acme + QStringLiteral("/scim-token"), token).status, 201);
        QVERIFY(countEvents(m_acme, QStringLiteral("session.start"), QStringLiteral("success")) >=
                1);
        // The refused change is recorded as denied, with the session's user as the actor.
        bool deniedRecorded = false;
        for (const auto &event : m_f.audit({}))
            if (event.action == QStringLiteral("tenant.key.rotate") &&
                event.outcome == QStringLiteral("denied"))
                deniedRecorded = event.actor.startsWith(QStringLiteral("user:"));
        QVERIFY(deniedRecorded);
    }

    void aRoleChangeAtTheIdpEndsTheOldSessions()
    {
        const QString users =
            QStringLiteral("/api/v1/tenants/") + m_acme + QStringLiteral("/users");
        const QByteArray asAdmin = access(
            session(signIn(m_acme, QStringLiteral("rita@acme.test"), QStringLiteral("admins"))));
        QCOMPARE(m_f.send("GET", users, asAdmin).status, 200);
        // The IdP takes Rita out of "admins": her next sign-in is a member's, and the admin
        // session she still holds ends with it.
        const QJsonObject later =
            signIn(m_acme, QStringLiteral("rita@acme.test"), QStringLiteral("staff"));
        QCOMPARE(later[QStringLiteral("user")][QStringLiteral("role")].toString(),
                 QStringLiteral("coachee"));
        QCOMPARE(m_f.send("GET", users, asAdmin).status, 401);
        const QByteArray asMember = access(session(later));
        QCOMPARE(m_f.send("GET", users, asMember).status, 403);
        QCOMPARE(m_f.send("GET", QStringLiteral("/api/v1/me"), asMember)
                     .json()[QStringLiteral("role")]
                     .toString(),
                 QStringLiteral("coachee"));
        QVERIFY(countEvents(m_acme, QStringLiteral("tenant.user.role"),
                            QStringLiteral("success")) >= 1);
    }

    void memberRolesOnlyReachTheirOwnSession()
    {
        const QByteArray token = access(
            session(signIn(m_acme, QStringLiteral("max@acme.test"), QStringLiteral("staff"))));
        QVERIFY(!token.isEmpty());
        const HttpReply me = m_f.send("GET", QStringLiteral("/api/v1/me"), token);
        QCOMPARE(me.json().value(QStringLiteral("role")).toString(), QStringLiteral("coachee"));
        const QString acme = QStringLiteral("/api/v1/tenants/") + m_acme;
        QCOMPARE(m_f.send("GET", acme + QStringLiteral("/users"), token).status, 403);
        QCOMPARE(m_f.send("GET", acme + QStringLiteral("/sessions"), token).status, 403);
        QCOMPARE(json("PUT", acme + QStringLiteral("/mfa-policy"), token,
                      {{QStringLiteral("requiredForAll"), false},
                       {QStringLiteral("requiredRoles"), QJsonArray()},
                       {QStringLiteral("acceptIdpMfa"), false}})
                     .status,
                 403);
        QCOMPARE(m_f.send("GET", QStringLiteral("/api/v1/me/mfa"), token).status, 200);
    }

    void platformTokensKeepTheirRoles()
    {
        QCOMPARE(m_f.send("GET", QStringLiteral("/api/v1/tenants"), m_f.viewer).status, 200);
        const QString policy =
            QStringLiteral("/api/v1/tenants/") + m_globex + QStringLiteral("/mfa-policy");
        QCOMPARE(m_f.send("GET", policy, m_f.viewer).status, 200);
        QCOMPARE(json("PUT", policy, m_f.viewer,
                      {{QStringLiteral("requiredForAll"), true},
                       {QStringLiteral("requiredRoles"), QJsonArray()},
                       {QStringLiteral("acceptIdpMfa"), true}})
                     .status,
                 403);
        // Self routes are for sessions: a token has no session to enrol MFA for.
        QCOMPARE(m_f.send("POST", QStringLiteral("/api/v1/me/mfa/totp"), m_f.admin).status, 403);
        const HttpReply me = m_f.send("GET", QStringLiteral("/api/v1/me"), m_f.viewer);
        QCOMPARE(me.json().value(QStringLiteral("kind")).toString(), QStringLiteral("api-token"));
        // An auditor reads the audit log and tenants, nothing else.
        auto auditor = offThread([this] {
            return m_f.tokens->issue(QStringLiteral("ops-auditor"),
                                     QDateTime::currentDateTimeUtc().addDays(1),
                                     identity::ApiTokenKind::Service);
        });
        QVERIFY(auditor);
        QCOMPARE(m_f.send("GET", QStringLiteral("/api/v1/audit"), auditor->secret).status, 200);
        QCOMPARE(
            m_f.send("GET", QStringLiteral("/api/v1/tenants/") + m_acme, auditor->secret).status,
            200);
        QCOMPARE(m_f.send("GET", QStringLiteral("/api/v1/regions"), auditor->secret).status, 403);
        const HttpReply roles = m_f.send("GET", QStringLiteral("/api/v1/roles"), auditor->secret);
        QCOMPARE(roles.status, 200);
        QCOMPARE(roles.json().value(QStringLiteral("roles")).toArray().size(), 6);
    }

    void forgedAndTamperedAccessTokensAreRefused()
    {
        const QByteArray token = access(
            session(signIn(m_acme, QStringLiteral("eve@acme.test"), QStringLiteral("staff"))));
        QVERIFY(!token.isEmpty());
        const QList<QByteArray> parts = token.split('.');
        const QJsonObject header = part(token, 0);
        QJsonObject claims = part(token, 1);

        // The payload raised to a tenant admin, the signature kept.
        QJsonObject raised = claims;
        raised.insert(QStringLiteral("role"), QStringLiteral("admin"));
        const QByteArray tampered = unsignedJwt(header, raised) + '.' + parts[2];
        // alg "none" in its spellings, no signature.
        QList<QByteArray> forged{tampered};
        for (const QString &none :
             {QStringLiteral("none"), QStringLiteral("None"), QStringLiteral("NONE")}) {
            QJsonObject h = header;
            h.insert(QStringLiteral("alg"), none);
            forged << unsignedJwt(h, raised) + '.';
        }
        // HS256 keyed with the tenant's public key (algorithm confusion).
        {
            QJsonObject h = header;
            h.insert(QStringLiteral("alg"), QStringLiteral("HS256"));
            const QByteArray input = unsignedJwt(h, raised);
            const QByteArray jwk = offThread([this] {
                auto rows = m_f.control->withConnection([](pqxx::connection &c) {
                    pqxx::read_transaction work(c);
                    return QByteArray::fromStdString(
                        work.exec("SELECT public_jwk::text FROM session_keys LIMIT 1")[0][0]
                            .as<std::string>());
                });
                return rows ? *rows : QByteArray();
            });
            QVERIFY(!jwk.isEmpty());
            const QByteArray publicX = QJsonDocument::fromJson(jwk)
                                           .object()
                                           .value(QStringLiteral("x"))
                                           .toString()
                                           .toLatin1();
            for (const QByteArray &secret : {jwk, publicX}) {
                auto key = identity::SigningKey::fromSecret(secret, identity::JwsAlgorithm::HS256);
                QVERIFY(key);
                auto signature = key->sign(input);
                QVERIFY(signature);
                forged << input + '.' + b64url(*signature);
            }
        }
        // Another Ed25519 key claiming the tenant's kid.
        {
            auto other = identity::SigningKey::generate(
                identity::JwsAlgorithm::EdDSA, header.value(QStringLiteral("kid")).toString());
            QVERIFY(other);
            auto signedByOther = identity::signJwt(raised, *other);
            QVERIFY(signedByOther);
            forged << *signedByOther;
        }
        // Garbage of every shape.
        forged << QByteArray("eyJ.") << QByteArray("eyJhbGciOiJFZERTQSJ9.e30.")
               << parts[0] + "." + parts[1];
        for (const QByteArray &bad : forged) {
            const HttpReply reply = m_f.send("GET", QStringLiteral("/api/v1/me"), bad);
            QVERIFY2(reply.status == 401, bad.constData());
        }
        // The genuine one still works.
        QCOMPARE(m_f.send("GET", QStringLiteral("/api/v1/me"), token).status, 200);
    }

    void expiredAndOtherTenantsTokensAreRefused()
    {
        // A token minted two hours ago (its session still current) has expired.
        const QString userId = offThread([this] {
            auto users = m_id.users->list(m_acme, {});
            return users && !users->users.empty() ? users->users.front().id : QString();
        });
        QVERIFY(!userId.isEmpty());
        const QByteArray stale = offThread([this, userId] {
            ManualClock past(QDateTime::currentDateTimeUtc().addSecs(-7200));
            identity::SessionService old(*m_f.control, *m_id.cipher, m_f.tenancy->auditLog(),
                                         m_base, past);
            auto tokens = old.start(
                identity::NewSession{
                    m_acmeId, m_acme, userId, QStringLiteral("coachee"), {}, false},
                compliance::ActorContext{});
            return tokens ? tokens->accessToken : QByteArray();
        });
        QVERIFY(!stale.isEmpty());
        QCOMPARE(m_f.send("GET", QStringLiteral("/api/v1/me"), stale).status, 401);

        // globex's token names globex: changing its tenant claim breaks the signature, and
        // keeping it reaches only globex.
        const QByteArray globex = access(
            session(signIn(m_globex, QStringLiteral("gus@globex.test"), QStringLiteral("admins"))));
        QVERIFY(!globex.isEmpty());
        QCOMPARE(m_f.send("GET",
                          QStringLiteral("/api/v1/tenants/") + m_acme + QStringLiteral("/users"),
                          globex)
                     .status,
                 404);
        QJsonObject claims = part(globex, 1);
        claims.insert(QStringLiteral("tid"), m_acmeId.toString(QUuid::WithoutBraces));
        claims.insert(QStringLiteral("ten"), m_acme);
        const QList<QByteArray> parts = globex.split('.');
        const QByteArray moved = parts[0] + '.' +
                                 b64url(QJsonDocument(claims).toJson(QJsonDocument::Compact)) +
                                 '.' + parts[2];
        QCOMPARE(m_f.send("GET", QStringLiteral("/api/v1/me"), moved).status, 401);
    }

    void refreshRotatesAndAReusedRefreshTokenRevokes()
    {
        const QJsonObject first =
            session(signIn(m_acme, QStringLiteral("rita@acme.test"), QStringLiteral("coaches")));
        const HttpReply refreshed = refresh(first);
        QVERIFY2(refreshed.status == 200, refreshed.body.constData());
        const QJsonObject second = refreshed.json();
        QVERIFY(second.value(QStringLiteral("refreshToken")) !=
                first.value(QStringLiteral("refreshToken")));
        QCOMPARE(second.value(QStringLiteral("sessionId")),
                 first.value(QStringLiteral("sessionId")));
        QCOMPARE(m_f.send("GET", QStringLiteral("/api/v1/me"), access(second)).status, 200);
        // The first refresh token again: two parties hold the session, so it ends for both.
        QCOMPARE(refresh(first).status, 401);
        QCOMPARE(m_f.send("GET", QStringLiteral("/api/v1/me"), access(second)).status, 401);
        QCOMPARE(refresh(second).status, 401);
        QVERIFY(countEvents(m_acme, QStringLiteral("session.refresh"), QStringLiteral("denied")) >=
                1);
        QVERIFY(countEvents(m_acme, QStringLiteral("session.refresh"), QStringLiteral("success")) >=
                1);
    }

    void logoutAndRevocationCutAccessAtOnce()
    {
        const QJsonObject mine =
            session(signIn(m_acme, QStringLiteral("lou@acme.test"), QStringLiteral("coaches")));
        QCOMPARE(m_f.send("POST", QStringLiteral("/api/v1/me/logout"), access(mine)).status, 204);
        QCOMPARE(m_f.send("GET", QStringLiteral("/api/v1/me"), access(mine)).status, 401);
        QCOMPARE(refresh(mine).status, 401);

        // A tenant admin lists the tenant's sessions and ends one.
        const QJsonObject coach =
            session(signIn(m_acme, QStringLiteral("cat@acme.test"), QStringLiteral("coaches")));
        const QByteArray admin = access(
            session(signIn(m_acme, QStringLiteral("ann@acme.test"), QStringLiteral("admins"))));
        const QString acmeSessions =
            QStringLiteral("/api/v1/tenants/") + m_acme + QStringLiteral("/sessions");
        const HttpReply list = m_f.send("GET", acmeSessions, admin);
        QCOMPARE(list.status, 200);
        const QString coachSession = coach.value(QStringLiteral("sessionId")).toString();
        bool listed = false;
        for (const QJsonValue &entry : list.json().value(QStringLiteral("sessions")).toArray())
            listed =
                listed || entry.toObject().value(QStringLiteral("id")).toString() == coachSession;
        QVERIFY(listed);
        // globex's admin cannot end it, through either tenant's path.
        const QByteArray globexAdmin = access(
            session(signIn(m_globex, QStringLiteral("gus@globex.test"), QStringLiteral("admins"))));
        QCOMPARE(m_f.send("DELETE", acmeSessions + u'/' + coachSession, globexAdmin).status, 404);
        QCOMPARE(m_f.send("DELETE",
                          QStringLiteral("/api/v1/tenants/") + m_globex +
                              QStringLiteral("/sessions/") + coachSession,
                          globexAdmin)
                     .status,
                 404);
        QCOMPARE(m_f.send("GET", QStringLiteral("/api/v1/me"), access(coach)).status, 200);
        QCOMPARE(m_f.send("DELETE", acmeSessions + u'/' + coachSession, admin).status, 204);
        QCOMPARE(m_f.send("GET", QStringLiteral("/api/v1/me"), access(coach)).status, 401);
        QVERIFY(countEvents(m_acme, QStringLiteral("session.revoke"), QStringLiteral("success")) >=
                2);
    }

    void mfaPolicyMakesASessionOweASecondFactor()
    {
        setPolicy(m_acme, {{QStringLiteral("requiredForAll"), false},
                           {QStringLiteral("requiredRoles"),
                            QJsonArray{QStringLiteral("admin"), QStringLiteral("coach")}},
                           {QStringLiteral("acceptIdpMfa"), true}});
        const QString users =
            QStringLiteral("/api/v1/tenants/") + m_acme + QStringLiteral("/users");
        const QJsonObject pending =
            session(signIn(m_acme, QStringLiteral("ann@acme.test"), QStringLiteral("admins")));
        QCOMPARE(pending.value(QStringLiteral("mfaPending")).toBool(), true);
        const QByteArray token = access(pending);
        const HttpReply refused = m_f.send("GET", users, token);
        QCOMPARE(refused.status, 403);
        QVERIFY(refused.body.contains("second factor"));
        QCOMPARE(m_f.send("GET", QStringLiteral("/api/v1/me"), token).status, 200);

        // Enrolment: a secret, its otpauth URI and a QR code.
        const HttpReply begun = m_f.send("POST", QStringLiteral("/api/v1/me/mfa/totp"), token);
        QVERIFY2(begun.status == 201, begun.body.constData());
        const QString secret = begun.json().value(QStringLiteral("secret")).toString();
        QVERIFY(begun.json()
                    .value(QStringLiteral("otpauthUri"))
                    .toString()
                    .startsWith(QStringLiteral("otpauth://totp/")));
        QVERIFY(begun.json()
                    .value(QStringLiteral("qrSvg"))
                    .toString()
                    .contains(QStringLiteral("<svg")));
        QVERIFY(!begun.json()
                     .value(QStringLiteral("otpauthUri"))
                     .toString()
                     .contains(QStringLiteral("ann@")));
        const QString confirmPath = QStringLiteral("/api/v1/me/mfa/totp/confirm");
        const QString wrong = totpNow(secret, 5);
        QCOMPARE(json("POST", confirmPath, token, {{QStringLiteral("code"), wrong}}).status, 401);
        const QString code = totpNow(secret);
        const HttpReply confirmed =
            json("POST", confirmPath, token, {{QStringLiteral("code"), code}});
        QVERIFY2(confirmed.status == 200, confirmed.body.constData());
        const QJsonArray recovery =
            confirmed.json().value(QStringLiteral("recoveryCodes")).toArray();
        QCOMPARE(recovery.size(), 10);
        const QJsonObject upgraded = confirmed.json().value(QStringLiteral("session")).toObject();
        QCOMPARE(upgraded.value(QStringLiteral("mfa")).toString(), QStringLiteral("totp"));
        QCOMPARE(m_f.send("GET", users, access(upgraded)).status, 200);
        QCOMPARE(m_f.send("GET", users, token).status, 200); // the session row decides

        // The next sign-in owes it again; the used code does not pay; a recovery code does, once.
        const QByteArray next = access(
            session(signIn(m_acme, QStringLiteral("ann@acme.test"), QStringLiteral("admins"))));
        QCOMPARE(m_f.send("POST", QStringLiteral("/api/v1/me/mfa/totp"), next).status, 409);
        const QString verify = QStringLiteral("/api/v1/me/mfa/verify");
        QCOMPARE(json("POST", verify, next, {{QStringLiteral("code"), code}}).status, 401);
        const QString recoveryCode = recovery.at(0).toString();
        const HttpReply recovered =
            json("POST", verify, next, {{QStringLiteral("code"), recoveryCode}});
        QVERIFY2(recovered.status == 200, recovered.body.constData());
        QCOMPARE(recovered.json().value(QStringLiteral("mfa")).toString(),
                 QStringLiteral("recovery"));
        QCOMPARE(m_f.send("GET", users, next).status, 200);
        const QByteArray third = access(
            session(signIn(m_acme, QStringLiteral("ann@acme.test"), QStringLiteral("admins"))));
        QCOMPARE(json("POST", verify, third, {{QStringLiteral("code"), recoveryCode}}).status, 401);
        const HttpReply status = m_f.send("GET", QStringLiteral("/api/v1/me/mfa"), third);
        QCOMPARE(status.json().value(QStringLiteral("recoveryCodesLeft")).toInt(), 9);
        QCOMPARE(status.json().value(QStringLiteral("totpEnrolled")).toBool(), true);

        // An MFA the IdP asserted satisfies the policy while the tenant accepts it.
        const QJsonObject viaIdp = session(
            signIn(m_acme, QStringLiteral("ann@acme.test"), QStringLiteral("admins"), true));
        QCOMPARE(viaIdp.value(QStringLiteral("mfa")).toString(), QStringLiteral("idp"));
        QCOMPARE(m_f.send("GET", users, access(viaIdp)).status, 200);
        setPolicy(m_acme, {{QStringLiteral("requiredForAll"), true},
                           {QStringLiteral("requiredRoles"), QJsonArray()},
                           {QStringLiteral("acceptIdpMfa"), false}});
        const QJsonObject notAccepted = session(
            signIn(m_acme, QStringLiteral("ann@acme.test"), QStringLiteral("admins"), true));
        QCOMPARE(notAccepted.value(QStringLiteral("mfaPending")).toBool(), true);
        // Members are covered by requiredForAll too.
        const QJsonObject member =
            session(signIn(m_acme, QStringLiteral("max@acme.test"), QStringLiteral("staff")));
        QCOMPARE(member.value(QStringLiteral("mfaPending")).toBool(), true);

        QVERIFY(countEvents(m_acme, QStringLiteral("mfa.totp.enrol"), QStringLiteral("success")) ==
                1);
        QVERIFY(countEvents(m_acme, QStringLiteral("mfa.totp.enrol"), QStringLiteral("denied")) >=
                1);
        QVERIFY(countEvents(m_acme, QStringLiteral("mfa.verify"), QStringLiteral("denied")) >= 2);
        QVERIFY(countEvents(m_acme, QStringLiteral("mfa.policy.set"), QStringLiteral("success")) >=
                2);
        for (const auto &event : m_f.auditOfTenant(m_acme)) {
            const QByteArray details = QJsonDocument(event.details).toJson();
            QVERIFY2(!details.contains(secret.toLatin1()) && !details.contains(code.toLatin1()) &&
                         !details.contains(recoveryCode.toLatin1()),
                     "a secret or code reached the audit log");
        }
    }

    void repeatedWrongSecondFactorsRevokeTheSession()
    {
        // requiredForAll is on (previous case): ann owes a second factor.
        const QByteArray token = access(
            session(signIn(m_acme, QStringLiteral("ann@acme.test"), QStringLiteral("admins"))));
        QVERIFY(!token.isEmpty());
        const QString verify = QStringLiteral("/api/v1/me/mfa/verify");
        for (int i = 0; i < 5; ++i) {
            const HttpReply reply = json("POST", verify, token,
                                         {{QStringLiteral("code"), QStringLiteral("ABCDE-FGHJK")}});
            QCOMPARE(reply.status, 401);
        }
        QCOMPARE(m_f.send("GET", QStringLiteral("/api/v1/me"), token).status, 401);
    }

    void scimDeprovisioningEndsTheUsersSessions()
    {
        setPolicy(m_acme, {{QStringLiteral("requiredForAll"), false},
                           {QStringLiteral("requiredRoles"), QJsonArray()},
                           {QStringLiteral("acceptIdpMfa"), true}});
        const HttpReply rotated = m_f.send(
            "POST", QStringLiteral("/api/v1/tenants/") + m_acme + QStringLiteral("/scim-token"),
            m_f.admin);
        QCOMPARE(rotated.status, 201);
        const QByteArray scimToken =
            rotated.json().value(QStringLiteral("token")).toString().toLatin1();
        QVERIFY(!scimToken.isEmpty());
        const QString usersUrl = QStringLiteral("/scim/v2/") + m_acme + QStringLiteral("/Users");
        const HttpReply created = m_f.send(
            "POST", usersUrl, scimToken,
            QJsonDocument(
                QJsonObject{
                    {QStringLiteral("schemas"),
                     QJsonArray{QStringLiteral("urn:ietf:params:scim:schemas:core:2.0:User")}},
                    {QStringLiteral("userName"), QStringLiteral("sam@acme.test")}})
                .toJson(),
            {{"Content-Type", "application/scim+json"}});
        QVERIFY2(created.status == 201, created.body.constData());
        const QString id = created.json().value(QStringLiteral("id")).toString();
        const QByteArray token = access(
            session(signIn(m_acme, QStringLiteral("sam@acme.test"), QStringLiteral("staff"))));
        QCOMPARE(m_f.send("GET", QStringLiteral("/api/v1/me"), token).status, 200);
        const HttpReply patched = m_f.send(
            "PATCH", usersUrl + u'/' + id, scimToken,
            QJsonDocument(
                QJsonObject{
                    {QStringLiteral("schemas"),
                     QJsonArray{QStringLiteral("urn:ietf:params:scim:api:messages:2.0:PatchOp")}},
                    {QStringLiteral("Operations"),
                     QJsonArray{QJsonObject{{QStringLiteral("op"), QStringLiteral("replace")},
                                            {QStringLiteral("path"), QStringLiteral("active")},
                                            {QStringLiteral("value"), false}}}}})
                .toJson(),
            {{"Content-Type", "application/scim+json"}});
        QVERIFY2(patched.status == 200, patched.body.constData());
        QCOMPARE(m_f.send("GET", QStringLiteral("/api/v1/me"), token).status, 401);
        QVERIFY(countEvents(m_acme, QStringLiteral("session.revoke-user"),
                            QStringLiteral("success")) >= 1);
    }

    void malformedRequestsAreRefusedClearly()
    {
        const auto refreshWith = [this](const QByteArray &body, const QByteArray &type) {
            return m_f.send("POST", QStringLiteral("/sso/session/refresh"), {}, body,
                            {{"Content-Type", type}});
        };
        QCOMPARE(refreshWith("{\"refreshToken\":\"rt.nope.nope\"}", "application/json").status,
                 401);
        QCOMPARE(
            refreshWith("{\"refreshToken\":\"rt." + QByteArray(60, 'a') + "\"}", "application/json")
                .status,
            401);
        QCOMPARE(refreshWith("not json", "application/json").status, 400);
        QCOMPARE(refreshWith("{}", "text/plain").status, 415);
        QCOMPARE(
            refreshWith("{\"refreshToken\":\"" + QByteArray(5000, 'a') + "\"}", "application/json")
                .status,
            413);
        QCOMPARE(refreshWith("{\"refreshToken\":\"x\",\"extra\":1}", "application/json").status,
                 400);
        const QString policy =
            QStringLiteral("/api/v1/tenants/") + m_acme + QStringLiteral("/mfa-policy");
        QCOMPARE(json("PUT", policy, m_f.admin,
                      {{QStringLiteral("requiredForAll"), false},
                       {QStringLiteral("requiredRoles"), QJsonArray{QStringLiteral("ops-admin")}},
                       {QStringLiteral("acceptIdpMfa"), true}})
                     .status,
                 400);
        QCOMPARE(json("PUT", policy, m_f.admin,
                      {{QStringLiteral("requiredForAll"), QStringLiteral("yes")},
                       {QStringLiteral("requiredRoles"), QJsonArray()},
                       {QStringLiteral("acceptIdpMfa"), true}})
                     .status,
                 400);
        // A stale ETag loses nothing.
        const HttpReply current = m_f.send("GET", policy, m_f.admin);
        const int version = current.json().value(QStringLiteral("version")).toInt();
        const HttpReply stale =
            m_f.send("PUT", policy, m_f.admin,
                     "{\"requiredForAll\":true,\"requiredRoles\":[],\"acceptIdpMfa\":true}",
                     {{"Content-Type", "application/json"},
                      {"If-Match", "\"" + QByteArray::number(version - 1) + "\""}});
        QCOMPARE(stale.status, 412);
        QCOMPARE(m_f.send("GET", policy, m_f.admin).json().value(QStringLiteral("version")).toInt(),
                 version);
        const QByteArray member = access(
            session(signIn(m_acme, QStringLiteral("max@acme.test"), QStringLiteral("staff"))));
        QCOMPARE(json("POST", QStringLiteral("/api/v1/me/mfa/verify"), member,
                      {{QStringLiteral("code"), QString(65, u'1')}})
                     .status,
                 400);
        QCOMPARE(m_f.send("DELETE",
                          QStringLiteral("/api/v1/tenants/") + m_acme +
                              QStringLiteral("/sessions/not-a-uuid"),
                          m_f.admin)
                     .status,
                 400);
    }
};

QTEST_GUILESS_MAIN(TestApiSessions)
#include "test_api_sessions.moc"
