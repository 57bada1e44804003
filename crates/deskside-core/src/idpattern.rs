//! Admin-defined identifier patterns: a small regular-expression language,
//! compiled here without any crate and matched in time linear in the text
//! (a Pike VM: a Thompson NFA simulated with capture slots, no backtracking),
//! because the pages it runs on may be hostile and hold megabytes of text.
//!
//! The language: literals; escapes `\d \D \w \W \s \S \n \t \r` and any
//! escaped punctuation (`\.`, `\-`, `\(`…); `.` (any character but a line
//! break); classes `[A-Z0-9_-]`, `[^…]`; groups `( )` and `(?: )`;
//! alternation `|`; quantifiers `? * + {n} {n,} {n,m}` (counts at most
//! [`MAX_REPEAT`]), each optionally lazy with a trailing `?`; `(?i)` at the
//! very start for case-insensitive matching; and at most one named part
//! `(?<id>…)` (or `(?P<id>…)`), the value extracted. Without a named part
//! the whole match is the value.
//!
//! Matches never start or end inside a longer run of letters or digits (an
//! implicit word edge; Han, kana and Hangul do not count as such letters,
//! since Chinese and Japanese text runs into identifiers without spaces):
//! `ORD-\d{4}-\d{6}` finds `ORD-2026-004211` in "order ORD-2026-004211." but
//! nothing in "XORD-2026-0042119".

use crate::i18n::{data, Arg, Msg, Text};

/// Longest pattern accepted, in characters.
pub const MAX_PATTERN_CHARS: usize = 200;
/// Largest count in `{n}`, `{n,}`, `{n,m}`.
pub const MAX_REPEAT: u32 = 64;
/// Largest compiled program (repetitions are expanded when compiling).
const MAX_PROGRAM: usize = 3_000;
/// At most this many matches are reported per text.
pub const MAX_MATCHES: usize = 1_000;
/// Default work limit of [`Pattern::find_all`], in VM thread steps.
pub const DEFAULT_STEP_BUDGET: u64 = 60_000_000;

/// Why a pattern does not compile: a message for the admin, with the
/// (0-based) character position when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    pub message: Text,
    pub position: Option<usize>,
}

impl PatternError {
    fn new(message: impl Into<Text>) -> PatternError {
        PatternError { message: message.into(), position: None }
    }

    /// What the options page shows.
    pub fn text(&self) -> Text {
        match self.position {
            Some(p) => Text::new(Msg::PatAt, [Arg::Text(self.message.clone()), data(p)]),
            None => self.message.clone(),
        }
    }
}

fn error_at(message: impl Into<Text>, position: usize) -> PatternError {
    PatternError { message: message.into(), position: Some(position) }
}

/// One match: byte ranges into the searched text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdMatch {
    pub start: usize,
    pub end: usize,
    /// The named part, or the whole match when the pattern has none.
    pub value_start: usize,
    pub value_end: usize,
}

impl IdMatch {
    pub fn value<'t>(&self, text: &'t str) -> &'t str {
        &text[self.value_start..self.value_end]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ClassItem {
    Range(char, char),
    /// `\d`/`\D` (ASCII digits); the flag is "negated".
    Digit(bool),
    /// `\w`/`\W` (ASCII letters, digits, `_`).
    Word(bool),
    /// `\s`/`\S` (Unicode white space).
    Space(bool),
}

