-- Messages record the user whose request caused them, and lists filter by that user and by the reporting
-- host (Cinder's operator views). Both filters get a (project, column, created_at, id) index like the
-- other message filters, so a project's newest-first list seeks instead of scanning.
ALTER TABLE messages ADD COLUMN user_name TEXT NULL;
CREATE INDEX ix_messages_user ON messages (project, user_name, created_at, id);
CREATE INDEX ix_messages_host ON messages (project, host, created_at, id);
