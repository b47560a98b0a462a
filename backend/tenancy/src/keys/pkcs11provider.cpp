// KEKs on a PKCS#11 token. The module is dlopen()ed (no link-time dependency on any HSM
// vendor); the header is p11-kit's standard pkcs11.h. The KEK never leaves the token: wrapping
// is C_Encrypt with CKM_AES_GCM on a CKA_SENSITIVE, non-extractable key.
#include "keyslogging.h"
#include "upcoach/core/crypto.h"
#include "upcoach/tenancy/keyprovider.h"
#include "wireformat.h"

#include <QFile>
#include <QRegularExpression>
#include <QStringList>
#include <algorithm>
#include <dlfcn.h>
#include <map>
#include <optional>
#include <vector>

// Last: the header defines (and later undefines) many short macros.
#include <p11-kit/pkcs11.h>

namespace upcoach::tenancy {

namespace {

const QByteArray kWrapContext = QByteArrayLiteral("upcoach/pkcs11-wrap/v1");
constexpr char kBlobFormat = 0x01;
constexpr CK_ULONG kKekBytes = 32;
constexpr qsizetype kMaxPinBytes = 256;
constexpr CK_ULONG kMaxObjects = 4096;

QString rvName(CK_RV rv)
{
    switch (rv) {
    case CKR_OK:
        return QStringLiteral("CKR_OK");
    case CKR_GENERAL_ERROR:
        return QStringLiteral("CKR_GENERAL_ERROR");
    case CKR_ARGUMENTS_BAD:
        return QStringLiteral("CKR_ARGUMENTS_BAD");
    case CKR_ATTRIBUTE_SENSITIVE:
        return QStringLiteral("CKR_ATTRIBUTE_SENSITIVE");
    case CKR_ATTRIBUTE_TYPE_INVALID:
        return QStringLiteral("CKR_ATTRIBUTE_TYPE_INVALID");
    case CKR_ATTRIBUTE_VALUE_INVALID:
        return QStringLiteral("CKR_ATTRIBUTE_VALUE_INVALID");
    case CKR_CRYPTOKI_NOT_INITIALIZED:
        return QStringLiteral("CKR_CRYPTOKI_NOT_INITIALIZED");
    case CKR_DATA_INVALID:
        return QStringLiteral("CKR_DATA_INVALID");
    case CKR_DATA_LEN_RANGE:
        return QStringLiteral("CKR_DATA_LEN_RANGE");
    case CKR_DEVICE_ERROR:
        return QStringLiteral("CKR_DEVICE_ERROR");
    case CKR_DEVICE_REMOVED:
        return QStringLiteral("CKR_DEVICE_REMOVED");
    case CKR_ENCRYPTED_DATA_INVALID:
        return QStringLiteral("CKR_ENCRYPTED_DATA_INVALID");
    case CKR_ENCRYPTED_DATA_LEN_RANGE:
        return QStringLiteral("CKR_ENCRYPTED_DATA_LEN_RANGE");
    case CKR_FUNCTION_FAILED:
        return QStringLiteral("CKR_FUNCTION_FAILED");
    case CKR_KEY_HANDLE_INVALID:
        return QStringLiteral("CKR_KEY_HANDLE_INVALID");
    case CKR_MECHANISM_INVALID:
        return QStringLiteral("CKR_MECHANISM_INVALID");
    case CKR_MECHANISM_PARAM_INVALID:
        return QStringLiteral("CKR_MECHANISM_PARAM_INVALID");
    case CKR_OBJECT_HANDLE_INVALID:
        return QStringLiteral("CKR_OBJECT_HANDLE_INVALID");
    case CKR_PIN_INCORRECT:
        return QStringLiteral("CKR_PIN_INCORRECT");
    case CKR_PIN_LEN_RANGE:
        return QStringLiteral("CKR_PIN_LEN_RANGE");
    case CKR_PIN_LOCKED:
        return QStringLiteral("CKR_PIN_LOCKED");
    case CKR_SESSION_CLOSED:
        return QStringLiteral("CKR_SESSION_CLOSED");
    case CKR_SESSION_HANDLE_INVALID:
        return QStringLiteral("CKR_SESSION_HANDLE_INVALID");
    case CKR_TEMPLATE_INCOMPLETE:
        return QStringLiteral("CKR_TEMPLATE_INCOMPLETE");
    case CKR_TEMPLATE_INCONSISTENT:
        return QStringLiteral("CKR_TEMPLATE_INCONSISTENT");
    case CKR_TOKEN_NOT_PRESENT:
        return QStringLiteral("CKR_TOKEN_NOT_PRESENT");
    case CKR_USER_ALREADY_LOGGED_IN:
        return QStringLiteral("CKR_USER_ALREADY_LOGGED_IN");
    case CKR_USER_NOT_LOGGED_IN:
        return QStringLiteral("CKR_USER_NOT_LOGGED_IN");
    case CKR_USER_PIN_NOT_INITIALIZED:
        return QStringLiteral("CKR_USER_PIN_NOT_INITIALIZED");
    case CKR_BUFFER_TOO_SMALL:
        return QStringLiteral("CKR_BUFFER_TOO_SMALL");
    case CKR_CRYPTOKI_ALREADY_INITIALIZED:
        return QStringLiteral("CKR_CRYPTOKI_ALREADY_INITIALIZED");
    default:
        return QStringLiteral("CKR 0x%1").arg(qulonglong(rv), 0, 16);
    }
}

bool sessionLost(CK_RV rv)
{
    return rv == CKR_SESSION_HANDLE_INVALID || rv == CKR_SESSION_CLOSED ||
           rv == CKR_USER_NOT_LOGGED_IN || rv == CKR_DEVICE_REMOVED ||
           rv == CKR_TOKEN_NOT_PRESENT || rv == CKR_CRYPTOKI_NOT_INITIALIZED;
}

// One entry per module path: loaded and C_Initialize()d once per process, finalized and
// unloaded when the last provider using it closes (so a later open reads the module's
// configuration afresh).
struct LoadedModule
{
    void *library = nullptr;
    CK_FUNCTION_LIST_PTR functions = nullptr;
    int users = 0;
    bool finalize = false; // we initialized it, so we finalize it
};

std::mutex g_modulesMutex;
std::map<QString, LoadedModule> g_modules;

Result<CK_FUNCTION_LIST_PTR> acquireModule(const QString &path)
{
    std::lock_guard lock(g_modulesMutex);
    auto found = g_modules.find(path);
    if (found != g_modules.end()) {
        ++found->second.users;
        return found->second.functions;
    }
    const QString key = QStringLiteral("keys.pkcs11.module");
    void *library = ::dlopen(QFile::encodeName(path).constData(), RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char *reason = ::dlerror();
        return makeError(ErrorCode::Config, QStringLiteral("%1: cannot load PKCS#11 module %2: %3")
                                                .arg(key, path,
                                                     reason ? QString::fromLocal8Bit(reason)
                                                            : QStringLiteral("unknown error")));
    }
    auto getFunctionList =
        reinterpret_cast<CK_C_GetFunctionList>(::dlsym(library, "C_GetFunctionList"));
    CK_FUNCTION_LIST_PTR functions = nullptr;
    if (!getFunctionList || getFunctionList(&functions) != CKR_OK || !functions) {
        ::dlclose(library);
        return makeError(
            ErrorCode::Config,
            QStringLiteral("%1: %2 is not a PKCS#11 module (no C_GetFunctionList)").arg(key, path));
    }
    CK_C_INITIALIZE_ARGS args = {nullptr, nullptr, nullptr, nullptr, CKF_OS_LOCKING_OK, nullptr};
    const CK_RV rv = functions->C_Initialize(&args);
    if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        ::dlclose(library);
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("%1: PKCS#11 module %2 failed to initialize (%3)")
                             .arg(key, path, rvName(rv)));
    }
    LoadedModule module;
    module.library = library;
    module.functions = functions;
    module.users = 1;
    module.finalize = rv == CKR_OK;
    g_modules.emplace(path, module);
    return functions;
}

