//! Reading chat exports (`chat_formats.md`) into [`Message`]s, streaming.
//!
//! Enabled by the `ingest` cargo feature (the `cli` feature turns it on).
//!
//! [`open`] (a file) or [`read`] (any `Read`) detects the [`Format`] from the
//! first bytes (or takes [`ReadOptions::format`]), decodes the text (UTF-8
//! with or without BOM, UTF-16 with BOM, GB18030/GBK) and returns a
//! [`Reader`]: an iterator of [`Record`]s that reads the input piece by piece,
//! so memory stays flat on multi-gigabyte exports.
//!
//! Every input record becomes exactly one of: a [`Record::Message`] (a person
//! wrote text), a [`Record::System`] (recall, system notice or media
//! placeholder: counted apart, not analysed) or a [`Record::Rejected`]
//! (malformed: the file, line and a reason that names the field, never the
//! message text; reading continues). A [`Record::Warning`] comes just before
//! a message whose text held undecodable bytes (replaced by U+FFFD).
//!
//! Times are read in a fixed offset ([`ReadOptions::tz_offset_secs`], +08:00
//! by default; never the machine's zone) and written as RFC 3339 with that
//! offset, e.g. `2024-03-01T10:00:00+08:00`.
//!
//! What each message gets:
//! - **group**: from the export when it has one (JSON `group`, PyWxDump
//!   `room_name`, chatlog `talkerName` then `talker`, QQ `消息对象`, the
//!   generic CSV's group column), else the file name's stem without a
//!   `_utf8` suffix (`幸福社区警民群_utf8.csv` → `幸福社区警民群`), else
//!   [`ReadOptions::default_group`].
//! - **id**: the export's own where it has one (JSON `id`, PyWxDump
//!   `MsgSvrID`, generic CSV id column); otherwise `{group}:{localId}`
//!   (WeChatMsg), `{group}:{seq}` (chatlog), `{group}:L{line}` (QQ, JSON
//!   Lines and CSV rows without an id; `input:` when there is no group).
//! - **role** (`chat_formats.md`, "Role of the sender"), first that applies:
//!   a role in the data (JSON `role`, generic CSV role column); the
//!   [`Roster`] (by sender id or any display name); the exporting account
//!   (`IsSender=1`, `我`, `isSelf`) when [`ReadOptions::exported_by_police`];
//!   a name containing 民警/警官/辅警/派出所/警务室 or a QQ title
//!   管理员/群主; else `unknown`.
//! - **sender**: the display name when the export has one (WeChatMsg
//!   `NickName`, then `Remark`, then `Sender`; chatlog `senderName`; QQ
//!   nickname), else the id.
//!
//! Type codes: WeChat `Type` 1 is text, 49 with SubType 57 a quote reply
//! (its reply text is kept), 10000/10002 system, everything else media;
//! PyWxDump `文本`/`引用回复` are text (the `[引用](…)…` part is dropped),
//! `系统通知`, `拍一拍`, `邀请加群`, `…撤回…` and sender `系统` are system,
//! other `type_name`s media. A text that is only placeholders such as
//! `[图片]` is media in every format.
//!
//! ```
//! use jingmin::ingest::{self, Format, ReadOptions, Record};
//! use jingmin::Role;
//!
//! let csv = "\u{feff}localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\r\n\
//!            101,7,1,0,0,1709258400,2,请问周六警务室有人吗？,2024-03-01 10:00:00,3栋李阿姨,李阿姨,wxid_res01\r\n\
//!            102,7,1,0,1,1709258700,2,周六上午9-12点有人值班,2024-03-01 10:05:00,王警官,王警官,wxid_pol01\r\n\
//!            103,7,3,0,0,1709258800,2,[图片],2024-03-01 10:06:40,3栋李阿姨,李阿姨,wxid_res01\r\n";
//! let reader = ingest::read(std::io::Cursor::new(csv), "幸福社区警民群_utf8.csv", &ReadOptions::default()).unwrap();
//! assert_eq!(reader.format(), Format::WeChatMsgCsv);
//! let records: Vec<Record> = reader.collect();
//! let Record::Message(m) = &records[1] else { panic!() };
//! assert_eq!(m.id.as_deref(), Some("幸福社区警民群:102"));
//! assert_eq!(m.group.as_deref(), Some("幸福社区警民群"));
//! assert_eq!(m.time.as_deref(), Some("2024-03-01T10:05:00+08:00"));
//! assert_eq!(m.role, Role::Police); // 警官 in the name
//! assert!(matches!(records[2], Record::System { kind: jingmin::MessageKind::Media, line: 4, .. }));
//! ```
mod chatlog;
mod csvfmt;
mod datetime;
mod decode;
mod jsonl;
mod lines;
mod options;
mod qq;
mod reader;
mod record;
mod roles;

pub use decode::TextEncoding;
pub use options::{parse_tz_offset, ColumnSpec, Format, ReadOptions};
pub use reader::{open, read, Reader};
pub use record::Record;
pub use roles::Roster;

pub(crate) use record::{strip_quote, Ctx, Draft, Kind};

#[cfg(test)]
mod tests {
    use super::*;
    use super::reader::group_from_file_name;
    use crate::kind::{classify_kind, MessageKind};

    #[test]
    fn file_name_groups() {
        assert_eq!(group_from_file_name("exports/幸福社区警民群_utf8.csv").as_deref(), Some("幸福社区警民群"));
        assert_eq!(group_from_file_name("C:\\x\\二组.txt").as_deref(), Some("二组"));
        assert_eq!(group_from_file_name("-"), None);
        assert_eq!(group_from_file_name(""), None);
        assert_eq!(group_from_file_name(".hidden").as_deref(), Some(".hidden"));
    }

    #[test]
    fn placeholders_and_quotes() {
        assert_eq!(classify_kind("[图片]"), MessageKind::Media);
        assert_eq!(classify_kind(" [图片][表情] "), MessageKind::Media);
        assert_eq!(classify_kind("[图片] 看这个"), MessageKind::Content);
        assert_eq!(classify_kind("[微笑]"), MessageKind::Content);
        assert_eq!(classify_kind(""), MessageKind::Content);
        assert_eq!(strip_quote("这是诈骗，别转！\n\n[引用](2024-03-01 10:00:00)李阿姨:有人"), "这是诈骗，别转！");
        assert_eq!(strip_quote("普通消息"), "普通消息");
    }
}

