# SCIM: filters (RFC 7644 examples, precedence, evaluation over sample users, SQL text and
# parameters), schemas and validation, PATCH (RFC and Entra ID bodies, 10k-member groups), and
# the attack suite (oversized, deeply nested, injection-shaped and malformed filters).
upcoach_add_test(test_scim_filter LABEL unit SOURCES test_scim_filter.cpp
  LIBS upcoach_scim_core)
upcoach_add_test(test_scim_patch LABEL unit SOURCES test_scim_patch.cpp LIBS upcoach_scim_core)
upcoach_add_test(test_scim_filter_attacks LABEL security SOURCES test_scim_filter_attacks.cpp
  LIBS upcoach_scim_core)
