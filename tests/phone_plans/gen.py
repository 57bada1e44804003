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
# also written without the trunk prefix (BR: `(21) 99412-3387`; rec13: AR `11 4982-3317`, both only after a
# two-digit area code, `Plan::written_so`), the token
# a mobile number carries nationally after its area code (AR: `011 15 …`).
REGIONS = [
    ("ES", "", False), ("IT", "", False), ("NL", "0", False), ("BE", "0", False), ("PL", "", False),
    ("TR", "0", False), ("RU", "8", False), ("KR", "0", False), ("BR", "0", True), ("MX", "", False),
    ("AR", "0", True), ("ZA", "0", False), ("NZ", "0", False), ("AE", "0", False), ("SA", "0", False),
    ("VN", "0", False), ("TH", "0", False), ("ID", "0", False), ("PH", "0", False), ("MY", "0", False),
    ("CH", "0", False), ("AT", "0", False), ("SE", "0", False), ("PT", "", False), ("IE", "0", False),
]
# Regions 11: where small support teams are common. Own generators (`rng_for`), so the rows and test numbers of
# the 25 regions above stay byte-identical. No trunk prefix: QA KW CL GR CZ DK NO. CO's `0` is written only before
# `1 800` (`01 8000 …`): its mobiles and `60x` landlines are rows written without it. HU's trunk prefix is `06`.
REGIONS11 = [
    ("NG", "0", False), ("KE", "0", False), ("EG", "0", False), ("PK", "0", False), ("BD", "0", False),
    ("LK", "0", False), ("IL", "0", False), ("QA", "", False), ("KW", "", False), ("CO", "0", False),
    ("PE", "0", False), ("CL", "", False), ("GR", "", False), ("CZ", "", False), ("HU", "06", False),
    ("RO", "0", False), ("DK", "", False), ("NO", "", False), ("FI", "0", False), ("UA", "0", False),
    ("MA", "0", False), ("GH", "0", False),
]
NEW11 = {r for r, _, _ in REGIONS11}
# Regions 18 (session 13): the rest of Europe, Latin America, the Middle East and North Africa, East and Southern
# Africa, Central and South-East Asia, where a blind writer's pages (held-out set 17b) found every national number
# missed because the admin could not pick the region. Trunk prefix as libphonenumber writes it nationally (BY's
# `8 029 …` is `80`; KZ shares +7 with RU and comes after it, so `+7` numbers still read by RU's row first).
# Own generators, like regions 11. The NANP regions (DO, JM, PR, TT) are no rows: they read as US (`Region::parse`).
REGIONS18 = [
    ("EE", "", False), ("LV", "", False), ("LT", "0", False), ("RS", "0", False), ("HR", "0", False),
    ("SI", "0", False), ("SK", "0", False), ("BG", "0", False), ("IS", "", False), ("MT", "", False),
    ("CY", "", False), ("LU", "", False), ("BA", "0", False), ("ME", "0", False), ("MK", "0", False),
    ("AL", "0", False), ("MD", "0", False), ("BY", "80", False), ("GE", "0", False), ("AM", "0", False),
    ("AZ", "0", False), ("UY", "0", False), ("EC", "0", False), ("BO", "0", False), ("PY", "0", False),
    ("CR", "", False), ("GT", "", False), ("PA", "", False), ("SV", "", False), ("HN", "", False),
    ("NI", "", False), ("VE", "0", False), ("JO", "0", False), ("LB", "0", False), ("OM", "", False),
    ("BH", "", False), ("IQ", "0", False), ("TN", "", False), ("DZ", "0", False), ("ET", "0", False),
    ("UG", "0", False), ("TZ", "0", False), ("RW", "0", False), ("ZM", "0", False), ("ZW", "0", False),
    ("CM", "", False), ("CI", "", False), ("SN", "", False), ("MZ", "", False), ("MU", "", False),
    ("NA", "0", False), ("BW", "", False), ("KZ", "8", False), ("UZ", "", False), ("KG", "0", False),
    ("MN", "0", False), ("KH", "0", False), ("LA", "0", False), ("NP", "0", False), ("MO", "", False),
]
NEW18 = {r for r, _, _ in REGIONS18}
# A run of digits longer than this is an id, not a number, where numbers need no trunk prefix and vary in length.
UNGROUPED_MAX.update({"LU": 9})
NANP18 = ["DO", "JM", "PR", "TT"]
REGIONS = REGIONS + REGIONS11 + REGIONS18
TYPES = [("mobile", "Mobile"), ("fixed_line", "Fixed"), ("toll_free", "Service"), ("shared_cost", "Service"), ("uan", "Service")]
# VoIP ranges people and companies give as their line (KR 070, NL 085, PL 39, TR 0850, VN 0672, TH 060,
# AT 050/0780, PT 30, IE 076, IL 072/073/077, CR 4xxx, AM 60). Not IT (55 + 8 digits without a trunk prefix reads like an order code) and
# not AU (014 satellite ranges nobody writes in a ticket).
EXTRA = {r: [("voip", "Fixed")] for r in ("KR", "NL", "PL", "TR", "VN", "TH", "AT", "PT", "IE", "IL", "CR", "AM")}
# VN's 1900 numbers are premium-rate by libphonenumber's type, but they are what Vietnamese companies print as their
# hotline (`Hotline 1900 6868`), so a customer company's and the team's own are read as service numbers.
EXTRA["VN"] = EXTRA["VN"] + [("premium_rate", "Service")]
PNTYPE = {"premium_rate": pn.PhoneNumberType.PREMIUM_RATE, "mobile": pn.PhoneNumberType.MOBILE, "fixed_line": pn.PhoneNumberType.FIXED_LINE, "toll_free": pn.PhoneNumberType.TOLL_FREE,
          "shared_cost": pn.PhoneNumberType.SHARED_COST, "uan": pn.PhoneNumberType.UAN, "voip": pn.PhoneNumberType.VOIP}
