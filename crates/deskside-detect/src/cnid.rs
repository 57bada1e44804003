//! Chinese resident ID numbers and unified social credit codes.
//!
//! * Resident identity card numbers (居民身份证号码, GB 11643-1999): 17 digits
//!   followed by an ISO 7064 MOD 11-2 check character (`0`–`9` or `X`). The
//!   two-digit province prefix must be a real province code and digits 7–14
//!   must be a real calendar date between 1900 and 2100.
//! * Unified social credit codes (统一社会信用代码, GB 32100-2015): 18
//!   characters from `0-9A-Y` without `I O Z S V`, with a MOD 31 check
//!   character; characters 3–8 are the administrative division code (digits).
//!
//! Full-width digits and letters (`０-９`, `Ａ-Ｚ`, `ａ-ｚ`) are normalised to
//! ASCII, and letters are upper-cased, so `x` is accepted as the resident-ID
//! check character and credit codes may be written in lower case.
//!
//! [`find_cn_ids`] scans text in one pass without allocating per character:
//! a candidate is a maximal run of exactly 18 (ASCII or full-width)
//! letters/digits, so a number glued to other letters or digits is not
//! reported, while Chinese text and punctuation around it are fine.

/// Which kind of identifier a match is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CnIdKind {
    /// 居民身份证号码 (GB 11643-1999).
    ResidentId,
    /// 统一社会信用代码 (GB 32100-2015).
    CreditCode,
}

/// One identifier found in text by [`find_cn_ids`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CnIdMatch {
    pub kind: CnIdKind,
    /// Normalised value: ASCII, upper-case, 18 characters.
    pub value: String,
    /// Byte offset of the first character in the original text.
    pub start: usize,
    /// Byte offset just past the last character in the original text.
    pub end: usize,
}

/// Length of both identifier kinds.
const LEN: usize = 18;

/// Resident ID check characters indexed by (weighted sum mod 11).
const RID_CHECK: &[u8; 11] = b"10X98765432";

/// Resident ID weights: 2^(17-i) mod 11 for i in 0..17.
const RID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Credit code alphabet; a character's value is its index.
const CC_CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Credit code weights: 3^i mod 31.
const CC_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// Normalises one character to an upper-case ASCII letter or digit, or `None`
/// if it is not an (ASCII or full-width) letter or digit.
#[inline(always)]
const fn norm_char(c: char) -> Option<u8> {
    let u = c as u32;
    let ascii = match c {
        '0'..='9' | 'A'..='Z' => u as u8,
        'a'..='z' => (u as u8).to_ascii_uppercase(),
        '\u{FF10}'..='\u{FF19}' => (u - 0xFF10) as u8 + b'0',
        '\u{FF21}'..='\u{FF3A}' => (u - 0xFF21) as u8 + b'A',
        '\u{FF41}'..='\u{FF5A}' => (u - 0xFF41) as u8 + b'A',
        _ => return None,
    };
    Some(ascii)
}

/// [`norm_char`] of every ASCII byte, 0 for none: one load for each char
/// of every letter/digit run the scanner reads, instead of the match's
/// range tests (computed from [`norm_char`], so the two cannot disagree).
const ASCII_NORM: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = match norm_char(b as u8 as char) {
            Some(n) => n,
            None => 0,
        };
        b += 1;
    }
    table
};

/// Normalises a whole string into an 18-byte buffer; `None` if it is not
/// exactly 18 letters/digits.
fn norm_str(s: &str) -> Option<[u8; LEN]> {
    let mut buf = [0u8; LEN];
    let mut n = 0;
    for c in s.chars() {
        let b = norm_char(c)?;
        if n == LEN {
            return None;
        }
        buf[n] = b;
        n += 1;
    }
    (n == LEN).then_some(buf)
}

fn is_leap(y: u32) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn digits_value(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &d| {
        d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
    })
}

fn valid_province(p: u32) -> bool {
    matches!(p, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82)
}

fn valid_date(yyyymmdd: &[u8]) -> bool {
    let (Some(y), Some(m), Some(d)) = (
        digits_value(&yyyymmdd[0..4]),
        digits_value(&yyyymmdd[4..6]),
        digits_value(&yyyymmdd[6..8]),
    ) else {
        return false;
    };
    if !(1900..=2100).contains(&y) || !(1..=12).contains(&m) {
        return false;
    }
    let days = match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=days).contains(&d)
}

