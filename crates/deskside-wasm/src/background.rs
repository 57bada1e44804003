//! The background's message handler: checks the sender, runs the core's
//! decisions and performs the storage and network I/O they need.

use crate::env::Env;
use crate::client::{read_entry, send, Budget, Via};
use deskside_core::client::cache::{self, Decision, Entry};
use deskside_core::client::{self as layer, SourceNote};
use crate::{from_js, js_error_text, message_from_js, message_to_js, to_js};
use deskside_core::audit::{self, AuditEntry, AUDIT_KEY};
use deskside_core::config::{Settings, SettingsView};
use deskside_core::connector::trial::{sample_identifier, step as trial_step, ConnectorTest, TestOutcome};
use deskside_core::config::ConnectorConfig;
use deskside_core::connector::trial::TestStep;
use deskside_core::connector::{build_lookup, map_lookup, map_lookup_traced, map_related, read_token, related_kinds, related_requests, token_request, Answer, LookupError, Stamp};
use deskside_core::identify::Candidate;
use deskside_core::merge::Selection;
use deskside_core::model::Customer;
use deskside_core::secret::Secret;
use deskside_core::i18n::Msg;
use deskside_core::panel::CustomerView;
use deskside_core::flow::{
    check_panel, choice_allowed, finish_panel, frame_key, new_grant, next_identifier, page_appended, page_rules, page_scanned, panel_key, plan_panel, remember_choice, remember_record, select_records, tab_key,
    tab_state_survives, Choices, PanelGrant, PanelPlan, RelatedError, TabState, Tokens, CHOICES_KEY, RECORD_CHOICES_KEY,
};
use deskside_core::layout::{layout_for, remember_layout, Layouts, PanelLayout, LAYOUTS_KEY};
use deskside_core::panel::PanelState;
use deskside_core::weburl::{origin_of, site_matches};
use deskside_core::messages::{classify, Identity, Request, Response, SenderInfo, Tier};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The stored settings, parsed: kept in the worker while nothing changes
/// them (`kept.rs`, issue 23).
pub(crate) async fn load_settings(env: &Env) -> Result<Settings, String> {
    crate::kept::settings(env).await
}

/// A value kept in `storage.session` (per tab, tokens), if any and readable.
async fn session_value<T: serde::de::DeserializeOwned>(env: &Env, key: &str) -> Option<T> {
    present(env.session_get(key).await.ok()?)
}

/// A value kept in `storage.local` (choices, layouts), if any and readable.
async fn local_value<T: serde::de::DeserializeOwned>(env: &Env, key: &str) -> Option<T> {
    present(env.local_get(key).await.ok()?)
}

fn present<T: serde::de::DeserializeOwned>(raw: JsValue) -> Option<T> {
    if raw.is_undefined() || raw.is_null() {
        return None;
    }
    from_js(raw).ok()
}

pub(crate) async fn load_tab(env: &Env, tab_id: i64) -> Option<TabState> {
    session_value(env, &tab_key(tab_id)).await
}

async fn load_grant(env: &Env, tab_id: i64) -> Option<PanelGrant> {
    session_value(env, &panel_key(tab_id)).await
}

/// Forgets what the background holds for a tab: its candidates and its
/// panel's token (and the frame bound to it).
async fn forget_tab(env: &Env, tab_id: i64) -> Result<(), String> {
    let mut keys = vec![tab_key(tab_id), panel_key(tab_id)];
    keys.extend(load_grant(env, tab_id).await.map(|g| frame_key(&g.token)));
    env.session_remove(to_js(&keys)).await.map_err(|e| js_error_text(&e))?;
    Ok(())
}

/// A new token for the tab's next panel frame; the previous one is void.
async fn issue_grant(env: &Env, tab_id: i64) -> Result<PanelGrant, String> {
    let grant = new_grant(&env.random_token()).ok_or("the browser gave no random token")?;
    let old = load_grant(env, tab_id).await;
    env.session_set(&panel_key(tab_id), to_js(&grant)).await.map_err(|e| js_error_text(&e))?;
    if let Some(old) = old {
        env.session_remove(to_js(&[frame_key(&old.token)])).await.map_err(|e| js_error_text(&e))?;
    }
    Ok(grant)
}

/// A panel's request: answered only for the frame the tab's content script
/// made (its token, first presented by this frame), with the tab's state
/// only while the tab still shows the configured site it was read on.
pub(crate) async fn panel_tab(env: &Env, settings: &Settings, tab_id: i64, frame_id: i64, tab_url: &str, token: &str) -> Result<Result<Option<TabState>, String>, String> {
    // Read side by side (issue 23); the tab's state is used only if the check passes.
    let ((grant, bound), tab) = both(both(load_grant(env, tab_id), session_value::<f64>(env, &frame_key(token))), load_tab(env, tab_id)).await;
    let bound = bound.map(|f| f as i64);
    match check_panel(grant.as_ref(), token, frame_id, bound) {
        Err(reason) => return Ok(Err(reason.to_string())),
        Ok(true) => env.session_set(&frame_key(token), JsValue::from_f64(frame_id as f64)).await.map(|_| ()).map_err(|e| js_error_text(&e))?,
        Ok(false) => {}
    }
    if tab.as_ref().is_some_and(|t| !tab_state_survives(t, Some(tab_url), &settings.sites)) {
        env.session_remove(to_js(&[tab_key(tab_id)])).await.map_err(|e| js_error_text(&e))?;
        return Ok(Ok(None));
    }
    Ok(Ok(tab))
}

/// A tab navigated (the glue passes `tabs.onUpdated`'s URL, absent where
/// Deskside may not see it): what the background holds for it is dropped
/// unless the tab is still on the configured site it was read on.
#[wasm_bindgen]
pub async fn tab_updated(env: Env, tab_id: f64, url: Option<String>) {
    let tab_id = tab_id as i64;
    let Some(tab) = load_tab(&env, tab_id).await else {
        // Nothing read yet; a token without a page is dropped too.
        if url.is_none() {
            let _ = forget_tab(&env, tab_id).await;
        }
        return;
    };
    let sites = load_settings(&env).await.map(|s| s.sites).unwrap_or_default();
    if !tab_state_survives(&tab, url.as_deref(), &sites) {
        let _ = forget_tab(&env, tab_id).await;
    }
}

async fn load_layouts(env: &Env) -> Layouts {
    local_value(env, LAYOUTS_KEY).await.unwrap_or_default()
}

/// Where the panel sits on the site of `page_url`.
async fn site_layout(env: &Env, settings: &Settings, page_url: &str) -> PanelLayout {
    layout_for(&load_layouts(env).await, &origin_of(page_url).unwrap_or_default(), settings.panel_opens_expanded)
}

