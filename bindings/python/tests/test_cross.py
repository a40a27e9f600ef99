"""The same string analysed three ways gives one answer: natively in Rust
(the ``jingmin analyze`` tool), through the C ABI (``jm_analyze_json``) and
through this binding (``Engine.analyze``, ``Engine.analyze_many``), over
random strings. ``tests/cross_abi.rs`` checks native = C ABI byte for byte;
this checks the binding against the native tool and that its offsets index
Python strings.

The tool is ``target/release/jingmin`` (``scripts/test-python.sh`` builds
it), or the path in ``JINGMIN_CLI``.
"""

import dataclasses
import json
import os
import random
import subprocess

import pytest

import jingmin

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
SEED = int(os.environ.get("JINGMIN_CROSS_SEED", "20261124"))
CASES = int(os.environ.get("JINGMIN_CROSS_CASES", "1500"))

# Pieces that matter to the engine (keywords, Traditional forms, disguises,
# digits in several styles, entities, noise, breaks, emoji, NUL).
ATOMS = [
    "刷", "单", "單", "诈", "騙", "骗", "微", "信", "薇", "vx", "ＶＸ", "V", "扣扣", "Q", "元", "万", "块", "¥",
    "三", "一", "二", "0", "1", "3", "8", "１", "８", "*", " ", "-", ".", "·", "😀", "👍🏻", "\u200b", "\ufe0f",
    "\u0301", "。", "！", "?", "\n", "\r\n", "：", "@", "http://", "www.", ".com", "/", "a", "x", "皖", "D",
    "身份证", "被骗了", "吗", "加", "日结", "13912345678", "34040219580312031X", "6228483909960308244", "我",
    "领导", "转", "账", "安全帐户", "\x00", "刷單返利", "兼職", "貸款", "点赞", "佣金", "扫码", "壹贰叁",
    "①②③", "一三九五六二〇一八四七",
]
# Code point ranges for arbitrary characters (no surrogates: a str with one
# cannot be sent as UTF-8; the binding's refusal is tested elsewhere).
RANGES = [(0x20, 0x7E), (0x00, 0x1F), (0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xFF01, 0xFF5E), (0x3000, 0x303F),
          (0x1F300, 0x1FAFF), (0x20000, 0x2A6DF), (0x0300, 0x036F), (0xE000, 0xE0FF), (0x00A0, 0x024F)]
ROLES = ["unknown", "police", "resident"]


def random_text(rng):
    parts = []
    for _ in range(rng.randrange(0, 30)):
        if rng.random() < 0.7:
            parts.append(rng.choice(ATOMS))
        else:
            lo, hi = rng.choice(RANGES)
            parts.append(chr(rng.randint(lo, hi)))
    return "".join(parts)


def cli():
    path = os.environ.get("JINGMIN_CLI") or os.path.join(ROOT, "target", "release", "jingmin")
    if not os.path.exists(path):
        pytest.fail("%s not found: scripts/test-python.sh builds it (cargo build --release -p jingmin-cli)" % path)
    return path


def native(texts, roles, raw, tmp_path):
    src = tmp_path / "messages.jsonl"
    with open(src, "w", encoding="utf-8") as f:
        for i, (t, r) in enumerate(zip(texts, roles)):
            f.write(json.dumps({"id": str(i), "role": r, "text": t}, ensure_ascii=False) + "\n")
    args = [cli(), "analyze", str(src)] + (["--raw"] if raw else [])
    done = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    docs = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [d["id"] for d in docs] == [str(i) for i in range(len(texts))]
    return [dataclasses.replace(jingmin.Analysis.from_json(d), id=None) for d in docs]


@pytest.mark.parametrize("raw", [False, True])
def test_binding_equals_native_on_random_strings(engine, tmp_path, raw):
    rng = random.Random(SEED + int(raw))
    texts = [random_text(rng) for _ in range(CASES)]
    roles = [ROLES[i % 3] for i in range(CASES)]
    want = native(texts, roles, raw, tmp_path)
    for i, (t, r) in enumerate(zip(texts, roles)):
        got = engine.analyze(t, role=r, raw=raw)
        assert got == want[i], "case %d (seed %d): %r" % (i, SEED, t)
        for h in got.fraud.hits:
            assert t[h.char_start:h.char_end] == h.matched
            assert t.encode("utf-8")[h.start:h.end].decode("utf-8") == h.matched
        if raw:
            for e in got.entities:
                assert t[e.char_start:e.char_end] == e.text
    # The batch digests equal the full analyses' digests.
    summaries = engine.analyze_many(texts, roles=roles)
    assert summaries == [a.summary() for a in want]
