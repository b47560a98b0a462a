#include "upcoach/routing/healthcheck.h"

#include <QFile>
#include <QHostAddress>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>
#include <memory>
#include <optional>
#include <set>

namespace {
Q_LOGGING_CATEGORY(lcChecks, "upcoach.routing.checks", QtInfoMsg)
} // namespace

namespace upcoach::routing {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds kMinInterval{50};
constexpr milliseconds kMaxInterval{std::chrono::hours(1)};
constexpr milliseconds kMinTimeout{20};
constexpr milliseconds kMaxTimeout{std::chrono::minutes(1)};
constexpr int kMaxThreshold = 100;

bool isPlainName(const QString &value)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"));
    return pattern.match(value).hasMatch();
}

bool isHostName(const QString &value)
{
    static const QRegularExpression pattern(
        QStringLiteral("^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})"
                       "(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\\.?$"));
    return pattern.match(value).hasMatch();
}

bool isHost(const QString &value)
{
    return isHostName(value) || !QHostAddress(value).isNull();
}

// A Host header value: a name or address with an optional port; nothing that could end the
// header line.
bool isHostHeader(const QString &value)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9._:\\[\\]-]{1,255}$"));
    return pattern.match(value).hasMatch();
}

bool isRequestTarget(const QString &value)
{
    if (!value.startsWith(QLatin1Char('/')) || value.size() > 2048)
        return false;
    for (const QChar c : value) {
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7f || c == QLatin1Char('#'))
            return false;
    }
    return true;
}

QString msText(milliseconds value)
{
    return QString::number(value.count()) + QStringLiteral(" ms");
}

// The URL as it may appear in a status or log line: without the query, which may carry a token.
QString redactedUrl(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo).toString();
}

QString redactUrlIn(QString text, const QUrl &url)
{
    const QString safe = redactedUrl(url);
    for (const QString &form :
         {url.toString(), url.toDisplayString(), QString::fromUtf8(url.toEncoded())})
        if (!form.isEmpty())
            text.replace(form, safe);
    return text;
}

// QNetworkReply reports 4xx/5xx statuses as errors too; those are judged by the status range.
bool isHttpStatusError(QNetworkReply::NetworkError error)
{
    const int code = int(error);
    return (code >= 201 && code <= 299) || (code >= 401 && code <= 499);
}

} // namespace

QString checkKindName(CheckKind kind)
{
    switch (kind) {
    case CheckKind::Http:
        return QStringLiteral("http");
    case CheckKind::Https:
        return QStringLiteral("https");
    case CheckKind::Tcp:
        return QStringLiteral("tcp");
    }
    return QStringLiteral("unknown");
}

