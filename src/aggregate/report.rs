//! The report: every figure, computed from an aggregator's set of records.
//! The schema is documented in `docs/report-schema.md`.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::percentile::nearest_rank;
use super::{Aggregator, CaseKind, Extra, Fields, MessageKind, RejectReason, NO_GROUP};
use crate::time::{civil_from_days, day_number, days_from_civil, format_time};
use crate::types::{Category, EntityKind, FraudType, Role, Stance};

/// The version of the report schema; raised when a key changes meaning or
/// disappears (new keys may appear without a new version).
pub const REPORT_VERSION: u32 = 2;

/// What an [`Aggregator`] reports (serde; the JSON of
/// `docs/report-schema.md`).
///
/// ```
/// use jingmin::{Aggregator, Category, Role};
/// let r = Aggregator::default().report();
/// assert_eq!(r.messages.by_category.len(), 8);
/// assert_eq!(r.messages.by_category[&Category::Service], 0);
/// assert_eq!(r.messages.by_role[&Role::Police], 0);
/// assert_eq!(r.period.from, None);
/// assert_eq!(r.cases.first_response_seconds.p50, None);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The schema version, [`REPORT_VERSION`].
    pub version: u32,
    /// Message counts over all groups and days.
    pub messages: MessageFigures,
    /// Fraud figures over all groups and days.
    pub fraud: FraudFigures,
    /// Cases and response over all groups and days.
    pub cases: CaseFigures,
    /// The same figures per group, sorted by group name.
    pub groups: Vec<GroupReport>,
    /// The same figures per calendar day (in the configured offset), sorted.
    pub days: Vec<DayReport>,
    /// First and last message time.
    pub period: Period,
    /// The number of groups (the length of `groups`).
    pub group_count: usize,
    /// The settings the figures were computed with.
    #[serde(default)]
    pub settings: Settings,
    /// The same figures per ISO week (Monday to Sunday, in the configured
    /// offset), sorted.
    #[serde(default)]
    pub weeks: Vec<SpanReport>,
    /// The same figures per calendar month, sorted.
    #[serde(default)]
    pub months: Vec<SpanReport>,
    /// Per police sender (一警一群): what they posted and the cases they
    /// answered first; sorted by name.
    #[serde(default)]
    pub officers: Vec<OfficerReport>,
    /// The messages behind the figures, when the aggregator keeps them
    /// ([`AggregatorConfig::drill_down`](crate::AggregatorConfig::drill_down));
    /// `null` otherwise.
    #[serde(default)]
    pub drill_down: Option<DrillDown>,
    /// The time window the figures cover ([`ReportOptions`]).
    #[serde(default)]
    pub window: Window,
    /// With [`ReportOptions::compare_previous`]: the figures of the
    /// preceding window of equal length, and the change.
    #[serde(default)]
    pub previous: Option<Box<Previous>>,
}

/// What [`Aggregator::report_with`](crate::Aggregator::report_with) covers.
///
/// ```
/// use jingmin::{Aggregator, ReportOptions};
/// let r = Aggregator::default().report_with(&ReportOptions { since: Some(1_709_222_400), ..Default::default() }).unwrap();
/// assert_eq!(r.window.since.as_deref(), Some("2024-03-01T00:00:00+08:00"));
/// assert!(Aggregator::default().report_with(&ReportOptions { since: Some(5), until: Some(5), ..Default::default() }).is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReportOptions {
    /// The first instant counted (Unix seconds, inclusive); `None`: from the
    /// first message.
    pub since: Option<i64>,
    /// The first instant no longer counted (exclusive); `None`: to the last
    /// message.
    pub until: Option<i64>,
    /// Also report the preceding window of the same length. Without `since`
    /// and `until` the window is the whole days from the first message's day
    /// to the last message's.
    pub compare_previous: bool,
}

/// A time window: RFC 3339 instants in the configured offset, `since`
/// inclusive, `until` exclusive; `null` for an open end.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// The first instant counted.
    pub since: Option<String>,
    /// The first instant no longer counted.
    pub until: Option<String>,
}

/// The preceding window of a report, and the change from it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Previous {
    /// The preceding window: as long as the report's, ending where it begins.
    pub window: Window,
    /// Its message counts.
    pub messages: MessageFigures,
    /// Its fraud figures.
    pub fraud: FraudFigures,
    /// Its cases.
    pub cases: CaseFigures,
    /// This window's figures minus the preceding one's.
    pub change: Change,
}

/// The change of the headline figures from the preceding window (this
/// minus that); `null` where either side is undefined.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Content messages.
    pub messages: i64,
    /// Fraud messages.
    pub fraud_messages: i64,
    /// Solicitations (ads and scripts).
    pub solicitations: i64,
    /// Cases opened.
    pub cases_opened: i64,
    /// Cases answered.
    pub cases_answered: i64,
    /// The answered share, in percentage points.
    pub answered_share_points: Option<f64>,
    /// The median first response, in seconds.
    pub first_response_p50_seconds: Option<i64>,
}

/// The figures of a week or a month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpanReport {
    /// `2024-W09` (ISO week) or `2024-03`.
    pub label: String,
    /// Its first day, `YYYY-MM-DD`.
    pub first_day: String,
    /// Its messages.
    pub messages: MessageFigures,
    /// Its fraud figures.
    pub fraud: FraudFigures,
    /// Its cases (by the day they opened).
    pub cases: CaseFigures,
}

