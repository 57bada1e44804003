//! The panel page (an extension page framed into the helpdesk tab): asks
//! the background for this tab's customer and renders the core's state.

use crate::dom::{append, by_id, clear, document, el, on_change, on_click};
use crate::env::PageEnv;
use crate::i18n::{current, use_language, Loc};
use crate::{js_error_text, message_from_js, message_to_js};
use deskside_core::i18n::{data, LanguageSetting, Msg, Text};
use deskside_core::messages::{Request, Response};
use deskside_core::merge::{PickPolicy, PickedBy};
use deskside_core::panel::{CreateLink, CustomerView, IdentifierChoice, MatchChoice, PanelState, SourceError, BLOCKS};
use deskside_core::layout::{PanelLayout, Side};
use deskside_core::model::FieldType;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

/// `token` is what the content script put in the frame's URL fragment: the
/// background answers only the frame that presents its tab's token.
#[wasm_bindgen]
pub async fn start_panel(env: PageEnv, token: String) {
    let env = Rc::new(Panel { env, place: Place::Frame { token }, shown: RefCell::new(None) });
    FRAME.with(|f| *f.borrow_mut() = Some(env.clone()));
    let doc = document();
    // The browser's language until the background says what the admin chose.
    use_language(&env, &doc, LanguageSetting::Auto).await;
    for (id, collapse) in [("collapse", true), ("move", false)] {
        let Some(b) = by_id(&doc, id) else { continue };
        let env = env.clone();
        on_click(&b, move || {
            let Some((_, layout)) = env.shown.borrow().clone() else { return };
            let next = if collapse { PanelLayout { collapsed: true, ..layout } } else { PanelLayout { side: other_side(layout.side), ..layout } };
            wasm_bindgen_futures::spawn_local(set_layout(env.clone(), next));
        });
    }
    load(env).await;
}

thread_local! {
    /// The frame's panel, once started: kept for [`panel_tab_changed`].
    static FRAME: RefCell<Option<Rc<Panel>>> = const { RefCell::new(None) };
}

/// The content script told this frame (a message holding its token) that
/// the tab shows another customer (it read a switched ticket): the same
/// frame, with the same token, asks again and shows the new state, instead
/// of the content script making a new frame (and the pages' wasm starting
/// again) per ticket. An answer to an earlier ask that
/// arrives later is dropped ([`ask_as`]), so the previous ticket's customer
/// is never shown over the new one.
/// Where "Reload this page" sends the top window (`weburl::reload_url`: a
/// new load, even of an address with a `#fragment`); none for a page that
/// is not http(s).
#[wasm_bindgen]
pub fn reload_url(page_url: &str) -> Option<String> {
    deskside_core::weburl::reload_url(page_url)
}

#[wasm_bindgen]
pub fn panel_tab_changed() {
    if let Some(env) = FRAME.with(|f| f.borrow().clone()) {
        wasm_bindgen_futures::spawn_local(load(env));
    }
}

/// The browser's own side panel (`sidepanel.html`), following tab `tab_id`
/// (the glue passes the active tab of its window, and calls again when it
/// changes). Always expanded; no collapse or move.
#[wasm_bindgen]
pub async fn start_side_panel(env: PageEnv, tab_id: f64) {
    let env = Rc::new(Panel { env, place: Place::SidePanel { tab_id: tab_id as i64 }, shown: RefCell::new(None) });
    use_language(&env, &document(), LanguageSetting::Auto).await;
    load(env).await;
}

/// Where the panel page runs.
enum Place {
    /// In the frame the content script made, with its token.
    Frame { token: String },
    /// In the browser's side panel, for a tab.
    SidePanel { tab_id: i64 },
}

/// The page's browser calls, where it runs, and what it shows.
struct Panel {
    env: PageEnv,
    place: Place,
    /// The last state and layout shown: a layout change re-renders it
    /// without asking the CRM again.
    shown: RefCell<Option<(PanelState, PanelLayout)>>,
}

fn other_side(side: Side) -> Side {
    match side {
        Side::Right => Side::Left,
        Side::Left => Side::Right,
    }
}

/// Collapses, expands or moves the panel (remembered for the site; the
/// content script resizes the frame), then shows the same state again.
async fn set_layout(env: Rc<Panel>, layout: PanelLayout) {
    let Place::Frame { token } = &env.place else { return };
    let answer = env.send(message_to_js(&Request::SetPanelLayout { token: token.clone(), layout })).await;
    let Ok(Response::Layout { layout }) = answer.map_err(|e| js_error_text(&e)).and_then(message_from_js::<Response>) else { return };
    let Some((state, _)) = env.shown.borrow().clone() else { return };
    let doc = document();
    if let Some(root) = by_id(&doc, "body") {
        clear(&root);
        show(&doc, &root, state, layout, &env);
    }
}

fn show(doc: &Document, root: &Element, state: PanelState, layout: PanelLayout, env: &Rc<Panel>) {
    let loc = current();
    if let Some(main) = by_id(doc, "root") {
        let _ = main.set_attribute("data-layout", if layout.collapsed { "collapsed" } else { "expanded" });
        let _ = main.set_attribute("data-side", if layout.side == Side::Left { "left" } else { "right" });
    }
    if let Some(b) = by_id(doc, "move") {
        b.set_text_content(Some(&loc.m(if layout.side == Side::Left { Msg::PanelMoveRight } else { Msg::PanelMoveLeft })));
    }
    if layout.collapsed {
        render_tab(doc, root, &state, layout, env, &loc);
    } else {
        render(doc, root, &state, env, &loc);
    }
    *env.shown.borrow_mut() = Some((state, layout));
}

