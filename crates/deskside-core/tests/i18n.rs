//! Every user-visible string arrives in both languages; the core speaks
//! message ids. Checks, natively:
//! - each `i18n::Msg` is in `extension/_locales/{en,zh_CN}/messages.json`
//!   with the same placeholders, every `$name$` a message uses is declared
//!   (Chrome refuses to load the extension otherwise), and no catalog key is
//!   unknown to the core;
//! - every key the pages (`data-i18n…` in extension/*.html), the manifest
//!   (`__MSG_…__`) and the JavaScript (`getMessage`, `data-i18n`) use exists;
//! - the static HTML has no text outside `data-i18n` elements, and no
//!   English sentence is left in extension/*.js or crates/deskside-wasm/src
//!   (a short list of allowed literals below).
//!
//! Each checker is also run on a bad input, so the test can fail.

use deskside_core::i18n::{format, placeholders, Arg, Catalog, Msg, Text};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(rel: &str) -> String {
    fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn catalog(lang: &str) -> Catalog {
    Catalog::parse(&read(&format!("extension/_locales/{lang}/messages.json"))).unwrap()
}

/// Problems between the core's ids and two catalogs.
fn catalog_problems(keys: &[&str], en: &Catalog, zh: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    for (lang, c) in [("en", en), ("zh_CN", zh)] {
        for k in keys {
            if !c.entries.contains_key(*k) {
                out.push(format!("{lang}: missing {k}"));
            }
        }
        for (k, e) in &c.entries {
            if !keys.contains(&k.as_str()) {
                out.push(format!("{lang}: {k} is not a message of the core"));
            }
            if k.is_empty() || !k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                out.push(format!("{lang}: {k} is not a valid chrome.i18n name"));
            }
            let used = used_placeholders(&e.message);
            let declared: BTreeSet<String> = e.placeholders.keys().cloned().collect();
            if used != declared {
                out.push(format!("{lang}: {k} uses {used:?} but declares {declared:?}"));
            }
            if e.message.trim().is_empty() && k != "list_separator" {
                out.push(format!("{lang}: {k} is empty"));
            }
        }
    }
    for k in keys {
        if let (Some(a), Some(b)) = (en.entries.get(*k), zh.entries.get(*k)) {
            if placeholders(a) != placeholders(b) {
                out.push(format!("{k}: placeholders differ: en {:?}, zh_CN {:?}", placeholders(a), placeholders(b)));
            }
        }
    }
    out
}

/// `$name$` names in a message (lower case), `$$` skipped.
fn used_placeholders(message: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let b = message.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            if b.get(i + 1) == Some(&b'$') {
                i += 2;
                continue;
            }
            let start = i + 1;
            let mut j = start;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                j += 1;
            }
            if j > start && b.get(j) == Some(&b'$') && !b[start].is_ascii_digit() {
                out.insert(message[start..j].to_ascii_lowercase());
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

fn all_keys() -> Vec<&'static str> {
    Msg::ALL.iter().map(|m| m.key()).collect()
}

