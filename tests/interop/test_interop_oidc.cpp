// Our OpenID Connect relying party against a real OpenID provider (npm oidc-provider, run by
// tests/interop/oidc_op.mjs): the code flow with PKCE, state and nonce through a browser-like
// client for client_secret_basic (RS256), client_secret_post (ES256) and private_key_jwt
// (PS256 ID tokens, our RSA client key); claims from the ID token and userinfo, JIT provisioning
// with a role from the groups claim, the provider's MFA (amr); key rotation at the provider
// (unknown kid → JWKS refetched); and refusals: a replayed or forged state, the provider's
// error, a pinned algorithm the provider does not use, a discovery document for another issuer.
#include "identitytestsupport.h"
#include "nodepeer.h"
#include "upcoach/identity/jose.h"
#include "upcoach/identity/ssoservice.h"
#include "upcoach/identity/ssostore.h"
#include "upcoach/tenancy/fieldcipher.h"
#include "upcoach/tenancy/tenantusers.h"
#include "upcoach/tenancy/usage.h"

#include <QJsonArray>
#include <QNetworkCookieJar>
#include <QTcpServer>
#include <QUrlQuery>

using namespace upcoach;
using namespace upcoach::testing;

namespace {

struct Browsed
{
    int status = 0;
    QByteArray body;
    QUrl finalUrl;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

} // namespace

class TestInteropOidc : public QObject
{
    Q_OBJECT
    TenantApiFixture m_f;
    IdentityStack m_id;
    NodePeer m_op;
    QString m_issuer;
    QString m_slug;
    QUuid m_tenantId;
    QString m_base;
    identity::SigningKey m_clientKey;

    // A browser: follows every redirect, keeps cookies (a fresh jar per call unless `keep`).
    Browsed browse(const QUrl &url, QNetworkAccessManager *nam = nullptr)
    {
        QNetworkAccessManager own;
        QNetworkAccessManager *network = nam ? nam : &own;
        QNetworkRequest request(url);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                             QNetworkRequest::NoLessSafeRedirectPolicy);
        std::unique_ptr<QNetworkReply> reply(network->get(request));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(60000);
        Browsed out;
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = reply->readAll();
        out.finalUrl = reply->url();
        return out;
    }

    QUrl loginUrl(const QString &connection) const
    {
        return QUrl(m_base + QStringLiteral("/sso/oidc/") + m_slug +
                    QStringLiteral("/login?connection=") +
                    QString::fromLatin1(QUrl::toPercentEncoding(connection)));
    }

    QJsonObject lastTokenRequest()
    {
        QNetworkAccessManager nam;
        const Browsed answer =
            browse(QUrl(m_issuer + QStringLiteral("/__test/last-token-request")), &nam);
        return answer.json();
    }

