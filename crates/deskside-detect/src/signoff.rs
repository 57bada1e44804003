//! Sign-offs: the name a message is signed with (`Cheers, Monica`), so that
//! of several addresses in a text the writer's own can win. Reads every line
//! of a text that holds more than one address: built for speed with the
//! other scanners.

/// Closing words before a writer's name (English, German, French, Spanish,
/// Italian, Dutch; round 8: Portuguese, Swedish, Danish, Norwegian, Polish,
/// Indonesian; `Danke und Gruß`, `Bien cordialement`, `LG`), by their
/// first letter (lower case), longest first: a line is compared only with
/// the few its first letter can start.
const fn closings(first: u8) -> &'static [&'static str] {
    match first {
        b'a' => &["atenciosamente", "all the best", "amicalement", "atentamente", "abrazos", "abrazo"],
        b'b' => &["bien cordialement", "bonne journée", "beste grüsse", "beste grüße", "beste groeten", "bonne soirée", "best regards", "bien à vous", "best wishes", "besten dank", "bedankt", "best", "br"],
        b'c' => &["cordiali saluti", "cordialement", "cordialmente", "cumprimentos", "cheers"],
        b'd' => &["danke und grüsse", "danke und grüße", "danke und gruss", "danke und gruß", "distinti saluti", "danke"],
        b'f' => &["freundliche grüsse", "freundliche grüße"],
        b'g' => &["greetings", "gracias", "groeten", "grüsse", "grüße", "grazie", "groet", "gruss", "gruß"],
        b'h' => &["herzliche grüsse", "herzliche grüße", "hartelijke groet", "hormat kami", "hormat saya"],
        b'k' => &["kind regards"],
        b'l' => &["liebe grüsse", "liebe grüße", "love", "lg"],
        b'm' => &["mit freundlichen grüssen", "mit freundlichen grüßen", "med vänliga hälsningar", "meilleures salutations", "med vänlig hälsning", "med vennlig hilsen", "med venlig hilsen", "met vriendelijke groet", "mit besten grüssen", "mit besten grüßen", "merci d'avance", "many thanks", "merci", "mvh", "mvg", "mfg"],
        b'o' => &["obrigado(a)", "obrigada", "obrigado"],
        b'p' => &["pozdrawiam"],
        b'r' => &["respectfully", "regards"],
        b's' => &["sincères salutations", "schöne grüsse", "schöne grüße", "salutations", "saygılarımla", "sincerely", "saludos", "saluti", "salam"],
        b't' => &["thanks again", "terima kasih", "take care", "thank you", "thanks", "tack", "thx"],
        b'u' => &["un cordiale saluto", "un abrazo", "un saludo", "un saluto"],
        b'v' => &["vriendelijke groeten", "vänliga hälsningar", "viele grüsse", "viele grüße", "vielen dank", "vg"],
        b'w' => &["with best regards", "warm regards", "warmly"],
        b'y' => &["yours"],
        // Round 9: Polish `Z poważaniem`.
        b'z' => &["z wyrazami szacunku", "z pozdrowieniami", "z poważaniem"],
        // Japanese, Chinese, Korean, by their first byte in UTF-8: よろしく…, 以上、よろしく…, 宜しく…, 多谢, 此致, 祝好, 顺祝, 谢谢, 謝謝, 감사합니다.
        0xE3 => &["よろしくお願いいたします", "よろしくお願い申し上げます", "よろしくお願いします"],
        0xE4 => &["以上、よろしくお願いいたします", "以上、よろしくお願い申し上げます", "以上、よろしくお願いします"],
        0xE5 => &["宜しくお願いいたします", "宜しくお願いします", "多谢", "多謝"],
        0xE6 => &["此致敬礼", "此致敬禮", "此致"],
        0xE7 => &["祝商祺", "祝好"],
        0xE9 => &["顺祝商祺", "順祝商祺"],
        0xE8 => &["谢谢", "謝謝"],
        0xEA => &["감사합니다"],
        _ => &[],
    }
}

