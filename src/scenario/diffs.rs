//! Readable differences between what a test expected and what came out: JSON by path
//! (`decisions[0].outcome: "needs_review" → "eligible"`), text by line.

use serde_json::Value;

/// At most this many differences are listed per file; the rest are counted.
const MAX_LINES: usize = 12;

/// The paths at which two JSON values differ, each as `path: old → new`.
pub fn json(old: &Value, new: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk("", old, new, &mut out);
    cap(group(out))
}

/// Differences at the same field of many list elements (every finding's `source` after a rule
/// file moved) shown once, with their count and the first of them.
fn group(lines: Vec<String>) -> Vec<String> {
    let shape = |l: &str| {
        let path = l.split(": ").next().unwrap_or("");
        let mut s = String::new();
        let mut in_index = false;
        for c in path.chars() {
            match c {
                '[' => {
                    in_index = true;
                    s.push_str("[*");
                }
                ']' => {
                    in_index = false;
                    s.push(']');
                }
                _ if in_index => {}
                _ => s.push(c),
            }
        }
        s
    };
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for l in lines {
        let k = shape(&l);
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, v)) => v.push(l),
            None => groups.push((k, vec![l])),
        }
    }
    groups
        .into_iter()
        .flat_map(|(k, v)| {
            if v.len() > 2 {
                vec![format!("{k}: {} changes, e.g. {}", v.len(), v[0])]
            } else {
                v
            }
        })
        .collect()
}

fn walk(path: &str, old: &Value, new: &Value, out: &mut Vec<String>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match (a.get(k), b.get(k)) {
                    (Some(x), Some(y)) => walk(&p, x, y, out),
                    (Some(x), None) => out.push(format!("{p}: {} → (absent)", short(x))),
                    (None, Some(y)) => out.push(format!("{p}: (absent) → {}", short(y))),
                    (None, None) => {}
                }
            }
        }
        // Lists of the same length are compared element by element; otherwise the elements
        // that stayed are matched (longest common subsequence) and the rest shown as removed
        // or added, a removed one beside an added one compared field by field.
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                walk(&format!("{path}[{i}]"), x, y, out);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() * b.len() <= MAX_LCS * MAX_LCS / 16 => {
            lists(path, a, b, out)
        }
        (x, y) if x != y => out.push(format!("{path}: {} → {}", short(x), short(y))),
        _ => {}
    }
}

fn lists(path: &str, a: &[Value], b: &[Value], out: &mut Vec<String>) {
    let mut l = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            l[i][j] = if a[i] == b[j] {
                l[i + 1][j + 1] + 1
            } else {
                l[i + 1][j].max(l[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut gone, mut came): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    let flush = |gone: &mut Vec<usize>, came: &mut Vec<usize>, out: &mut Vec<String>| {
        for k in 0..gone.len().max(came.len()) {
            match (gone.get(k), came.get(k)) {
                (Some(&x), Some(&y)) => walk(&format!("{path}[{y}]"), &a[x], &b[y], out),
                (Some(&x), None) => out.push(format!("{path}[{x}]: {} → (absent)", short(&a[x]))),
                (None, Some(&y)) => out.push(format!("{path}[{y}]: (absent) → {}", short(&b[y]))),
                (None, None) => {}
            }
        }
        gone.clear();
        came.clear();
    };
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            flush(&mut gone, &mut came, out);
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || l[i + 1][j] >= l[i][j + 1]) {
            gone.push(i);
            i += 1;
        } else {
            came.push(j);
            j += 1;
        }
    }
    flush(&mut gone, &mut came, out);
}

/// A value on one line, cut at 160 characters.
pub fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 160 {
        let cut: String = s.chars().take(157).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// Longest texts compared line by line; longer ones are compared by their common head and tail.
const MAX_LCS: usize = 4000;

/// The lines that differ between two texts, as `line N: - old` / `line N: + new` (N: the line in
/// the old text, or in the new one for an added line).
pub fn text(old: &str, new: &str) -> Vec<String> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (x, y) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut out = Vec::new();
    if x.len() * y.len() <= MAX_LCS * MAX_LCS / 16 {
        // Longest common subsequence, then walk it: what is not common was removed or added.
        let mut l = vec![vec![0u32; y.len() + 1]; x.len() + 1];
        for i in (0..x.len()).rev() {
            for j in (0..y.len()).rev() {
                l[i][j] = if x[i] == y[j] {
                    l[i + 1][j + 1] + 1
                } else {
                    l[i + 1][j].max(l[i][j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < x.len() || j < y.len() {
            if i < x.len() && j < y.len() && x[i] == y[j] {
                i += 1;
                j += 1;
            } else if i < x.len() && (j == y.len() || l[i + 1][j] >= l[i][j + 1]) {
                out.push(format!("line {}: - {}", head + i + 1, x[i]));
                i += 1;
            } else {
                out.push(format!("line {}: + {}", head + j + 1, y[j]));
                j += 1;
            }
        }
    } else {
        out.extend(
            x.iter()
                .enumerate()
                .map(|(i, l)| format!("line {}: - {l}", head + i + 1)),
        );
        out.extend(
            y.iter()
                .enumerate()
                .map(|(i, l)| format!("line {}: + {l}", head + i + 1)),
        );
    }
    if out.is_empty() && old != new {
        out.push("the line endings differ".to_string());
    }
    cap(out)
}

fn cap(mut out: Vec<String>) -> Vec<String> {
    if out.len() > MAX_LINES {
        let more = out.len() - MAX_LINES;
        out.truncate(MAX_LINES);
        out.push(format!("… and {more} more"));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_differences_name_the_path_and_both_values() {
        let d = json(
            &json!({"a": {"b": [1, 2]}, "c": "x"}),
            &json!({"a": {"b": [1, 3]}, "d": true}),
        );
        assert_eq!(
            d,
            ["a.b[1]: 2 → 3", "c: \"x\" → (absent)", "d: (absent) → true"]
        );
    }

    #[test]
    fn many_changes_of_one_field_are_shown_once() {
        let old = json!({"f": [{"s": "a:1"}, {"s": "a:2"}, {"s": "a:3"}], "v": 1});
        let new = json!({"f": [{"s": "b:1"}, {"s": "b:2"}, {"s": "b:3"}], "v": 2});
        assert_eq!(
            json(&old, &new),
            [
                "f[*].s: 3 changes, e.g. f[0].s: \"a:1\" → \"b:1\"",
                "v: 1 → 2"
            ]
        );
    }

    #[test]
    fn an_element_added_to_a_list_is_shown_alone() {
        let old = json!({"f": [{"r": "a", "s": 1}, {"r": "c", "s": 3}]});
        let new = json!({"f": [{"r": "a", "s": 1}, {"r": "b", "s": 2}, {"r": "c", "s": 4}]});
        assert_eq!(
            json(&old, &new),
            [
                "f[1].r: \"c\" → \"b\"",
                "f[1].s: 3 → 2",
                "f[2]: (absent) → {\"r\":\"c\",\"s\":4}"
            ]
        );
    }

    #[test]
    fn text_differences_show_the_changed_lines_only() {
        let d = text("a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(d, ["line 2: - b", "line 2: + B"]);
        let d = text("x\n1\n2\n3\ny\n", "X\n1\n2\n3\nY\n");
        assert_eq!(
            d,
            ["line 1: - x", "line 1: + X", "line 5: - y", "line 5: + Y"]
        );
    }
}
