//! The QQ built-in TXT export (classic PC QQ).
//!
//! Blocks are separated by lines of `=`; a block header names the group
//! (`消息对象:…`). A message is a header line `YYYY-MM-DD H:MM:SS[ AM|PM]
//! [【头衔】]昵称(QQ号)` (or `昵称<email>`) followed by its content lines; it
//! ends at the next header, separator or the end of the input (blank lines
//! inside are kept, trailing ones dropped).

use std::collections::VecDeque;

use super::lines::{Next, Source, MAX_LINE, MAX_LINE_TEXT};
use super::{datetime, Ctx, Draft, Kind, Record};

/// Senders that are QQ's own system messages.
const SYSTEM_IDS: &[&str] = &["10000", "1000000"];

/// A line of `=` separating blocks (64 in real exports).
pub(crate) fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 10 && t.bytes().all(|b| b == b'=')
}

struct Sender {
    title: Option<String>,
    name: String,
    id: String,
}

/// `【头衔】昵称(QQ号)`, `昵称（QQ号）` or `昵称<email>`.
fn parse_sender(s: &str) -> Option<Sender> {
    let s = s.trim();
    let (title, rest) = match s.strip_prefix('【').and_then(|r| r.split_once('】')) {
        Some((t, r)) => (Some(t.trim().to_string()), r.trim_start()),
        None => (None, s),
    };
    let (open, close) = if rest.ends_with(')') {
        ('(', ')')
    } else if rest.ends_with('）') {
        ('（', '）')
    } else if rest.ends_with('>') {
        ('<', '>')
    } else {
        return None;
    };
    let inner = rest.strip_suffix(close)?;
    let at = inner.rfind(open)?;
    let name = inner.get(..at)?.trim();
    let id = inner.get(at + open.len_utf8()..)?.trim();
    if id.is_empty() || (open != '<' && !id.bytes().all(|b| b.is_ascii_digit())) || (open == '<' && !id.contains('@')) {
        return None;
    }
    Some(Sender { title, name: name.to_string(), id: id.to_string() })
}

fn date_shaped(s: &str) -> bool {
    let p: Vec<&str> = s.split('-').collect();
    p.len() == 3
        && p.iter().all(|x| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit()))
        && p.first().is_some_and(|y| y.len() == 4)
        && p.iter().skip(1).all(|x| x.len() <= 2)
}

fn time_shaped(s: &str) -> bool {
    let p: Vec<&str> = s.split(':').collect();
    p.len() == 3 && p.iter().all(|x| (1..=2).contains(&x.len()) && x.bytes().all(|b| b.is_ascii_digit()))
}

enum Header {
    Ok { unix: i64, sender: Sender },
    BadTime,
    No,
}

fn parse_header(line: &str, offset: i32) -> Header {
    let line = line.trim();
    let Some((date, rest)) = line.split_once(' ') else { return Header::No };
    let Some((time, rest)) = rest.trim_start().split_once(' ') else { return Header::No };
    if !date_shaped(date) || !time_shaped(time) {
        return Header::No;
    }
    let rest = rest.trim_start();
    let (half, rest) = match rest.split_once(' ') {
        Some((h @ ("AM" | "PM" | "am" | "pm" | "上午" | "下午"), r)) => (h, r),
        _ => ("", rest),
    };
    let Some(sender) = parse_sender(rest) else { return Header::No };
    match datetime::parse_local(&format!("{date} {time} {half}"), offset) {
        Some(unix) => Header::Ok { unix, sender },
        None => Header::BadTime,
    }
}

struct Pending {
    line: u64,
    unix: i64,
    sender: Sender,
    content: Vec<String>,
    bytes: usize,
}

pub(crate) struct Qq {
    group: Option<String>,
    current: Option<Pending>,
    /// Content lines of a rejected header follow.
    skipping: bool,
}

impl Qq {
    pub(crate) fn new() -> Qq {
        Qq { group: None, current: None, skipping: false }
    }

