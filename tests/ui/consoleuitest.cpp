// The console as the user sees it: Main.qml loaded through the runner's own path
// (createConsoleView / runConsole), rendered offscreen, checked for content, translation and
// right-to-left mirroring. Screenshots go to $UPCOACH_SCREENS_DIR (default: the working dir).
#include "console.h"
#include "regionlistmodel.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QTimer>
#include <functional>

using upcoach::ErrorCode;
using upcoach::Region;
using upcoach::RegionCatalog;
using upcoach::app::ConsoleOptions;
using upcoach::storage::DatabaseRole;
using upcoach::storage::HealthSnapshot;
using upcoach::storage::HealthSnapshotPtr;
using upcoach::storage::HealthStatus;
using upcoach::storage::RegionHealth;
using upcoach::viewmodels::RegionListModel;

namespace {

const QSize expectedWindowSize(1280, 800);

QString screensDir()
{
    const QString dir = qEnvironmentVariable("UPCOACH_SCREENS_DIR", QDir::currentPath());
    QDir().mkpath(dir);
    return dir;
}

// A plausible demo round: every region up on loopback clusters except one.
HealthSnapshotPtr demoSnapshot(const std::vector<Region> &regions, const QString &downRegion)
{
    auto snapshot = std::make_shared<HealthSnapshot>();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    snapshot->generation = 7;
    snapshot->takenAt = now;
    int i = 0;
    for (const Region &region : regions) {
        RegionHealth health;
        health.regionId = region.id;
        health.checkedAt = now;
        if (region.id == downRegion) {
            health.status = HealthStatus::Down;
            health.statusSince = now.addSecs(-95);
            health.consecutiveFailures = 4;
            health.error = QStringLiteral("connection to server at \"127.0.0.1\", port 55432 "
                                          "failed: Connection refused");
        } else {
            health.status = HealthStatus::Up;
            health.statusSince = now.addSecs(-3600 - 17 * i);
            health.latencyMs = 0.4 + 0.23 * i;
            health.connectMs = 3.1 + 0.7 * i;
            health.role = i % 4 == 3 ? DatabaseRole::Standby : DatabaseRole::Primary;
            health.serverVersion = QStringLiteral("15.18");
            health.databaseSizeBytes = 7'500'000 + 1'250'000LL * i;
            health.connections = 4 + i;
        }
        snapshot->regions.push_back(health);
        ++i;
    }
    return snapshot;
}

void forEachItem(QQuickItem *item, const std::function<void(QQuickItem *)> &visit)
{
    visit(item);
    const QList<QQuickItem *> children = item->childItems();
    for (QQuickItem *child : children)
        forEachItem(child, visit);
}

QQuickItem *itemNamed(QQuickWindow *window, const QString &name)
{
    QQuickItem *found = nullptr;
    forEachItem(window->contentItem(), [&](QQuickItem *item) {
        if (!found && item->objectName() == name)
            found = item;
    });
    return found;
}

struct TextItem
{
    QString text;
    bool truncated = false;
};

QList<TextItem> visibleTexts(QQuickWindow *window)
{
    QList<TextItem> texts;
    forEachItem(window->contentItem(), [&](QQuickItem *item) {
        if (item->isVisible() && item->inherits("QQuickText"))
            texts.append({item->property("text").toString(), item->property("truncated").toBool()});
    });
    return texts;
}

bool showsText(const QList<TextItem> &texts, const QString &needle)
{
    return std::any_of(texts.begin(), texts.end(),
                       [&](const TextItem &t) { return t.text.contains(needle); });
}

int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2)
            colours.insert(image.pixel(x, y));
    }
    return static_cast<int>(colours.size());
}

} // namespace

class ConsoleUiTest : public QObject
{
    Q_OBJECT

private:
    std::vector<Region> m_regions;
    HealthSnapshotPtr m_snapshot;

    // Loads the console like runConsole does, shows it and waits for it to be on screen.
    std::unique_ptr<upcoach::app::ConsoleView> show(const QString &language, RegionListModel &model)
    {
        ConsoleOptions options;
        options.language = language;
        auto view = upcoach::app::createConsoleView(options, model);
        if (!view) {
            qWarning() << view.error().message;
            return {};
        }
        QQuickWindow *window = (*view)->window();
        window->show();
        if (!QTest::qWaitForWindowExposed(window))
            return {};
        return std::move(view).value();
    }

    QImage grabAndSave(QQuickWindow *window, const QString &fileName)
    {
        const QImage image = window->grabWindow();
        const QString path = QDir(screensDir()).filePath(fileName);
        if (!image.save(path, "PNG"))
            qWarning() << "could not save" << path;
        else
            qInfo() << "screenshot" << path;
        return image;
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
        QVERIFY(m_regions.size() >= 3);
        m_snapshot = demoSnapshot(m_regions, m_regions[m_regions.size() - 2].id);
    }

    void rendersTheRegionsOverview()
    {
        RegionListModel model(m_regions);
        model.applySnapshot(m_snapshot);
        auto view = show(QString(), model);
        QVERIFY(view);
        QQuickWindow *window = view->window();
        QCOMPARE(window->size(), expectedWindowSize);

        const QImage image = grabAndSave(window, QStringLiteral("regions-en.png"));
        QCOMPARE(image.size(), expectedWindowSize * window->devicePixelRatio());
        QVERIFY2(distinctColours(image) > 200, "the window looks blank");

        const QList<TextItem> texts = visibleTexts(window);
        for (const Region &region : m_regions) {
            QVERIFY2(showsText(texts, region.displayName), qPrintable(region.displayName));
            QVERIFY2(showsText(texts, region.id), qPrintable(region.id));
        }
        const QString upSummary =
            QStringLiteral("%1 of %2").arg(m_regions.size() - 1).arg(m_regions.size());
        QVERIFY2(showsText(texts, upSummary), qPrintable(upSummary));
        QVERIFY(showsText(texts, QStringLiteral("Connection refused")));
        QVERIFY(showsText(texts, QStringLiteral("Regions")));
        for (const TextItem &text : texts)
            QVERIFY2(!text.truncated, qPrintable(QStringLiteral("clipped: ") + text.text));
    }

