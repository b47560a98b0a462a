// Private to upcoach_compliance: the bundle verifier's fast path for one events.jsonl line.
//
// eventFromJson (QJsonDocument, QString, QDateTime) is the definition of a valid event line; it
// costs about 10 us a line. This parser accepts a subset of what eventFromJson accepts — the
// compact form writers produce: no whitespace, no duplicate keys, integers written as plain
// digits, the escapes of RFC 8259 — and produces the same canonical bytes (the ua1 encoding) in
// well under a microsecond, without a QString. Whatever it does not accept (a malformed line, or
// an unusual but valid one) the caller hands to eventFromJson, which accepts it or names the
// error, so results and messages never depend on which path ran.
#pragma once

#include "upcoach/compliance/merkle.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace upcoach::compliance {

struct FastEvent
{
    uint64_t sequence = 0;
    int64_t timeMs = 0;      // milliseconds since 1970-01-01T00:00:00Z
    std::string_view tenant; // decoded UTF-8; valid until the next parse
};

// One per thread: the buffers are reused from line to line.
class FastEventParser
{
public:
    // true when `line` (without '\n') is a valid event line in the fast subset: `event` is set
    // and canonical() holds canonicalBytes() of the event eventFromJson(line) would return.
    // false means only "not decided here": call eventFromJson.
    bool parse(std::string_view line, FastEvent &event);
    const std::string &canonical() const { return m_canonical; }

private:
    struct Member
    {
        std::string_view key; // decoded: in the line or in m_decoded
        size_t begin;         // the canonical member text `"key":value`, in m_details
        size_t end;
    };

    bool parseString(const char *&p, const char *end, std::string_view &decoded, bool &escaped);
    bool parseDetailsValue(const char *&p, const char *end, int depth);
    bool parseDetailsObject(const char *&p, const char *end, int depth);
    void appendCanonicalString(std::string_view decoded, bool escaped, std::string_view raw);

    std::string m_canonical;
    std::string m_details; // canonical details JSON
    std::string m_decoded; // decoded strings that had escapes (reserved: never reallocates)
    std::string m_sortScratch;
    std::vector<Member> m_members; // a stack: each object uses its own tail
    std::vector<size_t> m_order;
};

// For proofs.jsonl: {"leafIndex":N,"proof":[HEX64,...],"sequence":N,"treeSize":N} in any key
// order, no whitespace, plain digits, at most `maxHashes` hashes. false = not decided here.
struct FastProofLine
{
    uint64_t sequence = 0;
    uint64_t leafIndex = 0;
    uint64_t treeSize = 0;
};
bool parseProofLineFast(std::string_view line, size_t maxHashes, FastProofLine &out,
                        std::vector<Hash> &proof);

// 64 hex digits (either case) into 32 bytes; false for anything else.
bool hashFromHexFast(std::string_view hex, Hash &out);

} // namespace upcoach::compliance
