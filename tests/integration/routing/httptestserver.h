// A small real HTTP/1.1 responder for the health check suites, on a QTcpServer or a QSslServer
// in the test's thread: its status and body can be switched or scripted per request, it can
// accept and never answer, answer garbage, or die (listener and open connections closed).
#pragma once

#include <QByteArray>
#include <QList>
#include <QPointer>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <atomic>
#include <memory>
#include <utility>

namespace upcoach::testing {

class HttpTestServer
{
public:
    enum class Mode
    {
        Respond, // answer each request
        Hang,    // read the request, never answer
        Garbage, // answer bytes that are not HTTP
    };

    // Takes a QTcpServer, or a QSslServer already given its certificate and key.
    explicit HttpTestServer(std::unique_ptr<QTcpServer> server = std::make_unique<QTcpServer>())
        : m_server(std::move(server))
    {
        QObject::connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, m_server.get(),
                         [this] { acceptAll(); });
    }

    bool listen(quint16 port = 0) { return m_server->listen(QHostAddress::LocalHost, port); }
    quint16 port() const { return m_port ? m_port : m_server->serverPort(); }

    void setResponse(int status, QByteArray body = QByteArrayLiteral("ok"))
    {
        m_status = status;
        m_body = std::move(body);
    }
    void setExtraHeaders(QByteArray headers) { m_extraHeaders = std::move(headers); }
    // Statuses for the next requests, one each, before the default response applies again.
    void setScript(QList<int> statuses) { m_script = std::move(statuses); }
    void setMode(Mode mode) { m_mode = mode; }

    // The server dies: no new connections, the open ones reset.
    void kill()
    {
        m_port = m_server->serverPort();
        m_server->close();
        for (const QPointer<QTcpSocket> &socket : m_sockets)
            if (socket)
                socket->abort();
        m_sockets.clear();
    }

    int requests() const { return m_requests.load(); }
    int connections() const { return m_connections.load(); }
    QByteArray lastHostHeader() const { return m_lastHost; }

private:
    void acceptAll()
    {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            ++m_connections;
            m_sockets.append(socket);
            auto buffer = std::make_shared<QByteArray>();
            QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            QObject::connect(socket, &QTcpSocket::readyRead, socket,
                             [this, socket, buffer] { onData(socket, *buffer); });
        }
    }

    void onData(QTcpSocket *socket, QByteArray &buffer)
    {
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QByteArray head = buffer.left(end);
        buffer.clear();
        ++m_requests;
        for (const QByteArray &line : head.split('\n')) {
            if (line.toLower().startsWith("host:"))
                m_lastHost = line.mid(5).trimmed();
        }
        if (m_mode == Mode::Hang)
            return;
        if (m_mode == Mode::Garbage) {
            socket->write(QByteArrayLiteral("\x01\x02 definitely not http\r\n\r\n"));
            socket->disconnectFromHost();
            return;
        }
        const int status = m_script.isEmpty() ? m_status : m_script.takeFirst();
        QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + " Test\r\n";
        response +=
            "Content-Type: text/plain\r\nContent-Length: " + QByteArray::number(m_body.size()) +
            "\r\nConnection: close\r\n";
        response += m_extraHeaders;
        response += "\r\n";
        response += m_body;
        socket->write(response);
        socket->disconnectFromHost();
    }

    std::unique_ptr<QTcpServer> m_server;
    QList<QPointer<QTcpSocket>> m_sockets;
    Mode m_mode = Mode::Respond;
    int m_status = 200;
    QByteArray m_body = QByteArrayLiteral("ok");
    QByteArray m_extraHeaders;
    QList<int> m_script;
    QByteArray m_lastHost;
    quint16 m_port = 0;
    std::atomic<int> m_requests{0};
    std::atomic<int> m_connections{0};
};

} // namespace upcoach::testing
