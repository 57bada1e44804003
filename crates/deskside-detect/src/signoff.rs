//! Sign-offs: the name a message is signed with (`Cheers, Monica`), so that
//! of several addresses in a text the writer's own can win. Reads every line
//! of a text that holds more than one address: built for speed with the
//! other scanners.

/// Closing words before a writer's name, longest first.
const CLOSINGS: [&str; 17] = [
    "with best regards", "all the best", "best regards", "kind regards", "warm regards", "many thanks", "thank you", "sincerely",
    "greetings", "regards", "cheers", "thanks", "yours", "best", "thx", "br", "love",
];

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
        let line = if lead[0] < 0x80 && !starts_with_closing(lead) {
            // A sign-off at the end of a sentence's line, before the
            // writer's address: `…, not to me. Thanks, Ivy Chen (ivy@…)`.
            // (Most lines end otherwise: looked at before trimming.)
            if !matches!(raw.trim_end().as_bytes().last(), Some(b')' | b'>')) {
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
        if line.len() > 60 || !closing_start(first) {
            continue;
        }
        let closing = CLOSINGS.iter().find(|c| {
            c.as_bytes()[0] == first
                && line.get(..c.len()).is_some_and(|p| p.eq_ignore_ascii_case(c))
                && line[c.len()..].chars().next().is_none_or(|n| matches!(n, ',' | '!' | '.' | ' ' | '，'))
        });
        let Some(closing) = closing else { continue };
        let rest = line[closing.len()..].trim_start_matches([',', '!', '.', ' ', '，']);
        let name = if rest.is_empty() { lines.peek_nonempty() } else { rest };
        // (The writer's address after the name is not part of it.)
        let name = name.find([' ', '(', '<']).map_or(name, |_| name.split(['(', '<']).next().unwrap_or(name).trim_end());
        let words: Vec<&str> = name.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 3).collect();
        if name.len() <= 40 && (1..=3).contains(&words.len()) {
            names.extend(words.iter().map(|w| w.to_lowercase()));
        }
    }
    names
}

/// The end of a line that closes with an address in brackets, from a
/// closing word after a sentence's end (`. `, `! `, `? `) in its last 60
/// bytes. Only such lines are looked into: most end otherwise.
fn mid_line_closing(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    if !matches!(b.last(), Some(b')' | b'>')) || !line.contains('@') {
        return None;
    }
    let lo = b.len().saturating_sub(60);
    (lo..b.len().saturating_sub(2)).find_map(|i| {
        let at = i + 2;
        (matches!(b[i], b'.' | b'!' | b'?') && b[i + 1] == b' ' && line.is_char_boundary(at) && closing_start(b[at].to_ascii_lowercase()))
            .then(|| &line[at..])
            .filter(|tail| starts_with_closing(tail.as_bytes()))
    })
}

/// Whether `email`'s local part is one of `names` (`monica.geller@…` for
/// "Monica", `mgeller@` for "Geller" does not count: too loose). Asked for
/// every address of a text with a sign-off: on bytes.
pub fn signed_by(names: &[String], email: &str) -> bool {
    if names.is_empty() {
        return false;
    }
    let local = email.as_bytes().split(|&b| b == b'@').next().unwrap_or_default();
    let local = local.split(|&b| b == b'+').next().unwrap_or(local);
    local.split(|&b| matches!(b, b'.' | b'_' | b'-')).any(|part| names.iter().any(|n| n.as_bytes() == part))
}

/// Whether `text` starts with one of the closing words, in any case. (Only
/// the closings with its first letter are compared: asked for most lines.)
#[inline(always)]
fn starts_with_closing(text: &[u8]) -> bool {
    let Some(first) = text.first().map(u8::to_ascii_lowercase) else { return false };
    closing_start(first) && CLOSINGS.iter().any(|c| c.as_bytes()[0] == first && starts_with_ignoring_case(text, c))
}

/// Whether `text` starts with the lower-case ASCII `word`, in any case.
#[inline(always)]
fn starts_with_ignoring_case(text: &[u8], word: &str) -> bool {
    text.get(..word.len()).is_some_and(|p| p.eq_ignore_ascii_case(word.as_bytes()))
}

/// Whether a (lower-case) byte is the first letter of a closing word. (A
/// match, not a search in a list: asked for every line.)
#[inline(always)]
fn closing_start(b: u8) -> bool {
    matches!(b, b'a' | b'b' | b'c' | b'g' | b'k' | b'l' | b'm' | b'r' | b's' | b't' | b'w' | b'y')
}

/// The lines of a text, found eight bytes at a time.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Lines<'a> {
    /// The next line as written (without its `\n`).
    fn next_raw(&mut self) -> Option<&'a str> {
        if self.pos >= self.text.len() {
            return None;
        }
        let end = crate::cnid::next_stop(self.text.as_bytes(), self.pos, crate::cnid::Stops::Newline).unwrap_or(self.text.len());
        let line = &self.text[self.pos..end];
        self.pos = end + 1;
        Some(line)
    }

    /// The next line that is not blank, trimmed, without moving past it.
    fn peek_nonempty(&self) -> &'a str {
        let mut ahead = Lines { text: self.text, pos: self.pos };
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
    fn closing_starts_are_the_closings_first_letters() {
        for b in 0..=255u8 {
            assert_eq!(closing_start(b), CLOSINGS.iter().any(|c| c.as_bytes()[0] == b), "{b}");
        }
    }

    #[test]
    fn closings_at_the_end_of_a_line_before_an_address() {
        assert_eq!(signoff_names("Send it to billing@x.test, not me. Cheers, Noor Haddad (noor.haddad@x.test)\n"), vec!["noor", "haddad"]);
        assert_eq!(signoff_names("CC sales@y.test please! Best regards, Lukas <lukas@y.test>"), vec!["lukas"]);
        // Not without a sentence's end before the closing, nor without an address in brackets.
        assert!(signoff_names("We thanks, Lukas (lukas@y.test)").is_empty());
        assert!(signoff_names("Please call. Thanks, Lukas").is_empty());
    }

    #[test]
    fn names_after_closings() {
        assert_eq!(signoff_names("Thanks!\nMonica Geller\nbestseller item\nBR, Tom"), ["monica", "geller", "tom"]);
        assert_eq!(signoff_names("Best regards,\n\n  Wang Wei  \n"), ["wang", "wei"]);
        assert!(signoff_names("Thanks for the quick reply, I tried again and it still fails").is_empty());
        assert!(signoff_names("best").is_empty());
        assert_eq!(signoff_names("\u{3000}Regards,\r\n\r\n   \n Lin Lei\r\n"), ["lin", "lei"]);
        assert_eq!(signoff_names("Cheers,"), Vec::<String>::new());
        let names = signoff_names("Cheers, Monica");
        assert!(signed_by(&names, "monica.geller+x@friends.example"));
        assert!(signed_by(&names, "geller_monica@friends.example"));
        assert!(!signed_by(&names, "monicag@friends.example"));
        assert!(!signed_by(&names, "rachel@monica.example"));
        assert!(!signed_by(&[], "monica@friends.example"));
    }
}
