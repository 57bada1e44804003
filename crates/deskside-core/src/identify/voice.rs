//! Session 18: the agent's own voice. A helpdesk page marks who wrote each
//! entry by its role more often than by an address or the team's name:
//! `[内部备注 · 网络支撑 袁斌 06-09 09:30]`, `Antwoord (Kees, 11-06-2024 09:20):`,
//! `[14:10] Conseiller Hugo : …`, `Notes (agent N. Pillay, 11/06/2024 10:14):`,
//! `坐席：…`. In such an entry, a number the writer gives as their own or the
//! team's (`bel me gerust op …`, `打我 …`, `nostro cell. di servizio …`,
//! `his work mobile …`) is the team's. A number logged as the caller's, or
//! given as another party's, is not touched here: the writer must say it is
//! theirs (or the team's) in the words before it.

use deskside_detect::lines::find_ignore_ascii_case;
use deskside_detect::words::Words;
use std::cell::{OnceCell, RefCell};

/// How many lines up an entry's head is looked for.
const HEAD_LINES: usize = 30;
/// The longest speaker label read before a `:` on a chat line.
const LABEL_MAX: usize = 64;
/// How far back, in bytes, the words before a number are read.
const SELF_WINDOW: usize = 48;

/// Words of an entry's head that name the team's side: an agent's role, a
/// reply or a note (notes are written by the team). Lower case; a Latin word
/// is matched at a word's start.
static AGENT_WORDS: Words = Words::new(&[
    "agent", "internal note", "dahili not", "interne notiz", "nota interna", "interne notitie", "note interne", "dispatcher", "operator", "operatore", "coordinator", "advisor",
    "adviser", "consultant", "conseiller", "conseillère", "konsultant", "berater", "sachbearbeiter", "antwoord", "réponse", "respuesta",
    "risposta", "resposta", "staff", "representative", "officer", "support", "service", "care", "helpdesk", "help desk", "kundenservice",
    "kundendienst", "atendimento", "atención", "soporte", "suporte", "temsilci", "bot", "客服", "售后", "售後", "サポート", "坐席",
    "内部备注", "內部備註", "备注", "備註", "回复客户", "回覆客戶", "专员", "專員", "管家", "调度", "調度", "顾问", "顧問",
    "상담사", "상담원", "担当", "オペレーター", "נציג",
]);

/// Words of a dated head that name a note (`▸ 18 Mar 2024, 2:12 pm · Note ·
/// Dale Mercer`): the team's, when dated (`Hannah's note: ring me on …` in a
/// customer's calendar invite is hers).
static NOTE_WORDS: Words = Words::new(&["note", "notes", "notiz", "nota", "notitie"]);

/// Words of a signature block's line that name a caller (`CLI`, `来电`).
static CALLER_WORDS: Words = Words::new(&["cli", "来电", "來電"]);

/// Words of a head that name the customer's side.
static CUSTOMER_WORDS: Words = Words::new(&[
    "customer", "client", "klant", "kunde", "kundin", "cliente", "visitor", "caller", "requester", "solicitante", "demandeur", "müşteri",
    "客户", "客戶", "顾客", "顧客", "用户", "用戶", "访客", "訪客", "买家", "買家", "고객", "お客様",
]);

/// Words right before a number by which its writer gives it as their own
/// or the team's (lower case).
static SELF_CUES: Words = Words::new(&[
    "me on", "me at", "me directly", "me back on", "me back at", "ring me", "call me", "reach me", "text me", "my direct", "my mobile",
    "my cell", "my phone", "my line", "my number", "my office", "my work", "work mobile", "work phone", "work cell",
    "our service number", "our own", "bel me", "mij op", "mijn nummer", "mijn mobiel", "me joindre", "me rappeler", "je vous rappelle",
    "mon numéro", "ma ligne", "mon portable", "meine durchwahl", "mich unter", "mich direkt", "mi celular", "mi número",
    "mi numero", "mi teléfono", "mi linea", "mi línea", "celular de trabajo", "llamarme", "contactarme", "meu celular", "meu número",
    "il mio", "mio cell", "nostro cell", "di servizio", "mój numer", "do mnie", "我手机", "我的手机", "打我", "找我", "联系我", "打给我",
    "我手機", "我的手機", "打給我", "聯繫我", "聯絡我", "工作手机", "工作手機", "我们公司", "我們公司", "我们自己", "门店电话", "我办公室",
    "我辦公室", "我哋", "店铺座机", "门店座机", "店铺电话", "meu cel", "mi cel", "cel corporativo", "de mim", "直线", "直線", "直通", "私の", "제 직통", "제 번호", "제 휴대폰", "אליי", "קו ישיר",
    // (Session 19: more languages' ways to give one's own line: `my DDI`, `fale comigo no`, `iş hattım`,
    // `ci richiami al`, `frågor till mig`, `mein Handy`, `llámame al`, `mon portable pro`, `bel mij`, `我的直线`.)
    "my ddi", "my direct dial", "my extension", "my desk", "fale comigo", "falar comigo", "me ligue", "me liga", "meu ramal", "meu whatsapp",
    "hattım", "cep telefonum", "numaram", "beni arayın", "ci richiami", "richiamarmi", "chiamarmi", "mio numero", "till mig", "mitt nummer",
    "min mobil", "ring mig", "mein handy", "meine handynummer", "meine nummer", "rufen sie mich", "erreichen sie mich", "mich erreichen", "llámame",
    "escríbeme", "mi móvil", "mi movil", "mi whatsapp", "mi extensión", "mon mobile", "mon téléphone", "m'appeler", "me contacter", "bel mij",
    "mijn telefoon", "mijn direct", "me chama", "me chame", "me chamar", "mój bezpośredni", "mój telefon", "我的直线", "我的直線", "我的电话", "我的電話", "我电话", "我電話", "加我",
    // (Session 20: a phone the team issues its staff, and the line the team calls from, in the team's
    // entry: `cellulare aziendale`, `móvil de empresa`, `our van mobile`, `will call
    // you from`, `师傅会用…先打给您`.)
    "company mobile", "company phone", "company cell", "van mobile", "móvil de empresa", "teléfono de empresa",
    "cellulare aziendale", "telefono aziendale", "firmenhandy", "diensthandy", "call you from", "ring you from", "text you from",
    "whatsapp you", "contact you from", "desde su móvil", "desde el móvil", "会用", "會用", "公务机", "公務機",
    // (And the Nordic languages' and Swiss French ways to give one's own line: `prata med mig direkt`,
    // `sms:a mig på`, `ring meg`, `mon natel`.)
    "mig direkt", "sms:a mig", "nå mig", "kontakta mig", "ring meg", "meg direkte", "mig direkte", "min direkte", "mon natel",
    // (The team's people's lines in more words: `he may text from`, `cel. corporativo`, `meu telemóvel de serviço`,
    // Tagalog `sa akin`, Arabic `تكلمني`/`الخط المباشر`, `打我們…專線`, `咱们自己公司的王师傅`.)
    "text from", "cel. corporativo", "celular corporativo", "meu telemóvel", "telemóvel de serviço", "sa akin", "تكلمني", "كلمني",
    "اتصل بي", "الخط المباشر", "打我們", "打我们", "咱们自己", "自己公司",
    // (Session 21: `回访时用我自己的手机 199… 打`, Turkish `cebim`, "my mobile".)
    "我自己的手机", "我自己的手機", "cebim",
]);

