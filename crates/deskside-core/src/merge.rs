//! Several sources, one view. Per source, the one record to show: the only
//! one, the agent's choice for this ticket, or the one the connector's rule
//! picks (most recently updated, earliest created); never silently the
//! first. Then the records of every source, all found by the same
//! identifier, are merged into one customer whose every value names the
//! source it came from, in the admin's per-field source order.

use crate::model::Customer;
use serde::{Deserialize, Serialize};

/// What a connector does when its search returns several records for one
/// identifier.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PickPolicy {
    /// The panel says "N matches" and the agent chooses.
    #[default]
    Ask,
    MostRecentlyUpdated,
    EarliestCreated,
}

impl PickPolicy {
    pub const ALL: [PickPolicy; 3] = [PickPolicy::Ask, PickPolicy::MostRecentlyUpdated, PickPolicy::EarliestCreated];

    pub fn id(self) -> &'static str {
        match self {
            PickPolicy::Ask => "ask",
            PickPolicy::MostRecentlyUpdated => "most_recently_updated",
            PickPolicy::EarliestCreated => "earliest_created",
        }
    }

    pub fn parse(s: &str) -> Option<PickPolicy> {
        PickPolicy::ALL.into_iter().find(|p| p.id() == s)
    }
}

/// How the record shown for a source was picked among several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PickedBy {
    Agent,
    Rule(PickPolicy),
}

/// One source's records for the identifier, reduced to what is shown.
#[derive(Clone, Debug, PartialEq)]
pub enum Selection {
    None,
    /// `of`: how many records the source returned (1 when only one);
    /// `others`: the ones not shown, for the agent to choose another.
    One { record: Customer, by: Option<PickedBy>, of: usize, others: Vec<Customer> },
    /// Several records and nothing to pick by: the agent chooses.
    Choose(Vec<Customer>),
}

/// The record to show among `records`: `chosen` is the agent's remembered
/// choice (a record id) for this ticket and source.
pub fn pick(mut records: Vec<Customer>, policy: PickPolicy, chosen: Option<&str>) -> Selection {
    let of = records.len();
    match of {
        0 => return Selection::None,
        1 => return Selection::One { record: records.remove(0), by: None, of, others: Vec::new() },
        _ => {}
    }
    if let Some(i) = chosen.and_then(|c| records.iter().position(|r| r.id == c)) {
        let record = records.remove(i);
        return Selection::One { record, by: Some(PickedBy::Agent), of, others: records };
    }
    // A rule picks only when the dates decide: every record has one, and
    // the best is not tied.
    let key = |r: &Customer| match policy {
        PickPolicy::Ask => None,
        PickPolicy::MostRecentlyUpdated => r.updated.clone(),
        PickPolicy::EarliestCreated => r.created.clone(),
    };
    let keys: Option<Vec<String>> = records.iter().map(key).collect();
    if let Some(keys) = keys {
        let best = match policy {
            PickPolicy::EarliestCreated => keys.iter().min(),
            _ => keys.iter().max(),
        };
        if let Some(best) = best.cloned() {
            if keys.iter().filter(|k| **k == best).count() == 1 {
                let i = keys.iter().position(|k| *k == best).unwrap_or(0);
                let record = records.remove(i);
                return Selection::One { record, by: Some(PickedBy::Rule(policy)), of, others: records };
            }
        }
    }
    Selection::Choose(records)
}

/// Fields whose source the admin may order (`tier` from the CRM, `tickets`
/// from the helpdesk). Single values take the first source that has one;
/// lists take the preferred source's items when it has any, else every
/// source's.
pub const ORDERED_FIELDS: &[&str] = &["name", "company", "title", "tier", "location", "lifetime_value", "tags", "orders", "deals", "tickets", "notes", "custom"];

/// The admin's preferred source per field: `(field, connector id)`.
pub type FieldSources = Vec<(String, String)>;

/// The order in which `records` (one per source, in the settings' connector
/// order) are asked for `field`: the preferred source first.
pub fn order_for<'a>(field: &str, records: &'a [Customer], prefs: &FieldSources) -> Vec<&'a Customer> {
    let mut out: Vec<&Customer> = records.iter().collect();
    if let Some((_, first)) = prefs.iter().find(|(f, _)| f == field) {
        crate::sort::sort_by_key(&mut out, |r| r.connector != *first);
    }
    out
}