SAMPLES = 400
rng = random.Random(17)
# The VoIP ranges added in session 8 draw from their own generator, so that the rows and test numbers of every
# other type and region stay exactly what they were (one shared generator would shift every later sample).
_own_rngs = {}


def rng_for(region, attr):
    if region in NEW18:
        return _own_rngs.setdefault(("regions18", region, attr), random.Random(f"regions18-{region}-{attr}"))
    if region in NEW11:
        return _own_rngs.setdefault(("regions11", region), random.Random(f"regions11-{region}"))
    if attr == "voip" and region != "KR":
        return _own_rngs.setdefault(region, random.Random(f"voip-{region}"))
    if attr == "premium_rate":
        return _own_rngs.setdefault((region, attr), random.Random(f"{attr}-{region}"))
    return rng


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
        if attr in SKIP_TYPES.get(region, ()):
            continue
        desc = getattr(m, attr)
        if not desc or not desc.national_number_pattern:
            continue
        pat = re.compile(desc.national_number_pattern)
        bare = bare_type(region, attr, trunk)
        r = rng_for(region, attr)
        if region in NEW18:
            # Regions 18: whether a number is written with the trunk prefix is read per leading digits, from a
            # number of the range as libphonenumber formats it (MN writes `8812 3456` bare but `011 312345` with
            # its 0; one type holds both), and lengths past MAX_LEN are left out.
            rows18(region, trunk, kind, desc, pat, r, found)
            continue
        # Service ranges are narrow: three leading digits; the others two.
        width, samples = (3, 150) if kind == "Service" else (2, SAMPLES)
        for length in desc.possible_length:
            if length < MIN_LEN.get(region, 7):  # too short to tell from other numbers in text
                continue
            for p in range(10 ** width):
                pre = str(p).zfill(width)
                if any(pat.fullmatch(pre + "".join(r.choice("0123456789") for _ in range(length - width))) for _ in range(samples)):
                    found.setdefault((kind, bare, pre), set()).add(length)
        if region in NEW11 or region in NEW18:
            # Narrow ranges random completions rarely hit (PK's UAN `0xx 111 …`, GR's `5005 …`): the numbers the
            # pattern itself generates add their prefixes too (each is a full match, so the prefix is real).
            from re import _parser as sp
            tree = sp.parse(desc.national_number_pattern)
            for _ in range(4000):
                s = regex_sample(tree, r)
                if len(s) in desc.possible_length and len(s) >= MIN_LEN.get(region, 7) and pat.fullmatch(s):
                    found.setdefault((kind, bare, s[:width]), set()).add(len(s))
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


