//! Masking of sensitive values before they are shown.
//!
//! The panel shows what an agent needs to recognise a customer, not the whole
//! number: phone numbers keep their country code, first three and last four
//! digits (the way Chinese CRMs show them); identity numbers keep their first
//! and last four characters.

/// `+8613800138000` → `+86 138****8000`; short numbers keep only their last two digits visible.
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let cc_len = if phone.trim_start().starts_with('+') { country_code_len(&digits.iter().take(2).collect::<String>()) } else { 0 };
    let (cc, national) = digits.split_at(cc_len.min(digits.len()));
    let prefix = if cc.is_empty() { String::new() } else { format!("+{} ", cc.iter().collect::<String>()) };
    if national.len() < 7 {
        return format!("{prefix}{}", mask_middle(national, 0, 2));
    }
    let head = if national.len() >= 10 { 3 } else { 2 };
    format!("{prefix}{}", mask_middle(national, head, 4))
}

/// Length of the ITU country calling code at the start of `digits` (a
/// number's digits after its `+`): 1, 2 or 3 (0 for no digits). Also what
/// `noticed::display` groups a number by.
pub(crate) fn country_code_len(digits: &str) -> usize {
    let two = digits.get(..2).unwrap_or(digits);
    match digits.chars().next() {
        Some('1') | Some('7') => 1,
        _ if matches!(
            two,
            "20" | "27" | "30" | "31" | "32" | "33" | "34" | "36" | "39" | "40" | "41" | "43" | "44" | "45" | "46" | "47" | "48" | "49"
                | "51" | "52" | "53" | "54" | "55" | "56" | "57" | "58" | "60" | "61" | "62" | "63" | "64" | "65" | "66"
                | "81" | "82" | "84" | "86" | "90" | "91" | "92" | "93" | "94" | "95" | "98"
        ) => 2,
        Some(_) => 3,
        None => 0,
    }
}

/// An 18-character resident ID or credit code: `1101**********1234`.
pub fn mask_id_number(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    mask_middle(&chars, 4, 4)
}

/// `li.na@example.cn` → `l****@example.cn`: the first character of the
/// local part and the whole domain stay (enough to tell addresses apart).
pub fn mask_email(email: &str) -> String {
    match email.rsplit_once('@') {
        Some((local, domain)) if !local.is_empty() => {
            let chars: Vec<char> = local.chars().collect();
            let keep = usize::from(chars.len() > 1);
            format!("{}{}@{domain}", chars[..keep].iter().collect::<String>(), "*".repeat((chars.len() - keep).max(3)))
        }
        _ => mask_any(email),
    }
}

/// A value the admin marked: its first and last characters stay (two each
/// from eight characters on), the rest become `*`.
pub fn mask_any(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let keep = if chars.len() >= 8 { 2 } else { usize::from(chars.len() >= 3) };
    mask_middle(&chars, keep, keep)
}

/// The Luhn check (ISO/IEC 7812) over ASCII digits: the scanner's, which
/// tells card numbers from phone numbers with it.
pub use deskside_detect::phone::luhn_valid;

/// Bank card numbers (13 to 19 digits, in groups split by single spaces or
/// dashes, passing the Luhn check, not part of a longer number) and Chinese
/// resident ID numbers (GB 11643, checksum) anywhere in `text`, masked:
/// a card keeps its last four digits, an ID its first and last four
/// characters. Everything else is left as it was.
pub fn mask_numbers_in_text(text: &str) -> String {
    let mut spans: Vec<(usize, usize, Keep)> = card_spans(text).into_iter().map(|(a, b)| (a, b, Keep::CardTail)).collect();
    for m in crate::cnid::find_cn_ids(text).into_iter().filter(|m| m.kind == crate::cnid::CnIdKind::ResidentId) {
        if !spans.iter().any(|(a, b, _)| m.start < *b && *a < m.end) {
            spans.push((m.start, m.end, Keep::IdEnds));
        }
    }
    if spans.is_empty() {
        return text.to_string();
    }
    crate::sort::sort_by_key(&mut spans, |s| s.0);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (a, b, keep) in spans {
        out.push_str(&text[at..a]);
        let part = &text[a..b];
        match keep {
            Keep::CardTail => {
                let total = part.chars().filter(char::is_ascii_digit).count();
                let mut seen = 0;
                for c in part.chars() {
                    if c.is_ascii_digit() {
                        seen += 1;
                        out.push(if seen > total - 4 { c } else { '*' });
                    } else {
                        out.push(c);
                    }
                }
            }
            Keep::IdEnds => out.push_str(&mask_id_number(part)),
        }
        at = b;
    }
    out.push_str(&text[at..]);
    out
}

