//! chatlog JSON: one array of message objects, read element by element.
//!
//! A small splitter finds each top-level element of the array (tracking
//! strings, escapes and nesting), so only one element is in memory at a
//! time; each element is then parsed with `serde_json`.

use std::collections::VecDeque;

use serde_json::{Map, Value};

use super::jsonl::{kind_of, text_field, time_field};
use super::lines::{Source, MAX_LINE, MAX_LINE_TEXT};
use super::{strip_quote, Ctx, Draft, Kind, Record};

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the opening `[`.
    Start,
    /// After `[` or after an element's `,`: an element (or `]`) comes next.
    Element,
    /// After an element: `,` or `]` comes next.
    Separator,
    /// After the closing `]`.
    Done,
}

pub(crate) struct Chatlog {
    state: State,
    /// 1-based index of the next element.
    index: u64,
}

enum Split {
    /// A complete element's bytes (or `None` if it was too large to keep).
    Element(Option<Vec<u8>>),
    /// The input ended inside the element.
    Eof,
}

impl Chatlog {
    pub(crate) fn new() -> Chatlog {
        Chatlog { state: State::Start, index: 1 }
    }

    fn skip_ws(src: &mut Source) -> std::io::Result<Option<u8>> {
        loop {
            match src.peek_byte()? {
                Some(b) if b.is_ascii_whitespace() => {
                    src.next_byte()?;
                }
                other => return Ok(other),
            }
        }
    }

    /// Reads one element; the next byte is its first.
    fn split(src: &mut Source) -> std::io::Result<Split> {
        let mut buf = Vec::new();
        let mut kept = true;
        let mut depth = 0usize;
        let mut in_str = false;
        let mut esc = false;
        loop {
            let Some(b) = src.peek_byte()? else { return Ok(Split::Eof) };
            if !in_str && depth == 0 && !buf.is_empty() && (b == b',' || b == b']' || b.is_ascii_whitespace()) {
                break;
            }
            src.next_byte()?;
            if kept {
                if buf.len() >= MAX_LINE {
                    kept = false;
                    buf = Vec::new();
                } else {
                    buf.push(b);
                }
            }
            // Keep `buf` non-empty as a marker that the element has started.
            if !kept && buf.is_empty() {
                buf.push(b' ');
            }
            if in_str {
                if esc {
                    esc = false;
                } else if b == b'\\' {
                    esc = true;
                } else if b == b'"' {
                    in_str = false;
                }
                continue;
            }
            match b {
                b'"' => in_str = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        Ok(Split::Element(kept.then_some(buf)))
    }

    pub(crate) fn step(&mut self, src: &mut Source, ctx: &Ctx, out: &mut VecDeque<Record>) -> bool {
        match self.try_step(src, ctx, out) {
            Ok(more) => more,
            Err(e) => {
                out.push_back(ctx.reject(src.line(), format!("read failed: {e}")));
                false
            }
        }
    }

    fn try_step(&mut self, src: &mut Source, ctx: &Ctx, out: &mut VecDeque<Record>) -> std::io::Result<bool> {
        let next = Self::skip_ws(src)?;
        let line = src.line();
        match (self.state, next) {
            (State::Done, None) => Ok(false),
            (State::Done, Some(_)) => {
                out.push_back(ctx.reject(line, "content after the end of the array"));
                Ok(false)
            }
            (State::Start, Some(b'[')) => {
                src.next_byte()?;
                self.state = State::Element;
                Ok(true)
            }
            (State::Start, _) => {
                out.push_back(ctx.reject(line, "not a JSON array (chatlog exports start with `[`)"));
                Ok(false)
            }
            (_, None) => {
                out.push_back(ctx.reject(line, "the array is not closed at the end of the input"));
                Ok(false)
            }
            (State::Separator, Some(b',')) => {
                src.next_byte()?;
                self.state = State::Element;
                Ok(true)
            }
            (State::Separator | State::Element, Some(b']')) => {
                src.next_byte()?;
                self.state = State::Done;
                Ok(true)
            }
            (State::Element, Some(b',')) => {
                src.next_byte()?;
                out.push_back(ctx.reject(line, format!("element {}: missing (two commas in a row)", self.index)));
                self.index += 1;
                Ok(true)
            }
            (State::Separator | State::Element, Some(_)) => {
                let index = self.index;
                // A missing comma is said once, together with what is wrong
                // with the element when it is rejected too: garbage yields
                // at most one rejection per element, never two per byte.
                let missing = (self.state == State::Separator).then(|| format!("missing `,` before element {index}"));
                let reject = |reason: String| match &missing {
                    Some(m) => ctx.reject(line, format!("{m}; {reason}")),
                    None => ctx.reject(line, reason),
                };
                self.index += 1;
                self.state = State::Separator;
                match Self::split(src)? {
                    Split::Eof => {
                        out.push_back(reject(format!("element {index}: incomplete at the end of the input")));
                        Ok(false)
                    }
                    Split::Element(None) => {
                        out.push_back(reject(format!("element {index}: over the {MAX_LINE_TEXT} message limit ({MAX_LINE} bytes)")));
                        Ok(true)
                    }
                    Split::Element(Some(bytes)) => {
                        match element(index, line, &bytes, ctx) {
                            Ok(d) => {
                                if let Some(m) = missing {
                                    out.push_back(ctx.reject(line, m));
                                }
                                d.finish(ctx, out)
                            }
                            Err(reason) => out.push_back(reject(reason)),
                        }
                        Ok(true)
                    }
                }
            }
        }
    }
}

fn int_field(obj: &Map<String, Value>, name: &str) -> Result<Option<i64>, String> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| format!("field `{name}`: not an integer")),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| format!("field `{name}`: not an integer")),
        Some(v) => Err(format!("field `{name}`: expected an integer, found {}", kind_of(v))),
    }
}