/// Validates a normalised (ASCII, upper-case) 18-byte resident ID.
fn resident_id_ok(b: &[u8; LEN]) -> bool {
    if !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let Some(province) = digits_value(&b[0..2]) else {
        return false;
    };
    if !valid_province(province) || !valid_date(&b[6..14]) {
        return false;
    }
    let sum: u32 = b[..17]
        .iter()
        .zip(RID_WEIGHTS)
        .map(|(&d, w)| u32::from(d - b'0') * w)
        .sum();
    b[17] == RID_CHECK[(sum % 11) as usize]
}

fn cc_value(c: u8) -> Option<u32> {
    CC_CHARSET.iter().position(|&x| x == c).map(|i| i as u32)
}

/// Validates a normalised (ASCII, upper-case) 18-byte credit code.
fn credit_code_ok(b: &[u8; LEN]) -> bool {
    // Registration authority.
    if !matches!(b[0], b'1'..=b'9' | b'A'..=b'H' | b'N' | b'Y') {
        return false;
    }
    // Organisation type: any charset character except 0.
    if b[1] == b'0' || cc_value(b[1]).is_none() {
        return false;
    }
    // Administrative division code.
    if !b[2..8].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut sum = 0u32;
    for (&c, w) in b[..17].iter().zip(CC_WEIGHTS) {
        let Some(v) = cc_value(c) else {
            return false;
        };
        sum += v * w;
    }
    let check = (31 - sum % 31) % 31;
    cc_value(b[17]) == Some(check)
}

/// Classifies a normalised buffer; resident ID wins if both are valid.
fn classify(b: &[u8; LEN]) -> Option<CnIdKind> {
    if resident_id_ok(b) {
        Some(CnIdKind::ResidentId)
    } else if credit_code_ok(b) {
        Some(CnIdKind::CreditCode)
    } else {
        None
    }
}

/// Whether `s` (exactly the 18 characters, no surrounding spaces) is a valid
/// resident ID number. Full-width characters and a lower-case `x` are accepted.
pub fn is_valid_resident_id(s: &str) -> bool {
    norm_str(s).is_some_and(|b| resident_id_ok(&b))
}

/// Whether `s` (exactly the 18 characters, no surrounding spaces) is a valid
/// unified social credit code. Full-width and lower-case letters are accepted.
pub fn is_valid_credit_code(s: &str) -> bool {
    norm_str(s).is_some_and(|b| credit_code_ok(&b))
}

/// Finds all valid resident IDs and credit codes in `text`, in order.
///
/// Linear in the text; allocates only for the matches found.
pub fn find_cn_ids(text: &str) -> Vec<CnIdMatch> {
    let mut scan = CnIdScan::new(text);
    scan.scan_to(text.len());
    scan.out
}

/// The ID-code scanner as a cursor, so that the phone scanner's walk over
/// the same digits can drive it (one pass over the text for both): every
/// valid code has a digit among its first eight characters, so only runs
/// holding a digit need reading. At a stop (an ASCII digit, or 0xEF: the lead
/// byte of the full-width forms, which include full-width digits) it backs
/// up to the start of the letter/digit run and reads the run.
pub(crate) struct CnIdScan<'a> {
    text: &'a str,
    /// Everything before this has been read.
    next: usize,
    pub(crate) out: Vec<CnIdMatch>,
}

impl<'a> CnIdScan<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        CnIdScan { text, next: 0, out: Vec::new() }
    }

    /// Every stop from where the scan is up to `limit`.
    pub(crate) fn scan_to(&mut self, limit: usize) {
        let bytes = self.text.as_bytes();
        while self.next < limit {
            match next_number_stop(bytes, self.next, Stops::Digits) {
                Some(at) if at < limit => self.visit(at),
                _ => break,
            }
        }
    }

    /// The stop at `i` (an ASCII digit or a 0xEF byte), unless already read.
    #[inline(always)]
    pub(crate) fn visit(&mut self, i: usize) {
        if i < self.next {
            return;
        }
        let (text, bytes) = (self.text, self.text.as_bytes());
        // A 0xEF lead byte that is not a full-width digit (０-９ are EF BC 90-99):
        // full-width punctuation, common in Chinese text.
        if bytes[i] == 0xEF && !matches!(bytes.get(i + 1..i + 3), Some([0xBC, 0x90..=0x99])) {
            self.next = i + 3;
            return;
        }
        let Some((first, width)) = char_at(text, i) else {
            self.next = text.len();
            return;
        };
        if first.is_none() {
            self.next = i + width;
            return;
        }
        // Back to the run's start: ASCII letters and digits on bytes,
        // full-width ones decoded.
        let mut start = i;
        loop {
            while start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
                start -= 1;
            }
            match text[..start].chars().next_back() {
                Some(c) if !c.is_ascii() && norm_char(c).is_some() => start -= c.len_utf8(),
                _ => break,
            }
        }
        let mut buf = [0u8; LEN];
        let mut run_len = 0usize;
        let mut end = start;
        while let Some((Some(b), w)) = char_at(text, end) {
            if run_len < LEN {
                buf[run_len] = b;
            }
            run_len += 1;
            end += w;
        }
        if run_len == LEN {
            if let Some(kind) = classify(&buf) {
                // The buffer is ASCII by construction.
                self.out.push(CnIdMatch { kind, value: buf.iter().map(|&b| char::from(b)).collect(), start, end });
            }
        } else if (matches!(run_len, 3 | 4 | 6 | 8) || run_len == 2 && code_parts_follow(bytes, end)) && buf[..run_len].iter().all(u8::is_ascii_digit) {
            if let Some((kind, grouped_end)) = grouped_id(text, run_len, end, &mut buf) {
                self.out.push(CnIdMatch { kind, value: buf.iter().map(|&b| char::from(b)).collect(), start, end: grouped_end });
                self.next = grouped_end;
                return;
            }
        }
        self.next = end;
    }
}

