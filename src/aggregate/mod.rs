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
mod report;
mod snapshot;
mod table;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::analysis::Analysis;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::message::Message;
use crate::time::parse_time_field;
use crate::types::{Category, EntityKind, FraudType, Role, Stance};

pub use config::{AggregatorConfig, DEFAULT_ANSWER_WINDOW_SECONDS};
pub use report::{
    CaseFigures, CaseKindFigures, DayReport, FraudFigures, GroupReport, Indicator, MessageFigures, Period,
    RejectedFigures, Report, ResponseBucket, ResponseTimes, REPORT_VERSION, RESPONSE_BUCKETS_SECONDS,
};
pub use snapshot::{SNAPSHOT_FORMAT, SNAPSHOT_VERSION};

/// What a message is, apart from its words: a person's content, a system
/// notice (joins, removals, renames), a recall notice, or a media
/// placeholder. Only content is counted as messages by category and role;
/// the others are counted apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// Something a person wrote.
    Content = 0,
    /// A system notice: someone joined, was invited, left or was removed,
    /// the group was renamed.
    System = 1,
    /// A recall notice ("…撤回了一条消息").
    Recalled = 2,
    /// A media placeholder without text (`[图片]`, `[语音]`, …). A police media
    /// message (a voice reply) still answers cases.
    Media = 3,
}

impl MessageKind {
    /// The `snake_case` name.
    pub const fn name(self) -> &'static str {
        match self {
            MessageKind::Content => "content",
            MessageKind::System => "system",
            MessageKind::Recalled => "recalled",
            MessageKind::Media => "media",
        }
    }

    fn from_bits(b: u32) -> Option<Self> {
        Some(match b {
            0 => MessageKind::Content,
            1 => MessageKind::System,
            2 => MessageKind::Recalled,
            3 => MessageKind::Media,
            _ => return None,
        })
    }
}

/// Media placeholders that stand for a message without text.
const MEDIA_PLACEHOLDERS: &[&str] = &["[图片]", "[语音]", "[视频]", "[表情包]", "[文件]", "[动画表情]"];

/// The longest text (in characters) still read as a system or recall notice.
const NOTICE_MAX_CHARS: usize = 300;

/// Recognise system notices, recall notices and media placeholders by their
/// text, as chat exports write them. Everything else is
/// [`MessageKind::Content`].
///
/// ```
/// use jingmin::{classify_kind, MessageKind};
/// assert_eq!(classify_kind("\"李阿姨\"撤回了一条消息"), MessageKind::Recalled);
/// assert_eq!(classify_kind("你撤回了一条消息 重新编辑"), MessageKind::Recalled);
/// assert_eq!(classify_kind("\"王警官\"邀请\"张三\"加入了群聊"), MessageKind::System);
/// assert_eq!(classify_kind("\"张三\"通过扫描\"王警官\"分享的二维码加入群聊"), MessageKind::System);
/// assert_eq!(classify_kind(" [语音] "), MessageKind::Media);
/// assert_eq!(classify_kind("[图片] 这个是骗子吗"), MessageKind::Content);
/// assert_eq!(classify_kind("请问怎么加入群聊？"), MessageKind::Content);
/// ```
pub fn classify_kind(text: &str) -> MessageKind {
    let t = text.trim();
    if MEDIA_PLACEHOLDERS.contains(&t) {
        return MessageKind::Media;
    }
    if t.is_empty() || t.contains('\n') || t.chars().count() > NOTICE_MAX_CHARS {
        return MessageKind::Content;
    }
    let t = t.strip_suffix("重新编辑").map(str::trim_end).unwrap_or(t);
    if t.ends_with("撤回了一条消息") || t.ends_with("撤回了一条成员消息") {
        return MessageKind::Recalled;
    }
    let quoted = t.starts_with('"') || t.starts_with('“') || t.starts_with('你');
    if t.ends_with("加入了群聊")
        || (t.ends_with("加入群聊") && (t.contains("邀请") || t.contains("二维码")))
        || (quoted && (t.ends_with("移出了群聊") || t.ends_with("退出了群聊") || t.contains("修改群名为")))
    {
        return MessageKind::System;
    }
    MessageKind::Content
}

/// Why a message was not counted as a message of a group and day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// No `group` (or only blanks).
    MissingGroup = 1,
    /// A group, but no `time` (or only blanks).
    MissingTime = 2,
    /// A group and a `time` that could not be read.
    InvalidTime = 3,
}

impl RejectReason {
    /// Every reason.
    pub const ALL: &'static [RejectReason] =
        &[RejectReason::MissingGroup, RejectReason::MissingTime, RejectReason::InvalidTime];

