//! Round 13 (rank13): whose an identifier is by the words right before it —
//! a relation the writer names (`남편 메일로 …`, `mi marido … su correo`,
//! `班主任 熊老师 028-…`, `Another customer, daniel@…`) — and the requester's
//! own block of a form or record (`投诉人（求职者）：… 登录手机：…`, `고객: 박지윤`
//! then `등록 연락처: 010-…`, `Requester: …` then `Phone: …`), or a lawyer's
//! `our client … can be reached at …`. On bytes, no allocation, on the
//! identifier's sentence and the few lines above it only.

use deskside_detect::lines::line_start;

/// Whose an identifier is by the words of its sentence before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Whose {
    /// Nothing said.
    Unsaid,
    /// A third person's: a relation the writer names (`my husband`, `另一位`).
    Third,
    /// The requester's, named by the writer who acts for them (`our client`, `委托人`).
    Client,
}

/// How far back on its line a relation word is looked for (bytes): the
/// word stands right before the identifier or its label, not anywhere in
/// a long sentence (a longer reach is [`super::context::third_person_before`]'s).
const RELATION_WINDOW: usize = 96;

/// Relation nouns in Latin script, lower case, sorted (bytes): a third
/// person's after a possessive or `a`/`another` ([`THIRD_BEFORE`]), never alone
/// (`Frau Lang`, `Mann`, `Sohn` as names or titles).
const RELATION_NOUNS: [&str; 91] = [
    "amie", "amiga", "amigo", "ami", "boyfriend", "brother", "casera", "casero", "colleague", "coworker", "dad", "daughter",
    "esposa", "esposo", "father", "femme", "filha", "filho", "fille", "fils", "flatmate", "frau", "freund", "freundin",
    "friend", "frère", "girlfriend", "hermana", "hermano", "hija", "hijo", "husband", "irmã", "irmão", "landlady",
    "landlord", "lehrer", "lehrerin", "madre", "mama", "mamá", "mann", "manager", "mari", "marido", "maman", "mom",
    "mother", "mulher", "mum", "mutter", "mãe", "mère", "nachbar", "nachbarin", "neighbor", "neighbour", "padre", "pai",
    "papa", "papá", "profesor", "profesora", "professeur", "professor", "professora", "propriétaire", "roommate",
    "schwester", "senhoria", "senhorio", "sister", "sohn", "son", "sœur", "teacher", "tochter", "vater", "vecina",
    "vecino", "vermieter", "vermieterin", "vizinha", "vizinho", "voisin", "voisine", "wife", "mujer", "père", "hijastra",
    "suegra",
];

/// Words for a customer or client: a third person's after `another`
/// (`another customer`, `otro cliente`, `ein anderer Kunde`); the first five
/// the requester's after a first person's possessive, a lawyer's `our
/// client`, `unser Mandant` (not `our customer line`).
const CLIENT_NOUNS: [&str; 8] = ["client", "cliente", "clienta", "mandant", "mandantin", "customer", "kunde", "kundin"];

/// Words before a relation noun that make it someone's (lower case).
const THIRD_BEFORE: [&str; 40] = [
    "a", "an", "another", "my", "our", "his", "her", "their", "mein", "meine", "meinem", "meiner", "meines", "sein", "seine",
    "seinem", "seiner", "ihr", "ihre", "ihrem", "ihrer", "unser", "unsere", "unserem", "mon", "ma", "son", "sa", "notre",
    "mi", "su", "sus", "nuestro", "nuestra", "meu", "minha", "seu", "sua", "nosso", "nossa",
];

/// Words before a customer word that make it another one.
const OTHER_BEFORE: [&str; 9] = ["another", "other", "anderer", "andere", "anderen", "autre", "otro", "otra", "outro"];

/// First persons' possessives before a client word: the writer acts for them.
const OURS_BEFORE: [&str; 12] = ["our", "my", "unser", "unsere", "unseren", "unserer", "notre", "nuestro", "nuestra", "nosso", "nossa", "mon"];

/// The writer's own words after which a relation named earlier in the
/// sentence no longer says whose the identifier is (`My wife and I stayed …,
/// send it to me at …`, `我老公…，先用我的号码联系：…`).
const OWN_WORDS: [&str; 23] = [
    "i", "me", "my", "mine", "myself", "mich", "mir", "mein", "meine", "moi", "mon", "ma", "mes", "je", "yo", "mi", "mí",
    "eu", "mim", "comigo", "conmigo", "meu", "minha",
];

