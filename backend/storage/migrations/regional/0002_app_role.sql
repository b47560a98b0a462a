-- The application's login is a member of upcoach_app and owns nothing: it may do only what the
-- migrations grant here. Roles are per cluster, so the role is created where it is missing.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'upcoach_app') THEN
        CREATE ROLE upcoach_app NOLOGIN;
    END IF;
END
$$;

GRANT SELECT ON region_identity TO upcoach_app;
GRANT SELECT, INSERT, UPDATE ON region_heartbeat TO upcoach_app;
