//! The records an export yields, and the draft each reader fills in before
//! the one place that decides a record's kind and role.

use std::collections::VecDeque;

use super::datetime;
use super::roles::{self, Roster, SenderFacts};
use crate::kind::{classify_kind, classify_notice, MessageKind};
use crate::message::Message;
use crate::types::Role;

/// One record of an export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// Text written by a person. `id`, `group` (when known), `role` and
    /// `time` (RFC 3339 in the configured offset; `None` only for JSON Lines
    /// and generic CSV without a time) are filled in.
    Message(Message),
    /// A recall, system notice or media message: counted apart, not
    /// analysed. Its kind comes from the export's own fields or, for text,
    /// from [`classify_kind`](crate::classify_kind).
    System {
        /// What it is: never [`MessageKind::Content`].
        kind: MessageKind,
        /// Its id, group, sender, role and time as for a message; `text` is
        /// the notice as written (empty for media the export only names).
        message: Message,
        /// The line it starts on (1-based).
        line: u64,
    },
    /// A malformed record, skipped. Reading continues after it.
    Rejected {
        /// The file (or source name given to [`read`]).
        file: String,
        /// The line it starts on (1-based).
        line: u64,
        /// What is wrong, naming the field; never the message text.
        reason: String,
    },
    /// Something to report about the message that follows (undecodable
    /// bytes replaced by U+FFFD). The message itself comes next.
    Warning {
        /// The file (or source name given to [`read`]).
        file: String,
        /// The line the message starts on.
        line: u64,
        /// What happened.
        reason: String,
    },
}

/// Per-input settings the format readers share.
pub(crate) struct Ctx {
    pub(crate) file: String,
    pub(crate) fallback_group: Option<String>,
    pub(crate) offset: i32,
    pub(crate) exported_by_police: bool,
    pub(crate) roster: Option<Roster>,
}

impl Ctx {
    /// The group: from the export when given, else the file name, else the
    /// caller's default.
    pub(crate) fn group(&self, from_export: Option<&str>) -> Option<String> {
        match from_export.map(str::trim).filter(|g| !g.is_empty()) {
            Some(g) => Some(g.to_string()),
            None => self.fallback_group.clone(),
        }
    }

    /// Prefix of synthesized ids.
    pub(crate) fn id_prefix<'a>(&'a self, group: Option<&'a str>) -> &'a str {
        group.unwrap_or("input")
    }

    /// Unix seconds as RFC 3339 in the configured offset.
    pub(crate) fn time(&self, unix: i64) -> Option<String> {
        datetime::format_rfc3339(unix, self.offset)
    }

    pub(crate) fn offset(&self) -> i32 {
        self.offset
    }

    pub(crate) fn reject(&self, line: u64, reason: impl Into<String>) -> Record {
        Record::Rejected { file: self.file.clone(), line, reason: reason.into() }
    }
}

/// What a format reader decided a record is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    System,
    Media,
}

/// A record on its way to becoming a [`Record`].
pub(crate) struct Draft {
    pub line: u64,
    pub id: String,
    pub group: Option<String>,
    pub sender: Option<String>,
    /// Ids and display names for the roster and name cues.
    pub names: Vec<String>,
    pub title: Option<String>,
    pub explicit_role: Option<Role>,
    pub is_self: bool,
    pub time: Option<String>,
    pub text: String,
    /// The field holding the text, for rejection reasons.
    pub text_field: &'static str,
    pub kind: Kind,
    /// The format says it is a recall.
    pub recall: bool,
}

impl Draft {
    pub(crate) fn new(line: u64, kind: Kind, text_field: &'static str) -> Draft {
        Draft {
            line,
            id: String::new(),
            group: None,
            sender: None,
            names: Vec::new(),
            title: None,
            explicit_role: None,
            is_self: false,
            time: None,
            text: String::new(),
            text_field,
            kind,
            recall: false,
        }
    }

    /// Turns the draft into records (a warning may precede a message).
    pub(crate) fn finish(self, ctx: &Ctx, out: &mut VecDeque<Record>) {
        let kind = match self.kind {
            Kind::System => classify_notice(&self.text, self.recall),
            Kind::Media => MessageKind::Media,
            Kind::Text => match classify_kind(&self.text) {
                // Notices written as text stay messages: the aggregator
                // counts them apart all the same.
                MessageKind::Media => MessageKind::Media,
                _ => MessageKind::Content,
            },
        };
        if kind == MessageKind::Content && self.text.trim().is_empty() {
            out.push_back(ctx.reject(self.line, format!("field `{}`: empty text", self.text_field)));
            return;
        }
        let facts = SenderFacts {
            explicit: self.explicit_role,
            names: self.names.iter().map(String::as_str).filter(|n| !n.is_empty()).collect(),
            title: self.title.as_deref(),
            is_self: self.is_self,
        };
        let role = roles::resolve(&facts, ctx.roster.as_ref(), ctx.exported_by_police);
        if kind == MessageKind::Content {
            let replaced = [Some(&self.text), self.sender.as_ref(), self.group.as_ref()]
                .into_iter()
                .flatten()
                .map(|s| s.matches('\u{FFFD}').count())
                .sum::<usize>();
            if replaced > 0 {
                out.push_back(Record::Warning {
                    file: ctx.file.clone(),
                    line: self.line,
                    reason: format!("{replaced} undecodable byte sequence(s) replaced with U+FFFD"),
                });
            }
        }
        let message = Message {
            id: Some(self.id),
            group: self.group,
            sender: self.sender,
            role,
            time: self.time,
            text: if kind == MessageKind::Content || self.kind == Kind::Text { self.text } else { String::new() },
        };
        out.push_back(match kind {
            MessageKind::Content => Record::Message(message),
            kind => Record::System { kind, message, line: self.line },
        });
    }
}

/// The reply of a quote reply: everything before a line starting with
/// `[引用](` (PyWxDump), trailing whitespace trimmed.
pub(crate) fn strip_quote(text: &str) -> &str {
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with("[引用]") {
            return text.get(..pos).unwrap_or(text).trim_end();
        }
        pos += line.len();
    }
    text
}
