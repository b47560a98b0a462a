// Hostile input for MFA: malformed and unicode codes, oversized input, replays, codes from
// outside the window, recovery-code reuse, and stored hashes an attacker (or a bad migration)
// tampered with. Nothing may crash, nothing malformed may ever match.
#include "upcoach/identity/qrcode.h"
#include "upcoach/identity/recoverycodes.h"
#include "upcoach/identity/totp.h"

#include <QTest>
#include <limits>
#include <openssl/evp.h>

using namespace upcoach;
using namespace upcoach::identity;

namespace {

template<typename T> QByteArray why(const Result<T> &result)
{
    return result.ok() ? QByteArray() : result.error().message.toUtf8();
}

const QByteArray kSecret = QByteArrayLiteral("12345678901234567890");
constexpr qint64 kNow = 1700000000 + 9;

QString currentCode()
{
    return *totp(kSecret, kNow);
}

// The same digits in another script: U+0660.. (Arabic-Indic) or U+FF10.. (full-width).
QString transliterated(const QString &ascii, char16_t zero)
{
    QString out;
    for (const QChar c : ascii)
        out.append(QChar(char16_t(zero + (c.unicode() - u'0'))));
    return out;
}

QString pbkdf2Entry(const QByteArray &code, const QByteArray &salt, int iterations)
{
    QByteArray hash(32, Qt::Uninitialized);
    PKCS5_PBKDF2_HMAC(code.constData(), int(code.size()),
                      reinterpret_cast<const unsigned char *>(salt.constData()), int(salt.size()),
                      iterations, EVP_sha256(), 32, reinterpret_cast<unsigned char *>(hash.data()));
    const auto b64 = [](const QByteArray &bytes) {
        return QString::fromLatin1(
            bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    };
    return QStringLiteral("pbkdf2-sha256$") + QString::number(iterations) + u'$' + b64(salt) +
           u'$' + b64(hash);
}

} // namespace

class TestMfaAttacks : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sanity()
    {
        const auto matched = verifyTotp(kSecret, currentCode(), {}, kNow);
        QVERIFY2(matched.ok(), why(matched).constData());
    }

    void malformedCodesAreInvalidInput_data()
    {
        QTest::addColumn<QString>("code");
        const QString good = currentCode();
        QTest::newRow("empty") << QString();
        QTest::newRow("spaces only") << QStringLiteral("      ");
        QTest::newRow("letter") << good.left(5) + u'a';
        QTest::newRow("plus sign") << u'+' + good.left(5);
        QTest::newRow("minus sign") << u'-' + good.left(5);
        QTest::newRow("hyphenated") << good.left(3) + u'-' + good.mid(3);
        QTest::newRow("newline") << good + u'\n';
        QTest::newRow("tab") << good.left(3) + u'\t' + good.mid(3);
        QTest::newRow("nul") << good + QChar(u'\0');
        QTest::newRow("no-break space") << good.left(3) + QChar(0x00a0) + good.mid(3);
        QTest::newRow("five digits") << good.left(5);
        QTest::newRow("seven digits") << good + u'0';
        QTest::newRow("eight digits") << good + QStringLiteral("00");
        QTest::newRow("1000 digits") << QString(1000, u'1');
        QTest::newRow("1000 spaces and the code") << QString(1000, u' ') + good;
        QTest::newRow("arabic-indic") << transliterated(good, 0x0660);
        QTest::newRow("extended arabic-indic") << transliterated(good, 0x06f0);
        QTest::newRow("full-width") << transliterated(good, 0xff10);
        QTest::newRow("devanagari") << transliterated(good, 0x0966);
        QTest::newRow("superscript-ish")
            << QString::fromUtf8("\xc2\xb9\xc2\xb2\xc2\xb3") + good.left(3);
        QTest::newRow("lone surrogate") << good.left(5) + QChar(0xd800);
    }
    void malformedCodesAreInvalidInput()
    {
        QFETCH(QString, code);
        const auto matched = verifyTotp(kSecret, code, {}, kNow);
        QVERIFY(!matched.ok());
        QCOMPARE(matched.error().code, ErrorCode::InvalidInput);
    }