/// The names a text is signed with: `Cheers, Monica`, or `Best regards,` with
/// the name on the next line. Lower-cased words of at least three letters.
#[inline(never)]
pub fn signoff_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut lines = Lines { text, pos: 0 };
    while let Some(raw) = lines.next_raw() {
        // Most lines are rejected on their first letters, before trimming: a
        // closing word must start the line.
        let Some(first) = raw.bytes().position(|c| !matches!(c, b' ' | b'\t' | b'\r')) else { continue };
        let lead = &raw.as_bytes()[first..];
        // A line of CJK text (or any non-ASCII start) that starts with no
        // closing is let go before it is trimmed, unless it starts with
        // Unicode white space, which trimming would remove (lead bytes C2,
        // E1, E2, E3: U+0085, U+00A0, U+1680, U+2000…, U+3000).
        if lead[0] >= 0x80 && !matches!(lead[0], 0xC2 | 0xE1 | 0xE2 | 0xE3) && !starts_with_closing(lead) {
            continue;
        }
        let line = if lead[0] < 0x80 && !starts_with_closing(lead) {
            // A sign-off at the end of a sentence's line, before the
            // writer's address: `…, not to me. Thanks, Ivy Chen (ivy@…)`.
            // (Most lines end otherwise: looked at before trimming.)
            // (A line that ends with the bare address instead is asked
            // from the address: [`bare_address_signoff`].)
            if !ends_with_bracket(raw) {
                continue;
            }
            match mid_line_closing(raw.trim()) {
                Some(tail) => tail,
                None => continue,
            }
        } else {
            raw.trim()
        };
        let Some(first) = line.bytes().next().map(|c| c.to_ascii_lowercase()) else { continue };
        // (The cheap checks first: a line that starts with no closing, such
        // as every line of Chinese text, is not measured.)
        if !closing_start(first) {
            continue;
        }
        let Some(rest) = closing_rest(line) else { continue };
        // (Measured without the writer's address in brackets after the name.)
        if line.bytes().position(|c| c == b'(' || c == b'<').unwrap_or(line.len()) > 60 {
            continue;
        }
        let rest = combined(rest);
        // A Japanese or Chinese closing stands alone on its line (`谢谢，发票…` is a sentence).
        if first >= 0x80 && !rest.is_empty() {
            continue;
        }
        let name = if rest.is_empty() { lines.peek_nonempty() } else { rest };
        // (The writer's address after the name is not part of it.)
        // (Nor is what follows a dash or bar: `Beatriz Lopes — bia.lopes@…`, `Ana Lima | Financeiro`.)
        let name = name.find([' ', '(', '<']).map_or(name, |_| name.split(['(', '<', '—', '–', '|']).next().unwrap_or(name).trim_end());
        let words: Vec<&str> = name.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 3).collect();
        if name.len() <= 40 && (1..=3).contains(&words.len()) {
            names.extend(words.iter().map(|w| w.to_lowercase()));
        } else if !rest.is_empty() {
            // Not a sign-off (`Thanks but the app still fails`).
            continue;
        }
        // An address alone (or nearly) on a signature line after the
        // closing (`よろしくお願いいたします。` then the company, the name in
        // kanji, `ken.hoshino@…`): its local part names the writer too.
        if let Some(local) = lines.signature_address() {
            names.extend(local.split(['.', '_', '-', '+']).filter(|w| w.len() >= 3).map(str::to_lowercase));
        }
    }
    // Sorted and without repeats: every address of the text is looked up
    // in them (a long thread is signed many times).
    names.sort_unstable();
    names.dedup();
    names
}

/// Whether `raw`, its trailing white space trimmed, ends with `)` or `>`:
/// on bytes, asked for most lines. (A line that ends in a non-ASCII char
/// is trimmed as `str::trim_end` does: Unicode white space.)
#[inline(always)]
fn ends_with_bracket(raw: &str) -> bool {
    let b = raw.as_bytes();
    match b.iter().rposition(|c| !matches!(c, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')) {
        None => false,
        Some(i) if b[i] < 0x80 => matches!(b[i], b')' | b'>'),
        Some(_) => matches!(raw.trim_end().as_bytes().last(), Some(b')' | b'>')),
    }
}

/// The lower-cased words (three letters or more) of a signed name, as
/// [`signoff_names`] gives them.
pub fn name_words(name: &str) -> impl Iterator<Item = String> + '_ {
    name.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 3).map(str::to_lowercase)
}

