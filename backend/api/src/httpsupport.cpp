#include "httpsupport.h"

#include "upcoach/core/logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>

namespace upcoach::api::detail {

namespace {

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() &&
           QByteArray(a.data(), a.size()).compare(b, Qt::CaseInsensitive) == 0;
}

Problem make(int status, const char *slug, const char *title, QString detail)
{
    return Problem{
        status, QString::fromLatin1(slug), QString::fromLatin1(title), std::move(detail), {}};
}

// Index one past the blank line that ends a request head, or -1. Accepts bare LF line ends as
// QtHttpServer's parser does.
qsizetype findHeadEnd(const QByteArray &head, qsizetype from)
{
    for (qsizetype p = std::max<qsizetype>(from, 0); p < head.size(); ++p) {
        if (head.at(p) != '\n')
            continue;
        if (p + 1 < head.size() && head.at(p + 1) == '\n')
            return p + 2;
        if (p + 2 < head.size() && head.at(p + 1) == '\r' && head.at(p + 2) == '\n')
            return p + 3;
    }
    return -1;
}

QByteArray withoutCarriageReturn(QByteArray line)
{
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

} // namespace

QByteArray problemJson(const Problem &problem)
{
    QJsonObject object = problem.extensions;
    object.insert(QStringLiteral("type"),
                  QString(QStringLiteral("https://upcoach.dev/problems/") + problem.slug));
    object.insert(QStringLiteral("title"), problem.title);
    object.insert(QStringLiteral("status"), problem.status);
    if (!problem.detail.isEmpty())
        object.insert(QStringLiteral("detail"), problem.detail);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 426:
        return "Upgrade Required";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

QByteArray scimErrorJson(const Problem &problem)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("schemas"),
                                      QJsonArray{QStringLiteral(
                                          "urn:ietf:params:scim:api:messages:2.0:Error")}},
                                     {QStringLiteral("status"), QString::number(problem.status)},
                                     {QStringLiteral("detail"), problem.detail}})
        .toJson(QJsonDocument::Compact);
}

namespace {

QByteArray rawErrorResponse(const Problem &problem, const QByteArray &requestId,
                            const QByteArray &contentType, const QByteArray &body)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(problem.status) + ' ' +
                     reasonPhrase(problem.status) + "\r\nContent-Type: " + contentType +
                     "\r\nContent-Length: " + QByteArray::number(body.size()) +
                     "\r\nCache-Control: no-store\r\nConnection: close\r\n";
    if (!requestId.isEmpty())
        out += "X-Request-Id: " + requestId + "\r\n";
    out += "\r\n" + body;
    return out;
}

} // namespace

QByteArray rawProblemResponse(const Problem &problem, const QByteArray &requestId)
{
    return rawErrorResponse(problem, requestId, "application/problem+json", problemJson(problem));
}

QByteArray rawScimErrorResponse(const Problem &problem, const QByteArray &requestId)
{
    return rawErrorResponse(problem, requestId, "application/scim+json", scimErrorJson(problem));
}

Problem notFound()
{
    return make(404, "not-found", "Not found", QStringLiteral("there is no resource at this path"));
}

Problem methodNotAllowed()
{
    return make(405, "method-not-allowed", "Method not allowed",
                QStringLiteral("the resource does not support this method; see the Allow header"));
}

Problem unauthorized()
{
    return make(401, "unauthorized", "Unauthorized",
                QStringLiteral("a valid bearer token is required (Authorization: Bearer <token>)"));
}

Problem authUnavailable()
{
    return make(503, "auth-unavailable", "Authentication unavailable",
                QStringLiteral("the token store did not answer; retry shortly"));
}

Problem shuttingDown()
{
    return make(503, "shutting-down", "Shutting down",
                QStringLiteral("this instance is draining; retry on another instance"));
}

Problem payloadTooLarge(qint64 limit)
{
    return make(413, "payload-too-large", "Request body too large",
                QStringLiteral("request bodies are limited to %1 bytes").arg(limit));
}

Problem uriTooLong(qsizetype limit)
{
    return make(414, "uri-too-long", "URI too long",
                QStringLiteral("request targets are limited to %1 bytes").arg(limit));
}

Problem headersTooLarge(qsizetype limit)
{
    return make(431, "headers-too-large", "Request headers too large",
                QStringLiteral("request heads are limited to %1 bytes").arg(limit));
}

Problem lengthRequired()
{
    return make(
        411, "length-required", "Length required",
        QStringLiteral("send request bodies with Content-Length; chunked bodies are not accepted"));
}

Problem badRequest(const QString &detail)
{
    return make(400, "bad-request", "Bad request", detail);
}

Problem requestTimeout()
{
    return make(408, "request-timeout", "Request timeout",
                QStringLiteral("the request did not arrive in time"));
}

