//! The laws of the aggregator, as property tests over random logs: order
//! independence, idempotence, merge in any split, order and tree, snapshots
//! that continue exactly, and refusal of corrupted snapshots.

use jingmin::{CountOptions, 
    Aggregator, AggregatorConfig, Analysis, Category, Engine, Entity, EntityKind, FraudType, Message, Report, Role,
    Stance,
};
use proptest::prelude::*;
use proptest::sample::Index;

const TEXTS: &[&str] = &[
    "请问周六警务室有人吗？",
    "周六上午9-12点有人值班",
    "有人冒充客服让我转账",
    "这是诈骗，别转！",
    "日结300 刷单 加V",
    "收到",
    "[图片]",
    "[语音]",
    "\"李阿姨\"撤回了一条消息",
    "\"王警官\"邀请\"张三\"加入了群聊",
    "楼上装修太吵了",
    "小区门口有可疑车辆",
];

const PHONES: &[&str] = &["139****5678", "188****0001", "wx_abc123", "xx.top/abc"];

#[derive(Clone, Debug)]
struct Item {
    message: Message,
    analysis: Analysis,
}

fn entity(kind: EntityKind, text: &str, value: Option<f64>) -> Entity {
    Entity { kind, text: text.into(), value, start: 0, end: 0, char_start: 0, char_end: 0 }
}

/// 2024-03-01 00:00:00 CST.
const BASE: i64 = 1_709_222_400;

fn time_text(t: i64, style: u8) -> Option<String> {
    let cst = |t: i64| jingmin::format_time(t, 8 * 3600);
    match style {
        0 => Some(t.to_string()),
        1 => Some(cst(t)),
        2 => Some(cst(t).replace('T', " ").trim_end_matches("+08:00").to_string()),
        3 => Some(jingmin::format_time(t, 0).replace("+00:00", "Z")),
        4 => Some(format!("{t}000")),
        5 => None,
        _ => Some("2023-02-29 10:00:00".into()),
    }
}

fn item() -> impl Strategy<Value = Item> {
    let group = prop_oneof![1 => Just(None), 20 => (0..3u8).prop_map(|g| Some(format!("警民群{g}")))];
    let id = prop::option::weighted(0.5, 0..150u32);
    let sender = 0..5u8;
    let role = prop_oneof![Just(Role::Police), Just(Role::Resident), Just(Role::Unknown)];
    // Times over three days; style 5 (missing) and 6 (invalid) are rare.
    let time = (0..3 * 86_400i64, prop_oneof![30 => 0..5u8, 1 => 5..7u8]);
    let text = 0..TEXTS.len();
    let analysis = (0..8u32, 0..5u32, 0..4usize, prop::collection::vec(0..PHONES.len(), 0..3), 0..4u8);
    (group, id, sender, role, time, text, analysis).prop_map(
        |(group, id, sender, role, (t, style), text, (cat, stance, ty, phones, money))| {
            let mut a = Analysis { category: Category::from_code(cat).unwrap(), ..Analysis::default() };
            a.fraud.stance = Stance::from_code(stance).unwrap();
            if a.fraud.stance != Stance::None {
                a.fraud.types = vec![
                    [FraudType::TaskRebate, FraudType::Generic, FraudType::FakeCustomerService, FraudType::Investment]
                        [ty],
                ];
            }
            let kinds = [EntityKind::Phone, EntityKind::Phone, EntityKind::WechatId, EntityKind::Url];
            a.entities = phones.iter().map(|&p| entity(kinds[p], PHONES[p], None)).collect();
            if money > 0 {
                a.entities.push(entity(EntityKind::Money, "钱", Some([0.0, 0.1, 3000.0, 28_000.55][money as usize])));
            }
            Item {
                message: Message {
                    id: id.map(|i| format!("m{i}")),
                    group,
                    sender: Some(format!("s{sender}")),
                    role,
                    time: time_text(BASE + t, style),
                    text: TEXTS[text].into(),
                },
                analysis: a,
            }
        },
    )
}

