//! The options page: shows the stored settings (never their keys), and on
//! Save asks for the needed site permissions, then has the background
//! validate and store the input.
//!
//! The admin's identifier patterns are a small table (`#id_pattern_rows`):
//! one row per pattern with its kind, name and pattern, a Remove button, and
//! the row's error under its inputs; "Add a pattern" appends a row.

use crate::dom::{append, by_id, document, el, on_change, on_click};
use crate::env::PageEnv;
use crate::{from_js, js_error_text, to_js};
use deskside_core::config::{ConnectorInput, ConnectorKind, FieldError, IdPattern, IdPatternInput, SettingsInput, SettingsView};
use crate::i18n::{current, use_language};
use deskside_core::i18n::{data, LanguageSetting, Msg, Text};
use deskside_core::identify::IdKind;
use deskside_core::connector::trial::{ConnectorTest, TestOutcome, TestStep};
use deskside_core::messages::{Request, Response};
use deskside_core::secret::Secret;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

fn input(doc: &Document, id: &str) -> Option<HtmlInputElement> {
    by_id(doc, id)?.dyn_into().ok()
}
fn textarea(doc: &Document, id: &str) -> Option<HtmlTextAreaElement> {
    by_id(doc, id)?.dyn_into().ok()
}
fn select(doc: &Document, id: &str) -> Option<HtmlSelectElement> {
    by_id(doc, id)?.dyn_into().ok()
}

fn lines(s: &str) -> Vec<String> {
    s.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect()
}

/// One editable row of the pattern table.
fn add_pattern_row(doc: &Document, p: Option<&IdPattern>) {
    let Some(body) = by_id(doc, "id_pattern_rows") else { return };
    let loc = current();
    let row = el(doc, "tr", "id-pattern", "");
    let kind_cell = el(doc, "td", "", "");
    let kind = el(doc, "select", "id-kind", "");
    let _ = kind.set_attribute("aria-label", &loc.m(Msg::OptFinds));
    for k in IdKind::CUSTOM {
        let option = el(doc, "option", "", &loc.m(k.name()));
        let _ = option.set_attribute("value", k.id());
        append(&kind, &option);
    }
    if let Some(select) = kind.dyn_ref::<HtmlSelectElement>() {
        select.set_value(p.map_or(IdKind::CustomerId, |p| p.kind).id());
    }
    append(&kind_cell, &kind);
    let text_input = |class: &str, label: &str, placeholder: &str, value: &str| {
        let input = el(doc, "input", class, "");
        for (k, v) in [("type", "text"), ("aria-label", label), ("placeholder", placeholder), ("autocomplete", "off"), ("spellcheck", "false")] {
            let _ = input.set_attribute(k, v);
        }
        if let Some(i) = input.dyn_ref::<HtmlInputElement>() {
            i.set_value(value);
        }
        input
    };
    let label_cell = el(doc, "td", "", "");
    append(&label_cell, &text_input("id-label", &loc.m(Msg::OptNameShown), &loc.m(Msg::OptLabelPlaceholder), p.map_or("", |p| p.label.as_str())));
    let pattern_cell = el(doc, "td", "", "");
    append(&pattern_cell, &text_input("id-pattern-text", &loc.m(Msg::OptPattern), &loc.m(Msg::OptPatternPlaceholder), p.map_or("", |p| p.pattern.as_str())));
    // Cleared with the form's other errors before each save.
    let error = el(doc, "span", "error", "");
    let _ = error.set_attribute("data-error-for", "id_pattern_row");
    append(&pattern_cell, &error);
    let remove_cell = el(doc, "td", "", "");
    let remove = el(doc, "button", "remove", &loc.m(Msg::OptRemove));
    let _ = remove.set_attribute("type", "button");
    let target = row.clone();
    on_click(&remove, move || target.remove());
    append(&remove_cell, &remove);
    for cell in [&kind_cell, &label_cell, &pattern_cell, &remove_cell] {
        append(&row, cell);
    }
    append(&body, &row);
}

