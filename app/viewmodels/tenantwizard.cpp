#include "tenantwizard.h"

#include "upcoach/core/regioncatalog.h"
#include "upcoach/tenancy/registry.h"

#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>

namespace upcoach::viewmodels {

namespace {

// The fields of each step, in the order they are shown.
QStringList fieldsOf(int step)
{
    switch (step) {
    case TenantWizard::IdentityStep:
        return {QStringLiteral("name"), QStringLiteral("slug")};
    case TenantWizard::PlanStep:
        return {QStringLiteral("plan")};
    case TenantWizard::PlacementStep:
        return {QStringLiteral("homeRegion"), QStringLiteral("allowedRegions"),
                QStringLiteral("isolation")};
    case TenantWizard::OwnerStep:
        return {QStringLiteral("ownerName"), QStringLiteral("ownerEmail")};
    default:
        return {};
    }
}

} // namespace

TenantWizard::TenantWizard(QObject *parent)
    : QObject(parent)
{
    m_threads.setMaxThreadCount(1);
}

TenantWizard::~TenantWizard()
{
    m_threads.waitForDone();
}

void TenantWizard::setBackend(const TenantBackend &backend)
{
    m_backend = backend;
    if (m_homeRegion.isEmpty() && !backend.regions.isEmpty())
        setHomeRegion(backend.regions.constFirst());
    Q_EMIT readyChanged();
}

int TenantWizard::stepOf(const QString &field)
{
    const QString head = field.section(QLatin1Char('.'), 0, 0);
    for (int step = IdentityStep; step < ReviewStep; ++step) {
        if (fieldsOf(step).contains(head))
            return step;
    }
    return ReviewStep;
}

void TenantWizard::setName(const QString &name)
{
    if (name == m_name)
        return;
    m_name = name;
    if (!m_slugEdited)
        m_slug = suggestTenantSlug(name);
    clearFieldErrors({QStringLiteral("name")});
    Q_EMIT formChanged();
}

void TenantWizard::setSlug(const QString &slug)
{
    if (slug == m_slug && m_slugEdited)
        return;
    m_slug = slug;
    // Emptying the field hands it back to the suggestion.
    m_slugEdited = !slug.isEmpty();
    if (!m_slugEdited)
        m_slug = suggestTenantSlug(m_name);
    clearFieldErrors({QStringLiteral("slug")});
    Q_EMIT formChanged();
}

void TenantWizard::setPlan(const QString &plan)
{
    if (plan == m_plan)
        return;
    m_plan = plan;
    clearFieldErrors({QStringLiteral("plan")});
    Q_EMIT formChanged();
}

void TenantWizard::setTrial(bool trial)
{
    if (trial == m_trial)
        return;
    m_trial = trial;
    Q_EMIT formChanged();
}

void TenantWizard::setHomeRegion(const QString &region)
{
    if (region == m_homeRegion)
        return;
    // The previous home stays allowed only if the operator allowed it explicitly; the new one
    // is always allowed.
    m_allowedRegions.removeAll(m_homeRegion);
    m_homeRegion = region;
    if (!region.isEmpty() && !m_allowedRegions.contains(region))
        m_allowedRegions.prepend(region);
    clearFieldErrors({QStringLiteral("homeRegion"), QStringLiteral("allowedRegions")});
    Q_EMIT formChanged();
}

void TenantWizard::setAllowedRegions(const QStringList &regions)
{
    QStringList allowed = regions;
    allowed.removeDuplicates();
    if (!m_homeRegion.isEmpty() && !allowed.contains(m_homeRegion))
        allowed.prepend(m_homeRegion);
    if (allowed == m_allowedRegions)
        return;
    m_allowedRegions = allowed;
    clearFieldErrors({QStringLiteral("allowedRegions")});
    Q_EMIT formChanged();
}

void TenantWizard::toggleAllowedRegion(const QString &region, bool allowed)
{
    QStringList regions = m_allowedRegions;
    if (allowed && !regions.contains(region))
        regions << region;
    if (!allowed)
        regions.removeAll(region);
    setAllowedRegions(regions);
}

void TenantWizard::setIsolation(const QString &isolation)
{
    if (isolation == m_isolation)
        return;
    m_isolation = isolation;
    clearFieldErrors({QStringLiteral("isolation")});
    Q_EMIT formChanged();
}

void TenantWizard::setOwnerName(const QString &name)
{
    if (name == m_ownerName)
        return;
    m_ownerName = name;
    clearFieldErrors({QStringLiteral("ownerName")});
    Q_EMIT formChanged();
}

void TenantWizard::setOwnerEmail(const QString &email)
{
    if (email == m_ownerEmail)
        return;
    m_ownerEmail = email;
    clearFieldErrors({QStringLiteral("ownerEmail")});
    Q_EMIT formChanged();
}

bool TenantWizard::validateStep(int step)
{
    clearFieldErrors(fieldsOf(step));
    bool ok = true;
    auto check = [&](const Status &status) {
        if (status)
            return;
        const FieldMessage field = splitFieldMessage(status.error().message);
        setFieldError(field.field, field.message);
        ok = false;
    };
    switch (step) {
    case IdentityStep:
        check(tenancy::validateDisplayName(m_name));
        check(tenancy::validateSlug(m_slug));
        break;
    case PlanStep:
        if (m_plan.isEmpty())
            check(makeError(ErrorCode::InvalidInput, QStringLiteral("plan: choose a plan")));
        break;
    case PlacementStep:
        if (!RegionCatalog::builtin().find(m_homeRegion))
            check(makeError(ErrorCode::InvalidInput,
                            QStringLiteral("homeRegion: choose the region that holds its data")));
        else if (!m_backend.regions.isEmpty() && !m_backend.regions.contains(m_homeRegion))
            check(makeError(
                ErrorCode::InvalidInput,
                QStringLiteral("homeRegion: region %1 is not configured here").arg(m_homeRegion)));
        if (!m_allowedRegions.contains(m_homeRegion))
            check(makeError(ErrorCode::InvalidInput,
                            QStringLiteral("allowedRegions: must include the home region")));
        if (!tenancy::parseIsolation(m_isolation))
            check(makeError(ErrorCode::InvalidInput,
                            QStringLiteral("isolation: choose rls, schema or database")));
        break;
    case OwnerStep:
        if (m_ownerName.size() > 200)
            check(makeError(ErrorCode::InvalidInput,
                            QStringLiteral("ownerName: at most 200 characters")));
        check(tenancy::validateOwnerEmail(m_ownerEmail.trimmed()));
        break;
    default:
        for (int each = IdentityStep; each < ReviewStep; ++each)
            ok = validateStep(each) && ok;
        break;
    }
    return ok;
}

bool TenantWizard::next()
{
    if (m_busy || m_step >= ReviewStep)
        return false;
    takeError({});
    if (!validateStep(m_step))
        return false;
    if (m_step != IdentityStep || !ready()) {
        setStep(m_step + 1);
        return true;
    }
    // Is the slug free? The registry answers; create() checks again in the end.
    setBusy(true);
    tenancy::TenantRegistry *registry = m_backend.registry;
    const QString slug = m_slug;
    QtConcurrent::run(&m_threads, [registry, slug]() {
        return registry->get(slug);
    }).then(this, [this, slug](const upcoach::Result<tenancy::Tenant> &found) {
        setBusy(false);
        if (slug != m_slug || m_step != IdentityStep)
            return; // edited meanwhile
        if (found) {
            setFieldError(QStringLiteral("slug"),
                          QStringLiteral("tenant %1 already exists").arg(slug));
            return;
        }
        // Only "not found" means free; anything else is left for create() to report.
        setStep(PlanStep);
    });
    return true;
}

void TenantWizard::back()
{
    if (m_busy || m_step == IdentityStep)
        return;
    takeError({});
    setStep(m_step - 1);
}

bool TenantWizard::submit()
{
    if (m_busy || !ready())
        return false;
    takeError({});
    for (int step = IdentityStep; step < ReviewStep; ++step) {
        if (!validateStep(step)) {
            setStep(step);
            return false;
        }
    }
    tenancy::NewTenant input;
    input.slug = m_slug;
    input.displayName = m_name;
    input.plan = m_plan;
    input.homeRegion = m_homeRegion;
    input.allowedRegions = m_allowedRegions;
    input.isolation =
        tenancy::parseIsolation(m_isolation).value_or(tenancy::IsolationStrategy::RowLevelSecurity);
    input.ownerName = m_ownerName.trimmed();
    input.ownerEmail = m_ownerEmail.trimmed();
    input.trial = m_trial;
    tenancy::ActorContext actor;
    actor.actor = m_backend.actor;
    actor.requestId = QStringLiteral("console-") + QUuid::createUuid().toString(QUuid::Id128);
    tenancy::TenantRegistry *registry = m_backend.registry;
    setBusy(true);
    QtConcurrent::run(&m_threads, [registry, input, actor]() {
        return registry->create(input, actor);
    }).then(this, [this](const upcoach::Result<tenancy::Tenant> &tenant) {
        setBusy(false);
        if (!tenant) {
            takeError(tenant.error().message);
            return;
        }
        m_createdSlug = tenant->slug;
        Q_EMIT created(m_createdSlug);
    });
    return true;
}

void TenantWizard::reset(const QString &defaultPlan)
{
    m_name.clear();
    m_slug.clear();
    m_slugEdited = false;
    m_plan = defaultPlan;
    m_trial = true;
    m_homeRegion = m_backend.regions.isEmpty() ? QString() : m_backend.regions.constFirst();
    m_allowedRegions = m_homeRegion.isEmpty() ? QStringList() : QStringList{m_homeRegion};
    m_isolation = QStringLiteral("rls");
    m_ownerName.clear();
    m_ownerEmail.clear();
    m_fieldErrors.clear();
    m_error.clear();
    m_createdSlug.clear();
    Q_EMIT formChanged();
    Q_EMIT errorsChanged();
    setStep(IdentityStep);
}

void TenantWizard::setStep(int step)
{
    if (step == m_step)
        return;
    m_step = step;
    Q_EMIT stepChanged();
}

void TenantWizard::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged();
}

void TenantWizard::setFieldError(const QString &field, const QString &message)
{
    m_fieldErrors.insert(field, message);
    Q_EMIT errorsChanged();
}

void TenantWizard::clearFieldErrors(const QStringList &fields)
{
    bool changed = false;
    for (const QString &field : fields)
        changed = m_fieldErrors.remove(field) > 0 || changed;
    if (changed)
        Q_EMIT errorsChanged();
}

// A registry error: beside its field (and on that field's step) when it names one.
void TenantWizard::takeError(const QString &message)
{
    const FieldMessage field = splitFieldMessage(message);
    const QString head = field.field.section(QLatin1Char('.'), 0, 0);
    if (!message.isEmpty() && stepOf(head) != ReviewStep) {
        m_error.clear();
        m_fieldErrors.insert(head, field.message);
        Q_EMIT errorsChanged();
        setStep(stepOf(head));
        return;
    }
    if (message == m_error)
        return;
    m_error = message;
    Q_EMIT errorsChanged();
}

} // namespace upcoach::viewmodels
