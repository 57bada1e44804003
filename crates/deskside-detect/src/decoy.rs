//! What the text right around a phone-shaped number says it is (issue 17,
//! round 6): an id label right before it (`ref`, `Tracking:`, `Invoice #`,
//! `IMEI`, `端末ID`, `订单号`, `주문번호`, `Bestellnummer`), a code it
//! continues (`1Z 999 AA1 01 2345 6784`: a group of letters and digits just
//! before), a conference dial-in (`Meeting ID`, `Passcode`, `One tap mobile`,
//! a dial string `+1 646…,,81244719920#`, a pasted calendar's `DESCRIPTION:`
//! line), and the phone labels that outweigh them (`Tel`, `mobile`, `电话`).
//!
//! Asked only for a number the scanner has found (never per byte), each
//! reads a bounded window on the number's line (at most [`LABEL_WINDOW`]
//! bytes before it, [`LINE_WINDOW`] for its line and the two above), without
//! allocating.

use crate::lines::line_start;

/// How far before a number its label and a phone label are looked for.
const LABEL_WINDOW: usize = 40;
/// How far back a number's line (and the two above it) are read for a dial-in's words.
const LINE_WINDOW: usize = 240;

/// Whether the found number at `start..end` is an id, a code or a dial-in
/// rather than someone's phone. `plus`: it was written with `+` or `00`.
#[inline(never)]
pub fn not_a_phone(text: &str, start: usize, end: usize, plus: bool) -> bool {
    let b = text.as_bytes();
    if dial_in(b, start, end) {
        return true;
    }
    // (Round 9: `00` is how an id that starts with zeros begins, too:
    // `PromptPay ref 004999041887220`. Only `+` outweighs an id's label.)
    let zeros = plus && b.get(start) == Some(&b'0');
    if plus && !zeros {
        return false;
    }
    if zeros {
        let (label_end, hash) = skip_label_separators(b, start);
        // (Regions 11: and a tax number's label: Morocco's ICE is fifteen digits starting `00`, `ICE 0024…`.)
        return labelled_id(b, label_end, hash) || tax_label_before(b, start);
    }
    // (A code that ends in `#`, the key a dial-in's PIN is ended with:
    // `PIN: 802 117 449#` under `Join by phone`.)
    if id_or_code_before(b, start) || b.get(end) == Some(&b'#') {
        return true;
    }
    // The number may start inside a run of digit groups (`IMEI 0151
    // 23456789` read in Hong Kong, `AA1 01 2345 6784`): the label or code
    // before the run counts.
    let run = run_start(b, start);
    if run != start && id_or_code_before(b, run) {
        return true;
    }
    // (Round 11: a tax or social security number's label before a run that
    // starts with one digit, `N° de sécurité sociale : 2 88 04 75 118 227
    // 41`; an id's label there stays a count, `Order 5 13800138000`.)
    run >= 3 && b[run - 1] == b' ' && b[run - 2].is_ascii_digit() && !b[run - 3].is_ascii_alphanumeric() && tax_label_before(b, run - 2)
}

/// Whether what stands right before `at` (past the label's separators) makes
/// the number there an id: a code it continues, an id's label (or `#`) with no
/// phone label after it, or a tax or registry number's label.
fn id_or_code_before(b: &[u8], at: usize) -> bool {
    let (label_end, hash) = skip_label_separators(b, at);
    code_before(b, label_end, at) || labelled_id(b, label_end, hash) || tax_label_before(b, at)
}

/// An id's label (or a `#`) ending at `label_end`, not outweighed by a phone label.
fn labelled_id(b: &[u8], label_end: usize, hash: bool) -> bool {
    (hash && !number_sign(b, label_end) || id_label_before(b, label_end)) && !phone_label_before(b, label_end)
}

/// Rec13: whether the `#` before a number is a number sign after whose
/// number it is (`his # (905) 273-5518`, `my #`, `cell #`): the word ending
/// at `label_end` is a possessive or a phone's name, any case.
fn number_sign(b: &[u8], label_end: usize) -> bool {
    let mut t = label_end;
    while t > 0 && b[t - 1].is_ascii_alphabetic() {
        t -= 1;
    }
    if t > 0 && b[t - 1].is_ascii_alphanumeric() || label_end - t > 6 {
        return false;
    }
    let mut buf = [0u8; 6];
    let word = &mut buf[..label_end - t];
    word.copy_from_slice(&b[t..label_end]);
    word.make_ascii_lowercase();
    matches!(&*word, b"his" | b"her" | b"my" | b"our" | b"their" | b"your" | b"phone" | b"cell" | b"mobile")
}

/// The start of the run of digit groups joined by one space or `-` that
/// ends at `start`, groups of two digits or more (at most 24 bytes back;
/// `start` when none).
fn run_start(b: &[u8], start: usize) -> usize {
    let mut i = start;
    while i >= 2 && start - i < 24 && matches!(b[i - 1], b' ' | b'-') && b[i - 2].is_ascii_digit() {
        let mut j = i - 1;
        while j > 0 && b[j - 1].is_ascii_digit() {
            j -= 1;
        }
        // (A single digit is a count or a list item: `Order 5 13800138000`.)
        if i - 1 - j < 2 {
            break;
        }
        i = j;
    }
    i
}

/// Whether a word that names a phone (`Tel`, `mobile`, `Handy`, `电话`,
/// `携帯`, `전화`) stands in the [`LABEL_WINDOW`] bytes before `pos` on its line.
#[inline(never)]
pub fn phone_label_before(b: &[u8], pos: usize) -> bool {
    let lo = line_start(b, pos, LABEL_WINDOW);
    phone_word_in(&b[lo..pos])
}

