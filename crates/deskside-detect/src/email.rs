//! The common case of an email address, decided on bytes: an unquoted
//! address with an ASCII local part and an ASCII domain, bounded on both
//! sides by ASCII or the text's edges. Most addresses on a ticket page are
//! like that, and every `@` of the page comes through here, so it is built
//! for speed with the other scanners. Everything else (quoted local parts,
//! IDN domains, local parts in other scripts) is left to the general path in
//! `deskside_core::identify`, which decides the same for what this decides
//! (a unit test there compares the two on every `@` of the corpus).

/// The next `@` at or after `from`, eight bytes at a time.
#[inline]
pub fn next_at_sign(bytes: &[u8], from: usize) -> Option<usize> {
    crate::cnid::next_stop(bytes, from, crate::cnid::Stops::AtSign)
}

/// An ASCII byte that may be part of an unquoted local part (RFC 5322 atext and `.`).
#[inline(always)]
pub fn is_local_byte(b: u8) -> bool {
    ascii_in(&LOCAL_BYTES, b)
}

/// Whether byte `b` is one of `set`'s (a flag per byte value): one load for
/// the byte loops below, which read every byte of an address.
#[inline(always)]
fn ascii_in(set: &[bool; 256], b: u8) -> bool {
    set[usize::from(b)]
}

/// The flags of the ASCII bytes `$b` for which `$test` holds (a `const`
/// loop: no function pointers in constant evaluation).
macro_rules! ascii_set {
    (|$b:ident| $test:expr) => {{
        let mut set = [false; 256];
        let mut $b = 0u8;
        while $b < 128 {
            set[$b as usize] = $test;
            $b += 1;
        }
        set
    }};
}

/// [`is_local_byte`]'s bytes.
static LOCAL_BYTES: [bool; 256] = ascii_set!(|b| b.is_ascii_alphanumeric() || matches!(b, b'!' | b'#'..=b'\'' | b'*' | b'+' | b'-' | b'.' | b'/' | b'=' | b'?' | b'^'..=b'`' | b'{'..=b'~'));

/// The bytes of an ASCII domain: letters, digits, `.` and `-`.
static DOMAIN_BYTES: [bool; 256] = ascii_set!(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');

/// The address whose `@` is at `at`: `Some(Some(address))` (lower-cased),
/// `Some(None)` when there is none, `None` when the general path must decide.
#[inline(never)]
pub fn ascii_email_at(text: &str, at: usize) -> Option<Option<String>> {
    let b = text.as_bytes();
    let mut start = at;
    while start > 0 && is_local_byte(b[start - 1]) {
        start -= 1;
    }
    if start > 0 && (b[start - 1] >= 0x80 || b[start - 1] == b'"') {
        return None;
    }
    let mut end = at + 1;
    while end < b.len() && ascii_in(&DOMAIN_BYTES, b[end]) {
        end += 1;
    }
    if end < b.len() && b[end] >= 0x80 {
        return None;
    }
    // Leading characters an address never starts with.
    while start < at && matches!(b[start], b'.' | b'\'' | b'`' | b'|' | b'/' | b'=') {
        start += 1;
    }
    let local = &b[start..at];
    let prefix = &text[..start];
    if local.is_empty() || prefix.ends_with('/') || prefix.ends_with(':') && in_url_authority(prefix) {
        return Some(None);
    }
    if local.len() > 64 || local[0] == b'.' || local[local.len() - 1] == b'.' || local.windows(2).any(|w| w == b"..") {
        return Some(None);
    }
    while end > at + 1 && matches!(b[end - 1], b'.' | b'-') {
        end -= 1;
    }
    let domain = &b[at + 1..end];
    if !valid_ascii_domain(domain) || not_a_mailbox(&text[at + 1..end]) || shell_target(b, start, end) {
        return Some(None);
    }
    if prefix.ends_with('<') && b.get(end) == Some(&b'>') && looks_like_message_id(&text[start..at]) {
        return Some(None);
    }
    // (Every byte of `start..end` is ASCII: a local part's or a domain's.)
    let mut email = b[start..end].to_vec();
    lower_ascii(&mut email);
    String::from_utf8(email).ok().map(Some)
}

/// ASCII `A`–`Z` of `bytes` lowered, eight bytes a step (speed25: the
/// library's byte loop was a third of the work of a typical address here).
fn lower_ascii(bytes: &mut [u8]) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let mut words = bytes.chunks_exact_mut(8);
    for word in &mut words {
        let x = crate::load_u64(word);
        // (The high bit of each byte `A`–`Z`, exactly: hasbetween on the low
        // seven bits, the high bit clear; moved to `0x20`, the case bit.)
        let low = x & (ONES * 0x7F);
        let upper = (ONES * (127 + u64::from(b'Z') + 1) - low) & !x & (low + ONES * (127 - u64::from(b'A') + 1)) & (ONES * 0x80);
        word.copy_from_slice(&(x | upper >> 2).to_le_bytes());
    }
    words.into_remainder().make_ascii_lowercase();
}

