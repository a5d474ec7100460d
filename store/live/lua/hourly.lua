-- Requests received and resolved per hour (read-only; hour_counts.lua is prepended).
-- KEYS: the hour hashes, oldest first. ARGV[1]: a regency code, or '' for the whole province.
-- Returns a flat array: received, resolved for each key in order.
return hour_counts(KEYS, ARGV[1])
