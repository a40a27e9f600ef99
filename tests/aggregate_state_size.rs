//! Measures the aggregator's state per distinct message, in memory (with a
//! counting allocator of `tests/alloc.rs`, per thread) and as a snapshot, on a
//! realistic random log.

use jingmin::{Aggregator, Analysis, Category, Entity, EntityKind, FraudType, Message, Role, Stance};

use crate::alloc::live;

#[test]
fn state_bytes_per_message() {
    let mut rnd = crate::rng::xorshift(0x9e37_79b9_7f4a_7c15);
    let n = 50_000u64;
    let before = live();
    let mut agg = Aggregator::default();
    for i in 0..n {
        let role = if rnd(5) == 0 { Role::Police } else { Role::Resident };
        let t = 1_709_258_400 + rnd(30 * 86_400) as i64;
        // Half the messages carry an id, half are de-duplicated by content.
        let m = Message {
            id: if i % 2 == 0 { Some(format!("wx-{i}")) } else { None },
            group: Some(format!("淮河路派出所-警民议事群{}", rnd(12))),
            sender: Some(format!("wxid_{}", rnd(300))),
            role,
            time: Some(jingmin::format_time(t, 8 * 3600)),
            text: format!("消息{i}"),
        };
        let mut a = Analysis { category: Category::ALL[rnd(8) as usize], ..Analysis::default() };
        if rnd(40) == 0 {
            a.fraud.stance = Stance::Solicitation;
            a.fraud.types = vec![FraudType::TaskRebate];
            a.entities = vec![Entity {
                kind: EntityKind::Phone,
                text: format!("139****{:04}", rnd(50)),
                value: None,
                start: 0,
                end: 0,
                char_start: 0,
                char_end: 0,
            }];
        }
        agg.add(&m, &a);
        if rnd(10) == 0 {
            agg.add(&m, &a);
        }
    }
    let in_memory = (live() - before) as f64 / agg.len() as f64;
    let snap = agg.snapshot();
    let in_snapshot = snap.len() as f64 / agg.len() as f64;
    println!(
        "{} distinct messages: {in_memory:.1} bytes per message in memory, {in_snapshot:.1} in the snapshot",
        agg.len()
    );
    assert_eq!(agg.len() as u64, n);
    assert!(in_memory < 64.0, "{in_memory:.1} bytes per message in memory");
    assert!(in_snapshot < 64.0, "{in_snapshot:.1} bytes per message in the snapshot");
}

/// With the drill-down texts kept (`AggregatorConfig::drill_down`, the
/// command line's default) the state grows by the senders and texts of the
/// messages that open cases, solicitations and victim reports: measured
/// here on the same kind of log, and bounded per such message.
#[test]
fn drill_down_state_per_kept_message() {
    let mut rnd = crate::rng::xorshift(0x2545_f491_4f6c_dd1d);
    let n = 20_000u64;
    let config = jingmin::AggregatorConfig { drill_down: true, ..Default::default() };
    let (mut lean, mut full) = (Aggregator::default(), Aggregator::new(config).unwrap());
    let (mut lean_bytes, mut full_bytes) = (0i64, 0i64);
    for i in 0..n {
        let role = if rnd(5) == 0 { Role::Police } else { Role::Resident };
        let t = 1_709_258_400 + rnd(30 * 86_400) as i64;
        let m = Message {
            id: Some(format!("wx-{i}")),
            group: Some(format!("淮河路派出所-警民议事群{}", rnd(12))),
            sender: Some(format!("wxid_{}", rnd(300))),
            role,
            time: Some(jingmin::format_time(t, 8 * 3600)),
            // A typical question or notice: 20 to 60 characters.
            text: "请问小区门口的监控坏了应该找哪个部门修理".repeat(1 + rnd(3) as usize),
        };
        let a = Analysis { category: Category::ALL[rnd(8) as usize], ..Analysis::default() };
        let before = live();
        lean.add(&m, &a);
        lean_bytes += live() - before;
        let before = live();
        full.add(&m, &a);
        full_bytes += live() - before;
    }
    let kept = full.report().cases.opened;
    let extra = (full_bytes - lean_bytes) as f64 / kept as f64;
    let snap_extra = (full.snapshot().len() - lean.snapshot().len()) as f64 / kept as f64;
    println!(
        "{n} messages, {kept} with drill-down texts: {:.1} bytes per message without, {:.1} with; \
         {extra:.0} bytes of state and {snap_extra:.0} of snapshot per kept message",
        lean_bytes as f64 / n as f64,
        full_bytes as f64 / n as f64
    );
    assert_eq!(lean.report().cases, full.report().cases);
    // The texts here are 20 to 60 characters (60 to 180 bytes of UTF-8):
    // the rest is the map entry and the sender's index.
    assert!(extra < 260.0, "{extra:.0} bytes per kept message");
    assert!(snap_extra < 260.0, "{snap_extra:.0} bytes of snapshot per kept message");
}
