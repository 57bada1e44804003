//! The background's decisions, as pure functions; `deskside-wasm` runs them
//! and does the I/O in between (storage, fetch).

use crate::audit::{subject_hash, AuditEntry};
use crate::config::{ConnectorRole, Settings};
use crate::connector::{Answer, LookupError};
use crate::i18n::{data, Msg, Text};
use crate::identify::{identify, Candidate, IdKind, PageSnapshot, ScanContext};
use crate::messages::Response;
use crate::model::Customer;
use crate::config::Profile;
use crate::mask::{mask_email, mask_phone};
use crate::merge::{pick, Selection};
use crate::panel::{CustomerView, IdentifierChoice, MatchChoice, PanelState, SourceError};
use crate::weburl::origin_of;
use serde::{Deserialize, Serialize};

/// What the background remembers about a tab (in `storage.session`, so it
/// survives the service worker being stopped).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TabState {
    pub page_origin: String,
    /// Identifies the ticket (origin and path), to remember the agent's choice.
    pub ticket: String,
    pub candidates: Vec<Candidate>,
    /// How many customers the page lists, when it is a list (a queue, a
    /// ticket list); 0 on a page about one customer.
    pub list: usize,
    /// A CRM contact page ([`crm_page`]): the panel shows the contact's
    /// helpdesk tickets.
    pub crm_page: bool,
    /// The ticket's id by its adapter's URL shapes (`adapters::ticket_id`),
    /// and its subject and status as the page shows them
    /// (`write::page_ticket`): what write-back starts from.
    pub ticket_id: String,
    pub subject: String,
    pub status: String,
}

/// Whether `page_url` (as the browser reported it) is a CRM contact page:
/// one of the admin's CRM page patterns, or a page whose site adapter is a
/// CRM's. `adapter` is the adapter the content script used (after its
/// `detect` selector was found on the page); it counts only if it applies
/// to this URL.
pub fn crm_page(settings: &Settings, page_url: &str, adapter: Option<&str>) -> bool {
    let by_adapter = adapter.is_some_and(|id| {
        crate::adapters::matching(page_url).iter().any(|r| r.adapter == id) && crate::adapters::by_id(id).is_some_and(|a| a.role == crate::adapters::SiteRole::Crm)
    });
    by_adapter || crate::weburl::site_matches(&settings.crm_pages, page_url)
}

/// Whether the panel shows the tab's customer as the helpdesk knows them:
/// on a CRM page, when a helpdesk connector is enabled (without one, the
/// page is treated like any other).
pub fn helpdesk_view(settings: &Settings, tab: &TabState) -> bool {
    tab.crm_page && settings.connectors.iter().any(|c| c.enabled && c.role() == ConnectorRole::Helpdesk)
}

/// The connectors (their indexes) the panel asks for the tab's customer:
/// on a CRM page the helpdesk connectors, not the CRM ones; elsewhere every
/// enabled one.
pub fn asked_connectors(settings: &Settings, tab: &TabState) -> Vec<usize> {
    let helpdesk_only = helpdesk_view(settings, tab);
    settings.connectors.iter().enumerate().filter(|(_, c)| c.enabled && (!helpdesk_only || c.role() == ConnectorRole::Helpdesk)).map(|(i, _)| i).collect()
}

/// A customer's tickets as a CRM page lists them: open ones first, then
/// newest first (by when each was last updated; undated last).
pub fn order_tickets(tickets: &mut [crate::panel::TicketView]) {
    use crate::vip::ticket_open;
    crate::sort::sort_by(tickets, |a, b| ticket_open(&b.status).cmp(&ticket_open(&a.status)).then_with(|| b.updated.cmp(&a.updated)));
}

/// The `storage.local` key of the agent's identifier choices.
pub const CHOICES_KEY: &str = "choices";
/// How many tickets' choices are remembered.
pub const CHOICES_CAP: usize = 500;

/// The agent's choice of identifier per ticket, most recent last.
pub type Choices = Vec<(String, String)>;

/// `https://h.test/agent/tickets/7?x#y` → `https://h.test/agent/tickets/7`.
pub fn ticket_key(page_url: &str) -> String {
    let end = page_url.find(['?', '#']).unwrap_or(page_url.len());
    page_url[..end].trim_end_matches('/').to_string()
}

/// Records a choice, replacing an older one for the same ticket; keeps the newest [`CHOICES_CAP`].
pub fn remember_choice(choices: &mut Choices, ticket: &str, value: &str) {
    crate::audit::remember(choices, ticket, value.to_string(), CHOICES_CAP);
}

/// Whether `value` may be chosen on this tab: it must be one of the page's
/// own lookupable identifiers (the panel cannot make the background search
/// for anything else).
pub fn choice_allowed(tab: &TabState, value: &str) -> bool {
    tab.candidates.iter().any(|c| c.kind.lookupable() && c.value == value)
}

fn alternatives(tab: &TabState, profile: &Profile) -> Vec<IdentifierChoice> {
    tab.candidates
        .iter()
        .filter(|c| c.kind.lookupable())
        .take(10)
        .map(|c| choice(c, profile))
        .collect()
}

/// How an identifier is shown: the admin's name for their own ids ("Member
/// no.: 004211"), else the kind's for those; phones and emails masked when
/// the profile masks them.
fn choice(c: &Candidate, profile: &Profile) -> IdentifierChoice {
    let masks = |f: &str| profile.masked.iter().any(|m| m == f);
    let shown = match c.kind {
        IdKind::Phone if masks("phone") => mask_phone(&c.value),
        IdKind::Email if masks("email") => mask_email(&c.value),
        _ => c.value.clone(),
    };
    let label = match (c.label.as_deref().filter(|l| !l.is_empty()), c.kind) {
        (Some(name), _) => Text::new(Msg::IdLabel, [data(name), data(&shown)]).into(),
        (None, k) if IdKind::CUSTOM.contains(&k) => Text::new(Msg::IdLabel, [k.name().into(), data(&shown)]).into(),
        _ => data(shown),
    };
    IdentifierChoice { value: c.value.clone(), label }
}

pub fn tab_key(tab_id: i64) -> String {
    format!("tab:{tab_id}")
}

/// The panel frame a tab's content script made: the token it put in the
/// frame's URL. Kept apart from [`TabState`] (`panel:{tab}` in
/// `storage.session`, written only when a token is issued), so a scan stored
/// at the same moment cannot overwrite it. The frame that first presented a
/// token is kept under that token's own key ([`frame_key`]): binding it never
/// rewrites the grant, so it cannot bring back a token replaced meanwhile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelGrant {
    pub token: String,
}

pub fn panel_key(tab_id: i64) -> String {
    format!("panel:{tab_id}")
}

/// Where the frame that first presented `token` is kept.
pub fn frame_key(token: &str) -> String {
    format!("panelframe:{token}")
}

/// A new grant from `random` (the browser's `crypto.randomUUID()`): `None`
/// when it is not the 122 random bits it should be.
pub fn new_grant(random: &str) -> Option<PanelGrant> {
    let ok = (32..=64).contains(&random.len()) && random.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    ok.then(|| PanelGrant { token: random.to_ascii_lowercase() })
}

/// Whether a panel request may be answered: it presents the tab's current
/// token, from the frame that presented it first (`bound`, if any). `Ok(true)`:
/// answer, and bind the token to this frame now; `Ok(false)`: answer.
pub fn check_panel(grant: Option<&PanelGrant>, token: &str, frame_id: i64, bound: Option<i64>) -> Result<bool, &'static str> {
    let Some(grant) = grant else { return Err("no panel was made in this tab") };
    // Constant-time compare: costs nothing, leaks nothing.
    let same = grant.token.len() == token.len() && grant.token.bytes().zip(token.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
    if !same || token.is_empty() {
        return Err("this panel was not made by Deskside for this tab");
    }
    match bound {
        None => Ok(true),
        Some(f) if f == frame_id => Ok(false),
        Some(_) => Err("this panel's token was already used by another frame"),
    }
}

