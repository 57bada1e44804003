//! When to try a request again, and how long to wait first: per-attempt
//! timeout, an overall deadline, capped exponential backoff with full jitter
//! (the random number comes from the caller), `Retry-After` in both forms.

use crate::connector::LookupError;

/// The numbers of the retry policy (milliseconds unless named otherwise).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// One attempt is abandoned after this long.
    pub attempt_timeout_ms: u32,
    /// A lookup (every attempt and wait) ends after this long.
    pub deadline_ms: u32,
    /// Attempts per lookup, the first one included.
    pub max_attempts: u32,
    /// Backoff: the first wait's ceiling, doubled per attempt up to `cap_ms`.
    pub base_ms: u32,
    pub cap_ms: u32,
    /// A `Retry-After` longer than this is cut to it.
    pub retry_after_cap_secs: u32,
    /// A rate limit without `Retry-After` (Salesforce's daily allocation,
    /// a 429 without the header) waits this long.
    pub rate_limited_default_secs: u32,
    /// A wait longer than this is not waited inside the lookup: the panel
    /// shows it counting down and asks again at zero.
    pub inline_wait_max_ms: u32,
    /// The panel's own retries after a failed lookup: first wait, cap.
    pub panel_base_ms: u32,
    pub panel_cap_ms: u32,
    /// A rejected key or a configuration error is not retried on its own;
    /// a new lookup of the same customer is refused this long.
    pub hold_ms: u32,
}

/// A panel whose question got no answer at all (the background's service
/// worker stopped in the middle of it, or was starting again) asks again
/// after each of these waits, which starts the worker again and runs the
/// lookup again; only then does it say "no answer". Three at most: a
/// background that keeps failing is not stormed.
pub const PANEL_NO_ANSWER_RETRY_MS: [u64; 3] = [300, 1_000, 3_000];

/// A panel frame waiting this long for an answer checks that it still
/// reaches the background (`Request::Ping`), and again each time this long
/// passes: a lookup may rightly take longer (a slow CRM, several sources),
/// but an extension reloaded or updated leaves the old frame behind, whose
/// question is never answered. No answer to the check within
/// [`PANEL_PING_WAIT_MS`] (or the browser says the frame's extension is
/// gone): the panel says Deskside was updated and offers to reload the page.
pub const PANEL_ALIVE_CHECK_MS: u64 = 4_000;
pub const PANEL_PING_WAIT_MS: u64 = 2_500;

pub const POLICY: RetryPolicy = RetryPolicy {
    attempt_timeout_ms: 8_000,
    deadline_ms: 20_000,
    max_attempts: 3,
    base_ms: 500,
    cap_ms: 8_000,
    retry_after_cap_secs: 600,
    rate_limited_default_secs: 30,
    inline_wait_max_ms: 5_000,
    panel_base_ms: 5_000,
    panel_cap_ms: 300_000,
    hold_ms: 15 * 60_000,
};

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Wait this long, then try again.
    RetryAfter(u64),
    /// Give up: the lookup ends with the error.
    Stop,
}

/// Whether an HTTP status is worth another attempt: 5xx, 408 and 429; no
/// other 4xx (the request itself is wrong, or the key).
pub fn status_retryable(status: u16) -> bool {
    matches!(status, 408 | 429 | 500..=599)
}

/// Whether the error is worth another attempt.
pub fn error_retryable(e: &LookupError) -> bool {
    match e {
        LookupError::Server { status } => status_retryable(*status),
        LookupError::RateLimited { .. } | LookupError::Timeout | LookupError::Network { .. } => true,
        LookupError::Config { .. } | LookupError::Unauthorized { .. } | LookupError::MissingPermission { .. } | LookupError::BadResponse { .. } => false,
    }
}

/// Full jitter: a uniformly random wait below `min(cap, base * 2^(n-1))`
/// after the `n`th failed attempt (`random` in `[0, 1)`).
pub fn backoff_ms(base_ms: u32, cap_ms: u32, n: u32, random: f64) -> u64 {
    let ceiling = (u64::from(base_ms) << n.saturating_sub(1).min(32)).min(u64::from(cap_ms));
    (ceiling as f64 * random.clamp(0.0, 1.0)).floor().min(ceiling.saturating_sub(1) as f64).max(0.0) as u64
}

