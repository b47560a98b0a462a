// Operating a tenant on real PostgreSQL: usage metering (rows and bytes in every strategy),
// limits enforced by writers (seats exactly, even under concurrency; storage), the tenant's users,
// impersonation history and the impersonated user's view, and data-key rotation (on demand and
// scheduled) followed by re-encryption.
#include "tenancyfixture.h"
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
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent>

using namespace upcoach;
using namespace upcoach::tenancy;

class TestTenantOperations : public QObject
{
    Q_OBJECT
    std::unique_ptr<testing::TenancyFixture> f;
    std::unique_ptr<TenantQuota> m_quota;
    std::unique_ptr<TenantUsers> m_users;

    Status setLimits(const QString &slug, const QJsonObject &limits)
    {
        TenantPatch patch;
        patch.limits = limits;
        auto updated = f->registry().update(slug, patch, f->actor());
        if (!updated)
            return updated.error();
        m_quota->forget(slug);
        return {};
    }

    qint64 userCount(const QString &slug)
    {
        auto n = f->sessions().run(slug, TenantAccess::Operator, [](TenantTransaction &tx) {
            return tx.exec("SELECT count(*) FROM users")[0][0].as<qint64>();
        });
        return n ? n.value() : -1;
    }

    // Rows changed by a statement run as the schema owner on the control plane.
    qint64 ownerExec(const std::string &sql, const std::string &param)
    {
        auto pool = f->pools().owner(f->region(0));
        auto n = (*pool)->withConnection([&](pqxx::connection &c) {
            pqxx::work w(c);
            const qint64 affected = w.exec_params(sql, param).affected_rows();
            w.commit();
            return affected;
        });
        return n ? n.value() : -1;
    }

    static NewTenantUser newUser(const QString &local, const QString &slug)
    {
        return {local + QLatin1Char('@') + slug + QStringLiteral(".example"),
                QStringLiteral("Dana Example"), QStringLiteral("coachee")};
    }

private Q_SLOTS:
    void initTestCase()
    {
        f = std::make_unique<testing::TenancyFixture>(1);
        QVERIFY2(f->ok(), qPrintable(f->error()));
        auto keys = f->enableKeys();
        QVERIFY2(keys, testing::why(keys).constData());
        m_quota = std::make_unique<TenantQuota>(f->registry(), f->sessions());
        m_users = std::make_unique<TenantUsers>(f->sessions(), *m_quota, f->auditLog());
    }

    void cleanupTestCase()
    {
        m_users.reset();
        m_quota.reset();
        f.reset();
    }

    void usageCountsRowsAndBytesOfTheTenantOnly_data()
    {
        QTest::addColumn<IsolationStrategy>("strategy");
        QTest::newRow("rls") << IsolationStrategy::RowLevelSecurity;
        QTest::newRow("schema") << IsolationStrategy::Schema;
        QTest::newRow("database") << IsolationStrategy::Database;
    }

