-- create.lua, and every id answered 200 is appended to $IDS_DIR/ids-<thread>.txt (flushed at once),
-- for bench/crash-under-load.sh.
dofile("bench/create.lua")
local file = nil

local base_init = init
function init(args)
  base_init(args)
  file = io.open((os.getenv("IDS_DIR") or "/tmp") .. "/ids-" .. tid .. ".txt", "a")
end

function response(status, headers, body)
  if status == 200 then
    local id = string.match(body, '"_id":"([^"]+)"')
    if id then
      file:write(id, "\n")
      file:flush()
    end
  end
end
