//! One rate budget per connector: a token bucket sized from the vendor's
//! published limit and the number of agents sharing the key, so the whole
//! team stays inside the limit; a 429 empties and pauses it, then it runs
//! at half speed for a while. Lookups wait their turn in a queue, the
//! visible ticket first.

use serde::{Deserialize, Serialize};

/// A vendor's published limit: `requests` per `per_secs` seconds (a
/// connector definition's `"rate"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    pub requests: u32,
    pub per_secs: u32,
}

impl Rate {
    /// For a definition that names no limit: one request a second.
    pub const DEFAULT: Rate = Rate { requests: 60, per_secs: 60 };
}

/// The share of a published limit Deskside allows itself (clocks differ,
/// requests arrive bunched).
pub const MARGIN: f64 = 0.9;
/// After a 429, the bucket refills at half speed for this long past the wait.
pub const SLOW_FOR_MS: f64 = 60_000.0;
const SLOW_FACTOR: f64 = 0.5;

/// How big one browser's bucket is and how fast it refills.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BucketSize {
    pub capacity: f64,
    pub refill_per_ms: f64,
}

/// The bucket for one browser of `agents` sharing a key whose API allows
/// `rate`: a burst of half the share, the other half refilled over the
/// window, so that in any window of `per_secs` this browser sends at most
/// its share (`requests × MARGIN / agents`, when that is 2 or more; below
/// that, one request at a time, refilled at half the share).
pub fn size(rate: Rate, agents: u32) -> BucketSize {
    let window_ms = f64::from(rate.per_secs.max(1)) * 1000.0;
    let share = f64::from(rate.requests.max(1)) * MARGIN / f64::from(agents.max(1));
    let capacity = (share / 2.0).floor().max(1.0);
    let refill = (share - capacity).max(share / 2.0);
    BucketSize { capacity, refill_per_ms: refill / window_ms }
}

/// A connector's bucket as kept in `storage.session`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    pub tokens: f64,
    /// When `tokens` was counted.
    pub at_ms: f64,
    /// Nothing is sent before this (a 429's wait).
    pub blocked_until_ms: f64,
    /// Refills at half speed until this.
    pub slow_until_ms: f64,
}

impl Bucket {
    /// A full bucket.
    pub fn full(size: BucketSize, now_ms: f64) -> Bucket {
        Bucket { tokens: size.capacity, at_ms: now_ms, blocked_until_ms: 0.0, slow_until_ms: 0.0 }
    }

    /// Counts in what was earned since `at_ms` (nothing while blocked, half
    /// while slowed); a clock that went back earns nothing.
    fn refill(&mut self, size: BucketSize, now: f64) {
        if now <= self.at_ms {
            return;
        }
        let from = self.at_ms.max(self.blocked_until_ms.min(now));
        let slow_end = self.slow_until_ms.clamp(from, now);
        let earned = (slow_end - from) * size.refill_per_ms * SLOW_FACTOR + (now - slow_end) * size.refill_per_ms;
        self.tokens = (self.tokens + earned).min(size.capacity);
        self.at_ms = now;
    }

    /// How long until a request may be sent (0: now).
    pub fn wait_ms(&self, size: BucketSize, now: f64) -> u64 {
        let mut b = *self;
        b.refill(size, now);
        if now < b.blocked_until_ms {
            // The wait, then the first token earned after it (tokens are 0).
            return (b.blocked_until_ms - now).ceil() as u64 + b.earn_ms(size, b.blocked_until_ms, 1.0 - b.tokens);
        }
        if b.tokens >= 1.0 {
            return 0;
        }
        b.earn_ms(size, now.max(b.at_ms), 1.0 - b.tokens)
    }

    /// Time to earn `need` tokens from `t`, slowed while `slow_until_ms`.
    fn earn_ms(&self, size: BucketSize, t: f64, need: f64) -> u64 {
        if need <= 0.0 {
            return 0;
        }
        let r = size.refill_per_ms.max(1e-12);
        let slow_span = (self.slow_until_ms - t).max(0.0);
        let slow_gain = slow_span * r * SLOW_FACTOR;
        let ms = if need <= slow_gain { need / (r * SLOW_FACTOR) } else { slow_span + (need - slow_gain) / r };
        ms.ceil() as u64
    }

