-- The tamper-evident audit log (backend/compliance/README.md, "Audit log storage").
--
-- audit_events holds one row per event; sequence is the Merkle leaf index (0, 1, 2, ... with no
-- gap) and leaf_hash = SHA-256(0x00 || ua1 canonical bytes). details is the canonical JSON text
-- exactly as hashed (jsonb would reorder it). audit_nodes keeps the roots of the perfect subtrees
-- of level >= 4 (16 leaves and up), so a proof costs O(log n) reads. audit_head is the one row
-- every writer locks: the tree size and frontier after the last committed batch. Nothing here is
-- ever updated or deleted, except audit_head (by writers) and audit_events rows of an expired
-- segment (only inside audit_purge_segment, after a purge record was signed).

GRANT SELECT, INSERT, UPDATE ON api_tokens TO upcoach_app;

CREATE TABLE audit_events (
    sequence       bigint PRIMARY KEY CHECK (sequence >= 0),
    id             uuid NOT NULL UNIQUE,
    occurred_at    timestamptz NOT NULL,
    actor          text NOT NULL,
    impersonator   text NOT NULL,
    tenant         text NOT NULL,
    action         text NOT NULL,
    target         text NOT NULL,
    outcome        text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
    source_ip      text NOT NULL,
    request_id     text NOT NULL,
    classification text NOT NULL,
    details        text NOT NULL,
    leaf_hash      bytea NOT NULL CHECK (octet_length(leaf_hash) = 32)
);
CREATE INDEX audit_events_time ON audit_events (occurred_at, sequence);
CREATE INDEX audit_events_tenant ON audit_events (tenant, sequence);

CREATE TABLE audit_nodes (
    level smallint NOT NULL CHECK (level BETWEEN 1 AND 63),
    idx   bigint NOT NULL CHECK (idx >= 0),
    hash  bytea NOT NULL CHECK (octet_length(hash) = 32),
    PRIMARY KEY (level, idx)
);

CREATE TABLE audit_head (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    tree_size  bigint NOT NULL CHECK (tree_size >= 0),
    root_hash  bytea NOT NULL CHECK (octet_length(root_hash) = 32),
    -- the frontier, lowest level first, 32 bytes per set bit of tree_size
    frontier   bytea NOT NULL CHECK (octet_length(frontier) % 32 = 0),
    last_time  timestamptz
);
INSERT INTO audit_head (tree_size, root_hash, frontier)
VALUES (0, sha256(''::bytea), ''::bytea);

