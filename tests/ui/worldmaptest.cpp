// The world map item (UpCoach.ViewModels WorldMap) in a small QML scene, rendered offscreen and
// checked by its pixels: ocean, land, a highlighted country, a flow; hit testing; zoom at the
// cursor; clamped panning; mouse and keys. Works with whichever scene graph backend the platform
// gives (software on the offscreen platform, OpenGL under a real display); the screenshot goes
// to $UPCOACH_SCREENS_DIR/world-map.png.
#include "worldmapitem.h"

#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QQmlEngine>
#include <QQuickView>
#include <QSGRendererInterface>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(UpCoach_ViewModelsPlugin)

using upcoach::viewmodels::WorldMapItem;

namespace {

const QByteArray kScene = R"(
import QtQuick
import UpCoach.ViewModels

Item {
    width: 1200
    height: 600

    WorldMap {
        objectName: "map"
        anchors.fill: parent
        focus: true
        oceanColor: "#d5e6f3"
        landColor: "#f4f1e8"
        borderColor: "#9aa7b4"
        highlightColor: "#1f5fd1"
        highlightedCountries: ["JP"]
    }
}
)";

bool near(const QColor &actual, const QColor &expected, int tolerance = 6)
{
    return std::abs(actual.red() - expected.red()) <= tolerance &&
           std::abs(actual.green() - expected.green()) <= tolerance &&
           std::abs(actual.blue() - expected.blue()) <= tolerance;
}

QByteArray describe(const QColor &actual, const QColor &expected, const QPointF &where)
{
    return QStringLiteral("pixel at %1,%2 is %3, expected %4")
        .arg(where.x())
        .arg(where.y())
        .arg(actual.name(), expected.name())
        .toUtf8();
}

} // namespace

