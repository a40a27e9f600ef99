//! Placeholder until masking lands.
use crate::types::EntityKind;
pub(crate) fn mask_entity(_kind: EntityKind, original: &str) -> String { original.chars().map(|c| if c.is_ascii_digit() { '*' } else { c }).collect() }
pub(crate) fn mask_spans(text: &str, _spans: &[(EntityKind, usize, usize)]) -> String { text.to_owned() }