/// Two or more labels of 1 to 63 letters, digits and inner `-`, at most 253
/// bytes, and a top-level label of two or more letters.
fn valid_ascii_domain(domain: &[u8]) -> bool {
    if domain.len() > 253 {
        return false;
    }
    let (mut labels, mut tld): (usize, &[u8]) = (0, &[]);
    for l in domain.split(|&c| c == b'.') {
        if l.is_empty() || l.len() > 63 || l[0] == b'-' || l[l.len() - 1] == b'-' {
            return false;
        }
        labels += 1;
        tld = l;
    }
    labels >= 2 && tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic)
}

/// `https://user:pass@host`: the `:` before the local part belongs to a URL
/// when the word it ends contains `://`.
pub fn in_url_authority(prefix: &str) -> bool {
    // (The last word: after a multi-byte space such as U+3000 or U+00A0 too.)
    prefix.rsplit(char::is_whitespace).next().is_some_and(|word| word.contains("://"))
}

/// A message-id's left part (`<20261123093311.48213.9911@mail…>`): long, and
/// a third of it digits, or random-looking: digits scattered through it in
/// four or more runs (Gmail's `<CAJv7qZkP3m+9sW2nXr=Hq0aBf@mail.gmail.com>`,
/// Exchange's `<AM9PR08MB67241C3B5E…@…>`, UUIDs, QQ's `<tencent_8F3A2C…@qq.com>`),
/// which an address people type never has (`Wang.JianGuo2020`: one run).
pub fn looks_like_message_id(local: &str) -> bool {
    if local.len() < 16 {
        return false;
    }
    let digits = local.bytes().filter(u8::is_ascii_digit).count();
    let runs = local.as_bytes().windows(2).filter(|w| !w[0].is_ascii_digit() && w[1].is_ascii_digit()).count()
        + usize::from(local.as_bytes()[0].is_ascii_digit());
    digits * 3 >= local.len() || runs >= 4
}

/// File extensions that end asset names written like addresses
/// (`error-dialog@2x.png`, `logo@3x.webp`, `app.css@1.2`), none of them a
/// top-level domain.
const ASSET_EXTENSIONS: [&str; 24] = [
    "png", "jpg", "jpeg", "gif", "webp", "svg", "avif", "bmp", "ico", "tif", "tiff", "heic", "heif", "css", "js", "mjs", "json", "pdf",
    "mp4", "webm", "woff", "woff2", "ttf", "otf",
];

/// A domain (as written after the `@`) no person's mailbox is at: a host
/// on an internal name (`build-02.acme.internal`, `nas.lan`, `pi.local`:
/// [`internal_tld`]), an asset name's scale suffix and file extension
/// (`2x.png`, `1.5x.jpg`, `3x.webp`),
/// or a host that only ever names messages (`mail.gmail.com` in Gmail's
/// message-ids; Exchange Online's `….prod.outlook.com` and
/// `….prod.exchangelabs.com`).
pub fn not_a_mailbox(domain: &str) -> bool {
    // (Labels found on bytes, the extensions compared by length first:
    // the char searchers were most of a call, asked for every address.)
    let d = domain.as_bytes();
    let tld = &d[d.iter().rposition(|&c| c == b'.').map_or(0, |i| i + 1)..];
    if ASSET_EXTENSIONS.iter().any(|e| e.len() == tld.len() && tld.eq_ignore_ascii_case(e.as_bytes())) || internal_tld(tld) {
        return true;
    }
    let label_end = |from: usize| d[from..].iter().position(|&c| c == b'.').map_or(d.len(), |i| from + i);
    let first = &d[..label_end(0)];
    // `2x`, `3x`, `1.5x` (whose first label is `1`, the next `5x`): a scale.
    let scale = |l: &[u8]| matches!(l, [d, b'x' | b'X'] | [d, _, b'x' | b'X'] if d.is_ascii_digit()) && l[..l.len() - 1].iter().all(u8::is_ascii_digit);
    if scale(first) || first.iter().all(u8::is_ascii_digit) && first.len() < d.len() && scale(&d[first.len() + 1..label_end(first.len() + 1)]) {
        return true;
    }
    let lower = |suffix: &str| domain.len() >= suffix.len() && domain.as_bytes()[domain.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes());
    domain.eq_ignore_ascii_case("mail.gmail.com") || lower(".prod.outlook.com") || lower(".prod.exchangelabs.com")
}

