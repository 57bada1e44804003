//! Finding the customer on a page: identifiers in what the content script
//! saw, normalised and ranked.
//!
//! The content script (plain JavaScript, it may run on a strict-CSP page where
//! WebAssembly cannot) only collects raw text with where it came from; all
//! decisions are made here, in the background.

use crate::cnid::CnIdKind;
use crate::config::{IdPattern, Settings};
use crate::idpattern::{Pattern, PatternError};
use crate::phone::{normalize_phone, scan_text};
use deskside_detect::email::{bounce_local, in_url_authority, looks_like_message_id, not_a_mailbox, shell_target};
use deskside_detect::signoff::{signed_by, signoff_names};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

mod context;
mod relation;
mod voice;
use context::HeaderRole;

/// A small multiplicative hash (FxHash's) for the candidate index: the keys
/// are short strings from one page, and SipHash's flood resistance buys
/// nothing there (a page cannot make more than a few thousand candidates).
#[derive(Default)]
struct FastHash(u64);

impl FastHash {
    #[inline(always)]
    fn mix(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FastHash {
    #[inline(always)]
    fn write(&mut self, bytes: &[u8]) {
        // Eight bytes a step, then the rest as one word (an index loop: the
        // size-built module called the chunk iterator's `next` per word).
        let mut i = 0;
        while i + 8 <= bytes.len() {
            self.mix(deskside_detect::load_u64(&bytes[i..i + 8]));
            i += 8;
        }
        let tail = bytes[i..].iter().fold(0u64, |word, &b| word << 8 | u64::from(b));
        self.mix(tail ^ (bytes.len() as u64) << 59);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

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

    /// The snapshot with `page_url` (the URL the background trusts, from the
    /// sender) as its only [`Source::PageUrl`] field, placed first; any page
    /// URL the content script itself sent is dropped.
    pub fn with_page_url(mut self, page_url: &str) -> PageSnapshot {
        self.fields.retain(|f| f.source != Source::PageUrl);
        if !page_url.trim().is_empty() {
            self.fields.insert(0, Field { source: Source::PageUrl, text: page_url.to_string() });
        }
        self
    }
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
    /// The page's own URL: identifiers in its path (`/customers/123`),
    /// query (`?customer_id=…`) and hash route (`#ticket/zoom/123`).
    PageUrl,
    /// Visible text.
    Text,
    /// Visible text in a table or CSV block: several people's identifiers
    /// side by side (an export pasted into a ticket). Set by [`identify`]
    /// for what it finds there, below everything tied to the ticket; a page
    /// whose best identifier is only here names nobody as the customer.
    TableText,
    /// The signed-in agent's own profile (name, email, phone), as a site
    /// adapter reads it: what it holds is never the customer, anywhere on the page.
    AgentField,
    /// The text of a message the helpdesk marks as the team's (a site
    /// adapter's `agent_messages` selector). The same text arrives as
    /// visible text too; this field only says whose it is: a number it
    /// invites people to call is the team's anywhere on the page, and on a
    /// page that marks the team's messages, an invitation in a message not
    /// marked is the customer's.
    TeamText,
}

impl Source {
    fn weight(self) -> u32 {
        match self {
            Source::RequesterField => 100,
            Source::MailtoLink | Source::TelLink => 60,
            Source::InputValue => 50,
            Source::Text => 20,
            // Just below text: an id in the URL may be the helpdesk's own and
            // mean nothing to the CRM, so an email or phone anywhere on the
            // page wins; a customer id in the URL still beats order and
            // account numbers in the text (same score, and the URL comes first).
            Source::PageUrl => 19,
            Source::TableText => TABLE_WEIGHT,
            Source::AgentField | Source::TeamText => 0,
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
    /// A customer's (contact's, user's) record id: from an admin pattern or the page URL.
    CustomerId,
    /// An order number: from an admin pattern or the page URL.
    OrderId,
    /// A company's/organisation's account id: from an admin pattern or the page URL.
    AccountId,
    /// The helpdesk ticket the page shows (from its URL). It identifies the
    /// ticket, not the customer: never looked up, always ranked last.
    TicketId,
}

impl IdKind {
    /// The kinds an admin pattern may produce.
    pub const CUSTOM: [IdKind; 3] = [IdKind::CustomerId, IdKind::OrderId, IdKind::AccountId];

    /// The serde name (`customer_id`).
    pub fn id(self) -> &'static str {
        match self {
            IdKind::Email => "email",
            IdKind::Phone => "phone",
            IdKind::ResidentId => "resident_id",
            IdKind::CreditCode => "credit_code",
            IdKind::CustomerId => "customer_id",
            IdKind::OrderId => "order_id",
            IdKind::AccountId => "account_id",
            IdKind::TicketId => "ticket_id",
        }
    }

    /// Every kind.
    pub const ALL: [IdKind; 8] = [
        IdKind::Email,
        IdKind::Phone,
        IdKind::ResidentId,
        IdKind::CreditCode,
        IdKind::CustomerId,
        IdKind::OrderId,
        IdKind::AccountId,
        IdKind::TicketId,
    ];

    pub fn parse(s: &str) -> Option<IdKind> {
        IdKind::ALL.into_iter().find(|k| k.id() == s)
    }

    /// How the kind is named to people, as a label ("Customer ID").
    pub fn name(self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            IdKind::Email => Msg::KindEmail,
            IdKind::Phone => Msg::KindPhone,
            IdKind::ResidentId => Msg::KindResidentId,
            IdKind::CreditCode => Msg::KindCreditCode,
            IdKind::CustomerId => Msg::KindCustomerId,
            IdKind::OrderId => Msg::KindOrderId,
            IdKind::AccountId => Msg::KindAccountId,
            IdKind::TicketId => Msg::KindTicketId,
        }
    }

    /// The kind's name inside a sentence ("No customer with this customer ID…").
    pub fn name_in_sentence(self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            IdKind::Email => Msg::KindEmailLower,
            IdKind::Phone => Msg::KindPhoneLower,
            IdKind::ResidentId => Msg::KindResidentIdLower,
            IdKind::CreditCode => Msg::KindCreditCodeLower,
            IdKind::CustomerId => Msg::KindCustomerIdLower,
            IdKind::OrderId => Msg::KindOrderIdLower,
            IdKind::AccountId => Msg::KindAccountIdLower,
            IdKind::TicketId => Msg::KindTicketIdLower,
        }
    }

    /// A small preference between kinds found in equally strong places:
    /// emails identify a person best, phones next, then record ids.
    fn bonus(self) -> u32 {
        match self {
            IdKind::Email => 5,
            IdKind::Phone => 3,
            IdKind::CustomerId => 2,
            IdKind::AccountId | IdKind::OrderId => 1,
            IdKind::ResidentId | IdKind::CreditCode | IdKind::TicketId => 0,
        }
    }

    /// Whether some connector can look a customer up by this kind (see
    /// [`crate::connector::supports`] for one connector).
    pub fn lookupable(self) -> bool {
        crate::connector::any_supports(self)
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
    /// The admin's name for the pattern that found it (custom identifiers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// A ticket number names the ticket, not the customer: however often it is
/// seen, it stays below every customer identifier.
const TICKET_SCORE_CAP: u32 = 9;

impl Candidate {
    /// The same identifier seen again (another field, a later append): keep
    /// the strongest source, add a little for repetition.
    pub fn seen_again(&mut self, source: Source, score: u32, label: Option<String>) {
        if source < self.source {
            self.source = source;
        }
        // Repetition never lifts an identifier out of its tier: a ticket
        // number or a no-reply sender (below 10) stays below every
        // identifier, a table's (below 20) below everything tied to the ticket.
        let best = self.score.max(score);
        let cap = if self.kind == IdKind::TicketId || best <= TICKET_SCORE_CAP {
            TICKET_SCORE_CAP
        } else if best < Source::Text.weight() {
            Source::Text.weight() - 1
        } else {
            u32::MAX
        };
        self.score = (best + 1).min(cap);
        if self.label.is_none() {
            self.label = label;
        }
    }
}

/// An admin pattern, compiled: see [`crate::idpattern`].
#[derive(Clone, Debug)]
pub struct IdRule {
    pub kind: IdKind,
    pub label: String,
    pub pattern: Pattern,
}

impl IdRule {
    pub fn compile(p: &IdPattern) -> Result<IdRule, PatternError> {
        Ok(IdRule { kind: p.kind, label: p.label.clone(), pattern: Pattern::compile(&p.pattern)? })
    }
}

/// What the admin configured that shapes detection: whose addresses never
/// count, the region for numbers written without a country code, and the
/// admin's own identifier patterns. Build it once per scan
/// ([`ScanContext::from_settings`]): patterns are compiled there.
#[derive(Clone, Debug, Default)]
pub struct ScanContext {
    pub team_domains: Vec<String>,
    /// The team's own numbers (hotlines, desk phones), in E.164.
    pub team_phones: Vec<String>,
    pub default_region: String,
    /// The admin's identifier patterns, compiled once per context.
    pub id_patterns: Vec<IdRule>,
}

impl ScanContext {
    /// The context the stored settings describe. Patterns that do not
    /// compile are left out (settings are validated when saved).
    pub fn from_settings(settings: &Settings) -> ScanContext {
        ScanContext {
            team_domains: settings.team_domains.clone(),
            team_phones: settings.team_phones.clone(),
            default_region: settings.default_region.clone(),
            id_patterns: settings.id_patterns.iter().filter_map(|p| IdRule::compile(p).ok()).collect(),
        }
    }

    /// Line numbers (0-based) of `text` that are the team's: lines holding
    /// one of the team's (or the signed-in agent's) addresses, with `false`
    /// (a signature: the lines next to it are the team's too), and the quoted
    /// lines (`> …`) after such a line that introduces a quote
    /// (`Acme Support <help@acme.example> wrote:`), with `true` (that line
    /// only): those of the quote's own level, not the deeper quotes inside
    /// it (`>> …`, someone else's message the team quoted).
    fn team_lines(&self, text: &str, agent_emails: &[String]) -> Vec<(usize, bool)> {
        if (self.team_domains.is_empty() && agent_emails.is_empty()) || !text.contains('@') {
            return Vec::new();
        }
        let mut out = Vec::new();
        // The quote level of the team's quoted message, while in it.
        let mut quoting: Option<usize> = None;
        let depth = |line: &str| line.bytes().take_while(|c| matches!(c, b'>' | b' ' | b'\t')).filter(|&c| c == b'>').count();
        for (i, line) in text.split('\n').enumerate() {
            if line.contains('@') && find_emails(line).iter().any(|e| self.is_team_email(e) || agent_emails.contains(e)) {
                // (Session 19: a sentence that names the team's address as
                // a recipient, `so CC desk@… on this one.`, is no signature:
                // its line only.)
                out.push((i, context::recipient_sentence(line)));
                quoting = context::introduces_quote(line).then(|| depth(line) + 1);
            } else if let Some(level) = quoting.filter(|_| line.trim_start().starts_with('>')) {
                match depth(line) {
                    d if d == level => out.push((i, true)),
                    d if d > level => {}
                    _ => quoting = None,
                }
            } else if !line.trim().is_empty() {
                quoting = None;
            }
        }
        out
    }

    fn is_team_email(&self, email: &str) -> bool {
        if self.team_domains.is_empty() {
            return false;
        }
        let domain = deskside_detect::lines::rsplit_at_sign(email).map_or("", |(_, d)| d);
        // (A subdomain too, compared in place; speed25.)
        if self.team_domains.iter().any(|d| deskside_detect::lines::same_or_subdomain(domain, d)) {
            return true;
        }
        // An IDN domain written once in Unicode, once in punycode.
        let idn = |d: &str| !d.is_ascii() || d.contains("xn--");
        if idn(domain) || self.team_domains.iter().any(|d| idn(d)) {
            let ascii = domain_to_ascii(domain);
            return self.team_domains.iter().any(|d| deskside_detect::lines::same_or_subdomain(&ascii, &domain_to_ascii(d)));
        }
        false
    }

    /// Addresses that are never a customer's: the team's own, and those of
    /// bounces and forwarders (`bounces+…@`, VERP, `SRS0=…`, `mailer-daemon`).
    /// No-reply senders are not excluded: they rank last ([`AUTOMATED_SCORE`]).
    fn excludes_email(&self, email: &str) -> bool {
        let Some((local, _)) = deskside_detect::lines::rsplit_at_sign(email) else { return true };
        bounce_local(local) || self.is_team_email(email)
    }
}

/// Candidates as JSON, exactly as `serde_json::to_string` writes them, but
/// written directly: in the size-built module serde_json's writer (a call
/// per piece) cost about a fifth of a whole 1 MB scan. The scanner's answer
/// to JavaScript (`scanText`) is this string.
pub fn candidates_to_json(list: &[Candidate]) -> String {
    let mut out = String::with_capacity(16 + list.iter().map(|c| c.value.len() + 80).sum::<usize>());
    out.push('[');
    for (i, c) in list.iter().enumerate() {
        // Five pieces a candidate, the fixed text of each written at once
        // (in the size-built module every push is a call).
        if i > 0 {
            out.push(',');
        }
        out.push_str(json_kind_opening(c.kind));
        json_string_body(&mut out, &c.value);
        out.push_str(json_source_piece(c.source));
        let mut digits = [0u8; 10];
        let mut at = digits.len();
        let mut score = c.score;
        loop {
            at -= 1;
            digits[at] = b'0' + (score % 10) as u8;
            score /= 10;
            if score == 0 {
                break;
            }
        }
        out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or("0"));
        match (&c.label, c.sensitive) {
            (None, false) => out.push_str(",\"sensitive\":false}"),
            (None, true) => out.push_str(",\"sensitive\":true}"),
            (Some(label), sensitive) => {
                out.push_str(if sensitive { ",\"sensitive\":true,\"label\":\"" } else { ",\"sensitive\":false,\"label\":\"" });
                json_string_body(&mut out, label);
                out.push_str("\"}");
            }
        }
    }
    out.push(']');
    out
}

/// `{"kind":"…","value":"` for a kind.
fn json_kind_opening(kind: IdKind) -> &'static str {
    macro_rules! opening {
        ($($k:ident => $id:literal),*) => {
            match kind { $(IdKind::$k => concat!("{\"kind\":\"", $id, "\",\"value\":\""),)* }
        };
    }
    opening!(Email => "email", Phone => "phone", ResidentId => "resident_id", CreditCode => "credit_code",
        CustomerId => "customer_id", OrderId => "order_id", AccountId => "account_id", TicketId => "ticket_id")
}

/// `","source":"…","score":` for a source (the value's closing quote first).
fn json_source_piece(source: Source) -> &'static str {
    macro_rules! piece {
        ($($s:ident => $id:literal),*) => {
            match source { $(Source::$s => concat!("\",\"source\":\"", $id, "\",\"score\":"),)* }
        };
    }
    piece!(RequesterField => "requester_field", MailtoLink => "mailto_link", TelLink => "tel_link", InputValue => "input_value",
        PageUrl => "page_url", Text => "text", TableText => "table_text", AgentField => "agent_field", TeamText => "team_text")
}

/// A JSON string literal's contents (no quotes), escaped as serde_json
/// escapes them.
fn json_string_body(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut plain = 0;
    // (Speed25: most values need no escape; to the next byte that does, one
    // table look a byte, not the match below for every byte.)
    while let Some(k) = bytes[plain..].iter().position(|&c| JSON_ESCAPED[usize::from(c)]) {
        let (i, b) = (plain + k, bytes[plain + k]);
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0C => "\\f",
            _ => "",
        };
        out.push_str(&s[plain..i]);
        plain = i + 1;
        if short.is_empty() {
            out.push_str(&format!("\\u{b:04x}"));
        } else {
            out.push_str(short);
        }
    }
    out.push_str(&s[plain..]);
}

/// The bytes [`json_string_body`] escapes: `"`, `\` and the control bytes.
const JSON_ESCAPED: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = c < 0x20 || c == b'"' as usize || c == b'\\' as usize;
        c += 1;
    }
    t
};

/// Whether the byte-level email path decides every `@` it takes in `text`
/// as the general path does, in running text and in a one-value field; `Ok`
/// with how many it decided. For the unit tests and the fuzz targets
/// (`crates/deskside-fuzz`, built with `cfg(fuzzing)`).
#[cfg(any(test, fuzzing))]
pub fn email_paths_agree(text: &str) -> Result<usize, String> {
    let mut decided = 0;
    for (at, _) in text.match_indices('@') {
        if let Some(fast) = deskside_detect::email::ascii_email_at(text, at) {
            decided += 1;
            for whole in [false, true] {
                let general = general_email_at(text, at, whole);
                if fast != general {
                    return Err(format!("at {at} (whole field: {whole}): fast {fast:?}, general {general:?}"));
                }
            }
        }
    }
    Ok(decided)
}

/// Work limit for the admin's patterns on one snapshot, in VM steps: bounds
/// the time a hostile page can cost (a typical pattern uses a tiny part).
pub const ID_PATTERN_BUDGET: u64 = 20_000_000;
/// Longest custom identifier value kept.
const MAX_ID_VALUE: usize = 100;
/// At most this many distinct custom identifiers (and URL ids) per snapshot.
const MAX_CUSTOM_CANDIDATES: usize = 200;
/// The agent's own fields: at most this many, each at most this long.
const MAX_AGENT_FIELDS: usize = 50;
const MAX_AGENT_TEXT: usize = 4_096;
/// How much of one message marked as the team's is read.
const MAX_TEAM_MESSAGE: usize = 16_384;

/// What one field yielded, before ranking.
/// (kind, value, the admin's label, where it is in the field's text).
type Found = (IdKind, String, Option<String>, Span);
/// Byte offsets of an identifier in its text (for emails, about: the value
/// is normalised), or [`NO_POS`].
type Span = (usize, usize);

/// Finds and ranks the identifiers in a snapshot, best first. Reads at most
/// [`PageSnapshot::MAX_TEXT`] bytes.
pub fn identify(snapshot: &PageSnapshot, ctx: &ScanContext) -> Vec<Candidate> {
    let fields: Vec<(Source, &str)> = snapshot.fields.iter().map(|f| (f.source, f.text.as_str())).collect();
    identify_limited(&fields, ctx, PageSnapshot::MAX_TEXT)
}

/// The whole of one text, however long, read as page text: the scanner on
/// its own, for the command-line tool and the benchmarks (the text is read
/// where it is, not copied).
pub fn identify_text(text: &str, ctx: &ScanContext) -> Vec<Candidate> {
    identify_limited(&[(Source::Text, text)], ctx, usize::MAX)
}

