-- Apply a batch of validated events to the live state, exactly once.
-- ARGV: prefix, now (epoch s), epoch minute, then one packed string per event, fields joined by \31:
--   request: "r", event_id, digest, regency, ts (epoch s), day (WIB date of ts), request_id, status,
--            status rank, category, channel, opd, automatic deadline, explicit deadline or ""
--   kpi:     "k", event_id, digest, regency, ts, day, metric, value
-- Returns one code per event: 0 applied, 1 duplicate (same content), 2 conflict (event_id reused); then the epoch
-- hours whose counts of requests received or resolved moved (a request's received hour is its first event's, which
-- a late event can move: not always the hour of the events applied).
-- A request's contribution to the counters is a function of its state alone: an event removes
-- the old state's contribution and adds the new one's, so order and redelivery do not matter.
-- A request's state is one packed field `s` of its hash (one read, one write per event).
local P = ARGV[1]
local now = ARGV[2]
local minute_key = P .. ':epm:' .. ARGV[3]
local SEP = '\31'
local DAY_TTL = 3 * 86400
local REQUEST_TTL = 35 * 86400
local counters, ttl, opds, last_seen, per_minute, results = {}, {}, {}, {}, {}, {}

-- Positions in a request's packed state.
local RCV, REID, RDAY, ST, STS, SDAY, SRK, SEID, CAT, CH, OPD, REG, DA, DX, DXTS, DXE =
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
local STATE_FIELDS = 16

local function split(s)
  local out, n, pos = {}, 0, 1
  while true do
    local at = string.find(s, SEP, pos, true)
    n = n + 1
    if not at then
      out[n] = string.sub(s, pos)
      return out
    end
    out[n] = string.sub(s, pos, at - 1)
    pos = at + 1
  end
end

local function add(key, field, delta, seconds)
  local h = counters[key]
  if not h then h = {}; counters[key] = h; ttl[key] = seconds end
  h[field] = (h[field] or 0) + delta
end

local function deadline(s)
  if s[DX] ~= '' then return tonumber(s[DX]) end
  return tonumber(s[DA])
end

local function is_open(s) return s[ST] ~= 'resolved' and s[ST] ~= 'rejected' end

local function hour_key(ts) return P .. ':hour:' .. math.floor(tonumber(ts) / 3600) end

local function count(s, sign)
  local dk = P .. ':day:' .. s[RDAY] .. ':' .. s[REG]
  add(dk, 'received', sign, DAY_TTL)
  add(dk, 'cat:' .. s[CAT], sign, DAY_TTL)
  add(dk, 'ch:' .. s[CH], sign, DAY_TTL)
  add(hour_key(s[RCV]), 'received:' .. s[REG], sign, DAY_TTL)
  if s[ST] == 'resolved' then
    local rk = P .. ':day:' .. s[SDAY] .. ':' .. s[REG]
    add(rk, 'resolved', sign, DAY_TTL)
    add(hour_key(s[STS]), 'resolved:' .. s[REG], sign, DAY_TTL)
    if tonumber(s[STS]) <= deadline(s) then add(rk, 'within', sign, DAY_TTL) end
  end
end

local function index(id, s, sign)
  if s[ST] == 'resolved' then
    local dur = P .. ':dur:' .. s[SDAY] .. ':' .. s[REG]
    local all = P .. ':dur:' .. s[SDAY] .. ':all'
    if sign > 0 then
      local minutes = (tonumber(s[STS]) - tonumber(s[RCV])) / 60
      redis.call('ZADD', dur, minutes, id)
      redis.call('ZADD', all, minutes, id)
      ttl[dur] = DAY_TTL; ttl[all] = DAY_TTL
    else
      redis.call('ZREM', dur, id)
      redis.call('ZREM', all, id)
    end
  elseif is_open(s) then
    local open = P .. ':open:' .. s[REG]
    local by_opd = P .. ':openopd:' .. s[REG] .. ':' .. s[OPD]
    if sign > 0 then
      redis.call('ZADD', open, deadline(s), id)
      redis.call('ZADD', by_opd, deadline(s), id)
      opds[s[REG] .. SEP .. s[OPD]] = true
    else
      redis.call('ZREM', open, id)
      redis.call('ZREM', by_opd, id)
    end
  end
end