void releaseModule(const QString &path)
{
    std::lock_guard lock(g_modulesMutex);
    auto found = g_modules.find(path);
    if (found == g_modules.end() || --found->second.users > 0)
        return;
    if (found->second.finalize)
        found->second.functions->C_Finalize(nullptr);
    ::dlclose(found->second.library);
    g_modules.erase(found);
}

QString trimmedLabel(const unsigned char *label, size_t size)
{
    QByteArray text(reinterpret_cast<const char *>(label), qsizetype(size));
    while (!text.isEmpty() && (text.endsWith(' ') || text.endsWith('\0')))
        text.chop(1);
    return QString::fromUtf8(text);
}

Result<SecretBytes> readPin(const Pkcs11KeysConfig &config)
{
    QByteArray pin;
    if (!config.pinEnv.isEmpty()) {
        const QByteArray name = config.pinEnv.toLocal8Bit();
        if (!qEnvironmentVariableIsSet(name.constData()))
            return makeError(ErrorCode::Config,
                             QStringLiteral("keys.pkcs11.pin_env: environment variable %1 is not "
                                            "set (it must hold the token's user PIN)")
                                 .arg(config.pinEnv));
        pin = qgetenv(name.constData());
    } else if (!config.pinFile.isEmpty()) {
        QFile file(config.pinFile);
        if (!file.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::Config, QStringLiteral("keys.pkcs11.pin_file: cannot read "
                                                               "%1: %2")
                                                    .arg(config.pinFile, file.errorString()));
        if (file.size() > kMaxPinBytes)
            return makeError(ErrorCode::Config,
                             QStringLiteral("keys.pkcs11.pin_file: %1 is larger than %2 bytes; "
                                            "it should hold only the PIN")
                                 .arg(config.pinFile)
                                 .arg(kMaxPinBytes));
        pin = file.read(kMaxPinBytes + 1);
        while (!pin.isEmpty() && (pin.endsWith('\n') || pin.endsWith('\r')))
            pin.chop(1);
    } else {
        return makeError(ErrorCode::Config,
                         QStringLiteral("keys.pkcs11: set pin_env or pin_file (the token's user "
                                        "PIN)"));
    }
    if (pin.isEmpty() || pin.size() > kMaxPinBytes) {
        crypto::secureWipe(pin);
        return makeError(ErrorCode::Config,
                         QStringLiteral("keys.pkcs11: the PIN is empty or longer than %1 bytes")
                             .arg(kMaxPinBytes));
    }
    return SecretBytes(std::move(pin));
}

