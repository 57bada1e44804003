//! What the panel shows: a state machine rendered by the panel page, with
//! every value masked here and every label a message id; the page renders
//! them, and amounts and dates, in its language.

use crate::connector::LookupError;
use crate::i18n::{currency_code, data, minor_unit_digits, Arg, Msg, Text};
use crate::identify::IdKind;
use crate::config::{FieldSetting, Profile};
use crate::mask::{mask_any, mask_contacts_in_text, mask_email, mask_numbers_in_text, mask_phone};
use crate::merge::{first_of, list_of, FieldSources, PickedBy};
use crate::model::{Customer, FieldType, VipTier};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum PanelState {
    /// No connector set up yet: link to the options page.
    NotConfigured,
    /// Nothing on the page identifies a customer.
    NoIdentifier,
    // `identifier` is what was looked up; `alternatives` every identifier on
    // the page the agent may switch to (it included), best first.
    /// `kind` names what was looked up ("No customer with this customer ID…").
    /// `near_misses`: records a fuzzy search returned that are not this
    /// identifier (another address that merely contains it), not shown.
    NotFound {
        identifier: IdentifierChoice,
        kind: IdKind,
        alternatives: Vec<IdentifierChoice>,
        sources: Vec<String>,
        #[serde(default)]
        near_misses: usize,
        /// Where the agent may create the customer (sources whose
        /// definition has a `create_url`).
        #[serde(default)]
        create: Vec<CreateLink>,
    },
    /// `customer`: every source with one record to show, merged (`None`
    /// while every source that found someone waits for the agent's choice);
    /// `choices`: the sources that found several records for the
    /// identifier and have no rule to pick by.
    Found {
        identifier: IdentifierChoice,
        alternatives: Vec<IdentifierChoice>,
        customer: Option<CustomerView>,
        choices: Vec<MatchChoice>,
        errors: Vec<SourceError>,
        #[serde(default)]
        near_misses: usize,
    },
    Error { identifier: IdentifierChoice, alternatives: Vec<IdentifierChoice>, errors: Vec<SourceError> },
    /// A page of many customers (a ticket list, a queue): nobody is looked up.
    ListPage { customers: usize },
    /// The page's identifiers are all in a table block (an export pasted
    /// into a ticket that shows no author): several people, none of them
    /// tied to the ticket. Nobody is looked up until the agent picks one of
    /// `alternatives` (best first).
    Choose { alternatives: Vec<IdentifierChoice> },
    /// The browser's side panel follows a tab that is not a configured site.
    NotASite,
}

/// An identifier the agent may pick: its value and how it is shown
/// (phone numbers masked like everywhere else in the panel; with the
/// admin's name or the kind's for the team's own ids).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IdentifierChoice {
    pub value: String,
    pub label: Arg,
}

/// One source that failed, while others may have answered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceError {
    pub source: String,
    pub message: Text,
    pub retryable: bool,
    /// The admin must act (key rejected, bad config): show "open settings".
    pub needs_admin: bool,
    /// The panel asks again after this many seconds, counting them down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_in_secs: Option<u32>,
    /// The source's record is shown from the cache, fetched then (ms since
    /// the epoch): the panel says how old it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_ms: Option<f64>,
    /// The connector's id: "Reconnect" opens the options page at it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub connector: String,
    /// The browser has not granted these origins (match patterns): the
    /// panel offers a button that asks for them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grant: Vec<String>,
}

/// "Create in Acme CRM": a source's link to a new record for the identifier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreateLink {
    pub source: String,
    /// https (or loopback) only: `weburl::outside_link`.
    pub url: String,
}

/// The "create in CRM" links for `value` of the enabled sources in
/// `sources` (their labels) whose definition has one.
pub fn create_links(settings: &crate::config::Settings, sources: &[String], value: &str) -> Vec<CreateLink> {
    settings
        .connectors
        .iter()
        .filter(|c| c.enabled && sources.contains(&c.label))
        .filter_map(|c| {
            let origin = c.base().ok()?.origin();
            let url = c.definition()?.create_link(&origin, value)?;
            Some(CreateLink { source: c.label.clone(), url })
        })
        .collect()
}

/// The permission patterns a connector's requests need (its API's origin,
/// and a token URL's on another origin).
pub fn connector_origins(cfg: &crate::config::ConnectorConfig) -> Vec<String> {
    let mut out: Vec<String> = cfg.base().ok().map(|b| b.permission_pattern()).into_iter().collect();
    out.extend(cfg.definition().and_then(|d| d.token_permission_from(&cfg.setup_values()).or_else(|| d.auth.token_permission())));
    out.dedup();
    out
}

/// The error of a source the browser may not reach: `missing` are the
/// patterns not granted; the lookup is not attempted.
pub fn permission_error(missing: &[String]) -> LookupError {
    LookupError::Network { message: permission_text(missing) }
}

/// "Deskside does not have access to crm.example.com yet…"
fn permission_text(missing: &[String]) -> Text {
    let hosts: Vec<&str> = missing.iter().map(|p| p.split("://").nth(1).unwrap_or(p).trim_end_matches("/*")).collect();
    Text::new(Msg::PanelNoPermission, [data(hosts.join(", "))])
}

