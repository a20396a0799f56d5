-- Changes of a stream that add no row (a guest log discarded, or rotated with nothing new published) count
-- here, so waiters on other replicas, which poll the stream row, see them too.
ALTER TABLE streams ADD COLUMN touches INTEGER NOT NULL DEFAULT 0;
