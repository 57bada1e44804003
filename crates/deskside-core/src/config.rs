//! The one settings model: what the admin configures on the options page,
//! how it is validated, stored and shown back without its secrets.

use crate::identify::IdKind;
use crate::i18n::{data, LanguageSetting, Msg, Text};
use crate::idpattern::Pattern;
use crate::phone::normalize_phone;
use crate::secret::{Secret, SecretState};
use crate::weburl::{validate_match_pattern, BaseUrl};
use crate::connector::def::Definition;
use crate::connector::engine::Secrets;
use crate::merge::{FieldSources, PickPolicy, ORDERED_FIELDS};
use crate::vip::{VipRule, VipRuleInput};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Bumped when the stored shape changes; [`Settings::from_stored`] migrates.
pub const SETTINGS_VERSION: u32 = 1;
/// The `storage.local` key the settings live under (background only).
pub const SETTINGS_KEY: &str = "settings";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub version: u32,
    pub connectors: Vec<ConnectorConfig>,
    /// Match patterns of the helpdesk/CRM pages the panel appears on.
    pub sites: Vec<String>,
    /// The team's own email domains: never taken as the customer.
    pub team_domains: Vec<String>,
    /// The team's own phone numbers (E.164): never taken as the customer.
    pub team_phones: Vec<String>,
    /// ISO 3166 region for numbers written without a country code.
    pub default_region: String,
    /// The admin's own identifier patterns (order numbers, customer ids…).
    /// Absent in settings stored before they existed: empty then.
    pub id_patterns: Vec<IdPattern>,
    /// The language of the pages; "auto" (the browser's) when absent.
    pub language: LanguageSetting,
    /// The panel opens expanded on sites where the agent has not chosen
    /// yet (else collapsed to a small tab until the agent expands it).
    pub panel_opens_expanded: bool,
    /// Show the customer in the browser's own side panel (Chrome's side
    /// panel, Firefox's sidebar), which never covers the page, instead of
    /// the panel on the page.
    pub side_panel: bool,
    /// The preferred source per field of the merged customer:
    /// `(field, connector id)`; other fields follow the connectors' order.
    pub field_sources: FieldSources,
    /// How long an answer is shown again without asking the CRM (seconds;
    /// 0: always asked, the last answer shown meanwhile).
    pub cache_ttl_secs: u32,
    /// Agents whose browsers share each API key: the vendor's rate limit is
    /// divided among them.
    pub agents_per_key: u32,
    /// The toolbar badge warns when a connector's failed requests over the
    /// last hour reach this percentage (of at least
    /// [`crate::monitor::BADGE_MIN_REQUESTS`]).
    pub badge_failure_percent: u32,
    /// An HTTPS endpoint (loopback `http:` too) the audit trail is forwarded
    /// to in batches ([`crate::forward`]); empty: not forwarded.
    pub audit_forward_url: String,
    /// The admin's VIP rules, in order: the panel's badge names the first
    /// one the merged customer matches.
    pub vip_rules: Vec<VipRule>,
    /// Match patterns of CRM contact pages (besides the site adapters'
    /// CRM pages): there the panel shows the contact's helpdesk tickets.
    /// Each is also one of `sites`.
    pub crm_pages: Vec<String>,
    /// The panel's fields: order, labels, shown or not (issue 22). Fields
    /// not listed follow in their usual order.
    pub fields: Vec<FieldSetting>,
    /// Per profile, which fields are hidden and which masked.
    pub profiles: Vec<Profile>,
    /// This browser's profile (an id of `profiles`).
    pub profile: String,
    /// The passcode that guards the profile, as a salted hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_lock: Option<PasscodeHash>,
}

/// The badge's failure threshold when the admin has not set one.
pub const DEFAULT_BADGE_FAILURE_PERCENT: u32 = 50;

/// The cache TTL when the admin has not set one: ten minutes.
pub const DEFAULT_CACHE_TTL_SECS: u32 = 600;
/// Longest cache TTL: a day.
pub const MAX_CACHE_TTL_SECS: u32 = 86_400;
/// Most agents sharing one key.
pub const MAX_AGENTS_PER_KEY: u32 = 10_000;

/// An identifier pattern the admin defined: what it finds, the name shown
/// for it, and the pattern (the language of [`crate::idpattern`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdPattern {
    /// One of [`IdKind::CUSTOM`].
    pub kind: IdKind,
    pub label: String,
    pub pattern: String,
}

/// At most this many identifier patterns.
pub const MAX_ID_PATTERNS: usize = 20;
/// Longest pattern label, in characters.
pub const MAX_ID_LABEL: usize = 40;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            version: SETTINGS_VERSION,
            connectors: Vec::new(),
            sites: Vec::new(),
            team_domains: Vec::new(),
            team_phones: Vec::new(),
            default_region: "CN".into(),
            id_patterns: Vec::new(),
            language: LanguageSetting::Auto,
            panel_opens_expanded: false,
            side_panel: false,
            field_sources: Vec::new(),
            cache_ttl_secs: DEFAULT_CACHE_TTL_SECS,
            agents_per_key: 1,
            badge_failure_percent: DEFAULT_BADGE_FAILURE_PERCENT,
            audit_forward_url: String::new(),
            vip_rules: Vec::new(),
            crm_pages: Vec::new(),
            fields: Vec::new(),
            profiles: default_profiles(),
            profile: PROFILE_AGENT.into(),
            profile_lock: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectorConfig {
    /// Stable id, used in the audit log and to keep a key across edits.
    pub id: String,
    pub kind: ConnectorKind,
    pub label: String,
    pub base_url: String,
    /// The secret of auth kinds with one key (`api_key`); absent in a
    /// configuration file exported without secrets.
    #[serde(default)]
    pub api_key: Secret,
    /// The other secrets an auth kind needs (`client_id`, `client_secret`,
    /// `username`, `password`), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub secrets: BTreeMap<String, Secret>,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// The generic connector's definition, as the admin wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<Definition>,
    /// What to show when its search returns several records.
    #[serde(default)]
    pub pick: PickPolicy,
    /// The one host (an intranet CRM) the admin accepted sending the key to
    /// over plain `http:`; any other `http:` host stays refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plain_http_host: Option<String>,
    /// The values the address was built from (a preset's setup fields:
    /// `subdomain`, `dc`), shown back on the options page.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub setup: BTreeMap<String, String>,
    /// The generic connector's role as the admin chose it (a preset's is
    /// its kind's): [`ConnectorConfig::role`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<ConnectorRole>,
}

/// What a connector's system is: a CRM (its record is shown on helpdesk
/// pages) or a helpdesk (its tickets are shown on CRM contact pages).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectorRole {
    #[default]
    Crm,
    Helpdesk,
}

impl ConnectorRole {
    pub fn id(self) -> &'static str {
        match self {
            ConnectorRole::Crm => "crm",
            ConnectorRole::Helpdesk => "helpdesk",
        }
    }

    pub fn parse(s: &str) -> Option<ConnectorRole> {
        [ConnectorRole::Crm, ConnectorRole::Helpdesk].into_iter().find(|r| r.id() == s)
    }
}

impl ConnectorKind {
    /// A preset's role: Zendesk and Freshdesk are helpdesks; the generic
    /// connector's is the admin's choice (`None` here).
    pub fn role(self) -> Option<ConnectorRole> {
        match self {
            ConnectorKind::Zendesk | ConnectorKind::Freshdesk => Some(ConnectorRole::Helpdesk),
            ConnectorKind::Generic => None,
            _ => Some(ConnectorRole::Crm),
        }
    }
}

impl ConnectorConfig {
    /// Its role: the preset's, or the admin's choice for the generic
    /// connector (a CRM unless said otherwise).
    pub fn role(&self) -> ConnectorRole {
        self.kind.role().or(self.role).unwrap_or_default()
    }

    /// A demo-CRM connector with one API key, enabled: what tests and fuzz
    /// targets start from (`..ConnectorConfig::demo(…)` for the rest).
    pub fn demo(id: &str, label: &str, base_url: &str, key: &str) -> ConnectorConfig {
        ConnectorConfig {
            id: id.into(),
            kind: ConnectorKind::DemoCrm,
            label: label.into(),
            base_url: base_url.into(),
            api_key: Secret::new(key),
            secrets: BTreeMap::new(),
            enabled: true,
            definition: None,
            pick: PickPolicy::Ask,
            plain_http_host: None,
            setup: BTreeMap::new(),
            role: None,
        }
    }

    /// The base URL requests go to: `https:` (or loopback `http:`), or plain
    /// `http:` to the one host the admin accepted.
    pub fn base(&self) -> Result<BaseUrl, crate::weburl::UrlError> {
        base_url(&self.base_url, self.plain_http_host.as_deref())
    }

    /// The definition this connector runs: a shipped preset's, or the admin's.
    pub fn definition(&self) -> Option<&Definition> {
        match self.kind {
            ConnectorKind::Generic => self.definition.as_ref(),
            preset => crate::connector::presets::definition(preset),
        }
    }

    /// The setup values its address was built from (kept on save, or read
    /// back from a typed base URL of the template's form): a token URL may be
    /// made of them too (Zoho's data centre).
    pub fn setup_values(&self) -> BTreeMap<String, String> {
        // Those kept win; the base URL's own are read back from it when not
        // kept (a typed base URL keeps only the values for record links).
        let mut out = match (self.definition(), self.base()) {
            (Some(d), Ok(b)) => d.setup_from_base(&b),
            _ => BTreeMap::new(),
        };
        out.extend(self.setup.clone());
        out
    }

    /// Every secret by name (`api_key` included), for building requests.
    pub fn all_secrets(&self) -> Secrets {
        let mut all = self.secrets.clone();
        if !self.api_key.is_empty() {
            all.insert("api_key".into(), self.api_key.clone());
        }
        all
    }
}

fn yes() -> bool {
    true
}

/// The systems Deskside knows how to talk to. Each one is a declarative
/// preset in [`crate::connector`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectorKind {
    /// The demo CRM served by `deskside-demo` (and any API of the same shape).
    DemoCrm,
    HubSpot,
    Salesforce,
    Zendesk,
    Freshdesk,
    Pipedrive,
    ZohoCrm,
    Intercom,
    /// Any REST API, described by the admin's own definition.
    Generic,
}