/// Remembers the layout for the site and tells the tab's content script.
async fn set_layout(env: &Env, tab_id: i64, page_url: &str, layout: PanelLayout) -> Result<(), String> {
    let mut layouts = load_layouts(env).await;
    remember_layout(&mut layouts, &origin_of(page_url).unwrap_or_default(), layout);
    env.local_set(LAYOUTS_KEY, to_js(&layouts)).await.map_err(|e| js_error_text(&e))?;
    env.tell_tab(tab_id as f64, message_to_js(&Response::Layout { layout }));
    Ok(())
}

/// The keyboard shortcut (`commands`): collapses or expands the panel in the
/// active tab, if that tab shows a configured site (its URL as the browser
/// reports it, absent elsewhere).
#[wasm_bindgen]
pub async fn toggle_panel(env: Env, tab_id: f64, url: Option<String>) {
    let Some(url) = url else { return };
    let Ok(settings) = load_settings(&env).await else { return };
    if !site_matches(&settings.sites, &url) {
        return;
    }
    let layout = site_layout(&env, &settings, &url).await.toggled();
    let _ = set_layout(&env, tab_id as i64, &url, layout).await;
}

/// The browser's side panel is always expanded, in its own place.
const SIDE_PANEL_LAYOUT: PanelLayout = PanelLayout { collapsed: false, side: deskside_core::layout::Side::Right };

/// The tab a browser side panel follows: its URL as the browser reports it
/// (none where Deskside may not see it) must be a configured site; its state
/// only while it is still on the site it was read on.
async fn followed_tab(env: &Env, settings: &Settings, tab_id: i64) -> Result<Option<(String, Option<TabState>)>, String> {
    let url = env.tab_url(tab_id as f64).await.ok().and_then(|v| v.as_string());
    let Some(url) = url.filter(|u| site_matches(&settings.sites, u)) else {
        return Ok(None);
    };
    let tab = load_tab(env, tab_id).await.filter(|t| tab_state_survives(t, Some(&url), &settings.sites));
    Ok(Some((url, tab)))
}

/// A side panel's request that acts on the tab it follows (`tab_url`, a
/// configured site, and what the background holds for it).
async fn side_panel_on_tab(env: &Env, settings: &Settings, tab_id: i64, tab_url: &str, tab: Option<TabState>, request: Request) -> Result<Response, String> {
    match request {
        Request::ChooseTabIdentifier { value, .. } => choose(env, settings, tab, &value, SIDE_PANEL_LAYOUT, true).await,
        Request::ChooseTabRecord { connector, record, .. } => choose_record(env, settings, tab, &connector, &record, SIDE_PANEL_LAYOUT, true).await,
        Request::GetTabWrites { .. } => crate::writes::writes_state(env, settings, tab_id, tab_url).await,
        Request::TabWrite { connector, record, kind, fields, .. } => crate::writes::start(env, settings, tab, tab_id, tab_url, &connector, &record, kind, fields).await,
        Request::RetryTabWrite { op, .. } => crate::writes::retry(env, settings, tab_id, tab_url, &op).await,
        other => Ok(Response::Rejected { reason: format!("{} is not allowed from this context", other.name()) }),
    }
}

/// The agent picked another identifier of the tab's page: remembered for the
/// ticket, then looked up.
async fn choose(env: &Env, settings: &Settings, tab: Option<TabState>, value: &str, layout: PanelLayout, visible: bool) -> Result<Response, String> {
    let Some(tab) = tab else {
        return Ok(Response::Rejected { reason: "no page scanned in this tab".into() });
    };
    if !choice_allowed(&tab, value) {
        return Ok(Response::Rejected { reason: "not an identifier of this page".into() });
    }
    let mut choices = load_choices(env).await;
    remember_choice(&mut choices, &tab.ticket, value);
    env.local_set(CHOICES_KEY, to_js(&choices)).await.map_err(|e| js_error_text(&e))?;
    panel_state(env, settings, Some(tab), &choices, layout, visible).await
}

/// The agent said which of a source's records is the ticket's customer (the
/// chooser's opaque handle for it, `flow::record_handle`, resolved here
/// among the records the tab's lookups found): remembered for the ticket,
/// then shown.
async fn choose_record(env: &Env, settings: &Settings, tab: Option<TabState>, connector: &str, handle: &str, layout: PanelLayout, visible: bool) -> Result<Response, String> {
    let Some(tab) = tab else {
        return Ok(Response::Rejected { reason: "no page scanned in this tab".into() });
    };
    let not_ours = || Ok(Response::Rejected { reason: "not a record of this page".into() });
    let Some(cfg) = settings.connectors.iter().find(|c| c.id == connector) else { return not_ours() };
    let salt = crate::monitor::salt(env).await?;
    let resolve = |c: &Customer| deskside_core::flow::record_for_handle(&salt, &tab.ticket, connector, handle, [c.id.as_str()]);
    let Some(record) = crate::writes::find_tab_record(env, cfg, &tab, resolve).await else { return not_ours() };
    let mut records: Choices = local_value(env, RECORD_CHOICES_KEY).await.unwrap_or_default();
    if !remember_record(&mut records, &tab.ticket, connector, &record) {
        return not_ours();
    }
    env.local_set(RECORD_CHOICES_KEY, to_js(&records)).await.map_err(|e| js_error_text(&e))?;
    panel_state(env, settings, Some(tab), &load_choices(env).await, layout, visible).await
}

/// Tells the extension's pages (a browser side panel following the tab) that
/// the tab's customer may have changed.
fn notify_if_changed(env: &Env, tab_id: i64, response: &Response) {
    if matches!(response, Response::Scanned { show_panel: true, .. }) {
        env.notify_pages(message_to_js(&Response::TabChanged { tab_id }));
    }
}

async fn load_choices(env: &Env) -> Choices {
    local_value(env, CHOICES_KEY).await.unwrap_or_default()
}

/// Looks up the customer for a tab (the agent's choice, or the best
/// identifier) in every enabled source, picks the record to show per source,
/// fetches its related records, and audits every access.
async fn panel_state(env: &Env, settings: &Settings, tab: Option<TabState>, choices: &Choices, layout: PanelLayout, visible: bool) -> Result<Response, String> {
    panel_state_with(env, settings, tab, choices, layout, visible, false).await
}