/// Relation and own words in Chinese, Japanese and Korean, read alone: a
/// third person's (`Third`), the requester's (`Client`), or the writer's own
/// (`Unsaid`: a relation before it no longer counts).
const CJK_WORDS: [(&str, Whose); 68] = [
    // zh
    ("老公", Whose::Third), ("老婆", Whose::Third), ("我爱人", Whose::Third), ("我愛人", Whose::Third), ("我丈夫", Whose::Third),
    ("丈夫的", Whose::Third), ("我妻子", Whose::Third), ("媳妇", Whose::Third), ("我妈", Whose::Third), ("我媽", Whose::Third), ("我爸", Whose::Third),
    ("儿子", Whose::Third), ("兒子", Whose::Third), ("女儿", Whose::Third), ("女兒", Whose::Third), ("班主任", Whose::Third),
    ("房东", Whose::Third), ("房東", Whose::Third), ("邻居", Whose::Third), ("鄰居", Whose::Third), ("我朋友", Whose::Third),
    ("另一位", Whose::Third), ("另一个", Whose::Third), ("另一個", Whose::Third), ("我先生", Whose::Third), ("我太太", Whose::Third),
    ("委托人", Whose::Client), ("委託人", Whose::Client), ("当事人", Whose::Client), ("當事人", Whose::Client),
    ("我的", Whose::Unsaid), ("我手机", Whose::Unsaid), ("我手機", Whose::Unsaid), ("我邮箱", Whose::Unsaid), ("本人", Whose::Unsaid),
    // ja
    ("主人の", Whose::Third), ("夫の", Whose::Third), ("妻の", Whose::Third), ("旦那", Whose::Third), ("息子", Whose::Third),
    ("娘の", Whose::Third), ("母の", Whose::Third), ("父の", Whose::Third), ("担任の", Whose::Third), ("大家さん", Whose::Third),
    ("経理担当", Whose::Third), ("友人", Whose::Third), ("私の", Whose::Unsaid),
    // ko
    ("남편", Whose::Third), ("아내", Whose::Third), ("와이프", Whose::Third), ("엄마", Whose::Third), ("아빠", Whose::Third),
    ("어머니", Whose::Third), ("아버지", Whose::Third), ("아들", Whose::Third), ("담임", Whose::Third),
    ("집주인", Whose::Third), ("이웃", Whose::Third), ("친구", Whose::Third), ("다른 고객", Whose::Third), ("다른 분", Whose::Third),
    ("제 ", Whose::Unsaid), ("저의", Whose::Unsaid), ("내 ", Whose::Unsaid), ("제가", Whose::Unsaid), ("제번호", Whose::Unsaid),
    ("제 번호", Whose::Unsaid),
];

/// Whether a CJK word may start with a character whose three bytes hash
/// to this bit ([`cjk_hash`]): most characters start none, one look each.
const CJK_FIRSTS: [u64; 16] = {
    let mut t = [0u64; 16];
    let mut i = 0;
    while i < CJK_WORDS.len() {
        let w = CJK_WORDS[i].0.as_bytes();
        let h = cjk_hash(w[0], w[1], w[2]);
        t[h / 64] |= 1 << (h % 64);
        i += 1;
    }
    t
};

const fn cjk_hash(a: u8, b: u8, c: u8) -> usize {
    ((a as usize) * 7 + (b as usize) * 131 + (c as usize) * 17) & 1023
}

/// Whether a Latin word of this first letter and length may be one of the
/// lists' (a bit per length up to 15, per lower-case first byte): most words
/// of a text are none, one look each.
const LATIN_FIRSTS: [u16; 256] = {
    let mut t = [0u16; 256];
    let lists: [&[&str]; 3] = [&RELATION_NOUNS, &CLIENT_NOUNS, &OWN_WORDS];
    let mut l = 0;
    while l < lists.len() {
        let mut i = 0;
        while i < lists[l].len() {
            let w = lists[l][i].as_bytes();
            assert!(w.len() < 16);
            t[w[0] as usize] |= 1 << w.len();
            i += 1;
        }
        l += 1;
    }
    t
};

