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
// No panics on input-derived data: library code reads slices with `get`,
// never `unwrap`s or `expect`s (tests may).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

mod aggregate;
mod analysis;
mod classifier;
mod engine;
mod entities;
mod error;
mod fold_table;
mod kind;
mod lexicon;
mod mask;
mod matcher;
#[cfg(feature = "ingest")]
pub mod ingest;
mod message;
mod normalize;
mod scoring;
mod time;
mod types;

pub use aggregate::{
    Added, Aggregator, AggregatorConfig, CaseFigures, CaseKind, CaseKindFigures, CaseStatus, Change, Clue,
    CountOptions, DayReport, DrillDown, FraudFigures, GroupReport, Indicator, MessageFigures, OfficerReport,
    OpenCaseItem, Period, Previous, RejectReason, RejectedFigures, Report, ReportOptions, ResponseBucket,
    ResponseTimes, Settings, SolicitationItem, SpanReport, VictimItem, Window, DEFAULT_ANSWER_WINDOW_SECONDS,
    DEFAULT_EARLIEST_TIME, DRILL_DOWN_TEXT_CHARS, LATEST_TIME_AHEAD_SECONDS, RESPONSE_BUCKETS_SECONDS,
    REPORT_VERSION, SNAPSHOT_FORMAT, SNAPSHOT_VERSION,
};
pub use analysis::{Analysis, Entity, Evidence, FraudAssessment, Hit, Summary};
pub use lexicon::{Combo, Entry, EntryKind, Lexicon, DEFAULT_LEXICON_JSON, MAX_COMBOS, MAX_ENTRIES, MAX_LEXICON_BYTES, MAX_PATTERN_BYTES};
pub use engine::{AnalyzeOptions, Engine, EngineBuilder, DEFAULT_MAX_MESSAGE_BYTES};
pub use error::{describe_json_error, is_safe_name, Error, ErrorKind, Result, Unrecognised};
pub use kind::{classify_kind, classify_notice, MessageKind, MEDIA_PLACEHOLDERS};
pub use message::Message;
pub use time::{calendar_day, format_time, parse_time, CHINA_STANDARD_TIME};
#[doc(hidden)]
pub use classifier::{ngram_values, quantise_idf, write_model, CLASSES, FRAUD_CLASSES, FRAUD_TYPES};
pub use types::{Category, EntityKind, FraudType, Role, Stance};
