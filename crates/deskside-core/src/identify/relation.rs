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
    "ami", "amie", "amiga", "amigo", "boyfriend", "brother", "casera", "casero", "colleague", "coworker", "dad",
    "daughter", "esposa", "esposo", "father", "femme", "filha", "filho", "fille", "fils", "flatmate", "frau",
    "freund", "freundin", "friend", "frère", "girlfriend", "hermana", "hermano", "hija", "hijastra", "hijo",
    "husband", "irmã", "irmão", "landlady", "landlord", "lehrer", "lehrerin", "madre", "mama", "maman", "mamá",
    "manager", "mann", "mari", "marido", "mom", "mother", "mujer", "mulher", "mum", "mutter", "mãe", "mère",
    "nachbar", "nachbarin", "neighbor", "neighbour", "padre", "pai", "papa", "papá", "profesor", "profesora",
    "professeur", "professor", "professora", "propriétaire", "père", "roommate", "schwester", "senhoria", "senhorio",
    "sister", "sohn", "son", "suegra", "sœur", "teacher", "tochter", "vater", "vecina", "vecino", "vermieter",
    "vermieterin", "vizinha", "vizinho", "voisin", "voisine", "wife",
];

/// Words for a client: the requester's after a first person's possessive
/// (a lawyer's `our client`, `unser Mandant`), a third person's after
/// `another` (`otro cliente`).
const CLIENT_NOUNS: [&str; 5] = [
    "client", "clienta", "cliente", "mandant", "mandantin",
];

/// Words for a customer: a third person's after `another` (`another
/// customer`, `ein anderer Kunde`); never the requester's (`our customer line`).
const CUSTOMER_NOUNS: [&str; 3] = [
    "customer", "kunde", "kundin",
];

/// Words before a relation noun that make it someone's (lower case).
const THIRD_BEFORE: [&str; 40] = [
    "a", "an", "another", "her", "his", "ihr", "ihre", "ihrem", "ihrer", "ma", "mein", "meine", "meinem", "meiner",
    "meines", "meu", "mi", "minha", "mon", "my", "nossa", "nosso", "notre", "nuestra", "nuestro", "our", "sa",
    "sein", "seine", "seinem", "seiner", "seu", "son", "su", "sua", "sus", "their", "unser", "unsere", "unserem",
];

/// Words before a customer word that make it another one.
const OTHER_BEFORE: [&str; 9] = [
    "andere", "anderen", "anderer", "another", "autre", "other", "otra", "otro", "outro",
];

/// First persons' possessives before a client word: the writer acts for them.
const OURS_BEFORE: [&str; 12] = [
    "mon", "my", "nossa", "nosso", "notre", "nuestra", "nuestro", "our", "unser", "unsere", "unseren", "unserer",
];

/// The writer's own words after which a relation named earlier in the
/// sentence no longer says whose the identifier is (`My wife and I stayed …,
/// send it to me at …`, `我老公…，先用我的号码联系：…`).
const OWN_WORDS: [&str; 23] = [
    "comigo", "conmigo", "eu", "i", "je", "ma", "me", "mein", "meine", "mes", "meu", "mi", "mich", "mim", "mine",
    "minha", "mir", "moi", "mon", "my", "myself", "mí", "yo",
];

/// Relation and own words in Chinese, Japanese and Korean, read alone: a
/// third person's (`Third`), the requester's (`Client`), or the writer's own
/// (`Unsaid`: a relation before it no longer counts). Sorted by bytes: the
/// words of one first character are found by halves. (`丈夫` and `妻子` only
/// with `我`/`的`: `大丈夫` is "all right"; `担任の`, as `担任` is "to serve
/// as" in Chinese; no `선생님`, which an agent calls a customer.)
const CJK_WORDS: [(&str, Whose); 68] = [
    ("丈夫的", Whose::Third), ("主人の", Whose::Third), ("儿子", Whose::Third), ("兒子", Whose::Third), ("友人", Whose::Third),
    ("另一个", Whose::Third), ("另一位", Whose::Third), ("另一個", Whose::Third), ("大家さん", Whose::Third), ("夫の", Whose::Third),
    ("女儿", Whose::Third), ("女兒", Whose::Third), ("妻の", Whose::Third), ("委托人", Whose::Client), ("委託人", Whose::Client),
    ("娘の", Whose::Third), ("媳妇", Whose::Third), ("当事人", Whose::Client), ("息子", Whose::Third), ("我丈夫", Whose::Third),
    ("我先生", Whose::Third), ("我太太", Whose::Third), ("我妈", Whose::Third), ("我妻子", Whose::Third), ("我媽", Whose::Third),
    ("我愛人", Whose::Third), ("我手机", Whose::Unsaid), ("我手機", Whose::Unsaid), ("我朋友", Whose::Third),
    ("我爱人", Whose::Third), ("我爸", Whose::Third), ("我的", Whose::Unsaid), ("我邮箱", Whose::Unsaid), ("房东", Whose::Third),
    ("房東", Whose::Third), ("担任の", Whose::Third), ("旦那", Whose::Third), ("本人", Whose::Unsaid), ("母の", Whose::Third),
    ("父の", Whose::Third), ("班主任", Whose::Third), ("當事人", Whose::Client), ("私の", Whose::Unsaid),
    ("経理担当", Whose::Third), ("老公", Whose::Third), ("老婆", Whose::Third), ("邻居", Whose::Third), ("鄰居", Whose::Third),
    ("남편", Whose::Third), ("내 ", Whose::Unsaid), ("다른 고객", Whose::Third), ("다른 분", Whose::Third),
    ("담임", Whose::Third), ("아내", Whose::Third), ("아들", Whose::Third), ("아버지", Whose::Third), ("아빠", Whose::Third),
    ("어머니", Whose::Third), ("엄마", Whose::Third), ("와이프", Whose::Third), ("이웃", Whose::Third), ("저의", Whose::Unsaid),
    ("제 ", Whose::Unsaid), ("제 번호", Whose::Unsaid), ("제가", Whose::Unsaid), ("제번호", Whose::Unsaid),
    ("집주인", Whose::Third), ("친구", Whose::Third),
];

/// Whether a CJK word may start with a character whose three bytes hash
/// to this bit ([`cjk_hash`]): most characters start none, one look each.
const CJK_FIRSTS: [u64; 16] = cjk_firsts(&CJK_WORDS);

/// A bit per [`cjk_hash`] of each word's first character.
const fn cjk_firsts<T: Copy>(words: &[(&str, T)]) -> [u64; 16] {
    let mut t = [0u64; 16];
    let mut i = 0;
    while i < words.len() {
        let w = words[i].0.as_bytes();
        let h = cjk_hash(w[0], w[1], w[2]);
        t[h / 64] |= 1 << (h % 64);
        i += 1;
    }
    t
}

/// Whether a word of `firsts`' list may start with the character `a b c`.
fn may_start(firsts: &[u64; 16], a: u8, b: u8, c: u8) -> bool {
    let h = cjk_hash(a, b, c);
    firsts[h / 64] & (1 << (h % 64)) != 0
}

const fn cjk_hash(a: u8, b: u8, c: u8) -> usize {
    ((a as usize) * 7 + (b as usize) * 131 + (c as usize) * 17) & 1023
}

/// Whether a Latin word of these first two bytes and this length may be
/// one of the lists' nouns ([`RELATION_NOUNS`], [`CLIENT_NOUNS`],
/// [`CUSTOMER_NOUNS`]), or of [`OWN_WORDS`] (a bit per length up to 15, per
/// pair of lower-case letters, [`pair`]): most words of a text are none
/// (`the`, `and`), one look each.
const NOUN_PAIRS: [u16; 27 * 27] = pairs(&[&RELATION_NOUNS, &CLIENT_NOUNS, &CUSTOMER_NOUNS]);
const OWN_PAIRS: [u16; 27 * 27] = pairs(&[&OWN_WORDS]);

const fn pairs(lists: &[&[&str]]) -> [u16; 27 * 27] {
    let mut t = [0u16; 27 * 27];
    let mut l = 0;
    while l < lists.len() {
        let mut i = 0;
        while i < lists[l].len() {
            let w = lists[l][i].as_bytes();
            assert!(w.len() < 16);
            t[pair(w[0], if w.len() > 1 { w[1] } else { b' ' })] |= 1 << w.len();
            i += 1;
        }
        l += 1;
    }
    t
}

/// A table index for a word's first two bytes: a lower-case letter each
/// (`a`..`z`), any other byte as one more.
const fn pair(a: u8, b: u8) -> usize {
    const fn slot(c: u8) -> usize {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() { (c - b'a') as usize } else { 26 }
    }
    slot(a) * 27 + slot(b)
}