/// The ways people group a resident ID's 18 characters when they write it
/// out (KYC forms, ID cards read aloud): area, birth date, sequence and
/// check (`440106 19990316 912X`), or in fours.
const ID_GROUPINGS: [&[usize]; 4] = [&[6, 8, 4], &[6, 4, 4, 4], &[4, 4, 4, 4, 2], &[3, 3, 4, 4, 4]];

/// The ways people group a credit code's 18 characters (contracts, invoices
/// read out): in fours (`9144 0300 MA5F UW3N 70`), in eights
/// (`91440300 MA5F8K2L 4T`), or by its parts: registration, area,
/// organisation code, check (`91 440300 MA5F8K2L4 T`).
const CODE_GROUPINGS: [&[usize]; 3] = [&[4, 4, 4, 4, 2], &[8, 8, 2], &[2, 6, 9, 1]];

/// Whether a credit code's six-digit area group follows a two-character
/// run ending at `end` (`91 440300 …`), after an ASCII space or dash: two
/// digits then a space are everywhere (`12 items`), so the grouped reading
/// is tried only after this look on bytes.
#[inline(always)]
fn code_parts_follow(bytes: &[u8], end: usize) -> bool {
    matches!(bytes.get(end), Some(b' ' | b'-'))
        && bytes.get(end + 1..end + 7).is_some_and(|g| g.iter().all(u8::is_ascii_digit))
        && bytes.get(end + 7) == bytes.get(end)
}

/// Whether `sizes[..n]` begins (`whole`: is) one of `groupings`.
fn fits(groupings: &[&[usize]], sizes: &[usize], n: usize, whole: bool) -> bool {
    groupings.iter().any(|g| if whole { g.len() == n } else { g.len() >= n } && (0..n).all(|k| g[k] == sizes[k]))
}

/// A resident ID or credit code written in groups, whose first group
/// (`first_len` digits, already in `buf`) ends at `first_end`: the groups
/// that follow, each after one space or dash (ASCII or full-width; the same
/// one throughout), fill `buf`; the kind and the end of the last group if
/// they make a valid resident ID in one of [`ID_GROUPINGS`] or a valid
/// credit code in one of [`CODE_GROUPINGS`].
fn grouped_id(text: &str, first_len: usize, first_end: usize, buf: &mut [u8; LEN]) -> Option<(CnIdKind, usize)> {
    let bytes = text.as_bytes();
    // (The separator's bytes compared one by one, and the groupings' sizes
    // too: a slice comparison was a `memcmp` call, about 20,000 a 1 MB scan
    // of text full of dates and prices.)
    let (sep, sep_len): ([u8; 3], usize) = match bytes.get(first_end..)? {
        [c @ (b' ' | b'-'), ..] => ([*c, 0, 0], 1),
        // U+3000 (ideographic space), U+FF0D (full-width hyphen).
        [a @ 0xE3, b @ 0x80, c @ 0x80, ..] | [a @ 0xEF, b @ 0xBC, c @ 0x8D, ..] => ([*a, *b, *c], 3),
        _ => return None,
    };
    let (mut sizes, mut n, mut total, mut pos) = ([0usize; 5], 1, first_len, first_end);
    sizes[0] = first_len;
    while total < LEN {
        if n == sizes.len() || !(0..sep_len).all(|k| bytes.get(pos + k) == Some(&sep[k])) {
            return None;
        }
        pos += sep_len;
        let mut len = 0;
        while let Some((Some(b), w)) = char_at(text, pos) {
            if len == 9 || total + len == LEN {
                return None;
            }
            buf[total + len] = b;
            len += 1;
            pos += w;
        }
        if len == 0 {
            return None;
        }
        sizes[n] = len;
        n += 1;
        total += len;
        // (A date's `2026-11` or a price's `1 299` fits no grouping: stop early.)
        if !fits(&ID_GROUPINGS, &sizes, n, false) && !fits(&CODE_GROUPINGS, &sizes, n, false) {
            return None;
        }
    }
    if fits(&ID_GROUPINGS, &sizes, n, true) && resident_id_ok(buf) {
        Some((CnIdKind::ResidentId, pos))
    } else if fits(&CODE_GROUPINGS, &sizes, n, true) && credit_code_ok(buf) {
        Some((CnIdKind::CreditCode, pos))
    } else {
        None
    }
}

