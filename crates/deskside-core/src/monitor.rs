//! Monitoring: every request a connector sends (through the request layer)
//! is one [`Sample`] (when, how long, how it ended); the core aggregates
//! them per connector over the last hour and the last day, draws the
//! options page's chart as numbers, and decides the toolbar badge.
//!
//! Samples are kept in `storage.local` under [`MONITOR_KEY`], a day's worth
//! at most and no more than [`MONITOR_CAP`].

use crate::connector::{HttpResponse, LookupError};
use crate::i18n::{data, Msg, Text};
use serde::{Deserialize, Serialize};

pub const MONITOR_KEY: &str = "monitor";
pub const MONITOR_CAP: usize = 5_000;
pub const HOUR_MS: f64 = 3_600_000.0;
pub const DAY_MS: f64 = 24.0 * HOUR_MS;
/// The badge needs at least this many requests in the hour.
pub const BADGE_MIN_REQUESTS: u32 = 5;
/// How many of a connector's last errors are shown.
pub const LAST_ERRORS: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SampleKind {
    Ok,
    /// A 429 (or a vendor's rate-limit answer).
    RateLimited,
    Failed,
}

/// One request as sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    pub at_ms: f64,
    /// Connector id.
    pub connector: String,
    pub ms: u32,
    pub kind: SampleKind,
    /// The HTTP status, 0 when no answer came.
    #[serde(default)]
    pub status: u16,
    /// Without an answer: `timeout` or `network`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub error: String,
}

impl Sample {
    /// A request's outcome as the request layer saw it (`ms`: how long it took).
    pub fn of(connector: &str, at_ms: f64, ms: f64, result: Result<&HttpResponse, &LookupError>) -> Sample {
        let (kind, status, error) = match result {
            Ok(r) if r.status == 429 || crate::client::retry::is_rate_limit_body(r.status, &r.body) => (SampleKind::RateLimited, r.status, String::new()),
            Ok(r) if (200..300).contains(&r.status) => (SampleKind::Ok, r.status, String::new()),
            Ok(r) => (SampleKind::Failed, r.status, String::new()),
            Err(LookupError::Timeout) => (SampleKind::Failed, 0, "timeout".into()),
            Err(LookupError::RateLimited { .. }) => (SampleKind::RateLimited, 0, String::new()),
            Err(_) => (SampleKind::Failed, 0, "network".into()),
        };
        Sample { at_ms, connector: connector.to_string(), ms: ms.clamp(0.0, f64::from(u32::MAX)) as u32, kind, status, error }
    }

    /// The failure in words, for the options page.
    pub fn describe(&self) -> Option<Text> {
        match (self.kind, self.status) {
            (SampleKind::Ok, _) => None,
            (SampleKind::RateLimited, _) => Some(Msg::MonRateLimited.into()),
            (SampleKind::Failed, 0) if self.error == "timeout" => Some(Msg::MonTimeout.into()),
            (SampleKind::Failed, 0) => Some(Msg::MonNetwork.into()),
            (SampleKind::Failed, s) => Some(Text::new(Msg::MonHttpStatus, [data(s)])),
        }
    }
}

/// Keeps `sample`, dropping what is older than a day before it and the
/// oldest past [`MONITOR_CAP`].
pub fn record(log: &mut Vec<Sample>, sample: Sample) {
    let since = sample.at_ms - DAY_MS;
    log.retain(|s| s.at_ms > since);
    crate::audit::push_capped(log, sample, MONITOR_CAP);
}

/// One connector's numbers over a window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Window {
    pub requests: u32,
    pub ok: u32,
    pub rate_limited: u32,
    pub errors: u32,
    /// Latency percentiles (nearest rank), none without requests.
    pub p50_ms: Option<u32>,
    pub p95_ms: Option<u32>,
}

impl Window {
    /// Successes in whole percent, none without requests.
    pub fn success_percent(&self) -> Option<u32> {
        (self.requests > 0).then(|| ((u64::from(self.ok) * 100 + u64::from(self.requests) / 2) / u64::from(self.requests)) as u32)
    }