    void replayIsRefused()
    {
        const QString code = currentCode();
        const auto first = verifyTotp(kSecret, code, {}, kNow, 1, std::nullopt);
        QVERIFY2(first.ok(), why(first).constData());
        // The same code, a few seconds later and later still within the window.
        for (qint64 later : {kNow, kNow + 5, kNow + 30}) {
            const auto replay = verifyTotp(kSecret, code, {}, later, 1, *first);
            QVERIFY(!replay.ok());
            QCOMPARE(replay.error().code, ErrorCode::Unauthorized);
        }
        // A stored step far ahead (clock moved back) refuses everything until it passes.
        QCOMPARE(verifyTotp(kSecret, code, {}, kNow, 1, *first + 100).error().code,
                 ErrorCode::Unauthorized);
    }

    void codesOutsideTheWindowAreRefused()
    {
        for (int steps : {-2, 2, -3, 3, -100, 100}) {
            const QString code = *totp(kSecret, kNow + steps * 30);
            const auto matched = verifyTotp(kSecret, code, {}, kNow);
            if (matched.ok())
                QFAIL(qPrintable(QStringLiteral("step %1 accepted").arg(steps)));
            QCOMPARE(matched.error().code, ErrorCode::Unauthorized);
        }
    }

    void onlyTheRightCodeAmongMany()
    {
        // 20,000 guesses against a zero-width window: only the right code (if among them) is
        // accepted, no other value slips through.
        const int right = currentCode().toInt();
        int accepted = 0;
        for (int value = 0; value < 20000; ++value) {
            const QString guess = QStringLiteral("%1").arg(value, 6, 10, QLatin1Char('0'));
            if (verifyTotp(kSecret, guess, {}, kNow, 0).ok())
                ++accepted;
        }
        QCOMPARE(accepted, right < 20000 ? 1 : 0);
        // And the code with one digit changed, in every position, is refused.
        const QString code = currentCode();
        for (int i = 0; i < code.size(); ++i) {
            QString changed = code;
            changed[i] = QChar(char16_t(u'0' + (code[i].unicode() - u'0' + 1) % 10));
            QCOMPARE(verifyTotp(kSecret, changed, {}, kNow).error().code, ErrorCode::Unauthorized);
        }
    }

    void hostileParametersDoNotCrash()
    {
        const QString code = currentCode();
        QCOMPARE(verifyTotp(QByteArray(), code, {}, kNow).error().code, ErrorCode::InvalidInput);
        QCOMPARE(verifyTotp(QByteArray(100000, 'k'), code, {}, kNow).error().code,
                 ErrorCode::InvalidInput);
        QCOMPARE(verifyTotp(kSecret, code, {}, -1).error().code, ErrorCode::InvalidInput);
        QCOMPARE(verifyTotp(kSecret, code, {}, kNow, -1).error().code, ErrorCode::InvalidInput);
        QCOMPARE(verifyTotp(kSecret, code, {}, kNow, 1000).error().code, ErrorCode::InvalidInput);
        QCOMPARE(
            verifyTotp(kSecret, code, TotpParameters{TotpAlgorithm(42), 6, 30}, kNow).error().code,
            ErrorCode::InvalidInput);
        QCOMPARE(verifyTotp(kSecret, code, TotpParameters{TotpAlgorithm::Sha1, 6, -30}, kNow)
                     .error()
                     .code,
                 ErrorCode::InvalidInput);
        // The far future does not overflow.
        const qint64 far = std::numeric_limits<qint64>::max();
        const auto farCode = totp(kSecret, far);
        QVERIFY2(farCode.ok(), why(farCode).constData());
        QCOMPARE(*verifyTotp(kSecret, *farCode, {}, far, kTotpMaxWindow), far / 30);
        // Step 0: the window does not reach negative steps.
        QCOMPARE(*verifyTotp(kSecret, *totp(kSecret, 0), {}, 0, kTotpMaxWindow), qint64(0));
    }

