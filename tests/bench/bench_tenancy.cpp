// Tenancy benchmarks on a real PostgreSQL cluster, printed as one JSON object:
//  * provisioning time per isolation strategy (registry.create: validation, audit event,
//    registry row, placement), with a same-run reference for the placement's core statement
//    (an INSERT, the tenant migrations applied to a fresh schema, CREATE DATABASE from the
//    template);
//  * an indexed tenant query under row-level security against the same query on an identical
//    table without RLS (explicit tenant_id predicate), with --tenants tenants provisioned
//    (default 1,000): per query inside one transaction, and per whole TenantSession.
// Usage: bench_tenancy [--tenants N] [--queries N]
#include "tenancyfixture.h"
#include "upcoach/storage/migrations.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <algorithm>
#include <cstdio>

using namespace upcoach;
using namespace upcoach::tenancy;

namespace {

QJsonObject stats(std::vector<double> ms)
{
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) { return ms.empty() ? 0.0 : ms[size_t(q * double(ms.size() - 1))]; };
    double sum = 0;
    for (double v : ms)
        sum += v;
    return {{QStringLiteral("n"), int(ms.size())},
            {QStringLiteral("medianMs"), at(0.5)},
            {QStringLiteral("p95Ms"), at(0.95)},
            {QStringLiteral("maxMs"), ms.empty() ? 0.0 : ms.back()},
            {QStringLiteral("meanMs"), ms.empty() ? 0.0 : sum / double(ms.size())}};
}

double ms(qint64 ns)
{
    return double(ns) / 1e6;
}