/// One police sender's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfficerReport {
    /// The sender as the exports name them.
    pub officer: String,
    /// The groups they posted in, sorted.
    pub groups: Vec<String>,
    /// Their content messages.
    pub messages: u64,
    /// Their fraud warnings (content messages of stance `warning`).
    pub warnings: u64,
    /// Cases whose first answer was theirs.
    pub answered_first: u64,
    /// First-response times of those cases.
    pub first_response_seconds: ResponseTimes,
    /// The share of those answered within 5 minutes; `null` without any.
    pub within_5_minutes_share: Option<f64>,
    /// The share of those answered within 30 minutes.
    pub within_30_minutes_share: Option<f64>,
}

/// The messages behind the figures: every one, sorted by time (then group,
/// sender, text); texts and senders as the aggregator kept them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DrillDown {
    /// Solicitations: the ads and scripts to remove.
    pub solicitations: Vec<SolicitationItem>,
    /// Cases not answered (`unanswered`) or still within the answer window
    /// at the end of the data (`pending`).
    pub open_cases: Vec<OpenCaseItem>,
    /// Victim reports, with the money they name.
    pub victim_reports: Vec<VictimItem>,
}

/// A solicitation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SolicitationItem {
    /// RFC 3339 in the configured offset.
    pub time: String,
    /// The group.
    pub group: String,
    /// The sender, when kept.
    pub sender: Option<String>,
    /// The primary fraud type.
    pub fraud_type: FraudType,
    /// The text (masked unless counted raw), when kept.
    pub text: Option<String>,
    /// The contact clues it carries.
    pub clues: Vec<Clue>,
}

/// A contact clue of a solicitation.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Clue {
    /// `phone`, `url`, `wechat_id` or `qq_number`.
    pub kind: EntityKind,
    /// Its normalised form.
    pub text: String,
}

/// A case not answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenCaseItem {
    /// When it opened.
    pub time: String,
    /// The group.
    pub group: String,
    /// The sender, when kept.
    pub sender: Option<String>,
    /// Its kind.
    pub kind: CaseKind,
    /// `unanswered` or `pending`.
    pub status: CaseStatus,
    /// Seconds from its opening to the end of the data.
    pub age_seconds: i64,
    /// The text, when kept.
    pub text: Option<String>,
}

/// A victim report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VictimItem {
    /// When.
    pub time: String,
    /// The group.
    pub group: String,
    /// The sender, when kept.
    pub sender: Option<String>,
    /// The primary fraud type.
    pub fraud_type: FraudType,
    /// The money it names, in yuan.
    pub amount_yuan: f64,
    /// The text, when kept.
    pub text: Option<String>,
}

/// Where a case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// A police message of its group came within the answer window.
    Answered,
    /// None came within the window, and the data goes on past it.
    Unanswered,
    /// None came yet, and the data ends before its window does.
    Pending,
    /// Its group has no police sender at all: nobody to answer is known.
    Unknown,
}

/// The settings a report was computed with: its aggregator's
/// configuration ([`AggregatorConfig`](crate::AggregatorConfig)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The fixed offset of days and `period`, seconds east of UTC.
    pub utc_offset_seconds: i32,
    /// How long a case waited for its answer, in seconds.
    pub answer_window_seconds: i64,
    /// The earliest plausible message time (Unix seconds).
    pub earliest_time: i64,
    /// The latest plausible message time (Unix seconds); `null`: one day
    /// past the clock when each message was added.
    pub latest_time: Option<i64>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings::from(&crate::AggregatorConfig::default())
    }
}

impl From<&crate::AggregatorConfig> for Settings {
    fn from(c: &crate::AggregatorConfig) -> Self {
        Settings {
            utc_offset_seconds: c.utc_offset_seconds,
            answer_window_seconds: c.answer_window_seconds,
            earliest_time: c.earliest_time,
            latest_time: c.latest_time,
        }
    }
}

/// Message counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageFigures {
    /// Distinct content messages (from people, with group and time).
    pub total: u64,
    /// Content messages by work category; all eight categories present.
    pub by_category: BTreeMap<Category, u64>,
    /// Content messages by sender role; all three roles present.
    pub by_role: BTreeMap<Role, u64>,
    /// Content messages by category, then role; all present.
    pub by_category_role: BTreeMap<Category, BTreeMap<Role, u64>>,
    /// Distinct system notices (joins, removals, renames).
    pub system: u64,
    /// Distinct recall notices.
    pub recalled: u64,
    /// Distinct media placeholders.
    pub media: u64,
    /// Copies of messages already counted, ignored (all kinds, rejected
    /// ones included).
    pub duplicates: u64,
    /// Distinct messages without a group or a readable time.
    pub rejected: RejectedFigures,
}

/// Rejected messages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RejectedFigures {
    /// How many.
    pub total: u64,
    /// By reason; all reasons present.
    pub by_reason: BTreeMap<RejectReason, u64>,
}