impl ClassItem {
    fn matches(self, c: char) -> bool {
        match self {
            ClassItem::Range(lo, hi) => lo <= c && c <= hi,
            ClassItem::Digit(neg) => c.is_ascii_digit() != neg,
            ClassItem::Word(neg) => (c.is_ascii_alphanumeric() || c == '_') != neg,
            ClassItem::Space(neg) => c.is_whitespace() != neg,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Class {
    items: Vec<ClassItem>,
    negated: bool,
}

impl Class {
    fn matches(&self, c: char, case_insensitive: bool) -> bool {
        let hit = |c: char| self.items.iter().any(|i| i.matches(c));
        let found = hit(c) || case_insensitive && (simple_lower(c).is_some_and(hit) || simple_upper(c).is_some_and(hit));
        found != self.negated
    }
}

fn simple_lower(c: char) -> Option<char> {
    if c.is_ascii() {
        return c.is_ascii_uppercase().then(|| c.to_ascii_lowercase());
    }
    let mut l = c.to_lowercase();
    let first = l.next()?;
    (l.next().is_none() && first != c).then_some(first)
}

fn simple_upper(c: char) -> Option<char> {
    if c.is_ascii() {
        return c.is_ascii_lowercase().then(|| c.to_ascii_uppercase());
    }
    let mut u = c.to_uppercase();
    let first = u.next()?;
    (u.next().is_none() && first != c).then_some(first)
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Node {
    Empty,
    Lit(char),
    Any,
    Class(Class),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat { node: Box<Node>, min: u32, max: Option<u32>, greedy: bool },
    /// The named `id` part.
    Capture(Box<Node>),
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    has_id: bool,
    case_insensitive: bool,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn eat(&mut self, s: &str) -> bool {
        let n = s.chars().count();
        if self.chars.len() >= self.pos + n && self.chars[self.pos..self.pos + n].iter().copied().eq(s.chars()) {
            self.pos += n;
            true
        } else {
            false
        }
    }

    fn alternation(&mut self) -> Result<Node, PatternError> {
        let mut branches = vec![self.concat()?];
        while self.peek() == Some('|') {
            self.pos += 1;
            branches.push(self.concat()?);
        }
        Ok(if branches.len() == 1 { branches.pop().unwrap_or(Node::Empty) } else { Node::Alt(branches) })
    }

    fn concat(&mut self) -> Result<Node, PatternError> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            match c {
                '|' | ')' => break,
                '*' | '+' | '?' | '{' => return Err(error_at(Msg::PatNothingToRepeat, self.pos)),
                _ => {
                    let atom = self.atom()?;
                    let atom = self.quantified(atom)?;
                    items.push(atom);
                }
            }
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(items),
        })
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, PatternError> {
        let at = self.pos;
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => self.counted()?,
            _ => return Ok(atom),
        };
        if self.pos == at {
            // `*`, `+` or `?` (`counted` has stepped over its braces).
            self.pos += 1;
        }
        let greedy = !self.eat("?");
        if matches!(atom, Node::Empty) {
            return Err(error_at(Msg::PatNothingToRepeat, at));
        }
        if let Some(c @ ('*' | '+' | '?' | '{')) = self.peek() {
            return Err(error_at(Text::new(Msg::PatRepeatsRepetition, [data(c)]), self.pos));
        }
        Ok(Node::Repeat { node: Box::new(atom), min, max, greedy })
    }

    /// `{n}`, `{n,}`, `{n,m}`, stepping over the closing `}`.
    fn counted(&mut self) -> Result<(u32, Option<u32>), PatternError> {
        let open = self.pos;
        let close = self.chars[open..].iter().position(|&c| c == '}').map(|i| open + i);
        let Some(close) = close else { return Err(error_at(Msg::PatUnclosedRepetition, open)) };
        let body: String = self.chars[open + 1..close].iter().collect();
        let bad = || error_at(Msg::PatInvalidRepetition, open);
        let number = |s: &str| -> Result<u32, PatternError> {
            if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            let n: u32 = s.parse().map_err(|_| bad())?;
            if n > MAX_REPEAT {
                return Err(error_at(Text::new(Msg::PatCountTooHigh, [data(n), data(MAX_REPEAT)]), open));
            }
            Ok(n)
        };
        let (min, max) = match body.split_once(',') {
            None => {
                let n = number(body.trim())?;
                (n, Some(n))
            }
            Some((a, b)) if b.trim().is_empty() => (number(a.trim())?, None),
            Some((a, b)) => (number(a.trim())?, Some(number(b.trim())?)),
        };
        if let Some(m) = max {
            if m < min {
                return Err(error_at(Text::new(Msg::PatMinAboveMax, [data(min), data(m)]), open));
            }
        }
        self.pos = close + 1;
        Ok((min, max))
    }

    fn atom(&mut self) -> Result<Node, PatternError> {
        let at = self.pos;
        let Some(c) = self.peek() else { return Ok(Node::Empty) };
        self.pos += 1;
        match c {
            '(' => self.group(at),
            '[' => self.class(at).map(Node::Class),
            '.' => Ok(Node::Any),
            '\\' => match self.escape(at)? {
                Escaped::Char(c) => Ok(Node::Lit(c)),
                Escaped::Item(i) => Ok(Node::Class(Class { items: vec![i], negated: false })),
            },
            '^' | '$' => Err(error_at(Text::new(Msg::PatAnchor, [data(c)]), at)),
            c => Ok(Node::Lit(c)),
        }
    }

    fn group(&mut self, open: usize) -> Result<Node, PatternError> {
        let mut capture = false;
        if self.peek() == Some('?') {
            if self.eat("?:") {
            } else if self.eat("?<id>") || self.eat("?P<id>") {
                if self.has_id {
                    return Err(error_at(Msg::PatOneId, open));
                }
                self.has_id = true;
                capture = true;
            } else if self.eat("?i)") {
                if open != 0 {
                    return Err(error_at(Msg::PatCaseAtStart, open));
                }
                self.case_insensitive = true;
                return Ok(Node::Empty);
            } else if self.peek_at(1) == Some('<') || self.peek_at(1) == Some('P') {
                return Err(error_at(Msg::PatNameId, open));
            } else {
                return Err(error_at(Msg::PatGroupSyntax, open));
            }
        }
        let inner = self.alternation()?;
        if self.peek() != Some(')') {
            return Err(error_at(Msg::PatUnclosedGroup, open));
        }
        self.pos += 1;
        Ok(if capture { Node::Capture(Box::new(inner)) } else { inner })
    }

    fn escape(&mut self, at: usize) -> Result<Escaped, PatternError> {
        let Some(c) = self.peek() else { return Err(error_at(Msg::PatLoneBackslash, at)) };
        self.pos += 1;
        Ok(match c {
            'd' => Escaped::Item(ClassItem::Digit(false)),
            'D' => Escaped::Item(ClassItem::Digit(true)),
            'w' => Escaped::Item(ClassItem::Word(false)),
            'W' => Escaped::Item(ClassItem::Word(true)),
            's' => Escaped::Item(ClassItem::Space(false)),
            'S' => Escaped::Item(ClassItem::Space(true)),
            'n' => Escaped::Char('\n'),
            't' => Escaped::Char('\t'),
            'r' => Escaped::Char('\r'),
            c if c.is_alphanumeric() => return Err(error_at(Text::new(Msg::PatEscape, [data(c)]), at)),
            c => Escaped::Char(c),
        })
    }

    fn class(&mut self, open: usize) -> Result<Class, PatternError> {
        let negated = self.eat("^");
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let at = self.pos;
            let Some(c) = self.peek() else { return Err(error_at(Msg::PatUnclosedClass, open)) };
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            let lo = self.class_char()?;
            // A range `a-z`, unless the `-` is the last character of the class.
            if self.peek() == Some('-') && self.peek_at(1).is_some_and(|n| n != ']') {
                let Escaped::Char(lo) = lo else { return Err(error_at(Msg::PatRangeStart, at)) };
                self.pos += 1;
                let hi_at = self.pos;
                let Escaped::Char(hi) = self.class_char()? else { return Err(error_at(Msg::PatRangeEnd, hi_at)) };
                if hi < lo {
                    return Err(error_at(Text::new(Msg::PatRangeOrder, [data(lo), data(hi)]), at));
                }
                items.push(ClassItem::Range(lo, hi));
            } else {
                items.push(match lo {
                    Escaped::Char(c) => ClassItem::Range(c, c),
                    Escaped::Item(i) => i,
                });
            }
        }
        Ok(Class { items, negated })
    }

