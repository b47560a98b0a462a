// Configuration: every mistake names the key and the problem; secrets are never inline.
#include "upcoach/core/config.h"

#include <QTemporaryFile>
#include <QTest>

using namespace upcoach;

namespace {
const QByteArray kGood =
    "control_plane: { region: eu-west-1 }\n"
    "regions:\n"
    "  - id: us-east-1\n"
    "    dsn: \"host=db1.internal port=5432 dbname=upcoach user=upcoach\"\n"
    "    password_env: UPCOACH_TEST_PG_PASSWORD\n"
    "  - id: eu-west-1\n"
    "    dsn: \"postgresql://upcoach@db2.internal:5433/upcoach?sslmode=require\"\n"
    "    password_file: /run/secrets/pg\n"
    "monitor: { interval: 2s, timeout: 500ms, failures_before_down: 2 }\n"
    "server: { listen: \"0.0.0.0:9090\" }\n"
    "log: { format: text }\n";
}

class TestConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesAGoodConfiguration()
    {
        auto config = AppConfig::fromYaml(kGood);
        QVERIFY2(config.ok(), config.ok() ? "" : qPrintable(config.error().message));
        QCOMPARE(config->regions.size(), size_t(2));
        QCOMPARE(config->controlPlaneRegion, QStringLiteral("eu-west-1"));
        QCOMPARE(config->controlPlane()->passwordFile, QStringLiteral("/run/secrets/pg"));
        QCOMPARE(config->regions[0].passwordEnv, QStringLiteral("UPCOACH_TEST_PG_PASSWORD"));
        QCOMPARE(config->monitor.interval, std::chrono::milliseconds(2000));
        QCOMPARE(config->monitor.timeout, std::chrono::milliseconds(500));
        QCOMPARE(config->monitor.failuresBeforeDown, 2);
        QCOMPARE(config->listen.toString(), QStringLiteral("0.0.0.0:9090"));
        QVERIFY(!config->jsonLogs);
    }

    void controlPlaneDefaultsToTheFirstRegion()
    {
        auto config = AppConfig::fromYaml("regions: [{id: sa-east-1, dsn: 'host=x'}]");
        QVERIFY(config.ok());
        QCOMPARE(config->controlPlaneRegion, QStringLiteral("sa-east-1"));
        QVERIFY(config->jsonLogs);
    }

    void errorsNameTheKey_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << QByteArray("") << QStringLiteral("(document): must be a mapping");
        QTest::newRow("syntax") << QByteArray("regions: [ {id: x") << QStringLiteral("line ");
        QTest::newRow("no regions")
            << QByteArray("monitor: {interval: 1s}") << QStringLiteral("regions: a non-empty list");
        QTest::newRow("typo at top")
            << QByteArray("regons: []") << QStringLiteral("regons: unknown key");
        QTest::newRow("typo in region")
            << QByteArray("regions: [{id: us-east-1, dsn: 'host=x', pasword_env: X}]")
            << QStringLiteral("regions[0].pasword_env: unknown key");
        QTest::newRow("unknown region")
            << QByteArray("regions: [{id: mars-north-1, dsn: 'host=x'}]")
            << QStringLiteral("regions[0].id: unknown region \"mars-north-1\"");
        QTest::newRow("twice")
            << QByteArray(
                   "regions: [{id: us-east-1, dsn: 'host=x'}, {id: us-east-1, dsn: 'host=y'}]")
            << QStringLiteral("regions[1].id: region \"us-east-1\" is listed twice");
        QTest::newRow("missing dsn")
            << QByteArray("regions: [{id: us-east-1}]")
            << QStringLiteral("regions[0].dsn: a non-empty string is required");
        QTest::newRow("bad dsn") << QByteArray("regions: [{id: us-east-1, dsn: 'host=x bogus'}]")
                                 << QStringLiteral(
                                        "regions[0].dsn: not a valid libpq connection string");
        QTest::newRow("inline password")
            << QByteArray("regions: [{id: us-east-1, dsn: 'host=x password=hunter2'}]")
            << QStringLiteral("regions[0].dsn: contains an inline password");
        QTest::newRow("inline password in uri")
            << QByteArray("regions: [{id: us-east-1, dsn: 'postgresql://u:hunter2@x/db'}]")
            << QStringLiteral("regions[0].dsn: contains an inline password");
        QTest::newRow("both secrets")
            << QByteArray(
                   "regions: [{id: us-east-1, dsn: 'host=x', password_env: A, password_file: /b}]")
            << QStringLiteral("regions[0]: set password_env or password_file, not both");
        QTest::newRow("bad env name")
            << QByteArray("regions: [{id: us-east-1, dsn: 'host=x', password_env: 'A B'}]")
            << QStringLiteral("regions[0].password_env: not an environment variable name");
        QTest::newRow("control plane elsewhere")
            << QByteArray(
                   "control_plane: {region: eu-west-1}\nregions: [{id: us-east-1, dsn: 'host=x'}]")
            << QStringLiteral(
                   "control_plane.region: \"eu-west-1\" is not one of the configured regions");
        QTest::newRow("bad duration")
            << QByteArray("regions: [{id: us-east-1, dsn: 'host=x'}]\nmonitor: {interval: soon}")
            << QStringLiteral("monitor.interval: \"soon\" is not a duration");
        QTest::newRow("tiny interval")
            << QByteArray("regions: [{id: us-east-1, dsn: 'host=x'}]\nmonitor: {interval: 5ms}")
            << QStringLiteral("monitor.interval: must be between 100ms and 1h");
        QTest::newRow("threshold")
            << QByteArray(
                   "regions: [{id: us-east-1, dsn: 'host=x'}]\nmonitor: {failures_before_down: 0}")
            << QStringLiteral("monitor.failures_before_down: must be a whole number");
        QTest::newRow("listen")
            << QByteArray("regions: [{id: us-east-1, dsn: 'host=x'}]\nserver: {listen: 'nowhere'}")
            << QStringLiteral("server.listen: \"nowhere\" is not ADDRESS:PORT");
        QTest::newRow("log format")
            << QByteArray("regions: [{id: us-east-1, dsn: 'host=x'}]\nlog: {format: xml}")
            << QStringLiteral("log.format: must be \"json\" or \"text\"");
        // keys: (per-tenant envelope encryption)
        const QByteArray region("regions: [{id: us-east-1, dsn: 'host=x'}]\n");
        const QByteArray hsm("keys: {provider: pkcs11, pkcs11: {module: /usr/lib/softhsm/"
                             "libsofthsm2.so, token_label: t, key_label: k");
        QTest::newRow("keys not a map")
            << QByteArray(region + "keys: keyring") << QStringLiteral("keys: must be a mapping");
        QTest::newRow("keys typo") << QByteArray(region + "keys: {provder: keyring}")
                                   << QStringLiteral("keys.provder: unknown key");
        QTest::newRow("keys provider")
            << QByteArray(region + "keys: {provider: vault}")
            << QStringLiteral("keys.provider: must be \"keyring\" or \"pkcs11\", not \"vault\"");
        QTest::newRow("keys rotation negative")
            << QByteArray(region + "keys: {rotation_days: -1}")
            << QStringLiteral("keys.rotation_days: must be a whole number of days from 0");
        QTest::newRow("keys rotation words") << QByteArray(region + "keys: {rotation_days: soon}")
                                             << QStringLiteral("keys.rotation_days: must be");
        QTest::newRow("keys rotation too long")
            << QByteArray(region + "keys: {rotation_days: 3651}")
            << QStringLiteral("keys.rotation_days: must be");
        QTest::newRow("keys empty file") << QByteArray(region + "keys: {keyring_file: ''}")
                                         << QStringLiteral("keys.keyring_file: a non-empty string");
        QTest::newRow("keys pkcs11 block with keyring")
            << QByteArray(region + "keys: {provider: keyring, pkcs11: {module: /x.so}}")
            << QStringLiteral("keys.pkcs11: only applies to provider: pkcs11");
        QTest::newRow("keys keyring_file with pkcs11")
            << QByteArray(region + hsm + ", pin_env: PIN}, keyring_file: /k}")
            << QStringLiteral("keys.keyring_file: only applies to provider: keyring");
        QTest::newRow("keys pkcs11 missing")
            << QByteArray(region + "keys: {provider: pkcs11}")
            << QStringLiteral("keys.pkcs11: provider pkcs11 needs a mapping");
        QTest::newRow("keys pkcs11 typo") << QByteArray(region + hsm + ", pin_env: PIN, slot: 1}}")
                                          << QStringLiteral("keys.pkcs11.slot: unknown key");
        QTest::newRow("keys pkcs11 no module")
            << QByteArray(region + "keys: {provider: pkcs11, pkcs11: {token_label: t, "
                                   "key_label: k, pin_env: PIN}}")
            << QStringLiteral("keys.pkcs11.module: a non-empty string is required");
        QTest::newRow("keys pkcs11 relative module")
            << QByteArray(region + "keys: {provider: pkcs11, pkcs11: {module: libsofthsm2.so, "
                                   "token_label: t, key_label: k, pin_env: PIN}}")
            << QStringLiteral("keys.pkcs11.module: must be an absolute path");
        QTest::newRow("keys pkcs11 long token")
            << QByteArray(region + "keys: {provider: pkcs11, pkcs11: {module: /m.so, token_label: "
                                   "abcdefghijklmnopqrstuvwxyz0123456789, key_label: k, "
                                   "pin_env: PIN}}")
            << QStringLiteral("keys.pkcs11.token_label: a PKCS#11 token label is at most 32 bytes");
        QTest::newRow("keys pkcs11 bad label")
            << QByteArray(region + "keys: {provider: pkcs11, pkcs11: {module: /m.so, token_label: "
                                   "t, key_label: 'my key', pin_env: PIN}}")
            << QStringLiteral("keys.pkcs11.key_label: 1 to 48 characters");
        QTest::newRow("keys pkcs11 no pin") << QByteArray(region + hsm + "}}")
                                            << QStringLiteral("keys.pkcs11: the token's user PIN");
        QTest::newRow("keys pkcs11 both pins")
            << QByteArray(region + hsm + ", pin_env: PIN, pin_file: /p}}")
            << QStringLiteral("keys.pkcs11: set pin_env or pin_file, not both");
        QTest::newRow("keys pkcs11 bad env")
            << QByteArray(region + hsm + ", pin_env: 'A-B'}}")
            << QStringLiteral("keys.pkcs11.pin_env: not an environment variable name");
        QTest::newRow("keys pkcs11 inline pin") << QByteArray(region + hsm + ", pin: hunter2}}")
                                                << QStringLiteral("keys.pkcs11.pin: unknown key");
        QTest::newRow("keys pkcs11 create flag")
            << QByteArray(region + hsm + ", pin_env: PIN, create_key: yes-please}}")
            << QStringLiteral("keys.pkcs11.create_key: must be true or false");
    }

    void errorsNameTheKey()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, expected);
        auto config = AppConfig::fromYaml(yaml);
        QVERIFY(!config.ok());
        QCOMPARE(config.error().code, ErrorCode::Config);
        QVERIFY2(config.error().message.contains(expected), qPrintable(config.error().message));
        QVERIFY(!config.error().message.contains(QStringLiteral("hunter2")));
    }

    void parsesTheKeysBlock()
    {
        const QByteArray region("regions: [{id: us-east-1, dsn: 'host=x'}]\n");
        auto defaults = AppConfig::fromYaml(region);
        QVERIFY(defaults.ok());
        QCOMPARE(defaults->keys.provider, KeysConfig::Provider::Keyring);
        QVERIFY(defaults->keys.keyringFile.isEmpty()); // the caller's state-dir default applies
        QCOMPARE(defaults->keys.rotationDays, 90);
        auto never = AppConfig::fromYaml(region + "keys: {rotation_days: 0}");
        QVERIFY(never.ok());
        QCOMPARE(never->keys.rotationDays, 0);

        auto keyring = AppConfig::fromYaml(region + "keys: {keyring_file: /srv/keys/ring}");
        QVERIFY(keyring.ok());
        QCOMPARE(keyring->keys.provider, KeysConfig::Provider::Keyring);
        QCOMPARE(keyring->keys.keyringFile, QStringLiteral("/srv/keys/ring"));

        auto hsm = AppConfig::fromYaml(region + "keys:\n"
                                                "  provider: pkcs11\n"
                                                "  pkcs11:\n"
                                                "    module: /usr/lib/softhsm/libsofthsm2.so\n"
                                                "    token_label: upcoach\n"
                                                "    pin_file: /run/secrets/hsm-pin\n"
                                                "    key_label: upcoach-kek\n"
                                                "    create_key: true\n");
        QVERIFY2(hsm.ok(), hsm.ok() ? "" : qPrintable(hsm.error().message));
        QCOMPARE(hsm->keys.provider, KeysConfig::Provider::Pkcs11);
        QCOMPARE(hsm->keys.pkcs11.module, QStringLiteral("/usr/lib/softhsm/libsofthsm2.so"));
        QCOMPARE(hsm->keys.pkcs11.tokenLabel, QStringLiteral("upcoach"));
        QCOMPARE(hsm->keys.pkcs11.pinFile, QStringLiteral("/run/secrets/hsm-pin"));
        QVERIFY(hsm->keys.pkcs11.pinEnv.isEmpty());
        QCOMPARE(hsm->keys.pkcs11.keyLabel, QStringLiteral("upcoach-kek"));
        QVERIFY(hsm->keys.pkcs11.createKey);

        auto byEnv = AppConfig::fromYaml(region + "keys: {provider: pkcs11, pkcs11: {module: "
                                                  "/m.so, token_label: t, key_label: k, "
                                                  "pin_env: HSM_PIN}}");
        QVERIFY(byEnv.ok());
        QCOMPARE(byEnv->keys.pkcs11.pinEnv, QStringLiteral("HSM_PIN"));
        QVERIFY(!byEnv->keys.pkcs11.createKey);
    }

    void oversizedConfigIsRejected()
    {
        auto config = AppConfig::fromYaml(QByteArray(2 << 20, ' '));
        QVERIFY(!config.ok());
        QVERIFY(config.error().message.contains(QStringLiteral("larger than 1 MiB")));
    }

    void loadNamesTheFile()
    {
        auto missing = AppConfig::load(QStringLiteral("/nonexistent/upcoach.yaml"));
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.contains(QStringLiteral("/nonexistent/upcoach.yaml")));
    }

    void passwordComesFromEnvironmentOrFile()
    {
        RegionEndpoint endpoint;
        endpoint.regionId = QStringLiteral("us-east-1");
        endpoint.dsn =
            QStringLiteral("postgresql://upcoach@db.internal:5433/upcoach?sslmode=require");
        endpoint.passwordEnv = QStringLiteral("UPCOACH_TEST_PG_PASSWORD");
        qunsetenv("UPCOACH_TEST_PG_PASSWORD");
        auto unset = endpoint.connectionString();
        QVERIFY(!unset.ok());
        QVERIFY(unset.error().message.contains(QStringLiteral("UPCOACH_TEST_PG_PASSWORD")));

        qputenv("UPCOACH_TEST_PG_PASSWORD", "it's a \\secret");
        auto resolved =
            endpoint.connectionString({{QStringLiteral("connect_timeout"), QStringLiteral("3")}});
        QVERIFY(resolved.ok());
        // The URI is rewritten as quoted key=value pairs, the password escaped for libpq.
        QVERIFY2(resolved->contains(QStringLiteral("password='it\\'s a \\\\secret'")),
                 qPrintable(resolved.value()));
        QVERIFY(resolved->contains(QStringLiteral("host='db.internal'")));
        QVERIFY(resolved->contains(QStringLiteral("port='5433'")));
        QVERIFY(resolved->contains(QStringLiteral("sslmode='require'")));
        QVERIFY(resolved->contains(QStringLiteral("connect_timeout='3'")));

        QTemporaryFile file;
        QVERIFY(file.open());
        file.write("from-file\n");
        file.flush();
        endpoint.passwordEnv.clear();
        endpoint.passwordFile = file.fileName();
        auto fromFile = endpoint.connectionString();
        QVERIFY(fromFile.ok());
        QVERIFY(fromFile->contains(QStringLiteral("password='from-file'")));

        endpoint.passwordFile = QStringLiteral("/nonexistent/secret");
        auto missingFile = endpoint.connectionString();
        QVERIFY(!missingFile.ok());
        QVERIFY(missingFile.error().message.contains(QStringLiteral("/nonexistent/secret")));
    }

    void durationsAndAddresses()
    {
        QCOMPARE(parseDuration(QStringLiteral("250ms")).value(), std::chrono::milliseconds(250));
        QCOMPARE(parseDuration(QStringLiteral("2m")).value(), std::chrono::milliseconds(120'000));
        QCOMPARE(parseDuration(QStringLiteral("30d")).value(),
                 std::chrono::milliseconds(30LL * 86'400'000));
        QVERIFY(!parseDuration(QStringLiteral("-1s")).ok());
        QVERIFY(!parseDuration(QStringLiteral("1 fortnight")).ok());
        QCOMPARE(ListenAddress::parse(QStringLiteral("[::1]:8080"))->toString(),
                 QStringLiteral("[::1]:8080"));
        QCOMPARE(ListenAddress::parse(QStringLiteral("localhost:0"))->port, quint16(0));
        QVERIFY(!ListenAddress::parse(QStringLiteral("127.0.0.1:70000")).ok());
        QVERIFY(!ListenAddress::parse(QStringLiteral("example:80")).ok());
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "test_config.moc"
