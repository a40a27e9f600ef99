"""Issue 12 through the Python binding: no personal number survives a
default output (item 1); roles are validated, batch errors name the
message, configurations are objects (item 13); one rule for times (item 5)."""

import dataclasses
import json
import random

import pytest

import jingmin

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def mobile(rng):
    return "1" + str(rng.randint(3, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(9))


def id_number(rng):
    s17 = "%d%05d%04d%02d%02d%03d" % (
        rng.randint(1, 8), rng.randint(0, 99999), rng.randint(1930, 2020), rng.randint(1, 12), rng.randint(1, 28),
        rng.randint(0, 999))
    return s17 + "10X98765432"[sum(int(d) * w for d, w in zip(s17, W)) % 11]


def card(rng):
    body = [int(c) for c in rng.choice(["62", "4", "53"])]
    n = rng.randint(16, 19)
    while len(body) < n - 1:
        body.append(rng.randint(0, 9))
    total = 0
    for i, d in enumerate(reversed(body)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    body.append((10 - total % 10) % 10)
    return "".join(map(str, body))


BEFORE = ["加微信：", "微信号 ", "vx:", "威信", "加v ", "QQ：", "qq号是", "扣扣 ", "电话", "卡号：", "身份证号", "，"]
AFTER = ["", "，刷单日结", "。", " 谢谢"]
OPENING = ["刷单日结，一单一结，", "这是诈骗吗？", "大家好，", ""]


def message(rng):
    text, numbers = rng.choice(OPENING), []
    for _ in range(rng.randint(1, 3)):
        n = rng.choice([mobile, id_number, card])(rng)
        text += rng.choice(BEFORE) + n + rng.choice(AFTER)
        numbers.append(n)
    return text, numbers


def assert_none_shown(what, output, numbers):
    for n in numbers:
        assert n not in output and n.lower() not in output, "%s: %s survives in %s" % (what, n, output)


def test_no_personal_number_survives_a_default_output():
    rng = random.Random(12)
    engine = jingmin.Engine()
    agg = jingmin.Aggregator(engine=engine)
    batch, everything = [], []
    for i in range(300):
        text, numbers = message(rng)
        everything += numbers
        a = engine.analyze(text, role="resident")
        assert_none_shown("Engine.analyze", repr(a) + json.dumps(dataclasses.asdict(a), ensure_ascii=False), numbers)
        assert_none_shown("Engine.mask", engine.mask(text), numbers)
        m = {"id": "m%d" % i, "group": "警民群", "role": "unknown", "time": "2024-03-01 10:00:00", "text": text}
        agg.add(m)
        batch.append(dict(m, id="b%d" % i))
    agg.add_many(batch)
    assert_none_shown("Aggregator.report_json", agg.report_json(), everything)
    assert_none_shown("Aggregator.snapshot", agg.snapshot(), everything)
    assert agg.report()["fraud"]["solicitation_indicators"], "the indicators are there, masked"
    # Errors that could quote a number.
    n = everything[0]
    for bad in ({"text": int(n[:11])}, {"text": "x", "role": n}, {"text": "x", "group": [n]}):
        with pytest.raises(jingmin.JingminError) as e:
            agg.add(bad)
        assert_none_shown("Aggregator.add error", str(e.value), everything)
    with pytest.raises(jingmin.JingminError) as e:
        jingmin.Aggregator.restore('{"format":"jingmin-aggregator","version":"%s"}' % n)
    assert_none_shown("Aggregator.restore error", str(e.value), everything)
    # raw=True keeps them.
    raw = engine.analyze("加微信：13987654321，刷单日结", raw=True)
    assert any(e.text == "13987654321" for e in raw.entities)
    assert "13987654321" not in repr(engine.analyze("加微信：13987654321，刷单日结"))


def test_role_codes_are_validated_not_truncated():
    engine = jingmin.Engine()
    for bad in (2 ** 24 + 1, 2 ** 32 + 1, 3, 16, -1):
        with pytest.raises(jingmin.InvalidArgumentError):
            engine.summarize("收到", role=bad)
        with pytest.raises(jingmin.InvalidArgumentError):
            engine.analyze("收到", role=bad)
        with pytest.raises(jingmin.InvalidArgumentError):
            engine.analyze_many(["收到"], roles=[bad])
    assert engine.summarize("收到", role=1) == engine.summarize("收到", role="police")


def test_a_utf8_error_in_a_batch_names_the_message():
    agg = jingmin.Aggregator()
    messages = [{"group": "g", "time": "2024-03-01 10:00:00", "text": "收到%d" % i} for i in range(5)]
    messages[3]["text"] = "bad \udc80 surrogate"
    with pytest.raises(jingmin.JingminError) as e:
        agg.add_many(messages, batch_size=2)
    assert "messages[3]" in str(e.value), str(e.value)
    assert agg.report()["messages"]["total"] == 2  # the first batch


@pytest.mark.parametrize("config", ["[]", "[0,60]", b"[28800, 3600]"])
def test_a_configuration_must_be_an_object(config):
    with pytest.raises(jingmin.InvalidConfigError):
        jingmin.Aggregator(config=config)


def test_times_follow_the_one_rule():
    agg = jingmin.Aggregator()
    for t, outcome in [
        (1709258400, jingmin.Added.NEW),
        ("1709258400000", jingmin.Added.NEW),
        (170925840000, jingmin.Added.REJECTED_INVALID_TIME),
        (0, jingmin.Added.REJECTED_INVALID_TIME),
        (13987654321, jingmin.Added.REJECTED_INVALID_TIME),
    ]:
        assert agg.add({"group": "g", "time": t, "text": "收到%s" % t}) == outcome, t
