//! The answer cache's decisions: per connector and identifier, kept in
//! `storage.local` (one entry per key, an index to bound them), shared by
//! every tab. Keys are hashes: of the connector's settings (so any edit of
//! a connector, its key included, makes its old answers unreachable, and
//! they are deleted at the next write) and of the identifier (no customer
//! data in a key). An entry holds CRM data only, never a secret.

use super::retry::{hold_after_failure_ms, RetryPolicy};
use crate::config::ConnectorConfig;
use crate::connector::{Answer, LookupError};
use crate::identify::Candidate;
use crate::model::Customer;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `storage.local` key of the index.
pub const INDEX_KEY: &str = "lookup_cache";
/// The prefix of an entry's `storage.local` key.
pub const ENTRY_PREFIX: &str = "lc:";
/// An answer older than this is not shown, even as stale.
pub const MAX_STALE_MS: f64 = 24.0 * 3600.0 * 1000.0;

/// How much the cache may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheLimits {
    pub max_entries: usize,
    pub max_bytes: usize,
    /// A larger answer is not kept.
    pub max_entry_bytes: usize,
}

pub const LIMITS: CacheLimits = CacheLimits { max_entries: 300, max_bytes: 1_500_000, max_entry_bytes: 200_000 };

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn digest(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        // Length-prefixed: no two different part lists hash alike.
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    hex(&h.finalize()[..16])
}

/// A fingerprint of everything that decides a connector's answers: its id,
/// kind, URL, definition, record pick, and its secrets (another key may be
/// another account). One-way; the secrets are not recoverable from it.
pub fn config_hash(cfg: &ConnectorConfig) -> String {
    let shape = serde_json::json!({
        "id": cfg.id, "kind": cfg.kind, "base_url": cfg.base_url, "pick": cfg.pick,
        "plain_http_host": cfg.plain_http_host, "definition": cfg.definition.as_ref().map(|d| d.source.clone()),
    })
    .to_string();
    let secrets: Vec<(String, String)> = cfg.all_secrets().into_iter().map(|(k, v)| (k, v.expose().to_string())).collect();
    let secrets = serde_json::to_string(&secrets).unwrap_or_default();
    digest(&[b"deskside-connector-v1", shape.as_bytes(), secrets.as_bytes()])
}

/// The `storage.local` key of a connector's answer for an identifier.
pub fn entry_key(config: &str, id: &Candidate) -> String {
    format!("{ENTRY_PREFIX}{}", digest(&[b"lookup", config.as_bytes(), id.kind.id().as_bytes(), id.value.as_bytes()]))
}

/// The in-flight key of a record's follow-up requests.
pub fn related_key(config: &str, record: &str) -> String {
    format!("rel:{}", digest(&[b"related", config.as_bytes(), record.as_bytes()]))
}

/// One connector's answer for one identifier, and how its last refresh went.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The connector's [`config_hash`] when it was written.
    pub config: String,
    /// When `answer` was fetched (ms since the epoch).
    pub fetched_ms: f64,
    pub answer: Option<Cached>,
    pub failure: Option<Failure>,
}

/// An answer as kept: the records, the follow-ups fetched for some of them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cached {
    pub customers: Vec<Customer>,
    pub near_misses: usize,
    pub total: Option<u64>,
    /// Records whose related items (deals, tickets, notes) are in `customers`.
    pub related_done: Vec<String>,
    /// Records whose follow-ups failed: shown as failed (not sent again)
    /// until their `retry_at_ms`.
    #[serde(default)]
    pub related_failed: Vec<RelatedFailure>,
}

/// A record's follow-ups that failed: what each was to fill (`deals`,
/// `company`; none when the requests could not be made) and why, and when
/// they may be sent again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelatedFailure {
    pub record: String,
    pub failed: Vec<(Option<String>, LookupError)>,
    pub retry_at_ms: f64,
}