    QString createConnection(const QString &name, const QString &clientId, const QString &method,
                             const QString &algorithm, const QString &issuer = {})
    {
        identity::OidcConnectionSettings settings;
        settings.issuer = issuer.isEmpty() ? m_issuer : issuer;
        settings.clientId = clientId;
        settings.clientAuthMethod = method;
        settings.idTokenAlgorithm = algorithm;
        settings.scopes = {QStringLiteral("openid"), QStringLiteral("email"),
                           QStringLiteral("profile"), QStringLiteral("groups")};
        settings.groupsAttribute = QStringLiteral("groups");
        settings.mfaContextClassRef = QStringLiteral("mfa");
        settings.roleRules = {
            {QStringLiteral("groups"), QStringLiteral("Coaches"), QStringLiteral("coach")}};
        if (method == QStringLiteral("private_key_jwt"))
            settings.clientKeyPem = *m_clientKey.privateKeyPem();
        else
            settings.clientSecret = "secret-of-" + clientId.toUtf8();
        identity::NewSsoConnection connection;
        connection.name = name;
        connection.protocol = QStringLiteral("oidc");
        connection.settings = identity::oidcSettingsToJson(settings);
        auto created =
            offThread([&] { return m_id.store->createConnection(m_tenantId, connection); });
        return created ? QString() : created.error().message;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString error =
            m_f.start(1, [this](api::ServerDeps &deps) { m_id.build(m_f, deps, true); });
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_base = m_id.useServerUrl(m_f);
        auto tenant = offThread([this] {
            return m_f.tenancy->createTenant(QStringLiteral("oidc"),
                                             tenancy::IsolationStrategy::RowLevelSecurity);
        });
        QVERIFY2(tenant, qPrintable(tenant ? QString() : tenant.error().message));
        m_slug = tenant->slug;
        m_tenantId = tenant->id;

        auto key = identity::SigningKey::generate(identity::JwsAlgorithm::RS256);
        QVERIFY(key);
        m_clientKey = *key;
        const QString redirect = m_id.sso->oidcRedirectUri(m_slug).toString();
        auto client = [&](const char *id, const char *method, const char *alg) {
            QJsonObject c{{QStringLiteral("client_id"), QLatin1String(id)},
                          {QStringLiteral("redirect_uris"), QJsonArray{redirect}},
                          {QStringLiteral("token_endpoint_auth_method"), QLatin1String(method)},
                          {QStringLiteral("id_token_signed_response_alg"), QLatin1String(alg)}};
            if (QLatin1String(method) == QLatin1String("private_key_jwt"))
                c.insert(
                    QStringLiteral("jwks"),
                    QJsonObject{{QStringLiteral("keys"), QJsonArray{m_clientKey.publicJwk()}}});
            else
                c.insert(QStringLiteral("client_secret"),
                         QString(QStringLiteral("secret-of-") + QLatin1String(id)));
            return c;
        };
        const QJsonObject config{
            {QStringLiteral("port"), 0},
            {QStringLiteral("clients"),
             QJsonArray{client("rp-basic", "client_secret_basic", "RS256"),
                        client("rp-post", "client_secret_post", "ES256"),
                        client("rp-jwt", "private_key_jwt", "PS256")}},
            {QStringLiteral("account"),
             QJsonObject{{QStringLiteral("sub"), QStringLiteral("op-user-1")},
                         {QStringLiteral("email"), QStringLiteral("Oidc.User@Example.com")},
                         {QStringLiteral("email_verified"), true},
                         {QStringLiteral("name"), QStringLiteral("Oidc User")},
                         {QStringLiteral("groups"), QJsonArray{QStringLiteral("Coaches")}}}},
            {QStringLiteral("amr"), QJsonArray{QStringLiteral("pwd"), QStringLiteral("mfa")}},
        };
        const QJsonObject ready = m_op.start(QStringLiteral("oidc_op.mjs"), config);
        QVERIFY2(!ready.isEmpty(), qPrintable(m_op.error()));
        m_issuer = ready.value(QStringLiteral("issuer")).toString();

        QString made =
            createConnection(QStringLiteral("basic"), QStringLiteral("rp-basic"),
                             QStringLiteral("client_secret_basic"), QStringLiteral("RS256"));
        QVERIFY2(made.isEmpty(), qPrintable(made));
        made = createConnection(QStringLiteral("post"), QStringLiteral("rp-post"),
                                QStringLiteral("client_secret_post"), QStringLiteral("ES256"));
        QVERIFY2(made.isEmpty(), qPrintable(made));
        made = createConnection(QStringLiteral("jwt"), QStringLiteral("rp-jwt"),
                                QStringLiteral("private_key_jwt"), QStringLiteral("PS256"));
        QVERIFY2(made.isEmpty(), qPrintable(made));
    }

