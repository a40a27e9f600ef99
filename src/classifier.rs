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
//! `b"JMCM"`, version `u32` (2), classes `u32` (K), scale `f32`, bias
//! `K × f32`; then the n-gram table: a
//! count `u32` and per n-gram its hash `u32`, idf `u16` (in 1/2048) and
//! `K × i16` weights × idf (value = stored × scale); then the named-feature
//! table: a count `u32` and per feature its hash `u32` and `K × i16`
//! weights. Each table sorted by hash.

use crate::error::{Error, Result};
use crate::normalize::BREAK;
use crate::types::{Category, FraudType, Role};

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
const VERSION: u32 = 2;
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
    pub question: bool,
    /// Entity kinds present, by code (1–8).
    pub entity_kinds: u16,
    /// Rule category scores.
    pub cat_score: [f32; CLASSES],
    /// Number of content characters in the dense view.
    pub chars: usize,
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

/// The bigram and trigram features of [`collect_ngrams`], in the same
/// order: `f(i, hash, at, text)` with the n-gram's position `i` in what
/// [`collect_ngrams`] gives, its byte offset `at` in `dense` and its text
/// (n-grams never cross a break). For evidence, which names n-grams of two
/// characters or more.
pub(crate) fn for_each_ngram_span<'d>(dense: &'d str, mut f: impl FnMut(usize, u32, usize, &'d str)) {
    // Byte offsets and code points of the two previous characters.
    let (mut p2, mut p1) = ((0usize, 0u32), (0usize, 0u32));
    let mut filled = 0usize;
    let mut i = 0usize;
    for (at, c) in dense.char_indices() {
        if c == BREAK {
            filled = 0;
            continue;
        }
        let end = at + c.len_utf8();
        let c = c as u32;
        // The unigram comes first.
        i += 1;
        if filled >= 1 {
            f(i, ngram_hash(2, p1.1, c, 0), p1.0, dense.get(p1.0..end).unwrap_or(""));
            i += 1;
        }
        if filled >= 2 {
            f(i, ngram_hash(3, p2.1, p1.1, c), p2.0, dense.get(p2.0..end).unwrap_or(""));
            i += 1;
        }
        p2 = p1;
        p1 = (at, c);
        filled += 1;
    }
}

/// How much a rule feature weighs beside the n-grams (whose vector has
/// about unit length): a tenth. Held out, stronger rule features made the
/// models lean on the cues the lexicon was written from and lose on text
/// in other styles (the README's leave-one-source-out table).
const RULE_WEIGHT: f32 = 0.1;

/// How much a fact of the text itself weighs (a question, the kinds of
/// entity, contacts, length).
const TEXT_WEIGHT: f32 = 0.3;

/// The named (rule) features of a message: `f(hash, value)` for each. The
/// sender's role at full weight, the facts of the text (question, entity
/// kinds, contacts, length) at [`TEXT_WEIGHT`], the category cue scores
/// and the bias at [`RULE_WEIGHT`]. The lexicon's fraud verdict is not among them: it
/// is the evidence and the gate (`engine.rs`), and the fraud model reads
/// the wording itself.
#[inline]
pub(crate) fn for_each_named(facts: &RuleFacts, mut f: impl FnMut(u32, f32)) {
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
    let r = RULE_WEIGHT;
    let t = TEXT_WEIGHT;
    if facts.question {
        put(Some(&n.question), t);
    }
    for k in 1..=8usize {
        if facts.entity_kinds & (1 << k) != 0 {
            put(n.entity.get(k), t);
        }
    }
    for (i, s) in facts.cat_score.iter().enumerate() {
        if *s != 0.0 {
            put(n.cue.get(i), r * (s / 4.0).clamp(-2.0, 2.0));
        }
    }
    put(n.contacts.get(facts.contacts.min(3)), t);
    let bucket = match facts.chars {
        0..=2 => 0,
        3..=6 => 1,
        7..=15 => 2,
        16..=40 => 3,
        41..=100 => 4,
        _ => 5,
    };
    put(n.len.get(bucket), t);
    put(Some(&n.bias), r);
}

/// Hashes of the named features, computed once.
struct NamedHashes {
    role: [u32; 3],
    question: u32,
    entity: [u32; 9],
    cue: [u32; CLASSES],
    len: [u32; 6],
    contacts: [u32; 4],
    bias: u32,
}