fn identify_limited(fields: &[(Source, &str)], ctx: &ScanContext, max_text: usize) -> Vec<Candidate> {
    let mut steps = ID_PATTERN_BUDGET;
    // The signed-in agent's own values, wherever their field is on the page
    // (team exclusions off: the agent's address counts even on a team domain).
    // (A few values: a list is smaller in wasm than a set.)
    let mut agent: Vec<(IdKind, String)> = Vec::new();
    let agent_fields: Vec<&str> = fields.iter().filter(|f| f.0 == Source::AgentField).take(MAX_AGENT_FIELDS).map(|f| f.1).collect();
    if !agent_fields.is_empty() {
        let agent_ctx = ScanContext { team_domains: Vec::new(), team_phones: Vec::new(), ..ctx.clone() };
        for field in agent_fields {
            let text = truncate(field, MAX_AGENT_TEXT);
            for (kind, value, ..) in extract(Source::AgentField, text, &agent_ctx, &[], &[], false, &mut steps) {
                if !agent.iter().any(|(k, v)| *k == kind && *v == value) {
                    agent.push((kind, value));
                }
            }
        }
    }
    let agent_emails: Vec<String> = agent.iter().filter(|(k, _)| *k == IdKind::Email).map(|(_, v)| v.clone()).collect();
    // Round 21: the signed-in agent's name (a profile field that is a name
    // alone, `Marco Ruiz`, `周航`), squeezed like a team domain's name: a
    // thread entry's head that names the agent heads the team's message.
    let agent_names: Vec<String> = fields
        .iter()
        .filter(|f| f.0 == Source::AgentField)
        .take(MAX_AGENT_FIELDS)
        .filter(|f| f.1.len() <= 48 && !f.1.bytes().any(|c| c == b'@' || c.is_ascii_digit()))
        .map(|f| f.1.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>())
        .filter(|n| n.len() >= 6)
        .collect();
    // The team's own messages, where the page marks them: the numbers they
    // invite people to call are the team's, like the admin's list.
    let team_messages: Vec<&str> = fields.iter().filter(|f| f.0 == Source::TeamText).take(MAX_AGENT_FIELDS).map(|f| f.1).collect();
    let marked = !team_messages.is_empty();
    let marked_ctx;
    let ctx = if team_messages.is_empty() {
        ctx
    } else {
        let mut team_phones = ctx.team_phones.clone();
        let names = context::TeamSigns::domain_names(&ctx.team_domains);
        for text in team_messages {
            let text = truncate(text, MAX_TEAM_MESSAGE);
            // A message that introduces itself as the team (`这里是 Lumenpay
            // 客服`, `Dear Customer,`): every number it gives is the team's,
            // unless said to be the reader's.
            let intro = context::introduces_team(text, &names) || context::signs_as_team(text, &names);
            for phone in scan_text(text, &ctx.default_region).phones {
                // Else an invitation to call (any language), or a service
                // number or a labelled one (`Atendimento: 0800 …`, `고객센터
                // 1661-…`, `Hotline: …`): the team gives its own lines.
                let team = if intro {
                    !context::reader_cue_any(text, phone.start)
                } else {
                    context::team_cue_before(text, phone.start)
                        || context::world_cue_before(text, phone.start)
                        || (context::service_number(&phone.e164) || context::label_before(text, phone.start)) && !context::reader_cue_any(text, phone.start)
                };
                if team && !team_phones.contains(&phone.e164) {
                    team_phones.push(phone.e164);
                }
            }
        }
        marked_ctx = ScanContext { team_phones, ..ctx.clone() };
        &marked_ctx
    };
    let month_first = matches!(ctx.default_region.trim().to_ascii_uppercase().as_str(), "US" | "CA");

    let mut found: Vec<Candidate> = Vec::new();
    // Where each (kind, value) is in `found`: a page may hold thousands.
    let text_len: usize = fields.iter().map(|f| f.1.len()).sum::<usize>().min(max_text);
    // (Keyed by the pair's hash, the candidates with one hash chained through
    // `same_hash`: no second copy of each value, no allocation per identifier.)
    let hasher = BuildHasherDefault::<FastHash>::default();
    let mut index: HashMap<u64, usize, BuildHasherDefault<FastHash>> =
        HashMap::with_capacity_and_hasher((text_len / 256).min(8192), BuildHasherDefault::default());
    let mut same_hash: Vec<Option<usize>> = Vec::new();
    let mut custom = 0;
    let mut budget = max_text;
    for (order, &(source, field_text)) in fields.iter().take(PageSnapshot::MAX_FIELDS).enumerate() {
        if budget == 0 {
            break;
        }
        if matches!(source, Source::AgentField | Source::TeamText) {
            continue;
        }
        let text = truncate(field_text, budget);
        budget -= text.len();
        let prose = matches!(source, Source::Text | Source::TableText);
        // An address written with HTML entities in the page's own text (a
        // saved page's source pasted into a ticket, an export escaped twice:
        // `jane&commat;globex&period;test`): the text is read decoded. Most
        // texts hold no `&` before an `@`'s entity and are read where they are.
        let decoded;
        let text = if prose && has_address_entity(text) {
            decoded = crate::html::decode_entities(text);
            decoded.as_str()
        } else {
            text
        };
        // Earlier on the page is slightly better than later.
        let early = 10u32.saturating_sub((order / 10) as u32);
        let mut here = extract(source, text, ctx, &agent_emails, &agent_names, marked, &mut steps);
        // Where each identifier of running text sits: a mail header line
        // (`Message-ID:` names no one: dropped), a table block, a dated
        // message's signature.
        let roles: Vec<HeaderRole> = here
            .iter()
            .map(|(kind, .., at)| if prose && *kind == IdKind::Email && *at != NO_POS { context::header_role(text, at.0) } else { HeaderRole::None })
            .collect();
        let mut roles = roles;
        if roles.contains(&HeaderRole::Machine) {
            let mut keep = roles.iter().map(|r| *r != HeaderRole::Machine);
            here.retain(|_| keep.next().unwrap_or(true));
            roles.retain(|r| *r != HeaderRole::Machine);
        }
        let tabular = table_positions(prose, text, &here);
        let mut requester = if prose { opener(text, &here, &roles, &tabular, month_first) } else { None };
        // The opener of a forwarded chain whose message never went to the
        // team (a father's mail his daughter forwards): the one author who
        // wrote to the team (a header block whose `To:` is the team's)
        // brought the ticket in (round 11).
        if requester.is_some() && roles.contains(&HeaderRole::Author) {
            requester = forwarder_over_opener(text, &here, &roles, requester, &|e: &str| ctx.is_team_email(e) || agent_emails.iter().any(|a| a == e));
        }
        // Several addresses in one text: the writer's own (the name they sign
        // with) is the customer, not the colleague they mention.
        let several = here.iter().filter(|(k, ..)| *k == IdKind::Email).nth(1).is_some();
        let mut signers = if several && source == Source::Text { signoff_names(text) } else { Vec::new() };
        // A signature block without a closing that ends the text (an
        // out-of-office reply), when no mail header's author is above it
        // (a forwarded message's signature is its author's): round 9.
        let mut more = false;
        if several && source == Source::Text && !roles.contains(&HeaderRole::Author) {
            if let Some(name) = deskside_detect::signoff::closing_less_signature(text) {
                signers.extend(deskside_detect::signoff::name_words(name));
                more = true;
            }
        }
        // A closing mid-line before a bare address that ends the line
        // (`… ? Merci — Claire Bonnefoy, Maison du Thé Vert, claire@…`):
        // asked of the lines addresses end, on bytes first (round 9).
        if several && source == Source::Text {
            let b = text.as_bytes();
            for (k, (kind, .., at)) in here.iter().enumerate() {
                let ends_line = || b[at.1.min(b.len())..].iter().take_while(|&&c| c != b'\n').all(|c| matches!(c, b' ' | b'\t' | b'\r'));
                if *kind == IdKind::Email && *at != NO_POS && roles[k] == HeaderRole::None && ends_line() {
                    let (ls, le) = context::line_at(text, at.0);
                    if let Some(name) = deskside_detect::signoff::bare_address_signoff(&text[ls..le]) {
                        signers.extend(deskside_detect::signoff::name_words(name));
                        more = true;
                    }
                }
            }
        }
        if more {
            signers.sort_unstable();
            signers.dedup();
        }
        let at_of: Vec<Span> = if roles.contains(&HeaderRole::Recipient) { here.iter().map(|f| f.3).collect() } else { Vec::new() };
        // Where each address is (for its line's closing or header block).
        let at_pos: Vec<Span> = if prose { here.iter().map(|f| if f.0 == IdKind::Email { f.3 } else { NO_POS }).collect() } else { vec![NO_POS; here.len()] };
        // Addresses a bounce reports undeliverable, when the text names
        // another person's address (a note on who called): those lose.
        let rejected: Vec<&str> = if prose && several {
            let mut r: Vec<&str> = Vec::new();
            for ((kind, value, _, at), in_table) in here.iter().zip(&tabular) {
                if *kind == IdKind::Email && *at != NO_POS && !in_table && !r.contains(&value.as_str()) && context::rejected_address(text, at.0, at.1) {
                    r.push(value.as_str());
                }
            }
            let other = here.iter().zip(&tabular).any(|((kind, value, ..), in_table)| {
                *kind == IdKind::Email && !in_table && !r.contains(&value.as_str()) && !context::automated_sender(value) && !context::role_address(value)
            });
            if other { r } else { Vec::new() }
        } else {
            Vec::new()
        };
        let rejected: Vec<String> = rejected.into_iter().map(str::to_string).collect();
        // Shared and bot mailboxes under a person of the same organisation
        // who writes (asked only of a text that holds one).
        let under = if prose && (several || here.iter().any(|f| f.0 == IdKind::Phone) && here.iter().any(|f| f.0 == IdKind::Email)) {
            under_person(text, &here, &roles, &tabular, &signers)
        } else {
            Vec::new()
        };
        // A mobile beside its company's lines (round 7b).
        let mobile_first = if prose { mobile_over_company(text, &here) } else { Vec::new() };
        // A number the writer gives as their own or to call them back on (round 10).
        let own = if prose { own_numbers(text, &here) } else { Vec::new() };
        // A third person's identifiers the writer passes on (round 11), and
        // those of a message pasted as a quote nobody introduces.
        // Round 13: a relation named right before (`남편 메일로 …`), and the
        // requester's block of a form (`投诉人（求职者）：…`) or a lawyer's client.
        let (third, requester_side) = if prose { third_persons(text, &here, &roles, &own, &tabular) } else { (Vec::new(), Vec::new()) };
        let bare = if prose && text.contains("\n>") { bare_quoted(text, &here, &roles) } else { Vec::new() };
        // The number of the person a chat export is with (round 8).
        let partner = if prose && here.iter().any(|f| f.0 == IdKind::Phone) { chat_partner(text, &here) } else { Vec::new() };
        // A bulk or no-reply mail's other author header (`From:
        // newsletter@shop…` then `Reply-To: kontakt@shop…`): the same
        // organisation's shared mailbox, ranked as the sender is (round 9).
        // (A web form's `Reply-To:` of another domain is the visitor's, a
        // person's under their company's `noreply@` theirs: kept.)
        // (Whether each address is an automated sender: asked once.)
        let auto: Vec<bool> = here.iter().map(|f| f.0 == IdKind::Email && context::automated_sender(&f.1)).collect();
        let bulk_reply = if prose && roles.contains(&HeaderRole::Author) { bulk_reply_to(&here, &roles, &auto) } else { Vec::new() };
        // Round 15: the running text's phones and personal addresses, with
        // where they are and where they went in `found` (for `one_person`).
        let mut spots: Vec<Spot> = Vec::new();
        let both = prose && here.iter().any(|f| f.0 == IdKind::Phone) && here.iter().any(|f| f.0 == IdKind::Email);
        // Round 15, a list page: a table block's rows, and outside them only
        // third parties' identifiers (new to `found` from this text).
        let listed = prose && tabular.contains(&true);
        let (first_new, mut own_outside, mut third_outside) = (found.len(), false, Vec::new());
        // (Room for this text's identifiers at once: no growing copy of the candidates one push at a time.)
        found.reserve(here.len());
        same_hash.reserve(here.len());
        for (i, (kind, value, label, pos)) in here.into_iter().enumerate() {
            if agent.iter().any(|(k, v)| *k == kind && *v == value) {
                continue;
            }
            let in_table = tabular[i];
            let source = if in_table { Source::TableText } else { source };
            let automated = auto[i] || bulk_reply.get(i).copied().unwrap_or(false);
            // A ticket number names the ticket, not the customer: always
            // last; a no-reply sender just above it.
            let mut score = if kind == IdKind::TicketId {
                1
            } else if automated {
                AUTOMATED_SCORE
            } else if in_table {
                source.weight() + kind.bonus() + early / 4
            } else {
                source.weight() + kind.bonus() + early
            };
            if kind == IdKind::Email && !automated && !in_table {
                // (Asked once: a binary search per part of the local part.)
                // (A third person's address shares the writer's family name, not their signature.)
                let signed = third.get(i) != Some(&RELATION) && signed_by(&signers, &value);
                if signed {
                    score += SIGNER_BONUS;
                }
                let over = under.get(i).copied().unwrap_or(Over::No);
                if over == Over::Person {
                    score += PERSON_BONUS;
                }
                if over == Over::Mailbox {
                    // (Not the author: the person who writes and signs is.)
                    score -= UNDER_PERSON_PENALTY;
                } else if roles[i] == HeaderRole::Author {
                    score += AUTHOR_BONUS;
                } else if several && roles[i] == HeaderRole::None && at_pos[i] != NO_POS && !signed && context::on_closing_line(text, at_pos[i].0) {
                    // The address written on the closing's line (`Cordiali saluti, Valentina Greco, amministrazione@…`).
                    score += SIGNER_BONUS;
                }
                // The recipient of a message forwarded to the team (a B2B
                // customer passing on their customer's complaint) is who
                // brought it in: the requester, above the forwarded part's author.
                if roles[i] == HeaderRole::Recipient && at_of[i] != NO_POS {
                    let is_team = |e: &str| ctx.is_team_email(e) || agent_emails.iter().any(|a| a == e);
                    if context::forwarded_to(text, at_of[i].0, &is_team) {
                        score += OPENER_BONUS;
                    }
                }
                // (A mailbox under a person who writes is not the requester: the person is.)
                if requester.as_deref() == Some(value.as_str()) && over != Over::Mailbox {
                    score += OPENER_BONUS;
                }
                if rejected.contains(&value) {
                    score = score.saturating_sub(REJECTED_PENALTY);
                }
                // A shared mailbox beside a person's own address in an equal place: the person first.
                if over == Over::Mailbox || context::role_address(&value) || context::bot_address(&value) {
                    score -= ROLE_PENALTY;
                }
            }
            // A company's toll-free or shared-cost line below a person's own
            // number in an equal place (by number type: the value's first digits).
            if kind == IdKind::Phone && context::service_number(&value) {
                score -= SERVICE_PENALTY;
            }
            // A number labelled as a mobile (`Mob 022 …`, `手机`, `Handy`):
            // the person's own, above their company's switchboard or direct
            // line beside it (page order otherwise).
            if mobile_first.get(i).copied().unwrap_or(false) {
                score += MOBILE_BONUS;
            }
            // The writer's own or callback number (`回拨号码 139…`, `Préfère
            // être rappelé au 076…`): above a number the note only reports
            // (the line called from, a guarantor's) and a third person's address.
            if !in_table && own.get(i).copied().unwrap_or(false) {
                score += OWN_NUMBER_BONUS;
            }
            // A manager's, a colleague's, a solicitor's or a referee's
            // (`My solicitor, Mr. Leung, is on … and leung@…`): below the
            // writer's own, whatever its kind (round 11).
            if !in_table && (third.get(i).is_some_and(|&t| t != 0) || bare.get(i).copied().unwrap_or(false)) {
                score = score.saturating_sub(THIRD_PERSON_PENALTY);
            }
            // The requester's own block of a form or record, or the client
            // a lawyer writes for: above another person's address (round 13).
            if !in_table && requester_side.get(i).copied().unwrap_or(false) {
                score += REQUESTER_BONUS;
            }
            // The person a chat export is with: as a thread's opener.
            if partner.get(i).copied().unwrap_or(false) {
                score += OPENER_BONUS;
            }
            let key_hash = std::hash::BuildHasher::hash_one(&hasher, (kind, value.as_str()));
            let mut at = index.get(&key_hash).copied();
            while let Some(i) = at.filter(|&i| found[i].kind != kind || found[i].value != value) {
                at = same_hash[i];
            }
            let spot = both
                && !in_table
                && !automated
                && pos != NO_POS
                && third.get(i).is_none_or(|&t| t == 0)
                && !bare.get(i).copied().unwrap_or(false)
                && (kind == IdKind::Phone || kind == IdKind::Email && !context::role_address(&value) && !context::bot_address(&value));
            let phone = kind == IdKind::Phone;
            let slot = match at {
                Some(i) => {
                    found[i].seen_again(source, score, label);
                    i
                }
                None => {
                    let is_custom = IdKind::CUSTOM.contains(&kind) || kind == IdKind::TicketId;
                    if is_custom && custom == MAX_CUSTOM_CANDIDATES {
                        continue;
                    }
                    custom += usize::from(is_custom);
                    same_hash.push(index.insert(key_hash, found.len()));
                    found.push(Candidate { kind, value, source, score, sensitive: kind == IdKind::ResidentId, label });
                    found.len() - 1
                }
            };
            if spot {
                spots.push(Spot { phone, slot, at: pos });
            }
            if listed && !in_table && !automated && kind != IdKind::TicketId {
                if third.get(i).is_some_and(|&t| t != 0) && slot >= first_new {
                    third_outside.push(slot);
                } else {
                    own_outside = true;
                }
            }
        }
        if !spots.is_empty() {
            one_person(text, &spots, &mut found);
        }
        // A list page whose only identifiers outside its table are third
        // parties' (`the bank hotline for reversal is 2233 3322`, `J&T hub
        // supervisor Hafiz 013-…`): no one is tied to the ticket, and the
        // third party goes below the rows, so the chooser is offered.
        if !own_outside {
            for slot in third_outside {
                let c = &mut found[slot];
                c.source = Source::TableText;
                c.score = c.score.min(TABLE_WEIGHT + c.kind.bonus());
            }
        }
    }
    one_argentine_mobile(&mut found);
    // Stable: equal scores keep page order.
    crate::sort::sort_by_key(&mut found, |c| std::cmp::Reverse(c.score));
    found
}

