-- Where the readable part of a guest log starts once retention reaped its oldest chunks: the number of the
-- first line still stored and the file offset of the first byte still stored (1 and 0 while nothing
-- expired; a rotation or discard resets them). From this version published_bytes counts the stored bytes
-- only, published_bytes = published_offset - first_available_offset, and the line count is
-- next_line - first_available_line; published_offset stays the file offset the next publish starts from.
ALTER TABLE guest_logs ADD COLUMN first_available_line INTEGER NOT NULL DEFAULT 1;
ALTER TABLE guest_logs ADD COLUMN first_available_offset INTEGER NOT NULL DEFAULT 0;
-- The reaper of earlier versions deleted chunks without adjusting the counters: count what is stored. Every
-- stored chunk is of the current generation (a rotation or discard deletes them all), and published_bytes was
-- still equal to published_offset.
UPDATE guest_logs SET
    published_bytes = COALESCE((SELECT SUM(c.byte_length) FROM guest_log_chunks AS c WHERE c.log_id = guest_logs.id), 0),
    first_available_line = COALESCE((SELECT MIN(c.first_line) FROM guest_log_chunks AS c WHERE c.log_id = guest_logs.id), next_line),
    first_available_offset = published_offset
        - COALESCE((SELECT SUM(c.byte_length) FROM guest_log_chunks AS c WHERE c.log_id = guest_logs.id), 0);