class WorldMapTest : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<QQuickView> m_view;
    WorldMapItem *m_map = nullptr;

    QImage grab()
    {
        m_view->update();
        QImage image = m_view->grabWindow();
        if (image.isNull())
            qFatal("grabWindow returned a null image");
        return image.convertToFormat(QImage::Format_RGB32);
    }

    QColor pixel(const QImage &image, QPointF at)
    {
        return image.pixelColor(qRound(at.x()), qRound(at.y()));
    }

    void expectPixel(const QImage &image, double latitude, double longitude, const QColor &color)
    {
        const QPointF at = m_map->project(latitude, longitude);
        const QColor actual = pixel(image, at);
        QVERIFY2(near(actual, color), describe(actual, color, at).constData());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString scene = m_dir.filePath(QStringLiteral("scene.qml"));
        QFile file(scene);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kScene);
        file.close();

        m_view = std::make_unique<QQuickView>();
        m_view->engine()->addImportPath(QStringLiteral("qrc:/"));
        m_view->setResizeMode(QQuickView::SizeViewToRootObject);
        m_view->setSource(QUrl::fromLocalFile(scene));
        QVERIFY2(m_view->status() == QQuickView::Ready,
                 qPrintable(m_view->errors().isEmpty() ? QString()
                                                       : m_view->errors().first().toString()));
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
        m_map = m_view->rootObject()->findChild<WorldMapItem *>(QStringLiteral("map"));
        QVERIFY(m_map);
        QCOMPARE(m_map->size(), QSizeF(1200, 600));
        qInfo() << "scene graph backend:" << m_view->rendererInterface()->graphicsApi();
    }

    void init()
    {
        m_map->resetView();
        m_map->setFlows({});
        m_map->setHighlightedCountries({QStringLiteral("JP")});
    }

    void drawsOceanLandAndHighlight()
    {
        QElapsedTimer timer;
        timer.start();
        const QImage image = grab();
        qInfo() << "first frame in" << timer.elapsed() << "ms";
        QCOMPARE(image.size(), QSize(1200, 600));
        expectPixel(image, 0, -150, m_map->oceanColor());         // mid-Pacific
        expectPixel(image, -35, -20, m_map->oceanColor());        // South Atlantic
        expectPixel(image, -10, -55, m_map->landColor());         // Brazil
        expectPixel(image, 62, 100, m_map->landColor());          // Siberia
        expectPixel(image, 40, -100, m_map->landColor());         // the United States
        expectPixel(image, -25, 134, m_map->landColor());         // Australia
        expectPixel(image, 36.2, 138.3, m_map->highlightColor()); // Honshu
        // Outside the Equal Earth outline (the corners) is ocean too: letterboxed, no gaps.
        const QColor corner = image.pixelColor(3, 3);
        QVERIFY2(near(corner, m_map->oceanColor()),
                 describe(corner, m_map->oceanColor(), QPointF(3, 3)).constData());
    }

    void highlightFollowsTheList()
    {
        m_map->setHighlightedCountries({QStringLiteral("BR"), QStringLiteral("ZA")});
        QImage image = grab();
        expectPixel(image, -10, -55, m_map->highlightColor());
        expectPixel(image, -30, 24, m_map->highlightColor());
        expectPixel(image, 36.2, 138.3, m_map->landColor());
        // Lesotho is a hole in South Africa, not part of it.
        expectPixel(image, -29.6, 28.2, m_map->landColor());
        m_map->setHighlightColor(QColor(0xc0, 0x30, 0x30));
        image = grab();
        expectPixel(image, -10, -55, QColor(0xc0, 0x30, 0x30));
        m_map->setHighlightColor(QColor(0x1f, 0x5f, 0xd1));
    }

    void countryAtHitTests()
    {
        const auto at = [&](double latitude, double longitude) {
            const QPointF point = m_map->project(latitude, longitude);
            return m_map->countryAt(point.x(), point.y());
        };
        QCOMPARE(at(36, 138), QStringLiteral("JP"));
        QCOMPARE(at(0, -150), QString());
        QCOMPARE(at(-10, -55), QStringLiteral("BR"));
        QCOMPARE(at(46.5, 2.5), QStringLiteral("FR"));
        QCOMPARE(at(-29.6, 28.2), QStringLiteral("LS"));
        QCOMPARE(at(-30, 24), QStringLiteral("ZA"));
        QCOMPARE(at(1.355, 103.82), QStringLiteral("SG"));
        QCOMPARE(at(26.05, 50.55), QStringLiteral("BH"));
        QCOMPARE(at(67.5, -177), QStringLiteral("RU")); // Chukotka, east of the antimeridian
        QCOMPARE(at(-17.8, 178), QStringLiteral("FJ"));
        QCOMPARE(at(42.6, 20.9), QStringLiteral("XK"));
        QCOMPARE(at(-58, -30), QString()); // Southern Ocean
        QCOMPARE(at(-80, 0), QString());   // Antarctica is not on the map (south of its edge)
        QCOMPARE(m_map->countryAt(-10, -10), QString());
        QCOMPARE(m_map->countryAt(qQNaN(), 5), QString());
    }

    void zoomKeepsThePointUnderTheCursor()
    {
        QSignalSpy viewChanged(m_map, &WorldMapItem::viewChanged);
        const QPointF cursor = m_map->project(48, 10);
        m_map->zoomAt(2, cursor.x(), cursor.y());
        QCOMPARE(m_map->zoom(), 2.0);
        QCOMPARE(viewChanged.count(), 1);
        const QPointF after = m_map->project(48, 10);
        QVERIFY2(QLineF(cursor, after).length() < 1,
                 qPrintable(QStringLiteral("moved to %1,%2").arg(after.x()).arg(after.y())));
        // Zoom in on Japan and the highlight is still drawn where project() says.
        m_map->resetView();
        const QPointF japan = m_map->project(36, 138);
        m_map->zoomAt(8, japan.x(), japan.y());
        QCOMPARE(m_map->zoom(), 8.0);
        QVERIFY(QLineF(japan, m_map->project(36, 138)).length() < 1);
        const QImage image = grab();
        expectPixel(image, 36.2, 138.3, m_map->highlightColor());
        expectPixel(image, 38, 134, m_map->oceanColor()); // Sea of Japan
        QCOMPARE(m_map->countryAt(japan.x(), japan.y()), QStringLiteral("JP"));
    }

    void zoomIsClamped()
    {
        m_map->zoomAt(1000, 600, 300);
        QCOMPARE(m_map->zoom(), WorldMapItem::kMaxZoom);
        m_map->zoomAt(0.0001, 600, 300);
        QCOMPARE(m_map->zoom(), 1.0);
        QSignalSpy viewChanged(m_map, &WorldMapItem::viewChanged);
        m_map->zoomAt(0.5, 600, 300); // already at 1: nothing happens
        m_map->zoomAt(qQNaN(), 600, 300);
        m_map->zoomAt(-2, 600, 300);
        QCOMPARE(viewChanged.count(), 0);
    }

    void panIsClamped()
    {
        // At zoom 1 the whole world is visible: panning does nothing.
        const QPointF before = m_map->project(0, 0);
        m_map->panBy(500, 200);
        QCOMPARE(m_map->project(0, 0), before);

        m_map->zoomAt(4, 600, 300);
        m_map->panBy(1e6, 1e6); // as far east and south as it goes: the north-west corner
        QVERIFY(std::abs(m_map->project(0, -180).x()) < 0.5);
        QVERIFY(std::abs(m_map->project(85, 0).y()) < 0.5);
        m_map->panBy(-1e6, -1e6);
        QVERIFY(std::abs(m_map->project(0, 180).x() - m_map->width()) < 0.5);
        QVERIFY(std::abs(m_map->project(-60, 0).y() - m_map->height()) < 0.5);
        m_map->panBy(qQNaN(), 1);
        QVERIFY(std::abs(m_map->project(0, 180).x() - m_map->width()) < 0.5);
    }

    void mouseAndKeys()
    {
        QSignalSpy viewChanged(m_map, &WorldMapItem::viewChanged);
        m_map->forceActiveFocus();
        QTest::keyClick(m_view.get(), Qt::Key_Plus);
        QCOMPARE(m_map->zoom(), 1.5);
        QTest::keyClick(m_view.get(), Qt::Key_Minus);
        QCOMPARE(m_map->zoom(), 1.0);
        QTest::mouseDClick(m_view.get(), Qt::LeftButton, {}, QPoint(600, 300));
        QCOMPARE(m_map->zoom(), 2.0);

        const QPointF paris = m_map->project(48.86, 2.35);
        QTest::mousePress(m_view.get(), Qt::LeftButton, {}, QPoint(600, 300));
        QTest::mouseMove(m_view.get(), QPoint(580, 290));
        QTest::mouseMove(m_view.get(), QPoint(560, 280));
        QTest::mouseRelease(m_view.get(), Qt::LeftButton, {}, QPoint(560, 280));
        const QPointF moved = m_map->project(48.86, 2.35);
        QVERIFY2(QLineF(paris - QPointF(40, 20), moved).length() < 1,
                 qPrintable(QStringLiteral("%1,%2").arg(moved.x()).arg(moved.y())));

        QTest::keyClick(m_view.get(), Qt::Key_Left);
        QVERIFY(m_map->project(48.86, 2.35).x() > moved.x());

        const QPointF cursor(300, 200);
        QWheelEvent wheel(cursor, m_view->mapToGlobal(cursor), QPoint(), QPoint(0, 120),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(m_view.get(), &wheel);
        QVERIFY(std::abs(m_map->zoom() - 2 * std::sqrt(2.0)) < 1e-9);

        QTest::keyClick(m_view.get(), Qt::Key_0);
        QCOMPARE(m_map->zoom(), 1.0);
        QVERIFY(viewChanged.count() >= 6);
    }

    void keepsTheAspectRatio()
    {
        m_view->rootObject()->setSize(QSizeF(800, 800));
        QTRY_COMPARE(m_map->size(), QSizeF(800, 800));
        // Width-limited: the world is centred with ocean bands above and below.
        QVERIFY(std::abs(m_map->project(0, -180).x()) < 0.5);
        QVERIFY(std::abs(m_map->project(0, 180).x() - 800) < 0.5);
        const double top = m_map->project(85, 0).y();
        const double bottom = m_map->project(-60, 0).y();
        QVERIFY(top > 100);
        QVERIFY(std::abs((top + bottom) / 2 - 400) < 0.5);
        QVERIFY(std::abs((800 / (bottom - top)) - WorldMapItem::mapSize().width() /
                                                      WorldMapItem::mapSize().height()) < 1e-6);
        const QImage image = grab();
        const QColor band = image.pixelColor(400, int(top / 2));
        QVERIFY2(near(band, m_map->oceanColor()),
                 describe(band, m_map->oceanColor(), QPointF(400, top / 2)).constData());
        expectPixel(image, -10, -55, m_map->landColor());
        m_view->rootObject()->setSize(QSizeF(1200, 600));
        QTRY_COMPARE(m_map->size(), QSizeF(1200, 600));
    }

    void drawsFlows()
    {
        QSignalSpy flowsChanged(m_map, &WorldMapItem::flowsChanged);
        const QColor red(0xe0, 0x20, 0x20);
        QVariantList flows;
        // São Paulo → Frankfurt, full weight, red; plus entries that must be skipped.
        flows.append(QVariantMap{{QStringLiteral("fromLatitude"), -23.55},
                                 {QStringLiteral("fromLongitude"), -46.63},
                                 {QStringLiteral("toLatitude"), 50.11},
                                 {QStringLiteral("toLongitude"), 8.68},
                                 {QStringLiteral("weight"), 1.0},
                                 {QStringLiteral("color"), red}});
        flows.append(QVariantMap{{QStringLiteral("fromLatitude"), 35.68},
                                 {QStringLiteral("fromLongitude"), 139.69},
                                 {QStringLiteral("toLatitude"), 1.35},
                                 {QStringLiteral("toLongitude"), 103.82},
                                 {QStringLiteral("weight"), 0.4},
                                 {QStringLiteral("color"), QStringLiteral("#20a040")}});
        flows.append(QVariantMap{{QStringLiteral("fromLatitude"), 123.0}});
        flows.append(QStringLiteral("not a map"));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("skipped 2 flow")));
        m_map->setFlows(flows);
        QCOMPARE(flowsChanged.count(), 1);
        QCOMPARE(m_map->flows().size(), 4);

        // The arc's apex: the quadratic Bézier at t = 0.5 lies an eighth of the chord off its
        // middle, towards the north.
        const QPointF from = m_map->project(-23.55, -46.63);
        const QPointF to = m_map->project(50.11, 8.68);
        const QPointF chord = to - from;
        QPointF normal(chord.y(), -chord.x());
        normal /= std::hypot(normal.x(), normal.y());
        if (normal.y() > 0)
            normal = -normal;
        const QPointF apex = (from + to) / 2 + normal * (0.125 * std::hypot(chord.x(), chord.y()));
        const QImage image = grab();
        bool reddish = false;
        for (int dx = -3; dx <= 3 && !reddish; ++dx)
            for (int dy = -3; dy <= 3 && !reddish; ++dy) {
                const QColor c = image.pixelColor(qRound(apex.x()) + dx, qRound(apex.y()) + dy);
                reddish = c.red() > c.green() + 60 && c.red() > c.blue() + 60;
            }
        QVERIFY2(reddish, qPrintable(QStringLiteral("no flow colour near %1,%2 (%3)")
                                         .arg(apex.x())
                                         .arg(apex.y())
                                         .arg(pixel(image, apex).name())));
        // Away from the arcs the map is untouched.
        expectPixel(image, 0, -150, m_map->oceanColor());

        const QString dir = qEnvironmentVariable("UPCOACH_SCREENS_DIR");
        if (!dir.isEmpty()) {
            QDir().mkpath(dir);
            m_map->setHighlightedCountries({QStringLiteral("JP"), QStringLiteral("DE"),
                                            QStringLiteral("BR"), QStringLiteral("ZA"),
                                            QStringLiteral("SG"), QStringLiteral("BH"),
                                            QStringLiteral("US"), QStringLiteral("IE")});
            const QString path = QDir(dir).filePath(QStringLiteral("world-map.png"));
            QVERIFY(grab().save(path));
            qInfo() << "screenshot:" << path;
            const QPointF europe = m_map->project(50, 10);
            m_map->zoomAt(5, europe.x(), europe.y());
            const QString zoomed = QDir(dir).filePath(QStringLiteral("world-map-europe.png"));
            QVERIFY(grab().save(zoomed));
            qInfo() << "screenshot:" << zoomed;
        }
        m_map->setFlows({});
        QCOMPARE(m_map->flows().size(), 0);
    }
};

QTEST_MAIN(WorldMapTest)
#include "worldmaptest.moc"
