//! Two entries of a keyed list (`list by id`) with one key make every lookup by that key
//! ambiguous: the case reader refuses them. Checked once per list, without allocating for the
//! short lists case files are made of.

use super::facts::{FactValue, Record};
use super::json;
use std::cmp::Ordering;

/// Lists up to this long are checked pairwise; longer ones through a sorted index.
const PAIRWISE: usize = 16;

/// The first two entries (in list order of the later one) whose key field `key` holds the same
/// value; entries without a key are never duplicates.
pub fn duplicate_keys(entries: &[Record], key: usize) -> Option<(usize, usize)> {
    let key_of = |i: usize| entries[i].fields.get(key).filter(|v| is_key(v));
    if entries.len() <= PAIRWISE {
        for b in 1..entries.len() {
            let Some(kb) = key_of(b) else { continue };
            for a in 0..b {
                if key_of(a).is_some_and(|ka| same(ka, kb)) {
                    return Some((a, b));
                }
            }
        }
        return None;
    }
    let mut order: Vec<(usize, &FactValue)> = (0..entries.len())
        .filter_map(|i| key_of(i).map(|k| (i, k)))
        .collect();
    // Stable on index, so equal keys stand in list order and the first pair of each run is the
    // earliest entry with the later one.
    order.sort_by(|x, y| cmp(x.1, y.1).then(x.0.cmp(&y.0)));
    order
        .windows(2)
        .filter(|w| cmp(w[0].1, w[1].1) == Ordering::Equal)
        .map(|w| (w[0].0, w[1].0))
        .min_by_key(|&(_, b)| b)
}

/// Equality alone, for the pairwise check: lengths first, no ordering of bytes.
fn same(a: &FactValue, b: &FactValue) -> bool {
    match (a, b) {
        (FactValue::Text(x), FactValue::Text(y)) => json::same(x.as_bytes(), y.as_bytes()),
        (FactValue::Int(x), FactValue::Int(y)) => x == y,
        _ => false,
    }
}

fn is_key(v: &FactValue) -> bool {
    matches!(v, FactValue::Text(_) | FactValue::Int(_))
}

/// Keys are text or whole numbers (the checker refuses any other key type).
fn cmp(a: &FactValue, b: &FactValue) -> Ordering {
    match (a, b) {
        (FactValue::Text(x), FactValue::Text(y)) => x.cmp(y),
        (FactValue::Int(x), FactValue::Int(y)) => x.cmp(y),
        (FactValue::Text(_), _) => Ordering::Less,
        _ => Ordering::Greater,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn entry(k: FactValue) -> Record {
        Record {
            fields: vec![FactValue::Absent, k].into_boxed_slice(),
        }
    }

    fn texts(keys: &[Option<&str>]) -> Vec<Record> {
        keys.iter()
            .map(|k| entry(k.map_or(FactValue::Absent, |t| FactValue::Text(t.into()))))
            .collect()
    }

    #[test]
    fn short_lists_find_the_first_repeated_key() {
        let l = texts(&[Some("a"), None, Some("b"), None, Some("b"), Some("a")]);
        assert_eq!(duplicate_keys(&l, 1), Some((2, 4)));
        let ok = texts(&[Some("a"), None, None, Some("b")]);
        assert_eq!(duplicate_keys(&ok, 1), None);
    }

    #[test]
    fn long_lists_agree_with_the_pairwise_check() {
        let mut keys: Vec<FactValue> = (0..40).map(FactValue::Int).collect();
        keys[33] = FactValue::Int(7);
        keys[25] = FactValue::Int(30);
        let l: Vec<Record> = keys.into_iter().map(entry).collect();
        // 25 repeats 30 later at 30; 33 repeats 7: the pair whose later entry comes first wins.
        assert_eq!(duplicate_keys(&l, 1), Some((25, 30)));
        let distinct: Vec<Record> = (0..40).map(|i| entry(FactValue::Int(i))).collect();
        assert_eq!(duplicate_keys(&distinct, 1), None);
        assert_eq!(duplicate_keys(&l[..PAIRWISE], 1), None);
    }

    #[test]
    fn long_lists_pass_over_entries_without_a_key() {
        // 40 entries, every other one without a key: those are never duplicates of each other,
        // and the two entries keyed "k3" are still found among them.
        let keys: Vec<Option<String>> = (0..40)
            .map(|i| (i % 2 == 0).then(|| format!("k{}", if i == 30 { 3 } else { i / 2 })))
            .collect();
        let keys: Vec<Option<&str>> = keys.iter().map(|k| k.as_deref()).collect();
        assert_eq!(duplicate_keys(&texts(&keys), 1), Some((6, 30)));
        let without: Vec<Option<&str>> = (0..40).map(|_| None).collect();
        assert_eq!(duplicate_keys(&texts(&without), 1), None);
    }
}
