#include "tenantbackend.h"

#include <QRegularExpression>

namespace upcoach::viewmodels {

FieldMessage splitFieldMessage(const QString &message)
{
    static const QRegularExpression field(
        QStringLiteral("^([A-Za-z][A-Za-z0-9]*(?:\\.[A-Za-z][A-Za-z0-9]*)*(?:\\[\\d+\\])?): (.+)$"),
        QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch match = field.match(message);
    if (!match.hasMatch())
        return {QString(), message};
    return {match.captured(1), match.captured(2)};
}

QString suggestTenantSlug(const QString &name)
{
    // Accents go (é → e); everything else that is not a letter or digit becomes a separator.
    const QString decomposed = name.normalized(QString::NormalizationForm_KD).toLower();
    QString slug;
    bool pendingDash = false;
    for (const QChar c : decomposed) {
        const bool letter = c >= QLatin1Char('a') && c <= QLatin1Char('z');
        const bool digit = c >= QLatin1Char('0') && c <= QLatin1Char('9');
        if (c.category() == QChar::Mark_NonSpacing)
            continue;
        if (!letter && !digit) {
            pendingDash = !slug.isEmpty();
            continue;
        }
        if (slug.isEmpty() && !letter)
            continue; // a slug starts with a letter
        if (pendingDash)
            slug += QLatin1Char('-');
        pendingDash = false;
        slug += c;
        if (slug.size() >= 63)
            break;
    }
    while (slug.endsWith(QLatin1Char('-')))
        slug.chop(1);
    return slug;
}

} // namespace upcoach::viewmodels
