#include "upcoach/identity/ssoservice.h"

#include "upcoach/compliance/recordedchange.h"
#include "upcoach/tenancy/registry.h"
#include "upcoach/tenancy/tenantusers.h"

#include <QJsonArray>
#include <QJsonObject>

namespace upcoach::identity {

namespace {

constexpr int kLoginRequestLifetimeSeconds = 600;

compliance::AuditRecord eventFor(const compliance::ActorContext &actor, const QString &tenant,
                                 const QString &action)
{
    compliance::AuditRecord record;
    record.actor = actor.actor.isEmpty() ? QStringLiteral("anonymous") : actor.actor;
    record.sourceIp = actor.sourceIp;
    record.requestId = actor.requestId;
    record.tenant = tenant;
    record.action = action;
    record.classification = QStringLiteral("security");
    return record;
}

QString firstValue(const QHash<QString, QStringList> &attributes, const QString &name)
{
    if (name.isEmpty())
        return {};
    const QStringList values = attributes.value(name);
    return values.isEmpty() ? QString() : values.front().trimmed();
}

} // namespace

SsoService::SsoService(SsoStore &store, tenancy::TenantRegistry &registry,
                       tenancy::TenantUsers &users, compliance::AuditLog &audit, QUrl publicBaseUrl,
                       const Clock &clock)
    : m_store(store)
    , m_registry(registry)
    , m_users(users)
    , m_audit(audit)
    , m_base(std::move(publicBaseUrl))
    , m_clock(clock)
{}

Result<SamlServiceProvider> SsoService::serviceProvider(const QString &slug)
{
    auto tenant = m_registry.get(slug);
    if (!tenant)
        return tenant.error();
    auto keys = m_store.spKeyPair(tenant->id);
    if (!keys)
        return keys.error();
    QString base = m_base.toString(QUrl::FullyEncoded);
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    SamlServiceProvider sp;
    sp.entityId = base + QStringLiteral("/sso/saml/") + slug + QStringLiteral("/metadata");
    sp.acsUrl = base + QStringLiteral("/sso/saml/") + slug + QStringLiteral("/acs");
    sp.certificatePem = keys->certificatePem;
    sp.privateKeyPem = keys->privateKeyPem;
    return sp;
}

Result<QByteArray> SsoService::spMetadata(const QString &slug)
{
    auto sp = serviceProvider(slug);
    if (!sp)
        return sp.error();
    return spMetadataXml(*sp);
}

SsoUser SsoService::previewUser(const SamlConnectionSettings &settings, const QString &nameId,
                                const QHash<QString, QStringList> &attributes)
{
    SsoUser user;
    user.email = firstValue(attributes, settings.emailAttribute);
    if (user.email.isEmpty())
        user.email = nameId;
    user.email = user.email.trimmed().toLower();
    user.displayName = firstValue(attributes, settings.displayNameAttribute);
    if (user.displayName.isEmpty())
        user.displayName = user.email;
    user.displayName = user.displayName.left(200);
    user.role = mapRole(settings, attributes);
    return user;
}

Result<QUrl> SsoService::beginSamlLogin(const QString &slug, const QString &connectionName,
                                        const QString &relayState,
                                        const compliance::ActorContext &actor)
{
    auto tenant = m_registry.get(slug);
    if (!tenant)
        return tenant.error();
    auto connections = m_store.connections(tenant->id);
    if (!connections)
        return connections.error();
    const SsoConnection *chosen = nullptr;
    for (const SsoConnection &c : *connections)
        if (c.protocol == QStringLiteral("saml") && c.enabled &&
            (connectionName.isEmpty() || c.name == connectionName)) {
            chosen = &c;
            break;
        }
    if (!chosen)
        return makeError(
            ErrorCode::NotFound,
            connectionName.isEmpty()
                ? QStringLiteral("the tenant has no enabled SAML connection")
                : QStringLiteral("the tenant has no enabled SAML connection of that name"));
    auto settings = samlSettingsFromJson(chosen->settings);
    if (!settings)
        return settings.error().context(QStringLiteral("connection settings"));
    auto sp = serviceProvider(slug);
    if (!sp)
        return sp.error();
    auto request = buildAuthnRequest(*sp, settings->idp, relayState, m_clock.now());
    if (!request)
        return request.error();
    LoginRequest pending{request->id, tenant->id, chosen->id, relayState,
                         m_clock.now().addSecs(kLoginRequestLifetimeSeconds)};
    compliance::AuditRecord record = eventFor(actor, slug, QStringLiteral("sso.saml.login-start"));
    record.target = QStringLiteral("sso-connection:") + chosen->id.toString(QUuid::WithoutBraces);
    record.details = QJsonObject{{QStringLiteral("connection"), chosen->name},
                                 {QStringLiteral("requestId"), request->id}};
    return compliance::recordThenChange<QUrl>(m_audit, record, [&]() -> Result<QUrl> {
        if (Status saved = m_store.saveLoginRequest(pending); !saved)
            return saved.error();
        return request->redirectUrl;
    });
}

Result<SsoLogin> SsoService::completeSamlLogin(const QString &slug, QByteArrayView samlResponse,
                                               const QString &relayState,
                                               const compliance::ActorContext &actor)
{
    QUuid connectionId;
    auto login = completeUnrecorded(slug, samlResponse, relayState, actor, connectionId);
    if (login)
        return login;
    // Refusals are recorded here (successes were recorded before the user was touched).
    compliance::AuditRecord record = eventFor(actor, slug, QStringLiteral("sso.saml.login"));
    record.outcome =
        login.error().code == ErrorCode::Unavailable || login.error().code == ErrorCode::Internal
            ? QStringLiteral("failure")
            : QStringLiteral("denied");
    record.target = connectionId.isNull() ? QStringLiteral("tenant:") + slug
                                          : QStringLiteral("sso-connection:") +
                                                connectionId.toString(QUuid::WithoutBraces);
    record.details = QJsonObject{{QStringLiteral("reason"), login.error().message.left(300)}};
    if (auto receipt = compliance::recordAndWait(m_audit, record); !receipt)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("the audit log could not record the refused login: ") +
                             receipt.error().message);
    return login;
}