CK_ATTRIBUTE attribute(CK_ATTRIBUTE_TYPE type, void *value, CK_ULONG length)
{
    CK_ATTRIBUTE a;
    a.type = type;
    a.pValue = value;
    a.ulValueLen = length;
    return a;
}

// One candidate object for a KEK version (duplicates can appear when two processes rotate at
// once; they are ordered by CKA_ID and unwrap tries each).
struct KekObject
{
    CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
    QByteArray id;
};

} // namespace

struct Pkcs11KeyProvider::Session
{
    QString modulePath;
    QString tokenLabel;
    QString keyLabel;
    CK_FUNCTION_LIST_PTR fn = nullptr;
    CK_SESSION_HANDLE handle = CK_INVALID_HANDLE;
    bool moduleAcquired = false;
    std::map<int, std::vector<KekObject>> keks;

    ~Session()
    {
        if (handle != CK_INVALID_HANDLE)
            fn->C_CloseSession(handle);
        if (moduleAcquired)
            releaseModule(modulePath);
    }

    QString where() const { return QStringLiteral("PKCS#11 token \"%1\"").arg(tokenLabel); }

    Error failure(const QString &what, CK_RV rv) const
    {
        if (sessionLost(rv))
            return makeError(ErrorCode::Unavailable,
                             QStringLiteral("%1: %2 failed (%3): the session with the token was "
                                            "lost; restart upcoach-ops to log in again")
                                 .arg(where(), what, rvName(rv)));
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("%1: %2 failed (%3)").arg(where(), what, rvName(rv)));
    }

    QString labelOf(int version) const
    {
        return keyLabel + QStringLiteral(".v") + QString::number(version);
    }

    Result<QByteArray> readAttribute(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) const
    {
        CK_ATTRIBUTE query = attribute(type, nullptr, 0);
        CK_RV rv = fn->C_GetAttributeValue(handle, object, &query, 1);
        if (rv != CKR_OK)
            return failure(QStringLiteral("C_GetAttributeValue"), rv);
        if (query.ulValueLen > 1024)
            return failure(QStringLiteral("C_GetAttributeValue (oversized attribute)"),
                           CKR_GENERAL_ERROR);
        QByteArray value(qsizetype(query.ulValueLen), Qt::Uninitialized);
        query.pValue = value.data();
        rv = fn->C_GetAttributeValue(handle, object, &query, 1);
        if (rv != CKR_OK)
            return failure(QStringLiteral("C_GetAttributeValue"), rv);
        value.truncate(qsizetype(query.ulValueLen));
        return value;
    }

    // Refuses a KEK that could leave the token or cannot do its job.
    Status checkKek(CK_OBJECT_HANDLE object, const QString &label) const
    {
        CK_BBOOL extractable = CK_TRUE, sensitive = CK_FALSE, encrypt = CK_FALSE,
                 decrypt = CK_FALSE;
        CK_ULONG length = 0;
        CK_ATTRIBUTE query[] = {
            attribute(CKA_EXTRACTABLE, &extractable, sizeof extractable),
            attribute(CKA_SENSITIVE, &sensitive, sizeof sensitive),
            attribute(CKA_ENCRYPT, &encrypt, sizeof encrypt),
            attribute(CKA_DECRYPT, &decrypt, sizeof decrypt),
            attribute(CKA_VALUE_LEN, &length, sizeof length),
        };
        const CK_RV rv = fn->C_GetAttributeValue(handle, object, query, std::size(query));
        if (rv != CKR_OK)
            return failure(QStringLiteral("reading the attributes of key \"%1\"").arg(label), rv);
        if (extractable != CK_FALSE || sensitive != CK_TRUE)
            return makeError(ErrorCode::Forbidden,
                             QStringLiteral("%1: key \"%2\" is extractable or not sensitive; a KEK "
                                            "must never be able to leave the token. Remove it and "
                                            "let upcoach-ops create the key (create_key: true)")
                                 .arg(where(), label));
        if (encrypt != CK_TRUE || decrypt != CK_TRUE || length != kKekBytes)
            return makeError(ErrorCode::Config,
                             QStringLiteral("%1: key \"%2\" is not a 256-bit AES key allowed to "
                                            "encrypt and decrypt")
                                 .arg(where(), label));
        return {};
    }

    // Every AES secret key labelled "<keyLabel>.v<N>", checked.
    Status findKeks()
    {
        CK_OBJECT_CLASS secretKey = CKO_SECRET_KEY;
        CK_KEY_TYPE aes = CKK_AES;
        CK_ATTRIBUTE filter[] = {attribute(CKA_CLASS, &secretKey, sizeof secretKey),
                                 attribute(CKA_KEY_TYPE, &aes, sizeof aes)};
        CK_RV rv = fn->C_FindObjectsInit(handle, filter, std::size(filter));
        if (rv != CKR_OK)
            return failure(QStringLiteral("C_FindObjectsInit"), rv);
        std::vector<CK_OBJECT_HANDLE> objects;
        for (;;) {
            CK_OBJECT_HANDLE batch[64];
            CK_ULONG found = 0;
            rv = fn->C_FindObjects(handle, batch, std::size(batch), &found);
            if (rv != CKR_OK || found == 0)
                break;
            objects.insert(objects.end(), batch, batch + found);
            if (objects.size() > kMaxObjects)
                break;
        }
        fn->C_FindObjectsFinal(handle);
        if (rv != CKR_OK)
            return failure(QStringLiteral("C_FindObjects"), rv);
        const QRegularExpression pattern(
            QStringLiteral("^%1\\.v([1-9][0-9]{0,8})$").arg(QRegularExpression::escape(keyLabel)));
        std::map<int, std::vector<KekObject>> found;
        for (const CK_OBJECT_HANDLE object : objects) {
            auto label = readAttribute(object, CKA_LABEL);
            if (!label)
                return label.error();
            const auto match = pattern.match(QString::fromUtf8(label.value()));
            if (!match.hasMatch())
                continue;
            const QString text = QString::fromUtf8(label.value());
            if (auto checked = checkKek(object, text); !checked)
                return checked;
            auto id = readAttribute(object, CKA_ID);
            if (!id)
                return id.error();
            found[match.captured(1).toInt()].push_back(KekObject{object, id.value()});
        }
        for (auto &[version, candidates] : found) {
            std::sort(candidates.begin(), candidates.end(),
                      [](const KekObject &a, const KekObject &b) { return a.id < b.id; });
            if (candidates.size() > 1)
                qCWarning(lcTenancyKeys).noquote()
                    << where() << "holds" << candidates.size() << "keys labelled"
                    << labelOf(version) << "(concurrent rotations); wrapping with the first by "
                    << "CKA_ID, unwrapping tries each";
        }
        keks = std::move(found);
        return {};
    }

    Status generateKek(int version)
    {
        auto id = crypto::randomBytes(16);
        if (!id)
            return id.error();
        const QByteArray label = labelOf(version).toUtf8();
        CK_OBJECT_CLASS secretKey = CKO_SECRET_KEY;
        CK_KEY_TYPE aes = CKK_AES;
        CK_ULONG length = kKekBytes;
        CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
        CK_ATTRIBUTE templ[] = {
            attribute(CKA_CLASS, &secretKey, sizeof secretKey),
            attribute(CKA_KEY_TYPE, &aes, sizeof aes),
            attribute(CKA_VALUE_LEN, &length, sizeof length),
            attribute(CKA_TOKEN, &yes, sizeof yes),
            attribute(CKA_PRIVATE, &yes, sizeof yes),
            attribute(CKA_SENSITIVE, &yes, sizeof yes),
            attribute(CKA_EXTRACTABLE, &no, sizeof no),
            attribute(CKA_ENCRYPT, &yes, sizeof yes),
            attribute(CKA_DECRYPT, &yes, sizeof yes),
            attribute(CKA_WRAP, &no, sizeof no),
            attribute(CKA_UNWRAP, &no, sizeof no),
            attribute(CKA_SIGN, &no, sizeof no),
            attribute(CKA_VERIFY, &no, sizeof no),
            attribute(CKA_DERIVE, &no, sizeof no),
            attribute(CKA_LABEL, const_cast<char *>(label.constData()), CK_ULONG(label.size())),
            attribute(CKA_ID, id->data(), CK_ULONG(id->size())),
        };
        CK_MECHANISM mechanism = {CKM_AES_KEY_GEN, nullptr, 0};
        CK_OBJECT_HANDLE object = CK_INVALID_HANDLE;
        const CK_RV rv = fn->C_GenerateKey(handle, &mechanism, templ, std::size(templ), &object);
        if (rv != CKR_OK)
            return failure(QStringLiteral("generating key \"%1\"").arg(labelOf(version)), rv);
        qCInfo(lcTenancyKeys).noquote() << where() << "created KEK" << labelOf(version)
                                        << "(AES-256, sensitive, not extractable)";
        return {};
    }

    int current() const { return keks.empty() ? 0 : keks.rbegin()->first; }

    QString kekId() const
    {
        return QStringLiteral("pkcs11:") + tokenLabel + QLatin1Char('/') + keyLabel;
    }

    // C_Encrypt / C_Decrypt with CKM_AES_GCM; `input` is the data key or ciphertext || tag.
    Result<QByteArray> gcm(bool encrypt, CK_OBJECT_HANDLE key, QByteArrayView iv,
                           const QByteArray &aad, QByteArrayView input) const
    {
        CK_GCM_PARAMS params;
        params.pIv = reinterpret_cast<CK_BYTE_PTR>(const_cast<char *>(iv.data()));
        params.ulIvLen = CK_ULONG(iv.size());
        params.ulIvBits = CK_ULONG(iv.size()) * 8;
        params.pAAD = reinterpret_cast<CK_BYTE_PTR>(const_cast<char *>(aad.constData()));
        params.ulAADLen = CK_ULONG(aad.size());
        params.ulTagBits = crypto::kAesGcmTagBytes * 8;
        CK_MECHANISM mechanism = {CKM_AES_GCM, &params, sizeof params};
        CK_RV rv = encrypt ? fn->C_EncryptInit(handle, &mechanism, key)
                           : fn->C_DecryptInit(handle, &mechanism, key);
        if (rv != CKR_OK)
            return failure(encrypt ? QStringLiteral("C_EncryptInit (CKM_AES_GCM)")
                                   : QStringLiteral("C_DecryptInit (CKM_AES_GCM)"),
                           rv);
        // Room for the tag and more, so the call never stops at CKR_BUFFER_TOO_SMALL with the
        // operation still active.
        QByteArray out(input.size() + 2 * crypto::kAesGcmTagBytes, Qt::Uninitialized);
        CK_ULONG outLength = CK_ULONG(out.size());
        auto *in = reinterpret_cast<CK_BYTE_PTR>(const_cast<char *>(input.data()));
        auto *buffer = reinterpret_cast<CK_BYTE_PTR>(out.data());
        rv = encrypt ? fn->C_Encrypt(handle, in, CK_ULONG(input.size()), buffer, &outLength)
                     : fn->C_Decrypt(handle, in, CK_ULONG(input.size()), buffer, &outLength);
        if (rv != CKR_OK) {
            crypto::secureWipe(out);
            // A GCM tag mismatch: CKR_ENCRYPTED_DATA_INVALID on most tokens; SoftHSM2 says
            // CKR_GENERAL_ERROR. Initialization already succeeded, so the input is what failed.
            if (!encrypt && (rv == CKR_ENCRYPTED_DATA_INVALID || rv == CKR_DATA_INVALID ||
                             rv == CKR_ENCRYPTED_DATA_LEN_RANGE || rv == CKR_FUNCTION_FAILED ||
                             rv == CKR_GENERAL_ERROR))
                return makeError(ErrorCode::Unauthorized, rvName(rv));
            return failure(encrypt ? QStringLiteral("C_Encrypt") : QStringLiteral("C_Decrypt"), rv);
        }
        if (outLength > CK_ULONG(out.size())) {
            crypto::secureWipe(out);
            return failure(QStringLiteral("C_Encrypt/C_Decrypt (bad output length)"),
                           CKR_GENERAL_ERROR);
        }
        out.truncate(qsizetype(outLength));
        return out;
    }
};

