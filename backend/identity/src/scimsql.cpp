#include "upcoach/identity/scimsql.h"

#include <QList>
#include <limits>

namespace upcoach::identity::scim {

namespace {

QString key(const ResolvedAttribute &attribute)
{
    return attribute.canonicalPath().toLower();
}

ResolvedAttribute withoutSub(ResolvedAttribute attribute)
{
    attribute.subAttribute = nullptr;
    return attribute;
}

std::optional<ResolvedAttribute> resolveText(const ResourceSchema &schema, QStringView path)
{
    return schema.resolve(splitAttributePath(path));
}

} // namespace

bool SqlMapping::addColumn(QStringView path, QStringView expression)
{
    const auto resolved = resolveText(*m_schema, path);
    if (!resolved)
        return false;
    m_columns.insert(key(*resolved), SqlColumn{expression.toString(), resolved->leaf().type,
                                               resolved->leaf().caseExact});
    return true;
}

bool SqlMapping::addColumn(QStringView path, SqlColumn column)
{
    const auto resolved = resolveText(*m_schema, path);
    if (!resolved)
        return false;
    m_columns.insert(key(*resolved), std::move(column));
    return true;
}

bool SqlMapping::addJsonArray(QStringView path, QStringView column)
{
    const auto resolved = resolveText(*m_schema, path);
    if (!resolved || resolved->subAttribute || !resolved->attribute->multiValued ||
        !resolved->attribute->isComplex())
        return false;
    m_jsonArrays.insert(key(*resolved), SqlJsonArray{column.toString()});
    return true;
}

const SqlColumn *SqlMapping::column(const ResolvedAttribute &attribute) const
{
    const auto it = m_columns.constFind(key(attribute));
    return it == m_columns.constEnd() ? nullptr : &*it;
}

const SqlJsonArray *SqlMapping::jsonArray(const ResolvedAttribute &attribute) const
{
    const auto it = m_jsonArrays.constFind(key(withoutSub(attribute)));
    return it == m_jsonArrays.constEnd() ? nullptr : &*it;
}

namespace {

ScimError invalidFilter(const QString &detail)
{
    return ScimError::badRequest(scimtype::invalidFilter(), detail);
}

std::string utf8(const QString &text)
{
    return text.toStdString();
}

QString escapeLike(const QString &text)
{
    QString out;
    out.reserve(text.size() + 8);
    for (const QChar c : text) {
        if (c == u'\\' || c == u'%' || c == u'_')
            out.append(u'\\');
        out.append(c);
    }
    return out;
}

// A leaf as SQL: an expression of the row or of the JSON element "e", its type and caseExact.
struct Leaf
{
    QString expression;
    AttributeType type = AttributeType::String;
    bool caseExact = false;
};

Leaf jsonElementLeaf(const AttributeSchema &sub)
{
    const QString text = QStringLiteral("e->>'") + sub.name + u'\'';
    Leaf leaf{text, sub.type, sub.caseExact};
    switch (sub.type) {
    case AttributeType::Boolean:
        leaf.expression = u'(' + text + QStringLiteral(")::boolean");
        break;
    case AttributeType::Integer:
    case AttributeType::Decimal:
        leaf.expression = u'(' + text + QStringLiteral(")::numeric");
        break;
    case AttributeType::DateTime:
        leaf.expression = u'(' + text + QStringLiteral(")::timestamptz");
        break;
    default:
        break;
    }
    return leaf;
}

class Compiler
{
public:
    Compiler(const SqlMapping &mapping, int firstParameter)
        : m_mapping(mapping)
        , m_next(firstParameter)
    {}

    std::vector<std::optional<std::string>> params;

    ScimResult<QString> node(const FilterNode &n, const AttributeSchema *parent, bool jsonElement)
    {
        switch (n.kind) {
        case FilterNode::Kind::And:
        case FilterNode::Kind::Or: {
            QStringList parts;
            for (const FilterNode &child : n.children) {
                auto part = node(child, parent, jsonElement);
                if (!part)
                    return part.error();
                parts.append(*part);
            }
            const QString glue =
                n.kind == FilterNode::Kind::And ? QStringLiteral(" AND ") : QStringLiteral(" OR ");
            return QString(u'(' + parts.join(glue) + u')');
        }
        case FilterNode::Kind::Not: {
            auto inner = node(n.children.front(), parent, jsonElement);
            if (!inner)
                return inner.error();
            return QString(QStringLiteral("NOT COALESCE(") + *inner + QStringLiteral(", false)"));
        }
        case FilterNode::Kind::ValuePath:
            return valuePath(n);
        case FilterNode::Kind::Compare:
            return compare(n, parent, jsonElement);
        }
        return invalidFilter(QStringLiteral("unsupported filter"));
    }

private:
    const SqlMapping &m_mapping;
    int m_next;