QString checkStateName(CheckStatus::State state)
{
    switch (state) {
    case CheckStatus::Healthy:
        return QStringLiteral("healthy");
    case CheckStatus::Unhealthy:
        return QStringLiteral("unhealthy");
    case CheckStatus::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

Result<void> validate(const HealthCheckSpec &spec)
{
    const QString who = spec.name.isEmpty() ? QStringLiteral("health check (unnamed)")
                                            : QStringLiteral("health check ") + spec.name;
    auto invalid = [&who](const QString &message) {
        return makeError(ErrorCode::Config, who + QStringLiteral(": ") + message);
    };
    const bool http = spec.kind == CheckKind::Http || spec.kind == CheckKind::Https;

    if (!isPlainName(spec.name))
        return invalid(QStringLiteral("name must be 1..128 characters of letters, digits, '.', "
                                      "'_' or '-', starting with a letter or digit"));
    if (!isPlainName(spec.regionId))
        return invalid(QStringLiteral("regionId must be set (a region id such as eu-west-1)"));
    if (!isHost(spec.host))
        return invalid(QStringLiteral("host must be a host name or an IP address"));
    if (spec.kind == CheckKind::Tcp && spec.port == 0)
        return invalid(QStringLiteral("port must be 1..65535 for a TCP check"));
    if (spec.interval < kMinInterval || spec.interval > kMaxInterval)
        return invalid(QStringLiteral("interval must be 50ms..1h"));
    if (spec.timeout < kMinTimeout || spec.timeout > kMaxTimeout)
        return invalid(QStringLiteral("timeout must be 20ms..60s"));
    if (spec.healthyThreshold < 1 || spec.healthyThreshold > kMaxThreshold)
        return invalid(QStringLiteral("healthyThreshold must be 1..100"));
    if (spec.unhealthyThreshold < 1 || spec.unhealthyThreshold > kMaxThreshold)
        return invalid(QStringLiteral("unhealthyThreshold must be 1..100"));

    if (http) {
        if (!isRequestTarget(spec.path))
            return invalid(QStringLiteral("path must start with '/' and hold only printable "
                                          "ASCII without spaces or '#' (at most 2048)"));
        if (!spec.hostHeader.isEmpty() && !isHostHeader(spec.hostHeader))
            return invalid(QStringLiteral("hostHeader must be a host name with an optional port"));
        if (spec.expectedStatusMin < 100 || spec.expectedStatusMin > 599)
            return invalid(QStringLiteral("expectedStatusMin must be 100..599"));
        if (spec.expectedStatusMax < spec.expectedStatusMin || spec.expectedStatusMax > 599)
            return invalid(QStringLiteral("expectedStatusMax must be expectedStatusMin..599"));
        if (spec.bodyContains.size() > kHealthCheckBodyCap)
            return invalid(QStringLiteral("bodyContains must be at most 64 KiB"));
    } else {
        if (!spec.hostHeader.isEmpty())
            return invalid(QStringLiteral("hostHeader is only used by HTTP and HTTPS checks"));
        if (!spec.bodyContains.isEmpty())
            return invalid(QStringLiteral("bodyContains is only used by HTTP and HTTPS checks"));
    }

    if (spec.kind != CheckKind::Https) {
        if (!spec.caFile.isEmpty() || !spec.serverName.isEmpty() || !spec.verifyCertificate)
            return invalid(QStringLiteral(
                "caFile, serverName and verifyCertificate are only used by HTTPS checks"));
    } else {
        if (!spec.serverName.isEmpty() && !isHostName(spec.serverName))
            return invalid(QStringLiteral("serverName must be a host name"));
        if (!spec.caFile.isEmpty()) {
            if (!QFile::exists(spec.caFile))
                return invalid(QStringLiteral("caFile %1 does not exist").arg(spec.caFile));
            if (QSslCertificate::fromPath(spec.caFile, QSsl::Pem).isEmpty())
                return invalid(
                    QStringLiteral("caFile %1 holds no readable PEM certificate").arg(spec.caFile));
        }
    }
    return {};
}

Result<void> validate(const std::vector<HealthCheckSpec> &specs)
{
    std::set<QString> names;
    for (const HealthCheckSpec &spec : specs) {
        if (auto valid = validate(spec); !valid)
            return valid;
        if (!names.insert(spec.name).second)
            return makeError(ErrorCode::Config,
                             QStringLiteral("health check %1: name is used twice").arg(spec.name));
    }
    return {};
}

namespace detail {

// Lives on the checker's thread: the timers, the network access managers and the probes in
// flight. Created when the thread starts and deleted with it.
class HealthCheckWorker final : public QObject
{
public:
    explicit HealthCheckWorker(HealthChecker &checker)
        : m_checker(checker)
    {}
    ~HealthCheckWorker() override
    {
        // Probes in flight go first, while the network access managers they use still exist.
        for (Slot &slot : m_slots)
            delete slot.inFlight.data();
    }

    void begin();

private:
    // One probe of one check; deleted when concluded, which aborts its transfer.
    struct Attempt final : public QObject
    {
        using QObject::QObject;
        std::chrono::steady_clock::time_point started;
        QByteArray body;
        bool concluded = false;
    };

    struct Slot
    {
        QTimer *timer = nullptr;
        QPointer<Attempt> inFlight;
        QNetworkAccessManager *network = nullptr; // HTTP(S)
        QSslConfiguration tls;                    // HTTPS
        QString setupError;                       // the check cannot run (e.g. CA unreadable)
    };

    const HealthCheckSpec &spec(std::size_t index) const { return m_checker.m_specs[index]; }
    void probe(std::size_t index);
    void probeHttp(std::size_t index, Attempt *attempt);
    void probeTcp(std::size_t index, Attempt *attempt);
    void judgeHttp(std::size_t index, Attempt *attempt, QNetworkReply *reply, const QUrl &url,
                   bool complete);
    void conclude(std::size_t index, Attempt *attempt, bool success, const QString &error);

    HealthChecker &m_checker;
    std::vector<Slot> m_slots;
};

void HealthCheckWorker::begin()
{
    m_slots.resize(m_checker.m_specs.size());
    QNetworkAccessManager *sharedHttp = nullptr;
    for (std::size_t i = 0; i < m_slots.size(); ++i) {
        if (!m_checker.m_probed[i])
            continue;
        Slot &slot = m_slots[i];
        const HealthCheckSpec &check = spec(i);
        if (check.kind == CheckKind::Http) {
            if (!sharedHttp) {
                sharedHttp = new QNetworkAccessManager(this);
                sharedHttp->setProxy(QNetworkProxy::NoProxy);
            }
            slot.network = sharedHttp;
        } else if (check.kind == CheckKind::Https) {
            // A manager of its own: QNetworkAccessManager keys its connection cache by scheme, host
            // and port, not by TLS settings, so checks with different ones must not share a
            // manager.
            slot.network = new QNetworkAccessManager(this);
            slot.network->setProxy(QNetworkProxy::NoProxy);
            slot.tls = QSslConfiguration::defaultConfiguration();
            if (!check.verifyCertificate)
                slot.tls.setPeerVerifyMode(QSslSocket::VerifyNone);
            if (!check.caFile.isEmpty()) {
                const QList<QSslCertificate> authorities =
                    QSslCertificate::fromPath(check.caFile, QSsl::Pem);
                if (authorities.isEmpty())
                    slot.setupError = QStringLiteral("caFile %1 holds no readable PEM certificate")
                                          .arg(check.caFile);
                slot.tls.addCaCertificates(authorities);
            }
        }
        slot.timer = new QTimer(this);
        slot.timer->setInterval(check.interval);
        slot.timer->setTimerType(check.interval < milliseconds(2000) ? Qt::PreciseTimer
                                                                     : Qt::CoarseTimer);
        connect(slot.timer, &QTimer::timeout, this, [this, i] { probe(i); });
    }
    for (std::size_t i = 0; i < m_slots.size(); ++i) {
        if (!m_slots[i].timer)
            continue;
        probe(i);
        m_slots[i].timer->start();
    }
}

void HealthCheckWorker::probe(std::size_t index)
{
    Slot &slot = m_slots[index];
    if (slot.inFlight) {
        // One probe in flight per check: a slow target is not hammered by piled-up probes.
        qCDebug(lcChecks).noquote()
            << "check" << spec(index).name << "is still probing; this tick is skipped";
        return;
    }
    auto *attempt = new Attempt(this);
    attempt->started = m_checker.m_clock.steadyNow();
    slot.inFlight = attempt;

    if (!slot.setupError.isEmpty()) {
        conclude(index, attempt, false, slot.setupError);
        return;
    }
    const milliseconds timeout = spec(index).timeout;
    QTimer::singleShot(timeout, Qt::PreciseTimer, attempt, [this, index, attempt, timeout] {
        conclude(index, attempt, false, QStringLiteral("timed out after ") + msText(timeout));
    });
    if (spec(index).kind == CheckKind::Tcp)
        probeTcp(index, attempt);
    else
        probeHttp(index, attempt);
}

void HealthCheckWorker::probeHttp(std::size_t index, Attempt *attempt)
{
    const HealthCheckSpec &check = spec(index);
    const bool https = check.kind == CheckKind::Https;
    QUrl url;
    url.setScheme(https ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(check.host);
    if (check.port != 0)
        url.setPort(check.port);
    const qsizetype queryAt = check.path.indexOf(QLatin1Char('?'));
    url.setPath(check.path.left(queryAt), QUrl::TolerantMode);
    if (queryAt >= 0)
        url.setQuery(check.path.mid(queryAt + 1), QUrl::TolerantMode);

    QNetworkRequest request(url);
    // Redirects are not followed: a health endpoint that redirects is judged by that status,
    // and a redirect must not send the probe (and its Host header) somewhere else.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    // A fresh HTTP/1.1 connection per probe: a reused connection would hide a listener that
    // has gone away.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setRawHeader(QByteArrayLiteral("Connection"), QByteArrayLiteral("close"));
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QByteArrayLiteral("upcoach-ops-healthcheck/1"));
    if (!check.hostHeader.isEmpty())
        request.setRawHeader(QByteArrayLiteral("Host"), check.hostHeader.toUtf8());
    // A backstop only: the probe's own precise timer concludes at the timeout. Qt's transfer
    // timer is coarse (it may fire up to 5 % early), so it gets a margin.
    request.setTransferTimeout(int(check.timeout.count() + check.timeout.count() / 10 + 10));
    if (https) {
        request.setSslConfiguration(m_slots[index].tls);
        if (!check.serverName.isEmpty())
            request.setPeerVerifyName(check.serverName);
    }

    QNetworkReply *reply = m_slots[index].network->get(request);
    reply->setParent(attempt);
    if (https && !check.verifyCertificate)
        reply->ignoreSslErrors();

    const qsizetype needle = check.bodyContains.size();
    connect(reply, &QNetworkReply::readyRead, attempt, [this, index, attempt, reply, url, needle] {
        if (attempt->concluded)
            return;
        const QByteArray chunk = reply->readAll();
        if (attempt->body.size() < kHealthCheckBodyCap)
            attempt->body += chunk.left(kHealthCheckBodyCap - attempt->body.size());
        // Enough is read to judge: do not wait for the rest of a large body.
        if (attempt->body.size() >= kHealthCheckBodyCap ||
            (needle > 0 && attempt->body.contains(spec(index).bodyContains)))
            judgeHttp(index, attempt, reply, url, false);
    });
    connect(reply, &QNetworkReply::finished, attempt, [this, index, attempt, reply, url] {
        if (attempt->concluded)
            return;
        if (reply->isOpen() && attempt->body.size() < kHealthCheckBodyCap)
            attempt->body += reply->readAll().left(kHealthCheckBodyCap - attempt->body.size());
        judgeHttp(index, attempt, reply, url, true);
    });
}

void HealthCheckWorker::judgeHttp(std::size_t index, Attempt *attempt, QNetworkReply *reply,
                                  const QUrl &url, bool complete)
{
    const HealthCheckSpec &check = spec(index);
    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!statusAttribute.isValid()) {
        // Only the transfer timeout cancels a reply we have not concluded ourselves.
        const bool timedOut = reply->error() == QNetworkReply::TimeoutError ||
                              reply->error() == QNetworkReply::OperationCanceledError;
        const QString why = timedOut ? QStringLiteral("timed out after ") + msText(check.timeout)
                                     : redactUrlIn(reply->errorString(), url);
        conclude(index, attempt, false, why);
        return;
    }
    const int status = statusAttribute.toInt();
    if (status < check.expectedStatusMin || status > check.expectedStatusMax) {
        conclude(index, attempt, false,
                 QStringLiteral("HTTP status %1, expected %2..%3")
                     .arg(status)
                     .arg(check.expectedStatusMin)
                     .arg(check.expectedStatusMax));
        return;
    }
    if (complete && reply->error() != QNetworkReply::NoError &&
        !isHttpStatusError(reply->error())) {
        conclude(index, attempt, false,
                 QStringLiteral("response incomplete: ") + redactUrlIn(reply->errorString(), url));
        return;
    }
    if (!check.bodyContains.isEmpty() && !attempt->body.contains(check.bodyContains)) {
        // The expected text is not quoted: it is configuration, and may be meant to stay private.
        conclude(index, attempt, false,
                 QStringLiteral("response body (first %1 bytes read) lacks the expected text")
                     .arg(attempt->body.size()));
        return;
    }
    conclude(index, attempt, true, QString());
}

void HealthCheckWorker::probeTcp(std::size_t index, Attempt *attempt)
{
    auto *socket = new QTcpSocket(attempt);
    socket->setProxy(QNetworkProxy::NoProxy);
    connect(socket, &QTcpSocket::connected, attempt,
            [this, index, attempt] { conclude(index, attempt, true, QString()); });
    connect(socket, &QTcpSocket::errorOccurred, attempt, [this, index, attempt, socket] {
        conclude(index, attempt, false, socket->errorString());
    });
    socket->connectToHost(spec(index).host, spec(index).port);
}

void HealthCheckWorker::conclude(std::size_t index, Attempt *attempt, bool success,
                                 const QString &error)
{
    if (attempt->concluded)
        return;
    attempt->concluded = true;
    const double latencyMs =
        std::chrono::duration<double, std::milli>(m_checker.m_clock.steadyNow() - attempt->started)
            .count();
    m_slots[index].inFlight = nullptr;
    // Aborting may emit the transfer's own signals; `concluded` makes them no-ops.
    for (QNetworkReply *reply : attempt->findChildren<QNetworkReply *>())
        reply->abort();
    for (QTcpSocket *socket : attempt->findChildren<QTcpSocket *>())
        socket->abort();
    attempt->deleteLater();
    m_checker.record(index, success, success ? latencyMs : -1.0, error);
}

} // namespace detail

HealthChecker::HealthChecker(std::vector<HealthCheckSpec> specs, const Clock &clock,
                             QObject *parent)
    : QObject(parent)
    , m_specs(std::move(specs))
    , m_clock(clock)
{
    qRegisterMetaType<HealthTransition>();
    m_thread.setObjectName(QStringLiteral("health-checker"));
    m_probed.assign(m_specs.size(), true);
    m_statuses.resize(m_specs.size());
    std::set<QString> names;
    for (std::size_t i = 0; i < m_specs.size(); ++i) {
        CheckStatus &status = m_statuses[i];
        status.spec = m_specs[i];
        auto valid = validate(m_specs[i]);
        if (valid && !names.insert(m_specs[i].name).second)
            valid = makeError(ErrorCode::Config, QStringLiteral("health check %1: name is used "
                                                                "twice")
                                                     .arg(m_specs[i].name));
        if (!valid) {
            m_probed[i] = false;
            status.lastError = valid.error().message;
            qCWarning(lcChecks).noquote() << valid.error().message << "(not probed)";
        }
    }
}

HealthChecker::~HealthChecker()
{
    stop();
}

void HealthChecker::start()
{
    if (m_thread.isRunning())
        return;
    m_worker = new detail::HealthCheckWorker(*this);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    detail::HealthCheckWorker *worker = m_worker;
    connect(&m_thread, &QThread::started, worker, [worker] { worker->begin(); });
    m_thread.start();
}

void HealthChecker::stop()
{
    if (!m_thread.isRunning())
        return;
    m_thread.quit();
    m_thread.wait();
    m_worker = nullptr;
}

bool HealthChecker::isRunning() const
{
    return m_thread.isRunning();
}

std::vector<CheckStatus> HealthChecker::statuses() const
{
    std::lock_guard lock(m_mutex);
    return m_statuses;
}

void HealthChecker::setTransitionHandler(std::function<void(const HealthTransition &)> handler)
{
    m_handler = std::move(handler);
}

CheckStatus::State HealthChecker::regionState(const QString &regionId) const
{
    std::lock_guard lock(m_mutex);
    bool any = false;
    bool allHealthy = true;
    for (std::size_t i = 0; i < m_statuses.size(); ++i) {
        if (!m_probed[i] || m_statuses[i].spec.regionId != regionId)
            continue;
        any = true;
        if (m_statuses[i].state == CheckStatus::Unhealthy)
            return CheckStatus::Unhealthy;
        allHealthy = allHealthy && m_statuses[i].state == CheckStatus::Healthy;
    }
    return any && allHealthy ? CheckStatus::Healthy : CheckStatus::Unknown;
}

void HealthChecker::record(std::size_t index, bool success, double latencyMs, const QString &error)
{
    const HealthCheckSpec &spec = m_specs[index];
    const QDateTime now = m_clock.now();
    std::optional<HealthTransition> transition;
    {
        std::lock_guard lock(m_mutex);
        CheckStatus &status = m_statuses[index];
        ++status.checks;
        status.lastCheckedAt = now;
        status.lastLatencyMs = latencyMs;
        status.lastError = error;
        if (success) {
            ++status.consecutiveSuccesses;
            status.consecutiveFailures = 0;
        } else {
            ++status.failures;
            ++status.consecutiveFailures;
            status.consecutiveSuccesses = 0;
        }
        // Hysteresis: the state flips only after a full run of opposite results.
        CheckStatus::State next = status.state;
        QString reason;
        if (success && status.state != CheckStatus::Healthy &&
            status.consecutiveSuccesses >= spec.healthyThreshold) {
            next = CheckStatus::Healthy;
            reason = QStringLiteral("%1 consecutive successes").arg(status.consecutiveSuccesses);
        } else if (!success && status.state != CheckStatus::Unhealthy &&
                   status.consecutiveFailures >= spec.unhealthyThreshold) {
            next = CheckStatus::Unhealthy;
            reason = QStringLiteral("%1 consecutive failures; last: %2")
                         .arg(status.consecutiveFailures)
                         .arg(error);
        }
        if (next != status.state) {
            status.state = next;
            status.stateSince = now;
            transition = HealthTransition{spec.name, spec.regionId, next == CheckStatus::Healthy,
                                          reason, now};
        }
    }
    if (!success)
        qCDebug(lcChecks).noquote() << "check" << spec.name << "failed:" << error;
    if (!transition)
        return;
    qCInfo(lcChecks).noquote() << "check" << spec.name << "of region" << spec.regionId << "is now"
                               << (transition->healthy ? "healthy" : "unhealthy")
                               << QStringLiteral("(") + transition->reason + QLatin1Char(')');
    if (m_handler)
        m_handler(*transition);
    Q_EMIT transitioned(*transition);
}

} // namespace upcoach::routing
