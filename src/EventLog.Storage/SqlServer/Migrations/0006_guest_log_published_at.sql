-- When a log was last published, apart from when its entry last changed (a status change is not a publish).
-- NULL while nothing is stored: never published, or discarded or rotated since. A nullable column without a
-- default is added as a metadata-only change.
ALTER TABLE dbo.guest_logs ADD published_at datetime2(7) NULL;