/// Whether `word` (as written) is one of `list`'s (lower case).
fn one_of(word: &[u8], list: &[&str]) -> bool {
    list.iter().any(|w| word.len() == w.len() && word.eq_ignore_ascii_case(w.as_bytes()))
}

/// Titles whose dot ends no sentence (`la Sra. Rocío`, `Mr. Leung`).
const TITLES: [&str; 9] = ["mr", "mrs", "ms", "dr", "sr", "sra", "srta", "st", "prof"];

/// Whose the identifier starting at byte `start` is by the words of its
/// sentence before it, at most [`RELATION_WINDOW`] bytes back on its line:
/// the last cue wins, and the writer's own words (`me`, `我的`, `제`) undo a
/// relation named before them. Asked of identifiers in running text.
#[inline(never)]
pub(super) fn whose_before(text: &str, start: usize) -> Whose {
    let b = text.as_bytes();
    let start = start.min(b.len());
    let mut i = line_start(b, start, RELATION_WINDOW);
    // (A window cut mid-character starts at the next one.)
    while i < start && (b[i] & 0xC0) == 0x80 {
        i += 1;
    }
    let mut whose = Whose::Unsaid;
    let mut prev: &[u8] = &[];
    while i < start {
        let c = b[i];
        if c.is_ascii_alphabetic() || (0xC3..=0xC5).contains(&c) {
            // A Latin word (with its accented letters: `mère`, `irmã`, `sœur`).
            let mut e = i;
            while e < start && (b[e].is_ascii_alphabetic() || (0xC3..=0xC5).contains(&b[e]) || (b[e] & 0xC0) == 0x80 && e > i) {
                e += 1;
            }
            let w = &b[i..e];
            if w.len() < 16 && LATIN_FIRSTS[w[0].to_ascii_lowercase() as usize] & (1 << w.len()) != 0 {
                if one_of(w, &OWN_WORDS) {
                    whose = Whose::Unsaid;
                }
                if one_of(w, &RELATION_NOUNS) && one_of(prev, &THIRD_BEFORE) {
                    whose = Whose::Third;
                } else if one_of(w, &CLIENT_NOUNS) {
                    if one_of(prev, &OTHER_BEFORE) {
                        whose = Whose::Third;
                    } else if one_of(prev, &OURS_BEFORE) && one_of(w, &CLIENT_NOUNS[..5]) {
                        whose = Whose::Client;
                    }
                }
            }
            prev = w;
            i = e;
            continue;
        }
        if c >= 0xE0 {
            let n = if c >= 0xF0 { 4 } else { 3 };
            if i + 2 < start {
                // `。` E3 80 82, `！` EF BC 81, `？` EF BC 9F end a sentence.
                if (c, b[i + 1], b[i + 2]) == (0xE3, 0x80, 0x82) || (c == 0xEF && b[i + 1] == 0xBC && matches!(b[i + 2], 0x81 | 0x9F)) {
                    whose = Whose::Unsaid;
                } else {
                    let h = cjk_hash(c, b[i + 1], b[i + 2]);
                    if CJK_FIRSTS[h / 64] & (1 << (h % 64)) != 0 {
                        let seg = &b[i..start];
                        if let Some((w, cue)) = CJK_WORDS.iter().find(|(w, _)| seg.starts_with(w.as_bytes())) {
                            whose = *cue;
                            i += w.len();
                            prev = &[];
                            continue;
                        }
                    }
                }
            }
            prev = &[];
            i += n;
            continue;
        }
        if matches!(c, b'.' | b'!' | b'?') && b.get(i + 1).is_none_or(|&n| n == b' ') && !one_of(prev, &TITLES) {
            whose = Whose::Unsaid;
        }
        if c != b' ' && c != b',' {
            prev = &[];
        }
        i += 1;
    }
    whose
}

