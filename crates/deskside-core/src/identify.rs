//! Finding the customer on a page: identifiers in what the content script
//! saw, normalised and ranked.
//!
//! The content script (plain JavaScript, it may run on a strict-CSP page where
//! WebAssembly cannot) only collects raw text with where it came from; all
//! decisions are made here, in the background.

use crate::cnid::{find_cn_ids, CnIdKind};
use crate::phone::{find_phones, normalize_phone};
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
    /// E.164.
    Phone,
    /// Chinese resident identity card number (sensitive).
    ResidentId,
    /// Chinese unified social credit code.
    CreditCode,
}

impl IdKind {
    /// A small preference between kinds found in equally strong places:
    /// emails identify a person best, phones next.
    fn bonus(self) -> u32 {
        match self {
            IdKind::Email => 5,
            IdKind::Phone => 3,
            IdKind::ResidentId | IdKind::CreditCode => 0,
        }
    }

    /// Whether connectors can look a customer up by this kind.
    pub fn lookupable(self) -> bool {
        matches!(self, IdKind::Email | IdKind::Phone)
    }
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
    /// Shown only masked (identity numbers).
    #[serde(default)]
    pub sensitive: bool,
}

/// What the admin configured that shapes detection: whose addresses never
/// count, and the region for numbers written without a country code.
#[derive(Clone, Debug, Default)]
pub struct ScanContext {
    pub team_domains: Vec<String>,
    /// The team's own numbers (hotlines, desk phones), in E.164.
    pub team_phones: Vec<String>,
    pub default_region: String,
}

impl ScanContext {
    /// Line numbers (0-based) of `text` holding one of the team's addresses.
    fn team_lines(&self, text: &str) -> Vec<usize> {
        if self.team_domains.is_empty() || !text.contains('@') {
            return Vec::new();
        }
        text.split('\n')
            .enumerate()
            .filter(|(_, line)| line.contains('@') && find_emails(line).iter().any(|e| self.is_team_email(e)))
            .map(|(i, _)| i)
            .collect()
    }

    fn is_team_email(&self, email: &str) -> bool {
        let domain = email.rsplit_once('@').map_or("", |(_, d)| d);
        self.team_domains.iter().any(|d| domain == d || domain.ends_with(&format!(".{d}")))
    }

    fn excludes_email(&self, email: &str) -> bool {
        let Some((local, _)) = email.rsplit_once('@') else { return true };
        let automated = ["noreply", "no-reply", "donotreply", "do-not-reply", "mailer-daemon", "postmaster", "notifications", "bounce"];
        if automated.iter().any(|a| local == *a || local.starts_with(&format!("{a}+")) || local.starts_with(&format!("{a}-"))) {
            return true;
        }
        self.is_team_email(email)
    }
}

/// Finds and ranks the identifiers in a snapshot, best first.
pub fn identify(snapshot: &PageSnapshot, ctx: &ScanContext) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = Vec::new();
    let mut budget = PageSnapshot::MAX_TEXT;
    for (order, field) in snapshot.fields.iter().take(PageSnapshot::MAX_FIELDS).enumerate() {
        if budget == 0 {
            break;
        }
        let text = truncate(&field.text, budget);
        budget -= text.len();
        // Earlier on the page is slightly better than later.
        let early = 10u32.saturating_sub((order / 10) as u32);
        let mut add = |kind: IdKind, value: String| {
            let score = field.source.weight() + kind.bonus() + early;
            match found.iter_mut().find(|c| c.kind == kind && c.value == value) {
                Some(c) => {
                    // Seen again: keep the strongest source, add a little for repetition.
                    if field.source < c.source {
                        c.source = field.source;
                    }
                    c.score = c.score.max(score) + 1;
                }
                None => found.push(Candidate { kind, value, source: field.source, score, sensitive: kind == IdKind::ResidentId }),
            }
        };
        match field.source {
            Source::MailtoLink => {
                for email in find_emails(mailto_address(text)) {
                    if !ctx.excludes_email(&email) {
                        add(IdKind::Email, email);
                    }
                }
            }
            Source::TelLink => {
                let number = strip_scheme(text.trim(), "tel:").split([';', '?']).next().unwrap_or("");
                if let Some(e164) = normalize_phone(&decode_percent(number), &ctx.default_region) {
                    add(IdKind::Phone, e164);
                }
            }
            _ => {
                for email in find_emails(text) {
                    if !ctx.excludes_email(&email) {
                        add(IdKind::Email, email);
                    }
                }
                let phones = find_phones(text, &ctx.default_region);
                let team_lines = if phones.is_empty() { Vec::new() } else { ctx.team_lines(text) };
                // Phones come in text order: count lines incrementally.
                let (mut line, mut counted) = (0, 0);
                for phone in phones {
                    line += text[counted..phone.start].matches('\n').count();
                    counted = phone.start;
                    // On a team address's line or the line next to it: the team's signature.
                    let in_team_signature = team_lines.iter().any(|&t| t.abs_diff(line) <= 1);
                    if ctx.team_phones.contains(&phone.e164) || in_team_signature {
                        continue;
                    }
                    add(IdKind::Phone, phone.e164);
                }
                for id in find_cn_ids(text) {
                    let kind = match id.kind {
                        CnIdKind::ResidentId => IdKind::ResidentId,
                        CnIdKind::CreditCode => IdKind::CreditCode,
                    };
                    add(kind, id.value);
                }
            }
        }
    }
    // Stable: equal scores keep page order.
    found.sort_by(|a, b| b.score.cmp(&a.score));
    found
}

