#include "upcoach/identity/scimschema.h"

#include <QSet>
#include <QTimeZone>
#include <cmath>

namespace upcoach::identity::scim {

// ---------------------------------------------------------------------------------------------
// Errors

QJsonObject ScimError::toJson() const
{
    QJsonObject body{
        {QStringLiteral("schemas"), QJsonArray{QString::fromUtf16(kErrorUrn)}},
        {QStringLiteral("status"), QString::number(status)},
    };
    if (!scimType.isEmpty())
        body.insert(QStringLiteral("scimType"), scimType);
    if (!detail.isEmpty())
        body.insert(QStringLiteral("detail"), detail);
    return body;
}

Error ScimError::toError() const
{
    ErrorCode code = ErrorCode::InvalidInput;
    if (status == 404)
        code = ErrorCode::NotFound;
    else if (status == 409 || status == 412)
        code = ErrorCode::Conflict;
    else if (status == 401)
        code = ErrorCode::Unauthorized;
    else if (status == 403)
        code = ErrorCode::Forbidden;
    else if (status >= 500)
        code = ErrorCode::Internal;
    const QString prefix =
        scimType.isEmpty() ? QStringLiteral("scim: ") : QStringLiteral("scim ") + scimType + u": ";
    return Error{code, prefix + detail};
}

// ---------------------------------------------------------------------------------------------
// Names

QString attributeTypeName(AttributeType type)
{
    switch (type) {
    case AttributeType::String:
        return QStringLiteral("string");
    case AttributeType::Boolean:
        return QStringLiteral("boolean");
    case AttributeType::Decimal:
        return QStringLiteral("decimal");
    case AttributeType::Integer:
        return QStringLiteral("integer");
    case AttributeType::DateTime:
        return QStringLiteral("dateTime");
    case AttributeType::Reference:
        return QStringLiteral("reference");
    case AttributeType::Complex:
        return QStringLiteral("complex");
    }
    return QStringLiteral("string");
}

QString mutabilityName(Mutability mutability)
{
    switch (mutability) {
    case Mutability::ReadOnly:
        return QStringLiteral("readOnly");
    case Mutability::ReadWrite:
        return QStringLiteral("readWrite");
    case Mutability::Immutable:
        return QStringLiteral("immutable");
    case Mutability::WriteOnly:
        return QStringLiteral("writeOnly");
    }
    return QStringLiteral("readWrite");
}

QString returnedName(Returned returned)
{
    switch (returned) {
    case Returned::Always:
        return QStringLiteral("always");
    case Returned::Never:
        return QStringLiteral("never");
    case Returned::Default:
        return QStringLiteral("default");
    case Returned::Request:
        return QStringLiteral("request");
    }
    return QStringLiteral("default");
}

QString uniquenessName(Uniqueness uniqueness)
{
    switch (uniqueness) {
    case Uniqueness::None:
        return QStringLiteral("none");
    case Uniqueness::Server:
        return QStringLiteral("server");
    case Uniqueness::Global:
        return QStringLiteral("global");
    }
    return QStringLiteral("none");
}

// ---------------------------------------------------------------------------------------------
// Lookups

namespace {

bool sameName(QStringView a, QStringView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

const AttributeSchema *findAttribute(const std::vector<AttributeSchema> &list, QStringView name)
{
    for (const AttributeSchema &attribute : list) {
        if (sameName(attribute.name, name))
            return &attribute;
    }
    return nullptr;
}

} // namespace

const AttributeSchema *AttributeSchema::subAttribute(QStringView subName) const
{
    return findAttribute(subAttributes, subName);
}

const AttributeSchema *SchemaDefinition::attribute(QStringView attributeName) const
{
    return findAttribute(attributes, attributeName);
}

QString AttributePath::toString() const
{
    QString out;
    if (!urn.isEmpty())
        out = urn + u':';
    out += attribute;
    if (!subAttribute.isEmpty())
        out += u'.' + subAttribute;
    return out;
}

QString ResolvedAttribute::canonicalPath() const
{
    QString out;
    if (!extensionUrn.isEmpty())
        out = extensionUrn + u':';
    if (attribute)
        out += attribute->name;
    if (subAttribute)
        out += u'.' + subAttribute->name;
    return out;
}

const SchemaExtension *ResourceSchema::extension(QStringView urn) const
{
    for (const SchemaExtension &ext : extensions) {
        if (sameName(ext.schema.id, urn))
            return &ext;
    }
    return nullptr;
}

std::optional<ResolvedAttribute> ResourceSchema::resolve(const AttributePath &path) const
{
    if (path.attribute.isEmpty())
        return std::nullopt;
    ResolvedAttribute resolved;
    if (path.urn.isEmpty() || sameName(path.urn, core.id)) {
        resolved.attribute = core.attribute(path.attribute);
        if (!resolved.attribute)
            resolved.attribute = findAttribute(common, path.attribute);
        if (!resolved.attribute && path.urn.isEmpty()) {
            for (const SchemaExtension &ext : extensions) {
                resolved.attribute = ext.schema.attribute(path.attribute);
                if (resolved.attribute) {
                    resolved.extensionUrn = ext.schema.id;
                    break;
                }
            }
        }
    } else if (const SchemaExtension *ext = extension(path.urn)) {
        resolved.attribute = ext->schema.attribute(path.attribute);
        resolved.extensionUrn = ext->schema.id;
    }
    if (!resolved.attribute)
        return std::nullopt;
    if (!path.subAttribute.isEmpty()) {
        resolved.subAttribute = resolved.attribute->subAttribute(path.subAttribute);
        if (!resolved.subAttribute)
            return std::nullopt;
    }
    return resolved;
}

std::vector<ResolvedAttribute> ResourceSchema::topLevelAttributes() const
{
    std::vector<ResolvedAttribute> out;
    for (const AttributeSchema &attribute : core.attributes)
        out.push_back({&attribute, nullptr, {}});
    for (const AttributeSchema &attribute : common)
        out.push_back({&attribute, nullptr, {}});
    for (const SchemaExtension &ext : extensions) {
        for (const AttributeSchema &attribute : ext.schema.attributes)
            out.push_back({&attribute, nullptr, ext.schema.id});
    }
    return out;
}

AttributePath splitAttributePath(QStringView text)
{
    AttributePath path;
    QStringView rest = text;
    if (text.startsWith(u"urn:", Qt::CaseInsensitive)) {
        for (const char16_t *known : {kUserSchemaUrn, kGroupSchemaUrn, kEnterpriseUserSchemaUrn}) {
            if (sameName(text, QStringView(known))) {
                path.urn = text.toString();
                return path;
            }
        }
        const qsizetype colon = text.lastIndexOf(u':');
        path.urn = text.left(colon).toString();
        rest = text.mid(colon + 1);
    }
    const qsizetype dot = rest.indexOf(u'.');
    if (dot < 0) {
        path.attribute = rest.toString();
    } else {
        path.attribute = rest.left(dot).toString();
        path.subAttribute = rest.mid(dot + 1).toString();
    }
    return path;
}

QJsonValue valueForKey(const QJsonObject &object, QStringView key)
{
    const auto exact = object.constFind(key);
    if (exact != object.constEnd())
        return *exact;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (sameName(it.key(), key))
            return it.value();
    }
    return QJsonValue(QJsonValue::Undefined);
}

QString actualKey(const QJsonObject &object, QStringView key)
{
    if (object.contains(key))
        return key.toString();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (sameName(it.key(), key))
            return it.key();
    }
    return {};
}

