//! The byte loops behind the ranking's look at an identifier's line
//! (`deskside_core::identify`'s context rules): where a line starts and
//! ends, whether it is a row of cells, whether words that invite a call to
//! the team stand before a number, whether a line can hold a dated header.
//! Every identifier of a page asks some of these, so they are built for
//! speed with the scanners.

const ONES: u64 = 0x0101_0101_0101_0101;
const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// The high bit of each byte of `x` that is `\n`, exactly (no borrow
/// between bytes, so the highest flag is a true one too).
#[inline(always)]
fn newlines(x: u64) -> u64 {
    let y = x ^ (ONES * u64::from(b'\n'));
    !(((y & LOW7) + LOW7) | y | LOW7)
}

/// Just past the last `\n` before `pos` (`pos` at most `b.len()`), looked
/// for at most `max` bytes back (then `pos - max`), eight bytes a step.
#[inline(never)]
pub fn line_start(b: &[u8], pos: usize, max: usize) -> usize {
    let pos = pos.min(b.len());
    let lo = pos.saturating_sub(max);
    let mut i = pos;
    while i >= lo + 8 {
        let hits = newlines(crate::load_u64(&b[i - 8..i]));
        if hits != 0 {
            return i - 8 + (63 - hits.leading_zeros() as usize) / 8 + 1;
        }
        i -= 8;
    }
    b[lo..i].iter().rposition(|&c| c == b'\n').map_or(lo, |k| lo + k + 1)
}

/// Round 11: [`line_start`], and whether the line from its start to `pos`
/// holds a `:` or the lead byte of `·` (0xC2) or of a dash (0xE2), which a
/// thread entry's head has (a time, a separator); in the same eight-byte
/// steps, so a walk up a message's lines reads each byte once.
#[inline(never)]
pub fn line_start_marked(b: &[u8], pos: usize, max: usize) -> (usize, bool) {
    let pos = pos.min(b.len());
    let lo = pos.saturating_sub(max);
    let mut i = pos;
    let mut marked = 0u64;
    while i >= lo + 8 {
        let w = crate::load_u64(&b[i - 8..i]);
        let hits = newlines(w);
        // (0xC2 and 0xE2 differ in the 0x20 bit alone: one test for both.)
        let marks = exact_eq(w, b':') | exact_eq(w | (ONES * 0x20), 0xE2);
        if hits != 0 {
            let top = 63 - hits.leading_zeros() as usize;
            let after = if top == 63 { 0 } else { marks >> (top + 1) };
            return (i - 8 + top / 8 + 1, marked != 0 || after != 0);
        }
        marked |= marks;
        i -= 8;
    }
    let start = b[lo..i].iter().rposition(|&c| c == b'\n').map_or(lo, |k| lo + k + 1);
    (start, marked != 0 || b[start..i].iter().any(|&c| matches!(c, b':' | 0xC2 | 0xE2)))
}

/// Round 11: where the first colon of `b` that ends a lead stands: a `:`
/// that no digit follows in `b` (not a time's, `08:15`) or a full-width
/// `：`; eight bytes a step, one pass for both.
#[inline(never)]
pub fn lead_colon(b: &[u8]) -> Option<usize> {
    colon_where(b, |k| {
        if b[k] == b':' {
            !b.get(k + 1).is_some_and(u8::is_ascii_digit)
        } else {
            b[k] == 0xEF && b.get(k + 1..k + 3) == Some(&[0xBC, 0x9A][..])
        }
    })
}

/// The first `:` or `EF` byte of `b` (at `k`) that `ok(k)` accepts: eight
/// bytes a step to them ([`lead_colon`], [`first_colon`]).
#[inline(always)]
fn colon_where(b: &[u8], ok: impl Fn(usize) -> bool) -> Option<usize> {
    let mut i = 0;
    while i < b.len() {
        let w = if i + 8 <= b.len() { crate::load_u64(&b[i..i + 8]) } else { tail_word(&b[i..]) };
        let mut hits = exact_eq(w, b':') | exact_eq(w, 0xEF);
        while hits != 0 {
            let k = i + hits.trailing_zeros() as usize / 8;
            if ok(k) {
                return Some(k);
            }
            hits &= hits - 1;
        }
        i += 8;
    }
    None
}

/// Where the first `:` or full-width `：` (EF BC 9A, wholly inside `b`) of
/// `b` is: eight bytes a step to the `:`s and `EF`s (speed25; a line's
/// head is read for its colon for every identifier a form's block may hold).
#[inline(never)]
pub fn first_colon(b: &[u8]) -> Option<usize> {
    colon_where(b, |k| b[k] == b':' || b.get(k + 1..k + 3) == Some(&[0xBC, 0x9A][..]))
}

/// The first `\n` at or after `pos`, looked for at most `max` bytes on
/// (then that bound, or the end of `b`).
#[inline(never)]
pub fn line_end(b: &[u8], pos: usize, max: usize) -> usize {
    let pos = pos.min(b.len());
    let hi = pos.saturating_add(max).min(b.len());
    // (The scanners' forward search: only the first `\n` counts, so its
    // mask need be exact up to the first hit only, a cheaper one.)
    crate::cnid::next_stop(&b[..hi], pos, crate::cnid::Stops::Newline).unwrap_or(hi)
}

/// The separator of a line of cells and how many there are, outside
/// double-quoted cells (`"Miller, Ava",ava@x.test`): tabs (one or more),
/// pipes (two or more), or commas or semicolons (two or more, none followed
/// by a space: prose puts one there).
#[inline(never)]
pub fn cell_shape(line: &[u8]) -> Option<(u8, usize)> {
    let (mut tabs, mut pipes, mut commas, mut semis, mut spaced_commas, mut spaced_semis) = (0, 0, 0, 0, 0, 0);
    let mut quoted = false;
    for (i, &c) in line.iter().enumerate() {
        match c {
            b'"' => quoted = !quoted,
            _ if quoted => {}
            b'\t' => tabs += 1,
            b'|' => pipes += 1,
            // (`NT$4,560`, `R$ 1,299`: an amount's thousands comma splits no cell.)
            b',' if amount_comma(line, i) => {}
            b',' => {
                commas += 1;
                spaced_commas += usize::from(line.get(i + 1) == Some(&b' '));
            }
            b';' => {
                semis += 1;
                spaced_semis += usize::from(line.get(i + 1) == Some(&b' '));
            }
            _ => {}
        }
    }
    if tabs >= 1 && line.iter().any(|c| !c.is_ascii_whitespace()) {
        Some((b'\t', tabs))
    } else if pipes >= 2 {
        Some((b'|', pipes))
    } else if commas >= 2 && spaced_commas == 0 {
        Some((b',', commas))
    } else if semis >= 2 && spaced_semis == 0 {
        Some((b';', semis))
    } else {
        None
    }
}

/// How many of a comma-separated line's commas may be an unquoted amount's
/// thousands comma (`1,200.00`, `45,000`, `1,049.00` in a CSV export nobody
/// quoted): outside double quotes, a digit before it, exactly three digits
/// after it, then a dot and digits, a comma or the line's end. Such a row has
/// one cell more than its neighbours per comma (round 11, rank11).
#[inline(never)]
pub fn thousands_commas(line: &[u8]) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for (i, &c) in line.iter().enumerate() {
        match c {
            b'"' => quoted = !quoted,
            b',' if !quoted && i > 0 && line[i - 1].is_ascii_digit() && !amount_comma(line, i) => {
                let three = line.get(i + 1..i + 4).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
                let after = line.get(i + 4);
                let ends = match after {
                    None | Some(b',' | b'\r') => true,
                    Some(b'.') => line.get(i + 5).is_some_and(u8::is_ascii_digit),
                    _ => false,
                };
                n += usize::from(three && ends);
            }
            _ => {}
        }
    }
    n
}

