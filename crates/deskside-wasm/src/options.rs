//! The options page: shows the stored settings (never their keys), and on
//! Save asks for the needed site permissions, then has the background
//! validate and store the input.
//!
//! The admin's identifier patterns are a small table (`#id_pattern_rows`):
//! one row per pattern with its kind, name and pattern, a Remove button, and
//! the row's error under its inputs; "Add a pattern" appends a row.

use crate::dom::{append, by_id, document, el, on_change, on_click};
use crate::env::PageEnv;
use crate::{js_error_text, message_from_js, message_to_js, to_js};
use deskside_core::config::{secret_label, ConnectorInput, ConnectorKind, ConnectorView, FieldError, IdPattern, IdPatternInput, SettingsInput, SettingsView, SECRET_NAMES};
use deskside_core::connector::def::Definition;
use deskside_core::connector::setup::SetupKind;
use deskside_core::merge::{PickPolicy, ORDERED_FIELDS};
use deskside_core::weburl::{BaseUrl, UrlError};
use std::collections::BTreeMap;
use crate::i18n::{current, localize_page, use_language};
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

/// The VIP rule fields, in the form's order: `(field, label)`.
const VIP_FIELDS: [(&str, Msg); 7] = [
    ("name", Msg::OptVipName),
    ("tiers", Msg::OptVipTiers),
    ("min_lifetime_value", Msg::OptVipMinValue),
    ("currency", Msg::OptVipCurrency),
    ("min_open_tickets", Msg::OptVipMinOpen),
    ("min_complaints", Msg::OptVipMinComplaints),
    ("tag", Msg::OptVipTag),
];

/// One VIP rule of the list (`#vip_rule_rows`): a block of labelled inputs,
/// each with its error under it, and Move up / Remove (the order is the
/// order rules are tried in).
fn add_vip_row(doc: &Document, rule: Option<&deskside_core::vip::VipRule>) {
    let Some(list) = by_id(doc, "vip_rule_rows") else { return };
    let loc = current();
    let values = rule.map(|r| r.input()).unwrap_or_default();
    let block = el(doc, "fieldset", "vip-rule", "");
    for (field, label) in VIP_FIELDS {
        let value = match field {
            "name" => &values.name,
            "tiers" => &values.tiers,
            "min_lifetime_value" => &values.min_lifetime_value,
            "currency" => &values.currency,
            "min_open_tickets" => &values.min_open_tickets,
            "min_complaints" => &values.min_complaints,
            _ => &values.tag,
        };
        let l = el(doc, "label", &format!("vip-{field}"), "");
        append(&l, &el(doc, "span", "", &loc.m(label)));
        let i = el(doc, "input", "", "");
        let kind = if field.starts_with("min_") && field != "min_lifetime_value" { "number" } else { "text" };
        for (k, v) in [("type", kind), ("data-vip", field), ("autocomplete", "off"), ("spellcheck", "false")] {
            let _ = i.set_attribute(k, v);
        }
        if let Some(input) = i.dyn_ref::<HtmlInputElement>() {
            input.set_value(value);
        }
        append(&l, &i);
        append(&block, &l);
        let error = el(doc, "span", "error", "");
        let _ = error.set_attribute("data-error-for", field);
        append(&block, &error);
    }
    let row = el(doc, "div", "row", "");
    let up = el(doc, "button", "secondary move-up", &loc.m(Msg::OptMoveUp));
    let _ = up.set_attribute("type", "button");
    let target = block.clone();
    on_click(&up, move || {
        if let (Some(prev), Some(parent)) = (target.previous_element_sibling(), target.parent_node()) {
            let _ = parent.insert_before(&target, Some(&prev));
        }
    });
    let remove = el(doc, "button", "remove", &loc.m(Msg::OptRemove));
    let _ = remove.set_attribute("type", "button");
    let target = block.clone();
    on_click(&remove, move || target.remove());
    append(&row, &up);
    append(&row, &remove);
    append(&block, &row);
    append(&list, &block);
}

fn vip_rows(doc: &Document) -> Vec<Element> {
    let Ok(list) = doc.query_selector_all("#vip_rule_rows fieldset.vip-rule") else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()).collect()
}

fn fill_vip_rules(doc: &Document, rules: &[deskside_core::vip::VipRule]) {
    if let Some(list) = by_id(doc, "vip_rule_rows") {
        list.set_text_content(None);
    }
    for r in rules {
        add_vip_row(doc, Some(r));
    }
}

fn read_vip_rules(doc: &Document) -> Vec<deskside_core::vip::VipRuleInput> {
    vip_rows(doc)
        .iter()
        .map(|row| {
            let v = |field: &str| row.query_selector(&format!("[data-vip=\"{field}\"]")).ok().flatten().and_then(|e| e.dyn_into::<HtmlInputElement>().ok()).map(|i| i.value()).unwrap_or_default();
            deskside_core::vip::VipRuleInput {
                name: v("name"),
                tiers: v("tiers"),
                min_lifetime_value: v("min_lifetime_value"),
                currency: v("currency"),
                min_open_tickets: v("min_open_tickets"),
                min_complaints: v("min_complaints"),
                tag: v("tag"),
            }
        })
        .collect()
}

