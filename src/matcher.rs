//! The one automaton: every pattern of every kind, compiled once, run once
//! per message over the dense view.
//!
//! Leftmost-longest matching reports non-overlapping matches, so a long cue
//! such as `都是诈骗` would hide the keyword `诈骗` inside it. At build time
//! each pattern therefore records the other patterns it contains, and a match
//! of the long one stands for matches of those too: one pass still sees
//! every keyword.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};

use crate::error::{Error, Result};
use crate::lexicon::{EntryKind, Lexicon};
use crate::entities::EntityCue;
use crate::normalize::Normalized;
use crate::types::{Category, EntityKind, FraudType, Role, Stance};

/// What a compiled entry speaks for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Target {
    Fraud(FraudType),
    Category(Category),
    Stance(Stance),
    Signal(u16),
    Entity(EntityKind),
    Allow,
}

/// A compiled lexicon entry.
#[derive(Clone, Debug)]
pub(crate) struct CEntry {
    pub target: Target,
    pub weight: f32,
    pub role: Option<Role>,
    /// The keyword reported for hits (canonical form or the pattern as written).
    pub keyword: Box<str>,
    pub substitution: bool,
}

/// A compiled combo.
#[derive(Clone, Debug)]
pub(crate) struct CCombo {
    pub when: Vec<u16>,
    /// `when` as bits, when every signal of it is below 128.
    pub mask: Option<u128>,
    pub target: Target,
    pub weight: f32,
    pub role: Option<Role>,
}

#[derive(Clone, Debug, Default)]
struct PatternInfo {
    /// Range into `Compiled::entry_ids`.
    entries: (u32, u32),
    /// Other patterns inside this one: (pattern id, byte offset).
    subs: Vec<(u32, u32)>,
    /// Byte offsets inside this pattern where another pattern may start
    /// and run past its end: the rest of this pattern from there is a
    /// proper prefix of another pattern. Only there can leftmost-longest
    /// matching hide a keyword behind this one.
    overhang: Vec<u32>,
    len: u32,
    /// Starts / ends with a Latin letter: needs a word boundary there.
    latin_left: bool,
    latin_right: bool,
    has_allow: bool,
}

/// Signals that the scorer sets from the message itself rather than from
/// lexicon hits. Lexicon combos may name them; they come first in the
/// signal table, in this order, so a signal's index is its discriminant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pseudo {
    RolePolice = 0,
    RoleResident,
    RoleUnknown,
    Question,
    Contact,
    Money,
    Short,
    Fraud,
    StanceWarning,
    StanceInquiry,
    StanceSolicitation,
    StanceVictimReport,
    Url,
}

impl Pseudo {
    /// Every pseudo signal, in table order.
    pub(crate) const ALL: [Pseudo; 13] = [
        Pseudo::RolePolice,
        Pseudo::RoleResident,
        Pseudo::RoleUnknown,
        Pseudo::Question,
        Pseudo::Contact,
        Pseudo::Money,
        Pseudo::Short,
        Pseudo::Fraud,
        Pseudo::StanceWarning,
        Pseudo::StanceInquiry,
        Pseudo::StanceSolicitation,
        Pseudo::StanceVictimReport,
        Pseudo::Url,
    ];

    /// The name lexicon combos use.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Pseudo::RolePolice => "role_police",
            Pseudo::RoleResident => "role_resident",
            Pseudo::RoleUnknown => "role_unknown",
            Pseudo::Question => "question",
            Pseudo::Contact => "contact",
            Pseudo::Money => "money",
            Pseudo::Short => "short",
            Pseudo::Fraud => "fraud",
            Pseudo::StanceWarning => "stance_warning",
            Pseudo::StanceInquiry => "stance_inquiry",
            Pseudo::StanceSolicitation => "stance_solicitation",
            Pseudo::StanceVictimReport => "stance_victim_report",
            Pseudo::Url => "url",
        }
    }

    /// The word a person reads for it in evidence: the taxonomy's Chinese
    /// name where it has one (诈骗引流 for a solicitation).
    pub(crate) const fn label(self) -> &'static str {
        match self {
            Pseudo::RolePolice => "民警发送",
            Pseudo::RoleResident => "群众发送",
            Pseudo::RoleUnknown => "发送者未知",
            Pseudo::Question => "提问",
            Pseudo::Contact => "联系方式",
            Pseudo::Money => "金额",
            Pseudo::Short => "短消息",
            Pseudo::Fraud => "涉诈",
            Pseudo::StanceWarning => "预警宣传",
            Pseudo::StanceInquiry => "求证咨询",
            Pseudo::StanceSolicitation => "诈骗引流",
            Pseudo::StanceVictimReport => "受害报告",
            Pseudo::Url => "链接",
        }
    }

    /// Its index in the signal table.
    pub(crate) const fn index(self) -> usize {
        self as usize
    }
}

