// Attack cases against the API server: oversized and slow requests, request smuggling shapes,
// pipelining, connection floods, path tricks, WebSocket abuse, and secrets in logs.
#include "apitestsupport.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QMutex>

using namespace upcoach;
using namespace upcoach::testing;

namespace {

QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void captureMessages(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log.append(QString::fromLatin1(context.category ? context.category : "") +
                     QLatin1Char(' ') + message);
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

api::ServerLimits tightLimits()
{
    api::ServerLimits limits;
    limits.requestTimeout = std::chrono::milliseconds(800);
    limits.idleTimeout = std::chrono::milliseconds(1200);
    limits.maxConnections = 16;
    return limits;
}

} // namespace

class TestApiSecurity : public QObject
{
    Q_OBJECT
    ApiFixture m_f;
    QNetworkAccessManager m_nam;

    QByteArray authorized(const QByteArray &requestLine) const
    {
        return requestLine + "\r\nHost: x\r\nAuthorization: Bearer " + m_f.adminToken + "\r\n\r\n";
    }

private Q_SLOTS:
    void initTestCase()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("upcoach.*.debug=true"));
        g_previousHandler = qInstallMessageHandler(captureMessages);
        const QString error = m_f.start(1, tightLimits());
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(m_f.monitor->latest() && m_f.monitor->latest()->allUp(), 15000);
    }

    void cleanupTestCase()
    {
        m_f.stop();
        qInstallMessageHandler(g_previousHandler);
    }

    void announcedOversizedBodyIsRefusedAfterItsHead()
    {
        const RawExchange raw = rawExchange(
            m_f.port, "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n" +
                          QByteArray(65536, 'x'));
        QCOMPARE(statusOf(raw.received), 413);
        QVERIFY(raw.received.contains("Content-Type: application/problem+json"));
        QVERIFY(raw.closedByServer);
    }

    void streamedOversizedBodyStillGets413()
    {
        // The client keeps sending while the server refuses: the lingering close lets it read
        // the answer instead of a connection reset.
        const HttpReply reply = httpRequest(m_nam, m_f.url(QStringLiteral("/healthz")), {}, "POST",
                                            QByteArray(2 * 1024 * 1024, 'y'));
        QCOMPARE(reply.status, 413);
        QCOMPARE(reply.json().value(QStringLiteral("status")).toInt(), 413);
    }

    void longRequestTargetIs414()
    {
        const RawExchange raw = rawExchange(m_f.port, "GET /healthz?q=" + QByteArray(9000, 'a') +
                                                          " HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(statusOf(raw.received), 414);
        QVERIFY(raw.closedByServer);
        // Also when the line never ends.
        const RawExchange endless = rawExchange(m_f.port, "GET /" + QByteArray(20000, 'a'));
        QCOMPARE(statusOf(endless.received), 414);

        const HttpReply reply = httpRequest(
            m_nam, m_f.url(QStringLiteral("/healthz?q=") + QString(9000, QLatin1Char('b'))));
        QCOMPARE(reply.status, 414);
    }

    void hugeHeadIs431()
    {
        const RawExchange raw = rawExchange(
            m_f.port,
            "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Junk: " + QByteArray(70000, 'j') + "\r\n\r\n");
        QCOMPARE(statusOf(raw.received), 431);
        QVERIFY(raw.closedByServer);
    }

    void smugglingShapesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::newRow("chunked body")
            << QByteArray("POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "5\r\nhello\r\n0\r\n\r\n")
            << 411;
        QTest::newRow("length and chunked")
            << QByteArray("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: "
                          "4\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "0\r\n\r\n")
            << 400;
        QTest::newRow("two lengths")
            << QByteArray("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: "
                          "3\r\nContent-Length: 30\r\n\r\nabc")
            << 400;
    }

    void smugglingShapesAreRefused()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        const RawExchange raw = rawExchange(m_f.port, request);
        QCOMPARE(statusOf(raw.received), status);
        QCOMPARE(raw.received.count("HTTP/1.1 "), 1); // nothing parsed behind the refusal
        QVERIFY(raw.closedByServer);
    }

    void slowRequestTimesOutWith408()
    {
        const RawExchange raw =
            rawExchange(m_f.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ", 3000);
        QCOMPARE(statusOf(raw.received), 408);
        QVERIFY(raw.closedByServer);
    }

    void silentAndIdleConnectionsAreClosed()
    {
        const RawExchange silent = rawExchange(m_f.port, {}, 3000);
        QVERIFY(silent.received.isEmpty());
        QVERIFY(silent.closedByServer);
        const RawExchange idle =
            rawExchange(m_f.port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 4000);
        QCOMPARE(statusOf(idle.received), 200);
        QVERIFY(idle.closedByServer);
    }

    void pipelinedResponsesKeepRequestOrder()
    {
        // The first answer waits for a token check on a worker; the second is immediate. They
        // must still come back in request order (QtHttpServer 6.4 alone swaps them).
        const QByteArray requests = authorized("GET /api/v1/regions HTTP/1.1") +
                                    "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" +
                                    authorized("GET /api/v1/regions HTTP/1.1") +
                                    "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n";
        const RawExchange raw = rawExchange(m_f.port, requests, 1500);
        const QList<QByteArray> statuses = [&] {
            QList<QByteArray> found;
            for (qsizetype at = raw.received.indexOf("HTTP/1.1 "); at >= 0;
                 at = raw.received.indexOf("HTTP/1.1 ", at + 1))
                found.append(raw.received.mid(at + 9, 3));
            return found;
        }();
        QCOMPARE(statuses, (QList<QByteArray>{"200", "200", "200", "404"}));
        const qsizetype regions = raw.received.indexOf("\"regions\":[{");
        const qsizetype healthy = raw.received.indexOf("{\"status\":\"ok\"}");
        QVERIFY(regions >= 0 && healthy > regions);
    }

    void pipelinedRequestAfterAnOversizedOneIsNotParsed()
    {
        const RawExchange raw = rawExchange(
            m_f.port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                      "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 9999999\r\n\r\n"
                      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(statusOf(raw.received), 200);
        QCOMPARE(raw.received.count("HTTP/1.1 "), 2);
        QVERIFY(raw.received.contains("HTTP/1.1 413 "));
        QVERIFY(raw.closedByServer);
    }

    void clientLeavingMidRequestIsHarmless()
    {
        // Answers still pending for a client that is gone are dropped (counted as 499), never
        // written to a dead socket.
        for (int i = 0; i < 20; ++i) {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, m_f.port);
            QVERIFY(socket.waitForConnected(3000));
            socket.write(authorized("GET /api/v1/regions HTTP/1.1") +
                         authorized("GET /api/v1/regions HTTP/1.1"));
            socket.flush();
            QTest::qWait(i % 4); // leave at various points of the token check
            socket.abort();
        }
        QTest::qWait(200);
        const HttpReply reply = httpRequest(m_nam, m_f.url(QStringLiteral("/api/v1/regions")),
                                            "Bearer " + m_f.adminToken);
        QCOMPARE(reply.status, 200);
    }

    void connectionFloodIsCapped()
    {
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        for (int i = 0; i < 16; ++i) {
            sockets.push_back(std::make_unique<QTcpSocket>());
            sockets.back()->connectToHost(QHostAddress::LocalHost, m_f.port);
            QVERIFY(sockets.back()->waitForConnected(3000));
        }
        QTest::qWait(100);
        const RawExchange refused =
            rawExchange(m_f.port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 2000);
        QCOMPARE(statusOf(refused.received), 503);
        QVERIFY(refused.closedByServer);
        sockets.clear();
        QTRY_COMPARE(
            statusOf(
                rawExchange(m_f.port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 500).received),
            200);
    }

    void pathTricksDoNotReachProtectedRoutes_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<int>("status");
        QTest::newRow("dot segments out of /healthz")
            << QByteArray("/healthz/../api/v1/regions") << 404;
        QTest::newRow("encoded slash") << QByteArray("/api%2Fv1%2Fregions") << 404;
        QTest::newRow("dot segments into /api") << QByteArray("/api/v1/../v1/regions") << 401;
        QTest::newRow("double slash") << QByteArray("//api/v1/regions") << 404;
        QTest::newRow("trailing slash") << QByteArray("/api/v1/regions/") << 401;
    }

    void pathTricksDoNotReachProtectedRoutes()
    {
        QFETCH(QByteArray, target);
        QFETCH(int, status);
        const RawExchange raw =
            rawExchange(m_f.port, "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n", 1000);
        QCOMPARE(statusOf(raw.received), status);
    }

    void unauthorizedAnswersDoNotEchoTheToken()
    {
        const QByteArray token = "uco_" + QByteArray(43, 'Z');
        const HttpReply reply =
            httpRequest(m_nam, m_f.url(QStringLiteral("/api/v1/regions")), "Bearer " + token);
        QCOMPARE(reply.status, 401);
        QVERIFY(!reply.body.contains(token));
        for (const QByteArray &value : std::as_const(reply.headers))
            QVERIFY(!value.contains(token));
    }

    void webSocketToAnotherPathIsRefused()
    {
        const RawExchange raw =
            rawExchange(m_f.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                                  "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                  "Authorization: Bearer " +
                                      m_f.adminToken + "\r\n\r\n");
        QCOMPARE(statusOf(raw.received), 404);
        QVERIFY(raw.closedByServer);
    }

    void webSocketClientMessagesAreBounded()
    {
        QWebSocket socket;
        QSignalSpy messages(&socket, &QWebSocket::textMessageReceived);
        QSignalSpy disconnected(&socket, &QWebSocket::disconnected);
        QNetworkRequest request(m_f.wsUrl(QStringLiteral("/api/v1/events")));
        request.setRawHeader("Authorization", "Bearer " + m_f.adminToken);
        socket.open(request);
        QTRY_VERIFY(messages.size() >= 1);
        socket.sendTextMessage(QString(100000, QLatin1Char('m')));
        QTRY_COMPARE(disconnected.size(), 1);
        QCOMPARE(socket.closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
    }

    void secretsNeverReachTheLog()
    {
        // Exercise every path a token travels: header, query parameter, good and bad.
        const QByteArray wrong = "uco_" + QByteArray(43, 'Q');
        (void)httpRequest(m_nam, m_f.url(QStringLiteral("/api/v1/regions")),
                          "Bearer " + m_f.viewerToken);
        (void)httpRequest(m_nam, m_f.url(QStringLiteral("/api/v1/regions")), "Bearer " + wrong);
        (void)httpRequest(
            m_nam,
            m_f.url(QStringLiteral("/api/v1/regions?access_token=") + QString::fromLatin1(wrong)),
            "Bearer " + wrong);
        for (const QByteArray &token : {m_f.viewerToken, wrong}) {
            QWebSocket socket;
            QSignalSpy disconnected(&socket, &QWebSocket::disconnected);
            QSignalSpy messages(&socket, &QWebSocket::textMessageReceived);
            socket.open(m_f.wsUrl(QStringLiteral("/api/v1/events?access_token=") +
                                  QString::fromLatin1(token)));
            QTRY_VERIFY(!messages.isEmpty() || !disconnected.isEmpty());
            socket.close();
            QTRY_VERIFY(!disconnected.isEmpty());
        }
        QMutexLocker lock(&g_logMutex);
        QVERIFY(!g_log.isEmpty());
        bool sawRequestLine = false;
        for (const QString &line : std::as_const(g_log)) {
            QVERIFY2(!line.contains(QString::fromLatin1(m_f.viewerToken.mid(4, 16))),
                     qPrintable(line));
            QVERIFY2(!line.contains(QString::fromLatin1(m_f.adminToken.mid(4, 16))),
                     qPrintable(line));
            QVERIFY2(!line.contains(QString::fromLatin1(wrong.mid(4, 16))), qPrintable(line));
            QVERIFY2(!line.contains(QLatin1String("access_token")), qPrintable(line));
            sawRequestLine =
                sawRequestLine || line.contains(QLatin1String("GET /api/v1/regions 200"));
        }
        QVERIFY(sawRequestLine);
    }
};

QTEST_GUILESS_MAIN(TestApiSecurity)
#include "test_api_security.moc"