/// Fraud figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FraudFigures {
    /// Content messages with fraud content (at least one fraud type).
    pub messages: u64,
    /// Fraud messages by primary fraud type; every type but `none` present.
    pub by_type: BTreeMap<FraudType, u64>,
    /// Fraud messages by stance; every stance present.
    pub by_stance: BTreeMap<Stance, u64>,
    /// Fraud messages by primary type, then stance; only pairs seen.
    pub by_type_stance: BTreeMap<FraudType, BTreeMap<Stance, u64>>,
    /// Phones, URLs, WeChat ids and QQ numbers carried by solicitations,
    /// with the number of solicitations carrying each; most frequent first,
    /// then by kind and text.
    pub solicitation_indicators: Vec<Indicator>,
    /// The sum of the money named in victim reports, in yuan (exact to the
    /// fen).
    pub victim_money_yuan: f64,
}

/// An indicator carried by solicitations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    /// `phone`, `url`, `wechat_id` or `qq_number`.
    pub kind: EntityKind,
    /// As the analysis gave it (masked unless the caller asked for raw).
    pub text: String,
    /// The number of distinct solicitations that carried it.
    pub messages: u64,
}

/// Cases and response. `opened = answered + unanswered + pending +
/// unknown`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseFigures {
    /// Cases opened.
    pub opened: u64,
    /// Cases answered within the window.
    pub answered: u64,
    /// Cases not answered within the window, where the data goes on past it.
    pub unanswered: u64,
    /// Cases not answered yet whose window outlasts the data: neither
    /// answered nor unanswered.
    #[serde(default)]
    pub pending: u64,
    /// Cases of groups without any police sender: nobody to answer is known.
    #[serde(default)]
    pub unknown: u64,
    /// `answered / (answered + unanswered)`; `null` when both are 0.
    pub answered_share: Option<f64>,
    /// First-response times of the answered cases.
    pub first_response_seconds: ResponseTimes,
    /// The same by case kind; all five kinds present.
    pub by_kind: BTreeMap<CaseKind, CaseKindFigures>,
    /// First-response times of the answered cases in fixed buckets (see
    /// [`RESPONSE_BUCKETS_SECONDS`]); the counts add up to `answered`.
    #[serde(default)]
    pub first_response_histogram: Vec<ResponseBucket>,
}

/// The upper bounds (inclusive, in seconds) of the buckets of
/// [`CaseFigures::first_response_histogram`]: 5, 15 and 30 minutes, 1, 2, 4,
/// 8 and 24 hours; a last bucket (without bound) takes longer times.
pub const RESPONSE_BUCKETS_SECONDS: &[i64] = &[300, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400];

/// One bucket of the first-response histogram.
///
/// ```
/// use jingmin::{Aggregator, RESPONSE_BUCKETS_SECONDS};
/// let h = Aggregator::default().report().cases.first_response_histogram;
/// assert_eq!(h.len(), RESPONSE_BUCKETS_SECONDS.len() + 1);
/// assert_eq!(h[0].up_to_seconds, Some(300));
/// assert_eq!(h.last().unwrap().up_to_seconds, None);
/// assert!(h.iter().all(|b| b.cases == 0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseBucket {
    /// Answered cases whose first response came within this many seconds
    /// (and after the previous bucket's bound); `null` for the last bucket
    /// (longer than the last bound).
    pub up_to_seconds: Option<i64>,
    /// How many.
    pub cases: u64,
}

/// Count sorted-or-not first-response times into the fixed buckets.
fn histogram(times: &[i64]) -> Vec<ResponseBucket> {
    let mut out: Vec<ResponseBucket> = RESPONSE_BUCKETS_SECONDS
        .iter()
        .map(|b| ResponseBucket { up_to_seconds: Some(*b), cases: 0 })
        .chain(std::iter::once(ResponseBucket { up_to_seconds: None, cases: 0 }))
        .collect();
    for t in times {
        let i = RESPONSE_BUCKETS_SECONDS.partition_point(|b| b < t);
        if let Some(b) = out.get_mut(i) {
            b.cases += 1;
        }
    }
    out
}

/// Cases of one kind (see [`CaseFigures`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseKindFigures {
    /// Cases opened.
    pub opened: u64,
    /// Cases answered within the window.
    pub answered: u64,
    /// Cases not answered within the window.
    pub unanswered: u64,
    /// Cases whose window outlasts the data.
    #[serde(default)]
    pub pending: u64,
    /// Cases of groups without any police sender.
    #[serde(default)]
    pub unknown: u64,
    /// `answered / (answered + unanswered)`; `null` when both are 0.
    pub answered_share: Option<f64>,
    /// First-response times of the answered cases.
    pub first_response_seconds: ResponseTimes,
}

/// Exact nearest-rank percentiles of first-response times, in seconds;
/// `null` when no case was answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseTimes {
    /// The median (nearest rank ⌈n/2⌉).
    pub p50: Option<i64>,
    /// The 90th percentile (nearest rank ⌈0.9·n⌉).
    pub p90: Option<i64>,
    /// The longest.
    pub max: Option<i64>,
}

/// The figures of one group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupReport {
    /// The group as the exports name it (a name or an id).
    pub group: String,
    /// A name given for it by the caller (`jingmin report --group-names`);
    /// `null` when none was given.
    #[serde(default)]
    pub name: Option<String>,
    /// Whether any police sender was recognised in it. When not, its cases
    /// are `unknown` and its police warnings may be counted under other
    /// stances: give a roster.
    #[serde(default)]
    pub police_identified: bool,
    /// Its messages (`rejected` counts its messages without a readable time).
    pub messages: MessageFigures,
    /// Its fraud figures.
    pub fraud: FraudFigures,
    /// Its cases.
    pub cases: CaseFigures,
}