/// The status line, in the page's language; the background's own
/// (technical) detail, if any, only in the console.
pub(crate) fn status(doc: &Document, text: impl Into<Text>, kind: &str, detail: &str) {
    status_in(doc, "status", text, kind, detail);
}

/// [`status`] in the status line `id` of a section of its own (the noticed
/// numbers' `noticed_status`, beside the button that was clicked).
pub(crate) fn status_in(doc: &Document, id: &str, text: impl Into<Text>, kind: &str, detail: &str) {
    crate::log_detail(detail);
    if let Some(s) = by_id(doc, id) {
        s.set_text_content(Some(&current().t(&text.into())));
        let _ = s.set_attribute("data-kind", kind);
    }
}

fn fill(doc: &Document, view: &SettingsView) {
    if let Some(list) = by_id(doc, "connectors") {
        list.set_text_content(None);
    }
    NEXT_BLOCK.with(|n| n.set(0));
    for c in &view.connectors {
        add_connector(doc, Some(c));
    }
    if view.connectors.is_empty() {
        add_connector(doc, None);
    }
    fill_field_sources(doc, &view.field_sources);
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
    fill_vip_rules(doc, &view.vip_rules);
    if let Some(e) = textarea(doc, "crm_pages") {
        e.set_value(&view.crm_pages.join("\n"));
    }
    if let Some(e) = input(doc, "cache_ttl_secs") {
        e.set_value(&view.cache_ttl_secs.to_string());
    }
    if let Some(e) = input(doc, "agents_per_key") {
        e.set_value(&view.agents_per_key.to_string());
    }
    if let Some(e) = input(doc, "badge_failure_percent") {
        e.set_value(&view.badge_failure_percent.to_string());
    }
    if let Some(e) = input(doc, "audit_forward_url") {
        e.set_value(&view.audit_forward_url);
    }
    // Fields, profiles, the lock, and what the organisation's policy sets.
    crate::admin::fill(doc, view);
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
    // Where each value came from: the admin sees which path gave it.
    if let TestOutcome::Found { fields, .. } = &result.outcome {
        if !fields.is_empty() {
            let heading = el(doc, "h3", "", &loc.m(Msg::OptTestFieldsHeading));
            let table = el(doc, "table", "test-fields", "");
            let head = el(doc, "tr", "", "");
            for m in [Msg::OptTestField, Msg::OptTestValue, Msg::OptTestPath] {
                append(&head, &el(doc, "th", "", &loc.m(m)));
            }
            append(&table, &head);
            for f in fields {
                let tr = el(doc, "tr", "", "");
                append(&tr, &el(doc, "td", "", &f.field));
                append(&tr, &el(doc, "td", "", &f.value));
                append(&tr, &el(doc, "td", "path", &f.path));
                append(&table, &tr);
            }
            // After the outcome line, before the requests.
            let first_step = out.query_selector(".test-step").ok().flatten();
            for e in [heading, table] {
                let _ = out.insert_before(&e, first_step.as_ref().map(|s| s.as_ref() as &web_sys::Node));
            }
        }
    }
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

thread_local! {
    /// Blocks made so far: the suffix of the next block's element ids (the
    /// first block's are bare: `#kind`, `#base_url`, `#test_result`…).
    static NEXT_BLOCK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The connector blocks, in the form's order.
fn connector_blocks(doc: &Document) -> Vec<Element> {
    let Ok(list) = doc.query_selector_all("#connectors fieldset.connector") else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()).collect()
}

/// A block's element for field `f`.
fn part(block: &Element, f: &str) -> Option<Element> {
    block.query_selector(&format!("[data-f=\"{f}\"]")).ok().flatten()
}

fn part_value(block: &Element, f: &str) -> String {
    let Some(e) = part(block, f) else { return String::new() };
    if let Some(i) = e.dyn_ref::<HtmlInputElement>() {
        return i.value();
    }
    if let Some(t) = e.dyn_ref::<HtmlTextAreaElement>() {
        return t.value();
    }
    e.dyn_ref::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default()
}

fn set_part_value(block: &Element, f: &str, value: &str) {
    let Some(e) = part(block, f) else { return };
    if let Some(i) = e.dyn_ref::<HtmlInputElement>() {
        i.set_value(value);
    } else if let Some(t) = e.dyn_ref::<HtmlTextAreaElement>() {
        t.set_value(value);
    } else if let Some(s) = e.dyn_ref::<HtmlSelectElement>() {
        s.set_value(value);
    }
}

/// A connector block from the page's template, filled from `c` (a new,
/// empty demo connector when `None`), appended to the list.
fn add_connector(doc: &Document, c: Option<&ConnectorView>) -> Option<Element> {
    let template: web_sys::HtmlTemplateElement = by_id(doc, "connector_template")?.dyn_into().ok()?;
    let block: Element = template.content().first_element_child()?.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    let n = NEXT_BLOCK.with(|x| {
        let n = x.get();
        x.set(n + 1);
        n
    });
    let id = c.map(|c| c.id.clone()).unwrap_or_else(|| fresh_connector_id(doc));
    let _ = block.set_attribute("data-id", &id);
    // Element ids: bare for the first block, `-N` after.
    for f in ["kind", "label", "base_url", "definition", "pick", "enabled", "sample", "test", "test_result", "remove", "export", "import", "role"] {
        if let Some(e) = part(&block, f) {
            let _ = e.set_attribute("id", &if n == 0 { f.to_string() } else { format!("{f}-{n}") });
        }
    }
    // One masked input per secret name; only those the auth kind needs are shown.
    if let Some(holder) = part(&block, "secrets") {
        let loc = current();
        for name in SECRET_NAMES {
            let label = el(doc, "label", "secret", "");
            let _ = label.set_attribute("data-secret", name);
            append(&label, &el(doc, "span", "", &loc.m(secret_label(name))));
            let input = el(doc, "input", "", "");
            for (k, v) in [("type", "password"), ("autocomplete", "off"), ("spellcheck", "false"), ("data-f", &format!("secret-{name}")), ("id", &if n == 0 { name.to_string() } else { format!("{name}-{n}") })] {
                let _ = input.set_attribute(k, v);
            }
            let state = c.and_then(|c| if *name == "api_key" { Some(&c.api_key) } else { c.secrets.get(*name) }).filter(|s| s.set);
            let placeholder = match state {
                Some(s) => loc.t(&Text::new(Msg::OptKeySaved, [data(&s.hint)])),
                None if *name == "api_key" => loc.m(Msg::OptKeyPlaceholder),
                None => String::new(),
            };
            if let Some(i) = input.dyn_ref::<HtmlInputElement>() {
                i.set_placeholder(&placeholder);
            }
            append(&label, &input);
            append(holder.as_ref(), &label);
            let error = el(doc, "span", "error", "");
            let _ = error.set_attribute("data-error-for", name);
            append(&holder, &error);
        }
    }
    if let Some(select) = part(&block, "kind") {
        let loc = current();
        for k in ConnectorKind::ALL {
            let name = match k {
                ConnectorKind::DemoCrm => loc.m(Msg::OptDemoCrm),
                ConnectorKind::Generic => loc.m(Msg::OptGeneric),
                other => other.display_name().to_string(),
            };
            let o = el(doc, "option", "", &name);
            let _ = o.set_attribute("value", k.id());
            append(&select, &o);
        }
    }
    set_part_value(&block, "kind", c.map_or(ConnectorKind::DemoCrm, |c| c.kind).id());
    let _ = block.set_attribute("data-setup", &serde_json::to_string(&c.map(|c| c.setup.clone()).unwrap_or_default()).unwrap_or_default());
    set_part_value(&block, "label", c.map_or("", |c| c.label.as_str()));
    set_part_value(&block, "base_url", c.map_or("", |c| c.base_url.as_str()));
    set_part_value(&block, "pick", c.map_or(PickPolicy::Ask, |c| c.pick).id());
    set_part_value(&block, "role", c.map_or(deskside_core::config::ConnectorRole::Crm, |c| c.role).id());
    let json = c.and_then(|c| c.definition.as_ref()).and_then(|d| serde_json::to_string_pretty(d).ok()).unwrap_or_default();
    set_part_value(&block, "definition", &json);
    if let Some(e) = part(&block, "enabled").and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) {
        e.set_checked(c.is_none_or(|c| c.enabled));
    }
    if let Some(e) = part(&block, "plain_http").and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) {
        e.set_checked(c.is_some_and(|c| c.plain_http));
    }
    let list = by_id(doc, "connectors")?;
    append(&list, &block);
    build_mapping(&block);
    definition_to_mapping(&block);
    wire_connector(doc, &block);
    show_kind_fields(&block);
    number_blocks(doc);
    Some(block)
}