/// Whether two lines' cell shapes ([`cell_shape`]) are one table's: the same
/// separator and count, or, with commas, the longer line's extra cells all
/// explained by unquoted thousands commas ([`thousands_commas`]).
pub fn same_cells(a: &[u8], shape_a: (u8, usize), b: &[u8], shape_b: (u8, usize)) -> bool {
    if shape_a == shape_b {
        return true;
    }
    if shape_a.0 != b',' || shape_b.0 != b',' {
        return false;
    }
    let (long, more, fewer) = if shape_a.1 > shape_b.1 { (a, shape_a.1, shape_b.1) } else { (b, shape_b.1, shape_a.1) };
    more - fewer <= 2 && more - fewer <= thousands_commas(long)
}

/// Whether the comma at `i` is a thousands comma of an amount written with
/// its currency sign (`NT$4,560`, `$12,480`, `¥3,200`): digits back to a
/// sign, exactly three digits after it.
fn amount_comma(line: &[u8], i: usize) -> bool {
    if !line.get(i + 1..i + 4).is_some_and(|d| d.iter().all(u8::is_ascii_digit)) || line.get(i + 4).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    let mut j = i;
    while j > 0 && (line[j - 1].is_ascii_digit() || line[j - 1] == b',') && i - j < 12 {
        j -= 1;
    }
    if j == i || !line[j].is_ascii_digit() {
        return false;
    }
    let before = &line[..j];
    let before = before.strip_suffix(b" ").unwrap_or(before);
    before.ends_with(b"$") || ["€", "¥", "£", "₹", "￥"].iter().any(|c| before.ends_with(c.as_bytes()))
}

/// Whether something spanning `start..end` of `b` touches a cell edge: a
/// separator or a quote right before or right after it (prose puts spaces
/// there; a pipe table a space and the pipe). A row's first cell has one
/// after it, its last one before it.
#[inline(never)]
pub fn at_cell_edge(b: &[u8], start: usize, end: usize) -> bool {
    let edge = |c: Option<&u8>| matches!(c, Some(b',' | b'\t' | b'|' | b';' | b'"'));
    let before = start.checked_sub(1).and_then(|i| b.get(i));
    // (`, ` after it is prose's comma: `reply to x@y.test, thanks`.)
    let after = b.get(end).filter(|c| !(matches!(c, b',' | b';') && b.get(end + 1) == Some(&b' ')));
    let spaced = |c: Option<&u8>, next: Option<&u8>| c == Some(&b' ') && next == Some(&b'|');
    edge(before) || edge(after) || spaced(before, start.checked_sub(2).and_then(|i| b.get(i))) || spaced(b.get(end), b.get(end + 1))
}

/// Whether `near` (the text before a number) holds a word that every
/// invitation to call the team holds: `us`, `uns`, `our`, `ons` (whole
/// words), `unser…`, `onze`, `nous`, `notre`, `nostr…`, `nuestr…`, `numero verde`,
/// `…nos` (`llámenos`), `contatt…` (any case), or 我们, 我們, 致电, 致電, 拨打, 欢迎,
/// お問い合わせ.
/// Most numbers have none of these before them and need no closer look.
#[inline(never)]
pub fn cue_word_in(near: &[u8]) -> bool {
    // Eight bytes a step to the few places such a word can start (u, o in
    // any case, the lead bytes E3, E6, E8); each looked at closer.
    let mut from = 0;
    while from < near.len() {
        let word = crate::load_u64(near.get(from..from + 8).unwrap_or(&[]));
        let mut hits = if from + 8 <= near.len() {
            let lower = word | (ONES * 0x20);
            exact_eq(lower, b'u') | exact_eq(lower, b'o') | exact_eq(word, 0xE3) | exact_eq(word, 0xE6) | exact_eq(word, 0xE8)
        } else {
            // The tail, byte by byte.
            near[from..].iter().enumerate().fold(0u64, |m, (k, &c)| {
                if matches!(c | 0x20, b'u' | b'o') || matches!(c, 0xE3 | 0xE6 | 0xE8) { m | 0x80 << (8 * k) } else { m }
            })
        };
        while hits != 0 {
            let i = from + hits.trailing_zeros() as usize / 8;
            if cue_word_at(near, i) {
                return true;
            }
            hits &= hits - 1;
        }
        from += 8;
    }
    false
}

/// Where `needle` first starts in `hay`, ASCII letters compared in any case
/// (what `eq_ignore_ascii_case` on every window says), without allocating:
/// eight bytes a step to the places the needle's first byte (in either
/// case) is at, the rest compared there. The one case-insensitive search the
/// ranking's looks and the decoy checks share.
#[inline(never)]
pub fn find_ignore_ascii_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&first, rest)) = needle.split_first() else { return Some(0) };
    let last = hay.len().checked_sub(needle.len())?;
    let (lo, up) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let rest_at = |k: usize| hay[k + 1..k + needle.len()].iter().zip(rest).all(|(a, b)| a.eq_ignore_ascii_case(b));
    let mut i = 0;
    // (Every byte of the word `i..i + 8` a start the needle fits after.)
    while i + 8 <= last + 1 {
        let w = crate::load_u64(&hay[i..i + 8]);
        let mut hits = exact_eq(w, lo) | exact_eq(w, up);
        while hits != 0 {
            let k = i + hits.trailing_zeros() as usize / 8;
            if rest_at(k) {
                return Some(k);
            }
            hits &= hits - 1;
        }
        i += 8;
    }
    (i..=last).find(|&k| (hay[k] == lo || hay[k] == up) && rest_at(k))
}

/// Where `needle` last starts in `hay`, ASCII letters in any case.
#[inline(never)]
pub fn rfind_ignore_ascii_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&first, rest)) = needle.split_first() else { return Some(hay.len()) };
    let last = hay.len().checked_sub(needle.len())?;
    let (lo, up) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let rest_at = |k: usize| hay[k + 1..k + needle.len()].iter().zip(rest).all(|(a, b)| a.eq_ignore_ascii_case(b));
    // (Starts `0..end` are left to look at.)
    let mut end = last + 1;
    while end >= 8 {
        let w = crate::load_u64(&hay[end - 8..end]);
        let mut hits = exact_eq(w, lo) | exact_eq(w, up);
        while hits != 0 {
            let top = 63 - hits.leading_zeros() as usize;
            let k = end - 8 + top / 8;
            if rest_at(k) {
                return Some(k);
            }
            hits &= !(1u64 << top);
        }
        end -= 8;
    }
    (0..end).rev().find(|&k| (hay[k] == lo || hay[k] == up) && rest_at(k))
}

/// Whether `hay` holds `needle`, ASCII letters in any case.
#[inline]
pub fn contains_ignore_ascii_case(hay: &[u8], needle: &[u8]) -> bool {
    find_ignore_ascii_case(hay, needle).is_some()
}

/// `needle` at the start of a word of `hay`, ASCII letters in any case
/// (`Tel.`, `Telefon`; not `Bestellnummer`): no ASCII letter right before it.
#[inline(never)]
pub fn contains_word_ignore_ascii_case(hay: &[u8], needle: &[u8]) -> bool {
    let mut from = 0;
    while let Some(k) = hay.get(from..).and_then(|h| find_ignore_ascii_case(h, needle)) {
        let at = from + k;
        if at == 0 || !hay[at - 1].is_ascii_alphabetic() {
            return true;
        }
        from = at + 1;
    }
    false
}

