//! The query string, read by hand: `decision` may repeat, and every unknown or malformed
//! parameter is a 400 that names it rather than being ignored.

use super::error::ApiError;

/// `key=value` pairs, percent-decoded, in order.
pub fn pairs(raw: Option<&str>) -> Result<Vec<(String, String)>, ApiError> {
    let mut out = Vec::new();
    for part in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        out.push((decode(k)?, decode(v)?));
    }
    Ok(out)
}

fn decode(s: &str) -> Result<String, ApiError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| ApiError::bad_query("the query has a malformed %-escape"))?;
                out.push(hex);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| ApiError::bad_query("the query is not UTF-8"))
}

/// Refuse any parameter not in `known`.
pub fn only(pairs: &[(String, String)], known: &[&str]) -> Result<(), ApiError> {
    for (k, _) in pairs {
        if !known.contains(&k.as_str()) {
            return Err(ApiError::bad_query(format!(
                "unknown query parameter `{k}`; this endpoint takes: {}",
                known.join(", ")
            )));
        }
    }
    Ok(())
}

/// The one value of a parameter, if given; twice is an error.
pub fn single<'a>(pairs: &'a [(String, String)], key: &str) -> Result<Option<&'a str>, ApiError> {
    let mut found = None;
    for (k, v) in pairs {
        if k == key {
            if found.is_some() {
                return Err(ApiError::bad_query(format!("`{key}` is given twice")));
            }
            found = Some(v.as_str());
        }
    }
    Ok(found)
}

pub fn all<'a>(pairs: &'a [(String, String)], key: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_repeats() {
        let p = pairs(Some("decision=a&decision=b%20c&lang=en+x")).unwrap();
        assert_eq!(all(&p, "decision"), vec!["a", "b c"]);
        assert_eq!(single(&p, "lang").unwrap(), Some("en x"));
        assert!(single(&[("a".into(), "1".into()), ("a".into(), "2".into())], "a").is_err());
        assert!(pairs(Some("a=%zz")).is_err());
        assert!(pairs(Some("a=%e4")).is_err());
        assert!(only(&p, &["decision"]).is_err());
    }
}