/// `c1`, `c2`…: the first id no block has.
fn fresh_connector_id(doc: &Document) -> String {
    let taken: Vec<String> = connector_blocks(doc).iter().filter_map(|b| b.get_attribute("data-id")).collect();
    (1..).map(|i| format!("c{i}")).find(|id| !taken.contains(id)).unwrap_or_default()
}

/// Headings "Connector 1", "Connector 2"…, the Remove buttons (none for a
/// lone connector), and the source-order table's choices.
fn number_blocks(doc: &Document) {
    let blocks = connector_blocks(doc);
    let loc = current();
    for (i, b) in blocks.iter().enumerate() {
        if let Some(h) = part(b, "heading") {
            h.set_text_content(Some(&loc.t(&Text::new(Msg::OptConnectorHeading, [data(i + 1)]))));
        }
        if let Some(r) = part(b, "remove") {
            toggle(&r, blocks.len() > 1);
        }
    }
    let chosen = read_field_sources(doc);
    fill_field_sources(doc, &chosen);
}

fn toggle(e: &Element, shown: bool) {
    if shown {
        let _ = e.remove_attribute("hidden");
    } else {
        let _ = e.set_attribute("hidden", "");
    }
}

/// The generic connector's fields only for that type; the secret inputs its
/// auth kind needs only.
fn show_kind_fields(block: &Element) {
    let kind = ConnectorKind::parse(&part_value(block, "kind")).unwrap_or(ConnectorKind::DemoCrm);
    if let Ok(list) = block.query_selector_all(".generic") {
        for i in 0..list.length() {
            if let Some(e) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                toggle(&e, kind == ConnectorKind::Generic);
            }
        }
    }
    render_setup(block, kind);
    // Plain http to a remote host: the box that accepts it, with its warning.
    let url = part_value(block, "base_url");
    let remote_http = BaseUrl::parse(&url) == Err(UrlError::InsecureRemote);
    if let Some(b) = part(block, "plain_http_block") {
        toggle(&b, remote_http);
    }
    let needed = kind.secrets_needed(&part_value(block, "definition"));
    if let Ok(list) = block.query_selector_all("label.secret") {
        for i in 0..list.length() {
            if let Some(e) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                toggle(&e, e.get_attribute("data-secret").is_some_and(|s| needed.contains(&s.as_str())));
            }
        }
    }
}

