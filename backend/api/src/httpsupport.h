// Pure HTTP helpers of the API server, separate from QtHttpServer so they are unit-tested
// directly: RFC 9457 problem documents, RFC 6750 bearer credentials, and the request-head
// scanner that enforces size limits before QtHttpServer buffers anything.
#pragma once

#include "upcoach/core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <optional>
#include <utility>
#include <vector>

namespace upcoach::api::detail {

// ---- RFC 9457 problem details -------------------------------------------------------------

struct Problem
{
    int status = 500;
    QString slug;   // the type URI is https://upcoach.dev/problems/<slug>
    QString title;  // short, the same for every occurrence of the type
    QString detail; // this occurrence; never a secret or an echo of raw input
    QJsonObject extensions;
};

QByteArray problemJson(const Problem &problem);
// A complete HTTP/1.1 response (for rejections written before QtHttpServer sees the request),
// with an X-Request-Id header when `requestId` is set.
QByteArray rawProblemResponse(const Problem &problem, const QByteArray &requestId = {});
// The same refusal as a SCIM error (RFC 7644 §3.12, application/scim+json), for requests to
// /scim/ refused before routing: SCIM clients read only that format.
QByteArray rawScimErrorResponse(const Problem &problem, const QByteArray &requestId = {});
// The body of such an error.
QByteArray scimErrorJson(const Problem &problem);
QByteArray reasonPhrase(int status);

Problem notFound();
Problem methodNotAllowed();
Problem unauthorized();
Problem authUnavailable();
Problem shuttingDown();
Problem payloadTooLarge(qint64 limit);
Problem uriTooLong(qsizetype limit);
Problem headersTooLarge(qsizetype limit);
Problem lengthRequired();
Problem badRequest(const QString &detail);
Problem requestTimeout();
Problem upgradeRequired();
Problem forbidden(const QString &detail);
Problem unsupportedMediaType();
Problem internalError();
// A domain error as a problem, by its code: 400 invalid-input, 401 unauthorized (with
// WWW-Authenticate), 403 forbidden, 404 not-found, 409 conflict, 503 unavailable/misconfigured,
// 500 otherwise. The detail is the domain's message, bounded.
Problem domainProblem(const Error &error);
// The audit log or store is missing or did not answer: 503 (Retry-After) with this detail.
Problem auditUnavailable(const QString &detail);

// ---- RFC 6750 bearer credentials ----------------------------------------------------------

inline constexpr qsizetype kMaxBearerTokenBytes = 4096; // API tokens are ~50; session JWTs ~700

enum class CredentialState
{
    Absent,
    Malformed,
    Present
};

struct Credential
{
    CredentialState state = CredentialState::Absent;
    QByteArray token; // set when Present; never logged
};

// b64token syntax (RFC 6750 §2.1), 1..kMaxBearerTokenBytes long.
bool isWellFormedToken(QByteArrayView token);
// Parses one Authorization header value: `Bearer <b64token>` (scheme case-insensitive).
Credential bearerFromAuthorization(QByteArrayView value);
// From a request's header list: exactly one Authorization header. Several → Malformed.
Credential bearerFromHeaders(const QList<QPair<QByteArray, QByteArray>> &headers);

// Headers by case-insensitive name.
QList<QByteArray> headerValues(const QList<QPair<QByteArray, QByteArray>> &headers,
                               QByteArrayView name);
// Whether a comma-separated header value list contains `token` (case-insensitive).
bool headerHasToken(const QList<QByteArray> &values, QByteArrayView token);

// A WebSocket opening handshake as QtHttpServer 6.4 recognises one.
bool isWebSocketUpgrade(const QList<QPair<QByteArray, QByteArray>> &headers);

// ---- request-head scanner ----------------------------------------------------------------

struct ScanLimits
{
    qsizetype maxUrlBytes = 8 * 1024;
    qsizetype maxHeaderBytes = 64 * 1024;
    qint64 maxBodyBytes = 1 << 20;
};

// Follows the byte stream of one HTTP/1.1 connection, request by request (pipelining
// included), and reports the first limit a request breaks — as soon as it can tell, so an
// oversized body is refused after its head, not after it has been buffered.
class RequestScanner
{
public:
    enum class Verdict
    {
        Continue,
        UriTooLong,
        HeadersTooLarge,
        PayloadTooLarge,
        LengthRequired,
        BadRequest
    };
    enum class Phase
    {
        BetweenRequests,
        Head,
        Body,
        Upgraded
    };

    explicit RequestScanner(ScanLimits limits = {})
        : m_limits(limits)
    {}

    Verdict feed(QByteArrayView bytes);
    Phase phase() const { return m_phase; }
    bool midRequest() const { return m_phase == Phase::Head || m_phase == Phase::Body; }
    // Stream offsets (bytes since the connection opened) where the requests scanned since the
    // last call end; a WebSocket upgrade request ends with its head.
    std::vector<qint64> takeRequestEnds() { return std::exchange(m_requestEnds, {}); }
    qint64 offset() const { return m_offset; }
    // The request-target of the request being read (or last read); empty before its head.
    const QByteArray &target() const { return m_target; }

private:
    Verdict checkRequestLine() const;
    Verdict finishHead();

    ScanLimits m_limits;
    Phase m_phase = Phase::BetweenRequests;
    QByteArray m_head;
    QByteArray m_target;
    qint64 m_bodyRemaining = 0;
    qint64 m_offset = 0;
    std::vector<qint64> m_requestEnds;
};

} // namespace upcoach::api::detail
