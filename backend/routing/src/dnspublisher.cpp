#include "upcoach/routing/dnspublisher.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QLoggingCategory>
#include <QNetworkProxy>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QtEndian>
#include <algorithm>
#include <cstdlib>
#include <ldns/ldns.h>
#include <memory>
#include <openssl/crypto.h>
#include <set>
#include <string>
#include <utility>

namespace {
Q_LOGGING_CATEGORY(lcDns, "upcoach.routing.dns", QtInfoMsg)
} // namespace

namespace upcoach::routing {

namespace {

constexpr quint16 kFudgeSeconds = 300; // RFC 8945's recommended clock skew allowance
constexpr int kMaxTtl = 86400;
constexpr std::size_t kMaxNamesPerUpdate = 1024;
constexpr qsizetype kMaxMessageBytes = 65535; // a DNS message over TCP
// Room left for the TSIG record: ldns signs in a fixed 64 KiB buffer and aborts the process
// (an assert) when the message and the TSIG variables do not fit, so the size is checked first.
constexpr qsizetype kTsigReserveBytes = 1024;
// An UPDATE answer is the header, the zone section and a TSIG: small. Larger answers are
// refused unread, for the same ldns buffer reason.
constexpr qsizetype kMaxAnswerBytes = 16384;
constexpr qsizetype kMinSecretBytes = 16;
constexpr qsizetype kMaxSecretBytes = 512;

// RFC 1035 and RFC 8945 (TSIG errors share the RCODE space).
enum Rcode : int
{
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NxDomain = 3,
    NotImp = 4,
    Refused = 5,
    YxDomain = 6,
    YxRrSet = 7,
    NxRrSet = 8,
    NotAuth = 9,
    NotZone = 10,
    BadSig = 16,
    BadKey = 17,
    BadTime = 18,
    BadMode = 19,
    BadName = 20,
    BadAlg = 21,
    BadTrunc = 22,
};

struct PacketDeleter
{
    void operator()(ldns_pkt *packet) const { ldns_pkt_free(packet); }
};
using PacketPtr = std::unique_ptr<ldns_pkt, PacketDeleter>;

struct RrListDeleter
{
    void operator()(ldns_rr_list *list) const { ldns_rr_list_deep_free(list); }
};
using RrListPtr = std::unique_ptr<ldns_rr_list, RrListDeleter>;

struct RdfDeleter
{
    void operator()(ldns_rdf *rdf) const { ldns_rdf_deep_free(rdf); }
};
using RdfPtr = std::unique_ptr<ldns_rdf, RdfDeleter>;

struct MallocDeleter
{
    void operator()(uint8_t *bytes) const { std::free(bytes); }
};

// The base64 form of the secret ldns signs with; wiped when it goes out of scope.
class SecretText
{
public:
    explicit SecretText(const QByteArray &secret)
        : m_text(secret.toBase64().toStdString())
    {}
    ~SecretText() { OPENSSL_cleanse(m_text.data(), m_text.size()); }
    SecretText(const SecretText &) = delete;
    SecretText &operator=(const SecretText &) = delete;
    const char *c_str() const { return m_text.c_str(); }

private:
    std::string m_text;
};

bool isDnsName(const QString &value)
{
    static const QRegularExpression pattern(
        QStringLiteral("^(?=.{1,254}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})"
                       "(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\\.?$"));
    return pattern.match(value).hasMatch();
}

// Lower case with the trailing dot: the form names are compared and sent in.
QString absoluteName(const QString &name)
{
    QString result = name.toLower();
    if (!result.endsWith(QLatin1Char('.')))
        result += QLatin1Char('.');
    return result;
}

QString normalizedAlgorithm(const QString &algorithm)
{
    QString result = algorithm.trimmed().toLower();
    if (result.endsWith(QLatin1Char('.')))
        result.chop(1);
    return result;
}

bool isSupportedAlgorithm(const QString &normalized)
{
    // What ldns 1.8 signs with; its hmac-sha384 is unusable (a typo in its algorithm table),
    // and hmac-md5 / hmac-sha1 are not offered for new keys.
    return normalized == QStringLiteral("hmac-sha256") ||
           normalized == QStringLiteral("hmac-sha512");
}

RdfPtr dnameRdf(const QString &name)
{
    return RdfPtr(ldns_dname_new_frm_str(name.toLatin1().constData()));
}

QString rdfDname(const ldns_rdf *rdf)
{
    char *text = ldns_rdf2str(rdf);
    if (!text)
        return {};
    QString result = QString::fromLatin1(text).toLower();
    std::free(text);
    return result;
}

// An RR without rdata: class ANY and TTL 0 make it "delete this RRset" (RFC 2136 2.5.2).
ldns_rr *deleteRrSet(const QString &owner, ldns_rr_type type)
{
    ldns_rr *rr = ldns_rr_new();
    if (!rr)
        return nullptr;
    ldns_rr_set_owner(rr, dnameRdf(owner).release());
    ldns_rr_set_type(rr, type);
    ldns_rr_set_class(rr, LDNS_RR_CLASS_ANY);
    ldns_rr_set_ttl(rr, 0);
    return rr;
}

ldns_rr *addAddress(const QString &owner, const QHostAddress &address, int ttl)
{
    ldns_rr *rr = ldns_rr_new();
    if (!rr)
        return nullptr;
    ldns_rr_set_owner(rr, dnameRdf(owner).release());
    ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
    ldns_rr_set_ttl(rr, uint32_t(ttl));
    ldns_rdf *data = nullptr;
    if (address.protocol() == QAbstractSocket::IPv4Protocol) {
        ldns_rr_set_type(rr, LDNS_RR_TYPE_A);
        uchar bytes[4];
        qToBigEndian(address.toIPv4Address(), bytes);
        data = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_A, sizeof bytes, bytes);
    } else {
        ldns_rr_set_type(rr, LDNS_RR_TYPE_AAAA);
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        data = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_AAAA, 16, bytes.c);
    }
    if (!data) {
        ldns_rr_free(rr);
        return nullptr;
    }
    ldns_rr_push_rdf(rr, data);
    return rr;
}

