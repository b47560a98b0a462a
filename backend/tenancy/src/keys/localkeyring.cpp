// The local keyring file (format in KEYS.md, "Keyring file"). Parsed by hand over views of one
// buffer so every byte that held key material can be wiped afterwards.
#include "keyslogging.h"
#include "upcoach/core/crypto.h"
#include "upcoach/tenancy/keyprovider.h"
#include "wireformat.h"

#include <QDateTime>
#include <QFileInfo>
#include <QUuid>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace upcoach::tenancy {

namespace {

const QByteArray kMagicLine = QByteArrayLiteral("upcoach-tenant-keyring 1");
const QByteArray kWrapContext = QByteArrayLiteral("upcoach/keyring-wrap/v1");
constexpr int kKekBytes = 32;
constexpr int kKekBase64Chars = 44; // 32 bytes, standard alphabet, one '=' of padding
constexpr char kBlobFormat = 0x01;

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

QString modeText(mode_t mode)
{
    return QStringLiteral("0%1").arg(uint(mode & 07777), 3, 8, QLatin1Char('0'));
}

QByteArray nativePath(const QString &path)
{
    return QFile::encodeName(path);
}

// Closes a file descriptor when it goes out of scope.
class Fd
{
public:
    explicit Fd(int fd = -1)
        : m_fd(fd)
    {}
    ~Fd()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    int get() const { return m_fd; }
    int release()
    {
        const int fd = m_fd;
        m_fd = -1;
        return fd;
    }

private:
    int m_fd;
};

// The checks every keyring file must pass, on the fstat of the opened file.
Status checkFileStatus(const QString &path, const struct stat &st)
{
    if (!S_ISREG(st.st_mode))
        return makeError(ErrorCode::Forbidden,
                         QStringLiteral("keyring %1 is not a regular file; point keys.keyring_file "
                                        "at the keyring file itself")
                             .arg(path));
    if (st.st_uid != ::geteuid())
        return makeError(ErrorCode::Forbidden,
                         QStringLiteral("keyring %1 is owned by uid %2, not by uid %3 that runs "
                                        "upcoach-ops; a keyring others own could hold their keys. "
                                        "If the file is yours, run: chown %3 %1")
                             .arg(path)
                             .arg(st.st_uid)
                             .arg(::geteuid()));
    if ((st.st_mode & 077) != 0)
        return makeError(ErrorCode::Forbidden,
                         QStringLiteral("keyring %1 has mode %2: group and others must have no "
                                        "access to a keyring; run: chmod 600 %1")
                             .arg(path, modeText(st.st_mode)));
    if (st.st_size > LocalKeyringProvider::kMaxFileBytes)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("keyring %1 is %2 bytes, more than the 1 MiB a keyring "
                                        "can be; it is not a keyring file")
                             .arg(path)
                             .arg(qint64(st.st_size)));
    return {};
}

