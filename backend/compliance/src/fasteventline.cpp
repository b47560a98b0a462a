#include "fasteventline.h"

#include "upcoach/compliance/auditevent.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace upcoach::compliance {

namespace {

// Top-level fields in canonical (ua1) order for the strings, then sequence and details.
enum Field : int
{
    Id,
    Time,
    Actor,
    Impersonator,
    Tenant,
    Action,
    Target,
    Outcome,
    SourceIp,
    RequestId,
    Classification,
    StringFieldCount,
    Sequence = StringFieldCount,
    Details,
    FieldCount
};

int fieldOf(std::string_view key)
{
    static constexpr std::string_view names[FieldCount] = {
        "id",      "time",     "actor",     "impersonator",   "tenant",   "action", "target",
        "outcome", "sourceIp", "requestId", "classification", "sequence", "details"};
    // By length and first letter, then one comparison.
    int candidate = -1;
    switch (key.size()) {
    case 2:
        candidate = Id;
        break;
    case 4:
        candidate = Time;
        break;
    case 5:
        candidate = Actor;
        break;
    case 6:
        candidate = key[0] == 'a' ? Action : key[1] == 'e' ? Tenant : Target;
        break;
    case 7:
        candidate = key[0] == 'o' ? Outcome : Details;
        break;
    case 8:
        candidate = key[1] == 'e' ? Sequence : SourceIp;
        break;
    case 9:
        candidate = RequestId;
        break;
    case 12:
        candidate = Impersonator;
        break;
    case 14:
        candidate = Classification;
        break;
    default:
        return -1;
    }
    // Equal lengths; compare in (overlapping) machine words rather than calling memcmp.
    const char *a = key.data();
    const char *b = names[candidate].data();
    const size_t n = key.size();
    if (n >= 8) {
        uint64_t x[2], y[2];
        std::memcpy(&x[0], a, 8);
        std::memcpy(&x[1], a + n - 8, 8);
        std::memcpy(&y[0], b, 8);
        std::memcpy(&y[1], b + n - 8, 8);
        return x[0] == y[0] && x[1] == y[1] ? candidate : -1;
    }
    if (n >= 4) {
        uint32_t x[2], y[2];
        std::memcpy(&x[0], a, 4);
        std::memcpy(&x[1], a + n - 4, 4);
        std::memcpy(&y[0], b, 4);
        std::memcpy(&y[1], b + n - 4, 4);
        return x[0] == y[0] && x[1] == y[1] ? candidate : -1;
    }
    return a[0] == b[0] && a[1] == b[1] ? candidate : -1; // "id"
}

// The first byte at or after p that is '"', '\\', a control character or not ASCII (the ones a
// string scan must look at), or `end`.
const char *skipPlainAscii(const char *p, const char *end)
{
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    while (end - p >= 16) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        // Signed compare: bytes >= 0x80 are negative, so "< 0x20" also catches them.
        const __m128i special = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)),
            _mm_cmplt_epi8(bytes, space));
        const auto mask = unsigned(_mm_movemask_epi8(special));
        if (mask != 0)
            return p + std::countr_zero(mask);
        p += 16;
    }
#endif
    while (p < end) {
        const auto c = static_cast<unsigned char>(*p);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
            return p;
        ++p;
    }
    return p;
}

constexpr std::array<int8_t, 256> kHexValue = [] {
    std::array<int8_t, 256> table{};
    for (int c = 0; c < 256; ++c)
        table[size_t(c)] = c >= '0' && c <= '9'   ? int8_t(c - '0')
                           : c >= 'a' && c <= 'f' ? int8_t(c - 'a' + 10)
                           : c >= 'A' && c <= 'F' ? int8_t(c - 'A' + 10)
                                                  : int8_t(-1);
    return table;
}();

int hexDigit(char c)
{
    return kHexValue[static_cast<unsigned char>(c)];
}