/// Whether `w` holds a word that names a phone.
fn phone_word_in(w: &[u8]) -> bool {
    const ASCII: [&[u8]; 40] = [
        b"tel", b"phone", b"hp", b"h/p", b"wechat", b"weixin", b"line", b"landline", b"signal", b"telegram", b"viber", b"helpline", b"emergency", b"mobil", b"mob ", b"mob:", b"mob.", b"cell", b"fax", b"call", b"whatsapp", b"contact", b"hotline", b"handy", b"ruf",
        b"portable", b"movil", b"m\xc3\xb3vil", b"celular", b"sms", b"numero verde", b"num\xc3\xa9ro vert",
        // (Round 9.)
        b"zalo", b"sdt", b"kontakt", b"bel ", b"bellen", b"ring me", b"reach me", b"t\xc3\xa9l",
    ];
    const OTHER: [&str; 26] = [
        "电话", "電話", "手机", "手機", "联系", "聯絡", "聯繫", "热线", "座机", "传真", "微信", "携帯", "連絡", "代表", "ダイヤル", "直通", "전화", "휴대폰", "핸드폰", "연락처",
        // (Round 9, Vietnamese: `điện thoại`, `di động`, `gọi`, `SĐT`; Thai โทร, มือถือ.)
        "iện thoại", "i động", "gọi", "SĐT", "โทร", "มือถือ",
    ];
    ASCII.iter().any(|word| crate::lines::contains_word_ignore_ascii_case(w, word)) || OTHER.iter().any(|word| contains(w, word.as_bytes()))
}

/// Back from `start` over what stands between a label and its number
/// (spaces, `:`, `：`, `.`, `#`, `-`, `=`, at most six bytes): where the label
/// would end, and whether a `#` was among them.
fn skip_label_separators(b: &[u8], start: usize) -> (usize, bool) {
    let (mut i, mut hash) = (start, false);
    while i > 0 && start - i < 6 {
        match b[i - 1] {
            // (A label on the line above: `ref` then `2611-5501` alone.)
            b' ' | b'\t' | b':' | b'.' | b'-' | b'=' | b'\n' | b'\r' => i -= 1,
            b'#' => {
                hash = true;
                i -= 1;
            }
            // `：` and `＃` (EF BC 9A, EF BC 83).
            0x9A | 0x83 if i >= 3 && b[i - 3] == 0xEF && b[i - 2] == 0xBC => {
                hash |= b[i - 1] == 0x83;
                i -= 3;
            }
            _ => break,
        }
    }
    (i, hash)
}

/// Round 9: a tax or company registry number (`MST 0314188722`, `NIP:
/// 525-000-12-34, REGON 140123456`, `NIF 245 678 901`, `Ons
/// ondernemingsnummer is BE 0456.789.123`, `Mã số thuế shop: 0312345678`,
/// `เลขประจำตัวผู้เสียภาษี 0105541887220`, `사업자등록번호`, `税号`): a word that
/// names one among the three words before the number on its line (the
/// two nearer ones short, no digit between, at most [`LABEL_WINDOW`] bytes
/// back), with no phone label after it (`VAT no. 4012, call me on 0412 345
/// 678` keeps the phone). The words are read right to left, each compared once.
fn tax_label_before(b: &[u8], start: usize) -> bool {
    let lo = start.saturating_sub(LABEL_WINDOW);
    let sep = |c: u8| matches!(c, b' ' | b'\t' | b':' | b',' | b';' | b'(' | b')' | b'[' | b']' | b'|' | b'=' | b'#' | b'"' | b'\'' | b'*');
    // (A digit or the line's start ends the look: `NIP 525-000-12-34, 0412 …`
    // is a phone after a tax number. At most two short words between the
    // label and the number: `Mã số thuế shop: 0312…`, `ondernemingsnummer is
    // BE 0456…`; not `the wrong tax rate since Monday. Office (303) …`. Most
    // numbers are let go after a word or two.)
    let stop = |c: u8| c.is_ascii_digit() || c == b'\n';
    let mut end = start;
    for words_between in 0..3 {
        while end > lo && sep(b[end - 1]) {
            end -= 1;
        }
        let mut t = end;
        while t > lo && !sep(b[t - 1]) && !stop(b[t - 1]) {
            t -= 1;
        }
        // (Nothing before the number but a digit or the line's start; or a
        // word glued to digits, `B01`, `2x`: no label.)
        if t == end || t > lo && b[t - 1].is_ascii_digit() {
            return false;
        }
        if tax_word(&b[t..end]) {
            return !phone_word_in(&b[end..start]);
        }
        // (Session 21: or `number` between, `Our PO number is …`.)
        if words_between == 2 || end - t > 5 && !b[t..end].eq_ignore_ascii_case(b"number") || t == lo || stop(b[t - 1]) {
            return false;
        }
        end = t;
    }
    false
}

