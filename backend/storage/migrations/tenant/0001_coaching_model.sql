-- The coaching data model every tenant placement holds (backend/tenancy/README.md). The same
-- migrations build the shared RLS schema (tenant_shared in each regional database), every
-- schema-per-tenant schema (t_<id>) and the database-per-tenant template (tenant_data): the
-- runner sets search_path to the target schema, so names here are never schema-qualified.
--
-- Every table carries tenant_id, has row-level security enabled AND forced, and one policy that
-- compares tenant_id with the transaction-local setting upcoach.tenant_id (set only by
-- TenantSession, with set_config(..., true)). Without that setting current_tenant_id() is NULL
-- and every policy is false: code without a tenant context reads nothing and writes nothing.
-- Foreign keys include tenant_id, so a row can never point at another tenant's row.

CREATE FUNCTION current_tenant_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('upcoach.tenant_id', true), '')::uuid $$;

CREATE TABLE users (
    tenant_id    uuid NOT NULL DEFAULT current_tenant_id(),
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    email        text NOT NULL CHECK (length(email) BETWEEN 3 AND 320 AND email LIKE '%_@_%'),
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    phone        text CHECK (phone IS NULL OR length(phone) <= 32),
    role         text NOT NULL CHECK (role IN ('coach', 'coachee', 'admin')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX users_email ON users (tenant_id, lower(email));

CREATE TABLE programs (
    tenant_id   uuid NOT NULL DEFAULT current_tenant_id(),
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '',
    starts_on   date,
    ends_on     date,
    created_by  uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id),
    CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
);

CREATE TABLE goals (
    tenant_id   uuid NOT NULL DEFAULT current_tenant_id(),
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL,
    program_id  uuid,
    title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'achieved', 'abandoned')),
    progress    smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    target_date date,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, program_id) REFERENCES programs (tenant_id, id)
);
CREATE INDEX goals_user ON goals (tenant_id, user_id);

CREATE TABLE habits (
    tenant_id  uuid NOT NULL DEFAULT current_tenant_id(),
    id         uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL,
    goal_id    uuid,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    cadence    text NOT NULL CHECK (cadence IN ('daily', 'weekly')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id)
);
CREATE INDEX habits_user ON habits (tenant_id, user_id);

CREATE TABLE habit_checkins (
    tenant_id  uuid NOT NULL DEFAULT current_tenant_id(),
    id         uuid NOT NULL DEFAULT gen_random_uuid(),
    habit_id   uuid NOT NULL,
    checked_on date NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, habit_id, checked_on),
    FOREIGN KEY (tenant_id, habit_id) REFERENCES habits (tenant_id, id)
);

CREATE TABLE coaching_sessions (
    tenant_id        uuid NOT NULL DEFAULT current_tenant_id(),
    id               uuid NOT NULL DEFAULT gen_random_uuid(),
    coach_id         uuid NOT NULL,
    coachee_id       uuid NOT NULL,
    program_id       uuid,
    scheduled_at     timestamptz NOT NULL,
    duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
    status           text NOT NULL DEFAULT 'scheduled'
                     CHECK (status IN ('scheduled', 'completed', 'canceled', 'no-show')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, coach_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, coachee_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, program_id) REFERENCES programs (tenant_id, id)
);
CREATE INDEX coaching_sessions_coachee ON coaching_sessions (tenant_id, coachee_id, scheduled_at);
CREATE INDEX coaching_sessions_coach ON coaching_sessions (tenant_id, coach_id, scheduled_at);

-- Notes may hold PHI (phi = true); such bodies are stored field-encrypted by the application.
CREATE TABLE session_notes (
    tenant_id  uuid NOT NULL DEFAULT current_tenant_id(),
    id         uuid NOT NULL DEFAULT gen_random_uuid(),
    session_id uuid NOT NULL,
    author_id  uuid NOT NULL,
    body       text NOT NULL CHECK (length(body) <= 65536),
    phi        boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, session_id) REFERENCES coaching_sessions (tenant_id, id),
    FOREIGN KEY (tenant_id, author_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX session_notes_session ON session_notes (tenant_id, session_id);

CREATE TABLE messages (
    tenant_id    uuid NOT NULL DEFAULT current_tenant_id(),
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    sender_id    uuid NOT NULL,
    recipient_id uuid NOT NULL,
    body         text NOT NULL CHECK (length(body) <= 16384),
    sent_at      timestamptz NOT NULL DEFAULT now(),
    read_at      timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, sender_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, recipient_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX messages_recipient ON messages (tenant_id, recipient_id, sent_at);

-- A reporting function. SECURITY INVOKER (the default): it reads as its caller, so the
-- policies below apply inside it exactly as they do to a direct query.
CREATE FUNCTION goal_summary(p_user uuid)
    RETURNS TABLE (open_goals bigint, achieved_goals bigint, average_progress numeric)
    LANGUAGE sql STABLE
    AS $$
        SELECT count(*) FILTER (WHERE status = 'open'),
               count(*) FILTER (WHERE status = 'achieved'),
               coalesce(round(avg(progress), 1), 0)
          FROM goals WHERE user_id = p_user
    $$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'programs', 'goals', 'habits', 'habit_checkins',
                             'coaching_sessions', 'session_notes', 'messages'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I'
                       ' USING (tenant_id = current_tenant_id())'
                       ' WITH CHECK (tenant_id = current_tenant_id())', t);
    END LOOP;
END
$$;