    QString param(std::string value)
    {
        params.emplace_back(std::move(value));
        return u'$' + QString::number(m_next++);
    }

    static QString notMapped(const QString &path)
    {
        return QStringLiteral("attribute '%1' cannot be used in filters here").arg(path);
    }

    static QString exists(const QString &column, const QString &condition)
    {
        QString out = QStringLiteral("EXISTS (SELECT 1 FROM jsonb_array_elements(") + column +
                      QStringLiteral(") AS e");
        if (!condition.isEmpty())
            out += QStringLiteral(" WHERE ") + condition;
        return out + u')';
    }

    static QString present(const Leaf &leaf)
    {
        if (leaf.type == AttributeType::String || leaf.type == AttributeType::Reference)
            return u'(' + leaf.expression + QStringLiteral(" IS NOT NULL AND ") + leaf.expression +
                   QStringLiteral(" <> '')");
        return leaf.expression + QStringLiteral(" IS NOT NULL");
    }

    static QString absent(const Leaf &leaf)
    {
        if (leaf.type == AttributeType::String || leaf.type == AttributeType::Reference)
            return u'(' + leaf.expression + QStringLiteral(" IS NULL OR ") + leaf.expression +
                   QStringLiteral(" = '')");
        return leaf.expression + QStringLiteral(" IS NULL");
    }

    static QString sqlOperator(CompareOp op)
    {
        switch (op) {
        case CompareOp::Eq:
            return QStringLiteral("=");
        case CompareOp::Ne:
            return QStringLiteral("<>");
        case CompareOp::Gt:
            return QStringLiteral(">");
        case CompareOp::Ge:
            return QStringLiteral(">=");
        case CompareOp::Lt:
            return QStringLiteral("<");
        case CompareOp::Le:
            return QStringLiteral("<=");
        default:
            return QStringLiteral("=");
        }
    }

    // op is never Pr here; operand is typed (resolveFilterTarget).
    QString predicate(const Leaf &leaf, CompareOp op, const FilterNode &n,
                      const QJsonValue &operand)
    {
        QString lhs = leaf.expression;
        QString rhs;
        switch (leaf.type) {
        case AttributeType::String:
        case AttributeType::Reference: {
            const QString text = operand.toString();
            if (op == CompareOp::Co || op == CompareOp::Sw || op == CompareOp::Ew) {
                const QString escaped = escapeLike(text);
                const QString pattern = (op == CompareOp::Sw ? QString() : QStringLiteral("%")) +
                                        escaped +
                                        (op == CompareOp::Ew ? QString() : QStringLiteral("%"));
                rhs = param(utf8(pattern));
                if (!leaf.caseExact) {
                    lhs = QStringLiteral("lower(") + lhs + u')';
                    rhs = QStringLiteral("lower(") + rhs + u')';
                }
                return lhs + QStringLiteral(" LIKE ") + rhs + QStringLiteral(" ESCAPE E'\\\\'");
            }
            rhs = param(utf8(text));
            if (!leaf.caseExact) {
                lhs = QStringLiteral("lower(") + lhs + u')';
                rhs = QStringLiteral("lower(") + rhs + u')';
            }
            if (op == CompareOp::Gt || op == CompareOp::Ge || op == CompareOp::Lt ||
                op == CompareOp::Le)
                lhs += QStringLiteral(" COLLATE \"C\"");
            break;
        }
        case AttributeType::Boolean:
            rhs = param(operand.toBool() ? "true" : "false") + QStringLiteral("::boolean");
            break;
        case AttributeType::Integer:
        case AttributeType::Decimal:
            rhs = param(utf8(n.numberText.isEmpty() ? QString::number(operand.toDouble(), 'g', 17)
                                                    : n.numberText)) +
                  QStringLiteral("::numeric");
            break;
        case AttributeType::DateTime:
            rhs = param(utf8(operand.toString())) + QStringLiteral("::timestamptz");
            break;
        case AttributeType::Complex:
            break;
        }
        if (op == CompareOp::Ne)
            return u'(' + leaf.expression + QStringLiteral(" IS NULL OR ") + lhs +
                   QStringLiteral(" <> ") + rhs + u')';
        return lhs + u' ' + sqlOperator(op) + u' ' + rhs;
    }

