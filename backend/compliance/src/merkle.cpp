#include "upcoach/compliance/merkle.h"

#include <QtGlobal>
#include <bit>
#include <cstring>
#include <functional>
#include <openssl/evp.h>

namespace upcoach::compliance {

namespace {

// SHA-256 fetched once from the default provider; the digest context is reused per thread, so
// a hash is init/update/final on an existing context with no allocation of ours.
const EVP_MD *sha256()
{
    static EVP_MD *md = [] {
        EVP_MD *fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        if (!fetched)
            qFatal("upcoach::compliance: OpenSSL provides no SHA-256 (provider configuration)");
        return fetched;
    }();
    return md;
}

struct ThreadDigest
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    ~ThreadDigest() { EVP_MD_CTX_free(ctx); }
    ThreadDigest() = default;
    ThreadDigest(const ThreadDigest &) = delete;
    ThreadDigest &operator=(const ThreadDigest &) = delete;
};

EVP_MD_CTX *threadContext()
{
    thread_local ThreadDigest digest;
    if (!digest.ctx)
        qFatal("upcoach::compliance: EVP_MD_CTX_new failed (out of memory)");
    return digest.ctx;
}

void digestInto(Hash &out, const void *a, size_t aLength, const void *b, size_t bLength)
{
    EVP_MD_CTX *ctx = threadContext();
    unsigned int length = 0;
    if (EVP_DigestInit_ex2(ctx, sha256(), nullptr) != 1 || EVP_DigestUpdate(ctx, a, aLength) != 1 ||
        (bLength > 0 && EVP_DigestUpdate(ctx, b, bLength) != 1) ||
        EVP_DigestFinal_ex(ctx, out.data(), &length) != 1 || length != out.size())
        qFatal("upcoach::compliance: SHA-256 failed inside OpenSSL");
}

// The number of proof hashes the RFC 9162 verification loop consumes from (fn, sn) until sn
// reaches 0; it depends only on the positions, never on the hashes.
uint64_t pathSteps(uint64_t fn, uint64_t sn)
{
    uint64_t steps = 0;
    while (sn != 0) {
        if ((fn & 1) == 0 && fn == sn) {
            while ((fn & 1) == 0 && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        }
        ++steps;
        fn >>= 1;
        sn >>= 1;
    }
    return steps;
}

// The largest power of two strictly smaller than n (n >= 2): RFC 9162's split point k.
uint64_t splitPoint(uint64_t n)
{
    return std::bit_floor(n - 1);
}

// PATH(m, D[begin:begin+n]) as subtree ranges, deepest first.
void pathRanges(uint64_t m, LeafRange range, std::vector<LeafRange> &out)
{
    const uint64_t n = range.size();
    if (n <= 1)
        return;
    const uint64_t k = splitPoint(n);
    const uint64_t mid = range.begin + k;
    if (m < k) {
        pathRanges(m, {range.begin, mid}, out);
        out.push_back({mid, range.end});
    } else {
        pathRanges(m - k, {mid, range.end}, out);
        out.push_back({range.begin, mid});
    }
}

// SUBPROOF(m, D[begin:begin+n], complete) as subtree ranges.
void subproofRanges(uint64_t m, LeafRange range, bool complete, std::vector<LeafRange> &out)
{
    const uint64_t n = range.size();
    if (m == n) {
        if (!complete)
            out.push_back(range);
        return;
    }
    const uint64_t k = splitPoint(n);
    const uint64_t mid = range.begin + k;
    if (m <= k) {
        subproofRanges(m, {range.begin, mid}, complete, out);
        out.push_back({mid, range.end});
    } else {
        subproofRanges(m - k, {mid, range.end}, false, out);
        out.push_back({range.begin, mid});
    }
}

Error verificationError(QString message)
{
    return makeError(ErrorCode::InvalidInput, std::move(message));
}

int hexValue(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= u'0' && u <= u'9')
        return u - u'0';
    if (u >= u'a' && u <= u'f')
        return u - u'a' + 10;
    if (u >= u'A' && u <= u'F')
        return u - u'A' + 10;
    return -1;
}

} // namespace

Hash leafHash(QByteArrayView data)
{
    static constexpr unsigned char prefix = 0x00;
    Hash out;
    digestInto(out, &prefix, 1, data.data(), size_t(data.size()));
    return out;
}

