"""Throughput of jingmin.spark against the single-process Python binding.

    .venv/bin/python bench/spark_bench.py                  # 1,000,000 messages
    .venv/bin/python bench/spark_bench.py --messages 100000 --repeat 1

Needs the venv of scripts/test-spark.sh (pyspark, pyarrow, pandas, the
binding) and the release library. One run on one machine: the messages
(tests_spark/corpus.py, texts of the demo data) are written as Parquet in 8
files, then timed, each the median of --repeat runs:

- Python, one process: ``Engine.analyze_many`` over the texts, and
  ``Aggregator.add_many`` over the messages already read (dicts): the
  library's own path, without reading rows;
- Spark at local[1] and local[2]: ``analyze()`` from Parquet to a no-op
  sink (every row analysed, nothing written), and ``aggregate()`` from
  Parquet to the merged Aggregator (partial snapshots collected too, to
  measure them).

Prints messages/s, the ratios (local[2] / local[1]; Spark aggregate() at
local[2] / single-process add_many), the size of a partial snapshot and
checks that every aggregate() run reports what add_many reports.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "bindings", "python", "tests_spark"))

import corpus  # noqa: E402
import demo_jsonl  # noqa: E402


def median_time(fn, repeat):
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--messages", type=int, default=1000000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--seed", type=int, default=20240301)
    p.add_argument("--files", type=int, default=8, help="Parquet files, so partitions (default 8)")
    a = p.parse_args()

    import pyarrow as pa
    import pyarrow.parquet as pq

    import jingmin
    from jingmin import spark as jms

    work = tempfile.mkdtemp(prefix="jingmin-spark-bench-")
    demo = os.path.join(work, "demo.jsonl")
    demo_jsonl.convert(os.path.join(ROOT, "examples", "data", "exports"), demo,
                       roster=demo_jsonl.read_roster(os.path.join(ROOT, "examples", "data", "roster.csv")))
    rows = corpus.messages(a.messages, a.seed, corpus.demo_texts(demo))
    fields = ("id", "group", "sender", "role", "time", "text")
    table = pa.table({f: [None if r.get(f) is None else str(r[f]) for r in rows] for f in fields})
    data = os.path.join(work, "messages.parquet")
    os.makedirs(data)
    per = (len(rows) + a.files - 1) // a.files
    for i in range(a.files):
        pq.write_table(table.slice(i * per, per), os.path.join(data, "part-%02d.parquet" % i))
    size = sum(os.path.getsize(os.path.join(data, f)) for f in os.listdir(data))
    print("%d messages, %d Parquet files (%.1f MB), jingmin %s, %s" % (
        len(rows), a.files, size / 1e6, jingmin.library_version(), sys.version.split()[0]))

    # The single-process baselines, on the same messages.
    engine = jingmin.Engine()
    texts = [r["text"] for r in rows]
    roles = [jms._role_from_text(r["role"]) if r.get("role") is not None else None for r in rows]
    base_analyze, _ = median_time(lambda: engine.analyze_many(texts, roles=roles), a.repeat)
    messages = [jms.message_of_row(*(table.column(f)[i].as_py() for f in fields)) for i in range(len(rows))]
    assert all(m is not None for m in messages)

    def add_many():
        # The configuration jingmin.spark.aggregate() and `jingmin report`
        # use: the drill-down texts kept, personal data masked at the end.
        agg = jingmin.Aggregator(engine=engine, config={"drill_down": True})
        agg.add_many(messages)
        agg.mask_personal_data()
        return agg

    base_agg, agg = median_time(add_many, a.repeat)
    expected = agg.report_json()
    del messages

    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    results = {}
    for cores in (1, 2):
        spark = (SparkSession.builder.master("local[%d]" % cores).appName("jingmin-bench")
                 .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                 .config("spark.driver.memory", "4g").config("spark.sql.shuffle.partitions", "8")
                 .getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        df = spark.read.parquet(data)
        partitions = df.rdd.getNumPartitions()
        t_an, _ = median_time(lambda: jms.analyze(df, role_col="role").write.format("noop").mode("overwrite").save(),
                              a.repeat)
        snaps = []

        def run_aggregate():
            del snaps[:]
            return jms.aggregate(df, snapshots=snaps)

        t_ag, got = median_time(run_aggregate, a.repeat)
        assert got.report_json() == expected, "aggregate() differs from add_many at local[%d]" % cores
        results[cores] = (t_an, t_ag, partitions, [len(s.encode("utf-8")) for s in snaps])
        spark.stop()
        SparkSession._instantiatedSession = None

    n = len(rows)
    rate = lambda t: n / t
    print()
    print("| path | messages/s | ratio |")
    print("|---|---:|---:|")
    print("| Python `Engine.analyze_many`, one process | %s | 1.00 |" % format(int(rate(base_analyze)), ","))
    for cores in (1, 2):
        print("| Spark `analyze()`, local[%d] | %s | %.2f |" % (
            cores, format(int(rate(results[cores][0])), ","), base_analyze / results[cores][0]))
    print("| Python `Aggregator.add_many`, one process | %s | 1.00 |" % format(int(rate(base_agg)), ","))
    for cores in (1, 2):
        print("| Spark `aggregate()`, local[%d] | %s | %.2f |" % (
            cores, format(int(rate(results[cores][1])), ","), base_agg / results[cores][1]))
    print()
    an_scale = results[1][0] / results[2][0]
    ag_scale = results[1][1] / results[2][1]
    ag_vs = base_agg / results[2][1]
    sizes = results[2][3]
    print("local[2] / local[1]: analyze() %.2f×, aggregate() %.2f× (target ≥ 1.7×: %s, %s)" % (
        an_scale, ag_scale, "met" if an_scale >= 1.7 else "missed", "met" if ag_scale >= 1.7 else "missed"))
    print("Spark aggregate() at local[2] / Python add_many: %.2f× (target ≥ 0.5×: %s)" % (
        ag_vs, "met" if ag_vs >= 0.5 else "missed"))
    print("partial snapshots: %d partitions, median %s bytes (%.1f bytes per message), total %.1f MB" % (
        len(sizes), format(int(statistics.median(sizes)), ","), sum(sizes) / n, sum(sizes) / 1e6))
    print("reports: every aggregate() run equals add_many's")
    print(json.dumps({"messages": n, "repeat": a.repeat, "python_analyze_s": base_analyze, "python_add_many_s": base_agg,
                      "spark": {str(k): {"analyze_s": v[0], "aggregate_s": v[1], "partitions": v[2],
                                         "snapshot_bytes": v[3]} for k, v in results.items()}}))


if __name__ == "__main__":
    main()