/// The normalised letter/digit at byte `i` (None for anything else) and the
/// char's width; ASCII without decoding.
#[inline(always)]
fn char_at(text: &str, i: usize) -> Option<(Option<u8>, usize)> {
    let b = *text.as_bytes().get(i)?;
    if b.is_ascii() {
        let n = ASCII_NORM[usize::from(b)];
        return Some(((n != 0).then_some(n), 1));
    }
    let c = text[i..].chars().next()?;
    Some((norm_char(c), c.len_utf8()))
}

/// Which bytes a scanner stops at.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stops {
    /// ASCII digits and 0xEF (the lead byte of the full-width forms, among
    /// them full-width digits and `＋`, `（`): where an ID code's digits can
    /// be, and where the phone walk stops (a number's `+` or `(` is looked
    /// back for from its first digit, see `phone::walk`).
    Digits,
    /// `@`, for the email scanner.
    AtSign,
    /// The same as `Digits`, and `@`: the one pass over a text. (And the
    /// closing brackets `]`, `)`, `}`, for an address's `[at]`: session 20.)
    DigitsOrAt,
    /// Line breaks, for the sign-off scanner.
    Newline,
}

impl Stops {
    #[inline(always)]
    fn byte(self, b: u8) -> bool {
        match self {
            Stops::AtSign => b == b'@',
            Stops::Newline => b == b'\n',
            Stops::Digits => b.is_ascii_digit() || b == 0xEF,
            Stops::DigitsOrAt => Stops::Digits.byte(b) || matches!(b, b'@' | b']' | b')' | b'}'),
        }
    }
}

/// The next byte at or after `from` that `stops` names. Eight bytes at a
/// time (SWAR): ticket text is mostly letters, spaces, punctuation and CJK,
/// which this skips without looking at each byte; in a word that holds a
/// stop, the lowest flagged byte is the first stop (the masks below are
/// exact up to their first hit), so no byte is looked at one by one either.
///
/// Sixteen bytes a step first where the build enables wasm `simd128`
/// ([`crate::simd`]), the eight-byte words for what is left.
#[inline(always)]
pub(crate) fn next_stop(bytes: &[u8], mut from: usize, stops: Stops) -> Option<usize> {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    while let Some(sixteen) = bytes.get(from..from + 16) {
        let hits = crate::simd::stops16(sixteen, stops);
        if hits != 0 {
            return Some(from + hits.trailing_zeros() as usize);
        }
        from += 16;
    }
    // (Whole words from an exact-size iterator: no bounds or length check
    // per word, which the indexed loop paid on every eight bytes.)
    let mut words = bytes.get(from..)?.chunks_exact(8);
    for word in &mut words {
        let hits = stops.mask(crate::load_u64(word));
        if hits != 0 {
            return Some(from + (hits.trailing_zeros() / 8) as usize);
        }
        from += 8;
    }
    words.remainder().iter().position(|&b| stops.byte(b)).map(|i| from + i)
}

