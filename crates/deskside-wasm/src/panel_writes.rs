//! The panel's write-back block: "Log this ticket" (the note previewed and
//! editable before it is sent) and "Create follow-up task", per source that
//! can write (greyed out with the reason where it cannot), and this
//! ticket's writes: sending, checking, done (with a link to it in the CRM),
//! or failed with the reason and Retry. For a VIP customer (the admin's
//! rules), "Apply priority" per helpdesk connector that can set this
//! ticket's priority, sent after the agent confirms. Asked of the
//! background with `GetWrites` (in the browser's side panel `GetTabWrites`
//! and its `Tab…` requests, for the tab it follows); polled while a write
//! is under way.

use crate::dom::{append, by_id, clear, el, on_click};
use crate::env::PageEnv;
use crate::i18n::{current, Loc};
use crate::{js_error_text, message_from_js, message_to_js};
use deskside_core::connector::writes::{compose, WriteInput, WriteKind};
use deskside_core::i18n::{data, Arg, Msg, Text};
use deskside_core::messages::{Request, Response, WriteFields};
use deskside_core::panel::CustomerView;
use deskside_core::write::{priority_offers, FormKind, PriorityOffer, WriteForm, WriteView};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

/// Who asks: the panel frame (its token) or the side panel (its tab).
#[derive(Clone)]
pub enum Who {
    Frame(String),
    Side(i64),
}

impl Who {
    fn get_writes(&self) -> Request {
        match self {
            Who::Frame(token) => Request::GetWrites { token: token.clone() },
            Who::Side(tab_id) => Request::GetTabWrites { tab_id: *tab_id },
        }
    }

    fn write(&self, connector: String, record: String, kind: WriteKind, fields: WriteFields) -> Request {
        match self {
            Who::Frame(token) => Request::Write { token: token.clone(), connector, record, kind, fields },
            Who::Side(tab_id) => Request::TabWrite { tab_id: *tab_id, connector, record, kind, fields },
        }
    }

    fn retry(&self, op: String) -> Request {
        match self {
            Who::Frame(token) => Request::RetryWrite { token: token.clone(), op },
            Who::Side(tab_id) => Request::RetryTabWrite { tab_id: *tab_id, op },
        }
    }
}

struct Wb {
    env: PageEnv,
    who: Who,
    /// The VIP rule the customer matches (the badge): "apply priority" only then.
    vip: Option<String>,
    /// Connector id → the record shown from it.
    records: Vec<(String, String, String)>,
    /// The last answer: the forms, subject, status, link.
    last: RefCell<Option<(Vec<WriteForm>, String, String, String)>>,
    /// The panel's Refresh (looks the customer up again and shows it).
    refresh: Rc<dyn Fn()>,
}

/// "Refresh and apply again" was clicked: the priority write (connector,
/// value) the agent confirmed, sent once the refreshed customer is shown,
/// i.e. by the block mounted for the panel's answer `at` (the refresh's own
/// question). Any other answer drops it: never a write the agent did not
/// click for.
struct Pending {
    connector: String,
    value: String,
    at: u32,
}

thread_local! {
    /// Bumped each time the block is mounted: an older poll stops.
    static MOUNT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    /// A poll is pending: one at a time.
    static POLLING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The priority write to send again after the panel's refresh.
    static PENDING: RefCell<Option<Pending>> = const { RefCell::new(None) };
}

/// Adds the block under the customer card and fills it from the background.
pub fn mount(doc: &Document, root: &Element, c: &CustomerView, env: &PageEnv, who: Who, refresh: Rc<dyn Fn()>) {
    let section = el(doc, "section", "writeback", "");
    let _ = section.set_attribute("id", "writeback");
    append(root, &section);
    let records = c.sources.iter().map(|s| (s.connector.clone(), s.record.clone(), s.label.clone())).collect();
    let wb = Rc::new(Wb { env: AsRef::<wasm_bindgen::JsValue>::as_ref(env).clone().unchecked_into::<PageEnv>(), who: who.clone(), vip: c.vip.clone(), records, last: RefCell::new(None), refresh });
    let n = MOUNT.with(|m| {
        m.set(m.get().wrapping_add(1));
        m.get()
    });
    wasm_bindgen_futures::spawn_local(ask(wb, who.get_writes(), n, true));
}

