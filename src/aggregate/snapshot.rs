//! Snapshots: the aggregator's whole state as a versioned, checksummed JSON
//! document.
//!
//! ```text
//! {"format":"jingmin-aggregator","version":1,"checksum":"<16 hex digits>",
//!  "state":{"config":{…},"groups":["g1","g2"],
//!           "records":{"hash":[…],"time":[…],"group":[…],"bits":[…],"mult":[…]},
//!           "extras":[{"hash":…,"money_fen":…,"indicators":[["phone","139****5678"]]}]}}
//! ```
//!
//! Records are stored as columns, sorted by de-duplication hash; groups are
//! sorted by name; so equal states give byte-identical snapshots. The
//! checksum is the fixed-key SipHash-2-4 of the compact JSON of `state`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::hash::hash_bytes;
use super::{Aggregator, AggregatorConfig, Extra, Fields, MessageKind, Rec, RejectReason, INDICATOR_KINDS, NO_GROUP};
use crate::error::{Error, Result};
use crate::time::{MAX_TIME, MIN_TIME};
use crate::types::{EntityKind, Stance};

/// The `format` of a snapshot document.
pub const SNAPSHOT_FORMAT: &str = "jingmin-aggregator";

/// The snapshot version this library writes and the newest it reads.
pub const SNAPSHOT_VERSION: u64 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc {
    format: String,
    version: u64,
    checksum: String,
    state: StateV1,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StateV1 {
    config: AggregatorConfig,
    groups: Vec<String>,
    records: Columns,
    extras: Vec<ExtraV1>,
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
struct ExtraV1 {
    hash: u64,
    money_fen: i64,
    indicators: Vec<(EntityKind, String)>,
}

#[derive(Deserialize)]
struct Header {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

fn err(msg: impl Into<String>) -> Error {
    Error::Snapshot(msg.into())
}

/// A serde_json error described without echoing values from the input.
fn describe(e: &serde_json::Error) -> String {
    crate::error::describe_json_error(e)
}

/// A serde_json error described without echoing values from the input:
/// the kind of error, names of fields when the message gives them, and
/// where.
pub(crate) fn describe_json_error(e: &serde_json::Error) -> String {
    crate::error::describe_json_error(e)
}

fn checksum_of(state_json: &str) -> String {
    format!("{:016x}", hash_bytes(state_json.as_bytes()))
}

pub(crate) fn write(agg: &Aggregator) -> String {
    // Canonical group table: the groups records refer to, sorted by name.
    let used: BTreeSet<&str> = agg.records.values().filter_map(|r| agg.group_name(r.group)).collect();
    let groups: Vec<String> = used.iter().map(|g| (*g).to_owned()).collect();
    let new_index: HashMap<&str, u32> = used.iter().enumerate().map(|(i, g)| (*g, i as u32)).collect();

    let n = agg.records.len();
    let mut cols = Columns {
        hash: Vec::with_capacity(n),
        time: Vec::with_capacity(n),
        group: Vec::with_capacity(n),
        bits: Vec::with_capacity(n),
        mult: Vec::with_capacity(n),
    };
    for (key, rec) in &agg.records {
        cols.hash.push(*key);
        cols.time.push(rec.time);
        cols.group.push(agg.group_name(rec.group).and_then(|g| new_index.get(g).copied()));
        cols.bits.push(rec.bits);
        cols.mult.push(agg.copies_of(key));
    }
    let extras = agg
        .extras
        .iter()
        .map(|(k, e)| ExtraV1 { hash: *k, money_fen: e.money_fen, indicators: e.indicators.clone() })
        .collect();
    let state = StateV1 { config: agg.config, groups, records: cols, extras };
    // Plain structs of numbers and strings always serialise.
    let state_json = serde_json::to_string(&state).unwrap_or_default();
    format!(
        "{{\"format\":\"{SNAPSHOT_FORMAT}\",\"version\":{SNAPSHOT_VERSION},\"checksum\":\"{}\",\"state\":{state_json}}}",
        checksum_of(&state_json)
    )
}

pub(crate) fn read(text: &str) -> Result<Aggregator> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header: Header = serde_json::from_str(text).map_err(|e| err(format!("snapshot: {}", describe(&e))))?;
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
        Some(SNAPSHOT_VERSION) => {}
        Some(v) if v > SNAPSHOT_VERSION => {
            return Err(err(format!(
                "version: {v} is newer than this library reads ({SNAPSHOT_VERSION}); restore it with a newer jingmin"
            )))
        }
        _ => return Err(err(format!("version: expected a whole number from 1 to {SNAPSHOT_VERSION}"))),
    }
    let doc: Doc = serde_json::from_str(text).map_err(|e| err(format!("state: {}", describe(&e))))?;
    let state_json = serde_json::to_string(&doc.state).map_err(|e| err(format!("state: {}", describe(&e))))?;
    if checksum_of(&state_json) != doc.checksum {
        return Err(err("checksum: does not match the content; the snapshot is corrupted or was edited"));
    }
    build(doc.state)
}

fn build(state: StateV1) -> Result<Aggregator> {
    state.config.validate().map_err(|e| err(format!("state.config: {e}")))?;
    let mut agg = Aggregator::empty(state.config);

    let groups = state.groups;
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
    let mut records = BTreeMap::new();
    let mut copies = BTreeMap::new();
    let mut fields_of: HashMap<u64, Fields> = HashMap::new();
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
            (None, Some(RejectReason::MissingGroup)) => NO_GROUP,
            _ => return Err(err(format!("state.records.group[{i}]: missing, out of range or inconsistent"))),
        };
        let time_ok = if f.rejected.is_some() { time == 0 } else { (MIN_TIME..=MAX_TIME).contains(&time) };
        if !time_ok {
            return Err(err(format!("state.records.time[{i}]: out of range")));
        }
        records.insert(hash, Rec { time, group, bits });
        if mult > 1 {
            copies.insert(hash, mult);
        }
        if f.rejected.is_none() && f.kind == MessageKind::Content {
            fields_of.insert(hash, f);
        }
    }

    let mut extras = BTreeMap::new();
    let mut prev: Option<u64> = None;
    for (i, e) in state.extras.into_iter().enumerate() {
        if prev.is_some_and(|p| p >= e.hash) {
            return Err(err(format!("state.extras[{i}].hash: not sorted and distinct")));
        }
        prev = Some(e.hash);
        let stance = fields_of.get(&e.hash).map(|f| f.stance);
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
        let extra = Extra { money_fen: e.money_fen, indicators: e.indicators };
        if extra.is_empty() {
            return Err(err(format!("state.extras[{i}]: empty")));
        }
        extras.insert(e.hash, extra);
    }

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
        v["checksum"] = serde_json::Value::String(checksum_of(&state_json));
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
