//! Snapshots: the aggregator's whole state as a versioned, checksummed JSON
//! document.
//!
//! ```text
//! {"format":"jingmin-aggregator","version":2,"checksum":"<16 hex digits>",
//!  "state":{"config":{…},"groups":["g1","g2"],
//!           "records":{"hash":[…],"time":[…],"group":[…],"bits":[…],"mult":[…]},
//!           "extras":[{"hash":…,"money_fen":…,"indicators":[["phone","139****5678"]],"text":"…"}],
//!           "names":["王警官"],"senders":{"hash":[…],"name":[…]}}}
//! ```
//!
//! Records are stored as columns, sorted by de-duplication hash; groups and
//! sender names are sorted; so equal states give byte-identical snapshots.
//! Version 2 added `names`, `senders` and the extras' `text`; version 1
//! documents (without them) are still read. The
//! checksum is the fixed-key SipHash-2-4 of the compact JSON of `state`:
//! it detects damage (a truncated or corrupted file), not tampering —
//! anyone can recompute it after an edit. A keyed MAC is the command
//! line's (`jingmin report --snapshot-key-file`): it adds a `mac` member,
//! which this reader accepts and does not check.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::hash::hash_bytes;
use super::{Aggregator, AggregatorConfig, Extra, Fields, MessageKind, Rec, RejectReason, INDICATOR_KINDS, NO_GROUP};
use crate::error::{describe_json_error, Error, Result};
use crate::time::{MAX_TIME, MIN_TIME};
use crate::types::{EntityKind, Stance};

/// The `format` of a snapshot document.
pub const SNAPSHOT_FORMAT: &str = "jingmin-aggregator";

/// The snapshot version this library writes and the newest it reads.
pub const SNAPSHOT_VERSION: u64 = 2;

/// The oldest snapshot version this library reads.
const OLDEST_VERSION: u64 = 1;

/// The document as read: `state` kept as its raw text, so that the
/// checksum is computed over the bytes as they are and the state parsed
/// once.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc<'a> {
    format: String,
    version: u64,
    checksum: String,
    #[serde(borrow)]
    state: &'a serde_json::value::RawValue,
    /// The command line's keyed MAC of the document without it; checked
    /// there, not here.
    #[serde(default)]
    #[allow(dead_code)]
    mac: Option<String>,
}

/// The state: written borrowed from the aggregator, read owned.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StateV1<'a> {
    config: AggregatorConfig,
    groups: Vec<Cow<'a, str>>,
    records: Columns,
    extras: Vec<ExtraV1<'a>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    names: Vec<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "SenderColumns::is_empty")]
    senders: SenderColumns,
}

#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SenderColumns {
    hash: Vec<u64>,
    name: Vec<u32>,
}

