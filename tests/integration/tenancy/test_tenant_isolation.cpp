// Adversarial isolation, for all three strategies on real PostgreSQL: for random pairs of
// tenants and random operations — select, insert with a forged tenant_id, a cross-tenant foreign
// key, update, delete, reads of another tenant's schema, a function call, COPY, context changes —
// no row of another tenant is ever read or changed. Code without a tenant context reads and
// writes nothing; a pooled connection carries nothing to the next tenant; the application role
// cannot disable, bypass or alter the policies.
#include "tenancyfixture.h"
#include "tenantdata.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QTest>

using namespace upcoach;
using namespace upcoach::tenancy;

namespace {

struct Victim
{
    Tenant tenant;
    std::string userId; // one of its users
    std::string goalId; // one of its goals
    qint64 users = 0;
};

std::string idText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces).toStdString();
}

// Runs sql on a raw connection in its own transaction; the error text, or "" when it succeeded.
QString rawError(pqxx::connection &connection, const std::string &sql)
{
    try {
        pqxx::work work(connection);
        work.exec(sql);
        work.commit();
        return {};
    } catch (const std::exception &e) {
        return QString::fromUtf8(e.what()).trimmed();
    }
}

} // namespace

class TestTenantIsolation : public QObject
{
    Q_OBJECT
    std::unique_ptr<testing::TenancyFixture> f;
    std::vector<Victim> tenants;
    QMap<QString, QMap<QString, testing::TableFingerprint>> before;

    Result<qint64> count(const QString &slug, const std::string &sql, const std::string &param = {})
    {
        return f->sessions().run(slug, TenantAccess::Operator, [&](TenantTransaction &tx) {
            return param.empty() ? tx.exec(sql)[0][0].as<qint64>()
                                 : tx.exec(sql, param)[0][0].as<qint64>();
        });
    }

