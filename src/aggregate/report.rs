//! The report: every figure, computed from an aggregator's set of records.
//! The schema is documented in `docs/report-schema.md`.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::percentile::nearest_rank;
use super::{Aggregator, CaseKind, Extra, Fields, MessageKind, RejectReason, NO_GROUP};
use crate::time::{day_number, format_time};
use crate::types::{Category, EntityKind, FraudType, Role, Stance};

/// The version of the report schema; raised when a key changes meaning or
/// disappears (new keys may appear without a new version).
pub const REPORT_VERSION: u32 = 1;

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

/// Cases and response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseFigures {
    /// Cases opened.
    pub opened: u64,
    /// Cases answered within the window.
    pub answered: u64,
    /// Cases not answered within the window.
    pub unanswered: u64,
    /// `answered / opened`; `null` when no case was opened.
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

/// Cases of one kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseKindFigures {
    /// Cases opened.
    pub opened: u64,
    /// Cases answered within the window.
    pub answered: u64,
    /// Cases not answered within the window.
    pub unanswered: u64,
    /// `answered / opened`; `null` when no case was opened.
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
    /// The group's name.
    pub group: String,
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
    times: Vec<i64>,
}

impl CaseAcc {
    fn finish(mut self) -> CaseKindFigures {
        self.times.sort_unstable();
        let answered = self.times.len() as u64;
        CaseKindFigures {
            opened: self.opened,
            answered,
            unanswered: self.opened.saturating_sub(answered),
            answered_share: (self.opened > 0).then(|| answered as f64 / self.opened as f64),
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

    fn add_case(&mut self, kind: CaseKind, response: Option<i64>) {
        let c = self.cases.entry(kind).or_default();
        c.opened += 1;
        if let Some(t) = response {
            c.times.push(t);
        }
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
            all.opened += acc.opened;
            all.times.extend_from_slice(&acc.times);
            by_kind.insert(*kind, acc.finish());
        }
        let first_response_histogram = histogram(&all.times);
        let all = all.finish();
        let cases = CaseFigures {
            opened: all.opened,
            answered: all.answered,
            unanswered: all.unanswered,
            answered_share: all.answered_share,
            first_response_seconds: all.first_response_seconds,
            by_kind,
            first_response_histogram,
        };
        (messages, fraud, cases)
    }
}

/// Per group: the times of police messages that answer, and the cases.
#[derive(Default)]
struct Pairing {
    police: Vec<i64>,
    cases: Vec<(i64, CaseKind)>,
}

pub(crate) fn build(agg: &Aggregator) -> Report {
    let offset = agg.config.utc_offset_seconds;
    let window = agg.config.answer_window_seconds;
    let mut top = Acc::default();
    let mut groups: HashMap<u32, Acc> = HashMap::new();
    let mut days: BTreeMap<i64, Acc> = BTreeMap::new();
    let mut pairing: HashMap<u32, Pairing> = HashMap::new();
    let mut period: Option<(i64, i64)> = None;

    for (key, rec) in agg.records.iter() {
        // Records are only ever written valid; an invalid one is skipped
        // rather than trusted.
        let Some(f) = Fields::decode(rec.bits) else { continue };
        let duplicates = u64::from(agg.copies_of(key).saturating_sub(1));
        if let Some(reason) = f.rejected {
            top.add_rejected(reason, duplicates);
            if rec.group != NO_GROUP {
                groups.entry(rec.group).or_default().add_rejected(reason, duplicates);
            }
            continue;
        }
        let extra = agg.extras.get(key);
        let day = day_number(rec.time, offset);
        period = Some(match period {
            None => (rec.time, rec.time),
            Some((a, b)) => (a.min(rec.time), b.max(rec.time)),
        });
        top.add_message(&f, duplicates, extra);
        groups.entry(rec.group).or_default().add_message(&f, duplicates, extra);
        days.entry(day).or_default().add_message(&f, duplicates, extra);
        if f.answers() {
            pairing.entry(rec.group).or_default().police.push(rec.time);
        }
        if let Some(kind) = f.case_kind() {
            pairing.entry(rec.group).or_default().cases.push((rec.time, kind));
        }
    }

    for (group, mut p) in pairing {
        p.police.sort_unstable();
        for (opened, kind) in p.cases {
            // The first police message strictly later than the case; it
            // answers every case still open at that moment.
            let i = p.police.partition_point(|&t| t <= opened);
            let response = p.police.get(i).map(|&t| t - opened).filter(|&dt| dt <= window);
            top.add_case(kind, response);
            groups.entry(group).or_default().add_case(kind, response);
            days.entry(day_number(opened, offset)).or_default().add_case(kind, response);
        }
    }

    let mut group_reports: Vec<GroupReport> = groups
        .into_iter()
        .map(|(g, acc)| {
            let (messages, fraud, cases) = acc.finish();
            let group = agg.group_name(g).unwrap_or_default().to_owned();
            GroupReport { group, messages, fraud, cases }
        })
        .collect();
    group_reports.sort_by(|a, b| a.group.cmp(&b.group));
    let day_reports: Vec<DayReport> = days
        .into_iter()
        .map(|(d, acc)| {
            let (messages, fraud, cases) = acc.finish();
            DayReport { day: crate::time::calendar_day(d * 86_400 - i64::from(offset), offset), messages, fraud, cases }
        })
        .collect();
    let (messages, fraud, cases) = top.finish();
    Report {
        version: REPORT_VERSION,
        messages,
        fraud,
        cases,
        group_count: group_reports.len(),
        groups: group_reports,
        days: day_reports,
        period: Period {
            from: period.map(|(a, _)| format_time(a, offset)),
            to: period.map(|(_, b)| format_time(b, offset)),
        },
        settings: Settings::from(&agg.config),
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