async fn ask(wb: Rc<Wb>, request: Request, n: u32, build_forms: bool) {
    let answer = wb.env.send(message_to_js(&request)).await.map_err(|e| js_error_text(&e)).and_then(message_from_js::<Response>);
    if MOUNT.with(|m| m.get()) != n {
        return;
    }
    let doc = crate::dom::document();
    let loc = current();
    match answer {
        Ok(Response::Writes { forms, subject, status, ticket_url, writes }) => {
            if build_forms || wb.last.borrow().is_none() {
                *wb.last.borrow_mut() = Some((forms, subject, status, ticket_url));
                render_forms(&doc, &wb, n, &loc);
            }
            let busy = render_list(&doc, &wb, &writes, n, &loc);
            if busy && !POLLING.with(|p| p.replace(true)) {
                wasm_bindgen_futures::spawn_local(poll(wb.clone(), n));
            }
            if build_forms {
                apply_pending(&doc, &wb, n, &loc);
            }
        }
        Ok(Response::WriteInvalid { message }) => {
            show_error(&doc, &loc.t(&message));
            // No fresh answer for the background's VIP check: one click
            // refreshes the customer, then sends the same write again.
            if message.id == Msg::WritePriorityReload {
                if let Some((connector, value)) = priority_write(&request) {
                    refresh_apply_button(&doc, &wb, connector, value, &loc);
                }
            }
        }
        Ok(Response::Rejected { reason }) | Ok(Response::Failed { message: reason }) => {
            crate::log_detail(&reason);
            show_error(&doc, &loc.m(Msg::PanelUnexpected));
        }
        Ok(_) => show_error(&doc, &loc.m(Msg::PanelUnexpected)),
        Err(e) => {
            crate::log_detail(&e);
            show_error(&doc, &loc.m(Msg::PanelNoAnswer));
        }
    }
}

/// The connector and value of a priority write request.
fn priority_write(request: &Request) -> Option<(String, String)> {
    match request {
        Request::Write { connector, kind: WriteKind::Priority, fields, .. } | Request::TabWrite { connector, kind: WriteKind::Priority, fields, .. } => Some((connector.clone(), fields.priority.clone())),
        _ => None,
    }
}

/// "Refresh and apply again" under the error: the panel's Refresh (the
/// lookup and its audit entry, as the agent's own Refresh), and, once the
/// refreshed customer is shown, the same priority write ([`apply_pending`]).
fn refresh_apply_button(doc: &Document, wb: &Rc<Wb>, connector: String, value: String, loc: &Loc) {
    let Some(error) = by_id(doc, "wb-error") else { return };
    let b = el(doc, "button", "action wb-refresh-apply", &loc.m(Msg::WbRefreshApply));
    let _ = b.set_attribute("id", "wb-refresh-apply");
    let _ = b.set_attribute("type", "button");
    let wb2 = wb.clone();
    on_click(&b, move || {
        // The refresh's question is the panel's next one.
        let at = crate::panel::shown_now().wrapping_add(1);
        PENDING.with(|p| *p.borrow_mut() = Some(Pending { connector: connector.clone(), value: value.clone(), at }));
        (wb2.refresh)();
    });
    append(&error, &b);
}

