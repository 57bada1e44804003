//! The pages' language: the catalog of the language the core resolves
//! (the admin's choice, or the browser's languages), rendering the core's
//! message ids, the static page text (`data-i18n`), and amounts and dates
//! with `Intl` for that language.

use crate::env::PageEnv;
use crate::from_js;
use deskside_core::i18n::{format, resolve_language, Arg, Catalog, Lang, LanguageSetting, Msg, Text};
use deskside_core::panel::Money;
use js_sys::{Array, Date, Intl, Object, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::Document;

/// A language with its catalog.
pub struct Loc {
    pub lang: Lang,
    catalog: Catalog,
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<Loc>>> = const { RefCell::new(None) };
}

impl Loc {
    pub fn t(&self, text: &Text) -> String {
        match self.named(text) {
            Some(text) => format(&self.catalog, &text),
            None => format(&self.catalog, text),
        }
    }
    pub fn m(&self, id: Msg) -> String {
        format(&self.catalog, &Text::msg(id))
    }
    pub fn arg(&self, a: &Arg) -> String {
        match a {
            Arg::Text(t) => self.t(t),
            Arg::Data(s) => self.source(s),
        }
    }
    /// `text` with the demo connector's default label, wherever a message
    /// names it (a connector's label is always an argument: "… has no write
    /// definition"), in this language ([`Loc::source`]); `None`: nothing to change.
    fn named(&self, text: &Text) -> Option<Text> {
        let demo = deskside_core::config::ConnectorKind::DemoCrm.display_name();
        let mut changed = false;
        let args = text
            .args
            .iter()
            .map(|a| match a {
                Arg::Data(s) if s == demo => {
                    changed = true;
                    Arg::Data(self.m(Msg::OptDemoCrm))
                }
                Arg::Text(t) => self.named(t).map_or_else(|| a.clone(), |t| {
                    changed = true;
                    Arg::Text(t)
                }),
                a => a.clone(),
            })
            .collect();
        changed.then(|| Text { id: text.id, args })
    }

    /// A connector's label as the panel shows it: the demo connector's
    /// default label (stored in English when the admin left it empty) in
    /// this language, as the options page names it; any other label as the
    /// admin wrote it (a vendor's name is not translated).
    pub fn source(&self, label: &str) -> String {
        if label == deskside_core::config::ConnectorKind::DemoCrm.display_name() {
            self.m(Msg::OptDemoCrm)
        } else {
            label.to_string()
        }
    }

    fn locales(&self) -> Array {
        Array::of1(&JsValue::from_str(self.lang.tag()))
    }

    /// `129900 CNY` → `¥1,299.00`, as the language writes amounts.
    pub fn money(&self, m: &Money) -> String {
        let value = m.minor as f64 / 10f64.powi(m.digits as i32);
        let options = Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = Reflect::set(&options, &JsValue::from_str(k), &v);
        };
        set("minimumFractionDigits", m.digits.into());
        set("maximumFractionDigits", m.digits.into());
        if let Some(code) = &m.currency {
            set("style", "currency".into());
            set("currency", code.as_str().into());
            set("currencyDisplay", "narrowSymbol".into());
        }
        let formatted = Intl::NumberFormat::new(&self.locales(), &options)
            .format()
            .call1(&JsValue::NULL, &JsValue::from_f64(value))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| value.to_string());
        match &m.unit {
            Some(unit) => format!("{formatted} {unit}"),
            None => formatted,
        }
    }

    /// An ISO 8601 date (`2026-03-14`) or time, as the language writes
    /// dates; anything else as it came.
    pub fn date(&self, raw: &str) -> String {
        let date = Date::new(&JsValue::from_str(raw));
        if date.get_time().is_nan() {
            return raw.to_string();
        }
        let options = Object::new();
        let _ = Reflect::set(&options, &"dateStyle".into(), &"medium".into());
        if raw.len() <= 10 {
            // A calendar date: the day it names, wherever the agent is.
            let _ = Reflect::set(&options, &"timeZone".into(), &"UTC".into());
        } else {
            let _ = Reflect::set(&options, &"timeStyle".into(), &"short".into());
        }
        Intl::DateTimeFormat::new(&self.locales(), &options)
            .format()
            .call1(&JsValue::NULL, &date)
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| raw.to_string())
    }
}