impl ConnectorKind {
    /// The stored name, as in the options form's `<select>`.
    pub fn id(self) -> &'static str {
        match self {
            ConnectorKind::DemoCrm => "demo_crm",
            ConnectorKind::HubSpot => "hubspot",
            ConnectorKind::Salesforce => "salesforce",
            ConnectorKind::Zendesk => "zendesk",
            ConnectorKind::Freshdesk => "freshdesk",
            ConnectorKind::Pipedrive => "pipedrive",
            ConnectorKind::ZohoCrm => "zoho_crm",
            ConnectorKind::Intercom => "intercom",
            ConnectorKind::Generic => "generic",
        }
    }

    /// Every kind, as in the options form's `<select>`.
    pub const ALL: [ConnectorKind; 9] = [
        ConnectorKind::DemoCrm,
        ConnectorKind::HubSpot,
        ConnectorKind::Salesforce,
        ConnectorKind::Zendesk,
        ConnectorKind::Freshdesk,
        ConnectorKind::Pipedrive,
        ConnectorKind::ZohoCrm,
        ConnectorKind::Intercom,
        ConnectorKind::Generic,
    ];

    pub fn parse(s: &str) -> Option<ConnectorKind> {
        ConnectorKind::ALL.into_iter().find(|k| k.id() == s)
    }

    pub fn display_name(self) -> &'static str {
        match self {
            ConnectorKind::DemoCrm => "Deskside demo CRM",
            ConnectorKind::HubSpot => "HubSpot",
            ConnectorKind::Salesforce => "Salesforce",
            ConnectorKind::Zendesk => "Zendesk Support",
            ConnectorKind::Freshdesk => "Freshdesk",
            ConnectorKind::Pipedrive => "Pipedrive",
            ConnectorKind::ZohoCrm => "Zoho CRM",
            ConnectorKind::Intercom => "Intercom",
            ConnectorKind::Generic => "REST API",
        }
    }
}

/// What the options page submits. A connector's `api_key` left empty keeps
/// the stored one, so the page never needs to hold a saved key.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SettingsInput {
    pub connectors: Vec<ConnectorInput>,
    pub sites: Vec<String>,
    pub team_domains: Vec<String>,
    pub team_phones: Vec<String>,
    pub default_region: String,
    /// One per row of the form; rows with neither label nor pattern are
    /// ignored, and errors name the row's index (`id_patterns.2.pattern`).
    pub id_patterns: Vec<IdPatternInput>,
    /// `auto`, `en` or `zh_CN`; empty means `auto`.
    pub language: String,
    pub panel_opens_expanded: bool,
    pub side_panel: bool,
    /// `(field, connector id)`; an empty connector id means none preferred.
    pub field_sources: Vec<(String, String)>,
    /// Seconds, as typed; empty: the default (ten minutes).
    pub cache_ttl_secs: String,
    /// As typed; empty: one.
    pub agents_per_key: String,
    /// Percent, as typed; empty: the default (50).
    pub badge_failure_percent: String,
    /// As typed; empty: the audit trail is not forwarded.
    pub audit_forward_url: String,
    /// One per row of the VIP rules table; blank rows are ignored, errors
    /// name the row (`vip_rules.1.currency`).
    pub vip_rules: Vec<VipRuleInput>,
    /// Match patterns of CRM contact pages, one per line.
    pub crm_pages: Vec<String>,
    /// The panel's fields in order (issue 22).
    pub fields: Vec<FieldSetting>,
    /// Empty: the profiles stay as stored.
    pub profiles: Vec<Profile>,
    /// This browser's profile; empty: unchanged.
    pub profile: String,
    /// The current passcode, needed to change a locked profile.
    pub passcode: String,
    /// A new passcode locks the profile (replacing the old one).
    pub new_passcode: String,
    /// Removes the lock (with the current passcode).
    pub remove_lock: bool,
    /// The salt for a new passcode: set by the background (the core draws
    /// no random numbers), never by a page.
    #[serde(skip)]
    pub salt: String,
}

/// One identifier pattern as submitted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IdPatternInput {
    /// `customer_id`, `order_id` or `account_id`.
    pub kind: String,
    pub label: String,
    pub pattern: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConnectorInput {
    pub id: String,
    pub kind: String,
    pub label: String,
    pub base_url: String,
    pub api_key: Option<Secret>,
    /// The other secrets, by name; absent or empty keeps the stored one.
    pub secrets: BTreeMap<String, Option<Secret>>,
    pub enabled: bool,
    /// The generic connector's definition, as JSON text.
    pub definition: String,
    /// `ask` (or empty), `most_recently_updated`, `earliest_created`.
    pub pick: String,
    /// The admin accepts sending the key over plain `http:` to this base URL's host.
    pub plain_http: bool,
    /// A preset's setup values (used when `base_url` is left empty).
    pub setup: BTreeMap<String, String>,
    /// The generic connector's role: `crm` (or empty) or `helpdesk`;
    /// ignored for presets (their kind decides).
    pub role: String,
}

impl ConnectorInput {
    /// The base URL as typed, or built from a preset's setup values when
    /// left empty; plain `http:` to a remote host only when ticked.
    pub fn base(&self) -> Result<BaseUrl, crate::weburl::UrlError> {
        if self.base_url.trim().is_empty() {
            let built = ConnectorKind::parse(&self.kind)
                .and_then(|k| match k {
                    ConnectorKind::Generic => Definition::parse(&self.definition).ok(),
                    preset => crate::connector::presets::definition(preset).cloned(),
                })
                .and_then(|d| d.base_url_from(&self.setup).ok());
            return built.ok_or(crate::weburl::UrlError::Empty);
        }
        if self.plain_http { BaseUrl::parse_any(&self.base_url) } else { BaseUrl::parse(&self.base_url) }
    }
}

/// What the options page gets back: everything but the secrets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SettingsView {
    pub connectors: Vec<ConnectorView>,
    pub sites: Vec<String>,
    pub team_domains: Vec<String>,
    pub team_phones: Vec<String>,
    pub default_region: String,
    #[serde(default)]
    pub id_patterns: Vec<IdPattern>,
    #[serde(default)]
    pub language: LanguageSetting,
    pub panel_opens_expanded: bool,
    #[serde(default)]
    pub side_panel: bool,
    #[serde(default)]
    pub field_sources: FieldSources,
    #[serde(default = "default_ttl")]
    pub cache_ttl_secs: u32,
    #[serde(default = "one")]
    pub agents_per_key: u32,
    #[serde(default = "default_badge_percent")]
    pub badge_failure_percent: u32,
    #[serde(default)]
    pub audit_forward_url: String,
    pub vip_rules: Vec<VipRule>,
    #[serde(default)]
    pub crm_pages: Vec<String>,
    pub fields: Vec<FieldSetting>,
    #[serde(default)]
    pub profiles: Vec<Profile>,
    #[serde(default)]
    pub profile: String,
    /// Whether a passcode guards the profile (never the hash).
    #[serde(default)]
    pub profile_locked: bool,
    /// The settings the organisation's policy sets (managed storage): shown
    /// disabled, "set by your organisation". Filled by the background.
    #[serde(default)]
    pub managed: Vec<String>,
}

fn default_badge_percent() -> u32 {
    DEFAULT_BADGE_FAILURE_PERCENT
}

fn default_ttl() -> u32 {
    DEFAULT_CACHE_TTL_SECS
}

fn one() -> u32 {
    1
}

/// The audit endpoint typed into the form: empty (not forwarded), or an
/// `https:` URL (`http:` to this computer only) with no user, query or fragment.
fn forward_url(typed: &str, errors: &mut Vec<FieldError>) -> String {
    let t = typed.trim();
    if t.is_empty() {
        return String::new();
    }
    match BaseUrl::parse(t) {
        Ok(b) => format!("{}{}", b.origin(), if b.path.is_empty() { "/" } else { b.path.as_str() }),
        Err(_) => {
            errors.push(err("audit_forward_url", Text::new(Msg::CfgBadForwardUrl, [data(t)])));
            String::new()
        }
    }
}