/// Labels that head the requester's block of a form or record (lower case),
/// at a line's start (after a list's number or bullet), followed by a colon,
/// a bracket, a slash or (CJK) `信息`/`资料`/`姓名`: `投诉人（求职者）：`,
/// `二、投保人/申请人`, `고객: 박지윤`, `Requester:`, `Kunde:`. Not `客户经理`,
/// `Customer Service`, `Kundennummer`.
const REQUESTER_LABELS: [&str; 34] = [
    "投诉人", "投訴人", "申请人", "申請人", "投保人", "客户", "客戶", "顾客", "顧客", "报案人", "来电人", "고객", "신청인", "민원인",
    "お客様", "申込者", "申請者", "依頼者", "requester", "applicant", "caller", "claimant", "complainant", "customer", "cliente",
    "solicitante", "reclamante", "requerente", "kunde", "kundin", "antragsteller", "antragstellerin", "demandeur", "client",
];

/// Words of a line's head that name someone else's block (a contact
/// person, an emergency contact, the accused party, a teacher): a walk up
/// to the requester's label stops there.
const OTHER_ROLES: [&str; 20] = [
    "联系人", "聯絡人", "紧急", "緊急", "被", "老师", "老師", "担保", "经理", "經理", "代理", "보호자", "담당", "担当", "emergency",
    "guarantor", "contact person", "notfall", "ansprech", "landlord",
];

/// How many lines above its own the requester's label is looked for.
const REQUESTER_LINES: usize = 3;
/// How much of a line's start is read for another's role (bytes).
const HEAD_BYTES: usize = 48;
/// How long a line of a form's block may be (bytes).
const BLOCK_LINE: usize = 512;

/// Whether the identifier starting at byte `start` is in the requester's
/// block: its own line or one of the [`REQUESTER_LINES`] above starts with a
/// [`REQUESTER_LABELS`] label, with no blank line, numbered section head
/// (`三、出险经过`) or other person's role ([`OTHER_ROLES`]) between.
#[inline(never)]
pub(super) fn in_requester_block(text: &str, start: usize) -> bool {
    let b = text.as_bytes();
    let mut end = start.min(b.len());
    // (The lines read so far, own line first: their heads are read only
    // once a label is found above them.)
    let mut below = [(0usize, 0usize); REQUESTER_LINES];
    for k in 0..=REQUESTER_LINES {
        let ls = line_start(b, end, BLOCK_LINE);
        if ls > 0 && b[ls - 1] != b'\n' {
            return false;
        }
        let (body, numbered) = skip_bullet(&b[ls..end]);
        if body.is_empty() && k > 0 {
            return false;
        }
        if LABEL_FIRSTS[body.first().map_or(0, u8::to_ascii_lowercase) as usize] && starts_with_requester_label(body) {
            // (Below the label, the identifier's own line is a contact field:
            // `手机：`, `등록 연락처:`, `Phone:`, not `就诊医院：…` of the same form.)
            return k == 0 || contact_field(&b[below[0].0..below[0].1]) && below[..k].iter().all(|&(s, e)| !other_role(&b[s..e]));
        }
        if numbered || ls == 0 || k == REQUESTER_LINES {
            return false;
        }
        below[k] = (ls, end);
        end = ls - 1;
    }
    false
}

/// Whether a line's head (before its first colon, at most [`HEAD_BYTES`])
/// names another person's role.
fn other_role(line: &[u8]) -> bool {
    let (head, _) = head_of(line);
    OTHER_ROLES.iter().any(|r| find_ci(head, r.as_bytes()).is_some())
}

/// Words of a contact field's label (lower case).
const CONTACT_WORDS: [&str; 37] = [
    "手机", "手機", "电话", "電話", "邮箱", "郵箱", "邮件", "联系方式", "연락처", "전화", "휴대폰", "핸드폰", "이메일", "메일", "携帯",
    "メール", "phone", "mobile", "tel", "email", "e-mail", "mail", "cell", "telefon", "handy", "teléfono", "telefone", "celular",
    "correo", "courriel", "portable", "móvil", "contact", "whatsapp", "rückruf", "callback", "rappel",
];

/// Whether a line's head is a contact field's label: a word of
/// [`CONTACT_WORDS`] (a Latin one starting a word) before a colon (`手机：`,
/// `Phone:`; not `Rappel demandé au 514 … (cell) ; au bureau 438 …`).
fn contact_field(line: &[u8]) -> bool {
    let (head, colon) = head_of(line);
    if !colon {
        return false;
    }
    CONTACT_WORDS.iter().any(|w| {
        let w = w.as_bytes();
        head.windows(w.len()).enumerate().any(|(p, x)| x.eq_ignore_ascii_case(w) && (w[0] >= 0x80 || p == 0 || !head[p - 1].is_ascii_alphabetic()))
    })
}

