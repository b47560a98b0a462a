#include "tenantworkspace.h"

namespace upcoach::viewmodels {

TenantWorkspace::TenantWorkspace(QObject *parent)
    : QObject(parent)
{
    connect(&m_tenants, &TenantListModel::currentChanged, this, [this] {
        if (m_tenants.currentSlug() != m_details.slug())
            m_details.load(m_tenants.currentSlug());
        if (m_tenants.currentSlug() != m_identity.tenantSlug())
            m_identity.load(m_tenants.currentSlug());
    });
    connect(&m_actions, &TenantActions::finished, this,
            [this](const QString &action, bool, const QStringList &changed) {
                if (changed.isEmpty())
                    return;
                // A new data key changes nothing the table shows.
                if (action != QLatin1String("rotate-key"))
                    m_tenants.refresh();
                if (changed.contains(m_details.slug()))
                    m_details.reload();
            });
    const auto reloadTenant = [this](const QString &slug) {
        if (slug == m_details.slug())
            m_details.reload();
    };
    connect(&m_impersonation, &TenantImpersonation::started, this, reloadTenant);
    connect(&m_impersonation, &TenantImpersonation::ended, this, reloadTenant);
    connect(&m_wizard, &TenantWizard::created, this, [this](const QString &slug) {
        m_tenants.refresh();
        m_tenants.setCurrentSlug(slug);
    });
    connect(&m_tenants, &TenantListModel::loadingChanged, this, &TenantWorkspace::loadingChanged);
    connect(&m_details, &TenantDetails::loadingChanged, this, &TenantWorkspace::loadingChanged);
}

TenantWorkspace::~TenantWorkspace() = default;

void TenantWorkspace::setBackend(const TenantBackend &backend)
{
    m_actions.setBackend(backend);
    m_wizard.setBackend(backend);
    m_impersonation.setBackend(backend);
    m_details.setBackend(backend);
    m_tenants.setBackend(backend);
}

void TenantWorkspace::setIdentityBackend(const IdentityBackend &backend)
{
    m_identity.setBackend(backend);
    if (!m_tenants.currentSlug().isEmpty())
        m_identity.load(m_tenants.currentSlug());
}

void TenantWorkspace::setBackendError(const QString &message)
{
    m_tenants.setBackendError(message);
}

} // namespace upcoach::viewmodels