/// Which side a head or speaker label names: `Some(true)` the team's,
/// `Some(false)` the customer's, `None` neither.
fn side_of(label: &str) -> Option<bool> {
    let lower = label.to_lowercase();
    if AGENT_WORDS.word_in(&lower) || label.split_whitespace().any(|w| w == "OUT") || NOTE_WORDS.word_in(&lower) && dated(label) {
        Some(true)
    } else if CUSTOMER_WORDS.word_in(&lower) || label.split_whitespace().any(|w| w == "IN") {
        Some(false)
    } else {
        None
    }
}

/// Whether `s` holds a time (`09:30`, `9h15`) or a date (`06-09`, `11/06`,
/// `12.06.2024`, `2024-05-20`), not a phone number's groups (`1-800-555-0199`).
fn dated(s: &str) -> bool {
    let b = s.as_bytes();
    let run = |i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    (0..b.len()).any(|i| {
        // (Not a group inside an id: `HC-2219-0483-77`.)
        if !b[i].is_ascii_digit() || i > 0 && (b[i - 1].is_ascii_alphanumeric() || matches!(b[i - 1], b'-' | b'/' | b'.')) {
            return false;
        }
        let a = run(i);
        let Some(&sep) = b.get(i + a) else { return false };
        let c = if i + a + 1 < b.len() { run(i + a + 1) } else { 0 };
        match sep {
            b':' | b'h' => a <= 2 && c == 2,
            b'/' | b'-' | b'.' => (a <= 2 || a == 4) && (1..=2).contains(&c),
            _ => false,
        }
    })
}

/// The speaker label of a chat or note line: the text before its first
/// `:`/`：`/`]`/`】` within [`LABEL_MAX`] bytes (`[14:10] Conseiller Hugo`,
/// `06-06 店长 阿May`, `坐席`), past a time's own colons.
fn label_of(line: &str) -> Option<&str> {
    let l = line.trim_start();
    // (Most lines hold no delimiter near their start: one byte scan rules them out.
    // `：` and `】` are EF BC 9A and E3 80 91 in UTF-8.)
    let near = &l.as_bytes()[..l.len().min(LABEL_MAX + 4)];
    if !near.iter().any(|&b| matches!(b, b':' | b']' | 0x9A | 0x91)) {
        return None;
    }
    let mut i = 0;
    // (Whether a letter came before: kept as the chars go by.)
    let mut lettered = false;
    for (k, c) in l.char_indices() {
        if k > LABEL_MAX {
            return None;
        }
        match c {
            ':' if l[k + 1..].starts_with(|d: char| d.is_ascii_digit()) && l[..k].ends_with(|d: char| d.is_ascii_digit()) => {}
            // (Nor a link's, `https://…`.)
            ':' if l[k + 1..].starts_with("//") => {}
            // (Past a bracketed time before the speaker: `[14:10] Conseiller Hugo :`.)
            ':' | '：' | ']' | '】' if lettered => {
                i = k;
                // (A dated stamp in brackets, then the speaker: `[3/5/2024
                // 下午2:25] 港易電器: …`; the label runs on to the colon.)
                if matches!(c, ']' | '】') && dated(&l[..k]) {
                    let after = &l[k + c.len_utf8()..];
                    if let Some(colon) = after.find([':', '：']).filter(|&e| k + e <= LABEL_MAX && (1..=4).contains(&after[..e].split_whitespace().count())) {
                        i = k + c.len_utf8() + colon;
                    }
                }
                break;
            }
            // (ASCII first: `char::is_alphabetic` is a call a char in the size-built core.)
            _ => lettered |= if c.is_ascii() { c.is_ascii_alphabetic() } else { c.is_alphabetic() },
        }
    }
    if i == 0 {
        return None;
    }
    let (label, rest) = (&l[..i], l[i..].trim_start_matches([':', '：', ']', '】', ' ', '\t']));
    // A field's label, not a speaker's (`Customer Service: 1-800-…`,
    // `客服电话：400 …`), nor a calendar's or a header's machine line.
    // (A stamped label is a chat line's: `[Nov 29, 9:30 AM] Olivier: 514-555-0161.`)
    let field = !dated(label)
        && rest.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '(' | '（'))
        || any_byte(label, b"=;")
        || label.contains("://")
        || {
            let lower = label.to_lowercase();
            PHONE_WORDS.iter().any(|w| lower.trim_end().ends_with(w))
        };
    (!field).then_some(label)
}

/// Words a field's label for a number ends with.
const PHONE_WORDS: &[&str] = &["phone", "tel", "tel.", "line", "hotline", "number", "mobile", "fax", "电话", "電話", "手机", "手機", "热线", "熱線", "专线", "專線"];

/// Whether `s` holds one of the ASCII `bytes` (a byte scan: a char set's
/// search decodes every char).
fn any_byte(s: &str, bytes: &[u8; 2]) -> bool {
    s.bytes().any(|c| c == bytes[0] || c == bytes[1])
}

/// Whether a label names a speaker: one to four words (`Nathalie`, `Karim B.`).
fn speaker(label: &str) -> bool {
    let name = speaker_name(label);
    (1..=4).contains(&name.split_whitespace().count()) && name.len() <= 40
}

/// Whether a line is a thread entry's head on a line of its own: short, and
/// dated, bracketed or ending in a colon (`Internal note (Aroha – Service
/// Coordinator, 10/04 09:12):`, `▸ 18 Mar 2024, 2:12 pm · Note · Dale Mercer`).
fn head_line(line: &str) -> bool {
    let l = line.trim();
    l.len() <= 100 && (l.ends_with([':', '：']) || l.starts_with(['[', '【', '►', '▸']) || dated(l)) && !any_byte(l, b"=;")
}

/// What a line above (or the number's own) says of the entry it heads.
#[derive(Clone, Copy)]
enum Head<'a> {
    /// A head or a speaker that names a side.
    Side(bool),
    /// A speaker named without a side (`Nathalie`, `[3/5/2024 下午2:25] 港易電器`).
    Speaker(&'a str),
    /// A dated head of no side.
    Stop,
}

/// What `line`'s speaker label says, if it has one that decides.
fn label_head(line: &str) -> Option<Head<'_>> {
    let label = label_of(line)?;
    if let Some(side) = side_of(label) {
        return Some(Head::Side(side));
    }
    // (A mail header, `From: …`, heads a message whose writer its address
    // names: other rules read it.)
    if super::context::mail_header(label) {
        return Some(Head::Stop);
    }
    // (A note between agents, `Tom -> Aisha:`, is read on up to its section's head.)
    if label.contains("->") || label.contains('→') {
        return None;
    }
    if speaker(label) {
        Some(Head::Speaker(label))
    } else if dated(label) {
        Some(Head::Stop)
    } else {
        None
    }
}

