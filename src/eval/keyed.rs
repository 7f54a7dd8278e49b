//! Two entries of a keyed list (`list by id`) with one key make every lookup by that key
//! ambiguous: the case reader refuses them. Checked once per list, without allocating for the
//! short lists case files are made of.

use super::json;
use super::store::{Fact, List};
use std::cmp::Ordering;

/// Lists up to this long are checked pairwise; longer ones through a sorted index.
const PAIRWISE: usize = 16;

/// The first two entries (in list order of the later one) whose key field `key` holds the same
/// value; entries without a key are never duplicates.
pub fn duplicate_keys(entries: List<'_>, key: usize) -> Option<(usize, usize)> {
    let key_of = |i: usize| entries.get(i)?.get(key).filter(is_key);
    if entries.len() <= PAIRWISE {
        // Each key looked up once, not once for every pair it is in.
        let mut keys = [None; PAIRWISE];
        for (i, k) in keys.iter_mut().enumerate().take(entries.len()) {
            *k = key_of(i);
        }
        for b in 1..entries.len() {
            let Some(kb) = keys[b] else { continue };
            for (a, ka) in keys.iter().enumerate().take(b) {
                if ka.is_some_and(|ka| same(&ka, &kb)) {
                    return Some((a, b));
                }
            }
        }
        return None;
    }
    let mut order: Vec<(usize, Fact<'_>)> = (0..entries.len())
        .filter_map(|i| key_of(i).map(|k| (i, k)))
        .collect();
    // Stable on index, so equal keys stand in list order and the first pair of each run is the
    // earliest entry with the later one.
    order.sort_by(|x, y| cmp(&x.1, &y.1).then(x.0.cmp(&y.0)));
    order
        .windows(2)
        .filter(|w| cmp(&w[0].1, &w[1].1) == Ordering::Equal)
        .map(|w| (w[0].0, w[1].0))
        .min_by_key(|&(_, b)| b)
}

/// Equality alone, for the pairwise check: lengths first, no ordering of bytes.
fn same(a: &Fact<'_>, b: &Fact<'_>) -> bool {
    match (a, b) {
        (Fact::Text(x), Fact::Text(y)) => json::same(x.as_bytes(), y.as_bytes()),
        (Fact::Int(x), Fact::Int(y)) => x == y,
        _ => false,
    }
}

fn is_key(v: &Fact<'_>) -> bool {
    matches!(v, Fact::Text(_) | Fact::Int(_))
}

/// Keys are text or whole numbers (the checker refuses any other key type).
fn cmp(a: &Fact<'_>, b: &Fact<'_>) -> Ordering {
    match (a, b) {
        (Fact::Text(x), Fact::Text(y)) => x.cmp(y),
        (Fact::Int(x), Fact::Int(y)) => x.cmp(y),
        (Fact::Text(_), _) => Ordering::Less,
        _ => Ordering::Greater,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::eval::store::{Store, Stored};

    /// A case of one list of two-field entries whose second field is the key given.
    fn case(keys: &[Option<Key>]) -> Store {
        let mut store = Store::new("");
        let root = store.open(1);
        let starts: Vec<u32> = (keys.iter())
            .map(|k| {
                let start = store.open(2);
                let v = match k {
                    None => Stored::Absent,
                    Some(Key::Int(n)) => Stored::Int(*n),
                    Some(Key::Text(t)) => store.text_decoded(t),
                };
                store.set(start, 1, v);
                start
            })
            .collect();
        let list = store.list(starts.into_iter(), 2);
        store.set(root, 0, list);
        store.set_root(root, 1);
        store
    }

    enum Key {
        Int(i64),
        Text(String),
    }

    fn duplicates(store: &Store) -> Option<(usize, usize)> {
        let Some(Fact::List(l)) = store.root().get(0) else {
            panic!("no list");
        };
        duplicate_keys(l, 1)
    }

    fn texts(keys: &[Option<&str>]) -> Store {
        let keys: Vec<Option<Key>> = (keys.iter())
            .map(|k| k.map(|t| Key::Text(t.to_string())))
            .collect();
        case(&keys)
    }

    fn ints(keys: &[i64]) -> Store {
        let keys: Vec<Option<Key>> = keys.iter().map(|&n| Some(Key::Int(n))).collect();
        case(&keys)
    }

    #[test]
    fn short_lists_find_the_first_repeated_key() {
        let l = texts(&[Some("a"), None, Some("b"), None, Some("b"), Some("a")]);
        assert_eq!(duplicates(&l), Some((2, 4)));
        let ok = texts(&[Some("a"), None, None, Some("b")]);
        assert_eq!(duplicates(&ok), None);
    }

    #[test]
    fn long_lists_agree_with_the_pairwise_check() {
        let mut keys: Vec<i64> = (0..40).collect();
        keys[33] = 7;
        keys[25] = 30;
        // 25 repeats 30 later at 30; 33 repeats 7: the pair whose later entry comes first wins.
        assert_eq!(duplicates(&ints(&keys)), Some((25, 30)));
        let distinct: Vec<i64> = (0..40).collect();
        assert_eq!(duplicates(&ints(&distinct)), None);
        assert_eq!(duplicates(&ints(&keys[..PAIRWISE])), None);
    }

    #[test]
    fn long_lists_pass_over_entries_without_a_key() {
        // 40 entries, every other one without a key: those are never duplicates of each other,
        // and the two entries keyed "k3" are still found among them.
        let keys: Vec<Option<String>> = (0..40)
            .map(|i| (i % 2 == 0).then(|| format!("k{}", if i == 30 { 3 } else { i / 2 })))
            .collect();
        let keys: Vec<Option<&str>> = keys.iter().map(|k| k.as_deref()).collect();
        assert_eq!(duplicates(&texts(&keys)), Some((6, 30)));
        let without: Vec<Option<&str>> = (0..40).map(|_| None).collect();
        assert_eq!(duplicates(&texts(&without)), None);
    }
}
