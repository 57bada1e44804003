//! Forwarding the audit trail to an HTTPS endpoint the admin sets
//! (`Settings::audit_forward_url`): entries are queued as they are made,
//! sent in batches by the background, retried with capped exponential
//! backoff and full jitter while the endpoint is down, and never block a
//! panel. The queue is bounded: past [`QUEUE_CAP`] entries the oldest go and
//! are counted (`dropped`), so a long outage costs memory once, not forever.
//!
//! Every decision is here (what is due, the batch's body, what an answer
//! means, when to try again); the wasm crate keeps the queue in
//! `storage.local` under [`FORWARD_KEY`] and performs the request. A batch
//! carries an id made of the install and its first entry's sequence number
//! (also in the `Idempotency-Key` header): an answer lost after the endpoint
//! stored the batch makes the retry a duplicate the endpoint can recognise.

use crate::audit::{subject_hash, AuditEntry};
use crate::connector::{HttpRequest, Method, Redact};
use crate::weburl::BaseUrl;
use serde::{Deserialize, Serialize};

/// The `storage.local` key of the queue.
pub const FORWARD_KEY: &str = "audit_forward";
/// At most this many entries wait; the oldest go first.
pub const QUEUE_CAP: usize = 5_000;
/// At most this many entries per request.
pub const BATCH_MAX: usize = 100;
/// The first retry waits up to this long (full jitter)…
pub const BACKOFF_BASE_MS: u64 = 2_000;
/// …doubling per failure in a row, up to this.
pub const BACKOFF_CAP_MS: u64 = 5 * 60_000;
/// An endpoint's `Retry-After` is honoured up to this.
pub const RETRY_AFTER_CAP_SECS: u32 = 3_600;
/// The body's format name and version.
pub const FORMAT: &str = "deskside-audit/1";

/// The entries waiting to be forwarded, and how forwarding goes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Queue {
    pub pending: Vec<AuditEntry>,
    /// The sequence number of `pending[0]` (every entry ever queued has one).
    pub first_seq: u64,
    /// Failed attempts in a row.
    pub failures: u32,
    /// No attempt before this (ms since the epoch).
    pub next_try_ms: f64,
    /// Entries delivered, and entries dropped because the queue was full.
    pub sent: u64,
    pub dropped: u64,
    /// Why the last attempt failed (technical, for the admin), if it did.
    pub last_error: Option<String>,
}

/// How forwarding goes, for the options page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ForwardStatus {
    pub sent: u64,
    pub waiting: usize,
    pub dropped: u64,
    pub last_error: Option<String>,
}

/// One request's worth: the first `count` pending entries, starting at `seq`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Batch {
    pub seq: u64,
    pub count: usize,
}

impl Queue {
    /// Queues entries (in order); the oldest go past [`QUEUE_CAP`].
    pub fn enqueue(&mut self, entries: impl IntoIterator<Item = AuditEntry>) {
        self.pending.extend(entries);
        if self.pending.len() > QUEUE_CAP {
            let over = self.pending.len() - QUEUE_CAP;
            self.pending.drain(..over);
            self.first_seq += over as u64;
            self.dropped += over as u64;
        }
    }

    pub fn status(&self) -> ForwardStatus {
        ForwardStatus { sent: self.sent, waiting: self.pending.len(), dropped: self.dropped, last_error: self.last_error.clone() }
    }

    /// The batch to send at `now_ms`, if any is due.
    pub fn due(&self, now_ms: f64) -> Option<Batch> {
        (!self.pending.is_empty() && now_ms >= self.next_try_ms).then(|| Batch { seq: self.first_seq, count: self.pending.len().min(BATCH_MAX) })
    }

    /// The endpoint stored `batch`: its entries leave the queue (those the
    /// cap dropped meanwhile already have), and the backoff resets.
    pub fn delivered(&mut self, batch: Batch, now_ms: f64) {
        let end = batch.seq + batch.count as u64;
        let gone = end.saturating_sub(self.first_seq).min(self.pending.len() as u64) as usize;
        self.pending.drain(..gone);
        self.first_seq += gone as u64;
        self.sent += batch.count as u64;
        self.failures = 0;
        self.next_try_ms = now_ms;
        self.last_error = None;
    }

