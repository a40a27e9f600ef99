//! The analysis engine: an immutable, thread-safe bundle of the compiled
//! lexicon and its automaton.

use std::cell::RefCell;
use std::sync::Arc;

use crate::analysis::{Analysis, Entity, Evidence, FraudAssessment, Hit, Summary};
use crate::classifier::{
    collect_ngrams, for_each_named, for_each_ngram_span, Joint, Model, Models, RuleFacts, CLASSES, DEFAULT_FRAUD_MODEL, DEFAULT_MODEL,
    FRAUD_CLASSES, FRAUD_TYPES,
};
use crate::entities::{find_entities, EntityCue, Found};
use crate::error::{Error, Result};
use crate::lexicon::Lexicon;
use crate::mask::{mask_shown, mask_spans, shown_text};
use crate::matcher::{Compiled, Pseudo, RawHit};
use crate::message::Message;
use crate::normalize::Normalized;
use crate::scoring::{risk, Family, Scores};
use crate::types::{Category, EntityKind, FraudType, Role, Stance};

/// The default maximum message size, in bytes (1 MiB).
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 1 << 20;

/// Per-call options of [`Engine::analyze_with`].
///
/// ```
/// use jingmin::{AnalyzeOptions, Engine, Role};
/// let opts = AnalyzeOptions { role: Role::Police, raw: false };
/// let a = Engine::default().analyze_with("明早9点在东门开展防诈宣传", &opts);
/// assert_eq!(a.category, jingmin::Category::Reminder);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AnalyzeOptions {
    /// Who sent the message; the classifier reads a police notice and a
    /// resident's question differently.
    pub role: Role,
    /// Leave personal data (phones, ID and bank card numbers) unmasked.
    pub raw: bool,
}

/// The analysis engine.
///
/// An `Engine` is immutable once built, `Send + Sync`, and cheap to clone
/// (clones share the compiled lexicon), so one engine serves any number of
/// threads.
///
/// ```
/// let engine = jingmin::Engine::default();
/// let a = engine.analyze("日结300 刷单 加V");
/// assert_eq!(a.fraud.stance, jingmin::Stance::Solicitation);
/// ```
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    compiled: Compiled,
    model: Option<Arc<Model<CLASSES>>>,
    fraud_model: Option<Arc<Model<FRAUD_CLASSES>>>,
    /// Both models' n-gram rows in one table, when they share a
    /// vocabulary: then the only copy of the rows, read even when the
    /// fraud model is off.
    joint: Option<Arc<Joint>>,
    /// The keywords of the fraud entries the user's layers add or
    /// strengthen: the fraud model never overrules a hit of theirs.
    user_keywords: std::collections::HashSet<Box<str>>,
    max_message_bytes: usize,
}

/// The built-in models, loaded once per process.
static DEFAULT_MODELS: once_cell::sync::Lazy<Option<Models>> = once_cell::sync::Lazy::new(|| {
    let c = Model::<CLASSES>::load(DEFAULT_MODEL).ok().filter(|m| m.len() > 0)?;
    let f = Model::<FRAUD_CLASSES>::load(DEFAULT_FRAUD_MODEL).ok().filter(|m| m.len() > 0)?;
    Some(Models::new(c, f))
});

/// The engine's model fields from its models: the fraud model only when
/// the learned fraud layer is on.
type ModelFields = (Option<Arc<Model<CLASSES>>>, Option<Arc<Model<FRAUD_CLASSES>>>, Option<Arc<Joint>>);

fn model_fields(models: Option<Models>, learned_fraud: bool) -> ModelFields {
    match models {
        Some(m) => (Some(m.category), learned_fraud.then_some(m.fraud), m.joint),
        None => (None, None, None),
    }
}

/// What `decide` settles before any output is built.
struct Decision {
    category: Category,
    confidence: f32,
    stance: Stance,
    contacts: usize,
    /// The fraud model's stance probabilities (none, warning, inquiry,
    /// solicitation, victim report), when the engine has the model.
    stance_p: Option<[f32; 5]>,
}

