//! Lexicons: the data that drives detection and classification.
//!
//! A lexicon is a JSON document with a list of `entries` and an optional list
//! of `combos`. Every entry has a `pattern` and a `kind`:
//!
//! | kind | meaning | target field |
//! |---|---|---|
//! | `fraud` | fraud keyword | `type`: a fraud type name |
//! | `category` | work-category cue | `category` |
//! | `stance` | stance cue (warning frame, question, lure, loss) | `stance` |
//! | `signal` | a named cue that combos and scorers read (`channel`, `money_action`, `identity_claim`, `negation`, …) | `signal` |
//! | `entity` | entity cue: an id follows it | `entity`: `wechat_id` or `qq_number` |
//! | `allow` | allow-word: suppresses fraud hits it overlaps | — |
//!
//! Optional fields: `weight` (default 1; finite, −100 to 100), `role`
//! (`police`, `resident` or `unknown`: the cue counts only for that sender),
//! `canonical` (the keyword reported for a disguised pattern, e.g. `薇信` →
//! `微信`), `substitution` (the pattern is itself a disguise: hits are flagged
//! obfuscated), `disabled` (in a layer: removes the entry with the same
//! pattern, kind and target from the layers below).
//!
//! A combo adds `weight` to a fraud type, stance or category when all the
//! signals it names were seen in a message:
//! `{"when": ["identity_claim", "money_action"], "type": "impersonate_acquaintance", "weight": 1.2}`.
//!
//! Patterns are normalised like text (Traditional folded, full-width and case
//! folded, noise dropped), so one entry matches every disguise of a word.
//!
//! Limits, enforced with an error naming them: a document of at most
//! [`MAX_LEXICON_BYTES`] (16 MiB), [`MAX_ENTRIES`] entries (50,000: an engine
//! at the limit takes about a second and 100 MB to build) and
//! [`MAX_COMBOS`] combos (4,096), patterns of at most [`MAX_PATTERN_BYTES`]
//! (256). A leading UTF-8 byte-order mark is accepted. A key given twice in
//! an entry or combo is refused, naming the entry (or combo) and the key; an
//! entry given twice (the same pattern as normalised, kind and target) is
//! accepted, the later replacing the earlier, with a warning naming both
//! ([`Lexicon::warnings`]). Combos are numbered as their own document
//! numbers them, also when layered over the built-in lexicon.
//!
//! ```
//! use jingmin::Lexicon;
//!
//! let user = Lexicon::from_json(r#"{"entries": [
//!     {"pattern": "跑腿代办", "kind": "fraud", "type": "fake_shopping", "weight": 2},
//!     {"pattern": "刷单", "kind": "fraud", "type": "task_rebate", "disabled": true}
//! ]}"#).unwrap();
//! let mut lex = Lexicon::default_lexicon().clone();
//! lex.layer(&user);
//! assert!(lex.entries().iter().any(|e| e.pattern == "跑腿代办"));
//! assert!(!lex.entries().iter().any(|e| e.pattern == "刷单" && e.kind == jingmin::EntryKind::Fraud));
//!
//! let err = Lexicon::from_json(r#"{"entries": [{"pattern": "x", "kind": "fraud", "type": "nope"}]}"#).unwrap_err();
//! assert!(err.to_string().contains("entry 0"));
//! assert!(err.to_string().contains("type"));
//! ```

use std::collections::HashMap;

use once_cell::sync::Lazy;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::normalize::normalize_pattern;
use crate::types::{Category, EntityKind, FraudType, Role, Stance};

/// The built-in default lexicon, as shipped in `lexicon/default.json`.
pub const DEFAULT_LEXICON_JSON: &str = include_str!("../lexicon/default.json");

/// The most entries one lexicon document may hold (about a second and
/// 100 MB to build an engine at the limit).
pub const MAX_ENTRIES: usize = 50_000;
/// The most combos one lexicon document may hold.
pub const MAX_COMBOS: usize = 4_096;
/// The longest pattern, in bytes.
pub const MAX_PATTERN_BYTES: usize = 256;
/// The largest lexicon document, in bytes.
pub const MAX_LEXICON_BYTES: usize = 16 << 20;

