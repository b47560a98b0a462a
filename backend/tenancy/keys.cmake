# upcoach_tenancy_keys: per-tenant envelope encryption (see README.md, "Keys").
