"""The Excel workbook of ``jingmin report --format xlsx``, read back with
openpyxl and compared cell by cell with the JSON report of the same run.

The tool is ``target/release/jingmin`` (``scripts/test-python.sh`` builds
it, and installs openpyxl from PyPI in the test venv), or the path in
``JINGMIN_CLI``.
"""

import datetime
import json
import os
import subprocess

import openpyxl
import pytest

from test_cross import ROOT, cli

DEMO = [os.path.join(ROOT, "examples", "data", "exports", f) for f in sorted(os.listdir(os.path.join(ROOT, "examples", "data", "exports")))]
ARGS = DEMO + ["--roster", os.path.join(ROOT, "examples", "data", "roster.csv"), "--exported-by-police"]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    d = tmp_path_factory.mktemp("xlsx")
    book = d / "report.xlsx"
    subprocess.run([cli(), "report", *ARGS, "--format", "xlsx", "--out", str(book)], check=True, capture_output=True)
    out = subprocess.run([cli(), "report", *ARGS, "--format", "json"], check=True, capture_output=True)
    return openpyxl.load_workbook(book), json.loads(out.stdout)


def rows(ws):
    values = list(ws.iter_rows(values_only=True))
    return values[0], values[1:]


def test_one_sheet_per_table_with_chinese_headers(both):
    wb, _ = both
    assert wb.sheetnames[0] == "概况"
    for name in ["按类别统计", "按群统计", "各群回应排名", "民警个人（一警一群）", "按日统计", "按周统计", "按月统计",
                 "涉诈消息：类型与态度", "群众咨询与回应", "诈骗引流消息明细（待清理）", "未回应与待回应的咨询", "受害报告明细"]:
        assert name in wb.sheetnames, name
    header, _ = rows(wb["按群统计"])
    assert header[0] == "群名" and "回应率" in header


def test_group_cells_equal_the_json_report(both):
    wb, report = both
    header, body = rows(wb["按群统计"])
    col = {h: i for i, h in enumerate(header)}
    assert len(body) == len(report["groups"])
    for row, g in zip(body, report["groups"]):
        assert row[col["群标识"]] == g["group"]
        assert row[col["消息"]] == g["messages"]["total"]
        assert isinstance(row[col["消息"]], int)
        assert row[col["涉诈"]] == g["fraud"]["messages"]
        assert row[col["群众咨询"]] == g["cases"]["opened"]
        share = g["cases"]["answered_share"]
        assert row[col["回应率"]] == pytest.approx(share) if share is not None else row[col["回应率"]] is None
        p50 = g["cases"]["first_response_seconds"]["p50"]
        assert row[col["首次回应中位(分)"]] == pytest.approx(p50 / 60.0)


def test_days_are_dates_and_counts_numbers(both):
    wb, report = both
    header, body = rows(wb["按日统计"])
    assert len(body) == len(report["days"])
    for row, d in zip(body, report["days"]):
        assert isinstance(row[0], datetime.datetime)
        assert row[0].date().isoformat() == d["day"]
        assert row[1] == d["messages"]["total"]


def test_drill_down_lists_are_complete(both):
    wb, report = both
    header, body = rows(wb["诈骗引流消息明细（待清理）"])
    sol = report["drill_down"]["solicitations"]
    assert len(body) == len(sol) > 0
    for row, m in zip(body, sol):
        assert isinstance(row[0], datetime.datetime)
        assert row[0].strftime("%Y-%m-%dT%H:%M:%S") == m["time"][:19]
        assert (row[5] or "") == " ".join(x for x in (m["text"] or "").splitlines() if x)
    _, body = rows(wb["受害报告明细"])
    vic = report["drill_down"]["victim_reports"]
    assert len(body) == len(vic)
    assert sum(r[4] for r in body) == pytest.approx(report["fraud"]["victim_money_yuan"])


def test_officers_sheet(both):
    wb, report = both
    _, body = rows(wb["民警个人（一警一群）"])
    assert [r[0] for r in body] == [o["officer"] for o in report["officers"]]
    assert [r[4] for r in body] == [o["answered_first"] for o in report["officers"]]
