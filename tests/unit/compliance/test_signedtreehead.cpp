// Ed25519 signed tree heads: the signed byte layout, round trips, and every single change to
// what was signed (or who signed it) making verification fail.
#include "upcoach/compliance/merkle.h"
#include "upcoach/compliance/signedtreehead.h"

#include <QTest>

using namespace upcoach;
using namespace upcoach::compliance;

namespace {

// QVERIFY2 evaluates its message even on success, so never touch error() of a good Result.
template<typename R> QByteArray why(const R &result)
{
    return result.ok() ? QByteArray() : result.error().message.toUtf8();
}

TreeHead sampleHead()
{
    TreeHead head;
    head.treeSize = 1234567;
    head.timestamp = QDateTime(QDate(2026, 3, 14), QTime(15, 9, 26, 535), Qt::UTC);
    head.rootHash = leafHash("root");
    return head;
}

} // namespace

class TestSignedTreeHead : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void signingBytesFollowTheDocumentedLayout()
    {
        const TreeHead head = sampleHead();
        Result<QByteArray> bytes = treeHeadSigningBytes(head);
        QVERIFY(bytes.ok());
        QCOMPARE(bytes->size(), 65);
        QCOMPARE(bytes->left(16), QByteArray("upcoach-audit-th"));
        QCOMPARE(bytes->at(16), '\x01');
        QCOMPARE(bytes->mid(17, 8).toHex(), QByteArray("000000000012d687")); // 1234567
        const qint64 ms = head.timestamp.toMSecsSinceEpoch();
        QCOMPARE(ms, Q_INT64_C(1773500966535));
        QCOMPARE(bytes->mid(25, 8).toHex(), QByteArray("0000019cece52687"));
        QCOMPARE(bytes->mid(33), toBytes(head.rootHash));

        TreeHead invalid = head;
        invalid.timestamp = QDateTime();
        QVERIFY(!treeHeadSigningBytes(invalid).ok());
        invalid.timestamp = QDateTime(QDate(1969, 12, 31), QTime(23, 59), Qt::UTC);
        QVERIFY(!treeHeadSigningBytes(invalid).ok());
        // The same instant in another zone signs the same bytes.
        TreeHead shifted = head;
        shifted.timestamp = head.timestamp.toOffsetFromUtc(3600 * 5);
        QCOMPARE(*treeHeadSigningBytes(shifted), *bytes);
    }

    void signAndVerifyRoundTrip()
    {
        Result<Ed25519Signer> signer = Ed25519Signer::generate();
        QVERIFY(signer.ok());
        const QByteArray publicKey = signer->publicKeyRaw();
        QCOMPARE(publicKey.size(), kEd25519PublicKeySize);
        const TreeHead head = sampleHead();
        Result<QByteArray> signature = signer->sign(head);
        QVERIFY(signature.ok());
        QCOMPARE(signature->size(), kEd25519SignatureSize);
        const Status good = verifyTreeHead(head, *signature, publicKey);
        QVERIFY2(good.ok(), why(good).constData());
        // Ed25519 is deterministic.
        QCOMPARE(*signer->sign(head), *signature);
    }

    void anyChangeFailsVerification()
    {
        Result<Ed25519Signer> signer = Ed25519Signer::generate();
        QVERIFY(signer.ok());
        const QByteArray publicKey = signer->publicKeyRaw();
        const TreeHead head = sampleHead();
        const QByteArray signature = *signer->sign(head);

        TreeHead changed = head;
        changed.treeSize += 1;
        QVERIFY(!verifyTreeHead(changed, signature, publicKey).ok());
        changed = head;
        changed.timestamp = head.timestamp.addMSecs(1);
        QVERIFY(!verifyTreeHead(changed, signature, publicKey).ok());
        for (size_t byte = 0; byte < 32; ++byte) {
            changed = head;
            changed.rootHash[byte] ^= 0x80;
            QVERIFY(!verifyTreeHead(changed, signature, publicKey).ok());
        }
        for (int byte = 0; byte < signature.size(); ++byte) {
            QByteArray bad = signature;
            bad[byte] = char(bad[byte] ^ 0x01);
            const Status s = verifyTreeHead(head, bad, publicKey);
            QVERIFY(!s.ok());
            QCOMPARE(s.error().code, ErrorCode::InvalidInput);
        }
        Result<Ed25519Signer> other = Ed25519Signer::generate();
        QVERIFY(other.ok());
        QVERIFY(other->publicKeyRaw() != publicKey);
        QVERIFY(!verifyTreeHead(head, signature, other->publicKeyRaw()).ok());
        QVERIFY(!verifyTreeHead(head, *other->sign(head), publicKey).ok());
        // Wrong lengths are errors, not crashes.
        QVERIFY(!verifyTreeHead(head, signature.left(63), publicKey).ok());
        QVERIFY(!verifyTreeHead(head, QByteArray(signature + '\0'), publicKey).ok());
        QVERIFY(!verifyTreeHead(head, QByteArray(), publicKey).ok());
        QVERIFY(!verifyTreeHead(head, signature, publicKey.left(31)).ok());
        QVERIFY(!verifyTreeHead(head, signature, QByteArray()).ok());
        QVERIFY(!verifyTreeHead(head, QByteArray(64, '\0'), QByteArray(32, '\0')).ok());
    }

    void savedKeyLoadsWithTheSamePublicKey()
    {
        Result<Ed25519Signer> signer = Ed25519Signer::generate();
        QVERIFY(signer.ok());
        Result<QByteArray> pem = signer->privateKeyPem();
        QVERIFY(pem.ok());
        QVERIFY(pem->startsWith("-----BEGIN PRIVATE KEY-----"));
        Result<Ed25519Signer> loaded = Ed25519Signer::fromPrivateKeyPem(*pem);
        QVERIFY2(loaded.ok(), why(loaded).constData());
        QCOMPARE(loaded->publicKeyRaw(), signer->publicKeyRaw());
        const TreeHead head = sampleHead();
        QCOMPARE(*loaded->sign(head), *signer->sign(head));

        Result<QByteArray> publicPem = signer->publicKeyPem();
        QVERIFY(publicPem.ok());
        QVERIFY(publicPem->startsWith("-----BEGIN PUBLIC KEY-----"));
        Result<QByteArray> raw = ed25519PublicKeyFromPem(*publicPem);
        QVERIFY(raw.ok());
        QCOMPARE(*raw, signer->publicKeyRaw());

        // A signer can be moved without losing its key.
        Ed25519Signer moved = std::move(*loaded);
        QCOMPARE(moved.publicKeyRaw(), signer->publicKeyRaw());
    }

    void knownKeyGivesKnownPublicKey()
    {
        // RFC 8032 §7.1 TEST 1 secret key, wrapped as PKCS#8 (RFC 8410): the public key and the
        // signature of the empty message are published there.
        const QByteArray pem = "-----BEGIN PRIVATE KEY-----\n"
                               "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
                               "-----END PRIVATE KEY-----\n";
        Result<Ed25519Signer> signer = Ed25519Signer::fromPrivateKeyPem(pem);
        QVERIFY2(signer.ok(), why(signer).constData());
        QCOMPARE(signer->publicKeyRaw().toHex(),
                 QByteArray("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
    }

    void garbageKeysAreErrors()
    {
        const QList<QByteArray> garbage = {
            QByteArray(),
            QByteArray("not a pem"),
            QByteArray("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
            QByteArray("-----BEGIN PRIVATE KEY-----\n"),
            QByteArray(4096, '\xff'),
        };
        for (const QByteArray &g : garbage) {
            Result<Ed25519Signer> s = Ed25519Signer::fromPrivateKeyPem(g);
            QVERIFY(!s.ok());
            QCOMPARE(s.error().code, ErrorCode::InvalidInput);
            QVERIFY(!ed25519PublicKeyFromPem(g).ok());
        }
        // A valid key of another type is refused too (RFC 7748 §6.1 X25519 key: same size, wrong
        // use).
        const QByteArray x25519 =
            "-----BEGIN PRIVATE KEY-----\n"
            "MC4CAQAwBQYDK2VuBCIEIHcHbQpzGKV9PBbBclGyZkXfTC+H68CZKrF3+6UduSwq\n"
            "-----END PRIVATE KEY-----\n";
        Result<Ed25519Signer> wrongType = Ed25519Signer::fromPrivateKeyPem(x25519);
        QVERIFY(!wrongType.ok());
        // A public key PEM is not a private key, and vice versa.
        Result<Ed25519Signer> signer = Ed25519Signer::generate();
        QVERIFY(!Ed25519Signer::fromPrivateKeyPem(*signer->publicKeyPem()).ok());
        QVERIFY(!ed25519PublicKeyFromPem(*signer->privateKeyPem()).ok());
    }
};

QTEST_GUILESS_MAIN(TestSignedTreeHead)
#include "test_signedtreehead.moc"
