// The tenant routes end to end over real PostgreSQL: two regional clusters, the real audit log,
// the real TenantRegistry (tests/integration/tenancy/tenancyfixture.h) behind an ApiServer on an
// ephemeral port. Creation per isolation strategy, lifecycle actions and their refusals, every
// validation error naming its field, roles, listing (filters, sort, paging, total), PATCH with
// If-Match and merge patches, moves, deletion and restore, exports (plain and masked), and the
// audit events each request leaves behind — exactly one per change. The test thread is the
// server's event loop and is marked so that blocking on it fails.
#include "tenantapitestsupport.h"
#include "upcoach/tenancy/sampledata.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>
#include <QUuid>

using namespace upcoach;
using namespace upcoach::testing;
using namespace std::chrono_literals;

namespace {

const QByteArray kJson = "application/json";

QString text(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toString();
}

QStringList names(std::initializer_list<const char *> list)
{
    QStringList out;
    for (const char *name : list)
        out << QString::fromLatin1(name);
    return out;
}

QStringList parametersOf(const QJsonObject &problem)
{
    QStringList parameters;
    for (const QJsonValue &name : problem.value(QStringLiteral("parameters")).toArray())
        parameters << name.toString();
    return parameters;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The objects of a JSON-lines file.
QList<QJsonObject> jsonLines(const QString &path)
{
    QList<QJsonObject> rows;
    for (const QByteArray &line : readAll(path).split('\n')) {
        if (!line.isEmpty())
            rows << QJsonDocument::fromJson(line).object();
    }
    return rows;
}

QStringList slugsOf(const QJsonObject &page)
{
    QStringList slugs;
    for (const QJsonValue &tenant : page.value(QStringLiteral("tenants")).toArray())
        slugs << tenant.toObject().value(QStringLiteral("slug")).toString();
    return slugs;
}

} // namespace

class TestApiTenants : public QObject
{
    Q_OBJECT
    TenantApiFixture m_f;
    TenancyFixture *m_t = nullptr;
    QByteArray m_admin;
    QByteArray m_viewer;
    QString m_adminId;
    QString m_viewerId;
    QTemporaryDir m_exports;
    int m_requests = 0;

    HttpReply send(const QByteArray &verb, const QString &pathAndQuery, const QByteArray &token,
                   const QByteArray &body = {}, QList<QPair<QByteArray, QByteArray>> headers = {},
                   quint16 port = 0)
    {
        return m_f.send(verb, pathAndQuery, token, body, headers, port);
    }

    HttpReply post(const QString &path, const QByteArray &body, const QByteArray &requestId = {},
                   const QByteArray &token = {})
    {
        QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", kJson}};
        if (!requestId.isEmpty())
            headers.append({"X-Request-Id", requestId});
        return send("POST", path, token.isEmpty() ? m_admin : token, body, headers);
    }

    HttpReply action(const QString &slug, const char *name, const QByteArray &requestId = {},
                     const QByteArray &token = {})
    {
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!requestId.isEmpty())
            headers.append({"X-Request-Id", requestId});
        return send("POST", QStringLiteral("/api/v1/tenants/%1/%2").arg(slug, QLatin1String(name)),
                    token.isEmpty() ? m_admin : token, {}, headers);
    }

    HttpReply patch(const QString &slug, const QByteArray &body,
                    const QByteArray &contentType = kJson, const QByteArray &ifMatch = {},
                    const QByteArray &requestId = {})
    {
        QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", contentType}};
        if (!ifMatch.isEmpty())
            headers.append({"If-Match", ifMatch});
        if (!requestId.isEmpty())
            headers.append({"X-Request-Id", requestId});
        return send("PATCH", QStringLiteral("/api/v1/tenants/") + slug, m_admin, body, headers);
    }

    HttpReply get(const QString &pathAndQuery) { return send("GET", pathAndQuery, m_viewer); }

