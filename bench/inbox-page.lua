-- SPDX-License-Identifier: MIT
-- GET /api/v1/teams/{team}/conversations/{id}/messages?limit=50: one conversation's latest page,
-- cycling over the seeder's sample (half of them its longest conversations, half at random).
local C = dofile((os.getenv("INBOX_BENCH_DIR") or "bench") .. "/inbox-common.lua")
local ids, i
setup = C.setup
function init(args)
    ids = C.data.conversations
    i = (tid or 0) * 7919
end
function request()
    i = i + 1
    return wrk.format("GET", "/api/v1/teams/" .. C.team .. "/conversations/" .. C.cycle(ids, i)
        .. "/messages?limit=50", C.headers, nil)
end
done = C.done("page")
