#!/usr/bin/env python3
"""Reads the ids answered 200 before the crash and checks each after restart: stored, SCHEDULED, whole
(customer number and desired time present) and with exactly one history entry. Usage: check_ids.py PORT SERVICE FILE..."""
import http.client, json, sys
from concurrent.futures import ThreadPoolExecutor

port, service, files = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
ids = [line.strip() for f in files for line in open(f) if line.strip()]

def check(chunk):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    bad = []
    for i in chunk:
        conn.request("GET", f"/genesys/1/service/callback/{service}/{i}")
        r = conn.getresponse(); body = r.read()
        if r.status != 200:
            bad.append((i, r.status, body[:200])); continue
        cb = json.loads(body)
        if cb.get("_callback_state") != "SCHEDULED" or not cb.get("_customer_number") or not cb.get("_desired_time"):
            bad.append((i, "incomplete", cb)); continue
        conn.request("GET", f"/genesys/1/service/callback/{service}/{i}/history")
        r = conn.getresponse(); hist = json.loads(r.read())
        if len(hist) != 1 or hist[0].get("_callback_state") != "SCHEDULED":
            bad.append((i, "history", hist))
    return bad

chunks = [ids[k::8] for k in range(8)]
with ThreadPoolExecutor(8) as pool:
    bad = [b for part in pool.map(check, chunks) for b in part]
print(f"acknowledged ids: {len(ids)}, distinct: {len(set(ids))}, missing or broken: {len(bad)}")
for b in bad[:20]:
    print("  ", b)
sys.exit(1 if bad or not ids else 0)
