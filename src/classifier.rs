//! The work-category classifier: a linear model over character n-grams of
//! the dense view and over the rule scorers' outputs (lexicon cue scores,
//! stance, role, entities), trained on the labelled messages in the
//! repository (`examples/train_classifier.rs`, reproducible).
//!
//! The lexicon cues stay the readable evidence; the model decides how much
//! each of them, and the wording around them, counts.
//!
//! The fraud model (`model/fraud.bin`) reads the same features: its first
//! five classes are the stances (none, warning, inquiry, solicitation,
//! victim report), the other eighteen the fraud types in taxonomy order
//! (`FRAUD_TYPES`). The engine computes a message's n-gram hashes once
//! ([`collect_ngrams`]) and both models score from them.
//!
//! Model file (`model/category.bin`, `model/fraud.bin`, little-endian):
//! `b"JMCM"`, version `u32` (1), classes `u32` (K), scale `f32`, bias
//! `K × f32`, features `u32`, then per feature: hash `u32` and `K × i16`
//! weights (weight = value × scale), sorted by hash.

use crate::error::{Error, Result};
use crate::normalize::BREAK;
use crate::types::{Category, FraudType, Role, Stance};

/// The category model shipped with the library.
pub(crate) const DEFAULT_MODEL: &[u8] = include_bytes!("../model/category.bin");

/// The fraud model shipped with the library.
pub(crate) const DEFAULT_FRAUD_MODEL: &[u8] = include_bytes!("../model/fraud.bin");

/// Classes of the fraud model: five stances, then the fraud types.
pub const FRAUD_CLASSES: usize = 5 + FRAUD_TYPES.len();

/// The fraud types of the fraud model's type classes, in order.
pub const FRAUD_TYPES: [FraudType; 18] = [
    FraudType::TaskRebate,
    FraudType::Investment,
    FraudType::FakeLoan,
    FraudType::FakeCustomerService,
    FraudType::ImpersonateAuthority,
    FraudType::CreditRepair,
    FraudType::FakeShopping,
    FraudType::ImpersonateAcquaintance,
    FraudType::GameTrade,
    FraudType::Romance,
    FraudType::CardTrafficking,
    FraudType::PredatoryLoan,
    FraudType::IllegalFundraising,
    FraudType::FakePrize,
    FraudType::InsuranceBenefit,
    FraudType::ImpersonateMilitary,
    FraudType::Sextortion,
    FraudType::Generic,
];

const MAGIC: &[u8; 4] = b"JMCM";
const VERSION: u32 = 1;
/// Number of classes (the eight work categories).
pub const CLASSES: usize = 8;