/// The last failed refresh: what went wrong, how many in a row, and when a
/// new one may be tried.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    pub error: LookupError,
    pub count: u32,
    pub retry_at_ms: f64,
}

impl Cached {
    pub fn from_answer(a: Answer) -> Cached {
        Cached { customers: a.customers, near_misses: a.near_misses, total: a.total, related_done: Vec::new(), related_failed: Vec::new() }
    }
}

impl Entry {
    /// The answer as the panel's flow takes it, each record stamped with
    /// when it was fetched.
    pub fn answer(&self) -> Option<Answer> {
        let a = self.answer.as_ref()?;
        Some(Answer {
            customers: a.customers.iter().map(|c| Customer { fetched_ms: self.fetched_ms, ..c.clone() }).collect(),
            near_misses: a.near_misses,
            total: a.total,
            provenance: Vec::new(),
        })
    }

    /// Whether the related items of `record` are in the answer.
    pub fn related_done(&self, record: &str) -> bool {
        self.answer.as_ref().is_some_and(|a| a.related_done.iter().any(|r| r == record))
    }

    /// Keeps the related items fetched for `record` (one of its records):
    /// its lists, and the company a `company` follow-up filled in.
    pub fn with_related(self, record: &Customer) -> Entry {
        self.keep_related(record, None)
    }

    /// Keeps what `record`'s follow-ups filled before some of them failed
    /// (`failed`: what each was to fill, and why), and the failure until
    /// `retry_at_ms`: every panel showing the record meanwhile says which
    /// block failed without sending those requests again.
    pub fn with_related_failure(self, record: &Customer, failed: Vec<(Option<String>, LookupError)>, retry_at_ms: f64) -> Entry {
        self.keep_related(record, Some(RelatedFailure { record: record.id.clone(), failed, retry_at_ms }))
    }

    fn keep_related(mut self, record: &Customer, failure: Option<RelatedFailure>) -> Entry {
        if let Some(a) = &mut self.answer {
            if let Some(c) = a.customers.iter_mut().find(|c| c.id == record.id) {
                (c.orders, c.deals, c.tickets, c.notes) = (record.orders.clone(), record.deals.clone(), record.tickets.clone(), record.notes.clone());
                if c.company.is_none() {
                    c.company = record.company.clone();
                }
                a.related_failed.retain(|f| f.record != record.id);
                match failure {
                    Some(f) => {
                        a.related_done.retain(|r| r != &record.id);
                        a.related_failed.push(f);
                    }
                    None if !a.related_done.contains(&record.id) => a.related_done.push(record.id.clone()),
                    None => {}
                }
            }
        }
        self
    }

    /// `record`'s follow-ups that failed, while they are held (before their
    /// `retry_at_ms`).
    pub fn related_failure(&self, record: &str, now_ms: f64) -> Option<&[(Option<String>, LookupError)]> {
        let a = self.answer.as_ref()?;
        a.related_failed.iter().find(|f| f.record == record && f.retry_at_ms > now_ms).map(|f| f.failed.as_slice())
    }
}

/// What to do with a lookup, given what the cache holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Decision {
    /// Younger than the TTL: shown at once, no request.
    Fresh,
    /// Older: shown marked with its age while a fresh one is fetched.
    Stale,
    /// A refresh failed a moment ago: nothing is sent before `retry_in_ms`
    /// (the last answer, if any, is shown stale).
    Hold { retry_in_ms: u64 },
    /// Nothing to show: look it up.
    Miss,
}

/// The cache's decision for an entry at `now_ms`, with the admin's TTL.
pub fn decide(entry: Option<&Entry>, now_ms: f64, ttl_ms: f64) -> Decision {
    let Some(e) = entry else { return Decision::Miss };
    let age = now_ms - e.fetched_ms;
    // (A clock set back makes every answer stale, never fresh forever.)
    if e.answer.is_some() && (0.0..ttl_ms).contains(&age) {
        return Decision::Fresh;
    }
    if let Some(f) = &e.failure {
        if f.retry_at_ms > now_ms {
            return Decision::Hold { retry_in_ms: (f.retry_at_ms - now_ms).ceil() as u64 };
        }
    }
    if e.answer.is_some() && age < MAX_STALE_MS {
        return Decision::Stale;
    }
    Decision::Miss
}

