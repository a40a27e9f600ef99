//! Entity extraction with validation (taxonomy §3).
//!
//! Works on the FOLDED text the engine builds (full-width ASCII turned into
//! ASCII, letters lower-cased, Traditional folded to Simplified, circled and
//! financial numerals and long runs of Chinese digits turned into ASCII
//! digits) and answers folded byte offsets; the engine maps them back to the
//! original. One left-to-right scan proposes candidates of every kind, then
//! overlaps are resolved so that each byte belongs to at most one entity,
//! preferring the more specific kind: cue-driven ids (WeChat, QQ), then ID
//! cards, bank cards, phones, URLs, licence plates and money. A number that
//! lies inside a URL is part of the URL.
//!
//! Nothing here indexes input-derived data without a check: every byte read
//! goes through [`at`] or `get`, so arbitrary input never panics.

use std::collections::BTreeMap;

use crate::normalize::IDEOGRAPHS;
use crate::types::EntityKind;

mod contacts;
mod ids;
mod money;
mod numerals;
mod plates;
mod text;
mod urls;

use contacts::*;
use ids::*;
use money::*;
use numerals::*;
use plates::*;
use text::*;
use urls::*;

pub(crate) use numerals::parse_chinese_number;

/// Where the engine's cue automaton found a WeChat or QQ cue (微信, vx, 扣扣,
/// qq, …) in the folded text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct EntityCue {
    /// [`EntityKind::WechatId`] or [`EntityKind::QqNumber`]; other kinds are
    /// ignored.
    pub kind: EntityKind,
    /// Folded byte offset just past the cue.
    pub end: usize,
}

/// An entity found in the folded text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Found {
    /// What kind of entity.
    pub kind: EntityKind,
    /// Folded byte offset of the first byte.
    pub start: usize,
    /// Folded byte offset just past the entity.
    pub end: usize,
    /// The normalised value: yuan for money, `None` for the other kinds.
    pub value: Option<f64>,
}

/// A candidate before overlap resolution; `prio` 0 is the most specific.
struct Cand {
    prio: u8,
    found: Found,
}

fn prio_of(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::WechatId | EntityKind::QqNumber => 0,
        EntityKind::IdCard => 1,
        EntityKind::BankCard => 2,
        EntityKind::Phone => 3,
        EntityKind::Url => 4,
        EntityKind::LicensePlate => 5,
        EntityKind::Money => 6,
    }
}

fn push(cands: &mut Vec<Cand>, kind: EntityKind, start: usize, end: usize, value: Option<f64>) {
    if start < end {
        cands.push(Cand { prio: prio_of(kind), found: Found { kind, start, end, value } });
    }
}

/// Appends the entities of `folded`, sorted by start, non-overlapping.
///
/// `cues` are the WeChat / QQ cues the engine's automaton found; the id or
/// number that follows a cue (after a few separators such as spaces, `:`,
/// `号`, `是`) is reported without the cue.
pub(crate) fn find_entities(folded: &str, cues: &[EntityCue], out: &mut Vec<Found>) {
    let mut cands: Vec<Cand> = Vec::new();
    for cue in cues {
        scan_cue(folded, cue, &mut cands);
    }
    let mut prev: Option<char> = None;
    for (i, c) in folded.char_indices() {
        if plain_ideograph(c) {
            // None of the scans below starts at this character.
            prev = Some(c);
            continue;
        }
        if c.is_ascii_digit() && !prev.is_some_and(|p| p.is_ascii_digit()) {
            scan_digit_run(folded, i, prev, &mut cands);
        }
        if c.is_ascii_alphanumeric() && url_boundary(prev) {
            scan_url(folded, i, &mut cands);
        }
        if is_numeral_char(c) && money_run_start(folded, i, prev) {
            if let Some((s, e, v)) = scan_money(folded, i, None) {
                push(&mut cands, EntityKind::Money, s, e, Some(v));
            }
        }
        scan_money_prefix(folded, i, c, prev, &mut cands);
        if is_province(c) {
            scan_plate(folded, i, c, &mut cands);
        }
        prev = Some(c);
    }
    resolve(cands, out);
}

/// Per ideograph, one bit: set where a scan of [`find_entities`] can start
/// (numerals and multipliers, 人 of 人民币, province abbreviations).
static SCAN_STARTS: once_cell::sync::Lazy<Vec<u64>> = once_cell::sync::Lazy::new(|| {
    let mut bits = vec![0u64; IDEOGRAPHS.len().div_ceil(64)];
    for u in IDEOGRAPHS {
        let Some(c) = char::from_u32(u) else { continue };
        if is_numeral_char(c) || c == '人' || is_province(c) {
            let k = (u - IDEOGRAPHS.start) as usize;
            if let Some(w) = bits.get_mut(k / 64) {
                *w |= 1 << (k % 64);
            }
        }
    }
    bits
});

/// An ideograph at which no entity scan starts: the bulk of Chinese text,
/// passed over with one table read.
#[inline]
fn plain_ideograph(c: char) -> bool {
    let u = c as u32;
    if !IDEOGRAPHS.contains(&u) {
        return false;
    }
    let k = (u - IDEOGRAPHS.start) as usize;
    SCAN_STARTS.get(k / 64).is_some_and(|w| w & (1 << (k % 64)) == 0)
}


// ---------------------------------------------------------------------------
// Overlap resolution
// ---------------------------------------------------------------------------

fn resolve(mut cands: Vec<Cand>, out: &mut Vec<Found>) {
    // Union of URL ranges: a number inside a link belongs to the link.
    let mut urls: Vec<(usize, usize)> =
        cands.iter().filter(|c| c.found.kind == EntityKind::Url).map(|c| (c.found.start, c.found.end)).collect();
    urls.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(urls.len());
    for (s, e) in urls {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let inside_url = |s: usize, e: usize| {
        let k = merged.partition_point(|u| u.0 <= s);
        k > 0 && merged.get(k - 1).is_some_and(|u| e <= u.1)
    };
    cands.retain(|c| c.prio == 0 || c.found.kind == EntityKind::Url || !inside_url(c.found.start, c.found.end));

    cands.sort_by(|a, b| {
        a.prio
            .cmp(&b.prio)
            .then(a.found.start.cmp(&b.found.start))
            .then((b.found.end - b.found.start).cmp(&(a.found.end - a.found.start)))
    });
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut accepted: Vec<Found> = Vec::new();
    for c in cands {
        let (s, e) = (c.found.start, c.found.end);
        if s >= e {
            continue;
        }
        if let Some((_, &pe)) = taken.range(..e).next_back() {
            if pe > s {
                continue;
            }
        }
        taken.insert(s, e);
        accepted.push(c.found);
    }
    accepted.sort_by_key(|f| f.start);
    out.extend(accepted);
}


#[cfg(test)]
pub(crate) mod tests;
