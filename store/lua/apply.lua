-- Apply a batch of validated events to the live state, exactly once.
-- ARGV: prefix, now (epoch s), epoch minute, then 14 fields per event:
--   kind ("r" request | "k" kpi), event_id, digest, regency, ts (epoch s), day (WIB date of ts),
--   r: request_id, status, status rank, category, channel, opd, auto deadline, explicit deadline or ""
--   k: metric, value, then 6 unused fields
-- Returns one code per event: 0 applied, 1 duplicate (same content), 2 conflict (event_id reused).
-- A request's contribution to the counters is a function of its state alone: an event removes
-- the old state's contribution and adds the new one's, so order and redelivery do not matter.
local P = ARGV[1]
local now = ARGV[2]
local minute_key = P .. ':epm:' .. ARGV[3]
local N = 14
local DAY_TTL = 3 * 86400
local REQUEST_TTL = 35 * 86400
local counters, ttl, opds, last_seen, per_minute, results = {}, {}, {}, {}, {}, {}

local function add(key, field, delta, seconds)
  local h = counters[key]
  if not h then h = {}; counters[key] = h; ttl[key] = seconds end
  h[field] = (h[field] or 0) + delta
end

local function deadline(s)
  if s.dx ~= '' then return tonumber(s.dx) end
  return tonumber(s.da)
end

local function is_open(s) return s.st ~= 'resolved' and s.st ~= 'rejected' end

local function hour_key(ts) return P .. ':hour:' .. math.floor(tonumber(ts) / 3600) end

local function count(s, sign)
  local dk = P .. ':day:' .. s.rday .. ':' .. s.reg
  add(dk, 'received', sign, DAY_TTL)
  add(hour_key(s.rcv), 'received:' .. s.reg, sign, DAY_TTL)
  add(dk, 'cat:' .. s.cat, sign, DAY_TTL)
  add(dk, 'ch:' .. s.ch, sign, DAY_TTL)
  if s.st == 'resolved' then
    local rk = P .. ':day:' .. s.sday .. ':' .. s.reg
    add(rk, 'resolved', sign, DAY_TTL)
    add(hour_key(s.sts), 'resolved:' .. s.reg, sign, DAY_TTL)
    if tonumber(s.sts) <= deadline(s) then add(rk, 'within', sign, DAY_TTL) end
  end
end

local function index(id, s, sign)
  if s.st == 'resolved' then
    local dur = P .. ':dur:' .. s.sday .. ':' .. s.reg
    local all = P .. ':dur:' .. s.sday .. ':all'
    if sign > 0 then
      local minutes = (tonumber(s.sts) - tonumber(s.rcv)) / 60
      redis.call('ZADD', dur, minutes, id)
      redis.call('ZADD', all, minutes, id)
      ttl[dur] = DAY_TTL; ttl[all] = DAY_TTL
    else
      redis.call('ZREM', dur, id)
      redis.call('ZREM', all, id)
    end
  elseif is_open(s) then
    local open = P .. ':open:' .. s.reg
    local by_opd = P .. ':openopd:' .. s.reg .. ':' .. s.opd
    if sign > 0 then
      redis.call('ZADD', open, deadline(s), id)
      redis.call('ZADD', by_opd, deadline(s), id)
      opds[s.reg .. '\0' .. s.opd] = true
    else
      redis.call('ZREM', open, id)
      redis.call('ZREM', by_opd, id)
    end
  end
end

local function same_index(a, b)
  return is_open(a) and is_open(b) and a.reg == b.reg and a.opd == b.opd and deadline(a) == deadline(b)
end

local FIELDS = {'rcv', 'reid', 'rday', 'st', 'sts', 'sday', 'srk', 'seid', 'cat', 'ch', 'opd', 'reg', 'da', 'dx', 'dxts', 'dxe'}

local function later(ts, rank, eid, old_ts, old_rank, old_eid)
  if ts ~= old_ts then return ts > old_ts end
  if rank ~= old_rank then return rank > old_rank end
  return eid > old_eid
end