/// Whether an entry's answer may still be shown (stale) at `now_ms`.
pub fn showable(entry: &Entry, now_ms: f64) -> bool {
    entry.answer.is_some() && now_ms - entry.fetched_ms < MAX_STALE_MS
}

/// The entry after a successful lookup.
pub fn on_success(config: &str, answer: Answer, now_ms: f64) -> Entry {
    Entry { config: config.to_string(), fetched_ms: now_ms, answer: Some(Cached::from_answer(answer)), failure: None }
}

/// The entry after a failed lookup: the last answer kept to show stale
/// (unless the key was rejected or the connector is misconfigured: then
/// nothing of it is shown), the failure counted, the next try held off.
pub fn on_failure(previous: Option<Entry>, config: &str, error: LookupError, now_ms: f64, policy: &RetryPolicy, random: f64) -> Entry {
    let previous = previous.filter(|p| p.config == config);
    let count = previous.as_ref().and_then(|p| p.failure.as_ref()).map_or(0, |f| f.count).saturating_add(1);
    let hold = hold_after_failure_ms(policy, &error, count, random);
    let keep = !matches!(error, LookupError::Unauthorized { .. } | LookupError::MissingPermission { .. } | LookupError::Config { .. });
    let (fetched_ms, answer) = match previous {
        Some(p) if keep => (p.fetched_ms, p.answer),
        _ => (0.0, None),
    };
    Entry { config: config.to_string(), fetched_ms, answer, failure: Some(Failure { error, count, retry_at_ms: now_ms + hold as f64 }) }
}

/// Whether the serialized entry contains any of `secrets` (an API that
/// echoes the key, a token in a record): such an answer is never kept.
pub fn holds_secret(serialized: &str, secrets: &[&str]) -> bool {
    secrets.iter().filter(|s| s.len() >= 4).any(|s| serialized.contains(s) || serde_json::to_string(s).is_ok_and(|j| serialized.contains(j.trim_matches('"'))))
}

/// The index of the cache's entries, to keep it bounded.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub key: String,
    pub config: String,
    pub written_ms: f64,
    pub bytes: usize,
}

impl Index {
    /// Total bytes of the entries.
    pub fn bytes(&self) -> usize {
        self.rows.iter().map(|r| r.bytes).sum()
    }

    /// Whether an entry of `bytes` may be kept at all.
    pub fn fits(bytes: usize, limits: &CacheLimits) -> bool {
        bytes <= limits.max_entry_bytes && bytes <= limits.max_bytes
    }

    /// Records that `key` was written; returns the keys to delete: entries
    /// of connectors no longer configured as they were (`live` holds the
    /// current [`config_hash`]es), then the oldest, until the cache is
    /// within its limits.
    pub fn admit(&mut self, key: &str, config: &str, bytes: usize, now_ms: f64, live: &[String], limits: &CacheLimits) -> Vec<String> {
        self.rows.retain(|r| r.key != key);
        self.rows.push(Row { key: key.to_string(), config: config.to_string(), written_ms: now_ms, bytes });
        let mut gone = self.prune(live);
        crate::sort::sort_by(&mut self.rows, |a, b| a.written_ms.total_cmp(&b.written_ms));
        while self.rows.len() > limits.max_entries || self.bytes() > limits.max_bytes {
            gone.push(self.rows.remove(0).key);
        }
        gone
    }

    /// Drops the rows of connectors no longer configured as they were.
    pub fn prune(&mut self, live: &[String]) -> Vec<String> {
        let (keep, gone): (Vec<Row>, Vec<Row>) = std::mem::take(&mut self.rows).into_iter().partition(|r| live.contains(&r.config));
        self.rows = keep;
        gone.into_iter().map(|r| r.key).collect()
    }

