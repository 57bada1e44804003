#!/usr/bin/env python3
"""Seeds for the fuzz targets (crates/deskside-fuzz), written into
target/fuzz/corpus/<target>/: the labelled corpus's inputs for the targets
that read page text, CRM-shaped answers for the connector target, and the
admin patterns of the corpus for the pattern target. libFuzzer grows each
corpus from there; the grown corpus stays in target/ between runs.

    python3 tests/fuzz/seed.py ROOT
"""
import glob
import hashlib
import json
import os
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.getcwd()
OUT = os.path.join(ROOT, "target", "fuzz", "corpus")


def write(target, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)


cases = []
for path in sorted(glob.glob(os.path.join(ROOT, "tests", "corpus", "*.jsonl"))):
    with open(path, encoding="utf-8") as f:
        cases += [json.loads(line) for line in f if line.strip()]

for case in cases:
    text = case["input"].encode("utf-8")
    # identify: a header byte (region, team, patterns), then fields split by
    # 0x00 whose first byte is the source (0: text, 1: requester field).
    write("identify", b"\x18\x00" + text)
    write("identify", b"\x08\x01" + text[:200] + b"\x00\x00" + text)
    write("scanners", b"\x00" + text)
    write("html", text)
    for p in case.get("id_patterns", []):
        write("idpattern", p["pattern"].encode("utf-8") + b"\x00" + text)

customer = {
    "id": "c-1001", "name": "李娜 Li Na", "email": "li.na@163.example", "secondary_emails": ["ln@work.example"],
    "phone": "+8613800138000", "company": {"name": "Globex"}, "title": "Buyer", "tier": "PLATINUM",
    "address": {"city": "上海", "country": "CN"}, "url": "https://crm.example.com/c/1001",
    "orders": [{"number": "ORD-2026-004211", "status": "shipped", "total_minor": 129900, "currency": "CNY",
                "placed_at": "2026-11-20T08:00:00Z"}],
}
bodies = [
    {"data": [customer]}, {"data": customer}, {"data": []}, {"data": None}, {"data": "x"}, {"data": [customer] * 3},
    {"data": [{"id": 7, "name": ["a"], "orders": {"number": 1}}]},
]
for i, body in enumerate(bodies):
    raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
    # connector: base, kind, status and flags in 4 bytes; the body (and, with
    # flag 1, a Retry-After line first); flag bits 2.. pick the identifier kind.
    write("connector", bytes([0, i % 3, 0, 0]) + raw)
    write("connector", bytes([0, i % 3, 10, 1]) + b"120\n" + raw)
for value in ["li.na@163.example", "+8613800138000", "c-1001", "../../admin?x=1#f", "a' OR Name LIKE '%", "%00&key=1"]:
    for kind in range(8):
        write("connector", bytes([0, kind % 3, 6, kind << 2]) + value.encode("utf-8"))

for pattern in [r"ORD-\d{4}-\d{6}", r"(?i)cust(?:omer)?[ #:-]*(?<id>\d{3,10})", r"[A-Z]{2}\d+|x{2,5}?", r"(a|b)*c"]:
    write("idpattern", pattern.encode("utf-8") + b"\x00order ORD-2026-004211, customer #00042, AB123 xxxxc")

# definition: each shipped connector definition (and the worked examples of
# docs/examples: signed requests; the test API's: a token exchange), then a NUL
# and an answer.
definitions = sorted(glob.glob(os.path.join(ROOT, "crates", "deskside-core", "connectors", "*.json")))
definitions += sorted(glob.glob(os.path.join(ROOT, "docs", "examples", "*.json")))
definitions += [os.path.join(ROOT, "tests", "testapi", "definition.json")]
for path in definitions:
    with open(path, "rb") as f:
        definition = f.read()
    for body in bodies:
        write("definition", definition + b"\x00" + json.dumps(body, ensure_ascii=False).encode("utf-8"))

print(f"seeds written to {OUT}")
