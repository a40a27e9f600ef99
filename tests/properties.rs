//! Properties over arbitrary input: analysis never panics, every span lies
//! on character boundaries inside the original text and agrees with its
//! character offsets, and masked output never shows a personal number.

use jingmin::{AnalyzeOptions, Engine, Role};
use proptest::prelude::*;

use crate::chatty;
use chatty::chatty;

fn check_spans(text: &str, a: &jingmin::Analysis) -> Result<(), TestCaseError> {
    for h in &a.fraud.hits {
        prop_assert!(h.start <= h.end && h.end <= text.len());
        prop_assert!(text.is_char_boundary(h.start) && text.is_char_boundary(h.end));
        prop_assert_eq!(&text[h.start..h.end], h.matched.as_str());
        prop_assert_eq!(text[..h.start].chars().count(), h.char_start);
        prop_assert_eq!(text[..h.end].chars().count(), h.char_end);
    }
    for e in &a.entities {
        prop_assert!(e.start < e.end && e.end <= text.len());
        prop_assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end));
        prop_assert_eq!(text[..e.start].chars().count(), e.char_start);
        prop_assert_eq!(text[..e.end].chars().count(), e.char_end);
    }
    prop_assert!(a.confidence >= 0.0 && a.confidence <= 1.0);
    prop_assert!(a.fraud.risk <= 100);
    prop_assert_eq!(a.fraud.types.is_empty(), a.fraud.stance == jingmin::Stance::None);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn spans_lie_on_boundaries_inside_the_text(text in chatty(), role in 0u32..3) {
        let role = Role::from_code(role).unwrap_or(Role::Unknown);
        let e = Engine::default();
        let a = e.analyze_with(&text, &AnalyzeOptions { role, raw: true });
        check_spans(&text, &a)?;
        let m = e.analyze_with(&text, &AnalyzeOptions { role, raw: false });
        check_spans(&text, &m)?;
        prop_assert_eq!(a.summary(), e.summarize_with(&text, role));
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,200}") {
        let a = Engine::default().analyze(&text);
        check_spans(&text, &a)?;
    }

    #[test]
    fn masking_hides_personal_numbers(prefix in chatty(), suffix in chatty(), n in 0usize..3) {
        let numbers = ["13912345678", "34040219580312031X", "6228483909960308244"];
        let secret = numbers[n];
        let text = format!("{prefix}，{secret}，{suffix}");
        prop_assume!(text.matches(&secret[4..secret.len() - 4]).count() == 1);
        let e = Engine::default();
        let a = e.analyze_with(&text, &AnalyzeOptions { role: Role::Unknown, raw: true });
        // Only where the number is read as that entity (a digit run glued to
        // more digits is a different number) must it be hidden.
        let found = a.entities.iter().any(|x| x.kind.is_personal() && &text[x.start..x.end] == secret);
        if found {
            let masked = e.mask(&text);
            let middle = &secret[4..secret.len() - 4];
            prop_assert!(!masked.contains(middle), "{} -> {}", text, masked);
            let shown = e.analyze(&text);
            for x in shown.entities.iter().filter(|x| x.kind.is_personal()) {
                prop_assert!(!x.text.contains(middle));
            }
        }
    }
}