Pkcs11KeyProvider::Pkcs11KeyProvider(std::unique_ptr<Session> session)
    : m_session(std::move(session))
{}

Pkcs11KeyProvider::~Pkcs11KeyProvider() = default;

Result<std::unique_ptr<Pkcs11KeyProvider>> Pkcs11KeyProvider::open(const Pkcs11KeysConfig &config)
{
    if (config.module.isEmpty() || config.tokenLabel.isEmpty() || config.keyLabel.isEmpty())
        return makeError(ErrorCode::Config,
                         QStringLiteral("keys.pkcs11: module, token_label and key_label are "
                                        "required"));
    auto pin = readPin(config);
    if (!pin)
        return pin.error();

    auto session = std::make_unique<Session>();
    session->modulePath = config.module;
    session->tokenLabel = config.tokenLabel;
    session->keyLabel = config.keyLabel;
    auto functions = acquireModule(config.module);
    if (!functions)
        return functions.error();
    session->fn = functions.value();
    session->moduleAcquired = true;
    CK_FUNCTION_LIST_PTR fn = session->fn;

    CK_ULONG slotCount = 0;
    CK_RV rv = fn->C_GetSlotList(CK_TRUE, nullptr, &slotCount);
    if (rv != CKR_OK)
        return session->failure(QStringLiteral("C_GetSlotList"), rv);
    std::vector<CK_SLOT_ID> slots(slotCount);
    if (slotCount > 0) {
        rv = fn->C_GetSlotList(CK_TRUE, slots.data(), &slotCount);
        if (rv != CKR_OK)
            return session->failure(QStringLiteral("C_GetSlotList"), rv);
        slots.resize(slotCount);
    }
    QStringList seen;
    std::optional<CK_SLOT_ID> slot;
    for (const CK_SLOT_ID candidate : slots) {
        CK_TOKEN_INFO info;
        if (fn->C_GetTokenInfo(candidate, &info) != CKR_OK)
            continue;
        if (!(info.flags & CKF_TOKEN_INITIALIZED))
            continue;
        const QString label = trimmedLabel(info.label, sizeof info.label);
        if (label == config.tokenLabel) {
            slot = candidate;
            break;
        }
        seen << QLatin1Char('"') + label + QLatin1Char('"');
    }
    if (!slot)
        return makeError(
            ErrorCode::Config,
            QStringLiteral("keys.pkcs11.token_label: module %1 has no initialized "
                           "token labelled \"%2\" (tokens present: %3); create one, "
                           "for SoftHSM2: softhsm2-util --init-token --free --label "
                           "%2")
                .arg(config.module, config.tokenLabel,
                     seen.isEmpty() ? QStringLiteral("none") : seen.join(QStringLiteral(", "))));

    rv = fn->C_OpenSession(*slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr,
                           &session->handle);
    if (rv != CKR_OK) {
        session->handle = CK_INVALID_HANDLE;
        return session->failure(QStringLiteral("C_OpenSession"), rv);
    }
    rv = fn->C_Login(session->handle, CKU_USER,
                     reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char *>(pin->view().data())),
                     CK_ULONG(pin->size()));
    pin->wipe();
    const QString pinSource = config.pinEnv.isEmpty()
                                  ? QStringLiteral("pin_file %1").arg(config.pinFile)
                                  : QStringLiteral("pin_env %1").arg(config.pinEnv);
    if (rv == CKR_PIN_INCORRECT || rv == CKR_PIN_LEN_RANGE)
        return makeError(ErrorCode::Unauthorized,
                         QStringLiteral("%1: the user PIN was rejected (%2); check keys.pkcs11 "
                                        "%3")
                             .arg(session->where(), rvName(rv), pinSource));
    if (rv == CKR_PIN_LOCKED)
        return makeError(ErrorCode::Unauthorized,
                         QStringLiteral("%1: the user PIN is locked after too many wrong tries "
                                        "(CKR_PIN_LOCKED); the security officer must reset it")
                             .arg(session->where()));
    if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN)
        return session->failure(QStringLiteral("C_Login"), rv);

    if (auto found = session->findKeks(); !found)
        return found.error();
    if (session->keks.empty()) {
        if (!config.createKey)
            return makeError(ErrorCode::Config,
                             QStringLiteral("keys.pkcs11.key_label: %1 has no AES key labelled "
                                            "\"%2\"; set keys.pkcs11.create_key: true to create "
                                            "it on the token")
                                 .arg(session->where(), session->labelOf(1)));
        if (auto generated = session->generateKek(1); !generated)
            return generated.error();
        if (auto found = session->findKeks(); !found)
            return found.error();
        if (session->keks.empty())
            return makeError(ErrorCode::Internal,
                             QStringLiteral("%1: the generated key \"%2\" cannot be found")
                                 .arg(session->where(), session->labelOf(1)));
    }
    qCInfo(lcTenancyKeys).noquote()
        << QStringLiteral("opened %1 (module %2), KEK %3 current version %4")
               .arg(session->where(), config.module, session->keyLabel)
               .arg(session->current());
    return std::unique_ptr<Pkcs11KeyProvider>(new Pkcs11KeyProvider(std::move(session)));
}

