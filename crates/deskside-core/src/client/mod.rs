//! The request layer's decisions, wrapped around every request a connector
//! makes: the answer cache ([`cache`]), one rate budget per connector
//! ([`bucket`]) and when to try again ([`retry`]). The wasm crate performs
//! them (storage, timers, fetch); everything decided is here and tested
//! natively. Time and random numbers come from the caller.

pub mod bucket;
pub mod cache;
pub mod retry;

use crate::config::{ConnectorConfig, Settings};
use crate::connector::LookupError;
use crate::i18n::{Msg, Text};
use crate::panel::{PanelState, SourceError};
use bucket::{BucketSize, Rate};

/// The `storage.session` key of a connector's bucket.
pub fn bucket_key(connector_id: &str) -> String {
    format!("bucket:{connector_id}")
}

/// The published limit of a connector's API: its definition's `rate`, or
/// [`Rate::DEFAULT`].
pub fn rate_of(cfg: &ConnectorConfig) -> Rate {
    cfg.definition().and_then(|d| d.rate).unwrap_or(Rate::DEFAULT)
}

/// This browser's bucket for a connector, with the admin's count of agents
/// sharing its key.
pub fn bucket_size(settings: &Settings, cfg: &ConnectorConfig) -> BucketSize {
    bucket::size(rate_of(cfg), settings.agents_per_key)
}

/// The admin's cache TTL in ms.
pub fn ttl_ms(settings: &Settings) -> f64 {
    f64::from(settings.cache_ttl_secs) * 1000.0
}

/// What the panel is told about a source beyond its answer.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceNote {
    /// The connector's index in the settings.
    pub index: usize,
    /// The record shown is this old (fetched then), not fresh.
    pub stale_ms: Option<f64>,
    /// Why: a refresh under way (`None`), or how the last one failed.
    pub problem: Option<LookupError>,
    /// The panel asks again after this long (counting it down).
    pub retry_in_ms: Option<u64>,
}

/// How long the panel waits before asking again while a refresh runs.
pub const REFRESH_POLL_MS: u64 = 2_000;

/// Adds what the panel must say about stale records, waits and failures to
/// the state [`crate::flow::finish_panel`] made: a failed source's error gets
/// its countdown; a source shown from the cache gets a line with the
/// record's age and why it is not fresh ("updated 12 min ago, the CRM did
/// not answer, retrying in 25 s").
pub fn annotate(settings: &Settings, mut state: PanelState, notes: &[SourceNote]) -> PanelState {
    let errors = match &mut state {
        PanelState::Found { errors, .. } | PanelState::Error { errors, .. } => errors,
        _ => return state,
    };
    for n in notes {
        let Some(cfg) = settings.connectors.get(n.index) else { continue };
        let retry_in_secs = n.retry_in_ms.map(|ms| ms.div_ceil(1000).max(1) as u32);
        // A countdown replaces the error's own "try again in N s".
        let message = |e: &LookupError| match e {
            LookupError::RateLimited { .. } if retry_in_secs.is_some() => Msg::ErrRateLimitedWaiting.into(),
            e => e.user_message(),
        };
        match (&n.problem, n.stale_ms) {
            (Some(p), None) => {
                let own = p.user_message();
                if let Some(e) = errors.iter_mut().find(|e| e.source == cfg.label && e.message == own) {
                    e.message = message(p);
                    e.retry_in_secs = if retry::error_retryable(p) { retry_in_secs } else { None };
                }
            }
            (problem, Some(fetched_ms)) => errors.push(SourceError {
                source: cfg.label.clone(),
                message: problem.as_ref().map_or_else(|| Text::msg(Msg::PanelRefreshing), message),
                retryable: problem.as_ref().is_none_or(retry::error_retryable),
                needs_admin: false,
                retry_in_secs,
                stale_ms: Some(fetched_ms),
                connector: cfg.id.clone(),
                grant: Vec::new(),
            }),
            (None, None) => {}
        }
    }
    state
}

