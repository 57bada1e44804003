//! JSON text from the browser's `JSON.stringify`, made fit for serde_json.
//!
//! Values cross between the extension's JavaScript and wasm as JSON text
//! (issue 23: one serde flavour). A JS string may hold a lone UTF-16
//! surrogate (a hostile page can put one in its text); `JSON.stringify`
//! writes it as a `\ud800`-style escape, which serde_json refuses. Replacing
//! each lone surrogate escape with `\ufffd` gives what converting the JS
//! string to Rust directly gives (the replacement character), so such a page
//! is read like any other instead of its message being refused.

use std::borrow::Cow;

fn hex4(b: &[u8], at: usize) -> Option<u32> {
    let digits = b.get(at..at + 4)?;
    let text = std::str::from_utf8(digits).ok()?;
    u32::from_str_radix(text, 16).ok()
}

fn is_high(u: u32) -> bool {
    (0xD800..0xDC00).contains(&u)
}

fn is_low(u: u32) -> bool {
    (0xDC00..0xE000).contains(&u)
}

/// `json` with every `\uXXXX` escape of a lone surrogate (a high one not
/// followed by a low one's escape, or a low one not preceded by a high one)
/// replaced by `\ufffd`; paired escapes, other escapes and text stay as they
/// are. Borrowed when nothing changed.
pub fn lone_surrogates_replaced(json: &str) -> Cow<'_, str> {
    let b = json.as_bytes();
    let mut out = String::new();
    let (mut i, mut copied) = (0, 0);
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        // An escape: `\uXXXX`, or a backslash and one ASCII character.
        let unit = if b.get(i + 1) == Some(&b'u') { hex4(b, i + 2) } else { None };
        match unit {
            Some(u) if is_high(u) && b.get(i + 6) == Some(&b'\\') && b.get(i + 7) == Some(&b'u') && hex4(b, i + 8).is_some_and(is_low) => i += 12,
            Some(u) if is_high(u) || is_low(u) => {
                out.push_str(&json[copied..i]);
                out.push_str("\\ufffd");
                i += 6;
                copied = i;
            }
            Some(_) => i += 6,
            None => i += 2,
        }
    }
    if copied == 0 {
        return Cow::Borrowed(json);
    }
    out.push_str(&json[copied.min(json.len())..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> String {
        serde_json::from_str(&lone_surrogates_replaced(json)).unwrap()
    }

    #[test]
    fn lone_surrogates_become_the_replacement_character() {
        // As JSON.stringify writes them: a lone high, a lone low, a high
        // before another high, a high at the end.
        assert!(serde_json::from_str::<String>(r#""a\ud800b""#).is_err(), "serde_json alone refuses it");
        assert_eq!(read(r#""a\ud800b""#), "a\u{FFFD}b");
        assert_eq!(read(r#""a\uDC00b""#), "a\u{FFFD}b");
        assert_eq!(read(r#""\ud800\ud800\udc00""#), "\u{FFFD}\u{10000}");
        assert_eq!(read(r#""x\udbff""#), "x\u{FFFD}");
    }

    #[test]
    fn everything_else_is_left_alone() {
        for json in [r#""plain é 中""#, r#""\ud83d\ude00""#, r#""tab\t \" \\ \u0001 \u00e9""#, r#""\\ud800 is text""#, r#"[1,{"a":null}]"#] {
            assert!(matches!(lone_surrogates_replaced(json), Cow::Borrowed(_)), "{json}");
        }
        assert_eq!(read(r#""\ud83d\ude00""#), "😀");
        // An escaped backslash before `ud800` is text, not an escape.
        assert_eq!(read(r#""\\ud800""#), "\\ud800");
        // A lone one beside a pair and an escaped quote.
        assert_eq!(read(r#""\"\ud800\ud83d\ude00\\""#), "\"\u{FFFD}😀\\");
    }

    #[test]
    fn object_keys_are_repaired_too() {
        let v: serde_json::Value = serde_json::from_str(&lone_surrogates_replaced(r#"{"k\udfff":"v\ud83d"}"#)).unwrap();
        assert_eq!(v, serde_json::json!({"k\u{FFFD}": "v\u{FFFD}"}));
    }
}