static NAMED: once_cell::sync::Lazy<NamedHashes> = once_cell::sync::Lazy::new(|| NamedHashes {
    // Indexed by Role code: unknown 0, police 1, resident 2.
    role: [named("role:unknown"), named("role:police"), named("role:resident")],
    question: named("question"),
    entity: std::array::from_fn(|k| named(&format!("entity:{k}"))),
    cue: std::array::from_fn(|i| {
        let name = Category::from_code(i as u32).map_or("other", Category::name);
        named(&format!("cue:{name}"))
    }),
    len: std::array::from_fn(|i| named(&format!("len:{i}"))),
    contacts: std::array::from_fn(|i| named(&format!("contacts:{i}"))),
    bias: named("bias"),
});

/// The unit of a stored inverse document frequency (`u16`): 1/2048.
const IDF_UNIT: f32 = 2048.0;

/// An inverse document frequency as the model file stores it: the value
/// the trainer must use, so that training and scoring read the same
/// numbers.
#[doc(hidden)]
pub fn quantise_idf(idf: f32) -> f32 {
    (idf * IDF_UNIT).round().clamp(1.0, f32::from(u16::MAX)) / IDF_UNIT
}

/// The n-gram features of a message, as the models read them: each
/// n-gram `h` of the model's vocabulary (`idf(h)` is `Some`) has the value
/// `tf(h) × idf(h) / norm`, where `norm²` sums `idf²` over every
/// occurrence of a vocabulary n-gram; the others are not read at all. A
/// TF-IDF vector scaled to about unit length, so that a 300-character SMS
/// and a five-character reply weigh alike, and so that wording the model
/// never saw does not dilute what it knows. Sorted by hash. For the
/// trainer; the engine computes the same sums without building the vector.
#[doc(hidden)]
pub fn ngram_values(ngrams: &[u32], idf: impl Fn(u32) -> Option<f32>) -> Vec<(u32, f32)> {
    let mut sorted = ngrams.to_vec();
    sorted.sort_unstable();
    let mut sq = 0f32;
    let mut out: Vec<(u32, f32)> = Vec::new();
    for h in sorted {
        if let Some(v) = idf(h) {
            sq += v * v;
            match out.last_mut() {
                Some(last) if last.0 == h => last.1 += v,
                _ => out.push((h, v)),
            }
        }
    }
    let inv = if sq > 0.0 { 1.0 / sq.sqrt() } else { 0.0 };
    for f in &mut out {
        f.1 *= inv;
    }
    out
}

/// A loaded linear model of `K` classes.
///
/// Class scores are `bias + Σ w·x` over two kinds of features: the
/// n-grams ([`ngram_values`]: TF-IDF, normalised) and the named rule
/// features (their values as [`for_each_named`] gives them).
pub(crate) struct Model<const K: usize> {
    bias: [f32; K],
    scale: f32,
    grams: Table<K>,
    named: Table<K>,
}

/// Open-addressing index of a vocabulary's hashes: the keys alone, four
/// bytes a slot, so that the probe for an n-gram the model does not know
/// (most trigrams of new text) reads a small array that stays in cache,
/// and the weights are read only for n-grams it knows. A key of 0 marks an
/// empty slot; the hash 0 itself has the extra slot at the end.
#[derive(Clone, PartialEq, Eq)]
struct Index {
    keys: Vec<u32>,
    mask: usize,
    len: usize,
    zero: bool,
}

impl Index {
    fn with_len(n: usize) -> Index {
        let cap = (n + n / 3 + 1).next_power_of_two().max(16);
        Index { keys: vec![0; cap + 1], mask: cap - 1, len: 0, zero: false }
    }

    /// Slots, the hash 0's included: the length of a table's rows.
    fn slots(&self) -> usize {
        self.keys.len()
    }

    #[inline]
    fn start(&self, h: u32) -> usize {
        (h as usize).wrapping_mul(0x9E37_79B9) & self.mask
    }

