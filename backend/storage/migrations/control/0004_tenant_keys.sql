-- Per-tenant data keys for envelope encryption (backend/tenancy/KEYS.md).
--
-- tenant_data_keys holds every version of every tenant's data key, only ever wrapped by a key
-- provider (local keyring or PKCS#11 HSM) under the KEK (kek_id, kek_version) named in the row,
-- with associated data binding tenant_id and version. The highest version is current. Rows are
-- inserted by the application, re-wrapped in place after a KEK rotation (only the wrapping
-- columns change), and deleted only by tenant_keys_destroy (crypto-shredding), which records a
-- tombstone in tenant_key_shreds so the tenant never gets keys again.

CREATE TABLE tenant_data_keys (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    version      integer NOT NULL CHECK (version >= 1),
    wrapped_key  bytea NOT NULL CHECK (octet_length(wrapped_key) BETWEEN 16 AND 1024),
    kek_id       text NOT NULL CHECK (length(kek_id) BETWEEN 1 AND 200),
    kek_version  integer NOT NULL CHECK (kek_version >= 1),
    created_at   timestamptz NOT NULL DEFAULT now(),
    rewrapped_at timestamptz,
    PRIMARY KEY (tenant_id, version)
);
-- The re-wrap job looks for keys under an older KEK.
CREATE INDEX tenant_data_keys_kek ON tenant_data_keys (kek_id, kek_version);

CREATE TABLE tenant_key_shreds (
    tenant_id    uuid PRIMARY KEY REFERENCES tenants (id),
    destroyed_at timestamptz NOT NULL DEFAULT now(),
    key_versions integer NOT NULL CHECK (key_versions >= 0)
);

-- A shredded tenant never gets a data key again (values written under a new key would look
-- like the tenant's old data to a reader and mislead a later audit).
CREATE FUNCTION tenant_data_keys_refuse_shredded() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM tenant_key_shreds WHERE tenant_id = NEW.tenant_id) THEN
        RAISE EXCEPTION 'tenant %: its data keys were destroyed; it cannot get new ones',
            NEW.tenant_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER tenant_data_keys_not_shredded BEFORE INSERT ON tenant_data_keys
    FOR EACH ROW EXECUTE FUNCTION tenant_data_keys_refuse_shredded();

-- Crypto-shredding: deletes every wrapped data key of a tenant and records the tombstone, in
-- one transaction, serialized with key creation and rotation for the tenant by the same
-- advisory lock TenantKeyStore takes (class 740004, key hashtext(tenant id)). Idempotent: a
-- second call deletes nothing and keeps the first tombstone. Returns the number of versions
-- deleted. SECURITY DEFINER so the application can shred without holding DELETE on the table.
CREATE FUNCTION tenant_keys_destroy(p_tenant uuid) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_count integer;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM tenants WHERE id = p_tenant) THEN
        RAISE EXCEPTION 'tenant % does not exist', p_tenant USING ERRCODE = 'no_data_found';
    END IF;
    PERFORM pg_advisory_xact_lock(740004, hashtext(p_tenant::text));
    DELETE FROM tenant_data_keys WHERE tenant_id = p_tenant;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    INSERT INTO tenant_key_shreds (tenant_id, key_versions) VALUES (p_tenant, v_count)
        ON CONFLICT (tenant_id) DO NOTHING;
    RETURN v_count;
END
$$;

-- The application creates and reads keys and may change only the wrapping of a key (re-wrap);
-- it can neither delete nor truncate, nor alter a key's tenant, version or creation time.
-- Shredding goes through tenant_keys_destroy.
REVOKE ALL ON tenant_data_keys, tenant_key_shreds FROM PUBLIC;
REVOKE ALL ON FUNCTION tenant_keys_destroy(uuid) FROM PUBLIC;
GRANT SELECT, INSERT ON tenant_data_keys TO upcoach_app;
GRANT UPDATE (wrapped_key, kek_id, kek_version, rewrapped_at) ON tenant_data_keys TO upcoach_app;
GRANT SELECT ON tenant_key_shreds TO upcoach_app;
GRANT EXECUTE ON FUNCTION tenant_keys_destroy(uuid) TO upcoach_app;
