//! docs/DATA-MODEL.md's field table says which shipped presets fill each
//! field of the common model: checked against the definitions themselves.

use deskside_core::config::ConnectorKind;
use deskside_core::connector::presets;
use std::path::Path;

#[test]
fn the_data_dictionary_names_the_presets_that_fill_each_field() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let doc = std::fs::read_to_string(root.join("docs/DATA-MODEL.md")).expect("docs/DATA-MODEL.md");
    let table = doc.split("<!-- fields:begin -->").nth(1).and_then(|t| t.split("<!-- fields:end -->").next()).expect("the field table's markers");
    let mut checked = 0;
    for row in table.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let field = cells[1].trim_matches('`');
        let listed: Vec<&str> = if cells[4] == "—" { Vec::new() } else { cells[4].split(", ").collect() };
        let mut filled: Vec<&str> = Vec::new();
        for (kind, file, json) in presets::SOURCES {
            let _ = kind;
            let v: serde_json::Value = serde_json::from_str(json).expect("a preset is JSON");
            let related = v["related"].as_array().map_or(false, |r| r.iter().any(|r| r["into"] == field));
            if v["map"].get(field).is_some() || related {
                filled.push(file.trim_end_matches(".json"));
            }
        }
        filled.sort();
        assert_eq!(listed, filled, "docs/DATA-MODEL.md, field {field}: the presets that fill it");
        checked += 1;
    }
    assert!(checked >= 19, "only {checked} fields in the table");
    assert!(ConnectorKind::ALL.len() >= 9);
}
