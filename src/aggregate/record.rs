//! What the aggregator keeps of one distinct message: its packed fields,
//! its group and time, the extra of solicitations and victim reports, and
//! the key copies of it share.

use super::hash;
use super::{CaseKind, RejectReason, DRILL_DOWN_TEXT_CHARS};
use crate::analysis::Analysis;
use crate::kind::MessageKind;
use crate::message::Message;
use crate::types::{Category, EntityKind, FraudType, Role, Stance};

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
    /// without repeats, in their normalised form ([`clue_form`]), masked
    /// or not as the analysis gave them.
    pub(crate) indicators: Vec<(EntityKind, String)>,
    /// The text as a drill-down list shows it (masked unless counted raw,
    /// cut at [`DRILL_DOWN_TEXT_CHARS`]), kept only with
    /// [`AggregatorConfig::drill_down`](super::AggregatorConfig::drill_down).
    pub(crate) text: Option<Box<str>>,
}

impl Extra {
    pub(crate) fn is_empty(&self) -> bool {
        self.money_fen == 0 && self.indicators.is_empty() && self.text.is_none()
    }
}

/// A contact clue in one written form: full-width letters, digits and
/// marks folded to ASCII, letters in lower case (WeChat ids, QQ numbers,
/// phone numbers and host names do not depend on case), separators
/// between digits of a phone or QQ number dropped. `１５２****５６５９`
/// and `152****5659` are one clue.
pub(crate) fn clue_form(kind: EntityKind, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        let c = match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        };
        if matches!(kind, EntityKind::Phone | EntityKind::QqNumber) && matches!(c, ' ' | '-' | '.' | '_') {
            continue;
        }
        // URLs keep their path's case; everything else is case-free.
        if kind == EntityKind::Url {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// `text` cut to [`DRILL_DOWN_TEXT_CHARS`] characters (`…` added when cut),
/// control characters but line ends replaced by spaces.
pub(crate) fn drill_down_text(text: &str) -> Box<str> {
    let mut out = String::with_capacity(text.len().min(DRILL_DOWN_TEXT_CHARS * 4));
    for (i, c) in text.trim().chars().enumerate() {
        if i == DRILL_DOWN_TEXT_CHARS {
            out.push('…');
            break;
        }
        out.push(if c.is_control() && c != '\n' { ' ' } else { c });
    }
    out.into_boxed_str()
}

/// The entity kinds reported as solicitation indicators.
pub(crate) const INDICATOR_KINDS: &[EntityKind] =
    &[EntityKind::Phone, EntityKind::Url, EntityKind::WechatId, EntityKind::QqNumber];

/// The largest money amount of one entity taken into the sum: 10^13 yuan.
pub(crate) const MAX_FEN_PER_ENTITY: f64 = 1e15;

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
// (position in FraudType::ALL) 10-14, reject reason 15-17 (bit 17 only for
// `unreadable`, so that records without it pack as before).
pub(crate) const BITS_USED: u32 = (1 << 18) - 1;

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
        let rejected = match (bits >> 15) & 7 {
            0 => None,
            1 => Some(RejectReason::MissingGroup),
            2 => Some(RejectReason::MissingTime),
            3 => Some(RejectReason::InvalidTime),
            4 => Some(RejectReason::Unreadable),
            _ => return None,
        };
        let f = Fields {
            kind: MessageKind::from_code(bits & 3)?,
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
    pub(crate) fn is_canonical(&self) -> bool {
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

    /// Whether a drill-down list shows this message: it opens a case, or
    /// it is a solicitation or a victim report.
    pub(crate) fn drills_down(&self) -> bool {
        self.case_kind().is_some()
            || (self.rejected.is_none()
                && self.kind == MessageKind::Content
                && matches!(self.stance, Stance::Solicitation | Stance::VictimReport))
    }

    /// Whether this message answers the cases open in its group.
    pub(crate) fn answers(&self) -> bool {
        self.rejected.is_none()
            && self.role == Role::Police
            && matches!(self.kind, MessageKind::Content | MessageKind::Media)
    }
}

/// The de-duplication key of a message: its group and `id`, or without an
/// `id`, its group, time (the instant when readable, else the text as
/// given), sender and text.
pub(crate) fn dedup_key(message: &Message, group: Option<&str>, time: Option<i64>, time_text: Option<&str>) -> u64 {
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

/// The de-duplication key of an unreadable record: its source and line.
pub(crate) fn unreadable_key(source: &str, line: u64) -> u64 {
    let mut h = hash::Sip24::new();
    h.write(&[3]);
    h.write_field(Some(source));
    h.write_u64(line);
    h.finish()
}

/// The indicators (solicitations) and money (victim reports) of an
/// analysis, and the drill-down `text` when given.
pub(crate) fn extra_of(analysis: &Analysis, text: Option<Box<str>>) -> Option<Extra> {
    let mut extra = Extra { text, ..Extra::default() };
    match analysis.fraud.stance {
        Stance::Solicitation => {
            let mut v: Vec<(EntityKind, String)> = analysis
                .entities
                .iter()
                .filter(|e| INDICATOR_KINDS.contains(&e.kind) && !e.text.is_empty())
                .map(|e| (e.kind, clue_form(e.kind, &e.text)))
                .filter(|(_, t)| !t.is_empty())
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
