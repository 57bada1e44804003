//! The options page's last sections: each connector's monitoring numbers
//! (a line per window and a small SVG bar chart drawn from the core's bars,
//! the last errors in words) and the audit trail (filters, rows, Export CSV,
//! the CSV built by the core). Nothing is decided here.

use crate::dom::{append, by_id, clear, document, el, on_click};
use crate::env::PageEnv;
use crate::i18n::current;
use crate::{js_error_text, message_from_js, message_to_js};
use deskside_core::audit::{filtered, iso_time, to_csv, AuditEntry, AuditFilter};
use deskside_core::i18n::{data, Msg, Text};
use deskside_core::identify::IdKind;
use deskside_core::messages::{Request, Response};
use deskside_core::monitor::{ConnectorStats, Window, CHART_HEIGHT, CHART_WIDTH};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

/// Rows shown at most (the export holds every entry the filters keep).
const ROWS_SHOWN: usize = 200;
const SVG_NS: &str = "http://www.w3.org/2000/svg";

thread_local! {
    static AUDIT: RefCell<Vec<AuditEntry>> = const { RefCell::new(Vec::new()) };
}

fn value_of(doc: &Document, id: &str) -> String {
    let Some(e) = by_id(doc, id) else { return String::new() };
    if let Some(s) = e.dyn_ref::<web_sys::HtmlSelectElement>() {
        return s.value();
    }
    e.dyn_ref::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
}

fn filter(doc: &Document) -> AuditFilter {
    AuditFilter { connector: value_of(doc, "audit_connector"), outcome: value_of(doc, "audit_outcome"), origin: value_of(doc, "audit_origin") }
}

fn on_event(e: &Element, event: &str, f: impl FnMut() + 'static) {
    let closure = Closure::<dyn FnMut()>::new(f);
    let _ = e.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    closure.forget();
}

/// Wires the sections and loads them.
pub fn start(env: Rc<PageEnv>) {
    let doc = document();
    for (id, event) in [("audit_connector", "change"), ("audit_outcome", "change"), ("audit_origin", "input")] {
        if let Some(e) = by_id(&doc, id) {
            on_event(&e, event, || render_audit(&document()));
        }
    }
    if let Some(b) = by_id(&doc, "audit_export") {
        on_click(&b, || export(&document()));
    }
    if let Some(b) = by_id(&doc, "audit_refresh") {
        let env = env.clone();
        on_click(&b, move || {
            let env = env.clone();
            wasm_bindgen_futures::spawn_local(async move { load(&env).await });
        });
    }
    wasm_bindgen_futures::spawn_local(async move { load(&env).await });
}

/// How audit forwarding goes (nothing when no endpoint is set).
fn render_forward(doc: &Document, status: Option<&deskside_core::forward::ForwardStatus>) {
    let Some(out) = by_id(doc, "forward_status") else { return };
    clear(&out);
    let Some(f) = status else { return };
    let t = current();
    let mut line = t.t(&Text::new(Msg::OptForwardStatus, [data(f.sent), data(f.waiting), data(f.dropped)]));
    if let Some(why) = &f.last_error {
        line.push(' ');
        line.push_str(&t.t(&Text::new(Msg::OptForwardFailing, [data(why)])));
    }
    out.set_text_content(Some(&line));
    let _ = out.set_attribute("data-waiting", &f.waiting.to_string());
    let _ = out.set_attribute("data-sent", &f.sent.to_string());
}

async fn load(env: &PageEnv) {
    let doc = document();
    let answer = env.send(message_to_js(&Request::GetActivity)).await;
    match answer.map_err(|e| js_error_text(&e)).and_then(message_from_js::<Response>) {
        Ok(Response::Activity { audit, monitor, now_ms, forward }) => {
            render_forward(&doc, forward.as_ref());
            AUDIT.with(|a| *a.borrow_mut() = audit);
            render_monitor(&doc, &monitor, now_ms);
            fill_connectors(&doc, &monitor);
            render_audit(&doc);
        }
        Ok(other) => crate::log_detail(&format!("{other:?}")),
        Err(e) => crate::log_detail(&e),
    }
    if let Some(s) = by_id(&doc, "audit_section") {
        let _ = s.set_attribute("data-loaded", "true");
    }
}

fn summary(w: &Window) -> Text {
    if w.requests == 0 {
        return Msg::MonNoRequests.into();
    }
    let ms = |v: Option<u32>| data(v.unwrap_or(0));
    Text::new(Msg::MonSummary, [data(w.requests), data(w.success_percent().unwrap_or(0)), ms(w.p50_ms), ms(w.p95_ms), data(w.rate_limited), data(w.errors)])
}

fn svg(doc: &Document, tag: &str, attrs: &[(&str, String)]) -> Option<Element> {
    let e = doc.create_element_ns(Some(SVG_NS), tag).ok()?;
    for (k, v) in attrs {
        let _ = e.set_attribute(k, v);
    }
    Some(e)
}

