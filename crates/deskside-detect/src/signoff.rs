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
pub fn signoff_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty()).peekable();
    while let Some(line) = lines.next() {
        let first = line.as_bytes()[0].to_ascii_lowercase();
        if line.len() > 60 || !b"abcgklmrstwy".contains(&first) {
            continue;
        }
        let closing = CLOSINGS.iter().find(|c| {
            c.as_bytes()[0] == first
                && line.get(..c.len()).is_some_and(|p| p.eq_ignore_ascii_case(c))
                && line[c.len()..].chars().next().is_none_or(|n| matches!(n, ',' | '!' | '.' | ' ' | '，'))
        });
        let Some(closing) = closing else { continue };
        let rest = line[closing.len()..].trim_start_matches([',', '!', '.', ' ', '，']);
        let name = if rest.is_empty() { lines.peek().copied().unwrap_or("") } else { rest };
        let words: Vec<&str> = name.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 3).collect();
        if name.len() <= 40 && (1..=3).contains(&words.len()) {
            names.extend(words.iter().map(|w| w.to_lowercase()));
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_after_closings() {
        assert_eq!(signoff_names("Thanks!\nMonica Geller\nbestseller item\nBR, Tom"), ["monica", "geller", "tom"]);
        assert_eq!(signoff_names("Best regards,\n\n  Wang Wei  \n"), ["wang", "wei"]);
        assert!(signoff_names("Thanks for the quick reply, I tried again and it still fails").is_empty());
        assert!(signoff_names("best").is_empty());
    }
}