/// The collapsed panel: a small tab on the page's edge with the customer's
/// name and VIP badge (or a word on the state); a click expands it.
fn render_tab(doc: &Document, root: &Element, state: &PanelState, layout: PanelLayout, env: &Rc<Panel>, loc: &Loc) {
    set_state(doc, state_name(state));
    let tab = el(doc, "button", "tab", "");
    let _ = tab.set_attribute("id", "expand");
    let _ = tab.set_attribute("title", &loc.m(Msg::PanelShowCustomer));
    match state {
        PanelState::Found { customer: None, choices, .. } => {
            let n: usize = choices.iter().map(|c| c.options.len()).sum();
            append(&tab, &el(doc, "span", "tab-name", &loc.t(&Text::new(Msg::PanelMatchingRecords, [data(n)]))));
        }
        PanelState::Found { customer: Some(c), .. } => {
            append(&tab, &el(doc, "span", "tab-name", &c.name.clone().unwrap_or_else(|| loc.m(Msg::PanelNoName))));
            if let Some(tier) = &c.tier {
                let badge = el(doc, "span", "tier", &loc.arg(tier));
                let _ = badge.set_attribute("data-tier", &c.tier_class);
                append(&tab, &badge);
            }
            vip_badge(doc, &tab, c, loc);
        }
        PanelState::ListPage { customers } => append(&tab, &el(doc, "span", "tab-name", &loc.t(&Text::new(Msg::TabCustomers, [data(customers)])))),
        PanelState::Choose { .. } => append(&tab, &el(doc, "span", "tab-name", &loc.m(Msg::TabChooseCustomer))),
        PanelState::NotFound { .. } => append(&tab, &el(doc, "span", "tab-name", &loc.m(Msg::TabNotFound))),
        PanelState::NoIdentifier => append(&tab, &el(doc, "span", "tab-name", &loc.m(Msg::TabNoCustomer))),
        PanelState::NotConfigured => append(&tab, &el(doc, "span", "tab-name", &loc.m(Msg::TabSetUp))),
        PanelState::Error { .. } => append(&tab, &el(doc, "span", "tab-name", &loc.m(Msg::TabError))),
        PanelState::NotASite => append(&tab, &el(doc, "span", "tab-name", &loc.m(Msg::TabNotASite))),
    }
    // A list of customers stays collapsed: there is no one customer to show.
    if !matches!(state, PanelState::ListPage { .. }) {
        let env = env.clone();
        on_click(&tab, move || wasm_bindgen_futures::spawn_local(set_layout(env.clone(), PanelLayout { collapsed: false, ..layout })));
    }
    append(root, &tab);
}

fn state_name(state: &PanelState) -> &'static str {
    match state {
        PanelState::NotConfigured => "not_configured",
        PanelState::NoIdentifier => "no_identifier",
        PanelState::NotFound { .. } => "not_found",
        PanelState::Found { customer: None, .. } => "choose",
        PanelState::Found { .. } => "found",
        PanelState::Error { .. } => "error",
        PanelState::ListPage { .. } => "list",
        PanelState::Choose { .. } => "choose",
        PanelState::NotASite => "not_a_site",
    }
}

impl std::ops::Deref for Panel {
    type Target = PageEnv;
    fn deref(&self) -> &PageEnv {
        &self.env
    }
}

async fn load(env: Rc<Panel>) {
    ask(env.clone(), panel_request(&env)).await;
}

fn panel_request(env: &Panel) -> Request {
    match &env.place {
        Place::Frame { token } => Request::GetPanelState { token: token.clone() },
        Place::SidePanel { tab_id } => Request::GetTabPanelState { tab_id: *tab_id },
    }
}

/// Counts the waits down each second; at zero, asks the background again
/// (which sends nothing before the wait is over: "Try again" meanwhile
/// gets the same wait back).
async fn count_down(env: Rc<Panel>, shown: u32) {
    loop {
        crate::sleep(1_000).await;
        if SHOWN.with(|s| s.get()) != shown {
            return;
        }
        let doc = document();
        let Ok(spans) = doc.query_selector_all(".retry-in") else { return };
        let mut due = spans.length() == 0;
        let loc = current();
        for i in 0..spans.length() {
            let Some(span) = spans.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
            let secs = span.get_attribute("data-secs").and_then(|s| s.parse::<u32>().ok()).unwrap_or(0).saturating_sub(1);
            let _ = span.set_attribute("data-secs", &secs.to_string());
            span.set_text_content(Some(&format!(" {}", loc.t(&Text::new(Msg::PanelRetryingIn, [data(secs)])))));
            due |= secs == 0;
        }
        if due {
            // What is shown stays while the background answers.
            ask_as(env.clone(), panel_request(&env), false).await;
            return;
        }
    }
}

async fn ask(env: Rc<Panel>, request: Request) {
    ask_as(env, request, true).await;
}

