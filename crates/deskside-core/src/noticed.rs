//! "Numbers on many customers' tickets": phone numbers Deskside notices on
//! the tickets of many *different* customers, suggested to the admin as
//! probably the team's own (a hotline in an agent's signature, an agent's
//! direct line) that the options page's team numbers do not list yet.
//!
//! What is kept is bounded and, below the threshold, unreadable: per number
//! a salted hash of its E.164 value ([`crate::audit::subject_hash`], with the
//! install's audit salt), the salted hashes of the customers it was seen with
//! (the page's best-ranked identifier, at most [`CUSTOMERS_KEPT`]) and the
//! day it was last seen. The number itself is written down only once it has
//! been seen with [`THRESHOLD`] distinct customers: a customer's own number,
//! seen on their own tickets, is never kept readable. At most [`CAP`]
//! numbers, the least recently seen dropped first. Pure: the caller gives
//! the salt and the day (the core reads no clock).

use crate::identify::{Candidate, IdKind};
use serde::{Deserialize, Serialize};

/// Where the background keeps the [`Noticed`] store (`storage.local`).
pub const NOTICED_KEY: &str = "noticed_numbers";
/// Distinct customers a number must be seen with before it is suggested
/// (and before its value is kept readable).
pub const THRESHOLD: usize = 4;
/// Customers remembered per number (their hashes): counting stops there.
pub const CUSTOMERS_KEPT: usize = 8;
/// Numbers kept at most; the least recently seen go first.
pub const CAP: usize = 300;
/// Numbers the admin said are not the team's, kept at most (hashes only).
pub const DISMISSED_CAP: usize = 300;
/// Phone numbers of one page counted at most (its best ranked): a pasted
/// table of numbers does not flood the store.
pub const PHONES_PER_PAGE: usize = 8;

/// One number noticed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoticedNumber {
    /// Salted hash of the E.164 value.
    pub key: String,
    /// Salted hashes of the distinct customers it was seen with, at most
    /// [`CUSTOMERS_KEPT`].
    pub customers: Vec<String>,
    /// Days since the Unix epoch.
    pub last_day: u32,
    /// The E.164 value, only once `customers` holds [`THRESHOLD`] or more.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
}

/// The store, as kept in `storage.local`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Noticed {
    pub numbers: Vec<NoticedNumber>,
    /// Hashes of the numbers the admin said are not the team's: never
    /// counted or suggested again.
    pub dismissed: Vec<String>,
}

/// A number to suggest: its E.164 value and how many distinct customers'
/// tickets it was seen on (`capped`: at least that many; counting stopped).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub number: String,
    /// Grouped for reading (`+86 400 820 8888`).
    pub display: String,
    pub customers: usize,
    #[serde(default)]
    pub capped: bool,
}

fn number_key(salt: &str, e164: &str) -> String {
    crate::audit::subject_hash(salt, &format!("noticed-number\0{e164}"))
}

fn customer_key(salt: &str, value: &str) -> String {
    crate::audit::subject_hash(salt, &format!("noticed-customer\0{value}"))
}

/// Whether an identifier of this kind names one customer across their
/// tickets (an order or ticket number names one ticket: two tickets of the
/// same customer would count as two customers).
fn names_a_customer(kind: IdKind) -> bool {
    matches!(kind, IdKind::Email | IdKind::Phone | IdKind::CustomerId | IdKind::AccountId | IdKind::ResidentId | IdKind::CreditCode)
}

