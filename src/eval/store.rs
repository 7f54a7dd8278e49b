//! The facts of one case in one flat store, and the views evaluation reads them through.
//!
//! A record's facts stand side by side in one vector, a nested record's after its parent's, and a
//! list is a run of record starts in a second vector; texts are places in the case file's one
//! copy. Reading a case so costs a few growing vectors instead of an allocation per record and
//! per list, and dropping it frees those vectors without walking a tree of boxes (the tree cost
//! about 4,700 instructions a case to drop; issue 12): a stored fact has no destructor.

use super::text::Text;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::cell::Cell;
use std::fmt;
use std::sync::Arc;

/// One fact as stored: scalars in place, texts, records and lists as places in the [`Store`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Stored {
    Absent,
    Bool(bool),
    Int(i64),
    Num(Decimal),
    Date(NaiveDate),
    Text(TextAt),
    Enum(u16),
    /// `values[start..start + len]`.
    Rec {
        start: u32,
        len: u32,
    },
    /// `lists[at..at + count]` are the starts of records of `width` fields each.
    List {
        at: u32,
        count: u32,
        width: u32,
    },
}

/// Where a text stands: in the case file's copy, or (a text with escapes, decoded) in `decoded`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TextAt {
    start: u32,
    end: u32,
    decoded: bool,
}

/// The facts of one case, as the readers build them.
#[derive(Default)]
pub struct Store {
    values: Vec<Stored>,
    lists: Vec<u32>,
    /// The case file's one copy (see [`Text`]): texts without escapes are places in it.
    copy: Arc<str>,
    decoded: String,
    root: (u32, u32),
}

impl Store {
    /// An empty store for a case file `source`, in the vectors the thread's last case left.
    pub(crate) fn new(source: &str) -> Store {
        let (mut values, mut lists) = SPARE.try_with(Cell::take).unwrap_or_default();
        values.clear();
        lists.clear();
        // Room for a fact in every 12 bytes of the file (the bench's cases spend about 16) at
        // once, not 7 copies growing; capped, so a huge file grows its vector as its facts come
        // rather than ahead of them. Exact, so that the room stays within what is kept.
        values.reserve_exact((source.len() / 12 + 8).min(SPARE_MAX));
        Store {
            values,
            lists,
            copy: Arc::from(source),
            decoded: String::new(),
            root: (0, 0),
        }
    }

    /// A record of `n` facts, all absent until [`Store::set`]: its start.
    pub(crate) fn open(&mut self, n: usize) -> u32 {
        // Places are u32: four billion facts (96 GB of them) would not fit in memory first.
        let start = self.values.len() as u32;
        self.values.resize(self.values.len() + n, Stored::Absent);
        start
    }

    /// Fact `i` of the record that starts at `start`.
    pub(crate) fn set(&mut self, start: u32, i: usize, v: Stored) {
        let at = start as usize + i;
        // The readers set only facts of records they opened; a fact set elsewhere is a fault of
        // theirs, which tests should see rather than read as an absent fact.
        debug_assert!(at < self.values.len(), "fact {at} set outside the store");
        if let Some(slot) = self.values.get_mut(at) {
            *slot = v;
        }
    }

    /// The record of `n` facts at `start` as a fact of another record.
    pub(crate) fn rec(start: u32, n: usize) -> Stored {
        Stored::Rec {
            start,
            len: n as u32,
        }
    }

    /// A list of the records that start at `starts`, each of `width` facts.
    pub(crate) fn list(&mut self, starts: impl Iterator<Item = u32>, width: usize) -> Stored {
        let at = self.lists.len();
        self.lists.extend(starts);
        Stored::List {
            at: at as u32,
            count: (self.lists.len() - at) as u32,
            width: width as u32,
        }
    }

    /// A text at `start..end` of the case file (checked: `None` off a character boundary).
    pub(crate) fn text_in_file(&self, start: usize, end: usize) -> Option<Stored> {
        self.copy.get(start..end)?;
        Some(Stored::Text(TextAt {
            start: u32::try_from(start).ok()?,
            end: u32::try_from(end).ok()?,
            decoded: false,
        }))
    }

    /// A text that is not where it stands in the file (it had escapes): kept beside it.
    pub(crate) fn text_decoded(&mut self, s: &str) -> Stored {
        let start = self.decoded.len();
        self.decoded.push_str(s);
        // Texts index with u32: one past 4 GiB (no case file has one) reads as empty.
        let (start, end) = match (u32::try_from(start), u32::try_from(self.decoded.len())) {
            (Ok(start), Ok(end)) => (start, end),
            _ => (0, 0),
        };
        Stored::Text(TextAt {
            start,
            end,
            decoded: true,
        })
    }

    /// The record that starts at `start` with `n` facts is the case itself.
    pub(crate) fn set_root(&mut self, start: u32, n: usize) {
        self.root = (start, n as u32);
    }