/// The figures of one calendar day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayReport {
    /// `YYYY-MM-DD` in the configured offset.
    pub day: String,
    /// Its messages (`rejected` is always zero: they have no day).
    pub messages: MessageFigures,
    /// Its fraud figures.
    pub fraud: FraudFigures,
    /// Its cases (by the day they opened).
    pub cases: CaseFigures,
}

/// The period covered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// The first message's time, RFC 3339 in the configured offset; `null`
    /// when there is none.
    pub from: Option<String>,
    /// The last message's time.
    pub to: Option<String>,
}

#[derive(Default)]
struct CaseAcc {
    opened: u64,
    pending: u64,
    unknown: u64,
    times: Vec<i64>,
}

impl CaseAcc {
    fn add(&mut self, status: Status) {
        self.opened += 1;
        match status {
            Status::Answered(t, _) => self.times.push(t),
            Status::Pending => self.pending += 1,
            Status::Unknown => self.unknown += 1,
            Status::Unanswered => {}
        }
    }

    fn absorb(&mut self, other: &CaseAcc) {
        self.opened += other.opened;
        self.pending += other.pending;
        self.unknown += other.unknown;
        self.times.extend_from_slice(&other.times);
    }

    fn finish(mut self) -> CaseKindFigures {
        self.times.sort_unstable();
        let answered = self.times.len() as u64;
        let unanswered = self.opened.saturating_sub(answered + self.pending + self.unknown);
        let decided = answered + unanswered;
        CaseKindFigures {
            opened: self.opened,
            answered,
            unanswered,
            pending: self.pending,
            unknown: self.unknown,
            answered_share: (decided > 0).then(|| answered as f64 / decided as f64),
            first_response_seconds: ResponseTimes {
                p50: nearest_rank(&self.times, 50),
                p90: nearest_rank(&self.times, 90),
                max: self.times.last().copied(),
            },
        }
    }
}

#[derive(Default)]
struct Acc {
    total: u64,
    by_category_role: BTreeMap<(Category, Role), u64>,
    system: u64,
    recalled: u64,
    media: u64,
    duplicates: u64,
    rejected: BTreeMap<RejectReason, u64>,
    fraud_messages: u64,
    by_type_stance: BTreeMap<(FraudType, Stance), u64>,
    indicators: BTreeMap<(EntityKind, String), u64>,
    money_fen: i128,
    cases: BTreeMap<CaseKind, CaseAcc>,
}

impl Acc {
    fn add_message(&mut self, f: &Fields, duplicates: u64, extra: Option<&Extra>) {
        self.duplicates += duplicates;
        match f.kind {
            MessageKind::System => self.system += 1,
            MessageKind::Recalled => self.recalled += 1,
            MessageKind::Media => self.media += 1,
            MessageKind::Content => {
                self.total += 1;
                *self.by_category_role.entry((f.category, f.role)).or_default() += 1;
                if f.fraud != FraudType::None {
                    self.fraud_messages += 1;
                    *self.by_type_stance.entry((f.fraud, f.stance)).or_default() += 1;
                }
                if let Some(e) = extra {
                    if f.stance == Stance::Solicitation {
                        for (kind, text) in &e.indicators {
                            *self.indicators.entry((*kind, text.clone())).or_default() += 1;
                        }
                    }
                    if f.stance == Stance::VictimReport {
                        self.money_fen += i128::from(e.money_fen);
                    }
                }
            }
        }
    }

    fn add_rejected(&mut self, reason: RejectReason, duplicates: u64) {
        self.duplicates += duplicates;
        *self.rejected.entry(reason).or_default() += 1;
    }

    fn add_case(&mut self, kind: CaseKind, status: Status) {
        self.cases.entry(kind).or_default().add(status);
    }