/// The tab's customer as the background itself last showed it (the panel's
/// own merge, from the cache only: no request, no audit entry): for checks
/// the panel is not trusted with (apply priority's VIP rule). `None` when an
/// answer it needs is not in the cache or no longer fresh: the panel must
/// be loaded again (which looks it up and audits it) before the check.
pub(crate) async fn tab_panel_state(env: &Env, settings: &Settings, tab: &TabState) -> Result<Option<PanelState>, String> {
    compute_panel(env, settings, Some(tab.clone()), &load_choices(env).await, None).await
}

/// The patterns of a connector's origins the browser has not granted.
async fn missing_origins(env: &Env, cfg: &ConnectorConfig) -> Vec<String> {
    // Each origin's answer kept until a permission changes (`kept.rs`, issue 23).
    crate::kept::missing_origins(env, &deskside_core::panel::connector_origins(cfg)).await
}

/// "Show": the tab's customer as the panel shows it, looked up where the
/// cache holds no fresh answer, every access audited. `refresh`: the agent
/// asked again; answers still fresh in the cache are fetched anew (a held
/// failure still waits for its time).
#[allow(clippy::too_many_arguments)]
async fn panel_state_with(env: &Env, settings: &Settings, tab: Option<TabState>, choices: &Choices, layout: PanelLayout, visible: bool, refresh: bool) -> Result<Response, String> {
    let computed = compute_panel(env, settings, tab, choices, Some(Fetch { visible, refresh })).await?;
    // (With a fetch, every source answers: never `None`.)
    Ok(Response::PanelState { state: computed.unwrap_or(PanelState::NoIdentifier), layout, language: settings.language })
}

/// How "show" may reach the sources: whether the agent sees the tab, and
/// whether fresh answers are asked again.
#[derive(Clone, Copy)]
struct Fetch {
    visible: bool,
    refresh: bool,
}

/// "Compute": the tab's customer from what the sources answer. With `fetch`
/// ("show"), sources are looked up through the request layer and each
/// identifier's accesses are audited as they are made; without it, only
/// their cached answers are read (fresh ones, or failures held), nothing is
/// audited, and `None` is answered when one is missing.
async fn compute_panel(env: &Env, settings: &Settings, tab: Option<TabState>, choices: &Choices, fetch: Option<Fetch>) -> Result<Option<PanelState>, String> {
    let (mut identifier, chosen) = match plan_panel(settings, tab.as_ref(), choices) {
        PanelPlan::Done(state) => return Ok(Some(state)),
        PanelPlan::Lookup { identifier, chosen } => (identifier, chosen),
    };
    let tab = tab.unwrap_or_default();
    // (The audit's salt read with the agent's record choices: one round trip.)
    let (record_choices, salt) = both(local_value::<Choices>(env, RECORD_CHOICES_KEY), crate::monitor::salt(env)).await;
    let (record_choices, salt) = (record_choices.unwrap_or_default(), salt?);
    let mut tried = vec![identifier.clone()];
    let mut first_not_found: Option<PanelState> = None;
    loop {
        let mut results = Vec::new();
        let mut notes = Vec::new();
        let mut kept = std::collections::BTreeMap::new();
        // Sources are few; asked one after another, each through the request
        // layer (on a CRM page, the helpdesk connectors only).
        let asked = deskside_core::flow::asked_connectors(settings, &tab);
        let mut not_granted: Vec<(usize, Vec<String>)> = Vec::new();
        for (i, cfg) in settings.connectors.iter().enumerate().filter(|(i, _)| asked.contains(i)) {
            // Not granted: the request would fail anyway; the panel asks for access.
            let missing = missing_origins(env, cfg).await;
            if !missing.is_empty() {
                results.push((i, Err(deskside_core::panel::permission_error(&missing))));
                not_granted.push((i, missing));
                continue;
            }
            let Some(s) = source(env, settings, i, cfg, &identifier, fetch).await else { return Ok(None) };
            results.push((i, s.result));
            notes.extend(s.note);
            kept.insert(i, (s.key, s.entry));
        }
        let mut outcomes = select_records(settings, &tab.ticket, &record_choices, results);
        for o in &mut outcomes {
            if let Ok(Selection::One { record, .. }) = &mut o.result {
                let cfg = &settings.connectors[o.index];
                let Some(r) = related(env, settings, cfg, kept.get(&o.index), record, fetch).await else { return Ok(None) };
                (o.related, o.related_errors) = r;
            }
        }
        let (state, entries) = finish_panel(settings, &tab, &identifier, outcomes, env.now(), &salt);
        let state = layer::annotate(settings, state, &notes);
        let state = deskside_core::panel::mark_sources(settings, state, &not_granted);
        if fetch.is_some() {
            append_audit(env, entries).await?;
        }
        // Nobody under this identifier: the next one on the page. If none
        // finds anyone either, the panel says so for the first.
        let first = first_not_found.take();
        match (&state, next_identifier(&tab, &tried, chosen)) {
            (PanelState::NotFound { .. }, Some(next)) => {
                first_not_found = first.or(Some(state));
                tried.push(next.clone());
                identifier = next;
            }
            (PanelState::NotFound { .. }, None) => return Ok(Some(first.unwrap_or(state))),
            _ => return Ok(Some(state)),
        }
    }
}

/// A settings holding only `cfg`: a job for one connector renews only its token.
pub(crate) fn alone(settings: &Settings, cfg: &ConnectorConfig) -> Settings {
    Settings { connectors: vec![cfg.clone()], ..settings.clone() }
}

pub(crate) fn env_clone(env: &Env) -> Env {
    AsRef::<JsValue>::as_ref(env).clone().unchecked_into::<Env>()
}

pub(crate) fn budget(settings: &Settings, cfg: &ConnectorConfig, visible: bool, now: f64) -> Via {
    // One budget per connector as configured: a new key or URL is a new budget.
    Via::Budget(Budget { connector: cache::config_hash(cfg), size: layer::bucket_size(settings, cfg), visible, started_ms: now, watch: crate::monitor::Watch::new(settings, cfg) })
}

/// How long a panel waits for a stale answer's refresh before showing the
/// stale one (and asking again shortly).
const REFRESH_GRACE_MS: u64 = 1_500;

/// One source's answer for the panel, through the request layer.
struct SourceAnswer {
    result: Result<Answer, LookupError>,
    note: Option<SourceNote>,
    key: String,
    entry: Option<Entry>,
}

