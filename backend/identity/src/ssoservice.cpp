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
    compliance::AuditRecord record = compliance::auditRecordOf(actor, tenant, action, {});
    if (record.actor.isEmpty())
        record.actor = QStringLiteral("anonymous");
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

Result<IssuedScimToken> SsoService::rotateScimToken(const QString &slug,
                                                    const compliance::ActorContext &actor)
{
    auto tenant = m_registry.get(slug);
    if (!tenant)
        return tenant.error();
    compliance::AuditRecord record = eventFor(actor, slug, QStringLiteral("sso.scim.token-rotate"));
    record.target = QStringLiteral("tenant:") + slug;
    return compliance::recordThenChange<IssuedScimToken>(
        m_audit, record, [&] { return m_store.rotateScimToken(tenant->id); });
}

Status SsoService::checkOidcProvider(const NewSsoConnection &input)
{
    if (input.protocol != QLatin1String("oidc"))
        return {};
    auto settings = oidcSettingsFromJson(input.settings);
    if (!settings)
        return settings.error();
    // Discovery now, not at the first login: a wrong issuer is the operator's to hear about.
    auto provider = m_providers.metadata(settings->issuer);
    if (!provider)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("settings.issuer: the provider's discovery document "
                                        "(%1/.well-known/openid-configuration) could not be "
                                        "used: %2")
                             .arg(settings->issuer, provider.error().message.left(300)));
    return {};
}

Result<SsoConnection> SsoService::createConnection(const QString &slug,
                                                   const NewSsoConnection &input,
                                                   const compliance::ActorContext &actor)
{
    auto tenant = m_registry.get(slug);
    if (!tenant)
        return tenant.error();
    if (Status usable = checkOidcProvider(input); !usable)
        return usable.error();
    compliance::AuditRecord record = eventFor(actor, slug, QStringLiteral("sso.connection.create"));
    record.target = QStringLiteral("tenant:") + slug;
    record.details = QJsonObject{{QStringLiteral("name"), input.name.left(100)},
                                 {QStringLiteral("protocol"), input.protocol.left(10)},
                                 {QStringLiteral("preset"), input.preset.left(32)}};
    return compliance::recordThenChange<SsoConnection>(
        m_audit, record, [&] { return m_store.createConnection(tenant->id, input); });
}

Result<SsoConnection> SsoService::updateConnection(const QString &slug, const QUuid &id,
                                                   const NewSsoConnection &input,
                                                   std::optional<QList<qint64>> acceptedVersions,
                                                   const compliance::ActorContext &actor)
{
    auto tenant = m_registry.get(slug);
    if (!tenant)
        return tenant.error();
    if (Status usable = checkOidcProvider(input); !usable)
        return usable.error();
    compliance::AuditRecord record = eventFor(actor, slug, QStringLiteral("sso.connection.update"));
    record.target = QStringLiteral("sso-connection:") + id.toString(QUuid::WithoutBraces);
    record.details = QJsonObject{{QStringLiteral("name"), input.name.left(100)},
                                 {QStringLiteral("preset"), input.preset.left(32)},
                                 {QStringLiteral("emailDomains"), int(input.emailDomains.size())}};
    return compliance::recordThenChange<SsoConnection>(m_audit, record, [&] {
        return m_store.updateConnection(tenant->id, id, input, acceptedVersions);
    });
}

Status SsoService::deleteConnection(const QString &slug, const QUuid &id,
                                    const compliance::ActorContext &actor)
{
    auto tenant = m_registry.get(slug);
    if (!tenant)
        return tenant.error();
    compliance::AuditRecord record = eventFor(actor, slug, QStringLiteral("sso.connection.delete"));
    record.target = QStringLiteral("sso-connection:") + id.toString(QUuid::WithoutBraces);
    auto done = compliance::recordThenChange<bool>(m_audit, record, [&]() -> Result<bool> {
        if (Status deleted = m_store.deleteConnection(tenant->id, id); !deleted)
            return deleted.error();
        return true;
    });
    if (!done)
        return done.error();
    return {};
}