/// The language in use on this page (English until one is loaded).
pub fn current() -> Rc<Loc> {
    CURRENT.with(|c| c.borrow().clone()).unwrap_or_else(|| Rc::new(Loc { lang: Lang::En, catalog: Catalog::default() }))
}

/// Loads the language for `setting` (and the browser's languages, which
/// the glue passes in), unless it is the one in use; then fills the page's
/// static text. Returns the language in use.
pub async fn use_language(env: &PageEnv, doc: &Document, setting: LanguageSetting) -> Rc<Loc> {
    let languages: Vec<String> = from_js(env.languages()).unwrap_or_default();
    let lang = resolve_language(setting, &languages);
    let loaded = CURRENT.with(|c| c.borrow().as_ref().filter(|l| l.lang == lang).cloned());
    let loc = match loaded {
        Some(l) => l,
        None => {
            let catalog = match wasm_bindgen_futures::JsFuture::from(env.load_catalog(lang.dir())).await {
                Ok(v) => v.as_string().and_then(|json| Catalog::parse(&json).ok()).unwrap_or_default(),
                Err(_) => Catalog::default(),
            };
            let l = Rc::new(Loc { lang, catalog });
            CURRENT.with(|c| *c.borrow_mut() = Some(l.clone()));
            l
        }
    };
    localize_page(doc, &loc);
    loc
}

/// Fills every `data-i18n="key"` element's text (and `data-i18n-placeholder`,
/// `-aria-label`, `-title` attributes) from the catalog, and sets `<html lang>`.
pub fn localize_page(doc: &Document, loc: &Loc) {
    if let Some(html) = doc.document_element() {
        let _ = html.set_attribute("lang", loc.lang.tag());
    }
    for (attr, target) in [("data-i18n", None), ("data-i18n-placeholder", Some("placeholder")), ("data-i18n-aria-label", Some("aria-label")), ("data-i18n-title", Some("title"))] {
        let Ok(list) = doc.query_selector_all(&format!("[{attr}]")) else { continue };
        for i in 0..list.length() {
            let Some(e) = list.item(i).and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok()) else { continue };
            let Some(id) = e.get_attribute(attr).as_deref().and_then(Msg::parse) else { continue };
            let text = loc.m(id);
            match target {
                None => e.set_text_content(Some(&text)),
                Some(a) => {
                    let _ = e.set_attribute(a, &text);
                }
            }
        }
    }
    sort_options(doc, loc);
}

/// The options of every `<select data-i18n-sort>` in the page language's
/// alphabetical order (the 123 regions: an admin looks for their country by
/// name, and Chinese names sort by pinyin only under the `zh` collation).
/// The selected value is kept.
fn sort_options(doc: &Document, loc: &Loc) {
    use wasm_bindgen::JsCast;
    let Ok(selects) = doc.query_selector_all("select[data-i18n-sort]") else { return };
    let locales = Array::of1(&JsValue::from_str(loc.lang.tag()));
    let options = Object::new();
    for i in 0..selects.length() {
        let Some(select) = selects.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlSelectElement>().ok()) else { continue };
        let chosen = select.value();
        let Ok(list) = select.query_selector_all("option") else { continue };
        let mut items: Vec<(js_sys::JsString, web_sys::Element)> = (0..list.length())
            .filter_map(|k| list.item(k)?.dyn_into::<web_sys::Element>().ok())
            .map(|e| (js_sys::JsString::from(e.text_content().unwrap_or_default()), e))
            .collect();
        items.sort_by(|a, b| a.0.locale_compare(&String::from(&b.0), &locales, &options).cmp(&0));
        for (_, e) in &items {
            let _ = select.append_child(e);
        }
        select.set_value(&chosen);
    }
}