/// The block was mounted for the refresh "Refresh and apply again" asked
/// for: the write it was clicked for is sent, once, if the refreshed
/// customer is still offered it (else why not); any other mount drops it.
fn apply_pending(doc: &Document, wb: &Rc<Wb>, n: u32, loc: &Loc) {
    let Some(p) = PENDING.with(|p| p.borrow_mut().take()) else { return };
    if p.at != crate::panel::shown_now() {
        return;
    }
    let forms = wb.last.borrow().as_ref().map(|l| l.0.clone()).unwrap_or_default();
    if priority_offers(&forms, wb.vip.as_deref()).iter().any(|o| o.connector == p.connector && o.value == p.value) {
        let fields = WriteFields { priority: p.value, ..Default::default() };
        submit(doc, wb, wb.who.write(p.connector, String::new(), WriteKind::Priority, fields), n);
    } else {
        show_error(doc, &loc.m(Msg::WritePriorityNotVip));
    }
}

async fn poll(wb: Rc<Wb>, n: u32) {
    crate::sleep(1_000).await;
    POLLING.with(|p| p.set(false));
    if MOUNT.with(|m| m.get()) == n {
        let request = wb.who.get_writes();
        ask(wb, request, n, false).await;
    }
}

fn show_error(doc: &Document, text: &str) {
    if let Some(e) = by_id(doc, "wb-error") {
        e.set_text_content(Some(text));
        let _ = e.remove_attribute("hidden");
    }
}

fn field(doc: &Document, parent: &Element, label: &str, tag: &str, id: &str, value: &str) -> Element {
    let l = el(doc, "label", "wb-field", label);
    let input = el(doc, tag, "", "");
    let _ = input.set_attribute("id", id);
    if let Some(i) = input.dyn_ref::<HtmlInputElement>() {
        i.set_value(value);
    } else if let Some(t) = input.dyn_ref::<HtmlTextAreaElement>() {
        t.set_value(value);
    }
    append(&l, &input);
    append(parent, &l);
    input
}

fn value(doc: &Document, id: &str) -> String {
    let Some(e) = by_id(doc, id) else { return String::new() };
    if let Some(i) = e.dyn_ref::<HtmlInputElement>() {
        return i.value();
    }
    if let Some(t) = e.dyn_ref::<HtmlTextAreaElement>() {
        return t.value();
    }
    e.dyn_ref::<HtmlSelectElement>().map(HtmlSelectElement::value).unwrap_or_default()
}

fn on_input(e: &Element, f: impl FnMut() + 'static) {
    let closure = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(f);
    let _ = e.add_event_listener_with_callback("input", closure.as_ref().unchecked_ref());
    closure.forget();
}

