//! What the engine answers about one message (taxonomy §5).
//!
//! These types serialise to exactly the JSON of the taxonomy: the same
//! document comes out of the Rust API, the C ABI, the Python binding and the
//! command-line tool.
//!
//! ```
//! let engine = jingmin::Engine::default();
//! let a = engine.analyze("警方提示：刷单都是诈骗");
//! let json = serde_json::to_value(&a).unwrap();
//! assert_eq!(json["fraud"]["stance"], "warning");
//! assert_eq!(json["fraud"]["types"][0], "task_rebate");
//! ```

use serde::{Deserialize, Serialize};

use crate::types::{Category, EntityKind, FraudType, Stance};

/// The full analysis of one message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// The input message's `id`, echoed when the message had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The primary work category.
    pub category: Category,
    /// How sure the classifier is of `category`, from 0 to 1.
    pub confidence: f32,
    /// The features that decided the category, strongest first.
    pub evidence: Vec<Evidence>,
    /// The fraud assessment.
    pub fraud: FraudAssessment,
    /// Entities (indicators) found in the message, in text order.
    pub entities: Vec<Entity>,
}

/// One feature that counted toward a category.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// A readable name of the feature: the cue as written in the lexicon;
    /// for a combo of cues, the words that set them joined by `+` (a
    /// fraud stance by its Chinese name, 诈骗引流; a cue family by the
    /// keyword that fired it: `预警宣传+刑法`); for the category model, a
    /// phrase of the message in quotes (`“免费领鸡蛋”`).
    pub feature: String,
    /// The category the feature speaks for.
    pub category: Category,
    /// Its weight in the decision.
    pub weight: f32,
}

/// The fraud assessment of one message (taxonomy §2).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FraudAssessment {
    /// Fraud types the content is about, primary first; empty when none.
    pub types: Vec<FraudType>,
    /// What the message does with the fraud content.
    pub stance: Stance,
    /// Risk from 0 to 100: solicitation and victim reports high, inquiries
    /// medium, warnings low.
    pub risk: u32,
    /// Keyword hits with their spans in the original text, in text order.
    pub hits: Vec<Hit>,
}

/// A fraud keyword found in the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hit {
    /// The fraud type the keyword speaks for.
    #[serde(rename = "type")]
    pub fraud_type: FraudType,
    /// The keyword in its canonical form (as the lexicon spells it).
    pub keyword: String,
    /// The original text the keyword was found in, disguise included.
    pub matched: String,
    /// Byte offset of the match in the original UTF-8 text.
    pub start: usize,
    /// Byte offset just past the match.
    pub end: usize,
    /// Unicode scalar offset of the match (what Python's `str` indexes).
    pub char_start: usize,
    /// Unicode scalar offset just past the match.
    pub char_end: usize,
    /// Whether seeing the keyword needed folding (Traditional script,
    /// full-width forms, digit styles), skipping noise, or a substitution.
    pub obfuscated: bool,
}

/// An entity (indicator) found in a message (taxonomy §3).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// What kind of entity.
    pub kind: EntityKind,
    /// The entity as it stands in the text; personal data (phones, ID and
    /// bank card numbers) masked unless raw output was asked for.
    pub text: String,
    /// The normalised value where one exists: yuan for `money`.
    pub value: Option<f64>,
    /// Byte offset in the original UTF-8 text.
    pub start: usize,
    /// Byte offset just past the entity.
    pub end: usize,
    /// Unicode scalar offset.
    pub char_start: usize,
    /// Unicode scalar offset just past the entity.
    pub char_end: usize,
}

/// The fixed-size digest of an analysis: what the C ABI's `jm_summary` and
/// Python's `analyze_many` return.
///
/// ```
/// let engine = jingmin::Engine::default();
/// let s = engine.summarize("我刷单被骗了3000");
/// assert_eq!(s.stance, jingmin::Stance::VictimReport);
/// assert!(s.risk >= 70);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The primary work category.
    pub category: Category,
    /// Confidence in the category, 0 to 1.
    pub confidence: f32,
    /// The primary fraud type, [`FraudType::None`] when there is none.
    pub fraud_type: FraudType,
    /// The stance.
    pub stance: Stance,
    /// Risk, 0 to 100.
    pub risk: u32,
    /// Number of fraud keyword hits.
    pub hit_count: u32,
    /// Number of entities.
    pub entity_count: u32,
}

impl Default for Summary {
    fn default() -> Self {
        Summary {
            category: Category::Other,
            confidence: 0.0,
            fraud_type: FraudType::None,
            stance: Stance::None,
            risk: 0,
            hit_count: 0,
            entity_count: 0,
        }
    }
}

impl Analysis {
    /// The fixed-size digest of this analysis.
    ///
    /// ```
    /// let a = jingmin::Engine::default().analyze("收到");
    /// assert_eq!(a.summary().fraud_type, jingmin::FraudType::None);
    /// ```
    pub fn summary(&self) -> Summary {
        Summary {
            category: self.category,
            confidence: self.confidence,
            fraud_type: self.fraud.types.first().copied().unwrap_or(FraudType::None),
            stance: self.fraud.stance,
            risk: self.fraud.risk,
            hit_count: u32::try_from(self.fraud.hits.len()).unwrap_or(u32::MAX),
            entity_count: u32::try_from(self.entities.len()).unwrap_or(u32::MAX),
        }
    }

    /// Whether the message has fraud content.
    pub fn is_fraud(&self) -> bool {
        !self.fraud.types.is_empty()
    }
}
