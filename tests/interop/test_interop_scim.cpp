// Our SCIM 2.0 server against a SCIM client that is not ours: tests/interop/scim_client.mjs sends
// RFC 7644's requests (users, groups, filters, sorting, paging, projections, ETags, PATCH, errors)
// and checks every resource we return against npm scimmy's schema definitions and every filter
// with scimmy's parser. Runs on a schema-per-tenant tenant, with the token from the API.
#include "identitytestsupport.h"
#include "nodepeer.h"
#include "upcoach/identity/scimservice.h"
#include "upcoach/identity/ssoservice.h"
#include "upcoach/identity/ssostore.h"
#include "upcoach/tenancy/tenantusers.h"
#include "upcoach/tenancy/usage.h"

using namespace upcoach;
using namespace upcoach::testing;

class TestInteropScim : public QObject
{
    Q_OBJECT
    TenantApiFixture m_f;
    IdentityStack m_id;
    QString m_slug;

private Q_SLOTS:
    void initTestCase()
    {
        const QString error =
            m_f.start(1, [this](api::ServerDeps &deps) { m_id.build(m_f, deps); });
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_id.useServerUrl(m_f);
        auto tenant = offThread([this] {
            return m_f.tenancy->createTenant(QStringLiteral("scimx"),
                                             tenancy::IsolationStrategy::Schema);
        });
        QVERIFY2(tenant, qPrintable(tenant ? QString() : tenant.error().message));
        m_slug = tenant->slug;
    }

    void cleanupTestCase() { m_id.stop(m_f); }

    void scimmyValidatedClientPassesEveryCheck()
    {
        const HttpReply issued = m_f.send(
            "POST", QStringLiteral("/api/v1/tenants/") + m_slug + QStringLiteral("/scim-token"),
            m_f.admin);
        QCOMPARE(issued.status, 201);
        const QString token = issued.json().value(QStringLiteral("token")).toString();
        const QString base = issued.json().value(QStringLiteral("scimBaseUrl")).toString();
        QVERIFY(token.startsWith(QStringLiteral("scim_")));
        QVERIFY(base.endsWith(QStringLiteral("/scim/v2/") + m_slug));

        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("SCIM_TOKEN"), token);
        // The client runs to its end; its JSON lines are read after it exits.
        NodePeer client;
        QVERIFY2(
            client.launch({interopScript(QStringLiteral("scim_client.mjs")), base}, environment),
            qPrintable(client.error()));
        QProcess *process = client.process();
        const int code = client.waitForExit(180000);
        const QByteArray output = process->readAllStandardOutput();
        QStringList failed;
        int passed = 0;
        for (const QByteArray &line : output.split('\n')) {
            const QJsonObject check = QJsonDocument::fromJson(line).object();
            if (!check.contains(QStringLiteral("check")))
                continue;
            if (check.value(QStringLiteral("ok")).toBool())
                ++passed;
            else
                failed << check.value(QStringLiteral("check")).toString() + QStringLiteral(": ") +
                              check.value(QStringLiteral("detail")).toString();
        }
        if (!failed.isEmpty() || code != 0)
            qWarning().noquote() << "scim_client failures:\n"
                                 << failed.join(u'\n') << "\nstderr:" << client.stderrText();
        QVERIFY2(failed.isEmpty(), qPrintable(failed.join(QStringLiteral("; "))));
        QCOMPARE(code, 0);
        QVERIFY(passed >= 20);
        qInfo("scim_client: %d checks passed", passed);

        // The client's changes are in the audit log, by id only.
        int changes = 0;
        for (const auto &event : m_f.auditOfTenant(m_slug))
            changes += event.action.startsWith(QStringLiteral("scim.")) &&
                       event.outcome == QStringLiteral("success");
        QVERIFY(changes >= 10);
    }
};

QTEST_GUILESS_MAIN(TestInteropScim)
#include "test_interop_scim.moc"