    void connectionsAreCheckedAgainstTheProvidersDiscoveryWhenSaved()
    {
        const QString path =
            QStringLiteral("/api/v1/tenants/") + m_slug + QStringLiteral("/sso/connections");
        const auto post = [&](const QJsonObject &settings, const QString &name) {
            return m_f.send(
                "POST", path, m_f.admin,
                QJsonDocument(QJsonObject{{QStringLiteral("name"), name},
                                          {QStringLiteral("protocol"), QStringLiteral("oidc")},
                                          {QStringLiteral("settings"), settings}})
                    .toJson(),
                {{"Content-Type", "application/json"}});
        };
        // Pasted as the discovery URL: the issuer comes from it, and oidc-provider's document
        // is fetched and checked before anything is stored.
        const HttpReply created = post(
            QJsonObject{
                {QStringLiteral("discoveryUrl"),
                 QString(m_issuer + QStringLiteral("/.well-known/openid-configuration"))},
                {QStringLiteral("clientId"), QStringLiteral("rp-basic")},
                {QStringLiteral("clientSecret"), QStringLiteral("secret-of-rp-basic")},
                {QStringLiteral("clientAuthMethod"), QStringLiteral("client_secret_basic")}},
            QStringLiteral("discovered"));
        QVERIFY2(created.status == 201, created.body.constData());
        QCOMPARE(created.json()[QStringLiteral("settings")][QStringLiteral("issuer")].toString(),
                 m_issuer);
        // An issuer with no provider behind it (a closed port), or one whose document names
        // another issuer, is refused and nothing is stored.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        const HttpReply nowhere =
            post(QJsonObject{{QStringLiteral("issuer"),
                              QStringLiteral("http://127.0.0.1:%1/nowhere").arg(port)},
                             {QStringLiteral("clientId"), QStringLiteral("rp-basic")},
                             {QStringLiteral("clientSecret"), QStringLiteral("x")}},
                 QStringLiteral("nowhere"));
        QCOMPARE(nowhere.status, 400);
        QVERIFY2(nowhere.body.contains("discovery"), nowhere.body.constData());
        const HttpReply impostor = post(
            QJsonObject{{QStringLiteral("issuer"), QString(m_issuer + QStringLiteral("/other"))},
                        {QStringLiteral("clientId"), QStringLiteral("rp-basic")},
                        {QStringLiteral("clientSecret"), QStringLiteral("x")}},
            QStringLiteral("impostor-issuer"));
        QCOMPARE(impostor.status, 400);
        const HttpReply mismatch =
            post(QJsonObject{{QStringLiteral("discoveryUrl"), QStringLiteral("https://a.test/x")},
                             {QStringLiteral("clientId"), QStringLiteral("rp-basic")},
                             {QStringLiteral("clientSecret"), QStringLiteral("x")}},
                 QStringLiteral("bad-url"));
        QCOMPARE(mismatch.status, 400);
        QStringList names;
        for (const QJsonValue &c :
             m_f.send("GET", path, m_f.admin).json()[QStringLiteral("connections")].toArray())
            names.append(c[QStringLiteral("name")].toString());
        QVERIFY(names.contains(QStringLiteral("discovered")));
        QVERIFY(!names.contains(QStringLiteral("nowhere")));
        QVERIFY(!names.contains(QStringLiteral("impostor-issuer")));
    }

    void cleanupTestCase()
    {
        m_op.stop();
        m_id.stop(m_f);
    }

    void secretsAreSealedAtRest()
    {
        auto connections = offThread([this] { return m_id.store->connections(m_tenantId); });
        QVERIFY(connections);
        for (const identity::SsoConnection &c : *connections) {
            const QByteArray stored = QJsonDocument(c.settings).toJson();
            QVERIFY(!stored.contains("secret-of-"));
            QVERIFY(!stored.contains("PRIVATE KEY"));
        }
    }

    void codeFlowWithEachClientAuthentication_data()
    {
        QTest::addColumn<QString>("connection");
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("clientId");
        QTest::newRow("client_secret_basic, RS256")
            << QStringLiteral("basic") << QStringLiteral("client_secret_basic")
            << QStringLiteral("rp-basic");
        QTest::newRow("client_secret_post, ES256")
            << QStringLiteral("post") << QStringLiteral("client_secret_post")
            << QStringLiteral("rp-post");
        QTest::newRow("private_key_jwt, PS256")
            << QStringLiteral("jwt") << QStringLiteral("private_key_jwt")
            << QStringLiteral("rp-jwt");
    }