/// Marks the errors of the sources in `missing` (connector index, patterns)
/// with the patterns to ask for, and every error with its connector's id.
pub fn mark_sources(settings: &crate::config::Settings, mut state: PanelState, missing: &[(usize, Vec<String>)]) -> PanelState {
    let errors = match &mut state {
        PanelState::Found { errors, .. } | PanelState::Error { errors, .. } => errors,
        _ => return state,
    };
    for e in errors.iter_mut() {
        let Some((i, cfg)) = settings.connectors.iter().enumerate().find(|(_, c)| c.label == e.source) else { continue };
        if e.connector.is_empty() {
            e.connector = cfg.id.clone();
        }
        if let Some((_, patterns)) = missing.iter().find(|(m, _)| *m == i) {
            e.grant = patterns.clone();
            e.retryable = false;
            e.message = permission_text(patterns);
        }
    }
    state
}

impl SourceError {
    pub fn new(source: &str, e: &LookupError) -> SourceError {
        SourceError {
            source: source.to_string(),
            message: e.user_message(),
            retryable: e.retryable(),
            needs_admin: matches!(e, LookupError::Unauthorized { .. } | LookupError::MissingPermission { .. } | LookupError::Config { .. }),
            retry_in_secs: None,
            stale_ms: None,
            connector: String::new(),
            grant: Vec::new(),
        }
    }
}

/// A customer ready to show, merged from one record per source: text only,
/// never markup. Labels are message ids; amounts and dates are raw,
/// formatted by the page for its language. Every value names its source by
/// its index in `sources`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerView {
    /// `None`: the record has no name.
    pub name: Option<String>,
    pub company: String,
    /// The tier's name (a known tier's message, or the CRM's own label).
    pub tier: Option<Arg>,
    /// A known tier's id for styling (`gold`), else empty.
    pub tier_class: String,
    /// The sources of the name, the company and the tier.
    pub name_src: usize,
    pub company_src: usize,
    pub tier_src: usize,
    /// Rows in display order.
    pub details: Vec<Detail>,
    pub tags: Vec<(String, usize)>,
    pub lifetime_value: Option<(Money, usize)>,
    /// The admin's own fields: `(label, value, type, source)`.
    pub custom: Vec<(String, String, FieldType, usize)>,
    pub orders: Vec<OrderView>,
    pub deals: Vec<DealView>,
    pub tickets: Vec<TicketView>,
    pub notes: Vec<NoteView>,
    /// The sources merged, in the settings' connector order.
    pub sources: Vec<SourceView>,
    /// The name of the first of the admin's VIP rules the customer matches
    /// ([`crate::vip`]): the panel's badge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vip: Option<String>,
    /// On a CRM contact page: the customer as the helpdesk knows them, their
    /// tickets (open first, newest first) the panel's main content.
    #[serde(default)]
    pub helpdesk: bool,
    /// The list blocks in the admin's order (empty: the usual order).
    #[serde(default)]
    pub blocks: Vec<Block>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Detail {
    pub label: Msg,
    pub value: String,
    pub src: usize,
    /// The field's key (`email`, `lifetime_value`, `custom:Member since`):
    /// what the admin orders, labels, hides and masks.
    #[serde(default)]
    pub field: String,
    /// The admin's label, shown instead of `label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// An amount (the lifetime value): formatted by the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub money: Option<Money>,
    /// An admin's own field: how its value is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<FieldType>,
}

impl Detail {
    pub fn new(label: Msg, value: String, src: usize) -> Detail {
        let field = match label {
            Msg::DetailEmail => "email",
            Msg::DetailPhone => "phone",
            Msg::DetailTitle => "title",
            Msg::DetailLocation => "location",
            Msg::DetailRecord => "record",
            Msg::DetailLifetimeValue => "lifetime_value",
            _ => "",
        };
        Detail { label, value, src, field: field.to_string(), caption: None, money: None, kind: None }
    }
}

/// A list block of the customer (`orders`, `deals`, `tickets`, `notes`) in
/// the admin's order, with the admin's heading if any.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
}

/// The list blocks in their usual order.
pub const BLOCKS: [&str; 4] = ["orders", "deals", "tickets", "notes"];