    fn class_char(&mut self) -> Result<Escaped, PatternError> {
        let at = self.pos;
        let Some(c) = self.peek() else { return Err(error_at(Msg::PatUnclosedClass, at)) };
        self.pos += 1;
        if c == '\\' {
            self.escape(at)
        } else {
            Ok(Escaped::Char(c))
        }
    }
}

enum Escaped {
    Char(char),
    Item(ClassItem),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Inst {
    Char(char),
    Class(usize),
    /// Any character but `\n`.
    Any,
    /// Try the first target, then the second.
    Split(usize, usize),
    Jmp(usize),
    Save(usize),
    /// Not strictly inside a run of letters/digits.
    Edge,
    Match,
}

struct Compiler {
    prog: Vec<Inst>,
    classes: Vec<Class>,
    case_insensitive: bool,
}

impl Compiler {
    fn push(&mut self, i: Inst) -> Result<usize, PatternError> {
        if self.prog.len() >= MAX_PROGRAM {
            return Err(PatternError::new(Msg::PatTooLarge));
        }
        self.prog.push(i);
        Ok(self.prog.len() - 1)
    }

    fn class(&mut self, c: Class) -> Result<usize, PatternError> {
        let i = match self.classes.iter().position(|k| *k == c) {
            Some(i) => i,
            None => {
                self.classes.push(c);
                self.classes.len() - 1
            }
        };
        self.push(Inst::Class(i))
    }