// Reads the keyring file after checking it; NotFound when it does not exist. The caller wipes
// the returned buffer.
Result<QByteArray> readKeyringFile(const QString &path)
{
    const QByteArray native = nativePath(path);
    struct stat linkStatus = {};
    if (::lstat(native.constData(), &linkStatus) != 0) {
        const int error = errno;
        if (error == ENOENT)
            return makeError(ErrorCode::NotFound,
                             QStringLiteral("keyring %1 does not exist").arg(path));
        return makeError(
            ErrorCode::Unavailable,
            QStringLiteral("cannot inspect keyring %1: %2").arg(path, errnoText(error)));
    }
    const QString symlinkMessage =
        QStringLiteral("keyring %1 is a symbolic link; a keyring must be the file itself so it "
                       "cannot be redirected: replace the link with the file (mode 0600)")
            .arg(path);
    if (S_ISLNK(linkStatus.st_mode))
        return makeError(ErrorCode::Forbidden, symlinkMessage);
    Fd fd(::open(native.constData(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (fd.get() < 0) {
        const int error = errno;
        if (error == ELOOP)
            return makeError(ErrorCode::Forbidden, symlinkMessage);
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("cannot open keyring %1: %2").arg(path, errnoText(error)));
    }
    struct stat st = {};
    if (::fstat(fd.get(), &st) != 0)
        return makeError(
            ErrorCode::Unavailable,
            QStringLiteral("cannot inspect keyring %1: %2").arg(path, errnoText(errno)));
    if (st.st_dev != linkStatus.st_dev || st.st_ino != linkStatus.st_ino)
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("keyring %1 was replaced while it was being opened; try "
                                        "again")
                             .arg(path));
    if (auto checked = checkFileStatus(path, st); !checked)
        return checked.error();
    // Reserved up front (and never grown) so no reallocation leaves key bytes behind unwiped.
    QByteArray content(qsizetype(LocalKeyringProvider::kMaxFileBytes) + 1, Qt::Uninitialized);
    qsizetype total = 0;
    while (total < content.size()) {
        const ssize_t n = ::read(fd.get(), content.data() + total, size_t(content.size() - total));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            const int error = errno;
            crypto::secureWipe(content);
            return makeError(
                ErrorCode::Unavailable,
                QStringLiteral("cannot read keyring %1: %2").arg(path, errnoText(error)));
        }
        if (n == 0)
            break;
        total += n;
    }
    if (total > LocalKeyringProvider::kMaxFileBytes) {
        crypto::secureWipe(content);
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("keyring %1 is larger than the 1 MiB a keyring can be; it "
                                        "is not a keyring file")
                             .arg(path));
    }
    OPENSSL_cleanse(content.data() + total, size_t(content.size() - total));
    content.truncate(total);
    return content;
}