/// Whether one word (without the separators around it) names a tax or
/// company registry number, in any case.
fn tax_word(word: &[u8]) -> bool {
    let mut word = word;
    // (`Reg.`, `St.-Nr.`, `税号：`, `NIF-`.)
    loop {
        match word {
            [rest @ .., b'.' | b'-' | b'/'] => word = rest,
            [rest @ .., 0xEF, 0xBC, 0x9A | 0x8C | 0x8E] => word = rest,
            _ => break,
        }
    }
    // (The cheap first look: three bytes at least, and an ASCII word or the
    // last byte of one of the words in other scripts below: most words
    // before a number are let go here.)
    let Some(&last) = word.last() else { return false };
    // (Session 21: two capitals, a purchase order and a Hong Kong business registration: `Our PO number is …`.)
    if matches!(word, b"PO" | b"BR") {
        return true;
    }
    // (Regions 11: У, ז, פ, מ, Μ, Α, Č, ó, each a two-byte char: its lead byte is asked too, so the CJK words
    // before most numbers in Chinese text, three-byte chars, are still let go here.)
    let two_byte_last = |set: &[u8]| word.len() >= 2 && matches!(word[word.len() - 2], 0xC3..=0xDF) && set.contains(&last);
    if word.len() < 3 || last >= 0x80 && !matches!(last, 0xBF | 0xB7 | 0x9F | 0x81 | 0xB8 | 0xB5 | 0x8A | 0x9D) && !two_byte_last(&[0xA3, 0x96, 0xA4, 0x9E, 0x9C, 0x91, 0x8C, 0xB3]) {
        return false;
    }
    if word.is_ascii() {
        let mut buf = [0u8; 20];
        let Some(lower) = buf.get_mut(..word.len()) else { return false };
        lower.copy_from_slice(word);
        lower.make_ascii_lowercase();
        // (Acronyms that are words too, in capitals only: `BTW`, not "btw, it's …"; `NIP`, `TIN`, `RUT`.)
        // (Regions 11: `NIN`, `NIC`, `NID`, `DNI`, `CNP`, `CUI`, `TAJ`, `ICE`, `CIN`, `KRA`, `AFM`: `3 dni` is Polish
        // "3 days", `ice`, `taj`, `cin` are words.)
        if matches!(
            &*lower,
            b"btw" | b"tin" | b"nit" | b"rut" | b"nip" | b"uid" | b"ust" | b"ein" | b"crn" | b"ruc" | b"cif" | b"nir"
                | b"nin" | b"nic" | b"nid" | b"dni" | b"cnp" | b"cui" | b"taj" | b"ice" | b"cin" | b"kra" | b"afm"
                // (Session 21: a US provider's NPI, an Italian transfer's CRO, a Mexican SPEI reference, a Québec
                // contractor's RBQ licence, a Portuguese SNS user.)
                | b"npi" | b"cro" | b"spei" | b"rbq" | b"sns"
        ) {
            return !word.iter().any(u8::is_ascii_lowercase);
        }
        return matches!(
            &*lower,
            b"vat" | b"taxid" | b"tax-id" | b"ssn" | b"gst" | b"gstin" | b"abn" | b"acn" | b"taxpayer"
                // DE/AT/CH, NL/BE, FR, IT, ES/PT, PL, Nordics.
                | b"ust-id" | b"ust-idnr" | b"ustid" | b"ustidnr" | b"mwst" | b"uid" | b"steuernummer" | b"steuernr" | b"steuer-nr" | b"st.-nr" | b"stnr" | b"steuer-id" | b"hrb" | b"hra"
                | b"btw-nummer" | b"ondernemingsnummer" | b"kvk" | b"kvk-nummer" | b"rsin" | b"bsn"
                | b"tva" | b"siren" | b"siret" | b"sociale"
                | b"iva" | b"p.iva" | b"piva" | b"fiscale"
                | b"nif" | b"nipc" | b"fiscal" | b"contribuinte"
                | b"regon" | b"krs" | b"pesel"
                | b"cvr" | b"orgnr" | b"org.nr" | b"organisationsnummer" | b"y-tunnus"
                // Latin America, South-East Asia, Türkiye.
                | b"cnpj" | b"cpf" | b"cuit" | b"cuil" | b"rfc"
                | b"mst" | b"npwp" | b"vkn" | b"tckn"
                // Regions 11: NG, PK, GR, DK, QA, CO, CZ, FI, NO, MA ids and bank accounts.
                | b"nuban" | b"bvn" | b"cnic" | b"ntn" | b"amka" | b"cpr" | b"qid" | b"cedula" | b"ico" | b"dic" | b"hetu"
                | b"fodselsnummer" | b"personnummer" | b"kennitala"
                // (Session 21: a Brazilian health plan's card, an Indonesian waybill.)
                | b"carteirinha" | b"resi"
        );
    }
    // (`Mã số thuế`, `Mã số doanh nghiệp`, 税号, 纳税人识别号, 統一編號, 法人番号,
    // 사업자등록번호, Thai `…ภาษี`, Arabic `الضريبي`/`التجاري`, ИНН, ОГРН.)
    const OTHER: [&str; 18] = [
        "thuế", "nghiệp", "税号", "税號", "识别号", "識別號", "统一编号", "統一編號", "信用代码", "法人番号", "사업자등록번호", "사업자번호", "법인등록번호", "ภาษี", "الضريبي", "التجاري", "ИНН", "ОГРН",
    ];
    // (Regions 11: UA `ІПН`, `ЄДРПОУ`, `РНОКПП`; IL `ת.ז`, `ח.פ`, `ע.מ`; GR `ΑΦΜ`, `ΑΜΚΑ`; CZ `IČO`, `DIČ`;
    // HU `adószám`, `adóazonosító`: each ends in a two-byte char or an ASCII letter, so a word ending in a
    // three-byte char, as the CJK words before most numbers in Chinese text do, is not compared with them.)
    const OTHER11: [&str; 12] = ["ІПН", "ЄДРПОУ", "РНОКПП", "ת.ז", "ח.פ", "ע.מ", "ΑΦΜ", "ΑΜΚΑ", "IČO", "DIČ", "adószám", "adóazonosító"];
    let ends_with = |o: &&str| word.len() >= o.len() && word[word.len() - o.len()..].eq_ignore_ascii_case(o.as_bytes());
    OTHER.iter().any(ends_with) || (last < 0x80 || matches!(word[word.len() - 2], 0xC3..=0xDF)) && OTHER11.iter().any(ends_with)
}

/// Labels of ids (and carriers' names), as whole words, any case.
fn id_word(word: &[u8]) -> bool {
    let mut buf = [0u8; 12];
    let Some(lower) = buf.get_mut(..word.len()) else { return false };
    lower.copy_from_slice(word);
    lower.make_ascii_lowercase();
    matches!(
        &*lower,
        b"ref" | b"reference" | b"id" | b"no" | b"nr" | b"tracking" | b"track" | b"order" | b"invoice" | b"inv" | b"txn" | b"transaction"
            | b"serial" | b"s/n" | b"sn" | b"imei" | b"meid" | b"iccid" | b"awb" | b"waybill" | b"consignment" | b"shipment" | b"parcel"
            | b"po" | b"receipt" | b"account" | b"acct" | b"a/c" | b"iban" | b"ticket" | b"booking" | b"confirmation" | b"passcode" | b"pin"
            | b"utr" | b"rrn" | b"sku" | b"commande" | b"facture" | b"colis" | b"pedido" | b"factura" | b"ordine" | b"fattura"
            // Carriers.
            | b"dhl" | b"ups" | b"fedex" | b"usps" | b"ems" | b"sf" | b"tnt" | b"gls"
            // (Round 10: air waybills, a BR vehicle's registry, a meeting's id.)
            | b"mawb" | b"hawb" | b"renavam" | b"zoom"
            // (Round 11: a French account, `compte 2918-447-103`.)
            | b"compte"
            // (prec15: a hotel's or airline's booking, `conf 88120947`, `PNR`, `voucher`, `reservation`.)
            | b"conf" | b"pnr" | b"voucher" | b"reservation" | b"resv"
    )
}