/// Per-thread buffers reused across messages, so steady-state analysis
/// allocates little.
#[derive(Default)]
struct Scratch {
    norm: Normalized,
    hits: Vec<RawHit>,
    cues: Vec<EntityCue>,
    found: Vec<Found>,
    scores: Scores,
    types: Vec<FraudType>,
    /// The message's n-gram hashes, computed once for every model.
    ngrams: Vec<u32>,
    /// Their slots in the joint table, when the engine has one.
    slots: Vec<u32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    let mut f = Some(f);
    let done = SCRATCH.try_with(|cell| {
        let mut s = cell.try_borrow_mut().ok()?;
        let f = f.take()?;
        Some(f(&mut s))
    });
    if let Ok(Some(r)) = done {
        return r;
    }
    // Thread-local storage torn down, or a nested call: use fresh buffers.
    // `f` is still here: it is taken only by a call that returned above.
    match f {
        Some(f) => f(&mut Scratch::default()),
        None => unreachable!("scratch closure consumed without a result"),
    }
}

/// How sure the fraud model must be that a message is fraud-related when
/// no lexicon keyword says so. Chosen on the leave-one-source-out
/// predictions: at 0.6 no held-out set's messages without fraud content are
/// flagged more than 3.6 % of the time, and the scams the lexicon misses are
/// found (README, "Accuracy").
const MODEL_ALONE: f32 = 0.6;

/// Characters that begin or end no word a person would be shown as
/// evidence: pronouns, particles, the commonest function words.
const FUNCTION_CHARS: [char; 45] = ['的', '了', '是', '我', '你', '您', '他', '她', '它', '们', '这', '那', '在', '有', '和', '与', '及', '或', '就', '都', '也', '还', '吗', '呢', '吧', '啊', '呀', '哦', '么', '个', '请', '被', '把', '给', '从', '对', '为', '以', '于', '之', '其', '而', '但', '又', '很'];

/// How sure the fraud model must be that a message is not fraud-related to
/// overrule the lexicon's keywords.
const MODEL_VETO: f32 = 0.8;

/// Risk from the stance probabilities: the band of the stance decided,
/// placed by the probability of that stance (of any fraud, for none).
fn probability_risk(stance: Stance, p: &[f32; 5]) -> u32 {
    let at = |i: usize| p.get(i).copied().unwrap_or(0.0).clamp(0.0, 1.0);
    let (lo, span, q) = match stance {
        Stance::Solicitation => (70.0, 30.0, at(3)),
        Stance::VictimReport => (70.0, 30.0, at(4)),
        Stance::Inquiry => (35.0, 30.0, at(2)),
        Stance::Warning => (10.0, 20.0, at(1)),
        Stance::None => (0.0, 29.0, 1.0 - at(0)),
    };
    (lo + span * q).round() as u32
}

/// The softmax of five logits (the stances); zeros for fewer.
fn softmax(logits: &[f32]) -> [f32; 5] {
    let mut p = [0f32; 5];
    let max = logits.iter().copied().fold(f32::MIN, f32::max);
    let mut sum = 0f32;
    for (pi, l) in p.iter_mut().zip(logits) {
        *pi = (l - max).exp();
        sum += *pi;
    }
    if sum > 0.0 {
        for pi in &mut p {
            *pi /= sum;
        }
    }
    p
}

/// The category a fraud stance settles (taxonomy §1, "where two seem to
/// fit"): a resident asking whether something is a scam is `safety`, and
/// one reporting a loss to fraud is `anomaly`, unless the message is thanks
/// (`praise`). Every labelled set holds to it (all 1,051 inquiries; 851 of
/// 868 victim reports, the rest thanks or a dispute); the category model
/// alone, held out, does not. The confidence is then the stance's
/// probability, when the fraud model gave one. An officer's message keeps
/// the category model's choice.
fn stance_category(category: Category, confidence: f32, stance: Stance, role: Role, stance_p: Option<&[f32; 5]>) -> (Category, f32) {
    let settled = match stance {
        _ if role == Role::Police => None,
        Stance::Inquiry => Some(Category::Safety),
        Stance::VictimReport if category != Category::Praise => Some(Category::Anomaly),
        _ => None,
    };
    match settled {
        Some(c) if c != category => {
            (c, stance_p.and_then(|p| p.get(stance.code() as usize)).copied().unwrap_or(confidence))
        }
        _ => (category, confidence),
    }
}