/// For every pattern, the other patterns standing inside it, as
/// `(pattern, byte offset)`: in order of their end, and for one end the
/// longest first (the order of an overlapping scan).
///
/// Short patterns, the usual case, are cut into their substrings and looked
/// up in a map; when that would take too many lookups (long patterns), one
/// overlapping scan of each pattern with a standard automaton finds the
/// same. A unit test checks the two agree.
fn patterns_inside(order: &[String]) -> Result<Vec<Vec<(u32, u32)>>> {
    /// Substring lookups allowed before the automaton is cheaper.
    const LOOKUP_BUDGET: usize = 2_000_000;
    let max_len = order.iter().map(String::len).max().unwrap_or(0);
    let lookups: usize = order
        .iter()
        .map(|p| {
            let n = p.chars().count();
            n.saturating_mul(n.min(max_len))
        })
        .fold(0usize, usize::saturating_add);
    if lookups <= LOOKUP_BUDGET {
        Ok(inside_by_lookup(order, max_len))
    } else {
        inside_by_scan(order)
    }
}

fn inside_by_lookup(order: &[String], max_len: usize) -> Vec<Vec<(u32, u32)>> {
    let ids: HashMap<&str, u32> = order.iter().enumerate().map(|(i, p)| (p.as_str(), i as u32)).collect();
    let mut bounds: Vec<usize> = Vec::new();
    order
        .iter()
        .enumerate()
        .map(|(i, p)| {
            bounds.clear();
            bounds.extend(p.char_indices().map(|(o, _)| o));
            bounds.push(p.len());
            let mut subs = Vec::new();
            for (k, &e) in bounds.iter().enumerate().skip(1) {
                for &st in bounds.get(..k).unwrap_or(&[]) {
                    if e - st > max_len {
                        continue;
                    }
                    if let Some(&j) = p.get(st..e).and_then(|t| ids.get(t)) {
                        if j as usize != i {
                            subs.push((j, st as u32));
                        }
                    }
                }
            }
            subs
        })
        .collect()
}

fn inside_by_scan(order: &[String]) -> Result<Vec<Vec<(u32, u32)>>> {
    let standard = AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        // Used once here: the NFA as built, not converted further.
        .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
        .build(order)
        .map_err(|e| Error::Lexicon(format!("cannot compile the automaton: {e}")))?;
    Ok(order
        .iter()
        .enumerate()
        .map(|(i, p)| {
            standard
                .find_overlapping_iter(p.as_str())
                .map(|m| (m.pattern().as_u32(), m.start() as u32))
                .filter(|(j, _)| *j as usize != i)
                .collect()
        })
        .collect())
}

/// The lexicon compiled into one automaton plus per-pattern entry lists.
pub(crate) struct Compiled {
    ac: Option<AhoCorasick>,
    patterns: Vec<PatternInfo>,
    entry_ids: Vec<u32>,
    pub entries: Vec<CEntry>,
    pub combos: Vec<CCombo>,
    /// The indices of `combos` by the family of their target (fraud,
    /// stance, category), in order: scoring walks only one family's list.
    pub combos_by_family: [Vec<u32>; 3],
    pub signal_names: Vec<String>,
    has_allow: bool,
}

/// One matched pattern occurrence in the dense view.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawHit {
    pub pattern: u32,
    pub start: u32,
    pub end: u32,
    /// Reported by the automaton itself, not derived from a containing match.
    pub top: bool,
    /// Suppressed by an allow-word.
    pub allowed: bool,
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic()
}