    /// The `snake_case` name.
    pub const fn name(self) -> &'static str {
        match self {
            RejectReason::MissingGroup => "missing_group",
            RejectReason::MissingTime => "missing_time",
            RejectReason::InvalidTime => "invalid_time",
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

/// Sentinel group index of a rejected message without a group.
pub(crate) const NO_GROUP: u32 = u32::MAX;

/// One distinct message, as kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rec {
    /// Unix seconds; 0 for rejected messages.
    pub(crate) time: i64,
    /// Index into the group table, or [`NO_GROUP`].
    pub(crate) group: u32,
    /// The packed [`Fields`].
    pub(crate) bits: u32,
}

/// What solicitations and victim reports carry beyond the packed fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Extra {
    /// Sum of the money entities of a victim report, in fen.
    pub(crate) money_fen: i64,
    /// The phone / URL / WeChat / QQ indicators of a solicitation, sorted,
    /// without repeats, as the analysis gave them (masked or not).
    pub(crate) indicators: Vec<(EntityKind, String)>,
}

impl Extra {
    fn is_empty(&self) -> bool {
        self.money_fen == 0 && self.indicators.is_empty()
    }
}

/// The entity kinds reported as solicitation indicators.
pub(crate) const INDICATOR_KINDS: &[EntityKind] =
    &[EntityKind::Phone, EntityKind::Url, EntityKind::WechatId, EntityKind::QqNumber];

/// The largest money amount of one entity taken into the sum: 10^13 yuan.
const MAX_FEN_PER_ENTITY: f64 = 1e15;

/// The fields of a record, unpacked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fields {
    pub(crate) kind: MessageKind,
    pub(crate) role: Role,
    pub(crate) category: Category,
    pub(crate) stance: Stance,
    /// The primary fraud type, `FraudType::None` when none.
    pub(crate) fraud: FraudType,
    pub(crate) rejected: Option<RejectReason>,
}

// Bit layout: kind 0-1, role 2-3, category 4-6, stance 7-9, fraud type
// (position in FraudType::ALL) 10-14, reject reason 15-16.
const BITS_USED: u32 = (1 << 17) - 1;

impl Fields {
    pub(crate) fn encode(&self) -> u32 {
        let fraud_pos = FraudType::ALL.iter().position(|t| *t == self.fraud).unwrap_or(0) as u32;
        let reject = self.rejected.map_or(0, |r| r as u32);
        (self.kind as u32)
            | (self.role.code() << 2)
            | (self.category.code() << 4)
            | (self.stance.code() << 7)
            | (fraud_pos << 10)
            | (reject << 15)
    }

    /// Unpack, or `None` when the bits are not a valid packing.
    pub(crate) fn decode(bits: u32) -> Option<Fields> {
        if bits & !BITS_USED != 0 {
            return None;
        }
        let rejected = match (bits >> 15) & 3 {
            0 => None,
            1 => Some(RejectReason::MissingGroup),
            2 => Some(RejectReason::MissingTime),
            _ => Some(RejectReason::InvalidTime),
        };
        let f = Fields {
            kind: MessageKind::from_bits(bits & 3)?,
            role: Role::from_code((bits >> 2) & 3)?,
            category: Category::from_code((bits >> 4) & 7)?,
            stance: Stance::from_code((bits >> 7) & 7)?,
            fraud: *FraudType::ALL.get(((bits >> 10) & 31) as usize)?,
            rejected,
        };
        // Only canonical packings: what `encode` could have written.
        (f.encode() == bits && f.is_canonical()).then_some(f)
    }

    /// Rejected records keep only their reason; non-content records keep
    /// only their kind and role.
    fn is_canonical(&self) -> bool {
        let blank = self.category == Category::Other && self.stance == Stance::None && self.fraud == FraudType::None;
        match (self.rejected, self.kind) {
            (Some(_), kind) => blank && kind == MessageKind::Content && self.role == Role::Unknown,
            (None, MessageKind::Content) => true,
            (None, _) => blank,
        }
    }

    /// The kind of case this message opens, if it opens one.
    pub(crate) fn case_kind(&self) -> Option<CaseKind> {
        if self.rejected.is_some() || self.kind != MessageKind::Content || self.role == Role::Police {
            return None;
        }
        match self.stance {
            Stance::VictimReport => return Some(CaseKind::VictimReport),
            Stance::Inquiry => return Some(CaseKind::Inquiry),
            _ => {}
        }
        match self.category {
            Category::Service => Some(CaseKind::Service),
            Category::Dispute => Some(CaseKind::Dispute),
            Category::Anomaly => Some(CaseKind::Anomaly),
            _ => None,
        }
    }