QJsonValue attributeValue(const QJsonObject &resource, const ResolvedAttribute &attribute)
{
    if (!attribute.attribute)
        return QJsonValue(QJsonValue::Undefined);
    if (!attribute.extensionUrn.isEmpty())
        return valueForKey(valueForKey(resource, attribute.extensionUrn).toObject(),
                           attribute.attribute->name);
    return valueForKey(resource, attribute.attribute->name);
}

bool isUnassigned(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return true;
    case QJsonValue::String:
        return value.toString().isEmpty();
    case QJsonValue::Array:
        return value.toArray().isEmpty();
    case QJsonValue::Object:
        return value.toObject().isEmpty();
    default:
        return false;
    }
}

// ---------------------------------------------------------------------------------------------
// Date and time

namespace {

bool digits(QStringView text, qsizetype from, qsizetype count, int &out)
{
    if (from + count > text.size())
        return false;
    int value = 0;
    for (qsizetype i = from; i < from + count; ++i) {
        const char16_t c = text[i].unicode();
        if (c < u'0' || c > u'9')
            return false;
        value = value * 10 + (c - u'0');
    }
    out = value;
    return true;
}

} // namespace

QDateTime parseDateTime(QStringView text)
{
    // YYYY-MM-DDThh:mm:ss[.f{1,9}][Z|±hh:mm]
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (text.size() < 19 || !digits(text, 0, 4, year) || text[4] != u'-' ||
        !digits(text, 5, 2, month) || text[7] != u'-' || !digits(text, 8, 2, day) ||
        (text[10] != u'T' && text[10] != u't') || !digits(text, 11, 2, hour) || text[13] != u':' ||
        !digits(text, 14, 2, minute) || text[16] != u':' || !digits(text, 17, 2, second))
        return {};
    qsizetype pos = 19;
    int millis = 0;
    if (pos < text.size() && text[pos] == u'.') {
        ++pos;
        const qsizetype start = pos;
        while (pos < text.size() && text[pos] >= u'0' && text[pos] <= u'9')
            ++pos;
        const qsizetype count = pos - start;
        if (count < 1 || count > 9)
            return {};
        int fraction = 0;
        digits(text, start, std::min<qsizetype>(count, 3), fraction);
        for (qsizetype i = count; i < 3; ++i)
            fraction *= 10;
        millis = fraction;
    }
    int offsetSeconds = 0;
    if (pos < text.size()) {
        const QChar sign = text[pos];
        if ((sign == u'Z' || sign == u'z') && pos + 1 == text.size()) {
            pos += 1;
        } else if ((sign == u'+' || sign == u'-') && pos + 6 == text.size()) {
            int offH = 0, offM = 0;
            if (!digits(text, pos + 1, 2, offH) || text[pos + 3] != u':' ||
                !digits(text, pos + 4, 2, offM) || offH > 23 || offM > 59)
                return {};
            offsetSeconds = (offH * 3600 + offM * 60) * (sign == u'-' ? -1 : 1);
            pos += 6;
        } else {
            return {};
        }
    }
    const QDate date(year, month, day);
    const QTime time(hour, minute, second, millis);
    if (!date.isValid() || !time.isValid())
        return {};
    return QDateTime(date, time, Qt::UTC).addSecs(-offsetSeconds);
}

