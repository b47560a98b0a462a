// The Tenants page's view models against a real throwaway cluster (TenancyFixture: two regions,
// the real registry, sessions and audit log; TenantConsoleBackend: keys, quota, users,
// impersonations and key rotation): paging 1,000 tenants in on demand, filters, search and
// sorting, the summary, the detail pane (settings against the plan, usage against limits through
// TenantQuota, data keys, impersonations, history from the audit log), lifecycle actions one by
// one and in bulk with optimistic concurrency, the settings editor and the creation wizard, whose
// errors name their field, data-key rotation, the impersonation dialog's user picker and
// impersonation from start through the user's overview to its end or expiry.
// QAbstractItemModelTester watches the list models throughout, and once the data is set up the
// test thread is marked interactive (storage::forbidBlockingOn): a view model that touched a
// database on it would fail.
#include "tenancyfixture.h"
#include "tenantactions.h"
#include "tenantbackend.h"
#include "tenantconsolebackend.h"
#include "tenantdetails.h"
#include "tenantimpersonation.h"
#include "tenantlistmodel.h"
#include "tenantuserlistmodel.h"
#include "tenantwizard.h"
#include "tenantworkspace.h"
#include "upcoach/tenancy/sampledata.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QtConcurrent/QtConcurrentMap>
#include <future>

using namespace upcoach;
using namespace upcoach::viewmodels;
using tenancy::IsolationStrategy;

namespace {

constexpr int kBulkTenants = 1000;
constexpr int kWait = 30'000;

// Blocking work for the test's own checks, never on the (interactive) test thread. (Not
// QtConcurrent::run(...).result(): waiting may run a task that has not started yet on the waiting
// thread.)
template<typename Fn> auto onWorker(Fn fn)
{
    return std::async(std::launch::async, fn).get();
}

QStringList column(const TenantListModel &model, int role)
{
    QStringList values;
    for (int row = 0; row < model.rowCount(); ++row)
        values << model.data(model.index(row), role).toString();
    return values;
}

} // namespace

class TenantModelTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<testing::TenancyFixture> f;
    std::unique_ptr<testing::TenantConsoleBackend> m_console;
    TenantBackend m_backend;
    // The named tenants (besides the bulk ones): slug → state after set-up.
    QMap<QString, QString> m_named;

    Result<tenancy::Tenant> create(const QString &slug, const QString &name,
                                   IsolationStrategy isolation, int region, bool trial,
                                   const QString &plan = QStringLiteral("growth"))
    {
        tenancy::NewTenant input;
        input.slug = slug;
        input.displayName = name;
        input.plan = plan;
        input.homeRegion = f->region(region);
        input.allowedRegions = {f->region(0), f->region(1)};
        input.isolation = isolation;
        input.ownerName = QStringLiteral("Owner");
        input.ownerEmail = QStringLiteral("owner@") + slug + QStringLiteral(".example");
        input.trial = trial;
        return f->registry().create(input, testing::TenancyFixture::actor());
    }

    static bool waitLoaded(TenantListModel &model)
    {
        return QTest::qWaitFor([&] { return !model.loading() && !model.fetching(); }, kWait);
    }

    std::unique_ptr<TenantListModel> listModel()
    {
        auto model = std::make_unique<TenantListModel>(nullptr);
        model->setBackend(m_backend);
        return model;
    }

