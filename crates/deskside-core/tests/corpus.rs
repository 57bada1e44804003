//! The labelled corpus in `tests/corpus/*.jsonl`: precision and recall of
//! `identify` per identifier kind, and how often the right identifier ranks first.
//!
//! Each line is one case:
//! `{"id", "region", "team_domains", "input", "expect": [{"kind", "value"}], "best"}`,
//! optionally with `"team_phones": [..]`, `"id_patterns": [{"kind", "label", "pattern"}]`
//! (the admin's patterns), `"page_url": ".."` (the page's URL, as the
//! background passes it) and `"agent": [..]` (texts of the signed-in agent's
//! own profile, sent as `agent_field`s after the page's fields) and
//! `"team_messages": [..]` (texts of messages the helpdesk marks as the
//! team's, sent as `team_text`s, as a site adapter's `agent_messages` reads them;
//! the same texts are in `input`, as on the page).
//! `expect` lists every identifier that belongs to a customer or person on the
//! page (normalised), and nothing else. `best` is the identifier the panel
//! would look up: the first one not only in a table block (null when there
//! is none: the panel offers the chooser). Run with
//! `cargo test -p deskside-core --test corpus -- --nocapture` to see the table.
//!
//! `tests/corpus/holdout/*.jsonl` holds cases kept apart from tuning (issue
//! 17): scored by the same code and printed as a second table, "held out",
//! without targets, so that what it says stays a measure of text the engine
//! was not tuned on. Each file there is its own table: `issue17_holdout.jsonl`
//! (written before issue 17's rules), `issue17_holdout2.jsonl` (written
//! before the rules on whose message a sentence is in), `issue17_holdout3.jsonl`
//! and `issue17_holdout4.jsonl` (each written before its round's rules; scores
//! in `docs/IDENTIFIERS.md`).
//! `issue17_holdout5.jsonl`: written before round 5's rules, not yet scored.
//! `issue17_holdout6.jsonl`: written before round 6's rules, not yet scored.
//! `issue17_holdout7.jsonl`: written before round 7's rules, not yet scored.
//! `issue17_holdout7b.jsonl`: written by hand before round 7's rules, not yet scored.
//! `issue17_holdout8.jsonl`: written by hand before round 8's rules, not yet scored.
//! `issue17_holdout9.jsonl`: written by hand before round 9's rules, not yet scored.
//! `issue17_holdout9b.jsonl`: written by hand before round 9's rules, not yet scored.
//! `issue17_holdout10.jsonl`: written by hand before round 10's rules, not yet scored.
//! `issue17_holdout11.jsonl`, `issue17_holdout11b.jsonl`: written by hand before round 11's rules; scored at
//! `e192a2b` and after round 11 (docs/IDENTIFIERS.md), spent since.
//! `issue17_holdout12.jsonl`, `issue17_holdout12b.jsonl`: written by hand before round 13's rules; scored at
//! `d67e8ba` and after round 13 (docs/IDENTIFIERS.md), spent since.
//! `issue17_holdout13.jsonl`, `issue17_holdout13b.jsonl`: written by hand while round 13 was worked on, kept out of
//! its branches; scored before and after it (docs/IDENTIFIERS.md), spent since.
//! `issue17_holdout14.jsonl`, `issue17_holdout14b.jsonl`: the same for round 14; spent since.
//! `issue17_holdout15*.jsonl`, `issue17_holdout16*.jsonl`: the same for rounds 15 and 16; spent since.
//! `issue17_holdout18.jsonl`, `issue17_holdout18b.jsonl`: written blind in session 13 while regions 18 and round 18
//! were worked on, kept off their branches; scored before and after (docs/IDENTIFIERS.md).
//! `issue17_holdout19.jsonl`, `issue17_holdout19b.jsonl`: written blind in session 14 from a labelling extract alone
//! while round 19 was worked on (on spent sets 18/18b), kept off its branch; scored before and after it.
//! `issue17_holdout20.jsonl`: written blind in session 15 from the labelling extract alone; round 21 tunes on it
//! (spent once its failures were read). `issue17_holdout20b.jsonl`: written blind beside it and kept sealed: only its
//! totals were read, before and after round 21, so it measures that round on text the round never saw.
//! Round 22 tunes on 20b (spent from then). `issue17_holdout21.jsonl` (60 pages) and `issue17_holdout21b.jsonl` (40
//! dense): written blind in session 15 from the labelling extract alone, sealed: only their totals are read, before
//! and after round 22.
//! Round 23 tunes on 21 and 21b (spent from then). `issue17_holdout22.jsonl` (25 everyday and 25 dense pages):
//! written blind in session 15, sealed: only its totals are read, before and after round 23.
//! `issue17_holdout24.jsonl`, `issue17_holdout24b.jsonl` (50 pages each): written blind in session 17 from the
//! labelling extract alone, sealed in `tests/corpus/sealed/` while that session's rules were made: only their totals
//! were read, before and after them. Session 18 tunes on 24 and 24b (spent from then).
//! `issue17_holdout25.jsonl`, `issue17_holdout25b.jsonl` (50 pages each): written blind in session 18 before its
//! rules, sealed while they were made: only their totals were read, before and after them. Spent since (the
//! session's later rules read their failures). `issue17_holdout26.jsonl`, `issue17_holdout26b.jsonl`: the same,
//! written blind in session 18 before its later rules; totals only, before (d157db2) and after.
//! `issue17_holdout27.jsonl`, `issue17_holdout27b.jsonl`: the same, written blind in session 18 and scored once
//! when its rules were done (totals only, before and after). Session 19 read the failures of every held-out file
//! above (all spent now). `issue17_holdout28.jsonl`, `issue17_holdout28b.jsonl`: written blind at the start of
//! session 19, sealed, and scored once when its rules were done (totals only, before cc38f0d and after).
//! `issue17_holdout29.jsonl`, `issue17_holdout29b.jsonl` (40 pages each): the same, written after set 28 was scored.

