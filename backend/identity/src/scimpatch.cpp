#include "upcoach/identity/scimpatch.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace upcoach::identity::scim {

namespace {

ScimError syntaxError(const QString &detail)
{
    return ScimError::badRequest(scimtype::invalidSyntax(), detail);
}

ScimError pathError(const QString &detail)
{
    return ScimError::badRequest(scimtype::invalidPath(), detail);
}

ScimError mutabilityError(const QString &path)
{
    return ScimError::badRequest(scimtype::mutability(),
                                 QStringLiteral("attribute '%1' cannot be modified").arg(path));
}

ScimError noTarget(const QString &path)
{
    return ScimError::badRequest(scimtype::noTarget(),
                                 QStringLiteral("path '%1' matched no value").arg(path));
}

ScimError valueError(const QString &detail)
{
    return ScimError::badRequest(scimtype::invalidValue(), detail);
}

} // namespace

ScimResult<PatchRequest> parsePatchRequest(const QJsonObject &body)
{
    const QJsonValue schemas = valueForKey(body, u"schemas");
    const QJsonArray schemaList = schemas.toArray();
    if (!schemas.isArray() || schemaList.size() != 1 ||
        schemaList.first().toString().compare(QStringView(kPatchOpUrn), Qt::CaseInsensitive) != 0)
        return syntaxError(
            QStringLiteral("'schemas' must be [\"%1\"]").arg(QString::fromUtf16(kPatchOpUrn)));
    const QJsonValue operations = valueForKey(body, u"Operations");
    if (!operations.isArray())
        return syntaxError(QStringLiteral("'Operations' must be an array"));
    const QJsonArray list = operations.toArray();
    if (list.isEmpty() || list.size() > kMaxPatchOperations)
        return syntaxError(
            QStringLiteral("'Operations' must hold 1 to %1 operations").arg(kMaxPatchOperations));
    PatchRequest request;
    request.operations.reserve(size_t(list.size()));
    int index = 0;
    for (const QJsonValue &entry : list) {
        const QString where = QStringLiteral("Operations[%1]").arg(index++);
        if (!entry.isObject())
            return syntaxError(where + QStringLiteral(" must be an object"));
        const QJsonObject object = entry.toObject();
        PatchOperation operation;
        const QString op = valueForKey(object, u"op").toString();
        if (op.compare(u"add", Qt::CaseInsensitive) == 0)
            operation.op = PatchOpType::Add;
        else if (op.compare(u"remove", Qt::CaseInsensitive) == 0)
            operation.op = PatchOpType::Remove;
        else if (op.compare(u"replace", Qt::CaseInsensitive) == 0)
            operation.op = PatchOpType::Replace;
        else
            return syntaxError(where + QStringLiteral(": 'op' must be add, remove or replace"));
        const QJsonValue path = valueForKey(object, u"path");
        if (!path.isUndefined() && !path.isNull()) {
            if (!path.isString())
                return pathError(where + QStringLiteral(": 'path' must be a string"));
            operation.pathText = path.toString();
            auto parsed = parsePatchPath(operation.pathText);
            if (!parsed)
                return ScimError{parsed.error().status, parsed.error().scimType,
                                 where + QStringLiteral(": ") + parsed.error().detail};
            operation.path = std::move(*parsed);
        }
        operation.value = valueForKey(object, u"value");
        if (operation.op != PatchOpType::Remove && operation.value.isUndefined())
            return valueError(where + QStringLiteral(": 'value' is required for ") + op.toLower());
        request.operations.push_back(std::move(operation));
    }
    return request;
}

namespace {

class Patcher
{
public:
    Patcher(const ResourceSchema &schema, QJsonObject resource)
        : res(std::move(resource))
        , m_schema(schema)
    {}

    QJsonObject res;

