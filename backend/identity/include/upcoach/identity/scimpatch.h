// SCIM 2.0 PATCH (RFC 7644 §3.5.2): parsing the PatchOp body and applying it to a resource.
// Pure: the caller loads the resource, applies, and stores the result (with its own If-Match /
// version check and the uniqueness checks of the store).
//
// Paths: "attr", "attr.sub", "attr[filter]", "attr[filter].sub", each optionally prefixed with a
// schema URN, or exactly an extension URN (its attributes as an object value). Without a path,
// add/replace take an object whose members are attributes — or paths, as Entra ID sends
// ("name.givenName", "urn:…:enterprise:2.0:User:department") — or an extension URN with an
// object; readOnly members of such an object are ignored, as in POST/PUT.
//
// Semantics (all operations or none: the first error returns and nothing is applied):
// - add: multi-valued → appends, skipping duplicates (exact, or by "value" for members/groups);
//   complex → merges sub-attributes; simple → sets. attr[filter].sub with no matching value
//   appends a new value built from the filter's eq terms and the sub-attribute (Entra's
//   emails[type eq "work"].value), if the filter is a conjunction of eq; otherwise noTarget.
// - replace: multi-valued without filter → replaces all values; with filter → replaces the
//   matching values (or their sub-attribute); complex → merges sub-attributes; null → remove.
// - remove: no path → noTarget; with filter → removes the matching values (or their
//   sub-attribute); "members" with a value list (Entra) → removes those members;
//   a required attribute → invalidValue.
// - a filter that matches no value on replace/remove → noTarget.
// - readOnly targets (id, meta, groups, manager.displayName) and changes to immutable values
//   (members' sub-attributes, immutable attributes already set) → mutability.
// - setting primary to true on a value sets it to false on the attribute's other values.
// - op names are case-insensitive ("Replace"); "True"/"False" strings are accepted for booleans.
// The result is re-validated with normaliseResource(…, Replace, &resource).
#pragma once

#include "upcoach/identity/scimerror.h"
#include "upcoach/identity/scimfilter.h"
#include "upcoach/identity/scimschema.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <optional>
#include <vector>

namespace upcoach::identity::scim {

inline constexpr int kMaxPatchOperations = 1000;

enum class PatchOpType
{
    Add,
    Remove,
    Replace,
};

struct PatchOperation
{
    PatchOpType op = PatchOpType::Add;
    std::optional<PatchPath> path; // nullopt: no "path" member
    QString pathText;              // as sent, for error messages
    QJsonValue value;              // undefined when absent
};

struct PatchRequest
{
    std::vector<PatchOperation> operations;
};

// `schemas` must be exactly [PatchOp URN]; `Operations` 1..kMaxPatchOperations objects with
// "op" add/remove/replace (any case), an optional string "path", and "value" (required for add
// and replace). Malformed bodies are invalidSyntax, unparsable paths invalidPath.
ScimResult<PatchRequest> parsePatchRequest(const QJsonObject &body);

// Applies the operations in order to a copy of `resource` (a normalised resource of `schema`)
// and returns the re-validated result.
ScimResult<QJsonObject> applyPatch(const ResourceSchema &schema, const QJsonObject &resource,
                                   const PatchRequest &request);

} // namespace upcoach::identity::scim
