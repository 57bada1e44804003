#!/usr/bin/env python3
"""Prints the shipped wasm modules' and JS glue's sizes (raw and gzipped), the
zips after `--zip`, and the background module against its budget (issue 23);
with --record FILE, also rewrites the marked section of docs/BENCHMARKS.md.

    sizes.py [--record FILE] MODULE_OR_GLUE... [--zip ZIP...]
"""
import gzip
import os
import sys

# The service worker's module, the one every wake-up compiles (issue 23).
# Bytes, 1 KB = 1,000 bytes. A goal reported here, never a failure.
BUDGET = {"deskside_background_bg.wasm": (250_000, 100_000)}

args = sys.argv[1:]
record = None
if args and args[0] == "--record":
    record, args = args[1], args[2:]
zips = []
if "--zip" in args:
    i = args.index("--zip")
    args, zips = args[:i], args[i + 1:]


def measure(path):
    data = open(path, "rb").read()
    return os.path.basename(path), len(data), len(gzip.compress(data, 9, mtime=0))


rows = [measure(p) for p in args]
table = ["| file | raw bytes | gzip -9 bytes |", "|---|---:|---:|"]
table += [f"| `{n}` | {r:,} | {g:,} |" for n, r, g in rows]
table.append(f"| **wasm + glue, all modules** | **{sum(r for _, r, _ in rows):,}** | **{sum(g for _, _, g in rows):,}** |")
for path in zips:
    table.append(f"| `{os.path.basename(path)}` (download) | {os.path.getsize(path):,} | – |")


def miss(have, want):
    if have <= want:
        return f"met ({want - have:,} bytes to spare)"
    return f"**missed by {have - want:,} bytes ({100 * (have - want) / want:.0f} % over)**"


notes = []
for n, r, g in rows:
    if n in BUDGET:
        raw, gz = BUDGET[n]
        notes.append(f"Budget for `{n}` (the service worker's module): raw {r:,} against {raw:,}: {miss(r, raw)}; "
                     f"gzipped {g:,} against {gz:,}: {miss(g, gz)}.")
text = "\n".join(table + ([""] + notes if notes else []))

if record is None:
    print(text)
    sys.exit(0)

BEGIN, END = "<!-- sizes:begin (written by ./build.sh) -->", "<!-- sizes:end -->"
doc = open(record, encoding="utf-8").read() if os.path.exists(record) else ""
if BEGIN not in doc:
    sys.exit(f"sizes.py: {record} has no '{BEGIN}' marker")
head, rest = doc.split(BEGIN, 1)
_, tail = rest.split(END, 1)
new = f"{head}{BEGIN}\n{text}\n{END}{tail}"
if new != doc:
    open(record, "w", encoding="utf-8").write(new)