/// The definition a block runs: a preset's, or the one typed in.
fn block_definition(block: &Element, kind: ConnectorKind) -> Option<Definition> {
    match kind {
        ConnectorKind::Generic => Definition::parse(&part_value(block, "definition")).ok(),
        preset => deskside_core::connector::presets::definition(preset).cloned(),
    }
}

/// A preset's setup fields (a subdomain, a data centre) and its help line;
/// values typed so far are kept while the fields stay the same.
fn render_setup(block: &Element, kind: ConnectorKind) {
    let doc = document();
    let loc = current();
    let def = block_definition(block, kind);
    if let Some(help) = part(block, "help") {
        let text = def.as_ref().and_then(|d| d.help.as_ref()).map(|h| h.get(loc.lang).to_string()).unwrap_or_default();
        help.set_text_content(Some(&text));
        toggle(&help, !text.is_empty());
    }
    let Some(holder) = part(block, "setup") else { return };
    let mut values: BTreeMap<String, String> = block.get_attribute("data-setup").and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default();
    values.extend(read_setup(block));
    holder.set_text_content(None);
    let fields = def.as_ref().map(|d| d.setup().to_vec()).unwrap_or_default();
    for f in &fields {
        let label = el(&doc, "label", "setup-field", "");
        append(&label, &el(&doc, "span", "", f.label.get(loc.lang)));
        let input = match &f.kind {
            SetupKind::Choice { choices } => {
                let select = el(&doc, "select", "", "");
                for c in choices {
                    let o = el(&doc, "option", "", c.label.get(loc.lang));
                    let _ = o.set_attribute("value", &c.value);
                    append(&select, &o);
                }
                if let Some(s) = select.dyn_ref::<HtmlSelectElement>() {
                    s.set_value(values.get(&f.name).or(f.default.as_ref()).map_or("", String::as_str));
                }
                select
            }
            SetupKind::Text { .. } => {
                let input = el(&doc, "input", "", "");
                for (k, v) in [("type", "text"), ("autocomplete", "off"), ("spellcheck", "false"), ("placeholder", f.example.as_str())] {
                    let _ = input.set_attribute(k, v);
                }
                if let Some(i) = input.dyn_ref::<HtmlInputElement>() {
                    i.set_value(values.get(&f.name).map_or("", String::as_str));
                }
                input
            }
        };
        let _ = input.set_attribute("data-setup-name", &f.name);
        append(&label, &input);
        append(&holder, &label);
        let error = el(&doc, "span", "error", "");
        let _ = error.set_attribute("data-error-for", &format!("setup.{}", f.name));
        append(&holder, &error);
    }
    // With an address built from the fields, the base URL only overrides it.
    if let Some(url) = part(block, "base_url").and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) {
        let built = def.as_ref().is_some_and(|d| !d.asks_base_url());
        url.set_placeholder(&if built { loc.m(Msg::OptBaseUrlOverride) } else { "https://api.example.com".to_string() });
    }
}

fn read_setup(block: &Element) -> BTreeMap<String, String> {
    let Ok(list) = block.query_selector_all("[data-setup-name]") else { return BTreeMap::new() };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .map(|e| {
            let name = e.get_attribute("data-setup-name").unwrap_or_default();
            let value = e.dyn_ref::<HtmlInputElement>().map(|i| i.value()).or_else(|| e.dyn_ref::<HtmlSelectElement>().map(|s| s.value())).unwrap_or_default();
            (name, value)
        })
        .collect()
}

/// The common fields the generic connector's small form edits, by where
/// they are in the definition (`results.list`, `map.name`), with their labels.
const MAPPING: &[(&str, Msg)] = &[
    ("results.list", Msg::OptMapList),
    ("map.id", Msg::OptMapId),
    ("map.name", Msg::FieldName),
    ("map.emails", Msg::DetailEmail),
    ("map.phones", Msg::DetailPhone),
    ("map.company", Msg::FieldCompany),
    ("map.title", Msg::DetailTitle),
    ("map.tier", Msg::FieldTier),
    ("map.url", Msg::OptMapUrl),
    ("map.updated", Msg::OptMapUpdated),
];


/// The mapping form's rows (once per block).
fn build_mapping(block: &Element) {
    let Some(table) = part(block, "mapping") else { return };
    let doc = document();
    let loc = current();
    for (key, label) in MAPPING {
        let tr = el(&doc, "tr", "", "");
        append(&tr, &el(&doc, "td", "", &loc.m(*label)));
        let td = el(&doc, "td", "", "");
        let input = el(&doc, "input", "", "");
        for (k, v) in [("type", "text"), ("data-map", *key), ("spellcheck", "false"), ("autocomplete", "off"), ("aria-label", &loc.m(*label))] {
            let _ = input.set_attribute(k, v);
        }
        let b = block.clone();
        let listener = Closure::<dyn FnMut()>::new(move || mapping_to_definition(&b));
        let _ = input.add_event_listener_with_callback("input", listener.as_ref().unchecked_ref());
        listener.forget();
        append(&td, &input);
        append(&tr, &td);
        append(&table, &tr);
    }
}