/// Round 10: ids whose acronyms are words too, in capitals only: a service
/// request (`complaint SR 8812204418`, not `Sr.`), Italian gas and power
/// supply points (`PDR: 00881200447731`, `POD`).
fn id_acronym(word: &[u8]) -> bool {
    matches!(word, b"SR" | b"PDR" | b"POD")
}

/// Rec13: a German compound that names a phone's number (`Rückrufnummer`,
/// read from `ckrufnummer` after the `ü`; `Festnetznummer`, `Durchwahlnummer`),
/// not an id's (`Kundennummer`, `Fondsnummer`, `Berufsnummer` stay ids).
fn phone_compound(word: &[u8]) -> bool {
    [&b"ckruf"[..], b"anruf", b"festnetz", b"durchwahl", b"fax", b"handy", b"mobil", b"telefon"].iter().any(|w| crate::lines::find_ignore_ascii_case(word, w).is_some())
}

/// Rec14: whether the word before a `nr` starting at `s` says it is a
/// phone's number: `har`/`hat`/`has` ("has"), `tlf.`/`tel.`/`telefon`;
/// rec18: a `no`/`nr` after a possessive (`my`, `her`, `son's`).
fn phone_nr(b: &[u8], s: usize) -> bool {
    if s < 2 || b[s - 1] != b' ' {
        return false;
    }
    let mut e = s - 1;
    if b[e - 1] == b'.' {
        e -= 1;
    }
    let mut p = e;
    while p > 0 && e - p < 10 && b[p - 1].is_ascii_alphabetic() {
        p -= 1;
    }
    let prev = &b[p..e];
    // (Rec18: or a possessive, whose number it is: `my son's no. 080 …`,
    // `her no. …`; `order no.` stays an id's.)
    let possessive = prev.eq_ignore_ascii_case(b"s") && (b[..p].ends_with(b"'") || b[..p].ends_with("\u{2019}".as_bytes()));
    possessive
        // (And a mobile wallet's or messenger's number, `M-Pesa no. 0722 …`, `GCash no.`, `WhatsApp no.`.)
        || [
            &b"har"[..], b"hat", b"has", b"tlf", b"tel", b"telefon", b"mobil", b"my", b"his", b"her", b"your", b"our", b"their", b"pesa",
            b"mpesa", b"gcash", b"bkash", b"easypaisa", b"jazzcash", b"whatsapp", b"viber",
        ]
            .iter()
            .any(|w| prev.eq_ignore_ascii_case(w))
}

/// Whether the word ending at `end` is an id's label: an [`id_word`],
/// a carrier's name (`DHL`, `UPS`, `FedEx`, `USPS`, `EMS`, `SF`), a German
/// compound ending in `nummer`/`nr` (`Bestellnummer`, `Kundennr`), or a
/// Chinese, Japanese or Korean label ending in 号/號/番号/번호/编码.
fn id_label_before(b: &[u8], end: usize) -> bool {
    // (Session 21: `n°`/`nº` is `no`: `commande n° 0612847539`.)
    if let Some(e) = ["°", "º"].iter().find_map(|d| b[..end].strip_suffix(d.as_bytes())).map(<[u8]>::len) {
        return e >= 3 && b[e - 1].eq_ignore_ascii_case(&b'n') && b[e - 2] == b' ' && id_label_before(b, e - 2);
    }
    let mut s = end;
    while s > 0 && end - s < 24 && (b[s - 1].is_ascii_alphabetic() || b[s - 1] == b'/') {
        s -= 1;
    }
    if s < end {
        // An ASCII word, after a space, punctuation or CJK text (`端末ID`).
        if s > 0 && b[s - 1].is_ascii_alphanumeric() {
            return false;
        }
        let word = &b[s..end];
        // `Tracking number`, `order no`, `numéro de commande`: the word before `number` says what of.
        const NUMBER: [&[u8]; 4] = [b"number", b"num", b"nummer", b"numbers"];
        if NUMBER.iter().any(|w| word.eq_ignore_ascii_case(w)) && s >= 2 && b[s - 1] == b' ' {
            return id_label_before(b, s - 1);
        }
        // (`No.`, `no:`, `order no 415…` are an id's; Portuguese `ligar no 21 …`, "in the", is not.)
        if word.eq_ignore_ascii_case(b"no") && b.get(end) == Some(&b' ') {
            return s >= 2 && b[s - 1] == b' ' && id_label_before(b, s - 1);
        }
        // (Rec14: `nr.` after `har`/`hat`/`tlf.` is a phone's, "has number":
        // `Viby Boligselskab, har nr. 86 11 47 20`.)
        // (Rec18: `no.` too after a possessive, `my son's no. 080 4127 6650`.)
        if (word.eq_ignore_ascii_case(b"nr") || word.eq_ignore_ascii_case(b"no")) && phone_nr(b, s) {
            return false;
        }
        return id_word(word)
            || id_acronym(word)
            || word.len() > 6 && ends_with_ignore_case(word, b"nummer") && !phone_compound(word)
            || (4..=16).contains(&word.len()) && ends_with_ignore_case(word, b"nr");
    }
    // (Not 号, 番号 or 번호 alone, "number": `我自己的号`, `代表番号`, `전화번호`.)
    // (Each ends in 号, 號, 码, 碼 or 호: most text before a number does not.)
    // (Round 10: a Hong Kong Octopus card, 八達通卡, ends in 卡.)
    if !matches!(b[..end].last_chunk::<3>(), Some([0xE5, 0x8F, 0xB7] | [0xE8, 0x99, 0x9F] | [0xE7, 0xA0, 0x81] | [0xE7, 0xA2, 0xBC] | [0xED, 0x98, 0xB8] | [0xE5, 0x8D, 0xA1])) {
        return false;
    }
    const CJK: [&str; 44] = [
        "单号", "單號", "编号", "編號", "流水号", "流水號", "卡号", "卡號", "账号", "帳號", "帐号", "会员号", "會員號", "工号", "序列号", "序號", "批号",
        "型号", "型號", "票号", "编码", "編碼", "注文番号", "会員番号", "受付番号", "伝票番号", "追跡番号", "登録番号", "請求番号", "製造番号",
        "管理番号", "問い合わせ番号", "問合せ番号", "契約番号", "顧客番号", "주문번호", "송장번호", "회원번호",
        // (Round 10: a utility's account, 户号; an Octopus card.)
        "户号", "戶號", "八達通卡", "八达通卡",
        // (Round 11: a merchant's or store's code, 商店代號.)
        "代號", "代号",
    ];
    CJK.iter().any(|l| b[..end].ends_with(l.as_bytes()))
}