    ScimStatus apply(const PatchOperation &operation)
    {
        if (!operation.path) {
            if (operation.op == PatchOpType::Remove)
                return ScimError::badRequest(scimtype::noTarget(),
                                             QStringLiteral("remove needs a path"));
            return applyObject(operation.op, operation.value);
        }
        const PatchPath &path = *operation.path;
        if (path.path.attribute.isEmpty()) {
            // The path is a schema URN.
            const SchemaExtension *ext = m_schema.extension(path.path.urn);
            if (!ext || path.valueFilter)
                return pathError(
                    QStringLiteral("unknown path '%1'").arg(operation.pathText.left(300)));
            if (operation.op == PatchOpType::Remove) {
                const QString key = actualKey(res, ext->schema.id);
                if (!key.isEmpty())
                    res.remove(key);
                return {};
            }
            return applyObject(operation.op, QJsonObject{{ext->schema.id, operation.value}});
        }
        return applyPath(operation.op, path, operation.value, operation.pathText, false,
                         operation.op == PatchOpType::Remove && !operation.value.isUndefined());
    }

    // Adds or removes the extension URNs in "schemas" to match the attributes present.
    void fixSchemas()
    {
        QJsonArray schemas{m_schema.core.id};
        for (const SchemaExtension &ext : m_schema.extensions) {
            if (!isUnassigned(valueForKey(res, ext.schema.id)))
                schemas.append(ext.schema.id);
        }
        const QString key = actualKey(res, u"schemas");
        if (!key.isEmpty())
            res.remove(key);
        res.insert(QStringLiteral("schemas"), schemas);
    }

private:
    const ResourceSchema &m_schema;

    // --- access to the resource

    void set(const ResolvedAttribute &r, const QJsonValue &value)
    {
        const QString &name = r.attribute->name;
        if (r.extensionUrn.isEmpty()) {
            const QString key = actualKey(res, name);
            if (!key.isEmpty() && key != name)
                res.remove(key);
            res.insert(name, value);
            return;
        }
        const QString extKey = actualKey(res, r.extensionUrn);
        QJsonObject ext = extKey.isEmpty() ? QJsonObject() : res.take(extKey).toObject();
        const QString key = actualKey(ext, name);
        if (!key.isEmpty())
            ext.remove(key);
        if (!isUnassigned(value))
            ext.insert(name, value);
        if (!ext.isEmpty())
            res.insert(r.extensionUrn, ext);
    }

    void unset(const ResolvedAttribute &r) { set(r, QJsonValue(QJsonValue::Null)); }

    void setOrUnset(const ResolvedAttribute &r, const QJsonValue &value)
    {
        if (isUnassigned(value) && r.extensionUrn.isEmpty()) {
            const QString key = actualKey(res, r.attribute->name);
            if (!key.isEmpty())
                res.remove(key);
            return;
        }
        set(r, value);
    }

    static QJsonArray asArray(const QJsonValue &value)
    {
        if (value.isArray())
            return value.toArray();
        if (isUnassigned(value))
            return {};
        return QJsonArray{value};
    }

    // --- values

    // A value for a multi-valued complex attribute with canonical member names and simple
    // sub-attributes normalised (so "True" is true and duplicates compare equal).
    ScimResult<QJsonValue> canonicalElement(const AttributeSchema &attribute,
                                            const QJsonValue &value, const QString &path)
    {
        if (!attribute.isComplex())
            return normaliseScalar(attribute, value, path);
        if (!value.isObject())
            return valueError(QStringLiteral("values of '%1' must be objects").arg(path));
        const QJsonObject input = value.toObject();
        QJsonObject out;
        for (auto it = input.constBegin(); it != input.constEnd(); ++it) {
            const AttributeSchema *sub = attribute.subAttribute(it.key());
            if (!sub)
                return syntaxError(
                    QStringLiteral("unknown attribute '%1.%2'").arg(path, it.key().left(200)));
            if (isUnassigned(it.value()))
                continue;
            auto normalised = normaliseScalar(*sub, it.value(), path + u'.' + sub->name);
            if (!normalised)
                return normalised.error();
            out.insert(sub->name, *normalised);
        }
        return QJsonValue(out);
    }

    static QString identity(const AttributeSchema &attribute, const QJsonValue &value)
    {
        if (attribute.identifiedByValue && value.isObject()) {
            const QJsonValue v = valueForKey(value.toObject(), u"value");
            if (v.isString())
                return QStringLiteral("v:") + v.toString();
        }
        const QJsonDocument document =
            value.isObject() ? QJsonDocument(value.toObject()) : QJsonDocument(QJsonArray{value});
        return QStringLiteral("j:") + QString::fromUtf8(document.toJson(QJsonDocument::Compact));
    }

