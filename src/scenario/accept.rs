//! Rewriting a scenario's `expect` block in place, leaving the rest of the file as written.

use serde_json::Value;

/// The expectation block, keys in reading order, indented to sit at the top level of a file.
pub fn expect_block(fields: &[(&str, Value)]) -> String {
    let mut s = String::from("{\n");
    for (i, (k, v)) in fields.iter().enumerate() {
        let pretty = serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string());
        let pretty = pretty.replace('\n', "\n    ");
        s.push_str(&format!("    {}: {pretty}", Value::String(k.to_string())));
        s.push_str(if i + 1 < fields.len() { ",\n" } else { "\n" });
    }
    s.push_str("  }");
    s
}

/// `text` with the value of its top-level key `key` replaced by `value`; `None` when the text
/// has no such key (or is not a JSON object).
pub fn replace_top_level(text: &str, key: &str, value: &str) -> Option<String> {
    let (start, end) = value_span(text, key)?;
    Some(format!("{}{}{}", &text[..start], value, &text[end..]))
}

/// Byte span of the value of a top-level key.
fn value_span(text: &str, key: &str) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                let end = string_end(b, i)?;
                if depth == 1 && &text[i + 1..end] == key {
                    let mut j = end + 1;
                    while j < b.len() && b[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    if b.get(j) == Some(&b':') {
                        j += 1;
                        while j < b.len() && b[j].is_ascii_whitespace() {
                            j += 1;
                        }
                        return Some((j, value_end(b, j)?));
                    }
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Index of the closing quote of the string opening at `i`.
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return Some(j),
            _ => j += 1,
        }
    }
    None
}

/// End (exclusive) of the JSON value starting at `i`.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => string_end(b, i).map(|e| e + 1),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    b'"' => j = string_end(b, j)?,
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']') && !b[j].is_ascii_whitespace()
            {
                j += 1;
            }
            Some(j)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_top_level_expect_is_replaced() {
        let text = "{\n  \"set\": {\"expect\": 1},\n  \"expect\": {\"outcome\": \"a\", \"x\": \"}\"},\n  \"z\": 2\n}\n";
        let block = expect_block(&[("outcome", json!("b"))]);
        let out = replace_top_level(text, "expect", &block).unwrap();
        assert_eq!(
            out,
            "{\n  \"set\": {\"expect\": 1},\n  \"expect\": {\n    \"outcome\": \"b\"\n  },\n  \"z\": 2\n}\n"
        );
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["set"]["expect"], 1);
    }
}
