//! Tests of the aggregator's internals; the laws and the report are tested
//! through the public API in `tests/aggregate*.rs`.

use super::*;
use crate::types::EntityKind;

#[test]
fn fields_round_trip_through_their_packing() {
    let mut n = 0;
    for kind in [MessageKind::Content, MessageKind::System, MessageKind::Recalled, MessageKind::Media] {
        for role in Role::ALL {
            for category in Category::ALL {
                for stance in Stance::ALL {
                    for fraud in FraudType::ALL {
                        let f = Fields {
                            kind,
                            role: *role,
                            category: *category,
                            stance: *stance,
                            fraud: *fraud,
                            rejected: None,
                        };
                        let decoded = Fields::decode(f.encode());
                        if kind == MessageKind::Content
                            || (f.category == Category::Other && f.stance == Stance::None && f.fraud == FraudType::None)
                        {
                            assert_eq!(decoded, Some(f));
                            n += 1;
                        } else {
                            assert_eq!(decoded, None, "non-canonical packing accepted");
                        }
                    }
                }
            }
        }
    }
    assert!(n > 1000);
    for r in RejectReason::ALL {
        let f = Fields {
            kind: MessageKind::Content,
            role: Role::Unknown,
            category: Category::Other,
            stance: Stance::None,
            fraud: FraudType::None,
            rejected: Some(*r),
        };
        assert_eq!(Fields::decode(f.encode()), Some(f));
        let with_role = Fields { role: Role::Police, ..f };
        assert_eq!(Fields::decode(with_role.encode()), None);
    }
    // Unused bits, an out-of-range category code or stance code are refused.
    assert_eq!(Fields::decode(1 << 20), None);
    assert_eq!(Fields::decode(5 << 7), None);
    assert_eq!(Fields::decode(3 << 2), None);
    assert_eq!(Fields::decode(31 << 10), None);
}

#[test]
fn dedup_key_uses_group_and_id_else_the_content() {
    let base = Message {
        id: Some("7".into()),
        group: Some("g1".into()),
        sender: Some("a".into()),
        role: Role::Resident,
        time: Some("2024-03-01 10:00:00".into()),
        text: "你好".into(),
    };
    let k = |m: &Message| {
        let g = m.group.as_deref();
        let t = m.time.as_deref().and_then(|t| crate::time::parse_time(t, 28_800).ok());
        dedup_key(m, g, t, m.time.as_deref())
    };
    // Same id in the same group: same key whatever the rest.
    assert_eq!(k(&base), k(&Message { text: "别的".into(), ..base.clone() }));
    // Same id in another group: another message.
    assert_ne!(k(&base), k(&Message { group: Some("g2".into()), ..base.clone() }));
    let no_id = Message { id: None, ..base.clone() };
    // Without id: the same instant written differently is the same message.
    assert_eq!(k(&no_id), k(&Message { time: Some("2024-03-01T02:00:00Z".into()), ..no_id.clone() }));
    assert_ne!(k(&no_id), k(&Message { sender: Some("b".into()), ..no_id.clone() }));
    assert_ne!(k(&no_id), k(&Message { sender: None, ..no_id.clone() }));
    assert_ne!(k(&no_id), k(&Message { text: "你好!".into(), ..no_id.clone() }));
    assert_ne!(k(&no_id), k(&Message { time: Some("2024-03-01 10:00:01".into()), ..no_id.clone() }));
    // An empty id counts as none.
    assert_eq!(k(&no_id), k(&Message { id: Some(String::new()), ..no_id.clone() }));
    // Pinned: keys must not change between versions, or snapshots would stop
    // de-duplicating against new input.
    assert_eq!((k(&base), k(&no_id)), (332_797_465_897_224_165, 376_956_083_500_733_928));
}

