#!/usr/bin/env python3
"""Round 6 national numbering plans: derived from, and checked against,
libphonenumber's metadata (python `phonenumbers`, pinned in the header of the
outputs). Not run at build or run time; rerun by hand after changing REGIONS:

    pip install --user phonenumbers && python3 tests/phone_plans/gen.py

Writes
  crates/deskside-detect/src/phone_plans.rs   the table (one row per region)
  crates/deskside-detect/tests/data/plan_numbers.tsv  valid numbers of each
      type per region, written in 3-4 national groupings, with the E.164 the
      scanner must find (crates/deskside-detect/tests/plans.rs asserts it)

How a row is derived: for each number type kept (mobile, fixed line,
toll-free/shared-cost/UAN as "service"), each possible length and each
two-digit leading prefix, random completions are matched against the type's
national number pattern; a prefix is kept when any matches. Sibling prefixes
with the same lengths fold into their one-digit parent. So the table accepts
a superset of libphonenumber's valid numbers at two-digit resolution; the
test data (numbers phonenumbers itself says are valid) checks recall, the
decoy battery precision.
"""
import os, random, re, sys
import phonenumbers as pn
from phonenumbers import PhoneMetadata

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Longest national number taken when written as one run of digits (IT: an
# 11-digit run is a Partita IVA or order code far more often than a landline).
UNGROUPED_MAX = {"IT": 10}
# Shortest national number taken (default 7). PL's 7-digit fixed ranges are
# rare and collide with coordinates, postcodes and builds in a region without trunk prefix.
MIN_LEN = {"PL": 9}
# region, trunk prefix as written nationally ("" = none), national numbers
# also written without the trunk prefix (BR: `(21) 99412-3387`), the token
# a mobile number carries nationally after its area code (AR: `011 15 …`).
REGIONS = [
    ("ES", "", False), ("IT", "", False), ("NL", "0", False), ("BE", "0", False), ("PL", "", False),
    ("TR", "0", False), ("RU", "8", False), ("KR", "0", False), ("BR", "0", True), ("MX", "", False),
    ("AR", "0", False), ("ZA", "0", False), ("NZ", "0", False), ("AE", "0", False), ("SA", "0", False),
    ("VN", "0", False), ("TH", "0", False), ("ID", "0", False), ("PH", "0", False), ("MY", "0", False),
    ("CH", "0", False), ("AT", "0", False), ("SE", "0", False), ("PT", "", False), ("IE", "0", False),
]
TYPES = [("mobile", "Mobile"), ("fixed_line", "Fixed"), ("toll_free", "Service"), ("shared_cost", "Service"), ("uan", "Service")]
EXTRA = {"KR": [("voip", "Fixed")]}  # KR 070 numbers people give as their line
PNTYPE = {"mobile": pn.PhoneNumberType.MOBILE, "fixed_line": pn.PhoneNumberType.FIXED_LINE, "toll_free": pn.PhoneNumberType.TOLL_FREE,
          "shared_cost": pn.PhoneNumberType.SHARED_COST, "uan": pn.PhoneNumberType.UAN, "voip": pn.PhoneNumberType.VOIP}
SAMPLES = 400
rng = random.Random(17)


def bare_type(region, attr, trunk):
    """Whether libphonenumber writes this type nationally without the trunk prefix."""
    if not trunk:
        return True
    ex = pn.example_number_for_type(region, PNTYPE[attr])
    return bool(ex) and not re.sub(r"\D", "", pn.format_number(ex, pn.PhoneNumberFormat.NATIONAL)).startswith(trunk)


def rows_for(region, trunk):
    m = PhoneMetadata.metadata_for_region(region)
    found = {}  # (kind, bare, prefix) -> set of lengths
    for attr, kind in TYPES + EXTRA.get(region, []):
        desc = getattr(m, attr)
        if not desc or not desc.national_number_pattern:
            continue
        pat = re.compile(desc.national_number_pattern)
        bare = bare_type(region, attr, trunk)
        # Service ranges are narrow: three leading digits; the others two.
        width, samples = (3, 150) if kind == "Service" else (2, SAMPLES)
        for length in desc.possible_length:
            if length < MIN_LEN.get(region, 7):  # too short to tell from other numbers in text
                continue
            for p in range(10 ** width):
                pre = str(p).zfill(width)
                if any(pat.fullmatch(pre + "".join(rng.choice("0123456789") for _ in range(length - width))) for _ in range(samples)):
                    found.setdefault((kind, bare, pre), set()).add(length)
    # Fold ten siblings with one length set into their parent, repeatedly.
    for width in (3, 2):
        for kind, bare in {(k, b) for k, b, _ in found}:
            parents = {pre[:-1] for k, b, pre in found if k == kind and b == bare and len(pre) == width}
            for par in parents:
                kids = [found.get((kind, bare, par + e)) for e in "0123456789"]
                if all(k is not None for k in kids) and all(k == kids[0] for k in kids) and (kind, bare, par) not in found:
                    for e in "0123456789":
                        del found[(kind, bare, par + e)]
                    found[(kind, bare, par)] = kids[0]
    order = {"Service": 0, "Mobile": 1, "Fixed": 2}  # a service range inside a fixed one is the service
    out = []
    for (kind, bare, pre), lens in sorted(found.items(), key=lambda kv: (order[kv[0][0]], kv[0][2], kv[0][1])):
        lens = sorted(lens)
        run = [lens[0]]
        for l in lens[1:]:
            if l == run[-1] + 1:
                run.append(l)
            else:
                out.append((pre, run[0], run[-1], kind, bare)); run = [l]
        out.append((pre, run[0], run[-1], kind, bare))
    return m.country_code, out


def write_table():
    lines = [
        "// @generated by tests/phone_plans/gen.py from libphonenumber metadata",
        f"// (python phonenumbers {pn.__version__}). Do not edit by hand: edit gen.py's REGIONS and rerun.",
        "",
        "use super::{Kind, Plan, Row};",
        "",
        "pub(super) const PLANS: &[Plan] = &[",
    ]
    for region, trunk, bare in REGIONS:
        cc, rows = rows_for(region, trunk)
        mobile_token = "b\"15\"" if region == "AR" else "b\"\""
        lines.append(f"    Plan {{ iso: *b\"{region}\", cc: {cc}, trunk: b\"{trunk}\", bare: {str(bare).lower()}, mobile_token: {mobile_token}, ungrouped_max: {UNGROUPED_MAX.get(region, 0)}, rows: &[")
        # Siblings that differ only in their last digit share one row: the
        # leading digits before it and a bit mask of that digit.
        merged = {}
        for pre, lo, hi, kind, bare in rows:
            key = (pre[:-1], lo, hi, kind, bare)
            merged.setdefault(key, 0)
            merged[key] |= 1 << int(pre[-1])
        for (lead, lo, hi, kind, bare), mask in merged.items():
            lb = ", ".join(f"b'{c}'" for c in lead.ljust(2, "0"))
            lines.append(f"        Row {{ lead: [{lb}], lead_len: {len(lead)}, next: 0b{mask:010b}, min: {lo}, max: {hi}, kind: Kind::{kind}, bare: {str(bare).lower()} }},")
        lines.append("    ] },")
    lines.append("];")
    with open(os.path.join(ROOT, "crates/deskside-detect/src/phone_plans.rs"), "w") as f:
        f.write("\n".join(lines) + "\n")


def random_valid(region, attr, n):
    """Valid numbers of one type: libphonenumber's example plus random
    numbers it says are valid and of that type."""
    out = []
    ex = pn.example_number_for_type(region, PNTYPE[attr])
    if ex and len(pn.national_significant_number(ex)) >= MIN_LEN.get(region, 7):
        out.append(ex)
    m = PhoneMetadata.metadata_for_region(region)
    desc = getattr(m, attr)
    if not desc or not desc.national_number_pattern:
        return out
    pat = re.compile(desc.national_number_pattern)
    lens = [l for l in desc.possible_length if l >= MIN_LEN.get(region, 7)]
    tries = 0
    while len(out) < n and tries < 200000 and lens:
        tries += 1
        L = rng.choice(lens)
        s = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(L - 1))
        if region == "IT" and attr == "fixed_line":
            s = "0" + s[1:]
        if not pat.fullmatch(s):
            continue
        num = pn.parse("+" + str(m.country_code) + s)
        if pn.is_valid_number_for_region(num, region) and pn.number_type(num) == PNTYPE[attr]:
            out.append(num)
    return out