/// Whether `word` (as written, at most 15 bytes) is one of `list`'s (lower
/// case, sorted by bytes: a binary search).
fn one_of(word: &[u8], list: &[&str]) -> bool {
    let mut low = [0u8; 16];
    if word.is_empty() || word.len() >= low.len() {
        return false;
    }
    let low = &mut low[..word.len()];
    low.copy_from_slice(word);
    low.make_ascii_lowercase();
    list.binary_search_by(|w| w.as_bytes().cmp(low)).is_ok()
}

/// The text's bytes, `start` within them, and where a look back of at
/// most `max` bytes on the line of byte `start` begins (a window cut
/// mid-character starts at the next one).
fn window(text: &str, start: usize, max: usize) -> (&[u8], usize, usize) {
    let b = text.as_bytes();
    let start = start.min(b.len());
    let mut i = line_start(b, start, max);
    while i < start && (b[i] & 0xC0) == 0x80 {
        i += 1;
    }
    (b, start, i)
}

/// Rec15: how long the start of a number's line may be for
/// [`run_on_window`] to read the line above too (bytes).
const RUN_ON_LEAD: usize = 24;

/// Rec15: [`window`], and when the line above runs on into the number's
/// (it ends without a sentence's end: `… Our accountant Wong & Partners`
/// then `(Mr Daniel Wong, +65 …`), that line's end too, within `max` bytes
/// in all.
fn run_on_window(text: &str, start: usize, max: usize) -> (&[u8], usize, usize) {
    let (b, start, i) = window(text, start, max);
    // (Only a short start of the number's line, `(Mr Kevin Lim, `: a longer
    // one holds the sentence's own words.)
    // (And one that goes on a sentence: a bracket or a small letter first,
    // or the number itself, not a new line's `Office +65 …`.)
    let lead = b[i..start].trim_ascii_start();
    if i == 0 || b[i - 1] != b'\n' || start - i > RUN_ON_LEAD || lead.first().is_some_and(|&c| c != b'(' && !c.is_ascii_lowercase()) {
        return (b, start, i);
    }
    // (Spaces at its end only: a blank line between is a paragraph's end.)
    let mut e = i - 1;
    while e > 0 && matches!(b[e - 1], b' ' | b'\t' | b'\r') {
        e -= 1;
    }
    // (A sentence's words end it, a letter or a comma: not a log's row,
    // `… (technician Lwazi)  1m10s` or `…（司机 王师傅） 未接通`, over the
    // next row; and the number's own line holds no digit before it, as a
    // row's date.)
    let runs_on = b[..e].last().is_some_and(|&c| c.is_ascii_alphabetic() || c == b',') && !b[i..start].iter().any(u8::is_ascii_digit);
    if !runs_on {
        return (b, start, i);
    }
    let mut j = line_start(b, i - 1, max - (start - i));
    while j < start && (b[j] & 0xC0) == 0x80 {
        j += 1;
    }
    (b, start, j)
}

/// The end of the Latin word starting at `i` (with its accented letters:
/// `mère`, `irmã`, `sœur`, `şubesi`), at most `start`.
fn latin_word_end(b: &[u8], i: usize, start: usize) -> usize {
    // (A continuation byte goes on a word, never starts one.) (Speed25: one
    // table look a byte, not three tests: every word of the looks before an
    // identifier is read here.)
    if i >= start || b[i] & 0xC0 == 0x80 {
        return i;
    }
    b[i..start].iter().position(|&c| !LATIN_WORD_BYTES[usize::from(c)]).map_or(start, |k| i + k)
}

/// The bytes of a Latin word after its first: ASCII letters, the lead bytes
/// `C3`–`C5` of its accented letters (`E1` of Vietnamese ones) and continuation bytes.
const LATIN_WORD_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        // (Rec18: and `E1`, Vietnamese letters of Latin Extended Additional, `tài xế`, `tiệm`.)
        t[c] = b.is_ascii_alphabetic() || matches!(b, 0xC3..=0xC5 | 0xE1) || b & 0xC0 == 0x80;
        c += 1;
    }
    t
};

/// Titles whose dot ends no sentence (`la Sra. Rocío`, `Mr. Leung`).
/// (Rec18: nor a phone's or street's abbreviation, `Serwis CleanTech, ul.
/// Fabryczna 8, tel. 42 …`, `geom. Ferri, cell. 339 …`.)
const TITLES: [&str; 21] = [
    "avv", "cel", "cell", "dott", "dr", "geom", "ing", "mob", "mr", "mrs", "ms", "prof", "sig", "sr", "sra", "srta", "st",
    // (prec19: French `tél.`, `(SAV Clim Service, tél. 70 …)`.)
    "tel", "tlf", "tél", "ul",
];

