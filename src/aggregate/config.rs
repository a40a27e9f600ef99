//! The aggregator's configuration.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::time::{CHINA_STANDARD_TIME, MAX_TIME, MIN_TIME};

/// The default answer window: 24 hours.
pub const DEFAULT_ANSWER_WINDOW_SECONDS: i64 = 86_400;

/// The longest answer window accepted: 366 days.
const MAX_ANSWER_WINDOW_SECONDS: i64 = 366 * 86_400;

/// The default earliest plausible message time: 2000-01-01T00:00:00Z.
pub const DEFAULT_EARLIEST_TIME: i64 = 946_684_800;

/// How far past the clock a message time may lie by default (one day, for
/// clocks that are off): later times are `invalid_time`.
pub const LATEST_TIME_AHEAD_SECONDS: i64 = 86_400;

/// How an [`Aggregator`](crate::Aggregator) reads times and pairs cases with
/// answers. Deserialises from a JSON object (anything else is refused);
/// missing fields take their defaults and unknown fields are refused.
///
/// ```
/// use jingmin::AggregatorConfig;
/// let c = AggregatorConfig::from_json(r#"{"answer_window_seconds": 3600}"#).unwrap();
/// assert_eq!(c.utc_offset_seconds, 8 * 3600);
/// assert_eq!(c.answer_window_seconds, 3600);
/// assert_eq!(AggregatorConfig::from_json("{}").unwrap(), AggregatorConfig::default());
/// assert!(AggregatorConfig::from_json(r#"{"answer_window": 3600}"#).is_err());
/// assert!(AggregatorConfig::from_json("[28800, 3600]").is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct AggregatorConfig {
    /// The fixed offset, in seconds east of UTC, in which times without an
    /// offset are read, calendar days are cut and the report's `period` is
    /// written. China Standard Time (28800) by default; a whole number of
    /// minutes, less than 24 hours either way. Never the machine's zone.
    pub utc_offset_seconds: i32,
    /// How long after a case opens a police message still counts as its
    /// answer, in seconds (inclusive). 86400 by default; 1 to 31622400.
    pub answer_window_seconds: i64,
    /// The earliest plausible message time, Unix seconds (inclusive):
    /// earlier times are counted as `invalid_time`. 2000-01-01T00:00:00Z
    /// ([`DEFAULT_EARLIEST_TIME`]) by default.
    #[serde(skip_serializing_if = "is_default_earliest")]
    pub earliest_time: i64,
    /// The latest plausible message time, Unix seconds (inclusive); `None`
    /// (the default): one day past the clock when the message is added
    /// ([`LATEST_TIME_AHEAD_SECONDS`]). Later times are `invalid_time`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_time: Option<i64>,
    /// Keep what the report's drill-down lists show (`false` by default):
    /// the sender and the text (as shown: masked unless counted raw, at
    /// most [`DRILL_DOWN_TEXT_CHARS`] characters) of every message that
    /// opens a case, of every solicitation and of every victim report.
    /// It costs memory and snapshot size in proportion to those messages;
    /// without it the lists are empty.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub drill_down: bool,
}

/// The longest text kept for a drill-down list, in characters; a longer
/// one is cut there and ends with `…`.
pub const DRILL_DOWN_TEXT_CHARS: usize = 200;

fn is_default_earliest(t: &i64) -> bool {
    *t == DEFAULT_EARLIEST_TIME
}

impl Default for AggregatorConfig {
    fn default() -> Self {
        AggregatorConfig {
            utc_offset_seconds: CHINA_STANDARD_TIME,
            answer_window_seconds: DEFAULT_ANSWER_WINDOW_SECONDS,
            earliest_time: DEFAULT_EARLIEST_TIME,
            latest_time: None,
            drill_down: false,
        }
    }
}

/// The configuration as JSON writes it: only an object, fields by name.
#[derive(Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ConfigFields {
    utc_offset_seconds: i32,
    answer_window_seconds: i64,
    earliest_time: i64,
    latest_time: Option<i64>,
    drill_down: bool,
}

impl Default for ConfigFields {
    fn default() -> Self {
        let d = AggregatorConfig::default();
        ConfigFields {
            utc_offset_seconds: d.utc_offset_seconds,
            answer_window_seconds: d.answer_window_seconds,
            earliest_time: d.earliest_time,
            latest_time: d.latest_time,
            drill_down: d.drill_down,
        }
    }
}

impl<'de> Deserialize<'de> for AggregatorConfig {
    /// From a JSON object only: serde would read a struct from an array
    /// too (`[28800, 3600]`, field by position), which is refused.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        let map = serde_json::Map::<String, serde_json::Value>::deserialize(d)
            .map_err(|_| D::Error::custom("expected a JSON object"))?;
        let f: ConfigFields = serde_json::from_value(serde_json::Value::Object(map)).map_err(D::Error::custom)?;
        Ok(AggregatorConfig {
            utc_offset_seconds: f.utc_offset_seconds,
            answer_window_seconds: f.answer_window_seconds,
            earliest_time: f.earliest_time,
            latest_time: f.latest_time,
            drill_down: f.drill_down,
        })
    }
}