fn render_forms(doc: &Document, wb: &Rc<Wb>, n: u32, loc: &Loc) {
    let Some(section) = by_id(doc, "writeback") else { return };
    clear(&section);
    let Some((forms, subject, status, ticket_url)) = wb.last.borrow().clone() else { return };
    // Nothing this page can write (a CRM contact page): no write-back block.
    if forms.is_empty() {
        let _ = section.set_attribute("hidden", "");
        return;
    }
    let _ = section.remove_attribute("hidden");
    let several = wb.records.len() > 1;
    // Named by the connector's label (a helpdesk is not a CRM); with several
    // sources, each row says "To …".
    let heading = match wb.records.first() {
        Some((_, _, label)) if !several => loc.t(&Text::new(Msg::WbHeadingTo, [data(loc.source(label))])),
        _ => loc.m(Msg::WbHeading),
    };
    append(&section, &el(doc, "h3", "", &heading));
    for (connector, record, label) in &wb.records {
        let Some(form) = forms.iter().find(|f| &f.connector == connector) else { continue };
        let row = el(doc, "div", "wb-source", "");
        let _ = row.set_attribute("data-connector", connector);
        if several {
            append(&row, &el(doc, "p", "wb-to", &loc.t(&Text::new(Msg::WbTo, [data(loc.source(label))]))));
        }
        // Why a button is greyed out, under the buttons, each reason once
        // ("… has no write definition" was said under both).
        let mut reasons: Vec<String> = Vec::new();
        for (kind, fk, msg) in [(WriteKind::Note, &form.note, Msg::WbLogTicket), (WriteKind::Task, &form.task, Msg::WbCreateTask)] {
            let b = el(doc, "button", &format!("action wb-open-{}", kind.name()), &loc.m(msg));
            match fk {
                FormKind::Unavailable { reason } => {
                    let why = loc.t(reason);
                    let _ = b.set_attribute("disabled", "");
                    let _ = b.set_attribute("title", &why);
                    let _ = b.set_attribute("aria-disabled", "true");
                    append(&row, &b);
                    if !reasons.contains(&why) {
                        reasons.push(why);
                    }
                }
                FormKind::Available { .. } => {
                    let (wb2, fk, connector, record) = (wb.clone(), fk.clone(), connector.clone(), record.clone());
                    let (subject, status, ticket_url) = (subject.clone(), status.clone(), ticket_url.clone());
                    on_click(&b, move || {
                        let doc = crate::dom::document();
                        open_form(&doc, &wb2, n, kind, &fk, &connector, &record, &subject, &status, &ticket_url, &current());
                    });
                    append(&row, &b);
                }
            }
        }
        for why in &reasons {
            append(&row, &el(doc, "span", "wb-unavailable", why));
        }
        append(&section, &row);
    }
    // A VIP's ticket: one click (then a confirmation) sets its priority.
    for PriorityOffer { connector, label, value, shown } in priority_offers(&forms, wb.vip.as_deref()) {
        // The vendor's word ("urgent", Freshdesk's "Urgent") in the panel's language.
        let shown = crate::panel::ticket_word(&shown, loc);
        let b = el(doc, "button", "action wb-apply-priority", &loc.t(&Text::new(Msg::WbApplyPriority, [data(&shown)])));
        let _ = b.set_attribute("data-connector", &connector);
        let wb2 = wb.clone();
        on_click(&b, move || {
            let doc = crate::dom::document();
            confirm_priority(&doc, &wb2, n, &connector, &label, &value, &shown, &current());
        });
        append(&section, &b);
    }
    let form = el(doc, "div", "wb-form", "");
    let _ = form.set_attribute("id", "wb-form");
    let _ = form.set_attribute("hidden", "");
    append(&section, &form);
    let error = el(doc, "p", "state error", "");
    let _ = error.set_attribute("id", "wb-error");
    let _ = error.set_attribute("hidden", "");
    append(&section, &error);
    let list = el(doc, "ul", "wb-list", "");
    let _ = list.set_attribute("id", "wb-list");
    append(&section, &list);
}

/// The form's send (or confirm) clicked: the form and the last error
/// hidden, the write asked for.
fn submit(doc: &Document, wb: &Rc<Wb>, request: Request, n: u32) {
    if let Some(f) = by_id(doc, "wb-form") {
        let _ = f.set_attribute("hidden", "");
    }
    if let Some(e) = by_id(doc, "wb-error") {
        let _ = e.set_attribute("hidden", "");
    }
    wasm_bindgen_futures::spawn_local(ask(wb.clone(), request, n, false));
}

/// The form's Cancel: hides the form, sends nothing.
fn append_cancel(doc: &Document, form: &Element, loc: &Loc) {
    let cancel = el(doc, "button", "link wb-cancel", &loc.m(Msg::WbCancel));
    let f2 = form.clone();
    on_click(&cancel, move || {
        let _ = f2.set_attribute("hidden", "");
    });
    append(form, &cancel);
}

