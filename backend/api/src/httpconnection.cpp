#include "httpconnection.h"

#include "requestaudit.h"
#include "upcoach/core/logging.h"

#include <sys/socket.h>

namespace upcoach::api::detail {

namespace {

constexpr std::chrono::milliseconds kLingerTime{2000};
constexpr qint64 kMaxLingerBytes = 4 << 20;

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, QObject *httpServer, const ServerLimits &limits,
                               const ConnectionHooks *hooks)
    : QObject(socket)
    , m_socket(socket)
    , m_httpServer(httpServer)
    , m_limits(limits)
    , m_hooks(hooks)
    , m_scanner(ScanLimits{limits.maxUrlBytes, limits.maxHeaderBytes, limits.maxBodyBytes})
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { onTimeout(); });
    // Connected before QtHttpServer connects its own slot, so the scanner sees bytes first.
    connect(socket, &QTcpSocket::readyRead, this, [this] { onReadyRead(); });
    connect(socket, &QTcpSocket::disconnected, this, [this] { onDisconnected(); });
    armTimer(TimerPurpose::Request, limits.requestTimeout);
}

quint64 HttpConnection::enqueue(std::unique_ptr<QHttpServerResponder> responder,
                                RequestRecord record)
{
    if (!m_requestEnds.empty()) {
        m_consumed = m_requestEnds.front();
        m_requestEnds.pop_front();
    }
    if (m_timerPurpose == TimerPurpose::Idle)
        armTimer(TimerPurpose::None, {});
    const quint64 ticket = m_nextTicket++;
    m_pending.push_back(Pending{ticket, std::move(responder), std::move(record), std::nullopt, {}});
    if (m_deferredRefusal && m_requestEnds.empty()) {
        auto [problem, why] = *std::exchange(m_deferredRefusal, std::nullopt);
        refuseNow(problem, why); // queued behind this request's answer
    }
    return ticket;
}

void HttpConnection::complete(quint64 ticket, QHttpServerResponse &&response)
{
    for (Pending &pending : m_pending) {
        if (pending.ticket == ticket) {
            pending.response.emplace(std::move(response));
            break;
        }
    }
    flush();
}

void HttpConnection::flush()
{
    while (!m_pending.empty() &&
           (m_pending.front().response || !m_pending.front().refusal.isEmpty())) {
        Pending pending = std::move(m_pending.front());
        m_pending.pop_front();
        if (!pending.refusal.isEmpty()) {
            if (m_socket->state() == QAbstractSocket::ConnectedState) {
                m_socket->write(pending.refusal);
                startLingering();
            }
            m_pending.clear(); // nothing is answered after a refusal
            return;
        }
        if (m_socket->state() != QAbstractSocket::ConnectedState) {
            if (m_hooks)
                m_hooks->finished(pending.record, kClientClosedRequest);
            continue;
        }
        if (m_closing)
            pending.response->setHeader(QByteArrayLiteral("Connection"),
                                        QByteArrayLiteral("close"));
        const int status = int(pending.response->statusCode());
        pending.response->write(std::move(*pending.responder));
        if (m_hooks)
            m_hooks->finished(pending.record, status);
    }
    if (m_pending.empty() && m_closing && !m_scanner.midRequest()) {
        m_socket->disconnectFromHost();
        return;
    }
    becomeIdleIfQuiet();
}

void HttpConnection::closeWhenIdle()
{
    if (m_closing || m_refused)
        return;
    m_closing = true;
    if (m_pending.empty() && !m_scanner.midRequest())
        m_socket->disconnectFromHost();
}

void HttpConnection::onReadyRead()
{
    if (m_refused) {
        discardInput();
        return;
    }
    if (m_deferredRefusal) {
        // QtHttpServer is still dispatching the requests before the refused one; do not let
        // it buffer the refused one's bytes without bound meanwhile.
        if (m_socket->bytesAvailable() > m_limits.maxHeaderBytes + m_limits.maxBodyBytes) {
            auto [problem, why] = *std::exchange(m_deferredRefusal, std::nullopt);
            m_requestEnds.clear();
            refuseNow(problem, why);
        }
        return;
    }
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return;
    // Inside a transaction QtHttpServer has read everything up to the new bytes; outside one
    // the buffer starts where its last complete request ended.
    qint64 fresh =
        m_socket->isTransactionStarted() ? available : m_consumed + available - m_scanner.offset();
    fresh = std::clamp<qint64>(fresh, 0, available);
    if (fresh == 0)
        return;
    const QByteArray buffered = m_socket->peek(available);
    const RequestScanner::Verdict verdict = m_scanner.feed(QByteArrayView(buffered).last(fresh));
    for (const qint64 end : m_scanner.takeRequestEnds())
        m_requestEnds.push_back(end);

    switch (verdict) {
    case RequestScanner::Verdict::Continue:
        break;
    case RequestScanner::Verdict::UriTooLong:
        return refuse(uriTooLong(m_limits.maxUrlBytes), QStringLiteral("request-target too long"));
    case RequestScanner::Verdict::HeadersTooLarge:
        return refuse(headersTooLarge(m_limits.maxHeaderBytes),
                      QStringLiteral("request head too large"));
    case RequestScanner::Verdict::PayloadTooLarge:
        return refuse(payloadTooLarge(m_limits.maxBodyBytes),
                      QStringLiteral("request body too large"));
    case RequestScanner::Verdict::LengthRequired:
        return refuse(lengthRequired(), QStringLiteral("body without Content-Length"));
    case RequestScanner::Verdict::BadRequest:
        return refuse(badRequest(QStringLiteral("the request head is malformed")),
                      QStringLiteral("malformed request head"));
    }

    if (m_scanner.phase() == RequestScanner::Phase::Upgraded) {
        armTimer(TimerPurpose::None, {});
        notifyGone(); // QtHttpServer now hands the socket to QtWebSockets (or closes it)
        return;
    }
    if (m_scanner.midRequest()) {
        if (m_timerPurpose != TimerPurpose::Request)
            armTimer(TimerPurpose::Request, m_limits.requestTimeout);
    } else {
        if (m_timerPurpose == TimerPurpose::Request)
            armTimer(TimerPurpose::None, {});
        becomeIdleIfQuiet();
    }
}

