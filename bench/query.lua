-- wrk script: GET a random path from the file PATHS_FILE (one request path a line), e.g. the ids.txt
-- or numbers.txt SeedCallbacks writes: GET /genesys/1/service/callback/SVC/ID (by id) or
-- GET /genesys/1/service/callback/SVC?_customer_number=%2B1… (GMS lookup by customer number).
-- Usage: PATHS_FILE=ids.txt wrk -s bench/query.lua http://127.0.0.1:PORT
-- (run from the repository root: it loads bench/report.lua)
local report = dofile("bench/report.lua")
local paths = {}
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(os.getenv("PATHS_FILE"), "r"))
  for line in file:lines() do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  file:close()
  math.randomseed(os.time() * 100 + (tid or 0))
end

request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end

done = report.done