/// `1Z 999 AA1 01 2345 6784`: a group mixing capitals and digits right
/// before the number (one space between), itself after a group holding a
/// digit, makes the number part of a code (`Room B2 0412 …` stays a number).
fn code_before(b: &[u8], label_end: usize, start: usize) -> bool {
    if label_end + 1 != start || b[label_end] != b' ' {
        return false;
    }
    let token = |end: usize| {
        let mut s = end;
        while s > 0 && end - s < 8 && b[s - 1].is_ascii_alphanumeric() {
            s -= 1;
        }
        s
    };
    let s = token(label_end);
    let word = &b[s..label_end];
    let mixed = word.len() >= 2 && word.iter().any(u8::is_ascii_digit) && word.iter().any(u8::is_ascii_uppercase) && !word.iter().any(u8::is_ascii_lowercase);
    mixed && s >= 2 && b[s - 1] == b' ' && b[token(s - 1)..s - 1].iter().any(u8::is_ascii_digit)
}

/// A meeting's id or code written right after a dial-in number (`+44 20
/// 3481 5237 Conference ID: …`), lower case; prec14: in Dutch, German,
/// French, Spanish, Portuguese, Italian, Swedish, Polish, Chinese, Japanese
/// and Korean too (`+31 20 794 8011, vergader-ID 318 772 904#`).
const MEETING_ID_AFTER: [&str; 24] = [
    "conference id", "meeting id", "passcode", "access code", "participant code", "meeting-id", "vergader-id", "vergadering-id",
    "besprechungs-id", "konferenz-id", "id de réunion", "id de conférence", "id de reunión", "id de la reunión", "id da reunião",
    "id riunione", "id della riunione", "mötes-id", "id spotkania", "会议号", "会议id", "會議id", "会議id", "회의 id",
];

/// A conference dial-in: a dial string after the number (`,,81244719920#`,
/// `;123#`); a meeting's id right after it (`+44 20 3481 5237 Conference ID:
/// …`); or, for a number alone at its line's start or after a dial-in's
/// label (`Dial-in:`, `Dial`, `Join by phone`, `电话入会：`), a pasted
/// calendar's property line (`DESCRIPTION:`, `LOCATION:`) or words of a meeting invitation
/// on its line or the two above (`Meeting ID`, `Passcode`, `One tap
/// mobile`, `Dial by your location`, `zoom.us`, `Microsoft Teams`,
/// `Webex`, `会议号`) with no phone label after them (`Meeting ID: 812 4471
/// 9920, Phone: (415) 555-0123` keeps the phone). (Most numbers stop at
/// the first two cheap looks: the words of a whole window are read only
/// for the few at a line's start or after such a label.)
fn dial_in(b: &[u8], start: usize, end: usize) -> bool {
    if matches!(b.get(end..end + 2), Some([b',' | b';', b',' | b';' | b'0'..=b'9'])) {
        let mut i = end;
        while i < b.len() && matches!(b[i], b',' | b';') {
            i += 1;
        }
        let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        // (`,,` alone is an empty CSV cell: `…,+34 914 418 221,,ES21 …`,
        // `…,0726618045,,4380211764,R 0.00`. A dial string's pause is
        // followed by a code that ends the line, a space or `#`.)
        let code_ends = matches!(b.get(i + digits), None | Some(b'#' | b' ' | b'\t' | b'\r' | b'\n' | b'"' | b'<'));
        if digits >= 3 && b.get(i + digits) == Some(&b'#') || b[end] == b',' && b.get(end + 1) == Some(&b',') && digits >= 4 && code_ends {
            return true;
        }
    }
    // A meeting's id or code right after the number.
    let mut i = end;
    while i < b.len() && i - end < 3 && matches!(b[i], b' ' | b',' | b'\t') {
        i += 1;
    }
    let after = &b[i..(i + 24).min(b.len())];
    if after.first().is_some_and(|&c| matches!(c | 0x20, b'c' | b'm' | b'p' | b'a' | b'v' | b'b' | b'k' | b'i') || c >= 0xE3)
        && MEETING_ID_AFTER.iter().any(|c| after.len() >= c.len() && after[..c.len()].eq_ignore_ascii_case(c.as_bytes()))
    {
        return true;
    }
    if code_then_hash_after(b, end) {
        return true;
    }
    let (label_end, _) = skip_label_separators(b, start);
    let mut i = label_end;
    while i > 0 && matches!(b[i - 1], b' ' | b'\t' | b'\r') {
        i -= 1;
    }
    // (A list's bullet before it counts as the line's start: `• +61 2 8015 6011 Australia`.)
    let bullet = |i: usize| {
        let mut j = i;
        if j >= 3 && &b[j - 3..j] == "•".as_bytes() {
            j -= 3;
        } else if j >= 2 && &b[j - 2..j] == "·".as_bytes() {
            j -= 2;
        } else if j >= 1 && matches!(b[j - 1], b'-' | b'*') {
            j -= 1;
        } else {
            return i;
        }
        while j > 0 && matches!(b[j - 1], b' ' | b'\t') {
            j -= 1;
        }
        j
    };
    let i = bullet(i);
    let at_line_start = i == 0 || b[i - 1] == b'\n' || b[label_end..start].contains(&b'\n');
    // A number written with `+` after a meeting's access code on its line
    // (`Webex backup: access code 2641 880 9921, +61-2-9338-9315`): the
    // digit group and comma just before it are the cheap first look.
    let after_code = b.get(start) == Some(&b'+') && i >= 2 && b[i - 1] == b',' && b[i - 2].is_ascii_digit();
    const LABELS: [&[u8]; 6] = [b"dial-in", b"dial in", b"dial", b"join by phone", b"call-in", b"call in"];
    let w = &b[label_end.saturating_sub(16)..label_end];
    let labelled = match w.last() {
        Some(&c) if matches!(c | 0x20, b'n' | b'e' | b'l') => LABELS.iter().any(|l| ends_with_ignore_case(w, l)),
        Some(0x9A | 0x83) => ["入会", "入會"].iter().any(|l| w.ends_with(l.as_bytes())),
        _ => false,
    };
    if !at_line_start && !labelled && !after_code {
        return false;
    }
    let lo = start.saturating_sub(LINE_WINDOW);
    let own = line_start(b, start, start - lo);
    // A pasted calendar's property lines (`DESCRIPTION:…\nDial +1 …`), in
    // capitals at a line's start.
    const ICS: [&[u8]; 4] = [b"BEGIN:V", b"DESCRIPTION:", b"LOCATION:", b"SUMMARY:"];
    if (own == 0 || b[own - 1] == b'\n') && ICS.iter().any(|p| b[own..].starts_with(p)) {
        return true;
    }
    let mut line_lo = own;
    for _ in 0..2 {
        if line_lo <= lo {
            break;
        }
        line_lo = line_start(b, line_lo - 1, line_lo - 1 - lo);
    }
    let w = &b[line_lo..start];
    // (prec14: and the words of an invitation in other languages: `Teams-vergadering`,
    // `deelnemen via telefoon`, `Besprechungs-ID`, `participer par téléphone`, `ID de reunión`.)
    const CUES: [&[u8]; 34] = [
        b"meeting id", b"passcode", b"dial-in", b"join by phone", b"conference id", b"one tap mobile", b"dial by your location", b"zoom.us",
        b"zoom meeting", b"microsoft teams", b"teams meeting", b"webex meeting", b"webex.com", b"access code", b"participant code", b"meeting number",
        b"teams-vergadering", b"vergader-id", b"deelnemen via telefoon", b"teams-besprechung", b"besprechungs-id", b"telefonisch teilnehmen",
        b"participer par t", b"r\xc3\xa9union teams", b"unirse por tel", b"id de reuni", b"participar por telefone", b"id da reuni",
        b"partecipa per telefono", b"id riunione", b"teams-m\xc3\xb6te", b"m\xc3\xb6tes-id", b"do\xc5\x82\xc4\x85cz przez telefon", b"id spotkania",
    ];
    const CJK: [&str; 12] = ["会议号", "會議號", "会议ID", "会议 ID", "入会密码", "电话入会", "電話入會", "会議ID", "電話で参加", "회의 ID", "전화로 참가", "전화 참가"];
    let mut cue_end = None;
    for c in CUES {
        if let Some(i) = crate::lines::rfind_ignore_ascii_case(w, c) {
            cue_end = cue_end.max(Some(i + c.len()));
        }
    }
    for c in CJK {
        if let Some(i) = crate::lines::rfind_ignore_ascii_case(w, c.as_bytes()) {
            cue_end = cue_end.max(Some(i + c.len()));
        }
    }
    let mut at = 0;
    for line in w.split(|&c| c == b'\n') {
        if let Some(p) = ICS.iter().find(|p| line.starts_with(p)) {
            cue_end = cue_end.max(Some(at + p.len()));
        }
        at += line.len() + 1;
    }
    // (`Meeting ID: 812 4471 9920, Phone: (415) 555-0123`: a phone's label after the cue wins.)
    cue_end.is_some_and(|e| !phone_word_in(&w[e..]))
}

