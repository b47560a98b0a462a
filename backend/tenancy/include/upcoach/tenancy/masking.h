// Deterministic PII masking for non-production exports: the same input and key always give the
// same output (joins across tables and exports still line up), the output keeps the input's
// format (an email stays an email with the same shape and top-level domain, a phone number keeps
// its punctuation and length, a name its capitalisation), and without the key the original
// cannot be recovered (HMAC-SHA256 keystream; not reversible, not encryption).
#pragma once

#include <QByteArray>
#include <QString>

namespace upcoach::tenancy {

class PiiMasker
{
public:
    // key: at least 16 bytes (e.g. crypto::randomBytes(32), kept with the export job).
    explicit PiiMasker(QByteArray key);

    bool isValid() const { return m_key.size() >= 16; }
    QString email(const QString &email) const;
    QString phone(const QString &phone) const;
    QString name(const QString &name) const;

private:
    // Letters → letters (case kept), digits → digits, everything else kept; `domain` separates
    // outputs of different field kinds.
    QString shape(const QString &text, const QByteArray &domain, const QString &keyed) const;

    QByteArray m_key;
};

} // namespace upcoach::tenancy