    /// The slot of `h`, taken if it is new; `None` when the index is full.
    fn insert(&mut self, h: u32) -> Option<usize> {
        if h == 0 {
            self.len += usize::from(!self.zero);
            self.zero = true;
            return Some(self.mask + 1);
        }
        let mut slot = self.start(h);
        loop {
            let key = self.keys.get_mut(slot)?;
            if *key == h {
                return Some(slot);
            }
            if *key == 0 {
                if self.len >= self.mask {
                    return None;
                }
                *key = h;
                self.len += 1;
                return Some(slot);
            }
            slot = (slot + 1) & self.mask;
        }
    }

    #[inline]
    fn get(&self, h: u32) -> Option<usize> {
        if h == 0 {
            return self.zero.then_some(self.mask + 1);
        }
        let mut slot = self.start(h);
        loop {
            let key = *self.keys.get(slot)?;
            if key == h {
                return Some(slot);
            }
            if key == 0 {
                return None;
            }
            slot = (slot + 1) & self.mask;
        }
    }
}

/// A table of rows by hash: the [`Index`] and one row per slot.
struct Table<const K: usize> {
    index: Index,
    rows: Vec<Row<K>>,
}

#[derive(Clone, Copy)]
struct Row<const K: usize> {
    idf2: f32,
    /// Quantised weights; for an n-gram, weight × idf (the value's
    /// numerator), so scoring adds integers and divides once.
    w: [i16; K],
}

impl<const K: usize> Default for Row<K> {
    fn default() -> Self {
        Row { idf2: 0.0, w: [0; K] }
    }
}

impl<const K: usize> std::fmt::Debug for Model<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model").field("ngrams", &self.grams.index.len).field("named", &self.named.index.len).finish()
    }
}

impl<const K: usize> Table<K> {
    fn with_len(n: usize) -> Table<K> {
        let index = Index::with_len(n);
        Table { rows: vec![Row::default(); index.slots()], index }
    }

    fn insert(&mut self, h: u32, idf2: f32, w: [i16; K]) -> Option<()> {
        let slot = self.index.insert(h)?;
        *self.rows.get_mut(slot)? = Row { idf2, w };
        Some(())
    }

    #[inline]
    fn get(&self, h: u32) -> Option<&Row<K>> {
        self.index.get(h).and_then(|s| self.rows.get(s))
    }
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
            if !b.is_finite() {
                return Err(bad("bias is not a finite number"));
            }
        }
        let mut tables = Vec::with_capacity(2);
        for (section, with_idf) in [("n-gram", true), ("named", false)] {
            let n = r.u32().ok_or_else(|| bad("truncated header"))? as usize;
            if n > 4_000_000 {
                return Err(bad(&format!("too many {section} features")));
            }
            let mut t = Table::with_len(n);
            for _ in 0..n {
                let trunc = || bad(&format!("truncated {section} table"));
                let h = r.u32().ok_or_else(trunc)?;
                let idf = if with_idf { f32::from(r.u16().ok_or_else(trunc)?) / IDF_UNIT } else { 0.0 };
                let mut w = [0i16; K];
                for x in &mut w {
                    *x = r.i16().ok_or_else(trunc)?;
                }
                t.insert(h, idf * idf, w).ok_or_else(|| bad("table overflow"))?;
            }
            tables.push(t);
        }
        if r.pos != bytes.len() {
            return Err(bad("trailing bytes after the feature tables"));
        }
        let named = tables.pop().ok_or_else(|| bad("truncated"))?;
        let grams = tables.pop().ok_or_else(|| bad("truncated"))?;
        Ok(Model { bias, scale, grams, named })
    }

    /// Class scores (logits) of a message.
    pub(crate) fn scores(&self, ngrams: &[u32], facts: &RuleFacts) -> [f32; K] {
        let (ints, sq) = ngram_sums(ngrams, |h| self.grams.get(h).map(|r| (r.idf2, &r.w)));
        self.finish(&ints, sq, facts)
    }

    /// The scores from the n-gram sums (`ints`: weight × idf sums, `sq`:
    /// the sum of idf²) and the named features.
    fn finish(&self, ints: &[i64], sq: f32, facts: &RuleFacts) -> [f32; K] {
        self.finish_first::<K>(ints, sq, facts)
    }

    /// [`Model::finish`] for the first `L` classes only; the others keep
    /// their bias. Each computed class is the same sum, in the same order,
    /// as `finish` gives it.
    fn finish_first<const L: usize>(&self, ints: &[i64], sq: f32, facts: &RuleFacts) -> [f32; K] {
        let inv = if sq > 0.0 { self.scale / sq.sqrt() } else { 0.0 };
        let mut s = self.bias;
        for (acc, i) in s.iter_mut().zip(ints.iter()).take(L) {
            *acc += *i as f32 * inv;
        }
        for_each_named(facts, |h, v| {
            if let Some(row) = self.named.get(h) {
                for (acc, wi) in s.iter_mut().zip(row.w.iter()).take(L) {
                    *acc += f32::from(*wi) * self.scale * v;
                }
            }
        });
        s
    }

    /// The weight × idf of n-gram `h` for class `k`: how much one
    /// occurrence adds before the norm (for evidence).
    pub(crate) fn weight(&self, h: u32, k: usize) -> Option<f32> {
        self.grams.get(h).and_then(|r| r.w.get(k)).map(|x| f32::from(*x) * self.scale)
    }

    /// Number of n-gram features.
    pub(crate) fn len(&self) -> usize {
        self.grams.index.len
    }
}

