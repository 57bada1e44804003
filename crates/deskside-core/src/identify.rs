//! Finding the customer on a page: identifiers in what the content script
//! saw, normalised and ranked.
//!
//! The content script (plain JavaScript, it may run on a strict-CSP page where
//! WebAssembly cannot) only collects raw text with where it came from; all
//! decisions are made here, in the background.

use serde::{Deserialize, Serialize};

/// What the content script read from a page. Sizes are capped by the
/// background before this is built (see [`PageSnapshot::MAX_TEXT`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PageSnapshot {
    pub fields: Vec<Field>,
}

impl PageSnapshot {
    /// At most this many bytes of text are considered per snapshot.
    pub const MAX_TEXT: usize = 2 * 1024 * 1024;
    pub const MAX_FIELDS: usize = 5_000;
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub source: Source,
    pub text: String,
}

/// Where a piece of text was found, strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The requester field of a known helpdesk layout.
    RequesterField,
    /// The `href` of a `mailto:` link.
    MailtoLink,
    /// The `href` of a `tel:` link.
    TelLink,
    /// The value of an input field.
    InputValue,
    /// Visible text.
    Text,
}

impl Source {
    fn weight(self) -> u32 {
        match self {
            Source::RequesterField => 100,
            Source::MailtoLink | Source::TelLink => 60,
            Source::InputValue => 50,
            Source::Text => 20,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    Email,
}

/// One identifier found on the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub kind: IdKind,
    /// Normalised value used for lookups (emails: lower-case domain).
    pub value: String,
    /// Strongest place it was found.
    pub source: Source,
    pub score: u32,
}

/// Who is never the customer.
#[derive(Clone, Debug, Default)]
pub struct Exclusions {
    pub team_domains: Vec<String>,
}

impl Exclusions {
    fn excludes_email(&self, email: &str) -> bool {
        let Some((local, domain)) = email.rsplit_once('@') else { return true };
        let automated = ["noreply", "no-reply", "donotreply", "do-not-reply", "mailer-daemon", "postmaster", "notifications", "bounce"];
        if automated.iter().any(|a| local == *a || local.starts_with(&format!("{a}+")) || local.starts_with(&format!("{a}-"))) {
            return true;
        }
        self.team_domains.iter().any(|d| domain == d || domain.ends_with(&format!(".{d}")))
    }
}

/// Finds and ranks the identifiers in a snapshot, best first.
pub fn identify(snapshot: &PageSnapshot, exclusions: &Exclusions) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = Vec::new();
    let mut budget = PageSnapshot::MAX_TEXT;
    for (order, field) in snapshot.fields.iter().take(PageSnapshot::MAX_FIELDS).enumerate() {
        if budget == 0 {
            break;
        }
        let text = truncate(&field.text, budget);
        budget -= text.len();
        let text = match field.source {
            Source::MailtoLink => mailto_address(text),
            _ => text,
        };
        for email in find_emails(text) {
            if exclusions.excludes_email(&email) {
                continue;
            }
            // Earlier on the page is slightly better than later.
            let early = 10u32.saturating_sub((order / 10) as u32);
            let score = field.source.weight() + early;
            match found.iter_mut().find(|c| c.kind == IdKind::Email && c.value == email) {
                Some(c) => {
                    // Seen again: keep the strongest source, add a little for repetition.
                    if field.source < c.source {
                        c.source = field.source;
                    }
                    c.score = c.score.max(score) + 1;
                }
                None => found.push(Candidate { kind: IdKind::Email, value: email, source: field.source, score }),
            }
        }
    }
    // Stable: equal scores keep page order.
    found.sort_by(|a, b| b.score.cmp(&a.score));
    found
}

fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `mailto:a@b.test?cc=c@d.test` → `a@b.test` (only the primary recipient).
fn mailto_address(href: &str) -> &str {
    let rest = href.trim();
    let rest = rest.get(..7).filter(|p| p.eq_ignore_ascii_case("mailto:")).map_or(rest, |_| &rest[7..]);
    rest.split(['?', ',']).next().unwrap_or("")
}

fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c)
}

fn is_domain_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '.'
}