/// A log with re-read copies of some of its messages.
fn log() -> impl Strategy<Value = Vec<Item>> {
    (prop::collection::vec(item(), 0..40), prop::collection::vec(any::<Index>(), 0..8)).prop_map(|(mut v, dups)| {
        if !v.is_empty() {
            let copies: Vec<Item> = dups.iter().map(|i| v[i.index(v.len())].clone()).collect();
            v.extend(copies);
        }
        v
    })
}

fn feed(items: &[Item]) -> Aggregator {
    let mut agg = Aggregator::default();
    for it in items {
        agg.add(&it.message, &it.analysis);
    }
    agg
}

fn without_duplicates(mut r: Report) -> Report {
    r.messages.duplicates = 0;
    for g in &mut r.groups {
        g.messages.duplicates = 0;
    }
    for d in &mut r.days {
        d.messages.duplicates = 0;
    }
    for s in r.weeks.iter_mut().chain(r.months.iter_mut()) {
        s.messages.duplicates = 0;
    }
    r
}

/// Merge the parts in an order and tree chosen by `choices`: pick two
/// partials, merge one into the other, until one is left.
fn merge_all(mut parts: Vec<Aggregator>, choices: &[(Index, Index)]) -> Aggregator {
    let mut k = 0;
    while parts.len() > 1 {
        let (a, b) = choices.get(k % choices.len().max(1)).map_or((0, 1), |(x, y)| {
            let a = x.index(parts.len());
            let b = y.index(parts.len() - 1);
            (a, if b >= a { b + 1 } else { b })
        });
        k += 1;
        let from = parts[b].clone();
        parts[a].merge(&from).unwrap();
        parts.remove(b);
    }
    parts.pop().unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_permutation_gives_the_same_report(
        (items, shuffled) in log().prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))
    ) {
        let a = feed(&items);
        let b = feed(&shuffled);
        prop_assert_eq!(a.report(), b.report());
        prop_assert_eq!(a.snapshot(), b.snapshot());
    }

    #[test]
    fn feeding_a_subset_again_changes_nothing_but_duplicates(
        items in log(),
        again in prop::collection::vec(any::<Index>(), 0..20),
    ) {
        let once = feed(&items);
        let mut twice = once.clone();
        let mut n = 0u64;
        if !items.is_empty() {
            for i in &again {
                let it = &items[i.index(items.len())];
                prop_assert_eq!(twice.add(&it.message, &it.analysis), jingmin::Added::Duplicate);
                n += 1;
            }
        }
        let (r1, r2) = (once.report(), twice.report());
        prop_assert_eq!(r2.messages.duplicates, r1.messages.duplicates + n);
        prop_assert_eq!(without_duplicates(r1), without_duplicates(r2));
    }

    #[test]
    fn merging_random_splits_in_any_order_and_tree_equals_one_pass(
        items in log(),
        parts in 1..6usize,
        assign in prop::collection::vec(any::<Index>(), 80),
        choices in prop::collection::vec((any::<Index>(), any::<Index>()), 1..8),
    ) {
        let mut split: Vec<Vec<Item>> = vec![Vec::new(); parts];
        for (i, it) in items.iter().enumerate() {
            split[assign[i % assign.len()].index(parts)].push(it.clone());
        }
        let partials: Vec<Aggregator> = split.iter().map(|p| feed(p)).collect();
        let merged = merge_all(partials, &choices);
        let single = feed(&items);
        prop_assert_eq!(merged.report(), single.report());
        prop_assert_eq!(merged.snapshot(), single.snapshot());
    }

    #[test]
    fn merge_is_commutative_and_associative(a in log(), b in log(), c in log()) {
        let (fa, fb, fc) = (feed(&a), feed(&b), feed(&c));
        let mut ab = fa.clone();
        ab.merge(&fb).unwrap();
        let mut ba = fb.clone();
        ba.merge(&fa).unwrap();
        prop_assert_eq!(ab.report(), ba.report());
        let mut ab_c = ab.clone();
        ab_c.merge(&fc).unwrap();
        let mut bc = fb.clone();
        bc.merge(&fc).unwrap();
        let mut a_bc = fa.clone();
        a_bc.merge(&bc).unwrap();
        prop_assert_eq!(ab_c.report(), a_bc.report());
        prop_assert_eq!(ab_c.snapshot(), a_bc.snapshot());
    }

    #[test]
    fn splitting_by_group_or_by_day_and_merging_equals_one_pass(items in log()) {
        let single = feed(&items);
        let mut by_group: std::collections::BTreeMap<Option<String>, Vec<Item>> = Default::default();
        let mut by_day: std::collections::BTreeMap<Option<String>, Vec<Item>> = Default::default();
        for it in &items {
            by_group.entry(it.message.group.clone()).or_default().push(it.clone());
            let day = it.message.time.as_deref().and_then(|t| jingmin::parse_time(t, 8 * 3600).ok())
                .map(|t| jingmin::calendar_day(t, 8 * 3600));
            by_day.entry(day).or_default().push(it.clone());
        }
        for split in [by_group, by_day] {
            let mut merged = Aggregator::default();
            for part in split.values().rev() {
                merged.merge(&feed(part)).unwrap();
            }
            prop_assert_eq!(merged.report(), single.report());
        }
    }

    #[test]
    fn snapshot_after_n_then_the_rest_equals_all(items in log(), cut in any::<Index>()) {
        let n = cut.index(items.len() + 1);
        let first = feed(&items[..n]);
        let snap = first.snapshot();
        let mut restored = Aggregator::restore(&snap).unwrap();
        prop_assert_eq!(restored.report(), first.report());
        prop_assert_eq!(restored.snapshot(), snap);
        for it in &items[n..] {
            restored.add(&it.message, &it.analysis);
        }
        let all = feed(&items);
        prop_assert_eq!(restored.report(), all.report());
        prop_assert_eq!(restored.snapshot(), all.snapshot());
    }

    #[test]
    fn restore_refuses_newer_truncated_and_bit_flipped_snapshots(
        items in log(),
        cut in any::<Index>(),
        flip in any::<Index>(),
        bit in 0..8u8,
    ) {
        let snap = feed(&items).snapshot();
        let newer = snap.replacen("\"version\":2", "\"version\":999", 1);
        let e = Aggregator::restore(&newer).unwrap_err().to_string();
        prop_assert!(e.contains("999") && e.contains("newer"), "{}", e);

        let mut k = cut.index(snap.len());
        while !snap.is_char_boundary(k) {
            k -= 1;
        }
        prop_assert!(Aggregator::restore(&snap[..k]).is_err());

        let mut bytes = snap.clone().into_bytes();
        let i = flip.index(bytes.len());
        bytes[i] ^= 1 << bit;
        if let Ok(text) = String::from_utf8(bytes) {
            let r = Aggregator::restore(&text);
            prop_assert!(r.is_err(), "flipping bit {} of byte {} was accepted", bit, i);
        }
    }

    #[test]
    fn the_laws_hold_with_the_engine_too(
        picks in prop::collection::vec((0..TEXTS.len(), 0..3u8, 0..3u8, 0..86_400i64), 0..30),
        order in any::<u64>(),
    ) {
        let engine = Engine::default();
        let roles = [Role::Police, Role::Resident, Role::Unknown];
        let msgs: Vec<Message> = picks.iter().map(|&(t, g, r, s)| Message {
            id: None,
            group: Some(format!("g{g}")),
            sender: Some(format!("{r}")),
            role: roles[r as usize],
            time: Some((BASE + s).to_string()),
            text: TEXTS[t].into(),
        }).collect();
        let mut a = Aggregator::default();
        for m in &msgs {
            a.add_with(&engine, m, &CountOptions::default());
        }
        let mut rotated = msgs.clone();
        if !rotated.is_empty() {
            let k = (order % rotated.len() as u64) as usize;
            rotated.rotate_left(k);
            rotated.reverse();
        }
        let mut b = Aggregator::default();
        for m in rotated.iter().chain(msgs.iter().take(3)) {
            b.add_with(&engine, m, &CountOptions::default());
        }
        prop_assert_eq!(without_duplicates(a.report()), without_duplicates(b.report()));
        prop_assert_eq!(a.len(), b.len());
    }
}

#[test]
fn config_travels_with_the_snapshot() {
    let config = AggregatorConfig { utc_offset_seconds: 0, answer_window_seconds: 600, ..Default::default() };
    let agg = Aggregator::new(config).unwrap();
    let back = Aggregator::restore(&agg.snapshot()).unwrap();
    assert_eq!(back.config(), &config);
}