Status fsyncDirectory(const QString &dir)
{
    Fd fd(::open(nativePath(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("cannot sync directory %1: %2").arg(dir, errnoText(errno)));
    return {};
}

// Creates the missing directories of `dir` with mode 0700.
Status makeDirectories(const QString &dir)
{
    const QFileInfo info(dir);
    if (info.exists())
        return info.isDir()
                   ? Status()
                   : makeError(ErrorCode::Config, QStringLiteral("%1 is not a directory").arg(dir));
    const QString parent = info.absolutePath();
    if (parent != dir)
        if (auto made = makeDirectories(parent); !made)
            return made;
    if (::mkdir(nativePath(dir).constData(), 0700) != 0 && errno != EEXIST)
        return makeError(
            ErrorCode::Unavailable,
            QStringLiteral("cannot create directory %1: %2").arg(dir, errnoText(errno)));
    return {};
}

enum class WriteMode
{
    CreateNew, // link(2): fails with Conflict if the keyring appeared meanwhile
    Replace,   // rename(2) over the existing file
};

// Writes content to a temporary file in the same directory (0600, fsync), then puts it in place
// atomically. A half-written keyring never exists under the real name.
Status writeKeyringFile(const QString &path, const QByteArray &content, WriteMode mode)
{
    const QFileInfo info(path);
    const QString dir = info.absolutePath();
    if (auto made = makeDirectories(dir); !made)
        return made;
    auto suffix = crypto::randomBytes(6);
    if (!suffix)
        return suffix.error();
    const QString temp = dir + QStringLiteral("/.") + info.fileName() + QStringLiteral(".tmp-") +
                         QString::fromLatin1(suffix->toHex());
    const QByteArray nativeTemp = nativePath(temp);
    Fd fd(
        ::open(nativeTemp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() < 0)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("cannot create %1: %2").arg(temp, errnoText(errno)));
    auto fail = [&](const QString &what, int error) -> Status {
        ::unlink(nativeTemp.constData());
        return makeError(
            ErrorCode::Unavailable,
            QStringLiteral("cannot write keyring %1 (%2): %3").arg(path, what, errnoText(error)));
    };
    if (::fchmod(fd.get(), 0600) != 0)
        return fail(QStringLiteral("chmod"), errno);
    qsizetype written = 0;
    while (written < content.size()) {
        const ssize_t n =
            ::write(fd.get(), content.constData() + written, size_t(content.size() - written));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail(QStringLiteral("write"), errno);
        }
        written += n;
    }
    if (::fsync(fd.get()) != 0)
        return fail(QStringLiteral("fsync"), errno);
    if (::close(fd.release()) != 0)
        return fail(QStringLiteral("close"), errno);
    const QByteArray nativeTarget = nativePath(path);
    if (mode == WriteMode::Replace) {
        if (::rename(nativeTemp.constData(), nativeTarget.constData()) != 0)
            return fail(QStringLiteral("rename"), errno);
    } else {
        if (::link(nativeTemp.constData(), nativeTarget.constData()) != 0) {
            const int error = errno;
            ::unlink(nativeTemp.constData());
            if (error == EEXIST)
                return makeError(
                    ErrorCode::Conflict,
                    QStringLiteral("keyring %1 was created by another process").arg(path));
            return makeError(
                ErrorCode::Unavailable,
                QStringLiteral("cannot create keyring %1: %2").arg(path, errnoText(error)));
        }
        ::unlink(nativeTemp.constData());
    }
    return fsyncDirectory(dir);
}

struct Kek
{
    QDateTime created;
    SecretBytes key;
};

// Decodes the 44 base64 characters of one KEK into a SecretBytes, leaving no copy behind.
Result<SecretBytes> decodeKek(QByteArrayView text)
{
    if (text.size() != kKekBase64Chars || text.at(43) != '=' || text.at(42) == '=')
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("the key must be 44 characters of base64 (32 bytes)"));
    for (qsizetype i = 0; i < 43; ++i) {
        const char c = text.at(i);
        const bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                              (c >= '0' && c <= '9') || c == '+' || c == '/';
        if (!alphabet)
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("the key is not base64 (character %1)").arg(i + 1));
    }
    unsigned char decoded[36];
    const int n = EVP_DecodeBlock(decoded, reinterpret_cast<const unsigned char *>(text.data()),
                                  kKekBase64Chars);
    if (n != 33) { // EVP_DecodeBlock counts the padding as a zero byte
        OPENSSL_cleanse(decoded, sizeof decoded);
        return makeError(ErrorCode::InvalidInput, QStringLiteral("the key is not base64"));
    }
    QByteArray key(reinterpret_cast<const char *>(decoded), kKekBytes);
    OPENSSL_cleanse(decoded, sizeof decoded);
    return SecretBytes(std::move(key));
}

QByteArrayView nextToken(QByteArrayView &line)
{
    const qsizetype space = line.indexOf(' ');
    const QByteArrayView token = space < 0 ? line : line.first(space);
    line = space < 0 ? QByteArrayView() : line.sliced(space + 1);
    return token;
}

// A positive decimal without sign or leading zero, at most 9 digits.
int parseVersion(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 9 || text.at(0) < '1' || text.at(0) > '9')
        return 0;
    int value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return 0;
        value = value * 10 + (c - '0');
    }
    return value;
}

} // namespace

struct LocalKeyringProvider::State
{
    QUuid keyringId;
    std::map<int, Kek> keks;

    int current() const { return keks.empty() ? 0 : keks.rbegin()->first; }

    static Result<std::unique_ptr<State>> parse(const QString &path, QByteArrayView content);
    // The file's bytes, built in a buffer that never reallocates; the caller wipes it.
    QByteArray serialize() const;
};

