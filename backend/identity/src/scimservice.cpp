#include "upcoach/identity/scimservice.h"

#include "upcoach/compliance/recordedchange.h"
#include "upcoach/identity/scimfilter.h"
#include "upcoach/identity/scimpatch.h"
#include "upcoach/identity/scimschema.h"
#include "upcoach/identity/scimsql.h"
#include "upcoach/identity/ssostore.h"
#include "upcoach/tenancy/registry.h"
#include "upcoach/tenancy/tenantsession.h"
#include "upcoach/tenancy/usage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QUuid>
#include <set>

namespace upcoach::identity {

using scim::ScimError;
using scim::ScimResult;
using scim::ScimStatus;

namespace {

constexpr int kMaxDisplayName = 200; // users.display_name

// ---- errors and small helpers ------------------------------------------------------------------

ScimHttpResponse answer(const ScimError &error)
{
    ScimHttpResponse response;
    response.status = error.status;
    response.body = error.toJson();
    response.unauthorized = error.status == 401;
    return response;
}

ScimError scimError(int status, const QString &detail, const QString &type = {})
{
    return ScimError{status, type, detail};
}

ScimError unauthorized()
{
    return scimError(401, QStringLiteral("a valid SCIM bearer token of this tenant is required "
                                         "(rotate one in the console's Identity tab)"));
}

// The rest of the backend's errors at the SCIM boundary.
ScimError fromError(const Error &error)
{
    switch (error.code) {
    case ErrorCode::InvalidInput:
        return scimError(400, error.message, scim::scimtype::invalidValue());
    case ErrorCode::NotFound:
        return scimError(404, error.message);
    case ErrorCode::Conflict:
        return scimError(409, error.message, scim::scimtype::uniqueness());
    case ErrorCode::Unauthorized:
        return unauthorized();
    case ErrorCode::Forbidden:
        return scimError(403, error.message);
    case ErrorCode::Unavailable:
        return scimError(503, error.message);
    case ErrorCode::Config:
    case ErrorCode::Internal:
        break;
    }
    return scimError(500, QStringLiteral("internal error"));
}

QString text(const pqxx::field &field)
{
    return field.is_null() ? QString() : QString::fromStdString(field.as<std::string>());
}

QJsonObject jsonObject(const pqxx::field &field)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(field.as<std::string>())).object();
}

QJsonArray jsonArray(const pqxx::field &field)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(field.as<std::string>())).array();
}

std::string compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString();
}

QString instant(const pqxx::field &epochMs)
{
    return scim::formatDateTime(QDateTime::fromMSecsSinceEpoch(epochMs.as<qint64>(), Qt::UTC));
}

QByteArray etagOf(qint64 version)
{
    return "W/\"" + QByteArray::number(version) + '"';
}

// If-Match / If-None-Match (RFC 7232 §3.1/§3.2) with weak comparison: "*" or any listed tag.
bool anyEtagMatches(const QByteArrayList &headers, qint64 version)
{
    const QByteArray opaque = '"' + QByteArray::number(version) + '"';
    for (const QByteArray &header : headers) {
        for (QByteArray tag : header.split(',')) {
            tag = tag.trimmed();
            if (tag == "*")
                return true;
            if (tag.startsWith("W/"))
                tag = tag.mid(2);
            if (tag == opaque)
                return true;
        }
    }
    return false;
}

std::optional<QUuid> resourceId(const QString &text)
{
    const QUuid id = QUuid::fromString(text);
    if (id.isNull() || text.size() != 36)
        return std::nullopt;
    return id;
}

std::string uuidText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces).toStdString();
}

// A PostgreSQL uuid[] literal of ids we parsed ourselves (never client text).
std::string uuidArray(const std::set<QString> &ids)
{
    std::string out = "{";
    for (const QString &id : ids) {
        if (out.size() > 1)
            out += ',';
        out += id.toStdString();
    }
    return out + '}';
}

ScimResult<QJsonObject> parseBody(const ScimHttpRequest &request)
{
    if (request.body.size() > kScimMaxBodyBytes)
        return scimError(413,
                         QStringLiteral("the body is larger than %1 bytes").arg(kScimMaxBodyBytes));
    const QByteArray type = request.contentType.split(';').value(0).trimmed().toLower();
    if (type != "application/scim+json" && type != "application/json")
        return scimError(415, QStringLiteral("send the body as application/scim+json"));
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return scimError(400, QStringLiteral("the body is not a JSON object"),
                         scim::scimtype::invalidSyntax());
    return document.object();
}

// ---- SQL mappings ------------------------------------------------------------------------------

QString typedJsonText(const QString &jsonText, scim::AttributeType type)
{
    switch (type) {
    case scim::AttributeType::Boolean:
        return u'(' + jsonText + QStringLiteral(")::boolean");
    case scim::AttributeType::Integer:
    case scim::AttributeType::Decimal:
        return u'(' + jsonText + QStringLiteral(")::numeric");
    case scim::AttributeType::DateTime:
        return u'(' + jsonText + QStringLiteral(")::timestamptz");
    default:
        return jsonText;
    }
}

// Attributes kept in a row's JSON resource (`resource`): every attribute of the schema that has
// no column of its own, at its place in the JSON (extension attributes under their URN).
void mapJsonAttributes(scim::SqlMapping &map, const QString &resource, const QSet<QString> &columns)
{
    for (const scim::ResolvedAttribute &top : map.schema().topLevelAttributes()) {
        const scim::AttributeSchema &attribute = *top.attribute;
        const QString path = top.canonicalPath();
        if (columns.contains(path.toLower()))
            continue;
        const QString object =
            top.extensionUrn.isEmpty()
                ? resource
                : u'(' + resource + QStringLiteral("->'") + top.extensionUrn + QStringLiteral("')");
        const QString member = object + QStringLiteral("->'") + attribute.name + u'\'';
        if (attribute.isComplex() && attribute.multiValued) {
            map.addJsonArray(path, member);
        } else if (attribute.isComplex()) {
            for (const scim::AttributeSchema &sub : attribute.subAttributes)
                map.addColumn(
                    QString(path + u'.' + sub.name),
                    scim::SqlColumn{
                        typedJsonText(member + QStringLiteral("->>'") + sub.name + u'\'', sub.type),
                        sub.type, sub.caseExact});
        } else if (!attribute.multiValued) {
            map.addColumn(path, scim::SqlColumn{typedJsonText(object + QStringLiteral("->>'") +
                                                                  attribute.name + u'\'',
                                                              attribute.type),
                                                attribute.type, attribute.caseExact});
        }
    }
}

