"""What the engine concludes about clearly fraudulent and clearly benign
messages, through the binding. These depend on the real engine."""

import pytest

import jingmin


def test_scam_ad(engine):
    s = engine.analyze_many(["招聘居家兼职，宝妈学生均可，手机就能做，一单一结日赚300元，有意加薇信 sdj6688 详聊"])[0]
    assert s.stance is jingmin.Stance.SOLICITATION
    assert s.fraud_type is jingmin.FraudType.TASK_REBATE
    assert s.risk >= 70


def test_disguised_keywords_have_spans_in_the_python_str(engine):
    for text in ["淘寶刷.單，一單一結，傭金5%，加ＶＸ：tbjob886", "😀😀兼职刷😀单，日结300"]:
        a = engine.analyze(text)
        assert jingmin.FraudType.TASK_REBATE in a.fraud.types, text
        assert a.fraud.hits, text
        for h in a.fraud.hits:
            assert text[h.char_start:h.char_end] == h.matched
        assert any(h.obfuscated for h in a.fraud.hits), text


def test_benign_messages(engine):
    for text in ["收到", "今年地里菠菜长得好，3元一斤，要的说一声我送到家"]:
        a = engine.analyze(text, role="resident")
        assert a.fraud.types == [] and a.fraud.stance is jingmin.Stance.NONE and a.fraud.hits == []


def test_masking(engine):
    text = "紧急！谁看到了请告诉我，电话13956201847"
    assert "139****1847" in engine.mask(text)
    phones = [e for e in engine.analyze(text).entities if e.kind is jingmin.EntityKind.PHONE]
    assert [e.text for e in phones] == ["139****1847"]
    raw = [e for e in engine.analyze(text, raw=True).entities if e.kind is jingmin.EntityKind.PHONE]
    assert [e.text for e in raw] == ["13956201847"]
    assert text[raw[0].char_start:raw[0].char_end] == "13956201847"


def test_invalid_lexicon():
    with pytest.raises((jingmin.InvalidLexiconError, jingmin.InvalidJsonError)) as e:
        jingmin.Engine(lexicon="{not json")
    assert e.value.status in (3, 4)
