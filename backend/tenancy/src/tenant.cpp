#include "upcoach/tenancy/tenant.h"

#include <QRegularExpression>
#include <array>

namespace upcoach::tenancy {

namespace {

template<typename E, size_t N>
std::optional<E> parseName(const std::array<std::pair<E, const char *>, N> &names,
                           const QString &text)
{
    for (const auto &[value, name] : names) {
        if (text == QLatin1String(name))
            return value;
    }
    return std::nullopt;
}

template<typename E, size_t N>
QString nameOf(const std::array<std::pair<E, const char *>, N> &names, E value)
{
    for (const auto &[candidate, name] : names) {
        if (candidate == value)
            return QLatin1String(name);
    }
    return {};
}

constexpr std::array<std::pair<TenantState, const char *>, 5> stateNames{{
    {TenantState::Trial, "trial"},
    {TenantState::Active, "active"},
    {TenantState::Suspended, "suspended"},
    {TenantState::Canceled, "canceled"},
    {TenantState::Deleted, "deleted"},
}};
constexpr std::array<std::pair<IsolationStrategy, const char *>, 3> isolationNames{{
    {IsolationStrategy::RowLevelSecurity, "rls"},
    {IsolationStrategy::Schema, "schema"},
    {IsolationStrategy::Database, "database"},
}};
constexpr std::array<std::pair<TenantKind, const char *>, 3> kindNames{{
    {TenantKind::Organization, "organization"},
    {TenantKind::SubOrganization, "sub-organization"},
    {TenantKind::Team, "team"},
}};
constexpr std::array<std::pair<Provisioning, const char *>, 5> provisioningNames{{
    {Provisioning::Pending, "pending"},
    {Provisioning::Ready, "ready"},
    {Provisioning::Failed, "failed"},
    {Provisioning::Moving, "moving"},
    {Provisioning::Removed, "removed"},
}};
constexpr std::array<std::pair<LifecycleAction, const char *>, 5> actionNames{{
    {LifecycleAction::Activate, "activate"},
    {LifecycleAction::Suspend, "suspend"},
    {LifecycleAction::Cancel, "cancel"},
    {LifecycleAction::Reactivate, "reactivate"},
    {LifecycleAction::ExpireTrial, "expire-trial"},
}};

QString hexId(const QUuid &id)
{
    return id.toString(QUuid::Id128);
}

} // namespace

QString stateName(TenantState state)
{
    return nameOf(stateNames, state);
}
std::optional<TenantState> parseState(const QString &name)
{
    return parseName(stateNames, name);
}
QString isolationName(IsolationStrategy strategy)
{
    return nameOf(isolationNames, strategy);
}
std::optional<IsolationStrategy> parseIsolation(const QString &name)
{
    return parseName(isolationNames, name);
}
QString kindName(TenantKind kind)
{
    return nameOf(kindNames, kind);
}
std::optional<TenantKind> parseKind(const QString &name)
{
    return parseName(kindNames, name);
}
QString provisioningName(Provisioning provisioning)
{
    return nameOf(provisioningNames, provisioning);
}
std::optional<Provisioning> parseProvisioning(const QString &name)
{
    return parseName(provisioningNames, name);
}
QString actionName(LifecycleAction action)
{
    return nameOf(actionNames, action);
}
std::optional<LifecycleAction> parseAction(const QString &name)
{
    return parseName(actionNames, name);
}

Result<TenantState> nextState(const QString &slug, TenantState from, LifecycleAction action,
                              bool trialEnded)
{
    auto refuse = [&](const QString &why) -> Result<TenantState> {
        return makeError(
            ErrorCode::Conflict,
            QStringLiteral("tenant %1 cannot %2: %3").arg(slug, actionName(action), why));
    };
    if (from == TenantState::Deleted)
        return refuse(QStringLiteral("it was deleted"));
    switch (action) {
    case LifecycleAction::Activate:
        if (from == TenantState::Active)
            return refuse(QStringLiteral("it is already active"));
        if (from == TenantState::Canceled)
            return refuse(QStringLiteral("it is canceled; use reactivate"));
        return TenantState::Active;
    case LifecycleAction::Suspend:
        if (from == TenantState::Suspended)
            return refuse(QStringLiteral("it is already suspended"));
        if (from == TenantState::Canceled)
            return refuse(QStringLiteral("it is canceled"));
        return TenantState::Suspended;
    case LifecycleAction::Cancel:
        if (from == TenantState::Canceled)
            return refuse(QStringLiteral("it is already canceled"));
        return TenantState::Canceled;
    case LifecycleAction::Reactivate:
        if (from != TenantState::Canceled)
            return refuse(QStringLiteral("it is %1, not canceled").arg(stateName(from)));
        return TenantState::Active;
    case LifecycleAction::ExpireTrial:
        if (from != TenantState::Trial)
            return refuse(QStringLiteral("it is %1, not in trial").arg(stateName(from)));
        if (!trialEnded)
            return refuse(QStringLiteral("its trial has not ended"));
        return TenantState::Suspended;
    }
    return refuse(QStringLiteral("unknown action"));
}

QString placementSchema(const QUuid &id, IsolationStrategy strategy)
{
    switch (strategy) {
    case IsolationStrategy::RowLevelSecurity:
        return QStringLiteral("tenant_shared");
    case IsolationStrategy::Schema:
        return QStringLiteral("t_") + hexId(id);
    case IsolationStrategy::Database:
        return QStringLiteral("tenant_data");
    }
    return {};
}

QString placementDatabase(const QUuid &id, IsolationStrategy strategy)
{
    return strategy == IsolationStrategy::Database ? QStringLiteral("upcoach_t_") + hexId(id)
                                                   : QString();
}

QString placementRole(const QUuid &id, IsolationStrategy strategy)
{
    return strategy == IsolationStrategy::Schema ? QStringLiteral("upcoach_t_") + hexId(id)
                                                 : QString();
}

QString Tenant::schemaName() const
{
    return placementSchema(id, isolation);
}
QString Tenant::databaseName() const
{
    return placementDatabase(id, isolation);
}
QString Tenant::roleName() const
{
    return placementRole(id, isolation);
}

Status validateSlug(const QString &slug)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z][a-z0-9-]{1,61}[a-z0-9]$"));
    if (!pattern.match(slug).hasMatch())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("slug: 3 to 63 characters of a-z, 0-9 and '-', starting "
                                        "with a letter and not ending with '-'"));
    if (slug.contains(QLatin1String("--")))
        return makeError(ErrorCode::InvalidInput, QStringLiteral("slug: no consecutive '-'"));
    return {};
}

Status validateDisplayName(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty() || name.size() > 200)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("name: 1 to 200 characters, not only spaces"));
    for (const QChar c : name) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("name: control characters are not allowed"));
    }
    return {};
}

Status validateOwnerEmail(const QString &email)
{
    static const QRegularExpression pattern(
        QStringLiteral("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
                       "[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"));
    if (email.size() > 254 || !pattern.match(email).hasMatch())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("ownerEmail: not an email address (name@domain)"));
    return {};
}

} // namespace upcoach::tenancy