    static bool isPrimary(const QJsonValue &value)
    {
        return value.isObject() && value.toObject().value(QStringLiteral("primary")).toBool();
    }

    // RFC 7644 §3.5.2: a value set to primary makes the other values non-primary.
    static void clearOtherPrimaries(QJsonArray &values, const std::vector<bool> &touched)
    {
        bool anyNewPrimary = false;
        for (qsizetype i = 0; i < values.size(); ++i) {
            if (touched[size_t(i)] && isPrimary(values[i]))
                anyNewPrimary = true;
        }
        if (!anyNewPrimary)
            return;
        for (qsizetype i = 0; i < values.size(); ++i) {
            if (!touched[size_t(i)] && isPrimary(values[i])) {
                QJsonObject object = values[i].toObject();
                object.insert(QStringLiteral("primary"), false);
                values[i] = object;
            }
        }
    }

    static ScimStatus checkImmutableSubs(const AttributeSchema &attribute, const QJsonValue &before,
                                         const QJsonValue &after, const QString &path)
    {
        const QJsonObject b = before.toObject();
        const QJsonObject a = after.toObject();
        for (const AttributeSchema &sub : attribute.subAttributes) {
            if (sub.mutability != Mutability::Immutable)
                continue;
            const QJsonValue old = valueForKey(b, sub.name);
            if (!isUnassigned(old) && valueForKey(a, sub.name) != old)
                return mutabilityError(path + u'.' + sub.name);
        }
        return {};
    }

    // --- operations

    // add/replace without a path (or with an extension URN as path): an object of attributes.
    ScimStatus applyObject(PatchOpType op, const QJsonValue &value)
    {
        if (!value.isObject())
            return valueError(QStringLiteral("an operation without path needs an object value"));
        const QJsonObject object = value.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            const QString &key = it.key();
            if (key.compare(u"schemas", Qt::CaseInsensitive) == 0)
                continue;
            if (const SchemaExtension *ext = m_schema.extension(key)) {
                if (isUnassigned(it.value()))
                    continue;
                if (!it.value().isObject())
                    return valueError(QStringLiteral("'%1' must be an object").arg(ext->schema.id));
                const QJsonObject inner = it.value().toObject();
                for (auto e = inner.constBegin(); e != inner.constEnd(); ++e) {
                    PatchPath path;
                    path.path.urn = ext->schema.id;
                    path.path.attribute = e.key();
                    auto status = applyPath(op, path, e.value(), ext->schema.id + u':' + e.key(),
                                            true, false);
                    if (!status)
                        return status;
                }
                continue;
            }
            auto path = parsePatchPath(key);
            if (!path || path->path.attribute.isEmpty())
                return syntaxError(QStringLiteral("unknown attribute '%1'").arg(key.left(300)));
            auto status = applyPath(op, *path, it.value(), key, true, false);
            if (!status)
                return status;
        }
        return {};
    }

