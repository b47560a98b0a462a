// The console's Tenants page as demo and console --config show it: a TenantWorkspace over a real
// throwaway cluster (TenancyFixture and TenantConsoleBackend), Main.qml loaded through
// createConsoleView, rendered offscreen. A user's clicks pick a tenant, open its tabs, suspend it
// through the confirmation dialog, open the settings editor, walk the "New tenant" wizard,
// rotate a data key and impersonate a tenant user through the dialog until the impersonation is
// ended; English and Arabic (mirrored). Any QML warning fails the test. Screenshots go to
// $UPCOACH_SCREENS_DIR; tenant-impersonation.png also to $UPCOACH_DOCS_IMAGES_DIR when it is set
// (docs/images/, for the README).
#include "console.h"
#include "quickitems.h"
#include "tenancyfixture.h"
#include "tenantconsolebackend.h"
#include "tenantworkspace.h"
#include "upcoach/identity/saml.h"
#include "upcoach/identity/ssostore.h"
#include "upcoach/tenancy/sampledata.h"

#include <QDir>
#include <QImage>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <functional>

using namespace upcoach;
using namespace upcoach::viewmodels;
using namespace upcoach::uitest;
using upcoach::app::ConsoleModels;
using upcoach::app::ConsoleOptions;

namespace {

constexpr int kWait = 30'000;
// The documentation's data-tab screenshot: usage and encryption on one screen.
constexpr int kTallWindowHeight = 1240;

// Whether `item` lies inside the window and is not cut off by a clipping ancestor.
bool fullyShown(QQuickItem *item)
{
    const QRectF mine = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
    for (QQuickItem *at = item->parentItem(); at; at = at->parentItem()) {
        if (!at->clip())
            continue;
        const QRectF box = at->mapRectToScene(QRectF(0, 0, at->width(), at->height()));
        if (!box.adjusted(-1, -1, 1, 1).contains(mine))
            return false;
    }
    return true;
}

} // namespace

class TenantConsoleUiTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<testing::TenancyFixture> f;
    std::unique_ptr<testing::TenantConsoleBackend> m_console;
    TenantBackend m_backend;

    struct Console
    {
        TenantWorkspace workspace{nullptr};
        std::unique_ptr<app::ConsoleView> view;
        QQuickWindow *window() const { return view->window(); }
    };

    std::unique_ptr<Console> open(const QString &language)
    {
        auto console = std::make_unique<Console>();
        ConsoleOptions options;
        options.language = language;
        options.page = QStringLiteral("tenants");
        auto view =
            app::createConsoleView(options, ConsoleModels{nullptr, nullptr, &console->workspace});
        if (!view) {
            qWarning() << view.error().message;
            return {};
        }
        console->view = std::move(view).value();
        console->window()->show();
        if (!QTest::qWaitForWindowExposed(console->window()))
            return {};
        // The backend arrives after the window is up, as in the demo.
        console->workspace.setBackend(m_backend);
        console->workspace.setIdentityBackend(
            m_console->identityBackend(QStringLiteral("user:ops-test")));
        if (!QTest::qWaitFor([&] { return !console->workspace.loading(); }, kWait))
            return {};
        return console;
    }

    // Clicks the table row of `slug` like a user does.
    static bool clickRow(Console &console, const QString &slug)
    {
        QQuickItem *list = itemNamed(console.window(), QStringLiteral("tenantList"));
        if (!list)
            return false;
        QQuickItem *content = list->property("contentItem").value<QQuickItem *>();
        for (QQuickItem *child : content->childItems()) {
            if (child->isVisible() && child->property("slug").toString() == slug) {
                // The name, away from the check box.
                const QPointF point =
                    child->mapToScene(QPointF(child->width() / 3, child->height() / 2));
                QTest::mouseClick(console.window(), Qt::LeftButton, {}, point.toPoint());
                return true;
            }
        }
        return false;
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
        f = std::make_unique<testing::TenancyFixture>(2);
        QVERIFY2(f->ok(), qPrintable(f->error()));
        m_console = std::make_unique<testing::TenantConsoleBackend>(*f);
        QVERIFY2(m_console->ok(), qPrintable(m_console->error()));
        m_backend = m_console->backend(QStringList{f->region(0), f->region(1)},
                                       QStringLiteral("user:ops-test"));
        const struct
        {
            const char *slug;
            const char *name;
            tenancy::IsolationStrategy isolation;
            const char *plan;
            bool trial;
        } tenants[] = {
            {"northwind-health", "Northwind Health", tenancy::IsolationStrategy::Schema,
             "enterprise", false},
            {"contoso-bank", "Contoso Bank", tenancy::IsolationStrategy::Database, "enterprise",
             false},
            {"adatum-labs", "Adatum Labs", tenancy::IsolationStrategy::RowLevelSecurity, "growth",
             true},
            {"coho-winery", "Coho Winery", tenancy::IsolationStrategy::RowLevelSecurity, "starter",
             false},
            {"litware", "Litware Inc.", tenancy::IsolationStrategy::RowLevelSecurity, "growth",
             false},
        };
        int region = 0;
        for (const auto &t : tenants) {
            tenancy::NewTenant input;
            input.slug = QLatin1String(t.slug);
            input.displayName = QLatin1String(t.name);
            input.plan = QLatin1String(t.plan);
            input.homeRegion = f->region(region++ % 2);
            input.isolation = t.isolation;
            input.ownerEmail = QStringLiteral("ops@") + input.slug + QStringLiteral(".example");
            input.trial = t.trial;
            auto created = f->registry().create(input, testing::TenancyFixture::actor());
            QVERIFY2(created, testing::why(created).constData());
        }
        QVERIFY(f->registry().transition(QStringLiteral("litware"),
                                         tenancy::LifecycleAction::Suspend,
                                         testing::TenancyFixture::actor()));
        // Coaching data to measure, encrypted values to count and users to act as.
        for (const char *slug : {"northwind-health", "adatum-labs"}) {
            auto sample =
                tenancy::writeSampleCoachingData(f->sessions(), QLatin1String(slug), 8, 3);
            QVERIFY2(sample, testing::why(sample).constData());
        }
        const Status notes = m_console->writePhiNotes(QStringLiteral("northwind-health"), 4);
        QVERIFY2(notes, testing::why(notes).constData());
        storage::forbidBlockingOn(QThread::currentThread());
    }

    void identityTabShowsConnectionsScimMfaAndPreview()
    {
        // A SAML connection for Northwind, as pasting its IdP's metadata would create it.
        const QString created = [this]() -> QString {
            storage::forbidBlockingOn(nullptr);
            auto tenant = f->registry().get(QStringLiteral("northwind-health"));
            if (!tenant)
                return tenant.error().message;
            auto idp = identity::generateSamlKeyPair(QStringLiteral("Northwind IdP"));
            if (!idp)
                return idp.error().message;
            identity::SamlConnectionSettings settings;
            settings.idp.entityId = QStringLiteral("https://idp.northwind.example/metadata");
            settings.idp.ssoRedirectUrl = QUrl(QStringLiteral("https://idp.northwind.example/sso"));
            settings.idp.certificatesPem = {idp->certificatePem};
            identity::NewSsoConnection connection;
            connection.name = QStringLiteral("Northwind Entra ID");
            connection.preset = QStringLiteral("entra-id");
            connection.emailDomains = {QStringLiteral("northwind.example")};
            connection.settings = identity::samlSettingsToJson(settings);
            auto stored = m_console->ssoStore().createConnection(tenant->id, connection);
            storage::forbidBlockingOn(QThread::currentThread());
            return stored ? QString() : stored.error().message;
        }();
        QVERIFY2(created.isEmpty(), qPrintable(created));

        auto console = open(QStringLiteral("en"));
        QVERIFY(console);
        QQuickWindow *window = console->window();
        window->resize(window->width(), kTallWindowHeight);
        QVERIFY(pick(*console, QStringLiteral("northwind-health")));
        TenantIdentity *identity = console->workspace.identity();
        QVERIFY(QTest::qWaitFor(
            [&] { return identity->connections().size() == 1 && !identity->busy(); }, kWait));
        QVERIFY(click(window, QStringLiteral("tenantTab-identity")));
        settle(window);
        QVERIFY(itemNamed(window, QStringLiteral("identityConnection-Northwind Entra ID")));

        // Rotating the SCIM token shows the new one once.
        QVERIFY(click(window, QStringLiteral("identityRotateScim")));
        QVERIFY(QTest::qWaitFor([&] { return !identity->newScimToken().isEmpty(); }, kWait));
        QVERIFY(identity->newScimToken().startsWith(QStringLiteral("scim_")));
        QVERIFY(identity->scimTokenIssuedAt().isValid());

        // The MFA policy is saved and read back.
        identity->saveMfaPolicy(false, {QStringLiteral("admin")}, true);
        QVERIFY(QTest::qWaitFor(
            [&] { return identity->mfaRequiredRoles() == QStringList{QStringLiteral("admin")}; },
            kWait));

        const QImage top = grabAndSave(window, QStringLiteral("tenant-identity.png"));
        QVERIFY2(distinctColours(top) > 200, "the window looks blank");
        // The rest of the tab, scrolled into view; the preview of its default rules.
        QQuickItem *pane = itemNamed(window, QStringLiteral("tenantIdentityPane"));
        QVERIFY(pane);
        pane->setProperty(
            "contentY", std::max(0.0, pane->property("contentHeight").toDouble() - pane->height()));
        settle(window);
        QVERIFY(click(window, QStringLiteral("identityPreview")));
        QCOMPARE(identity->preview().value(QStringLiteral("role")).toString(),
                 QStringLiteral("coach"));
        QCOMPARE(identity->preview().value(QStringLiteral("email")).toString(),
                 QStringLiteral("ada@example.com"));
        settle(window);
        const QImage bottom = grabAndSave(window, QStringLiteral("tenant-identity-mfa.png"));
        QVERIFY2(distinctColours(bottom) > 200, "the window looks blank");

        // Delete asks twice, then the connection is gone.
        pane->setProperty("contentY", 0.0);
        settle(window);
        const QString deleteButton = QStringLiteral("identityDelete-Northwind Entra ID");
        QVERIFY(click(window, deleteButton));
        settle(window);
        QQuickItem *armed = itemNamed(window, deleteButton);
        QVERIFY(armed);
        QCOMPARE(armed->property("text").toString(), QStringLiteral("Confirm delete"));
        QCOMPARE(identity->connections().size(), 1);
        const QImage confirming = grabAndSave(window, QStringLiteral("tenant-identity-delete.png"));
        QVERIFY2(distinctColours(confirming) > 200, "the window looks blank");
        QVERIFY(click(window, deleteButton));
        QVERIFY(QTest::qWaitFor(
            [&] { return identity->connections().isEmpty() && !identity->busy(); }, kWait));
        QVERIFY(identity->error().isEmpty());
    }

    void cleanupTestCase()
    {
        storage::forbidBlockingOn(nullptr);
        m_console.reset();
        f.reset();
    }

    // Picks `slug` in the table and waits for its details.
    static bool pick(Console &console, const QString &slug)
    {
        if (!clickRow(console, slug))
            return false;
        return QTest::qWaitFor(
            [&] {
                return console.workspace.details()->slug() == slug &&
                       console.workspace.details()->hasTenant() && !console.workspace.loading();
            },
            kWait);
    }

    // Starts an impersonation of the first coachee of `slug` straight through the view model.
    static bool impersonate(Console &console, const QString &slug, const QString &name)
    {
        TenantImpersonation &impersonation = *console.workspace.impersonation();
        impersonation.prepare(slug, name);
        if (!QTest::qWaitFor([&] { return !impersonation.users()->loading(); }, kWait))
            return false;
        for (int row = 0; row < impersonation.users()->count(); ++row) {
            if (impersonation.users()->get(row).value(QStringLiteral("userRole")) ==
                QStringLiteral("coachee")) {
                impersonation.chooseUser(row);
                break;
            }
        }
        impersonation.setReason(QStringLiteral("Coachee cannot find last week's goal."));
        impersonation.setTicket(QStringLiteral("SUP-1234"));
        QSignalSpy started(&impersonation, &TenantImpersonation::started);
        if (!impersonation.start() || !started.wait(kWait))
            return false;
        return QTest::qWaitFor(
            [&] { return !impersonation.overviewLoading() && !console.workspace.loading(); },
            kWait);
    }

    void englishPageShowsTheTenantsAndTheirDetails()
    {
        auto console = open(QStringLiteral("en"));
        QVERIFY(console);
        QQuickWindow *window = console->window();
        QVERIFY(showsText(window, QStringLiteral("Northwind Health")));
        QVERIFY(showsText(window, QStringLiteral("5 tenants")));
        QVERIFY(showsText(window, QStringLiteral("Registry connected")));
        // The detail pane opened on the first tenant.
        QCOMPARE(console->workspace.details()->slug(), QStringLiteral("adatum-labs"));

        QVERIFY(clickRow(*console, QStringLiteral("contoso-bank")));
        QCOMPARE(console->workspace.tenants()->currentSlug(), QStringLiteral("contoso-bank"));
        QVERIFY(QTest::qWaitFor([&] { return !console->workspace.loading(); }, kWait));
        QQuickItem *title = itemNamed(window, QStringLiteral("tenantDetailTitle"));
        QVERIFY(title);
        QVERIFY(title->property("text").toString().contains(QStringLiteral("Contoso Bank")));
        QVERIFY(!title->property("truncated").toBool());
        const QImage image = grabAndSave(window, QStringLiteral("tenants-en.png"));
        QVERIFY2(distinctColours(image) > 200, "the window looks blank");

        for (const char *tab : {"configuration", "limits", "data", "history"}) {
            QVERIFY2(click(window, QStringLiteral("tenantTab-") + QLatin1String(tab)), tab);
            grabAndSave(window, QStringLiteral("tenants-tab-%1.png").arg(QLatin1String(tab)));
        }
        QVERIFY(showsText(window, QStringLiteral("tenant.create")));
        QVERIFY(
            showsText(window, QStringLiteral("No one has impersonated a user of this tenant.")));
        QVERIFY(click(window, QStringLiteral("tenantTab-data")));
        QVERIFY(showsText(window, QStringLiteral("Coaching sessions")));
        QVERIFY(showsText(window, QStringLiteral("Encryption")));

        // The column headers sort.
        QVERIFY(click(window, QStringLiteral("tenantSort-name")));
        QVERIFY(QTest::qWaitFor([&] { return !console->workspace.loading(); }, kWait));
        QCOMPARE(console->workspace.tenants()->sortKey(), QStringLiteral("name"));
        QCOMPARE(console->workspace.tenants()->slugAt(0), QStringLiteral("adatum-labs"));
        QVERIFY(click(window, QStringLiteral("tenantSort-name")));
        QVERIFY(QTest::qWaitFor([&] { return !console->workspace.loading(); }, kWait));
        QCOMPARE(console->workspace.tenants()->slugAt(0), QStringLiteral("northwind-health"));

        // A summary chip filters.
        QVERIFY(click(window, QStringLiteral("tenantChip-suspended")));
        QVERIFY(QTest::qWaitFor([&] { return !console->workspace.loading(); }, kWait));
        QCOMPARE(console->workspace.tenants()->count(), 1);
        QVERIFY(showsText(window, QStringLiteral("1 of 5 tenants match")));
        QVERIFY(click(window, QStringLiteral("tenantClearFilters")));
        QVERIFY(QTest::qWaitFor([&] { return console->workspace.tenants()->count() == 5; }, kWait));
    }

    void suspendThroughTheConfirmationDialog()
    {
        auto console = open(QStringLiteral("en"));
        QVERIFY(console);
        QQuickWindow *window = console->window();
        QVERIFY(clickRow(*console, QStringLiteral("coho-winery")));
        QVERIFY(QTest::qWaitFor(
            [&] {
                return console->workspace.details()->slug() == QStringLiteral("coho-winery") &&
                       !console->workspace.loading();
            },
            kWait));
        QVERIFY(click(window, QStringLiteral("tenantAction-suspend")));
        QVERIFY(QTest::qWaitFor([&] { return itemNamed(window, QStringLiteral("dialogAccept")); },
                                kWait));
        QVERIFY(showsText(window, QStringLiteral("Suspend Coho Winery?")));
        QVERIFY(showsText(window, QStringLiteral("user:ops-test")));
        grabAndSave(window, QStringLiteral("tenants-confirm.png"));

        QSignalSpy finished(console->workspace.actions(), &TenantActions::finished);
        QVERIFY(click(window, QStringLiteral("dialogAccept")));
        QVERIFY(finished.wait(kWait));
        QVERIFY(finished.last().at(1).toBool());
        QVERIFY(QTest::qWaitFor(
            [&] {
                return console->workspace.details()->state() == QStringLiteral("suspended") &&
                       !console->workspace.loading();
            },
            kWait));
        QVERIFY(showsText(window, QStringLiteral("Suspended 1 tenant.")));
        QVERIFY(itemNamed(window, QStringLiteral("tenantAction-activate")));
        QVERIFY(!itemNamed(window, QStringLiteral("tenantAction-suspend")));

        // Bulk: check two rows, activate both.
        TenantListModel &model = *console->workspace.tenants();
        model.setChecked(model.rowOf(QStringLiteral("coho-winery")), true);
        model.setChecked(model.rowOf(QStringLiteral("litware")), true);
        QVERIFY(QTest::qWaitFor(
            [&] { return itemNamed(window, QStringLiteral("tenantBulkActivate")); }, kWait));
        QVERIFY(showsText(window, QStringLiteral("2 selected")));
        grabAndSave(window, QStringLiteral("tenants-bulk.png"));
        QVERIFY(click(window, QStringLiteral("tenantBulkActivate")));
        QVERIFY(QTest::qWaitFor([&] { return itemNamed(window, QStringLiteral("dialogAccept")); },
                                kWait));
        QVERIFY(showsText(window, QStringLiteral("Activate 2 tenants?")));
        QVERIFY(click(window, QStringLiteral("dialogAccept")));
        QVERIFY(finished.wait(kWait));
        QCOMPARE(finished.last().at(2).toStringList().size(), 2);
        // The page refreshes in place: the summary follows.
        QVERIFY(QTest::qWaitFor(
            [&] {
                return model.checkedCount() == 0 &&
                       model.stateCounts().value(QStringLiteral("suspended")).toInt() == 0;
            },
            kWait));
    }

    void settingsEditorAndWizard()
    {
        auto console = open(QStringLiteral("en"));
        QVERIFY(console);
        QQuickWindow *window = console->window();
        QVERIFY(clickRow(*console, QStringLiteral("northwind-health")));
        QVERIFY(QTest::qWaitFor(
            [&] {
                return console->workspace.details()->slug() == QStringLiteral("northwind-health") &&
                       !console->workspace.loading();
            },
            kWait));
        QVERIFY(click(window, QStringLiteral("tenantTab-configuration")));
        QVERIFY(click(window, QStringLiteral("tenantEditSettings")));
        QVERIFY(QTest::qWaitFor([&] { return itemNamed(window, QStringLiteral("limit-seats")); },
                                kWait));
        QQuickItem *seats = itemNamed(window, QStringLiteral("limit-seats"));
        seats->forceActiveFocus();
        typeText(window, QStringLiteral("plenty"));
        QVERIFY(click(window, QStringLiteral("dialogAccept")));
        QVERIFY(QTest::qWaitFor(
            [&] { return showsText(window, QStringLiteral("must be a whole number")); }, kWait));
        grabAndSave(window, QStringLiteral("tenants-settings.png"));
        QVERIFY(click(window, QStringLiteral("dialogReject")));

        // The wizard: the slug follows the name; a bad email is named beside its field.
        QVERIFY(click(window, QStringLiteral("tenantNew")));
        QVERIFY(QTest::qWaitFor([&] { return itemNamed(window, QStringLiteral("wizardName")); },
                                kWait));
        itemNamed(window, QStringLiteral("wizardName"))->forceActiveFocus();
        typeText(window, QStringLiteral("Fabrikam Industries"));
        QCOMPARE(console->workspace.wizard()->slug(), QStringLiteral("fabrikam-industries"));
        grabAndSave(window, QStringLiteral("tenants-wizard-identity.png"));
        QVERIFY(click(window, QStringLiteral("wizardNext")));
        QVERIFY(QTest::qWaitFor(
            [&] { return console->workspace.wizard()->step() == TenantWizard::PlanStep; }, kWait));
        QVERIFY(click(window, QStringLiteral("wizardPlan-enterprise")));
        QCOMPARE(console->workspace.wizard()->plan(), QStringLiteral("enterprise"));
        grabAndSave(window, QStringLiteral("tenants-wizard-plan.png"));
        QVERIFY(click(window, QStringLiteral("wizardNext")));
        QVERIFY(click(window, QStringLiteral("wizardIsolation-database")));
        grabAndSave(window, QStringLiteral("tenants-wizard-placement.png"));
        QVERIFY(click(window, QStringLiteral("wizardNext")));
        itemNamed(window, QStringLiteral("wizardOwnerEmail"))->forceActiveFocus();
        typeText(window, QStringLiteral("nobody"));
        QVERIFY(click(window, QStringLiteral("wizardNext")));
        QVERIFY(QTest::qWaitFor(
            [&] { return itemNamed(window, QStringLiteral("wizardOwnerEmailError")); }, kWait));
        QVERIFY(showsText(window, QStringLiteral("not an email address")));
        grabAndSave(window, QStringLiteral("tenants-wizard-owner.png"));
        QQuickItem *email = itemNamed(window, QStringLiteral("wizardOwnerEmail"));
        email->forceActiveFocus();
        QMetaObject::invokeMethod(email, "selectAll");
        typeText(window, QStringLiteral("owner@fabrikam.example"));
        QVERIFY(click(window, QStringLiteral("wizardNext")));
        QCOMPARE(console->workspace.wizard()->step(), int(TenantWizard::ReviewStep));
        grabAndSave(window, QStringLiteral("tenants-wizard-review.png"));
        QSignalSpy created(console->workspace.wizard(), &TenantWizard::created);
        QVERIFY(click(window, QStringLiteral("wizardNext")));
        QVERIFY(created.wait(kWait));
        QVERIFY(QTest::qWaitFor(
            [&] {
                return console->workspace.details()->slug() ==
                           QStringLiteral("fabrikam-industries") &&
                       console->workspace.details()->hasTenant() && !console->workspace.loading();
            },
            kWait));
        QVERIFY(!itemNamed(window, QStringLiteral("wizardName"))); // closed
        QVERIFY(showsText(window, QStringLiteral("Created tenant")));
    }

    void dataTabShowsUsageAndRotatesTheKey()
    {
        auto console = open(QStringLiteral("en"));
        QVERIFY(console);
        QQuickWindow *window = console->window();
        // Tall enough for usage and encryption at once, as the documentation shows them.
        window->resize(window->width(), kTallWindowHeight);
        QVERIFY(pick(*console, QStringLiteral("northwind-health")));
        QVERIFY(click(window, QStringLiteral("tenantTab-data")));
        TenantDetails &details = *console->workspace.details();
        QVERIFY(details.storageUsed() > 0);
        QVERIFY(showsText(window, QStringLiteral("Seats in use")));
        QVERIFY(showsText(window, QStringLiteral("9 of ")));
        QVERIFY(
            showsText(window, details.storageUsedText() + QChar(0x2069) + QStringLiteral(" of ")));
        QVERIFY(showsText(window, QStringLiteral("Habit check-ins")));
        QVERIFY(showsText(window, QStringLiteral("Version 1, created")));
        QVERIFY(showsText(window, QStringLiteral("4 values")));
        for (const char *name : {"tenantSeatsMeter", "tenantStorageMeter", "tenantRotateKey",
                                 "tenantKeyDue", "tenantUsageRows"}) {
            QQuickItem *item = itemNamed(window, QLatin1String(name));
            QVERIFY2(item, name);
            QVERIFY2(fullyShown(item), name);
        }
        const QImage image = grabAndSave(window, QStringLiteral("tenant-data.png"));
        QVERIFY2(distinctColours(image) > 200, "the window looks blank");

        // Rotate: confirmed first, then version 2 encrypts everything.
        QVERIFY(click(window, QStringLiteral("tenantRotateKey")));
        QVERIFY(QTest::qWaitFor([&] { return itemNamed(window, QStringLiteral("dialogAccept")); },
                                kWait));
        QVERIFY(showsText(window, QStringLiteral("Rotate the data key of Northwind Health?")));
        grabAndSave(window, QStringLiteral("tenant-rotate-confirm.png"));
        QSignalSpy finished(console->workspace.actions(), &TenantActions::finished);
        QVERIFY(click(window, QStringLiteral("dialogAccept")));
        QVERIFY(finished.wait(kWait));
        QVERIFY2(finished.last().at(1).toBool(),
                 qPrintable(console->workspace.actions()->lastError()));
        QVERIFY(QTest::qWaitFor(
            [&] { return details.currentKeyVersion() == 2 && !console->workspace.loading(); },
            kWait));
        QVERIFY(showsText(window, QStringLiteral("Version 2, created")));
        QVERIFY(showsText(window, QStringLiteral("Data key rotated.")));
        QVERIFY(!itemNamed(window, QStringLiteral("tenantRotateError")));
        grabAndSave(window, QStringLiteral("tenant-data-rotated.png"));
    }

    void impersonateThroughTheDialog()
    {
        auto console = open(QStringLiteral("en"));
        QVERIFY(console);
        QQuickWindow *window = console->window();
        QVERIFY(pick(*console, QStringLiteral("northwind-health")));
        TenantImpersonation &impersonation = *console->workspace.impersonation();

        QVERIFY(click(window, QStringLiteral("tenantImpersonate")));
        QVERIFY(QTest::qWaitFor(
            [&] {
                return itemNamed(window, QStringLiteral("impersonationSearch")) &&
                       impersonation.users()->count() == 9;
            },
            kWait));
        QVERIFY(showsText(window, QStringLiteral("Impersonate a user of Northwind Health")));
        QVERIFY(showsText(window, QStringLiteral("9 of 9 users")));

        // Nothing chosen or typed: each field says what it needs.
        QVERIFY(click(window, QStringLiteral("dialogAccept")));
        QVERIFY(QTest::qWaitFor(
            [&] { return itemNamed(window, QStringLiteral("impersonationTicketError")); }, kWait));
        QVERIFY(itemNamed(window, QStringLiteral("impersonationSubjectError")));
        QVERIFY(itemNamed(window, QStringLiteral("impersonationReasonError")));
        QVERIFY(showsText(window, QStringLiteral("say why, in 10 to 1000 characters")));
        QVERIFY(showsText(window, QStringLiteral("such as SUP-1234")));
        grabAndSave(window, QStringLiteral("tenant-impersonation-dialog-errors.png"));

        // Search, pick, say why, name the ticket, choose an hour.
        QString email;
        for (int row = 0; row < impersonation.users()->count() && email.isEmpty(); ++row) {
            const QVariantMap user = impersonation.users()->get(row);
            if (user.value(QStringLiteral("userRole")) == QStringLiteral("coachee"))
                email = user.value(QStringLiteral("email")).toString();
        }
        itemNamed(window, QStringLiteral("impersonationSearch"))->forceActiveFocus();
        typeText(window, email.left(email.indexOf(QLatin1Char('@'))));
        QVERIFY(QTest::qWaitFor([&] { return impersonation.users()->count() == 1; }, kWait));
        QVERIFY(click(window, QStringLiteral("impersonationUser-") + email));
        QCOMPARE(impersonation.subject(), QStringLiteral("user:") + email);
        QVERIFY(!itemNamed(window, QStringLiteral("impersonationSubjectError")));
        itemNamed(window, QStringLiteral("impersonationReason"))->forceActiveFocus();
        typeText(window, QStringLiteral("Coachee reports a goal vanished after the update"));
        QVERIFY(showsText(window, QStringLiteral("48 / 1,000 characters")));
        itemNamed(window, QStringLiteral("impersonationTicket"))->forceActiveFocus();
        typeText(window, QStringLiteral("SUP-1234"));
        QVERIFY(click(window, QStringLiteral("impersonationDuration-60")));
        QCOMPARE(impersonation.durationMinutes(), 60);
        grabAndSave(window, QStringLiteral("tenant-impersonation-dialog.png"));

        QSignalSpy started(&impersonation, &TenantImpersonation::started);
        QVERIFY(click(window, QStringLiteral("dialogAccept")));
        QVERIFY(started.wait(kWait));
        QVERIFY(QTest::qWaitFor(
            [&] { return !impersonation.overviewLoading() && !console->workspace.loading(); },
            kWait));
        QVERIFY(!itemNamed(window, QStringLiteral("impersonationSearch"))); // closed
        // Some time has passed when the operator looks: the countdown follows the clock.
        m_console->clock().advance(std::chrono::seconds(19));
        QVERIFY(QTest::qWaitFor([&] { return impersonation.remainingSeconds() == 3600 - 19; },
                                TenantImpersonation::tickMs * 3));
        const QString name = impersonation.activeName();
        QVERIFY(showsText(window, name + QStringLiteral(" at Northwind Health")));
        QVERIFY(showsText(window, QStringLiteral("ends in")));
        QVERIFY(showsText(window, QStringLiteral("59:41")));
        QVERIFY(itemNamed(window, QStringLiteral("impersonationPanel")));
        QVERIFY(!itemNamed(window, QStringLiteral("tenantDetail")));
        QVERIFY(showsText(window, QStringLiteral("Goals (1)")));
        QVERIFY(showsText(window, QStringLiteral("Coaching sessions (2)")));
        QQuickItem *banner = itemNamed(window, QStringLiteral("impersonationBanner"));
        QVERIFY(banner && !banner->property("truncated").toBool());
        QQuickItem *panel = itemNamed(window, QStringLiteral("impersonationPanel"));
        for (const char *control : {"impersonationEnd", "impersonationToggle",
                                    "impersonationReload", "impersonationRole"}) {
            QQuickItem *item = itemNamed(window, QLatin1String(control));
            QVERIFY2(item && fullyShown(item), control);
        }
        for (const char *inside : {"impersonationRole", "impersonationReload", "impersonationName"})
            QVERIFY2(within(itemNamed(window, QLatin1String(inside)), panel), inside);
        QQuickItem *bar = itemNamed(window, QStringLiteral("impersonationBar"));
        for (const char *inside :
             {"impersonationBanner", "impersonationToggle", "impersonationEnd"})
            QVERIFY2(within(itemNamed(window, QLatin1String(inside)), bar), inside);
        const QImage image = grabAndSave(window, QStringLiteral("tenant-impersonation.png"));
        QVERIFY2(distinctColours(image) > 200, "the window looks blank");
        keepForDocs(image, QStringLiteral("tenant-impersonation.png"));

        // The tenant's details meanwhile: its history lists the open impersonation first.
        QVERIFY(click(window, QStringLiteral("impersonationToggle")));
        QVERIFY(itemNamed(window, QStringLiteral("tenantDetail")));
        QVERIFY(click(window, QStringLiteral("tenantTab-history")));
        QVERIFY(showsText(window, QStringLiteral("Impersonations (1 open)")));
        QVERIFY(showsText(window, QStringLiteral("SUP-1234")));
        QQuickItem *again = itemNamed(window, QStringLiteral("tenantImpersonate"));
        QVERIFY(again && !again->isEnabled()); // one impersonation at a time
        grabAndSave(window, QStringLiteral("tenant-impersonation-history.png"));
        QVERIFY(click(window, QStringLiteral("impersonationToggle")));

        // Ended after a confirmation: the bar and the panel go, the pane comes back.
        QVERIFY(click(window, QStringLiteral("impersonationEnd")));
        QVERIFY(QTest::qWaitFor([&] { return itemNamed(window, QStringLiteral("dialogAccept")); },
                                kWait));
        QVERIFY(showsText(window, QStringLiteral("End the impersonation of %1?").arg(name)));
        grabAndSave(window, QStringLiteral("tenant-impersonation-end.png"));
        QSignalSpy ended(&impersonation, &TenantImpersonation::ended);
        QVERIFY(click(window, QStringLiteral("dialogAccept")));
        QVERIFY(ended.wait(kWait));
        QCOMPARE(ended.last().at(1).toString(), QStringLiteral("ended"));
        QVERIFY(QTest::qWaitFor([&] { return !console->workspace.loading(); }, kWait));
        settle(window);
        QVERIFY(!itemNamed(window, QStringLiteral("impersonationBar")));
        QVERIFY(!itemNamed(window, QStringLiteral("impersonationPanel")));
        QVERIFY(itemNamed(window, QStringLiteral("tenantDetail")));
        QVERIFY(showsText(window, QStringLiteral("Impersonation ended.")));
    }

    void arabicIsMirrored()
    {
        auto console = open(QStringLiteral("ar"));
        QVERIFY(console);
        QQuickWindow *window = console->window();
        QQuickItem *navRail = itemNamed(window, QStringLiteral("navRail"));
        QQuickItem *pages = itemNamed(window, QStringLiteral("pageStack"));
        QQuickItem *list = itemNamed(window, QStringLiteral("tenantList"));
        QQuickItem *detail = itemNamed(window, QStringLiteral("tenantDetail"));
        QQuickItem *search = itemNamed(window, QStringLiteral("tenantSearch"));
        QQuickItem *create = itemNamed(window, QStringLiteral("tenantNew"));
        QVERIFY(navRail && pages && list && detail && search && create);
        QVERIFY(navRail->mapToScene(QPointF(0, 0)).x() > pages->mapToScene(QPointF(0, 0)).x());
        QVERIFY(detail->mapToScene(QPointF(0, 0)).x() < list->mapToScene(QPointF(0, 0)).x());
        QVERIFY(create->mapToScene(QPointF(0, 0)).x() < search->mapToScene(QPointF(0, 0)).x());
        QCOMPARE(itemNamed(window, QStringLiteral("pageTitle"))->property("text").toString(),
                 QString::fromUtf8("المستأجرون"));
        const QImage image = grabAndSave(window, QStringLiteral("tenants-ar.png"));
        QVERIFY2(distinctColours(image) > 200, "the window looks blank");
        QQuickItem *title = itemNamed(window, QStringLiteral("tenantDetailTitle"));
        QVERIFY(title && !title->property("truncated").toBool());

        // The data tab and the impersonation, mirrored too.
        QVERIFY(pick(*console, QStringLiteral("adatum-labs")));
        QVERIFY(click(window, QStringLiteral("tenantTab-data")));
        QQuickItem *rotate = itemNamed(window, QStringLiteral("tenantRotateKey"));
        QQuickItem *measure = itemNamed(window, QStringLiteral("tenantMeasureUsage"));
        QVERIFY(rotate && measure);
        // "Measure again" sits at the title's end: the left in a right-to-left layout.
        QVERIFY(measure->mapToScene(QPointF(0, 0)).x() <
                detail->mapToScene(QPointF(detail->width() / 2, 0)).x());
        grabAndSave(window, QStringLiteral("tenant-data-ar.png"));

        QVERIFY(
            impersonate(*console, QStringLiteral("adatum-labs"), QStringLiteral("Adatum Labs")));
        settle(window);
        QQuickItem *banner = itemNamed(window, QStringLiteral("impersonationBanner"));
        QQuickItem *end = itemNamed(window, QStringLiteral("impersonationEnd"));
        QQuickItem *panel = itemNamed(window, QStringLiteral("impersonationPanel"));
        QVERIFY(banner && end && panel);
        QVERIFY(end->mapToScene(QPointF(0, 0)).x() < banner->mapToScene(QPointF(0, 0)).x());
        QVERIFY(panel->mapToScene(QPointF(0, 0)).x() < list->mapToScene(QPointF(0, 0)).x());
        QVERIFY(!banner->property("truncated").toBool());
        for (const char *inside : {"impersonationRole", "impersonationReload", "impersonationName"})
            QVERIFY2(within(itemNamed(window, QLatin1String(inside)), panel), inside);
        const QImage impersonating =
            grabAndSave(window, QStringLiteral("tenant-impersonation-ar.png"));
        QVERIFY2(distinctColours(impersonating) > 200, "the window looks blank");
        keepForDocs(impersonating, QStringLiteral("tenant-impersonation-ar.png"));
        QSignalSpy ended(console->workspace.impersonation(), &TenantImpersonation::ended);
        QVERIFY(console->workspace.impersonation()->end());
        QVERIFY(ended.wait(kWait));
    }
};

QTEST_MAIN(TenantConsoleUiTest)
#include "tenantconsoleuitest.moc"