/// Whether a time (`d:dd`: a digit, `:`, two digits) is on the line at
/// `pos` (at most `ahead` bytes on) or on the `lines_above` lines above it
/// (at most `back` bytes back; a blank line, `\n\n`, ends the look first).
/// Eight bytes a step to the `\n`s and `:`s: asked for every address
/// (whether an activity log's dated head is above it), most of which have
/// none near and are let go after a few words.
#[inline(never)]
pub fn time_near(b: &[u8], pos: usize, lines_above: usize, ahead: usize, back: usize) -> bool {
    let pos = pos.min(b.len());
    let time_at = |i: usize| i >= 1 && b[i - 1].is_ascii_digit() && b.get(i + 1).is_some_and(u8::is_ascii_digit) && b.get(i + 2).is_some_and(u8::is_ascii_digit);
    // On: up to the line's end.
    let hi = pos.saturating_add(ahead).min(b.len());
    let mut i = pos;
    while i < hi {
        let w = if i + 8 <= hi { crate::load_u64(&b[i..i + 8]) } else { tail_word(&b[i..hi]) };
        let mut hits = exact_eq(w, b'\n') | exact_eq(w, b':');
        while hits != 0 {
            let k = i + hits.trailing_zeros() as usize / 8;
            if b[k] == b'\n' {
                return back_time(b, pos, lines_above, back, time_at);
            }
            if time_at(k) {
                return true;
            }
            hits &= hits - 1;
        }
        i += 8;
    }
    back_time(b, pos, lines_above, back, time_at)
}

/// [`time_near`]'s look back from `pos`, the bytes `pos - back..pos` from the last.
#[inline(always)]
fn back_time(b: &[u8], pos: usize, lines_above: usize, back: usize, time_at: impl Fn(usize) -> bool) -> bool {
    let lo = pos.saturating_sub(back);
    let mut lines = 0;
    let mut end = pos;
    while end > lo {
        let start = end.saturating_sub(8).max(lo);
        let w = if end - start == 8 { crate::load_u64(&b[start..end]) } else { tail_word(&b[start..end]) };
        let mut hits = exact_eq(w, b'\n') | exact_eq(w, b':');
        while hits != 0 {
            let top = 63 - hits.leading_zeros() as usize;
            let k = start + top / 8;
            if b[k] == b'\n' {
                lines += 1;
                if lines > lines_above || k > 0 && b[k - 1] == b'\n' {
                    return false;
                }
            } else if time_at(k) {
                return true;
            }
            hits &= !(1u64 << top);
        }
        end = start;
    }
    false
}

/// Fewer than eight bytes as a word, the missing high bytes zero (which no
/// searched byte is).
#[inline(always)]
fn tail_word(bytes: &[u8]) -> u64 {
    bytes.iter().rev().fold(0u64, |w, &c| w << 8 | u64::from(c))
}

/// Whether a three-byte UTF-8 char led by `E3` that `third` accepts (given
/// its lead's index) starts in `b[lo..hi]` (wholly inside it) before any
/// `\n` does; a `\n` in the last two bytes does not count. Eight bytes a
/// step to the `\n`s and `E3`s.
#[inline(never)]
pub fn mark_before_newline(b: &[u8], lo: usize, hi: usize, third: impl Fn(usize) -> bool) -> bool {
    let stop = hi.min(b.len()).saturating_sub(2);
    let mut i = lo;
    while i < stop {
        let w = if i + 8 <= stop { crate::load_u64(&b[i..i + 8]) } else { tail_word(&b[i..stop]) };
        let mut hits = exact_eq(w, b'\n') | exact_eq(w, 0xE3);
        while hits != 0 {
            let k = i + hits.trailing_zeros() as usize / 8;
            if b[k] == b'\n' {
                return false;
            }
            if third(k) {
                return true;
            }
            hits &= hits - 1;
        }
        i += 8;
    }
    false
}

/// The first of `f`'s answers, asked in order at each `i` in `lo..hi`
/// (within `b`) where `b[i]` is one of the three bytes of `set`; eight
/// bytes a step to them instead of a test of every byte.
#[inline(always)]
pub fn find_map_among<R>(b: &[u8], lo: usize, hi: usize, set: [u8; 3], mut f: impl FnMut(usize) -> Option<R>) -> Option<R> {
    let hi = hi.min(b.len());
    let mut i = lo;
    while i < hi {
        let w = if i + 8 <= hi { crate::load_u64(&b[i..i + 8]) } else { tail_word(&b[i..hi]) };
        let mut hits = exact_eq(w, set[0]) | exact_eq(w, set[1]) | exact_eq(w, set[2]);
        while hits != 0 {
            if let Some(found) = f(i + hits.trailing_zeros() as usize / 8) {
                return Some(found);
            }
            hits &= hits - 1;
        }
        i += 8;
    }
    None
}

/// The high bit of each byte of `x` equal to `v`, exactly.
#[inline(always)]
fn exact_eq(x: u64, v: u8) -> u64 {
    let y = x ^ (ONES * u64::from(v));
    !(((y & LOW7) + LOW7) | y | LOW7)
}

/// Whether a word of [`cue_word_in`] starts at `near[i]`.
#[inline(always)]
fn cue_word_at(near: &[u8], i: usize) -> bool {
    const CJK: [&[u8]; 7] =
        ["我们".as_bytes(), "我們".as_bytes(), "致电".as_bytes(), "致電".as_bytes(), "拨打".as_bytes(), "欢迎".as_bytes(), "お問い合わせ".as_bytes()];
    let letter = |i: usize| near.get(i).is_some_and(u8::is_ascii_alphabetic);
    let prefix = |i: usize, w: &[u8]| near.get(i..i + w.len()).is_some_and(|s| s.eq_ignore_ascii_case(w));
    let word_at = |i: usize, w: &[u8]| prefix(i, w) && !letter(i + w.len());
    let start = i == 0 || !letter(i - 1);
    let after = |c: u8| i >= 1 && near[i - 1] | 0x20 == c;
    match near[i] | 0x20 {
        b'u' if start && (word_at(i, b"us") || word_at(i, b"uns") || prefix(i, b"unser")) => true,
        b'u' => i >= 2 && near[i - 1] | 0x20 == b'o' && near[i - 2] | 0x20 == b'n' && word_at(i, b"us") || after(b'n') && (prefix(i, b"uestr") || prefix(i, b"umero verde")),
        b'o' if start && (word_at(i, b"our") || word_at(i, b"ons") || prefix(i, b"onze")) => true,
        // `notre`, `nostro`, `llámenos`, `contattaci`.
        b'o' => after(b'n') && (prefix(i, b"otre") || prefix(i, b"ostr") || word_at(i, b"os")) || after(b'c') && prefix(i, b"ontatt"),
        // 我 (E6 88 91), 拨 (E6 8B A8), 欢 (E6 AC A2), 致 (E8 87 B4), お (E3 81 8A) first.
        _ => matches!(&near[i..], [0xE6, 0x88 | 0x8B | 0xAC, ..] | [0xE8, 0x87, ..] | [0xE3, 0x81, ..]) && CJK.iter().any(|w| near[i..].starts_with(w)),
    }
}