const scim::SqlMapping &userMapping()
{
    static const scim::SqlMapping mapping = [] {
        scim::SqlMapping map(scim::userSchema());
        map.addColumn(u"id", scim::SqlColumn{QStringLiteral("v.id::text"),
                                             scim::AttributeType::String, false});
        map.addColumn(u"userName", u"v.user_name");
        map.addColumn(u"externalId", u"v.external_id");
        map.addColumn(u"active", u"v.active");
        map.addColumn(u"meta.created", u"v.created_at");
        map.addColumn(u"meta.lastModified", u"v.updated_at");
        map.addJsonArray(u"groups",
                         u"(SELECT jsonb_agg(jsonb_build_object('value', g.id::text, 'display',"
                         u" g.display_name)) FROM scim_group_members m JOIN scim_groups g ON"
                         u" g.tenant_id = m.tenant_id AND g.id = m.group_id"
                         u" WHERE m.user_id = v.id)");
        mapJsonAttributes(map, QStringLiteral("v.resource"),
                          {QStringLiteral("id"), QStringLiteral("username"),
                           QStringLiteral("externalid"), QStringLiteral("active"),
                           QStringLiteral("meta"), QStringLiteral("groups")});
        return map;
    }();
    return mapping;
}

const scim::SqlMapping &groupMapping()
{
    static const scim::SqlMapping mapping = [] {
        scim::SqlMapping map(scim::groupSchema());
        map.addColumn(u"id", scim::SqlColumn{QStringLiteral("g.id::text"),
                                             scim::AttributeType::String, false});
        map.addColumn(u"displayName", u"g.display_name");
        map.addColumn(u"externalId", u"g.external_id");
        map.addColumn(u"meta.created", u"g.created_at");
        map.addColumn(u"meta.lastModified", u"g.updated_at");
        map.addJsonArray(u"members",
                         u"(SELECT jsonb_agg(jsonb_build_object('value', m.user_id::text,"
                         u" 'type', 'User')) FROM scim_group_members m WHERE m.group_id = g.id)");
        mapJsonAttributes(map, QStringLiteral("g.scim"),
                          {QStringLiteral("id"), QStringLiteral("displayname"),
                           QStringLiteral("externalid"), QStringLiteral("meta"),
                           QStringLiteral("members")});
        return map;
    }();
    return mapping;
}

// ---- resources as rows and rows as resources --------------------------------------------------

constexpr const char *kUserColumns =
    "v.id::text, v.version, (extract(epoch FROM v.created_at) * 1000)::bigint,"
    " (extract(epoch FROM v.updated_at) * 1000)::bigint, v.resource::text, v.active,"
    " v.user_name, v.external_id,"
    " (SELECT coalesce(jsonb_agg(jsonb_build_object('value', g.id::text, 'display',"
    " g.display_name) ORDER BY lower(g.display_name), g.id), '[]') FROM scim_group_members m"
    " JOIN scim_groups g ON g.tenant_id = m.tenant_id AND g.id = m.group_id"
    " WHERE m.user_id = v.id)::text";

constexpr const char *kGroupColumns =
    "g.id::text, g.version, (extract(epoch FROM g.created_at) * 1000)::bigint,"
    " (extract(epoch FROM g.updated_at) * 1000)::bigint, g.scim::text, g.display_name,"
    " g.external_id,"
    " (SELECT coalesce(jsonb_agg(jsonb_build_object('value', u.id::text, 'display',"
    " u.display_name) ORDER BY lower(u.display_name), u.id), '[]') FROM scim_group_members m"
    " JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.user_id"
    " WHERE m.group_id = g.id)::text";

struct Stored
{
    QJsonObject resource; // the SCIM representation, with id, meta and (for users) groups
    qint64 version = 0;
};

QJsonObject meta(const QString &type, const pqxx::row &row, const QString &location)
{
    return QJsonObject{
        {QStringLiteral("resourceType"), type},
        {QStringLiteral("created"), instant(row[2])},
        {QStringLiteral("lastModified"), instant(row[3])},
        {QStringLiteral("location"), location},
        {QStringLiteral("version"), QString::fromLatin1(etagOf(row[1].as<qint64>()))}};
}

Stored userFromRow(const pqxx::row &row, const QString &baseUrl)
{
    const QString id = text(row[0]);
    QJsonObject resource = jsonObject(row[4]);
    resource.remove(QStringLiteral("id"));
    resource.remove(QStringLiteral("meta"));
    resource.remove(QStringLiteral("groups"));
    resource.insert(QStringLiteral("id"), id);
    resource.insert(QStringLiteral("userName"), text(row[6]));
    resource.insert(QStringLiteral("active"), row[5].as<bool>());
    if (row[7].is_null())
        resource.remove(QStringLiteral("externalId"));
    else
        resource.insert(QStringLiteral("externalId"), text(row[7]));
    QJsonArray schemas{QString::fromUtf16(scim::kUserSchemaUrn)};
    if (resource.contains(QString::fromUtf16(scim::kEnterpriseUserSchemaUrn)))
        schemas.append(QString::fromUtf16(scim::kEnterpriseUserSchemaUrn));
    resource.insert(QStringLiteral("schemas"), schemas);
    QJsonArray groups;
    for (const QJsonValue &group : jsonArray(row[8])) {
        QJsonObject value = group.toObject();
        value.insert(QStringLiteral("$ref"),
                     QString(baseUrl + QStringLiteral("/Groups/") +
                             value.value(QStringLiteral("value")).toString()));
        value.insert(QStringLiteral("type"), QStringLiteral("direct"));
        groups.append(value);
    }
    if (!groups.isEmpty())
        resource.insert(QStringLiteral("groups"), groups);
    resource.insert(QStringLiteral("meta"),
                    meta(QStringLiteral("User"), row, baseUrl + QStringLiteral("/Users/") + id));
    return {resource, row[1].as<qint64>()};
}