private Q_SLOTS:
    void initTestCase()
    {
        f = std::make_unique<testing::TenancyFixture>(2);
        QVERIFY2(f->ok(), qPrintable(f->error()));
        m_console = std::make_unique<testing::TenantConsoleBackend>(*f);
        QVERIFY2(m_console->ok(), qPrintable(m_console->error()));
        m_backend = m_console->backend(QStringList{f->region(0), f->region(1)},
                                       QStringLiteral("user:ops-test"));

        // Named tenants: every strategy and state, a hierarchy-free mix over both regions.
        QVERIFY(create(QStringLiteral("acme-health"), QStringLiteral("Acme Health"),
                       IsolationStrategy::Schema, 0, true, QStringLiteral("enterprise")));
        QVERIFY(create(QStringLiteral("beta-bank"), QStringLiteral("Beta Bank"),
                       IsolationStrategy::Database, 1, false, QStringLiteral("enterprise")));
        QVERIFY(create(QStringLiteral("gamma-labs"), QStringLiteral("Gamma Labs"),
                       IsolationStrategy::RowLevelSecurity, 1, false));
        QVERIFY(create(QStringLiteral("delta-travel"), QStringLiteral("Delta Travel"),
                       IsolationStrategy::RowLevelSecurity, 0, false, QStringLiteral("starter")));
        QVERIFY(create(QStringLiteral("zeta-coaching"), QStringLiteral("Zeta Coaching"),
                       IsolationStrategy::RowLevelSecurity, 0, false, QStringLiteral("starter")));
        QVERIFY(f->registry().transition(QStringLiteral("gamma-labs"),
                                         tenancy::LifecycleAction::Suspend,
                                         testing::TenancyFixture::actor()));
        QVERIFY(f->registry().transition(QStringLiteral("delta-travel"),
                                         tenancy::LifecycleAction::Cancel,
                                         testing::TenancyFixture::actor()));
        auto sample =
            tenancy::writeSampleCoachingData(f->sessions(), QStringLiteral("acme-health"), 6);
        QVERIFY2(sample, testing::why(sample).constData());
        // Three values under the tenant's data key, for the encryption figures and a rotation.
        const Status notes = m_console->writePhiNotes(QStringLiteral("acme-health"), 3);
        QVERIFY2(notes, testing::why(notes).constData());
        // Enough users for the impersonation picker to page: 120 coachees and their coach.
        auto many =
            tenancy::writeSampleCoachingData(f->sessions(), QStringLiteral("beta-bank"), 120, 7);
        QVERIFY2(many, testing::why(many).constData());
        m_named = {{QStringLiteral("acme-health"), QStringLiteral("trial")},
                   {QStringLiteral("beta-bank"), QStringLiteral("active")},
                   {QStringLiteral("gamma-labs"), QStringLiteral("suspended")},
                   {QStringLiteral("delta-travel"), QStringLiteral("canceled")},
                   {QStringLiteral("zeta-coaching"), QStringLiteral("active")}};

        // 1,000 shared (RLS) tenants through the real registry: recorded, registered and placed
        // like any other, created by eight threads at once.
        QElapsedTimer timer;
        timer.start();
        QList<int> numbers;
        for (int i = 0; i < kBulkTenants; ++i)
            numbers << i;
        QThreadPool creators;
        creators.setMaxThreadCount(8);
        std::atomic<int> failures = 0;
        QString firstFailure;
        std::mutex failureMutex;
        QtConcurrent::blockingMap(&creators, numbers, [&](int i) {
            auto created =
                create(QStringLiteral("bulk-%1").arg(i, 4, 10, QLatin1Char('0')),
                       QStringLiteral("Bulk Customer %1").arg(i, 4, 10, QLatin1Char('0')),
                       IsolationStrategy::RowLevelSecurity, i % 2, i % 3 == 0);
            if (!created) {
                std::lock_guard lock(failureMutex);
                if (failures++ == 0)
                    firstFailure = created.error().message;
            }
        });
        QVERIFY2(failures == 0, qPrintable(firstFailure));
        qInfo("created %d tenants through the registry in %lld ms", kBulkTenants,
              qlonglong(timer.elapsed()));

        // From here on the test thread is the GUI thread: no database work may happen on it.
        storage::forbidBlockingOn(QThread::currentThread());
    }

    void cleanupTestCase()
    {
        storage::forbidBlockingOn(nullptr);
        m_console.reset();
        f.reset();
    }

    void pureHelpers()
    {
        QCOMPARE(suggestTenantSlug(QStringLiteral("Acme Health, Inc.")),
                 QStringLiteral("acme-health-inc"));
        QCOMPARE(suggestTenantSlug(QStringLiteral("  Café Zürich -- Team 7 ")),
                 QStringLiteral("cafe-zurich-team-7"));
        QCOMPARE(suggestTenantSlug(QStringLiteral("42 Coaching")), QStringLiteral("coaching"));
        QVERIFY(suggestTenantSlug(QString(80, QLatin1Char('a'))).size() <= 63);

        const FieldMessage slug =
            splitFieldMessage(QStringLiteral("slug: tenant x already exists"));
        QCOMPARE(slug.field, QStringLiteral("slug"));
        QCOMPARE(slug.message, QStringLiteral("tenant x already exists"));
        QCOMPARE(
            splitFieldMessage(QStringLiteral("config.timezone: must be an IANA time zone")).field,
            QStringLiteral("config.timezone"));
        QCOMPARE(splitFieldMessage(QStringLiteral("region us-east-1: down")).field, QString());

        QCOMPARE(parseByteSize(QStringLiteral("1048576")), 1048576);
        QCOMPARE(parseByteSize(QStringLiteral("50 GiB")), 50LL * 1024 * 1024 * 1024);
        QCOMPARE(parseByteSize(QStringLiteral("2TB")), 2'000'000'000'000LL);
        QCOMPARE(parseByteSize(QStringLiteral("1.5 kb")), 1500);
        QCOMPARE(parseByteSize(QStringLiteral("lots")), -1);
        QCOMPARE(parseByteSize(QStringLiteral("1.5")), -1);

        const TenantSettingsEdit edit = parseTenantSettingsEdit(
            {{QStringLiteral("sessionLengthMinutes"), QStringLiteral("45")},
             {QStringLiteral("mfaRequired"), QStringLiteral("true")},
             {QStringLiteral("allowedEmailDomains"), QStringLiteral("a.example, b.example")},
             {QStringLiteral("timezone"), QString()}},
            {{QStringLiteral("seats"), QStringLiteral("many")},
             {QStringLiteral("storageBytes"), QStringLiteral("10 GiB")}},
            {{QStringLiteral("sso"), QStringLiteral("off")}, {QStringLiteral("scim"), QString()}});
        QCOMPARE(edit.config.value(QStringLiteral("sessionLengthMinutes")).toInt(), 45);
        QCOMPARE(edit.config.value(QStringLiteral("mfaRequired")).toBool(), true);
        QCOMPARE(edit.config.value(QStringLiteral("allowedEmailDomains")).toArray().size(), 2);
        QVERIFY(!edit.config.contains(QStringLiteral("timezone")));
        QVERIFY(edit.errors.contains(QStringLiteral("limits.seats")));
        QCOMPARE(qint64(edit.limits.value(QStringLiteral("storageBytes")).toDouble()),
                 10LL * 1024 * 1024 * 1024);
        QCOMPARE(edit.features.value(QStringLiteral("sso")).toBool(), false);
        QVERIFY(!edit.features.contains(QStringLiteral("scim")));
    }

    void waitsForTheBackend()
    {
        TenantListModel model(nullptr);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.loading());
        QVERIFY(!model.ready());
        QVERIFY(!model.canFetchMore({}));
        model.refresh(); // nothing to do yet
        QCOMPARE(model.rowCount(), 0);
        QSignalSpy ready(&model, &TenantListModel::readyChanged);
        model.setBackend(m_backend);
        QCOMPARE(ready.count(), 1);
        QVERIFY(waitLoaded(model));
        QCOMPARE(model.count(), TenantListModel::pageSize);
        QVERIFY(model.error().isEmpty());

        TenantListModel failed(nullptr);
        failed.setBackendError(QStringLiteral("audit.signing_key_file is not set"));
        QVERIFY(!failed.loading());
        QCOMPARE(failed.error(), QStringLiteral("audit.signing_key_file is not set"));
    }

    void pagesThroughAThousandTenantsOnDemand()
    {
        auto model = listModel();
        QAbstractItemModelTester tester(model.get(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(model.get(), &QAbstractItemModel::modelReset);
        QVERIFY(waitLoaded(*model));
        const int total = kBulkTenants + m_named.size();
        QCOMPARE(model->total(), total);
        QCOMPARE(model->count(), TenantListModel::pageSize);
        QCOMPARE(model->allCount(), total);
        // The first page is slug order; the detail pane opens on its first tenant.
        QCOMPARE(model->slugAt(0), QStringLiteral("acme-health"));
        QCOMPARE(model->currentSlug(), QStringLiteral("acme-health"));
        QCOMPARE(model->currentRow(), 0);
        QVERIFY(model->data(model->index(0), TenantListModel::CurrentRole).toBool());

        QSignalSpy inserted(model.get(), &QAbstractItemModel::rowsInserted);
        int pages = 0;
        while (model->canFetchMore({})) {
            const int before = model->count();
            model->fetchMore({});
            model->fetchMore({}); // a view asking again meanwhile is harmless
            QVERIFY(model->fetching());
            QVERIFY(waitLoaded(*model));
            QCOMPARE(model->count(), std::min(total, before + TenantListModel::pageSize));
            ++pages;
        }
        QCOMPARE(pages, (total - 1) / TenantListModel::pageSize);
        QCOMPARE(inserted.count(), pages); // appended, never reset
        QCOMPARE(resets.count(), 1);       // the first page only
        QCOMPARE(model->count(), total);
        const QStringList slugs = column(*model, TenantListModel::SlugRole);
        QCOMPARE(QSet<QString>(slugs.begin(), slugs.end()).size(), total);
        QStringList sorted = slugs;
        sorted.sort();
        QCOMPARE(slugs, sorted);
        QCOMPARE(model->rowOf(QStringLiteral("bulk-0999")),
                 slugs.indexOf(QStringLiteral("bulk-0999")));
    }

    void summaryCountsEveryTenant()
    {
        auto model = listModel();
        QVERIFY(waitLoaded(*model));
        const auto counts = onWorker([this] { return f->registry().counts(); });
        QVERIFY(counts);
        QCOMPARE(model->allCount(), int(counts->total));
        for (auto it = counts->byState.begin(); it != counts->byState.end(); ++it)
            QCOMPARE(model->stateCounts().value(it.key()).toLongLong(), it.value());
        QCOMPARE(model->isolationCounts().value(QStringLiteral("schema")).toInt(), 1);
        QCOMPARE(model->isolationCounts().value(QStringLiteral("database")).toInt(), 1);
        QCOMPARE(model->regionCounts().size(), 2);
        QCOMPARE(model->regionChoices(), (QStringList{f->region(0), f->region(1)}));
        // In the registry's order (by price).
        QCOMPARE(model->planChoices(),
                 (QStringList{QStringLiteral("starter"), QStringLiteral("growth"),
                              QStringLiteral("enterprise")}));
        QVERIFY(model->lastUpdated().isValid());
    }

    void filtersSearchAndSort()
    {
        auto model = listModel();
        QAbstractItemModelTester tester(model.get(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitLoaded(*model));

        model->setStateFilter(QStringLiteral("suspended"));
        QVERIFY(model->hasFilter());
        QVERIFY(waitLoaded(*model));
        QCOMPARE(column(*model, TenantListModel::SlugRole),
                 QStringList{QStringLiteral("gamma-labs")});
        QCOMPARE(model->total(), 1);

        model->clearFilters();
        model->setIsolationFilter(QStringLiteral("database"));
        QVERIFY(waitLoaded(*model));
        QCOMPARE(column(*model, TenantListModel::SlugRole),
                 QStringList{QStringLiteral("beta-bank")});

        model->setIsolationFilter(QString());
        model->setPlanFilter(QStringLiteral("starter"));
        QVERIFY(waitLoaded(*model));
        QCOMPARE(column(*model, TenantListModel::SlugRole),
                 (QStringList{QStringLiteral("delta-travel"), QStringLiteral("zeta-coaching")}));

        model->setRegionFilter(f->region(1));
        QVERIFY(waitLoaded(*model));
        QCOMPARE(model->count(), 0);
        QCOMPARE(model->total(), 0);

        // The search waits for a pause in typing: one query for "bulk customer 09", not one per
        // keystroke.
        model->clearFilters();
        QVERIFY(waitLoaded(*model));
        QSignalSpy finished(model.get(), &TenantListModel::queryFinished);
        for (const QString &typed :
             {QStringLiteral("b"), QStringLiteral("bulk c"), QStringLiteral("Bulk Customer 09")})
            model->setSearchText(typed);
        QVERIFY(!model->loading()); // not before the debounce
        QVERIFY(QTest::qWaitFor([&] { return finished.count() > 0 && !model->loading(); }, kWait));
        QTest::qWait(TenantListModel::searchDebounceMs * 2);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(model->total(), 100); // bulk-0900 .. bulk-0999
        for (const QString &name : column(*model, TenantListModel::NameRole))
            QVERIFY2(name.startsWith(QStringLiteral("Bulk Customer 09")), qPrintable(name));

        // Sorting: by name descending, then by state (same key twice flips the order).
        model->setSearchText(QString());
        model->sortBy(QStringLiteral("name"));
        model->sortBy(QStringLiteral("name"));
        QVERIFY(model->descending());
        QVERIFY(waitLoaded(*model));
        QCOMPARE(model->slugAt(0), QStringLiteral("zeta-coaching"));
        const QStringList names = column(*model, TenantListModel::NameRole);
        for (int i = 1; i < names.size(); ++i)
            QVERIFY(names[i - 1].compare(names[i], Qt::CaseInsensitive) >= 0);

        model->sortBy(QStringLiteral("state"));
        QVERIFY(!model->descending());
        QVERIFY(waitLoaded(*model));
        const QStringList states = column(*model, TenantListModel::StateRole);
        QStringList orderedStates = states;
        orderedStates.sort();
        QCOMPARE(states, orderedStates);
        QCOMPARE(states.front(), QStringLiteral("active"));

        model->setSortKey(QStringLiteral("nonsense")); // ignored
        QCOMPARE(model->sortKey(), QStringLiteral("state"));
    }

    void detailsShowEverythingAboutATenant()
    {
        TenantDetails details(nullptr);
        details.load(QStringLiteral("acme-health")); // before the backend: waits
        QVERIFY(details.loading());
        details.setBackend(m_backend);
        QVERIFY(QTest::qWaitFor([&] { return !details.loading(); }, kWait));
        QVERIFY2(details.error().isEmpty(), qPrintable(details.error()));
        QVERIFY(details.hasTenant());
        const QVariantMap overview = details.overview();
        QCOMPARE(overview.value(QStringLiteral("name")).toString(), QStringLiteral("Acme Health"));
        QCOMPARE(details.state(), QStringLiteral("trial"));
        QCOMPARE(overview.value(QStringLiteral("isolation")).toString(), QStringLiteral("schema"));
        QCOMPARE(overview.value(QStringLiteral("planName")).toString(),
                 QStringLiteral("Enterprise"));
        QVERIFY(overview.value(QStringLiteral("trialEndsAt")).toDateTime().isValid());
        QVERIFY(overview.value(QStringLiteral("placement"))
                    .toString()
                    .startsWith(QStringLiteral("t_")));
        QVERIFY(details.version() >= 1);

        // Configuration: every key, the platform defaults since the tenant sets none.
        QCOMPARE(details.configuration().size(), 9);
        for (const QVariant &entry : details.configuration())
            QVERIFY(!entry.toMap().value(QStringLiteral("overridden")).toBool());
        // Limits: the plan's; features: the plan's flags.
        const QVariantMap seats = details.limits().front().toMap();
        QCOMPARE(seats.value(QStringLiteral("key")).toString(), QStringLiteral("seats"));
        QCOMPARE(seats.value(QStringLiteral("effective")).toLongLong(), 100000);
        QVERIFY(!seats.value(QStringLiteral("overridden")).toBool());
        QCOMPARE(details.features().size(), 6);
        // Usage against the limits, as TenantQuota measured it: six coachees and their coach,
        // rows and stored bytes per table.
        QVERIFY2(details.usageError().isEmpty(), qPrintable(details.usageError()));
        QCOMPARE(details.usage().size(), tenancy::tenantTables().size());
        const QVariantMap users = details.usage().front().toMap();
        QCOMPARE(users.value(QStringLiteral("table")).toString(), QStringLiteral("users"));
        QCOMPARE(users.value(QStringLiteral("rows")).toInt(), 7);
        QVERIFY(users.value(QStringLiteral("bytes")).toDouble() > 0);
        QVERIFY(!users.value(QStringLiteral("bytesText")).toString().isEmpty());
        double tableBytes = 0;
        double tableRows = 0;
        for (const QVariant &entry : details.usage()) {
            tableBytes += entry.toMap().value(QStringLiteral("bytes")).toDouble();
            tableRows += entry.toMap().value(QStringLiteral("rows")).toDouble();
        }
        QCOMPARE(details.seatsUsed(), 7.0);
        QCOMPARE(details.seatLimit(), 100000.0);
        QVERIFY(details.storageUsed() > 0);
        QCOMPARE(details.storageUsed(), tableBytes);
        QCOMPARE(details.usageRows(), tableRows);
        QVERIFY(details.storageLimit() > details.storageUsed());
        QVERIFY(details.storageShare() > 0 && details.storageShare() < 1);
        QCOMPARE(details.seatShare(), 7.0 / 100000.0);
        QVERIFY2(details.storageUsedText().contains(QStringLiteral("B")),
                 qPrintable(details.storageUsedText()));
        QVERIFY(details.usageMeasuredAt().isValid());
        // Data keys: version 1 encrypts the three PHI notes; the default policy is 90 days.
        QVERIFY2(details.encryptionError().isEmpty(), qPrintable(details.encryptionError()));
        QCOMPARE(details.currentKeyVersion(), 1);
        QCOMPARE(details.keyVersions().size(), 1);
        const QVariantMap key = details.keyVersions().front().toMap();
        QVERIFY(key.value(QStringLiteral("current")).toBool());
        QCOMPARE(key.value(QStringLiteral("values")).toInt(), 3);
        QVERIFY(!key.value(QStringLiteral("kekId")).toString().isEmpty());
        QCOMPARE(details.encryptedValues(), 3.0);
        QCOMPARE(details.pendingReencryption(), 0.0);
        QCOMPARE(details.currentKeyCreatedAt().daysTo(details.nextRotationDue()), 90);
        // No impersonations yet.
        QVERIFY(details.impersonationsError().isEmpty());
        QCOMPARE(details.openImpersonations(), 0);
        // History: the tenant's audit events, newest first.
        QVERIFY(details.historyError().isEmpty());
        QStringList actions;
        double previous = std::numeric_limits<double>::max();
        for (const QVariant &entry : details.history()) {
            const QVariantMap event = entry.toMap();
            actions << event.value(QStringLiteral("action")).toString();
            QVERIFY(event.value(QStringLiteral("sequence")).toDouble() < previous);
            previous = event.value(QStringLiteral("sequence")).toDouble();
        }
        QVERIFY2(actions.contains(QStringLiteral("tenant.create")), qPrintable(actions.join(u',')));
        QCOMPARE(actions.back(), QStringLiteral("tenant.create"));

        details.load(QStringLiteral("no-such-tenant"));
        QVERIFY(QTest::qWaitFor([&] { return !details.loading(); }, kWait));
        QVERIFY(!details.hasTenant());
        QVERIFY(details.error().contains(QStringLiteral("no-such-tenant")));

        details.load(QString());
        QVERIFY(!details.loading() && !details.hasTenant() && details.error().isEmpty());
    }

    void suspendRoundTripRefreshesThePage()
    {
        TenantWorkspace workspace(nullptr);
        QAbstractItemModelTester tester(workspace.tenants(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        workspace.setBackend(m_backend);
        QVERIFY(QTest::qWaitFor([&] { return !workspace.loading(); }, kWait));
        TenantListModel &model = *workspace.tenants();
        const QString slug = QStringLiteral("zeta-coaching");
        model.setSearchText(QStringLiteral("zeta"));
        model.refresh(); // at once, no debounce
        QVERIFY(QTest::qWaitFor([&] { return !model.loading() && model.count() == 1; }, kWait));
        model.setCurrentSlug(slug);
        QVERIFY(QTest::qWaitFor([&] { return !workspace.loading(); }, kWait));
        QCOMPARE(workspace.details()->slug(), slug);
        QCOMPARE(workspace.details()->state(), QStringLiteral("active"));
        const double version = workspace.details()->version();

        QCOMPARE(workspace.actions()->actionsFor(QStringLiteral("active")),
                 (QStringList{QStringLiteral("suspend"), QStringLiteral("cancel")}));
        QCOMPARE(workspace.actions()->actionsFor(QStringLiteral("canceled")),
                 QStringList{QStringLiteral("reactivate")});
        QVERIFY(!workspace.actions()->transition(slug, QStringLiteral("expire-trial"), version));

        // A stale version is refused and nothing changes.
        QSignalSpy finished(workspace.actions(), &TenantActions::finished);
        QVERIFY(workspace.actions()->transition(slug, QStringLiteral("suspend"), version + 7));
        QVERIFY(finished.wait(kWait));
        QCOMPARE(finished.last().at(1).toBool(), false);
        QVERIFY2(workspace.actions()->lastError().contains(QStringLiteral("changed since")),
                 qPrintable(workspace.actions()->lastError()));

        // The real one: the row changes in place (no reset), the pane and its history follow.
        const int row = model.rowOf(slug);
        QVERIFY(row >= 0);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(workspace.actions()->transition(slug, QStringLiteral("suspend"), version));
        QVERIFY(workspace.actions()->busy());
        QVERIFY(!workspace.actions()->transition(slug, QStringLiteral("cancel"),
                                                 version)); // one at a time
        QVERIFY(finished.wait(kWait));
        QCOMPARE(finished.last().at(1).toBool(), true);
        QCOMPARE(finished.last().at(2).toStringList(), QStringList{slug});
        QVERIFY(QTest::qWaitFor(
            [&] {
                return model.data(model.index(row), TenantListModel::StateRole).toString() ==
                           QStringLiteral("suspended") &&
                       workspace.details()->state() == QStringLiteral("suspended") &&
                       !workspace.loading();
            },
            kWait));
        QCOMPARE(resets.count(), 0);
        QVERIFY(changed.count() > 0);
        QCOMPARE(model.stateCounts().value(QStringLiteral("suspended")).toInt(), 2);
        QVERIFY(workspace.details()->version() > version);
        const QVariantMap newest = workspace.details()->history().front().toMap();
        QCOMPARE(newest.value(QStringLiteral("action")).toString(),
                 QStringLiteral("tenant.suspend"));
        QCOMPARE(newest.value(QStringLiteral("actor")).toString(), QStringLiteral("user:ops-test"));

        // And back.
        QVERIFY(workspace.actions()->transition(slug, QStringLiteral("activate"),
                                                workspace.details()->version()));
        QVERIFY(finished.wait(kWait));
        QCOMPARE(finished.last().at(1).toBool(), true);
        QVERIFY(QTest::qWaitFor(
            [&] { return workspace.details()->state() == QStringLiteral("active"); }, kWait));
    }

    void bulkSuspendSkipsWhatItCannotChange()
    {
        TenantWorkspace workspace(nullptr);
        QAbstractItemModelTester tester(workspace.tenants(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        workspace.setBackend(m_backend);
        TenantListModel &model = *workspace.tenants();
        model.setSearchText(QStringLiteral("bulk-001"));
        model.refresh(); // at once, no debounce
        QVERIFY(QTest::qWaitFor([&] { return !model.loading(); }, kWait));
        QCOMPARE(model.count(), 10); // bulk-0010 .. bulk-0019
        model.setAllChecked(true);
        QCOMPARE(model.checkedCount(), 10);
        model.setChecked(0, false);
        QCOMPARE(model.checkedCount(), 9);
        QVERIFY(model.setData(model.index(0), true, TenantListModel::CheckedRole));
        QCOMPARE(model.checkedCount(), 10);

        // Suspend three of them first so that the bulk action has something to skip.
        model.clearChecked();
        for (int row : {0, 1, 2})
            model.setChecked(row, true);
        QSignalSpy finished(workspace.actions(), &TenantActions::finished);
        QVERIFY(
            workspace.actions()->transitionMany(QStringLiteral("suspend"), model.checkedTenants()));
        QVERIFY(finished.wait(kWait));
        QCOMPARE(finished.last().at(2).toStringList().size(), 3);
        QVERIFY(QTest::qWaitFor(
            [&] {
                return model.data(model.index(2), TenantListModel::StateRole) ==
                       QStringLiteral("suspended");
            },
            kWait));
        QCOMPARE(model.checkedCount(), 3); // still listed, still checked

        model.setAllChecked(true);
        QVERIFY(
            workspace.actions()->transitionMany(QStringLiteral("suspend"), model.checkedTenants()));
        QVERIFY(finished.wait(kWait));
        QCOMPARE(finished.last().at(1).toBool(), true);
        QCOMPARE(finished.last().at(2).toStringList().size(), 7);
        QCOMPARE(finished.last().at(4).toInt(), 3); // skipped: already suspended
        QVERIFY(QTest::qWaitFor(
            [&] {
                const QStringList states = column(model, TenantListModel::StateRole);
                return states.count(QStringLiteral("suspended")) == 10;
            },
            kWait));

        // Bulk activate brings every one of them back.
        QVERIFY(workspace.actions()->transitionMany(QStringLiteral("activate"),
                                                    model.checkedTenants()));
        QVERIFY(finished.wait(kWait));
        QCOMPARE(finished.last().at(2).toStringList().size(), 10);
        QVERIFY(QTest::qWaitFor(
            [&] {
                const QStringList states = column(model, TenantListModel::StateRole);
                return states.count(QStringLiteral("active")) == 10;
            },
            kWait));
    }

    void settingsEditorNamesTheField()
    {
        TenantWorkspace workspace(nullptr);
        workspace.setBackend(m_backend);
        const QString slug = QStringLiteral("beta-bank");
        workspace.tenants()->setCurrentSlug(slug);
        QVERIFY(QTest::qWaitFor(
            [&] {
                return !workspace.loading() && workspace.details()->slug() == slug &&
                       workspace.details()->hasTenant();
            },
            kWait));
        TenantActions &actions = *workspace.actions();
        QSignalSpy finished(&actions, &TenantActions::finished);
        const double version = workspace.details()->version();

        // Text that is no number: refused on the spot, next to its field.
        QVERIFY(actions.saveSettings(slug, version, {},
                                     {{QStringLiteral("seats"), QStringLiteral("lots")}}, {}));
        QCOMPARE(finished.count(), 1);
        QVERIFY(actions.fieldErrors().contains(QStringLiteral("limits.seats")));

        // A value the registry refuses: its error, beside its field.
        QVERIFY(actions.saveSettings(
            slug, version, {{QStringLiteral("timezone"), QStringLiteral("Mars/Olympus")}}, {}, {}));
        QVERIFY(finished.wait(kWait));
        QCOMPARE(finished.last().at(1).toBool(), false);
        QVERIFY2(actions.fieldErrors().contains(QStringLiteral("config.timezone")),
                 qPrintable(actions.lastError()));
        QVERIFY(actions.fieldErrors()
                    .value(QStringLiteral("config.timezone"))
                    .toString()
                    .contains(QStringLiteral("IANA")));

        // Valid: saved, and the pane shows the overrides against the plan.
        QVERIFY(actions.saveSettings(slug, version,
                                     {{QStringLiteral("timezone"), QStringLiteral("Europe/Berlin")},
                                      {QStringLiteral("mfaRequired"), QStringLiteral("true")}},
                                     {{QStringLiteral("seats"), QStringLiteral("500")}},
                                     {{QStringLiteral("aiCoachAssist"), QStringLiteral("off")}}));
        QVERIFY(finished.wait(kWait));
        QVERIFY2(finished.last().at(1).toBool(), qPrintable(actions.lastError()));
        QVERIFY(actions.fieldErrors().isEmpty());
        QVERIFY(QTest::qWaitFor(
            [&] { return workspace.details()->version() > version && !workspace.loading(); },
            kWait));
        QVariantMap zone;
        for (const QVariant &entry : workspace.details()->configuration()) {
            if (entry.toMap().value(QStringLiteral("key")) == QStringLiteral("timezone"))
                zone = entry.toMap();
        }
        QVERIFY(zone.value(QStringLiteral("overridden")).toBool());
        QCOMPARE(zone.value(QStringLiteral("valueText")).toString(),
                 QStringLiteral("Europe/Berlin"));
        const QVariantMap seats = workspace.details()->limits().front().toMap();
        QVERIFY(seats.value(QStringLiteral("overridden")).toBool());
        QCOMPARE(seats.value(QStringLiteral("effective")).toInt(), 500);
        QCOMPARE(seats.value(QStringLiteral("planValue")).toInt(), 100000);
        QCOMPARE(seats.value(QStringLiteral("overrideText")).toString(), QStringLiteral("500"));

        // The version the operator opened is stale now.
        QVERIFY(actions.saveSettings(slug, version, {}, {}, {}));
        QVERIFY(finished.wait(kWait));
        QCOMPARE(finished.last().at(1).toBool(), false);
        QVERIFY(actions.lastError().contains(QStringLiteral("changed since")));
    }

    void wizardValidatesEachStepAndCreates()
    {
        TenantWorkspace workspace(nullptr);
        workspace.setBackend(m_backend);
        QVERIFY(QTest::qWaitFor([&] { return !workspace.loading(); }, kWait));
        TenantWizard &wizard = *workspace.wizard();
        wizard.reset(QStringLiteral("growth"));
        QCOMPARE(wizard.step(), int(TenantWizard::IdentityStep));
        QCOMPARE(wizard.homeRegion(), f->region(0));
        QCOMPARE(wizard.allowedRegions(), QStringList{f->region(0)});

        // Identity: an empty name and slug, named; then the slug follows the name.
        QVERIFY(!wizard.next());
        QVERIFY(wizard.fieldErrors().contains(QStringLiteral("name")));
        QVERIFY(wizard.fieldErrors().contains(QStringLiteral("slug")));
        wizard.setName(QStringLiteral("Acme Health"));
        QCOMPARE(wizard.slug(), QStringLiteral("acme-health"));
        QVERIFY(!wizard.fieldErrors().contains(QStringLiteral("name")));
        // Taken: the registry says so before the operator moves on.
        QVERIFY(wizard.next());
        QVERIFY(QTest::qWaitFor([&] { return !wizard.busy(); }, kWait));
        QCOMPARE(wizard.step(), int(TenantWizard::IdentityStep));
        QVERIFY2(wizard.fieldErrors()
                     .value(QStringLiteral("slug"))
                     .toString()
                     .contains(QStringLiteral("already exists")),
                 qPrintable(wizard.fieldErrors().value(QStringLiteral("slug")).toString()));
        wizard.setSlug(QStringLiteral("Bad Slug!"));
        QVERIFY(wizard.slugEdited());
        QVERIFY(!wizard.next());
        QVERIFY(wizard.fieldErrors()
                    .value(QStringLiteral("slug"))
                    .toString()
                    .contains(QStringLiteral("a-z")));
        wizard.setSlug(QStringLiteral("omega-wellness"));
        wizard.setName(QStringLiteral("Omega Wellness GmbH"));
        QCOMPARE(wizard.slug(), QStringLiteral("omega-wellness")); // edited: no longer follows
        QVERIFY(wizard.next());
        QVERIFY(QTest::qWaitFor([&] { return wizard.step() == TenantWizard::PlanStep; }, kWait));

        // Plan, placement, owner.
        wizard.setPlan(QString());
        QVERIFY(!wizard.next());
        QVERIFY(wizard.fieldErrors().contains(QStringLiteral("plan")));
        wizard.setPlan(QStringLiteral("enterprise"));
        QVERIFY(wizard.next());
        QCOMPARE(wizard.step(), int(TenantWizard::PlacementStep));
        wizard.setHomeRegion(f->region(1));
        QCOMPARE(wizard.allowedRegions(), QStringList{f->region(1)});
        wizard.toggleAllowedRegion(f->region(1), false); // the home region stays allowed
        QCOMPARE(wizard.allowedRegions(), QStringList{f->region(1)});
        wizard.setIsolation(QStringLiteral("schema"));
        QVERIFY(wizard.next());
        QCOMPARE(wizard.step(), int(TenantWizard::OwnerStep));
        wizard.setOwnerEmail(QStringLiteral("not an address"));
        QVERIFY(!wizard.next());
        QVERIFY(wizard.fieldErrors()
                    .value(QStringLiteral("ownerEmail"))
                    .toString()
                    .contains(QStringLiteral("email")));
        wizard.setOwnerEmail(QStringLiteral("it@omega.example"));
        QVERIFY(wizard.next());
        QCOMPARE(wizard.step(), int(TenantWizard::ReviewStep));

        // A registry error names its field and takes the wizard back to it: a region that does
        // not exist passes the local checks (they only know the configured home region).
        wizard.toggleAllowedRegion(QStringLiteral("xx-nowhere-1"), true);
        QSignalSpy created(&wizard, &TenantWizard::created);
        QVERIFY(wizard.submit());
        QVERIFY(QTest::qWaitFor([&] { return !wizard.busy(); }, kWait));
        QCOMPARE(created.count(), 0);
        QCOMPARE(wizard.step(), int(TenantWizard::PlacementStep));
        QVERIFY2(
            wizard.fieldErrors()
                .value(QStringLiteral("allowedRegions"))
                .toString()
                .contains(QStringLiteral("xx-nowhere-1")),
            qPrintable(wizard.fieldErrors().value(QStringLiteral("allowedRegions")).toString()));

        // Fixed: created, provisioned, listed and shown.
        wizard.toggleAllowedRegion(QStringLiteral("xx-nowhere-1"), false);
        wizard.toggleAllowedRegion(f->region(0), true);
        QCOMPARE(wizard.allowedRegions(), (QStringList{f->region(1), f->region(0)}));
        QVERIFY(wizard.submit());
        QVERIFY(created.wait(kWait));
        QCOMPARE(created.last().at(0).toString(), QStringLiteral("omega-wellness"));
        QVERIFY(QTest::qWaitFor(
            [&] {
                return workspace.details()->slug() == QStringLiteral("omega-wellness") &&
                       workspace.details()->hasTenant() && !workspace.loading();
            },
            kWait));
        QCOMPARE(workspace.details()->overview().value(QStringLiteral("isolation")).toString(),
                 QStringLiteral("schema"));
        QCOMPARE(workspace.details()->overview().value(QStringLiteral("provisioning")).toString(),
                 QStringLiteral("ready"));
        QCOMPARE(workspace.details()->state(), QStringLiteral("trial"));
        QCOMPARE(workspace.tenants()->allCount(), kBulkTenants + m_named.size() + 1);
        const auto tenant =
            onWorker([this] { return f->registry().get(QStringLiteral("omega-wellness")); });
        QVERIFY2(tenant, testing::why(tenant).constData());
        QCOMPARE(tenant->ownerEmail, QStringLiteral("it@omega.example"));
        QCOMPARE(tenant->allowedRegions, (QStringList{f->region(1), f->region(0)}));
    }

    void userPickerPagesAndSearches()
    {
        TenantUserListModel users(nullptr);
        QAbstractItemModelTester tester(&users,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        users.setTenantSlug(QStringLiteral("beta-bank")); // before the backend: waits
        QVERIFY(users.loading());
        users.setBackend(m_backend);
        QVERIFY(QTest::qWaitFor([&] { return !users.loading(); }, kWait));
        QVERIFY2(users.error().isEmpty(), qPrintable(users.error()));
        QCOMPARE(users.total(), 121);
        QCOMPARE(users.count(), TenantUserListModel::pageSize);

        // Paged in on demand, appended, never reset.
        QSignalSpy resets(&users, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&users, &QAbstractItemModel::rowsInserted);
        while (users.canFetchMore({})) {
            const int before = users.count();
            users.fetchMore({});
            users.fetchMore({}); // asking again meanwhile is harmless
            QVERIFY(QTest::qWaitFor([&] { return !users.fetching(); }, kWait));
            QVERIFY(users.count() > before);
        }
        QCOMPARE(users.count(), 121);
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(resets.count(), 0);
        QSet<QString> ids;
        for (int row = 0; row < users.count(); ++row) {
            const QModelIndex index = users.index(row);
            ids.insert(index.data(TenantUserListModel::UserIdRole).toString());
            QCOMPARE(index.data(TenantUserListModel::SubjectRole).toString(),
                     QStringLiteral("user:") +
                         index.data(TenantUserListModel::EmailRole).toString());
        }
        QCOMPARE(ids.size(), 121);

        // The search waits for a pause in typing, then resets once.
        QSignalSpy finished(&users, &TenantUserListModel::queryFinished);
        users.setSearchText(QStringLiteral("coach@"));
        QVERIFY(!users.loading()); // not before the debounce
        QVERIFY(QTest::qWaitFor([&] { return finished.count() > 0 && !users.loading(); }, kWait));
        QCOMPARE(users.count(), 1);
        QCOMPARE(users.total(), 1);
        QCOMPARE(users.index(0).data(TenantUserListModel::UserRoleRole).toString(),
                 QStringLiteral("coach"));

        // One user is chosen; the choice is a role and a signal.
        QSignalSpy chosen(&users, &TenantUserListModel::userChosen);
        QVERIFY(users.choose(0));
        QVERIFY(!users.choose(5));
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.last().at(0).toMap().value(QStringLiteral("email")).toString(),
                 QStringLiteral("coach@beta-bank.example"));
        QVERIFY(users.index(0).data(TenantUserListModel::ChosenRole).toBool());

        // Another tenant: emptied at once, its own users follow, the choice goes.
        users.setTenantSlug(QStringLiteral("acme-health"));
        QCOMPARE(users.count(), 0);
        QVERIFY(users.chosenId().isEmpty());
        users.setSearchText(QString());
        users.refresh();
        QVERIFY(QTest::qWaitFor([&] { return !users.loading(); }, kWait));
        QCOMPARE(users.total(), 7);

        // A tenant that does not exist says so.
        users.setTenantSlug(QStringLiteral("no-such-tenant"));
        QVERIFY(QTest::qWaitFor([&] { return !users.loading(); }, kWait));
        QVERIFY(users.error().contains(QStringLiteral("no-such-tenant")));
        QVERIFY(!users.canFetchMore({}));
    }

    void impersonationNamesEveryField()
    {
        TenantImpersonation impersonation(nullptr);
        QVERIFY(!impersonation.ready());
        QVERIFY(!impersonation.start());
        impersonation.setBackend(m_backend);
        QVERIFY(impersonation.ready());
        impersonation.prepare(QStringLiteral("acme-health"), QStringLiteral("Acme Health"));
        QVERIFY(QTest::qWaitFor([&] { return !impersonation.users()->loading(); }, kWait));
        QCOMPARE(impersonation.durationMinutes(), 30);
        QCOMPARE(impersonation.durationChoices().size(), 5);
        QCOMPARE(
            impersonation.durationChoices().at(2).toMap().value(QStringLiteral("unit")).toString(),
            QStringLiteral("h"));

        // Nothing filled in: every field is named at once, nothing is started.
        QVERIFY(!impersonation.start());
        QVERIFY(!impersonation.busy());
        QCOMPARE(impersonation.fieldErrors().keys(),
                 (QStringList{QStringLiteral("reason"), QStringLiteral("subject"),
                              QStringLiteral("ticket")}));

        // The words are the service's own: what it answers for the same input.
        const QString reasonWords =
            impersonation.fieldErrors().value(QStringLiteral("reason")).toString();
        const QString ticketWords =
            impersonation.fieldErrors().value(QStringLiteral("ticket")).toString();
        tenancy::ImpersonationRequest request;
        request.tenantSlug = QStringLiteral("acme-health");
        request.subject = QStringLiteral("user:coach@acme-health.example");
        request.reason = QStringLiteral("too short");
        request.ticket = QStringLiteral("SUP-1");
        const auto refusedReason = onWorker([&] {
            return m_console->impersonations().start(request, testing::TenancyFixture::actor());
        });
        QVERIFY(!refusedReason);
        QCOMPARE(splitFieldMessage(refusedReason.error().message).field, QStringLiteral("reason"));
        QCOMPARE(splitFieldMessage(refusedReason.error().message).message, reasonWords);
        request.reason = QStringLiteral("Customer reports a missing goal (SUP-1).");
        request.ticket = QStringLiteral("no ticket");
        const auto refusedTicket = onWorker([&] {
            return m_console->impersonations().start(request, testing::TenancyFixture::actor());
        });
        QVERIFY(!refusedTicket);
        QCOMPARE(splitFieldMessage(refusedTicket.error().message).field, QStringLiteral("ticket"));
        QCOMPARE(splitFieldMessage(refusedTicket.error().message).message, ticketWords);

        // Typing into a field clears its error; the counter counts what the service counts.
        impersonation.setReason(QStringLiteral("  short  "));
        QVERIFY(!impersonation.fieldErrors().contains(QStringLiteral("reason")));
        QCOMPARE(impersonation.reasonLength(), 5);
        QVERIFY(!impersonation.validate());
        QVERIFY(impersonation.fieldErrors().contains(QStringLiteral("reason")));
        impersonation.setReason(QString(1001, QLatin1Char('x')));
        QVERIFY(!impersonation.validate());
        QVERIFY(impersonation.fieldErrors().contains(QStringLiteral("reason")));
        impersonation.setReason(QStringLiteral("Customer cannot see their goals (SUP-1234)."));
        impersonation.setTicket(QStringLiteral("SUP 1234"));
        impersonation.setDurationMinutes(300);
        QVERIFY(impersonation.chooseUser(0));
        QVERIFY(!impersonation.validate());
        QCOMPARE(impersonation.fieldErrors().keys(),
                 (QStringList{QStringLiteral("duration"), QStringLiteral("ticket")}));
        impersonation.setTicket(QStringLiteral("SUP-1234"));
        impersonation.setDurationMinutes(15);
        QVERIFY(impersonation.validate());

        // What the service refuses for reasons of its own lands in `error` (no form field): an
        // operator who is the user they would act as.
        TenantImpersonation self(nullptr);
        TenantBackend asCoach = m_backend;
        asCoach.actor = QStringLiteral("user:coach@acme-health.example");
        self.setBackend(asCoach);
        self.prepare(QStringLiteral("acme-health"), QStringLiteral("Acme Health"));
        QVERIFY(QTest::qWaitFor([&] { return !self.users()->loading(); }, kWait));
        int coachRow = -1;
        for (int row = 0; row < self.users()->count(); ++row) {
            if (self.users()->get(row).value(QStringLiteral("userRole")) == QStringLiteral("coach"))
                coachRow = row;
        }
        QVERIFY(self.chooseUser(coachRow));
        self.setReason(QStringLiteral("Checking what the coach sees (SUP-77)."));
        self.setTicket(QStringLiteral("SUP-77"));
        QVERIFY(self.start());
        QVERIFY(QTest::qWaitFor([&] { return !self.busy(); }, kWait));
        QVERIFY(!self.active());
        QVERIFY2(self.error().startsWith(QStringLiteral("operator:")), qPrintable(self.error()));
        QVERIFY(self.fieldErrors().isEmpty());
    }

    void impersonationStartsShowsTheUsersViewAndEnds()
    {
        TenantWorkspace workspace(nullptr);
        workspace.setBackend(m_backend);
        const QString slug = QStringLiteral("acme-health");
        workspace.tenants()->setCurrentSlug(slug);
        QVERIFY(QTest::qWaitFor(
            [&] {
                return !workspace.loading() && workspace.details()->slug() == slug &&
                       workspace.details()->hasTenant();
            },
            kWait));
        TenantImpersonation &impersonation = *workspace.impersonation();
        QAbstractItemModelTester tester(impersonation.users(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        impersonation.prepare(slug, QStringLiteral("Acme Health"));
        QVERIFY(QTest::qWaitFor([&] { return !impersonation.users()->loading(); }, kWait));
        QCOMPARE(impersonation.users()->count(), 7);
        int coachee = -1;
        for (int row = 0; row < impersonation.users()->count() && coachee < 0; ++row) {
            if (impersonation.users()->get(row).value(QStringLiteral("userRole")) ==
                QStringLiteral("coachee"))
                coachee = row;
        }
        QVERIFY(impersonation.chooseUser(coachee));
        const QString name = impersonation.subjectName();
        const QString userId = impersonation.users()->chosenId();
        QVERIFY(!userId.isEmpty());
        QVERIFY(impersonation.subject().startsWith(QStringLiteral("user:")));
        impersonation.setReason(QStringLiteral("Coachee reports that a goal disappeared."));
        impersonation.setTicket(QStringLiteral("SUP-1234"));
        impersonation.setDurationMinutes(15);

        QSignalSpy started(&impersonation, &TenantImpersonation::started);
        QVERIFY(impersonation.start());
        QVERIFY(impersonation.busy());
        QVERIFY(started.wait(kWait));
        QVERIFY2(impersonation.error().isEmpty(), qPrintable(impersonation.error()));
        QVERIFY(impersonation.active());
        QCOMPARE(impersonation.activeTenantSlug(), slug);
        QCOMPARE(impersonation.activeName(), name);
        QCOMPARE(impersonation.activeTicket(), QStringLiteral("SUP-1234"));
        QCOMPARE(impersonation.operatorActor(), QStringLiteral("user:ops-test"));
        QCOMPARE(impersonation.durationSeconds(), 15 * 60);
        // The clock stands still in this test: the whole span is left.
        QCOMPARE(impersonation.remainingSeconds(), 15 * 60);
        QCOMPARE(impersonation.remainingText(), QStringLiteral("15:00"));
        QCOMPARE(TenantImpersonation::clockText(2 * 3600 + 59), QStringLiteral("2:00:59"));
        QVERIFY(!impersonation.start()); // one at a time

        // What the user sees, read under the impersonation.
        QVERIFY(QTest::qWaitFor(
            [&] {
                return !impersonation.overviewLoading() &&
                       impersonation.overviewLoadedAt().isValid();
            },
            kWait));
        QVERIFY2(impersonation.overviewError().isEmpty(),
                 qPrintable(impersonation.overviewError()));
        QCOMPARE(impersonation.goals().size(), 1);
        const QVariantMap goal = impersonation.goals().front().toMap();
        QVERIFY(!goal.value(QStringLiteral("title")).toString().isEmpty());
        QVERIFY(goal.value(QStringLiteral("progress")).toInt() >= 0);
        QVERIFY(goal.value(QStringLiteral("targetDate")).toDateTime().isValid());
        QCOMPARE(impersonation.habits().size(), 1);
        QVERIFY(impersonation.habits().front().toMap().value(QStringLiteral("checkins")).toInt() >
                0);
        QCOMPARE(impersonation.sessions().size(), 2);
        const QVariantMap session = impersonation.sessions().front().toMap();
        QCOMPARE(session.value(QStringLiteral("as")).toString(), QStringLiteral("coachee"));
        QVERIFY(session.value(QStringLiteral("scheduledAt")).toDateTime().isValid());
        QCOMPARE(session.value(QStringLiteral("durationMinutes")).toInt(), 45);

        // The pane lists it, open, first.
        QVERIFY(QTest::qWaitFor(
            [&] { return !workspace.loading() && workspace.details()->openImpersonations() == 1; },
            kWait));
        QVariantMap listed = workspace.details()->impersonations().front().toMap();
        QCOMPARE(listed.value(QStringLiteral("status")).toString(), QStringLiteral("open"));
        QCOMPARE(listed.value(QStringLiteral("ticket")).toString(), QStringLiteral("SUP-1234"));
        QCOMPARE(listed.value(QStringLiteral("operator")).toString(),
                 QStringLiteral("user:ops-test"));
        QCOMPARE(listed.value(QStringLiteral("id")).toString(), impersonation.impersonationId());

        // Ended by the operator: recorded, listed as ended.
        QSignalSpy ended(&impersonation, &TenantImpersonation::ended);
        QVERIFY(impersonation.end());
        QVERIFY(ended.wait(kWait));
        QCOMPARE(ended.last().at(0).toString(), slug);
        QCOMPARE(ended.last().at(1).toString(), QStringLiteral("ended"));
        QVERIFY(!impersonation.active());
        QCOMPARE(impersonation.remainingSeconds(), -1);
        QVERIFY(impersonation.goals().isEmpty());
        QVERIFY(!impersonation.end());
        QVERIFY(QTest::qWaitFor(
            [&] {
                return !workspace.loading() && workspace.details()->openImpersonations() == 0 &&
                       !workspace.details()->impersonations().isEmpty();
            },
            kWait));
        listed = workspace.details()->impersonations().front().toMap();
        QCOMPARE(listed.value(QStringLiteral("status")).toString(), QStringLiteral("ended"));
        QCOMPARE(listed.value(QStringLiteral("endedBy")).toString(),
                 QStringLiteral("user:ops-test"));
        QStringList actions;
        for (const QVariant &entry : workspace.details()->history())
            actions << entry.toMap().value(QStringLiteral("action")).toString();
        for (const char *action : {"tenant.impersonation.start", "tenant.impersonation.view",
                                   "tenant.impersonation.end"})
            QVERIFY2(actions.contains(QLatin1String(action)), action);
        for (const QVariant &entry : workspace.details()->history()) {
            const QVariantMap event = entry.toMap();
            if (event.value(QStringLiteral("action")) ==
                QStringLiteral("tenant.impersonation.view")) {
                QCOMPARE(event.value(QStringLiteral("impersonator")).toString(),
                         QStringLiteral("user:ops-test"));
                // The subject by their id: no email in the audit log.
                QCOMPARE(event.value(QStringLiteral("actor")).toString(),
                         QStringLiteral("user:") + userId);
            }
        }
    }

    void impersonationExpiresByItself()
    {
        TenantWorkspace workspace(nullptr);
        workspace.setBackend(m_backend);
        const QString slug = QStringLiteral("acme-health");
        workspace.tenants()->setCurrentSlug(slug);
        QVERIFY(QTest::qWaitFor(
            [&] { return !workspace.loading() && workspace.details()->slug() == slug; }, kWait));
        TenantImpersonation &impersonation = *workspace.impersonation();
        // Later than the impersonations before, so that it is listed first once it has expired.
        m_console->clock().advance(std::chrono::minutes(1));
        impersonation.prepare(slug, QStringLiteral("Acme Health"));
        QVERIFY(QTest::qWaitFor([&] { return !impersonation.users()->loading(); }, kWait));
        QVERIFY(impersonation.chooseUser(1));
        impersonation.setReason(QStringLiteral("Checking reminders for the coachee."));
        impersonation.setTicket(QStringLiteral("SUP-2001"));
        impersonation.setDurationMinutes(15);
        QSignalSpy started(&impersonation, &TenantImpersonation::started);
        QVERIFY(impersonation.start());
        QVERIFY(started.wait(kWait));
        QVERIFY(QTest::qWaitFor([&] { return !impersonation.overviewLoading(); }, kWait));

        // Ten minutes on: the countdown follows the clock.
        m_console->clock().advance(std::chrono::minutes(10));
        QVERIFY(QTest::qWaitFor([&] { return impersonation.remainingSeconds() == 5 * 60; },
                                TenantImpersonation::tickMs * 3));
        QCOMPARE(impersonation.remainingText(), QStringLiteral("05:00"));
        QVERIFY(qAbs(impersonation.remainingShare() - 1.0 / 3.0) < 0.01);

        // Past its end: it ends here by itself, and the pane says it expired.
        QSignalSpy ended(&impersonation, &TenantImpersonation::ended);
        m_console->clock().advance(std::chrono::minutes(6));
        QVERIFY(ended.wait(TenantImpersonation::tickMs * 3));
        QCOMPARE(ended.last().at(1).toString(), QStringLiteral("expired"));
        QVERIFY(!impersonation.active());
        QVERIFY(!impersonation.end());
        QVERIFY(QTest::qWaitFor(
            [&] {
                return !workspace.loading() &&
                       workspace.details()->impersonations().front().toMap().value(
                           QStringLiteral("status")) == QStringLiteral("expired");
            },
            kWait));
        QCOMPARE(workspace.details()->openImpersonations(), 0);
        // The service agrees: nothing can be done under it any more.
        const QString id = workspace.details()
                               ->impersonations()
                               .front()
                               .toMap()
                               .value(QStringLiteral("id"))
                               .toString();
        const auto refused = onWorker([&] {
            return m_console->impersonations().overview(
                QUuid::fromString(id),
                tenancy::ActorContext{QStringLiteral("user:ops-test"), {}, {}, {}});
        });
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Forbidden);
    }

    void rotatingTheDataKeyIncrementsTheVersion()
    {
        TenantWorkspace workspace(nullptr);
        QAbstractItemModelTester tester(workspace.tenants(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        workspace.setBackend(m_backend);
        const QString slug = QStringLiteral("acme-health");
        workspace.tenants()->setCurrentSlug(slug);
        QVERIFY(QTest::qWaitFor(
            [&] {
                return !workspace.loading() && workspace.details()->slug() == slug &&
                       workspace.details()->hasTenant();
            },
            kWait));
        TenantDetails &details = *workspace.details();
        const int before = details.currentKeyVersion();
        QVERIFY(before >= 1);
        QCOMPARE(details.encryptedValues(), 3.0);
        QVERIFY(
            workspace.actions()->allows(QStringLiteral("suspended"), QStringLiteral("rotate-key")));
        QVERIFY(
            !workspace.actions()->allows(QStringLiteral("deleted"), QStringLiteral("rotate-key")));

        QSignalSpy finished(workspace.actions(), &TenantActions::finished);
        QSignalSpy resets(workspace.tenants(), &QAbstractItemModel::modelReset);
        QVERIFY(workspace.actions()->rotateDataKey(slug));
        QVERIFY(!workspace.actions()->rotateDataKey(slug)); // one at a time
        QVERIFY(finished.wait(kWait));
        QCOMPARE(finished.last().at(0).toString(), QStringLiteral("rotate-key"));
        QVERIFY2(finished.last().at(1).toBool(), qPrintable(workspace.actions()->lastError()));
        QCOMPARE(workspace.actions()->lastAction(), QStringLiteral("rotate-key"));
        QVERIFY(QTest::qWaitFor(
            [&] { return !workspace.loading() && details.currentKeyVersion() == before + 1; },
            kWait));
        QCOMPARE(details.keyVersions().size(), before + 1);
        const QVariantMap newest = details.keyVersions().front().toMap();
        QCOMPARE(newest.value(QStringLiteral("version")).toInt(), before + 1);
        QVERIFY(newest.value(QStringLiteral("current")).toBool());
        // Re-encrypted: every value is under the new version.
        QCOMPARE(newest.value(QStringLiteral("values")).toInt(), 3);
        QCOMPARE(details.keyVersions().back().toMap().value(QStringLiteral("values")).toInt(), 0);
        QCOMPARE(details.pendingReencryption(), 0.0);
        QCOMPARE(details.history().front().toMap().value(QStringLiteral("action")).toString(),
                 QStringLiteral("tenant.key.rotate"));
        QCOMPARE(resets.count(), 0); // the table is left alone

        // A refusal is the action's error, for the Encryption section to show.
        QVERIFY(workspace.actions()->rotateDataKey(QStringLiteral("no-such-tenant")));
        QVERIFY(finished.wait(kWait));
        QCOMPARE(finished.last().at(1).toBool(), false);
        QCOMPARE(workspace.actions()->lastAction(), QStringLiteral("rotate-key"));
        QVERIFY(workspace.actions()->lastError().contains(QStringLiteral("no-such-tenant")));
    }

    void measuringUsageAgainSeesNewRows()
    {
        TenantDetails details(nullptr);
        details.setBackend(m_backend);
        details.load(QStringLiteral("acme-health"));
        QVERIFY(QTest::qWaitFor([&] { return !details.loading() && details.hasTenant(); }, kWait));
        const double bytes = details.storageUsed();
        QVERIFY(bytes > 0);
        const Status more =
            onWorker([this] { return m_console->writePhiNotes(QStringLiteral("acme-health"), 2); });
        QVERIFY2(more, testing::why(more).constData());
        // The quota's cached measurement is reused by a reload; measureUsage() takes a new one.
        details.measureUsage();
        QVERIFY(details.loading());
        QVERIFY(QTest::qWaitFor([&] { return !details.loading(); }, kWait));
        QVERIFY2(details.storageUsed() > bytes,
                 qPrintable(QStringLiteral("%1 <= %2").arg(details.storageUsed()).arg(bytes)));
        QCOMPARE(details.encryptedValues(), 5.0);
    }
};

QTEST_GUILESS_MAIN(TenantModelTest)
#include "tenantmodeltest.moc"