/// `%2B86%20138…` in a `tel:` link → `+86 138…`.
fn decode_percent(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Some(v) = std::str::from_utf8(&b[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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

/// `s` without a leading `scheme` (matched ignoring ASCII case).
fn strip_scheme<'a>(s: &'a str, scheme: &str) -> &'a str {
    match s.get(..scheme.len()) {
        Some(p) if p.eq_ignore_ascii_case(scheme) => &s[scheme.len()..],
        _ => s,
    }
}

/// `mailto:a@b.test?cc=c@d.test` → `a@b.test` (only the primary recipient).
fn mailto_address(href: &str) -> &str {
    strip_scheme(href.trim(), "mailto:").split(['?', ',']).next().unwrap_or("")
}

fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c)
}

fn is_domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '.' || (c.is_alphabetic() && !is_cjk(c))
}

/// Han, kana, Hangul and CJK punctuation: text that follows an address
/// without a space in Chinese, Japanese and Korean writing, never part of it.
/// (Domains written in these scripts are therefore not recognised; they are
/// rare in support mail.)
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
}

/// `https://user:pass@host`: the `:` before the local part belongs to a URL
/// when the word it ends contains `://`.
fn in_url_authority(prefix: &str) -> bool {
    let word_start = prefix.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    prefix[word_start..].contains("://")
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
        if prefix.ends_with("//") || prefix.ends_with('/') || prefix.ends_with(':') && in_url_authority(prefix) {
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
        assert_eq!(find_emails("Email:barry@ccpd.example"), ["barry@ccpd.example"]);
        assert_eq!(find_emails("我的邮箱是zhangsan@163.example谢谢"), ["zhangsan@163.example"]);
        assert!(find_emails("ftp://user:pass@host.example/x").is_empty());
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
        let ex = ScanContext { team_domains: vec!["acme-support.com".into()], default_region: "CN".into(), ..ScanContext::default() };
        let ranked: Vec<Candidate> = identify(&s, &ex).into_iter().filter(|c| c.kind == IdKind::Email).collect();
        let values: Vec<&str> = ranked.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(values, ["li.na@example.cn", "jane.doe@globex.test"]);
        assert_eq!(ranked[0].source, Source::MailtoLink);
    }

    #[test]
    fn phones_and_identity_codes_are_candidates_too() {
        let s = snap(&[
            (Source::TelLink, "tel:%2B86-138-0013-8000"),
            (Source::Text, "手机：138 0013 8000，统一社会信用代码 91310000MA1FL8TQ23，身份证 11010519491231002X"),
        ]);
        let ranked = identify(&s, &ScanContext { default_region: "CN".into(), ..ScanContext::default() });
        let got: Vec<(IdKind, &str, Source, bool)> = ranked.iter().map(|c| (c.kind, c.value.as_str(), c.source, c.sensitive)).collect();
        assert_eq!(
            got,
            [
                (IdKind::Phone, "+8613800138000", Source::TelLink, false),
                (IdKind::CreditCode, "91310000MA1FL8TQ23", Source::Text, false),
                (IdKind::ResidentId, "11010519491231002X", Source::Text, true),
            ]
        );
    }

    #[test]
    fn the_teams_own_numbers_never_count() {
        let ctx = ScanContext { team_domains: vec!["acme.example".into()], team_phones: vec!["+864008208820".into()], default_region: "CN".into() };
        let s = snap(&[(Source::Text, "Customer: 138 0013 8000\nTom\nAcme · Hotline 021-6234 5678\nhelp@acme.example\nor call 400-820-8820")]);
        let values: Vec<String> = identify(&s, &ctx).into_iter().map(|c| c.value).collect();
        assert_eq!(values, ["+8613800138000"]);
    }

    #[test]
    fn repeated_identifiers_merge() {
        let s = snap(&[(Source::Text, "a@x.test"), (Source::InputValue, "A@X.TEST")]);
        let ranked = identify(&s, &ScanContext::default());
        assert_eq!(ranked.len(), 1);
        assert_eq!(ranked[0].source, Source::InputValue);
    }
}
