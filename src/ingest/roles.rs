//! Who sent a message: roster, exporting account and name cues
//! (`chat_formats.md`, "Role of the sender").

use std::collections::HashMap;
use std::io::Read;

use crate::error::{Error, Result};
use crate::types::Role;

use super::decode::Utf8Stream;

/// Name fragments that mark a police sender.
const POLICE_NAME_CUES: &[&str] = &["民警", "警官", "辅警", "派出所", "警务室"];
/// Group titles (QQ `【管理员】`, `【群主】`) that mark a police sender.
const POLICE_TITLE_CUES: &[&str] = &["管理员", "群主"];

/// Reads a role as a roster or a data column may spell it: the taxonomy's
/// names (`police`, `resident`, `unknown`) or Chinese (民警, 警察, 辅警,
/// 群众, 居民, 村民, 未知).
pub(crate) fn role_from_text(s: &str) -> Option<Role> {
    let s = s.trim();
    if let Some(r) = Role::from_name(&s.to_ascii_lowercase()) {
        return Some(r);
    }
    match s {
        "民警" | "警察" | "辅警" | "警官" => Some(Role::Police),
        "群众" | "居民" | "村民" | "家长" => Some(Role::Resident),
        "未知" | "" => Some(Role::Unknown),
        _ => None,
    }
}

/// A list of known senders and their roles, matched by sender id or display
/// name (exactly, after trimming).
///
/// ```
/// use jingmin::{ingest::Roster, Role};
///
/// let csv = "sender,role\nwxid_pol01,police\n3栋李阿姨,resident\n";
/// let roster = Roster::from_csv_reader(csv.as_bytes()).unwrap();
/// assert_eq!(roster.get("wxid_pol01"), Some(Role::Police));
/// assert_eq!(roster.get("3栋李阿姨"), Some(Role::Resident));
/// assert_eq!(roster.get("someone"), None);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roster {
    map: HashMap<String, Role>,
    /// Group ids and the names given to them (the optional columns
    /// `group` and `group_name`).
    group_names: std::collections::BTreeMap<String, String>,
}

impl Roster {
    /// An empty roster.
    pub fn new() -> Self {
        Roster::default()
    }

    /// Adds (or replaces) a sender.
    pub fn insert(&mut self, sender: impl Into<String>, role: Role) {
        self.map.insert(sender.into().trim().to_string(), role);
    }

    /// The group names of the optional columns `group,group_name`: group id
    /// → name.
    pub fn group_names(&self) -> &std::collections::BTreeMap<String, String> {
        &self.group_names
    }

    /// The role of a sender id or name, if listed.
    pub fn get(&self, sender: &str) -> Option<Role> {
        self.map.get(sender.trim()).copied()
    }

    /// Number of senders listed.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether no sender is listed.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Reads a roster CSV: two columns, `sender,role`, where sender is an id
    /// or a display name and role is `police`, `resident` or `unknown` (or
    /// 民警/群众/未知). A first row `sender,role` (or `发送者,角色`) is a header
    /// and skipped; blank lines and lines starting with `#` are skipped. Any
    /// encoding [`open`](super::open) reads is accepted.
    ///
    /// Two more columns are optional: `group` and `group_name`, the id of
    /// the sender's group as the exports name it and the name to show for
    /// it (一警一群: an officer's row names the officer's group). Either may
    /// be empty on a row.
    ///
    /// ```
    /// let csv = "sender,role,group,group_name\n陈警官,police,24713302855@chatroom,杏花路警民群\n李阿姨,resident,,\n";
    /// let r = jingmin::ingest::Roster::from_csv_reader(csv.as_bytes()).unwrap();
    /// assert_eq!(r.get("陈警官"), Some(jingmin::Role::Police));
    /// assert_eq!(r.group_names()["24713302855@chatroom"], "杏花路警民群");
    /// ```
    ///
    /// # Errors
    /// [`Error::Ingest`] naming the line of a row that is not two to four
    /// columns, whose role is unknown, or whose group gets two names, or
    /// the read error.
    pub fn from_csv_reader(reader: impl Read) -> Result<Roster> {
        let stream = Utf8Stream::new(reader, None);
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .comment(Some(b'#'))
            .from_reader(stream);
        let mut roster = Roster::new();
        let mut rec = csv::StringRecord::new();
        let mut first = true;
        loop {
            match rdr.read_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    return Err(Error::Ingest(format!("roster line {line}: cannot be read as CSV")));
                }
            }
            let line = rec.position().map_or(0, |p| p.line());
            let was_first = std::mem::replace(&mut first, false);
            if rec.len() == 1 && rec.get(0).map_or(true, |s| s.trim().is_empty()) {
                continue;
            }
            if !(2..=4).contains(&rec.len()) {
                return Err(Error::Ingest(format!(
                    "roster line {line}: expected 2 to 4 columns (sender,role[,group[,group_name]]), found {}",
                    rec.len()
                )));
            }
            let sender = rec.get(0).unwrap_or("").trim();
            let role_text = rec.get(1).unwrap_or("").trim();
            if was_first
                && matches!(sender.to_ascii_lowercase().as_str(), "sender" | "name" | "id" | "发送者" | "发送人" | "姓名")
                && matches!(role_text.to_ascii_lowercase().as_str(), "role" | "角色" | "身份")
            {
                continue;
            }
            let group = rec.get(2).unwrap_or("").trim();
            let group_name = rec.get(3).unwrap_or("").trim();
            if !group_name.is_empty() {
                if group.is_empty() {
                    return Err(Error::Ingest(format!("roster line {line}: a group_name without its group")));
                }
                match roster.group_names.get(group) {
                    Some(n) if n != group_name => {
                        return Err(Error::Ingest(format!(
                            "roster line {line}: the group is named twice, differently (\"{n}\" and \"{group_name}\")"
                        )))
                    }
                    _ => {
                        roster.group_names.insert(group.to_owned(), group_name.to_owned());
                    }
                }
            }
            if sender.is_empty() {
                return Err(Error::Ingest(format!("roster line {line}: empty sender")));
            }
            let role = role_from_text(role_text).ok_or_else(|| {
                Error::Ingest(format!(
                    "roster line {line}: unknown role (expected police, resident or unknown)"
                ))
            })?;
            roster.insert(sender, role);
        }
        Ok(roster)
    }
}

