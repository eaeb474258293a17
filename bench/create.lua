-- wrk script: POST start of a scheduled callback, each request a new customer number and a desired
-- time spread over the next 28 days in 5-minute steps (within the bench service's capacity).
-- Usage: wrk -s bench/create.lua http://127.0.0.1:PORT/genesys/1/service/callback/Bench
local threads = {}
local counter = 0
local tid = 0
local nthreads = 1
local areas = {"617", "508", "781", "857", "978"}
local base = 0

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  nthreads = tonumber(os.getenv("WRK_THREADS") or "2")
  -- first slot: the next full hour plus one
  base = (math.floor(os.time() / 3600) + 2) * 3600
  offset = tonumber(os.getenv("CREATE_OFFSET") or "0")
end

request = function()
  local i = offset + counter * nthreads + tid
  counter = counter + 1
  local line = i % 10000
  local exchange = 200 + math.floor(i / 10000) % 700
  local area = areas[math.floor(i / 7000000) % #areas + 1]
  local number = string.format("+1%s%03d%04d", area, exchange, line)
  local desired = os.date("!%Y-%m-%dT%H:%M:%S.000Z", base + (i % 8000) * 300)
  local body = '{"_customer_number":"' .. number .. '","_desired_time":"' .. desired .. '"}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