    // One leaf value (a column, or a JSON element inside EXISTS): the evaluator's per-value
    // semantics, including ne and null.
    QString leafCondition(const Leaf &leaf, const FilterNode &n, const FilterTarget &target)
    {
        if (n.op == CompareOp::Pr)
            return present(leaf);
        if (target.operand.isNull())
            return n.op == CompareOp::Eq ? absent(leaf) : present(leaf);
        return predicate(leaf, n.op, n, target.operand);
    }

    ScimResult<QString> compare(const FilterNode &n, const AttributeSchema *parent,
                                bool jsonElement)
    {
        auto target = resolveFilterTarget(n, m_mapping.schema(), parent);
        if (!target)
            return target.error();
        if (parent && jsonElement)
            return leafCondition(jsonElementLeaf(*target->leaf), n, *target);
        if (parent) {
            // valuePath on a single-valued complex attribute: its sub-attributes are columns.
            target->resolved.extensionUrn = m_parentUrn;
        }
        const ResolvedAttribute &resolved = target->resolved;
        const AttributeSchema &attribute = *resolved.attribute;
        if (attribute.multiValued && !parent) {
            if (const SqlJsonArray *array = m_mapping.jsonArray(resolved)) {
                if (!target->leaf) {
                    // pr / eq null / ne null on the attribute itself.
                    const QString any = exists(array->column, QString());
                    const bool wantPresent = n.op == CompareOp::Pr || n.op == CompareOp::Ne;
                    return wantPresent ? any : QStringLiteral("NOT ") + any;
                }
                const Leaf leaf = jsonElementLeaf(*target->leaf);
                // "any value matches"; ne and eq null are the complement of eq / pr.
                if (n.op == CompareOp::Ne && !target->operand.isNull()) {
                    FilterNode eq = n;
                    eq.op = CompareOp::Eq;
                    return QString(QStringLiteral("NOT ") +
                                   exists(array->column, leafCondition(leaf, eq, *target)));
                }
                if (n.op == CompareOp::Eq && target->operand.isNull())
                    return QString(QStringLiteral("NOT ") + exists(array->column, present(leaf)));
                return exists(array->column, leafCondition(leaf, n, *target));
            }
        }
        const SqlColumn *column = m_mapping.column(resolved);
        if (!column)
            return invalidFilter(notMapped(n.path.toString()));
        const Leaf leaf{column->expression, column->type, column->caseExact};
        if (!target->leaf) {
            // pr / eq null on a complex attribute mapped as a whole.
            const Leaf whole{column->expression, AttributeType::Complex, false};
            if (n.op == CompareOp::Pr || n.op == CompareOp::Ne)
                return present(whole);
            return absent(whole);
        }
        return leafCondition(leaf, n, *target);
    }

    QString m_parentUrn;