Result<std::unique_ptr<LocalKeyringProvider::State>>
LocalKeyringProvider::State::parse(const QString &path, QByteArrayView content)
{
    auto state = std::make_unique<State>();
    auto bad = [&](int lineNumber, const QString &problem) {
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("keyring %1 line %2: %3 (the file is not a valid keyring; "
                                        "restore it from a backup)")
                             .arg(path)
                             .arg(lineNumber)
                             .arg(problem));
    };
    if (content.isEmpty())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("keyring %1 is empty (the file is not a valid keyring; "
                                        "restore it from a backup)")
                             .arg(path));
    if (!content.endsWith('\n'))
        return bad(int(content.count('\n')) + 1, QStringLiteral("the last line has no newline"));
    int lineNumber = 0;
    qsizetype offset = 0;
    while (offset < content.size()) {
        ++lineNumber;
        const qsizetype end = content.indexOf('\n', offset);
        QByteArrayView line = content.sliced(offset, end - offset);
        offset = end + 1;
        if (lineNumber == 1) {
            if (line != QByteArrayView(kMagicLine))
                return bad(1, QStringLiteral("expected \"upcoach-tenant-keyring 1\""));
            continue;
        }
        const QByteArrayView keyword = nextToken(line);
        if (lineNumber == 2) {
            if (keyword != QByteArrayView("id"))
                return bad(2, QStringLiteral("expected \"id <uuid>\""));
            const QUuid id = QUuid::fromString(QLatin1String(line.data(), line.size()));
            if (id.isNull() || line.size() != 36)
                return bad(2, QStringLiteral("the keyring id is not a UUID"));
            state->keyringId = id;
            continue;
        }
        if (keyword != QByteArrayView("kek"))
            return bad(lineNumber, QStringLiteral("expected \"kek <version> <created> <key>\""));
        const int version = parseVersion(nextToken(line));
        if (version == 0)
            return bad(lineNumber, QStringLiteral("the version must be a whole number from 1"));
        if (version != state->current() + 1)
            return bad(lineNumber, QStringLiteral("version %1 follows version %2; versions go 1, "
                                                  "2, 3, ... without gaps")
                                       .arg(version)
                                       .arg(state->current()));
        if (int(state->keks.size()) >= kMaxVersions)
            return bad(lineNumber, QStringLiteral("more than %1 KEK versions").arg(kMaxVersions));
        const QByteArrayView createdText = nextToken(line);
        const QDateTime created = QDateTime::fromString(
            QLatin1String(createdText.data(), createdText.size()), Qt::ISODate);
        if (!created.isValid() || !createdText.endsWith('Z'))
            return bad(lineNumber, QStringLiteral("the creation time must be like "
                                                  "2026-03-14T15:09:26Z"));
        auto key = decodeKek(line);
        if (!key)
            return bad(lineNumber, key.error().message);
        state->keks.emplace(version, Kek{created.toUTC(), std::move(key.value())});
    }
    if (state->keyringId.isNull())
        return bad(lineNumber + 1, QStringLiteral("the keyring id line is missing"));
    if (state->keks.empty())
        return bad(lineNumber + 1, QStringLiteral("the keyring holds no KEK"));
    return state;
}

QByteArray LocalKeyringProvider::State::serialize() const
{
    QByteArray out;
    out.reserve(qsizetype(128) * qsizetype(keks.size() + 3));
    out.append(kMagicLine).append('\n');
    out.append("id ").append(keyringId.toByteArray(QUuid::WithoutBraces)).append('\n');
    for (const auto &[version, kek] : keks) {
        unsigned char encoded[kKekBase64Chars + 4];
        EVP_EncodeBlock(encoded, reinterpret_cast<const unsigned char *>(kek.key.view().data()),
                        kKekBytes);
        out.append("kek ")
            .append(QByteArray::number(version))
            .append(' ')
            .append(kek.created.toUTC().toString(Qt::ISODate).toLatin1())
            .append(' ')
            .append(reinterpret_cast<const char *>(encoded), kKekBase64Chars)
            .append('\n');
        OPENSSL_cleanse(encoded, sizeof encoded);
    }
    return out;
}

