// The RFC 9162 Merkle tree of the audit log against an independent, deliberately naive
// implementation written here from the RFC's definitions (Qt's own SHA-256, plain recursion),
// and against the published Certificate Transparency reference vectors.
#include "upcoach/compliance/merkle.h"

#include <QCryptographicHash>
#include <QTest>
#include <bit>

using namespace upcoach;
using namespace upcoach::compliance;

namespace {

// ---- The naive reference, straight from RFC 9162 §2.1 ----

QByteArray sha(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
}

// "k is the largest power of two smaller than n"
qsizetype largestPowerOfTwoBelow(qsizetype n)
{
    qsizetype k = 1;
    while (k * 2 < n)
        k *= 2;
    return k;
}

QByteArray naiveMth(const QList<QByteArray> &d)
{
    if (d.isEmpty())
        return sha(QByteArray());
    if (d.size() == 1)
        return sha(QByteArray(1, '\x00') + d.first());
    const qsizetype k = largestPowerOfTwoBelow(d.size());
    return sha(QByteArray(1, '\x01') + naiveMth(d.mid(0, k)) + naiveMth(d.mid(k)));
}

// PATH(m, D[n]), §2.1.3.1
QList<QByteArray> naivePath(qsizetype m, const QList<QByteArray> &d)
{
    if (d.size() <= 1)
        return {};
    const qsizetype k = largestPowerOfTwoBelow(d.size());
    if (m < k)
        return naivePath(m, d.mid(0, k)) << naiveMth(d.mid(k));
    return naivePath(m - k, d.mid(k)) << naiveMth(d.mid(0, k));
}

// SUBPROOF(m, D[n], b), §2.1.4.1
QList<QByteArray> naiveSubproof(qsizetype m, const QList<QByteArray> &d, bool b)
{
    if (m == d.size())
        return b ? QList<QByteArray>{} : QList<QByteArray>{naiveMth(d)};
    const qsizetype k = largestPowerOfTwoBelow(d.size());
    if (m <= k)
        return naiveSubproof(m, d.mid(0, k), b) << naiveMth(d.mid(k));
    return naiveSubproof(m - k, d.mid(k), false) << naiveMth(d.mid(0, k));
}

// ---- Helpers ----

QList<QByteArray> testData(int n)
{
    QList<QByteArray> out;
    for (int i = 0; i < n; ++i)
        out << QByteArray("audit-event-") + QByteArray::number(i) + QByteArray(i % 5, char(i));
    return out;
}

std::vector<Hash> leafHashesOf(const QList<QByteArray> &data)
{
    std::vector<Hash> out;
    for (const QByteArray &d : data)
        out.push_back(leafHash(d));
    return out;
}

template<typename R> QByteArray why(const R &result)
{
    return result.ok() ? QByteArray() : result.error().message.toUtf8();
}

// The side of each sibling in PATH(m, D[n]), deepest first (true: the sibling is on the right).
// The RFC 9162 verifier only sees the index and the size through this sequence, so a proof is
// also accepted for another size with the same sequence: the size is bound to the root by the
// signed tree head, not by the proof.
QList<bool> naiveSides(qsizetype m, qsizetype n)
{
    if (n <= 1)
        return {};
    const qsizetype k = largestPowerOfTwoBelow(n);
    if (m < k)
        return naiveSides(m, k) << true;
    return naiveSides(m - k, n - k) << false;
}

QByteArray bytes(const Hash &h)
{
    return toBytes(h);
}

QList<QByteArray> bytesList(const std::vector<Hash> &hashes)
{
    QList<QByteArray> out;
    for (const Hash &h : hashes)
        out << toBytes(h);
    return out;
}

Hash fromHex(const char *hex)
{
    Result<Hash> h = hashFromHex(QString::fromLatin1(hex));
    Q_ASSERT(h.ok());
    return *h;
}

Hash flipped(Hash h, size_t byte)
{
    h[byte] ^= 0x01;
    return h;
}

const QList<QByteArray> kCtLeaves = {
    QByteArray(),
    QByteArray("\x00", 1),
    QByteArray("\x10"),
    QByteArray("\x20\x21"),
    QByteArray("\x30\x31"),
    QByteArray("\x40\x41\x42\x43"),
    QByteArray("\x50\x51\x52\x53\x54\x55\x56\x57"),
    QByteArray("\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f"),
};

// Published roots of the reference tree for sizes 0..8 (RFC 6962 test data of
// certificate-transparency-go / transparency-dev merkle).
const char *const kCtRoots[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

} // namespace

class TestMerkle : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hashesArePrefixedSha256()
    {
        const QByteArray data("event");
        QCOMPARE(bytes(leafHash(data)), sha(QByteArray(1, '\x00') + data));
        const Hash a = leafHash("a");
        const Hash b = leafHash("b");
        QCOMPARE(bytes(nodeHash(a, b)), sha(QByteArray(1, '\x01') + bytes(a) + bytes(b)));
        QCOMPARE(bytes(emptyTreeHash()), sha(QByteArray()));
        QCOMPARE(bytes(rootOf({})), sha(QByteArray()));
    }