QString formatDateTime(const QDateTime &instant)
{
    const QDateTime utc = instant.toUTC();
    return utc.time().msec() == 0 ? utc.toString(Qt::ISODate) : utc.toString(Qt::ISODateWithMs);
}

// ---------------------------------------------------------------------------------------------
// The schemas

namespace {

AttributeSchema makeAttr(const char16_t *name, AttributeType type = AttributeType::String,
                         const char16_t *description = u"")
{
    AttributeSchema a;
    a.name = QString::fromUtf16(name);
    a.type = type;
    a.description = QString::fromUtf16(description);
    return a;
}

AttributeSchema readOnly(AttributeSchema a)
{
    a.mutability = Mutability::ReadOnly;
    for (AttributeSchema &sub : a.subAttributes)
        sub.mutability = Mutability::ReadOnly;
    return a;
}

AttributeSchema caseExact(AttributeSchema a)
{
    a.caseExact = true;
    return a;
}

AttributeSchema complexAttr(const char16_t *name, std::vector<AttributeSchema> subs,
                            bool multiValued, const char16_t *description)
{
    AttributeSchema a = makeAttr(name, AttributeType::Complex, description);
    a.multiValued = multiValued;
    a.subAttributes = std::move(subs);
    return a;
}

AttributeSchema typeSub(QStringList canonical)
{
    AttributeSchema a =
        makeAttr(u"type", AttributeType::String, u"A label indicating the function.");
    a.canonicalValues = std::move(canonical);
    return a;
}

AttributeSchema primarySub()
{
    return makeAttr(u"primary", AttributeType::Boolean,
                    u"Indicates the primary or preferred value; at most one value is primary.");
}

AttributeSchema refSub(QStringList referenceTypes)
{
    AttributeSchema a = makeAttr(u"$ref", AttributeType::Reference, u"The URI of the resource.");
    a.referenceTypes = std::move(referenceTypes);
    return a;
}

std::vector<AttributeSchema> commonAttributes()
{
    AttributeSchema id = caseExact(makeAttr(
        u"id", AttributeType::String, u"Unique identifier assigned by the service provider."));
    id.mutability = Mutability::ReadOnly;
    id.returned = Returned::Always;
    id.uniqueness = Uniqueness::Server;

    AttributeSchema externalId =
        caseExact(makeAttr(u"externalId", AttributeType::String,
                           u"Identifier of the resource as defined by the provisioning client."));

    AttributeSchema resourceType = caseExact(makeAttr(u"resourceType"));
    AttributeSchema created = makeAttr(u"created", AttributeType::DateTime);
    AttributeSchema lastModified = makeAttr(u"lastModified", AttributeType::DateTime);
    AttributeSchema location = caseExact(makeAttr(u"location", AttributeType::Reference));
    location.referenceTypes = {QStringLiteral("uri")};
    AttributeSchema version = caseExact(makeAttr(u"version"));
    AttributeSchema meta =
        readOnly(complexAttr(u"meta", {resourceType, created, lastModified, location, version},
                             false, u"Resource metadata maintained by the service provider."));
    return {id, externalId, meta};
}

std::vector<AttributeSchema> valueTypePrimaryDisplay(const QStringList &types)
{
    return {makeAttr(u"value"),
            makeAttr(u"display", AttributeType::String,
                     u"A human-readable name, primarily used for display."),
            typeSub(types), primarySub()};
}

ResourceSchema buildUser()
{
    ResourceSchema r;
    r.id = QStringLiteral("User");
    r.endpoint = QStringLiteral("/Users");
    r.description = QStringLiteral("User Account");
    r.core.id = QString::fromUtf16(kUserSchemaUrn);
    r.core.name = QStringLiteral("User");
    r.core.description = QStringLiteral("User Account");

    AttributeSchema userName =
        makeAttr(u"userName", AttributeType::String,
                 u"Unique identifier for the User, typically used to authenticate.");
    userName.required = true;
    userName.uniqueness = Uniqueness::Server;
    userName.maxLength = kMaxUserNameLength;

    AttributeSchema name = complexAttr(u"name",
                                       {makeAttr(u"formatted"), makeAttr(u"familyName"),
                                        makeAttr(u"givenName"), makeAttr(u"middleName"),
                                        makeAttr(u"honorificPrefix"), makeAttr(u"honorificSuffix")},
                                       false, u"The components of the user's real name.");

    AttributeSchema active =
        makeAttr(u"active", AttributeType::Boolean, u"The User's administrative status.");

    const QStringList workHomeOther = {QStringLiteral("work"), QStringLiteral("home"),
                                       QStringLiteral("other")};
    AttributeSchema emails = complexAttr(u"emails", valueTypePrimaryDisplay(workHomeOther), true,
                                         u"Email addresses for the user.");
    AttributeSchema phoneNumbers =
        complexAttr(u"phoneNumbers",
                    valueTypePrimaryDisplay({QStringLiteral("work"), QStringLiteral("home"),
                                             QStringLiteral("mobile"), QStringLiteral("fax"),
                                             QStringLiteral("pager"), QStringLiteral("other")}),
                    true, u"Phone numbers for the User.");
    AttributeSchema groups = readOnly(complexAttr(
        u"groups",
        {makeAttr(u"value"), refSub({QStringLiteral("User"), QStringLiteral("Group")}),
         makeAttr(u"display"), typeSub({QStringLiteral("direct"), QStringLiteral("indirect")})},
        true, u"A list of groups to which the user belongs."));
    groups.identifiedByValue = true;
    groups.maxValues = kMaxGroupMembers;
    AttributeSchema roles =
        complexAttr(u"roles", valueTypePrimaryDisplay({}), true, u"A list of roles for the User.");

    r.core.attributes = {
        userName,
        name,
        makeAttr(u"displayName", AttributeType::String, u"The name of the User for display."),
        makeAttr(u"nickName"),
        makeAttr(u"title"),
        makeAttr(u"userType"),
        makeAttr(u"preferredLanguage"),
        makeAttr(u"locale"),
        makeAttr(u"timezone"),
        active,
        emails,
        phoneNumbers,
        groups,
        roles,
    };
    r.common = commonAttributes();

    SchemaExtension enterprise;
    enterprise.schema.id = QString::fromUtf16(kEnterpriseUserSchemaUrn);
    enterprise.schema.name = QStringLiteral("EnterpriseUser");
    enterprise.schema.description = QStringLiteral("Enterprise User");
    AttributeSchema managerDisplay = makeAttr(u"displayName");
    managerDisplay.mutability = Mutability::ReadOnly;
    AttributeSchema manager = complexAttr(
        u"manager", {makeAttr(u"value"), refSub({QStringLiteral("User")}), managerDisplay}, false,
        u"The User's manager.");
    enterprise.schema.attributes = {makeAttr(u"employeeNumber"), makeAttr(u"costCenter"),
                                    makeAttr(u"organization"),   makeAttr(u"division"),
                                    makeAttr(u"department"),     manager};
    r.extensions.push_back(enterprise);
    return r;
}

ResourceSchema buildGroup()
{
    ResourceSchema r;
    r.id = QStringLiteral("Group");
    r.endpoint = QStringLiteral("/Groups");
    r.description = QStringLiteral("Group");
    r.core.id = QString::fromUtf16(kGroupSchemaUrn);
    r.core.name = QStringLiteral("Group");
    r.core.description = QStringLiteral("Group");

    AttributeSchema displayName =
        makeAttr(u"displayName", AttributeType::String, u"A human-readable name for the Group.");
    displayName.required = true;

    AttributeSchema value =
        makeAttr(u"value", AttributeType::String, u"Identifier of the member of this Group.");
    value.required = true;
    value.caseExact = true;
    AttributeSchema members = complexAttr(
        u"members",
        {value, refSub({QStringLiteral("User"), QStringLiteral("Group")}), makeAttr(u"display"),
         typeSub({QStringLiteral("User"), QStringLiteral("Group")})},
        true, u"A list of members of the Group.");
    for (AttributeSchema &sub : members.subAttributes)
        sub.mutability = Mutability::Immutable;
    members.maxValues = kMaxGroupMembers;
    members.identifiedByValue = true;

    r.core.attributes = {displayName, members};
    r.common = commonAttributes();
    return r;
}

} // namespace