Stored groupFromRow(const pqxx::row &row, const QString &baseUrl)
{
    const QString id = text(row[0]);
    QJsonObject resource = jsonObject(row[4]);
    resource.insert(QStringLiteral("id"), id);
    resource.insert(QStringLiteral("displayName"), text(row[5]));
    if (!row[6].is_null())
        resource.insert(QStringLiteral("externalId"), text(row[6]));
    resource.insert(QStringLiteral("schemas"),
                    QJsonArray{QString::fromUtf16(scim::kGroupSchemaUrn)});
    QJsonArray members;
    for (const QJsonValue &member : jsonArray(row[7])) {
        QJsonObject value = member.toObject();
        value.insert(QStringLiteral("$ref"),
                     QString(baseUrl + QStringLiteral("/Users/") +
                             value.value(QStringLiteral("value")).toString()));
        value.insert(QStringLiteral("type"), QStringLiteral("User"));
        members.append(value);
    }
    if (!members.isEmpty())
        resource.insert(QStringLiteral("members"), members);
    resource.insert(QStringLiteral("meta"),
                    meta(QStringLiteral("Group"), row, baseUrl + QStringLiteral("/Groups/") + id));
    return {resource, row[1].as<qint64>()};
}

// What a user row holds, derived from a normalised SCIM User.
struct UserRow
{
    QString userName;
    std::optional<QString> externalId;
    bool active = true;
    QString email;
    bool emailValid = false;
    QString displayName;
    QJsonObject stored; // the resource without id, meta, groups, schemas
};

ScimResult<UserRow> userRow(const QJsonObject &resource)
{
    static const QRegularExpression address(QStringLiteral("^[^\\s@]{1,64}@[^\\s@]{1,255}$"));
    UserRow row;
    row.userName = resource.value(QStringLiteral("userName")).toString();
    if (resource.contains(QStringLiteral("externalId")))
        row.externalId = resource.value(QStringLiteral("externalId")).toString();
    row.active = resource.value(QStringLiteral("active")).toBool(true);
    QString primary, first;
    for (const QJsonValue &value : resource.value(QStringLiteral("emails")).toArray()) {
        const QJsonObject email = value.toObject();
        const QString text = email.value(QStringLiteral("value")).toString().trimmed();
        if (text.isEmpty())
            continue;
        if (first.isEmpty())
            first = text;
        if (email.value(QStringLiteral("primary")).toBool())
            primary = text;
    }
    row.email = !primary.isEmpty() ? primary : !first.isEmpty() ? first : row.userName;
    // Checked after uniqueness (writeUser): a duplicate userName is a 409 whatever else is wrong.
    row.emailValid = row.email.size() <= 320 && address.match(row.email).hasMatch();
    const QJsonObject name = resource.value(QStringLiteral("name")).toObject();
    const QString given = name.value(QStringLiteral("givenName")).toString();
    const QString family = name.value(QStringLiteral("familyName")).toString();
    for (const QString &candidate : {resource.value(QStringLiteral("displayName")).toString(),
                                     name.value(QStringLiteral("formatted")).toString(),
                                     QString(given + u' ' + family).trimmed(), row.userName}) {
        if (!candidate.trimmed().isEmpty()) {
            row.displayName = candidate.trimmed().left(kMaxDisplayName);
            break;
        }
    }
    row.stored = resource;
    for (const QString &key : {QStringLiteral("id"), QStringLiteral("meta"),
                               QStringLiteral("groups"), QStringLiteral("schemas")})
        row.stored.remove(key);
    return row;
}

struct GroupRow
{
    QString displayName;
    std::optional<QString> externalId;
    std::set<QString> members; // user ids, lower-case canonical
    QJsonObject stored;        // without id, meta, members, schemas
};

ScimResult<GroupRow> groupRow(const QJsonObject &resource)
{
    GroupRow row;
    row.displayName = resource.value(QStringLiteral("displayName")).toString();
    if (resource.contains(QStringLiteral("externalId")))
        row.externalId = resource.value(QStringLiteral("externalId")).toString();
    for (const QJsonValue &value : resource.value(QStringLiteral("members")).toArray()) {
        const QJsonObject member = value.toObject();
        const QString type = member.value(QStringLiteral("type")).toString();
        if (!type.isEmpty() && type.compare(QLatin1String("User"), Qt::CaseInsensitive) != 0)
            return scimError(400,
                             QStringLiteral("members: only users can be members (nested "
                                            "groups are not supported)"),
                             scim::scimtype::invalidValue());
        const auto id = resourceId(member.value(QStringLiteral("value")).toString());
        if (!id)
            return scimError(400, QStringLiteral("members: a value is not a user id"),
                             scim::scimtype::invalidValue());
        row.members.insert(id->toString(QUuid::WithoutBraces));
    }
    row.stored = resource;
    for (const QString &key :
         {QStringLiteral("id"), QStringLiteral("meta"), QStringLiteral("members"),
          QStringLiteral("schemas"), QStringLiteral("displayName"), QStringLiteral("externalId")})
        row.stored.remove(key);
    return row;
}

