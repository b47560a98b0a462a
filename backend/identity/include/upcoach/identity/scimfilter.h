// SCIM 2.0 filters (RFC 7644 §3.4.2.2): the parser, the schema check and an evaluator over
// QJsonObject resources. The SQL compiler (scimsql.h) and PATCH (scimpatch.h) build on these.
//
// Parsing needs no schema: a filter naming an attribute the schema lacks parses, and fails with
// invalidFilter (naming it) when validated, evaluated or compiled. Hostile input is bounded:
// at most kMaxFilterBytes UTF-8 bytes, kMaxFilterDepth nested groups (parentheses, not(…),
// valuePath brackets), kMaxFilterComparisons comparisons; recursion is bounded by the depth
// limit. Every failure is invalidFilter with the 0-based UTF-16 position in the detail.
//
// Semantics shared by the evaluator and the SQL compiler (document changes in both):
// - operators, attribute names and and/or/not are case-insensitive; not > and > or; "not" must
//   be followed by a parenthesised filter, as in the ABNF.
// - strings compare case-insensitively (lower-casing both sides) unless the attribute is
//   caseExact; gt/ge/lt/le on strings compare code points after that.
// - dateTime compares instants; integer/decimal compare numerically; boolean allows eq/ne only
//   ("true"/"false" strings are accepted as booleans); co/sw/ew need string or reference;
//   complex attributes allow only pr, except that a multi-valued complex attribute with a
//   "value" sub-attribute compares that ("emails co x" means emails.value co x).
// - a multi-valued attribute matches if any of its values matches.
// - "ne" is the complement of "eq": true when no value equals the operand, including when the
//   attribute is absent. "eq null" means "not present", "ne null" means "present".
// - "pr" is false for absent, null, "", [] and {}.
// - valuePath "emails[type eq "work" and value co "@x"]" matches if one value satisfies the
//   whole inner filter; inner paths are sub-attributes of the outer attribute. valuePaths do not
//   nest.
#pragma once

#include "upcoach/identity/scimerror.h"
#include "upcoach/identity/scimschema.h"

#include <QByteArrayView>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringView>
#include <optional>
#include <vector>

namespace upcoach::identity::scim {

inline constexpr int kMaxFilterBytes = 4096;
inline constexpr int kMaxFilterDepth = 32;
inline constexpr int kMaxFilterComparisons = 200;

enum class CompareOp
{
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
    Pr,
};
QString compareOpName(CompareOp op); // "eq", …

struct FilterNode
{
    enum class Kind
    {
        Compare,   // path op value, or path pr
        And,       // children: 2 or more
        Or,        // children: 2 or more
        Not,       // children: 1
        ValuePath, // path[children[0]]
    };
    Kind kind = Kind::Compare;
    int position = 0; // where the node starts in the filter text
    AttributePath path;
    CompareOp op = CompareOp::Pr;
    QJsonValue value;   // the operand: string, number (double), bool or null
    QString numberText; // a number operand as written (for SQL parameters)
    std::vector<FilterNode> children;
};

struct Filter
{
    FilterNode root;
    int comparisons = 0;
};

// Parse a filter. The UTF-8 overload rejects invalid UTF-8 (a query parameter as received).
ScimResult<Filter> parseFilter(QStringView text);
ScimResult<Filter> parseFilter(QByteArrayView utf8);

// A PATCH path (RFC 7644 §3.5.2): attrPath, optionally "[valFilter]" and then ".subAttr".
// Errors are invalidPath.
struct PatchPath
{
    AttributePath path;                // urn, attribute, sub-attribute (when no filter)
    std::optional<Filter> valueFilter; // attr[filter]
    QString filterSubAttribute;        // attr[filter].sub
};
ScimResult<PatchPath> parsePatchPath(QStringView text);

// How a comparison lands in the schema, shared by the evaluator and the SQL compiler.
struct FilterTarget
{
    // Resource scope: the attribute and (possibly implicit) sub-attribute. Inside a valuePath:
    // attribute is the valuePath's attribute and subAttribute the one compared.
    ResolvedAttribute resolved;
    // The attribute whose values are compared; nullptr for "pr" on a complex attribute itself.
    const AttributeSchema *leaf = nullptr;
    bool implicitValue = false; // "emails co x" → emails.value
    // The operand converted to the leaf's type: bool for booleans, canonical dateTime string,
    // double for numbers, string; null for "eq null"/"ne null"; undefined for pr.
    QJsonValue operand;
};
// `valuePathParent` is the attribute of an enclosing valuePath (nullptr at resource scope).
ScimResult<FilterTarget> resolveFilterTarget(const FilterNode &comparison,
                                             const ResourceSchema &schema,
                                             const AttributeSchema *valuePathParent = nullptr);
// The attribute of a ValuePath node: must be complex and name no sub-attribute.
ScimResult<ResolvedAttribute> resolveValuePath(const FilterNode &valuePath,
                                               const ResourceSchema &schema);

// Checks every path, operator and operand against the schema (invalidFilter naming the path).
ScimStatus validateFilter(const Filter &filter, const ResourceSchema &schema);
// validateFilter, then evaluation.
ScimResult<bool> evaluateFilter(const Filter &filter, const ResourceSchema &schema,
                                const QJsonObject &resource);
// Evaluation of a filter validateFilter accepted (invalid parts evaluate to false); for many
// resources.
bool matchesFilter(const Filter &filter, const ResourceSchema &schema, const QJsonObject &resource);

// Value filters (the inside of a valuePath or a PATCH path's brackets): paths are sub-attributes
// of `attribute`, evaluated against one value of it.
ScimStatus validateValueFilter(const Filter &filter, const ResourceSchema &schema,
                               const AttributeSchema &attribute);
bool matchesValueFilter(const Filter &filter, const ResourceSchema &schema,
                        const AttributeSchema &attribute, const QJsonValue &value);

} // namespace upcoach::identity::scim
