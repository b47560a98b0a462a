// The Regions page's traffic view models: TrafficRegionModel, TrafficTimelineModel and
// TrafficPolicyModel under QAbstractItemModelTester, TrafficWhatIf's answer as the page lists it,
// TrafficActions' reason rules against the backend's, and TrafficWorkspace over a real
// TrafficRuntime with synthetic traffic (no database: its controls answer Unavailable), with the
// test thread marked interactive so a blocking database call on it would fail.
#include "regionlistmodel.h"
#include "trafficworkspace.h"
#include "upcoach/routing/trafficcontrols.h"
#include "upcoach/routing/trafficpolicy.h"
#include "upcoach/routing/trafficruntime.h"
#include "upcoach/storage/connectionpool.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <memory>

using namespace upcoach;
using namespace upcoach::viewmodels;

namespace {

const QDateTime t0 = QDateTime(QDate(2024, 5, 1), QTime(12, 0, 0), Qt::UTC);

TrafficRegionRow row(const QString &id, const QString &status, double rps)
{
    TrafficRegionRow r;
    r.regionId = id;
    r.displayName = QStringLiteral("Region ") + id;
    r.status = status;
    r.requestsPerSecond = rps;
    r.requests = quint64(rps * 60);
    r.p95Ms = rps > 0 ? 40 + rps : -1;
    r.errorRate = rps > 0 ? 0.01 : -1;
    r.uptimeRatio = 0.995;
    return r;
}

std::vector<routing::TrafficStats::Point> points(int n, double rps, qint64 startSecond = 0)
{
    std::vector<routing::TrafficStats::Point> list;
    for (int i = 0; i < n; ++i) {
        routing::TrafficStats::Point p;
        p.at = t0.addSecs(startSecond + 5 * i);
        p.requestsPerSecond = rps + i;
        p.p95Ms = 80 + i;
        p.errorRate = 0.002;
        list.push_back(p);
    }
    return list;
}

std::shared_ptr<const routing::TrafficPolicy> policyFrom(const QByteArray &yaml)
{
    auto parsed = routing::parseTrafficPolicy(yaml, RegionCatalog::builtin());
    if (!parsed) {
        qWarning() << parsed.error().message;
        return {};
    }
    return std::make_shared<const routing::TrafficPolicy>(std::move(parsed.value()));
}

} // namespace

class TrafficModelTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void regionRowsSelectionAndDatabaseHealth()
    {
        TrafficRegionModel model(nullptr);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy selection(&model, &TrafficRegionModel::selectionChanged);

        model.apply({row(QStringLiteral("us-east-1"), QStringLiteral("healthy"), 120),
                     row(QStringLiteral("eu-west-1"), QStringLiteral("drained"), 0),
                     row(QStringLiteral("ap-southeast-1"), QStringLiteral("unknown"), 30)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.selectedRegion(), QStringLiteral("us-east-1"));
        QCOMPARE(selection.count(), 1);
        QCOMPARE(model.healthyCount(), 1);
        QCOMPARE(model.drainedCount(), 1);
        QCOMPARE(model.unknownCount(), 1);
        const QModelIndex first = model.index(0);
        QCOMPARE(model.data(first, TrafficRegionModel::SelectedRole).toBool(), true);
        QCOMPARE(model.data(first, TrafficRegionModel::UptimePercentRole).toDouble(), 99.5);
        QCOMPARE(model.data(first, TrafficRegionModel::ErrorPercentRole).toDouble(), 1.0);
        QCOMPARE(model.data(model.index(1), TrafficRegionModel::P95MsRole).toDouble(), -1.0);
        QCOMPARE(model.data(model.index(1), TrafficRegionModel::ErrorPercentRole).toDouble(), -1.0);
        // Not joined yet: the database figures are unknown.
        QCOMPARE(model.data(first, TrafficRegionModel::DatabaseLatencyMsRole).toDouble(), -1.0);

        // An update changes only the rows that changed, never resets.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy selectedChanged(&model, &TrafficRegionModel::selectedChanged);
        model.apply({row(QStringLiteral("us-east-1"), QStringLiteral("healthy"), 120),
                     row(QStringLiteral("eu-west-1"), QStringLiteral("drained"), 0),
                     row(QStringLiteral("ap-southeast-1"), QStringLiteral("healthy"), 35)});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 2);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(selectedChanged.count(), 0); // the selected row did not change
        QCOMPARE(model.healthyCount(), 2);

        model.select(QStringLiteral("eu-west-1"));
        QCOMPARE(model.selectedRow(), 1);
        QCOMPARE(model.selected().value(QStringLiteral("status")).toString(),
                 QStringLiteral("drained"));
        QCOMPARE(model.data(first, TrafficRegionModel::SelectedRole).toBool(), false);
        model.select(QStringLiteral("nowhere-1")); // unknown: ignored
        QCOMPARE(model.selectedRegion(), QStringLiteral("eu-west-1"));

        QHash<QString, TrafficRegionModel::DatabaseHealth> health;
        health.insert(QStringLiteral("eu-west-1"), {2.5, QStringLiteral("up")});
        model.setDatabaseHealth(health);
        QCOMPARE(model.data(model.index(1), TrafficRegionModel::DatabaseLatencyMsRole).toDouble(),
                 2.5);
        QCOMPARE(model.selected().value(QStringLiteral("databaseLatencyMs")).toDouble(), 2.5);
        QCOMPARE(model.regionName(QStringLiteral("eu-west-1")), QStringLiteral("Region eu-west-1"));
        QCOMPARE(model.get(QStringLiteral("us-east-1")).value(QStringLiteral("requestsPerSecond")),
                 QVariant(120.0));
        QVERIFY(model.get(QStringLiteral("nowhere-1")).isEmpty());

        // Different regions (a new policy): a different list; the selection falls back.
        model.apply({row(QStringLiteral("sa-east-1"), QStringLiteral("healthy"), 10)});
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.selectedRegion(), QStringLiteral("sa-east-1"));
    }

    void databaseHealthFollowsTheMonitorModel()
    {
        const std::vector<Region> regions = RegionCatalog::builtin().firstN(2);
        RegionListModel databases(regions);
        TrafficWorkspace workspace(nullptr);
        workspace.setDatabaseHealth(&databases);
        TrafficRegionRow first = row(regions[0].id, QStringLiteral("healthy"), 10);
        workspace.regions()->apply({first});

        auto snapshot = std::make_shared<storage::HealthSnapshot>();
        snapshot->generation = 1;
        snapshot->takenAt = t0;
        storage::RegionHealth health;
        health.regionId = regions[0].id;
        health.status = storage::HealthStatus::Up;
        health.latencyMs = 1.75;
        health.checkedAt = t0;
        snapshot->regions.push_back(health);
        databases.applySnapshot(snapshot);
        QCOMPARE(
            workspace.regions()
                ->data(workspace.regions()->index(0), TrafficRegionModel::DatabaseLatencyMsRole)
                .toDouble(),
            1.75);
        QCOMPARE(workspace.regions()
                     ->data(workspace.regions()->index(0), TrafficRegionModel::DatabaseStatusRole)
                     .toString(),
                 QStringLiteral("up"));
    }

    void timelineSlidesWithoutResets()
    {
        TrafficTimelineModel model(nullptr);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

        model.apply(QStringLiteral("us-east-1"), points(60, 100));
        QCOMPARE(model.rowCount(), 60);
        QCOMPARE(model.columnCount(), int(TrafficTimelineModel::ColumnCount));
        QCOMPARE(inserted.count(), 1);
        // The time axis covers whole minutes, one tick each: 12:00 … 12:05 for 12:00:00–12:04:55.
        QCOMPARE(model.from(), t0);
        QCOMPARE(model.to(), t0.addSecs(5 * 60));
        QCOMPARE(model.timeTickCount(), 6);
        QCOMPARE(model.data(model.index(0, TrafficTimelineModel::TimeColumn)).toDouble(),
                 double(t0.toMSecsSinceEpoch()));
        QCOMPARE(
            model.data(model.index(59, TrafficTimelineModel::RequestsPerSecondColumn)).toDouble(),
            159.0);
        QCOMPARE(model.data(model.index(0, TrafficTimelineModel::ErrorPercentColumn)).toDouble(),
                 0.2);
        // 159 × 1.1 = 174.9 → 200; p95 139 × 1.1 = 152.9 → 200.
        QCOMPARE(model.maxRequestsPerSecond(), 200.0);
        QCOMPARE(model.maxP95Ms(), 200.0);
        QVERIFY(model.hasTraffic());
        QCOMPARE(model.latestRequestsPerSecond(), 159.0);

        model.apply(QStringLiteral("us-east-1"), points(60, 100, 5));
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(reset.count(), 0);
        // 12:00:05–12:05:00: still 12:00 … 12:05.
        QCOMPARE(model.from(), t0);
        QCOMPARE(model.to(), t0.addSecs(5 * 60));
        QCOMPARE(model.timeTickCount(), 6);
        QCOMPARE(model.data(model.index(0, TrafficTimelineModel::TimeColumn)).toDouble(),
                 double(t0.addSecs(5).toMSecsSinceEpoch()));

        model.apply(QStringLiteral("eu-west-1"), points(60, 0));
        QCOMPARE(model.regionId(), QStringLiteral("eu-west-1"));
        QCOMPARE(reset.count(), 0);

        model.apply(QStringLiteral("eu-west-1"), points(60, 0));
        QCOMPARE(model.maxErrorPercent(), TrafficTimelineModel::kAxisMinimum);
        QCOMPARE(TrafficTimelineModel::niceCeiling(0, 1), 1.0);
        QCOMPARE(TrafficTimelineModel::niceCeiling(0.04, 1), 1.0);
        QCOMPARE(TrafficTimelineModel::niceCeiling(3, 1), 5.0);
        QCOMPARE(TrafficTimelineModel::niceCeiling(20, 1), 20.0);
        QCOMPARE(TrafficTimelineModel::niceCeiling(2100, 1), 2500.0);
        QCOMPARE(TrafficTimelineModel::niceCeiling(6000, 1), 10000.0);
    }

    void policyRowsDescribeEveryRule()
    {
        TrafficPolicyModel model(nullptr);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(!model.ready());

        auto policy = policyFrom(QByteArrayLiteral(
            "version: 1\n"
            "name: eu-canary\n"
            "description: A canary for the EU.\n"
            "regions: [eu-west-1, eu-central-1, us-east-1]\n"
            "rules:\n"
            "  - { name: blocked, type: ip-deny, cidrs: [203.0.113.0/24, \"2001:db8:bad::/48\"] }\n"
            "  - { name: eu-stays-in-eu, type: geo-fence, when: { countries: [DE, FR] }, "
            "allow-regions: [eu-west-1, eu-central-1] }\n"
            "  - { name: canary, type: weighted, when: { path-prefixes: [/api/v2/] }, weights: { "
            "eu-west-1: 95, eu-central-1: 5 } }\n"
            "  - { name: nearest, type: geo-proximity, bias: { eu-central-1: 20 } }\n"
            "  - { name: dr, type: failover, chains: { eu-central-1: [eu-west-1, us-east-1] } }\n"
            "hedging: { enabled: true, budget: 0.05, percentile: 95, min-delay: 20ms, max-delay: "
            "2s "
            "}\n"));
        QVERIFY(policy);
        TrafficFrame frame;
        frame.policy = policy;
        frame.hedgeCounters.decisions = 1000;
        frame.hedgeCounters.hedgesSent = 40;
        frame.totals.hedgesSent = 10;
        frame.totals.hedgesWon = 4;
        frame.totals.latencySavedMs = 200;
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.apply(frame);
        QCOMPARE(reset.count(), 1);
        QVERIFY(model.ready());
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.name(), QStringLiteral("eu-canary"));
        QCOMPARE(model.version(), 1);
        // In catalog order.
        QCOMPARE(model.regions(),
                 (QStringList{QStringLiteral("us-east-1"), QStringLiteral("eu-west-1"),
                              QStringLiteral("eu-central-1")}));
        QCOMPARE(model.weightedRules(), QStringList{QStringLiteral("canary")});
        QVERIFY(model.hedgingEnabled());
        QCOMPARE(model.hedgeBudgetPercent(), 5.0);
        QCOMPARE(model.hedgeMinDelayMs(), 20.0);
        QCOMPARE(model.hedgeMaxDelayMs(), 2000.0);
        QCOMPARE(model.hedgedPercent(), 4.0);
        QCOMPARE(model.hedgeWinPercent(), 40.0);
        QCOMPARE(model.averageSavedMs(), 50.0);

        const auto at = [&](int r, int role) { return model.data(model.index(r), role); };
        QCOMPARE(at(0, TrafficPolicyModel::PositionRole).toInt(), 1);
        QCOMPARE(at(0, TrafficPolicyModel::KindRole).toString(), QStringLiteral("ip-deny"));
        QCOMPARE(at(0, TrafficPolicyModel::CidrCountRole).toInt(), 2);
        QCOMPARE(at(0, TrafficPolicyModel::CidrsRole).toStringList().first(),
                 QStringLiteral("203.0.113.0/24"));
        QVERIFY(at(0, TrafficPolicyModel::AppliesToAllRole).toBool());
        QVERIFY(!at(1, TrafficPolicyModel::AppliesToAllRole).toBool());
        QCOMPARE(at(1, TrafficPolicyModel::CountriesRole).toList().size(), 2);
        QCOMPARE(at(1, TrafficPolicyModel::CountriesRole)
                     .toList()
                     .first()
                     .toMap()
                     .value(QStringLiteral("name")),
                 QVariant(QStringLiteral("Germany")));
        QCOMPARE(at(1, TrafficPolicyModel::AllowRegionsRole).toStringList(),
                 (QStringList{QStringLiteral("eu-west-1"), QStringLiteral("eu-central-1")}));
        QCOMPARE(at(2, TrafficPolicyModel::PathPrefixesRole).toStringList(),
                 QStringList{QStringLiteral("/api/v2/")});
        const QVariantList weights = at(2, TrafficPolicyModel::WeightsRole).toList();
        QCOMPARE(weights.size(), 3);
        QCOMPARE(weights[0].toMap().value(QStringLiteral("percent")).toDouble(), 0.0);
        QCOMPARE(weights[1].toMap().value(QStringLiteral("regionId")).toString(),
                 QStringLiteral("eu-west-1"));
        QCOMPARE(weights[1].toMap().value(QStringLiteral("percent")).toDouble(), 95.0);
        QVERIFY(!at(2, TrafficPolicyModel::WeightsOverriddenRole).toBool());
        QCOMPARE(at(3, TrafficPolicyModel::BiasRole).toList().size(), 1);
        const QVariantList chains = at(4, TrafficPolicyModel::ChainsRole).toList();
        QCOMPARE(chains.size(), 1);
        QCOMPARE(chains[0].toMap().value(QStringLiteral("chain")).toStringList(),
                 (QStringList{QStringLiteral("eu-west-1"), QStringLiteral("us-east-1")}));

        // An operator's weights: the weighted row changes in place.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        TrafficFrame overridden = frame;
        TrafficRegionRow west = row(QStringLiteral("eu-west-1"), QStringLiteral("healthy"), 1);
        west.weights = {QVariantMap{{QStringLiteral("rule"), QStringLiteral("canary")},
                                    {QStringLiteral("weight"), 50}}};
        TrafficRegionRow central =
            row(QStringLiteral("eu-central-1"), QStringLiteral("healthy"), 1);
        central.weights = {QVariantMap{{QStringLiteral("rule"), QStringLiteral("canary")},
                                       {QStringLiteral("weight"), 50}}};
        overridden.regions = {west, central};
        model.apply(overridden);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 2);
        QVERIFY(at(2, TrafficPolicyModel::WeightsOverriddenRole).toBool());
        QCOMPARE(
            model.weightsOf(QStringLiteral("canary"))[1].toMap().value(QStringLiteral("percent")),
            QVariant(50.0));
    }

    void whatIfListsStrandedFirst()
    {
        routing::WhatIf whatIf;
        whatIf.regionId = QStringLiteral("eu-central-1");
        whatIf.countries = {
            {QStringLiteral("PL"), QStringLiteral("Poland"), QStringLiteral("eu-central-1"),
             QStringLiteral("eu-west-1")},
            {QStringLiteral("DE"), QStringLiteral("Germany"), QStringLiteral("eu-central-1"),
             QStringLiteral("eu-west-1")},
            {QStringLiteral("CH"), QStringLiteral("Switzerland"), QStringLiteral("eu-central-1"),
             QString()},
        };
        whatIf.tenants = {{QStringLiteral("bund"), QStringLiteral("Bundesamt"),
                           QStringLiteral("eu-central-1"), QString()},
                          {QStringLiteral("acme"), QStringLiteral("Acme"),
                           QStringLiteral("eu-central-1"), QStringLiteral("eu-west-1")}};
        const TrafficWhatIf::Outcome outcome =
            TrafficWhatIf::describe(whatIf.regionId, whatIf, RegionCatalog::builtin());
        QCOMPARE(outcome.countries.size(), 3);
        QCOMPARE(outcome.countries[0].toMap().value(QStringLiteral("code")),
                 QVariant(QStringLiteral("CH")));
        QVERIFY(outcome.countries[0].toMap().value(QStringLiteral("nowhere")).toBool());
        QCOMPARE(outcome.countries[1].toMap().value(QStringLiteral("code")),
                 QVariant(QStringLiteral("DE")));
        QCOMPARE(outcome.countries[1].toMap().value(QStringLiteral("toName")),
                 QVariant(QStringLiteral("Europe (Ireland)")));
        QCOMPARE(outcome.strandedCodes, QStringList{QStringLiteral("CH")});
        QCOMPARE(outcome.countryCodes.size(), 3);
        QCOMPARE(outcome.flows.size(), 2); // nowhere has no line
        QCOMPARE(outcome.tenants[0].toMap().value(QStringLiteral("slug")),
                 QVariant(QStringLiteral("bund")));
        QCOMPARE(outcome.strandedTenants, 1);
        QCOMPARE(outcome.destinations.size(), 2);
        const QVariantMap nowhere = outcome.destinations[0].toMap();
        QCOMPARE(nowhere.value(QStringLiteral("regionId")).toString(), QString());
        QCOMPARE(nowhere.value(QStringLiteral("countries")).toInt(), 1);
        QCOMPARE(nowhere.value(QStringLiteral("tenants")).toInt(), 1);
        QCOMPARE(outcome.destinations[1].toMap().value(QStringLiteral("countries")).toInt(), 2);
    }

    void reasonRulesAreTheBackends()
    {
        TrafficActions actions(nullptr);
        QCOMPARE(actions.reasonMinimum(), routing::kMinControlReasonLength);
        QCOMPARE(actions.reasonMaximum(), routing::kMaxControlReasonLength);
        const QStringList samples{
            QString(),
            QStringLiteral("too short"),
            QStringLiteral("   padded   "),
            QStringLiteral("Planned maintenance of the primary"),
            QString(routing::kMaxControlReasonLength + 1, QLatin1Char('x')),
            QStringLiteral("Maintenance window\x01 now"),
        };
        for (const QString &sample : samples) {
            const bool accepted = bool(routing::validateControlReason(sample));
            QCOMPARE(actions.reasonProblem(sample).isEmpty(), accepted);
        }
        QCOMPARE(actions.reasonProblem(QStringLiteral("too short")), QStringLiteral("short"));
        QCOMPARE(actions.reasonProblem(samples[4]), QStringLiteral("long"));
        QCOMPARE(actions.reasonProblem(samples[5]), QStringLiteral("control"));
        QCOMPARE(actions.reasonLength(QStringLiteral("  twelve chars  ")), 12);
        // Without a runtime nothing starts.
        QVERIFY(!actions.drain(QStringLiteral("us-east-1"), samples[3]));
    }

    void workspaceOverARealRuntime()
    {
        routing::TrafficRuntimeDeps deps;
        deps.catalog = &RegionCatalog::builtin();
        routing::RoutingSettings settings;
        settings.syntheticTraffic = true;
        settings.syntheticRequestsPerSecond = 400;
        routing::TrafficRuntime runtime(deps, settings);
        const Status started = runtime.start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));

        // Everything the GUI thread does from here on must not block on a database.
        storage::forbidBlockingOn(QThread::currentThread());
        TrafficWorkspace workspace(nullptr);
        QVERIFY(workspace.loading());
        QVERIFY(!workspace.ready());
        workspace.setRefreshInterval(std::chrono::milliseconds(250));
        workspace.setRuntime(&runtime, RegionCatalog::builtin(), QStringLiteral("user:tester"));
        QVERIFY(workspace.ready());
        QTRY_VERIFY_WITH_TIMEOUT(!workspace.loading(), 15000);
        QVERIFY(workspace.error().isEmpty());

        TrafficRegionModel *regions = workspace.regions();
        QAbstractItemModelTester regionTester(
            regions, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester timelineTester(
            workspace.timeline(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(regions->rowCount(), int(runtime.policy()->regions.size()));
        QVERIFY(workspace.totalRequests() > 0);
        QVERIFY(workspace.totalRequestsPerSecond() > 0);
        QVERIFY(!workspace.flows().isEmpty());
        double largest = 0;
        for (const QVariant &flow : workspace.flows())
            largest = std::max(largest, flow.toMap().value(QStringLiteral("weight")).toDouble());
        QCOMPARE(largest, 1.0);

        // The selected region's timeline follows the selection.
        QTRY_COMPARE(workspace.timeline()->regionId(), regions->selectedRegion());
        QCOMPARE(workspace.timeline()->rowCount(),
                 int(kTimelineWindow.count() / kTimelineStep.count()));
        regions->select(QStringLiteral("eu-central-1"));
        QTRY_COMPARE(workspace.timeline()->regionId(), QStringLiteral("eu-central-1"));
        QTRY_VERIFY(workspace.timeline()->hasTraffic());

        // The policy is the built-in one.
        QVERIFY(workspace.policy()->ready());
        QCOMPARE(workspace.policy()->rowCount(), int(runtime.policy()->rules.size()));
        QVERIFY(workspace.policy()->routingDecisions() > 0);

        // The map's tooltip: Germany goes to Frankfurt (nearest), with its requests.
        QTRY_VERIFY(workspace.routedCountryCount() > 100);
        const QVariantMap germany = workspace.countryInfo(QStringLiteral("DE"));
        QCOMPARE(germany.value(QStringLiteral("regionId")).toString(),
                 QStringLiteral("eu-central-1"));
        QCOMPARE(germany.value(QStringLiteral("name")).toString(), QStringLiteral("Germany"));
        QVERIFY(workspace.countryInfo(QStringLiteral("XX")).isEmpty());
        const QVariantList targets = workspace.failoverTargets(QStringLiteral("eu-central-1"));
        QCOMPARE(targets.size(), regions->rowCount() - 1);

        // What if Frankfurt went away: Germany moves along the failover chain.
        TrafficWhatIf *whatIf = workspace.whatIf();
        QVERIFY(whatIf->run(QStringLiteral("eu-central-1")));
        QTRY_VERIFY(whatIf->ready());
        QVERIFY(whatIf->movingCountryCount() > 0);
        QVERIFY(whatIf->countryCodes().contains(QStringLiteral("DE")));
        bool germanyMoves = false;
        for (const QVariant &entry : whatIf->countries()) {
            const QVariantMap country = entry.toMap();
            if (country.value(QStringLiteral("code")) == QStringLiteral("DE")) {
                germanyMoves =
                    country.value(QStringLiteral("from")) == QStringLiteral("eu-central-1") &&
                    country.value(QStringLiteral("to")) == QStringLiteral("eu-west-1");
            }
        }
        QVERIFY(germanyMoves);

        // Without a control plane the controls answer Unavailable — on a worker thread.
        TrafficActions *actions = workspace.actions();
        QVERIFY(actions->ready());
        QSignalSpy finished(actions, &TrafficActions::finished);
        QVERIFY(!actions->drain(QStringLiteral("eu-central-1"), QStringLiteral("short")));
        QCOMPARE(finished.count(), 1);
        QVERIFY(!actions->lastSucceeded());
        QVERIFY(actions->drain(QStringLiteral("eu-central-1"),
                               QStringLiteral("Planned maintenance of the Frankfurt primary")));
        QVERIFY(actions->busy());
        QVERIFY(!actions->drain(QStringLiteral("eu-west-1"),
                                QStringLiteral("Planned maintenance of the Dublin primary")));
        QTRY_COMPARE(finished.count(), 2);
        QVERIFY(!actions->busy());
        QVERIFY(!finished.last().at(2).toBool());
        QCOMPARE(actions->lastAction(), QStringLiteral("drain"));
        QCOMPARE(actions->lastTarget(), QStringLiteral("eu-central-1"));
        QVERIFY(!actions->lastError().isEmpty());

        storage::forbidBlockingOn(nullptr);
        runtime.stop();
    }

    void runtimeErrorEndsLoading()
    {
        TrafficWorkspace workspace(nullptr);
        QSignalSpy loading(&workspace, &TrafficWorkspace::loadingChanged);
        workspace.setRuntimeError(QStringLiteral("routing.geoip_database: cannot open x.mmdb"));
        QVERIFY(!workspace.loading());
        QCOMPARE(loading.count(), 1);
        QCOMPARE(workspace.error(), QStringLiteral("routing.geoip_database: cannot open x.mmdb"));
        QVERIFY(!workspace.whatIf()->run(QStringLiteral("us-east-1")));
    }
};

QTEST_GUILESS_MAIN(TrafficModelTest)
#include "trafficmodeltest.moc"