    fn finish(self) -> (MessageFigures, FraudFigures, CaseFigures) {
        let mut by_category: BTreeMap<Category, u64> = Category::ALL.iter().map(|c| (*c, 0)).collect();
        let mut by_role: BTreeMap<Role, u64> = Role::ALL.iter().map(|r| (*r, 0)).collect();
        let mut by_category_role: BTreeMap<Category, BTreeMap<Role, u64>> =
            Category::ALL.iter().map(|c| (*c, Role::ALL.iter().map(|r| (*r, 0)).collect())).collect();
        for ((c, r), n) in &self.by_category_role {
            *by_category.entry(*c).or_default() += n;
            *by_role.entry(*r).or_default() += n;
            *by_category_role.entry(*c).or_default().entry(*r).or_default() += n;
        }
        let mut by_reason: BTreeMap<RejectReason, u64> = RejectReason::ALL.iter().map(|r| (*r, 0)).collect();
        for (r, n) in &self.rejected {
            *by_reason.entry(*r).or_default() += n;
        }
        let messages = MessageFigures {
            total: self.total,
            by_category,
            by_role,
            by_category_role,
            system: self.system,
            recalled: self.recalled,
            media: self.media,
            duplicates: self.duplicates,
            rejected: RejectedFigures { total: by_reason.values().sum(), by_reason },
        };

        let mut by_type: BTreeMap<FraudType, u64> =
            FraudType::ALL.iter().filter(|t| **t != FraudType::None).map(|t| (*t, 0)).collect();
        let mut by_stance: BTreeMap<Stance, u64> = Stance::ALL.iter().map(|s| (*s, 0)).collect();
        let mut by_type_stance: BTreeMap<FraudType, BTreeMap<Stance, u64>> = BTreeMap::new();
        for ((t, s), n) in &self.by_type_stance {
            *by_type.entry(*t).or_default() += n;
            *by_stance.entry(*s).or_default() += n;
            *by_type_stance.entry(*t).or_default().entry(*s).or_default() += n;
        }
        let mut indicators: Vec<Indicator> =
            self.indicators.into_iter().map(|((kind, text), messages)| Indicator { kind, text, messages }).collect();
        indicators.sort_by(|a, b| b.messages.cmp(&a.messages).then(a.kind.cmp(&b.kind)).then(a.text.cmp(&b.text)));
        let fraud = FraudFigures {
            messages: self.fraud_messages,
            by_type,
            by_stance,
            by_type_stance,
            solicitation_indicators: indicators,
            victim_money_yuan: self.money_fen as f64 / 100.0,
        };

        let mut all = CaseAcc::default();
        let mut by_kind = BTreeMap::new();
        let mut cases = self.cases;
        for kind in CaseKind::ALL {
            let acc = cases.remove(kind).unwrap_or_default();
            all.absorb(&acc);
            by_kind.insert(*kind, acc.finish());
        }
        let first_response_histogram = histogram(&all.times);
        let all = all.finish();
        let cases = CaseFigures {
            opened: all.opened,
            answered: all.answered,
            unanswered: all.unanswered,
            pending: all.pending,
            unknown: all.unknown,
            answered_share: all.answered_share,
            first_response_seconds: all.first_response_seconds,
            by_kind,
            first_response_histogram,
        };
        (messages, fraud, cases)
    }
}

/// Where a case stands, with the first response and who gave it when
/// answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status<'a> {
    Answered(i64, Option<&'a str>),
    Unanswered,
    Pending,
    Unknown,
}

impl Status<'_> {
    fn public(self) -> CaseStatus {
        match self {
            Status::Answered(..) => CaseStatus::Answered,
            Status::Unanswered => CaseStatus::Unanswered,
            Status::Pending => CaseStatus::Pending,
            Status::Unknown => CaseStatus::Unknown,
        }
    }
}

/// One case, resolved against every police message of its group.
struct Case<'a> {
    key: u64,
    opened: i64,
    group: u32,
    kind: CaseKind,
    status: Status<'a>,
}

/// What every window shares: the cases resolved once, over all the data.
struct Resolved<'a> {
    cases: Vec<Case<'a>>,
    /// Groups with at least one police sender.
    policed: HashSet<u32>,
    /// The last message time of all the data.
    data_end: Option<i64>,
}

fn resolve(agg: &Aggregator) -> Resolved<'_> {
    let window = agg.config.answer_window_seconds;
    // Per group: the police messages that answer (time, sender), and the cases.
    let mut police: HashMap<u32, Vec<(i64, Option<&str>)>> = HashMap::new();
    let mut cases: Vec<Case<'_>> = Vec::new();
    let mut data_end: Option<i64> = None;
    for (key, rec) in agg.records.iter() {
        let Some(f) = Fields::decode(rec.bits) else { continue };
        if f.rejected.is_some() {
            continue;
        }
        data_end = Some(data_end.map_or(rec.time, |e| e.max(rec.time)));
        if f.answers() {
            police.entry(rec.group).or_default().push((rec.time, agg.sender_of(key)));
        }
        if let Some(kind) = f.case_kind() {
            cases.push(Case { key: *key, opened: rec.time, group: rec.group, kind, status: Status::Unknown });
        }
    }
    for p in police.values_mut() {
        // By time, then sender: which of two simultaneous answers is
        // credited does not depend on the order of arrival.
        p.sort_unstable();
    }
    let end = data_end.unwrap_or(i64::MIN);
    for c in &mut cases {
        let Some(p) = police.get(&c.group) else { continue };
        // The first police message strictly later than the case; it
        // answers every case still open at that moment.
        let i = p.partition_point(|&(t, _)| t <= c.opened);
        c.status = match p.get(i) {
            Some(&(t, who)) if t - c.opened <= window => Status::Answered(t - c.opened, who),
            _ if c.opened.saturating_add(window) > end => Status::Pending,
            _ => Status::Unanswered,
        };
    }
    Resolved { policed: police.into_keys().collect(), cases, data_end }
}

/// ISO week of a day number: (label, the day number of its Monday).
fn iso_week(day: i64) -> (String, i64) {
    // 1970-01-01 was a Thursday.
    let monday = day - (day + 3).rem_euclid(7);
    let thursday = monday + 3;
    let (y, _, _) = civil_from_days(thursday);
    let week = (thursday - days_from_civil(y, 1, 1)) / 7 + 1;
    (format!("{y:04}-W{week:02}"), monday)
}