/// A line's head: before its first colon, at most [`HEAD_BYTES`]; and
/// whether a colon ends it.
fn head_of(line: &[u8]) -> (&[u8], bool) {
    let head = &line[..line.len().min(HEAD_BYTES)];
    let (head, ascii) = head.iter().position(|&c| c == b':').map_or((head, false), |p| (&head[..p], true));
    find(head, "：".as_bytes()).map_or((head, ascii), |p| (&head[..p], true))
}

/// A line's text past its list number or bullet (`二、`, `2.`, `- `, `【`),
/// and whether it had a number (a section head, unless the requester's).
fn skip_bullet(line: &[u8]) -> (&[u8], bool) {
    let mut s = line.trim_ascii_start();
    while let [b'-' | b'*' | b'[' | b'#', rest @ ..] = s {
        s = rest;
    }
    let mut numbered = false;
    // `一、` … `十、`, `1.`, `2)`, `3、`: a number and its mark.
    let digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && digits < 3 {
        let rest = &s[digits..];
        if let Some(rest) = rest.strip_prefix(b".").or_else(|| rest.strip_prefix(b")")).or_else(|| rest.strip_prefix("、".as_bytes())) {
            (s, numbered) = (rest, true);
        }
    } else if s.len() >= 6 && s[3..].starts_with("、".as_bytes()) && "一二三四五六七八九十".as_bytes().chunks(3).any(|n| s.starts_with(n)) {
        (s, numbered) = (&s[6..], true);
    }
    for mark in ["【", "•", "・"] {
        if let Some(rest) = s.strip_prefix(mark.as_bytes()) {
            s = rest;
        }
    }
    (s.trim_ascii_start(), numbered)
}

/// The lower-case first bytes of [`REQUESTER_LABELS`]: most lines start none.
const LABEL_FIRSTS: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < REQUESTER_LABELS.len() {
        t[REQUESTER_LABELS[i].as_bytes()[0] as usize] = true;
        i += 1;
    }
    t
};

/// Whether `body` starts with a requester's label and a mark after it.
fn starts_with_requester_label(body: &[u8]) -> bool {
    REQUESTER_LABELS.iter().any(|l| {
        let l = l.as_bytes();
        if body.len() < l.len() || !body[..l.len()].eq_ignore_ascii_case(l) {
            return false;
        }
        let mut rest = &body[l.len()..];
        if l[0] < 0x80 {
            // (`Customer Service`, `Kundennummer`: no label.)
            rest = rest.trim_ascii_start();
            return matches!(rest.first(), Some(b':' | b'(' | b'/')) || rest.starts_with("：".as_bytes()) || rest.starts_with("（".as_bytes());
        }
        ["：", "（", "(", ":", "/", " ", "\t", "】", "信息", "资料", "資料", "姓名", "情報", "정보", "手机", "手機", "电话", "電話", "邮箱", "연락처"].iter().any(|m| rest.starts_with(m.as_bytes()))
            || rest.is_empty()
    })
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}