/// A whole number typed into the form, within `range`; empty: `default`.
fn number_field(typed: &str, default: u32, range: std::ops::RangeInclusive<u32>, field: &str, msg: Msg, errors: &mut Vec<FieldError>) -> u32 {
    let t = typed.trim();
    if t.is_empty() {
        return default;
    }
    match t.parse::<u32>() {
        Ok(n) if range.contains(&n) => n,
        _ => {
            errors.push(err(field, Text::new(msg, [data(range.end())])));
            default
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectorView {
    pub id: String,
    pub kind: ConnectorKind,
    pub label: String,
    pub base_url: String,
    pub api_key: SecretState,
    #[serde(default)]
    pub secrets: BTreeMap<String, SecretState>,
    pub enabled: bool,
    /// The generic connector's definition (definitions hold no secrets).
    #[serde(default)]
    pub definition: Option<Definition>,
    #[serde(default)]
    pub pick: PickPolicy,
    /// Plain `http:` accepted for this connector's host.
    #[serde(default)]
    pub plain_http: bool,
    #[serde(default)]
    pub setup: BTreeMap<String, String>,
    /// Its role (a preset's, or the admin's choice for the generic connector).
    #[serde(default)]
    pub role: ConnectorRole,
}

/// One problem with one field, for the admin (in their language).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// e.g. `connectors.0.base_url`, `sites.2`.
    pub field: String,
    pub message: Text,
}

fn err(field: impl Into<String>, message: impl Into<Text>) -> FieldError {
    FieldError { field: field.into(), message: message.into() }
}

/// A team number as typed, in E.164: read with `region` (the default
/// region; CN while none is valid), as a Save and "Add to our numbers" both read it.
fn team_phone(typed: &str, region: &str) -> Option<String> {
    normalize_phone(typed, if region.is_empty() { "CN" } else { region })
}

/// Regions whose numbering plans the identifier engine knows.
pub const REGIONS: &[&str] = &["CN", "US", "CA", "GB", "DE", "FR", "JP", "IN", "SG", "HK", "TW", "AU",
    // Round 6: the data-driven national plans (`deskside_detect::phone`, `phone_plans.rs`).
    "ES", "IT", "NL", "BE", "PL", "TR", "RU", "KR", "BR", "MX", "AR", "ZA", "NZ", "AE", "SA", "VN", "TH", "ID", "PH", "MY", "CH", "AT", "SE", "PT", "IE",
    // Regions 11: the same table, 22 more regions where small support teams are common.
    "NG", "KE", "EG", "PK", "BD", "LK", "IL", "QA", "KW", "CO", "PE", "CL", "GR", "CZ", "HU", "RO", "DK", "NO", "FI", "UA", "MA", "GH",
    // Regions 18: the same table, 60 more regions; the NANP regions DO, JM, PR, TT read as US.
    "EE", "LV", "LT", "RS", "HR", "SI", "SK", "BG", "IS", "MT", "CY", "LU", "BA", "ME", "MK", "AL",
    "MD", "BY", "GE", "AM", "AZ", "UY", "EC", "BO", "PY", "CR", "GT", "PA", "SV", "HN", "NI", "VE",
    "DO", "JM", "PR", "TT", "JO", "LB", "OM", "BH", "IQ", "TN", "DZ", "ET", "UG", "TZ", "RW", "ZM",
    "ZW", "CM", "CI", "SN", "MZ", "MU", "NA", "BW", "KZ", "UZ", "KG", "MN", "KH", "LA", "NP", "MO",
];

/// Every secret name an auth kind may need, in the options form's order.
pub const SECRET_NAMES: &[&str] = &["api_key", "client_id", "client_secret", "refresh_token", "app_id", "app_secret", "key_id", "secret", "username", "password"];

impl ConnectorKind {
    /// The secrets a connector of this kind needs: a preset's auth kind's,
    /// or for the generic connector those of `definition` (the JSON the admin
    /// typed); every one while it does not parse.
    pub fn secrets_needed(self, definition: &str) -> Vec<&'static str> {
        match self {
            ConnectorKind::Generic => match Definition::parse(definition) {
                Ok(d) => d.auth.secrets().to_vec(),
                Err(_) => SECRET_NAMES.to_vec(),
            },
            preset => crate::connector::presets::definition(preset).map_or(vec!["api_key"], |d| d.auth.secrets().to_vec()),
        }
    }
}

impl Settings {
    /// Reads what is stored, tolerating absence (a fresh install) and older
    /// versions. Unreadable data is an error, never silently replaced, so a
    /// bug cannot wipe an admin's keys.
    pub fn from_stored(value: Option<serde_json::Value>) -> Result<Settings, String> {
        match value {
            None | Some(serde_json::Value::Null) => Ok(Settings::default()),
            Some(v) => {
                let s: Settings = serde_json::from_value(v).map_err(|e| format!("stored settings are unreadable: {e}"))?;
                if s.version > SETTINGS_VERSION {
                    return Err(format!("stored settings are version {}, newer than this Deskside ({SETTINGS_VERSION}); update the extension", s.version));
                }
                Ok(Settings { version: SETTINGS_VERSION, ..s })
            }
        }
    }

    pub fn view(&self) -> SettingsView {
        SettingsView {
            connectors: self
                .connectors
                .iter()
                .map(|c| ConnectorView {
                    id: c.id.clone(),
                    kind: c.kind,
                    label: c.label.clone(),
                    base_url: c.base_url.clone(),
                    api_key: c.api_key.state(),
                    secrets: c.secrets.iter().map(|(k, v)| (k.clone(), v.state())).collect(),
                    enabled: c.enabled,
                    definition: c.definition.clone(),
                    pick: c.pick,
                    plain_http: c.plain_http_host.is_some(),
                    setup: c.setup.clone(),
                    role: c.role(),
                })
                .collect(),
            sites: self.sites.clone(),
            team_domains: self.team_domains.clone(),
            team_phones: self.team_phones.clone(),
            default_region: self.default_region.clone(),
            id_patterns: self.id_patterns.clone(),
            language: self.language,
            panel_opens_expanded: self.panel_opens_expanded,
            side_panel: self.side_panel,
            field_sources: self.field_sources.clone(),
            cache_ttl_secs: self.cache_ttl_secs,
            agents_per_key: self.agents_per_key,
            badge_failure_percent: self.badge_failure_percent,
            audit_forward_url: self.audit_forward_url.clone(),
            vip_rules: self.vip_rules.clone(),
            crm_pages: self.crm_pages.clone(),
            fields: self.fields.clone(),
            profiles: self.profiles.clone(),
            profile: self.profile.clone(),
            profile_locked: self.profile_lock.is_some(),
            managed: Vec::new(),
        }
    }

    /// Validates the submitted form against the stored settings and returns
    /// the settings to store, or every problem at once.
    pub fn apply(&self, input: SettingsInput) -> Result<Settings, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut connectors = Vec::new();
        for (i, c) in input.connectors.into_iter().enumerate() {
            match self.connector_from_input(i, c) {
                Ok(c) => connectors.push(c),
                Err(mut e) => errors.append(&mut e),
            }
        }
        let mut sites = Vec::new();
        for (i, s) in input.sites.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).enumerate() {
            match validate_match_pattern(s) {
                Ok(()) => sites.push(s.to_string()),
                Err(e) => errors.push(err(format!("sites.{i}"), e)),
            }
        }
        let mut team_domains = Vec::new();
        for (i, d) in input.team_domains.iter().map(|d| d.trim().trim_start_matches('@').to_lowercase()).filter(|d| !d.is_empty()).enumerate() {
            if d.contains('.') && d.split('.').all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-')) {
                team_domains.push(d);
            } else {
                errors.push(err(format!("team_domains.{i}"), Text::new(Msg::CfgBadDomain, [data(&d)])));
            }
        }
        let region = input.default_region.trim().to_uppercase();
        let default_region = if region.is_empty() {
            "CN".to_string()
        } else if REGIONS.contains(&region.as_str()) {
            region
        } else {
            errors.push(err("default_region", Text::new(Msg::CfgUnknownRegion, [data(&region), data(REGIONS.join(", "))])));
            String::new()
        };
        let mut team_phones = Vec::new();
        for (i, p) in input.team_phones.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).enumerate() {
            match team_phone(p, &default_region) {
                Some(e164) => team_phones.push(e164),
                None => errors.push(err(format!("team_phones.{i}"), Text::new(Msg::CfgBadPhone, [data(p)]))),
            }
        }
        let id_patterns = validate_id_patterns(&input.id_patterns, &mut errors);
        let language = match input.language.trim() {
            "" => LanguageSetting::Auto,
            l => LanguageSetting::parse(l).unwrap_or_else(|| {
                errors.push(err("language", Text::new(Msg::CfgUnknownLanguage, [data(l)])));
                LanguageSetting::Auto
            }),
        };
        let mut ids: Vec<&str> = Vec::new();
        for (i, c) in connectors.iter().enumerate() {
            if ids.contains(&c.id.as_str()) {
                errors.push(err(format!("connectors.{i}.id"), Text::new(Msg::CfgDuplicateConnector, [data(&c.id)])));
            }
            ids.push(&c.id);
        }
        let mut field_sources = FieldSources::new();
        for (field, connector) in input.field_sources.iter().filter(|(_, c)| !c.trim().is_empty()) {
            if !ORDERED_FIELDS.contains(&field.as_str()) || !ids.contains(&connector.trim()) {
                errors.push(err(format!("field_sources.{field}"), Text::new(Msg::CfgUnknownSource, [data(connector)])));
            } else if !field_sources.iter().any(|(f, _)| f == field) {
                field_sources.push((field.clone(), connector.trim().to_string()));
            }
        }
        let cache_ttl_secs = number_field(&input.cache_ttl_secs, DEFAULT_CACHE_TTL_SECS, 0..=MAX_CACHE_TTL_SECS, "cache_ttl_secs", Msg::CfgBadCacheTtl, &mut errors);
        let agents_per_key = number_field(&input.agents_per_key, 1, 1..=MAX_AGENTS_PER_KEY, "agents_per_key", Msg::CfgBadAgents, &mut errors);
        let badge_failure_percent = number_field(&input.badge_failure_percent, DEFAULT_BADGE_FAILURE_PERCENT, 1..=100, "badge_failure_percent", Msg::CfgBadBadgeThreshold, &mut errors);
        let audit_forward_url = forward_url(&input.audit_forward_url, &mut errors);
        let vip_rules = crate::vip::validate_rules(&input.vip_rules, &mut errors);
        // A CRM page is a site too (the content script runs there).
        let mut crm_pages = Vec::new();
        for (i, s) in input.crm_pages.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).enumerate() {
            match validate_match_pattern(s) {
                Ok(()) => {
                    crm_pages.push(s.to_string());
                    if !sites.iter().any(|x| x == s) {
                        sites.push(s.to_string());
                    }
                }
                Err(e) => errors.push(err(format!("crm_pages.{i}"), e)),
            }
        }
        let fields = validate_fields(&input.fields, &mut errors);
        let profiles = if input.profiles.is_empty() { self.profiles.clone() } else { validate_profiles(&input.profiles, &mut errors) };
        let profile = match input.profile.trim() {
            "" => self.profile.clone(),
            p if PROFILE_IDS.contains(&p) => p.to_string(),
            p => {
                errors.push(err("profile", Text::new(Msg::CfgUnknownProfile, [data(p)])));
                self.profile.clone()
            }
        };
        let profile_lock = self.lock_after(LockInput { passcode: &input.passcode, new_passcode: &input.new_passcode, remove_lock: input.remove_lock, salt: &input.salt }, &profile, &profiles, &mut errors);
        if errors.is_empty() {
            Ok(Settings { version: SETTINGS_VERSION, connectors, sites, team_domains, team_phones, default_region, id_patterns, panel_opens_expanded: input.panel_opens_expanded, side_panel: input.side_panel, language, field_sources, cache_ttl_secs, agents_per_key, badge_failure_percent, audit_forward_url, vip_rules, crm_pages, fields, profiles, profile, profile_lock })
        } else {
            Err(errors)
        }
    }

    /// "Add to our numbers" (the options page's noticed numbers): these
    /// settings with `number` among the team's numbers, normalised as a
    /// Save normalises the team numbers field (the stored default region).
    /// Unchanged when already listed; nothing else changes, so whatever else
    /// the admin has typed on the page and not saved stays unsaved.
    pub fn with_team_phone(&self, number: &str) -> Result<Settings, Vec<FieldError>> {
        let typed = number.trim();
        let Some(e164) = team_phone(typed, &self.default_region).filter(|_| !typed.is_empty()) else {
            return Err(vec![err("team_phones", Text::new(Msg::CfgBadPhone, [data(typed)]))]);
        };
        let mut s = self.clone();
        if !s.team_phones.contains(&e164) {
            s.team_phones.push(e164);
        }
        Ok(s)
    }

    /// `after_policy` is `self` with the organisation's policy laid over it
    /// (`configfile::overlay`): refused when the policy's team numbers leave
    /// out one of `self`'s (the policy sets the team's numbers, so a number
    /// added here would not be kept).
    pub fn team_phones_kept(&self, after_policy: &Settings) -> Result<(), Vec<FieldError>> {
        if self.team_phones.iter().all(|p| after_policy.team_phones.contains(p)) {
            Ok(())
        } else {
            Err(vec![err("team_phones", Msg::CfgTeamPhonesManaged)])
        }
    }

    /// One connector as submitted (row `i` of the form), against the stored
    /// settings: its definition parsed, its secrets typed or kept (only for
    /// the same origin); every problem at once. Save and *Test connection*
    /// both use it.
    pub fn connector_from_input(&self, i: usize, c: ConnectorInput) -> Result<ConnectorConfig, Vec<FieldError>> {
        let mut errors = Vec::new();
        let f = |name: &str| format!("connectors.{i}.{name}");
        let Some(kind) = ConnectorKind::parse(&c.kind) else {
            return Err(vec![err(f("kind"), Text::new(Msg::CfgUnknownConnector, [data(&c.kind)]))]);
        };
        // A preset whose address is built from setup values (a Zendesk
        // subdomain, a Zoho data centre): built here, unless the admin typed
        // a whole base URL, which wins.
        let template = match kind {
            ConnectorKind::Generic => Definition::parse(&c.definition).ok().filter(|d| !d.asks_base_url()),
            preset => crate::connector::presets::definition(preset).filter(|d| !d.asks_base_url()).cloned(),
        };
        let setup: BTreeMap<String, String> = c.setup.iter().map(|(k, v)| (k.clone(), v.trim().to_string())).filter(|(_, v)| !v.is_empty()).collect();
        let typed = match &template {
            Some(d) if c.base_url.trim().is_empty() => match d.base_url_from(&setup) {
                Ok(b) => b.to_string(),
                Err(problems) => {
                    for p in problems {
                        errors.push(err(f(&format!("setup.{}", p.field)), p.message));
                    }
                    return Err(errors);
                }
            },
            _ => c.base_url.clone(),
        };
        // Plain http to a remote host only when the admin ticked the box for it.
        let accepted = c.plain_http.then(|| BaseUrl::parse_any(&typed).map(|b| b.host).unwrap_or_default());
        let (base_url, plain_http_host) = match base_url(&typed, accepted.as_deref()) {
            Ok(b) => {
                let plain = (b.scheme == "http" && !crate::weburl::is_loopback_host(&b.host)).then(|| b.host.clone());
                (b.to_string(), plain)
            }
            Err(crate::weburl::UrlError::InsecureRemote) => {
                errors.push(err(f("base_url"), Msg::CfgInsecureNotAccepted));
                (String::new(), None)
            }
            Err(e) => {
                errors.push(err(f("base_url"), e.message()));
                (String::new(), None)
            }
        };
        let id = if c.id.trim().is_empty() { format!("c{}", i + 1) } else { c.id.trim().to_string() };
        let previous = self.connectors.iter().find(|p| p.id == id);
        // The generic connector's definition: every problem with its path.
        let definition = match kind {
            ConnectorKind::Generic if c.definition.trim().is_empty() => match previous.and_then(|p| p.definition.clone()) {
                Some(d) => Some(d),
                None => {
                    errors.push(err(f("definition"), Msg::CfgEnterDefinition));
                    None
                }
            },
            ConnectorKind::Generic => match Definition::parse(&c.definition).and_then(|d| d.check_samples().map(|()| d)) {
                Ok(d) => Some(d),
                Err(problems) => {
                    for p in problems {
                        errors.push(err(f("definition"), Text::new(Msg::CfgDefinitionProblem, [data(if p.path.is_empty() { "-" } else { &p.path }), p.message.into()])));
                    }
                    None
                }
            },
            _ => None,
        };
        // The secrets its auth kind needs; one left empty keeps the stored
        // one only while the origin is unchanged: never send an old
        // secret to a newly typed host.
        let needed: &[&str] = match kind {
            ConnectorKind::Generic => definition.as_ref().map_or(&[], |d| d.auth.secrets()),
            preset => crate::connector::presets::definition(preset).map_or(&["api_key"], |d| d.auth.secrets()),
        };
        let mut api_key = Secret::default();
        let mut secrets = BTreeMap::new();
        let mut typed = c.secrets;
        if let Some(k) = c.api_key {
            typed.insert("api_key".into(), Some(k));
        }
        for name in needed {
            let stored = previous.and_then(|p| if *name == "api_key" { Some(p.api_key.clone()) } else { p.secrets.get(*name).cloned() }).filter(|s| !s.is_empty());
            let value = match typed.remove(*name).flatten() {
                Some(k) if !k.is_empty() => Secret::new(k.expose().trim()),
                _ => match (previous, stored) {
                    (Some(p), Some(s)) if same_origin(&p.base_url, &base_url) && same_token_origin(p, kind, definition.as_ref(), &base_url) => s,
                    (Some(_), Some(_)) => {
                        errors.push(err(f(name), Msg::CfgKeyHostChanged));
                        Secret::default()
                    }
                    _ => {
                        // "enter the API key" for the key; the field's own name for the others.
                        errors.push(err(f(name), if *name == "api_key" { Msg::CfgEnterKey.into() } else { Text::new(Msg::CfgEnterSecret, [secret_label(name).into()]) }));
                        Secret::default()
                    }
                },
            };
            if value.expose().chars().any(|ch| ch.is_control() || ch == ' ') {
                errors.push(err(f(name), Msg::CfgKeySpaces));
            }
            if *name == "api_key" {
                api_key = value;
            } else {
                secrets.insert(name.to_string(), value);
            }
        }
        let default_label = definition.as_ref().map_or(kind.display_name(), |d| d.name.as_str());
        let label = if c.label.trim().is_empty() { default_label.to_string() } else { c.label.trim().to_string() };
        let pick = match c.pick.trim() {
            "" => PickPolicy::Ask,
            p => PickPolicy::parse(p).unwrap_or_else(|| {
                errors.push(err(f("pick"), Text::new(Msg::CfgUnknownPick, [data(p)])));
                PickPolicy::Ask
            }),
        };
        // The setup values are kept only while they built the address; those
        // for record links only (a HubSpot account id) are kept either way.
        let setup = match &template {
            Some(_) if c.base_url.trim().is_empty() => setup,
            Some(d) => d.link_setup_from(&setup).unwrap_or_else(|problems| {
                for p in problems {
                    errors.push(err(f(&format!("setup.{}", p.field)), p.message));
                }
                BTreeMap::new()
            }),
            None => BTreeMap::new(),
        };
        // The role is the admin's to choose for the generic connector only.
        let role = match (kind, c.role.trim()) {
            (ConnectorKind::Generic, "") => None,
            (ConnectorKind::Generic, r) => ConnectorRole::parse(r).or_else(|| {
                errors.push(err(f("role"), Text::new(Msg::CfgUnknownRole, [data(r)])));
                None
            }),
            _ => None,
        };
        let config = ConnectorConfig { id, kind, label, base_url, api_key, secrets, enabled: c.enabled, definition, pick, plain_http_host, setup, role };
        if errors.is_empty() { Ok(config) } else { Err(errors) }
    
    }

    /// Permission patterns the options page must request before saving.
    pub fn required_origins(&self) -> Vec<String> {
        let mut out: Vec<String> = self.sites.clone();
        for c in &self.connectors {
            if let Ok(b) = c.base() {
                out.push(b.permission_pattern());
            }
            // A token URL on another origin: the browser must allow it too.
            out.extend(c.definition().and_then(|d| d.token_permission_from(&c.setup_values()).or_else(|| d.auth.token_permission())));
        }
        // The audit endpoint, when the trail is forwarded.
        out.extend(BaseUrl::parse(&self.audit_forward_url).ok().map(|b| b.permission_pattern()));
        crate::sort::sort(&mut out);
        out.dedup();
        out
    }
}

