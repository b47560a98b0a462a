// The local keyring provider: created 0600, refused when anyone else could read or replace it,
// strict about its format, and rotation keeps every older KEK version usable across reopens.
#include "upcoach/core/crypto.h"
#include "upcoach/tenancy/keyprovider.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace upcoach;
using namespace upcoach::tenancy;

namespace {

QStringList g_logLines;
QtMessageHandler g_previousHandler = nullptr;

void captureMessages(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_logLines << QString::fromLatin1(context.category ? context.category : "") + QLatin1Char(' ') +
                      message;
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

mode_t modeOf(const QString &path)
{
    struct stat st = {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return 0;
    return st.st_mode & 07777;
}

bool writeFile(const QString &path, const QByteArray &content, mode_t mode = 0600)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    const bool written = file.write(content) == content.size();
    file.close();
    return written && ::chmod(QFile::encodeName(path).constData(), mode) == 0;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

const QByteArray kAad("tenant=0190f0a4;version=1");

QByteArray dataKey()
{
    return QByteArray::fromHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
}

QByteArray unwrapToBytes(KeyProvider &provider, const WrappedKey &wrapped, const QByteArray &aad)
{
    auto key = provider.unwrap(wrapped, aad);
    return key ? key->view().toByteArray() : QByteArray();
}

} // namespace

class TestKeyring : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    // A valid keyring file's bytes, created by the provider itself.
    QByteArray validKeyring()
    {
        const QString file = path(QStringLiteral("template/keyring"));
        auto provider = LocalKeyringProvider::open(file);
        if (!provider)
            return {};
        return readFile(file);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        g_previousHandler = qInstallMessageHandler(captureMessages);
    }

    void cleanupTestCase()
    {
        qInstallMessageHandler(g_previousHandler);
        // No log line ever carries a KEK (its base64 form from any keyring file written here).
        const QRegularExpression kekLine(QStringLiteral("^kek \\d+ \\S+ (\\S{44})$"),
                                         QRegularExpression::MultilineOption);
        QStringList files;
        QDirIterator walk(m_dir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (walk.hasNext())
            files << walk.next();
        int keysChecked = 0;
        for (const QString &file : std::as_const(files)) {
            auto it = kekLine.globalMatch(QString::fromLatin1(readFile(file)));
            while (it.hasNext()) {
                const QString kek = it.next().captured(1);
                ++keysChecked;
                for (const QString &line : std::as_const(g_logLines))
                    QVERIFY2(!line.contains(kek), qPrintable(line));
            }
        }
        QVERIFY(keysChecked > 0);
        QVERIFY(!g_logLines.filter(QStringLiteral("upcoach.tenancy.keys")).isEmpty());
    }

    void createdOnFirstUseWithMode0600()
    {
        const QString file = path(QStringLiteral("state/secrets/tenant-keyring"));
        QVERIFY(!QFile::exists(file));
        auto provider = LocalKeyringProvider::open(file);
        QVERIFY2(provider.ok(), provider.ok() ? "" : qPrintable(provider.error().message));
        QCOMPARE(modeOf(file), mode_t(0600));
        QCOMPARE(modeOf(path(QStringLiteral("state/secrets"))), mode_t(0700));
        QCOMPARE(provider.value()->currentKekVersion(), 1);
        QVERIFY(provider.value()->kekId().startsWith(QStringLiteral("keyring:")));
        QCOMPARE(provider.value()->kind(), QStringLiteral("keyring"));
        const QByteArray content = readFile(file);
        QVERIFY(content.startsWith("upcoach-tenant-keyring 1\nid "));
        QCOMPARE(content.count('\n'), 3);
        // Nothing but the keyring is left in the directory (the temporary file was renamed).
        QCOMPARE(QDir(path(QStringLiteral("state/secrets"))).entryList(QDir::Files | QDir::Hidden),
                 QStringList{QStringLiteral("tenant-keyring")});
        // A second open reads the same keyring rather than creating another.
        auto again = LocalKeyringProvider::open(file);
        QVERIFY(again.ok());
        QCOMPARE(again.value()->kekId(), provider.value()->kekId());
        QCOMPARE(readFile(file), content);
    }

    void wrapAndUnwrap()
    {
        auto provider = LocalKeyringProvider::open(path(QStringLiteral("wrap/keyring")));
        QVERIFY(provider.ok());
        auto wrapped = provider.value()->wrap(dataKey(), kAad);
        QVERIFY(wrapped.ok());
        QCOMPARE(wrapped->kekVersion, 1);
        QCOMPARE(wrapped->kekId, provider.value()->kekId());
        QCOMPARE(wrapped->blob.size(), 1 + 12 + 32 + 16);
        QVERIFY(!wrapped->blob.contains(dataKey()));
        QCOMPARE(unwrapToBytes(*provider.value(), wrapped.value(), kAad), dataKey());
        // Wrapping twice gives different blobs (fresh nonces).
        QVERIFY(provider.value()->wrap(dataKey(), kAad)->blob != wrapped->blob);

        auto otherAad = provider.value()->unwrap(wrapped.value(), "tenant=other;version=1");
        QCOMPARE(otherAad.error().code, ErrorCode::Unauthorized);
        for (qsizetype i : {qsizetype(0), qsizetype(1), qsizetype(20), wrapped->blob.size() - 1}) {
            WrappedKey tampered = wrapped.value();
            tampered.blob[i] = char(tampered.blob.at(i) ^ 0x01);
            auto result = provider.value()->unwrap(tampered, kAad);
            QVERIFY(!result.ok());
            QVERIFY(result.error().code == ErrorCode::Unauthorized ||
                    result.error().code == ErrorCode::InvalidInput);
        }
        WrappedKey truncated = wrapped.value();
        truncated.blob.chop(20);
        QCOMPARE(provider.value()->unwrap(truncated, kAad).error().code, ErrorCode::InvalidInput);
        WrappedKey foreign = wrapped.value();
        foreign.kekId = QStringLiteral("keyring:00000000-0000-0000-0000-000000000001");
        QCOMPARE(provider.value()->unwrap(foreign, kAad).error().code, ErrorCode::NotFound);
        WrappedKey future = wrapped.value();
        future.kekVersion = 7;
        auto missing = provider.value()->unwrap(future, kAad);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
        QVERIFY(missing.error().message.contains(QStringLiteral("version 7")));
        // Another keyring cannot unwrap this one's keys.
        auto other = LocalKeyringProvider::open(path(QStringLiteral("wrap2/keyring")));
        QVERIFY(other.ok());
        QVERIFY(other.value()->kekId() != provider.value()->kekId());
        QVERIFY(!other.value()->unwrap(wrapped.value(), kAad).ok());
        QCOMPARE(provider.value()->wrap(QByteArray(8, 'k'), kAad).error().code,
                 ErrorCode::InvalidInput);
        QCOMPARE(provider.value()->wrap(dataKey(), QByteArray(2000, 'a')).error().code,
                 ErrorCode::InvalidInput);
    }

    void refusesGroupOrOtherPermissions_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("0640") << 0640;
        QTest::newRow("0644") << 0644;
        QTest::newRow("0604") << 0604;
        QTest::newRow("0660") << 0660;
        QTest::newRow("0602") << 0602;
        QTest::newRow("0610") << 0610;
    }

    void refusesGroupOrOtherPermissions()
    {
        QFETCH(int, mode);
        const QString file = path(QStringLiteral("perm-%1/keyring").arg(mode, 0, 8));
        QVERIFY(QDir().mkpath(QFileInfo(file).absolutePath()));
        QVERIFY(writeFile(file, validKeyring(), mode_t(mode)));
        auto provider = LocalKeyringProvider::open(file);
        QVERIFY(!provider.ok());
        QCOMPARE(provider.error().code, ErrorCode::Forbidden);
        const QString message = provider.error().message;
        QVERIFY2(message.contains(file), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("mode 0%1").arg(mode, 0, 8)), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("chmod 600 ") + file), qPrintable(message));
        // Fixed as the message says, it opens.
        QVERIFY(::chmod(QFile::encodeName(file).constData(), 0600) == 0);
        QVERIFY(LocalKeyringProvider::open(file).ok());
        // Stricter than 0600 is fine too.
        QVERIFY(::chmod(QFile::encodeName(file).constData(), 0400) == 0);
        QVERIFY(LocalKeyringProvider::open(file).ok());
    }

    void refusesASymlink()
    {
        const QString real = path(QStringLiteral("link/real-keyring"));
        QVERIFY(LocalKeyringProvider::open(real).ok());
        const QString link = path(QStringLiteral("link/keyring"));
        QVERIFY(QFile::link(real, link));
        auto provider = LocalKeyringProvider::open(link);
        QVERIFY(!provider.ok());
        QCOMPARE(provider.error().code, ErrorCode::Forbidden);
        QVERIFY2(provider.error().message.contains(QStringLiteral("symbolic link")),
                 qPrintable(provider.error().message));
        QVERIFY(provider.error().message.contains(link));
        // A dangling symlink is not followed to create a keyring elsewhere either.
        const QString dangling = path(QStringLiteral("link/dangling"));
        QVERIFY(QFile::link(path(QStringLiteral("link/nowhere")), dangling));
        QCOMPARE(LocalKeyringProvider::open(dangling).error().code, ErrorCode::Forbidden);
        QVERIFY(!QFile::exists(path(QStringLiteral("link/nowhere"))));
    }

    void refusesWhatIsNotARegularFile()
    {
        const QString dir = path(QStringLiteral("notfile/keyring"));
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(::chmod(QFile::encodeName(dir).constData(), 0700) == 0);
        auto provider = LocalKeyringProvider::open(dir);
        QVERIFY(!provider.ok());
        QVERIFY2(provider.error().message.contains(QStringLiteral("not a regular file")),
                 qPrintable(provider.error().message));
    }

    void refusesAKeyringOwnedByAnotherUser()
    {
        if (::geteuid() != 0)
            QSKIP("changing a file's owner needs root");
        const QString file = path(QStringLiteral("owner/keyring"));
        QVERIFY(LocalKeyringProvider::open(file).ok());
        QVERIFY(::chown(QFile::encodeName(file).constData(), 65534, 65534) == 0);
        auto provider = LocalKeyringProvider::open(file);
        QVERIFY(!provider.ok());
        QCOMPARE(provider.error().code, ErrorCode::Forbidden);
        QVERIFY2(provider.error().message.contains(QStringLiteral("owned by uid 65534")),
                 qPrintable(provider.error().message));
        QVERIFY(provider.error().message.contains(QStringLiteral("chown 0 ") + file));
    }

    void refusesMalformedKeyrings_data()
    {
        const QByteArray good = validKeyring();
        QVERIFY(!good.isEmpty());
        const QList<QByteArray> lines = good.split('\n');
        const QByteArray magic = lines[0] + '\n', id = lines[1] + '\n', kek = lines[2] + '\n';
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("is empty");
        QTest::newRow("json") << QByteArray("{\"keks\": []}\n") << QStringLiteral("line 1");
        QTest::newRow("other version")
            << QByteArray(QByteArray("upcoach-tenant-keyring 2\n") + id + kek)
            << QStringLiteral("line 1");
        QTest::newRow("no id") << QByteArray(magic + kek) << QStringLiteral("line 2");
        QTest::newRow("bad id") << QByteArray(magic + "id not-a-uuid\n" + kek)
                                << QStringLiteral("line 2");
        QTest::newRow("no kek") << QByteArray(magic + id) << QStringLiteral("holds no KEK");
        QTest::newRow("no final newline")
            << QByteArray(magic + id + kek).chopped(1) << QStringLiteral("no newline");
        QTest::newRow("crlf") << QByteArray(magic + id + kek).replace("\n", "\r\n")
                              << QStringLiteral("line 1");
        QTest::newRow("version gap")
            << QByteArray(magic + id + kek + QByteArray(kek).replace("kek 1 ", "kek 3 "))
            << QStringLiteral("line 4: version 3 follows version 1");
        QTest::newRow("version twice")
            << QByteArray(magic + id + kek + kek) << QStringLiteral("line 4");
        QTest::newRow("version zero")
            << QByteArray(magic + id + QByteArray(kek).replace("kek 1 ", "kek 0 "))
            << QStringLiteral("line 3");
        QTest::newRow("short key") << QByteArray(magic + id + kek.left(kek.size() - 10) + "\n")
                                   << QStringLiteral("44 characters");
        QTest::newRow("bad base64")
            << QByteArray(magic + id + kek.left(kek.size() - 12) + "!!!!!!!!!!=\n")
            << QStringLiteral("base64");
        QTest::newRow("bad time")
            << QByteArray(magic + id + QByteArray(kek).replace(kek.split(' ')[2], "yesterday"))
            << QStringLiteral("creation time");
        QTest::newRow("trailing junk")
            << QByteArray(magic + id + kek + "hello\n") << QStringLiteral("line 4");
        QTest::newRow("blank line")
            << QByteArray(magic + id + kek + "\n") << QStringLiteral("line 4");
    }

    void refusesMalformedKeyrings()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        static int n = 0;
        const QString file = path(QStringLiteral("malformed-%1/keyring").arg(++n));
        QVERIFY(QDir().mkpath(QFileInfo(file).absolutePath()));
        QVERIFY(writeFile(file, content));
        auto provider = LocalKeyringProvider::open(file);
        QVERIFY(!provider.ok());
        QCOMPARE(provider.error().code, ErrorCode::InvalidInput);
        QVERIFY2(provider.error().message.contains(expected), qPrintable(provider.error().message));
        QVERIFY(provider.error().message.contains(file));
        // The bad file is left as it was (never "repaired" by overwriting it with a new keyring).
        QCOMPARE(readFile(file), content);
    }

    void refusesAnOversizedFile()
    {
        const QString file = path(QStringLiteral("big/keyring"));
        QVERIFY(QDir().mkpath(QFileInfo(file).absolutePath()));
        QByteArray content = validKeyring();
        content.append(QByteArray(LocalKeyringProvider::kMaxFileBytes, 'x'));
        QVERIFY(writeFile(file, content));
        auto provider = LocalKeyringProvider::open(file);
        QVERIFY(!provider.ok());
        QCOMPARE(provider.error().code, ErrorCode::InvalidInput);
        QVERIFY2(provider.error().message.contains(QStringLiteral("1 MiB")),
                 qPrintable(provider.error().message));
    }

    void rotationKeepsOldVersionsAcrossReopen()
    {
        const QString file = path(QStringLiteral("rotate/keyring"));
        auto provider = LocalKeyringProvider::open(file);
        QVERIFY(provider.ok());
        auto underV1 = provider.value()->wrap(dataKey(), kAad);
        QVERIFY(underV1.ok());
        auto rotated = provider.value()->rotate();
        QVERIFY(rotated.ok());
        QCOMPARE(rotated.value(), 2);
        QCOMPARE(provider.value()->currentKekVersion(), 2);
        auto underV2 = provider.value()->wrap(dataKey(), kAad);
        QVERIFY(underV2.ok());
        QCOMPARE(underV2->kekVersion, 2);
        QCOMPARE(modeOf(file), mode_t(0600));
        QCOMPARE(unwrapToBytes(*provider.value(), underV1.value(), kAad), dataKey());
        QCOMPARE(unwrapToBytes(*provider.value(), underV2.value(), kAad), dataKey());
        // The versions are really different keys: the v2 blob relabelled as v1 fails.
        WrappedKey relabelled = underV2.value();
        relabelled.kekVersion = 1;
        QCOMPARE(provider.value()->unwrap(relabelled, kAad).error().code, ErrorCode::Unauthorized);

        const QString id = provider.value()->kekId();
        provider.value().reset();
        auto reopened = LocalKeyringProvider::open(file);
        QVERIFY(reopened.ok());
        QCOMPARE(reopened.value()->kekId(), id);
        QCOMPARE(reopened.value()->currentKekVersion(), 2);
        QCOMPARE(unwrapToBytes(*reopened.value(), underV1.value(), kAad), dataKey());
        QCOMPARE(unwrapToBytes(*reopened.value(), underV2.value(), kAad), dataKey());
        QCOMPARE(readFile(file).count("\nkek "), 2);
    }

    void rotationByAnotherInstanceIsPickedUp()
    {
        const QString file = path(QStringLiteral("shared/keyring"));
        auto first = LocalKeyringProvider::open(file);
        auto second = LocalKeyringProvider::open(file);
        QVERIFY(first.ok() && second.ok());
        QCOMPARE(second.value()->rotate().value(), 2);
        QCOMPARE(first.value()->rotate().value(), 3); // re-read under the lock: v2 is kept
        auto underV2 = second.value()->wrap(dataKey(), kAad);
        QCOMPARE(underV2->kekVersion, 2);
        auto underV3 = first.value()->wrap(dataKey(), kAad);
        QCOMPARE(underV3->kekVersion, 3);
        QCOMPARE(unwrapToBytes(*second.value(), underV3.value(), kAad), dataKey()); // reloads
        QCOMPARE(unwrapToBytes(*first.value(), underV2.value(), kAad), dataKey());
        QCOMPARE(second.value()->currentKekVersion(), 3);
    }

    void concurrentFirstOpensAgreeOnOneKeyring()
    {
        const QString file = path(QStringLiteral("race/keyring"));
        std::vector<QString> ids(8);
        std::vector<std::thread> threads;
        for (int i = 0; i < 8; ++i)
            threads.emplace_back([&, i] {
                auto provider = LocalKeyringProvider::open(file);
                ids[size_t(i)] = provider ? provider.value()->kekId() : provider.error().message;
            });
        for (auto &t : threads)
            t.join();
        for (const QString &id : ids)
            QCOMPARE(id, ids.front());
        QVERIFY(ids.front().startsWith(QStringLiteral("keyring:")));
    }

    void factoryUsesTheDefaultPathOrTheConfiguredOne()
    {
        KeysConfig config;
        const QString fallback = path(QStringLiteral("factory/secrets/tenant-keyring"));
        auto provider = openKeyProvider(config, fallback);
        QVERIFY2(provider.ok(), provider.ok() ? "" : qPrintable(provider.error().message));
        QCOMPARE(provider.value()->kind(), QStringLiteral("keyring"));
        QVERIFY(QFile::exists(fallback));
        config.keyringFile = path(QStringLiteral("factory/configured"));
        QVERIFY(openKeyProvider(config, fallback).ok());
        QVERIFY(QFile::exists(config.keyringFile));
        config.keyringFile.clear();
        QCOMPARE(openKeyProvider(config, QString()).error().code, ErrorCode::Config);
        config.provider = KeysConfig::Provider::Pkcs11;
        config.pkcs11.module = path(QStringLiteral("no-such-module.so"));
        config.pkcs11.tokenLabel = QStringLiteral("t");
        config.pkcs11.keyLabel = QStringLiteral("k");
        config.pkcs11.pinEnv = QStringLiteral("UPCOACH_TEST_UNSET_PIN_VARIABLE");
        auto hsm = openKeyProvider(config, fallback);
        QCOMPARE(hsm.error().code, ErrorCode::Config);
        QVERIFY2(hsm.error().message.contains(QStringLiteral("UPCOACH_TEST_UNSET_PIN_VARIABLE")),
                 qPrintable(hsm.error().message));
        qputenv("UPCOACH_TEST_SET_PIN_VARIABLE", "1234");
        config.pkcs11.pinEnv = QStringLiteral("UPCOACH_TEST_SET_PIN_VARIABLE");
        hsm = openKeyProvider(config, fallback);
        QCOMPARE(hsm.error().code, ErrorCode::Config);
        QVERIFY2(hsm.error().message.contains(QStringLiteral("cannot load PKCS#11 module")),
                 qPrintable(hsm.error().message));
        QVERIFY(!hsm.error().message.contains(QStringLiteral("1234")));
    }

    void secretBytesWipeAndMove()
    {
        auto random = SecretBytes::random(32);
        QVERIFY(random.ok());
        QCOMPARE(random->size(), 32);
        SecretBytes moved = std::move(random.value());
        QCOMPARE(moved.size(), 32);
        QVERIFY(random->isEmpty()); // NOLINT(bugprone-use-after-move): moved-from is empty
        moved.wipe();
        QVERIFY(moved.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestKeyring)
#include "test_keyring.moc"
