#!/usr/bin/env python3
"""Where the bytes of a wasm module go: code by crate and by function, data, the rest.

    wasm_bytes.py MODULE.wasm... [--top N] [--record docs/BENCHMARKS.md]

MODULE must keep its name section (wasm-bindgen without --remove-name-section,
wasm-opt with -g): the shipped module is the same code with the names removed,
so the function sizes here are the shipped ones. Names are the demangled Rust
paths wasm-ld writes; a function is counted for the crate its path starts with
(`<serde_json::de::Deserializer<R> as serde::de::Deserializer>::deserialize_any`
counts for serde_json: the implementing type's crate, where the monomorphised code
was asked for). No dependency beyond Python's standard library.
"""
import argparse
import os
import re
import sys


def leb(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, pos


def sections(buf):
    if buf[:4] != b"\0asm":
        raise SystemExit("not a wasm module")
    pos = 8
    while pos < len(buf):
        sid = buf[pos]
        size, body = leb(buf, pos + 1)
        yield sid, body, size, body - pos
        pos = body + size


def imported_functions(buf, start):
    count, pos = leb(buf, start)
    funcs = 0
    for _ in range(count):
        for _ in range(2):  # module, field
            n, pos = leb(buf, pos)
            pos += n
        kind = buf[pos]
        pos += 1
        if kind == 0:
            _, pos = leb(buf, pos)
            funcs += 1
        elif kind == 1:  # table: reftype, limits
            pos += 1
            flags, pos = leb(buf, pos)
            _, pos = leb(buf, pos)
            if flags & 1:
                _, pos = leb(buf, pos)
        elif kind == 2:  # memory
            flags, pos = leb(buf, pos)
            _, pos = leb(buf, pos)
            if flags & 1:
                _, pos = leb(buf, pos)
        elif kind == 3:  # global
            pos += 2
        else:  # tag
            pos += 1
            _, pos = leb(buf, pos)
    return funcs


def function_names(buf, start, end):
    n, pos = leb(buf, start)
    pos += n
    if buf[start + 1:pos] != b"name" and bytes(buf[pos - 4:pos]) != b"name":
        return None
    names = {}
    while pos < end:
        sub = buf[pos]
        size, body = leb(buf, pos + 1)
        if sub == 1:
            count, p = leb(buf, body)
            for _ in range(count):
                idx, p = leb(buf, p)
                ln, p = leb(buf, p)
                names[idx] = buf[p:p + ln].decode("utf-8", "replace")
                p += ln
        pos = body + size
    return names


def clean(name):
    # rustc's disambiguators (`core[c5930c85a12de822]::`) and generic receivers (`<T as core::fmt::Debug>`)
    name = re.sub(r"\[[0-9a-f]{8,}\]", "", name)
    name = re.sub(r"^<(?:[A-Z]|\[T\]|str|char|f32|f64|[iu](?:8|16|32|64|128|size)) as ", "<", name)
    name = re.sub(r"^<(str|char|\[T\]|f64|f32)>::", r"core::\1::", name)
    return name


def crate_of(name):
    s = clean(name).lstrip("<&*").replace("mut ", "").replace("dyn ", "").replace("const ", "")
    s = s.lstrip("(<&[ ")
    m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)::", s)
    if m:
        return m.group(1)
    if s.startswith("__wbg") or s.startswith("__wbindgen") or "wasm-bindgen" in s or "wbg" in s[:8]:
        return "wasm-bindgen glue"
    return "(other: " + (s.split("(")[0][:24] or "?") + ")"


def module_of(name, crate):
    """Crate plus the next path segment (deskside_core::connector, serde_json::de)."""
    s = clean(name).lstrip("<&*").lstrip("(<&[ ")
    parts = re.match(r"([A-Za-z_][A-Za-z0-9_]*)::([A-Za-z_][A-Za-z0-9_]*)", s)
    return f"{parts.group(1)}::{parts.group(2)}" if parts else crate


def short(name, width=110):
    name = re.sub(r"::h[0-9a-f]{16}$", "", name)
    return name if len(name) <= width else name[:width - 1] + "…"


def analyse(path):
    buf = open(path, "rb").read()
    total = len(buf)
    secs = list(sections(buf))
    nimports = 0
    bodies = []
    names = {}
    by_section = {}
    for sid, body, size, header in secs:
        label = {0: "custom", 1: "types", 2: "imports", 3: "functions", 4: "table", 5: "memory", 6: "globals",
                 7: "exports", 8: "start", 9: "elements", 10: "code", 11: "data", 12: "datacount"}.get(sid, str(sid))
        if sid == 0:
            n, p = leb(buf, body)
            cname = buf[p:p + n].decode()
            label = f"custom:{cname}"
            if cname == "name":
                names = function_names(buf, body, body + size) or {}
        by_section[label] = by_section.get(label, 0) + size + header
        if sid == 2:
            nimports = imported_functions(buf, body)
        if sid == 10:
            count, p = leb(buf, body)
            for i in range(count):
                sz, q = leb(buf, p)
                bodies.append((nimports + i, sz + (q - p)))
                p = q + sz
    return total, by_section, bodies, names


def report(path, top):
    total, by_section, bodies, names = analyse(path)
    if not names:
        sys.exit(f"wasm_bytes.py: {path} has no name section (build it with names kept)")
    code = sum(s for _, s in bodies)
    crates, mods = {}, {}
    for idx, size in bodies:
        name = names.get(idx, f"func[{idx}]")
        c = crate_of(name)
        crates[c] = crates.get(c, 0) + size
        m = module_of(name, c)
        mods[m] = mods.get(m, 0) + size
    named = total - by_section.get("custom:name", 0)
    label = os.path.basename(path).replace(".named.wasm", "")
    data = by_section.get("data", 0)
    out = [f"**`{label}`**: {named:,} bytes (as shipped, without names): code {code:,} bytes in {len(bodies):,} functions,"
           f" data {data:,} bytes, the rest {named - code - data:,} bytes.", ""]
    out += ["| crate | code bytes | share |", "|---|---:|---:|"]
    out += [f"| `{c}` | {s:,} | {100 * s / code:.1f} % |" for c, s in sorted(crates.items(), key=lambda kv: -kv[1])[:top]]
    out += ["", "| crate::module | code bytes | share |", "|---|---:|---:|"]
    out += [f"| `{c}` | {s:,} | {100 * s / code:.1f} % |" for c, s in sorted(mods.items(), key=lambda kv: -kv[1])[:top]]
    out += ["", "| largest functions | bytes |", "|---|---:|"]
    for idx, size in sorted(bodies, key=lambda b: -b[1])[:top]:
        fname = short(names.get(idx, f"func[{idx}]")).replace("|", "\\|")
        out.append(f"| `{fname}` | {size:,} |")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("modules", nargs="+")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--record", default=None, help="rewrite the wasm-bytes section of this Markdown file")
    args = ap.parse_args()
    text = "\n\n".join(report(p, args.top) for p in args.modules)
    print(text)
    if args.record:
        begin, end = "<!-- wasm-bytes:start -->", "<!-- wasm-bytes:end -->"
        doc = open(args.record, encoding="utf-8").read()
        if begin not in doc:
            sys.exit(f"wasm_bytes.py: {args.record} has no '{begin}' marker")
        head, rest = doc.split(begin, 1)
        _, tail = rest.split(end, 1)
        open(args.record, "w", encoding="utf-8").write(f"{head}{begin}\n{text}\n{end}{tail}")


if __name__ == "__main__":
    main()