fn pattern_rows(doc: &Document) -> Vec<Element> {
    let Ok(list) = doc.query_selector_all("#id_pattern_rows tr.id-pattern") else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()).collect()
}

fn fill_patterns(doc: &Document, patterns: &[IdPattern]) {
    if let Some(body) = by_id(doc, "id_pattern_rows") {
        body.set_text_content(None);
    }
    for p in patterns {
        add_pattern_row(doc, Some(p));
    }
}

fn read_patterns(doc: &Document) -> Vec<IdPatternInput> {
    let value = |row: &Element, selector: &str| -> String {
        let Some(e) = row.query_selector(selector).ok().flatten() else { return String::new() };
        if let Some(i) = e.dyn_ref::<HtmlInputElement>() {
            return i.value();
        }
        e.dyn_ref::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default()
    };
    pattern_rows(doc)
        .iter()
        .map(|row| IdPatternInput { kind: value(row, ".id-kind"), label: value(row, ".id-label"), pattern: value(row, ".id-pattern-text") })
        .collect()
}

/// The status line, in the page's language; the background's own
/// (technical) detail, if any, only in the console.
fn status(doc: &Document, text: Msg, kind: &str, detail: &str) {
    crate::log_detail(detail);
    if let Some(s) = by_id(doc, "status") {
        s.set_text_content(Some(&current().m(text)));
        let _ = s.set_attribute("data-kind", kind);
    }
}

fn fill(doc: &Document, view: &SettingsView) {
    let c = view.connectors.first();
    if let Some(e) = select(doc, "kind") {
        e.set_value(c.map_or(ConnectorKind::DemoCrm, |c| c.kind).id());
    }
    if let Some(e) = input(doc, "label") {
        e.set_value(c.map_or("", |c| c.label.as_str()));
    }
    if let Some(e) = input(doc, "base_url") {
        e.set_value(c.map_or("", |c| c.base_url.as_str()));
    }
    if let Some(e) = input(doc, "api_key") {
        e.set_value("");
        let placeholder = match c {
            Some(c) if c.api_key.set => Text::new(Msg::OptKeySaved, [data(&c.api_key.hint)]),
            _ => Msg::OptKeyPlaceholder.into(),
        };
        let placeholder = current().t(&placeholder);
        e.set_placeholder(&placeholder);
    }
    if let Some(e) = input(doc, "enabled") {
        e.set_checked(c.is_none_or(|c| c.enabled));
    }
    for name in SECRET_FIELDS {
        if let Some(e) = input(doc, name) {
            e.set_value("");
            let saved = c.and_then(|c| c.secrets.get(name)).filter(|s| s.set);
            let placeholder = saved.map(|s| current().t(&Text::new(Msg::OptKeySaved, [data(&s.hint)]))).unwrap_or_default();
            e.set_placeholder(&placeholder);
        }
    }
    if let Some(e) = textarea(doc, "definition") {
        let json = c.and_then(|c| c.definition.as_ref()).and_then(|d| serde_json::to_string_pretty(d).ok()).unwrap_or_default();
        e.set_value(&json);
    }
    if let Some(e) = textarea(doc, "sites") {
        e.set_value(&view.sites.join("\n"));
    }
    if let Some(e) = textarea(doc, "team_domains") {
        e.set_value(&view.team_domains.join("\n"));
    }
    if let Some(e) = textarea(doc, "team_phones") {
        e.set_value(&view.team_phones.join("\n"));
    }
    if let Some(e) = select(doc, "region") {
        e.set_value(&view.default_region);
    }
    if let Some(e) = select(doc, "language") {
        e.set_value(view.language.id());
    }
    if let Some(e) = input(doc, "panel_opens_expanded") {
        e.set_checked(view.panel_opens_expanded);
    }
    if let Some(e) = input(doc, "side_panel") {
        e.set_checked(view.side_panel);
    }
    fill_patterns(doc, &view.id_patterns);
}