    void rootMatchesNaiveMthForSizes0To70()
    {
        const QList<QByteArray> data = testData(70);
        const std::vector<Hash> leaves = leafHashesOf(data);
        MerkleTree tree;
        QCOMPARE(tree.size(), uint64_t(0));
        QCOMPARE(bytes(tree.root()), naiveMth({}));
        for (int n = 0; n <= 70; ++n) {
            const QByteArray expected = naiveMth(data.mid(0, n));
            QCOMPARE(bytes(rootOf(std::span(leaves).first(size_t(n)))), expected);
            QCOMPARE(tree.size(), uint64_t(n));
            QCOMPARE(bytes(tree.root()), expected);
            QCOMPARE(bytes(tree.root()), expected); // cached read gives the same
            if (n < 70)
                tree.append(leaves[size_t(n)]);
        }
    }

    void appendDataEqualsAppendOfLeafHash()
    {
        MerkleTree a;
        MerkleTree b;
        for (const QByteArray &d : testData(13)) {
            a.appendData(d);
            b.append(leafHash(d));
        }
        QCOMPARE(toHex(a.root()), toHex(b.root()));
    }

    void frontierRestoresTheTree()
    {
        const std::vector<Hash> leaves = leafHashesOf(testData(45));
        for (size_t cut = 0; cut <= 45; ++cut) {
            MerkleTree original;
            for (size_t i = 0; i < cut; ++i)
                original.append(leaves[i]);
            const std::vector<Hash> frontier = original.frontier();
            QCOMPARE(frontier.size(), size_t(std::popcount(cut)));
            Result<MerkleTree> restored = MerkleTree::fromFrontier(cut, frontier);
            QVERIFY(restored.ok());
            QCOMPARE(toHex(restored->root()), toHex(original.root()));
            for (size_t i = cut; i < 45; ++i) {
                original.append(leaves[i]);
                restored->append(leaves[i]);
            }
            QCOMPARE(toHex(restored->root()), toHex(original.root()));
            QCOMPARE(toHex(restored->root()), toHex(rootOf(leaves)));
        }
        const std::vector<Hash> two(2, leaves[0]);
        QVERIFY(!MerkleTree::fromFrontier(5, std::span(two).first(1)).ok());
        QVERIFY(!MerkleTree::fromFrontier(4, two).ok());
    }

    void certificateTransparencyReferenceRoots()
    {
        const std::vector<Hash> leaves = leafHashesOf(kCtLeaves);
        MerkleTree tree;
        for (size_t n = 0; n <= 8; ++n) {
            const QString expected = QString::fromLatin1(kCtRoots[n]);
            QCOMPARE(toHex(rootOf(std::span(leaves).first(n))), expected);
            QCOMPARE(toHex(tree.root()), expected);
            QCOMPARE(naiveMth(kCtLeaves.mid(0, qsizetype(n))).toHex(), expected.toLatin1());
            if (n < 8)
                tree.append(leaves[n]);
        }
    }