// RFC 7644 §3.4.2.5: attributes / excludedAttributes (comma-separated paths). id and schemas are
// always returned; paths naming nothing are ignored (the RFC leaves that open).
QJsonObject project(const scim::ResourceSchema &schema, const QJsonObject &resource,
                    const QString &attributes, const QString &excluded)
{
    auto paths = [&](const QString &list) {
        std::vector<scim::ResolvedAttribute> out;
        for (const QString &item : list.split(u',', Qt::SkipEmptyParts)) {
            if (auto resolved = schema.resolve(scim::splitAttributePath(item.trimmed())))
                out.push_back(*resolved);
        }
        return out;
    };
    // The object that holds `attribute` (the resource, or its extension object).
    auto holder = [](QJsonObject &root, const scim::ResolvedAttribute &a) -> QJsonObject {
        return a.extensionUrn.isEmpty() ? root : root.value(a.extensionUrn).toObject();
    };
    auto store = [](QJsonObject &root, const scim::ResolvedAttribute &a,
                    const QJsonObject &object) {
        if (a.extensionUrn.isEmpty())
            root = object;
        else if (object.isEmpty())
            root.remove(a.extensionUrn);
        else
            root.insert(a.extensionUrn, object);
    };
    auto subset = [](const QJsonValue &value, const QString &sub) -> QJsonValue {
        if (value.isArray()) {
            QJsonArray out;
            for (const QJsonValue &item : value.toArray()) {
                const QJsonValue kept = item.toObject().value(sub);
                if (!kept.isUndefined())
                    out.append(QJsonObject{{sub, kept}});
            }
            return out.isEmpty() ? QJsonValue() : QJsonValue(out);
        }
        const QJsonValue kept = value.toObject().value(sub);
        return kept.isUndefined() ? QJsonValue() : QJsonValue(QJsonObject{{sub, kept}});
    };
    const QJsonObject source = resource;
    if (!attributes.trimmed().isEmpty()) {
        QJsonObject out{{QStringLiteral("id"), resource.value(QStringLiteral("id"))},
                        {QStringLiteral("schemas"), resource.value(QStringLiteral("schemas"))}};
        for (const scim::ResolvedAttribute &a : paths(attributes)) {
            QJsonObject copy = resource;
            const QJsonValue value = holder(copy, a).value(a.attribute->name);
            if (value.isUndefined())
                continue;
            QJsonObject target = holder(out, a);
            if (a.subAttribute) {
                const QJsonValue kept = subset(value, a.subAttribute->name);
                if (kept.isNull() || kept.isUndefined())
                    continue;
                if (value.isObject() && target.value(a.attribute->name).isObject()) {
                    QJsonObject merged = target.value(a.attribute->name).toObject();
                    merged.insert(a.subAttribute->name,
                                  kept.toObject().value(a.subAttribute->name));
                    target.insert(a.attribute->name, merged);
                } else {
                    target.insert(a.attribute->name, kept);
                }
            } else {
                target.insert(a.attribute->name, value);
            }
            store(out, a, target);
        }
        return out;
    }
    QJsonObject out = source;
    for (const scim::ResolvedAttribute &a : paths(excluded)) {
        if (a.attribute->name == QLatin1String("id") && a.extensionUrn.isEmpty())
            continue;
        QJsonObject target = holder(out, a);
        if (!a.subAttribute) {
            target.remove(a.attribute->name);
        } else {
            QJsonValue value = target.value(a.attribute->name);
            if (value.isArray()) {
                QJsonArray trimmed;
                for (const QJsonValue &item : value.toArray()) {
                    QJsonObject object = item.toObject();
                    object.remove(a.subAttribute->name);
                    trimmed.append(object);
                }
                target.insert(a.attribute->name, trimmed);
            } else if (value.isObject()) {
                QJsonObject object = value.toObject();
                object.remove(a.subAttribute->name);
                target.insert(a.attribute->name, object);
            }
        }
        store(out, a, target);
    }
    return out;
}

ScimHttpResponse resourceAnswer(int status, const Stored &stored, const ScimHttpRequest &request,
                                const scim::ResourceSchema &schema)
{
    ScimHttpResponse response;
    response.status = status;
    response.etag = etagOf(stored.version);
    response.body = project(
        schema, stored.resource,
        request.query.queryItemValue(QStringLiteral("attributes"), QUrl::FullyDecoded),
        request.query.queryItemValue(QStringLiteral("excludedAttributes"), QUrl::FullyDecoded));
    if (status == 201)
        response.location = stored.resource.value(QStringLiteral("meta"))
                                .toObject()
                                .value(QStringLiteral("location"))
                                .toString();
    return response;
}

QJsonObject serviceProviderConfig(const QString &baseUrl)
{
    auto supported = [](bool yes) { return QJsonObject{{QStringLiteral("supported"), yes}}; };
    return QJsonObject{
        {QStringLiteral("schemas"),
         QJsonArray{QStringLiteral("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig")}},
        {QStringLiteral("patch"), supported(true)},
        {QStringLiteral("bulk"), QJsonObject{{QStringLiteral("supported"), false},
                                             {QStringLiteral("maxOperations"), 0},
                                             {QStringLiteral("maxPayloadSize"), 0}}},
        {QStringLiteral("filter"), QJsonObject{{QStringLiteral("supported"), true},
                                               {QStringLiteral("maxResults"), kScimMaxResults}}},
        {QStringLiteral("changePassword"), supported(false)},
        {QStringLiteral("sort"), supported(true)},
        {QStringLiteral("etag"), supported(true)},
        {QStringLiteral("authenticationSchemes"),
         QJsonArray{QJsonObject{
             {QStringLiteral("type"), QStringLiteral("oauthbearertoken")},
             {QStringLiteral("name"), QStringLiteral("OAuth Bearer Token")},
             {QStringLiteral("description"),
              QStringLiteral("The tenant's SCIM token in an Authorization: Bearer header. "
                             "Operators rotate it (POST /api/v1/tenants/{slug}/scim-token or "
                             "the console's Identity tab); a rotation revokes the previous one.")},
             {QStringLiteral("primary"), true}}}},
        {QStringLiteral("meta"),
         QJsonObject{{QStringLiteral("resourceType"), QStringLiteral("ServiceProviderConfig")},
                     {QStringLiteral("location"),
                      QString(baseUrl + QStringLiteral("/ServiceProviderConfig"))}}},
    };
}

// One resource of a discovery ListResponse by id ("/Schemas/urn:…", "/ResourceTypes/User").
ScimHttpResponse discoveryItem(const QJsonObject &list, const QString &id)
{
    for (const QJsonValue &item : list.value(QStringLiteral("Resources")).toArray()) {
        if (item.toObject().value(QStringLiteral("id")).toString() == id) {
            ScimHttpResponse response;
            response.body = item.toObject();
            return response;
        }
    }
    return answer(scimError(404, QStringLiteral("no such schema or resource type")));
}

struct Kind
{
    const scim::ResourceSchema &schema;
    const scim::SqlMapping &mapping;
    QString noun;     // "user", "group" (audit actions)
    QString target;   // audit target prefix: "user:", "scim-group:"
    const char *from; // "scim_users v", "scim_groups g"
    const char *columns;
    const char *idColumn;
    const char *createdColumn; // the default order: oldest first
};

const Kind &userKind()
{
    static const Kind kind{scim::userSchema(),
                           userMapping(),
                           QStringLiteral("user"),
                           QStringLiteral("user:"),
                           "scim_users v",
                           kUserColumns,
                           "v.id",
                           "v.created_at"};
    return kind;
}

const Kind &groupKind()
{
    static const Kind kind{scim::groupSchema(),
                           groupMapping(),
                           QStringLiteral("group"),
                           QStringLiteral("scim-group:"),
                           "scim_groups g",
                           kGroupColumns,
                           "g.id",
                           "g.created_at"};
    return kind;
}

