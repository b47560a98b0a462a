// Field-level encryption throughput (FieldCipher: AAD build, AES-256-GCM under the tenant's
// cached data key, base64url value; decrypt parses, authenticates and decodes) against OpenSSL's
// own EVP AES-256-GCM on the same plaintexts with same-length AAD, measured in the same run. Also
// the cold path: a data key fetched from PostgreSQL and unwrapped by the keyring for every
// operation (cache disabled). Prints one JSON line.
//
//   build/tests/bench/bench_field_cipher [--values N] [--size BYTES] [--cold N]
#include "testcluster.h"
#include "upcoach/tenancy/fieldcipher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <cstdio>
#include <openssl/evp.h>

using namespace upcoach;
using namespace upcoach::tenancy;

namespace {

double perSecond(qint64 count, qint64 ns)
{
    return ns > 0 ? double(count) * 1e9 / double(ns) : 0.0;
}

// OpenSSL's EVP AES-256-GCM seal + open of each plaintext: the reference.
qint64 evpReference(const std::vector<QByteArray> &plaintexts, qsizetype aadBytes, bool &ok)
{
    unsigned char key[32], nonce[12], tag[16];
    for (int i = 0; i < 32; ++i)
        key[i] = static_cast<unsigned char>(i);
    const QByteArray aad(aadBytes, 'a');
    QByteArray ciphertext, output;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    QElapsedTimer timer;
    timer.start();
    ok = true;
    for (size_t i = 0; i < plaintexts.size(); ++i) {
        const QByteArray &plain = plaintexts[i];
        for (int b = 0; b < 12; ++b)
            nonce[b] = static_cast<unsigned char>(i >> (b % 8));
        ciphertext.resize(plain.size());
        output.resize(plain.size());
        int n = 0;
        auto *ct = reinterpret_cast<unsigned char *>(ciphertext.data());
        auto *out = reinterpret_cast<unsigned char *>(output.data());
        EVP_EncryptInit_ex2(ctx, EVP_aes_256_gcm(), key, nonce, nullptr);
        EVP_EncryptUpdate(ctx, nullptr, &n, reinterpret_cast<const unsigned char *>(aad.data()),
                          int(aad.size()));
        EVP_EncryptUpdate(ctx, ct, &n, reinterpret_cast<const unsigned char *>(plain.data()),
                          int(plain.size()));
        EVP_EncryptFinal_ex(ctx, ct + n, &n);
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag);
        EVP_DecryptInit_ex2(ctx, EVP_aes_256_gcm(), key, nonce, nullptr);
        EVP_DecryptUpdate(ctx, nullptr, &n, reinterpret_cast<const unsigned char *>(aad.data()),
                          int(aad.size()));
        EVP_DecryptUpdate(ctx, out, &n, ct, int(ciphertext.size()));
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag);
        ok = ok && EVP_DecryptFinal_ex(ctx, out + n, &n) == 1 && output == plain;
    }
    const qint64 ns = timer.nsecsElapsed();
    EVP_CIPHER_CTX_free(ctx);
    return ns;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int values = 200'000;
    int size = 256;
    int cold = 2'000;
    const QStringList args = app.arguments();
    if (const qsizetype at = args.indexOf(QStringLiteral("--values")); at >= 0)
        values = std::max(1, args.value(at + 1).toInt());
    if (const qsizetype at = args.indexOf(QStringLiteral("--size")); at >= 0)
        size = std::clamp(args.value(at + 1).toInt(), 0, int(FieldCipher::kMaxPlaintextBytes));
    if (const qsizetype at = args.indexOf(QStringLiteral("--cold")); at >= 0)
        cold = std::max(1, args.value(at + 1).toInt());

    testing::TestCluster cluster(1);
    if (!cluster.ok()) {
        std::fprintf(stderr, "cluster: %s\n", qPrintable(cluster.error()));
        return 1;
    }
    QTemporaryDir dir;
    auto keyring = LocalKeyringProvider::open(dir.filePath(QStringLiteral("tenant-keyring")));
    if (!keyring) {
        std::fprintf(stderr, "keyring: %s\n", qPrintable(keyring.error().message));
        return 1;
    }
    storage::ConnectionPool pool(cluster.endpoint());
    const QUuid tenant = QUuid::createUuid();
    auto inserted = pool.withConnection([&](pqxx::connection &c) {
        pqxx::work w(c);
        w.exec_params("INSERT INTO tenants (id, slug, display_name, kind, plan, state, "
                      "home_region, allowed_regions, isolation, provisioning) VALUES ($1, "
                      "'bench-tenant', 'Bench', 'organization', 'starter', 'active', "
                      "'us-east-1', ARRAY['us-east-1'], 'rls', 'ready')",
                      tenant.toString(QUuid::WithoutBraces).toStdString());
        w.commit();
    });
    TenantKeyStore store(pool, *keyring.value());
    if (!inserted || !store.createFirstKey(tenant)) {
        std::fprintf(stderr, "cannot create the bench tenant and its key\n");
        return 1;
    }
    FieldCipher cipher(store);

    std::vector<QByteArray> plaintexts;
    std::vector<FieldLocation> places;
    plaintexts.reserve(size_t(values));
    places.reserve(size_t(values));
    for (int i = 0; i < values; ++i) {
        QByteArray plain(size, char('a' + i % 26));
        plaintexts.push_back(plain);
        FieldLocation where;
        where.tenantId = tenant;
        where.table = QStringLiteral("coaching_notes");
        where.column = QStringLiteral("body");
        where.rowId = QStringLiteral("0190f0a4-0000-7000-8000-%1").arg(i, 12, 10, QLatin1Char('0'));
        places.push_back(where);
    }
    const qsizetype aadBytes = FieldCipher::associatedData(places[0], 1)->size();

    // Warm-up: the key is loaded once and cached.
    for (int i = 0; i < std::min(values, 1000); ++i)
        (void)cipher.decrypt(places[size_t(i)],
                             cipher.encrypt(places[size_t(i)], plaintexts[size_t(i)]).value());

    QElapsedTimer timer;
    timer.start();
    std::vector<QString> sealed;
    sealed.reserve(size_t(values));
    for (int i = 0; i < values; ++i)
        sealed.push_back(cipher.encrypt(places[size_t(i)], plaintexts[size_t(i)]).valueOr({}));
    const qint64 encryptNs = timer.nsecsElapsed();
    timer.restart();
    int failures = 0;
    for (int i = 0; i < values; ++i)
        failures += cipher.decrypt(places[size_t(i)], sealed[size_t(i)]).valueOr({}) ==
                            plaintexts[size_t(i)]
                        ? 0
                        : 1;
    const qint64 decryptNs = timer.nsecsElapsed();

    bool referenceOk = false;
    const qint64 referenceNs = evpReference(plaintexts, aadBytes, referenceOk);

    KeyStoreOptions uncached;
    uncached.cacheCapacity = 0;
    TenantKeyStore coldStore(pool, *keyring.value(), uncached);
    FieldCipher coldCipher(coldStore);
    const int coldCount = std::min(cold, values);
    timer.restart();
    for (int i = 0; i < coldCount; ++i)
        failures += coldCipher.decrypt(places[size_t(i)], sealed[size_t(i)]).ok() ? 0 : 1;
    const qint64 coldNs = timer.nsecsElapsed();

    const double fieldOps = perSecond(2LL * values, encryptNs + decryptNs);
    const double referenceOps = perSecond(2LL * values, referenceNs);
    QJsonObject out{
        {QStringLiteral("benchmark"), QStringLiteral("field_cipher")},
        {QStringLiteral("values"), values},
        {QStringLiteral("plaintextBytes"), size},
        {QStringLiteral("aadBytes"), int(aadBytes)},
        {QStringLiteral("encryptPerSecond"), perSecond(values, encryptNs)},
        {QStringLiteral("decryptPerSecond"), perSecond(values, decryptNs)},
        {QStringLiteral("fieldOpsPerSecond"), fieldOps},
        {QStringLiteral("referenceEvpOpsPerSecond"), referenceOps},
        {QStringLiteral("fieldVsReference"), referenceOps > 0 ? fieldOps / referenceOps : 0.0},
        {QStringLiteral("coldDecryptsPerSecond"), perSecond(coldCount, coldNs)},
        {QStringLiteral("coldDecrypts"), coldCount},
        {QStringLiteral("failures"), failures},
        {QStringLiteral("referenceOk"), referenceOk},
    };
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return failures == 0 && referenceOk ? 0 : 1;
}
