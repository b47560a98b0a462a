// TOTP (RFC 6238) and HOTP (RFC 4226) known answers, base32 (RFC 4648), the verification window
// and one-time use, otpauth URIs, and recovery codes.
#include "upcoach/identity/recoverycodes.h"
#include "upcoach/identity/totp.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace upcoach;
using namespace upcoach::identity;

namespace {

template<typename T> QByteArray why(const Result<T> &result)
{
    return result.ok() ? QByteArray() : result.error().message.toUtf8();
}

const QByteArray kSeed20 = QByteArrayLiteral("12345678901234567890");
const QByteArray kSeed32 = QByteArrayLiteral("12345678901234567890123456789012");
const QByteArray kSeed64 =
    QByteArrayLiteral("1234567890123456789012345678901234567890123456789012345678901234");

} // namespace

Q_DECLARE_METATYPE(upcoach::identity::TotpAlgorithm)

class TestTotp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rfc6238AppendixB_data()
    {
        QTest::addColumn<qint64>("time");
        QTest::addColumn<TotpAlgorithm>("algorithm");
        QTest::addColumn<QByteArray>("seed");
        QTest::addColumn<QString>("expected");
        struct Row
        {
            qint64 time;
            const char *sha1;
            const char *sha256;
            const char *sha512;
        };
        const Row rows[] = {
            {59, "94287082", "46119246", "90693936"},
            {1111111109, "07081804", "68084774", "25091201"},
            {1111111111, "14050471", "67062674", "99943326"},
            {1234567890, "89005924", "91819424", "93441116"},
            {2000000000, "69279037", "90698825", "38618901"},
            {20000000000, "65353130", "77737706", "47863826"},
        };
        for (const Row &row : rows) {
            const QByteArray t = QByteArray::number(row.time);
            QTest::newRow(QByteArray(t + " SHA1").constData())
                << row.time << TotpAlgorithm::Sha1 << kSeed20 << QString::fromLatin1(row.sha1);
            QTest::newRow(QByteArray(t + " SHA256").constData())
                << row.time << TotpAlgorithm::Sha256 << kSeed32 << QString::fromLatin1(row.sha256);
            QTest::newRow(QByteArray(t + " SHA512").constData())
                << row.time << TotpAlgorithm::Sha512 << kSeed64 << QString::fromLatin1(row.sha512);
        }
    }
    void rfc6238AppendixB()
    {
        QFETCH(qint64, time);
        QFETCH(TotpAlgorithm, algorithm);
        QFETCH(QByteArray, seed);
        QFETCH(QString, expected);
        const TotpParameters params{algorithm, 8, 30};
        const auto code = totp(seed, time, params);
        QVERIFY2(code.ok(), why(code).constData());
        QCOMPARE(*code, expected);
        // And the verifier accepts it at that time, reporting the step.
        const auto step = verifyTotp(seed, expected, params, time, 0);
        QVERIFY2(step.ok(), why(step).constData());
        QCOMPARE(*step, time / 30);
    }

    void rfc4226AppendixD()
    {
        const char *expected[] = {"755224", "287082", "359152", "969429", "338314",
                                  "254676", "287922", "162583", "399871", "520489"};
        for (quint64 counter = 0; counter < 10; ++counter) {
            const auto code = hotp(kSeed20, counter);
            QVERIFY2(code.ok(), why(code).constData());
            QCOMPARE(*code, QString::fromLatin1(expected[counter]));
        }
    }

    void hotpRejectsBadInput()
    {
        QCOMPARE(hotp(QByteArray(15, 'x'), 0).error().code, ErrorCode::InvalidInput);
        QCOMPARE(hotp(kSeed20, 0, TotpAlgorithm::Sha1, 5).error().code, ErrorCode::InvalidInput);
        QCOMPARE(hotp(kSeed20, 0, TotpAlgorithm::Sha1, 9).error().code, ErrorCode::InvalidInput);
        QVERIFY(hotp(kSeed20, 0, TotpAlgorithm::Sha1, 8).ok());
    }

    void base32Rfc4648_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("padded");
        QTest::newRow("empty") << QByteArray() << QString();
        QTest::newRow("f") << QByteArrayLiteral("f") << QStringLiteral("MY======");
        QTest::newRow("fo") << QByteArrayLiteral("fo") << QStringLiteral("MZXQ====");
        QTest::newRow("foo") << QByteArrayLiteral("foo") << QStringLiteral("MZXW6===");
        QTest::newRow("foob") << QByteArrayLiteral("foob") << QStringLiteral("MZXW6YQ=");
        QTest::newRow("fooba") << QByteArrayLiteral("fooba") << QStringLiteral("MZXW6YTB");
        QTest::newRow("foobar") << QByteArrayLiteral("foobar")
                                << QStringLiteral("MZXW6YTBOI======");
    }
    void base32Rfc4648()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, padded);
        QString unpadded = padded;
        while (unpadded.endsWith(u'='))
            unpadded.chop(1);
        QCOMPARE(base32Encode(data), unpadded);
        for (const QString &text : {padded, unpadded, padded.toLower(), unpadded.toLower()}) {
            const auto decoded = base32Decode(text);
            QVERIFY2(decoded.ok(), why(decoded).constData());
            QCOMPARE(*decoded, data);
        }
    }

    void base32ToleratesUserFormatting()
    {
        const QString grouped = QStringLiteral("gezd gnbv-gy3t qojq gezd-gnbv gy3t qojq");
        const auto decoded = base32Decode(grouped);
        QVERIFY2(decoded.ok(), why(decoded).constData());
        QCOMPARE(*decoded, kSeed20);
        QCOMPARE(base32Encode(kSeed20), QStringLiteral("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"));
    }

    void base32RejectsBadInput_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("digit 1") << QStringLiteral("MZXW1===");
        QTest::newRow("digit 0") << QStringLiteral("MZXW0YTB");
        QTest::newRow("digit 8") << QStringLiteral("MZXW8YTB");
        QTest::newRow("punctuation") << QStringLiteral("MZXW6YT!");
        QTest::newRow("underscore") << QStringLiteral("MZXW_YTB");
        QTest::newRow("tab") << QStringLiteral("MZXW\tYTB");
        QTest::newRow("non-ascii") << QString::fromUtf8("MZXW6YT\xc3\x89");
        QTest::newRow("length 1") << QStringLiteral("M");
        QTest::newRow("length 3") << QStringLiteral("MZX");
        QTest::newRow("length 6") << QStringLiteral("MZXW6Y");
        QTest::newRow("padding in the middle") << QStringLiteral("MY==MZXQ");
        QTest::newRow("short padding") << QStringLiteral("MY===");
        QTest::newRow("padding only") << QStringLiteral("========");
        QTest::newRow("trailing bits") << QStringLiteral("MZ");
        QTest::newRow("too long") << QString(1025, u'A');
    }
    void base32RejectsBadInput()
    {
        QFETCH(QString, text);
        const auto decoded = base32Decode(text);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().code, ErrorCode::InvalidInput);
    }

    void generatedSecretsHaveTheHashSize()
    {
        QCOMPARE(generateTotpSecret(TotpAlgorithm::Sha1)->size(), 20);
        QCOMPARE(generateTotpSecret(TotpAlgorithm::Sha256)->size(), 32);
        QCOMPARE(generateTotpSecret(TotpAlgorithm::Sha512)->size(), 64);
        QVERIFY(*generateTotpSecret() != *generateTotpSecret());
        const QByteArray secret = *generateTotpSecret();
        QCOMPARE(*base32Decode(base32Encode(secret)), secret);
    }

    void windowOfOneStepEachSide()
    {
        const TotpParameters params;
        const qint64 now = 1700000000 + 7; // inside a step, not on its edge
        const qint64 step = now / 30;
        for (int offset = -1; offset <= 1; ++offset) {
            const QString code = *totp(kSeed20, (step + offset) * 30, params);
            const auto matched = verifyTotp(kSeed20, code, params, now);
            QVERIFY2(matched.ok(), why(matched).constData());
            QCOMPARE(*matched, step + offset);
        }
        for (int offset : {-2, 2}) {
            const QString code = *totp(kSeed20, (step + offset) * 30, params);
            const auto matched = verifyTotp(kSeed20, code, params, now);
            QVERIFY(!matched.ok());
            QCOMPARE(matched.error().code, ErrorCode::Unauthorized);
            QCOMPARE(matched.error().message, QStringLiteral("the code is not valid"));
            // A wider window takes it.
            QCOMPARE(*verifyTotp(kSeed20, code, params, now, 2), step + offset);
        }
        // Window 0: only the current step.
        const QString previous = *totp(kSeed20, (step - 1) * 30, params);
        QCOMPARE(verifyTotp(kSeed20, previous, params, now, 0).error().code,
                 ErrorCode::Unauthorized);
    }

    void spacesInTheCodeAreIgnored()
    {
        const TotpParameters params;
        const qint64 now = 1700000000;
        const QString code = *totp(kSeed20, now, params);
        const QString spaced = code.left(3) + u' ' + code.mid(3) + u' ';
        QCOMPARE(*verifyTotp(kSeed20, spaced, params, now), now / 30);
    }

    void usedStepsAreRefused()
    {
        const TotpParameters params;
        const qint64 now = 1700000000 + 12;
        const qint64 step = now / 30;
        const QString current = *totp(kSeed20, now, params);
        const QString previous = *totp(kSeed20, now - 30, params);

        const auto first = verifyTotp(kSeed20, current, params, now, 1, std::nullopt);
        QVERIFY2(first.ok(), why(first).constData());
        QCOMPARE(*first, step);
        // The same code again, with the stored step: refused.
        const auto replay = verifyTotp(kSeed20, current, params, now, 1, *first);
        QVERIFY(!replay.ok());
        QCOMPARE(replay.error().code, ErrorCode::Unauthorized);
        // An earlier step's code, still inside the window: refused too.
        const auto earlier = verifyTotp(kSeed20, previous, params, now, 1, *first);
        QVERIFY(!earlier.ok());
        QCOMPARE(earlier.error().code, ErrorCode::Unauthorized);
        // The next step's code is fine.
        const QString next = *totp(kSeed20, now + 30, params);
        QCOMPARE(*verifyTotp(kSeed20, next, params, now + 30, 1, *first), step + 1);
        // With the previous step used, the current one is still accepted.
        QCOMPARE(*verifyTotp(kSeed20, current, params, now, 1, step - 1), step);
    }

    void eightDigitsAndOtherPeriods()
    {
        const TotpParameters params{TotpAlgorithm::Sha256, 8, 60};
        const qint64 now = 1700000000;
        const QString code = *totp(kSeed32, now, params);
        QCOMPARE(code.size(), 8);
        QCOMPARE(*verifyTotp(kSeed32, code, params, now), now / 60);
        QCOMPARE(verifyTotp(kSeed32, code.left(6), params, now).error().code,
                 ErrorCode::InvalidInput);
        QCOMPARE(totp(kSeed32, now, TotpParameters{TotpAlgorithm::Sha1, 7, 30}).error().code,
                 ErrorCode::InvalidInput);
        QCOMPARE(totp(kSeed32, now, TotpParameters{TotpAlgorithm::Sha1, 6, 0}).error().code,
                 ErrorCode::InvalidInput);
    }

    void otpauthUriExact()
    {
        const auto uri =
            otpauthUri(QStringLiteral("ACME Co"), QStringLiteral("jane+ops@example.com"), kSeed20);
        QVERIFY2(uri.ok(), why(uri).constData());
        QCOMPARE(*uri, QStringLiteral("otpauth://totp/ACME%20Co:jane%2Bops@example.com"
                                      "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME%20Co"
                                      "&algorithm=SHA1&digits=6&period=30"));

        const auto sha512 =
            otpauthUri(QString::fromUtf8("Caf\xc3\xa9 & Co/Ops"), QStringLiteral("a.b_c~d-e"),
                       kSeed64, TotpParameters{TotpAlgorithm::Sha512, 8, 60});
        QVERIFY2(sha512.ok(), why(sha512).constData());
        QCOMPARE(*sha512,
                 QStringLiteral("otpauth://totp/Caf%C3%A9%20%26%20Co%2FOps:a.b_c~d-e?secret=") +
                     base32Encode(kSeed64) +
                     QStringLiteral("&issuer=Caf%C3%A9%20%26%20Co%2FOps&algorithm=SHA512"
                                    "&digits=8&period=60"));
    }

    void otpauthUriRejects()
    {
        const QString account = QStringLiteral("jane@example.com");
        const QString issuer = QStringLiteral("UpCoach");
        QCOMPARE(otpauthUri(QStringLiteral("Up:Coach"), account, kSeed20).error().code,
                 ErrorCode::InvalidInput);
        QCOMPARE(otpauthUri(issuer, QStringLiteral("a:b"), kSeed20).error().code,
                 ErrorCode::InvalidInput);
        QCOMPARE(otpauthUri(QString(), account, kSeed20).error().code, ErrorCode::InvalidInput);
        QCOMPARE(otpauthUri(issuer, QString(), kSeed20).error().code, ErrorCode::InvalidInput);
        QVERIFY(otpauthUri(QString(64, u'a'), account, kSeed20).ok());
        QCOMPARE(otpauthUri(QString(65, u'a'), account, kSeed20).error().code,
                 ErrorCode::InvalidInput);
        QVERIFY(otpauthUri(issuer, QString(320, u'a'), kSeed20).ok());
        QCOMPARE(otpauthUri(issuer, QString(321, u'a'), kSeed20).error().code,
                 ErrorCode::InvalidInput);
        QCOMPARE(otpauthUri(issuer, account, QByteArray(8, 'k')).error().code,
                 ErrorCode::InvalidInput);
    }

    void recoveryCodesAreUniqueAndWellFormed()
    {
        const auto generated = generateRecoveryCodes();
        QVERIFY2(generated.ok(), why(generated).constData());
        QCOMPARE(generated->codes.size(), 10);
        QCOMPARE(generated->hashes.size(), 10);
        const QRegularExpression format(QStringLiteral("^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$"));
        QSet<QString> unique;
        for (const QString &code : generated->codes) {
            QVERIFY2(format.match(code).hasMatch(), qPrintable(code));
            unique.insert(code);
        }
        QCOMPARE(unique.size(), 10);
        const QRegularExpression stored(
            QStringLiteral("^pbkdf2-sha256\\$10000\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}$"));
        QSet<QString> uniqueHashes;
        for (const QString &hash : generated->hashes) {
            QVERIFY2(stored.match(hash).hasMatch(), qPrintable(hash));
            uniqueHashes.insert(hash);
        }
        QCOMPARE(uniqueHashes.size(), 10);
        QCOMPARE(generateRecoveryCodes(0).error().code, ErrorCode::InvalidInput);
        QCOMPARE(generateRecoveryCodes(51).error().code, ErrorCode::InvalidInput);
        QCOMPARE(generateRecoveryCodes(3)->codes.size(), 3);
    }

    void eachRecoveryCodeMatchesItsOwnHash()
    {
        const RecoveryCodes generated = *generateRecoveryCodes();
        for (int i = 0; i < generated.codes.size(); ++i) {
            const auto matched = matchRecoveryCode(generated.codes[i], generated.hashes);
            QVERIFY2(matched.ok(), why(matched).constData());
            QCOMPARE(*matched, i);
        }
        // Once the caller drops the used entry, the code no longer matches anything.
        QStringList remaining = generated.hashes;
        remaining.removeAt(4);
        const auto again = matchRecoveryCode(generated.codes[4], remaining);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, ErrorCode::Unauthorized);
        // The others keep their (shifted) positions.
        QCOMPARE(*matchRecoveryCode(generated.codes[5], remaining), 4);
    }

    void wrongRecoveryCodeDoesNotMatch()
    {
        const RecoveryCodes generated = *generateRecoveryCodes(5);
        const RecoveryCodes other = *generateRecoveryCodes(1);
        const auto matched = matchRecoveryCode(other.codes[0], generated.hashes);
        QVERIFY(!matched.ok());
        QCOMPARE(matched.error().code, ErrorCode::Unauthorized);
        QCOMPARE(matched.error().message, QStringLiteral("the recovery code is not valid"));
        // One symbol changed.
        QString code = generated.codes[2];
        code[0] = code[0] == u'A' ? u'B' : u'A';
        QCOMPARE(matchRecoveryCode(code, generated.hashes).error().code, ErrorCode::Unauthorized);
        QCOMPARE(matchRecoveryCode(generated.codes[0], QStringList()).error().code,
                 ErrorCode::Unauthorized);
    }

    void recoveryCodeInputIsNormalised()
    {
        const RecoveryCodes generated = *generateRecoveryCodes(3);
        const QString code = generated.codes[1];
        const QString bare = QString(code).remove(u'-');
        const QStringList variants = {
            code.toLower(),
            bare,
            bare.toLower(),
            QStringLiteral("  ") + code.left(2) + u' ' + code.mid(2) + QStringLiteral(" "),
            code.left(3) + u'-' + code.mid(3).toLower(),
        };
        for (const QString &variant : variants) {
            const auto matched = matchRecoveryCode(variant, generated.hashes);
            QVERIFY2(matched.ok(), qPrintable(variant));
            QCOMPARE(*matched, 1);
        }
        QCOMPARE(*normaliseRecoveryCode(code.toLower()), bare);
        const auto hashed = hashRecoveryCode(code.toLower());
        QVERIFY2(hashed.ok(), why(hashed).constData());
        QCOMPARE(*matchRecoveryCode(bare, QStringList{*hashed}), 0);
    }
};

QTEST_GUILESS_MAIN(TestTotp)
#include "test_totp.moc"