fn find_ci(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w.eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(t: &str, n: &str) -> Whose {
        whose_before(t, t.find(n).expect("identifier in text"))
    }

    fn block(t: &str, n: &str) -> bool {
        in_requester_block(t, t.find(n).expect("identifier in text"))
    }

    #[test]
    fn a_relation_right_before_an_identifier_makes_it_a_third_person_s() {
        assert_eq!(at("[오후 2:13] 이수민: 남편 메일로 영수증 보내주세요 parkjh0719@naver.com", "park"), Whose::Third);
        assert_eq!(at("Comentarios: la reserva la hizo mi marido desde su correo jordi@gmail.test", "jordi"), Whose::Third);
        assert_eq!(at("Pide que se avise a su vecina, la Sra. Rocío, al correo rocio@hotmail.test", "rocio"), Whose::Third);
        assert_eq!(at("Another customer, daniel.ho@bigpond.test, told me", "daniel"), Whose::Third);
        assert_eq!(at("（班主任 熊老师 028-8521 7736）", "028"), Whose::Third);
        assert_eq!(at("投诉人补充：另一位求职者 zhouyue_job@qq.com 也被骗了", "zhou"), Whose::Third);
        assert_eq!(at("Our client can be reached directly at deb@yeah.test", "deb"), Whose::Client);
        assert_eq!(at("our customer line 1300 88 77 66 forwards", "1300"), Whose::Unsaid);
        assert_eq!(at("请与我方委托人联系，委托人邮箱 gong@yeah.test。", "gong"), Whose::Client);
        // The writer's own words after the relation; a sentence's end; a name alone.
        assert_eq!(at("My wife and I stayed here. Please send it to me at tom@outlook.test", "tom"), Whose::Unsaid);
        assert_eq!(at("My wife and I stayed, send it to me at tom@outlook.test", "tom"), Whose::Unsaid);
        assert_eq!(at("我老公上周办的宽带，他手机坏了，先用我的号码联系：139 1022 4837", "139"), Whose::Unsaid);
        assert_eq!(at("엄마 폰이 고장나서요, 제 번호로 연락 주세요 010-7741-2086", "010"), Whose::Unsaid);
        assert_eq!(at("Kunde: Frau Petra Lang, Tel. 0151 2288 4410", "0151"), Whose::Unsaid);
        assert_eq!(at("Customer: Tom Reid 0412 555 019", "0412"), Whose::Unsaid);
        // Words that only look like relations: `大丈夫` (all right), `担任` (to serve as), `eine Frau`.
        assert_eq!(at("来週なら大丈夫です、090-6612-4471 にお電話ください", "090"), Whose::Unsaid);
        assert_eq!(at("我在公司担任财务，邮箱 chenlu@hengda-food.test", "chen"), Whose::Unsaid);
        assert_eq!(at("Eine Frau hat angerufen, Rückruf unter 0151 2288 4410", "0151"), Whose::Unsaid);
        assert_eq!(at("夫の会社のメールは使わないでください（ishikawa.t@tokai.test）", "ishi"), Whose::Third);
    }

    #[test]
    fn the_requester_s_block_is_read_up_to_its_label() {
        assert!(block("고객: 박지윤  회원번호 HK-1\n등록 연락처: 010-3381-5274\n", "010"));
        assert!(block("二、投保人/申请人\n姓名：龚宏伟  与被保险人关系：父女\n手机：186 0283 3917\n", "186"));
        assert!(block("投诉人（求职者）：韦嘉宁  登录手机：153 7702 4186\n", "153"));
        assert!(block("Requester: Hannah Cole\nPhone: (02) 9374 4410\n", "(02)"));
        assert!(!block("投诉人：韦嘉宁\n被投诉企业：蓝川\n企业认证联系人 邹先生 电话 0755-8613 2290\n", "0755"));
        assert!(!block("一、被保险人\n姓名：龚梓涵（班主任 熊老师 028-8521 7736）\n", "028"));
        assert!(!block("客户：林晓峰\n客户经理：周凯 180 1622 0937\n", "180"));
        assert!(!block("Customer Service: 1-800-555-0199\n", "1-800"));
        assert!(!block("Kundennummer: 448-2093\nTel. 0151 2288 4410\n", "0151"));
        assert!(!block("申请人：张三\n\n手机：138 0013 8000\n", "138"));
        assert!(!block("投保人：林佳怡\n保单号 PI 2026\n就诊医院：瑞派宠物医院 0571-8826 4010\n", "0571"));
        assert!(block("投保人手机 176 5820 3391  邮箱 lin@petlover.test\n", "lin@"));
        assert!(!block("Client : Geneviève\nRappel demandé au 514 555-0187 (cell) ; au bureau 438-555-0123\n", "438"));
        assert!(!block("Cliente: Alessandro Rinaldi\nRichiesta: anticipare\nRichiamare sul fisso ufficio 011 562 8830\n", "011"));
        assert!(!block("申请人：张三\n二、联系方式\n手机：138 0013 8000\n", "138"));
    }

    #[test]
    fn the_lists_are_lower_case() {
        for w in RELATION_NOUNS.iter().chain(&CLIENT_NOUNS).chain(&OWN_WORDS).chain(&THIRD_BEFORE).chain(&REQUESTER_LABELS) {
            assert_eq!(w.to_lowercase(), *w);
        }
    }
}