// IPv4-mapped IPv6 addresses are published as the IPv4 address they are; scope ids dropped.
QHostAddress canonicalAddress(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        return QHostAddress(v4);
    QHostAddress copy = address;
    copy.setScopeId(QString());
    return copy;
}

QString rcodeHint(int rcode)
{
    switch (rcode) {
    case BadSig:
        return QStringLiteral("the key's secret does not match the server's");
    case BadKey:
        return QStringLiteral("the server does not know this key name and algorithm");
    case BadTime:
        return QStringLiteral("this machine's clock and the server's differ by more than the "
                              "TSIG fudge; check NTP");
    case NotAuth:
        return QStringLiteral("the server is not authoritative (primary) for the zone, or "
                              "rejected the signature");
    case NotZone:
        return QStringLiteral("a name is outside the zone");
    case Refused:
        return QStringLiteral("the key is not allowed to update this zone; check allow-update "
                              "or update-policy");
    case ServFail:
        return QStringLiteral("the server failed to apply the update; see its log");
    case FormErr:
        return QStringLiteral("the server could not parse the update");
    case NotImp:
        return QStringLiteral("the server does not implement dynamic update");
    default:
        return {};
    }
}

ErrorCode rcodeErrorCode(int rcode)
{
    switch (rcode) {
    case BadSig:
    case BadKey:
    case BadTime:
    case BadAlg:
    case BadName:
    case BadMode:
    case BadTrunc:
        return ErrorCode::Unauthorized;
    case Refused:
        return ErrorCode::Forbidden;
    case NotAuth:
    case NotZone:
    case NotImp:
        return ErrorCode::Config;
    case ServFail:
        return ErrorCode::Unavailable;
    case YxDomain:
    case YxRrSet:
    case NxRrSet:
        return ErrorCode::Conflict;
    default:
        return ErrorCode::Internal;
    }
}

quint64 tsigTime(const ldns_rdf *rdf)
{
    if (!rdf || ldns_rdf_size(rdf) != 6)
        return 0;
    const uint8_t *bytes = ldns_rdf_data(rdf);
    quint64 value = 0;
    for (int i = 0; i < 6; ++i)
        value = (value << 8) | bytes[i];
    return value;
}

