#include "upcoach/identity/scimfilter.h"

#include <QStringDecoder>
#include <cmath>

namespace upcoach::identity::scim {

QString compareOpName(CompareOp op)
{
    switch (op) {
    case CompareOp::Eq:
        return QStringLiteral("eq");
    case CompareOp::Ne:
        return QStringLiteral("ne");
    case CompareOp::Co:
        return QStringLiteral("co");
    case CompareOp::Sw:
        return QStringLiteral("sw");
    case CompareOp::Ew:
        return QStringLiteral("ew");
    case CompareOp::Gt:
        return QStringLiteral("gt");
    case CompareOp::Ge:
        return QStringLiteral("ge");
    case CompareOp::Lt:
        return QStringLiteral("lt");
    case CompareOp::Le:
        return QStringLiteral("le");
    case CompareOp::Pr:
        return QStringLiteral("pr");
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// Parser

namespace {

bool isAlpha(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z');
}

bool isDigit(QChar c)
{
    return c.unicode() >= u'0' && c.unicode() <= u'9';
}

// ATTRNAME = ALPHA *(nameChar), nameChar = "-" / "_" / DIGIT / ALPHA; plus "$ref".
bool validAttributeName(QStringView name)
{
    if (name.compare(u"$ref", Qt::CaseInsensitive) == 0)
        return true;
    if (name.isEmpty() || !isAlpha(name[0]))
        return false;
    for (const QChar c : name) {
        if (!isAlpha(c) && !isDigit(c) && c != u'-' && c != u'_')
            return false;
    }
    return true;
}

bool validUrn(QStringView urn)
{
    if (!urn.startsWith(u"urn:", Qt::CaseInsensitive) || urn.size() < 5)
        return false;
    for (const QChar c : urn) {
        if (!isAlpha(c) && !isDigit(c) && c != u':' && c != u'.' && c != u'-' && c != u'_')
            return false;
    }
    return true;
}

class Parser
{
public:
    Parser(QStringView text, QString errorType)
        : m_text(text)
        , m_errorType(std::move(errorType))
    {}

    std::optional<ScimError> error;

    ScimResult<Filter> parseWholeFilter()
    {
        if (auto bad = checkCharacters())
            return *bad;
        Filter filter;
        filter.root = parseOr(0, false);
        if (!error) {
            skipSpaces();
            if (m_pos < m_text.size())
                fail(QStringLiteral("unexpected '%1'").arg(m_text[m_pos]));
        }
        if (error)
            return *error;
        filter.comparisons = m_comparisons;
        return filter;
    }

    ScimResult<PatchPath> parsePatchPathText()
    {
        if (auto bad = checkCharacters())
            return *bad;
        PatchPath out;
        out.path = parseAttrPath();
        if (!error && m_pos < m_text.size() && m_text[m_pos] == u'[') {
            if (!out.path.subAttribute.isEmpty())
                fail(QStringLiteral("a filter must follow the attribute, not a sub-attribute"));
            ++m_pos;
            Filter filter;
            filter.root = parseOr(1, true);
            filter.comparisons = m_comparisons;
            if (!error && !expect(u']'))
                fail(QStringLiteral("expected ']'"));
            if (!error && m_pos < m_text.size() && m_text[m_pos] == u'.') {
                ++m_pos;
                const qsizetype start = m_pos;
                while (m_pos < m_text.size() &&
                       (isAlpha(m_text[m_pos]) || isDigit(m_text[m_pos]) || m_text[m_pos] == u'-' ||
                        m_text[m_pos] == u'_' || m_text[m_pos] == u'$'))
                    ++m_pos;
                const QStringView sub = m_text.mid(start, m_pos - start);
                if (!validAttributeName(sub))
                    failAt(int(start), QStringLiteral("invalid sub-attribute name"));
                out.filterSubAttribute = sub.toString();
            }
            out.valueFilter = std::move(filter);
        }
        if (!error && m_pos < m_text.size())
            fail(QStringLiteral("unexpected '%1'").arg(m_text[m_pos]));
        if (error)
            return *error;
        return out;
    }

private:
    QStringView m_text;
    QString m_errorType;
    qsizetype m_pos = 0;
    int m_comparisons = 0;

    void failAt(int position, const QString &message)
    {
        if (!error)
            error = ScimError::badRequest(
                m_errorType, QStringLiteral("%1 at position %2").arg(message).arg(position));
    }
    void fail(const QString &message) { failAt(int(m_pos), message); }

    std::optional<ScimError> checkCharacters()
    {
        for (qsizetype i = 0; i < m_text.size(); ++i) {
            const QChar c = m_text[i];
            if (c.unicode() < 0x20 || c.unicode() == 0x7f) {
                m_pos = i;
                fail(QStringLiteral("control character"));
                return error;
            }
            if (c.isHighSurrogate() && i + 1 < m_text.size() && m_text[i + 1].isLowSurrogate()) {
                ++i;
            } else if (c.isSurrogate()) {
                m_pos = i;
                fail(QStringLiteral("broken UTF-16"));
                return error;
            }
        }
        return std::nullopt;
    }

    void skipSpaces()
    {
        while (m_pos < m_text.size() && m_text[m_pos] == u' ')
            ++m_pos;
    }

    bool expect(QChar c)
    {
        skipSpaces();
        if (m_pos < m_text.size() && m_text[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }

    // A keyword at m_pos (after spaces) followed by a space or '(' (and, or) — the position
    // is only consumed on a match.
    bool keyword(QStringView word)
    {
        qsizetype p = m_pos;
        while (p < m_text.size() && m_text[p] == u' ')
            ++p;
        if (p == m_pos && m_pos != 0)
            return false; // keywords are separated by a space from what precedes them
        if (m_text.mid(p, word.size()).compare(word, Qt::CaseInsensitive) != 0)
            return false;
        const qsizetype after = p + word.size();
        if (after >= m_text.size() || (m_text[after] != u' ' && m_text[after] != u'('))
            return false;
        m_pos = after;
        return true;
    }

    FilterNode parseOr(int depth, bool inValuePath)
    {
        FilterNode first = parseAnd(depth, inValuePath);
        if (error || !keyword(u"or"))
            return first;
        FilterNode node;
        node.kind = FilterNode::Kind::Or;
        node.position = first.position;
        node.children.push_back(std::move(first));
        do {
            node.children.push_back(parseAnd(depth, inValuePath));
        } while (!error && keyword(u"or"));
        return node;
    }

    FilterNode parseAnd(int depth, bool inValuePath)
    {
        FilterNode first = parseUnary(depth, inValuePath);
        if (error || !keyword(u"and"))
            return first;
        FilterNode node;
        node.kind = FilterNode::Kind::And;
        node.position = first.position;
        node.children.push_back(std::move(first));
        do {
            node.children.push_back(parseUnary(depth, inValuePath));
        } while (!error && keyword(u"and"));
        return node;
    }

    bool enter(int depth)
    {
        if (depth >= kMaxFilterDepth) {
            fail(QStringLiteral("filter nested deeper than %1").arg(kMaxFilterDepth));
            return false;
        }
        return true;
    }

    FilterNode parseUnary(int depth, bool inValuePath)
    {
        skipSpaces();
        FilterNode node;
        node.position = int(m_pos);
        if (m_pos >= m_text.size()) {
            fail(QStringLiteral("unexpected end of filter"));
            return node;
        }
        // not ( … )
        if (m_text.mid(m_pos, 3).compare(u"not", Qt::CaseInsensitive) == 0) {
            qsizetype p = m_pos + 3;
            while (p < m_text.size() && m_text[p] == u' ')
                ++p;
            if (p < m_text.size() && m_text[p] == u'(') {
                m_pos = p + 1;
                if (!enter(depth))
                    return node;
                node.kind = FilterNode::Kind::Not;
                node.children.push_back(parseOr(depth + 1, inValuePath));
                if (!error && !expect(u')'))
                    fail(QStringLiteral("expected ')'"));
                return node;
            }
        }
        if (m_text[m_pos] == u'(') {
            ++m_pos;
            if (!enter(depth))
                return node;
            FilterNode inner = parseOr(depth + 1, inValuePath);
            if (!error && !expect(u')'))
                fail(QStringLiteral("expected ')'"));
            return inner;
        }
        node.path = parseAttrPath();
        if (error)
            return node;
        if (m_pos < m_text.size() && m_text[m_pos] == u'[') {
            if (inValuePath) {
                fail(QStringLiteral("valuePath filters do not nest"));
                return node;
            }
            if (!node.path.subAttribute.isEmpty()) {
                fail(QStringLiteral("a valuePath names an attribute, not a sub-attribute"));
                return node;
            }
            ++m_pos;
            if (!enter(depth))
                return node;
            node.kind = FilterNode::Kind::ValuePath;
            node.children.push_back(parseOr(depth + 1, true));
            if (!error && !expect(u']'))
                fail(QStringLiteral("expected ']'"));
            return node;
        }
        node.kind = FilterNode::Kind::Compare;
        if (++m_comparisons > kMaxFilterComparisons) {
            fail(QStringLiteral("more than %1 comparisons").arg(kMaxFilterComparisons));
            return node;
        }
        if (m_pos >= m_text.size() || m_text[m_pos] != u' ') {
            fail(QStringLiteral("expected an operator after the attribute"));
            return node;
        }
        skipSpaces();
        const qsizetype opStart = m_pos;
        while (m_pos < m_text.size() && isAlpha(m_text[m_pos]))
            ++m_pos;
        const QStringView opText = m_text.mid(opStart, m_pos - opStart);
        static const CompareOp ops[] = {CompareOp::Eq, CompareOp::Ne, CompareOp::Co, CompareOp::Sw,
                                        CompareOp::Ew, CompareOp::Gt, CompareOp::Ge, CompareOp::Lt,
                                        CompareOp::Le, CompareOp::Pr};
        bool found = false;
        for (CompareOp op : ops) {
            if (opText.compare(compareOpName(op), Qt::CaseInsensitive) == 0) {
                node.op = op;
                found = true;
            }
        }
        if (!found) {
            failAt(int(opStart), QStringLiteral("unknown operator"));
            return node;
        }
        if (node.op == CompareOp::Pr)
            return node;
        if (m_pos >= m_text.size() || m_text[m_pos] != u' ') {
            fail(QStringLiteral("expected a value after the operator"));
            return node;
        }
        skipSpaces();
        parseValue(node);
        return node;
    }

    AttributePath parseAttrPath()
    {
        skipSpaces();
        const qsizetype start = m_pos;
        while (m_pos < m_text.size()) {
            const QChar c = m_text[m_pos];
            if (isAlpha(c) || isDigit(c) || c == u':' || c == u'.' || c == u'-' || c == u'_' ||
                c == u'$')
                ++m_pos;
            else
                break;
        }
        const QStringView token = m_text.mid(start, m_pos - start);
        if (token.isEmpty()) {
            failAt(int(start), QStringLiteral("expected an attribute path"));
            return {};
        }
        AttributePath path = splitAttributePath(token);
        if ((!path.urn.isEmpty() && !validUrn(path.urn)) || !validAttributeName(path.attribute) ||
            (!path.subAttribute.isEmpty() && !validAttributeName(path.subAttribute)) ||
            token.endsWith(u'.'))
            failAt(int(start), QStringLiteral("invalid attribute path"));
        return path;
    }

    static int hexValue(QChar c)
    {
        const char16_t u = c.unicode();
        if (u >= u'0' && u <= u'9')
            return u - u'0';
        if (u >= u'a' && u <= u'f')
            return u - u'a' + 10;
        if (u >= u'A' && u <= u'F')
            return u - u'A' + 10;
        return -1;
    }

    int readHex4(qsizetype at)
    {
        if (at + 4 > m_text.size())
            return -1;
        int v = 0;
        for (qsizetype i = at; i < at + 4; ++i) {
            const int h = hexValue(m_text[i]);
            if (h < 0)
                return -1;
            v = v * 16 + h;
        }
        return v;
    }

    void parseValue(FilterNode &node)
    {
        const qsizetype start = m_pos;
        if (m_pos >= m_text.size()) {
            fail(QStringLiteral("expected a value"));
            return;
        }
        const QChar c = m_text[m_pos];
        if (c == u'"') {
            ++m_pos;
            QString out;
            while (true) {
                if (m_pos >= m_text.size()) {
                    failAt(int(start), QStringLiteral("unterminated string"));
                    return;
                }
                const QChar ch = m_text[m_pos];
                if (ch == u'"') {
                    ++m_pos;
                    break;
                }
                if (ch != u'\\') {
                    out.append(ch);
                    ++m_pos;
                    continue;
                }
                if (m_pos + 1 >= m_text.size()) {
                    failAt(int(start), QStringLiteral("unterminated string"));
                    return;
                }
                const QChar esc = m_text[m_pos + 1];
                m_pos += 2;
                switch (esc.unicode()) {
                case u'"':
                    out.append(u'"');
                    break;
                case u'\\':
                    out.append(u'\\');
                    break;
                case u'/':
                    out.append(u'/');
                    break;
                case u'b':
                    out.append(u'\b');
                    break;
                case u'f':
                    out.append(u'\f');
                    break;
                case u'n':
                    out.append(u'\n');
                    break;
                case u'r':
                    out.append(u'\r');
                    break;
                case u't':
                    out.append(u'\t');
                    break;
                case u'u': {
                    const int unit = readHex4(m_pos);
                    if (unit < 0) {
                        failAt(int(m_pos - 2), QStringLiteral("bad \\u escape"));
                        return;
                    }
                    m_pos += 4;
                    if (unit == 0) {
                        failAt(int(m_pos - 6), QStringLiteral("NUL in string"));
                        return;
                    }
                    if (QChar::isHighSurrogate(char32_t(unit))) {
                        const int low = (m_pos + 1 < m_text.size() && m_text[m_pos] == u'\\' &&
                                         m_text[m_pos + 1] == u'u')
                                            ? readHex4(m_pos + 2)
                                            : -1;
                        if (low < 0 || !QChar::isLowSurrogate(char32_t(low))) {
                            failAt(int(m_pos - 6), QStringLiteral("lone surrogate escape"));
                            return;
                        }
                        m_pos += 6;
                        out.append(QChar(char16_t(unit)));
                        out.append(QChar(char16_t(low)));
                    } else if (QChar::isLowSurrogate(char32_t(unit))) {
                        failAt(int(m_pos - 6), QStringLiteral("lone surrogate escape"));
                        return;
                    } else {
                        out.append(QChar(char16_t(unit)));
                    }
                    break;
                }
                default:
                    failAt(int(m_pos - 2), QStringLiteral("bad escape"));
                    return;
                }
            }
            node.value = out;
        } else if (c == u'-' || isDigit(c)) {
            qsizetype p = m_pos;
            if (m_text[p] == u'-')
                ++p;
            const qsizetype intStart = p;
            while (p < m_text.size() && isDigit(m_text[p]))
                ++p;
            bool ok = p > intStart && !(m_text[intStart] == u'0' && p - intStart > 1);
            if (ok && p < m_text.size() && m_text[p] == u'.') {
                const qsizetype fracStart = ++p;
                while (p < m_text.size() && isDigit(m_text[p]))
                    ++p;
                ok = p > fracStart;
            }
            if (ok && p < m_text.size() && (m_text[p] == u'e' || m_text[p] == u'E')) {
                ++p;
                if (p < m_text.size() && (m_text[p] == u'+' || m_text[p] == u'-'))
                    ++p;
                const qsizetype expStart = p;
                while (p < m_text.size() && isDigit(m_text[p]))
                    ++p;
                ok = p > expStart;
            }
            const QStringView literal = m_text.mid(m_pos, p - m_pos);
            const double number = ok ? literal.toDouble(&ok) : 0.0;
            if (!ok || !std::isfinite(number) || literal.size() > 64) {
                failAt(int(start), QStringLiteral("invalid number"));
                return;
            }
            node.value = number;
            node.numberText = literal.toString();
            m_pos = p;
        } else {
            qsizetype p = m_pos;
            while (p < m_text.size() && isAlpha(m_text[p]))
                ++p;
            const QStringView word = m_text.mid(m_pos, p - m_pos);
            if (word.compare(u"true", Qt::CaseInsensitive) == 0)
                node.value = true;
            else if (word.compare(u"false", Qt::CaseInsensitive) == 0)
                node.value = false;
            else if (word.compare(u"null", Qt::CaseInsensitive) == 0)
                node.value = QJsonValue(QJsonValue::Null);
            else {
                failAt(int(start), QStringLiteral("expected a value (string, number, true, "
                                                  "false or null)"));
                return;
            }
            m_pos = p;
        }
        // A value ends the comparison: a space, ')' or ']' or the end must follow.
        if (m_pos < m_text.size() && m_text[m_pos] != u' ' && m_text[m_pos] != u')' &&
            m_text[m_pos] != u']')
            fail(QStringLiteral("unexpected '%1' after the value").arg(m_text[m_pos]));
    }
};

qsizetype utf8Length(QStringView text)
{
    qsizetype bytes = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t u = text[i].unicode();
        if (u < 0x80)
            bytes += 1;
        else if (u < 0x800)
            bytes += 2;
        else if (QChar::isHighSurrogate(u) && i + 1 < text.size() &&
                 QChar::isLowSurrogate(text[i + 1].unicode())) {
            bytes += 4;
            ++i;
        } else
            bytes += 3;
    }
    return bytes;
}

} // namespace

ScimResult<Filter> parseFilter(QStringView text)
{
    if (text.size() > kMaxFilterBytes || utf8Length(text) > kMaxFilterBytes)
        return ScimError::badRequest(scimtype::invalidFilter(),
                                     QStringLiteral("filter longer than %1 bytes at position %2")
                                         .arg(kMaxFilterBytes)
                                         .arg(0));
    if (text.trimmed().isEmpty())
        return ScimError::badRequest(scimtype::invalidFilter(),
                                     QStringLiteral("empty filter at position 0"));
    Parser parser(text, scimtype::invalidFilter());
    return parser.parseWholeFilter();
}

ScimResult<Filter> parseFilter(QByteArrayView utf8)
{
    if (utf8.size() > kMaxFilterBytes)
        return ScimError::badRequest(scimtype::invalidFilter(),
                                     QStringLiteral("filter longer than %1 bytes at position %2")
                                         .arg(kMaxFilterBytes)
                                         .arg(0));
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(utf8);
    if (decoder.hasError())
        return ScimError::badRequest(scimtype::invalidFilter(),
                                     QStringLiteral("filter is not valid UTF-8 at position 0"));
    return parseFilter(QStringView(text));
}

ScimResult<PatchPath> parsePatchPath(QStringView text)
{
    if (text.size() > kMaxFilterBytes || utf8Length(text) > kMaxFilterBytes)
        return ScimError::badRequest(
            scimtype::invalidPath(),
            QStringLiteral("path longer than %1 bytes").arg(kMaxFilterBytes));
    if (text.isEmpty())
        return ScimError::badRequest(scimtype::invalidPath(), QStringLiteral("empty path"));
    Parser parser(text, scimtype::invalidPath());
    return parser.parsePatchPathText();
}

// ---------------------------------------------------------------------------------------------
// Schema check

namespace {

ScimError invalidFilter(const QString &detail)
{
    return ScimError::badRequest(scimtype::invalidFilter(), detail);
}

bool orderingOp(CompareOp op)
{
    return op == CompareOp::Gt || op == CompareOp::Ge || op == CompareOp::Lt || op == CompareOp::Le;
}

bool substringOp(CompareOp op)
{
    return op == CompareOp::Co || op == CompareOp::Sw || op == CompareOp::Ew;
}

} // namespace

ScimResult<FilterTarget> resolveFilterTarget(const FilterNode &node, const ResourceSchema &schema,
                                             const AttributeSchema *valuePathParent)
{
    const auto written = [&node]() { return node.path.toString(); };
    FilterTarget target;
    if (valuePathParent) {
        const AttributeSchema *sub = node.path.urn.isEmpty() && node.path.subAttribute.isEmpty()
                                         ? valuePathParent->subAttribute(node.path.attribute)
                                         : nullptr;
        if (!sub)
            return invalidFilter(QStringLiteral("unknown attribute '%1' in the filter on '%2'")
                                     .arg(written(), valuePathParent->name));
        target.resolved.attribute = valuePathParent;
        target.resolved.subAttribute = sub;
        // The extension URN, if any, is filled in by the caller that knows the valuePath.
        target.leaf = sub;
    } else {
        const auto resolved = schema.resolve(node.path);
        if (!resolved)
            return invalidFilter(QStringLiteral("unknown attribute '%1'").arg(written()));
        target.resolved = *resolved;
        target.leaf = &resolved->leaf();
        if (!resolved->subAttribute && resolved->attribute->isComplex()) {
            const AttributeSchema *value = resolved->attribute->subAttribute(u"value");
            if (node.op == CompareOp::Pr ||
                (node.value.isNull() && (node.op == CompareOp::Eq || node.op == CompareOp::Ne))) {
                target.leaf = nullptr;
            } else if (resolved->attribute->multiValued && value) {
                target.resolved.subAttribute = value;
                target.leaf = value;
                target.implicitValue = true;
            } else {
                return invalidFilter(
                    QStringLiteral("attribute '%1' is complex: compare one of its sub-attributes")
                        .arg(written()));
            }
        }
    }
    if (node.op == CompareOp::Pr) {
        target.operand = QJsonValue(QJsonValue::Undefined);
        return target;
    }
    if (node.value.isNull()) {
        if (node.op != CompareOp::Eq && node.op != CompareOp::Ne)
            return invalidFilter(
                QStringLiteral("null can only be compared with eq or ne ('%1')").arg(written()));
        target.operand = QJsonValue(QJsonValue::Null);
        return target;
    }
    const AttributeSchema &leaf = *target.leaf;
    const auto unsupported = [&]() {
        return invalidFilter(
            QStringLiteral("operator '%1' cannot be used on %2 attribute '%3'")
                .arg(compareOpName(node.op), attributeTypeName(leaf.type), written()));
    };
    const auto wrongOperand = [&]() {
        return invalidFilter(QStringLiteral("attribute '%1' is of type %2: the value does not fit")
                                 .arg(written(), attributeTypeName(leaf.type)));
    };
    switch (leaf.type) {
    case AttributeType::String:
    case AttributeType::Reference:
        if (!node.value.isString())
            return wrongOperand();
        target.operand = node.value;
        break;
    case AttributeType::Boolean:
        if (substringOp(node.op) || orderingOp(node.op))
            return unsupported();
        if (node.value.isBool())
            target.operand = node.value;
        else if (node.value.isString() &&
                 node.value.toString().compare(u"true", Qt::CaseInsensitive) == 0)
            target.operand = true;
        else if (node.value.isString() &&
                 node.value.toString().compare(u"false", Qt::CaseInsensitive) == 0)
            target.operand = false;
        else
            return wrongOperand();
        break;
    case AttributeType::Integer:
    case AttributeType::Decimal:
        if (substringOp(node.op))
            return unsupported();
        if (!node.value.isDouble())
            return wrongOperand();
        target.operand = node.value;
        break;
    case AttributeType::DateTime: {
        if (substringOp(node.op))
            return unsupported();
        const QDateTime instant =
            node.value.isString() ? parseDateTime(node.value.toString()) : QDateTime();
        if (!instant.isValid())
            return wrongOperand();
        target.operand = formatDateTime(instant);
        break;
    }
    case AttributeType::Complex:
        return unsupported();
    }
    return target;
}

ScimResult<ResolvedAttribute> resolveValuePath(const FilterNode &node, const ResourceSchema &schema)
{
    const auto resolved = schema.resolve(node.path);
    if (!resolved)
        return invalidFilter(QStringLiteral("unknown attribute '%1'").arg(node.path.toString()));
    if (resolved->subAttribute || !resolved->attribute->isComplex())
        return invalidFilter(QStringLiteral("attribute '%1' is not complex: no [filter] on it")
                                 .arg(node.path.toString()));
    return *resolved;
}

namespace {

ScimStatus validateNode(const FilterNode &node, const ResourceSchema &schema,
                        const AttributeSchema *parent)
{
    switch (node.kind) {
    case FilterNode::Kind::Compare: {
        auto target = resolveFilterTarget(node, schema, parent);
        if (!target)
            return target.error();
        return {};
    }
    case FilterNode::Kind::ValuePath: {
        if (parent)
            return invalidFilter(QStringLiteral("valuePath filters do not nest"));
        auto resolved = resolveValuePath(node, schema);
        if (!resolved)
            return resolved.error();
        return validateNode(node.children.front(), schema, resolved->attribute);
    }
    case FilterNode::Kind::And:
    case FilterNode::Kind::Or:
    case FilterNode::Kind::Not:
        for (const FilterNode &child : node.children) {
            auto status = validateNode(child, schema, parent);
            if (!status)
                return status;
        }
        return {};
    }
    return {};
}

// --- evaluation

bool compareScalar(CompareOp op, const AttributeSchema &leaf, const QJsonValue &actual,
                   const QJsonValue &operand)
{
    if (actual.isNull() || actual.isUndefined())
        return false;
    const auto ordered = [op](int cmp) {
        switch (op) {
        case CompareOp::Eq:
            return cmp == 0;
        case CompareOp::Ne:
            return cmp != 0;
        case CompareOp::Gt:
            return cmp > 0;
        case CompareOp::Ge:
            return cmp >= 0;
        case CompareOp::Lt:
            return cmp < 0;
        case CompareOp::Le:
            return cmp <= 0;
        default:
            return false;
        }
    };
    switch (leaf.type) {
    case AttributeType::String:
    case AttributeType::Reference: {
        if (!actual.isString())
            return false;
        QString a = actual.toString();
        QString b = operand.toString();
        if (!leaf.caseExact) {
            a = a.toLower();
            b = b.toLower();
        }
        switch (op) {
        case CompareOp::Co:
            return a.contains(b);
        case CompareOp::Sw:
            return a.startsWith(b);
        case CompareOp::Ew:
            return a.endsWith(b);
        default:
            return ordered(a.compare(b) < 0 ? -1 : (a == b ? 0 : 1));
        }
    }
    case AttributeType::Boolean:
        if (!actual.isBool())
            return false;
        return ordered(actual.toBool() == operand.toBool() ? 0 : 1);
    case AttributeType::Integer:
    case AttributeType::Decimal: {
        if (!actual.isDouble())
            return false;
        const double a = actual.toDouble();
        const double b = operand.toDouble();
        return ordered(a < b ? -1 : (a == b ? 0 : 1));
    }
    case AttributeType::DateTime: {
        const QDateTime a = actual.isString() ? parseDateTime(actual.toString()) : QDateTime();
        const QDateTime b = parseDateTime(operand.toString());
        if (!a.isValid() || !b.isValid())
            return false;
        return ordered(a < b ? -1 : (a == b ? 0 : 1));
    }
    case AttributeType::Complex:
        return false;
    }
    return false;
}

// The values a comparison looks at.
void collectValues(const FilterTarget &target, const QJsonObject &resource,
                   const QJsonValue *element, std::vector<QJsonValue> &out)
{
    if (element) {
        out.push_back(valueForKey(element->toObject(), target.leaf->name));
        return;
    }
    const AttributeSchema &attribute = *target.resolved.attribute;
    const QJsonValue top = attributeValue(resource, target.resolved);
    if (attribute.multiValued) {
        const QJsonArray values = top.isArray() ? top.toArray() : QJsonArray{top};
        for (const QJsonValue &value : values) {
            if (target.resolved.subAttribute)
                out.push_back(valueForKey(value.toObject(), target.resolved.subAttribute->name));
            else
                out.push_back(value);
        }
        return;
    }
    if (target.resolved.subAttribute)
        out.push_back(valueForKey(top.toObject(), target.resolved.subAttribute->name));
    else
        out.push_back(top);
}

bool evalCompare(const FilterNode &node, const ResourceSchema &schema,
                 const AttributeSchema *parent, const QJsonObject &resource,
                 const QJsonValue *element)
{
    const auto target = resolveFilterTarget(node, schema, parent);
    if (!target)
        return false;
    std::vector<QJsonValue> values;
    collectValues(*target, resource, element, values);
    const auto present = [&]() {
        for (const QJsonValue &v : values) {
            if (!isUnassigned(v))
                return true;
        }
        return false;
    };
    if (node.op == CompareOp::Pr)
        return present();
    if (target->operand.isNull())
        return node.op == CompareOp::Eq ? !present() : present();
    const CompareOp op = node.op == CompareOp::Ne ? CompareOp::Eq : node.op;
    bool any = false;
    for (const QJsonValue &v : values) {
        if (compareScalar(op, *target->leaf, v, target->operand)) {
            any = true;
            break;
        }
    }
    return node.op == CompareOp::Ne ? !any : any;
}

bool evalNode(const FilterNode &node, const ResourceSchema &schema, const AttributeSchema *parent,
              const QJsonObject &resource, const QJsonValue *element)
{
    switch (node.kind) {
    case FilterNode::Kind::Compare:
        return evalCompare(node, schema, parent, resource, element);
    case FilterNode::Kind::And:
        for (const FilterNode &child : node.children) {
            if (!evalNode(child, schema, parent, resource, element))
                return false;
        }
        return true;
    case FilterNode::Kind::Or:
        for (const FilterNode &child : node.children) {
            if (evalNode(child, schema, parent, resource, element))
                return true;
        }
        return false;
    case FilterNode::Kind::Not:
        return !evalNode(node.children.front(), schema, parent, resource, element);
    case FilterNode::Kind::ValuePath: {
        if (parent)
            return false;
        const auto resolved = resolveValuePath(node, schema);
        if (!resolved)
            return false;
        const QJsonValue top = attributeValue(resource, *resolved);
        const QJsonArray values = top.isArray() ? top.toArray() : QJsonArray{top};
        for (const QJsonValue &value : values) {
            if (value.isObject() &&
                evalNode(node.children.front(), schema, resolved->attribute, resource, &value))
                return true;
        }
        return false;
    }
    }
    return false;
}

} // namespace

ScimStatus validateFilter(const Filter &filter, const ResourceSchema &schema)
{
    return validateNode(filter.root, schema, nullptr);
}

ScimResult<bool> evaluateFilter(const Filter &filter, const ResourceSchema &schema,
                                const QJsonObject &resource)
{
    auto status = validateFilter(filter, schema);
    if (!status)
        return status.error();
    return matchesFilter(filter, schema, resource);
}

bool matchesFilter(const Filter &filter, const ResourceSchema &schema, const QJsonObject &resource)
{
    return evalNode(filter.root, schema, nullptr, resource, nullptr);
}

ScimStatus validateValueFilter(const Filter &filter, const ResourceSchema &schema,
                               const AttributeSchema &attribute)
{
    if (!attribute.isComplex())
        return invalidFilter(
            QStringLiteral("attribute '%1' is not complex: no [filter] on it").arg(attribute.name));
    return validateNode(filter.root, schema, &attribute);
}

bool matchesValueFilter(const Filter &filter, const ResourceSchema &schema,
                        const AttributeSchema &attribute, const QJsonValue &value)
{
    if (!value.isObject())
        return false;
    static const QJsonObject empty;
    return evalNode(filter.root, schema, &attribute, empty, &value);
}

} // namespace upcoach::identity::scim
