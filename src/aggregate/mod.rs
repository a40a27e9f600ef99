//! Case-statistic aggregation: exact, order-independent, mergeable, with
//! snapshots.
//!
//! An [`Aggregator`] keeps one small record per distinct message (its
//! de-duplication hash, time, group, what the analysis said, and how many
//! times it was seen) plus, for the few solicitations and victim reports,
//! their indicators and money. Every figure of the [`Report`] is computed
//! from that set when asked, so the laws hold exactly:
//!
//! - **order independence**: the set does not depend on the order of
//!   arrival; when two copies of one message disagree (same `id`, different
//!   analysis), the smaller one by a fixed total order is kept, whatever the
//!   order;
//! - **idempotence**: a message seen again only raises its count of copies
//!   (`messages.duplicates`), nothing else;
//! - **merge** is the union of the sets (counts of copies added): associative
//!   and commutative;
//! - **snapshots** write the set itself, so restore + the rest equals all.
//!
//! ```
//! use jingmin::{Aggregator, AggregatorConfig, Analysis, Category, Message, Role};
//!
//! let mut agg = Aggregator::new(AggregatorConfig::default()).unwrap();
//! let ask = Message { id: Some("1".into()), group: Some("警民群".into()), sender: Some("李阿姨".into()),
//!     role: Role::Resident, time: Some("2024-03-01 10:00:00".into()), text: "请问周六警务室有人吗？".into() };
//! let answer = Message { id: Some("2".into()), role: Role::Police, sender: Some("王警官".into()),
//!     time: Some("2024-03-01 10:05:00".into()), text: "周六上午9-12点有人值班".into(), ..ask.clone() };
//! agg.add(&ask, &Analysis { category: Category::Service, ..Analysis::default() });
//! agg.add(&answer, &Analysis { category: Category::Service, ..Analysis::default() });
//! agg.add(&ask, &Analysis { category: Category::Service, ..Analysis::default() }); // seen again
//!
//! let r = agg.report();
//! assert_eq!(r.messages.total, 2);
//! assert_eq!(r.messages.duplicates, 1);
//! assert_eq!(r.cases.opened, 1);
//! assert_eq!(r.cases.answered, 1);
//! assert_eq!(r.cases.first_response_seconds.p50, Some(300));
//!
//! // Travel as a snapshot, come back the same.
//! let again = Aggregator::restore(&agg.snapshot()).unwrap();
//! assert_eq!(again.report(), r);
//! ```

mod config;
mod hash;
mod percentile;
mod record;
mod report;
mod snapshot;
mod table;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::analysis::Analysis;
use crate::engine::{AnalyzeOptions, Engine};
pub use crate::kind::{classify_kind, MessageKind};
use crate::error::{describe_json_error, Error, Result};
use crate::message::Message;
use crate::time::parse_time_field;
use crate::types::{Category, FraudType, Role, Stance};

pub use config::{
    AggregatorConfig, DEFAULT_ANSWER_WINDOW_SECONDS, DEFAULT_EARLIEST_TIME, DRILL_DOWN_TEXT_CHARS, LATEST_TIME_AHEAD_SECONDS,
};
pub use report::{
    CaseFigures, CaseKindFigures, CaseStatus, Change, Clue, DayReport, DrillDown, FraudFigures, GroupReport, Indicator,
    MessageFigures, OfficerReport, OpenCaseItem, Period, Previous, RejectedFigures, Report, ReportOptions,
    ResponseBucket, ResponseTimes, Settings, SolicitationItem, SpanReport, VictimItem, Window, REPORT_VERSION,
    RESPONSE_BUCKETS_SECONDS,
};
pub use snapshot::{SNAPSHOT_FORMAT, SNAPSHOT_VERSION};

pub(crate) use record::{dedup_key, drill_down_text, extra_of, Extra, Fields, Rec, INDICATOR_KINDS, NO_GROUP};

/// How [`Aggregator::add_with`] analyses and counts a message.
///
/// ```
/// use jingmin::{CountOptions, MessageKind};
/// let media = CountOptions { kind: Some(MessageKind::Media), ..CountOptions::default() };
/// assert!(!media.raw);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CountOptions {
    /// Leave personal data (phones, ID and bank card numbers) unmasked in
    /// the analysis, and so in the indicators the aggregator keeps.
    pub raw: bool,
    /// The message's kind when its export said it (a media or system
    /// record); `None`: recognised from the text by [`classify_kind`].
    pub kind: Option<MessageKind>,
}