Stored fromRow(const Kind &kind, const pqxx::row &row, const QString &baseUrl)
{
    return &kind == &userKind() ? userFromRow(row, baseUrl) : groupFromRow(row, baseUrl);
}

std::optional<Stored> load(tenancy::TenantTransaction &tx, const Kind &kind, const QUuid &id,
                           const QString &baseUrl)
{
    const auto rows = tx.exec(std::string("SELECT ") + kind.columns + " FROM " + kind.from +
                                  " WHERE " + kind.idColumn + " = $1::uuid",
                              uuidText(id));
    if (rows.empty())
        return std::nullopt;
    return fromRow(kind, rows[0], baseUrl);
}

// Members must be current users of the tenant.
ScimStatus checkMembers(tenancy::TenantTransaction &tx, const std::set<QString> &members)
{
    if (members.empty())
        return {};
    const auto found = tx.exec("SELECT count(*) FROM users WHERE deprovisioned_at IS NULL"
                               " AND id = ANY($1::uuid[])",
                               uuidArray(members))[0][0]
                           .as<qint64>();
    if (found != qint64(members.size()))
        return scimError(400,
                         QStringLiteral("members: %1 of the values are not users of this tenant")
                             .arg(qint64(members.size()) - found),
                         scim::scimtype::invalidValue());
    return {};
}

void writeMembers(tenancy::TenantTransaction &tx, const QUuid &group,
                  const std::set<QString> &members)
{
    const std::string all = uuidArray(members);
    tx.exec("DELETE FROM scim_group_members WHERE group_id = $1::uuid"
            " AND NOT (user_id = ANY($2::uuid[]))",
            uuidText(group), all);
    tx.exec("INSERT INTO scim_group_members (group_id, user_id)"
            " SELECT $1::uuid, member FROM unnest($2::uuid[]) AS member ON CONFLICT DO NOTHING",
            uuidText(group), all);
}

// Uniqueness the schema declares (userName; a group's displayName by our rule) and the e-mail
// the coaching model keys users by. Excludes `self` on replace.
ScimStatus checkUserUnique(tenancy::TenantTransaction &tx, const UserRow &row,
                           const std::optional<QUuid> &self)
{
    const std::string selfId = self ? uuidText(*self) : std::string();
    const auto clash = tx.exec("SELECT 1 FROM users WHERE deprovisioned_at IS NULL"
                               " AND ($3 = '' OR id <> $3::uuid)"
                               " AND (lower(coalesce(user_name, email)) = lower($1)"
                               " OR ($2 <> '' AND lower(email) = lower($2))) LIMIT 1",
                               row.userName.toStdString(),
                               row.emailValid ? row.email.toStdString() : std::string(), selfId);
    if (!clash.empty())
        return scimError(409,
                         QStringLiteral("userName or e-mail address: already used by another "
                                        "user of this tenant"),
                         scim::scimtype::uniqueness());
    return {};
}

ScimStatus checkGroupUnique(tenancy::TenantTransaction &tx, const GroupRow &row,
                            const std::optional<QUuid> &self)
{
    const std::string selfId = self ? uuidText(*self) : std::string();
    const auto clash = tx.exec("SELECT 1 FROM scim_groups WHERE lower(display_name) = lower($1)"
                               " AND ($2 = '' OR id <> $2::uuid) LIMIT 1",
                               row.displayName.toStdString(), selfId);
    if (!clash.empty())
        return scimError(409, QStringLiteral("displayName: another group of this tenant has it"),
                         scim::scimtype::uniqueness());
    return {};
}

} // namespace

ScimService::ScimService(SsoStore &store, tenancy::TenantRegistry &registry,
                         tenancy::TenantSessions &sessions, tenancy::TenantQuota &quota,
                         compliance::AuditLog &audit)
    : m_store(store)
    , m_registry(registry)
    , m_sessions(sessions)
    , m_quota(quota)
    , m_audit(audit)
{}

namespace {

// Everything one request needs after authentication.
struct Call
{
    const ScimHttpRequest &request;
    tenancy::Tenant tenant;
    tenancy::TenantSessions &sessions;
    tenancy::TenantQuota &quota;
    compliance::AuditLog &audit;

    compliance::AuditRecord event(const QString &action, const QString &target) const
    {
        compliance::AuditRecord record;
        record.actor = QStringLiteral("scim:") + tenant.slug;
        record.sourceIp = request.caller.sourceIp;
        record.requestId = request.caller.requestId;
        record.tenant = tenant.slug;
        record.action = action;
        record.target = target;
        record.classification = QStringLiteral("security");
        return record;
    }

    // Runs fn in one tenant transaction; database errors become SCIM errors.
    template<typename Fn> ScimHttpResponse run(Fn &&fn) const
    {
        auto result = sessions.run(tenant.slug, tenancy::TenantAccess::Member,
                                   [&](tenancy::TenantTransaction &tx) { return fn(tx); });
        if (!result)
            return answer(fromError(result.error()));
        return std::move(result.value());
    }

    // Records `record`, then runs `change`; a failed change gets its correcting event. A
    // change refused by a SCIM rule found only inside the transaction is corrected too.
    template<typename Fn>
    ScimHttpResponse recorded(const compliance::AuditRecord &record, Fn &&change) const
    {
        auto receipt = compliance::recordAndWait(audit, record);
        if (!receipt)
            return answer(scimError(503, QStringLiteral("the audit log could not record the "
                                                        "change, so nothing was changed")));
        ScimHttpResponse response = run(std::forward<Fn>(change));
        if (response.status >= 400)
            compliance::recordCorrection(
                audit, record, receipt.value(),
                makeError(response.status == 409   ? ErrorCode::Conflict
                          : response.status == 412 ? ErrorCode::Conflict
                          : response.status >= 500 ? ErrorCode::Unavailable
                                                   : ErrorCode::InvalidInput,
                          QStringLiteral("SCIM status %1").arg(response.status)));
        return response;
    }