/// FNV-1a over bytes, 32-bit: stable across machines and versions.
#[inline]
fn fnv1a(seed: u32, bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5 ^ seed;
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Hash of a named (non-n-gram) feature.
pub(crate) fn named(name: &str) -> u32 {
    fnv1a(0x5151_0000, name.as_bytes())
}

/// The rule-level facts the model reads besides n-grams.
#[derive(Clone, Debug, Default)]
pub(crate) struct RuleFacts {
    pub role: Role,
    pub stance: Stance,
    pub fraud: bool,
    pub question: bool,
    /// Entity kinds present, by code (1–8).
    pub entity_kinds: u16,
    /// Rule category scores.
    pub cat_score: [f32; CLASSES],
    /// Number of content characters in the dense view.
    pub chars: usize,
    /// Rule scores of the fraud types, by scorer slot (`scoring::type_slot`).
    pub type_score: [f32; 19],
    /// Rule scores of the stances, by code.
    pub stance_score: [f32; 5],
    /// Contact entities (phones, URLs, WeChat ids, QQ numbers).
    pub contacts: usize,
}

/// Hash of a character n-gram (1 to 3 code points): a multiply-xorshift
/// mix of the code points, stable across machines and versions.
#[inline]
fn ngram_hash(n: u64, a: u32, b: u32, c: u32) -> u32 {
    let mut x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ u64::from(a);
    x = (x ^ (x >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9) ^ u64::from(b);
    x = (x ^ (x >> 32)).wrapping_mul(0x94D0_49BB_1331_11EB) ^ u64::from(c);
    x = (x ^ (x >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    (x ^ (x >> 32)) as u32
}

/// The hashes of a message's character n-grams (one to three code points,
/// never across a break), appended to `out`: computed once per message and
/// read by every model.
#[inline]
pub(crate) fn collect_ngrams(dense: &str, out: &mut Vec<u32>) {
    let (mut p2, mut p1) = (0u32, 0u32);
    let mut filled = 0usize;
    for c in dense.chars() {
        if c == BREAK {
            filled = 0;
            continue;
        }
        let c = c as u32;
        out.push(ngram_hash(1, c, 0, 0));
        if filled >= 1 {
            out.push(ngram_hash(2, p1, c, 0));
        }
        if filled >= 2 {
            out.push(ngram_hash(3, p2, p1, c));
        }
        p2 = p1;
        p1 = c;
        filled += 1;
    }
}

/// Calls `f(hash, value)` for every feature of a message: its n-grams
/// (value 1) and its named rule features.
#[inline]
pub(crate) fn for_each_feature(ngrams: &[u32], facts: &RuleFacts, mut f: impl FnMut(u32, f32)) {
    for &h in ngrams {
        f(h, 1.0);
    }
    named_features(facts, f);
}

/// The bigram and trigram features of [`for_each_feature`], in the same
/// order, each with its text: a slice of `dense` (n-grams never cross a
/// break). For evidence, which names n-grams of two characters or more.
pub(crate) fn for_each_ngram_span<'d>(dense: &'d str, mut f: impl FnMut(u32, &'d str)) {
    // Byte offsets and code points of the two previous characters.
    let (mut p2, mut p1) = ((0usize, 0u32), (0usize, 0u32));
    let mut filled = 0usize;
    for (at, c) in dense.char_indices() {
        if c == BREAK {
            filled = 0;
            continue;
        }
        let end = at + c.len_utf8();
        let c = c as u32;
        if filled >= 1 {
            f(ngram_hash(2, p1.1, c, 0), dense.get(p1.0..end).unwrap_or(""));
        }
        if filled >= 2 {
            f(ngram_hash(3, p2.1, p1.1, c), dense.get(p2.0..end).unwrap_or(""));
        }
        p2 = p1;
        p1 = (at, c);
        filled += 1;
    }
}

/// The named (rule) features of a message.
#[inline]
fn named_features(facts: &RuleFacts, mut f: impl FnMut(u32, f32)) {
    // Rule facts, by precomputed feature hashes.
    let n = &*NAMED;
    // Every index below is in range by construction; `get` keeps the
    // library free of panicking paths all the same.
    let mut put = |h: Option<&u32>, v: f32| {
        if let Some(&h) = h {
            f(h, v);
        }
    };
    put(n.role.get(facts.role.code() as usize), 1.0);
    put(n.stance.get(facts.stance.code() as usize), 1.0);
    if facts.fraud {
        put(Some(&n.fraud), 1.0);
    }
    if facts.question {
        put(Some(&n.question), 1.0);
    }
    for k in 1..=8usize {
        if facts.entity_kinds & (1 << k) != 0 {
            put(n.entity.get(k), 1.0);
        }
    }
    for (i, s) in facts.cat_score.iter().enumerate() {
        if *s != 0.0 {
            put(n.cue.get(i), (s / 4.0).clamp(-2.0, 2.0));
        }
    }
    for (i, s) in facts.type_score.iter().enumerate() {
        if *s != 0.0 {
            put(n.type_score.get(i), (s / 4.0).clamp(-2.0, 2.0));
        }
    }
    for (i, s) in facts.stance_score.iter().enumerate() {
        if *s != 0.0 {
            put(n.stance_score.get(i), (s / 4.0).clamp(-2.0, 2.0));
        }
    }
    put(n.contacts.get(facts.contacts.min(3)), 1.0);
    let bucket = match facts.chars {
        0..=2 => 0,
        3..=6 => 1,
        7..=15 => 2,
        16..=40 => 3,
        41..=100 => 4,
        _ => 5,
    };
    put(n.len.get(bucket), 1.0);
    put(Some(&n.bias), 1.0);
}

/// Hashes of the named features, computed once.
struct NamedHashes {
    role: [u32; 3],
    stance: [u32; 5],
    fraud: u32,
    question: u32,
    entity: [u32; 9],
    cue: [u32; CLASSES],
    len: [u32; 6],
    type_score: [u32; 19],
    stance_score: [u32; 5],
    contacts: [u32; 4],
    bias: u32,
}

static NAMED: once_cell::sync::Lazy<NamedHashes> = once_cell::sync::Lazy::new(|| NamedHashes {
    // Indexed by Role code: unknown 0, police 1, resident 2.
    role: [named("role:unknown"), named("role:police"), named("role:resident")],
    stance: [
        named("stance:none"),
        named("stance:warning"),
        named("stance:inquiry"),
        named("stance:solicitation"),
        named("stance:victim_report"),
    ],
    fraud: named("fraud"),
    question: named("question"),
    entity: std::array::from_fn(|k| named(&format!("entity:{k}"))),
    cue: std::array::from_fn(|i| {
        let name = Category::from_code(i as u32).map_or("other", Category::name);
        named(&format!("cue:{name}"))
    }),
    len: std::array::from_fn(|i| named(&format!("len:{i}"))),
    type_score: std::array::from_fn(|i| named(&format!("type_score:{i}"))),
    stance_score: std::array::from_fn(|i| named(&format!("stance_score:{i}"))),
    contacts: std::array::from_fn(|i| named(&format!("contacts:{i}"))),
    bias: named("bias"),
});

/// A loaded linear model of `K` classes.
pub(crate) struct Model<const K: usize> {
    bias: [f32; K],
    scale: f32,
    /// Open-addressing table of rows; a key of 0 marks an empty slot. Key
    /// and weights sit together, so a lookup touches one cache line.
    rows: Vec<Row<K>>,
    mask: usize,
    len: usize,
}

#[derive(Clone, Copy)]
struct Row<const K: usize> {
    key: u32,
    w: [i16; K],
}

impl<const K: usize> Default for Row<K> {
    fn default() -> Self {
        Row { key: 0, w: [0; K] }
    }
}

impl<const K: usize> std::fmt::Debug for Model<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model").field("features", &self.len).finish()
    }
}

#[inline]
fn slot_of(h: u32, mask: usize) -> usize {
    (h as usize).wrapping_mul(0x9E37_79B9) & mask
}

#[inline]
fn key_of(h: u32) -> u32 {
    h.wrapping_add(1).max(1)
}

impl<const K: usize> Model<K> {
    /// Parse a model file.
    pub(crate) fn load(bytes: &[u8]) -> Result<Model<K>> {
        let bad = |why: &str| Error::Json(format!("model: {why}"));
        let mut r = Reader { bytes, pos: 0 };
        if r.take(4).ok_or_else(|| bad("truncated header"))? != MAGIC {
            return Err(bad("not a model file (bad magic)"));
        }
        let version = r.u32().ok_or_else(|| bad("truncated header"))?;
        if version != VERSION {
            return Err(bad(&format!("version {version}, this library reads {VERSION}")));
        }
        if r.u32().ok_or_else(|| bad("truncated header"))? as usize != K {
            return Err(bad("wrong number of classes"));
        }
        let scale = r.f32().ok_or_else(|| bad("truncated header"))?;
        if !scale.is_finite() {
            return Err(bad("scale is not a finite number"));
        }
        let mut bias = [0f32; K];
        for b in &mut bias {
            *b = r.f32().ok_or_else(|| bad("truncated bias"))?;
        }
        let n = r.u32().ok_or_else(|| bad("truncated header"))? as usize;
        if n > 4_000_000 {
            return Err(bad("too many features"));
        }
        let cap = (n + n / 3 + 1).next_power_of_two().max(16);
        let mask = cap - 1;
        let mut rows = vec![Row::default(); cap];
        for _ in 0..n {
            let h = r.u32().ok_or_else(|| bad("truncated feature table"))?;
            let mut w = [0i16; K];
            for x in &mut w {
                *x = r.i16().ok_or_else(|| bad("truncated feature table"))?;
            }
            let key = key_of(h);
            let mut slot = slot_of(h, mask);
            loop {
                let Some(row) = rows.get_mut(slot) else { return Err(bad("table overflow")) };
                if row.key == 0 || row.key == key {
                    *row = Row { key, w };
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
        Ok(Model { bias, scale, rows, mask, len: n })
    }

    #[inline]
    fn row(&self, h: u32) -> Option<&[i16; K]> {
        let key = key_of(h);
        let mut slot = slot_of(h, self.mask);
        loop {
            let row = self.rows.get(slot)?;
            if row.key == key {
                return Some(&row.w);
            }
            if row.key == 0 {
                return None;
            }
            slot = (slot + 1) & self.mask;
        }
    }

    /// Class scores (logits) of a message.
    pub(crate) fn scores(&self, ngrams: &[u32], facts: &RuleFacts) -> [f32; K] {
        // N-gram features have the value 1: add their quantised weights as
        // integers, and scale once.
        // i64: a message of a million n-grams times a weight of 32767 would
        // overflow an i32 (and wrap silently in release builds).
        let mut ints = [0i64; K];
        let mut floats = [0f32; K];
        for_each_feature(ngrams, facts, |h, v| {
            if let Some(w) = self.row(h) {
                if v == 1.0 {
                    for (acc, wi) in ints.iter_mut().zip(w.iter()) {
                        *acc += i64::from(*wi);
                    }
                } else {
                    for (acc, wi) in floats.iter_mut().zip(w.iter()) {
                        *acc += f32::from(*wi) * v;
                    }
                }
            }
        });
        let mut s = self.bias;
        for k in 0..K {
            if let (Some(acc), Some(i), Some(fl)) = (s.get_mut(k), ints.get(k), floats.get(k)) {
                *acc += (*i as f32 + fl) * self.scale;
            }
        }
        s
    }

    /// The weight of feature `h` for class `k`.
    pub(crate) fn weight(&self, h: u32, k: usize) -> Option<f32> {
        self.row(h).and_then(|w| w.get(k)).map(|x| f32::from(*x) * self.scale)
    }

    /// Number of features with weights.
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.bytes.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(s)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4).and_then(|b| b.try_into().ok()).map(u32::from_le_bytes)
    }
    fn f32(&mut self) -> Option<f32> {
        self.take(4).and_then(|b| b.try_into().ok()).map(f32::from_le_bytes)
    }
    fn i16(&mut self) -> Option<i16> {
        self.take(2).and_then(|b| b.try_into().ok()).map(i16::from_le_bytes)
    }
}

/// Serialise weights into the model file format.
#[doc(hidden)]
pub fn write_model<const K: usize>(bias: &[f32; K], features: &[(u32, [f32; K])]) -> Vec<u8> {
    let max = features.iter().flat_map(|(_, w)| w.iter()).fold(0f32, |m, x| m.max(x.abs())).max(1e-6);
    let scale = max / f32::from(i16::MAX);
    let mut sorted: Vec<&(u32, [f32; K])> = features.iter().collect();
    sorted.sort_by_key(|(h, _)| *h);
    let mut out = Vec::with_capacity(32 + features.len() * 20);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(K as u32).to_le_bytes());
    out.extend_from_slice(&scale.to_le_bytes());
    for b in bias {
        out.extend_from_slice(&b.to_le_bytes());
    }
    out.extend_from_slice(&(sorted.len() as u32).to_le_bytes());
    for (h, w) in sorted {
        out.extend_from_slice(&h.to_le_bytes());
        for x in w {
            let q = (x / scale).round().clamp(f32::from(i16::MIN), f32::from(i16::MAX)) as i16;
            out.extend_from_slice(&q.to_le_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_round_trips_and_rejects_garbage() {
        let feats = vec![(fnv1a(1, "刷".as_bytes()), [1.0, -1.0, 0.5, 0.0, 0.0, 0.0, 0.0, 2.0])];
        let bytes = write_model(&[0.1; CLASSES], &feats);
        let m = Model::<CLASSES>::load(&bytes).unwrap();
        assert_eq!(m.len(), 1);
        let h = fnv1a(1, "刷".as_bytes());
        assert!((m.weight(h, 7).unwrap() - 2.0).abs() < 1e-3 && (m.weight(h, 1).unwrap() + 1.0).abs() < 1e-3);
        assert!(m.weight(12345, 0).is_none());
        assert!(Model::<CLASSES>::load(b"nope").is_err());
        assert!(Model::<CLASSES>::load(&bytes[..bytes.len() - 1]).is_err());
        let mut v2 = bytes.clone();
        v2[4] = 9;
        assert!(Model::<CLASSES>::load(&v2).unwrap_err().to_string().contains("version"));
    }

    #[test]
    fn shipped_model_loads() {
        let m = Model::<CLASSES>::load(DEFAULT_MODEL).unwrap();
        assert!(m.len() > 1000);
    }

    #[test]
    fn ngram_spans_are_the_longer_ngram_features() {
        let text = "刷单日结\n加v信abc";
        let facts = RuleFacts { question: true, chars: 9, ..RuleFacts::default() };
        let mut plain = Vec::new();
        let mut ngrams = Vec::new();
        collect_ngrams(text, &mut ngrams);
        for_each_feature(&ngrams, &facts, |h, v| plain.push((h, v)));
        // 4 + 6 characters: 4 + 3 + 2 and 6 + 5 + 4 n-grams.
        assert_eq!(plain.len() - named_count(&facts), 9 + 15);
        let mut spans = Vec::new();
        for_each_ngram_span(text, |h, label| spans.push((h, label)));
        // Every n-gram of two or three characters, in the same order.
        let longer: Vec<u32> = plain
            .iter()
            .map(|(h, _)| *h)
            .filter(|h| spans.iter().any(|(s, _)| s == h))
            .collect();
        assert_eq!(longer, spans.iter().map(|(h, _)| *h).collect::<Vec<_>>());
        assert_eq!(spans.len(), 5 + 9);
        for (h, label) in &spans {
            let cs: Vec<u32> = label.chars().map(|c| c as u32).collect();
            let want = match cs[..] {
                [a, b] => ngram_hash(2, a, b, 0),
                [a, b, c] => ngram_hash(3, a, b, c),
                _ => panic!("{label:?}"),
            };
            assert_eq!(*h, want, "{label}");
        }
        assert_eq!(spans.first().map(|s| s.1), Some("刷单"));
        assert_eq!(spans.last().map(|s| s.1), Some("abc"));
    }

    fn named_count(facts: &RuleFacts) -> usize {
        let mut n = 0;
        named_features(facts, |_, _| n += 1);
        n
    }

    #[test]
    fn features_stop_at_sentence_breaks() {
        let mut n = 0;
        let mut ngrams = Vec::new();
        collect_ngrams("ab\ncd", &mut ngrams);
        for_each_feature(&ngrams, &RuleFacts::default(), |h, _| {
            if h == ngram_hash(2, 'b' as u32, 'c' as u32, 0) || h == ngram_hash(2, 'b' as u32, '\n' as u32, 0) {
                n += 1;
            }
        });
        assert_eq!(n, 0);
    }
}