    ScimStatus applyPath(PatchOpType op, const PatchPath &path, const QJsonValue &value,
                         const QString &text, bool fromObject, bool removeWithValue)
    {
        const auto resolved = m_schema.resolve(path.path);
        if (!resolved) {
            if (fromObject)
                return syntaxError(QStringLiteral("unknown attribute '%1'").arg(text.left(300)));
            return pathError(QStringLiteral("unknown attribute in path '%1'").arg(text.left(300)));
        }
        const AttributeSchema &attribute = *resolved->attribute;
        const QString canonical = resolved->canonicalPath();
        if (attribute.mutability == Mutability::ReadOnly ||
            (resolved->subAttribute &&
             resolved->subAttribute->mutability == Mutability::ReadOnly)) {
            if (fromObject)
                return {}; // ignored, as in POST/PUT
            return mutabilityError(canonical);
        }
        if (path.valueFilter)
            return applyFiltered(op, *resolved, path, value, text);
        if (resolved->subAttribute)
            return applySub(op, *resolved, value, canonical);
        const QJsonValue current = attributeValue(res, *resolved);
        const bool immutableSet =
            attribute.mutability == Mutability::Immutable && !isUnassigned(current);

        if (op == PatchOpType::Remove) {
            if (isUnassigned(current))
                return {};
            if (immutableSet)
                return mutabilityError(canonical);
            if (attribute.multiValued && removeWithValue)
                return removeValues(*resolved, value, canonical);
            if (attribute.required)
                return valueError(QStringLiteral("attribute '%1' is required").arg(canonical));
            unset(*resolved);
            return {};
        }

        if (attribute.multiValued) {
            if (op == PatchOpType::Replace || isUnassigned(current)) {
                if (op == PatchOpType::Replace && immutableSet)
                    return mutabilityError(canonical);
                QJsonArray out;
                const QJsonArray input = asArray(value);
                if (input.size() > attribute.maxValues)
                    return valueError(QStringLiteral("attribute '%1' has more than %2 values")
                                          .arg(canonical)
                                          .arg(attribute.maxValues));
                for (const QJsonValue &element : input) {
                    auto canonicalValue = canonicalElement(attribute, element, canonical);
                    if (!canonicalValue)
                        return canonicalValue.error();
                    out.append(*canonicalValue);
                }
                setOrUnset(*resolved, out);
                return {};
            }
            return appendValues(*resolved, current.toArray(), asArray(value), canonical);
        }

        if (attribute.isComplex()) {
            if (isUnassigned(value)) {
                if (op == PatchOpType::Replace)
                    unset(*resolved);
                return {};
            }
            if (!value.isObject())
                return valueError(
                    QStringLiteral("attribute '%1' must be an object").arg(canonical));
            QJsonObject merged = current.toObject();
            const QJsonObject input = value.toObject();
            for (auto it = input.constBegin(); it != input.constEnd(); ++it) {
                const AttributeSchema *sub = attribute.subAttribute(it.key());
                if (!sub)
                    return syntaxError(QStringLiteral("unknown attribute '%1.%2'")
                                           .arg(canonical, it.key().left(200)));
                if (sub->mutability == Mutability::ReadOnly)
                    continue;
                const QString key = actualKey(merged, sub->name);
                const QJsonValue old = key.isEmpty() ? QJsonValue() : merged.value(key);
                if (!key.isEmpty())
                    merged.remove(key);
                if (isUnassigned(it.value()))
                    continue;
                auto normalised = normaliseScalar(*sub, it.value(), canonical + u'.' + sub->name);
                if (!normalised)
                    return normalised.error();
                if (sub->mutability == Mutability::Immutable && !isUnassigned(old) &&
                    old != *normalised)
                    return mutabilityError(canonical + u'.' + sub->name);
                merged.insert(sub->name, *normalised);
            }
            setOrUnset(*resolved, merged);
            return {};
        }

        // A simple single-valued attribute.
        if (isUnassigned(value)) {
            if (op == PatchOpType::Replace) {
                if (immutableSet)
                    return mutabilityError(canonical);
                if (attribute.required)
                    return valueError(QStringLiteral("attribute '%1' is required").arg(canonical));
                unset(*resolved);
            }
            return {};
        }
        auto normalised = normaliseScalar(attribute, value, canonical);
        if (!normalised)
            return normalised.error();
        if (immutableSet && current != *normalised)
            return mutabilityError(canonical);
        set(*resolved, *normalised);
        return {};
    }

    ScimStatus appendValues(const ResolvedAttribute &resolved, QJsonArray values,
                            const QJsonArray &input, const QString &canonical)
    {
        const AttributeSchema &attribute = *resolved.attribute;
        QSet<QString> seen;
        seen.reserve(values.size() + input.size());
        for (const QJsonValue &existing : values)
            seen.insert(identity(attribute, existing));
        std::vector<bool> touched(size_t(values.size()), false);
        for (const QJsonValue &element : input) {
            if (isUnassigned(element))
                continue;
            auto canonicalValue = canonicalElement(attribute, element, canonical);
            if (!canonicalValue)
                return canonicalValue.error();
            const QString id = identity(attribute, *canonicalValue);
            if (seen.contains(id))
                continue;
            seen.insert(id);
            values.append(*canonicalValue);
            touched.push_back(true);
        }
        if (values.size() > attribute.maxValues)
            return valueError(QStringLiteral("attribute '%1' has more than %2 values")
                                  .arg(canonical)
                                  .arg(attribute.maxValues));
        clearOtherPrimaries(values, touched);
        set(resolved, values);
        return {};
    }