/// Asks the background; `loading`: says "Looking up…" meanwhile.
async fn ask_as(env: Rc<Panel>, request: Request, loading: bool) {
    let mine = SHOWN.with(|s| {
        s.set(s.get().wrapping_add(1));
        s.get()
    });
    let doc = document();
    let Some(root) = by_id(&doc, "body") else { return };
    if loading {
        set_state(&doc, "loading");
        clear(&root);
        append(&root, &el(&doc, "p", "state", &current().m(Msg::PanelLookingUp)));
        append(&root, &skeleton(&doc, &current()));
    }
    // `None`: this frame no longer reaches the background (the extension
    // was reloaded or updated); its question will never be answered.
    let Some(mut answer) = send_watched(&env, message_to_js(&request)).await else {
        return render_cut_off(&env, mine);
    };
    // No answer at all (the service worker stopped mid-lookup): asked again,
    // a few times, which runs the lookup again; a newer question ends this one.
    for wait in deskside_core::client::retry::PANEL_NO_ANSWER_RETRY_MS {
        if answer.is_ok() || SHOWN.with(|s| s.get()) != mine {
            break;
        }
        // What the agent sees meanwhile: that the background stopped and the
        // lookup runs again on its own (not "Looking up…" as if nothing
        // happened, nor an error with a button to press). A quiet ask (a
        // countdown's) keeps what is shown, as it does while it waits.
        if let Some(root) = by_id(&doc, "body").filter(|_| loading) {
            set_state(&doc, "restarting");
            clear(&root);
            append(&root, &el(&doc, "p", "state", &current().m(Msg::PanelRestarting)));
            append(&root, &skeleton(&doc, &current()));
        }
        crate::sleep(wait).await;
        if SHOWN.with(|s| s.get()) != mine {
            return;
        }
        let Some(again) = send_watched(&env, message_to_js(&request)).await else {
            return render_cut_off(&env, mine);
        };
        answer = again;
    }
    // Still no answer: a frame whose extension is gone (Chromium refuses its
    // messages at once) says so rather than "no answer".
    if answer.is_err() && !alive(&env).await {
        return render_cut_off(&env, mine);
    }
    // Asked again meanwhile (the tab switched ticket): this answer is stale.
    if SHOWN.with(|s| s.get()) != mine {
        return;
    }
    let answer = answer.map_err(|e| js_error_text(&e)).and_then(message_from_js::<Response>);
    let loc = match &answer {
        Ok(Response::PanelState { language, .. }) => use_language(&env, &doc, *language).await,
        _ => current(),
    };
    if SHOWN.with(|s| s.get()) != mine {
        return;
    }
    clear(&root);
    match answer {
        Ok(Response::PanelState { state, layout, .. }) => show(&doc, &root, state, layout, &env),
        Ok(Response::Failed { message }) => render_failure(&doc, &root, &loc, Msg::PanelFailed, &message, &env),
        // Not a frame Deskside made for this tab (a page framing the panel
        // itself), or the tab left the helpdesk: nothing to show, nothing to retry.
        Ok(Response::Rejected { reason }) => {
            set_state(&doc, "refused");
            crate::log_detail(&reason);
            append(&root, &el(&doc, "p", "state", &loc.m(Msg::PanelNotThisFrame)));
        }
        Ok(_) => render_failure(&doc, &root, &loc, Msg::PanelUnexpected, "", &env),
        // The background was unreachable (e.g. restarting): say so, offer retry.
        Err(e) => render_failure(&doc, &root, &loc, Msg::PanelNoAnswer, &e, &env),
    }
}

/// Sends `msg` to the background and waits for the answer; while none
/// comes, checks every `PANEL_ALIVE_CHECK_MS` that this frame still
/// reaches the background (a slow lookup is waited for, however long).
/// `None`: it does not.
async fn send_watched(env: &Panel, msg: JsValue) -> Option<Result<JsValue, JsValue>> {
    use deskside_core::client::retry::PANEL_ALIVE_CHECK_MS;
    let pending = match env.send_promise(msg) {
        Ok(p) => p,
        Err(e) => return Some(Err(e)),
    };
    // What the check's timer resolves to: no answer is this object.
    let tick = JsValue::from(js_sys::Object::new());
    loop {
        let race = js_sys::Promise::race(&js_sys::Array::of2(&pending, &timer_to(PANEL_ALIVE_CHECK_MS, &tick)));
        match wasm_bindgen_futures::JsFuture::from(race).await {
            Ok(v) if js_sys::Object::is(&v, &tick) => {
                if !alive(env).await {
                    return None;
                }
            }
            other => return Some(other),
        }
    }
}

/// A promise resolved with `value` after `ms`.
fn timer_to(ms: u64, value: &JsValue) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, _| {
        let done = resolve.bind1(&JsValue::NULL, value);
        let global = js_sys::global();
        match js_sys::Reflect::get(&global, &JsValue::from_str("setTimeout")).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
            Some(f) => drop(f.call2(&global, &done, &JsValue::from_f64(ms as f64))),
            None => drop(done.call0(&JsValue::NULL)),
        }
    })
}

/// Whether this frame still reaches the background (`Ping`, a short wait).
async fn alive(env: &Panel) -> bool {
    use deskside_core::client::retry::PANEL_PING_WAIT_MS;
    let Ok(check) = env.alive(message_to_js(&Request::Ping), PANEL_PING_WAIT_MS as u32) else { return false };
    wasm_bindgen_futures::JsFuture::from(check).await.ok().and_then(|v| v.as_bool()).unwrap_or(false)
}

/// The frame is cut off from the background (the extension was reloaded or
/// updated and its script on the page could not be replaced): says so, with
/// a button that loads the page again, which brings the panel back. Nothing
/// to retry from here.
fn render_cut_off(env: &Rc<Panel>, mine: u32) {
    if SHOWN.with(|s| s.get()) != mine {
        return;
    }
    let doc = document();
    let Some(root) = by_id(&doc, "body") else { return };
    let loc = current();
    clear(&root);
    set_state(&doc, "updated");
    append(&root, &el(&doc, "p", "state error", &loc.m(Msg::PanelUpdated)));
    if matches!(env.place, Place::Frame { .. }) {
        let b = el(&doc, "button", "action", &loc.m(Msg::PanelReloadPage));
        let env = env.clone();
        on_click(&b, move || drop(env.reload_page()));
        append(&root, &b);
    }
}

fn set_state(doc: &Document, state: &str) {
    if let Some(main) = by_id(doc, "root") {
        let _ = main.set_attribute("data-state", state);
    }
}

/// The sentence in the agent's language; the background's own (technical)
/// detail only in the console, for support.
fn render_failure(doc: &Document, root: &Element, loc: &Loc, message: Msg, detail: &str, env: &Rc<Panel>) {
    set_state(doc, "failed");
    crate::log_detail(detail);
    append(root, &el(doc, "p", "state error", &loc.m(message)));
    retry_button(doc, root, loc, env);
}

fn retry_button(doc: &Document, root: &Element, loc: &Loc, env: &Rc<Panel>) {
    let b = el(doc, "button", "action", &loc.m(Msg::PanelTryAgain));
    let env = env.clone();
    on_click(&b, move || wasm_bindgen_futures::spawn_local(load(env.clone())));
    append(root, &b);
}

fn settings_button(doc: &Document, root: &Element, loc: &Loc, env: &Rc<Panel>) {
    let b = el(doc, "button", "action", &loc.m(Msg::PanelOpenSettings));
    let env = env.clone();
    on_click(&b, move || env.open_options());
    append(root, &b);
}

