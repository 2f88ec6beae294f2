-- wrk script for bench/ingest.ts: cycles a pool of unique, pre-signed HTTP requests.
-- Arguments (after `--`): <pool file> <first index> [<count>] [<delay ms>]: the whole pool from
-- <first index> on, or (count > 0) only the <count> records from there, cycled. The pool file holds records
-- "<byte length>\n<raw request bytes>", written by bench/ingest.ts (Lua has no HMAC of its own).
-- A delay paces the load: each connection waits that long after an answer before its next request
-- (bench/ingest.ts --rate: the same rate with and without live streams, to compare CPU per request).
-- At the end it prints one line "WRK_JSON {...}" with the totals and the latency percentiles (µs).
local pool, n, i = {}, 0, 0

function init(args)
  local f = assert(io.open(args[1], 'rb'))
  local want = tonumber(args[3] or '0')
  local first = tonumber(args[2] or '0')
  -- With a count, the records from <first index> on are loaded (the ones before are skipped
  -- unread), so a short run loads only its slice of a large pool; the run starts at its first.
  if want > 0 then
    for _ = 1, first do
      local len = f:read('*n')
      if not len then break end
      f:seek('cur', len + 1)
    end
  end
  while want == 0 or n < want do
    local len = f:read('*n')
    if not len then break end
    f:read(1)
    n = n + 1
    pool[n] = f:read(len)
  end
  f:close()
  i = want > 0 and 0 or first % n
  local pause = tonumber(args[4] or '0')
  -- Defined only when asked for: wrk then waits `pause` ms per connection between requests.
  if pause > 0 then
    delay = function()
      return pause
    end
  end
end

function request()
  i = i + 1
  if i > n then i = 1 end
  return pool[i]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,' ..
      '"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(99), latency.max, latency.mean))
end
