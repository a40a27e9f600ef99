//! Scorers: read the tagged hits of the one automaton pass and decide fraud
//! types, stance, risk and the work category.
//!
//! Every decision is a sum of lexicon weights: keyword and cue weights, plus
//! combo weights where all the signals a combo names were seen. Signals come
//! from lexicon entries and from the message itself (sender role, question
//! marks, contact entities, …; see `matcher::Pseudo`). The features
//! that decided the category are kept as evidence.

use crate::analysis::Evidence;
use crate::matcher::{CCombo, Compiled, Pseudo, RawHit, Target};
use crate::types::{Category, FraudType, Role, Stance};

/// A fraud type needs at least this much weight to be reported.
pub(crate) const TYPE_THRESHOLD: f32 = 1.0;

/// Number of fraud type slots (codes 0–17 and 99 folded onto slot 18).
const TYPE_SLOTS: usize = 19;

pub(crate) fn type_slot(t: FraudType) -> usize {
    match t {
        FraudType::Generic => 18,
        other => (other.code() as usize).min(TYPE_SLOTS - 1),
    }
}

fn slot_type(i: usize) -> FraudType {
    if i == 18 {
        FraudType::Generic
    } else {
        FraudType::from_code(i as u32).unwrap_or(FraudType::None)
    }
}

/// Per-message scoring state, reused across messages.
#[derive(Default, Debug)]
pub(crate) struct Scores {
    pub signals: Vec<bool>,
    /// `signals` below 128 as bits, for combos whose signals all are.
    signal_bits: u128,
    pub type_score: [f32; TYPE_SLOTS],
    pub stance_score: [f32; 5],
    pub cat_score: [f32; 8],
    /// Category evidence: (entry index or combo marker, category, weight).
    pub evidence: Vec<(EvidenceSource, Category, f32)>,
    /// Patterns already counted, so a repeated keyword counts once: any
    /// occurrence, and occurrences the automaton reported itself.
    seen: Vec<u32>,
    seen_top: Vec<u32>,
}

/// Where a piece of evidence came from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum EvidenceSource {
    Entry(u32),
    Combo(u32),
}

fn role_ok(want: Option<Role>, role: Role) -> bool {
    want.map_or(true, |w| w == role)
}

impl Scores {
    pub(crate) fn reset(&mut self, n_signals: usize) {
        self.signals.clear();
        self.signals.resize(n_signals, false);
        self.signal_bits = 0;
        self.type_score = [0.0; TYPE_SLOTS];
        self.stance_score = [0.0; 5];
        self.cat_score = [0.0; 8];
        self.evidence.clear();
        self.seen.clear();
        self.seen_top.clear();
    }

    fn add_type(&mut self, t: FraudType, w: f32) {
        if let Some(x) = self.type_score.get_mut(type_slot(t)) {
            *x += w;
        }
    }

    /// The weight gathered for fraud type `t`.
    pub(crate) fn type_score_of(&self, t: FraudType) -> f32 {
        self.type_score.get(type_slot(t)).copied().unwrap_or(0.0)
    }

    pub(crate) fn set(&mut self, signal: Pseudo) {
        self.mark(signal.index());
    }

    /// Signal `i` was seen.
    #[inline]
    fn mark(&mut self, i: usize) {
        if let Some(s) = self.signals.get_mut(i) {
            *s = true;
            if i < 128 {
                self.signal_bits |= 1 << i;
            }
        }
    }

    /// Add the weights of the hits' entries. Fraud keywords and signals
    /// count wherever they stand, also inside a longer pattern; category
    /// and stance cues count only where the automaton reported them, so the
    /// longer phrase decides (`点赞关注` is a lure, not praise).
    pub(crate) fn add_hits(&mut self, c: &Compiled, hits: &[RawHit], role: Role) {
        for h in hits {
            let first_any = !self.seen.contains(&h.pattern);
            let first_top = h.top && !self.seen_top.contains(&h.pattern);
            if !first_any && !first_top {
                continue;
            }
            if first_any {
                self.seen.push(h.pattern);
            }
            if first_top {
                self.seen_top.push(h.pattern);
            }
            for (ei, e) in entry_iter(c, h.pattern) {
                if !role_ok(e.role, role) {
                    continue;
                }
                match e.target {
                    Target::Fraud(t) if !h.allowed && first_any => self.add_type(t, e.weight),
                    Target::Signal(s) => self.mark(s as usize),
                    _ if !first_top => {}
                    Target::Stance(s) => {
                        if let Some(x) = self.stance_score.get_mut(s.code() as usize) {
                            *x += e.weight;
                        }
                    }
                    Target::Category(cat) => {
                        if let Some(x) = self.cat_score.get_mut(cat.code() as usize) {
                            *x += e.weight;
                        }
                        self.evidence.push((EvidenceSource::Entry(ei), cat, e.weight));
                    }
                    _ => {}
                }
            }
        }
    }