/// prec15: an Argentine mobile written both as dialled at home without its
/// `9` (`11 5823-4107`, read as the landline `+541158234107`) and in full
/// (`+54 9 11 5823 4107`) is one number: the full form stays. (Asked only
/// when a full mobile is there.)
fn one_argentine_mobile(found: &mut Vec<Candidate>) {
    let full = |c: &Candidate| c.kind == IdKind::Phone && c.value.len() == 14 && c.value.starts_with("+549");
    if !found.iter().any(full) {
        return;
    }
    let mobiles: Vec<String> = found.iter().filter(|c| full(c)).map(|c| c.value[4..].to_string()).collect();
    found.retain(|c| !(c.kind == IdKind::Phone && c.value.len() == 13 && c.value.starts_with("+54") && mobiles.iter().any(|m| *m == c.value[3..])));
}

/// Round 15: a phone or a personal address of running text, not a third
/// person's: whether it is a phone, its candidate in `found`, where it is.
struct Spot {
    phone: bool,
    slot: usize,
    at: Span,
}

/// Round 15, one person's address over their phone (docs/IDENTIFIERS.md,
/// "One convention for a person's email and phone"): when the phone that
/// ranks first among the text's own (a caller's `CLI:` under `Caller:`, a
/// chat's speaker) and an address are one person's, the address ranks
/// right above it. One person's when the address's local part repeats a
/// name or account word of the phone's line or the line above
/// ([`relation::names_the_address`]: `Caller: Mr. Venkatesh Iyer  CLI: +91
/// …` and `venkat.iyer.blr@`), or the address is written in a chat message
/// whose speaker is that phone ([`relation::spoken_by`]: `10:16 - +91 98450
/// 12376: ramesh…@`). Asked once per text, of the top phone's line only.
#[inline(never)]
fn one_person(text: &str, spots: &[Spot], found: &mut [Candidate]) {
    let Some(top) = spots.iter().filter(|s| s.phone).fold(None::<&Spot>, |best, s| match best {
        Some(b) if found[b.slot].score >= found[s.slot].score => Some(b),
        _ => Some(s),
    }) else {
        return;
    };
    let phone_score = found[top.slot].score;
    for s in spots.iter().filter(|s| !s.phone) {
        if found[s.slot].score > phone_score {
            continue;
        }
        let value = &found[s.slot].value;
        let local = deskside_detect::lines::rsplit_at_sign(value).map_or(value.as_str(), |(l, _)| l);
        if relation::names_the_address(text, top.at.0, local)
            || relation::spoken_by(text, s.at.0, &text[top.at.0..top.at.1])
            || relation::same_field_block(text, top.at.0, top.at.1, s.at.0)
        {
            found[s.slot].score = phone_score + 1;
        }
    }
}

/// An address's domain (after its last `@`); empty when it has none.
fn domain(v: &str) -> &str {
    deskside_detect::lines::rsplit_at_sign(v).map_or("", |(_, d)| d)
}

/// For each of `here`'s identifiers: whether it is a shared or bot mailbox
/// ([`context::role_address`], [`context::bot_address`]) under a person of
/// the same organisation who writes: another address of its domain given
/// as a signature (signed with, first on its line, on a `|`/`·` line), not
/// on a header line nor in a table; or, for a mailbox written before a
/// closing, a number signed under that closing (`Un cordiale saluto` /
/// `Stefano Riva` / `Birrificio Alpi – +39 …`). Then the person (their
/// address or number) ranks above it, whether it is a header block's
/// `From:` or named in the text (IDENTIFIERS.md, "One convention for a
/// shared mailbox and the person who signs").
#[inline(never)]
fn under_person(text: &str, here: &[Found], roles: &[HeaderRole], tabular: &[bool], signers: &[String]) -> Vec<Over> {
    let mailbox = |v: &str| context::role_address(v) || context::bot_address(v);
    // (Each address asked once: a text may hold many mailboxes.)
    let mut person: Vec<u8> = Vec::new();
    let mut is_person = |j: usize| {
        if person.is_empty() {
            person = vec![2; here.len()];
        }
        if person[j] == 2 {
            let (kind, value, _, at) = &here[j];
            person[j] = u8::from(
                *kind == IdKind::Email
                    && *at != NO_POS
                    && roles[j] == HeaderRole::None
                    && !tabular[j]
                    && !mailbox(value)
                    && !context::automated_sender(value)
                    && (signed_by(signers, value) || context::signature_address(text, at.0)),
            );
        }
        person[j] == 1
    };
    // (Addresses and numbers are each in text order in `here`: a mailbox
    // looks only at those within [`UNDER_WINDOW`] bytes of it.)
    let near = |at: usize, f: &Found| f.3 != NO_POS && f.3 .0.abs_diff(at) <= UNDER_WINDOW;
    let mut out: Vec<Over> = Vec::new();
    let phones = here.iter().position(|f| f.0 == IdKind::Phone).unwrap_or(here.len());
    let mut looked = 0;
    for (i, (kind, value, _, at)) in here.iter().enumerate() {
        if *kind != IdKind::Email || *at == NO_POS || tabular[i] || !mailbox(value) {
            continue;
        }
        // (A work limit: a text that names more mailboxes is a list.)
        if looked == MAX_MAILBOXES {
            break;
        }
        looked += 1;
        if out.is_empty() {
            out = vec![Over::No; here.len()];
        }
        let d = domain(value);
        let first = here[..i].iter().rposition(|f| f.0 != IdKind::Email || !near(at.0, f)).map_or(0, |k| k + 1);
        let mut over = false;
        for j in first..here.len() {
            let f = &here[j];
            if f.0 != IdKind::Email || f.3 != NO_POS && f.3 .0 > at.0 + UNDER_WINDOW {
                break;
            }
            if j != i && near(at.0, f) && f.1.len() > d.len() && f.1.ends_with(d) && domain(&f.1) == d && is_person(j) {
                out[j] = Over::Person;
                over = true;
            }
        }
        if !over {
            // A number signed under a closing below the mailbox.
            if let Some((c, block_end)) = context::closing_below(text, at.0) {
                let from = phones + here[phones..].partition_point(|f| f.0 == IdKind::Phone && (f.3 == NO_POS || f.3 .0 < c));
                over = here[from..]
                    .iter()
                    .enumerate()
                    .take_while(|(_, f)| f.0 == IdKind::Phone && f.3 != NO_POS && f.3 .0 < block_end)
                    .any(|(k, _)| !tabular[from + k]);
            }
        }
        if over {
            out[i] = Over::Mailbox;
        }
    }
    out
}

/// For each of `here`'s identifiers: whether it is a shared mailbox
/// (`kontakt@`, `info@`) on an author header line (`Reply-To:`) within a
/// few lines of an automated sender's
/// author line (`From: newsletter@…`) of the same domain or one of its
/// subdomains: the bulk mail's own reply address, not a person who wrote.
/// (A person's `Reply-To:` under a `noreply@` of their company is theirs.)
fn bulk_reply_to(here: &[Found], roles: &[HeaderRole], auto: &[bool]) -> Vec<bool> {
    let same_org = |a: &str, b: &str| {
        let (a, b) = (domain(a), domain(b));
        !a.is_empty() && (deskside_detect::lines::same_or_subdomain(a, b) || deskside_detect::lines::same_or_subdomain(b, a))
    };
    let mut out = Vec::new();
    // (From each automated sender's author line, few, outwards over its
    // neighbours in `here`, whose addresses are in text order.)
    for (i, (kind, value, _, at)) in here.iter().enumerate() {
        if !auto[i] || *kind != IdKind::Email || roles[i] != HeaderRole::Author || *at == NO_POS {
            continue;
        }
        let near = |j: &usize| here[*j].0 == IdKind::Email && here[*j].3 != NO_POS && here[*j].3 .0.abs_diff(at.0) <= BULK_HEADER_WINDOW;
        // (At most four addresses either way: a header block's lines.)
        for j in (0..i).rev().take_while(near).take(4).chain((i + 1..here.len()).take_while(near).take(4)) {
            let v = &here[j].1;
            if roles[j] == HeaderRole::Author && !auto[j] && same_org(v, value) && context::role_address(v) {
                if out.is_empty() {
                    out = vec![false; here.len()];
                }
                out[j] = true;
            }
        }
    }
    out
}

/// How far apart a bulk mail's `From:` and `Reply-To:` lines may be (bytes).
const BULK_HEADER_WINDOW: usize = 512;

/// How far from a mailbox the person who writes is looked for (bytes): a
/// message and its pasted header block.
const UNDER_WINDOW: usize = 4096;
/// At most this many mailboxes of one text are looked at by [`under_person`].
const MAX_MAILBOXES: usize = 16;

/// What [`under_person`] says of an identifier.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Over {
    No,
    /// A shared or bot mailbox under a person who writes.
    Mailbox,
    /// That person's own address (above the header block's recipients too).
    Person,
}

/// For each of `here`'s identifiers: whether it is a number labelled as a
/// mobile ([`context::mobile_label_before`]: `Mob 022 …`, `手机`) on a line
/// that also gives its company's lines, a service number or a switchboard
/// (`Walker & Sons · Freephone 0800 … · DDI 09 … · Mob 022 …`): the person's
/// own number ranks above them. (A mobile written after a direct line in a
/// sentence keeps page order: `tel 021-…, mobile 135 …`.)
#[inline(never)]
fn mobile_over_company(text: &str, here: &[Found]) -> Vec<bool> {
    let mut out = Vec::new();
    for (i, (kind, _, _, at)) in here.iter().enumerate() {
        if *kind != IdKind::Phone || *at == NO_POS || !context::mobile_label_before(text, at.0) {
            continue;
        }
        let (s, e) = context::line_at(text, at.0);
        // (Phones are in text order in `here`: only the neighbours on its line are looked at.)
        let on_line = |f: &&Found| f.0 == IdKind::Phone && f.3 != NO_POS && f.3 .0 >= s && f.3 .0 < e;
        let service = here[..i].iter().rev().take_while(on_line).chain(here[i + 1..].iter().take_while(on_line)).any(|f| context::service_number(&f.1));
        if service || context::switchboard_on(&text[s..e]) {
            out.resize(here.len(), false);
            out[i] = true;
        }
    }
    out
}

/// For each of `here`'s identifiers: whether it is a number the writer
/// gives as their own or to be called back on ([`context::own_number_before`]:
/// `回拨号码 139…`, `Préfère être rappelé au 076…`, round 10). Empty when
/// none is.
#[inline(never)]
fn own_numbers(text: &str, here: &[Found]) -> Vec<bool> {
    let mut out = Vec::new();
    for (i, (kind, _, _, at)) in here.iter().enumerate() {
        if *kind == IdKind::Phone && *at != NO_POS && context::own_number_before(text, at.0) {
            out.resize(here.len(), false);
            out[i] = true;
        }
    }
    out
}

/// The thread's opener (`requester`), or instead the one author (an author
/// header's address) whose header block is addressed to the team
/// ([`context::writes_to_team`]) when the opener's own header blocks are
/// not and are forwarded ones (`---------- Doorgestuurd bericht ---------`
/// above them): that author forwarded the opener's message (round 11).
#[inline(never)]
fn forwarder_over_opener(text: &str, here: &[Found], roles: &[HeaderRole], requester: Option<String>, is_team: &dyn Fn(&str) -> bool) -> Option<String> {
    let Some(opener) = requester.as_deref() else { return requester };
    let mut opener_blocks = here.iter().zip(roles).filter(|((k, v, _, at), r)| *k == IdKind::Email && v == opener && **r == HeaderRole::Author && *at != NO_POS).peekable();
    // (An opener named only outside header blocks, or who wrote to the team, stays.)
    if opener_blocks.peek().is_none() || opener_blocks.any(|((_, _, _, at), _)| context::writes_to_team(text, at.0, is_team) || !context::forwarded_block(text, at.0)) {
        return requester;
    }
    author_to_team(text, here, roles, is_team).or(requester)
}

/// The one author (an author header's address) whose header block is
/// addressed to the team ([`context::writes_to_team`]); `None` when no
/// author, or two different ones, wrote to the team (round 11).
fn author_to_team(text: &str, here: &[Found], roles: &[HeaderRole], is_team: &dyn Fn(&str) -> bool) -> Option<String> {
    let mut one: Option<&str> = None;
    for ((kind, value, _, at), role) in here.iter().zip(roles) {
        if *kind != IdKind::Email || *role != HeaderRole::Author || *at == NO_POS || context::automated_sender(value) {
            continue;
        }
        if one != Some(value.as_str()) && context::writes_to_team(text, at.0, is_team) {
            if one.is_some() {
                return None;
            }
            one = Some(value.as_str());
        }
    }
    one.map(str::to_string)
}

/// For each of `here`'s identifiers: whether it is on a quoted line of a
/// quote nobody introduces ([`context::bare_quote`]), not a header line's,
/// when the text has an identifier outside quotes too. Empty when none is
/// (round 11).
#[inline(never)]
fn bare_quoted(text: &str, here: &[Found], roles: &[HeaderRole]) -> Vec<bool> {
    let b = text.as_bytes();
    let quoted = |at: usize| {
        let s = deskside_detect::lines::line_start(b, at, 2048);
        b[s..at].iter().find(|c| !matches!(c, b' ' | b'\t')) == Some(&b'>')
    };
    if !here.iter().any(|f| f.3 != NO_POS && !quoted(f.3 .0)) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, (kind, _, _, at)) in here.iter().enumerate() {
        if matches!(kind, IdKind::Email | IdKind::Phone) && *at != NO_POS && roles[i] == HeaderRole::None && quoted(at.0) && context::bare_quote(text, at.0) {
            out.resize(here.len(), false);
            out[i] = true;
        }
    }
    out
}

/// For each of `here`'s identifiers: whether it is given as a third
/// person's ([`context::third_person_before`]: `my solicitor`, `我同事`,
/// `Referee 1:`), not on a mail header line and not the writer's own
/// number by its cue (`call me on`: [`own_numbers`]'s `own`, asked once).
/// Not asked of a table's identifiers (`in_table`), which the penalty
/// spares. Empty when none is (round 11).
///
/// Round 13: also a relation named right before it
/// ([`relation::whose_before`]: `남편 메일로`, `mi marido … su correo`,
/// `班主任`, `another customer`); and, as the second answer, whether it is
/// the requester's ([`relation::in_requester_block`]: under `投诉人：`,
/// `고객:`, `Requester:`; or after `our client`, `委托人`), a third person's
/// never. The client's only for an address: a lawyer names the client's
/// number to stop calls to it (`refrain from contacting our client directly
/// on 072 …`). The first answer is [`THIRD`] or [`RELATION`] (0: neither).
#[inline(never)]
fn third_persons(text: &str, here: &[Found], roles: &[HeaderRole], own: &[bool], in_table: &[bool]) -> (Vec<u8>, Vec<bool>) {
    let (mut out, mut requester) = (Vec::new(), Vec::new());
    for (i, (kind, _, _, at)) in here.iter().enumerate() {
        if !matches!(kind, IdKind::Email | IdKind::Phone) || *at == NO_POS {
            continue;
        }
        if roles[i] != HeaderRole::None || in_table[i] {
            continue;
        }
        // (`own[i]` is `own_number_before` of a phone's start.)
        let own = own.get(i).copied().unwrap_or(false);
        let whose = relation::whose_before(text, at.0);
        // (`in_requester_block` asked at most once per identifier: both tests below may need it.)
        let mut in_block = None;
        let mut requester_block = || *in_block.get_or_insert_with(|| relation::in_requester_block(text, at.0));
        if !own && whose == relation::Whose::Third {
            out.resize(here.len(), 0);
            out[i] = RELATION;
        } else if !own && (context::third_person_before(text, at.0) || *kind == IdKind::Phone && relation::other_party_before(text, at.0) && !requester_block()) {
            out.resize(here.len(), 0);
            out[i] = THIRD;
        } else if whose == relation::Whose::Client && *kind == IdKind::Email || requester_block() {
            requester.resize(here.len(), false);
            requester[i] = true;
        }
    }
    (out, requester)
}

/// [`third_persons`]' answers: a third person's by a word of their
/// sentence, or by a relation right before (which also undoes a signature
/// matched by a shared family name).
const THIRD: u8 = 1;
const RELATION: u8 = 2;

/// How far into a chat export its title line may start, and how far below
/// it the chat partner's own messages are looked for ([`chat_partner`]).
const CHAT_TITLE_WITHIN: usize = 256;
const CHAT_LINES_WINDOW: usize = 4096;

/// For each of `here`'s identifiers: whether it is the number of the person
/// a chat export is with (round 8). Two layouts, any app and language:
/// the export's title line names the person with their number in brackets
/// (`WhatsApp — Brianna Holt (+1 512-634-2164)`, `KakaoTalk — 김서연
/// （+82 10-…）`) and a message below is signed by that name (`[28/11/2026,
/// 10:09:14] Brianna Holt: …`); or the number is itself a message's author
/// (`[28/11/26 19:02] +54 9 351 612-4487: …`, a contact the phone has no
/// name for). Either is who the chat is with, above an address or number
/// they pass on in it (a colleague's, an accountant's).
#[inline(never)]
fn chat_partner(text: &str, here: &[Found]) -> Vec<bool> {
    let mut out = Vec::new();
    for (i, (kind, _, _, at)) in here.iter().enumerate() {
        if *kind != IdKind::Phone || *at == NO_POS {
            continue;
        }
        // (Most numbers are out on a few bytes: neither near the text's
        // start nor followed by a colon.)
        let colon = text.as_bytes()[at.1.min(text.len())..].iter().take(4).find(|c| **c != b' ').is_some_and(|c| *c == b':');
        if !colon && at.0 > CHAT_TITLE_WITHIN + 200 {
            continue;
        }
        let (ls, le) = context::line_at(text, at.0);
        // A message's author: `[…] <number>:` or `28/11/2026, 19:02 - <number>:` starting its line.
        let author = colon && chat_stamp(text[ls..at.0].trim());
        let title = !author && ls <= CHAT_TITLE_WITHIN && text[..ls].trim().is_empty() && chat_title_name(text, *at).is_some_and(|name| {
            // The name signs a message below: `] Name:`.
            let window = &text[le..floor_char(text, (le + CHAT_LINES_WINDOW).min(text.len()))];
            window.match_indices(name).any(|(k, _)| {
                let (s, _) = context::line_at(window, k);
                chat_stamp(window[s..k].trim()) && window[k + name.len()..].starts_with(':')
            })
        });
        if author || title {
            out.resize(here.len(), false);
            out[i] = true;
        }
    }
    out
}

/// Whether `head` (trimmed) is a chat message's time stamp before its
/// author: `[28/11/2026, 10:09:14]` (one bracket pair), or `28/11/2026,
/// 10:09 -` (a digit first, a dash last); both with a time (`hh:mm`), so a
/// tag (`[Rappel] 06 … : …`) is none.
fn chat_stamp(head: &str) -> bool {
    let b = head.as_bytes();
    let time = b.windows(3).any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit());
    if !time || head.len() > 40 {
        return false;
    }
    if head.starts_with('[') {
        return head.find(']') == Some(head.len() - 1);
    }
    head.starts_with(|c: char| c.is_ascii_digit()) && (head.ends_with(" -") || head.ends_with(" –"))
}