/// The kind of a lexicon entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A fraud keyword.
    Fraud,
    /// A work-category cue.
    Category,
    /// A stance cue.
    Stance,
    /// A named signal read by combos and scorers.
    Signal,
    /// An entity cue.
    Entity,
    /// An allow-word.
    Allow,
}

/// One lexicon entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The text to find.
    pub pattern: String,
    /// What the entry is.
    pub kind: EntryKind,
    /// For `fraud`: the fraud type.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub fraud_type: Option<FraudType>,
    /// For `category`: the category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// For `stance`: the stance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stance: Option<Stance>,
    /// For `signal`: the signal's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<String>,
    /// For `entity`: the entity kind that follows the cue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<EntityKind>,
    /// The entry's weight.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub weight: f32,
    /// The sender role the cue is limited to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// The keyword reported for this pattern.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    /// The pattern is itself a disguise.
    #[serde(default, skip_serializing_if = "is_false")]
    pub substitution: bool,
    /// In a layer: remove the matching entry below.
    #[serde(default, skip_serializing_if = "is_false")]
    pub disabled: bool,
}

impl Entry {
    /// The keyword a hit of this entry reports: its canonical form, or the
    /// pattern as written.
    pub(crate) fn reported_keyword(&self) -> Box<str> {
        self.canonical.clone().unwrap_or_else(|| self.pattern.trim().to_owned()).into_boxed_str()
    }
}

/// A rule that adds weight when several signals co-occur.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Combo {
    /// Signal names that must all be present.
    pub when: Vec<String>,
    /// The fraud type that gains weight.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub fraud_type: Option<FraudType>,
    /// The stance that gains weight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stance: Option<Stance>,
    /// The category that gains weight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// The weight added.
    #[serde(default = "one")]
    pub weight: f32,
    /// The sender role the combo is limited to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
}

fn one() -> f32 {
    1.0
}
fn is_one(w: &f32) -> bool {
    *w == 1.0
}
fn is_false(b: &bool) -> bool {
    !*b
}

/// A validated lexicon.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Lexicon {
    entries: Vec<Entry>,
    /// The layering keys of `entries`, index for index, kept so that
    /// layering and compiling do not normalise every pattern again. Empty
    /// when the lexicon was made by serde; [`Lexicon::keys`] fills in.
    #[serde(skip)]
    keys: Vec<Key>,
    /// Disabled entries, kept so that layering this lexicon over another
    /// removes them there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    disabled: Vec<Entry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    combos: Vec<Combo>,
    /// What reading the document found questionable but accepted.
    #[serde(skip)]
    warnings: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDoc<'a> {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    version: Option<u32>,
    #[serde(default)]
    description: Option<String>,
    #[serde(borrow)]
    entries: Vec<&'a serde_json::value::RawValue>,
    #[serde(default, borrow)]
    combos: Vec<&'a serde_json::value::RawValue>,
}

/// [`RawDoc`] with its entries and combos typed: the fast path.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TypedDoc {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    version: Option<u32>,
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
    entries: Vec<Entry>,
    #[serde(default)]
    combos: Vec<Combo>,
}

fn check_count(entries: usize, combos: usize) -> Result<()> {
    if entries > MAX_ENTRIES {
        return Err(Error::Lexicon(format!("{entries} entries, the maximum is {MAX_ENTRIES}")));
    }
    if combos > MAX_COMBOS {
        return Err(Error::Lexicon(format!("{combos} combos, the maximum is {MAX_COMBOS}")));
    }
    Ok(())
}

/// The field a serde "duplicate field" error names, if it is one.
fn duplicate_field(e: &serde_json::Error) -> Option<String> {
    let msg = e.to_string();
    let rest = msg.strip_prefix("duplicate field `")?;
    Some(rest.split('`').next().unwrap_or("").to_owned())
}