    fn combo_fires(&self, k: &CCombo, role: Role) -> bool {
        role_ok(k.role, role)
            && match k.mask {
                Some(m) => self.signal_bits & m == m,
                None => k.when.iter().all(|&s| self.signals.get(s as usize).copied().unwrap_or(false)),
            }
    }

    /// Add combo weights for targets of one family.
    pub(crate) fn apply_combos(&mut self, c: &Compiled, role: Role, family: Family) {
        let list = c.combos_by_family.get(family as usize).map_or(&[][..], Vec::as_slice);
        for &i in list {
            let Some(k) = c.combos.get(i as usize) else { continue };
            if !self.combo_fires(k, role) {
                continue;
            }
            match k.target {
                Target::Fraud(t) => self.add_type(t, k.weight),
                Target::Stance(s) => {
                    if let Some(x) = self.stance_score.get_mut(s.code() as usize) {
                        *x += k.weight;
                    }
                }
                Target::Category(cat) => {
                    if let Some(x) = self.cat_score.get_mut(cat.code() as usize) {
                        *x += k.weight;
                    }
                    self.evidence.push((EvidenceSource::Combo(i), cat, k.weight));
                }
                _ => {}
            }
        }
    }

    /// Fraud types over the threshold, strongest first; `generic` only when
    /// no specific type qualifies.
    pub(crate) fn fraud_types(&self, out: &mut Vec<FraudType>) {
        out.clear();
        let mut ranked: Vec<(usize, f32)> = self
            .type_score
            .iter()
            .enumerate()
            .filter(|(i, s)| *i != 0 && **s >= TYPE_THRESHOLD)
            .map(|(i, s)| (i, *s))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let specific = ranked.iter().any(|(i, _)| *i != 18);
        for (i, s) in ranked {
            if i == 18 && specific {
                continue;
            }
            // Secondary types must be substantial next to the primary.
            if let Some(first) = out.first() {
                if s < 0.6 * self.type_score_of(*first) {
                    continue;
                }
            }
            out.push(slot_type(i));
        }
    }

    /// The stance with the highest score (ties go to the earlier code).
    pub(crate) fn stance(&self) -> Stance {
        let mut best = Stance::Warning;
        let mut best_score = f32::MIN;
        for s in [Stance::Warning, Stance::Inquiry, Stance::Solicitation, Stance::VictimReport] {
            let v = self.stance_score.get(s.code() as usize).copied().unwrap_or(0.0);
            if v > best_score {
                best = s;
                best_score = v;
            }
        }
        best
    }

    /// The category with the highest score and a confidence from 0 to 1.
    pub(crate) fn category(&self) -> (Category, f32) {
        let mut best = Category::Other;
        let mut best_score = self.cat_score[0];
        for c in Category::ALL.iter().skip(1) {
            let v = self.cat_score.get(c.code() as usize).copied().unwrap_or(0.0);
            if v > best_score {
                best = *c;
                best_score = v;
            }
        }
        // Softmax over the category scores.
        let max = self.cat_score.iter().copied().fold(f32::MIN, f32::max);
        let sum: f32 = self.cat_score.iter().map(|s| (s - max).exp()).sum();
        let conf = if sum > 0.0 { (best_score - max).exp() / sum } else { 0.0 };
        (best, (conf * 100.0).round() / 100.0)
    }

    /// Readable evidence for the chosen category, strongest first.
    pub(crate) fn evidence_for(&self, c: &Compiled, hits: &[RawHit], cat: Category, out: &mut Vec<Evidence>) {
        out.clear();
        for (src, ec, w) in &self.evidence {
            if *ec != cat || *w == 0.0 {
                continue;
            }
            let feature = match src {
                EvidenceSource::Entry(i) => c.entries.get(*i as usize).map(|e| e.keyword.to_string()).unwrap_or_default(),
                EvidenceSource::Combo(i) => c
                    .combos
                    .get(*i as usize)
                    .map(|k| k.when.iter().map(|&s| signal_word(c, hits, s)).collect::<Vec<_>>().join("+"))
                    .unwrap_or_default(),
            };
            out.push(Evidence { feature, category: *ec, weight: *w });
        }
        out.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        out.truncate(8);
    }
}