// One DNS message over TCP (RFC 1035 4.2.2 framing): connect, send, read the answer.
Result<QByteArray> exchange(const DnsTarget &target, const QByteArray &message,
                            const QString &where)
{
    const QDeadlineTimer deadline(target.timeout);
    auto unavailable = [&](const QString &what) {
        return makeError(ErrorCode::Unavailable, where + QStringLiteral(": ") + what);
    };
    QTcpSocket socket;
    socket.setProxy(QNetworkProxy::NoProxy);
    socket.connectToHost(target.server, target.port);
    if (!socket.waitForConnected(int(deadline.remainingTime())))
        return unavailable(QStringLiteral("cannot connect: ") + socket.errorString());

    QByteArray framed(2, '\0');
    qToBigEndian(quint16(message.size()), framed.data());
    framed += message;
    socket.write(framed);
    while (socket.bytesToWrite() > 0) {
        if (!socket.waitForBytesWritten(int(deadline.remainingTime())))
            return unavailable(QStringLiteral("sending failed: ") + socket.errorString());
    }
    auto readExactly = [&](qsizetype count) -> Result<QByteArray> {
        while (socket.bytesAvailable() < count) {
            if (deadline.hasExpired() || !socket.waitForReadyRead(int(deadline.remainingTime())))
                return unavailable(
                    socket.error() == QAbstractSocket::SocketTimeoutError || deadline.hasExpired()
                        ? QStringLiteral("no answer within %1 ms").arg(target.timeout.count())
                        : QStringLiteral("connection lost: ") + socket.errorString());
        }
        return socket.read(count);
    };
    auto lengthBytes = readExactly(2);
    if (!lengthBytes)
        return lengthBytes.error();
    const quint16 length = qFromBigEndian<quint16>(lengthBytes->constData());
    auto answer = readExactly(length);
    socket.abort();
    return answer;
}

} // namespace

QString dnsRcodeName(int rcode)
{
    switch (rcode) {
    case NoError:
        return QStringLiteral("NOERROR");
    case FormErr:
        return QStringLiteral("FORMERR");
    case ServFail:
        return QStringLiteral("SERVFAIL");
    case NxDomain:
        return QStringLiteral("NXDOMAIN");
    case NotImp:
        return QStringLiteral("NOTIMP");
    case Refused:
        return QStringLiteral("REFUSED");
    case YxDomain:
        return QStringLiteral("YXDOMAIN");
    case YxRrSet:
        return QStringLiteral("YXRRSET");
    case NxRrSet:
        return QStringLiteral("NXRRSET");
    case NotAuth:
        return QStringLiteral("NOTAUTH");
    case NotZone:
        return QStringLiteral("NOTZONE");
    case BadSig:
        return QStringLiteral("BADSIG");
    case BadKey:
        return QStringLiteral("BADKEY");
    case BadTime:
        return QStringLiteral("BADTIME");
    case BadMode:
        return QStringLiteral("BADMODE");
    case BadName:
        return QStringLiteral("BADNAME");
    case BadAlg:
        return QStringLiteral("BADALG");
    case BadTrunc:
        return QStringLiteral("BADTRUNC");
    default:
        return QStringLiteral("RCODE") + QString::number(rcode);
    }
}

Result<TsigKey> parseTsigKey(const QString &name, const QString &algorithm,
                             const QString &base64Secret)
{
    auto invalid = [](const QString &message) {
        return makeError(ErrorCode::Config, QStringLiteral("TSIG key: ") + message);
    };
    if (!isDnsName(name))
        return invalid(QStringLiteral("name must be a DNS name such as upcoach-publisher"));
    const QString normalized = normalizedAlgorithm(algorithm);
    if (!isSupportedAlgorithm(normalized))
        return invalid(QStringLiteral("algorithm must be hmac-sha256 or hmac-sha512"));
    const auto decoded = QByteArray::fromBase64Encoding(base64Secret.trimmed().toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || base64Secret.trimmed().isEmpty())
        return invalid(QStringLiteral("secret of key %1 is not valid base64").arg(name));
    if (decoded.decoded.size() < kMinSecretBytes || decoded.decoded.size() > kMaxSecretBytes)
        return invalid(
            QStringLiteral("secret of key %1 must be 16..512 bytes (tsig-keygen makes 32)")
                .arg(name));
    return TsigKey{name, normalized, decoded.decoded};
}