/// One source for the panel: a fresh cached answer at once; a stale one
/// while a refresh runs (or its result, if quick); a failed one held until
/// its retry time (shown stale, counting down); else looked up, once for
/// every tab asking the same, within the connector's budget, retried by
/// the core's policy. Without `fetch`, nothing is looked up: `None` where
/// the answer is not fresh in the cache (nor a failure held).
async fn source(env: &Env, settings: &Settings, index: usize, cfg: &ConnectorConfig, id: &Candidate, fetch: Option<Fetch>) -> Option<SourceAnswer> {
    let config = cache::config_hash(cfg);
    let key = cache::entry_key(&config, id);
    let entry = read_entry(env, &key).await.filter(|e| e.config == config);
    let start = || {
        let live: Vec<String> = settings.connectors.iter().map(cache::config_hash).collect();
        crate::client::flight(&key, lookup_job(env_clone(env), alone(settings, cfg), id.clone(), key.clone(), config.clone(), live, fetch.is_some_and(|f| f.visible)))
    };
    let decision = match cache::decide(entry.as_ref(), env.now(), layer::ttl_ms(settings)) {
        Decision::Fresh if fetch.is_some_and(|f| f.refresh) => Decision::Stale,
        d => d,
    };
    let entry = match decision {
        Decision::Fresh | Decision::Hold { .. } => entry,
        Decision::Stale | Decision::Miss if fetch.is_none() => return None,
        Decision::Stale => match crate::client::within(&start(), REFRESH_GRACE_MS).await {
            Some(v) => present(v),
            None => {
                let stale = entry.as_ref().and_then(Entry::answer).unwrap_or_default();
                let note = SourceNote { index, stale_ms: entry.as_ref().map(|e| e.fetched_ms), problem: None, retry_in_ms: Some(layer::REFRESH_POLL_MS) };
                return Some(SourceAnswer { result: Ok(stale), note: Some(note), key, entry });
            }
        },
        Decision::Miss => present(crate::client::wait(&start()).await),
    };
    let now = env.now();
    let Some(e) = entry else {
        // (The job ended without an entry: the service worker stopped mid-lookup.)
        let lost = LookupError::Network { message: Msg::LookupNoService.into() };
        return Some(SourceAnswer { result: Err(lost), note: None, key, entry: None });
    };
    match &e.failure {
        Some(f) if f.retry_at_ms > now => {
            let retry_in_ms = Some((f.retry_at_ms - now).ceil() as u64);
            let (result, stale_ms) = match e.answer().filter(|_| cache::showable(&e, now)) {
                Some(a) => (Ok(a), Some(e.fetched_ms)),
                None => (Err(f.error.clone()), None),
            };
            Some(SourceAnswer { result, note: Some(SourceNote { index, stale_ms, problem: Some(f.error.clone()), retry_in_ms }), key, entry: Some(e) })
        }
        _ => Some(SourceAnswer { result: Ok(e.answer().unwrap_or_default()), note: None, key, entry: Some(e) }),
    }
}

/// A connector's lookup for one identifier, as one job for every tab: its
/// attempts retried by the core's policy, the related items of the record
/// it would show, the outcome kept in the cache (the answer, or the
/// failure with the last answer). Resolves to the entry.
async fn lookup_job(env: Env, settings: Settings, id: Candidate, key: String, config: String, live: Vec<String>, visible: bool) -> JsValue {
    let cfg = &settings.connectors[0];
    let started = env.now();
    let via = budget(&settings, cfg, visible, started);
    let mut tokens = access_tokens(&env, &settings, false).await;
    let mut attempts = 0;
    let result = loop {
        attempts += 1;
        match look_up(&env, &settings, cfg, &id, &mut tokens, &mut None, &via).await {
            Ok(a) => break Ok(a),
            Err(e) => match layer::retry::next_step(&layer::retry::POLICY, &e, attempts, (env.now() - started).max(0.0) as u64, crate::client::random()) {
                layer::retry::Next::RetryAfter(ms) => crate::client::sleep(ms).await,
                layer::retry::Next::Stop => break Err(e),
            },
        }
    };
    let now = env.now();
    let entry = match result {
        Ok(mut answer) => {
            // The record the panel shows unless the agent chose another: its related items now.
            // A failure is kept with the entry too, so the panel's own
            // `related` does not send the failed requests a second time.
            let mut done = None;
            if let Selection::One { mut record, .. } = deskside_core::merge::pick(answer.customers.clone(), cfg.pick, None) {
                let (_, errors) = fetch_related(&env, cfg, tokens.get(&cfg.id), &mut record, &mut None, &via).await;
                done = Some((record, errors));
            }
            answer.customers.iter_mut().for_each(|c| c.fetched_ms = 0.0);
            let entry = cache::on_success(&config, answer, now);
            match done {
                Some((r, errors)) if errors.is_empty() => entry.with_related(&r),
                Some((r, errors)) => related_failed(entry, &r, errors, env.now()),
                None => entry,
            }
        }
        Err(e) => cache::on_failure(read_entry(&env, &key).await, &config, e, now, &layer::retry::POLICY, crate::client::random()),
    };
    let mut secrets: Vec<String> = cfg.all_secrets().values().map(|s| s.expose().to_string()).collect();
    secrets.extend(tokens.values().map(|t| t.expose().to_string()));
    let live = live_now(&env, live).await;
    crate::client::write_entry(&env, &key, &entry, &live, &secrets).await;
    to_js(&entry)
}

/// The connectors configured now, as the cache keys them. A job runs for
/// seconds (retries, the budget's queue): the settings it started with may
/// have been replaced meanwhile, and writing with their list would prune the
/// new connectors' entries (the last known record a CRM outage then shows).
async fn live_now(env: &Env, started_with: Vec<String>) -> Vec<String> {
    match load_settings(env).await {
        Ok(settings) => settings.connectors.iter().map(cache::config_hash).collect(),
        Err(_) => started_with,
    }
}

/// The related items of the record shown: from the cache when fetched with
/// it, else fetched within the budget (and kept with the answer); without
/// `fetch`, `None` where the cache does not hold them.
async fn related(env: &Env, settings: &Settings, cfg: &ConnectorConfig, kept: Option<&(String, Option<Entry>)>, record: &mut Customer, fetch: Option<Fetch>) -> Option<(usize, Vec<RelatedError>)> {
    let cached = kept.and_then(|(_, e)| e.as_ref());
    if cached.is_some_and(|e| e.related_done(&record.id)) {
        return Some((0, Vec::new()));
    }
    // Failed a moment ago (by the lookup job, or another tab): said again, not sent again.
    if let Some(failed) = cached.and_then(|e| e.related_failure(&record.id, env.now())) {
        let kinds = related_kinds(cfg, record);
        return Some((0, failed.iter().map(|(into, error)| RelatedError { into: kinds.iter().copied().find(|k| Some(*k) == into.as_deref()), error: error.clone() }).collect()));
    }
    let fetch = fetch?;
    let alone = alone(settings, cfg);
    let tokens = access_tokens(env, &alone, false).await;
    let via = budget(settings, cfg, fetch.visible, env.now());
    let (n, errors) = fetch_related(env, cfg, tokens.get(&cfg.id), record, &mut None, &via).await;
    if let Some((key, Some(_))) = kept {
        let config = cache::config_hash(cfg);
        if let Some(e) = read_entry(env, key).await.filter(|e| e.config == config && e.failure.is_none()) {
            let live = live_now(env, settings.connectors.iter().map(cache::config_hash).collect()).await;
            let secrets: Vec<String> = cfg.all_secrets().values().map(|s| s.expose().to_string()).chain(tokens.values().map(|t| t.expose().to_string())).collect();
            let e = if errors.is_empty() { e.with_related(record) } else { related_failed(e, record, errors.clone(), env.now()) };
            crate::client::write_entry(env, key, &e, &live, &secrets).await;
        }
    }
    Some((n, errors))
}