impl SettingsInput {
    /// The permission patterns this input needs, from whatever parses: the
    /// options page asks for them during the Save click (browsers require a
    /// user gesture), before the background validates the whole input.
    pub fn requested_origins(&self) -> Vec<String> {
        let mut out: Vec<String> = self.sites.iter().chain(&self.crm_pages).map(|s| s.trim().to_string()).filter(|s| validate_match_pattern(s).is_ok()).collect();
        out.extend(self.connectors.iter().filter_map(|c| c.base().ok()).map(|b| b.permission_pattern()));
        // The token URL of a definition typed in, when it is on another origin.
        out.extend(self.connectors.iter().filter_map(|c| {
            let def = match ConnectorKind::parse(&c.kind)? {
                ConnectorKind::Generic => Definition::parse(&c.definition).ok()?,
                preset => crate::connector::presets::definition(preset)?.clone(),
            };
            let setup = if c.base_url.trim().is_empty() { c.setup.clone() } else { c.base().map(|b| def.setup_from_base(&b)).unwrap_or_default() };
            def.token_permission_from(&setup).or_else(|| def.auth.token_permission())
        }));
        out.extend(BaseUrl::parse(&self.audit_forward_url).ok().map(|b| b.permission_pattern()));
        crate::sort::sort(&mut out);
        out.dedup();
        out
    }
}

