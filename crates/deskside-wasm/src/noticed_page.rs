//! The options page's "Numbers on many customers' tickets", under the team's
//! numbers: each number the background suggests (`GetNoticedNumbers`) with
//! how many different customers' tickets it was seen on, "Add to our
//! numbers" (the number goes into the team numbers field and the form is
//! saved through the page's one Save path, validated by the background),
//! "Not ours" (`DismissNoticedNumber`) and "Forget what Deskside noticed"
//! (`ForgetNoticedNumbers`). Nothing is decided here.

use crate::dom::{append, by_id, clear, document, el, on_click};
use crate::env::PageEnv;
use crate::i18n::current;
use crate::{js_error_text, message_from_js, message_to_js};
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

/// Loads the list again (after a Save: a number added is no longer suggested).
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
        let number = s.number.clone();
        on_click(&add, move || add_to_team(&number));
        append(&li, &add);
        let dismiss = el(doc, "button", "noticed-dismiss", &t.m(Msg::OptNoticedDismiss));
        let _ = dismiss.set_attribute("type", "button");
        let (env, number) = (env.clone(), s.number.clone());
        on_click(&dismiss, move || ask(&env, Request::DismissNoticedNumber { number: number.clone() }));
        append(&li, &dismiss);
        append(&list, &li);
    }
}

/// "Add to our numbers": the number joins the team numbers field, and the
/// form is saved as the Save button saves it (inside this click, so the
/// browser may still ask for access); the list reloads after the save.
fn add_to_team(number: &str) {
    let doc = document();
    let Some(field) = by_id(&doc, "team_phones").and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) else { return };
    let mut value = field.value();
    if !value.lines().any(|l| l.trim() == number) {
        if !value.is_empty() && !value.ends_with('\n') {
            value.push('\n');
        }
        value.push_str(number);
        field.set_value(&value);
    }
    if let Some(save) = by_id(&doc, "save").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        save.click();
    }
}