    /// Takes a token to send one request now, or says how long to wait.
    pub fn take(&mut self, size: BucketSize, now: f64) -> Result<(), u64> {
        let wait = self.wait_ms(size, now);
        if wait > 0 {
            return Err(wait);
        }
        self.refill(size, now);
        self.tokens -= 1.0;
        Ok(())
    }

    /// The API said "too many" (429, or a vendor's equivalent) and asked to
    /// wait `wait_ms`: the whole connector waits, then refills from empty
    /// at half speed for a while.
    pub fn penalize(&mut self, size: BucketSize, now: f64, wait_ms: u64) {
        self.refill(size, now);
        self.tokens = 0.0;
        self.at_ms = self.at_ms.max(now);
        self.blocked_until_ms = self.blocked_until_ms.max(now + wait_ms as f64);
        self.slow_until_ms = self.slow_until_ms.max(self.blocked_until_ms + SLOW_FOR_MS);
    }

    /// A stored bucket for a size that changed (the admin's agents setting,
    /// a new definition): tokens never above the new capacity.
    pub fn resized(mut self, size: BucketSize) -> Bucket {
        self.tokens = self.tokens.min(size.capacity);
        self
    }
}

/// A lookup waiting for its connector's budget.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiter {
    pub id: u64,
    /// Its tab is the one the agent sees.
    pub visible: bool,
    pub since_ms: f64,
}