// The length of the well-formed UTF-8 sequence at p (Unicode table 3-7: no overlong forms, no
// surrogates, nothing above U+10FFFF — what Qt's JSON parser accepts), or 0.
int utf8Length(const char *p, const char *end)
{
    const auto byte = [&](int i) { return static_cast<unsigned char>(p[i]); };
    const unsigned char lead = byte(0);
    const auto continuation = [&](int i, unsigned char low = 0x80, unsigned char high = 0xbf) {
        return p + i < end && byte(i) >= low && byte(i) <= high;
    };
    if (lead >= 0xc2 && lead <= 0xdf)
        return continuation(1) ? 2 : 0;
    if (lead == 0xe0)
        return continuation(1, 0xa0) && continuation(2) ? 3 : 0;
    if ((lead >= 0xe1 && lead <= 0xec) || lead == 0xee || lead == 0xef)
        return continuation(1) && continuation(2) ? 3 : 0;
    if (lead == 0xed)
        return continuation(1, 0x80, 0x9f) && continuation(2) ? 3 : 0;
    if (lead == 0xf0)
        return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : 0;
    if (lead >= 0xf1 && lead <= 0xf3)
        return continuation(1) && continuation(2) && continuation(3) ? 4 : 0;
    if (lead == 0xf4)
        return continuation(1, 0x80, 0x8f) && continuation(2) && continuation(3) ? 4 : 0;
    return 0;
}

void appendUtf8(std::string &out, uint32_t codePoint)
{
    if (codePoint < 0x80) {
        out.push_back(char(codePoint));
    } else if (codePoint < 0x800) {
        out.push_back(char(0xc0 | (codePoint >> 6)));
        out.push_back(char(0x80 | (codePoint & 0x3f)));
    } else if (codePoint < 0x10000) {
        out.push_back(char(0xe0 | (codePoint >> 12)));
        out.push_back(char(0x80 | ((codePoint >> 6) & 0x3f)));
        out.push_back(char(0x80 | (codePoint & 0x3f)));
    } else {
        out.push_back(char(0xf0 | (codePoint >> 18)));
        out.push_back(char(0x80 | ((codePoint >> 12) & 0x3f)));
        out.push_back(char(0x80 | ((codePoint >> 6) & 0x3f)));
        out.push_back(char(0x80 | (codePoint & 0x3f)));
    }
}

bool readHex4(const char *p, const char *end, uint32_t &value)
{
    if (end - p < 4)
        return false;
    value = 0;
    for (int i = 0; i < 4; ++i) {
        const int digit = hexDigit(p[i]);
        if (digit < 0)
            return false;
        value = value << 4 | uint32_t(digit);
    }
    return true;
}

// A JSON integer written as plain digits (no fraction, no exponent, no "-0"), |n| <= max.
// Anything else is left to the strict parser.
bool parseInteger(const char *&p, const char *end, bool allowNegative, uint64_t max,
                  uint64_t &magnitude, bool &negative)
{
    negative = false;
    if (p < end && *p == '-') {
        if (!allowNegative)
            return false;
        negative = true;
        ++p;
    }
    if (p >= end || *p < '0' || *p > '9')
        return false;
    uint64_t value = 0;
    int digits = 0;
    if (*p == '0') {
        ++p;
        digits = 1;
        if (negative)
            return false;
    } else {
        while (p < end && *p >= '0' && *p <= '9') {
            if (++digits > 16)
                return false;
            value = value * 10 + uint64_t(*p - '0');
            ++p;
        }
    }
    if (p < end && (*p == '.' || *p == 'e' || *p == 'E' || (*p >= '0' && *p <= '9')))
        return false;
    if (value > max)
        return false;
    magnitude = value;
    return true;
}

bool expect(const char *&p, const char *end, char c)
{
    if (p >= end || *p != c)
        return false;
    ++p;
    return true;
}

bool expectLiteral(const char *&p, const char *end, std::string_view literal)
{
    if (size_t(end - p) < literal.size() || std::memcmp(p, literal.data(), literal.size()) != 0)
        return false;
    p += literal.size();
    return true;
}

bool isWordByte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// [a-z0-9][a-z0-9._:-]*
bool isActionName(std::string_view text)
{
    if (text.empty() || !isWordByte(text.front()))
        return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return isWordByte(c) || c == '.' || c == '_' || c == ':' || c == '-';
    });
}

// [a-z0-9] or [a-z0-9][a-z0-9-]{0,61}[a-z0-9]
bool isSlug(std::string_view text)
{
    if (text.empty() || text.size() > 63 || !isWordByte(text.front()) || !isWordByte(text.back()))
        return false;
    return std::all_of(text.begin(), text.end(), [](char c) { return isWordByte(c) || c == '-'; });
}

