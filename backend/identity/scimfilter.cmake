# SCIM 2.0 without a database: the User/Group schemas (RFC 7643) and their /Schemas and
# /ResourceTypes documents, resource validation, the filter language (RFC 7644 §3.4.2.2) with
# an evaluator and a PostgreSQL compiler (parameters only), and PATCH (RFC 7644 §3.5.2).
# Included by CMakeLists.txt; the SCIM store and endpoints (sso part) build on it.
add_library(upcoach_scim_core STATIC
  include/upcoach/identity/scimerror.h
  include/upcoach/identity/scimschema.h
  include/upcoach/identity/scimfilter.h
  include/upcoach/identity/scimsql.h
  include/upcoach/identity/scimpatch.h
  src/scimschema.cpp
  src/scimfilter.cpp
  src/scimsql.cpp
  src/scimpatch.cpp
)
target_include_directories(upcoach_scim_core PUBLIC include)
target_link_libraries(upcoach_scim_core PUBLIC upcoach_core)
upcoach_strict(upcoach_scim_core)
