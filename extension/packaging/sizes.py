#!/usr/bin/env python3
"""Prints the shipped wasm's sizes (raw and gzipped); with --record FILE,
also rewrites the marked section of docs/BENCHMARKS.md."""
import gzip
import os
import sys

args = sys.argv[1:]
record = None
if args[0] == "--record":
    record, args = args[1], args[2:]

rows = []
for path in args:
    data = open(path, "rb").read()
    rows.append((os.path.basename(path), len(data), len(gzip.compress(data, 9, mtime=0))))
table = ["| file | raw bytes | gzip -9 bytes |", "|---|---:|---:|"]
table += [f"| `{n}` | {r:,} | {g:,} |" for n, r, g in rows]
table.append(f"| **total** | **{sum(r for _, r, _ in rows):,}** | **{sum(g for _, _, g in rows):,}** |")
text = "\n".join(table)

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