impl AggregatorConfig {
    /// Read a configuration from JSON (missing fields take their defaults)
    /// and check it.
    pub fn from_json(json: &str) -> Result<Self> {
        let json = json.strip_prefix('\u{feff}').unwrap_or(json);
        let value: serde_json::Value = serde_json::from_str(json).map_err(|e| {
            Error::Config(format!("aggregator configuration: {}", crate::error::describe_json_error(&e)))
        })?;
        if !value.is_object() {
            return Err(Error::Config("aggregator configuration: expected a JSON object".into()));
        }
        let c: AggregatorConfig = serde_json::from_value(value).map_err(|e| {
            Error::Config(format!("aggregator configuration: {}", crate::error::describe_json_error(&e)))
        })?;
        c.validate()?;
        Ok(c)
    }

    /// The plausible range of message times for a message added now:
    /// `earliest_time` to `latest_time`, or to the clock plus a day.
    pub(crate) fn time_range(&self) -> (i64, i64) {
        let latest = self.latest_time.unwrap_or_else(|| {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
            now.saturating_add(LATEST_TIME_AHEAD_SECONDS)
        });
        (self.earliest_time, latest)
    }

    /// Check the values: `Err(Error::Config)` naming the field when one is
    /// out of range.
    ///
    /// ```
    /// let mut c = jingmin::AggregatorConfig::default();
    /// c.answer_window_seconds = 0;
    /// assert!(c.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<()> {
        if self.utc_offset_seconds.abs() >= 86_400 || self.utc_offset_seconds % 60 != 0 {
            return Err(Error::Config(format!(
                "utc_offset_seconds: {} is not a whole number of minutes less than 24 hours either way",
                self.utc_offset_seconds
            )));
        }
        if !(1..=MAX_ANSWER_WINDOW_SECONDS).contains(&self.answer_window_seconds) {
            return Err(Error::Config(format!(
                "answer_window_seconds: {} is out of range 1-{MAX_ANSWER_WINDOW_SECONDS}",
                self.answer_window_seconds
            )));
        }
        let range = MIN_TIME..=MAX_TIME;
        if !range.contains(&self.earliest_time) {
            return Err(Error::Config(format!(
                "earliest_time: {} is not a Unix time from year 0 to 9999",
                self.earliest_time
            )));
        }
        if let Some(latest) = self.latest_time {
            if !range.contains(&latest) || latest < self.earliest_time {
                return Err(Error::Config(format!(
                    "latest_time: {latest} is not a Unix time from earliest_time ({}) to the year 9999",
                    self.earliest_time
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_values_are_named() {
        let e = AggregatorConfig::from_json(r#"{"utc_offset_seconds": 30}"#).unwrap_err().to_string();
        assert!(e.contains("utc_offset_seconds"), "{e}");
        let e = AggregatorConfig::from_json(r#"{"utc_offset_seconds": 86400}"#).unwrap_err().to_string();
        assert!(e.contains("utc_offset_seconds"), "{e}");
        let e = AggregatorConfig::from_json(r#"{"answer_window_seconds": -5}"#).unwrap_err().to_string();
        assert!(e.contains("answer_window_seconds"), "{e}");
        assert!(AggregatorConfig::from_json("\"x\"").is_err());
        assert!(AggregatorConfig::from_json("{").is_err());
        let c = AggregatorConfig::from_json(r#"{"utc_offset_seconds": -18000}"#).unwrap();
        assert_eq!(c.utc_offset_seconds, -18000);
        assert_eq!(c.answer_window_seconds, 86_400);
        for bad in ["[]", "[0,60]", "[28800, 3600, 0]", "null", "7"] {
            let e = AggregatorConfig::from_json(bad).unwrap_err().to_string();
            assert!(e.contains("object"), "{bad}: {e}");
        }
        // Inside another document (a snapshot) too.
        assert!(serde_json::from_str::<AggregatorConfig>("[0, 60]").is_err());
        assert_eq!(serde_json::from_str::<AggregatorConfig>("{}").unwrap(), AggregatorConfig::default());
        let e = AggregatorConfig::from_json(r#"{"latest_time": 5}"#).unwrap_err().to_string();
        assert!(e.contains("latest_time"), "{e}");
        // The defaults are not written: a default configuration reads as before.
        assert_eq!(
            serde_json::to_string(&AggregatorConfig::default()).unwrap(),
            r#"{"utc_offset_seconds":28800,"answer_window_seconds":86400}"#
        );
    }
}
