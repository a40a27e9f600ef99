//! What a message is apart from its words — a person's content, a system
//! notice, a recall notice or a media placeholder — and the one recogniser
//! of it, used by the export readers, the aggregator, the command line, the
//! C ABI and the Python binding alike.

use serde::{Deserialize, Serialize};

/// What a message is, apart from its words: a person's content, a system
/// notice (joins, removals, renames), a recall notice, or a media
/// placeholder. Only content is analysed and counted as messages by
/// category and role; the others are counted apart.
///
/// ```
/// use jingmin::MessageKind;
/// assert_eq!(MessageKind::Media.name(), "media");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// Something a person wrote.
    Content = 0,
    /// A system notice: someone joined, was invited, left or was removed,
    /// the group was renamed, 拍一拍.
    System = 1,
    /// A recall notice ("…撤回了一条消息").
    Recalled = 2,
    /// A media message or placeholder without text (`[图片]`, `[语音]`,
    /// stickers, files…). A police media message (a voice reply) still
    /// answers cases.
    Media = 3,
}

impl MessageKind {
    /// Every kind, in code order.
    pub const ALL: [MessageKind; 4] = [MessageKind::Content, MessageKind::System, MessageKind::Recalled, MessageKind::Media];

    /// The `snake_case` name.
    pub const fn name(self) -> &'static str {
        match self {
            MessageKind::Content => "content",
            MessageKind::System => "system",
            MessageKind::Recalled => "recalled",
            MessageKind::Media => "media",
        }
    }

    /// The kind of a code (`Content` is 0 … `Media` is 3).
    pub const fn from_code(code: u32) -> Option<Self> {
        Some(match code {
            0 => MessageKind::Content,
            1 => MessageKind::System,
            2 => MessageKind::Recalled,
            3 => MessageKind::Media,
            _ => return None,
        })
    }
}

/// The names inside brackets that stand for media and carry no text, as the
/// WeChat and QQ exports write them.
pub const MEDIA_PLACEHOLDERS: &[&str] =
    &["图片", "语音", "视频", "表情包", "表情", "动画表情", "文件", "语音消息", "视频消息"];

/// The longest text (in characters) still read as a system or recall notice.
const NOTICE_MAX_CHARS: usize = 300;

/// Whether the text is only media placeholders (`[图片]`, `[图片][表情]`),
/// blanks aside.
fn is_media_placeholder(text: &str) -> bool {
    let mut rest = text.trim();
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let Some(r) = rest.strip_prefix('[') else { return false };
        let Some((name, after)) = r.split_once(']') else { return false };
        if !MEDIA_PLACEHOLDERS.contains(&name) {
            return false;
        }
        rest = after.trim_start();
    }
    true
}

/// Recognise system notices, recall notices and media placeholders by their
/// text, as chat exports write them. Everything else is
/// [`MessageKind::Content`].
///
/// ```
/// use jingmin::{classify_kind, MessageKind};
/// assert_eq!(classify_kind("\"李阿姨\"撤回了一条消息"), MessageKind::Recalled);
/// assert_eq!(classify_kind("你撤回了一条消息 重新编辑"), MessageKind::Recalled);
/// assert_eq!(classify_kind("\"王警官\"邀请\"张三\"加入了群聊"), MessageKind::System);
/// assert_eq!(classify_kind("\"张三\"通过扫描\"王警官\"分享的二维码加入群聊"), MessageKind::System);
/// assert_eq!(classify_kind(" [语音] "), MessageKind::Media);
/// assert_eq!(classify_kind("[图片][表情]"), MessageKind::Media);
/// assert_eq!(classify_kind("[图片] 这个是骗子吗"), MessageKind::Content);
/// assert_eq!(classify_kind("请问怎么加入群聊？"), MessageKind::Content);
/// ```
pub fn classify_kind(text: &str) -> MessageKind {
    if is_media_placeholder(text) {
        return MessageKind::Media;
    }
    let t = text.trim();
    if t.is_empty() || t.contains('\n') || t.chars().count() > NOTICE_MAX_CHARS {
        return MessageKind::Content;
    }
    let t = t.strip_suffix("重新编辑").map(str::trim_end).unwrap_or(t);
    if t.ends_with("撤回了一条消息") || t.ends_with("撤回了一条成员消息") {
        return MessageKind::Recalled;
    }
    let quoted = t.starts_with('"') || t.starts_with('“') || t.starts_with('你');
    if t.ends_with("加入了群聊")
        || (t.ends_with("加入群聊") && (t.contains("邀请") || t.contains("二维码")))
        || (quoted && (t.ends_with("移出了群聊") || t.ends_with("退出了群聊") || t.contains("修改群名为")))
    {
        return MessageKind::System;
    }
    MessageKind::Content
}

/// The kind of a record that an export's own fields already mark as a
/// notice (a system message type): a recall when the format says so or the
/// text reads as one, a system notice otherwise.
///
/// ```
/// use jingmin::{classify_notice, MessageKind};
/// assert_eq!(classify_notice("\"李阿姨\"撤回了一条消息", false), MessageKind::Recalled);
/// assert_eq!(classify_notice("", true), MessageKind::Recalled);
/// assert_eq!(classify_notice("\"王警官\"拍了拍\"张三\"", false), MessageKind::System);
/// ```
pub fn classify_notice(text: &str, recall: bool) -> MessageKind {
    if recall || classify_kind(text) == MessageKind::Recalled || text.contains("撤回了一条") {
        MessageKind::Recalled
    } else {
        MessageKind::System
    }
}