/// A top-level label of names that only resolve inside a network (RFC 6762
/// `.local`, RFC 8375 `.home.arpa`, ICANN's `.internal`, and the usual
/// private ones): a host, never a mailbox people write to.
fn internal_tld(tld: &[u8]) -> bool {
    let mut buf = [0u8; 11];
    let Some(lower) = buf.get_mut(..tld.len()) else { return false };
    lower.copy_from_slice(tld);
    lower.make_ascii_lowercase();
    matches!(&*lower, b"internal" | b"local" | b"lan" | b"corp" | b"arpa" | b"localdomain" | b"intranet" | b"intra" | b"localhost" | b"private")
}

/// `user@host` as a shell target, not an address (issue 17, round 6): a
/// Git or scp remote (`git@github.com:org/repo.git`, `backup@files.x:/srv/`,
/// the domain followed by `:` and a path or `~`), a shell prompt
/// (`deploy@build-02.x:~/app$`), a password prompt (`admin@host's password:`),
/// ssh's own errors (`release@host: Permission denied (publickey).`),
/// or the target of `ssh`, `scp`, `sftp`, `rsync`, `mosh` or `telnet`
/// (one of the four words before it, at most 48 bytes back). `start..end` is the
/// address as found. Read only for a found address.
#[inline(never)]
pub fn shell_target(b: &[u8], start: usize, end: usize) -> bool {
    match b.get(end) {
        Some(b':') if b.get(end + 1).is_some_and(|&c| !c.is_ascii_whitespace() && c != b'<' && c != b'"' && c != b'\'' && c != b')') => return true,
        Some(b'\'') if b.get(end + 1..end + 11) == Some(b"s password") => return true,
        // ssh's own errors: `release@host: Permission denied (publickey).`
        Some(b':') => {
            let after = &b[end + 1..(end + 20).min(b.len())];
            let after = after.strip_prefix(b" ").unwrap_or(after);
            if [b"Permission denied".as_slice(), b"Connection refused", b"Connection closed", b"Host key"].iter().any(|m| after.starts_with(m)) {
                return true;
            }
        }
        _ => {}
    }
    // The word before, or up to three options and paths before that (at
    // most 48 bytes back), within one command (not past `;`, `|`, `&`,
    // `,`): `ssh -p 2222 ops@…`, `rsync -av ./ backup@…`.
    let lo = start.saturating_sub(48);
    let mut i = start;
    for _ in 0..4 {
        while i > lo && b[i - 1] == b' ' {
            i -= 1;
        }
        let e = i;
        while i > lo && !matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r' | b'$' | b'#' | b'>' | b'`' | b'(' | b';' | b'|' | b'&' | b',' | 0x80..) {
            i -= 1;
        }
        let word = &b[i..e];
        if matches!(word, b"ssh" | b"scp" | b"sftp" | b"rsync" | b"mosh" | b"telnet") {
            return true;
        }
        // Past options, their numbers and paths only (`-p 2222`, `./site/`):
        // a word of a sentence (`mail`, `to`) ends the look at once.
        let option = word.first() == Some(&b'-') || word.iter().all(u8::is_ascii_digit) || word.iter().any(|&c| matches!(c, b'/' | b'.' | b'~'));
        if word.is_empty() || !option || i > lo && b[i - 1] != b' ' {
            return false;
        }
    }
    false
}