/// Why a message was not counted as a message of a group and day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// No `group` (or only blanks).
    MissingGroup = 1,
    /// A group, but no `time` (or only blanks).
    MissingTime = 2,
    /// A group and a `time` that could not be read, or that lies outside
    /// the plausible range ([`AggregatorConfig::earliest_time`] to
    /// [`AggregatorConfig::latest_time`]).
    InvalidTime = 3,
    /// A record of an export that could not be read at all (malformed,
    /// over the message limit): counted by [`Aggregator::add_unreadable`].
    Unreadable = 4,
}

impl RejectReason {
    /// Every reason.
    pub const ALL: &'static [RejectReason] = &[
        RejectReason::MissingGroup,
        RejectReason::MissingTime,
        RejectReason::InvalidTime,
        RejectReason::Unreadable,
    ];

    /// The `snake_case` name.
    pub const fn name(self) -> &'static str {
        match self {
            RejectReason::MissingGroup => "missing_group",
            RejectReason::MissingTime => "missing_time",
            RejectReason::InvalidTime => "invalid_time",
            RejectReason::Unreadable => "unreadable",
        }
    }
}

/// The kind of a case: the stance or category that opened it. When a
/// message qualifies both ways (an `anomaly` that is a `victim_report`), the
/// stance wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// Opened by a `service` message.
    Service,
    /// Opened by a `dispute` message.
    Dispute,
    /// Opened by an `anomaly` message.
    Anomaly,
    /// Opened by a fraud `inquiry` ("is this a scam?").
    Inquiry,
    /// Opened by a `victim_report`.
    VictimReport,
}

impl CaseKind {
    /// Every kind.
    pub const ALL: &'static [CaseKind] =
        &[CaseKind::Service, CaseKind::Dispute, CaseKind::Anomaly, CaseKind::Inquiry, CaseKind::VictimReport];

    /// The `snake_case` name.
    pub const fn name(self) -> &'static str {
        match self {
            CaseKind::Service => "service",
            CaseKind::Dispute => "dispute",
            CaseKind::Anomaly => "anomaly",
            CaseKind::Inquiry => "inquiry",
            CaseKind::VictimReport => "victim_report",
        }
    }
}

/// What [`Aggregator::add`] did with a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome", content = "reason")]
pub enum Added {
    /// A message not seen before, counted.
    New,
    /// A copy of a message already counted: only `messages.duplicates` grew.
    Duplicate,
    /// A message not seen before, counted under `messages.rejected`.
    Rejected(RejectReason),
}

/// Counts case statistics over police–community chat messages: by category,
/// role, group and day; fraud by type and stance, with the indicators of
/// solicitations and the money of victim reports; cases opened and answered
/// with first-response times.
///
/// Feeding order does not matter, copies of a message count once, partial
/// aggregators merge exactly, and a [`snapshot`](Aggregator::snapshot)
/// carries the whole state (see the module documentation for why).
///
/// One aggregator holds up to 4,294,967,295 distinct messages (about
/// 100 GB of state); a message beyond that is counted as a copy.
///
/// An `Aggregator` is `Send + Sync` but does not lock itself: share it
/// between threads behind a `Mutex`, or give each thread its own and
/// [`merge`](Aggregator::merge) them.
#[derive(Clone)]
pub struct Aggregator {
    pub(crate) config: AggregatorConfig,
    pub(crate) groups: Vec<String>,
    pub(crate) group_index: HashMap<String, u32>,
    /// The records by de-duplication key (unordered: everything computed
    /// from them is order-free; snapshots sort them).
    pub(crate) records: table::Records,
    pub(crate) extras: BTreeMap<u64, Extra>,
    /// How many copies of a record were seen, where more than one: most
    /// messages are seen once, so the count lives apart from the 16-byte
    /// record (see [`Aggregator::copies_of`]).
    pub(crate) copies: BTreeMap<u64, u32>,
    /// The sender of a record, where one is kept: police messages that
    /// answer (for the per-officer figures), and with
    /// [`AggregatorConfig::drill_down`] the messages of the drill-down
    /// lists. An index into `names`.
    pub(crate) senders: HashMap<u64, u32>,
    /// Sender names, interned.
    pub(crate) names: Vec<Box<str>>,
    pub(crate) name_index: HashMap<Box<str>, u32>,
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Aggregator>();
};