/// The best class of `logits` and its softmax probability.
fn softmax_best(logits: &[f32; CLASSES]) -> (Category, f32) {
    let mut best = 0usize;
    for (i, v) in logits.iter().enumerate() {
        if *v > logits.get(best).copied().unwrap_or(f32::MIN) {
            best = i;
        }
    }
    let max = logits.get(best).copied().unwrap_or(0.0);
    let sum: f32 = logits.iter().map(|v| (v - max).exp()).sum();
    let conf = if sum > 0.0 { 1.0 / sum } else { 0.0 };
    (Category::from_code(best as u32).unwrap_or(Category::Other), (conf * 100.0).round() / 100.0)
}

/// Converts byte offsets of one text to Unicode scalar offsets, counting
/// forward from the previous answer (offsets come mostly in order), so a
/// message costs one pass rather than one per offset.
struct CharCursor<'a> {
    bytes: &'a [u8],
    byte: usize,
    chars: usize,
}

impl<'a> CharCursor<'a> {
    fn new(text: &'a str) -> Self {
        CharCursor { bytes: text.as_bytes(), byte: 0, chars: 0 }
    }

    fn at(&mut self, b: usize) -> usize {
        if b < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        let span = self.bytes.get(self.byte..b).unwrap_or(&[]);
        self.chars += span.iter().filter(|&&x| (x as i8) >= -0x40).count();
        self.byte = b;
        self.chars
    }
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();
};

static DEFAULT_ENGINE: once_cell::sync::Lazy<Engine> = once_cell::sync::Lazy::new(|| {
    let compiled = Compiled::build(Lexicon::default_lexicon()).unwrap_or_else(|_| empty_compiled());
    let (model, fraud_model, joint) = model_fields(DEFAULT_MODELS.clone(), true);
    Engine {
        inner: Arc::new(Inner {
            compiled,
            model,
            fraud_model,
            joint,
            user_keywords: std::collections::HashSet::new(),
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
        }),
    }
});

fn empty_compiled() -> Compiled {
    // The default lexicon is covered by a unit test; an empty one is the
    // last resort that keeps `default()` total.
    Compiled::empty()
}

impl Default for Engine {
    /// The engine with the built-in default lexicon (compiled once per
    /// process; later calls share it).
    fn default() -> Self {
        DEFAULT_ENGINE.clone()
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("max_message_bytes", &self.inner.max_message_bytes).finish()
    }
}