Status SsoService::setConnectionEnabled(const QString &slug, const QUuid &id, bool enabled,
                                        const compliance::ActorContext &actor)
{
    auto tenant = m_registry.get(slug);
    if (!tenant)
        return tenant.error();
    compliance::AuditRecord record = eventFor(actor, slug,
                                              enabled ? QStringLiteral("sso.connection.enable")
                                                      : QStringLiteral("sso.connection.disable"));
    record.target = QStringLiteral("sso-connection:") + id.toString(QUuid::WithoutBraces);
    auto done = compliance::recordThenChange<bool>(m_audit, record, [&]() -> Result<bool> {
        if (Status changed = m_store.setEnabled(tenant->id, id, enabled); !changed)
            return changed.error();
        return true;
    });
    if (!done)
        return done.error();
    return {};
}

Result<std::vector<SsoConnection>> SsoService::connections(const QString &slug)
{
    auto tenant = m_registry.get(slug);
    if (!tenant)
        return tenant.error();
    return m_store.connections(tenant->id);
}

Result<std::optional<QDateTime>> SsoService::scimTokenIssuedAt(const QString &slug)
{
    auto tenant = m_registry.get(slug);
    if (!tenant)
        return tenant.error();
    return m_store.scimTokenIssuedAt(tenant->id);
}

SsoUser SsoService::previewUser(const LoginMapping &settings, const QString &nameId,
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
    auto found = enabledConnection(tenant->id, QStringLiteral("saml"), connectionName);
    if (!found)
        return found.error();
    const SsoConnection *chosen = &*found;
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
    return recordRefusal(slug, QStringLiteral("sso.saml.login"), connectionId, login.error(),
                         actor);
}

Result<SsoConnection> SsoService::enabledConnection(const QUuid &tenantId, const QString &protocol,
                                                    const QString &name)
{
    auto connections = m_store.connections(tenantId);
    if (!connections)
        return connections.error();
    for (const SsoConnection &c : *connections)
        if (c.protocol == protocol && c.enabled && (name.isEmpty() || c.name == name))
            return c;
    return makeError(ErrorCode::NotFound,
                     QStringLiteral("the tenant has no enabled %1 connection%2")
                         .arg(protocol == QLatin1String("oidc") ? QStringLiteral("OpenID Connect")
                                                                : QStringLiteral("SAML"),
                              name.isEmpty() ? QString() : QStringLiteral(" of that name")));
}

Error SsoService::recordRefusal(const QString &slug, const QString &action,
                                const QUuid &connectionId, const Error &refusal,
                                const compliance::ActorContext &actor)
{
    // Refusals are recorded here (successes were recorded before the user was touched).
    compliance::AuditRecord record = eventFor(actor, slug, action);
    record.outcome = refusal.code == ErrorCode::Unavailable || refusal.code == ErrorCode::Internal
                         ? QStringLiteral("failure")
                         : QStringLiteral("denied");
    record.target = connectionId.isNull() ? QStringLiteral("tenant:") + slug
                                          : QStringLiteral("sso-connection:") +
                                                connectionId.toString(QUuid::WithoutBraces);
    record.details = QJsonObject{{QStringLiteral("reason"), refusal.message.left(300)}};
    if (auto receipt = compliance::recordAndWait(m_audit, record); !receipt)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("the audit log could not record the refused login: ") +
                             receipt.error().message);
    return refusal;
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

    compliance::AuditRecord record = eventFor(actor, slug, QStringLiteral("sso.saml.login"));
    record.details = QJsonObject{
        {QStringLiteral("connection"), connection->name},
        {QStringLiteral("idpInitiated"), login.idpInitiated},
        {QStringLiteral("mfa"), login.mfaSatisfied},
        {QStringLiteral("assertion"), QString::fromLatin1(assertion->replayKey.toHex().left(16))}};
    return signIn(slug, *connection, *settings, profile, std::move(login), std::move(record),
                  actor);
}

