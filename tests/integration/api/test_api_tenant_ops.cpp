// The tenant operations routes end to end over real PostgreSQL (tenantapitestsupport.h): usage
// against limits, users (list, add within the seat limit), impersonations (start with reason and
// ticket, list, the subject's overview, end) and data keys (status, rotation) — and the attacks:
// duplicate emails in another case, the last seat, impersonation ids of another tenant, acting
// under someone else's impersonation or after it ended, impersonating a suspended tenant, every
// malformed field named, oversized bodies, viewers changing things, key material in answers.
// The audit events each request leaves are checked: the domain records its changes (the subject
// and the operator for an impersonated view), the API only what the domain never saw.
#include "tenantapitestsupport.h"
#include "tenantdata.h"
#include "upcoach/tenancy/encryptedfields.h"
#include "upcoach/tenancy/fieldcipher.h"
#include "upcoach/tenancy/impersonation.h"
#include "upcoach/tenancy/keyprovider.h"
#include "upcoach/tenancy/keyrotation.h"
#include "upcoach/tenancy/keys.h"
#include "upcoach/tenancy/tenantusers.h"
#include "upcoach/tenancy/usage.h"

#include <QJsonArray>
#include <QUuid>

using namespace upcoach;
using namespace upcoach::testing;

namespace {

const QByteArray kJson = "application/json";
const QString kProblems = QStringLiteral("https://upcoach.dev/problems/");

QString text(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toString();
}

qint64 number(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toInteger();
}

QJsonObject objectAt(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toObject();
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QStringList parametersOf(const QJsonObject &problem)
{
    QStringList parameters;
    for (const QJsonValue &name : problem.value(QStringLiteral("parameters")).toArray())
        parameters << name.toString();
    return parameters;
}

QStringList keysOf(const QJsonObject &object)
{
    QStringList keys = object.keys();
    keys.sort();
    return keys;
}

} // namespace

class TestApiTenantOps : public QObject
{
    Q_OBJECT
    TenantApiFixture m_f;
    QTemporaryDir m_dir;
    std::unique_ptr<tenancy::LocalKeyringProvider> m_keyring;
    std::unique_ptr<tenancy::TenantKeyStore> m_keys;
    std::unique_ptr<tenancy::TenantQuota> m_quota;
    std::unique_ptr<tenancy::TenantUsers> m_users;
    std::unique_ptr<tenancy::ImpersonationService> m_impersonations;
    std::unique_ptr<tenancy::TenantKeyRotation> m_rotation;
    QByteArray m_otherAdmin; // a second ops-admin token
    QString m_otherAdminId;
    QString m_a;         // seeded with coaching data
    QString m_b;         // another tenant, for cross-tenant attempts
    QString m_seats;     // for the seat limit
    QString m_suspended; // suspended after seeding
    int m_requests = 0;

    QByteArray requestId(const char *what)
    {
        return QByteArray(what) + '-' + QByteArray::number(++m_requests);
    }

    HttpReply get(const QString &pathAndQuery, const QByteArray &token = {})
    {
        return m_f.send("GET", pathAndQuery, token.isEmpty() ? m_f.viewer : token);
    }

    HttpReply post(const QString &path, const QByteArray &body, const QByteArray &rid = {},
                   const QByteArray &token = {}, const QByteArray &contentType = kJson)
    {
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!contentType.isEmpty())
            headers.append({"Content-Type", contentType});
        if (!rid.isEmpty())
            headers.append({"X-Request-Id", rid});
        return m_f.send("POST", path, token.isEmpty() ? m_f.admin : token, body, headers);
    }

    static QString tenantPath(const QString &slug, const QString &rest)
    {
        return QStringLiteral("/api/v1/tenants/") + slug + rest;
    }

    HttpReply addUser(const QString &slug, const QString &email, const QString &role,
                      const QByteArray &rid = {})
    {
        return post(tenantPath(slug, QStringLiteral("/users")),
                    compact({{QStringLiteral("email"), email},
                             {QStringLiteral("displayName"), QStringLiteral("Test User")},
                             {QStringLiteral("role"), role}}),
                    rid);
    }

    QJsonObject impersonationBody(const QString &subject) const
    {
        return {{QStringLiteral("subject"), subject},
                {QStringLiteral("reason"), QStringLiteral("Customer reports missing goals")},
                {QStringLiteral("ticket"), QStringLiteral("SUP-4711")},
                {QStringLiteral("durationMinutes"), 15}};
    }

    HttpReply startImpersonation(const QString &slug, const QJsonObject &body,
                                 const QByteArray &rid = {})
    {
        return post(tenantPath(slug, QStringLiteral("/impersonations")), compact(body), rid);
    }

    // The email of one of the tenant's users with the role (through the API).
    QString someUser(const QString &slug, const char *role)
    {
        const HttpReply listed =
            get(tenantPath(slug, QStringLiteral("/users?limit=1&role=")) + QLatin1String(role));
        const QJsonArray users = listed.json().value(QStringLiteral("users")).toArray();
        return users.isEmpty() ? QString() : text(users.first().toObject(), "email");
    }

    qint64 userCount(const QString &slug)
    {
        return number(get(tenantPath(slug, QStringLiteral("/users"))).json(), "total");
    }

    void verifyProblem(const HttpReply &reply, int status, const char *type,
                       const char *field = nullptr)
    {
        QVERIFY2(reply.status == status, reply.body.constData());
        QCOMPARE(reply.header("content-type"), QByteArray("application/problem+json"));
        QCOMPARE(text(reply.json(), "type"), kProblems + QLatin1String(type));
        if (field) {
            QCOMPARE(text(reply.json(), "field"), QString::fromLatin1(field));
            QVERIFY2(text(reply.json(), "detail").startsWith(QLatin1String(field)),
                     reply.body.constData());
        }
    }