    /// Whether this message answers the cases open in its group.
    pub(crate) fn answers(&self) -> bool {
        self.rejected.is_none()
            && self.role == Role::Police
            && matches!(self.kind, MessageKind::Content | MessageKind::Media)
    }
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
        }
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
        let offset = self.config.utc_offset_seconds;
        let group = message.group.as_deref().filter(|g| !g.trim().is_empty());
        let time_text = message.time.as_deref().filter(|t| !t.trim().is_empty());
        let time = time_text.map(|t| parse_time_field("time", t, offset).ok());
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
        let extra = if content { extra_of(analysis) } else { None };
        let time = time.flatten().filter(|_| rejected.is_none()).unwrap_or(0);
        let new = self.insert(key, time, group, fields.encode(), 1, extra);
        match (new, rejected) {
            (false, _) => Added::Duplicate,
            (true, Some(r)) => Added::Rejected(r),
            (true, None) => Added::New,
        }
    }

    /// Analyse a message with `engine` (as [`Engine::analyze_message`]) and
    /// count it. Notices, recalls and media placeholders are not analysed.
    ///
    /// ```
    /// use jingmin::{Aggregator, Engine, Message, Added};
    /// let engine = Engine::default();
    /// let mut agg = Aggregator::default();
    /// let m = Message { group: Some("g".into()), time: Some("2024-03-01 10:00:00".into()), ..Message::new("收到") };
    /// assert_eq!(agg.add_with(&engine, &m), Added::New);
    /// assert_eq!(agg.add_with(&engine, &m), Added::Duplicate);
    /// ```
    pub fn add_with(&mut self, engine: &Engine, message: &Message) -> Added {
        let kind = classify_kind(&message.text);
        if kind == MessageKind::Content {
            let analysis = engine.analyze_message(message);
            self.add_as(message, &analysis, kind)
        } else {
            self.add_as(message, &Analysis::default(), kind)
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
            Error::Json(format!("message at line {} column {}: {}", e.line(), e.column(), classify_json_error(&e)))
        })?;
        Ok(self.add_with(engine, &message))
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
            self.insert(*key, rec.time, group, rec.bits, other.copies_of(key), other.extras.get(key).cloned());
        }
        Ok(())
    }

    /// The report: every figure, computed from the state.
    pub fn report(&self) -> Report {
        report::build(self)
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
    /// let newer = snap.replace("\"version\":1", "\"version\":999");
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

    /// Insert a record, or fold it into the one with the same key. Returns
    /// whether the key was new.
    fn insert(&mut self, key: u64, time: i64, group: Option<&str>, bits: u32, mult: u32, extra: Option<Extra>) -> bool {
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
                true
            }
            Some(old) => {
                let mult = self.copies_of(&key).saturating_add(mult);
                self.copies.insert(key, mult);
                // Keep the smaller content by a fixed total order, so that
                // which copy wins does not depend on the order of arrival.
                let ord = (bits, time, group, extra.as_ref()).cmp(&(
                    old.bits,
                    old.time,
                    self.group_name(old.group),
                    self.extras.get(&key),
                ));
                if ord == std::cmp::Ordering::Less {
                    self.records.set(key, Rec { time, group: g, bits });
                    match extra {
                        Some(e) => self.extras.insert(key, e),
                        None => self.extras.remove(&key),
                    };
                }
                false
            }
        }
    }
}

/// The de-duplication key of a message: its group and `id`, or without an
/// `id`, its group, time (the instant when readable, else the text as
/// given), sender and text.
fn dedup_key(message: &Message, group: Option<&str>, time: Option<i64>, time_text: Option<&str>) -> u64 {
    let mut h = hash::Sip24::new();
    match message.id.as_deref().filter(|id| !id.is_empty()) {
        Some(id) => {
            h.write(&[1]);
            h.write_field(group);
            h.write_field(Some(id));
        }
        None => {
            h.write(&[2]);
            h.write_field(group);
            match time {
                Some(t) => {
                    h.write(&[1]);
                    h.write_u64(t as u64);
                }
                None => {
                    h.write(&[2]);
                    h.write_field(time_text);
                }
            }
            h.write_field(message.sender.as_deref());
            h.write_field(Some(&message.text));
        }
    }
    h.finish()
}

/// The indicators (solicitations) and money (victim reports) of an analysis.
fn extra_of(analysis: &Analysis) -> Option<Extra> {
    let mut extra = Extra::default();
    match analysis.fraud.stance {
        Stance::Solicitation => {
            let mut v: Vec<(EntityKind, String)> = analysis
                .entities
                .iter()
                .filter(|e| INDICATOR_KINDS.contains(&e.kind) && !e.text.is_empty())
                .map(|e| (e.kind, e.text.clone()))
                .collect();
            v.sort();
            v.dedup();
            extra.indicators = v;
        }
        Stance::VictimReport => {
            let mut fen: i64 = 0;
            for e in &analysis.entities {
                if e.kind != EntityKind::Money {
                    continue;
                }
                if let Some(v) = e.value.filter(|v| v.is_finite() && *v > 0.0) {
                    // Whole fen, so that sums are exact in any order.
                    let f = (v * 100.0).round().min(MAX_FEN_PER_ENTITY) as i64;
                    fen = fen.saturating_add(f);
                }
            }
            extra.money_fen = fen;
        }
        _ => {}
    }
    (!extra.is_empty()).then_some(extra)
}

/// The category of a JSON error, without echoing input.
fn classify_json_error(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Io => "I/O error",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Data => "not a taxonomy §4 message (a field is missing or has the wrong type)",
        serde_json::error::Category::Eof => "unexpected end of input",
    }
}

#[cfg(test)]
mod tests;
