// `upcoach-ops demo --regions 2 --page tenants --screenshot out.png` end to end: the real binary
// starts its clusters, seeds the demo tenants on first start, opens the tenancy backend on a
// worker while the window is up, and writes the Tenants page once its first page and the first
// tenant's details are on screen; again in Arabic over the same state directory (no seeding the
// second time). And `console --page tenants` without a configuration is a usage error.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

class TestTenantScreenshot : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    struct Run
    {
        int exitCode = -1;
        QString output;
    };

    Run run(const QStringList &arguments)
    {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(
            QStringLiteral("QT_QPA_PLATFORM")); // --screenshot must manage without a display
        environment.remove(QStringLiteral("DISPLAY"));
        process.setProcessEnvironment(environment);
        process.start(qEnvironmentVariable("UPCOACH_OPS_BINARY"), arguments);
        if (!process.waitForFinished(240'000))
            return {};
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                QString::fromLocal8Bit(process.readAll())};
    }

    void checkImage(const QString &png, const QString &keepAs)
    {
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800 && image.height() >= 600);
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 4)
            for (int x = 0; x < image.width(); x += 4)
                colours.insert(image.pixel(x, y));
        // Text, badges and the table, not a blank or "waiting" window.
        QVERIFY2(colours.size() > 150, qPrintable(QString::number(colours.size())));
        const QString screens = qEnvironmentVariable("UPCOACH_SCREENS_DIR");
        if (!screens.isEmpty() && QDir().mkpath(screens)) {
            QFile::remove(screens + QLatin1Char('/') + keepAs);
            QFile::copy(png, screens + QLatin1Char('/') + keepAs);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        ::chmod(QFile::encodeName(m_dir.path()).constData(),
                0755); // as root, postgres must reach it
    }

    void demoWritesTheTenantsPage()
    {
        const QString png = m_dir.filePath(QStringLiteral("tenants.png"));
        const Run result =
            run({QStringLiteral("demo"), QStringLiteral("--regions"), QStringLiteral("2"),
                 QStringLiteral("--state-dir"), m_dir.filePath(QStringLiteral("state")),
                 QStringLiteral("--screenshot"), png, QStringLiteral("--page"),
                 QStringLiteral("tenants")});
        QVERIFY2(result.exitCode == 0, qPrintable(result.output));
        QVERIFY2(result.output.contains(png), qPrintable(result.output));
        QVERIFY2(result.output.contains(QStringLiteral("seeded 24 demo tenants")),
                 qPrintable(result.output));
        QVERIFY(!QFile::exists(
            m_dir.filePath(QStringLiteral("state/clusters/us-east-1/postmaster.pid"))));
        checkImage(png, QStringLiteral("demo-tenants.png"));
    }

    void arabicOverTheSameState()
    {
        const QString png = m_dir.filePath(QStringLiteral("tenants-ar.png"));
        const Run result =
            run({QStringLiteral("demo"), QStringLiteral("--regions"), QStringLiteral("2"),
                 QStringLiteral("--state-dir"), m_dir.filePath(QStringLiteral("state")),
                 QStringLiteral("--screenshot"), png, QStringLiteral("--page"),
                 QStringLiteral("tenants"), QStringLiteral("--lang"), QStringLiteral("ar")});
        QVERIFY2(result.exitCode == 0, qPrintable(result.output));
        QVERIFY2(!result.output.contains(QStringLiteral("seeded")), qPrintable(result.output));
        checkImage(png, QStringLiteral("demo-tenants-ar.png"));
    }

    void consoleWithoutConfigurationHasNoTenants()
    {
        const QString png = m_dir.filePath(QStringLiteral("x.png"));
        const Run result = run({QStringLiteral("console"), QStringLiteral("--audit"), m_dir.path(),
                                QStringLiteral("--screenshot"), png, QStringLiteral("--page"),
                                QStringLiteral("tenants")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.output.contains(QStringLiteral("--page tenants needs --config")),
                 qPrintable(result.output));
        QVERIFY(!QFile::exists(png));
    }
};

QTEST_GUILESS_MAIN(TestTenantScreenshot)
#include "tenantscreenshottest.moc"