/// The patterns to store, with a [`FieldError`] per problem
/// (`id_patterns.{row}.kind|label|pattern`).
fn validate_id_patterns(rows: &[IdPatternInput], errors: &mut Vec<FieldError>) -> Vec<IdPattern> {
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let f = |name: &str| format!("id_patterns.{i}.{name}");
        let (label, pattern) = (row.label.trim(), row.pattern.trim());
        if label.is_empty() && pattern.is_empty() {
            continue;
        }
        if out.len() == MAX_ID_PATTERNS {
            errors.push(err(f("pattern"), Text::new(Msg::CfgTooManyPatterns, [data(MAX_ID_PATTERNS)])));
            break;
        }
        let kind = IdKind::parse(row.kind.trim()).filter(|k| IdKind::CUSTOM.contains(k));
        if kind.is_none() {
            let names: Vec<&str> = IdKind::CUSTOM.iter().map(|k| k.id()).collect();
            errors.push(err(f("kind"), Text::new(Msg::CfgUnknownIdKind, [data(row.kind.trim()), data(names.join(", "))])));
        }
        if label.chars().count() > MAX_ID_LABEL || label.chars().any(char::is_control) {
            errors.push(err(f("label"), Text::new(Msg::CfgLabelTooLong, [data(MAX_ID_LABEL)])));
        }
        if let Err(e) = Pattern::compile(pattern) {
            errors.push(err(f("pattern"), e.text()));
        }
        // An empty name: the page shows the kind's name, in its language.
        if let Some(kind) = kind {
            out.push(IdPattern { kind, label: label.to_string(), pattern: pattern.to_string() });
        }
    }
    out
}

/// The options page's name for a secret, as a message.
/// The options page's label for a secret an auth kind needs.
pub fn secret_label(name: &str) -> Msg {
    match name {
        "client_id" => Msg::OptClientId,
        "client_secret" => Msg::OptClientSecret,
        "username" => Msg::OptUsername,
        "password" => Msg::OptPassword,
        "refresh_token" => Msg::OptRefreshToken,
        "app_id" => Msg::OptAppId,
        "app_secret" => Msg::OptAppSecret,
        "key_id" => Msg::OptKeyId,
        "secret" => Msg::OptSigningSecret,
        _ => Msg::OptApiKey,
    }
}

/// `input` as a base URL; plain `http:` only to `accepted` (a host).
fn base_url(input: &str, accepted: Option<&str>) -> Result<BaseUrl, crate::weburl::UrlError> {
    match BaseUrl::parse(input) {
        Err(crate::weburl::UrlError::InsecureRemote) => BaseUrl::parse_any(input).and_then(|b| if Some(b.host.as_str()) == accepted { Ok(b) } else { Err(crate::weburl::UrlError::InsecureRemote) }),
        other => other,
    }
}

/// Whether the token URL's origin (where the secrets of a token exchange
/// go besides the API's) is the one the stored secrets were entered for.
fn same_token_origin(previous: &ConnectorConfig, kind: ConnectorKind, definition: Option<&Definition>, base_url: &str) -> bool {
    let now = match kind {
        ConnectorKind::Generic => definition,
        preset => crate::connector::presets::definition(preset),
    };
    let origin = |d: &Definition, setup: &BTreeMap<String, String>| d.token_origin_from(setup).or_else(|| d.auth.token_origin());
    let now_setup = match (now, BaseUrl::parse_any(base_url)) {
        (Some(d), Ok(b)) => d.setup_from_base(&b),
        _ => BTreeMap::new(),
    };
    previous.definition().and_then(|d| origin(d, &previous.setup_values())) == now.and_then(|d| origin(d, &now_setup))
}

fn same_origin(a: &str, b: &str) -> bool {
    match (BaseUrl::parse(a), BaseUrl::parse(b)) {
        (Ok(a), Ok(b)) => a.origin() == b.origin(),
        _ => false,
    }
}

// ---- Fields and profiles (issue 22) ----

/// The panel's fields the admin may order, label, hide or mask, with their
/// usual names; the admin's own fields are `custom:<label>`.
pub const PANEL_FIELDS: &[(&str, Msg)] = &[
    ("email", Msg::DetailEmail),
    ("phone", Msg::DetailPhone),
    ("title", Msg::DetailTitle),
    ("location", Msg::DetailLocation),
    ("record", Msg::DetailRecord),
    ("lifetime_value", Msg::DetailLifetimeValue),
    ("company", Msg::FieldCompany),
    ("tier", Msg::FieldTier),
    ("tags", Msg::FieldTags),
    ("orders", Msg::PanelRecentOrders),
    ("deals", Msg::PanelDeals),
    ("tickets", Msg::PanelTickets),
    ("notes", Msg::PanelNotes),
];

/// Fields whose value can be shown masked (lists and amounts can only be hidden).
pub const MASKABLE_FIELDS: &[&str] = &["email", "phone", "title", "location", "record", "company", "tags"];

/// The prefix of the admin's own fields' keys (`custom:Member since`).
pub const CUSTOM_PREFIX: &str = "custom:";
/// Longest custom field name in a key, in characters.
pub const MAX_CUSTOM_KEY: usize = 60;

pub const PROFILE_AGENT: &str = "agent";
pub const PROFILE_TEAM_LEAD: &str = "team_lead";
/// The profiles, in the options page's order.
pub const PROFILE_IDS: &[&str] = &[PROFILE_AGENT, PROFILE_TEAM_LEAD];
/// Shortest passcode.
pub const MIN_PASSCODE: usize = 4;
/// Rounds of SHA-256 over a passcode (slows guessing a stolen hash).
pub const PASSCODE_ROUNDS: u32 = 10_000;

/// One field of the panel as the admin set it: its key, its label (empty:
/// the usual name), whether the panel shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSetting {
    pub field: String,
    #[serde(default)]
    pub label: String,
    #[serde(default = "yes")]
    pub shown: bool,
}

/// A profile: which fields its agents do not see and which they see masked.
/// Phones, ID numbers and card numbers are masked by default for agents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub id: String,
    #[serde(default)]
    pub hidden: Vec<String>,
    #[serde(default)]
    pub masked: Vec<String>,
    /// Bank card numbers (Luhn) and resident ID numbers masked in every text value.
    #[serde(default = "yes")]
    pub mask_numbers: bool,
}

/// The profiles of a fresh install: the agent sees phones masked, the team
/// lead in full; both see card and ID numbers masked in any text.
pub fn default_profiles() -> Vec<Profile> {
    vec![
        Profile { id: PROFILE_AGENT.into(), hidden: Vec::new(), masked: vec!["phone".into()], mask_numbers: true },
        Profile { id: PROFILE_TEAM_LEAD.into(), hidden: Vec::new(), masked: Vec::new(), mask_numbers: true },
    ]
}

/// A passcode as stored: a random salt (from the background) and the
/// iterated salted SHA-256, in hex.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasscodeHash {
    pub salt: String,
    pub hash: String,
}

impl PasscodeHash {
    pub fn new(salt: &str, passcode: &str) -> PasscodeHash {
        PasscodeHash { salt: salt.to_string(), hash: passcode_hash(salt, passcode) }
    }

    /// Whether `passcode` is the one hashed (compared in constant time).
    pub fn verify(&self, passcode: &str) -> bool {
        let h = passcode_hash(&self.salt, passcode);
        h.len() == self.hash.len() && h.bytes().zip(self.hash.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }
}

/// [`PASSCODE_ROUNDS`] of SHA-256 over the salt and the passcode.
pub fn passcode_hash(salt: &str, passcode: &str) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(salt.as_bytes());
    h.update([0u8]);
    h.update(passcode.as_bytes());
    let mut digest = h.finalize();
    for _ in 1..PASSCODE_ROUNDS {
        let mut h = sha2::Sha256::new();
        h.update(digest);
        h.update(salt.as_bytes());
        digest = h.finalize();
    }
    crate::connector::sign::hex(&digest)
}

/// Whether `key` names a panel field (a known one or `custom:<name>`).
pub fn is_field_key(key: &str) -> bool {
    PANEL_FIELDS.iter().any(|(k, _)| *k == key) || key.strip_prefix(CUSTOM_PREFIX).is_some_and(|n| !n.trim().is_empty() && n.chars().count() <= MAX_CUSTOM_KEY && !n.chars().any(char::is_control))
}

/// Whether a field's value can be masked (the admin's own fields can).
pub fn is_maskable(key: &str) -> bool {
    MASKABLE_FIELDS.contains(&key) || key.starts_with(CUSTOM_PREFIX)
}

/// The usual name of a known field.
pub fn field_name(key: &str) -> Option<Msg> {
    PANEL_FIELDS.iter().find(|(k, _)| *k == key).map(|(_, m)| *m)
}

fn validate_fields(rows: &[FieldSetting], errors: &mut Vec<FieldError>) -> Vec<FieldSetting> {
    let mut out: Vec<FieldSetting> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let key = row.field.trim();
        let label = row.label.trim();
        if !is_field_key(key) {
            errors.push(err(format!("fields.{i}.field"), Text::new(Msg::CfgUnknownField, [data(key)])));
            continue;
        }
        if out.iter().any(|f| f.field == key) {
            errors.push(err(format!("fields.{i}.field"), Text::new(Msg::CfgDuplicateField, [data(key)])));
            continue;
        }
        if label.chars().count() > MAX_ID_LABEL || label.chars().any(char::is_control) {
            errors.push(err(format!("fields.{i}.label"), Text::new(Msg::CfgLabelTooLong, [data(MAX_ID_LABEL)])));
        }
        out.push(FieldSetting { field: key.to_string(), label: label.to_string(), shown: row.shown });
    }
    out
}