#[derive(Clone, Copy)]
enum Keep {
    CardTail,
    IdEnds,
}

/// Byte ranges of Luhn-valid card numbers in `text`.
fn card_spans(text: &str) -> Vec<(usize, usize)> {
    digit_runs(text.as_bytes(), b" -")
        .filter(|r| (13..=19).contains(&r.digits.len()) && luhn_valid(&r.digits))
        .map(|r| (r.start, r.end))
        .collect()
}

/// A run of digits in a text, single `separators` allowed between them.
struct DigitRun {
    /// Where its first digit is.
    start: usize,
    /// Just after its last digit.
    end: usize,
    digits: Vec<u8>,
}

/// The runs of digits in `b` that stand on their own: not glued to a
/// letter or digit before or after them, with single `separators` between
/// digits (`4111 1111-1111`). Shared by the card and the phone masks.
fn digit_runs<'a>(b: &'a [u8], separators: &'a [u8]) -> impl Iterator<Item = DigitRun> + 'a {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_alphanumeric()) {
                i += 1;
                continue;
            }
            let start = i;
            let (mut j, mut end, mut digits) = (i, i, Vec::new());
            while j < b.len() {
                if b[j].is_ascii_digit() {
                    digits.push(b[j]);
                    j += 1;
                    end = j;
                } else if separators.contains(&b[j]) && j + 1 < b.len() && b[j + 1].is_ascii_digit() {
                    j += 1;
                } else {
                    break;
                }
            }
            i = end.max(start + 1);
            if end < b.len() && b[end].is_ascii_alphanumeric() {
                continue;
            }
            return Some(DigitRun { start, end, digits });
        }
        None
    })
}

/// `text` (a record's name, which CRMs often set to the customer's address
/// or number: a lead named `13800138000`) with every occurrence of one of
/// `emails` masked as [`mask_email`] masks it, and every number written in
/// it that is one of `phones` (the same digits, or one's national part, with
/// spaces, dashes or dots between them) masked as [`mask_phone`] masks it.
/// Other text and other numbers stay as they were.
pub fn mask_contacts_in_text(text: &str, emails: &[String], phones: &[String]) -> String {
    let mut out = text.to_string();
    for e in emails.iter().map(|e| e.trim()).filter(|e| e.contains('@')) {
        let needle = e.to_ascii_lowercase();
        let mut at = 0;
        // ASCII lowercase keeps byte offsets, so a hit in `lower` is one in `out`.
        while let Some(i) = out.to_ascii_lowercase()[at..].find(&needle) {
            let (a, b) = (at + i, at + i + needle.len());
            let masked = mask_email(&out[a..b]);
            out.replace_range(a..b, &masked);
            at = a + masked.len();
        }
    }
    let phone_digits: Vec<String> = phones.iter().map(|p| p.chars().filter(char::is_ascii_digit).collect::<String>()).filter(|d| d.len() >= 7).collect();
    if phone_digits.is_empty() {
        return out;
    }
    let b = out.as_bytes();
    let spans: Vec<(usize, usize)> = digit_runs(b, b" -.")
        .filter(|r| {
            let digits = std::str::from_utf8(&r.digits).unwrap_or_default();
            phone_digits.iter().any(|p| p.as_str() == digits || (digits.len() >= 7 && (p.ends_with(digits) || digits.ends_with(p.as_str()))))
        })
        // A leading `+` is part of the number.
        .map(|r| (if r.start > 0 && b[r.start - 1] == b'+' { r.start - 1 } else { r.start }, r.end))
        .collect();
    for (a, b) in spans.into_iter().rev() {
        let masked = mask_phone(&out[a..b]);
        out.replace_range(a..b, &masked);
    }
    out
}