    void codeFlowWithEachClientAuthentication()
    {
        QFETCH(QString, connection);
        QFETCH(QString, method);
        QFETCH(QString, clientId);
        const Browsed done = browse(loginUrl(connection));
        QVERIFY2(done.status == 200, done.body.constData());
        QVERIFY(done.finalUrl.path().endsWith(QStringLiteral("/callback")));
        const QJsonObject login = done.json();
        const QJsonObject user = login.value(QStringLiteral("user")).toObject();
        QCOMPARE(user.value(QStringLiteral("email")).toString(),
                 QStringLiteral("oidc.user@example.com"));
        QCOMPARE(user.value(QStringLiteral("displayName")).toString(), QStringLiteral("Oidc User"));
        QCOMPARE(user.value(QStringLiteral("role")).toString(), QStringLiteral("coach"));
        QCOMPARE(login.value(QStringLiteral("connection")).toString(), connection);
        QVERIFY(login.value(QStringLiteral("mfa")).toBool());

        const QJsonObject token = lastTokenRequest();
        QCOMPARE(token.value(QStringLiteral("auth_method")).toString(), method);
        QCOMPARE(token.value(QStringLiteral("client_id")).toString(), clientId);
        QCOMPARE(token.value(QStringLiteral("status")).toInt(), 200);
        if (method == QStringLiteral("private_key_jwt"))
            QCOMPARE(token.value(QStringLiteral("client_assertion"))
                         .toObject()
                         .value(QStringLiteral("aud"))
                         .toString(),
                     m_issuer + QStringLiteral("/token"));

        // The callback is single-use: the same state and code again are refused.
        QNetworkAccessManager nam;
        const Browsed replay = browse(done.finalUrl, &nam);
        QCOMPARE(replay.status, 401);
        QVERIFY(replay.body.contains("state"));
    }

    void theFirstLoginProvisionedTheUserOnce()
    {
        auto found = offThread([this] {
            return m_id.users->findByEmail(m_slug, QStringLiteral("oidc.user@example.com"));
        });
        QVERIFY(found);
        QCOMPARE(found->managedBy, QStringLiteral("jit"));
        QCOMPARE(found->role, QStringLiteral("coach"));
        int successes = 0;
        int provisioned = 0;
        for (const auto &event : m_f.auditOfTenant(m_slug)) {
            if (event.action == QStringLiteral("sso.oidc.login") &&
                event.outcome == QStringLiteral("success")) {
                ++successes;
                provisioned += event.details.value(QStringLiteral("provisioned")).toBool() ? 1 : 0;
                QVERIFY(!QJsonDocument(event.details).toJson().contains("@"));
            }
        }
        QCOMPARE(successes, 3);
        QCOMPARE(provisioned, 1);
    }

    void keyRotationAtTheProviderIsFollowed()
    {
        // Warm the cache, rotate, log in again: the new kid is unknown, the JWKS is refetched.
        QCOMPARE(browse(loginUrl(QStringLiteral("basic"))).status, 200);
        QNetworkAccessManager nam;
        QNetworkRequest request(QUrl(m_issuer + QStringLiteral("/__test/rotate?alg=RS256")));
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
        std::unique_ptr<QNetworkReply> reply(nam.post(request, QByteArray()));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        QVERIFY(finished.wait(10000));
        const QString kid = QJsonDocument::fromJson(reply->readAll())
                                .object()
                                .value(QStringLiteral("kid"))
                                .toString();
        QVERIFY(!kid.isEmpty());
        const Browsed after = browse(loginUrl(QStringLiteral("basic")));
        QVERIFY2(after.status == 200, after.body.constData());
    }