Result<void> validate(const DnsTarget &target)
{
    auto invalid = [](const QString &message) {
        return makeError(ErrorCode::Config, QStringLiteral("DNS target: ") + message);
    };
    if (target.server.trimmed().isEmpty() ||
        (QHostAddress(target.server).isNull() && !isDnsName(target.server)))
        return invalid(QStringLiteral("server must be an IP address or a host name"));
    if (target.port == 0)
        return invalid(QStringLiteral("port must be 1..65535"));
    if (!isDnsName(target.zone))
        return invalid(QStringLiteral("zone must be a DNS name such as ops.example.com."));
    if (target.timeout < std::chrono::milliseconds(100) ||
        target.timeout > std::chrono::milliseconds(60000))
        return invalid(QStringLiteral("timeout must be 100ms..60s"));
    if (!isDnsName(target.key.name))
        return invalid(QStringLiteral("key name must be a DNS name"));
    if (!isSupportedAlgorithm(normalizedAlgorithm(target.key.algorithm)))
        return invalid(QStringLiteral("key algorithm must be hmac-sha256 or hmac-sha512"));
    if (target.key.secret.size() < kMinSecretBytes || target.key.secret.size() > kMaxSecretBytes)
        return invalid(QStringLiteral("key secret must be 16..512 bytes"));
    return {};
}

DnsPublisher::DnsPublisher(DnsTarget target)
    : m_target(std::move(target))
{}

