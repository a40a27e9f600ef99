//! The records of an aggregator: a vector of `(key, record)` in order of
//! arrival, indexed by a hash table of 4-byte positions.
//!
//! Keys are de-duplication hashes (SipHash outputs), so they serve as
//! their own hash. Compared with a `BTreeMap<u64, Rec>` (≈ 37 bytes a
//! record and a cache miss per tree level) this costs ≈ 24 bytes in the
//! vector plus 5 to 10 bytes of index a record, and a lookup touches the
//! index once and the vector once. Records are never removed.

use hashbrown::HashTable;

use super::Rec;

#[derive(Clone, Default)]
pub(crate) struct Records {
    items: Vec<(u64, Rec)>,
    index: HashTable<u32>,
}

impl Records {
    /// Records from a vector of distinct keys.
    pub(crate) fn from_distinct(items: Vec<(u64, Rec)>) -> Records {
        let mut index = HashTable::with_capacity(items.len());
        for (i, (key, _)) in items.iter().enumerate() {
            index.insert_unique(*key, i as u32, |&j| items.get(j as usize).map_or(0, |(k, _)| *k));
        }
        Records { items, index }
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn position(&self, key: u64) -> Option<usize> {
        let items = &self.items;
        self.index
            .find(key, |&j| items.get(j as usize).is_some_and(|(k, _)| *k == key))
            .map(|&j| j as usize)
    }

    pub(crate) fn get(&self, key: &u64) -> Option<&Rec> {
        self.position(*key).and_then(|i| self.items.get(i)).map(|(_, r)| r)
    }

    /// `Ok(Some(old))` without changing anything when `key` is present,
    /// else `Ok(None)` after inserting `rec` under it. `Err` when the table
    /// is full: it holds up to `u32::MAX` records (about 100 GB of them).
    pub(crate) fn get_or_insert(&mut self, key: u64, rec: Rec) -> Result<Option<Rec>, ()> {
        let items = &mut self.items;
        let entry = self.index.entry(
            key,
            |&j| items.get(j as usize).is_some_and(|(k, _)| *k == key),
            |&j| items.get(j as usize).map_or(0, |(k, _)| *k),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(o) => Ok(items.get(*o.get() as usize).map(|(_, r)| *r)),
            hashbrown::hash_table::Entry::Vacant(v) => {
                let i = u32::try_from(items.len()).map_err(|_| ())?;
                items.push((key, rec));
                v.insert(i);
                Ok(None)
            }
        }
    }

    /// Replaces the record of a present `key`.
    pub(crate) fn set(&mut self, key: u64, rec: Rec) {
        if let Some(slot) = self.position(key).and_then(|i| self.items.get_mut(i)) {
            slot.1 = rec;
        }
    }

    /// The records in order of arrival.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&u64, &Rec)> {
        self.items.iter().map(|(k, r)| (k, r))
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &Rec> {
        self.items.iter().map(|(_, r)| r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(time: i64) -> Rec {
        Rec { time, group: 0, bits: 0 }
    }

    #[test]
    fn inserts_finds_and_replaces() {
        let mut t = Records::default();
        assert!(t.is_empty());
        // Keys that collide in the low bits the index starts from.
        let keys: Vec<u64> = (0..5_000u64).map(|i| i << 40 | 7).collect();
        for (i, &k) in keys.iter().enumerate() {
            assert_eq!(t.get_or_insert(k, rec(i as i64)), Ok(None));
        }
        for (i, &k) in keys.iter().enumerate() {
            assert_eq!(t.get_or_insert(k, rec(-1)), Ok(Some(rec(i as i64))), "a present key is left alone");
            assert_eq!(t.get(&k), Some(&rec(i as i64)));
        }
        assert_eq!(t.len(), keys.len());
        assert_eq!(t.get(&8), None);
        t.set(keys[3], rec(99));
        t.set(8, rec(5)); // absent: nothing happens
        assert_eq!(t.get(&keys[3]), Some(&rec(99)));
        assert_eq!(t.len(), keys.len());
        let seen: Vec<u64> = t.iter().map(|(k, _)| *k).collect();
        assert_eq!(seen, keys, "records iterate in order of arrival");
        assert_eq!(t.values().count(), keys.len());
        let back = Records::from_distinct(t.iter().map(|(k, r)| (*k, *r)).collect());
        for &k in &keys {
            assert_eq!(back.get(&k), t.get(&k));
        }
    }
}