    pub fn root(&self) -> Record<'_> {
        self.record(self.root.0, self.root.1)
    }

    /// A stored fact as evaluation sees it.
    #[inline]
    pub(crate) fn fact(&self, v: &Stored) -> Fact<'_> {
        match *v {
            Stored::Absent => Fact::Absent,
            Stored::Bool(b) => Fact::Bool(b),
            Stored::Int(n) => Fact::Int(n),
            Stored::Num(n) => Fact::Num(n),
            Stored::Date(d) => Fact::Date(d),
            Stored::Text(t) => Fact::Text(self.str(t)),
            Stored::Enum(e) => Fact::Enum(e),
            Stored::Rec { start, len } => Fact::Rec(self.record(start, len)),
            Stored::List { at, count, width } => Fact::List(self.list_at(at, count, width)),
        }
    }

    #[inline]
    pub(crate) fn list_at(&self, at: u32, count: u32, width: u32) -> List<'_> {
        let (at, count) = (at as usize, count as usize);
        List {
            starts: self.lists.get(at..at + count).unwrap_or_default(),
            width,
            store: self,
        }
    }

    #[inline]
    pub(crate) fn record(&self, start: u32, len: u32) -> Record<'_> {
        let (start, len) = (start as usize, len as usize);
        Record {
            fields: self.values.get(start..start + len).unwrap_or_default(),
            store: self,
        }
    }

    #[inline]
    pub(crate) fn str(&self, t: TextAt) -> &str {
        let buf: &str = if t.decoded { &self.decoded } else { &self.copy };
        buf.get(t.start as usize..t.end as usize)
            .unwrap_or_default()
    }

    fn owned(&self, t: TextAt) -> Text {
        if t.decoded {
            Text::from(self.str(t))
        } else {
            // Checked against this very copy when the text was read.
            Text::placed(&self.copy, t.start, t.end)
        }
    }
}

thread_local! {
    /// The vectors of the last store this thread dropped, for its next case: a batch then reads
    /// its cases without allocating for their facts.
    static SPARE: Cell<(Vec<Stored>, Vec<u32>)> = const { Cell::new((Vec::new(), Vec::new())) };
}

/// Vectors longer than this (a case of thousands of facts) are freed, not kept for the next.
const SPARE_MAX: usize = 1 << 14;

impl Drop for Store {
    fn drop(&mut self) {
        if self.values.capacity() <= SPARE_MAX && self.lists.capacity() <= SPARE_MAX {
            let spare = (
                std::mem::take(&mut self.values),
                std::mem::take(&mut self.lists),
            );
            // At the thread's end the slot is gone, and the vectors are simply freed.
            let _ = SPARE.try_with(|s| s.set(spare));
        }
    }
}

impl Clone for Store {
    fn clone(&self) -> Store {
        Store {
            values: self.values.clone(),
            lists: self.lists.clone(),
            copy: Arc::clone(&self.copy),
            decoded: self.decoded.clone(),
            root: self.root,
        }
    }
}

impl fmt::Debug for Store {
    /// The facts, not the vectors they are kept in.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.root(), f)
    }
}

impl PartialEq for Store {
    /// The same facts, however the readers laid them out.
    fn eq(&self, other: &Store) -> bool {
        self.root() == other.root()
    }
}

/// A fact as evaluation sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fact<'f> {
    Absent,
    Bool(bool),
    Int(i64),
    Num(Decimal),
    Date(NaiveDate),
    Text(&'f str),
    Enum(u16),
    Rec(Record<'f>),
    List(List<'f>),
}

/// A record's facts, indexed like its schema's fields.
#[derive(Clone, Copy)]
pub struct Record<'f> {
    fields: &'f [Stored],
    store: &'f Store,
}

impl<'f> Record<'f> {
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Fact `i`; `None` past the record's end.
    #[inline]
    pub fn get(&self, i: usize) -> Option<Fact<'f>> {
        Some(self.store.fact(self.fields.get(i)?))
    }

    /// Every fact, in the schema's order.
    pub fn facts(&self) -> impl Iterator<Item = Fact<'f>> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Fact `i` as stored (for evaluation's own reading of it: by reference, since a `Stored`
    /// moved whole is moved a field at a time).
    #[inline(always)]
    pub(crate) fn stored(&self, i: usize) -> Option<&'f Stored> {
        self.fields.get(i)
    }

    /// The store the record stands in.
    #[inline(always)]
    pub(crate) fn store(&self) -> &'f Store {
        self.store
    }

    /// Fact `i` as an owned text (a finding's subject), when it is a text: shares the case
    /// file's copy, so it allocates nothing for a text without escapes.
    pub fn text(&self, i: usize) -> Option<Text> {
        match self.fields.get(i)? {
            Stored::Text(t) => Some(self.store.owned(*t)),
            _ => None,
        }
    }
}

impl PartialEq for Record<'_> {
    fn eq(&self, other: &Record<'_>) -> bool {
        self.len() == other.len() && self.facts().eq(other.facts())
    }
}

impl fmt::Debug for Record<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.facts()).finish()
    }
}

/// A list of records of one schema.
#[derive(Clone, Copy)]
pub struct List<'f> {
    starts: &'f [u32],
    width: u32,
    store: &'f Store,
}

impl<'f> List<'f> {
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<Record<'f>> {
        let start = *self.starts.get(i)?;
        Some(self.store.record(start, self.width))
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = Record<'f>> + 'f {
        let (store, width) = (self.store, self.width);
        self.starts.iter().map(move |&s| store.record(s, width))
    }
}

impl PartialEq for List<'_> {
    fn eq(&self, other: &List<'_>) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl fmt::Debug for List<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn a_text_off_a_character_boundary_or_the_file_is_refused() {
        let mut store = Store::new("甲乙");
        assert!(store.text_in_file(1, 3).is_none());
        assert!(store.text_in_file(0, 7).is_none());
        assert!(store.text_in_file(3, 2).is_none());
        let root = store.open(1);
        let text = store.text_in_file(3, 6).unwrap();
        store.set(root, 0, text);
        store.set_root(root, 1);
        assert_eq!(store.root().get(0), Some(Fact::Text("乙")));
        assert_eq!(store.root().text(0).unwrap().as_str(), "乙");
    }
}
