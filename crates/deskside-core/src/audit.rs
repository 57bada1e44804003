//! The audit trail: one entry per cross-system access (each lookup and each
//! record's follow-up requests), kept in the background's storage, newest
//! last, rotated by entries and by bytes.
//!
//! An entry never holds the identifier looked up: only its kind and a salted
//! hash of its value ([`subject_hash`]). The salt is random per install (made
//! by the background on first use, kept in `storage.local` under
//! [`SALT_KEY`]), so the same customer gives the same hash in one browser's
//! trail (to trace) but a hash cannot be checked against a list of addresses
//! without the salt.

use serde::{Deserialize, Serialize};
use sha2::Digest;

pub const AUDIT_KEY: &str = "audit";
/// The install's salt for [`subject_hash`].
pub const SALT_KEY: &str = "audit_salt";
/// Rotation: at most this many entries…
pub const AUDIT_CAP: usize = 1_000;
/// …and at most this many bytes of JSON, the oldest dropped first.
pub const AUDIT_MAX_BYTES: usize = 256 * 1024;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditEntry {
    /// Milliseconds since the Unix epoch.
    pub at_ms: f64,
    /// Connector id.
    pub connector: String,
    /// The connector's label when the entry was made.
    pub label: String,
    /// `lookup` or `related` (a record's follow-up requests).
    pub action: String,
    /// The identifier's kind (`email`, `phone`…), never its value.
    pub id_kind: String,
    /// [`subject_hash`] of the identifier's value.
    pub subject_hash: String,
    /// Origin of the page that triggered it.
    pub page_origin: String,
    /// Names of the fields returned (never their values).
    pub fields: Vec<String>,
    /// `found:N`, `not_found`, `ok:N`, `failed:…` or the error kind.
    pub outcome: String,
    /// The profile of the browser the access was made in (`agent`,
    /// `team_lead`): what its agent was shown.
    pub profile: String,
}

/// A salted SHA-256 of `value`, the first 16 bytes in hex. Deterministic for
/// one salt; the value cannot be read back from it.
pub fn subject_hash(salt: &str, value: &str) -> String {
    let mut h = sha2::Sha256::new();
    h.update(salt.as_bytes());
    h.update([0u8]);
    h.update(value.as_bytes());
    crate::connector::sign::hex(&h.finalize()[..16])
}

/// Whether `salt` is one the background made (a non-trivial random string).
pub fn salt_usable(salt: &str) -> bool {
    salt.len() >= 16
}

/// Appends and rotates: the oldest go past [`AUDIT_CAP`] entries or
/// [`AUDIT_MAX_BYTES`] bytes.
pub fn append(log: &mut Vec<AuditEntry>, entry: AuditEntry) {
    log.push(entry);
    rotate(log, AUDIT_CAP, AUDIT_MAX_BYTES);
}

/// Drops the oldest entries until at most `cap` remain and their JSON fits
/// in `max_bytes`.
pub fn rotate(log: &mut Vec<AuditEntry>, cap: usize, max_bytes: usize) {
    if log.len() > cap {
        let drop = log.len() - cap;
        log.drain(..drop);
    }
    let sizes: Vec<usize> = log.iter().map(|e| serde_json::to_string(e).map_or(0, |s| s.len() + 1)).collect();
    let mut total: usize = sizes.iter().sum::<usize>() + 2;
    let mut drop = 0;
    while total > max_bytes && drop < log.len() {
        total -= sizes[drop];
        drop += 1;
    }
    log.drain(..drop);
}

/// How an outcome reads in the filter: `found`, `not_found` or `error`.
pub fn outcome_class(outcome: &str) -> &'static str {
    if outcome == "not_found" {
        "not_found"
    } else if outcome.starts_with("found") || outcome.starts_with("ok") {
        "found"
    } else {
        "error"
    }
}

