// TenantSession: the only way code reaches tenant data. Each session is one transaction on the
// tenant's placement with the tenant context set transaction-locally (set_config(..., true), so
// it ends with the transaction and is safe behind a transaction-mode pooler):
//   upcoach.tenant_id = the tenant's id   (every RLS policy compares with it)
//   search_path       = the tenant's schema
//   role              = upcoach_t_<id>     (schema strategy only)
// and on the tenant's own database for the database strategy. Without a session there is no
// context and every policy is false: code that bypasses this type reads and writes nothing.
//
// Statements go through TenantTransaction::exec, which takes parameters only (one statement per
// call, the extended protocol) and refuses anything but SELECT / INSERT / UPDATE / DELETE / WITH
// / VALUES / TABLE, and any statement that calls set_config — so code holding a session cannot
// change its own context, role or transaction.
#pragma once

#include "upcoach/core/clock.h"
#include "upcoach/core/result.h"
#include "upcoach/storage/connectionpool.h"
#include "upcoach/tenancy/tenant.h"

#include <QHash>
#include <chrono>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace upcoach::storage {
class RegionPools;
}

namespace upcoach::tenancy {

class TenantRegistry;

enum class TenantAccess
{
    Member,   // the tenant's own users: trial and active tenants only
    Operator, // operators and jobs (export, support, moves): also suspended and canceled
};

// Thrown by TenantTransaction::exec for a refused statement; becomes a Forbidden error.
class StatementRefused : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// Whether exec() accepts `sql` (see the header comment); the reason when it does not.
Status checkTenantStatement(std::string_view sql);

class TenantTransaction
{
public:
    const Tenant &tenant() const { return m_tenant; }

    // Runs one statement with parameters. Statements are prepared once per pooled connection
    // (named by a hash of their text) so hot queries are planned once; PostgreSQL re-plans a
    // prepared statement when the search_path or the role it was planned for changes, so a plan
    // never crosses tenants.
    template<typename... Args> pqxx::result exec(const std::string &sql, Args &&...args)
    {
        const std::string name = prepared(sql);
        return m_work.exec_prepared(name, std::forward<Args>(args)...);
    }

private:
    friend class TenantSessions;
    TenantTransaction(pqxx::transaction_base &work, const Tenant &tenant)
        : m_work(work)
        , m_tenant(tenant)
    {}
    static void refuseUnlessAllowed(const std::string &sql);
    // Checks the statement, prepares it on this connection if needed, returns its name.
    std::string prepared(const std::string &sql);

    pqxx::transaction_base &m_work;
    const Tenant &m_tenant;
};

class TenantSessions
{
public:
    // Tenant records are cached for `cacheFor` (suspension reaches other serve instances within
    // that time; this instance's own changes invalidate at once).
    TenantSessions(TenantRegistry &registry, storage::RegionPools &pools,
                   std::chrono::milliseconds cacheFor = std::chrono::milliseconds(2000),
                   const Clock &clock = Clock::system());

    // Runs fn(TenantTransaction &) in one transaction with the tenant's context and commits it.
    // NotFound: unknown tenant; Forbidden: the tenant's state does not allow `access`;
    // Unavailable: not provisioned (yet), being moved, or the database did not answer.
    // Exceptions from fn roll the transaction back and become Errors. Blocking.
    template<typename Fn>
    auto run(const QString &slug, TenantAccess access, Fn &&fn)
        -> Result<std::invoke_result_t<Fn, TenantTransaction &>>
    {
        return runIn<pqxx::work>(slug, access, std::forward<Fn>(fn));
    }
    // The same, read-only, in one REPEATABLE READ snapshot (exports, consistent reports).
    template<typename Fn>
    auto runSnapshot(const QString &slug, TenantAccess access, Fn &&fn)
        -> Result<std::invoke_result_t<Fn, TenantTransaction &>>
    {
        return runIn<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(
            slug, access, std::forward<Fn>(fn));
    }

    // Forgets the cached record (after a change made through this process).
    void invalidate(const QString &slug);

private:
    struct Target
    {
        Tenant tenant;
        storage::ConnectionPool *pool = nullptr;
        std::shared_ptr<storage::ConnectionPool> ownedPool; // database strategy
    };
    Result<Target> open(const QString &slug, TenantAccess access);
    static void enter(pqxx::transaction_base &work, const Tenant &tenant);
    template<typename Transaction, typename Fn>
    auto runIn(const QString &slug, TenantAccess access, Fn &&fn)
        -> Result<std::invoke_result_t<Fn, TenantTransaction &>>;

    TenantRegistry &m_registry;
    storage::RegionPools &m_pools;
    std::chrono::milliseconds m_cacheFor;
    const Clock &m_clock;
    std::mutex m_mutex;
    QHash<QString, std::pair<Tenant, QDateTime>> m_cache;
};

template<typename Transaction, typename Fn>
auto TenantSessions::runIn(const QString &slug, TenantAccess access, Fn &&fn)
    -> Result<std::invoke_result_t<Fn, TenantTransaction &>>
{
    using R = std::invoke_result_t<Fn, TenantTransaction &>;
    auto target = open(slug, access);
    if (!target)
        return target.error();
    const Tenant &tenant = target->tenant;
    std::optional<QString> refused;
    auto result = target->pool->withConnection([&](pqxx::connection &connection) -> R {
        Transaction work(connection);
        enter(work, tenant);
        TenantTransaction transaction(work, tenant);
        try {
            if constexpr (std::is_void_v<R>) {
                fn(transaction);
                work.commit();
            } else {
                R value = fn(transaction);
                work.commit();
                return value;
            }
        } catch (const StatementRefused &e) {
            refused = QString::fromUtf8(e.what());
            throw;
        }
    });
    if (refused)
        return makeError(ErrorCode::Forbidden, QStringLiteral("tenant %1: %2").arg(slug, *refused));
    return result;
}

} // namespace upcoach::tenancy