fn day_label(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The figures of one window, `[lo, hi)`.
struct Figures {
    top: Acc,
    groups: HashMap<u32, Acc>,
    days: BTreeMap<i64, Acc>,
    weeks: BTreeMap<i64, (String, Acc)>,
    months: BTreeMap<(i64, i64), Acc>,
    period: Option<(i64, i64)>,
}

fn figures(agg: &Aggregator, resolved: &Resolved<'_>, lo: i64, hi: i64, detail: bool) -> Figures {
    let offset = agg.config.utc_offset_seconds;
    let mut out = Figures {
        top: Acc::default(),
        groups: HashMap::new(),
        days: BTreeMap::new(),
        weeks: BTreeMap::new(),
        months: BTreeMap::new(),
        period: None,
    };
    for (key, rec) in agg.records.iter() {
        // Records are only ever written valid; an invalid one is skipped
        // rather than trusted.
        let Some(f) = Fields::decode(rec.bits) else { continue };
        let duplicates = u64::from(agg.copies_of(key).saturating_sub(1));
        if let Some(reason) = f.rejected {
            // Rejected records have no time: every window reports them.
            out.top.add_rejected(reason, duplicates);
            if rec.group != NO_GROUP {
                out.groups.entry(rec.group).or_default().add_rejected(reason, duplicates);
            }
            continue;
        }
        if rec.time < lo || rec.time >= hi {
            continue;
        }
        let extra = agg.extras.get(key);
        out.period = Some(match out.period {
            None => (rec.time, rec.time),
            Some((a, b)) => (a.min(rec.time), b.max(rec.time)),
        });
        out.top.add_message(&f, duplicates, extra);
        if !detail {
            continue;
        }
        let day = day_number(rec.time, offset);
        out.groups.entry(rec.group).or_default().add_message(&f, duplicates, extra);
        out.days.entry(day).or_default().add_message(&f, duplicates, extra);
        let (label, monday) = iso_week(day);
        out.weeks.entry(monday).or_insert_with(|| (label, Acc::default())).1.add_message(&f, duplicates, extra);
        let (y, m, _) = civil_from_days(day);
        out.months.entry((y, m)).or_default().add_message(&f, duplicates, extra);
    }
    for c in &resolved.cases {
        if c.opened < lo || c.opened >= hi {
            continue;
        }
        out.top.add_case(c.kind, c.status);
        if !detail {
            continue;
        }
        let day = day_number(c.opened, offset);
        out.groups.entry(c.group).or_default().add_case(c.kind, c.status);
        out.days.entry(day).or_default().add_case(c.kind, c.status);
        let (label, monday) = iso_week(day);
        out.weeks.entry(monday).or_insert_with(|| (label, Acc::default())).1.add_case(c.kind, c.status);
        let (y, m, _) = civil_from_days(day);
        out.months.entry((y, m)).or_default().add_case(c.kind, c.status);
    }
    out
}

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn officers(agg: &Aggregator, resolved: &Resolved<'_>, lo: i64, hi: i64) -> Vec<OfficerReport> {
    #[derive(Default)]
    struct O<'a> {
        groups: std::collections::BTreeSet<&'a str>,
        messages: u64,
        warnings: u64,
        times: Vec<i64>,
    }
    let mut by: BTreeMap<&str, O<'_>> = BTreeMap::new();
    for (key, rec) in agg.records.iter() {
        let Some(f) = Fields::decode(rec.bits) else { continue };
        if !f.answers() || rec.time < lo || rec.time >= hi {
            continue;
        }
        let Some(who) = agg.sender_of(key) else { continue };
        let o = by.entry(who).or_default();
        if let Some(g) = agg.group_name(rec.group) {
            o.groups.insert(g);
        }
        if f.kind == MessageKind::Content {
            o.messages += 1;
            if f.stance == Stance::Warning {
                o.warnings += 1;
            }
        }
    }
    for c in &resolved.cases {
        if c.opened < lo || c.opened >= hi {
            continue;
        }
        if let Status::Answered(t, Some(who)) = c.status {
            by.entry(who).or_default().times.push(t);
        }
    }
    by.into_iter()
        .map(|(who, mut o)| {
            o.times.sort_unstable();
            let n = o.times.len() as u64;
            let within = |s: i64| o.times.partition_point(|&t| t <= s) as u64;
            OfficerReport {
                officer: who.to_owned(),
                groups: o.groups.iter().map(|g| (*g).to_owned()).collect(),
                messages: o.messages,
                warnings: o.warnings,
                answered_first: n,
                first_response_seconds: ResponseTimes {
                    p50: nearest_rank(&o.times, 50),
                    p90: nearest_rank(&o.times, 90),
                    max: o.times.last().copied(),
                },
                within_5_minutes_share: share(within(300), n),
                within_30_minutes_share: share(within(1800), n),
            }
        })
        .collect()
}

