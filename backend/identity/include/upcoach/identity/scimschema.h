// SCIM 2.0 resource schemas (RFC 7643): the one description of User (+ the enterprise extension)
// and Group from which the /Schemas and /ResourceTypes documents, attribute-path resolution,
// filter evaluation, SQL compilation and POST/PUT/PATCH validation are all derived.
// Pure and thread-safe: the schemas are immutable statics built on first use.
#pragma once

#include "upcoach/identity/scimerror.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <optional>
#include <vector>

namespace upcoach::identity::scim {

inline constexpr char16_t kUserSchemaUrn[] = u"urn:ietf:params:scim:schemas:core:2.0:User";
inline constexpr char16_t kGroupSchemaUrn[] = u"urn:ietf:params:scim:schemas:core:2.0:Group";
inline constexpr char16_t kEnterpriseUserSchemaUrn[] =
    u"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
inline constexpr char16_t kPatchOpUrn[] = u"urn:ietf:params:scim:api:messages:2.0:PatchOp";
inline constexpr char16_t kListResponseUrn[] =
    u"urn:ietf:params:scim:api:messages:2.0:ListResponse";
inline constexpr char16_t kErrorUrn[] = u"urn:ietf:params:scim:api:messages:2.0:Error";

// Value limits enforced by normaliseResource (UTF-16 code units / values).
inline constexpr int kMaxStringLength = 1024;
inline constexpr int kMaxUserNameLength = 256;
inline constexpr int kMaxMultiValues = 100;
inline constexpr int kMaxGroupMembers = 50000;

enum class AttributeType
{
    String,
    Boolean,
    Decimal,
    Integer,
    DateTime,
    Reference,
    Complex,
};
enum class Mutability
{
    ReadOnly,
    ReadWrite,
    Immutable,
    WriteOnly,
};
enum class Returned
{
    Always,
    Never,
    Default,
    Request,
};
enum class Uniqueness
{
    None,
    Server,
    Global,
};

QString attributeTypeName(AttributeType type); // "string", "dateTime", … as in RFC 7643 §7
QString mutabilityName(Mutability mutability);
QString returnedName(Returned returned);
QString uniquenessName(Uniqueness uniqueness);

struct AttributeSchema
{
    QString name; // canonical casing
    AttributeType type = AttributeType::String;
    bool multiValued = false;
    bool required = false;
    bool caseExact = false;
    Mutability mutability = Mutability::ReadWrite;
    Returned returned = Returned::Default;
    Uniqueness uniqueness = Uniqueness::None;
    QString description;
    QStringList canonicalValues;
    QStringList referenceTypes;
    std::vector<AttributeSchema> subAttributes; // complex only; never complex themselves
    int maxLength = kMaxStringLength;           // strings and references
    int maxValues = kMaxMultiValues;            // multi-valued only
    // Multi-valued complex values are identified by their "value" sub-attribute (group members,
    // a user's groups): PATCH add skips a value whose "value" is already present, and PATCH
    // remove with a value list removes by "value". Otherwise only exact duplicates are skipped.
    bool identifiedByValue = false;

    // Case-insensitive (RFC 7643 §2.1); nullptr if there is none.
    const AttributeSchema *subAttribute(QStringView subName) const;
    bool isComplex() const { return type == AttributeType::Complex; }
};

struct SchemaDefinition
{
    QString id; // the URN
    QString name;
    QString description;
    std::vector<AttributeSchema> attributes;

    const AttributeSchema *attribute(QStringView attributeName) const;
};

struct SchemaExtension
{
    SchemaDefinition schema;
    bool required = false;
};

// An attribute path as written: optional schema URN, attribute, optional sub-attribute.
struct AttributePath
{
    QString urn; // empty when not given
    QString attribute;
    QString subAttribute; // empty when not given

    QString toString() const; // as written (urn:…:attr.sub)
};

// Where a path points in a ResourceSchema.
struct ResolvedAttribute
{
    const AttributeSchema *attribute = nullptr;
    const AttributeSchema *subAttribute = nullptr; // when the path names one
    QString extensionUrn; // set when the attribute lives in an extension (resource[urn][name])

    const AttributeSchema &leaf() const { return subAttribute ? *subAttribute : *attribute; }
    // Canonical path: "userName", "name.familyName", "emails.value",
    // "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value".
    QString canonicalPath() const;
};

struct ResourceSchema
{
    QString id; // "User", "Group": the resource type name and meta.resourceType
    QString endpoint;
    QString description;
    SchemaDefinition core;
    std::vector<SchemaExtension> extensions;
    // The common attributes of RFC 7643 §3.1 (id, externalId, meta). Resolved like core
    // attributes but not listed in /Schemas, as in RFC 7643 §8.7.
    std::vector<AttributeSchema> common;