impl Noticed {
    /// A page was scanned and ranked: each of its phone numbers (the
    /// candidates, which never hold a number the admin listed; `team_phones`
    /// is checked again) is counted as seen with the page's customer, its
    /// best-ranked identifier. Nothing is counted when that identifier does
    /// not name a customer (an order number) or the page has none; the best
    /// identifier itself is never counted (a phone-only ticket counts its
    /// other numbers with that phone as the customer). Returns whether the
    /// store changed.
    pub fn observe(&mut self, salt: &str, candidates: &[Candidate], team_phones: &[String], day: u32) -> bool {
        let Some(best) = candidates.iter().find(|c| c.kind.lookupable()) else { return false };
        if !names_a_customer(best.kind) || !crate::audit::salt_usable(salt) {
            return false;
        }
        let customer = customer_key(salt, &best.value);
        let mut changed = false;
        // A number listed since it was noticed is the team's: forgotten.
        let before = self.numbers.len();
        self.numbers.retain(|n| n.number.as_ref().is_none_or(|v| !team_phones.contains(v)));
        changed |= self.numbers.len() != before;
        let phones = candidates.iter().filter(|c| c.kind == IdKind::Phone && c.value != best.value && !team_phones.contains(&c.value));
        for phone in phones.take(PHONES_PER_PAGE) {
            let key = number_key(salt, &phone.value);
            if self.dismissed.contains(&key) {
                continue;
            }
            let entry = match self.numbers.iter().position(|n| n.key == key) {
                Some(i) => &mut self.numbers[i],
                None => {
                    self.numbers.push(NoticedNumber { key, ..NoticedNumber::default() });
                    self.numbers.last_mut().expect("just pushed")
                }
            };
            if entry.last_day != day {
                entry.last_day = day;
                changed = true;
            }
            if !entry.customers.contains(&customer) && entry.customers.len() < CUSTOMERS_KEPT {
                entry.customers.push(customer.clone());
                changed = true;
            }
            if entry.customers.len() >= THRESHOLD && entry.number.is_none() {
                entry.number = Some(phone.value.clone());
                changed = true;
            }
        }
        changed | self.evict()
    }

    /// Drops the least recently seen numbers past [`CAP`] (of two seen the
    /// same day, the one seen with fewer customers). Returns whether any went.
    fn evict(&mut self) -> bool {
        let mut dropped = false;
        while self.numbers.len() > CAP {
            let oldest = (0..self.numbers.len()).min_by_key(|&i| (self.numbers[i].last_day, self.numbers[i].customers.len())).expect("not empty");
            self.numbers.remove(oldest);
            dropped = true;
        }
        dropped
    }

    /// The numbers to suggest: seen with [`THRESHOLD`] customers or more,
    /// not listed in `team_phones`, not dismissed; most customers first.
    pub fn suggestions(&self, team_phones: &[String]) -> Vec<Suggestion> {
        let mut out: Vec<Suggestion> = self
            .numbers
            .iter()
            .filter(|n| n.customers.len() >= THRESHOLD && !self.dismissed.contains(&n.key))
            .filter_map(|n| {
                let number = n.number.clone()?;
                (!team_phones.contains(&number)).then(|| Suggestion { display: display(&number), customers: n.customers.len(), capped: n.customers.len() >= CUSTOMERS_KEPT, number })
            })
            .collect();
        crate::sort::sort_by(&mut out, |a, b| b.customers.cmp(&a.customers).then_with(|| a.number.cmp(&b.number)));
        out
    }

    /// The admin says `number` (E.164) is not the team's: it is forgotten and
    /// never counted again (only its hash is kept). Returns whether it was
    /// one noticed.
    pub fn dismiss(&mut self, salt: &str, number: &str) -> bool {
        let key = number_key(salt, number);
        let before = self.numbers.len();
        self.numbers.retain(|n| n.key != key);
        if !self.dismissed.contains(&key) {
            self.dismissed.push(key);
            if self.dismissed.len() > DISMISSED_CAP {
                self.dismissed.remove(0);
            }
        }
        self.numbers.len() != before
    }

    /// "Forget what Deskside noticed": everything, the dismissed too.
    pub fn forget_all(&mut self) {
        *self = Noticed::default();
    }
}

/// A day number (days since the Unix epoch) from milliseconds.
pub fn day_of(ms: f64) -> u32 {
    if ms.is_finite() && ms > 0.0 {
        (ms / 86_400_000.0) as u32
    } else {
        0
    }
}