impl fmt::Debug for Aggregator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Aggregator")
            .field("config", &self.config)
            .field("groups", &self.groups.len())
            .field("messages", &self.records.len())
            .finish()
    }
}

impl Default for Aggregator {
    /// An empty aggregator with the default configuration.
    fn default() -> Self {
        Aggregator::empty(AggregatorConfig::default())
    }
}

impl Aggregator {
    /// An empty aggregator; `Err(Error::Config)` when the configuration is
    /// out of range.
    ///
    /// ```
    /// use jingmin::{Aggregator, AggregatorConfig};
    /// let agg = Aggregator::new(AggregatorConfig { answer_window_seconds: 3600, ..Default::default() }).unwrap();
    /// assert!(agg.is_empty());
    /// assert!(Aggregator::new(AggregatorConfig { answer_window_seconds: 0, ..Default::default() }).is_err());
    /// ```
    pub fn new(config: AggregatorConfig) -> Result<Self> {
        config.validate()?;
        Ok(Aggregator::empty(config))
    }

    /// An empty aggregator configured by JSON (see [`AggregatorConfig`]);
    /// the entry point of the bindings.
    ///
    /// ```
    /// let agg = jingmin::Aggregator::from_config_json(r#"{"utc_offset_seconds": 0}"#).unwrap();
    /// assert_eq!(agg.config().utc_offset_seconds, 0);
    /// ```
    pub fn from_config_json(json: &str) -> Result<Self> {
        Aggregator::new(AggregatorConfig::from_json(json)?)
    }

    pub(crate) fn empty(config: AggregatorConfig) -> Self {
        Aggregator {
            config,
            groups: Vec::new(),
            group_index: HashMap::new(),
            records: table::Records::default(),
            extras: BTreeMap::new(),
            copies: BTreeMap::new(),
            senders: HashMap::new(),
            names: Vec::new(),
            name_index: HashMap::new(),
        }
    }

    /// The sender kept for the record `key`, if any.
    pub(crate) fn sender_of(&self, key: &u64) -> Option<&str> {
        self.senders.get(key).and_then(|&i| self.names.get(i as usize)).map(|n| &**n)
    }

    /// How many copies of the record `key` were seen (at least 1).
    pub(crate) fn copies_of(&self, key: &u64) -> u32 {
        self.copies.get(key).copied().unwrap_or(1)
    }

    /// The configuration.
    pub fn config(&self) -> &AggregatorConfig {
        &self.config
    }