/// The entry with `record`'s failed follow-ups kept until the request
/// layer's hold for the first error (the panel says which block failed
/// meanwhile, without sending it again).
fn related_failed(entry: Entry, record: &Customer, errors: Vec<RelatedError>, now: f64) -> Entry {
    let hold = errors.first().map_or(0, |e| layer::retry::hold_after_failure_ms(&layer::retry::POLICY, &e.error, 1, crate::client::random()));
    let failed = errors.into_iter().map(|e| (e.into.map(str::to_string), e.error)).collect();
    entry.with_related_failure(record, failed, now + hold as f64)
}

/// One connector's lookup: each of its requests for the identifier until one
/// finds a record or fails. An access token the API refuses is renewed once
/// (for every tab) and the request sent again. `trace` collects each step
/// for *Test connection*.
async fn look_up(env: &Env, settings: &Settings, cfg: &ConnectorConfig, id: &Candidate, tokens: &mut Tokens, trace: &mut Option<Vec<TestStep>>, via: &Via) -> Result<Answer, LookupError> {
    let attempts = build_lookup(cfg, tokens.get(&cfg.id), id, &stamp(env))?;
    let mut near_misses = 0;
    for (k, req) in attempts.iter().enumerate() {
        let mut sent = req.clone();
        let mut resp = send(env, via, &sent).await;
        if matches!(resp, Ok(ref r) if r.status == 401) && tokens.contains_key(&cfg.id) {
            *tokens = access_tokens(env, settings, true).await;
            if let Some(again) = build_lookup(cfg, tokens.get(&cfg.id), id, &stamp(env)).ok().and_then(|mut a| (k < a.len()).then(|| a.swap_remove(k))) {
                sent = again;
                resp = send(env, via, &sent).await;
            }
        }
        if let Some(steps) = trace {
            steps.push(trial_step(&sent, &resp));
        }
        // Where each value came from: only *Test connection* (tracing) shows it.
        let map = if trace.is_some() { map_lookup_traced } else { map_lookup };
        let answer = resp.and_then(|r| map(cfg, k, id, &sent.url, &r))?;
        near_misses += answer.near_misses;
        // Found: the next form of the identifier is not needed.
        if !answer.customers.is_empty() {
            return Ok(Answer { near_misses, ..answer });
        }
    }
    Ok(Answer { near_misses, ..Answer::default() })
}