void HttpConnection::refuse(const Problem &problem, const QString &why)
{
    if (!m_requestEnds.empty()) {
        // Complete requests before the offending one are answered first (pipelining).
        m_deferredRefusal.emplace(problem, why);
        return;
    }
    refuseNow(problem, why);
}

void HttpConnection::refuseNow(const Problem &problem, const QString &why)
{
    m_refused = true;
    armTimer(TimerPurpose::None, {});
    // QtHttpServer must not parse (or answer) anything more from this connection.
    QObject::disconnect(m_socket, &QTcpSocket::readyRead, m_httpServer, nullptr);
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction(); // lets discarded input leave the buffer
    const QString requestId = newRequestId();
    qCInfo(lcApi).noquote() << "refused request from connection:" << why << "->" << problem.status
                            << QStringLiteral("rid=") + requestId;
    if (m_hooks) {
        RequestRecord record;
        record.method = QByteArrayLiteral("-");
        record.path = QStringLiteral("-");
        record.route = QStringLiteral("rejected");
        record.started = std::chrono::steady_clock::now();
        record.requestId = requestId;
        m_hooks->finished(record, problem.status);
    }
    Pending refusal;
    refusal.refusal = m_scanner.target().startsWith("/scim/")
                          ? rawScimErrorResponse(problem, requestId.toLatin1())
                          : rawProblemResponse(problem, requestId.toLatin1());
    m_pending.push_back(std::move(refusal));
    flush();
    discardInput();
}

void HttpConnection::startLingering()
{
    // Lingering close: keep reading (and dropping) what the client is still sending for a
    // moment, so the kernel does not reset the connection before the client has read the
    // response; half-close our side once the response is out.
    auto shutdownWhenWritten = [this] {
        if (m_socket->bytesToWrite() == 0)
            ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    };
    connect(m_socket, &QTcpSocket::bytesWritten, this, shutdownWhenWritten);
    m_socket->flush();
    shutdownWhenWritten();
    armTimer(TimerPurpose::Linger, kLingerTime);
}

void HttpConnection::discardInput()
{
    m_discarded += m_socket->skip(m_socket->bytesAvailable());
    if (m_discarded > kMaxLingerBytes)
        m_socket->abort();
}

void HttpConnection::onDisconnected()
{
    armTimer(TimerPurpose::None, {});
    // Responders refer to QtHttpServer's request object, which dies with the socket; drop
    // them now, while both are still alive.
    std::deque<Pending> pending = std::exchange(m_pending, {});
    if (m_hooks) {
        for (const Pending &request : pending)
            m_hooks->finished(request.record, kClientClosedRequest);
    }
    pending.clear();
    notifyGone();
}

void HttpConnection::onTimeout()
{
    const TimerPurpose purpose = std::exchange(m_timerPurpose, TimerPurpose::None);
    switch (purpose) {
    case TimerPurpose::None:
        break;
    case TimerPurpose::Request:
        if (m_scanner.midRequest() && m_pending.empty())
            refuse(requestTimeout(), QStringLiteral("request did not arrive in time"));
        else
            m_socket->disconnectFromHost(); // connected and never sent a request
        break;
    case TimerPurpose::Idle:
        m_socket->disconnectFromHost();
        break;
    case TimerPurpose::Linger:
        m_socket->abort();
        break;
    }
}

void HttpConnection::armTimer(TimerPurpose purpose, std::chrono::milliseconds after)
{
    m_timerPurpose = purpose;
    if (purpose == TimerPurpose::None)
        m_timer.stop();
    else
        m_timer.start(after);
}

void HttpConnection::becomeIdleIfQuiet()
{
    if (m_pending.empty() && !m_scanner.midRequest() && !m_refused &&
        m_timerPurpose != TimerPurpose::Idle)
        armTimer(TimerPurpose::Idle, m_limits.idleTimeout);
}

void HttpConnection::notifyGone()
{
    if (m_gone)
        return;
    m_gone = true;
    if (m_hooks)
        m_hooks->gone(this);
}

GuardedTcpServer::GuardedTcpServer(Adopt adopt, QObject *parent)
    : QTcpServer(parent)
    , m_adopt(std::move(adopt))
{}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    if (m_adopt(socket))
        addPendingConnection(socket);
}

} // namespace upcoach::api::detail