def trunk_of(region):
    return next(t for r, t, _ in REGIONS if r == region)


def groupings(region, num):
    """3-4 national ways to write it."""
    nat = pn.format_number(num, pn.PhoneNumberFormat.NATIONAL)
    digits = re.sub(r"\D", "", nat)
    ways = [nat]
    if "(" not in nat:
        ways.append(re.sub(r"[\s.\-/]+", "-", nat))
        ways.append(re.sub(r"[\s.\-/]+", " ", nat))
    else:
        ways.append(re.sub(r"[()]", "", nat).replace("  ", " "))
    # Pairs after a first group of three (`612 48 33 07`), where long enough.
    if len(digits) == 9 and not trunk_of(region):
        ways.append(" ".join([digits[:3], digits[3:5], digits[5:7], digits[7:]]))
    # (BR numbers without their trunk 0 are taken only after a two-digit area code.)
    if len(digits) <= (UNGROUPED_MAX.get(region) or 11) and not (region == "BR" and not digits.startswith("0") and pn.number_type(num) != pn.PhoneNumberType.SHARED_COST):
        ways.append(digits)
    seen = []
    for w in ways:
        w = w.strip()
        if w not in seen:
            seen.append(w)
    return seen[:4]


def write_numbers():
    rows = []
    for region, trunk, bare in REGIONS:
        types = [t for t, _ in TYPES] + [t for t, _ in EXTRA.get(region, [])]
        for attr in types:
            for num in random_valid(region, attr, 3):
                e164 = pn.format_number(num, pn.PhoneNumberFormat.E164)
                for w in groupings(region, num):
                    rows.append(f"{region}\t{attr}\t{w}\t{e164}")
    os.makedirs(os.path.join(ROOT, "crates/deskside-detect/tests/data"), exist_ok=True)
    with open(os.path.join(ROOT, "crates/deskside-detect/tests/data/plan_numbers.tsv"), "w") as f:
        f.write(f"# @generated by tests/phone_plans/gen.py (python phonenumbers {pn.__version__}): region, type, as written, E.164\n")
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    write_table()
    write_numbers()