fn validate_profiles(rows: &[Profile], errors: &mut Vec<FieldError>) -> Vec<Profile> {
    let mut out: Vec<Profile> = Vec::new();
    for (i, p) in rows.iter().enumerate() {
        let id = p.id.trim();
        if !PROFILE_IDS.contains(&id) {
            errors.push(err(format!("profiles.{i}.id"), Text::new(Msg::CfgUnknownProfile, [data(id)])));
            continue;
        }
        if out.iter().any(|o| o.id == id) {
            errors.push(err(format!("profiles.{i}.id"), Text::new(Msg::CfgUnknownProfile, [data(id)])));
            continue;
        }
        let mut hidden = Vec::new();
        for (j, k) in p.hidden.iter().map(|k| k.trim()).enumerate() {
            if !is_field_key(k) {
                errors.push(err(format!("profiles.{i}.hidden.{j}"), Text::new(Msg::CfgUnknownField, [data(k)])));
            } else if !hidden.iter().any(|h: &String| h == k) {
                hidden.push(k.to_string());
            }
        }
        let mut masked = Vec::new();
        for (j, k) in p.masked.iter().map(|k| k.trim()).enumerate() {
            if !is_field_key(k) {
                errors.push(err(format!("profiles.{i}.masked.{j}"), Text::new(Msg::CfgUnknownField, [data(k)])));
            } else if !is_maskable(k) {
                errors.push(err(format!("profiles.{i}.masked.{j}"), Text::new(Msg::CfgNotMaskable, [data(k)])));
            } else if !masked.iter().any(|m: &String| m == k) {
                masked.push(k.to_string());
            }
        }
        out.push(Profile { id: id.to_string(), hidden, masked, mask_numbers: p.mask_numbers });
    }
    // Every profile exists: one left out keeps its defaults.
    for d in default_profiles() {
        if !out.iter().any(|p| p.id == d.id) {
            out.push(d);
        }
    }
    crate::sort::sort_by_key(&mut out, |p| PROFILE_IDS.iter().position(|id| *id == p.id));
    out
}

/// The lock's part of a save.
struct LockInput<'a> {
    passcode: &'a str,
    new_passcode: &'a str,
    remove_lock: bool,
    salt: &'a str,
}

impl Settings {
    /// This browser's profile (the agent's if the stored one is unknown:
    /// never fewer masks by accident).
    pub fn active_profile(&self) -> Profile {
        let find = |id: &str| self.profiles.iter().find(|p| p.id == id).cloned();
        find(&self.profile).or_else(|| find(PROFILE_AGENT)).unwrap_or_else(|| default_profiles().remove(0))
    }

    /// The lock after this save: a change of the profile, the profiles or
    /// the lock itself needs the current passcode while one is set.
    fn lock_after(&self, input: LockInput<'_>, profile: &str, profiles: &[Profile], errors: &mut Vec<FieldError>) -> Option<PasscodeHash> {
        let changes_lock = !input.new_passcode.is_empty() || input.remove_lock;
        if let Some(lock) = &self.profile_lock {
            let changed = profile != self.profile || profiles != self.profiles.as_slice() || changes_lock;
            if changed && !lock.verify(input.passcode) {
                errors.push(err("passcode", if input.passcode.is_empty() { Msg::CfgPasscodeNeeded } else { Msg::CfgPasscodeWrong }));
                return self.profile_lock.clone();
            }
        }
        if !input.new_passcode.is_empty() {
            if input.new_passcode.chars().count() < MIN_PASSCODE {
                errors.push(err("new_passcode", Text::new(Msg::CfgPasscodeShort, [data(MIN_PASSCODE)])));
                return self.profile_lock.clone();
            }
            if input.salt.len() < 16 {
                errors.push(err("new_passcode", Msg::CfgPasscodeNoSalt));
                return self.profile_lock.clone();
            }
            return Some(PasscodeHash::new(input.salt, input.new_passcode));
        }
        if input.remove_lock {
            return None;
        }
        self.profile_lock.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(key: Option<&str>, url: &str) -> SettingsInput {
        SettingsInput {
            connectors: vec![ConnectorInput {
                id: "crm".into(),
                kind: "demo_crm".into(),
                label: String::new(),
                base_url: url.into(),
                api_key: key.map(Secret::new),
                enabled: true,
                ..Default::default()
            }],
            sites: vec!["http://127.0.0.1/*".into(), "  ".into()],
            team_domains: vec!["@Acme-Support.com".into()],
            team_phones: vec!["400-820-8820".into()],
            default_region: "cn".into(),
            id_patterns: Vec::new(),
            language: String::new(),
            panel_opens_expanded: false,
            side_panel: false,
            field_sources: Vec::new(),
            cache_ttl_secs: String::new(),
            agents_per_key: String::new(),
            badge_failure_percent: String::new(),
            ..Default::default()
        }
    }

    #[test]
    fn the_audit_endpoint_is_https_or_loopback_and_is_asked_for_on_save() {
        let with = |typed: &str| Settings::default().apply(SettingsInput { audit_forward_url: typed.into(), ..input(Some("k"), "https://crm.example") });
        assert_eq!(with("").unwrap().audit_forward_url, "", "off by default");
        assert_eq!(Settings::from_stored(Some(serde_json::json!({"version": 1}))).unwrap().audit_forward_url, "");
        let s = with(" https://Audit.Example.com/ingest/ ").unwrap();
        assert_eq!(s.audit_forward_url, "https://audit.example.com/ingest");
        assert_eq!(s.view().audit_forward_url, s.audit_forward_url);
        assert!(s.required_origins().contains(&"https://audit.example.com/*".to_string()));
        let typed = SettingsInput { audit_forward_url: "https://audit.example.com/ingest".into(), ..input(Some("k"), "https://crm.example") };
        assert!(typed.requested_origins().contains(&"https://audit.example.com/*".to_string()));
        assert_eq!(with("http://127.0.0.1:8123").unwrap().audit_forward_url, "http://127.0.0.1:8123/");
        for bad in ["http://audit.example.com/x", "https://user:pw@audit.example.com/", "https://audit.example.com/?token=1", "ftp://audit.example.com/", "audit.example.com", "https://audit.example.com.\\evil"] {
            let errors = with(bad).unwrap_err();
            assert_eq!((errors.len(), errors[0].field.as_str(), errors[0].message.id), (1, "audit_forward_url", Msg::CfgBadForwardUrl), "{bad}");
        }
        assert!(!Settings::default().required_origins().iter().any(|o| o.contains("audit")));
    }

    #[test]
    fn the_badge_threshold_has_a_default_and_bounds() {
        let with = |typed: &str| Settings::default().apply(SettingsInput { badge_failure_percent: typed.into(), ..input(Some("k"), "https://crm.example") });
        assert_eq!(with("").unwrap().badge_failure_percent, 50);
        assert_eq!(Settings::from_stored(Some(serde_json::json!({"version": 1}))).unwrap().badge_failure_percent, 50);
        assert_eq!(with(" 1 ").unwrap().badge_failure_percent, 1);
        assert_eq!(with("100").unwrap().view().badge_failure_percent, 100);
        for bad in ["0", "101", "-5", "half", "50%", "12.5"] {
            let errors = with(bad).unwrap_err();
            assert_eq!((errors.len(), errors[0].field.as_str()), (1, "badge_failure_percent"), "{bad}");
            assert_eq!(errors[0].message, Text::new(Msg::CfgBadBadgeThreshold, [data(100)]));
        }
    }

    #[test]
    fn the_language_is_validated_and_defaults_to_auto() {
        let s = Settings::default().apply(input(Some("k"), "http://127.0.0.1:1")).unwrap();
        assert_eq!(s.language, LanguageSetting::Auto);
        let mut i = input(Some("k"), "http://127.0.0.1:1");
        i.language = "zh_CN".into();
        let s = Settings::default().apply(i.clone()).unwrap();
        assert_eq!((s.language, s.view().language), (LanguageSetting::ZhCn, LanguageSetting::ZhCn));
        assert_eq!(serde_json::to_value(&s).unwrap()["language"], "zh_CN");
        i.language = "fr".into();
        let errors = Settings::default().apply(i).unwrap_err();
        assert_eq!((errors[0].field.as_str(), crate::i18n::english(&errors[0].message).as_str()), ("language", "unknown language 'fr'"));
    }

    #[test]
    fn a_team_number_is_added_alone_normalised_once() {
        let stored = Settings::default().apply(input(Some("k"), "https://crm.example")).unwrap();
        assert_eq!(stored.team_phones, vec!["+864008208820"]);
        // A new number (E.164, as the noticed list sends it): appended.
        let s = stored.with_team_phone("+864008208888").unwrap();
        assert_eq!(s.team_phones, vec!["+864008208820", "+864008208888"]);
        // Nothing else changes.
        assert_eq!(Settings { team_phones: stored.team_phones.clone(), ..s.clone() }, stored);
        // A national form, read with the stored default region as a Save reads it.
        let gb = Settings { default_region: "GB".into(), ..stored.clone() };
        assert_eq!(gb.with_team_phone(" 020 7946 0958 ").unwrap().team_phones, vec!["+864008208820", "+442079460958"]);
        assert_eq!(stored.with_team_phone("400 820 8888").unwrap().team_phones, vec!["+864008208820", "+864008208888"]);
        let typed = SettingsInput { team_phones: vec!["020 7946 0958".into()], default_region: "GB".into(), ..input(Some("k"), "https://crm.example") };
        assert_eq!(gb.with_team_phone("020 7946 0958").unwrap().team_phones.last(), Settings::default().apply(typed).unwrap().team_phones.last());
        // Already listed, in any form: unchanged, no duplicate.
        assert_eq!(s.with_team_phone("+864008208888").unwrap(), s);
        assert_eq!(s.with_team_phone("400-820-8820").unwrap(), s);
        // Not a number: refused with the Save's message, on the team numbers field.
        for bad in ["call me maybe", "", "   ", "12"] {
            let errors = stored.with_team_phone(bad).unwrap_err();
            assert_eq!(errors, vec![FieldError { field: "team_phones".into(), message: Text::new(Msg::CfgBadPhone, [data(bad.trim())]) }], "{bad:?}");
        }
    }

    #[test]
    fn a_team_number_the_policy_leaves_out_is_refused() {
        let stored = Settings { team_phones: vec!["+864008208820".into()], ..Settings::default() };
        let added = stored.with_team_phone("+864008208888").unwrap();
        assert_eq!(added.team_phones_kept(&added), Ok(()), "no policy: kept");
        let policy = serde_json::json!({"team_phones": ["+864008208820"]});
        let (after, keys, problems) = crate::configfile::overlay(&added, &policy);
        assert!(problems.is_empty() && keys == ["team_phones"], "{problems:?} {keys:?}");
        assert_eq!(added.team_phones_kept(&after), Err(vec![FieldError { field: "team_phones".into(), message: Msg::CfgTeamPhonesManaged.into() }]));
        // A policy that lists it (or sets other things only) keeps it.
        let (after, _, _) = crate::configfile::overlay(&added, &serde_json::json!({"team_phones": ["+864008208820", "+864008208888"]}));
        assert_eq!(added.team_phones_kept(&after), Ok(()));
        let (after, _, _) = crate::configfile::overlay(&added, &serde_json::json!({"team_domains": ["corp.example"]}));
        assert_eq!(added.team_phones_kept(&after), Ok(()));
    }

    #[test]
    fn apply_validates_and_normalises() {
        let s = Settings::default().apply(input(Some(" k-123 "), "http://127.0.0.1:7000/")).unwrap();
        assert_eq!(s.connectors[0].base_url, "http://127.0.0.1:7000");
        assert_eq!(s.connectors[0].api_key.expose(), "k-123");
        assert_eq!(s.connectors[0].label, "Deskside demo CRM");
        assert_eq!(s.sites, vec!["http://127.0.0.1/*"]);
        assert_eq!(s.team_domains, vec!["acme-support.com"]);
        assert_eq!(s.team_phones, vec!["+864008208820"]);
        assert_eq!(s.default_region, "CN");
        assert_eq!(s.required_origins(), vec!["http://127.0.0.1/*"]);
    }

    #[test]
    fn empty_key_keeps_the_stored_one_only_for_the_same_origin() {
        let s = Settings::default().apply(input(Some("k-123"), "http://127.0.0.1:7000")).unwrap();
        let kept = s.apply(input(None, "http://127.0.0.1:7000/v1")).unwrap();
        assert_eq!(kept.connectors[0].api_key.expose(), "k-123");
        let moved = s.apply(input(None, "https://evil.test")).unwrap_err();
        assert_eq!(moved[0].field, "connectors.0.api_key");
    }

    #[test]
    fn reports_every_error_at_once() {
        let mut i = input(None, "http://crm.example.com");
        i.sites = vec!["<all_urls>".into()];
        i.default_region = "XX".into();
        i.team_domains = vec!["not a domain".into()];
        i.team_phones = vec!["call me maybe".into()];
        let errors = Settings::default().apply(i).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["connectors.0.base_url", "connectors.0.api_key", "sites.0", "team_domains.0", "default_region", "team_phones.0"]);
    }

