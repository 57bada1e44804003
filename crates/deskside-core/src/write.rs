//! Write-back operations, exactly once: the state machine of one note or
//! task written to a CRM (`connector::writes` builds its requests).
//!
//! An operation has an id and is recorded (the background keeps it in
//! `storage.local`) **before** it is sent. When its answer is lost (a
//! timeout, the connection dropped, a 408/429/5xx after the request went
//! out, the service worker stopped) it is `Unknown`, and is checked (a
//! `verify` request looking for the marker the note carries, or, for a
//! vendor with an idempotency key, the same request with the same key)
//! before it is ever sent again. 400, 401, 403, 409, 422 and every other
//! 4xx but 408 and 429 end it: never retried. One exception: a 401 to a
//! connector that holds an access token (OAuth) renews the token, as lookups
//! do, and the write is sent once more (a 401 is a definite answer: nothing
//! was written); a second 401 ends it.
//!
//! "Apply priority" (`WriteKind::Priority`) sets a ticket's priority or tag:
//! idempotent by nature, so a lost answer is checked by sending the same
//! value again (as with an idempotency key).
//!
//! Pure: the time (`now_ms`) and the random number of the backoff's
//! jitter come from the caller.
//!
//! ```text
//!  queued ─send─▶ sending ─2xx──────────────────────────▶ done{link}
//!                   │ 4xx (not 408/429) ────────────────▶ failed{reason, retry: no}
//!                   │ lost: timeout, dropped, 408/429/5xx, worker stopped
//!                   ▼
//!                unknown ─check─▶ checking ─found─▶ done
//!                   ▲                 │ not found ─▶ resend (after backoff) ─send─▶ sending
//!                   └── check failed ─┘ (checks used up, sends used up ─▶ failed{retry: yes})
//! ```

use crate::client::retry::{backoff_ms, rate_limit_wait_ms, RetryPolicy};
use crate::connector::writes::{Created, WriteInput, WriteKind};
use crate::connector::LookupError;
use crate::i18n::{data, Arg, Msg, Text};
use serde::{Deserialize, Serialize};

/// Where the background keeps the operations (`storage.local`).
pub const WRITES_KEY: &str = "write_ops";
/// At most this many operations are kept; finished ones go first.
pub const MAX_OPS: usize = 100;
/// Sends of one operation (the first one included) before it fails.
pub const MAX_SENDS: u32 = 3;
/// Checks in a row that could not answer before the operation fails
/// (retryable: Retry checks again first).
pub const MAX_CHECKS: u32 = 4;

/// Stored in the write journal as `{"state": "failed", "reason": …}`; read
/// through [`WriteStateForm`], one flat struct, not serde's derived
/// internally tagged reader, which buffers through `Content` (issue 23).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case", try_from = "WriteStateForm")]
pub enum WriteState {
    /// Recorded, not sent yet.
    Queued,
    /// The request is out (recorded as such before it went).
    Sending,
    /// Landed: what it created.
    Done { created: Created },
    /// Ended without landing (or, with `unconfirmed`, without knowing):
    /// `retryable` says whether the agent may try again.
    Failed {
        reason: Text,
        retryable: bool,
        /// The last send's fate is unknown: Retry checks before sending.
        #[serde(default)]
        unconfirmed: bool,
    },
    /// The answer was lost: whether it landed is checked at `next_ms`.
    Unknown { reason: Text },
    /// The check is out.
    Checking,
    /// Checked: it did not land; sent again at `next_ms`.
    Resend,
}

/// A stored [`WriteState`] as written: its `state` and every variant's
/// fields side by side.
#[derive(Deserialize)]
pub struct WriteStateForm {
    state: String,
    created: Option<Created>,
    reason: Option<Text>,
    retryable: Option<bool>,
    #[serde(default)]
    unconfirmed: bool,
}

impl TryFrom<WriteStateForm> for WriteState {
    type Error = String;
    fn try_from(f: WriteStateForm) -> Result<Self, String> {
        use crate::connector::required;
        Ok(match f.state.as_str() {
            "queued" => WriteState::Queued,
            "sending" => WriteState::Sending,
            "done" => WriteState::Done { created: required(f.created, "created")? },
            "failed" => WriteState::Failed { reason: required(f.reason, "reason")?, retryable: required(f.retryable, "retryable")?, unconfirmed: f.unconfirmed },
            "unknown" => WriteState::Unknown { reason: required(f.reason, "reason")? },
            "checking" => WriteState::Checking,
            "resend" => WriteState::Resend,
            other => return Err(format!("unknown variant `{other}`")),
        })
    }
}

impl WriteState {
    pub fn name(&self) -> &'static str {
        match self {
            WriteState::Queued => "queued",
            WriteState::Sending => "sending",
            WriteState::Done { .. } => "done",
            WriteState::Failed { .. } => "failed",
            WriteState::Unknown { .. } => "unknown",
            WriteState::Checking => "checking",
            WriteState::Resend => "resend",
        }
    }

    /// Done or failed: nothing more happens on its own.
    pub fn finished(&self) -> bool {
        matches!(self, WriteState::Done { .. } | WriteState::Failed { .. })
    }
}

/// How a connector finds out whether a write whose answer was lost landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckBy {
    /// A request that looks for the marker.
    Verify,
    /// Sending again with the same idempotency key is the check.
    IdempotencyKey,
}