impl Compiled {
    /// The entity cues among the hits (`加微信`, `QQ：`): where, in the
    /// folded text, an id may follow.
    pub(crate) fn entity_cues(&self, hits: &[RawHit], norm: &Normalized, out: &mut Vec<EntityCue>) {
        out.clear();
        for h in hits.iter().filter(|h| !h.allowed) {
            for (_, e) in self.entries_of_indexed(h.pattern) {
                if let Target::Entity(kind) = e.target {
                    let end = h.end.checked_sub(1).map_or(0, |last| norm.dense_to_folded(last as usize) + 1);
                    out.push(EntityCue { kind, end });
                }
            }
        }
    }

    /// Visit the reported hits: fraud keywords (a keyword of a reported
    /// type speaks for that type, others keep their own) and disguised
    /// channel words (`薇信`, `ＱＱ`: they speak for the primary type), in
    /// text order, without hits nested inside an earlier reported one.
    pub(crate) fn reported_hits<'s>(
        &'s self,
        hits: &[RawHit],
        norm: &Normalized,
        types: &[FraudType],
        mut visit: impl FnMut(&RawHit, FraudType, &'s str, bool),
    ) {
        let c = self;
        let primary = types.first().copied().unwrap_or(FraudType::Generic);
        let mut last_end = 0u32;
        let mut any = false;
        for h in hits.iter().filter(|h| !h.allowed) {
            let mut chosen: Option<(FraudType, &str, bool, u8)> = None;
            let obfuscated = norm.obfuscated(h.start as usize, h.end as usize);
            for (_, e) in c.entries_of_indexed(h.pattern) {
                let candidate = match e.target {
                    Target::Fraud(t) if types.contains(&t) => Some((t, 3u8)),
                    Target::Fraud(t) if t == FraudType::Generic => Some((t, 2)),
                    Target::Fraud(t) => Some((t, 1)),
                    Target::Signal(_) | Target::Entity(_) if e.substitution || obfuscated => Some((primary, 0)),
                    _ => None,
                };
                if let Some((t, rank)) = candidate {
                    if chosen.map_or(true, |(_, _, _, r)| rank > r) {
                        chosen = Some((t, &e.keyword, e.substitution, rank));
                    }
                }
            }
            let Some((fraud_type, keyword, substitution, _)) = chosen else { continue };
            if any && h.end <= last_end {
                continue;
            }
            any = true;
            last_end = last_end.max(h.end);
            visit(h, fraud_type, keyword, substitution || obfuscated);
        }
    }