use deskside_core::html::{looks_like_html, snapshot_from_html, snapshot_from_text};
use deskside_core::phone::normalize_phone;
use deskside_core::config::IdPattern;
use deskside_core::identify::{identify, Field, IdKind, IdRule, ScanContext, Source};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const KINDS: [&str; 8] = ["email", "phone", "resident_id", "credit_code", "customer_id", "order_id", "account_id", "ticket_id"];

fn kind_name(k: IdKind) -> &'static str {
    k.id()
}

#[derive(Clone)]
struct Case {
    file: String,
    id: String,
    region: String,
    team_domains: Vec<String>,
    /// The team's own numbers, as the admin would enter them in the settings (optional).
    team_phones: Vec<String>,
    input: String,
    id_patterns: Vec<IdPattern>,
    page_url: Option<String>,
    agent: Vec<String>,
    team_messages: Vec<String>,
    expect: BTreeSet<(String, String)>,
    best: Option<String>,
}

fn str_field<'a>(v: &'a Value, key: &str, at: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_else(|| panic!("{at}: missing string field {key:?}"))
}

fn load(sub: &str) -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus").join(sub);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus files in {}", dir.display());
    let mut cases = Vec::new();
    let mut ids = BTreeSet::new();
    for path in files {
        let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        let body = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (n, line) in body.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let at = format!("{file}:{}", n + 1);
            let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{at}: {e}"));
            let id = str_field(&v, "id", &at).to_string();
            assert!(ids.insert(id.clone()), "{at}: duplicate case id {id}");
            let mut expect = BTreeSet::new();
            for e in v.get("expect").and_then(Value::as_array).unwrap_or_else(|| panic!("{at}: missing expect")) {
                let kind = str_field(e, "kind", &at);
                assert!(KINDS.contains(&kind), "{at}: unknown kind {kind:?}");
                assert!(expect.insert((kind.to_string(), str_field(e, "value", &at).to_string())), "{at}: duplicate expectation");
            }
            let best = match v.get("best") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(other) => panic!("{at}: best must be a string or null, not {other}"),
            };
            if let Some(b) = &best {
                assert!(expect.iter().any(|(_, val)| val == b), "{at}: best {b:?} is not among expect");
            }
            // (A list of strings or absent: any other shape is the case's
            // writer's mistake, refused rather than read as an empty list.)
            let list = |key: &str| -> Vec<String> {
                match v.get(key) {
                    None => Vec::new(),
                    Some(Value::Array(a)) => a
                        .iter()
                        .map(|x| x.as_str().map(str::to_string).unwrap_or_else(|| panic!("{at}: {key} must be a list of strings, not {x}")))
                        .collect(),
                    Some(other) => panic!("{at}: {key} must be a list of strings, not {other}"),
                }
            };
            let team_domains = list("team_domains");
            let team_phones = list("team_phones");
            let id_patterns: Vec<IdPattern> = match v.get("id_patterns") {
                None => Vec::new(),
                Some(p) => serde_json::from_value(p.clone()).unwrap_or_else(|e| panic!("{at}: id_patterns: {e}")),
            };
            let page_url = v.get("page_url").map(|u| u.as_str().unwrap_or_else(|| panic!("{at}: page_url must be a string")).to_string());
            let agent = list("agent");
            let team_messages = list("team_messages");
            for m in &team_messages {
                assert!(v["input"].as_str().is_some_and(|i| i.contains(m.as_str())), "{at}: a team message must be part of the input");
            }
            cases.push(Case {
                file: file.clone(),
                id,
                region: str_field(&v, "region", &at).to_string(),
                team_domains,
                team_phones,
                input: str_field(&v, "input", &at).to_string(),
                id_patterns,
                page_url,
                agent,
                team_messages,
                expect,
                best,
            });
        }
    }
    cases
}