/// One write operation, as kept in storage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteOp {
    /// `op-…`: its marker and idempotency key.
    pub id: String,
    /// The connector's id.
    pub connector: String,
    pub kind: WriteKind,
    pub input: WriteInput,
    pub state: WriteState,
    /// Times the request was sent.
    #[serde(default)]
    pub sends: u32,
    /// Checks since the last send that could not answer.
    #[serde(default)]
    pub checks: u32,
    pub created_ms: u64,
    pub updated_ms: u64,
    /// When the next step (check, resend) is due.
    #[serde(default)]
    pub next_ms: u64,
    /// Its outcome is in the audit trail.
    #[serde(default)]
    pub audited: bool,
    /// A 401 renewed the connector's access token once already.
    #[serde(default)]
    pub renewed: bool,
    /// The next send renews the access token first (after a 401).
    #[serde(default)]
    pub renew_token: bool,
}

/// Why an answer counts as lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lost {
    Timeout,
    /// The connection dropped, the network failed.
    Dropped,
    /// The service worker stopped with the request out.
    WorkerStopped,
}

/// What happened to an operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The request goes out now.
    Send,
    /// The answer to the send: its status, `Retry-After` in seconds, what
    /// a 2xx created.
    Answered { status: u16, retry_after_secs: Option<u32>, created: Created },
    /// No answer.
    Lost(Lost),
    /// A 401 from a connector that holds an access token it can renew.
    TokenRefused,
    /// The check goes out now.
    Check,
    /// The check found it.
    Found(Created),
    /// The check says it is not there.
    NotFound,
    /// The check could not answer.
    CheckFailed(LookupError),
    /// The agent's Retry on a failed operation.
    Retry,
    /// The service worker started again (or the panel opened): anything
    /// that was out when it stopped is unknown.
    Resumed,
    /// The request cannot be made (the connector's settings, the record):
    /// it never went out, and will not.
    Unsendable(Text),
    /// [`Step::GiveUp`].
    GiveUp,
}

/// What the background does next with an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Send,
    Check,
    /// Nothing until then (milliseconds since the epoch).
    WaitUntil(u64),
    /// Out already (a send or a check this worker is waiting for), or finished.
    Nothing,
    /// Unknown, and sent as often as it may be: it fails (unconfirmed).
    GiveUp,
}

/// An event that does not fit the state (a stale answer): ignored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ignored {
    pub state: &'static str,
}

impl WriteOp {
    /// A new operation, recorded `Queued`.
    pub fn new(id: &str, connector: &str, kind: WriteKind, input: WriteInput, now_ms: u64) -> WriteOp {
        WriteOp { id: id.into(), connector: connector.into(), kind, input, state: WriteState::Queued, sends: 0, checks: 0, created_ms: now_ms, updated_ms: now_ms, next_ms: now_ms, audited: false, renewed: false, renew_token: false }
    }

    /// What to do now. `check` is how this connector checks.
    pub fn next_step(&self, check: CheckBy, now_ms: u64) -> Step {
        let due = |then: Step| if now_ms >= self.next_ms { then } else { Step::WaitUntil(self.next_ms) };
        match &self.state {
            WriteState::Queued | WriteState::Resend => due(Step::Send),
            WriteState::Unknown { .. } => match check {
                CheckBy::Verify => due(Step::Check),
                CheckBy::IdempotencyKey if self.sends >= MAX_SENDS => Step::GiveUp,
                // The same key again: the vendor answers the first result.
                CheckBy::IdempotencyKey => due(Step::Send),
            },
            WriteState::Sending | WriteState::Checking | WriteState::Done { .. } | WriteState::Failed { .. } => Step::Nothing,
        }
    }