const ResourceSchema &userSchema()
{
    static const ResourceSchema schema = buildUser();
    return schema;
}

const ResourceSchema &groupSchema()
{
    static const ResourceSchema schema = buildGroup();
    return schema;
}

// ---------------------------------------------------------------------------------------------
// /Schemas and /ResourceTypes

namespace {

QJsonObject attributeJson(const AttributeSchema &a)
{
    QJsonObject o{
        {QStringLiteral("name"), a.name},
        {QStringLiteral("type"), attributeTypeName(a.type)},
        {QStringLiteral("multiValued"), a.multiValued},
        {QStringLiteral("description"), a.description},
        {QStringLiteral("required"), a.required},
        {QStringLiteral("mutability"), mutabilityName(a.mutability)},
        {QStringLiteral("returned"), returnedName(a.returned)},
    };
    if (a.type == AttributeType::String || a.type == AttributeType::Reference) {
        o.insert(QStringLiteral("caseExact"), a.caseExact);
        o.insert(QStringLiteral("uniqueness"), uniquenessName(a.uniqueness));
    }
    if (!a.canonicalValues.isEmpty())
        o.insert(QStringLiteral("canonicalValues"), QJsonArray::fromStringList(a.canonicalValues));
    if (!a.referenceTypes.isEmpty())
        o.insert(QStringLiteral("referenceTypes"), QJsonArray::fromStringList(a.referenceTypes));
    if (a.isComplex()) {
        QJsonArray subs;
        for (const AttributeSchema &sub : a.subAttributes)
            subs.append(attributeJson(sub));
        o.insert(QStringLiteral("subAttributes"), subs);
    }
    return o;
}

QJsonObject listResponse(const QJsonArray &resources)
{
    return {
        {QStringLiteral("schemas"), QJsonArray{QString::fromUtf16(kListResponseUrn)}},
        {QStringLiteral("totalResults"), resources.size()},
        {QStringLiteral("itemsPerPage"), resources.size()},
        {QStringLiteral("startIndex"), 1},
        {QStringLiteral("Resources"), resources},
    };
}

} // namespace

