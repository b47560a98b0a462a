// The Merkle tree of the audit log, hashed exactly as RFC 9162 (Certificate Transparency 2.0)
// §2.1: leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left || right), the empty tree's
// hash is SHA-256 of the empty string. Proof generation takes the caller's leaf hashes as a span
// (storage is the caller's); verification needs only the proof, the sizes and the roots.
//
// Not thread-safe per object: a MerkleTree is owned by one writer. The free functions are
// reentrant (each thread hashes with its own OpenSSL digest context).
#pragma once

#include "upcoach/core/result.h"

#include <QByteArrayView>
#include <QString>
#include <QStringView>
#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace upcoach::compliance {

using Hash = std::array<unsigned char, 32>;

// SHA-256(0x00 || data): the hash of one audit event's canonical bytes.
Hash leafHash(QByteArrayView data);
// leafHash of the concatenation head + tail, without building it.
Hash leafHash(QByteArrayView head, QByteArrayView tail);
// SHA-256(0x01 || left || right).
Hash nodeHash(const Hash &left, const Hash &right);
// SHA-256 of the empty string: the root of the empty tree.
Hash emptyTreeHash();

// MTH(D[n]) of RFC 9162 §2.1.1 over already computed leaf hashes. O(n) hashes, no allocation.
Hash rootOf(std::span<const Hash> leafHashes);

// Lowercase hex, 64 characters.
QString toHex(const Hash &hash);
// Accepts exactly 64 hex digits (either case); anything else is InvalidInput.
Result<Hash> hashFromHex(QStringView hex);
// The 32 raw bytes.
QByteArray toBytes(const Hash &hash);
// Exactly 32 bytes, else InvalidInput.
Result<Hash> hashFromBytes(QByteArrayView bytes);

// An append-only tree that keeps only its frontier: the roots of the perfect subtrees that make
// up the current size (one per set bit of size(), at most 64). append() costs amortised one node
// hash (at most log2(n)); root() folds the frontier (at most popcount(size) - 1 hashes) once per
// size and caches it, so reading the root repeatedly costs nothing.
class MerkleTree
{
public:
    MerkleTree() = default;

    // Restores a tree from its size and frontier() (lowest level first), as saved by a log.
    static Result<MerkleTree> fromFrontier(uint64_t size, std::span<const Hash> frontier);

    void append(const Hash &leafHash);
    // append(), calling onCompleted(level, index, hash) for every interior node (level >= 1)
    // the new leaf completes, lowest level first: the perfect subtree of leaves
    // [index << level, (index + 1) << level). A log that stores interior nodes persists these.
    template<typename OnCompleted> void append(const Hash &leafHash, OnCompleted &&onCompleted)
    {
        Hash carry = leafHash;
        uint32_t level = 0;
        for (uint64_t bits = m_size; bits & 1; bits >>= 1, ++level) {
            carry = nodeHash(m_levels[level], carry);
            onCompleted(level + 1, m_size >> (level + 1), static_cast<const Hash &>(carry));
        }
        m_levels[level] = carry;
        ++m_size;
    }
    void appendData(QByteArrayView data) { append(leafHash(data)); }

    uint64_t size() const { return m_size; }
    // MTH of all leaves appended so far; emptyTreeHash() for an empty tree.
    Hash root() const;
    // The perfect-subtree roots, one per set bit of size(), from the lowest level (the
    // rightmost, smallest subtree) to the highest (the leftmost, largest).
    std::vector<Hash> frontier() const;

private:
    // m_levels[k] is the root of the perfect subtree of 2^k leaves while bit k of m_size is set.
    std::array<Hash, 64> m_levels{};
    uint64_t m_size = 0;
    mutable Hash m_root{};
    mutable uint64_t m_rootSize = UINT64_MAX; // the size m_root was computed for
};

// Leaves [begin, end) of the log.
struct LeafRange
{
    uint64_t begin = 0;
    uint64_t end = 0;
    uint64_t size() const { return end - begin; }
    bool operator==(const LeafRange &other) const = default;
};