    fn flush(&mut self, ctx: &Ctx, out: &mut VecDeque<Record>) {
        let Some(p) = self.current.take() else { return };
        let mut content = p.content;
        while content.last().is_some_and(|l| l.trim().is_empty()) {
            content.pop();
        }
        let first = content.iter().position(|l| !l.trim().is_empty()).unwrap_or(content.len());
        let text = content.get(first..).unwrap_or(&[]).join("\n");
        let group = ctx.group(self.group.as_deref());
        let system = SYSTEM_IDS.contains(&p.sender.id.as_str()) && p.sender.name.contains("系统消息");
        let mut d = Draft::new(p.line, if system { Kind::System } else { Kind::Text }, "content");
        d.id = format!("{}:L{}", ctx.id_prefix(group.as_deref()), p.line);
        d.group = group;
        d.time = ctx.time(p.unix);
        if d.time.is_none() {
            out.push_back(ctx.reject(p.line, "message header: time out of range"));
            return;
        }
        d.sender = Some(if p.sender.name.is_empty() { p.sender.id.clone() } else { p.sender.name.clone() });
        d.names = vec![p.sender.id, p.sender.name];
        d.title = p.sender.title;
        d.text = text;
        d.finish(ctx, out);
    }

    pub(crate) fn step(&mut self, src: &mut Source, ctx: &Ctx, out: &mut VecDeque<Record>) -> bool {
        let (n, s) = match src.next_text(ctx, out) {
            Next::End(failure) => {
                self.flush(ctx, out);
                out.extend(failure);
                return false;
            }
            Next::Skipped => return true,
            Next::Text(n, s) => (n, s),
        };
        let t = s.trim();
        if n == 1 && t.starts_with("消息记录") {
            return true;
        }
        if is_separator(t) {
            self.flush(ctx, out);
            self.skipping = false;
            return true;
        }
        if let Some(g) = t.strip_prefix("消息对象:").or_else(|| t.strip_prefix("消息对象：")) {
            self.flush(ctx, out);
            self.skipping = false;
            self.group = Some(g.trim().to_string()).filter(|g| !g.is_empty());
            return true;
        }
        if t.starts_with("消息分组:") || t.starts_with("消息分组：") {
            self.flush(ctx, out);
            self.skipping = false;
            return true;
        }
        match parse_header(t, ctx.offset()) {
            Header::Ok { unix, sender } => {
                self.flush(ctx, out);
                self.skipping = false;
                self.current = Some(Pending { line: n, unix, sender, content: Vec::new(), bytes: 0 });
            }
            Header::BadTime => {
                self.flush(ctx, out);
                self.skipping = true;
                out.push_back(ctx.reject(
                    n,
                    "message header: not a valid date and time (expected YYYY-MM-DD H:MM:SS[ AM|PM])",
                ));
            }
            Header::No => {
                if let Some(p) = self.current.as_mut() {
                    p.bytes += s.len() + 1;
                    if p.bytes > MAX_LINE {
                        let line = p.line;
                        self.current = None;
                        self.skipping = true;
                        out.push_back(ctx.reject(line, format!("message over the {MAX_LINE_TEXT} message limit ({MAX_LINE} bytes)")));
                    } else {
                        p.content.push(s);
                    }
                } else if !self.skipping && !t.is_empty() {
                    out.push_back(ctx.reject(n, "text outside any message (no header line before it)"));
                }
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        let cst = 8 * 3600;
        let Header::Ok { sender, .. } = parse_header("2024-03-01 10:00:00 【管理员】王警官(10001)", cst) else { panic!() };
        assert_eq!((sender.title.as_deref(), sender.name.as_str(), sender.id.as_str()), (Some("管理员"), "王警官", "10001"));
        let Header::Ok { sender, unix } = parse_header("2024-03-01 1:05:09 PM 张三(小张)(20003)", cst) else { panic!() };
        assert_eq!((sender.name.as_str(), sender.id.as_str()), ("张三(小张)", "20003"));
        assert_eq!(Some(unix), datetime::parse_local("2024-03-01 13:05:09", cst));
        let Header::Ok { sender, .. } = parse_header("2024-03-01 9:05:09 路人<someone@example.com>", cst) else { panic!() };
        assert_eq!(sender.id, "someone@example.com");
        assert!(matches!(parse_header("2024-02-30 10:00:00 李阿姨(20002)", cst), Header::BadTime));
        assert!(matches!(parse_header("2024-03-01 10:00:00 开会了", cst), Header::No));
        assert!(matches!(parse_header("明天 10:00:00 李阿姨(20002)", cst), Header::No));
    }
}