local function apply_request(i)
  local eid, digest, reg, ts, day = ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
  local rid, status, rank = ARGV[i + 6], ARGV[i + 7], ARGV[i + 8]
  local key = P .. ':req:' .. rid
  local seen = redis.call('HGET', key, 'e:' .. eid)
  if seen then return seen == digest and 1 or 2 end

  local values = redis.call('HMGET', key, unpack(FIELDS))
  local old
  if values[1] then
    old = {}
    for n, f in ipairs(FIELDS) do old[f] = values[n] or '' end
  end
  local new = {}
  if old then for f, v in pairs(old) do new[f] = v end end
  local t = tonumber(ts)
  -- The earliest event (ties broken by event id) gives the received time and the automatic deadline.
  if not old or t < tonumber(old.rcv) or (t == tonumber(old.rcv) and eid < old.reid) then
    new.rcv, new.reid, new.rday, new.da = ts, eid, day, ARGV[i + 12]
  end
  if not old or later(t, tonumber(rank), eid, tonumber(old.sts), tonumber(old.srk), old.seid) then
    new.st, new.sts, new.sday, new.srk, new.seid = status, ts, day, rank, eid
    new.cat, new.ch, new.opd, new.reg = ARGV[i + 9], ARGV[i + 10], ARGV[i + 11], reg
  end
  local explicit = ARGV[i + 13]
  if not old then new.dx, new.dxts, new.dxe = '', '', '' end
  if explicit ~= '' and (new.dxts == '' or later(t, 0, eid, tonumber(new.dxts), 0, new.dxe)) then
    new.dx, new.dxts, new.dxe = explicit, ts, eid
  end

  if old then count(old, -1) end
  count(new, 1)
  if not (old and same_index(old, new)) then
    if old then index(rid, old, -1) end
    index(rid, new, 1)
  end

  local args = {'e:' .. eid, digest}
  for _, f in ipairs(FIELDS) do
    args[#args + 1] = f
    args[#args + 1] = new[f]
  end
  redis.call('HSET', key, unpack(args))
  if is_open(new) then
    if old and not is_open(old) then redis.call('PERSIST', key) end
  else
    redis.call('EXPIRE', key, REQUEST_TTL)
  end
  return 0
end

local function apply_kpi(i)
  local eid, digest, reg, ts, day = ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
  local metric, value = ARGV[i + 6], ARGV[i + 7]
  local seen_key = P .. ':kseen:' .. day
  local seen = redis.call('HGET', seen_key, eid)
  if seen then return seen == digest and 1 or 2 end
  redis.call('HSET', seen_key, eid, digest)
  ttl[seen_key] = 32 * 86400
  local kpi_key = P .. ':kpi:' .. reg
  local current = redis.call('HGET', kpi_key, metric)
  local newer = true
  if current then
    local cur_ts, cur_eid = string.match(current, '^([^|]*)|[^|]*|(.*)$')
    newer = later(tonumber(ts), 0, eid, tonumber(cur_ts), 0, cur_eid)
  end
  if newer then redis.call('HSET', kpi_key, metric, ts .. '|' .. value .. '|' .. eid) end
  return 0
end

for i = 4, #ARGV, N do
  local code
  if ARGV[i] == 'r' then code = apply_request(i) else code = apply_kpi(i) end
  results[#results + 1] = code
  if code == 0 then
    local reg = ARGV[i + 3]
    per_minute[reg] = (per_minute[reg] or 0) + 1
    last_seen[reg] = true
  end
end

for key, fields in pairs(counters) do
  for field, delta in pairs(fields) do
    if delta ~= 0 then redis.call('HINCRBY', key, field, delta) end
  end
end
for reg_opd in pairs(opds) do
  local reg, opd = string.match(reg_opd, '^([^%z]*)%z(.*)$')
  redis.call('SADD', P .. ':opds:' .. reg, opd)
end
for reg, n in pairs(per_minute) do redis.call('HINCRBY', minute_key, reg, n) end
if next(per_minute) then redis.call('EXPIRE', minute_key, 900) end
for reg in pairs(last_seen) do redis.call('HSET', P .. ':lastseen', reg, now) end
for key, seconds in pairs(ttl) do redis.call('EXPIRE', key, seconds) end
return results