/// The definition's values shown in the mapping form: a path as typed,
/// several joined by commas, anything richer as compact JSON.
fn definition_to_mapping(block: &Element) {
    let json: serde_json::Value = serde_json::from_str(&part_value(block, "definition")).unwrap_or_default();
    for (key, _) in MAPPING {
        let Some(input) = block.query_selector(&format!("[data-map=\"{key}\"]")).ok().flatten().and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) else { continue };
        let (section, field) = key.split_once('.').unwrap_or(("", key));
        let shown = match json.get(section).and_then(|s| s.get(field)) {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(p)) => p.clone(),
            Some(serde_json::Value::Array(items)) if items.iter().all(|i| i.is_string()) => items.iter().filter_map(|i| i.as_str()).collect::<Vec<_>>().join(", "),
            Some(other) => other.to_string(),
        };
        input.set_value(&shown);
    }
}

/// The mapping form written back into the definition's JSON (which stays
/// the whole truth: fields the form does not show are kept).
fn mapping_to_definition(block: &Element) {
    let text = part_value(block, "definition");
    let mut json: serde_json::Value = match serde_json::from_str(if text.trim().is_empty() { deskside_core::connector::def::STARTER_DEFINITION } else { &text }) {
        Ok(v @ serde_json::Value::Object(_)) => v,
        // Not JSON yet: the admin is typing it; the form waits.
        _ => return,
    };
    for (key, _) in MAPPING {
        let Some(typed) = block.query_selector(&format!("[data-map=\"{key}\"]")).ok().flatten().and_then(|e| e.dyn_into::<HtmlInputElement>().ok()).map(|i| i.value()) else { continue };
        let (section, field) = key.split_once('.').unwrap_or(("", key));
        let typed = typed.trim();
        let value = if typed.is_empty() {
            None
        } else if typed.starts_with('{') || typed.starts_with('[') {
            match serde_json::from_str(typed) {
                Ok(v) => Some(v),
                Err(_) => continue,
            }
        } else if matches!(field, "emails" | "phones") {
            Some(serde_json::Value::Array(typed.split(',').map(|p| serde_json::Value::String(p.trim().to_string())).filter(|p| p != "").collect()))
        } else if typed.contains(',') && !matches!(section, "results") {
            // Several paths: the first that is not empty.
            Some(serde_json::Value::Array(typed.split(',').map(|p| serde_json::Value::String(p.trim().to_string())).collect()))
        } else {
            Some(serde_json::Value::String(typed.to_string()))
        };
        let Some(obj) = json.as_object_mut() else { return };
        let sec = obj.entry(section.to_string()).or_insert_with(|| serde_json::json!({}));
        if let Some(sec) = sec.as_object_mut() {
            match value {
                Some(v) => {
                    sec.insert(field.to_string(), v);
                }
                None => {
                    sec.remove(field);
                }
            }
        }
    }
    set_part_value(block, "definition", &serde_json::to_string_pretty(&json).unwrap_or_default());
    show_kind_fields(block);
}

/// A block's own buttons: its type and definition decide its fields; Test,
/// Remove, Export and Import act on it alone.
fn wire_connector(doc: &Document, block: &Element) {
    if let Some(e) = part(block, "kind") {
        let b = block.clone();
        on_change(&e, move |kind| {
            // A new generic connector starts from a small valid definition.
            if kind == ConnectorKind::Generic.id() && part_value(&b, "definition").trim().is_empty() {
                set_part_value(&b, "definition", deskside_core::connector::def::STARTER_DEFINITION);
                definition_to_mapping(&b);
            }
            show_kind_fields(&b)
        });
    }
    // Typing a definition shows the secret fields its auth kind needs; a
    // label names the connector in the source-order table.
    for (f, rename) in [("definition", false), ("base_url", false), ("label", true)] {
        let Some(e) = part(block, f) else { continue };
        let b = block.clone();
        let listener = Closure::<dyn FnMut()>::new(move || {
            if rename {
                number_blocks(&document())
            } else {
                if f == "definition" {
                    definition_to_mapping(&b);
                }
                show_kind_fields(&b)
            }
        });
        let _ = e.add_event_listener_with_callback("input", listener.as_ref().unchecked_ref());
        listener.forget();
    }
    if let Some(r) = part(block, "remove") {
        let b = block.clone();
        on_click(&r, move || {
            b.remove();
            number_blocks(&document());
        });
    }
    if let Some(t) = part(block, "test") {
        let b = block.clone();
        on_click(&t, move || test_block(&b));
    }
    if let Some(x) = part(block, "export") {
        let b = block.clone();
        on_click(&x, move || export_definition(&b));
    }
    if let Some(i) = part(block, "import") {
        let b = block.clone();
        let listener = Closure::<dyn FnMut()>::new(move || {
            let b = b.clone();
            wasm_bindgen_futures::spawn_local(async move { import_definition(&b).await });
        });
        let _ = i.add_event_listener_with_callback("change", listener.as_ref().unchecked_ref());
        listener.forget();
    }
    let _ = doc;
}

