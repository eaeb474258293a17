-- create.lua plus the machine-readable "WRK …" line of report.lua when wrk is done.
-- Env as create.lua: WRK_THREADS, CREATE_OFFSET (first customer-number index; give each concurrent
-- wrk its own range).
dofile("bench/create.lua")
done = dofile("bench/report.lua").done
