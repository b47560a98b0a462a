// The tenant registry on real PostgreSQL: creation and provisioning per strategy, validation
// that names the field, the lifecycle state machine, settings, hierarchy, paging, provisioning
// that fails at every step and resumes, moves that keep every row, and "record first".
#include "tenancyfixture.h"
#include "tenantdata.h"
#include "upcoach/compliance/auditlog.h"

#include <QFutureInterface>
#include <QTest>

using namespace upcoach;
using namespace upcoach::tenancy;

namespace {

// An audit log that is down: every record fails (nothing may change then).
class UnavailableAuditLog final : public compliance::AuditLog
{
public:
    QFuture<Result<compliance::AuditReceipt>> record(compliance::AuditRecord) override
    {
        QFutureInterface<Result<compliance::AuditReceipt>> promise;
        promise.reportStarted();
        promise.reportResult(Result<compliance::AuditReceipt>(
            makeError(ErrorCode::Unavailable, QStringLiteral("down"))));
        promise.reportFinished();
        return promise.future();
    }
};

NewTenant newTenant(const QString &slug, IsolationStrategy isolation, const QString &region)
{
    NewTenant t;
    t.slug = slug;
    t.displayName = QStringLiteral("Acme %1").arg(slug);
    t.plan = QStringLiteral("growth");
    t.homeRegion = region;
    t.isolation = isolation;
    t.ownerEmail = QStringLiteral("ops@acme.example");
    return t;
}

} // namespace

class TestTenantRegistry : public QObject
{
    Q_OBJECT
    std::unique_ptr<testing::TenancyFixture> f;

    QStringList auditActions(const QString &slug)
    {
        (void)f->auditLog().flushAndSign();
        compliance::AuditQuery query;
        query.tenant = slug;
        query.oldestFirst = true;
        query.limit = 1000;
        auto page = f->auditStore().list(query);
        if (!page)
            return {QStringLiteral("error: ") + page.error().message};
        QStringList actions;
        for (const auto &event : page->events)
            actions << event.action + QLatin1Char('/') + event.outcome;
        return actions;
    }

    qint64 ownerCount(int region, const std::string &sql, const std::string &param)
    {
        auto pool = f->pools().owner(f->region(region));
        auto n = (*pool)->withConnection([&](pqxx::connection &c) {
            pqxx::work w(c);
            const qint64 value = w.exec_params(sql, param)[0][0].as<qint64>();
            w.commit();
            return value;
        });
        return n ? n.value() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        f = std::make_unique<testing::TenancyFixture>(2);
        QVERIFY2(f->ok(), qPrintable(f->error()));
    }

    void cleanupTestCase() { f.reset(); }

    void createsOneTenantPerStrategy_data()
    {
        QTest::addColumn<IsolationStrategy>("strategy");
        QTest::newRow("rls") << IsolationStrategy::RowLevelSecurity;
        QTest::newRow("schema") << IsolationStrategy::Schema;
        QTest::newRow("database") << IsolationStrategy::Database;
    }

    void createsOneTenantPerStrategy()
    {
        QFETCH(IsolationStrategy, strategy);
        const QString slug = QStringLiteral("acme-") + isolationName(strategy);
        auto created = f->registry().create(newTenant(slug, strategy, f->region(0)), f->actor());
        QVERIFY2(created, testing::why(created).constData());
        QCOMPARE(created->provisioning, Provisioning::Ready);
        QCOMPARE(created->state, TenantState::Trial);
        QVERIFY(created->trialEndsAt > QDateTime::currentDateTimeUtc().addDays(13));
        QCOMPARE(created->allowedRegions, QStringList{f->region(0)});

        // The placement exists, exactly as the strategy says.
        const std::string id = created->id.toString(QUuid::WithoutBraces).toStdString();
        QCOMPARE(ownerCount(0, "SELECT count(*) FROM tenant_placements WHERE tenant_id = $1", id),
                 1);
        if (strategy == IsolationStrategy::Schema) {
            QCOMPARE(ownerCount(0, "SELECT count(*) FROM pg_namespace WHERE nspname = $1",
                                created->schemaName().toStdString()),
                     1);
            QCOMPARE(ownerCount(0, "SELECT count(*) FROM pg_roles WHERE rolname = $1",
                                created->roleName().toStdString()),
                     1);
        }
        if (strategy == IsolationStrategy::Database)
            QCOMPARE(ownerCount(0, "SELECT count(*) FROM pg_database WHERE datname = $1",
                                created->databaseName().toStdString()),
                     1);

        // It holds data through a session, and is listed.
        QVERIFY(testing::seedCoachingData(f->sessions(), slug, 3));
        auto prints = testing::fingerprint(f->sessions(), slug);
        QVERIFY2(prints, testing::why(prints).constData());
        QCOMPARE(prints->value(QStringLiteral("users")).rows, 4);
        QCOMPARE(prints->value(QStringLiteral("coaching_sessions")).rows, 6);
        QVERIFY(prints->value(QStringLiteral("habit_checkins")).rows >= 3);
        TenantQuery query;
        query.search = slug;
        auto page = f->registry().list(query);
        QVERIFY(page);
        QCOMPARE(page->total, 1);
        QCOMPARE(page->tenants.front().slug, slug);

        QCOMPARE(auditActions(slug), (QStringList{QStringLiteral("tenant.create/success"),
                                                  QStringLiteral("tenant.provision/success")}));
    }

