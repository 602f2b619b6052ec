#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""One client, one request at a time: the latency of the inbox scenarios without queueing.

wrk keeps 32 requests in flight, so its percentiles are mostly time spent waiting for a core
(closed loop: p50 is about connections / throughput). This asks the same routes one after the
other on one keep-alive connection and prints, per scenario, the median and the maximum in ms
(a request over --timeout counts as an error at its timeout; a scenario stops asking after
--budget seconds).

  bench/probe-inbox.py bench/results/inbox-seed.json [conversations page search send] [--count 20]

The JSON is the one bench/seed-inbox.py wrote. `search` asks each of its words once (so the
maximum is the slowest word); `page` and `send` go over its conversation ids. Standard library.
"""

import argparse
import http.client
import json
import statistics
import sys
import time
import urllib.parse


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("state")
    p.add_argument("scenarios", nargs="*", default=["conversations", "page", "search", "send"])
    p.add_argument("--count", type=int, default=20)
    p.add_argument("--timeout", type=float, default=15, help="seconds for one request")
    p.add_argument("--budget", type=float, default=30, help="seconds for one scenario: stop asking after")
    a = p.parse_args()
    with open(a.state, encoding="utf-8") as f:
        s = json.load(f)
    url = urllib.parse.urlparse(s["baseUrl"])
    team = s["teamId"]
    auth = {"Authorization": "Bearer " + s["token"]}
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=a.timeout)

    def requests(name):
        base = f"/api/v1/teams/{team}"
        if name == "conversations":
            return [("GET", f"{base}/conversations?limit=50", None)] * a.count
        if name == "page":
            ids = s["pageConversationIds"][: a.count]
            return [("GET", f"{base}/conversations/{i}/messages?limit=50", None) for i in ids]
        if name == "search":
            return [("GET", f"{base}/search?q={urllib.parse.quote(w['word'])}", None)
                    for w in s["searchWords"]]
        if name == "send":
            ids = s["sendConversationIds"][: a.count]
            return [("POST", f"{base}/conversations/{i}/messages",
                     json.dumps({"body": f"Probe {n}: your order is ready for pickup."}))
                    for n, i in enumerate(ids)]
        sys.exit(f"probe-inbox: unknown scenario {name}")

    for name in a.scenarios:
        times, bad, slowest, cut = [], 0, "", False
        started = time.perf_counter()
        for method, path, body in requests(name):
            if time.perf_counter() - started > a.budget:
                cut = True
                break
            headers = dict(auth)
            if body is not None:
                headers["Content-Type"] = "application/json"
            t = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(url.hostname, url.port, timeout=a.timeout)
                status = 0
            ms = (time.perf_counter() - t) * 1000
            if status >= 400 or status == 0:
                bad += 1
            if not times or ms > max(times):
                slowest = path.rsplit("=", 1)[-1] if name == "search" else ""
            times.append(ms)
        print(f"{name} median_ms={statistics.median(times):.2f} max_ms={max(times):.2f} "
              f"n={len(times)} errors={bad}" + (f" slowest={slowest}" if slowest else "")
              + (" cut=budget" if cut else ""), flush=True)


if __name__ == "__main__":
    main()
