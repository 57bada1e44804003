//! Output-identity check for speed changes in `deskside-detect`: for every
//! case of the JSONL files given, `identify_text` with the case's region and
//! team (the ranked candidates as `scanText` answers them), then the detect
//! crate's own answers (`phone::scan_text`, `signoff::signoff_names`); plain
//! FILE arguments (not `.jsonl`) are read whole and scanned with region CN.
//! Run two builds on the same inputs and compare the outputs byte for byte.
//!
//!     cargo run --release -p deskside-core --example scan_verify -- FILE...
use deskside_core::identify::{candidates_to_json, identify_text, ScanContext};
use serde_json::Value;

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key).and_then(Value::as_array).map_or_else(Vec::new, |a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect())
}

fn scan(id: &str, text: &str, ctx: &ScanContext) {
    println!("{id}\t{}", candidates_to_json(&identify_text(text, ctx)));
    println!("{id}\t{:?}", deskside_core::phone::scan_text(text, &ctx.default_region));
    println!("{id}\t{:?}", deskside_detect::signoff::signoff_names(text));
}

fn main() {
    for file in std::env::args().skip(1) {
        let body = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
        if !file.ends_with(".jsonl") {
            scan(&file, &body, &ScanContext { default_region: "CN".into(), ..ScanContext::default() });
            continue;
        }
        for (n, line) in body.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let case: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{file}:{}: {e}", n + 1));
            let region = case.get("region").and_then(Value::as_str).unwrap_or("CN");
            let input = case.get("input").and_then(Value::as_str).unwrap_or("");
            let ctx = ScanContext {
                default_region: region.into(),
                team_domains: strings(&case, "team_domains"),
                team_phones: strings(&case, "team_phones"),
                ..ScanContext::default()
            };
            scan(&format!("{file}:{}", n + 1), input, &ctx);
        }
    }
}