    /// Applies an event. `random` in `[0, 1)` is the backoff's jitter.
    pub fn apply(&mut self, event: Event, p: &RetryPolicy, now_ms: u64, random: f64) -> Result<(), Ignored> {
        let ignored = Ignored { state: self.state.name() };
        let next = match (&self.state, event) {
            (WriteState::Queued | WriteState::Resend | WriteState::Unknown { .. }, Event::Send) => {
                self.sends += 1;
                self.checks = 0;
                self.renew_token = false;
                WriteState::Sending
            }
            // Refused before anything was written: renew the token and send
            // once more, once.
            (WriteState::Sending, Event::TokenRefused) if !self.renewed => {
                self.renewed = true;
                self.renew_token = true;
                self.next_ms = now_ms;
                WriteState::Resend
            }
            (WriteState::Sending, Event::TokenRefused) => WriteState::Failed { reason: refused(401), retryable: false, unconfirmed: false },
            (WriteState::Sending, Event::Answered { status, retry_after_secs, created }) => match status {
                200..=299 => WriteState::Done { created },
                408 | 429 | 500..=599 => {
                    self.next_ms = now_ms + wait_ms(p, status, retry_after_secs, self.sends, random);
                    WriteState::Unknown { reason: Text::new(Msg::WriteLostStatus, [data(status)]) }
                }
                s => WriteState::Failed { reason: refused(s), retryable: false, unconfirmed: false },
            },
            (WriteState::Sending, Event::Lost(why)) => {
                // A worker that stopped checks at once; a timeout or a drop
                // after a short wait (the server may still be committing).
                self.next_ms = now_ms + if why == Lost::WorkerStopped { 0 } else { backoff_ms(p.base_ms, p.cap_ms, self.sends, random) };
                WriteState::Unknown { reason: lost_reason(why) }
            }
            (WriteState::Unknown { .. }, Event::Check) => WriteState::Checking,
            (WriteState::Checking, Event::Found(created)) => WriteState::Done { created },
            (WriteState::Checking, Event::NotFound) => {
                if self.sends >= MAX_SENDS {
                    WriteState::Failed { reason: Text::new(Msg::WriteGaveUp, [data(self.sends)]), retryable: true, unconfirmed: false }
                } else {
                    self.next_ms = now_ms + backoff_ms(p.base_ms, p.cap_ms, self.sends, random);
                    WriteState::Resend
                }
            }
            (WriteState::Checking, Event::CheckFailed(e)) => {
                self.checks += 1;
                let reason = Text::new(Msg::WriteUnconfirmed, [Arg::Text(e.user_message())]);
                if !e.retryable() || self.checks >= MAX_CHECKS {
                    WriteState::Failed { reason, retryable: true, unconfirmed: true }
                } else {
                    self.next_ms = now_ms
                        + match e {
                            LookupError::RateLimited { retry_after_secs } => rate_limit_wait_ms(p, retry_after_secs),
                            _ => backoff_ms(p.base_ms, p.cap_ms, self.checks, random).max(u64::from(p.base_ms)),
                        };
                    WriteState::Unknown { reason }
                }
            }
            (WriteState::Failed { retryable: true, unconfirmed, .. }, Event::Retry) => {
                let unconfirmed = *unconfirmed;
                self.sends = 0;
                self.checks = 0;
                self.renewed = false;
                self.next_ms = now_ms;
                if unconfirmed { WriteState::Unknown { reason: Msg::WriteRetryChecking.into() } } else { WriteState::Resend }
            }
            (WriteState::Sending, Event::Resumed) => {
                self.next_ms = now_ms;
                WriteState::Unknown { reason: lost_reason(Lost::WorkerStopped) }
            }
            (WriteState::Checking, Event::Resumed) => {
                self.next_ms = now_ms;
                WriteState::Unknown { reason: lost_reason(Lost::WorkerStopped) }
            }
            // Never out: what an earlier send did is as known as it was
            // (a retry of an unknown one checks first).
            (WriteState::Queued | WriteState::Resend, Event::Unsendable(reason)) => WriteState::Failed { reason, retryable: false, unconfirmed: false },
            (WriteState::Unknown { .. }, Event::Unsendable(reason)) => WriteState::Failed { reason, retryable: true, unconfirmed: true },
            (WriteState::Sending, Event::Unsendable(reason)) => {
                let unconfirmed = self.sends > 1;
                WriteState::Failed { reason, retryable: unconfirmed, unconfirmed }
            }
            (WriteState::Unknown { reason }, Event::GiveUp) => WriteState::Failed { reason: Text::new(Msg::WriteUnconfirmed, [Arg::Text(reason.clone())]), retryable: true, unconfirmed: true },
            // Nothing was out: nothing to resume.
            (WriteState::Queued | WriteState::Unknown { .. } | WriteState::Resend | WriteState::Done { .. } | WriteState::Failed { .. }, Event::Resumed) => return Ok(()),
            _ => return Err(ignored),
        };
        self.state = next;
        self.updated_ms = now_ms;
        Ok(())
    }

    /// The audit entry's outcome once finished: `done`, `done:checked`
    /// (found by the check), `failed:422`…
    pub fn outcome(&self) -> Option<String> {
        match &self.state {
            WriteState::Done { .. } => Some(if self.sends > 1 || self.checks > 0 { format!("done:sends={}", self.sends) } else { "done".into() }),
            WriteState::Failed { reason, unconfirmed, .. } => Some(format!("failed:{}{}", reason.id.key(), if *unconfirmed { ":unconfirmed" } else { "" })),
            _ => None,
        }
    }
}

fn wait_ms(p: &RetryPolicy, status: u16, retry_after_secs: Option<u32>, sends: u32, random: f64) -> u64 {
    let jitter = backoff_ms(p.base_ms, p.cap_ms, sends, random);
    if status == 429 { rate_limit_wait_ms(p, retry_after_secs).max(jitter) } else { jitter }
}

fn lost_reason(why: Lost) -> Text {
    match why {
        Lost::Timeout => Msg::WriteLostTimeout.into(),
        Lost::Dropped => Msg::WriteLostNetwork.into(),
        Lost::WorkerStopped => Msg::WriteLostWorker.into(),
    }
}

fn refused(status: u16) -> Text {
    match status {
        401 | 403 => Text::new(Msg::ErrUnauthorized, [data(status)]),
        s => Text::new(Msg::WriteRefused, [data(s)]),
    }
}

/// Classifies what a send's fetch gave: an answer (its status) or a lost
/// one. A `LookupError` from the request layer maps to the event the state
/// machine takes.
pub fn event_for_error(e: &LookupError) -> Event {
    match e {
        LookupError::Timeout => Event::Lost(Lost::Timeout),
        LookupError::Network { .. } => Event::Lost(Lost::Dropped),
        LookupError::Server { status } => Event::Answered { status: *status, retry_after_secs: None, created: Created::default() },
        LookupError::Unauthorized { status } | LookupError::MissingPermission { status, .. } => Event::Answered { status: *status, retry_after_secs: None, created: Created::default() },
        LookupError::RateLimited { retry_after_secs } => Event::Answered { status: 429, retry_after_secs: *retry_after_secs, created: Created::default() },
        // Answered, but the answer could not be read (too large, cut off):
        // whether it landed is not known.
        LookupError::BadResponse { .. } => Event::Lost(Lost::Dropped),
        // The browser would not send it (a header it refuses): never out.
        LookupError::Config { message } => Event::Unsendable(message.clone()),
    }
}