QString Pkcs11KeyProvider::kekId() const
{
    std::lock_guard lock(m_mutex);
    return m_session->kekId();
}

int Pkcs11KeyProvider::currentKekVersion() const
{
    std::lock_guard lock(m_mutex);
    return m_session->current();
}

QString Pkcs11KeyProvider::labelOf(int version) const
{
    std::lock_guard lock(m_mutex);
    return m_session->labelOf(version);
}

Result<WrappedKey> Pkcs11KeyProvider::wrap(QByteArrayView dataKey, QByteArrayView aad)
{
    if (auto checked = wire::checkWrapInput(dataKey, aad); !checked)
        return checked.error();
    auto iv = crypto::randomBytes(crypto::kAesGcmNonceBytes);
    if (!iv)
        return iv.error();
    std::lock_guard lock(m_mutex);
    const int version = m_session->current();
    QByteArray fullAad = kWrapContext + wire::uint32BigEndian(uint32_t(version));
    fullAad.append(aad);
    auto sealed = m_session->gcm(true, m_session->keks.at(version).front().handle, iv.value(),
                                 fullAad, dataKey);
    if (!sealed)
        return sealed.error();
    if (sealed->size() != dataKey.size() + crypto::kAesGcmTagBytes)
        return makeError(ErrorCode::Internal,
                         QStringLiteral("%1: CKM_AES_GCM returned %2 bytes for a %3-byte key")
                             .arg(m_session->where())
                             .arg(sealed->size())
                             .arg(dataKey.size()));
    WrappedKey wrapped;
    wrapped.kekId = m_session->kekId();
    wrapped.kekVersion = version;
    wrapped.blob = QByteArray(1, kBlobFormat) + iv.value() + sealed.value();
    return wrapped;
}

