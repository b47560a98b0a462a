// DNS publication of routing answers: RFC 2136 dynamic updates signed with TSIG (RFC 8945),
// built, signed and verified with libldns, sent over TCP to the zone's primary server.
#pragma once

#include "upcoach/core/result.h"

#include <QByteArray>
#include <QHostAddress>
#include <QString>
#include <chrono>
#include <vector>

namespace upcoach::routing {

struct TsigKey
{
    QString name;                                      // as in the server's key statement
    QString algorithm = QStringLiteral("hmac-sha256"); // hmac-sha256 or hmac-sha512
    QByteArray secret;                                 // raw bytes; the config holds them as base64
};

// Validates a key from configuration: the name a DNS name, the algorithm one we sign with, the
// secret strict base64 of 16..512 bytes. Errors never quote the secret.
Result<TsigKey> parseTsigKey(const QString &name, const QString &algorithm,
                             const QString &base64Secret);

struct DnsTarget
{
    QString server = QStringLiteral("127.0.0.1"); // the zone's primary (address or host name)
    quint16 port = 53;
    QString zone; // e.g. "ops.upcoach.test." (the trailing dot is optional)
    TsigKey key;
    std::chrono::milliseconds timeout{3000}; // whole exchange: connect, send, answer
};

// The target's fields in range (zone a DNS name, key as parseTsigKey checks, timeout
// 100ms..60s). The error names the field.
Result<void> validate(const DnsTarget &target);

struct DnsRecordSet
{
    QString name;                        // fully qualified, inside the zone (or the apex)
    std::vector<QHostAddress> addresses; // IPv4 become A records, IPv6 AAAA; empty: remove
    int ttl = 60;                        // 0..86400 seconds
};

inline constexpr int kMaxAddressesPerName = 64;

class DnsPublisher
{
public:
    explicit DnsPublisher(DnsTarget target);

    // Replaces the A and AAAA RRsets of each name with exactly the given addresses: one UPDATE
    // message per call (delete both RRsets, add the new records), signed with TSIG, so the
    // server applies all of it or none. An empty address list removes the name's A and AAAA
    // records. Bad input (a name outside the zone, a TTL or address count out of range, a
    // message over 64 KiB) is refused before anything is sent.
    //
    // Blocking: worker threads only. Succeeds only when the response carries rcode NOERROR and
    // a TSIG that verifies against our key and request (and is signed within the fudge of our
    // clock). Errors name the server, the zone and the DNS rcode or TSIG error (NOTAUTH,
    // REFUSED, NOTZONE, BADSIG, BADKEY, BADTIME...) and never the secret. Reentrant.
    Result<void> publish(const std::vector<DnsRecordSet> &sets);

    const DnsTarget &target() const { return m_target; }

private:
    DnsTarget m_target;
};

// Name of a DNS RCODE or TSIG error code ("NOERROR", "NOTAUTH", "BADSIG", "RCODE42").
QString dnsRcodeName(int rcode);

} // namespace upcoach::routing
