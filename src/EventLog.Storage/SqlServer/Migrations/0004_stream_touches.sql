-- Changes of a stream that add no row (a guest log discarded, or rotated with nothing new published) count
-- here, so waiters on other replicas, which poll the stream row, see them too. A NOT NULL column with a
-- constant default is added as a metadata-only change.
ALTER TABLE dbo.streams ADD touches bigint NOT NULL CONSTRAINT df_streams_touches DEFAULT 0;