    const QString &baseUrl() const { return request.baseUrl; }
};

// A refused write (bad body, filter, version): recorded as a failure without its content.
void recordRefusal(const Call &call, const QString &action, const QString &target,
                   const ScimError &error)
{
    compliance::AuditRecord record = call.event(action, target);
    record.outcome = QStringLiteral("failure");
    record.details = QJsonObject{{QStringLiteral("status"), error.status},
                                 {QStringLiteral("scimType"), error.scimType}};
    (void)compliance::recordAndWait(call.audit, record);
}

ScimHttpResponse listResources(const Call &call, const Kind &kind)
{
    const QUrlQuery &query = call.request.query;
    auto page = scim::parsePagination(query, kScimDefaultCount, kScimMaxResults);
    if (!page)
        return answer(page.error());
    const QString filterText = query.queryItemValue(QStringLiteral("filter"), QUrl::FullyDecoded);
    scim::SqlFilter where{"true", {}};
    if (!filterText.isEmpty()) {
        auto filter = scim::parseFilter(QStringView(filterText));
        if (!filter)
            return answer(filter.error());
        auto compiled = scim::compileFilter(*filter, kind.mapping, 1);
        if (!compiled)
            return answer(compiled.error());
        where = std::move(*compiled);
    }
    auto sort = scim::compileSortBy(
        query.queryItemValue(QStringLiteral("sortBy"), QUrl::FullyDecoded),
        query.queryItemValue(QStringLiteral("sortOrder"), QUrl::FullyDecoded), kind.mapping);
    if (!sort)
        return answer(sort.error());
    const std::string order =
        (sort->empty() ? std::string() : *sort + ", ") + kind.createdColumn + ", " + kind.idColumn;
    const int next = int(where.params.size()) + 1;
    const std::string select = std::string("SELECT ") + kind.columns + " FROM " + kind.from +
                               " WHERE " + where.where + " ORDER BY " + order + " LIMIT $" +
                               std::to_string(next) + " OFFSET $" + std::to_string(next + 1);
    const std::string count =
        std::string("SELECT count(*) FROM ") + kind.from + " WHERE " + where.where;
    return call.run([&](tenancy::TenantTransaction &tx) {
        const qint64 total =
            tx.exec(count, pqxx::prepare::make_dynamic_params(where.params))[0][0].as<qint64>();
        QJsonArray resources;
        if (page->count > 0) {
            for (const auto &row : tx.exec(select, pqxx::prepare::make_dynamic_params(where.params),
                                           page->count, page->offset()))
                resources.append(
                    project(kind.schema, fromRow(kind, row, call.baseUrl()).resource,
                            query.queryItemValue(QStringLiteral("attributes"), QUrl::FullyDecoded),
                            query.queryItemValue(QStringLiteral("excludedAttributes"),
                                                 QUrl::FullyDecoded)));
        }
        ScimHttpResponse response;
        response.body = QJsonObject{
            {QStringLiteral("schemas"), QJsonArray{QString::fromUtf16(scim::kListResponseUrn)}},
            {QStringLiteral("totalResults"), total},
            {QStringLiteral("startIndex"), page->startIndex},
            {QStringLiteral("itemsPerPage"), resources.size()},
            {QStringLiteral("Resources"), resources},
        };
        return response;
    });
}

ScimHttpResponse getResource(const Call &call, const Kind &kind, const QUuid &id)
{
    return call.run([&](tenancy::TenantTransaction &tx) {
        const std::optional<Stored> stored = load(tx, kind, id, call.baseUrl());
        if (!stored)
            return answer(scimError(404, QStringLiteral("no such %1").arg(kind.noun)));
        if (!call.request.ifNoneMatch.isEmpty() &&
            anyEtagMatches(call.request.ifNoneMatch, stored->version)) {
            ScimHttpResponse notModified;
            notModified.status = 304;
            notModified.etag = etagOf(stored->version);
            return notModified;
        }
        return resourceAnswer(200, *stored, call.request, kind.schema);
    });
}

// Writes a user row from `row` (insert when `create`), inside the caller's transaction.
ScimHttpResponse writeUser(const Call &call, tenancy::TenantTransaction &tx, const QUuid &id,
                           const UserRow &row, bool create)
{
    if (auto unique = checkUserUnique(tx, row, create ? std::nullopt : std::optional(id)); !unique)
        return answer(unique.error());
    if (!row.emailValid)
        return answer(scimError(400,
                                QStringLiteral("emails: this service needs an e-mail address for "
                                               "every user (an emails value, or a userName that "
                                               "is one)"),
                                scim::scimtype::invalidValue()));
    const std::optional<std::string> externalId =
        row.externalId ? std::optional(row.externalId->toStdString()) : std::nullopt;
    if (create) {
        if (auto seats = call.quota.admitSeats(tx, 1); !seats)
            return answer(scimError(409, seats.error().message));
        tx.exec("INSERT INTO users (id, email, display_name, role, managed_by, active, user_name,"
                " external_id, scim) VALUES ($1::uuid, $2, $3, 'coachee', 'scim', $4, $5, $6,"
                " $7::jsonb)",
                uuidText(id), row.email.toStdString(), row.displayName.toStdString(), row.active,
                row.userName.toStdString(), externalId, compactJson(row.stored));
    } else {
        tx.exec("UPDATE users SET email = $2, display_name = $3, managed_by = 'scim',"
                " active = $4, user_name = $5, external_id = $6, scim = $7::jsonb,"
                " version = version + 1, updated_at = now()"
                " WHERE id = $1::uuid AND deprovisioned_at IS NULL",
                uuidText(id), row.email.toStdString(), row.displayName.toStdString(), row.active,
                row.userName.toStdString(), externalId, compactJson(row.stored));
    }
    const std::optional<Stored> stored = load(tx, userKind(), id, call.baseUrl());
    return resourceAnswer(create ? 201 : 200, *stored, call.request, userKind().schema);
}

ScimHttpResponse writeGroup(const Call &call, tenancy::TenantTransaction &tx, const QUuid &id,
                            const GroupRow &row, bool create)
{
    if (auto unique = checkGroupUnique(tx, row, create ? std::nullopt : std::optional(id)); !unique)
        return answer(unique.error());
    if (auto members = checkMembers(tx, row.members); !members)
        return answer(members.error());
    const std::optional<std::string> externalId =
        row.externalId ? std::optional(row.externalId->toStdString()) : std::nullopt;
    if (create)
        tx.exec("INSERT INTO scim_groups (id, display_name, external_id, scim)"
                " VALUES ($1::uuid, $2, $3, $4::jsonb)",
                uuidText(id), row.displayName.toStdString(), externalId, compactJson(row.stored));
    else
        tx.exec("UPDATE scim_groups SET display_name = $2, external_id = $3, scim = $4::jsonb,"
                " version = version + 1, updated_at = now() WHERE id = $1::uuid",
                uuidText(id), row.displayName.toStdString(), externalId, compactJson(row.stored));
    writeMembers(tx, id, row.members);
    const std::optional<Stored> stored = load(tx, groupKind(), id, call.baseUrl());
    return resourceAnswer(create ? 201 : 200, *stored, call.request, groupKind().schema);
}

ScimHttpResponse write(const Call &call, const Kind &kind, tenancy::TenantTransaction &tx,
                       const QUuid &id, const QJsonObject &resource, bool create)
{
    if (&kind == &userKind()) {
        auto row = userRow(resource);
        if (!row)
            return answer(row.error());
        return writeUser(call, tx, id, *row, create);
    }
    auto row = groupRow(resource);
    if (!row)
        return answer(row.error());
    return writeGroup(call, tx, id, *row, create);
}

ScimHttpResponse createResource(const Call &call, const Kind &kind)
{
    const QString action = QStringLiteral("scim.") + kind.noun + QStringLiteral(".create");
    auto body = parseBody(call.request);
    if (!body) {
        recordRefusal(call, action, {}, body.error());
        return answer(body.error());
    }
    auto resource = scim::normaliseResource(kind.schema, *body, scim::NormaliseMode::Create);
    if (!resource) {
        recordRefusal(call, action, {}, resource.error());
        return answer(resource.error());
    }
    const QUuid id = QUuid::createUuid();
    compliance::AuditRecord record =
        call.event(action, kind.target + id.toString(QUuid::WithoutBraces));
    record.details = QJsonObject{
        {QStringLiteral("active"), resource->value(QStringLiteral("active")).toBool(true)}};
    return call.recorded(record, [&](tenancy::TenantTransaction &tx) {
        return write(call, kind, tx, id, *resource, true);
    });
}

// PUT and PATCH: the new resource is computed from the current one under a row lock, after the
// If-Match check, and recorded before it is written.
template<typename Change>
ScimHttpResponse modifyResource(const Call &call, const Kind &kind, const QUuid &id,
                                const QString &verb, Change &&change)
{
    const QString action = QStringLiteral("scim.") + kind.noun + u'.' + verb;
    const QString target = kind.target + id.toString(QUuid::WithoutBraces);
    std::optional<ScimError> refusal;
    std::optional<QJsonObject> next;
    // Validate against the current version first, so a refused change is never recorded as one.
    ScimHttpResponse checked = call.run([&](tenancy::TenantTransaction &tx) {
        const std::optional<Stored> stored = load(tx, kind, id, call.baseUrl());
        if (!stored)
            return answer(scimError(404, QStringLiteral("no such %1").arg(kind.noun)));
        if (!call.request.ifMatch.isEmpty() &&
            !anyEtagMatches(call.request.ifMatch, stored->version)) {
            refusal = scimError(412, QStringLiteral("the %1 has changed since that version "
                                                    "(If-Match)")
                                         .arg(kind.noun));
            return answer(*refusal);
        }
        ScimResult<QJsonObject> changed = change(stored->resource);
        if (!changed) {
            refusal = changed.error();
            return answer(*refusal);
        }
        next = std::move(*changed);
        ScimHttpResponse ok;
        ok.etag = etagOf(stored->version);
        return ok;
    });
    if (refusal)
        recordRefusal(call, action, target, *refusal);
    if (!next)
        return checked;
    const QByteArray expected = checked.etag;
    compliance::AuditRecord record = call.event(action, target);
    return call.recorded(record, [&](tenancy::TenantTransaction &tx) {
        const std::string table = &kind == &userKind() ? "users" : "scim_groups";
        const auto locked = tx.exec(
            "SELECT version FROM " + table + " WHERE id = $1::uuid FOR UPDATE", uuidText(id));
        if (locked.empty())
            return answer(scimError(404, QStringLiteral("no such %1").arg(kind.noun)));
        if (etagOf(locked[0][0].as<qint64>()) != expected)
            return answer(scimError(409, QStringLiteral("the %1 changed while this request was "
                                                        "processed; send it again")
                                             .arg(kind.noun)));
        return write(call, kind, tx, id, *next, false);
    });
}

ScimHttpResponse replaceResource(const Call &call, const Kind &kind, const QUuid &id)
{
    auto body = parseBody(call.request);
    if (!body) {
        recordRefusal(call, QStringLiteral("scim.") + kind.noun + QStringLiteral(".replace"),
                      kind.target + id.toString(QUuid::WithoutBraces), body.error());
        return answer(body.error());
    }
    return modifyResource(call, kind, id, QStringLiteral("replace"),
                          [&](const QJsonObject &current) {
                              return scim::normaliseResource(
                                  kind.schema, *body, scim::NormaliseMode::Replace, &current);
                          });
}

ScimHttpResponse patchResource(const Call &call, const Kind &kind, const QUuid &id)
{
    auto body = parseBody(call.request);
    ScimResult<scim::PatchRequest> patch =
        body ? scim::parsePatchRequest(*body) : ScimResult<scim::PatchRequest>(body.error());
    if (!patch) {
        recordRefusal(call, QStringLiteral("scim.") + kind.noun + QStringLiteral(".patch"),
                      kind.target + id.toString(QUuid::WithoutBraces), patch.error());
        return answer(patch.error());
    }
    return modifyResource(call, kind, id, QStringLiteral("patch"), [&](const QJsonObject &current) {
        return scim::applyPatch(kind.schema, current, *patch);
    });
}

ScimHttpResponse deleteResource(const Call &call, const Kind &kind, const QUuid &id)
{
    const QString target = kind.target + id.toString(QUuid::WithoutBraces);
    const QString action = QStringLiteral("scim.") + kind.noun + QStringLiteral(".delete");
    // Existence and version first: deleting what is not there is a 404, not an event.
    ScimHttpResponse checked = call.run([&](tenancy::TenantTransaction &tx) {
        const std::optional<Stored> stored = load(tx, kind, id, call.baseUrl());
        if (!stored)
            return answer(scimError(404, QStringLiteral("no such %1").arg(kind.noun)));
        if (!call.request.ifMatch.isEmpty() &&
            !anyEtagMatches(call.request.ifMatch, stored->version))
            return answer(scimError(412, QStringLiteral("the %1 has changed since that version "
                                                        "(If-Match)")
                                             .arg(kind.noun)));
        ScimHttpResponse ok;
        ok.status = 204;
        return ok;
    });
    if (checked.status != 204)
        return checked;
    return call.recorded(call.event(action, target), [&](tenancy::TenantTransaction &tx) {
        ScimHttpResponse done;
        done.status = 204;
        if (&kind == &userKind()) {
            // The row stays (coaching data refers to it); the user is gone for SCIM, cannot
            // sign in, and leaves every group.
            const auto changed =
                tx.exec("UPDATE users SET deprovisioned_at = now(), active = false,"
                        " version = version + 1, updated_at = now()"
                        " WHERE id = $1::uuid AND deprovisioned_at IS NULL",
                        uuidText(id));
            if (changed.affected_rows() == 0)
                return answer(scimError(404, QStringLiteral("no such user")));
            tx.exec("WITH removed AS (DELETE FROM scim_group_members WHERE user_id = $1::uuid"
                    " RETURNING group_id) UPDATE scim_groups SET version = version + 1,"
                    " updated_at = now() WHERE id IN (SELECT group_id FROM removed)",
                    uuidText(id));
        } else {
            const auto changed =
                tx.exec("DELETE FROM scim_groups WHERE id = $1::uuid", uuidText(id));
            if (changed.affected_rows() == 0)
                return answer(scimError(404, QStringLiteral("no such group")));
        }
        return done;
    });
}

ScimHttpResponse methodNotAllowed()
{
    return answer(scimError(405, QStringLiteral("this endpoint does not support that method")));
}

} // namespace