    // The one event the API recorded for a change it refused before the domain saw it.
    void verifyApiFailureEvent(const QByteArray &rid, const char *action, int status)
    {
        const auto events = m_f.auditOfRequest(rid);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events.front().action, QString::fromLatin1(action));
        QCOMPARE(events.front().outcome, QStringLiteral("failure"));
        QCOMPARE(events.front().classification, QStringLiteral("security"));
        QCOMPARE(events.front().actor, QStringLiteral("token:") + m_f.adminId);
        QCOMPARE(events.front().details.value(QStringLiteral("status")).toInt(), status);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString setupError;
        const QString error = m_f.start(1, [this, &setupError](api::ServerDeps &deps) {
            TenancyFixture *t = m_f.tenancy.get();
            auto keyring =
                tenancy::LocalKeyringProvider::open(m_dir.filePath(QStringLiteral("keyring")));
            if (!keyring) {
                setupError = keyring.error().message;
                return;
            }
            m_keyring = std::move(keyring.value());
            m_keys = std::make_unique<tenancy::TenantKeyStore>(*m_f.control, *m_keyring);
            t->registry().setKeyStore(m_keys.get());
            m_quota = std::make_unique<tenancy::TenantQuota>(t->registry(), t->sessions());
            m_users =
                std::make_unique<tenancy::TenantUsers>(t->sessions(), *m_quota, t->auditLog());
            m_impersonations = std::make_unique<tenancy::ImpersonationService>(
                *m_f.control, t->registry(), t->sessions(), t->auditLog());
            m_rotation = std::make_unique<tenancy::TenantKeyRotation>(t->registry(), *m_keys,
                                                                      t->sessions(), t->auditLog());
            deps.tenantSessions = &t->sessions();
            deps.tenantUsers = m_users.get();
            deps.tenantQuota = m_quota.get();
            deps.impersonations = m_impersonations.get();
            deps.keyRotation = m_rotation.get();
        });
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(setupError.isEmpty(), qPrintable(setupError));