/// Most lines of a closing-less signature block ([`closing_less_signature`]).
const SIGNATURE_BLOCK_LINES: usize = 5;

/// The name line of a signature block that ends the text without a
/// closing word above it: the text's last lines after a blank line, at
/// most [`SIGNATURE_BLOCK_LINES`], the last of them an address alone, the
/// first a name (two to four capitalised words, no digits, no sentence).
/// Only the text's last few hundred bytes are read; a quoted block (`>`)
/// signs nothing. (The caller asks it only of a text without a mail
/// header's author above: a forwarded message's signature is its author's.)
pub fn closing_less_signature(text: &str) -> Option<&str> {
    let mut end = text.trim_end().len();
    let mut floor = end.saturating_sub(600);
    while !text.is_char_boundary(floor) {
        floor += 1;
    }
    let mut lines: Vec<&str> = Vec::new();
    loop {
        if end <= floor {
            return None;
        }
        let start = text[floor..end].rfind('\n').map_or(floor, |i| floor + i + 1);
        if start == floor && floor > 0 {
            return None;
        }
        let line = text[start..end].trim();
        if line.is_empty() {
            break;
        }
        if lines.len() == SIGNATURE_BLOCK_LINES || line.starts_with('>') {
            return None;
        }
        lines.push(line);
        if start == 0 {
            break;
        }
        end = start - 1;
    }
    let (&last, &first) = (lines.first()?, lines.last()?);
    if lines.len() < 2 || last.contains(char::is_whitespace) || !last.contains('@') || last.ends_with(['.', ':']) {
        return None;
    }
    let name = first.split(['|', '—', '–', ',']).next().unwrap_or(first).trim();
    let words = name.split_whitespace();
    let capitalised = words.clone().all(|w| w.chars().next().is_some_and(char::is_uppercase) && !w.contains(|c: char| c.is_ascii_digit() || c == '@'));
    ((2..=4).contains(&words.count()) && capitalised && name.len() <= 40 && !name.ends_with(['.', ':', '!', '?'])).then_some(name)
}

/// The name signed mid-line before a bare address that ends the line
/// (`Pouvez-vous vérifier ? Merci — Claire Bonnefoy, Maison du Thé Vert,
/// claire@…`): a closing after a sentence's end, a dash or not, a name of
/// one to three words cut at a comma. Asked by the caller of the lines its
/// addresses end (few), not of every line (round 9).
pub fn bare_address_signoff(line: &str) -> Option<&str> {
    let line = line.trim();
    if !ends_with_address(line) {
        return None;
    }
    let tail = mid_line_closing(line)?;
    let rest = closing_rest(tail)?;
    let measured = tail.trim_end().rsplit_once(' ').map_or(tail, |(m, _)| m);
    if measured.len() > 60 {
        return None;
    }
    let rest = combined(rest).trim_start_matches(['—', '–', ' ']);
    let name = rest.split(['(', '<', '—', '–', '|', ',']).next().unwrap_or(rest).trim_end();
    let words = name.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 3).count();
    (name.len() <= 40 && (1..=3).contains(&words) && !name.contains('@')).then_some(name)
}

