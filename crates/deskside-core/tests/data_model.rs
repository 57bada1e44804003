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

/// Each vendor preset has its page in docs/presets/, linked from
/// docs/CONNECTORS.md, stating the preset's own `rate` (in the page and in the
/// index) and naming every field of the data dictionary its definition fills.
#[test]
fn every_vendor_preset_has_a_page_with_its_rate_and_fields() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let index = std::fs::read_to_string(root.join("docs/CONNECTORS.md")).expect("docs/CONNECTORS.md");
    let mut pages = 0;
    for (_, file, json) in presets::SOURCES {
        let v: serde_json::Value = serde_json::from_str(json).expect("a preset is JSON");
        let id = file.trim_end_matches(".json");
        if id == "demo_crm" {
            continue;
        }
        let page = std::fs::read_to_string(root.join(format!("docs/presets/{id}.md"))).unwrap_or_else(|_| panic!("docs/presets/{id}.md is missing"));
        let row = index.lines().find(|l| l.starts_with(&format!("| `{id}` | [")) && l.contains(&format!("(presets/{id}.md)"))).unwrap_or_else(|| panic!("docs/CONNECTORS.md does not link docs/presets/{id}.md"));
        let (requests, per_secs) = (&v["rate"]["requests"], &v["rate"]["per_secs"]);
        assert!(requests.is_u64() && per_secs.is_u64(), "{id} has no rate");
        let literal = format!("{{\"requests\": {requests}, \"per_secs\": {per_secs}}}");
        assert!(page.contains(&literal), "docs/presets/{id}.md does not state the preset's rate {literal}");
        assert!(row.contains(&format!("(`{requests}` per `{per_secs}` s")), "docs/CONNECTORS.md's row for {id} does not state its rate: {row}");
        let dictionary = page.split("## Which fields fill which part of the data dictionary").nth(1).and_then(|s| s.split("\n## ").next()).unwrap_or_else(|| panic!("docs/presets/{id}.md has no data dictionary section"));
        let mut fields: Vec<String> = v["map"].as_object().expect("a map").keys().cloned().collect();
        fields.extend(v["related"].as_array().into_iter().flatten().filter_map(|r| r["into"].as_str().map(str::to_string)));
        for field in fields {
            assert!(dictionary.contains(&format!("`{field}`")), "docs/presets/{id}.md does not say what fills {field}");
        }
        pages += 1;
    }
    assert_eq!(pages, 7);
}

/// A vendor preset that writes back says so on its page: a "Writing back"
/// section naming each write's request path (as the vendor documents it: the
/// preset's path, or with the base URL's own path in front; "apply priority"
/// too), and saying what
/// the panel greys out where the preset cannot write.
#[test]
fn every_preset_page_says_what_it_writes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut writing = 0;
    for (_, file, json) in presets::SOURCES {
        let v: serde_json::Value = serde_json::from_str(json).expect("a preset is JSON");
        let id = file.trim_end_matches(".json");
        let Some(writes) = v["writes"].as_object() else { continue };
        let page = std::fs::read_to_string(root.join(format!("docs/presets/{id}.md"))).unwrap_or_else(|_| panic!("docs/presets/{id}.md is missing"));
        let section = page.split("## Writing back").nth(1).and_then(|s| s.split("\n## ").next()).unwrap_or_else(|| panic!("docs/presets/{id}.md writes back but has no 'Writing back' section"));
        if let Some(w) = writes.get("priority") {
            // The base URL may carry the API's own path (Freshdesk's `/api/v2`).
            let p = w["path"].as_str().expect("a write's path").replace("{ticket_id}", "<ticket id>");
            assert!(section.contains(&p), "docs/presets/{id}.md, Writing back: the priority request {p} is not named");
        }
        for kind in ["note", "task"] {
            match writes.get(kind) {
                Some(w) => {
                    let p = w["path"].as_str().expect("a write's path").replace("{record_id}", "<id>");
                    assert!(section.contains(&p), "docs/presets/{id}.md, Writing back: the {kind} request {p} is not named");
                }
                None => assert!(section.contains(&format!("no {kind}s")), "docs/presets/{id}.md, Writing back: does not say the preset has no {kind}s"),
            }
        }
        writing += 1;
    }
    assert_eq!(writing, 7, "HubSpot, Salesforce, Pipedrive, Zoho CRM and Intercom write notes; Zendesk and Freshdesk apply priority");
}
