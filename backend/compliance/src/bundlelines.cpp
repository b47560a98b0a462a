#include "bundlelines.h"

#include <QDir>
#include <algorithm>
#include <cstring>
#include <openssl/evp.h>

namespace upcoach::compliance {

namespace {

constexpr size_t kReadBlock = 4 * 1024 * 1024;

} // namespace

Sha256Stream::Sha256Stream()
    : m_context(EVP_MD_CTX_new())
{
    if (!m_context || EVP_DigestInit_ex(m_context, EVP_sha256(), nullptr) != 1)
        qFatal("upcoach::compliance: OpenSSL provides no SHA-256 (provider configuration)");
}

Sha256Stream::~Sha256Stream()
{
    EVP_MD_CTX_free(m_context);
}

void Sha256Stream::addData(QByteArrayView bytes)
{
    if (!m_result.isEmpty() || bytes.isEmpty())
        return;
    if (EVP_DigestUpdate(m_context, bytes.data(), size_t(bytes.size())) != 1)
        qFatal("upcoach::compliance: SHA-256 failed inside OpenSSL");
}

QByteArray Sha256Stream::result()
{
    if (m_result.isEmpty()) {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        if (EVP_DigestFinal_ex(m_context, digest, &length) != 1 || length != 32)
            qFatal("upcoach::compliance: SHA-256 failed inside OpenSSL");
        m_result = QByteArray(reinterpret_cast<const char *>(digest), 32);
    }
    return m_result;
}

BundleLineFile::BundleLineFile(const QString &dir, const QString &name, qsizetype maxLine)
    : m_name(name)
    , m_file(QDir(dir).filePath(name))
    , m_maxLine(size_t(maxLine))
{}

Status BundleLineFile::open()
{
    if (!m_file.exists())
        return makeError(ErrorCode::NotFound, m_name + QStringLiteral(": missing"));
    if (!m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return makeError(ErrorCode::Unavailable,
                         m_name + QStringLiteral(": cannot read (%1)").arg(m_file.errorString()));
    return {};
}

QString BundleLineFile::where() const
{
    return where(m_linesRead);
}

QString BundleLineFile::where(uint64_t line) const
{
    return m_name + QStringLiteral(" line %1").arg(line);
}

// Until [begin, end) holds `wanted` bytes or the file has ended. The buffer is compacted (the
// unconsumed bytes moved to its front) only when `wanted` does not fit behind begin.
Status BundleLineFile::fill(Buffer &buffer, size_t wanted)
{
    // Never more room than the rest of the file needs (+1 to see its end).
    const auto rest = size_t(std::max<qint64>(0, m_file.size() - m_file.pos()));
    wanted = std::min(wanted, buffer.end - buffer.begin + rest + 1);
    if (buffer.capacity - buffer.begin < wanted) {
        if (buffer.capacity < wanted) {
            const size_t capacity = std::max(wanted, buffer.capacity + buffer.capacity / 2);
            LargeBuffer data(static_cast<char *>(allocateLarge(capacity)));
            if (!data)
                return makeError(
                    ErrorCode::Unavailable,
                    m_name + QStringLiteral(": out of memory for a %1-byte buffer").arg(capacity));
            if (buffer.end > buffer.begin)
                std::memcpy(data.get(), buffer.data.get() + buffer.begin,
                            buffer.end - buffer.begin);
            buffer.data = std::move(data);
            buffer.capacity = capacity;
        } else if (buffer.end > buffer.begin) {
            std::memmove(buffer.data.get(), buffer.data.get() + buffer.begin,
                         buffer.end - buffer.begin);
        }
        buffer.end -= buffer.begin;
        buffer.begin = 0;
    }
    while (!m_eof && buffer.end - buffer.begin < wanted) {
        const qint64 read =
            m_file.read(buffer.data.get() + buffer.end, qint64(buffer.capacity - buffer.end));
        if (read < 0)
            return makeError(ErrorCode::Unavailable,
                             m_name +
                                 QStringLiteral(": read failed (%1)").arg(m_file.errorString()));
        if (read == 0)
            m_eof = true;
        buffer.end += size_t(read);
    }
    return {};
}

Status BundleLineFile::read(Buffer &buffer, LineBatch &batch, size_t maxLines, size_t maxBytes)
{
    batch.lines.clear();
    batch.bytes = {};
    batch.error.reset();
    batch.firstLine = m_linesRead + 1;
    if (m_error) {
        batch.error = m_error;
        return {};
    }
    // Offsets from begin first: fill() moves the bytes.
    std::vector<std::pair<size_t, size_t>> &offsets = m_offsets;
    offsets.clear();
    size_t taken = 0; // bytes of this batch, from begin
    while (offsets.size() < maxLines && taken < maxBytes) {
        // A line is decided within m_maxLine + 1 bytes: its '\n', or proof that it is too long.
        if (buffer.end - buffer.begin - taken < m_maxLine + 1 && !m_eof) {
            // A byte-bounded batch is read in one go; a line-bounded one grows by blocks.
            const size_t wanted =
                (maxBytes == SIZE_MAX ? taken + kReadBlock : maxBytes) + m_maxLine + 1;
            if (Status status = fill(buffer, wanted); !status)
                return status;
            continue;
        }
        const char *start = buffer.data.get() + buffer.begin + taken;
        const size_t available = buffer.end - buffer.begin - taken;
        if (available == 0)
            break; // the end of the file
        const auto *newline =
            static_cast<const char *>(std::memchr(start, '\n', std::min(available, m_maxLine + 1)));
        const uint64_t lineNumber = m_linesRead + offsets.size() + 1;
        if (!newline) {
            m_error =
                makeError(ErrorCode::InvalidInput,
                          where(lineNumber) +
                              (available > m_maxLine
                                   ? QStringLiteral(": longer than %1 bytes").arg(m_maxLine)
                                   : QStringLiteral(": no newline at the end (file truncated?)")));
            batch.error = m_error;
            break;
        }
        const auto length = size_t(newline - start);
        if (length == 0) {
            m_error = makeError(ErrorCode::InvalidInput,
                                where(lineNumber) + QStringLiteral(": empty line"));
            batch.error = m_error;
            break;
        }
        offsets.emplace_back(taken, length);
        taken += length + 1;
    }
    const char *base = buffer.data.get() + buffer.begin;
    batch.lines.resize(offsets.size());
    for (size_t i = 0; i < offsets.size(); ++i)
        batch.lines[i] = std::string_view(base + offsets[i].first, offsets[i].second);
    batch.bytes = std::string_view(base, taken);
    buffer.begin += taken;
    m_linesRead += offsets.size();
    return {};
}

Status BundleLineFile::next(LineBatch &batch, size_t maxLines, size_t maxBytes)
{
    if (m_prefetched) {
        m_prefetched = false;
        std::swap(batch, m_prefetchedBatch);
        m_current ^= 1;
        return m_prefetchedStatus;
    }
    return read(m_buffers[m_current], batch, maxLines, maxBytes);
}

void BundleLineFile::prefetch(size_t maxLines, size_t maxBytes)
{
    // The unconsumed tail (a partial line) moves to the other buffer, which then reads on.
    Buffer &current = m_buffers[m_current];
    Buffer &spare = m_buffers[m_current ^ 1];
    const size_t tail = current.end - current.begin;
    if (spare.capacity < tail) {
        spare.data.reset(static_cast<char *>(allocateLarge(tail)));
        spare.capacity = spare.data ? tail : 0;
        if (!spare.data) {
            m_prefetchedStatus =
                makeError(ErrorCode::Unavailable, m_name + QStringLiteral(": out of memory"));
            m_prefetched = true;
            return;
        }
    }
    if (tail > 0)
        std::memcpy(spare.data.get(), current.data.get() + current.begin, tail);
    spare.begin = 0;
    spare.end = tail;
    current.begin = current.end;
    m_prefetchedStatus = read(spare, m_prefetchedBatch, maxLines, maxBytes);
    m_prefetched = true;
}

void BundleLineFile::hash(const LineBatch &batch)
{
    m_hash.addData(QByteArrayView(batch.bytes.data(), qsizetype(batch.bytes.size())));
    m_size += qint64(batch.bytes.size());
}

Result<bool> BundleLineFile::nextLine(std::string_view &line)
{
    if (Status status = next(m_single, 1, SIZE_MAX); !status)
        return status.error();
    hash(m_single);
    if (m_single.size() == 1) {
        line = m_single.lines.front();
        return true;
    }
    if (m_single.error)
        return *m_single.error;
    return false;
}

Status BundleLineFile::drain()
{
    std::string_view line;
    for (;;) {
        Result<bool> more = nextLine(line);
        if (!more)
            return more.error();
        if (!*more)
            return {};
    }
}

} // namespace upcoach::compliance