#[cfg(test)]
pub(crate) mod test_rng {
    /// A deterministic stream of numbers in [0, 1) (xorshift), for property loops.
    pub(crate) struct Rng(u64);
    impl Rng {
        pub(crate) fn new(seed: u64) -> Rng {
            Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).max(1))
        }
        pub(crate) fn next(&mut self) -> f64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panel::IdentifierChoice;

    fn settings() -> Settings {
        let c = |id: &str, label: &str| ConnectorConfig::demo(id, label, "https://crm.example", "k");
        Settings { connectors: vec![c("a", "Acme CRM"), c("b", "Shop")], ..Settings::default() }
    }

    fn error_state(errors: Vec<SourceError>) -> PanelState {
        let id = IdentifierChoice { value: "x".into(), label: crate::i18n::data("x") };
        PanelState::Error { identifier: id, alternatives: vec![], errors }
    }

    #[test]
    fn a_rate_limited_source_counts_down_and_a_rejected_key_does_not() {
        let s = settings();
        let limited = LookupError::RateLimited { retry_after_secs: Some(120) };
        let revoked = LookupError::Unauthorized { status: 401 };
        let state = error_state(vec![SourceError::new("Acme CRM", &limited), SourceError::new("Shop", &revoked)]);
        let notes = [
            SourceNote { index: 0, stale_ms: None, problem: Some(limited), retry_in_ms: Some(119_001) },
            SourceNote { index: 1, stale_ms: None, problem: Some(revoked), retry_in_ms: Some(900_000) },
        ];
        let PanelState::Error { errors, .. } = annotate(&s, state, &notes) else { panic!() };
        assert_eq!(errors[0].retry_in_secs, Some(120));
        assert_eq!(errors[0].message, Text::msg(Msg::ErrRateLimitedWaiting), "the countdown says the seconds, not a frozen 'in 120 s' nor 'try again shortly' beside it");
        assert_eq!(errors[1].retry_in_secs, None, "a rejected key is not retried on its own");
        assert!(errors[1].needs_admin);
    }

    #[test]
    fn a_stale_record_gets_its_age_and_reason() {
        let s = settings();
        let id = IdentifierChoice { value: "x".into(), label: crate::i18n::data("x") };
        let found = PanelState::Found { identifier: id, alternatives: vec![], customer: None, choices: vec![], errors: vec![], near_misses: 0 };
        let notes = [
            SourceNote { index: 0, stale_ms: Some(5.0), problem: Some(LookupError::Timeout), retry_in_ms: Some(4_200) },
            SourceNote { index: 1, stale_ms: Some(7.0), problem: None, retry_in_ms: Some(REFRESH_POLL_MS) },
        ];
        let PanelState::Found { errors, .. } = annotate(&s, found, &notes) else { panic!() };
        assert_eq!((errors[0].source.as_str(), errors[0].stale_ms, errors[0].retry_in_secs), ("Acme CRM", Some(5.0), Some(5)));
        assert_eq!(errors[0].message, LookupError::Timeout.user_message());
        assert_eq!((errors[1].source.as_str(), errors[1].stale_ms, errors[1].retry_in_secs), ("Shop", Some(7.0), Some(2)));
        assert_eq!(errors[1].message, Text::msg(Msg::PanelRefreshing));
        // Other states are left alone.
        assert_eq!(annotate(&s, PanelState::NoIdentifier, &notes), PanelState::NoIdentifier);
    }

    #[test]
    fn the_bucket_follows_the_definition_and_the_admin() {
        let mut s = settings();
        assert_eq!(rate_of(&s.connectors[0]), rate_of(&s.connectors[0]));
        let one = bucket_size(&s, &s.connectors[0]);
        s.agents_per_key = 10;
        let ten = bucket_size(&s, &s.connectors[0]);
        assert!(ten.capacity < one.capacity && ten.refill_per_ms < one.refill_per_ms);
        assert_eq!(ttl_ms(&Settings::default()), 600_000.0);
    }
}
