//! Masking of sensitive values before they are shown.
//!
//! The panel shows what an agent needs to recognise a customer, not the whole
//! number: phone numbers keep their country code, first three and last four
//! digits (the way Chinese CRMs show them); identity numbers keep their first
//! and last four characters.

/// `+8613800138000` → `+86 138****8000`; short numbers keep only their last two digits visible.
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let cc_len = if phone.trim_start().starts_with('+') { country_code_len(&digits) } else { 0 };
    let (cc, national) = digits.split_at(cc_len.min(digits.len()));
    let prefix = if cc.is_empty() { String::new() } else { format!("+{} ", cc.iter().collect::<String>()) };
    if national.len() < 7 {
        return format!("{prefix}{}", mask_middle(national, 0, 2));
    }
    let head = if national.len() >= 10 { 3 } else { 2 };
    format!("{prefix}{}", mask_middle(national, head, 4))
}

/// Length of the ITU country calling code at the start of `digits`.
fn country_code_len(digits: &[char]) -> usize {
    let two: String = digits.iter().take(2).collect();
    match digits.first() {
        Some('1') | Some('7') => 1,
        _ if matches!(
            two.as_str(),
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
}
