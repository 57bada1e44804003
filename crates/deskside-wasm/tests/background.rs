//! The background's message handler, run as wasm in Node with a fake
//! browser: sender checks, storage of settings, and a real `fetch` through
//! gloo-net (to a closed port, so the failure path is exercised).

use deskside_wasm::{handle_message, permissions_changed, salt_changed, settings_changed, tab_updated, Env};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

#[wasm_bindgen(inline_js = r#"
export function fakeEnv() {
  const local = new Map(), session = new Map();
  return {
    identity: { id: 'ext-id', base_url: 'chrome-extension://ext-id/' },
    async localGet(k) { return local.get(k); },
    async localSet(k, v) { local.set(k, JSON.parse(JSON.stringify(v))); },
    async localRemove(keys) { for (const k of [].concat(keys)) local.delete(k); },
    async tabVisible(tabId) { return tabId === 7; },
    async sessionGet(k) { return session.get(k); },
    async sessionSet(k, v) { session.set(k, JSON.parse(JSON.stringify(v))); },
    async sessionRemove(keys) { for (const k of [].concat(keys)) session.delete(k); },
    now() { return 1700000000000; },
    randomToken() { return crypto.randomUUID(); },
    told: [],
    tellTab(tabId, msg) { this.told.push([tabId, msg]); },
    notifyPages(msg) { this.told.push(['pages', msg]); },
    async tabUrl(tabId) { return tabId === 7 ? 'http://127.0.0.1:5555/tickets/1' : undefined; },
    async tabTitle(tabId) { return tabId === 7 ? 'Order 1 never arrived' : undefined; },
    badge: null,
    setBadge(text, title) { this.badge = [text, title]; },
    languages: ['en-US'],
    async loadCatalog(dir) { return '{}'; },
    managed: undefined,
    async managedGet() { return this.managed; },
    // Every origin granted but those in `denied` (the browser answers
    // `permissions.contains`); each origin asked is noted in `asked`.
    asked: [],
    denied: [],
    async missingOrigins(origins) { this.asked.push(...origins); return origins.filter((o) => this.denied.includes(o)); },
    askedJson() { return JSON.stringify(this.asked); },
    deny(origin) { this.denied.push(origin); },
    localJson(k) { return JSON.stringify(local.get(k) ?? null); },
    setLocalJson(k, s) { local.set(k, JSON.parse(s)); },
    setManaged(json) { this.managed = JSON.parse(json); },
    // The clock moves (a test whose requests reach a CRM: the request
    // layer's waits end by the clock).
    realClock() { this.now = () => Date.now(); },
    toldJson() { return JSON.stringify(this.told); },
    auditJson() { return JSON.stringify(local.get('audit') ?? null); },
    badgeJson() { return JSON.stringify(this.badge?.[0] ?? ''); },
    dump() { return JSON.stringify(Object.fromEntries(local)) + JSON.stringify(Object.fromEntries(session)); },
  };
}
// A CRM on http://127.0.0.1:7 answered in this process (every other
// origin still goes to the real fetch): Pipedrive-shaped, one person for
// li.na@example.cn (id 4242), a note accepted; each request noted.
const crmSeen = [];
export function installFakeCrm() {
  if (globalThis.__desksideFakeCrm) return;
  globalThis.__desksideFakeCrm = true;
  const real = globalThis.fetch;
  globalThis.fetch = async (req, init) => {
    const url = typeof req === 'string' ? req : req.url;
    if (!url.startsWith('http://127.0.0.1:7/')) return real(req, init);
    const method = typeof req === 'string' ? (init?.method ?? 'GET') : req.method;
    const body = typeof req === 'string' ? '' : await req.text();
    crmSeen.push({ method, url, body });
    const answer = (v) => new Response(JSON.stringify(v), { status: 200, headers: { 'content-type': 'application/json' } });
    if (url.includes('/persons/search')) return answer({ success: true, data: { items: [{ item: { id: 4242, name: 'Li Na', emails: ['li.na@example.cn'] } }] } });
    if (method === 'POST') return answer({ success: true, data: { id: 9001 } });
    return answer({ success: true, data: [] });
  };
}
export function fakeCrmSeen() { return JSON.stringify(crmSeen); }
export function json(v) { return JSON.stringify(v); }
export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
export function parse(s) { return JSON.parse(s); }
"#)]
extern "C" {
    type FakeEnv;
    #[wasm_bindgen(js_name = fakeEnv)]
    fn fake_env() -> FakeEnv;
    #[wasm_bindgen(method)]
    fn dump(this: &FakeEnv) -> String;
    #[wasm_bindgen(method, js_name = setManaged)]
    fn set_managed(this: &FakeEnv, json: &str);
    #[wasm_bindgen(method, js_name = toldJson)]
    fn told_json(this: &FakeEnv) -> String;
    #[wasm_bindgen(method, js_name = badgeJson)]
    fn badge_json(this: &FakeEnv) -> String;
    #[wasm_bindgen(method, js_name = auditJson)]
    fn audit_json(this: &FakeEnv) -> String;
    #[wasm_bindgen(method, js_name = askedJson)]
    fn asked_json(this: &FakeEnv) -> String;
    #[wasm_bindgen(method)]
    fn deny(this: &FakeEnv, origin: &str);
    #[wasm_bindgen(method, js_name = localJson)]
    fn local_json(this: &FakeEnv, key: &str) -> String;
    #[wasm_bindgen(method, js_name = realClock)]
    fn real_clock(this: &FakeEnv);
    #[wasm_bindgen(method, js_name = setLocalJson)]
    fn set_local_json(this: &FakeEnv, key: &str, json: &str);
    fn json(v: &JsValue) -> String;
    fn sleep(ms: u32) -> js_sys::Promise;
    fn parse(s: &str) -> JsValue;
    #[wasm_bindgen(js_name = installFakeCrm)]
    fn install_fake_crm();
    #[wasm_bindgen(js_name = fakeCrmSeen)]
    fn fake_crm_seen() -> String;
}