fn render_monitor(doc: &Document, stats: &[ConnectorStats], _now_ms: f64) {
    let Some(out) = by_id(doc, "monitor") else { return };
    clear(&out);
    let loc = current();
    if stats.is_empty() {
        append(&out, &el(doc, "p", "hint", &loc.m(Msg::MonNoConnectors)));
    }
    for s in stats {
        let block = el(doc, "div", "monitor-connector", "");
        let _ = block.set_attribute("data-connector", &s.connector);
        let _ = block.set_attribute("data-requests-hour", &s.hour.requests.to_string());
        let _ = block.set_attribute("data-requests-day", &s.day.requests.to_string());
        append(&block, &el(doc, "h3", "", &s.label));
        for (label, w) in [(Msg::MonLastHour, &s.hour), (Msg::MonLastDay, &s.day)] {
            let line = el(doc, "p", "monitor-window", "");
            append(&line, &el(doc, "strong", "", &loc.m(label)));
            append(&line, &el(doc, "span", "", &loc.t(&summary(w))));
            append(&block, &line);
        }
        let dims = [("viewBox", format!("0 0 {CHART_WIDTH} {CHART_HEIGHT}")), ("width", CHART_WIDTH.to_string()), ("height", CHART_HEIGHT.to_string()), ("role", "img".into()), ("aria-label", loc.m(Msg::MonChartLabel)), ("class", "monitor-chart".into())];
        if let Some(chart) = svg(doc, "svg", &dims) {
            for b in &s.bars {
                for (class, y, h) in [("ok", b.ok_y, b.ok_height), ("failed", b.failed_y, b.failed_height)] {
                    if h == 0 {
                        continue;
                    }
                    let rect = [("x", b.x.to_string()), ("y", y.to_string()), ("width", b.width.to_string()), ("height", h.to_string()), ("class", class.into())];
                    if let Some(r) = svg(doc, "rect", &rect) {
                        let _ = chart.append_child(&r);
                    }
                }
            }
            let _ = block.append_child(&chart);
        }
        if !s.last_errors.is_empty() {
            append(&block, &el(doc, "p", "monitor-errors-heading", &loc.m(Msg::MonLastErrors)));
            let list = el(doc, "ul", "monitor-errors", "");
            for (at, text) in &s.last_errors {
                append(&list, &el(doc, "li", "", &format!("{} · {}", loc.date(&iso_time(*at)), loc.t(text))));
            }
            append(&block, &list);
        }
        append(&out, &block);
    }
}

/// The connector filter's options: "any", then each configured connector.
fn fill_connectors(doc: &Document, stats: &[ConnectorStats]) {
    let Some(select) = by_id(doc, "audit_connector") else { return };
    let chosen = value_of(doc, "audit_connector");
    while let Some(last) = select.last_element_child() {
        if last.get_attribute("value").unwrap_or_default().is_empty() {
            break;
        }
        last.remove();
    }
    for s in stats {
        let o = el(doc, "option", "", &s.label);
        let _ = o.set_attribute("value", &s.connector);
        append(&select, &o);
    }
    if let Some(s) = select.dyn_ref::<web_sys::HtmlSelectElement>() {
        s.set_value(&chosen);
    }
}

fn kind_name(kind: &str) -> String {
    IdKind::parse(kind).map(|k| current().m(k.name())).unwrap_or_else(|| kind.to_string())
}

fn render_audit(doc: &Document) {
    let Some(body) = by_id(doc, "audit_rows") else { return };
    clear(&body);
    let loc = current();
    let f = filter(doc);
    AUDIT.with(|a| {
        let log = a.borrow();
        let all = filtered(&log, &f, usize::MAX);
        let shown = &all[..all.len().min(ROWS_SHOWN)];
        for e in shown {
            let row = el(doc, "tr", "", "");
            let _ = row.set_attribute("data-outcome", deskside_core::audit::outcome_class(&e.outcome));
            let label = if e.label.is_empty() { e.connector.as_str() } else { e.label.as_str() };
            let identifier = format!("{} · {}", kind_name(&e.id_kind), e.subject_hash);
            for (class, text) in [("time", loc.date(&iso_time(e.at_ms))), ("connector", label.to_string()), ("action", e.action.clone()), ("identifier", identifier), ("origin", e.page_origin.clone()), ("fields", e.fields.join(", ")), ("outcome", e.outcome.clone())] {
                append(&row, &el(doc, "td", class, &text));
            }
            append(&body, &row);
        }
        if let Some(count) = by_id(doc, "audit_count") {
            let text = if all.is_empty() { loc.m(Msg::OptAuditEmpty) } else { loc.t(&Text::new(Msg::OptAuditShown, [data(shown.len()), data(all.len())])) };
            count.set_text_content(Some(&text));
        }
    });
}

/// Saves what the filters keep as CSV (built by the core); the text is
/// also left on the button (`data-csv`) for the end-to-end tests.
fn export(doc: &Document) {
    let f = filter(doc);
    let csv = AUDIT.with(|a| {
        let log = a.borrow();
        let mut kept = filtered(&log, &f, usize::MAX);
        kept.reverse();
        to_csv(kept)
    });
    if let Some(b) = by_id(doc, "audit_export") {
        let _ = b.set_attribute("data-csv", &csv);
    }
    let parts = js_sys::Array::of1(&JsValue::from_str(&csv));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(a) = doc.create_element("a").map(|a| a.unchecked_into::<web_sys::HtmlAnchorElement>()) {
        a.set_href(&url);
        a.set_download("deskside-audit.csv");
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
