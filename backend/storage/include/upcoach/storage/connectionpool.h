// A libpqxx connection pool for one region. Blocking by design, so it refuses to run on a thread
// marked interactive (the GUI thread, the HTTP event loop): see forbidBlockingOn().
// libpqxx exceptions never leave this module: withConnection() turns them into Errors.
#pragma once

#include "upcoach/core/config.h"
#include "upcoach/core/result.h"

#include <QThread>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <type_traits>
#include <vector>

namespace upcoach::storage {

// Marks a thread on which blocking database work is a bug (the composition root marks the GUI
// thread and the server's event-loop thread). Pass nullptr to clear.
void forbidBlockingOn(QThread *thread);
bool blockingForbiddenHere();

// Converts whatever libpqxx or libpq threw into an Error with a message safe to show.
Error databaseError(const std::exception &e);

struct PoolOptions
{
    int maxConnections = 8;
    std::chrono::milliseconds acquireTimeout{5000};
    std::chrono::milliseconds connectTimeout{5000};
    // Extra libpq settings for every connection, e.g. {"dbname", "upcoach_t_..."} for a pool
    // on a tenant's own database, or {"application_name", ...}.
    QList<std::pair<QString, QString>> connectionSettings{};
};

class ConnectionPool
{
public:
    ConnectionPool(RegionEndpoint endpoint, PoolOptions options = {});
    ~ConnectionPool();
    ConnectionPool(const ConnectionPool &) = delete;
    ConnectionPool &operator=(const ConnectionPool &) = delete;

    const QString &regionId() const { return m_endpoint.regionId; }

    // Runs fn with a pooled connection. fn may throw libpqxx exceptions; they become Errors and
    // the connection is discarded when it is broken. Returns Result<R> for fn returning R.
    template<typename Fn>
    auto withConnection(Fn &&fn) -> Result<std::invoke_result_t<Fn, pqxx::connection &>>;

    // Closes idle connections (e.g. before a database is dropped or used as a template).
    void closeIdle();

    int idleCount() const;
    int openCount() const;

private:
    Result<std::unique_ptr<pqxx::connection>> take();
    void giveBack(std::unique_ptr<pqxx::connection> connection);

    RegionEndpoint m_endpoint;
    PoolOptions m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_available;
    std::vector<std::unique_ptr<pqxx::connection>> m_idle;
    int m_open = 0;
};

template<typename Fn>
auto ConnectionPool::withConnection(Fn &&fn) -> Result<std::invoke_result_t<Fn, pqxx::connection &>>
{
    using R = std::invoke_result_t<Fn, pqxx::connection &>;
    auto taken = take();
    if (!taken)
        return taken.error();
    std::unique_ptr<pqxx::connection> connection = std::move(taken.value());
    try {
        if constexpr (std::is_void_v<R>) {
            fn(*connection);
            giveBack(std::move(connection));
            return Result<void>();
        } else {
            R value = fn(*connection);
            giveBack(std::move(connection));
            return Result<R>(std::move(value));
        }
    } catch (const std::exception &e) {
        giveBack(std::move(connection)); // giveBack drops it when it is broken or mid-transaction
        return databaseError(e).context(QStringLiteral("region ") + m_endpoint.regionId);
    }
}

} // namespace upcoach::storage