ScimHttpResponse ScimService::handle(const ScimHttpRequest &request)
{
    const QString endpoint = request.path.value(0);
    const bool discovery = endpoint == QLatin1String("ServiceProviderConfig") ||
                           endpoint == QLatin1String("Schemas") ||
                           endpoint == QLatin1String("ResourceTypes");
    const bool isRead = request.method == "GET";
    if (request.path.size() > 2)
        return answer(scimError(404, QStringLiteral("no such endpoint")));

    auto tenant = m_registry.get(request.tenant);
    if (discovery) {
        // Discovery needs no token (RFC 7644 §4 leaves it open; IdPs probe it before setup),
        // but the tenant must exist.
        if (!tenant)
            return answer(tenant.error().code == ErrorCode::NotFound
                              ? scimError(404, QStringLiteral("no such tenant"))
                              : fromError(tenant.error()));
        if (!isRead)
            return methodNotAllowed();
        const std::vector<const scim::ResourceSchema *> types{&scim::userSchema(),
                                                              &scim::groupSchema()};
        ScimHttpResponse response;
        if (endpoint == QLatin1String("ServiceProviderConfig")) {
            if (request.path.size() > 1)
                return answer(scimError(404, QStringLiteral("no such endpoint")));
            response.body = serviceProviderConfig(request.baseUrl);
            return response;
        }
        const QJsonObject list = endpoint == QLatin1String("Schemas")
                                     ? scim::schemasListResponse(types, request.baseUrl)
                                     : scim::resourceTypesListResponse(types, request.baseUrl);
        if (request.path.size() == 2)
            return discoveryItem(list, request.path.at(1));
        response.body = list;
        return response;
    }

    // One answer for a missing, wrong or other tenant's token, and for an unknown tenant.
    std::optional<QUuid> owner;
    if (!request.bearerToken.isEmpty()) {
        auto verified = m_store.verifyScimToken(request.bearerToken);
        if (verified)
            owner = *verified;
        else if (verified.error().code == ErrorCode::Unavailable)
            return answer(fromError(verified.error()));
    }
    if (!tenant || !owner || *owner != tenant->id) {
        if (!isRead) {
            compliance::AuditRecord record;
            record.actor = QStringLiteral("anonymous");
            record.sourceIp = request.caller.sourceIp;
            record.requestId = request.caller.requestId;
            record.tenant = tenant ? tenant->slug : QString();
            record.action = QStringLiteral("scim.request");
            record.outcome = QStringLiteral("denied");
            record.details = QJsonObject{
                {QStringLiteral("method"), QString::fromLatin1(request.method.left(10))},
                {QStringLiteral("reason"), request.bearerToken.isEmpty()
                                               ? QStringLiteral("no bearer token")
                                               : QStringLiteral("token refused")}};
            (void)compliance::recordAndWait(m_audit, record);
        }
        return answer(unauthorized());
    }

    const Call call{request, *tenant, m_sessions, m_quota, m_audit};
    const Kind *kind = endpoint == QLatin1String("Users")    ? &userKind()
                       : endpoint == QLatin1String("Groups") ? &groupKind()
                                                             : nullptr;
    if (!kind)
        return answer(scimError(
            endpoint == QLatin1String("Bulk") || endpoint == QLatin1String("Me") ? 501 : 404,
            QStringLiteral("no such endpoint (this service offers Users, "
                           "Groups, ServiceProviderConfig, Schemas and "
                           "ResourceTypes)")));
    if (request.path.size() == 1) {
        if (isRead)
            return listResources(call, *kind);
        if (request.method == "POST")
            return createResource(call, *kind);
        return methodNotAllowed();
    }
    const std::optional<QUuid> id = resourceId(request.path.at(1));
    if (!id)
        return answer(scimError(404, QStringLiteral("no such %1").arg(kind->noun)));
    if (isRead)
        return getResource(call, *kind, *id);
    ScimHttpResponse response;
    if (request.method == "PUT")
        response = replaceResource(call, *kind, *id);
    else if (request.method == "PATCH")
        response = patchResource(call, *kind, *id);
    else if (request.method == "DELETE")
        response = deleteResource(call, *kind, *id);
    else
        return methodNotAllowed();
    // A user deleted or deactivated loses its sessions at once (the hook revokes them).
    const bool deprovisioned =
        kind == &userKind() &&
        ((request.method == "DELETE" && response.status == 204) ||
         (response.status == 200 &&
          response.body.value(QStringLiteral("active")) == QJsonValue(false)));
    if (deprovisioned && m_deprovisioned)
        m_deprovisioned(tenant->id, tenant->slug, id->toString(QUuid::WithoutBraces));
    return response;
}

} // namespace upcoach::identity