    void otpauthCannotBeInjected()
    {
        const auto uri = otpauthUri(QStringLiteral("Evil&secret=AAAA&issuer=Bank"),
                                    QStringLiteral("x?secret=BBBB#"), kSecret);
        QVERIFY2(uri.ok(), why(uri).constData());
        QCOMPARE(uri->count(QStringLiteral("secret=")), 1);
        QCOMPARE(uri->count(u'?'), 1);
        QCOMPARE(uri->count(u'#'), 0);
        QVERIFY(uri->contains(QStringLiteral("Evil%26secret%3DAAAA%26issuer%3DBank")));
        // Control and bidirectional-override characters, colons, broken UTF-16.
        for (const QString &bad : {QStringLiteral("Up\nCoach"), QStringLiteral("Up\x01"),
                                   QString(QStringLiteral("Bank") + QChar(0x202e)),
                                   QString(QStringLiteral("Bank") + QChar(0xdc00)),
                                   QStringLiteral("Up%3ACoach:"), QString(QChar(0x200b))}) {
            QCOMPARE(otpauthUri(bad, QStringLiteral("a@b"), kSecret).error().code,
                     ErrorCode::InvalidInput);
            QCOMPARE(otpauthUri(QStringLiteral("UpCoach"), bad, kSecret).error().code,
                     ErrorCode::InvalidInput);
        }
        QCOMPARE(otpauthUri(QStringLiteral("   "), QStringLiteral("a@b"), kSecret).error().code,
                 ErrorCode::InvalidInput);
        QCOMPARE(otpauthUri(QString(10000, u'x'), QStringLiteral("a@b"), kSecret).error().code,
                 ErrorCode::InvalidInput);
    }

    void hostileBase32DoesNotCrash()
    {
        for (const QString &bad :
             {QString(100000, u'A'), QString(1024, u'='), QStringLiteral("AAAAAAAA=AAAAAAA"),
              QString(QStringLiteral("AAAA") + QChar(0xd800)),
              QString(QChar(0x0041) + QChar(0x030a)), QStringLiteral("MY======="),
              QStringLiteral("MY======"
                             "MY======")}) {
            QVERIFY(!base32Decode(bad).ok());
        }
        // Separators only: nothing left, which is the empty string, not an error or a crash.
        QVERIFY(base32Decode(QString(1024, u'-'))->isEmpty());
    }

    void recoveryCodeReuseAfterRemoval()
    {
        const RecoveryCodes generated = *generateRecoveryCodes(4);
        QStringList stored = generated.hashes;
        const auto first = matchRecoveryCode(generated.codes[2], stored);
        QVERIFY2(first.ok(), why(first).constData());
        QCOMPARE(*first, 2);
        stored.removeAt(*first);
        QCOMPARE(matchRecoveryCode(generated.codes[2], stored).error().code,
                 ErrorCode::Unauthorized);
        // A caller that blanks the entry instead of removing it is just as safe.
        QStringList blanked = generated.hashes;
        blanked[2].clear();
        QCOMPARE(matchRecoveryCode(generated.codes[2], blanked).error().code,
                 ErrorCode::Unauthorized);
        QCOMPARE(*matchRecoveryCode(generated.codes[3], blanked), 3);
    }

    void malformedRecoveryInput()
    {
        const RecoveryCodes generated = *generateRecoveryCodes(2);
        const QString code = generated.codes[0];
        const QStringList bad = {
            QString(),
            QStringLiteral("-----"),
            code.left(10), // nine symbols and the hyphen
            code + u'2',   // eleven symbols
            QString(1000, u'A'),
            QString(code).replace(u'-', u'_'),
            QString(code).replace(u'-', u'\n'),
            code + QChar(u'\0'),
            QStringLiteral("0O1IL-0O1IL"),                        // the excluded symbols
            transliterated(QStringLiteral("2345623456"), 0xff10), // full-width digits
        };
        for (const QString &input : bad) {
            const auto matched = matchRecoveryCode(input, generated.hashes);
            QVERIFY(!matched.ok());
            QCOMPARE(matched.error().code, ErrorCode::InvalidInput);
        }
        QStringList many;
        for (int i = 0; i < 101; ++i)
            many.append(generated.hashes[0]);
        QCOMPARE(matchRecoveryCode(code, many).error().code, ErrorCode::InvalidInput);
    }