/// Keeps at most `max` operations: unfinished ones always (they hold a
/// promise to the agent), then the newest finished ones.
pub fn prune(ops: &mut Vec<WriteOp>, max: usize) {
    if ops.len() <= max {
        return;
    }
    let mut finished: Vec<(u64, String)> = ops.iter().filter(|o| o.state.finished()).map(|o| (o.updated_ms, o.id.clone())).collect();
    crate::sort::sort(&mut finished);
    let excess = ops.len() - max;
    let drop: Vec<String> = finished.into_iter().take(excess).map(|(_, id)| id).collect();
    ops.retain(|o| !drop.contains(&o.id));
}

/// How the panel shows one operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteView {
    pub id: String,
    pub kind: WriteKind,
    /// `sending` (also while checking), `checking`, `done`, `failed`.
    pub shown: String,
    /// What it is: the note's subject or the task's.
    pub summary: String,
    /// Done: the link to it in the CRM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Failed, or checking: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Text>,
    /// Failed and may be tried again.
    #[serde(default)]
    pub retry: bool,
}

impl WriteOp {
    pub fn view(&self) -> WriteView {
        let (shown, link, reason, retry) = match &self.state {
            WriteState::Queued | WriteState::Sending | WriteState::Resend => ("sending", None, None, false),
            WriteState::Unknown { reason } => ("checking", None, Some(reason.clone()), false),
            WriteState::Checking => ("checking", None, None, false),
            WriteState::Done { created } => ("done", created.link.clone(), None, false),
            WriteState::Failed { reason, retryable, .. } => ("failed", None, Some(reason.clone()), *retryable),
        };
        let summary = match self.kind {
            // The value set, on the ticket.
            WriteKind::Priority => self.input.priority.clone(),
            _ if self.input.subject.is_empty() => self.input.text.chars().take(80).collect(),
            _ => self.input.subject.clone(),
        };
        WriteView { id: self.id.clone(), kind: self.kind, shown: shown.into(), summary, link, reason, retry }
    }
}

// ---- one connector's writes, from its settings ----

use crate::config::{ConnectorConfig, Settings};
use crate::connector::engine::Stamp;
use crate::connector::writes::{self as w, WriteCheck};
use crate::connector::{HttpRequest, HttpResponse};
use crate::secret::Secret;

/// How the connector checks a lost answer (`None`: it cannot write `kind`).
pub fn check_by(cfg: &ConnectorConfig, kind: WriteKind) -> Option<CheckBy> {
    cfg.definition()?.writes.get(kind).map(|d| match d.check {
        // Setting a value again is as safe as sending with the same key.
        WriteCheck::Idempotency { .. } | WriteCheck::Idempotent => CheckBy::IdempotencyKey,
        WriteCheck::Verify(_) => CheckBy::Verify,
    })
}

fn parts(cfg: &ConnectorConfig) -> Result<(&crate::connector::def::Definition, crate::weburl::BaseUrl), LookupError> {
    let base = cfg.base().map_err(|e| LookupError::Config { message: e.message().into() })?;
    let def = cfg.definition().ok_or(LookupError::Config { message: Msg::CfgEnterDefinition.into() })?;
    Ok((def, base))
}

/// The request that sends the operation.
pub fn send_request(cfg: &ConnectorConfig, token: Option<&Secret>, op: &WriteOp, stamp: &Stamp) -> Result<HttpRequest, LookupError> {
    let (def, base) = parts(cfg)?;
    w::build_write(def, &base, &cfg.all_secrets(), token, stamp, op.kind, &op.input, &op.id)
}

/// The request that checks it (`None`: the idempotency key is the check).
pub fn check_request(cfg: &ConnectorConfig, token: Option<&Secret>, op: &WriteOp, stamp: &Stamp) -> Option<Result<HttpRequest, LookupError>> {
    let (def, base) = match parts(cfg) {
        Ok(p) => p,
        Err(e) => return Some(Err(e)),
    };
    w::build_verify(def, &base, &cfg.all_secrets(), token, stamp, op.kind, &op.input.record_id, &op.input.record_type, &op.id)
}

/// The event of a send's outcome: an answer (a 2xx read for what it
/// created) or a lost one.
pub fn send_event(cfg: &ConnectorConfig, op: &WriteOp, result: &Result<HttpResponse, LookupError>) -> Event {
    match result {
        Err(e) => event_for_error(e),
        // A redirect is refused (the key never follows one): the write was
        // not made by this request's target.
        Ok(r) if r.redirected => Event::Answered { status: 302, retry_after_secs: None, created: Created::default() },
        // An access token the API refused: renewed once, as for lookups.
        Ok(r) if r.status == 401 && crate::connector::token_request(cfg).is_some() => Event::TokenRefused,
        Ok(r) => {
            let created = match (r.status, parts(cfg)) {
                (200..=299, Ok((def, base))) => w::read_created(def, op.kind, &base.origin(), &op.input.record_id, &r.body),
                _ => Created::default(),
            };
            Event::Answered { status: r.status, retry_after_secs: r.retry_after.as_deref().and_then(|v| v.parse().ok()), created }
        }
    }
}

/// The event of a check's outcome.
pub fn check_event(cfg: &ConnectorConfig, op: &WriteOp, url: &str, result: Result<HttpResponse, LookupError>) -> Event {
    let read = result.and_then(|r| {
        if r.redirected {
            return Err(LookupError::Config { message: Msg::LookupLeftOrigin.into() });
        }
        let (def, base) = parts(cfg)?;
        w::read_verify(def, op.kind, &base.origin(), &op.input.record_id, &op.id, url, &r)
    });
    match read {
        Ok(Some(created)) => Event::Found(created),
        Ok(None) => Event::NotFound,
        Err(e) => Event::CheckFailed(e),
    }
}