-- Most lifecycle steps (received -> verified -> in_progress) change neither counters nor indexes.
local function same_count(a, b)
  return a[ST] ~= 'resolved' and b[ST] ~= 'resolved' and a[RCV] == b[RCV] and a[REG] == b[REG]
    and a[CAT] == b[CAT] and a[CH] == b[CH]
end

local function same_index(a, b)
  return is_open(a) and is_open(b) and a[REG] == b[REG] and a[OPD] == b[OPD] and deadline(a) == deadline(b)
end

local function later(ts, rank, eid, old_ts, old_rank, old_eid)
  if ts ~= old_ts then return ts > old_ts end
  if rank ~= old_rank then return rank > old_rank end
  return eid > old_eid
end

local function apply_request(e)
  local eid, digest, reg, ts, day = e[2], e[3], e[4], e[5], e[6]
  local rid, status, rank = e[7], e[8], e[9]
  local key = P .. ':rq:' .. reg .. ':' .. rid  -- a request is its regency's (see Keys.request)
  local stored = redis.call('HMGET', key, 'e:' .. eid, 's')
  if stored[1] then return stored[1] == digest and 1 or 2 end

  local old = stored[2] and split(stored[2])
  local new = {}
  if old then
    for n = 1, STATE_FIELDS do new[n] = old[n] end
  else
    new[DX], new[DXTS], new[DXE] = '', '', ''
  end
  local t = tonumber(ts)
  -- The earliest event (ties broken by event id) gives the received time and the automatic deadline.
  if not old or t < tonumber(old[RCV]) or (t == tonumber(old[RCV]) and eid < old[REID]) then
    new[RCV], new[REID], new[RDAY], new[DA] = ts, eid, day, e[13]
  end
  if not old or later(t, tonumber(rank), eid, tonumber(old[STS]), tonumber(old[SRK]), old[SEID]) then
    new[ST], new[STS], new[SDAY], new[SRK], new[SEID] = status, ts, day, rank, eid
    new[CAT], new[CH], new[OPD], new[REG] = e[10], e[11], e[12], reg
  end
  local explicit = e[14]
  if explicit ~= '' and (new[DXTS] == '' or later(t, 0, eid, tonumber(new[DXTS]), 0, new[DXE])) then
    new[DX], new[DXTS], new[DXE] = explicit, ts, eid
  end

  if not (old and same_count(old, new)) then
    if old then count(old, -1) end
    count(new, 1)
  end
  if not (old and same_index(old, new)) then
    if old then index(rid, old, -1) end
    index(rid, new, 1)
  end

  redis.call('HSET', key, 'e:' .. eid, digest, 's', table.concat(new, SEP, 1, STATE_FIELDS))
  if is_open(new) then
    if old and not is_open(old) then redis.call('PERSIST', key) end
  else
    redis.call('EXPIRE', key, REQUEST_TTL)
  end
  return 0
end

local function apply_kpi(e)
  local eid, digest, reg, ts, day, metric, value = e[2], e[3], e[4], e[5], e[6], e[7], e[8]
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

for i = 4, #ARGV do
  local e = split(ARGV[i])
  local code
  if e[1] == 'r' then code = apply_request(e) else code = apply_kpi(e) end
  results[#results + 1] = code
  if code == 0 then
    local reg = e[4]
    per_minute[reg] = (per_minute[reg] or 0) + 1
    last_seen[reg] = true
  end
end

local hour_prefix = P .. ':hour:'
for key, fields in pairs(counters) do
  local moved = false
  for field, delta in pairs(fields) do
    if delta ~= 0 then
      redis.call('HINCRBY', key, field, delta)
      moved = true
    end
  end
  if moved and string.sub(key, 1, #hour_prefix) == hour_prefix then
    results[#results + 1] = tonumber(string.sub(key, #hour_prefix + 1))
  end
end
for reg_opd in pairs(opds) do
  local at = string.find(reg_opd, SEP, 1, true)
  redis.call('SADD', P .. ':opds:' .. string.sub(reg_opd, 1, at - 1), string.sub(reg_opd, at + 1))
end
for reg, n in pairs(per_minute) do redis.call('HINCRBY', minute_key, reg, n) end
if next(per_minute) then redis.call('EXPIRE', minute_key, 900) end
for reg in pairs(last_seen) do redis.call('HSET', P .. ':lastseen', reg, now) end
for key, seconds in pairs(ttl) do redis.call('EXPIRE', key, seconds) end
return results