/// A local part that only bounces and forwarders use: `bounce…`/`bounces+…`
/// (mailing services' return paths), VERP (`…-jane=globex.test@…`, the
/// recipient folded into the local part), BATV and SRS (`prvs=…`, `SRS0=…`),
/// `mailer-daemon` and `postmaster`. Such an address is never a customer's.
pub fn bounce_local(local: &str) -> bool {
    let l = local.as_bytes();
    // (Every such local part starts with b, p, s or m, or holds an `=`:
    // most addresses stop here.)
    if !matches!(l.first().map(|c| c | 0x20), Some(b'b' | b'p' | b's' | b'm')) && !l.contains(&b'=') {
        return false;
    }
    let starts = |p: &str| l.len() >= p.len() && l[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    if starts("bounce") && l.get(6).is_none_or(|b| !b.is_ascii_alphabetic()) || starts("bounces") && l.get(7).is_none_or(|b| !b.is_ascii_alphabetic()) {
        return true;
    }
    if ["prvs=", "srs0=", "srs1=", "btv1=", "msprvs1=", "msprvs2="].iter().any(|p| starts(p)) {
        return true;
    }
    if local.eq_ignore_ascii_case("mailer-daemon") || local.eq_ignore_ascii_case("postmaster") {
        return true;
    }
    // VERP: after an `=`, a domain (`coastalfreight.test`).
    local.rsplit_once('=').is_some_and(|(_, d)| {
        let labels: Vec<&str> = d.split('.').collect();
        labels.len() >= 2 && labels.iter().all(|x| !x.is_empty() && x.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')) && labels.last().is_some_and(|t| t.len() >= 2 && t.bytes().all(|b| b.is_ascii_alphabetic()))
    })
}

/// An address written with a stand-in for its `@` that every reader takes
/// for one (session 20): the full-width `＠` that Chinese and Japanese input
/// methods type, with full-width or ASCII letters around it
/// (`ｋｅｎｔａ．ｋｏｂａｙａｓｈｉ＠ｇｍａｉｌ．ｔｅｓｔ`, `yang.qiuyue＠126mail.test`),
/// or `[at]`, `(at)`, `{at}` between a local part and a domain, the
/// domain's dots also written `[dot]` (`jo.bramley [at] btinternet.test`),
/// as web forms and forum pages hide addresses from harvesters. Its span in
/// the text and the address with the stand-ins folded to ASCII, for the
/// email parser to decide as it decides any address.
#[derive(Debug, PartialEq, Eq)]
pub struct WrittenOut {
    pub start: usize,
    pub end: usize,
    /// The address as written, folded: `kenta.kobayashi@gmail.test`.
    pub folded: String,
    /// Where `folded`'s `@` is.
    pub at: usize,
}

/// The ASCII byte a full-width form at `b[i..i + 3]` stands for (U+FF01 to
/// U+FF5E are `!` to `~`), when it is one an address is written with:
/// letters, digits, `.`, `_`, `-`, `+`. (Not `！`, `～`, `｜`, `＃`: in
/// Chinese and Japanese text they are punctuation, not part of a word.)
#[inline(always)]
fn wide_address_byte(b: &[u8], i: usize) -> Option<u8> {
    let c = match b.get(i..i + 3)? {
        [0xEF, 0xBC, x @ 0x81..=0xBF] => x - 0x60,
        [0xEF, 0xBD, y @ 0x80..=0x9E] => y - 0x20,
        _ => return None,
    };
    (c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-' | b'+')).then_some(c)
}

/// The address around the full-width `＠` at byte `at` (`EF BC A0`), if its
/// two sides hold an address's chars, ASCII or full-width.
#[inline(never)]
pub fn wide_address_at(text: &str, at: usize) -> Option<WrittenOut> {
    let b = text.as_bytes();
    // Back over the local part: ASCII local bytes, or full-width forms of them.
    let mut start = at;
    let mut local = Vec::new();
    loop {
        if start > 0 && is_local_byte(b[start - 1]) {
            local.push(b[start - 1]);
            start -= 1;
        } else if let Some(c) = start.checked_sub(3).and_then(|i| wide_address_byte(b, i)) {
            local.push(c);
            start -= 3;
        } else {
            break;
        }
    }
    if local.is_empty() || local.len() > 64 {
        return None;
    }
    local.reverse();
    let mut folded = local;
    let at_in = folded.len();
    folded.push(b'@');
    let mut end = at + 3;
    loop {
        if end < b.len() && ascii_in(&DOMAIN_BYTES, b[end]) {
            folded.push(b[end]);
            end += 1;
        } else if let Some(c) = wide_address_byte(b, end).filter(|&c| c != b'_' && c != b'+') {
            folded.push(c);
            end += 3;
        } else {
            break;
        }
    }
    written_out(start, end, folded, at_in)
}

/// Whether the closing bracket at `close` ends an `[at]`, `(at)` or `{at}`
/// (any case): asked by the one pass over a text at each closing bracket.
#[inline(always)]
pub fn closes_bracketed_at(b: &[u8], close: usize) -> bool {
    close >= 3 && b[close - 3] == opener(b[close]) && b[close - 2..close].eq_ignore_ascii_case(b"at")
}

/// The address around the `[at]` whose closing bracket is at `close` (up
/// to two spaces on either side; the domain's dots also as `[dot]`).
#[inline(never)]
pub fn bracketed_address_at(text: &str, close: usize) -> Option<WrittenOut> {
    let b = text.as_bytes();
    if !closes_bracketed_at(b, close) {
        return None;
    }
    let open = close - 3;
    let mut start = open;
    for _ in 0..2 {
        if start > 0 && b[start - 1] == b' ' {
            start -= 1;
        }
    }
    let local_end = start;
    while start > 0 && is_local_byte(b[start - 1]) {
        start -= 1;
    }
    if start == local_end || local_end - start > 64 {
        return None;
    }
    let mut folded = b[start..local_end].to_vec();
    let at_in = folded.len();
    folded.push(b'@');
    let mut end = skip_spaces(b, close + 1);
    let domain_start = end;
    loop {
        if end < b.len() && ascii_in(&DOMAIN_BYTES, b[end]) {
            folded.push(b[end]);
            end += 1;
        } else if let Some(after) = bracketed_dot(b, end).filter(|_| end > domain_start) {
            folded.push(b'.');
            end = after;
        } else {
            break;
        }
    }
    written_out(start, end, folded, at_in)
}

/// Past up to two spaces from `i`.
fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    for _ in 0..2 {
        if b.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    i
}

/// Where a domain goes on after a `[dot]` (`(dot)`, `{dot}`, any case, up
/// to two spaces on either side) at `i`.
fn bracketed_dot(b: &[u8], i: usize) -> Option<usize> {
    let open = skip_spaces(b, i);
    let close = open + 4;
    let word = b.get(open + 1..close)?;
    (b.get(close) == Some(&opener_close(b[open])?) && word.eq_ignore_ascii_case(b"dot")).then(|| skip_spaces(b, close + 1))
}

/// The opening bracket of the closing bracket `c`.
fn opener(c: u8) -> u8 {
    match c {
        b']' => b'[',
        b')' => b'(',
        _ => b'{',
    }
}

/// The closing bracket of the opening bracket `c`.
fn opener_close(c: u8) -> Option<u8> {
    match c {
        b'[' => Some(b']'),
        b'(' => Some(b')'),
        b'{' => Some(b'}'),
        _ => None,
    }
}

/// The span and the folded address, when its domain holds something.
fn written_out(start: usize, end: usize, folded: Vec<u8>, at: usize) -> Option<WrittenOut> {
    // (Only ASCII was pushed: a local part's bytes, `@`, a domain's.)
    let folded = String::from_utf8(folded).ok().filter(|f| f.len() > at + 1)?;
    Some(WrittenOut { start, end, folded, at })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wide(text: &str) -> Option<(String, &str)> {
        let at = text.find('＠')?;
        wide_address_at(text, at).map(|w| (w.folded, &text[w.start..w.end]))
    }

    #[test]
    fn a_full_width_at_sign_joins_full_width_or_ascii_sides() {
        assert_eq!(wide("メール：ｋｅｎｔａ．ｋｏｂａｙａｓｈｉ＠ｇｍａｉｌ．ｔｅｓｔ\n"), Some(("kenta.kobayashi@gmail.test".into(), "ｋｅｎｔａ．ｋｏｂａｙａｓｈｉ＠ｇｍａｉｌ．ｔｅｓｔ")));
        assert_eq!(wide("联系邮箱：yang.qiuyue＠126mail.test\n"), Some(("yang.qiuyue@126mail.test".into(), "yang.qiuyue＠126mail.test")));
        assert_eq!(wide("邮箱ａｍｕｍｕ＿ｌｉｕ＠ｆｏｘｍａｉｌ．ｔｅｓｔ也行").map(|w| w.0), Some("amumu_liu@foxmail.test".into()));
        assert_eq!(wide("ｙｕｍｉ．ｓａｓａｋｉ＠ｓａｓａｋｉ－ａｒｃｈ．ｔｅｓｔ").map(|w| w.0), Some("yumi.sasaki@sasaki-arch.test".into()));
        // (Punctuation of the text around it is no part of it.)
        assert_eq!(wide("至急！ｌｉ＠ｑｑ．ｃｏｍ～").map(|w| w.0), Some("li@qq.com".into()));
        // No local part, or nothing after the sign: none.
        assert_eq!(wide("受取：＠渋谷店"), None);
        assert_eq!(wide("ｌｉ＠ 明天"), None);
    }

    fn bracketed(text: &str) -> Vec<String> {
        let closers = text.match_indices([']', ')', '}']).map(|(i, _)| i);
        closers.filter_map(|c| bracketed_address_at(text, c)).map(|w| format!("{}={}", &text[w.start..w.end], w.folded)).collect()
    }

    #[test]
    fn at_and_dot_in_brackets_are_read_as_written_out() {
        assert_eq!(bracketed("email me on jo.bramley [at] btinternet.test or ring"), ["jo.bramley [at] btinternet.test=jo.bramley@btinternet.test"]);
        assert_eq!(bracketed("Email: marta.ruiz(AT)telefonica.test."), ["marta.ruiz(AT)telefonica.test.=marta.ruiz@telefonica.test."]);
        assert_eq!(bracketed("j.doe {at} mail [dot] example (dot) test, thanks"), ["j.doe {at} mail [dot] example (dot) test=j.doe@mail.example.test"]);
        // Words around an `[at]` are folded as they stand; the core's parser
        // refuses a domain without a dot (`contact@the`, `desk@noon`).
        assert_eq!(bracketed("Contact [at] the desk (at) noon"), ["Contact [at] the=Contact@the", "desk (at) noon=desk@noon"]);
        // No local part, a bracket of another word, an `[at]` with no domain: none.
        assert!(bracketed("(at) x.test, (chat) y.test, [dot] z.test").is_empty());
        assert!(bracketed("name [at]").is_empty());
    }

    #[test]
    fn ascii_is_lowered_eight_bytes_at_a_time_as_one_by_one() {
        // (Every byte value, at every place of a word and in the tail.)
        for c in 0..=255u8 {
            for at in 0..19 {
                let mut b = *b"Mixed.CASE_addr@X19";
                b[at] = c;
                let mut want = b;
                want.make_ascii_lowercase();
                lower_ascii(&mut b);
                assert_eq!(b, want, "{c:#x} at {at}");
            }
        }
    }

    #[test]
    fn decides_plain_addresses_and_defers_the_rest() {
        let at = |t: &str| ascii_email_at(t, t.find('@').expect("an @"));
        assert_eq!(at("Mail Li.Wei@Example.CN, thanks"), Some(Some("li.wei@example.cn".into())));
        assert_eq!(at("<..tom+x@shop.co.uk.>"), Some(Some("tom+x@shop.co.uk".into())));
        assert_eq!(at("https://cdn.test/img/a@2x.png"), Some(None));
        assert_eq!(at("<20261123093311.48213.9911@mail.example.com>"), Some(None));
        assert_eq!(at("a..b@c.com x@y.1"), Some(None));
        assert_eq!(at("\"john doe\"@example.com"), None);
        assert_eq!(at("用户zhang@qq.com"), None);
        assert_eq!(at("zhang@例子.广告"), None);
        assert_eq!(next_at_sign(b"0123456789abcdef@x", 0), Some(16));
        // Found by the fuzzer: a URL's user part after a space of several bytes.
        for space in [" ", "\u{3000}", "\u{a0}", "\u{2003}"] {
            assert_eq!(at(&format!("login{space}https://user:pw@host.example x")), Some(None));
            assert_eq!(at(&format!("note{space}mail:li@host.example")), Some(Some("li@host.example".into())));
        }
        assert_eq!(next_at_sign(b"no at sign here, none at all", 3), None);
    }

    #[test]
    fn message_ids_are_no_addresses() {
        let at = |t: &str| ascii_email_at(t, t.find('@').expect("an @"));
        for id in [
            "<CAJv7qZkP3m+9sW2nXr=Hq0aBf_LtQ4v8Ek@mail.example.com>",
            "<AM9PR08MB67241C3B5E2F9A4D8E1B2C7F9D412@AM9PR08MB6724.eurprd08.example.com>",
            "<3f9b1c2e-7a4d-4e8f-9b21-5c6d7e8f9a01@elbtal-druck.test>",
            "<tencent_8F3A2C1B9D7E4F6A5B0C3D2E1F9A8B7C6D05@qq.com>",
            "<Xa8dPqLmRz2vK9wN4hB7tQ@geopod.example>",
        ] {
            assert_eq!(at(id), Some(None), "{id}");
        }
        // Gmail's and Exchange Online's message hosts, even without brackets.
        assert_eq!(at("id CAB3xY9@mail.gmail.com"), Some(None));
        assert_eq!(at("x AM0PR01@AM0PR01.eurprd01.prod.outlook.com"), Some(None));
        // People's addresses in brackets stay addresses.
        for (t, e) in [("<jane.doe.1988@gmail.com>", "jane.doe.1988@gmail.com"), ("<Wang.JianGuo2020@hengda.test>", "wang.jianguo2020@hengda.test"), ("<o.pratt@wexford-legal.test>", "o.pratt@wexford-legal.test")] {
            assert_eq!(at(t), Some(Some(e.to_string())), "{t}");
        }
    }

    #[test]
    fn asset_names_with_a_scale_suffix_are_no_addresses() {
        let at = |t: &str| ascii_email_at(t, t.find('@').expect("an @"));
        for t in ["error-dialog@2x.png", "(logo@3x.webp)", "icon-60@3x.PNG", "header@1.5x.jpg", "kaffeemuehle@2x.webp\"", "a@2x.example", "app@b.css"] {
            assert_eq!(at(t), Some(None), "{t}");
        }
        assert!(!not_a_mailbox("2xs.example") && !not_a_mailbox("x2.example") && !not_a_mailbox("gmail.com") && !not_a_mailbox("outlook.com"));
        assert!(not_a_mailbox("12x.png") && not_a_mailbox("mail.gmail.com"));
    }

    #[test]
    fn shell_targets_and_internal_hosts_are_no_addresses() {
        let at = |t: &str| ascii_email_at(t, t.find('@').expect("an @"));
        for t in [
            "git clone git@github.com:harbor-ops/billing-api.git",
            "remote: git@gitlab.acme.test:platform/app.git",
            "$ ssh deploy@build-02.acme.test",
            "ssh -p 2222 ops@bastion.acme.test 'uptime'",
            "scp dump.sql admin@db-01.acme.test:/tmp/",
            "rsync -av ./ backup@files.acme.test:/srv/",
            "deploy@build-02.acme.test:~/app$ make",
            "admin@fw.acme.test's password:",
            "release@artifacts.acme.test: Permission denied (publickey).",
            "mail deploy@build-02.harbor.internal now",
            "pi@raspberrypi.local",
            "admin@nas.LAN",
            "user@printer.home.arpa",
        ] {
            assert_eq!(at(t), Some(None), "{t}");
        }
        // Addresses followed by a colon and a space, in a sentence, on a line with a word like `ssh` in it: still addresses.
        for (t, e) in [
            ("write to jane@acme.test: she knows", "jane@acme.test"),
            ("Mail: jane@acme.test", "jane@acme.test"),
            ("my sshkey is fine, mail jane@acme.test", "jane@acme.test"),
            ("From: Jane <jane@acme.test>", "jane@acme.test"),
            ("jane@localhost-labs.test", "jane@localhost-labs.test"),
        ] {
            assert_eq!(at(t), Some(Some(e.to_string())), "{t}");
        }
        // Commands on another line, or before a `;`, do not reach this one.
        assert_eq!(at("ssh web-01; mail jane@acme.test"), Some(Some("jane@acme.test".to_string())));
        assert_eq!(at("ssh worked\nmail jane@acme.test"), Some(Some("jane@acme.test".to_string())));
    }

    #[test]
    fn bounce_and_forwarder_local_parts() {
        for l in ["bounces+21834762-9c1f-derek.malone=coastalfreight.test", "bounce", "bounce-mc.us21_11223344.4412-clinic=bluegum-vet.test", "Bounce+c9f2e1", "SRS0=h7Kq=T4=rangoli-textiles.test=accounts", "prvs=0712ab34cd=yamada.k", "msprvs1=19812ZaQkPZq4=bounces-212733-1139", "MAILER-DAEMON", "postmaster", "news-1182-jlopez=mesa-roofing.test"] {
            assert!(bounce_local(l), "{l}");
        }
        for l in ["bouncer.joe", "bouncyhouse", "jane.doe", "support", "a=b", "x=1.2", "team=sales"] {
            assert!(!bounce_local(l), "{l}");
        }
    }
}