/// A warning naming both entries for every entry of one document with the
/// same layering key (pattern as normalised, kind and target) as an earlier
/// one: the later replaces the earlier.
fn duplicates(entries: &[Entry]) -> Vec<String> {
    let mut seen: HashMap<Key, usize> = HashMap::with_capacity(entries.len());
    let mut out = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if let Some(first) = seen.insert(key(e), i) {
            let hint = pattern_hint(&e.pattern);
            out.push(format!(
                "entry {i}{hint}: the same pattern (as normalised), kind and target as entry {first}, which it replaces"
            ));
        }
    }
    out
}

/// The error of entry `i`, naming its pattern when that is safe to show.
fn entry_error(i: usize, pattern: Option<&str>, field: &str, why: &str) -> Error {
    let hint = pattern.map(pattern_hint).unwrap_or_default();
    Error::Lexicon(format!("entry {i}{hint}: field \"{field}\": {why}"))
}

fn combo_error(i: usize, field: &str, why: &str) -> Error {
    Error::Lexicon(format!("combo {i}: field \"{field}\": {why}"))
}

fn check_header(format: Option<&str>, version: Option<u32>) -> Result<()> {
    if let Some(f) = format {
        if f != "jingmin-lexicon" {
            return Err(Error::Lexicon(format!("field \"format\": expected \"jingmin-lexicon\", found {f:?}")));
        }
    }
    if let Some(v) = version {
        if v > 1 {
            return Err(Error::Lexicon(format!("field \"version\": {v} is newer than this library reads (1)")));
        }
    }
    Ok(())
}

// The default lexicon is validated by a unit test; should that ever not
// hold, an empty lexicon is the safe fallback.
static DEFAULT: Lazy<Lexicon> = Lazy::new(|| Lexicon::from_json(DEFAULT_LEXICON_JSON).unwrap_or_default());

impl PartialEq for Lexicon {
    /// Lexicons are equal when their entries, disabled entries and combos
    /// are (the cached keys follow from the entries).
    fn eq(&self, other: &Lexicon) -> bool {
        self.entries == other.entries && self.disabled == other.disabled && self.combos == other.combos
    }
}

/// What layering matches entries by: the normalised pattern, the kind and
/// the target's name.
type Key = (String, EntryKind, String);

/// The key that layering matches entries by.
fn key(e: &Entry) -> Key {
    let target = match e.kind {
        EntryKind::Fraud => e.fraud_type.map(|t| t.name().to_owned()),
        EntryKind::Category => e.category.map(|c| c.name().to_owned()),
        EntryKind::Stance => e.stance.map(|s| s.name().to_owned()),
        EntryKind::Signal => e.signal.clone(),
        EntryKind::Entity => e.entity.map(|k| k.name().to_owned()),
        EntryKind::Allow => None,
    };
    (normalize_pattern(&e.pattern), e.kind, target.unwrap_or_default())
}