fn input_value(doc: &Document, id: &str) -> String {
    input(doc, id).map(|e| e.value()).unwrap_or_default()
}

/// What *Test connection* found: a line for the outcome, then each request
/// and its answer as the admin would inspect them.
fn render_test(doc: &Document, out: &Element, result: ConnectorTest) {
    let loc = current();
    let (kind, line) = match &result.outcome {
        TestOutcome::Invalid { errors } => {
            show_errors(doc, errors);
            ("error", loc.m(Msg::TestInvalid))
        }
        TestOutcome::Found { customers, .. } => {
            let names: Vec<String> = customers.iter().map(|c| c.name.clone().unwrap_or_else(|| loc.m(Msg::PanelNoName))).collect();
            ("ok", loc.t(&Text::new(Msg::TestFound, [data(names.join(&loc.m(Msg::ListSeparator)))])))
        }
        TestOutcome::NotFound { id_kind, .. } => ("ok", loc.t(&Text::new(Msg::TestNotFound, [id_kind.name_in_sentence().into()]))),
        TestOutcome::Failed { message, .. } => ("error", loc.t(message)),
    };
    show_test(doc, out, kind, &line, &result.steps);
}

fn show_test(doc: &Document, out: &Element, kind: &str, line: &str, steps: &[TestStep]) {
    let loc = current();
    out.set_text_content(None);
    let _ = out.set_attribute("data-kind", kind);
    append(out, &el(doc, "p", "test-outcome", line));
    for s in steps {
        let block = el(doc, "div", "test-step", "");
        append(&block, &el(doc, "h3", "", &loc.m(Msg::OptTestRequest)));
        append(&block, &el(doc, "pre", "test-request", &s.request));
        let heading = match s.status {
            Some(status) => loc.t(&Text::new(Msg::OptTestAnswer, [data(status)])),
            None => loc.m(Msg::OptTestNoAnswer),
        };
        append(&block, &el(doc, "h3", "", &heading));
        append(&block, &el(doc, "pre", "test-answer", &s.answer));
        append(out, &block);
    }
}

/// The generic connector's fields only for that type.
fn show_generic(doc: &Document) {
    let generic = select(doc, "kind").is_some_and(|k| k.value() == ConnectorKind::Generic.id());
    if let Ok(Some(block)) = doc.query_selector(".generic") {
        if generic {
            let _ = block.remove_attribute("hidden");
        } else {
            let _ = block.set_attribute("hidden", "");
        }
    }
}

/// The secret inputs besides the API key, by the names auth kinds use.
const SECRET_FIELDS: [&str; 4] = ["client_id", "client_secret", "username", "password"];

fn read(doc: &Document, connector_id: &str) -> SettingsInput {
    let key = input(doc, "api_key").map(|e| e.value()).unwrap_or_default();
    let secrets = SECRET_FIELDS
        .iter()
        .map(|name| {
            let v = input(doc, name).map(|e| e.value()).unwrap_or_default();
            (name.to_string(), (!v.trim().is_empty()).then(|| Secret::new(v)))
        })
        .collect();
    SettingsInput {
        connectors: vec![ConnectorInput {
            id: connector_id.to_string(),
            kind: select(doc, "kind").map(|e| e.value()).unwrap_or_default(),
            label: input(doc, "label").map(|e| e.value()).unwrap_or_default(),
            base_url: input(doc, "base_url").map(|e| e.value()).unwrap_or_default(),
            api_key: (!key.trim().is_empty()).then(|| Secret::new(key)),
            secrets,
            enabled: input(doc, "enabled").is_some_and(|e| e.checked()),
            definition: textarea(doc, "definition").map(|e| e.value()).unwrap_or_default(),
        }],
        sites: lines(&textarea(doc, "sites").map(|e| e.value()).unwrap_or_default()),
        team_domains: lines(&textarea(doc, "team_domains").map(|e| e.value()).unwrap_or_default()),
        team_phones: lines(&textarea(doc, "team_phones").map(|e| e.value()).unwrap_or_default()),
        default_region: select(doc, "region").map(|e| e.value()).unwrap_or_default(),
        id_patterns: read_patterns(doc),
        language: select(doc, "language").map(|e| e.value()).unwrap_or_default(),
        panel_opens_expanded: input(doc, "panel_opens_expanded").is_some_and(|e| e.checked()),
        side_panel: input(doc, "side_panel").is_some_and(|e| e.checked()),
    }
}