constexpr std::array<bool, 256> kLowerHex = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 256; ++c)
        table[size_t(c)] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    return table;
}();

// Lowercase 8-4-4-4-12 and not the nil UUID (QUuid treats it as "no UUID").
bool isCanonicalUuid(std::string_view text)
{
    if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' ||
        text[23] != '-')
        return false;
    bool hex = true;
    bool nonZero = false;
    for (const size_t i : {0,  1,  2,  3,  4,  5,  6,  7,  9,  10, 11, 12, 14, 15, 16, 17,
                           19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35}) {
        hex &= kLowerHex[static_cast<unsigned char>(text[i])];
        nonZero |= text[i] != '0';
    }
    return hex && nonZero;
}

int64_t daysFromCivil(int year, int month, int day)
{
    year -= month <= 2;
    const int era = year / 400; // year >= 1969 here
    const int yearOfEra = year - era * 400;
    const int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return int64_t(era) * 146097 + dayOfEra - 719468;
}

// "2026-03-14T15:09:26.535Z", a real date and time, year 1970..9999: exactly the texts
// auditTimeFromString accepts and validateEvent keeps.
bool parseAuditTime(std::string_view text, int64_t &ms)
{
    if (text.size() != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
        text[13] != ':' || text[16] != ':' || text[19] != '.' || text[23] != 'Z')
        return false;
    const auto number = [&](size_t at, size_t length, int &out) {
        out = 0;
        for (size_t i = at; i < at + length; ++i) {
            if (text[i] < '0' || text[i] > '9')
                return false;
            out = out * 10 + (text[i] - '0');
        }
        return true;
    };
    int year, month, day, hour, minute, second, milli;
    if (!number(0, 4, year) || !number(5, 2, month) || !number(8, 2, day) || !number(11, 2, hour) ||
        !number(14, 2, minute) || !number(17, 2, second) || !number(20, 3, milli))
        return false;
    if (year < 1970 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 ||
        second > 59)
        return false;
    static constexpr int daysIn[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day > daysIn[month - 1] + (month == 2 && leap ? 1 : 0))
        return false;
    ms = ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60'000 +
         int64_t(second) * 1000 + milli;
    return true;
}

void appendUint32(std::string &out, uint32_t value)
{
    const char bytes[4] = {char(value >> 24), char(value >> 16), char(value >> 8), char(value)};
    out.append(bytes, 4);
}

void appendUint64(std::string &out, uint64_t value)
{
    char bytes[8];
    for (int i = 0; i < 8; ++i)
        bytes[i] = char(value >> (56 - 8 * i));
    out.append(bytes, 8);
}

void appendField(std::string &out, std::string_view bytes)
{
    appendUint32(out, uint32_t(bytes.size()));
    out.append(bytes);
}

} // namespace

bool FastEventParser::parseString(const char *&p, const char *end, std::string_view &decoded,
                                  bool &escaped)
{
    if (!expect(p, end, '"'))
        return false;
    const char *start = p;
    escaped = false;
    for (;;) {
        p = skipPlainAscii(p, end);
        if (p >= end)
            return false;
        const auto c = static_cast<unsigned char>(*p);
        if (c == '"') {
            decoded = std::string_view(start, size_t(p - start));
            ++p;
            return true;
        }
        if (c == '\\')
            break;
        if (c < 0x20)
            return false; // Qt takes raw control characters; the strict path decides
        const int length = utf8Length(p, end);
        if (length == 0)
            return false;
        p += length;
    }

    // With escapes: decode into m_decoded. Decoding never makes a string longer, and m_decoded
    // was reserved for the whole line, so earlier views into it stay valid.
    escaped = true;
    const size_t offset = m_decoded.size();
    if (m_decoded.capacity() - offset < size_t(end - start))
        return false;
    m_decoded.append(start, size_t(p - start));
    while (p < end) {
        const auto c = static_cast<unsigned char>(*p);
        if (c == '"') {
            decoded = std::string_view(m_decoded.data() + offset, m_decoded.size() - offset);
            ++p;
            return true;
        }
        if (c == '\\') {
            if (++p >= end)
                return false;
            const char e = *p++;
            switch (e) {
            case '"':
            case '\\':
            case '/':
                m_decoded.push_back(e);
                break;
            case 'b':
                m_decoded.push_back('\b');
                break;
            case 'f':
                m_decoded.push_back('\f');
                break;
            case 'n':
                m_decoded.push_back('\n');
                break;
            case 'r':
                m_decoded.push_back('\r');
                break;
            case 't':
                m_decoded.push_back('\t');
                break;
            case 'u': {
                uint32_t unit = 0;
                if (!readHex4(p, end, unit))
                    return false;
                p += 4;
                if (unit >= 0xdc00 && unit <= 0xdfff)
                    return false; // a lone low surrogate: invalid Unicode, the strict path says so
                if (unit >= 0xd800 && unit <= 0xdbff) {
                    uint32_t low = 0;
                    if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !readHex4(p + 2, end, low) ||
                        low < 0xdc00 || low > 0xdfff)
                        return false;
                    p += 6;
                    unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
                }
                appendUtf8(m_decoded, unit);
                break;
            }
            default:
                return false; // Qt takes "\x" as "x"; the strict path decides
            }
        } else if (c < 0x20) {
            return false;
        } else if (c < 0x80) {
            m_decoded.push_back(char(c));
            ++p;
        } else {
            const int length = utf8Length(p, end);
            if (length == 0)
                return false;
            m_decoded.append(p, size_t(length));
            p += length;
        }
    }
    return false;
}

