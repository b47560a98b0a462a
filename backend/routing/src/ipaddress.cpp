#include "upcoach/routing/ipaddress.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cstring>

namespace upcoach::routing {

namespace {

constexpr std::size_t kMaxAddressText = 45; // INET6_ADDRSTRLEN - 1 (IPv4-mapped, full form)
constexpr std::array<std::uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool isMapped(const std::array<std::uint8_t, 16> &bytes)
{
    return std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), bytes.begin());
}

// Sets the bits below `prefix` to zero (lowest) or one (highest).
std::array<std::uint8_t, 16> fillHostBits(std::array<std::uint8_t, 16> bytes, int prefix, bool ones)
{
    for (int bit = prefix; bit < 128; ++bit) {
        const auto mask = static_cast<std::uint8_t>(0x80u >> (bit % 8));
        if (ones)
            bytes[static_cast<std::size_t>(bit / 8)] |= mask;
        else
            bytes[static_cast<std::size_t>(bit / 8)] &= static_cast<std::uint8_t>(~mask);
    }
    return bytes;
}

} // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) noexcept
{
    if (text.empty() || text.size() > kMaxAddressText || text.find('\0') != std::string_view::npos)
        return std::nullopt;
    char buffer[kMaxAddressText + 1];
    std::memcpy(buffer, text.data(), text.size());
    buffer[text.size()] = '\0';
    IpAddress address;
    in_addr v4{};
    if (inet_pton(AF_INET, buffer, &v4) == 1) {
        std::copy(kMappedPrefix.begin(), kMappedPrefix.end(), address.bytes.begin());
        std::memcpy(address.bytes.data() + 12, &v4.s_addr, 4);
        address.v4 = true;
        return address;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, buffer, &v6) == 1) {
        std::memcpy(address.bytes.data(), v6.s6_addr, 16);
        address.v4 = isMapped(address.bytes);
        return address;
    }
    return std::nullopt;
}

std::optional<IpAddress> IpAddress::parse(const QString &text)
{
    if (text.size() > static_cast<qsizetype>(kMaxAddressText))
        return std::nullopt;
    const QByteArray latin = text.toLatin1();
    return parse(std::string_view(latin.constData(), static_cast<std::size_t>(latin.size())));
}

IpAddress IpAddress::fromV4(std::uint32_t hostOrder) noexcept
{
    IpAddress address;
    std::copy(kMappedPrefix.begin(), kMappedPrefix.end(), address.bytes.begin());
    address.bytes[12] = static_cast<std::uint8_t>(hostOrder >> 24);
    address.bytes[13] = static_cast<std::uint8_t>(hostOrder >> 16);
    address.bytes[14] = static_cast<std::uint8_t>(hostOrder >> 8);
    address.bytes[15] = static_cast<std::uint8_t>(hostOrder);
    address.v4 = true;
    return address;
}

QString IpAddress::toString() const
{
    char buffer[INET6_ADDRSTRLEN] = {};
    if (v4)
        inet_ntop(AF_INET, bytes.data() + 12, buffer, sizeof buffer);
    else
        inet_ntop(AF_INET6, bytes.data(), buffer, sizeof buffer);
    return QString::fromLatin1(buffer);
}

std::uint64_t IpAddress::networkKey() const noexcept
{
    std::uint64_t key = 0;
    if (v4) {
        // family tag 4 in the top byte, then the /24
        key = (std::uint64_t{4} << 56) | (std::uint64_t{bytes[12]} << 16) |
              (std::uint64_t{bytes[13]} << 8) | bytes[14];
    } else {
        key = std::uint64_t{6} << 56;
        for (int i = 0; i < 6; ++i)
            key |= std::uint64_t{bytes[static_cast<std::size_t>(i)]} << (8 * (5 - i));
    }
    return key;
}

bool IpAddress::samePrefix(const IpAddress &other, int prefixBits) const noexcept
{
    const int whole = prefixBits / 8;
    if (std::memcmp(bytes.data(), other.bytes.data(), static_cast<std::size_t>(whole)) != 0)
        return false;
    const int rest = prefixBits % 8;
    if (rest == 0)
        return true;
    const auto mask = static_cast<std::uint8_t>(0xffu << (8 - rest));
    return (bytes[static_cast<std::size_t>(whole)] & mask) ==
           (other.bytes[static_cast<std::size_t>(whole)] & mask);
}