impl Engine {
    /// A builder for an engine with a user lexicon or other limits.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::new()
    }

    /// Analyse one message of unknown sender, with personal data masked.
    pub fn analyze(&self, text: &str) -> Analysis {
        self.analyze_with(text, &AnalyzeOptions::default())
    }

    /// Analyse one message with options.
    pub fn analyze_with(&self, text: &str, options: &AnalyzeOptions) -> Analysis {
        with_scratch(|scr| self.run(scr, text, options))
    }

    /// Everything but the output strings: normalise, match, score, classify.
    fn decide(&self, scr: &mut Scratch, text: &str, role: Role) -> Decision {
        let c = &self.inner.compiled;
        scr.norm.run(text);
        c.scan(&scr.norm, text, &mut scr.hits);
        scr.scores.reset(c.signal_names.len());
        scr.scores.add_hits(c, &scr.hits, role);

        // Entities, read from the folded view after the cues the automaton saw.
        c.entity_cues(&scr.hits, &scr.norm, &mut scr.cues);
        scr.found.clear();
        find_entities(&scr.norm.folded, &scr.cues, &mut scr.found);

        // Signals from the message itself.
        let sc = &mut scr.scores;
        sc.set(match role {
            Role::Police => Pseudo::RolePolice,
            Role::Resident => Pseudo::RoleResident,
            Role::Unknown => Pseudo::RoleUnknown,
        });
        if scr.norm.question {
            sc.set(Pseudo::Question);
        }
        let mut contacts = 0;
        for f in &scr.found {
            match f.kind {
                EntityKind::Money => sc.set(Pseudo::Money),
                EntityKind::Url => {
                    sc.set(Pseudo::Url);
                    sc.set(Pseudo::Contact);
                    contacts += 1;
                }
                EntityKind::Phone | EntityKind::WechatId | EntityKind::QqNumber => {
                    sc.set(Pseudo::Contact);
                    contacts += 1;
                }
                _ => {}
            }
        }
        if scr.norm.content_chars <= 4 {
            sc.set(Pseudo::Short);
        }

        sc.apply_combos(c, role, Family::Fraud);
        sc.fraud_types(&mut scr.types);
        let mut stance = Stance::None;
        if !scr.types.is_empty() {
            sc.set(Pseudo::Fraud);
            sc.apply_combos(c, role, Family::Stance);
            stance = sc.stance();
            sc.set(match stance {
                Stance::Inquiry => Pseudo::StanceInquiry,
                Stance::Solicitation => Pseudo::StanceSolicitation,
                Stance::VictimReport => Pseudo::StanceVictimReport,
                _ => Pseudo::StanceWarning,
            });
        }
        sc.apply_combos(c, role, Family::Category);
        // The n-grams once, for both models; the facts are the rules'.
        scr.ngrams.clear();
        collect_ngrams(&scr.norm.dense, &mut scr.ngrams);
        let facts = self.facts(scr, role, contacts);
        // One pass over the n-grams for both models when they share a
        // table; the fraud types' part of it only for a message found
        // fraud-related (below).
        let inner = &*self.inner;
        let (cat_logits, fraud_logits, pass) = match (&inner.joint, &inner.model) {
            (Some(j), Some(m)) => {
                let pass = j.pass(&scr.ngrams, &mut scr.slots);
                let fraud = inner.fraud_model.as_ref().map(|fm| j.fraud(fm, &pass, None, &facts));
                (Some(j.category(m, &pass, &facts)), fraud, Some((j, pass)))
            }
            (_, m) => {
                scr.slots.clear();
                let fraud = inner.fraud_model.as_ref().map(|f| f.scores(&scr.ngrams, &facts));
                (m.as_ref().map(|m| m.scores(&scr.ngrams, &facts)), fraud, None)
            }
        };
        let (category, confidence) = match &cat_logits {
            Some(l) => softmax_best(l),
            None => scr.scores.category(),
        };
        let mut stance_p = None;
        if let Some(logits) = fraud_logits {
            let p = softmax(logits.get(..5).unwrap_or(&[]));
            let at = |i: usize| p.get(i).copied().unwrap_or(0.0);
            // The likeliest fraud stance, and whether the message is
            // fraud-related at all: without a lexicon hit the model must be
            // sure (an identity claim or a money word alone is not fraud);
            // against a lexicon hit it must be sure to say no, and a
            // disguised keyword (刷*单, 菠菜, ｓｈｕａ单) it cannot overrule
            // (the disguise is itself the sign), nor a keyword the user's
            // lexicon adds or strengthens.
            let fraud_best = (1..5).max_by(|&a, &b| at(a).total_cmp(&at(b)).then(b.cmp(&a))).unwrap_or(1);
            let fraud = if scr.types.is_empty() {
                at(0) <= 1.0 - MODEL_ALONE
            } else {
                // The hits are walked only when the model would say no.
                at(0) < MODEL_VETO || {
                    let mut kept = false;
                    c.reported_hits(&scr.hits, &scr.norm, &scr.types, |_, _, kw, o| {
                        kept |= o || inner.user_keywords.contains(kw);
                    });
                    kept
                }
            };
            let best = if fraud { fraud_best } else { 0 };
            stance = Stance::from_code(best as u32).unwrap_or(Stance::None);
            if stance == Stance::None {
                scr.types.clear();
            } else {
                // The type scores, with their n-gram part.
                let logits = match (&pass, &inner.fraud_model) {
                    (Some((j, pass)), Some(fm)) => j.fraud(fm, pass, Some(&scr.slots), &facts),
                    _ => logits,
                };
                let type_logits = logits.get(5..).unwrap_or(&[]);
                let logit = |i: usize| type_logits.get(i).copied().unwrap_or(f32::MIN);
                let top = (0..type_logits.len())
                    .max_by(|&a, &b| logit(a).total_cmp(&logit(b)).then(b.cmp(&a)))
                    .and_then(|i| FRAUD_TYPES.get(i).copied())
                    .unwrap_or(FraudType::Generic);
                scr.types.retain(|t| *t != top);
                scr.types.insert(0, top);
            }
            stance_p = Some(p);
        }
        let (category, confidence) = stance_category(category, confidence, stance, role, stance_p.as_ref());
        Decision { category, confidence, stance, contacts, stance_p }
    }

    fn run(&self, scr: &mut Scratch, text: &str, options: &AnalyzeOptions) -> Analysis {
        let d = self.decide(scr, text, options.role);
        let c = &self.inner.compiled;
        let mut evidence: Vec<Evidence> = Vec::new();
        scr.scores.evidence_for(c, &scr.hits, d.category, &mut evidence);
        // The wording the model read, when no lexicon cue speaks for the
        // category it chose.
        if evidence.is_empty() {
            if let Some(m) = &self.inner.model {
                self.model_evidence(m, scr, d.category, &mut evidence);
            }
        }
        let mut cursor = CharCursor::new(text);
        let mut hits: Vec<Hit> = Vec::new();
        if !scr.types.is_empty() {
            self.inner.compiled.reported_hits(&scr.hits, &scr.norm, &scr.types, |h, fraud_type, keyword, obfuscated| {
                let Some((os, oe)) = scr.norm.dense_to_original(h.start as usize, h.end as usize) else { return };
                hits.push(Hit {
                    fraud_type,
                    keyword: shown_text(keyword, options.raw),
                    matched: shown_text(text.get(os..oe).unwrap_or(""), options.raw),
                    start: os,
                    end: oe,
                    char_start: cursor.at(os),
                    char_end: cursor.at(oe),
                    obfuscated,
                });
            });
        }
        let risk = self.risk(scr, &d, hits.iter().filter(|h| h.obfuscated).count());
        let entities = self.entities(scr, text, options.raw);
        Analysis {
            id: None,
            category: d.category,
            confidence: d.confidence,
            evidence,
            fraud: FraudAssessment { types: scr.types.clone(), stance: d.stance, risk, hits },
            entities,
        }
    }

    fn risk(&self, scr: &Scratch, d: &Decision, obfuscated_hits: usize) -> u32 {
        match d.stance_p {
            // The fraud model's probabilities, within the stance's band:
            // solicitation and victim report 70–100, inquiry 35–65, warning
            // 10–30, no fraud 0–29 by the probability that it is fraud.
            Some(p) => probability_risk(d.stance, &p),
            None => {
                let primary = scr.types.first().copied().unwrap_or(FraudType::None);
                risk(d.stance, scr.scores.type_score_of(primary), obfuscated_hits, d.contacts)
            }
        }
    }

    /// The digest, without building any string.
    fn summary(&self, scr: &mut Scratch, text: &str, role: Role) -> Summary {
        let d = self.decide(scr, text, role);
        let (mut hit_count, mut obfuscated) = (0u32, 0usize);
        if !scr.types.is_empty() {
            self.inner.compiled.reported_hits(&scr.hits, &scr.norm, &scr.types, |_, _, _, o| {
                hit_count += 1;
                obfuscated += usize::from(o);
            });
        }
        let risk = self.risk(scr, &d, obfuscated);
        Summary {
            category: d.category,
            confidence: d.confidence,
            fraud_type: scr.types.first().copied().unwrap_or(FraudType::None),
            stance: d.stance,
            risk,
            hit_count,
            entity_count: u32::try_from(scr.found.len()).unwrap_or(u32::MAX),
        }
    }

    fn facts(&self, scr: &Scratch, role: Role, contacts: usize) -> RuleFacts {
        let mut kinds = 0u16;
        for f in &scr.found {
            kinds |= 1 << (f.kind.code() as u16).min(15);
        }
        RuleFacts {
            role,
            question: scr.norm.question,
            entity_kinds: kinds,
            cat_score: scr.scores.cat_score,
            chars: scr.norm.content_chars,
            contacts,
        }
    }

    /// The wording that counted most for `category` in the model: up to
    /// three phrases of the message, each made of the overlapping n-grams
    /// of two or three ideographs that count for it.
    fn model_evidence(&self, m: &Model<CLASSES>, scr: &Scratch, category: Category, out: &mut Vec<Evidence>) {
        let k = category.code() as usize;
        let dense = scr.norm.dense.as_str();
        // The weight of the n-gram at `i` (of `collect_ngrams`): from the
        // slot the joint pass found, else from the model's own table.
        let weight = |i: usize, h: u32| match &self.inner.joint {
            Some(j) if scr.slots.len() == scr.ngrams.len() => {
                scr.slots.get(i).filter(|s| j.known(**s)).map(|s| j.category_weight(m, *s, k))
            }
            _ => m.weight(h, k),
        };
        // The n-grams of two and three characters that count for the
        // category, as byte spans of the dense text: only ideographs, never
        // a pair such as "录h" or "56", and never starting or ending on a
        // function character (您, 的, 了, 我 …), which no word does.
        let mut spans: Vec<(usize, usize, f32)> = Vec::new();
        // The weight first: most n-grams do not count, and it is one read.
        for_each_ngram_span(dense, |i, h, start, label| {
            let Some(contrib) = weight(i, h).filter(|w| *w > 0.3) else { return };
            let (Some(first), Some(last)) = (label.chars().next(), label.chars().last()) else { return };
            if FUNCTION_CHARS.contains(&first)
                || FUNCTION_CHARS.contains(&last)
                || !label.chars().all(crate::normalize::is_ideograph)
            {
                return;
            }
            spans.push((start, start + label.len(), contrib));
        });
        // Overlapping n-grams are one phrase of the message: 免费 + 费领 +
        // 领鸡蛋 read as 免费领鸡蛋.
        spans.sort_by_key(|s| s.0);
        let mut phrases: Vec<(usize, usize, f32)> = Vec::new();
        for (st, e, w) in spans {
            match phrases.last_mut() {
                Some(last) if st < last.1 => {
                    last.1 = last.1.max(e);
                    last.2 = last.2.max(w);
                }
                _ => phrases.push((st, e, w)),
            }
        }
        phrases.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        let mut shown = 0;
        for (st, e, w) in phrases {
            let Some(label) = dense.get(st..e) else { continue };
            if shown == 3 || out.iter().any(|ev| ev.feature.contains(label) || label.contains(ev.feature.as_str())) {
                continue;
            }
            out.push(Evidence { feature: format!("“{label}”"), category, weight: (w * 100.0).round() / 100.0 });
            shown += 1;
        }
    }

    fn entities(&self, scr: &Scratch, text: &str, raw: bool) -> Vec<Entity> {
        let mut out = Vec::with_capacity(scr.found.len());
        let mut cursor = CharCursor::new(text);
        for f in &scr.found {
            let Some((os, oe)) = scr.norm.folded_to_original(f.start, f.end) else { continue };
            let Some(orig) = text.get(os..oe) else { continue };
            let shown = if raw { orig.to_owned() } else { mask_shown(f.kind, orig) };
            out.push(Entity {
                kind: f.kind,
                text: shown,
                value: f.value,
                start: os,
                end: oe,
                char_start: cursor.at(os),
                char_end: cursor.at(oe),
            });
        }
        out
    }

    /// Analyse a message (taxonomy §4): its role is used and its `id` echoed.
    pub fn analyze_message(&self, message: &Message) -> Analysis {
        let mut a = self.analyze_with(&message.text, &AnalyzeOptions { role: message.role, raw: false });
        a.id = message.id.clone();
        a
    }

    /// Like [`Engine::analyze_with`], but refuses text over the engine's
    /// maximum message size.
    pub fn try_analyze_with(&self, text: &str, options: &AnalyzeOptions) -> Result<Analysis> {
        self.check_len(text.len())?;
        Ok(self.analyze_with(text, options))
    }

    /// The fixed-size digest of the analysis.
    pub fn summarize(&self, text: &str) -> Summary {
        self.summarize_with(text, Role::Unknown)
    }

    /// The fixed-size digest of the analysis of a message from `role`.
    pub fn summarize_with(&self, text: &str, role: Role) -> Summary {
        with_scratch(|scr| self.summary(scr, text, role))
    }

    /// The text with personal data (phones, ID and bank card numbers) masked.
    ///
    /// ```
    /// let masked = jingmin::Engine::default().mask("我的电话13912345678");
    /// assert_eq!(masked, "我的电话139****5678");
    /// ```
    pub fn mask(&self, text: &str) -> String {
        let a = self.analyze_with(text, &AnalyzeOptions { role: Role::Unknown, raw: true });
        let spans: Vec<(EntityKind, usize, usize)> = a.entities.iter().map(|e| (e.kind, e.start, e.end)).collect();
        mask_spans(text, &spans)
    }

    /// What the models read of a message: its n-gram hashes (in order,
    /// repeats kept; [`ngram_values`](crate::ngram_values) turns them into
    /// the model's values) and its named rule features as `(hash, value)`
    /// pairs. For the trainer (`examples/train_classifier.rs`); not a
    /// stable interface.
    #[doc(hidden)]
    pub fn model_inputs(&self, text: &str, role: Role) -> (Vec<u32>, Vec<(u32, f32)>) {
        with_scratch(|scr| {
            let d = self.decide(scr, text, role);
            let facts = self.facts(scr, role, d.contacts);
            let mut named = Vec::new();
            for_each_named(&facts, |h, v| named.push((h, v)));
            (scr.ngrams.clone(), named)
        })
    }

    /// The number of distinct patterns in the engine's automaton.
    pub fn pattern_count(&self) -> usize {
        self.inner.compiled.pattern_count()
    }

    /// The largest message, in bytes, that the checked entry points accept.
    pub fn max_message_bytes(&self) -> usize {
        self.inner.max_message_bytes
    }

    /// `Err(Error::TooLarge)` when `len` exceeds the maximum message size.
    pub fn check_len(&self, len: usize) -> Result<()> {
        if len > self.inner.max_message_bytes {
            Err(Error::TooLarge { len, max: self.inner.max_message_bytes })
        } else {
            Ok(())
        }
    }
}

