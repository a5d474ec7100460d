-- Append a batch of records to the event stream, all or nothing, unless the stream is full.
-- KEYS[1]: the event stream. ARGV[1]: the cap on entries not yet acknowledged by every consumer group
-- (entries they all acknowledged are trimmed by the workers, so the stream's length is that backlog).
-- ARGV[2..]: canonical records. Returns the new entry ids, or {err} with the length when the batch would
-- pass the cap: the stream is never trimmed here, so nothing a group has not read is ever dropped.
local length = redis.call('XLEN', KEYS[1])
local cap = tonumber(ARGV[1])
if length + #ARGV - 1 > cap then
  return redis.error_reply('STREAMFULL ' .. length)
end
local ids = {}
for i = 2, #ARGV do
  ids[#ids + 1] = redis.call('XADD', KEYS[1], '*', 'e', ARGV[i])
end
return ids
