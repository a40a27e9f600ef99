"""jingmin.spark.aggregate: the report of ``jingmin report --format json``."""

import json
import os
import random
import subprocess

import pytest
from pyspark.sql import functions as F, types as T

import jingmin
from jingmin import spark as jms

from conftest import CLI, ROSTER, cli_report


SCHEMA = "id string, `group` string, sender string, role string, time string, text string"


def _read(spark, path):
    # The JSON Lines fields as strings (a number in `time` or `id` keeps its
    # digits), without a pass to infer the schema.
    return spark.read.schema(SCHEMA).json(path)


def test_demo_data_equals_the_command_line(spark, demo_path, roster):
    expected = cli_report("--roster", ROSTER, demo_path)
    assert expected["messages"]["total"] > 3000
    assert expected["fraud"]["solicitation_indicators"], "the demo data has fraud leads"
    # The figures of report version 2 are there to compare: the drill-down
    # lists with their texts and senders (kept by default), the officers,
    # the weeks and months.
    drill = expected["drill_down"]
    assert drill["solicitations"] and drill["open_cases"] and drill["victim_reports"]
    assert all(item["text"] for item in drill["solicitations"])
    assert any(item["sender"] for item in drill["open_cases"])
    assert expected["officers"] and expected["weeks"] and expected["months"]
    got = jms.aggregate(_read(spark, demo_path), roster=roster).report()
    for field in ("messages", "drill_down", "officers", "weeks", "months", "groups", "days", "cases", "fraud"):
        assert got[field] == expected[field], field
    assert got == expected


def test_masked_like_the_command_line(spark, demo_path, roster):
    # The default report masks phone numbers; the indicators of the Spark
    # report are the command line's, masked alike.
    got = jms.aggregate(_read(spark, demo_path), roster=roster).report()
    phones = [i["text"] for i in got["fraud"]["solicitation_indicators"] if i["kind"] == "phone"]
    assert phones and all("****" in p for p in phones)
    raw = cli_report("--roster", ROSTER, "--raw", demo_path)
    raw_phones = [i["text"] for i in raw["fraud"]["solicitation_indicators"] if i["kind"] == "phone"]
    assert raw_phones and not any("****" in p for p in raw_phones)


PERSONAL = [
    {"id": "p1", "group": "g", "sender": "居民甲", "role": "resident", "time": "2024-03-01 10:00:00",
     "text": "请问周六警务室有人吗？"},
    # An officer whose name holds a mobile number: the officers' figures
    # and the drill-down lists show it masked.
    {"id": "p2", "group": "g", "sender": "wxid_13912345678", "role": "police", "time": "2024-03-01 10:05:00",
     "text": "周六上午有人值班"},
    {"id": "p3", "group": "g", "sender": "13712345678", "role": "resident", "time": "2024-03-01 11:00:00",
     "text": "刷单日结，一单一结，加微信：13987654321"},
    {"id": "p4", "group": "g", "sender": "13712345678", "role": "resident", "time": "2024-03-01 11:10:00",
     "text": "我被骗了3000元，转到了6222021234567890128"},
    {"id": "p5", "group": "g", "sender": "13712345678", "role": "resident", "time": "2024-03-01 12:00:00",
     "text": "有人在小区门口吵架，快来人"},
]