/// An E.164 value grouped for reading: the country code, then groups of
/// three and a last group of four (`+86 400 820 8888`, `+86 138 0013 8000`,
/// `+1 415 555 0123`). Anything else is returned as it is.
pub fn display(e164: &str) -> String {
    let Some(digits) = e164.strip_prefix('+').filter(|d| d.len() > 4 && d.bytes().all(|b| b.is_ascii_digit())) else {
        return e164.to_string();
    };
    let (cc, mut rest) = digits.split_at(crate::mask::country_code_len(digits).min(digits.len() - 1));
    let mut out = format!("+{cc}");
    while rest.len() > 8 {
        out.push(' ');
        out.push_str(&rest[..3]);
        rest = &rest[3..];
    }
    if rest.len() > 4 {
        out.push(' ');
        out.push_str(&rest[..rest.len() - 4]);
        rest = &rest[rest.len() - 4..];
    }
    out.push(' ');
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identify::Source;

    const SALT: &str = "0123456789abcdef0123456789abcdef";
    const HOTLINE: &str = "+864008208888";

    fn cand(kind: IdKind, value: &str, score: u32) -> Candidate {
        Candidate { kind, value: value.into(), source: Source::Text, score, sensitive: false, label: None }
    }

    /// A page: the customer's address first, then the given phones.
    fn page(customer: &str, phones: &[&str]) -> Vec<Candidate> {
        let mut c = vec![cand(IdKind::Email, customer, 50)];
        c.extend(phones.iter().map(|p| cand(IdKind::Phone, p, 30)));
        c
    }

    #[test]
    fn a_number_on_four_customers_tickets_is_suggested() {
        let mut n = Noticed::default();
        for (i, who) in ["a@x.example", "b@x.example", "c@x.example"].iter().enumerate() {
            assert!(n.observe(SALT, &page(who, &[HOTLINE, &format!("+8613800138{i:03}")]), &[], 20_000));
            assert!(n.suggestions(&[]).is_empty(), "below the threshold");
        }
        n.observe(SALT, &page("d@x.example", &[HOTLINE]), &[], 20_001);
        let s = n.suggestions(&[]);
        assert_eq!(s, vec![Suggestion { number: HOTLINE.into(), display: "+86 400 820 8888".into(), customers: 4, capped: false }]);
        // Listed by the admin: no longer suggested, and forgotten at the next look.
        assert!(n.suggestions(&[HOTLINE.into()]).is_empty());
        n.observe(SALT, &page("e@x.example", &["+8613900139000"]), &[HOTLINE.into()], 20_002);
        assert!(n.numbers.iter().all(|x| x.number.as_deref() != Some(HOTLINE)));
    }

    #[test]
    fn a_customers_own_number_on_many_of_their_own_tickets_is_never_suggested() {
        let mut n = Noticed::default();
        for day in 0..50 {
            n.observe(SALT, &page("li.na@yunfan.example", &["+8613800138000"]), &[], 20_000 + day);
        }
        assert!(n.suggestions(&[]).is_empty());
        assert_eq!(n.numbers.len(), 1);
        assert_eq!(n.numbers[0].customers.len(), 1);
        assert_eq!(n.numbers[0].number, None);
        // The same customer's phone as the best identifier (a phone-only
        // ticket) is the customer, never a number counted with itself.
        for _ in 0..10 {
            n.observe(SALT, &[cand(IdKind::Phone, "+8613800138000", 50)], &[], 20_100);
        }
        assert!(n.suggestions(&[]).is_empty());
        assert_eq!(n.numbers[0].customers.len(), 1);
    }

    #[test]
    fn nothing_readable_below_the_threshold() {
        let mut n = Noticed::default();
        for who in ["a@x.example", "b@x.example", "c@x.example"] {
            n.observe(SALT, &page(who, &[HOTLINE, "+14155550123"]), &[], 20_000);
        }
        let json = serde_json::to_string(&n).unwrap();
        for secret in ["4008208888", "864008208888", "4155550123", "a@x.example", "x.example"] {
            assert!(!json.contains(secret), "{secret} readable in {json}");
        }
        assert!(n.numbers.iter().all(|x| x.number.is_none() && x.key.len() == 32));
        // At the threshold, the number (only it) becomes readable.
        n.observe(SALT, &page("d@x.example", &[HOTLINE]), &[], 20_000);
        let json = serde_json::to_string(&n).unwrap();
        assert!(json.contains(HOTLINE) && !json.contains("4155550123") && !json.contains("d@x.example"));
        // Another salt gives other keys: the hashes cannot be matched across installs.
        let mut other = Noticed::default();
        other.observe(&SALT.replace('0', "1"), &page("a@x.example", &[HOTLINE]), &[], 20_000);
        assert!(n.numbers.iter().all(|x| x.key != other.numbers[0].key));
    }

    #[test]
    fn the_cap_holds_and_the_least_recently_seen_go_first() {
        let mut n = Noticed::default();
        // The hotline, seen with four customers on day 1.
        for who in ["a@x.example", "b@x.example", "c@x.example", "d@x.example"] {
            n.observe(SALT, &page(who, &[HOTLINE]), &[], 1);
        }
        for i in 0..(CAP as u32 + 50) {
            n.observe(SALT, &page(&format!("c{i}@x.example"), &[&format!("+1415555{i:04}")]), &[], 2 + i);
            assert!(n.numbers.len() <= CAP);
        }
        assert_eq!(n.numbers.len(), CAP);
        assert!(n.suggestions(&[]).is_empty(), "the oldest, the hotline, was dropped");
        assert!(n.numbers.iter().all(|x| x.last_day >= 52), "the 50 oldest went");
        // Customers per number are capped too.
        let mut m = Noticed::default();
        for i in 0..40 {
            m.observe(SALT, &page(&format!("c{i}@x.example"), &[HOTLINE]), &[], 1);
        }
        assert_eq!(m.numbers[0].customers.len(), CUSTOMERS_KEPT);
        assert_eq!(m.suggestions(&[])[0], Suggestion { number: HOTLINE.into(), display: "+86 400 820 8888".into(), customers: CUSTOMERS_KEPT, capped: true });
        // And the numbers of one page.
        let many: Vec<String> = (0..30).map(|i| format!("+1415555{i:04}")).collect();
        let mut p = Noticed::default();
        p.observe(SALT, &page("a@x.example", &many.iter().map(String::as_str).collect::<Vec<_>>()), &[], 1);
        assert_eq!(p.numbers.len(), PHONES_PER_PAGE);
    }

    #[test]
    fn dismissed_numbers_are_forgotten_and_not_counted_again() {
        let mut n = Noticed::default();
        for who in ["a@x.example", "b@x.example", "c@x.example", "d@x.example"] {
            n.observe(SALT, &page(who, &[HOTLINE]), &[], 1);
        }
        assert!(n.dismiss(SALT, HOTLINE));
        assert!(n.suggestions(&[]).is_empty());
        assert!(!serde_json::to_string(&n).unwrap().contains("4008208888"));
        for who in ["e@x.example", "f@x.example", "g@x.example", "h@x.example", "i@x.example"] {
            n.observe(SALT, &page(who, &[HOTLINE]), &[], 2);
        }
        assert!(n.suggestions(&[]).is_empty() && n.numbers.is_empty());
        // Forget all: the dismissed too.
        n.forget_all();
        assert_eq!(n, Noticed::default());
    }

    #[test]
    fn pages_without_a_customer_count_nothing() {
        let mut n = Noticed::default();
        // An order number names a ticket, not a customer.
        let order = vec![cand(IdKind::OrderId, "ORD-2026-000001", 60), cand(IdKind::Phone, HOTLINE, 30)];
        assert!(!n.observe(SALT, &order, &[], 1));
        assert!(!n.observe(SALT, &[], &[], 1));
        // No usable salt, nothing kept.
        assert!(!n.observe("", &page("a@x.example", &[HOTLINE]), &[], 1));
        // Listed numbers are never counted.
        n.observe(SALT, &page("a@x.example", &[HOTLINE]), &[HOTLINE.into()], 1);
        assert!(n.numbers.is_empty());
    }

    #[test]
    fn numbers_are_grouped_for_reading() {
        assert_eq!(display("+864008208888"), "+86 400 820 8888");
        assert_eq!(display("+8613800138000"), "+86 138 0013 8000");
        assert_eq!(display("+14155550123"), "+1 415 555 0123");
        assert_eq!(display("+442079460958"), "+44 207 946 0958");
        assert_eq!(display("+35312345678"), "+353 1234 5678");
        assert_eq!(display("not a number"), "not a number");
        assert_eq!(day_of(86_400_000.0 * 3.5), 3);
    }
}