    void usageCountsRowsAndBytesOfTheTenantOnly()
    {
        QFETCH(IsolationStrategy, strategy);
        auto small = f->createTenant(QStringLiteral("use-small"), strategy);
        auto big = f->createTenant(QStringLiteral("use-big"), strategy);
        QVERIFY(small && big);
        QVERIFY(testing::seedCoachingData(f->sessions(), small->slug, 2));
        QVERIFY(testing::seedCoachingData(f->sessions(), big->slug, 20));
        auto prints = testing::fingerprint(f->sessions(), small->slug);
        QVERIFY(prints);
        auto usage = measureTenantUsage(f->sessions(), small->slug);
        QVERIFY2(usage, testing::why(usage).constData());
        QCOMPARE(qsizetype(usage->tables.size()), tenantTables().size());
        qint64 rows = 0;
        for (const TableUsage &table : usage->tables) {
            QCOMPARE(table.rows, prints->value(table.table).rows);
            QCOMPARE(table.bytes > 0, table.rows > 0);
            rows += table.rows;
        }
        QCOMPARE(usage->rows, rows);
        QCOMPARE(usage->seatsUsed, 3); // the coach and two coachees
        auto bigUsage = measureTenantUsage(f->sessions(), big->slug);
        QVERIFY(bigUsage);
        QCOMPARE(bigUsage->seatsUsed, 21);
        // The neighbour's rows (sharing the tables under rls) are not counted.
        QVERIFY(bigUsage->bytes > 5 * usage->bytes);

        auto report = m_quota->report(small->slug, true);
        QVERIFY2(report, testing::why(report).constData());
        QCOMPARE(report->value(QLatin1String("seats"))
                     .toObject()
                     .value(QLatin1String("used"))
                     .toInteger(),
                 3);
        QCOMPARE(report->value(QLatin1String("storageBytes"))
                     .toObject()
                     .value(QLatin1String("used"))
                     .toInteger(),
                 usage->bytes);
        QVERIFY(report->value(QLatin1String("seats"))
                    .toObject()
                    .value(QLatin1String("limit"))
                    .toInteger() > 0);
    }

    void addingUsersIsValidatedAuditedAndWithinSeats()
    {
        auto t = f->createTenant(QStringLiteral("seats"), IsolationStrategy::Schema);
        QVERIFY(t);
        QVERIFY(testing::seedCoachingData(f->sessions(), t->slug, 1)); // 2 users
        NewTenantUser bad = newUser(QStringLiteral("x"), t->slug);
        bad.email = QStringLiteral("not an email");
        QVERIFY(m_users->add(t->slug, bad, f->actor())
                    .error()
                    .message.startsWith(QLatin1String("email:")));
        bad = newUser(QStringLiteral("x"), t->slug);
        bad.role = QStringLiteral("owner");
        QVERIFY(m_users->add(t->slug, bad, f->actor())
                    .error()
                    .message.startsWith(QLatin1String("role:")));
        bad = newUser(QStringLiteral("x"), t->slug);
        bad.displayName = QStringLiteral("   ");
        QVERIFY(m_users->add(t->slug, bad, f->actor())
                    .error()
                    .message.startsWith(QLatin1String("displayName:")));
        QCOMPARE(userCount(t->slug), 2);

        auto added = m_users->add(t->slug, newUser(QStringLiteral("dana"), t->slug), f->actor());
        QVERIFY2(added, testing::why(added).constData());
        QCOMPARE(added->role, QStringLiteral("coachee"));
        NewTenantUser shouting = newUser(QStringLiteral("DANA"), t->slug);
        auto duplicate = m_users->add(t->slug, shouting, f->actor());
        QVERIFY(!duplicate);
        QCOMPARE(duplicate.error().code, ErrorCode::Conflict);
        QVERIFY(duplicate.error().message.startsWith(QLatin1String("email:")));
        QCOMPARE(userCount(t->slug), 3);

        // The seat limit: 3 used of 3.
        QVERIFY(setLimits(t->slug, QJsonObject{{QStringLiteral("seats"), 3}}));
        auto full = m_users->add(t->slug, newUser(QStringLiteral("eve"), t->slug), f->actor());
        QVERIFY(!full);
        QCOMPARE(full.error().code, ErrorCode::Conflict);
        QVERIFY2(full.error().message.startsWith(QLatin1String("limits.seats:")),
                 qPrintable(full.error().message));
        QCOMPARE(userCount(t->slug), 3);

        // One seat left and eight writers racing for it: exactly one wins.
        QVERIFY(setLimits(t->slug, QJsonObject{{QStringLiteral("seats"), 4}}));
        QList<QFuture<bool>> racers;
        for (int i = 0; i < 8; ++i)
            racers << QtConcurrent::run([&, i] {
                return bool(m_users->add(
                    t->slug, newUser(QStringLiteral("racer%1").arg(i), t->slug), f->actor()));
            });
        int winners = 0;
        for (auto &racer : racers)
            winners += racer.result() ? 1 : 0;
        QCOMPARE(winners, 1);
        QCOMPARE(userCount(t->slug), 4);

        // Recorded by id and role only: no email or name in the log.
        const auto recorded = f->events(t->slug, QStringLiteral("tenant.user.add"));
        QVERIFY(recorded.size() >= 2);
        QCOMPARE(recorded.first().target, QStringLiteral("user:") + added->id);
        for (const auto &event : recorded) {
            QVERIFY(!QJsonDocument(event.details).toJson().contains("@"));
            QVERIFY(!event.target.contains(QLatin1Char('@')));
        }

        auto page = m_users->list(t->slug, {QStringLiteral("DaNa@"), {}, 50, 0});
        QVERIFY2(page, testing::why(page).constData());
        QCOMPARE(page->total, 1);
        QCOMPARE(page->users.front().id, added->id);
        // LIKE wildcards in a search match themselves.
        QCOMPARE(m_users->list(t->slug, {QStringLiteral("%"), {}, 50, 0})->total, 0);
        QCOMPARE(m_users->list(t->slug, {{}, QStringLiteral("coach"), 50, 0})->total, 1);
        QVERIFY(!m_users->list(t->slug, {{}, {}, 0, 0}));
        QVERIFY(!m_users->list(t->slug, {{}, QStringLiteral("root"), 10, 0}));
        auto found = m_users->findByEmail(t->slug, shouting.email);
        QVERIFY(found);
        QCOMPARE(found->id, added->id);
    }