    // remove with path "members" and a value list (Entra ID): removes those values.
    ScimStatus removeValues(const ResolvedAttribute &resolved, const QJsonValue &value,
                            const QString &canonical)
    {
        const AttributeSchema &attribute = *resolved.attribute;
        QSet<QString> doomed;
        for (const QJsonValue &element : asArray(value)) {
            auto canonicalValue = canonicalElement(attribute, element, canonical);
            if (!canonicalValue)
                return canonicalValue.error();
            doomed.insert(identity(attribute, *canonicalValue));
        }
        const QJsonArray values = attributeValue(res, resolved).toArray();
        QJsonArray kept;
        for (const QJsonValue &existing : values) {
            if (!doomed.contains(identity(attribute, existing)))
                kept.append(existing);
        }
        setOrUnset(resolved, kept);
        return {};
    }

    // attr.sub without a filter.
    ScimStatus applySub(PatchOpType op, const ResolvedAttribute &resolved, const QJsonValue &value,
                        const QString &canonical)
    {
        const AttributeSchema &attribute = *resolved.attribute;
        const AttributeSchema &sub = *resolved.subAttribute;
        std::optional<QJsonValue> normalised;
        if (op != PatchOpType::Remove && !isUnassigned(value)) {
            auto checked = normaliseScalar(sub, value, canonical);
            if (!checked)
                return checked.error();
            normalised = *checked;
        }
        const auto update = [&](QJsonObject &object) -> ScimStatus {
            const QString key = actualKey(object, sub.name);
            const QJsonValue old = key.isEmpty() ? QJsonValue() : object.value(key);
            const QJsonValue next = normalised ? *normalised : QJsonValue();
            if (sub.mutability == Mutability::Immutable && !isUnassigned(old) && old != next)
                return mutabilityError(canonical);
            if (!key.isEmpty())
                object.remove(key);
            if (normalised)
                object.insert(sub.name, *normalised);
            return {};
        };
        const QJsonValue current = attributeValue(res, resolved);
        if (attribute.multiValued) {
            QJsonArray values = current.toArray();
            if (values.isEmpty()) {
                if (op == PatchOpType::Remove)
                    return {};
                return noTarget(canonical);
            }
            std::vector<bool> touched(size_t(values.size()), true);
            for (qsizetype i = 0; i < values.size(); ++i) {
                QJsonObject object = values[i].toObject();
                auto status = update(object);
                if (!status)
                    return status;
                values[i] = object;
            }
            set(resolved, values);
            return {};
        }
        QJsonObject object = current.toObject();
        auto status = update(object);
        if (!status)
            return status;
        setOrUnset(resolved, object);
        return {};
    }

    // The eq terms of a conjunction ("type eq "work" and primary eq true"), to build a new value.
    bool eqTerms(const FilterNode &node, const AttributeSchema &attribute, QJsonObject &out)
    {
        if (node.kind == FilterNode::Kind::And) {
            for (const FilterNode &child : node.children) {
                if (!eqTerms(child, attribute, out))
                    return false;
            }
            return true;
        }
        if (node.kind != FilterNode::Kind::Compare || node.op != CompareOp::Eq)
            return false;
        auto target = resolveFilterTarget(node, m_schema, &attribute);
        if (!target || target->operand.isNull() || target->operand.isUndefined())
            return false;
        out.insert(target->leaf->name, target->operand);
        return true;
    }

