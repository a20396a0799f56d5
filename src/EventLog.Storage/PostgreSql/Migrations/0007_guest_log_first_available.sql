-- Where the readable part of a guest log starts once retention reaped its oldest chunks: the number of the
-- first line still stored and the file offset of the first byte still stored (1 and 0 while nothing
-- expired; a rotation or discard resets them). From this version published_bytes counts the stored bytes
-- only, published_bytes = published_offset - first_available_offset, and the line count is
-- next_line - first_available_line; published_offset stays the file offset the next publish starts from.
ALTER TABLE guest_logs
    ADD COLUMN first_available_line bigint NOT NULL DEFAULT 1,
    ADD COLUMN first_available_offset bigint NOT NULL DEFAULT 0;

-- The reaper of earlier versions deleted chunks without adjusting the counters: count what is stored. Every
-- stored chunk is of the current generation (a rotation or discard deletes them all), and published_bytes was
-- still equal to published_offset. The right-hand sides all read the row as it was before the update.
UPDATE guest_logs AS g SET
    published_bytes = COALESCE(s.bytes, 0),
    first_available_line = COALESCE(s.first_line, g.next_line),
    first_available_offset = g.published_offset - COALESCE(s.bytes, 0)
FROM guest_logs AS base
LEFT JOIN (
    SELECT log_id, SUM(byte_length)::bigint AS bytes, MIN(first_line) AS first_line
    FROM guest_log_chunks
    GROUP BY log_id
) AS s ON s.log_id = base.id
WHERE base.id = g.id;