    void malformedStoredHashesNeverMatch()
    {
        const RecoveryCodes generated = *generateRecoveryCodes(1);
        const QString code = generated.codes[0];
        const QByteArray normal = normaliseRecoveryCode(code)->toLatin1();
        const QString good = generated.hashes[0];
        const QStringList parts = good.split(u'$');
        QCOMPARE(parts.size(), 4);
        const QByteArray salt =
            QByteArray::fromBase64(parts[2].toLatin1(), QByteArray::Base64UrlEncoding);

        // Correct hashes that are refused by policy: too many or too few iterations.
        const QString tooMany = pbkdf2Entry(normal, salt, kRecoveryCodeMaxIterations + 1);
        const QString tooFew = pbkdf2Entry(normal, salt, 1);
        const QString shortSalt = pbkdf2Entry(normal, salt.left(8), 10000);
        // And the sanity check that the helper builds entries that do match.
        const QString rebuilt = pbkdf2Entry(normal, salt, 12000);
        QCOMPARE(*matchRecoveryCode(code, QStringList{rebuilt}), 0);

        const QStringList hostile = {
            QString(),
            QStringLiteral("$$$"),
            QStringLiteral("pbkdf2-sha256"),
            QStringLiteral("pbkdf2-sha1$") + parts[1] + u'$' + parts[2] + u'$' + parts[3],
            QStringLiteral("PBKDF2-SHA256$") + parts[1] + u'$' + parts[2] + u'$' + parts[3],
            good + QStringLiteral("$extra"),
            parts[0] + QStringLiteral("$10000$") + parts[2],
            parts[0] + QStringLiteral("$99999999999999999999$") + parts[2] + u'$' + parts[3],
            parts[0] + QStringLiteral("$2000000$") + parts[2] + u'$' + parts[3],
            parts[0] + QStringLiteral("$-10000$") + parts[2] + u'$' + parts[3],
            parts[0] + QStringLiteral("$+10000$") + parts[2] + u'$' + parts[3],
            parts[0] + QStringLiteral("$010000$") + parts[2] + u'$' + parts[3],
            parts[0] + QStringLiteral("$0$") + parts[2] + u'$' + parts[3],
            parts[0] + QStringLiteral("$1e4$") + parts[2] + u'$' + parts[3],
            parts[0] + u'$' + parts[1] + QStringLiteral("$!!!!$") + parts[3],
            parts[0] + u'$' + parts[1] + u'$' + parts[2] + QStringLiteral("==$") + parts[3],
            parts[0] + u'$' + parts[1] + u'$' + parts[2] + u'$' + parts[3] + QStringLiteral("=="),
            parts[0] + u'$' + parts[1] + u'$' + parts[2] + u'$' + parts[3].left(20),
            parts[0] + u'$' + parts[1] + u'$' + parts[2] + u'$',
            parts[0] + u'$' + parts[1] + u'$' + u'$' + parts[3],
            parts[0] + u'$' + parts[1] + u'$' + parts[2] + u'$' + parts[3] + QChar(0x00e9),
            parts[0] + u'$' + parts[1] + u'$' +
                QString(parts[2]).replace(u'_', u'/').replace(u'-', u'+') + QStringLiteral("+/") +
                u'$' + parts[3],
            QString(100000, u'$'),
            good.left(good.size() - 1) + (good.endsWith(u'A') ? u'B' : u'A'), // hash tampered
            tooMany,
            tooFew,
            shortSalt,
        };
        for (qsizetype i = 0; i < hostile.size(); ++i) {
            const auto matched = matchRecoveryCode(code, QStringList{hostile[i]});
            if (matched.ok())
                QFAIL(qPrintable(QStringLiteral("hostile entry %1 matched").arg(i)));
            QCOMPARE(matched.error().code, ErrorCode::Unauthorized);
        }
        // All of them together, with the real one last: only it matches.
        QStringList mixed = hostile;
        mixed.append(good);
        QCOMPARE(*matchRecoveryCode(code, mixed), int(hostile.size()));
    }
};

QTEST_GUILESS_MAIN(TestMfaAttacks)
#include "test_mfa_attacks.moc"