/// Whether `raw` ends with an address written bare (its last word holds an
/// `@`, no `/`, and ends with a letter or digit): on the last word's bytes
/// only, at most 100 of them.
#[inline(always)]
fn ends_with_address(raw: &str) -> bool {
    let b = raw.as_bytes();
    let Some(last) = b.iter().rposition(|c| !matches!(c, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')) else { return false };
    if !b[last].is_ascii_alphanumeric() {
        return false;
    }
    let mut at = false;
    for &c in b[..=last].iter().rev().take(100) {
        match c {
            b' ' | b'\t' => return at,
            b'/' => return false,
            b'@' => at = true,
            _ => {}
        }
    }
    at && last < 100
}

/// The end of a line that closes with an address in brackets, from a
/// closing word after a sentence's end (`. `, `! `, `? `) in its last 100
/// bytes (a closing, a name, the address). Only such lines are looked
/// into: most end otherwise. (Inlined in both callers: asked of every
/// line that ends with a bracket.)
#[inline(always)]
fn mid_line_closing(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    if !(matches!(b.last(), Some(b')' | b'>')) || ends_with_address(line)) || !line.contains('@') {
        return None;
    }
    let lo = b.len().saturating_sub(100);
    crate::lines::find_map_among(b, lo, b.len().saturating_sub(2), [b'.', b'!', b'?'], |i| {
        let at = i + 2;
        (b[i + 1] == b' ' && line.is_char_boundary(at) && closing_start(b[at].to_ascii_lowercase()))
            .then(|| &line[at..])
            .filter(|tail| starts_with_closing(tail.as_bytes()))
    })
}

/// What follows the closing word when `line` (trimmed) starts with one
/// (`Cordialement,` gives "", `Cheers, Ben` gives "Ben"), or with a dash
/// that leads a signature (`——广州晨光贸易 陈经理`, `-- `); `None` otherwise.
pub fn after_closing(line: &str) -> Option<&str> {
    let line = line.trim();
    let dashes = line.trim_start_matches(['—', '–', '-']);
    if dashes.len() < line.len() && !line.starts_with("---") {
        return Some(dashes.trim());
    }
    closing_rest(line).map(|rest| combined(rest).trim())
}

/// Punctuation that may end a closing word (`Cheers,`, `谢谢！`, `よろしくお願いいたします。`).
const AFTER_CLOSING: [char; 9] = [',', '!', '.', ' ', '，', '。', '！', '、', '\u{3000}'];

/// What follows the closing word that `line` (trimmed, non-empty) starts
/// with, past its punctuation; `None` when it starts with none.
fn closing_rest(line: &str) -> Option<&str> {
    let first = line.bytes().next()?.to_ascii_lowercase();
    let closing = closings(first).iter().find(|c| {
        starts_with_ignoring_case(line.as_bytes(), c)
            && line.is_char_boundary(c.len())
            && line[c.len()..].chars().next().is_none_or(|n| AFTER_CLOSING.contains(&n))
    })?;
    Some(line[closing.len()..].trim_start_matches(AFTER_CLOSING))
}

/// Past a second closing joined to the first (`Besten Dank und viele
/// Grüße, Petra`, `Thanks and best regards, Ann`, `Merci et bonne
/// journée`): the rest after it; `rest` itself otherwise.
fn combined(rest: &str) -> &str {
    for joint in ["und ", "and ", "& ", "et ", "y ", "e ", "en "] {
        if starts_with_ignoring_case(rest.as_bytes(), joint) {
            if let Some(after) = closing_rest(rest[joint.len()..].trim_start()) {
                return after;
            }
        }
    }
    rest
}

/// Whether `email`'s local part is one of `names` (`monica.geller@…` for
/// "Monica", `mgeller@` for "Geller" does not count: too loose). Asked for
/// every address of a text with a sign-off: on bytes, `names` sorted as
/// [`signoff_names`] returns them (a binary search).
pub fn signed_by(names: &[String], email: &str) -> bool {
    if names.is_empty() {
        return false;
    }
    let local = email.as_bytes().split(|&b| b == b'@').next().unwrap_or_default();
    let local = local.split(|&b| b == b'+').next().unwrap_or(local);
    local.split(|&b| matches!(b, b'.' | b'_' | b'-')).any(|part| names.binary_search_by(|n| crate::lines::cmp_bytes(n.as_bytes(), part)).is_ok())
}

/// Whether `text` starts with one of the closing words, in any case. (Only
/// the closings with its first letter are compared: asked for most lines.)
#[inline(always)]
fn starts_with_closing(text: &[u8]) -> bool {
    let Some(first) = text.first().map(u8::to_ascii_lowercase) else { return false };
    // The second letter first: most lines that start with a closing's first
    // letter (`the`, `my`, `would`) are out on it, without a comparison.
    if first < 0x80 {
        let seconds = SECOND_LETTERS[usize::from(first)];
        if seconds & ANY_SECOND == 0 {
            let Some(second) = text.get(1).map(u8::to_ascii_lowercase) else { return false };
            if !second.is_ascii_lowercase() || seconds >> (second - b'a') & 1 == 0 {
                return false;
            }
        }
    } else if first & 0xF0 == 0xE0 {
        // A line of CJK text: its first char's second byte against those of
        // the closings under its lead byte (`您好` and `麻烦` are out here).
        let Some(&second) = text.get(1) else { return false };
        if second & 0xC0 != 0x80 || SECOND_BYTES_E[usize::from(first & 0x0F)] >> (second & 0x3F) & 1 == 0 {
            return false;
        }
    }
    closings(first).iter().any(|c| starts_with_ignoring_case(text, c))
}

/// For each lead byte `E0`–`EF` (a three-byte char: most CJK), the second
/// bytes of its closings (bit `b & 0x3F` for a continuation byte `b`);
/// computed from [`closings`], so the two cannot disagree.
const SECOND_BYTES_E: [u64; 16] = {
    let mut table = [0u64; 16];
    let mut lead = 0;
    while lead < 16 {
        let list = closings(0xE0 + lead as u8);
        let mut k = 0;
        while k < list.len() {
            let c = list[k].as_bytes();
            table[lead] |= 1 << (c[1] & 0x3F);
            k += 1;
        }
        lead += 1;
    }
    table
};

/// In [`SECOND_LETTERS`]: some closing under this first letter has a second
/// byte that is not a lower-case ASCII letter (no filter on it).
const ANY_SECOND: u32 = 1 << 26;

/// For each ASCII first letter, the second letters of its closings (bit 0
/// for `a`); computed from [`closings`], so the two cannot disagree.
const SECOND_LETTERS: [u32; 128] = {
    let mut table = [0u32; 128];
    let mut first = 0;
    while first < 128 {
        let list = closings(first as u8);
        let mut k = 0;
        while k < list.len() {
            let c = list[k].as_bytes();
            table[first] |= if c.len() >= 2 && c[1].is_ascii_lowercase() { 1 << (c[1] - b'a') } else { ANY_SECOND };
            k += 1;
        }
        first += 1;
    }
    table
};

/// Whether `text` starts with the lower-case `word`, ASCII letters in any
/// case (as `eq_ignore_ascii_case`). Byte by byte, out at the first that
/// differs (usually the second): the library's comparison set up eight-byte
/// chunks first, about 200 instructions a closing word, for every line.
#[inline(always)]
fn starts_with_ignoring_case(text: &[u8], word: &str) -> bool {
    let word = word.as_bytes();
    text.len() >= word.len() && text.iter().zip(word).all(|(t, w)| t.to_ascii_lowercase() == *w)
}

/// Whether a (lower-case) byte is the first letter of a closing word. (A
/// match, not a search in a list: asked for every line.)
#[inline(always)]
fn closing_start(b: u8) -> bool {
    !closings(b).is_empty()
}

/// The lines of a text, found eight bytes at a time.
#[derive(Clone, Copy)]
struct Lines<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Lines<'a> {
    /// The next line as written (without its `\n`).
    #[inline(always)]
    fn next_raw(&mut self) -> Option<&'a str> {
        if self.pos >= self.text.len() {
            return None;
        }
        let end = crate::cnid::next_stop(self.text.as_bytes(), self.pos, crate::cnid::Stops::Newline).unwrap_or(self.text.len());
        let line = &self.text[self.pos..end];
        self.pos = end + 1;
        Some(line)
    }

    /// The local part of an address on one of the next four non-blank
    /// lines that is alone or nearly so (at most five words, no sentence),
    /// without moving past them; none past a quote or another message's head.
    fn signature_address(&self) -> Option<&'a str> {
        let mut ahead = *self;
        let mut seen = 0;
        while let Some(l) = ahead.next_raw() {
            let l = l.trim();
            if l.is_empty() {
                continue;
            }
            seen += 1;
            let lower_start = |w: &str| starts_with_ignoring_case(l.as_bytes(), w);
            if seen > 4 || l.len() > 80 || l.starts_with('>') || ["from:", "von:", "de :", "de:", "on ", "发件人", "-----"].iter().any(|w| lower_start(w)) {
                return None;
            }
            let Some(at) = l.find('@') else { continue };
            if l.split_whitespace().nth(5).is_some() || l.ends_with(['.', '?', '。']) {
                return None;
            }
            let local = &l[..at];
            let from = local.rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))).map_or(0, |i| i + local[i..].chars().next().map_or(1, char::len_utf8));
            return Some(&local[from..]).filter(|s| !s.is_empty());
        }
        None
    }

    /// The next line that is not blank, trimmed, without moving past it.
    fn peek_nonempty(&self) -> &'a str {
        let mut ahead = *self;
        while let Some(l) = ahead.next_raw() {
            if !l.trim().is_empty() {
                return l.trim();
            }
        }
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closings_are_filed_under_their_first_letter_longest_first() {
        for b in 0..=255u8 {
            let list = closings(b);
            assert_eq!(closing_start(b), !list.is_empty(), "{b}");
            for c in list {
                assert_eq!(c.as_bytes()[0], b, "{c}");
                assert_eq!(c.to_lowercase(), *c, "{c}");
            }
            // A closing that starts another comes after it (`best` after `best regards`).
            for (i, c) in list.iter().enumerate() {
                assert!(list[..i].iter().all(|earlier| !c.starts_with(earlier)), "{c} is hidden by a shorter closing before it");
            }
        }
    }

    #[test]
    fn the_second_letter_filter_rejects_only_what_no_closing_starts() {
        let plain = |t: &[u8]| t.first().is_some_and(|f| closings(f.to_ascii_lowercase()).iter().any(|c| starts_with_ignoring_case(t, c)));
        let mut texts: Vec<Vec<u8>> = Vec::new();
        for first in 0..=255u8 {
            for c in closings(first) {
                // The closing in both cases, and with every second byte.
                texts.push(c.as_bytes().to_vec());
                texts.push(c.to_uppercase().into_bytes());
                for second in 0..=255u8 {
                    let mut t = c.as_bytes().to_vec();
                    t[1] = second;
                    texts.push(t);
                }
            }
            texts.push(vec![first]);
            texts.push(vec![first, b'h', b'e']);
        }
        for t in &texts {
            assert_eq!(starts_with_closing(t), plain(t), "{:?}", String::from_utf8_lossy(t));
        }
    }

    #[test]
    fn closings_in_other_languages() {
        assert_eq!(signoff_names("Bitte auch rechnung@x.test in CC setzen. Danke und Gruß, Ute Vogt (ute.vogt@x.test)\n"), ["ute", "vogt"]);
        assert_eq!(signoff_names("Mit freundlichen Grüßen\nKatrin Oswald\n"), ["katrin", "oswald"]);
        assert_eq!(signoff_names("LG\nMarkus Roth\n"), ["markus", "roth"]);
        assert_eq!(signoff_names("Bien cordialement,\nLuc Blanc\n"), ["blanc", "luc"]);
        assert_eq!(signoff_names("Un saludo,\nLucía Fernández"), ["fernández", "lucía"]);
        assert!(signoff_names("Danke für die schnelle Hilfe beim letzten Mal, wirklich super\n").is_empty());
    }

    #[test]
    fn round_8_closings_and_a_name_before_a_dash() {
        assert_eq!(signoff_names("Obrigado(a),\nBeatriz Lopes — bia.lopes@x.test\n"), ["beatriz", "bia", "lopes"]);
        assert_eq!(signoff_names("Vänliga hälsningar\nMalin Sjöberg\n"), ["malin", "sjöberg"]);
        assert_eq!(signoff_names("Salam,\nRina Puspitasari\n"), ["puspitasari", "rina"]);
        assert_eq!(signoff_names("Pozdrawiam,\nTomasz Wójcik\n"), ["tomasz", "wójcik"]);
        assert_eq!(signoff_names("Med venlig hilsen\nLars Holm | Holm El\n"), ["holm", "lars"]);
        // A sentence that starts with a closing word signs nothing.
        assert!(signoff_names("Obrigado pela resposta mas o erro continua no app do meu sócio Marcos desde ontem.\n").is_empty());
    }

    #[test]
    fn round_9_closings_a_bare_address_mid_line_and_a_block_without_closing() {
        assert_eq!(signoff_names("Un abrazo,\nDaniela Ortiz\n"), ["daniela", "ortiz"]);
        assert_eq!(signoff_names("Z poważaniem\nEwa Mazur\n"), ["ewa", "mazur"]);
        assert_eq!(signoff_names("Saygılarımla,\nZeynep Kaya\n"), ["kaya", "zeynep"]);
        assert_eq!(signoff_names("Beste groeten,\nFemke Jansen\n"), ["femke", "jansen"]);
        // A closing mid-line, a dash, the name, its company, the bare address.
        assert_eq!(bare_address_signoff("Pouvez-vous vérifier ? Merci — Claire Bonnefoy, Maison du Thé Vert, claire@x.test\n"), Some("Claire Bonnefoy"));
        // A dash after the closing that starts a sentence signs nothing.
        assert_eq!(bare_address_signoff("Is it fixed yet? Thanks — please also loop in our bookkeeper at books@x.test"), None);
        assert_eq!(bare_address_signoff("Merci — Claire, claire@x.test (bureau)"), None);
        let ooo = "I am away.\nPlease contact Reem: reem@x.test\n\nSultan Al-Dossary\nInvestor Relations | IR\nsultan.aldossary@x.test\n";
        assert_eq!(closing_less_signature(ooo), Some("Sultan Al-Dossary"));
        assert_eq!(closing_less_signature("Hi,\n\nPlease also copy my assistant\njules@x.test\n"), None);
        assert_eq!(closing_less_signature("Hi,\n\n> Jane Roe\n> jane@x.test\n"), None);
        assert_eq!(closing_less_signature("Hi,\n\nJane Roe\nCall me, jane@x.test\n"), None);
        assert_eq!(closing_less_signature("jane@x.test"), None);
    }

    #[test]
    fn combined_closings() {
        assert_eq!(signoff_names("An lager@x.test schicken? Besten Dank und viele Grüße, Petra Sommer (p.sommer@x.test)\n"), ["petra", "sommer"]);
        assert_eq!(signoff_names("Copy ben@x.test. Thanks and kind regards, Olivia Grant (olivia@x.test)"), ["grant", "olivia"]);
        assert_eq!(signoff_names("Grazie e cordiali saluti,\nFrancesca Bellini\n"), ["bellini", "francesca"]);
        assert_eq!(after_closing("Merci et bonne journée, Paul"), Some("Paul"));
        assert_eq!(after_closing("Thanks and welcome"), Some("and welcome"), "no second closing: the rest as it is");
    }

    #[test]
    fn japanese_and_chinese_sign_offs_and_the_address_under_them() {
        let ja = "経理（keiri@x.test）にも送ってください。\n\nよろしくお願いいたします。\n星野工業株式会社\n星野 健\nken.hoshino@x.test\n";
        let names = signoff_names(ja);
        assert!(signed_by(&names, "ken.hoshino@x.test") && !signed_by(&names, "keiri@x.test"), "{names:?}");
        let zh = "抄送给财务 zhou.min@x.test 。\n谢谢！\n恒达贸易 采购部\n刘洋\nliu.yang@x.test\n";
        let names = signoff_names(zh);
        assert!(signed_by(&names, "liu.yang@x.test") && !signed_by(&names, "zhou.min@x.test"), "{names:?}");
        assert_eq!(after_closing("以上、よろしくお願いいたします。"), Some(""));
        // Not an address in a sentence after the closing, nor past another message's head.
        assert!(!signed_by(&signoff_names("Thanks,\nBob\nPS: please also copy in mary.jones@x.test on the next invoice.\n"), "mary.jones@x.test"));
        assert!(!signed_by(&signoff_names("Thanks,\nBob\n\nFrom: Mary <mary.jones@x.test>\n"), "mary.jones@x.test"));
        assert!(signoff_names("谢谢您的帮助，我的订单还没有收到\n").is_empty(), "thanks inside a sentence");
    }

    #[test]
    fn the_rest_of_a_closing_line() {
        assert_eq!(after_closing("Cordialement,"), Some(""));
        assert_eq!(after_closing("  Cheers, Ben "), Some("Ben"));
        assert_eq!(after_closing("——广州晨光贸易 陈经理"), Some("广州晨光贸易 陈经理"));
        assert_eq!(after_closing("-- "), Some(""));
        assert_eq!(after_closing("---------- Forwarded message"), None);
        assert_eq!(after_closing("Bestseller list"), None);
        assert_eq!(after_closing("Our booking page is down."), None);
    }

    #[test]
    fn the_closing_comparison_is_the_librarys() {
        let texts = ["", "b", "BEST REGARDS,", "Best", "bEsT", "GRÜSSE", "grüsse", "Grüße", "grü", "thanks again!", "THX", "tha", "br", "Br.", "\u{e9}t\u{e9}", "Ärger"];
        for b in 0..=255u8 {
            for c in closings(b) {
                for t in texts {
                    let lib = t.as_bytes().get(..c.len()).is_some_and(|p| p.eq_ignore_ascii_case(c.as_bytes()));
                    assert_eq!(starts_with_ignoring_case(t.as_bytes(), c), lib, "{t:?} {c:?}");
                    let upper = c.to_ascii_uppercase();
                    assert!(starts_with_ignoring_case(upper.as_bytes(), c), "{upper}");
                }
            }
        }
    }

    #[test]
    fn the_bracket_at_a_lines_end_is_found_as_trim_end_finds_it() {
        let ends = ["", " ", ")", "x)", "x) \t\r", "x>\u{3000}", "x>\u{85}", "x)\u{a0}", "x)。", "（x）", "x\u{3000}", "x) y", "\u{2003}>", "é)"];
        for a in ends {
            for b in ["", " ", "\r", "\u{3000}", "\u{3000} ", " \u{2028}"] {
                let raw = format!("{a}{b}");
                assert_eq!(ends_with_bracket(&raw), matches!(raw.trim_end().as_bytes().last(), Some(b')' | b'>')), "{raw:?}");
            }
        }
    }

    #[test]
    fn closings_at_the_end_of_a_line_before_an_address() {
        assert_eq!(signoff_names("Send it to billing@x.test, not me. Cheers, Noor Haddad (noor.haddad@x.test)\n"), vec!["haddad", "noor"]);
        assert_eq!(signoff_names("CC sales@y.test please! Best regards, Lukas <lukas@y.test>"), vec!["lukas"]);
        // Not without a sentence's end before the closing, nor without an address in brackets.
        assert!(signoff_names("We thanks, Lukas (lukas@y.test)").is_empty());
        assert!(signoff_names("Please call. Thanks, Lukas").is_empty());
    }

    #[test]
    fn names_after_closings() {
        assert_eq!(signoff_names("Thanks!\nMonica Geller\nbestseller item\nBR, Tom"), ["geller", "monica", "tom"]);
        assert_eq!(signoff_names("Best regards,\n\n  Wang Wei  \n"), ["wang", "wei"]);
        assert!(signoff_names("Thanks for the quick reply, I tried again and it still fails").is_empty());
        assert!(signoff_names("best").is_empty());
        assert_eq!(signoff_names("\u{3000}Regards,\r\n\r\n   \n Lin Lei\r\n"), ["lei", "lin"]);
        assert_eq!(signoff_names("Cheers,"), Vec::<String>::new());
        let names = signoff_names("Cheers, Monica");
        assert!(signed_by(&names, "monica.geller+x@friends.example"));
        assert!(signed_by(&names, "geller_monica@friends.example"));
        assert!(!signed_by(&names, "monicag@friends.example"));
        assert!(!signed_by(&names, "rachel@monica.example"));
        assert!(!signed_by(&[], "monica@friends.example"));
    }
}