/// "Set this ticket's priority to … in …?": Confirm sends it, Cancel does nothing.
fn confirm_priority(doc: &Document, wb: &Rc<Wb>, n: u32, connector: &str, label: &str, value: &str, shown: &str, loc: &Loc) {
    let Some(form) = by_id(doc, "wb-form") else { return };
    clear(&form);
    let _ = form.set_attribute("data-kind", WriteKind::Priority.name());
    let _ = form.remove_attribute("hidden");
    let q = el(doc, "p", "wb-confirm-question", &loc.t(&Text::new(Msg::WbApplyConfirm, [data(shown), data(loc.source(label))])));
    append(&form, &q);
    let ok = el(doc, "button", "action wb-send", &loc.m(Msg::WbConfirm));
    let _ = ok.set_attribute("id", "wb-confirm-priority");
    let (wb2, connector, value) = (wb.clone(), connector.to_string(), value.to_string());
    on_click(&ok, move || {
        let doc = crate::dom::document();
        let fields = WriteFields { priority: value.clone(), ..Default::default() };
        submit(&doc, &wb2, wb2.who.write(connector.clone(), String::new(), WriteKind::Priority, fields), n);
    });
    append(&form, &ok);
    append_cancel(doc, &form, loc);
}

#[allow(clippy::too_many_arguments)]
fn open_form(doc: &Document, wb: &Rc<Wb>, n: u32, kind: WriteKind, fk: &FormKind, connector: &str, record: &str, subject: &str, status: &str, ticket_url: &str, loc: &Loc) {
    let Some(form) = by_id(doc, "wb-form") else { return };
    clear(&form);
    let _ = form.set_attribute("data-kind", kind.name());
    let _ = form.remove_attribute("hidden");
    let FormKind::Available { due, owner, priority, priorities } = fk else { return };
    match kind {
        WriteKind::Note => {
            field(doc, &form, &loc.m(Msg::WbSubject), "input", "wb-subject", subject);
            field(doc, &form, &loc.m(Msg::WbStatus), "input", "wb-status", status);
            let link = el(doc, "p", "wb-link", &format!("{} {}", loc.m(Msg::WbTicketLink), ticket_url));
            append(&form, &link);
            field(doc, &form, &loc.m(Msg::WbYourText), "textarea", "wb-text", "");
            append(&form, &el(doc, "p", "wb-preview-label", &loc.m(Msg::WbPreview)));
            let preview = el(doc, "pre", "wb-preview", "");
            let _ = preview.set_attribute("id", "wb-preview");
            append(&form, &preview);
            let url = ticket_url.to_string();
            let update = move || {
                let doc = crate::dom::document();
                let input = WriteInput { subject: value(&doc, "wb-subject"), status: value(&doc, "wb-status"), text: value(&doc, "wb-text"), ticket_url: url.clone(), ..Default::default() }.cleaned();
                if let Some(p) = by_id(&doc, "wb-preview") {
                    p.set_text_content(Some(&compose(WriteKind::Note, &input, "")));
                }
            };
            update();
            for id in ["wb-subject", "wb-status", "wb-text"] {
                if let Some(e) = by_id(doc, id) {
                    on_input(&e, update.clone());
                }
            }
        }
        WriteKind::Task => {
            field(doc, &form, &loc.m(Msg::WbTaskSubject), "input", "wb-task-subject", subject);
            if *due {
                let d = field(doc, &form, &loc.m(Msg::WbDue), "input", "wb-due", "");
                let _ = d.set_attribute("type", "date");
            }
            if *owner {
                field(doc, &form, &loc.m(Msg::WbOwner), "input", "wb-owner", "");
            }
            if *priority {
                let l = el(doc, "label", "wb-field", &loc.m(Msg::WbPriority));
                if priorities.is_empty() {
                    let i = el(doc, "input", "", "");
                    let _ = i.set_attribute("id", "wb-priority");
                    append(&l, &i);
                } else {
                    let s = el(doc, "select", "", "");
                    let _ = s.set_attribute("id", "wb-priority");
                    let none = el(doc, "option", "", &loc.m(Msg::WbNoPriority));
                    let _ = none.set_attribute("value", "");
                    append(&s, &none);
                    for p in priorities {
                        let o = el(doc, "option", "", p);
                        let _ = o.set_attribute("value", p);
                        append(&s, &o);
                    }
                    append(&l, &s);
                }
                append(&form, &l);
            }
            field(doc, &form, &loc.m(Msg::WbYourText), "textarea", "wb-text", "");
        }
        // Offered on its own button ([`confirm_priority`]).
        WriteKind::Priority => return,
    }
    let send = el(doc, "button", "action wb-send", &loc.m(Msg::WbSend));
    let _ = send.set_attribute("id", "wb-send");
    let (wb2, connector, record) = (wb.clone(), connector.to_string(), record.to_string());
    on_click(&send, move || {
        let doc = crate::dom::document();
        let fields = match kind {
            WriteKind::Note => WriteFields { subject: value(&doc, "wb-subject"), status: value(&doc, "wb-status"), text: value(&doc, "wb-text"), ..Default::default() },
            WriteKind::Task | WriteKind::Priority => WriteFields { subject: value(&doc, "wb-task-subject"), text: value(&doc, "wb-text"), due: value(&doc, "wb-due"), owner: value(&doc, "wb-owner"), priority: value(&doc, "wb-priority"), ..Default::default() },
        };
        submit(&doc, &wb2, wb2.who.write(connector.clone(), record.clone(), kind, fields), n);
    });
    append(&form, &send);
    append_cancel(doc, &form, loc);
}