/// [`next_stop`] for `Digits` or `DigitsOrAt`, past full-width forms that
/// cannot start a number (`，`, `：`, `。`: 0xEF not before `０`-`９`, `＋`,
/// `（`), which both the phone walk and [`CnIdScan::visit`] only step over:
/// common in Chinese text, and each was a return to the walk, a visit and
/// a new search. (Not visiting one changes nothing: no letter/digit run
/// holds it, and every later stop is past it.)
#[inline(always)]
pub(crate) fn next_number_stop(bytes: &[u8], mut from: usize, stops: Stops) -> Option<usize> {
    loop {
        let at = next_stop(bytes, from, stops)?;
        // (And the full-width `＠`, `EF BC A0`, where the `@`s are asked for.)
        if bytes[at] != 0xEF
            || matches!(bytes.get(at + 1..at + 3), Some([0xBC, 0x90..=0x99 | 0x8B | 0x88]))
            || matches!(stops, Stops::DigitsOrAt) && bytes.get(at + 1..at + 3) == Some(&[0xBC, 0xA0])
        {
            return Some(at);
        }
        from = at + 3;
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `y` below `n` (at most 0x80), exact up to
/// the first (Bit Twiddling Hacks' hasless: a borrow can only flag bytes
/// above a true hit). Without its `& HIGH`: [`Stops::mask`] applies that
/// once to the masks it joins.
#[inline(always)]
fn bytes_below(y: u64, n: u8) -> u64 {
    y.wrapping_sub(ONES * u64::from(n)) & !y
}

/// The high bit of each byte of `x` that equals `b`, exact up to the first
/// (haszero of `x ^ b`); as [`bytes_below`], without its `& HIGH`.
#[inline(always)]
fn bytes_equal(x: u64, b: u8) -> u64 {
    bytes_below(x ^ (ONES * u64::from(b)), 1)
}

/// The high bit of each ASCII digit of `x`, exact up to the first: `x ^ '0'`
/// is below 10 for `0`-`9` alone. (Speed25: the exact hasbetween it
/// replaces took eight operations a word, this three; [`next_stop`] reads
/// only the first hit.) As [`bytes_below`], without its `& HIGH`.
#[inline(always)]
fn ascii_digits(x: u64) -> u64 {
    bytes_below(x ^ (ONES * u64::from(b'0')), 10)
}

impl Stops {
    /// The high bit of each byte of `x` this names (exact up to the first:
    /// the lowest flag of any of the masks joined is a true hit, as each
    /// one's lowest is).
    #[inline(always)]
    fn mask(self, x: u64) -> u64 {
        HIGH & match self {
            Stops::AtSign => bytes_equal(x, b'@'),
            Stops::Newline => bytes_equal(x, b'\n'),
            Stops::Digits => ascii_digits(x) | bytes_equal(x, 0xEF),
            // (`]` and `}` are one test: `0x5D | 0x20` is `0x7D`, and no other byte is.)
            Stops::DigitsOrAt => ascii_digits(x) | bytes_equal(x, 0xEF) | bytes_equal(x, b'@') | bytes_equal(x | ONES * 0x20, b'}') | bytes_equal(x, b')'),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RID: &str = "11010519491231002X";

    #[test]
    fn resident_ids_written_in_groups() {
        fn found(t: &str) -> Vec<(String, &str)> {
            find_cn_ids(t).into_iter().map(|m| (m.value, &t[m.start..m.end])).collect()
        }
        for t in ["440106 19990316 912X", "440106-19990316-912x", "4401 0619 9903 1691 2X", "440106 1999 0316 912X", "440 106 1999 0316 912X", "４４０１０６　１９９９０３１６　９１２Ｘ", "440106－19990316－912X"] {
            let text = format!("身份证：{t}，谢谢");
            assert_eq!(found(&text), [("44010619990316912X".to_string(), t)], "{t}");
        }
        // Groupings nobody writes, a wrong check digit, mixed separators,
        // a missing group, letters glued on: no ID.
        for t in ["44010619 990316 912X", "440106 19990316 9121", "440106 19990316-912X", "440106 19990316", "440106 19990316 912Xa", "440106  19990316 912X"] {
            assert!(found(t).is_empty(), "{t}");
        }
        // The plain form is unchanged, and so is what follows a grouped one.
        assert_eq!(found(&format!("{RID} 440106 19990316 912X")).len(), 2);
    }

    #[test]
    fn credit_codes_written_in_groups() {
        let code = "91310000MA1FL8TQ23";
        assert!(is_valid_credit_code(code));
        fn kinds(t: &str) -> Vec<(CnIdKind, String, String)> {
            find_cn_ids(t).into_iter().map(|m| (m.kind, m.value, t[m.start..m.end].to_string())).collect()
        }
        for t in ["9131 0000 MA1F L8TQ 23", "91310000 MA1FL8TQ 23", "91 310000 MA1FL8TQ2 3", "9131-0000-MA1F-L8TQ-23", "９１３１　００００　ＭＡ１Ｆ　Ｌ８ＴＱ　２３"] {
            let text = format!("统一社会信用代码：{t}。");
            assert_eq!(kinds(&text), [(CnIdKind::CreditCode, code.to_string(), t.to_string())], "{t}");
        }
        // A wrong check character, a grouping nobody writes, mixed
        // separators, a letter glued on: no code.
        for t in ["9131 0000 MA1F L8TQ 24", "913100 00MA1F L8TQ23", "9131 0000-MA1F L8TQ 23", "9131 0000 MA1F L8TQ 23a"] {
            assert!(find_cn_ids(t).is_empty(), "{t}");
        }
        // Digits in eights that make no valid code (dates, order numbers) stay nothing.
        assert!(find_cn_ids("20261127 41887220 04").is_empty());
    }

    #[test]
    fn stops_are_found_eight_at_a_time_and_one_by_one() {
        let text = "Hello there, friend: abcdefgh ijklmnop 7 qrstuvwx（）０ yz+ ( end.";
        let b = text.as_bytes();
        for stops in [Stops::Digits, Stops::DigitsOrAt] {
            let slow: Vec<usize> = (0..b.len()).filter(|&i| stops.byte(b[i])).collect();
            let mut fast = Vec::new();
            let mut i = 0;
            while let Some(at) = next_stop(b, i, stops) {
                fast.push(at);
                i = at + 1;
            }
            assert_eq!(fast, slow);
        }
        // Every pair of byte values, where a borrow could flag a byte that is
        // no stop: the first flagged byte is the first stop all the same.
        for stops in [Stops::Digits, Stops::AtSign, Stops::Newline, Stops::DigitsOrAt] {
            for a in 0..=255u8 {
                for c in 0..=255u8 {
                    let mut w = [b'x'; 16];
                    (w[5], w[6], w[11]) = (a, c, a);
                    let slow = w.iter().position(|&x| stops.byte(x));
                    assert_eq!(next_stop(&w, 0, stops), slow, "{a:#x} {c:#x}");
                    assert_eq!(next_stop(&w, 7, stops), w[7..].iter().position(|&x| stops.byte(x)).map(|i| i + 7));
                }
            }
        }
        assert_eq!(next_stop(b"no numbers here, at all (none) + more", 0, Stops::Digits), None);
        assert_eq!(next_stop(b"no numbers here, at all (none) + m@il", 0, Stops::DigitsOrAt), Some(29));
        assert_eq!(next_stop(b"no numbers here, at all [none + m@il", 0, Stops::DigitsOrAt), Some(33));
    }
    /// 91310000MA1FL8TQ2X from the sample page has a bad check char; this is
    /// the same prefix with the computed check char `3`.
    const CC: &str = "91310000MA1FL8TQ23";
    const CC2: &str = "91110000600037341L";

    /// Computes the resident ID check character for a 17-digit prefix.
    fn rid_check(p: &str) -> char {
        let sum: u32 = p
            .bytes()
            .zip(RID_WEIGHTS)
            .map(|(d, w)| u32::from(d - b'0') * w)
            .sum();
        char::from(RID_CHECK[(sum % 11) as usize])
    }

    fn with_rid_check(p: &str) -> String {
        format!("{p}{}", rid_check(p))
    }

    fn to_full_width(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10),
                'A'..='Z' => char::from_u32(c as u32 - 'A' as u32 + 0xFF21),
                'a'..='z' => char::from_u32(c as u32 - 'a' as u32 + 0xFF41),
                _ => Some(c),
            })
            .map(|c| c.unwrap_or('?'))
            .collect()
    }

    #[test]
    fn weights_are_powers() {
        for (i, &w) in RID_WEIGHTS.iter().enumerate() {
            assert_eq!(w, (1u64 << (17 - i)) as u32 % 11);
        }
        let mut p = 1u32;
        for &w in &CC_WEIGHTS {
            assert_eq!(w, p);
            p = p * 3 % 31;
        }
    }

    #[test]
    fn valid_resident_id() {
        assert!(is_valid_resident_id(RID));
        assert!(!is_valid_resident_id("110105194912310021"));
    }

    #[test]
    fn resident_id_lower_x() {
        assert!(is_valid_resident_id("11010519491231002x"));
    }

    #[test]
    fn resident_id_computed_examples() {
        for p in ["44030119900307123", "11010519800101001", "82000020001231999", "65010220000229000"] {
            let id = with_rid_check(p);
            assert!(is_valid_resident_id(&id), "{id}");
        }
    }

    #[test]
    fn resident_id_bad_checksum() {
        assert!(!is_valid_resident_id("110105194912310021"));
        assert!(!is_valid_resident_id("110105194912310028"));
        let id = with_rid_check("44030119900307123");
        let mut bad = id[..17].to_string();
        bad.push(if id.ends_with('0') { '1' } else { '0' });
        assert!(!is_valid_resident_id(&bad));
    }

    #[test]
    fn resident_id_bad_date() {
        assert!(!is_valid_resident_id(&with_rid_check("11010519490230002")));
        assert!(!is_valid_resident_id(&with_rid_check("11010519491301002")));
        assert!(!is_valid_resident_id(&with_rid_check("11010519490431002")));
        assert!(!is_valid_resident_id(&with_rid_check("11010519490100002")));
        assert!(!is_valid_resident_id(&with_rid_check("11010518991231002")));
        assert!(!is_valid_resident_id(&with_rid_check("11010521010101002")));
    }

    #[test]
    fn resident_id_leap_years() {
        assert!(is_valid_resident_id(&with_rid_check("11010520000229002")));
        assert!(is_valid_resident_id(&with_rid_check("11010519960229002")));
        assert!(!is_valid_resident_id(&with_rid_check("11010519000229002")));
        assert!(!is_valid_resident_id(&with_rid_check("11010519970229002")));
        assert!(is_valid_resident_id(&with_rid_check("11010521001231002")));
    }

    #[test]
    fn resident_id_bad_province() {
        for p in ["10", "16", "20", "24", "30", "38", "40", "47", "55", "60", "66", "70", "72", "80", "83", "91", "00"] {
            let id = with_rid_check(&format!("{p}010519491231002"));
            assert!(!is_valid_resident_id(&id), "{id}");
        }
        for p in ["11", "15", "21", "23", "31", "37", "41", "46", "50", "54", "61", "65", "71", "81", "82"] {
            let id = with_rid_check(&format!("{p}010519491231002"));
            assert!(is_valid_resident_id(&id), "{id}");
        }
    }

    #[test]
    fn resident_id_wrong_length_or_chars() {
        assert!(!is_valid_resident_id(""));
        assert!(!is_valid_resident_id("11010519491231002"));
        assert!(!is_valid_resident_id("11010519491231002X0"));
        assert!(!is_valid_resident_id(" 11010519491231002X"));
        assert!(!is_valid_resident_id("1101051949123100X2"));
        assert!(!is_valid_resident_id("11010519491231002Y"));
    }

    #[test]
    fn credit_code_sample_page_is_invalid() {
        assert!(!is_valid_credit_code("91310000MA1FL8TQ2X"));
        assert!(is_valid_credit_code(CC));
    }

    #[test]
    fn credit_code_valid() {
        assert!(is_valid_credit_code(CC2));
        assert!(is_valid_credit_code("91310000ma1fl8tq23"));
    }

    #[test]
    fn credit_code_bad_checksum() {
        assert!(!is_valid_credit_code("91310000MA1FL8TQ24"));
        assert!(!is_valid_credit_code("91110000600037341M"));
    }

    #[test]
    fn credit_code_forbidden_chars() {
        // I, O, Z, S, V are not in the alphabet, wherever they are.
        for c in ['I', 'O', 'Z', 'S', 'V'] {
            let s = format!("91310000M{c}1FL8TQ23");
            assert!(!is_valid_credit_code(&s), "{s}");
            let s = format!("91310000MA1FL8TQ2{c}");
            assert!(!is_valid_credit_code(&s), "{s}");
        }
    }

    #[test]
    fn credit_code_structure() {
        // Letter in the division code.
        assert!(!credit_code_ok(b"913A0000MA1FL8TQ23"));
        // Bad registration authority, organisation type 0.
        assert!(!credit_code_ok(b"J1310000MA1FL8TQ23"));
        assert!(!credit_code_ok(b"90310000MA1FL8TQ23"));
        assert!(!is_valid_credit_code("91310000MA1FL8TQ2"));
        assert!(!is_valid_credit_code("91310000MA1FL8TQ233"));
    }

    #[test]
    fn full_width_input() {
        let fw = to_full_width(RID);
        assert!(is_valid_resident_id(&fw));
        assert!(is_valid_resident_id(&to_full_width("11010519491231002x")));
        assert!(is_valid_credit_code(&to_full_width(CC)));
        let text = format!("身份证：{fw}。");
        let m = find_cn_ids(&text);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].value, RID);
        assert_eq!(&text[m[0].start..m[0].end], fw);
    }

    #[test]
    fn find_in_chinese_text() {
        let text = "身份证号：11010519491231002X。";
        let m = find_cn_ids(text);
        assert_eq!(
            m,
            vec![CnIdMatch {
                kind: CnIdKind::ResidentId,
                value: RID.to_string(),
                start: "身份证号：".len(),
                end: "身份证号：".len() + 18,
            }]
        );
    }

    #[test]
    fn find_credit_code_after_label() {
        let text = format!("统一社会信用代码{CC}");
        let m = find_cn_ids(&text);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].kind, CnIdKind::CreditCode);
        assert_eq!(m[0].value, CC);
        assert_eq!(m[0].start, "统一社会信用代码".len());
        assert_eq!(m[0].end, text.len());
    }

    #[test]
    fn find_sample_page_code_not_reported() {
        assert!(find_cn_ids("统一社会信用代码91310000MA1FL8TQ2X").is_empty());
    }

    #[test]
    fn find_lower_x_upper_cased() {
        let m = find_cn_ids("id: 11010519491231002x");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].value, RID);
        assert_eq!((m[0].start, m[0].end), (4, 22));
    }

    #[test]
    fn find_glued_to_letters_or_digits() {
        assert!(find_cn_ids(&format!("A{RID}")).is_empty());
        assert!(find_cn_ids(&format!("{RID}b")).is_empty());
        assert!(find_cn_ids(&format!("7{RID}")).is_empty());
        assert!(find_cn_ids(&format!("{CC}0")).is_empty());
        assert!(find_cn_ids(&format!("ID{CC}")).is_empty());
        // Glued to a full-width digit also counts as glued.
        assert!(find_cn_ids(&format!("{RID}１")).is_empty());
    }

    #[test]
    fn find_twenty_digit_run() {
        assert!(find_cn_ids("12110105194912310021").is_empty());
        assert!(find_cn_ids(&format!("00{}", with_rid_check("44030119900307123"))).is_empty());
    }

    #[test]
    fn find_invalid_checksum_not_matched() {
        assert!(find_cn_ids("号码 110105194912310021 号码").is_empty());
    }

    #[test]
    fn find_multiple_with_offsets() {
        let text = format!("a {RID}, b ({CC}) c {CC2}");
        let m = find_cn_ids(&text);
        assert_eq!(m.len(), 3);
        assert_eq!(m[0].kind, CnIdKind::ResidentId);
        assert_eq!(m[1].kind, CnIdKind::CreditCode);
        assert_eq!(m[2].kind, CnIdKind::CreditCode);
        for x in &m {
            assert_eq!(&text[x.start..x.end], x.value);
        }
        assert_eq!(m[0].start, 2);
        assert_eq!(m[1].start, 2 + 18 + 5);
        assert_eq!(m[2].end, text.len());
    }

    #[test]
    fn find_punctuation_boundaries() {
        let text = format!("-{RID}_{CC}/");
        let m = find_cn_ids(&text);
        assert_eq!(m.len(), 2);
        assert_eq!((m[0].start, m[0].end), (1, 19));
        assert_eq!((m[1].start, m[1].end), (20, 38));
    }

    #[test]
    fn find_empty_and_plain() {
        assert!(find_cn_ids("").is_empty());
        assert!(find_cn_ids("没有号码 no numbers 12345").is_empty());
        assert_eq!(find_cn_ids(RID).len(), 1);
    }

    #[test]
    fn resident_preferred_when_both_valid() {
        // Search all-digit resident IDs for one that is also a valid credit
        // code; whichever is found must be classified as a resident ID.
        let mut found = false;
        for n in 0..1000u32 {
            let id = with_rid_check(&format!("11010519800101{n:03}"));
            let b: [u8; LEN] = match id.as_bytes().try_into() {
                Ok(b) => b,
                Err(_) => continue,
            };
            if resident_id_ok(&b) && credit_code_ok(&b) {
                assert_eq!(classify(&b), Some(CnIdKind::ResidentId));
                assert_eq!(find_cn_ids(&id)[0].kind, CnIdKind::ResidentId);
                found = true;
                break;
            }
        }
        assert!(found);
    }

    #[test]
    fn large_text_is_linear() {
        let mut text = String::new();
        for i in 0..20_000 {
            text.push_str("客户资料 abc 12345 ");
            if i % 1000 == 0 {
                text.push_str(RID);
                text.push(' ');
            }
        }
        let m = find_cn_ids(&text);
        assert_eq!(m.len(), 20);
        assert!(m.iter().all(|x| &text[x.start..x.end] == RID));
    }
}
