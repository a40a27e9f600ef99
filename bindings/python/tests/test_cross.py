"""The same string analysed three ways gives one answer: natively in Rust
(the ``jingmin analyze`` tool), through the C ABI (``jm_analyze_json``) and
through this binding (``Engine.analyze``, ``Engine.analyze_many``), over
random strings. ``tests/cross_abi.rs`` checks native = C ABI byte for byte;
this checks the binding against the native tool and that its offsets index
Python strings, and that ``python -m jingmin analyze`` writes the native
tool's lines for bad input too: one per input line, the same error kinds.

The tool is ``target/release/jingmin`` (``scripts/test-python.sh`` builds
it), or the path in ``JINGMIN_CLI``.
"""

import dataclasses
import json
import os
import random
import re
import subprocess
import sys

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


# Bad lines of every kind, blank ones, a BOM, mixed line ends and a line over
# the 1 MiB limit, for the module's CLI against the native one.
JSONL_LINES = [
    '{"id":"a","text":"收到"}'.encode(),
    b"not json 13912345678",
    '{"id":"x","txt":"秘密内容"}'.encode(),
    b'{"id":"u","text":"\xff\xfe"}',
    b"",
    b"   \t",
    '\ufeff{"id":7,"role":"resident","text":"这是刷单诈骗吗？"}'.encode(),
    '{"id":5,"text":"a","role":"队长"}'.encode(),
    b'{"id":1.5,"text":"a","role":null}',
    '{"role":"民警","text":"a"}'.encode(),
    b"[1,2]",
    b'["1","g","s","police","t","x"]',
    b'{"id":"d","text":"a","text":"b"}',
    b'{"id":"g","text":"a","group":5}',
    b'{"id":"t","text":"a","time":true}',
    b'{"text":"\\ud800"}',
    b'{"x":"\\ud800","text":"ok"}',
    b'{"text":NaN}',
    b'{"id":true,"text":"a"}',
    b'{"id":1e20,"time":1700000000,"text":"a"}',
    b'{"id":1.0,"text":"a"}',
    b'"just a string"',
    b'{"text":"a"} trailing',
    b'{"id":"13912345678","txt":1}',
    b"\x1c",
    b'{"id":"big","text":"' + "长".encode() * 400000 + b'"}',
    '{"id":"last","group":"警民群","sender":"民警魏某","text":"电话13912345678"}'.encode(),
]
TEXT_LINES = [
    "\ufeff刷单".encode(),
    b"",
    "收到".encode(),
    b"bad \xc3\x28 byte",
    " \u3000\t".encode(),
    "电话13912345678".encode(),
    "长".encode() * 400000,
    b"\x1c",
    b'{"text":"x"}',
]


def joined(lines):
    ends = [b"\n", b"\r\n", b"\r"]
    return b"".join(line + ends[i % 3] for i, line in enumerate(lines))


def run_analyze(command, args, data):
    done = subprocess.run(command + ["analyze"] + args, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          check=False)
    return done.returncode, done.stdout.decode("utf-8").splitlines(), done.stderr.decode("utf-8")


@pytest.mark.parametrize("args,lines", [([], JSONL_LINES), (["--text"], TEXT_LINES),
                                        (["--text", "--role", "police", "--raw"], TEXT_LINES)])
def test_module_cli_keeps_line_alignment_as_native(args, lines):
    data = joined(lines)
    n_code, n_out, n_err = run_analyze([cli()], args, data)
    p_code, p_out, p_err = run_analyze([sys.executable, "-m", "jingmin"], args, data)
    assert (n_code, p_code) == (1, 1), n_err + p_err
    assert len(n_out) == len(p_out) == len(lines)
    failed = []
    for i, (n, p) in enumerate(zip(n_out, p_out), 1):
        nd, pd = json.loads(n), json.loads(p)
        if "error" in nd:
            failed.append(i)
            assert set(nd) == set(pd) and set(nd["error"]) == {"kind", "message"}, (i, n, p)
            assert (pd["line"], pd.get("id"), pd["error"]["kind"]) == (i, nd.get("id"), nd["error"]["kind"]), (n, p)
        else:
            assert p == n, "line %d" % i
    assert failed, n_out
    # Standard error names the same lines (and safe ids), never their text.
    where = re.compile(r"^<stdin>:(\d+)( \(id [^)]*\))?: ", re.M)
    assert where.findall(n_err) == where.findall(p_err)
    assert [int(m[0]) for m in where.findall(p_err)] == failed
    for err in (n_err, p_err):
        assert "13912345678" not in err and "秘密内容" not in err and "队长" not in err
        assert "%d line(s) could not be analysed" % len(failed) in err