/// Saves the block's definition as a file (definitions hold no secrets),
/// the same way the whole configuration is exported.
fn export_definition(block: &Element) {
    let text = part_value(block, "definition");
    let name = Definition::parse(&text).map(|d| d.id).unwrap_or_else(|_| "connector".into());
    crate::admin::download(&format!("{name}.json"), &text);
}

/// Reads a definition file into the block, after checking it: an invalid
/// file changes nothing and says why.
async fn import_definition(block: &Element) {
    let Some(input) = part(block, "import").and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) else { return };
    let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
    input.set_value("");
    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string()).unwrap_or_default();
    let loc = current();
    let error = block.query_selector("[data-error-for=\"definition\"]").ok().flatten();
    match Definition::parse(&text).and_then(|d| d.check_samples().map(|()| d)) {
        Ok(_) => {
            set_part_value(block, "definition", &text);
            set_part_value(block, "kind", ConnectorKind::Generic.id());
            definition_to_mapping(block);
            if let Some(e) = error {
                e.set_text_content(None);
            }
            show_kind_fields(block);
        }
        Err(problems) => {
            let words: Vec<String> = problems.iter().map(|p| format!("{}: {}", if p.path.is_empty() { "-" } else { &p.path }, loc.t(&p.message))).collect();
            if let Some(e) = error {
                e.set_text_content(Some(&loc.t(&Text::new(Msg::OptImportFailed, [data(words.join("; "))]))));
            }
        }
    }
}

/// The source-order table: per field, the connector whose value comes first.
fn fill_field_sources(doc: &Document, chosen: &[(String, String)]) {
    let Some(body) = by_id(doc, "field_sources") else { return };
    body.set_text_content(None);
    let blocks = connector_blocks(doc);
    if let Some(block) = by_id(doc, "field_sources_block") {
        toggle(&block, blocks.len() > 1);
    }
    let loc = current();
    for field in ORDERED_FIELDS {
        let tr = el(doc, "tr", "", "");
        append(&tr, &el(doc, "td", "", &loc.m(field_label(field))));
        let td = el(doc, "td", "", "");
        let select = el(doc, "select", "field-source", "");
        let _ = select.set_attribute("data-field", field);
        let _ = select.set_attribute("id", &format!("source-{field}"));
        let _ = select.set_attribute("aria-label", &loc.m(field_label(field)));
        let any = el(doc, "option", "", &loc.m(Msg::OptAnySource));
        let _ = any.set_attribute("value", "");
        append(&select, &any);
        for (i, b) in blocks.iter().enumerate() {
            let id = b.get_attribute("data-id").unwrap_or_default();
            let label = part_value(b, "label");
            let shown = if label.trim().is_empty() { loc.t(&Text::new(Msg::OptConnectorHeading, [data(i + 1)])) } else { label };
            let o = el(doc, "option", "", &shown);
            let _ = o.set_attribute("value", &id);
            append(&select, &o);
        }
        if let Some(s) = select.dyn_ref::<HtmlSelectElement>() {
            s.set_value(chosen.iter().find(|(f, _)| f == field).map_or("", |(_, c)| c.as_str()));
        }
        append(&td, &select);
        append(&tr, &td);
        append(&body, &tr);
    }
}

fn read_field_sources(doc: &Document) -> Vec<(String, String)> {
    let Ok(list) = doc.query_selector_all("select.field-source") else { return Vec::new() };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<HtmlSelectElement>().ok())
        .map(|s| (s.get_attribute("data-field").unwrap_or_default(), s.value()))
        .filter(|(_, c)| !c.is_empty())
        .collect()
}

fn field_label(field: &str) -> Msg {
    match field {
        "name" => Msg::FieldName,
        "company" => Msg::FieldCompany,
        "title" => Msg::DetailTitle,
        "tier" => Msg::FieldTier,
        "location" => Msg::DetailLocation,
        "lifetime_value" => Msg::DetailLifetimeValue,
        "tags" => Msg::FieldTags,
        "orders" => Msg::PanelRecentOrders,
        "deals" => Msg::PanelDeals,
        "tickets" => Msg::PanelTickets,
        "notes" => Msg::PanelNotes,
        _ => Msg::FieldCustom,
    }
}

/// One block as submitted; a secret left empty keeps the stored one.
fn read_connector(block: &Element) -> ConnectorInput {
    let mut secrets: BTreeMap<String, Option<Secret>> = SECRET_NAMES
        .iter()
        .map(|name| {
            let v = part_value(block, &format!("secret-{name}"));
            (name.to_string(), (!v.trim().is_empty()).then(|| Secret::new(v)))
        })
        .collect();
    ConnectorInput {
        id: block.get_attribute("data-id").unwrap_or_default(),
        kind: part_value(block, "kind"),
        label: part_value(block, "label"),
        base_url: part_value(block, "base_url"),
        api_key: secrets.remove("api_key").flatten(),
        secrets,
        enabled: part(block, "enabled").and_then(|e| e.dyn_into::<HtmlInputElement>().ok()).is_some_and(|e| e.checked()),
        definition: part_value(block, "definition"),
        pick: part_value(block, "pick"),
        plain_http: part(block, "plain_http").and_then(|e| e.dyn_into::<HtmlInputElement>().ok()).is_some_and(|e| e.checked()),
        setup: read_setup(block),
        role: part_value(block, "role"),
    }
}