fn show_errors(doc: &Document, errors: &[FieldError]) {
    if let Ok(list) = doc.query_selector_all("[data-error-for]") {
        for i in 0..list.length() {
            if let Some(n) = list.item(i) {
                n.set_text_content(None);
            }
        }
    }
    let rows = pattern_rows(doc);
    let loc = current();
    for e in errors {
        let message = loc.t(&e.message);
        // `id_patterns.2.pattern`: under row 2 of the pattern table.
        if let Some(rest) = e.field.strip_prefix("id_patterns.") {
            let (row, part) = rest.split_once('.').unwrap_or((rest, ""));
            let message = match part {
                "kind" => loc.t(&Text::new(Msg::OptErrorKind, [data(&message)])),
                "label" => loc.t(&Text::new(Msg::OptErrorLabel, [data(&message)])),
                _ => message,
            };
            let target = row.parse::<usize>().ok().and_then(|i| rows.get(i)).and_then(|r| r.query_selector(".error").ok().flatten());
            if let Some(t) = target {
                let old = t.text_content().unwrap_or_default();
                let text = format!("{old}{}{message}", if old.is_empty() { "" } else { " " });
                t.set_text_content(Some(&text));
            }
            continue;
        }
        // Field ids are `connectors.0.base_url`, `sites.2`…: show each next
        // to its input (the form has one connector).
        let key = e.field.split('.').filter(|p| p.parse::<usize>().is_err()).last().unwrap_or("");
        let target = doc.query_selector(&format!("[data-error-for=\"{key}\"]")).ok().flatten();
        if let Some(t) = target {
            let old = t.text_content().unwrap_or_default();
            let text = if old.is_empty() { message } else { format!("{old} {message}") };
            t.set_text_content(Some(&text));
        }
    }
}

/// The background's technical detail of a failure (shown as a tooltip).
fn failure_detail(r: &Response) -> String {
    match r {
        Response::Failed { message } => message.clone(),
        Response::Rejected { reason } => reason.clone(),
        _ => String::new(),
    }
}

