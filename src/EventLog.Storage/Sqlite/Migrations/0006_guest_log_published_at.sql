-- When a log was last published, apart from when its entry last changed (a status change is not a publish).
-- NULL while nothing is stored: never published, or discarded or rotated since.
ALTER TABLE guest_logs ADD COLUMN published_at TEXT NULL;
