// `upcoach-ops demo --regions 3 --screenshot out.png --page regions` end to end: real clusters,
// the real binary, the PNG it writes shows the three regions with live data.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

class TestDemoScreenshot : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void demoWritesARenderedRegionsPage()
    {
        QTemporaryDir dir;
        ::chmod(QFile::encodeName(dir.path()).constData(), 0755); // as root, postgres must reach it
        const QString png = dir.filePath(QStringLiteral("regions.png"));
        QProcess demo;
        demo.setProcessChannelMode(QProcess::MergedChannels);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(
            QStringLiteral("QT_QPA_PLATFORM")); // --screenshot must manage without a display
        environment.remove(QStringLiteral("DISPLAY"));
        demo.setProcessEnvironment(environment);
        demo.start(qEnvironmentVariable("UPCOACH_OPS_BINARY"),
                   {QStringLiteral("demo"), QStringLiteral("--regions"), QStringLiteral("3"),
                    QStringLiteral("--state-dir"), dir.filePath(QStringLiteral("state")),
                    QStringLiteral("--screenshot"), png, QStringLiteral("--page"),
                    QStringLiteral("regions")});
        QVERIFY(demo.waitForFinished(150'000));
        const QString output = QString::fromLocal8Bit(demo.readAll());
        QVERIFY2(demo.exitStatus() == QProcess::NormalExit && demo.exitCode() == 0,
                 qPrintable(output));
        QVERIFY2(output.contains(png), qPrintable(output));
        // The clusters were stopped on the way out.
        QVERIFY(!QFile::exists(
            dir.filePath(QStringLiteral("state/clusters/us-east-1/postmaster.pid"))));

        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800 && image.height() >= 600);
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 4)
            for (int x = 0; x < image.width(); x += 4)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 50,
                 qPrintable(QString::number(colours.size()))); // text and cards, not a blank window
        // The Traffic tab's world map is drawn: land in the theme's land colour (Theme.mapLand)
        // covers a good part of the picture, and the regions' markers are there in the healthy
        // colour (Theme.trafficHealthy) once the health checks have their verdict.
        const QRgb land = qRgb(0x1f, 0x2a, 0x38);
        const QRgb healthy = qRgb(0x3f, 0xb9, 0x50);
        qint64 landPixels = 0;
        qint64 healthyPixels = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                const QRgb pixel = image.pixel(x, y) | 0xff000000;
                landPixels += pixel == land;
                healthyPixels += pixel == healthy;
            }
        }
        const double landShare = double(landPixels) / (double(image.width()) * image.height());
        qInfo() << "land share" << landShare << "healthy marker pixels" << healthyPixels;
        QVERIFY2(landShare > 0.02,
                 qPrintable(QStringLiteral("land covers %1 of the picture").arg(landShare)));
        QVERIFY2(healthyPixels > 300, qPrintable(QString::number(healthyPixels)));
        const QString screens = qEnvironmentVariable("UPCOACH_SCREENS_DIR");
        if (!screens.isEmpty() && QDir().mkpath(screens)) {
            QFile::remove(screens + QStringLiteral("/demo-regions.png"));
            QFile::copy(png, screens + QStringLiteral("/demo-regions.png"));
        }
    }

    void badPageIsAClearErrorAndStopsTheClusters()
    {
        QTemporaryDir dir;
        ::chmod(QFile::encodeName(dir.path()).constData(), 0755);
        QProcess demo;
        demo.setProcessChannelMode(QProcess::MergedChannels);
        demo.start(qEnvironmentVariable("UPCOACH_OPS_BINARY"),
                   {QStringLiteral("demo"), QStringLiteral("--regions"), QStringLiteral("1"),
                    QStringLiteral("--state-dir"), dir.filePath(QStringLiteral("state")),
                    QStringLiteral("--screenshot"), dir.filePath(QStringLiteral("x.png")),
                    QStringLiteral("--page"), QStringLiteral("nowhere")});
        QVERIFY(demo.waitForFinished(120'000));
        const QString output = QString::fromLocal8Bit(demo.readAll());
        QCOMPARE(demo.exitCode(), 2);
        QVERIFY2(output.contains(QStringLiteral("nowhere")) &&
                     output.contains(QStringLiteral("regions")),
                 qPrintable(output));
        QVERIFY(!QFile::exists(
            dir.filePath(QStringLiteral("state/clusters/us-east-1/postmaster.pid"))));
    }
};

QTEST_GUILESS_MAIN(TestDemoScreenshot)
#include "demoscreenshottest.moc"