Result<SsoLogin> SsoService::signIn(const QString &slug, const SsoConnection &connection,
                                    const LoginMapping &mapping, const SsoUser &profile,
                                    SsoLogin login, compliance::AuditRecord record,
                                    const compliance::ActorContext &actor)
{
    const QString protocol = connection.protocol == QLatin1String("oidc") ? QStringLiteral("OIDC")
                                                                          : QStringLiteral("SAML");
    auto existing = m_users.findByEmail(slug, profile.email);
    if (!existing && existing.error().code != ErrorCode::NotFound)
        return existing.error();
    if (existing) {
        // Deprovisioning cuts access at once: a user the IdP deactivated over SCIM is refused
        // here, whatever the assertion says.
        if (!existing->active)
            return makeError(ErrorCode::Forbidden,
                             QStringLiteral("%1 login refused: the user is deactivated in the "
                                            "tenant")
                                 .arg(protocol));
        if (mapping.scimUsersOnly && existing->managedBy != QLatin1String("scim"))
            return makeError(ErrorCode::Forbidden,
                             QStringLiteral("%1 login refused: this connection admits only "
                                            "users provisioned over SCIM")
                                 .arg(protocol));
        login.user = SsoUser{existing->id, existing->email, existing->displayName, existing->role};
        // A just-in-time user's role follows its IdP: the connection's rules decide it again at
        // every sign-in. Local and SCIM-managed users keep theirs (JIT never overwrites them).
        if (existing->managedBy == QLatin1String("jit") && !profile.role.isEmpty() &&
            profile.role != existing->role) {
            compliance::ActorContext provisioner = actor;
            provisioner.actor =
                QStringLiteral("sso-connection:") + connection.id.toString(QUuid::WithoutBraces);
            auto synced = m_users.syncJitRole(slug, *existing, profile.role, provisioner);
            if (!synced)
                return synced.error().context(QStringLiteral("updating the user's role"));
            login.user.role = synced->role;
            record.details.insert(QStringLiteral("roleChanged"), true);
            // Sessions carry their role: the user's other sessions end with the old one.
            if (m_sessions)
                if (auto ended =
                        m_sessions->revokeUser(connection.tenantId, slug, existing->id,
                                               QStringLiteral("role-changed"), provisioner);
                    !ended)
                    return ended.error().context(QStringLiteral("ending the user's sessions"));
        }
    } else {
        if (!mapping.jitProvisioning || mapping.scimUsersOnly)
            return makeError(ErrorCode::Forbidden,
                             QStringLiteral("%1 login refused: the user does not exist in the "
                                            "tenant and the connection does not provision users")
                                 .arg(protocol));
        compliance::ActorContext provisioner = actor;
        provisioner.actor =
            QStringLiteral("sso-connection:") + connection.id.toString(QUuid::WithoutBraces);
        auto added = m_users.add(slug,
                                 tenancy::NewTenantUser{profile.email, profile.displayName,
                                                        profile.role, QStringLiteral("jit")},
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
    login.tenantId = connection.tenantId;
    if (m_sessions) {
        auto session =
            m_sessions->start(NewSession{connection.tenantId, slug, login.user.id, login.user.role,
                                         connection.id, login.mfaSatisfied},
                              actor);
        if (!session)
            return session.error().context(QStringLiteral("starting the session"));
        login.session = std::move(*session);
    }
    return login;
}

// ---- OpenID Connect ------------------------------------------------------------------------

QUrl SsoService::oidcRedirectUri(const QString &slug) const
{
    QString base = m_base.toString(QUrl::FullyEncoded);
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return QUrl(base + QStringLiteral("/sso/oidc/") + slug + QStringLiteral("/callback"));
}

Result<QUrl> SsoService::beginOidcLogin(const QString &slug, const QString &connectionName,
                                        const QString &returnTo,
                                        const compliance::ActorContext &actor)
{
    auto tenant = m_registry.get(slug);
    if (!tenant)
        return tenant.error();
    auto found = enabledConnection(tenant->id, QStringLiteral("oidc"), connectionName);
    if (!found)
        return found.error();
    const SsoConnection *chosen = &*found;
    auto settings = oidcSettingsFromJson(chosen->settings);
    if (!settings)
        return settings.error().context(QStringLiteral("connection settings"));
    auto provider = m_providers.metadata(settings->issuer);
    if (!provider)
        return provider.error();
    auto state = randomState();
    auto nonce = randomState();
    auto verifier = pkceVerifier();
    if (!state || !nonce || !verifier)
        return makeError(ErrorCode::Internal, QStringLiteral("no randomness"));
    LoginRequest pending{QString::fromLatin1(*state),
                         tenant->id,
                         chosen->id,
                         returnTo.left(1024),
                         m_clock.now().addSecs(kLoginRequestLifetimeSeconds),
                         *nonce,
                         *verifier};
    const QUrl url =
        authorizationRequestUrl(*provider, settings->clientId, oidcRedirectUri(slug),
                                settings->scopes, *state, *nonce, pkceChallengeS256(*verifier));
    compliance::AuditRecord record = eventFor(actor, slug, QStringLiteral("sso.oidc.login-start"));
    record.target = QStringLiteral("sso-connection:") + chosen->id.toString(QUuid::WithoutBraces);
    record.details = QJsonObject{{QStringLiteral("connection"), chosen->name}};
    return compliance::recordThenChange<QUrl>(m_audit, record, [&]() -> Result<QUrl> {
        if (Status saved = m_store.saveLoginRequest(pending); !saved)
            return saved.error();
        return url;
    });
}

Result<SsoLogin> SsoService::completeOidcLogin(const QString &slug, const QByteArray &code,
                                               const QByteArray &state,
                                               const QString &providerError,
                                               const compliance::ActorContext &actor)
{
    QUuid connectionId;
    auto login = completeOidcUnrecorded(slug, code, state, providerError, actor, connectionId);
    if (login)
        return login;
    return recordRefusal(slug, QStringLiteral("sso.oidc.login"), connectionId, login.error(),
                         actor);
}

Result<SsoLogin> SsoService::completeOidcUnrecorded(const QString &slug, const QByteArray &code,
                                                    const QByteArray &state,
                                                    const QString &providerError,
                                                    const compliance::ActorContext &actor,
                                                    QUuid &connectionId)
{
    auto tenant = m_registry.get(slug);
    if (!tenant)
        return tenant.error();
    // The state is the login request: unknown, expired, used or another tenant's → refused.
    auto request = m_store.consumeLoginRequest(QString::fromLatin1(state), tenant->id);
    if (!request) {
        if (request.error().code != ErrorCode::NotFound)
            return request.error();
        return makeError(ErrorCode::Unauthorized,
                         QStringLiteral("OIDC login refused: the state answers no login request "
                                        "of this tenant that is still open"));
    }
    connectionId = request->connectionId;
    if (!providerError.isEmpty())
        return makeError(
            ErrorCode::Unauthorized,
            QStringLiteral("OIDC login refused by the provider: %1").arg(providerError.left(64)));
    if (code.isEmpty() || code.size() > 2048)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("the callback carries no authorization code"));
    auto connection = m_store.connection(tenant->id, request->connectionId);
    if (!connection)
        return connection.error();
    if (!connection->enabled || connection->protocol != QStringLiteral("oidc"))
        return makeError(ErrorCode::Unauthorized,
                         QStringLiteral("OIDC login refused: the connection is disabled"));
    auto settings = m_store.oidcSecrets(*connection);
    if (!settings)
        return settings.error();
    auto provider = m_providers.metadata(settings->issuer);
    if (!provider)
        return provider.error();

    OidcClientCredentials client;
    client.clientId = settings->clientId;
    client.method = *clientAuthMethodFromName(settings->clientAuthMethod);
    client.clientSecret = settings->clientSecret;
    if (client.method == ClientAuthMethod::PrivateKeyJwt) {
        auto key = SigningKey::fromPem(settings->clientKeyPem, JwsAlgorithm::RS256);
        if (!key)
            return makeError(ErrorCode::Config,
                             QStringLiteral("the connection's private_key_jwt key: ") +
                                 key.error().message);
        client.clientKey = *key;
    }
    auto tokens =
        exchangeCode(*provider, client, code, oidcRedirectUri(slug), request->codeVerifier);
    if (!tokens)
        return tokens.error();

    IdTokenExpectations expect;
    expect.issuer = settings->issuer;
    expect.clientId = settings->clientId;
    expect.algorithm = *jwsAlgorithmFromName(settings->idTokenAlgorithm);
    expect.nonce = QString::fromLatin1(request->nonce);
    expect.now = m_clock.now();
    auto claims = m_providers.validate(*provider, tokens->idToken, expect);
    if (!claims)
        return claims.error().code == ErrorCode::Unauthorized ||
                       claims.error().code == ErrorCode::InvalidInput
                   ? makeError(ErrorCode::Unauthorized,
                               QStringLiteral("ID token refused: ") + claims.error().message)
                   : claims.error();

    // Claims as attributes: the ID token's, then userinfo's (Core §5.3.2: same subject).
    QJsonObject all = claims->payload;
    if (settings->useUserinfo && !provider->userinfoEndpoint.isEmpty() &&
        !tokens->accessToken.isEmpty()) {
        auto userinfo = fetchUserinfo(*provider, tokens->accessToken, claims->subject);
        if (!userinfo)
            return userinfo.error();
        for (auto it = userinfo->constBegin(); it != userinfo->constEnd(); ++it)
            all.insert(it.key(), it.value());
    }
    QHash<QString, QStringList> attributes;
    for (auto it = all.constBegin(); it != all.constEnd(); ++it) {
        QStringList values;
        if (it.value().isArray()) {
            for (const QJsonValue &v : it.value().toArray())
                if (v.isString())
                    values << v.toString().left(1024);
        } else if (it.value().isString()) {
            values << it.value().toString().left(1024);
        } else if (it.value().isBool()) {
            values << (it.value().toBool() ? QStringLiteral("true") : QStringLiteral("false"));
        }
        if (!values.isEmpty())
            attributes.insert(it.key(), values.mid(0, 200));
    }
    LoginMapping mapping = *settings;
    if (mapping.emailAttribute.isEmpty())
        mapping.emailAttribute = QStringLiteral("email");
    if (mapping.displayNameAttribute.isEmpty())
        mapping.displayNameAttribute = QStringLiteral("name");
    if (attributes.value(QStringLiteral("email_verified")).value(0) == QStringLiteral("false"))
        return makeError(ErrorCode::Unauthorized,
                         QStringLiteral("OIDC login refused: the provider has not verified the "
                                        "e-mail address"));
    const SsoUser profile = previewUser(mapping, QString(), attributes);
    if (!profile.email.contains(QLatin1Char('@')))
        return makeError(ErrorCode::Unauthorized,
                         QStringLiteral("OIDC login refused: no e-mail address among the claims "
                                        "(ask for the \"email\" scope)"));

    SsoLogin login;
    login.tenant = slug;
    login.connectionId = connection->id;
    login.connectionName = connection->name;
    login.relayState = request->relayState;
    login.authnContextClassRef = claims->acr;
    login.mfaSatisfied = !settings->mfaContextClassRef.isEmpty() &&
                         (claims->amr.contains(settings->mfaContextClassRef) ||
                          claims->acr == settings->mfaContextClassRef);
    compliance::AuditRecord record = eventFor(actor, slug, QStringLiteral("sso.oidc.login"));
    record.details = QJsonObject{{QStringLiteral("connection"), connection->name},
                                 {QStringLiteral("mfa"), login.mfaSatisfied},
                                 {QStringLiteral("clientAuth"), settings->clientAuthMethod}};
    return signIn(slug, *connection, mapping, profile, std::move(login), std::move(record), actor);
}

Result<QByteArray> SsoService::oidcClientJwks(const QString &slug)
{
    auto tenant = m_registry.get(slug);
    if (!tenant)
        return tenant.error();
    auto connections = m_store.connections(tenant->id);
    if (!connections)
        return connections.error();
    std::vector<Jwk> keys;
    for (const SsoConnection &c : *connections) {
        if (c.protocol != QStringLiteral("oidc") || !c.enabled ||
            !c.settings.contains(QStringLiteral("clientKeySealed")))
            continue;
        auto settings = m_store.oidcSecrets(c);
        if (!settings)
            return settings.error();
        auto key = SigningKey::fromPem(settings->clientKeyPem, JwsAlgorithm::RS256);
        if (!key)
            return key.error();
        keys.push_back(key->verificationKey());
    }
    return JwkSet(std::move(keys)).toJson();
}

} // namespace upcoach::identity