/// Where the name of a mail header ends on the line starting at `start`:
/// after quote marks (`> `), a run of letters, digits, `-` and non-ASCII
/// bytes right before `:` or `：` (`From:`, `Message-ID:`, `发件人：`), at
/// most 48 bytes in. The name's byte range, if the line starts so.
#[inline(never)]
pub fn header_name_at(b: &[u8], start: usize) -> Option<(usize, usize)> {
    let head = b.get(start..(start + 48).min(b.len()))?;
    let lead = head.iter().position(|&c| c != b'>' && c != b' ')?;
    let mut i = lead;
    while i < head.len() {
        match head[i] {
            b':' => break,
            0xEF if head.get(i + 1..i + 3) == Some(&[0xBC, 0x9A]) => break,
            // French puts a space before the colon (`De : …`, `À : …`): the
            // name ends before it (round 11).
            b' ' if i > lead && head.get(i + 1) == Some(&b':') => return Some((start + lead, start + i)),
            0xC2 if i > lead && head.get(i + 1..i + 3) == Some(&[0xA0, b':']) => return Some((start + lead, start + i)),
            c if c.is_ascii_alphanumeric() || c == b'-' || c >= 0x80 => i += 1,
            // Round 12: Gmail's `Reply-To:` in Portuguese, Spanish, Italian,
            // French and German is two words (`Responder a:`, `Rispondi a:`).
            b' ' => return two_word_header(head, lead).map(|e| (start + lead, start + e)),
            _ => return None,
        }
    }
    (i > lead && i < head.len()).then_some((start + lead, start + i))
}

/// Header names of two words (Gmail's `Reply-To:` in other languages).
const TWO_WORD_HEADERS: [&[u8]; 6] = [b"responder a", b"responder para", b"rispondi a", "répondre à".as_bytes(), b"antwort an", b"reply to"];

/// The end of a two-word header name at `lead` in `head`, when one of
/// [`TWO_WORD_HEADERS`] stands there before its colon (`:`, ` :`, `：`).
fn two_word_header(head: &[u8], lead: usize) -> Option<usize> {
    let rest = &head[lead..];
    // (Asked for every line whose first word ends in a space, nearly all
    // prose: out on the first letter, which every name starts with `a` or `r`.)
    if !rest.first().is_some_and(|&c| matches!(c | 0x20, b'a' | b'r')) {
        return None;
    }
    TWO_WORD_HEADERS.iter().find_map(|w| {
        let after = rest.get(w.len()..)?;
        let colon = after.first() == Some(&b':') || after.starts_with(b" :") || after.starts_with("：".as_bytes());
        (rest[..w.len()].eq_ignore_ascii_case(w) && colon).then_some(lead + w.len())
    })
}

/// Whether `line` holds four digits that can be a year from 1970 to 2199
/// (every date a message header is written with has one).
#[inline(never)]
pub fn has_year(line: &[u8]) -> bool {
    // (Eight bytes a step to the `1`s and `2`s a year starts with.)
    let year = |i: usize| matches!(line[i..i + 4], [b'1', b'9', b'7'..=b'9', b'0'..=b'9'] | [b'2', b'0' | b'1', b'0'..=b'9', b'0'..=b'9']).then_some(());
    find_map_among(line, 0, line.len().saturating_sub(3), [b'1', b'2', b'2'], year).is_some()
}

