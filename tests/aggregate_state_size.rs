//! Measures the aggregator's state per distinct message, in memory (with a
//! counting allocator of `tests/alloc.rs`, per thread) and as a snapshot, on a
//! realistic random log.

use jingmin::{Aggregator, Analysis, Category, Entity, EntityKind, FraudType, Message, Role, Stance};

use crate::alloc::live;

#[test]
fn state_bytes_per_message() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut rnd = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
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
