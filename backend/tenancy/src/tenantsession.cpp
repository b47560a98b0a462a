#include "upcoach/tenancy/tenantsession.h"

#include "placementcontext.h"
#include "upcoach/storage/regionpools.h"
#include "upcoach/tenancy/registry.h"

#include <QByteArray>
#include <QCryptographicHash>

namespace upcoach::tenancy {

namespace {

// The first keyword of a statement, after whitespace and comments, upper-cased.
std::string firstKeyword(std::string_view sql)
{
    size_t i = 0;
    for (;;) {
        while (i < sql.size() &&
               (std::isspace(static_cast<unsigned char>(sql[i])) || sql[i] == '('))
            ++i;
        if (sql.substr(i, 2) == "--") {
            const size_t end = sql.find('\n', i);
            i = end == std::string_view::npos ? sql.size() : end + 1;
            continue;
        }
        if (sql.substr(i, 2) == "/*") {
            const size_t end = sql.find("*/", i + 2);
            i = end == std::string_view::npos ? sql.size() : end + 2;
            continue;
        }
        break;
    }
    std::string word;
    while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i])))
        word += char(std::toupper(static_cast<unsigned char>(sql[i++])));
    return word;
}

} // namespace

Status checkTenantStatement(std::string_view sql)
{
    static constexpr std::string_view allowed[] = {"SELECT", "INSERT", "UPDATE", "DELETE",
                                                   "WITH",   "VALUES", "TABLE"};
    const std::string keyword = firstKeyword(sql);
    bool ok = false;
    for (std::string_view candidate : allowed)
        ok = ok || keyword == candidate;
    if (!ok)
        return makeError(
            ErrorCode::Forbidden,
            QStringLiteral("a tenant session runs only SELECT, INSERT, UPDATE, "
                           "DELETE, WITH, VALUES or TABLE statements, not %1")
                .arg(keyword.empty() ? QStringLiteral("this") : QString::fromStdString(keyword)));
    // set_config could change the tenant context, the role or the search path mid-session.
    // Refused wherever it appears (even quoted): no tenant query needs that name.
    const QByteArray lower = QByteArray(sql.data(), qsizetype(sql.size())).toLower();
    if (lower.contains("set_config"))
        return makeError(ErrorCode::Forbidden,
                         QStringLiteral("a tenant session may not call set_config"));
    return {};
}

void TenantTransaction::refuseUnlessAllowed(const std::string &sql)
{
    Status s = checkTenantStatement(sql);
    if (!s)
        throw StatementRefused(s.error().message.toStdString());
}

std::string TenantTransaction::prepared(const std::string &sql)
{
    refuseUnlessAllowed(sql);
    const QByteArray digest =
        QCryptographicHash::hash(QByteArray::fromStdString(sql), QCryptographicHash::Sha256);
    std::string name = "uc_t_" + digest.left(12).toHex().toStdString();
    // Declares it on the connection (a no-op when already declared with the same text); the
    // server prepares it on first use.
    m_work.conn().prepare(name, sql);
    return name;
}

TenantSessions::TenantSessions(TenantRegistry &registry, storage::RegionPools &pools,
                               std::chrono::milliseconds cacheFor, const Clock &clock)
    : m_registry(registry)
    , m_pools(pools)
    , m_cacheFor(cacheFor)
    , m_clock(clock)
{
    m_registry.onChanged([this](const QString &slug) { invalidate(slug); });
}

void TenantSessions::invalidate(const QString &slug)
{
    std::lock_guard lock(m_mutex);
    m_cache.remove(slug);
}

void TenantSessions::enter(pqxx::transaction_base &work, const Tenant &tenant)
{
    enterTenantContext(work, tenant);
}

Result<TenantSessions::Target> TenantSessions::open(const QString &slug, TenantAccess access)
{
    std::optional<Tenant> tenant;
    const QDateTime now = m_clock.now();
    {
        std::lock_guard lock(m_mutex);
        auto it = m_cache.constFind(slug);
        if (it != m_cache.constEnd() && it->second > now)
            tenant = it->first;
    }
    if (!tenant) {
        auto fetched = m_registry.get(slug);
        if (!fetched)
            return fetched.error();
        tenant = fetched.value();
        std::lock_guard lock(m_mutex);
        m_cache.insert(slug, {*tenant, now.addMSecs(m_cacheFor.count())});
    }
    // Fail closed: anything but a ready placement in an allowed state is refused.
    if (tenant->provisioning != Provisioning::Ready)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("tenant %1 is not available (provisioning: %2)")
                             .arg(slug, provisioningName(tenant->provisioning)));
    const bool member = tenant->state == TenantState::Trial || tenant->state == TenantState::Active;
    const bool operatorAllowed =
        member || tenant->state == TenantState::Suspended || tenant->state == TenantState::Canceled;
    if (access == TenantAccess::Member ? !member : !operatorAllowed)
        return makeError(ErrorCode::Forbidden,
                         QStringLiteral("tenant %1 is %2").arg(slug, stateName(tenant->state)));
    Target target;
    target.tenant = *tenant;
    if (tenant->isolation == IsolationStrategy::Database) {
        auto pool = m_pools.appDatabase(tenant->homeRegion, tenant->databaseName());
        if (!pool)
            return pool.error();
        target.ownedPool = pool.value();
        target.pool = target.ownedPool.get();
    } else {
        auto pool = m_pools.app(tenant->homeRegion);
        if (!pool)
            return pool.error();
        target.pool = pool.value();
    }
    return target;
}

} // namespace upcoach::tenancy