/// Two byte strings in the order of `<[u8]>::cmp`, compared in a loop:
/// for the binary searches of short names (role mailboxes, sign-off
/// names), where the library's comparison is a `memcmp` call each step
/// (tens of thousands a 1 MB scan).
#[inline]
pub fn cmp_bytes(a: &[u8], b: &[u8]) -> core::cmp::Ordering {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

/// Whether `host` is `domain` or one of its subdomains (`mail.acme.test` of
/// `acme.test`; not `notacme.test`), compared in place: no `format!` of
/// `.{domain}` per call (a team domain is asked of every address a scan).
pub fn same_or_subdomain(host: &str, domain: &str) -> bool {
    host == domain || host.len() > domain.len() && host.ends_with(domain) && host.as_bytes()[host.len() - domain.len() - 1] == b'.'
}

/// `s` split at its last `@` (as `str::rsplit_once('@')`), found on bytes:
/// asked several times for every address, where the library's char
/// searcher cost about 300 instructions a call. (Eight bytes a step from the
/// end, and not inlined: an `#[inline]` function is compiled where it is
/// called, in the size-built core, where the byte loop cost about 130
/// instructions an address.)
#[inline(never)]
pub fn rsplit_at_sign(s: &str) -> Option<(&str, &str)> {
    let b = s.as_bytes();
    let mut end = b.len();
    let i = loop {
        if end < 8 {
            break b[..end].iter().rposition(|&c| c == b'@')?;
        }
        let hits = exact_eq(crate::load_u64(&b[end - 8..end]), b'@');
        if hits != 0 {
            break end - 8 + (63 - hits.leading_zeros() as usize) / 8;
        }
        end -= 8;
    };
    // (`@` is ASCII: both sides are char boundaries.)
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// The next colon at or after `from`: the index of a `:` or of the last
/// byte of a full-width `：` (EF BC 9A), eight bytes a step. Field labels
/// end in one; a text is read once for all of them.
#[inline(never)]
pub fn next_colon(b: &[u8], from: usize) -> Option<usize> {
    let full = |k: usize| k >= 2 && b[k - 2] == 0xEF && b[k - 1] == 0xBC;
    let mut i = from;
    while i + 8 <= b.len() {
        let w = crate::load_u64(&b[i..i + 8]);
        let mut hits = exact_eq(w, b':') | exact_eq(w, 0x9A);
        while hits != 0 {
            let k = i + hits.trailing_zeros() as usize / 8;
            if b[k] == b':' || full(k) {
                return Some(k);
            }
            hits &= hits - 1;
        }
        i += 8;
    }
    (i..b.len()).find(|&k| b[k] == b':' || b[k] == 0x9A && full(k))
}

/// Session 21: whether `text` may hold an automatic reply's marker: `uto`
/// or `UTO` (`auto-reply`, `Réponse automatique`, `AUTOMATED`), `tomatik`
/// (Turkish `otomatik`), or `自`, `勿`, `送`, `ự`, `자` (自动, 请勿直接回复,
/// 送信専用, tự động, 자동). Asked once a text; each a search the standard
/// library does fast (a char's is a `memchr` of its last byte), compiled here
/// for speed.
#[inline(never)]
pub fn may_hold_auto_reply(text: &str) -> bool {
    ["uto", "UTO", "tomatik"].iter().any(|w| text.contains(w)) || ['自', '勿', '送', 'ự', '자'].iter().any(|&c| text.contains(c))
}

/// Session 21: where the sentence that `b` starts in ends: at the first
/// `\n`, `. `, `? `, `! `, `。`, `！` or `？` in `b` (`b.len()` if none), found in
/// one pass on. The mirror of [`sentence_start`] without semicolons.
#[inline(never)]
pub fn sentence_end(b: &[u8]) -> usize {
    for i in 0..b.len() {
        match b[i] {
            b'\n' => return i,
            b'.' | b'!' | b'?' if b.get(i + 1) == Some(&b' ') => return i,
            // (`。` is E3 80 82; `！` and `？` are EF BC 81 and EF BC 9F.)
            0xE3 if b.get(i + 1..i + 3) == Some(&[0x80, 0x82]) => return i,
            0xEF if matches!(b.get(i + 1..i + 3), Some([0xBC, 0x81 | 0x9F])) => return i,
            _ => {}
        }
    }
    b.len()
}

/// Where the sentence that `b` ends in starts: just past the last `\n`,
/// `. `, `! `, `? ` or `。`, `！` in `b` (0 if none), found in one pass
/// back; with `semicolons`, `;` and `；` end a sentence too. The words
/// before a number are read from there (whose number the sentence says it is).
#[inline(never)]
pub fn sentence_start(b: &[u8], semicolons: bool) -> usize {
    for i in (0..b.len()).rev() {
        // (`。` is E3 80 82; `！` and `；` are EF BC 81 and EF BC 9B.)
        let end = match b[i] {
            b'\n' => Some(i + 1),
            b';' if semicolons => Some(i + 1),
            b'.' | b'!' | b'?' if b.get(i + 1) == Some(&b' ') => Some(i + 2),
            0x82 if i >= 2 && b[i - 2] == 0xE3 && b[i - 1] == 0x80 => Some(i + 1),
            0x81 if i >= 2 && b[i - 2] == 0xEF && b[i - 1] == 0xBC => Some(i + 1),
            0x9B if semicolons && i >= 2 && b[i - 2] == 0xEF && b[i - 1] == 0xBC => Some(i + 1),
            _ => None,
        };
        if let Some(e) = end {
            return e;
        }
    }
    0
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn next_colon_finds_both_widths() {
        let t = "ab: x：y 12:30 \u{3000}z：";
        let mut at = Vec::new();
        let mut from = 0;
        while let Some(k) = next_colon(t.as_bytes(), from) {
            at.push(k);
            from = k + 1;
        }
        let want: Vec<usize> = t.char_indices().filter(|&(_, c)| c == ':' || c == '：').map(|(i, c)| i + c.len_utf8() - 1).collect();
        assert_eq!(at, want);
    }

    /// The one pass back against the latest end of each kind, as `rfind` finds them.
    #[test]
    fn sentence_start_is_past_the_latest_end() {
        let texts = [
            "", "call me on", "Thanks. call me on ", "a\nb. c! d? e", "x.y z", "好的。打我", "好的！打我；或者", "a;b", "a. \n", "。. ", "end.", "!? x", "a\n. b",
            "请拨打。。", "mix；x. y", "e\u{3002}f",
        ];
        for t in texts {
            for semis in [false, true] {
                let mut ends = vec!["\n", ". ", "! ", "? ", "。", "！"];
                if semis {
                    ends.extend([";", "；"]);
                }
                let want = ends.iter().filter_map(|e| t.rfind(e).map(|i| i + e.len())).max().unwrap_or(0);
                assert_eq!(sentence_start(t.as_bytes(), semis), want, "{t:?} {semis}");
            }
        }
    }

    #[test]
    fn automatic_reply_markers_are_let_through() {
        for t in ["— Auto-reply —", "AUTOMATED MESSAGE", "Réponse automatique", "Otomatik yanıt", "系统自动回复", "請勿直接回覆", "送信専用", "Phản hồi tự động", "자동 응답"] {
            assert!(may_hold_auto_reply(t), "{t}");
        }
        for t in ["", "au", "Thanks, call me on 0161 496 0571.", "您好，请拨打 400-820-1234", "ありがとうございます"] {
            assert!(!may_hold_auto_reply(t), "{t}");
        }
    }

    /// Session 21: the one pass on against the earliest end of each kind, as `find` finds them.
    #[test]
    fn sentence_end_is_at_the_earliest_end() {
        let texts = ["", "021-3135 6020 回拨", ", not your mobile. Thanks", "a\nb. c! d? e", "x.y z", "好的。打我", "好的！打我？", "是吗？好", "end.", "!? x", "a\n. b"];
        for t in texts {
            let want = ["\n", ". ", "! ", "? ", "。", "！", "？"].iter().filter_map(|e| t.find(e)).min().unwrap_or(t.len());
            assert_eq!(sentence_end(t.as_bytes()), want, "{t:?}");
        }
    }

    /// The domain itself and its subdomains, as `ends_with(".{domain}")`
    /// read them; never a longer name that only ends in the same letters.
    #[test]
    fn same_or_subdomain_is_the_domain_or_below_a_dot() {
        for (host, domain, want) in [
            ("acme.test", "acme.test", true),
            ("mail.acme.test", "acme.test", true),
            ("a.b.acme.test", "acme.test", true),
            ("notacme.test", "acme.test", false),
            ("acme.test", "mail.acme.test", false),
            ("cme.test", "acme.test", false),
            ("", "", true),
        ] {
            assert_eq!(same_or_subdomain(host, domain), want, "{host} / {domain}");
            assert_eq!(want, host == domain || host.ends_with(&format!(".{domain}")), "{host} / {domain}");
        }
    }

    /// A xorshift generator for the randomised agreement tests: the same
    /// sequence on every run for a seed.
    pub(crate) fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
        move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        }
    }

    #[test]
    fn first_colon_is_found_eight_bytes_at_a_time_as_one_by_one() {
        // (The head loop `first_colon` replaced, speed25.)
        let slow = |head: &[u8]| {
            head.iter().enumerate().position(|(p, &c)| c == b':' || c == 0xEF && head.get(p + 1) == Some(&0xBC) && head.get(p + 2) == Some(&0x9A))
        };
        let pieces: [&[u8]; 9] = [b"a", b":", "：".as_bytes(), "，".as_bytes(), &[0xEF], &[0xEF, 0xBC], "手机".as_bytes(), b" ", b"\n"];
        let mut next = xorshift(0x5EED_25);
        for _ in 0..20_000 {
            let mut head = Vec::new();
            for _ in 0..next() % 24 {
                head.extend_from_slice(pieces[(next() % pieces.len() as u64) as usize]);
            }
            assert_eq!(first_colon(&head), slow(&head), "{head:?}");
        }
    }

    #[test]
    fn lines_are_found_eight_bytes_at_a_time_as_one_by_one() {
        let text = b"first line\nsecond, somewhat longer line of text\n\nx\nlast line without a break";
        for pos in 0..=text.len() {
            let slow_start = text[..pos].iter().rposition(|&c| c == b'\n').map_or(0, |k| k + 1);
            let slow_end = text[pos..].iter().position(|&c| c == b'\n').map_or(text.len(), |k| pos + k);
            assert_eq!(line_start(text, pos, 4096), slow_start, "start at {pos}");
            assert_eq!(line_end(text, pos, 4096), slow_end, "end at {pos}");
        }
        // Bounded: at most `max` bytes either way.
        assert_eq!(line_start(b"aaaaaaaaaaaaaaaaaaaa", 20, 5), 15);
        assert_eq!(line_end(b"aaaaaaaaaaaaaaaaaaaa", 2, 5), 7);
        // Every byte value beside a newline, in every position of a word.
        for v in 0..=255u8 {
            for k in 0..16 {
                let mut b = vec![v; 16];
                b[k] = b'\n';
                assert_eq!(line_start(&b, 16, 64), if v == b'\n' { 16 } else { k + 1 });
                assert_eq!(line_end(&b, 0, 64), if v == b'\n' { 0 } else { k });
            }
        }
    }

    #[test]
    fn a_line_s_start_and_its_marks_agree_with_one_by_one() {
        let text = "客服 林晓 2026-11-30 09:40\nplain words here and more of them\n\nAgent Neha · 29 Nov\nx—y\nno marks at all in this one".as_bytes();
        for pos in 0..=text.len() {
            let slow_start = text[..pos].iter().rposition(|&c| c == b'\n').map_or(0, |k| k + 1);
            let slow_marked = text[slow_start..pos].iter().any(|&c| matches!(c, b':' | 0xC2 | 0xE2));
            assert_eq!(line_start_marked(text, pos, 4096), (slow_start, slow_marked), "at {pos}");
        }
        let mut next = xorshift(11);
        for _ in 0..2000 {
            let len = (next() % 40) as usize;
            let b: Vec<u8> = (0..len).map(|_| [b'a', b'\n', b':', 0xC2, 0xE2, b' '][(next() % 6) as usize]).collect();
            for pos in 0..=b.len() {
                let slow_start = b[..pos].iter().rposition(|&c| c == b'\n').map_or(0, |k| k + 1);
                let slow_marked = b[slow_start..pos].iter().any(|&c| matches!(c, b':' | 0xC2 | 0xE2));
                assert_eq!(line_start_marked(&b, pos, 4096), (slow_start, slow_marked));
            }
        }
    }

    #[test]
    fn a_lead_s_colon_agrees_with_the_two_searches() {
        // (Round 11's first form: the first `：`, then the first `:` before it that no digit follows.)
        let slow = |own: &[u8]| {
            let mut colon = find_ignore_ascii_case(own, "：".as_bytes());
            let mut from = 0;
            while let Some(k) = own.get(from..colon.unwrap_or(own.len())).and_then(|h| find_ignore_ascii_case(h, b":")) {
                if !own.get(from + k + 1).is_some_and(u8::is_ascii_digit) {
                    colon = Some(from + k);
                    break;
                }
                from += k + 1;
            }
            colon
        };
        for t in ["Staff reply — Jack (30 Nov 2026, 08:15): Hi", "门诊回复（前台 小沈）：刘女士", "客服电话：８００", "08:15 Tom: x", "a:", "：", "no colon here at all", ""] {
            assert_eq!(lead_colon(t.as_bytes()), slow(t.as_bytes()), "{t}");
        }
        let mut next = xorshift(17);
        for _ in 0..3000 {
            let len = (next() % 40) as usize;
            let b: Vec<u8> = (0..len).map(|_| [b'a', b'1', b':', 0xEF, 0xBC, 0x9A, b' '][(next() % 7) as usize]).collect();
            assert_eq!(lead_colon(&b), slow(&b), "{b:?}");
        }
    }

    #[test]
    fn rows_of_cells_and_their_edges() {
        assert_eq!(cell_shape(b"name,email,phone"), Some((b',', 2)));
        assert_eq!(cell_shape(b"\"Miller, Ava\",ava@x.test,+1 415"), Some((b',', 2)));
        assert_eq!(cell_shape(b"Hi, I paid, twice"), None);
        assert_eq!(cell_shape(b"a\tb"), Some((b'\t', 1)));
        assert_eq!(cell_shape(b"| a | b |"), Some((b'|', 3)));
        assert_eq!(cell_shape(b"k;v;w"), Some((b';', 2)));
        assert_eq!(cell_shape(b"\t \t"), None);
        // An amount's thousands comma after its currency sign splits no cell (round 7).
        assert_eq!(cell_shape(b"TW52,Huang,NT$4,560,8801"), Some((b',', 3)));
        assert_eq!(cell_shape("C-1,Li,¥12,999,x".as_bytes()), Some((b',', 3)));
        assert_eq!(cell_shape(b"1001,299,paid,x"), Some((b',', 3)));
        // Round 11: an unquoted `1,200.00` adds a cell, explained.
        assert_eq!(thousands_commas(b"Lena,Park,1,200.00,2026-11-11"), 1);
        assert_eq!(thousands_commas(b"2,Zheng,45,000,RC-1"), 1);
        assert_eq!(thousands_commas(b"1,2,3,4"), 0);
        assert_eq!(thousands_commas(b"\"1,200.00\",x,y"), 0);
        assert_eq!(thousands_commas(b"a,1,2000,x"), 0);
        let (a, b) = (&b"Lena,Park,1,200.00,x"[..], &b"Omar,Sayed,980.5,x"[..]);
        assert!(same_cells(a, cell_shape(a).unwrap(), b, cell_shape(b).unwrap()));
        let c = &b"Omar,Sayed,980.5,x,y"[..];
        assert!(!same_cells(b, cell_shape(b).unwrap(), c, cell_shape(c).unwrap()));
        let row = b"Ava,ava@x.test,+1 415 | 9123 4567 |";
        assert!(at_cell_edge(row, 4, 14) && at_cell_edge(row, 0, 3));
        assert!(at_cell_edge(row, 24, 33), "inside a pipe cell");
        assert!(!at_cell_edge(b"mail ava@x.test now", 5, 15));
        assert!(!at_cell_edge(b"phone 13800138000\nnext", 6, 17), "a line's end alone is no cell");
        assert!(!at_cell_edge(b"reply to x@y.test, thanks", 9, 17), "prose's comma");
    }

    #[test]
    fn words_of_invitations() {
        for yes in [
            "call us on ", "Call US: ", "rufen Sie uns unter ", "Appelez-nous au ", "reach our support line on ", "请拨打我们的热线 ", "欢迎致电 ", "お問い合わせください ",
            "unsere Hotline ", "notre service client au ", "il nostro numero verde ", "nuestro teléfono ", "Llámenos al ", "contattaci al ", "bel ons op ",
            "onze klantenservice ", "欢迎来电 ",
        ] {
            assert!(cue_word_in(yes.as_bytes()), "{yes}");
        }
        for no in ["just use the bonus thus ", "your status ", "house 4 ", "我的手机 ", "call me on "] {
            assert!(!cue_word_in(no.as_bytes()), "{no}");
        }
    }

    #[test]
    fn find_map_among_asks_every_listed_byte_in_order() {
        let text = b"Hi. All good! Really? yes.. no?!\n. x.y!z?".repeat(3);
        for lo in 0..12 {
            for hi in [text.len(), text.len() - 3, 17, 9, lo] {
                let mut asked = Vec::new();
                let none: Option<()> = find_map_among(&text, lo, hi, [b'.', b'!', b'?'], |i| {
                    asked.push(i);
                    None
                });
                assert!(none.is_none());
                let slow: Vec<usize> = (lo..hi.min(text.len())).filter(|&i| matches!(text[i], b'.' | b'!' | b'?')).collect();
                assert_eq!(asked, slow, "{lo}..{hi}");
                assert_eq!(find_map_among(&text, lo, hi, [b'.', b'!', b'?'], |i| (text[i] == b'?').then_some(i)), slow.iter().copied().find(|&i| text[i] == b'?'));
            }
        }
    }

    #[test]
    fn has_year_agrees_with_every_window() {
        let slow = |l: &[u8]| l.windows(4).any(|w| matches!(w, [b'1', b'9', b'7'..=b'9', b'0'..=b'9'] | [b'2', b'0' | b'1', b'0'..=b'9', b'0'..=b'9']));
        let text = b"On 12 Nov 2026, 1969 1970 2199 2200 x1999y 2 0 2 6 12:30 21-11-26 1\n2026".to_vec();
        for lo in 0..text.len() {
            for hi in lo..=text.len() {
                assert_eq!(has_year(&text[lo..hi]), slow(&text[lo..hi]), "{:?}", &text[lo..hi]);
            }
        }
    }

    #[test]
    fn two_word_headers_start_with_the_letters_looked_at_first() {
        for w in TWO_WORD_HEADERS {
            assert!(matches!(w[0], b'a' | b'r'), "{w:?}");
        }
    }

    #[test]
    fn header_names_at_line_starts() {
        fn name(t: &str) -> Option<&str> {
            header_name_at(t.as_bytes(), 0).map(|(a, b)| &t[a..b])
        }
        assert_eq!(name("From: Jane <j@x.test>"), Some("From"));
        assert_eq!(name("> Message-ID: <a@b>"), Some("Message-ID"));
        assert_eq!(name("发件人：王 <w@z.test>"), Some("发件人"));
        assert_eq!(name("Hello from@home.test"), None);
        assert_eq!(name(": x"), None);
        // French: a space (or a no-break space) before the colon (round 11).
        assert_eq!(name("De : Thomas <t@x.test>"), Some("De"));
        assert_eq!(name("À\u{a0}: sinistres@x.test"), Some("À"));
        assert_eq!(name("Merci : voir ci-dessous"), Some("Merci"));
        assert_eq!(name("Bonjour Marc : voir"), None);
        assert_eq!(name("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij: x"), None);
        // Every position of every invitation word, eight bytes a step or not.
        for pad in 0..17 {
            let t = format!("{}call us on ", "x ".repeat(pad));
            assert!(cue_word_in(t.as_bytes()), "{t}");
            let t = format!("{}拨打我们的热线 ", "字".repeat(pad));
            assert!(cue_word_in(t.as_bytes()), "{t}");
            let t = format!("{}house of ", "y".repeat(pad));
            assert!(!cue_word_in(t.as_bytes()), "{t}");
        }
    }

    #[test]
    fn byte_strings_compare_as_the_library_compares_them() {
        let words: [&[u8]; 9] = [b"", b"a", b"ab", b"abc", b"abd", b"b", b"ba", b"\xff", "für".as_bytes()];
        for a in words {
            for b in words {
                assert_eq!(cmp_bytes(a, b), a.cmp(b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn split_at_the_last_at_sign_as_the_library_splits() {
        for s in ["a@b.test", "\"x@y\"@z.test", "no at", "@", "a@", "@b", "ü@ö.test", "a@b@c"] {
            assert_eq!(rsplit_at_sign(s), s.rsplit_once('@'), "{s}");
        }
        // (speed21: eight bytes a step from the end: every length and place of the `@`s, and UTF-8 around them.)
        let parts = ["@", "a", "ü", "x.test", "0123456789", "@@", "日本"];
        let mut next = xorshift(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let mut r = next();
            let mut s = String::new();
            for _ in 0..(r % 9) {
                r /= 9;
                s.push_str(parts[(r % parts.len() as u64) as usize]);
                r /= parts.len() as u64;
            }
            assert_eq!(rsplit_at_sign(&s), s.rsplit_once('@'), "{s}");
        }
    }

    #[test]
    fn years() {
        assert!(has_year(b"Nov 24, 2026, 9:05 AM") && has_year(b"24.11.1999") && has_year("2026年".as_bytes()));
        assert!(!has_year(b"v2.13.800138 at 10:30") && !has_year(b"1234 5678"));
    }

    #[test]
    fn case_insensitive_searches_agree_with_the_plain_ones() {
        // Every window compared with `eq_ignore_ascii_case`, on haystacks of
        // every length up to 40 over a small alphabet (both cases, a
        // non-ASCII byte, the case bit's neighbours `@` and `` ` ``), and
        // needles of one to five bytes.
        let alphabet = [b'a', b'A', b'b', b'B', b'@', b'`', 0xC3, b' '];
        let mut next = xorshift(0x9E37_79B9_7F4A_7C15u64);
        for _ in 0..20_000 {
            let hay: Vec<u8> = (0..next() % 41).map(|_| alphabet[(next() % 8) as usize]).collect();
            let needle: Vec<u8> = (0..1 + next() % 5).map(|_| alphabet[(next() % 8) as usize]).collect();
            let plain: Vec<usize> = if hay.len() < needle.len() {
                Vec::new()
            } else {
                (0..=hay.len() - needle.len()).filter(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(&needle)).collect()
            };
            assert_eq!(find_ignore_ascii_case(&hay, &needle), plain.first().copied(), "{hay:?} {needle:?}");
            assert_eq!(rfind_ignore_ascii_case(&hay, &needle), plain.last().copied(), "{hay:?} {needle:?}");
            assert_eq!(contains_ignore_ascii_case(&hay, &needle), !plain.is_empty());
            let word = plain.iter().any(|&i| i == 0 || !hay[i - 1].is_ascii_alphabetic());
            assert_eq!(contains_word_ignore_ascii_case(&hay, &needle), word, "{hay:?} {needle:?}");
        }
        assert_eq!(find_ignore_ascii_case(b"Recipient Address Rejected: x", b"address rejected"), Some(10));
        assert_eq!(rfind_ignore_ascii_case(b"ref REF ref", b"Ref"), Some(8));
        assert!(contains_word_ignore_ascii_case(b"Bestellnummer, Tel. 030", b"tel") && !contains_word_ignore_ascii_case(b"Hotel 030", b"tel"));
    }

    #[test]
    fn time_near_agrees_with_the_byte_walk() {
        // The walk it replaced, byte by byte.
        fn plain(b: &[u8], pos: usize) -> bool {
            let time_at = |i: usize| i >= 1 && b[i - 1].is_ascii_digit() && b.get(i + 1).is_some_and(u8::is_ascii_digit) && b.get(i + 2).is_some_and(u8::is_ascii_digit);
            let mut i = pos;
            while i < b.len() && i - pos < 200 && b[i] != b'\n' {
                if b[i] == b':' && time_at(i) {
                    return true;
                }
                i += 1;
            }
            let (mut i, mut lines) = (pos, 0);
            while i > 0 && pos - i < 800 {
                i -= 1;
                match b[i] {
                    b'\n' => {
                        lines += 1;
                        if lines > 3 || i > 0 && b[i - 1] == b'\n' {
                            return false;
                        }
                    }
                    b':' if time_at(i) => return true,
                    _ => {}
                }
            }
            false
        }
        let alphabet = [b'1', b':', b'\n', b'a', b' ', b'5', 0xE5, b'0'];
        let mut next = xorshift(0x2545_F491_4F6C_DD1Du64);
        for round in 0..3_000 {
            // Short texts, and long ones (past both bounds) with few `\n`s.
            let len = if round % 3 == 0 { (next() % 1200) as usize } else { (next() % 60) as usize };
            let sparse = round % 2 == 0;
            let b: Vec<u8> = (0..len)
                .map(|_| {
                    let c = alphabet[(next() % 8) as usize];
                    if sparse && c == b'\n' && !next().is_multiple_of(16) { b'a' } else { c }
                })
                .collect();
            for pos in 0..=len {
                assert_eq!(time_near(&b, pos, 3, 200, 800), plain(&b, pos), "{b:?} at {pos}");
            }
        }
        assert!(time_near(b"Ben opened this ticket 26 Nov 2026, 4:18 PM\nben@x.test", 44, 3, 200, 800));
        assert!(!time_near(b"4:18 PM\n\nben@x.test", 9, 3, 200, 800));
    }

    #[test]
    fn mark_before_newline_agrees_with_the_byte_walk() {
        let plain = |b: &[u8], lo: usize, hi: usize| {
            let mut i = lo;
            while i + 3 <= hi {
                match b[i] {
                    b'\n' => return false,
                    0xE3 if b[i + 1] == 0x81 && matches!(b[i + 2], 0xBE | 0xB8) => return true,
                    _ => i += 1,
                }
            }
            false
        };
        let alphabet = [0xE3, 0x81, 0xBE, 0xB8, b'\n', b'a', b'0', 0xE3];
        let mut next = xorshift(0x853C_49E6_748F_EA9Bu64);
        for _ in 0..5_000 {
            let b: Vec<u8> = (0..next() % 40).map(|_| alphabet[(next() % 8) as usize]).collect();
            for lo in 0..=b.len() {
                for hi in lo..=b.len() {
                    let third = |k: usize| b[k + 1] == 0x81 && matches!(b[k + 2], 0xBE | 0xB8);
                    assert_eq!(mark_before_newline(&b, lo, hi, third), plain(&b, lo, hi), "{b:?} {lo}..{hi}");
                }
            }
        }
    }

    /// round23: a line ends in a time (`10:02`, `klo 10.14`), not in a year or a number.
    #[test]
    fn time_ends_are_a_digit_a_separator_and_two_digits() {
        for t in ["Internal note (Gav, FlatFix dispatch) 15/01/2024 10:02", "[Asiakaspalvelu – Laura] 12.2.2024 klo 10.14", "at 9:05"] {
            assert!(time_end(t.as_bytes()), "{t}");
        }
        for t in ["Reply (Ana) 2024", "Order 12345", "12:5", "(Ana) 1.234", ":05"] {
            assert!(!time_end(t.as_bytes()), "{t}");
        }
    }

    /// prec19: the head lines found a word at a time are those a line-by-line
    /// reading finds, on lines of every length around the word boundaries.
    #[test]
    fn head_lines_are_found_a_word_at_a_time_as_line_by_line() {
        let first = {
            let mut t = [0u64; 256];
            t[usize::from(b'R')] = 1;
            t[usize::from(b'r')] = 1;
            t
        };
        let naive = |b: &[u8]| -> Vec<(usize, usize)> {
            let mut out = Vec::new();
            let mut s = 0;
            for line in b.split(|&c| c == b'\n') {
                let e = s + line.len();
                let mut one = Vec::new();
                head_lines(line, 144, 120, &first, &mut one);
                if one.first().is_some_and(|&(a, z)| a == 0 && z == line.len()) {
                    out.push((s, e));
                }
                s = e + 1;
            }
            out
        };
        let pieces = ["--- Antwoord (Lotte, 30/11/2026 10:22) ---", "plain words here", "", "Nota dalaman (Hafiz):", "> Am 1.12. schrieb X (Y):",
            "> quoted line", "Réponse de l'agent (Paul) — 30 novembre 2026 09:18", "\u{2014} Réponse (Ines) \u{2014}", "四、平台审核备注（内部）", "x", "  == rule ==  "];
        let mut seed = 7u32;
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..(seed % 9) {
                seed = seed.wrapping_mul(1103515245).wrapping_add(12345);
                text.push_str(pieces[(seed >> 16) as usize % pieces.len()]);
                text.push_str(&" ".repeat((seed >> 8) as usize % 3));
                text.push('\n');
            }
            seed = seed.wrapping_mul(1103515245).wrapping_add(12345);
            let mut fast = Vec::new();
            head_lines(text.as_bytes(), 144, 120, &first, &mut fast);
            assert_eq!(fast, naive(text.as_bytes()), "{text:?}");
        }
    }
}

/// Whether a dash or rule character (`—`, `–`, `─`, `━`, `═`) starts `t`.
#[inline(always)]
fn rule_char(t: &[u8]) -> bool {
    t.len() >= 3 && t[0] == 0xE2 && matches!((t[1], t[2]), (0x80, 0x93 | 0x94) | (0x94, 0x80 | 0x81) | (0x95, 0x90))
}

/// prec19: the lines of `b` that may head a section of the team's (the
/// core's `section_map` reads each further), as `(start, end)` of each
/// line: trimmed of spaces at most `max` bytes long, and a rule at its
/// start (`--`, `==`, `—`, `─`), a quoted line ending in a colon (a quote's
/// introduction, `> Am … schrieb …:`), a line of at most
/// `max_end` bytes ending in `:`, `)`, `：`, `）`, `【客…` at its start, a
/// first byte `first` marks (a reply word's), a `(` in it and a digit at its
/// end (`Réponse de l'agent (Mathieu, …) — 30 novembre 2026 09:18`), or
/// (round23) a line of at most `max_end` bytes with a `(` in it or a `[` at
/// its start that ends in a time ([`time_end`]: `Internal note (Gav, …)
/// 15/01/2024 10:02`). One pass over
/// the text, eight bytes a step to each line's end; most lines are out at
/// their first and last bytes. (Never inlined: the size-built core would
/// compile its loop for size.)
#[inline(never)]
pub fn head_lines(b: &[u8], max: usize, max_end: usize, first: &[u64; 256], out: &mut Vec<(usize, usize)>) {
    // (The text's newlines a word at a time, each word's flags in turn.)
    let mut s = 0;
    let mut i = 0;
    while i + 8 <= b.len() {
        let mut flags = newlines(crate::load_u64(&b[i..i + 8]));
        while flags != 0 {
            let e = i + flags.trailing_zeros() as usize / 8;
            flags &= flags - 1;
            head_line(b, s, e, max, max_end, first, out);
            s = e + 1;
        }
        i += 8;
    }
    for e in i..b.len() {
        if b[e] == b'\n' {
            head_line(b, s, e, max, max_end, first, out);
            s = e + 1;
        }
    }
    head_line(b, s, b.len(), max, max_end, first, out);
}

/// round23: whether a trimmed line ends in a time (`… 15/01/2024 10:02`,
/// `… klo 10.14`): a digit, a colon or dot, two digits. With a bracket in the
/// line, the shape of a thread entry's dated head (`Internal note (Gav,
/// FlatFix dispatch) 15/01/2024 10:02`).
#[inline(always)]
pub fn time_end(t: &[u8]) -> bool {
    let n = t.len();
    n >= 5 && t[n - 1].is_ascii_digit() && t[n - 2].is_ascii_digit() && matches!(t[n - 3], b':' | b'.') && t[n - 4].is_ascii_digit()
}

/// [`head_lines`] for the line from `s` to `e`.
#[inline(always)]
fn head_line(b: &[u8], s: usize, e: usize, max: usize, max_end: usize, first: &[u64; 256], out: &mut Vec<(usize, usize)>) {
    let (mut i, mut j) = (s, e);
    while i < j && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    while j > i && matches!(b[j - 1], b' ' | b'\t' | b'\r') {
        j -= 1;
    }
    let n = j - i;
    if n == 0 || n > max {
        return;
    }
    let t = &b[i..j];
    let (f, l) = (t[0], t[n - 1]);
    let wide_end = n >= 3 && t[n - 3] == 0xEF && t[n - 2] == 0xBC && matches!(l, 0x9A | 0x89);
    let head = matches!(f, b'-' | b'=') && n > 1 && t[1] == f
        || f == b'>' && (l == b':' || wide_end && l == 0x9A)
        || f == 0xE2 && rule_char(t)
        || (matches!(l, b':' | b')') || wide_end) && n <= max_end
        || f == 0xE3 && n >= 6 && t[1] == 0x80 && t[2] == 0x90 && t[3] == 0xE5 && t[4] == 0xAE && t[5] == 0xA2
        || first[usize::from(f)] != 0 && l.is_ascii_digit() && t.contains(&b'(')
        || n <= max_end && time_end(t) && (f == b'[' || t.contains(&b'('));
    if head {
        out.push((s, e));
    }
}