        // Tenants and their data, off the test thread (the server's, which must not block).
        const QString created = offThread([this]() -> QString {
            TenancyFixture *t = m_f.tenancy.get();
            const auto rls = tenancy::IsolationStrategy::RowLevelSecurity;
            QString *slugs[] = {&m_a, &m_b, &m_seats, &m_suspended};
            const char *prefixes[] = {"ops-a", "ops-b", "ops-seats", "ops-suspended"};
            for (int i = 0; i < 4; ++i) {
                auto tenant = t->createTenant(QLatin1String(prefixes[i]), rls);
                if (!tenant)
                    return tenant.error().message;
                *slugs[i] = tenant->slug;
            }
            for (const auto &[slug, coachees] :
                 {std::pair{m_a, 3}, std::pair{m_b, 1}, std::pair{m_suspended, 1}}) {
                if (Status seeded = seedCoachingData(t->sessions(), slug, coachees); !seeded)
                    return seeded.error().message;
            }
            auto suspended = t->registry().transition(
                m_suspended, tenancy::LifecycleAction::Suspend, TenancyFixture::actor());
            if (!suspended)
                return suspended.error().message;
            auto other = m_f.tokens->issue(QStringLiteral("ops-admin"),
                                           QDateTime::currentDateTimeUtc().addDays(1),
                                           identity::ApiTokenKind::Service);
            if (!other)
                return other.error().message;
            m_otherAdmin = other->secret;
            m_otherAdminId = other->id;
            return {};
        });
        QVERIFY2(created.isEmpty(), qPrintable(created));
    }

    void cleanupTestCase()
    {
        storage::forbidBlockingOn(nullptr);
        m_f.server.reset();
        m_rotation.reset();
        m_impersonations.reset();
        m_users.reset();
        m_quota.reset();
        if (m_f.tenancy)
            m_f.tenancy->registry().setKeyStore(nullptr);
        m_keys.reset();
        m_f.stop();
        m_keyring.reset();
    }

    // ---- usage ----

    void usageReportsRowsBytesAndSeats()
    {
        const HttpReply reply = get(tenantPath(m_a, QStringLiteral("/usage?fresh=true")));
        QVERIFY2(reply.status == 200, reply.body.constData());
        const QJsonObject usage = reply.json();
        QCOMPARE(text(usage, "tenant"), m_a);
        QVERIFY(number(usage, "rows") > 0);
        QVERIFY(number(objectAt(usage, "storageBytes"), "used") > 0);
        QVERIFY(number(objectAt(usage, "storageBytes"), "limit") > 0);
        QCOMPARE(number(objectAt(usage, "seats"), "used"), userCount(m_a));
        QCOMPARE(number(objectAt(objectAt(usage, "tables"), "users"), "rows"), userCount(m_a));
        QVERIFY(number(objectAt(objectAt(usage, "tables"), "goals"), "bytes") > 0);
        QVERIFY(objectAt(usage, "apiRequestsPerMinute").contains(QStringLiteral("limit")));
        QVERIFY(!text(usage, "measuredAt").isEmpty());

        // A tenant without data uses nothing; an unknown one is 404.
        const HttpReply empty = get(tenantPath(m_seats, QStringLiteral("/usage")));
        QCOMPARE(empty.status, 200);
        QCOMPARE(number(empty.json(), "rows"), 0);
        verifyProblem(get(tenantPath(QStringLiteral("no-such-tenant"), QStringLiteral("/usage"))),
                      404, "not-found");
    }

    void usageRefusesBadParameters_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("parameter");
        QTest::newRow("not a boolean") << QStringLiteral("fresh=yes") << QStringLiteral("fresh");
        QTest::newRow("repeated") << QStringLiteral("fresh=true&fresh=false")
                                  << QStringLiteral("fresh");
        QTest::newRow("unknown") << QStringLiteral("tables=all") << QStringLiteral("tables");
    }

    void usageRefusesBadParameters()
    {
        QFETCH(QString, query);
        QFETCH(QString, parameter);
        const HttpReply reply = get(tenantPath(m_a, QStringLiteral("/usage?")) + query);
        verifyProblem(reply, 400, "bad-request");
        QCOMPARE(parametersOf(reply.json()), QStringList{parameter});
    }

    // ---- users ----

    void listUsersFiltersAndPages()
    {
        const HttpReply all = get(tenantPath(m_a, QStringLiteral("/users")));
        QVERIFY2(all.status == 200, all.body.constData());
        const qint64 total = number(all.json(), "total");
        QCOMPARE(total, 4); // three coachees and their coach
        QCOMPARE(number(all.json(), "limit"), 50);
        const QJsonObject first = all.json().value(QStringLiteral("users")).toArray()[0].toObject();
        QCOMPARE(keysOf(first), QStringList({QStringLiteral("createdAt"),
                                             QStringLiteral("displayName"), QStringLiteral("email"),
                                             QStringLiteral("id"), QStringLiteral("role")}));

        const HttpReply coaches = get(tenantPath(m_a, QStringLiteral("/users?role=coach")));
        QCOMPARE(number(coaches.json(), "total"), 1);
        const QString coachEmail = someUser(m_a, "coach");
        const HttpReply search =
            get(tenantPath(m_a, QStringLiteral("/users?search=")) +
                QString::fromLatin1(QUrl::toPercentEncoding(
                    coachEmail.left(coachEmail.indexOf(QLatin1Char('@'))).toUpper())));
        QCOMPARE(number(search.json(), "total"), 1);
        const HttpReply page = get(tenantPath(m_a, QStringLiteral("/users?limit=2&offset=3")));
        QCOMPARE(page.json().value(QStringLiteral("users")).toArray().size(), 1);
        QCOMPARE(number(page.json(), "total"), total);
        // LIKE wildcards in a search match themselves only.
        QCOMPARE(number(get(tenantPath(m_a, QStringLiteral("/users?search=%25"))).json(), "total"),
                 0);
        verifyProblem(get(tenantPath(QStringLiteral("no-such-tenant"), QStringLiteral("/users"))),
                      404, "not-found");
    }

    void listUsersRefusesBadParameters_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("parameter");
        auto s = [](const char *text) { return QString::fromLatin1(text); };
        QTest::newRow("limit 0") << s("limit=0") << s("limit");
        QTest::newRow("limit 501") << s("limit=501") << s("limit");
        QTest::newRow("limit not digits") << s("limit=ten") << s("limit");
        QTest::newRow("negative offset") << s("offset=-1") << s("offset");
        QTest::newRow("offset too large") << s("offset=99999999") << s("offset");
        QTest::newRow("unknown role") << s("role=owner") << s("role");
        QTest::newRow("search too long")
            << QStringLiteral("search=") + QString(201, QLatin1Char('x')) << s("search");
        QTest::newRow("control character") << s("search=a%0Ab") << s("search");
        QTest::newRow("unknown") << s("q=x") << s("q");
        QTest::newRow("repeated") << s("role=coach&role=coachee") << s("role");
    }

    void listUsersRefusesBadParameters()
    {
        QFETCH(QString, query);
        QFETCH(QString, parameter);
        const HttpReply reply = get(tenantPath(m_a, QStringLiteral("/users?")) + query);
        verifyProblem(reply, 400, "bad-request");
        QCOMPARE(parametersOf(reply.json()), QStringList{parameter});
        QVERIFY2(text(reply.json(), "detail").contains(parameter), reply.body.constData());
    }

    void addUserThenDuplicateInAnotherCaseIs409()
    {
        const qint64 before = userCount(m_a);
        const HttpReply measured = get(tenantPath(m_a, QStringLiteral("/usage?fresh=true")));
        const qint64 bytesBefore = number(objectAt(measured.json(), "storageBytes"), "used");

        const QByteArray rid = requestId("add-user");
        const HttpReply added =
            addUser(m_a, QStringLiteral("Grace.Hopper@ops.example"), QStringLiteral("coach"), rid);
        QVERIFY2(added.status == 201, added.body.constData());
        const QJsonObject user = added.json();
        QCOMPARE(text(user, "email"), QStringLiteral("Grace.Hopper@ops.example"));
        QCOMPARE(text(user, "displayName"), QStringLiteral("Test User"));
        QCOMPARE(text(user, "role"), QStringLiteral("coach"));
        QVERIFY(!QUuid(text(user, "id")).isNull());
        QVERIFY(text(user, "createdAt").endsWith(QLatin1Char('Z')));
        QCOMPARE(userCount(m_a), before + 1);

        // Recorded once, by the domain, naming the user by id: never the email.
        auto events = m_f.auditOfRequest(rid);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events.front().action, QStringLiteral("tenant.user.add"));
        QCOMPARE(events.front().outcome, QStringLiteral("success"));
        QCOMPARE(events.front().actor, QStringLiteral("token:") + m_f.adminId);
        QCOMPARE(events.front().tenant, m_a);
        QCOMPARE(events.front().target, QStringLiteral("user:") + text(user, "id"));
        QCOMPARE(events.front().sourceIp, QStringLiteral("127.0.0.1"));
        QVERIFY(!compact(events.front().details).toLower().contains("grace"));

        // The same address in another case is the same user.
        const QByteArray again = requestId("add-user-again");
        const HttpReply duplicate = addUser(m_a, QStringLiteral("grace.hopper@OPS.EXAMPLE"),
                                            QStringLiteral("coachee"), again);
        verifyProblem(duplicate, 409, "user-exists", "email");
        QVERIFY(!duplicate.body.toLower().contains("grace"));
        QCOMPARE(userCount(m_a), before + 1);
        // Refused before anything changed: the API records the refusal (the domain did not).
        verifyApiFailureEvent(again, "tenant.user.add", 409);

        // Usage follows: one more seat, more bytes.
        const HttpReply after = get(tenantPath(m_a, QStringLiteral("/usage?fresh=true")));
        QCOMPARE(number(objectAt(after.json(), "seats"), "used"), before + 1);
        QVERIFY(number(objectAt(after.json(), "storageBytes"), "used") > bytesBefore);
    }

    void addUserRefusalsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("field"); // empty: no single field
        auto row = [](const char *name, const char *body, const char *field, int status = 400,
                      const char *type = "application/json") {
            QTest::newRow(name) << QByteArray(body) << QByteArray(type) << status
                                << QString::fromLatin1(field);
        };
        row("missing email", R"({"displayName":"A","role":"coach"})", "email");
        row("email not a string", R"({"email":7,"displayName":"A","role":"coach"})", "email");
        row("email without @", R"({"email":"nobody","displayName":"A","role":"coach"})", "email");
        row("email with space", R"({"email":"a b@x.example","displayName":"A","role":"coach"})",
            "email");
        row("blank name", R"({"email":"n@x.example","displayName":"  ","role":"coach"})",
            "displayName");
        row("name not a string", R"({"email":"n@x.example","displayName":[],"role":"coach"})",
            "displayName");
        row("unknown role", R"({"email":"n@x.example","displayName":"N","role":"owner"})", "role");
        row("role null", R"({"email":"n@x.example","displayName":"N","role":null})", "role");
        row("unknown field",
            R"({"email":"n@x.example","displayName":"N","role":"coach","isAdmin":true})", "");
        row("not an object", R"(["n@x.example"])", "");
        row("not JSON", R"({"email":)", "");
        row("text/plain", R"({"email":"n@x.example","displayName":"N","role":"coach"})",
            "Content-Type", 415, "text/plain");
    }

    void addUserRefusalsNameTheField()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        QFETCH(QString, field);
        const qint64 before = userCount(m_a);
        const QByteArray rid = requestId("add-user-refused");
        const HttpReply reply =
            post(tenantPath(m_a, QStringLiteral("/users")), body, rid, {}, contentType);
        QVERIFY2(reply.status == status, reply.body.constData());
        if (!field.isEmpty())
            QCOMPARE(text(reply.json(), "field"), field);
        if (body.contains("isAdmin"))
            QCOMPARE(reply.json().value(QStringLiteral("fields")).toArray(),
                     QJsonArray{QStringLiteral("isAdmin")});
        QVERIFY(!reply.body.contains("x.example"));
        QCOMPARE(userCount(m_a), before);
        verifyApiFailureEvent(rid, "tenant.user.add", status);
    }

    void addUserLimitsAndRoles()
    {
        // Larger than the operations body limit (4 KiB): 413, recorded, nothing added.
        const QByteArray rid = requestId("add-user-huge");
        const QByteArray huge =
            compact({{QStringLiteral("email"), QStringLiteral("h@x.example")},
                     {QStringLiteral("displayName"), QString(5000, QLatin1Char('h'))},
                     {QStringLiteral("role"), QStringLiteral("coach")}});
        verifyProblem(post(tenantPath(m_a, QStringLiteral("/users")), huge, rid), 413,
                      "payload-too-large");
        verifyApiFailureEvent(rid, "tenant.user.add", 413);

        // Viewers read users but cannot add them.
        const HttpReply viewer =
            post(tenantPath(m_a, QStringLiteral("/users")),
                 compact({{QStringLiteral("email"), QStringLiteral("v@x.example")},
                          {QStringLiteral("displayName"), QStringLiteral("V")},
                          {QStringLiteral("role"), QStringLiteral("coach")}}),
                 {}, m_f.viewer);
        QCOMPARE(viewer.status, 403);
        verifyProblem(addUser(QStringLiteral("no-such-tenant"), QStringLiteral("n@x.example"),
                              QStringLiteral("coach")),
                      404, "not-found");
        QCOMPARE(addUser(QStringLiteral("Bad%20Slug"), QStringLiteral("n@x.example"),
                         QStringLiteral("coach"))
                     .status,
                 400);
    }

    void seatLimitReachedAddsNobody()
    {
        QCOMPARE(
            addUser(m_seats, QStringLiteral("one@seats.example"), QStringLiteral("coach")).status,
            201);
        const qint64 seats = userCount(m_seats);
        QCOMPARE(seats, 1);
        const HttpReply limited = m_f.send(
            "PATCH", tenantPath(m_seats, {}), m_f.admin,
            compact({{QStringLiteral("limits"), QJsonObject{{QStringLiteral("seats"), seats}}}}),
            {{"Content-Type", "application/merge-patch+json"}});
        QVERIFY2(limited.status == 200, limited.body.constData());

        const QByteArray rid = requestId("add-user-no-seat");
        const HttpReply refused =
            addUser(m_seats, QStringLiteral("two@seats.example"), QStringLiteral("coachee"), rid);
        verifyProblem(refused, 409, "seat-limit-reached", "limits.seats");
        QCOMPARE(userCount(m_seats), seats);
        const HttpReply usage = get(tenantPath(m_seats, QStringLiteral("/usage?fresh=true")));
        QCOMPARE(number(objectAt(usage.json(), "seats"), "used"), seats);
        QCOMPARE(number(objectAt(usage.json(), "seats"), "limit"), seats);
        verifyApiFailureEvent(rid, "tenant.user.add", 409);

        // One more seat, and the same request succeeds.
        QCOMPARE(m_f.send("PATCH", tenantPath(m_seats, {}), m_f.admin,
                          compact({{QStringLiteral("limits"),
                                    QJsonObject{{QStringLiteral("seats"), seats + 1}}}}),
                          {{"Content-Type", "application/merge-patch+json"}})
                     .status,
                 200);
        QCOMPARE(
            addUser(m_seats, QStringLiteral("two@seats.example"), QStringLiteral("coachee")).status,
            201);
    }

    // ---- impersonation ----

    void impersonationRefusalsNameTheField_data()
    {
        QTest::addColumn<QJsonObject>("change"); // fields replaced in a valid body
        QTest::addColumn<QString>("without");    // a field removed from it
        QTest::addColumn<QString>("field");
        auto s = [](const char *text) { return QString::fromLatin1(text); };
        QTest::newRow("missing reason") << QJsonObject{} << s("reason") << s("reason");
        QTest::newRow("short reason")
            << QJsonObject{{s("reason"), s("   because   ")}} << QString() << s("reason");
        QTest::newRow("long reason") << QJsonObject{{s("reason"), QString(1001, QLatin1Char('r'))}}
                                     << QString() << s("reason");
        QTest::newRow("reason not a string")
            << QJsonObject{{s("reason"), 12345678901.0}} << QString() << s("reason");
        QTest::newRow("missing ticket") << QJsonObject{} << s("ticket") << s("ticket");
        QTest::newRow("bad ticket")
            << QJsonObject{{s("ticket"), s("see slack")}} << QString() << s("ticket");
        QTest::newRow("ticket injection")
            << QJsonObject{{s("ticket"), s("SUP-1'; DROP TABLE x;--")}} << QString() << s("ticket");
        QTest::newRow("zero minutes")
            << QJsonObject{{s("durationMinutes"), 0}} << QString() << s("durationMinutes");
        QTest::newRow("over four hours")
            << QJsonObject{{s("durationMinutes"), 241}} << QString() << s("durationMinutes");
        QTest::newRow("fractional minutes")
            << QJsonObject{{s("durationMinutes"), 1.5}} << QString() << s("durationMinutes");
        QTest::newRow("minutes as text")
            << QJsonObject{{s("durationMinutes"), s("30")}} << QString() << s("durationMinutes");
        QTest::newRow("missing subject") << QJsonObject{} << s("subject") << s("subject");
        QTest::newRow("subject another kind")
            << QJsonObject{{s("subject"), s("token:abc")}} << QString() << s("subject");
        QTest::newRow("subject not an email")
            << QJsonObject{{s("subject"), s("user:nobody")}} << QString() << s("subject");
    }

    void impersonationRefusalsNameTheField()
    {
        QFETCH(QJsonObject, change);
        QFETCH(QString, without);
        QFETCH(QString, field);
        QJsonObject body = impersonationBody(someUser(m_a, "coachee"));
        for (auto it = change.begin(); it != change.end(); ++it)
            body.insert(it.key(), it.value());
        body.remove(without);
        const QByteArray rid = requestId("impersonate-refused");
        const HttpReply reply = startImpersonation(m_a, body, rid);
        verifyProblem(reply, 400, "bad-request", qPrintable(field));
        QVERIFY(!reply.body.contains("DROP"));
        verifyApiFailureEvent(rid, "tenant.impersonation.start", 400);
        const HttpReply open = get(tenantPath(m_a, QStringLiteral("/impersonations?open=true")));
        QCOMPARE(open.json().value(QStringLiteral("impersonations")).toArray().size(), 0);
    }

    void impersonationOfSomeoneElseIs404()
    {
        // A user of another tenant is no user of this one.
        const QByteArray rid = requestId("impersonate-stranger");
        const HttpReply stranger =
            startImpersonation(m_a, impersonationBody(someUser(m_b, "coachee")), rid);
        verifyProblem(stranger, 404, "not-found", "subject");
        verifyApiFailureEvent(rid, "tenant.impersonation.start", 404);
        verifyProblem(startImpersonation(QStringLiteral("no-such-tenant"),
                                         impersonationBody(QStringLiteral("a@b.example"))),
                      404, "not-found");

        // Unknown fields, other media types, oversized bodies; viewers may not start one.
        QJsonObject extra = impersonationBody(someUser(m_a, "coachee"));
        extra.insert(QStringLiteral("operator"), QStringLiteral("user:someone@else.example"));
        const HttpReply unknown = startImpersonation(m_a, extra);
        QCOMPARE(unknown.status, 400);
        QCOMPARE(unknown.json().value(QStringLiteral("fields")).toArray(),
                 QJsonArray{QStringLiteral("operator")});
        QCOMPARE(post(tenantPath(m_a, QStringLiteral("/impersonations")),
                      compact(impersonationBody(someUser(m_a, "coachee"))), {}, {}, "text/plain")
                     .status,
                 415);
        QJsonObject huge = impersonationBody(someUser(m_a, "coachee"));
        huge.insert(QStringLiteral("reason"), QString(5000, QLatin1Char('r')));
        QCOMPARE(startImpersonation(m_a, huge).status, 413);
        QCOMPARE(post(tenantPath(m_a, QStringLiteral("/impersonations")),
                      compact(impersonationBody(someUser(m_a, "coachee"))), {}, m_f.viewer)
                     .status,
                 403);
    }

    void impersonationLifecycle()
    {
        const QString email = someUser(m_a, "coachee");
        QVERIFY(!email.isEmpty());
        // A bare email is taken as the user it names.
        const QByteArray startRid = requestId("impersonate");
        const HttpReply started = startImpersonation(m_a, impersonationBody(email), startRid);
        QVERIFY2(started.status == 201, started.body.constData());
        const QJsonObject impersonation = started.json();
        const QString id = text(impersonation, "id");
        QVERIFY(!QUuid(id).isNull());
        QCOMPARE(started.header("location"),
                 tenantPath(m_a, QStringLiteral("/impersonations/") + id).toLatin1());
        QCOMPARE(
            keysOf(impersonation),
            QStringList({QStringLiteral("endedAt"), QStringLiteral("endedBy"),
                         QStringLiteral("expiresAt"), QStringLiteral("id"), QStringLiteral("open"),
                         QStringLiteral("operator"), QStringLiteral("reason"),
                         QStringLiteral("startedAt"), QStringLiteral("subject"),
                         QStringLiteral("tenant"), QStringLiteral("ticket")}));
        QCOMPARE(text(impersonation, "tenant"), m_a);
        QCOMPARE(text(impersonation, "subject"), QStringLiteral("user:") + email);
        QCOMPARE(text(impersonation, "operator"), QStringLiteral("token:") + m_f.adminId);
        QCOMPARE(text(impersonation, "ticket"), QStringLiteral("SUP-4711"));
        QCOMPARE(text(impersonation, "reason"), QStringLiteral("Customer reports missing goals"));
        QVERIFY(impersonation.value(QStringLiteral("open")).toBool());
        QVERIFY(impersonation.value(QStringLiteral("endedAt")).isNull());
        QVERIFY(impersonation.value(QStringLiteral("endedBy")).isNull());
        const QDateTime startedAt =
            QDateTime::fromString(text(impersonation, "startedAt"), Qt::ISODateWithMs);
        const QDateTime expiresAt =
            QDateTime::fromString(text(impersonation, "expiresAt"), Qt::ISODateWithMs);
        QCOMPARE(startedAt.secsTo(expiresAt), 15 * 60);

        // Recorded by the service with the operator as actor; the reason stays out of the log.
        auto events = m_f.auditOfRequest(startRid);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events.front().action, QStringLiteral("tenant.impersonation.start"));
        QCOMPARE(events.front().actor, QStringLiteral("token:") + m_f.adminId);
        QCOMPARE(events.front().tenant, m_a);
        QVERIFY(!compact(events.front().details).contains("missing goals"));

        // Listed as open, readable one by one; viewers can see it.
        const HttpReply open = get(tenantPath(m_a, QStringLiteral("/impersonations?open=true")));
        QVERIFY2(open.status == 200, open.body.constData());
        const QJsonArray listed = open.json().value(QStringLiteral("impersonations")).toArray();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(text(listed[0].toObject(), "id"), id);
        QVERIFY(listed[0].toObject().value(QStringLiteral("open")).toBool());
        const QString path = tenantPath(m_a, QStringLiteral("/impersonations/") + id);
        const HttpReply one = get(path);
        QCOMPARE(one.status, 200);
        QCOMPARE(text(one.json(), "id"), id);
        verifyProblem(get(tenantPath(m_a, QStringLiteral("/impersonations?open=maybe"))), 400,
                      "bad-request");
        verifyProblem(get(tenantPath(m_a, QStringLiteral("/impersonations?limit=0"))), 400,
                      "bad-request");
        verifyProblem(get(tenantPath(m_a, QStringLiteral("/impersonations/not-a-uuid"))), 400,
                      "bad-request");
        verifyProblem(get(tenantPath(m_a, QStringLiteral("/impersonations/") +
                                              QUuid::createUuid().toString(QUuid::WithoutBraces))),
                      404, "not-found");

        // Tenant B's routes know nothing of tenant A's impersonation: the same 404 as for an
        // unknown id, and ending it there changes nothing (the attempt is recorded under B).
        const QString foreign = tenantPath(m_b, QStringLiteral("/impersonations/") + id);
        const HttpReply elsewhere = get(foreign);
        verifyProblem(elsewhere, 404, "not-found");
        QVERIFY(!elsewhere.body.contains(m_a.toLatin1()));
        verifyProblem(get(foreign + QStringLiteral("/overview"), m_f.admin), 404, "not-found");
        const QByteArray foreignEnd = requestId("end-elsewhere");
        verifyProblem(post(foreign + QStringLiteral("/end"), {}, foreignEnd, {}, {}), 404,
                      "not-found");
        verifyApiFailureEvent(foreignEnd, "tenant.impersonation.end", 404);
        QCOMPARE(m_f.auditOfRequest(foreignEnd).front().target, QStringLiteral("tenant:") + m_b);
        QVERIFY(get(path).json().value(QStringLiteral("open")).toBool());
        QVERIFY(get(tenantPath(m_b, QStringLiteral("/impersonations")))
                    .json()
                    .value(QStringLiteral("impersonations"))
                    .toArray()
                    .isEmpty());

        // The overview: the subject's own coaching, recorded with both identities. Only the
        // operator who started the impersonation may act under it; viewers not at all.
        const QByteArray viewRid = requestId("overview");
        const HttpReply overview = m_f.send("GET", path + QStringLiteral("/overview"), m_f.admin,
                                            {}, {{"X-Request-Id", viewRid}});
        QVERIFY2(overview.status == 200, overview.body.constData());
        QCOMPARE(text(objectAt(overview.json(), "user"), "email"), email);
        QCOMPARE(text(objectAt(overview.json(), "user"), "role"), QStringLiteral("coachee"));
        QVERIFY(!overview.json().value(QStringLiteral("goals")).toArray().isEmpty());
        QVERIFY(overview.json().value(QStringLiteral("habits")).isArray());
        QVERIFY(overview.json().value(QStringLiteral("sessions")).isArray());
        QCOMPARE(text(objectAt(overview.json(), "impersonation"), "id"), id);
        compliance::AuditQuery viewQuery;
        viewQuery.tenant = m_a;
        viewQuery.action = QStringLiteral("tenant.impersonation.view");
        events = m_f.audit(viewQuery);
        QCOMPARE(events.size(), size_t(1));
        // The subject by id (user:<uuid>), never by email.
        QCOMPARE(events.front().actor,
                 QStringLiteral("user:") + text(objectAt(overview.json(), "user"), "id"));
        QVERIFY(!events.front().actor.contains(email));
        QCOMPARE(events.front().impersonator, QStringLiteral("token:") + m_f.adminId);
        QCOMPARE(events.front().details.value(QStringLiteral("impersonation")).toString(), id);
        verifyProblem(get(path + QStringLiteral("/overview"), m_otherAdmin), 403,
                      "impersonation-not-yours");
        QCOMPARE(get(path + QStringLiteral("/overview")).status, 403); // a viewer
        QCOMPARE(m_f.audit(viewQuery).size(), size_t(1));              // neither was recorded

        // Ended (by any admin), then it is over: ending again is 409, the overview 403.
        const QByteArray endRid = requestId("end");
        const HttpReply ended =
            post(path + QStringLiteral("/end"), {}, endRid, m_otherAdmin, QByteArray());
        QVERIFY2(ended.status == 200, ended.body.constData());
        QVERIFY(!ended.json().value(QStringLiteral("open")).toBool());
        QVERIFY(!text(ended.json(), "endedAt").isEmpty());
        QCOMPARE(text(ended.json(), "endedBy"), QStringLiteral("token:") + m_otherAdminId);
        QCOMPARE(text(ended.json(), "operator"), QStringLiteral("token:") + m_f.adminId);
        events = m_f.auditOfRequest(endRid);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events.front().action, QStringLiteral("tenant.impersonation.end"));
        QCOMPARE(events.front().outcome, QStringLiteral("success"));
        QCOMPARE(events.front().actor, QStringLiteral("token:") + m_otherAdminId);

        const QByteArray againRid = requestId("end-again");
        verifyProblem(post(path + QStringLiteral("/end"), {}, againRid), 409,
                      "impersonation-ended");
        verifyApiFailureEvent(againRid, "tenant.impersonation.end", 409);
        verifyProblem(get(path + QStringLiteral("/overview"), m_f.admin), 403,
                      "impersonation-not-open");
        QCOMPARE(m_f.audit(viewQuery).size(), size_t(1));
        QVERIFY(get(tenantPath(m_a, QStringLiteral("/impersonations?open=true")))
                    .json()
                    .value(QStringLiteral("impersonations"))
                    .toArray()
                    .isEmpty());
        const QJsonArray all = get(tenantPath(m_a, QStringLiteral("/impersonations")))
                                   .json()
                                   .value(QStringLiteral("impersonations"))
                                   .toArray();
        QCOMPARE(all.size(), 1);
        QVERIFY(!all[0].toObject().value(QStringLiteral("open")).toBool());

        // The end route takes no body.
        QCOMPARE(post(path + QStringLiteral("/end"), R"({"force":true})").status, 400);
    }

    void suspendedTenantCannotBeImpersonated()
    {
        const QString email = someUser(m_suspended, "coachee");
        QVERIFY(!email.isEmpty()); // operators still read a suspended tenant's users
        const QByteArray rid = requestId("impersonate-suspended");
        const HttpReply refused = startImpersonation(
            m_suspended, impersonationBody(QStringLiteral("user:") + email), rid);
        verifyProblem(refused, 409, "tenant-state-conflict");
        verifyApiFailureEvent(rid, "tenant.impersonation.start", 409);
        QVERIFY(get(tenantPath(m_suspended, QStringLiteral("/impersonations")))
                    .json()
                    .value(QStringLiteral("impersonations"))
                    .toArray()
                    .isEmpty());
        // Nor does it get users.
        const qint64 before = userCount(m_suspended);
        verifyProblem(
            addUser(m_suspended, QStringLiteral("late@suspended.example"), QStringLiteral("coach")),
            409, "tenant-state-conflict");
        QCOMPARE(userCount(m_suspended), before);
    }

    // ---- keys ----

    void keyStatusAndRotation()
    {
        // One PHI note, encrypted under the current key, so the status has values to count.
        tenancy::FieldCipher cipher(*m_keys);
        const QString noted = offThread([this, &cipher]() -> QString {
            TenancyFixture *t = m_f.tenancy.get();
            auto tenant = t->registry().get(m_a);
            if (!tenant)
                return tenant.error().message;
            auto session = t->sessions().run(
                m_a, tenancy::TenantAccess::Member, [](tenancy::TenantTransaction &tx) {
                    const auto row =
                        tx.exec("SELECT id::text, coach_id::text FROM coaching_sessions LIMIT 1");
                    return row.empty() ? std::pair<QString, QString>()
                                       : std::pair{QString::fromUtf8(row[0][0].c_str()),
                                                   QString::fromUtf8(row[0][1].c_str())};
                });
            if (!session || session->first.isEmpty())
                return QStringLiteral("no coaching session to write a note for");
            auto note = tenancy::writePhiNote(t->sessions(), cipher, tenant.value(), session->first,
                                              session->second,
                                              QStringLiteral("Discussed a private matter"));
            return note ? QString() : note.error().message;
        });
        QVERIFY2(noted.isEmpty(), qPrintable(noted));

        const HttpReply status = get(tenantPath(m_a, QStringLiteral("/keys")));
        QVERIFY2(status.status == 200, status.body.constData());
        QJsonObject keys = status.json();
        QCOMPARE(text(keys, "tenant"), m_a);
        QCOMPARE(number(keys, "currentVersion"), 1);
        QJsonArray versions = keys.value(QStringLiteral("versions")).toArray();
        QCOMPARE(versions.size(), 1);
        const QJsonObject first = versions[0].toObject();
        QCOMPARE(keysOf(first),
                 QStringList({QStringLiteral("createdAt"), QStringLiteral("current"),
                              QStringLiteral("encryptedValues"), QStringLiteral("kekId"),
                              QStringLiteral("kekVersion"), QStringLiteral("rewrappedAt"),
                              QStringLiteral("version")}));
        QVERIFY(text(first, "kekId").startsWith(QLatin1String("keyring:")));
        QCOMPARE(number(first, "kekVersion"), 1);
        QCOMPARE(number(first, "encryptedValues"), 1);
        QVERIFY(first.value(QStringLiteral("rewrappedAt")).isNull());
        QCOMPARE(number(objectAt(keys, "encryptedValues"), "1"), 1);
        QCOMPARE(number(keys, "pendingReencryption"), 0);
        QVERIFY(!text(keys, "nextRotationDue").isEmpty());
        QCOMPARE(text(keys, "currentCreatedAt"), text(first, "createdAt"));

        // Rotation: viewers may not; an admin gets version 2, the note moves to it, recorded.
        QCOMPARE(
            post(tenantPath(m_a, QStringLiteral("/keys/rotate")), {}, {}, m_f.viewer, {}).status,
            403);
        const QByteArray rid = requestId("rotate");
        const HttpReply rotated =
            post(tenantPath(m_a, QStringLiteral("/keys/rotate")), {}, rid, {}, QByteArray());
        QVERIFY2(rotated.status == 200, rotated.body.constData());
        keys = rotated.json();
        QCOMPARE(number(keys, "currentVersion"), 2);
        versions = keys.value(QStringLiteral("versions")).toArray();
        QCOMPARE(versions.size(), 2);
        QVERIFY(!versions[0].toObject().value(QStringLiteral("current")).toBool());
        QVERIFY(versions[1].toObject().value(QStringLiteral("current")).toBool());
        QCOMPARE(number(objectAt(keys, "encryptedValues"), "2"), 1);
        QCOMPARE(number(keys, "pendingReencryption"), 0);
        const auto events = m_f.auditOfRequest(rid);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events.front().action, QStringLiteral("tenant.key.rotate"));
        QCOMPARE(events.front().outcome, QStringLiteral("success"));
        QCOMPARE(events.front().actor, QStringLiteral("token:") + m_f.adminId);
        QCOMPARE(events.front().tenant, m_a);
        QCOMPARE(get(tenantPath(m_a, QStringLiteral("/keys"))).json(), keys);

        // No key material in any answer: not even the wrapped keys stored in the database.
        const QList<QByteArray> wrapped = offThread([this] {
            QList<QByteArray> blobs;
            auto tenant = m_f.tenancy->registry().get(m_a);
            if (!tenant)
                return blobs;
            (void)m_f.control->withConnection([&](pqxx::connection &connection) {
                pqxx::read_transaction tx(connection);
                for (const auto &row :
                     tx.exec_params("SELECT encode(wrapped_key, 'hex') FROM tenant_data_keys"
                                    " WHERE tenant_id = $1",
                                    tenant->id.toString(QUuid::WithoutBraces).toStdString()))
                    blobs << QByteArray::fromHex(QByteArray(row[0].c_str()));
            });
            return blobs;
        });
        QCOMPARE(wrapped.size(), 2);
        for (const QByteArray &blob : wrapped) {
            for (const QByteArray &body : {status.body, rotated.body}) {
                QVERIFY(!body.contains(blob.toHex()));
                QVERIFY(!body.contains(blob.toBase64()));
                QVERIFY(!body.contains(
                    blob.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)));
            }
        }

        // Refusals: a body, an unknown tenant (recorded by the API), query parameters.
        QCOMPARE(post(tenantPath(m_a, QStringLiteral("/keys/rotate")), R"({"version":9})").status,
                 400);
        const QByteArray unknownRid = requestId("rotate-unknown");
        verifyProblem(
            post(tenantPath(QStringLiteral("no-such-tenant"), QStringLiteral("/keys/rotate")), {},
                 unknownRid, {}, QByteArray()),
            404, "not-found");
        verifyApiFailureEvent(unknownRid, "tenant.key.rotate", 404);
        verifyProblem(get(tenantPath(m_a, QStringLiteral("/keys?material=true"))), 400,
                      "bad-request");
        const HttpReply wrongMethod = get(tenantPath(m_a, QStringLiteral("/keys/rotate")));
        QCOMPARE(wrongMethod.status, 405);
        QCOMPARE(wrongMethod.header("allow"), QByteArray("POST"));
    }

    // ---- without the services ----

    void withoutServicesRoutesAnswer503()
    {
        api::ApiServer bare(m_f.baseDeps());
        auto listening = bare.listen(ListenAddress{QHostAddress(QHostAddress::LocalHost), 0});
        QVERIFY(listening);
        const quint16 port = listening.value();
        const QList<QPair<QByteArray, QString>> requests = {
            {"GET", QStringLiteral("/usage")},
            {"GET", QStringLiteral("/users")},
            {"POST", QStringLiteral("/users")},
            {"GET", QStringLiteral("/impersonations")},
            {"POST", QStringLiteral("/impersonations")},
            {"GET", QStringLiteral("/impersonations/") +
                        QUuid::createUuid().toString(QUuid::WithoutBraces)},
            {"GET", QStringLiteral("/keys")},
            {"POST", QStringLiteral("/keys/rotate")},
        };
        for (const auto &[verb, rest] : requests) {
            const QByteArray rid = requestId("unconfigured");
            const HttpReply reply =
                m_f.send(verb, tenantPath(m_a, rest), m_f.admin, "{}",
                         {{"Content-Type", kJson}, {"X-Request-Id", rid}}, port);
            QVERIFY2(reply.status == 503,
                     qPrintable(QString::fromLatin1(verb) + QLatin1Char(' ') + rest));
            QCOMPARE(text(reply.json(), "type"), kProblems + QStringLiteral("tenancy-unavailable"));
            QVERIFY(m_f.auditOfRequest(rid).empty());
        }
        // The tenant routes themselves still work.
        QCOMPARE(m_f.send("GET", tenantPath(m_a, {}), m_f.viewer, {}, {}, port).status, 200);
    }

    void metricsLabelRoutePatterns()
    {
        const HttpReply metrics = m_f.send("GET", QStringLiteral("/metrics"), {});
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.body.contains(R"(route="/api/v1/tenants/{slug}/users")"));
        QVERIFY(metrics.body.contains(R"(route="/api/v1/tenants/{slug}/impersonations/{id}")"));
        QVERIFY(metrics.body.contains(R"(route="/api/v1/tenants/{slug}/keys/rotate")"));
        QVERIFY(!metrics.body.contains(m_a.toLatin1()));
    }
};

QTEST_GUILESS_MAIN(TestApiTenantOps)
#include "test_api_tenant_ops.moc"
