//! Tiny DOM helpers. Text only: nothing here ever parses markup, so CRM data
//! cannot inject any.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement};

pub fn document() -> Document {
    web_sys::window().and_then(|w| w.document()).expect("a page with a document")
}

/// `<tag class="class">text</tag>`
pub fn el(doc: &Document, tag: &str, class: &str, text: &str) -> Element {
    let e = doc.create_element(tag).expect("valid tag");
    if !class.is_empty() {
        e.set_class_name(class);
    }
    if !text.is_empty() {
        e.set_text_content(Some(text));
    }
    e
}

pub fn append(parent: &Element, child: &Element) {
    let _ = parent.append_child(child);
}

pub fn by_id(doc: &Document, id: &str) -> Option<Element> {
    doc.get_element_by_id(id)
}

pub fn clear(e: &Element) {
    e.set_text_content(None);
}

pub fn on_click(e: &Element, f: impl FnMut() + 'static) {
    let closure = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(f);
    if let Some(h) = e.dyn_ref::<HtmlElement>() {
        h.set_onclick(Some(closure.as_ref().unchecked_ref()));
    }
    closure.forget();
}

/// Calls `f` with the new value when a `<select>` changes.
pub fn on_change(e: &Element, f: impl Fn(String) + 'static) {
    let Some(select) = e.dyn_ref::<web_sys::HtmlSelectElement>().cloned() else { return };
    let target = select.clone();
    let closure = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || f(target.value()));
    select.set_onchange(Some(closure.as_ref().unchecked_ref()));
    closure.forget();
}
