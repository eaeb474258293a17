#!/usr/bin/env python3
"""Sums an async-profiler 'collapsed' file (one stack per line, frames joined by ';', then a count)
into the buckets a create request spends its CPU in (docs/benchmarks.md, "Where a create's CPU goes").

  bench/profile-summary.py FILE [ROUTE_FRAME]

ROUTE_FRAME (default org/opencallback/http/CallbackRoutes.start) selects the samples inside the
route's handler; the rest are split into JIT, GC, HTTP server (Jetty/Javalin outside the handler) and
other. Samples are CPU time (itimer), so the shares are shares of the process's CPU.
"""
import collections
import re
import sys

HANDLER_BUCKETS = [  # first match wins
    ("SQLite (native)", r"sqlite3|NativeDB|libsqlitejdbc"),
    ("H2", r"org/h2/"),
    ("PostgreSQL driver", r"org/postgresql/"),
    ("group commit: parking and waking", r"GroupCommit\.submit;java/util/concurrent/locks"),
    ("JDBI (binding, mapping, statements)", r"org/jdbi/"),
    ("logging", r"logback|org/slf4j"),
    ("phone numbers (libphonenumber)", r"i18n/phonenumbers"),
    ("JSON (Jackson)", r"jackson"),
    ("metrics (Micrometer)", r"micrometer"),
]


def main():
    path = sys.argv[1]
    route = sys.argv[2] if len(sys.argv) > 2 else "org/opencallback/http/CallbackRoutes.start"
    total = 0
    outer = collections.Counter()
    inner = collections.Counter()
    for line in open(path, encoding="utf-8", errors="replace"):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        if re.search(r"CompileBroker|C2Compiler|C1Compiler|Compile::", stack):
            outer["JIT compiler"] += n
        elif route in stack:
            outer["inside the handler"] += n
            bucket = next((name for name, pattern in HANDLER_BUCKETS if re.search(pattern, stack)), "OpenCallback's own code and the JDK")
            inner[bucket] += n
        elif re.search(r"G1|GCTaskThread|GC_active", stack):
            outer["GC"] += n
        elif re.search(r"eclipse/jetty|io/javalin", stack):
            outer["HTTP server outside the handler (Jetty, Javalin)"] += n
        else:
            outer["other"] += n
    if total == 0:
        print("no samples")
        return
    print(f"{total} samples")
    for name, n in outer.most_common():
        print(f"{n:8d} {100 * n / total:5.1f} %  {name}")
    handler = outer["inside the handler"]
    if handler:
        print(f"inside {route}:")
        for name, n in inner.most_common():
            print(f"{n:8d} {100 * n / handler:5.1f} %  {name}")


if __name__ == "__main__":
    main()