Hash leafHash(QByteArrayView head, QByteArrayView tail)
{
    static constexpr unsigned char prefix = 0x00;
    EVP_MD_CTX *ctx = threadContext();
    Hash out;
    unsigned int length = 0;
    if (EVP_DigestInit_ex2(ctx, sha256(), nullptr) != 1 || EVP_DigestUpdate(ctx, &prefix, 1) != 1 ||
        EVP_DigestUpdate(ctx, head.data(), size_t(head.size())) != 1 ||
        EVP_DigestUpdate(ctx, tail.data(), size_t(tail.size())) != 1 ||
        EVP_DigestFinal_ex(ctx, out.data(), &length) != 1 || length != out.size())
        qFatal("upcoach::compliance: SHA-256 failed inside OpenSSL");
    return out;
}

Hash nodeHash(const Hash &left, const Hash &right)
{
    unsigned char buffer[1 + 2 * 32];
    buffer[0] = 0x01;
    std::memcpy(buffer + 1, left.data(), 32);
    std::memcpy(buffer + 33, right.data(), 32);
    Hash out;
    digestInto(out, buffer, sizeof buffer, nullptr, 0);
    return out;
}

Hash emptyTreeHash()
{
    static const Hash empty = [] {
        Hash out;
        digestInto(out, "", 0, nullptr, 0);
        return out;
    }();
    return empty;
}

Hash rootOf(std::span<const Hash> leafHashes)
{
    MerkleTree tree;
    for (const Hash &leaf : leafHashes)
        tree.append(leaf);
    return tree.root();
}

QString toHex(const Hash &hash)
{
    static constexpr char16_t digits[] = u"0123456789abcdef";
    QString out(64, Qt::Uninitialized);
    QChar *p = out.data();
    for (unsigned char byte : hash) {
        *p++ = QChar(digits[byte >> 4]);
        *p++ = QChar(digits[byte & 0x0f]);
    }
    return out;
}

Result<Hash> hashFromHex(QStringView hex)
{
    if (hex.size() != 64)
        return makeError(
            ErrorCode::InvalidInput,
            QStringLiteral("a hash is 64 hex digits, got %1 characters").arg(hex.size()));
    Hash out;
    for (size_t i = 0; i < out.size(); ++i) {
        const int high = hexValue(hex[qsizetype(2 * i)]);
        const int low = hexValue(hex[qsizetype(2 * i + 1)]);
        if (high < 0 || low < 0)
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("a hash has only hex digits; position %1 is not one")
                                 .arg(high < 0 ? 2 * i : 2 * i + 1));
        out[i] = static_cast<unsigned char>(high << 4 | low);
    }
    return out;
}

QByteArray toBytes(const Hash &hash)
{
    return QByteArray(reinterpret_cast<const char *>(hash.data()), qsizetype(hash.size()));
}

Result<Hash> hashFromBytes(QByteArrayView bytes)
{
    if (bytes.size() != 32)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("a hash is 32 bytes, got %1").arg(bytes.size()));
    Hash out;
    std::memcpy(out.data(), bytes.data(), 32);
    return out;
}

Result<MerkleTree> MerkleTree::fromFrontier(uint64_t size, std::span<const Hash> frontier)
{
    if (frontier.size() != size_t(std::popcount(size)))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("a tree of size %1 has a frontier of %2 hashes, got %3")
                             .arg(size)
                             .arg(std::popcount(size))
                             .arg(frontier.size()));
    MerkleTree tree;
    tree.m_size = size;
    size_t next = 0;
    for (int level = 0; level < 64; ++level) {
        if (size >> level & 1)
            tree.m_levels[size_t(level)] = frontier[next++];
    }
    return tree;
}

void MerkleTree::append(const Hash &leaf)
{
    Q_ASSERT(m_size != UINT64_MAX);
    append(leaf, [](uint32_t, uint64_t, const Hash &) {});
}

Hash MerkleTree::root() const
{
    if (m_size == 0)
        return emptyTreeHash();
    if (m_rootSize == m_size)
        return m_root;
    int level = std::countr_zero(m_size);
    Hash acc = m_levels[size_t(level)];
    for (++level; level < 64; ++level) {
        if (m_size >> level & 1)
            acc = nodeHash(m_levels[size_t(level)], acc);
    }
    m_root = acc;
    m_rootSize = m_size;
    return acc;
}

std::vector<Hash> MerkleTree::frontier() const
{
    std::vector<Hash> out;
    out.reserve(size_t(std::popcount(m_size)));
    for (int level = 0; level < 64; ++level) {
        if (m_size >> level & 1)
            out.push_back(m_levels[size_t(level)]);
    }
    return out;
}

std::vector<LeafRange> inclusionProofRanges(uint64_t index, uint64_t size)
{
    std::vector<LeafRange> out;
    if (index >= size)
        return out;
    out.reserve(size_t(inclusionProofLength(index, size)));
    pathRanges(index, {0, size}, out);
    return out;
}