int failWith(const QString &what)
{
    std::fprintf(stderr, "%s\n", qPrintable(what));
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int tenantCount = 1000;
    int queries = 20000;
    const QStringList args = app.arguments();
    if (const qsizetype at = args.indexOf(QStringLiteral("--tenants")); at >= 0)
        tenantCount = std::max(10, args.value(at + 1).toInt());
    if (const qsizetype at = args.indexOf(QStringLiteral("--queries")); at >= 0)
        queries = std::max(100, args.value(at + 1).toInt());

    testing::TenancyFixture f(1);
    if (!f.ok())
        return failWith(f.error());
    auto owner = f.pools().owner(f.region(0));
    QJsonObject out;

    // --- provisioning per strategy -------------------------------------------------------
    struct Plan
    {
        IsolationStrategy strategy;
        int count;
    };
    const Plan plans[] = {{IsolationStrategy::RowLevelSecurity, 40},
                          {IsolationStrategy::Schema, 15},
                          {IsolationStrategy::Database, 8}};
    QJsonObject provisioning;
    for (const Plan &plan : plans) {
        std::vector<double> times;
        for (int i = 0; i < plan.count; ++i) {
            QElapsedTimer timer;
            timer.start();
            auto t = f.createTenant(QStringLiteral("prov-") + isolationName(plan.strategy),
                                    plan.strategy);
            const qint64 ns = timer.nsecsElapsed();
            if (!t)
                return failWith(t.error().message);
            if (i > 0) // the first one warms up (and, for databases, builds the template)
                times.push_back(ms(ns));
        }
        provisioning.insert(isolationName(plan.strategy), stats(times));
    }
    // References: the core statement of each placement, alone, on the owner's connection.
    QJsonObject reference;
    {
        std::vector<double> insert, schema, database;
        auto done = (*owner)->withConnection([&](pqxx::connection &c) {
            for (int i = 0; i < 20; ++i) {
                QElapsedTimer timer;
                timer.start();
                pqxx::work w(c);
                w.exec_params("INSERT INTO tenant_placements (tenant_id, isolation, slug,"
                              " schema_name, database_name) VALUES (gen_random_uuid(), 'rls', $1,"
                              " 'tenant_shared', '')",
                              "ref-" + std::to_string(i));
                w.commit();
                insert.push_back(ms(timer.nsecsElapsed()));
            }
            for (int i = 0; i < 8; ++i) {
                QElapsedTimer timer;
                timer.start();
                auto applied = storage::MigrationSet::tenant().applyInSchema(
                    c, QStringLiteral("ref_schema_%1").arg(i), QStringLiteral("upcoach_app"));
                if (!applied)
                    throw std::runtime_error(applied.error().message.toStdString());
                schema.push_back(ms(timer.nsecsElapsed()));
            }
            for (int i = 0; i < 5; ++i) {
                QElapsedTimer timer;
                timer.start();
                pqxx::nontransaction w(c);
                w.exec("CREATE DATABASE ref_db_" + std::to_string(i) +
                       " TEMPLATE upcoach_tenant_template");
                database.push_back(ms(timer.nsecsElapsed()));
            }
        });
        if (!done)
            return failWith(done.error().message);
        reference.insert(QStringLiteral("placementInsert"), stats(insert));
        reference.insert(QStringLiteral("tenantMigrationsInFreshSchema"), stats(schema));
        reference.insert(QStringLiteral("createDatabaseFromTemplate"), stats(database));
    }
    out.insert(QStringLiteral("provisioning"), provisioning);
    out.insert(QStringLiteral("provisioningReference"), reference);
    out.insert(QStringLiteral("provisioningGoalsMs"),
               QJsonObject{{QStringLiteral("rls"), 50},
                           {QStringLiteral("schema"), 500},
                           {QStringLiteral("database"), 3000}});

    // --- RLS overhead with many tenants ----------------------------------------------------
    QElapsedTimer setup;
    setup.start();
    std::vector<Tenant> tenants;
    for (int i = 0; i < tenantCount; ++i) {
        auto t = f.createTenant(QStringLiteral("rls"), IsolationStrategy::RowLevelSecurity);
        if (!t)
            return failWith(t.error().message);
        tenants.push_back(t.value());
    }
    const double createSeconds = double(setup.elapsed()) / 1000.0;
    // Rows go in as the owner (a superuser in the embedded cluster, so no policy applies),
    // 20 users with 10 goals each per tenant; then an identical table without RLS.
    auto loaded = (*owner)->withConnection([&](pqxx::connection &c) {
        pqxx::work w(c);
        w.exec("INSERT INTO tenant_shared.users (tenant_id, id, email, display_name, role)"
               " SELECT p.tenant_id, gen_random_uuid(), 'u' || g || '@' || p.slug || '.example',"
               " 'User ' || g, 'coachee' FROM tenant_placements p, generate_series(1, 20) g"
               " WHERE p.isolation = 'rls' AND p.slug LIKE 'rls-%'");
        w.exec("INSERT INTO tenant_shared.goals (tenant_id, id, user_id, title, progress)"
               " SELECT u.tenant_id, gen_random_uuid(), u.id, 'Goal ' || g, g * 9"
               " FROM tenant_shared.users u, generate_series(1, 10) g");
        w.exec("CREATE SCHEMA bench_plain");
        w.exec("CREATE TABLE bench_plain.goals (LIKE tenant_shared.goals INCLUDING ALL)");
        w.exec("INSERT INTO bench_plain.goals SELECT * FROM tenant_shared.goals");
        w.exec("GRANT USAGE ON SCHEMA bench_plain TO upcoach_app");
        w.exec("GRANT SELECT ON bench_plain.goals TO upcoach_app");
        w.exec("ANALYZE tenant_shared.goals");
        w.exec("ANALYZE bench_plain.goals");
        w.commit();
        pqxx::work r(c);
        return r.exec("SELECT count(*) FROM tenant_shared.goals")[0][0].as<qint64>();
    });
    if (!loaded)
        return failWith(loaded.error().message);
    // One user per tenant to query.
    std::vector<std::pair<std::string, std::string>> targets; // tenant id, user id
    auto picked = (*owner)->withConnection([&](pqxx::connection &c) {
        pqxx::work w(c);
        for (const auto &row : w.exec("SELECT DISTINCT ON (tenant_id) tenant_id::text, id::text"
                                      " FROM tenant_shared.users ORDER BY tenant_id, id"))
            targets.emplace_back(row[0].as<std::string>(), row[1].as<std::string>());
    });
    if (!picked || targets.empty())
        return failWith(QStringLiteral("no users to query"));
    QHash<QString, const Tenant *> bySlugId;
    std::vector<std::pair<const Tenant *, std::string>> sessionTargets;
    for (const Tenant &t : tenants) {
        const std::string id = t.id.toString(QUuid::WithoutBraces).toStdString();
        for (const auto &[tenantId, userId] : targets) {
            if (tenantId == id) {
                sessionTargets.emplace_back(&t, userId);
                break;
            }
        }
    }
    QRandomGenerator random(7);
    auto app_ = f.pools().app(f.region(0));
    const std::string rlsQuery = "SELECT id, title, progress FROM goals WHERE user_id = $1";
    const std::string plainQuery =
        "SELECT id, title, progress FROM bench_plain.goals WHERE tenant_id = $1 AND user_id = $2";

    // (a) the query alone, context already set: alternate blocks so drift hits both equally.
    qint64 rlsNs = 0, plainNs = 0, rlsRows = 0, plainRows = 0;
    const int blocks = 40;
    const int perBlock = queries / blocks;
    for (int b = 0; b < blocks; ++b) {
        const auto &[tenant, user] =
            sessionTargets[size_t(random.bounded(int(sessionTargets.size())))];
        auto rls = f.sessions().run(tenant->slug, TenantAccess::Member, [&](TenantTransaction &tx) {
            QElapsedTimer timer;
            timer.start();
            for (int q = 0; q < perBlock; ++q)
                rlsRows += qint64(tx.exec(rlsQuery, user).size());
            rlsNs += timer.nsecsElapsed();
        });
        if (!rls)
            return failWith(rls.error().message);
        const std::string tenantId = tenant->id.toString(QUuid::WithoutBraces).toStdString();
        auto plain = (*app_)->withConnection([&](pqxx::connection &c) {
            c.prepare("bench_plain_goals", plainQuery); // prepared, as TenantTransaction does
            pqxx::work w(c);
            QElapsedTimer timer;
            timer.start();
            for (int q = 0; q < perBlock; ++q)
                plainRows += qint64(w.exec_prepared("bench_plain_goals", tenantId, user).size());
            plainNs += timer.nsecsElapsed();
            w.commit();
        });
        if (!plain)
            return failWith(plain.error().message);
    }
    // (b) a whole session per query (BEGIN, context, query, COMMIT) against a plain transaction,
    // over 20 tenants whose registry records are in the session cache (a miss adds one
    // control-plane lookup, at most once per tenant per cache lifetime).
    const int sessionsToRun = std::max(200, queries / 10);
    const int hot = std::min<int>(20, int(sessionTargets.size()));
    for (int i = 0; i < hot; ++i)
        (void)f.sessions().run(
            sessionTargets[size_t(i)].first->slug, TenantAccess::Member,
            [&](TenantTransaction &tx) { tx.exec(rlsQuery, sessionTargets[size_t(i)].second); });
    qint64 sessionNs = 0, plainTxNs = 0;
    for (int i = 0; i < sessionsToRun; ++i) {
        const auto &[tenant, user] = sessionTargets[size_t(random.bounded(hot))];
        const std::string tenantId = tenant->id.toString(QUuid::WithoutBraces).toStdString();
        QElapsedTimer timer;
        timer.start();
        auto rls = f.sessions().run(tenant->slug, TenantAccess::Member, [&](TenantTransaction &tx) {
            return tx.exec(rlsQuery, user).size();
        });
        sessionNs += timer.nsecsElapsed();
        if (!rls)
            return failWith(rls.error().message);
        timer.restart();
        auto plain = (*app_)->withConnection([&](pqxx::connection &c) {
            c.prepare("bench_plain_goals", plainQuery);
            pqxx::work w(c);
            const auto n = w.exec_prepared("bench_plain_goals", tenantId, user).size();
            w.commit();
            return n;
        });
        plainTxNs += timer.nsecsElapsed();
        if (!plain)
            return failWith(plain.error().message);
    }
    const double perRls = double(rlsNs) / double(blocks * perBlock) / 1e3;
    const double perPlain = double(plainNs) / double(blocks * perBlock) / 1e3;
    out.insert(
        QStringLiteral("rlsOverhead"),
        QJsonObject{
            {QStringLiteral("tenants"), int(tenants.size())},
            {QStringLiteral("tenantsCreatedSeconds"), createSeconds},
            {QStringLiteral("goalRows"), loaded.value()},
            {QStringLiteral("queries"), blocks * perBlock},
            {QStringLiteral("rlsQueryMicros"), perRls},
            {QStringLiteral("plainQueryMicros"), perPlain},
            {QStringLiteral("queryRatio"), perRls / perPlain},
            {QStringLiteral("rowsSame"), rlsRows == plainRows},
            {QStringLiteral("sessions"), sessionsToRun},
            {QStringLiteral("tenantSessionMicros"), double(sessionNs) / sessionsToRun / 1e3},
            {QStringLiteral("plainTransactionMicros"), double(plainTxNs) / sessionsToRun / 1e3},
            {QStringLiteral("sessionRatio"), double(sessionNs) / double(plainTxNs)},
            {QStringLiteral("goalRatio"), 1.1},
        });
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    return 0;
}