    fn emit(&mut self, node: &Node) -> Result<(), PatternError> {
        match node {
            Node::Empty => {}
            Node::Lit(c) => {
                let (lo, up) = (simple_lower(*c), simple_upper(*c));
                if self.case_insensitive && (lo.is_some() || up.is_some()) {
                    self.class(Class { items: vec![ClassItem::Range(*c, *c)], negated: false })?;
                } else {
                    self.push(Inst::Char(*c))?;
                }
            }
            Node::Any => {
                self.push(Inst::Any)?;
            }
            Node::Class(c) => {
                self.class(c.clone())?;
            }
            Node::Concat(items) => {
                for n in items {
                    self.emit(n)?;
                }
            }
            Node::Alt(branches) => {
                let mut jumps = Vec::new();
                for (i, n) in branches.iter().enumerate() {
                    if i + 1 < branches.len() {
                        let split = self.push(Inst::Split(0, 0))?;
                        self.emit(n)?;
                        jumps.push(self.push(Inst::Jmp(0))?);
                        self.prog[split] = Inst::Split(split + 1, self.prog.len());
                    } else {
                        self.emit(n)?;
                    }
                }
                let end = self.prog.len();
                for j in jumps {
                    self.prog[j] = Inst::Jmp(end);
                }
            }
            Node::Repeat { node, min, max, greedy } => {
                for _ in 0..*min {
                    self.emit(node)?;
                }
                let split = |a: usize, b: usize| if *greedy { Inst::Split(a, b) } else { Inst::Split(b, a) };
                match max {
                    None => {
                        let l = self.push(Inst::Split(0, 0))?;
                        self.emit(node)?;
                        self.push(Inst::Jmp(l))?;
                        self.prog[l] = split(l + 1, self.prog.len());
                    }
                    Some(m) => {
                        let mut splits = Vec::new();
                        for _ in *min..*m {
                            splits.push(self.push(Inst::Split(0, 0))?);
                            self.emit(node)?;
                        }
                        let end = self.prog.len();
                        for s in splits {
                            self.prog[s] = split(s + 1, end);
                        }
                    }
                }
            }
            Node::Capture(inner) => {
                self.push(Inst::Save(2))?;
                self.emit(inner)?;
                self.push(Inst::Save(3))?;
            }
        }
        Ok(())
    }
}

/// The literal text every match starts with (empty if none is known).
fn literal_prefix(node: &Node, out: &mut String) -> bool {
    match node {
        Node::Empty => true,
        Node::Lit(c) => {
            out.push(*c);
            true
        }
        Node::Concat(items) => items.iter().all(|n| literal_prefix(n, out)),
        Node::Capture(inner) => literal_prefix(inner, out),
        _ => false,
    }
}

/// Han, kana, Hangul and CJK punctuation/full-width forms.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
}

/// A letter or digit that continues an identifier ("word") run.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

const UNSET: usize = usize::MAX;
type Caps = [usize; 4];

/// A sparse set of program counters with their capture slots, in priority order.
struct Threads {
    dense: Vec<(usize, Caps)>,
    sparse: Vec<usize>,
}

impl Threads {
    fn new(n: usize) -> Threads {
        Threads { dense: Vec::with_capacity(n), sparse: vec![0; n] }
    }

    fn contains(&self, pc: usize) -> bool {
        let i = self.sparse[pc];
        i < self.dense.len() && self.dense[i].0 == pc
    }