std::vector<LeafRange> consistencyProofRanges(uint64_t oldSize, uint64_t newSize)
{
    std::vector<LeafRange> out;
    if (oldSize == 0 || oldSize >= newSize)
        return out;
    out.reserve(size_t(consistencyProofLength(oldSize, newSize)));
    subproofRanges(oldSize, {0, newSize}, true, out);
    return out;
}

void perfectSubtreesOf(LeafRange range, std::vector<NodeId> &out)
{
    uint64_t begin = range.begin;
    while (begin < range.end) {
        const uint64_t remaining = range.end - begin;
        // The largest power of two strictly below the remaining size splits it (RFC 9162), or
        // the remaining size itself when it is one.
        const uint64_t width =
            std::has_single_bit(remaining) ? remaining : std::bit_floor(remaining - 1);
        const auto level = uint32_t(std::countr_zero(width));
        Q_ASSERT(begin % width == 0);
        out.push_back({level, begin >> level});
        begin += width;
    }
}

Hash foldSubtreeRoots(std::span<const Hash> roots)
{
    Q_ASSERT(!roots.empty());
    Hash acc = roots.back();
    for (size_t i = roots.size() - 1; i-- > 0;)
        acc = nodeHash(roots[i], acc);
    return acc;
}

namespace {

Result<std::vector<Hash>> rangesToProof(const std::vector<LeafRange> &ranges,
                                        const std::function<Hash(LeafRange)> &rootOfRange)
{
    std::vector<Hash> out;
    out.reserve(ranges.size());
    for (const LeafRange &range : ranges)
        out.push_back(rootOfRange(range));
    return out;
}

Error indexOutOfRange(uint64_t index, uint64_t size)
{
    return makeError(
        ErrorCode::InvalidInput,
        QStringLiteral("index out of range: leaf %1 of a tree of %2 leaves").arg(index).arg(size));
}

Error sizeOutOfRange(uint64_t oldSize, uint64_t newSize)
{
    return makeError(ErrorCode::InvalidInput,
                     QStringLiteral("size out of range: old size %1 exceeds the %2 leaves")
                         .arg(oldSize)
                         .arg(newSize));
}

} // namespace

Result<std::vector<Hash>> inclusionProof(std::span<const Hash> leafHashes, uint64_t index)
{
    if (index >= leafHashes.size())
        return indexOutOfRange(index, leafHashes.size());
    return rangesToProof(inclusionProofRanges(index, leafHashes.size()), [&](LeafRange r) {
        return rootOf(leafHashes.subspan(r.begin, r.size()));
    });
}

Result<std::vector<Hash>> consistencyProof(std::span<const Hash> leafHashes, uint64_t oldSize)
{
    if (oldSize > leafHashes.size())
        return sizeOutOfRange(oldSize, leafHashes.size());
    return rangesToProof(consistencyProofRanges(oldSize, leafHashes.size()), [&](LeafRange r) {
        return rootOf(leafHashes.subspan(r.begin, r.size()));
    });
}

MerkleNodeCache::MerkleNodeCache(std::span<const Hash> leafHashes)
{
    m_levels.emplace_back(leafHashes.begin(), leafHashes.end());
    while (m_levels.back().size() >= 2) {
        const std::vector<Hash> &below = m_levels.back();
        std::vector<Hash> level(below.size() / 2);
        for (size_t i = 0; i < level.size(); ++i)
            level[i] = nodeHash(below[2 * i], below[2 * i + 1]);
        m_levels.push_back(std::move(level));
    }
}

Hash MerkleNodeCache::rangeRoot(LeafRange range) const
{
    if (range.size() == 0)
        return emptyTreeHash();
    thread_local std::vector<NodeId> nodes;
    nodes.clear();
    perfectSubtreesOf(range, nodes);
    Hash acc = node(nodes.back());
    for (size_t i = nodes.size() - 1; i-- > 0;)
        acc = nodeHash(node(nodes[i]), acc);
    return acc;
}

Result<std::vector<Hash>> MerkleNodeCache::inclusionProof(uint64_t index, uint64_t treeSize) const
{
    if (treeSize > size() || index >= treeSize)
        return indexOutOfRange(index, std::min(treeSize, size()));
    return rangesToProof(inclusionProofRanges(index, treeSize),
                         [this](LeafRange r) { return rangeRoot(r); });
}

Result<std::vector<Hash>> MerkleNodeCache::consistencyProof(uint64_t oldSize,
                                                            uint64_t newSize) const
{
    if (newSize > size() || oldSize > newSize)
        return sizeOutOfRange(oldSize, std::min(newSize, size()));
    return rangesToProof(consistencyProofRanges(oldSize, newSize),
                         [this](LeafRange r) { return rangeRoot(r); });
}

