// Pkcs11KeyProvider against a real SoftHSM2 token that this suite creates in its own temporary
// directory (SOFTHSM2_CONF points at a private softhsm2.conf; system tokens are never touched).
// The KEK is checked through raw PKCS#11 calls, independently of the provider: sensitive, never
// extractable, its value unreadable.
#include "upcoach/tenancy/keyprovider.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <dlfcn.h>
#include <p11-kit/pkcs11.h>

using namespace upcoach;
using namespace upcoach::tenancy;

namespace {

const QString kTokenLabel = QStringLiteral("upcoach-test");
const QByteArray kUserPin = "246813";
const QByteArray kSoPin = "97531357";
const QByteArray kAad("tenant=0190f0a4;version=1");

QString softhsmModule()
{
    for (const char *candidate :
         {"/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"})
        if (QFile::exists(QLatin1String(candidate)))
            return QLatin1String(candidate);
    return {};
}

QByteArray dataKey()
{
    return QByteArray::fromHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
}

// What the token says about one object, read with plain PKCS#11 calls.
struct RawKeyFacts
{
    bool found = false;
    int count = 0;
    CK_BBOOL extractable = CK_TRUE;
    CK_BBOOL neverExtractable = CK_FALSE;
    CK_BBOOL sensitive = CK_FALSE;
    CK_BBOOL alwaysSensitive = CK_FALSE;
    CK_RV valueRead = CKR_OK;
    QString error;
};

// A raw PKCS#11 client for the checks: loads the module, initializes it if nobody has, opens a
// session, logs in, and closes the session afterwards (closing the last session logs out).
class RawToken
{
public:
    RawToken()
    {
        m_library = ::dlopen(QFile::encodeName(softhsmModule()).constData(), RTLD_NOW);
        if (!m_library)
            return;
        auto get = reinterpret_cast<CK_C_GetFunctionList>(::dlsym(m_library, "C_GetFunctionList"));
        if (!get || get(&m_fn) != CKR_OK)
            m_fn = nullptr;
    }
    ~RawToken()
    {
        if (m_library)
            ::dlclose(m_library);
    }

    template<typename Fn> QString withSession(Fn &&fn)
    {
        if (!m_fn)
            return QStringLiteral("module not loaded");
        CK_C_INITIALIZE_ARGS args = {nullptr, nullptr,           nullptr,
                                     nullptr, CKF_OS_LOCKING_OK, nullptr};
        const CK_RV init = m_fn->C_Initialize(&args);
        if (init != CKR_OK && init != CKR_CRYPTOKI_ALREADY_INITIALIZED)
            return QStringLiteral("C_Initialize %1").arg(init);
        CK_SLOT_ID slots[16];
        CK_ULONG count = 16;
        if (m_fn->C_GetSlotList(CK_TRUE, slots, &count) != CKR_OK)
            return QStringLiteral("C_GetSlotList");
        for (CK_ULONG i = 0; i < count; ++i) {
            CK_TOKEN_INFO info;
            if (m_fn->C_GetTokenInfo(slots[i], &info) != CKR_OK)
                continue;
            QByteArray label(reinterpret_cast<const char *>(info.label), 32);
            if (label.trimmed() != kTokenLabel.toUtf8())
                continue;
            CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
            if (m_fn->C_OpenSession(slots[i], CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr,
                                    &session) != CKR_OK)
                return QStringLiteral("C_OpenSession");
            const CK_RV login = m_fn->C_Login(
                session, CKU_USER,
                reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char *>(kUserPin.data())),
                CK_ULONG(kUserPin.size()));
            QString result;
            if (login != CKR_OK && login != CKR_USER_ALREADY_LOGGED_IN)
                result = QStringLiteral("C_Login %1").arg(login);
            else
                result = fn(m_fn, session);
            m_fn->C_CloseSession(session);
            return result;
        }
        return QStringLiteral("token not found");
    }