impl Lexicon {
    /// The built-in default lexicon, parsed once.
    pub fn default_lexicon() -> &'static Lexicon {
        &DEFAULT
    }

    /// Parse and validate a lexicon document. Errors name the entry (its
    /// index and pattern) and the field.
    pub fn from_json(json: &str) -> Result<Lexicon> {
        // A byte-order mark, as editors on Windows write one.
        let json = json.strip_prefix('\u{feff}').unwrap_or(json);
        if json.len() > MAX_LEXICON_BYTES {
            return Err(Error::Lexicon(format!(
                "document is {} bytes, the maximum is {MAX_LEXICON_BYTES}",
                json.len()
            )));
        }
        // Fast path: the whole document read straight into entries. Any
        // document it refuses is read again value by value below, for an
        // error that names the entry and field; what it accepts reads the
        // same both ways.
        // (A duplicate key anywhere fails it: serde refuses duplicate
        // fields of a struct.)
        if let Ok(doc) = serde_json::from_str::<TypedDoc>(json) {
            check_header(doc.format.as_deref(), doc.version)?;
            check_count(doc.entries.len(), doc.combos.len())?;
            for (i, e) in doc.entries.iter().enumerate() {
                validate_entry(e).map_err(|(field, why)| entry_error(i, Some(&e.pattern), field, &why))?;
            }
            for (i, c) in doc.combos.iter().enumerate() {
                validate_combo(c).map_err(|(field, why)| combo_error(i, field, &why))?;
            }
            let warnings = duplicates(&doc.entries);
            let mut lex = Lexicon::assembled(doc.entries, doc.combos);
            lex.warnings = warnings;
            return Ok(lex);
        }
        Lexicon::from_json_values(json)
    }

    /// Check the combos of `layer`, one of the layers of this (merged)
    /// lexicon: every signal they name is defined by an entry here or is
    /// one of the engine's own. Errors number the combos as `layer`'s
    /// document does (`combo 0` is the first the user wrote).
    pub(crate) fn check_layer_combos(&self, layer: &Lexicon) -> Result<()> {
        let defined: std::collections::HashSet<&str> = self
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::Signal)
            .filter_map(|e| e.signal.as_deref())
            .chain(crate::matcher::Pseudo::ALL.iter().map(|p| p.name()))
            .collect();
        for (i, c) in layer.combos.iter().enumerate() {
            if let Some(s) = c.when.iter().find(|s| !defined.contains(s.as_str())) {
                let shown = if is_safe_to_show(s) { format!("{s:?}") } else { "a name".to_owned() };
                return Err(combo_error(i, "when", &format!("unknown signal {shown} (no entry defines it)")));
            }
        }
        Ok(())
    }

    /// [`Lexicon::from_json`] read value by value: slower, and the errors
    /// name the entry and field.
    fn from_json_values(json: &str) -> Result<Lexicon> {
        let doc: RawDoc = serde_json::from_str(json)
            .map_err(|e| Error::Lexicon(format!("not a lexicon document: {}", crate::error::describe_json_error(&e))))?;
        check_header(doc.format.as_deref(), doc.version)?;
        let _ = doc.description;
        check_count(doc.entries.len(), doc.combos.len())?;
        let mut entries = Vec::with_capacity(doc.entries.len());
        for (i, raw) in doc.entries.into_iter().enumerate() {
            let v: serde_json::Value = serde_json::from_str(raw.get())
                .map_err(|e| Error::Lexicon(format!("entry {i}: {}", crate::error::describe_json_error(&e))))?;
            let error = |field: &str, why: &str| entry_error(i, v.get("pattern").and_then(|p| p.as_str()), field, why);
            // A key given twice (the value reading would keep the last).
            if let Err(e) = serde_json::from_str::<Entry>(raw.get()) {
                if let Some(field) = duplicate_field(&e) {
                    return Err(error(&field, "given twice"));
                }
            }
            let e = entry_from_value(&v).map_err(|(field, why)| error(&field, &why))?;
            validate_entry(&e).map_err(|(field, why)| error(field, &why))?;
            entries.push(e);
        }
        let mut combos = Vec::with_capacity(doc.combos.len());
        for (i, raw) in doc.combos.into_iter().enumerate() {
            let c: Combo = serde_json::from_str(raw.get()).map_err(|err| match duplicate_field(&err) {
                Some(field) => combo_error(i, &field, "given twice"),
                None => Error::Lexicon(format!("combo {i}: {}", crate::error::describe_json_error(&err))),
            })?;
            validate_combo(&c).map_err(|(field, why)| combo_error(i, field, &why))?;
            combos.push(c);
        }
        let warnings = duplicates(&entries);
        let mut lex = Lexicon::assembled(entries, combos);
        lex.warnings = warnings;
        Ok(lex)
    }

    /// A lexicon of validated entries and combos, layered in order.
    fn assembled(entries: Vec<Entry>, combos: Vec<Combo>) -> Lexicon {
        let mut lex = Lexicon::default();
        lex.apply(
            entries.into_iter().map(|e| {
                let k = key(&e);
                (e, k)
            }).collect(),
            combos,
        );
        lex
    }

    /// Layer `other` over this lexicon: its entries add to or replace
    /// entries with the same pattern, kind and target; its disabled entries
    /// remove them; its combos are added.
    pub fn layer(&mut self, other: &Lexicon) {
        let mut all: Vec<(Entry, Key)> = other.disabled.iter().map(|e| (e.clone(), key(e))).collect();
        all.extend(other.entries.iter().cloned().zip(other.keys().iter().cloned()));
        self.apply(all, other.combos.clone());
    }

    /// The layering keys of the active entries, index for index.
    pub(crate) fn keys(&self) -> std::borrow::Cow<'_, [Key]> {
        if self.keys.len() == self.entries.len() {
            std::borrow::Cow::Borrowed(&self.keys)
        } else {
            std::borrow::Cow::Owned(self.entries.iter().map(key).collect())
        }
    }

    /// Layer `entries` (with their keys) and `combos` over this lexicon.
    fn apply(&mut self, entries: Vec<(Entry, Key)>, combos: Vec<Combo>) {
        let keys: Vec<Key> = self.keys().into_owned();
        let mut slots: Vec<Option<(Entry, Key)>> =
            std::mem::take(&mut self.entries).into_iter().zip(keys).map(Some).collect();
        let mut by_key: HashMap<Key, usize> = HashMap::with_capacity(slots.len() + entries.len());
        let mut by_pattern: HashMap<(String, EntryKind), Vec<usize>> = HashMap::new();
        fn index(
            k: Key,
            i: usize,
            by_key: &mut HashMap<Key, usize>,
            by_pattern: &mut HashMap<(String, EntryKind), Vec<usize>>,
        ) {
            by_pattern.entry((k.0.clone(), k.1)).or_default().push(i);
            by_key.insert(k, i);
        }
        for (i, e) in slots.iter().enumerate() {
            if let Some((_, k)) = e {
                index(k.clone(), i, &mut by_key, &mut by_pattern);
            }
        }
        let mut disabled_keys: HashMap<Key, ()> = self.disabled.iter().map(|d| (key(d), ())).collect();
        for (e, k) in entries {
            if e.disabled && k.2.is_empty() {
                if let Some(ix) = by_pattern.get(&(k.0.clone(), k.1)) {
                    for &i in ix {
                        if let Some(slot) = slots.get_mut(i) {
                            *slot = None;
                        }
                    }
                }
            } else if let Some(&i) = by_key.get(&k) {
                if let Some(slot) = slots.get_mut(i) {
                    *slot = None;
                }
            }
            if e.disabled {
                if disabled_keys.insert(k, ()).is_none() {
                    self.disabled.push(e);
                }
            } else {
                let i = slots.len();
                slots.push(Some((e, k.clone())));
                index(k, i, &mut by_key, &mut by_pattern);
            }
        }
        (self.entries, self.keys) = slots.into_iter().flatten().unzip();
        self.combos.extend(combos);
    }

    /// What reading the document found questionable but accepted: an
    /// entry given twice (the same pattern as normalised, kind and target),
    /// the later replacing the earlier, named by both indices. The command
    /// line prints them; a key given twice inside an entry or combo is an
    /// error instead.
    ///
    /// ```
    /// let lex = jingmin::Lexicon::from_json(r#"{"entries":[
    ///     {"pattern":"刷单","kind":"fraud","type":"task_rebate","weight":2},
    ///     {"pattern":"刷單","kind":"fraud","type":"task_rebate","weight":0.5}]}"#).unwrap();
    /// assert!(lex.warnings()[0].contains("entry 1") && lex.warnings()[0].contains("entry 0"));
    /// ```
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Disabled entries this lexicon carries for layering.
    pub fn disabled_entries(&self) -> &[Entry] {
        &self.disabled
    }

    /// The active entries, in the order they were added.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The combos.
    pub fn combos(&self) -> &[Combo] {
        &self.combos
    }

    /// The lexicon as a JSON document that [`Lexicon::from_json`] reads back.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Doc<'a> {
            format: &'static str,
            version: u32,
            entries: Vec<&'a Entry>,
            combos: &'a [Combo],
        }
        let entries = self.disabled.iter().chain(self.entries.iter()).collect();
        serde_json::to_string_pretty(&Doc { format: "jingmin-lexicon", version: 1, entries, combos: &self.combos })
            .unwrap_or_default()
    }
}