#[test]
fn every_message_is_in_both_languages_with_the_same_placeholders() {
    let problems = catalog_problems(&all_keys(), &catalog("en"), &catalog("zh_CN"));
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_catalog_checker_catches_a_missing_key_and_mismatched_placeholders() {
    let en = Catalog::parse(r#"{"a": {"message": "Hi $WHO$", "placeholders": {"who": {"content": "$1"}}}, "b": {"message": "B"}}"#).unwrap();
    let zh = Catalog::parse(r#"{"a": {"message": "你好", "placeholders": {"who": {"content": "$2"}}}, "x-y": {"message": "?"}}"#).unwrap();
    let problems = catalog_problems(&["a", "b"], &en, &zh);
    let has = |s: &str| problems.iter().any(|p| p.contains(s));
    assert!(has("zh_CN: missing b"), "{problems:#?}");
    assert!(has("x-y is not a message of the core"), "{problems:#?}");
    assert!(has("x-y is not a valid chrome.i18n name"), "{problems:#?}");
    assert!(has("zh_CN: a uses {} but declares {\"who\"}"), "{problems:#?}");
    assert!(has("a: placeholders differ"), "{problems:#?}");
}

/// Keys the static pages, the manifest and the JavaScript name.
fn keys_used(name: &str, src: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut take = |prefix: &str, end: char| {
        for (i, _) in src.match_indices(prefix) {
            let rest = &src[i + prefix.len()..];
            if let Some(e) = rest.find(end) {
                out.push(rest[..e].to_string());
            }
        }
    };
    if name.ends_with(".html") || name.ends_with(".js") {
        take("data-i18n=\"", '"');
        take("data-i18n-placeholder=\"", '"');
        take("data-i18n-aria-label=\"", '"');
        take("data-i18n-title=\"", '"');
    }
    if name.ends_with(".js") {
        take("getMessage('", '\'');
        take("getMessage(\"", '"');
    }
    // `__MSG_ext_name__`: the key runs to the double underscore.
    for (i, _) in src.match_indices("__MSG_") {
        let rest = &src[i + 6..];
        if let Some(e) = rest.find("__") {
            out.push(rest[..e].to_string());
        }
    }
    out
}

fn extension_files(ext: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = fs::read_dir(root().join("extension"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(ext))
        .map(|n| (n.clone(), read(&format!("extension/{n}"))))
        .collect();
    out.sort();
    out
}

#[test]
fn every_key_the_pages_manifest_and_javascript_use_exists() {
    let mut files = extension_files(".html");
    files.extend(extension_files(".js"));
    files.push(("manifest.json".into(), read("manifest.json")));
    let mut used = 0;
    for (name, src) in &files {
        for k in keys_used(name, src) {
            assert!(Msg::parse(&k).is_some(), "{name} uses '{k}', which is not an i18n::Msg");
            used += 1;
        }
    }
    assert!(used > 50, "only {used} keys found: is the scan broken?");
    let manifest = read("manifest.json");
    assert!(manifest.contains("\"__MSG_ext_name__\"") && manifest.contains("\"default_locale\": \"en\""));
}

/// Text in static HTML that no `data-i18n` element holds (outside
/// `<code>`, `<script>`, `<style>`): element by element, a tiny tokenizer.
fn untranslated_html_text(html: &str) -> Vec<String> {
    const ALLOWED: &[&str] = &["Deskside"];
    let mut out = Vec::new();
    // (tag, translated) for each open element.
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let (text, after) = match rest.find('<') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let t = text.trim();
        let inside = |tag: &str| stack.iter().any(|(t, _)| t == tag);
        let translated = stack.iter().any(|(_, tr)| *tr);
        if t.chars().any(char::is_alphabetic) && !translated && !inside("code") && !inside("script") && !inside("style") && !ALLOWED.contains(&t) {
            out.push(t.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        if after.is_empty() {
            break;
        }
        let end = after.find('>').map_or(after.len(), |e| e + 1);
        let tag = &after[1..end.saturating_sub(1)];
        rest = &after[end..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(closing) = tag.strip_prefix('/') {
            let name = closing.trim().to_ascii_lowercase();
            if let Some(pos) = stack.iter().rposition(|(t, _)| *t == name) {
                stack.truncate(pos);
            }
            continue;
        }
        let name = tag.split([' ', '\n', '/']).next().unwrap_or("").to_ascii_lowercase();
        let void = matches!(name.as_str(), "meta" | "link" | "input" | "br" | "img") || tag.ends_with('/');
        if !void {
            stack.push((name, tag.contains("data-i18n=\"")));
        }
    }
    out
}

#[test]
fn static_html_text_is_all_from_the_catalog() {
    for (name, html) in extension_files(".html") {
        let left = untranslated_html_text(&html);
        assert!(left.is_empty(), "{name}: text without data-i18n: {left:#?}");
    }
}

#[test]
fn the_html_checker_catches_text_without_data_i18n() {
    let bad = r#"<p class="hint"><span data-i18n="opt_examples">Examples:</span> <code>ORD-\d</code> or your own</p><title>Deskside</title>"#;
    assert_eq!(untranslated_html_text(bad), ["or your own"]);
}

/// String literals of a Rust or JavaScript source (comments skipped).
fn string_literals(src: &str, js: bool) -> Vec<String> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '/' if c.get(i + 1) == Some(&'/') => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if c.get(i + 1) == Some(&'*') => {
                i += 2;
                while i + 1 < c.len() && !(c[i] == '*' && c[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            // Rust raw strings: r"…", r#"…"#.
            'r' if !js && (c.get(i + 1) == Some(&'"') || c.get(i + 1) == Some(&'#')) && (i == 0 || !c[i - 1].is_alphanumeric()) => {
                let mut j = i + 1;
                let mut hashes = 0;
                while c.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if c.get(j) != Some(&'"') {
                    i += 1;
                    continue;
                }
                let start = j + 1;
                let mut k = start;
                while k < c.len() && !(c[k] == '"' && (0..hashes).all(|h| c.get(k + 1 + h) == Some(&'#'))) {
                    k += 1;
                }
                out.push(c[start..k.min(c.len())].iter().collect());
                i = k + 1 + hashes;
            }
            // Rust char literals and lifetimes.
            '\'' if !js => {
                if c.get(i + 1) == Some(&'\\') {
                    i += 2;
                    while i < c.len() && c[i] != '\'' {
                        i += 1;
                    }
                    i += 1;
                } else if c.get(i + 2) == Some(&'\'') {
                    i += 3;
                } else {
                    i += 1;
                }
            }
            q @ ('"' | '\'' | '`') => {
                let mut s = String::new();
                i += 1;
                while i < c.len() && c[i] != q {
                    if c[i] == '\\' {
                        i += 1;
                    }
                    if let Some(&ch) = c.get(i) {
                        s.push(ch);
                    }
                    i += 1;
                }
                out.push(s);
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// A literal that reads like English words for people: two words of
/// letters in a row, not a selector, a URL or a format of data.
fn looks_like_english(s: &str) -> bool {
    let mut run = 0;
    let mut best = 0;
    for w in s.split_whitespace() {
        let letters = w.trim_matches(|c: char| ".,:;!?…()'\"".contains(c));
        if letters.len() >= 2 && letters.chars().all(|c| c.is_ascii_alphabetic() || c == '\'') {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    // Two lower-case words may be a class list ("state error"); a sentence
    // has three, or starts with a capital, or ends with punctuation.
    let sentence = best >= 3 || (best >= 2 && (s.starts_with(|c: char| c.is_ascii_uppercase()) || s.trim_end().ends_with(['.', ':', '…', '!', '?'])));
    sentence && !s.starts_with(['#', '.', '[', ':']) && !s.contains("=>")
}

/// Literals allowed to look like English: not shown to people.
const ALLOWED_LITERALS: &[&str] = &[
    // crates/deskside-wasm/src: developer diagnostics (console, logs), never rendered.
    "a page with a document",
    "valid tag",
    "no AbortController",
    "no Headers",
    "unknown error",
    // The background's answers to a refused or failed request: protocol
    // diagnostics for developers; the pages show their own message id
    // instead and log these to the console.
    "bad sender: {e}",
    "unknown message: {e}",
    "{} is not allowed from this context",
    "no page scanned in this tab",
    "not an identifier of this page",
    "not a record of this page",
    "could not save: {}",
    "serialisation failed: {e}",
    "the browser gave no random token",
    "this tab is not a configured site",
    "no such connector",
    "not a write of this ticket",
    "write {id}: event ignored in state {}",
    // Console messages (extension/background.js, sidepanel.js).
    "Deskside: could not register the content script:",
    "Deskside: shortcut failed:",
    "Deskside: could not resume writes:",
    "Deskside side panel:",
    // The background's console when the organisation's policy is invalid.
    "the organisation's Deskside policy was not applied: {}",
];

fn english_left(name: &str, src: &str) -> Vec<String> {
    let js = name.ends_with(".js");
    string_literals(src, js).into_iter().filter(|s| looks_like_english(s) && !ALLOWED_LITERALS.contains(&s.as_str())).map(|s| format!("{name}: {s:?}")).collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_english_sentence_is_left_in_the_javascript_or_the_wasm_crate() {
    let mut left = Vec::new();
    for (name, src) in extension_files(".js") {
        left.extend(english_left(&name, &src));
    }
    let mut files = Vec::new();
    rust_files(&root().join("crates/deskside-wasm/src"), &mut files);
    assert!(files.len() >= 5);
    for f in files {
        let src = fs::read_to_string(&f).unwrap();
        // Unit tests inside the crate are not shipped text.
        let shipped = src.split("#[cfg(test)]").next().unwrap_or("");
        left.extend(english_left(&f.display().to_string(), shipped));
    }
    assert!(left.is_empty(), "English text outside the catalogs: {left:#?}");
}

#[test]
fn the_english_checker_catches_a_sentence() {
    let rust = r##"let a = el(doc, "p", "state", "Looking up the customer…"); let b = '"'; let c = r#"Not saved: try again"#; // a comment with words
        let d = "#id_pattern_rows tr.id-pattern"; let e = "data-i18n";"##;
    assert_eq!(english_left("x.rs", rust), ["x.rs: \"Looking up the customer…\"", "x.rs: \"Not saved: try again\""]);
    let js = "const t = `Open the settings`; // Some comment here\nconst u = 'moz-extension://';";
    assert_eq!(english_left("x.js", js), ["x.js: \"Open the settings\""]);
}

#[test]
fn the_catalogs_render_the_core_texts() {
    let (en, zh) = (catalog("en"), catalog("zh_CN"));
    let t = Text::new(Msg::PanelNotFound, [Arg::from(Msg::KindCustomerIdLower), "Demo CRM".into()]);
    assert_eq!(format(&en, &t), "No customer with this customer ID in Demo CRM.");
    assert_eq!(format(&zh, &t), "Demo CRM 中没有此客户编号对应的客户。");
    // Every message renders without a stray placeholder in either language.
    for m in Msg::ALL {
        let args: Vec<Arg> = (1..=4).map(|n| Arg::Data(format!("<{n}>"))).collect();
        for c in [&en, &zh] {
            let s = format(c, &Text::new(*m, args.clone()));
            assert!(!s.contains('$') || *m == Msg::PatEscape, "{}: {s}", m.key());
        }
    }
}

/// The options page's example id pattern is shown in the page's language
/// (`opt_example_member_pattern`): in each catalog it is a pattern the
/// options page accepts, and it finds the member number in a line written
/// in that language.
#[test]
fn example_id_pattern_compiles_in_each_language() {
    use deskside_core::idpattern::Pattern;
    for (lang, text) in [("en", "Member no. 12345678 called"), ("zh_CN", "会员号：12345678，请回电")] {
        let source = &catalog(lang).entries["opt_example_member_pattern"].message;
        let p = Pattern::compile(source).unwrap_or_else(|e| panic!("{lang}: {source:?}: {:?}", e.text()));
        let found: Vec<&str> = p.find_all(text).iter().map(|m| m.value(text)).collect();
        assert_eq!(found, ["12345678"], "{lang}: {source:?}");
    }
    // Not written in the other language's way: the Chinese example does not take the English line.
    let zh = Pattern::compile(&catalog("zh_CN").entries["opt_example_member_pattern"].message).expect("compiles");
    assert!(zh.find_all("Member no. 12345678").is_empty());
}