/// The n-gram sums of a message: per class (lane) the sum of the stored
/// weight × idf of every occurrence that `row` finds, and the sum of idf²
/// (the norm's square). i32 sums (they vectorise), folded into i64 every
/// `CHUNK` n-grams so that no message, however long, overflows them.
#[inline]
fn ngram_sums<'t, const K: usize, T: Copy>(items: &[T], row: impl Fn(T) -> Option<(f32, &'t [i16; K])>) -> ([i64; K], f32) {
    const CHUNK: usize = 1 << 15;
    let mut ints = [0i64; K];
    let mut sq = 0f32;
    for chunk in items.chunks(CHUNK) {
        let mut part = [0i32; K];
        for &item in chunk {
            if let Some((idf2, w)) = row(item) {
                sq += idf2;
                add_lanes(&mut part, w);
            }
        }
        for (acc, p) in ints.iter_mut().zip(part.iter()) {
            *acc += i64::from(*p);
        }
    }
    (ints, sq)
}

/// `acc += w`, lane by lane: a fixed number of lanes, so that the
/// compiler keeps the sums in registers and adds them as vectors.
#[inline(always)]
fn add_lanes<const K: usize>(acc: &mut [i32; K], w: &[i16; K]) {
    *acc = std::array::from_fn(|k| {
        let a = acc.get(k).copied().unwrap_or(0);
        a + w.get(k).map_or(0, |x| i32::from(*x))
    });
}

/// Classes of the joint table's head: the categories, then the stances.
const HEAD: usize = CLASSES + 5;

/// Classes of the fraud model's types.
const TYPES: usize = FRAUD_CLASSES - 5;

/// A joint row's head, what every message reads: the category and stance
/// weights in lanes 0–12, a zero lane, and the n-gram's `idf²` (`f32`
/// bits) in lanes 14 and 15. Sixteen lanes (they add as whole vectors) in
/// 32 aligned bytes, so that a lookup touches one cache line.
#[derive(Clone, Copy)]
#[repr(C, align(32))]
struct Head([i16; 16]);

impl Head {
    fn new(w: impl Iterator<Item = i16>, idf2: f32) -> Head {
        let mut lanes = [0i16; 16];
        for (dst, src) in lanes.iter_mut().take(HEAD).zip(w) {
            *dst = src;
        }
        let bits = idf2.to_bits();
        let [.., lo, hi] = &mut lanes;
        *lo = (bits & 0xffff) as u16 as i16;
        *hi = (bits >> 16) as u16 as i16;
        Head(lanes)
    }

    #[inline]
    fn idf2(&self) -> f32 {
        let [.., lo, hi] = self.0;
        f32::from_bits(u32::from(lo as u16) | (u32::from(hi as u16) << 16))
    }
}

/// A joint row's fraud types, read only for a message found
/// fraud-related: 18 weights and zero lanes to 24.
#[derive(Clone, Copy)]
#[repr(C, align(16))]
struct Types([i16; 24]);

