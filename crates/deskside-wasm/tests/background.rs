//! The background's message handler, run as wasm in Node with a fake
//! browser: sender checks, storage of settings, and a real `fetch` through
//! gloo-net (to a closed port, so the failure path is exercised).

use deskside_wasm::{handle_message, Env};
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
    async sessionGet(k) { return session.get(k); },
    async sessionSet(k, v) { session.set(k, JSON.parse(JSON.stringify(v))); },
    now() { return 1700000000000; },
    dump() { return JSON.stringify(Object.fromEntries(local)) + JSON.stringify(Object.fromEntries(session)); },
  };
}
export function json(v) { return JSON.stringify(v); }
export function parse(s) { return JSON.parse(s); }
"#)]
extern "C" {
    type FakeEnv;
    #[wasm_bindgen(js_name = fakeEnv)]
    fn fake_env() -> FakeEnv;
    #[wasm_bindgen(method)]
    fn dump(this: &FakeEnv) -> String;
    fn json(v: &JsValue) -> String;
    fn parse(s: &str) -> JsValue;
}

const OPTIONS: &str = r#"{"id":"ext-id","url":"chrome-extension://ext-id/options.html"}"#;
const CONTENT: &str = r#"{"id":"ext-id","url":"http://127.0.0.1:5555/tickets/1","tab_id":7,"frame_id":0}"#;
const PANEL: &str = r#"{"id":"ext-id","url":"chrome-extension://ext-id/panel.html","tab_id":7,"frame_id":3}"#;
const KEY: &str = "canary-0123456789abcdef";

async fn send(env: &FakeEnv, msg: &str, sender: &str) -> String {
    // The fake is an ordinary JS object: hand over a second handle to it.
    let env: Env = AsRef::<JsValue>::as_ref(env).clone().unchecked_into();
    json(&handle_message(env, parse(msg), parse(sender)).await)
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

#[wasm_bindgen_test]
async fn invalid_settings_are_refused_and_nothing_is_lost() {
    let env = fake_env();
    configure(&env).await;
    let bad = r#"{"type":"SaveSettings","input":{"connectors":[{"id":"c1","kind":"demo_crm","base_url":"https://evil.example","enabled":true}],"sites":["<all_urls>"]}}"#;
    let answer = send(&env, bad, OPTIONS).await;
    assert!(answer.contains(r#""type":"SaveFailed""#), "{answer}");
    assert!(answer.contains("enter the API key again"), "{answer}");
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
        (r#"{"type":"ChooseIdentifier","value":"evil@attacker.example"}"#, PANEL),
        (r#"{"type":"ChooseIdentifier","value":"li.na@example.cn"}"#, CONTENT),
        (r#"42"#, OPTIONS),
    ] {
        let answer = send(&env, msg, sender).await;
        assert!(answer.contains(r#""type":"Rejected""#), "{msg} from {sender}: {answer}");
        assert!(!answer.contains(KEY));
    }
}

#[wasm_bindgen_test]
async fn unconfigured_panel_says_so() {
    let env = fake_env();
    let answer = send(&env, r#"{"type":"GetPanelState"}"#, PANEL).await;
    // Nothing configured: no site matches, so even the scan is refused, and
    // the panel is told to ask for setup.
    assert!(answer.contains(r#""state":"not_configured""#), "{answer}");
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
    assert_eq!(answer, r#"{"type":"Scanned","show_panel":true,"candidates":2}"#);
    let answer = send(&env, r#"{"type":"GetPanelState"}"#, PANEL).await;
    assert!(answer.contains(r#""state":"error""#), "{answer}");
    assert!(answer.contains(r#""identifier":"li.na@example.cn""#), "{answer}");
    assert!(answer.contains("Could not reach the CRM"), "{answer}");
    let dump = env.dump();
    assert!(dump.contains(r#""subject":"l***@example.cn""#) && dump.contains(r#""outcome":"network""#), "{dump}");
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
    assert_eq!(answer, r#"{"type":"Scanned","show_panel":false,"candidates":3}"#);
    // Only a content script may send these.
    assert!(send(&env, appended, PANEL).await.contains(r#""type":"Rejected""#));
}
