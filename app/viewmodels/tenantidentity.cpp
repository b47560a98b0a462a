#include "tenantidentity.h"

#include "upcoach/identity/sessions.h"
#include "upcoach/identity/ssoservice.h"
#include "upcoach/identity/ssostore.h"
#include "upcoach/tenancy/registry.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>
#include <memory>

namespace upcoach::viewmodels {

namespace {

compliance::ActorContext consoleActor(const IdentityBackend &backend)
{
    compliance::ActorContext actor;
    actor.actor = backend.actor;
    actor.requestId = QStringLiteral("console-") + QUuid::createUuid().toString(QUuid::Id128);
    return actor;
}

QVariantMap connectionMap(const identity::SsoConnection &connection, const QString &base,
                          const QString &slug)
{
    const QString login = base + QStringLiteral("/sso/") + connection.protocol + u'/' + slug +
                          QStringLiteral("/login?connection=") +
                          QString::fromLatin1(QUrl::toPercentEncoding(connection.name));
    return QVariantMap{
        {QStringLiteral("id"), connection.id.toString(QUuid::WithoutBraces)},
        {QStringLiteral("name"), connection.name},
        {QStringLiteral("protocol"), connection.protocol},
        {QStringLiteral("preset"), connection.preset},
        {QStringLiteral("enabled"), connection.enabled},
        {QStringLiteral("emailDomains"), connection.emailDomains.join(QStringLiteral(", "))},
        {QStringLiteral("loginUrl"), login},
        {QStringLiteral("idpEntityId"),
         connection.settings.value(QStringLiteral("idpEntityId")).toString()},
        {QStringLiteral("issuer"), connection.settings.value(QStringLiteral("issuer")).toString()},
    };
}

} // namespace

// What one load reads, on a worker thread.
struct TenantIdentity::Snapshot
{
    QString slug;
    QString error;
    QVariantList connections;
    QDateTime scimIssuedAt;
    QString newScimToken; // only after a rotation
    identity::MfaPolicy policy;
    int activeSessions = 0;
};

TenantIdentity::TenantIdentity(QObject *parent)
    : QObject(parent)
{
    m_threads.setMaxThreadCount(1); // one change at a time, in order
}

TenantIdentity::~TenantIdentity()
{
    m_threads.waitForDone();
}

void TenantIdentity::setBackend(const IdentityBackend &backend)
{
    m_backend = backend;
    Q_EMIT readyChanged();
}

QVariantList TenantIdentity::presets() const
{
    QVariantList out;
    for (const identity::SsoPreset &preset : identity::ssoPresets())
        out.append(QVariantMap{{QStringLiteral("id"), preset.id},
                               {QStringLiteral("displayName"), preset.displayName}});
    return out;
}

void TenantIdentity::setError(const QString &message)
{
    if (m_error == message)
        return;
    m_error = message;
    Q_EMIT errorChanged();
}

template<typename Work> void TenantIdentity::run(Work work)
{
    if (!ready() || m_slug.isEmpty())
        return;
    ++m_pending;
    Q_EMIT busyChanged();
    const IdentityBackend backend = m_backend;
    const QString slug = m_slug;
    QtConcurrent::run(&m_threads, [backend, slug, work]() {
        Snapshot snapshot;
        snapshot.slug = slug;
        work(backend, snapshot); // the change, if any; sets error when refused
        auto tenant = backend.registry->get(slug);
        if (!tenant) {
            snapshot.error = tenant.error().message;
            return snapshot;
        }
        const QString base =
            backend.sso->publicBaseUrl().toString(QUrl::FullyEncoded | QUrl::StripTrailingSlash);
        if (auto connections = backend.sso->connections(slug))
            for (const identity::SsoConnection &connection : *connections)
                snapshot.connections.append(connectionMap(connection, base, slug));
        if (auto issued = backend.sso->scimTokenIssuedAt(slug); issued && issued->has_value())
            snapshot.scimIssuedAt = **issued;
        if (auto policy = backend.sessions->mfaPolicy(tenant->id))
            snapshot.policy = *policy;
        if (auto sessions = backend.sessions->sessions(tenant->id))
            snapshot.activeSessions = int(sessions->size());
        return snapshot;
    }).then(this, [this](const Snapshot &snapshot) {
        --m_pending;
        apply(snapshot);
        Q_EMIT busyChanged();
    });
}

void TenantIdentity::apply(const Snapshot &snapshot)
{
    if (snapshot.slug != m_slug)
        return; // another tenant was picked meanwhile
    m_connections = snapshot.connections;
    m_scimIssuedAt = snapshot.scimIssuedAt;
    // A new SCIM token stays on screen until another tenant is picked (load clears it).
    if (!snapshot.newScimToken.isEmpty())
        m_newScimToken = snapshot.newScimToken;
    m_mfaAll = snapshot.policy.requiredForAll;
    m_mfaRoles = snapshot.policy.requiredRoles;
    m_mfaAcceptIdp = snapshot.policy.acceptIdpMfa;
    m_activeSessions = snapshot.activeSessions;
    setError(snapshot.error);
    Q_EMIT loaded();
}

void TenantIdentity::load(const QString &slug)
{
    m_slug = slug;
    m_newScimToken.clear();
    run([](const IdentityBackend &, Snapshot &) {});
}

void TenantIdentity::addSamlConnection(const QString &name, const QString &preset,
                                       const QString &metadataXml, const QString &domains,
                                       const QString &defaultRole)
{
    identity::NewSsoConnection input;
    input.name = name.trimmed();
    input.protocol = QStringLiteral("saml");
    input.preset = preset;
    input.emailDomains =
        domains.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
    auto settings = identity::connectionSettingsFrom(
        input.protocol, preset, QJsonObject{{QStringLiteral("defaultRole"), defaultRole}},
        metadataXml.toUtf8());
    if (!settings)
        return setError(settings.error().message);
    input.settings = *settings;
    run([input](const IdentityBackend &backend, Snapshot &snapshot) {
        if (auto created =
                backend.sso->createConnection(snapshot.slug, input, consoleActor(backend));
            !created)
            snapshot.error = created.error().message;
    });
}

void TenantIdentity::setConnectionEnabled(const QString &id, bool enabled)
{
    const QUuid uuid = QUuid::fromString(id);
    run([uuid, enabled](const IdentityBackend &backend, Snapshot &snapshot) {
        if (auto done = backend.sso->setConnectionEnabled(snapshot.slug, uuid, enabled,
                                                          consoleActor(backend));
            !done)
            snapshot.error = done.error().message;
    });
}

void TenantIdentity::deleteConnection(const QString &id)
{
    const QUuid uuid = QUuid::fromString(id);
    run([uuid](const IdentityBackend &backend, Snapshot &snapshot) {
        if (auto done = backend.sso->deleteConnection(snapshot.slug, uuid, consoleActor(backend));
            !done)
            snapshot.error = done.error().message;
    });
}

void TenantIdentity::rotateScimToken()
{
    run([](const IdentityBackend &backend, Snapshot &snapshot) {
        auto issued = backend.sso->rotateScimToken(snapshot.slug, consoleActor(backend));
        if (!issued)
            snapshot.error = issued.error().message;
        else
            snapshot.newScimToken = QString::fromLatin1(issued->secret);
    });
}

void TenantIdentity::saveMfaPolicy(bool requiredForAll, const QStringList &roles, bool acceptIdp)
{
    identity::MfaPolicy policy;
    policy.requiredForAll = requiredForAll;
    policy.requiredRoles = roles;
    policy.acceptIdpMfa = acceptIdp;
    run([policy](const IdentityBackend &backend, Snapshot &snapshot) {
        auto tenant = backend.registry->get(snapshot.slug);
        if (!tenant) {
            snapshot.error = tenant.error().message;
            return;
        }
        if (auto saved = backend.sessions->setMfaPolicy(tenant->id, snapshot.slug, policy,
                                                        std::nullopt, consoleActor(backend));
            !saved)
            snapshot.error = saved.error().message;
    });
}

void TenantIdentity::previewRole(const QString &defaultRole, const QString &rules,
                                 const QString &attributes)
{
    // Pure: no backend call. "groups = Coaches -> coach" per line.
    identity::LoginMapping mapping;
    mapping.defaultRole = defaultRole;
    const QRegularExpression rulePattern(
        QStringLiteral("^\\s*([^=]+?)\\s*=\\s*(.+?)\\s*->\\s*(\\w+)\\s*$"));
    for (const QString &line : rules.split(u'\n', Qt::SkipEmptyParts)) {
        const QRegularExpressionMatch match = rulePattern.match(line);
        if (!match.hasMatch())
            return setError(
                tr("Each rule is \"attribute = value -> role\": %1").arg(line.left(80)));
        mapping.roleRules.push_back({match.captured(1), match.captured(2), match.captured(3)});
    }
    QHash<QString, QStringList> values;
    for (const QString &line : attributes.split(u'\n', Qt::SkipEmptyParts)) {
        const qsizetype eq = line.indexOf(u'=');
        if (eq <= 0)
            return setError(tr("Each attribute is \"name = value\": %1").arg(line.left(80)));
        values[line.left(eq).trimmed()].append(line.mid(eq + 1).trimmed());
    }
    mapping.emailAttribute = QStringLiteral("email");
    const identity::SsoUser user = identity::SsoService::previewUser(mapping, QString(), values);
    const int rule = identity::matchingRoleRule(mapping, values);
    m_preview =
        QVariantMap{{QStringLiteral("role"), user.role},
                    {QStringLiteral("email"), user.email},
                    {QStringLiteral("displayName"), user.displayName},
                    {QStringLiteral("matchedRule"),
                     rule < 0 ? QString()
                              : mapping.roleRules[size_t(rule)].attribute + QStringLiteral(" = ") +
                                    mapping.roleRules[size_t(rule)].value}};
    setError(QString());
    Q_EMIT previewChanged();
}

} // namespace upcoach::viewmodels