QJsonObject schemaJson(const SchemaDefinition &schema, const QString &baseUrl)
{
    QJsonArray attributes;
    for (const AttributeSchema &a : schema.attributes)
        attributes.append(attributeJson(a));
    return {
        {QStringLiteral("schemas"),
         QJsonArray{QStringLiteral("urn:ietf:params:scim:schemas:core:2.0:Schema")}},
        {QStringLiteral("id"), schema.id},
        {QStringLiteral("name"), schema.name},
        {QStringLiteral("description"), schema.description},
        {QStringLiteral("attributes"), attributes},
        {QStringLiteral("meta"),
         QJsonObject{{QStringLiteral("resourceType"), QStringLiteral("Schema")},
                     {QStringLiteral("location"), QString(baseUrl + u"/Schemas/" + schema.id)}}},
    };
}

QJsonObject resourceTypeJson(const ResourceSchema &resource, const QString &baseUrl)
{
    QJsonObject o{
        {QStringLiteral("schemas"),
         QJsonArray{QStringLiteral("urn:ietf:params:scim:schemas:core:2.0:ResourceType")}},
        {QStringLiteral("id"), resource.id},
        {QStringLiteral("name"), resource.id},
        {QStringLiteral("endpoint"), resource.endpoint},
        {QStringLiteral("description"), resource.description},
        {QStringLiteral("schema"), resource.core.id},
        {QStringLiteral("meta"),
         QJsonObject{
             {QStringLiteral("resourceType"), QStringLiteral("ResourceType")},
             {QStringLiteral("location"), QString(baseUrl + u"/ResourceTypes/" + resource.id)}}},
    };
    if (!resource.extensions.empty()) {
        QJsonArray extensions;
        for (const SchemaExtension &ext : resource.extensions)
            extensions.append(QJsonObject{{QStringLiteral("schema"), ext.schema.id},
                                          {QStringLiteral("required"), ext.required}});
        o.insert(QStringLiteral("schemaExtensions"), extensions);
    }
    return o;
}