    /// An attempt failed (`why`, technical): nothing leaves the queue; the
    /// next attempt waits a capped exponential backoff with full jitter
    /// (`random` in [0, 1)), at least a second, at least the endpoint's
    /// `Retry-After` (capped). Returns the wait in ms.
    pub fn failed(&mut self, now_ms: f64, random: f64, why: String, retry_after_secs: Option<u32>) -> u64 {
        self.failures = self.failures.saturating_add(1);
        let ceiling = (BACKOFF_BASE_MS << self.failures.saturating_sub(1).min(20)).min(BACKOFF_CAP_MS);
        let jittered = (ceiling as f64 * random.clamp(0.0, 1.0)) as u64;
        let asked = u64::from(retry_after_secs.unwrap_or(0).min(RETRY_AFTER_CAP_SECS)) * 1000;
        let wait = jittered.max(1_000).max(asked);
        self.next_try_ms = now_ms + wait as f64;
        self.last_error = Some(why.chars().take(300).collect());
        wait
    }
}

/// The install's id in batch ids: a hash of the audit salt (the salt
/// itself never leaves the browser).
pub fn install_id(salt: &str) -> String {
    subject_hash(salt, "deskside-install")
}

/// The id of a batch: the install and the first entry's sequence number.
pub fn batch_id(install: &str, batch: Batch) -> String {
    format!("{install}-{}", batch.seq)
}

/// The body of a batch: `{"format","batch_id","install","first_seq","entries"}`.
/// The entries are as the trail keeps them: an identifier only as its kind
/// and salted hash.
pub fn body(queue: &Queue, batch: Batch, install: &str) -> String {
    let entries: Vec<&AuditEntry> = queue.pending.iter().take(batch.count).collect();
    serde_json::json!({
        "format": FORMAT,
        "batch_id": batch_id(install, batch),
        "install": install,
        "first_seq": batch.seq,
        "entries": entries,
    })
    .to_string()
}

/// The POST for a batch to the admin's endpoint (validated by
/// [`crate::config`]; `None` when it is not, or not set).
pub fn request(endpoint: &str, queue: &Queue, batch: Batch, install: &str) -> Option<HttpRequest> {
    if endpoint.trim().is_empty() {
        return None;
    }
    let b = BaseUrl::parse(endpoint).ok()?;
    let url = format!("{}{}", b.origin(), if b.path.is_empty() { "/" } else { b.path.as_str() });
    Some(HttpRequest {
        method: Method::Post,
        url,
        headers: vec![("Content-Type".into(), "application/json".into()), ("Idempotency-Key".into(), batch_id(install, batch))],
        body: Some(body(queue, batch, install)),
        redact: Redact::default(),
    })
}

