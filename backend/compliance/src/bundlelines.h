// Private to upcoach_compliance: reading a bundle's line files (README.md, "Audit bundle
// format") in large blocks, with a cap on each line, hashing every byte read.
#pragma once

#include "bundlememory.h"
#include "upcoach/core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QFile>
#include <QString>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace upcoach::compliance {

// Streaming SHA-256 of a file's bytes through OpenSSL (QCryptographicHash has its own, slower
// implementation). One owner; moves are not needed.
class Sha256Stream
{
public:
    Sha256Stream();
    ~Sha256Stream();
    Sha256Stream(const Sha256Stream &) = delete;
    Sha256Stream &operator=(const Sha256Stream &) = delete;

    void addData(QByteArrayView bytes);
    // The 32-byte digest of everything added; computed once, then the stream is finished.
    QByteArray result();

private:
    EVP_MD_CTX *m_context;
    QByteArray m_result;
};

// Lines handed out by BundleLineFile::next, valid until its next call.
struct LineBatch
{
    // The 1-based line number of line 0.
    uint64_t firstLine = 1;
    // Each line without its '\n'.
    std::vector<std::string_view> lines;
    // The bytes of all these lines, '\n' included, in file order.
    std::string_view bytes;
    // The line after the last one is unusable (too long, empty, no newline): reading stops there.
    std::optional<Error> error;

    size_t size() const { return lines.size(); }
};

// The rules and messages of reading a line file one line at a time: "NAME line N: longer than M
// bytes", "NAME line N: no newline at the end (file truncated?)", "NAME line N: empty line".
class BundleLineFile
{
public:
    BundleLineFile(const QString &dir, const QString &name, qsizetype maxLine);

    // NotFound when the file is missing.
    Status open();

    // The next lines: at most maxLines, and stopping once maxBytes have been taken (a batch is
    // never empty unless the file has ended or an error stopped it). Not hashed: call
    // hash(batch) for every batch, in order (from any one thread at a time).
    Status next(LineBatch &batch, size_t maxLines, size_t maxBytes);
    // Reads the batch the next call of next() returns into the other buffer, so a task can do it
    // while the current batch is being checked (its views stay valid). Nothing else may use this
    // object meanwhile, except hash() of the current batch.
    void prefetch(size_t maxLines, size_t maxBytes);
    void hash(const LineBatch &batch);

    // One line, hashed: true with the line, false at the end of the file.
    Result<bool> nextLine(std::string_view &line);
    // Reads (and hashes) the rest of the file without interpreting it.
    Status drain();

    // "NAME line N" of the last line handed out (N = linesRead()).
    QString where() const;
    QString where(uint64_t line) const;
    uint64_t linesRead() const { return m_linesRead; }
    QByteArray sha256() { return m_hash.result(); }
    qint64 size() const { return m_size; }
    const QString &name() const { return m_name; }

private:
    struct Buffer
    {
        LargeBuffer data; // not zero-filled: only bytes read are ever looked at
        size_t capacity = 0;
        size_t begin = 0; // unconsumed bytes are [begin, end)
        size_t end = 0;
    };
    Status fill(Buffer &buffer, size_t wanted);
    Status read(Buffer &buffer, LineBatch &batch, size_t maxLines, size_t maxBytes);

    QString m_name;
    QFile m_file;
    Sha256Stream m_hash;
    size_t m_maxLine;
    Buffer m_buffers[2];
    int m_current = 0;
    bool m_prefetched = false;
    LineBatch m_prefetchedBatch;
    Status m_prefetchedStatus;
    bool m_eof = false;
    std::optional<Error> m_error; // sticky: a line error ends the file
    uint64_t m_linesRead = 0;
    qint64 m_size = 0;
    LineBatch m_single;
    std::vector<std::pair<size_t, size_t>> m_offsets;
};

} // namespace upcoach::compliance