/// Polls every future until all are done and answers their outputs in order:
/// they run side by side (each request's fetch is in flight at once).
async fn join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    use std::task::Poll;
    let mut futures: Vec<std::pin::Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (f, out) in futures.iter_mut().zip(outputs.iter_mut()) {
            if out.is_none() {
                match f.as_mut().poll(cx) {
                    Poll::Ready(v) => *out = Some(v),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending { Poll::Pending } else { Poll::Ready(()) }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

/// Two futures side by side: their storage reads in flight together, not one
/// round trip after another (issue 23).
pub(crate) async fn both<A: std::future::Future, B: std::future::Future>(a: A, b: B) -> (A::Output, B::Output) {
    use std::task::Poll;
    let (mut a, mut b) = (std::pin::pin!(a), std::pin::pin!(b));
    let (mut ra, mut rb) = (None, None);
    std::future::poll_fn(|cx| {
        if ra.is_none() {
            if let Poll::Ready(v) = a.as_mut().poll(cx) {
                ra = Some(v);
            }
        }
        if rb.is_none() {
            if let Poll::Ready(v) = b.as_mut().poll(cx) {
                rb = Some(v);
            }
        }
        match (ra.take(), rb.take()) {
            (Some(x), Some(y)) => Poll::Ready((x, y)),
            (x, y) => {
                (ra, rb) = (x, y);
                Poll::Pending
            }
        }
    })
    .await
}

/// The follow-up requests for the record shown (its deals, tickets, notes),
/// sent together; how many were sent, and what failed (named by what it fills).
async fn fetch_related(env: &Env, cfg: &ConnectorConfig, token: Option<&Secret>, record: &mut Customer, trace: &mut Option<Vec<TestStep>>, via: &Via) -> (usize, Vec<RelatedError>) {
    let requests = match related_requests(cfg, token, record, &stamp(env)) {
        Ok(r) => r,
        Err(error) => return (0, vec![RelatedError { into: None, error }]),
    };
    let kinds = related_kinds(cfg, record);
    // Started at once, side by side, in this task (no round trip of each
    // answer through a JS promise and its (de)serialisers: issue 23).
    let answers = join_all(requests.iter().map(|req| send(env, via, req)).collect()).await;
    let mut errors = Vec::new();
    for (k, (req, resp)) in requests.iter().zip(answers).enumerate() {
        if let Some(steps) = trace {
            steps.push(trial_step(req, &resp));
        }
        if let Err(error) = resp.and_then(|r| map_related(cfg, k, &req.url, &r, record)) {
            errors.push(RelatedError { into: kinds.get(k).copied(), error });
        }
    }
    (requests.len(), errors)
}

/// *Test connection*: the connector as the admin typed it (secrets typed
/// or, for the same origin, kept), against a sample identifier; every request
/// and answer is reported, secrets redacted. Nothing is stored.
async fn test_connector(env: &Env, settings: &Settings, input: deskside_core::config::ConnectorInput, sample: &str) -> ConnectorTest {
    let cfg = match settings.connector_from_input(0, input) {
        Ok(c) => c,
        Err(errors) => return ConnectorTest { steps: Vec::new(), outcome: TestOutcome::Invalid { errors } },
    };
    let Some(id) = sample_identifier(sample, &settings.default_region) else {
        return ConnectorTest { steps: Vec::new(), outcome: TestOutcome::Failed { message: Msg::TestBadSample.into(), needs_admin: false } };
    };
    let mut trace = Some(Vec::new());
    let mut tokens = Tokens::new();
    // Within the connector's rate budget like any lookup (the same budget
    // when it is the stored connector as it is): a test never throttles the team.
    let via = budget(settings, &cfg, true, env.now());
    if let Some(req) = token_request(&cfg) {
        let req = match req {
            Ok(r) => r,
            Err(e) => return ConnectorTest::failed(Vec::new(), &e),
        };
        let resp = send(env, &via, &req).await;
        let step = trial_step(&req, &resp);
        match resp.and_then(|r| read_token(&cfg, &r)) {
            Ok((token, _)) => {
                tokens.insert(cfg.id.clone(), token);
                trace = Some(vec![step]);
            }
            Err(e) => return ConnectorTest::failed(vec![step], &e),
        }
    }
    // A throwaway settings holding only this connector: a refused token is
    // not renewed from the stored ones.
    let alone = Settings { connectors: Vec::new(), ..settings.clone() };
    let result = look_up(env, &alone, &cfg, &id, &mut tokens, &mut trace, &via).await;
    let outcome = match result {
        Err(e) => return ConnectorTest::failed(trace.unwrap_or_default(), &e),
        Ok(a) if a.customers.is_empty() => TestOutcome::NotFound { identifier: id.value.clone(), id_kind: id.kind, near_misses: a.near_misses },
        Ok(a) => {
            let mut customers = Vec::new();
            for mut c in a.customers.clone() {
                let (_, errors) = fetch_related(env, &cfg, tokens.get(&cfg.id), &mut c, &mut trace, &via).await;
                if let Some(r) = errors.first() {
                    return ConnectorTest::failed(trace.unwrap_or_default(), &r.error);
                }
                customers.push(CustomerView::from_customer(&c));
            }
            TestOutcome::Found { customers, near_misses: a.near_misses, fields: a.provenance.into_iter().next().unwrap_or_default() }
        }
    };
    ConnectorTest { steps: trace.unwrap_or_default(), outcome }
}

/// Whether the agent sees the tab (its lookups wait less).
async fn tab_visible(env: &Env, tab_id: i64) -> bool {
    env.tab_visible(tab_id as f64).await.ok().and_then(|v| v.as_bool()).unwrap_or(false)
}

/// The time and a fresh random nonce, for signed requests.
pub(crate) fn stamp(env: &Env) -> Stamp {
    Stamp::new(env.now().max(0.0) as u64, &env.random_token())
}

/// An access token the background holds for a connector (`storage.session`,
/// never sent to a page), with when it must be renewed.
#[derive(serde::Serialize, serde::Deserialize)]
struct HeldToken {
    token: deskside_core::secret::Secret,
    renew_at_ms: f64,
}

fn token_key(connector_id: &str) -> String {
    format!("token:{connector_id}")
}

thread_local! {
    /// Token exchanges under way, by connector: every lookup (every tab)
    /// that needs a token meanwhile waits for the same one.
    static EXCHANGES: std::cell::RefCell<std::collections::BTreeMap<String, js_sys::Promise>> = Default::default();
}

/// The access tokens of the connectors whose auth exchanges secrets for one:
/// kept until a minute before they expire, exchanged once for all tabs
/// together, renewed when `renew` (the API refused the token). A failed
/// exchange leaves the connector without a token: its lookup then says why.
pub(crate) async fn access_tokens(env: &Env, settings: &Settings, renew: bool) -> Tokens {
    let mut tokens = Tokens::new();
    for cfg in settings.connectors.iter().filter(|c| c.enabled) {
        if token_request(cfg).is_none() {
            continue;
        }
        let key = token_key(&cfg.id);
        if !renew {
            if let Some(held) = session_value::<HeldToken>(env, &key).await.filter(|h| h.renew_at_ms > env.now()) {
                tokens.insert(cfg.id.clone(), held.token);
                continue;
            }
        }
        let running = EXCHANGES.with(|x| x.borrow().get(&cfg.id).cloned());
        let promise = match running {
            Some(p) => p,
            None => {
                let (env2, cfg2, key2) = (AsRef::<JsValue>::as_ref(env).clone().unchecked_into::<Env>(), cfg.clone(), key.clone());
                // The exchange spends the connector's rate budget like a lookup.
                let via = budget(settings, cfg, false, env.now());
                let p = wasm_bindgen_futures::future_to_promise(async move {
                    let result = exchange(&env2, &cfg2, &key2, &via).await;
                    EXCHANGES.with(|x| x.borrow_mut().remove(&cfg2.id));
                    Ok(JsValue::from_bool(result))
                });
                EXCHANGES.with(|x| x.borrow_mut().insert(cfg.id.clone(), p.clone()));
                p
            }
        };
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        if let Some(held) = session_value::<HeldToken>(env, &key).await {
            tokens.insert(cfg.id.clone(), held.token);
        }
    }
    tokens
}

/// One token exchange; the token is stored for every tab. `false` when it failed.
async fn exchange(env: &Env, cfg: &deskside_core::config::ConnectorConfig, key: &str, via: &Via) -> bool {
    let Some(Ok(req)) = token_request(cfg) else { return false };
    let Ok(resp) = send(env, via, &req).await else { return false };
    let Ok((token, expires_in)) = read_token(cfg, &resp) else {
        let _ = env.session_remove(to_js(&[key])).await;
        return false;
    };
    let held = HeldToken { token, renew_at_ms: env.now() + (f64::from(expires_in) - 60.0).max(30.0) * 1000.0 };
    env.session_set(key, to_js(&held)).await.is_ok()
}

pub(crate) async fn append_audit(env: &Env, entries: Vec<AuditEntry>) -> Result<(), String> {
    if entries.is_empty() {
        return Ok(());
    }
    // Forwarded to the admin's endpoint, if set, without waiting.
    crate::forward::queue(env, &entries);
    let raw = env.local_get(AUDIT_KEY).await.map_err(|e| js_error_text(&e))?;
    let mut log: Vec<AuditEntry> = if raw.is_undefined() || raw.is_null() { Vec::new() } else { from_js(raw).unwrap_or_default() };
    for e in entries {
        audit::append(&mut log, e);
    }
    env.local_set(AUDIT_KEY, to_js(&log)).await.map_err(|e| js_error_text(&e))?;
    Ok(())
}

/// Stores settings the options page saved or imported, with the
/// organisation's policy over them (what it sets cannot be changed here).
async fn store_settings(env: &Env, new: Settings) -> Result<Response, String> {
    let (new, managed) = overlay_policy(env, new).await;
    store_overlaid(env, new, managed).await
}

/// Stores settings the policy was laid over (`managed`: the keys it sets).
async fn store_overlaid(env: &Env, new: Settings, managed: Vec<String>) -> Result<Response, String> {
    crate::kept::store_settings(env, &new).await.map_err(|e| format!("could not save: {}", js_error_text(&e)))?;
    // Answers of connectors whose settings changed are dropped.
    crate::client::prune(env, &new.connectors.iter().map(cache::config_hash).collect::<Vec<_>>()).await;
    // Audit entries waiting for an endpoint (a new one, or one back up) go now.
    crate::forward::kick(env);
    Ok(Response::Settings { required_origins: new.required_origins(), settings: SettingsView { managed, ..new.view() } })
}

/// The organisation's policy (`storage.managed`; nothing where none is
/// set, or the browser has no managed storage) over `settings`, and the
/// keys it sets. An invalid policy changes nothing (its problems go to the console).
async fn overlay_policy(env: &Env, settings: Settings) -> (Settings, Vec<String>) {
    let raw = env.managed_get().await.unwrap_or(JsValue::UNDEFINED);
    let policy: serde_json::Value = if raw.is_undefined() || raw.is_null() { serde_json::Value::Null } else { from_js(raw).unwrap_or(serde_json::Value::Null) };
    let (s, keys, problems) = deskside_core::configfile::overlay(&settings, &policy);
    if !problems.is_empty() {
        let lines: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.path, serde_json::to_string(&p.message).unwrap_or_default())).collect();
        crate::log_detail(&format!("the organisation's Deskside policy was not applied: {}", lines.join("; ")));
    }
    (s, keys)
}

/// The policy applied to the stored settings, stored when it changed them.
async fn with_policy(env: &Env, settings: Settings) -> Result<(Settings, Vec<String>), String> {
    let (s, keys) = overlay_policy(env, settings.clone()).await;
    if s != settings {
        crate::kept::store_settings(env, &s).await.map_err(|e| js_error_text(&e))?;
    }
    Ok((s, keys))
}

/// The glue calls this when the service worker starts and when the
/// organisation's policy changes (`storage.onChanged`, area `managed`).
#[wasm_bindgen]
pub async fn policy_changed(env: Env) {
    if let Ok(settings) = load_settings(&env).await {
        let _ = with_policy(&env, settings).await;
    }
}

/// The settings' site patterns, for the glue to register the content script on.
#[wasm_bindgen]
pub async fn sites_to_register(env: Env) -> JsValue {
    match load_settings(&env).await {
        Ok(s) => to_js(&s.sites),
        Err(_) => to_js(&Vec::<String>::new()),
    }
}

/// Handles one runtime message. Never throws: every outcome is a
/// [`Response`], so the caller always gets an answer.
#[wasm_bindgen]
pub async fn handle_message(env: Env, msg: JsValue, sender: JsValue) -> JsValue {
    let response = match dispatch(&env, msg, sender).await {
        Ok(r) => r,
        Err(message) => Response::Failed { message },
    };
    message_to_js(&response)
}

async fn dispatch(env: &Env, msg: JsValue, sender: JsValue) -> Result<Response, String> {
    let identity: Identity = from_js(env.identity())?;
    let sender: SenderInfo = from_js(sender).map_err(|e| format!("bad sender: {e}"))?;
    let settings = load_settings(env).await?;
    let tier = match classify(&sender, &identity, &settings.sites) {
        Ok(t) => t,
        Err(reason) => return Ok(Response::Rejected { reason }),
    };
    let request: Request = match message_from_js(msg) {
        Ok(r) => r,
        Err(e) => return Ok(Response::Rejected { reason: format!("unknown message: {e}") }),
    };
    if !request.allowed(&tier) {
        return Ok(Response::Rejected { reason: format!("{} is not allowed from this context", request.name()) });
    }
    match (request, tier) {
        (Request::GetPageRules, Tier::ContentScript { page_url, .. }) => Ok(page_rules(&page_url)),
        (Request::PageAppended { snapshot }, Tier::ContentScript { tab_id, page_url }) => {
            let (state, response) = page_appended(&settings, &page_url, load_tab(env, tab_id).await, snapshot);
            if let Some(state) = state {
                env.session_set(&tab_key(tab_id), to_js(&state)).await.map_err(|e| js_error_text(&e))?;
            }
            notify_if_changed(env, tab_id, &response);
            Ok(response)
        }
        (Request::PageScanned { snapshot, list_rows, adapter, subject, status }, Tier::ContentScript { tab_id, page_url }) => {
            let previous = load_tab(env, tab_id).await;
            let (mut state, response) = page_scanned(&settings, &page_url, previous.as_ref(), snapshot, &list_rows);
            state.crm_page = deskside_core::flow::crm_page(&settings, &page_url, adapter.as_deref());
            (state.ticket_id, state.subject, state.status) = deskside_core::write::page_ticket(&page_url, adapter.as_deref(), &subject, &status);
            env.session_set(&tab_key(tab_id), to_js(&state)).await.map_err(|e| js_error_text(&e))?;
            // Its numbers counted with its customer (spawned: not awaited).
            crate::noticed::observe(env, &settings, &state);
            notify_if_changed(env, tab_id, &response);
            Ok(response)
        }
        (Request::PanelToken, Tier::ContentScript { tab_id, page_url }) => {
            let grant = issue_grant(env, tab_id).await?;
            Ok(Response::PanelToken { token: grant.token, layout: site_layout(env, &settings, &page_url).await, in_page: !settings.side_panel })
        }
        // Every side-panel request that acts on its tab (a choice, the writes):
        // refused in one place unless the tab shows a configured site.
        (
            request @ (Request::ChooseTabIdentifier { tab_id, .. }
            | Request::ChooseTabRecord { tab_id, .. }
            | Request::GetTabWrites { tab_id }
            | Request::TabWrite { tab_id, .. }
            | Request::RetryTabWrite { tab_id, .. }),
            Tier::SidePanel,
        ) => match followed_tab(env, &settings, tab_id).await? {
            Some((tab_url, tab)) => side_panel_on_tab(env, &settings, tab_id, &tab_url, tab, request).await,
            None => Ok(Response::Rejected { reason: "this tab is not a configured site".into() }),
        },
        (Request::GetTabPanelState { tab_id }, Tier::SidePanel) => {
            let Some((tab_url, tab)) = followed_tab(env, &settings, tab_id).await? else {
                return Ok(Response::PanelState { state: PanelState::NotASite, layout: SIDE_PANEL_LAYOUT, language: settings.language });
            };
            let _ = tab_url;
            panel_state(env, &settings, tab, &load_choices(env).await, SIDE_PANEL_LAYOUT, true).await
        }
        (Request::ChooseRecord { token, connector, record }, Tier::Panel { tab_id, frame_id, tab_url }) => {
            let tab = match panel_tab(env, &settings, tab_id, frame_id, &tab_url, &token).await? {
                Ok(tab) => tab,
                Err(reason) => return Ok(Response::Rejected { reason }),
            };
            let layout = site_layout(env, &settings, &tab_url).await;
            choose_record(env, &settings, tab, &connector, &record, layout, tab_visible(env, tab_id).await).await
        }
        (Request::SetPanelLayout { token, layout }, Tier::Panel { tab_id, frame_id, tab_url }) => {
            if let Err(reason) = panel_tab(env, &settings, tab_id, frame_id, &tab_url, &token).await? {
                return Ok(Response::Rejected { reason });
            }
            set_layout(env, tab_id, &tab_url, layout).await?;
            Ok(Response::Layout { layout })
        }
        (Request::RefreshPanel { token }, Tier::Panel { tab_id, frame_id, tab_url }) => {
            let tab = match panel_tab(env, &settings, tab_id, frame_id, &tab_url, &token).await? {
                Ok(tab) => tab,
                Err(reason) => return Ok(Response::Rejected { reason }),
            };
            let layout = site_layout(env, &settings, &tab_url).await;
            panel_state_with(env, &settings, tab, &load_choices(env).await, layout, true, true).await
        }
        (Request::RefreshTabPanel { tab_id }, Tier::SidePanel) => {
            let Some((_, tab)) = followed_tab(env, &settings, tab_id).await? else {
                return Ok(Response::PanelState { state: PanelState::NotASite, layout: SIDE_PANEL_LAYOUT, language: settings.language });
            };
            panel_state_with(env, &settings, tab, &load_choices(env).await, SIDE_PANEL_LAYOUT, true, true).await
        }
        (Request::GetPanelState { token }, Tier::Panel { tab_id, frame_id, tab_url }) => {
            // Read side by side; nothing but the check's answer is used unless the frame passes it.
            let (checked, (layout, (choices, visible))) =
                both(panel_tab(env, &settings, tab_id, frame_id, &tab_url, &token), both(site_layout(env, &settings, &tab_url), both(load_choices(env), tab_visible(env, tab_id)))).await;
            let tab = match checked? {
                Ok(tab) => tab,
                Err(reason) => return Ok(Response::Rejected { reason }),
            };
            panel_state(env, &settings, tab, &choices, layout, visible).await
        }
        (Request::ChooseIdentifier { value, token }, Tier::Panel { tab_id, frame_id, tab_url }) => {
            let tab = match panel_tab(env, &settings, tab_id, frame_id, &tab_url, &token).await? {
                Ok(tab) => tab,
                Err(reason) => return Ok(Response::Rejected { reason }),
            };
            let layout = site_layout(env, &settings, &tab_url).await;
            choose(env, &settings, tab, &value, layout, tab_visible(env, tab_id).await).await
        }
        (Request::GetWrites { token }, Tier::Panel { tab_id, frame_id, tab_url }) => {
            if let Err(reason) = panel_tab(env, &settings, tab_id, frame_id, &tab_url, &token).await? {
                return Ok(Response::Rejected { reason });
            }
            crate::writes::writes_state(env, &settings, tab_id, &tab_url).await
        }
        (Request::Write { token, connector, record, kind, fields }, Tier::Panel { tab_id, frame_id, tab_url }) => {
            let tab = match panel_tab(env, &settings, tab_id, frame_id, &tab_url, &token).await? {
                Ok(tab) => tab,
                Err(reason) => return Ok(Response::Rejected { reason }),
            };
            crate::writes::start(env, &settings, tab, tab_id, &tab_url, &connector, &record, kind, fields).await
        }
        (Request::RetryWrite { token, op }, Tier::Panel { tab_id, frame_id, tab_url }) => {
            if let Err(reason) = panel_tab(env, &settings, tab_id, frame_id, &tab_url, &token).await? {
                return Ok(Response::Rejected { reason });
            }
            crate::writes::retry(env, &settings, tab_id, &tab_url, &op).await
        }
        (Request::Ping, Tier::Panel { .. }) => Ok(Response::Pong),
        (Request::GetActivity, Tier::Options) => crate::monitor::activity(env, &settings).await,
        (Request::TestConnector { input, sample }, Tier::Options) => Ok(Response::TestResult { result: test_connector(env, &settings, input, &sample).await }),
        (Request::GetSettings, Tier::Options) => {
            let (settings, managed) = with_policy(env, settings).await?;
            Ok(Response::Settings { required_origins: settings.required_origins(), settings: SettingsView { managed, ..settings.view() } })
        }
        (Request::SaveSettings { mut input }, Tier::Options) => {
            // A new passcode's salt: the browser's randomness, never the page's.
            input.salt = env.random_token();
            match settings.apply(input) {
                Ok(new) => store_settings(env, new).await,
                Err(errors) => Ok(Response::SaveFailed { errors }),
            }
        }
        // "Add to our numbers": the stored settings with that number, and
        // nothing from the page's form (its unsaved edits stay unsaved).
        (Request::AddTeamPhone { number }, Tier::Options) => {
            let new = match settings.with_team_phone(&number) {
                Ok(new) => new,
                Err(errors) => return Ok(Response::SaveFailed { errors }),
            };
            let (after, managed) = overlay_policy(env, new.clone()).await;
            match new.team_phones_kept(&after) {
                Ok(()) => store_overlaid(env, after, managed).await,
                Err(errors) => Ok(Response::SaveFailed { errors }),
            }
        }
        (Request::ExportConfig { with_secrets }, Tier::Options) => {
            let (file, secrets) = deskside_core::configfile::export(&settings, with_secrets);
            Ok(Response::ConfigExport { text: serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?, secrets })
        }
        (Request::ImportConfig { text, passcode }, Tier::Options) => match deskside_core::configfile::import(&settings, &text, &passcode) {
            Ok(new) => store_settings(env, new).await,
            Err(problems) => Ok(Response::ImportFailed { problems }),
        },
        (Request::GetNoticedNumbers, Tier::Options) => crate::noticed::suggestions(env, &settings).await,
        (Request::DismissNoticedNumber { number }, Tier::Options) => crate::noticed::dismiss(env, &settings, &number).await,
        (Request::ForgetNoticedNumbers, Tier::Options) => crate::noticed::forget(env, &settings).await,
        _ => Ok(Response::Rejected { reason: "not allowed".into() }),
    }
}