#[wasm_bindgen]
pub async fn start_options(env: PageEnv) {
    let doc = document();
    let env = Rc::new(env);
    // The browser's language until the stored choice is known.
    use_language(&env, &doc, LanguageSetting::Auto).await;
    let answer = env.send(to_js(&Request::GetSettings)).await;
    let connector_id = match answer.map_err(|e| js_error_text(&e)).and_then(from_js::<Response>) {
        Ok(Response::Settings { settings, .. }) => {
            use_language(&env, &doc, settings.language).await;
            fill(&doc, &settings);
            show_generic(&doc);
            if let Some(kind) = by_id(&doc, "kind") {
                on_change(&kind, |_| show_generic(&document()));
            }
            settings.connectors.first().map(|c| c.id.clone()).unwrap_or_else(|| "c1".into())
        }
        Ok(other) => {
            status(&doc, Msg::OptLoadFailed, "error", &failure_detail(&other));
            return;
        }
        Err(e) => {
            status(&doc, Msg::OptLoadFailed, "error", &e);
            return;
        }
    };
    if let Some(add) = by_id(&doc, "add_id_pattern") {
        on_click(&add, || {
            let doc = document();
            add_pattern_row(&doc, None);
            if let Some(input) = pattern_rows(&doc).last().and_then(|r| r.query_selector(".id-label").ok().flatten()) {
                let _ = input.dyn_ref::<web_sys::HtmlElement>().map(|h| h.focus());
            }
        });
    }
    let id = Rc::new(connector_id);
    if let Some(test) = by_id(&doc, "test") {
        let (env, id) = (env.clone(), id.clone());
        on_click(&test, move || {
            let doc = document();
            let input = read(&doc, &id);
            // Access to the API's origin, asked inside the click.
            let granted = env.request_origins(to_js(&input.requested_origins()));
            let sample = input_value(&doc, "sample");
            let env = env.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let Some(connector) = input.connectors.into_iter().next() else { return };
                let Some(out) = by_id(&doc, "test_result") else { return };
                out.set_text_content(None);
                let _ = out.set_attribute("data-kind", "busy");
                append(&out, &el(&doc, "p", "test-outcome", &current().m(Msg::TestRunning)));
                if !matches!(wasm_bindgen_futures::JsFuture::from(granted).await, Ok(v) if v.as_bool() == Some(true)) {
                    show_test(&doc, &out, "error", &current().m(Msg::OptNotSavedPermission), &[]);
                    return;
                }
                let answer = env.send(to_js(&Request::TestConnector { input: connector, sample })).await;
                match answer.map_err(|e| js_error_text(&e)).and_then(from_js::<Response>) {
                    Ok(Response::TestResult { result }) => render_test(&doc, &out, result),
                    Ok(other) => show_test(&doc, &out, "error", &failure_detail(&other), &[]),
                    Err(e) => show_test(&doc, &out, "error", &e, &[]),
                }
            });
        });
    }
    let Some(save) = by_id(&doc, "save") else { return };
    on_click(&save, move || {
        let doc = document();
        let input = read(&doc, &id);
        // Ask for access now, inside the click: browsers refuse later.
        let granted = env.request_origins(to_js(&input.requested_origins()));
        let env = env.clone();
        wasm_bindgen_futures::spawn_local(async move {
            status(&doc, Msg::OptSaving, "busy", "");
            match wasm_bindgen_futures::JsFuture::from(granted).await {
                Ok(v) if v.as_bool() == Some(true) => {}
                Ok(_) => {
                    status(&doc, Msg::OptNotSavedPermission, "error", "");
                    return;
                }
                Err(e) => {
                    status(&doc, Msg::OptNotSaved, "error", &js_error_text(&e));
                    return;
                }
            }
            // With a sample typed in, the connector is tested first: a connector
            // that cannot find anyone is not saved by accident.
            let sample = input_value(&doc, "sample");
            if let (false, Some(connector), Some(out)) = (sample.trim().is_empty(), input.connectors.first().cloned(), by_id(&doc, "test_result")) {
                let answer = env.send(to_js(&Request::TestConnector { input: connector, sample })).await;
                if let Ok(Response::TestResult { result }) = answer.map_err(|e| js_error_text(&e)).and_then(from_js::<Response>) {
                    let failed = matches!(result.outcome, TestOutcome::Failed { .. } | TestOutcome::Invalid { .. });
                    render_test(&doc, &out, result);
                    if failed {
                        status(&doc, Msg::OptNotSavedTest, "error", "");
                        return;
                    }
                }
            }
            let answer = env.send(to_js(&Request::SaveSettings { input })).await;
            match answer.map_err(|e| js_error_text(&e)).and_then(from_js::<Response>) {
                Ok(Response::Settings { settings, .. }) => {
                    // A new language choice applies at once.
                    use_language(&env, &doc, settings.language).await;
                    show_errors(&doc, &[]);
                    fill(&doc, &settings);
                    status(&doc, Msg::OptSaved, "ok", "");
                }
                Ok(Response::SaveFailed { errors }) => {
                    show_errors(&doc, &errors);
                    status(&doc, Msg::OptNotSavedFields, "error", "");
                }
                Ok(other) => status(&doc, Msg::OptNotSaved, "error", &failure_detail(&other)),
                Err(e) => status(&doc, Msg::OptNotSaved, "error", &e),
            }
        });
    });
    if let Some(body) = doc.body() {
        let _ = body.set_attribute("data-loaded", "true");
    }
}