/// Who goes next: a visible tab first, then the longest waiting.
pub fn next_in_line(waiters: &[Waiter]) -> Option<u64> {
    waiters
        .iter()
        .min_by(|a, b| b.visible.cmp(&a.visible).then(a.since_ms.total_cmp(&b.since_ms)).then(a.id.cmp(&b.id)))
        .map(|w| w.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::test_rng::Rng;

    /// Sends as fast as the bucket lets it, at random moments, and checks
    /// every window of the vendor's length holds at most the share.
    #[test]
    fn any_window_holds_at_most_the_share() {
        let mut rng = Rng::new(5);
        for (requests, per_secs, agents) in [(10, 2, 1), (100, 10, 1), (100, 10, 3), (190, 10, 10), (20, 60, 1), (20, 60, 10), (200, 60, 7), (4, 1, 1), (60, 60, 1)] {
            let rate = Rate { requests, per_secs };
            let sz = size(rate, agents);
            let share = f64::from(requests) * MARGIN / f64::from(agents);
            let window = f64::from(per_secs) * 1000.0;
            let mut b = Bucket::full(sz, 0.0);
            let mut sent: Vec<f64> = Vec::new();
            let mut t = 0.0;
            while t < window * 20.0 {
                match b.take(sz, t) {
                    Ok(()) => sent.push(t),
                    // Sometimes waits exactly as told, sometimes longer, sometimes polls early.
                    Err(w) => assert!(w > 0),
                }
                t += match rng.next() {
                    x if x < 0.3 => 0.0,
                    x if x < 0.6 => b.wait_ms(sz, t) as f64,
                    // (Or pauses up to two refill intervals.)
                    x => x * 2.0 / sz.refill_per_ms,
                };
            }
            let limit = if share >= 2.0 { share.floor() as usize } else { requests as usize };
            for (i, &start) in sent.iter().enumerate() {
                let n = sent[i..].iter().take_while(|&&s| s < start + window).count();
                assert!(n <= limit, "{requests}/{per_secs}s, {agents} agents: {n} in a window (share {share})");
            }
            // And the budget is used: over the run, most of the refill per window.
            let per_window = sent.len() as f64 / 20.0;
            assert!(per_window >= sz.refill_per_ms * window * 0.6, "{requests}/{per_secs}s, {agents}: only {per_window} per window");
        }
    }

    #[test]
    fn ten_per_two_seconds_for_one_agent() {
        let sz = size(Rate { requests: 10, per_secs: 2 }, 1);
        assert_eq!(sz.capacity, 4.0);
        let mut b = Bucket::full(sz, 1000.0);
        for _ in 0..4 {
            assert_eq!(b.take(sz, 1000.0), Ok(()));
        }
        let w = b.take(sz, 1000.0).unwrap_err();
        assert_eq!(w, 400, "2.5 a second: one every 400 ms");
        assert_eq!(b.take(sz, 1399.0), Err(1));
        assert_eq!(b.take(sz, 1400.0), Ok(()));
    }

    #[test]
    fn agents_sharing_a_key_divide_it() {
        let one = size(Rate { requests: 100, per_secs: 10 }, 1);
        let ten = size(Rate { requests: 100, per_secs: 10 }, 10);
        assert_eq!((one.capacity, ten.capacity), (45.0, 4.0));
        assert!((one.refill_per_ms * 10_000.0 - 45.0).abs() < 1e-9 && (ten.refill_per_ms * 10_000.0 - 5.0).abs() < 1e-9);
        // Never empty: one request at a time even when the share is below one.
        let crowd = size(Rate { requests: 20, per_secs: 60 }, 100);
        assert_eq!(crowd.capacity, 1.0);
        assert!(crowd.refill_per_ms > 0.0);
        // Absurd inputs stay defined.
        let zero = size(Rate { requests: 0, per_secs: 0 }, 0);
        assert!(zero.capacity >= 1.0 && zero.refill_per_ms.is_finite() && zero.refill_per_ms > 0.0);
    }

    #[test]
    fn a_429_pauses_the_whole_connector_then_slows_it() {
        let sz = size(Rate { requests: 10, per_secs: 2 }, 1);
        let mut b = Bucket::full(sz, 0.0);
        b.penalize(sz, 0.0, 120_000);
        // Nothing during the wait, whoever asks.
        for t in [0.0, 1.0, 60_000.0, 119_999.0] {
            assert!(b.take(sz, t).is_err(), "{t}");
            assert!(b.wait_ms(sz, t) as f64 >= 120_000.0 - t);
        }
        // After it: slowly (half speed: 800 ms a token), from empty.
        assert_eq!(b.wait_ms(sz, 120_000.0), 800);
        assert!(b.take(sz, 120_000.0 + 799.0).is_err());
        assert!(b.take(sz, 120_000.0 + 800.0).is_ok());
        // Back to full speed a minute later.
        let mut later = b;
        assert!(later.take(sz, 120_000.0 + SLOW_FOR_MS + 10_000.0).is_ok());
        let mut c = later;
        while c.take(sz, 200_000.0).is_ok() {}
        assert_eq!(c.wait_ms(sz, 200_000.0), 400);
        // A shorter penalty never shortens a longer one.
        let mut d = Bucket::full(sz, 0.0);
        d.penalize(sz, 0.0, 60_000);
        d.penalize(sz, 1_000.0, 1_000);
        assert!(d.wait_ms(sz, 30_000.0) >= 30_000);
    }

    #[test]
    fn a_clock_going_back_earns_nothing() {
        let sz = size(Rate { requests: 10, per_secs: 2 }, 1);
        let mut b = Bucket::full(sz, 10_000.0);
        while b.take(sz, 10_000.0).is_ok() {}
        assert!(b.take(sz, 5_000.0).is_err());
        assert!(b.take(sz, 10_000.0).is_err());
        assert!(b.take(sz, 10_400.0).is_ok());
    }

    #[test]
    fn the_visible_tab_goes_first_then_the_oldest() {
        let w = |id, visible, since_ms| Waiter { id, visible, since_ms };
        assert_eq!(next_in_line(&[]), None);
        assert_eq!(next_in_line(&[w(1, false, 10.0), w(2, false, 5.0)]), Some(2));
        assert_eq!(next_in_line(&[w(1, false, 1.0), w(2, true, 50.0), w(3, false, 0.0)]), Some(2));
        assert_eq!(next_in_line(&[w(4, true, 9.0), w(2, true, 9.0)]), Some(2));
        // Served in that order, every waiter once.
        let mut rng = Rng::new(9);
        for _ in 0..500 {
            let mut ws: Vec<Waiter> = (0..20).map(|i| w(i, rng.next() < 0.2, (rng.next() * 100.0).floor())).collect();
            let mut order = Vec::new();
            while let Some(id) = next_in_line(&ws) {
                order.push(ws.iter().find(|x| x.id == id).cloned().unwrap());
                ws.retain(|x| x.id != id);
            }
            assert_eq!(order.len(), 20);
            for pair in order.windows(2) {
                assert!(pair[0].visible >= pair[1].visible);
                if pair[0].visible == pair[1].visible {
                    assert!(pair[0].since_ms <= pair[1].since_ms);
                }
            }
        }
    }
}
