#include "tenantworkspace.h"

namespace upcoach::viewmodels {

TenantWorkspace::TenantWorkspace(QObject *parent)
    : QObject(parent)
{
    connect(&m_tenants, &TenantListModel::currentChanged, this, [this] {
        if (m_tenants.currentSlug() != m_details.slug())
            m_details.load(m_tenants.currentSlug());
    });
    connect(&m_actions, &TenantActions::finished, this,
            [this](const QString &, bool, const QStringList &changed) {
                if (changed.isEmpty())
                    return;
                m_tenants.refresh();
                if (changed.contains(m_details.slug()))
                    m_details.reload();
            });
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
    m_details.setBackend(backend);
    m_tenants.setBackend(backend);
}

void TenantWorkspace::setBackendError(const QString &message)
{
    m_tenants.setBackendError(message);
}

} // namespace upcoach::viewmodels