impl SenderColumns {
    fn is_empty(&self) -> bool {
        self.hash.is_empty() && self.name.is_empty()
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Columns {
    hash: Vec<u64>,
    time: Vec<i64>,
    group: Vec<Option<u32>>,
    bits: Vec<u32>,
    mult: Vec<u32>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtraV1<'a> {
    hash: u64,
    money_fen: i64,
    indicators: Cow<'a, [(EntityKind, String)]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Header {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

fn err(msg: impl Into<String>) -> Error {
    Error::Snapshot(msg.into())
}


fn checksum_of(state_json: &[u8]) -> String {
    format!("{:016x}", hash_bytes(state_json))
}

pub(crate) fn write(agg: &Aggregator) -> String {
    // Canonical group table: the groups records refer to, sorted by name;
    // `remap[old index]` is the index in it.
    let mut used = vec![false; agg.groups.len()];
    for r in agg.records.values() {
        if let Some(u) = used.get_mut(r.group as usize) {
            *u = true;
        }
    }
    let mut groups: Vec<(&str, u32)> = agg
        .groups
        .iter()
        .zip(&used)
        .enumerate()
        .filter(|(_, (_, u))| **u)
        .map(|(i, (g, _))| (g.as_str(), i as u32))
        .collect();
    groups.sort_unstable();
    let mut remap = vec![None; agg.groups.len()];
    for (new, (_, old)) in groups.iter().enumerate() {
        if let Some(r) = remap.get_mut(*old as usize) {
            *r = Some(new as u32);
        }
    }

    let n = agg.records.len();
    let mut cols = Columns {
        hash: Vec::with_capacity(n),
        time: Vec::with_capacity(n),
        group: Vec::with_capacity(n),
        bits: Vec::with_capacity(n),
        mult: Vec::with_capacity(n),
    };
    let mut sorted: Vec<(&u64, &Rec)> = agg.records.iter().collect();
    sorted.sort_unstable_by_key(|(k, _)| **k);
    for (key, rec) in sorted {
        cols.hash.push(*key);
        cols.time.push(rec.time);
        cols.group.push(remap.get(rec.group as usize).copied().flatten());
        cols.bits.push(rec.bits);
        cols.mult.push(agg.copies_of(key));
    }
    let extras = agg
        .extras
        .iter()
        .map(|(k, e)| ExtraV1 {
            hash: *k,
            money_fen: e.money_fen,
            indicators: Cow::Borrowed(&e.indicators),
            text: e.text.as_deref().map(Cow::Borrowed),
        })
        .collect();
    // Sender names as groups: the ones in use, sorted, remapped.
    let mut name_used = vec![false; agg.names.len()];
    for i in agg.senders.values() {
        if let Some(u) = name_used.get_mut(*i as usize) {
            *u = true;
        }
    }
    let mut names: Vec<(&str, u32)> = agg
        .names
        .iter()
        .zip(&name_used)
        .enumerate()
        .filter(|(_, (_, u))| **u)
        .map(|(i, (n, _))| (&**n, i as u32))
        .collect();
    names.sort_unstable();
    let mut name_remap = vec![0u32; agg.names.len()];
    for (new, (_, old)) in names.iter().enumerate() {
        if let Some(r) = name_remap.get_mut(*old as usize) {
            *r = new as u32;
        }
    }
    let mut senders: Vec<(u64, u32)> =
        agg.senders.iter().map(|(k, i)| (*k, name_remap.get(*i as usize).copied().unwrap_or(0))).collect();
    senders.sort_unstable();
    let state = StateV1 {
        config: agg.config,
        groups: groups.iter().map(|(g, _)| Cow::Borrowed(*g)).collect(),
        records: cols,
        extras,
        names: names.iter().map(|(n, _)| Cow::Borrowed(*n)).collect(),
        senders: SenderColumns {
            hash: senders.iter().map(|(k, _)| *k).collect(),
            name: senders.iter().map(|(_, i)| *i).collect(),
        },
    };
    // One buffer: the header with a placeholder checksum, the state, then
    // the checksum of the state's bytes written over the placeholder.
    let head = format!("{{\"format\":\"{SNAPSHOT_FORMAT}\",\"version\":{SNAPSHOT_VERSION},\"checksum\":\"");
    let mut out = Vec::with_capacity(head.len() + 64 + n * 48);
    out.extend_from_slice(head.as_bytes());
    let at = out.len();
    out.extend_from_slice(b"0000000000000000\",\"state\":");
    let start = out.len();
    // Plain structs of numbers and strings always serialise into memory.
    let _ = serde_json::to_writer(&mut out, &state);
    let sum = checksum_of(out.get(start..).unwrap_or_default());
    if let Some(slot) = out.get_mut(at..at + 16) {
        slot.copy_from_slice(sum.as_bytes());
    }
    out.push(b'}');
    // serde_json writes UTF-8 only.
    String::from_utf8(out).unwrap_or_default()
}

pub(crate) fn read(text: &str) -> Result<Aggregator> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc: Doc = match serde_json::from_str(text) {
        Ok(doc) => doc,
        // Say first what is wrong with the header (a newer version may have
        // other fields), else what the parser found.
        Err(e) => {
            check_header(text)?;
            return Err(err(format!("snapshot: {}", describe_json_error(&e))));
        }
    };
    if doc.format != SNAPSHOT_FORMAT || !(OLDEST_VERSION..=SNAPSHOT_VERSION).contains(&doc.version) {
        check_header(text)?;
    }
    let raw = doc.state.get();
    // The checksum covers the compact JSON of the state: the bytes as they
    // are when the document is as written, else (a reformatted document)
    // the state written again compactly.
    let state: StateV1 = serde_json::from_str(raw).map_err(|e| err(format!("state: {}", describe_json_error(&e))))?;
    if checksum_of(raw.as_bytes()) != doc.checksum {
        let compact = serde_json::to_string(&state).map_err(|e| err(format!("state: {}", describe_json_error(&e))))?;
        if checksum_of(compact.as_bytes()) != doc.checksum {
            return Err(err("checksum: does not match the content; the snapshot is corrupted or was edited"));
        }
    }
    if doc.version < 2 && (!state.names.is_empty() || !state.senders.is_empty() || state.extras.iter().any(|e| e.text.is_some())) {
        return Err(err("state: names, senders and texts are not part of a version 1 snapshot"));
    }
    build(state)
}

/// `Err` naming what is wrong with `format` or `version`, `Ok` when both
/// are right.
fn check_header(text: &str) -> Result<()> {
    let header: Header = serde_json::from_str(text).map_err(|e| err(format!("snapshot: {}", describe_json_error(&e))))?;
    match header.format {
        Some(serde_json::Value::String(f)) if f == SNAPSHOT_FORMAT => {}
        Some(_) => return Err(err(format!("format: not a \"{SNAPSHOT_FORMAT}\" snapshot"))),
        None => return Err(err(format!("format: missing (expected \"{SNAPSHOT_FORMAT}\")"))),
    }
    let version = match header.version {
        Some(serde_json::Value::Number(n)) => n.as_u64(),
        Some(_) => None,
        None => return Err(err("version: missing")),
    };
    match version {
        Some(v) if (OLDEST_VERSION..=SNAPSHOT_VERSION).contains(&v) => Ok(()),
        Some(v) if v > SNAPSHOT_VERSION => Err(err(format!(
            "version: {v} is newer than this library reads ({SNAPSHOT_VERSION}); restore it with a newer jingmin"
        ))),
        _ => Err(err(format!("version: expected a whole number from 1 to {SNAPSHOT_VERSION}"))),
    }
}

fn build(state: StateV1) -> Result<Aggregator> {
    state.config.validate().map_err(|e| err(format!("state.config: {e}")))?;
    let mut agg = Aggregator::empty(state.config);

    let groups: Vec<String> = state.groups.into_iter().map(Cow::into_owned).collect();
    if groups.len() >= NO_GROUP as usize {
        return Err(err("state.groups: too many groups"));
    }
    for (i, g) in groups.iter().enumerate() {
        if g.trim().is_empty() {
            return Err(err(format!("state.groups[{i}]: blank group name")));
        }
        if i > 0 && groups.get(i - 1).is_some_and(|prev| prev >= g) {
            return Err(err(format!("state.groups[{i}]: groups are not sorted and distinct")));
        }
    }

    let c = state.records;
    let n = c.hash.len();
    for (name, len) in
        [("time", c.time.len()), ("group", c.group.len()), ("bits", c.bits.len()), ("mult", c.mult.len())]
    {
        if len != n {
            return Err(err(format!("state.records.{name}: {len} values, but {n} hashes")));
        }
    }
    let mut records = Vec::with_capacity(n);
    let mut copies = Vec::new();
    let mut prev: Option<u64> = None;
    for (i, ((((&hash, &time), &group), &bits), &mult)) in
        c.hash.iter().zip(&c.time).zip(&c.group).zip(&c.bits).zip(&c.mult).enumerate()
    {
        if prev.is_some_and(|p| p >= hash) {
            return Err(err(format!("state.records.hash[{i}]: hashes are not sorted and distinct")));
        }
        prev = Some(hash);
        let f = Fields::decode(bits).ok_or_else(|| err(format!("state.records.bits[{i}]: not a valid record")))?;
        if mult == 0 {
            return Err(err(format!("state.records.mult[{i}]: a message is seen at least once")));
        }
        let group = match (group, f.rejected) {
            (Some(g), reason) if (g as usize) < groups.len() && reason != Some(RejectReason::MissingGroup) => g,
            (Some(_), Some(RejectReason::Unreadable)) => {
                return Err(err(format!("state.records.group[{i}]: an unreadable record has no group")))
            }
            (None, Some(RejectReason::MissingGroup | RejectReason::Unreadable)) => NO_GROUP,
            _ => return Err(err(format!("state.records.group[{i}]: missing, out of range or inconsistent"))),
        };
        let time_ok = if f.rejected.is_some() { time == 0 } else { (MIN_TIME..=MAX_TIME).contains(&time) };
        if !time_ok {
            return Err(err(format!("state.records.time[{i}]: out of range")));
        }
        records.push((hash, Rec { time, group, bits }));
        if mult > 1 {
            copies.push((hash, mult));
        }
    }
    // Sorted and distinct (checked above): the maps are built in bulk.
    let records = super::table::Records::from_distinct(records);
    let copies: BTreeMap<u64, u32> = copies.into_iter().collect();

    let mut extras = Vec::with_capacity(state.extras.len());
    let mut prev: Option<u64> = None;
    for (i, e) in state.extras.into_iter().enumerate() {
        if prev.is_some_and(|p| p >= e.hash) {
            return Err(err(format!("state.extras[{i}].hash: not sorted and distinct")));
        }
        prev = Some(e.hash);
        let stance = records
            .get(&e.hash)
            .and_then(|r| Fields::decode(r.bits))
            .filter(|f| f.rejected.is_none() && f.kind == MessageKind::Content)
            .map(|f| f.stance);
        if stance.is_none() {
            return Err(err(format!("state.extras[{i}].hash: no content record with this hash")));
        }
        let money_ok = if stance == Some(Stance::VictimReport) { e.money_fen >= 0 } else { e.money_fen == 0 };
        if !money_ok {
            return Err(err(format!("state.extras[{i}].money_fen: inconsistent with the record")));
        }
        if !e.indicators.is_empty() && stance != Some(Stance::Solicitation) {
            return Err(err(format!("state.extras[{i}].indicators: the record is not a solicitation")));
        }
        for (j, (kind, text)) in e.indicators.iter().enumerate() {
            let sorted = j == 0 || e.indicators.get(j - 1).is_some_and(|p| (p.0, &p.1) < (*kind, text));
            if !INDICATOR_KINDS.contains(kind) || text.is_empty() || !sorted {
                return Err(err(format!("state.extras[{i}].indicators[{j}]: not a valid indicator")));
            }
        }
        let rec_fields = records.get(&e.hash).and_then(|r| Fields::decode(r.bits));
        if let Some(t) = &e.text {
            let drills = state.config.drill_down && rec_fields.is_some_and(|f| f.drills_down());
            if !drills || t.chars().count() > super::DRILL_DOWN_TEXT_CHARS + 1 {
                return Err(err(format!("state.extras[{i}].text: not kept for this record (or too long)")));
            }
        }
        let extra = Extra {
            money_fen: e.money_fen,
            indicators: e.indicators.into_owned(),
            text: e.text.map(|t| t.into_owned().into_boxed_str()),
        };
        if extra.is_empty() {
            return Err(err(format!("state.extras[{i}]: empty")));
        }
        extras.push((e.hash, extra));
    }
    let extras: BTreeMap<u64, Extra> = extras.into_iter().collect();

    let names: Vec<Box<str>> = state.names.into_iter().map(|n| n.into_owned().into_boxed_str()).collect();
    for (i, n) in names.iter().enumerate() {
        if n.trim().is_empty() || **n != *n.trim() {
            return Err(err(format!("state.names[{i}]: blank or padded name")));
        }
        if i > 0 && names.get(i - 1).is_some_and(|prev| prev >= n) {
            return Err(err(format!("state.names[{i}]: names are not sorted and distinct")));
        }
    }
    let sc = state.senders;
    if sc.hash.len() != sc.name.len() {
        return Err(err(format!("state.senders.name: {} values, but {} hashes", sc.name.len(), sc.hash.len())));
    }
    let mut senders = HashMap::with_capacity(sc.hash.len());
    let mut used = vec![false; names.len()];
    let mut prev: Option<u64> = None;
    for (i, (&hash, &name)) in sc.hash.iter().zip(&sc.name).enumerate() {
        if prev.is_some_and(|p| p >= hash) {
            return Err(err(format!("state.senders.hash[{i}]: hashes are not sorted and distinct")));
        }
        prev = Some(hash);
        let f = records.get(&hash).and_then(|r| Fields::decode(r.bits));
        let kept = f.is_some_and(|f| f.rejected.is_none() && (f.answers() || (state.config.drill_down && f.drills_down())));
        if !kept {
            return Err(err(format!("state.senders.hash[{i}]: no record of a kind whose sender is kept")));
        }
        match used.get_mut(name as usize) {
            Some(u) => *u = true,
            None => return Err(err(format!("state.senders.name[{i}]: out of range"))),
        }
        senders.insert(hash, name);
    }
    if let Some(i) = used.iter().position(|u| !u) {
        return Err(err(format!("state.names[{i}]: not used by any sender")));
    }

    agg.name_index = names.iter().enumerate().map(|(i, n)| (n.clone(), i as u32)).collect();
    agg.names = names;
    agg.senders = senders;
    agg.group_index = groups.iter().enumerate().map(|(i, g)| (g.clone(), i as u32)).collect();
    agg.groups = groups;
    agg.records = records;
    agg.copies = copies;
    agg.extras = extras;
    Ok(agg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Analysis, Category, Entity, Message, Role};

    /// Edit a snapshot's state and sign it again, as a careless tool might:
    /// the content checks must still refuse what is inconsistent.
    fn edit(snap: &str, f: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut v: serde_json::Value = serde_json::from_str(snap).unwrap();
        f(&mut v["state"]);
        let state: StateV1 = serde_json::from_value(v["state"].clone()).unwrap();
        let state_json = serde_json::to_string(&state).unwrap();
        v["checksum"] = serde_json::Value::String(checksum_of(state_json.as_bytes()));
        v.to_string()
    }

    fn sample() -> String {
        let mut agg = Aggregator::default();
        let m = |id: &str, role, text: &str| Message {
            id: Some(id.into()),
            group: Some(format!("g{id}")),
            sender: None,
            role,
            time: Some("2024-03-01 10:00:00".into()),
            text: text.into(),
        };
        agg.add(&m("1", Role::Resident, "问"), &Analysis { category: Category::Service, ..Analysis::default() });
        let mut sol = Analysis::default();
        sol.fraud.stance = Stance::Solicitation;
        sol.fraud.types = vec![crate::FraudType::TaskRebate];
        sol.entities = vec![Entity {
            kind: EntityKind::Phone,
            text: "139****5678".into(),
            value: None,
            start: 0,
            end: 0,
            char_start: 0,
            char_end: 0,
        }];
        agg.add(&m("2", Role::Unknown, "日结"), &sol);
        agg.add(&Message { group: None, ..m("3", Role::Unknown, "x") }, &Analysis::default());
        agg.snapshot()
    }

    #[test]
    fn re_signed_edits_still_pass_only_when_consistent() {
        let snap = sample();
        // The unedited state re-signed is fine.
        assert!(Aggregator::restore(&edit(&snap, |_| {})).is_ok());
        type Edit = Box<dyn FnOnce(&mut serde_json::Value)>;
        let cases: Vec<(&str, Edit)> = vec![
            ("state.records.group[0]", Box::new(|s| s["records"]["group"][0] = serde_json::json!(9))),
            ("state.records.mult", Box::new(|s| s["records"]["mult"] = serde_json::json!([1, 0, 1]))),
            ("state.records.time", Box::new(|s| s["records"]["time"] = serde_json::json!([1, 2]))),
            (
                "state.records.hash[1]",
                Box::new(|s| {
                    let h = s["records"]["hash"][0].clone();
                    s["records"]["hash"][1] = h;
                }),
            ),
            ("state.records.bits", Box::new(|s| s["records"]["bits"][0] = serde_json::json!(1u32 << 30))),
            ("state.groups[1]", Box::new(|s| s["groups"] = serde_json::json!(["b", "a"]))),
            ("state.groups[0]", Box::new(|s| s["groups"][0] = serde_json::json!(" "))),
            ("state.config", Box::new(|s| s["config"]["answer_window_seconds"] = serde_json::json!(0))),
            ("state.extras[0].hash", Box::new(|s| s["extras"][0]["hash"] = serde_json::json!(12345))),
            ("state.extras[0].money_fen", Box::new(|s| s["extras"][0]["money_fen"] = serde_json::json!(100))),
            (
                "state.extras[0].indicators[0]",
                Box::new(|s| {
                    s["extras"][0]["indicators"][0][0] = serde_json::json!("money");
                }),
            ),
        ];
        for (field, f) in cases {
            let e = Aggregator::restore(&edit(&snap, f)).unwrap_err().to_string();
            assert!(e.contains(field), "expected {field}: {e}");
        }
    }

    #[test]
    fn reformatted_snapshots_restore_and_edited_ones_do_not() {
        let snap = sample();
        let agg = Aggregator::restore(&snap).unwrap();
        // Pretty-printed by some tool: the checksum is of the compact state.
        let v: serde_json::Value = serde_json::from_str(&snap).unwrap();
        let pretty = serde_json::to_string_pretty(&v).unwrap();
        assert_ne!(pretty, snap);
        let back = Aggregator::restore(&pretty).unwrap();
        assert_eq!(back.snapshot(), snap);
        assert_eq!(back.report(), agg.report());
        // One digit of the state changed without a new checksum.
        let edited = snap.replacen("\"money_fen\":0", "\"money_fen\":1", 1);
        assert_ne!(edited, snap);
        let e = Aggregator::restore(&edited).unwrap_err().to_string();
        assert!(e.contains("checksum"), "{e}");
        // Header errors come first, also when the rest is of another shape.
        let newer = snap.replacen("\"version\":2", "\"version\":3,\"shards\":[]", 1);
        let e = Aggregator::restore(&newer).unwrap_err().to_string();
        assert!(e.contains("version: 3 is newer"), "{e}");
    }

    #[test]
    fn rejected_records_must_have_time_zero_and_accepted_ones_a_group() {
        let snap = sample();
        let v: serde_json::Value = serde_json::from_str(&snap).unwrap();
        let groups = v["state"]["records"]["group"].as_array().unwrap().clone();
        let i = groups.iter().position(|g| g.is_null()).unwrap();
        let e = Aggregator::restore(&edit(&snap, |s| s["records"]["time"][i] = serde_json::json!(5)))
            .unwrap_err()
            .to_string();
        assert!(e.contains(&format!("state.records.time[{i}]")), "{e}");
        let j = groups.iter().position(|g| !g.is_null()).unwrap();
        let e = Aggregator::restore(&edit(&snap, |s| s["records"]["group"][j] = serde_json::Value::Null))
            .unwrap_err()
            .to_string();
        assert!(e.contains(&format!("state.records.group[{j}]")), "{e}");
    }
}