fn render(doc: &Document, root: &Element, state: &PanelState, env: &Rc<Panel>, loc: &Loc) {
    match state {
        PanelState::NotConfigured => {
            set_state(doc, "not_configured");
            append(root, &el(doc, "p", "state", &loc.m(Msg::PanelNotConfigured)));
            append(root, &el(doc, "p", "help", &loc.m(Msg::PanelNotConfiguredHelp)));
            settings_button(doc, root, loc, env);
        }
        PanelState::NoIdentifier => {
            set_state(doc, "no_identifier");
            append(root, &el(doc, "p", "state", &loc.m(Msg::PanelNoIdentifier)));
            append(root, &el(doc, "p", "help", &loc.m(Msg::PanelNoIdentifierHelp)));
        }
        PanelState::NotFound { identifier, kind, alternatives, sources, near_misses, create } => {
            set_state(doc, "not_found");
            identifier_line(doc, root, identifier, alternatives, env, loc);
            refresh_bar(doc, root, None, env, loc);
            let sources = sources.iter().map(|s| loc.source(s)).collect::<Vec<_>>().join(&loc.m(Msg::ListSeparator));
            let text = Text::new(Msg::PanelNotFound, [kind.name_in_sentence().into(), data(sources)]);
            append(root, &el(doc, "p", "state", &loc.t(&text)));
            near_miss_line(doc, root, *near_misses, loc);
            append(root, &el(doc, "p", "help", &loc.m(Msg::PanelNotFoundHelp)));
            create_buttons(doc, root, create, env, loc);
        }
        PanelState::Found { identifier, alternatives, customer, choices, errors, near_misses } => {
            set_state(doc, state_name(state));
            identifier_line(doc, root, identifier, alternatives, env, loc);
            near_miss_line(doc, root, *near_misses, loc);
            for c in choices {
                append(root, &match_chooser(doc, c, c.options.len(), env, loc));
            }
            if let Some(c) = customer {
                refresh_bar(doc, root, c.sources.iter().map(|s| s.fetched_ms).fold(None, |a: Option<f64>, t| Some(a.map_or(t, |a| a.min(t)))), env, loc);
                append(root, &customer_card(doc, c, env, loc));
                // The same write actions in the page's panel and the browser's side panel.
                let who = match &env.place {
                    Place::Frame { token } => crate::panel_writes::Who::Frame(token.clone()),
                    Place::SidePanel { tab_id } => crate::panel_writes::Who::Side(*tab_id),
                };
                // "Refresh and apply again" (a priority write the background
                // could not check without a fresh answer): the panel's Refresh.
                let again = env.clone();
                let refresh: Rc<dyn Fn()> = Rc::new(move || wasm_bindgen_futures::spawn_local(ask(again.clone(), refresh_request(&again))));
                crate::panel_writes::mount(doc, root, c, &env.env, who, refresh);
            }
            render_errors(doc, root, errors, env, loc);
            stale_first(root);
        }
        PanelState::Error { identifier, alternatives, errors } => {
            set_state(doc, "error");
            identifier_line(doc, root, identifier, alternatives, env, loc);
            render_errors(doc, root, errors, env, loc);
        }
        PanelState::NotASite => {
            set_state(doc, "not_a_site");
            append(root, &el(doc, "p", "state", &loc.m(Msg::PanelNotASite)));
        }
        PanelState::ListPage { customers } => {
            set_state(doc, "list");
            append(root, &el(doc, "p", "state", &loc.t(&Text::new(Msg::PanelListPage, [data(customers)]))));
        }
        PanelState::Choose { alternatives } => {
            set_state(doc, "choose");
            append(root, &el(doc, "p", "state", &loc.m(Msg::PanelChooseCustomer)));
            let prompt = IdentifierChoice { value: String::new(), label: Msg::PanelChoosePrompt.into() };
            identifier_line(doc, root, &prompt, &[std::slice::from_ref(&prompt), alternatives].concat(), env, loc);
        }
    }
}

/// What was looked up; with several identifiers on the page, a chooser.
fn identifier_line(doc: &Document, root: &Element, identifier: &IdentifierChoice, alternatives: &[IdentifierChoice], env: &Rc<Panel>, loc: &Loc) {
    if alternatives.len() < 2 {
        let line = el(doc, "p", "identifier", "");
        append_breakable(doc, &line, &loc.arg(&identifier.label));
        append(root, &line);
        return;
    }
    let label = el(doc, "label", "identifier", &format!("{} ", loc.m(Msg::PanelLookingUpLabel)));
    let select = el(doc, "select", "chooser", "");
    let _ = select.set_attribute("id", "identifier-choice");
    for a in alternatives {
        let option = el(doc, "option", "", &loc.arg(&a.label));
        let _ = option.set_attribute("value", &a.value);
        if a.value == identifier.value {
            let _ = option.set_attribute("selected", "");
        }
        append(&select, &option);
    }
    let env = env.clone();
    on_change(&select, move |value| {
        let request = match &env.place {
            Place::Frame { token } => Request::ChooseIdentifier { value, token: token.clone() },
            Place::SidePanel { tab_id } => Request::ChooseTabIdentifier { tab_id: *tab_id, value },
        };
        wasm_bindgen_futures::spawn_local(ask(env.clone(), request));
    });
    append(&label, &select);
    append(root, &label);
}