/// What a reader knows about a sender, for [`resolve`].
#[derive(Default)]
pub(crate) struct SenderFacts<'a> {
    /// Role written in the data, if any.
    pub explicit: Option<Role>,
    /// Sender ids and display names (roster keys and name cues).
    pub names: Vec<&'a str>,
    /// A group title such as 管理员 or 群主.
    pub title: Option<&'a str>,
    /// The message was sent by the exporting account.
    pub is_self: bool,
}

/// The role, in the order of `chat_formats.md`.
pub(crate) fn resolve(f: &SenderFacts<'_>, roster: Option<&Roster>, exported_by_police: bool) -> Role {
    if let Some(r) = f.explicit.filter(|r| *r != Role::Unknown) {
        return r;
    }
    if let Some(roster) = roster {
        if let Some(r) = f.names.iter().find_map(|n| roster.get(n)) {
            return r;
        }
    }
    if f.is_self && exported_by_police {
        return Role::Police;
    }
    if f.names.iter().any(|n| POLICE_NAME_CUES.iter().any(|c| n.contains(c)))
        || f.title.is_some_and(|t| POLICE_TITLE_CUES.iter().any(|c| t.contains(c)))
    {
        return Role::Police;
    }
    Role::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_of_evidence() {
        let mut roster = Roster::new();
        roster.insert("wxid_a", Role::Resident);
        let f = SenderFacts { names: vec!["wxid_a", "王警官"], ..Default::default() };
        assert_eq!(resolve(&f, Some(&roster), false), Role::Resident);
        assert_eq!(resolve(&f, None, false), Role::Police);
        let f = SenderFacts { explicit: Some(Role::Police), names: vec!["wxid_a"], ..Default::default() };
        assert_eq!(resolve(&f, Some(&roster), false), Role::Police);
        let f = SenderFacts { names: vec!["我"], is_self: true, ..Default::default() };
        assert_eq!(resolve(&f, None, true), Role::Police);
        assert_eq!(resolve(&f, None, false), Role::Unknown);
        let f = SenderFacts { names: vec!["老张"], title: Some("群主"), ..Default::default() };
        assert_eq!(resolve(&f, None, false), Role::Police);
    }

    #[test]
    fn roster_errors_name_the_line() {
        let e = Roster::from_csv_reader("sender,role\na,police\nb,boss\n".as_bytes()).unwrap_err();
        assert!(e.to_string().contains("line 3"), "{e}");
        let e = Roster::from_csv_reader("a,police,x,y,z\n".as_bytes()).unwrap_err();
        assert!(e.to_string().contains("line 1"), "{e}");
        // The optional group columns: a name needs its group, and one group one name.
        let r = Roster::from_csv_reader("a,police,g1\nb,police,g2,第二群\nc,resident,g2,第二群\n".as_bytes()).unwrap();
        assert_eq!(r.group_names().len(), 1);
        assert_eq!(r.group_names()["g2"], "第二群");
        let e = Roster::from_csv_reader("a,police,,名字\n".as_bytes()).unwrap_err();
        assert!(e.to_string().contains("line 1") && e.to_string().contains("group_name"), "{e}");
        let e = Roster::from_csv_reader("a,police,g,一\nb,police,g,二\n".as_bytes()).unwrap_err();
        assert!(e.to_string().contains("line 2") && e.to_string().contains("named twice"), "{e}");
        let r = Roster::from_csv_reader("\u{feff}发送者,角色\r\n王警官,民警\r\n".as_bytes()).unwrap();
        assert_eq!(r.get("王警官"), Some(Role::Police));
        assert_eq!(r.len(), 1);
    }
}