void FastEventParser::appendCanonicalString(std::string_view decoded, bool escaped,
                                            std::string_view raw)
{
    m_details.push_back('"');
    if (!escaped) {
        // No escapes in the line: no '"', '\' or control byte inside, the text is canonical.
        m_details.append(raw);
    } else {
        static constexpr char hexDigits[] = "0123456789abcdef";
        for (const char c : decoded) {
            const auto byte = static_cast<unsigned char>(c);
            if (c == '"' || c == '\\') {
                m_details.push_back('\\');
                m_details.push_back(c);
            } else if (byte < 0x20) {
                const char escape[6] = {
                    '\\', 'u', '0', '0', hexDigits[byte >> 4], hexDigits[byte & 0xf]};
                m_details.append(escape, 6);
            } else {
                m_details.push_back(c);
            }
        }
    }
    m_details.push_back('"');
}

bool FastEventParser::parseDetailsValue(const char *&p, const char *end, int depth)
{
    if (p >= end)
        return false;
    switch (*p) {
    case '{':
        return parseDetailsObject(p, end, depth + 1);
    case '[': {
        if (depth + 1 > kMaxDetailsDepth)
            return false;
        ++p;
        m_details.push_back('[');
        if (p < end && *p == ']') {
            ++p;
            m_details.push_back(']');
            return true;
        }
        for (;;) {
            if (!parseDetailsValue(p, end, depth + 1))
                return false;
            if (p >= end)
                return false;
            if (*p == ']') {
                ++p;
                m_details.push_back(']');
                return true;
            }
            if (*p != ',')
                return false;
            ++p;
            m_details.push_back(',');
        }
    }
    case '"': {
        const char *rawBegin = p + 1;
        std::string_view decoded;
        bool escaped = false;
        if (!parseString(p, end, decoded, escaped))
            return false;
        appendCanonicalString(decoded, escaped,
                              std::string_view(rawBegin, size_t(p - 1 - rawBegin)));
        return true;
    }
    case 't':
        m_details.append("true");
        return expectLiteral(p, end, "true");
    case 'f':
        m_details.append("false");
        return expectLiteral(p, end, "false");
    case 'n':
        m_details.append("null");
        return expectLiteral(p, end, "null");
    default: {
        const char *begin = p;
        uint64_t magnitude = 0;
        bool negative = false;
        if (!parseInteger(p, end, true, uint64_t(kMaxSafeJsonInteger), magnitude, negative))
            return false;
        m_details.append(begin, size_t(p - begin));
        return true;
    }
    }
}