const OPTIONS: &str = r#"{"id":"ext-id","url":"chrome-extension://ext-id/options.html"}"#;
const CONTENT: &str = r#"{"id":"ext-id","url":"http://127.0.0.1:5555/tickets/1","tab_id":7,"frame_id":0}"#;
const PANEL: &str = r#"{"id":"ext-id","url":"chrome-extension://ext-id/panel.html","tab_id":7,"frame_id":3,"tab_url":"http://127.0.0.1:5555/tickets/1"}"#;
const KEY: &str = "canary-0123456789abcdef";
/// How the request layer's cache entries are keyed in `storage.local`.
const CACHE_ENTRY: &str = r#""lc:"#;

async fn send(env: &FakeEnv, msg: &str, sender: &str) -> String {
    // The fake is an ordinary JS object: hand over a second handle to it.
    let env: Env = AsRef::<JsValue>::as_ref(env).clone().unchecked_into();
    json(&handle_message(env, parse(msg), parse(sender)).await)
}

fn as_env(env: &FakeEnv) -> Env {
    AsRef::<JsValue>::as_ref(env).clone().unchecked_into()
}

/// The content script's token for tab 7's panel frame.
async fn panel_token(env: &FakeEnv) -> String {
    let answer = send(env, r#"{"type":"PanelToken"}"#, CONTENT).await;
    let v: serde_json::Value = serde_json::from_str(&answer).unwrap();
    v["token"].as_str().unwrap_or_else(|| panic!("{answer}")).to_string()
}

/// The content script's scan of a ticket whose requester is li.na@example.cn.
const SCAN_LI_NA: &str = r#"{"type":"PageScanned","snapshot":{"fields":[{"source":"mailto_link","text":"mailto:li.na@example.cn"}]}}"#;

/// Tab 7 scanned (its requester li.na@example.cn): the panel frame's token.
async fn scan_customer(env: &FakeEnv) -> String {
    send(env, SCAN_LI_NA, CONTENT).await;
    panel_token(env).await
}

fn get_panel(token: &str) -> String {
    format!(r#"{{"type":"GetPanelState","token":"{token}"}}"#)
}

async fn configure(env: &FakeEnv) {
    let save = format!(
        r#"{{"type":"SaveSettings","input":{{"connectors":[{{"id":"c1","kind":"demo_crm","base_url":"http://127.0.0.1:9","api_key":"{KEY}","enabled":true}}],"sites":["http://127.0.0.1/*"],"team_domains":["acme-support.example"],"default_region":"CN"}}}}"#
    );
    let answer = send(env, &save, OPTIONS).await;
    assert!(answer.contains(r#""type":"Settings""#), "{answer}");
}

#[wasm_bindgen_test]
async fn settings_are_stored_but_never_sent_back() {
    let env = fake_env();
    configure(&env).await;
    assert!(env.dump().contains(KEY), "the key must be stored");
    let answer = send(&env, r#"{"type":"GetSettings"}"#, OPTIONS).await;
    assert!(answer.contains(r#""hint":"…cdef""#), "{answer}");
    assert!(!answer.contains(KEY), "{answer}");
}

/// The contexts' `{type, ...}` form, moved to and from the externally tagged
/// Rust types: a unit message with extra fields still reads, a missing or
/// unknown `type` or a missing field is refused, and `type` comes first.
#[wasm_bindgen_test]
async fn messages_cross_in_the_contexts_type_tagged_form() {
    let env = fake_env();
    configure(&env).await;
    let answer = send(&env, r#"{"type":"GetSettings","url":"https://evil.example/"}"#, OPTIONS).await;
    assert!(answer.starts_with(r#"{"type":"Settings","settings":{"#), "{answer}");
    for msg in [r#"{"input":{}}"#, r#"{"type":7}"#, r#""GetSettings""#, r#"{"type":"Fetch"}"#, r#"{"type":"GetPanelState"}"#, r#"{"type":"GetPanelState","url":"x"}"#] {
        let answer = send(&env, msg, OPTIONS).await;
        assert!(answer.starts_with(r#"{"type":"Rejected","reason":"unknown message: "#), "{msg}: {answer}");
    }
    let answer = send(&env, r#"{"type":"PanelToken","extra":true}"#, CONTENT).await;
    assert!(answer.starts_with(r#"{"type":"PanelToken","token":""#), "{answer}");
}

#[wasm_bindgen_test]
async fn invalid_settings_are_refused_and_nothing_is_lost() {
    let env = fake_env();
    configure(&env).await;
    let bad = r#"{"type":"SaveSettings","input":{"connectors":[{"id":"c1","kind":"demo_crm","base_url":"https://evil.example","enabled":true}],"sites":["<all_urls>"]}}"#;
    let answer = send(&env, bad, OPTIONS).await;
    assert!(answer.contains(r#""type":"SaveFailed""#), "{answer}");
    // Message ids, for the page to render in its language.
    assert!(answer.contains(r#""message":{"id":"cfg_key_host_changed"}"#), "{answer}");
    assert!(env.dump().contains("http://127.0.0.1:9"), "the stored settings must survive a refused save");
}

#[wasm_bindgen_test]
async fn hostile_senders_and_messages_are_rejected() {
    let env = fake_env();
    configure(&env).await;
    for (msg, sender) in [
        (r#"{"type":"GetSettings"}"#, CONTENT),
        (r#"{"type":"GetSettings"}"#, PANEL),
        (r#"{"type":"GetSettings"}"#, r#"{"id":"other-ext","url":"chrome-extension://ext-id/options.html"}"#),
        (r#"{"type":"PageScanned","snapshot":{"fields":[]}}"#, r#"{"id":"ext-id","url":"https://evil.example/","tab_id":7,"frame_id":0}"#),
        (r#"{"type":"PageScanned","snapshot":{"fields":[]}}"#, r#"{"id":"ext-id","url":"http://127.0.0.1:5555/x","tab_id":7,"frame_id":9}"#),
        (r#"{"type":"Fetch","url":"https://evil.example/steal"}"#, CONTENT),
        (r#"{"nonsense":true}"#, OPTIONS),
        (r#"{"type":"ChooseIdentifier","value":"evil@attacker.example","token":"x"}"#, PANEL),
        (r#"{"type":"ChooseIdentifier","value":"li.na@example.cn","token":"x"}"#, CONTENT),
        (r#"{"type":"PanelToken"}"#, PANEL),
        (r#"{"type":"PanelToken"}"#, OPTIONS),
        (r#"42"#, OPTIONS),
    ] {
        let answer = send(&env, msg, sender).await;
        assert!(answer.contains(r#""type":"Rejected""#), "{msg} from {sender}: {answer}");
        assert!(!answer.contains(KEY));
    }
}

#[wasm_bindgen_test]
async fn a_panel_without_a_connector_says_so() {
    let env = fake_env();
    configure(&env).await;
    let off = r#"{"type":"SaveSettings","input":{"connectors":[{"id":"c1","kind":"demo_crm","base_url":"http://127.0.0.1:9","enabled":false}],"sites":["http://127.0.0.1/*"],"default_region":"CN"}}"#;
    assert!(send(&env, off, OPTIONS).await.contains(r#""type":"Settings""#));
    let token = panel_token(&env).await;
    let answer = send(&env, &get_panel(&token), PANEL).await;
    assert!(answer.contains(r#""state":"not_configured""#), "{answer}");
}

#[wasm_bindgen_test]
async fn a_panel_the_content_script_did_not_make_gets_nothing_and_costs_nothing() {
    let env = fake_env();
    configure(&env).await;
    let token = scan_customer(&env).await;
    let other_frame = PANEL.replace(r#""frame_id":3"#, r#""frame_id":4"#);
    let other_site = PANEL.replace("http://127.0.0.1:5555/tickets/1", "http://localhost:5555/hostile");
    for (msg, sender) in [
        // A page framing panel.html itself: no token, or a guess.
        (get_panel(""), PANEL.to_string()),
        (get_panel("00000000-0000-4000-8000-000000000000"), PANEL.to_string()),
        // The tab left the helpdesk for a site that is not configured.
        (get_panel(&token), other_site),
    ] {
        let answer = send(&env, &msg, &sender).await;
        assert!(answer.contains(r#""type":"Rejected""#), "{msg} from {sender}: {answer}");
    }
    assert!(!env.dump().contains(r#""audit":"#), "a refused panel made a lookup: {}", env.dump());
    // The content script's frame is answered, and from then on only it.
    let answer = send(&env, &get_panel(&token), PANEL).await;
    assert!(answer.contains(r#""state":"error""#), "{answer}");
    let answer = send(&env, &get_panel(&token), &other_frame).await;
    assert!(answer.contains(r#""type":"Rejected""#), "{answer}");
    // A new frame needs a new token; the old one is void.
    let fresh = panel_token(&env).await;
    assert_ne!(fresh, token);
    assert!(send(&env, &get_panel(&token), PANEL).await.contains(r#""type":"Rejected""#));
    assert!(send(&env, &get_panel(&fresh), &other_frame).await.contains(r#""state":"error""#));
}

#[wasm_bindgen_test]
async fn a_tab_that_leaves_the_configured_site_holds_no_customer() {
    let env = fake_env();
    configure(&env).await;
    scan_customer(&env).await;
    // Another ticket on the same site keeps it (the content script reads it anew).
    tab_updated(as_env(&env), 7.0, Some("http://127.0.0.1:5555/tickets/2".into())).await;
    assert!(env.dump().contains("li.na@example.cn"));
    // A site Deskside may not see (no URL), or one not configured: gone.
    tab_updated(as_env(&env), 7.0, None).await;
    let dump = env.dump();
    assert!(!dump.contains("li.na@example.cn") && !dump.contains("panel:7"), "{dump}");
}

#[wasm_bindgen_test]
async fn scan_then_lookup_reports_an_unreachable_crm_and_audits_it() {
    let env = fake_env();
    configure(&env).await;
    let scan = r#"{"type":"PageScanned","snapshot":{"fields":[
        {"source":"text","text":"From support@acme-support.example: hello"},
        {"source":"mailto_link","text":"mailto:Li.Na@Example.CN?cc=boss@example.cn"}]}}"#;
    let answer = send(&env, scan, CONTENT).await;
    // Li Na, and the ticket number from the page URL (ranked last, never looked up).
    assert_eq!(answer, r#"{"type":"Scanned","show_panel":true,"candidates":2,"list":0}"#);
    let token = panel_token(&env).await;
    let answer = send(&env, &get_panel(&token), PANEL).await;
    assert!(answer.contains(r#""state":"error""#), "{answer}");
    assert!(answer.contains(r#""identifier":{"value":"li.na@example.cn","label":"li.na@example.cn"}"#), "{answer}");
    assert!(answer.contains(r#""message":{"id":"err_network","args":[{"id":"lookup_no_service"}]}"#), "{answer}");
    let dump = env.dump();
    // Audited as the identifier's kind and a salted hash, never its value.
    let audit = env.audit_json();
    assert!(audit.contains(r#""id_kind":"email","subject_hash":""#) && audit.contains(r#""outcome":"network""#), "{audit}");
    assert!(!audit.to_lowercase().contains("li.na") && !audit.to_lowercase().contains("example.cn"), "{audit}");
    assert!(dump.contains(r#""audit_salt":""#), "{dump}");
    // The options page (only) reads the trail and the connector's numbers:
    // the failed request was counted.
    let activity = send(&env, r#"{"type":"GetActivity"}"#, OPTIONS).await;
    assert!(activity.starts_with(r#"{"type":"Activity","audit":[{"#), "{activity}");
    let v: serde_json::Value = serde_json::from_str(&activity).unwrap();
    let day = &v["monitor"][0]["day"];
    assert!(day["requests"].as_u64() >= Some(1) && day["errors"] == day["requests"] && day["ok"] == 0, "{activity}");
    // Every attempt failed, five or more: the toolbar badge warns.
    let expected = if day["requests"].as_u64() >= Some(5) { r#""!""# } else { r#""""# };
    assert_eq!(env.badge_json(), expected, "{activity}");
    assert!(activity.contains(r#"{"id":"mon_network"}"#), "{activity}");
    for sender in [CONTENT, PANEL] {
        assert!(send(&env, r#"{"type":"GetActivity"}"#, sender).await.contains(r#""type":"Rejected""#));
    }
    assert!(!answer.contains(KEY));
}

#[wasm_bindgen_test]
async fn page_rules_come_from_the_browser_url_and_appends_merge() {
    let env = fake_env();
    configure(&env).await;
    // The adapter is chosen by the URL the browser reports for the sender.
    let zendesk = r#"{"id":"ext-id","url":"http://127.0.0.1:5555/agent/tickets/4711","tab_id":8,"frame_id":0}"#;
    let rules = send(&env, r#"{"type":"GetPageRules","url":"https://evil.test/scp/tickets.php?id=1"}"#, zendesk).await;
    assert!(rules.contains(r#""adapter":"zendesk""#), "{rules}");
    assert!(!rules.contains("osticket"), "{rules}");
    // An append before any scan is refused: the content script scans whole.
    let appended = r#"{"type":"PageAppended","snapshot":{"fields":[{"source":"text","text":"call 138 0013 8000"}]}}"#;
    assert!(send(&env, appended, zendesk).await.contains(r#""type":"Rejected""#));
    let scan = r#"{"type":"PageScanned","snapshot":{"fields":[{"source":"requester_field","text":"mia.fischer@globex.example"}]}}"#;
    send(&env, scan, zendesk).await;
    // A new message: one more candidate, same best, so the panel stays.
    let answer = send(&env, appended, zendesk).await;
    assert_eq!(answer, r#"{"type":"Scanned","show_panel":false,"candidates":3,"list":0}"#);
    // Only a content script may send these.
    assert!(send(&env, appended, PANEL).await.contains(r#""type":"Rejected""#));
}

#[wasm_bindgen_test]
async fn the_browser_side_panel_shows_the_tab_it_follows_and_only_a_configured_one() {
    let env = fake_env();
    configure(&env).await;
    let side = r#"{"id":"ext-id","url":"chrome-extension://ext-id/sidepanel.html"}"#;
    send(&env, SCAN_LI_NA, CONTENT).await;
    // The scan told the extension's pages that tab 7 changed.
    assert!(env.told_json().contains(r#"["pages",{"type":"TabChanged","tab_id":7}]"#), "{}", env.told_json());
    let answer = send(&env, r#"{"type":"GetTabPanelState","tab_id":7}"#, side).await;
    assert!(answer.contains(r#""state":"error""#) && answer.contains("li.na@example.cn"), "{answer}");
    // A tab Deskside may not see (not a configured site): no customer, no lookup.
    let answer = send(&env, r#"{"type":"GetTabPanelState","tab_id":8}"#, side).await;
    assert!(answer.contains(r#""state":"not_a_site""#), "{answer}");
    // Only the side panel may ask for a tab by its id.
    for sender in [PANEL, CONTENT, OPTIONS] {
        let answer = send(&env, r#"{"type":"GetTabPanelState","tab_id":7}"#, sender).await;
        assert!(answer.contains(r#""type":"Rejected""#), "{sender}: {answer}");
    }
}

#[wasm_bindgen_test]
async fn every_side_panel_request_that_acts_on_a_tab_is_refused_for_a_tab_that_is_not_a_configured_site() {
    let env = fake_env();
    configure(&env).await;
    send(&env, SCAN_LI_NA, CONTENT).await;
    let side = r#"{"id":"ext-id","url":"chrome-extension://ext-id/sidepanel.html"}"#;
    let requests = [
        r#""type":"ChooseTabIdentifier","value":"li.na@example.cn""#,
        r#""type":"ChooseTabRecord","connector":"c1","record":"r1""#,
        r#""type":"GetTabWrites""#,
        r#""type":"TabWrite","connector":"c1","record":"r1","kind":"note","fields":{"text":"hello"}"#,
        r#""type":"RetryTabWrite","op":"op-1""#,
    ];
    for r in requests {
        // Tab 8: its URL is not one Deskside may see.
        let answer = send(&env, &format!(r#"{{{r},"tab_id":8}}"#), side).await;
        assert_eq!(answer, r#"{"type":"Rejected","reason":"this tab is not a configured site"}"#, "{r}");
        // Tab 7 (a configured site): the request reaches its own handler.
        let answer = send(&env, &format!(r#"{{{r},"tab_id":7}}"#), side).await;
        assert!(!answer.contains("not a configured site") && !answer.contains("not allowed"), "{r}: {answer}");
        // Only the side panel names a tab by its id.
        for sender in [PANEL, CONTENT, OPTIONS] {
            let answer = send(&env, &format!(r#"{{{r},"tab_id":7}}"#), sender).await;
            assert!(answer.contains(r#""type":"Rejected""#), "{r} from {sender}: {answer}");
        }
    }
}

#[wasm_bindgen_test]
async fn the_panels_layout_is_remembered_per_site_and_told_to_the_tab() {
    let env = fake_env();
    configure(&env).await;
    let answer = send(&env, r#"{"type":"PanelToken"}"#, CONTENT).await;
    // Collapsed until the agent expands it on the site; on the page (no side panel).
    assert!(answer.contains(r#""layout":{"collapsed":true,"side":"right"},"in_page":true"#), "{answer}");
    let token = panel_token(&env).await;
    let set = format!(r#"{{"type":"SetPanelLayout","token":"{token}","layout":{{"collapsed":false,"side":"left"}}}}"#);
    assert!(send(&env, &set, PANEL).await.contains(r#""type":"Layout""#));
    assert!(env.told_json().contains(r#"[7,{"type":"Layout","layout":{"collapsed":false,"side":"left"}}]"#), "{}", env.told_json());
    let answer = send(&env, r#"{"type":"PanelToken"}"#, CONTENT).await;
    assert!(answer.contains(r#""layout":{"collapsed":false,"side":"left"}"#), "{answer}");
    // Not with another tab's token.
    let forged = set.replace(&token, "00000000-0000-4000-8000-000000000000");
    assert!(send(&env, &forged, PANEL).await.contains(r#""type":"Rejected""#));
}

#[wasm_bindgen_test]
async fn a_crm_contact_page_is_remembered_only_for_a_crm_adapter_that_applies_to_the_url() {
    let env = fake_env();
    configure(&env).await;
    let hubspot = CONTENT.replace("/tickets/1", "/contacts/4242/record/0-1/5101");
    let scan = |adapter: &str| format!(r#"{{"type":"PageScanned","snapshot":{{"fields":[{{"source":"mailto_link","text":"mailto:li.na@example.cn"}}]}},"adapter":"{adapter}"}}"#);
    let crm_page = |env: &FakeEnv| env.dump().contains(r#""crm_page":true"#);
    send(&env, &scan("hubspot"), &hubspot).await;
    assert!(crm_page(&env), "{}", env.dump());
    // A helpdesk's adapter, or a CRM's claimed on a page it does not describe: a ticket page.
    send(&env, &scan("zendesk"), &hubspot).await;
    assert!(!crm_page(&env), "{}", env.dump());
    send(&env, &scan("hubspot"), CONTENT).await;
    assert!(!crm_page(&env), "{}", env.dump());
}

#[wasm_bindgen_test]
async fn the_organisations_policy_overrides_and_locks_what_it_sets() {
    let env = fake_env();
    configure(&env).await;
    env.set_managed(r#"{"team_domains": ["corp.example"], "profile": "agent", "profiles": [{"id": "agent", "masked": ["email", "phone"]}]}"#);
    let answer: serde_json::Value = serde_json::from_str(&send(&env, r#"{"type":"GetSettings"}"#, OPTIONS).await).unwrap();
    assert_eq!(answer["settings"]["managed"], serde_json::json!(["profile", "profiles", "team_domains"]), "{answer}");
    assert_eq!(answer["settings"]["team_domains"], serde_json::json!(["corp.example"]));
    // A save cannot change what the policy sets; the rest is saved.
    let save = r#"{"type":"SaveSettings","input":{"connectors":[{"id":"c1","kind":"demo_crm","base_url":"http://127.0.0.1:9","enabled":true}],"sites":["http://127.0.0.1/*"],"team_domains":["mine.example"],"team_phones":["400-820-8820"],"profile":"team_lead","default_region":"CN"}}"#;
    let answer: serde_json::Value = serde_json::from_str(&send(&env, save, OPTIONS).await).unwrap();
    assert_eq!(answer["settings"]["team_domains"], serde_json::json!(["corp.example"]), "{answer}");
    assert_eq!(answer["settings"]["profile"], "agent");
    assert_eq!(answer["settings"]["team_phones"], serde_json::json!(["+864008208820"]));
    assert!(env.dump().contains("corp.example") && !env.dump().contains("mine.example"));
}

#[wasm_bindgen_test]
async fn the_configuration_exports_without_keys_unless_asked_and_a_broken_import_changes_nothing() {
    let env = fake_env();
    configure(&env).await;
    let plain = send(&env, r#"{"type":"ExportConfig","with_secrets":false}"#, OPTIONS).await;
    assert!(plain.contains("ConfigExport") && !plain.contains(KEY), "{plain}");
    let with = send(&env, r#"{"type":"ExportConfig","with_secrets":true}"#, OPTIONS).await;
    assert!(with.contains(KEY), "{with}");
    // Not from a page or a panel.
    assert!(send(&env, r#"{"type":"ExportConfig","with_secrets":true}"#, CONTENT).await.contains("Rejected"));
    let before = env.dump();
    let broken = serde_json::json!({"type": "ImportConfig", "text": r#"{"deskside_config": 1, "sites": 5, "default_region": "XX"}"#}).to_string();
    let answer = send(&env, &broken, OPTIONS).await;
    assert!(answer.contains("ImportFailed") && answer.contains(r#""path":"$.sites""#), "{answer}");
    assert_eq!(env.dump(), before, "an invalid file changes nothing");
    let good = serde_json::json!({"type": "ImportConfig", "text": r#"{"deskside_config": 1, "team_domains": ["imported.example"]}"#}).to_string();
    assert!(send(&env, &good, OPTIONS).await.contains("imported.example"));
    assert!(env.dump().contains("imported.example") && env.dump().contains(KEY), "the key kept for the same connector");
}

#[wasm_bindgen_test]
async fn a_panel_frame_may_ask_whether_the_background_still_hears_it() {
    let env = fake_env();
    configure(&env).await;
    // The panel's check after a long wait (an orphaned frame gets no answer at all).
    assert_eq!(send(&env, r#"{"type":"Ping"}"#, PANEL).await, r#"{"type":"Pong"}"#);
    for sender in [CONTENT, OPTIONS] {
        assert!(send(&env, r#"{"type":"Ping"}"#, sender).await.contains(r#""type":"Rejected""#), "{sender}");
    }
}

#[wasm_bindgen_test]
async fn a_priority_write_is_refused_unless_the_background_itself_shows_a_vip() {
    let env = fake_env();
    // The Zendesk preset (it has "apply priority"), its API unreachable, and a VIP rule.
    let save = format!(
        r#"{{"type":"SaveSettings","input":{{"connectors":[{{"id":"c1","kind":"zendesk","base_url":"http://127.0.0.1:9","secrets":{{"username":"agent@acme-support.example/token","password":"{KEY}"}},"enabled":true}}],"sites":["http://127.0.0.1/*"],"team_domains":["acme-support.example"],"default_region":"CN","vip_rules":[{{"name":"Key account","tiers":"platinum"}}]}}}}"#
    );
    let answer = send(&env, &save, OPTIONS).await;
    assert!(answer.contains(r#""type":"Settings""#), "{answer}");
    let token = scan_customer(&env).await;
    let write = format!(r#"{{"type":"Write","token":"{token}","connector":"c1","record":"","kind":"priority","fields":{{}}}}"#);
    // Before the panel showed anyone, the check has nothing in the cache to
    // read: refused (refresh the panel), and nothing is looked up for it.
    let answer = send(&env, &write, PANEL).await;
    assert!(answer.contains(r#""type":"WriteInvalid""#) && answer.contains("write_priority_reload"), "{answer}");
    assert!(!env.dump().contains(CACHE_ENTRY), "no lookup ran: {}", env.dump());
    assert_eq!(env.audit_json(), "null", "nothing was looked up, so nothing audited");
    // The panel shows the tab's customer (the CRM unreachable: an error, audited once).
    assert!(send(&env, &get_panel(&token), PANEL).await.contains(r#""state":"error""#));
    let audited = |env: &FakeEnv| serde_json::from_str::<Vec<serde_json::Value>>(&env.audit_json()).unwrap().len();
    let shown = audited(&env);
    assert!(shown >= 1);
    // A panel (or anything able to send as one) asks for the write though no
    // VIP customer is shown for the tab: refused, with the reason, nothing recorded,
    // and the check does not log the customer as shown a second time.
    let answer = send(&env, &write, PANEL).await;
    assert!(answer.contains(r#""type":"WriteInvalid""#) && answer.contains("write_priority_not_vip"), "{answer}");
    assert!(!env.dump().contains("write_ops") || env.dump().contains(r#""write_ops":[]"#), "{}", env.dump());
    assert_eq!(audited(&env), shown, "{}", env.audit_json());
}

#[wasm_bindgen_test]
async fn the_panel_holds_the_shown_records_handle_and_a_write_naming_anything_else_is_refused() {
    install_fake_crm();
    let env = fake_env();
    env.real_clock();
    // Pipedrive (it writes notes) on the fake CRM, which knows li.na@example.cn as person 4242.
    let save = format!(
        r#"{{"type":"SaveSettings","input":{{"connectors":[{{"id":"c1","kind":"pipedrive","base_url":"http://127.0.0.1:7","api_key":"{KEY}","enabled":true}}],"sites":["http://127.0.0.1/*"],"team_domains":["acme-support.example"],"default_region":"CN"}}}}"#
    );
    let answer = send(&env, &save, OPTIONS).await;
    assert!(answer.contains(r#""type":"Settings""#), "{answer}");
    let token = scan_customer(&env).await;
    let shown = send(&env, &get_panel(&token), PANEL).await;
    assert!(shown.contains(r#""state":"found""#) && shown.contains("Li Na"), "{shown}");
    // The panel gets the record's handle, never its id: outside the record
    // row (shown as the admin and the profile allow) nothing names it
    // (Pipedrive gives no link here).
    let v: serde_json::Value = serde_json::from_str(&shown).unwrap();
    let handle = v["state"]["customer"]["sources"][0]["record"].as_str().unwrap_or_else(|| panic!("{shown}")).to_string();
    assert_eq!(handle.len(), 32, "{shown}");
    let without_record_row = {
        let mut v = v.clone();
        v["state"]["customer"]["details"].as_array_mut().unwrap().retain(|d| d["field"] != "record");
        v.to_string()
    };
    assert!(!without_record_row.contains("4242"), "{shown}");
    let write = |token: &str, record: &str| format!(r#"{{"type":"Write","token":"{token}","connector":"c1","record":"{record}","kind":"note","fields":{{"text":"Refund sent"}}}}"#);
    let posts = || serde_json::from_str::<Vec<serde_json::Value>>(&fake_crm_seen()).unwrap().into_iter().filter(|r| r["method"] == "POST").count();
    let posts_before = posts();
    // A write naming the raw id (what the panel used to hold), a made-up
    // handle, or another ticket's handle for the same record: refused with
    // the panel's message, nothing recorded, nothing sent.
    let other_ticket = deskside_core::flow::record_handle(&serde_json::from_str::<String>(&env.local_json("audit_salt")).unwrap(), "http://127.0.0.1:5555/tickets/2", "c1", "4242");
    for record in ["4242", "0123456789abcdef0123456789abcdef", "", other_ticket.as_str()] {
        let answer = send(&env, &write(&token, record), PANEL).await;
        assert!(answer.contains(r#""type":"WriteInvalid""#) && answer.contains("write_record_not_shown"), "{record}: {answer}");
    }
    assert!(!env.dump().contains("write_ops") || env.dump().contains(r#""write_ops":[]"#), "{}", env.dump());
    assert_eq!(posts(), posts_before, "{}", fake_crm_seen());
    // The handle the panel holds: recorded against the real record.
    let answer = send(&env, &write(&token, &handle), PANEL).await;
    assert!(answer.contains(r#""type":"Writes""#), "{answer}");
    let ops: serde_json::Value = serde_json::from_str(&env.local_json("write_ops")).unwrap();
    assert_eq!(ops.as_array().map(Vec::len), Some(1), "{ops}");
    assert_eq!(ops[0]["input"]["record_id"], "4242", "{ops}");
}

// Issue 23: the worker keeps the parsed settings and the granted origins
// while it lives; a change the browser reports (or a Save) is seen at once.

#[wasm_bindgen_test]
async fn the_settings_are_kept_until_the_browser_reports_a_change() {
    let env = fake_env();
    configure(&env).await;
    let sites = |answer: &str| serde_json::from_str::<serde_json::Value>(answer).unwrap()["settings"]["sites"].clone();
    let get = r#"{"type":"GetSettings"}"#;
    assert_eq!(sites(&send(&env, get, OPTIONS).await), serde_json::json!(["http://127.0.0.1/*"]));
    // Changed in storage behind the worker's back, with no change event: the kept settings answer.
    let mut stored: serde_json::Value = serde_json::from_str(&env.local_json("settings")).unwrap();
    stored["sites"] = serde_json::json!(["https://help.example/*"]);
    env.set_local_json("settings", &stored.to_string());
    assert_eq!(sites(&send(&env, get, OPTIONS).await), serde_json::json!(["http://127.0.0.1/*"]));
    // `storage.onChanged`: read fresh.
    settings_changed(as_env(&env));
    assert_eq!(sites(&send(&env, get, OPTIONS).await), serde_json::json!(["https://help.example/*"]));
    // A Save is seen by the very next message (no change event needed).
    let save = r#"{"type":"SaveSettings","input":{"connectors":[],"sites":["https://desk.example/*"],"default_region":"CN"}}"#;
    assert!(send(&env, save, OPTIONS).await.contains(r#""type":"Settings""#));
    assert_eq!(sites(&send(&env, get, OPTIONS).await), serde_json::json!(["https://desk.example/*"]));
    // Another env (a fresh worker, another test) never sees what this one kept.
    let other = fake_env();
    assert_eq!(sites(&send(&other, get, OPTIONS).await), serde_json::json!([]));
}

#[wasm_bindgen_test]
async fn a_granted_origin_is_asked_once_until_a_permission_changes_and_a_missing_one_every_time() {
    let env = fake_env();
    configure(&env).await;
    let token = scan_customer(&env).await;
    let asked = |env: &FakeEnv| serde_json::from_str::<Vec<String>>(&env.asked_json()).unwrap();
    send(&env, &get_panel(&token), PANEL).await;
    let first = asked(&env);
    assert!(!first.is_empty(), "the browser was not asked");
    send(&env, &get_panel(&token), PANEL).await;
    assert_eq!(asked(&env), first, "a granted origin was asked again");
    // `permissions.onRemoved`: asked again, and now missing; so the panel says so, every time.
    let origin = first[0].clone();
    env.deny(&origin);
    permissions_changed(as_env(&env));
    let answer = send(&env, &get_panel(&token), PANEL).await;
    assert!(answer.contains(r#""state":"error""#), "{answer}");
    assert_eq!(asked(&env).len(), 2 * first.len());
    send(&env, &get_panel(&token), PANEL).await;
    let now = asked(&env);
    assert_eq!(now.len(), 2 * first.len() + 1, "only the missing origin is asked again: {now:?}");
    assert_eq!(now.last(), Some(&origin), "a missing origin was answered from memory");
}

/// Tab 7 scanned: a ticket of `email` whose agent's reply is signed with the
/// team's hotline (not listed) and, on every ticket of that customer, their own number.
fn scan_with_hotline(email: &str, own: &str) -> String {
    format!(
        r#"{{"type":"PageScanned","snapshot":{{"fields":[{{"source":"mailto_link","text":"mailto:{email}"}},{{"source":"text","text":"Hello, my number is {own}.\n\nHi, it is done.\n\nTom Becker\nAcme Support\n+86 400 820 8888"}}]}}}}"#
    )
}

#[wasm_bindgen_test]
async fn numbers_on_many_customers_tickets_are_suggested_to_the_options_page_only() {
    let env = fake_env();
    configure(&env).await;
    let settle = || wasm_bindgen_futures::JsFuture::from(sleep(50));
    // Four customers, each with the hotline; one of them on three tickets.
    for (email, own) in [("a@x.example", "138 0013 8001"), ("b@x.example", "138 0013 8002"), ("c@x.example", "138 0013 8003"), ("c@x.example", "138 0013 8003"), ("c@x.example", "138 0013 8003")] {
        assert!(send(&env, &scan_with_hotline(email, own), CONTENT).await.contains(r#""type":"Scanned""#));
        settle().await.unwrap();
    }
    let answer = send(&env, r#"{"type":"GetNoticedNumbers"}"#, OPTIONS).await;
    assert_eq!(answer, r#"{"type":"NoticedNumbers","suggestions":[]}"#, "three customers: below the threshold");
    assert!(!env.local_json("noticed_numbers").contains("4008208888") && !env.local_json("noticed_numbers").contains("13800138003"));
    send(&env, &scan_with_hotline("d@x.example", "138 0013 8004"), CONTENT).await;
    settle().await.unwrap();
    let answer = send(&env, r#"{"type":"GetNoticedNumbers"}"#, OPTIONS).await;
    assert!(answer.contains(r#""number":"+864008208888","display":"+86 400 820 8888","customers":4"#), "{answer}");
    assert!(!answer.contains("13800138003"), "a customer's own number on their own tickets: {answer}");
    // Only the options page may ask, dismiss or forget.
    for msg in [r#"{"type":"GetNoticedNumbers"}"#, r#"{"type":"DismissNoticedNumber","number":"+864008208888"}"#, r#"{"type":"ForgetNoticedNumbers"}"#] {
        for sender in [CONTENT, PANEL, r#"{"id":"other-ext","url":"chrome-extension://ext-id/options.html"}"#] {
            let answer = send(&env, msg, sender).await;
            assert!(answer.contains(r#""type":"Rejected""#), "{msg} from {sender}: {answer}");
        }
    }
    assert!(env.local_json("noticed_numbers").contains("+864008208888"), "a refused request changed nothing");
    // Listed as the team's through the settings: no longer suggested.
    let save = r#"{"type":"SaveSettings","input":{"connectors":[{"id":"c1","kind":"demo_crm","base_url":"http://127.0.0.1:9","enabled":true}],"sites":["http://127.0.0.1/*"],"team_domains":["acme-support.example"],"team_phones":["+86 400 820 8888"],"default_region":"CN"}}"#;
    assert!(send(&env, save, OPTIONS).await.contains(r#""team_phones":["+864008208888"]"#));
    assert_eq!(send(&env, r#"{"type":"GetNoticedNumbers"}"#, OPTIONS).await, r#"{"type":"NoticedNumbers","suggestions":[]}"#);
    // "Not ours" and "Forget" answer the list.
    let answer = send(&env, r#"{"type":"DismissNoticedNumber","number":"+864008208888"}"#, OPTIONS).await;
    assert_eq!(answer, r#"{"type":"NoticedNumbers","suggestions":[]}"#);
    assert!(!env.local_json("noticed_numbers").contains("+864008208888"));
    assert_eq!(send(&env, r#"{"type":"ForgetNoticedNumbers"}"#, OPTIONS).await, r#"{"type":"NoticedNumbers","suggestions":[]}"#);
    assert_eq!(env.local_json("noticed_numbers"), r#"{"numbers":[],"dismissed":[]}"#);
}

#[wasm_bindgen_test]
async fn add_team_phone_stores_that_number_alone_from_the_options_page_only() {
    let env = fake_env();
    configure(&env).await;
    let stored = || serde_json::from_str::<serde_json::Value>(&env.local_json("settings")).unwrap();
    let before = stored();
    let add = |n: &str| format!(r#"{{"type":"AddTeamPhone","number":"{n}"}}"#);
    // Only the options page may add.
    for sender in [CONTENT, PANEL, r#"{"id":"other-ext","url":"chrome-extension://ext-id/options.html"}"#] {
        let answer = send(&env, &add("+864008208888"), sender).await;
        assert!(answer.contains(r#""type":"Rejected""#), "{sender}: {answer}");
    }
    assert_eq!(stored(), before, "a refused request changed nothing");
    // Added (a national form, read with the default region), and nothing else changed.
    let answer = send(&env, &add("400 820 8888"), OPTIONS).await;
    assert!(answer.contains(r#""type":"Settings""#) && answer.contains(r#""team_phones":["+864008208888"]"#), "{answer}");
    let mut expected = before.clone();
    expected["team_phones"] = serde_json::json!(["+864008208888"]);
    assert_eq!(stored(), expected);
    // The next message sees it (the settings kept in the worker), and again: no duplicate.
    let answer = send(&env, &add("+864008208888"), OPTIONS).await;
    assert!(answer.contains(r#""team_phones":["+864008208888"]"#), "{answer}");
    assert_eq!(stored(), expected);
    // Not a number: the field's error, nothing stored.
    let answer = send(&env, &add("call me maybe"), OPTIONS).await;
    assert!(answer.contains(r#""type":"SaveFailed""#) && answer.contains(r#""field":"team_phones""#) && answer.contains("cfg_bad_phone"), "{answer}");
    assert_eq!(stored(), expected);
    // The organisation's policy sets the team's numbers: not added, said so, nothing stored.
    env.set_managed(r#"{"team_phones": ["+864008208888"]}"#);
    settings_changed(as_env(&env));
    let answer = send(&env, &add("+8613800138000"), OPTIONS).await;
    assert!(answer.contains(r#""type":"SaveFailed""#) && answer.contains(r#""field":"team_phones""#) && answer.contains("cfg_team_phones_managed"), "{answer}");
    assert!(!env.local_json("settings").contains("8613800138000"));
    // A policy on other keys: added, and the policy's keys reported.
    env.set_managed(r#"{"team_domains": ["corp.example"]}"#);
    settings_changed(as_env(&env));
    let answer = send(&env, &add("+8613800138000"), OPTIONS).await;
    assert!(answer.contains(r#""team_phones":["+864008208888","+8613800138000"]"#) && answer.contains(r#""managed":["team_domains"]"#), "{answer}");
}

#[wasm_bindgen_test]
async fn the_audit_salt_is_made_once_kept_and_follows_the_stored_one() {
    let env = fake_env();
    configure(&env).await;
    let dismissed = |env: &FakeEnv| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(&env.local_json("noticed_numbers")).unwrap();
        v["dismissed"].as_array().map(|a| a.iter().filter_map(|k| k.as_str().map(String::from)).collect()).unwrap_or_default()
    };
    let key = |salt: &str, n: &str| deskside_core::audit::subject_hash(salt, &format!("noticed-number\0{n}"));
    let dismiss = |n: &str| format!(r#"{{"type":"DismissNoticedNumber","number":"{n}"}}"#);
    let stored_salt = |env: &FakeEnv| serde_json::from_str::<Option<String>>(&env.local_json("audit_salt")).unwrap();
    // A fresh install asked by several messages at once: one salt, made once, used by all.
    assert_eq!(stored_salt(&env), None);
    let all = js_sys::Array::new();
    for n in ["+864008200001", "+864008200002", "+864008200003", "+864008200004"] {
        let (env, msg) = (AsRef::<JsValue>::as_ref(&env).clone().unchecked_into::<FakeEnv>(), dismiss(n));
        all.push(&wasm_bindgen_futures::future_to_promise(async move { Ok(JsValue::from_str(&send(&env, &msg, OPTIONS).await)) }));
    }
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::all(&all)).await.unwrap();
    let first = stored_salt(&env).expect("a salt stored");
    for n in ["+864008200001", "+864008200002", "+864008200003", "+864008200004"] {
        assert!(dismissed(&env).contains(&key(&first, n)), "{n} hashed with another salt than the stored one");
    }
    // Kept: a write the worker was not told of is not read...
    let other = "another-salt-0123456789abcdef";
    env.set_local_json("audit_salt", &format!("{other:?}"));
    send(&env, &dismiss("+864008200005"), OPTIONS).await;
    assert!(dismissed(&env).contains(&key(&first, "+864008200005")));
    // ...and the browser's change event (with the new value) is followed at once.
    salt_changed(as_env(&env), JsValue::from_str(other));
    send(&env, &dismiss("+864008200006"), OPTIONS).await;
    assert!(dismissed(&env).contains(&key(other, "+864008200006")));
    // Removed (or the area cleared): forgotten; the next use makes and stores a new one.
    env.set_local_json("audit_salt", "null");
    salt_changed(as_env(&env), JsValue::UNDEFINED);
    send(&env, &dismiss("+864008200007"), OPTIONS).await;
    let made = stored_salt(&env).expect("a new salt stored");
    assert!(made != first && made != other);
    assert!(dismissed(&env).contains(&key(&made, "+864008200007")));
}