/// How long a rate limit asks to wait (ms): its `Retry-After` (already
/// read into seconds and capped), or the policy's default.
pub fn rate_limit_wait_ms(p: &RetryPolicy, retry_after_secs: Option<u32>) -> u64 {
    u64::from(retry_after_secs.unwrap_or(p.rate_limited_default_secs).min(p.retry_after_cap_secs)) * 1000
}

/// After `attempts` failed attempts, `elapsed_ms` into the lookup, the last
/// with `e`: wait and retry, or stop. A wait past the deadline, or longer
/// than the policy waits inside a lookup, stops (the panel then counts it
/// down). The per-attempt timeout of the next attempt is
/// [`attempt_timeout_ms`].
pub fn next_step(p: &RetryPolicy, e: &LookupError, attempts: u32, elapsed_ms: u64, random: f64) -> Next {
    if !error_retryable(e) || attempts >= p.max_attempts {
        return Next::Stop;
    }
    let jitter = backoff_ms(p.base_ms, p.cap_ms, attempts, random);
    let wait = match e {
        LookupError::RateLimited { retry_after_secs } => rate_limit_wait_ms(p, *retry_after_secs).max(jitter),
        _ => jitter,
    };
    // The next attempt needs time to answer too (a second at least).
    if wait > u64::from(p.inline_wait_max_ms) || elapsed_ms + wait + 1_000 > u64::from(p.deadline_ms) {
        return Next::Stop;
    }
    Next::RetryAfter(wait)
}

/// The timeout of an attempt starting `elapsed_ms` into the lookup.
pub fn attempt_timeout_ms(p: &RetryPolicy, elapsed_ms: u64) -> u32 {
    (u64::from(p.deadline_ms).saturating_sub(elapsed_ms)).clamp(1, u64::from(p.attempt_timeout_ms)) as u32
}

/// After a lookup failed (`failures` times in a row for this customer),
/// how long until it may be tried again: the panel counts a retryable
/// failure down and asks again; a rate limit waits what it asked; a
/// rejected key or a configuration error is held (no retry loop).
pub fn hold_after_failure_ms(p: &RetryPolicy, e: &LookupError, failures: u32, random: f64) -> u64 {
    match e {
        LookupError::RateLimited { retry_after_secs } => rate_limit_wait_ms(p, *retry_after_secs).max(u64::from(p.panel_base_ms) / 5),
        e if error_retryable(e) => {
            // Half fixed, half jitter: never an immediate retry from the panel.
            let ceiling = (u64::from(p.panel_base_ms) << failures.saturating_sub(1).min(32)).min(u64::from(p.panel_cap_ms));
            ceiling / 2 + (ceiling as f64 / 2.0 * random.clamp(0.0, 1.0)) as u64
        }
        _ => u64::from(p.hold_ms),
    }
}

/// Seconds to wait from a `Retry-After` value at `now_ms`: delta-seconds or
/// an HTTP date (IMF-fixdate, RFC 850, asctime); a past date is 0; capped at
/// `cap_secs`; anything else (negative, junk) is `None`.
pub fn retry_after_secs(value: &str, now_ms: f64, cap_secs: u32) -> Option<u32> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(v.parse::<u64>().map_or(u64::from(cap_secs), |n| n.min(u64::from(cap_secs))) as u32);
    }
    let at = http_date_ms(v)?;
    let secs = ((at - now_ms) / 1000.0).ceil();
    Some(if secs <= 0.0 { 0 } else { secs.min(f64::from(cap_secs)) as u32 })
}

