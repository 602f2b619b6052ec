-- SPDX-License-Identifier: MIT
-- Shared by the inbox wrk scripts (bench/inbox-*.lua): the data bench/seed-inbox.py wrote, the
-- per-thread offsets, and one machine-readable RESULT line at the end (run-inbox.sh greps it).
-- Env: INBOX_BENCH_DATA = the .lua file the seeder wrote (default bench/results/inbox-seed.lua).
local M = {}

local path = os.getenv("INBOX_BENCH_DATA")
if path == nil or path == "" then
    path = "bench/results/inbox-seed.lua"
end
M.data = dofile(path)
M.headers = { ["Authorization"] = "Bearer " .. M.data.token }
M.team = M.data.team

-- wrk runs setup() once per thread, in the main Lua state, before the thread starts.
local threads = {}
function M.setup(thread)
    thread:set("tid", #threads)
    threads[#threads + 1] = thread
end

-- The i-th element of list, cycling; each thread starts somewhere else.
function M.cycle(list, i)
    return list[(i % #list) + 1]
end

function M.done(name)
    return function(summary, latency, requests)
        local e = summary.errors
        local errors = e.connect + e.read + e.write + e.timeout + e.status
        local secs = summary.duration / 1e6
        io.write(string.format(
            "RESULT %s requests=%d rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
            "errors=%d connect=%d read=%d write=%d timeout=%d status=%d\n",
            name, summary.requests, summary.requests / secs,
            latency:percentile(50) / 1000, latency:percentile(90) / 1000,
            latency:percentile(99) / 1000, latency.max / 1000,
            errors, e.connect, e.read, e.write, e.timeout, e.status))
    end
end

return M
