//! Native JSON Lines (taxonomy §4): one message object per line.

use std::collections::VecDeque;

use serde_json::{Map, Value};

use super::lines::{Next, Source};
use super::roles::role_from_text;
use super::{datetime, Ctx, Draft, Kind, Record};

/// The JSON type of a value, for rejection reasons.
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A string field that may also be given as an integer; `null`/absent is
/// `None`.
pub(crate) fn text_field(obj: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(Some(n.to_string())),
        Some(v) => Err(format!("field `{name}`: expected a string, found {}", kind_of(v))),
    }
}

/// A time field: string (RFC 3339, local, Unix digits) or Unix number
/// (seconds up to 12 digits, milliseconds 13: the library's one rule),
/// written as RFC 3339 in the configured offset. Whether it is plausible is
/// the aggregator's to say (`invalid_time`), as for the same message
/// through the C ABI or Python.
pub(crate) fn time_field(obj: &Map<String, Value>, name: &str, ctx: &Ctx) -> Result<Option<String>, String> {
    let unix = match obj.get(name) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
        Some(Value::String(s)) => datetime::parse_any(s, ctx.offset()),
        Some(Value::Number(n)) => n.as_i64().and_then(|v| datetime::parse_unix(&v.to_string())),
        Some(v) => return Err(format!("field `{name}`: expected a string or a number, found {}", kind_of(v))),
    };
    match unix.and_then(|u| ctx.time(u)) {
        Some(t) => Ok(Some(t)),
        None => Err(format!(
            "field `{name}`: not a valid time (expected RFC 3339, YYYY-MM-DD HH:MM:SS or Unix seconds)"
        )),
    }
}

pub(crate) struct Jsonl;

impl Jsonl {
    pub(crate) fn step(&mut self, src: &mut Source, ctx: &Ctx, out: &mut VecDeque<Record>) -> bool {
        match src.next_text(ctx, out) {
            Next::End(failure) => {
                out.extend(failure);
                false
            }
            Next::Skipped => true,
            Next::Text(n, s) => {
                let s = s.trim();
                if !s.is_empty() {
                    match record(n, s, ctx) {
                        Ok(d) => d.finish(ctx, out),
                        Err(reason) => out.push_back(ctx.reject(n, reason)),
                    }
                }
                true
            }
        }
    }
}

fn record(line: u64, s: &str, ctx: &Ctx) -> Result<Draft, String> {
    let v: Value =
        serde_json::from_str(s).map_err(|e| format!("invalid JSON ({:?} error at column {})", e.classify(), e.column()))?;
    let Value::Object(obj) = v else {
        return Err(format!("not a JSON object (found {})", kind_of(&v)));
    };
    let text = match obj.get("text") {
        Some(Value::String(t)) => t.clone(),
        None | Some(Value::Null) => return Err("field `text`: missing".into()),
        Some(v) => return Err(format!("field `text`: expected a string, found {}", kind_of(v))),
    };
    let role = match text_field(&obj, "role")? {
        None => None,
        Some(r) => Some(role_from_text(&r).ok_or("field `role`: unknown role (expected police, resident or unknown)")?),
    };
    let group = ctx.group(text_field(&obj, "group")?.as_deref());
    let sender = text_field(&obj, "sender")?.filter(|s| !s.trim().is_empty());
    let time = time_field(&obj, "time", ctx)?;
    let id = match text_field(&obj, "id")?.filter(|s| !s.trim().is_empty()) {
        Some(id) => id,
        None => format!("{}:L{line}", ctx.id_prefix(group.as_deref())),
    };
    let mut d = Draft::new(line, Kind::Text, "text");
    d.id = id;
    d.names = sender.iter().cloned().collect();
    d.sender = sender;
    d.group = group;
    d.explicit_role = role;
    d.time = time;
    d.text = text;
    Ok(d)
}