fn drill_down(agg: &Aggregator, resolved: &Resolved<'_>, lo: i64, hi: i64) -> DrillDown {
    let offset = agg.config.utc_offset_seconds;
    let owned = |s: Option<&str>| s.map(str::to_owned);
    let text_of = |key: &u64| agg.extras.get(key).and_then(|e| e.text.as_deref()).map(str::to_owned);
    let group_of = |g: u32| agg.group_name(g).unwrap_or_default().to_owned();
    let mut out = DrillDown::default();
    let mut sol: Vec<(i64, SolicitationItem)> = Vec::new();
    let mut vic: Vec<(i64, VictimItem)> = Vec::new();
    for (key, rec) in agg.records.iter() {
        let Some(f) = Fields::decode(rec.bits) else { continue };
        if f.rejected.is_some() || f.kind != MessageKind::Content || rec.time < lo || rec.time >= hi {
            continue;
        }
        let extra = agg.extras.get(key);
        match f.stance {
            Stance::Solicitation => sol.push((
                rec.time,
                SolicitationItem {
                    time: format_time(rec.time, offset),
                    group: group_of(rec.group),
                    sender: owned(agg.sender_of(key)),
                    fraud_type: f.fraud,
                    text: text_of(key),
                    clues: extra
                        .map(|e| e.indicators.iter().map(|(kind, text)| Clue { kind: *kind, text: text.clone() }).collect())
                        .unwrap_or_default(),
                },
            )),
            Stance::VictimReport => vic.push((
                rec.time,
                VictimItem {
                    time: format_time(rec.time, offset),
                    group: group_of(rec.group),
                    sender: owned(agg.sender_of(key)),
                    fraud_type: f.fraud,
                    amount_yuan: extra.map_or(0, |e| e.money_fen) as f64 / 100.0,
                    text: text_of(key),
                },
            )),
            _ => {}
        }
    }
    let end = resolved.data_end.unwrap_or(0);
    let mut open: Vec<(i64, OpenCaseItem)> = resolved
        .cases
        .iter()
        .filter(|c| c.opened >= lo && c.opened < hi && matches!(c.status, Status::Unanswered | Status::Pending))
        .map(|c| {
            (
                c.opened,
                OpenCaseItem {
                    time: format_time(c.opened, offset),
                    group: group_of(c.group),
                    sender: owned(agg.sender_of(&c.key)),
                    kind: c.kind,
                    status: c.status.public(),
                    age_seconds: end.saturating_sub(c.opened),
                    text: text_of(&c.key),
                },
            )
        })
        .collect();
    // By time, then by content: the same order whatever the order of arrival.
    sol.sort_by(|a, b| {
        (a.0, &a.1.group, &a.1.sender, &a.1.text, &a.1.clues).cmp(&(b.0, &b.1.group, &b.1.sender, &b.1.text, &b.1.clues))
    });
    vic.sort_by(|a, b| {
        (a.0, &a.1.group, &a.1.sender, &a.1.text)
            .cmp(&(b.0, &b.1.group, &b.1.sender, &b.1.text))
            .then(a.1.amount_yuan.total_cmp(&b.1.amount_yuan))
    });
    open.sort_by(|a, b| {
        (a.0, &a.1.group, &a.1.sender, a.1.kind, &a.1.text).cmp(&(b.0, &b.1.group, &b.1.sender, b.1.kind, &b.1.text))
    });
    out.solicitations = sol.into_iter().map(|(_, i)| i).collect();
    out.victim_reports = vic.into_iter().map(|(_, i)| i).collect();
    out.open_cases = open.into_iter().map(|(_, i)| i).collect();
    out
}

fn window_of(lo: i64, hi: i64, offset: i32) -> Window {
    Window {
        since: (lo != i64::MIN).then(|| format_time(lo, offset)),
        until: (hi != i64::MAX).then(|| format_time(hi, offset)),
    }
}

fn change(now: &(MessageFigures, FraudFigures, CaseFigures), before: &(MessageFigures, FraudFigures, CaseFigures)) -> Change {
    let d = |a: u64, b: u64| i64::try_from(a).unwrap_or(i64::MAX).saturating_sub(i64::try_from(b).unwrap_or(i64::MAX));
    let sol = |f: &FraudFigures| f.by_stance.get(&Stance::Solicitation).copied().unwrap_or(0);
    Change {
        messages: d(now.0.total, before.0.total),
        fraud_messages: d(now.1.messages, before.1.messages),
        solicitations: d(sol(&now.1), sol(&before.1)),
        cases_opened: d(now.2.opened, before.2.opened),
        cases_answered: d(now.2.answered, before.2.answered),
        answered_share_points: match (now.2.answered_share, before.2.answered_share) {
            (Some(a), Some(b)) => Some((a - b) * 100.0),
            _ => None,
        },
        first_response_p50_seconds: match (now.2.first_response_seconds.p50, before.2.first_response_seconds.p50) {
            (Some(a), Some(b)) => Some(a - b),
            _ => None,
        },
    }
}

/// `Err(Error::Config)` when the window is empty.
pub(crate) fn check(agg: &Aggregator, opts: &ReportOptions) -> crate::error::Result<()> {
    let offset = agg.config.utc_offset_seconds;
    match (opts.since, opts.until) {
        (Some(a), Some(b)) if a >= b => Err(crate::error::Error::Config(format!(
            "the window is empty: since ({}) is not before until ({})",
            format_time(a, offset),
            format_time(b, offset)
        ))),
        _ => Ok(()),
    }
}