LocalKeyringProvider::LocalKeyringProvider(QString path)
    : m_path(std::move(path))
{}

LocalKeyringProvider::~LocalKeyringProvider() = default;

Result<std::unique_ptr<LocalKeyringProvider>> LocalKeyringProvider::open(const QString &path)
{
    if (path.isEmpty())
        return makeError(ErrorCode::Config, QStringLiteral("no keyring path was given"));
    const QString absolute = QFileInfo(path).absoluteFilePath();
    std::unique_ptr<LocalKeyringProvider> provider(new LocalKeyringProvider(absolute));
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto content = readKeyringFile(absolute);
        if (content) {
            auto state = State::parse(absolute, content.value());
            crypto::secureWipe(content.value());
            if (!state)
                return state.error();
            provider->m_state = std::move(state.value());
            qCInfo(lcTenancyKeys).noquote()
                << "opened keyring" << absolute << "with" << provider->m_state->keks.size()
                << "KEK version(s), current" << provider->m_state->current();
            return provider;
        }
        if (content.error().code != ErrorCode::NotFound)
            return content.error();
        auto kek = SecretBytes::random(kKekBytes);
        if (!kek)
            return kek.error();
        State fresh;
        fresh.keyringId = QUuid::createUuid();
        fresh.keks.emplace(1, Kek{QDateTime::currentDateTimeUtc(), std::move(kek.value())});
        QByteArray bytes = fresh.serialize();
        const Status written = writeKeyringFile(absolute, bytes, WriteMode::CreateNew);
        crypto::secureWipe(bytes);
        if (written) {
            qCInfo(lcTenancyKeys).noquote()
                << "created keyring" << absolute << "(mode 0600, KEK version 1)";
        } else if (written.error().code != ErrorCode::Conflict) {
            return written.error();
        } // else another process created it first: read theirs
    }
    return makeError(ErrorCode::Unavailable,
                     QStringLiteral("keyring %1 could not be created or opened").arg(absolute));
}

QString LocalKeyringProvider::kekId() const
{
    std::lock_guard lock(m_mutex);
    return QStringLiteral("keyring:") + m_state->keyringId.toString(QUuid::WithoutBraces);
}

int LocalKeyringProvider::currentKekVersion() const
{
    std::lock_guard lock(m_mutex);
    return m_state->current();
}

Status LocalKeyringProvider::reload()
{
    auto content = readKeyringFile(m_path);
    if (!content)
        return content.error();
    auto state = State::parse(m_path, content.value());
    crypto::secureWipe(content.value());
    if (!state)
        return state.error();
    if (state.value()->keyringId != m_state->keyringId)
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("keyring %1 was replaced by another keyring (id %2, this "
                                        "process opened %3); restore the original file")
                             .arg(m_path, state.value()->keyringId.toString(QUuid::WithoutBraces),
                                  m_state->keyringId.toString(QUuid::WithoutBraces)));
    if (state.value()->current() < m_state->current())
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("keyring %1 lost KEK versions (it has %2, this process "
                                        "knew %3); restore the file from a backup")
                             .arg(m_path)
                             .arg(state.value()->current())
                             .arg(m_state->current()));
    m_state = std::move(state.value());
    return {};
}

Result<WrappedKey> LocalKeyringProvider::wrap(QByteArrayView dataKey, QByteArrayView aad)
{
    if (auto checked = wire::checkWrapInput(dataKey, aad); !checked)
        return checked.error();
    std::lock_guard lock(m_mutex);
    const int version = m_state->current();
    const Kek &kek = m_state->keks.at(version);
    QByteArray fullAad = kWrapContext + wire::uint32BigEndian(uint32_t(version));
    fullAad.append(aad);
    auto sealed = crypto::aesGcmEncrypt(kek.key.view(), dataKey, fullAad);
    if (!sealed)
        return sealed.error();
    WrappedKey wrapped;
    wrapped.kekId = QStringLiteral("keyring:") + m_state->keyringId.toString(QUuid::WithoutBraces);
    wrapped.kekVersion = version;
    wrapped.blob = QByteArray(1, kBlobFormat) + sealed->nonce + sealed->ciphertext + sealed->tag;
    return wrapped;
}