/// The name before a number set apart in brackets on a chat export's title
/// line (`WhatsApp — Brianna Holt (+1 …)` gives `Brianna Holt`): what
/// follows the line's last dash, bar or colon, or the whole line before it.
fn chat_title_name(text: &str, (start, end): Span) -> Option<&str> {
    let b = text.as_bytes();
    let open = if start >= 1 && b[start - 1] == b'(' {
        start - 1
    } else if start >= 3 && &b[start - 3..start] == FULLWIDTH_OPEN {
        start - 3
    } else {
        return None;
    };
    let closed = b.get(end) == Some(&b')') || b.get(end..end + 3) == Some(FULLWIDTH_CLOSE);
    if !closed {
        return None;
    }
    let (ls, _) = context::line_at(text, start);
    let name = &text[ls..open];
    let cut = ["—", "–", " - ", "|", ":", "·"].iter().filter_map(|sep| name.rfind(sep).map(|k| k + sep.len())).max().unwrap_or(0);
    let name = name[cut..].trim();
    (!name.is_empty() && name.len() <= 60).then_some(name)
}

/// Whether `text` writes an `@` as an HTML entity (`&commat;`, `&#64;`,
/// `&#x40;`): a look at each `&` (found by `memchr`), nothing else.
fn has_address_entity(text: &str) -> bool {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|rest| rest.find('&')) {
        let at = from + i + 1;
        let rest = &b[at..b.len().min(at + 7)];
        if rest.eq_ignore_ascii_case(b"commat;") || rest.starts_with(b"#64;") || rest.len() >= 5 && rest[..5].eq_ignore_ascii_case(b"#x40;") {
            return true;
        }
        from = at;
    }
    false
}

/// What an address gains in its text when its local part is the name the
/// text is signed with: more than page order, less than a better source.
const SIGNER_BONUS: u32 = 4;
/// What an address gains on a `From:`/`Reply-To:` header line: a header
/// block's author outranks its recipients (`To:`, `Cc:`) and page order.
const AUTHOR_BONUS: u32 = 3;
/// What the address that opened a thread gains (the earliest dated message
/// of several people's, whatever order the page shows them in): more than a
/// later replier's sign-off and header line together.
const OPENER_BONUS: u32 = 8;
/// What a shared mailbox (`orders@`, `support@`) loses against a person's
/// address in the same place: less than any bonus, so it only breaks ties
/// of page order (a `From:` role before a `Reply-To:` person, a B2B
/// customer's `support@` mentioned before the writer's own address).
const ROLE_PENALTY: u32 = 1;
/// What a service number (toll-free, shared-cost, premium:
/// [`context::service_number`]) loses against a person's mobile or direct
/// line in the same place: more than one repetition adds, so a hotline
/// written twice still ranks below the writer's own number written once.
const SERVICE_PENALTY: u32 = 2;
/// What a shared or bot mailbox loses under a person of the same
/// organisation who writes ([`under_person`]), besides its header line's
/// [`AUTHOR_BONUS`]: with [`ROLE_PENALTY`], below the person's address
/// and their signed number, also when the mailbox is repeated (`From:` and
/// `Reply-To:`).
const UNDER_PERSON_PENALTY: u32 = 2;
/// What the person who writes gains over their organisation's mailbox
/// ([`under_person`]): above the pasted header block's recipients (`To:
/// <customer.list@…>`) in an equal place.
const PERSON_BONUS: u32 = 1;
/// What a number labelled as a mobile gains ([`context::mobile_label_before`]):
/// only breaks page order between numbers in an equal place.
const MOBILE_BONUS: u32 = 1;
/// What a number the writer gives as their own or to be called back on
/// gains ([`context::own_number_before`]): only breaks page order between
/// numbers in an equal place, like [`MOBILE_BONUS`] (an address still
/// outranks it by its kind).
const OWN_NUMBER_BONUS: u32 = 1;
/// A third person's identifier the writer passes on (a manager's address,
/// a solicitor's number) loses this much: below the writer's own number
/// even when it is an address (kind 5 against 3), round 11.
const THIRD_PERSON_PENALTY: u32 = 3;
/// What an identifier in the requester's block of a form or record gains
/// (`고객: …` then `등록 연락처: 010-…`), or the client's a lawyer names: a
/// phone there above another person's address beside it (5 against 3 by
/// kind, page order), round 13.
const REQUESTER_BONUS: u32 = 3;
/// Where a table row's identifiers start ([`Source::TableText`]): below all
/// running text (20), above no-reply senders and tickets (below 10).
const TABLE_WEIGHT: u32 = 10;
/// A no-reply sender's score, wherever it is: just above a ticket number.
const AUTOMATED_SCORE: u32 = 2;
/// What an address a bounce reports undeliverable loses when the text names
/// another person's address too (a note: `Customer on the phone: Rosa
/// Delgado, …`): as much as an opener gains, more than its repetitions in
/// the report add.
const REJECTED_PENALTY: u32 = 8;
/// The position of an identifier that has none in its text (URL ids, links).
const NO_POS: Span = (usize::MAX, usize::MAX);
/// A thread's opener is looked for among at most this many people's dated
/// messages: a conversation has a few; a text with more addresses is a
/// list or a dump, which no one opened.
const MAX_THREAD_PEOPLE: usize = 50;

/// `（`, `）`, `＜`, `＞` in UTF-8.
const FULLWIDTH_OPEN: &[u8] = "（".as_bytes();
const FULLWIDTH_CLOSE: &[u8] = "）".as_bytes();
const FULLWIDTH_LT: &[u8] = "＜".as_bytes();
const FULLWIDTH_GT: &[u8] = "＞".as_bytes();

/// For each identifier found in `text`, whether it is in a table block: on
/// a row of cells ([`context::table_row`]) when at least two rows of the
/// text hold identifiers (several people side by side; one row with a
/// header is just how someone wrote their own details).
fn table_positions(prose: bool, text: &str, here: &[Found]) -> Vec<bool> {
    let mut rows: Vec<Option<usize>> = vec![None; here.len()];
    if !prose || here.len() < 2 {
        return vec![false; here.len()];
    }
    let mut lines: Vec<usize> = Vec::new();
    for (row, (kind, .., at)) in rows.iter_mut().zip(here) {
        // (A cell's identifier touches a separator or the line's edge.)
        if *at == NO_POS || IdKind::CUSTOM.contains(kind) || *kind == IdKind::TicketId || !context::at_cell_edge(text, at.0, at.1) {
            continue;
        }
        *row = context::table_row(text, at.0);
        if let Some(l) = *row {
            if lines.len() < 2 && !lines.contains(&l) {
                lines.push(l);
            }
        }
    }
    let table = lines.len() >= 2;
    if !table {
        return column_table(text, here);
    }
    rows.into_iter().map(|r| table && r.is_some()).collect()
}

/// Whether `start..end` of `b` has only blanks (spaces, tabs) beside it on its line.
fn alone_on_line(b: &[u8], start: usize, end: usize) -> bool {
    let mut i = start.min(b.len());
    while i > 0 {
        match b[i - 1] {
            b' ' | b'\t' | b'\r' => i -= 1,
            b'\n' => break,
            _ => return false,
        }
    }
    let mut j = end;
    while j < b.len() {
        match b[j] {
            b' ' | b'\t' | b'\r' => j += 1,
            b'\n' => break,
            _ => return false,
        }
    }
    true
}

/// The longest cell line of a table read one cell per line.
const MAX_CELL_LINE: usize = 80;
/// Most cells a row of such a table is looked across.
const MAX_ROW_CELLS: usize = 16;

/// A table whose cells arrive one per line (an HTML table's text as the
/// content script reads it: each cell's text node on its own line): for
/// each identifier, whether it is a cell of one. That is so when two rows
/// each hold an address and a number alone on their lines, at the same
/// distance in lines (the row's width) and interleaved (`a@…`, `+33 4…`,
/// then `b@…`, `+33 6…`), with nothing but short cells between (no
/// sentence: a thread's messages have them). An identifier that appears
/// only as such a cell is a table's, whoever else the page names.
fn column_table(text: &str, here: &[Found]) -> Vec<bool> {
    let mut out = vec![false; here.len()];
    let personal = |k: &IdKind| matches!(k, IdKind::Email | IdKind::Phone);
    if here.iter().filter(|f| f.0 == IdKind::Email).nth(1).is_none() || here.iter().filter(|f| f.0 == IdKind::Phone).nth(1).is_none() {
        return out;
    }
    let b = text.as_bytes();
    // Identifiers alone on their line: (position, kind, index). (Looked at
    // from the identifier out, over blanks only: a line of words stops at
    // its first letter. Emails come first in `here`: without two alone,
    // the phones are not looked at.)
    let mut cells: Vec<(usize, IdKind, usize)> = Vec::new();
    for (i, (kind, .., at)) in here.iter().enumerate() {
        if *kind == IdKind::Phone && cells.len() < 2 {
            return out;
        }
        if personal(kind) && *at != NO_POS && alone_on_line(b, at.0, at.1) {
            cells.push((at.0, *kind, i));
        }
    }
    if cells.len() < 4 {
        return out;
    }
    crate::sort::sort_by_key(&mut cells, |c| c.0);
    // For each cell, the next cell of its kind and how many lines on it is,
    // when only short cells are between.
    let mut strides: Vec<Option<(usize, usize)>> = vec![None; cells.len()];
    for (n, &(pos, kind, _)) in cells.iter().enumerate() {
        let Some(m) = cells[n + 1..].iter().position(|c| c.1 == kind).map(|m| n + 1 + m) else { continue };
        let target = cells[m].0;
        let (mut line, mut lines, mut read) = (context::line_at(text, pos), 0, 0);
        // (Blank lines between cells are passed, a bounded number of them.)
        while line.1 < target && lines <= MAX_ROW_CELLS && read < 4 * MAX_ROW_CELLS {
            read += 1;
            line = context::line_at(text, line.1 + 1);
            let cell = text[line.0..line.1].trim();
            if cell.is_empty() {
                continue;
            }
            lines += 1;
            if line.1 - line.0 > MAX_CELL_LINE || cell.ends_with(['.', '!', '?', '。', '！', '？', ':']) {
                lines = MAX_ROW_CELLS + 1;
            }
        }
        if (2..=MAX_ROW_CELLS).contains(&lines) && line.0 <= target && target <= line.1 {
            strides[n] = Some((m, lines));
        }
    }
    // Two kinds' pairs at the same width, interleaved: x1 < y1 < x2 < y2.
    for (x1, s) in strides.iter().enumerate() {
        let Some((x2, width)) = *s else { continue };
        for (y1, t) in strides.iter().enumerate().take(x2).skip(x1 + 1) {
            if let Some((y2, w)) = *t {
                if w == width && cells[y1].1 != cells[x1].1 && y2 > x2 {
                    for c in [x1, x2, y1, y2] {
                        out[cells[c].2] = true;
                    }
                }
            }
        }
    }
    out
}

/// The address that opened the thread in `text`, when several people's
/// messages are dated (`Karen Holt <…> · Nov 24, 2026, 9:05 AM`, `From: …`
/// then `Sent: …`): the author of the earliest one, wherever the page shows
/// it. Authors are written as helpdesks and mail clients show them: on a
/// `From:` line, or set apart (`<…>`, `(…)`).
fn opener(text: &str, here: &[Found], roles: &[HeaderRole], tabular: &[bool], month_first: bool) -> Option<String> {
    let b = text.as_bytes();
    let set_apart = |(start, end): Span| {
        start.checked_sub(1).and_then(|i| b.get(i)).is_some_and(|c| matches!(c, b'<' | b'(')) && b.get(end).is_some_and(|c| matches!(c, b'>' | b')'))
            // Full-width brackets in CJK text (`王磊（wanglei@…）`, `＜…＞`).
            || start >= 3 && matches!(b.get(start - 3..start), Some(FULLWIDTH_OPEN | FULLWIDTH_LT))
                && matches!(b.get(end..end + 3), Some(FULLWIDTH_CLOSE | FULLWIDTH_GT))
    };
    // (Or alone on its line, under a thread entry's dated head.)
    let alone = |(start, end): Span| {
        let (ls, le) = context::line_at(text, start);
        let (before, after) = (&b[ls..start], &b[end.min(le)..le]);
        before.iter().chain(after).all(|c| matches!(c, b' ' | b'\t' | b'\r'))
    };
    // An activity log that names the entry which opened the ticket (`Ben
    // Whitaker opened this ticket · 26 Nov 2026, 4:18 PM`): the one address
    // in that entry, whatever order the log shows entries in.
    let mut named: Option<&str> = None;
    // (An address on a mail header line is no log entry's: let go first.)
    for (((kind, value, _, at), in_table), role) in here.iter().zip(tabular).zip(roles) {
        if *kind != IdKind::Email || *at == NO_POS || *in_table || *role != HeaderRole::None {
            continue;
        }
        if context::in_opened_entry(text, at.0) && !context::automated_sender(value) {
            match named {
                Some(v) if v != value.as_str() => {
                    named = None;
                    break;
                }
                _ => named = Some(value.as_str()),
            }
        }
    }
    if let Some(v) = named {
        return Some(v.to_string());
    }
    // (Round 9: or in a thread entry whose dated head names its writer
    // without an address, `Ilse Verhoeven — 26 nov 2026 09:12`, as a
    // helpdesk prints a thread: asked only of a text with two addresses or
    // more and no mail header's author, whose blocks date their messages.)
    let several = here.iter().filter(|f| f.0 == IdKind::Email).nth(1).is_some() && !roles.contains(&HeaderRole::Author);
    let authors: Vec<(&str, Span, bool)> = here
        .iter()
        .zip(roles.iter().zip(tabular))
        .filter(|((kind, value, _, at), (role, in_table))| {
            *kind == IdKind::Email
                && *at != NO_POS
                && !**in_table
                && (**role == HeaderRole::Author
                    || set_apart(*at)
                    || alone(*at)
                    || several && **role == HeaderRole::None && context::entry_head_date(text, at.0, value, month_first).is_some())
        })
        .map(|((_, value, _, at), (role, _))| (value.as_str(), *at, several && *role == HeaderRole::None))
        .collect();
    let mut people: Vec<&str> = Vec::new();
    for (value, ..) in &authors {
        if !people.contains(value) {
            if people.len() == MAX_THREAD_PEOPLE {
                return None;
            }
            people.push(value);
        }
    }
    if people.is_empty() {
        return None;
    }
    let one_author = people.len() == 1;
    let mut dated: Vec<(u64, &str, usize)> = Vec::new();
    for (value, at, headless) in authors {
        if context::automated_sender(value) {
            continue;
        }
        // (Not a header line's address: its block has its own date.)
        let head = || headless.then(|| context::entry_head_date(text, at.0, value, month_first)).flatten();
        if let Some(key) = context::author_date(text, at.0, month_first).or_else(head) {
            dated.push((key, value, at.0));
        }
    }
    let first = dated.iter().min_by_key(|(k, ..)| *k)?;
    let people = dated.iter().filter(|(_, v, _)| *v != first.1).count();
    // Only an earlier date than everyone else's: a tie names no opener.
    let tie = dated.iter().any(|(k, v, _)| *k == first.0 && *v != first.1);
    // One author of dated messages, whose address is the only one set
    // apart (a thread whose later entries name a colleague mid-sentence):
    // the thread is theirs.
    let alone = one_author && authors_only_one(here, first.1);
    // The only dated message is a quoted one (`Em qui., 26 de nov. de 2026
    // às 10:41, Rafael <…> escreveu:`) and someone else's address is set
    // apart in the text quoting it: a quoted message is older than the
    // message quoting it, so its writer opened the thread.
    let quoted = people == 0 && !one_author && {
        let (ls, le) = context::line_at(text, first.2);
        context::introduces_quote(text[ls..le].trim_start_matches(['>', ' ', '\t']))
    };
    ((people > 0 || alone || quoted) && !tie).then(|| first.1.to_string())
}

/// Whether `author` is the only author of a thread and `here` names
/// someone else's address too (mentioned mid-sentence): only then does the
/// author gain the opener's place over page order.
fn authors_only_one(here: &[Found], author: &str) -> bool {
    here.iter().any(|(kind, value, ..)| *kind == IdKind::Email && value != author && !context::automated_sender(value))
}