/// An HTTP date (RFC 9110 §5.6.7) as ms since the epoch.
pub fn http_date_ms(v: &str) -> Option<f64> {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const LONG_DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    let month = |m: &str| MONTHS.iter().position(|x| *x == m).map(|i| i as u32 + 1);
    let num = |s: &str, len: std::ops::RangeInclusive<usize>| -> Option<u32> { (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten() };
    let time = |t: &str| -> Option<(u32, u32, u32)> {
        let mut p = t.split(':');
        let (h, m, s) = (num(p.next()?, 2..=2)?, num(p.next()?, 2..=2)?, num(p.next()?, 2..=2)?);
        (p.next().is_none() && h < 24 && m < 60 && s < 61).then_some((h, m, s))
    };
    let parts: Vec<&str> = v.split_ascii_whitespace().collect();
    let (year, mon, day, (h, mi, s)) = match parts.as_slice() {
        // Sun, 06 Nov 1994 08:49:37 GMT
        [wd, d, m, y, t, "GMT"] if wd.strip_suffix(',').is_some_and(|w| DAYS.contains(&w)) => (num(y, 4..=4)?, month(m)?, num(d, 2..=2)?, time(t)?),
        // Sunday, 06-Nov-94 08:49:37 GMT
        [wd, dmy, t, "GMT"] if wd.strip_suffix(',').is_some_and(|w| LONG_DAYS.contains(&w)) => {
            let mut p = dmy.split('-');
            let (d, m, y) = (num(p.next()?, 2..=2)?, month(p.next()?)?, num(p.next()?, 2..=2)?);
            if p.next().is_some() {
                return None;
            }
            // Two-digit years: the nearest century not more than 50 years ahead.
            (if y < 70 { 2000 + y } else { 1900 + y }, m, d, time(t)?)
        }
        // Sun Nov  6 08:49:37 1994
        [wd, m, d, t, y] if DAYS.contains(wd) => (num(y, 4..=4)?, month(m)?, num(d, 1..=2)?, time(t)?),
        _ => return None,
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if day == 0 || day > month_days[mon as usize - 1] {
        return None;
    }
    let days = days_from_civil(i64::from(year), mon, day);
    Some((days * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s)) as f64 * 1000.0)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Salesforce says "over the org's daily allocation" with a 403 whose body
/// names `REQUEST_LIMIT_EXCEEDED` (and no `Retry-After`): a rate limit, not a
/// rejected key.
pub fn is_rate_limit_body(status: u16, body: &str) -> bool {
    status == 403 && body.len() < 64 * 1024 && body.contains("REQUEST_LIMIT_EXCEEDED")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Msg;
    use crate::client::test_rng::Rng;

    const NOW: f64 = 784_111_777_000.0; // Sun, 06 Nov 1994 08:49:37 GMT

    #[test]
    fn retry_after_both_forms_capped_junk_ignored() {
        assert_eq!(http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"), Some(NOW));
        assert_eq!(http_date_ms("Sunday, 06-Nov-94 08:49:37 GMT"), Some(NOW));
        assert_eq!(http_date_ms("Sun Nov  6 08:49:37 1994"), Some(NOW));
        assert_eq!(retry_after_secs("120", NOW, 600), Some(120));
        assert_eq!(retry_after_secs(" 0 ", NOW, 600), Some(0));
        assert_eq!(retry_after_secs("99999999", NOW, 600), Some(600));
        assert_eq!(retry_after_secs("999999999999999999999999", NOW, 600), Some(600));
        assert_eq!(retry_after_secs("Sun, 06 Nov 1994 08:51:37 GMT", NOW, 600), Some(120));
        assert_eq!(retry_after_secs("Sun, 06 Nov 1994 08:49:37 GMT", NOW + 500.0, 600), Some(0));
        assert_eq!(retry_after_secs("Sat, 05 Nov 1994 08:49:37 GMT", NOW, 600), Some(0), "a past date: now");
        assert_eq!(retry_after_secs("Mon, 06 Nov 2095 08:49:37 GMT", NOW, 600), Some(600), "a far date: capped");
        for junk in ["-5", "abc", "", "1.5", "+3", "0x10", "12 s", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT", "Foo, 06 Nov 1994 08:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT", "٣", "Sun, 06 Nov 1994 08:49 GMT"] {
            assert_eq!(retry_after_secs(junk, NOW, 600), None, "{junk:?}");
        }
    }

    #[test]
    fn http_dates_agree_with_a_day_count_over_centuries() {
        // Every day from 1900 to 2200 at noon: a date written out reads back to its own instant.
        const M: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        const W: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]; // 1970-01-01 was a Thursday
        let mut day: i64 = days_from_civil(1900, 1, 1);
        for y in 1900..2200u32 {
            for m in 1..=12u32 {
                let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
                let n = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m as usize - 1];
                for d in 1..=n {
                    let s = format!("{}, {d:02} {} {y} 12:00:00 GMT", W[day.rem_euclid(7) as usize], M[m as usize - 1]);
                    assert_eq!(http_date_ms(&s), Some((day * 86_400 + 43_200) as f64 * 1000.0), "{s}");
                    day += 1;
                }
                assert_eq!(http_date_ms(&format!("Mon, {:02} {} {y} 12:00:00 GMT", n + 1, M[m as usize - 1])), None);
            }
        }
    }

    #[test]
    fn retry_after_never_exceeds_its_cap_nor_goes_negative() {
        let mut rng = Rng::new(7);
        for _ in 0..20_000 {
            let n = (rng.next() * 1e12) as u64;
            let s = retry_after_secs(&n.to_string(), NOW, 600).unwrap();
            assert!(s <= 600 && u64::from(s) == n.min(600));
            let offset = (rng.next() - 0.5) * 4e6;
            let at = NOW + (offset / 1000.0).round() * 1000.0;
            let secs = (at / 1000.0) as i64;
            let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
            let (y, m, d) = crate::connector::engine::civil_from_days(days);
            const M: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
            const W: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
            let text = format!("{}, {d:02} {} {y} {:02}:{:02}:{:02} GMT", W[days.rem_euclid(7) as usize], M[m as usize - 1], rem / 3600, rem % 3600 / 60, rem % 60);
            let got = retry_after_secs(&text, NOW, 600).unwrap();
            let want = ((at - NOW) / 1000.0).ceil().clamp(0.0, 600.0) as u32;
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn backoff_is_full_jitter_under_a_doubling_capped_ceiling() {
        let mut rng = Rng::new(42);
        for n in 1..=40u32 {
            let ceiling = (500u64 << (n - 1).min(32)).min(8_000);
            let (mut lo, mut hi) = (u64::MAX, 0);
            for _ in 0..2_000 {
                let w = backoff_ms(500, 8_000, n, rng.next());
                assert!(w < ceiling, "attempt {n}: {w} ≥ {ceiling}");
                lo = lo.min(w);
                hi = hi.max(w);
            }
            // Full jitter: the whole range is used, down to near zero.
            assert!(lo < ceiling / 10 && hi > ceiling * 9 / 10, "attempt {n}: {lo}..{hi} of {ceiling}");
        }
        assert_eq!(backoff_ms(500, 8_000, 1, 0.0), 0);
        assert_eq!(backoff_ms(500, 8_000, 1, 0.999_999), 499);
        assert_eq!(backoff_ms(500, 8_000, 3, 0.5), 1000);
        assert_eq!(backoff_ms(500, 8_000, 1, 7.0), 499, "a random past 1 stays under the ceiling");
    }

    #[test]
    fn only_transient_errors_are_retried() {
        let p = POLICY;
        let retried = |e: LookupError| matches!(next_step(&p, &e, 1, 0, 0.5), Next::RetryAfter(_));
        for s in [500, 502, 503, 504, 599, 408] {
            assert!(retried(LookupError::Server { status: s }), "{s}");
        }
        for s in [400, 402, 405, 409, 410, 422, 451, 499] {
            assert!(!retried(LookupError::Server { status: s }), "{s} is a 4xx: not retried");
        }
        assert!(retried(LookupError::Timeout));
        assert!(retried(LookupError::Network { message: Msg::LookupNoService.into() }));
        assert!(retried(LookupError::RateLimited { retry_after_secs: Some(2) }));
        assert!(!retried(LookupError::Unauthorized { status: 401 }));
        assert!(!retried(LookupError::Unauthorized { status: 403 }));
        assert!(!retried(LookupError::Config { message: Msg::LookupNoService.into() }));
        assert!(!retried(LookupError::BadResponse { message: Msg::LookupNoService.into() }));
        for s in 0..1000u16 {
            assert_eq!(status_retryable(s), s == 408 || s == 429 || (500..600).contains(&s), "{s}");
        }
    }

    #[test]
    fn retries_stay_within_attempts_and_deadline() {
        let p = POLICY;
        let mut rng = Rng::new(3);
        for _ in 0..5_000 {
            // A lookup where every attempt fails after a random time.
            let (mut elapsed, mut attempts) = (0u64, 0u32);
            loop {
                let took = (rng.next() * f64::from(attempt_timeout_ms(&p, elapsed))) as u64;
                assert!(attempt_timeout_ms(&p, elapsed) <= p.attempt_timeout_ms);
                elapsed += took;
                attempts += 1;
                let e = if rng.next() < 0.5 { LookupError::Timeout } else { LookupError::RateLimited { retry_after_secs: Some((rng.next() * 8.0) as u32) } };
                match next_step(&p, &e, attempts, elapsed, rng.next()) {
                    Next::RetryAfter(w) => {
                        assert!(w <= u64::from(p.inline_wait_max_ms));
                        elapsed += w;
                        assert!(elapsed < u64::from(p.deadline_ms));
                    }
                    Next::Stop => break,
                }
            }
            assert!(attempts <= p.max_attempts);
            assert!(elapsed <= u64::from(p.deadline_ms));
        }
    }

    #[test]
    fn a_long_rate_limit_is_handed_to_the_panel_not_waited() {
        let p = POLICY;
        assert_eq!(next_step(&p, &LookupError::RateLimited { retry_after_secs: Some(120) }, 1, 0, 0.5), Next::Stop);
        // No Retry-After (Salesforce's daily allocation): the default wait, not a quick retry.
        assert_eq!(next_step(&p, &LookupError::RateLimited { retry_after_secs: None }, 1, 0, 0.5), Next::Stop);
        assert_eq!(hold_after_failure_ms(&p, &LookupError::RateLimited { retry_after_secs: None }, 1, 0.5), 30_000);
        assert_eq!(hold_after_failure_ms(&p, &LookupError::RateLimited { retry_after_secs: Some(120) }, 1, 0.5), 120_000);
        assert_eq!(hold_after_failure_ms(&p, &LookupError::RateLimited { retry_after_secs: Some(9_999) }, 1, 0.5), 600_000, "capped");
        // A past date (0 s): still never an immediate retry from the panel.
        assert!(hold_after_failure_ms(&p, &LookupError::RateLimited { retry_after_secs: Some(0) }, 1, 0.0) >= 1_000);
        // A short one is waited, never shorter than asked.
        assert_eq!(next_step(&p, &LookupError::RateLimited { retry_after_secs: Some(3) }, 1, 0, 0.0), Next::RetryAfter(3_000));
    }

    #[test]
    fn the_panels_retries_back_off_and_a_rejected_key_is_held() {
        let p = POLICY;
        let mut rng = Rng::new(11);
        for failures in 1..30u32 {
            for _ in 0..200 {
                let w = hold_after_failure_ms(&p, &LookupError::Timeout, failures, rng.next());
                let ceiling = (5_000u64 << (failures - 1).min(32)).min(300_000);
                assert!(w >= ceiling / 2 && w <= ceiling, "{failures}: {w}");
            }
        }
        assert_eq!(hold_after_failure_ms(&p, &LookupError::Unauthorized { status: 401 }, 1, 0.1), 15 * 60_000);
        assert_eq!(hold_after_failure_ms(&p, &LookupError::Server { status: 422 }, 1, 0.1), 15 * 60_000);
    }

    #[test]
    fn salesforce_request_limit_is_a_rate_limit() {
        let body = r#"[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#;
        assert!(is_rate_limit_body(403, body));
        assert!(!is_rate_limit_body(403, r#"[{"errorCode":"INVALID_SESSION_ID"}]"#));
        assert!(!is_rate_limit_body(401, body));
    }
}