/// Whether what the background holds for a tab (its candidates, its panel
/// grant) may be kept now that the tab shows `url`: only while the tab stays
/// on a configured site of the same origin. `None` (Deskside may not see the
/// URL, so it is no configured site) drops it.
pub fn tab_state_survives(tab: &TabState, url: Option<&str>, sites: &[String]) -> bool {
    let Some(url) = url else { return false };
    crate::weburl::site_matches(sites, url) && origin_of(url).is_some_and(|o| o == tab.page_origin)
}

/// The identifier the panel looks up (before the agent's choice).
fn best_identifier(tab: &TabState) -> Option<(crate::identify::IdKind, &str)> {
    best_identifier_of(&tab.candidates)
}

/// A content script reported a whole page. `previous` is what the tab held:
/// a page read again (an app re-rendered in place) keeps its panel unless
/// the identifier to look up changed; a content script without a panel
/// shows one whatever this says.
pub fn page_scanned(settings: &Settings, page_url: &str, previous: Option<&TabState>, snapshot: PageSnapshot, list_rows: &[String]) -> (TabState, Response) {
    let ctx = ScanContext::from_settings(settings);
    let requester_read = snapshot.fields.iter().any(|f| f.source == crate::identify::Source::RequesterField && !f.text.trim().is_empty());
    let mut candidates = identify(&snapshot.with_page_url(page_url), &ctx);
    let list = if requester_read { 0 } else { list_customers(&candidates, list_rows, &ctx) };
    // Best first: the tab keeps the best (it is stored per tab in session
    // storage, and a long thread can hold thousands of identifiers).
    candidates.truncate(MAX_CANDIDATES);
    let count = candidates.len();
    let state = TabState { page_origin: origin_of(page_url).unwrap_or_default(), ticket: ticket_key(page_url), candidates, list, crm_page: false, ..TabState::default() };
    // The panel also appears with nothing found or nothing configured: it
    // then says so, rather than leaving the agent guessing.
    let same = previous.is_some_and(|p| p.ticket == state.ticket && p.list == state.list && best_identifier(p) == best_identifier(&state));
    (state, Response::Scanned { show_panel: !same, candidates: count, list })
}

/// Rows of a list that must hold a customer before the page counts as a list.
pub const LIST_MIN_ROWS: usize = 3;
/// Rows read at most.
pub const LIST_MAX_ROWS: usize = 500;

/// How many customers a page of rows shows (a ticket list, a queue, a
/// contact list): the distinct emails and phones in its table rows, when at
/// least [`LIST_MIN_ROWS`] rows hold one and the page's best identifier is
/// among them; 0 otherwise (a page about one customer, perhaps with a small
/// table). A page whose site adapter read a requester field is never a list.
pub fn list_customers(candidates: &[Candidate], rows: &[String], ctx: &ScanContext) -> usize {
    use crate::identify::{Field, IdKind, Source};
    let mut seen: Vec<String> = Vec::new();
    let mut rows_with = 0;
    for row in rows.iter().take(LIST_MAX_ROWS) {
        let found = identify(&PageSnapshot { fields: vec![Field { source: Source::Text, text: row.clone() }] }, ctx);
        let mut any = false;
        for c in found.into_iter().filter(|c| matches!(c.kind, IdKind::Email | IdKind::Phone)) {
            any = true;
            if !seen.contains(&c.value) {
                seen.push(c.value);
            }
        }
        rows_with += usize::from(any);
    }
    let best_in_rows = best_identifier_of(candidates).is_some_and(|(_, v)| seen.iter().any(|s| s == v));
    if rows_with >= LIST_MIN_ROWS && seen.len() >= LIST_MIN_ROWS && best_in_rows {
        seen.len()
    } else {
        0
    }
}

fn best_identifier_of(candidates: &[Candidate]) -> Option<(crate::identify::IdKind, &str)> {
    candidates.iter().find(|c| c.kind.lookupable()).map(|c| (c.kind, c.value.as_str()))
}

/// The site adapters for a content script's page (its URL as the browser
/// reported it).
pub fn page_rules(page_url: &str) -> Response {
    Response::PageRules { rules: crate::adapters::matching(page_url) }
}

/// Most candidates a tab keeps, the best ones: a scan of a long thread and
/// appends cannot grow its stored state without bound.
pub const MAX_CANDIDATES: usize = 200;

/// A content script reported what was added to an already scanned page.
/// The new identifiers join the tab's candidates; the panel is reloaded only
/// when the best one changed. An append for a page the background has not
/// scanned (another ticket, or state lost) is refused, and the content
/// script then scans the whole page.
pub fn page_appended(settings: &Settings, page_url: &str, tab: Option<TabState>, mut delta: PageSnapshot) -> (Option<TabState>, Response) {
    // The URL was read with the whole page; only the browser's word counts.
    delta.fields.retain(|f| f.source != crate::identify::Source::PageUrl);
    let Some(mut tab) = tab.filter(|t| t.ticket == ticket_key(page_url)) else {
        return (None, Response::Rejected { reason: "this page was not scanned yet: scan it whole".into() });
    };
    let before = best_identifier(&tab).map(|(k, v)| (k, v.to_string()));
    for new in identify(&delta, &ScanContext::from_settings(settings)) {
        match tab.candidates.iter_mut().find(|c| c.kind == new.kind && c.value == new.value) {
            Some(old) => old.seen_again(new.source, new.score, new.label),
            None => tab.candidates.push(new),
        }
    }
    // Stable: equal scores keep page order.
    crate::sort::sort_by_key(&mut tab.candidates, |c| std::cmp::Reverse(c.score));
    tab.candidates.truncate(MAX_CANDIDATES);
    let show_panel = best_identifier(&tab) != before.as_ref().map(|(k, v)| (*k, v.as_str()));
    let count = tab.candidates.len();
    let list = tab.list;
    (Some(tab), Response::Scanned { show_panel, candidates: count, list })
}

/// The lookups the panel needs, or its final state if none is needed.
pub enum PanelPlan {
    Done(PanelState),
    /// Look `identifier` up with every enabled connector ([`crate::connector::build_lookup`]);
    /// `chosen`: the agent picked it (no other is tried when it finds nothing).
    Lookup { identifier: Candidate, chosen: bool },
}

/// `choices` are the agent's remembered picks; the one for this ticket wins
/// over the ranking when it is still on the page.
pub fn plan_panel(settings: &Settings, tab: Option<&TabState>, choices: &Choices) -> PanelPlan {
    if !settings.connectors.iter().any(|c| c.enabled) {
        return PanelPlan::Done(PanelState::NotConfigured);
    }
    // The best identifier the connectors can search by.
    let chosen = tab.and_then(|t| {
        let (_, value) = choices.iter().rev().find(|(ticket, _)| *ticket == t.ticket)?;
        t.candidates.iter().find(|c| c.kind.lookupable() && c.value == *value)
    });
    // A list of customers: none is looked up (the first row is nobody's ticket).
    if let Some(t) = tab.filter(|t| t.list > 0) {
        return PanelPlan::Done(PanelState::ListPage { customers: t.list });
    }
    let Some(best) = chosen.or_else(|| tab.and_then(|t| t.candidates.iter().find(|c| c.kind.lookupable()))) else {
        return PanelPlan::Done(PanelState::NoIdentifier);
    };
    // Only a table's identifiers (several people side by side, none tied to
    // the ticket): showing the first row's person as the customer would be
    // a guess; the agent picks.
    if let (None, Some(t)) = (chosen, tab) {
        if best.source == crate::identify::Source::TableText {
            return PanelPlan::Done(PanelState::Choose { alternatives: alternatives(t, &settings.active_profile()) });
        }
    }
    PanelPlan::Lookup { identifier: best.clone(), chosen: chosen.is_some() }
}

/// Kinds of identifier tried at most per lookup when the best finds nothing.
pub const MAX_IDENTIFIERS_TRIED: usize = 3;