/// Every plausible email address in `text`, normalised: the domain is
/// lower-cased (and so is the local part: no mainstream provider treats case
/// as significant, and CRMs store them lower-cased).
pub fn find_emails(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let before = &text[..at];
        let after = &text[at + 1..];
        let local_start = before.char_indices().rev().take_while(|(_, c)| is_local_char(*c)).last().map(|(i, _)| i);
        let Some(local_start) = local_start else { continue };
        let local = before[local_start..].trim_start_matches(['.', '\'', '`', '|', '/', '=']);
        // Part of a URL (https://user@host, /path/x@y) or a message-id: skip.
        let prefix = &before[..before.len() - local.len()];
        if prefix.ends_with("//") || prefix.ends_with(':') && !prefix.to_ascii_lowercase().ends_with("mailto:") || prefix.ends_with('/') {
            continue;
        }
        let domain_len = after.char_indices().take_while(|(_, c)| is_domain_char(*c)).last().map(|(i, c)| i + c.len_utf8()).unwrap_or(0);
        let domain = after[..domain_len].trim_end_matches(['.', '-']);
        if local.is_empty() || local.len() > 64 || local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            continue;
        }
        if !valid_domain(domain) {
            continue;
        }
        let rest = &after[domain.len()..];
        if prefix.ends_with('<') && rest.starts_with('>') && looks_like_message_id(local) {
            continue;
        }
        out.push(format!("{}@{}", local.to_lowercase(), domain.to_lowercase()));
    }
    out
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 || domain.len() > 253 {
        return false;
    }
    let tld = labels[labels.len() - 1];
    labels.iter().all(|l| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-'))
        && tld.chars().count() >= 2
        && tld.chars().all(|c| c.is_alphabetic())
}

fn looks_like_message_id(local: &str) -> bool {
    let digits = local.chars().filter(|c| c.is_ascii_digit()).count();
    local.len() >= 16 && digits * 3 >= local.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(fields: &[(Source, &str)]) -> PageSnapshot {
        PageSnapshot { fields: fields.iter().map(|(s, t)| Field { source: *s, text: t.to_string() }).collect() }
    }

    #[test]
    fn finds_emails_in_text() {
        assert_eq!(find_emails("Contact: Li.Wei@Example.CN, thanks."), ["li.wei@example.cn"]);
        assert_eq!(find_emails("(mia+orders@shop.co.uk)"), ["mia+orders@shop.co.uk"]);
        assert_eq!(find_emails("张伟<zhang.wei@qq.com>写道"), ["zhang.wei@qq.com"]);
        assert!(find_emails("https://user@host.example.com/x").is_empty());
        assert!(find_emails("see https://cdn.test/img/a@2x.png").is_empty());
        assert!(find_emails("Message-ID: <20261123093311.48213.9911@mail.example.com>").is_empty());
        assert!(find_emails("price 3@5 or a@b or x@y.1").is_empty());
    }

    #[test]
    fn mailto_takes_the_primary_recipient() {
        assert_eq!(mailto_address("MAILTO:a@b.test?cc=c@d.test"), "a@b.test");
    }

    #[test]
    fn requester_beats_signature_and_team_never_wins() {
        let s = snap(&[
            (Source::Text, "From: Support <help@acme-support.com>"),
            (Source::Text, "Hi, I am writing about my order. -- Jane, jane.doe@globex.test"),
            (Source::MailtoLink, "mailto:li.na@example.cn"),
            (Source::Text, "noreply@notifications.globex.test"),
        ]);
        let ex = Exclusions { team_domains: vec!["acme-support.com".into()] };
        let ranked = identify(&s, &ex);
        let values: Vec<&str> = ranked.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(values, ["li.na@example.cn", "jane.doe@globex.test"]);
        assert_eq!(ranked[0].source, Source::MailtoLink);
    }

    #[test]
    fn repeated_identifiers_merge() {
        let s = snap(&[(Source::Text, "a@x.test"), (Source::InputValue, "A@X.TEST")]);
        let ranked = identify(&s, &Exclusions::default());
        assert_eq!(ranked.len(), 1);
        assert_eq!(ranked[0].source, Source::InputValue);
    }
}