Result<SecretBytes> LocalKeyringProvider::unwrap(const WrappedKey &wrapped, QByteArrayView aad)
{
    std::lock_guard lock(m_mutex);
    const QString ownId =
        QStringLiteral("keyring:") + m_state->keyringId.toString(QUuid::WithoutBraces);
    if (wrapped.kekId != ownId)
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("the data key was wrapped under KEK %1, but this keyring "
                                        "(%2) is %3")
                             .arg(wrapped.kekId, m_path, ownId));
    if (wrapped.kekVersion > m_state->current()) {
        // Another process may have rotated the keyring since it was opened.
        if (auto reloaded = reload(); !reloaded)
            return reloaded.error();
    }
    const auto kek = m_state->keks.find(wrapped.kekVersion);
    if (kek == m_state->keks.end())
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("KEK version %1 is not in keyring %2 (it has versions 1 "
                                        "to %3)")
                             .arg(wrapped.kekVersion)
                             .arg(m_path)
                             .arg(m_state->current()));
    auto parts = wire::splitBlob(wrapped.blob, kBlobFormat);
    if (!parts)
        return parts.error();
    QByteArray fullAad = kWrapContext + wire::uint32BigEndian(uint32_t(wrapped.kekVersion));
    fullAad.append(aad);
    auto plain = crypto::aesGcmDecrypt(kek->second.key.view(), parts->nonce, parts->ciphertext,
                                       parts->tag, fullAad);
    if (!plain)
        return makeError(plain.error().code == ErrorCode::Unauthorized ? ErrorCode::Unauthorized
                                                                       : plain.error().code,
                         QStringLiteral("the wrapped data key does not authenticate under KEK %1 "
                                        "version %2: it was changed, or it belongs to another "
                                        "tenant or key version")
                             .arg(ownId)
                             .arg(wrapped.kekVersion));
    return SecretBytes(std::move(plain.value()));
}

Result<int> LocalKeyringProvider::rotate()
{
    std::lock_guard lock(m_mutex);
    const QString lockPath = m_path + QStringLiteral(".lock");
    Fd lockFd(
        ::open(nativePath(lockPath).constData(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (lockFd.get() < 0)
        return makeError(
            ErrorCode::Unavailable,
            QStringLiteral("cannot open lock file %1: %2").arg(lockPath, errnoText(errno)));
    while (::flock(lockFd.get(), LOCK_EX) != 0) {
        if (errno != EINTR)
            return makeError(ErrorCode::Unavailable,
                             QStringLiteral("cannot lock %1: %2").arg(lockPath, errnoText(errno)));
    }
    if (auto reloaded = reload(); !reloaded)
        return reloaded.error();
    if (int(m_state->keks.size()) >= kMaxVersions)
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("keyring %1 already holds the maximum of %2 KEK versions")
                             .arg(m_path)
                             .arg(kMaxVersions));
    auto kek = SecretBytes::random(kKekBytes);
    if (!kek)
        return kek.error();
    const int version = m_state->current() + 1;
    m_state->keks.emplace(version, Kek{QDateTime::currentDateTimeUtc(), std::move(kek.value())});
    QByteArray bytes = m_state->serialize();
    const Status written = writeKeyringFile(m_path, bytes, WriteMode::Replace);
    crypto::secureWipe(bytes);
    if (!written) {
        m_state->keks.erase(version);
        return written.error();
    }
    qCInfo(lcTenancyKeys).noquote() << "rotated keyring" << m_path << "to KEK version" << version;
    return version;
}

} // namespace upcoach::tenancy