QJsonObject schemasListResponse(const std::vector<const ResourceSchema *> &resources,
                                const QString &baseUrl)
{
    QJsonArray out;
    QSet<QString> seen;
    const auto add = [&](const SchemaDefinition &schema) {
        if (seen.contains(schema.id))
            return;
        seen.insert(schema.id);
        out.append(schemaJson(schema, baseUrl));
    };
    for (const ResourceSchema *resource : resources) {
        add(resource->core);
        for (const SchemaExtension &ext : resource->extensions)
            add(ext.schema);
    }
    return listResponse(out);
}

QJsonObject resourceTypesListResponse(const std::vector<const ResourceSchema *> &resources,
                                      const QString &baseUrl)
{
    QJsonArray out;
    for (const ResourceSchema *resource : resources)
        out.append(resourceTypeJson(*resource, baseUrl));
    return listResponse(out);
}

// ---------------------------------------------------------------------------------------------
// Normalisation

namespace {

ScimError invalidValue(QString detail)
{
    return ScimError::badRequest(scimtype::invalidValue(), std::move(detail));
}

ScimError invalidSyntax(QString detail)
{
    return ScimError::badRequest(scimtype::invalidSyntax(), std::move(detail));
}

bool validText(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c.unicode() == 0)
            return false;
        if (c.isHighSurrogate()) {
            if (i + 1 >= text.size() || !text[i + 1].isLowSurrogate())
                return false;
            ++i;
        } else if (c.isLowSurrogate()) {
            return false;
        }
    }
    return true;
}

// nullopt: unassigned or ignored (readOnly).
ScimResult<std::optional<QJsonValue>>
normaliseAttribute(const AttributeSchema &attribute, const QJsonValue &value, const QString &path);

ScimResult<std::optional<QJsonObject>>
normaliseComplex(const AttributeSchema &attribute, const QJsonValue &value, const QString &path)
{
    if (!value.isObject())
        return invalidValue(QStringLiteral("attribute '%1' must be an object").arg(path));
    const QJsonObject input = value.toObject();
    QJsonObject out;
    QSet<QString> seen;
    for (auto it = input.constBegin(); it != input.constEnd(); ++it) {
        const AttributeSchema *sub = attribute.subAttribute(it.key());
        const QString subPath = path + u'.' + it.key();
        if (!sub)
            return invalidSyntax(QStringLiteral("unknown attribute '%1'").arg(subPath));
        if (seen.contains(sub->name))
            return invalidSyntax(QStringLiteral("attribute '%1' given twice").arg(subPath));
        seen.insert(sub->name);
        if (sub->mutability == Mutability::ReadOnly)
            continue;
        auto normalised = normaliseAttribute(*sub, it.value(), path + u'.' + sub->name);
        if (!normalised)
            return normalised.error();
        if (*normalised)
            out.insert(sub->name, **normalised);
    }
    if (out.isEmpty())
        return std::optional<QJsonObject>();
    for (const AttributeSchema &sub : attribute.subAttributes) {
        if (sub.required && sub.mutability != Mutability::ReadOnly && !out.contains(sub.name))
            return invalidValue(
                QStringLiteral("attribute '%1.%2' is required").arg(path, sub.name));
    }
    return std::optional<QJsonObject>(out);
}

ScimResult<std::optional<QJsonValue>>
normaliseAttribute(const AttributeSchema &attribute, const QJsonValue &value, const QString &path)
{
    if (isUnassigned(value))
        return std::optional<QJsonValue>();
    if (attribute.multiValued) {
        if (!value.isArray())
            return invalidValue(QStringLiteral("attribute '%1' must be an array").arg(path));
        const QJsonArray input = value.toArray();
        if (input.size() > attribute.maxValues)
            return invalidValue(QStringLiteral("attribute '%1' has more than %2 values")
                                    .arg(path)
                                    .arg(attribute.maxValues));
        QJsonArray out;
        int primaries = 0;
        for (const QJsonValue &element : input) {
            if (isUnassigned(element))
                continue;
            if (attribute.isComplex()) {
                auto normalised = normaliseComplex(attribute, element, path);
                if (!normalised)
                    return normalised.error();
                if (!*normalised)
                    continue;
                if ((*normalised)->value(QStringLiteral("primary")).toBool())
                    ++primaries;
                out.append(**normalised);
            } else {
                auto normalised = normaliseScalar(attribute, element, path);
                if (!normalised)
                    return normalised.error();
                out.append(*normalised);
            }
        }
        if (primaries > 1)
            return invalidValue(
                QStringLiteral("attribute '%1' has more than one primary value").arg(path));
        if (out.isEmpty())
            return std::optional<QJsonValue>();
        return std::optional<QJsonValue>(out);
    }
    if (attribute.isComplex()) {
        auto normalised = normaliseComplex(attribute, value, path);
        if (!normalised)
            return normalised.error();
        if (!*normalised)
            return std::optional<QJsonValue>();
        return std::optional<QJsonValue>(QJsonValue(**normalised));
    }
    auto normalised = normaliseScalar(attribute, value, path);
    if (!normalised)
        return normalised.error();
    return std::optional<QJsonValue>(*normalised);
}

} // namespace