/// What the panel offers for one connector: each kind it can write, with
/// the fields it asks for, or why not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteForm {
    pub connector: String,
    pub label: String,
    pub note: FormKind,
    pub task: FormKind,
    /// "Apply priority": the value the one-click sets, when this connector
    /// can set the priority of this page's ticket (its id known from the
    /// page adapter). Offered for a VIP customer only ([`priority_offers`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply_priority: Option<String>,
    /// What the panel calls that value (the definition's `apply_label`, else the value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply_priority_label: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "is", rename_all = "snake_case")]
pub enum FormKind {
    Available {
        due: bool,
        owner: bool,
        priority: bool,
        #[serde(default)]
        priorities: Vec<String>,
    },
    /// Greyed out, with the reason.
    Unavailable { reason: Text },
}

/// The write forms of the enabled connectors. `ticket_id`: this page's
/// ticket, as its adapter reads the tab's URL (none: no "apply priority").
pub fn forms(settings: &Settings, ticket_id: Option<&str>) -> Vec<WriteForm> {
    settings
        .connectors
        .iter()
        .filter(|c| c.enabled)
        .map(|c| {
            let kind = |k: WriteKind| match c.definition().and_then(|d| d.writes.get(k)) {
                Some(d) => FormKind::Available { due: d.uses("due"), owner: d.uses("owner"), priority: d.uses("priority"), priorities: d.priorities.clone() },
                None => FormKind::Unavailable { reason: Text::new(Msg::WriteNotOffered, [data(&c.label)]) },
            };
            let priority = ticket_id.filter(|t| !t.is_empty()).and_then(|_| c.definition()?.writes.priority.as_ref());
            let apply_priority = priority.and_then(|p| p.apply.clone());
            let apply_priority_label = priority.and_then(|p| p.apply_label.clone().or_else(|| p.apply.clone()));
            WriteForm { connector: c.id.clone(), label: c.label.clone(), note: kind(WriteKind::Note), task: kind(WriteKind::Task), apply_priority, apply_priority_label }
        })
        .collect()
}

/// The ticket of a page as the background keeps it: its id by the
/// adapter's URL shapes applied to the URL the browser reported (`adapter`:
/// the one the content script used, counted only where it applies), and
/// the subject and status the adapter's elements showed (one line each,
/// at most 300 characters).
pub fn page_ticket(page_url: &str, adapter: Option<&str>, subject: &str, status: &str) -> (String, String, String) {
    // Control characters become spaces; runs of white space one space.
    let line = |s: &str| s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ").chars().take(crate::connector::writes::MAX_FIELD_CHARS).collect::<String>();
    let known = adapter.is_some_and(|id| crate::adapters::matching(page_url).iter().any(|r| r.adapter == id));
    let id = crate::adapters::ticket_id(page_url, adapter).unwrap_or_default();
    if known { (id, line(subject), line(status)) } else { (id, String::new(), String::new()) }
}

/// Where a note starts: the subject and status the page's adapter read,
/// else the page's title (and no status).
pub fn note_start(tab: Option<&crate::flow::TabState>, title: &str) -> (String, String) {
    match tab {
        Some(t) if !t.subject.is_empty() => (t.subject.clone(), t.status.clone()),
        Some(t) => (title.chars().take(crate::connector::writes::MAX_FIELD_CHARS).collect(), t.status.clone()),
        None => (title.chars().take(crate::connector::writes::MAX_FIELD_CHARS).collect(), String::new()),
    }
}

/// The "apply priority" buttons the panel shows: (connector, its label,
/// the value) for each connector that can set this ticket's priority, and
/// only when the customer matches one of the admin's VIP rules (`vip`: the
/// rule's name, as the panel's badge shows it).
pub fn priority_offers(forms: &[WriteForm], vip: Option<&str>) -> Vec<PriorityOffer> {
    if vip.is_none_or(|v| v.trim().is_empty()) {
        return Vec::new();
    }
    forms
        .iter()
        .filter_map(|f| {
            let value = f.apply_priority.clone()?;
            let shown = f.apply_priority_label.clone().unwrap_or_else(|| value.clone());
            Some(PriorityOffer { connector: f.connector.clone(), label: f.label.clone(), value, shown })
        })
        .collect()
}

/// The background's own check before an "apply priority" write is
/// recorded: the tab's customer, as the background itself shows it now
/// (`state`, from the same lookup and merge as the panel's), matches one of
/// the admin's current VIP rules. The panel's offer is not trusted: a
/// request naming a priority write for anyone else is refused with the reason.
pub fn priority_permitted(settings: &crate::config::Settings, state: &crate::panel::PanelState) -> Result<(), Text> {
    let vip = match state {
        crate::panel::PanelState::Found { customer: Some(c), .. } => c.vip.as_deref(),
        _ => None,
    };
    match vip {
        Some(name) if settings.vip_rules.iter().any(|r| r.name == name) => Ok(()),
        _ => Err(Msg::WritePriorityNotVip.into()),
    }
}

/// One "apply priority" button: the connector (id and label), the value
/// sent, and the value as the panel names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriorityOffer {
    pub connector: String,
    pub label: String,
    pub value: String,
    pub shown: String,
}

/// The audit entry of a finished write: the record's id hashed like an
/// identifier, the page's origin, the outcome.
pub fn audit_entry(op: &WriteOp, label: &str, salt: &str, profile: &str, now_ms: f64) -> Option<crate::audit::AuditEntry> {
    Some(crate::audit::AuditEntry {
        profile: profile.to_string(),
        at_ms: now_ms,
        connector: op.connector.clone(),
        label: label.to_string(),
        action: format!("write_{}", op.kind.name()),
        id_kind: "record".into(),
        subject_hash: crate::audit::subject_hash(salt, &op.input.record_id),
        page_origin: crate::weburl::origin_of(&op.input.ticket_url).unwrap_or_default(),
        fields: Vec::new(),
        outcome: op.outcome()?,
    })
}

