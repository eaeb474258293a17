-- wrk script: bench/query.lua at a fixed request rate instead of flat out (bench/stores.sh).
-- wrk has no rate option (wrk2 has); its delay() hook, called before each request of a connection,
-- paces them: each wrk thread sends on a schedule of RATE / WRK_THREADS requests per second, one
-- slot every interval on a monotonic clock (LuaJIT's ffi: clock_gettime), each request taking the
-- next free slot. A connection still waiting for its response takes no slot, so the rate is reached
-- only with enough connections (about RATE × latency); the achieved rate is in the WRK line
-- (report.lua). After a stall of more than a second the schedule restarts from now rather than
-- sending the missed requests in a burst. wrk measures a latency from the request's write, so the
-- pacing delay is not in it.
-- Usage: RATE=200 WRK_THREADS=2 PATHS_FILE=ids.txt wrk -t2 -c32 -s bench/query-paced.lua http://127.0.0.1:PORT
-- (run from the repository root: it loads bench/query.lua and bench/report.lua)
dofile("bench/query.lua")
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } paced_timespec;
  int clock_gettime(int clock, paced_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local clock = ffi.new("paced_timespec")
local interval
local next_slot

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local load_paths = init
function init(args)
  load_paths(args)
  local rate = tonumber(os.getenv("RATE") or "")
  local threads = tonumber(os.getenv("WRK_THREADS") or "1")
  assert(rate and rate > 0, "RATE (requests per second, all threads together) is required")
  interval = 1000 * threads / rate
end

function delay()
  local now = now_ms()
  if next_slot == nil or next_slot < now - 1000 then
    next_slot = now
  end
  local wait = next_slot - now
  next_slot = next_slot + interval
  if wait <= 0 then
    return 0
  end
  return math.floor(wait + 0.5)
end