/// Whether a value from a lexicon may appear in an error message: short,
/// and without a run of five digits (a lexicon may list a scam phone
/// number; errors never repeat personal data).
fn is_safe_to_show(s: &str) -> bool {
    let mut run = 0usize;
    for c in s.chars() {
        run = if c.is_ascii_digit() || ('０'..='９').contains(&c) { run + 1 } else { 0 };
        if run >= 5 {
            return false;
        }
    }
    s.chars().count() <= 32
}

/// How an error names an entry's pattern: as written when safe to show,
/// else by its length only.
fn pattern_hint(p: &str) -> String {
    if is_safe_to_show(p) {
        format!(" ({p:?})")
    } else {
        format!(" (a pattern of {} characters)", p.chars().count())
    }
}

/// Read one entry field by field, so that an error names the field.
fn entry_from_value(v: &serde_json::Value) -> std::result::Result<Entry, (String, String)> {
    use serde_json::Value;
    let Value::Object(map) = v else {
        return Err(("(entry)".into(), "an entry is a JSON object".into()));
    };
    const FIELDS: &[&str] =
        &["pattern", "kind", "type", "category", "stance", "signal", "entity", "weight", "role", "canonical", "substitution", "disabled"];
    for k in map.keys() {
        if !FIELDS.contains(&k.as_str()) {
            return Err((k.clone(), format!("unknown field; expected one of {}", FIELDS.join(", "))));
        }
    }
    fn field<T: serde::de::DeserializeOwned>(
        map: &serde_json::Map<String, Value>,
        name: &str,
        what: &str,
    ) -> std::result::Result<Option<T>, (String, String)> {
        match map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => T::deserialize(v).map(Some).map_err(|_| {
                let shown = match v {
                    Value::String(s) if is_safe_to_show(s) => format!("{s:?}"),
                    Value::String(_) => "a string".into(),
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    Value::Array(_) => "an array".into(),
                    Value::Object(_) => "an object".into(),
                    Value::Null => "null".into(),
                };
                (name.to_owned(), format!("expected {what}, found {shown}"))
            }),
        }
    }
    let pattern: Option<String> = field(map, "pattern", "a string")?;
    let kind: Option<EntryKind> = field(map, "kind", "one of fraud, category, stance, signal, entity, allow")?;
    let weight: Option<f64> = field(map, "weight", "a number")?;
    Ok(Entry {
        pattern: pattern.ok_or_else(|| ("pattern".to_owned(), "missing".to_owned()))?,
        kind: kind.ok_or_else(|| ("kind".to_owned(), "missing".to_owned()))?,
        fraud_type: field(map, "type", "a fraud type name (task_rebate, investment, …, generic)")?,
        category: field(map, "category", "a category name (other, legal_publicity, …, praise)")?,
        stance: field(map, "stance", "one of warning, inquiry, solicitation, victim_report")?,
        signal: field(map, "signal", "a string")?,
        entity: field(map, "entity", "wechat_id or qq_number")?,
        weight: weight.map_or(1.0, |w| w as f32),
        role: field(map, "role", "one of police, resident, unknown")?,
        canonical: field(map, "canonical", "a string")?,
        substitution: field(map, "substitution", "true or false")?.unwrap_or(false),
        disabled: field(map, "disabled", "true or false")?.unwrap_or(false),
    })
}