Problem upgradeRequired()
{
    return make(426, "upgrade-required", "Upgrade required",
                QStringLiteral("this endpoint speaks WebSocket only"));
}

Problem forbidden(const QString &detail)
{
    return make(403, "forbidden", "Forbidden", detail);
}

Problem domainProblem(const Error &error)
{
    QString detail = error.message.left(500);
    for (QChar &c : detail)
        if (c.category() == QChar::Other_Control)
            c = QLatin1Char(' ');
    switch (error.code) {
    case ErrorCode::InvalidInput:
        return make(400, "invalid-input", "Invalid input", detail);
    case ErrorCode::Unauthorized:
        return make(401, "unauthorized", "Unauthorized", detail);
    case ErrorCode::Forbidden:
        return make(403, "forbidden", "Forbidden", detail);
    case ErrorCode::NotFound:
        return make(404, "not-found", "Not found", detail);
    case ErrorCode::Conflict:
        return make(409, "conflict", "Conflict", detail);
    case ErrorCode::Unavailable:
        return make(503, "unavailable", "Service unavailable", detail);
    case ErrorCode::Config:
        return make(503, "misconfigured", "Service misconfigured", detail);
    case ErrorCode::Internal:
        break;
    }
    qCWarning(lcApi).noquote() << "a request failed internally:" << error.message;
    return internalError();
}

Problem unsupportedMediaType()
{
    return make(415, "unsupported-media-type", "Unsupported media type",
                QStringLiteral("send the request body as application/json"));
}

Problem internalError()
{
    return make(500, "internal-error", "Internal error",
                QStringLiteral("the server failed to handle the request; it is logged"));
}

Problem auditUnavailable(const QString &detail)
{
    return make(503, "audit-unavailable", "Audit log unavailable", detail);
}

