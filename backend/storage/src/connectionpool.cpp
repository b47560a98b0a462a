#include "upcoach/storage/connectionpool.h"

#include "upcoach/core/logging.h"

#include <atomic>

namespace upcoach::storage {

namespace {
std::atomic<QThread *> forbiddenThread{nullptr};
}

void forbidBlockingOn(QThread *thread)
{
    forbiddenThread.store(thread);
}

bool blockingForbiddenHere()
{
    QThread *forbidden = forbiddenThread.load();
    return forbidden && forbidden == QThread::currentThread();
}

Error databaseError(const std::exception &e)
{
    // libpq messages can quote the connection target but never the password; keep the first
    // line, which says what went wrong.
    QString message = QString::fromUtf8(e.what()).trimmed();
    const qsizetype newline = message.indexOf(QLatin1Char('\n'));
    if (newline > 0)
        message.truncate(newline);
    if (dynamic_cast<const pqxx::broken_connection *>(&e))
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("database unreachable: ") + message);
    if (const auto *sql = dynamic_cast<const pqxx::sql_error *>(&e)) {
        const std::string state = sql->sqlstate();
        if (state == "23505")
            return makeError(ErrorCode::Conflict, message);
        if (state.rfind("22", 0) == 0 || state.rfind("23", 0) == 0)
            return makeError(ErrorCode::InvalidInput, message);
        if (state == "57P01" || state.rfind("08", 0) == 0)
            return makeError(ErrorCode::Unavailable, message);
    }
    return makeError(ErrorCode::Internal, QStringLiteral("database error: ") + message);
}

ConnectionPool::ConnectionPool(RegionEndpoint endpoint, PoolOptions options)
    : m_endpoint(std::move(endpoint))
    , m_options(options)
{}

ConnectionPool::~ConnectionPool() = default;

Result<std::unique_ptr<pqxx::connection>> ConnectionPool::take()
{
    if (blockingForbiddenHere())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("region %1: database work was started on an interactive "
                                        "thread; run it on a worker thread")
                             .arg(m_endpoint.regionId));
    {
        std::unique_lock lock(m_mutex);
        const bool available = m_available.wait_for(lock, m_options.acquireTimeout, [this] {
            return !m_idle.empty() || m_open < m_options.maxConnections;
        });
        if (!available)
            return makeError(
                ErrorCode::Unavailable,
                QStringLiteral("region %1: all %2 pooled connections stayed busy for %3 ms")
                    .arg(m_endpoint.regionId)
                    .arg(m_options.maxConnections)
                    .arg(m_options.acquireTimeout.count()));
        if (!m_idle.empty()) {
            auto connection = std::move(m_idle.back());
            m_idle.pop_back();
            return connection;
        }
        ++m_open; // reserve the slot before connecting outside the lock
    }
    QList<std::pair<QString, QString>> settings = m_options.connectionSettings;
    settings.prepend(
        {QStringLiteral("connect_timeout"),
         QString::number(std::max<qint64>(1, m_options.connectTimeout.count() / 1000))});
    auto dsn = m_endpoint.connectionString(settings);
    if (!dsn) {
        giveBack(nullptr);
        return dsn.error();
    }
    try {
        return std::make_unique<pqxx::connection>(dsn.value().toStdString());
    } catch (const std::exception &e) {
        giveBack(nullptr);
        return databaseError(e).context(QStringLiteral("region ") + m_endpoint.regionId);
    }
}

void ConnectionPool::giveBack(std::unique_ptr<pqxx::connection> connection)
{
    {
        std::lock_guard lock(m_mutex);
        if (connection && connection->is_open()) {
            m_idle.push_back(std::move(connection));
        } else {
            --m_open;
        }
    }
    m_available.notify_one();
}

void ConnectionPool::closeIdle()
{
    std::vector<std::unique_ptr<pqxx::connection>> closing;
    {
        std::lock_guard lock(m_mutex);
        closing.swap(m_idle);
        m_open -= int(closing.size());
    }
    closing.clear();
    m_available.notify_all();
}

int ConnectionPool::idleCount() const
{
    std::lock_guard lock(m_mutex);
    return int(m_idle.size());
}

int ConnectionPool::openCount() const
{
    std::lock_guard lock(m_mutex);
    return m_open;
}

} // namespace upcoach::storage