bool FastEventParser::parseDetailsObject(const char *&p, const char *end, int depth)
{
    if (depth > kMaxDetailsDepth || !expect(p, end, '{'))
        return false;
    m_details.push_back('{');
    const size_t contentBegin = m_details.size();
    const size_t base = m_members.size();
    if (p < end && *p == '}') {
        ++p;
        m_details.push_back('}');
        return true;
    }
    bool sorted = true;
    for (;;) {
        const char *rawBegin = p + 1;
        std::string_view key;
        bool escaped = false;
        if (!parseString(p, end, key, escaped) || !expect(p, end, ':'))
            return false;
        if (m_members.size() > base) {
            const std::string_view previous = m_members.back().key;
            if (previous == key)
                return false; // duplicate key: Qt keeps the last one; the strict path decides
            sorted = sorted && previous < key;
        }
        const size_t begin = m_details.size();
        appendCanonicalString(key, escaped, std::string_view(rawBegin, size_t(p - 2 - rawBegin)));
        m_details.push_back(':');
        if (!parseDetailsValue(p, end, depth))
            return false;
        m_members.push_back({key, begin, m_details.size()});
        if (p >= end)
            return false;
        if (*p == '}') {
            ++p;
            break;
        }
        if (*p != ',')
            return false;
        ++p;
        m_details.push_back(',');
    }
    if (!sorted) {
        // Members sorted by the UTF-8 bytes of their keys (std::string_view compares bytes as
        // unsigned char), then written again in that order.
        const size_t count = m_members.size() - base;
        m_order.resize(count);
        for (size_t i = 0; i < count; ++i)
            m_order[i] = base + i;
        std::sort(m_order.begin(), m_order.end(),
                  [&](size_t a, size_t b) { return m_members[a].key < m_members[b].key; });
        for (size_t i = 1; i < count; ++i)
            if (m_members[m_order[i - 1]].key == m_members[m_order[i]].key)
                return false;
        m_sortScratch.assign(m_details, contentBegin, std::string::npos);
        m_details.resize(contentBegin);
        for (size_t i = 0; i < count; ++i) {
            const Member &member = m_members[m_order[i]];
            if (i > 0)
                m_details.push_back(',');
            m_details.append(m_sortScratch, member.begin - contentBegin, member.end - member.begin);
        }
    }
    m_members.resize(base);
    m_details.push_back('}');
    return true;
}

bool FastEventParser::parse(std::string_view line, FastEvent &event)
{
    if (line.size() > size_t(kMaxEventLineBytes))
        return false;
    m_decoded.clear();
    m_decoded.reserve(line.size() + 16);
    m_details.clear();
    m_members.clear();

    std::string_view strings[StringFieldCount];
    uint64_t sequence = 0;
    const auto parseValue = [&](const char *&p, const char *end, int field) {
        if (field == Sequence) {
            bool negative = false;
            return parseInteger(p, end, false, kMaxSequence, sequence, negative);
        }
        if (field == Details)
            return parseDetailsObject(p, end, 1);
        bool escaped = false;
        return parseString(p, end, strings[field], escaped) &&
               strings[field].size() <= size_t(kMaxEventFieldBytes);
    };
    const char *const begin = line.data();
    const char *const end = begin + line.size();

    // First as eventToJson writes it: keys in QJsonObject's order, so each key is one compare.
    static constexpr struct
    {
        std::string_view prefix;
        int field;
    } kWriterOrder[FieldCount] = {{"{\"action\":", Action},
                                  {",\"actor\":", Actor},
                                  {",\"classification\":", Classification},
                                  {",\"details\":", Details},
                                  {",\"id\":", Id},
                                  {",\"impersonator\":", Impersonator},
                                  {",\"outcome\":", Outcome},
                                  {",\"requestId\":", RequestId},
                                  {",\"sequence\":", Sequence},
                                  {",\"sourceIp\":", SourceIp},
                                  {",\"target\":", Target},
                                  {",\"tenant\":", Tenant},
                                  {",\"time\":", Time}};
    const char *p = begin;
    bool inWriterOrder = true;
    for (const auto &[prefix, field] : kWriterOrder) {
        if (size_t(end - p) < prefix.size() || std::memcmp(p, prefix.data(), prefix.size()) != 0) {
            inWriterOrder = false;
            break;
        }
        p += prefix.size();
        if (!parseValue(p, end, field))
            return false;
    }
    if (inWriterOrder && !(p + 1 == end && *p == '}'))
        return false;

    if (!inWriterOrder) {
        // Any key order.
        m_decoded.clear();
        m_details.clear();
        m_members.clear();
        p = begin;
        unsigned seen = 0;
        if (!expect(p, end, '{'))
            return false;
        for (;;) {
            std::string_view key;
            bool escaped = false;
            if (!parseString(p, end, key, escaped) || !expect(p, end, ':'))
                return false;
            const int field = fieldOf(key);
            if (field < 0 || (seen & (1u << field)))
                return false; // unknown or duplicate: the strict path names it (or keeps the last)
            seen |= 1u << field;
            if (!parseValue(p, end, field) || p >= end)
                return false;
            if (*p == '}') {
                ++p;
                break;
            }
            if (*p != ',')
                return false;
            ++p;
        }
        if (p != end || seen != (1u << FieldCount) - 1)
            return false;
    }
    if (m_details.size() > size_t(kMaxDetailsBytes))
        return false;

    int64_t timeMs = 0;
    if (!isCanonicalUuid(strings[Id]) || !parseAuditTime(strings[Time], timeMs))
        return false;
    if (strings[Actor].empty() || strings[Outcome].empty())
        return false;
    if (!strings[Tenant].empty() && !isSlug(strings[Tenant]))
        return false;
    if (!isActionName(strings[Action]) || !isActionName(strings[Classification]))
        return false;
    const std::string_view outcome = strings[Outcome];
    if (outcome != "success" && outcome != "failure" && outcome != "denied")
        return false;

    // The ua1 encoding (README.md): magic, id, sequence, time, the nine strings, details.
    m_canonical.clear();
    m_canonical.append("ua1", 3);
    appendField(m_canonical, strings[Id]);
    appendUint64(m_canonical, sequence);
    appendUint64(m_canonical, uint64_t(timeMs));
    for (int field = Actor; field < StringFieldCount; ++field)
        appendField(m_canonical, strings[field]);
    appendField(m_canonical, m_details);

    event.sequence = sequence;
    event.timeMs = timeMs;
    event.tenant = strings[Tenant];
    return true;
}