    void verifyNothingChanged()
    {
        for (const Victim &v : tenants) {
            auto now = testing::fingerprint(f->sessions(), v.tenant.slug);
            QVERIFY2(now, testing::why(now).constData());
            QCOMPARE(now.value(), before.value(v.tenant.slug));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        // One pooled connection per region: every session reuses the previous one's connection.
        f = std::make_unique<testing::TenancyFixture>(1, 1);
        QVERIFY2(f->ok(), qPrintable(f->error()));
        const IsolationStrategy strategies[] = {IsolationStrategy::RowLevelSecurity,
                                                IsolationStrategy::Schema,
                                                IsolationStrategy::Database};
        for (IsolationStrategy strategy : strategies) {
            for (int i = 0; i < 3; ++i) {
                auto t =
                    f->createTenant(QStringLiteral("iso-") + isolationName(strategy), strategy);
                QVERIFY2(t, testing::why(t).constData());
                QVERIFY(testing::seedCoachingData(f->sessions(), t->slug, 3 + i));
                Victim v;
                v.tenant = t.value();
                auto ids =
                    f->sessions().run(t->slug, TenantAccess::Operator, [](TenantTransaction &tx) {
                        const auto row = tx.exec("SELECT u.id, g.id, (SELECT count(*) FROM users)"
                                                 " FROM users u JOIN goals g ON g.user_id = u.id"
                                                 " ORDER BY u.id LIMIT 1")[0];
                        return std::make_tuple(row[0].as<std::string>(), row[1].as<std::string>(),
                                               row[2].as<qint64>());
                    });
                QVERIFY2(ids, testing::why(ids).constData());
                std::tie(v.userId, v.goalId, v.users) = ids.value();
                tenants.push_back(v);
            }
        }
        for (const Victim &v : tenants) {
            auto print = testing::fingerprint(f->sessions(), v.tenant.slug);
            QVERIFY(print);
            before.insert(v.tenant.slug, print.value());
        }
    }

    void cleanupTestCase()
    {
        tenants.clear();
        f.reset();
    }

    void randomPairsAndOperationsNeverCrossTenants()
    {
        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("seed %u (set UPCOACH_ISOLATION_SEED to replay)", seed);
        QRandomGenerator random(
            qEnvironmentVariableIsSet("UPCOACH_ISOLATION_SEED")
                ? quint32(qEnvironmentVariableIntValue("UPCOACH_ISOLATION_SEED"))
                : seed);
        constexpr int operations = 11;
        for (int round = 0; round < 120; ++round) {
            const Victim &a = tenants[size_t(random.bounded(int(tenants.size())))];
            const Victim *pick = &a;
            while (pick == &a)
                pick = &tenants[size_t(random.bounded(int(tenants.size())))];
            const Victim &b = *pick;
            const int op = random.bounded(operations);
            const QString what = QStringLiteral("round %1: %2 (%3) against %4 (%5), operation %6")
                                     .arg(round)
                                     .arg(a.tenant.slug, isolationName(a.tenant.isolation),
                                          b.tenant.slug, isolationName(b.tenant.isolation))
                                     .arg(op);
            const QByteArray context = what.toUtf8();
            const std::string victimTenant = idText(b.tenant.id);
            auto run = [&](auto fn) {
                return f->sessions().run(a.tenant.slug, TenantAccess::Operator, fn);
            };
            switch (op) {
            case 0: { // select another tenant's row by id, and everything visible
                auto seen = run([&](TenantTransaction &tx) {
                    qint64 n = tx.exec("SELECT count(*) FROM users WHERE id = $1", b.userId)[0][0]
                                   .as<qint64>();
                    for (const QString &table : tenantTables())
                        n += tx.exec("SELECT count(*) FROM " + table.toStdString() +
                                         " WHERE tenant_id <> $1",
                                     idText(a.tenant.id))[0][0]
                                 .as<qint64>();
                    return n;
                });
                QVERIFY2(seen, context);
                QVERIFY2(seen.value() == 0, context);
                auto mine = count(a.tenant.slug, "SELECT count(*) FROM users");
                QVERIFY2(mine && mine.value() == a.users, context);
                break;
            }
            case 1: { // insert with a forged tenant_id
                auto forged = run([&](TenantTransaction &tx) {
                    tx.exec("INSERT INTO users (tenant_id, email, display_name, role)"
                            " VALUES ($1, 'mole@evil.example', 'Mole', 'admin')",
                            victimTenant);
                });
                QVERIFY2(!forged, context);
                QVERIFY2(forged.error().message.contains(QLatin1String("row-level security")),
                         qPrintable(what + QStringLiteral(": ") + forged.error().message));
                break;
            }
            case 2: { // point an own row at another tenant's row
                auto linked = run([&](TenantTransaction &tx) {
                    tx.exec("INSERT INTO goals (user_id, title) VALUES ($1, 'steal')", b.userId);
                });
                QVERIFY2(!linked, context);
                break;
            }
            case 3: { // update another tenant's rows
                auto updated = run([&](TenantTransaction &tx) {
                    return tx
                        .exec("UPDATE users SET display_name = 'pwned' WHERE id = $1 OR"
                              " tenant_id = $2",
                              b.userId, victimTenant)
                        .affected_rows();
                });
                QVERIFY2(updated && updated.value() == 0, context);
                break;
            }
            case 4: { // move an own row into another tenant
                auto moved = run([&](TenantTransaction &tx) {
                    tx.exec("UPDATE users SET tenant_id = $1 WHERE id = $2", victimTenant,
                            a.userId);
                });
                QVERIFY2(!moved, context);
                break;
            }
            case 5: { // delete another tenant's rows
                auto deleted = run([&](TenantTransaction &tx) {
                    return tx.exec("DELETE FROM messages WHERE tenant_id = $1", victimTenant)
                               .affected_rows() +
                           tx.exec("DELETE FROM goals WHERE id = $1", b.goalId).affected_rows();
                });
                QVERIFY2(deleted && deleted.value() == 0, context);
                break;
            }
            case 6: { // read another tenant's schema (or the shared one) by its qualified name
                const std::string qualified = b.tenant.isolation == IsolationStrategy::Database
                                                  ? std::string("tenant_data.users")
                                                  : b.tenant.schemaName().toStdString() + ".users";
                auto read = run([&](TenantTransaction &tx) {
                    return tx
                        .exec("SELECT count(*) FROM " + qualified + " WHERE tenant_id = $1",
                              victimTenant)[0][0]
                        .as<qint64>();
                });
                // Refused outright (no privilege on the schema, or it is not in this database),
                // or — the shared schema read from an rls tenant — filtered to nothing.
                QVERIFY2(!read || read.value() == 0, context);
                break;
            }
            case 7: { // a function that reads the tables, on another tenant's user
                auto summary = run([&](TenantTransaction &tx) {
                    const auto row = tx.exec("SELECT open_goals + achieved_goals FROM"
                                             " goal_summary($1)",
                                             b.userId)[0];
                    return row[0].as<qint64>();
                });
                QVERIFY2(summary && summary.value() == 0, context);
                break;
            }
            case 8: { // COPY, bulk export, is not a tenant statement
                auto copied = run([&](TenantTransaction &tx) { tx.exec("COPY users TO STDOUT"); });
                QVERIFY2(!copied && copied.error().code == ErrorCode::Forbidden, context);
                break;
            }
            case 9: { // switch the context to the victim inside the session
                const std::string attempts[] = {
                    "SELECT set_config('upcoach.tenant_id', '" + victimTenant + "', true)",
                    "SET LOCAL upcoach.tenant_id = '" + victimTenant + "'",
                    "RESET ROLE",
                    "/* hidden */ SET ROLE upcoach_app",
                    "select pg_catalog.SET_CONFIG('search_path', 'tenant_shared', true)",
                };
                const std::string &attempt = attempts[random.bounded(5)];
                auto switched = run([&](TenantTransaction &tx) { tx.exec(attempt); });
                QVERIFY2(!switched && switched.error().code == ErrorCode::Forbidden, context);
                break;
            }
            case 10: { // two statements in one call
                auto stacked =
                    run([&](TenantTransaction &tx) { tx.exec("SELECT 1; DELETE FROM users"); });
                QVERIFY2(!stacked, context);
                break;
            }
            }
        }
        verifyNothingChanged();
    }

    void noContextReadsAndWritesNothing()
    {
        auto main = f->rawAppConnection(0);
        QVERIFY2(main, testing::why(main).constData());
        pqxx::connection &c = *main.value();
        {
            pqxx::work w(c);
            QCOMPARE(w.exec("SELECT count(*) FROM tenant_shared.users")[0][0].as<qint64>(), 0);
            QCOMPARE(w.exec("SELECT count(*) FROM tenant_shared.session_notes")[0][0].as<qint64>(),
                     0);
        }
        const Victim &rls = tenants.front();
        QVERIFY(rawError(c, "INSERT INTO tenant_shared.users (tenant_id, email, display_name, role)"
                            " VALUES ('" +
                                idText(rls.tenant.id) + "', 'x@y.example', 'X', 'admin')")
                    .contains(QLatin1String("row-level security")));
        {
            pqxx::work w(c);
            QCOMPARE(w.exec("UPDATE tenant_shared.users SET display_name = 'x'").affected_rows(),
                     0);
            QCOMPARE(w.exec("DELETE FROM tenant_shared.messages").affected_rows(), 0);
            w.commit();
        }
        // COPY, through psql as the application's login: TO applies the policies (nothing
        // comes out), FROM is refused on a table with row-level security.
        auto dsn = f->cluster().endpoint(0).connectionString();
        QVERIFY(dsn);
        auto psql = [&](const QString &command, const QByteArray &input) {
            QProcess process;
            process.start(QStringLiteral("psql"),
                          {QStringLiteral("-X"), QStringLiteral("-v"),
                           QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-d"), dsn.value(),
                           QStringLiteral("-c"), command});
            process.write(input);
            process.closeWriteChannel();
            process.waitForFinished(30000);
            return std::make_tuple(process.exitCode(), process.readAllStandardOutput(),
                                   process.readAllStandardError());
        };
        const auto [outCode, out, outError] =
            psql(QStringLiteral("COPY tenant_shared.users TO STDOUT"), {});
        QVERIFY2(outCode == 0, outError.constData());
        QCOMPARE(out, QByteArray());
        const auto [inCode, in, inError] = psql(
            QStringLiteral(
                "COPY tenant_shared.users (tenant_id, email, display_name, role) FROM STDIN"),
            QByteArray::fromStdString(idText(rls.tenant.id)) + "\tx@y.example\tX\tadmin\n\\.\n");
        QVERIFY(inCode != 0);
        QVERIFY2(inError.contains("row-level security"), inError.constData());
        // A garbage context fails closed, with an error rather than rows.
        QVERIFY(
            !rawError(c,
                      "SET upcoach.tenant_id = 'garbage'; SELECT count(*) FROM tenant_shared.users")
                 .isEmpty());
        QVERIFY(rawError(c, "RESET upcoach.tenant_id").isEmpty());

        for (const Victim &v : tenants) {
            if (v.tenant.isolation == IsolationStrategy::Schema) {
                QVERIFY(rawError(c, "SELECT count(*) FROM " + v.tenant.schemaName().toStdString() +
                                        ".users")
                            .contains(QLatin1String("permission denied")));
            }
            if (v.tenant.isolation == IsolationStrategy::Database) {
                auto own = f->rawAppConnection(0, v.tenant.databaseName());
                QVERIFY2(own, testing::why(own).constData());
                pqxx::work w(*own.value());
                QCOMPARE(w.exec("SELECT count(*) FROM tenant_data.users")[0][0].as<qint64>(), 0);
            }
        }
        verifyNothingChanged();
    }

    void pooledConnectionCarriesNothingToTheNextTenant()
    {
        auto pool = f->pools().app(f->region(0));
        QVERIFY(pool);
        QCOMPARE((*pool)->openCount() <= 1, true);
        // A temporary table left on the pooled connection by code outside any session must not
        // shadow a tenant table afterwards.
        auto planted = (*pool)->withConnection([](pqxx::connection &c) {
            pqxx::nontransaction w(c);
            w.exec("CREATE TEMP TABLE IF NOT EXISTS users AS SELECT 1 AS id");
        });
        QVERIFY2(planted, testing::why(planted).constData());
        for (const Victim &v : tenants) {
            if (v.tenant.isolation == IsolationStrategy::Database)
                continue; // its own database and pool
            auto n = count(v.tenant.slug, "SELECT count(*) FROM users");
            QVERIFY2(n, testing::why(n).constData());
            QCOMPARE(n.value(), v.users);
            // A failing statement rolls the session back; the next user of the connection
            // starts clean.
            QVERIFY(!f->sessions().run(v.tenant.slug, TenantAccess::Operator,
                                       [](TenantTransaction &tx) { tx.exec("SELECT 1/0"); }));
            auto state = (*pool)->withConnection([](pqxx::connection &c) {
                pqxx::work w(c);
                const auto row = w.exec("SELECT current_setting('upcoach.tenant_id', true),"
                                        " current_user, current_setting('search_path')")[0];
                return QStringList{QString::fromStdString(row[0].as<std::string>()),
                                   QString::fromStdString(row[1].as<std::string>()),
                                   QString::fromStdString(row[2].as<std::string>())};
            });
            QVERIFY2(state, testing::why(state).constData());
            QCOMPARE(state->at(0), QString());
            QCOMPARE(state->at(1), f->cluster()
                                       .endpoint(0)
                                       .dsn.section(QStringLiteral("user="), 1)
                                       .section(QLatin1Char(' '), 0, 0));
            QCOMPARE(state->at(2), QStringLiteral("\"$user\", public"));
        }
        QCOMPARE((*pool)->openCount(), 1);
    }

    void applicationRoleCannotDisableOrBypassThePolicies()
    {
        auto raw = f->rawAppConnection(0);
        QVERIFY(raw);
        pqxx::connection &c = *raw.value();
        const QString owner = f->cluster().endpoint(0).owner.user;
        const Victim *schemaTenant = nullptr;
        for (const Victim &v : tenants) {
            if (v.tenant.isolation == IsolationStrategy::Schema)
                schemaTenant = &v;
        }
        QVERIFY(schemaTenant);
        const std::string schemaUsers = schemaTenant->tenant.schemaName().toStdString() + ".users";
        const std::string attacks[] = {
            "ALTER TABLE tenant_shared.users DISABLE ROW LEVEL SECURITY",
            "ALTER TABLE tenant_shared.users NO FORCE ROW LEVEL SECURITY",
            "DROP POLICY tenant_isolation ON tenant_shared.users",
            "CREATE POLICY everything ON tenant_shared.users USING (true)",
            "ALTER POLICY tenant_isolation ON tenant_shared.users USING (true)",
            "ALTER ROLE upcoach_app BYPASSRLS",
            "ALTER ROLE CURRENT_USER BYPASSRLS",
            "SET ROLE " + owner.toStdString(),
            "SET SESSION AUTHORIZATION " + owner.toStdString(),
            "CREATE OR REPLACE FUNCTION tenant_shared.current_tenant_id() RETURNS uuid"
            " LANGUAGE sql AS $$ SELECT NULL::uuid $$",
            "CREATE FUNCTION public.peek() RETURNS bigint LANGUAGE sql SECURITY DEFINER"
            " AS $$ SELECT count(*) FROM tenant_shared.users $$",
            "CREATE SCHEMA evil",
            "TRUNCATE tenant_shared.users CASCADE",
            "ALTER TABLE tenant_shared.users OWNER TO upcoach_app",
            "DROP TABLE tenant_shared.messages",
            "SELECT count(*) FROM " + schemaUsers,
            "SET row_security = off; SELECT count(*) FROM tenant_shared.users",
            "CREATE TABLE tenant_shared.backdoor (id int)",
            "ALTER DEFAULT PRIVILEGES GRANT ALL ON TABLES TO PUBLIC; CREATE TABLE public.x (i int)",
        };
        for (const std::string &attack : attacks) {
            const QString error = rawError(c, attack);
            QVERIFY2(!error.isEmpty(), attack.c_str());
        }
        // GRANT without the grant option is not an error in PostgreSQL, only a warning that
        // nothing was granted: check that nothing was.
        const std::string schemaName = schemaTenant->tenant.schemaName().toStdString();
        (void)rawError(c, "GRANT SELECT ON tenant_shared.users TO PUBLIC");
        (void)rawError(c, "GRANT USAGE ON SCHEMA " + schemaName + " TO upcoach_app");
        {
            pqxx::work w(c);
            QCOMPARE(w.exec("SELECT count(*) FROM information_schema.role_table_grants WHERE"
                            " table_schema = 'tenant_shared' AND grantee = 'PUBLIC'")[0][0]
                         .as<qint64>(),
                     0);
            QCOMPARE(w.exec_params("SELECT has_schema_privilege('upcoach_app', $1, 'USAGE')",
                                   schemaName)[0][0]
                         .as<bool>(),
                     false);
        }
        // The policies are still there and still forced, on every tenant table.
        auto ownerPool = f->pools().owner(f->region(0));
        auto forced = (*ownerPool)->withConnection([](pqxx::connection &conn) {
            pqxx::work w(conn);
            return w
                .exec("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid ="
                      " c.relnamespace WHERE n.nspname = 'tenant_shared' AND c.relkind = 'r'"
                      " AND c.relname <> 'schema_migrations' AND c.relrowsecurity AND"
                      " c.relforcerowsecurity AND EXISTS (SELECT 1 FROM pg_policy p WHERE"
                      " p.polrelid = c.oid)")[0][0]
                .as<qint64>();
        });
        QVERIFY(forced);
        QCOMPARE(forced.value(), qint64(tenantTables().size()));
        verifyNothingChanged();
    }

    void everyTenantTableIsListedForMovesAndChecks()
    {
        // tenantTables() drives row copies and these checks; a new table in the tenant
        // migrations must be added there.
        auto ownerPool = f->pools().owner(f->region(0));
        auto tables = (*ownerPool)->withConnection([](pqxx::connection &conn) {
            pqxx::work w(conn);
            QStringList names;
            for (const auto &row : w.exec("SELECT tablename FROM pg_tables WHERE schemaname ="
                                          " 'tenant_shared' AND tablename <> 'schema_migrations'"
                                          " ORDER BY 1"))
                names << QString::fromStdString(row[0].as<std::string>());
            return names;
        });
        QVERIFY(tables);
        QStringList expected = tenantTables();
        expected.sort();
        QCOMPARE(tables.value(), expected);
    }
};

QTEST_GUILESS_MAIN(TestTenantIsolation)
#include "test_tenant_isolation.moc"