/// When no source knows `tried`'s last identifier, the next one on the page
/// to try: the plus-tagged address without its tag first, then the page's
/// next identifier of another kind (email, then phone, then id, as ranked),
/// at most [`MAX_IDENTIFIERS_TRIED`] kinds. Never after the agent chose one.
pub fn next_identifier(tab: &TabState, tried: &[Candidate], chosen: bool) -> Option<Candidate> {
    let last = tried.last()?;
    if let Some(plain) = untagged(last).filter(|p| !tried.iter().any(|t| t.value == p.value)) {
        return Some(plain);
    }
    let mut kinds: Vec<IdKind> = tried.iter().map(|t| t.kind).collect();
    kinds.dedup();
    if chosen || kinds.len() >= MAX_IDENTIFIERS_TRIED {
        return None;
    }
    tab.candidates.iter().find(|c| c.kind.lookupable() && !tried.iter().any(|t| t.kind == c.kind)).cloned()
}

/// The access tokens the background holds, by connector id.
pub type Tokens = std::collections::BTreeMap<String, crate::secret::Secret>;

/// A plus-tagged address (`mia+orders@shop.example`) is looked up as
/// written first; when no source knows it, the CRM most likely stores the
/// address without its tag: this is the identifier to try next.
pub fn untagged(identifier: &Candidate) -> Option<Candidate> {
    if identifier.kind != crate::identify::IdKind::Email {
        return None;
    }
    let (local, domain) = identifier.value.rsplit_once('@')?;
    let (base, _tag) = local.split_once('+')?;
    (!base.is_empty()).then(|| Candidate { value: format!("{base}@{domain}"), ..identifier.clone() })
}

/// The `storage.local` key of the agent's record choices: which of several
/// records a source returned is the ticket's customer.
pub const RECORD_CHOICES_KEY: &str = "record_choices";

fn record_choice_key(ticket: &str, connector: &str) -> String {
    format!("{ticket}|{connector}")
}

/// Records the agent's choice of record for a ticket and source. A choice
/// only ever selects among the records the source returns for the page's
/// identifier ([`crate::merge::pick`] ignores any other id), so a panel
/// cannot make the background show anyone else; overlong ids are dropped.
pub fn remember_record(choices: &mut Choices, ticket: &str, connector: &str, record: &str) -> bool {
    if record.is_empty() || record.len() > 200 || connector.len() > 64 {
        return false;
    }
    crate::audit::remember(choices, &record_choice_key(ticket, connector), record.to_string(), CHOICES_CAP);
    true
}

/// The opaque handle that stands for one of a source's records in the
/// panel's chooser, which the agent's pick sends back: a salted hash (the
/// install's secret salt) of the ticket, the connector and the record's id.
/// Only the background, which holds the salt and the records the tab's
/// lookups found, can tell which record it is (`record_for_handle`).
pub fn record_handle(salt: &str, ticket: &str, connector: &str, record: &str) -> String {
    crate::audit::subject_hash(salt, &format!("record\u{0}{ticket}\u{0}{connector}\u{0}{record}"))
}

/// The record among `records` (what the tab's lookups found with
/// `connector`) whose chooser handle is `handle`; `None` for anything else.
pub fn record_for_handle<'a>(salt: &str, ticket: &str, connector: &str, handle: &str, records: impl IntoIterator<Item = &'a str>) -> Option<String> {
    records.into_iter().find(|r| !handle.is_empty() && record_handle(salt, ticket, connector, r) == handle).map(str::to_string)
}

/// A chooser whose records are named by their handles, not their ids.
fn sealed(mut choice: MatchChoice, salt: &str, ticket: &str) -> MatchChoice {
    for o in &mut choice.options {
        o.record = record_handle(salt, ticket, &choice.connector, &o.record);
    }
    choice
}

/// One source's outcome for the identifier.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceOutcome {
    /// The connector's index in the settings.
    pub index: usize,
    pub result: Result<Selection, LookupError>,
    pub near_misses: usize,
    /// Follow-up requests sent for the record shown, and those that failed.
    pub related: usize,
    pub related_errors: Vec<RelatedError>,
}

/// A follow-up request that failed: what it was to fill (`deals`,
/// `company`: [`crate::connector::related_kinds`]; none when the requests
/// could not be made at all) and why. The panel names the block.
#[derive(Clone, Debug, PartialEq)]
pub struct RelatedError {
    pub into: Option<&'static str>,
    pub error: LookupError,
}

/// The panel's name for what a follow-up fills.
fn related_block(into: &str) -> Option<Msg> {
    Some(match into {
        "deals" => Msg::PanelDeals,
        "tickets" => Msg::PanelTickets,
        "notes" => Msg::PanelNotes,
        "orders" => Msg::PanelRecentOrders,
        "company" => Msg::FieldCompany,
        _ => return None,
    })
}

/// Per source, the record to show: the only one, the agent's choice for
/// this ticket, or the connector's rule's; else the agent is asked. Each
/// record is tagged with its connector's id.
pub fn select_records(settings: &Settings, ticket: &str, record_choices: &Choices, results: Vec<(usize, Result<Answer, LookupError>)>) -> Vec<SourceOutcome> {
    results
        .into_iter()
        .filter_map(|(index, result)| {
            let cfg = settings.connectors.get(index)?;
            let chosen = record_choices.iter().rev().find(|(k, _)| *k == record_choice_key(ticket, &cfg.id)).map(|(_, v)| v.as_str());
            let mut near_misses = 0;
            let result = result.map(|a| {
                near_misses = a.near_misses;
                let records = a.customers.into_iter().map(|c| Customer { connector: cfg.id.clone(), ..c }).collect();
                pick(records, cfg.pick, chosen)
            });
            Some(SourceOutcome { index, result, near_misses, related: 0, related_errors: Vec::new() })
        })
        .collect()
}

