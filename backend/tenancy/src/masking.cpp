#include "upcoach/tenancy/masking.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

namespace upcoach::tenancy {

PiiMasker::PiiMasker(QByteArray key)
    : m_key(std::move(key))
{}

QString PiiMasker::shape(const QString &text, const QByteArray &domain, const QString &keyed) const
{
    QByteArray stream;
    int block = 0;
    auto nextByte = [&](int index) -> quint8 {
        while (index >= stream.size()) {
            QMessageAuthenticationCode mac(QCryptographicHash::Sha256, m_key);
            mac.addData(domain);
            mac.addData(QByteArray(1, '\0'));
            mac.addData(keyed.toUtf8());
            mac.addData(QByteArray::number(block++));
            stream += mac.result();
        }
        return quint8(stream.at(index));
    };
    QString out;
    out.reserve(text.size());
    int i = 0;
    for (const QChar c : text) {
        const quint8 r = nextByte(i++);
        if (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
            out += QChar(u'a' + r % 26);
        else if (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
            out += QChar(u'A' + r % 26);
        else if (c.isDigit())
            out += QChar(u'0' + r % 10);
        else if (c.isLetter())
            out += QChar(u'a' + r % 26); // non-ASCII letters become ASCII ones
        else
            out += c;
    }
    return out;
}

QString PiiMasker::email(const QString &email) const
{
    const qsizetype at = email.lastIndexOf(QLatin1Char('@'));
    if (at <= 0)
        return shape(email, "email", email.toLower());
    const QString local = email.left(at);
    const QString domain = email.mid(at + 1);
    const qsizetype dot = domain.lastIndexOf(QLatin1Char('.'));
    // The top-level domain stays, so the address still looks like one and sorts by country.
    const QString labels = dot > 0 ? domain.left(dot) : domain;
    const QString tld = dot > 0 ? domain.mid(dot) : QString();
    return shape(local, "email-local", email.toLower()) + QLatin1Char('@') +
           shape(labels, "email-domain", domain.toLower()) + tld;
}

QString PiiMasker::phone(const QString &phone) const
{
    QString digits;
    for (const QChar c : phone) {
        if (c.isDigit())
            digits += c;
    }
    return shape(phone, "phone", digits);
}

QString PiiMasker::name(const QString &name) const
{
    return shape(name, "name", name.toLower());
}

} // namespace upcoach::tenancy
