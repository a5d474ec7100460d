-- Read the live figures of the regencies asked for in one round trip (read-only; hour_counts.lua is prepended).
-- KEYS: the events stream (the province's slot), then any hour hashes whose counts to return too (oldest first).
-- ARGV: prefix, today (WIB date), now (epoch s), current epoch minute, with_opd ("1" to count open requests
-- per OPD: about 30 calls per regency, which the province view does without), then the regency codes.
-- Returns JSON: {"regencies": {code: {...}}, "province_median": m, "last_seen": {...}, "hours": [...]}
local P, today, now, minute, with_opd = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5] == '1'

local function hash(key)
  local flat = redis.call('HGETALL', key)
  local t = {}
  for i = 1, #flat, 2 do t[flat[i]] = flat[i + 1] end
  return t
end

local function median(key)
  local n = redis.call('ZCARD', key)
  if n == 0 then return false end
  local lo = redis.call('ZRANGE', key, math.floor((n - 1) / 2), math.floor((n - 1) / 2), 'WITHSCORES')
  local hi = redis.call('ZRANGE', key, math.floor(n / 2), math.floor(n / 2), 'WITHSCORES')
  return (tonumber(lo[2]) + tonumber(hi[2])) / 2
end

local recent = {}
for m = minute - 4, minute do
  for reg, n in pairs(hash(P .. ':epm:' .. m)) do recent[reg] = (recent[reg] or 0) + tonumber(n) end
end
local overdue_bound = '(' .. now
local regencies = {}
for i = 6, #ARGV do
  local reg = ARGV[i]
  local open_key = P .. ':open:' .. reg
  local by_opd = nil
  if with_opd then
    by_opd = {}
    for _, opd in ipairs(redis.call('SMEMBERS', P .. ':opds:' .. reg)) do
      local key = P .. ':openopd:' .. reg .. ':' .. opd
      local n = redis.call('ZCARD', key)
      if n > 0 then by_opd[opd] = {n, redis.call('ZCOUNT', key, '-inf', overdue_bound)} end
    end
  end
  regencies[reg] = {
    day = hash(P .. ':day:' .. today .. ':' .. reg),
    open = redis.call('ZCARD', open_key),
    overdue = redis.call('ZCOUNT', open_key, '-inf', overdue_bound),
    -- the next deadline to pass: the overdue count moves then, without any event
    next_due = tonumber(redis.call('ZRANGEBYSCORE', open_key, now, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)[2]) or false,
    median = median(P .. ':dur:' .. today .. ':' .. reg),
    by_opd = by_opd,
    kpis = hash(P .. ':kpi:' .. reg),
    recent = recent[reg] or 0,
  }
end
return cjson.encode({
  regencies = regencies,
  province_median = median(P .. ':dur:' .. today .. ':all'),
  last_seen = hash(P .. ':lastseen'),
  hours = hour_counts({unpack(KEYS, 2)}, ''),
})