/// Merges every source's outcome into the panel's state and the audit
/// entries to append (the identifier as its kind and its hash with the
/// install's `salt`, never its value).
pub fn finish_panel(settings: &Settings, tab: &TabState, identifier: &Candidate, outcomes: Vec<SourceOutcome>, now_ms: f64, salt: &str) -> (PanelState, Vec<AuditEntry>) {
    let mut records: Vec<Customer> = Vec::new();
    let mut picks = Vec::new();
    let mut choices = Vec::new();
    let mut errors = Vec::new();
    let mut audit = Vec::new();
    let mut sources = Vec::new();
    let mut near_misses = 0;
    // The records not shown of sources that had several, to choose another.
    let mut others_of: Vec<MatchChoice> = Vec::new();
    // What this browser's agent may see: applied here, before the state leaves the background.
    let profile = settings.active_profile();
    for o in outcomes {
        let Some(cfg) = settings.connectors.get(o.index) else { continue };
        near_misses += o.near_misses;
        let outcome = match &o.result {
            Ok(Selection::None) => "not_found".to_string(),
            Ok(Selection::One { of, .. }) => format!("found:{of}"),
            Ok(Selection::Choose(all)) => format!("found:{}", all.len()),
            Err(e) => error_kind(e),
        };
        let entry = |action: &str, outcome: String, fields: Vec<String>| AuditEntry {
            at_ms: now_ms,
            connector: cfg.id.clone(),
            label: cfg.label.clone(),
            action: action.into(),
            id_kind: id_kind_name(identifier.kind),
            subject_hash: subject_hash(salt, &identifier.value),
            page_origin: tab.page_origin.clone(),
            fields,
            outcome,
            profile: profile.id.clone(),
        };
        let (lookup_fields, related_fields) = match &o.result {
            // Follow-ups fetched: theirs are listed on their own entry.
            Ok(Selection::One { record, .. }) if o.related > 0 => (returned_fields(std::slice::from_ref(record), LOOKUP_FIELDS), returned_fields(std::slice::from_ref(record), RELATED_FIELDS)),
            Ok(Selection::One { record, .. }) => (returned_fields(std::slice::from_ref(record), &[LOOKUP_FIELDS, RELATED_FIELDS].concat()), Vec::new()),
            Ok(Selection::Choose(all)) => (returned_fields(all, LOOKUP_FIELDS), Vec::new()),
            _ => (Vec::new(), Vec::new()),
        };
        audit.push(entry("lookup", outcome, lookup_fields));
        if o.related > 0 {
            let failed: Vec<String> = o.related_errors.iter().map(|r| error_kind(&r.error)).collect();
            audit.push(entry("related", if failed.is_empty() { format!("ok:{}", o.related) } else { format!("failed:{}", failed.join(",")) }, related_fields));
        }
        sources.push(cfg.label.clone());
        // A `labels` follow-up that failed leaves the field's value map (or
        // the raw ids) in place: audited above, not a block that failed.
        for r in o.related_errors.iter().filter(|r| r.into != Some("labels")) {
            let message = match r.into.and_then(related_block) {
                Some(block) => Text::new(Msg::PanelRelatedBlockFailed, [block.into(), r.error.user_message().into()]),
                None => Text::new(Msg::PanelRelatedFailed, [r.error.user_message().into()]),
            };
            errors.push(SourceError { message, ..SourceError::new(&cfg.label, &r.error) });
        }
        match o.result {
            Ok(Selection::None) => {}
            Ok(Selection::One { record, by, of, others }) => {
                // A record from the cache keeps when it was fetched.
                let fetched_ms = if record.fetched_ms > 0.0 { record.fetched_ms } else { now_ms };
                records.push(Customer { fetched_ms, ..record });
                picks.push((by, of));
                if !others.is_empty() {
                    others_of.push(sealed(MatchChoice::new(&cfg.id, &cfg.label, &others, &settings.fields, &profile), salt, &tab.ticket));
                }
            }
            Ok(Selection::Choose(all)) => choices.push(sealed(MatchChoice::new(&cfg.id, &cfg.label, &all, &settings.fields, &profile), salt, &tab.ticket)),
            Err(e) => errors.push(SourceError::new(&cfg.label, &e)),
        }
    }
    let alternatives = alternatives(tab, &profile);
    let kind = identifier.kind;
    let identifier = alternatives.iter().find(|a| a.value == identifier.value).cloned().unwrap_or_else(|| choice(identifier, &profile));
    let state = if !records.is_empty() || !choices.is_empty() {
        let customer = (!records.is_empty()).then(|| {
            let mut view = CustomerView::merge(&records, &picks, &settings.field_sources);
            for s in &mut view.sources {
                s.others = others_of.iter().find(|c| c.connector == s.connector).map(|c| c.options.clone()).unwrap_or_default();
            }
            view.vip = crate::vip::first_match(&settings.vip_rules, &view).map(|r| r.name.clone());
            if helpdesk_view(settings, tab) {
                view.helpdesk = true;
                order_tickets(&mut view.tickets);
            }
            let mut view = view.present(&settings.fields, &profile);
            // The panel names each shown record by its handle, as the
            // chooser does: a write sends it back and the background resolves it.
            for s in &mut view.sources {
                s.record = record_handle(salt, &tab.ticket, &s.connector, &s.record);
            }
            view
        });
        PanelState::Found { identifier, alternatives, customer, choices, errors, near_misses }
    } else if !errors.is_empty() {
        PanelState::Error { identifier, alternatives, errors }
    } else {
        let create = crate::panel::create_links(settings, &sources, &identifier.value);
        PanelState::NotFound { identifier, kind, alternatives, sources, near_misses, create }
    };
    (state, audit)
}

/// The record's fields filled by a follow-up request.
const RELATED_FIELDS: &[&str] = &["orders", "deals", "tickets", "notes"];
/// The record's own fields (what its lookup returned).
const LOOKUP_FIELDS: &[&str] = &[
    "name", "emails", "phones", "company", "title", "tier", "city", "country", "url", "updated", "created", "tags", "lifetime_value_minor", "custom",
];

/// The names of `fields` that hold something in any of `records`, never their values.
fn returned_fields(records: &[Customer], fields: &[&str]) -> Vec<String> {
    let values: Vec<serde_json::Value> = records.iter().filter_map(|r| serde_json::to_value(r).ok()).collect();
    let filled = |v: &serde_json::Value| !(v.is_null() || v.as_str() == Some("") || v.as_array().is_some_and(Vec::is_empty));
    fields.iter().filter(|f| values.iter().any(|v| v.get(**f).is_some_and(filled))).map(|f| f.to_string()).collect()
}

/// `email`, `phone`…: the kind's id.
fn id_kind_name(kind: IdKind) -> String {
    kind.id().to_string()
}