    /// Whether the failures (errors and 429s) reach `threshold` percent of
    /// at least [`BADGE_MIN_REQUESTS`] requests.
    pub fn failing(&self, threshold_percent: u32) -> bool {
        let failed = u64::from(self.requests - self.ok);
        self.requests >= BADGE_MIN_REQUESTS && failed * 100 >= u64::from(threshold_percent) * u64::from(self.requests)
    }
}

/// The nearest-rank percentile `p` (0–100) of `sorted` values.
pub fn percentile(sorted: &[u32], p: u32) -> Option<u32> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (u64::from(p.min(100)) * sorted.len() as u64).div_ceil(100).max(1) as usize;
    sorted.get(rank - 1).copied()
}

/// `connector`'s samples in `(now - span_ms, now]`.
pub fn window(log: &[Sample], connector: &str, now: f64, span_ms: f64) -> Window {
    let mut w = Window::default();
    let mut times = Vec::new();
    for s in log.iter().filter(|s| s.connector == connector && s.at_ms > now - span_ms && s.at_ms <= now) {
        w.requests += 1;
        match s.kind {
            SampleKind::Ok => w.ok += 1,
            SampleKind::RateLimited => w.rate_limited += 1,
            SampleKind::Failed => w.errors += 1,
        }
        times.push(s.ms);
    }
    crate::sort::sort(&mut times);
    w.p50_ms = percentile(&times, 50);
    w.p95_ms = percentile(&times, 95);
    w
}

/// The chart: one bar per hour of the last day, oldest left, drawn in a
/// `CHART_WIDTH` × `CHART_HEIGHT` SVG box; each bar's successful part at
/// the bottom, its failed part (errors and 429s) stacked on top.
pub const CHART_WIDTH: u32 = 240;
pub const CHART_HEIGHT: u32 = 48;
const BAR_STEP: u32 = CHART_WIDTH / 24;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    pub x: u32,
    pub width: u32,
    /// The successful part: from `ok_y`, `ok_height` tall.
    pub ok_y: u32,
    pub ok_height: u32,
    pub failed_y: u32,
    pub failed_height: u32,
    pub requests: u32,
    pub failed: u32,
}

pub fn chart(log: &[Sample], connector: &str, now: f64) -> Vec<Bar> {
    let mut counts = [(0u32, 0u32); 24];
    for s in log.iter().filter(|s| s.connector == connector && s.at_ms > now - DAY_MS && s.at_ms <= now) {
        let hours_ago = ((now - s.at_ms) / HOUR_MS).floor() as usize;
        let slot = &mut counts[23 - hours_ago.min(23)];
        slot.0 += 1;
        if s.kind != SampleKind::Ok {
            slot.1 += 1;
        }
    }
    let max = counts.iter().map(|c| c.0).max().unwrap_or(0).max(1);
    let scale = |n: u32| (u64::from(n) * u64::from(CHART_HEIGHT)).div_ceil(u64::from(max)) as u32;
    counts
        .iter()
        .enumerate()
        .map(|(i, &(requests, failed))| {
            let total = scale(requests);
            let failed_height = if failed == 0 { 0 } else { scale(failed).max(1).min(total) };
            let ok_height = total - failed_height;
            Bar { x: i as u32 * BAR_STEP + 1, width: BAR_STEP - 2, ok_y: CHART_HEIGHT - ok_height, ok_height, failed_y: CHART_HEIGHT - total, failed_height, requests, failed }
        })
        .collect()
}

/// What the options page shows for one connector.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConnectorStats {
    pub connector: String,
    pub label: String,
    pub hour: Window,
    pub day: Window,
    pub bars: Vec<Bar>,
    /// The last failures, newest first: when, and what in words.
    pub last_errors: Vec<(f64, Text)>,
}

/// Stats for each `(id, label)` connector.
pub fn stats(log: &[Sample], connectors: &[(String, String)], now: f64) -> Vec<ConnectorStats> {
    connectors
        .iter()
        .map(|(id, label)| ConnectorStats {
            connector: id.clone(),
            label: label.clone(),
            hour: window(log, id, now, HOUR_MS),
            day: window(log, id, now, DAY_MS),
            bars: chart(log, id, now),
            last_errors: log.iter().rev().filter(|s| &s.connector == id && s.at_ms > now - DAY_MS).filter_map(|s| Some((s.at_ms, s.describe()?))).take(LAST_ERRORS).collect(),
        })
        .collect()
}

