// Throughput of the audit log's Merkle tree against a reference measured in the same run: plain
// OpenSSL SHA-256 (one-shot EVP_Digest) of the same leaf inputs. Prints one JSON line.
//
//   build/tests/bench/bench_merkle [--leaves N]
#include "upcoach/compliance/merkle.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>
#include <cstring>
#include <openssl/evp.h>
#include <vector>

using namespace upcoach::compliance;

namespace {

// A deterministic ~120-byte input per leaf, the size of a compact canonical audit event.
std::vector<QByteArray> makeInputs(size_t count)
{
    std::vector<QByteArray> out;
    out.reserve(count);
    for (size_t i = 0; i < count; ++i) {
        QByteArray event = QByteArray("{\"seq\":") + QByteArray::number(qulonglong(i)) +
                           QByteArray(",\"tenant\":\"t-0042\",\"actor\":\"u-") +
                           QByteArray::number(qulonglong(i * 2654435761u % 100000)) +
                           QByteArray("\",\"action\":\"tenant.settings.update\",\"ts\":") +
                           QByteArray::number(qulonglong(1773500966535ull + i)) + '}';
        out.push_back(event);
    }
    return out;
}

double perSecond(size_t count, qint64 nanoseconds)
{
    return nanoseconds > 0 ? double(count) * 1e9 / double(nanoseconds) : 0.0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    size_t leaves = 1000000;
    const QStringList args = app.arguments();
    const qsizetype at = args.indexOf(QStringLiteral("--leaves"));
    if (at >= 0 && at + 1 < args.size())
        leaves = size_t(args.at(at + 1).toULongLong());

    const std::vector<QByteArray> inputs = makeInputs(leaves);
    unsigned char sink = 0;
    QElapsedTimer timer;

    // Reference: plain SHA-256 of each input, the simplest thing OpenSSL offers.
    timer.start();
    for (const QByteArray &input : inputs) {
        unsigned char digest[32];
        unsigned int length = 0;
        EVP_Digest(input.constData(), size_t(input.size()), digest, &length, EVP_sha256(), nullptr);
        sink ^= digest[0];
    }
    const qint64 rawNs = timer.nsecsElapsed();

    // Fair reference: the same SHA-256 with the algorithm fetched once and one context reused
    // (EVP_Digest above fetches SHA-256 from the provider on every call).
    EVP_MD *md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    timer.start();
    for (const QByteArray &input : inputs) {
        unsigned char digest[32];
        unsigned int length = 0;
        EVP_DigestInit_ex2(ctx, md, nullptr);
        EVP_DigestUpdate(ctx, input.constData(), size_t(input.size()));
        EVP_DigestFinal_ex(ctx, digest, &length);
        sink ^= digest[0];
    }
    const qint64 rawReusedNs = timer.nsecsElapsed();
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);

    // Leaf hashing (0x00 prefix) of the same inputs.
    std::vector<Hash> leafHashes(leaves);
    timer.start();
    for (size_t i = 0; i < leaves; ++i)
        leafHashes[i] = leafHash(inputs[i]);
    const qint64 leafNs = timer.nsecsElapsed();

    // Appending the precomputed leaf hashes (amortised one node hash each).
    MerkleTree tree;
    timer.start();
    for (const Hash &h : leafHashes)
        tree.append(h);
    const qint64 appendNs = timer.nsecsElapsed();
    const Hash root = tree.root();
    sink ^= root[0];

    // The whole per-event cost: leaf hash plus append.
    MerkleTree tree2;
    timer.start();
    for (const QByteArray &input : inputs)
        tree2.appendData(input);
    const qint64 fullNs = timer.nsecsElapsed();
    const bool sameRoot = tree2.root() == root && rootOf(leafHashes) == root;

    // Inclusion proofs: generation is O(n) from the leaf hashes; verification is O(log n).
    const size_t proofCount = 16;
    std::vector<std::vector<Hash>> proofs;
    std::vector<uint64_t> indices;
    timer.start();
    for (size_t k = 0; k < proofCount; ++k) {
        const uint64_t index = (uint64_t(k) * 7919 * 104729) % leaves;
        indices.push_back(index);
        proofs.push_back(*inclusionProof(leafHashes, index));
    }
    const qint64 proveNs = timer.nsecsElapsed();
    const size_t verifications = 200000;
    size_t verified = 0;
    timer.start();
    for (size_t v = 0; v < verifications; ++v) {
        const size_t k = v % proofCount;
        if (verifyInclusion(leafHashes[indices[k]], indices[k], leaves, proofs[k], root).ok())
            ++verified;
    }
    const qint64 verifyNs = timer.nsecsElapsed();

    QJsonObject out{
        {QStringLiteral("bench"), QStringLiteral("merkle")},
        {QStringLiteral("leaves"), qint64(leaves)},
        {QStringLiteral("reference_raw_sha256_per_s"), qRound64(perSecond(leaves, rawNs))},
        {QStringLiteral("reference_raw_sha256_reused_ctx_per_s"),
         qRound64(perSecond(leaves, rawReusedNs))},
        {QStringLiteral("leaf_hash_per_s"), qRound64(perSecond(leaves, leafNs))},
        {QStringLiteral("append_leaf_hash_per_s"), qRound64(perSecond(leaves, appendNs))},
        {QStringLiteral("leaf_hash_plus_append_per_s"), qRound64(perSecond(leaves, fullNs))},
        {QStringLiteral("time_ratio_vs_raw_sha256"), double(fullNs) / double(rawNs)},
        {QStringLiteral("time_ratio_vs_raw_sha256_reused_ctx"),
         double(fullNs) / double(rawReusedNs)},
        {QStringLiteral("inclusion_proof_generation_ms"),
         double(proveNs) / 1e6 / double(proofCount)},
        {QStringLiteral("inclusion_proof_length"), qint64(proofs.front().size())},
        {QStringLiteral("inclusion_verify_per_s"), qRound64(perSecond(verifications, verifyNs))},
        {QStringLiteral("all_verified"), verified == verifications},
        {QStringLiteral("roots_agree"), sameRoot},
        {QStringLiteral("root"), toHex(root)},
        {QStringLiteral("sink"), int(sink)},
    };
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return verified == verifications && sameRoot ? 0 : 1;
}