/// Round 9: a meeting's PIN or code ending in `#` after the number on its
/// line, its label in Latin letters (`(US) +1 646-555-0100  PIN: 802 117 449#`, `+49 30 5679 5800
/// Kenncode: 123 456 789#`, `+33 1 70 37 22 46 (code : 4821 9911#)`): a word
/// between the number and the code, the code's digits (spaces between
/// groups) at least four, at most [`LABEL_WINDOW`] bytes on; no phone label
/// between (`+1 646 555 0100 mobile, door code 4471#` is someone's).
fn code_then_hash_after(b: &[u8], end: usize) -> bool {
    // (The cheap first look: a word or a bracket right after the number, past at most two spaces.)
    let mut i = end;
    while i < b.len() && i - end < 2 && b[i] == b' ' {
        i += 1;
    }
    // (`PIN`, `code`, `Kenncode`, `Zugangscode`, `ID`, `access code`, `meeting …`, `(code`.)
    if !b.get(i).is_some_and(|&c| matches!(c | 0x20, b'p' | b'c' | b'k' | b'z' | b'i' | b'a' | b'm') || c == b'(') {
        return false;
    }
    let hi = (end + LABEL_WINDOW).min(b.len());
    let Some(k) = b[end..hi].iter().position(|&c| c == b'#' || c == b'\n').map(|k| end + k) else { return false };
    if b[k] != b'#' {
        return false;
    }
    let (mut j, mut digits) = (k, 0);
    while j > end && (b[j - 1].is_ascii_digit() || b[j - 1] == b' ') {
        digits += usize::from(b[j - 1].is_ascii_digit());
        j -= 1;
    }
    let between = &b[end..j];
    digits >= 4 && between.iter().any(|c| c.is_ascii_alphabetic() || *c >= 0x80) && !phone_word_in(between)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay.windows(needle.len()).any(|w| w == needle)
}
fn ends_with_ignore_case(hay: &[u8], suffix: &[u8]) -> bool {
    hay.len() >= suffix.len() && hay[hay.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, number: &str) -> bool {
        let start = text.find(number).expect("number in text");
        let plus = number.starts_with('+') || number.starts_with("00");
        not_a_phone(text, start, start + number.len(), plus)
    }

    /// Rec13: `#` after whose number it is, and German compounds naming a
    /// phone's number, are no id labels.
    #[test]
    fn number_signs_and_phone_compounds_are_no_id_labels() {
        assert!(!at("his # (905) 273-5518 ext 12", "905"));
        assert!(!at("cell # 416 839 2271", "416"));
        assert!(!at("My #: 416 839 2271", "416"));
        assert!(at("Order # 4168392271", "4168392271"));
        assert!(at("Invoice #4168392271", "4168392271"));
        assert!(!at("als Rückrufnummer 0176 4418 2290", "0176"));
        assert!(!at("Festnetznummer 089 5512 7730", "089"));
        assert!(at("Kundennummer 0176441822", "0176441822"));
        assert!(at("Fondsnummer 0176441822", "0176441822"));
    }

    #[test]
    fn id_labels_make_a_number_an_id() {
        for (t, n) in [
            ("paid, ref 2611-5501 from HSBC", "2611-5501"),
            ("端末ID 0042-7781-9930。", "0042-7781-9930"),
            ("订单号：13812345678", "13812345678"),
            ("Invoice # 020 7946 0958", "020 7946 0958"),
            ("S/N: 03-1234-5678", "03-1234-5678"),
            ("주문번호 010-1234-5678", "010-1234-5678"),
            ("お問い合わせ番号 3601-2345-6784", "3601-2345-6784"),
            ("Bestellnummer 0151 23456789", "0151 23456789"),
            ("via DHL 3392654187 today", "3392654187"),
            ("Order No. 415-555-0123", "415-555-0123"),
            ("UPS 1Z 999 AA1 01 2345 6784", "01 2345 6784"),
            ("Meeting ID: 812 4471 9920", "812 4471 9920"),
            ("One tap mobile\n+16469313860,,81244719920# US", "+16469313860"),
            ("DESCRIPTION:Join us \\nDial +1 646 931 3860 US", "+1 646 931 3860"),
            ("IMEI 0151 23456789", "23456789"),
            ("Tracking number: 3392654187", "3392654187"),
            ("ref\n2611-5501\nThanks", "2611-5501"),
            ("+44 20 3481 5237 Conference ID: 482 113 907#", "+44 20 3481 5237"),
            // Round 11: a French account, a store's code, a social security number (one-digit first group).
            ("compte 2918-447-103, compteur 4A17", "2918-447-103"),
            ("商店代號 0418872207，端末", "0418872207"),
            ("N° de sécurité sociale : 2 88 04 75 118 227 41", "04 75 118 227"),
            ("NIR 1 84 12 76 451 089 46", "76 451 089"),
            // Session 21: reference numbers of phone length behind their labels.
            ("ma plancha commandée le 22/05 (commande n° 0612847539) n'est", "0612847539"),
            ("Our PO number is 3125550147 and your invoice", "3125550147"),
            ("our practice NPI is 2059146603 and", "2059146603"),
            ("our BR number is 71529348 if you need it", "71529348"),
            ("Rata pagata il 10/11 (CRO 0306909606).", "0306909606"),
            ("N.o utente SNS: 304 118 552", "304 118 552"),
            ("Carteirinha 0 8822 000341 77 2.", "8822 000341"),
            ("Resi JX 0024 8815 7730", "0024 8815 7730"),
        ] {
            assert!(at(t, n), "{t}");
        }
    }

    #[test]
    fn phone_labels_and_plain_sentences_keep_a_number() {
        for (t, n) in [
            ("Tel. No. 030 12345678", "030 12345678"),
            ("電話番号：03-1234-5678", "03-1234-5678"),
            ("Contact No. 98765 43210", "98765 43210"),
            ("Telefonnummer 0151 23456789", "0151 23456789"),
            ("手机号 138 0013 8000", "138 0013 8000"),
            ("전화번호 010-1234-5678", "010-1234-5678"),
            ("Caller ID: 415-555-0123", "415-555-0123"),
            ("WeChat ID: 13800138000", "13800138000"),
            ("Order 5 13800138000", "13800138000"),
            // (Round 11: a count before a number stays one, a social word in a sentence is no label.)
            ("Order 5 06 12 44 18 27", "06 12 44 18 27"),
            ("aide sociale 2 fois, tél 06 12 44 18 27", "06 12 44 18 27"),
            ("mon compte, mobile 06 12 44 18 27", "06 12 44 18 27"),
            ("my order is late, call 415-555-0123", "415-555-0123"),
            ("Ref: see +44 20 7946 0958", "+44 20 7946 0958"),
            ("Room B2 0412 345 678", "0412 345 678"),
            ("I use Zoom a lot; mobile 0412 345 678", "0412 345 678"),
            ("Meeting ID: 812 4471 9920, Phone: (415) 555-0123", "(415) 555-0123"),
            ("Phone number: 0412 345 678", "0412 345 678"),
            ("当社代表番号：03-6212-3456", "03-6212-3456"),
            ("我自己的号 1391 0023 478 也收不到", "1391 0023 478"),
            // A bulleted list of people's numbers, no meeting words near.
            ("Contacts:\n• +61 412 345 678 Dana\n• +61 2 9876 5432 office", "+61 2 9876 5432"),
            // A number after a comma and digits, but no meeting's code on its line.
            ("Orders 2641 880 9921, +61-2-9338-9315 is my desk", "+61-2-9338-9315"),
        ] {
            assert!(!at(t, n), "{t}");
        }
    }

    #[test]
    fn tax_and_registry_numbers_are_not_phones() {
        for (t, n) in [
            ("MST 0314188722", "0314188722"),
            ("Công ty TNHH Gỗ Mộc An, MST 0312345678) có lô hàng", "0312345678"),
            ("Mã số thuế shop: 0312345678. Tài khoản", "0312345678"),
            ("NIP: 525-000-12-34, REGON 140123456.", "140123456"),
            ("NIF 245 678 901. Nº cliente FJ-PT-7741.", "245 678 901"),
            ("Ons ondernemingsnummer is BE 0456.789.123.", "0456.789.123"),
            ("Numéro SIRET : 732 829 320 00074", "732 829 320 00074"),
            ("USt-IdNr.: DE 0301 2345678", "0301 2345678"),
            ("P.IVA 02 1234 5678", "02 1234 5678"),
            ("Steuernummer 030 12345678", "030 12345678"),
            ("ABN 51 824 753 556", "51 824 753 556"),
            ("CUIT 20-12345678-9", "20-12345678"),
            ("เลขประจำตัวผู้เสียภาษี 0105541887220", "0105541887220"),
            ("사업자등록번호 02-3445-7742", "02-3445-7742"),
            ("纳税人识别号：02087335102", "02087335102"),
            ("VAT no. 020 7946 0958", "020 7946 0958"),
            // Regions 11.
            ("NUBAN 0219447301", "0219447301"),
            ("CPR 170385-2291", "170385-2291"),
            ("ת.ז. 031447209", "031447209"),
            ("ΑΦΜ 094417732", "094417732"),
            ("TAJ 044 718 229", "044 718 229"),
            ("DNI 44718229", "44718229"),
            ("IČO 27182934", "27182934"),
            ("ЄДРПОУ 38471920", "38471920"),
            ("adószám 24471822-2-42", "24471822-2-42"),
            ("ICE 001527330000082", "001527330000082"),
        ] {
            assert!(at(t, n), "{t}");
        }
        // (Acronyms that are words too, in capitals only: Polish `3 dni` is "3 days".)
        assert!(!at("oddzwonię za 3 dni 601 234 567", "601 234 567"));
    }

    #[test]
    fn a_phone_after_a_tax_number_or_under_a_phone_label_stays() {
        for (t, n) in [
            ("NIP 525-000-12-34, 0412 345 678", "0412 345 678"),
            ("VAT invoice attached, call me on 0412 345 678", "0412 345 678"),
            ("MST 0314188722 · Di động 0912 468 317", "0912 468 317"),
            ("Mã số thuế ở trên, gọi em 0903 512 788", "0903 512 788"),
            ("BTW-nummer klopt niet, bel 06-41827735", "06-41827735"),
            ("Pas de TVA. Tél. 06 12 34 56 78", "06 12 34 56 78"),
            // Words that only look like a tax label: Polish `nie` ("not"), an inn.
            ("nie działa, 512 884 301", "512 884 301"),
            ("Red Lion Inn 020 7946 0958", "020 7946 0958"),
            ("the wrong tax rate since Monday. Office (303) 555-0147.", "(303) 555-0147"),
            ("btw it's 0412 345 678", "0412 345 678"),
            ("prices incl. VAT went up, so 0412 345 678 is best", "0412 345 678"),
            ("VAT: +44 20 7946 0958", "+44 20 7946 0958"),
        ] {
            assert!(!at(t, n), "{t}");
        }
    }

    #[test]
    fn an_id_label_outweighs_00_but_not_plus() {
        assert!(at("PromptPay ref 004999041887220 |", "004999041887220"));
        assert!(at("Reference: 0049 30 1234 5678", "0049 30 1234 5678"));
        assert!(!at("Ref: +49 30 1234 5678", "+49 30 1234 5678"));
        assert!(!at("Tel. No. 0049 30 1234 5678", "0049 30 1234 5678"));
        assert!(!at("call me on 0049 30 1234 5678", "0049 30 1234 5678"));
    }

    #[test]
    fn a_pin_ending_in_hash_after_a_number_makes_it_a_dial_in() {
        for (t, n) in [
            ("Join by phone\n(US) +1 646-555-0100  PIN: 802 117 449#", "+1 646-555-0100"),
            ("(CA) +1 647-558-0190 PIN: 418 229 071#", "+1 647-558-0190"),
            ("+49 30 5679 5800 Kenncode: 123 456 789#", "+49 30 5679 5800"),
            ("+33 1 70 37 22 46 (code : 4821 9911#)", "+33 1 70 37 22 46"),
        ] {
            assert!(at(t, n), "{t}");
        }
        for (t, n) in [
            ("+1 646 555 0100 mobile, door code 4471#", "+1 646 555 0100"),
            ("+1 646 555 0100 #2", "+1 646 555 0100"),
            ("+1 646 555 0100 then press 1#", "+1 646 555 0100"),
            ("+1 646 555 0100\nPIN 4471#", "+1 646 555 0100"),
        ] {
            assert!(!at(t, n), "{t}");
        }
        // The PIN itself, even under `Join by phone` on its line; digits inside a registry number's groups.
        assert!(at("Join by phone (US) +1 646-555-0100  PIN: 802 117 449#", "802 117 449"));
        assert!(at("Numéro SIRET : 732 829 320 00074", "320 00074"));
    }

    #[test]
    fn bulleted_dial_ins_and_numbers_after_an_access_code_are_dial_ins() {
        for (t, n) in [
            ("Join Zoom Meeting\nDial by your location\n• +61 2 8015 6011 Australia\n• +61 3 7018 2005 Australia", "+61 3 7018 2005"),
            ("Dial by your location\n• +61 2 8015 6011 Australia", "+61 2 8015 6011"),
            ("Webex backup: access code 2641 880 9921, +61-2-9338-9315", "+61-2-9338-9315"),
        ] {
            assert!(at(t, n), "{t}");
        }
    }

    /// prec15: a booking's label before an 8-digit id; a hotel's `+` number stays a phone.
    #[test]
    fn a_booking_s_label_makes_an_id() {
        assert!(at("Hotel: Alila Seminyak, conf 88120947, hotel tel +62 361 3021 888", "88120947"));
        assert!(at("Voucher 61537720，Reservation 98203417（Okinawa Marriott）", "98203417"));
        assert!(!at("Hotel: Alila Seminyak, conf 88120947, hotel tel +62 361 3021 888", "+62 361 3021 888"));
    }

    /// prec14: a meeting's id right after the number, and invitation words, in other languages.
    #[test]
    fn meeting_ids_and_invitations_in_other_languages_make_dial_ins() {
        for (t, n) in [
            ("Teams-vergadering: deelnemen via telefoon +31 20 794 8011, vergader-ID 318 772 904#", "+31 20 794 8011"),
            ("telefonisch teilnehmen +49 69 3807 4411, Besprechungs-ID: 284 551 903#", "+49 69 3807 4411"),
            ("participer par téléphone : +33 1 70 99 42 18, ID de conférence : 662 018 339#", "+33 1 70 99 42 18"),
            ("unirse por teléfono +34 91 123 4567, ID de reunión: 447 220 118#", "+34 91 123 4567"),
            ("Teams-vergadering\nDeelnemen via telefoon\n+31 20 794 8011", "+31 20 794 8011"),
        ] {
            assert!(at(t, n), "{t}");
        }
        // A customer's number after the meeting's words, with a phone label between, stays.
        assert!(!at("vergader-ID 318 772 904, mijn telefoon: 06 12345678", "06 12345678"));
    }
}
