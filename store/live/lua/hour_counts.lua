-- Requests received and resolved per hour, summed here so a province of 514 regencies sends two numbers per hour
-- instead of every regency's fields. Prepended to the scripts that count hours (hourly.lua, snapshot.lua).
-- keys: the hour hashes, oldest first; code: a regency code, or '' for the whole province.
-- Returns a flat array: received, resolved for each key in order.
local function hour_counts(keys, code)
  local out = {}
  for _, key in ipairs(keys) do
    local received, resolved = 0, 0
    if code ~= '' then
      local counts = redis.call('HMGET', key, 'received:' .. code, 'resolved:' .. code)
      received, resolved = tonumber(counts[1]) or 0, tonumber(counts[2]) or 0
    else
      local flat = redis.call('HGETALL', key)
      for i = 1, #flat, 2 do
        local field = flat[i]
        if string.sub(field, 1, 9) == 'received:' then
          received = received + tonumber(flat[i + 1])
        elseif string.sub(field, 1, 9) == 'resolved:' then
          resolved = resolved + tonumber(flat[i + 1])
        end
      end
    end
    out[#out + 1] = received
    out[#out + 1] = resolved
  end
  return out
end