    fn insert(&mut self, pc: usize, caps: Caps) {
        self.sparse[pc] = self.dense.len();
        self.dense.push((pc, caps));
    }
}

/// A compiled pattern. Cheap to clone; compile once, match many texts.
#[derive(Clone, Debug)]
pub struct Pattern {
    source: String,
    prog: Vec<Inst>,
    classes: Vec<Class>,
    /// Every match starts with this text (searched with `str::find` first).
    prefix: String,
    /// Instructions one of which must accept a match's first character
    /// (`None`: any character may start one).
    first: Option<Vec<usize>>,
    /// `first` for ASCII characters, as a table.
    first_ascii: [bool; 128],
    has_id: bool,
    case_insensitive: bool,
}

impl Pattern {
    /// Compiles `source`, or explains in one sentence what is wrong.
    pub fn compile(source: &str) -> Result<Pattern, PatternError> {
        let source = source.trim();
        if source.is_empty() {
            return Err(PatternError::new(Msg::PatEmpty));
        }
        let chars: Vec<char> = source.chars().collect();
        if chars.len() > MAX_PATTERN_CHARS {
            return Err(PatternError::new(Text::new(Msg::PatTooLong, [data(MAX_PATTERN_CHARS)])));
        }
        let mut p = Parser { chars, pos: 0, has_id: false, case_insensitive: false };
        let ast = p.alternation()?;
        if let Some(c) = p.peek() {
            // Only a `)` without its `(` stops the top level early.
            return Err(error_at(Text::new(Msg::PatUnmatched, [data(c)]), p.pos));
        }
        let mut c = Compiler { prog: Vec::new(), classes: Vec::new(), case_insensitive: p.case_insensitive };
        c.push(Inst::Edge)?;
        c.push(Inst::Save(0))?;
        c.emit(&ast)?;
        c.push(Inst::Edge)?;
        c.push(Inst::Save(1))?;
        c.push(Inst::Match)?;
        let mut prefix = String::new();
        if !p.case_insensitive {
            literal_prefix(&ast, &mut prefix);
        }
        let mut pattern = Pattern {
            source: source.to_string(),
            prog: c.prog,
            classes: c.classes,
            prefix,
            first: None,
            first_ascii: [true; 128],
            has_id: p.has_id,
            case_insensitive: p.case_insensitive,
        };
        pattern.first = pattern.first_insts();
        if let Some(first) = &pattern.first {
            let mut table = [false; 128];
            for (b, slot) in table.iter_mut().enumerate() {
                *slot = first.iter().any(|&pc| pattern.accepts(pc, char::from(b as u8)));
            }
            pattern.first_ascii = table;
        }
        if pattern.can_only_match_empty() {
            return Err(PatternError::new(Msg::PatOnlyEmpty));
        }
        Ok(pattern)
    }

    /// The pattern as written (trimmed).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the pattern has a named `(?<id>…)` part.
    pub fn has_id_part(&self) -> bool {
        self.has_id
    }

    /// The consuming instructions reachable before any character is read.
    fn first_insts(&self) -> Option<Vec<usize>> {
        let mut seen = vec![false; self.prog.len()];
        let mut stack = vec![0];
        let mut out = Vec::new();
        while let Some(pc) = stack.pop() {
            if std::mem::replace(&mut seen[pc], true) {
                continue;
            }
            match self.prog[pc] {
                Inst::Jmp(x) => stack.push(x),
                Inst::Split(x, y) => stack.extend([x, y]),
                Inst::Save(_) | Inst::Edge => stack.push(pc + 1),
                Inst::Any | Inst::Match => return None,
                Inst::Char(_) | Inst::Class(_) => out.push(pc),
            }
        }
        Some(out)
    }

    fn can_only_match_empty(&self) -> bool {
        // No consuming instruction at all.
        !self.prog.iter().any(|i| matches!(i, Inst::Char(_) | Inst::Class(_) | Inst::Any))
    }

    fn accepts(&self, pc: usize, c: char) -> bool {
        match self.prog[pc] {
            Inst::Char(x) => x == c,
            Inst::Class(k) => self.classes[k].matches(c, self.case_insensitive),
            Inst::Any => c != '\n',
            _ => false,
        }
    }