    void refusals()
    {
        // A state nobody issued.
        QNetworkAccessManager nam;
        const Browsed forged =
            browse(QUrl(m_base + QStringLiteral("/sso/oidc/") + m_slug +
                        QStringLiteral("/callback?code=abc&state=forged-state-value-0123456789")),
                   &nam);
        QCOMPARE(forged.status, 401);
        // No state at all.
        QCOMPARE(browse(QUrl(m_base + QStringLiteral("/sso/oidc/") + m_slug +
                             QStringLiteral("/callback?code=abc")),
                        &nam)
                     .status,
                 400);
        // The provider's error for a real state: refused, and that state is used up.
        QNetworkAccessManager manual;
        manual.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        std::unique_ptr<QNetworkReply> start(
            manual.get(QNetworkRequest(loginUrl(QStringLiteral("basic")))));
        QSignalSpy started(start.get(), &QNetworkReply::finished);
        QVERIFY(started.wait(30000));
        QCOMPARE(start->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 302);
        const QUrl authorize(QString::fromUtf8(start->rawHeader("Location")));
        const QUrlQuery query(authorize);
        QCOMPARE(query.queryItemValue(QStringLiteral("code_challenge_method")),
                 QStringLiteral("S256"));
        QVERIFY(!query.queryItemValue(QStringLiteral("nonce")).isEmpty());
        const QString state = query.queryItemValue(QStringLiteral("state"));
        const Browsed denied =
            browse(QUrl(m_base + QStringLiteral("/sso/oidc/") + m_slug +
                        QStringLiteral("/callback?error=access_denied&state=") + state),
                   &nam);
        QCOMPARE(denied.status, 401);
        QVERIFY(denied.body.contains("access_denied"));

        // A connection pinned to ES256 for a client whose ID tokens are RS256: refused.
        QString made =
            createConnection(QStringLiteral("pinned-wrong"), QStringLiteral("rp-basic"),
                             QStringLiteral("client_secret_basic"), QStringLiteral("ES256"));
        QVERIFY2(made.isEmpty(), qPrintable(made));
        const Browsed pinned = browse(loginUrl(QStringLiteral("pinned-wrong")));
        QCOMPARE(pinned.status, 401);
        QVERIFY(pinned.body.contains("ID token refused"));

        // A provider whose discovery document names another issuer (localhost vs 127.0.0.1).
        const QString otherIssuer =
            QString(m_issuer).replace(QStringLiteral("127.0.0.1"), QStringLiteral("localhost"));
        made = createConnection(QStringLiteral("impostor"), QStringLiteral("rp-basic"),
                                QStringLiteral("client_secret_basic"), QStringLiteral("RS256"),
                                otherIssuer);
        QVERIFY2(made.isEmpty(), qPrintable(made));
        const Browsed impostor = browse(loginUrl(QStringLiteral("impostor")));
        QCOMPARE(impostor.status, 503);
        QVERIFY(impostor.body.contains("issuer"));

        int deniedEvents = 0;
        for (const auto &event : m_f.auditOfTenant(m_slug))
            deniedEvents += event.action == QStringLiteral("sso.oidc.login") &&
                            event.outcome == QStringLiteral("denied");
        QVERIFY(deniedEvents >= 3);
    }

    void clientKeysArePublished()
    {
        QNetworkAccessManager nam;
        const Browsed jwks = browse(
            QUrl(m_base + QStringLiteral("/sso/oidc/") + m_slug + QStringLiteral("/jwks")), &nam);
        QCOMPARE(jwks.status, 200);
        auto parsed = identity::JwkSet::parse(jwks.body);
        QVERIFY(parsed);
        QCOMPARE(parsed->size(), 1);
        QCOMPARE(parsed->keys().front().thumbprint(), m_clientKey.thumbprint());
        QVERIFY(!jwks.body.contains("\"d\""));
    }
};

QTEST_GUILESS_MAIN(TestInteropOidc)
#include "test_interop_oidc.moc"
