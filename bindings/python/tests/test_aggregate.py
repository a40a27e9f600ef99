"""The Aggregator through the C ABI: the laws of issue 4 (a log split into
chunks, aggregated chunk by chunk, merged in shuffled and tree orders,
equals a single pass; snapshot -> restore -> continue equals all), pickling
and multiprocessing, outcomes, configuration, errors and lifetime."""

import copy
import datetime
import gc
import json
import multiprocessing
import os
import pickle
import random
import threading

import pytest

import jingmin
from jingmin import _ffi

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "..", "examples", "data", "exports"))
CST = datetime.timezone(datetime.timedelta(hours=8))
DAY0 = 1709222400  # 2024-03-01 00:00:00 +08:00


def load_jsonl(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


XINGFULI = load_jsonl("community_xingfuli.jsonl")
TAOYUAN = load_jsonl("village_taoyuan.jsonl")

EXTRA_TEXTS = [
    "请问周六警务室有人吗？",
    "请问办居住证需要带什么材料？",
    "我被骗了3000元，对方让我刷单返利，怎么办？",
    "有人加我微信说是快递客服要退款，这是诈骗吗？",
    "日结300 刷单 加V：tbjob886 电话13956201847",
    "楼下有人吵架，快打起来了",
    "小区门口有个可疑的人一直在撬车锁",
    "收到",
    "[图片]",
    "\"张三\"撤回了一条消息",
    "\"王警官\"邀请\"李四\"加入了群聊",
    "已经通知值班民警过去处理了",
    "周六上午9-12点有人值班",
    "好的，谢谢警官",
]


def _time_text(rng, t):
    """One instant written in one of the accepted forms."""
    r = rng.random()
    if r < 0.35:
        return t  # Unix seconds as a JSON number
    if r < 0.5:
        return str(t)
    dt = datetime.datetime.fromtimestamp(t, CST)
    if r < 0.8:
        return dt.strftime("%Y-%m-%d %H:%M:%S")
    if r < 0.9:
        return dt.isoformat()
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def random_log(seed, n=3000):
    """A shuffled random log with copies: exact copies, copies without id
    written with another time form, copies of an id with another text, and
    messages without group or time or with an unreadable time."""
    rng = random.Random(seed)
    pool = [m["text"] for m in XINGFULI[:150] + TAOYUAN[:150]] + EXTRA_TEXTS
    groups = ["随机测试群%d" % i for i in range(6)]
    senders = ["民警%d" % i for i in range(3)] + ["居民%d" % i for i in range(12)]
    out = []
    for i in range(n):
        t = DAY0 + rng.randrange(0, 12 * 86400)
        sender = rng.choice(senders)
        role = rng.choice(["police", "unknown"]) if sender.startswith("民警") else rng.choice(["resident", "unknown"])
        m = {"group": rng.choice(groups), "sender": sender, "role": role, "time": _time_text(rng, t),
             "text": rng.choice(pool)}
        if rng.random() < 0.75:
            m["id"] = "r%d" % i
        r = rng.random()
        if r < 0.01:
            del m["group"]
        elif r < 0.02:
            del m["time"]
        elif r < 0.03:
            m["time"] = "昨天下午"
        out.append((m, t))
    copies = []
    for _ in range(n // 8):
        m, t = rng.choice(out)
        c = dict(m)
        r = rng.random()
        if r < 0.6:
            pass  # the same message again
        elif r < 0.8 and "id" not in c and "time" in c and isinstance(c["time"], int):
            c["time"] = datetime.datetime.fromtimestamp(t, CST).strftime("%Y-%m-%d %H:%M:%S")
        elif "id" in c:
            c["text"] = rng.choice(pool)  # same id, other text: a conflicting copy
        copies.append((c, t))
    log = [m for m, _ in out + copies]
    rng.shuffle(log)
    return log


RANDOM_LOG = random_log(20240301)
LOGS = {
    "xingfuli": XINGFULI,
    "taoyuan": TAOYUAN,
    "random": RANDOM_LOG,
    "all": XINGFULI + TAOYUAN + RANDOM_LOG,
}


@pytest.fixture(scope="module")
def shared_engine():
    with jingmin.Engine() as e:
        yield e


def single_pass(engine, messages):
    with jingmin.Aggregator(engine) as agg:
        agg.add_many(messages)
        return agg.report_json()


def clone(agg, engine):
    return jingmin.Aggregator.restore(agg.snapshot(), engine)


def fold(parts):
    """Merge left to right into the first."""
    head = parts[0]
    for p in parts[1:]:
        head.merge(p)
    return head


def random_tree(parts, rng):
    """Merge in a random binary tree: random pairs, level after level."""
    level = list(parts)
    while len(level) > 1:
        rng.shuffle(level)
        nxt = []
        for i in range(0, len(level) - 1, 2):
            a, b = level[i], level[i + 1]
            if rng.random() < 0.5:
                a, b = b, a
            a.merge(b)
            nxt.append(a)
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def balanced_tree(parts):
    level = list(parts)
    while len(level) > 1:
        nxt = []
        for i in range(0, len(level), 2):
            if i + 1 < len(level):
                level[i].merge(level[i + 1])
            nxt.append(level[i])
        level = nxt
    return level[0]


def chunkings(messages, rng):
    """Ways to split a log: contiguous random cuts, random assignment,
    by group, and by position modulo k."""
    n = len(messages)
    k = rng.randint(2, 9)
    cuts = sorted(rng.sample(range(1, n), k - 1))
    yield "contiguous", [messages[a:b] for a, b in zip([0] + cuts, cuts + [n])]
    assign = [rng.randrange(k) for _ in range(n)]
    yield "random", [[m for m, a in zip(messages, assign) if a == j] for j in range(k)]
    by_group = {}
    for m in messages:
        by_group.setdefault(m.get("group"), []).append(m)
    yield "by group", list(by_group.values())
    yield "modulo", [messages[j::k] for j in range(k)]
    yield "one per chunk at the ends", [messages[:1]] + [messages[1:-1]] + [messages[-1:]]


@pytest.mark.parametrize("name", sorted(LOGS))
def test_chunks_merged_in_any_order_equal_a_single_pass(name, shared_engine):
    messages = LOGS[name]
    expected = single_pass(shared_engine, messages)
    expected_dict = json.loads(expected)
    assert expected_dict["messages"]["total"] > 0
    rng = random.Random(name)
    # The single pass itself does not depend on the order of the messages.
    shuffled = list(messages)
    rng.shuffle(shuffled)
    assert single_pass(shared_engine, shuffled) == expected

    for how, chunks in chunkings(messages, rng):
        chunks = [c for c in chunks if c]
        parts = []
        for i, chunk in enumerate(chunks):
            agg = jingmin.Aggregator(shared_engine)
            if i % 2:
                counts = agg.add_many(chunk, batch_size=rng.randint(1, 700))
                assert sum(counts) == len(chunk)
            else:
                for m in chunk:
                    agg.add(m)
            parts.append(agg)

        orders = {
            "in order": lambda ps: fold(ps),
            "reversed": lambda ps: fold(ps[::-1]),
            "shuffled": lambda ps: fold(rng.sample(ps, len(ps))),
            "into an empty one": lambda ps: fold([jingmin.Aggregator(shared_engine)] + rng.sample(ps, len(ps))),
            "balanced tree": balanced_tree,
            "random tree": lambda ps: random_tree(ps, rng),
            "random tree again": lambda ps: random_tree(ps, rng),
        }
        for order, merge in orders.items():
            merged = merge([clone(p, shared_engine) for p in parts])
            got = merged.report_json()
            assert got == expected, "%s: %s chunks (%d), merged %s" % (name, how, len(parts), order)
            assert merged.report() == expected_dict
        for p in parts:
            p.close()


@pytest.mark.parametrize("name", ["xingfuli", "random", "all"])
def test_snapshot_restore_continue_equals_all(name, shared_engine):
    messages = LOGS[name]
    expected = single_pass(shared_engine, messages)
    rng = random.Random(name + "snapshot")
    for cut in [0, 1, len(messages) // 2, len(messages) - 1, len(messages)] + rng.sample(range(len(messages)), 3):
        with jingmin.Aggregator(shared_engine) as first:
            first.add_many(messages[:cut])
            snap = first.snapshot()
            head_report = first.report_json()
        restored = jingmin.Aggregator.restore(snap, shared_engine)
        assert restored.report_json() == head_report
        assert restored.snapshot() == snap
        restored.add_many(messages[cut:])
        assert restored.report_json() == expected, "cut at %d" % cut
        # Through pickle too, and a second snapshot in the middle.
        again = pickle.loads(pickle.dumps(jingmin.Aggregator.restore(snap)))
        mid = cut + (len(messages) - cut) // 2
        again.add_many(messages[cut:mid])
        again = jingmin.Aggregator.restore(again.snapshot().encode("utf-8"), shared_engine)
        again.add_many(messages[mid:])
        assert again.report_json() == expected


def _strip(report, key):
    if isinstance(report, dict):
        return {k: _strip(v, key) for k, v in report.items() if k != key}
    if isinstance(report, list):
        return [_strip(v, key) for v in report]
    return report


def test_overlapping_exports_do_not_inflate(shared_engine):
    messages = LOGS["random"]
    expected = json.loads(single_pass(shared_engine, messages))
    n = len(messages)
    a, b = jingmin.Aggregator(shared_engine), jingmin.Aggregator(shared_engine)
    a.add_many(messages[: 2 * n // 3])
    b.add_many(messages[n // 3 :])
    a.merge(b)
    got = a.report()
    overlap = 2 * n // 3 - n // 3
    assert got["messages"]["duplicates"] == expected["messages"]["duplicates"] + overlap
    assert _strip(got, "duplicates") == _strip(expected, "duplicates")


def test_random_log_has_what_the_laws_need(shared_engine):
    r = json.loads(single_pass(shared_engine, RANDOM_LOG))
    m = r["messages"]
    assert len(RANDOM_LOG) > 3000
    assert m["duplicates"] > 100
    assert all(m["rejected"]["by_reason"][k] > 0 for k in ("missing_group", "missing_time", "invalid_time"))
    assert m["system"] > 0 and m["recalled"] > 0 and m["media"] > 0
    assert r["cases"]["opened"] > 0 and r["cases"]["answered"] > 0
    assert r["fraud"]["messages"] > 0
    assert r["group_count"] == 6
    assert len(r["days"]) >= 12


# -- the API -------------------------------------------------------------------


def msg(i, text="收到", **kw):
    m = {"id": str(i), "group": "g", "time": DAY0 + 36000 + i, "text": text}
    m.update(kw)
    return m


def test_outcomes_and_report_keys(engine):
    with jingmin.Aggregator(engine=engine) as agg:
        ask = msg(1, "请问办居住证需要带什么材料？", role="resident")
        assert agg.add(ask) is jingmin.Added.NEW
        assert agg.add(dict(ask)) is jingmin.Added.DUPLICATE
        assert agg.add({"time": DAY0, "text": "收到"}) is jingmin.Added.REJECTED_MISSING_GROUP
        assert agg.add({"group": "g", "text": "收到"}) is jingmin.Added.REJECTED_MISSING_TIME
        out = agg.add({"group": "g", "time": "soon", "text": "收到"})
        assert out is jingmin.Added.REJECTED_INVALID_TIME and out.rejected and out == "rejected_invalid_time"
        assert not jingmin.Added.NEW.rejected
        assert agg.add(msg(2, "周六上午有人值班，带身份证来", role="police")) is jingmin.Added.NEW
        r = agg.report()
    assert r["messages"]["total"] == 2
    assert r["messages"]["duplicates"] == 1
    assert r["messages"]["rejected"]["total"] == 3
    assert sorted(r["messages"]["by_category"]) == sorted(c.value for c in jingmin.Category)
    assert r["messages"]["by_role"]["police"] == 1
    for key in ("fraud", "cases", "groups", "days", "period"):
        assert key in r
    assert r["groups"][0]["group"] == "g"
    assert r["days"][0]["day"] == "2024-03-01"
    assert r["period"]["from"].startswith("2024-03-01T10:00:01")


def test_add_many_equals_add_one_by_one(engine):
    messages = LOGS["random"][:800]
    a, b = jingmin.Aggregator(engine), jingmin.Aggregator(engine)
    outcomes = [a.add(m) for m in messages]
    counts = b.add_many(iter(messages), batch_size=97)  # any iterable
    assert counts == (
        sum(o is jingmin.Added.NEW for o in outcomes),
        sum(o is jingmin.Added.DUPLICATE for o in outcomes),
        sum(o.rejected for o in outcomes),
    )
    assert counts.added > 0 and counts.duplicates > 0
    assert a.report_json() == b.report_json()
    assert b.add_many([]) == (0, 0, 0)
    with pytest.raises(ValueError):
        b.add_many(messages, batch_size=0)


def test_default_engine_equals_an_explicit_default_engine(engine):
    messages = LOGS["xingfuli"][:200]
    a = jingmin.Aggregator()
    a.add_many(messages)
    assert a.engine is None
    assert a.report_json() == single_pass(engine, messages)


def test_configuration(engine):
    hour = jingmin.Aggregator(engine, config={"answer_window_seconds": 3600})
    same = jingmin.Aggregator(engine, config='{"answer_window_seconds": 3600}')
    utc = jingmin.Aggregator(engine, config=b'{"utc_offset_seconds": 0}')
    default = jingmin.Aggregator(engine)
    late = [msg(1, "请问办居住证需要带什么材料？", role="resident"), msg(7300, "带身份证来就行", role="police")]
    for a in (hour, same, default):
        a.add_many(late)
    assert default.report()["cases"]["answered"] == 1
    assert hour.report()["cases"]["answered"] == 0  # two hours later: outside the window
    hour.merge(same)
    restored = jingmin.Aggregator.restore(hour.snapshot())
    restored.merge(same)  # the snapshot carries the configuration
    with pytest.raises(jingmin.InvalidConfigError):
        default.merge(hour)
    with pytest.raises(jingmin.InvalidConfigError):
        utc.merge(default)
    for bad in ({"answer_window_seconds": 0}, {"answer_window": 5}, '{"utc_offset_seconds": 30}', "{", ""):
        with pytest.raises(jingmin.InvalidConfigError) as e:
            jingmin.Aggregator(engine, config=bad)
        assert e.value.status == _ffi.JM_ERR_INVALID_CONFIG
        assert "jm_aggregator_new_with_config" in str(e.value)
    with pytest.raises(TypeError):
        jingmin.Aggregator(engine, config=5)
    with pytest.raises(TypeError):
        jingmin.Aggregator(engine="default")


def test_errors(engine):
    agg = jingmin.Aggregator(engine)
    agg.add_many(LOGS["xingfuli"][:50])
    before = agg.report_json()

    with pytest.raises(jingmin.InvalidArgumentError) as e:
        agg.merge(agg)
    assert "same aggregator" in str(e.value)
    with pytest.raises(TypeError):
        agg.merge(agg.snapshot())
    with pytest.raises(TypeError):
        agg.add("收到")
    with pytest.raises(jingmin.InvalidJsonError) as e:
        agg.add({"group": "g", "text": 5})
    assert "jm_aggregator_add_json" in str(e.value)
    with pytest.raises(jingmin.InvalidJsonError) as e:
        agg.add({"group": "13912345678"})  # no text
    assert "139" not in str(e.value)
    with pytest.raises(jingmin.InvalidUtf8Error):
        agg.add({"group": "g", "time": DAY0, "text": "a\ud800b"})
    with pytest.raises(jingmin.InputTooLargeError):
        agg.add({"group": "g", "text": "a" * (engine.max_message_bytes + 1)})
    assert agg.report_json() == before

    # add_many: batches before the bad message are counted, its own is not.
    batch = [msg(1000 + i) for i in range(10)]
    batch[7] = {"group": "g", "text": None}
    with pytest.raises(jingmin.InvalidJsonError) as e:
        agg.add_many(batch, batch_size=5)
    assert "messages[7]" in str(e.value) and "messages[5:] were not counted" in str(e.value)
    assert agg.report()["messages"]["total"] == json.loads(before)["messages"]["total"] + 5

    # Snapshots.
    snap = agg.snapshot()
    bad = [
        "",
        "{}",
        "not json",
        snap[: len(snap) // 2],
        snap.replace('"version":2', '"version":3', 1),
        snap.replace('"format":"jingmin-aggregator"', '"format":"other"', 1),
        snap.replace('"mult":[1', '"mult":[4', 1),
    ]
    assert len(set(bad)) == len(bad)
    for text in bad:
        with pytest.raises(jingmin.InvalidSnapshotError) as e:
            jingmin.Aggregator.restore(text)
        assert e.value.status == _ffi.JM_ERR_INVALID_SNAPSHOT
        assert str(e.value).startswith("jm_aggregator_restore: snapshot: ")
    with pytest.raises(jingmin.InvalidSnapshotError) as e:
        jingmin.Aggregator.restore(snap.replace('"version":2', '"version":7', 1))
    assert "7" in str(e.value)
    with pytest.raises(jingmin.InvalidUtf8Error):
        jingmin.Aggregator.restore(snap.encode() + b"\xff")
    with pytest.raises(TypeError):
        jingmin.Aggregator.restore(None)
    assert jingmin.Aggregator.restore(snap).report_json() == agg.report_json()


class _FreeCounter:
    def __init__(self, monkeypatch):
        self.freed = []
        real = _ffi.free_aggregator

        def counting(handle):
            self.freed.append(handle)
            real(handle)

        monkeypatch.setattr(_ffi, "free_aggregator", counting)


def test_lifetime_frees_each_handle_once(monkeypatch, engine):
    gc.collect()  # aggregators other tests left in reference cycles
    counter = _FreeCounter(monkeypatch)
    a = jingmin.Aggregator(engine)
    a.add(msg(1))
    a.close()
    a.close()
    assert a.closed and len(counter.freed) == 1
    for call in (lambda: a.add(msg(2)), a.snapshot, a.report, lambda: a.add_many([msg(3)]), lambda: pickle.dumps(a)):
        with pytest.raises(jingmin.AggregatorClosedError):
            call()
    b = jingmin.Aggregator(engine)
    with pytest.raises(jingmin.AggregatorClosedError):
        b.merge(a)
    with pytest.raises(jingmin.AggregatorClosedError):
        a.merge(b)
    with b:
        b.add(msg(1))
    assert b.closed and len(counter.freed) == 2
    del a, b
    gc.collect()
    assert len(counter.freed) == 2  # deleting closed aggregators frees nothing more
    snap = jingmin.Aggregator().snapshot()  # a temporary: freed by __del__
    gc.collect()
    assert len(counter.freed) == 3
    c = jingmin.Aggregator.restore(snap)
    handle = c._handle
    del c  # __del__
    gc.collect()
    assert counter.freed[3:] == [handle]
    with pytest.raises(jingmin.InvalidConfigError):
        jingmin.Aggregator(config="{")  # a failed constructor frees nothing
    gc.collect()
    assert len(counter.freed) == 4


def test_closed_engine(engine):
    e = jingmin.Engine()
    agg = jingmin.Aggregator(e)
    e.close()
    with pytest.raises(jingmin.EngineClosedError):
        agg.add(msg(1))
    agg.engine = engine
    assert agg.add(msg(1)) is jingmin.Added.NEW


def test_pickle_and_copy(engine):
    agg = jingmin.Aggregator(engine, config={"utc_offset_seconds": 0})
    agg.add_many(LOGS["taoyuan"][:300])
    for other in (pickle.loads(pickle.dumps(agg)), copy.copy(agg), copy.deepcopy(agg)):
        assert other is not agg
        assert other._handle != agg._handle
        assert other.report_json() == agg.report_json()
        assert other.snapshot() == agg.snapshot()
        assert other.engine is None
        other.merge(agg)  # same configuration, carried by the snapshot
        other.add(msg(1))
        assert other.report()["messages"]["total"] == agg.report()["messages"]["total"] + 1


def test_threads_share_one_aggregator(engine):
    messages = LOGS["random"][:1200]
    agg = jingmin.Aggregator(engine)
    own = [jingmin.Aggregator(engine) for _ in range(4)]
    reads = []

    def work(k):
        for i, m in enumerate(messages[k::4]):
            agg.add(m)
            own[k].add(m)
            if i % 50 == 0:
                reads.append(len(agg.report_json()) > 0 and len(agg.snapshot()) > 0)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = single_pass(engine, messages)
    assert agg.report_json() == expected
    assert all(reads) and reads
    merged = jingmin.Aggregator(engine)
    for o in own:
        merged.merge(o)
    assert merged.report_json() == expected


def _aggregate_chunk(job):
    """Run in a worker process: count a chunk into the aggregator it was
    sent (unpickled from its snapshot) and send it back."""
    agg, chunk = job
    agg.add_many(chunk)
    return agg, os.getpid()


def test_multiprocessing_two_processes(engine):
    messages = LOGS["all"]
    expected = single_pass(engine, messages)
    k = 6
    chunks = [messages[j::k] for j in range(k)]
    # Half of the partials start from a non-empty aggregator sent along.
    jobs = []
    for j in range(k):
        a = jingmin.Aggregator()
        rest = chunks[j]
        if j % 2:
            a.add_many(rest[:10])
            rest = rest[10:]
        jobs.append((a, rest))
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(2) as pool:
        results = pool.map(_aggregate_chunk, jobs, chunksize=1)
    pids = {pid for _, pid in results}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2
    partials = [a for a, _ in results]
    rng = random.Random(7)
    merged = fold([jingmin.Aggregator(engine)] + rng.sample(partials, k))
    assert merged.report_json() == expected
    tree = random_tree([clone(p, engine) for p in partials], rng)
    assert tree.report_json() == expected


def test_police_media_answers_the_open_case(shared_engine):
    # The counting rule of Aggregator::add_with, through the binding: a
    # police photo answers the question open in its group.
    messages = [
        {"id": "q", "group": "g", "role": "resident", "time": "2024-03-02 10:00:00", "text": "请问户籍室周六上班吗？"},
        {"id": "p", "group": "g", "role": "police", "time": "2024-03-02 10:05:00", "text": "[图片]"},
    ]
    report = json.loads(single_pass(shared_engine, messages))
    assert report["cases"]["opened"] == 1
    assert report["cases"]["answered"] == 1
    assert report["messages"]["media"] == 1


ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))


def _cli():
    path = os.environ.get("JINGMIN_CLI") or os.path.join(ROOT, "target", "release", "jingmin")
    if not os.path.exists(path):
        pytest.fail("%s not found: scripts/test-python.sh builds it (cargo build --release -p jingmin-cli)" % path)
    return path


def _cli_report(*args):
    """``jingmin report --format json ARGS`` as a dict (exit 1: records rejected)."""
    import subprocess

    done = subprocess.run([_cli(), "report", "--format", "json"] + [str(a) for a in args],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    assert done.returncode in (0, 1), done.stderr.decode("utf-8", "replace")
    return json.loads(done.stdout.decode("utf-8"))


# Messages with personal data where a report keeps it: a solicitation's
# phone (an indicator), an officer's name holding a mobile number.
PERSONAL = [
    {"id": "1", "group": "g", "sender": "居民甲", "role": "resident", "time": "2024-03-01 10:00:00",
     "text": "请问周六警务室有人吗？"},
    {"id": "2", "group": "g", "sender": "wxid_13912345678", "role": "police", "time": "2024-03-01 10:05:00",
     "text": "周六上午有人值班"},
    {"id": "3", "group": "g", "sender": "某人", "role": "resident", "time": "2024-03-01 11:00:00",
     "text": "刷单日结，一单一结，加微信：13987654321"},
]


def test_unreadable_records_count_as_the_command_line(engine, tmp_path):
    # A JSON Lines file with lines the command line cannot read: the
    # binding, fed its readable lines and told the unreadable ones,
    # reports what `jingmin report` reports.
    path = tmp_path / "export.jsonl"
    lines = [json.dumps(m, ensure_ascii=False) for m in PERSONAL]
    lines[1:1] = ["not json at all", '{"id":"x","group":"g","time":"2024-03-01 10:01:00"}']  # no text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = _cli_report(path)
    assert expected["messages"]["rejected"]["by_reason"]["unreadable"] == 2

    with jingmin.Aggregator(engine, config={"drill_down": True}) as agg:
        agg.add_many(PERSONAL)
        assert agg.add_unreadable(str(path), 2) is jingmin.Added.REJECTED_UNREADABLE
        out = agg.add_unreadable(str(path), 3)
        assert out is jingmin.Added.REJECTED_UNREADABLE and out.rejected and out == "rejected_unreadable"
        before = agg.report()
        # The same record again is a copy; nothing else changes.
        assert agg.add_unreadable(str(path), 3) is jingmin.Added.DUPLICATE
        again = agg.report()
        assert again["messages"]["duplicates"] == before["messages"]["duplicates"] + 1
        again["messages"]["duplicates"] = before["messages"]["duplicates"]
        assert again == before
        agg.mask_personal_data()
        got = agg.report()
    got["messages"]["duplicates"] = expected["messages"]["duplicates"]
    assert got == expected

    # Merged and restored, each record counts once.
    a, b = jingmin.Aggregator(engine), jingmin.Aggregator(engine)
    for x in (a, b):
        x.add_unreadable("f.jsonl", 1)
    b.add_unreadable("f.jsonl", 2)
    b.add_unreadable("", 2**64 - 1)
    a.merge(b)
    r = jingmin.Aggregator.restore(a.snapshot()).report()["messages"]["rejected"]
    assert r["by_reason"]["unreadable"] == 3 and r["by_reason"]["missing_group"] == 0 and r["total"] == 3

    before = a.report_json()
    for source, line, error in [(b"f.jsonl", 1, TypeError), (None, 1, TypeError), ("f", "1", TypeError),
                                ("f", True, TypeError), ("f", 1.0, TypeError), ("f", -1, ValueError),
                                ("f", 2**64, ValueError), ("a\ud800", 1, jingmin.InvalidUtf8Error)]:
        with pytest.raises(error) as e:
            a.add_unreadable(source, line)
    assert "jm_aggregator_add_unreadable: source: " in str(e.value)
    assert a.report_json() == before
    a.close()
    with pytest.raises(jingmin.AggregatorClosedError):
        a.add_unreadable("f", 1)


def test_mask_personal_data_as_the_command_line(engine, tmp_path):
    # A snapshot saved raw by the command line (`--raw --keep-raw`) reports
    # raw values when restored; masked, it reports what `jingmin report
    # --from-snapshot` (masked by default) reports.
    path = tmp_path / "personal.jsonl"
    path.write_text("".join(json.dumps(m, ensure_ascii=False) + "\n" for m in PERSONAL), encoding="utf-8")
    snap = tmp_path / "raw.snapshot.json"
    raw = _cli_report("--raw", "--keep-raw", "--save-snapshot", snap, path)
    masked = _cli_report("--from-snapshot", snap)
    assert masked == _cli_report(path)
    numbers = ("13912345678", "13987654321")
    assert all(n in json.dumps(raw, ensure_ascii=False) for n in numbers)
    assert not any(n in json.dumps(masked, ensure_ascii=False) for n in numbers)

    agg = jingmin.Aggregator.restore(snap.read_text(encoding="utf-8"), engine=engine)
    assert agg.report() == raw
    assert agg.mask_personal_data() is None
    assert agg.report() == masked
    assert not any(n in agg.snapshot() for n in numbers)
    agg.mask_personal_data()  # idempotent
    assert agg.report() == masked

    # Counted through the binding (no raw output), the officer's name is
    # masked as it is counted; masking again changes nothing.
    fed = jingmin.Aggregator(engine, config={"drill_down": True})
    fed.add_many(PERSONAL)
    assert "13912345678" not in fed.report_json()
    assert fed.report() == masked
    fed.mask_personal_data()
    assert fed.report() == masked
    fed.close()
    with pytest.raises(jingmin.AggregatorClosedError):
        fed.mask_personal_data()