    /// Where the next match may start at or after `pos`.
    fn next_start(&self, text: &str, pos: usize) -> Option<usize> {
        if pos > text.len() {
            return None;
        }
        if !self.prefix.is_empty() {
            return text[pos..].find(&self.prefix).map(|i| pos + i);
        }
        if self.first.is_none() {
            return Some(pos);
        }
        let bytes = text.as_bytes();
        let mut i = pos;
        while let Some(&b) = bytes.get(i) {
            if b < 0x80 {
                if self.first_ascii[usize::from(b)] {
                    return Some(i);
                }
                i += 1;
            } else {
                let c = text[i..].chars().next()?;
                if self.may_start(c) {
                    return Some(i);
                }
                i += c.len_utf8();
            }
        }
        None
    }

    fn add_thread(&self, list: &mut Threads, start: (usize, Caps), pos: usize, edge_ok: bool, stack: &mut Vec<(usize, Caps)>, budget: &mut u64) {
        stack.clear();
        stack.push(start);
        while let Some((pc, caps)) = stack.pop() {
            if list.contains(pc) {
                continue;
            }
            *budget = budget.saturating_sub(1);
            list.insert(pc, caps);
            match self.prog[pc] {
                Inst::Jmp(x) => stack.push((x, caps)),
                Inst::Split(x, y) => {
                    stack.push((y, caps));
                    stack.push((x, caps));
                }
                Inst::Save(slot) => {
                    let mut c = caps;
                    c[slot] = pos;
                    stack.push((pc + 1, c));
                }
                Inst::Edge => {
                    if edge_ok {
                        stack.push((pc + 1, caps));
                    }
                }
                Inst::Char(_) | Inst::Class(_) | Inst::Any | Inst::Match => {}
            }
        }
    }

    /// The leftmost match starting at or after `from` (leftmost-first
    /// semantics, like Perl), or `None` when there is none or the budget ran out.
    fn search(&self, text: &str, from: usize, budget: &mut u64) -> Option<Caps> {
        // Nothing can start a match: no need for the machine.
        let from = self.next_start(text, from)?;
        let n = self.prog.len();
        let mut clist = Threads::new(n);
        let mut nlist = Threads::new(n);
        let mut stack = Vec::new();
        let mut matched: Option<Caps> = None;
        let mut pos = from;
        // The characters before and at `pos`.
        let mut prev = text[..pos].chars().next_back();
        let mut cur = text[pos..].chars().next();
        loop {
            if *budget == 0 {
                return None;
            }
            if clist.dense.is_empty() {
                if matched.is_some() {
                    break;
                }
                let next = self.next_start(text, pos)?;
                if next != pos {
                    pos = next;
                    prev = text[..pos].chars().next_back();
                    cur = text[pos..].chars().next();
                }
            }
            let next_pos = pos + cur.map_or(0, char::len_utf8);
            let after = cur.and_then(|_| text[next_pos..].chars().next());
            let word_cur = cur.is_some_and(is_word);
            if matched.is_none() && cur.is_none_or(|c| self.may_start(c)) {
                let here_ok = !(word_cur && prev.is_some_and(is_word));
                self.add_thread(&mut clist, (0, [UNSET; 4]), pos, here_ok, &mut stack, budget);
            }
            let next_ok = !(word_cur && after.is_some_and(is_word));
            nlist.dense.clear();
            for i in 0..clist.dense.len() {
                let (pc, caps) = clist.dense[i];
                match self.prog[pc] {
                    // Empty matches do not count.
                    Inst::Match if caps[0] < caps[1] => {
                        matched = Some(caps);
                        // Lower-priority threads lose to this match.
                        break;
                    }
                    Inst::Char(_) | Inst::Class(_) | Inst::Any if cur.is_some_and(|c| self.accepts(pc, c)) => {
                        self.add_thread(&mut nlist, (pc + 1, caps), next_pos, next_ok, &mut stack, budget);
                    }
                    _ => {}
                }
            }
            std::mem::swap(&mut clist, &mut nlist);
            if cur.is_none() {
                break;
            }
            pos = next_pos;
            prev = cur;
            cur = after;
        }
        matched
    }