/// The identifiers in one field, in the order found, each with its byte
/// position in the text ([`NO_POS`] for those of links and URLs).
///
/// `marked`: the page marks the team's messages ([`Source::TeamText`]).
fn extract(source: Source, text: &str, ctx: &ScanContext, agent_emails: &[String], agent_names: &[String], marked: bool, steps: &mut u64) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    match source {
        Source::MailtoLink => {
            for email in find_emails_in(&decode_percent(mailto_address(text)), true) {
                if !ctx.excludes_email(&email) {
                    out.push((IdKind::Email, email, None, NO_POS));
                }
            }
        }
        Source::TelLink => {
            let number = strip_scheme(text.trim(), "tel:").split([';', '?']).next().unwrap_or("");
            // (The team's own numbers never count, linked or not.)
            if let Some(e164) = normalize_phone(&decode_percent(number), &ctx.default_region).filter(|n| !ctx.team_phones.contains(n)) {
                out.push((IdKind::Phone, e164, None, NO_POS));
            }
        }
        Source::PageUrl => {
            // Deepest first: `/accounts/1/contacts/2` is about contact 2.
            out.extend(url_ids(text).into_iter().rev().map(|(k, v)| (k, v, None, NO_POS)));
            custom_ids(&decode_percent(text), ctx, steps, &mut out);
        }
        // (Read for the team's numbers only, in `identify_limited`.)
        Source::TeamText => {}
        Source::RequesterField | Source::InputValue | Source::Text | Source::TableText | Source::AgentField => {
            let whole_field = !matches!(source, Source::Text | Source::TableText);
            // One pass over the text finds phones, ID codes and each `@`.
            let scan = scan_text(text, &ctx.default_region);
            // (At most one identifier per `@`, phone and ID code: sized once.)
            out.reserve(scan.at_signs.len() + scan.phones.len() + scan.cn_ids.len());
            for &at in &scan.at_signs {
                if let Some(email) = email_at(text, at, whole_field) {
                    if !ctx.excludes_email(&email) {
                        // (The span as written, about: the value is normalised.)
                    let local = email.bytes().position(|c| c == b'@').unwrap_or(0);
                    let start = floor_char(text, at.saturating_sub(local));
                    let end = floor_char(text, (at + email.len() - local).min(text.len()));
                    out.push((IdKind::Email, email, None, (start, end)));
                    }
                }
            }
            // Session 20: addresses written with a stand-in for their `@`, the
            // full-width `＠` of Chinese and Japanese input methods
            // (`ｋｅｎｔａ＠ｇｍａｉｌ．ｔｅｓｔ`) or a form's or forum's `[at]`
            // (`jo.bramley [at] btinternet.test`): decided by the same parser
            // on their folded form, at their span as written.
            let written = scan.wide_at_signs.iter().filter_map(|&at| deskside_detect::email::wide_address_at(text, at));
            let mut any_written = false;
            let bracketed = scan.bracket_ats.iter().filter_map(|&close| deskside_detect::email::bracketed_address_at(text, close));
            for w in written.chain(bracketed) {
                if let Some(email) = email_at(&w.folded, w.at, true).filter(|e| !ctx.excludes_email(e)) {
                    out.push((IdKind::Email, email, None, (w.start, w.end)));
                    any_written = true;
                }
            }
            if any_written {
                // (The addresses in text order, as the rules below read them.)
                crate::sort::sort_by_key(&mut out, |f| f.3 .0);
            }
            let (phones, cn_ids) = (scan.phones, scan.cn_ids);
            let team_lines = if phones.is_empty() { Vec::new() } else { ctx.team_lines(text, agent_emails) };
            // Phones come in text order: count lines incrementally (only
            // when there is a team line to be near).
            let (mut line, mut counted, mut ids_passed) = (0, 0, 0);
            // The team domains' names, for a signature line that starts with one, and the team's
            // signs built from them (once per text; every look below that reads them runs outside a
            // whole field, where these are them). Asked by the numbers and the credit codes.
            // (Session 17: and the team's brand as the text writes it in Chinese
            // characters or Cyrillic, read from a domain spelt in pinyin or
            // transliterated: `yunmu-jiaju.example`, `云木安装调度-周工`.)
            let names = if whole_field || phones.is_empty() && !cn_ids.iter().any(|id| id.kind == CnIdKind::CreditCode) {
                Vec::new()
            } else {
                let mut names = context::TeamSigns::domain_names(&ctx.team_domains);
                names.extend(deskside_detect::brand::brand_names(text, &ctx.team_domains));
                names
            };
            // Round 11: where the team's listed numbers are, for a number
            // joined to one on its line (`TEL 0460-… / FAX 0460-…`). (Only
            // when a listed one is in the text: most texts hold none.)
            let listed: Vec<(usize, usize)> = if ctx.team_phones.is_empty() || whole_field {
                Vec::new()
            } else {
                phones.iter().filter(|p| ctx.team_phones.contains(&p.e164)).map(|p| (p.start, p.end)).collect()
            };
            let is_team_text = |e: &str| ctx.is_team_email(e) || agent_emails.iter().any(|a| a == e);
            let text_signs = context::TeamSigns::for_text(text, &is_team_text, names.clone());
            let voice = voice::Voice::new(text);
            // (Round 21's signs with the signed-in agent's names, made when first asked.)
            let agent_signs = std::cell::OnceCell::new();
            let mut head_memo = context::HeadMemo::default();
            let mut section_memo = context::SectionMemo::default();
            let mut section_last: Option<usize> = None;
            // (Round 22: the number before, for a sent message's body after its recipient.)
            let mut prev_phone: Option<(usize, usize)> = None;
            let mut body_end: Option<usize> = None;
            // (Session 21: whether the text may hold an automatic reply's marker at all: one look a text.)
            let auto_replies = std::cell::OnceCell::new();
            for phone in phones {
                let prev = prev_phone.replace((phone.start, phone.end));
                let prev_in_body = prev.is_some_and(|p| body_end == Some(p.1));
                if !team_lines.is_empty() {
                    line += text.as_bytes()[counted..phone.start].iter().filter(|&&b| b == b'\n').count();
                    counted = phone.start;
                }
                // On a team address's line or the line next to it (the
                // team's signature), or in a quote of the team's message.
                // (Rec13: not the line next to it when the number is logged as
                // someone's, a call note's `Agent: wanjiru@<team>` over `Phone
                // (caller): 0722 …`, `CLI: +91 …`.)
                // (Rec18: nor a row of a table the team exported, next to
                // its `导出人 …@<team>` line: the row's person's, as round 12
                // reads such a row anywhere in the team's message.)
                let in_team_text = team_lines.iter().any(|&(t, exact)| t == line || !exact
                    && t.abs_diff(line) == 1
                    && !context::logged_number_before(text, phone.start)
                    && !own_message_line(text, phone.start, &text_signs, t < line)
                    && context::table_row(text, phone.start).is_none());
                // Digits of a resident ID written in groups (`5101 0719 8805 2033 12`).
                // (Both in text order: the IDs before this phone are passed once.)
                while ids_passed < cn_ids.len() && cn_ids[ids_passed].end <= phone.start {
                    ids_passed += 1;
                }
                let in_id = cn_ids.get(ids_passed).is_some_and(|id| id.start < phone.end);
                if ctx.team_phones.contains(&phone.e164) || in_id {
                    continue;
                }
                // Round 22: a number of a listed team number's block, its
                // extension dialled through (`Tel. 08131 66 49 0` listed, `Durchwahl
                // 08131 66 49 14`) or a line beside it (`21 846 3302` listed,
                // `extensão direta 21 846 3310`), is the team's.
                if ctx.team_phones.iter().any(|t| same_block(&phone.e164, t)) {
                    continue;
                }
                // prec15: a number its writer takes back (`… is wrong, sorry — it's …`).
                if !whole_field && context::retracted_after(text, phone.end) {
                    continue;
                }
                // Rec14: a number the team's message names as another
                // party's (`师傅姓孙，电话 …`, `Kurye Mehmet Bey sizi …`,
                // `call the bank on …`) is theirs, whatever rule below would
                // give it to the team.
                // (Rec15: or a named organisation's service line, `please
                // call HDFC card care at …`, `the Amer centre on …`.)
                // (Rec18: or a person named by an honorific right before it,
                // `Mrs Aiko Brennan 0401 …`, `Murat Bey: 0542 …`.)
                // Round 22: a bracket after the number that says it is the team's own,
                // on a line its lead makes the team's note or reply (`Dispatch note
                // (Tane, …) 02/03/2024 08:15: technician Rawiri 021 … (our work
                // mobile)`), over another party's word before it.
                let bracket = if whole_field { None } else { context::bracket_after(text, phone.end) };
                // (round23: or a section a head above opened, from the text's map: `Internal note (Gav,
                // FlatFix dispatch) 15/01/2024 10:02` over `Engineer: Dean … 07984 … (our van mobile …)`.)
                let ours_after = bracket.is_some_and(|k| {
                    context::ours_at(text, k) && {
                        let ls = context::own_line_start(text, phone.start);
                        context::own_lead_section(text, ls, phone.start) || !names.is_empty() && context::section_at(text, ls, phone.start, &names, true, &mut section_memo).is_some()
                    }
                });
                if ours_after {
                    continue;
                }
                if !whole_field
                    && (relation::other_party_before(text, phone.start)
                        || relation::named_org_before(text, phone.start, &names)
                        || relation::honorific_before(text, phone.start))
                {
                    // (The head above is still read, as round 11 would have:
                    // the next number's walk up stops at this line's answer.)
                    let ls = context::own_line_start(text, phone.start);
                    if context::chat_speaker_team_at(text, ls, phone.start, &text_signs).is_none() {
                        context::team_head_above(text, ls, phone.start, &text_signs.names, &mut head_memo);
                    }
                    out.push((IdKind::Phone, phone.e164, None, (phone.start, phone.end)));
                    continue;
                }
                if in_team_text {
                    continue;
                }
                // Round 22: a number marked internal in a bracket after it
                // (`0571-… （内部号码，勿外传）`, `021 … (interne)`), or inside the
                // quoted body of a message a log line says was sent to the number
                // before it (`SMS sent to 0438 …: "SouthernLink: … 1300 …"`): the team's own.
                if bracket.is_some_and(|k| context::internal_at(text, k)) {
                    continue;
                }
                if !whole_field && prev.is_some_and(|p| context::sent_message_body(text, p, phone.start, prev_in_body)) {
                    body_end = Some(phone.end);
                    continue;
                }
                // On the team's signature line (`Lumenpay Onboarding · Direct (415) 555-0131`).
                if context::team_name_line(text, phone.start, &names) {
                    continue;
                }
                // A number the writer invites people to call (`call us on …`,
                // `（0120-…）までお問い合わせください`) is the team's in the
                // team's own message, and where the text does not say whose
                // message it is; in someone else's (a B2B customer's `Bitte
                // rufen Sie uns unter … an` under their own `From:` line) it is theirs.
                // (The words after it, in languages that put the verb last: read once.)
                let tail = if whole_field { None } else { context::verb_last_tail(text, phone.end) };
                let cue = !whole_field
                    && (context::team_cue_before(text, phone.start)
                        || tail.is_some_and(|t| context::team_cue_in(text, phone.start, t))
                        || context::world_cue_country(&phone.e164) && context::world_cue_before(text, phone.start));
                // Asked to call it in Japanese word order (`…までお電話ください`):
                // the team's only in the team's own message (a customer asks so too).
                let request = !cue && tail.is_some_and(context::call_request_in);
                if cue || request {
                    // (A page that marks the team's messages has said whose
                    // this one is: the team's invitations are in `team_phones`.)
                    // (Round 9: on a chat line the team's bot or agent speaks, the team's.)
                    let writer = if context::chat_speaker_team(text, phone.start, &text_signs) == Some(true) { context::Writer::Team } else { context::writer_at(text, phone.start, &text_signs) };
                    if writer == context::Writer::Team || cue && writer == context::Writer::Unknown && !marked {
                        continue;
                    }
                }
                if cue || whole_field {
                    // (Decided above.)
                } else if team_lines.is_empty() && !ctx.team_domains.is_empty() && context::label_before(text, phone.start) {
                    // A labelled number (`Hotline: 030 …`) under a thread
                    // entry's head that names the team (`Tallyline Support`,
                    // a date), in a text without a team address.
                    if context::under_team_head(text, phone.start, &text_signs)
                        && !context::logged_number_before(text, phone.start)
                        && !context::reader_cue_before(text, phone.start)
                        && context::not_another_speaker(text, context::own_line_start(text, phone.start), phone.start, &text_signs)
                    {
                        continue;
                    }
                    // (Round 10: or on a chat line the team speaks, `28.11.2026
                    // 08:40 Zollkontor (Kommentar): … Hotline 0800 …`.)
                    if context::chat_speaker_team(text, phone.start, &text_signs) == Some(true) && !context::reader_cue_before(text, phone.start) {
                        continue;
                    }
                } else if team_lines.is_empty() && !names.is_empty() {
                    // Round 9: any number on a chat line the team's bot or
                    // agent speaks (`[28/11/26 19:05] Cuotaya Bot: … al
                    // 0810-…`, `客服 小云：…`), or under a thread entry's head
                    // that names the team (`Sam Okoro (quillpay.example) ·
                    // 28/11/2026 16:40` then `You can reach me on 6818
                    // 4182`), unless said to be the reader's. (A chat line
                    // is its own message: an earlier line's head is not its writer.)
                    // (Round 21: and a head that names the signed-in agent, `Marco Ruiz — Mar 4, 2024, 10:40 AM`.)
                    // (Made once a text: the same names for every number.)
                    let signs = if agent_names.is_empty() { &text_signs } else { agent_signs.get_or_init(|| context::TeamSigns::for_text(text, &is_team_text, names.iter().chain(agent_names).cloned().collect())) };
                    // (Rec13: nor logged as someone's, a call note's `Phone
                    // (caller): …` under the agent's dated head.)
                    // (And an unstamped chat line is its speaker's, `Nathalie : …`.)
                    if context::chat_speaker_team(text, phone.start, signs).unwrap_or_else(|| {
                        context::under_team_head(text, phone.start, signs) && context::not_another_speaker(text, context::own_line_start(text, phone.start), phone.start, signs)
                    }) && !context::reader_cue_before(text, phone.start)
                        && !context::logged_number_before(text, phone.start)
                    {
                        continue;
                    }
                } else if !team_lines.is_empty() && !context::reader_cue_before(text, phone.start) {
                    // Any other number in a message the team wrote (`De :
                    // Service Client <support@…>` then `Pour toute question :
                    // 09 72 …`) is the team's too, unless it is said to be
                    // the reader's (`we will call you back on …`). (Asked
                    // only in a text that holds a team address.)
                    // (Round 12: a row of a table the team exported or
                    // pasted, `kontakte.csv (exportiert von m.klein@…)` then
                    // `Schulz;Anna;…;0151 …`, is its row's person's.)
                    // (Rec15: nor logged as someone's, `reach Jen there on
                    // her direct line …` of the team's repair partner.)
                    if context::in_team_message(text, phone.start, &text_signs) && context::table_row(text, phone.start).is_none() && !context::third_line_before(text, phone.start) {
                        continue;
                    }
                }
                // (The number's line start, found once for the looks below.)
                let ls = if whole_field { 0 } else { context::own_line_start(text, phone.start) };
                if !whole_field && !cue && round11_team_number(text, &phone, ls, &listed, &text_signs, &mut head_memo) {
                    continue;
                }
                // prec13: the team's own line in its agent's note or reply
                // section (`内部备注（…）：…我司成都校区 028-…`, `Respuesta: …
                // Línea de atención 018000 …`), invitation or not; and the
                // branch phone on the header of the team's own form
                // (`星途租车 · 车损争议处理单  门店：…（门店电话 0898-…）`).
                // (prec19: and a number joined to the one before it that the
                // section gave the team, `210 … (απευθείας) ή +30 697 …`.)
                // (Past the label in brackets after the one before: `(απευθείας) ή`.)
                let joined = |e: usize| {
                    let gap = text[e..phone.start].trim_start();
                    let gap = if gap.starts_with('(') { gap.find(')').map_or(gap, |c| &gap[c + 1..]) } else { gap };
                    context::joined_numbers(gap)
                };
                if !whole_field && section_last.is_some_and(|e: usize| e <= phone.start && joined(e)) {
                    section_last = Some(phone.end);
                    continue;
                }
                if !whole_field && context::section_team_number(text, ls, phone.start, phone.end, &phone.e164, &names, &mut section_memo) {
                    section_last = Some(phone.end);
                    continue;
                }
                // prec19: the writer's own line on a line that gives the
                // team's listed number as "us" (`Du når oss även på 0771-… eller
                // mig direkt på 08-…`). (Only when a listed one is in the text.)
                if !whole_field && !listed.is_empty() {
                    let le = text[phone.start..].find('\n').map_or(text.len(), |e| phone.start + e);
                    if context::own_line_beside_listed(text, ls, le, phone.start, &listed) {
                        continue;
                    }
                }
                // prec19: a service number offered to the team's customers
                // (`Hotline für Kund:innen …`, `商户可致电 400 …`).
                // (Where the admin has named the team: asked of every number left.)
                if !whole_field && !names.is_empty() && context::service_number(&phone.e164) && context::customer_line_before(text, ls, phone.start) {
                    continue;
                }
                if !whole_field
                    && (context::team_form_branch(text, ls, phone.start)
                        // prec14: labelled as the team's by its own name or words.
                        || context::self_labelled_team(text, ls, phone.start, phone.end, &text_signs))
                {
                    continue;
                }
                // A service number (toll-free, shared-cost, unified) in a
                // message the text says is the team's (its head or its
                // signature names the team): the team's hotline, with or
                // without words around it. (Asked of service numbers only.)
                if !whole_field
                    && !ctx.team_domains.is_empty()
                    && context::service_number(&phone.e164)
                    && !context::reader_cue_any(text, phone.start)
                    && context::writer_named_at(text, phone.start, &text_signs) == context::Writer::Team
                {
                    continue;
                }
                // Session 18: in an entry whose head names the agent's side
                // (`Antwoord (Kees, …):`, `[内部备注 · … 袁斌 …]`, `坐席：`), a
                // number its writer gives as their own or the team's (`bel me
                // op …`, `打我 …`, `his work mobile …`), not the reader's.
                // Session 19: or in a message with no head that is signed as
                // the team's (`You can also reach me directly on …` above
                // `Hollie Barker | Customer Relations | Northmoor Broadband`).
                if !whole_field
                    && !ctx.team_domains.is_empty()
                    && voice::self_cue_before(text, phone.start)
                    && !context::reader_cue_before(text, phone.start)
                    && (voice::entry_side(&voice, ls) == Some(true)
                        || context::signed_by_team(text, phone.start, &text_signs)
                        // (Session 19: or a writer who speaks of the customer
                        // in the third person on the number's line, `Told client
                        // she can reach me directly on …`.)
                        || voice::of_the_customer_around(text, ls, phone.start, phone.end))
                {
                    continue;
                }
                // Session 20: a field worker's number in the team's own entry
                // (`Our technician Tunde will come tomorrow, his work line is …`,
                // `Kwun Fix 觀修: 已經安排陳師傅，佢手機 …`): the team's people's, unless the
                // sentence gives the worker to another party (`我们合作的安装师傅`,
                // `the courier's driver`) or the number to the reader.
                if !whole_field
                    && !ctx.team_domains.is_empty()
                    && (voice::staff_before(text, phone.start) || voice::ours_before(text, phone.start))
                    && !context::reader_cue_before(text, phone.start)
                    && (voice::entry_side(&voice, ls) == Some(true) || context::chat_speaker_team_at(text, ls, phone.start, &text_signs) == Some(true))
                {
                    continue;
                }
                // Session 21: in the team's automatic reply (`--- 系统自动回复 ---` then
                // `紧急请拨 400-…`; `— Auto-reply from Shiftly —` then `Call 1-844-…`),
                // unless the words before it give the number to the reader.
                if !whole_field
                    && !ctx.team_domains.is_empty()
                    && *auto_replies.get_or_init(|| deskside_detect::lines::may_hold_auto_reply(text))
                    && context::in_auto_reply(text, ls, phone.start, &text_signs)
                    && !context::reader_cue_before(text, phone.start)
                {
                    continue;
                }
                // Session 21: a line a customer points at as the team's (`打了你们的 400-…`,
                // `SAC de vocês, 0800 …`), not in the team's own entry.
                if !whole_field && !ctx.team_domains.is_empty() && voice::yours_before(text, phone.start) && voice::entry_side(&voice, ls) != Some(true) {
                    continue;
                }
                // Session 21: in a sentence only the team writes: it names the team's
                // outbound line, tells an agent not to call from their own phone, or
                // keeps the number from the customers.
                if !whole_field && !ctx.team_domains.is_empty() && voice::team_only_around(text, phone.start, phone.end) {
                    continue;
                }
                // Session 18: on a line of a signature block that names the team.
                if !whole_field && !names.is_empty() && voice::signature_block(text, ls, phone.start, &text_signs) {
                    continue;
                }
                out.push((IdKind::Phone, phone.e164, None, (phone.start, phone.end)));
            }
            // Session 15: the seller's credit code on a VAT invoice the team's
            // reply or note quotes (`以下是我司（销售方）开票信息：` then `销售方：…`
            // then `纳税人识别号：9111…`) is the team's company's: in the team's
            // message or section, or said to be the writer's own (`我司`, `我方`)
            // in a message no one else is said to have written. (A seller's
            // code a supplier sends the team is theirs; so is any code a
            // team's note logs without the seller's label.) Credit codes
            // only, few a page; only with team domains.
            let mut id_sections = context::SectionMemo::default();
            for id in cn_ids {
                let kind = match id.kind {
                    CnIdKind::ResidentId => IdKind::ResidentId,
                    CnIdKind::CreditCode => IdKind::CreditCode,
                };
                if kind == IdKind::CreditCode && !whole_field && !ctx.team_domains.is_empty() {
                    if let Some(ours) = context::seller_code(text, id.start) {
                        let ls = context::own_line_start(text, id.start);
                        if context::in_team_message(text, id.start, &text_signs)
                            || !names.is_empty() && context::section_at(text, ls, id.start, &names, true, &mut id_sections).is_some()
                            || ours && context::writer_at(text, id.start, &text_signs) != context::Writer::Other
                        {
                            continue;
                        }
                    }
                }
                out.push((kind, id.value, None, (id.start, id.end)));
            }
            custom_ids(text, ctx, steps, &mut out);
        }
    }
    out
}