fn element(index: u64, line: u64, bytes: &[u8], ctx: &Ctx) -> Result<Draft, String> {
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| format!("element {index}: invalid JSON ({:?} error)", e.classify()))?;
    let Value::Object(obj) = v else {
        return Err(format!("element {index}: not an object (found {})", kind_of(&v)));
    };
    let in_element = |reason: String| format!("element {index}: {reason}");
    let time = time_field(&obj, "time", ctx).map_err(in_element)?.ok_or_else(|| in_element("field `time`: missing".into()))?;
    let talker = text_field(&obj, "talker").map_err(in_element)?;
    let talker_name = text_field(&obj, "talkerName").map_err(in_element)?;
    let group = ctx.group(talker_name.as_deref().filter(|s| !s.trim().is_empty()).or(talker.as_deref()));
    let sender = text_field(&obj, "sender").map_err(in_element)?.filter(|s| !s.trim().is_empty());
    let sender_name = text_field(&obj, "senderName").map_err(in_element)?.filter(|s| !s.trim().is_empty());
    let is_self = match obj.get("isSelf") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) if n.as_u64() == Some(0) || n.as_u64() == Some(1) => n.as_u64() == Some(1),
        Some(_) => return Err(in_element("field `isSelf`: expected a boolean".into())),
    };
    let typ = int_field(&obj, "type").map_err(in_element)?.ok_or_else(|| in_element("field `type`: missing".into()))?;
    let sub = int_field(&obj, "subType").map_err(in_element)?.unwrap_or(0);
    let content = match obj.get("content") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => return Err(in_element(format!("field `content`: expected a string, found {}", kind_of(v)))),
    };
    let prefix = ctx.id_prefix(group.as_deref());
    let id = match text_field(&obj, "seq").map_err(in_element)? {
        Some(seq) if !seq.trim().is_empty() => format!("{prefix}:{seq}"),
        _ => format!("{prefix}:L{line}"),
    };
    let kind = match (typ, sub) {
        (1, _) | (49, 57) => Kind::Text,
        (10000 | 10002, _) => Kind::System,
        _ => Kind::Media,
    };
    let mut d = Draft::new(line, kind, "content");
    d.id = id;
    d.group = group;
    d.names = [&sender, &sender_name].into_iter().flatten().cloned().collect();
    d.sender = sender_name.or(sender);
    d.is_self = is_self;
    d.time = Some(time);
    d.text = if typ == 49 { strip_quote(&content).to_string() } else { content };
    Ok(d)
}