thread_local! {
    /// Bumped on every new answer: a countdown of an older one stops.
    static SHOWN: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// The number of the panel's latest question (each ask bumps it): what
/// "Refresh and apply again" waits for (`panel_writes`).
pub(crate) fn shown_now() -> u32 {
    SHOWN.with(|s| s.get())
}

fn render_errors(doc: &Document, root: &Element, errors: &[SourceError], env: &Rc<Panel>, loc: &Loc) {
    let mut countdown = false;
    for e in errors {
        let line = match e.stale_ms {
            // A record shown from the cache: how old it is, and why it is not fresh.
            Some(at) => {
                let minutes = ((js_sys::Date::now() - at) / 60_000.0).floor().max(0.0) as u64;
                let age = if minutes < 1 { Text::msg(Msg::PanelUpdatedJustNow) } else { Text::new(Msg::PanelUpdatedAgo, [data(minutes)]) };
                let text = Text::new(Msg::PanelStaleSource, [data(loc.source(&e.source)), age.into(), e.message.clone().into()]);
                el(doc, "p", "state stale", &loc.t(&text))
            }
            None => el(doc, "p", "state error", &loc.t(&Text::new(Msg::PanelSourceError, [data(loc.source(&e.source)), e.message.clone().into()]))),
        };
        if let Some(secs) = e.retry_in_secs {
            let wait = el(doc, "span", "retry-in", &format!(" {}", loc.t(&Text::new(Msg::PanelRetryingIn, [data(secs)]))));
            let _ = wait.set_attribute("data-secs", &secs.to_string());
            append(&line, &wait);
            countdown = true;
        }
        append(root, &line);
    }
    if countdown {
        wasm_bindgen_futures::spawn_local(count_down(env.clone(), SHOWN.with(|s| s.get())));
    }
    // Access not granted: a button per source that asks for it.
    for e in errors.iter().filter(|e| !e.grant.is_empty()) {
        grant_button(doc, root, e, env, loc);
    }
    // A refused key or a broken setup: straight to that connector's settings.
    let admin: Vec<&SourceError> = errors.iter().filter(|e| e.needs_admin && e.grant.is_empty()).collect();
    for e in admin.iter().filter(|e| !e.connector.is_empty()) {
        reconnect_button(doc, root, e, env, loc);
    }
    if admin.iter().any(|e| e.connector.is_empty()) {
        settings_button(doc, root, loc, env);
    } else if admin.is_empty() && errors.iter().any(|e| e.retryable) {
        retry_button(doc, root, loc, env);
    }
}

/// Records the CRM's search returned for another address or number (a
/// fuzzy search): counted, not shown.
fn near_miss_line(doc: &Document, root: &Element, near_misses: usize, loc: &Loc) {
    if near_misses > 0 {
        // One record in the singular: chrome.i18n has no plural forms, so two messages.
        let text = if near_misses == 1 { Text::msg(Msg::PanelNearMissOne) } else { Text::new(Msg::PanelNearMisses, [data(near_misses)]) };
        append(root, &el(doc, "p", "near-misses", &loc.t(&text)));
    }
}

/// "3 records in Acme CRM match": the agent says which one is the ticket's
/// customer (remembered for the ticket); never a silent pick of the first.
fn match_chooser(doc: &Document, c: &MatchChoice, count: usize, env: &Rc<Panel>, loc: &Loc) -> Element {
    let section = el(doc, "section", "matches", "");
    let _ = section.set_attribute("data-connector", &c.connector);
    append(&section, &el(doc, "p", "state", &loc.t(&Text::new(Msg::PanelMatchesIn, [data(count), data(loc.source(&c.source))]))));
    let list = el(doc, "ul", "match-list", "");
    for o in &c.options {
        let li = el(doc, "li", "match", "");
        append(&li, &el(doc, "span", "match-name", &o.name.clone().unwrap_or_else(|| loc.m(Msg::PanelNoName))));
        if !o.company.is_empty() {
            append(&li, &el(doc, "span", "match-company", &o.company));
        }
        if let Some(d) = &o.updated {
            append(&li, &el(doc, "span", "match-updated", &loc.date(d)));
        }
        if !o.record_shown.is_empty() {
            append(&li, &el(doc, "span", "match-id", &o.record_shown));
        }
        let b = el(doc, "button", "action choose-record", &loc.m(Msg::PanelChooseRecord));
        let _ = b.set_attribute("data-record", &o.record);
        let (env, connector, record) = (env.clone(), c.connector.clone(), o.record.clone());
        on_click(&b, move || {
            let request = match &env.place {
                Place::Frame { token } => Request::ChooseRecord { token: token.clone(), connector: connector.clone(), record: record.clone() },
                Place::SidePanel { tab_id } => Request::ChooseTabRecord { tab_id: *tab_id, connector: connector.clone(), record: record.clone() },
            };
            wasm_bindgen_futures::spawn_local(ask(env.clone(), request));
        });
        append(&li, &b);
        append(&list, &li);
    }
    append(&section, &list);
    section
}

/// A value's source, shown when several sources were merged.
fn source_tag(doc: &Document, parent: &Element, c: &CustomerView, src: usize, loc: &Loc) {
    if c.sources.len() > 1 {
        if let Some(s) = c.sources.get(src) {
            let tag = el(doc, "span", "src", &loc.t(&Text::new(Msg::PanelFrom, [data(loc.source(&s.label))])));
            let _ = tag.set_attribute("data-source", &s.connector);
            append(parent, &tag);
        }
    }
}

fn section_heading(doc: &Document, card: &Element, title: Msg, loc: &Loc) {
    append(card, &el(doc, "h3", "", &loc.m(title)));
}

/// The name of the admin's VIP rule the customer matches, as a badge.
fn vip_badge(doc: &Document, parent: &Element, c: &CustomerView, loc: &Loc) {
    if let Some(rule) = &c.vip {
        let badge = el(doc, "span", "vip", rule);
        let _ = badge.set_attribute("title", &loc.t(&Text::new(Msg::PanelVipTitle, [data(rule)])));
        append(parent, &badge);
    }
}

/// A ticket's status or priority in the panel's language when a preset
/// named it ("Open" → "待处理"); any other word as it came.
pub(crate) fn ticket_word(value: &str, loc: &Loc) -> String {
    deskside_core::panel::ticket_term(value).map_or_else(|| value.to_string(), |m| loc.m(m))
}

/// On a CRM contact page: the contact's helpdesk tickets (the core put the
/// open ones first, then the newest), each with a link to it.
fn helpdesk_tickets(doc: &Document, card: &Element, c: &CustomerView, env: &Rc<Panel>, loc: &Loc) {
    let sources: Vec<String> = c.sources.iter().map(|s| loc.source(&s.label)).collect();
    let sources = data(sources.join(&loc.m(Msg::ListSeparator)));
    let section = el(doc, "section", "helpdesk-tickets", "");
    append(&section, &el(doc, "h3", "", &loc.t(&Text::new(Msg::PanelHelpdeskTickets, [sources.clone()]))));
    if c.tickets.is_empty() {
        append(&section, &el(doc, "p", "state no-tickets", &loc.t(&Text::new(Msg::PanelNoTickets, [sources]))));
        append(card, &section);
        return;
    }
    let ul = el(doc, "ul", "tickets helpdesk", "");
    for t in &c.tickets {
        let open = deskside_core::vip::ticket_open(&t.status);
        let li = el(doc, "li", if open { "ticket open" } else { "ticket" }, "");
        let _ = li.set_attribute("data-ticket", &t.id);
        append(&li, &el(doc, "span", "ticket-subject", &t.subject));
        let status = el(doc, "span", "ticket-status", &ticket_word(&t.status, loc));
        if open {
            let _ = status.set_attribute("title", &loc.m(Msg::PanelTicketOpen));
        }
        append(&li, &status);
        append(&li, &el(doc, "span", "ticket-priority", &ticket_word(&t.priority, loc)));
        append(&li, &el(doc, "span", "ticket-date", &t.updated.as_deref().map(|d| loc.date(d)).unwrap_or_default()));
        // Checked again where it is opened: one rule for every outside URL.
        if let Some(url) = t.url.as_deref().and_then(deskside_core::weburl::outside_link) {
            let b = el(doc, "button", "link ticket-link", &loc.m(Msg::PanelOpenTicket));
            let _ = b.set_attribute("data-url", &url);
            let _ = b.set_attribute("aria-label", &format!("{} {}", loc.m(Msg::PanelOpenTicket), t.subject));
            let env = env.clone();
            on_click(&b, move || env.open_link(&url));
            append(&li, &b);
        }
        source_tag(doc, &li, c, t.src, loc);
        append(&ul, &li);
    }
    append(&section, &ul);
    append(card, &section);
}

fn customer_card(doc: &Document, c: &CustomerView, env: &Rc<Panel>, loc: &Loc) -> Element {
    let card = el(doc, "article", "customer", "");
    let head = el(doc, "div", "head", "");
    let name = c.name.clone().unwrap_or_else(|| loc.m(Msg::PanelNoName));
    append(&head, &el(doc, "h2", "name", &name));
    if let Some(tier) = &c.tier {
        let badge = el(doc, "span", "tier", &loc.arg(tier));
        let _ = badge.set_attribute("data-tier", &c.tier_class);
        append(&head, &badge);
        source_tag(doc, &head, c, c.tier_src, loc);
    }
    vip_badge(doc, &head, c, loc);
    append(&card, &head);
    if c.helpdesk {
        helpdesk_tickets(doc, &card, c, env, loc);
    }
    if !c.company.is_empty() {
        let company = el(doc, "p", "company", &c.company);
        source_tag(doc, &company, c, c.company_src, loc);
        append(&card, &company);
    }
    if !c.tags.is_empty() {
        let tags = el(doc, "p", "tags", "");
        for (t, _) in &c.tags {
            append(&tags, &el(doc, "span", "tag", t));
        }
        append(&card, &tags);
    }
    let dl = el(doc, "dl", "details", "");
    let row = |label: &str, value: &str, class: &str, src: usize| {
        append(&dl, &el(doc, "dt", class, label));
        let dd = el(doc, "dd", class, value);
        source_tag(doc, &dd, c, src, loc);
        append(&dl, &dd);
    };
    // In the admin's order, with the admin's labels, masked by the core.
    for d in &c.details {
        let label = d.caption.clone().unwrap_or_else(|| loc.m(d.label));
        let (value, class) = match (&d.money, d.kind) {
            (Some(m), _) => (loc.money(m), "ltv"),
            (None, Some(FieldType::Date)) => (loc.date(&d.value), "custom"),
            (None, Some(FieldType::YesNo)) => (loc.m(if d.value == "true" { Msg::Yes } else { Msg::No }), "custom"),
            (None, Some(_)) => (d.value.clone(), "custom"),
            (None, None) => (d.value.clone(), ""),
        };
        // Copy right after the value, then its source (merged sources): the
        // button on the value's line as with one source.
        append(&dl, &el(doc, "dt", class, &label));
        let dd = el(doc, "dd", class, "");
        // (The value in one element of its own, before Copy and the source:
        // its `<wbr>`s split it into several text nodes.)
        let shown = el(doc, "span", "value", "");
        append_breakable(doc, &shown, &value);
        append(&dd, &shown);
        let _ = dd.set_attribute("data-field", &d.field);
        if matches!(d.label, Msg::DetailEmail | Msg::DetailPhone | Msg::DetailRecord) {
            copy_button(doc, &dd, &d.value, env, loc);
        }
        source_tag(doc, &dd, c, d.src, loc);
        append(&dl, &dd);
    }
    if let Some((m, src)) = &c.lifetime_value {
        row(&loc.m(Msg::DetailLifetimeValue), &loc.money(m), "ltv", *src);
    }
    // The admin's own fields: their label as the admin wrote it.
    for (label, value, kind, src) in &c.custom {
        let shown = match kind {
            FieldType::Date => loc.date(value),
            FieldType::YesNo => loc.m(if value == "true" { Msg::Yes } else { Msg::No }),
            _ => value.clone(),
        };
        row(label, &shown, "custom", *src);
    }
    append(&card, &dl);
    let date = |d: &Option<String>| d.as_deref().map(|d| loc.date(d)).unwrap_or_default();
    // The blocks in the admin's order, under the admin's headings.
    let captions: Vec<(&str, Option<&str>)> = if c.blocks.is_empty() { BLOCKS.iter().map(|b| (*b, None)).collect() } else { c.blocks.iter().map(|b| (b.field.as_str(), b.caption.as_deref())).collect() };
    let list = |title: Msg, class: &str, rows: Vec<(Vec<(&str, String)>, usize)>| {
        if rows.is_empty() {
            return;
        }
        match captions.iter().find(|(f, _)| *f == class).and_then(|(_, t)| *t) {
            Some(t) => append(&card, &el(doc, "h3", "", t)),
            None => section_heading(doc, &card, title, loc),
        }
        let ul = el(doc, "ul", class, "");
        for (cells, src) in rows {
            let li = el(doc, "li", "", "");
            for (class, text) in cells {
                let cell = el(doc, "span", class, &text);
                // Order ids are what an agent pastes elsewhere.
                if class == "order-id" && !text.is_empty() {
                    copy_button(doc, &cell, &text, env, loc);
                }
                append(&li, &cell);
            }
            source_tag(doc, &li, c, src, loc);
            append(&ul, &li);
        }
        append(&card, &ul);
    };
    let money = |m: &Option<deskside_core::panel::Money>| m.as_ref().map(|m| loc.money(m)).unwrap_or_default();
    for (block, _) in &captions {
        match *block {
            "orders" => list(
                Msg::PanelRecentOrders,
                "orders",
                c.orders.iter().map(|o| (vec![("order-id", o.id.clone()), ("order-total", money(&o.total)), ("order-status", o.status.clone()), ("order-date", date(&o.date))], o.src)).collect(),
            ),
            "deals" => list(
                Msg::PanelDeals,
                "deals",
                c.deals.iter().map(|d| (vec![("deal-name", d.name.clone()), ("deal-amount", money(&d.amount)), ("deal-stage", d.stage.clone()), ("deal-date", date(&d.close_date))], d.src)).collect(),
            ),
            "tickets" => list(
                Msg::PanelTickets,
                "tickets",
                // On a CRM page they are listed above, with their links.
                c.tickets.iter().filter(|_| !c.helpdesk).map(|t| (vec![("ticket-subject", t.subject.clone()), ("ticket-status", ticket_word(&t.status, loc)), ("ticket-priority", ticket_word(&t.priority, loc)), ("ticket-date", date(&t.updated))], t.src)).collect(),
            ),
            _ => list(
                Msg::PanelNotes,
                "notes",
                c.notes.iter().map(|n| (vec![("note-date", date(&n.date)), ("note-author", n.author.clone().unwrap_or_default()), ("note-text", n.text.clone())], n.src)).collect(),
            ),
        }
    }
    // One line per source: its record link, and how it was picked among several.
    for (i, s) in c.sources.iter().enumerate() {
        let line = el(doc, "p", "source", &loc.t(&Text::new(Msg::PanelSource, [data(loc.source(&s.label))])));
        // Each source's age when several were merged (one: the bar above says it).
        if s.fetched_ms > 0.0 && c.sources.len() > 1 {
            append(&line, &el(doc, "span", "age", &format!(" · {}", loc.t(&age_text(s.fetched_ms)))));
        }
        let _ = line.set_attribute("data-source", &s.connector);
        if let Some(by) = s.picked {
            let msg = match by {
                PickedBy::Agent => Msg::PanelPickedByAgent,
                PickedBy::Rule(PickPolicy::EarliestCreated) => Msg::PanelPickedByEarliest,
                PickedBy::Rule(_) => Msg::PanelPickedByRecent,
            };
            append(&line, &el(doc, "span", "picked", &loc.t(&Text::new(msg, [data(s.of)]))));
        }
        // Checked again where it is opened: one rule for every outside URL.
        if let Some(url) = s.url.as_deref().and_then(deskside_core::weburl::outside_link) {
            let b = el(doc, "button", "link", &loc.t(&Text::new(Msg::PanelOpenIn, [data(loc.source(&s.label))])));
            let _ = b.set_attribute("data-index", &i.to_string());
            let env = env.clone();
            on_click(&b, move || env.open_link(&url));
            append(&line, &b);
        }
        // The source's other records, behind a button: the agent may choose another.
        if !s.others.is_empty() {
            let chooser = match_chooser(doc, &MatchChoice { connector: s.connector.clone(), source: s.label.clone(), options: s.others.clone() }, s.of, env, loc);
            let _ = chooser.set_attribute("hidden", "");
            let b = el(doc, "button", "link change-record", &loc.m(Msg::PanelChangeRecord));
            let target = chooser.clone();
            on_click(&b, move || {
                let _ = target.remove_attribute("hidden");
            });
            append(&line, &b);
            append(&card, &line);
            append(&card, &chooser);
            continue;
        }
        append(&card, &line);
    }
    card
}

/// `text` into `parent`, an email address in it breakable before each `@`
/// and `.` (a `<wbr>`: nothing added to the text, so what is selected or
/// copied is the address as it is): the 280 px panel wraps a long address
/// there, not mid-word (`overflow-wrap: anywhere` breaks inside a part only
/// when that part alone is wider than the panel).
fn append_breakable(doc: &Document, parent: &Element, text: &str) {
    let mut run = String::new();
    let mut in_email = false;
    for (i, ch) in text.char_indices() {
        if i == 0 || text[..i].ends_with(char::is_whitespace) {
            let word = text[i..].split(char::is_whitespace).next().unwrap_or("");
            in_email = word.contains('@');
        }
        if in_email && (ch == '@' || ch == '.') && !run.is_empty() && !run.ends_with(char::is_whitespace) {
            let _ = parent.append_with_str_1(&run);
            run.clear();
            if let Ok(wbr) = doc.create_element("wbr") {
                append(parent, &wbr);
            }
        }
        run.push(ch);
    }
    if !run.is_empty() {
        let _ = parent.append_with_str_1(&run);
    }
}

/// "updated 3 min ago" for a time in ms since the epoch.
fn age_text(at_ms: f64) -> Text {
    let minutes = ((js_sys::Date::now() - at_ms) / 60_000.0).floor().max(0.0) as u64;
    if minutes < 1 { Text::msg(Msg::PanelUpdatedJustNow) } else { Text::new(Msg::PanelUpdatedAgo, [data(minutes)]) }
}

/// Grey blocks in the shape of a customer while the lookup runs.
fn skeleton(doc: &Document, loc: &Loc) -> Element {
    let sk = el(doc, "div", "skeleton", "");
    let _ = sk.set_attribute("aria-busy", "true");
    let _ = sk.set_attribute("role", "status");
    let _ = sk.set_attribute("aria-label", &loc.m(Msg::PanelLoadingBlocks));
    for class in ["sk-line sk-name", "sk-line sk-short", "sk-line", "sk-line", "sk-block", "sk-line sk-short", "sk-block"] {
        append(&sk, &el(doc, "div", class, ""));
    }
    sk
}

/// How old the data shown is, and "Refresh" (looks the customer up again,
/// bypassing answers still fresh in the cache).
fn refresh_bar(doc: &Document, root: &Element, oldest_ms: Option<f64>, env: &Rc<Panel>, loc: &Loc) {
    let bar = el(doc, "div", "freshness", "");
    if let Some(at) = oldest_ms.filter(|t| *t > 0.0) {
        append(&bar, &el(doc, "span", "updated", &loc.t(&age_text(at))));
    }
    let b = el(doc, "button", "control refresh", &loc.m(Msg::PanelRefresh));
    let _ = b.set_attribute("type", "button");
    let _ = b.set_attribute("id", "refresh");
    let _ = b.set_attribute("title", &loc.m(Msg::PanelRefreshTitle));
    let env = env.clone();
    on_click(&b, move || {
        wasm_bindgen_futures::spawn_local(ask(env.clone(), refresh_request(&env)));
    });
    append(&bar, &b);
    append(root, &bar);
}

/// Refresh: the customer looked up again, past answers still fresh in the cache.
fn refresh_request(env: &Panel) -> Request {
    match &env.place {
        Place::Frame { token } => Request::RefreshPanel { token: token.clone() },
        Place::SidePanel { tab_id } => Request::RefreshTabPanel { tab_id: *tab_id },
    }
}

/// "Create in Acme CRM": opens the CRM's new-record page for the identifier.
fn create_buttons(doc: &Document, root: &Element, create: &[CreateLink], env: &Rc<Panel>, loc: &Loc) {
    for c in create {
        // Checked again where it is opened: one rule for every outside URL.
        let Some(url) = deskside_core::weburl::outside_link(&c.url) else { continue };
        let b = el(doc, "button", "action create", &loc.t(&Text::new(Msg::PanelCreateIn, [data(loc.source(&c.source))])));
        let _ = b.set_attribute("type", "button");
        let env = env.clone();
        on_click(&b, move || env.open_link(&url));
        append(root, &b);
    }
}

/// "Allow access to crm.example.com": `permissions.request` inside the
/// click, then the customer is looked up again.
fn grant_button(doc: &Document, root: &Element, e: &SourceError, env: &Rc<Panel>, loc: &Loc) {
    let hosts: Vec<&str> = e.grant.iter().map(|p| p.split("://").nth(1).unwrap_or(p).trim_end_matches("/*")).collect();
    let b = el(doc, "button", "action grant", &loc.t(&Text::new(Msg::PanelAllowAccess, [data(hosts.join(", "))])));
    let _ = b.set_attribute("type", "button");
    let _ = b.set_attribute("data-connector", &e.connector);
    let origins = e.grant.clone();
    let hash = format!("connector={}", e.connector);
    let env = env.clone();
    on_click(&b, move || {
        let asked = env.request_origins(crate::to_js(&origins));
        let (env, hash) = (env.clone(), hash.clone());
        wasm_bindgen_futures::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(asked).await {
                Ok(v) if v.as_bool() == Some(true) => load(env).await,
                Ok(_) => {}
                // No permissions API in this frame (Firefox, inside a web
                // page): the options page asks for access on Save.
                Err(_) => {
                    if env.open_options_at(&hash).is_err() {
                        env.open_options();
                    }
                }
            }
        });
    });
    append(root, &b);
}