/// The operations of one ticket (its address without query and fragment),
/// newest first, as the panel shows them.
pub fn views_for(ops: &[WriteOp], ticket: &str) -> Vec<WriteView> {
    let mut mine: Vec<&WriteOp> = ops.iter().filter(|o| crate::flow::ticket_key(&o.input.ticket_url) == ticket).collect();
    crate::sort::sort_by_key(&mut mine, |o| std::cmp::Reverse(o.created_ms));
    mine.into_iter().take(20).map(WriteOp::view).collect()
}

#[cfg(test)]
mod tests {
    /// The write journal keeps each operation's state in the internally
    /// tagged form earlier versions wrote; the flat reader (issue 23) reads
    /// each as before, writes the same text, and refuses what was refused.
    #[test]
    fn stored_write_states_read_as_written_before() {
        use crate::connector::writes::Created;
        let reason = || crate::i18n::Text::from(crate::i18n::Msg::ErrTimeout);
        let stored = [
            (r#"{"state":"queued"}"#, WriteState::Queued),
            (r#"{"state":"sending"}"#, WriteState::Sending),
            (r#"{"state":"done","created":{"id":"7","link":null}}"#, WriteState::Done { created: Created { id: Some("7".into()), link: None } }),
            (r#"{"state":"failed","reason":{"id":"err_timeout"},"retryable":true,"unconfirmed":false}"#, WriteState::Failed { reason: reason(), retryable: true, unconfirmed: false }),
            (r#"{"state":"unknown","reason":{"id":"err_timeout"}}"#, WriteState::Unknown { reason: reason() }),
            (r#"{"state":"checking"}"#, WriteState::Checking),
            (r#"{"state":"resend"}"#, WriteState::Resend),
        ];
        for (text, want) in stored {
            assert_eq!(serde_json::from_str::<WriteState>(text).unwrap(), want, "{text}");
            assert_eq!(serde_json::to_string(&want).unwrap(), text);
        }
        // Written before `unconfirmed` existed.
        assert_eq!(
            serde_json::from_str::<WriteState>(r#"{"retryable":false,"reason":{"id":"err_timeout"},"state":"failed"}"#).unwrap(),
            WriteState::Failed { reason: reason(), retryable: false, unconfirmed: false }
        );
        for bad in [r#"{"state":"done"}"#, r#"{"state":"failed","reason":{"id":"err_timeout"}}"#, r#"{"state":"lost"}"#, r#"{"reason":{"id":"err_timeout"}}"#, r#""queued""#] {
            assert!(serde_json::from_str::<WriteState>(bad).is_err(), "{bad}");
        }
    }

    use super::*;
    use crate::client::retry::POLICY;

    fn op() -> WriteOp {
        WriteOp::new("op-0123456789abcdef", "crm", WriteKind::Note, WriteInput { record_id: "1".into(), subject: "S".into(), ..Default::default() }, 1_000)
    }

    fn created() -> Created {
        Created { id: Some("n1".into()), link: Some("https://crm.test/n1".into()) }
    }

    fn at(state: WriteState) -> WriteOp {
        WriteOp { state, sends: 1, ..op() }
    }

    fn answered(status: u16) -> Event {
        Event::Answered { status, retry_after_secs: None, created: if (200..300).contains(&status) { created() } else { Created::default() } }
    }

    #[test]
    fn queued_is_sent_and_a_2xx_is_done() {
        let mut o = op();
        assert_eq!(o.next_step(CheckBy::Verify, 1_000), Step::Send);
        o.apply(Event::Send, &POLICY, 1_001, 0.5).unwrap();
        assert_eq!((o.state.name(), o.sends), ("sending", 1));
        assert_eq!(o.next_step(CheckBy::Verify, 1_001), Step::Nothing, "out already: nothing more");
        o.apply(answered(201), &POLICY, 1_002, 0.5).unwrap();
        assert_eq!(o.state, WriteState::Done { created: created() });
        assert_eq!(o.view().link.as_deref(), Some("https://crm.test/n1"));
        assert_eq!(o.outcome().as_deref(), Some("done"));
        assert_eq!(o.next_step(CheckBy::Verify, 9_999_999), Step::Nothing);
    }

    #[test]
    fn every_2xx_is_done() {
        for s in [200, 201, 202, 204, 299] {
            let mut o = at(WriteState::Sending);
            o.apply(answered(s), &POLICY, 2_000, 0.5).unwrap();
            assert_eq!(o.state.name(), "done", "{s}");
        }
    }

    #[test]
    fn refusals_are_never_retried() {
        for s in [400, 401, 403, 404, 405, 409, 410, 413, 422, 300, 302] {
            let mut o = at(WriteState::Sending);
            o.apply(answered(s), &POLICY, 2_000, 0.5).unwrap();
            let WriteState::Failed { retryable, unconfirmed, reason } = &o.state else { panic!("{s}: {:?}", o.state) };
            assert!(!retryable && !unconfirmed, "{s}");
            assert_eq!(reason.id, if s == 401 || s == 403 { Msg::ErrUnauthorized } else { Msg::WriteRefused });
            assert_eq!(o.next_step(CheckBy::Verify, u64::MAX), Step::Nothing, "{s}");
            assert_eq!(o.next_step(CheckBy::IdempotencyKey, u64::MAX), Step::Nothing, "{s}");
            assert_eq!(o.apply(Event::Retry, &POLICY, 3_000, 0.5), Err(Ignored { state: "failed" }), "{s}: no retry");
            assert!(!o.view().retry);
        }
    }

    #[test]
    fn a_lost_answer_is_checked_before_any_resend() {
        for (event, waits) in [(answered(500), true), (answered(503), true), (answered(408), true), (answered(429), true), (Event::Lost(Lost::Timeout), true), (Event::Lost(Lost::Dropped), true), (Event::Lost(Lost::WorkerStopped), false)] {
            let mut o = at(WriteState::Sending);
            o.apply(event.clone(), &POLICY, 10_000, 0.9).unwrap();
            assert_eq!(o.state.name(), "unknown", "{event:?}");
            if waits {
                assert!(o.next_ms > 10_000, "{event:?}: waits before checking");
                assert_eq!(o.next_step(CheckBy::Verify, 10_000), Step::WaitUntil(o.next_ms));
            }
            assert_eq!(o.next_step(CheckBy::Verify, o.next_ms), Step::Check, "{event:?}: verify first, never a blind resend");
            assert_eq!(o.next_step(CheckBy::IdempotencyKey, o.next_ms), Step::Send, "{event:?}: the same key again is the check");
            assert_eq!(o.view().shown, "checking");
        }
    }

    #[test]
    fn a_429_waits_what_it_asks() {
        let mut o = at(WriteState::Sending);
        o.apply(Event::Answered { status: 429, retry_after_secs: Some(20), created: Created::default() }, &POLICY, 10_000, 0.0).unwrap();
        assert_eq!(o.next_ms, 30_000);
    }

    #[test]
    fn the_check_decides() {
        let mut o = at(WriteState::Unknown { reason: Msg::WriteLostTimeout.into() });
        o.apply(Event::Check, &POLICY, 5_000, 0.5).unwrap();
        assert_eq!(o.state, WriteState::Checking);
        assert_eq!(o.next_step(CheckBy::Verify, 5_000), Step::Nothing);
        let mut found = o.clone();
        found.apply(Event::Found(created()), &POLICY, 5_100, 0.5).unwrap();
        assert_eq!(found.state, WriteState::Done { created: created() });
        assert_eq!(found.sends, 1, "found: never sent again");
        let mut not = o.clone();
        not.apply(Event::NotFound, &POLICY, 5_100, 0.99).unwrap();
        assert_eq!(not.state, WriteState::Resend);
        assert!(not.next_ms > 5_100);
        assert_eq!(not.next_step(CheckBy::Verify, not.next_ms), Step::Send);
        not.apply(Event::Send, &POLICY, not.next_ms, 0.5).unwrap();
        assert_eq!((not.state.name(), not.sends), ("sending", 2));
    }

    #[test]
    fn sends_are_bounded() {
        let mut o = at(WriteState::Checking);
        o.sends = MAX_SENDS;
        o.apply(Event::NotFound, &POLICY, 1, 0.5).unwrap();
        let WriteState::Failed { retryable: true, unconfirmed: false, reason } = &o.state else { panic!("{:?}", o.state) };
        assert_eq!(reason.id, Msg::WriteGaveUp);
        // Retry: it was checked not there, so it is sent (a fresh budget).
        o.apply(Event::Retry, &POLICY, 2, 0.5).unwrap();
        assert_eq!((o.state.clone(), o.sends), (WriteState::Resend, 0));
        assert_eq!(o.next_step(CheckBy::Verify, 2), Step::Send);
    }

    #[test]
    fn a_check_that_cannot_answer_is_tried_again_then_fails_unconfirmed() {
        let mut o = at(WriteState::Checking);
        for i in 1..MAX_CHECKS {
            o.apply(Event::CheckFailed(LookupError::Server { status: 502 }), &POLICY, 100, 0.5).unwrap();
            assert_eq!((o.state.name(), o.checks), ("unknown", i));
            assert!(o.next_ms >= 100 + u64::from(POLICY.base_ms));
            assert_eq!(o.next_step(CheckBy::Verify, o.next_ms), Step::Check);
            o.apply(Event::Check, &POLICY, o.next_ms, 0.5).unwrap();
        }
        o.apply(Event::CheckFailed(LookupError::Timeout), &POLICY, 200, 0.5).unwrap();
        let WriteState::Failed { retryable: true, unconfirmed: true, .. } = &o.state else { panic!("{:?}", o.state) };
        assert!(o.view().retry);
        assert_eq!(o.outcome().as_deref(), Some("failed:write_unconfirmed:unconfirmed"));
        // Retry: never a blind send; it checks first.
        o.apply(Event::Retry, &POLICY, 300, 0.5).unwrap();
        assert_eq!(o.state.name(), "unknown");
        assert_eq!(o.next_step(CheckBy::Verify, 300), Step::Check);
    }

    #[test]
    fn a_check_refused_for_good_fails_unconfirmed_at_once() {
        let mut o = at(WriteState::Checking);
        o.apply(Event::CheckFailed(LookupError::Unauthorized { status: 401 }), &POLICY, 100, 0.5).unwrap();
        assert!(matches!(o.state, WriteState::Failed { retryable: true, unconfirmed: true, .. }));
    }

    #[test]
    fn a_stopped_worker_leaves_nothing_out() {
        for s in [WriteState::Sending, WriteState::Checking] {
            let mut o = at(s.clone());
            o.apply(Event::Resumed, &POLICY, 50, 0.5).unwrap();
            assert_eq!(o.state, WriteState::Unknown { reason: Msg::WriteLostWorker.into() }, "{s:?}");
            assert_eq!(o.next_step(CheckBy::Verify, 50), Step::Check);
        }
        for s in [WriteState::Queued, WriteState::Resend, WriteState::Unknown { reason: Msg::WriteLostTimeout.into() }, WriteState::Done { created: created() }] {
            let mut o = at(s.clone());
            o.apply(Event::Resumed, &POLICY, 50, 0.5).unwrap();
            assert_eq!(o.state, s, "nothing was out");
        }
        // A queued op was never sent: it is sent, not checked.
        assert_eq!(op().next_step(CheckBy::Verify, 1_000), Step::Send);
    }

    #[test]
    fn stale_events_are_ignored() {
        let mut done = at(WriteState::Done { created: created() });
        for e in [answered(500), Event::Lost(Lost::Timeout), Event::NotFound, Event::Send, Event::Check, Event::Retry] {
            assert!(done.apply(e.clone(), &POLICY, 1, 0.5).is_err(), "{e:?}");
            assert_eq!(done.state.name(), "done");
        }
        let mut q = op();
        assert!(q.apply(answered(201), &POLICY, 1, 0.5).is_err(), "an answer to nothing sent");
        assert!(q.apply(Event::Found(created()), &POLICY, 1, 0.5).is_err());
        let mut s = at(WriteState::Sending);
        assert!(s.apply(Event::Send, &POLICY, 1, 0.5).is_err(), "never two sends at once");
        assert!(s.apply(Event::Check, &POLICY, 1, 0.5).is_err());
    }

    #[test]
    fn a_request_that_cannot_be_made_fails_and_says_whether_an_earlier_send_is_unknown() {
        let why: Text = Msg::LookupBadRecordId.into();
        let mut q = op();
        q.apply(Event::Unsendable(why.clone()), &POLICY, 1, 0.5).unwrap();
        assert_eq!(q.state, WriteState::Failed { reason: why.clone(), retryable: false, unconfirmed: false });
        let mut u = at(WriteState::Unknown { reason: Msg::WriteLostTimeout.into() });
        u.apply(Event::Unsendable(why.clone()), &POLICY, 1, 0.5).unwrap();
        assert_eq!(u.state, WriteState::Failed { reason: why.clone(), retryable: true, unconfirmed: true });
        u.apply(Event::Retry, &POLICY, 2, 0.5).unwrap();
        assert_eq!(u.next_step(CheckBy::Verify, 2), Step::Check, "checked before anything is sent");
        assert!(op().apply(Event::Unsendable(why.clone()), &POLICY, 1, 0.5).is_ok());
        assert!(at(WriteState::Checking).apply(Event::Unsendable(why), &POLICY, 1, 0.5).is_err());
        assert_eq!(event_for_error(&LookupError::BadResponse { message: Msg::LookupNoService.into() }), Event::Lost(Lost::Dropped), "answered but unreadable: unknown");
    }

    #[test]
    fn an_idempotent_write_is_sent_again_with_its_key_at_most_max_sends_times() {
        let mut o = at(WriteState::Sending);
        for n in 1..=MAX_SENDS {
            assert_eq!(o.sends, n);
            o.apply(Event::Lost(Lost::Timeout), &POLICY, 0, 0.0).unwrap();
            let step = o.next_step(CheckBy::IdempotencyKey, o.next_ms);
            if n < MAX_SENDS {
                assert_eq!(step, Step::Send);
                o.apply(Event::Send, &POLICY, o.next_ms, 0.0).unwrap();
            } else {
                assert_eq!(step, Step::GiveUp);
                o.apply(Event::GiveUp, &POLICY, 1, 0.0).unwrap();
            }
        }
        assert!(matches!(o.state, WriteState::Failed { retryable: true, unconfirmed: true, .. }));
        assert!(at(WriteState::Sending).apply(Event::GiveUp, &POLICY, 1, 0.0).is_err());
    }

    #[test]
    fn errors_of_the_request_layer_map_to_events() {
        assert_eq!(event_for_error(&LookupError::Timeout), Event::Lost(Lost::Timeout));
        assert!(matches!(event_for_error(&LookupError::Server { status: 502 }), Event::Answered { status: 502, .. }));
        assert!(matches!(event_for_error(&LookupError::RateLimited { retry_after_secs: Some(3) }), Event::Answered { status: 429, retry_after_secs: Some(3), .. }));
    }

    #[test]
    fn prune_keeps_unfinished_ops() {
        let mut ops: Vec<WriteOp> = (0..6).map(|i| WriteOp { id: format!("op-{i:016}"), updated_ms: i, state: if i % 2 == 0 { WriteState::Done { created: Created::default() } } else { WriteState::Unknown { reason: Msg::WriteLostTimeout.into() } }, ..op() }).collect();
        prune(&mut ops, 4);
        let ids: Vec<u64> = ops.iter().map(|o| o.updated_ms).collect();
        assert_eq!(ids, vec![1, 3, 4, 5]);
        prune(&mut ops, 1);
        assert_eq!((ops.len(), ops.iter().all(|o| !o.state.finished())), (3, true), "never drops an unfinished op");
    }

    #[test]
    fn ops_round_trip_through_storage() {
        let mut o = at(WriteState::Failed { reason: Text::new(Msg::WriteRefused, [data(422)]), retryable: false, unconfirmed: false });
        o.input.text = "x".into();
        let back: WriteOp = serde_json::from_str(&serde_json::to_string(&o).unwrap()).unwrap();
        assert_eq!(back, o);
    }
}

#[cfg(test)]
#[path = "write_priority_tests.rs"]
mod priority_tests;