/// The category and fraud models' n-gram rows side by side, when the two
/// were trained on one vocabulary (the trainer writes them so): one probe
/// per n-gram serves both models. The head (categories and stances) is read
/// for every message; the fraud types, in rows of their own, only for a
/// message found fraud-related. The last row of each is zero: the row of
/// every n-gram the vocabulary does not know, so that the sums never
/// branch.
pub(crate) struct Joint {
    index: Index,
    head: Vec<Head>,
    types: Vec<Types>,
}

impl std::fmt::Debug for Joint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Joint").field("ngrams", &self.index.len).finish()
    }
}

/// A message's pass over the joint table's heads.
pub(crate) struct JointPass {
    ints: [i64; 16],
    sq: f32,
}

impl Joint {
    /// The joint table of two models, or `None` when their vocabularies
    /// or idf differ (each model then scores on its own).
    pub(crate) fn build(c: &Model<CLASSES>, f: &Model<FRAUD_CLASSES>) -> Option<Joint> {
        // One vocabulary, inserted in one order (the files are sorted by
        // hash): the same index, slot for slot.
        if c.grams.index != f.grams.index {
            return None;
        }
        let mut head = Vec::with_capacity(c.grams.rows.len() + 1);
        let mut types = Vec::with_capacity(c.grams.rows.len() + 1);
        for (a, b) in c.grams.rows.iter().zip(f.grams.rows.iter()) {
            if a.idf2.to_bits() != b.idf2.to_bits() {
                return None;
            }
            head.push(Head::new(a.w.iter().chain(b.w.iter()).copied(), a.idf2));
            let mut t = [0i16; 24];
            for (dst, src) in t.iter_mut().zip(b.w.iter().skip(5)) {
                *dst = *src;
            }
            types.push(Types(t));
        }
        head.push(Head([0; 16]));
        types.push(Types([0; 24]));
        Some(Joint { index: c.grams.index.clone(), head, types })
    }

    /// The slot of the zero row, where the n-grams the vocabulary does not
    /// know point.
    #[inline]
    fn unknown(&self) -> u32 {
        (self.head.len() - 1) as u32
    }

    /// The pass every message makes: category and stance sums over its
    /// n-grams, and in `slots` the slot of each n-gram, in order, for the
    /// type sums and the evidence.
    pub(crate) fn pass(&self, ngrams: &[u32], slots: &mut Vec<u32>) -> JointPass {
        let unknown = self.unknown();
        slots.clear();
        slots.extend(ngrams.iter().map(|&h| self.index.get(h).map_or(unknown, |s| s as u32)));
        let zero = Head([0; 16]);
        let (ints, sq) = ngram_sums(slots, |s| {
            let row = self.head.get(s as usize).unwrap_or(&zero);
            Some((row.idf2(), &row.0))
        });
        JointPass { ints, sq }
    }

    /// The category scores (logits) of a pass.
    pub(crate) fn category(&self, c: &Model<CLASSES>, p: &JointPass, facts: &RuleFacts) -> [f32; CLASSES] {
        c.finish(p.ints.get(..CLASSES).unwrap_or(&[]), p.sq, facts)
    }

    /// The fraud model's scores of a pass; the types only when `slots`
    /// (the pass's) are given, else only the five stance scores are
    /// computed (the types keep their bias).
    pub(crate) fn fraud(
        &self,
        f: &Model<FRAUD_CLASSES>,
        p: &JointPass,
        slots: Option<&[u32]>,
        facts: &RuleFacts,
    ) -> [f32; FRAUD_CLASSES] {
        let mut ints = [0i64; FRAUD_CLASSES];
        for (dst, src) in ints.iter_mut().zip(p.ints.iter().skip(CLASSES).take(5)) {
            *dst = *src;
        }
        let Some(slots) = slots else { return f.finish_first::<5>(&ints, p.sq, facts) };
        let zero = Types([0; 24]);
        let (t, _) = ngram_sums(slots, |s| Some((0.0, &self.types.get(s as usize).unwrap_or(&zero).0)));
        for (dst, src) in ints.iter_mut().skip(5).zip(t.iter().take(TYPES)) {
            *dst = *src;
        }
        f.finish(&ints, p.sq, facts)
    }