/// Configures and builds an [`Engine`].
///
/// ```
/// let engine = jingmin::Engine::builder()
///     .lexicon_json(r#"{"entries":[{"pattern":"跑腿代办","kind":"fraud","type":"fake_shopping","weight":2}]}"#)
///     .unwrap()
///     .build()
///     .unwrap();
/// assert_eq!(engine.max_message_bytes(), jingmin::DEFAULT_MAX_MESSAGE_BYTES);
/// ```
#[derive(Clone, Debug)]
pub struct EngineBuilder {
    use_default: bool,
    layers: Vec<Lexicon>,
    max_message_bytes: usize,
    category_model: bool,
    learned_fraud: bool,
    models: Option<Models>,
}

impl Default for EngineBuilder {
    fn default() -> Self {
        EngineBuilder::new()
    }
}

impl EngineBuilder {
    /// A builder starting from the built-in default lexicon.
    pub fn new() -> Self {
        EngineBuilder {
            use_default: true,
            layers: Vec::new(),
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
            category_model: true,
            learned_fraud: true,
            models: None,
        }
    }

    /// Start from an empty lexicon instead of the built-in one.
    pub fn without_default_lexicon(mut self) -> Self {
        self.use_default = false;
        self
    }

    /// Layer a lexicon (JSON) over what the builder has so far: its entries
    /// add to, override or disable earlier ones. A malformed lexicon is
    /// refused with an error naming the entry and the field.
    pub fn lexicon_json(self, json: &str) -> Result<Self> {
        Ok(self.lexicon(Lexicon::from_json(json)?))
    }

