// The tenant pane's Identity tab (TenantIdentitySection.qml): the tenant's SSO connections
// (add one from pasted IdP metadata with a preset, enable/disable, the SP-initiated test-login
// URL), its SCIM token (when issued; rotate, the new one shown once), its MFA policy, how many
// sessions are active, and the role-mapping preview of unsaved rules. Every backend call blocks,
// so it runs on the view model's worker threads; answers come back on the GUI thread.
#pragma once

#include <QDateTime>
#include <QObject>
#include <QStringList>
#include <QThreadPool>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace upcoach::identity {
class SsoService;
class SessionService;
} // namespace upcoach::identity
namespace upcoach::tenancy {
class TenantRegistry;
}

namespace upcoach::viewmodels {

struct IdentityBackend
{
    identity::SsoService *sso = nullptr;
    identity::SessionService *sessions = nullptr;
    tenancy::TenantRegistry *registry = nullptr;
    QString actor; // "user:<operating-system user>"
};

class TenantIdentity final : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built by the composition root")

    Q_PROPERTY(bool ready READ ready NOTIFY readyChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString tenantSlug READ tenantSlug NOTIFY loaded)
    // [{id, name, protocol, preset, enabled, emailDomains, loginUrl, idpEntityId, ssoUrl}]
    Q_PROPERTY(QVariantList connections READ connections NOTIFY loaded)
    // [{id, displayName}]
    Q_PROPERTY(QVariantList presets READ presets CONSTANT)
    Q_PROPERTY(QDateTime scimTokenIssuedAt READ scimTokenIssuedAt NOTIFY loaded)
    Q_PROPERTY(QString newScimToken READ newScimToken NOTIFY loaded)
    Q_PROPERTY(bool mfaRequiredForAll READ mfaRequiredForAll NOTIFY loaded)
    Q_PROPERTY(QStringList mfaRequiredRoles READ mfaRequiredRoles NOTIFY loaded)
    Q_PROPERTY(bool mfaAcceptIdp READ mfaAcceptIdp NOTIFY loaded)
    Q_PROPERTY(int activeSessions READ activeSessions NOTIFY loaded)
    // {role, email, displayName, matchedRule (text, empty: the default role)}
    Q_PROPERTY(QVariantMap preview READ preview NOTIFY previewChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)

public:
    explicit TenantIdentity(QObject *parent);
    ~TenantIdentity() override;

    // GUI thread; once. The backend must outlive the view model.
    void setBackend(const IdentityBackend &backend);

    bool ready() const { return m_backend.sso && m_backend.sessions && m_backend.registry; }
    bool busy() const { return m_pending > 0; }
    QString tenantSlug() const { return m_slug; }
    QVariantList connections() const { return m_connections; }
    QVariantList presets() const;
    QDateTime scimTokenIssuedAt() const { return m_scimIssuedAt; }
    QString newScimToken() const { return m_newScimToken; }
    bool mfaRequiredForAll() const { return m_mfaAll; }
    QStringList mfaRequiredRoles() const { return m_mfaRoles; }
    bool mfaAcceptIdp() const { return m_mfaAcceptIdp; }
    int activeSessions() const { return m_activeSessions; }
    QVariantMap preview() const { return m_preview; }
    QString error() const { return m_error; }

    Q_INVOKABLE void load(const QString &slug);
    // A SAML connection from the IdP's metadata XML; `domains`: comma- or space-separated.
    Q_INVOKABLE void addSamlConnection(const QString &name, const QString &preset,
                                       const QString &metadataXml, const QString &domains,
                                       const QString &defaultRole);
    Q_INVOKABLE void setConnectionEnabled(const QString &id, bool enabled);
    // Deletes a connection (recorded as sso.connection.delete); its login URL stops working.
    Q_INVOKABLE void deleteConnection(const QString &id);
    Q_INVOKABLE void rotateScimToken();
    Q_INVOKABLE void saveMfaPolicy(bool requiredForAll, const QStringList &roles, bool acceptIdp);
    // `rules`: one "attribute = value -> role" per line; `attributes`: "name = value" per line.
    Q_INVOKABLE void previewRole(const QString &defaultRole, const QString &rules,
                                 const QString &attributes);

Q_SIGNALS:
    void readyChanged();
    void busyChanged();
    void loaded();
    void previewChanged();
    void errorChanged();

private:
    struct Snapshot;
    template<typename Work> void run(Work work);
    void apply(const Snapshot &snapshot);
    void setError(const QString &message);

    IdentityBackend m_backend;
    QThreadPool m_threads;
    int m_pending = 0;
    QString m_slug;
    QVariantList m_connections;
    QDateTime m_scimIssuedAt;
    QString m_newScimToken;
    bool m_mfaAll = false;
    QStringList m_mfaRoles;
    bool m_mfaAcceptIdp = true;
    int m_activeSessions = 0;
    QVariantMap m_preview;
    QString m_error;
};

} // namespace upcoach::viewmodels