/// The toolbar badge's title when a connector's failures over the last
/// hour reach the admin's threshold (none: no badge).
pub fn badge(log: &[Sample], connectors: &[(String, String)], threshold_percent: u32, now: f64) -> Option<Text> {
    connectors.iter().find_map(|(id, label)| {
        let w = window(log, id, now, HOUR_MS);
        w.failing(threshold_percent).then(|| Text::new(Msg::BadgeFailing, [data(label), data(100 - w.success_percent().unwrap_or(0))]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(at_ms: f64, connector: &str, ms: u32, kind: SampleKind) -> Sample {
        Sample { at_ms, connector: connector.into(), ms, kind, status: if kind == SampleKind::Ok { 200 } else { 500 }, error: String::new() }
    }

    const NOW: f64 = 10.0 * DAY_MS;

    #[test]
    fn classifies_answers_and_failures() {
        let r = |status: u16, body: &str| HttpResponse { status, body: body.into(), ..Default::default() };
        assert_eq!(Sample::of("c", 1.0, 12.4, Ok(&r(200, ""))).kind, SampleKind::Ok);
        assert_eq!(Sample::of("c", 1.0, 12.4, Ok(&r(200, ""))).ms, 12);
        assert_eq!(Sample::of("c", 1.0, 1.0, Ok(&r(429, ""))).kind, SampleKind::RateLimited);
        assert_eq!(Sample::of("c", 1.0, 1.0, Ok(&r(403, "[{\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]"))).kind, SampleKind::RateLimited);
        let failed = Sample::of("c", 1.0, 1.0, Ok(&r(503, "")));
        assert_eq!((failed.kind, failed.describe()), (SampleKind::Failed, Some(Text::new(Msg::MonHttpStatus, [data(503)]))));
        let timeout = Sample::of("c", 1.0, 1.0, Err(&LookupError::Timeout));
        assert_eq!(timeout.describe(), Some(Msg::MonTimeout.into()));
        assert_eq!(Sample::of("c", 1.0, -5.0, Err(&LookupError::Network { message: Msg::MonNetwork.into() })).describe(), Some(Msg::MonNetwork.into()));
        assert_eq!(Sample::of("c", 1.0, 1.0, Ok(&r(204, ""))).describe(), None);
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let v: Vec<u32> = (1..=100).collect();
        assert_eq!((percentile(&v, 50), percentile(&v, 95), percentile(&v, 100), percentile(&v, 0)), (Some(50), Some(95), Some(100), Some(1)));
        assert_eq!(percentile(&[7], 95), Some(7));
        assert_eq!(percentile(&[10, 20, 30, 40], 50), Some(20));
        assert_eq!(percentile(&[10, 20, 30, 40], 95), Some(40));
        assert_eq!(percentile(&[], 50), None);
    }

    #[test]
    fn windows_count_the_last_hour_and_day_only() {
        let mut log = Vec::new();
        // Two days ago (gone), 5 hours ago, and within the hour.
        log.push(s(NOW - 2.0 * DAY_MS, "a", 1, SampleKind::Failed));
        log.push(s(NOW - 5.0 * HOUR_MS, "a", 900, SampleKind::Failed));
        log.push(s(NOW - HOUR_MS, "a", 800, SampleKind::Ok)); // exactly an hour ago: out of the hour
        for (i, ms) in [100, 200, 300, 400].into_iter().enumerate() {
            log.push(s(NOW - 1_000.0 * i as f64, "a", ms, SampleKind::Ok));
        }
        log.push(s(NOW - 10.0, "a", 5_000, SampleKind::RateLimited));
        log.push(s(NOW - 10.0, "b", 1, SampleKind::Ok));
        log.push(s(NOW + 10.0, "a", 1, SampleKind::Ok)); // in the future: not counted
        let hour = window(&log, "a", NOW, HOUR_MS);
        assert_eq!((hour.requests, hour.ok, hour.rate_limited, hour.errors), (5, 4, 1, 0));
        assert_eq!((hour.p50_ms, hour.p95_ms), (Some(300), Some(5_000)));
        assert_eq!(hour.success_percent(), Some(80));
        let day = window(&log, "a", NOW, DAY_MS);
        assert_eq!((day.requests, day.ok, day.errors), (7, 5, 1));
        assert_eq!(window(&log, "none", NOW, DAY_MS), Window::default());
        assert_eq!(Window::default().success_percent(), None);
    }

    #[test]
    fn record_keeps_a_day_and_a_cap() {
        let mut log = vec![s(0.0, "a", 1, SampleKind::Ok), s(DAY_MS / 2.0, "a", 1, SampleKind::Ok)];
        record(&mut log, s(DAY_MS + 1.0, "a", 1, SampleKind::Ok));
        assert_eq!(log.len(), 2, "the sample older than a day went");
        let mut log = Vec::new();
        for i in 0..MONITOR_CAP + 10 {
            record(&mut log, s(i as f64, "a", 1, SampleKind::Ok));
        }
        assert_eq!(log.len(), MONITOR_CAP);
        assert_eq!(log[0].at_ms, 10.0);
    }

    #[test]
    fn the_chart_stacks_failures_on_successes_per_hour() {
        let mut log = Vec::new();
        for _ in 0..4 {
            log.push(s(NOW - 10.0, "a", 1, SampleKind::Ok));
        }
        log.push(s(NOW - 20.0, "a", 1, SampleKind::Failed));
        log.push(s(NOW - 23.5 * HOUR_MS, "a", 1, SampleKind::Ok));
        let bars = chart(&log, "a", NOW);
        assert_eq!(bars.len(), 24);
        let last = &bars[23];
        assert_eq!((last.requests, last.failed, last.failed_height + last.ok_height), (5, 1, CHART_HEIGHT));
        assert_eq!(last.failed_y + last.failed_height, last.ok_y);
        assert_eq!(last.ok_y + last.ok_height, CHART_HEIGHT);
        assert_eq!((bars[0].requests, bars[0].ok_height), (1, 10));
        assert!(bars[1..23].iter().all(|b| b.requests == 0 && b.ok_height == 0 && b.failed_height == 0));
        assert!(bars.windows(2).all(|w| w[0].x + w[0].width < w[1].x));
        assert!(bars.iter().all(|b| b.x + b.width <= CHART_WIDTH));
    }

    #[test]
    fn the_badge_needs_the_threshold_and_five_requests() {
        let cs = vec![("a".to_string(), "Sales CRM".to_string())];
        let mut log: Vec<Sample> = (0..4).map(|_| s(NOW - 10.0, "a", 1, SampleKind::Failed)).collect();
        assert_eq!(badge(&log, &cs, 50, NOW), None, "four requests are too few");
        log.push(s(NOW - 10.0, "a", 1, SampleKind::Ok));
        assert_eq!(badge(&log, &cs, 50, NOW), Some(Text::new(Msg::BadgeFailing, [data("Sales CRM"), data(80)])));
        assert_eq!(badge(&log, &cs, 90, NOW), None);
        // Failures over an hour ago do not count.
        assert_eq!(badge(&log, &cs, 50, NOW + HOUR_MS), None);
        // 429s are failures too.
        let limited: Vec<Sample> = (0..6).map(|i| s(NOW, "a", 1, if i < 3 { SampleKind::RateLimited } else { SampleKind::Ok })).collect();
        assert!(badge(&limited, &cs, 50, NOW).is_some());
        assert!(badge(&limited, &cs, 51, NOW).is_none());
    }

    #[test]
    fn stats_list_the_last_errors_newest_first() {
        let log = vec![s(NOW - 30.0, "a", 1, SampleKind::Failed), s(NOW - 20.0, "a", 1, SampleKind::RateLimited), s(NOW - 10.0, "a", 1, SampleKind::Ok)];
        let st = stats(&log, &[("a".into(), "A".into())], NOW);
        assert_eq!(st[0].last_errors, vec![(NOW - 20.0, Msg::MonRateLimited.into()), (NOW - 30.0, Text::new(Msg::MonHttpStatus, [data(500)]))]);
        assert_eq!(st[0].hour.requests, 3);
    }
}