    void storageLimitRefusesGrowth()
    {
        auto t = f->createTenant(QStringLiteral("store"), IsolationStrategy::RowLevelSecurity);
        QVERIFY(t);
        QVERIFY(testing::seedCoachingData(f->sessions(), t->slug, 3));
        auto usage = measureTenantUsage(f->sessions(), t->slug);
        QVERIFY(usage);
        QVERIFY(setLimits(
            t->slug, QJsonObject{{QStringLiteral("storageBytes"), double(usage->bytes + 10)}}));
        auto refused = m_users->add(t->slug, newUser(QStringLiteral("big"), t->slug), f->actor());
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.startsWith(QLatin1String("limits.storageBytes:")),
                 qPrintable(refused.error().message));
        QCOMPARE(userCount(t->slug), 4);
        QVERIFY(setLimits(t->slug, QJsonObject{{QStringLiteral("storageBytes"), 1e9}}));
        QVERIFY(m_users->add(t->slug, newUser(QStringLiteral("big"), t->slug), f->actor()));
    }

    void impersonationListsAndShowsTheSubjectsOwnData()
    {
        auto t = f->createTenant(QStringLiteral("imp-view"), IsolationStrategy::Database);
        auto other = f->createTenant(QStringLiteral("imp-other"), IsolationStrategy::Database);
        QVERIFY(t && other);
        QVERIFY(testing::seedCoachingData(f->sessions(), t->slug, 3));
        QVERIFY(testing::seedCoachingData(f->sessions(), other->slug, 3));
        ImpersonationService service(f->controlPool(), f->registry(), f->sessions(), f->auditLog());
        ActorContext op;
        op.actor = QStringLiteral("user:ops@upcoach.example");
        auto coachee = m_users->list(t->slug, {{}, QStringLiteral("coachee"), 1, 0});
        QVERIFY(coachee && !coachee->users.empty());
        ImpersonationRequest request;
        request.tenantSlug = t->slug;
        request.subject = QStringLiteral("user:") + coachee->users.front().email.toUpper();
        request.reason = QStringLiteral("Habit check-ins do not show on the mobile app");
        request.ticket = QStringLiteral("SUP-77");

        // Someone who is not a user of this tenant (a user of another tenant) cannot be acted as.
        ImpersonationRequest stranger = request;
        stranger.subject = QStringLiteral("user:coach@") + other->slug + QStringLiteral(".example");
        auto refused = service.start(stranger, op);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::NotFound);
        QVERIFY(refused.error().message.startsWith(QLatin1String("subject:")));

        auto started = service.start(request, op);
        QVERIFY2(started, testing::why(started).constData());
        auto overview = service.overview(started->id, op);
        QVERIFY2(overview, testing::why(overview).constData());
        const QJsonObject user = overview->value(QLatin1String("user")).toObject();
        QCOMPARE(user.value(QLatin1String("id")).toString(), coachee->users.front().id);
        QCOMPARE(overview->value(QLatin1String("goals")).toArray().size(), 1);
        QCOMPARE(overview->value(QLatin1String("habits")).toArray().size(), 1);
        QVERIFY(overview->value(QLatin1String("habits"))
                    .toArray()
                    .at(0)
                    .toObject()
                    .value(QLatin1String("checkinsLast30Days"))
                    .toInt() >= 1);
        const QJsonArray sessions = overview->value(QLatin1String("sessions")).toArray();
        QCOMPARE(sessions.size(), 2);
        for (const auto &session : sessions)
            QCOMPARE(session.toObject().value(QLatin1String("as")).toString(),
                     QStringLiteral("coachee"));

        auto open = service.list(t->slug, true);
        QVERIFY(open);
        QCOMPARE(open->size(), size_t(1));
        QCOMPARE(open->front().id, started->id);
        QVERIFY(service.list(other->slug, false)->empty());
        QVERIFY(!service.list(t->slug, false, 0));
        // Nobody but the operator who started it acts under it.
        ActorContext otherOperator;
        otherOperator.actor = QStringLiteral("user:other-operator@upcoach.example");
        QCOMPARE(service.overview(started->id, otherOperator).error().code, ErrorCode::Forbidden);
        QVERIFY(service.end(started->id, op));
        QVERIFY(service.list(t->slug, true)->empty());
        QCOMPARE(service.list(t->slug, false)->size(), size_t(1));
        auto closed = service.overview(started->id, op);
        QVERIFY(!closed);
        QCOMPARE(closed.error().code, ErrorCode::Forbidden);

        const auto recorded = f->events(t->slug, QStringLiteral("tenant.impersonation.view"));
        QCOMPARE(recorded.size(), 1);
        QCOMPARE(recorded.front().actor, QStringLiteral("user:") + coachee->users.front().id);
        // The tenant user's email (personal data) never reaches the log.
        const QString email = coachee->users.front().email;
        for (const auto &event : f->events(t->slug, QStringLiteral("tenant.impersonation"))) {
            QVERIFY2(!QJsonDocument(event.details).toJson().contains(email.toUtf8()),
                     qPrintable(event.action));
            QVERIFY(!event.actor.contains(email) && !event.target.contains(email));
        }
        QCOMPARE(recorded.front().impersonator, op.actor);
    }

    void rotationOnDemandReencryptsAndIsAudited()
    {
        auto t = f->createTenant(QStringLiteral("rot"), IsolationStrategy::RowLevelSecurity);
        QVERIFY(t);
        QVERIFY(testing::seedCoachingData(f->sessions(), t->slug, 2));
        auto ids = f->sessions().run(t->slug, TenantAccess::Member, [](TenantTransaction &tx) {
            const auto row = tx.exec("SELECT id::text, coach_id::text FROM coaching_sessions"
                                     " ORDER BY id LIMIT 1")[0];
            return std::make_pair(QString::fromStdString(row[0].as<std::string>()),
                                  QString::fromStdString(row[1].as<std::string>()));
        });
        QVERIFY(ids);
        FieldCipher cipher(f->keys());
        QStringList notes;
        for (int i = 0; i < 5; ++i) {
            auto id = writePhiNote(f->sessions(), cipher, t.value(), ids->first, ids->second,
                                   QStringLiteral("Sleep diary %1").arg(i));
            QVERIFY(id);
            notes << id.value();
        }
        TenantKeyRotation rotation(f->registry(), f->keys(), f->sessions(), f->auditLog());
        auto before = rotation.status(t->slug);
        QVERIFY2(before, testing::why(before).constData());
        QCOMPARE(before->currentVersion, 1);
        QCOMPARE(before->encryptedValues.value(1), 5);
        QCOMPARE(before->pendingReencryption, 0);
        QCOMPARE(before->nextRotationDue, before->currentCreatedAt.addDays(90));

        auto after = rotation.rotate(t->slug, f->actor());
        QVERIFY2(after, testing::why(after).constData());
        QCOMPARE(after->currentVersion, 2);
        QCOMPARE(qsizetype(after->keys.size()), 2);
        QCOMPARE(after->encryptedValues.value(2), 5);
        QCOMPARE(after->encryptedValues.value(1), 0);
        QCOMPARE(after->pendingReencryption, 0);
        for (int i = 0; i < notes.size(); ++i)
            QCOMPARE(readNoteBody(f->sessions(), cipher, t.value(), notes.at(i)).value(),
                     QStringLiteral("Sleep diary %1").arg(i));
        const auto recorded = f->events(t->slug, QStringLiteral("tenant.key.rotate"));
        QCOMPARE(recorded.size(), 1);
        QCOMPARE(recorded.front().classification, QStringLiteral("security"));

        auto missing = rotation.rotate(QStringLiteral("no-such-tenant"), f->actor());
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
    }

    void scheduledRotationPicksTenantsWhoseKeyIsOld()
    {
        QList<Tenant> aged;
        for (int i = 0; i < 3; ++i) {
            auto t = f->createTenant(QStringLiteral("sched"), IsolationStrategy::Schema);
            QVERIFY(t);
            aged << t.value();
            // Their keys were made 30 days ago; every other tenant's today.
            QCOMPARE(ownerExec("UPDATE tenant_data_keys SET created_at = now() - interval '30"
                               " days' WHERE tenant_id = $1",
                               t->id.toString(QUuid::WithoutBraces).toStdString()),
                     1);
        }
        KeyRotationPolicy monthly;
        monthly.maxAge = std::chrono::days(31);
        TenantKeyRotation notYet(f->registry(), f->keys(), f->sessions(), f->auditLog(), monthly);
        auto none = notYet.rotateDue(f->actor());
        QVERIFY2(none, testing::why(none).constData());
        QCOMPARE(none->rotated, 0);
        QCOMPARE(none->remaining, 0);

        KeyRotationPolicy weekly;
        weekly.maxAge = std::chrono::days(7);
        weekly.maxTenantsPerRun = 2;
        TenantKeyRotation due(f->registry(), f->keys(), f->sessions(), f->auditLog(), weekly);
        auto first = due.rotateDue(f->actor());
        QVERIFY2(first, testing::why(first).constData());
        QCOMPARE(first->rotated, 2); // bounded per run, oldest first
        QCOMPARE(first->remaining, 1);
        auto second = due.rotateDue(f->actor());
        QVERIFY(second);
        QCOMPARE(second->rotated, 1);
        QCOMPARE(second->remaining, 0);
        QCOMPARE(due.rotateDue(f->actor())->rotated, 0);
        for (const Tenant &t : aged) {
            auto status = due.status(t.slug);
            QVERIFY(status);
            QCOMPARE(status->currentVersion, 2);
            QCOMPARE(f->events(t.slug, QStringLiteral("tenant.key.rotate")).size(), 1);
        }

        KeyRotationPolicy never;
        never.maxAge = std::chrono::days(0);
        TenantKeyRotation off(f->registry(), f->keys(), f->sessions(), f->auditLog(), never);
        QCOMPARE(off.rotateDue(f->actor())->rotated, 0);
        QVERIFY(!off.status(aged.first().slug)->nextRotationDue.isValid());
    }
};

QTEST_GUILESS_MAIN(TestTenantOperations)
#include "test_tenant_operations.moc"