/// What a line above a number says: as a head (its speaker label's, or,
/// for a head on a line of its own, its side; a dated one of no side stops
/// the walk up), whether it is blank, and whether it heads an internal note.
#[derive(Clone, Copy)]
struct Line<'a> {
    head: Option<Head<'a>>,
    blank: bool,
    internal: bool,
}

impl<'a> Line<'a> {
    fn of(line: &'a str) -> Line<'a> {
        if line.trim().is_empty() {
            return Line { head: None, blank: true, internal: false };
        }
        // (Every internal word holds `not`, `only` or a Chinese character:
        // one case-blind pass over most lines rules them out.)
        let b = line.as_bytes();
        let internal = line.len() <= 100 && (internal_cjk(b) || find_ignore_ascii_case(b, b"not").is_some() || find_ignore_ascii_case(b, b"only").is_some()) && INTERNAL_WORDS.word_in(line);
        let mut head = label_head(line);
        if head.is_none() && (internal || head_line(line)) {
            if let Some(side) = side_of(line) {
                head = Some(Head::Side(side));
            } else if dated(line) {
                head = Some(Head::Stop);
            }
        }
        Line { head, blank: false, internal }
    }
}

/// Whether `b` holds 内, 內, 审 or 審 (E5 86 85, E5 85 A7, E5 AE A1, E5 AF A9),
/// one of which every Chinese internal word holds: one pass over the bytes.
fn internal_cjk(b: &[u8]) -> bool {
    b.windows(3).any(|w| w[0] == 0xE5 && matches!((w[1], w[2]), (0x86, 0x85) | (0x85, 0xA7) | (0xAE, 0xA1) | (0xAF, 0xA9)))
}

/// One text's speakers who introduce themselves as the team's agent, and
/// the agents its ticket fields name, found once a text (every number asks
/// the same question of the same lines).
pub(super) struct Voice<'a> {
    text: &'a str,
    introduced: OnceCell<Vec<&'a str>>,
    assigned: OnceCell<Vec<&'a str>>,
    /// What each line read so far says as a head, by its start (the walks up
    /// from neighbouring numbers pass the same lines).
    heads: RefCell<Vec<(usize, Line<'a>)>>,
}

impl<'a> Voice<'a> {
    pub(super) fn new(text: &'a str) -> Voice<'a> {
        Voice { text, introduced: OnceCell::new(), assigned: OnceCell::new(), heads: RefCell::default() }
    }

    /// [`Line::of`] the line `text[s..e]`, kept.
    fn line(&self, s: usize, e: usize) -> Line<'a> {
        let mut heads = self.heads.borrow_mut();
        match heads.binary_search_by_key(&s, |h| h.0) {
            Ok(i) => heads[i].1,
            Err(i) => {
                let line = Line::of(&self.text[s..e]);
                heads.insert(i, (s, line));
                line
            }
        }
    }

    /// Whether the speaker called `name` introduces themselves as the team's agent.
    fn introduced(&self, name: &str) -> bool {
        !name.is_empty() && self.introduced.get_or_init(|| introduced_speakers(self.text)).contains(&name)
    }