# Regions 18: types left out. BY's toll-free `8 801 …` is written with a trunk `8` where every other BY number has
# `8 0` (the plan has one trunk prefix).
SKIP_TYPES = {"BY": ("toll_free",)}
# Regions 18: a second trunk prefix still written. LT changed its trunk prefix from 8 to 0 in 2025; people go on
# writing `8 612 44871` (a blind writer's page did).
TRUNK2 = {"LT": "8"}
# Regions 18: the longest national number taken (LU's plan runs to 11 digits; its people write 6 to 9).
MAX_LEN = {"LU": 9}


def rows18(region, trunk, kind, desc, pat, r, found):
    """rows_for's sampling for a regions-18 region, with bareness per leading digits (see rows_for)."""
    from re import _parser as sp
    m = PhoneMetadata.metadata_for_region(region)
    width, samples = (3, 150) if kind == "Service" else (2, SAMPLES)
    lo, hi = MIN_LEN.get(region, 7), MAX_LEN.get(region, 99)
    hits = {}  # (prefix, length) -> a full match
    for length in desc.possible_length:
        if not lo <= length <= hi:
            continue
        for p in range(10 ** width):
            pre = str(p).zfill(width)
            for _ in range(samples):
                t = pre + "".join(r.choice("0123456789") for _ in range(length - width))
                if pat.fullmatch(t):
                    hits[(pre, length)] = t
                    break
    tree = sp.parse(desc.national_number_pattern)
    for _ in range(4000):
        t = regex_sample(tree, r)
        if len(t) in desc.possible_length and lo <= len(t) <= hi and pat.fullmatch(t):
            hits.setdefault((t[:width], len(t)), t)
    for (pre, length), t in sorted(hits.items()):
        nat = re.sub(r"\D", "", pn.format_number(pn.parse(f"+{m.country_code}{t}"), pn.PhoneNumberFormat.NATIONAL))
        bare = not trunk or not nat.startswith(trunk)
        found.setdefault((kind, bare, pre), set()).add(length)


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
        lines.append(f"    Plan {{ iso: *b\"{region}\", cc: {cc}, trunk: b\"{trunk}\", trunk2: b\"{TRUNK2.get(region, '')}\", bare: {str(bare).lower()}, mobile_token: {mobile_token}, ungrouped_max: {UNGROUPED_MAX.get(region, 0)}, rows: &[")
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
    if ex and MIN_LEN.get(region, 7) <= len(pn.national_significant_number(ex)) <= MAX_LEN.get(region, 99):
        out.append(ex)
    m = PhoneMetadata.metadata_for_region(region)
    desc = getattr(m, attr)
    if not desc or not desc.national_number_pattern:
        return out
    pat = re.compile(desc.national_number_pattern)
    lens = [l for l in desc.possible_length if MIN_LEN.get(region, 7) <= l <= MAX_LEN.get(region, 99)]
    tries = 0
    r = rng_for(region, attr)
    while len(out) < n and tries < 200000 and lens:
        tries += 1
        L = r.choice(lens)
        s = str(r.randint(1, 9)) + "".join(r.choice("0123456789") for _ in range(L - 1))
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
        types = [t for t, _ in TYPES if t not in SKIP_TYPES.get(region, ())] + [t for t, _ in EXTRA.get(region, [])]
        for attr in types:
            for num in random_valid(region, attr, 3):
                e164 = pn.format_number(num, pn.PhoneNumberFormat.E164)
                for w in groupings(region, num):
                    rows.append(f"{region}\t{attr}\t{w}\t{e164}")
    os.makedirs(os.path.join(ROOT, "crates/deskside-detect/tests/data"), exist_ok=True)
    with open(os.path.join(ROOT, "crates/deskside-detect/tests/data/plan_numbers.tsv"), "w") as f:
        f.write(f"# @generated by tests/phone_plans/gen.py (python phonenumbers {pn.__version__}): region, type, as written, E.164\n")
        f.write("\n".join(rows) + "\n")