    /// The number of distinct messages kept (rejected ones included).
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether no message was added.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Count a message with its analysis. Its kind (content, system notice,
    /// recall, media) is recognised from its text by [`classify_kind`].
    ///
    /// A message without `group` or a readable `time` is counted under
    /// `messages.rejected` with the reason; a copy of a message already
    /// counted (same `group` and `id`; without `id`, the same group, time,
    /// sender and text) only raises `messages.duplicates`. Never panics.
    pub fn add(&mut self, message: &Message, analysis: &Analysis) -> Added {
        self.add_as(message, analysis, classify_kind(&message.text))
    }

    /// Like [`add`](Aggregator::add), with the kind given by the caller (a
    /// converter that knows the export's message type).
    ///
    /// ```
    /// use jingmin::{Aggregator, Analysis, Message, MessageKind};
    /// let mut agg = Aggregator::default();
    /// let m = Message { group: Some("g".into()), time: Some("1709258400".into()), ..Message::new("张三 拍了拍 李四") };
    /// agg.add_as(&m, &Analysis::default(), MessageKind::System);
    /// let r = agg.report();
    /// assert_eq!((r.messages.total, r.messages.system), (0, 1));
    /// ```
    pub fn add_as(&mut self, message: &Message, analysis: &Analysis, kind: MessageKind) -> Added {
        self.add_inner(message, analysis, kind, false)
    }

    /// [`add_as`](Aggregator::add_as); `raw`: the analysis was made with
    /// raw output, and a drill-down text is kept unmasked too.
    fn add_inner(&mut self, message: &Message, analysis: &Analysis, kind: MessageKind, raw: bool) -> Added {
        let offset = self.config.utc_offset_seconds;
        let group = message.group.as_deref().filter(|g| !g.trim().is_empty());
        let time_text = message.time.as_deref().filter(|t| !t.trim().is_empty());
        let (earliest, latest) = self.config.time_range();
        let time = time_text.map(|t| {
            parse_time_field("time", t, offset).ok().filter(|t| (earliest..=latest).contains(t))
        });
        let rejected = match (group, time) {
            (None, _) => Some(RejectReason::MissingGroup),
            (Some(_), None) => Some(RejectReason::MissingTime),
            (Some(_), Some(None)) => Some(RejectReason::InvalidTime),
            (Some(_), Some(Some(_))) => None,
        };
        let key = dedup_key(message, group, time.flatten(), time_text);

        let content = rejected.is_none() && kind == MessageKind::Content;
        let fields = if let Some(reason) = rejected {
            Fields {
                kind: MessageKind::Content,
                role: Role::Unknown,
                category: Category::Other,
                stance: Stance::None,
                fraud: FraudType::None,
                rejected: Some(reason),
            }
        } else if content {
            Fields {
                kind,
                role: message.role,
                category: analysis.category,
                stance: analysis.fraud.stance,
                fraud: analysis.fraud.types.first().copied().unwrap_or(FraudType::None),
                rejected: None,
            }
        } else {
            Fields {
                kind,
                role: message.role,
                category: Category::Other,
                stance: Stance::None,
                fraud: FraudType::None,
                rejected: None,
            }
        };
        let drill = content && self.config.drill_down && fields.drills_down();
        let extra = if content {
            let text = drill.then(|| {
                if raw {
                    drill_down_text(&message.text)
                } else {
                    let spans: Vec<_> = analysis.entities.iter().map(|e| (e.kind, e.start, e.end)).collect();
                    drill_down_text(&crate::mask::mask_spans(&message.text, &spans))
                }
            });
            extra_of(analysis, text)
        } else {
            None
        };
        // Kept as shown, like the texts: a name can hold a phone number
        // (`wxid_13912345678`), masked unless the message was counted raw.
        let sender = message
            .sender
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty() && (drill || (rejected.is_none() && fields.answers())))
            .map(|s| if raw { std::borrow::Cow::Borrowed(s) } else { crate::mask::masked_embedded(s) });
        let time = time.flatten().filter(|_| rejected.is_none()).unwrap_or(0);
        let new = self.insert(key, time, group, fields.encode(), 1, extra, sender.as_deref());
        match (new, rejected) {
            (false, _) => Added::Duplicate,
            (true, Some(r)) => Added::Rejected(r),
            (true, None) => Added::New,
        }
    }

    /// Count a record of an export that could not be read at all (malformed,
    /// over the message limit) under `messages.rejected`, reason
    /// `unreadable`, so that reports, snapshots and merges carry it. The
    /// record is known by its source (the file name as given) and line: the
    /// same record counted again is a copy (`Added::Duplicate`).
    ///
    /// ```
    /// use jingmin::{Added, Aggregator, RejectReason};
    /// let mut agg = Aggregator::default();
    /// assert_eq!(agg.add_unreadable("export.jsonl", 7), Added::Rejected(RejectReason::Unreadable));
    /// assert_eq!(agg.add_unreadable("export.jsonl", 7), Added::Duplicate);
    /// assert_eq!(agg.report().messages.rejected.by_reason[&RejectReason::Unreadable], 1);
    /// ```
    pub fn add_unreadable(&mut self, source: &str, line: u64) -> Added {
        let key = record::unreadable_key(source, line);
        let fields = Fields {
            kind: MessageKind::Content,
            role: Role::Unknown,
            category: Category::Other,
            stance: Stance::None,
            fraud: FraudType::None,
            rejected: Some(RejectReason::Unreadable),
        };
        if self.insert(key, 0, None, fields.encode(), 1, None, None) {
            Added::Rejected(RejectReason::Unreadable)
        } else {
            Added::Duplicate
        }
    }