Result<SsoLogin> SsoService::completeUnrecorded(const QString &slug, QByteArrayView samlResponse,
                                                const QString &relayState,
                                                const compliance::ActorContext &actor,
                                                QUuid &connectionId)
{
    auto tenant = m_registry.get(slug);
    if (!tenant)
        return tenant.error();
    auto envelope = readSamlEnvelope(samlResponse);
    if (!envelope)
        return envelope.error();

    // Which connection: the login request this answers (SP-initiated), else the connection whose
    // IdP is the (still unverified) Issuer — it is then verified against that connection only.
    std::optional<LoginRequest> request;
    if (!envelope->inResponseTo.isEmpty()) {
        auto consumed = m_store.consumeLoginRequest(envelope->inResponseTo, tenant->id);
        if (!consumed) {
            if (consumed.error().code != ErrorCode::NotFound)
                return consumed.error();
            return makeError(ErrorCode::Unauthorized,
                             QStringLiteral("SAML response refused: it answers no login request "
                                            "of this tenant that is still open"));
        }
        request = *consumed;
    }
    auto connections = m_store.connections(tenant->id);
    if (!connections)
        return connections.error();
    const SsoConnection *connection = nullptr;
    std::optional<SamlConnectionSettings> settings;
    for (const SsoConnection &c : *connections) {
        if (c.protocol != QStringLiteral("saml") || !c.enabled)
            continue;
        if (request && c.id != request->connectionId)
            continue;
        auto parsed = samlSettingsFromJson(c.settings);
        if (!parsed)
            continue;
        if (!request && parsed->idp.entityId != envelope->issuer)
            continue;
        connection = &c;
        settings = std::move(*parsed);
        break;
    }
    if (!connection)
        return makeError(ErrorCode::Unauthorized,
                         QStringLiteral("SAML response refused: no enabled connection of this "
                                        "tenant trusts its issuer"));
    connectionId = connection->id;
    auto sp = serviceProvider(slug);
    if (!sp)
        return sp.error();
    SamlCheck check;
    check.now = m_clock.now();
    if (request)
        check.inResponseTo = request->id;
    auto assertion = validateSamlResponse(samlResponse, *sp, settings->idp, check);
    if (!assertion)
        return assertion.error();
    auto first =
        m_store.claimAssertion(assertion->replayKey, connection->id, assertion->replayUntil);
    if (!first)
        return first.error();
    if (!*first)
        return makeError(ErrorCode::Unauthorized,
                         QStringLiteral("SAML response refused: the assertion was already used "
                                        "(replay)"));

    SsoLogin login;
    login.tenant = slug;
    login.connectionId = connection->id;
    login.connectionName = connection->name;
    login.idpInitiated = !request;
    login.relayState = request ? request->relayState : relayState.left(1024);
    login.authnContextClassRef = assertion->authnContextClassRef;
    login.mfaSatisfied =
        !settings->mfaContextClassRef.isEmpty() &&
        (assertion->authnContextClassRef == settings->mfaContextClassRef ||
         assertion->attributes
             .value(QStringLiteral("http://schemas.microsoft.com/claims/authnmethodsreferences"))
             .contains(settings->mfaContextClassRef));
    const SsoUser profile = previewUser(*settings, assertion->nameId, assertion->attributes);
    if (!profile.email.contains(QLatin1Char('@')))
        return makeError(ErrorCode::Unauthorized,
                         QStringLiteral("SAML response refused: the assertion carries no e-mail "
                                        "address (check the connection's email attribute)"));

    auto existing = m_users.findByEmail(slug, profile.email);
    if (!existing && existing.error().code != ErrorCode::NotFound)
        return existing.error();
    compliance::AuditRecord record = eventFor(actor, slug, QStringLiteral("sso.saml.login"));
    record.details = QJsonObject{
        {QStringLiteral("connection"), connection->name},
        {QStringLiteral("idpInitiated"), login.idpInitiated},
        {QStringLiteral("mfa"), login.mfaSatisfied},
        {QStringLiteral("assertion"), QString::fromLatin1(assertion->replayKey.toHex().left(16))}};
    if (existing) {
        login.user = SsoUser{existing->id, existing->email, existing->displayName, existing->role};
    } else {
        if (!settings->jitProvisioning)
            return makeError(ErrorCode::Forbidden,
                             QStringLiteral("SAML login refused: the user does not exist in the "
                                            "tenant and the connection does not provision users"));
        compliance::ActorContext provisioner = actor;
        provisioner.actor =
            QStringLiteral("sso-connection:") + connection->id.toString(QUuid::WithoutBraces);
        auto added = m_users.add(
            slug, tenancy::NewTenantUser{profile.email, profile.displayName, profile.role},
            provisioner);
        if (!added)
            return added.error();
        login.user = SsoUser{added->id, added->email, added->displayName, added->role};
        login.created = true;
    }
    record.actor = QStringLiteral("user:") + login.user.id;
    record.target = QStringLiteral("user:") + login.user.id;
    record.details.insert(QStringLiteral("provisioned"), login.created);
    record.details.insert(QStringLiteral("role"), login.user.role);
    if (auto receipt = compliance::recordAndWait(m_audit, record); !receipt)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("the audit log could not record the login: ") +
                             receipt.error().message);
    return login;
}

} // namespace upcoach::identity
