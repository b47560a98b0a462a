// SCIM filters, sortBy and paging compiled for PostgreSQL. Filter values only ever travel as
// parameters ($N); the SQL text is built from the store's mapping (trusted), the schema's
// attribute names and fixed keywords. No database access here: the SCIM store (sso part)
// appends the output to its own query and binds the parameters.
//
// The store describes where each filterable attribute lives:
//   SqlMapping map(userSchema());
//   map.addColumn(u"userName", u"user_name");                 // type, caseExact from the schema
//   map.addColumn(u"meta.lastModified", u"updated_at");
//   map.addColumn(u"name.familyName", u"family_name");
//   map.addJsonArray(u"emails", u"emails");                    // a JSONB array column
//   map.addColumn(u"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
//                 u"attributes->>'department'");
//   auto where = compileFilter(*parseFilter(text), map, 2);   // $1 is the tenant
//   "SELECT … WHERE tenant_id = $1 AND " + where->where
// Contract for the columns: single-valued attributes hold SQL NULL when unassigned; a JSONB array
// column holds an array of the normalised values (normaliseResource) or SQL NULL, never JSON
// null. Attributes without a mapping cannot be filtered or sorted on (invalidFilter naming them).
//
// The generated SQL agrees with the evaluator (scimfilter.h), including "ne" and "not" on
// absent attributes (NOT is compiled as NOT COALESCE(…, false)). Strings are compared with
// lower() unless caseExact; ordering comparisons on strings use COLLATE "C" (code point order,
// as the evaluator); co/sw/ew use LIKE with '\', '%' and '_' escaped in the parameter and
// ESCAPE E'\\'.
#pragma once

#include "upcoach/identity/scimerror.h"
#include "upcoach/identity/scimfilter.h"
#include "upcoach/identity/scimschema.h"

#include <QHash>
#include <QString>
#include <QStringView>
#include <QUrlQuery>
#include <optional>
#include <string>
#include <vector>

namespace upcoach::identity::scim {

// A single-valued attribute (or sub-attribute of a single-valued complex attribute) stored as a
// column or any SQL expression of the row. `type` decides the parameter cast (::boolean,
// ::numeric, ::timestamptz; text otherwise).
struct SqlColumn
{
    QString expression;
    AttributeType type = AttributeType::String;
    bool caseExact = false;
};

// A multi-valued complex attribute stored as a JSONB array of objects; sub-attributes are read
// with e->>'name' and typed from the schema.
struct SqlJsonArray
{
    QString column;
};

class SqlMapping
{
public:
    explicit SqlMapping(const ResourceSchema &schema)
        : m_schema(&schema)
    {}

    // `path` as in a filter ("userName", "name.familyName", "urn:…:User:manager.value"). The
    // first form takes type and caseExact from the schema. False if the path names nothing or
    // (addJsonArray) is not a multi-valued complex attribute — a programming error.
    bool addColumn(QStringView path, QStringView expression);
    bool addColumn(QStringView path, SqlColumn column);
    bool addJsonArray(QStringView path, QStringView column);

    const SqlColumn *column(const ResolvedAttribute &attribute) const;
    const SqlJsonArray *jsonArray(const ResolvedAttribute &attribute) const;
    const ResourceSchema &schema() const { return *m_schema; }

private:
    const ResourceSchema *m_schema;
    QHash<QString, SqlColumn> m_columns;       // lower-cased canonical path
    QHash<QString, SqlJsonArray> m_jsonArrays; // lower-cased canonical path
};

struct SqlFilter
{
    std::string where; // a boolean SQL expression, safe to AND with other conditions
    std::vector<std::optional<std::string>> params; // $firstParameter, $firstParameter+1, …
};

// Validates the filter against the mapping's schema and compiles it (invalidFilter on unknown or
// unmapped attributes and wrong operators).
ScimResult<SqlFilter> compileFilter(const Filter &filter, const SqlMapping &mapping,
                                    int firstParameter = 1);

// RFC 7644 §3.4.2.3: "userName" → "lower(user_name) ASC NULLS LAST". An empty sortBy gives an
// empty string (the store's default order). sortOrder: empty, "ascending" or "descending" (any
// case). A multi-valued attribute sorts by its primary value, else the first one. Unknown or
// unmapped attributes and other orders are 400 invalidValue. The result holds no parameters.
ScimResult<std::string> compileSortBy(QStringView sortBy, QStringView sortOrder,
                                      const SqlMapping &mapping);

// RFC 7644 §3.4.2.4 paging: startIndex (1-based, values below 1 are 1) and count (clamped to
// 0..maxResults, defaultCount when absent). Parameter names are matched case-insensitively;
// non-integers are 400 invalidValue.
struct Pagination
{
    qint64 startIndex = 1;
    int count = 0;
    qint64 offset() const { return startIndex - 1; } // for OFFSET
};
ScimResult<Pagination> parsePagination(const QUrlQuery &query, int defaultCount, int maxResults);

} // namespace upcoach::identity::scim
