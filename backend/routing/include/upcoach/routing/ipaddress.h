// IP addresses and CIDR blocks for the routing hot path: fixed-size values, no allocation, IPv4
// held as IPv4-mapped IPv6 (::ffff:a.b.c.d) so one code path serves both families.
#pragma once

#include "upcoach/core/result.h"

#include <QString>
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace upcoach::routing {

struct IpAddress
{
    std::array<std::uint8_t, 16> bytes{}; // network order; IPv4 as ::ffff:a.b.c.d
    bool v4 = false;

    // "203.0.113.7", "2001:db8::1", "::ffff:203.0.113.7" (taken as IPv4). Anything else —
    // ports, zone ids, brackets, whitespace, over-long text — is nullopt.
    static std::optional<IpAddress> parse(std::string_view text) noexcept;
    static std::optional<IpAddress> parse(const QString &text);
    static IpAddress fromV4(std::uint32_t hostOrder) noexcept;

    QString toString() const;
    // The client network latency and caches are keyed by: the /24 of an IPv4 address, the /48
    // of an IPv6 one (the prefixes operators announce and measure by), tagged by family.
    std::uint64_t networkKey() const noexcept;
    // Bits of the address taken as IPv6 prefix length; IPv4 prefixes are offset by 96.
    bool samePrefix(const IpAddress &other, int prefixBits) const noexcept;

    friend bool operator==(const IpAddress &, const IpAddress &) = default;
};

struct Cidr
{
    IpAddress base; // host bits zero
    int prefix = 0; // 0..128 over the mapped form (an IPv4 /24 is stored as 120)

    // "10.0.0.0/8", "2001:db8::/32", "192.0.2.1" (a /32), "::1" (a /128). Host bits set below
    // the prefix are refused ("10.0.0.1/8": write 10.0.0.0/8), so a list means what it says.
    static Result<Cidr> parse(std::string_view text);
    bool contains(const IpAddress &address) const noexcept;
    QString toString() const;
};

// A set of CIDR blocks answering "is this address in any of them" in O(log n) without
// allocation: blocks are merged into sorted, disjoint [first, last] ranges.
class CidrSet
{
public:
    CidrSet() = default;
    explicit CidrSet(const std::vector<Cidr> &blocks);
    bool contains(const IpAddress &address) const noexcept;
    bool empty() const noexcept { return m_ranges.empty(); }
    std::size_t rangeCount() const noexcept { return m_ranges.size(); }

private:
    struct Range
    {
        std::array<std::uint8_t, 16> first;
        std::array<std::uint8_t, 16> last;
    };
    std::vector<Range> m_ranges;
};

// ISO 3166-1 alpha-2 as two upper-case letters; a zero value means "unknown".
struct CountryCode
{
    char first = 0;
    char second = 0;

    static CountryCode fromString(std::string_view text) noexcept; // "jp" → JP; bad → unknown
    static CountryCode fromString(const QString &text) noexcept;
    bool valid() const noexcept { return first != 0; }
    // 0..675 for a valid code: the index of per-country tables.
    int index() const noexcept { return (first - 'A') * 26 + (second - 'A'); }
    static constexpr int kTableSize = 26 * 26;
    QString toString() const;

    friend bool operator==(const CountryCode &, const CountryCode &) = default;
};

} // namespace upcoach::routing