    void germanIsTranslated()
    {
        RegionListModel model(m_regions);
        model.applySnapshot(m_snapshot);
        auto view = show(QStringLiteral("de"), model);
        QVERIFY(view);
        QQuickItem *title = itemNamed(view->window(), QStringLiteral("pageTitle"));
        QVERIFY(title);
        QCOMPARE(title->property("text").toString(), QStringLiteral("Regionen"));
        grabAndSave(view->window(), QStringLiteral("regions-de.png"));
        for (const TextItem &text : visibleTexts(view->window()))
            QVERIFY2(!text.truncated, qPrintable(QStringLiteral("clipped: ") + text.text));
    }

    void arabicIsTranslatedAndMirrored()
    {
        RegionListModel model(m_regions);
        model.applySnapshot(m_snapshot);
        auto view = show(QStringLiteral("ar"), model);
        QVERIFY(view);
        QQuickWindow *window = view->window();

        QQuickItem *title = itemNamed(window, QStringLiteral("pageTitle"));
        QVERIFY(title);
        const QString translated = title->property("text").toString();
        QVERIFY(translated != QStringLiteral("Regions"));
        QCOMPARE(translated, QString::fromUtf8("المناطق"));

        QQuickItem *navRail = itemNamed(window, QStringLiteral("navRail"));
        QQuickItem *pages = itemNamed(window, QStringLiteral("pageStack"));
        QVERIFY(navRail && pages);
        const qreal navX = navRail->mapToScene(QPointF(0, 0)).x();
        const qreal pagesX = pages->mapToScene(QPointF(0, 0)).x();
        QVERIFY2(navX > pagesX, "the navigation rail must be on the right in Arabic");
        QCOMPARE(navX + navRail->width(), qreal(window->width()));

        const QImage image = grabAndSave(window, QStringLiteral("regions-ar.png"));
        QVERIFY2(distinctColours(image) > 200, "the window looks blank");
        const QList<TextItem> texts = visibleTexts(window);
        for (const Region &region : m_regions)
            QVERIFY2(showsText(texts, region.displayName), qPrintable(region.displayName));
        for (const TextItem &text : texts)
            QVERIFY2(!text.truncated, qPrintable(QStringLiteral("clipped: ") + text.text));
    }

    void englishIsLeftToRightAndWaitsForData()
    {
        RegionListModel model(m_regions); // no snapshot yet: the loading state
        auto view = show(QStringLiteral("en"), model);
        QVERIFY(view);
        grabAndSave(view->window(), QStringLiteral("regions-loading-en.png"));
        const QList<TextItem> texts = visibleTexts(view->window());
        QVERIFY(showsText(texts, QStringLiteral("Waiting for data")));
        QVERIFY(showsText(texts, QStringLiteral("Not checked yet")));
        QQuickItem *navRail = itemNamed(view->window(), QStringLiteral("navRail"));
        QQuickItem *pages = itemNamed(view->window(), QStringLiteral("pageStack"));
        QVERIFY(navRail && pages);
        QCOMPARE(navRail->mapToScene(QPointF(0, 0)).x(), 0.0);
        QVERIFY(pages->mapToScene(QPointF(0, 0)).x() > 0);
    }

    void rejectsUnknownPageAndLanguage()
    {
        RegionListModel model(m_regions);
        ConsoleOptions badPage;
        badPage.page = QStringLiteral("tenants");
        auto page = upcoach::app::createConsoleView(badPage, model);
        QVERIFY(!page);
        QCOMPARE(page.error().code, ErrorCode::InvalidInput);
        QVERIFY(page.error().message.contains(QStringLiteral("regions")));

        ConsoleOptions badLanguage;
        badLanguage.language = QStringLiteral("fr");
        auto language = upcoach::app::createConsoleView(badLanguage, model);
        QVERIFY(!language);
        QCOMPARE(language.error().code, ErrorCode::InvalidInput);
        QVERIFY(language.error().message.contains(QStringLiteral("de")));

        upcoach::storage::RegionMonitor monitor({}, upcoach::MonitorSettings{});
        QCOMPARE(upcoach::app::runConsole(badPage, m_regions, monitor), 2);
        QCOMPARE(upcoach::app::runConsole(badLanguage, m_regions, monitor), 2);
    }

    void screenshotModeWaitsForDataAndWritesPng()
    {
        // The monitor is not started: the snapshot arrives as a queued signal, like one
        // published from the monitor's worker thread, after the window is already up.
        upcoach::storage::RegionMonitor monitor({}, upcoach::MonitorSettings{});
        const QString path =
            QDir(screensDir()).filePath(QStringLiteral("runconsole-screenshot.png"));
        QFile::remove(path);
        QTimer::singleShot(300, &monitor, [&] { Q_EMIT monitor.snapshotPublished(m_snapshot); });

        ConsoleOptions options;
        options.screenshotPath = path;
        QCOMPARE(upcoach::app::runConsole(options, m_regions, monitor), 0);
        QImage image(path);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), expectedWindowSize);
        QVERIFY(distinctColours(image) > 200);
    }
};

QTEST_MAIN(ConsoleUiTest)
#include "consoleuitest.moc"
