// `upcoach-ops console --audit DIR --screenshot out.png --page audit` end to end: the real binary,
// no database and no configuration, on a bundle written here; plus its usage errors.
#include "auditbundlefixture.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

class TestAuditScreenshot : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_bundle;

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
        if (!process.waitForFinished(120'000))
            return {};
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                QString::fromLocal8Bit(process.readAll())};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto log = upcoach::testing::makeAuditLog(300, 100);
        QVERIFY(log.ok());
        m_bundle = m_dir.filePath(QStringLiteral("bundle"));
        QVERIFY(upcoach::testing::writeAuditBundle(*log, m_bundle).ok());
    }

    void writesTheAuditPage()
    {
        const QString png = m_dir.filePath(QStringLiteral("audit.png"));
        const Run result = run({QStringLiteral("console"), QStringLiteral("--audit"), m_bundle,
                                QStringLiteral("--screenshot"), png, QStringLiteral("--page"),
                                QStringLiteral("audit")});
        QVERIFY2(result.exitCode == 0, qPrintable(result.output));
        QVERIFY2(result.output.contains(png), qPrintable(result.output));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800 && image.height() >= 600);
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 4)
            for (int x = 0; x < image.width(); x += 4)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 50, qPrintable(QString::number(colours.size())));
        const QString screens = qEnvironmentVariable("UPCOACH_SCREENS_DIR");
        if (!screens.isEmpty() && QDir().mkpath(screens)) {
            QFile::remove(screens + QStringLiteral("/console-audit.png"));
            QFile::copy(png, screens + QStringLiteral("/console-audit.png"));
        }
    }

    void usageErrorsExitWithTwo()
    {
        const QString png = m_dir.filePath(QStringLiteral("x.png"));
        const Run missing =
            run({QStringLiteral("console"), QStringLiteral("--audit"),
                 m_dir.filePath(QStringLiteral("nowhere")), QStringLiteral("--screenshot"), png});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.output.contains(QStringLiteral("nowhere")), qPrintable(missing.output));

        const Run regions = run({QStringLiteral("console"), QStringLiteral("--audit"), m_bundle,
                                 QStringLiteral("--screenshot"), png, QStringLiteral("--page"),
                                 QStringLiteral("regions")});
        QCOMPARE(regions.exitCode, 2);
        QVERIFY2(regions.output.contains(QStringLiteral("--config")), qPrintable(regions.output));

        const Run nothing = run({QStringLiteral("console"), QStringLiteral("--screenshot"), png});
        QCOMPARE(nothing.exitCode, 2);
        QVERIFY2(nothing.output.contains(QStringLiteral("--audit")), qPrintable(nothing.output));
        QVERIFY(!QFile::exists(png));
    }
};

QTEST_GUILESS_MAIN(TestAuditScreenshot)
#include "auditscreenshottest.moc"