/// Round 22: whether `e164` is in the block of the team's listed number
/// `team`: the listed number with one to four digits more (an extension
/// dialled through, as German and Austrian numbers are written; or in place
/// of a switchboard's final `0`), or the
/// same length with only its last two digits different (a line of the same
/// exchange block). Ten digits or more, so a short number matches nothing.
fn same_block(e164: &str, team: &str) -> bool {
    let (p, t) = (e164.as_bytes(), team.as_bytes());
    if t.len() < 11 || p == t {
        return false;
    }
    if p.len() == t.len() {
        return p[..p.len() - 2] == t[..t.len() - 2];
    }
    // (Or its switchboard's final `0` replaced by the extension: `08131 66 49 0`, `08131 66 49 14`.)
    p.len() > t.len() && (p.len() - t.len() <= 4 && p.starts_with(t) || t.ends_with(b"0") && p.len() - t.len() <= 3 && p.starts_with(&t[..t.len() - 1]))
}

/// Rec14: whether the number at `start` is on a line that is a message of
/// its own, not part of a team address's signature next to it: a chat line
/// another speaker speaks, stamped or not (`[15:05] Joost: … 06 12345678`
/// over the agent's `[15:06] Medewerker Sanne: … service@<team>`, `김민지 :
/// 회사 번호는 02-…`), or a line of prose longer than a signature's
/// ([`SIGNATURE_LINE`] characters: a web form's `Notes: if no answer ring my
/// partner …` over the team's auto-reply).
/// (`above`: the team address's line is the one above; a chat line of the
/// same speaker as that line, `[19:13] Sneha K: … grievance@<team>` then
/// `[19:14] Sneha K: Our Nodal Officer …, 022-…`, goes on that message.)
fn own_message_line(text: &str, start: usize, signs: &context::TeamSigns, above: bool) -> bool {
    let ls = context::own_line_start(text, start);
    let le = text[start..].find('\n').map_or(text.len(), |e| start + e);
    if text[ls..le].chars().count() > SIGNATURE_LINE {
        return true;
    }
    if context::chat_speaker_team_at(text, ls, start, signs) != Some(false) && context::not_another_speaker(text, ls, start, signs) {
        return false;
    }
    let next = if above {
        let pe = ls.saturating_sub(1);
        &text[text[..pe].rfind('\n').map_or(0, |p| p + 1)..pe]
    } else {
        let ns = (le + 1).min(text.len());
        &text[ns..text[ns..].find('\n').map_or(text.len(), |e| ns + e)]
    };
    speaker_of(&text[ls..le]).is_none_or(|s| speaker_of(next) != Some(s))
}

/// A chat line's speaker as written: after a bracketed stamp, up to the
/// first colon within 48 bytes (`[15:05] Joost: …` → `Joost`, `김민지 : …` →
/// `김민지`).
fn speaker_of(line: &str) -> Option<&str> {
    let rest = if line.starts_with('[') { &line[line.find(']')? + 1..] } else { line };
    let colon = rest.char_indices().take_while(|&(i, _)| i < 48).find(|&(_, c)| c == ':' || c == '：')?.0;
    Some(rest[..colon].trim()).filter(|s| !s.is_empty())
}

/// Rec14: the longest line read as part of a signature next to a team
/// address (characters, so that a CJK line counts as long as it reads).
const SIGNATURE_LINE: usize = 100;

/// Round 11: whether a number of running text is the team's own though no
/// team address stands near it (docs/IDENTIFIERS.md, "Round 11"): in a
/// message whose head names the team ([`context::team_head_above`]: an
/// agent's title, an internal note, the team's name; a chat line's speaker
/// decides for its line), unless said to be the reader's or logged as
/// someone's (`customer's mobile`, `回拨`); joined on its line to a listed
/// team number (`TEL 0460-85-0000 / FAX 0460-85-0001`); labelled on a line
/// that names the team before it (`Issued by Navimar Logística, …, tel.
/// 314 …`); or named as the reader's company's in a message not the team's
/// (`貴社フリーダイヤル 0120-…`, `your hotline`).
fn round11_team_number(
    text: &str,
    phone: &deskside_detect::phone::PhoneMatch,
    ls: usize,
    listed: &[(usize, usize)],
    signs: &context::TeamSigns,
    memo: &mut context::HeadMemo,
) -> bool {
    let (start, end) = (phone.start, phone.end);
    // Beside a listed number, joined by a label or `or` only.
    if listed.iter().any(|&(s, e)| {
        (e <= start && context::joined_numbers(&text[e..start])) || (end <= s && context::joined_numbers(&text[end..s]))
    }) {
        return true;
    }
    // (`ls`: the number's line start, found once for the looks below.)
    let head = match context::chat_speaker_team_at(text, ls, start, signs) {
        Some(team) => team,
        // (Rec13: not on an unstamped chat line of another speaker's.)
        None => context::team_head_above(text, ls, start, &signs.names, memo) && context::not_another_speaker(text, ls, start, signs),
    };
    if head && !context::reader_cue_any(text, start) && !context::logged_number_before(text, start) {
        return true;
    }
    if !signs.names.is_empty() && context::label_before(text, start) && context::team_named_line(text, start, &signs.names) {
        return true;
    }
    context::your_company_before(text, ls, start) && context::writer_at(text, start, signs) != context::Writer::Team
}

/// Matches of the admin's patterns.
fn custom_ids(text: &str, ctx: &ScanContext, steps: &mut u64, out: &mut Vec<Found>) {
    for rule in &ctx.id_patterns {
        for m in rule.pattern.find_all_limited(text, steps) {
            let value = m.value(text).trim();
            // A value with no letter or digit (`REF:..`, `#--`) names no
            // record: it is not an identifier at all.
            if value.len() <= MAX_ID_VALUE && value.chars().any(char::is_alphanumeric) && !value.chars().any(char::is_control) {
                out.push((rule.kind, value.to_string(), Some(rule.label.clone()), NO_POS));
            }
        }
    }
}

/// The record kind a URL path segment (or query parameter stem) names.
fn entity_kind(name: &str) -> Option<IdKind> {
    Some(match name {
        "contacts" | "contact" | "customers" | "customer" | "people" | "person" | "users" | "user" | "clients" | "client" => IdKind::CustomerId,
        "accounts" | "account" | "companies" | "company" | "organizations" | "organization" | "organisations" | "organisation" | "orgs" | "org" => {
            IdKind::AccountId
        }
        "orders" | "order" => IdKind::OrderId,
        "tickets" | "ticket" | "cases" => IdKind::TicketId,
        _ => return None,
    })
}

/// A URL segment that looks like a record id: digits, or 6+ letters,
/// digits, `_`, `-` with at least one digit (`003Dn00000ABCdeIAH`, `cus_1001`).
fn looks_like_record_id(v: &str) -> bool {
    let all_digits = !v.is_empty() && v.len() <= 20 && v.bytes().all(|b| b.is_ascii_digit());
    let token = (6..=64).contains(&v.len())
        && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && v.bytes().any(|b| b.is_ascii_digit())
        && v.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric());
    all_digits || token
}

/// Identifiers in a page URL by the built-in rules, in URL order:
/// `/contacts/12345` → customer, `/accounts/…` → account, `/orders/…` →
/// order, `/tickets/987` → ticket; the same in the hash route
/// (`#ticket/zoom/123`, `#/customers/7`) and in query parameters
/// (`?customer_id=…`).
pub fn url_ids(url: &str) -> Vec<(IdKind, String)> {
    let url = url.trim();
    let rest = match url.find("://") {
        Some(i) if url[..i].bytes().all(|b| b.is_ascii_alphabetic()) => {
            let after = &url[i + 3..];
            &after[after.find(['/', '?', '#']).unwrap_or(after.len())..]
        }
        _ => url,
    };
    let (before_hash, hash) = rest.split_once('#').unwrap_or((rest, ""));
    let (path, query) = before_hash.split_once('?').unwrap_or((before_hash, ""));
    let (hash_path, hash_query) = hash.trim_start_matches(['!', '/']).split_once('?').unwrap_or((hash.trim_start_matches(['!', '/']), ""));
    let mut out: Vec<(IdKind, String)> = Vec::new();
    let mut push = |kind: IdKind, value: String| {
        if !out.iter().any(|(k, v)| *k == kind && *v == value) {
            out.push((kind, value));
        }
    };
    for p in [path, hash_path] {
        let segments: Vec<String> = p.split('/').filter(|s| !s.is_empty()).take(64).map(decode_percent).collect();
        for (i, seg) in segments.iter().enumerate() {
            let Some(kind) = entity_kind(&seg.to_ascii_lowercase()) else { continue };
            let next = segments.get(i + 1).map(String::as_str);
            let after = segments.get(i + 2).map(String::as_str);
            match (next, after) {
                (Some(v), _) if looks_like_record_id(v) => push(kind, v.to_string()),
                // `ticket/zoom/123`, `contacts/view/123`.
                (Some(view), Some(v))
                    if matches!(view.to_ascii_lowercase().as_str(), "zoom" | "view" | "show" | "detail" | "details" | "profile" | "record" | "edit")
                        && looks_like_record_id(v) =>
                {
                    push(kind, v.to_string())
                }
                _ => {}
            }
        }
    }
    for q in [query, hash_query] {
        for pair in q.split('&').take(64) {
            let Some((k, v)) = pair.split_once('=') else { continue };
            let key = decode_percent(k).to_ascii_lowercase().replace('-', "_");
            let stem = key.strip_suffix("_id").or_else(|| key.strip_suffix("id")).unwrap_or("");
            let Some(kind) = entity_kind(stem) else { continue };
            let value = decode_percent(v);
            if looks_like_record_id(&value) {
                push(kind, value);
            }
        }
    }
    out
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

#[inline]
fn floor_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
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

/// Label separators of domains as typed in CJK text: `.`, `。`, `．`, `｡`.
fn is_label_separator(c: char) -> bool {
    matches!(c, '.' | '。' | '．' | '｡')
}

/// Han, kana, Hangul and CJK punctuation: text that follows an address
/// without a space in Chinese, Japanese and Korean writing. A domain in these
/// scripts is recognised only when unambiguous (see [`idn_domain`]).
fn is_cjk(c: char) -> bool {
    crate::idpattern::is_cjk(c)
}

/// Top-level domains in CJK scripts (delegated IDN TLDs people use in mail).
const CJK_TLDS: &[&str] = &[
    "中国", "中國", "香港", "台湾", "台灣", "澳门", "澳門", "新加坡", "公司", "网络", "網絡", "在线", "中文网", "网址", "网店", "网站", "商城", "商店",
    "商标", "购物", "游戏", "娱乐", "企业", "手机", "机构", "组织机构", "集团", "广东", "佛山", "时尚", "微博", "我爱你", "八卦", "信息", "健康", "慈善",
    "政府", "政务", "联通", "移动", "新闻", "招聘", "书籍", "珠宝", "餐厅", "食品", "工行", "点看", "點看", "家電", "通販", "ファッション", "ストア",
    "セール", "クラウド", "ポイント", "みんな", "コム", "닷컴", "닷넷", "삼성", "한국",
];

/// Every plausible email address in free text, normalised: the domain is
/// lower-cased (and so is the local part: no mainstream provider treats case
/// as significant, and CRMs store them lower-cased). Internationalised
/// domains stay in Unicode, with `。`/`．` label separators made `.`.
pub fn find_emails(text: &str) -> Vec<String> {
    find_emails_in(text, false)
}

/// `whole_field`: the text is one value (a mailto link's address, an
/// input's value), so its start and end set an address apart.
fn find_emails_in(text: &str, whole_field: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = deskside_detect::email::next_at_sign(text.as_bytes(), from) {
        out.extend(email_at(text, at, whole_field));
        from = at + 1;
    }
    out
}

/// The start of the run of `allowed` characters that ends `before`, past
/// leading characters an address never starts with.
fn local_start(before: &str, allowed: impl Fn(char) -> bool) -> usize {
    let start = before.char_indices().rev().take_while(|(_, c)| allowed(*c)).last().map_or(before.len(), |(i, _)| i);
    let local = before[start..].trim_start_matches(['.', '\'', '`', '|', '/', '=']);
    before.len() - local.len()
}

/// Opening characters of a pair that sets an address apart.
const OPENERS: &str = "<([{\"'“‘「『《〈（【〔";
/// Closing characters of such a pair.
const CLOSERS: &str = ">)]}\"'”’」』》〉）】〕";

/// How an address sits in its text: the characters just before its local
/// part and just after its domain (`None`: the text's edge).
#[derive(Clone, Copy)]
struct Setting {
    left: Option<char>,
    right: Option<char>,
    whole_field: bool,
}

impl Setting {
    /// In a pair (`<…>`, quotes, brackets), or the whole of a one-value field.
    fn enclosed(self) -> bool {
        let pair = self.left.is_some_and(|c| OPENERS.contains(c)) && self.right.is_some_and(|c| CLOSERS.contains(c));
        pair || self.whole_field && self.left.is_none() && self.right.is_none()
    }

    /// Enclosed, or with white space (or the text's edge) on both sides.
    fn delimited(self) -> bool {
        let space = |c: Option<char>| c.is_none_or(char::is_whitespace);
        self.enclosed() || space(self.left) && space(self.right)
    }

    /// Where a local part in Han, kana or Hangul may start: enclosed, or
    /// after a space or tab (not a line break: sentences start there).
    fn cjk_local_ok(self) -> bool {
        let after_space = self.left.is_some_and(|c| matches!(c, ' ' | '\t' | '\u{3000}'));
        self.enclosed() || after_space && self.right.is_none_or(|c| c.is_whitespace() || CLOSERS.contains(c) || ",，;；、。.!?！？".contains(c))
    }
}

fn email_at(text: &str, at: usize, whole_field: bool) -> Option<String> {
    match deskside_detect::email::ascii_email_at(text, at) {
        Some(decided) => decided,
        None => general_email_at(text, at, whole_field),
    }
}

/// Any address at `at`, however written.
fn general_email_at(text: &str, at: usize, whole_field: bool) -> Option<String> {
    let before = &text[..at];
    if let Some(email) = quoted_email_at(text, at, whole_field) {
        return Some(email);
    }
    // Local parts may hold non-ASCII letters (RFC 6531). Latin, Cyrillic…
    // letters belong to the word they are in; Han, kana and Hangul only when
    // the address is set apart (`<用户@例子.广告>`, a mailto link, an input's
    // value): `我的邮箱是zhangsan@…` is zhangsan's address.
    let plain_start = local_start(before, |c| is_local_char(c) || !c.is_ascii() && c.is_alphanumeric() && !is_cjk(c));
    let cjk_start = local_start(before, |c| is_local_char(c) || !c.is_ascii() && c.is_alphanumeric());
    if cjk_start < plain_start {
        if let Some((email, setting)) = email_with_local(text, at, cjk_start, whole_field) {
            if setting.cjk_local_ok() {
                return Some(email);
            }
        }
    }
    email_with_local(text, at, plain_start, whole_field).map(|(email, _)| email)
}

/// A quoted local part (RFC 5322): `"john doe"@example.com`. Kept quoted
/// when it needs the quotes; `"a.b"@example.org` is `a.b@example.org`.
/// The opening quote must start a word (after white space, an opener, `:`
/// or the text's edge), on the same line.
fn quoted_email_at(text: &str, at: usize, whole_field: bool) -> Option<String> {
    let inner_end = at.checked_sub(1).filter(|&i| text.as_bytes()[i] == b'"')?;
    let open = text[..inner_end].rfind('"')?;
    let inner = &text[open + 1..inner_end];
    if inner.is_empty() || inner.len() > 62 || inner.chars().any(|c| c.is_control() || c == '\\') {
        return None;
    }
    let (email, setting) = email_with_local(text, at, open, whole_field)?;
    if !setting.left.is_none_or(|c| c.is_whitespace() || OPENERS.contains(c) || c == ':') {
        return None;
    }
    let dot_atom = inner.chars().all(is_local_char) && !inner.starts_with('.') && !inner.ends_with('.') && !inner.contains("..");
    Some(if dot_atom { email.replacen('"', "", 2) } else { email })
}

/// The address whose local part starts at `local_start` and whose `@` is at `at`.
fn email_with_local(text: &str, at: usize, local_start: usize, whole_field: bool) -> Option<(String, Setting)> {
    let before = &text[..at];
    let after = &text[at + 1..];
    let local = &before[local_start..];
    if local.is_empty() {
        return None;
    }
    // Part of a URL (https://user@host, /path/x@y) or a message-id: skip.
    let prefix = &before[..local_start];
    if prefix.ends_with("//") || prefix.ends_with('/') || prefix.ends_with(':') && in_url_authority(prefix) {
        return None;
    }
    if local.len() > 64 || local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return None;
    }
    let domain_len = after.char_indices().take_while(|(_, c)| is_domain_char(*c)).last().map(|(i, c)| i + c.len_utf8()).unwrap_or(0);
    let plain = after[..domain_len].trim_end_matches(['.', '-']);
    let setting = |end: usize| {
        let (edge_l, edge_r) = if whole_field { (prefix.trim_start(), after[end..].trim_end()) } else { (prefix, &after[end..]) };
        Setting { left: edge_l.chars().next_back(), right: edge_r.chars().next(), whole_field }
    };
    let (domain, end) = if valid_domain(plain) { (plain.to_string(), plain.len()) } else { idn_domain(after, |end| setting(end).delimited())? };
    let rest = &after[end..];
    if not_a_mailbox(&domain) || prefix.ends_with('<') && rest.starts_with('>') && looks_like_message_id(local) || shell_target(text.as_bytes(), local_start, at + 1 + end) {
        return None;
    }
    Some((format!("{}@{}", local.to_lowercase(), domain.to_lowercase()), setting(end)))
}