    void invalidInputNamesTheFieldAndChangesNothing_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("expected");
        QTest::newRow("slug") << "slug"
                              << "slug:";
        QTest::newRow("slug upper") << "slugUpper"
                                    << "slug:";
        QTest::newRow("name") << "name"
                              << "name:";
        QTest::newRow("email") << "email"
                               << "ownerEmail:";
        QTest::newRow("plan") << "plan"
                              << "plan:";
        QTest::newRow("region") << "region"
                                << "homeRegion:";
        QTest::newRow("residency") << "residency"
                                   << "allowedRegions:";
        QTest::newRow("config key") << "configKey"
                                    << "config.colour:";
        QTest::newRow("timezone") << "timezone"
                                  << "config.timezone:";
        QTest::newRow("limit") << "limit"
                               << "limits.seats:";
        QTest::newRow("feature") << "feature"
                                 << "features.teleport:";
        QTest::newRow("sso without feature") << "sso"
                                             << "config.ssoRequired:";
        QTest::newRow("team without parent") << "team"
                                             << "parent:";
        QTest::newRow("org with parent") << "orgParent"
                                         << "parent:";
    }

    void invalidInputNamesTheFieldAndChangesNothing()
    {
        QFETCH(QString, field);
        QFETCH(QString, expected);
        NewTenant t = newTenant(QStringLiteral("invalid-one"), IsolationStrategy::RowLevelSecurity,
                                f->region(0));
        if (field == QLatin1String("slug"))
            t.slug = QStringLiteral("-x");
        else if (field == QLatin1String("slugUpper"))
            t.slug = QStringLiteral("Acme");
        else if (field == QLatin1String("name"))
            t.displayName = QStringLiteral("   ");
        else if (field == QLatin1String("email"))
            t.ownerEmail = QStringLiteral("not-an-email");
        else if (field == QLatin1String("plan"))
            t.plan = QStringLiteral("platinum");
        else if (field == QLatin1String("region"))
            t.homeRegion = QStringLiteral("mars-north-1");
        else if (field == QLatin1String("residency"))
            t.allowedRegions = {f->region(1)};
        else if (field == QLatin1String("configKey"))
            t.config = {{QStringLiteral("colour"), QStringLiteral("red")}};
        else if (field == QLatin1String("timezone"))
            t.config = {{QStringLiteral("timezone"), QStringLiteral("Mars/Olympus")}};
        else if (field == QLatin1String("limit"))
            t.limits = {{QStringLiteral("seats"), 0}};
        else if (field == QLatin1String("feature"))
            t.features = {{QStringLiteral("teleport"), true}};
        else if (field == QLatin1String("sso")) {
            t.plan = QStringLiteral("starter");
            t.config = {{QStringLiteral("ssoRequired"), true}};
        } else if (field == QLatin1String("team"))
            t.kind = TenantKind::Team;
        else if (field == QLatin1String("orgParent"))
            t.parentSlug = QStringLiteral("acme-rls");
        auto before = f->registry().counts();
        QVERIFY(before);
        auto created = f->registry().create(t, f->actor());
        QVERIFY(!created);
        QCOMPARE(created.error().code, ErrorCode::InvalidInput);
        QVERIFY2(created.error().message.startsWith(expected), testing::why(created).constData());
        auto after = f->registry().counts();
        QCOMPARE(after->total, before->total);
    }

    void takenSlugIsAConflict()
    {
        QVERIFY(f->registry().create(
            newTenant(QStringLiteral("taken"), IsolationStrategy::RowLevelSecurity, f->region(0)),
            f->actor()));
        auto again = f->registry().create(
            newTenant(QStringLiteral("taken"), IsolationStrategy::Schema, f->region(0)),
            f->actor());
        QVERIFY(!again);
        QCOMPARE(again.error().code, ErrorCode::Conflict);
        QVERIFY(again.error().message.contains(QLatin1String("already exists")));
    }

    void lifecycleFollowsTheStateMachine()
    {
        auto t = f->createTenant(QStringLiteral("life"), IsolationStrategy::RowLevelSecurity);
        QVERIFY(t);
        const QString slug = t->slug;
        auto step = [&](LifecycleAction action) {
            return f->registry().transition(slug, action, f->actor());
        };
        QCOMPARE(step(LifecycleAction::Activate)->state, TenantState::Active);
        QCOMPARE(step(LifecycleAction::Suspend)->state, TenantState::Suspended);
        auto twice = step(LifecycleAction::Suspend);
        QVERIFY(!twice);
        QCOMPARE(twice.error().code, ErrorCode::Conflict);
        QCOMPARE(twice.error().message,
                 QStringLiteral("tenant %1 cannot suspend: it is already suspended").arg(slug));

        // A suspended tenant's members are locked out; operators are not.
        auto member = f->sessions().run(slug, TenantAccess::Member,
                                        [](TenantTransaction &tx) { tx.exec("SELECT 1"); });
        QVERIFY(!member);
        QCOMPARE(member.error().code, ErrorCode::Forbidden);
        QVERIFY(f->sessions().run(slug, TenantAccess::Operator,
                                  [](TenantTransaction &tx) { tx.exec("SELECT 1"); }));

        QCOMPARE(step(LifecycleAction::Activate)->state, TenantState::Active);
        QCOMPARE(step(LifecycleAction::Cancel)->state, TenantState::Canceled);
        auto activate = step(LifecycleAction::Activate);
        QVERIFY(!activate);
        QVERIFY(activate.error().message.contains(QLatin1String("use reactivate")));
        auto reactivated = step(LifecycleAction::Reactivate);
        QVERIFY(reactivated);
        QCOMPARE(reactivated->state, TenantState::Active);
        QVERIFY(f->sessions().run(slug, TenantAccess::Member,
                                  [](TenantTransaction &tx) { tx.exec("SELECT 1"); }));

        // A stale version is refused.
        auto stale =
            f->registry().transition(slug, LifecycleAction::Suspend, f->actor(), t->version);
        QVERIFY(!stale);
        QCOMPARE(stale.error().code, ErrorCode::Conflict);
        QCOMPARE(f->registry().get(slug)->state, TenantState::Active);

        QCOMPARE(auditActions(slug), (QStringList{
                                         QStringLiteral("tenant.create/success"),
                                         QStringLiteral("tenant.provision/success"),
                                         QStringLiteral("tenant.activate/success"),
                                         QStringLiteral("tenant.suspend/success"),
                                         QStringLiteral("tenant.suspend/failure"),
                                         QStringLiteral("tenant.activate/success"),
                                         QStringLiteral("tenant.cancel/success"),
                                         QStringLiteral("tenant.activate/failure"),
                                         QStringLiteral("tenant.reactivate/success"),
                                     }));
    }

    void trialsExpireOnlyWhenTheirEndHasPassed()
    {
        auto t = f->createTenant(QStringLiteral("trial"), IsolationStrategy::RowLevelSecurity);
        QVERIFY(t);
        auto early = f->registry().transition(t->slug, LifecycleAction::ExpireTrial, f->actor());
        QVERIFY(!early);
        QVERIFY(early.error().message.contains(QLatin1String("has not ended")));
        QCOMPARE(ownerCount(0,
                            "UPDATE tenants SET trial_ends_at = now() - interval '1 hour'"
                            " WHERE slug = $1 RETURNING 1",
                            t->slug.toStdString()),
                 1);
        auto expired = f->registry().expireTrials(f->actor());
        QVERIFY(expired);
        QCOMPARE(expired.value(), 1);
        QCOMPARE(f->registry().get(t->slug)->state, TenantState::Suspended);
    }

    void hierarchyIsChecked()
    {
        NewTenant org =
            newTenant(QStringLiteral("globex"), IsolationStrategy::RowLevelSecurity, f->region(0));
        QVERIFY(f->registry().create(org, f->actor()));
        NewTenant sub =
            newTenant(QStringLiteral("globex-emea"), IsolationStrategy::Schema, f->region(0));
        sub.kind = TenantKind::SubOrganization;
        sub.parentSlug = QStringLiteral("globex");
        QVERIFY(f->registry().create(sub, f->actor()));
        NewTenant team = newTenant(QStringLiteral("globex-emea-sales"),
                                   IsolationStrategy::RowLevelSecurity, f->region(0));
        team.kind = TenantKind::Team;
        team.parentSlug = QStringLiteral("globex-emea");
        auto createdTeam = f->registry().create(team, f->actor());
        QVERIFY(createdTeam);
        QCOMPARE(createdTeam->parentId, f->registry().get(QStringLiteral("globex-emea"))->id);

        NewTenant teamUnderTeam = team;
        teamUnderTeam.slug = QStringLiteral("globex-nested");
        teamUnderTeam.parentSlug = QStringLiteral("globex-emea-sales");
        auto nested = f->registry().create(teamUnderTeam, f->actor());
        QVERIFY(!nested);
        QCOMPARE(nested.error().message, QStringLiteral("parent: a team cannot belong to a team"));
        NewTenant subUnderSub = sub;
        subUnderSub.slug = QStringLiteral("globex-sub2");
        subUnderSub.parentSlug = QStringLiteral("globex-emea");
        QVERIFY(!f->registry().create(subUnderSub, f->actor()));

        TenantQuery children;
        children.parentSlug = QStringLiteral("globex");
        QCOMPARE(f->registry().list(children)->total, 1);
    }

    void settingsAreValidatedAndEffective()
    {
        auto t = f->createTenant(QStringLiteral("settings"), IsolationStrategy::RowLevelSecurity);
        QVERIFY(t);
        TenantPatch patch;
        patch.config = QJsonObject{{QStringLiteral("timezone"), QStringLiteral("Europe/Berlin")},
                                   {QStringLiteral("ssoRequired"), true}};
        patch.limits = QJsonObject{{QStringLiteral("seats"), 40}};
        patch.features = QJsonObject{{QStringLiteral("aiCoachAssist"), false}};
        auto updated = f->registry().update(t->slug, patch, f->actor(), t->version);
        QVERIFY2(updated, testing::why(updated).constData());
        auto settings = f->registry().settingsFor(t->slug);
        QVERIFY(settings);
        QCOMPARE(settings->limits.seats, 40);
        QCOMPARE(settings->limits.apiRequestsPerMinute, 30000); // the enterprise plan's
        QCOMPARE(settings->features.value(QStringLiteral("aiCoachAssist")), false);
        QCOMPARE(settings->features.value(QStringLiteral("scim")), true);
        QCOMPARE(settings->config.value(QLatin1String("timezone")).toString(),
                 QStringLiteral("Europe/Berlin"));
        QCOMPARE(settings->config.value(QLatin1String("sessionLengthMinutes")).toInt(), 60);

        // A downgrade that would break the configuration is refused and changes nothing.
        TenantPatch downgrade;
        downgrade.plan = QStringLiteral("starter");
        auto refused = f->registry().update(t->slug, downgrade, f->actor());
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.startsWith(QLatin1String("config.ssoRequired:")),
                 testing::why(refused).constData());
        QCOMPARE(f->registry().get(t->slug)->plan, QStringLiteral("enterprise"));
        // A stale version is refused.
        TenantPatch rename;
        rename.displayName = QStringLiteral("Renamed");
        auto stale = f->registry().update(t->slug, rename, f->actor(), t->version);
        QVERIFY(!stale);
        QCOMPARE(stale.error().code, ErrorCode::Conflict);
    }

    void listFiltersSortsAndPages()
    {
        for (int i = 0; i < 5; ++i)
            QVERIFY(f->createTenant(QStringLiteral("page"), IsolationStrategy::RowLevelSecurity));
        TenantQuery query;
        query.search = QStringLiteral("page-");
        query.sort = TenantSort::Slug;
        query.descending = true;
        query.limit = 2;
        auto first = f->registry().list(query);
        QVERIFY(first);
        QCOMPARE(first->total, 5);
        QCOMPARE(int(first->tenants.size()), 2);
        QVERIFY(first->tenants[0].slug > first->tenants[1].slug);
        query.offset = 4;
        auto last = f->registry().list(query);
        QCOMPARE(int(last->tenants.size()), 1);
        query.offset = 10;
        auto past = f->registry().list(query);
        QCOMPARE(int(past->tenants.size()), 0);
        QCOMPARE(past->total, 5);
        TenantQuery bySchema;
        bySchema.isolation = IsolationStrategy::Schema;
        bySchema.limit = 1000;
        auto schemaPage = f->registry().list(bySchema);
        QVERIFY(schemaPage);
        for (const Tenant &t : schemaPage->tenants)
            QCOMPARE(t.isolation, IsolationStrategy::Schema);
        // LIKE wildcards in a search are literal.
        TenantQuery wildcard;
        wildcard.search = QStringLiteral("%");
        QCOMPARE(f->registry().list(wildcard)->total, 0);
        TenantQuery badLimit;
        badLimit.limit = 5000;
        QVERIFY(!f->registry().list(badLimit));
    }

    void provisioningFailsAtEveryStepAndResumes_data()
    {
        QTest::addColumn<IsolationStrategy>("strategy");
        QTest::addColumn<QString>("step");
        QTest::newRow("schema role") << IsolationStrategy::Schema << "role";
        QTest::newRow("schema schema") << IsolationStrategy::Schema << "schema";
        QTest::newRow("schema placement") << IsolationStrategy::Schema << "placement";
        QTest::newRow("database template") << IsolationStrategy::Database << "template";
        QTest::newRow("database database") << IsolationStrategy::Database << "database";
        QTest::newRow("database grants") << IsolationStrategy::Database << "grants";
        QTest::newRow("database placement") << IsolationStrategy::Database << "placement";
    }

    void provisioningFailsAtEveryStepAndResumes()
    {
        QFETCH(IsolationStrategy, strategy);
        QFETCH(QString, step);
        const QString slug = QStringLiteral("fault-%1-%2").arg(isolationName(strategy), step);
        // (rls provisioning is a single idempotent INSERT of its placement row.)
        f->registry().provisioner().setFaultInjector([&](const QString &name) -> Status {
            if (name == step)
                return makeError(ErrorCode::Unavailable, QStringLiteral("injected at ") + name);
            return {};
        });
        auto created = f->registry().create(newTenant(slug, strategy, f->region(0)), f->actor());
        f->registry().provisioner().setFaultInjector({});
        QVERIFY(!created);
        QVERIFY2(created.error().message.contains(QStringLiteral("injected at ") + step),
                 testing::why(created).constData());
        auto failed = f->registry().get(slug);
        QVERIFY(failed);
        QCOMPARE(failed->provisioning, Provisioning::Failed);
        // No half-tenant: nobody can open it.
        auto session = f->sessions().run(slug, TenantAccess::Operator,
                                         [](TenantTransaction &tx) { tx.exec("SELECT 1"); });
        QVERIFY(!session);
        QCOMPARE(session.error().code, ErrorCode::Unavailable);
        const std::string id = failed->id.toString(QUuid::WithoutBraces).toStdString();
        QCOMPARE(ownerCount(0, "SELECT count(*) FROM tenant_placements WHERE tenant_id = $1", id),
                 0);

        // The same request again resumes and completes it.
        auto resumed = f->registry().create(newTenant(slug, strategy, f->region(0)), f->actor());
        QVERIFY2(resumed, testing::why(resumed).constData());
        QCOMPARE(resumed->provisioning, Provisioning::Ready);
        QCOMPARE(ownerCount(0, "SELECT count(*) FROM tenant_placements WHERE tenant_id = $1", id),
                 1);
        QVERIFY(testing::seedCoachingData(f->sessions(), slug, 1));
        QCOMPARE(testing::fingerprint(f->sessions(), slug)->value(QStringLiteral("users")).rows, 2);
    }

    void pendingTenantsResumeInTheBackground()
    {
        f->registry().provisioner().setFaultInjector([](const QString &name) -> Status {
            if (name == QLatin1String("schema"))
                return makeError(ErrorCode::Unavailable, QStringLiteral("injected"));
            return {};
        });
        auto created = f->registry().create(
            newTenant(QStringLiteral("resume-me"), IsolationStrategy::Schema, f->region(0)),
            f->actor());
        f->registry().provisioner().setFaultInjector({});
        QVERIFY(!created);
        auto resumed = f->registry().resumeProvisioning(f->actor());
        QVERIFY(resumed);
        QVERIFY(resumed.value() >= 1);
        QCOMPARE(f->registry().get(QStringLiteral("resume-me"))->provisioning, Provisioning::Ready);
    }

    void movesKeepEveryRow()
    {
        auto t = f->createTenant(QStringLiteral("mover"), IsolationStrategy::RowLevelSecurity);
        QVERIFY(t);
        QVERIFY(testing::seedCoachingData(f->sessions(), t->slug, 12));
        auto before = testing::fingerprint(f->sessions(), t->slug);
        QVERIFY(before);
        QCOMPARE(before->value(QStringLiteral("users")).rows, 13);

        struct Hop
        {
            IsolationStrategy strategy;
            int region;
        };
        const Hop hops[] = {{IsolationStrategy::Schema, 0},
                            {IsolationStrategy::Database, 1},
                            {IsolationStrategy::RowLevelSecurity, 1},
                            {IsolationStrategy::RowLevelSecurity, 0}};
        Tenant previous = t.value();
        for (const Hop &hop : hops) {
            auto moved =
                f->registry().move(t->slug, hop.strategy, f->region(hop.region), f->actor());
            QVERIFY2(moved, testing::why(moved).constData());
            QCOMPARE(moved->isolation, hop.strategy);
            QCOMPARE(moved->homeRegion, f->region(hop.region));
            auto after = testing::fingerprint(f->sessions(), t->slug);
            QVERIFY2(after, testing::why(after).constData());
            QCOMPARE(after.value(), before.value());
            // The old placement is gone.
            const std::string id = t->id.toString(QUuid::WithoutBraces).toStdString();
            const int oldRegion = previous.homeRegion == f->region(0) ? 0 : 1;
            QCOMPARE(ownerCount(oldRegion,
                                "SELECT count(*) FROM tenant_placements WHERE tenant_id = $1"
                                " AND isolation = '" +
                                    isolationName(previous.isolation).toStdString() + "'",
                                id),
                     0);
            if (previous.isolation == IsolationStrategy::Database)
                QCOMPARE(ownerCount(oldRegion,
                                    "SELECT count(*) FROM pg_database WHERE datname = $1",
                                    previous.databaseName().toStdString()),
                         0);
            if (previous.isolation == IsolationStrategy::Schema)
                QCOMPARE(ownerCount(oldRegion,
                                    "SELECT count(*) FROM pg_namespace WHERE nspname = $1",
                                    previous.schemaName().toStdString()),
                         0);
            if (previous.isolation == IsolationStrategy::RowLevelSecurity)
                QCOMPARE(ownerCount(oldRegion,
                                    "SELECT count(*) FROM tenant_shared.users WHERE tenant_id = $1",
                                    id),
                         0);
            previous = moved.value();
        }
        QVERIFY(auditActions(t->slug).count(QStringLiteral("tenant.move-completed/success")) == 4);
    }

    void movesRespectResidency()
    {
        NewTenant t = newTenant(QStringLiteral("resident"), IsolationStrategy::RowLevelSecurity,
                                f->region(0));
        QVERIFY(f->registry().create(t, f->actor()));
        auto moved = f->registry().move(t.slug, IsolationStrategy::RowLevelSecurity, f->region(1),
                                        f->actor());
        QVERIFY(!moved);
        QVERIFY2(moved.error().message.contains(QLatin1String("data residency")),
                 testing::why(moved).constData());
        QCOMPARE(f->registry().get(t.slug)->homeRegion, f->region(0));
    }

    void nothingChangesWhenTheAuditLogIsDown()
    {
        UnavailableAuditLog down;
        TenantRegistry blind(f->pools(), f->region(0), down);
        auto created = blind.create(newTenant(QStringLiteral("unrecorded"),
                                              IsolationStrategy::RowLevelSecurity, f->region(0)),
                                    f->actor());
        QVERIFY(!created);
        QCOMPARE(created.error().code, ErrorCode::Unavailable);
        QCOMPARE(f->registry().get(QStringLiteral("unrecorded")).error().code, ErrorCode::NotFound);

        auto t = f->createTenant(QStringLiteral("recorded"), IsolationStrategy::RowLevelSecurity);
        QVERIFY(t);
        auto suspended = blind.transition(t->slug, LifecycleAction::Suspend, f->actor());
        QVERIFY(!suspended);
        QCOMPARE(f->registry().get(t->slug)->state, TenantState::Trial);
        TenantPatch patch;
        patch.displayName = QStringLiteral("Unrecorded rename");
        QVERIFY(!blind.update(t->slug, patch, f->actor()));
        QCOMPARE(f->registry().get(t->slug)->displayName, t->displayName);
    }
};

QTEST_GUILESS_MAIN(TestTenantRegistry)
#include "test_tenant_registry.moc"
