"""The case-statistics report of chat messages, computed on Spark.

    spark-submit examples/spark/report_job.py messages.parquet --out report
    python examples/spark/report_job.py exports.jsonl --out report   # local[*]

Reads Parquet or JSON Lines (taxonomy §4 fields: id, group, sender, role,
time, text; other column names with --column FIELD=NAME), aggregates with
jingmin.spark.aggregate and writes what `jingmin report` writes:
REPORT.json (the JSON report, personal data masked), REPORT.snapshot.json
(the merged snapshot) and REPORT.html, rendered by the `jingmin` command
line from that snapshot (`jingmin report --format html --from-snapshot`).
"""

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys

from pyspark.sql import SparkSession

from jingmin import spark as jms

FIELDS = ("id", "group", "sender", "role", "time", "text")


def read_roster(path):
    """sender -> role from a roster CSV (two columns; a `sender,role` header,
    blank lines and lines starting with # skipped)."""
    roster = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.reader(f):
            if len(row) < 2 or row[0].startswith("#") or (row[0].strip(), row[1].strip()) in (("sender", "role"), ("发送者", "角色")):
                continue
            roster[row[0].strip()] = row[1].strip()
    return roster


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("input", nargs="+", help="Parquet files or directories, or JSON Lines files")
    p.add_argument("--out", required=True, help="output prefix: OUT.json, OUT.snapshot.json, OUT.html")
    p.add_argument("--format", choices=("auto", "parquet", "jsonl"), default="auto")
    p.add_argument("--column", action="append", default=[], metavar="FIELD=NAME",
                   help="the column holding a field (default: the field's name)")
    p.add_argument("--tz", type=int, default=8 * 3600, help="UTC offset in seconds (default 28800, +08:00)")
    p.add_argument("--answer-window", type=int, default=86400, help="seconds (default 86400)")
    p.add_argument("--group", help="group of rows without one (as jingmin report --group)")
    p.add_argument("--roster", help="CSV sender,role of who is police (as jingmin report --roster)")
    p.add_argument("--lexicon", help="a user lexicon (JSON), layered over the built-in one")
    p.add_argument("--jingmin", default=shutil.which("jingmin") or "jingmin", help="the jingmin command line, for HTML")
    a = p.parse_args(argv)

    columns = {f: f for f in FIELDS}
    for spec in a.column:
        field, _, name = spec.partition("=")
        if field not in columns or not name:
            p.error("--column %s: expected FIELD=NAME with FIELD one of %s" % (spec, ", ".join(FIELDS)))
        columns[field] = name

    spark = SparkSession.builder.appName("jingmin-report").getOrCreate()
    fmt = a.format
    if fmt == "auto":
        fmt = "jsonl" if all(x.endswith((".jsonl", ".json", ".ndjson")) for x in a.input) else "parquet"
    if fmt == "jsonl":
        # Every field as a string: a number in `time` or `id` keeps its digits.
        schema = ", ".join("`%s` string" % columns[f] for f in FIELDS)
        df = spark.read.schema(schema).json(a.input)
    else:
        df = spark.read.parquet(*a.input)

    agg = jms.aggregate(
        df,
        id_col=columns["id"], group_col=columns["group"], sender_col=columns["sender"],
        role_col=columns["role"], time_col=columns["time"], text_col=columns["text"],
        config={"utc_offset_seconds": a.tz, "answer_window_seconds": a.answer_window},
        default_group=a.group, lexicon=a.lexicon, roster=read_roster(a.roster) if a.roster else None,
    )
    report = agg.report()
    with open(a.out + ".json", "w", encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False, indent=2)
        f.write("\n")
    snapshot = a.out + ".snapshot.json"
    # A snapshot holds the counting state: readable by its owner only, as
    # `jingmin report --save-snapshot` writes it.
    fd = os.open(snapshot, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(agg.snapshot())
    html = a.out + ".html"
    r = subprocess.run([a.jingmin, "report", "--format", "html", "--from-snapshot", snapshot, "--out", html])
    if r.returncode != 0:
        print("report_job: `%s report --from-snapshot` failed; the JSON report is in %s" % (a.jingmin, a.out + ".json"),
              file=sys.stderr)
        return 1
    m = report["messages"]
    print("%d messages in %d groups, %d fraud messages, %d cases (%d answered), %d rejected: %s.json, %s"
          % (m["total"], report["group_count"], report["fraud"]["messages"], report["cases"]["opened"],
             report["cases"]["answered"], m["rejected"]["total"], a.out, html))
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