    /// Session 19: whether `head` (a dated entry head of no side, or a
    /// speaker's name) starts with the name of an agent the ticket's fields
    /// name (`Agente: Héctor R.` then `Héctor R. — 12 ago 2024, 17:05`).
    fn assigned(&self, head: &str) -> bool {
        let head = head.trim_start_matches(|c: char| !c.is_alphanumeric());
        self.assigned.get_or_init(|| assigned_agents(self.text)).iter().any(|n| {
            head.strip_prefix(n).is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
        })
    }
}

/// The side of the entry the number at its line's start `ls` is in: its own
/// line's speaker label, or the nearest entry head above. `None` when no head says.
pub(super) fn entry_side(voice: &Voice, ls: usize) -> Option<bool> {
    let text = voice.text;
    let own_end = text[ls..].find('\n').map_or(text.len(), |e| ls + e);
    let mut head = label_head(&text[ls..own_end]);
    let mut at = (ls, own_end);
    let mut end = ls;
    for _ in 0..HEAD_LINES {
        if head.is_some() || end == 0 {
            break;
        }
        let s = text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        head = voice.line(s, end - 1).head;
        at = (s, end - 1);
        end = s;
    }
    match head? {
        Head::Side(side) => Some(side),
        // (Session 19: a dated head that starts with an assigned agent's name.)
        Head::Stop => voice.assigned(&text[at.0..at.1]).then_some(true),
        // A speaker the page does not name a side for: the team's when they
        // introduce themselves as its agent (`我係港易電器客服 Ivy`, `Aqui é a
        // Bruna, do atendimento`), or speak inside an internal note's section
        // (`【审核备注】` then `组长 周航：…`).
        Head::Speaker(label) => (voice.introduced(speaker_name(label)) || voice.assigned(speaker_name(label)) || internal_section(voice, ls)).then_some(true),
    }
}

/// A speaker label's name, past its stamp (`[3/5/2024 下午2:25] 港易電器`:
/// `港易電器`; `27/02/24 09.35 - Toko Rumah Rapi`: `Toko Rumah Rapi`).
fn speaker_name(label: &str) -> &str {
    let after = label.rfind(|c: char| c.is_ascii_digit()).map_or(label, |i| &label[i + 1..]);
    after.trim_start_matches(|c: char| !c.is_alphabetic()).trim()
}

/// Session 19: labels of a ticket's field that names the agent who works it
/// (`Agente: Héctor R.`, `Responsável: Jéssica L.`, `坐席：王敏`), ASCII letters in any case.
const AGENT_FIELDS: &[&str] = &[
    "agent:", "agente:", "assignee:", "assigned to:", "assigned agent:", "responsável:", "responsable:", "bearbeiter:",
    "sachbearbeiter:", "坐席：", "坐席:", "负责人：", "負責人：", "处理人：", "處理人：", "担当者：", "담당자:", "담당자 :",
];

/// The names the ticket's agent fields give ([`AGENT_FIELDS`]): one to three
/// words (or up to six CJK characters), no digit, up to a field separator.
fn assigned_agents(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut names: Vec<&str> = Vec::new();
    // (One pass over the text's colons: each field ends in one.)
    let mut from = 0;
    while let Some(c) = deskside_detect::lines::next_colon(b, from) {
        from = c + 1;
        // (A field at a word's start, and not a browser's `User agent:` / `User-Agent:`.)
        let field = AGENT_FIELDS.iter().map(|f| f.as_bytes()).any(|f| {
            let Some(i) = (c + 1).checked_sub(f.len()).filter(|&i| b[i..=c].eq_ignore_ascii_case(f)) else { return false };
            let user = i >= 5 && b[i - 5..i - 1].eq_ignore_ascii_case(b"user") && matches!(b[i - 1], b' ' | b'-');
            !(i > 0 && b[i - 1].is_ascii_alphabetic() || user)
        });
        if !field {
            continue;
        }
        let rest = &text[from..];
        let end = rest.find(['\n', '·', '|', '\t', ',', '(', '（', '/']).unwrap_or(rest.len());
        let end = rest[..end].find("  ").unwrap_or(end);
        let name = rest[..end].trim();
        let cjk = !name.is_empty() && !name.is_ascii() && !name.contains(' ');
        let words = name.split_whitespace().count();
        let fits = if cjk { name.chars().count() <= 6 } else { (1..=3).contains(&words) && name.len() <= 30 };
        if fits && !name.bytes().any(|c| c.is_ascii_digit() || c == b'@') && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Words by which a speaker introduces themselves (lower case).
const INTRODUCTIONS: &[&str] = &[
    "this is ", "i'm ", "i am ", "my name is ", "aqui é", "aqui e ", "hier ist ", "hier spricht ", "dengan ", "je suis ", "soy ", "sono ",
    "我是", "我係", "我叫", "こちらは", "担当の", "저는 ",
];

/// Role words of an agent's introduction, besides [`AGENT_WORDS`].
static INTRO_ROLES: Words = Words::new(&["cs", "team", "atendimento", "kundendienst", "kundenservice"]);

/// The speakers who say on one of their lines that they are the team's
/// agent: an introduction and a role word in one sentence.
fn introduced_speakers(text: &str) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for l in text.lines() {
        let Some(name) = label_of(l).map(speaker_name).filter(|n| !n.is_empty()) else { continue };
        if names.contains(&name) {
            continue;
        }
        let lower = l.to_lowercase();
        let intro = INTRODUCTIONS.iter().any(|w| {
            lower.match_indices(w).any(|(i, _)| {
                let rest = &lower[i..];
                let sentence = rest.find(['.', '!', '?', '。', '！', '？']).map_or(rest, |e| &rest[..e]);
                AGENT_WORDS.word_in(sentence) || INTRO_ROLES.word_in(sentence)
            })
        });
        if intro {
            names.push(name);
        }
    }
    names
}

/// Words of an internal note's section head: only the team sees (and writes) what is under it.
static INTERNAL_WORDS: Words = Words::new(&[
    "internal note", "dahili not", "interne notiz", "nota interna", "note interne", "interne notitie", "agents only", "内部跟进", "內部跟進", "内部备注", "內部備註", "审核备注", "審核備註",
    "仅内部可见", "僅內部可見",
]);

/// Whether the lines above `ls`, up to a blank line, hold an internal note's head.
fn internal_section(voice: &Voice, ls: usize) -> bool {
    let text = voice.text;
    let mut end = ls;
    for _ in 0..HEAD_LINES {
        if end == 0 {
            return false;
        }
        let s = text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = voice.line(s, end - 1);
        end = s;
        if line.blank || matches!(line.head, Some(Head::Side(false))) {
            return false;
        }
        if line.internal {
            return true;
        }
    }
    false
}

/// Whether the words right before `start` (in its sentence) give the number
/// as the writer's own or the team's.
pub(super) fn self_cue_before(text: &str, start: usize) -> bool {
    let lo = super::context::floor_boundary(text, start.saturating_sub(SELF_WINDOW));
    let from = deskside_detect::lines::sentence_start(&text.as_bytes()[lo..start], true);
    let lower = text[lo + from..start].to_lowercase();
    SELF_CUES.any_in(&lower)
}

/// Session 20: words that name a field worker (lower case; Latin words at a
/// word's start): in the team's own message, a number given for one is the
/// team's people's (`Our technician Tunde … his work line is …`, `已经安排陈师傅，
/// 佢手機 …`), unless the sentence says whose else they are ([`OTHER_PARTY`]).
static STAFF_WORDS: Words = Words::new(&[
    "technician", "engineer", "installer", "fitter", "crew", "foreman", "técnico", "tecnico", "techniker", "monteur", "师傅", "師傅",
    "工程师", "工程師", "安装工", "安裝工", "维修员", "維修員", "技术员", "技術員", "技师", "技師",
]);

/// Words by which a sentence gives a field worker to another party: their
/// own, a partner's, a maker's, a courier's, a landlord's (lower case).
static OTHER_PARTY: Words = Words::new(&[
    "their", "partner", "courier", "manufacturer", "maker", "supplier", "landlord", "contractor", "subcontractor", "agency", "fabricante",
    "proveedor", "hersteller", "他们的", "他們的", "佢哋嘅", "厂家", "廠家", "厂商", "廠商", "快递", "快遞", "网点", "網點", "服务商",
    "服務商", "合作", "外包", "物业", "物業", "供应商", "供應商", "代理", "授权", "授權", "顺丰", "順豐", "房东", "房東",
    // (After blind set 31b: a network operator's, and any `X's technician`.)
    "operator", "wholesale", "'s technician", "’s technician", "'s engineer", "’s engineer", "'s crew", "’s crew",
]);

/// How far back, in bytes, [`STAFF_WORDS`] are looked for in the sentence before a number.
const STAFF_WINDOW: usize = 96;

/// Session 20: whether the sentence before `start` (at most
/// [`STAFF_WINDOW`] bytes) names a field worker and no other party.
pub(super) fn staff_before(text: &str, start: usize) -> bool {
    // (Across a semicolon: `Our technician Emeka will come by 10am; his work line is …`.)
    let near = sentence_before(text, start, STAFF_WINDOW);
    STAFF_WORDS.word_in(near) && !OTHER_PARTY.word_in(near)
}

/// The sentence before byte `start`, at most `window` bytes back (semicolons do not end it).
fn sentence_before(text: &str, start: usize, window: usize) -> &str {
    let lo = super::context::floor_boundary(text, start.saturating_sub(window));
    &text[lo + deskside_detect::lines::sentence_start(&text.as_bytes()[lo..start], false)..start]
}

/// Session 21: first persons' plural possessives and the team's words for
/// itself (lower case; Latin words at a word's start): in the team's own
/// entry, a number they come before is the team's line (`Please call our
/// card team on …`, `拨打我们的 24 小时境外援助热线 …`, `当社の修理受付センター …`).
static OUR_WORDS: Words = Words::new(&[
    "our", "notre", "nos", "nuestro", "nuestra", "nuestros", "unser", "unsere", "unserer", "unseren", "unserem", "onze", "nosso",
    "nossa", "nostro", "nostra", "我们的", "我們的", "我们门店", "我們門市", "我司", "本店", "当社", "弊社", "저희",
]);

/// Words for the team's customers after [`OUR_WORDS`] (`our customer`, `我们的会员`): the reader's side, not the team's line.
static OUR_CUSTOMERS: Words = Words::new(&[
    "our customer", "our client", "our member", "our guest", "our tenant", "our patient", "our user", "notre client", "notre adhérent",
    "nuestro cliente", "nuestra clienta", "unser kunde", "unseren kunden", "unsere kundin", "onze klant", "nosso cliente", "nostro cliente",
    "我们的客户", "我們的客戶", "我们的会员", "我們的會員", "我们的用户", "我們的用戶", "当社のお客様", "저희 고객",
]);

/// How far back, in bytes, [`OUR_WORDS`] are looked for in the sentence before a number.
const OURS_WINDOW: usize = 64;

/// Session 21: whether the sentence before `start` (at most [`OURS_WINDOW`]
/// bytes) names the team as "ours" and no other party or customer of it.
pub(super) fn ours_before(text: &str, start: usize) -> bool {
    let near = sentence_before(text, start, OURS_WINDOW);
    OUR_WORDS.word_in(near) && !OTHER_PARTY.word_in(near) && !OUR_CUSTOMERS.word_in(near)
}

/// Session 21: words of a sentence only the team writes about a number, every
/// number in it the team's (lower case; ASCII matched in either case):
/// - it names the line the team calls out from, or tells an agent not to
///   call from their own phone (`坐席用外呼号 021-… 回拨`, `Use the renewals line
///   0330 … as caller ID, not your mobile`, `外呼统一用部门座机 021-…，别用个人手机打`);
///   not `Caller ID:` as a label, which names the caller;
/// - it keeps the number from the customers (`我们的开票专线 021-… 是财务内线，
///   不要给客户`, `don't share the warehouse number (011 …) with customers`,
///   `门店电话 0755-…（福田店前台）仅内部使用`, `門市電話（如客人問起）：…`).
///
/// (One list, one pass over the sentence.)
static TEAM_ONLY_WORDS: Words = Words::new(&[
    "外呼号", "外呼线", "外呼專線", "外呼专线", "外呼显示", "外呼顯示", "外呼统一", "外呼用", "座席电话", "坐席电话", "座席電話",
    "as caller id", "shows as caller id", "outbound line", "outbound calls go", "outgoing line", "исходящей линии",
    "别用个人", "勿用个人", "不要用个人", "别用私人", "勿用私人", "不要用私人", "別用個人", "勿用個人", "not your mobile",
    "not your own mobile", "not from your mobile", "not your personal", "do not use personal", "don't use personal", "never use personal",
    "niet via je eigen", "niet vanaf je", "no uses tu celular", "no desde tu celular",
    "with customers", "to customers", "not for customers", "internal use", "internal only", "if customers call", "if customers ask",
    "不要给客户", "不要給客戶", "别给客户", "別給客戶", "勿给客户", "不要告诉客户", "不对外", "不對外", "勿外传",
    // (Not `仅内部可见`, a note's own visibility, whose numbers may be the customer's.)
    "内部使用", "內部使用", "如客人问起", "如客人問起", "如客户问起", "zákazníkům", "nicht an kunden", "nicht an den kunden", "con clientes",
    "aux clients", "pas aux clients",
]);

/// How far, in bytes, the sentence around a number is read for [`TEAM_ONLY_WORDS`], each side.
const TEAM_ONLY_WINDOW: usize = 96;

/// Session 21: the sentence around the number at `start..end`, at most
/// [`TEAM_ONLY_WINDOW`] bytes each side: back to its start, on to a full stop
/// and a space, `。`, `！`, `？` or the line's end.
fn sentence_around(text: &str, start: usize, end: usize) -> &str {
    let b = text.as_bytes();
    let lo = super::context::floor_boundary(text, start.saturating_sub(TEAM_ONLY_WINDOW));
    let from = lo + deskside_detect::lines::sentence_start(&b[lo..start], false);
    let hi = super::context::floor_boundary(text, (end + TEAM_ONLY_WINDOW).min(text.len()));
    &text[from..end + deskside_detect::lines::sentence_end(&b[end..hi])]
}

/// Session 21: whether a number's sentence is one only the team writes
/// ([`TEAM_ONLY_WORDS`]). Not one that speaks to the team in the second
/// person: a customer's about the team's line (`我们的售后热线 400-… 打不进来，
/// 怀疑是贵司外呼线路的问题`).
fn team_only_in(sentence: &str) -> bool {
    TEAM_ONLY_WORDS.any_in(sentence) && !["贵司", "貴司", "你们", "你們", "your company", "your outbound"].iter().any(|w| sentence.contains(w))
}

/// Session 21: [`team_only_in`] of the sentence around the number at `start..end`.
pub(super) fn team_only_around(text: &str, start: usize, end: usize) -> bool {
    team_only_in(sentence_around(text, start, end))
}

/// Session 21: words by which a customer points at the team's own line
/// (lower case; ASCII matched in either case): `打了你们的 400-…`, `Liguei no
/// SAC de vocês, 0800 …`, `你们的销售叶小姐（电话 …）`, `your helpline`. Chinese
/// `你们` is the plural "you" a customer writes to a company; the team
/// writes `您` to one customer.
static YOURS_WORDS: Words = Words::new(&[
    "你们的", "你們的", "贵司", "貴司", "贵公司", "貴公司", "de vocês", "de ustedes", "your hotline", "your helpline", "your support line",
    "your customer service", "your freephone", "your call cent", "your service line", "your customer care", "votre service client",
    "votre hotline", "ihre hotline", "ihren kundenservice", "uw klantenservice",
]);

/// How far back, in bytes, [`YOURS_WORDS`] are looked for in the sentence before a number.
const YOURS_WINDOW: usize = 48;

/// Session 21: whether the sentence before `start` (at most [`YOURS_WINDOW`]
/// bytes) points at the team's own line in the second person, and names no other party.
pub(super) fn yours_before(text: &str, start: usize) -> bool {
    let near = sentence_before(text, start, YOURS_WINDOW);
    YOURS_WORDS.any_in(near) && !OTHER_PARTY.word_in(near)
}

/// Session 19: words by which a writer tells of giving the customer (in the
/// third person) a number or a word (lower case): a writer who does,
/// then gives a number as their own, is the agent (`Told client she can
/// reach me directly on …`, `Escalation contact given to customer: "ring my
/// direct line …"`, `I gave her my direct line …`).
static OF_THE_CUSTOMER: Words = Words::new(&[
    "gave her", "gave him", "gave the customer", "gave the client", "given to", "told her", "told him", "told client", "told the client",
    "told customer", "told the customer", "informed customer", "informed the customer", "insured can", "告诉客户", "告知客户", "跟客户说",
    "告訴客戶", "告知客戶",
    // (Session 21: `Donné à l'adhérent ma ligne directe …`, `고객님께 제 직통번호 …`.)
    "donné au client", "donné à la cliente", "donné à l'adhérent", "donné à l'assuré", "given the customer", "given the client",
    "고객님께", "고객에게", "お客様に",
]);

/// Session 21: words after a number by which its writer tells of giving it
/// to the customer (`我把我的工作手机 189… 给客户了`, `don't give my mobile
/// 021 … to customers`); lower case, ASCII matched in either case.
static TO_THE_CUSTOMER: Words = Words::new(&[
    "给客户", "給客戶", "to customers", "to the customer", "to the client", "to the caller", "with customers", "with the customer",
    "au client", "à la cliente", "à l'adhérent", "al cliente", "ao cliente", "an kunden", "dem kunden", "der kundin", "aan de klant",
    "aan klanten", "고객님께", "고객에게", "お客様に",
]);

/// How far back, in bytes, on the number's line, [`OF_THE_CUSTOMER`] is looked for.
const OF_THE_CUSTOMER_WINDOW: usize = 120;

/// How far on, in bytes, on the number's line, [`TO_THE_CUSTOMER`] is looked for.
const TO_THE_CUSTOMER_WINDOW: usize = 64;

/// Session 19: whether the words before `start` on its line (from `ls`, at
/// most [`OF_THE_CUSTOMER_WINDOW`] bytes back) speak of the customer in the
/// third person; session 21: or the words after the number (`end`), up to
/// [`TO_THE_CUSTOMER_WINDOW`] bytes in its clause, give it to the customer.
pub(super) fn of_the_customer_around(text: &str, ls: usize, start: usize, end: usize) -> bool {
    let lo = super::context::floor_boundary(text, ls.max(start.saturating_sub(OF_THE_CUSTOMER_WINDOW)));
    // (No lower-casing: the words are ASCII, matched in either case, or Chinese.)
    if OF_THE_CUSTOMER.word_in(&text[lo..start]) {
        return true;
    }
    let after = &text[end..super::context::floor_boundary(text, (end + TO_THE_CUSTOMER_WINDOW).min(text.len()))];
    // (Its clause only: `我手机 133…，明天要给客户交稿` is a customer's own client.)
    let after = after.split(['\n', '。', '，', ',', ';', '；', '!', '?', '！', '？']).next().unwrap_or("");
    TO_THE_CUSTOMER.word_in(after)
}

/// The longest text before a number on a signature's line (`Sabine Krämer | Innendienst | Tel. `).
const SIGNATURE_LEAD: usize = 48;

/// Whether the number at `start` is on a line of a signature block that
/// names the team on a line of its own, just above or below with no blank
/// line between (`知行教育 课程顾问 小苏` then `电话：027-… | 微信同号 159…`;
/// `Sabine Krämer | Innendienst | Tel. 0711 …` then `Schweißtechnik Brandt GmbH`):
/// the line is short and holds a label or a separator before the number, no sentence.
pub(super) fn signature_block(text: &str, ls: usize, start: usize, team: &super::context::TeamSigns) -> bool {
    let le = text[start..].find('\n').map_or(text.len(), |e| start + e);
    let lead = &text[ls..start];
    // (A line of prose wrapped before the number is no signature's: `… from
    // his work mobile` then `07700 163 592 when he's on his way. …`.)
    if le - ls > 100 || lead.len() > SIGNATURE_LEAD || lead.contains(['。', '，', ',', '!', '?']) || lead.split_whitespace().count() > 6 {
        return false;
    }
    let t = lead.trim_end();
    let labelled = t.is_empty() || t.ends_with([':', '：', '.', '|', '·', '/']) || t.contains(['|', '·']);
    let line = &text[ls..le];
    if !labelled || prose(line) || line.contains(['。', '，', '!', '?']) || others_address(line, team) {
        return false;
    }
    // The block's lines, up to two above and two below (no blank line
    // between), and the first that signs as the team, if any.
    let mut block: Vec<&str> = Vec::with_capacity(4);
    let mut signed = false;
    for up in [true, false] {
        let mut at = if up { ls } else { le };
        for _ in 0..2 {
            let line = if up {
                if at == 0 {
                    break;
                }
                let s = text[..at - 1].rfind('\n').map_or(0, |i| i + 1);
                let l = &text[s..at - 1];
                at = s;
                l
            } else {
                if at >= text.len() {
                    break;
                }
                let e = text[at + 1..].find('\n').map_or(text.len(), |i| at + 1 + i);
                let l = &text[at + 1..e];
                at = e;
                l
            };
            if line.trim().is_empty() {
                break;
            }
            block.push(line);
            // (Not a field that names the team's site: `来源页面：kangning-health.example/…`;
            // nor a page's or a form's title among its first lines, which heads the
            // customer's fields: `星云教育 · 课程咨询登记`.)
            if !signed && !line.contains(['：', '/']) && !line.contains(": ") && super::context::team_signature(line.trim_start_matches(['>', ' ']), team) {
                let start = if up { at } else { at - line.len() };
                signed = text[..start].split('\n').filter(|l| !l.trim().is_empty()).take(4).count() >= 4;
            }
            if signed {
                break;
            }
        }
        if signed {
            break;
        }
    }
    // (A block with another's address is theirs: `Claes Kassasystemen bv —
    // verdeler KassaSoft` then `015 41 29 80 · bart@claes-kassa.test`; so is a
    // customer's or a caller's field: `客户：… 手机：…`, `CLI: +91 …`.)
    signed && {
        let lower = lead.to_lowercase();
        !CUSTOMER_WORDS.word_in(&lower) && !CALLER_WORDS.word_in(&lower)
    } && !block.iter().any(|l| others_address(l, team) || CUSTOMER_WORDS.word_in(&l.to_lowercase()))
}

/// Whether `line` holds a sentence's end (`… way. Reference …`), not an
/// abbreviation's dot (`Tel. 0711 …`, `Dr. Mehta`).
fn prose(line: &str) -> bool {
    line.match_indices(". ").any(|(i, _)| {
        let word = line[..i].rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        word.chars().count() > 4 && line[i + 2..].starts_with(char::is_alphabetic)
    })
}

/// Whether `line` holds an address that is not the team's.
fn others_address(line: &str, team: &super::context::TeamSigns) -> bool {
    line.contains('@') && super::find_emails(line).iter().any(|e| !(team.is_team)(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(text: &str, needle: &str) -> Option<bool> {
        let at = text.find(needle).expect(needle);
        let ls = text[..at].rfind('\n').map_or(0, |i| i + 1);
        entry_side(&Voice::new(text), ls)
    }

    #[test]
    fn heads_that_name_the_agents_side() {
        let t = "[客户 06-09 08:50] 打我手机 133 0581 7742。\n[内部备注 · 网络支撑 袁斌 06-09 09:30] 有问题可直接打我 13306527719。\n";
        assert_eq!(side(t, "133 0581"), Some(false));
        assert_eq!(side(t, "13306527719"), Some(true));
        let n = "Tomasz (12.06.2024 08:40): hello\n\nAntwoord (Kees, 11-06-2024 09:20):\nHoi Sanne, bel me gerust op 085 303 7741.\n";
        assert_eq!(side(n, "085 303"), Some(true));
        let c = "[14:09] Karim B. : rappelez-moi au 06 71 38 25 40\n[14:10] Conseiller Hugo : je vous rappelle depuis le 09 77 40 12 88\n";
        assert_eq!(side(c, "06 71"), None, "a customer's name says no side");
        assert_eq!(side(c, "09 77"), Some(true));
        let w = "Notes (agent N. Pillay, 11/06/2024 10:14):\nClient is a tenant.\nTold client she can reach me directly on 021 427 8830.\n";
        assert_eq!(side(w, "021 427"), Some(true));
        let s = "06-06 店长 阿May：门店电话 0592-5863127，我手机 15960281139\n";
        assert_eq!(side(s, "0592"), None, "a store manager may be a partner's (below: inside the team's internal section)");
        // "Customer Service" is the team's side; a plain sentence with a colon is no head.
        assert_eq!(side("Customer Service (12/03 10:00):\ncall 01 687 3390\n", "01 687"), Some(true));
        assert!(dated("06-09 09:30") && dated("11/06/2024") && dated("2024-05-20") && dated("2:12 pm") && !dated("1-800-555-0199") && !dated("0412 555 019") && !dated("Policy no. HC-2219-0483-77"));
        assert_eq!(side("Brianna Cole <b@c.test> · Nov 26, 2026, 10:05 AM\nMy cell is 757-555-0193.\n\nSupport (Nov 25):\nok\n", "757"), None);
        assert_eq!(side("【2026-11-26 15:02】王磊（wanglei@chengyu-edu.test）：我的手机 177 0284 6631。\n", "177"), None);
        assert_eq!(side("Mocht het kwijt zijn: bel 085 303 7741\n", "085"), None);
        // A field's label is no speaker; a customer's own chat line is theirs.
        assert_eq!(side("Customer Service: 1-800-555-0199 never picks up.\nPlease text me at 212-555-0143.\n", "212"), None);
        assert_eq!(side("我们公司的客服电话：400 6666 888，另外我的手机 18612345678。\n", "186"), None);
        assert_eq!(side("Agent Lucas : Bonjour\nNathalie : vous pouvez me rappeler au 0476 21 88 35\n", "0476"), None);
        // A note is the team's only when dated: not a customer's `Hannah's note:`.
        assert_eq!(side("Hannah's note: if the call drops, ring me on 07700 900 562.\n", "07700"), None);
        assert_eq!(side("▸ 18 Mar 2024, 2:12 pm · Note · Dale Mercer\nTold Bronwyn to ring me on my mobile 0412 555 019\n", "0412"), Some(true));
        // A speaker who introduced themselves as the team's agent; one inside an internal note's section.
        let hk = "[3/5/2024 下午2:14] 港易電器: 陳小姐你好，我係港易電器客服 Ivy\n[3/5/2024 下午2:22] +852 6193 2748: 公司電話 2389 4721\n[3/5/2024 下午2:25] 港易電器: 可以打我哋門市 2151 8830\n";
        assert_eq!(side(hk, "2151"), Some(true));
        assert_eq!(side(hk, "2389"), None);
        assert_eq!(side("【审核备注】\n04号审核员 阿May：我倾向于通过。\n组长 周航：转我这边，我直线 0571-8765 2301\n", "0571"), Some(true));
        assert_eq!(side("Internal note (Tom): rang her\n\nNathalie : call me on 0476 21 88 35\n", "0476"), None);
        assert_eq!(side("Internal note - visible to agents only\nTom -> Aisha: I've left my mobile 07450 211 983 with her\n", "07450"), Some(true));
        assert_eq!(side("[09:31] Jia Hui: I'm the team lead at Acme Support\n[09:32] Jia Hui: call me on 9123 4567\n", "9123"), Some(true), "a customer's own role words read so (accepted)");
        assert_eq!(side("[Nov 29, 9:11 AM] Agent Priya: Hi\n[Nov 29, 9:30 AM] Olivier: 514-555-0161. call me at work 514 555 0102\n", "514 555 0102"), None);
        assert_eq!(side("2026-11-30 19:45 冯晓东（万象家居店长）：\n门店座机换了，新的是 (028) 8557 3120\n", "028"), None, "a partner's store manager");
        assert_eq!(side("—— 以下为店铺内部跟进 ——\n06-06 店长 阿May：门店电话 0592-5863127\n", "0592"), Some(true));
        assert_eq!(side("Internal note (Tom)\nchanged https://cdn.example.com/a.png\ncall me on 0476 21 88 35\n", "0476"), Some(true), "a link is no speaker");
        assert_eq!(side("Internal note (Tom)\nFrom: Jo <jo@x.test>\ncall me on 0476 21 88 35\n", "0476"), None, "a mail header stops the walk");
        // A dated head of someone unnamed above stops the walk.
        assert_eq!(side("Notes (agent A):\nok\n2024-05-20 09:41:18 林佳\n打我手机 186 5713 2290\n", "186"), None);
    }

    #[test]
    fn words_that_give_a_number_as_the_writers() {
        let cue = |t: &str, n: &str| self_cue_before(t, t.find(n).expect(n));
        assert!(cue("Hoi Sanne, bel me gerust op 085 303 7741", "085"));
        assert!(cue("有问题可直接打我 13306527719。", "133"));
        assert!(cue("Stefano, nostro cell. di servizio 335 604 1182", "335"));
        assert!(cue("他的工作手机 134 1029 5576", "134"));
        assert!(!cue("call me. The landlord is on 083 661 2048", "083"), "not past the sentence's end");
        assert!(!cue("landlord Mr P. van der Merwe, 083 661 2048", "083"));
        assert!(!cue("customer asked us to call her on 07911 204583", "079"));
    }

    /// Session 19: an entry headed by the agent the ticket's fields name is the team's.
    #[test]
    fn entries_of_the_assigned_agent() {
        let t = "Ticket #88213 · Estado: Abierto · Agente: Héctor R. · Grupo: Ventas\n\nHéctor R. — 12 ago 2024, 17:05\nEstoy en mi celular 442 187 6031.\n\nPatricia Mendoza — 12 ago 2024, 13:40\nMi celular es 442 100 2000.\n";
        assert_eq!(assigned_agents(t), vec!["Héctor R."]);
        let v = Voice::new(t);
        let side = |n: &str| entry_side(&v, super::super::context::own_line_start(t, t.find(n).expect(n)));
        assert_eq!(side("442 187"), Some(true));
        assert_eq!(side("442 100"), None);
        assert_eq!(assigned_agents("User agent: Mozilla/5.0\nOwner: Jane Roe\n坐席：王敏（工号 1087）\nSachbearbeiter: K. Huber\n"), vec!["王敏", "K. Huber"]);
    }

    /// Session 21: a number kept from the customers.
    #[test]
    fn a_number_kept_from_the_customers() {
        let kept = |t: &str, n: &str| {
            let at = t.find(n).expect(n);
            team_only_in(sentence_around(t, at, at + n.len()))
        };
        assert!(kept("@客服-阿May 我们的开票专线 021-5017 8800 是财务内线，不要给客户。", "021-5017 8800"));
        assert!(kept("Reminder: don't share the Riyadh warehouse number (011 465 2210) with customers.", "011 465 2210"));
        assert!(kept("門市電話（如客人問起）：銅鑼灣 2895 6601 / 尖沙咀 2723 1185", "2723 1185"));
        assert!(!kept("内部备注（仅内部可见）：13757180246 为会员方文静", "13757180246"), "a note's visibility");
        assert!(!kept("Please don't share my number 07823 415 906 with anyone.", "07823 415 906"), "a customer's own");
    }

    /// Session 21: a customer pointing at the team's own line.
    #[test]
    fn a_customer_pointing_at_the_teams_line() {
        let yours = |t: &str| yours_before(t, t.find(|c: char| c.is_ascii_digit()).expect("a number"));
        assert!(yours("打了你们的 400-998-2266 两次，都说要等邮件工单。"));
        assert!(yours("Liguei no SAC de vocês, 0800 724 3310, e fiquei 40 minutos esperando."));
        assert!(yours("I rang your helpline on 0330 123 4477 twice"));
        assert!(!yours("你们的快递员电话 151 1056 2083 打不通"), "another party's");
        assert!(!yours("打了你们的电话。我的手机 139 1638 2205"), "another sentence");
    }

    /// Session 21: the line the team calls out from, and an agent's own phone not to use.
    #[test]
    fn the_teams_outbound_line() {
        let out = |t: &str, n: &str| {
            let at = t.find(n).expect(n);
            team_only_in(sentence_around(t, at, at + n.len()))
        };
        assert!(out("回访：14:20 坐席用外呼号 021-3135 6020 回拨，确认客户已收到短信通知。", "021-3135 6020"));
        assert!(out("Sophie - can you ring these before Friday? Use the renewals line 0330 088 2614 as caller ID, not your mobile. Thanks", "0330 088 2614"));
        assert!(out("外呼统一用部门座机 021-52909388，别用个人手机打。", "021-52909388"));
        assert!(out("Graag vanaf de teamlijn 088 123 4567 optie 3, niet vanaf je mobiel 06 28 93 11 40.", "06 28 93 11 40"));
        assert!(!out("Número que llamó (Caller ID): +52 81 8342 6691", "+52 81 8342 6691"), "the caller's");
        assert!(!out("我们的售后热线 400-820-1234 最近打不进来，怀疑是贵司外呼线路的问题，麻烦帮忙查一下。", "400-820-1234"), "a customer's own line");
        assert!(!out("已外呼客户，客户手机 138 1782 0056 无人接听。", "138 1782 0056"), "called out to the customer");
        assert!(!out("Use the renewals line as caller ID. The customer's mobile is 07823 415 906.", "07823 415 906"), "another sentence");
    }

    /// Session 21: the team's own line named "ours" in the sentence before a number.
    #[test]
    fn the_teams_line_named_ours() {
        let ours = |t: &str| ours_before(t, t.find(|c: char| c.is_ascii_digit()).expect("a number"));
        assert!(ours("Please call our card team on 0330 123 4477 to confirm it was you."));
        assert!(ours("客户要求转校成都——我司成都春熙路校区 028-8666 0901"));
        assert!(ours("Termin in unserer Werkstatt Plagwitz 0341 2471 9830 vorschlagen"));
        assert!(ours("訪問日が決まりましたら、当社の 06-6882-1150 からお電話いたします。"));
        assert!(!ours("Spoke with our customer Mr Price, callback on 07700 163 592"), "the team's customer");
        assert!(!ours("our courier partner DPD is on 0330 088 1275"), "another party");
        assert!(!ours("Our records are fine. Their office is on 0330 088 1275"), "another sentence");
    }

    /// Session 19: a writer who tells of giving the customer a number.
    #[test]
    fn a_writer_who_tells_of_giving_the_customer_a_number() {
        let of = |t: &str, n: &str| {
            let at = t.find(n).expect(n);
            of_the_customer_around(t, t[..at].rfind('\n').map_or(0, |i| i + 1), at, at + n.len())
        };
        assert!(of("Told client she can reach me directly on 021 427 8830", "021 427 8830"));
        assert!(of("I gave her my direct line 647-288-0413", "647-288-0413"));
        assert!(of("已告知客户，有事打我 13306527719", "13306527719"));
        assert!(!of("Customer: call me on 07911 204583", "07911 204583"), "a customer's own line");
        assert!(!of("客户留言：请打我手机 13306527719", "13306527719"));
        // (Session 21: or after it, giving it to the customer.)
        assert!(of("我把我的工作手机 189 1633 0521 给客户了，有问题让她直接找我。", "189 1633 0521"));
        assert!(of("4) Reminder: don't give my mobile 021 557 204 to customers, use the queue.", "021 557 204"));
        assert!(of("- 고객님께 제 직통번호 02-6952-4417 알려드림.", "02-6952-4417"));
        assert!(!of("Call me on 07911 204583\nI'll pass it to the customer", "07911 204583"), "another line");
        assert!(!of("My mobile is 07911 204583, the customer service line never answers", "07911 204583"));
        assert!(!of("很急，明天要给客户交稿。我手机 133 2098 1164。", "133 2098 1164"), "the writer's own client");
        assert!(!of("我手机 133 2098 1164，明天要给客户交稿", "133 2098 1164"));
        assert!(!of("Told her so.\nCall me on 07911 204583", "07911 204583"), "another line");
    }

    #[test]
    fn signature_blocks_that_name_the_team() {
        let is_team = |_: &str| false;
        let sig = |t: &str, n: &str, names: &[&str]| {
            let signs = super::super::context::TeamSigns::for_text(t, &is_team, names.iter().map(|s| s.to_string()).collect());
            let at = t.find(n).expect(n);
            let ls = t[..at].rfind('\n').map_or(0, |i| i + 1);
            signature_block(t, ls, at, &signs)
        };
        let zh = "工单 #1\n嘉欣同学你好\n退费申请已提交。\n预计 7 个工作日。\n知行教育 课程顾问 小苏\n电话：027-5952 8800 转 3017 | 微信同号 15927460032\n";
        assert!(sig(zh, "027", &["知行教育"]) && sig(zh, "159", &["知行教育"]));
        let de = "Hallo Service-Team,\nanbei eine Reklamation.\nBitte übernehmen.\nGruß\nSabine Krämer | Innendienst | Tel. 0711 882640-214\nSchweißtechnik Brandt GmbH\n";
        assert!(sig(de, "0711", &["brandt"]));
        // Not a form's title over its fields; not a sentence, not across a blank line, not without the team's name.
        assert!(!sig("a\nb\nc\nd\nClaes Kassasystemen bv — verdeler KassaSoft\n015 41 29 80 · bart@claes-kassa.test\n", "015", &["kassasoft"]));
        assert!(!sig("a\nb\nc\nd\nHe'll text from his work mobile\n07700 163 592 when he's on his way. Reference JOB-55102. You can also reach us.\nTom — WarmHome Care\n", "07700", &["warmhome"]));
        assert!(!sig("星云教育 · 课程咨询登记\n手机：186 2290 3374\n", "186", &["星云教育"]));
        assert!(!sig("Brandt GmbH\nBitte rufen Sie mich an, 0711 882640\n", "0711", &["brandt"]));
        assert!(!sig("Brandt GmbH\n\nTel. 0711 882640\n", "0711", &["brandt"]));
        assert!(!sig("Sabine Krämer | Einkauf | Tel. 0711 882640\nMüller Metall GmbH\n", "0711", &["brandt"]));
    }
}