fn mask_middle(chars: &[char], head: usize, tail: usize) -> String {
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let mut s: String = chars[..head].iter().collect();
    s.push_str(&"*".repeat(chars.len() - head - tail));
    s.extend(&chars[chars.len() - tail..]);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert_eq!(mask_phone("+8613800138000"), "+86 138****8000");
        assert_eq!(mask_phone("+442079460958"), "+44 207***0958");
        assert_eq!(mask_phone("+49 30 901820"), "+49 30**1820");
        assert_eq!(mask_phone("+85221234567"), "+852 21**4567");
        assert_eq!(mask_phone("+919876543210"), "+91 987***3210");
        assert_eq!(mask_phone("+14155550123"), "+1 415***0123");
        assert_eq!(mask_phone("12345"), "***45");
    }

    #[test]
    fn id_numbers() {
        assert_eq!(mask_id_number("11010519491231002X"), "1101**********002X");
        assert_eq!(mask_id_number("abc"), "***");
    }
    #[test]
    fn emails_partly() {
        assert_eq!(mask_email("li.na@example.cn"), "l****@example.cn");
        assert_eq!(mask_email("a@b.example"), "***@b.example");
        assert_eq!(mask_email("not-an-address"), "no**********ss");
    }

    #[test]
    fn marked_values() {
        assert_eq!(mask_any("Acme Trading Ltd"), "Ac************td");
        assert_eq!(mask_any("Gold"), "G**d");
        assert_eq!(mask_any("ab"), "**");
        assert_eq!(mask_any(""), "");
    }

    #[test]
    fn luhn_positives_and_negatives() {
        for good in ["4111111111111111", "5500005555555559", "378282246310005", "6212345678901265", "4012888888881881", "79927398713"] {
            assert!(luhn_valid(good.as_bytes()), "{good}");
        }
        for bad in ["4111111111111112", "5500005555555550", "1234567812345678", "79927398710", "", "4111-1111"] {
            assert!(!luhn_valid(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn card_numbers_in_any_text() {
        assert_eq!(mask_numbers_in_text("card 4111 1111 1111 1111, thanks"), "card **** **** **** 1111, thanks");
        assert_eq!(mask_numbers_in_text("paid with 5500-0055-5555-5559."), "paid with ****-****-****-5559.");
        assert_eq!(mask_numbers_in_text("6212345678901265"), "************1265");
        // Not Luhn-valid, too short, glued to letters, or a longer number: left alone.
        for same in ["card 4111 1111 1111 1112", "order 1234567812345678", "call 13800138000", "ref A4111111111111111", "41111111111111110000", "4111  1111 1111 1111"] {
            assert_eq!(mask_numbers_in_text(same), same);
        }
    }

    #[test]
    fn a_name_that_is_the_records_address_or_number() {
        let emails = vec!["Li.Na@example.cn".to_string()];
        let phones = vec!["+8613800138000".to_string()];
        assert_eq!(mask_contacts_in_text("13800138000", &emails, &phones), "138****8000");
        assert_eq!(mask_contacts_in_text("客户 138-0013-8000 (VIP)", &emails, &phones), "客户 138****8000 (VIP)");
        assert_eq!(mask_contacts_in_text("+86 138 0013 8000", &emails, &phones), "+86 138****8000");
        assert_eq!(mask_contacts_in_text("li.na@example.cn / 13800138000", &emails, &phones), "l****@example.cn / 138****8000");
        // Other numbers and other addresses, a number glued to letters, a plain name: left alone.
        for same in ["Li Na", "order 13900139000", "wang@example.cn", "A13800138000", "13800138000x", "2024"] {
            assert_eq!(mask_contacts_in_text(same, &emails, &phones), same);
        }
        assert_eq!(mask_contacts_in_text("13800138000", &[], &[]), "13800138000");
    }

    #[test]
    fn resident_ids_in_any_text() {
        assert_eq!(mask_numbers_in_text("身份证 11010519491231002X 已核实"), "身份证 1101**********002X 已核实");
        // A wrong check character is not an ID number.
        assert_eq!(mask_numbers_in_text("id 110105194912310021"), "id 110105194912310021");
        assert_eq!(mask_numbers_in_text("no numbers here"), "no numbers here");
    }
}