    RawKeyFacts facts(const QString &label)
    {
        RawKeyFacts facts;
        facts.error = withSession([&](CK_FUNCTION_LIST_PTR fn, CK_SESSION_HANDLE session) {
            const QByteArray text = label.toUtf8();
            CK_ATTRIBUTE filter[] = {
                {CKA_LABEL, const_cast<char *>(text.constData()), CK_ULONG(text.size())}};
            fn->C_FindObjectsInit(session, filter, 1);
            CK_OBJECT_HANDLE objects[8];
            CK_ULONG n = 0;
            fn->C_FindObjects(session, objects, 8, &n);
            fn->C_FindObjectsFinal(session);
            facts.count = int(n);
            if (n == 0)
                return QString();
            facts.found = true;
            CK_ATTRIBUTE query[] = {
                {CKA_EXTRACTABLE, &facts.extractable, sizeof(CK_BBOOL)},
                {CKA_NEVER_EXTRACTABLE, &facts.neverExtractable, sizeof(CK_BBOOL)},
                {CKA_SENSITIVE, &facts.sensitive, sizeof(CK_BBOOL)},
                {CKA_ALWAYS_SENSITIVE, &facts.alwaysSensitive, sizeof(CK_BBOOL)},
            };
            if (fn->C_GetAttributeValue(session, objects[0], query, 4) != CKR_OK)
                return QStringLiteral("C_GetAttributeValue");
            unsigned char value[64];
            CK_ATTRIBUTE secret[] = {{CKA_VALUE, value, sizeof value}};
            facts.valueRead = fn->C_GetAttributeValue(session, objects[0], secret, 1);
            return QString();
        });
        return facts;
    }

    // Creates an AES key the provider must refuse: extractable and not sensitive.
    QString createExtractableKey(const QString &label)
    {
        return withSession([&](CK_FUNCTION_LIST_PTR fn, CK_SESSION_HANDLE session) {
            const QByteArray text = label.toUtf8();
            CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
            CK_KEY_TYPE type = CKK_AES;
            CK_ULONG length = 32;
            CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
            CK_ATTRIBUTE templ[] = {
                {CKA_CLASS, &cls, sizeof cls},
                {CKA_KEY_TYPE, &type, sizeof type},
                {CKA_VALUE_LEN, &length, sizeof length},
                {CKA_TOKEN, &yes, sizeof yes},
                {CKA_PRIVATE, &yes, sizeof yes},
                {CKA_SENSITIVE, &no, sizeof no},
                {CKA_EXTRACTABLE, &yes, sizeof yes},
                {CKA_ENCRYPT, &yes, sizeof yes},
                {CKA_DECRYPT, &yes, sizeof yes},
                {CKA_LABEL, const_cast<char *>(text.constData()), CK_ULONG(text.size())},
            };
            CK_MECHANISM mechanism = {CKM_AES_KEY_GEN, nullptr, 0};
            CK_OBJECT_HANDLE key = CK_INVALID_HANDLE;
            const CK_RV rv = fn->C_GenerateKey(session, &mechanism, templ, 10, &key);
            return rv == CKR_OK ? QString() : QStringLiteral("C_GenerateKey %1").arg(rv);
        });
    }

private:
    void *m_library = nullptr;
    CK_FUNCTION_LIST_PTR m_fn = nullptr;
};

QStringList g_logLines;
QtMessageHandler g_previousHandler = nullptr;

void captureMessages(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_logLines << message;
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

} // namespace