    // Resolves a path case-insensitively; a URN must be the core schema's or an extension's.
    // nullopt if the path names nothing (the caller picks the scimType).
    std::optional<ResolvedAttribute> resolve(const AttributePath &path) const;
    const SchemaExtension *extension(QStringView urn) const; // case-insensitive
    // Core, common and extension attributes in that order.
    std::vector<ResolvedAttribute> topLevelAttributes() const;
};

const ResourceSchema &userSchema();
const ResourceSchema &groupSchema();

// Splits "urn:…:User:name.givenName" / "emails.value" into an AttributePath; no validation of
// the names beyond the split. A string that is exactly a known schema URN yields an empty
// attribute with urn set.
AttributePath splitAttributePath(QStringView text);

// RFC 7643 §7 schema representation, with meta.location = baseUrl + "/Schemas/" + id.
QJsonObject schemaJson(const SchemaDefinition &schema, const QString &baseUrl);
// RFC 7643 §6 resource type representation.
QJsonObject resourceTypeJson(const ResourceSchema &resource, const QString &baseUrl);
// GET /Schemas and GET /ResourceTypes bodies (RFC 7644 §4) for the given resource types: a
// ListResponse without paging. Each schema appears once even if shared.
QJsonObject schemasListResponse(const std::vector<const ResourceSchema *> &resources,
                                const QString &baseUrl);
QJsonObject resourceTypesListResponse(const std::vector<const ResourceSchema *> &resources,
                                      const QString &baseUrl);

// xsd:dateTime as SCIM uses it ("2011-05-13T04:42:34Z", fractions, ±hh:mm offsets). A value
// without offset is taken as UTC. Invalid → an invalid QDateTime.
QDateTime parseDateTime(QStringView text);
// Canonical output: UTC, "Z", milliseconds only when not zero.
QString formatDateTime(const QDateTime &instant);

// Case-insensitive member lookup: the exact key first, then a scan. Undefined when absent.
QJsonValue valueForKey(const QJsonObject &object, QStringView key);
// The JSON member name actually used for `key` in `object` (case-insensitive); empty if none.
QString actualKey(const QJsonObject &object, QStringView key);
// The value of a top-level attribute in a resource (core/common at the top, extension attributes
// under their URN). Undefined when absent.
QJsonValue attributeValue(const QJsonObject &resource, const ResolvedAttribute &attribute);

// RFC 7643 "null", "", [] and {} are unassigned values.
bool isUnassigned(const QJsonValue &value);

enum class NormaliseMode
{
    Create,  // POST
    Replace, // PUT, and the re-validation after PATCH
};

// Validates a POST/PUT body and returns the resource in canonical form:
// - `schemas` must list the core URN; extension attributes need their URN listed (a listed
//   extension without attributes is accepted and dropped from the output); unknown URNs are
//   invalidValue.
// - every member must be a known attribute (invalidSyntax naming it), keys are matched
//   case-insensitively and written back in canonical casing; a key given twice in different
//   casing is invalidSyntax. Types are checked (invalidValue naming the path); for boolean
//   attributes the strings "true"/"false" (any case) are accepted, as Entra ID sends them;
//   dateTime values are written back canonical (formatDateTime).
// - null, "" for non-strings, [] and {} mean unassigned and are dropped.
// - readOnly attributes and sub-attributes in the input are ignored; in Replace mode the
//   top-level readOnly attributes of `existing` (id, meta, groups) are carried into the output.
// - Replace mode: an immutable attribute that `existing` has may not change (mutability); if the
//   input omits it, the existing value is kept. Immutable sub-attributes of multi-valued
//   attributes (members.value) are not compared: values can be added and removed as a whole.
// - required attributes and required sub-attributes must be present (invalidValue).
// - at most one value per multi-valued attribute with primary true (invalidValue); strings at
//   most maxLength (userName 256, others 1024), at most maxValues values (100; group members
//   50,000) → invalidValue.
// Uniqueness (userName, externalId) is the store's job (409 uniqueness).
ScimResult<QJsonObject> normaliseResource(const ResourceSchema &schema, const QJsonObject &input,
                                          NormaliseMode mode,
                                          const QJsonObject *existing = nullptr);

// The canonical scalar value of one simple attribute, type-checked as normaliseResource does.
// `path` names the attribute in the error.
ScimResult<QJsonValue> normaliseScalar(const AttributeSchema &attribute, const QJsonValue &value,
                                       const QString &path);

} // namespace upcoach::identity::scim