    /// Mask the personal data the aggregator keeps (the indicators of
    /// solicitations counted from analyses with raw output), as a default
    /// output shows it: phone numbers, and WeChat ids, QQ numbers and URLs
    /// that hold the shape of a phone, ID or bank card number. Idempotent.
    /// A snapshot taken afterwards holds only masked forms.
    ///
    /// ```
    /// use jingmin::{Aggregator, CountOptions, Engine, Message};
    /// let m = Message { group: Some("g".into()), time: Some("2024-03-01 10:00:00".into()),
    ///     ..Message::new("刷单日结，一单一结，加微信：13987654321") };
    /// let mut agg = Aggregator::default();
    /// agg.add_with(&Engine::default(), &m, &CountOptions { raw: true, ..CountOptions::default() });
    /// assert_eq!(agg.report().fraud.solicitation_indicators[0].text, "13987654321");
    /// agg.mask_personal_data();
    /// assert_eq!(agg.report().fraud.solicitation_indicators[0].text, "139****4321");
    /// ```
    pub fn mask_personal_data(&mut self) {
        for extra in self.extras.values_mut() {
            if let Some(text) = &mut extra.text {
                let masked = crate::mask::mask_embedded(text);
                if *masked != **text {
                    *text = masked.into_boxed_str();
                }
            }
            if extra.indicators.is_empty() {
                continue;
            }
            for (kind, text) in &mut extra.indicators {
                *text = crate::mask::mask_indicator(*kind, text);
            }
            extra.indicators.sort();
            extra.indicators.dedup();
        }
        // Sender names can hold a phone number (`wxid_13912345678`): masked
        // the same way; two names that mask alike become one.
        if self.names.iter().any(|n| *crate::mask::mask_embedded(n) != **n) {
            let old = std::mem::take(&mut self.names);
            self.name_index.clear();
            let remap: Vec<u32> = old.iter().map(|n| self.intern_name(&crate::mask::mask_embedded(n))).collect();
            for i in self.senders.values_mut() {
                *i = remap.get(*i as usize).copied().unwrap_or(*i);
            }
        }
    }

    /// Analyse a message with `engine` and count it: the one path by which
    /// the command line, the C ABI and the Python binding count messages.
    /// Its kind is `options.kind` when the export said it, else recognised
    /// from the text ([`classify_kind`]); notices, recalls and media are not
    /// analysed, and a police media message still answers the cases open in
    /// its group. The analysis reads the message's role; `options.raw`
    /// keeps its personal data unmasked.
    ///
    /// ```
    /// use jingmin::{Aggregator, CountOptions, Engine, Message, MessageKind, Added, Role};
    /// let engine = Engine::default();
    /// let mut agg = Aggregator::default();
    /// let at = |t: &str, m: Message| Message { group: Some("g".into()), time: Some(t.into()), ..m };
    /// let ask = at("2024-03-01 10:00:00", Message::new("请问户籍室周六上班吗？"));
    /// assert_eq!(agg.add_with(&engine, &ask, &CountOptions::default()), Added::New);
    /// assert_eq!(agg.add_with(&engine, &ask, &CountOptions::default()), Added::Duplicate);
    /// let photo = Message { role: Role::Police, ..at("2024-03-01 10:05:00", Message::new("[图片]")) };
    /// assert_eq!(agg.add_with(&engine, &photo, &CountOptions::default()), Added::New);
    /// assert_eq!(agg.report().cases.answered, 1);
    /// assert_eq!(agg.report().messages.media, 1);
    /// ```
    pub fn add_with(&mut self, engine: &Engine, message: &Message, options: &CountOptions) -> Added {
        let kind = options.kind.unwrap_or_else(|| classify_kind(&message.text));
        if kind == MessageKind::Content {
            let mut analysis = engine.analyze_with(&message.text, &AnalyzeOptions { role: message.role, raw: options.raw });
            analysis.id = message.id.clone();
            self.add_inner(message, &analysis, kind, options.raw)
        } else {
            self.add_inner(message, &Analysis::default(), kind, options.raw)
        }
    }

