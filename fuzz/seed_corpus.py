#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/) from
the test fixtures, the heads of the demo exports and the default lexicon.

Run from the repository root: python3 fuzz/seed_corpus.py
Snapshot seeds (fuzz/corpus/snapshot_restore/snap_*.json) are written by
`jingmin report --save-snapshot` (see fuzz/README.md) and kept as they are.
The whole corpus stays well under 1 MB: heads are cut at line boundaries.
"""
import json
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "corpus"
ING = ROOT / "tests" / "fixtures" / "ingest"
REP = ROOT / "tests" / "fixtures" / "report"
EXP = ROOT / "examples" / "data" / "exports"
HEAD = 3000


def head(path, limit=HEAD):
    data = path.read_bytes()
    if len(data) <= limit:
        return data
    cut = data.rfind(b"\n", 0, limit)
    return data[: cut + 1 if cut > 0 else limit]


def put(target, name, data):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    (d / name).write_bytes(data)


def main():
    # Message texts: demo export lines, plus disguises and personal data.
    texts = []
    for f in ["community_xingfuli.jsonl", "village_taoyuan.jsonl"]:
        for line in (EXP / f).read_text(encoding="utf-8").splitlines()[:12]:
            texts.append(json.loads(line)["text"])
    texts += [
        "这是刷单诈骗吗？",
        "日结300 刷*單 加ＶＸ：abc_123，扣扣12345678",
        "我的电话13912345678，身份证34040219580312031X，卡号6225885181909375",
        "电话①③⑨⑤⑥②0①⑧④⑦ 一三九五六二零一八四七 0554-6662110",
        "被骗了2.8万元，转了三千块，¥200 http://a.cn/x www.xx.com 皖D12345",
        "菠菜平台 卡农 薇信 V信 刷😀单 刷.单\n新的一行。",
        "",
    ]
    for i, t in enumerate(texts):
        put("analyze", f"text_{i:02}", t)
        put("capi", f"text_{i:02}", bytes([i % 8]) + t.encode("utf-8"))

    # Lexicons: a slice of the default one, and small hand-made ones.
    lex = json.loads((ROOT / "lexicon" / "default.json").read_text(encoding="utf-8"))
    small = {
        "format": lex["format"],
        "version": lex["version"],
        "entries": lex["entries"][:12] + lex["entries"][-6:],
        "combos": lex["combos"][:3],
    }
    put("lexicon", "default_slice.json", json.dumps(small, ensure_ascii=False))
    put("lexicon", "one_entry.json",
        '{"entries":[{"pattern":"跑腿代办","kind":"fraud","type":"fake_shopping","weight":2}]}')
    put("lexicon", "disabled.json",
        '{"entries":[{"pattern":"刷单","kind":"fraud","type":"task_rebate","disabled":true},'
        '{"pattern":"加扣扣","kind":"entity","entity":"qq_number"},'
        '{"pattern":"薇信","kind":"signal","signal":"contact","substitution":true,"canonical":"微信"}]}')
    put("capi", "lexicon_one_entry", b"\x00" + (OUT / "lexicon" / "one_entry.json").read_bytes())

    # Message JSON lines for the aggregator.
    for f in ["a.jsonl", "b.jsonl", "bad.jsonl"]:
        put("aggregator_json", f, (REP / f).read_bytes())
    put("aggregator_json", "native.jsonl", (ING / "native.jsonl").read_bytes())
    put("aggregator_json", "community_head.jsonl", head(EXP / "community_xingfuli.jsonl", 2000))
    first = (REP / "a.jsonl").read_bytes().split(b"\n")[0]
    put("capi", "message_json", b"\x00" + first)

    # Exports, per reader; detection sees them all.
    readers = {
        "ingest_jsonl": [ING / "native.jsonl", ING / "native_utf16le.jsonl", ING / "invalid_utf8.jsonl",
                         ("community_head.jsonl", EXP / "community_xingfuli.jsonl")],
        "ingest_wechatmsg": [ING / "幸福社区警民群_utf8.csv",
                             ("chengguan_head.csv", EXP / "城关派出所-步行街商户联防群_utf8.csv")],
        "ingest_pywxdump": [ING / "pywxdump.csv", ("school_head.csv", EXP / "school_parents_pywxdump.csv")],
        "ingest_chatlog": [ING / "chatlog.json"],
        "ingest_qq": [ING / "qq.txt", ING / "qq_gbk.txt", ("qq_groups_head.txt", EXP / "qq_groups.txt")],
        "ingest_csv": [ING / "generic.csv", ING / "老街坊群.csv", ING / "roster.csv"],
    }
    for target, files in readers.items():
        for f in files:
            name, path = (f if isinstance(f, tuple) else (f.name, f))
            data = head(path)
            put(target, name, data)
            put("ingest_detect", name, data)
    put("ingest_detect", "notes.txt", (ING / "notes.txt").read_bytes())

    # Snapshots (written by `jingmin report --save-snapshot`, see README.md).
    for snap in sorted((OUT / "snapshot_restore").glob("snap_*.json")):
        put("capi", snap.stem, b"\x00" + snap.read_bytes())

    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"fuzz/corpus: {total} bytes in {sum(1 for p in OUT.rglob('*') if p.is_file())} files")


if __name__ == "__main__":
    main()
