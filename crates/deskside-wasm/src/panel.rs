//! The panel page (an extension page framed into the helpdesk tab): asks
//! the background for this tab's customer and renders the core's state.

use crate::dom::{append, by_id, clear, document, el, on_change, on_click};
use crate::env::PageEnv;
use crate::{from_js, js_error_text, to_js};
use deskside_core::messages::{Request, Response};
use deskside_core::panel::{CustomerView, IdentifierChoice, PanelState, SourceError};
use deskside_core::layout::{PanelLayout, Side};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element};

/// `token` is what the content script put in the frame's URL fragment: the
/// background answers only the frame that presents its tab's token.
#[wasm_bindgen]
pub async fn start_panel(env: PageEnv, token: String) {
    let env = Rc::new(Panel { env, place: Place::Frame { token }, shown: RefCell::new(None) });
    let doc = document();
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

/// The browser's own side panel (`sidepanel.html`), following tab `tab_id`
/// (the glue passes the active tab of its window, and calls again when it
/// changes). Always expanded; no collapse or move.
#[wasm_bindgen]
pub async fn start_side_panel(env: PageEnv, tab_id: f64) {
    let env = Rc::new(Panel { env, place: Place::SidePanel { tab_id: tab_id as i64 }, shown: RefCell::new(None) });
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
    let answer = env.send(to_js(&Request::SetPanelLayout { token: token.clone(), layout })).await;
    let Ok(Response::Layout { layout }) = answer.map_err(|e| js_error_text(&e)).and_then(from_js::<Response>) else { return };
    let Some((state, _)) = env.shown.borrow().clone() else { return };
    let doc = document();
    if let Some(root) = by_id(&doc, "body") {
        clear(&root);
        show(&doc, &root, state, layout, &env);
    }
}

fn show(doc: &Document, root: &Element, state: PanelState, layout: PanelLayout, env: &Rc<Panel>) {
    if let Some(main) = by_id(doc, "root") {
        let _ = main.set_attribute("data-layout", if layout.collapsed { "collapsed" } else { "expanded" });
        let _ = main.set_attribute("data-side", if layout.side == Side::Left { "left" } else { "right" });
    }
    if let Some(b) = by_id(doc, "move") {
        b.set_text_content(Some(if layout.side == Side::Left { "Move right" } else { "Move left" }));
    }
    if layout.collapsed {
        render_tab(doc, root, &state, layout, env);
    } else {
        render(doc, root, &state, env);
    }
    *env.shown.borrow_mut() = Some((state, layout));
}

/// The collapsed panel: a small tab on the page's edge with the customer's
/// name and VIP badge (or a word on the state); a click expands it.
fn render_tab(doc: &Document, root: &Element, state: &PanelState, layout: PanelLayout, env: &Rc<Panel>) {
    set_state(doc, state_name(state));
    let tab = el(doc, "button", "tab", "");
    let _ = tab.set_attribute("id", "expand");
    let _ = tab.set_attribute("title", "Show the customer");
    match state {
        PanelState::Found { customers, .. } => {
            let c = &customers[0];
            append(&tab, &el(doc, "span", "tab-name", &c.name));
            if !c.tier.is_empty() {
                let badge = el(doc, "span", "tier", &c.tier);
                let _ = badge.set_attribute("data-tier", &c.tier.to_lowercase());
                append(&tab, &badge);
            }
        }
        PanelState::ListPage { customers } => append(&tab, &el(doc, "span", "tab-name", &format!("{customers} customers"))),
        PanelState::NotFound { .. } => append(&tab, &el(doc, "span", "tab-name", "Not found")),
        PanelState::NoIdentifier => append(&tab, &el(doc, "span", "tab-name", "No customer")),
        PanelState::NotConfigured => append(&tab, &el(doc, "span", "tab-name", "Set up")),
        PanelState::Error { .. } => append(&tab, &el(doc, "span", "tab-name", "Error")),
        PanelState::NotASite => append(&tab, &el(doc, "span", "tab-name", "Not a helpdesk")),
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
        PanelState::Found { .. } => "found",
        PanelState::Error { .. } => "error",
        PanelState::ListPage { .. } => "list",
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
    let request = match &env.place {
        Place::Frame { token } => Request::GetPanelState { token: token.clone() },
        Place::SidePanel { tab_id } => Request::GetTabPanelState { tab_id: *tab_id },
    };
    ask(env, request).await;
}

async fn ask(env: Rc<Panel>, request: Request) {
    let doc = document();
    let Some(root) = by_id(&doc, "body") else { return };
    set_state(&doc, "loading");
    clear(&root);
    append(&root, &el(&doc, "p", "state", "Looking up the customer…"));
    let answer = env.send(to_js(&request)).await;
    clear(&root);
    match answer.map_err(|e| js_error_text(&e)).and_then(from_js::<Response>) {
        Ok(Response::PanelState { state, layout }) => show(&doc, &root, state, layout, &env),
        Ok(Response::Failed { message }) => render_failure(&doc, &root, &format!("Deskside could not look up the customer: {message}"), &env),
        // Not a frame Deskside made for this tab (a page framing the panel
        // itself), or the tab left the helpdesk: nothing to show, nothing to retry.
        Ok(Response::Rejected { reason }) => {
            set_state(&doc, "refused");
            append(&root, &el(&doc, "p", "state", "This panel shows a customer only beside a ticket that Deskside opened it for."));
            append(&root, &el(&doc, "p", "detail", &reason));
        }
        Ok(_) => render_failure(&doc, &root, "Deskside sent an unexpected answer.", &env),
        // The background was unreachable (e.g. restarting): say so, offer retry.
        Err(e) => render_failure(&doc, &root, &format!("Deskside's background did not answer ({e})."), &env),
    }
}

fn set_state(doc: &Document, state: &str) {
    if let Some(main) = by_id(doc, "root") {
        let _ = main.set_attribute("data-state", state);
    }
}

fn render_failure(doc: &Document, root: &Element, message: &str, env: &Rc<Panel>) {
    set_state(doc, "failed");
    append(root, &el(doc, "p", "state error", message));
    retry_button(doc, root, env);
}

fn retry_button(doc: &Document, root: &Element, env: &Rc<Panel>) {
    let b = el(doc, "button", "action", "Try again");
    let env = env.clone();
    on_click(&b, move || wasm_bindgen_futures::spawn_local(load(env.clone())));
    append(root, &b);
}

fn settings_button(doc: &Document, root: &Element, env: &Rc<Panel>) {
    let b = el(doc, "button", "action", "Open Deskside settings");
    let env = env.clone();
    on_click(&b, move || env.open_options());
    append(root, &b);
}

fn render(doc: &Document, root: &Element, state: &PanelState, env: &Rc<Panel>) {
    match state {
        PanelState::NotConfigured => {
            set_state(doc, "not_configured");
            append(root, &el(doc, "p", "state", "Deskside is not connected to a CRM yet."));
            settings_button(doc, root, env);
        }
        PanelState::NoIdentifier => {
            set_state(doc, "no_identifier");
            append(root, &el(doc, "p", "state", "No customer email was found on this page."));
        }
        PanelState::NotFound { identifier, alternatives, sources } => {
            set_state(doc, "not_found");
            identifier_line(doc, root, identifier, alternatives, env);
            append(root, &el(doc, "p", "state", &format!("No customer with this email in {}.", sources.join(", "))));
        }
        PanelState::Found { identifier, alternatives, customers, errors } => {
            set_state(doc, "found");
            identifier_line(doc, root, identifier, alternatives, env);
            if customers.len() > 1 {
                append(root, &el(doc, "p", "state", &format!("{} matching records", customers.len())));
            }
            for c in customers {
                append(root, &customer_card(doc, c, env));
            }
            render_errors(doc, root, errors, env);
        }
        PanelState::Error { identifier, alternatives, errors } => {
            set_state(doc, "error");
            identifier_line(doc, root, identifier, alternatives, env);
            render_errors(doc, root, errors, env);
        }
        PanelState::NotASite => {
            set_state(doc, "not_a_site");
            append(root, &el(doc, "p", "state", "This tab is not one of your helpdesk or CRM sites. Open a ticket to see its customer here."));
        }
        PanelState::ListPage { customers } => {
            set_state(doc, "list");
            append(root, &el(doc, "p", "state", &format!("This page lists {customers} customers. Open a ticket or a contact to see one.")));
        }
    }
}

/// What was looked up; with several identifiers on the page, a chooser.
fn identifier_line(doc: &Document, root: &Element, identifier: &str, alternatives: &[IdentifierChoice], env: &Rc<Panel>) {
    if alternatives.len() < 2 {
        append(root, &el(doc, "p", "identifier", identifier));
        return;
    }
    let label = el(doc, "label", "identifier", "Looking up ");
    let select = el(doc, "select", "chooser", "");
    let _ = select.set_attribute("id", "identifier-choice");
    for a in alternatives {
        let option = el(doc, "option", "", &a.label);
        let _ = option.set_attribute("value", &a.value);
        if a.label == identifier {
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

fn render_errors(doc: &Document, root: &Element, errors: &[SourceError], env: &Rc<Panel>) {
    for e in errors {
        append(root, &el(doc, "p", "state error", &format!("{}: {}", e.source, e.message)));
    }
    if errors.iter().any(|e| e.needs_admin) {
        settings_button(doc, root, env);
    } else if errors.iter().any(|e| e.retryable) {
        retry_button(doc, root, env);
    }
}

fn customer_card(doc: &Document, c: &CustomerView, env: &Rc<Panel>) -> Element {
    let card = el(doc, "article", "customer", "");
    let head = el(doc, "div", "head", "");
    append(&head, &el(doc, "h2", "name", &c.name));
    if !c.tier.is_empty() {
        let badge = el(doc, "span", "tier", &c.tier);
        let _ = badge.set_attribute("data-tier", &c.tier.to_lowercase());
        append(&head, &badge);
    }
    append(&card, &head);
    if !c.company.is_empty() {
        append(&card, &el(doc, "p", "company", &c.company));
    }
    let dl = el(doc, "dl", "details", "");
    for (label, value) in &c.details {
        append(&dl, &el(doc, "dt", "", label));
        append(&dl, &el(doc, "dd", "", value));
    }
    append(&card, &dl);
    if !c.orders.is_empty() {
        append(&card, &el(doc, "h3", "", "Recent orders"));
        let list = el(doc, "ul", "orders", "");
        for o in &c.orders {
            let li = el(doc, "li", "", "");
            append(&li, &el(doc, "span", "order-id", &o.id));
            append(&li, &el(doc, "span", "order-total", &o.total));
            append(&li, &el(doc, "span", "order-status", &o.status));
            append(&li, &el(doc, "span", "order-date", &o.date));
            append(&list, &li);
        }
        append(&card, &list);
    }
    // Checked again where it is opened: one rule for every outside URL.
    if let Some(url) = c.url.as_deref().and_then(deskside_core::weburl::outside_link) {
        let b = el(doc, "button", "link", &format!("Open in {}", c.source));
        let env = env.clone();
        on_click(&b, move || env.open_link(&url));
        append(&card, &b);
    }
    append(&card, &el(doc, "p", "source", &format!("Source: {}", c.source)));
    card
}