# ---------------------------------------------------------------------------
# Round 7 (issue 17): one table of service ranges for every region the admin
# can pick (deskside_core::config::REGIONS), read by `phone::plan_service`
# and so by the ranking's `context::service_number`. Own rng, own functions:
# `gen.py service` writes only these two files.
#
#   crates/deskside-detect/src/service_ranges.rs    the table
#   crates/deskside-detect/tests/data/service_numbers.tsv   per region and
#       type, libphonenumber's example and random valid numbers, each with
#       whether it is a service number (crates/deskside-detect/tests/service.rs)

SERVICE_REGIONS = ["CN", "US", "CA", "GB", "DE", "FR", "JP", "IN", "SG", "HK", "TW", "AU",
                   "ES", "IT", "NL", "BE", "PL", "TR", "RU", "KR", "BR", "MX", "AR", "ZA", "NZ", "AE", "SA",
                   "VN", "TH", "ID", "PH", "MY", "CH", "AT", "SE", "PT", "IE"] + [r for r, _, _ in REGIONS11] + [r for r, _, _ in REGIONS18] + NANP18
# The number types that are a business's line, not a person's.
SERVICE_TYPES = [("toll_free", "TollFree"), ("shared_cost", "SharedCost"), ("premium_rate", "Premium"), ("uan", "Uan")]
# Other types a region uses for company lines, limited to the leading digits
# that are (docs/IDENTIFIERS.md, "Round 7"): IT `199` (libphonenumber's
# personal_number 1(78|99): 199 is a company's national-rate line, 178 a
# person's fax/voicemail number); TR `850` (voip: the nationwide number firms
# print as their hotline). Every other voip/personal_number/pager range
# (GB 070/056, US/CA 5xx, JP 050/060, KR 050/070, NL 085/091, AT 05/0720,
# ZA 087, …) is a person's or a desk's own line and stays out.
SERVICE_EXTRA = {"IT": [("personal_number", "Uan", "199")], "TR": [("voip", "Uan", "850")]}
# Shortest national number a range is kept for: AU's six-digit `13 xx xx` is
# the shortest number the scanner finds; shorter (NL 140xx, short codes) never reach the ranking.
SERVICE_MIN_LEN = 6
# CN's scanner takes 11-digit mobiles, 400/800 numbers and landlines of an
# area code and a 7-8-digit subscriber: its 8-digit 160/168 premium and
# 1010xxxx numbers and the city hotlines `{area code}96xxx(x)` (7-9 digits,
# 250 ranges) never reach the ranking, so they stay out of the table.
SERVICE_MIN_LEN_IN = {"CN": 10}


def svc_min_len(region):
    return SERVICE_MIN_LEN_IN.get(region, SERVICE_MIN_LEN)
svc_rng = random.Random(1707)


def own_svc_rng(region):
    """Regions 11: each new region samples from its own generator, so the shared `svc_rng`'s sequence (and
    so every earlier region's ranges and test numbers) is what it was. Swaps the global; returns the old one."""
    global svc_rng
    old = svc_rng
    if region in NEW11:
        svc_rng = _own_rngs.setdefault(("svc11", region), random.Random(f"svc11-{region}"))
    elif region in NEW18 or region in NANP18:
        svc_rng = _own_rngs.setdefault(("svc18", region), random.Random(f"svc18-{region}"))
    return old


def restore_svc_rng(old):
    global svc_rng
    svc_rng = old