    void certificateTransparencyReferenceProofs()
    {
        const std::vector<Hash> leaves = leafHashesOf(kCtLeaves);
        const Hash root8 = fromHex(kCtRoots[8]);
        // Inclusion of leaves 0 and 5 in the tree of 8 (transparency-dev merkle test data).
        const std::vector<Hash> path0 = {
            fromHex("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            fromHex("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            fromHex("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        };
        const std::vector<Hash> path5 = {
            fromHex("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            fromHex("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            fromHex("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        };
        QCOMPARE(bytesList(*inclusionProof(leaves, 0)), bytesList(path0));
        QCOMPARE(bytesList(*inclusionProof(leaves, 5)), bytesList(path5));
        QVERIFY(verifyInclusion(leaves[0], 0, 8, path0, root8).ok());
        QVERIFY(verifyInclusion(leaves[5], 5, 8, path5, root8).ok());
        // Consistency 1 -> 8 and 2 -> 8.
        QCOMPARE(bytesList(*consistencyProof(leaves, 1)), bytesList(path0));
        const std::vector<Hash> proof2 = {path0[1], path0[2]};
        QCOMPARE(bytesList(*consistencyProof(leaves, 2)), bytesList(proof2));
        QVERIFY(verifyConsistency(1, 8, fromHex(kCtRoots[1]), root8, path0).ok());
        QVERIFY(verifyConsistency(2, 8, fromHex(kCtRoots[2]), root8, proof2).ok());
    }

    void inclusionProofsVerifyAndTamperingFails()
    {
        const QList<QByteArray> data = testData(40);
        const std::vector<Hash> all = leafHashesOf(data);
        const Hash stranger = leafHash("not in the log");
        for (uint64_t n = 1; n <= 40; ++n) {
            const std::span<const Hash> leaves = std::span(all).first(size_t(n));
            const Hash root = rootOf(leaves);
            for (uint64_t i = 0; i < n; ++i) {
                Result<std::vector<Hash>> proof = inclusionProof(leaves, i);
                QVERIFY(proof.ok());
                const std::vector<Hash> &p = *proof;
                QCOMPARE(bytesList(p), naivePath(qsizetype(i), data.mid(0, qsizetype(n))));
                QCOMPARE(uint64_t(p.size()), inclusionProofLength(i, n));
                const Status good = verifyInclusion(leaves[i], i, n, p, root);
                QVERIFY2(good.ok(), why(good).constData());

                for (size_t e = 0; e < p.size(); ++e) {
                    for (size_t byte = 0; byte < 32; ++byte) {
                        std::vector<Hash> bad = p;
                        bad[e] = flipped(bad[e], byte);
                        QVERIFY(!verifyInclusion(leaves[i], i, n, bad, root).ok());
                    }
                }
                for (uint64_t j = 0; j < n; ++j) {
                    if (j != i)
                        QVERIFY(!verifyInclusion(leaves[i], j, n, p, root).ok());
                }
                for (uint64_t m = 1; m <= 41; ++m) {
                    if (m == n)
                        continue;
                    const bool sameShape = i < m && naiveSides(qsizetype(i), qsizetype(m)) ==
                                                        naiveSides(qsizetype(i), qsizetype(n));
                    QCOMPARE(verifyInclusion(leaves[i], i, m, p, root).ok(), sameShape);
                    // With the root of the tree that really has m leaves, it always fails.
                    if (m <= 40)
                        QVERIFY(!verifyInclusion(leaves[i], i, m, p,
                                                 rootOf(std::span(all).first(size_t(m))))
                                     .ok());
                }
                if (!p.empty()) {
                    const Status shortProof =
                        verifyInclusion(leaves[i], i, n, std::span(p).first(p.size() - 1), root);
                    QVERIFY(!shortProof.ok());
                    QVERIFY(shortProof.error().message.startsWith(u"wrong proof length"));
                }
                std::vector<Hash> longer = p;
                longer.push_back(root);
                const Status longProof = verifyInclusion(leaves[i], i, n, longer, root);
                QVERIFY(!longProof.ok());
                QVERIFY(longProof.error().message.startsWith(u"wrong proof length"));

                const Status wrongLeaf = verifyInclusion(stranger, i, n, p, root);
                QVERIFY(!wrongLeaf.ok());
                QVERIFY(wrongLeaf.error().message.startsWith(u"root mismatch"));
                QVERIFY(!verifyInclusion(leaves[i], i, n, p, flipped(root, 31)).ok());
            }
            const Status outOfRange = verifyInclusion(leaves[0], n, n, {}, root);
            QVERIFY(!outOfRange.ok());
            QCOMPARE(outOfRange.error().code, ErrorCode::InvalidInput);
            QVERIFY(outOfRange.error().message.startsWith(u"index out of range"));
            QVERIFY(!inclusionProof(leaves, n).ok());
        }
        QVERIFY(!inclusionProof({}, 0).ok());
        QVERIFY(!verifyInclusion(stranger, 0, 0, {}, emptyTreeHash()).ok());
    }

    void consistencyProofsVerifyAndTamperingFails()
    {
        const QList<QByteArray> data = testData(40);
        const std::vector<Hash> all = leafHashesOf(data);
        std::vector<Hash> roots;
        for (size_t n = 0; n <= 40; ++n)
            roots.push_back(rootOf(std::span(all).first(n)));

        for (uint64_t n = 1; n <= 40; ++n) {
            const std::span<const Hash> leaves = std::span(all).first(size_t(n));
            for (uint64_t m = 1; m <= n; ++m) {
                Result<std::vector<Hash>> proof = consistencyProof(leaves, m);
                QVERIFY(proof.ok());
                const std::vector<Hash> &p = *proof;
                QCOMPARE(bytesList(p),
                         naiveSubproof(qsizetype(m), data.mid(0, qsizetype(n)), true));
                QCOMPARE(uint64_t(p.size()), consistencyProofLength(m, n));
                if (m == n)
                    QVERIFY(p.empty());
                const Status good = verifyConsistency(m, n, roots[m], roots[n], p);
                QVERIFY2(good.ok(), why(good).constData());

                for (size_t e = 0; e < p.size(); ++e) {
                    for (size_t byte = 0; byte < 32; byte += 7) {
                        std::vector<Hash> bad = p;
                        bad[e] = flipped(bad[e], byte);
                        QVERIFY(!verifyConsistency(m, n, roots[m], roots[n], bad).ok());
                    }
                }
                const Status wrongOld = verifyConsistency(m, n, flipped(roots[m], 0), roots[n], p);
                QVERIFY(!wrongOld.ok());
                const Status wrongNew = verifyConsistency(m, n, roots[m], flipped(roots[n], 0), p);
                QVERIFY(!wrongNew.ok());
                if (m < n) {
                    QVERIFY(wrongNew.error().message.startsWith(u"new root mismatch"));
                    // Another tree's root at the old size, or the old root of a different size.
                    QVERIFY(!verifyConsistency(m, n, roots[m - 1], roots[n], p).ok());
                    QVERIFY(!verifyConsistency(m, n, roots[n], roots[n], p).ok());
                    const Status shortProof = verifyConsistency(m, n, roots[m], roots[n],
                                                                std::span(p).first(p.size() - 1));
                    QVERIFY(!shortProof.ok());
                    QVERIFY(shortProof.error().message.startsWith(u"wrong proof length"));
                }
                std::vector<Hash> longer = p;
                longer.push_back(roots[n]);
                const Status longProof = verifyConsistency(m, n, roots[m], roots[n], longer);
                QVERIFY(!longProof.ok());
                QVERIFY(longProof.error().message.startsWith(u"wrong proof length"));
                // A valid proof for other sizes does not pass for these.
                if (n < 40)
                    QVERIFY(!verifyConsistency(m, n + 1, roots[m], roots[n + 1], p).ok());
            }
            // From the empty tree: the empty proof, with the empty-tree hash as old root.
            QVERIFY(consistencyProof(leaves, 0)->empty());
            QVERIFY(verifyConsistency(0, n, emptyTreeHash(), roots[n], {}).ok());
            QVERIFY(!verifyConsistency(0, n, roots[n], roots[n], {}).ok());
            const Status backwards = verifyConsistency(n + 1, n, roots[n], roots[n], {});
            QVERIFY(!backwards.ok());
            QVERIFY(backwards.error().message.startsWith(u"size out of range"));
            QVERIFY(!consistencyProof(leaves, n + 1).ok());
        }
    }

    // The node cache and the range form of proofs give exactly the naive RFC 9162 proofs; the
    // nodes reported by append() are exactly the cache's perfect subtrees.
    void nodeCacheAndRangeProofsMatchNaive()
    {
        const QList<QByteArray> data = testData(37);
        const std::vector<Hash> all = leafHashesOf(data);
        const MerkleNodeCache cache(all);
        QCOMPARE(cache.size(), uint64_t(37));
        for (uint64_t n = 1; n <= 37; ++n) {
            QCOMPARE(bytes(cache.rangeRoot({0, n})), naiveMth(data.mid(0, qsizetype(n))));
            for (uint64_t i = 0; i < n; ++i) {
                Result<std::vector<Hash>> proof = cache.inclusionProof(i, n);
                QVERIFY(proof.ok());
                QCOMPARE(bytesList(*proof), naivePath(qsizetype(i), data.mid(0, qsizetype(n))));
                // The ranges are subtrees whose perfect decomposition folds to their MTH.
                for (const LeafRange &r : inclusionProofRanges(i, n)) {
                    std::vector<NodeId> nodes;
                    perfectSubtreesOf(r, nodes);
                    std::vector<Hash> roots;
                    for (const NodeId &id : nodes) {
                        QVERIFY(id.range().begin >= r.begin && id.range().end <= r.end);
                        roots.push_back(cache.node(id));
                    }
                    QCOMPARE(bytes(foldSubtreeRoots(roots)),
                             naiveMth(data.mid(qsizetype(r.begin), qsizetype(r.size()))));
                }
            }
            for (uint64_t m = 0; m <= n; ++m) {
                Result<std::vector<Hash>> proof = cache.consistencyProof(m, n);
                QVERIFY(proof.ok());
                const QList<QByteArray> expected =
                    (m == 0 || m == n)
                        ? QList<QByteArray>{}
                        : naiveSubproof(qsizetype(m), data.mid(0, qsizetype(n)), true);
                QCOMPARE(bytesList(*proof), expected);
            }
        }
        QVERIFY(!cache.inclusionProof(5, 38).ok());
        QVERIFY(!cache.inclusionProof(5, 5).ok());
        QVERIFY(!cache.consistencyProof(6, 5).ok());

        MerkleTree tree;
        int reported = 0;
        for (const Hash &leaf : all) {
            tree.append(leaf, [&](uint32_t level, uint64_t index, const Hash &hash) {
                ++reported;
                QVERIFY(level >= 1);
                QCOMPARE(toHex(hash), toHex(cache.node({level, index})));
            });
        }
        QCOMPARE(reported, 37 - std::popcount(37u)); // n - popcount(n) interior nodes complete
        QCOMPARE(toHex(tree.root()), toHex(rootOf(all)));
    }

    void hexRoundTripAndBadHex()
    {
        const Hash h = leafHash("x");
        QCOMPARE(toHex(h), QString::fromLatin1(sha(QByteArray(1, '\x00') + "x").toHex()));
        QCOMPARE(toHex(*hashFromHex(toHex(h))), toHex(h));
        QCOMPARE(toHex(*hashFromHex(toHex(h).toUpper())), toHex(h));
        QVERIFY(!hashFromHex(QStringLiteral("abc")).ok());
        QString bad = toHex(h);
        bad[10] = u'g';
        QVERIFY(!hashFromHex(bad).ok());
        QCOMPARE(toHex(*hashFromBytes(toBytes(h))), toHex(h));
        QVERIFY(!hashFromBytes(QByteArray(31, 'a')).ok());
    }
};

QTEST_GUILESS_MAIN(TestMerkle)
#include "test_merkle.moc"
