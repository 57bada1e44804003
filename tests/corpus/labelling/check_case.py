#!/usr/bin/env python3
"""Checks a held-out JSONL file against the labelling extract."""
import json, re, sys, unicodedata
import phonenumbers

def digits(s):
    s = unicodedata.normalize('NFKC', s)
    return re.sub(r'\D', '', s)

def cn_id_ok(v):
    if not re.fullmatch(r'\d{17}[\dX]', v): return False
    w = [7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
    s = sum(int(a)*b for a, b in zip(v[:17], w))
    return '10X98765432'[s % 11] == v[17]

def uscc_ok(v):
    al = '0123456789ABCDEFGHJKLMNPQRTUWXY'
    if len(v) != 18 or any(c not in al for c in v): return False
    w = [1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28]
    s = sum(al.index(c)*x for c, x in zip(v[:17], w))
    return al[(31 - s % 31) % 31] == v[17]

bad = 0
ids = set()
for path in sys.argv[1:]:
    for n, line in enumerate(open(path, encoding='utf-8'), 1):
        if not line.strip(): continue
        where = f'{path}:{n}'
        def err(m):
            global bad; bad += 1; print(f'{where}: {m}')
        try: d = json.loads(line)
        except Exception as e: err(f'not JSON: {e}'); continue
        for k in ('id', 'region', 'team_domains', 'input', 'expect', 'best'):
            if k not in d: err(f'missing {k}')
        if d.get('id') in ids: err(f'duplicate id {d.get("id")}')
        ids.add(d.get('id'))
        region = d.get('region', '')
        text = d.get('input', '')
        tdig = digits(text)
        tlow = unicodedata.normalize('NFKC', text).lower().replace('&commat;', '@')
        values = []
        for e in d.get('expect', []):
            kind, v = e.get('kind'), e.get('value', '')
            values.append(v)
            if kind == 'phone':
                try:
                    p = phonenumbers.parse(v, None)
                    if not phonenumbers.is_valid_number(p): err(f'phone {v} not valid')
                    if phonenumbers.format_number(p, phonenumbers.PhoneNumberFormat.E164) != v: err(f'phone {v} not E.164')
                    nat = str(p.national_number)
                    if nat not in tdig and digits(v) not in tdig: err(f'phone {v}: its digits are not in input')
                except Exception as ex: err(f'phone {v}: {ex}')
                for tp in d.get('team_phones', []):
                    if tp == v: err(f'phone {v} is also in team_phones')
            elif kind == 'email':
                if v != v.lower() or '@' not in v: err(f'email {v} not lower-case address')
                dom = v.split('@')[-1]
                if any(dom == t or dom.endswith('.' + t) for t in d.get('team_domains', [])): err(f'email {v} is at a team domain')
                local, _, host = v.partition('@')
                if v not in tlow and (local not in tlow or host not in tlow): err(f'email {v} not in input')
            elif kind == 'resident_id':
                if not cn_id_ok(v): err(f'resident_id {v} bad checksum')
            elif kind == 'credit_code':
                if not uscc_ok(v): err(f'credit_code {v} bad checksum')
            else:
                err(f'unknown kind {kind}')
        if len(set(values)) != len(values): err('duplicate values in expect')
        if d.get('best') is not None and d['best'] not in values: err(f'best {d["best"]} not in expect')
        for tp in d.get('team_phones', []):
            try:
                if not phonenumbers.is_valid_number(phonenumbers.parse(tp, None)): err(f'team phone {tp} not valid')
            except Exception as ex: err(f'team phone {tp}: {ex}')
        for key in ('agent', 'team_messages', 'team_domains', 'team_phones'):
            if key in d and not (isinstance(d[key], list) and all(isinstance(x, str) for x in d[key])):
                err(f'{key} must be a list of strings')
        for m in d.get('team_messages', []):
            if m not in text: err('a team_messages text is not inside input')
        if not 200 <= len(text) <= 4000: err(f'input length {len(text)} out of 200..4000')
print(f'{len(ids)} cases, {bad} problems')
sys.exit(1 if bad else 0)