/// The ticket's writes; `true` while one is under way (poll again).
fn render_list(doc: &Document, wb: &Rc<Wb>, writes: &[WriteView], n: u32, loc: &Loc) -> bool {
    let Some(list) = by_id(doc, "wb-list") else { return false };
    clear(&list);
    let mut busy = false;
    for w in writes {
        let li = el(doc, "li", "wb-op", "");
        let _ = li.set_attribute("data-state", &w.shown);
        let _ = li.set_attribute("data-op", &w.id);
        let _ = li.set_attribute("data-kind", w.kind.name());
        let kind = match w.kind {
            WriteKind::Note => Msg::WbNote,
            WriteKind::Task => Msg::WbTask,
            WriteKind::Priority => Msg::WbPriority,
        };
        append(&li, &el(doc, "span", "wb-kind", &loc.m(kind)));
        // A priority's summary is the vendor's word ("urgent"): in the panel's language.
        let summary = if w.kind == WriteKind::Priority { crate::panel::ticket_word(&w.summary, loc) } else { w.summary.clone() };
        append(&li, &el(doc, "span", "wb-summary", &summary));
        let state = match w.shown.as_str() {
            "done" => loc.m(Msg::WbDone),
            "failed" => loc.t(&Text::new(Msg::WbFailed, [Arg::Text(w.reason.clone().unwrap_or_else(|| Msg::PanelUnexpected.into()))])),
            "checking" => loc.m(Msg::WbChecking),
            _ => loc.m(Msg::WbSending),
        };
        append(&li, &el(doc, "span", "wb-state", &state));
        busy |= matches!(w.shown.as_str(), "sending" | "checking");
        // Checked again where it is opened: one rule for every outside URL.
        if let Some(url) = w.link.as_deref().and_then(deskside_core::weburl::outside_link) {
            // A priority was set on the helpdesk's ticket, not in a CRM: "View", as the ticket lists say.
            let open = if w.kind == WriteKind::Priority { Msg::PanelOpenTicket } else { Msg::WbOpen };
            let b = el(doc, "button", "link wb-link-open", &loc.m(open));
            let env = AsRef::<wasm_bindgen::JsValue>::as_ref(&wb.env).clone().unchecked_into::<PageEnv>();
            on_click(&b, move || env.open_link(&url));
            append(&li, &b);
        }
        if w.retry {
            let b = el(doc, "button", "action wb-retry", &loc.m(Msg::WbRetry));
            let (wb2, op) = (wb.clone(), w.id.clone());
            on_click(&b, move || {
                let request = wb2.who.retry(op.clone());
                wasm_bindgen_futures::spawn_local(ask(wb2.clone(), request, n, false));
            });
            append(&li, &b);
        }
        append(&list, &li);
    }
    busy
}