fn error_kind(e: &LookupError) -> String {
    serde_json::to_value(e).ok().and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string)).unwrap_or_else(|| "error".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ConnectorConfig, ConnectorKind};
    use crate::connector::{build_lookup, map_lookup, HttpResponse, Stamp};
    use crate::identify::{Field, Source};

    /// Connector `i`'s reading of an answer to its first request.
    fn read_attempt(s: &Settings, i: usize, id: &Candidate, resp: &HttpResponse) -> Result<Answer, LookupError> {
        map_lookup(&s.connectors[i], 0, id, "http://127.0.0.1:7000/api/v1/customers", resp)
    }

    fn read(s: &Settings, id: &Candidate, resp: HttpResponse) -> Result<Answer, LookupError> {
        read_attempt(s, 0, id, &resp)
    }

    fn settings(n: usize) -> Settings {
        Settings {
            connectors: (0..n)
                .map(|i| ConnectorConfig::demo(&format!("c{i}"), &format!("CRM {i}"), "http://127.0.0.1:7000", "k"))
                .collect(),
            sites: vec!["http://127.0.0.1/*".into()],
            ..Settings::default()
        }
    }

    fn scanned(s: &Settings) -> TabState {
        let snap = PageSnapshot { fields: vec![Field { source: Source::MailtoLink, text: "mailto:li.na@example.cn".into() }] };
        page_scanned(s, "http://127.0.0.1:8000/tickets/1", None, snap, &[]).0
    }

    #[test]
    fn a_tab_keeps_the_best_candidates_of_a_long_thread() {
        let s = settings(1);
        let thread: String = (0..MAX_CANDIDATES + 50).map(|i| format!("From: customer{i}@shop.example\n")).collect();
        let snap = PageSnapshot {
            fields: vec![
                Field { source: Source::Text, text: thread },
                Field { source: Source::RequesterField, text: "the.requester@example.cn".into() },
            ],
        };
        let (tab, r) = page_scanned(&s, "http://127.0.0.1:8000/tickets/1", None, snap, &[]);
        assert_eq!(r, Response::Scanned { show_panel: true, candidates: MAX_CANDIDATES, list: 0 });
        assert_eq!(tab.candidates.len(), MAX_CANDIDATES);
        assert_eq!(tab.candidates[0].value, "the.requester@example.cn");
    }

    #[test]
    fn a_page_read_again_keeps_its_panel_unless_the_customer_changed() {
        let s = settings(1);
        let url = "http://127.0.0.1:8000/tickets/1";
        let page = |fields: &[(Source, &str)]| PageSnapshot { fields: fields.iter().map(|&(source, t)| Field { source, text: t.into() }).collect() };
        let first = scanned(&s);
        // Read again after a re-render: other text, the same requester.
        let again = page(&[(Source::MailtoLink, "mailto:li.na@example.cn"), (Source::Text, "Order ORD-1, call 138 0013 8000")]);
        let (tab, r) = page_scanned(&s, url, Some(&first), again.clone(), &[]);
        assert_eq!(r, Response::Scanned { show_panel: false, candidates: 3, list: 0 });
        // Another requester on the same ticket: the panel reloads.
        let other = page(&[(Source::MailtoLink, "mailto:wang.wei@163.example")]);
        assert!(matches!(page_scanned(&s, url, Some(&tab), other, &[]).1, Response::Scanned { show_panel: true, .. }));
        // The same requester on another ticket, or nothing known of the tab: it shows.
        assert!(matches!(page_scanned(&s, "http://127.0.0.1:8000/tickets/2", Some(&tab), again.clone(), &[]).1, Response::Scanned { show_panel: true, .. }));
        assert!(matches!(page_scanned(&s, url, None, again, &[]).1, Response::Scanned { show_panel: true, .. }));
    }

    #[test]
    fn appends_merge_and_reload_the_panel_only_when_the_best_changes() {
        let s = settings(1);
        let url = "http://127.0.0.1:8000/tickets/1";
        let text = |t: &str| PageSnapshot { fields: vec![Field { source: Source::Text, text: t.into() }] };
        // A new message with a phone: joins the alternatives, the panel stays.
        let (tab, r) = page_appended(&s, url, Some(scanned(&s)), text("call me on 138 0013 8000"));
        let tab = tab.unwrap();
        // (The ticket number from the URL is a candidate too, ranked last.)
        assert_eq!(r, Response::Scanned { show_panel: false, candidates: 3, list: 0 });
        assert_eq!(tab.candidates[0].value, "li.na@example.cn");
        // The requester field rendered late: it wins, the panel reloads.
        let late = PageSnapshot { fields: vec![Field { source: Source::RequesterField, text: "wang.wei@163.example".into() }] };
        let (tab, r) = page_appended(&s, url, Some(tab), late.clone());
        assert_eq!(r, Response::Scanned { show_panel: true, candidates: 4, list: 0 });
        assert_eq!(tab.unwrap().candidates[0].value, "wang.wei@163.example");
        // Another ticket's state, or none: the content script must scan whole.
        assert!(matches!(page_appended(&s, "http://127.0.0.1:8000/tickets/2", Some(scanned(&s)), late.clone()), (None, Response::Rejected { .. })));
        assert!(matches!(page_appended(&s, url, None, late), (None, Response::Rejected { .. })));
    }

    #[test]
    fn a_panel_is_answered_only_with_its_tabs_token_in_its_first_frame() {
        let uuid = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
        let grant = new_grant(uuid).unwrap();
        assert_eq!(new_grant("short"), None);
        assert_eq!(new_grant("<script>alert(1)</script>-0123456789abcdef"), None);
        // No content script asked for a panel in this tab, or another token.
        assert!(check_panel(None, uuid, 3, None).is_err());
        assert!(check_panel(Some(&grant), "", 3, None).is_err());
        assert!(check_panel(Some(&grant), "1b4e28ba-2fa1-11d2-883f-0016d3cca428", 3, None).is_err());
        // The first frame that presents it binds it; only that frame is answered then.
        assert_eq!(check_panel(Some(&grant), uuid, 3, None), Ok(true));
        assert_eq!(check_panel(Some(&grant), uuid, 3, Some(3)), Ok(false));
        assert!(check_panel(Some(&grant), uuid, 4, Some(3)).is_err());
        assert_ne!(frame_key(uuid), panel_key(3));
    }

    #[test]
    fn tab_state_is_dropped_when_the_tab_leaves_the_configured_origin() {
        let s = settings(1);
        let tab = scanned(&s);
        assert!(tab_state_survives(&tab, Some("http://127.0.0.1:8000/tickets/2"), &s.sites));
        assert!(!tab_state_survives(&tab, Some("http://127.0.0.1:8001/tickets/1"), &s.sites), "another origin");
        assert!(!tab_state_survives(&tab, Some("http://localhost:8000/tickets/1"), &s.sites), "not a configured site");
        assert!(!tab_state_survives(&tab, None, &s.sites), "a page Deskside may not see");
    }

    #[test]
    fn a_table_alone_offers_the_chooser_and_the_agents_pick_is_looked_up() {
        let s = settings(1);
        let csv = "id,name,email\n1,Ava,ava@crest.example\n2,Liam,liam@crest.example\n";
        let text = |t: &str| PageSnapshot { fields: vec![Field { source: Source::Text, text: t.into() }] };
        let (tab, _) = page_scanned(&s, "http://127.0.0.1:8000/tickets/7", None, text(csv), &[]);
        match plan_panel(&s, Some(&tab), &vec![]) {
            PanelPlan::Done(PanelState::Choose { alternatives }) => {
                let values: Vec<&str> = alternatives.iter().map(|a| a.value.as_str()).collect();
                assert_eq!(values, ["ava@crest.example", "liam@crest.example"]);
            }
            _ => panic!("expected the chooser"),
        }
        // The agent's pick is looked up (and only it).
        let mut choices = Vec::new();
        remember_choice(&mut choices, &tab.ticket, "liam@crest.example");
        assert!(choice_allowed(&tab, "liam@crest.example"));
        match plan_panel(&s, Some(&tab), &choices) {
            PanelPlan::Lookup { identifier, chosen: true } => assert_eq!(identifier.value, "liam@crest.example"),
            _ => panic!("expected a lookup of the pick"),
        }
        // With the requester's own address outside the table, it is looked up.
        let (tab, _) = page_scanned(&s, "http://127.0.0.1:8000/tickets/7", None, text(&format!("From: Emma <emma@crest.example>\n\n{csv}")), &[]);
        match plan_panel(&s, Some(&tab), &vec![]) {
            PanelPlan::Lookup { identifier, chosen: false } => assert_eq!(identifier.value, "emma@crest.example"),
            _ => panic!("expected a lookup"),
        }
    }

    #[test]
    fn a_list_of_customers_is_not_looked_up() {
        let s = settings(1);
        let rows: Vec<String> = ["mia.fischer@globex.example", "li.na@yunfan-tech.example", "wang.wei@163.example", "li.na@yunfan-tech.example"]
            .iter()
            .enumerate()
            .map(|(i, e)| format!("#{} Where is my order? {e} Open", 1001 + i))
            .collect();
        let text = |t: &str| PageSnapshot { fields: vec![Field { source: Source::Text, text: t.into() }] };
        let (tab, r) = page_scanned(&s, "http://127.0.0.1:8000/tickets", None, text(&rows.join("\n")), &rows);
        assert_eq!(r, Response::Scanned { show_panel: true, candidates: 3, list: 3 });
        assert!(matches!(plan_panel(&s, Some(&tab), &vec![]), PanelPlan::Done(PanelState::ListPage { customers: 3 })));
        // A ticket with a small table (two rows), or an adapter's requester
        // field read, is about one customer.
        let (tab, _) = page_scanned(&s, "http://127.0.0.1:8000/tickets/1", None, text(&rows.join("\n")), &rows[..2]);
        assert_eq!(tab.list, 0);
        let mut ticket = text(&rows.join("\n"));
        ticket.fields.push(Field { source: Source::RequesterField, text: "mia.fischer@globex.example".into() });
        assert_eq!(page_scanned(&s, "http://127.0.0.1:8000/tickets/1", None, ticket, &rows).0.list, 0);
        // Rows that are not where the page's customer is (a ticket whose
        // sidebar lists colleagues' numbers) do not make it a list.
        let mut page = text("From: sam@prospect.example");
        page.fields.insert(0, Field { source: Source::MailtoLink, text: "mailto:sam@prospect.example".into() });
        let others: Vec<String> = (0..5).map(|i| format!("Desk {i}: +49 30 90182{i}")).collect();
        assert_eq!(page_scanned(&s, "http://127.0.0.1:8000/tickets/1", None, page, &others).0.list, 0);
    }

    #[test]
    fn crm_pages_are_the_admins_patterns_and_the_crm_adapters_pages() {
        let mut s = settings(1);
        s.crm_pages = vec!["http://127.0.0.1/crm/*".into()];
        assert!(crm_page(&s, "http://127.0.0.1:8642/crm/contacts/7", None));
        assert!(!crm_page(&s, "http://127.0.0.1:8642/tickets/strict/1001", None));
        // A CRM's adapter, where the content script found its detect selector.
        assert!(crm_page(&s, "https://app.hubspot.com/contacts/4242/record/0-1/5101", Some("hubspot")));
        assert!(crm_page(&s, "http://127.0.0.1:8642/contacts/4242/record/0-1/5101", Some("hubspot")));
        assert!(crm_page(&s, "https://acme.pipedrive.com/person/12", Some("pipedrive")));
        assert!(crm_page(&s, "https://crm.zoho.com/crm/org1/tab/Contacts/9", Some("zoho-crm")));
        assert!(crm_page(&s, "https://acme.lightning.force.com/lightning/r/Contact/003XX/view", Some("salesforce")));
        // A helpdesk's adapter, an adapter that does not apply to the URL, none.
        assert!(!crm_page(&s, "https://acme.zendesk.com/agent/tickets/4711", Some("zendesk")));
        assert!(!crm_page(&s, "https://acme.zendesk.com/agent/tickets/4711", Some("hubspot")), "a content script cannot make a ticket a CRM page");
        assert!(!crm_page(&s, "https://app.hubspot.com/contacts/4242/record/0-1/5101", None));
    }

    fn helpdesk(mut c: ConnectorConfig) -> ConnectorConfig {
        c.kind = ConnectorKind::Zendesk;
        c
    }

    #[test]
    fn on_a_crm_page_the_helpdesk_connectors_are_asked_and_not_the_crm_ones() {
        let mut s = settings(3);
        s.connectors[1] = helpdesk(s.connectors[1].clone());
        let ticket = scanned(&s);
        let crm = TabState { crm_page: true, ..ticket.clone() };
        assert_eq!(asked_connectors(&s, &ticket), [0, 1, 2], "a helpdesk page asks every source");
        assert_eq!(asked_connectors(&s, &crm), [1]);
        assert!(helpdesk_view(&s, &crm) && !helpdesk_view(&s, &ticket));
        // The generic connector's role is the admin's.
        s.connectors[2].kind = ConnectorKind::Generic;
        s.connectors[2].role = Some(ConnectorRole::Helpdesk);
        assert_eq!(asked_connectors(&s, &crm), [1, 2]);
        // A disabled helpdesk is not asked; with none, a CRM page is like any other.
        s.connectors[1].enabled = false;
        s.connectors[2].role = Some(ConnectorRole::Crm);
        assert_eq!(asked_connectors(&s, &crm), [0, 2]);
        assert!(!helpdesk_view(&s, &crm));
    }

    #[test]
    fn a_crm_page_lists_the_helpdesks_tickets_open_first_then_newest_first() {
        let mut s = settings(1);
        s.connectors[0] = helpdesk(s.connectors[0].clone());
        let tab = TabState { crm_page: true, ..scanned(&s) };
        let id = tab.candidates[0].clone();
        let t = |id: &str, status: &str, updated: Option<&str>| crate::model::Ticket { id: id.into(), subject: format!("s{id}"), status: status.into(), updated: updated.map(str::to_string), ..Default::default() };
        let record = Customer {
            id: "381001".into(),
            name: "Li Na".into(),
            tickets: vec![t("1", "solved", Some("2026-11-25")), t("2", "open", Some("2026-11-20")), t("3", "closed", None), t("4", "pending", Some("2026-11-23")), t("5", "open", None), t("6", "Closed", Some("2026-10-01"))],
            ..Customer::default()
        };
        let outcome = || vec![SourceOutcome { index: 0, result: Ok(Selection::One { record: record.clone(), by: None, of: 1, others: Vec::new() }), near_misses: 0, related: 0, related_errors: Vec::new() }];
        let (state, _) = finish_panel(&s, &tab, &id, outcome(), 1.0, SALT);
        let PanelState::Found { customer: Some(c), .. } = state else { panic!("expected found") };
        assert!(c.helpdesk);
        assert_eq!(c.tickets.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["4", "2", "5", "1", "6", "3"]);
        // On a ticket page the same record keeps the connector's order.
        let (state, _) = finish_panel(&s, &TabState { crm_page: false, ..tab.clone() }, &id, outcome(), 1.0, SALT);
        let PanelState::Found { customer: Some(c), .. } = state else { panic!("expected found") };
        assert!(!c.helpdesk);
        assert_eq!(c.tickets.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["1", "2", "3", "4", "5", "6"]);
    }

    #[test]
    fn the_merged_customer_gets_the_first_matching_vip_rules_name() {
        let mut s = settings(2);
        let rule = |name: &str, tiers: &[&str], tag: Option<&str>| crate::vip::VipRule { name: name.into(), tiers: tiers.iter().map(|t| t.to_string()).collect(), min_lifetime_value: None, min_open_tickets: None, min_complaints: None, tag: tag.map(str::to_string) };
        // The tier from one source, the tag from the other: the merged customer has both.
        s.vip_rules = vec![rule("Strategic", &["platinum"], Some("strategic")), rule("Gold tier", &["gold"], None)];
        let tab = scanned(&s);
        let id = tab.candidates[0].clone();
        let one = |i: usize, c: Customer| SourceOutcome { index: i, result: Ok(Selection::One { record: c, by: None, of: 1, others: Vec::new() }), near_misses: 0, related: 0, related_errors: Vec::new() };
        let vip = |a: Customer, b: Customer| match finish_panel(&s, &tab, &id, vec![one(0, a), one(1, b)], 1.0, SALT).0 {
            PanelState::Found { customer: Some(c), .. } => c.vip,
            other => panic!("{other:?}"),
        };
        let tier = |t: &str| Customer { id: "a".into(), tier: crate::model::VipTier::from_label(t), ..Customer::default() };
        let tagged = Customer { id: "b".into(), tags: vec!["Strategic".into()], ..Customer::default() };
        assert_eq!(vip(tier("platinum"), tagged.clone()).as_deref(), Some("Strategic"));
        assert_eq!(vip(tier("gold"), tagged.clone()).as_deref(), Some("Gold tier"));
        assert_eq!(vip(tier("silver"), tagged), None);
    }

    #[test]
    fn not_configured_and_no_identifier() {
        assert!(matches!(plan_panel(&settings(0), None, &vec![]), PanelPlan::Done(PanelState::NotConfigured)));
        assert!(matches!(plan_panel(&settings(1), Some(&TabState::default()), &vec![]), PanelPlan::Done(PanelState::NoIdentifier)));
    }

    #[test]
    fn merges_sources_and_audits_each() {
        let s = settings(2);
        let tab = scanned(&s);
        assert_eq!(tab.page_origin, "http://127.0.0.1:8000");
        let PanelPlan::Lookup { identifier, .. } = plan_panel(&s, Some(&tab), &vec![]) else { panic!("expected a lookup") };
        let requests: Vec<_> = s.connectors.iter().filter(|c| c.enabled).map(|c| build_lookup(c, None, &identifier, &Stamp::default())).collect();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].as_ref().unwrap()[0].url, "http://127.0.0.1:7000/api/v1/customers?email=li.na%40example.cn");
        let ok = HttpResponse { status: 200, body: r#"{"data":[{"id":"1","name":"Li Na","email":"li.na@example.cn"},{"id":"2","name":"Other","email":"li.na.2@example.cn"}]}"#.into(), ..Default::default() };
        let results = vec![(0, read(&s, &identifier, ok)), (1, Err(LookupError::Timeout))];
        let (state, audit) = finish_panel(&s, &tab, &identifier, select_records(&s, &tab.ticket, &vec![], results), 1.0, SALT);
        let PanelState::Found { customer: Some(customer), errors, near_misses, choices, .. } = state else { panic!("expected found") };
        assert_eq!(customer.name.as_deref(), Some("Li Na"));
        // The search's near miss (another address) is counted, not shown.
        assert_eq!((customer.sources.len(), near_misses, choices.len()), (1, 1, 0));
        assert_eq!((customer.sources[0].connector.as_str(), customer.sources[0].fetched_ms), ("c0", 1.0));
        assert_eq!(errors[0].source, "CRM 1");
        assert_eq!(audit.iter().map(|a| a.outcome.as_str()).collect::<Vec<_>>(), ["found:1", "timeout"]);
        assert_eq!((audit[0].connector.as_str(), audit[0].id_kind.as_str()), ("c0", "email"));
        assert_eq!(audit[0].subject_hash, crate::audit::subject_hash(SALT, "li.na@example.cn"));
        assert_eq!(audit[0].fields, ["name", "emails"]);
        assert!(audit[1].fields.is_empty());
        let stored = serde_json::to_string(&audit).unwrap();
        assert!(!stored.contains("li.na") && !stored.contains("example.cn"), "the identifier was stored: {stored}");
    }

    const SALT: &str = "3f1c0a3e-5d53-4a57-9f3c-0b4b8f0d2a11";

    #[test]
    fn the_agents_choice_wins_while_it_is_on_the_page() {
        let s = settings(1);
        let snap = PageSnapshot {
            fields: vec![
                Field { source: Source::MailtoLink, text: "mailto:li.na@example.cn".into() },
                Field { source: Source::Text, text: "cc: wang.wei@example.cn, 身份证 11010519491231002X".into() },
            ],
        };
        let tab = page_scanned(&s, "http://127.0.0.1:8000/tickets/1?tab=2#m", None, snap, &[]).0;
        assert_eq!(tab.ticket, "http://127.0.0.1:8000/tickets/1");
        assert!(choice_allowed(&tab, "wang.wei@example.cn"));
        assert!(!choice_allowed(&tab, "evil@attacker.example"));
        assert!(!choice_allowed(&tab, "11010519491231002X"), "identity numbers are not searched");
        let mut choices = Choices::new();
        remember_choice(&mut choices, "http://127.0.0.1:8000/tickets/9", "x@y.example");
        remember_choice(&mut choices, &tab.ticket, "wang.wei@example.cn");
        let PanelPlan::Lookup { identifier, .. } = plan_panel(&s, Some(&tab), &choices) else { panic!("expected a lookup") };
        assert_eq!(identifier.value, "wang.wei@example.cn");
        // Another ticket is unaffected.
        let other = TabState { ticket: "http://127.0.0.1:8000/tickets/2".into(), ..tab.clone() };
        let PanelPlan::Lookup { identifier, .. } = plan_panel(&s, Some(&other), &choices) else { panic!("expected a lookup") };
        assert_eq!(identifier.value, "li.na@example.cn");
        for i in 0..CHOICES_CAP + 3 {
            remember_choice(&mut choices, &format!("t{i}"), "v");
        }
        assert_eq!(choices.len(), CHOICES_CAP);
    }

    #[test]
    fn when_the_best_finds_nothing_the_next_kind_is_tried() {
        let s = settings(1);
        let snap = PageSnapshot {
            fields: vec![
                Field { source: Source::MailtoLink, text: "mailto:mia+orders@shop.example".into() },
                Field { source: Source::Text, text: "cc mia.2@shop.example, call 138 0013 8000, see /customers/cus_1001".into() },
            ],
        };
        let tab = page_scanned(&s, "http://127.0.0.1:8000/customers/cus_1001", None, snap, &[]).0;
        let PanelPlan::Lookup { identifier, chosen } = plan_panel(&s, Some(&tab), &vec![]) else { panic!("expected a lookup") };
        assert!(!chosen);
        let mut tried = vec![identifier];
        while let Some(next) = next_identifier(&tab, &tried, false) {
            tried.push(next);
        }
        // The address, without its tag, then the phone (another kind; not the
        // second address), then the id: at most three.
        let values: Vec<&str> = tried.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(values, ["mia+orders@shop.example", "mia@shop.example", "+8613800138000", "cus_1001"]);
        // The agent's own choice is not second-guessed (its plain form aside).
        assert_eq!(next_identifier(&tab, &tried[..2], true), None);
    }

    #[test]
    fn plus_tags_fall_back_to_the_plain_address() {
        let c = |v: &str| Candidate { kind: crate::identify::IdKind::Email, value: v.into(), source: Source::Text, score: 1, sensitive: false, label: None };
        assert_eq!(untagged(&c("mia+orders@shop.example")).map(|c| c.value).as_deref(), Some("mia@shop.example"));
        assert_eq!(untagged(&c("mia@shop.example")), None);
        assert_eq!(untagged(&c("+x@shop.example")), None);
        let phone = Candidate { kind: crate::identify::IdKind::Phone, ..c("+8613800138000") };
        assert_eq!(untagged(&phone), None);
    }

    #[test]
    fn the_shown_record_reaches_the_panel_as_a_handle_never_its_id() {
        let mut s = settings(2);
        // The admin hides the record row: nothing shown names the record.
        s.fields = vec![crate::config::FieldSetting { field: "record".into(), label: String::new(), shown: false }];
        let tab = scanned(&s);
        let id = tab.candidates[0].clone();
        let answer = |body: &str| HttpResponse { status: 200, body: body.into(), ..Default::default() };
        let crm = r#"{"data":[{"id":"cus_7001","name":"Li Na","email":"li.na@example.cn"}]}"#;
        let desk = r#"{"data":[{"id":"cus_7002","name":"Li Na","email":"li.na@example.cn","tier":"gold"}]}"#;
        let results = vec![(0, read(&s, &id, answer(crm))), (1, read_attempt(&s, 1, &id, &answer(desk)))];
        let (state, _) = finish_panel(&s, &tab, &id, select_records(&s, &tab.ticket, &vec![], results), 1.0, SALT);
        let PanelState::Found { customer: Some(c), .. } = &state else { panic!("{state:?}") };
        let handles: Vec<&str> = c.sources.iter().map(|x| x.record.as_str()).collect();
        assert_eq!(handles, [record_handle(SALT, &tab.ticket, "c0", "cus_7001"), record_handle(SALT, &tab.ticket, "c1", "cus_7002")]);
        // Nothing the panel receives holds a raw id.
        let json = serde_json::to_string(&state).unwrap();
        assert!(!json.contains("cus_700"), "{json}");
        // The background resolves each handle to its record, only for its own
        // connector and ticket; a raw id resolves to nothing.
        assert_eq!(record_for_handle(SALT, &tab.ticket, "c0", handles[0], ["cus_7001"]).as_deref(), Some("cus_7001"));
        assert_eq!(record_for_handle(SALT, &tab.ticket, "c1", handles[0], ["cus_7001", "cus_7002"]), None);
        assert_eq!(record_for_handle(SALT, "http://127.0.0.1:5555/tickets/2", "c0", handles[0], ["cus_7001"]), None);
        assert_eq!(record_for_handle(SALT, &tab.ticket, "c0", "cus_7001", ["cus_7001"]), None);
    }

    #[test]
    fn several_sources_make_one_view_and_several_matches_ask_the_agent() {
        let mut s = settings(2);
        s.field_sources = vec![("tier".into(), "c1".into())];
        let tab = scanned(&s);
        let id = tab.candidates[0].clone();
        let answer = |body: &str| HttpResponse { status: 200, body: body.into(), ..Default::default() };
        let crm = r#"{"data":[{"id":"a1","name":"Li Na","email":"li.na@example.cn","tier":"silver","company":{"name":"Yunfan"}}]}"#;
        let desk_two = r#"{"data":[{"id":"d1","name":"Li Na (old)","email":"li.na@example.cn"},{"id":"d2","name":"Li Na","email":"LI.NA@example.cn","tier":"gold","phone":"+8613800138000"}]}"#;
        let results = || vec![(0, read(&s, &id, answer(crm))), (1, read_attempt(&s, 1, &id, &answer(desk_two)))];
        // Two records in the second source and no rule: the first source's
        // record is shown, and the agent is asked about the second's.
        let (state, _) = finish_panel(&s, &tab, &id, select_records(&s, &tab.ticket, &vec![], results()), 1.0, SALT);
        let PanelState::Found { customer: Some(c), choices, .. } = &state else { panic!("{state:?}") };
        assert_eq!((c.sources.len(), choices.len(), choices[0].options.len()), (1, 1, 2));
        assert_eq!(choices[0].connector, "c1");
        // The chooser names the records by opaque handles, never their ids,
        // which only the background (the salt, the records found) resolves.
        let handles: Vec<&str> = choices[0].options.iter().map(|o| o.record.as_str()).collect();
        assert!(handles.iter().all(|h| h.len() == 32 && !["d1", "d2"].contains(h)), "{handles:?}");
        assert_eq!(record_for_handle(SALT, &tab.ticket, "c1", handles[1], ["d1", "d2"]).as_deref(), Some("d2"));
        assert_eq!(record_for_handle(SALT, &tab.ticket, "c1", handles[0], ["d1", "d2"]).as_deref(), Some("d1"));
        // Not for another connector, ticket or install, nor a record the lookups did not find.
        assert_eq!(record_for_handle(SALT, &tab.ticket, "c0", handles[1], ["d1", "d2"]), None);
        assert_eq!(record_for_handle(SALT, "http://127.0.0.1:8000/tickets/9", "c1", handles[1], ["d1", "d2"]), None);
        assert_eq!(record_for_handle("another-install-salt", &tab.ticket, "c1", handles[1], ["d1", "d2"]), None);
        assert_eq!(record_for_handle(SALT, &tab.ticket, "c1", handles[1], ["d1"]), None);
        assert_eq!(record_for_handle(SALT, &tab.ticket, "c1", "d2", ["d1", "d2"]), None);
        // The agent's choice, remembered for the ticket: one merged view.
        let mut chosen = Choices::new();
        remember_record(&mut chosen, &tab.ticket, "c1", "d2");
        let (state, _) = finish_panel(&s, &tab, &id, select_records(&s, &tab.ticket, &chosen, results()), 1.0, SALT);
        let PanelState::Found { customer: Some(c), choices, .. } = state else { panic!("expected found") };
        assert!(choices.is_empty());
        assert_eq!(c.sources.iter().map(|s| s.label.as_str()).collect::<Vec<_>>(), ["CRM 0", "CRM 1"]);
        assert_eq!(c.sources[1].picked, Some(crate::merge::PickedBy::Agent));
        // The other record stays offered, to choose another.
        let others: Vec<&str> = c.sources[1].others.iter().map(|o| o.record.as_str()).collect();
        assert_eq!(others, [record_handle(SALT, &tab.ticket, "c1", "d1")]);
        assert_eq!(c.sources[1].others[0].record_shown, "d1", "the id as the profile may see it");
        assert!(c.sources[0].others.is_empty());
        // Tier from the preferred source, the company from the one that has it.
        assert_eq!((c.tier_class.as_str(), c.tier_src, c.company.as_str(), c.company_src), ("gold", 1, "Yunfan", 0));
        // The same address in two sources is one row; the phone names its source.
        assert_eq!(c.details.iter().filter(|d| d.label == Msg::DetailEmail).count(), 1);
        assert!(c.details.iter().any(|d| d.label == Msg::DetailPhone && d.src == 1));
        // Another ticket does not inherit the choice.
        let (state, _) = finish_panel(&s, &tab, &id, select_records(&s, "other", &chosen, results()), 1.0, SALT);
        assert!(matches!(state, PanelState::Found { ref choices, .. } if choices.len() == 1));
    }

    #[test]
    fn a_failed_follow_up_is_named_by_the_block_it_was_to_fill() {
        // The preset's own numbering: a Zendesk user with an organization has
        // two follow-ups (tickets, company); without one, only the tickets.
        let mut s = settings(1);
        s.connectors[0].kind = ConnectorKind::Zendesk;
        let mut record = Customer { id: "381101".into(), ..Customer::default() };
        assert_eq!(crate::connector::related_kinds(&s.connectors[0], &record), ["tickets"]);
        record.refs.values.insert("/organization_id".into(), "3002".into());
        assert_eq!(crate::connector::related_kinds(&s.connectors[0], &record), ["tickets", "company"]);
        s.connectors[0].kind = ConnectorKind::HubSpot;
        assert_eq!(crate::connector::related_kinds(&s.connectors[0], &record), ["company", "labels", "labels", "deals", "tickets", "notes"]);

        let tab = scanned(&s);
        let id = tab.candidates[0].clone();
        let found = Customer { id: "501".into(), name: "Mia Fischer".into(), connector: "c0".into(), ..Customer::default() };
        let outcome = |errors: Vec<RelatedError>| SourceOutcome {
            index: 0,
            result: Ok(Selection::One { record: found.clone(), by: None, of: 1, others: Vec::new() }),
            near_misses: 0,
            related: 3,
            related_errors: errors,
        };
        let failed = vec![
            RelatedError { into: Some("deals"), error: LookupError::Unauthorized { status: 403 } },
            RelatedError { into: Some("company"), error: LookupError::Server { status: 500 } },
        ];
        let (state, audit) = finish_panel(&s, &tab, &id, vec![outcome(failed)], 1.0, "salt");
        let PanelState::Found { customer: Some(c), errors, .. } = state else { panic!("the record is still shown") };
        assert_eq!(c.name.as_deref(), Some("Mia Fischer"));
        let shown: Vec<String> = errors.iter().map(|e| crate::i18n::english(&e.message)).collect();
        assert_eq!(shown[0], "Deals could not be loaded: The CRM refused the API key (HTTP 403). Ask your admin to reconnect it on the options page.", "{shown:?}");
        assert!(shown[1].starts_with("Company could not be loaded: "), "{shown:?}");
        assert!(errors[0].needs_admin && !errors[0].retryable && errors[1].retryable);
        assert_eq!(audit.iter().map(|a| a.outcome.as_str()).collect::<Vec<_>>(), ["found:1", "failed:unauthorized,server"]);
        // A labels follow-up that failed is audited but not shown (the value map stands in);
        // a missing scope says what to grant.
        let scope = LookupError::MissingPermission { status: 403, scopes: vec!["crm.objects.deals.read".into()], detail: String::new() };
        let failed = vec![RelatedError { into: Some("labels"), error: LookupError::Server { status: 500 } }, RelatedError { into: Some("deals"), error: scope }];
        let (state, audit) = finish_panel(&s, &tab, &id, vec![outcome(failed)], 1.0, "salt");
        let PanelState::Found { errors, .. } = state else { panic!("expected found") };
        let shown: Vec<String> = errors.iter().map(|e| crate::i18n::english(&e.message)).collect();
        assert_eq!(shown, ["Deals could not be loaded: The CRM accepted the API key, but it lacks a permission this request needs: grant crm.objects.deals.read to the key (or its app) in the CRM's settings."]);
        assert!(errors[0].needs_admin && !errors[0].retryable);
        assert_eq!(audit[1].outcome, "failed:server,missing_permission");
        // Requests that could not be made at all name no block.
        let (state, _) = finish_panel(&s, &tab, &id, vec![outcome(vec![RelatedError { into: None, error: LookupError::Timeout }])], 1.0, "salt");
        let PanelState::Found { errors, .. } = state else { panic!("expected found") };
        assert!(crate::i18n::english(&errors[0].message).starts_with("some related records could not be loaded: "));
    }

    #[test]
    fn all_failed_is_an_error_and_none_found_is_not_found() {
        let s = settings(1);
        let tab = scanned(&s);
        let id = tab.candidates[0].clone();
        let (state, _) = finish_panel(&s, &tab, &id, select_records(&s, "t", &vec![], vec![(0, read(&s, &id, HttpResponse { status: 401, ..Default::default() }))]), 0.0, SALT);
        assert!(matches!(state, PanelState::Error { ref errors, .. } if errors[0].needs_admin));
        let (state, _) = finish_panel(&s, &tab, &id, select_records(&s, "t", &vec![], vec![(0, read(&s, &id, HttpResponse { status: 200, body: r#"{"data":[]}"#.into(), ..Default::default() }))]), 0.0, SALT);
        assert!(matches!(state, PanelState::NotFound { kind: IdKind::Email, .. }));
        // A customer ID from the page URL: not found names that kind.
        let by_id = Candidate { kind: IdKind::CustomerId, value: "cus_9".into(), source: crate::identify::Source::PageUrl, score: 1, sensitive: false, label: None };
        let (state, _) = finish_panel(&s, &tab, &by_id, select_records(&s, "t", &vec![], vec![(0, read(&s, &by_id, HttpResponse { status: 404, ..Default::default() }))]), 0.0, SALT);
        let PanelState::NotFound { kind, identifier, .. } = state else { panic!("expected not found") };
        assert_eq!(kind, IdKind::CustomerId);
        let text = crate::i18n::Text::new(crate::i18n::Msg::PanelNotFound, [kind.name_in_sentence().into(), "CRM 0".into()]);
        assert_eq!(crate::i18n::english(&text), "No customer with this customer ID in CRM 0.");
        assert_eq!(crate::i18n::english(&crate::i18n::Text::new(crate::i18n::Msg::IdLabel, [IdKind::CustomerId.name().into(), "cus_9".into()])), "Customer ID: cus_9");
        assert_eq!(identifier.label, crate::i18n::Arg::Text(crate::i18n::Text::new(crate::i18n::Msg::IdLabel, [IdKind::CustomerId.name().into(), "cus_9".into()])));
    }
}
