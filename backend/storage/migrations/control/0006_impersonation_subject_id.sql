-- The impersonated user's id in the tenant's users table: audit events name the subject by it
-- (user:<id>), never by email, since tenant users' emails are personal data. The email the
-- operator chose stays in `subject` here (an operators' table, not the log). NULL only for rows
-- written before this migration.
ALTER TABLE tenant_impersonations ADD COLUMN subject_user_id uuid;