/// The options page's filters; empty means any.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilter {
    pub connector: String,
    /// `found`, `not_found` or `error` ([`outcome_class`]).
    pub outcome: String,
    /// Text the page origin contains (case-insensitive).
    pub origin: String,
}

impl AuditFilter {
    pub fn matches(&self, e: &AuditEntry) -> bool {
        (self.connector.is_empty() || e.connector == self.connector)
            && (self.outcome.is_empty() || outcome_class(&e.outcome) == self.outcome)
            && (self.origin.trim().is_empty() || e.page_origin.to_lowercase().contains(&self.origin.trim().to_lowercase()))
    }
}

/// The entries the filter keeps, newest first, at most `limit`.
pub fn filtered<'a>(log: &'a [AuditEntry], filter: &AuditFilter, limit: usize) -> Vec<&'a AuditEntry> {
    log.iter().rev().filter(|e| filter.matches(e)).take(limit).collect()
}

/// Milliseconds since the epoch → `2024-05-01T08:30:00Z`.
pub fn iso_time(at_ms: f64) -> String {
    let secs = (at_ms / 1000.0).floor() as i64;
    let (y, m, d) = crate::connector::engine::civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", t / 3600, t / 60 % 60, t % 60)
}

/// One CSV cell: quoted when it holds a quote, comma or line break; a cell
/// a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
/// or a tab or carriage return before one) gets a leading `'`.
pub fn csv_cell(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if guarded.contains(['"', ',', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

pub const CSV_HEADER: [&str; 9] = ["time", "connector", "label", "action", "id_kind", "subject_hash", "page_origin", "fields", "outcome"];

/// The entries as CSV (RFC 4180: CRLF line ends, a header row).
pub fn to_csv<'a>(entries: impl IntoIterator<Item = &'a AuditEntry>) -> String {
    let mut out = CSV_HEADER.join(",");
    out.push_str("\r\n");
    for e in entries {
        let cells = [iso_time(e.at_ms), e.connector.clone(), e.label.clone(), e.action.clone(), e.id_kind.clone(), e.subject_hash.clone(), e.page_origin.clone(), e.fields.join(" "), e.outcome.clone()];
        out.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// Pushes `item` and drops the oldest past `cap`: the one rule for every
/// list Deskside keeps in storage (choices, layouts).
pub fn push_capped<T>(list: &mut Vec<T>, item: T, cap: usize) {
    list.push(item);
    if list.len() > cap {
        let drop = list.len() - cap;
        list.drain(..drop);
    }
}

/// Records `value` for `key`, replacing an older one, newest last, keeping `cap`.
pub fn remember<V>(list: &mut Vec<(String, V)>, key: &str, value: V, cap: usize) {
    list.retain(|(k, _)| k != key);
    push_capped(list, (key.to_string(), value), cap);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(i: usize) -> AuditEntry {
        AuditEntry { at_ms: i as f64, connector: "crm".into(), label: "CRM".into(), action: "lookup".into(), id_kind: "email".into(), subject_hash: subject_hash("salt-salt-salt-salt", "li.na@example.cn"), page_origin: "https://help.example".into(), fields: vec!["name".into()], outcome: "found:1".into(), profile: "agent".into() }
    }

    #[test]
    fn the_hash_is_salted_stable_and_never_the_value() {
        let v = "li.na@example.cn";
        let a = subject_hash("0123456789abcdef-one", v);
        assert_eq!(a, subject_hash("0123456789abcdef-one", v));
        assert_ne!(a, subject_hash("0123456789abcdef-two", v), "another install, another hash");
        assert_ne!(a, subject_hash("0123456789abcdef-one", "li.na@example.com"));
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        let e = AuditEntry { subject_hash: a, ..entry(0) };
        let stored = serde_json::to_string(&e).unwrap();
        for part in ["li.na", "example.cn", "li.na@example.cn"] {
            assert!(!stored.contains(part), "{part} stored: {stored}");
            assert!(!to_csv([&e]).contains(part));
        }
        assert!(salt_usable(&"x".repeat(36)) && !salt_usable(""));
    }

    #[test]
    fn rotates_by_entries_and_by_bytes() {
        let mut log = Vec::new();
        for i in 0..AUDIT_CAP + 5 {
            append(&mut log, entry(i));
        }
        assert_eq!(log.len(), AUDIT_CAP);
        assert_eq!(log[0].at_ms, 5.0);
        assert!(serde_json::to_string(&log).unwrap().len() <= AUDIT_MAX_BYTES);
        // Big entries: the byte bound bites first, the newest kept.
        let big = |i: usize| AuditEntry { fields: vec!["f".repeat(2_000)], ..entry(i) };
        let mut log = Vec::new();
        for i in 0..500 {
            append(&mut log, big(i));
        }
        let bytes = serde_json::to_string(&log).unwrap().len();
        assert!(bytes <= AUDIT_MAX_BYTES && bytes > AUDIT_MAX_BYTES - 3_000, "{bytes}");
        assert!(log.len() < 500);
        assert_eq!(log.last().unwrap().at_ms, 499.0);
        // One entry bigger than the bound: nothing kept rather than too much.
        let mut log = vec![AuditEntry { fields: vec!["f".repeat(300_000)], ..entry(0) }];
        rotate(&mut log, AUDIT_CAP, AUDIT_MAX_BYTES);
        assert!(log.is_empty());
    }

    #[test]
    fn csv_quotes_and_guards_formulas() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(csv_cell("+1 555"), "'+1 555");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\t=1"), "'\t=1");
        assert_eq!(csv_cell("a=b"), "a=b");
        let e = AuditEntry { page_origin: "=cmd|' /C calc'!A0".into(), fields: vec!["name".into(), "emails".into()], at_ms: 1_714_552_200_000.0, ..entry(0) };
        let csv = to_csv([&e]);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], "time,connector,label,action,id_kind,subject_hash,page_origin,fields,outcome");
        assert_eq!(lines[1], format!("2024-05-01T08:30:00Z,crm,CRM,lookup,email,{},'=cmd|' /C calc'!A0,name emails,found:1", e.subject_hash));
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[2], "");
    }

    #[test]
    fn filters_by_connector_outcome_and_origin() {
        let log = vec![
            entry(1),
            AuditEntry { connector: "hub".into(), outcome: "not_found".into(), ..entry(2) },
            AuditEntry { outcome: "timeout".into(), page_origin: "https://other.example".into(), ..entry(3) },
            AuditEntry { action: "related".into(), outcome: "ok:2".into(), ..entry(4) },
        ];
        let at = |f: AuditFilter| filtered(&log, &f, 10).iter().map(|e| e.at_ms as u32).collect::<Vec<_>>();
        assert_eq!(at(AuditFilter::default()), [4, 3, 2, 1]);
        assert_eq!(at(AuditFilter { connector: "crm".into(), ..Default::default() }), [4, 3, 1]);
        assert_eq!(at(AuditFilter { outcome: "error".into(), ..Default::default() }), [3]);
        assert_eq!(at(AuditFilter { outcome: "found".into(), ..Default::default() }), [4, 1]);
        assert_eq!(at(AuditFilter { outcome: "not_found".into(), ..Default::default() }), [2]);
        assert_eq!(at(AuditFilter { origin: " OTHER ".into(), ..Default::default() }), [3]);
        assert_eq!(filtered(&log, &AuditFilter::default(), 2).len(), 2);
    }

    #[test]
    fn reads_an_old_entry() {
        let old = r#"{"at_ms":1,"connector":"CRM (crm)","action":"lookup","subject":"l***@example.cn","page_origin":"o","outcome":"ok"}"#;
        let e: AuditEntry = serde_json::from_str(old).unwrap();
        assert_eq!(e.outcome, "ok");
        assert!(!serde_json::to_string(&e).unwrap().contains("l***"), "the old masked subject is not written back");
    }
}
