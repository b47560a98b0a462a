// AES-256-GCM (core crypto): known answers from the GCM specification, round trips, and every
// kind of tampering rejected with no plaintext released.
#include "upcoach/core/crypto.h"

#include <QTest>

using namespace upcoach;

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text));
}

QByteArray flipBit(QByteArray bytes, qsizetype index, int bit = 0)
{
    bytes[index] = char(bytes.at(index) ^ (1 << bit));
    return bytes;
}

QByteArray testKey()
{
    return hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
}

} // namespace

class TestAesGcm : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 13, 14 and 16 (the
    // 256-bit key ones), also cross-checked with Python's cryptography package.
    void knownAnswers_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("nonce");
        QTest::addColumn<QByteArray>("plaintext");
        QTest::addColumn<QByteArray>("aad");
        QTest::addColumn<QByteArray>("ciphertext");
        QTest::addColumn<QByteArray>("tag");
        QTest::newRow("case 13: empty")
            << QByteArray(32, '\0') << QByteArray(12, '\0') << QByteArray() << QByteArray()
            << QByteArray() << hex("530f8afbc74536b9a963b4f1c4cb738b");
        QTest::newRow("case 14: one zero block")
            << QByteArray(32, '\0') << QByteArray(12, '\0') << QByteArray(16, '\0') << QByteArray()
            << hex("cea7403d4d606b6e074ec5d3baf39d18") << hex("d0d1c8a799996bf0265b98b5d48ab919");
        QTest::newRow("case 16: with aad")
            << hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
            << hex("cafebabefacedbaddecaf888")
            << hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                   "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")
            << hex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
            << hex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                   "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662")
            << hex("76fc6ece0f4e1768cddf8853bb2d551b");
    }

    void knownAnswers()
    {
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, nonce);
        QFETCH(QByteArray, plaintext);
        QFETCH(QByteArray, aad);
        QFETCH(QByteArray, ciphertext);
        QFETCH(QByteArray, tag);
        auto sealed = crypto::aesGcmEncrypt(key, nonce, plaintext, aad);
        QVERIFY2(sealed.ok(), sealed.ok() ? "" : qPrintable(sealed.error().message));
        QCOMPARE(sealed->nonce.toHex(), nonce.toHex());
        QCOMPARE(sealed->ciphertext.toHex(), ciphertext.toHex());
        QCOMPARE(sealed->tag.toHex(), tag.toHex());
        auto opened = crypto::aesGcmDecrypt(key, nonce, ciphertext, tag, aad);
        QVERIFY(opened.ok());
        QCOMPARE(opened.value(), plaintext);
    }

    void roundTripUsesFreshNonces()
    {
        const QByteArray plaintext("coaching note: the client prefers mornings");
        const QByteArray aad("tenant=1;table=notes");
        auto first = crypto::aesGcmEncrypt(testKey(), plaintext, aad);
        auto second = crypto::aesGcmEncrypt(testKey(), plaintext, aad);
        QVERIFY(first.ok() && second.ok());
        QCOMPARE(first->nonce.size(), crypto::kAesGcmNonceBytes);
        QCOMPARE(first->tag.size(), crypto::kAesGcmTagBytes);
        QCOMPARE(first->ciphertext.size(), plaintext.size());
        QVERIFY(first->nonce != second->nonce);
        QVERIFY(first->ciphertext != second->ciphertext);
        QVERIFY(!first->ciphertext.contains("coaching"));
        for (const auto *sealed : {&first.value(), &second.value()}) {
            auto opened = crypto::aesGcmDecrypt(testKey(), sealed->nonce, sealed->ciphertext,
                                                sealed->tag, aad);
            QVERIFY(opened.ok());
            QCOMPARE(opened.value(), plaintext);
        }
    }

    void tamperingIsRejected_data()
    {
        QTest::addColumn<QString>("what");
        QTest::newRow("ciphertext first byte") << QStringLiteral("ct0");
        QTest::newRow("ciphertext last byte") << QStringLiteral("ctN");
        QTest::newRow("ciphertext truncated") << QStringLiteral("ctShort");
        QTest::newRow("ciphertext extended") << QStringLiteral("ctLong");
        QTest::newRow("tag bit") << QStringLiteral("tag");
        QTest::newRow("tag last bit") << QStringLiteral("tag127");
        QTest::newRow("nonce") << QStringLiteral("nonce");
        QTest::newRow("aad changed") << QStringLiteral("aad");
        QTest::newRow("aad dropped") << QStringLiteral("noAad");
        QTest::newRow("wrong key") << QStringLiteral("key");
        QTest::newRow("key one bit off") << QStringLiteral("keyBit");
    }

    void tamperingIsRejected()
    {
        QFETCH(QString, what);
        const QByteArray aad("tenant=7;row=42");
        auto sealed = crypto::aesGcmEncrypt(testKey(), QByteArray(100, 'p'), aad);
        QVERIFY(sealed.ok());
        QByteArray key = testKey(), nonce = sealed->nonce, ciphertext = sealed->ciphertext,
                   tag = sealed->tag, usedAad = aad;
        if (what == QLatin1String("ct0"))
            ciphertext = flipBit(ciphertext, 0);
        else if (what == QLatin1String("ctN"))
            ciphertext = flipBit(ciphertext, ciphertext.size() - 1, 7);
        else if (what == QLatin1String("ctShort"))
            ciphertext.chop(1);
        else if (what == QLatin1String("ctLong"))
            ciphertext.append('\0');
        else if (what == QLatin1String("tag"))
            tag = flipBit(tag, 0);
        else if (what == QLatin1String("tag127"))
            tag = flipBit(tag, 15, 7);
        else if (what == QLatin1String("nonce"))
            nonce = flipBit(nonce, 11);
        else if (what == QLatin1String("aad"))
            usedAad = QByteArray("tenant=7;row=43");
        else if (what == QLatin1String("noAad"))
            usedAad.clear();
        else if (what == QLatin1String("key"))
            key = QByteArray(32, 'k');
        else if (what == QLatin1String("keyBit"))
            key = flipBit(key, 31);
        auto opened = crypto::aesGcmDecrypt(key, nonce, ciphertext, tag, usedAad);
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().code, ErrorCode::Unauthorized);
        QVERIFY(opened.error().message.contains(QStringLiteral("authentication failed")));
    }

    void badSizesAreInvalidInput()
    {
        const QByteArray nonce(12, 'n');
        auto shortKey = crypto::aesGcmEncrypt(QByteArray(16, 'k'), nonce, "x", {});
        QCOMPARE(shortKey.error().code, ErrorCode::InvalidInput);
        QVERIFY(shortKey.error().message.contains(QStringLiteral("32-byte key")));
        auto longNonce = crypto::aesGcmEncrypt(testKey(), QByteArray(16, 'n'), "x", {});
        QCOMPARE(longNonce.error().code, ErrorCode::InvalidInput);
        QVERIFY(longNonce.error().message.contains(QStringLiteral("12-byte nonce")));
        auto shortTag =
            crypto::aesGcmDecrypt(testKey(), nonce, QByteArray("x"), QByteArray(12, 't'), {});
        QCOMPARE(shortTag.error().code, ErrorCode::InvalidInput);
        QVERIFY(shortTag.error().message.contains(QStringLiteral("16-byte tag")));
        auto emptyKey = crypto::aesGcmDecrypt({}, nonce, QByteArray("x"), QByteArray(16, 't'), {});
        QCOMPARE(emptyKey.error().code, ErrorCode::InvalidInput);
        const QByteArray huge(crypto::kAesGcmMaxBytes + 1, 'h');
        auto tooBig = crypto::aesGcmEncrypt(testKey(), huge, {});
        QCOMPARE(tooBig.error().code, ErrorCode::InvalidInput);
        QVERIFY(tooBig.error().message.contains(QStringLiteral("limit")));
        auto tooBigOpen = crypto::aesGcmDecrypt(testKey(), nonce, huge, QByteArray(16, 't'), {});
        QCOMPARE(tooBigOpen.error().code, ErrorCode::InvalidInput);
    }

    void secureWipeEmptiesItsOwnBufferOnly()
    {
        QByteArray secret(32, 's');
        secret.detach();
        QByteArray shared = secret; // shares the buffer: a wipe must not write through it
        crypto::secureWipe(secret);
        QVERIFY(secret.isEmpty());
        QCOMPARE(shared, QByteArray(32, 's'));
        QByteArray owned(32, 'o');
        owned.detach();
        crypto::secureWipe(owned);
        QVERIFY(owned.isEmpty());
        QByteArray empty;
        crypto::secureWipe(empty); // no crash on a null array
        QVERIFY(empty.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestAesGcm)
#include "test_aes_gcm.moc"