#[test]
fn the_kept_copy_does_not_depend_on_arrival_order() {
    let m = Message {
        id: Some("x".into()),
        group: Some("g".into()),
        time: Some("2024-03-01 10:00:00".into()),
        ..Message::new("问一下")
    };
    let a1 = Analysis { category: Category::Service, ..Analysis::default() };
    let a2 = Analysis { category: Category::Safety, ..Analysis::default() };
    let mut x = Aggregator::default();
    x.add(&m, &a1);
    x.add(&m, &a2);
    let mut y = Aggregator::default();
    y.add(&m, &a2);
    y.add(&m, &a1);
    assert_eq!(x.snapshot(), y.snapshot());
    assert_eq!(x.report().messages.duplicates, 1);
    assert_eq!(x.len(), 1);
}

#[test]
fn classify_kind_examples() {
    for (text, kind) in [
        ("\"李阿姨\"撤回了一条消息", MessageKind::Recalled),
        ("李阿姨撤回了一条消息", MessageKind::Recalled),
        ("你撤回了一条消息", MessageKind::Recalled),
        ("\"王警官\"撤回了一条成员消息", MessageKind::Recalled),
        ("\"王警官\"邀请\"张三\"、\"李四\"加入了群聊", MessageKind::System),
        ("张三加入了群聊", MessageKind::System),
        ("\"李四\"通过扫描\"王警官\"分享的二维码加入群聊", MessageKind::System),
        ("你将\"张三\"移出了群聊", MessageKind::System),
        ("\"王警官\"修改群名为\"淮河路警民议事群\"", MessageKind::System),
        ("[图片]", MessageKind::Media),
        ("[语音]", MessageKind::Media),
        ("[视频]", MessageKind::Media),
        ("[表情包]", MessageKind::Media),
        ("[文件]", MessageKind::Media),
        ("[动画表情]", MessageKind::Media),
        ("[图片][图片]", MessageKind::Media),
        ("[表情]", MessageKind::Media),
        ("[语音消息]", MessageKind::Media),
        ("收到", MessageKind::Content),
        ("", MessageKind::Content),
        ("我不小心退出了群聊", MessageKind::Content),
        ("怎么加入群聊", MessageKind::Content),
        ("有人撤回了一条消息，\n是不是骗子发的？", MessageKind::Content),
    ] {
        assert_eq!(classify_kind(text), kind, "{text}");
    }
    let long = format!("{}撤回了一条消息", "很长的一段话".repeat(60));
    assert_eq!(classify_kind(&long), MessageKind::Content);
}

#[test]
fn extras_keep_only_indicators_of_solicitations_and_money_of_victims() {
    use crate::analysis::Entity;
    let ent = |kind, text: &str, value| Entity {
        kind,
        text: text.into(),
        value,
        start: 0,
        end: 0,
        char_start: 0,
        char_end: 0,
    };
    let mut a = Analysis::default();
    a.fraud.stance = Stance::Solicitation;
    a.entities = vec![
        ent(EntityKind::Phone, "139****5678", None),
        ent(EntityKind::Money, "300元", Some(300.0)),
        ent(EntityKind::WechatId, "abc123", None),
        ent(EntityKind::Phone, "139****5678", None),
        ent(EntityKind::LicensePlate, "皖D12345", None),
    ];
    let e = extra_of(&a, None).unwrap();
    assert_eq!(e.money_fen, 0);
    assert_eq!(
        e.indicators,
        vec![(EntityKind::Phone, "139****5678".to_string()), (EntityKind::WechatId, "abc123".to_string())]
    );
    a.fraud.stance = Stance::VictimReport;
    a.entities.push(ent(EntityKind::Money, "0.105万", Some(1050.004)));
    a.entities.push(ent(EntityKind::Money, "bad", Some(f64::NAN)));
    a.entities.push(ent(EntityKind::Money, "neg", Some(-5.0)));
    let e = extra_of(&a, None).unwrap();
    assert_eq!(e.money_fen, 30_000 + 105_000);
    assert!(e.indicators.is_empty());
    a.fraud.stance = Stance::Warning;
    assert!(extra_of(&a, None).is_none());
}