    /// Read a taxonomy §4 message from JSON, analyse it with `engine` and
    /// count it: what the C ABI and the Python binding call.
    ///
    /// ```
    /// let mut agg = jingmin::Aggregator::default();
    /// let engine = jingmin::Engine::default();
    /// let added = agg.add_json(&engine, r#"{"group":"g","time":1709258400,"text":"收到"}"#).unwrap();
    /// assert_eq!(added, jingmin::Added::New);
    /// assert!(agg.add_json(&engine, r#"{"group":"g"}"#).is_err()); // no text
    /// ```
    pub fn add_json(&mut self, engine: &Engine, message_json: &str) -> Result<Added> {
        engine.check_len(message_json.len())?;
        let message: Message = serde_json::from_str(message_json).map_err(|e| {
            Error::Json(format!("not a taxonomy §4 message: {}", describe_json_error(&e)))
        })?;
        Ok(self.add_with(engine, &message, &CountOptions::default()))
    }

    /// Add everything `other` counted. Copies of one message in both count
    /// once (their copies add up in `messages.duplicates`); merging is
    /// associative and commutative, so partial aggregators can be combined
    /// in any order or tree.
    ///
    /// `Err(Error::Config)` (and `self` unchanged) when the two were
    /// configured differently.
    ///
    /// ```
    /// use jingmin::{Aggregator, Analysis, Message};
    /// let m = |id: &str| Message { id: Some(id.into()), group: Some("g".into()),
    ///     time: Some("2024-03-01 10:00:00".into()), ..Message::new("收到") };
    /// let (mut a, mut b) = (Aggregator::default(), Aggregator::default());
    /// a.add(&m("1"), &Analysis::default());
    /// b.add(&m("1"), &Analysis::default());
    /// b.add(&m("2"), &Analysis::default());
    /// a.merge(&b).unwrap();
    /// assert_eq!(a.report().messages.total, 2);
    /// assert_eq!(a.report().messages.duplicates, 1);
    /// ```
    pub fn merge(&mut self, other: &Aggregator) -> Result<()> {
        if self.config != other.config {
            return Err(Error::Config(format!(
                "cannot merge aggregators configured differently ({:?} and {:?})",
                self.config, other.config
            )));
        }
        for (key, rec) in other.records.iter() {
            let group = other.group_name(rec.group);
            let extra = other.extras.get(key).cloned();
            self.insert(*key, rec.time, group, rec.bits, other.copies_of(key), extra, other.sender_of(key));
        }
        Ok(())
    }

    /// The report: every figure, computed from the state.
    pub fn report(&self) -> Report {
        report::build(self, &ReportOptions::default())
    }

    /// The report of a time window, optionally with the preceding window of
    /// the same length ([`ReportOptions`]), computed from the state like
    /// [`report`](Aggregator::report): a snapshot gives the same figures.
    /// Cases are resolved against all the data, so a case that opened in
    /// the window and was answered after it counts as answered.
    /// `Err(Error::Config)` when `since` is not before `until`.
    ///
    /// ```
    /// use jingmin::{Aggregator, CountOptions, Engine, Message, ReportOptions};
    /// let engine = Engine::default();
    /// let mut agg = Aggregator::default();
    /// for (i, day) in ["2024-03-01", "2024-03-02", "2024-03-03"].iter().enumerate() {
    ///     let m = Message { id: Some(i.to_string()), group: Some("g".into()), time: Some(format!("{day} 10:00:00")),
    ///         ..Message::new("请问户籍室周六上班吗？") };
    ///     agg.add_with(&engine, &m, &CountOptions::default());
    /// }
    /// let since = jingmin::parse_time("2024-03-02 00:00:00", 8 * 3600).unwrap();
    /// let r = agg.report_with(&ReportOptions { since: Some(since), until: Some(since + 86_400), compare_previous: true }).unwrap();
    /// assert_eq!(r.messages.total, 1);
    /// assert_eq!(r.previous.as_ref().unwrap().messages.total, 1);
    /// assert_eq!(r.previous.unwrap().change.messages, 0);
    /// ```
    pub fn report_with(&self, options: &ReportOptions) -> Result<Report> {
        report::check(self, options)?;
        Ok(report::build(self, options))
    }

    /// The report as JSON (the schema of `docs/report-schema.md`).
    ///
    /// ```
    /// let json = jingmin::Aggregator::default().report_json();
    /// let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    /// assert_eq!(v["messages"]["by_category"].as_object().unwrap().len(), 8);
    /// ```
    pub fn report_json(&self) -> String {
        // Serialising plain structs with string and enum keys cannot fail.
        serde_json::to_string(&self.report()).unwrap_or_default()
    }

