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
    b.is_ascii_alphanumeric() || matches!(b, b'!' | b'#'..=b'\'' | b'*' | b'+' | b'-' | b'.' | b'/' | b'=' | b'?' | b'^'..=b'`' | b'{'..=b'~')
}

/// The address whose `@` is at `at`: `Some(Some(address))` (lower-cased),
/// `Some(None)` when there is none, `None` when the general path must decide.
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
    while end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] == b'.' || b[end] == b'-') {
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
    if !valid_ascii_domain(domain) {
        return Some(None);
    }
    if prefix.ends_with('<') && b.get(end) == Some(&b'>') && looks_like_message_id(&text[start..at]) {
        return Some(None);
    }
    let mut email = text[start..end].to_string();
    email.make_ascii_lowercase();
    Some(Some(email))
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

/// A message-id's left part (`<20261123093311.48213.9911@mail…>`): long, a
/// third of it digits.
pub fn looks_like_message_id(local: &str) -> bool {
    let digits = local.bytes().filter(u8::is_ascii_digit).count();
    local.len() >= 16 && digits * 3 >= local.len()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