/// Whose the identifier starting at byte `start` is by the words of its
/// sentence before it, at most [`RELATION_WINDOW`] bytes back on its line:
/// the last cue wins, and the writer's own words (`me`, `我的`, `제`) undo a
/// relation named before them. Asked of identifiers in running text.
#[inline(never)]
pub(super) fn whose_before(text: &str, start: usize) -> Whose {
    let (b, start, mut i) = window(text, start, RELATION_WINDOW);
    let mut whose = Whose::Unsaid;
    let mut prev: &[u8] = &[];
    while i < start {
        let c = b[i];
        if c.is_ascii_alphabetic() || (0xC3..=0xC5).contains(&c) {
            let e = latin_word_end(b, i, start);
            let w = &b[i..e];
            let slot = pair(w[0], w.get(1).copied().unwrap_or(b' '));
            let len = 1u16.checked_shl(w.len() as u32).unwrap_or(0);
            if OWN_PAIRS[slot] & len != 0 && one_of(w, &OWN_WORDS) {
                whose = Whose::Unsaid;
            }
            if NOUN_PAIRS[slot] & len != 0 {
                if one_of(w, &RELATION_NOUNS) && one_of(prev, &THIRD_BEFORE) {
                    whose = Whose::Third;
                } else if one_of(w, &CLIENT_NOUNS) || one_of(w, &CUSTOMER_NOUNS) {
                    if one_of(prev, &OTHER_BEFORE) {
                        whose = Whose::Third;
                    } else if one_of(prev, &OURS_BEFORE) && one_of(w, &CLIENT_NOUNS) {
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
                    if may_start(&CJK_FIRSTS, c, b[i + 1], b[i + 2]) {
                        let seg = &b[i..start];
                        let first = &seg[..3];
                        let from = CJK_WORDS.partition_point(|(w, _)| &w.as_bytes()[..3] < first);
                        let mut same = CJK_WORDS[from..].iter().take_while(|(w, _)| &w.as_bytes()[..3] == first);
                        if let Some((w, cue)) = same.find(|(w, _)| seg.starts_with(w.as_bytes())) {
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

/// Rec14: how far back on its line another party's role or kind is looked
/// for (bytes): it stands right before the number (`师傅姓孙，电话 …`,
/// `Kurye Mehmet Bey sizi …`, `an engineer from our partner MeterServe UK
/// (booking line …`), not anywhere in a long line.
const OTHER_PARTY_WINDOW: usize = 72;

/// Another party's role or kind in Latin script (lower case, sorted by
/// bytes): a person's trade or title (`technician`, `montador`, `kurye`,
/// `supervisor`, a customer's `vet` or `landlord`), another organisation's
/// kind (`bank`, `partner`, `dealer`,
/// `filiale`, `şubesi`, `ubezpieczyciela`). Not `agent`, `office`, `centre`
/// or `hotline` alone: the team has those too. (Rec15: a `shipper`, the
/// courier in Vietnamese chats, and a manufacturer in more languages,
/// `Serwis producenta (…, infolinia …`, `Hersteller`, `fabricante`.)
/// (Round 21: Portuguese "theirs", `a central de coletas deles: (51) …`
/// (not `dele`/`dela`, Nordic "share"), and a company or branch in Turkish cases, `kargo
/// firmasının … şubesini aramanız gerekiyor: 0212 …`.)
const OTHER_PARTY_WORDS: [&str; 117] = [
    "accountant", "adjuster", "adjusters", "aerolinea", "aerolínea", "airline", "assessor", "assessors", "bank",
    "bezorger", "carpenter", "carpintero", "carrier", "colaborador", "colaboradores", "contador", "contractor",
    "corriere", "courier", "dealer", "dealership", "delas", "deles", "dentist", "doctor", "driver",
    "electrician", "engineer", "extern", "external", "externe", "externo", "fabrica", "fabricant", "fabricante",
    "fabrikant", "filiale", "financiera", "firması", "firmasına", "firmasını", "firmasının", "fábrica", "ham", "hen",
    "hersteller", "installer", "insurer", "koerier", "kurier", "kurir", "kurirnya", "kurye", "kuryer", "landlord",
    "leur", "leurs", "livreur", "locksmith", "manufacturer", "mensajero", "montador", "monteur", "montör", "montør",
    "nachbar", "neighbor", "neighbour", "netbeheerder", "partenaire", "partner", "partners", "plumber", "producent",
    "producenta", "produttore", "repartidor", "rider", "satpam", "satıcı", "seller", "serwis", "serwisu", "shipper",
    "subcontractor", "supervisor", "supplier", "takstmann", "takstmannen", "tapicero", "technician", "technicien",
    "technik", "techniker", "tecnico", "their", "tiệm", "transporteur", "técnico", "ubezpieczyciel",
    "ubezpieczyciela", "udlejer", "utleier", "utleieren", "vecina", "vecino", "vendor", "vermieter", "vet", "voisin",
    "voisine", "xế", "yetkili", "şubesi", "şubesine", "şubesini", "şubesinin",
];

/// Words of the kinds in [`OTHER_PARTY_WORDS`] that stay another's after
/// the team's possessive (`our repair partner`, `our courier`): every other
/// role after `our` is the team's own (`our technician`).
const OTHER_EVEN_OURS: [&str; 17] = [
    "bank", "carrier", "colaborador", "colaboradores", "corriere", "courier", "extern", "external", "externe",
    "externo", "kurier", "kurir", "kurye", "kuryer", "partenaire", "partner", "partners",
];

/// The team's or writer's own words: after them the number is no longer
/// another party's (`For us, it's …`, `our hotline`, `call me on`).
const OWN_PARTY_WORDS: [&str; 27] = [
    "bizim", "ich", "kami", "kita", "me", "mein", "meine", "mi", "mine", "my", "nasz", "nasza", "nos", "nossa",
    "nosso", "notre", "nous", "nuestra", "nuestro", "ons", "onze", "our", "saya", "uns", "unser", "us", "we",
];

/// Another party's role or kind in Chinese, Japanese and Korean, and the
/// team's own words (`false`): `师傅`, `导游`, `主管`, `网点`, `服务商`. (Not
/// `仓库`, a warehouse: the team's own as often, `倉庫電話 …`.)
const OTHER_PARTY_CJK: [(&str, bool); 49] = [
    ("主管", true), ("厂家", true), ("品牌方", true),
    // (Session 17: a maker's own line the shop passes on, `售后需要走品牌官方：Vantor 全国服务热线 400-…`, `厂商售后 400-…`.)
    ("品牌官方", true), ("厂商", true), ("廠商", true), ("导游", true), ("導遊", true),
    // (Rec15: a carrier by its name, `顺丰香港热线 2730 0273`, `順豐香港客服 …`, under the shop's `客服-…` chat head.)
    ("顺丰", true), ("順豐", true), ("圆通", true), ("圓通", true), ("申通", true), ("韵达", true),
    ("韻達", true), ("极兔", true), ("德邦", true), ("邮政", true), ("郵政", true),
    ("師傅", true), ("师傅", true), ("快递员", true), ("快遞員", true), ("司机", true), ("司機", true), ("服务商", true),
    ("服務商", true), ("物业", true), ("物業", true), ("网点", true), ("網點", true), ("银行", true), ("銀行", true),
    ("配送業者", true), ("기사님", true), ("택배", true), ("我们", false), ("我們", false), ("我司", false),
    ("本公司", false), ("本店", false), ("我的", false),
    // (Rec18: a coach, `栾教练 186…`, an owner in a property's log, `901 业主 乔振宇 158 …`, a carrier's station,
    // `大榮台中站 (04)…`; the reader addressed, `您`, undoes them.)
    ("教练", true), ("教練", true), ("业主", true), ("業主", true), ("大榮", true), ("大荣", true), ("您", false),
];

/// [`other_party_before`]'s first looks: a Latin word's first two bytes
/// and length ([`pairs`]) in either of its lists, a CJK character's hash
/// ([`cjk_hash`]) among its words' first characters.
const PARTY_PAIRS: [u16; 27 * 27] = pairs(&[&OTHER_PARTY_WORDS, &OWN_PARTY_WORDS]);
const PARTY_CJK_FIRSTS: [u64; 16] = cjk_firsts(&OTHER_PARTY_CJK);

/// Whether the number starting at byte `start` is another party's by the
/// words right before it on its line (at most [`OTHER_PARTY_WINDOW`] bytes,
/// from its sentence's start): the last cue wins, a role or kind of
/// [`OTHER_PARTY_WORDS`]/[`OTHER_PARTY_CJK`] against the team's or writer's
/// own words. Asked of numbers a rule would give to the team: a team
/// message that passes on a courier's, a technician's, a bank's line.
#[inline(never)]
pub(super) fn other_party_before(text: &str, start: usize) -> bool {
    let (b, start, mut i) = run_on_window(text, start, OTHER_PARTY_WINDOW);
    let mut prev: &[u8] = &[];
    let mut other = false;
    while i < start {
        let c = b[i];
        if c.is_ascii_alphabetic() || (0xC3..=0xC5).contains(&c) {
            let e = latin_word_end(b, i, start);
            let w = &b[i..e];
            // (Most words are in neither list: one look at their first two
            // bytes and length first.)
            let len = 1u16.checked_shl(w.len() as u32).unwrap_or(0);
            if PARTY_PAIRS[pair(w[0], w.get(1).copied().unwrap_or(b' '))] & len != 0 {
                if one_of(w, &OWN_PARTY_WORDS) {
                    other = false;
                } else if one_of(w, &OTHER_PARTY_WORDS) && (one_of(w, &OTHER_EVEN_OURS) || !one_of(prev, &OWN_PARTY_WORDS)) {
                    other = true;
                }
            }
            prev = w;
            i = e;
            continue;
        }
        if c >= 0xE0 {
            let seg = &b[i..start];
            // (A character no word of the list starts with, most, is let go at one look.)
            let may = seg.len() >= 3 && may_start(&PARTY_CJK_FIRSTS, c, seg[1], seg[2]);
            // `。` E3 80 82 ends a sentence.
            if seg.starts_with("。".as_bytes()) {
                other = false;
            } else if let Some((w, cue)) = OTHER_PARTY_CJK.iter().take(if may { OTHER_PARTY_CJK.len() } else { 0 }).find(|(w, _)| seg.starts_with(w.as_bytes())) {
                other = *cue;
                i += w.len();
                continue;
            }
            i += if c >= 0xF0 { 4 } else { 3 };
            continue;
        }
        if matches!(c, b'.' | b'!' | b'?' | b';') && b.get(i + 1).is_none_or(|&n| n == b' ') && !one_of(prev, &TITLES) {
            other = false;
        }
        if !matches!(c, b' ' | b',') {
            prev = &[];
        }
        i += 1;
    }
    other
}

/// Rec18: how far back from a number a person named by an honorific is
/// looked for (bytes, on its line and a quoted line it runs on from).
const HONORIFIC_WINDOW: usize = 96;

/// Rec18: honorifics before a person's name (lower case, sorted by bytes):
/// `Mrs Aiko Brennan 0401 …`, `geom. Marco Rinaldi, cell. 347 …`, `anh Lộc
/// 0978 …`, `Herr Volker Brandes, Mobil …`.
/// (Not Vietnamese `anh`, `chị`: said of anyone, the team's own staff too,
/// `bộ phận kỹ thuật … anh Tuấn 0935 …`.)
const HONORIFICS: [&str; 38] = [
    "arch", "avv", "bapak", "bu", "dhr", "don", "dona", "doña", "dott", "dr", "frau", "fru", "geom", "herr", "ibu",
    "ing", "m", "madame", "mevr", "mevrouw", "miss", "mlle", "mme", "monsieur", "mr", "mrs", "ms", "pak", "pan", "pani",
    "senhor", "senhora", "sig", "signor", "signora", "sr", "sra", "srta",
];

/// Rec18: honorifics written after a name (`Murat Bey: 0542 …`), lower case, sorted.
const HONORIFICS_AFTER: [&str; 4] = ["bey", "hanim", "hanım", "san"];

/// Rec18: words that open a greeting before the honorific (`Dear Mr Smith,
/// 0800 … is our line`): the reader addressed, not a person passed on.
const GREETINGS: [&str; 22] = [
    "beste", "bonjour", "cara", "caro", "chào", "dear", "estimada", "estimado", "geachte", "gentile", "hallo", "hello",
    "hey", "hi", "kính", "liebe", "lieber", "merhaba", "olá", "prezada", "prezado", "sehr",
];

/// Rec18: a phone's label between a name and its number (`cell.`, `tel`,
/// `Mobil`, `HP`), or a connector (`au`, `on`), lower case, sorted.
const NAME_NUMBER_LABELS: [&str; 20] = [
    "at", "au", "cel", "cell", "celular", "gsm", "handy", "hp", "m", "mob", "mobil", "mobile", "on", "ph", "phone", "tel",
    "telefon", "telefono", "tlf", "whatsapp",
];

/// Rec18: whether the number starting at byte `start` is a person's whom
/// the words right before it name by an honorific — `Mrs Aiko Brennan 0401
/// 962 338`, `Murat Bey: 0542 …`, `Referente: geom. Marco Rinaldi, cell. 347
/// …` (and the second number after a first, `tel. 051 …, cell. 339 …`) —
/// a person the team's message passes on, not the team's own line. Not
/// after a greeting (`Dear Mr Smith, 0800 …`) or an own word (`our Mr
/// Lee on …`).
#[inline(never)]
pub(super) fn honorific_before(text: &str, start: usize) -> bool {
    let b = text.as_bytes();
    let start = start.min(b.len());
    let lo = start.saturating_sub(HONORIFIC_WINDOW);
    // The word ending at `e` (letters of any script but CJK), its start.
    let word_start = |e: usize| {
        let mut s = e;
        while s > lo && (b[s - 1].is_ascii_alphabetic() || b[s - 1] >= 0x80 && !(b[s - 1] >= 0xE3 && b[s - 1] <= 0xEF) && !is_cjk_tail(b, s)) {
            s -= 1;
        }
        while s < e && (b[s] & 0xC0) == 0x80 {
            s += 1;
        }
        s
    };
    let lower = |w: &[u8]| -> Option<([u8; 15], usize)> {
        // (Most words are ASCII: lower-cased byte by byte.)
        if w.is_ascii() {
            let mut buf = [0u8; 15];
            buf.get_mut(..w.len())?.copy_from_slice(w);
            buf.make_ascii_lowercase();
            return Some((buf, w.len()));
        }
        let s = std::str::from_utf8(w).ok()?;
        let mut buf = [0u8; 15];
        let mut n = 0;
        for c in s.chars().flat_map(char::to_lowercase) {
            let mut t = [0u8; 4];
            let e = c.encode_utf8(&mut t).as_bytes();
            buf.get_mut(n..n + e.len())?.copy_from_slice(e);
            n += e.len();
        }
        Some((buf, n))
    };
    let is = |w: &[u8], list: &[&str]| lower(w).is_some_and(|(buf, n)| list.binary_search_by(|x| x.as_bytes().cmp(&buf[..n])).is_ok());
    let capital = |w: &[u8]| match w.first() {
        Some(c) if c.is_ascii() => c.is_ascii_uppercase(),
        _ => std::str::from_utf8(w).ok().and_then(|s| s.chars().next()).is_some_and(char::is_uppercase),
    };
    // (Speed: a number right after a CJK character, most in Chinese text,
    // is asked the Chinese title only; one after no letter or digit, nothing.)
    let mut e = start;
    while e > lo && matches!(b[e - 1], b' ' | b':' | b'(') {
        e -= 1;
    }
    if is_cjk_tail(b, e) {
        return [&"先生"[..], "女士", "小姐"].iter().any(|h| b[lo..e].ends_with(h.as_bytes())) && e - 6 >= lo + 3 && is_cjk_tail(b, e - 6);
    }
    if e == lo || !(b[e - 1].is_ascii_alphanumeric() || b[e - 1] >= 0x80 || matches!(b[e - 1], b',' | b'.' | b'\n' | b'>' | b'/' | b'\t')) {
        return false;
    }
    // Back past separators, labels and at most one number before (`tel. 051 633 9127, cell. `).
    let mut e = start;
    let mut numbers = 0;
    let mut labels = 0;
    loop {
        while e > lo && matches!(b[e - 1], b' ' | b'\t' | b',' | b':' | b'(' | b'.' | b'/') {
            e -= 1;
        }
        // A quoted line the number's line runs on from (`Ferri,` then `> tel. 051 …`).
        if e > lo && b[e - 1] == b'\n' || e > lo && b[e - 1] == b'>' {
            let mut q = e;
            while q > lo && matches!(b[q - 1], b'>' | b' ') {
                q -= 1;
            }
            if q > lo && b[q - 1] == b'\n' && q > lo + 1 && b[q - 2] == b',' {
                e = q - 1;
                continue;
            }
            if q == e {
                return false;
            }
        }
        if e > lo && b[e - 1].is_ascii_digit() && numbers == 0 {
            while e > lo && (b[e - 1].is_ascii_digit() || matches!(b[e - 1], b' ' | b'-' | b'.' | b'(' | b')' | b'+')) {
                e -= 1;
            }
            numbers += 1;
            continue;
        }
        let s = word_start(e);
        if s < e && labels < 2 && e - s <= 8 && is(&b[s..e], &NAME_NUMBER_LABELS) && !(capital(&b[s..e]) && e - s == 1) {
            labels += 1;
            e = s;
            continue;
        }
        break;
    }
    // A Chinese name with its title right before the number (`陳先生 0922-…`,
    // `李女士：138…`): not after a comma (`好的王先生，门店电话 …` addresses the reader).
    if [&"先生"[..], "女士", "小姐"].iter().any(|h| b[lo..e].ends_with(h.as_bytes())) {
        return e - 6 >= lo + 3 && is_cjk_tail(b, e - 6);
    }
    // The name: up to three capitalised words, the honorific before them or right after.
    let mut names = 0;
    let mut w_end = e;
    for k in 0..4 {
        let s = word_start(w_end);
        if s == w_end {
            return false;
        }
        let w = &b[s..w_end];
        // (Speed: a small word that is no honorific ends the look at once.)
        let cap = capital(w);
        if !cap && (names == 0 || w.len() > 8) && !(k == 0 && matches!(w[0], b'b' | b'h' | b's')) {
            return false;
        }
        if k == 0 && w.len() <= 6 && is(w, &HONORIFICS_AFTER) {
            // `Murat Bey`: a name before it.
            let mut p = s;
            while p > lo && b[p - 1] == b' ' {
                p -= 1;
            }
            let q = word_start(p);
            return q < p && capital(&b[q..p]);
        }
        if names > 0 && w.len() <= 8 && is(w, &HONORIFICS) {
            // Not a greeting's or the team's own (`Dear Mr …`, `our Mr …`).
            let mut p = s;
            while p > lo && b[p - 1] == b' ' {
                p -= 1;
            }
            let q = word_start(p);
            let prev = &b[q..p];
            return !is(prev, &GREETINGS) && !one_of(prev, &OWN_PARTY_WORDS);
        }
        if !cap {
            return false;
        }
        names += 1;
        // The honorific's dot (`geom. Marco`, `Sig.ra`), or a space.
        let mut p = s;
        while p > lo && matches!(b[p - 1], b' ' | b'.') && s - p < 3 {
            p -= 1;
        }
        if p == s {
            return false;
        }
        w_end = p;
    }
    false
}

/// Whether the byte before `s` ends a CJK character (E3–EF lead byte three back).
#[inline]
fn is_cjk_tail(b: &[u8], s: usize) -> bool {
    s >= 3 && b[s - 3] >= 0xE3 && b[s - 3] <= 0xEF && (b[s - 1] & 0xC0) == 0x80
}

/// Rec15: words for an organisation's service line (lower case, sorted by
/// bytes): `HDFC card care at …`, `the Amer centre on …`, `the SACCO office
/// (…`, `Mitsubishi Electric service hotline …`, `service center resmi
/// Samsung …`. The team has them too: only after (or before) a name that is
/// not the team's, [`named_org_before`].
const SERVICE_LINE_WORDS: [&str; 9] = [
    "care", "center", "centre", "helpline", "hotline", "kantor", "office", "service", "servis",
];

/// Capitalised words that name no organisation before a service word
/// (`Customer Care`, `Please call …`, `Our office`), lower case, sorted.
const GENERIC_WORDS: [&str; 34] = [
    "a", "an", "at", "billing", "call", "card", "claims", "client", "contact", "customer", "dial", "emergency",
    "general", "head", "help", "hotline", "line", "main", "on", "or", "phone", "please", "reach", "ring", "sales",
    "support", "technical", "the", "their", "this", "to", "toll", "visit", "your",
];

/// Words between a service line's name and its number (`at`, `on`, `di`,
/// `au`, `line`, `number`), lower case, sorted.
/// (Round 21: and `toll-free`, `the Frostline service centre toll-free 1800 …`.)
const LINE_CONNECTORS: [&str; 12] = [
    "al", "at", "au", "di", "free", "is", "line", "no", "number", "on", "toll", "unter",
];

/// Round 21: words that join a service line to the organisation after it
/// (`le service à la clientèle de Frigomax au …`, `the care line of Kelvo
/// on …`), lower case, sorted.
const OF_WORDS: [&str; 9] = ["da", "de", "del", "della", "di", "do", "du", "of", "von"];

/// Round 21: a service line's words before [`OF_WORDS`] (lower case, read
/// anywhere in the 40 bytes before it: `service à la clientèle`,
/// `assistência técnica`, `servicio técnico`, `Kundendienst`).
const SERVICE_BEFORE_OF: [&[u8]; 14] = [
    b"servi", b"atendimento", b"assist", b"care", b"support", b"soporte", b"suporte", b"kundendienst", b"kundenservice", b"centre",
    b"center", b"centro", b"central", b"helpline",
];

/// Words that say a service line is its maker's own (`service center resmi
/// Samsung`, `the official Apple support line`), lower case, sorted.
const OFFICIAL_WORDS: [&str; 7] = [
    "authorised", "authorized", "official", "officiel", "offizielle", "oficial", "resmi",
];

/// How far back the named organisation's line is looked for (bytes).
const NAMED_ORG_WINDOW: usize = 64;

/// Rec15: whether the number starting at byte `start` is a named
/// organisation's service line by the words right before it — a name that
/// is not the team's ([`super::context::names_a_team`]) before a
/// [`SERVICE_LINE_WORDS`] word (`please call HDFC card care at 1800 …`,
/// `call the Amer centre on 800 …`, `Mitsubishi Electric service hotline
/// 6471 …`, `notify the SACCO office (020 …`), or after one and an
/// [`OFFICIAL_WORDS`] word (`service center resmi Samsung Mangga Dua (021)
/// …`); only connectors (`at`, `on`), spaces and an opening bracket between
/// it and the number, and no own word (`our`, `kami`) before the name.
#[inline(never)]
pub(super) fn named_org_before(text: &str, start: usize, names: &[String]) -> bool {
    // (Read back from the number, a word at a time: most numbers have no
    // Latin word right before them, or one that is no connector, service
    // word or name, `Tel`, `phone`, and are let go there.)
    let b = text.as_bytes();
    let start = start.min(b.len());
    let lo = line_start(b, start, NAMED_ORG_WINDOW);
    let word_ending = |end: usize| {
        let mut s = end;
        while s > lo && b[s - 1].is_ascii_alphabetic() {
            s -= 1;
        }
        (s < end && (s == lo || b[s - 1] < 0x80)).then_some((s, end))
    };
    // The word before `w`, with only spaces or `&` between.
    let before = |w: (usize, usize)| {
        let mut e = w.0;
        // (Rec18: or an opening bracket, `BatteryWorks Europe (service +31 …`.)
        // (Round 21: or a hyphen, `toll-free`.)
        while e > lo && matches!(b[e - 1], b' ' | b'&' | b'(' | b'-') {
            e -= 1;
        }
        if e == w.0 { None } else { word_ending(e) }
    };
    let word = |w: (usize, usize)| &b[w.0..w.1];
    let is_name = |w: (usize, usize)| b[w.0].is_ascii_uppercase() && w.1 - w.0 >= 2 && !one_of(word(w), &GENERIC_WORDS);
    // The first word of a name and the name's end: not the sentence's
    // first word, not after an own word, not the team's.
    let name_ok = |first: (usize, usize), end: usize| {
        let mut p = first.0;
        while p > lo && b[p - 1] == b' ' {
            p -= 1;
        }
        // (Rec18: a line that goes on from a comma opens none, `… naar de fabrikant,` then `BatteryWorks Europe (service …`.)
        let opens = p == 0 || matches!(b[p - 1], b'.' | b'!' | b'?' | b';') || b[p - 1] == b'\n' && !b[..p - 1].trim_ascii_end().ends_with(b",");
        !opens && !before(first).is_some_and(|o| one_of(word(o), &OWN_PARTY_WORDS)) && !super::context::names_a_team(&b[first.0..end], names)
    };
    // The name's first word, back from its last (at most four words).
    let name_from = |mut first: (usize, usize)| {
        for _ in 0..3 {
            match before(first) {
                Some(p) if is_name(p) => first = p,
                _ => break,
            }
        }
        first
    };
    // Only spaces, `(`, `:` after the last word, and at most two connectors before it.
    let mut e = start;
    while e > lo && matches!(b[e - 1], b' ' | b'(' | b':' | b'\t') {
        e -= 1;
    }
    let Some(mut w) = word_ending(e) else { return false };
    for _ in 0..2 {
        if !one_of(word(w), &LINE_CONNECTORS) {
            break;
        }
        let Some(p) = before(w) else { return false };
        w = p;
    }
    if one_of(word(w), &SERVICE_LINE_WORDS) {
        // The name before: past up to two generic or service words.
        let mut to = w;
        for _ in 0..2 {
            match before(to) {
                Some(p) if one_of(word(p), &GENERIC_WORDS) || one_of(word(p), &SERVICE_LINE_WORDS) => to = p,
                _ => break,
            }
        }
        let Some(last) = before(to).filter(|&p| is_name(p)) else { return false };
        return name_ok(name_from(last), last.1);
    }
    // The name after: `service center resmi Samsung Mangga Dua (`.
    if !is_name(w) {
        return false;
    }
    let first = name_from(w);
    // (Round 21: a service line, then `de`/`of` and the name: `appeler le
    // service à la clientèle de Frigomax au 1 800 …`.)
    if let Some(of) = before(first).filter(|&p| one_of(word(p), &OF_WORDS)) {
        let near = &b[lo.max(of.0.saturating_sub(40))..of.0];
        return SERVICE_BEFORE_OF.iter().any(|s| deskside_detect::lines::find_ignore_ascii_case(near, s).is_some()) && name_ok(first, w.1);
    }
    let Some(official) = before(first).filter(|&p| one_of(word(p), &OFFICIAL_WORDS)) else { return false };
    before(official).is_some_and(|p| one_of(word(p), &SERVICE_LINE_WORDS)) && name_ok(first, w.1)
}

/// Labels that head the requester's block of a form or record (lower case),
/// at a line's start (after a list's number or bullet), followed by a colon,
/// a bracket, a slash or (CJK) `信息`/`资料`/`姓名`: `投诉人（求职者）：`,
/// `二、投保人/申请人`, `고객: 박지윤`, `Requester:`, `Kunde:`. Not `客户经理`,
/// `Customer Service`, `Kundennummer`.
const REQUESTER_LABELS: [&str; 36] = [
    "投诉人", "投訴人", "申请人", "申請人", "投保人", "客户", "客戶", "顾客", "顧客", "报案人", "来电人", "고객", "신청인", "민원인",
    "お客様", "申込者", "申請者", "依頼者", "requester", "applicant", "caller", "claimant", "complainant", "customer", "cliente",
    "solicitante", "reclamante", "requerente", "kunde", "kundin", "antragsteller", "antragstellerin", "demandeur", "client",
    "policyholder", "meldende person",
];

/// Words of a line's head that name someone else's block (a contact
/// person, an emergency contact, the accused party, a teacher): a walk up
/// to the requester's label stops there. (Rec15: and a transfer's or
/// parcel's receiver, `Receiver mobile (per form): …` under `Caller: …`:
/// the identifier's own line is among the lines read.)
const OTHER_ROLES: [&str; 23] = [
    "联系人", "聯絡人", "紧急", "緊急", "被", "老师", "老師", "担保", "经理", "經理", "代理", "보호자", "담당", "担当", "emergency",
    "guarantor", "contact person", "notfall", "ansprech", "landlord", "receiver", "recipient", "beneficiary",
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
    let start = start.min(b.len());
    let ls = line_start(b, start, BLOCK_LINE);
    let own = &b[ls..start];
    if starts_with_requester_label(skip_bullet(own).0) {
        return true;
    }
    // Below the label, the identifier's own line is a contact field
    // (`手机：`, `등록 연락처:`, `Phone:`; not `就诊医院：…` of the same form):
    // most identifiers' lines are none, and no line above is read.
    if ls == 0 || !contact_field(own) || names_a_relation(own) {
        return false;
    }
    let mut end = ls - 1;
    let mut between = (ls, start);
    for _ in 0..REQUESTER_LINES {
        let ls = line_start(b, end, BLOCK_LINE);
        if ls > 0 && b[ls - 1] != b'\n' {
            return false;
        }
        let line = &b[ls..end];
        let (body, numbered) = skip_bullet(line);
        if body.is_empty() {
            return false;
        }
        if starts_with_requester_label(body) {
            // (Read only now: the lines between hold no other person's role.)
            return !text_has_other_role(b, between);
        }
        if numbered || ls == 0 {
            return false;
        }
        between = (ls, between.1);
        end = ls - 1;
    }
    false
}

/// Whether any line of `b[span]` has another person's role in its head.
fn text_has_other_role(b: &[u8], span: (usize, usize)) -> bool {
    b[span.0..span.1].split(|&c| c == b'\n').any(other_role)
}

/// Whether a line's head (before its first colon, at most [`HEAD_BYTES`])
/// names another person's role.
fn other_role(line: &[u8]) -> bool {
    let (head, _) = head_of(line);
    OTHER_ROLES.iter().any(|r| find_ci(head, r.as_bytes()).is_some())
}

/// Words of a contact field's label (lower case).
const CONTACT_WORDS: [&str; 42] = [
    "手机", "手機", "电话", "電話", "邮箱", "郵箱", "邮件", "联系方式", "연락처", "전화", "휴대폰", "핸드폰", "이메일", "메일", "携帯",
    "メール", "phone", "mobile", "tel", "email", "e-mail", "mail", "cell", "telefon", "handy", "teléfono", "telefone", "celular",
    "correo", "courriel", "portable", "móvil", "contact", "contacto", "contato", "whatsapp", "rückruf", "callback", "rappel", "号码", "番号", "번호",
];

/// Whether a line's head is a contact field's label: it ends with a word of
/// [`CONTACT_WORDS`] (a Latin one starting a word) before a colon (`手机：`,
/// `등록 연락처:`, `Tel.:`; not `Rappel demandé au 514 … (cell) ; au bureau 438 …`).
fn contact_field(line: &[u8]) -> bool {
    let (head, colon) = head_of(line);
    if !colon {
        return false;
    }
    let mut head = head.trim_ascii_end();
    // (A qualifier in brackets after the label: `Phone (caller):`, `手机（本人）：`.)
    if let Some(open) = bracket_tail(head) {
        head = head[..open].trim_ascii_end();
    }
    while let [rest @ .., b'.' | b' '] = head {
        head = rest;
    }
    CONTACT_WORDS.iter().any(|w| {
        let w = w.as_bytes();
        let Some(p) = head.len().checked_sub(w.len()) else { return false };
        head[p..].eq_ignore_ascii_case(w) && (w[0] >= 0x80 || p == 0 || !head[p - 1].is_ascii_alphabetic())
    })
}

/// Where a label's bracketed tail starts (`Phone (caller)`, `手机（本人）`:
/// the `(`/`（`), when the label ends with its closing bracket.
fn bracket_tail(head: &[u8]) -> Option<usize> {
    // (`（` is EF BC 88, `）` EF BC 89.)
    if head.ends_with(b")") {
        head.iter().rposition(|&c| c == b'(')
    } else if head.ends_with("）".as_bytes()) {
        head.windows(3).rposition(|w| w == "（".as_bytes())
    } else {
        None
    }
}

/// Whether a contact field's value starts with a relation (`Alt contact:
/// wife, Akinyi, 0110 …`, `Notfall: Mutter 0171 …`): another person's
/// number under the requester's label, not theirs.
fn names_a_relation(line: &[u8]) -> bool {
    let (head, _) = head_of(line);
    let value = line[(head.len() + 1).min(line.len())..].trim_ascii_start();
    // (A Latin word with its accented letters: two-byte characters only.)
    let word = value.iter().take_while(|&&c| c.is_ascii_alphabetic() || (0x80..0xE0).contains(&c)).count();
    word > 0 && one_of(&value[..word], &RELATION_NOUNS)
}

/// A line's head: before its first colon, at most [`HEAD_BYTES`]; and
/// whether a colon ends it.
fn head_of(line: &[u8]) -> (&[u8], bool) {
    let head = &line[..line.len().min(HEAD_BYTES)];
    match deskside_detect::lines::first_colon(head) {
        Some(p) => (&head[..p], true),
        None => (head, false),
    }
}

/// A line's text past its list number or bullet (`二、`, `2.`, `- `, `【`),
/// and whether it had a number (a section head, unless the requester's).
fn skip_bullet(line: &[u8]) -> (&[u8], bool) {
    let mut s = line.trim_ascii_start();
    while let [b'-' | b'*' | b'[' | b'#', rest @ ..] = s {
        s = rest;
    }
    let mut numbered = false;
    // `一、` … `十、`, `1.`, `2)`, `3、`: a number and its mark (`、` E3 80 81).
    let digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && digits < 3 {
        match s[digits..] {
            [b'.' | b')', ..] => (s, numbered) = (&s[digits + 1..], true),
            [0xE3, 0x80, 0x81, ..] => (s, numbered) = (&s[digits + 3..], true),
            _ => {}
        }
    } else if let [0xE4 | 0xE5, _, _, 0xE3, 0x80, 0x81, ..] = s {
        if "一二三四五六七八九十".as_bytes().chunks(3).any(|n| s.starts_with(n)) {
            (s, numbered) = (&s[6..], true);
        }
    }
    // `【` E3 80 90, `•` E2 80 A2, `・` E3 83 BB.
    if let [0xE3, 0x80, 0x90, ..] | [0xE2, 0x80, 0xA2, ..] | [0xE3, 0x83, 0xBB, ..] = s {
        s = &s[3..];
    }
    (s.trim_ascii_start(), numbered)
}

/// For each lower-case first byte, which of [`REQUESTER_LABELS`] start
/// with it (a bit per label), and the same for the second byte: most lines
/// start none, and a Chinese line's E6 only five.
const LABEL_FIRSTS: [u64; 256] = label_bytes_at(0);
const LABEL_SECONDS: [u64; 256] = label_bytes_at(1);

const fn label_bytes_at(k: usize) -> [u64; 256] {
    let mut t = [0u64; 256];
    let mut i = 0;
    while i < REQUESTER_LABELS.len() {
        t[REQUESTER_LABELS[i].as_bytes()[k] as usize] |= 1 << i;
        i += 1;
    }
    t
}

/// Whether `body` starts with a requester's label and a mark after it.
fn starts_with_requester_label(body: &[u8]) -> bool {
    let (Some(&first), Some(&second)) = (body.first(), body.get(1)) else { return false };
    let mut labels = LABEL_FIRSTS[first.to_ascii_lowercase() as usize] & LABEL_SECONDS[second.to_ascii_lowercase() as usize];
    std::iter::from_fn(|| {
        (labels != 0).then(|| {
            let i = labels.trailing_zeros() as usize;
            labels &= labels - 1;
            i
        })
    })
    .any(|i| {
        let l = REQUESTER_LABELS[i].as_bytes();
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

/// Round 15: whether an address's local part repeats a word of the line the
/// phone at byte `phone` is on or of the line right above (a record's name
/// or account field: `Caller: Mr. Venkatesh Iyer  CLI: …` and
/// `venkat.iyer.blr`, `宽带账号：nj_songjh_0827` and `songjh0827`). Words
/// are runs of at least [`NAME_RUN`] ASCII letters, equal or one the start of
/// the other (`thandi` of `Thandiwe`); the line's addresses are no words.
pub(super) fn names_the_address(text: &str, phone: usize, local: &str) -> bool {
    let b = text.as_bytes();
    let phone = phone.min(b.len());
    let ls = line_start(b, phone, BLOCK_LINE);
    let le = b[phone..].iter().position(|&c| c == b'\n').map_or(b.len(), |n| phone + n).min(phone + BLOCK_LINE);
    let above = if ls > 0 { line_start(b, ls - 1, BLOCK_LINE) } else { ls };
    let parts: Vec<&[u8]> = letter_runs(local.as_bytes()).collect();
    if parts.is_empty() {
        return false;
    }
    b[above..le]
        .split(|c| c.is_ascii_whitespace())
        .filter(|token| !token.contains(&b'@'))
        .flat_map(letter_runs)
        .any(|word| {
            parts.iter().any(|p| {
                let n = p.len().min(word.len());
                p[..n].eq_ignore_ascii_case(&word[..n])
            })
        })
}

/// Session 20: whether the address at byte `address` and the number at
/// `phone` (to `phone_end`) are one person's fields of one block: at most
/// [`BLOCK_GAP`] lines apart with no blank line between, and the address
/// written as the value of an address field (`E-mail:`, `电子邮箱：`, a saved
/// page's `<dt>邮箱</dt><dd>`) or of the requester's (`请求人：何静 <…>`,
/// `Opened by Fiona MacLeod <…>`): `Klient: Bartosz W.  Tel.: 604 …
/// E-mail: b.wisniewski@…`, `联系手机：…` / `备用电话：…` / `电子邮箱：…`. (Not
/// `Assessor appointed: Ruan Botha, ruan.botha@…` under the policyholder's
/// `Cell:`, nor `推荐人邮箱 …` beside the customer's `手机：…`.)
pub(super) fn same_field_block(text: &str, phone: usize, phone_end: usize, address: usize) -> bool {
    let b = text.as_bytes();
    let (lo, hi) = (phone.min(address).min(b.len()), phone.max(address).min(b.len()));
    let between = &b[lo..hi];
    let breaks = between.iter().filter(|&&c| c == b'\n').count();
    if breaks > BLOCK_GAP || between.split(|&c| c == b'\n').skip(1).take(breaks.saturating_sub(1)).any(|l| l.iter().all(u8::is_ascii_whitespace)) {
        return false;
    }
    // The address's lead: from its line's start, or from the number when it
    // stands before the address on its line.
    let ls = line_start(b, address.min(b.len()), BLOCK_LINE);
    let from = if breaks == 0 && phone < address { phone_end.max(ls) } else { ls };
    let lead = untagged(&text[from.min(address)..address]);
    let t = lead.trim_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '：' | '|' | '·' | ',' | '，' | '/' | '-' | '–'));
    let lower = t.to_lowercase();
    ADDRESS_LABELS.contains(&lower.as_str())
        || lower.ends_with('<') && REQUESTER_LABELS.iter().chain(&REQUESTER_FIELDS).any(|w| lower.starts_with(w))
}

/// How many line breaks apart one block's fields may be in [`same_field_block`].
const BLOCK_GAP: usize = 2;

/// A field's label for an address, whole (lower case).
const ADDRESS_LABELS: [&str; 27] = [
    "email", "e-mail", "mail", "email address", "e-mail address", "email on file", "email id", "your email", "邮箱", "电子邮箱", "联系邮箱",
    "邮件", "电子邮件", "電郵", "電子郵件", "電子信箱", "信箱", "郵箱", "メール", "メールアドレス", "correo", "correo electrónico", "courriel",
    "adresse e-mail", "e-mail-adresse", "endereço de e-mail", "indirizzo email",
];

/// A requester field's label before the name and `<address>`, beside the
/// block heads of [`REQUESTER_LABELS`] (lower case).
const REQUESTER_FIELDS: [&str; 5] = ["请求人", "請求人", "提交人", "opened by", "requested by"];

/// `s` without its HTML tags (`<dt>邮箱</dt><dd>`: `邮箱`); a `<` that opens
/// no tag (`何静 <`) is kept.
fn untagged(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        match rest[i..].find('>') {
            Some(j) if rest[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/') => rest = &rest[i + j + 1..],
            _ => {
                out.push('<');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// How long a run of ASCII letters must be to name a person in
/// [`names_the_address`] (`iyer`; not `nj`, `mr`).
const NAME_RUN: usize = 4;

fn letter_runs(s: &[u8]) -> impl Iterator<Item = &[u8]> {
    s.split(|c| !c.is_ascii_alphabetic()).filter(|r| r.len() >= NAME_RUN)
}

/// Round 15: whether the address at byte `start` is written in a chat
/// message whose speaker is the number `phone` as written (`05/12/26,
/// 10:16 - +91 98450 12376: ramesh…@`, `[02/12/2026 10:11] +55 11
/// 98765-2210: meu email é …`): the number, then a colon, stands before it
/// on its line, and at most a short lead-in without a comma after the colon
/// (not `ok, send the credit note to my office admin, Ms. Sheetal, …@`).
pub(super) fn spoken_by(text: &str, start: usize, phone: &str) -> bool {
    let b = text.as_bytes();
    let start = start.min(b.len());
    let head = &b[line_start(b, start, BLOCK_LINE)..start];
    let p = phone.as_bytes();
    if p.is_empty() {
        return false;
    }
    head.windows(p.len()).position(|w| w == p).is_some_and(|i| {
        let rest = head[i + p.len()..].trim_ascii_start();
        let said = rest.strip_prefix(b":").or_else(|| rest.strip_prefix("：".as_bytes()));
        // (Session 20: or a longer message of the speaker's that names no one
        // else by a possessive before the address: `Lovely. Can you send the
        // receipt to hannah…@`, `received, thanks. GST invoice pls on vikram…@`;
        // not `my CA handles it, ca.mehta@…`, `to my office admin, Ms. Sheetal, …@`.)
        said.is_some_and(|s| s.len() <= LEAD_IN && !s.contains(&b',') && find_ci(s, "，".as_bytes()).is_none() || s.len() <= MESSAGE_LEAD_IN && !possessive_of_another(s))
    })
}

/// How long the words before a chat speaker's own address may be in
/// [`spoken_by`] when they name no one else (bytes: a message of a few sentences).
const MESSAGE_LEAD_IN: usize = 240;

/// Possessives in Latin script, lower case, at a word's start.
const POSSESSIVES: [&[u8]; 14] = [b"my ", b"mi ", b"mis ", b"mein ", b"meine ", b"meinen ", b"meiner ", b"mon ", b"ma ", b"meu ", b"minha ", b"mijn ", b"mio ", b"mia "];

/// Words for an address, right after a possessive (`my email is`, `mi correo`).
const ADDRESS_WORDS: [&[u8]; 9] = [b"email", b"e-mail", b"mail", b"correo", b"courriel", b"address", b"adresse", b"inbox", b"gmail"];

/// Whether `s` holds a possessive that is not about an address of the
/// writer's (`my CA`, `my office admin`, `mi hermana`): another person the
/// address after it may be.
fn possessive_of_another(s: &[u8]) -> bool {
    (0..s.len()).any(|i| {
        (i == 0 || !s[i - 1].is_ascii_alphanumeric())
            && POSSESSIVES.iter().any(|p| {
                s.len() >= i + p.len()
                    && s[i..i + p.len()].eq_ignore_ascii_case(p)
                    && !ADDRESS_WORDS.iter().any(|w| s.len() >= i + p.len() + w.len() && s[i + p.len()..i + p.len() + w.len()].eq_ignore_ascii_case(w))
            })
    })
}

/// How long the words before a chat speaker's own address may be in
/// [`spoken_by`] (bytes: `meu email é `, `my email id is `, `邮箱是`).
const LEAD_IN: usize = 24;

fn find_ci(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w.eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chat_speakers_longer_message_gives_their_address_unless_a_possessive_names_another() {
        let said = |t: &str| spoken_by(t, t.find("x@").expect("address"), "+44 7723 418 902");
        assert!(said("+44 7723 418 902: Brilliant, I'll pay by card. Could you send the receipt to x@mail.test"));
        assert!(said("+44 7723 418 902: ok, my email is x@mail.test"));
        assert!(!said("+44 7723 418 902: thanks. The invoice goes to my accountant, she files it, x@mail.test"));
        assert!(!said("+44 7723 418 902: my CA handles it, x@mail.test"));
        // (Another speaker's line: not this number's.)
        assert!(!said("Crumb & Co: send it to x@mail.test"));
    }

    #[test]
    fn a_number_and_an_address_field_of_one_block_are_one_persons() {
        let block = |t: &str| {
            let (p, a) = (t.find("0").expect("number"), t.find("x@").expect("address"));
            same_field_block(t, p, p + 11, a)
        };
        assert!(block("Klient: Jan K.   Tel.: 012 840 337   E-mail: x@onet.test"));
        assert!(block("Mobile: 087 410 2286\nHome/landline: (01) 462 9913\nEmail: x@eircom.test"));
        assert!(block("<dt>请求人</dt><dd>何静 <x@cw.test></dd>\n<dt>手机</dt><dd>0135 8820 7614</dd>"));
        // Another person's field, a label that is not the address's, a blank line, a block too far: no.
        assert!(!block("Cell: 082 551 4093\nAssessor appointed: Ruan Botha, x@panel.test"));
        assert!(!block("手机：0186 2290 3374\n备注：推荐人邮箱 x@163.test"));
        assert!(!block("Mobile: 087 410 2286\n\nEmail: x@eircom.test"));
        assert!(!block("Mobile: 087 410 2286\na\nb\nEmail: x@eircom.test"));
    }

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
        // A qualifier in brackets after the label; a relation as the field's value.
        assert!(block("Caller: Mr. Brian Otieno\nPhone (caller): 0722 481 903\n", "0722"));
        assert!(block("客户：何雯雯\n手机（本人）：158 2836 0097\n", "158"));
        assert!(!block("Caller: Mr. Brian Otieno\nPhone (caller): 0722 481 903\nAlt contact: wife, Akinyi, 0110 285 773\n", "0110"));
        assert!(!block("Kunde: Jonas Weber\nNotfallkontakt: Mutter 0171 2288 4410\n", "0171"));
    }

    #[test]
    fn another_party_s_role_or_kind_right_before_a_number_makes_it_theirs() {
        // (Text, the number's first bytes, whether it is another party's.)
        let cases = [
            ("已帮您联系安装网点，师傅姓孙，电话 186 7520 9943，预计11点前到", "186", true),
            ("Kurye Mehmet Bey sizi 0532 711 48 26 numarasından arayacak.", "0532", true),
            ("an engineer from our partner MeterServe UK (booking line 0330 912 4470) will", "0330", true),
            ("please call the HDFC bank helpline at 1800 266 4332 and quote", "1800", true),
            ("kalo kurir bingung telpon satpam kos 0274 889 412", "0274", true),
            // The team's or writer's own words closer; a sentence's end; a role after `our`.
            ("please call the bank at 1800 266 4332. For us, it's 1800 419 2277.", "1800 419", false),
            ("师傅明天上门。如需改约，请拨打我们的服务热线 400-156-8800。", "400", false),
            ("our technician will call you from our workshop line 0161 496 0777", "0161", false),
            ("Our technician Jan: 0161 496 0777", "0161", false),
            ("Hotline: 0800 048 9921", "0800", false),
        ];
        each_number(&cases, other_party_before);
    }

    /// Asks `look` of each case's number (text, the number's first bytes,
    /// the answer wanted).
    fn each_number(cases: &[(&str, &str, bool)], look: impl Fn(&str, usize) -> bool) {
        for &(text, number, want) in cases {
            assert_eq!(look(text, text.find(number).expect("number in text")), want, "{text}");
        }
    }

    #[test]
    fn a_person_named_by_an_honorific_before_a_number_is_theirs() {
        let at = |t: &str, n: &str| honorific_before(t, t.find(n).unwrap());
        assert!(at("The key holder is Mrs Joan Pritchard 07700 900 412, flat 3.", "07700"));
        assert!(at("yarın Kemal Bey gelecek. Kemal Bey: 0533 214 87 60", "0533"));
        assert!(at("Referente: geom. Marco Rinaldi, cell. 347 218 9034.", "347"));
        // The second number after the first, and a quoted line run on from a comma.
        let t = "> abbiamo incaricato Edilcasa s.r.l. (ing. Paolo Gatti,\n> tel. 051 488 2210, cell. 347 661 0938).";
        assert!(at(t, "051"));
        assert!(at(t, "347"));
        assert!(at("已轉給維修窗口 王先生 0928-114-306，他下午會聯絡您", "0928"));
        // Guards: a greeting, the team's own, a comma after the reader's title, no honorific.
        assert!(!at("Dear Mrs Okafor, 020 7946 0321 is the number to ring.", "020"));
        assert!(!at("Please ask for our Mr Lee on 020 7946 0321.", "020"));
        assert!(!at("好的陳小姐，總部專線 02-2712-6600 也可以撥打", "02-"));
        assert!(!at("Jordan Ellis | Portfolio Manager | Maplecrest | 514-390-7700", "514"));
        assert!(!at("Call Support on 020 7946 0321.", "020"));
    }

    #[test]
    fn more_kinds_of_party_and_abbreviations_that_end_no_sentence() {
        let at = |t: &str, n: &str| other_party_before(t, t.find(n).unwrap());
        assert!(at("Serwis AquaTech Polska, ul. Przemysłowa 12, Poznań, tel. 61 843 22 10.", "61 843"));
        assert!(at("Rider Musa (Kubwa hub) 0906 223 4418 will deliver by 2pm.", "0906"));
        assert!(at("Nuestro carpintero externo, Taller Robles, tel (55) 5611 8042, pasará.", "(55)"));
        assert!(at("Xe đưa đón: tài xế anh Lộc 0978 215 463", "0978"));
        assert!(!at("Our rider desk 0209 880 1255 can confirm the slot.", "0209"));
    }

    #[test]
    fn a_named_organisation_s_service_line_is_theirs() {
        let names = vec!["shopkart".to_string()];
        // (Text, the number's first bytes, whether it is the named organisation's.)
        let cases = [
            ("please call HDFC card care at 1800 266 4332 and quote", "1800", true),
            ("You can also call the Amer centre on 800 47 2215 for status.", "800", true),
            ("Please check with Mitsubishi Electric service hotline 6471 3911", "6471", true),
            ("I'll also notify the SACCO office (020 231 4470, info@…).", "(020", true),
            ("Silakan ke service center resmi Samsung Mangga Dua (021) 6230 1188", "(021", true),
            // The team's own name, generic words, the sentence's first word, an own word.
            ("please call ShopKart care at 1800 572 4411", "1800", false),
            ("or Customer Care on 1800 572 4412.", "1800", false),
            ("Hotline 1800 572 4413", "1800", false),
            ("HDFC care: 1800 266 4332", "1800", false),
            ("call our Amer centre on 800 47 2215", "800", false),
            ("call me on 0912 448 703", "0912", false),
        ];
        each_number(&cases, |text, start| named_org_before(text, start, &names));
    }

    #[test]
    fn the_lists_are_lower_case_and_sorted() {
        for list in [&SERVICE_LINE_WORDS[..], &GENERIC_WORDS, &LINE_CONNECTORS, &OFFICIAL_WORDS] {
            assert!(list.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes()), "{list:?}");
            assert!(list.iter().all(|w| w.to_lowercase() == *w && w.len() < 16));
        }
        for w in RELATION_NOUNS.iter().chain(&CLIENT_NOUNS).chain(&OWN_WORDS).chain(&THIRD_BEFORE).chain(&REQUESTER_LABELS) {
            assert_eq!(w.to_lowercase(), *w);
        }
        for list in [&RELATION_NOUNS[..], &CLIENT_NOUNS, &CUSTOMER_NOUNS, &THIRD_BEFORE, &OTHER_BEFORE, &OURS_BEFORE, &OWN_WORDS, &TITLES] {
            assert!(list.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes()), "{list:?}");
        }
        assert!(CJK_WORDS.windows(2).all(|w| w[0].0.as_bytes() < w[1].0.as_bytes()));
        for list in [&OTHER_PARTY_WORDS[..], &OTHER_EVEN_OURS, &OWN_PARTY_WORDS] {
            assert!(list.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes()), "{list:?}");
            assert!(list.iter().all(|w| w.to_lowercase() == *w && w.len() < 16));
        }
    }

    #[test]
    fn one_persons_address_by_name_or_chat_speaker() {
        let t = "Caller: Mr. Venkatesh Iyer   CLI: +91 98450 31276\n- Wants it emailed to venkat.iyer.blr@gmail.com";
        assert!(names_the_address(t, t.find("+91").unwrap(), "venkat.iyer.blr"));
        assert!(!names_the_address(t, t.find("+91").unwrap(), "emily.chen"));
        // The line above, an account word; the line's own address is no word.
        let t = "客户：宋建华   宽带账号：nj_songjh_0827\n来电号码：13813964052   邮箱：x.lee@163.com";
        assert!(names_the_address(t, t.find("138").unwrap(), "songjh0827"));
        assert!(!names_the_address(t, t.find("138").unwrap(), "lee.x"));
        // Two lines up is not read; runs under four letters name no one.
        assert!(!names_the_address("Name: Jo Ann Marsh\n\nMobile: 0412 771 358", 26, "marsh.jo"));
        assert!(!names_the_address("Caller: Mr. Jo Li  CLI: 0412 771 358", 24, "jo.li"));
        let chat = "05/12/26, 10:16 - +91 98450 12376: ramesh.k77@rediffmail.com";
        assert!(spoken_by(chat, chat.find("ramesh").unwrap(), "+91 98450 12376"));
        assert!(!spoken_by(chat, chat.find("ramesh").unwrap(), "+91 98450 99999"));
        let chat = "[02/12/2026 10:11] +55 11 98765-2210: meu email é jp.82@gmail.com";
        assert!(spoken_by(chat, chat.find("jp.82").unwrap(), "+55 11 98765-2210"));
        let chat = "03/12/26, 12:05 - +91 98200 44712: ok, send it to my office admin, Ms. Sheetal, sheetal.a@gmail.com";
        assert!(!spoken_by(chat, chat.find("sheetal.a").unwrap(), "+91 98200 44712"));
    }
}