def test_personal_data_masked_as_the_command_line(spark, workdir):
    # Sender names and drill-down texts with personal numbers: the Spark
    # report equals the command line's default report, masked alike, and
    # shows none of the numbers (the raw report of the command line does).
    path = os.path.join(workdir, "personal.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for m in PERSONAL:
            f.write(json.dumps(m, ensure_ascii=False) + "\n")
    expected = cli_report(path)
    numbers = ("13912345678", "13712345678", "13987654321", "6222021234567890128")
    assert any(n in json.dumps(cli_report("--raw", path), ensure_ascii=False) for n in numbers)
    assert expected["officers"] and expected["drill_down"]["open_cases"]
    for n in (1, 3):
        agg = jms.aggregate(_read(spark, path).repartition(n))
        got = agg.report()
        assert got == expected, "%d partitions" % n
        shown = json.dumps(got, ensure_ascii=False) + agg.snapshot()
        assert not any(n in shown for n in numbers), shown


def test_200000_messages_equal_the_command_line(spark, corpus_path):
    expected = cli_report(corpus_path)
    assert expected["messages"]["total"] > 150000
    assert expected["messages"]["duplicates"] > 500
    assert expected["cases"]["answered"] > 0
    assert expected["group_count"] == 24
    agg = jms.aggregate(_read(spark, corpus_path))
    assert agg.report() == expected


def test_partitions_and_order_do_not_matter(spark, demo_path, corpus_path, roster):
    # The demo data and a fifth of the corpus, so that duplicates and cases
    # cross partitions.
    df = _read(spark, demo_path).unionByName(_read(spark, corpus_path).limit(5000)).cache()
    reference = None
    for n in (1, 3, 17):
        agg = jms.aggregate(df.repartition(n), roster=roster)
        snap, report = agg.snapshot(), agg.report_json()
        if reference is None:
            reference = (snap, report)
        assert (snap, report) == reference, "%d partitions" % n
    shuffled = df.orderBy(F.rand(seed=7)).repartition(5)
    agg = jms.aggregate(shuffled, roster=roster)
    assert (agg.snapshot(), agg.report_json()) == reference
    # A deeper tree, and messages fed a few at a time.
    agg = jms.aggregate(df.repartition(17), roster=roster, depth=4, batch_size=7)
    assert agg.report_json() == reference[1]
    df.unpersist()


CORRUPT = [
    {"id": "c1", "group": "g", "time": "2024-03-01 10:00:00", "text": "请问怎么办居住证？"},
    {"id": "c2", "group": "g", "time": "不是时间", "text": "你好"},  # a time that cannot be read
    {"id": "c3", "group": "g", "time": "2024-03-01 10:00:00"},  # no text
    {"id": "c4", "group": "g", "time": "1990-01-01 10:00:00", "text": "你好"},  # implausible: invalid_time
    {"id": "c5", "group": "g", "time": "2024-03-01 10:05:00", "text": "   "},  # blank text
    {"id": "c6", "group": "g", "time": "2024-03-01 10:05:00 PM", "text": "好的"},  # read as 22:05
    {"id": "c7", "group": "g", "time": "2024-03-01 10:06:00", "text": "好的", "role": "民警"},
    {"id": "c8", "group": "g", "time": "2024-03-01 10:06:00", "text": "好的", "role": "领导"},  # unknown role
    {"id": "c9", "group": " g ", "time": "2024-02-30 10:00:00", "text": "好"},  # no such day
    {"id": "c10", "group": "g", "text": "没有时间"},  # missing_time
    {"id": "c11", "time": "2024-03-01 10:07:00", "text": "没有群"},  # missing_group
    {"id": "c12", "group": "g", "time": 99999999999999, "text": "数字太长"},
    {"id": "c13", "group": "g", "time": "2024-03-01 10:08:00", "text": "[图片]"},
    {"id": "c14", "group": "g", "time": "2024-03-01 10:09:00", "text": "\"李阿姨\"撤回了一条消息"},
]


def _corrupt_file(workdir, copies):
    path = os.path.join(workdir, "corrupt.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for k in range(copies):
            for m in CORRUPT:
                m = dict(m, id="%s-%d" % (m["id"], k))
                f.write(json.dumps(m, ensure_ascii=False) + "\n")
            f.write("not json at all\n")
    return path


def _one_pass(rows, **kw):
    """The same rows through message_of_row and one Aggregator, no Spark."""
    agg = jingmin.Aggregator(config={"drill_down": True})
    messages, unreadable = [], {}
    for r in rows:
        fields = [r.get(k) for k in ("id", "group", "sender", "role", "time", "text")]
        m = jms.message_of_row(*fields, **kw)
        if m is None:
            key = jms._row_key(fields)
            unreadable[key] = unreadable.get(key, 0) + 1
        else:
            messages.append(m)
    agg.add_many(messages)
    for key in sorted(unreadable):
        for line in range(1, unreadable[key] + 1):
            assert agg.add_unreadable(jms.UNREADABLE_SOURCE + key, line) is jingmin.Added.REJECTED_UNREADABLE
    agg.mask_personal_data()
    return agg.report()


def test_corrupt_rows_are_rejected_as_in_one_pass(spark, workdir):
    path = _corrupt_file(workdir, copies=50)
    # Spark's JSON reader turns the line that is not JSON into a row of nulls.
    df = _read(spark, path)
    rows = [r.asDict() for r in df.collect()]
    assert len(rows) == 50 * (len(CORRUPT) + 1)
    default_group = "corrupt"  # the command line's group for lines without one: the file's stem
    for n in (1, 3, 17):
        got = jms.aggregate(df.repartition(n), default_group=default_group).report()
        assert got == _one_pass(rows, default_group=default_group), "%d partitions" % n
    shuffled = jms.aggregate(df.orderBy(F.rand(seed=3)).repartition(5), default_group=default_group)
    assert shuffled.report() == got

    cli = cli_report(path)
    rejected = cli["messages"]["rejected"]
    # Per copy: c2 c3 c5 c8 c9 c12 and the line that is not JSON cannot be
    # read; c4 has an implausible time; c10 has none; c11 has no group in the
    # file but the command line gives it the file's stem. The 50 lines that
    # are not JSON are 50 identical rows of nulls: 50 records, as 50 lines.
    assert rejected["by_reason"] == {"missing_group": 0, "missing_time": 50, "invalid_time": 50, "unreadable": 350}
    assert rejected["total"] == 450
    assert got["messages"]["rejected"] == rejected
    assert got == cli
    assert got["messages"]["media"] == 50 and got["messages"]["recalled"] == 50

    # The same rows counted again (the aggregator of the same DataFrame
    # merged in) are copies, as the lines of a file read twice are.
    again = jms.aggregate(df.repartition(3), default_group=default_group)
    shuffled.merge(again)
    twice = shuffled.report()
    assert twice["messages"]["rejected"] == rejected
    assert twice["messages"]["duplicates"] == cli["messages"]["duplicates"] + len(rows)
    twice_cli = cli_report(path, path)
    assert twice_cli["messages"]["rejected"] == rejected
    assert twice["messages"]["duplicates"] == twice_cli["messages"]["duplicates"]


def test_typed_time_columns(spark, workdir):
    # The same instants as RFC 3339 strings (JSON Lines, read by the command
    # line), as TimestampType, as TimestampNTZType (wall clock at +08:00),
    # as Unix seconds and milliseconds.
    rng = random.Random(5)
    base = 1709251200  # 2024-03-01T08:00:00+08:00
    rows = []
    for i in range(300):
        unix = base + rng.randrange(10 * 86400)
        rows.append((str(i), "g%d" % (i % 3), "police" if i % 4 == 0 else "resident", unix,
                     ["请问周六警务室有人吗？", "周六上午有人值班", "我被骗了3000元", "收到"][i % 4]))
    path = os.path.join(workdir, "typed.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for id_, g, role, unix, text in rows:
            import datetime

            t = datetime.datetime.fromtimestamp(unix, datetime.timezone(datetime.timedelta(hours=8))).isoformat()
            f.write(json.dumps({"id": id_, "group": g, "role": role, "time": t, "text": text}, ensure_ascii=False) + "\n")
    expected = cli_report(path)

    df = spark.createDataFrame(
        [(i, g, r, u, u * 1000 + 999, float(u), t) for i, g, r, u, t in rows],
        "id string, `group` string, role string, secs long, millis long, fsecs double, text string",
    )
    by_secs = jms.aggregate(df, time_col="secs").report()
    assert by_secs == expected
    assert jms.aggregate(df, time_col="millis").report() == expected
    assert jms.aggregate(df, time_col="fsecs").report() == expected
    # TimestampType: an instant, whatever the session time zone; fractions
    # of a second are dropped.
    for zone in ("America/New_York", "Asia/Shanghai"):
        spark.conf.set("spark.sql.session.timeZone", zone)
        ts = df.withColumn("at", F.timestamp_seconds(F.col("millis") / 1000))
        assert isinstance(ts.schema["at"].dataType, T.TimestampType)
        assert jms.aggregate(ts, time_col="at").report() == expected, zone
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    # TimestampNTZType: the wall clock, read in the configured offset.
    ntz = df.withColumn("wall", F.to_timestamp_ntz(F.from_unixtime(F.col("secs") + 8 * 3600, "yyyy-MM-dd HH:mm:ss")))
    assert jms.aggregate(ntz, time_col="wall").report() == expected
    # Another offset reads wall clocks (and writes days) in that offset, as --tz does.
    tz = cli_report("--tz", "+02:00", path)
    ntz2 = df.withColumn("wall", F.to_timestamp_ntz(F.from_unixtime(F.col("secs") + 2 * 3600, "yyyy-MM-dd HH:mm:ss")))
    assert jms.aggregate(ntz2, time_col="wall", config={"utc_offset_seconds": 7200}).report() == tz
    with pytest.raises(TypeError, match="time column"):
        jms.aggregate(df.withColumn("d", F.to_date(F.lit("2024-03-01"))), time_col="d")


def test_column_mapping_and_missing_columns(spark, demo_path, roster):
    df = _read(spark, demo_path)
    renamed = df.select(
        F.col("id").alias("msg_id"), F.col("group").alias("room"), F.col("sender").alias("who"),
        F.col("role").alias("kind"), F.col("time").alias("at"), F.col("text").alias("body"),
    )
    expected = jms.aggregate(df, roster=roster).report_json()
    got = jms.aggregate(renamed, id_col="msg_id", group_col="room", sender_col="who", role_col="kind",
                        time_col="at", text_col="body", roster=roster)
    assert got.report_json() == expected
    with pytest.raises(ValueError, match="not in the DataFrame"):
        jms.aggregate(renamed, text_col="body", group_col="nope")
    # Default columns the DataFrame lacks are absent from every message.
    only_text = df.select("group", "time", "text")
    r = jms.aggregate(only_text).report()
    assert r["messages"]["by_role"]["police"] == 0
    assert r["messages"]["total"] > 0


def test_snapshot_reads_in_the_command_line(spark, demo_path, roster, workdir):
    agg = jms.aggregate(_read(spark, demo_path), roster=roster)
    path = os.path.join(workdir, "merged.snapshot.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(agg.snapshot())
    assert cli_report("--from-snapshot", path) == agg.report() == cli_report("--roster", ROSTER, demo_path)
    html = subprocess.run([CLI, "report", "--format", "html", "--from-snapshot", path],
                          stdout=subprocess.PIPE, check=True).stdout.decode("utf-8")
    assert "<html" in html and "杏花路派出所-幸福里小区警民议事群" in html


def test_user_lexicon_and_configuration(spark, demo_path, workdir):
    lexicon = '{"entries":[{"pattern":"已转发","kind":"fraud","type":"fake_shopping","weight":2}]}'
    path = os.path.join(workdir, "lexicon.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(lexicon)
    expected = cli_report("--lexicon", path, "--answer-window", "1h", demo_path)
    assert expected != cli_report("--answer-window", "1h", demo_path)
    for source in (path, lexicon):
        got = jms.aggregate(_read(spark, demo_path).repartition(3), lexicon=source,
                            config={"answer_window_seconds": 3600})
        assert got.report() == expected
    # drill_down as --no-drill-down: the lists are null, as the command line's.
    no_drill = cli_report("--no-drill-down", "--answer-window", "1h", demo_path)
    assert no_drill["drill_down"] is None
    got = jms.aggregate(_read(spark, demo_path), config={"answer_window_seconds": 3600, "drill_down": False})
    assert got.report() == no_drill
    with pytest.raises(jingmin.InvalidConfigError):
        jms.aggregate(_read(spark, demo_path), config={"answer_window_seconds": 0})
    with pytest.raises(jingmin.InvalidLexiconError):
        jms.aggregate(_read(spark, demo_path), lexicon="{\"entries\": 3}")


def test_empty_dataframe(spark):
    df = spark.createDataFrame([], "id string, `group` string, time string, text string")
    r = jms.aggregate(df).report()
    assert r["messages"]["total"] == 0 and r["groups"] == []
    r = jms.aggregate(df.repartition(3), config={"answer_window_seconds": 60}).report()
    assert r["settings"]["answer_window_seconds"] == 60


def test_partial_snapshots_are_reported(spark, demo_path):
    snaps = []
    agg = jms.aggregate(_read(spark, demo_path).repartition(4), snapshots=snaps)
    assert len(snaps) == 4
    merged = jingmin.Aggregator.restore(snaps[0])
    for s in snaps[1:]:
        merged.merge(jingmin.Aggregator.restore(s))
    # The partial snapshots are not masked; the result is, once merged.
    merged.mask_personal_data()
    assert merged.report() == agg.report()