    pub(crate) fn build(lex: &Lexicon) -> Result<Compiled> {
        let mut signal_names: Vec<String> = Pseudo::ALL.iter().map(|p| p.name().to_owned()).collect();
        let mut signal_ix: HashMap<String, u16> =
            signal_names.iter().enumerate().map(|(i, n)| (n.clone(), i as u16)).collect();

        let mut by_pattern: HashMap<String, Vec<u32>> = HashMap::new();
        let mut order: Vec<String> = Vec::new();
        let mut entries = Vec::with_capacity(lex.entries().len());
        let keys = lex.keys();
        for (e, k) in lex.entries().iter().zip(keys.iter()) {
            let target = match e.kind {
                EntryKind::Fraud => Target::Fraud(e.fraud_type.unwrap_or(FraudType::Generic)),
                EntryKind::Category => Target::Category(e.category.unwrap_or(Category::Other)),
                EntryKind::Stance => Target::Stance(e.stance.unwrap_or(Stance::Warning)),
                EntryKind::Entity => Target::Entity(e.entity.unwrap_or(EntityKind::WechatId)),
                EntryKind::Allow => Target::Allow,
                EntryKind::Signal => {
                    let name = e.signal.clone().unwrap_or_default();
                    let next = signal_ix.len();
                    let ix = *signal_ix.entry(name.clone()).or_insert_with(|| {
                        signal_names.push(name);
                        next as u16
                    });
                    Target::Signal(ix)
                }
            };
            if signal_names.len() > u16::MAX as usize {
                return Err(Error::Lexicon("too many distinct signal names".into()));
            }
            // The layering key holds the normalised pattern.
            let p = &k.0;
            let id = entries.len() as u32;
            entries.push(CEntry {
                target,
                weight: e.weight,
                role: e.role,
                keyword: e.reported_keyword(),
                substitution: e.substitution,
            });
            match by_pattern.get_mut(p) {
                Some(ids) => ids.push(id),
                None => {
                    order.push(p.clone());
                    by_pattern.insert(p.clone(), vec![id]);
                }
            }
        }

        let mut combos = Vec::with_capacity(lex.combos().len());
        for (i, c) in lex.combos().iter().enumerate() {
            let mut when = Vec::with_capacity(c.when.len());
            for s in &c.when {
                match signal_ix.get(s) {
                    Some(&ix) => when.push(ix),
                    None => {
                        return Err(Error::Lexicon(format!(
                            "combo {i}: field \"when\": unknown signal {s:?} (no entry defines it)"
                        )))
                    }
                }
            }
            let target = if let Some(t) = c.fraud_type {
                Target::Fraud(t)
            } else if let Some(s) = c.stance {
                Target::Stance(s)
            } else if let Some(cat) = c.category {
                Target::Category(cat)
            } else {
                return Err(Error::Lexicon(format!("combo {i}: no target")));
            };
            let mask = when.iter().try_fold(0u128, |m, &s| (s < 128).then(|| m | 1 << s));
            combos.push(CCombo { when, mask, target, weight: c.weight, role: c.role });
        }

        let mut patterns = Vec::with_capacity(order.len());
        let mut entry_ids = Vec::with_capacity(entries.len());
        let mut has_allow = false;
        for p in &order {
            let ids = by_pattern.get(p).cloned().unwrap_or_default();
            let start = entry_ids.len() as u32;
            let allow = ids.iter().any(|&i| entries.get(i as usize).is_some_and(|e| e.target == Target::Allow));
            has_allow |= allow;
            entry_ids.extend_from_slice(&ids);
            patterns.push(PatternInfo {
                entries: (start, entry_ids.len() as u32),
                subs: Vec::new(),
                overhang: Vec::new(),
                len: p.len() as u32,
                latin_left: p.chars().next().is_some_and(is_latin),
                latin_right: p.chars().next_back().is_some_and(is_latin),
                has_allow: allow,
            });
        }

        let ac = if order.is_empty() {
            None
        } else {
            let ac = AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Both)
                .build(&order)
                .map_err(|e| Error::Lexicon(format!("cannot compile the automaton: {e}")))?;
            let inside = patterns_inside(&order)?;
            // Every proper prefix of every pattern, to find overhangs.
            let mut prefixes: std::collections::HashSet<&str> = std::collections::HashSet::new();
            for p in &order {
                for (i, _) in p.char_indices().skip(1) {
                    if let Some(pre) = p.get(..i) {
                        prefixes.insert(pre);
                    }
                }
            }
            for (i, p) in order.iter().enumerate() {
                let overhang: Vec<u32> = p
                    .char_indices()
                    .skip(1)
                    .filter(|(o, _)| p.get(*o..).is_some_and(|rest| prefixes.contains(rest)))
                    .map(|(o, _)| o as u32)
                    .collect();
                if let Some(info) = patterns.get_mut(i) {
                    info.overhang = overhang;
                }
                if let (Some(info), Some(subs)) = (patterns.get_mut(i), inside.get(i)) {
                    info.subs = subs.clone();
                }
            }
            Some(ac)
        };