    /// The whole state as a versioned JSON document,
    /// `{"format":"jingmin-aggregator","version":1,…}`, with a checksum.
    /// Equal states give equal snapshots, whatever the order of arrival.
    pub fn snapshot(&self) -> String {
        snapshot::write(self)
    }

    /// An aggregator from a [`snapshot`](Aggregator::snapshot). Refuses,
    /// with `Error::Snapshot` naming the field, another format, a newer (or
    /// unknown) version, a checksum mismatch and any inconsistent content;
    /// nothing is half-loaded.
    ///
    /// ```
    /// let snap = jingmin::Aggregator::default().snapshot();
    /// assert!(jingmin::Aggregator::restore(&snap).is_ok());
    /// let newer = snap.replace("\"version\":2", "\"version\":999");
    /// assert!(jingmin::Aggregator::restore(&newer).unwrap_err().to_string().contains("999"));
    /// ```
    pub fn restore(snapshot: &str) -> Result<Aggregator> {
        snapshot::read(snapshot)
    }

    pub(crate) fn group_name(&self, index: u32) -> Option<&str> {
        if index == NO_GROUP {
            return None;
        }
        self.groups.get(index as usize).map(String::as_str)
    }

    fn intern(&mut self, group: Option<&str>) -> u32 {
        let Some(g) = group else { return NO_GROUP };
        if let Some(&i) = self.group_index.get(g) {
            return i;
        }
        // More than 4 billion groups cannot fit an index; they share the last.
        let i = u32::try_from(self.groups.len()).unwrap_or(NO_GROUP - 1).min(NO_GROUP - 1);
        if (i as usize) == self.groups.len() {
            self.groups.push(g.to_owned());
            self.group_index.insert(g.to_owned(), i);
        }
        i
    }

    pub(crate) fn intern_name(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.name_index.get(name) {
            return i;
        }
        // As many names as records at most: a u32 holds them.
        let i = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(name.into());
        self.name_index.insert(name.into(), i);
        i
    }

    fn set_sender(&mut self, key: u64, sender: Option<&str>) {
        match sender {
            Some(s) => {
                let i = self.intern_name(s);
                self.senders.insert(key, i);
            }
            None => {
                self.senders.remove(&key);
            }
        }
    }

    /// Insert a record, or fold it into the one with the same key. Returns
    /// whether the key was new.
    #[allow(clippy::too_many_arguments)]
    fn insert(
        &mut self,
        key: u64,
        time: i64,
        group: Option<&str>,
        bits: u32,
        mult: u32,
        extra: Option<Extra>,
        sender: Option<&str>,
    ) -> bool {
        let extra = extra.filter(|e| !e.is_empty());
        // The group is part of the key, so a copy names an interned group
        // already: interning first costs nothing and leaves one walk of the
        // tree for a new key, the common case.
        let g = self.intern(group);
        let Ok(old) = self.records.get_or_insert(key, Rec { time, group: g, bits }) else {
            // A full table (4 billion messages) takes no more.
            return false;
        };
        match old {
            None => {
                if mult > 1 {
                    self.copies.insert(key, mult);
                }
                if let Some(e) = extra {
                    self.extras.insert(key, e);
                }
                if sender.is_some() {
                    self.set_sender(key, sender);
                }
                true
            }
            Some(old) => {
                let mult = self.copies_of(&key).saturating_add(mult);
                self.copies.insert(key, mult);
                // Keep the smaller content by a fixed total order, so that
                // which copy wins does not depend on the order of arrival.
                let ord = (bits, time, group, extra.as_ref(), sender).cmp(&(
                    old.bits,
                    old.time,
                    self.group_name(old.group),
                    self.extras.get(&key),
                    self.sender_of(&key),
                ));
                if ord == std::cmp::Ordering::Less {
                    self.records.set(key, Rec { time, group: g, bits });
                    match extra {
                        Some(e) => self.extras.insert(key, e),
                        None => self.extras.remove(&key),
                    };
                    self.set_sender(key, sender);
                }
                false
            }
        }
    }
}

#[cfg(test)]
mod tests;
