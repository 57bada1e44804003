//! The audit trail: one entry per cross-system access, kept in the
//! background's storage, newest last, capped.

use serde::{Deserialize, Serialize};

pub const AUDIT_KEY: &str = "audit";
pub const AUDIT_CAP: usize = 1_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Milliseconds since the Unix epoch.
    pub at_ms: f64,
    /// Connector id and label.
    pub connector: String,
    pub action: String,
    /// The identifier looked up, masked (`l***@example.cn`).
    pub subject: String,
    /// Origin of the page that triggered it.
    pub page_origin: String,
    /// `ok`, `not_found` or the error kind.
    pub outcome: String,
}

/// `li.na@example.cn` → `l***@example.cn`: enough to trace, not to harvest.
pub fn mask_subject(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => format!("{}***@{domain}", local.chars().next().unwrap_or('*')),
        None => "***".into(),
    }
}

/// Appends and drops the oldest past the cap.
pub fn append(log: &mut Vec<AuditEntry>, entry: AuditEntry) {
    push_capped(log, entry, AUDIT_CAP);
}

/// Pushes `item` and drops the oldest past `cap`: the one rule for every
/// list Deskside keeps in storage (the audit log, choices, layouts).
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

    #[test]
    fn masks_and_caps() {
        assert_eq!(mask_subject("li.na@example.cn"), "l***@example.cn");
        let e = AuditEntry { at_ms: 0.0, connector: "c".into(), action: "lookup".into(), subject: "s".into(), page_origin: "o".into(), outcome: "ok".into() };
        let mut log = Vec::new();
        for i in 0..AUDIT_CAP + 5 {
            append(&mut log, AuditEntry { at_ms: i as f64, ..e.clone() });
        }
        assert_eq!(log.len(), AUDIT_CAP);
        assert_eq!(log[0].at_ms, 5.0);
    }
}