    /// Layer a parsed lexicon over what the builder has so far.
    pub fn lexicon(mut self, lexicon: Lexicon) -> Self {
        self.layers.push(lexicon);
        self
    }

    /// Decide by the lexicon alone, without the built-in linear models
    /// (which read the lexicon's cues too, and the wording around them):
    /// categories by the category cues, fraud by the keywords, signals and
    /// combos. Useful to study a user lexicon's cues in isolation, and what
    /// the trainer computes its features with.
    pub fn rules_only(mut self) -> Self {
        self.category_model = false;
        self.models = None;
        self
    }

    /// Decide fraud with the built-in learned fraud model over the lexicon
    /// (`model/fraud.bin`: stance and type from character n-grams of the
    /// normalised text, the sender's role and the rule scorers' outputs).
    /// This is the default; the call is kept for code that asked for it
    /// before it was.
    ///
    /// ```
    /// let engine = jingmin::Engine::builder().learned_fraud_model().build().unwrap();
    /// let a = engine.analyze("您好，我是鲸选商城的售后专员，您的订单因质检问题需要退款，请下载会议软件共享屏幕配合操作");
    /// assert!(!a.fraud.types.is_empty());
    /// ```
    pub fn learned_fraud_model(mut self) -> Self {
        self.learned_fraud = true;
        self
    }

