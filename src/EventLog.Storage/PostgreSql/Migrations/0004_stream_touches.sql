-- Changes of a stream that add no row (a guest log discarded, or rotated with nothing new published) count
-- here, so waiters on other replicas see them too. Adding a NOT NULL column with a constant default rewrites
-- nothing.
ALTER TABLE streams ADD COLUMN touches bigint NOT NULL DEFAULT 0;