fn validate_entry(e: &Entry) -> std::result::Result<(), (&'static str, String)> {
    if e.pattern.len() > MAX_PATTERN_BYTES {
        return Err(("pattern", format!("{} bytes, the maximum is {MAX_PATTERN_BYTES}", e.pattern.len())));
    }
    let norm = normalize_pattern(&e.pattern);
    if norm.is_empty() {
        return Err(("pattern", "empty once spaces and punctuation are removed".into()));
    }
    if norm.contains(crate::normalize::BREAK) {
        return Err(("pattern", "contains a sentence break (newline, 。！？!?)".into()));
    }
    if !e.weight.is_finite() || e.weight.abs() > 100.0 {
        return Err(("weight", format!("{} is not a finite number from -100 to 100", e.weight)));
    }
    let need = |present: bool, field: &'static str| -> std::result::Result<(), (&'static str, String)> {
        if present || e.disabled {
            Ok(())
        } else {
            Err((field, format!("required for kind \"{}\"", kind_name(e.kind))))
        }
    };
    match e.kind {
        EntryKind::Fraud => {
            need(e.fraud_type.is_some(), "type")?;
            if e.fraud_type == Some(FraudType::None) {
                return Err(("type", "\"none\" is not a fraud type for a keyword".into()));
            }
        }
        EntryKind::Category => need(e.category.is_some(), "category")?,
        EntryKind::Stance => {
            need(e.stance.is_some(), "stance")?;
            if e.stance == Some(Stance::None) {
                return Err(("stance", "\"none\" is not a stance for a cue".into()));
            }
        }
        EntryKind::Signal => {
            need(e.signal.is_some(), "signal")?;
            if let Some(s) = &e.signal {
                if s.is_empty() || s.len() > 64 || !s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit()) {
                    return Err(("signal", "a name of 1 to 64 characters a-z, 0-9 and _".into()));
                }
            }
        }
        EntryKind::Entity => {
            need(e.entity.is_some(), "entity")?;
            if let Some(k) = e.entity {
                if !matches!(k, EntityKind::WechatId | EntityKind::QqNumber) {
                    return Err(("entity", format!("entity cues lead to wechat_id or qq_number, not {}", k.name())));
                }
            }
        }
        EntryKind::Allow => {}
    }
    let extra: &[(bool, &'static str)] = &[
        (e.fraud_type.is_some() && e.kind != EntryKind::Fraud, "type"),
        (e.category.is_some() && e.kind != EntryKind::Category, "category"),
        (e.stance.is_some() && e.kind != EntryKind::Stance, "stance"),
        (e.signal.is_some() && e.kind != EntryKind::Signal, "signal"),
        (e.entity.is_some() && e.kind != EntryKind::Entity, "entity"),
    ];
    for (bad, field) in extra {
        if *bad {
            return Err((field, format!("does not apply to kind \"{}\"", kind_name(e.kind))));
        }
    }
    if let Some(c) = &e.canonical {
        if c.is_empty() || c.len() > MAX_PATTERN_BYTES {
            return Err(("canonical", "must be 1 to 256 bytes".into()));
        }
    }
    Ok(())
}