fn snippet(s: &str) -> String {
    let flat: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if flat.chars().count() > 90 {
        format!("{}…", flat.chars().take(90).collect::<String>())
    } else {
        flat
    }
}

#[derive(Default)]
struct Tally {
    cases: usize,
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Tally {
    fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
}

/// Scores `cases`, prints the tables under `title`; the tallies per kind
/// and the best-rank accuracy.
fn score(title: &str, cases: &[Case]) -> (BTreeMap<&'static str, Tally>, f64) {
    let mut tally: BTreeMap<&str, Tally> = KINDS.iter().map(|k| (*k, Tally::default())).collect();
    let mut per_file: BTreeMap<String, usize> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut false_hits = Vec::new();
    let (mut best_total, mut best_ok) = (0usize, 0usize);
    let mut best_wrong = Vec::new();

    for case in cases {
        *per_file.entry(case.file.clone()).or_default() += 1;
        let mut snapshot = if looks_like_html(&case.input) { snapshot_from_html(&case.input) } else { snapshot_from_text(&case.input) };
        if let Some(url) = &case.page_url {
            snapshot = snapshot.with_page_url(url);
        }
        snapshot.fields.extend(case.agent.iter().map(|t| Field { source: Source::AgentField, text: t.clone() }));
        snapshot.fields.extend(case.team_messages.iter().map(|t| Field { source: Source::TeamText, text: t.clone() }));
        // A tuning case's team phone must parse. In a held-out set (never edited to suit the engine) a team
        // phone the settings refuse cannot be listed by an admin either: the case is scored as if it were not
        // listed, and the refusal is printed.
        let team_phones = case
            .team_phones
            .iter()
            .filter_map(|p| {
                let n = normalize_phone(p, &case.region);
                if n.is_none() {
                    assert!(title.starts_with("held out"), "{}: bad team phone {p}", case.id);
                    println!("  note: {}: team phone {p:?} is refused by the settings; scored as not listed", case.id);
                }
                n
            })
            .collect();
        let id_patterns = case.id_patterns.iter().map(|p| IdRule::compile(p).unwrap_or_else(|e| panic!("{}: {}: {e:?}", case.id, p.pattern))).collect();
        let ctx = ScanContext { team_domains: case.team_domains.clone(), team_phones, default_region: case.region.clone(), id_patterns };
        let ranked = identify(&snapshot, &ctx);
        let got: BTreeSet<(String, String)> = ranked.iter().map(|c| (kind_name(c.kind).to_string(), c.value.clone())).collect();

        for kind in KINDS {
            let exp_k: BTreeSet<&(String, String)> = case.expect.iter().filter(|(k, _)| k == kind).collect();
            let got_k: BTreeSet<&(String, String)> = got.iter().filter(|(k, _)| k == kind).collect();
            let t = tally.get_mut(kind).expect("known kind");
            if !exp_k.is_empty() || !got_k.is_empty() {
                t.cases += 1;
            }
            for e in &exp_k {
                if got_k.contains(e) {
                    t.tp += 1;
                } else {
                    t.fn_ += 1;
                    misses.push(format!("MISS  {:<12} {:<24} [{}] {:?} in {:?}", kind, e.1, case.id, case.region, snippet(&case.input)));
                }
            }
            for g in &got_k {
                if !exp_k.contains(g) {
                    t.fp += 1;
                    false_hits.push(format!("FALSE {:<12} {:<24} [{}] {:?} in {:?}", kind, g.1, case.id, case.region, snippet(&case.input)));
                }
            }
        }

        best_total += 1;
        // The one the panel would look up: identifiers only in a table block
        // name nobody (the panel offers the chooser), so `best` is null then.
        let first = ranked.iter().find(|c| c.source != Source::TableText).map(|c| c.value.clone());
        if first == case.best {
            best_ok += 1;
        } else {
            best_wrong.push(format!("BEST  [{}] expected {:?}, got {:?}", case.id, case.best, first));
        }
    }

    println!("\n{title}: {} cases", cases.len());
    for (file, n) in &per_file {
        println!("  {file:<24} {n}");
    }
    println!("\n{:<12} {:>6} {:>6} {:>6} {:>6} {:>10} {:>8}", "kind", "cases", "tp", "fp", "fn", "precision", "recall");
    for kind in KINDS {
        let t = &tally[kind];
        println!("{:<12} {:>6} {:>6} {:>6} {:>6} {:>10.4} {:>8.4}", kind, t.cases, t.tp, t.fp, t.fn_, t.precision(), t.recall());
    }
    println!("best-rank accuracy: {best_ok}/{best_total} = {:.4}", best_ok as f64 / best_total.max(1) as f64);
    println!("\nmisses ({}):", misses.len());
    for m in &misses {
        println!("  {m}");
    }
    println!("false hits ({}):", false_hits.len());
    for f in &false_hits {
        println!("  {f}");
    }
    println!("wrong first candidate ({}):", best_wrong.len());
    for b in &best_wrong {
        println!("  {b}");
    }
    (tally, best_ok as f64 / best_total.max(1) as f64)
}

#[test]
fn labelled_corpus_precision_and_recall() {
    let cases = load("");
    let (tally, _) = score("corpus", &cases);
    assert!(cases.len() >= 300, "the corpus must hold at least 300 cases, it has {}", cases.len());
    let mut failures = Vec::new();
    for kind in ["email", "phone"] {
        let t = &tally[kind];
        if t.precision() < 0.99 {
            failures.push(format!("{kind} precision {:.4} < 0.99", t.precision()));
        }
        if t.recall() < 0.98 {
            failures.push(format!("{kind} recall {:.4} < 0.98", t.recall()));
        }
    }
    for kind in ["customer_id", "order_id", "account_id", "ticket_id"] {
        let t = &tally[kind];
        if t.precision() < 0.95 || t.recall() < 0.95 {
            failures.push(format!("{kind} precision {:.4} / recall {:.4} < 0.95", t.precision(), t.recall()));
        }
    }
    assert!(failures.is_empty(), "targets not met: {failures:?} (see the misses and false hits above)");
}

/// The held-out cases: reported, not held to targets (see the module doc).
#[test]
fn held_out_corpus_is_scored_apart() {
    let cases = load("holdout");
    assert!(cases.len() >= 30, "the held-out set must hold at least 30 cases, it has {}", cases.len());
    let tuned: BTreeSet<String> = load("").into_iter().map(|c| c.id).collect();
    assert!(cases.iter().all(|c| !tuned.contains(&c.id)), "a held-out case id is also in the tuning corpus");
    // Each file is a set of its own, written at a different time (the
    // second before the rules of its own round): one table per file.
    let mut files: Vec<&str> = cases.iter().map(|c| c.file.as_str()).collect();
    files.dedup();
    for file in files {
        let set: Vec<Case> = cases.iter().filter(|c| c.file == file).map(Case::clone).collect();
        score(&format!("held out (not tuned on), {file}"), &set);
    }
}
