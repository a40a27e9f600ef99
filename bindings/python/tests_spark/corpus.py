"""A generated corpus of messages as JSON Lines, the same for a given seed.

Texts are drawn from the demo data (every category, fraud solicitations
with phone numbers and WeChat ids, media, notices), groups, senders, roles
and times at random; the times use every form JSON Lines allows (RFC 3339,
local times with ``-`` and ``/``, Unix seconds as numbers, Unix
milliseconds as strings), and about one message in 200 is sent again
(same group and id), so that duplicates are counted.
"""

import json
import random

_START = 1704038400  # 2024-01-01T00:00:00+08:00
_SPAN = 182 * 86400


def _time(rng, unix):
    form = rng.randrange(5)
    if form == 0:
        return unix
    if form == 1:
        return str(unix * 1000 + rng.randrange(1000))
    local = unix + 8 * 3600
    days, secs = divmod(local, 86400)
    import datetime

    d = datetime.date(1970, 1, 1) + datetime.timedelta(days=days)
    h, m, s = secs // 3600, secs % 3600 // 60, secs % 60
    if form == 2:
        return "%04d-%02d-%02dT%02d:%02d:%02d+08:00" % (d.year, d.month, d.day, h, m, s)
    if form == 3:
        return "%04d-%02d-%02d %02d:%02d:%02d" % (d.year, d.month, d.day, h, m, s)
    return "%04d/%d/%d %d:%02d:%02d" % (d.year, d.month, d.day, h, m, s)


def messages(n, seed, texts):
    """``n`` message dicts."""
    rng = random.Random(seed)
    groups = ["青禾县%s派出所-%s警民群%d" % (a, b, i) for i, (a, b) in
              enumerate([(x, y) for x in ("城关", "城南", "柳塘", "杏花路") for y in ("社区", "商户", "家长")] * 2)]
    police = ["%s-%s警官" % (g[:6], name) for g, name in zip(groups, "陈王李赵孙周吴郑冯褚卫蒋沈韩杨朱秦尤许何吕施张孔")]
    residents = ["居民%03d" % i for i in range(360)]
    roles_explicit = ["police", "民警", "Police"]
    out = []
    for i in range(n):
        if out and rng.random() < 0.005:
            out.append(dict(out[rng.randrange(len(out))]))  # a copy, counted once
            continue
        group = groups[rng.randrange(len(groups))]
        is_police = rng.random() < 0.3
        m = {"id": "m%07d" % i, "group": group}
        if is_police:
            m["sender"] = police[rng.randrange(len(police))]
            r = rng.random()
            if r < 0.4:
                m["role"] = roles_explicit[rng.randrange(len(roles_explicit))]
            elif r < 0.7:
                m["role"] = "unknown"  # the name cue 警官 decides
        else:
            m["sender"] = residents[rng.randrange(len(residents))]
            r = rng.random()
            if r < 0.3:
                m["role"] = "resident"
            elif r < 0.4:
                m["role"] = "居民"
        m["time"] = _time(rng, _START + rng.randrange(_SPAN))
        text = texts[rng.randrange(len(texts))]
        if rng.random() < 0.5:
            text = "%s %d" % (text, rng.randrange(1000))
        m["text"] = text
        out.append(m)
    return out


def demo_texts(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l)["text"] for l in f if l.strip()]


def write(path, n, seed, texts_from):
    texts = demo_texts(texts_from)
    with open(path, "w", encoding="utf-8") as f:
        for m in messages(n, seed, texts):
            f.write(json.dumps(m, ensure_ascii=False))
            f.write("\n")