fn read(doc: &Document) -> SettingsInput {
    let mut input = read_form(doc);
    crate::admin::read_into(doc, &mut input);
    input
}

fn read_form(doc: &Document) -> SettingsInput {
    SettingsInput {
        connectors: connector_blocks(doc).iter().map(read_connector).collect(),
        sites: lines(&textarea(doc, "sites").map(|e| e.value()).unwrap_or_default()),
        team_domains: lines(&textarea(doc, "team_domains").map(|e| e.value()).unwrap_or_default()),
        team_phones: lines(&textarea(doc, "team_phones").map(|e| e.value()).unwrap_or_default()),
        default_region: select(doc, "region").map(|e| e.value()).unwrap_or_default(),
        id_patterns: read_patterns(doc),
        language: select(doc, "language").map(|e| e.value()).unwrap_or_default(),
        panel_opens_expanded: input(doc, "panel_opens_expanded").is_some_and(|e| e.checked()),
        side_panel: input(doc, "side_panel").is_some_and(|e| e.checked()),
        field_sources: read_field_sources(doc),
        cache_ttl_secs: input(doc, "cache_ttl_secs").map(|e| e.value()).unwrap_or_default(),
        agents_per_key: input(doc, "agents_per_key").map(|e| e.value()).unwrap_or_default(),
        badge_failure_percent: input(doc, "badge_failure_percent").map(|e| e.value()).unwrap_or_default(),
        audit_forward_url: input(doc, "audit_forward_url").map(|e| e.value()).unwrap_or_default(),
        vip_rules: read_vip_rules(doc),
        crm_pages: lines(&textarea(doc, "crm_pages").map(|e| e.value()).unwrap_or_default()),
        ..SettingsInput::default()
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
    let blocks = connector_blocks(doc);
    let loc = current();
    for e in errors {
        let message = loc.t(&e.message);
        // `vip_rules.1.currency`: under that input of rule 1.
        if let Some(rest) = e.field.strip_prefix("vip_rules.") {
            let (row, part) = rest.split_once('.').unwrap_or((rest, "name"));
            let target = row.parse::<usize>().ok().and_then(|i| vip_rows(doc).get(i).cloned()).and_then(|r| r.query_selector(&format!("[data-error-for=\"{part}\"]")).ok().flatten());
            if let Some(t) = target {
                let old = t.text_content().unwrap_or_default();
                let text = if old.is_empty() { message } else { format!("{old} {message}") };
                t.set_text_content(Some(&text));
            }
            continue;
        }
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
        // to its input, a connector's in its own block.
        let key = e.field.split('.').filter(|p| p.parse::<usize>().is_err()).last().unwrap_or("");
        let scope: Option<Element> = e.field.strip_prefix("connectors.").and_then(|r| r.split('.').next()?.parse::<usize>().ok()).and_then(|i| blocks.get(i).cloned());
        let setup_key = e.field.split_once(".setup.").map(|(_, name)| format!("setup.{name}"));
        let key = if e.field.starts_with("field_sources") {
            "field_sources"
        } else if let Some(section) = ["fields.", "profiles."].iter().find(|p| e.field.starts_with(**p)) {
            // One line per problem under the table, with the row it is about.
            section.trim_end_matches('.')
        } else {
            setup_key.as_deref().unwrap_or(key)
        };
        let target = match &scope {
            Some(b) => b.query_selector(&format!("[data-error-for=\"{key}\"]")).ok().flatten(),
            None => doc.query_selector(&format!("[data-error-for=\"{key}\"]")).ok().flatten(),
        };
        if let Some(t) = target {
            let old = t.text_content().unwrap_or_default();
            let text = if old.is_empty() { message } else { format!("{old} {message}") };
            t.set_text_content(Some(&text));
        }
    }
}

/// The background's technical detail of a failure (shown as a tooltip).
pub(crate) fn failure_detail(r: &Response) -> String {
    match r {
        Response::Failed { message } => message.clone(),
        Response::Rejected { reason } => reason.clone(),
        _ => String::new(),
    }
}

thread_local! {
    /// The page's environment, for the buttons of blocks added later.
    static ENV: std::cell::RefCell<Option<Rc<PageEnv>>> = const { std::cell::RefCell::new(None) };
}

/// The page's environment (also for its other sections, `noticed_page`).
pub(crate) fn page_env() -> Option<Rc<PageEnv>> {
    ENV.with(|e| e.borrow().clone())
}

/// *Test connection* for one block: access to its API's origin is asked
/// inside the click, then the background runs it as typed.
fn test_block(block: &Element) {
    let Some(env) = page_env() else { return };
    let connector = read_connector(block);
    let origins = SettingsInput { connectors: vec![connector.clone()], ..SettingsInput::default() }.requested_origins();
    let granted = env.request_origins(to_js(&origins));
    let sample = part_value(block, "sample");
    let block = block.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let doc = document();
        let Some(out) = part(&block, "test_result") else { return };
        out.set_text_content(None);
        let _ = out.set_attribute("data-kind", "busy");
        append(&out, &el(&doc, "p", "test-outcome", &current().m(Msg::TestRunning)));
        if !matches!(wasm_bindgen_futures::JsFuture::from(granted).await, Ok(v) if v.as_bool() == Some(true)) {
            show_test(&doc, &out, "error", &current().m(Msg::OptNotSavedPermission), &[]);
            return;
        }
        let answer = env.send(message_to_js(&Request::TestConnector { input: connector, sample })).await;
        match answer.map_err(|e| js_error_text(&e)).and_then(message_from_js::<Response>) {
            Ok(Response::TestResult { result }) => render_test(&doc, &out, result),
            Ok(other) => show_test(&doc, &out, "error", &failure_detail(&other), &[]),
            Err(e) => show_test(&doc, &out, "error", &e, &[]),
        }
    });
}

