//! Masking of sensitive values before they are shown.
//!
//! The panel shows what an agent needs to recognise a customer, not the whole
//! number: phone numbers keep their country code, first three and last four
//! digits (the way Chinese CRMs show them); identity numbers keep their first
//! and last four characters.

/// `+8613800138000` → `+86 138****8000`; short numbers keep only their last two digits visible.
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let (cc, national): (&str, &[char]) = if phone.trim_start().starts_with("+86") && digits.len() == 13 {
        ("+86 ", &digits[2..])
    } else if phone.trim_start().starts_with('+') && digits.len() > 10 {
        // Keep a plausible country code of the remaining length.
        let cc_len = digits.len() - 10;
        return format!("+{} {}", digits[..cc_len].iter().collect::<String>(), mask_middle(&digits[cc_len..], 3, 4));
    } else {
        ("", &digits[..])
    };
    if national.len() < 7 {
        return format!("{cc}{}", mask_middle(national, 0, 2));
    }
    format!("{cc}{}", mask_middle(national, 3, 4))
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
        assert_eq!(mask_phone("+14155550123"), "+1 415***0123");
        assert_eq!(mask_phone("12345"), "***45");
    }

    #[test]
    fn id_numbers() {
        assert_eq!(mask_id_number("11010519491231002X"), "1101**********002X");
        assert_eq!(mask_id_number("abc"), "***");
    }
}
