//! A saved page (HTML) or plain text turned into the [`PageSnapshot`] the
//! content script would have sent: for the command-line scanner and the
//! labelled corpus tests, so they exercise the same `identify` as the browser.
//!
//! This is a tolerant tag scanner, not an HTML parser: it needs text,
//! `mailto:`/`tel:` links and input values, and must never panic on junk.

use crate::identify::{Field, PageSnapshot, Source};

/// Text is cut into fields of about this many bytes, like the content script does.
const CHUNK: usize = 4096;

pub fn snapshot_from_text(text: &str) -> PageSnapshot {
    let mut fields = Vec::new();
    let mut chunk = String::new();
    for line in text.split_inclusive('\n') {
        chunk.push_str(line);
        if chunk.len() >= CHUNK {
            fields.push(Field { source: Source::Text, text: std::mem::take(&mut chunk) });
        }
    }
    if !chunk.is_empty() {
        fields.push(Field { source: Source::Text, text: chunk });
    }
    PageSnapshot { fields }
}

/// Whether `input` looks like HTML rather than plain text.
pub fn looks_like_html(input: &str) -> bool {
    let head: String = input.chars().take(1024).collect::<String>().to_ascii_lowercase();
    head.contains("<!doctype html") || head.contains("<html") || head.contains("<body") || head.contains("<div") || head.contains("<p>")
}

pub fn snapshot_from_html(html: &str) -> PageSnapshot {
    let mut links = Vec::new();
    let mut text = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(&mut text, &rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e + 3..]);
            continue;
        }
        let Some(gt) = tag_end(rest) else { break };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
        match name.as_str() {
            "script" | "style" | "template" | "noscript" if !tag.starts_with('/') => {
                let close = format!("</{name}");
                rest = find_ci(rest, &close).map_or("", |i| &rest[i..]);
            }
            "a" => {
                if let Some(href) = attr(tag, "href") {
                    let lower = href.to_ascii_lowercase();
                    if lower.starts_with("mailto:") {
                        links.push(Field { source: Source::MailtoLink, text: href });
                    } else if lower.starts_with("tel:") {
                        links.push(Field { source: Source::TelLink, text: href });
                    }
                }
            }
            "input" => {
                let kind = attr(tag, "type").unwrap_or_default().to_ascii_lowercase();
                if kind != "password" && kind != "hidden" {
                    if let Some(v) = attr(tag, "value").filter(|v| !v.trim().is_empty()) {
                        links.push(Field { source: Source::InputValue, text: v });
                    }
                }
            }
            "br" | "p" | "div" | "li" | "tr" | "td" | "th" | "h1" | "h2" | "h3" | "h4" | "section" | "article" | "header" | "footer" | "dd" | "dt" => text.push('\n'),
            _ => text.push(' '),
        }
    }
    push_text(&mut text, rest);
    let mut snapshot = PageSnapshot { fields: links };
    snapshot.fields.extend(snapshot_from_text(&text).fields);
    snapshot
}

/// The `>` that ends a tag starting at `s[0] == '<'`, skipping quoted values.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    deskside_detect::lines::find_ignore_ascii_case(haystack.as_bytes(), needle.as_bytes())
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name).map(|i| i + from) {
        from = i + name.len();
        let before_ok = i > 0 && lower.as_bytes()[i - 1].is_ascii_whitespace();
        let after = lower[from..].trim_start();
        if !before_ok || !after.starts_with('=') {
            continue;
        }
        let value_start = tag.len() - after.len() + 1;
        let v = tag[value_start..].trim_start();
        let raw = match v.chars().next() {
            Some(q @ ('"' | '\'')) => v[1..].split(q).next().unwrap_or(""),
            _ => v.split(|c: char| c.is_whitespace() || c == '>').next().unwrap_or(""),
        };
        return Some(decode_entities(raw));
    }
    None
}

fn push_text(out: &mut String, raw: &str) {
    if raw.contains('&') {
        out.push_str(&decode_entities(raw));
    } else {
        out.push_str(raw);
    }
}

/// The entities that matter for identifiers; unknown ones are kept as written.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '#')).map(|i| i + 1);
        let (entity, after) = match end {
            Some(e) if rest[e..].starts_with(';') => (&rest[1..e], &rest[e + 1..]),
            _ => {
                out.push('&');
                rest = &rest[1..];
                continue;
            }
        };
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            // HTML5's named forms of what addresses and numbers are made of
            // (`jane&commat;globex&period;test`, as saved pages and some
            // helpdesks' exports write them).
            "commat" => Some('@'),
            "period" => Some('.'),
            "hyphen" | "dash" => Some('-'),
            "lowbar" | "UnderBar" => Some('_'),
            "plus" => Some('+'),
            "lpar" => Some('('),
            "rpar" => Some(')'),
            "num" => Some('#'),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = after;
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_links_inputs_and_text() {
        let html = r#"<html><head><style>.a{color:red} x@style.test</style><script>var e="bot@script.test"</script></head>
            <body><div class="req"><a HREF='mailto:Li.Na@Example.CN?subject=hi'>Li Na</a></div>
            <input type="email" value="agent&#64;acme.example"><input type=password value="secret">
            <p>Call <a href="tel:+86-138-0013-8000">us</a> &amp; write to a&#x40;b.example<!-- c@comment.test --></p></body></html>"#;
        let s = snapshot_from_html(html);
        let got: Vec<(Source, &str)> = s.fields.iter().map(|f| (f.source, f.text.as_str())).collect();
        assert_eq!(got[0], (Source::MailtoLink, "mailto:Li.Na@Example.CN?subject=hi"));
        assert_eq!(got[1], (Source::InputValue, "agent@acme.example"));
        assert_eq!(got[2], (Source::TelLink, "tel:+86-138-0013-8000"));
        let text = &got[3].1;
        assert!(text.contains("a@b.example") && text.contains("Call") && text.contains(" & "), "{text}");
        assert!(!text.contains("script.test") && !text.contains("style.test") && !text.contains("comment.test"), "{text}");
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn junk_never_panics() {
        for junk in ["<", "<a href=", "<a href='mailto:", "&#99999999999;", "&", "<script>", "<!--", "<input value=\"", "李<娜>&#x;"] {
            let _ = snapshot_from_html(junk);
        }
        assert_eq!(decode_entities("&#x674E;&unknown;&amp"), "李&unknown;&amp");
    }

    #[test]
    fn named_entities_of_addresses_and_numbers() {
        assert_eq!(decode_entities("marcus.lee&commat;ridgeway&period;test"), "marcus.lee@ridgeway.test");
        assert_eq!(decode_entities("&lpar;021&rpar;&hyphen;6234&plus;x&lowbar;y&num;1"), "(021)-6234+x_y#1");
        // Entities are case-sensitive: `&Commat;` is no entity of HTML's.
        assert_eq!(decode_entities("a&Commat;b"), "a&Commat;b");
        let s = snapshot_from_html("<html><body><p>From: Li &lt;li&commat;example&period;cn&gt;</p></body></html>");
        assert!(s.fields.iter().any(|f| f.text.contains("<li@example.cn>")), "{s:?}");
    }
}
