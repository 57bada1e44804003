//! What the background keeps in memory while it lives (issue 23): values it
//! would otherwise read from the browser and parse on every message (the
//! settings, the host permissions granted per origin), with the rule that
//! keeps them true: every change the browser reports (`storage.onChanged`,
//! `permissions.onAdded`/`onRemoved`) or the background makes itself moves
//! a generation on, and a value read from the browser is kept only if no
//! change came while it was being read (it may predate the change).
//! A restarted worker starts empty, so it reads fresh.

/// Taken before a value is read from the browser; [`Kept::fill`] keeps the
/// value only if the generation has not moved since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct Ticket(u64);

/// One value kept (the parsed settings).
#[derive(Debug)]
pub struct Kept<T> {
    generation: u64,
    value: Option<T>,
}

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Self { generation: 0, value: None }
    }
}

impl<T: Clone> Kept<T> {
    /// The value kept, if any.
    pub fn get(&self) -> Option<T> {
        self.value.clone()
    }

    /// Before reading the value from the browser.
    pub fn ticket(&self) -> Ticket {
        Ticket(self.generation)
    }

    /// The value read under `ticket`: kept when nothing changed meanwhile
    /// (answers whether it was).
    pub fn fill(&mut self, ticket: Ticket, value: T) -> bool {
        if ticket.0 != self.generation {
            return false;
        }
        self.value = Some(value);
        true
    }

    /// Something changed (or may have): forget the value; reads under way
    /// are not kept.
    pub fn invalidate(&mut self) {
        self.generation += 1;
        self.value = None;
    }

    /// The background stored `value` itself: kept at once (the browser's
    /// change event comes later), and reads under way are not kept.
    pub fn put(&mut self, value: T) {
        self.generation += 1;
        self.value = Some(value);
    }
}

/// Answers kept per key (whether the browser grants a host pattern), all
/// forgotten together on any change.
#[derive(Debug)]
pub struct KeptPerKey<V> {
    generation: u64,
    answers: Vec<(String, V)>,
}

impl<V> Default for KeptPerKey<V> {
    fn default() -> Self {
        Self { generation: 0, answers: Vec::new() }
    }
}

impl<V: Clone> KeptPerKey<V> {
    /// Keys above this many are not kept (a settings with that many origins
    /// asks the browser each time rather than grow without bound).
    pub const MAX: usize = 256;

    pub fn get(&self, key: &str) -> Option<V> {
        self.answers.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    pub fn ticket(&self) -> Ticket {
        Ticket(self.generation)
    }

    /// `key`'s answer read under `ticket`: kept when nothing changed meanwhile.
    pub fn fill(&mut self, ticket: Ticket, key: &str, value: V) -> bool {
        if ticket.0 != self.generation {
            return false;
        }
        if let Some(slot) = self.answers.iter_mut().find(|(k, _)| k == key) {
            slot.1 = value;
            return true;
        }
        if self.answers.len() >= Self::MAX {
            return false;
        }
        self.answers.push((key.to_string(), value));
        true
    }

    pub fn invalidate(&mut self) {
        self.generation += 1;
        self.answers.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_until_filled_then_kept() {
        let mut k: Kept<String> = Kept::default();
        assert_eq!(k.get(), None);
        let t = k.ticket();
        assert!(k.fill(t, "a".into()));
        assert_eq!(k.get().as_deref(), Some("a"));
    }

    #[test]
    fn a_change_forgets_the_value() {
        let mut k: Kept<String> = Kept::default();
        let t = k.ticket();
        assert!(k.fill(t, "a".into()));
        k.invalidate();
        assert_eq!(k.get(), None);
    }

    #[test]
    fn a_read_that_a_change_overtook_is_not_kept() {
        // The read started, the settings changed, then the (old) value arrived.
        let mut k: Kept<String> = Kept::default();
        let t = k.ticket();
        k.invalidate();
        assert!(!k.fill(t, "old".into()));
        assert_eq!(k.get(), None);
        // A read started after the change is kept.
        let t = k.ticket();
        assert!(k.fill(t, "new".into()));
        assert_eq!(k.get().as_deref(), Some("new"));
    }

    #[test]
    fn what_the_background_stored_wins_over_a_read_under_way() {
        // A job reads the settings while a Save stores new ones: the old read
        // must not replace the saved value (a job would then prune the new
        // connector's cache entries).
        let mut k: Kept<String> = Kept::default();
        let before_save = k.ticket();
        k.put("saved".into());
        assert_eq!(k.get().as_deref(), Some("saved"));
        assert!(!k.fill(before_save, "old".into()));
        assert_eq!(k.get().as_deref(), Some("saved"));
        // The browser's change event for the Save: forgotten, read fresh.
        k.invalidate();
        assert_eq!(k.get(), None);
    }

    #[test]
    fn per_key_answers_are_kept_and_forgotten_together() {
        let mut k: KeptPerKey<bool> = KeptPerKey::default();
        let t = k.ticket();
        assert!(k.fill(t, "https://a.example/*", true));
        assert!(k.fill(t, "https://b.example/*", false));
        assert_eq!(k.get("https://a.example/*"), Some(true));
        assert_eq!(k.get("https://b.example/*"), Some(false));
        assert_eq!(k.get("https://c.example/*"), None);
        k.invalidate();
        assert_eq!(k.get("https://a.example/*"), None);
        assert_eq!(k.get("https://b.example/*"), None);
    }

    #[test]
    fn a_per_key_answer_overtaken_by_a_change_is_not_kept() {
        // `permissions.contains` answered "granted", but the grant was removed
        // before the answer came back.
        let mut k: KeptPerKey<bool> = KeptPerKey::default();
        let t = k.ticket();
        k.invalidate();
        assert!(!k.fill(t, "https://a.example/*", true));
        assert_eq!(k.get("https://a.example/*"), None);
    }

    #[test]
    fn per_key_answers_are_bounded() {
        let mut k: KeptPerKey<bool> = KeptPerKey::default();
        let t = k.ticket();
        for i in 0..KeptPerKey::<bool>::MAX {
            assert!(k.fill(t, &format!("https://{i}.example/*"), true));
        }
        assert!(!k.fill(t, "https://one-more.example/*", true));
        assert_eq!(k.get("https://one-more.example/*"), None);
        // An answer for a key already kept still replaces it.
        assert!(k.fill(t, "https://0.example/*", false));
        assert_eq!(k.get("https://0.example/*"), Some(false));
    }
}