    #[test]
    fn requested_origins_skip_what_does_not_parse() {
        let mut i = input(None, "https://crm.example.com:8443/api");
        i.sites.push("<all_urls>".into());
        assert_eq!(i.requested_origins(), ["http://127.0.0.1/*", "https://crm.example.com/*"]);
    }

    #[test]
    fn view_has_no_secret() {
        let s = Settings::default().apply(input(Some("canary-key-0123456789"), "http://127.0.0.1:7000")).unwrap();
        let json = serde_json::to_string(&s.view()).unwrap();
        assert!(!json.contains("canary-key-0123"), "{json}");
        assert!(json.contains("…6789"));
    }

    #[test]
    fn stored_round_trip_and_future_versions() {
        let s = Settings::default().apply(input(Some("k"), "http://127.0.0.1:1")).unwrap();
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(Settings::from_stored(Some(v)).unwrap(), s);
        assert_eq!(Settings::from_stored(None).unwrap(), Settings::default());
        assert!(Settings::from_stored(Some(serde_json::json!({"version": 99}))).is_err());
        assert!(Settings::from_stored(Some(serde_json::json!({"connectors": 5}))).is_err());
    }

    fn row(kind: &str, label: &str, pattern: &str) -> IdPatternInput {
        IdPatternInput { kind: kind.into(), label: label.into(), pattern: pattern.into() }
    }

