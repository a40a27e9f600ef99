//! Issue 12, item 5: one rule for Unix times (seconds, or milliseconds by
//! digit count: up to 12 digits are seconds, 13 milliseconds) and a
//! plausible range, configurable, outside which a time is `invalid_time`.

use jingmin::{Added, Aggregator, Engine, RejectReason};

fn add(agg: &mut Aggregator, time: &str) -> Added {
    let tag = time.replace('"', "q");
    let json = format!("{{\"group\":\"g\",\"time\":{time},\"text\":\"收到{tag}\"}}");
    agg.add_json(&Engine::default(), &json).unwrap()
}

const INVALID: Added = Added::Rejected(RejectReason::InvalidTime);

#[test]
fn the_default_range_is_2000_to_tomorrow() {
    let mut agg = Aggregator::default();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    assert_eq!(add(&mut agg, "946684800"), Added::New);
    assert_eq!(add(&mut agg, "946684799"), INVALID);
    assert_eq!(add(&mut agg, "0"), INVALID);
    assert_eq!(add(&mut agg, "\"0\""), INVALID);
    assert_eq!(add(&mut agg, "170925840000"), INVALID);
    assert_eq!(add(&mut agg, "13987654321"), INVALID);
    assert_eq!(add(&mut agg, "1709258400000"), Added::New);
    assert_eq!(add(&mut agg, &format!("{}", now + 3600)), Added::New);
    assert_eq!(add(&mut agg, &format!("{}", now + 2 * 86_400)), INVALID);
    assert_eq!(add(&mut agg, "\"2407-05-01T00:00:00+08:00\""), INVALID);
    let r = agg.report();
    assert_eq!(r.messages.rejected.by_reason[&RejectReason::InvalidTime], 7);
    // The period is not stretched by a phone number in the time field.
    assert!(r.period.to.as_deref().is_some_and(|t| t < "2100"), "{:?}", r.period);
}

#[test]
fn the_range_is_configurable() {
    let mut agg =
        Aggregator::from_config_json(r#"{"earliest_time": 0, "latest_time": 253402300799}"#).unwrap();
    assert_eq!(add(&mut agg, "0"), Added::New);
    assert_eq!(add(&mut agg, "170925840000"), Added::New);
    let mut agg = Aggregator::from_config_json(r#"{"earliest_time": 1704067200, "latest_time": 1735689599}"#).unwrap();
    assert_eq!(add(&mut agg, "1709258400"), Added::New);
    assert_eq!(add(&mut agg, "1735689600"), INVALID);
    assert_eq!(add(&mut agg, "1704067199"), INVALID);
    // The range travels in snapshots and must agree for a merge.
    let back = Aggregator::restore(&agg.snapshot()).unwrap();
    assert_eq!(back.config(), agg.config());
    assert!(Aggregator::default().merge(&agg).is_err());
    for bad in [r#"{"earliest_time": 10, "latest_time": 5}"#, r#"{"latest_time": -1e30}"#, r#"{"earliest_time": "x"}"#] {
        assert!(Aggregator::from_config_json(bad).is_err(), "{bad}");
    }
    // A snapshot of the default configuration is as before.
    let snap = Aggregator::default().snapshot();
    assert!(snap.contains("\"config\":{\"utc_offset_seconds\":28800,\"answer_window_seconds\":86400}"), "{snap}");
}

#[test]
fn one_digit_rule_for_unix_times() {
    let cst = jingmin::CHINA_STANDARD_TIME;
    assert_eq!(jingmin::parse_time("1709258400", cst).unwrap(), 1_709_258_400);
    assert_eq!(jingmin::parse_time("1709258400123", cst).unwrap(), 1_709_258_400);
    assert_eq!(jingmin::parse_time("170925840000", cst).unwrap(), 170_925_840_000);
    assert!(jingmin::parse_time("17092584000000", cst).is_err());
}