    HttpReply remove(const QString &slug, const QString &query = {},
                     const QByteArray &requestId = {}, const QByteArray &token = {})
    {
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!requestId.isEmpty())
            headers.append({"X-Request-Id", requestId});
        return send("DELETE",
                    QStringLiteral("/api/v1/tenants/") + slug +
                        (query.isEmpty() ? QString() : QLatin1Char('?') + query),
                    token.isEmpty() ? m_admin : token, {}, headers);
    }

    HttpReply exportOf(const QString &slug, const QByteArray &body = {},
                       const QByteArray &requestId = {}, const QByteArray &token = {})
    {
        return post(QStringLiteral("/api/v1/tenants/%1/export").arg(slug), body, requestId, token);
    }

    // Export directories below m_exports whose name starts with `prefix`.
    QStringList exportsNamed(const QString &prefix) const
    {
        return QDir(m_exports.path() + QStringLiteral("/tenant-exports"))
            .entryList({prefix + QLatin1Char('*')}, QDir::Dirs | QDir::NoDotAndDotDot);
    }

    QByteArray newTenant(const QString &slug, const char *isolation, int region = 0,
                         const QJsonObject &extra = {}, const QStringList &without = {})
    {
        QJsonObject body{
            {QStringLiteral("slug"), slug},
            {QStringLiteral("name"), QString(QStringLiteral("Tenant ") + slug)},
            {QStringLiteral("plan"), QStringLiteral("enterprise")},
            {QStringLiteral("homeRegion"), m_t->region(region)},
            {QStringLiteral("isolation"), QString::fromLatin1(isolation)},
            {QStringLiteral("ownerName"), QStringLiteral("Olivia Owner")},
            {QStringLiteral("ownerEmail"), QString(slug + QStringLiteral("@owner.example"))},
            {QStringLiteral("allowedRegions"), QJsonArray{m_t->region(0), m_t->region(1)}}};
        for (auto it = extra.begin(); it != extra.end(); ++it)
            body.insert(it.key(), it.value());
        for (const QString &field : without)
            body.remove(field);
        return QJsonDocument(body).toJson(QJsonDocument::Compact);
    }

    QByteArray requestId(const char *what)
    {
        return QByteArray(what) + '-' + QByteArray::number(++m_requests);
    }

    std::vector<compliance::AuditEvent> auditOfTenant(const QString &slug)
    {
        return m_f.auditOfTenant(slug);
    }

    std::vector<compliance::AuditEvent> auditOfRequest(const QByteArray &rid)
    {
        return m_f.auditOfRequest(rid);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_exports.isValid());
        const QString error = m_f.start(2, [this](api::ServerDeps &deps) {
            deps.tenantSessions = &m_f.tenancy->sessions();
            deps.tenantExportDir =
                m_exports.path() + QStringLiteral("/tenant-exports"); // made later
        });
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_t = m_f.tenancy.get();
        m_admin = m_f.admin;
        m_viewer = m_f.viewer;
        m_adminId = m_f.adminId;
        m_viewerId = m_f.viewerId;
    }

    void cleanupTestCase()
    {
        m_t = nullptr;
        m_f.stop();
    }

    void createsOneTenantPerStrategy_data()
    {
        QTest::addColumn<QString>("slug");
        QTest::addColumn<QString>("isolation");
        QTest::addColumn<int>("region");
        QTest::newRow("rls") << QStringLiteral("per-rls") << QStringLiteral("rls") << 0;
        QTest::newRow("schema") << QStringLiteral("per-schema") << QStringLiteral("schema") << 1;
        QTest::newRow("database") << QStringLiteral("per-database") << QStringLiteral("database")
                                  << 0;
    }

    void createsOneTenantPerStrategy()
    {
        QFETCH(QString, slug);
        QFETCH(QString, isolation);
        QFETCH(int, region);
        const HttpReply created =
            post(QStringLiteral("/api/v1/tenants"), newTenant(slug, qPrintable(isolation), region));
        QVERIFY2(created.status == 201, created.body.constData());
        QCOMPARE(created.header("location"), QByteArray("/api/v1/tenants/" + slug.toLatin1()));
        const QJsonObject tenant = created.json();
        QCOMPARE(text(tenant, "slug"), slug);
        QCOMPARE(text(tenant, "isolation"), isolation);
        QCOMPARE(text(tenant, "homeRegion"), m_t->region(region));
        QCOMPARE(text(tenant, "provisioning"), QStringLiteral("ready"));
        QCOMPARE(text(tenant, "state"), QStringLiteral("trial"));
        QCOMPARE(text(tenant, "kind"), QStringLiteral("organization"));
        QVERIFY(tenant.value(QStringLiteral("parent")).isNull());
        QVERIFY(!QUuid(text(tenant, "id")).isNull());
        QVERIFY(text(tenant, "createdAt").endsWith(QLatin1Char('Z')));
        QCOMPARE(text(tenant, "createdAt").size(), 24); // 2026-03-14T15:09:26.535Z
        QVERIFY(!text(tenant, "trialEndsAt").isEmpty());
        QCOMPARE(created.header("etag"),
                 QByteArray(
                     '"' + QByteArray::number(tenant.value(QStringLiteral("version")).toInteger()) +
                     '"'));

        // Listed, and readable one by one with its effective settings.
        const HttpReply listed = get(QStringLiteral("/api/v1/tenants?isolation=") + isolation);
        QCOMPARE(listed.status, 200);
        QVERIFY2(slugsOf(listed.json()).contains(slug), listed.body.constData());
        const HttpReply one = get(QStringLiteral("/api/v1/tenants/") + slug);
        QCOMPARE(one.status, 200);
        QCOMPARE(one.header("etag"), created.header("etag"));
        const QJsonObject effective =
            one.json().value(QStringLiteral("effectiveSettings")).toObject();
        QCOMPARE(effective.value(QStringLiteral("config"))
                     .toObject()
                     .value(QStringLiteral("timezone"))
                     .toString(),
                 QStringLiteral("UTC"));
        QCOMPARE(effective.value(QStringLiteral("limits"))
                     .toObject()
                     .value(QStringLiteral("seats"))
                     .toInteger(),
                 100000);
        QVERIFY(effective.value(QStringLiteral("features"))
                    .toObject()
                    .value(QStringLiteral("sso"))
                    .toBool());
        QCOMPARE(text(one.json(), "ownerEmail"), slug + QStringLiteral("@owner.example"));
    }

    void unknownTenantsAre404()
    {
        QCOMPARE(get(QStringLiteral("/api/v1/tenants/no-such-tenant")).status, 404);
        const HttpReply suspend = action(QStringLiteral("no-such-tenant"), "suspend");
        QCOMPARE(suspend.status, 404);
        QCOMPARE(patch(QStringLiteral("no-such-tenant"), R"({"name":"X"})").status, 404);
        QCOMPARE(get(QStringLiteral("/api/v1/tenants/Not%20A%20Slug")).status, 400);
        QCOMPARE(get(QStringLiteral("/api/v1/tenants/per-rls/unknown-action")).status, 404);
        QCOMPARE(action(QStringLiteral("no-such-tenant"), "export").status, 404);
        QCOMPARE(action(QStringLiteral("no-such-tenant"), "restore").status, 404);
        QCOMPARE(send("DELETE", QStringLiteral("/api/v1/tenants/no-such-tenant"), m_admin).status,
                 404);
        // Export and restore take POST only; tenants are not replaced with PUT.
        const HttpReply wrongMethod = get(QStringLiteral("/api/v1/tenants/per-rls/export"));
        QCOMPARE(wrongMethod.status, 405);
        QCOMPARE(wrongMethod.header("allow"), QByteArray("POST"));
        QCOMPARE(send("PUT", QStringLiteral("/api/v1/tenants/per-rls"), m_admin).status, 405);
    }

    void lifecycleActionsAndConflicts()
    {
        const QString slug = QStringLiteral("life-cycle");
        QCOMPARE(post(QStringLiteral("/api/v1/tenants"), newTenant(slug, "rls")).status, 201);

        HttpReply reply = action(slug, "suspend");
        QVERIFY2(reply.status == 200, reply.body.constData());
        QCOMPARE(text(reply.json(), "state"), QStringLiteral("suspended"));
        QVERIFY(!text(reply.json(), "suspendedAt").isEmpty());

        reply = action(slug, "suspend");
        QCOMPARE(reply.status, 409);
        QCOMPARE(reply.header("content-type"), QByteArray("application/problem+json"));
        QCOMPARE(text(reply.json(), "type"),
                 QStringLiteral("https://upcoach.dev/problems/tenant-state-conflict"));
        QCOMPARE(text(reply.json(), "detail"),
                 QStringLiteral("tenant life-cycle cannot suspend: it is already suspended"));

        reply = action(slug, "activate");
        QCOMPARE(reply.status, 200);
        QCOMPARE(text(reply.json(), "state"), QStringLiteral("active"));
        QVERIFY(reply.json().value(QStringLiteral("suspendedAt")).isNull());
        reply = action(slug, "reactivate");
        QCOMPARE(reply.status, 409);
        QVERIFY(text(reply.json(), "detail").contains(QStringLiteral("not canceled")));
        reply = action(slug, "cancel");
        QCOMPARE(reply.status, 200);
        QCOMPARE(text(reply.json(), "state"), QStringLiteral("canceled"));
        QCOMPARE(action(slug, "activate").status, 409);
        reply = action(slug, "reactivate");
        QCOMPARE(reply.status, 200);
        QCOMPARE(text(reply.json(), "state"), QStringLiteral("active"));

        // An action takes no body.
        reply = send("POST", QStringLiteral("/api/v1/tenants/%1/suspend").arg(slug), m_admin,
                     R"({"force":true})", {{"Content-Type", kJson}});
        QCOMPARE(reply.status, 400);
        QCOMPARE(text(get(QStringLiteral("/api/v1/tenants/") + slug).json(), "state"),
                 QStringLiteral("active"));
    }

    void validationErrorsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QJsonObject>("change");  // fields replaced in a valid body
        QTest::addColumn<QStringList>("without"); // fields removed from it
        QTest::addColumn<QByteArray>("rawBody");  // instead of a JSON body when set
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("field");
        auto row = [](const char *name, const QJsonObject &change, const QString &field,
                      const QStringList &without = {}) {
            QTest::newRow(name) << kJson << change << without << QByteArray() << 400 << field;
        };
        auto s = [](const char *text) { return QString::fromLatin1(text); };
        row("missing slug", {}, s("slug"), {s("slug")});
        row("missing slug and plan", {}, s("plan"), {s("slug"), s("plan")});
        row("bad isolation", {{s("isolation"), s("shared")}}, s("isolation"));
        row("unknown config key", {{s("config"), QJsonObject{{s("colour"), s("red")}}}},
            s("config.colour"));
        row("bad config value", {{s("config"), QJsonObject{{s("timezone"), s("Mars/Base")}}}},
            s("config.timezone"));
        row("wrong type", {{s("name"), 42}}, s("name"));
        row("trial not a bool", {{s("trial"), s("yes")}}, s("trial"));
        row("unknown field", {{s("owner"), 1}}, s("owner"));
        row("unknown plan", {{s("plan"), s("platinum")}}, s("plan"));
        row("region not configured", {{s("homeRegion"), s("af-south-1")}}, s("homeRegion"),
            {s("allowedRegions")});
        row("bad email", {{s("ownerEmail"), s("nobody")}}, s("ownerEmail"));
        row("unknown limit", {{s("limits"), QJsonObject{{s("cpus"), 4}}}}, s("limits.cpus"));
        row("unknown feature", {{s("features"), QJsonObject{{s("teleport"), true}}}},
            s("features.teleport"));
        row("team without parent", {{s("kind"), s("team")}}, s("parent"));
        row("unknown parent", {{s("kind"), s("team")}, {s("parent"), s("no-such-parent")}},
            s("parent"));
        QTest::newRow("not json") << kJson << QJsonObject() << QStringList() << QByteArray("slug=x")
                                  << 400 << QString();
        QTest::newRow("415") << QByteArray("text/plain") << QJsonObject() << QStringList()
                             << QByteArray() << 415 << s("Content-Type");
        QTest::newRow("413") << kJson << QJsonObject() << QStringList()
                             << QByteArray(70 * 1024, ' ') << 413 << QString();
    }

    void validationErrorsNameTheField()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QJsonObject, change);
        QFETCH(QStringList, without);
        QFETCH(QByteArray, rawBody);
        QFETCH(int, status);
        QFETCH(QString, field);
        const QString slug = QStringLiteral("invalid-%1").arg(++m_requests);
        const QByteArray body =
            rawBody.isEmpty() ? newTenant(slug, "rls", 0, change, without) : rawBody;
        const QByteArray rid = requestId("invalid");
        const HttpReply reply = send("POST", QStringLiteral("/api/v1/tenants"), m_admin, body,
                                     {{"Content-Type", contentType}, {"X-Request-Id", rid}});
        QVERIFY2(reply.status == status, reply.body.constData());
        QCOMPARE(reply.header("content-type"), QByteArray("application/problem+json"));
        const QString detail = text(reply.json(), "detail");
        if (!field.isEmpty())
            QVERIFY2(detail.startsWith(field + QLatin1Char(':')) || detail.contains(field),
                     qPrintable(detail));
        // Nothing was created, and the attempt is in the audit log once, as a failure.
        QCOMPARE(get(QStringLiteral("/api/v1/tenants/") + slug).status, 404);
        const auto events = auditOfRequest(rid);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events.front().action, QStringLiteral("tenant.create"));
        QCOMPARE(events.front().outcome, QStringLiteral("failure"));
        QCOMPARE(events.front().actor, QStringLiteral("token:") + m_adminId);
        QCOMPARE(events.front().details.value(QStringLiteral("status")).toInt(), status);
    }

    void slugTakenIs409()
    {
        const QByteArray rid = requestId("taken");
        const HttpReply reply = post(QStringLiteral("/api/v1/tenants"),
                                     newTenant(QStringLiteral("per-rls"), "schema"), rid);
        QCOMPARE(reply.status, 409);
        QCOMPARE(text(reply.json(), "type"),
                 QStringLiteral("https://upcoach.dev/problems/tenant-exists"));
        QVERIFY(text(reply.json(), "detail").startsWith(QStringLiteral("slug:")));
        const auto events = auditOfRequest(rid);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events.front().outcome, QStringLiteral("failure"));
        QCOMPARE(events.front().tenant, QStringLiteral("per-rls"));
    }

    void viewersCannotChangeTenants()
    {
        const QByteArray rid = requestId("viewer");
        HttpReply reply = post(QStringLiteral("/api/v1/tenants"),
                               newTenant(QStringLiteral("by-viewer"), "rls"), rid, m_viewer);
        QCOMPARE(reply.status, 403);
        QCOMPARE(text(reply.json(), "type"),
                 QStringLiteral("https://upcoach.dev/problems/forbidden"));
        const auto events = auditOfRequest(rid);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events.front().outcome, QStringLiteral("denied"));
        QCOMPARE(events.front().actor, QStringLiteral("token:") + m_viewerId);

        QCOMPARE(action(QStringLiteral("per-rls"), "suspend", {}, m_viewer).status, 403);
        QCOMPARE(send("PATCH", QStringLiteral("/api/v1/tenants/per-rls"), m_viewer,
                      R"({"name":"Hijacked"})", {{"Content-Type", kJson}})
                     .status,
                 403);
        QCOMPARE(send("GET", QStringLiteral("/api/v1/tenants/by-viewer"), m_admin).status, 404);
        QCOMPARE(text(get(QStringLiteral("/api/v1/tenants/per-rls")).json(), "state"),
                 QStringLiteral("trial"));
        QCOMPARE(send("GET", QStringLiteral("/api/v1/tenants"), {}).status, 401);
    }

    void listFiltersSortAndPages()
    {
        struct Seed
        {
            const char *slug;
            const char *name;
            const char *plan;
            int region;
        };
        const Seed seeds[] = {{"lst-alpha", "Zulu Corp", "starter", 0},
                              {"lst-bravo", "Yankee Corp", "growth", 1},
                              {"lst-charlie", "X-ray Corp", "growth", 0},
                              {"lst-delta", "Whiskey Corp", "enterprise", 1},
                              {"lst-echo", "Victor Corp", "starter", 0}};
        for (const Seed &seed : seeds) {
            const QByteArray body = newTenant(QLatin1String(seed.slug), "rls", seed.region,
                                              {{QStringLiteral("name"), QLatin1String(seed.name)},
                                               {QStringLiteral("plan"), QLatin1String(seed.plan)}});
            const HttpReply created = post(QStringLiteral("/api/v1/tenants"), body);
            QVERIFY2(created.status == 201, created.body.constData());
        }
        QCOMPARE(action(QStringLiteral("lst-bravo"), "suspend").status, 200);
        const HttpReply team =
            post(QStringLiteral("/api/v1/tenants"),
                 newTenant(QStringLiteral("lst-foxtrot"), "rls", 0,
                           {{QStringLiteral("kind"), QStringLiteral("sub-organization")},
                            {QStringLiteral("parent"), QStringLiteral("lst-alpha")}}));
        QVERIFY2(team.status == 201, team.body.constData());
        QCOMPARE(text(team.json(), "parent"), QStringLiteral("lst-alpha"));

        auto list = [&](const QString &query) {
            const HttpReply reply = get(QStringLiteral("/api/v1/tenants?q=lst-&") + query);
            if (reply.status != 200)
                qWarning() << query << reply.status << reply.body;
            return reply.json();
        };
        QJsonObject page = list(QStringLiteral("limit=2"));
        QCOMPARE(page.value(QStringLiteral("total")).toInteger(), 6);
        QCOMPARE(page.value(QStringLiteral("limit")).toInt(), 2);
        QCOMPARE(page.value(QStringLiteral("offset")).toInt(), 0);
        QCOMPARE(slugsOf(page), names({"lst-alpha", "lst-bravo"}));
        page = list(QStringLiteral("limit=2&offset=4"));
        QCOMPARE(slugsOf(page), names({"lst-echo", "lst-foxtrot"}));
        QCOMPARE(page.value(QStringLiteral("total")).toInteger(), 6);
        QCOMPARE(slugsOf(list(QStringLiteral("offset=6"))), QStringList());
        QCOMPARE(slugsOf(list(QStringLiteral("sort=name&order=asc&limit=3"))),
                 names({"lst-foxtrot", "lst-echo", "lst-delta"}));
        QCOMPARE(slugsOf(list(QStringLiteral("order=desc&limit=1"))), names({"lst-foxtrot"}));
        QCOMPARE(slugsOf(list(QStringLiteral("plan=growth"))), names({"lst-bravo", "lst-charlie"}));
        QCOMPARE(slugsOf(list(QStringLiteral("state=suspended"))), names({"lst-bravo"}));
        QCOMPARE(slugsOf(list(QStringLiteral("region=") + m_t->region(1))),
                 names({"lst-bravo", "lst-delta"}));
        QCOMPARE(slugsOf(list(QStringLiteral("isolation=schema"))), QStringList());
        page = list(QStringLiteral("parent=lst-alpha"));
        QCOMPARE(slugsOf(page), names({"lst-foxtrot"}));
        QCOMPARE(text(page.value(QStringLiteral("tenants")).toArray().first().toObject(), "parent"),
                 QStringLiteral("lst-alpha"));

        // Refusals name the parameter(s).
        const std::pair<QString, QStringList> refusals[] = {
            {QStringLiteral("bogus=1"), {QStringLiteral("bogus")}},
            {QStringLiteral("limit=1&limit=2"), {QStringLiteral("limit")}},
            {QStringLiteral("limit=1001"), {QStringLiteral("limit")}},
            {QStringLiteral("sort=owner"), {QStringLiteral("sort")}},
            {QStringLiteral("state=frozen"), {QStringLiteral("state")}},
            {QStringLiteral("offset=-3"), {QStringLiteral("offset")}},
        };
        for (const auto &[query, names] : refusals) {
            const HttpReply reply = get(QStringLiteral("/api/v1/tenants?") + query);
            QCOMPARE(reply.status, 400);
            QStringList parameters;
            for (const QJsonValue &name :
                 reply.json().value(QStringLiteral("parameters")).toArray())
                parameters << name.toString();
            QCOMPARE(parameters, names);
            QVERIFY(text(reply.json(), "detail").contains(names.first()));
        }
    }

    void patchWithIfMatchAndMergePatches()
    {
        const QString slug = QStringLiteral("patched");
        QCOMPARE(post(QStringLiteral("/api/v1/tenants"), newTenant(slug, "rls")).status, 201);
        const HttpReply read = get(QStringLiteral("/api/v1/tenants/") + slug);
        const QByteArray etag = read.header("etag");
        QVERIFY(!etag.isEmpty());

        HttpReply reply = patch(slug, R"({"name":"Patched Inc","plan":"growth"})", kJson, etag);
        QVERIFY2(reply.status == 200, reply.body.constData());
        QCOMPARE(text(reply.json(), "name"), QStringLiteral("Patched Inc"));
        QCOMPARE(text(reply.json(), "plan"), QStringLiteral("growth"));
        QVERIFY(reply.header("etag") != etag);

        // The old version again: 412, nothing changed, the attempt recorded once.
        const QByteArray rid = requestId("stale");
        reply = patch(slug, R"({"name":"Lost Update"})", kJson, etag, rid);
        QCOMPARE(reply.status, 412);
        QCOMPARE(text(reply.json(), "type"),
                 QStringLiteral("https://upcoach.dev/problems/precondition-failed"));
        QCOMPARE(text(get(QStringLiteral("/api/v1/tenants/") + slug).json(), "name"),
                 QStringLiteral("Patched Inc"));
        auto events = auditOfRequest(rid);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events.front().action, QStringLiteral("tenant.update"));
        QCOMPARE(events.front().outcome, QStringLiteral("failure"));
        QCOMPARE(events.front().details.value(QStringLiteral("status")).toInt(), 412);
        QCOMPARE(patch(slug, R"({"name":"X"})", kJson, "not-a-tag").status, 400);
        QCOMPARE(patch(slug, R"({"ownerName":"Any"})", kJson, "*").status, 200);

        // Merge patches merge into config; application/json replaces it.
        const QByteArray merge = "application/merge-patch+json";
        QCOMPARE(patch(slug, R"({"config":{"timezone":"Europe/Berlin"}})", merge).status, 200);
        reply = patch(slug, R"({"config":{"locale":"de-DE"}})", merge);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(QStringLiteral("config")).toObject(),
                 (QJsonObject{{QStringLiteral("timezone"), QStringLiteral("Europe/Berlin")},
                              {QStringLiteral("locale"), QStringLiteral("de-DE")}}));
        reply = patch(slug, R"({"config":{"locale":null}})", merge);
        QCOMPARE(reply.json().value(QStringLiteral("config")).toObject(),
                 (QJsonObject{{QStringLiteral("timezone"), QStringLiteral("Europe/Berlin")}}));
        reply = patch(slug, R"({"config":{"weekStartsOn":"sunday"}})");
        QCOMPARE(reply.json().value(QStringLiteral("config")).toObject(),
                 (QJsonObject{{QStringLiteral("weekStartsOn"), QStringLiteral("sunday")}}));
        const QJsonObject effective = get(QStringLiteral("/api/v1/tenants/") + slug)
                                          .json()
                                          .value(QStringLiteral("effectiveSettings"))
                                          .toObject()
                                          .value(QStringLiteral("config"))
                                          .toObject();
        QCOMPARE(effective.value(QStringLiteral("timezone")).toString(), QStringLiteral("UTC"));
        QCOMPARE(effective.value(QStringLiteral("weekStartsOn")).toString(),
                 QStringLiteral("sunday"));

        // Field errors.
        const std::pair<QByteArray, QString> refusals[] = {
            {R"({"slug":"renamed"})", QStringLiteral("slug")},
            {R"({"plan":"platinum"})", QStringLiteral("plan")},
            {R"({"config":{"colour":"red"}})", QStringLiteral("config.colour")},
            {R"({"ownerEmail":"nobody"})", QStringLiteral("ownerEmail")},
            {R"({"allowedRegions":["af-south-1"]})", QStringLiteral("allowedRegions")},
            {R"({"name":null})", QStringLiteral("name")},
            {"{}", QString()},
        };
        for (const auto &[body, field] : refusals) {
            reply = patch(slug, body);
            QVERIFY2(reply.status == 400, body.constData());
            QVERIFY2(text(reply.json(), "detail").contains(field), reply.body.constData());
        }
        QCOMPARE(patch(slug, R"({"name":"X"})", "text/plain").status, 415);
    }

    void auditHasOneEventPerChange()
    {
        const QString slug = QStringLiteral("audited");
        const QByteArray create = requestId("create");
        const QByteArray suspend = requestId("suspend");
        QCOMPARE(post(QStringLiteral("/api/v1/tenants"), newTenant(slug, "schema"), create).status,
                 201);
        QCOMPARE(action(slug, "suspend", suspend).status, 200);

        auto events = auditOfTenant(slug);
        QStringList actions;
        for (const compliance::AuditEvent &event : events)
            actions << event.action;
        QCOMPARE(actions, names({"tenant.create", "tenant.provision", "tenant.suspend"}));
        const QString actor = QStringLiteral("token:") + m_adminId;
        for (const compliance::AuditEvent &event : events) {
            QCOMPARE(event.actor, actor);
            QCOMPARE(event.outcome, QStringLiteral("success"));
            QCOMPARE(event.sourceIp, QStringLiteral("127.0.0.1"));
            QCOMPARE(event.target, QStringLiteral("tenant:") + slug);
        }
        QCOMPARE(events[0].requestId, QString::fromLatin1(create));
        QCOMPARE(events[1].requestId, QString::fromLatin1(create));
        QCOMPARE(events[2].requestId, QString::fromLatin1(suspend));
        QCOMPARE(auditOfRequest(create).size(), size_t(2));
        QCOMPARE(auditOfRequest(suspend).size(), size_t(1));

        // A refused transition: recorded once (by the registry), not again by the API.
        const QByteArray again = requestId("suspend-again");
        QCOMPARE(action(slug, "suspend", again).status, 409);
        events = auditOfRequest(again);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events.front().action, QStringLiteral("tenant.suspend"));
        QCOMPARE(events.front().outcome, QStringLiteral("failure"));
        QCOMPARE(events.front().tenant, slug);
        QCOMPARE(events.front().actor, actor);

        // An update: one tenant.update.
        const QByteArray update = requestId("update");
        QCOMPARE(patch(slug, R"({"limits":{"seats":12}})", kJson, {}, update).status, 200);
        events = auditOfRequest(update);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events.front().action, QStringLiteral("tenant.update"));
        QCOMPARE(events.front().outcome, QStringLiteral("success"));
        QCOMPARE(auditOfTenant(slug).size(), size_t(5));
    }

    void moveToAnotherStrategyAndRegion()
    {
        const QString slug = QStringLiteral("mover");
        QCOMPARE(post(QStringLiteral("/api/v1/tenants"), newTenant(slug, "rls", 0)).status, 201);
        const QByteArray rid = requestId("move");
        const QByteArray body =
            QJsonDocument(QJsonObject{{QStringLiteral("isolation"), QStringLiteral("schema")},
                                      {QStringLiteral("homeRegion"), m_t->region(1)}})
                .toJson(QJsonDocument::Compact);
        HttpReply reply = post(QStringLiteral("/api/v1/tenants/%1/move").arg(slug), body, rid);
        QVERIFY2(reply.status == 200, reply.body.constData());
        QCOMPARE(text(reply.json(), "isolation"), QStringLiteral("schema"));
        QCOMPARE(text(reply.json(), "homeRegion"), m_t->region(1));
        QCOMPARE(text(reply.json(), "provisioning"), QStringLiteral("ready"));
        QStringList actions;
        for (const compliance::AuditEvent &event : auditOfRequest(rid))
            actions << event.action;
        QCOMPARE(actions, names({"tenant.move", "tenant.move-completed"}));

        // The same placement again is refused, naming nothing moved.
        reply = post(QStringLiteral("/api/v1/tenants/%1/move").arg(slug), body);
        QCOMPARE(reply.status, 400);
        reply =
            post(QStringLiteral("/api/v1/tenants/%1/move").arg(slug), R"({"isolation":"shards"})");
        QCOMPARE(reply.status, 400);
        QVERIFY(text(reply.json(), "detail").startsWith(QStringLiteral("isolation")));
    }

    void deleteSchedulesAndRestoreCancels()
    {
        const QString slug = QStringLiteral("doomed");
        QCOMPARE(post(QStringLiteral("/api/v1/tenants"), newTenant(slug, "rls")).status, 201);
        const QString actor = QStringLiteral("token:") + m_adminId;

        // Scheduled: 202 with the tenant, canceled, purge after the retention.
        QByteArray rid = requestId("delete");
        const QDateTime before = QDateTime::currentDateTimeUtc();
        HttpReply reply = remove(slug, QStringLiteral("retentionDays=7"), rid);
        QVERIFY2(reply.status == 202, reply.body.constData());
        QVERIFY(reply.header("location").isEmpty());
        QVERIFY(!reply.header("etag").isEmpty());
        QJsonObject tenant = reply.json();
        QCOMPARE(text(tenant, "slug"), slug);
        QCOMPARE(text(tenant, "state"), QStringLiteral("canceled"));
        QVERIFY(!text(tenant, "canceledAt").isEmpty());
        QVERIFY(tenant.value(QStringLiteral("deletedAt")).isNull());
        const QDateTime requested =
            QDateTime::fromString(text(tenant, "deletionRequestedAt"), Qt::ISODateWithMs);
        const QDateTime purgeAfter =
            QDateTime::fromString(text(tenant, "purgeAfter"), Qt::ISODateWithMs);
        QVERIFY2(requested.isValid() && purgeAfter.isValid(), reply.body.constData());
        QVERIFY(text(tenant, "purgeAfter").endsWith(QLatin1Char('Z')));
        QVERIFY2(qAbs(purgeAfter.secsTo(before.addDays(7))) < 120,
                 qPrintable(text(tenant, "purgeAfter")));
        auto events = auditOfRequest(rid);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events.front().action, QStringLiteral("tenant.delete"));
        QCOMPARE(events.front().outcome, QStringLiteral("success"));
        QCOMPARE(events.front().actor, actor);
        QCOMPARE(events.front().tenant, slug);
        QCOMPARE(text(get(QStringLiteral("/api/v1/tenants/") + slug).json(), "purgeAfter"),
                 text(tenant, "purgeAfter"));

        // Again: 409, nothing changed, recorded once (by the API; the registry refused first).
        rid = requestId("delete-again");
        reply = remove(slug, {}, rid);
        QCOMPARE(reply.status, 409);
        QCOMPARE(text(reply.json(), "type"),
                 QStringLiteral("https://upcoach.dev/problems/tenant-state-conflict"));
        QCOMPARE(text(get(QStringLiteral("/api/v1/tenants/") + slug).json(), "purgeAfter"),
                 text(tenant, "purgeAfter"));
        events = auditOfRequest(rid);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events.front().action, QStringLiteral("tenant.delete"));
        QCOMPARE(events.front().outcome, QStringLiteral("failure"));
        QCOMPARE(events.front().details.value(QStringLiteral("status")).toInt(), 409);
        QCOMPARE(events.front().tenant, slug);

        // Restored: 200, no schedule any more, still canceled (reactivation is its own step).
        rid = requestId("restore");
        reply = action(slug, "restore", rid);
        QVERIFY2(reply.status == 200, reply.body.constData());
        tenant = reply.json();
        QVERIFY(tenant.value(QStringLiteral("purgeAfter")).isNull());
        QVERIFY(tenant.value(QStringLiteral("deletionRequestedAt")).isNull());
        QCOMPARE(text(tenant, "state"), QStringLiteral("canceled"));
        events = auditOfRequest(rid);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events.front().action, QStringLiteral("tenant.delete-canceled"));
        QCOMPARE(events.front().outcome, QStringLiteral("success"));
        QCOMPARE(events.front().actor, actor);

        // Restore again: 409, recorded once by the API.
        rid = requestId("restore-again");
        reply = action(slug, "restore", rid);
        QCOMPARE(reply.status, 409);
        QCOMPARE(text(reply.json(), "type"),
                 QStringLiteral("https://upcoach.dev/problems/tenant-state-conflict"));
        events = auditOfRequest(rid);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events.front().action, QStringLiteral("tenant.delete-canceled"));
        QCOMPARE(events.front().outcome, QStringLiteral("failure"));

        // The default retention is 30 days.
        const QDateTime again = QDateTime::currentDateTimeUtc();
        reply = remove(slug);
        QCOMPARE(reply.status, 202);
        QVERIFY(qAbs(QDateTime::fromString(text(reply.json(), "purgeAfter"), Qt::ISODateWithMs)
                         .secsTo(again.addDays(30))) < 120);
        QCOMPARE(action(slug, "restore").status, 200);

        // Unknown tenants: 404, recorded once.
        rid = requestId("delete-unknown");
        QCOMPARE(remove(QStringLiteral("no-such-tenant"), {}, rid).status, 404);
        QCOMPARE(auditOfRequest(rid).size(), size_t(1));
        QCOMPARE(action(QStringLiteral("no-such-tenant"), "restore").status, 404);
    }

    void deleteRefusesBadParametersAndViewers()
    {
        const QString slug = QStringLiteral("kept");
        QCOMPARE(post(QStringLiteral("/api/v1/tenants"), newTenant(slug, "rls")).status, 201);
        const std::pair<QString, QStringList> refusals[] = {
            {QStringLiteral("retentionDays=0"), {QStringLiteral("retentionDays")}},
            {QStringLiteral("retentionDays=366"), {QStringLiteral("retentionDays")}},
            {QStringLiteral("retentionDays=x"), {QStringLiteral("retentionDays")}},
            {QStringLiteral("retentionDays=7&retentionDays=8"), {QStringLiteral("retentionDays")}},
            {QStringLiteral("purge=now"), {QStringLiteral("purge")}},
        };
        for (const auto &[query, names] : refusals) {
            const QByteArray rid = requestId("delete-bad");
            const HttpReply reply = remove(slug, query, rid);
            QVERIFY2(reply.status == 400, qPrintable(query));
            QCOMPARE(parametersOf(reply.json()), names);
            QVERIFY(text(reply.json(), "detail").contains(names.first()));
            const auto events = auditOfRequest(rid);
            QCOMPARE(events.size(), size_t(1));
            QCOMPARE(events.front().action, QStringLiteral("tenant.delete"));
            QCOMPARE(events.front().outcome, QStringLiteral("failure"));
            QCOMPARE(events.front().details.value(QStringLiteral("status")).toInt(), 400);
        }
        QCOMPARE(send("DELETE", QStringLiteral("/api/v1/tenants/") + slug, m_admin, "now",
                      {{"Content-Type", "text/plain"}})
                     .status,
                 415);

        // Viewers may not delete, restore or export.
        const QByteArray rid = requestId("delete-viewer");
        HttpReply reply = remove(slug, {}, rid, m_viewer);
        QCOMPARE(reply.status, 403);
        const auto events = auditOfRequest(rid);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events.front().outcome, QStringLiteral("denied"));
        QCOMPARE(events.front().action, QStringLiteral("tenant.delete"));
        QCOMPARE(action(slug, "restore", {}, m_viewer).status, 403);
        QCOMPARE(exportOf(slug, {}, {}, m_viewer).status, 403);
        QVERIFY(exportsNamed(slug).isEmpty());

        const QJsonObject tenant = get(QStringLiteral("/api/v1/tenants/") + slug).json();
        QCOMPARE(text(tenant, "state"), QStringLiteral("trial"));
        QVERIFY(tenant.value(QStringLiteral("deletionRequestedAt")).isNull());
        QVERIFY(tenant.value(QStringLiteral("purgeAfter")).isNull());
    }

    void exportWritesEveryRowOnce()
    {
        const QString slug = QStringLiteral("exported");
        QCOMPARE(post(QStringLiteral("/api/v1/tenants"), newTenant(slug, "schema")).status, 201);
        tenancy::TenantSessions *sessions = &m_t->sessions();
        const auto seeded = offThread(
            [sessions, slug] { return tenancy::writeSampleCoachingData(*sessions, slug, 3); });
        QVERIFY2(seeded, why(seeded).constData());
        const int users = seeded->users;
        QVERIFY(users >= 3);

        const QByteArray rid = requestId("export");
        HttpReply reply = exportOf(slug, {}, rid);
        QVERIFY2(reply.status == 201, reply.body.constData());
        QVERIFY(reply.header("location").isEmpty());
        QJsonObject body = reply.json();
        QCOMPARE(body.keys(), (QStringList{QStringLiteral("directory"), QStringLiteral("manifest"),
                                           QStringLiteral("rows")}));
        const QString directory = text(body, "directory");
        const QFileInfo info(directory);
        QVERIFY2(info.isDir(), qPrintable(directory));
        QCOMPARE(QDir(info.absolutePath()).canonicalPath(),
                 QDir(m_exports.path() + QStringLiteral("/tenant-exports")).canonicalPath());
        static const QRegularExpression name(
            QStringLiteral("^exported-\\d{8}T\\d{6}Z-[0-9a-f]{8}$"));
        QVERIFY2(name.match(info.fileName()).hasMatch(), qPrintable(info.fileName()));
        // Owner-only: the export holds personal data.
        QCOMPARE(info.permissions() & (QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup |
                                       QFile::ReadOther | QFile::WriteOther | QFile::ExeOther),
                 QFile::Permissions());

        const QJsonObject manifest = body.value(QStringLiteral("manifest")).toObject();
        QCOMPARE(
            QJsonDocument::fromJson(readAll(directory + QStringLiteral("/manifest.json"))).object(),
            manifest);
        QCOMPARE(manifest.value(QStringLiteral("tenant")).toObject().value(QStringLiteral("slug")),
                 QJsonValue(slug));
        QCOMPARE(manifest.value(QStringLiteral("masked")), QJsonValue(false));
        const QJsonObject rows = body.value(QStringLiteral("rows")).toObject();
        QCOMPARE(rows.value(QStringLiteral("users")).toInt(), users);
        QCOMPARE(manifest.value(QStringLiteral("tables"))
                     .toObject()
                     .value(QStringLiteral("users"))
                     .toObject()
                     .value(QStringLiteral("rows"))
                     .toInt(),
                 users);
        const QList<QJsonObject> plain = jsonLines(directory + QStringLiteral("/users.jsonl"));
        QCOMPARE(plain.size(), users);
        QStringList emails;
        for (const QJsonObject &row : plain)
            emails << row.value(QStringLiteral("email")).toString();
        for (const QString &email : emails)
            QVERIFY2(email.contains(QLatin1Char('@')), qPrintable(email));
        const QByteArray csv = readAll(directory + QStringLiteral("/users.csv"));
        QCOMPARE(csv.count("\r\n"), users + 1); // the header, then one line per row
        for (const QString &email : emails)
            QVERIFY(csv.contains(email.toUtf8()));

        auto events = auditOfRequest(rid);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events.front().action, QStringLiteral("tenant.export"));
        QCOMPARE(events.front().outcome, QStringLiteral("success"));
        QCOMPARE(events.front().tenant, slug);
        QCOMPARE(events.front().actor, QStringLiteral("token:") + m_adminId);
        QCOMPARE(events.front().details.value(QStringLiteral("masked")), QJsonValue(false));

        // Masked: the same rows, no original email left, the key nowhere in the answer.
        const QByteArray maskedRid = requestId("export-masked");
        reply = exportOf(slug, R"({"mask":true})", maskedRid);
        QVERIFY2(reply.status == 201, reply.body.constData());
        body = reply.json();
        const QString maskedDirectory = text(body, "directory");
        QVERIFY(maskedDirectory != directory);
        QCOMPARE(body.value(QStringLiteral("manifest")).toObject().value(QStringLiteral("masked")),
                 QJsonValue(true));
        QCOMPARE(body.keys(), (QStringList{QStringLiteral("directory"), QStringLiteral("manifest"),
                                           QStringLiteral("rows")}));
        const QByteArray maskedUsers = readAll(maskedDirectory + QStringLiteral("/users.jsonl"));
        QCOMPARE(jsonLines(maskedDirectory + QStringLiteral("/users.jsonl")).size(), users);
        const QByteArray maskedCsv = readAll(maskedDirectory + QStringLiteral("/users.csv"));
        for (const QString &email : emails) {
            QVERIFY2(!maskedUsers.contains(email.toUtf8()), qPrintable(email));
            QVERIFY2(!maskedCsv.contains(email.toUtf8()), qPrintable(email));
        }
        events = auditOfRequest(maskedRid);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events.front().action, QStringLiteral("tenant.export"));
        QCOMPARE(events.front().details.value(QStringLiteral("masked")), QJsonValue(true));
        QCOMPARE(exportsNamed(slug + QLatin1Char('-')).size(), 2);
    }

    void exportRefusals()
    {
        // Unknown tenant: 404, recorded once (by the API), no directory left behind.
        QByteArray rid = requestId("export-unknown");
        HttpReply reply = exportOf(QStringLiteral("no-such-tenant"), {}, rid);
        QCOMPARE(reply.status, 404);
        auto events = auditOfRequest(rid);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events.front().action, QStringLiteral("tenant.export"));
        QCOMPARE(events.front().outcome, QStringLiteral("failure"));
        QVERIFY(exportsNamed(QStringLiteral("no-such-tenant")).isEmpty());

        // Bodies: each refusal names the field, recorded once.
        const QString slug = QStringLiteral("per-rls");
        rid = requestId("export-bad");
        reply = exportOf(slug, R"({"mask":"yes"})", rid);
        QCOMPARE(reply.status, 400);
        QVERIFY(text(reply.json(), "detail").startsWith(QStringLiteral("mask:")));
        QCOMPARE(auditOfRequest(rid).size(), size_t(1));
        reply = exportOf(slug, R"({"masked":true})");
        QCOMPARE(reply.status, 400);
        QVERIFY(text(reply.json(), "detail").contains(QStringLiteral("masked")));
        QCOMPARE(send("POST", QStringLiteral("/api/v1/tenants/per-rls/export"), m_admin,
                      "mask=true", {{"Content-Type", "application/x-www-form-urlencoded"}})
                     .status,
                 415);
        const QByteArray large = "{\"mask\":true,\"pad\":\"" + QByteArray(5000, 'x') + "\"}";
        QCOMPARE(exportOf(slug, large).status, 413);
        QVERIFY(exportsNamed(slug).isEmpty());
    }

    void exportWithoutSessionsOrDirectoryIs503()
    {
        for (const bool withSessions : {false, true}) {
            api::ServerDeps deps;
            deps.catalog = &RegionCatalog::builtin();
            deps.monitor = m_f.monitor.get();
            deps.tokens = m_f.tokens.get();
            deps.audit = &m_t->auditLog();
            deps.tenants = &m_t->registry();
            if (withSessions)
                deps.tenantSessions = &m_t->sessions(); // but no directory
            else
                deps.tenantExportDir = m_exports.path();
            api::ApiServer server(deps);
            auto listening = server.listen(ListenAddress{QHostAddress(QHostAddress::LocalHost), 0});
            QVERIFY(listening);
            const QByteArray rid = requestId("export-unconfigured");
            const HttpReply reply = send("POST", QStringLiteral("/api/v1/tenants/per-rls/export"),
                                         m_admin, {}, {{"X-Request-Id", rid}}, listening.value());
            QCOMPARE(reply.status, 503);
            QCOMPARE(text(reply.json(), "type"),
                     QStringLiteral("https://upcoach.dev/problems/tenant-export-unavailable"));
            QVERIFY(auditOfRequest(rid).empty());
            // The other tenant routes still work.
            QCOMPARE(send("GET", QStringLiteral("/api/v1/tenants/per-rls"), m_viewer, {}, {},
                          listening.value())
                         .status,
                     200);
        }
    }

    void metricsLabelRoutePatterns()
    {
        const HttpReply metrics = send("GET", QStringLiteral("/metrics"), {});
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.body.contains(R"(route="/api/v1/tenants/{slug}")"));
        QVERIFY(metrics.body.contains(R"(route="/api/v1/tenants/{slug}/suspend")"));
        QVERIFY(metrics.body.contains(R"(route="/api/v1/tenants")"));
        QVERIFY(!metrics.body.contains("per-rls"));
        QVERIFY(!metrics.body.contains("life-cycle"));
    }

    void withoutRegistryTenantRoutesAnswer503()
    {
        api::ServerDeps deps;
        deps.catalog = &RegionCatalog::builtin();
        deps.monitor = m_f.monitor.get();
        deps.tokens = m_f.tokens.get();
        deps.audit = &m_t->auditLog();
        api::ApiServer bare(deps);
        auto listening = bare.listen(ListenAddress{QHostAddress(QHostAddress::LocalHost), 0});
        QVERIFY(listening);
        const HttpReply list =
            send("GET", QStringLiteral("/api/v1/tenants"), m_viewer, {}, {}, listening.value());
        QCOMPARE(list.status, 503);
        QCOMPARE(text(list.json(), "type"),
                 QStringLiteral("https://upcoach.dev/problems/tenancy-unavailable"));
        const HttpReply create = send("POST", QStringLiteral("/api/v1/tenants"), m_admin,
                                      newTenant(QStringLiteral("nowhere"), "rls"),
                                      {{"Content-Type", kJson}}, listening.value());
        QCOMPARE(create.status, 503);
    }
};

QTEST_GUILESS_MAIN(TestApiTenants)
#include "test_api_tenants.moc"