/// A domain with labels in CJK scripts at the start of `after`, and the
/// byte length it takes there. Its end must be unambiguous: a known CJK TLD
/// (`例子.中国谢谢` ends after `中国`), an ASCII TLD (`例子.com，`, and
/// `例子.com谢谢`, `例子.com。请回复` end after `com`), or an address that is `delimited`
/// (given the end offset) and written with `.` separators (`<用户@例子.广告>`).
fn idn_domain(after: &str, delimited: impl Fn(usize) -> bool) -> Option<(String, usize)> {
    // (label, its end offset in `after`, the separator after it)
    let mut labels: Vec<(String, usize, Option<char>)> = Vec::new();
    let mut label = String::new();
    let mut end = 0;
    for (i, c) in after.char_indices() {
        if is_label_separator(c) {
            if label.is_empty() {
                break;
            }
            labels.push((std::mem::take(&mut label), i, Some(c)));
        } else if c.is_alphanumeric() || c == '-' {
            label.push(c);
        } else {
            break;
        }
        end = i + c.len_utf8();
        if end > 300 {
            return None;
        }
    }
    if !label.is_empty() {
        labels.push((label, end, None));
    }
    if labels.len() < 2 || !labels.iter().any(|(l, _, _)| l.chars().any(is_cjk)) {
        return None;
    }
    let cjk_rest = |rest: &str| rest.chars().all(is_cjk);
    // The first label that ends the domain, and how much of it is the TLD.
    let mut cut: Option<(usize, usize)> = None;
    for (k, (l, _, sep)) in labels.iter().enumerate().skip(1) {
        let known = CJK_TLDS.iter().filter(|t| l.starts_with(**t) && cjk_rest(&l[t.len()..])).map(|t| t.len()).max();
        let ascii = l.bytes().take_while(u8::is_ascii_alphabetic).count();
        // An ASCII TLD ends the domain where the run ends, or before CJK
        // text after a `。` (`例子.com。请回复`).
        let next_is_prose = sep.is_some_and(|c| c != '.') && labels.get(k + 1).is_some_and(|(n, _, _)| n.chars().any(is_cjk));
        let last = k + 1 == labels.len();
        if let Some(len) = known {
            cut = Some((k, len));
        } else if ascii >= 2 && ascii < l.len() && cjk_rest(&l[ascii..]) || ascii >= 2 && ascii == l.len() && (next_is_prose || last) {
            cut = Some((k, ascii));
        }
        if cut.is_some() {
            break;
        }
    }
    if cut.is_none() {
        // The last label, whole: only when the address is set apart.
        let k = labels.len() - 1;
        let (tld, tld_end, _) = &labels[k];
        let only_dots = labels[..k].iter().all(|(_, _, sep)| *sep == Some('.'));
        let one_script = tld.chars().all(is_cjk) || !tld.chars().any(is_cjk);
        if only_dots && tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic) && one_script && delimited(*tld_end) {
            cut = Some((k, tld.len()));
        }
    }
    let (k, tld_len) = cut?;
    labels.truncate(k + 1);
    let (tld, tld_end, _) = &mut labels[k];
    *tld_end -= tld.len() - tld_len;
    tld.truncate(tld_len);
    let domain_end = *tld_end;
    let ok = labels.iter().all(|(l, _, _)| !l.is_empty() && l.chars().count() <= 63 && !l.starts_with('-') && !l.ends_with('-'));
    let domain: Vec<&str> = labels.iter().map(|(l, _, _)| l.as_str()).collect();
    (ok && domain_end <= 253).then(|| (domain.join("."), domain_end))
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


/// A domain in its ASCII (punycode, RFC 3492) form: `bücher.example` →
/// `xn--bcher-kva.example`. Labels are lower-cased; no other IDNA mapping.
pub fn domain_to_ascii(domain: &str) -> String {
    domain
        .to_lowercase()
        .split(is_label_separator)
        .map(|l| if l.is_ascii() { l.to_string() } else { punycode(l).map_or_else(|| l.to_string(), |p| format!("xn--{p}")) })
        .collect::<Vec<_>>()
        .join(".")
}