/// "Reconnect Acme CRM": the options page, at that connector.
fn reconnect_button(doc: &Document, root: &Element, e: &SourceError, env: &Rc<Panel>, loc: &Loc) {
    let b = el(doc, "button", "action reconnect", &loc.t(&Text::new(Msg::PanelReconnect, [data(loc.source(&e.source))])));
    let _ = b.set_attribute("type", "button");
    let _ = b.set_attribute("data-connector", &e.connector);
    let hash = format!("connector={}", e.connector);
    let env = env.clone();
    on_click(&b, move || {
        if env.open_options_at(&hash).is_err() {
            env.open_options();
        }
    });
    append(root, &b);
}

/// A small "Copy" button after a value: copies it as the panel shows it (a
/// masked value stays masked: masking happened before it reached the panel).
fn copy_button(doc: &Document, parent: &Element, value: &str, env: &Rc<Panel>, loc: &Loc) {
    let b = el(doc, "button", "copy", &loc.m(Msg::PanelCopy));
    let _ = b.set_attribute("type", "button");
    let _ = b.set_attribute("data-copy", value);
    let _ = b.set_attribute("aria-label", &loc.t(&Text::new(Msg::PanelCopyValue, [data(value)])));
    let (env, value, target) = (env.clone(), value.to_string(), b.clone());
    on_click(&b, move || {
        let Ok(done) = env.copy_text(&value) else { return };
        let target = target.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let ok = matches!(wasm_bindgen_futures::JsFuture::from(done).await, Ok(v) if v.as_bool() == Some(true));
            let loc = current();
            let said = loc.m(if ok { Msg::PanelCopied } else { Msg::PanelCopyFailed });
            let name = target.get_attribute("aria-label").unwrap_or_default();
            // The accessible name holds the visible text meanwhile.
            target.set_text_content(Some(&said));
            let _ = target.set_attribute("aria-label", &said);
            let _ = target.set_attribute("data-copied", if ok { "true" } else { "false" });
            crate::sleep(1_500).await;
            target.set_text_content(Some(&loc.m(Msg::PanelCopy)));
            let _ = target.set_attribute("aria-label", &name);
            let _ = target.remove_attribute("data-copied");
        });
    });
    append(parent, &b);
}

/// A record shown from the cache says so above it, not below.
fn stale_first(root: &Element) {
    let (Ok(Some(bar)), Ok(lines)) = (root.query_selector(".freshness"), root.query_selector_all(".state.stale")) else { return };
    for i in 0..lines.length() {
        if let Some(line) = lines.item(i) {
            let _ = root.insert_before(&line, bar.next_sibling().as_ref());
        }
    }
}