def regex_sample(node, rng):
    """A random string the parsed regex matches (digits-only patterns:
    literals, classes, ranges, \d, groups, alternation, bounded repeats)."""
    from re import _parser as sp, _constants as sc
    out = []
    for op, av in node:
        if op == sc.LITERAL:
            out.append(chr(av))
        elif op == sc.IN:
            choices = []
            for o, a in av:
                if o == sc.LITERAL:
                    choices.append(chr(a))
                elif o == sc.RANGE:
                    choices.extend(chr(c) for c in range(a[0], a[1] + 1))
                elif o == sc.CATEGORY and a == sc.CATEGORY_DIGIT:
                    choices.extend("0123456789")
                else:
                    raise ValueError(f"class item {o} {a}")
            out.append(rng.choice(choices))
        elif op in (sc.MAX_REPEAT, sc.MIN_REPEAT):
            lo, hi, sub = av
            for _ in range(rng.randint(lo, min(hi, lo + 12))):
                out.append(regex_sample(sub, rng))
        elif op == sc.SUBPATTERN:
            out.append(regex_sample(av[-1], rng))
        elif op == sc.BRANCH:
            out.append(regex_sample(rng.choice(av[1]), rng))
        else:
            raise ValueError(f"op {op}")
    return "".join(out)


def service_prefixes(pattern, only="", min_len=SERVICE_MIN_LEN):
    """(prefix, length) pairs whose every completion to that length the
    pattern matches, covering every number of the pattern (at least
    `min_len` digits) that starts with `only`. The strings the pattern
    generates lead the search, so narrow literal ranges are found; a prefix
    is full when every sampled completion matches."""
    from re import _parser as sp
    pat = re.compile(pattern)
    tree = sp.parse(pattern)
    full = {}

    def is_full(p, length):
        key = (p, length)
        if key not in full:
            rest = length - len(p)
            tries = [p + "".join(svc_rng.choice("0123456789") for _ in range(rest)) for _ in range(0 if rest == 0 else 300)]
            tries += [p + c * rest for c in "0123456789"] if rest else [p]
            full[key] = all(pat.fullmatch(t) for t in tries)
        return full[key]

    found = set()
    for _ in range(6000):
        s = regex_sample(tree, svc_rng)
        if len(s) < min_len or not s.startswith(only) or not pat.fullmatch(s):
            continue
        for k in range(max(1, len(only)), len(s) + 1):
            if is_full(s[:k], len(s)):
                found.add((s[:k], len(s)))
                break
    # A prefix under another full prefix of the same length is redundant.
    return {(p, l) for p, l in found if not any((p[:k], l) in found for k in range(1, len(p)))}


def service_rows(region):
    m = PhoneMetadata.metadata_for_region(region)
    kinds = [(attr, kind, "") for attr, kind in SERVICE_TYPES] + SERVICE_EXTRA.get(region, [])
    cells = {}  # (kind, prefix) -> lengths
    for attr, kind, only in kinds:
        desc = getattr(m, attr)
        if not desc or not desc.national_number_pattern:
            continue
        for p, l in service_prefixes(desc.national_number_pattern, only, svc_min_len(region)):
            cells.setdefault((kind, p), set()).add(l)
    # Siblings that differ in their last digit and share lengths: one row
    # (the digits before it and a bit mask of it); ten siblings: their parent.
    rows = {}
    for (kind, p), lens in cells.items():
        lens = sorted(lens)
        run = [lens[0]]
        for l in lens[1:] + [None]:
            if l is not None and l == run[-1] + 1:
                run.append(l)
                continue
            key = (kind, p[:-1], run[0], run[-1])
            rows[key] = rows.get(key, 0) | 1 << int(p[-1])
            if l is not None:
                run = [l]
    return m.country_code, sorted((lead, mask, lo, hi, kind) for (kind, lead, lo, hi), mask in rows.items())


