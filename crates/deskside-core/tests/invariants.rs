//! Checks of ARCHITECTURE.md's invariants that a grep can prove.

use std::path::Path;

fn read(rel: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn the_core_has_no_browser_bindings() {
    let manifest = read("crates/deskside-core/Cargo.toml");
    let deps = manifest.split_once("[dependencies]").map_or("", |(_, d)| d);
    assert!(deps.contains("serde"), "the dependency section was not found");
    for banned in ["web-sys", "js-sys", "wasm-bindgen", "gloo"] {
        assert!(!deps.contains(banned), "deskside-core must not depend on {banned}");
    }
    // Its scanners' crate has no dependencies at all.
    let detect = read("crates/deskside-detect/Cargo.toml");
    let deps = detect.split_once("[dependencies]").map_or("?", |(_, d)| d.split("\n[").next().unwrap_or("?"));
    assert_eq!(deps.trim(), "", "deskside-detect must have no dependencies");
}

#[test]
fn the_manifest_asks_for_no_broad_permissions() {
    let m: serde_json::Value = serde_json::from_str(&read("manifest.json")).expect("manifest.json is JSON");
    let hosts: Vec<&str> = m["host_permissions"].as_array().expect("host_permissions").iter().filter_map(|v| v.as_str()).collect();
    assert_eq!(hosts, ["http://127.0.0.1/*", "http://localhost/*"]);
    let text = serde_json::to_string(&m["permissions"]).expect("permissions");
    assert!(!text.contains("<all_urls>") && !text.contains("tabs") && !text.contains("cookies"), "{text}");
    assert!(m.get("content_scripts").is_none(), "content scripts are registered only for configured sites");
    assert_eq!(m["content_security_policy"]["extension_pages"], "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
}

#[test]
fn the_pinned_wasm_bindgen_is_exact() {
    let ws = read("Cargo.toml");
    assert!(ws.contains("wasm-bindgen = \"=") && ws.contains("wasm-bindgen-cli = { version = \"="), "pin wasm-bindgen and its CLI with =x.y.z");
}

#[test]
fn glue_never_parses_markup() {
    for f in ["extension/content.js", "extension/background.js", "extension/pages.js", "extension/panel.js", "extension/options.js"] {
        let js = read(f);
        for banned in ["innerHTML", "outerHTML", "insertAdjacentHTML", "eval(", "new Function"] {
            assert!(!js.contains(banned), "{f} uses {banned}");
        }
    }
}

#[test]
fn every_secret_an_auth_kind_needs_has_a_field_on_the_options_page() {
    use deskside_core::config::{secret_label, ConnectorKind, SECRET_NAMES};
    use deskside_core::connector::def::Definition;
    let mut defs: Vec<Definition> = ["docs/examples/udesk.json", "docs/examples/qiyu.json", "tests/testapi/definition.json"]
        .iter()
        .map(|f| Definition::parse(&read(f)).unwrap_or_else(|e| panic!("{f}: {e:?}")))
        .collect();
    defs.extend(ConnectorKind::ALL.iter().filter_map(|k| deskside_core::connector::presets::definition(*k).cloned()));
    for d in &defs {
        for name in d.auth.secrets() {
            assert!(SECRET_NAMES.contains(name), "{}: the options page has no field for {name}", d.id);
        }
    }
    for name in SECRET_NAMES.iter().filter(|n| **n != "api_key") {
        assert_ne!(secret_label(name), deskside_core::i18n::Msg::OptApiKey, "{name} has no label of its own");
    }
}