#[wasm_bindgen]
pub async fn start_options(env: PageEnv) {
    let doc = document();
    let env = Rc::new(env);
    ENV.with(|e| *e.borrow_mut() = Some(env.clone()));
    // The browser's language until the stored choice is known.
    use_language(&env, &doc, LanguageSetting::Auto).await;
    let answer = env.send(message_to_js(&Request::GetSettings)).await;
    match answer.map_err(|e| js_error_text(&e)).and_then(message_from_js::<Response>) {
        Ok(Response::Settings { settings, .. }) => {
            use_language(&env, &doc, settings.language).await;
            fill(&doc, &settings);
            localize_page(&doc, &current());
        }
        Ok(other) => {
            status(&doc, Msg::OptLoadFailed, "error", &failure_detail(&other));
            return;
        }
        Err(e) => {
            status(&doc, Msg::OptLoadFailed, "error", &e);
            return;
        }
    }
    crate::activity::start(env.clone());
    crate::noticed_page::start(env.clone());
    crate::admin::wire(env.clone(), Rc::new(|view: &SettingsView| {
        let doc = document();
        show_errors(&doc, &[]);
        fill(&doc, view);
    }));
    if let Some(add) = by_id(&doc, "add_id_pattern") {
        on_click(&add, || {
            let doc = document();
            add_pattern_row(&doc, None);
            if let Some(input) = pattern_rows(&doc).last().and_then(|r| r.query_selector(".id-label").ok().flatten()) {
                let _ = input.dyn_ref::<web_sys::HtmlElement>().map(|h| h.focus());
            }
        });
    }
    if let Some(add) = by_id(&doc, "add_vip_rule") {
        on_click(&add, || {
            let doc = document();
            add_vip_row(&doc, None);
            if let Some(input) = vip_rows(&doc).last().and_then(|r| r.query_selector("[data-vip=\"name\"]").ok().flatten()) {
                let _ = input.dyn_ref::<web_sys::HtmlElement>().map(|h| h.focus());
            }
        });
    }
    if let Some(add) = by_id(&doc, "add_connector") {
        on_click(&add, || {
            let doc = document();
            if let Some(block) = add_connector(&doc, None) {
                localize_page(&doc, &current());
                number_blocks(&doc);
                if let Some(kind) = part(&block, "kind").and_then(|k| k.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = kind.focus();
                }
            }
        });
    }
    let Some(save) = by_id(&doc, "save") else { return };
    on_click(&save, move || {
        let doc = document();
        let input = read(&doc);
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
            // A connector with a sample typed in is tested first: one that
            // cannot find anyone is not saved by accident.
            for (block, connector) in connector_blocks(&doc).iter().zip(input.connectors.iter()) {
                let sample = part_value(block, "sample");
                let Some(out) = part(block, "test_result") else { continue };
                if sample.trim().is_empty() {
                    continue;
                }
                let answer = env.send(message_to_js(&Request::TestConnector { input: connector.clone(), sample })).await;
                if let Ok(Response::TestResult { result }) = answer.map_err(|e| js_error_text(&e)).and_then(message_from_js::<Response>) {
                    let failed = matches!(result.outcome, TestOutcome::Failed { .. } | TestOutcome::Invalid { .. });
                    render_test(&doc, &out, result);
                    if failed {
                        status(&doc, Msg::OptNotSavedTest, "error", "");
                        return;
                    }
                }
            }
            let answer = env.send(message_to_js(&Request::SaveSettings { input })).await;
            match answer.map_err(|e| js_error_text(&e)).and_then(message_from_js::<Response>) {
                Ok(Response::Settings { settings, .. }) => {
                    // A new language choice applies at once.
                    use_language(&env, &doc, settings.language).await;
                    show_errors(&doc, &[]);
                    fill(&doc, &settings);
                    localize_page(&doc, &current());
                    status(&doc, Msg::OptSaved, "ok", "");
                    // A number added to the team's is no longer suggested.
                    crate::noticed_page::reload();
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
    focus_connector_from_hash(&doc);
    if let Some(body) = doc.body() {
        let _ = body.set_attribute("data-loaded", "true");
    }
}

/// `options.html#connector=ID` (the panel's "Reconnect"): that connector's
/// block scrolled into view, marked, and its first secret field focused.
fn focus_connector_from_hash(doc: &Document) {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    let Some(id) = hash.strip_prefix("#connector=") else { return };
    let Some(block) = connector_blocks(doc).into_iter().find(|b| b.get_attribute("data-id").as_deref() == Some(id)) else { return };
    let _ = block.set_attribute("data-focused", "true");
    block.scroll_into_view();
    let field = block.query_selector("input[type=password]:not([hidden]), input[data-f=api_key], input").ok().flatten();
    if let Some(f) = field.and_then(|f| f.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = f.focus();
    }
}
