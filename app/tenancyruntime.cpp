#include "tenancyruntime.h"

#include "upcoach/core/logging.h"
#include "upcoach/tenancy/encryptedfields.h"
#include "upcoach/tenancy/fieldcipher.h"
#include "upcoach/tenancy/sampledata.h"

#include <QElapsedTimer>

namespace upcoach::app {

TenancyRuntime::TenancyRuntime(const std::vector<RegionEndpoint> &regions,
                               const QString &controlPlaneRegion, compliance::AuditLog &audit)
    : m_pools(regions)
    , m_registry(m_pools, controlPlaneRegion, audit)
    , m_sessions(m_registry, m_pools)
    , m_quota(m_registry, m_sessions)
    , m_users(m_sessions, m_quota, audit)
{}

TenancyRuntime::~TenancyRuntime()
{
    m_registry.setKeyStore(nullptr);
}

Result<std::unique_ptr<TenancyRuntime>>
TenancyRuntime::open(const std::vector<RegionEndpoint> &regions, const QString &controlPlaneRegion,
                     compliance::AuditLog &audit, const KeysConfig &keys,
                     const QString &defaultKeyringPath)
{
    const RegionEndpoint *control = nullptr;
    for (const RegionEndpoint &endpoint : regions) {
        if (endpoint.regionId == controlPlaneRegion)
            control = &endpoint;
    }
    if (!control)
        return makeError(
            ErrorCode::Config,
            QStringLiteral("control-plane region %1 is not configured").arg(controlPlaneRegion));
    auto provider = tenancy::openKeyProvider(keys, defaultKeyringPath);
    if (!provider)
        return provider.error().context(QStringLiteral("tenant keys"));
    std::unique_ptr<TenancyRuntime> runtime(new TenancyRuntime(regions, controlPlaneRegion, audit));
    runtime->m_keyProvider = std::move(provider.value());
    runtime->m_keyPool = std::make_unique<storage::ConnectionPool>(*control);
    runtime->m_keys =
        std::make_unique<tenancy::TenantKeyStore>(*runtime->m_keyPool, *runtime->m_keyProvider);
    runtime->m_registry.setKeyStore(runtime->m_keys.get());
    tenancy::KeyRotationPolicy rotation;
    rotation.maxAge = std::chrono::days(keys.rotationDays);
    runtime->m_keyRotation = std::make_unique<tenancy::TenantKeyRotation>(
        runtime->m_registry, *runtime->m_keys, runtime->m_sessions, audit, rotation);
    runtime->m_impersonations = std::make_unique<tenancy::ImpersonationService>(
        *runtime->m_keyPool, runtime->m_registry, runtime->m_sessions, audit);
    return runtime;
}

QString embeddedKeyringPath(const QString &stateDir)
{
    return stateDir + QStringLiteral("/secrets/tenant-keyring");
}

namespace {

struct DemoTenant
{
    const char *slug;
    const char *name;
    const char *plan;
    tenancy::IsolationStrategy isolation;
    tenancy::TenantState state;
    const char *parent;
    tenancy::TenantKind kind;
    int coachees;
};

using tenancy::IsolationStrategy;
using tenancy::TenantKind;
using tenancy::TenantState;

// A mix an operator would recognise: mostly shared (RLS) tenants, enterprise customers on their
// own schema or database, a hierarchy, and every lifecycle state.
constexpr DemoTenant demoTenants[] = {
    {"northwind-health", "Northwind Health", "enterprise", IsolationStrategy::Database,
     TenantState::Active, "", TenantKind::Organization, 12},
    {"northwind-emea", "Northwind Health EMEA", "enterprise", IsolationStrategy::Schema,
     TenantState::Active, "northwind-health", TenantKind::SubOrganization, 6},
    {"northwind-emea-nursing", "EMEA Nursing Leads", "enterprise", IsolationStrategy::Schema,
     TenantState::Active, "northwind-emea", TenantKind::Team, 4},
    {"contoso-bank", "Contoso Bank", "enterprise", IsolationStrategy::Database, TenantState::Active,
     "", TenantKind::Organization, 10},
    {"fabrikam", "Fabrikam Industries", "enterprise", IsolationStrategy::Schema,
     TenantState::Active, "", TenantKind::Organization, 8},
    {"fabrikam-sales", "Fabrikam Sales Leadership", "enterprise", IsolationStrategy::Schema,
     TenantState::Active, "fabrikam", TenantKind::Team, 5},
    {"adatum-labs", "Adatum Labs", "growth", IsolationStrategy::Schema, TenantState::Trial, "",
     TenantKind::Organization, 4},
    {"blue-yonder-air", "Blue Yonder Airlines", "growth", IsolationStrategy::RowLevelSecurity,
     TenantState::Active, "", TenantKind::Organization, 6},
    {"coho-winery", "Coho Winery", "starter", IsolationStrategy::RowLevelSecurity,
     TenantState::Active, "", TenantKind::Organization, 3},
    {"litware", "Litware Inc.", "growth", IsolationStrategy::RowLevelSecurity,
     TenantState::Suspended, "", TenantKind::Organization, 4},
    {"lucerne-publishing", "Lucerne Publishing", "starter", IsolationStrategy::RowLevelSecurity,
     TenantState::Trial, "", TenantKind::Organization, 2},
    {"margies-travel", "Margie's Travel", "starter", IsolationStrategy::RowLevelSecurity,
     TenantState::Canceled, "", TenantKind::Organization, 2},
    {"proseware", "Proseware", "growth", IsolationStrategy::RowLevelSecurity, TenantState::Active,
     "", TenantKind::Organization, 5},
    {"tailspin-toys", "Tailspin Toys", "starter", IsolationStrategy::RowLevelSecurity,
     TenantState::Trial, "", TenantKind::Organization, 3},
    {"trey-research", "Trey Research", "growth", IsolationStrategy::RowLevelSecurity,
     TenantState::Active, "", TenantKind::Organization, 5},
    {"wingtip-partners", "Wingtip Partners", "starter", IsolationStrategy::RowLevelSecurity,
     TenantState::Active, "", TenantKind::Organization, 3},
    {"woodgrove-clinic", "Woodgrove Clinic", "enterprise", IsolationStrategy::Schema,
     TenantState::Active, "", TenantKind::Organization, 6},
    {"alpine-ski-house", "Alpine Ski House", "starter", IsolationStrategy::RowLevelSecurity,
     TenantState::Suspended, "", TenantKind::Organization, 2},
    {"relecloud", "Relecloud", "growth", IsolationStrategy::RowLevelSecurity, TenantState::Active,
     "", TenantKind::Organization, 4},
    {"southridge-video", "Southridge Video", "starter", IsolationStrategy::RowLevelSecurity,
     TenantState::Trial, "", TenantKind::Organization, 2},
    {"humongous-insurance", "Humongous Insurance", "enterprise",
     IsolationStrategy::RowLevelSecurity, TenantState::Active, "", TenantKind::Organization, 7},
    {"nod-publishers", "Nod Publishers", "starter", IsolationStrategy::RowLevelSecurity,
     TenantState::Active, "", TenantKind::Organization, 2},
    {"graphic-design-institute", "Graphic Design Institute", "growth",
     IsolationStrategy::RowLevelSecurity, TenantState::Active, "", TenantKind::Organization, 3},
    {"wide-world-importers", "Wide World Importers", "growth", IsolationStrategy::RowLevelSecurity,
     TenantState::Canceled, "", TenantKind::Organization, 3},
};

constexpr const char *phiNotes[] = {
    "Reports poorer sleep since the dosage change; agreed to log sleep and review with GP.",
    "Blood pressure readings back in range; continue the walking habit three times a week.",
    "Anxiety before shift handovers; practised the breathing routine, revisit in two weeks.",
    "Back pain limits evening exercise; swapped running for physiotherapy stretches.",
};

Status writeDemoPhiNotes(TenancyRuntime &tenancy, const tenancy::Tenant &tenant)
{
    auto sessions = tenancy.sessions().run(
        tenant.slug, tenancy::TenantAccess::Operator, [](tenancy::TenantTransaction &tx) {
            std::vector<std::pair<QString, QString>> found;
            for (const auto &row : tx.exec("SELECT id::text, coach_id::text FROM coaching_sessions"
                                           " WHERE status = 'completed' ORDER BY scheduled_at, id"))
                found.emplace_back(QString::fromStdString(row[0].as<std::string>()),
                                   QString::fromStdString(row[1].as<std::string>()));
            return found;
        });
    if (!sessions)
        return sessions.error();
    tenancy::FieldCipher cipher(tenancy.keys());
    size_t index = 0;
    for (const auto &[session, coach] : sessions.value()) {
        auto written =
            tenancy::writePhiNote(tenancy.sessions(), cipher, tenant, session, coach,
                                  QString::fromUtf8(phiNotes[index++ % std::size(phiNotes)]));
        if (!written)
            return written.error();
    }
    return {};
}

} // namespace

Result<int> seedDemoTenants(TenancyRuntime &tenancy, const QStringList &regions)
{
    auto existing = tenancy.registry().counts();
    if (!existing)
        return existing.error();
    if (existing->total > 0 || regions.isEmpty())
        return 0;
    tenancy::ActorContext actor;
    actor.actor = QStringLiteral("service:upcoach-ops");
    actor.requestId = QStringLiteral("demo-seed");
    QElapsedTimer timer;
    timer.start();
    int created = 0;
    int index = 0;
    QHash<QString, QString> regionOf;
    for (const DemoTenant &demo : demoTenants) {
        tenancy::NewTenant input;
        input.slug = QLatin1String(demo.slug);
        input.displayName = QString::fromUtf8(demo.name);
        input.plan = QLatin1String(demo.plan);
        input.isolation = demo.isolation;
        input.kind = demo.kind;
        input.parentSlug = QLatin1String(demo.parent);
        // Children live with their parent; organizations are spread over the regions.
        input.homeRegion = input.parentSlug.isEmpty() ? regions.at(index++ % regions.size())
                                                      : regionOf.value(input.parentSlug);
        regionOf.insert(input.slug, input.homeRegion);
        input.allowedRegions = {input.homeRegion};
        input.ownerName = QStringLiteral("Operations");
        input.ownerEmail = QStringLiteral("ops@") + input.slug + QStringLiteral(".example");
        input.trial = demo.state == TenantState::Trial;
        if (QLatin1String(demo.plan) == QLatin1String("enterprise"))
            input.config = {{QStringLiteral("mfaRequired"), true},
                            {QStringLiteral("ssoRequired"), true}};
        auto tenant = tenancy.registry().create(input, actor);
        if (!tenant)
            return tenant.error().context(QStringLiteral("seeding ") + input.slug);
        auto data = tenancy::writeSampleCoachingData(tenancy.sessions(), input.slug, demo.coachees,
                                                     quint32(qHash(input.slug)));
        if (!data)
            return data.error().context(QStringLiteral("seeding ") + input.slug);
        // Enterprise customers here are health organizations: their completed sessions carry a
        // PHI note, field-encrypted under the tenant's data key (the Encryption section).
        if (QLatin1String(demo.plan) == QLatin1String("enterprise")) {
            if (auto phi = writeDemoPhiNotes(tenancy, tenant.value()); !phi)
                return phi.error().context(QStringLiteral("seeding ") + input.slug);
        }
        using tenancy::LifecycleAction;
        std::vector<LifecycleAction> actions;
        if (demo.state == TenantState::Suspended)
            actions = {LifecycleAction::Suspend};
        else if (demo.state == TenantState::Canceled)
            actions = {LifecycleAction::Cancel};
        for (LifecycleAction action : actions) {
            auto moved = tenancy.registry().transition(input.slug, action, actor);
            if (!moved)
                return moved.error().context(QStringLiteral("seeding ") + input.slug);
        }
        ++created;
    }
    qCInfo(lcApp).noquote()
        << QStringLiteral("seeded %1 demo tenants in %2 ms").arg(created).arg(timer.elapsed());
    return created;
}

} // namespace upcoach::app
