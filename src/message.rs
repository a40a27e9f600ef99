//! A chat message as the library reads it (taxonomy §4).
//!
//! ```
//! let m: jingmin::Message = serde_json::from_str(
//!     r#"{"id":"g1-1","group":"警民群","sender":"民警魏某","role":"police",
//!         "time":"2022-11-16T09:03:00+08:00","text":"收到"}"#).unwrap();
//! assert_eq!(m.role, jingmin::Role::Police);
//! assert_eq!(m.time.as_deref(), Some("2022-11-16T09:03:00+08:00"));
//!
//! // Unix seconds may come as a number; only `text` is required.
//! let m: jingmin::Message = serde_json::from_str(r#"{"time":1668560580,"text":"好"}"#).unwrap();
//! assert_eq!(m.time.as_deref(), Some("1668560580"));
//! ```

use serde::{Deserialize, Deserializer, Serialize};

use crate::types::Role;

/// One chat message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Identifier, unique within its source. Numbers are read as their
    /// decimal text.
    #[serde(default, deserialize_with = "string_or_number", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The group (chat room) the message was posted in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The sender's name or id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    /// Who sent it; `unknown` when not given.
    #[serde(default)]
    pub role: Role,
    /// When it was sent: RFC 3339, `YYYY-MM-DD HH:MM:SS` (China Standard
    /// Time) or Unix seconds. Kept as given; numbers are read as their
    /// decimal text.
    #[serde(default, deserialize_with = "string_or_number", skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The message text.
    pub text: String,
}

impl Message {
    /// A message with only a text.
    ///
    /// ```
    /// let m = jingmin::Message::new("请问警务室几点开门？");
    /// assert_eq!(m.role, jingmin::Role::Unknown);
    /// ```
    pub fn new(text: impl Into<String>) -> Self {
        Message { text: text.into(), ..Message::default() }
    }

    /// The same message with a role.
    pub fn with_role(mut self, role: Role) -> Self {
        self.role = role;
        self
    }
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        S(String),
        I(i64),
        U(u64),
        F(f64),
    }
    Ok(match Option::<Raw>::deserialize(d)? {
        None => None,
        Some(Raw::S(s)) => Some(s),
        Some(Raw::I(i)) => Some(i.to_string()),
        Some(Raw::U(u)) => Some(u.to_string()),
        Some(Raw::F(f)) => Some(f.to_string()),
    })
}