ScimResult<QJsonValue> normaliseScalar(const AttributeSchema &attribute, const QJsonValue &value,
                                       const QString &path)
{
    const auto wrongType = [&]() {
        return invalidValue(QStringLiteral("attribute '%1' must be of type %2")
                                .arg(path, attributeTypeName(attribute.type)));
    };
    switch (attribute.type) {
    case AttributeType::String:
    case AttributeType::Reference: {
        if (!value.isString())
            return wrongType();
        const QString text = value.toString();
        if (text.size() > attribute.maxLength)
            return invalidValue(QStringLiteral("attribute '%1' is longer than %2 characters")
                                    .arg(path)
                                    .arg(attribute.maxLength));
        if (!validText(text))
            return invalidValue(
                QStringLiteral("attribute '%1' contains NUL or broken UTF-16").arg(path));
        return QJsonValue(text);
    }
    case AttributeType::Boolean:
        if (value.isBool())
            return value;
        if (value.isString()) {
            const QString text = value.toString();
            if (sameName(text, u"true"))
                return QJsonValue(true);
            if (sameName(text, u"false"))
                return QJsonValue(false);
        }
        return wrongType();
    case AttributeType::Integer: {
        if (!value.isDouble())
            return wrongType();
        const double d = value.toDouble();
        if (!std::isfinite(d) || std::trunc(d) != d || std::fabs(d) > 9007199254740992.0)
            return wrongType();
        return QJsonValue(qint64(d));
    }
    case AttributeType::Decimal:
        if (!value.isDouble() || !std::isfinite(value.toDouble()))
            return wrongType();
        return value;
    case AttributeType::DateTime: {
        if (!value.isString())
            return wrongType();
        const QDateTime instant = parseDateTime(value.toString());
        if (!instant.isValid())
            return invalidValue(QStringLiteral("attribute '%1' is not a valid dateTime").arg(path));
        return QJsonValue(formatDateTime(instant));
    }
    case AttributeType::Complex:
        return wrongType();
    }
    return wrongType();
}

