// The pure rules of tenancy: the lifecycle state machine, input validation, settings
// validation and effective settings, the tenant-session statement guard, PII masking.
#include "upcoach/tenancy/masking.h"
#include "upcoach/tenancy/tenant.h"
#include "upcoach/tenancy/tenantsession.h"
#include "upcoach/tenancy/tenantsettings.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace upcoach;
using namespace upcoach::tenancy;

Q_DECLARE_METATYPE(TenantState)
Q_DECLARE_METATYPE(LifecycleAction)

namespace {
Plan growth()
{
    Plan plan;
    plan.plan = QStringLiteral("growth");
    plan.limits = {250, 1000, 3000};
    plan.features = {{QStringLiteral("sso"), true}, {QStringLiteral("scim"), false}};
    return plan;
}
} // namespace

class TestTenantRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stateMachine_data()
    {
        QTest::addColumn<TenantState>("from");
        QTest::addColumn<LifecycleAction>("action");
        QTest::addColumn<int>("to"); // -1: refused
        using S = TenantState;
        using A = LifecycleAction;
        const S states[] = {S::Trial, S::Active, S::Suspended, S::Canceled, S::Deleted};
        const A actions[] = {A::Activate, A::Suspend, A::Cancel, A::Reactivate, A::ExpireTrial};
        // The whole table: every state × every action.
        const int expected[5][5] = {
            /* trial     */ {int(S::Active), int(S::Suspended), int(S::Canceled), -1,
                             int(S::Suspended)},
            /* active    */ {-1, int(S::Suspended), int(S::Canceled), -1, -1},
            /* suspended */ {int(S::Active), -1, int(S::Canceled), -1, -1},
            /* canceled  */ {-1, -1, -1, int(S::Active), -1},
            /* deleted   */ {-1, -1, -1, -1, -1},
        };
        for (int s = 0; s < 5; ++s) {
            for (int a = 0; a < 5; ++a)
                QTest::addRow("%s %s", qPrintable(stateName(states[s])),
                              qPrintable(actionName(actions[a])))
                    << states[s] << actions[a] << expected[s][a];
        }
    }

    void stateMachine()
    {
        QFETCH(TenantState, from);
        QFETCH(LifecycleAction, action);
        QFETCH(int, to);
        auto next = nextState(QStringLiteral("acme"), from, action, true);
        if (to < 0) {
            QVERIFY(!next);
            QCOMPARE(next.error().code, ErrorCode::Conflict);
            QVERIFY(next.error().message.startsWith(
                QStringLiteral("tenant acme cannot %1: ").arg(actionName(action))));
        } else {
            QVERIFY(next);
            QCOMPARE(int(next.value()), to);
        }
    }

    void trialExpiryNeedsAnEndedTrial()
    {
        QVERIFY(!nextState(QStringLiteral("acme"), TenantState::Trial, LifecycleAction::ExpireTrial,
                           false));
    }

    void namesRoundTrip()
    {
        for (auto s : {TenantState::Trial, TenantState::Active, TenantState::Suspended,
                       TenantState::Canceled, TenantState::Deleted})
            QCOMPARE(parseState(stateName(s)), s);
        for (auto i : {IsolationStrategy::RowLevelSecurity, IsolationStrategy::Schema,
                       IsolationStrategy::Database})
            QCOMPARE(parseIsolation(isolationName(i)), i);
        QVERIFY(!parseIsolation(QStringLiteral("RLS")));
        QVERIFY(!parseAction(QStringLiteral("delete")));
    }

    void placementNamesAreSafeIdentifiers()
    {
        const QUuid id = QUuid::createUuid();
        const QRegularExpression identifier(QStringLiteral("^[a-z_][a-z0-9_]{0,62}$"));
        for (const QString &name : {placementSchema(id, IsolationStrategy::Schema),
                                    placementRole(id, IsolationStrategy::Schema),
                                    placementDatabase(id, IsolationStrategy::Database)})
            QVERIFY2(identifier.match(name).hasMatch(), qPrintable(name));
        QCOMPARE(placementSchema(id, IsolationStrategy::RowLevelSecurity),
                 QStringLiteral("tenant_shared"));
        QCOMPARE(placementDatabase(id, IsolationStrategy::Schema), QString());
    }

    void slugs_data()
    {
        QTest::addColumn<QByteArray>("slugBytes");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << QByteArray("acme") << true;
        QTest::newRow("dashes") << QByteArray("acme-eu-1") << true;
        QTest::newRow("short") << QByteArray("ab") << false;
        QTest::newRow("upper") << QByteArray("Acme") << false;
        QTest::newRow("leading digit") << QByteArray("1acme") << false;
        QTest::newRow("trailing dash") << QByteArray("acme-") << false;
        QTest::newRow("double dash") << QByteArray("ac--me") << false;
        QTest::newRow("underscore") << QByteArray("ac_me") << false;
        QTest::newRow("quote") << QByteArray("acme'--") << false;
        QTest::newRow("64 chars") << QByteArray(64, 'a') << false;
        QTest::newRow("63 chars") << QByteArray(63, 'a') << true;
        QTest::newRow("unicode") << QByteArray("acm\xc3\xa9") << false;
    }

    void slugs()
    {
        QFETCH(QByteArray, slugBytes);
        const QString slug = QString::fromUtf8(slugBytes);
        QFETCH(bool, valid);
        QCOMPARE(bool(validateSlug(slug)), valid);
        if (!valid)
            QVERIFY(validateSlug(slug).error().message.startsWith(QLatin1String("slug:")));
    }

    void namesAndEmails()
    {
        QVERIFY(validateDisplayName(QStringLiteral("Acme GmbH")));
        QVERIFY(!validateDisplayName(QStringLiteral("  ")));
        QVERIFY(!validateDisplayName(QString(201, QLatin1Char('x'))));
        QVERIFY(!validateDisplayName(QStringLiteral("bad\u202Ename")));
        QVERIFY(validateOwnerEmail(QStringLiteral("ops@acme.example")));
        QVERIFY(!validateOwnerEmail(QStringLiteral("ops@localhost")));
        QVERIFY(!validateOwnerEmail(QStringLiteral("ops acme@x.example")));
        QVERIFY(!validateOwnerEmail(QString(250, QLatin1Char('a')) + QStringLiteral("@x.example")));
    }

    void configValidationNamesTheKey_data()
    {
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<QByteArray>("error"); // "" = valid
        QTest::newRow("empty") << QByteArray("{}") << QByteArray();
        QTest::newRow("full") << QByteArray(
                                     "{\"locale\": \"de-DE\", \"timezone\": \"Europe/Berlin\","
                                     "            \"weekStartsOn\": \"sunday\", "
                                     "\"sessionLengthMinutes\": 45, \"dataRetentionDays\": 365,"
                                     "            \"mfaRequired\": true, \"ssoRequired\": true, "
                                     "\"allowedEmailDomains\": [\"acme.example\"],"
                                     "            \"brandColor\": \"#112233\"}")
                              << QByteArray();
        QTest::newRow("unknown") << QByteArray("{\"theme\": \"dark\"}")
                                 << QByteArray("config.theme:");
        QTest::newRow("locale") << QByteArray("{\"locale\": \"german\"}")
                                << QByteArray("config.locale:");
        QTest::newRow("zone") << QByteArray("{\"timezone\": \"Europe/Atlantis\"}")
                              << QByteArray("config.timezone:");
        QTest::newRow("minutes type") << QByteArray("{\"sessionLengthMinutes\": \"45\"}")
                                      << QByteArray("config.sessionLengthMinutes:");
        QTest::newRow("minutes fraction") << QByteArray("{\"sessionLengthMinutes\": 45.5}")
                                          << QByteArray("config.sessionLengthMinutes:");
        QTest::newRow("minutes range") << QByteArray("{\"sessionLengthMinutes\": 5}")
                                       << QByteArray("config.sessionLengthMinutes:");
        QTest::newRow("bool") << QByteArray("{\"mfaRequired\": 1}")
                              << QByteArray("config.mfaRequired:");
        QTest::newRow("domain")
            << QByteArray("{\"allowedEmailDomains\": [\"ok.example\", \"Bad Domain\"]}")
            << QByteArray("config.allowedEmailDomains[1]:");
        QTest::newRow("colour") << QByteArray("{\"brandColor\": \"red\"}")
                                << QByteArray("config.brandColor:");
    }

    void configValidationNamesTheKey()
    {
        QFETCH(QByteArray, config);
        QFETCH(QByteArray, error);
        Status s = validateConfig(QJsonDocument::fromJson(config).object(), growth(), {});
        if (error.isEmpty()) {
            QVERIFY2(s, s ? "" : qPrintable(s.error().message));
        } else {
            QVERIFY(!s);
            QVERIFY2(s.error().message.startsWith(QString::fromUtf8(error)),
                     qPrintable(s.error().message));
        }
    }

    void ssoNeedsTheFeature()
    {
        const QJsonObject sso{{QStringLiteral("ssoRequired"), true}};
        QVERIFY(validateConfig(sso, growth(), {}));
        QVERIFY(!validateConfig(sso, growth(), {{QStringLiteral("sso"), false}}));
    }

    void limitsAndFeatures()
    {
        QVERIFY(validateLimitOverrides({{QStringLiteral("seats"), 10}}));
        QVERIFY(!validateLimitOverrides({{QStringLiteral("seats"), 0}}));
        QVERIFY(!validateLimitOverrides({{QStringLiteral("seats"), 1e7}}));
        QVERIFY(!validateLimitOverrides({{QStringLiteral("cpus"), 4}}));
        QVERIFY(validateFeatureOverrides({{QStringLiteral("scim"), true}}, growth()));
        QVERIFY(
            !validateFeatureOverrides({{QStringLiteral("scim"), QStringLiteral("yes")}}, growth()));
        QVERIFY(!validateFeatureOverrides({{QStringLiteral("warp"), true}}, growth()));
    }

    void effectiveSettingsOverrideThePlan()
    {
        Tenant tenant;
        tenant.slug = QStringLiteral("acme");
        tenant.limits = {{QStringLiteral("seats"), 40}};
        tenant.features = {{QStringLiteral("scim"), true}};
        tenant.config = {{QStringLiteral("timezone"), QStringLiteral("Asia/Tokyo")}};
        const EffectiveSettings settings = effectiveSettings(growth(), tenant);
        QCOMPARE(settings.limits.seats, 40);
        QCOMPARE(settings.limits.apiRequestsPerMinute, 3000);
        QCOMPARE(settings.features.value(QStringLiteral("scim")), true);
        QCOMPARE(settings.features.value(QStringLiteral("sso")), true);
        QCOMPARE(settings.config.value(QLatin1String("timezone")).toString(),
                 QStringLiteral("Asia/Tokyo"));
        QCOMPARE(settings.config.value(QLatin1String("locale")).toString(),
                 QStringLiteral("en-US"));
    }

    void statementGuard_data()
    {
        QTest::addColumn<QByteArray>("sql");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("select") << QByteArray("SELECT * FROM users") << true;
        QTest::newRow("lower with") << QByteArray("  with x as (select 1) select * from x") << true;
        QTest::newRow("paren") << QByteArray("(SELECT 1)") << true;
        QTest::newRow("insert") << QByteArray("INSERT INTO goals (title) VALUES ($1)") << true;
        QTest::newRow("comment then select") << QByteArray("-- note\n/* c */ SELECT 1") << true;
        QTest::newRow("set") << QByteArray("SET ROLE upcoach_app") << false;
        QTest::newRow("set local") << QByteArray("set local upcoach.tenant_id = 'x'") << false;
        QTest::newRow("reset") << QByteArray("RESET ALL") << false;
        QTest::newRow("comment hides set") << QByteArray("/* SELECT */ SET ROLE x") << false;
        QTest::newRow("line comment hides set") << QByteArray("-- SELECT\nSET ROLE x") << false;
        QTest::newRow("set_config")
            << QByteArray("SELECT set_config('upcoach.tenant_id', $1, true)") << false;
        QTest::newRow("set_config qualified upper")
            << QByteArray("SELECT PG_CATALOG.SET_CONFIG('role', 'x', true)") << false;
        QTest::newRow("copy") << QByteArray("COPY users TO STDOUT") << false;
        QTest::newRow("begin") << QByteArray("BEGIN") << false;
        QTest::newRow("commit") << QByteArray("COMMIT") << false;
        QTest::newRow("create") << QByteArray("CREATE TEMP TABLE users (id int)") << false;
        QTest::newRow("do") << QByteArray("DO $$ BEGIN END $$") << false;
        QTest::newRow("discard") << QByteArray("DISCARD ALL") << false;
        QTest::newRow("empty") << QByteArray("") << false;
        QTest::newRow("unterminated comment") << QByteArray("/* SELECT 1") << false;
    }

    void statementGuard()
    {
        QFETCH(QByteArray, sql);
        QFETCH(bool, allowed);
        const Status s = checkTenantStatement(sql.toStdString());
        QCOMPARE(bool(s), allowed);
        if (!allowed)
            QCOMPARE(s.error().code, ErrorCode::Forbidden);
    }

    void maskingIsDeterministicAndKeepsFormats()
    {
        PiiMasker masker(QByteArray(32, 'k'));
        PiiMasker other(QByteArray(32, 'x'));
        QVERIFY(masker.isValid());
        QVERIFY(!PiiMasker(QByteArray(8, 'k')).isValid());
        const QString email = QStringLiteral("Jane.Doe42@mail.acme.de");
        const QString masked = masker.email(email);
        QCOMPARE(masker.email(email), masked); // deterministic
        QVERIFY(masked != email);
        QVERIFY(other.email(email) != masked); // keyed
        QCOMPARE(masked.size(), email.size());
        QVERIFY(
            QRegularExpression(
                QStringLiteral("^[A-Z][a-z]{3}\\.[A-Z][a-z]{2}[0-9]{2}@[a-z]{4}\\.[a-z]{4}\\.de$"))
                .match(masked)
                .hasMatch());
        const QString phone = QStringLiteral("+49 (30) 1234-5678");
        const QString maskedPhone = masker.phone(phone);
        QVERIFY(QRegularExpression(QStringLiteral("^\\+[0-9]{2} \\([0-9]{2}\\) [0-9]{4}-[0-9]{4}$"))
                    .match(maskedPhone)
                    .hasMatch());
        QVERIFY(maskedPhone != phone);
        // The same number written differently keeps its own punctuation.
        QVERIFY(QRegularExpression(QStringLiteral("^\\+[0-9]{4} [0-9]{8}$"))
                    .match(masker.phone(QStringLiteral("+4930 12345678")))
                    .hasMatch());
        const QString name = masker.name(QStringLiteral("Zoë Müller"));
        QCOMPARE(name.size(), 10);
        QVERIFY(name.at(0).isUpper() && name.at(3) == QLatin1Char(' ') && name.at(4).isUpper());
        QVERIFY(!name.contains(QLatin1String("ller")));
    }
};

QTEST_GUILESS_MAIN(TestTenantRules)
#include "test_tenant_rules.moc"
