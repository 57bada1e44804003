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