    // attr[filter] and attr[filter].sub
    ScimStatus applyFiltered(PatchOpType op, const ResolvedAttribute &resolved,
                             const PatchPath &path, const QJsonValue &value, const QString &text)
    {
        const AttributeSchema &attribute = *resolved.attribute;
        const QString canonical = resolved.canonicalPath();
        if (!attribute.multiValued || !attribute.isComplex())
            return pathError(QStringLiteral("'%1' is not a multi-valued complex attribute: no "
                                            "[filter] on it")
                                 .arg(canonical));
        auto valid = validateValueFilter(*path.valueFilter, m_schema, attribute);
        if (!valid)
            return pathError(valid.error().detail);
        const AttributeSchema *sub = nullptr;
        if (!path.filterSubAttribute.isEmpty()) {
            sub = attribute.subAttribute(path.filterSubAttribute);
            if (!sub)
                return pathError(
                    QStringLiteral("unknown attribute in path '%1'").arg(text.left(300)));
            if (sub->mutability == Mutability::ReadOnly)
                return mutabilityError(canonical + u'.' + sub->name);
        }
        const QString target = sub ? canonical + u'.' + sub->name : canonical;
        std::optional<QJsonValue> subValue;
        if (sub && op != PatchOpType::Remove && !isUnassigned(value)) {
            auto checked = normaliseScalar(*sub, value, target);
            if (!checked)
                return checked.error();
            subValue = *checked;
        }
        std::optional<QJsonValue> wholeValue;
        if (!sub && op != PatchOpType::Remove) {
            auto checked = canonicalElement(attribute, value, canonical);
            if (!checked)
                return checked.error();
            wholeValue = *checked;
        }

        QJsonArray values = attributeValue(res, resolved).toArray();
        std::vector<bool> touched(size_t(values.size()), false);
        bool any = false;
        for (qsizetype i = 0; i < values.size(); ++i) {
            if (matchesValueFilter(*path.valueFilter, m_schema, attribute, values[i])) {
                touched[size_t(i)] = true;
                any = true;
            }
        }
        if (!any) {
            if (op != PatchOpType::Add)
                return noTarget(text.left(300));
            // Entra ID: add emails[type eq "work"].value when there is no work email.
            QJsonObject created;
            if (!eqTerms(path.valueFilter->root, attribute, created))
                return noTarget(text.left(300));
            if (sub && subValue)
                created.insert(sub->name, *subValue);
            else if (wholeValue)
                for (auto it = wholeValue->toObject().constBegin();
                     it != wholeValue->toObject().constEnd(); ++it)
                    created.insert(it.key(), it.value());
            return appendValues(resolved, values, QJsonArray{created}, canonical);
        }

        if (op == PatchOpType::Remove && !sub) {
            QJsonArray kept;
            for (qsizetype i = 0; i < values.size(); ++i) {
                if (!touched[size_t(i)])
                    kept.append(values[i]);
            }
            setOrUnset(resolved, kept);
            return {};
        }
        for (qsizetype i = 0; i < values.size(); ++i) {
            if (!touched[size_t(i)])
                continue;
            QJsonObject before = values[i].toObject();
            QJsonObject after = before;
            if (sub) {
                const QString key = actualKey(after, sub->name);
                if (!key.isEmpty())
                    after.remove(key);
                if (subValue)
                    after.insert(sub->name, *subValue);
            } else if (op == PatchOpType::Replace) {
                after = wholeValue->toObject();
            } else {
                const QJsonObject input = wholeValue->toObject();
                for (auto it = input.constBegin(); it != input.constEnd(); ++it)
                    after.insert(it.key(), it.value());
            }
            auto status = checkImmutableSubs(attribute, before, after, canonical);
            if (!status)
                return status;
            values[i] = after;
        }
        clearOtherPrimaries(values, touched);
        setOrUnset(resolved, values);
        return {};
    }
};

} // namespace

ScimResult<QJsonObject> applyPatch(const ResourceSchema &schema, const QJsonObject &resource,
                                   const PatchRequest &request)
{
    Patcher patcher(schema, resource);
    for (const PatchOperation &operation : request.operations) {
        auto status = patcher.apply(operation);
        if (!status)
            return status.error();
    }
    patcher.fixSchemas();
    return normaliseResource(schema, patcher.res, NormaliseMode::Replace, &resource);
}

} // namespace upcoach::identity::scim