    /// The category weight × idf of the n-gram in `slot` (0 for one the
    /// vocabulary does not know), as [`Model::weight`] gives it.
    pub(crate) fn category_weight(&self, c: &Model<CLASSES>, slot: u32, k: usize) -> f32 {
        let w = self.head.get(slot as usize).and_then(|h| h.0.get(..CLASSES)?.get(k)).copied().unwrap_or(0);
        f32::from(w) * c.scale
    }

    /// Whether `slot` is that of an n-gram the vocabulary knows.
    pub(crate) fn known(&self, slot: u32) -> bool {
        slot < self.unknown()
    }
}

/// A category model and a fraud model as an engine holds them, with
/// their n-gram rows in one place: in the joint table when the two share
/// a vocabulary (the models then keep only their bias and named features),
/// else in each model's own table.
#[derive(Clone, Debug)]
pub(crate) struct Models {
    pub category: std::sync::Arc<Model<CLASSES>>,
    pub fraud: std::sync::Arc<Model<FRAUD_CLASSES>>,
    pub joint: Option<std::sync::Arc<Joint>>,
}

impl Models {
    pub(crate) fn new(mut category: Model<CLASSES>, mut fraud: Model<FRAUD_CLASSES>) -> Models {
        let joint = Joint::build(&category, &fraud);
        if joint.is_some() {
            category.grams = Table::with_len(0);
            fraud.grams = Table::with_len(0);
        }
        Models { category: category.into(), fraud: fraud.into(), joint: joint.map(Into::into) }
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
    fn u16(&mut self) -> Option<u16> {
        self.take(2).and_then(|b| b.try_into().ok()).map(u16::from_le_bytes)
    }
    fn i16(&mut self) -> Option<i16> {
        self.take(2).and_then(|b| b.try_into().ok()).map(i16::from_le_bytes)
    }
}

/// Serialise weights into the model file format: the n-grams with their
/// idf (as [`quantise_idf`] gives it) and weights, the named features
/// with their weights.
#[doc(hidden)]
pub fn write_model<const K: usize>(
    bias: &[f32; K],
    grams: &[(u32, f32, [f32; K])],
    named: &[(u32, [f32; K])],
) -> Vec<u8> {
    let folded: Vec<(u32, u16, [f32; K])> = grams
        .iter()
        .map(|(h, idf, w)| {
            let q = quantise_idf(*idf);
            let units = (q * IDF_UNIT).round() as u16;
            (*h, units, w.map(|x| x * q))
        })
        .collect();
    let max = folded
        .iter()
        .flat_map(|(_, _, w)| w.iter())
        .chain(named.iter().flat_map(|(_, w)| w.iter()))
        .fold(0f32, |m, x| m.max(x.abs()))
        .max(1e-6);
    let scale = max / f32::from(i16::MAX);
    let quant = |x: f32| (x / scale).round().clamp(f32::from(i16::MIN), f32::from(i16::MAX)) as i16;
    let mut out = Vec::with_capacity(40 + grams.len() * (6 + 2 * K));
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(K as u32).to_le_bytes());
    out.extend_from_slice(&scale.to_le_bytes());
    for b in bias {
        out.extend_from_slice(&b.to_le_bytes());
    }
    let mut folded = folded;
    folded.sort_by_key(|(h, _, _)| *h);
    out.extend_from_slice(&(folded.len() as u32).to_le_bytes());
    for (h, idf, w) in &folded {
        out.extend_from_slice(&h.to_le_bytes());
        out.extend_from_slice(&idf.to_le_bytes());
        for x in w {
            out.extend_from_slice(&quant(*x).to_le_bytes());
        }
    }
    let mut named: Vec<&(u32, [f32; K])> = named.iter().collect();
    named.sort_by_key(|(h, _)| *h);
    out.extend_from_slice(&(named.len() as u32).to_le_bytes());
    for (h, w) in named {
        out.extend_from_slice(&h.to_le_bytes());
        for x in w {
            out.extend_from_slice(&quant(*x).to_le_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_round_trips_and_rejects_garbage() {
        let h = ngram_hash(1, '刷' as u32, 0, 0);
        let grams = vec![(h, 2.5, [1.0, -1.0, 0.5, 0.0, 0.0, 0.0, 0.0, 2.0])];
        let named_h = named("bias");
        let bytes = write_model(&[0.1; CLASSES], &grams, &[(named_h, [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0])]);
        let m = Model::<CLASSES>::load(&bytes).unwrap();
        assert_eq!(m.len(), 1);
        // Stored as weight × idf.
        assert!((m.weight(h, 7).unwrap() - 5.0).abs() < 1e-3 && (m.weight(h, 1).unwrap() + 2.5).abs() < 1e-3);
        assert!(m.weight(12345, 0).is_none());
        assert!(Model::<CLASSES>::load(b"nope").is_err());
        assert!(Model::<CLASSES>::load(&bytes[..bytes.len() - 1]).is_err());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Model::<CLASSES>::load(&longer).unwrap_err().to_string().contains("trailing"));
        let mut v2 = bytes.clone();
        v2[4] = 9;
        assert!(Model::<CLASSES>::load(&v2).unwrap_err().to_string().contains("version"));
    }

    #[test]
    fn scores_are_the_dot_product_of_the_trainers_features() {
        // Three known n-grams (one twice) and one unknown: the engine's
        // integer sums must equal the trainer's TF-IDF vector times the
        // weights, through the quantisation.
        let mut ngrams = Vec::new();
        collect_ngrams("刷单刷", &mut ngrams);
        ngrams.push(ngram_hash(1, 'x' as u32, 0, 0));
        let idf = |h: u32| -> Option<f32> {
            let known = [ngram_hash(1, '刷' as u32, 0, 0), ngram_hash(1, '单' as u32, 0, 0), ngram_hash(2, '刷' as u32, '单' as u32, 0)];
            known.iter().position(|k| *k == h).map(|i| quantise_idf(1.3 + i as f32))
        };
        let w = |h: u32| -> [f32; 2] {
            let x = (h % 97) as f32 / 50.0 - 1.0;
            [x, -0.5 * x]
        };
        let mut grams: Vec<(u32, f32, [f32; 2])> = ngrams.iter().filter_map(|h| idf(*h).map(|v| (*h, v, w(*h)))).collect();
        grams.sort_by_key(|g| g.0);
        grams.dedup_by_key(|g| g.0);
        let facts = RuleFacts { question: true, chars: 3, ..RuleFacts::default() };
        let named_w = [0.25f32, -0.75];
        let mut named_rows = Vec::new();
        for_each_named(&facts, |h, _| named_rows.push((h, named_w)));
        let bytes = write_model(&[0.5, -0.5], &grams, &named_rows);
        let m = Model::<2>::load(&bytes).unwrap();
        let got = m.scores(&ngrams, &facts);
        let mut want = [0.5f32, -0.5];
        for (h, v) in ngram_values(&ngrams, idf) {
            for (acc, wk) in want.iter_mut().zip(w(h)) {
                *acc += wk * v;
            }
        }
        for_each_named(&facts, |_, v| {
            for (acc, wk) in want.iter_mut().zip(named_w) {
                *acc += wk * v;
            }
        });
        for (k, (g, wa)) in got.iter().zip(want).enumerate() {
            assert!((g - wa).abs() < 1e-3, "class {k}: {g} against {wa}");
        }
        // Only the vocabulary is read: the unknown n-gram neither counts
        // nor dilutes; without repeats the vector would have unit length,
        // with 刷 twice it is a little longer.
        let vals = ngram_values(&ngrams, idf);
        assert_eq!(vals.len(), 3);
        let norm: f32 = vals.iter().map(|(_, v)| v * v).sum();
        assert!(norm > 1.0 && norm < 1.5, "{norm}");
        assert!(ngram_values(&[ngram_hash(1, 'x' as u32, 0, 0)], idf).is_empty());
    }

    #[test]
    fn the_joint_table_scores_as_the_two_models() {
        let c = Model::<CLASSES>::load(DEFAULT_MODEL).unwrap();
        let f = Model::<FRAUD_CLASSES>::load(DEFAULT_FRAUD_MODEL).unwrap();
        let j = Joint::build(&c, &f).expect("the shipped models share one vocabulary");
        for text in ["刷单日结\n加v信abc", "您尾号6688的卡支出1280元", "明天上午九点在村委会开会", ""] {
            let mut ngrams = Vec::new();
            collect_ngrams(text, &mut ngrams);
            let facts = RuleFacts { question: true, chars: text.chars().count(), ..RuleFacts::default() };
            let mut slots = Vec::new();
            let pass = j.pass(&ngrams, &mut slots);
            assert_eq!(slots.len(), ngrams.len());
            assert_eq!(j.category(&c, &pass, &facts), c.scores(&ngrams, &facts), "{text}");
            let full = f.scores(&ngrams, &facts);
            assert_eq!(j.fraud(&f, &pass, Some(&slots), &facts), full, "{text}");
            // Without the slots, the stance scores are already final.
            assert_eq!(j.fraud(&f, &pass, None, &facts)[..5], full[..5], "{text}");
            // The evidence weights are the category model's.
            for (h, s) in ngrams.iter().zip(&slots) {
                assert_eq!(j.category_weight(&c, *s, 3), c.weight(*h, 3).unwrap_or(0.0), "{text}");
                assert_eq!(j.known(*s), c.weight(*h, 3).is_some(), "{text}");
            }
        }
        // Some of those n-grams are in the vocabulary, some not.
        let mut ngrams = Vec::new();
        collect_ngrams("刷单日结\n加v信abc", &mut ngrams);
        let mut slots = Vec::new();
        j.pass(&ngrams, &mut slots);
        assert!(slots.iter().any(|s| j.known(*s)) && slots.iter().any(|s| !j.known(*s)));
        // Models of other vocabularies are not joined.
        let other = write_model(&[0.0; FRAUD_CLASSES], &[(7, 2.0, [0.5; FRAUD_CLASSES])], &[]);
        assert!(Joint::build(&c, &Model::<FRAUD_CLASSES>::load(&other).unwrap()).is_none());
    }

    #[test]
    fn the_index_keeps_every_hash_apart() {
        // 0 marks an empty slot, so the hash 0 has a slot of its own; 0,
        // 1 and u32::MAX are three different n-grams.
        let mut t = Table::<1>::with_len(3);
        for (h, w) in [(u32::MAX, 3), (0, 1), (1, 2)] {
            t.insert(h, 1.0, [w]).unwrap();
        }
        assert_eq!(t.index.len, 3);
        for (h, w) in [(0, 1), (1, 2), (u32::MAX, 3)] {
            assert_eq!(t.get(h).map(|r| r.w[0]), Some(w), "hash {h}");
        }
        assert!(t.get(2).is_none());
        // Inserting a hash again replaces its row.
        t.insert(0, 1.0, [7]).unwrap();
        assert_eq!((t.index.len, t.get(0).map(|r| r.w[0])), (3, Some(7)));
        // A full index refuses more.
        let mut full = Index::with_len(1);
        let cap = full.mask;
        for h in 1..=cap as u32 {
            full.insert(h).unwrap();
        }
        assert!(full.insert(cap as u32 + 1).is_none());
        assert!(full.get(cap as u32 + 1).is_none(), "a probe of a full index ends");
    }

    #[test]
    fn shipped_model_loads() {
        let m = Model::<CLASSES>::load(DEFAULT_MODEL).unwrap();
        assert!(m.len() > 1000);
    }

    #[test]
    fn ngram_spans_are_the_longer_ngram_features() {
        let text = "刷单日结\n加v信abc";
        let mut ngrams = Vec::new();
        collect_ngrams(text, &mut ngrams);
        let plain: Vec<(u32, f32)> = ngrams.iter().map(|h| (*h, 1.0)).collect();
        // 4 + 6 characters: 4 + 3 + 2 and 6 + 5 + 4 n-grams.
        assert_eq!(plain.len(), 9 + 15);
        let mut spans = Vec::new();
        for_each_ngram_span(text, |i, h, at, label| {
            assert_eq!(text.get(at..at + label.len()), Some(label));
            assert_eq!(ngrams.get(i), Some(&h), "{label} is n-gram {i}");
            spans.push((h, label));
        });
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

    #[test]
    fn features_stop_at_sentence_breaks() {
        let mut ngrams = Vec::new();
        collect_ngrams("ab\ncd", &mut ngrams);
        let crossing = [ngram_hash(2, 'b' as u32, 'c' as u32, 0), ngram_hash(2, 'b' as u32, '\n' as u32, 0)];
        assert_eq!(ngrams.len(), 6);
        assert!(ngrams.iter().all(|h| !crossing.contains(h)));
    }
}