    /// Forgets a key (deleted, or found unreadable).
    pub fn forget(&mut self, key: &str) {
        self.rows.retain(|r| r.key != key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::retry::POLICY;
    use crate::client::test_rng::Rng;
    use crate::config::ConnectorKind;
    use crate::identify::{IdKind, Source};
    use crate::secret::Secret;

    fn cfg(key: &str) -> ConnectorConfig {
        ConnectorConfig::demo("c1", "Acme CRM", "https://crm.example", key)
    }

    fn id(v: &str) -> Candidate {
        Candidate { value: v.into(), kind: IdKind::Email, source: Source::MailtoLink, score: 1, sensitive: false, label: None }
    }

    fn customer(name: &str) -> Customer {
        Customer { id: format!("id-{name}"), name: name.into(), emails: vec![format!("{name}@shop.example")], ..Customer::default() }
    }

    fn answer(names: &[&str]) -> Answer {
        Answer { customers: names.iter().map(|n| customer(n)).collect(), near_misses: 0, total: None, provenance: Vec::new() }
    }

    const TTL: f64 = 600_000.0;

    #[test]
    fn any_edit_of_a_connector_changes_its_hash_and_none_leaks_the_key() {
        let base = cfg("key-one-secret");
        let h = config_hash(&base);
        assert_eq!(h, config_hash(&base.clone()), "stable");
        assert_eq!(h.len(), 32);
        assert!(!h.contains("key-one-secret"));
        let edits: Vec<ConnectorConfig> = vec![
            cfg("key-two-secret"),
            ConnectorConfig { base_url: "https://crm2.example".into(), ..base.clone() },
            ConnectorConfig { kind: ConnectorKind::HubSpot, ..base.clone() },
            ConnectorConfig { id: "c2".into(), ..base.clone() },
            ConnectorConfig { pick: crate::merge::PickPolicy::EarliestCreated, ..base.clone() },
            ConnectorConfig { plain_http_host: Some("crm.example".into()), ..base.clone() },
            ConnectorConfig { secrets: [("client_secret".to_string(), Secret::new("s"))].into(), ..base.clone() },
        ];
        for e in &edits {
            assert_ne!(config_hash(e), h, "{e:?}");
        }
        // The label is what the agent reads, not what the CRM answers.
        assert_eq!(config_hash(&ConnectorConfig { label: "Renamed".into(), ..base.clone() }), h);
        // Keys of different identifiers and connectors never collide; no identifier in a key.
        let k = entry_key(&h, &id("mia@shop.example"));
        assert!(k.starts_with(ENTRY_PREFIX) && !k.contains("mia"));
        assert_ne!(k, entry_key(&h, &id("mia@shop.example2")));
        assert_ne!(k, entry_key(&config_hash(&edits[0]), &id("mia@shop.example")));
        assert_ne!(k, entry_key(&h, &Candidate { kind: IdKind::CustomerId, ..id("mia@shop.example") }));
    }

    #[test]
    fn fresh_then_stale_then_gone() {
        let e = on_success("h", answer(&["mia"]), 1_000.0);
        assert_eq!(decide(None, 0.0, TTL), Decision::Miss);
        assert_eq!(decide(Some(&e), 1_000.0, TTL), Decision::Fresh);
        assert_eq!(decide(Some(&e), 1_000.0 + TTL - 1.0, TTL), Decision::Fresh);
        assert_eq!(decide(Some(&e), 1_000.0 + TTL, TTL), Decision::Stale);
        assert_eq!(decide(Some(&e), 1_000.0 + MAX_STALE_MS - 1.0, TTL), Decision::Stale);
        assert_eq!(decide(Some(&e), 1_000.0 + MAX_STALE_MS, TTL), Decision::Miss);
        // TTL 0: always refreshed, still shown while it is.
        assert_eq!(decide(Some(&e), 1_000.0, 0.0), Decision::Stale);
        // A clock set back: stale, not fresh forever.
        assert_eq!(decide(Some(&e), 0.0, TTL), Decision::Stale);
        // The records carry when they were fetched.
        assert!(e.answer().unwrap().customers.iter().all(|c| c.fetched_ms == 1_000.0));
        // Not-found answers are kept too (no lookup storm for unknown customers).
        assert_eq!(decide(Some(&on_success("h", answer(&[]), 0.0)), 10.0, TTL), Decision::Fresh);
    }

    #[test]
    fn a_failure_holds_retries_and_keeps_the_last_answer_unless_the_key_was_rejected() {
        let ok = on_success("h", answer(&["mia"]), 0.0);
        let down = on_failure(Some(ok.clone()), "h", LookupError::Timeout, TTL + 5.0, &POLICY, 0.5);
        assert_eq!(down.fetched_ms, 0.0);
        assert!(down.answer.is_some(), "the last record is shown stale");
        let Decision::Hold { retry_in_ms } = decide(Some(&down), TTL + 5.0, TTL) else { panic!() };
        assert!((2_500..=5_000).contains(&retry_in_ms));
        assert_eq!(decide(Some(&down), TTL + 5.0 + retry_in_ms as f64, TTL), Decision::Stale);
        // Failures in a row back off further.
        let again = on_failure(Some(down.clone()), "h", LookupError::Timeout, 2.0 * TTL, &POLICY, 0.5);
        assert_eq!(again.failure.as_ref().unwrap().count, 2);
        assert!(again.failure.as_ref().unwrap().retry_at_ms - 2.0 * TTL >= 5_000.0);
        // A rejected key: nothing of the old answer stays, and no retry for a while.
        let revoked = on_failure(Some(ok.clone()), "h", LookupError::Unauthorized { status: 401 }, 10.0, &POLICY, 0.5);
        assert!(revoked.answer.is_none());
        assert_eq!(decide(Some(&revoked), 10.0 + 60_000.0, TTL), Decision::Hold { retry_in_ms: 15 * 60_000 - 60_000 });
        // A 120 s rate limit holds every new lookup of it for 120 s.
        let limited = on_failure(None, "h", LookupError::RateLimited { retry_after_secs: Some(120) }, 0.0, &POLICY, 0.5);
        assert_eq!(decide(Some(&limited), 1.0, TTL), Decision::Hold { retry_in_ms: 119_999 });
        // Success clears the failure.
        assert_eq!(on_success("h", answer(&["mia"]), 1.0).failure, None);
        // An entry of an older config is not carried over.
        assert!(on_failure(Some(ok), "other", LookupError::Timeout, 1.0, &POLICY, 0.5).answer.is_none());
    }

    #[test]
    fn related_items_are_kept_per_record() {
        let e = on_success("h", answer(&["mia", "max"]), 0.0);
        assert!(!e.related_done("id-mia"));
        let mut mia = customer("mia");
        mia.notes.push(crate::model::Note { text: "VIP".into(), ..Default::default() });
        let e = e.with_related(&mia);
        assert!(e.related_done("id-mia") && !e.related_done("id-max"));
        assert_eq!(e.answer().unwrap().customers[0].notes.len(), 1);
        // The company a follow-up found (a Zendesk organization) is kept too:
        // a record shown from the cache has it.
        assert_eq!(e.answer().unwrap().customers[1].company, None);
        let mut max = customer("max");
        max.company = Some("Globex GmbH".into());
        let e = e.with_related(&max);
        assert_eq!(e.answer().unwrap().customers[1].company.as_deref(), Some("Globex GmbH"));
        // A record that is not in the answer changes nothing.
        let e2 = e.clone().with_related(&customer("eve"));
        assert_eq!(e2, e);
    }

    #[test]
    fn a_failed_follow_up_is_kept_with_the_answer_until_its_retry_time() {
        let e = on_success("h", answer(&["mia", "max"]), 0.0);
        let mut mia = customer("mia");
        mia.notes.push(crate::model::Note { text: "kept".into(), ..Default::default() });
        let failed = vec![(Some("deals".to_string()), LookupError::Unauthorized { status: 403 })];
        let e = e.with_related_failure(&mia, failed.clone(), 5_000.0);
        assert_eq!(e.related_failure("id-mia", 4_999.0), Some(failed.as_slice()), "held: not sent again");
        assert_eq!(e.related_failure("id-mia", 5_000.0), None, "then sent again");
        assert_eq!(e.related_failure("id-max", 0.0), None);
        assert!(!e.related_done("id-mia"));
        assert_eq!(e.answer().unwrap().customers[0].notes.len(), 1, "what did arrive is kept");
        // It survives storage (an entry is JSON in storage.local).
        let back: Entry = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(back, e);
        // A later success replaces the failure.
        let e = e.with_related(&mia);
        assert!(e.related_done("id-mia"));
        assert_eq!(e.related_failure("id-mia", 0.0), None);
        // Entries written before this field existed still read.
        let old = r#"{"config":"h","fetched_ms":0,"answer":{"customers":[],"near_misses":0,"total":null,"related_done":[]},"failure":null}"#;
        assert!(serde_json::from_str::<Entry>(old).is_ok());
    }

    #[test]
    fn the_cache_stays_within_its_bounds_and_drops_old_connectors() {
        let limits = CacheLimits { max_entries: 50, max_bytes: 20_000, max_entry_bytes: 5_000 };
        let mut rng = Rng::new(1);
        let mut index = Index::default();
        let mut stored: std::collections::BTreeSet<String> = Default::default();
        let live = vec!["a".to_string(), "b".to_string()];
        for i in 0..5_000 {
            let key = format!("lc:{}", (rng.next() * 200.0) as u32);
            let bytes = 1 + (rng.next() * 4_999.0) as usize;
            assert!(Index::fits(bytes, &limits));
            let config = if rng.next() < 0.5 { "a" } else { "b" };
            let gone = index.admit(&key, config, bytes, i as f64, &live, &limits);
            stored.insert(key.clone());
            for g in &gone {
                assert_ne!(g, &key, "the entry just written is evicted");
                stored.remove(g);
            }
            assert!(index.rows.len() <= limits.max_entries && index.bytes() <= limits.max_bytes);
            // The index and what is stored agree: nothing is left behind.
            assert_eq!(stored.len(), index.rows.len());
        }
        // The admin edits connector "a": its entries all go at the next write.
        let gone = index.admit("lc:new", "b", 10, 1e9, &["b".to_string()], &limits);
        assert!(index.rows.iter().all(|r| r.config == "b"));
        assert!(!gone.is_empty());
        assert!(!Index::fits(5_001, &limits));
    }

    #[test]
    fn an_answer_echoing_a_secret_is_detected() {
        let key = "sk_live_0123456789";
        let mut c = customer("mia");
        let json = |c: &Customer| serde_json::to_string(&on_success("h", Answer { customers: vec![c.clone()], ..Answer::default() }, 0.0)).unwrap();
        assert!(!holds_secret(&json(&c), &[key, "tok-abcdef"]));
        c.notes.push(crate::model::Note { text: format!("debug: key={key}"), ..Default::default() });
        assert!(holds_secret(&json(&c), &[key]));
        let mut d = customer("mia");
        d.custom.push(crate::model::CustomField { label: "t".into(), value: "tok-abc\"def".into(), kind: Default::default() });
        assert!(holds_secret(&json(&d), &["tok-abc\"def"]), "found also when escaped in JSON");
        assert!(!holds_secret(&json(&d), &[""]), "an empty secret matches nothing");
    }
}