def write_service_table():
    by_cc = {}
    for region in SERVICE_REGIONS:
        old = own_svc_rng(region)
        cc, rows = service_rows(region)
        restore_svc_rng(old)
        regions, all_rows = by_cc.setdefault(cc, ([], set()))
        regions.append(region)
        all_rows.update(rows)  # US and CA share +1
    lines = [
        "// @generated by tests/phone_plans/gen.py (write_service_table) from libphonenumber",
        f"// metadata (python phonenumbers {pn.__version__}). Do not edit by hand: edit gen.py's",
        "// SERVICE_* settings and rerun `python3 tests/phone_plans/gen.py service`.",
        "//",
        "// Per country code: a number is a service number of that kind when its national",
        "// significant number has between `min` and `max` digits, starts with the",
        "// `lead_len` digits of `lead` and the digit after them has its bit set in `next`.",
        "",
        "use super::{Range, ServiceKind};",
        "",
        "pub(super) const RANGES: &[(u16, &[Range])] = &[",
    ]
    n = 0
    for cc in sorted(by_cc):
        regions, rows = by_cc[cc]
        lines.append(f"    // {' '.join(regions)}")
        lines.append(f"    ({cc}, &[")
        for lead, mask, lo, hi, kind in sorted(rows):
            n += 1
            lines.append(f"        Range {{ lead: {int(lead) if lead else 0}, lead_len: {len(lead)}, next: 0b{mask:010b}, min: {lo}, max: {hi}, kind: ServiceKind::{kind} }},")
        lines.append("    ]),")
    lines.append("];")
    with open(os.path.join(ROOT, "crates/deskside-detect/src/service_ranges.rs"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"service_ranges.rs: {len(by_cc)} country codes, {n} ranges")


def typed_numbers(region, attr, n, only=""):
    """libphonenumber's example of a type and random numbers it calls valid
    and of that type (US/CA mobile and fixed are one type to it)."""
    want = {PNTYPE.get(attr, getattr(pn.PhoneNumberType, attr.upper()))}
    if attr in ("mobile", "fixed_line"):
        want.add(pn.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    m = PhoneMetadata.metadata_for_region(region)
    desc = getattr(m, attr)
    if not desc or not desc.national_number_pattern:
        return []
    out = []
    ex = pn.example_number_for_type(region, getattr(pn.PhoneNumberType, attr.upper()))
    if ex and pn.national_significant_number(ex).startswith(only) and len(pn.national_significant_number(ex)) >= svc_min_len(region):
        out.append(pn.national_significant_number(ex))
    from re import _parser as sp
    tree = sp.parse(desc.national_number_pattern)
    tries = 0
    while len(out) < n and tries < 5000:
        tries += 1
        s = regex_sample(tree, svc_rng)
        if len(s) < svc_min_len(region) or not s.startswith(only) or s in out:
            continue
        num = pn.parse(f"+{m.country_code}{s}")
        if pn.is_valid_number_for_region(num, region) and pn.number_type(num) in want:
            out.append(s)
    return [f"+{m.country_code}{s}" for s in out]


def write_service_numbers():
    rows = []
    for region in SERVICE_REGIONS:
        old = own_svc_rng(region)
        for attr, _ in SERVICE_TYPES:
            rows += [f"{region}\t{attr}\t{e}\tservice" for e in typed_numbers(region, attr, 4)]
        for attr, _, only in SERVICE_EXTRA.get(region, []):
            rows += [f"{region}\t{attr} {only}\t{e}\tservice" for e in typed_numbers(region, attr, 4, only)]
        for attr in ("mobile", "fixed_line"):
            rows += [f"{region}\t{attr}\t{e}\tperson" for e in typed_numbers(region, attr, 4)]
        # The types left out on purpose: a person's or a desk's own line.
        extra = {a for a, _, o in SERVICE_EXTRA.get(region, []) if not o}
        for attr in ("voip", "personal_number"):
            if attr in extra:
                continue
            only_in = [o for a, _, o in SERVICE_EXTRA.get(region, []) if a == attr]
            for e in typed_numbers(region, attr, 3):
                if not any(e[1 + len(str(pn.parse(e).country_code)):].startswith(o) for o in only_in):
                    rows.append(f"{region}\t{attr}\t{e}\tperson")
        restore_svc_rng(old)
    with open(os.path.join(ROOT, "crates/deskside-detect/tests/data/service_numbers.tsv"), "w") as f:
        f.write(f"# @generated by tests/phone_plans/gen.py (write_service_numbers; python phonenumbers {pn.__version__}): region, type, E.164, service or person\n")
        f.write("\n".join(rows) + "\n")
    print(f"service_numbers.tsv: {len(rows)} numbers")


if __name__ == "__main__":
    if sys.argv[1:] == ["service"]:
        write_service_table()
        write_service_numbers()
        sys.exit(0)
    write_table()
    write_numbers()
    write_service_table()
    write_service_numbers()