/// Whether the endpoint took the batch: any 2xx (a redirect is not followed
/// and is not a delivery).
pub fn accepted(status: u16, redirected: bool) -> bool {
    (200..300).contains(&status) && !redirected
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::test_rng::Rng;

    fn entry(i: u64) -> AuditEntry {
        AuditEntry { at_ms: i as f64, connector: "crm".into(), action: "lookup".into(), id_kind: "email".into(), subject_hash: format!("h{i}"), outcome: "found:1".into(), ..Default::default() }
    }

    #[test]
    fn batches_go_in_order_and_leave_the_queue_only_when_delivered() {
        let mut q = Queue::default();
        assert_eq!(q.due(0.0), None, "nothing to send");
        q.enqueue((0..250).map(entry));
        let b = q.due(0.0).unwrap();
        assert_eq!(b, Batch { seq: 0, count: BATCH_MAX });
        // Down: nothing is lost, the next try waits.
        let wait = q.failed(1_000.0, 0.0, "503".into(), None);
        assert_eq!(wait, 1_000, "never an immediate retry");
        assert_eq!(q.pending.len(), 250);
        assert_eq!(q.due(1_500.0), None);
        assert_eq!(q.due(2_000.0), Some(b), "the same batch again: the endpoint can tell by its id");
        q.delivered(b, 2_000.0);
        assert_eq!((q.pending.len(), q.first_seq, q.sent, q.failures), (150, 100, 100, 0));
        assert_eq!(q.pending[0].subject_hash, "h100");
        let b2 = q.due(2_000.0).unwrap();
        q.delivered(b2, 2_000.0);
        let b3 = q.due(2_000.0).unwrap();
        assert_eq!(b3, Batch { seq: 200, count: 50 });
        q.delivered(b3, 2_000.0);
        assert!(q.pending.is_empty() && q.due(9e9).is_none());
        assert_eq!(q.sent, 250);
    }

    #[test]
    fn the_queue_is_bounded_and_counts_what_it_drops() {
        let mut q = Queue::default();
        q.enqueue((0..QUEUE_CAP as u64 + 7).map(entry));
        assert_eq!((q.pending.len(), q.dropped, q.first_seq), (QUEUE_CAP, 7, 7));
        assert_eq!(q.pending[0].subject_hash, "h7", "the oldest went");
        // Entries dropped while a batch was on its way: delivery removes only what is left of it.
        let b = q.due(0.0).unwrap();
        q.enqueue((0..10).map(|i| entry(100_000 + i)));
        assert_eq!(q.first_seq, 17);
        q.delivered(b, 0.0);
        assert_eq!(q.first_seq, b.seq + b.count as u64);
        assert_eq!(q.pending.len(), QUEUE_CAP - (b.count - 10));
    }

    #[test]
    fn backoff_is_capped_jittered_and_honours_retry_after() {
        let mut rng = Rng::new(7);
        let mut q = Queue::default();
        q.enqueue([entry(1)]);
        for n in 1..=30u32 {
            let w = q.failed(0.0, rng.next(), "down".into(), None);
            let ceiling = (BACKOFF_BASE_MS << (n - 1).min(20)).min(BACKOFF_CAP_MS);
            assert!(w >= 1_000 && w <= ceiling.max(1_000), "{n}: {w}");
        }
        assert_eq!(q.failures, 30);
        assert_eq!(q.failed(0.0, 0.0, "429".into(), Some(120)), 120_000);
        assert_eq!(q.failed(0.0, 0.0, "429".into(), Some(999_999)), u64::from(RETRY_AFTER_CAP_SECS) * 1000, "capped");
        q.failed(0.0, 0.0, "x".repeat(1000), None);
        assert_eq!(q.last_error.as_ref().map(String::len), Some(300), "the reason kept is short");
    }

    #[test]
    fn the_request_is_a_json_post_to_the_endpoint_only() {
        let mut q = Queue::default();
        q.enqueue((0..3).map(entry));
        let b = q.due(0.0).unwrap();
        let install = install_id("0123456789abcdef0123");
        assert_eq!(install.len(), 32);
        assert!(!install.contains("0123456789abcdef0123"));
        let r = request("https://audit.example.com/ingest/deskside", &q, b, &install).unwrap();
        assert_eq!((r.method, r.url.as_str()), (Method::Post, "https://audit.example.com/ingest/deskside"));
        assert!(r.headers.contains(&("Idempotency-Key".to_string(), format!("{install}-0"))));
        let v: serde_json::Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
        assert_eq!(v["format"], FORMAT);
        assert_eq!(v["entries"].as_array().unwrap().len(), 3);
        assert_eq!(v["entries"][2]["subject_hash"], "h2");
        assert_eq!(request("http://127.0.0.1:9/x", &q, b, &install).unwrap().url, "http://127.0.0.1:9/x");
        assert_eq!(request("https://audit.example.com", &q, b, &install).unwrap().url, "https://audit.example.com/");
        for bad in ["", "http://audit.example.com/x", "https://user@audit.example.com/", "ftp://x.example/", "https://audit.example.com/?k=v"] {
            assert!(request(bad, &q, b, &install).is_none(), "{bad}");
        }
        assert!(accepted(200, false) && accepted(204, false));
        assert!(!accepted(200, true) && !accepted(301, false) && !accepted(500, false) && !accepted(429, false));
    }
}