    #[test]
    fn id_patterns_are_validated_per_row() {
        let mut i = input(Some("k"), "http://127.0.0.1:1");
        i.id_patterns = vec![
            row("order_id", " Order ", r"ORD-\d{4}-\d{6}"),
            row("customer_id", "", ""),
            row("customer_id", "", r"CUS-(?<id>\d+"),
            row("email", "Mail", r"x"),
            row("account_id", "", r"ACC-\d+"),
        ];
        let errors = Settings::default().apply(i.clone()).unwrap_err();
        let got: Vec<(&str, String)> = errors.iter().map(|e| (e.field.as_str(), crate::i18n::english(&e.message))).collect();
        assert_eq!(
            got,
            [("id_patterns.2.pattern", "unclosed group at 4".to_string()), ("id_patterns.3.kind", "unknown kind 'email'; one of customer_id, order_id, account_id".to_string())]
        );
        i.id_patterns.remove(3);
        i.id_patterns.remove(2);
        let s = Settings::default().apply(i).unwrap();
        assert_eq!(
            s.id_patterns,
            [
                IdPattern { kind: IdKind::OrderId, label: "Order".into(), pattern: r"ORD-\d{4}-\d{6}".into() },
                IdPattern { kind: IdKind::AccountId, label: String::new(), pattern: r"ACC-\d+".into() },
            ]
        );
        assert_eq!(s.view().id_patterns, s.id_patterns);
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["id_patterns"][0]["kind"], "order_id");
        assert_eq!(Settings::from_stored(Some(json)).unwrap(), s);
    }

    #[test]
    fn settings_stored_before_id_patterns_still_load() {
        let old = serde_json::json!({
            "version": 1,
            "connectors": [{"id": "c1", "kind": "demo_crm", "label": "CRM", "base_url": "http://127.0.0.1:7000", "api_key": "k"}],
            "sites": ["http://127.0.0.1/*"],
            "team_domains": ["acme.example"],
            "team_phones": [],
            "default_region": "CN"
        });
        let s = Settings::from_stored(Some(old)).unwrap();
        assert!(s.id_patterns.is_empty());
        assert_eq!(s.connectors[0].label, "CRM");
        // And an input from an older options page, without the field.
        let input: SettingsInput = serde_json::from_value(serde_json::json!({"sites": [], "default_region": "CN"})).unwrap();
        assert!(input.id_patterns.is_empty());
    }

    fn generic(definition: &str, secrets: &[(&str, &str)]) -> SettingsInput {
        let mut i = input(None, "https://api.crm.example");
        i.connectors[0].kind = "generic".into();
        i.connectors[0].definition = definition.into();
        i.connectors[0].secrets = secrets.iter().map(|(k, v)| (k.to_string(), Some(Secret::new(*v)))).collect();
        i
    }

    fn with_token_url(url: &str) -> String {
        serde_json::json!({
            "id": "t", "name": "T", "auth": {"kind": "refresh_token", "token_url": url},
            "lookups": {"email": [{"path": "/p", "query": {"e": "{value}"}}]}, "results": {"list": "/d"}, "map": {"id": "/id"}
        })
        .to_string()
    }

    #[test]
    fn cache_ttl_and_agents_have_defaults_and_bounds() {
        let stored = Settings::default().apply(input(Some("k"), "https://crm.example")).unwrap();
        assert_eq!((stored.cache_ttl_secs, stored.agents_per_key), (600, 1));
        // Settings stored before the fields existed read with the defaults.
        let old = serde_json::json!({"version": 1, "connectors": [], "sites": []});
        let s = Settings::from_stored(Some(old)).unwrap();
        assert_eq!((s.cache_ttl_secs, s.agents_per_key), (600, 1));
        let with = |ttl: &str, agents: &str| Settings::default().apply(SettingsInput { cache_ttl_secs: ttl.into(), agents_per_key: agents.into(), ..input(Some("k"), "https://crm.example") });
        let s = with(" 0 ", "12").unwrap();
        assert_eq!((s.cache_ttl_secs, s.agents_per_key), (0, 12));
        assert_eq!(s.view().cache_ttl_secs, 0);
        assert_eq!(with("86400", "10000").unwrap().cache_ttl_secs, 86_400);
        for (ttl, agents, field) in [("-1", "1", "cache_ttl_secs"), ("86401", "1", "cache_ttl_secs"), ("ten", "1", "cache_ttl_secs"), ("1.5", "1", "cache_ttl_secs"), ("5", "0", "agents_per_key"), ("5", "10001", "agents_per_key"), ("5", "x", "agents_per_key")] {
            let errors = with(ttl, agents).unwrap_err();
            assert_eq!(errors.len(), 1, "{ttl} {agents}");
            assert_eq!(errors[0].field, field);
        }
    }

    #[test]
    fn a_token_url_on_another_origin_is_asked_for_and_guards_the_stored_secrets() {
        let salesforce = with_token_url("https://login.salesforce.com/services/oauth2/token");
        let i = generic(&salesforce, &[("client_id", "id-1"), ("client_secret", "cs-1"), ("refresh_token", "rt-1")]);
        assert_eq!(i.requested_origins(), ["http://127.0.0.1/*", "https://api.crm.example/*", "https://login.salesforce.com/*"]);
        let s = Settings::default().apply(i).unwrap();
        assert_eq!(s.required_origins(), ["http://127.0.0.1/*", "https://api.crm.example/*", "https://login.salesforce.com/*"]);
        assert_eq!(s.connectors[0].secrets["refresh_token"].expose(), "rt-1");
        // The same token URL: the secrets left empty are kept.
        let kept = s.apply(generic(&salesforce, &[])).unwrap();
        assert_eq!(kept.connectors[0].secrets["client_secret"].expose(), "cs-1");
        // Another token origin: never send the stored secrets there.
        let errors = s.apply(generic(&with_token_url("https://login.evil.example/token"), &[])).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["connectors.0.client_id", "connectors.0.client_secret", "connectors.0.refresh_token"]);
        // A missing secret is named by its own field.
        let errors = Settings::default().apply(generic(&salesforce, &[("client_id", "x"), ("client_secret", "y")])).unwrap_err();
        assert_eq!(errors[0].field, "connectors.0.refresh_token");
        assert_eq!(crate::i18n::english(&errors[0].message), "Refresh token: required");
    }

    #[test]
    fn vip_rules_are_stored_shown_and_name_their_row() {
        let rule = crate::vip::VipRuleInput { name: "Key account".into(), tiers: "gold, platinum".into(), min_lifetime_value: "10000".into(), currency: "CNY".into(), ..Default::default() };
        let s = Settings::default().apply(SettingsInput { vip_rules: vec![rule.clone()], ..input(Some("k"), "https://crm.example") }).unwrap();
        assert_eq!(s.vip_rules[0].min_lifetime_value, Some(crate::vip::Amount { minor: 1_000_000, currency: "CNY".into() }));
        assert_eq!(s.view().vip_rules, s.vip_rules);
        assert_eq!(Settings::from_stored(Some(serde_json::to_value(&s).unwrap())).unwrap(), s);
        // Settings stored before rules existed have none.
        assert!(Settings::from_stored(Some(serde_json::json!({"version": 1}))).unwrap().vip_rules.is_empty());
        let bad = crate::vip::VipRuleInput { currency: "".into(), ..rule };
        let errors = Settings::default().apply(SettingsInput { vip_rules: vec![Default::default(), bad], ..input(Some("k"), "https://crm.example") }).unwrap_err();
        assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["vip_rules.1.currency"]);
    }

    #[test]
    fn crm_pages_are_patterns_and_sites_too() {
        let s = Settings::default().apply(SettingsInput { crm_pages: vec![" https://crm.example/contacts/* ".into(), "".into()], ..input(Some("k"), "https://crm.example") }).unwrap();
        assert_eq!(s.crm_pages, ["https://crm.example/contacts/*"]);
        assert_eq!(s.sites, ["http://127.0.0.1/*", "https://crm.example/contacts/*"]);
        assert!(s.required_origins().contains(&"https://crm.example/contacts/*".to_string()));
        assert_eq!(s.view().crm_pages, s.crm_pages);
        // Saving again does not add it twice.
        assert_eq!(s.apply(SettingsInput { sites: s.sites.clone(), crm_pages: s.crm_pages.clone(), ..input(Some("k"), "https://crm.example") }).unwrap().sites.len(), 2);
        let i = SettingsInput { crm_pages: vec!["https://crm.example/p/*".into()], ..input(Some("k"), "https://crm.example") };
        assert!(i.requested_origins().contains(&"https://crm.example/p/*".to_string()));
        let errors = Settings::default().apply(SettingsInput { crm_pages: vec!["<all_urls>".into()], ..input(Some("k"), "https://crm.example") }).unwrap_err();
        assert_eq!(errors[0].field, "crm_pages.0");
    }

    #[test]
    fn a_connectors_role_is_its_presets_or_the_admins_for_the_generic_one() {
        let mut c = ConnectorConfig::demo("c", "C", "https://x.example", "k");
        assert_eq!(c.role(), ConnectorRole::Crm);
        for (kind, role) in [(ConnectorKind::Zendesk, ConnectorRole::Helpdesk), (ConnectorKind::Freshdesk, ConnectorRole::Helpdesk), (ConnectorKind::HubSpot, ConnectorRole::Crm), (ConnectorKind::Salesforce, ConnectorRole::Crm)] {
            c.kind = kind;
            c.role = Some(if role == ConnectorRole::Crm { ConnectorRole::Helpdesk } else { ConnectorRole::Crm });
            assert_eq!(c.role(), role, "{kind:?}: the preset decides");
        }
        let def = serde_json::json!({"id": "d", "name": "Desk", "lookups": {"email": [{"path": "/u", "query": {"e": "{value}"}}]}, "results": {"list": "/d"}, "map": {"id": "/id"}}).to_string();
        let mut i = generic(&def, &[("api_key", "k")]);
        i.connectors[0].role = "helpdesk".into();
        let s = Settings::default().apply(i.clone()).unwrap();
        assert_eq!((s.connectors[0].role(), s.view().connectors[0].role), (ConnectorRole::Helpdesk, ConnectorRole::Helpdesk));
        i.connectors[0].role = String::new();
        assert_eq!(Settings::default().apply(i.clone()).unwrap().connectors[0].role(), ConnectorRole::Crm);
        i.connectors[0].role = "billing".into();
        let errors = Settings::default().apply(i).unwrap_err();
        assert_eq!((errors[0].field.as_str(), crate::i18n::english(&errors[0].message).as_str()), ("connectors.0.role", "unknown role 'billing'; one of crm, helpdesk"));
    }

    #[test]
    fn too_many_id_patterns() {
        let mut i = input(Some("k"), "http://127.0.0.1:1");
        i.id_patterns = (0..MAX_ID_PATTERNS + 1).map(|n| row("order_id", "", &format!("O{n}-\\d+"))).collect();
        let errors = Settings::default().apply(i).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, format!("id_patterns.{MAX_ID_PATTERNS}.pattern"));
    }
    const SALT: &str = "0123456789abcdef-salt";

    #[test]
    fn profiles_default_to_a_masking_agent_and_validate() {
        let s = Settings::default();
        assert_eq!(s.profile, "agent");
        assert_eq!(s.active_profile().masked, ["phone"]);
        assert!(s.profiles.iter().any(|p| p.id == "team_lead" && p.masked.is_empty()));
        // Settings stored before profiles existed read with the defaults.
        let old = Settings::from_stored(Some(serde_json::json!({"version": 1}))).unwrap();
        assert_eq!((old.profiles, old.profile.as_str(), old.profile_lock), (default_profiles(), "agent", None));
        // An unknown stored profile falls back to the agent's: never fewer masks.
        assert_eq!(Settings { profile: "ghost".into(), ..Settings::default() }.active_profile().id, "agent");
        let mut i = input(Some("k"), "https://crm.example");
        i.profile = "team_lead".into();
        i.profiles = vec![
            Profile { id: "agent".into(), hidden: vec!["notes".into()], masked: vec!["email".into(), "custom:Payout card".into()], mask_numbers: true },
        ];
        let s = Settings::default().apply(i.clone()).unwrap();
        assert_eq!(s.active_profile().id, "team_lead");
        assert_eq!(s.profiles[0].masked, ["email", "custom:Payout card"]);
        assert_eq!(s.profiles[1], default_profiles()[1], "a profile left out keeps its defaults");
        i.profile = "boss".into();
        i.profiles[0].masked = vec!["orders".into(), "shoe size".into()];
        i.profiles[0].hidden = vec!["custom:".into()];
        let errors = Settings::default().apply(i).unwrap_err();
        let got: Vec<(&str, String)> = errors.iter().map(|e| (e.field.as_str(), crate::i18n::english(&e.message))).collect();
        assert_eq!(
            got,
            [
                ("profiles.0.hidden.0", "unknown field 'custom:'".to_string()),
                ("profiles.0.masked.0", "'orders' cannot be masked; hide it instead".to_string()),
                ("profiles.0.masked.1", "unknown field 'shoe size'".to_string()),
                ("profile", "unknown profile 'boss'".to_string()),
            ]
        );
    }

    #[test]
    fn fields_are_validated_in_order() {
        let f = |field: &str, label: &str| FieldSetting { field: field.into(), label: label.into(), shown: true };
        let mut i = input(Some("k"), "https://crm.example");
        i.fields = vec![f(" phone ", " Mobile "), f("custom:Member since", ""), f("lifetime_value", "")];
        let s = Settings::default().apply(i.clone()).unwrap();
        assert_eq!(s.fields, [f("phone", "Mobile"), f("custom:Member since", ""), f("lifetime_value", "")]);
        assert_eq!(s.view().fields, s.fields);
        i.fields = vec![f("phone", ""), f("phone", ""), f("colour", ""), f("email", &"x".repeat(41))];
        let errors = Settings::default().apply(i).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["fields.1.field", "fields.2.field", "fields.3.label"]);
    }

    #[test]
    fn a_passcode_locks_the_profile() {
        let base = Settings::default().apply(input(Some("k"), "https://crm.example")).unwrap();
        // Locking needs a salt from the caller and four characters.
        let lock = |code: &str, salt: &str| SettingsInput { new_passcode: code.into(), salt: salt.into(), ..input(Some("k"), "https://crm.example") };
        assert_eq!(base.apply(lock("123", SALT)).unwrap_err()[0].field, "new_passcode");
        assert_eq!(crate::i18n::english(&base.apply(lock("1234", "")).unwrap_err()[0].message), "the browser gave no random salt; the passcode was not set");
        let locked = base.apply(lock("1234", SALT)).unwrap();
        let hash = locked.profile_lock.clone().unwrap();
        assert_eq!(hash.salt, SALT);
        assert!(!hash.hash.contains("1234") && hash.hash.len() == 64);
        assert!(hash.verify("1234") && !hash.verify("1235") && !hash.verify(""));
        assert_ne!(PasscodeHash::new("another-salt-0123456", "1234").hash, hash.hash, "salted");
        assert!(locked.view().profile_locked);
        assert!(!serde_json::to_string(&locked.view()).unwrap().contains(&hash.hash), "the hash stays in the background");
        // Other settings save without it; the profile does not change without it.
        let other = SettingsInput { team_domains: vec!["corp.example".into()], ..input(Some("k"), "https://crm.example") };
        assert_eq!(locked.apply(other).unwrap().profile_lock, Some(hash.clone()));
        let to_lead = |code: &str| SettingsInput { profile: "team_lead".into(), passcode: code.into(), ..input(Some("k"), "https://crm.example") };
        assert_eq!(locked.apply(to_lead("")).unwrap_err(), vec![err("passcode", Msg::CfgPasscodeNeeded)]);
        assert_eq!(locked.apply(to_lead("9999")).unwrap_err(), vec![err("passcode", Msg::CfgPasscodeWrong)]);
        assert_eq!(locked.apply(to_lead("1234")).unwrap().profile, "team_lead");
        // Unmasking a field of the agent's profile is a change of the profiles.
        let unmask = SettingsInput { profiles: vec![Profile { masked: Vec::new(), ..default_profiles()[0].clone() }], ..input(Some("k"), "https://crm.example") };
        assert_eq!(locked.apply(unmask).unwrap_err()[0].field, "passcode");
        // Removing the lock needs it too.
        let remove = |code: &str| SettingsInput { remove_lock: true, passcode: code.into(), ..input(Some("k"), "https://crm.example") };
        assert!(locked.apply(remove("0000")).is_err());
        assert_eq!(locked.apply(remove("1234")).unwrap().profile_lock, None);
    }
}
