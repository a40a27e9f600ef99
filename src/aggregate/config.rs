//! The aggregator's configuration.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::time::CHINA_STANDARD_TIME;

/// The default answer window: 24 hours.
pub const DEFAULT_ANSWER_WINDOW_SECONDS: i64 = 86_400;

/// The longest answer window accepted: 366 days.
const MAX_ANSWER_WINDOW_SECONDS: i64 = 366 * 86_400;

/// How an [`Aggregator`](crate::Aggregator) reads times and pairs cases with
/// answers. Deserialises from JSON; missing fields take their defaults and
/// unknown fields are refused.
///
/// ```
/// use jingmin::AggregatorConfig;
/// let c = AggregatorConfig::from_json(r#"{"answer_window_seconds": 3600}"#).unwrap();
/// assert_eq!(c.utc_offset_seconds, 8 * 3600);
/// assert_eq!(c.answer_window_seconds, 3600);
/// assert_eq!(AggregatorConfig::from_json("{}").unwrap(), AggregatorConfig::default());
/// assert!(AggregatorConfig::from_json(r#"{"answer_window": 3600}"#).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AggregatorConfig {
    /// The fixed offset, in seconds east of UTC, in which times without an
    /// offset are read, calendar days are cut and the report's `period` is
    /// written. China Standard Time (28800) by default; a whole number of
    /// minutes, less than 24 hours either way. Never the machine's zone.
    pub utc_offset_seconds: i32,
    /// How long after a case opens a police message still counts as its
    /// answer, in seconds (inclusive). 86400 by default; 1 to 31622400.
    pub answer_window_seconds: i64,
}

impl Default for AggregatorConfig {
    fn default() -> Self {
        AggregatorConfig {
            utc_offset_seconds: CHINA_STANDARD_TIME,
            answer_window_seconds: DEFAULT_ANSWER_WINDOW_SECONDS,
        }
    }
}

impl AggregatorConfig {
    /// Read a configuration from JSON (missing fields take their defaults)
    /// and check it.
    pub fn from_json(json: &str) -> Result<Self> {
        let c: AggregatorConfig =
            serde_json::from_str(json).map_err(|e| {
                Error::Config(format!("aggregator configuration: {}", crate::error::describe_json_error(&e)))
            })?;
        c.validate()?;
        Ok(c)
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
    }
}