Result<Cidr> Cidr::parse(std::string_view text)
{
    const auto quoted = [&] {
        return QString::fromUtf8(text.data(), static_cast<qsizetype>(std::min<std::size_t>(
                                                  text.size(), kMaxAddressText + 4)));
    };
    const auto slash = text.find('/');
    const auto address = IpAddress::parse(text.substr(0, slash));
    if (!address)
        return Error{
            ErrorCode::InvalidInput,
            QStringLiteral("'%1' is not an IPv4 or IPv6 address or CIDR block").arg(quoted())};
    const int maxPrefix = address->v4 ? 32 : 128;
    int prefix = maxPrefix;
    if (slash != std::string_view::npos) {
        const auto digits = text.substr(slash + 1);
        if (digits.empty() || digits.size() > 3 ||
            !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return Error{
                ErrorCode::InvalidInput,
                QStringLiteral("'%1': the prefix length after '/' must be a number").arg(quoted())};
        prefix = 0;
        for (char c : digits)
            prefix = prefix * 10 + (c - '0');
        if (prefix > maxPrefix)
            return Error{ErrorCode::InvalidInput,
                         QStringLiteral("'%1': the prefix length must be at most %2")
                             .arg(quoted())
                             .arg(maxPrefix)};
    }
    Cidr block;
    block.prefix = address->v4 ? prefix + 96 : prefix;
    block.base = *address;
    block.base.bytes = fillHostBits(address->bytes, block.prefix, false);
    if (block.base.bytes != address->bytes)
        return Error{ErrorCode::InvalidInput,
                     QStringLiteral("'%1' has host bits set below the prefix; write %2")
                         .arg(quoted(), block.toString())};
    return block;
}

bool Cidr::contains(const IpAddress &address) const noexcept
{
    return base.samePrefix(address, prefix);
}

QString Cidr::toString() const
{
    return base.toString() + u'/' + QString::number(base.v4 ? prefix - 96 : prefix);
}

CidrSet::CidrSet(const std::vector<Cidr> &blocks)
{
    m_ranges.reserve(blocks.size());
    for (const Cidr &block : blocks)
        m_ranges.push_back({block.base.bytes, fillHostBits(block.base.bytes, block.prefix, true)});
    std::sort(m_ranges.begin(), m_ranges.end(),
              [](const Range &a, const Range &b) { return a.first < b.first; });
    // Merge overlapping and adjacent ranges so that lookups need one comparison pair.
    std::vector<Range> merged;
    for (const Range &range : m_ranges) {
        if (!merged.empty()) {
            auto next = merged.back().last;
            bool carry = true;
            for (int i = 15; i >= 0 && carry; --i) {
                const auto index = static_cast<std::size_t>(i);
                next[index] = static_cast<std::uint8_t>(next[index] + 1);
                carry = next[index] == 0;
            }
            const bool adjacent = !carry && range.first <= next;
            if (range.first <= merged.back().last || adjacent) {
                merged.back().last = std::max(merged.back().last, range.last);
                continue;
            }
        }
        merged.push_back(range);
    }
    m_ranges = std::move(merged);
}

bool CidrSet::contains(const IpAddress &address) const noexcept
{
    // The last range starting at or before the address.
    auto it = std::upper_bound(m_ranges.begin(), m_ranges.end(), address.bytes,
                               [](const std::array<std::uint8_t, 16> &value, const Range &range) {
                                   return value < range.first;
                               });
    if (it == m_ranges.begin())
        return false;
    --it;
    return address.bytes <= it->last;
}

CountryCode CountryCode::fromString(std::string_view text) noexcept
{
    if (text.size() != 2)
        return {};
    const auto upper = [](char c) -> char {
        if (c >= 'a' && c <= 'z')
            return static_cast<char>(c - 'a' + 'A');
        return (c >= 'A' && c <= 'Z') ? c : 0;
    };
    const char a = upper(text[0]);
    const char b = upper(text[1]);
    if (a == 0 || b == 0)
        return {};
    return {a, b};
}

CountryCode CountryCode::fromString(const QString &text) noexcept
{
    if (text.size() != 2)
        return {};
    const char a = text.at(0).toLatin1();
    const char b = text.at(1).toLatin1();
    const char pair[2] = {a, b};
    return fromString(std::string_view(pair, 2));
}

QString CountryCode::toString() const
{
    if (!valid())
        return {};
    return QString(QLatin1Char(first)) + QLatin1Char(second);
}

} // namespace upcoach::routing