bool parseProofLineFast(std::string_view line, size_t maxHashes, FastProofLine &out,
                        std::vector<Hash> &proof)
{
    static constexpr uint64_t kMaxTreeSizeValue = uint64_t(1) << 40;
    proof.clear();
    const char *p = line.data();
    const char *const end = p + line.size();
    if (!expect(p, end, '{'))
        return false;
    unsigned seen = 0;
    for (;;) {
        if (!expect(p, end, '"'))
            return false;
        const char *keyBegin = p;
        while (p < end && *p != '"' && *p != '\\')
            ++p;
        if (p >= end || *p != '"')
            return false;
        const std::string_view key(keyBegin, size_t(p - keyBegin));
        ++p;
        if (!expect(p, end, ':'))
            return false;
        int field = -1;
        if (key == "sequence")
            field = 0;
        else if (key == "leafIndex")
            field = 1;
        else if (key == "treeSize")
            field = 2;
        else if (key == "proof")
            field = 3;
        if (field < 0 || (seen & (1u << field)))
            return false;
        seen |= 1u << field;
        if (field == 3) {
            if (!expect(p, end, '['))
                return false;
            if (p < end && *p == ']') {
                ++p;
            } else {
                for (;;) {
                    if (proof.size() >= maxHashes || end - p < 66 || p[0] != '"' || p[65] != '"')
                        return false;
                    Hash hash;
                    if (!hashFromHexFast(std::string_view(p + 1, 64), hash))
                        return false;
                    proof.push_back(hash);
                    p += 66;
                    if (p < end && *p == ']') {
                        ++p;
                        break;
                    }
                    if (!expect(p, end, ','))
                        return false;
                }
            }
        } else {
            uint64_t value = 0;
            bool negative = false;
            if (!parseInteger(p, end, false, field == 2 ? kMaxTreeSizeValue : kMaxSequence, value,
                              negative))
                return false;
            (field == 0 ? out.sequence : field == 1 ? out.leafIndex : out.treeSize) = value;
        }
        if (p >= end)
            return false;
        if (*p == '}') {
            ++p;
            break;
        }
        if (*p != ',')
            return false;
        ++p;
    }
    return p == end && seen == 0xf;
}

bool hashFromHexFast(std::string_view hex, Hash &out)
{
    if (hex.size() != 64)
        return false;
    for (size_t i = 0; i < 32; ++i) {
        const int high = hexDigit(hex[2 * i]);
        const int low = hexDigit(hex[2 * i + 1]);
        if ((high | low) < 0)
            return false;
        out[i] = static_cast<unsigned char>(high << 4 | low);
    }
    return true;
}

} // namespace upcoach::compliance