    /// Decide fraud by the lexicon alone (its keywords, signals and
    /// combos), keeping the category model: what the engine did before the
    /// learned fraud layer, for a platform that wants every flag to come
    /// from a word it can point at.
    ///
    /// ```
    /// let engine = jingmin::Engine::builder().lexicon_fraud().build().unwrap();
    /// let a = engine.analyze("刷单日结，加微信");
    /// assert_eq!(a.fraud.stance, jingmin::Stance::Solicitation);
    /// assert!(!a.fraud.hits.is_empty());
    /// ```
    pub fn lexicon_fraud(mut self) -> Self {
        self.learned_fraud = false;
        self
    }

    /// Use other trained models than the built-in ones: a category model and
    /// a fraud model, as `examples/train_classifier.rs` writes them (to
    /// measure a model trained without some data, or to ship one trained on
    /// a platform's own). Refused when a file is not a model of the right
    /// shape. [`lexicon_fraud`](Self::lexicon_fraud) still turns the fraud
    /// model off. Two models of one vocabulary (as the trainer writes them)
    /// share one table of n-gram rows; others score each from its own.
    pub fn models(mut self, category: &[u8], fraud: &[u8]) -> Result<Self> {
        let c = Model::<CLASSES>::load(category)?;
        let f = Model::<FRAUD_CLASSES>::load(fraud)?;
        self.category_model = true;
        self.models = Some(Models::new(c, f));
        Ok(self)
    }

    /// The largest message the checked entry points accept.
    pub fn max_message_bytes(mut self, bytes: usize) -> Self {
        self.max_message_bytes = bytes;
        self
    }

    /// Compile the engine.
    pub fn build(self) -> Result<Engine> {
        let mut lex = if self.use_default { Lexicon::default_lexicon().clone() } else { Lexicon::default() };
        for l in &self.layers {
            lex.layer(l);
        }
        for l in &self.layers {
            lex.check_layer_combos(l)?;
        }
        let compiled = Compiled::build(&lex)?;
        let models = match (self.category_model, self.models) {
            (false, _) => None,
            (true, Some(m)) => Some(m),
            (true, None) => DEFAULT_MODELS.clone(),
        };
        let (model, fraud_model, joint) = model_fields(models, self.learned_fraud);
        let user_keywords = self
            .layers
            .iter()
            .flat_map(|l| l.entries().iter())
            .filter(|e| e.kind == crate::lexicon::EntryKind::Fraud)
            .map(crate::lexicon::Entry::reported_keyword)
            .collect();
        Ok(Engine {
            inner: Arc::new(Inner { compiled, model, fraud_model, joint, user_keywords, max_message_bytes: self.max_message_bytes }),
        })
    }
}
