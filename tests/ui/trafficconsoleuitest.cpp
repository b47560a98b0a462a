// The Regions page over a real TrafficRuntime, as the demo shows it: synthetic clients through the
// real router, TCP health checks (against a listener here; one region's port is closed, so it
// turns unhealthy), the controls on a real control plane and audit log (the tenancy fixture's
// throwaway cluster), tenants' data residency from a fixed list. Main.qml is loaded through
// createConsoleView and rendered offscreen in a QApplication (the charts are QtCharts). A user's
// clicks fail a region over and drain another through the confirmation dialog (reason, what-if
// preview), pick regions, open the policy and the What-if view; English and Arabic (mirrored),
// 1280×800 and 1440×900; and a runtime without a database, whose controls fail with the
// backend's error in the dialog. Any QML warning fails the test. Screenshots go to
// $UPCOACH_SCREENS_DIR; regions.png, regions-whatif.png and regions-ar.png also to
// $UPCOACH_DOCS_IMAGES_DIR when it is set (docs/images/).
#include "console.h"
#include "quickitems.h"
#include "regionlistmodel.h"
#include "tenancyfixture.h"
#include "trafficworkspace.h"
#include "upcoach/routing/trafficruntime.h"

#include <QDir>
#include <QImage>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <functional>

using namespace upcoach;
using namespace upcoach::viewmodels;
using namespace upcoach::uitest;
using upcoach::app::ConsoleModels;
using upcoach::app::ConsoleOptions;

namespace {

constexpr int kWait = 30'000;
const QString kUnhealthyRegion = QStringLiteral("af-south-1");
const QString kFailedOverRegion = QStringLiteral("sa-east-1");
const QString kDrainedRegion = QStringLiteral("ap-northeast-1");
const QString kWhatIfRegion = QStringLiteral("eu-central-1");

// A database health round as the monitor publishes it: every region up, one slow.
storage::HealthSnapshotPtr databaseSnapshot(const std::vector<Region> &regions)
{
    auto snapshot = std::make_shared<storage::HealthSnapshot>();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    snapshot->generation = 3;
    snapshot->takenAt = now;
    int i = 0;
    for (const Region &region : regions) {
        storage::RegionHealth health;
        health.regionId = region.id;
        health.checkedAt = now;
        health.status = storage::HealthStatus::Up;
        health.statusSince = now.addSecs(-7200);
        health.latencyMs = 0.6 + 0.35 * i++;
        health.connectMs = 3.2;
        health.role = storage::DatabaseRole::Primary;
        health.serverVersion = QStringLiteral("15.18");
        health.databaseSizeBytes = 9'000'000;
        health.connections = 6;
        snapshot->regions.push_back(health);
    }
    return snapshot;
}

} // namespace

class TrafficConsoleUiTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<testing::TenancyFixture> f;
    QTcpServer m_checks; // what the serving regions' health checks reach
    quint16 m_closedPort = 0;
    std::vector<Region> m_regions;

    struct Console
    {
        std::unique_ptr<RegionListModel> databases;
        std::unique_ptr<routing::TrafficRuntime> runtime;
        std::unique_ptr<TrafficWorkspace> traffic;
        std::unique_ptr<app::ConsoleView> view;
        QQuickWindow *window() const { return view->window(); }
        ~Console()
        {
            view.reset();
            traffic.reset();
            if (runtime)
                runtime->stop();
        }
    };

    routing::RoutingSettings settings() const
    {
        routing::RoutingSettings settings;
        settings.syntheticTraffic = true;
        settings.syntheticRequestsPerSecond = 500;
        for (const Region &region : m_regions) {
            routing::HealthCheckSpec check;
            check.name = region.id + QStringLiteral("-api");
            check.regionId = region.id;
            check.kind = routing::CheckKind::Tcp;
            check.host = QStringLiteral("127.0.0.1");
            check.port = region.id == kUnhealthyRegion ? m_closedPort : m_checks.serverPort();
            check.interval = std::chrono::milliseconds(300);
            check.timeout = std::chrono::milliseconds(1000);
            check.healthyThreshold = 1;
            check.unhealthyThreshold = 1;
            settings.healthChecks.push_back(check);
        }
        return settings;
    }

    static routing::TenantResidencySource tenants()
    {
        return [] {
            const auto tenant = [](const char *slug, const char *name, const char *home,
                                   QStringList allowed) {
                return routing::TenantResidency{QLatin1String(slug), QString::fromUtf8(name),
                                                QLatin1String(home), std::move(allowed)};
            };
            const QString central = QStringLiteral("eu-central-1");
            const QString west = QStringLiteral("eu-west-1");
            const QString east = QStringLiteral("us-east-1");
            std::vector<routing::TenantResidency> list{
                tenant("bundesagentur-coaching", "Bundesagentur Coaching", "eu-central-1",
                       {central}),
                tenant("contoso-bank", "Contoso Bank", "eu-central-1", {central, west}),
                tenant("northwind-health", "Northwind Health", "eu-central-1",
                       {central, west, east}),
                tenant("litware", "Litware Inc.", "us-east-1", {east, QStringLiteral("us-west-2")}),
                tenant("adatum-labs", "Adatum Labs", "ap-southeast-1",
                       {QStringLiteral("ap-southeast-1"), QStringLiteral("ap-northeast-1")}),
            };
            return Result<std::vector<routing::TenantResidency>>(std::move(list));
        };
    }

    // A console on the Regions page; the traffic runtime arrives after the window is up, as in
    // the demo. `withControlPlane` false: no database, the controls answer Unavailable.
    std::unique_ptr<Console> open(const QString &language, bool withControlPlane,
                                  QSize size = QSize())
    {
        auto console = std::make_unique<Console>();
        console->databases = std::make_unique<RegionListModel>(m_regions);
        console->databases->applySnapshot(databaseSnapshot(m_regions));
        console->traffic = std::make_unique<TrafficWorkspace>(nullptr);
        ConsoleOptions options;
        options.language = language;
        options.page = QStringLiteral("regions");
        auto view = app::createConsoleView(options, ConsoleModels{console->databases.get(), nullptr,
                                                                  nullptr, console->traffic.get()});
        if (!view) {
            qWarning() << view.error().message;
            return {};
        }
        console->view = std::move(view).value();
        if (size.isValid())
            console->window()->resize(size);
        console->window()->show();
        if (!QTest::qWaitForWindowExposed(console->window()))
            return {};

        routing::TrafficRuntimeDeps deps;
        deps.catalog = &RegionCatalog::builtin();
        if (withControlPlane) {
            deps.control = &f->controlPool();
            deps.audit = &f->auditLog();
        }
        deps.tenants = tenants();
        console->runtime = std::make_unique<routing::TrafficRuntime>(deps, settings());
        const Status started = console->runtime->start();
        if (!started) {
            qWarning() << started.error().message;
            return {};
        }
        console->traffic->setRefreshInterval(std::chrono::milliseconds(500));
        console->traffic->setRuntime(console->runtime.get());
        TrafficWorkspace &traffic = *console->traffic;
        const bool ready = QTest::qWaitFor(
            [&] {
                return !traffic.loading() && traffic.timeline()->hasTraffic() &&
                       traffic.regions()->unhealthyCount() >= 1 &&
                       traffic.regions()->healthyCount() + traffic.regions()->drainedCount() +
                               traffic.regions()->failedOverCount() ==
                           int(m_regions.size()) - 1 &&
                       traffic.routedCountryCount() > 0;
            },
            kWait);
        if (!ready) {
            qWarning() << "no traffic data: loading" << traffic.loading() << "healthy"
                       << traffic.regions()->healthyCount() << "unhealthy"
                       << traffic.regions()->unhealthyCount();
            return {};
        }
        return console;
    }

    // Stops the page's refreshes so what it shows can be compared with the models.
    static void freeze(Console &console)
    {
        console.traffic->setRefreshInterval(std::chrono::hours(1));
        // A read that was already running lands within a moment.
        QTest::qWait(800);
        settle(console.window());
    }

    static int stepsWithTraffic(const TrafficTimelineModel &timeline)
    {
        int steps = 0;
        for (int row = 0; row < timeline.rowCount(); ++row) {
            if (timeline.data(timeline.index(row, TrafficTimelineModel::RequestsPerSecondColumn))
                    .toDouble() > 0)
                ++steps;
        }
        return steps;
    }

    static bool selectCard(Console &console, const QString &regionId)
    {
        if (!click(console.window(), QStringLiteral("healthCard-") + regionId))
            return false;
        return QTest::qWaitFor(
            [&] {
                return console.traffic->regions()->selectedRegion() == regionId &&
                       console.traffic->timeline()->regionId() == regionId;
            },
            kWait);
    }

    // The dialog gives its reason field the focus; a click puts it there otherwise.
    static bool focusReason(QQuickWindow *window)
    {
        QQuickItem *reason = itemNamed(window, QStringLiteral("controlReason"));
        if (!reason)
            return false;
        if (!QTest::qWaitFor([&] { return reason->hasActiveFocus(); }, 1000)) {
            const QPointF centre =
                reason->mapToScene(QPointF(reason->width() / 2, reason->height() / 2));
            QTest::mouseClick(window, Qt::LeftButton, {}, centre.toPoint());
        }
        return QTest::qWaitFor([&] { return reason->hasActiveFocus(); }, kWait);
    }

    // Runs a control through the panel's button and the confirmation dialog, like a user. Returns
    // what went wrong, or an empty string.
    static QString control(Console &console, const QString &button, const QString &reason,
                           bool expectSuccess)
    {
        QQuickWindow *window = console.window();
        if (!click(window, button))
            return button + QStringLiteral(" is missing or disabled");
        if (!QTest::qWaitFor([&] { return itemNamed(window, QStringLiteral("controlReason")); },
                             kWait))
            return QStringLiteral("the confirmation dialog did not open");
        if (!focusReason(window))
            return QStringLiteral("the reason field did not take the focus");
        typeText(window, reason);
        QQuickItem *accept = itemNamed(window, QStringLiteral("dialogAccept"));
        if (!accept || !QTest::qWaitFor([&] { return accept->isEnabled(); }, kWait))
            return QStringLiteral("the accept button stayed disabled (actions ready: %1, reason: "
                                  "\"%2\")")
                .arg(console.traffic->actions()->ready())
                .arg(itemNamed(window, QStringLiteral("controlReason"))
                         ->property("text")
                         .toString());
        QSignalSpy finished(console.traffic->actions(), &TrafficActions::finished);
        if (!click(window, QStringLiteral("dialogAccept")))
            return QStringLiteral("could not click the accept button");
        // A refusal may come before the click returns (no control plane to ask).
        if (finished.isEmpty() && !finished.wait(kWait))
            return QStringLiteral("the control did not finish");
        if (finished.first().at(2).toBool() != expectSuccess)
            return QStringLiteral("the control answered %1: %2")
                .arg(finished.first().at(2).toBool() ? QStringLiteral("success")
                                                     : QStringLiteral("failure"),
                     finished.first().at(3).toString());
        if (expectSuccess && // the dialog closes by itself
            !QTest::qWaitFor([&] { return !itemNamed(window, QStringLiteral("controlReason")); },
                             kWait))
            return QStringLiteral("the dialog stayed open after the control succeeded");
        return {};
    }