ScimResult<QJsonObject> normaliseResource(const ResourceSchema &schema, const QJsonObject &input,
                                          NormaliseMode mode, const QJsonObject *existing)
{
    // schemas
    const QJsonValue schemasValue = valueForKey(input, u"schemas");
    if (!schemasValue.isArray())
        return invalidValue(
            QStringLiteral("'schemas' must be an array listing %1").arg(schema.core.id));
    bool coreListed = false;
    QSet<QString> listedExtensions;
    for (const QJsonValue &entry : schemasValue.toArray()) {
        if (!entry.isString())
            return invalidValue(QStringLiteral("'schemas' must contain strings"));
        const QString urn = entry.toString();
        if (sameName(urn, schema.core.id))
            coreListed = true;
        else if (const SchemaExtension *ext = schema.extension(urn))
            listedExtensions.insert(ext->schema.id);
        else
            return invalidValue(
                QStringLiteral("unknown schema in 'schemas': %1").arg(urn.left(200)));
    }
    if (!coreListed)
        return invalidValue(QStringLiteral("'schemas' must list %1").arg(schema.core.id));

    QJsonObject out;
    QSet<QString> seen;
    for (auto it = input.constBegin(); it != input.constEnd(); ++it) {
        const QString &key = it.key();
        if (sameName(key, u"schemas"))
            continue;
        if (const SchemaExtension *ext = schema.extension(key)) {
            if (seen.contains(ext->schema.id))
                return invalidSyntax(QStringLiteral("'%1' given twice").arg(ext->schema.id));
            seen.insert(ext->schema.id);
            if (isUnassigned(it.value()))
                continue;
            if (!it.value().isObject())
                return invalidValue(QStringLiteral("'%1' must be an object").arg(ext->schema.id));
            if (!listedExtensions.contains(ext->schema.id))
                return invalidValue(
                    QStringLiteral("extension attributes given but 'schemas' does not list %1")
                        .arg(ext->schema.id));
            const QJsonObject extInput = it.value().toObject();
            QJsonObject extOut;
            QSet<QString> extSeen;
            for (auto e = extInput.constBegin(); e != extInput.constEnd(); ++e) {
                const AttributeSchema *attribute = ext->schema.attribute(e.key());
                const QString path = ext->schema.id + u':' + e.key();
                if (!attribute)
                    return invalidSyntax(
                        QStringLiteral("unknown attribute '%1'").arg(path.left(300)));
                if (extSeen.contains(attribute->name))
                    return invalidSyntax(QStringLiteral("attribute '%1' given twice").arg(path));
                extSeen.insert(attribute->name);
                if (attribute->mutability == Mutability::ReadOnly)
                    continue;
                auto normalised = normaliseAttribute(*attribute, e.value(),
                                                     ext->schema.id + u':' + attribute->name);
                if (!normalised)
                    return normalised.error();
                if (*normalised)
                    extOut.insert(attribute->name, **normalised);
            }
            if (!extOut.isEmpty())
                out.insert(ext->schema.id, extOut);
            continue;
        }
        const AttributeSchema *attribute = schema.core.attribute(key);
        if (!attribute) {
            for (const AttributeSchema &c : schema.common) {
                if (sameName(c.name, key))
                    attribute = &c;
            }
        }
        if (!attribute)
            return invalidSyntax(QStringLiteral("unknown attribute '%1'").arg(key.left(300)));
        if (seen.contains(attribute->name))
            return invalidSyntax(QStringLiteral("attribute '%1' given twice").arg(attribute->name));
        seen.insert(attribute->name);
        if (attribute->mutability == Mutability::ReadOnly)
            continue;
        auto normalised = normaliseAttribute(*attribute, it.value(), attribute->name);
        if (!normalised)
            return normalised.error();
        if (*normalised)
            out.insert(attribute->name, **normalised);
    }

    const auto outValue = [&](const ResolvedAttribute &resolved) {
        return attributeValue(out, resolved);
    };
    const auto setOut = [&](const ResolvedAttribute &resolved, const QJsonValue &value) {
        if (resolved.extensionUrn.isEmpty()) {
            out.insert(resolved.attribute->name, value);
        } else {
            QJsonObject ext = out.value(resolved.extensionUrn).toObject();
            ext.insert(resolved.attribute->name, value);
            out.insert(resolved.extensionUrn, ext);
        }
    };

    if (mode == NormaliseMode::Replace && existing) {
        for (const ResolvedAttribute &resolved : schema.topLevelAttributes()) {
            const AttributeSchema &attribute = *resolved.attribute;
            const QJsonValue before = attributeValue(*existing, resolved);
            if (attribute.mutability == Mutability::ReadOnly) {
                if (!isUnassigned(before))
                    setOut(resolved, before);
                continue;
            }
            if (isUnassigned(before))
                continue;
            if (attribute.mutability == Mutability::Immutable) {
                const QJsonValue after = outValue(resolved);
                if (isUnassigned(after))
                    setOut(resolved, before);
                else if (after != before)
                    return ScimError::badRequest(scimtype::mutability(),
                                                 QStringLiteral("attribute '%1' is immutable")
                                                     .arg(resolved.canonicalPath()));
            } else if (attribute.isComplex() && !attribute.multiValued) {
                // Immutable sub-attributes of a single-valued complex attribute.
                QJsonObject afterObject = outValue(resolved).toObject();
                const QJsonObject beforeObject = before.toObject();
                bool changed = false;
                for (const AttributeSchema &sub : attribute.subAttributes) {
                    if (sub.mutability != Mutability::Immutable)
                        continue;
                    const QJsonValue b = beforeObject.value(sub.name);
                    const QJsonValue a = afterObject.value(sub.name);
                    if (isUnassigned(b))
                        continue;
                    if (isUnassigned(a)) {
                        afterObject.insert(sub.name, b);
                        changed = true;
                    } else if (a != b) {
                        return ScimError::badRequest(
                            scimtype::mutability(), QStringLiteral("attribute '%1.%2' is immutable")
                                                        .arg(resolved.canonicalPath(), sub.name));
                    }
                }
                if (changed)
                    setOut(resolved, afterObject);
            }
        }
    }

    for (const ResolvedAttribute &resolved : schema.topLevelAttributes()) {
        if (resolved.attribute->required &&
            resolved.attribute->mutability != Mutability::ReadOnly &&
            isUnassigned(outValue(resolved)))
            return invalidValue(
                QStringLiteral("attribute '%1' is required").arg(resolved.canonicalPath()));
    }

    QJsonArray schemas{schema.core.id};
    for (const SchemaExtension &ext : schema.extensions) {
        if (out.contains(ext.schema.id))
            schemas.append(ext.schema.id);
        else if (ext.required)
            return invalidValue(QStringLiteral("extension %1 is required").arg(ext.schema.id));
    }
    out.insert(QStringLiteral("schemas"), schemas);
    return out;
}

} // namespace upcoach::identity::scim