    /// Whether a match may start with `c`.
    fn may_start(&self, c: char) -> bool {
        match &self.first {
            _ if c.is_ascii() => self.first_ascii[c as usize],
            Some(first) => first.iter().any(|&pc| self.accepts(pc, c)),
            None => true,
        }
    }

    /// Every non-overlapping match, left to right (at most [`MAX_MATCHES`]),
    /// within [`DEFAULT_STEP_BUDGET`].
    pub fn find_all(&self, text: &str) -> Vec<IdMatch> {
        let mut budget = DEFAULT_STEP_BUDGET;
        self.find_all_limited(text, &mut budget)
    }

    /// Like [`Pattern::find_all`], spending at most `budget` VM steps (shared
    /// between calls, so one scan of a page has one bound); when it runs out
    /// the matches found so far are returned.
    pub fn find_all_limited(&self, text: &str, budget: &mut u64) -> Vec<IdMatch> {
        let mut out = Vec::new();
        let mut at = 0;
        while out.len() < MAX_MATCHES && at <= text.len() {
            let Some(caps) = self.search(text, at, budget) else { break };
            at = caps[1];
            let (value_start, value_end) = if self.has_id { (caps[2], caps[3]) } else { (caps[0], caps[1]) };
            if value_start == UNSET || value_end == UNSET || value_start >= value_end {
                continue;
            }
            out.push(IdMatch { start: caps[0], end: caps[1], value_start, value_end });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(p: &str, text: &str) -> Vec<String> {
        let p = Pattern::compile(p).unwrap_or_else(|e| panic!("{p}: {e:?}"));
        p.find_all(text).iter().map(|m| m.value(text).to_string()).collect()
    }

    fn err(p: &str) -> String {
        crate::i18n::english(&Pattern::compile(p).map(|_| ()).unwrap_err().text())
    }

    #[test]
    fn literals_classes_and_word_edges() {
        let p = r"ORD-\d{4}-\d{6}";
        assert_eq!(values(p, "order ORD-2026-004211."), ["ORD-2026-004211"]);
        assert!(values(p, "XORD-2026-0042119").is_empty());
        assert!(values(p, "ORD-2026-0042119").is_empty());
        assert_eq!(values(p, "订单号ORD-2026-004211已发货"), ["ORD-2026-004211"]);
        assert_eq!(values(p, "(ORD-2026-004211,ORD-2026-004212)"), ["ORD-2026-004211", "ORD-2026-004212"]);
        assert_eq!(values(r"[A-Z]{2}\d{3,5}", "ab AB123 CD45678 EF1 gh99999"), ["AB123", "CD45678"]);
        assert_eq!(values(r"[^\s,]+@x", "a@x, b@x"), ["a@x", "b@x"]);
        assert_eq!(values(r"acct\.\d+", "acct.77 acctX77"), ["acct.77"]);
        assert_eq!(values(r"C-[0-9a-f-]{4,}", "C-12-af C-zz"), ["C-12-af"]);
        assert_eq!(values(r"[]x]+", "a ]x] b"), ["]x]"]);
    }

    #[test]
    fn named_part_alternation_and_quantifiers() {
        assert_eq!(values(r"(?<id>\d{5,})", "no 1234 yes 12345"), ["12345"]);
        assert_eq!(values(r"Customer #(?<id>\d+)", "Customer #4711 and customer #12"), ["4711"]);
        assert_eq!(values(r"(?P<id>CUS-\d+)(?:/v\d)?", "see CUS-42/v2"), ["CUS-42"]);
        assert_eq!(values(r"(INV|ORD)-\d+", "INV-1 ORD-22 XYZ-3"), ["INV-1", "ORD-22"]);
        assert_eq!(values(r"a(b|bc)d", "abcd abd"), ["abcd", "abd"]);
        assert_eq!(values(r"x\d*?y", "x12y"), ["x12y"]);
        assert_eq!(values(r"(?i)ord-\d+", "Ord-12 ORD-13 ord-14"), ["Ord-12", "ORD-13", "ord-14"]);
        assert_eq!(values(r"K\d{2,}", "K1 K12 K123"), ["K12", "K123"]);
        assert_eq!(values(r"用户(?<id>\d+)", "用户123号"), ["123"]);
        // The named part may be absent from a match: no value then.
        assert_eq!(values(r"A(?<id>\d+)?-", "A- A7-"), ["7"]);
    }

    #[test]
    fn compile_errors_are_sentences_with_positions() {
        assert_eq!(err(""), "pattern has no characters");
        assert_eq!(err("   "), "pattern has no characters");
        assert_eq!(err("*abc"), "nothing to repeat at 0");
        assert_eq!(err("ORD-(\\d"), "unclosed group at 4");
        assert_eq!(err("a|*"), "nothing to repeat at 2");
        assert_eq!(err("ab)"), "unmatched ')' at 2");
        assert_eq!(err("[A-Z"), "unclosed character class at 0");
        assert_eq!(err("x[z-a]"), "range z-a is out of order at 2");
        assert_eq!(err(r"\d{65}"), "repetition count 65 is above 64 at 2");
        assert_eq!(err(r"\d{5,2}"), "repetition {5,2} has its minimum above its maximum at 2");
        assert_eq!(err(r"\d{x}"), "invalid repetition: write {n}, {n,} or {n,m} with numbers at 2");
        assert_eq!(err(r"\d{3"), "unclosed repetition { at 2");
        assert_eq!(err(r"a**"), "'*' repeats a repetition; put the part in a group first at 2");
        assert_eq!(err(r"abc\"), "pattern ends with a lone backslash at 3");
        assert_eq!(err(r"\bx"), "unsupported escape \\b at 0");
        assert_eq!(err(r"^x"), "anchor '^' is not supported (matches already stop at word edges) at 0");
        assert_eq!(err(r"(?<id>a)(?<id>b)"), "only one (?<id>…) part is allowed at 8");
        assert_eq!(err(r"(?<name>a)"), "the named part must be called id, as in (?<id>…) at 0");
        assert_eq!(err(r"(?=a)"), "unsupported group syntax '(?'; use ( ), (?: ) or (?<id> ) at 0");
        assert_eq!(err(r"a(?i)"), "(?i) is allowed only at the very start at 1");
        assert_eq!(err("()"), "pattern matches only empty text");
        assert!(err(&"a".repeat(201)).contains("longer than 200"));
        assert!(err(r"((((a{64}){64}){64}){64})").contains("too large"));
    }

    #[test]
    fn literal_prefix_is_used() {
        let p = Pattern::compile(r"ORD-(?<id>\d+)").unwrap();
        assert_eq!(p.prefix, "ORD-");
        assert!(Pattern::compile(r"(?i)ORD").unwrap().prefix.is_empty());
        assert!(Pattern::compile(r"a|b").unwrap().prefix.is_empty());
        assert!(Pattern::compile(r"\d+").unwrap().first.is_some());
        assert!(Pattern::compile(r".x").unwrap().first.is_none());
    }

    #[test]
    fn hostile_input_stays_linear() {
        // Classic exponential-backtracking shapes, on 2 MB.
        let size = if cfg!(debug_assertions) { 256 * 1024 } else { 2 * 1024 * 1024 };
        let text = "a".repeat(size);
        for p in [r"(a+)+b", r"(a|aa)+c", r"(a*)*b", r"(?:a|a)*x", r".*.*.*=.*"] {
            let pat = Pattern::compile(p).unwrap();
            let start = std::time::Instant::now();
            assert!(pat.find_all(&text).is_empty(), "{p}");
            eprintln!("{p}: {:?}", start.elapsed());
            assert!(start.elapsed().as_secs() < 20, "{p} took {:?}", start.elapsed());
        }
        // Many prefix occurrences that never complete.
        let text = "ORD-".repeat(500_000);
        let pat = Pattern::compile(r"ORD-.*Z").unwrap();
        assert!(pat.find_all(&text).is_empty());
        // A budget bounds even a quadratic match-iteration shape.
        let text = "a ".repeat(100_000);
        let pat = Pattern::compile(r"(?:a.*Z)|a").unwrap();
        let mut budget = 5_000_000;
        let found = pat.find_all_limited(&text, &mut budget);
        assert_eq!(budget, 0);
        assert!(found.len() < text.len());
    }

    #[test]
    fn matches_are_capped() {
        let text = "1 ".repeat(5_000);
        assert_eq!(Pattern::compile(r"\d").unwrap().find_all(&text).len(), MAX_MATCHES);
    }
}