CREATE TABLE audit_signing_keys (
    key_id     bytea PRIMARY KEY CHECK (octet_length(key_id) = 32), -- SHA-256 of public_key
    public_key bytea NOT NULL CHECK (octet_length(public_key) = 32), -- raw Ed25519
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_tree_heads (
    tree_size  bigint PRIMARY KEY CHECK (tree_size > 0),
    signed_at  timestamptz NOT NULL,
    root_hash  bytea NOT NULL CHECK (octet_length(root_hash) = 32),
    signature  bytea NOT NULL CHECK (octet_length(signature) = 64),
    key_id     bytea NOT NULL REFERENCES audit_signing_keys (key_id)
);

-- How long events are kept, per classification ('*' = every other one). Only the owner changes
-- it; HIPAA-related classes (phi-*, hipaa-*) keep at least 6 years and purge records forever.
CREATE TABLE audit_retention (
    classification text PRIMARY KEY,
    retain         interval NOT NULL CHECK (retain > interval '0'),
    CHECK (NOT (classification LIKE 'phi-%' OR classification LIKE 'hipaa%')
           OR retain >= interval '6 years'),
    CHECK (classification <> 'audit-retention' OR retain >= interval '1000 years')
);
INSERT INTO audit_retention (classification, retain) VALUES
    ('*', interval '1 year'),
    ('security', interval '1 year'),
    ('config-change', interval '1 year'),
    ('phi-access', interval '6 years'),
    ('phi-disclosure', interval '6 years'),
    ('audit-retention', interval '1000 years');

CREATE TABLE audit_purged_segments (
    segment               bigint PRIMARY KEY CHECK (segment >= 0),
    first_sequence        bigint NOT NULL,
    last_sequence         bigint NOT NULL,
    leaf_hashes           bytea NOT NULL,   -- every leaf of the segment, 32 bytes each, in order
    segment_root          bytea NOT NULL CHECK (octet_length(segment_root) = 32),
    purge_record_sequence bigint NOT NULL,
    purged_at             timestamptz NOT NULL DEFAULT now(),
    CHECK (octet_length(leaf_hashes) = 32 * (last_sequence - first_sequence + 1))
);

-- Segments are aligned runs of this many events (a power of two, so a segment is a perfect
-- subtree of the Merkle tree and its root is a stored node).
CREATE FUNCTION audit_segment_size() RETURNS bigint
    LANGUAGE sql IMMUTABLE AS $$ SELECT 4096::bigint $$;

CREATE FUNCTION audit_retention_for(p_classification text) RETURNS interval
    LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN p_classification = 'audit-retention' THEN interval '1000 years'
        WHEN p_classification LIKE 'phi-%' OR p_classification LIKE 'hipaa%'
            THEN greatest(r.retain, interval '6 years')
        ELSE r.retain END
    FROM (SELECT coalesce(
              (SELECT retain FROM audit_retention WHERE classification = p_classification),
              (SELECT retain FROM audit_retention WHERE classification = '*'),
              interval '1000 years') AS retain) r
$$;

-- Rejects every change to the append-only tables. The one exception: audit_purge_segment
-- deleting the events of an expired segment (it sets upcoach.audit_purge for its transaction;
-- only the owner can run DELETE at all).
CREATE FUNCTION audit_reject_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_events'
       AND current_setting('upcoach.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_nodes_append_only BEFORE UPDATE OR DELETE ON audit_nodes
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_nodes_no_truncate BEFORE TRUNCATE ON audit_nodes
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_tree_heads_append_only BEFORE UPDATE OR DELETE ON audit_tree_heads
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_tree_heads_no_truncate BEFORE TRUNCATE ON audit_tree_heads
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_purged_append_only BEFORE UPDATE OR DELETE ON audit_purged_segments
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_purged_no_truncate BEFORE TRUNCATE ON audit_purged_segments
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_keys_append_only BEFORE UPDATE OR DELETE ON audit_signing_keys
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_head_kept BEFORE DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();

-- Deletes the events of one whole expired segment after checking, in the database, everything
-- that makes it legitimate: the purge record at p_record_sequence names exactly this segment and
-- its root, a signed tree head covers that record, every event of the segment is past its
-- classification's retention, and the segment is complete. The leaf hashes stay (in
-- audit_purged_segments), so the tree and every proof remain computable.
CREATE FUNCTION audit_purge_segment(p_segment bigint, p_record_sequence bigint) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_size   bigint := audit_segment_size();
    v_first  bigint := p_segment * audit_segment_size();
    v_last   bigint := (p_segment + 1) * audit_segment_size() - 1;
    v_record audit_events%ROWTYPE;
    v_details jsonb;
    v_root   bytea;
    v_leaves bytea;
    v_count  bigint;
BEGIN
    SELECT * INTO v_record FROM audit_events WHERE sequence = p_record_sequence;
    IF NOT FOUND OR v_record.action <> 'audit.retention.purge'
       OR v_record.classification <> 'audit-retention' OR p_record_sequence <= v_last THEN
        RAISE EXCEPTION 'audit purge of segment %: sequence % is not its purge record',
            p_segment, p_record_sequence USING ERRCODE = 'check_violation';
    END IF;
    v_details := v_record.details::jsonb;
    IF (v_details->>'segment')::bigint IS DISTINCT FROM p_segment
       OR (v_details->>'firstSequence')::bigint IS DISTINCT FROM v_first
       OR (v_details->>'lastSequence')::bigint IS DISTINCT FROM v_last THEN
        RAISE EXCEPTION 'audit purge of segment %: the purge record names another range', p_segment
            USING ERRCODE = 'check_violation';
    END IF;
    v_root := decode(v_details->>'segmentRoot', 'hex');
    IF v_root IS DISTINCT FROM (SELECT hash FROM audit_nodes
                                WHERE level = 12 AND idx = p_segment AND v_size = 4096) THEN
        RAISE EXCEPTION 'audit purge of segment %: the purge record''s root is not the segment''s',
            p_segment USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM audit_tree_heads WHERE tree_size > p_record_sequence) THEN
        RAISE EXCEPTION 'audit purge of segment %: no signed tree head covers the purge record yet',
            p_segment USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF EXISTS (SELECT 1 FROM audit_events
               WHERE sequence BETWEEN v_first AND v_last
                 AND occurred_at + audit_retention_for(classification) > now()) THEN
        RAISE EXCEPTION 'audit purge of segment %: not every event has expired', p_segment
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT count(*), string_agg(leaf_hash, ''::bytea ORDER BY sequence)
      INTO v_count, v_leaves
      FROM audit_events WHERE sequence BETWEEN v_first AND v_last;
    IF v_count <> v_size THEN
        RAISE EXCEPTION 'audit purge of segment %: % of % events present', p_segment, v_count, v_size
            USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO audit_purged_segments
        (segment, first_sequence, last_sequence, leaf_hashes, segment_root, purge_record_sequence)
    VALUES (p_segment, v_first, v_last, v_leaves, v_root, p_record_sequence);
    PERFORM set_config('upcoach.audit_purge', 'on', true);
    DELETE FROM audit_events WHERE sequence BETWEEN v_first AND v_last;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    PERFORM set_config('upcoach.audit_purge', 'off', true);
    RETURN v_count;
END
$$;

-- The application's role appends and reads; it cannot change or remove anything.
REVOKE ALL ON audit_events, audit_nodes, audit_head, audit_signing_keys, audit_tree_heads,
    audit_retention, audit_purged_segments FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_purge_segment(bigint, bigint) FROM PUBLIC;
GRANT SELECT, INSERT ON audit_events, audit_nodes, audit_signing_keys, audit_tree_heads
    TO upcoach_app;
GRANT SELECT, UPDATE ON audit_head TO upcoach_app;
GRANT SELECT ON audit_retention, audit_purged_segments TO upcoach_app;
GRANT EXECUTE ON FUNCTION audit_purge_segment(bigint, bigint) TO upcoach_app;