Result<void> DnsPublisher::publish(const std::vector<DnsRecordSet> &sets)
{
    const QString zone = absoluteName(m_target.zone);
    const QString where = QStringLiteral("DNS update of zone %1 at %2 port %3")
                              .arg(zone, m_target.server)
                              .arg(m_target.port);
    auto refuse = [&where](ErrorCode code, const QString &message) {
        return makeError(code, where + QStringLiteral(": ") + message);
    };
    if (auto valid = validate(m_target); !valid)
        return valid.error().context(where);
    if (sets.empty())
        return {};
    if (sets.size() > kMaxNamesPerUpdate)
        return refuse(ErrorCode::InvalidInput,
                      QStringLiteral("at most %1 names per update").arg(kMaxNamesPerUpdate));

    // Everything is checked before anything is built or sent: bad input changes nothing.
    std::set<QString> seen;
    RrListPtr updates(ldns_rr_list_new());
    if (!updates)
        return refuse(ErrorCode::Internal, QStringLiteral("out of memory"));
    auto push = [&updates](ldns_rr *rr) {
        if (!rr || !ldns_rr_list_push_rr(updates.get(), rr)) {
            if (rr)
                ldns_rr_free(rr);
            return false;
        }
        return true;
    };
    qsizetype addressCount = 0;
    for (const DnsRecordSet &set : sets) {
        if (!isDnsName(set.name))
            return refuse(ErrorCode::InvalidInput,
                          QStringLiteral("'%1' is not a DNS name").arg(set.name));
        const QString owner = absoluteName(set.name);
        if (owner != zone && !owner.endsWith(QLatin1Char('.') + zone))
            return refuse(ErrorCode::InvalidInput,
                          QStringLiteral("%1 is outside the zone; nothing was sent").arg(owner));
        if (!seen.insert(owner).second)
            return refuse(ErrorCode::InvalidInput,
                          QStringLiteral("%1 is listed twice in one update").arg(owner));
        if (set.ttl < 0 || set.ttl > kMaxTtl)
            return refuse(ErrorCode::InvalidInput,
                          QStringLiteral("ttl of %1 must be 0..86400 seconds").arg(owner));
        if (set.addresses.size() > std::size_t(kMaxAddressesPerName))
            return refuse(ErrorCode::InvalidInput,
                          QStringLiteral("%1 has %2 addresses; at most %3 per name")
                              .arg(owner)
                              .arg(set.addresses.size())
                              .arg(kMaxAddressesPerName));
        if (!push(deleteRrSet(owner, LDNS_RR_TYPE_A)) ||
            !push(deleteRrSet(owner, LDNS_RR_TYPE_AAAA)))
            return refuse(ErrorCode::Internal, QStringLiteral("out of memory"));
        std::vector<QHostAddress> unique;
        for (const QHostAddress &given : set.addresses) {
            const QHostAddress address = canonicalAddress(given);
            if (address.isNull() ||
                address.protocol() == QAbstractSocket::UnknownNetworkLayerProtocol)
                return refuse(ErrorCode::InvalidInput,
                              QStringLiteral("%1 has an empty or invalid address").arg(owner));
            if (address == QHostAddress::AnyIPv4 || address == QHostAddress::AnyIPv6)
                return refuse(ErrorCode::InvalidInput,
                              QStringLiteral("%1: %2 is not an address clients can reach")
                                  .arg(owner, address.toString()));
            if (std::find(unique.begin(), unique.end(), address) != unique.end())
                continue;
            unique.push_back(address);
            if (!push(addAddress(owner, address, set.ttl)))
                return refuse(ErrorCode::Internal, QStringLiteral("out of memory"));
            ++addressCount;
        }
    }

    RdfPtr zoneRdf = dnameRdf(zone);
    if (!zoneRdf)
        return refuse(ErrorCode::InvalidInput, QStringLiteral("zone is not a DNS name"));
    // ldns_update_pkt_new takes the zone name and copies the update list.
    PacketPtr request(
        ldns_update_pkt_new(zoneRdf.release(), LDNS_RR_CLASS_IN, nullptr, updates.get(), nullptr));
    if (!request)
        return refuse(ErrorCode::Internal, QStringLiteral("could not build the UPDATE message"));
    ldns_pkt_set_rd(request.get(), false);
    const auto id = quint16(QRandomGenerator::system()->bounded(65536));
    ldns_pkt_set_id(request.get(), id);

    auto encode = [&request]() -> std::pair<std::unique_ptr<uint8_t, MallocDeleter>, size_t> {
        uint8_t *bytes = nullptr;
        size_t size = 0;
        if (ldns_pkt2wire(&bytes, request.get(), &size) != LDNS_STATUS_OK) {
            std::free(bytes);
            return {nullptr, 0};
        }
        return {std::unique_ptr<uint8_t, MallocDeleter>(bytes), size};
    };
    if (const auto unsignedWire = encode(); !unsignedWire.first)
        return refuse(ErrorCode::Internal, QStringLiteral("could not encode the UPDATE message"));
    else if (qsizetype(unsignedWire.second) > kMaxMessageBytes - kTsigReserveBytes)
        return refuse(ErrorCode::InvalidInput,
                      QStringLiteral("the update is %1 bytes, over the 65535 a DNS message can "
                                     "hold with its signature; publish fewer names per call")
                          .arg(unsignedWire.second));

    const QString keyName = absoluteName(m_target.key.name);
    const QString algorithm = normalizedAlgorithm(m_target.key.algorithm) + QLatin1Char('.');
    const QByteArray keyNameText = keyName.toLatin1();
    const QByteArray algorithmText = algorithm.toLatin1();
    const SecretText secret(m_target.key.secret);
    ldns_status status = ldns_pkt_tsig_sign(request.get(), keyNameText.constData(), secret.c_str(),
                                            kFudgeSeconds, algorithmText.constData(), nullptr);
    if (status != LDNS_STATUS_OK || !ldns_pkt_tsig(request.get()))
        return refuse(ErrorCode::Internal,
                      QStringLiteral("signing failed: ") +
                          QString::fromLatin1(ldns_get_errorstr_by_id(status)));
    // The request's MAC is part of what the response's MAC covers (RFC 8945 4.3).
    RdfPtr requestMac(ldns_rdf_clone(ldns_rr_rdf(ldns_pkt_tsig(request.get()), 3)));

    const auto [wire, wireSize] = encode();
    if (!wire || qsizetype(wireSize) > kMaxMessageBytes)
        return refuse(ErrorCode::Internal, QStringLiteral("could not encode the UPDATE message"));

    auto answer = exchange(
        m_target, QByteArray(reinterpret_cast<const char *>(wire.get()), qsizetype(wireSize)),
        where);
    if (!answer)
        return answer.error();
    if (answer->size() > kMaxAnswerBytes)
        return refuse(ErrorCode::Unavailable,
                      QStringLiteral("the answer is %1 bytes, far more than an UPDATE answer; "
                                     "refused unread")
                          .arg(answer->size()));

    ldns_pkt *parsed = nullptr;
    status = ldns_wire2pkt(&parsed, reinterpret_cast<const uint8_t *>(answer->constData()),
                           size_t(answer->size()));
    PacketPtr response(parsed);
    if (status != LDNS_STATUS_OK || !response)
        return refuse(ErrorCode::Unavailable, QStringLiteral("the answer is not a DNS message"));
    if (ldns_pkt_id(response.get()) != id || !ldns_pkt_qr(response.get()) ||
        ldns_pkt_get_opcode(response.get()) != LDNS_PACKET_UPDATE)
        return refuse(ErrorCode::Unavailable,
                      QStringLiteral("the answer does not belong to our UPDATE message"));

    const int rcode = int(ldns_pkt_get_rcode(response.get()));
    const ldns_rr *tsig = ldns_pkt_tsig(response.get());
    const int tsigError = tsig && ldns_rr_rd_count(tsig) > 6
                              ? int(ldns_rdf2native_int16(ldns_rr_rdf(tsig, 5)))
                              : NoError;
    auto rejected = [&](int code, const QString &suffix) {
        QString text = QStringLiteral("rejected: ") + dnsRcodeName(rcode);
        if (code != rcode)
            text += QStringLiteral(", TSIG error ") + dnsRcodeName(code);
        const QString hint = rcodeHint(code);
        if (!hint.isEmpty())
            text += QStringLiteral(" (") + hint + QLatin1Char(')');
        return refuse(rcodeErrorCode(code), text + suffix);
    };
    if (tsigError != NoError) {
        // The server could not check our signature, so it could not sign its answer either
        // (RFC 8945 5.3.2): the answer is unauthenticated, but it reports a failure only.
        return rejected(tsigError, QString());
    }
    if (!tsig) {
        if (rcode != NoError)
            return rejected(rcode, QStringLiteral("; the answer was not signed"));
        return refuse(ErrorCode::Unauthorized,
                      QStringLiteral("the answer claims success but is not signed; the update "
                                     "cannot be trusted to have happened"));
    }
    const bool sameKey = ldns_rr_rd_count(tsig) > 6 && rdfDname(ldns_rr_owner(tsig)) == keyName &&
                         rdfDname(ldns_rr_rdf(tsig, 0)) == algorithm;
    if (!sameKey || !ldns_pkt_tsig_verify(response.get(),
                                          reinterpret_cast<const uint8_t *>(answer->constData()),
                                          size_t(answer->size()), keyNameText.constData(),
                                          secret.c_str(), requestMac.get()))
        return refuse(ErrorCode::Unauthorized,
                      QStringLiteral("the answer's TSIG signature does not verify (%1); the "
                                     "outcome is unknown")
                          .arg(dnsRcodeName(rcode)));
    const qint64 signedAt = qint64(tsigTime(ldns_rr_rdf(tsig, 1)));
    const qint64 fudge = qint64(ldns_rdf2native_int16(ldns_rr_rdf(tsig, 2)));
    if (std::abs(QDateTime::currentSecsSinceEpoch() - signedAt) > std::max<qint64>(fudge, 1))
        return refuse(ErrorCode::Unauthorized,
                      QStringLiteral("the answer is signed outside the TSIG time window (BADTIME "
                                     "on our side); check NTP"));
    if (rcode != NoError)
        return rejected(rcode, QString());

    qCInfo(lcDns).noquote() << "published" << sets.size() << "names with" << addressCount
                            << "addresses to zone" << zone << "at" << m_target.server << "port"
                            << m_target.port;
    return {};
}

} // namespace upcoach::routing