fn validate_combo(c: &Combo) -> std::result::Result<(), (&'static str, String)> {
    if c.when.is_empty() || c.when.len() > 8 {
        return Err(("when", "must name 1 to 8 signals".into()));
    }
    let targets = [c.fraud_type.is_some(), c.stance.is_some(), c.category.is_some()].iter().filter(|b| **b).count();
    if targets != 1 {
        return Err(("type", "exactly one of \"type\", \"stance\" or \"category\" is required".into()));
    }
    if c.fraud_type == Some(FraudType::None) || c.stance == Some(Stance::None) {
        return Err(("type", "\"none\" cannot gain weight".into()));
    }
    if !c.weight.is_finite() || c.weight.abs() > 100.0 {
        return Err(("weight", format!("{} is not a finite number from -100 to 100", c.weight)));
    }
    Ok(())
}

fn kind_name(k: EntryKind) -> &'static str {
    match k {
        EntryKind::Fraud => "fraud",
        EntryKind::Category => "category",
        EntryKind::Stance => "stance",
        EntryKind::Signal => "signal",
        EntryKind::Entity => "entity",
        EntryKind::Allow => "allow",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_lexicon_is_valid_and_not_empty() {
        let lex = Lexicon::from_json(DEFAULT_LEXICON_JSON).unwrap();
        assert!(lex.entries().len() > 300, "{}", lex.entries().len());
        assert_eq!(&lex, Lexicon::default_lexicon());
    }

    #[test]
    fn errors_name_entry_and_field() {
        let cases = [
            (r#"{"entries":[{"kind":"fraud","type":"task_rebate"}]}"#, "entry 0", "pattern"),
            (r#"{"entries":[{"pattern":"a b","kind":"fraud"}]}"#, "entry 0", "type"),
            (r#"{"entries":[{"pattern":"x","kind":"allow"},{"pattern":"刷单","kind":"fraud","type":"task_rebate","weight":1e9}]}"#, "entry 1", "weight"),
            (r#"{"entries":[{"pattern":"…","kind":"allow"}]}"#, "entry 0", "pattern"),
            (r#"{"entries":[{"pattern":"x","kind":"fraud","type":"task_rebate","category":"safety"}]}"#, "entry 0", "category"),
            (r#"{"entries":[{"pattern":"x","kind":"entity","entity":"money"}]}"#, "entry 0", "entity"),
            (r#"{"entries":[{"pattern":"x","kind":"sideways"}]}"#, "entry 0", "sideways"),
            (r#"{"entries":[{"pattern":"x","kind":"fraud","type":"nope"}]}"#, "field \"type\"", "nope"),
            (r#"{"entries":[{"pattern":"x","kind":"allow","weight":"heavy"}]}"#, "field \"weight\"", "heavy"),
            (r#"{"entries":[7]}"#, "entry 0", "object"),
            (r#"{"entries":[{"pattern":"x","kind":"allow","colour":1}]}"#, "entry 0", "colour"),
            (r#"{"entries":[],"combos":[{"when":[],"type":"romance"}]}"#, "combo 0", "when"),
            (r#"{"entries":[],"version":7}"#, "version", "7"),
            (r#"{"entries":"#, "not a lexicon", "truncated"),
        ];
        for (json, a, b) in cases {
            let e = Lexicon::from_json(json).unwrap_err().to_string();
            assert!(e.contains(a) && e.contains(b), "{json} -> {e}");
        }
    }

    #[test]
    fn typed_and_value_readings_agree() {
        let docs = [
            DEFAULT_LEXICON_JSON.to_owned(),
            r#"{"entries":[{"pattern":"刷單","kind":"fraud","type":"task_rebate","weight":2.5,"role":"resident"},
                {"pattern":"ａｂ","kind":"signal","signal":"s","canonical":"AB","substitution":true},
                {"pattern":"x","kind":"fraud","disabled":true}],
               "combos":[{"when":["s"],"type":"investment","weight":1.0}]}"#
                .to_owned(),
        ];
        for doc in &docs {
            let fast = Lexicon::from_json(doc).unwrap();
            let slow = Lexicon::from_json_values(doc).unwrap();
            assert_eq!(fast, slow);
            assert_eq!(fast.keys().into_owned(), slow.keys().into_owned());
            assert_eq!(fast.keys().len(), fast.entries().len());
        }
        // What the typed reading refuses, the value reading explains.
        let e = Lexicon::from_json(r#"{"entries":[{"pattern":"a","kind":"fraud","colour":1}]}"#).unwrap_err();
        assert!(e.to_string().contains("entry 0 (\"a\"): field \"colour\""), "{e}");
    }

    #[test]
    fn layers_add_override_and_disable() {
        let mut base = Lexicon::from_json(
            r#"{"entries":[{"pattern":"刷单","kind":"fraud","type":"task_rebate","weight":2},
                            {"pattern":"日结","kind":"fraud","type":"task_rebate","weight":0.5}]}"#,
        )
        .unwrap();
        let layer = Lexicon::from_json(
            r#"{"entries":[{"pattern":"刷單","kind":"fraud","type":"task_rebate","weight":3},
                            {"pattern":"日结","kind":"fraud","disabled":true},
                            {"pattern":"跑腿","kind":"fraud","type":"fake_shopping"}]}"#,
        )
        .unwrap();
        base.layer(&layer);
        let pats: Vec<(&str, f32)> = base.entries().iter().map(|e| (e.pattern.as_str(), e.weight)).collect();
        assert_eq!(pats, vec![("刷單", 3.0), ("跑腿", 1.0)]);
    }

    #[test]
    fn round_trips_through_json() {
        let lex = Lexicon::default_lexicon();
        let again = Lexicon::from_json(&lex.to_json()).unwrap();
        assert_eq!(&again, lex);
    }
}
