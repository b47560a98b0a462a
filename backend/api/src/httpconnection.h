// The raw-connection layer under QtHttpServer 6.4, which has no limits, no timeouts and answers
// pipelined requests out of order when a handler returns later than the next one:
//   - GuardedTcpServer adopts every accepted socket before QtHttpServer sees it;
//   - HttpConnection scans the bytes first (RequestScanner) and refuses oversized or slow
//     requests itself (QtHttpServer is detached from the socket first), and keeps the
//     responses of one connection in request order however late each one is ready.
#pragma once

#include "httpsupport.h"
#include "upcoach/api/apiserver.h"

#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

namespace upcoach::api::detail {

// What a request's log line and metrics need; taken when it arrives, so nothing refers to the
// QHttpServerRequest (which QtHttpServer reuses) later.
struct RequestRecord
{
    QByteArray method;
    QString path;  // percent-encoded, without query string, truncated for logs
    QString route; // metrics label: the route's path, "unmatched" or "rejected"
    std::chrono::steady_clock::time_point started;
    bool quiet = false; // probes and scrapes log at debug level when they succeed
    QString requestId;  // X-Request-Id of the answer
};

class HttpConnection;

struct ConnectionHooks
{
    // A response was written (status) or the client left before it (499).
    std::function<void(const RequestRecord &, int status)> finished;
    // The connection stopped being an HTTP connection: closed, or handed to WebSockets.
    std::function<void(HttpConnection *)> gone;
};

class HttpConnection final : public QObject
{
public:
    static constexpr int kClientClosedRequest = 499;

    // Lives as a child of the socket. `httpServer` is the object QtHttpServer connected the
    // socket's readyRead to; it is detached from the socket when a request is refused here.
    HttpConnection(QTcpSocket *socket, QObject *httpServer, const ServerLimits &limits,
                   const ConnectionHooks *hooks);

    QTcpSocket *socket() const { return m_socket; }

    // Reserves the next place in the response order; complete() fills it.
    quint64 enqueue(std::unique_ptr<QHttpServerResponder> responder, RequestRecord record);
    void complete(quint64 ticket, QHttpServerResponse &&response);
    bool hasPendingResponses() const { return !m_pending.empty(); }

    // Drain: answer what is pending (with Connection: close), then close.
    void closeWhenIdle();
    // Stops calling the hooks (their owner is being destroyed).
    void detach() { m_hooks = nullptr; }

private:
    struct Pending
    {
        quint64 ticket = 0;
        std::unique_ptr<QHttpServerResponder> responder;
        RequestRecord record;
        std::optional<QHttpServerResponse> response;
        QByteArray refusal; // a raw refusal written in order, after which the connection closes
    };
    enum class TimerPurpose
    {
        None,
        Request,
        Idle,
        Linger
    };

    void onReadyRead();
    void onDisconnected();
    void onTimeout();
    void refuse(const Problem &problem, const QString &why);
    void refuseNow(const Problem &problem, const QString &why);
    void startLingering();
    void discardInput();
    void flush();
    void armTimer(TimerPurpose purpose, std::chrono::milliseconds after);
    void becomeIdleIfQuiet();
    void notifyGone();

    QTcpSocket *m_socket;
    QObject *m_httpServer;
    const ServerLimits &m_limits;
    const ConnectionHooks *m_hooks;
    RequestScanner m_scanner;
    // Where QtHttpServer's unconsumed input starts: it re-emits readyRead for bytes left after
    // a complete request, so the scanner takes only bytes beyond what it has seen.
    std::deque<qint64> m_requestEnds;
    qint64 m_consumed = 0;
    QTimer m_timer;
    TimerPurpose m_timerPurpose = TimerPurpose::None;
    std::deque<Pending> m_pending;
    quint64 m_nextTicket = 1;
    qint64 m_discarded = 0;
    // A refusal waiting for the complete requests before the offending one to be dispatched.
    std::optional<std::pair<Problem, QString>> m_deferredRefusal;
    bool m_closing = false;
    bool m_refused = false;
    bool m_gone = false;
};

class GuardedTcpServer final : public QTcpServer
{
public:
    // `adopt` sees each accepted socket first; false means it refused (and closes) it.
    using Adopt = std::function<bool(QTcpSocket *)>;
    explicit GuardedTcpServer(Adopt adopt, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    Adopt m_adopt;
};

} // namespace upcoach::api::detail
