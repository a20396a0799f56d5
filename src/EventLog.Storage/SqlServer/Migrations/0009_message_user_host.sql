-- Messages record the user whose request caused them, and lists filter by that user and by the reporting
-- host (Cinder's operator views). Both filters get a (project, column, created_at, id) index like the
-- other message filters, so a project's newest-first list seeks instead of scanning.
ALTER TABLE dbo.messages ADD user_name nvarchar(128) NULL;
GO

CREATE INDEX ix_messages_user ON dbo.messages (project, user_name, created_at, id);
CREATE INDEX ix_messages_host ON dbo.messages (project, host, created_at, id);