/// One source of a merged customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceView {
    pub label: String,
    pub connector: String,
    /// The record's id as `CustomerView::merge` makes it; in a panel state,
    /// an opaque handle for it instead (`flow::record_handle`, set by
    /// `finish_panel`): what a write from the panel sends back, which only
    /// the background resolves. Never shown.
    pub record: String,
    /// Link to the record; https (or loopback) only.
    pub url: Option<String>,
    /// When it was fetched (ms since the epoch).
    pub fetched_ms: f64,
    /// How the record was picked among `of` records the source returned.
    pub picked: Option<PickedBy>,
    pub of: usize,
    /// The source's other records for the identifier, to choose another.
    #[serde(default)]
    pub others: Vec<MatchOption>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealView {
    pub name: String,
    pub stage: String,
    pub amount: Option<Money>,
    pub close_date: Option<String>,
    pub url: Option<String>,
    pub src: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TicketView {
    pub id: String,
    pub subject: String,
    pub status: String,
    pub priority: String,
    pub updated: Option<String>,
    pub url: Option<String>,
    pub src: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoteView {
    pub text: String,
    pub date: Option<String>,
    pub author: Option<String>,
    pub src: usize,
}

/// Several records one source returned for the identifier, for the agent to
/// choose from ("3 matches in Acme CRM").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatchChoice {
    pub connector: String,
    pub source: String,
    pub options: Vec<MatchOption>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatchOption {
    /// What the agent's pick sends back: the record's id as `MatchChoice::new`
    /// makes it; in a panel state, an opaque handle for it instead
    /// (`flow::record_handle`, set by `finish_panel`), which only the
    /// background resolves. Never shown.
    pub record: String,
    /// Name, company, updated: what tells the records apart, as the profile
    /// may see them.
    pub name: Option<String>,
    pub company: String,
    pub updated: Option<String>,
    /// The record's id as the profile may see it: masked when it masks
    /// `record`, empty when the field is hidden.
    #[serde(default)]
    pub record_shown: String,
}

impl MatchChoice {
    /// The records to choose from as `profile` may see them (the fields'
    /// settings and the profile's hidden and masked fields, as
    /// [`CustomerView::present`] applies them): a name that is the record's
    /// email or phone masked when the profile masks or hides that field,
    /// the company hidden or masked, card and ID numbers masked with
    /// `mask_numbers`. Applied before the state leaves the background.
    pub fn new(connector: &str, source: &str, records: &[Customer], fields: &[FieldSetting], profile: &Profile) -> MatchChoice {
        let hidden = |key: &str| is_hidden(fields, profile, key);
        let guarded = |key: &str| hidden(key) || profile.masked.iter().any(|m| m == key);
        let numbers = |s: String| if profile.mask_numbers { mask_numbers_in_text(&s) } else { s };
        let option = |r: &Customer| {
            let emails = if guarded("email") { r.emails.as_slice() } else { &[] };
            let phones = if guarded("phone") { r.phones.as_slice() } else { &[] };
            let name = (!r.name.is_empty()).then(|| numbers(mask_contacts_in_text(&r.name, emails, phones)));
            let company = r.company.clone().unwrap_or_default();
            let company = if hidden("company") {
                String::new()
            } else if profile.masked.iter().any(|m| m == "company") {
                mask_any(&company)
            } else {
                numbers(company)
            };
            let record_shown = if hidden("record") {
                String::new()
            } else if profile.masked.iter().any(|m| m == "record") {
                mask_any(&r.id)
            } else {
                r.id.clone()
            };
            MatchOption { record: r.id.clone(), name, company, updated: r.updated.clone(), record_shown }
        };
        MatchChoice { connector: connector.to_string(), source: source.to_string(), options: records.iter().map(option).collect() }
    }
}

/// Whether the settings or the profile hide the field `key`.
fn is_hidden(fields: &[FieldSetting], profile: &Profile, key: &str) -> bool {
    profile.hidden.iter().any(|h| h == key) || fields.iter().any(|f| f.field == key && !f.shown)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderView {
    pub id: String,
    pub status: String,
    pub total: Option<Money>,
    /// As the CRM gave it (ISO 8601 dates are formatted by the page).
    pub date: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub src: usize,
}

/// An amount in minor units (`129900`, `CNY`, 2 digits = ¥1,299.00).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    /// An ISO 4217 code (`RMB` given as `CNY`), or `None` when the CRM gave
    /// none or no code: the page shows the number alone (then with the raw
    /// text in `unit`).
    pub currency: Option<String>,
    pub unit: Option<String>,
    /// Fraction digits of the currency's minor unit.
    pub digits: u32,
}

impl Money {
    pub fn new(minor: i64, currency: Option<&str>) -> Money {
        let code = currency.and_then(currency_code);
        let digits = code.as_deref().map_or(2, minor_unit_digits);
        let unit = match (&code, currency.map(str::trim)) {
            (None, Some(raw)) if !raw.is_empty() => Some(raw.to_string()),
            _ => None,
        };
        Money { minor, currency: code, unit, digits }
    }
}

fn tier_view(t: &VipTier) -> (Arg, String) {
    let known = |m: Msg, class: &str| (Arg::from(m), class.to_string());
    match t {
        VipTier::Platinum => known(Msg::TierPlatinum, "platinum"),
        VipTier::Gold => known(Msg::TierGold, "gold"),
        VipTier::Silver => known(Msg::TierSilver, "silver"),
        VipTier::Standard => known(Msg::TierStandard, "standard"),
        VipTier::Other(s) => (data(s), String::new()),
    }
}

impl CustomerView {
    /// One record's view (a single source).
    pub fn from_customer(c: &Customer) -> CustomerView {
        CustomerView::merge(std::slice::from_ref(c), &[(None, 1)], &FieldSources::new())
    }

    /// One view of `records` (one per source, in connector order; `picks`
    /// says for each how it was picked among how many), each field from the
    /// sources in the admin's order.
    pub fn merge(records: &[Customer], picks: &[(Option<PickedBy>, usize)], prefs: &FieldSources) -> CustomerView {
        let nonempty = |s: &str| (!s.trim().is_empty()).then(|| s.to_string());
        let name = first_of("name", records, prefs, |r| nonempty(&r.name));
        let company = first_of("company", records, prefs, |r| r.company.as_deref().and_then(nonempty));
        let tier = first_of("tier", records, prefs, |r| r.tier.clone());
        let mut details: Vec<Detail> = Vec::new();
        let mut push = |label: Msg, value: String, src: usize| {
            if !details.iter().any(|d| d.label == label && d.value.eq_ignore_ascii_case(&value)) {
                details.push(Detail::new(label, value, src));
            }
        };
        for (i, r) in records.iter().enumerate() {
            for e in &r.emails {
                push(Msg::DetailEmail, e.clone(), i);
            }
        }
        for (i, r) in records.iter().enumerate() {
            for p in &r.phones {
                // Masked (or not) by the profile: [`CustomerView::present`].
                push(Msg::DetailPhone, p.clone(), i);
            }
        }
        if let Some((t, i)) = first_of("title", records, prefs, |r| r.title.as_deref().and_then(nonempty)) {
            push(Msg::DetailTitle, t, i);
        }
        let place = first_of("location", records, prefs, |r| {
            let parts: Vec<&str> = [r.city.as_deref(), r.country.as_deref()].into_iter().flatten().filter(|s| !s.trim().is_empty()).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        });
        if let Some((p, i)) = place {
            push(Msg::DetailLocation, p, i);
        }
        for (i, r) in records.iter().enumerate() {
            if !r.id.is_empty() {
                push(Msg::DetailRecord, r.id.clone(), i);
            }
        }
        let tier_v = tier.as_ref().map(|(t, _)| tier_view(t));
        let mut tags: Vec<(String, usize)> = Vec::new();
        for (t, i) in list_of("tags", records, prefs, |r| &r.tags) {
            if !tags.iter().any(|(x, _)| x.eq_ignore_ascii_case(t)) {
                tags.push((t.clone(), i));
            }
        }
        let money = |m: Option<i64>, c: &Option<String>| m.map(|m| Money::new(m, c.as_deref()));
        CustomerView {
            name: name.as_ref().map(|n| n.0.clone()),
            name_src: name.map_or(0, |n| n.1),
            company: company.as_ref().map(|c| c.0.clone()).unwrap_or_default(),
            company_src: company.map_or(0, |c| c.1),
            tier_class: tier_v.as_ref().map(|t| t.1.clone()).unwrap_or_default(),
            tier: tier_v.map(|t| t.0),
            tier_src: tier.map_or(0, |t| t.1),
            details,
            tags,
            lifetime_value: first_of("lifetime_value", records, prefs, |r| money(r.lifetime_value_minor, &r.lifetime_currency)),
            custom: list_of("custom", records, prefs, |r| &r.custom).into_iter().map(|(f, i)| (f.label.clone(), f.value.clone(), f.kind, i)).collect(),
            orders: list_of("orders", records, prefs, |r| &r.orders)
                .into_iter()
                .map(|(o, src)| OrderView { id: o.id.clone(), status: o.status.clone(), total: money(o.total_minor, &o.currency), date: o.date.clone(), url: o.url.clone(), src })
                .collect(),
            deals: list_of("deals", records, prefs, |r| &r.deals)
                .into_iter()
                .map(|(d, src)| DealView { name: d.name.clone(), stage: d.stage.clone(), amount: money(d.amount_minor, &d.currency), close_date: d.close_date.clone(), url: d.url.clone(), src })
                .collect(),
            tickets: list_of("tickets", records, prefs, |r| &r.tickets)
                .into_iter()
                .map(|(t, src)| TicketView { id: t.id.clone(), subject: t.subject.clone(), status: t.status.clone(), priority: t.priority.clone(), updated: t.updated.clone(), url: t.url.clone(), src })
                .collect(),
            notes: list_of("notes", records, prefs, |r| &r.notes)
                .into_iter()
                .map(|(n, src)| NoteView { text: n.text.clone(), date: n.date.clone(), author: n.author.clone(), src })
                .collect(),
            sources: records
                .iter()
                .zip(picks.iter().chain(std::iter::repeat(&(None, 1))))
                .map(|(r, (picked, of))| SourceView { label: r.source.clone(), connector: r.connector.clone(), record: r.id.clone(), url: r.url.clone(), fetched_ms: r.fetched_ms, picked: *picked, of: *of, others: Vec::new() })
                .collect(),
            vip: None,
            helpdesk: false,
            blocks: Vec::new(),
        }
    }
}

/// A value masked the way its field is: an address partly, a phone number
/// like everywhere else, anything else in its middle.
pub fn mask_field(field: &str, value: &str) -> String {
    match field {
        "email" => mask_email(value),
        "phone" => mask_phone(value),
        _ => mask_any(value),
    }
}

impl CustomerView {
    /// The view as `profile` may see it, before it leaves the background:
    /// the rows (lifetime value and the admin's own fields among them) in
    /// the admin's order with the admin's labels; fields hidden by the
    /// settings or the profile removed; fields the profile masks masked;
    /// with `mask_numbers`, bank card and resident ID numbers masked in
    /// every text value. The panel (and its copy buttons) only ever gets this.
    pub fn present(mut self, fields: &[FieldSetting], profile: &Profile) -> CustomerView {
        let setting = |key: &str| fields.iter().find(|f| f.field == key);
        let hidden = |key: &str| profile.hidden.iter().any(|h| h == key) || setting(key).is_some_and(|f| !f.shown);
        let masked = |key: &str| profile.masked.iter().any(|m| m == key);
        let caption = |key: &str| setting(key).map(|f| f.label.clone()).filter(|l| !l.is_empty());
        // Every row, in the usual order.
        let mut rows = std::mem::take(&mut self.details);
        if let Some((m, src)) = self.lifetime_value.take() {
            rows.push(Detail { money: Some(m), ..Detail::new(Msg::DetailLifetimeValue, String::new(), src) });
        }
        for (label, value, kind, src) in std::mem::take(&mut self.custom) {
            rows.push(Detail { field: format!("{}{label}", crate::config::CUSTOM_PREFIX), caption: Some(label), kind: Some(kind), ..Detail::new(Msg::FieldCustom, value, src) });
        }
        // A name that is the customer's email or phone (a lead named by its
        // number) is masked as that field is, when the profile masks or hides it.
        if let Some(name) = &mut self.name {
            let guarded = |key: &str| hidden(key) || masked(key);
            let values = |key: &str| if guarded(key) { rows.iter().filter(|d| d.field == key).map(|d| d.value.clone()).collect() } else { Vec::new() };
            *name = mask_contacts_in_text(name, &values("email"), &values("phone"));
        }
        rows.retain(|d| !hidden(&d.field));
        // The admin's order first (stable: several emails keep theirs), the rest after.
        crate::sort::sort_by_key(&mut rows, |d| fields.iter().position(|f| f.field == d.field).unwrap_or(usize::MAX));
        for d in &mut rows {
            if let Some(c) = caption(&d.field) {
                d.caption = Some(c);
            }
            if masked(&d.field) && d.money.is_none() {
                d.value = mask_field(&d.field, &d.value);
            }
        }
        self.details = rows;
        if hidden("company") {
            self.company.clear();
        } else if masked("company") {
            self.company = mask_any(&self.company);
        }
        if hidden("tier") {
            self.tier = None;
            self.tier_class.clear();
        }
        if hidden("tags") {
            self.tags.clear();
        } else if masked("tags") {
            self.tags.iter_mut().for_each(|(t, _)| *t = mask_any(t));
        }
        let mut blocks: Vec<&str> = BLOCKS.to_vec();
        crate::sort::sort_by_key(&mut blocks, |b| fields.iter().position(|f| f.field == *b).unwrap_or(usize::MAX));
        self.blocks = blocks.into_iter().filter(|b| !hidden(b)).map(|b| Block { field: b.to_string(), caption: caption(b) }).collect();
        for b in BLOCKS.iter().filter(|b| hidden(b)) {
            match *b {
                "orders" => self.orders.clear(),
                "deals" => self.deals.clear(),
                "tickets" => self.tickets.clear(),
                _ => self.notes.clear(),
            }
        }
        if profile.mask_numbers {
            self.mask_numbers();
        }
        self
    }

    /// Bank card and resident ID numbers masked in every text value.
    fn mask_numbers(&mut self) {
        let m = |s: &mut String| *s = mask_numbers_in_text(s);
        if let Some(n) = &mut self.name {
            m(n);
        }
        m(&mut self.company);
        self.tags.iter_mut().for_each(|(t, _)| m(t));
        self.details.iter_mut().filter(|d| d.money.is_none()).for_each(|d| m(&mut d.value));
        for o in &mut self.orders {
            m(&mut o.id);
            m(&mut o.status);
        }
        for d in &mut self.deals {
            m(&mut d.name);
            m(&mut d.stage);
        }
        for t in &mut self.tickets {
            m(&mut t.id);
            m(&mut t.subject);
            m(&mut t.status);
            m(&mut t.priority);
        }
        for n in &mut self.notes {
            m(&mut n.text);
            if let Some(a) = &mut n.author {
                m(a);
            }
        }
        // The sources' other records come masked: `MatchChoice::new`.
    }
}

/// A ticket's status or priority as the shipped presets name them (Zendesk,
/// Freshdesk, HubSpot, Intercom map their values to "Open", "On-hold",
/// "Urgent"…), as a message, so the panel shows it in its language;
/// `None`: any other word (a HubSpot pipeline's own stage label, a generic
/// connector's value), shown as it came. Case and spaces around are ignored.
pub fn ticket_term(value: &str) -> Option<Msg> {
    let v = value.trim();
    const TERMS: [(&str, Msg); 18] = [
        ("new", Msg::TermNew),
        ("open", Msg::TermOpen),
        ("pending", Msg::TermPending),
        ("on-hold", Msg::TermOnHold),
        ("on hold", Msg::TermOnHold),
        ("solved", Msg::TermSolved),
        ("resolved", Msg::TermResolved),
        ("closed", Msg::TermClosed),
        ("snoozed", Msg::TermSnoozed),
        ("waiting on contact", Msg::TermWaitingOnContact),
        ("waiting on us", Msg::TermWaitingOnUs),
        ("low", Msg::TermLow),
        ("normal", Msg::TermNormal),
        ("medium", Msg::TermMedium),
        ("high", Msg::TermHigh),
        ("urgent", Msg::TermUrgent),
        ("priority", Msg::TermPriority),
        ("not priority", Msg::TermNotPriority),
    ];
    TERMS.iter().find(|(word, _)| v.eq_ignore_ascii_case(word)).map(|(_, m)| *m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Order;

    #[test]
    fn money_is_raw_minor_units_with_a_currency_code() {
        assert_eq!(Money::new(129900, Some("RMB")), Money { minor: 129900, currency: Some("CNY".into()), unit: None, digits: 2 });
        assert_eq!(Money::new(1299, Some("jpy")).digits, 0);
        assert_eq!(Money::new(5, Some("points")), Money { minor: 5, currency: None, unit: Some("points".into()), digits: 2 });
        assert_eq!(Money::new(5, None).unit, None);
    }

    #[test]
    fn view_masks_phones_and_names_labels() {
        let c = Customer {
            id: "cus_1".into(),
            name: "Li Na".into(),
            phones: vec!["+8613800138000".into()],
            tier: Some(VipTier::Gold),
            orders: vec![Order { id: "O1".into(), status: "paid".into(), total_minor: Some(100), currency: Some("CNY".into()), date: Some("2026-03-14".into()), url: None }],
            ..Default::default()
        };
        let v = CustomerView::from_customer(&c).present(&[], &crate::config::default_profiles()[0]);
        assert_eq!((v.tier, v.tier_class.as_str()), (Some(Arg::from(Msg::TierGold)), "gold"));
        assert!(v.details.contains(&Detail::new(Msg::DetailPhone, "+86 138****8000".into(), 0)));
        assert_eq!(v.orders[0].total.as_ref().map(|m| m.minor), Some(100));
        assert_eq!(v.orders[0].date.as_deref(), Some("2026-03-14"));
        let unnamed = CustomerView::from_customer(&Customer { tier: Some(VipTier::Other("Bronze".into())), ..Default::default() });
        assert!(unnamed.details.is_empty(), "no empty record id row");
        assert_eq!((unnamed.name, unnamed.tier, unnamed.tier_class.as_str()), (None, Some(data("Bronze")), ""));
    }
    fn rich() -> Customer {
        use crate::model::{CustomField, Note};
        Customer {
            id: "cus_1".into(),
            name: "Li Na".into(),
            company: Some("Acme Trading".into()),
            emails: vec!["li.na@example.cn".into()],
            phones: vec!["+8613800138000".into()],
            title: Some("Buyer".into()),
            lifetime_value_minor: Some(129900),
            lifetime_currency: Some("CNY".into()),
            custom: vec![
                CustomField { label: "Member since".into(), value: "2021-04-01".into(), kind: FieldType::Date },
                CustomField { label: "Payout card".into(), value: "6212 3456 7890 1265".into(), kind: FieldType::Text },
            ],
            notes: vec![Note { id: String::new(), text: "ID 11010519491231002X checked, card 4111111111111111 on file".into(), date: None, author: None }],
            orders: vec![Order { id: "O1".into(), status: "paid".into(), total_minor: Some(100), currency: Some("CNY".into()), date: None, url: None }],
            ..Default::default()
        }
    }

    fn demo_settings() -> crate::config::Settings {
        crate::config::Settings {
            connectors: vec![crate::config::ConnectorConfig::demo("c0", "Demo CRM", "http://127.0.0.1:7000", "k")],
            ..Default::default()
        }
    }

    fn profile(hidden: &[&str], masked: &[&str], numbers: bool) -> Profile {
        Profile { id: "agent".into(), hidden: hidden.iter().map(|s| s.to_string()).collect(), masked: masked.iter().map(|s| s.to_string()).collect(), mask_numbers: numbers }
    }

    fn rows(v: &CustomerView) -> Vec<(String, String)> {
        v.details.iter().map(|d| (d.caption.clone().unwrap_or_else(|| d.field.clone()), if d.money.is_some() { "money".into() } else { d.value.clone() })).collect()
    }

    #[test]
    fn the_usual_order_and_everything_in_full_for_an_open_profile() {
        let v = CustomerView::from_customer(&rich()).present(&[], &profile(&[], &[], false));
        assert_eq!(
            rows(&v),
            [
                ("email".into(), "li.na@example.cn".into()),
                ("phone".into(), "+8613800138000".into()),
                ("title".into(), "Buyer".into()),
                ("record".into(), "cus_1".into()),
                ("lifetime_value".into(), "money".into()),
                ("Member since".into(), "2021-04-01".into()),
                ("Payout card".into(), "6212 3456 7890 1265".into())
            ]
        );
        assert!(v.lifetime_value.is_none() && v.custom.is_empty(), "moved into the rows");
        assert_eq!(v.blocks.iter().map(|b| b.field.as_str()).collect::<Vec<_>>(), BLOCKS);
    }

    #[test]
    fn the_admin_orders_labels_and_hides_fields() {
        let f = |field: &str, label: &str, shown: bool| FieldSetting { field: field.into(), label: label.into(), shown };
        let fields = [f("custom:Member since", "Customer since", true), f("phone", "Mobile", true), f("title", "", false), f("notes", "Remarks", true), f("company", "", false)];
        let v = CustomerView::from_customer(&rich()).present(&fields, &profile(&["orders", "record"], &[], false));
        assert_eq!(rows(&v)[..3], [("Customer since".into(), "2021-04-01".into()), ("Mobile".into(), "+8613800138000".into()), ("email".into(), "li.na@example.cn".into())]);
        assert!(!rows(&v).iter().any(|(k, _)| k == "title" || k == "record"), "hidden by the settings and by the profile");
        assert_eq!(v.company, "");
        assert!(v.orders.is_empty());
        assert_eq!(v.blocks, [Block { field: "notes".into(), caption: Some("Remarks".into()) }, Block { field: "deals".into(), caption: None }, Block { field: "tickets".into(), caption: None }]);
    }

    #[test]
    fn the_profile_masks_before_the_view_leaves_the_background() {
        let agent = profile(&[], &["email", "phone", "company", "custom:Member since"], true);
        let v = CustomerView::from_customer(&rich()).present(&[], &agent);
        let json = serde_json::to_string(&v).unwrap();
        for whole in ["li.na@example.cn", "13800138000", "Acme Trading", "2021-04-01", "11010519491231002X", "4111111111111111", "6212 3456 7890 1265"] {
            assert!(!json.contains(whole), "{whole} left the background: {json}");
        }
        let r = rows(&v);
        assert_eq!(r[0].1, "l****@example.cn");
        assert_eq!(r[1].1, "+86 138****8000");
        assert_eq!(r[5].1, "20******01");
        assert_eq!(r[6].1, "**** **** **** 1265", "a card number in any text value");
        assert_eq!(v.company, "Ac********ng");
        assert_eq!(v.notes[0].text, "ID 1101**********002X checked, card ************1111 on file");
        // The same customer for a team lead without number masking: in full.
        let lead = CustomerView::from_customer(&rich()).present(&[], &profile(&[], &[], false));
        assert_eq!(lead.notes[0].text, rich().notes[0].text);
        assert_eq!(rows(&lead)[1].1, "+8613800138000");
    }

    #[test]
    fn the_chooser_shows_the_records_as_the_profile_may_see_them() {
        // Two records for one number: one named by that number (CRMs name a
        // lead so), one with a card number in its company.
        let by_number = Customer { id: "lead_77".into(), name: "138 0013 8000".into(), phones: vec!["+8613800138000".into()], company: Some("Acme Trading".into()), ..Default::default() };
        let by_mail = Customer { id: "cus_1".into(), name: "li.na@example.cn".into(), emails: vec!["li.na@example.cn".into()], company: Some("Card 4111111111111111".into()), ..Default::default() };
        let records = [by_number.clone(), by_mail.clone()];
        let agent = profile(&[], &["email", "phone", "company", "record"], true);
        let c = MatchChoice::new("c0", "Demo CRM", &records, &[], &agent);
        let json = serde_json::to_string(&c.options.iter().map(|o| (&o.name, &o.company, &o.record_shown)).collect::<Vec<_>>()).unwrap();
        for whole in ["13800138000", "138 0013 8000", "li.na@example.cn", "Acme Trading", "4111111111111111", "lead_77"] {
            assert!(!json.contains(whole), "{whole} shown in the chooser: {json}");
        }
        assert_eq!(c.options[0].name.as_deref(), Some("138****8000"));
        assert_eq!(c.options[1].name.as_deref(), Some("l****@example.cn"));
        assert_eq!((c.options[0].company.as_str(), c.options[0].record_shown.as_str()), ("Ac********ng", "l*****7"));
        assert_eq!(c.options[0].record, "lead_77", "the pick still names the record");
        // Hidden fields: the company and the id are not shown; a name that is a hidden phone is masked.
        let hiding = profile(&["phone", "company", "record"], &[], false);
        let c = MatchChoice::new("c0", "Demo CRM", &records, &[], &hiding);
        assert_eq!((c.options[0].name.as_deref(), c.options[0].company.as_str(), c.options[0].record_shown.as_str()), (Some("138****8000"), "", ""));
        assert_eq!(c.options[1].name.as_deref(), Some("li.na@example.cn"), "email neither masked nor hidden");
        // Only numbers masked: the card in the company, nothing else.
        let c = MatchChoice::new("c0", "Demo CRM", &records, &[], &profile(&[], &[], true));
        assert_eq!((c.options[1].company.as_str(), c.options[0].name.as_deref(), c.options[0].record_shown.as_str()), ("Card ************1111", Some("138 0013 8000"), "lead_77"));
        // The admin's field settings hide too.
        let f = FieldSetting { field: "company".into(), label: String::new(), shown: false };
        assert_eq!(MatchChoice::new("c0", "Demo CRM", &records, &[f], &profile(&[], &[], false)).options[0].company, "");
        // The main view's name, when it is the masked phone, is masked the same way.
        let v = CustomerView::from_customer(&by_number).present(&[], &agent);
        assert_eq!(v.name.as_deref(), Some("138****8000"));
        let v = CustomerView::from_customer(&by_number).present(&[], &profile(&[], &[], false));
        assert_eq!(v.name.as_deref(), Some("138 0013 8000"));
    }

    #[test]
    fn not_found_offers_the_presets_create_link_with_the_identifier_encoded() {
        let s = demo_settings();
        let links = create_links(&s, &["Demo CRM".into()], "li na+x@example.cn");
        assert_eq!(links, vec![CreateLink { source: "Demo CRM".into(), url: "http://127.0.0.1:7000/crm/customers/new?email=li%20na%2Bx%40example.cn".into() }]);
        assert!(create_links(&s, &["Other".into()], "a@b.example").is_empty(), "only the sources that were asked");
    }

    #[test]
    fn create_templates_are_checked() {
        let def = |t: &str| {
            let mut v: serde_json::Value = serde_json::from_str(include_str!("../connectors/demo_crm.json")).unwrap();
            v["create_url"] = serde_json::json!(t);
            crate::connector::def::Definition::parse(&v.to_string())
        };
        assert!(def("https://crm.example.com/new?e={value}").is_ok());
        for bad in ["http://crm.example.com/new", "{origin}/new?x={id}", "https://{value}.example/new", "javascript:alert(1)//{origin}/", "https://crm.example.com/{origin}"] {
            let errs = def(bad).expect_err(bad);
            assert!(errs.iter().any(|e| e.path == "create_url"), "{bad}: {errs:?}");
        }
    }

    #[test]
    fn permission_and_connector_marks() {
        let s = demo_settings();
        let cfg = &s.connectors[0];
        assert_eq!(connector_origins(cfg), vec!["http://127.0.0.1/*".to_string()]);
        let e = permission_error(&["https://crm.example.com/*".into()]);
        assert_eq!(e.user_message().id, Msg::ErrNetwork);
        let state = PanelState::Error {
            identifier: IdentifierChoice { value: "a@b.example".into(), label: data("a@b.example") },
            alternatives: vec![],
            errors: vec![SourceError::new("Demo CRM", &e), SourceError::new("Gone", &e)],
        };
        let PanelState::Error { errors, .. } = mark_sources(&s, state, &[(0, vec!["https://crm.example.com/*".into()])]) else { panic!() };
        assert_eq!((errors[0].connector.as_str(), errors[0].grant.clone(), errors[0].retryable), ("c0", vec!["https://crm.example.com/*".to_string()], false));
        assert_eq!(errors[0].message, Text::new(Msg::PanelNoPermission, [data("crm.example.com")]), "said plainly, not as a network error");
        assert_eq!((errors[1].connector.as_str(), errors[1].grant.len()), ("", 0), "an unknown source is left alone");
    }
}

#[cfg(test)]
mod ticket_term_tests {
    use super::ticket_term;
    use crate::i18n::Msg;

    /// Every status and priority word a shipped preset maps a vendor's value
    /// to has its message, whose English text is that very word (the English
    /// panel shows what it showed before).
    #[test]
    fn every_preset_ticket_word_is_a_message() {
        let en: serde_json::Value = serde_json::from_str(include_str!("../../../extension/_locales/en/messages.json")).expect("the English catalog");
        let mut seen = 0;
        for (name, def) in [
            ("zendesk", include_str!("../connectors/zendesk.json")),
            ("freshdesk", include_str!("../connectors/freshdesk.json")),
            ("hubspot", include_str!("../connectors/hubspot.json")),
            ("intercom", include_str!("../connectors/intercom.json")),
        ] {
            let def: serde_json::Value = serde_json::from_str(def).expect("a preset definition");
            for field in ["status", "priority"] {
                let map = def["map"]["tickets"][field]["map"].as_object().unwrap_or_else(|| panic!("{name}: no tickets.{field} map"));
                for word in map.values().map(|w| w.as_str().expect("a word")) {
                    let m = ticket_term(word).unwrap_or_else(|| panic!("{name}: {field} {word:?} has no message"));
                    assert_eq!(en[m.key()]["message"].as_str(), Some(word), "{name}: {field} {word:?}");
                    seen += 1;
                }
            }
        }
        assert!(seen >= 20, "{seen}");
    }

    #[test]
    fn case_and_spaces_ignored_other_words_as_they_came() {
        assert_eq!(ticket_term(" urgent "), Some(Msg::TermUrgent));
        assert_eq!(ticket_term("ON HOLD"), Some(Msg::TermOnHold));
        assert_eq!(ticket_term("On-hold"), Some(Msg::TermOnHold));
        for other in ["", "Appointment Scheduled", "opened", "待处理", "4", "high priority"] {
            assert_eq!(ticket_term(other), None, "{other:?}");
        }
    }
}