/// RFC 3492 Punycode encoding of one label.
fn punycode(input: &str) -> Option<String> {
    const BASE: u32 = 36;
    const TMIN: u32 = 1;
    const TMAX: u32 = 26;
    let digit = |d: u32| char::from(if d < 26 { b'a' + d as u8 } else { b'0' + (d - 26) as u8 });
    let adapt = |delta: u32, points: u32, first: bool| {
        let mut delta = if first { delta / 700 } else { delta / 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - TMIN) * TMAX) / 2 {
            delta /= BASE - TMIN;
            k += BASE;
        }
        k + (BASE - TMIN + 1) * delta / (delta + 38)
    };
    let code_points: Vec<u32> = input.chars().map(u32::from).collect();
    let mut out: String = input.chars().filter(char::is_ascii).collect();
    let basic = out.len() as u32;
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias, mut handled) = (128u32, 0u32, 72u32, basic);
    while (handled as usize) < code_points.len() {
        let m = code_points.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &code_points {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias { TMIN } else if k >= bias + TMAX { TMAX } else { k - bias };
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    Some(out)
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
    fn the_writer_beats_the_colleague_they_mention() {
        let s = snap(&[(Source::Text, "Please add my colleague Rachel (rachel.green@globex.test). I own the account: monica.geller@globex.test.\n\nCheers, Monica")]);
        let ranked = identify(&s, &ScanContext::default());
        assert_eq!(ranked[0].value, "monica.geller@globex.test");
        let s = snap(&[(Source::Text, "Forwarding to li.na@example.cn and wang.wei@example.cn.\nBest regards,\nWang Wei")]);
        assert_eq!(identify(&s, &ScanContext::default())[0].value, "wang.wei@example.cn");
        // No sign-off: page order decides.
        let s = snap(&[(Source::Text, "a.one@x.test and b.two@x.test")]);
        assert_eq!(identify(&s, &ScanContext::default())[0].value, "a.one@x.test");
    }

    #[test]
    fn quoted_local_parts() {
        assert_eq!(find_emails(r#"Contact "john doe"@example.com today"#), [r#""john doe"@example.com"#]);
        assert_eq!(find_emails(r#"<"A.B"@Example.ORG>"#), ["a.b@example.org"]);
        // Not a quoted local part: a quotation ending before an address-like tail.
        assert!(find_emails(r#"he said"hi"@home.example"#).is_empty());
        assert!(find_emails("\"two\nlines\"@example.com").is_empty());
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
        // A no-reply sender is kept (a customer's system may send from one), last.
        assert_eq!(values, ["li.na@example.cn", "jane.doe@globex.test", "noreply@notifications.globex.test"]);
        assert_eq!(ranked[0].source, Source::MailtoLink);
        assert!(ranked[2].score < 10);
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
        let ctx = ScanContext { team_domains: vec!["acme.example".into()], team_phones: vec!["+864008208820".into()], default_region: "CN".into(), ..ScanContext::default() };
        let s = snap(&[(Source::Text, "Customer: 138 0013 8000\nTom\nAcme · Hotline 021-6234 5678\nhelp@acme.example\nor call 400-820-8820")]);
        let values: Vec<String> = identify(&s, &ctx).into_iter().map(|c| c.value).collect();
        assert_eq!(values, ["+8613800138000"]);
        // Linked too (found by fuzzing: a `tel:` link outranks text, so the
        // team's hotline in a signature link would have won).
        let s = snap(&[(Source::TelLink, "tel:400-820-8820"), (Source::Text, "Customer: 138 0013 8000")]);
        let values: Vec<String> = identify(&s, &ctx).into_iter().map(|c| c.value).collect();
        assert_eq!(values, ["+8613800138000"]);
    }

    fn ranked(text: &str, region: &str) -> Vec<(String, Source)> {
        let ctx = ScanContext { team_domains: vec!["acme.example".into()], default_region: region.into(), ..ScanContext::default() };
        identify(&snap(&[(Source::Text, text)]), &ctx).into_iter().map(|c| (c.value, c.source)).collect()
    }

    fn values(text: &str, region: &str) -> Vec<String> {
        ranked(text, region).into_iter().map(|(v, _)| v).collect()
    }

    #[test]
    fn in_a_header_block_only_authors_and_recipients_are_people() {
        let block = "Return-Path: <bounces+2183-9c1f-derek=coast.test@em48.coast.test>\nReceived: from o1.mta.test\n        for <help@acme.example>;\nMessage-ID: <Xa8dPqLmRz2vK9wN4hB7tQ@geopod.test>\nIn-Reply-To: <li.na@example.cn>\nReferences: <a.b@c.test>\n <d.e@f.test>\nX-Original-Sender: x.y@z.test\nCc: Hannah <h.cole@coast.test>\nFrom: Derek <derek@coast.test>\nTo: help@acme.example\n\nPallet count wrong.";
        // The bounce address, the message-ids (however they look) and the
        // X- header are gone; the author outranks the Cc written before.
        assert_eq!(values(block, "US"), ["derek@coast.test", "h.cole@coast.test"]);
        // The same addresses in running text are people.
        assert_eq!(values("Please also ask li.na@example.cn and a.b@c.test.", "US"), ["li.na@example.cn", "a.b@c.test"]);
    }

    #[test]
    fn no_reply_senders_rank_last_and_another_companys_support_counts() {
        assert_eq!(values("From: Alerts <no-reply@vendor.test>\nsupport@northgate.test asked us to write to them.", "US"), ["support@northgate.test", "no-reply@vendor.test"]);
        // Alone, a no-reply sender is still what the page has.
        assert_eq!(values("Forwarded: donotreply@portal.merlion.test", "SG"), ["donotreply@portal.merlion.test"]);
        // However often it is repeated, it stays below a phone seen once.
        let text = format!("{}call me on 9123 4567", "notifications@x.test ".repeat(30));
        assert_eq!(values(&text, "SG"), ["+6591234567", "notifications@x.test"]);
    }

    #[test]
    fn a_table_read_one_cell_per_line() {
        // An HTML table's text as the content script sends it: each cell on its own line.
        let cells = "Name\nE-mail\nPhone\nAva Stone\nava@x.test\n+1 415 555 0123\nAdmin\nLiam Ross\nliam@x.test\n+1 212 555 0147\nStaff\n";
        let got = ranked(cells, "US");
        assert_eq!(got.len(), 4);
        assert!(got.iter().all(|(_, s)| *s == Source::TableText), "{got:?}");
        // Blank lines between cells are passed; the writer's own address outside is tied to the ticket.
        let spaced = format!("From: Ava <ava@x.test>\n\n{}", cells.replace('\n', "\n\n"));
        let got = ranked(&spaced, "US");
        assert_eq!(got[0], ("ava@x.test".to_string(), Source::Text));
        assert!(got[1..].iter().all(|(_, s)| *s == Source::TableText), "{got:?}");
        // Thread entries with a sentence between are no table; nor one row alone.
        let thread = "Ava Stone\nava@x.test\n+1 415 555 0123\nI cannot log in.\nLiam Ross\nliam@x.test\n+1 212 555 0147\nMe neither.\n";
        assert!(ranked(thread, "US").iter().all(|(_, s)| *s == Source::Text));
        assert!(ranked("Ava Stone\nava@x.test\n+1 415 555 0123\nAdmin\n", "US").iter().all(|(_, s)| *s == Source::Text));
    }

    #[test]
    fn a_service_number_ranks_below_a_personal_one() {
        assert_eq!(values("Our line 1300 655 210 is down. Mobile 0421 556 983", "AU"), ["+61421556983", "+611300655210"]);
        assert_eq!(values("Mobile 0421 556 983, our line 1300 655 210 is down.", "AU"), ["+61421556983", "+611300655210"]);
        // Alone, it is what the page has; an email still comes first.
        assert_eq!(values("Our line 1300 655 210 is down.", "AU"), ["+611300655210"]);
        assert_eq!(values("Our line 1300 655 210 is down. tom@wattle.test", "AU")[0], "tom@wattle.test");
    }

    #[test]
    fn a_table_block_ranks_below_the_ticket_and_alone_names_nobody() {
        let csv = "first,email,phone\nAva,ava@x.test,+1-415-555-0123\nLiam,liam@x.test,+1-212-555-0147\n";
        let got = ranked(&format!("{csv}\nThanks, Emma (emma@x.test)"), "US");
        assert_eq!(got[0], ("emma@x.test".to_string(), Source::Text));
        assert!(got[1..].iter().all(|(_, s)| *s == Source::TableText), "{got:?}");
        assert_eq!(got.len(), 5);
        // Only the table: every identifier is the table's.
        assert!(ranked(csv, "US").iter().all(|(_, s)| *s == Source::TableText));
        // One row under a header is how a person writes their own details;
        // prose with commas is no table.
        assert_eq!(ranked("name,email,phone\nJane,jane@x.test,+14155550123", "US")[0].1, Source::Text);
        assert!(ranked("Hi, I paid, twice, sadly.\nMail me, jane@x.test, or call, ok?\nThanks, bye, Jane, x", "US").iter().all(|(_, s)| *s == Source::Text));
        // Seen again outside the table, it is tied to the ticket.
        let got = ranked(&format!("{csv}From: Ava <ava@x.test>"), "US");
        assert_eq!(got[0], ("ava@x.test".to_string(), Source::Text));
    }

    #[test]
    fn the_opener_of_a_thread_shown_newest_first_wins() {
        let thread = "Daniel Ross <daniel@alder.test> · Nov 25, 2026, 3:12 PM\nAny update?\n\nKaren Holt <karen@alder.test> · Nov 24, 2026, 9:05 AM\nSSO fails.\n";
        assert_eq!(values(thread, "US")[0], "karen@alder.test");
        // Oldest first, the page order already agrees.
        let thread = "2026-11-24 18:02 周婷 <zhou@rf.test>\n运单模板错位\n2026-11-25 16:20 刘强 <liu@rf.test>\n我来跟进";
        assert_eq!(values(thread, "CN")[0], "zhou@rf.test");
        // Outlook's `From:` then `Sent:` lines.
        let quoted = "From: Greg <greg@s.test>\nSent: Wednesday, November 25, 2026 2:10 PM\n\nAny news?\n\nFrom: Tara <tara@s.test>\nSent: Monday, November 23, 2026 9:02 AM\n\nUploads fail.";
        assert_eq!(values(quoted, "US")[0], "tara@s.test");
        // The same date names no opener: page order decides.
        let tie = "a.one@x.test 2026-11-24 10:00\nb.two@x.test 2026-11-24 10:00";
        assert_eq!(values(tie, "CN")[0], "a.one@x.test");
    }

    #[test]
    fn the_teams_numbers_in_its_own_words_and_quotes() {
        assert_eq!(values("If urgent, call us on 1-800-555-0199.\nCustomer: (415) 555-0166 is mine.", "US"), ["+14155550166"]);
        assert_eq!(values("如需加急，请拨打我们的客服热线 400-820-8820。\n客户：13912345678", "CN"), ["+8613912345678"]);
        // A customer's own company line is theirs.
        assert_eq!(values("我们的售后热线是4003707722", "CN"), ["+864003707722"]);
        // The team's quoted message, however long, is the team's.
        let text = "Acme <kefu@acme.example> 写道：\n> 您好\n> 这是第二行\n> 如需帮助请致电 021-6234 5678。\n\n好的，我的电话是 138 1234 5678。";
        assert_eq!(values(text, "CN"), ["+8613812345678"]);
    }

    #[test]
    fn a_page_that_marks_the_teams_messages_says_whose_invitation_is_whose() {
        let text = "Harbor Kayaks: our site is down, call us on 541-555-0133.\n\nDana: we're on it, call us on 1-877-555-0161.\n";
        let ctx = ScanContext { team_domains: vec!["acme.example".into()], default_region: "US".into(), ..ScanContext::default() };
        let phones = |fields: &[(Source, &str)]| -> Vec<String> { identify(&snap(fields), &ctx).into_iter().map(|c| c.value).collect() };
        // Unmarked, the text does not say whose either message is: both the team's.
        assert!(phones(&[(Source::Text, text)]).is_empty());
        // Marked: the team's message holds its hotline; the other invitation is the customer's.
        assert_eq!(phones(&[(Source::Text, text), (Source::TeamText, "we're on it, call us on 1-877-555-0161.")]), ["+15415550133"]);
    }

    #[test]
    fn a_grouped_resident_id_is_no_phone() {
        let got: Vec<(IdKind, String)> = identify(&snap(&[(Source::Text, "证件号码：5101 0719 8805 2033 12\n电话：028-8765 4321")]), &ScanContext { default_region: "CN".into(), ..ScanContext::default() })
            .into_iter()
            .map(|c| (c.kind, c.value))
            .collect();
        assert_eq!(got, [(IdKind::Phone, "+862887654321".to_string()), (IdKind::ResidentId, "510107198805203312".to_string())]);
    }

    #[test]
    fn repeated_identifiers_merge() {
        let s = snap(&[(Source::Text, "a@x.test"), (Source::InputValue, "A@X.TEST")]);
        let ranked = identify(&s, &ScanContext::default());
        assert_eq!(ranked.len(), 1);
        assert_eq!(ranked[0].source, Source::InputValue);
    }

    fn rules(list: &[(IdKind, &str, &str)]) -> Vec<IdRule> {
        list.iter().map(|(kind, label, pattern)| IdRule::compile(&IdPattern { kind: *kind, label: label.to_string(), pattern: pattern.to_string() }).unwrap()).collect()
    }

    #[test]
    fn idn_addresses() {
        // Latin, Cyrillic IDN domains and local parts: words of their own.
        assert_eq!(find_emails("Kontakt: Jürgen@Bücher.example."), ["jürgen@bücher.example"]);
        assert_eq!(find_emails("пишите на иван@пример.рф, спасибо"), ["иван@пример.рф"]);
        assert_eq!(find_emails("contact josé@exemple.fr"), ["josé@exemple.fr"]);
        // CJK domains: set apart, or ending with a known CJK or an ASCII TLD.
        assert_eq!(find_emails("发件人：张三 <用户@例子.广告>"), ["用户@例子.广告"]);
        assert_eq!(find_emails_in("用户@例子.广告", true), ["用户@例子.广告"]);
        assert_eq!(find_emails("邮箱 用户@例子.广告 谢谢"), ["用户@例子.广告"]);
        assert_eq!(find_emails("联系人\nzhangsan@例子.广告\n"), ["zhangsan@例子.广告"]);
        assert_eq!(find_emails("我的邮箱是zhangsan@例子.中国谢谢"), ["zhangsan@例子.中国"]);
        assert_eq!(find_emails("我的邮箱是zhangsan@例子。中国。"), ["zhangsan@例子.中国"]);
        assert_eq!(find_emails("邮箱：wang@公司.com谢谢"), ["wang@公司.com"]);
        assert_eq!(find_emails("邮箱：wang@公司.com。请回复"), ["wang@公司.com"]);
        assert_eq!(find_emails("客户邮箱：li.na@例子。中国。请回复。"), ["li.na@例子.中国"]);
        assert_eq!(find_emails("x@例子.com.cn谢谢"), ["x@例子.com.cn"]);
        assert_eq!(find_emails("邮箱： 王伟@例子．中国"), ["王伟@例子.中国"]);
        // After a colon, a sentence may start: only the unambiguous part… none here.
        assert!(find_emails("邮箱：王伟@例子．中国").is_empty());
        assert_eq!(find_emails("(Li@Example.中國)"), ["li@example.中國"]);
        // Ambiguous: not an address (or only its unambiguous part).
        assert!(find_emails("我的邮箱是zhangsan@例子.广告谢谢").is_empty());
        assert!(find_emails("用户@例子.广告").is_empty(), "a sentence may start there");
        assert!(find_emails("\n我的邮箱是用户@例子.中国\n").is_empty());
        assert!(find_emails("请@李四。王五处理").is_empty());
        assert!(find_emails("谢谢@张三 你好").is_empty());
        assert_eq!(find_emails("我的邮箱是用户@example.com"), Vec::<String>::new());
        assert_eq!(find_emails("联系josé@exemple.fr谢谢"), ["josé@exemple.fr"]);
        // Unchanged: CJK text right after an ASCII address.
        assert_eq!(find_emails("我的邮箱是zhangsan@163.example谢谢"), ["zhangsan@163.example"]);
        assert_eq!(find_emails("邮箱：li.na@163.example。谢谢"), ["li.na@163.example"]);
    }

    #[test]
    fn idn_in_mailto_links_and_team_domains() {
        let s = snap(&[
            (Source::MailtoLink, "mailto:%E7%94%A8%E6%88%B7@%E4%BE%8B%E5%AD%90.%E5%B9%BF%E5%91%8A?subject=x"),
            (Source::Text, "客服 <kefu@例子.中国> <用户@例子.广告>"),
        ]);
        let ctx = ScanContext { team_domains: vec!["xn--fsqu00a.xn--fiqs8s".into()], ..ScanContext::default() };
        let got: Vec<(String, Source)> = identify(&s, &ctx).into_iter().map(|c| (c.value, c.source)).collect();
        assert_eq!(got, [("用户@例子.广告".to_string(), Source::MailtoLink)]);
    }

    #[test]
    fn punycode_of_domains() {
        assert_eq!(domain_to_ascii("bücher.example"), "xn--bcher-kva.example");
        assert_eq!(domain_to_ascii("例子.中国"), "xn--fsqu00a.xn--fiqs8s");
        assert_eq!(domain_to_ascii("公司.Com"), "xn--55qx5d.com");
        assert_eq!(domain_to_ascii("münchen。de"), "xn--mnchen-3ya.de");
        assert_eq!(domain_to_ascii("example.com"), "example.com");
    }

    #[test]
    fn admin_patterns_find_custom_ids_with_their_label() {
        let ctx = ScanContext {
            id_patterns: rules(&[(IdKind::OrderId, "Order", r"ORD-\d{4}-\d{6}"), (IdKind::CustomerId, "Member", r"会员号[:：]?\s*(?<id>\d{8})")]),
            ..ScanContext::default()
        };
        let s = snap(&[(Source::Text, "order ORD-2026-004211. XORD-2026-0042119, 会员号：12345678 jane@globex.test")]);
        let got: Vec<(IdKind, String, Option<String>)> = identify(&s, &ctx).into_iter().map(|c| (c.kind, c.value, c.label)).collect();
        assert_eq!(
            got,
            [
                (IdKind::Email, "jane@globex.test".into(), None),
                (IdKind::CustomerId, "12345678".into(), Some("Member".into())),
                (IdKind::OrderId, "ORD-2026-004211".into(), Some("Order".into())),
            ]
        );
        // Labels are part of the serialised candidate only when present.
        let ranked = identify(&s, &ctx);
        let json = serde_json::to_value(&ranked).unwrap();
        assert!(json[0].get("label").is_none());
        assert_eq!(json[1]["label"], "Member");
        assert_eq!(json[1]["kind"], "customer_id");
    }

    #[test]
    fn ids_in_the_page_url() {
        let ids = |u: &str| url_ids(u).into_iter().map(|(k, v)| format!("{}={v}", k.id())).collect::<Vec<_>>();
        assert_eq!(ids("https://crm.test/contacts/12345"), ["customer_id=12345"]);
        assert_eq!(ids("https://crm.test/app/Customers/cus_1001/orders/ORD-2026-004211?tab=2"), ["customer_id=cus_1001", "order_id=ORD-2026-004211"]);
        assert_eq!(ids("https://x.zendesk.com/agent/tickets/987"), ["ticket_id=987"]);
        assert_eq!(ids("https://helpdesk.test/a/#ticket/zoom/123"), ["ticket_id=123"]);
        assert_eq!(ids("https://helpdesk.test/#!/people/42?x=1"), ["customer_id=42"]);
        assert_eq!(ids("https://sf.test/lightning/r/Account/001Dn00000ABCdeIAH/view"), ["account_id=001Dn00000ABCdeIAH"]);
        assert_eq!(ids("https://crm.test/search?customer_id=C-778812&orderId=55"), ["customer_id=C-778812", "order_id=55"]);
        assert_eq!(ids("https://crm.test/users/%63us_42x"), ["customer_id=cus_42x"]);
        // Not ids: words, short tokens without digits, other entities.
        for u in ["https://crm.test/contacts/new", "https://crm.test/users/me/settings", "https://crm.test/customers/abc12", "https://crm.test/products/12345", "https://crm.test/orders/..", "/contacts/"] {
            assert!(ids(u).is_empty(), "{u}");
        }
    }

    #[test]
    fn url_ids_rank_below_page_emails_and_tickets_last() {
        let ctx = ScanContext { id_patterns: rules(&[(IdKind::OrderId, "Order", r"ORD-\d{4}-\d{6}")]), ..ScanContext::default() };
        let s = PageSnapshot {
            fields: vec![Field { source: Source::Text, text: "Jane jane@globex.test, order ORD-2026-004211".into() }],
        }
        .with_page_url("https://desk.test/agent/tickets/77/customers/4711?ref=ORD-2026-000001");
        let got: Vec<(IdKind, String, Source)> = identify(&s, &ctx).into_iter().map(|c| (c.kind, c.value, c.source)).collect();
        assert_eq!(
            got,
            [
                (IdKind::Email, "jane@globex.test".into(), Source::Text),
                (IdKind::CustomerId, "4711".into(), Source::PageUrl),
                (IdKind::OrderId, "ORD-2026-004211".into(), Source::Text),
                (IdKind::OrderId, "ORD-2026-000001".into(), Source::PageUrl),
                (IdKind::TicketId, "77".into(), Source::PageUrl),
            ]
        );
        // An input value still wins over the URL; a ticket never outranks anything.
        let s = s.clone();
        let mut with_input = s.clone();
        with_input.fields.push(Field { source: Source::InputValue, text: "mia@initech.test".into() });
        assert_eq!(identify(&with_input, &ctx)[0].value, "mia@initech.test");
        // The content script cannot supply its own page URL.
        let forged = PageSnapshot { fields: vec![Field { source: Source::PageUrl, text: "https://x.test/customers/666".into() }] }.with_page_url("https://desk.test/tickets/1");
        assert_eq!(forged.fields, [Field { source: Source::PageUrl, text: "https://desk.test/tickets/1".into() }]);
        // Equally placed, emails and phones outrank custom ids.
        let s = snap(&[(Source::Text, "ORD-2026-004211 then +86 138 0013 8000")]);
        let kinds: Vec<IdKind> = identify(&s, &ScanContext { default_region: "CN".into(), ..ctx.clone() }).into_iter().map(|c| c.kind).collect();
        assert_eq!(kinds, [IdKind::Phone, IdKind::OrderId]);
    }

    #[test]
    fn the_agents_own_identifiers_never_count() {
        let ctx = ScanContext { default_region: "CN".into(), id_patterns: rules(&[(IdKind::CustomerId, "Staff", r"EMP-\d+")]), ..ScanContext::default() };
        let s = snap(&[
            (Source::Text, "Hi, my number is 139 1234 5678, EMP-7.\n\n-- Tom, tom.agent@gmail.test\nTel 021-6234 5678, EMP-42"),
            (Source::InputValue, "Tom.Agent@Gmail.test"),
            (Source::MailtoLink, "mailto:tom.agent@gmail.test"),
            (Source::TelLink, "tel:13800138000"),
            // The profile comes last: it still excludes everything before it.
            (Source::AgentField, "Tom Agent · tom.agent@gmail.test · 138 0013 8000 · EMP-42"),
        ]);
        let values: Vec<String> = identify(&s, &ctx).into_iter().map(|c| c.value).collect();
        // The phone next to the agent's address goes too, as for team addresses.
        assert_eq!(values, ["+8613912345678", "EMP-7"]);
    }

    #[test]
    fn a_pattern_match_without_a_letter_or_digit_is_no_identifier() {
        // The hostile-page suite's `REF:..` became a customer id and ended in
        // a lookup error blaming the admin's setup.
        let ctx = ScanContext { id_patterns: rules(&[(IdKind::CustomerId, "Ref", r"REF:(?<id>\S+)")]), ..ScanContext::default() };
        let values = |t: &str| identify(&snap(&[(Source::Text, t)]), &ctx).into_iter().map(|c| c.value).collect::<Vec<_>>();
        assert!(values("See REF:.. and REF:#-- and REF:／／").is_empty());
        assert_eq!(values("See REF:A-7"), ["A-7"]);
        assert_eq!(values("见 REF:客户"), ["客户"]);
    }

    #[test]
    fn sources_and_kinds_serialise_as_the_content_script_sends_them() {
        assert_eq!(serde_json::to_value(Source::PageUrl).unwrap(), "page_url");
        assert_eq!(serde_json::to_value(Source::AgentField).unwrap(), "agent_field");
        let f: Field = serde_json::from_value(serde_json::json!({"source": "agent_field", "text": "x"})).unwrap();
        assert_eq!(f.source, Source::AgentField);
        for k in [IdKind::CustomerId, IdKind::OrderId, IdKind::AccountId, IdKind::TicketId, IdKind::Email] {
            assert_eq!(serde_json::to_value(k).unwrap(), k.id());
            assert_eq!(IdKind::parse(k.id()), Some(k));
        }
        // Candidates stored before `label` existed still load.
        let c: Candidate = serde_json::from_value(serde_json::json!({"kind": "email", "value": "a@b.test", "source": "text", "score": 3})).unwrap();
        assert_eq!(c.label, None);
    }

    #[test]
    fn scan_context_compiles_the_stored_patterns() {
        let settings = Settings {
            id_patterns: vec![
                IdPattern { kind: IdKind::OrderId, label: "Order".into(), pattern: r"ORD-\d+".into() },
                IdPattern { kind: IdKind::OrderId, label: "Broken".into(), pattern: r"(".into() },
            ],
            ..Settings::default()
        };
        let ctx = ScanContext::from_settings(&settings);
        assert_eq!(ctx.id_patterns.len(), 1);
        assert_eq!(ctx.default_region, "CN");
    }

    #[test]
    fn hostile_pages_stay_fast_with_patterns() {
        let ctx = ScanContext { id_patterns: rules(&[(IdKind::CustomerId, "x", r"(a+)+b"), (IdKind::OrderId, "y", r"\w+-\d+")]), ..ScanContext::default() };
        let size = if cfg!(debug_assertions) { 256 * 1024 } else { PageSnapshot::MAX_TEXT };
        let s = snap(&[(Source::Text, &"a".repeat(size)), (Source::Text, &"a-1 ".repeat(size / 4))]);
        let start = std::time::Instant::now();
        let found = identify(&s, &ctx);
        assert!(found.len() <= crate::idpattern::MAX_MATCHES);
        assert!(start.elapsed().as_secs() < 20);
    }

    fn corpus_inputs(files: &[&str]) -> Vec<String> {
        files
            .iter()
            .flat_map(|f| f.lines())
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v.get("input").and_then(|i| i.as_str()).map(str::to_string))
            .collect()
    }

    /// The one walk over a text finds what the scanners find alone.
    #[test]
    fn one_pass_for_phones_id_codes_and_at_signs_finds_what_each_finds() {
        let mut texts = corpus_inputs(&[
            include_str!("../../../tests/corpus/ids_cn.jsonl"),
            include_str!("../../../tests/corpus/phones_cn.jsonl"),
            include_str!("../../../tests/corpus/phones_intl.jsonl"),
            include_str!("../../../tests/corpus/decoys.jsonl"),
            include_str!("../../../tests/corpus/pages.jsonl"),
            include_str!("../../../tests/corpus/issue17_numbers.jsonl"),
            include_str!("../../../tests/corpus/issue17_headers.jsonl"),
        ]);
        let rid = "11010519491231002X";
        let cc = "91350100M000100Y43";
        for glue in ["", " ", "-", "+86 138 0013 8000", "１３８", "（", "，", "x", "@", "a@b.cn", "1@2"] {
            texts.push(format!("{glue}{rid}{glue}{cc}{glue}138 0013 8000{rid}{glue}+86-{rid}{glue}"));
        }
        let mut ids = 0;
        for t in &texts {
            for region in ["CN", "US"] {
                let scan = scan_text(t, region);
                assert_eq!(scan.phones, crate::phone::find_phones(t, region), "{t:?}");
                assert_eq!(scan.cn_ids, crate::cnid::find_cn_ids(t), "{t:?}");
                let at_signs: Vec<usize> = t.match_indices('@').map(|(i, _)| i).collect();
                assert_eq!(scan.at_signs, at_signs, "{t:?}");
                let wide: Vec<usize> = t.match_indices('＠').map(|(i, _)| i).collect();
                assert_eq!(scan.wide_at_signs, wide, "{t:?}");
                let closers = t.match_indices([']', ')', '}']).map(|(i, _)| i);
                let bracket_ats: Vec<usize> = closers.filter(|&i| deskside_detect::email::closes_bracketed_at(t.as_bytes(), i)).collect();
                assert_eq!(scan.bracket_ats, bracket_ats, "{t:?}");
                ids += scan.cn_ids.len();
            }
        }
        assert!(ids > 50, "only {ids} ID codes in the texts compared");
    }

    /// The byte-level fast path decides every `@` of the corpus (and of some
    /// awkward strings) exactly as the general path does.
    #[test]
    fn ascii_fast_path_agrees_with_the_general_path() {
        let corpus = [
            include_str!("../../../tests/corpus/pages.jsonl"),
            include_str!("../../../tests/corpus/emails_en.jsonl"),
            include_str!("../../../tests/corpus/emails_zh.jsonl"),
            include_str!("../../../tests/corpus/decoys.jsonl"),
            include_str!("../../../tests/corpus/phones_cn.jsonl"),
            include_str!("../../../tests/corpus/phones_intl.jsonl"),
            include_str!("../../../tests/corpus/ids_cn.jsonl"),
            include_str!("../../../tests/corpus/ids_custom.jsonl"),
            include_str!("../../../tests/corpus/issue17_headers.jsonl"),
            include_str!("../../../tests/corpus/issue17_numbers.jsonl"),
            include_str!("../../../tests/corpus/issue17_ranking.jsonl"),
        ];
        let mut texts: Vec<String> = corpus_inputs(&corpus);
        for odd in [
            "a@b.co", "@x.com", "x@", ".a.@b.com", "'quoted'@b.com", "=a@b.com", "https://u:p@host.com/x", "mail:me@x.com",
            "see /path/x@y.com", "<1234567890123456789@mail.example>", "<abc@mail.example>", "a..b@c.com", "a@b..com", "a@-b.com",
            "a@b.c", "a@b.c0m", "Müller@b.com", "a@bü.com", "用户@例子.广告", "zhangsan@163.com谢谢", "\"john doe\"@example.com",
            "x@EXAMPLE.COM.", "x@example.com-", "a@b.com,c@d.org", "|a@b.com", "`a@b.com", "a@b.com>", "a@1.2.3.4",
        ] {
            texts.push(odd.to_string());
        }
        let mut decided = 0;
        for t in &texts {
            decided += email_paths_agree(t).unwrap_or_else(|e| panic!("{e} in {t:?}"));
        }
        assert!(decided > 300, "the fast path decided only {decided} addresses");
    }

    #[test]
    fn candidates_json_is_what_serde_writes() {
        let c = |kind, value: &str, source, label: Option<&str>| Candidate {
            kind,
            value: value.into(),
            source,
            score: 37,
            sensitive: kind == IdKind::ResidentId,
            label: label.map(str::to_string),
        };
        let mut list = vec![
            c(IdKind::Email, "\"john doe\"@example.com", Source::MailtoLink, None),
            c(IdKind::Phone, "+8613800138000", Source::TelLink, None),
            c(IdKind::ResidentId, "11010519491231002X", Source::Text, None),
            c(IdKind::CustomerId, "a\\b\n\t\r\u{1}\u{8}\u{c}\u{1f} 用户 é", Source::RequesterField, Some("Customer \"no.\"")),
            c(IdKind::TicketId, "987", Source::PageUrl, Some("")),
            c(IdKind::CreditCode, "", Source::InputValue, None),
            c(IdKind::OrderId, "x", Source::AgentField, None),
            c(IdKind::AccountId, "y", Source::Text, None),
            c(IdKind::ResidentId, "z", Source::Text, Some("ID")),
        ];
        // Scores of every width, a sensitive value with a label.
        for (c, score) in list.iter_mut().zip([0, 7, 10, 99, 100, 12345, u32::MAX, 37, 5]) {
            c.score = score;
        }
        assert_eq!(candidates_to_json(&list), serde_json::to_string(&list).expect("serialisable"));
        assert_eq!(candidates_to_json(&[]), "[]");
        let page = identify_text("Mia <mia@globex.example>, 138 0013 8000, 11010519491231002X", &ScanContext::default());
        assert_eq!(candidates_to_json(&page), serde_json::to_string(&page).expect("serialisable"));
    }
}