        let mut combos_by_family: [Vec<u32>; 3] = Default::default();
        for (i, k) in combos.iter().enumerate() {
            let f = match k.target {
                Target::Fraud(_) => 0,
                Target::Stance(_) => 1,
                _ => 2,
            };
            if let Some(list) = combos_by_family.get_mut(f) {
                list.push(i as u32);
            }
        }
        Ok(Compiled { ac, patterns, entry_ids, entries, combos, combos_by_family, signal_names, has_allow })
    }

    /// A compiled empty lexicon.
    pub(crate) fn empty() -> Compiled {
        Compiled {
            ac: None,
            patterns: Vec::new(),
            entry_ids: Vec::new(),
            entries: Vec::new(),
            combos: Vec::new(),
            combos_by_family: Default::default(),
            signal_names: Pseudo::ALL.iter().map(|p| p.name().to_owned()).collect(),
            has_allow: false,
        }
    }

    /// The entries of pattern `p`, with their indices.
    pub(crate) fn entries_of_indexed(&self, p: u32) -> impl Iterator<Item = (u32, &CEntry)> {
        let (a, b) = self.patterns.get(p as usize).map_or((0, 0), |i| i.entries);
        self.entry_ids
            .get(a as usize..b as usize)
            .unwrap_or(&[])
            .iter()
            .filter_map(|&i| self.entries.get(i as usize).map(|e| (i, e)))
    }

    /// Number of distinct patterns in the automaton.
    pub(crate) fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    fn boundary_ok(&self, n: &Normalized, text: &str, info: &PatternInfo, s: usize, e: usize) -> bool {
        if !(info.latin_left || info.latin_right) {
            return true;
        }
        let Some((os, oe)) = n.dense_to_original(s, e) else { return false };
        if info.latin_left {
            let before = text.get(..os).and_then(|t| t.chars().next_back()).map(|c| crate::normalize::fold_simple(c).0);
            if before.is_some_and(is_latin) {
                return false;
            }
        }
        if info.latin_right {
            let after = text.get(oe..).and_then(|t| t.chars().next()).map(|c| crate::normalize::fold_simple(c).0);
            if after.is_some_and(is_latin) {
                return false;
            }
        }
        true
    }

    /// Run the automaton over `n.dense` and push every hit, expanded with
    /// the patterns contained in each match, into `out` (sorted by start).
    pub(crate) fn scan(&self, n: &Normalized, text: &str, out: &mut Vec<RawHit>) {
        out.clear();
        let Some(ac) = &self.ac else { return };
        let hay = n.dense.as_str();
        for m in ac.find_iter(Input::new(hay)) {
            let pid = m.pattern().as_u32();
            let Some(info) = self.patterns.get(pid as usize) else { continue };
            let (s, e) = (m.start(), m.end());
            if !self.boundary_ok(n, text, info, s, e) {
                continue;
            }
            out.push(RawHit { pattern: pid, start: s as u32, end: e as u32, top: true, allowed: info.has_allow });
            // Patterns that start inside this match and run past its end:
            // leftmost-longest matching skips them (`刚被` hides `被骗`).
            for &off in &info.overhang {
                let at = s + off as usize;
                let input = Input::new(hay).range(at..).anchored(Anchored::Yes);
                let Ok(Some(m2)) = ac.try_find(input) else { continue };
                if m2.end() <= e {
                    continue;
                }
                let p2 = m2.pattern().as_u32();
                let Some(i2) = self.patterns.get(p2 as usize) else { continue };
                if self.boundary_ok(n, text, i2, m2.start(), m2.end()) {
                    out.push(RawHit { pattern: p2, start: m2.start() as u32, end: m2.end() as u32, top: true, allowed: i2.has_allow });
                }
            }
            for &(sub, off) in &info.subs {
                let Some(si) = self.patterns.get(sub as usize) else { continue };
                let ss = s + off as usize;
                let se = ss + si.len as usize;
                if self.boundary_ok(n, text, si, ss, se) {
                    out.push(RawHit { pattern: sub, start: ss as u32, end: se as u32, top: false, allowed: info.has_allow });
                }
            }
        }
        if self.has_allow {
            self.apply_allow(out);
        }
        out.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    }

    /// Mark hits overlapped by an allow-word: allow matches the automaton
    /// reported, and those that start inside another match (found above).
    fn apply_allow(&self, out: &mut [RawHit]) {
        let allow_spans: Vec<(u32, u32)> = out
            .iter()
            .filter(|h| h.top && self.patterns.get(h.pattern as usize).is_some_and(|i| i.has_allow))
            .map(|h| (h.start, h.end))
            .collect();
        if allow_spans.is_empty() {
            return;
        }
        for h in out.iter_mut() {
            if allow_spans.iter().any(|&(a, b)| h.start < b && a < h.end) {
                h.allowed = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_and_scan_find_the_same_patterns_inside() {
        // The default lexicon's patterns as compiled.
        let lex = Lexicon::default_lexicon();
        let mut seen = std::collections::HashSet::new();
        let order: Vec<String> = lex.keys().iter().map(|k| k.0.clone()).filter(|p| seen.insert(p.clone())).collect();
        let max_len = order.iter().map(String::len).max().unwrap();
        let by_lookup = inside_by_lookup(&order, max_len);
        assert_eq!(by_lookup, inside_by_scan(&order).unwrap());
        assert!(by_lookup.iter().filter(|s| !s.is_empty()).count() > 100);
        // Random sets over a small alphabet: much containment and overlap.
        let alphabet: Vec<char> = "刷单返利ab1".chars().collect();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |m: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % m as u64) as usize
        };
        for _ in 0..50 {
            let mut set = std::collections::BTreeSet::new();
            for _ in 0..(1 + next(60)) {
                let n = 1 + next(7);
                set.insert((0..n).map(|_| alphabet[next(alphabet.len())]).collect::<String>());
            }
            let order: Vec<String> = set.into_iter().collect();
            let max_len = order.iter().map(String::len).max().unwrap();
            assert_eq!(inside_by_lookup(&order, max_len), inside_by_scan(&order).unwrap(), "{order:?}");
        }
    }

    fn compile(json: &str) -> Compiled {
        Compiled::build(&Lexicon::from_json(json).unwrap()).unwrap()
    }

    fn hits(c: &Compiled, text: &str) -> Vec<(String, bool, bool)> {
        let mut n = Normalized::default();
        n.run(text);
        let mut out = Vec::new();
        c.scan(&n, text, &mut out);
        out.iter()
            .map(|h| {
                let (a, b) = n.dense_to_original(h.start as usize, h.end as usize).unwrap();
                (text[a..b].to_owned(), h.top, h.allowed)
            })
            .collect()
    }

    #[test]
    fn contained_patterns_are_seen_inside_longer_ones() {
        let c = compile(
            r#"{"entries":[{"pattern":"诈骗","kind":"fraud","type":"generic"},
                           {"pattern":"都是诈骗","kind":"stance","stance":"warning"}]}"#,
        );
        assert_eq!(hits(&c, "刷单都是诈骗"), vec![("都是诈骗".into(), true, false), ("诈骗".into(), false, false)]);
    }

    #[test]
    fn overhanging_patterns_are_not_hidden() {
        let c = compile(
            r#"{"entries":[{"pattern":"刚被","kind":"stance","stance":"victim_report"},
                           {"pattern":"被骗了","kind":"fraud","type":"generic"}]}"#,
        );
        let h = hits(&c, "我刚被骗了");
        assert!(h.contains(&("刚被".into(), true, false)), "{h:?}");
        assert!(h.contains(&("被骗了".into(), true, false)), "{h:?}");
    }

    #[test]
    fn allow_words_suppress_what_they_overlap() {
        let c = compile(
            r#"{"entries":[{"pattern":"刷单","kind":"fraud","type":"task_rebate"},
                           {"pattern":"单位","kind":"allow"}]}"#,
        );
        assert!(hits(&c, "去刷单位的卡").iter().filter(|h| h.0 == "刷单").all(|h| h.2));
        assert!(hits(&c, "网上刷单").iter().all(|h| !h.2));
    }

    #[test]
    fn latin_patterns_need_word_boundaries() {
        let c = compile(r#"{"entries":[{"pattern":"vx","kind":"signal","signal":"channel"}]}"#);
        assert_eq!(hits(&c, "加vx：abc").len(), 1);
        assert_eq!(hits(&c, "加VX123").len(), 1);
        assert!(hits(&c, "linvxa").is_empty());
        assert!(hits(&c, "ＶＸａ").is_empty());
    }

    #[test]
    fn combos_naming_unknown_signals_are_refused() {
        let lex = Lexicon::from_json(r#"{"entries":[],"combos":[{"when":["nope"],"type":"romance"}]}"#).unwrap();
        assert!(Compiled::build(&lex).is_err());
        let empty = Compiled::build(&Lexicon::default()).unwrap();
        assert_eq!(empty.pattern_count(), 0);
    }
}

#[cfg(test)]
mod pseudo_tests {
    use super::Pseudo;

    /// A pseudo signal's index is its place in the table, and names are
    /// distinct: a signal is an enum variant, never a name looked up at run
    /// time (a misspelt name silently mapped to signal 0).
    #[test]
    fn pseudo_signals_index_their_table() {
        for (i, p) in Pseudo::ALL.iter().enumerate() {
            assert_eq!(p.index(), i, "{p:?}");
        }
        let mut names: Vec<&str> = Pseudo::ALL.iter().map(|p| p.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Pseudo::ALL.len());
    }
}
