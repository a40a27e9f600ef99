//! # jingmin (警民)
//!
//! Reads the messages of police–community chat groups and says what is
//! going on: the work category of each message (with evidence a person can
//! read), its fraud content (types, stance, risk, and keyword hits with spans
//! in the original text, seen through Traditional script, full-width forms,
//! separators and substitutions), and the entities it carries.
//!
//! ```
//! use jingmin::{Engine, Stance, FraudType};
//!
//! let engine = Engine::default();
//! let a = engine.analyze("这是刷单诈骗吗？");
//! assert_eq!(a.fraud.stance, Stance::Inquiry);
//! assert_eq!(a.fraud.types, vec![FraudType::TaskRebate]);
//! ```
#![warn(missing_docs)]

mod analysis;
mod engine;
mod error;
#[cfg(feature = "ingest")]
pub mod ingest;
mod message;
mod types;

pub use analysis::{Analysis, Entity, Evidence, FraudAssessment, Hit, Summary};
pub use engine::{AnalyzeOptions, Engine, EngineBuilder, DEFAULT_MAX_MESSAGE_BYTES};
pub use error::{Error, Result};
pub use message::Message;
pub use types::{Category, EntityKind, FraudType, Role, Stance};