// A perfect subtree: the 2^level leaves [index << level, (index + 1) << level). Level 0 is a
// leaf.
struct NodeId
{
    uint32_t level = 0;
    uint64_t index = 0;
    LeafRange range() const { return {index << level, (index + 1) << level}; }
    bool operator==(const NodeId &other) const = default;
};

// An RFC 9162 proof is the list of MTH of certain subtrees; which subtrees depends only on the
// sizes, never on the data. These give them in proof order, so a store can fetch every hash it
// needs in one round trip. Precondition: index < size, oldSize <= newSize.
std::vector<LeafRange> inclusionProofRanges(uint64_t index, uint64_t size);
std::vector<LeafRange> consistencyProofRanges(uint64_t oldSize, uint64_t newSize);

// The perfect subtrees whose roots make up MTH(range), leftmost (largest) first, appended to
// `out`. `range` must be a subtree that occurs in some RFC 9162 tree (every range in a proof
// and every prefix [0, n) is one): its begin is a multiple of the largest power of two not
// above its size.
void perfectSubtreesOf(LeafRange range, std::vector<NodeId> &out);

// MTH of a range from the roots of perfectSubtreesOf(range), in that order (a right fold).
// Precondition: roots is not empty.
Hash foldSubtreeRoots(std::span<const Hash> roots);

// Every perfect subtree root of a list of leaves, kept in memory (about 2n hashes), so any
// subtree root costs O(log n) and any proof O(log^2 n) instead of O(n). Built in one O(n) pass.
class MerkleNodeCache
{
public:
    explicit MerkleNodeCache(std::span<const Hash> leafHashes);
    uint64_t size() const { return m_levels.empty() ? 0 : m_levels[0].size(); }
    // Precondition: the node lies inside size().
    const Hash &node(NodeId id) const { return m_levels[id.level][id.index]; }
    // MTH(D[range]); range as for perfectSubtreesOf and inside size().
    Hash rangeRoot(LeafRange range) const;
    // As the free functions below, over the first treeSize leaves (treeSize <= size()).
    Result<std::vector<Hash>> inclusionProof(uint64_t index, uint64_t treeSize) const;
    Result<std::vector<Hash>> consistencyProof(uint64_t oldSize, uint64_t newSize) const;

private:
    std::vector<std::vector<Hash>> m_levels; // m_levels[l][i] = node (l, i)
};

// PATH(index, D[n]) of RFC 9162 §2.1.3.1: the audit path of leaf `index`, deepest sibling first.
// O(n) hashes (the sibling subtrees are recomputed from the leaf hashes). InvalidInput when index
// is not below leafHashes.size().
Result<std::vector<Hash>> inclusionProof(std::span<const Hash> leafHashes, uint64_t index);

// PROOF(oldSize, D[n]) of RFC 9162 §2.1.4.1 between the tree of the first oldSize leaves and the
// tree of all of them. Empty when oldSize is 0 or equals the size. InvalidInput when oldSize is
// larger than leafHashes.size().
Result<std::vector<Hash>> consistencyProof(std::span<const Hash> leafHashes, uint64_t oldSize);

// The number of hashes a valid proof has; verification rejects any other length up front.
uint64_t inclusionProofLength(uint64_t index, uint64_t treeSize);
uint64_t consistencyProofLength(uint64_t oldSize, uint64_t newSize);

// RFC 9162 §2.1.3.2. Errors (all InvalidInput) name what failed: "index out of range",
// "wrong proof length", "root mismatch".
Status verifyInclusion(const Hash &leaf, uint64_t index, uint64_t treeSize,
                       std::span<const Hash> proof, const Hash &root);

// RFC 9162 §2.1.4.2, extended to the trivial cases: oldSize == newSize needs an empty proof and
// equal roots; oldSize == 0 needs an empty proof and oldRoot == emptyTreeHash(). Errors (all
// InvalidInput) name what failed: "size out of range", "wrong proof length", "old root
// mismatch", "new root mismatch".
Status verifyConsistency(uint64_t oldSize, uint64_t newSize, const Hash &oldRoot,
                         const Hash &newRoot, std::span<const Hash> proof);

} // namespace upcoach::compliance
