//! Paths into a JSON answer: a JSON pointer (`/result/items`) whose steps may
//! be `*`, every element of an array (`/contact/emails/*/address`).

use serde_json::Value;

/// Longest path accepted, in steps.
pub const MAX_STEPS: usize = 16;

/// Why a path is not one.
pub fn check(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Ok(());
    }
    if !path.starts_with('/') {
        return Err("a path starts with '/' (e.g. /data/items)");
    }
    if path.split('/').count() - 1 > MAX_STEPS {
        return Err("a path has at most 16 steps");
    }
    if path.split('/').skip(1).filter(|s| *s == "*").count() > 3 {
        return Err("a path has at most three '*' steps");
    }
    Ok(())
}

/// Every value at `path` under `v`, in document order (none when a step is
/// missing). The empty path is `v` itself.
pub fn all<'a>(v: &'a Value, path: &str) -> Vec<&'a Value> {
    let mut here = vec![v];
    if path.is_empty() {
        return here;
    }
    for raw in path.split('/').skip(1).take(MAX_STEPS) {
        let step = raw.replace("~1", "/").replace("~0", "~");
        let mut next = Vec::new();
        for v in here {
            match (v, step.as_str()) {
                (Value::Array(items), "*") => next.extend(items.iter().take(200)),
                (Value::Array(items), s) => next.extend(s.parse::<usize>().ok().and_then(|i| items.get(i))),
                (Value::Object(map), s) => next.extend(map.get(s)),
                _ => {}
            }
        }
        here = next;
        if here.is_empty() {
            break;
        }
    }
    here
}

/// The first value at `path` that is not null.
pub fn first<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    all(v, path).into_iter().find(|v| !v.is_null())
}

/// A scalar as text: strings trimmed, numbers and booleans written out;
/// `None` for empty strings, null, arrays and objects. At most 500 characters
/// (the panel is not a document viewer).
pub fn text(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    let s: String = s.chars().take(500).collect();
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pointers_with_array_steps() {
        let v = json!({"contact": {"emails": [{"address": "a@x.test"}, {"address": "b@x.test"}, {"other": 1}]}, "a/b": {"~": 5}, "list": [10, 20]});
        let got: Vec<&str> = all(&v, "/contact/emails/*/address").into_iter().filter_map(Value::as_str).collect();
        assert_eq!(got, ["a@x.test", "b@x.test"]);
        assert_eq!(first(&v, "/list/1"), Some(&json!(20)));
        assert_eq!(first(&v, "/a~1b/~0"), Some(&json!(5)));
        assert_eq!(first(&v, "/missing/*/x"), None);
        assert_eq!(all(&v, "").len(), 1);
        assert_eq!(text(&json!(" x ")).as_deref(), Some("x"));
        assert_eq!(text(&json!(42)).as_deref(), Some("42"));
        assert_eq!(text(&json!("")), None);
        assert_eq!(text(&json!({"a": 1})), None);
    }

    #[test]
    fn bad_paths_are_named() {
        assert!(check("/data/items").is_ok());
        assert!(check("").is_ok());
        assert!(check("data").is_err());
        assert!(check(&"/x".repeat(17)).is_err());
        assert!(check("/*/*/*/*").is_err());
    }
}