class TestPkcs11Provider : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

    Pkcs11KeysConfig config(const QString &keyLabel, bool create = true) const
    {
        Pkcs11KeysConfig c;
        c.module = softhsmModule();
        c.tokenLabel = kTokenLabel;
        c.pinEnv = QStringLiteral("UPCOACH_TEST_HSM_PIN");
        c.keyLabel = keyLabel;
        c.createKey = create;
        return c;
    }

    static QByteArray unwrapToBytes(KeyProvider &provider, const WrappedKey &wrapped)
    {
        auto key = provider.unwrap(wrapped, kAad);
        return key ? key->view().toByteArray() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!softhsmModule().isEmpty(),
                 "SoftHSM2 is not installed (libsofthsm2); run scripts/setup.sh");
        const QString util = QStandardPaths::findExecutable(QStringLiteral("softhsm2-util"));
        QVERIFY2(!util.isEmpty(), "softhsm2-util is missing (softhsm2); run scripts/setup.sh");
        QVERIFY(m_dir.isValid());
        const QString tokens = m_dir.filePath(QStringLiteral("tokens"));
        QVERIFY(QDir().mkpath(tokens));
        const QString conf = m_dir.filePath(QStringLiteral("softhsm2.conf"));
        QFile file(conf);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("directories.tokendir = " + QFile::encodeName(tokens) +
                   "\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        file.close();
        qputenv("SOFTHSM2_CONF", QFile::encodeName(conf));
        qputenv("UPCOACH_TEST_HSM_PIN", kUserPin);
        QProcess init;
        init.start(util, {QStringLiteral("--init-token"), QStringLiteral("--free"),
                          QStringLiteral("--label"), kTokenLabel, QStringLiteral("--pin"),
                          QString::fromLatin1(kUserPin), QStringLiteral("--so-pin"),
                          QString::fromLatin1(kSoPin)});
        QVERIFY(init.waitForFinished(30000));
        QVERIFY2(init.exitCode() == 0, init.readAllStandardError().constData());
        g_previousHandler = qInstallMessageHandler(captureMessages);
    }

    void cleanupTestCase()
    {
        qInstallMessageHandler(g_previousHandler);
        for (const QString &line : std::as_const(g_logLines)) {
            QVERIFY2(!line.contains(QString::fromLatin1(kUserPin)), qPrintable(line));
            QVERIFY2(!line.contains(QStringLiteral("wrong-pin-9999")), qPrintable(line));
        }
    }

    // First, while no session of this process is logged in (a logged-in application would get
    // CKR_USER_ALREADY_LOGGED_IN whatever PIN it presents).
    void wrongPinIsAClearError()
    {
        qputenv("UPCOACH_TEST_WRONG_PIN", "wrong-pin-9999");
        Pkcs11KeysConfig c = config(QStringLiteral("upcoach-kek"));
        c.pinEnv = QStringLiteral("UPCOACH_TEST_WRONG_PIN");
        auto provider = Pkcs11KeyProvider::open(c);
        QVERIFY(!provider.ok());
        QCOMPARE(provider.error().code, ErrorCode::Unauthorized);
        const QString message = provider.error().message;
        QVERIFY2(message.contains(QStringLiteral("PIN was rejected (CKR_PIN_INCORRECT)")),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("UPCOACH_TEST_WRONG_PIN")), qPrintable(message));
        QVERIFY(!message.contains(QStringLiteral("wrong-pin-9999")));
        // Nothing was created by the failed attempt.
        QVERIFY(!RawToken().facts(QStringLiteral("upcoach-kek.v1")).found);

        const QString pinFile = m_dir.filePath(QStringLiteral("bad-pin"));
        QFile file(pinFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("wrong-pin-9999\n");
        file.close();
        c.pinEnv.clear();
        c.pinFile = pinFile;
        auto fromFile = Pkcs11KeyProvider::open(c);
        QCOMPARE(fromFile.error().code, ErrorCode::Unauthorized);
        QVERIFY(fromFile.error().message.contains(pinFile));
    }

    void missingTokenOrKeyAreConfigErrors()
    {
        Pkcs11KeysConfig c = config(QStringLiteral("upcoach-kek"));
        c.tokenLabel = QStringLiteral("no-such-token");
        auto noToken = Pkcs11KeyProvider::open(c);
        QCOMPARE(noToken.error().code, ErrorCode::Config);
        QVERIFY2(noToken.error().message.contains(QStringLiteral("\"upcoach-test\"")),
                 qPrintable(noToken.error().message)); // lists the tokens that are there
        QVERIFY(noToken.error().message.contains(QStringLiteral("softhsm2-util --init-token")));

        auto noKey = Pkcs11KeyProvider::open(config(QStringLiteral("absent-kek"), false));
        QCOMPARE(noKey.error().code, ErrorCode::Config);
        QVERIFY2(noKey.error().message.contains(QStringLiteral("absent-kek.v1")),
                 qPrintable(noKey.error().message));
        QVERIFY(noKey.error().message.contains(QStringLiteral("create_key: true")));
        QVERIFY(!RawToken().facts(QStringLiteral("absent-kek.v1")).found);

        qunsetenv("UPCOACH_TEST_UNSET_PIN");
        Pkcs11KeysConfig unset = config(QStringLiteral("upcoach-kek"));
        unset.pinEnv = QStringLiteral("UPCOACH_TEST_UNSET_PIN");
        auto noPin = Pkcs11KeyProvider::open(unset);
        QCOMPARE(noPin.error().code, ErrorCode::Config);
        QVERIFY(noPin.error().message.contains(QStringLiteral("UPCOACH_TEST_UNSET_PIN")));
    }

    void wrapAndUnwrapOnTheToken()
    {
        auto provider = Pkcs11KeyProvider::open(config(QStringLiteral("upcoach-kek")));
        QVERIFY2(provider.ok(), provider.ok() ? "" : qPrintable(provider.error().message));
        QCOMPARE(provider.value()->kind(), QStringLiteral("pkcs11"));
        QCOMPARE(provider.value()->kekId(), QStringLiteral("pkcs11:upcoach-test/upcoach-kek"));
        QCOMPARE(provider.value()->currentKekVersion(), 1);
        auto wrapped = provider.value()->wrap(dataKey(), kAad);
        QVERIFY2(wrapped.ok(), wrapped.ok() ? "" : qPrintable(wrapped.error().message));
        QCOMPARE(wrapped->kekVersion, 1);
        QCOMPARE(wrapped->blob.size(), 1 + 12 + 32 + 16);
        QVERIFY(!wrapped->blob.contains(dataKey()));
        QCOMPARE(unwrapToBytes(*provider.value(), wrapped.value()), dataKey());
        QVERIFY(provider.value()->wrap(dataKey(), kAad)->blob != wrapped->blob);

        auto otherAad = provider.value()->unwrap(wrapped.value(), "tenant=other;version=1");
        QVERIFY2(otherAad.error().code == ErrorCode::Unauthorized,
                 qPrintable(otherAad.error().message));
        for (qsizetype i : {qsizetype(5), qsizetype(20), wrapped->blob.size() - 1}) {
            WrappedKey tampered = wrapped.value();
            tampered.blob[i] = char(tampered.blob.at(i) ^ 0x80);
            auto result = provider.value()->unwrap(tampered, kAad);
            QCOMPARE(result.error().code, ErrorCode::Unauthorized);
        }
        WrappedKey foreign = wrapped.value();
        foreign.kekId = QStringLiteral("keyring:00000000-0000-0000-0000-000000000001");
        QCOMPARE(provider.value()->unwrap(foreign, kAad).error().code, ErrorCode::NotFound);

        // A second provider (as another serve instance would) finds the same KEK.
        provider.value().reset();
        auto again = Pkcs11KeyProvider::open(config(QStringLiteral("upcoach-kek"), false));
        QVERIFY(again.ok());
        QCOMPARE(unwrapToBytes(*again.value(), wrapped.value()), dataKey());
    }

    void theKekNeverLeavesTheToken()
    {
        auto provider = Pkcs11KeyProvider::open(config(QStringLiteral("upcoach-kek")));
        QVERIFY(provider.ok());
        const RawKeyFacts facts = RawToken().facts(provider.value()->labelOf(1));
        QVERIFY2(facts.error.isEmpty(), qPrintable(facts.error));
        QVERIFY(facts.found);
        QCOMPARE(facts.count, 1);
        QCOMPARE(facts.extractable, CK_BBOOL(CK_FALSE));
        QCOMPARE(facts.neverExtractable, CK_BBOOL(CK_TRUE));
        QCOMPARE(facts.sensitive, CK_BBOOL(CK_TRUE));
        QCOMPARE(facts.alwaysSensitive, CK_BBOOL(CK_TRUE));
        QCOMPARE(facts.valueRead, CK_RV(CKR_ATTRIBUTE_SENSITIVE));
    }

    void anExtractableKekIsRefused()
    {
        const QString error = RawToken().createExtractableKey(QStringLiteral("leaky-kek.v1"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        auto provider = Pkcs11KeyProvider::open(config(QStringLiteral("leaky-kek"), false));
        QVERIFY(!provider.ok());
        QCOMPARE(provider.error().code, ErrorCode::Forbidden);
        QVERIFY2(provider.error().message.contains(QStringLiteral("extractable")),
                 qPrintable(provider.error().message));
    }

    void rotationKeepsOldVersions()
    {
        auto provider = Pkcs11KeyProvider::open(config(QStringLiteral("rotating-kek")));
        QVERIFY(provider.ok());
        auto underV1 = provider.value()->wrap(dataKey(), kAad);
        QVERIFY(underV1.ok());
        auto rotated = provider.value()->rotate();
        QVERIFY2(rotated.ok(), rotated.ok() ? "" : qPrintable(rotated.error().message));
        QCOMPARE(rotated.value(), 2);
        QCOMPARE(provider.value()->currentKekVersion(), 2);
        auto underV2 = provider.value()->wrap(dataKey(), kAad);
        QVERIFY(underV2.ok());
        QCOMPARE(underV2->kekVersion, 2);
        QCOMPARE(unwrapToBytes(*provider.value(), underV1.value()), dataKey());
        QCOMPARE(unwrapToBytes(*provider.value(), underV2.value()), dataKey());
        WrappedKey relabelled = underV2.value();
        relabelled.kekVersion = 1; // the versions are different keys on the token
        QCOMPARE(provider.value()->unwrap(relabelled, kAad).error().code, ErrorCode::Unauthorized);

        // Another instance opened before the rotation picks up v2 when it meets it.
        auto other = Pkcs11KeyProvider::open(config(QStringLiteral("rotating-kek"), false));
        QVERIFY(other.ok());
        QCOMPARE(provider.value()->rotate().value(), 3);
        auto underV3 = provider.value()->wrap(dataKey(), kAad);
        QCOMPARE(unwrapToBytes(*other.value(), underV3.value()), dataKey());
        QCOMPARE(other.value()->currentKekVersion(), 3);

        provider.value().reset();
        other.value().reset();
        auto reopened = Pkcs11KeyProvider::open(config(QStringLiteral("rotating-kek"), false));
        QVERIFY(reopened.ok());
        QCOMPARE(reopened.value()->currentKekVersion(), 3);
        for (const auto *wrapped : {&underV1.value(), &underV2.value(), &underV3.value()})
            QCOMPARE(unwrapToBytes(*reopened.value(), *wrapped), dataKey());
        for (int version = 1; version <= 3; ++version) {
            const RawKeyFacts facts =
                RawToken().facts(QStringLiteral("rotating-kek.v%1").arg(version));
            QVERIFY(facts.found);
            QCOMPARE(facts.extractable, CK_BBOOL(CK_FALSE));
            QCOMPARE(facts.valueRead, CK_RV(CKR_ATTRIBUTE_SENSITIVE));
        }
    }

    void factoryOpensThePkcs11Provider()
    {
        KeysConfig keys;
        keys.provider = KeysConfig::Provider::Pkcs11;
        keys.pkcs11 = config(QStringLiteral("upcoach-kek"), false);
        auto provider = openKeyProvider(keys, m_dir.filePath(QStringLiteral("unused-keyring")));
        QVERIFY2(provider.ok(), provider.ok() ? "" : qPrintable(provider.error().message));
        QCOMPARE(provider.value()->kind(), QStringLiteral("pkcs11"));
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("unused-keyring"))));
    }
};

QTEST_GUILESS_MAIN(TestPkcs11Provider)
#include "test_pkcs11_provider.moc"