/// The first value `get` finds, with the index (in `records`) of its source.
pub fn first_of<T>(field: &str, records: &[Customer], prefs: &FieldSources, get: impl Fn(&Customer) -> Option<T>) -> Option<(T, usize)> {
    order_for(field, records, prefs).into_iter().find_map(|r| get(r).map(|v| (v, index_of(records, r))))
}

/// Every source's items of a list with their source's index; only the
/// preferred source's when it has any.
pub fn list_of<'a, T>(field: &str, records: &'a [Customer], prefs: &FieldSources, get: impl Fn(&'a Customer) -> &'a [T]) -> Vec<(&'a T, usize)> {
    let ordered = order_for(field, records, prefs);
    let preferred = prefs.iter().any(|(f, _)| f == field);
    if preferred {
        if let Some(first) = ordered.first().filter(|r| !get(r).is_empty()) {
            let i = index_of(records, first);
            return get(first).iter().map(|x| (x, i)).collect();
        }
    }
    ordered.into_iter().flat_map(|r| get(r).iter().map(move |x| (x, index_of(records, r)))).collect()
}

fn index_of(records: &[Customer], r: &Customer) -> usize {
    records.iter().position(|x| std::ptr::eq(x, r)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, updated: Option<&str>, created: Option<&str>) -> Customer {
        Customer { id: id.into(), updated: updated.map(Into::into), created: created.map(Into::into), ..Default::default() }
    }

    #[test]
    fn one_record_is_shown_several_are_picked_only_by_the_agent_or_a_deciding_rule() {
        assert_eq!(pick(vec![], PickPolicy::Ask, None), Selection::None);
        assert!(matches!(pick(vec![rec("a", None, None)], PickPolicy::Ask, None), Selection::One { by: None, of: 1, .. }));
        let two = || vec![rec("a", Some("2026-01-01"), Some("2020-01-01")), rec("b", Some("2026-03-01"), Some("2021-01-01"))];
        assert!(matches!(pick(two(), PickPolicy::Ask, None), Selection::Choose(v) if v.len() == 2), "never a silent pick of the first");
        match pick(two(), PickPolicy::MostRecentlyUpdated, None) {
            Selection::One { record, by: Some(PickedBy::Rule(PickPolicy::MostRecentlyUpdated)), of: 2, others } => assert_eq!((record.id.as_str(), others[0].id.as_str()), ("b", "a")),
            other => panic!("{other:?}"),
        }
        match pick(two(), PickPolicy::EarliestCreated, None) {
            Selection::One { record, .. } => assert_eq!(record.id, "a"),
            other => panic!("{other:?}"),
        }
        // The agent's choice wins over the rule; a stale choice is ignored.
        match pick(two(), PickPolicy::MostRecentlyUpdated, Some("a")) {
            Selection::One { record, by: Some(PickedBy::Agent), .. } => assert_eq!(record.id, "a"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(pick(two(), PickPolicy::Ask, Some("gone")), Selection::Choose(_)));
        // A rule the dates cannot decide (a tie, a record without a date) asks.
        let tie = vec![rec("a", Some("2026-01-01"), None), rec("b", Some("2026-01-01"), None)];
        assert!(matches!(pick(tie, PickPolicy::MostRecentlyUpdated, None), Selection::Choose(_)));
        let undated = vec![rec("a", Some("2026-01-01"), None), rec("b", None, None)];
        assert!(matches!(pick(undated, PickPolicy::MostRecentlyUpdated, None), Selection::Choose(_)));
    }

    #[test]
    fn the_admins_source_order_decides_per_field() {
        let crm = Customer { connector: "crm".into(), company: Some("Yunfan".into()), tier: None, ..Default::default() };
        let desk = Customer { connector: "desk".into(), company: Some("Yunfan Tech".into()), tier: Some(crate::model::VipTier::Gold), ..Default::default() };
        let records = [crm, desk];
        let none = FieldSources::new();
        assert_eq!(first_of("company", &records, &none, |r| r.company.clone()), Some(("Yunfan".to_string(), 0)));
        let prefs = vec![("company".to_string(), "desk".to_string())];
        assert_eq!(first_of("company", &records, &prefs, |r| r.company.clone()), Some(("Yunfan Tech".to_string(), 1)));
        // A source without the value gives way to the next.
        assert_eq!(first_of("tier", &records, &none, |r| r.tier.clone()).map(|t| t.1), Some(1));
    }
}
