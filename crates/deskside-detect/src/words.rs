//! Lists of words looked for in a short text in one pass. The context rules
//! ask many lists (an agent's role words, the words that give a number as
//! the reader's or the writer's own, a team's words) of every line near a
//! number; asked word by word, each word is a pass over the line, so a list
//! of sixty words read a line sixty times. A [`Words`] indexes its list by
//! first byte once a process and reads the text once: at each byte only the
//! words that can start there are compared.

use std::sync::OnceLock;

/// A fixed list of words and, built at its first use, its index by first
/// byte (ASCII letters folded to lower case). The searches are
/// `#[inline(never)]`: inlined into the size-built core, their loop would
/// be built for size with it (see the crate's doc).
pub struct Words {
    list: &'static [&'static str],
    index: OnceLock<Index>,
}

struct Index {
    /// The words starting with byte `c` are `order[from[c]..from[c + 1]]`.
    from: [u16; 257],
    order: Vec<u16>,
}

impl Words {
    /// The list `list` (no empty word), indexed when first asked.
    pub const fn new(list: &'static [&'static str]) -> Words {
        Words { list, index: OnceLock::new() }
    }

    /// The words, as given.
    pub fn list(&self) -> &'static [&'static str] {
        self.list
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let first = |w: &str| usize::from(w.as_bytes()[0].to_ascii_lowercase());
            let mut order: Vec<u16> = (0..self.list.len() as u16).collect();
            order.sort_by_key(|&k| first(self.list[usize::from(k)]));
            let mut from = [0u16; 257];
            for w in self.list {
                from[first(w) + 1] += 1;
            }
            for c in 0..256 {
                from[c + 1] += from[c];
            }
            Index { from, order }
        })
    }

    /// The first word found scanning `hay` from its start, by where it
    /// starts (the list's order among words starting at one byte), that
    /// `keep(word, at)` accepts: compared with ASCII letters in either case
    /// when `fold`, else byte for byte.
    fn find(&self, hay: &[u8], fold: bool, mut keep: impl FnMut(&'static str, usize) -> bool) -> bool {
        let index = self.index();
        for (i, &c) in hay.iter().enumerate() {
            let c = usize::from(c.to_ascii_lowercase());
            let (lo, hi) = (usize::from(index.from[c]), usize::from(index.from[c + 1]));
            if lo == hi {
                continue;
            }
            // (The next byte, folded, rules most words out before a compare.)
            let next = hay.get(i + 1).map(u8::to_ascii_lowercase);
            for &k in &index.order[lo..hi] {
                let w = self.list[usize::from(k)].as_bytes();
                if w.get(1).is_some_and(|&n| Some(n.to_ascii_lowercase()) != next) {
                    continue;
                }
                let Some(at) = hay.get(i..i + w.len()) else { continue };
                let same = if fold { at.eq_ignore_ascii_case(w) } else { at == w };
                if same && keep(self.list[usize::from(k)], i) {
                    return true;
                }
            }
        }
        false
    }

    /// Whether `hay` holds one of the words, ASCII letters in either case
    /// (what `list.iter().any(|w| hay.contains(w))` says of a lower-cased
    /// `hay` and lower-case words).
    #[inline(never)]
    pub fn any_in(&self, hay: &str) -> bool {
        self.find(hay.as_bytes(), true, |_, _| true)
    }

    /// Whether `hay` holds one of the words byte for byte (no folding).
    #[inline(never)]
    pub fn any_exact_in(&self, hay: &str) -> bool {
        self.find(hay.as_bytes(), false, |_, _| true)
    }

    /// Whether `hay` holds one of the words as a word: a word that starts
    /// with an ASCII letter matches with ASCII letters in either case and
    /// no letter or digit right before or after it; any other word matches
    /// byte for byte anywhere (`客服` inside `售后客服部`).
    #[inline(never)]
    pub fn word_in(&self, hay: &str) -> bool {
        let b = hay.as_bytes();
        self.find(b, true, |w, i| {
            let wb = w.as_bytes();
            if !wb[0].is_ascii_alphabetic() {
                // (Folded compare above; such a word is matched as written.)
                return b[i..i + wb.len()] == *wb;
            }
            let before = hay[..i].chars().next_back();
            let after = hay[i + wb.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Words;

    static ROLES: Words = Words::new(&["agent", "help desk", "客服", "conseillère", "Ab"]);

    /// The one-pass answers against the word-by-word ones they replace.
    fn slow_word_in(list: &[&str], hay: &str) -> bool {
        let b = hay.as_bytes();
        list.iter().any(|w| {
            let wb = w.as_bytes();
            if !wb[0].is_ascii_alphabetic() {
                return b.windows(wb.len()).any(|x| x == wb);
            }
            (0..b.len()).any(|i| {
                b.get(i..i + wb.len()).is_some_and(|x| x.eq_ignore_ascii_case(wb))
                    && !hay[..i].chars().next_back().is_some_and(char::is_alphanumeric)
                    && hay.get(i + wb.len()..).is_some_and(|r| !r.chars().next().is_some_and(char::is_alphanumeric))
            })
        })
    }

    #[test]
    fn agrees_with_the_word_by_word_search() {
        let hays = [
            "", "Agent", "AGENT Hugo:", "reagent", "agents", "the agent.", "Help Desk (Kees)", "helpdesk", "售后客服部", "客 服", "Conseillère Anne",
            "CONSEILLÈRE", "conseillèreX", "ab", "aB-", "éagent", "agenté", "x agent", "agen", "客服",
        ];
        for h in hays {
            assert_eq!(ROLES.word_in(h), slow_word_in(ROLES.list(), h), "word_in({h:?})");
            let lower = h.to_lowercase();
            let contains = ROLES.list().iter().any(|w| lower.contains(&w.to_lowercase()));
            assert_eq!(ROLES.any_in(&lower), contains, "any_in({lower:?})");
            assert_eq!(ROLES.any_exact_in(h), ROLES.list().iter().any(|w| h.contains(w)), "any_exact_in({h:?})");
        }
    }

    #[test]
    fn answers() {
        assert!(ROLES.word_in("Réponse de l'agent Hugo"));
        assert!(!ROLES.word_in("reagents"));
        assert!(ROLES.word_in("售后客服部"));
        assert!(ROLES.any_in("travel agents"));
        assert!(!ROLES.any_exact_in("AGENT"));
        assert!(ROLES.any_exact_in("Ab"));
    }
}