Result<SecretBytes> Pkcs11KeyProvider::unwrap(const WrappedKey &wrapped, QByteArrayView aad)
{
    std::lock_guard lock(m_mutex);
    if (wrapped.kekId != m_session->kekId())
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("the data key was wrapped under KEK %1, but this "
                                        "provider is %2")
                             .arg(wrapped.kekId, m_session->kekId()));
    if (!m_session->keks.count(wrapped.kekVersion)) {
        // Another process may have rotated since this one looked.
        if (auto found = m_session->findKeks(); !found)
            return found.error();
    }
    const auto candidates = m_session->keks.find(wrapped.kekVersion);
    if (candidates == m_session->keks.end())
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("%1 has no key \"%2\" (KEK version %3)")
                             .arg(m_session->where(), m_session->labelOf(wrapped.kekVersion))
                             .arg(wrapped.kekVersion));
    auto parts = wire::splitBlob(wrapped.blob, kBlobFormat);
    if (!parts)
        return parts.error();
    QByteArray fullAad = kWrapContext + wire::uint32BigEndian(uint32_t(wrapped.kekVersion));
    fullAad.append(aad);
    const QByteArray input = parts->ciphertext + parts->tag;
    for (const KekObject &candidate : candidates->second) {
        auto plain = m_session->gcm(false, candidate.handle, parts->nonce, fullAad, input);
        if (plain)
            return SecretBytes(std::move(plain.value()));
        if (plain.error().code != ErrorCode::Unauthorized)
            return plain.error();
    }
    return makeError(ErrorCode::Unauthorized,
                     QStringLiteral("the wrapped data key does not authenticate under %1 key "
                                    "\"%2\": it was changed, or it belongs to another tenant or "
                                    "key version")
                         .arg(m_session->where(), m_session->labelOf(wrapped.kekVersion)));
}

Result<int> Pkcs11KeyProvider::rotate()
{
    std::lock_guard lock(m_mutex);
    if (auto found = m_session->findKeks(); !found)
        return found.error();
    const int version = m_session->current() + 1;
    if (auto generated = m_session->generateKek(version); !generated)
        return generated.error();
    if (auto found = m_session->findKeks(); !found)
        return found.error();
    if (m_session->current() < version)
        return makeError(ErrorCode::Internal,
                         QStringLiteral("%1: the new key \"%2\" cannot be found")
                             .arg(m_session->where(), m_session->labelOf(version)));
    qCInfo(lcTenancyKeys).noquote() << m_session->where() << "rotated KEK" << m_session->keyLabel
                                    << "to version" << m_session->current();
    return m_session->current();
}

} // namespace upcoach::tenancy