/// The word that shows signal `s` in evidence: a pseudo signal's label
/// (诈骗引流, 提问), else the keyword of the message's first hit that set
/// it (a cue family such as `law` is shown as the 《刑法》 that fired it),
/// else the signal's name.
fn signal_word<'c>(c: &'c Compiled, hits: &[RawHit], s: u16) -> &'c str {
    if let Some(p) = Pseudo::ALL.get(s as usize) {
        return p.label();
    }
    hits.iter()
        .find_map(|h| c.entries_of_indexed(h.pattern).find(|(_, e)| e.target == Target::Signal(s)).map(|(_, e)| &*e.keyword))
        .or_else(|| c.signal_names.get(s as usize).map(String::as_str))
        .unwrap_or("")
}

/// Which scores a pass of combos feeds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Family {
    Fraud = 0,
    Stance = 1,
    Category = 2,
}

fn entry_iter(c: &Compiled, pattern: u32) -> impl Iterator<Item = (u32, &crate::matcher::CEntry)> {
    c.entries_of_indexed(pattern)
}

/// Risk from 0 to 100, explainable from the stance, the hits and the
/// entities: the stance sets the band, keyword strength, disguise and
/// contact details move within it.
pub(crate) fn risk(stance: Stance, type_score: f32, obfuscated_hits: usize, contacts: usize) -> u32 {
    let (base, span) = match stance {
        Stance::None => return 0,
        Stance::Warning => (10.0, 20.0),
        Stance::Inquiry => (40.0, 25.0),
        Stance::VictimReport => (75.0, 20.0),
        Stance::Solicitation => (75.0, 25.0),
    };
    let strength = (type_score / 4.0).min(1.0) * 0.4;
    let disguise = if obfuscated_hits > 0 { 0.35 } else { 0.0 };
    let contact = if contacts > 0 { 0.25 } else { 0.0 };
    let r: f32 = base + span * (strength + disguise + contact);
    (r.round() as u32).min(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_need_the_threshold_and_generic_yields_to_specific() {
        let mut s = Scores::default();
        s.reset(PSEUDO_COUNT);
        s.type_score[type_slot(FraudType::TaskRebate)] = 0.9;
        let mut out = Vec::new();
        s.fraud_types(&mut out);
        assert!(out.is_empty());
        s.type_score[type_slot(FraudType::TaskRebate)] = 2.0;
        s.type_score[type_slot(FraudType::Generic)] = 3.0;
        s.type_score[type_slot(FraudType::Investment)] = 1.1;
        s.fraud_types(&mut out);
        // Generic drops out; a secondary type needs 60 % of the primary.
        assert_eq!(out, vec![FraudType::TaskRebate]);
        s.type_score[type_slot(FraudType::Investment)] = 1.5;
        s.fraud_types(&mut out);
        assert_eq!(out, vec![FraudType::TaskRebate, FraudType::Investment]);
        s.reset(PSEUDO_COUNT);
        s.type_score[type_slot(FraudType::Generic)] = 1.0;
        s.fraud_types(&mut out);
        assert_eq!(out, vec![FraudType::Generic]);
    }

    #[test]
    fn risk_bands_follow_the_stance() {
        assert_eq!(risk(Stance::None, 9.0, 3, 3), 0);
        let warn = risk(Stance::Warning, 9.0, 3, 3);
        let ask = risk(Stance::Inquiry, 1.0, 0, 0);
        let ad = risk(Stance::Solicitation, 1.0, 0, 0);
        let victim = risk(Stance::VictimReport, 1.0, 0, 0);
        assert!(warn < 40 && (40..70).contains(&ask) && ad >= 70 && victim >= 70);
        // Disguise and contact details raise risk within the band.
        assert!(risk(Stance::Solicitation, 1.0, 1, 1) > ad);
        assert!(risk(Stance::Solicitation, 100.0, 9, 9) <= 100);
    }

    #[test]
    fn the_strongest_stance_and_category_win() {
        let mut s = Scores::default();
        s.reset(PSEUDO_COUNT);
        assert_eq!(s.stance(), Stance::Warning);
        s.stance_score[Stance::Inquiry.code() as usize] = 2.0;
        s.stance_score[Stance::VictimReport.code() as usize] = 1.0;
        assert_eq!(s.stance(), Stance::Inquiry);
        s.cat_score[Category::Service.code() as usize] = 3.0;
        let (cat, conf) = s.category();
        assert_eq!(cat, Category::Service);
        assert!(conf > 0.5 && conf <= 1.0);
    }

    const PSEUDO_COUNT: usize = crate::matcher::Pseudo::ALL.len();
}