    ScimResult<QString> valuePath(const FilterNode &n)
    {
        auto resolved = resolveValuePath(n, m_mapping.schema());
        if (!resolved)
            return resolved.error();
        auto status = validateValueFilter(Filter{n.children.front(), 0}, m_mapping.schema(),
                                          *resolved->attribute);
        if (!status)
            return status.error();
        if (const SqlJsonArray *array = m_mapping.jsonArray(*resolved)) {
            auto inner = node(n.children.front(), resolved->attribute, true);
            if (!inner)
                return inner.error();
            return exists(array->column, *inner);
        }
        if (resolved->attribute->multiValued)
            return invalidFilter(notMapped(n.path.toString()));
        m_parentUrn = resolved->extensionUrn;
        auto inner = node(n.children.front(), resolved->attribute, false);
        m_parentUrn.clear();
        return inner;
    }
};

} // namespace

ScimResult<SqlFilter> compileFilter(const Filter &filter, const SqlMapping &mapping,
                                    int firstParameter)
{
    auto status = validateFilter(filter, mapping.schema());
    if (!status)
        return status.error();
    Compiler compiler(mapping, firstParameter);
    auto where = compiler.node(filter.root, nullptr, false);
    if (!where)
        return where.error();
    return SqlFilter{utf8(*where), std::move(compiler.params)};
}

ScimResult<std::string> compileSortBy(QStringView sortBy, QStringView sortOrder,
                                      const SqlMapping &mapping)
{
    const auto invalid = [](const QString &detail) {
        return ScimError::badRequest(scimtype::invalidValue(), detail);
    };
    QString direction;
    if (sortOrder.isEmpty() || sortOrder.compare(u"ascending", Qt::CaseInsensitive) == 0)
        direction = QStringLiteral("ASC");
    else if (sortOrder.compare(u"descending", Qt::CaseInsensitive) == 0)
        direction = QStringLiteral("DESC");
    else
        return invalid(QStringLiteral("sortOrder must be 'ascending' or 'descending'"));
    if (sortBy.isEmpty())
        return std::string();
    if (sortBy.size() > 1024)
        return invalid(QStringLiteral("sortBy is too long"));
    const auto resolved = mapping.schema().resolve(splitAttributePath(sortBy));
    if (!resolved)
        return invalid(QStringLiteral("sortBy names an unknown attribute '%1'")
                           .arg(sortBy.left(200).toString()));
    QString expression;
    const AttributeSchema &attribute = *resolved->attribute;
    if (attribute.multiValued && attribute.isComplex() && mapping.jsonArray(*resolved)) {
        const AttributeSchema *sub =
            resolved->subAttribute ? resolved->subAttribute : attribute.subAttribute(u"value");
        if (!sub || sub->isComplex())
            return invalid(QStringLiteral("cannot sort by '%1'").arg(resolved->canonicalPath()));
        Leaf leaf = jsonElementLeaf(*sub);
        QString value = leaf.expression;
        if ((sub->type == AttributeType::String || sub->type == AttributeType::Reference) &&
            !sub->caseExact)
            value = QStringLiteral("lower(") + value + u')';
        const bool hasPrimary = attribute.subAttribute(u"primary") != nullptr;
        expression = QStringLiteral("(SELECT ") + value +
                     QStringLiteral(" FROM jsonb_array_elements(") +
                     mapping.jsonArray(*resolved)->column +
                     QStringLiteral(") WITH ORDINALITY AS x(e, n) ORDER BY ") +
                     (hasPrimary ? QStringLiteral("e->'primary' = 'true'::jsonb DESC NULLS LAST, ")
                                 : QString()) +
                     QStringLiteral("n LIMIT 1)");
    } else {
        const SqlColumn *column = mapping.column(*resolved);
        if (!column || column->type == AttributeType::Complex)
            return invalid(QStringLiteral("cannot sort by '%1'").arg(resolved->canonicalPath()));
        expression = column->expression;
        if ((column->type == AttributeType::String || column->type == AttributeType::Reference) &&
            !column->caseExact)
            expression = QStringLiteral("lower(") + expression + u')';
    }
    return utf8(expression + u' ' + direction + QStringLiteral(" NULLS LAST"));
}

ScimResult<Pagination> parsePagination(const QUrlQuery &query, int defaultCount, int maxResults)
{
    maxResults = std::max(0, maxResults);
    Pagination out;
    out.count = std::clamp(defaultCount, 0, maxResults);
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto &[name, value] : items) {
        const bool isStart = name.compare(u"startIndex", Qt::CaseInsensitive) == 0;
        const bool isCount = name.compare(u"count", Qt::CaseInsensitive) == 0;
        if (!isStart && !isCount)
            continue;
        bool ok = false;
        const QString trimmed = value.trimmed();
        qint64 number = trimmed.toLongLong(&ok);
        if (!ok) {
            // Digits beyond qint64 are clamped rather than refused.
            bool digitsOnly = !trimmed.isEmpty();
            for (qsizetype i = 0; i < trimmed.size(); ++i) {
                const QChar c = trimmed[i];
                if (!(c.isDigit() && c.unicode() < 0x80) && !(i == 0 && c == u'-'))
                    digitsOnly = false;
            }
            if (!digitsOnly || trimmed == QStringLiteral("-"))
                return ScimError::badRequest(
                    scimtype::invalidValue(),
                    QStringLiteral("'%1' must be an integer")
                        .arg(isStart ? QStringLiteral("startIndex") : QStringLiteral("count")));
            number = trimmed.startsWith(u'-') ? std::numeric_limits<qint64>::min()
                                              : std::numeric_limits<qint64>::max();
        }
        if (isStart)
            out.startIndex = std::max<qint64>(1, number);
        else
            out.count = int(std::clamp<qint64>(number, 0, maxResults));
    }
    return out;
}

} // namespace upcoach::identity::scim
