"""The demo exports (examples/data/exports) as JSON Lines, for the tests
that put the same messages through ``jingmin report`` and through Spark.

The two JSON Lines exports are taken as they are; the 留痕 (WeChatMsg) CSV,
the PyWxDump CSV and the QQ TXT export are converted with their ids,
groups, senders, times and texts as ``src/ingest`` names them. What JSON
Lines cannot say is resolved here: the exporting account
(``--exported-by-police``), the QQ titles 【群主】/【管理员】 and the roster's
sender ids become ``role: police`` (or the roster's role). The file is close
to what ``jingmin report`` reads from the exports, not identical (a notice
that only the export's type field marks, such as a QQ system line or a
PyWxDump 拍一拍, is a text message here): the tests put this one file through
both paths.
"""

import csv
import io
import json
import os
import re

_QQ_HEADER = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}:\d{2}) (.+?)(?:\((\d+)\)|<([^>]+)>)$")
_WECHAT_MEDIA = {"3": "[图片]", "34": "[语音]", "43": "[视频]", "47": "[表情包]"}
_PYWX_MEDIA = {"图片": "[图片]", "语音": "[语音]", "视频": "[视频]", "动画表情": "[动画表情]"}


def _strip_quote(text):
    pos = 0
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("[引用]"):
            return text[:pos].rstrip()
        pos += len(line)
    return text


def wechatmsg(path):
    group = os.path.basename(path).rsplit(".", 1)[0]
    if group.endswith("_utf8"):
        group = group[: -len("_utf8")]
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            text = row["StrContent"]
            if row["Type"] in _WECHAT_MEDIA and not text.strip():
                text = _WECHAT_MEDIA[row["Type"]]
            sender = row["NickName"] or row["Remark"] or row["Sender"]
            m = {"id": "%s:%s" % (group, row["localId"]), "group": group, "sender": sender,
                 "time": int(row["CreateTime"]), "text": text}
            if row["IsSender"] == "1":
                m["role"] = "police"
            yield m


def pywxdump(path):
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            text = row["msg"]
            if row["type_name"] == "引用回复":
                text = _strip_quote(text)
            if row["type_name"] in _PYWX_MEDIA and not text.strip():
                text = _PYWX_MEDIA[row["type_name"]]
            m = {"id": row["MsgSvrID"], "group": row["room_name"], "sender": row["talker"],
                 "time": row["CreateTime"], "text": text}
            if row["talker"] == "我":
                m["role"] = "police"
            yield m


def qq(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        lines = f.read().replace("\r\n", "\n").split("\n")
    group = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("消息对象:"):
            group = line[len("消息对象:"):].strip()
            i += 1
            continue
        found = _QQ_HEADER.match(line)
        if not found or group is None:
            i += 1
            continue
        start = i + 1
        when, name, number, email = found.groups()
        body = []
        i += 1
        while i < len(lines) and lines[i] != "" and not _QQ_HEADER.match(lines[i]):
            body.append(lines[i])
            i += 1
        title = re.match(r"^【([^】]*)】", name)
        m = {"id": "%s:L%d" % (group, start), "group": group, "sender": name,
             "time": when, "text": "\n".join(body)}
        if title and title.group(1) in ("群主", "管理员"):
            m["role"] = "police"
        if number or email:
            m["sender_id"] = number or email
        yield m


def convert(exports_dir, out_path, roster=None):
    """Write every export of ``exports_dir`` as one JSON Lines file; returns
    the number of lines. ``roster`` (sender id → role) resolves the QQ and
    WeChat ids, which the JSON Lines ``sender`` (a display name) lacks."""
    n = 0
    with open(out_path, "w", encoding="utf-8") as out:
        for name in sorted(os.listdir(exports_dir)):
            path = os.path.join(exports_dir, name)
            if name.endswith(".jsonl"):
                with open(path, encoding="utf-8") as f:
                    records = [json.loads(l) for l in f if l.strip()]
            elif name.endswith(".txt"):
                records = list(qq(path))
            elif "pywxdump" in name:
                records = list(pywxdump(path))
            else:
                records = list(wechatmsg(path))
            for m in records:
                sender_id = m.pop("sender_id", None)
                if roster and m.get("role") in (None, "unknown"):
                    for key in (sender_id, m.get("sender")):
                        if key is not None and key in roster:
                            m["role"] = roster[key]
                            break
                out.write(json.dumps(m, ensure_ascii=False) + "\n")
                n += 1
    return n


def read_roster(path):
    roster = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.reader(f):
            if not row or row[0].startswith("#") or row[0] in ("sender", "发送者"):
                continue
            roster[row[0].strip()] = row[1].strip()
    return roster
