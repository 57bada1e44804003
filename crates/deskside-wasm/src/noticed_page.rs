//! The options page's "Numbers on many customers' tickets", under the team's
//! numbers: each number the background suggests (`GetNoticedNumbers`) with
//! how many different customers' tickets it was seen on, "Add to our
//! numbers" (`AddTeamPhone`: the background adds that one number to the
//! stored team numbers, validated there; the rest of the form, with any
//! edits the admin has not saved, is neither sent nor refilled: the number
//! is only appended to the team numbers field), "Not ours"
//! (`DismissNoticedNumber`) and "Forget what Deskside noticed"
//! (`ForgetNoticedNumbers`). Nothing is decided here.

use crate::dom::{append, by_id, clear, document, el, on_click};
use crate::env::PageEnv;
use crate::i18n::current;
use crate::{js_error_text, message_from_js, message_to_js};
use crate::options::{failure_detail, status_in};
use deskside_core::i18n::{data, Msg, Text};
use deskside_core::messages::{Request, Response};
use deskside_core::noticed::Suggestion;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::Document;

/// Wires the section's "Forget" button and loads the list.
pub fn start(env: Rc<PageEnv>) {
    let doc = document();
    if let Some(b) = by_id(&doc, "noticed_forget") {
        let env = env.clone();
        on_click(&b, move || ask(&env, Request::ForgetNoticedNumbers));
    }
    ask(&env, Request::GetNoticedNumbers);
}

/// Loads the list again (after a Save or an Add: a number added is no longer suggested).
pub fn reload() {
    if let Some(env) = crate::options::page_env() {
        ask(&env, Request::GetNoticedNumbers);
    }
}

/// Sends `request` and shows the suggestions it answers.
fn ask(env: &Rc<PageEnv>, request: Request) {
    let env = env.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let doc = document();
        let answer = env.send(message_to_js(&request)).await;
        match answer.map_err(|e| js_error_text(&e)).and_then(message_from_js::<Response>) {
            Ok(Response::NoticedNumbers { suggestions }) => render(&doc, &env, &suggestions),
            Ok(other) => crate::log_detail(&format!("noticed numbers: {other:?}")),
            Err(e) => crate::log_detail(&format!("noticed numbers: {e}")),
        }
    });
}

fn render(doc: &Document, env: &Rc<PageEnv>, suggestions: &[Suggestion]) {
    let (Some(list), Some(empty)) = (by_id(doc, "noticed_list"), by_id(doc, "noticed_empty")) else { return };
    clear(&list);
    let _ = list.set_attribute("data-count", &suggestions.len().to_string());
    if let Some(e) = empty.dyn_ref::<web_sys::HtmlElement>() {
        e.set_hidden(!suggestions.is_empty());
    }
    let t = current();
    for s in suggestions {
        let li = el(doc, "li", "noticed-item", "");
        let _ = li.set_attribute("data-number", &s.number);
        append(&li, &el(doc, "span", "noticed-number", &s.display));
        let count = Text::new(if s.capped { Msg::OptNoticedCustomersMany } else { Msg::OptNoticedCustomers }, [data(s.customers)]);
        append(&li, &el(doc, "span", "noticed-count", &t.t(&count)));
        let add = el(doc, "button", "noticed-add", &t.m(Msg::OptNoticedAdd));
        let _ = add.set_attribute("type", "button");
        let (env_add, number, display) = (env.clone(), s.number.clone(), s.display.clone());
        on_click(&add, move || add_to_team(&env_add, &number, &display));
        append(&li, &add);
        let dismiss = el(doc, "button", "noticed-dismiss", &t.m(Msg::OptNoticedDismiss));
        let _ = dismiss.set_attribute("type", "button");
        let (env, number) = (env.clone(), s.number.clone());
        on_click(&dismiss, move || ask(&env, Request::DismissNoticedNumber { number: number.clone() }));
        append(&li, &dismiss);
        append(&list, &li);
    }
}

/// The section's own status line, beside its buttons.
const STATUS: &str = "noticed_status";

/// "Add to our numbers": the background adds just this number to the
/// stored team numbers (`AddTeamPhone`), never the page's form: a Save
/// would store every other field as it stands, edits the admin has not
/// meant to save included. Once stored, the number is appended to the team
/// numbers field (unless it is there already) and nothing else on the page
/// changes (no `fill`: unsaved edits stay as typed, still unsaved); the
/// list reloads.
fn add_to_team(env: &Rc<PageEnv>, number: &str, display: &str) {
    let (env, number, display) = (env.clone(), number.to_string(), display.to_string());
    wasm_bindgen_futures::spawn_local(async move {
        let doc = document();
        status_in(&doc, STATUS, Msg::OptSaving, "busy", "");
        let answer = env.send(message_to_js(&Request::AddTeamPhone { number: number.clone() })).await;
        match answer.map_err(|e| js_error_text(&e)).and_then(message_from_js::<Response>) {
            Ok(Response::Settings { settings, .. }) => {
                if settings.team_phones.contains(&number) {
                    append_to_field(&doc, &number);
                }
                status_in(&doc, STATUS, Text::new(Msg::OptNoticedAdded, [data(&display)]), "ok", "");
                reload();
            }
            Ok(Response::SaveFailed { errors }) => {
                let t = current();
                let reasons: Vec<String> = errors.iter().map(|e| t.t(&e.message)).collect();
                status_in(&doc, STATUS, Text::new(Msg::OptNoticedAddFailed, [data(&display), data(reasons.join("; "))]), "error", "");
            }
            Ok(other) => status_in(&doc, STATUS, Msg::OptNotSaved, "error", &failure_detail(&other)),
            Err(e) => status_in(&doc, STATUS, Msg::OptNotSaved, "error", &e),
        }
    });
}

/// `number` on a line of its own at the end of the team numbers field,
/// unless a line already holds it; the field's other lines stay as typed.
fn append_to_field(doc: &Document, number: &str) {
    let Some(field) = by_id(doc, "team_phones").and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) else { return };
    let mut value = field.value();
    if value.lines().any(|l| l.trim() == number) {
        return;
    }
    if !value.is_empty() && !value.ends_with('\n') {
        value.push('\n');
    }
    value.push_str(number);
    field.set_value(&value);
}
