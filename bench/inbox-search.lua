-- SPDX-License-Identifier: MIT
-- GET /api/v1/teams/{team}/search?q=<word>, cycling over the seeder's words: common, medium and
-- rare words of the bodies, some contact names and one word that is nowhere (hit counts in the
-- seeder's JSON).
local C = dofile((os.getenv("INBOX_BENCH_DIR") or "bench") .. "/inbox-common.lua")
local words, i
setup = C.setup
function init(args)
    words = C.data.words
    i = (tid or 0) * 5
end
function request()
    i = i + 1
    return wrk.format("GET", "/api/v1/teams/" .. C.team .. "/search?q=" .. C.cycle(words, i),
        C.headers, nil)
end
done = C.done("search")
