// The Tenants page's view models in one place, as the page gets them: the table
// (TenantListModel), the detail pane (TenantDetails), the actions (TenantActions), the "New
// tenant" wizard (TenantWizard) and impersonation (TenantImpersonation), wired together —
// picking a tenant in the table loads it in the detail pane, a finished action or a created
// tenant reloads the table, its summary and the pane, an impersonation that starts, ends or
// expires reloads the pane of its tenant (its impersonation history). Built by the composition
// root, possibly before the backend exists (the demo starts its databases while the window is
// up): everything shows "loading" until setBackend().
#pragma once

#include "tenantactions.h"
#include "tenantbackend.h"
#include "tenantdetails.h"
#include "tenantidentity.h"
#include "tenantimpersonation.h"
#include "tenantlistmodel.h"
#include "tenantwizard.h"

#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace upcoach::viewmodels {

class TenantWorkspace final : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built by the composition root")

    Q_PROPERTY(upcoach::viewmodels::TenantListModel *tenants READ tenants CONSTANT)
    Q_PROPERTY(upcoach::viewmodels::TenantDetails *details READ details CONSTANT)
    Q_PROPERTY(upcoach::viewmodels::TenantActions *actions READ actions CONSTANT)
    Q_PROPERTY(upcoach::viewmodels::TenantWizard *wizard READ wizard CONSTANT)
    Q_PROPERTY(upcoach::viewmodels::TenantImpersonation *impersonation READ impersonation CONSTANT)
    Q_PROPERTY(upcoach::viewmodels::TenantIdentity *identity READ identity CONSTANT)
    // The table's first page (and the current tenant's details) are on screen.
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)

public:
    // No default argument: Qt 6.4 instantiates QML element wrappers for default-constructible
    // types even when QML_UNCREATABLE, and a final class cannot be wrapped.
    explicit TenantWorkspace(QObject *parent);
    ~TenantWorkspace() override;

    // GUI thread; once. The backend must outlive the workspace.
    void setBackend(const TenantBackend &backend);
    // GUI thread; once: the Identity tab's services (SSO, sessions and MFA).
    void setIdentityBackend(const IdentityBackend &backend);
    // GUI thread: the backend could not be opened; the page says why instead of waiting.
    void setBackendError(const QString &message);

    TenantListModel *tenants() { return &m_tenants; }
    TenantDetails *details() { return &m_details; }
    TenantActions *actions() { return &m_actions; }
    TenantWizard *wizard() { return &m_wizard; }
    TenantImpersonation *impersonation() { return &m_impersonation; }
    TenantIdentity *identity() { return &m_identity; }
    bool loading() const { return m_tenants.loading() || m_details.loading(); }

Q_SIGNALS:
    void loadingChanged();

private:
    TenantListModel m_tenants{nullptr};
    TenantDetails m_details{nullptr};
    TenantActions m_actions{nullptr};
    TenantWizard m_wizard{nullptr};
    TenantImpersonation m_impersonation{nullptr};
    TenantIdentity m_identity{nullptr};
};

} // namespace upcoach::viewmodels