/// The report of a window (an empty window gives empty figures).
pub(crate) fn build(agg: &Aggregator, opts: &ReportOptions) -> Report {
    let offset = agg.config.utc_offset_seconds;
    let resolved = resolve(agg);
    let (mut lo, mut hi) = (opts.since.unwrap_or(i64::MIN), opts.until.unwrap_or(i64::MAX));
    if opts.compare_previous && (opts.since.is_none() || opts.until.is_none()) {
        // Whole days of the data, where an end is open.
        let mut first: Option<i64> = None;
        for rec in agg.records.values() {
            if Fields::decode(rec.bits).is_some_and(|f| f.rejected.is_none()) && rec.time >= lo && rec.time < hi {
                first = Some(first.map_or(rec.time, |t| t.min(rec.time)));
            }
        }
        if let (None, Some(t)) = (opts.since, first) {
            lo = day_number(t, offset) * 86_400 - i64::from(offset);
        }
        if let (None, Some(e)) = (opts.until, resolved.data_end) {
            hi = (day_number(e, offset) + 1) * 86_400 - i64::from(offset);
        }
    }
    let fig = figures(agg, &resolved, lo, hi, true);

    let previous = if opts.compare_previous && lo != i64::MIN && hi != i64::MAX {
        let len = hi - lo;
        let (plo, phi) = (lo.saturating_sub(len), lo);
        let before = figures(agg, &resolved, plo, phi, false).top.finish();
        Some((window_of(plo, phi, offset), before))
    } else {
        None
    };

    let mut group_reports: Vec<GroupReport> = fig
        .groups
        .into_iter()
        .map(|(g, acc)| {
            let (messages, fraud, cases) = acc.finish();
            let group = agg.group_name(g).unwrap_or_default().to_owned();
            GroupReport { group, name: None, police_identified: resolved.policed.contains(&g), messages, fraud, cases }
        })
        .collect();
    group_reports.sort_by(|a, b| a.group.cmp(&b.group));
    let day_reports: Vec<DayReport> = fig
        .days
        .into_iter()
        .map(|(d, acc)| {
            let (messages, fraud, cases) = acc.finish();
            DayReport { day: day_label(d), messages, fraud, cases }
        })
        .collect();
    let span = |label: String, first: i64, acc: Acc| {
        let (messages, fraud, cases) = acc.finish();
        SpanReport { label, first_day: day_label(first), messages, fraud, cases }
    };
    let weeks: Vec<SpanReport> = fig.weeks.into_iter().map(|(monday, (label, acc))| span(label, monday, acc)).collect();
    let months: Vec<SpanReport> = fig
        .months
        .into_iter()
        .map(|((y, m), acc)| span(format!("{y:04}-{m:02}"), days_from_civil(y, m, 1), acc))
        .collect();
    let top = fig.top.finish();
    let previous = previous.map(|(window, before)| {
        Box::new(Previous {
            window,
            change: change(&top, &before),
            messages: before.0,
            fraud: before.1,
            cases: before.2,
        })
    });
    let (messages, fraud, cases) = top;
    Report {
        version: REPORT_VERSION,
        messages,
        fraud,
        cases,
        group_count: group_reports.len(),
        groups: group_reports,
        days: day_reports,
        period: Period {
            from: fig.period.map(|(a, _)| format_time(a, offset)),
            to: fig.period.map(|(_, b)| format_time(b, offset)),
        },
        settings: Settings::from(&agg.config),
        weeks,
        months,
        officers: officers(agg, &resolved, lo, hi),
        drill_down: agg.config.drill_down.then(|| drill_down(agg, &resolved, lo, hi)),
        window: window_of(lo, hi, offset),
        previous,
    }
}

#[cfg(test)]
mod histogram_tests {
    use super::*;

    #[test]
    fn bounds_are_inclusive_and_counts_add_up() {
        let times = [0, 1, 300, 301, 900, 86_400, 86_401, 10_000_000];
        let h = histogram(&times);
        assert_eq!(h.len(), RESPONSE_BUCKETS_SECONDS.len() + 1);
        let counts: Vec<u64> = h.iter().map(|b| b.cases).collect();
        assert_eq!(counts, vec![3, 2, 0, 0, 0, 0, 0, 1, 2]);
        assert_eq!(h.iter().map(|b| b.cases).sum::<u64>(), times.len() as u64);
        // Bounds strictly increase, and only the last bucket is open.
        assert!(RESPONSE_BUCKETS_SECONDS.windows(2).all(|w| w[0] < w[1]));
        assert!(h.iter().take(h.len() - 1).all(|b| b.up_to_seconds.is_some()));
    }

    #[test]
    fn the_report_counts_answered_cases() {
        use crate::{Analysis, Category, Message, Role};
        let mut agg = Aggregator::default();
        let m = |id: &str, role, time: &str| Message {
            id: Some(id.into()),
            group: Some("g".into()),
            sender: None,
            role,
            time: Some(time.into()),
            text: "x".into(),
        };
        let service = Analysis { category: Category::Service, ..Analysis::default() };
        agg.add(&m("1", Role::Resident, "2024-03-01 10:00:00"), &service);
        agg.add(&m("2", Role::Police, "2024-03-01 10:20:00"), &Analysis::default());
        agg.add(&m("3", Role::Resident, "2024-03-02 10:00:00"), &service);
        let r = agg.report();
        assert_eq!(r.cases.answered, 1);
        let h = &r.cases.first_response_histogram;
        // 20 minutes: the 30-minute bucket.
        assert_eq!(h.iter().find(|b| b.up_to_seconds == Some(1800)).map(|b| b.cases), Some(1));
        assert_eq!(h.iter().map(|b| b.cases).sum::<u64>(), r.cases.answered);
        assert_eq!(r.groups[0].cases.first_response_histogram, *h);
    }
}