uint64_t inclusionProofLength(uint64_t index, uint64_t treeSize)
{
    if (index >= treeSize)
        return 0;
    return pathSteps(index, treeSize - 1);
}

uint64_t consistencyProofLength(uint64_t oldSize, uint64_t newSize)
{
    if (oldSize == 0 || oldSize >= newSize)
        return 0;
    uint64_t fn = oldSize - 1;
    uint64_t sn = newSize - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    // The verifier's path starts with one seed hash, which is the old root itself (not sent)
    // when oldSize is a power of two.
    return 1 + pathSteps(fn, sn) - (std::has_single_bit(oldSize) ? 1 : 0);
}

Status verifyInclusion(const Hash &leaf, uint64_t index, uint64_t treeSize,
                       std::span<const Hash> proof, const Hash &root)
{
    if (index >= treeSize)
        return verificationError(
            QStringLiteral("index out of range: leaf %1 of a tree of %2 leaves")
                .arg(index)
                .arg(treeSize));
    const uint64_t expected = inclusionProofLength(index, treeSize);
    if (proof.size() != expected)
        return verificationError(
            QStringLiteral("wrong proof length: leaf %1 of %2 needs %3 hashes, got %4")
                .arg(index)
                .arg(treeSize)
                .arg(expected)
                .arg(proof.size()));
    uint64_t fn = index;
    uint64_t sn = treeSize - 1;
    Hash r = leaf;
    for (const Hash &p : proof) {
        if (sn == 0)
            return verificationError(QStringLiteral("wrong proof length: too many hashes"));
        if ((fn & 1) || fn == sn) {
            r = nodeHash(p, r);
            while ((fn & 1) == 0 && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            r = nodeHash(r, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0)
        return verificationError(QStringLiteral("wrong proof length: too few hashes"));
    if (r != root)
        return verificationError(
            QStringLiteral("root mismatch: the proof leads to %1, the tree head says %2")
                .arg(toHex(r), toHex(root)));
    return {};
}

Status verifyConsistency(uint64_t oldSize, uint64_t newSize, const Hash &oldRoot,
                         const Hash &newRoot, std::span<const Hash> proof)
{
    if (oldSize > newSize)
        return verificationError(
            QStringLiteral("size out of range: old size %1 exceeds new size %2")
                .arg(oldSize)
                .arg(newSize));
    const uint64_t expected = consistencyProofLength(oldSize, newSize);
    if (proof.size() != expected)
        return verificationError(
            QStringLiteral("wrong proof length: sizes %1 -> %2 need %3 hashes, got %4")
                .arg(oldSize)
                .arg(newSize)
                .arg(expected)
                .arg(proof.size()));
    if (oldSize == 0) {
        if (oldRoot != emptyTreeHash())
            return verificationError(
                QStringLiteral("old root mismatch: a tree of size 0 has the empty-tree hash"));
        return {};
    }
    if (oldSize == newSize) {
        if (oldRoot != newRoot)
            return verificationError(
                QStringLiteral("new root mismatch: equal sizes %1 with different roots")
                    .arg(oldSize));
        return {};
    }

    const bool seedIsOldRoot = std::has_single_bit(oldSize);
    const Hash seed = seedIsOldRoot ? oldRoot : proof[0];
    const std::span<const Hash> rest = seedIsOldRoot ? proof : proof.subspan(1);
    uint64_t fn = oldSize - 1;
    uint64_t sn = newSize - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    Hash fr = seed;
    Hash sr = seed;
    for (const Hash &c : rest) {
        if (sn == 0)
            return verificationError(QStringLiteral("wrong proof length: too many hashes"));
        if ((fn & 1) || fn == sn) {
            fr = nodeHash(c, fr);
            sr = nodeHash(c, sr);
            while ((fn & 1) == 0 && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            sr = nodeHash(sr, c);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0)
        return verificationError(QStringLiteral("wrong proof length: too few hashes"));
    if (fr != oldRoot)
        return verificationError(
            QStringLiteral("old root mismatch: the proof leads to %1 for size %2, expected %3")
                .arg(toHex(fr))
                .arg(oldSize)
                .arg(toHex(oldRoot)));
    if (sr != newRoot)
        return verificationError(
            QStringLiteral("new root mismatch: the proof leads to %1 for size %2, expected %3")
                .arg(toHex(sr))
                .arg(newSize)
                .arg(toHex(newRoot)));
    return {};
}

} // namespace upcoach::compliance