bool isWellFormedToken(QByteArrayView token)
{
    if (token.isEmpty() || token.size() > kMaxBearerTokenBytes)
        return false;
    qsizetype i = 0;
    for (; i < token.size(); ++i) {
        const char c = token[i];
        const bool tokenChar = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                               (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                               c == '~' || c == '+' || c == '/';
        if (!tokenChar)
            break;
    }
    if (i == 0)
        return false;
    for (; i < token.size(); ++i) {
        if (token[i] != '=')
            return false;
    }
    return true;
}

Credential bearerFromAuthorization(QByteArrayView value)
{
    const QByteArray trimmed = QByteArray(value.data(), value.size()).trimmed();
    const qsizetype space = trimmed.indexOf(' ');
    if (space < 0 || !equalsIgnoringCase(QByteArrayView(trimmed).first(space), "Bearer"))
        return {CredentialState::Malformed, {}};
    const QByteArray token = trimmed.sliced(space + 1).trimmed();
    if (!isWellFormedToken(token))
        return {CredentialState::Malformed, {}};
    return {CredentialState::Present, token};
}

QList<QByteArray> headerValues(const QList<QPair<QByteArray, QByteArray>> &headers,
                               QByteArrayView name)
{
    QList<QByteArray> values;
    for (const auto &[key, value] : headers) {
        if (equalsIgnoringCase(key, name))
            values.append(value);
    }
    return values;
}

bool headerHasToken(const QList<QByteArray> &values, QByteArrayView token)
{
    for (const QByteArray &value : values) {
        for (const QByteArray &part : value.split(',')) {
            if (equalsIgnoringCase(part.trimmed(), token))
                return true;
        }
    }
    return false;
}

bool isWebSocketUpgrade(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    // What QtHttpServer 6.4 hands to QtWebSockets: its parser's upgrade flag (an "upgrade"
    // token in Connection) and an Upgrade header that is exactly "websocket".
    const QList<QByteArray> upgrade = headerValues(headers, "upgrade");
    return upgrade.size() == 1 && equalsIgnoringCase(upgrade.constFirst().trimmed(), "websocket") &&
           headerHasToken(headerValues(headers, "connection"), "upgrade");
}

Credential bearerFromHeaders(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    const QList<QByteArray> values = headerValues(headers, "authorization");
    if (values.isEmpty())
        return {CredentialState::Absent, {}};
    if (values.size() > 1)
        return {CredentialState::Malformed, {}};
    return bearerFromAuthorization(values.constFirst());
}

RequestScanner::Verdict RequestScanner::feed(QByteArrayView bytes)
{
    const qint64 base = m_offset;
    m_offset += bytes.size();
    qsizetype i = 0;
    while (i < bytes.size()) {
        switch (m_phase) {
        case Phase::Upgraded:
            // Still fed after an upgrade request: QtHttpServer did not hand the connection to
            // WebSockets, so what follows is HTTP again.
            m_phase = Phase::BetweenRequests;
            break;
        case Phase::BetweenRequests:
            // RFC 9112 §2.2: empty lines before a request line are ignored.
            if (bytes[i] == '\r' || bytes[i] == '\n') {
                ++i;
                continue;
            }
            m_phase = Phase::Head;
            m_head.clear();
            break;
        case Phase::Head: {
            const qsizetype before = m_head.size();
            const qsizetype room = std::max<qsizetype>(m_limits.maxHeaderBytes + 1 - before, 1);
            const qsizetype take = std::min(bytes.size() - i, room);
            m_head.append(bytes.data() + i, take);
            const qsizetype end = findHeadEnd(m_head, before - 3);
            if (end < 0) {
                i += take;
                if (const Verdict verdict = checkRequestLine(); verdict != Verdict::Continue)
                    return verdict;
                if (m_head.size() > m_limits.maxHeaderBytes)
                    return Verdict::HeadersTooLarge;
                continue;
            }
            i += end - before;
            m_head.truncate(end);
            if (const Verdict verdict = checkRequestLine(); verdict != Verdict::Continue)
                return verdict;
            if (end > m_limits.maxHeaderBytes)
                return Verdict::HeadersTooLarge;
            if (const Verdict verdict = finishHead(); verdict != Verdict::Continue)
                return verdict;
            if (m_phase != Phase::Body)
                m_requestEnds.push_back(base + i);
            break;
        }
        case Phase::Body: {
            const qint64 take = std::min<qint64>(m_bodyRemaining, bytes.size() - i);
            i += qsizetype(take);
            m_bodyRemaining -= take;
            if (m_bodyRemaining == 0) {
                m_phase = Phase::BetweenRequests;
                m_requestEnds.push_back(base + i);
            }
            break;
        }
        }
    }
    return Verdict::Continue;
}

RequestScanner::Verdict RequestScanner::checkRequestLine() const
{
    // Slack for the method and " HTTP/1.1" around the request-target.
    constexpr qsizetype kLineSlack = 32;
    const qsizetype newline = m_head.indexOf('\n');
    if (newline < 0)
        return m_head.size() > m_limits.maxUrlBytes + kLineSlack ? Verdict::UriTooLong
                                                                 : Verdict::Continue;
    const QByteArray line = withoutCarriageReturn(m_head.left(newline));
    const qsizetype first = line.indexOf(' ');
    const qsizetype last = line.lastIndexOf(' ');
    const qsizetype target = (first >= 0 && last > first) ? last - first - 1 : line.size();
    return target > m_limits.maxUrlBytes ? Verdict::UriTooLong : Verdict::Continue;
}

RequestScanner::Verdict RequestScanner::finishHead()
{
    const QList<QByteArray> lines = m_head.split('\n');
    {
        const QByteArray line = withoutCarriageReturn(lines.value(0));
        const qsizetype first = line.indexOf(' ');
        const qsizetype last = line.lastIndexOf(' ');
        m_target =
            (first >= 0 && last > first) ? line.mid(first + 1, last - first - 1) : QByteArray();
    }
    QList<QPair<QByteArray, QByteArray>> headers;
    for (qsizetype n = 1; n < lines.size(); ++n) {
        const QByteArray line = withoutCarriageReturn(lines.at(n));
        if (line.isEmpty())
            continue;
        if (line.startsWith(' ') || line.startsWith('\t'))
            return Verdict::BadRequest; // obsolete line folding (RFC 9112 §5.2)
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || line.at(colon - 1) == ' ' || line.at(colon - 1) == '\t')
            return Verdict::BadRequest; // RFC 9112 §5.1: no whitespace before the colon
        headers.append({line.left(colon), line.sliced(colon + 1).trimmed()});
    }

    if (isWebSocketUpgrade(headers)) {
        // From here on the bytes are WebSocket frames, which QtWebSockets limits itself.
        m_phase = Phase::Upgraded;
        return Verdict::Continue;
    }

    const QList<QByteArray> lengths = headerValues(headers, "content-length");
    if (!headerValues(headers, "transfer-encoding").isEmpty())
        return lengths.isEmpty() ? Verdict::LengthRequired : Verdict::BadRequest;

    qint64 length = 0;
    bool seen = false;
    for (const QByteArray &value : lengths) {
        for (const QByteArray &part : value.split(',')) {
            const QByteArray digits = part.trimmed();
            if (digits.isEmpty() || digits.size() > 18 ||
                !std::all_of(digits.begin(), digits.end(),
                             [](char c) { return c >= '0' && c <= '9'; }))
                return Verdict::BadRequest;
            const qint64 parsed = digits.toLongLong();
            if (seen && parsed != length)
                return Verdict::BadRequest;
            length = parsed;
            seen = true;
        }
    }
    if (length > m_limits.maxBodyBytes)
        return Verdict::PayloadTooLarge;
    m_bodyRemaining = length;
    m_phase = length > 0 ? Phase::Body : Phase::BetweenRequests;
    return Verdict::Continue;
}

} // namespace upcoach::api::detail
