// The console's Audit page as `console --audit DIR` shows it: the store, the bundle loader and the
// model built like the composition root does, Main.qml loaded through createConsoleView /
// runConsole with no region model, rendered offscreen. An event is selected with a real click;
// the detail pane must show a verified proof. English, German and Arabic (mirrored), a tampered
// bundle's red banner and a missing directory. Screenshots go to $UPCOACH_SCREENS_DIR.
#include "auditbundlefixture.h"
#include "auditbundlesource.h"
#include "auditeventstore.h"
#include "auditlogmodel.h"
#include "console.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <functional>

using namespace upcoach;
using namespace upcoach::viewmodels;
using upcoach::app::ConsoleModels;
using upcoach::app::ConsoleOptions;

namespace {

constexpr int kEventCount = 600;
constexpr int kHeadEvery = 200;
constexpr int kClickedRow = 11; // impersonated, with nested details

QString screensDir()
{
    const QString dir = qEnvironmentVariable("UPCOACH_SCREENS_DIR", QDir::currentPath());
    QDir().mkpath(dir);
    return dir;
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

bool reallyVisible(QQuickItem *item)
{
    return item->isVisible() && item->opacity() > 0;
}

QStringList visibleTexts(QQuickWindow *window)
{
    QStringList texts;
    forEachItem(window->contentItem(), [&](QQuickItem *item) {
        if (reallyVisible(item) &&
            (item->inherits("QQuickText") || item->inherits("QQuickTextEdit")))
            texts.append(item->property("text").toString());
    });
    return texts;
}

bool showsText(const QStringList &texts, const QString &needle)
{
    return std::any_of(texts.begin(), texts.end(),
                       [&](const QString &text) { return text.contains(needle); });
}

QString textOf(QQuickWindow *window, const QString &name)
{
    QQuickItem *item = itemNamed(window, name);
    return item ? item->property("text").toString() : QString();
}

int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2)
            colours.insert(image.pixel(x, y));
    }
    return int(colours.size());
}

// What `console --audit DIR` builds.
struct AuditConsole
{
    AuditEventStore store;
    AuditLogModel model{store};
    AuditBundleSource source{store};
    std::unique_ptr<app::ConsoleView> view;

    QQuickWindow *window() const { return view->window(); }
};

} // namespace

class AuditConsoleUiTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    testing::AuditLog m_log;
    QString m_full;
    QString m_tampered;

    std::unique_ptr<AuditConsole> open(const QString &bundle, const QString &language)
    {
        auto console = std::make_unique<AuditConsole>();
        console->source.load(bundle);
        ConsoleOptions options;
        options.language = language;
        options.page = QStringLiteral("audit");
        auto view = app::createConsoleView(options, ConsoleModels{nullptr, &console->model});
        if (!view) {
            qWarning() << view.error().message;
            return {};
        }
        console->view = std::move(view).value();
        console->window()->show();
        if (!QTest::qWaitForWindowExposed(console->window()))
            return {};
        if (!QTest::qWaitFor([&] { return !console->model.loading(); }, 30000))
            return {};
        return console;
    }

    // Clicks the table row like a user does and waits for the detail pane's proof.
    bool clickRow(AuditConsole &console, int row)
    {
        QQuickItem *list = itemNamed(console.window(), QStringLiteral("auditList"));
        if (!list)
            return false;
        QQuickItem *content = list->property("contentItem").value<QQuickItem *>();
        QQuickItem *delegate = nullptr;
        for (QQuickItem *child : content->childItems()) {
            if (child->isVisible() && child->property("index").toInt() == row)
                delegate = child;
        }
        if (!delegate)
            return false;
        const QPointF centre =
            delegate->mapToScene(QPointF(delegate->width() / 2, delegate->height() / 2));
        QTest::mouseClick(console.window(), Qt::LeftButton, {}, centre.toPoint());
        return console.model.selectedRow() == row &&
               QTest::qWaitFor(
                   [&] {
                       return console.model.selection()->proofState() ==
                              AuditEventDetails::ProofVerified;
                   },
                   30000);
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

    void expectNotClipped(QQuickWindow *window, const QStringList &names)
    {
        for (const QString &name : names) {
            QQuickItem *item = itemNamed(window, name);
            QVERIFY2(item, qPrintable(name));
            QVERIFY2(!item->property("truncated").toBool(),
                     qPrintable(QStringLiteral("clipped: %1: %2")
                                    .arg(name, item->property("text").toString())));
        }
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
        QVERIFY(m_dir.isValid());
        auto log = testing::makeAuditLog(kEventCount, kHeadEvery);
        QVERIFY(log.ok());
        m_log = std::move(log).value();
        m_full = m_dir.filePath(QStringLiteral("full"));
        QVERIFY(testing::writeAuditBundle(m_log, m_full).ok());
        // The same bundle with one event's actor changed after signing.
        m_tampered = m_dir.filePath(QStringLiteral("tampered"));
        QDir().mkpath(m_tampered);
        for (const QString &name : QDir(m_full).entryList(QDir::Files))
            QFile::copy(QDir(m_full).filePath(name), QDir(m_tampered).filePath(name));
        QFile events(QDir(m_tampered).filePath(QStringLiteral("events.jsonl")));
        QVERIFY(events.open(QIODevice::ReadWrite));
        QByteArray bytes = events.readAll();
        const qsizetype line = bytes.indexOf("\"sequence\":42,");
        const qsizetype actor = bytes.lastIndexOf("user:user0@example.com", line);
        QVERIFY(line > 0 && actor > 0);
        bytes.replace(actor, 22, "user:user9@example.com");
        events.seek(0);
        events.write(bytes);
    }

    void showsTheAuditPageWithAVerifiedProof()
    {
        auto console = open(m_full, QStringLiteral("en"));
        QVERIFY(console);
        QQuickWindow *window = console->window();
        QCOMPARE(console->model.totalCount(), kEventCount);

        // Only the Audit page: there is no region model without a configuration.
        QVERIFY(itemNamed(window, QStringLiteral("nav-audit")));
        QVERIFY(!itemNamed(window, QStringLiteral("nav-regions")));
        QCOMPARE(textOf(window, QStringLiteral("pageTitle")), QStringLiteral("Audit"));
        QCOMPARE(textOf(window, QStringLiteral("auditBannerTitle")),
                 QStringLiteral("Verified: 600 events, the complete log"));
        QCOMPARE(textOf(window, QStringLiteral("auditBannerRoot")),
                 compliance::toHex(compliance::rootOf(m_log.leaves)));
        QCOMPARE(textOf(window, QStringLiteral("auditBannerFingerprint")),
                 compliance::keyFingerprint(m_log.publicKey));
        QCOMPARE(textOf(window, QStringLiteral("auditCount")), QStringLiteral("600 events"));

        QVERIFY(clickRow(*console, kClickedRow));
        const QStringList texts = visibleTexts(window);
        const compliance::AuditEvent &event = m_log.events[kClickedRow];
        QVERIFY(showsText(texts, event.id));
        QVERIFY(showsText(texts, event.requestId));
        QVERIFY(showsText(texts, compliance::toHex(m_log.leaves[kClickedRow])));
        QCOMPARE(textOf(window, QStringLiteral("auditDetailTitle")), QStringLiteral("Event 11"));
        QCOMPARE(textOf(window, QStringLiteral("auditProofStatus")),
                 QStringLiteral("Included: the proof verifies against the final signed tree head"));
        for (const QString &hash : console->model.selection()->proofHashes())
            QVERIFY2(showsText(texts, hash), qPrintable(hash));

        const QImage image = grabAndSave(window, QStringLiteral("audit-en.png"));
        QVERIFY2(distinctColours(image) > 200, "the window looks blank");
        // The proof itself, further down the detail pane.
        QQuickItem *detail = itemNamed(window, QStringLiteral("auditDetail"));
        QVERIFY(detail);
        detail->setProperty("contentY",
                            detail->property("contentHeight").toReal() - detail->height());
        grabAndSave(window, QStringLiteral("audit-proof-en.png"));
        expectNotClipped(window, {QStringLiteral("auditBannerTitle"), QStringLiteral("auditCount"),
                                  QStringLiteral("auditDetailTitle"),
                                  QStringLiteral("auditProofStatus"), QStringLiteral("pageTitle")});

        // Typing a search narrows the table; the selection stays on its event.
        QQuickItem *search = itemNamed(window, QStringLiteral("auditSearch"));
        QVERIFY(search);
        search->forceActiveFocus();
        for (char c : QByteArray("USER4@"))
            QTest::keyClick(window, c);
        QCOMPARE(console->model.searchText(), QStringLiteral("USER4@"));
        QTRY_VERIFY(!console->model.loading());
        QVERIFY(console->model.count() > 0 && console->model.count() < kEventCount);
        QVERIFY(
            textOf(window, QStringLiteral("auditCount"))
                .startsWith(QStringLiteral("%1 of 600 events match").arg(console->model.count())));
        QCOMPARE(console->model.selectedRow(), 1); // events 4 and 11 act as user4
        grabAndSave(window, QStringLiteral("audit-search-en.png"));
    }

    void filtersFromTheFilterBar()
    {
        auto console = open(m_full, QStringLiteral("en"));
        QVERIFY(console);
        QQuickWindow *window = console->window();
        QQuickItem *tenant = itemNamed(window, QStringLiteral("auditTenant"));
        QVERIFY(tenant);
        // The tenants seen are offered as choices, platform events as "Platform".
        QQuickItem *combo = nullptr;
        forEachItem(tenant, [&](QQuickItem *item) {
            if (!combo && item->inherits("QQuickComboBox"))
                combo = item;
        });
        QVERIFY(combo && combo->isVisible());
        QCOMPARE(combo->property("count").toInt(), 5); // any, platform, acme, globex, initech
        QCOMPARE(combo->property("displayText").toString(), QStringLiteral("All tenants"));

        // Choosing "Platform" filters to events without a tenant.
        QVERIFY(QMetaObject::invokeMethod(tenant, "picked", Q_ARG(QVariant, QVariant(QString()))));
        QCOMPARE(console->model.tenantFilter(), QVariant(QString()));
        QTRY_VERIFY(!console->model.loading());
        QCOMPARE(console->model.count(), kEventCount / 4);
        QCOMPARE(combo->property("displayText").toString(), QStringLiteral("Platform"));

        // "Clear filters" is a real button click.
        QQuickItem *clear = itemNamed(window, QStringLiteral("auditClearFilters"));
        QVERIFY(clear && clear->isEnabled());
        QTest::mouseClick(
            window, Qt::LeftButton, {},
            clear->mapToScene(QPointF(clear->width() / 2, clear->height() / 2)).toPoint());
        QVERIFY(!console->model.hasFilter());
        QCOMPARE(console->model.count(), kEventCount);
        QCOMPARE(combo->property("displayText").toString(), QStringLiteral("All tenants"));

        // The "#" header switches to newest first.
        QQuickItem *sort = itemNamed(window, QStringLiteral("auditSortButton"));
        QVERIFY(sort);
        QTest::mouseClick(
            window, Qt::LeftButton, {},
            sort->mapToScene(QPointF(sort->width() / 2, sort->height() / 2)).toPoint());
        QVERIFY(console->model.newestFirst());
        QCOMPARE(console->model.index(0).data(AuditLogModel::SequenceRole).toLongLong(),
                 qint64(kEventCount - 1));
    }

    void germanIsTranslated()
    {
        auto console = open(m_full, QStringLiteral("de"));
        QVERIFY(console);
        QVERIFY(clickRow(*console, kClickedRow));
        QQuickWindow *window = console->window();
        QCOMPARE(textOf(window, QStringLiteral("pageTitle")), QStringLiteral("Audit"));
        const QString title = textOf(window, QStringLiteral("auditBannerTitle"));
        QVERIFY2(title.startsWith(QStringLiteral("Verifiziert")), qPrintable(title));
        grabAndSave(window, QStringLiteral("audit-de.png"));
        expectNotClipped(window,
                         {QStringLiteral("auditBannerTitle"), QStringLiteral("auditCount"),
                          QStringLiteral("auditDetailTitle"), QStringLiteral("auditProofStatus")});
    }

    void arabicIsTranslatedAndMirrored()
    {
        auto console = open(m_full, QStringLiteral("ar"));
        QVERIFY(console);
        QVERIFY(clickRow(*console, kClickedRow));
        QQuickWindow *window = console->window();
        QCOMPARE(textOf(window, QStringLiteral("pageTitle")), QString::fromUtf8("التدقيق"));
        const QString title = textOf(window, QStringLiteral("auditBannerTitle"));
        QVERIFY2(!title.contains(QStringLiteral("Verified")), qPrintable(title));

        // Mirrored: the rail on the right, the detail pane left of the table, the sequence column
        // at the table's right edge.
        QQuickItem *navRail = itemNamed(window, QStringLiteral("navRail"));
        QQuickItem *pages = itemNamed(window, QStringLiteral("pageStack"));
        QQuickItem *list = itemNamed(window, QStringLiteral("auditList"));
        QQuickItem *detail = itemNamed(window, QStringLiteral("auditDetail"));
        QQuickItem *sort = itemNamed(window, QStringLiteral("auditSortButton"));
        QVERIFY(navRail && pages && list && detail && sort);
        QVERIFY(navRail->mapToScene(QPointF(0, 0)).x() > pages->mapToScene(QPointF(0, 0)).x());
        QVERIFY(detail->mapToScene(QPointF(0, 0)).x() < list->mapToScene(QPointF(0, 0)).x());
        const qreal listRight = list->mapToScene(QPointF(list->width(), 0)).x();
        QVERIFY(sort->mapToScene(QPointF(sort->width(), 0)).x() > listRight - 2 * sort->width());

        const QImage image = grabAndSave(window, QStringLiteral("audit-ar.png"));
        QVERIFY2(distinctColours(image) > 200, "the window looks blank");
        expectNotClipped(window,
                         {QStringLiteral("auditBannerTitle"), QStringLiteral("auditCount"),
                          QStringLiteral("auditDetailTitle"), QStringLiteral("auditProofStatus")});
    }

    void tamperedBundleShowsARedBannerAndTheEvents()
    {
        const auto report = compliance::verifyBundle(m_tampered);
        QVERIFY(!report.ok());
        auto console = open(m_tampered, QStringLiteral("en"));
        QVERIFY(console);
        QQuickWindow *window = console->window();
        QCOMPARE(textOf(window, QStringLiteral("auditBannerTitle")),
                 QStringLiteral("Verification failed: these events cannot be trusted"));
        QCOMPARE(textOf(window, QStringLiteral("auditBannerMessage")), report.error().message);
        QVERIFY(report.error().message.contains(QStringLiteral("(sequence 42)")));
        QCOMPARE(console->model.count(), kEventCount);
        console->model.select(42);
        QCOMPARE(console->model.selection()->proofState(), AuditEventDetails::ProofUntrusted);
        const QImage image = grabAndSave(window, QStringLiteral("audit-failed-en.png"));
        QVERIFY(distinctColours(image) > 200);
        expectNotClipped(
            window, {QStringLiteral("auditBannerTitle"), QStringLiteral("auditBannerMessage")});
    }

    void missingDirectoryIsAClearError()
    {
        auto console = open(m_dir.filePath(QStringLiteral("nowhere")), QStringLiteral("en"));
        QVERIFY(console);
        QQuickWindow *window = console->window();
        QCOMPARE(textOf(window, QStringLiteral("auditBannerTitle")),
                 QStringLiteral("Cannot read the audit events"));
        QVERIFY(textOf(window, QStringLiteral("auditBannerMessage"))
                    .contains(QStringLiteral("does not exist")));
        QCOMPARE(textOf(window, QStringLiteral("auditEmpty")),
                 QStringLiteral("No events could be read."));
        grabAndSave(window, QStringLiteral("audit-missing-en.png"));
    }

    void runConsoleWritesAScreenshotOnceLoaded()
    {
        AuditEventStore store;
        AuditLogModel model(store);
        AuditBundleSource source(store);
        source.load(m_full);
        const QString path = QDir(screensDir()).filePath(QStringLiteral("audit-runconsole.png"));
        QFile::remove(path);
        ConsoleOptions options;
        options.screenshotPath = path;
        QCOMPARE(app::runConsole(options, ConsoleModels{nullptr, &model}), 0);
        QVERIFY(!model.loading());
        const QImage image(path);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(1280, 800));
        QVERIFY(distinctColours(image) > 200);
    }

    void pagesNeedTheirModels()
    {
        AuditEventStore store;
        AuditLogModel model(store);
        ConsoleOptions options;
        options.page = QStringLiteral("regions");
        auto view = app::createConsoleView(options, ConsoleModels{nullptr, &model});
        QVERIFY(!view);
        QCOMPARE(view.error().code, ErrorCode::InvalidInput);
        QVERIFY(view.error().message.contains(QStringLiteral("audit")));
        QCOMPARE(app::runConsole(options, ConsoleModels{nullptr, &model}), 2);
        QCOMPARE(app::availablePages(ConsoleModels{nullptr, &model}),
                 QStringList{QStringLiteral("audit")});
        QVERIFY(app::consolePages().contains(QStringLiteral("audit")));
    }
};

QTEST_MAIN(AuditConsoleUiTest)
#include "auditconsoleuitest.moc"