private Q_SLOTS:
    void init()
    {
        // Any QML warning (binding errors, type errors, layout loops) fails the test.
        QTest::failOnWarning(QRegularExpression(QStringLiteral("qrc:/UpCoach/")));
        QTest::failOnWarning(QRegularExpression(QStringLiteral("[Bb]inding loop")));
    }

    void initTestCase()
    {
        m_regions = RegionCatalog::builtin().regions();
        QVERIFY(m_regions.size() >= 9);
        f = std::make_unique<testing::TenancyFixture>(1);
        QVERIFY2(f->ok(), qPrintable(f->error()));
        QVERIFY(m_checks.listen(QHostAddress::LocalHost, 0));
        connect(&m_checks, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_checks.nextPendingConnection()) {
                socket->disconnectFromHost();
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        QTcpServer probe; // a port nobody listens on
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        m_closedPort = probe.serverPort();
        probe.close();
    }

    void cleanupTestCase() { f.reset(); }

    void trafficPageShowsTheBackendsFigures()
    {
        auto console = open(QString(), true);
        QVERIFY(console);
        QQuickWindow *window = console->window();
        TrafficWorkspace &traffic = *console->traffic;
        QCOMPARE(window->size(), QSize(1280, 800));

        // The map, a marker per region inside it, the legend and the zoom controls.
        QQuickItem *map = itemNamed(window, QStringLiteral("worldMap"));
        QVERIFY(map);
        int markers = 0;
        forEachItem(map->parentItem(), [&](QQuickItem *item) {
            if (QString::fromLatin1(item->metaObject()->className())
                    .startsWith(QLatin1String("TrafficMarker"))) {
                ++markers;
                QVERIFY2(within(item, map), qPrintable(item->property("regionId").toString()));
            }
        });
        QCOMPARE(markers, int(m_regions.size()));
        QVERIFY(itemNamed(window, QStringLiteral("mapLegend")));
        QVERIFY(itemNamed(window, QStringLiteral("mapZoomIn")));
        QVERIFY(!map->property("flows").toList().isEmpty());

        // A forced failover and a drain through the dialog, on the real control plane.
        QVERIFY(selectCard(*console, kFailedOverRegion));
        QCOMPARE(control(*console, QStringLiteral("failoverButton"),
                         QStringLiteral("Storage controller replacement in Sao Paulo"), true),
                 QString());
        QTRY_COMPARE_WITH_TIMEOUT(
            traffic.regions()->get(kFailedOverRegion).value(QStringLiteral("status")).toString(),
            QStringLiteral("failed-over"), kWait);
        QVERIFY(selectCard(*console, kDrainedRegion));
        QCOMPARE(control(*console, QStringLiteral("drainButton"),
                         QStringLiteral("Kernel upgrade of the Tokyo fleet, ticket OPS-4411"),
                         true),
                 QString());
        QTRY_COMPARE_WITH_TIMEOUT(
            traffic.regions()->get(kDrainedRegion).value(QStringLiteral("status")).toString(),
            QStringLiteral("drained"), kWait);
        QTRY_VERIFY_WITH_TIMEOUT(showsText(window->contentItem(), QStringLiteral("Drained by ")),
                                 kWait);

        // The busiest region selected: its chart (half a minute of it) and its controls.
        QVERIFY(selectCard(*console, QStringLiteral("us-east-1")));
        QTRY_VERIFY_WITH_TIMEOUT(stepsWithTraffic(*traffic.timeline()) >= 6, 60'000);
        freeze(*console);

        // The cards show the model's figures.
        const QVariantMap useast = traffic.regions()->get(QStringLiteral("us-east-1"));
        QQuickItem *card = itemNamed(window, QStringLiteral("healthCard-us-east-1"));
        QVERIFY(card);
        const QLocale locale;
        const QString rps =
            locale.toString(useast.value(QStringLiteral("requestsPerSecond")).toDouble(), 'f', 1);
        // Whole milliseconds from 100 ms up (Theme.cardWholeMillisecondsFrom).
        const double p95Ms = useast.value(QStringLiteral("p95Ms")).toDouble();
        const QString p95 =
            locale.toString(p95Ms, 'f', p95Ms >= 100 ? 0 : 1) + QStringLiteral(" ms");
        const QString uptime =
            locale.toString(useast.value(QStringLiteral("uptimePercent")).toDouble(), 'f', 1) +
            QStringLiteral("%");
        const QString database =
            locale.toString(useast.value(QStringLiteral("databaseLatencyMs")).toDouble(), 'f', 1) +
            QStringLiteral(" ms");
        QVERIFY2(showsText(card, rps), qPrintable(visibleTexts(card).join(QLatin1Char('|'))));
        QVERIFY2(showsText(card, p95), qPrintable(p95));
        QVERIFY2(showsText(card, uptime), qPrintable(uptime));
        QVERIFY2(showsText(card, database), qPrintable(database));
        QVERIFY(showsText(itemNamed(window, QStringLiteral("healthCard-") + kUnhealthyRegion),
                          QStringLiteral("Unhealthy")));
        QVERIFY(showsText(itemNamed(window, QStringLiteral("healthCard-") + kDrainedRegion),
                          QStringLiteral("Drained")));
        QVERIFY(showsText(itemNamed(window, QStringLiteral("healthCard-") + kFailedOverRegion),
                          QStringLiteral("Failed over")));
        QQuickItem *total = itemNamed(window, QStringLiteral("healthCardTotal"));
        QVERIFY(total);
        QVERIFY(showsText(total, locale.toString(traffic.totalRequests(), 'f', 0)));
        QVERIFY(showsText(total, QStringLiteral("%1 of %2")
                                     .arg(traffic.regions()->healthyCount())
                                     .arg(m_regions.size())));

        // The chart carries the timeline's points.
        QQuickItem *chart = itemNamed(window, QStringLiteral("trafficChart"));
        QVERIFY(chart);
        QCOMPARE(chart->property("requestsPoints").toInt(), traffic.timeline()->rowCount());
        QCOMPARE(chart->property("latencyPoints").toInt(), traffic.timeline()->rowCount());
        QVERIFY(showsText(window->contentItem(), QStringLiteral("US East (N. Virginia)")));

        const QImage image = grabAndSave(window, QStringLiteral("regions-traffic.png"));
        QVERIFY2(distinctColours(image) > 400, "the page looks blank");
        keepForDocs(image, QStringLiteral("regions.png"));
        const QStringList clipped = truncatedTexts(window->contentItem());
        QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(QLatin1Char('|'))));

        // The hover tooltip: the country under the pointer and where it goes (Poland: away from
        // the markers, which take the hover themselves).
        const QVariantMap info = traffic.countryInfo(QStringLiteral("PL"));
        QCOMPARE(info.value(QStringLiteral("regionId")).toString(), QStringLiteral("eu-central-1"));
        QPointF poland;
        QMetaObject::invokeMethod(map, "project", Q_RETURN_ARG(QPointF, poland),
                                  Q_ARG(double, 52.3), Q_ARG(double, 19.5));
        QCOMPARE(map->property("zoom").toReal(), 1.0);
        // Into the map first, then onto Poland, as a pointer arrives.
        QTest::mouseMove(window,
                         map->mapToScene(QPointF(map->width() / 2, map->height() / 2)).toPoint());
        QTest::qWait(100);
        QTest::mouseMove(window, map->mapToScene(poland).toPoint());
        QTRY_VERIFY(itemNamed(window, QStringLiteral("mapTooltip")));
        QTRY_VERIFY(showsText(itemNamed(window, QStringLiteral("mapTooltip")),
                              QStringLiteral("Routed to Europe (Frankfurt)")));
        QVERIFY(
            showsText(itemNamed(window, QStringLiteral("mapTooltip")), QStringLiteral("Poland")));
        grabAndSave(window, QStringLiteral("regions-tooltip.png"));
        QVERIFY(click(window, QStringLiteral("mapZoomIn")));
        QTRY_VERIFY(map->property("zoom").toReal() > 1);
        QVERIFY(click(window, QStringLiteral("mapReset")));
        QTRY_COMPARE(map->property("zoom").toReal(), 1.0);

        // The policy, readably.
        QVERIFY(click(window, QStringLiteral("regionTab-policy")));
        settle(window);
        QQuickItem *policy = itemNamed(window, QStringLiteral("regionPage-policy"));
        QVERIFY(policy);
        for (const QString &rule :
             {QStringLiteral("blocked-networks"), QStringLiteral("sticky-sessions"),
              QStringLiteral("nearest"), QStringLiteral("regional-failover")})
            QVERIFY2(itemNamed(window, QStringLiteral("policyRule-") + rule), qPrintable(rule));
        QVERIFY(showsText(policy, QStringLiteral("Nearest region")));
        QVERIFY(showsText(policy, QStringLiteral("Every request")));
        QVERIFY(showsText(policy, QStringLiteral("us-east-1 \u2192 us-west-2 \u2192 eu-west-1")));
        QVERIFY(showsText(policy, QStringLiteral("Request hedging")));
        QVERIFY(showsText(policy, QStringLiteral("nearest-healthy")));
        grabAndSave(window, QStringLiteral("regions-policy.png"));
        QVERIFY(truncatedTexts(policy).isEmpty());

        // What if Frankfurt went away: countries and tenants, the stranded one in red.
        QVERIFY(click(window, QStringLiteral("regionTab-whatif")));
        QVERIFY(click(window, QStringLiteral("whatIfChoice-") + kWhatIfRegion));
        QTRY_VERIFY_WITH_TIMEOUT(traffic.whatIf()->ready(), kWait);
        QCOMPARE(traffic.whatIf()->regionId(), kWhatIfRegion);
        QVERIFY(traffic.whatIf()->movingCountryCount() > 0);
        QCOMPARE(traffic.whatIf()->strandedTenantCount(), 1);
        settle(window);
        QQuickItem *whatIf = itemNamed(window, QStringLiteral("regionPage-whatif"));
        QVERIFY(whatIf);
        QVERIFY(showsText(whatIf, QStringLiteral("Germany")));
        QVERIFY(showsText(whatIf, QStringLiteral("Bundesagentur Coaching")));
        QVERIFY(showsText(whatIf, QStringLiteral("Nowhere")));
        QVERIFY(showsText(whatIf, QStringLiteral("Draining Europe (Frankfurt) would move")));
        QQuickItem *whatIfMap = itemNamed(window, QStringLiteral("whatIfMap"));
        QVERIFY(whatIfMap);
        QQuickItem *whatIfWorld = nullptr;
        forEachItem(whatIfMap, [&](QQuickItem *item) {
            if (!whatIfWorld && item->objectName() == QStringLiteral("worldMap"))
                whatIfWorld = item;
        });
        QVERIFY(whatIfWorld);
        QVERIFY(whatIfWorld->property("highlightedCountries")
                    .toStringList()
                    .contains(QStringLiteral("DE")));
        const QImage whatIfImage = grabAndSave(window, QStringLiteral("regions-whatif.png"));
        QVERIFY(distinctColours(whatIfImage) > 300);
        keepForDocs(whatIfImage, QStringLiteral("regions-whatif.png"));

        // The databases as before.
        QVERIFY(click(window, QStringLiteral("regionTab-databases")));
        settle(window);
        QVERIFY(showsText(itemNamed(window, QStringLiteral("regionPage-databases")),
                          QStringLiteral("Median round trip")));
        grabAndSave(window, QStringLiteral("regions-databases.png"));

        // Back in service, through the dialog; its what-if preview is not needed for that.
        QVERIFY(click(window, QStringLiteral("regionTab-traffic")));
        QVERIFY(selectCard(*console, kDrainedRegion));
        QVERIFY(click(window, QStringLiteral("undrainButton")));
        QTRY_VERIFY(itemNamed(window, QStringLiteral("controlReason")));
        QVERIFY(!itemNamed(window, QStringLiteral("previewSummary")));
        QVERIFY(!itemNamed(window, QStringLiteral("dialogAccept"))->isEnabled()); // no reason
        QVERIFY(focusReason(window));
        typeText(window, QStringLiteral("Kernel upgrade done"));
        QSignalSpy finished(traffic.actions(), &TrafficActions::finished);
        QVERIFY(click(window, QStringLiteral("dialogAccept")));
        QVERIFY(finished.wait(kWait));
        QVERIFY(finished.first().at(2).toBool());
        traffic.setRefreshInterval(std::chrono::milliseconds(500));
        QTRY_COMPARE_WITH_TIMEOUT(
            traffic.regions()->get(kDrainedRegion).value(QStringLiteral("status")).toString(),
            QStringLiteral("healthy"), kWait);
    }

    void drainDialogPreviewsWhoMoves()
    {
        auto console = open(QString(), true);
        QVERIFY(console);
        QQuickWindow *window = console->window();
        QVERIFY(selectCard(*console, kWhatIfRegion));
        QVERIFY(click(window, QStringLiteral("drainButton")));
        QTRY_VERIFY(itemNamed(window, QStringLiteral("controlReason")));
        QTRY_VERIFY_WITH_TIMEOUT(console->traffic->preview()->ready(), kWait);
        settle(window);
        QVERIFY(focusReason(window));
        QVERIFY(showsText(window->contentItem(),
                          QStringLiteral("These countries and tenants will move")));
        QVERIFY(showsText(window->contentItem(), QStringLiteral("would have nowhere to go")));
        typeText(window, QStringLiteral("short"));
        QTRY_VERIFY(itemNamed(window, QStringLiteral("controlReasonProblem")));
        QVERIFY(!itemNamed(window, QStringLiteral("dialogAccept"))->isEnabled());
        typeText(window, QStringLiteral(" maintenance of the Frankfurt primary"));
        QTRY_VERIFY(itemNamed(window, QStringLiteral("dialogAccept"))->isEnabled());
        grabAndSave(window, QStringLiteral("regions-drain-dialog.png"));
        QVERIFY(click(window, QStringLiteral("dialogReject")));
        QTRY_VERIFY(!itemNamed(window, QStringLiteral("controlReason")));
        QCOMPARE(console->traffic->regions()->get(kWhatIfRegion).value(QStringLiteral("status")),
                 QVariant(QStringLiteral("healthy")));
    }

    void controlsWithoutADatabaseSayWhy()
    {
        auto console = open(QString(), false);
        QVERIFY(console);
        QQuickWindow *window = console->window();
        QVERIFY(selectCard(*console, QStringLiteral("eu-west-1")));
        QCOMPARE(control(*console, QStringLiteral("drainButton"),
                         QStringLiteral("Planned maintenance of the Dublin primary"), false),
                 QString());
        QTRY_VERIFY(itemNamed(window, QStringLiteral("controlError")));
        QVERIFY(showsText(itemNamed(window, QStringLiteral("controlError")),
                          QStringLiteral("Could not drain the region:")));
        QVERIFY(!console->traffic->actions()->lastError().isEmpty());
        grabAndSave(window, QStringLiteral("regions-control-error.png"));
        QVERIFY(click(window, QStringLiteral("dialogReject")));
        QCOMPARE(console->traffic->regions()
                     ->get(QStringLiteral("eu-west-1"))
                     .value(QStringLiteral("status")),
                 QVariant(QStringLiteral("healthy")));
    }

    void largerWindowHasRoomToo()
    {
        auto console = open(QString(), true, QSize(1440, 900));
        QVERIFY(console);
        QCOMPARE(console->window()->size(), QSize(1440, 900));
        QTRY_VERIFY_WITH_TIMEOUT(stepsWithTraffic(*console->traffic->timeline()) >= 3, 60'000);
        freeze(*console);
        const QImage image = grabAndSave(console->window(), QStringLiteral("regions-1440.png"));
        QVERIFY(distinctColours(image) > 400);
        const QStringList clipped = truncatedTexts(console->window()->contentItem());
        QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(QLatin1Char('|'))));
    }

    void arabicIsMirrored()
    {
        auto console = open(QStringLiteral("ar"), true);
        QVERIFY(console);
        QQuickWindow *window = console->window();
        freeze(*console);
        QQuickItem *navRail = itemNamed(window, QStringLiteral("navRail"));
        QQuickItem *pages = itemNamed(window, QStringLiteral("pageStack"));
        QVERIFY(navRail && pages);
        QVERIFY(navRail->mapToScene(QPointF(0, 0)).x() > pages->mapToScene(QPointF(0, 0)).x());
        // The region panel sits on the left of the map in a right-to-left layout.
        QQuickItem *map = itemNamed(window, QStringLiteral("trafficMap"));
        QQuickItem *panel = itemNamed(window, QStringLiteral("regionPanel"));
        QVERIFY(map && panel);
        QVERIFY(panel->mapToScene(QPointF(0, 0)).x() < map->mapToScene(QPointF(0, 0)).x());
        QVERIFY(!showsText(window->contentItem(), QStringLiteral("Traffic policy")));
        const QImage image = grabAndSave(window, QStringLiteral("regions-traffic-ar.png"));
        QVERIFY(distinctColours(image) > 400);
        keepForDocs(image, QStringLiteral("regions-ar.png"));
        QVERIFY(click(window, QStringLiteral("regionTab-whatif")));
        QVERIFY(click(window, QStringLiteral("whatIfChoice-") + kWhatIfRegion));
        QTRY_VERIFY_WITH_TIMEOUT(console->traffic->whatIf()->ready(), kWait);
        grabAndSave(window, QStringLiteral("regions-whatif-ar.png"));
        QVERIFY(click(window, QStringLiteral("regionTab-policy")));
        grabAndSave(window, QStringLiteral("regions-policy-ar.png"));
    }
};

QTEST_MAIN(TrafficConsoleUiTest)
#include "trafficconsoleuitest.moc"
