#!/usr/bin/env bash
# The HTML report in a real browser: build the release binary, write the
# report of the demo data as HTML, open it in headless Chromium (Debian's
# `chromium` package), take a screenshot and dump the DOM after the page's
# script ran, then check the DOM:
#   - the four charts are inline <svg> elements with their ids
#     (chart-daily, chart-fraud-types, chart-fraud-stances, chart-response;
#     the daily one also as chart-daily-narrow, for phones) and hold drawn
#     shapes (rect/path/line of non-zero size); the daily chart's legend
#     (#legend-daily) names the eight categories;
#   - the per-group table (#group-table) is sortable and has one row per group,
#     and a click on its 回应率 header sorts the rows in Chromium (checked on
#     a copy of the page with one line of script added that clicks);
#   - the browser's console shows no script error;
#   - the headline is the one the text report prints;
#   - nothing would be fetched: no external URL in src/href/action/etc., no
#     <link>/<iframe>/<object>/<embed>/<img>, no CSS url() or @import;
#   - the header and footer: --title and --unit, the time the page was made
#     (SOURCE_DATE_EPOCH, in the report's offset), the period, the inputs.
# Then the layout, measured in Chromium (scripts/chromium_page.py) on an
# emulated phone 390 px wide (where the viewport meta tag applies), on a
# desktop 1280 px wide, with the print style sheet at the width of an A4
# page, and on the phone again for a page whose title and unit are long
# words with markup in them:
#   - nothing is wider than the viewport: the document's scroll width, and
#     every element's box but those inside a table's scroll box (.scroll),
#     which itself stays inside; on the phone the group table does scroll
#     in its box, in print nothing scrolls;
#   - all eight legend entries are shown (non-zero size) inside the viewport;
#   - the daily chart for the screen is shown (the phone's or the wide one,
#     not both), every day's bars inside it; every text of every chart, bar
#     value labels included, inside its SVG and the page; no two day labels
#     overlap; no chart text drawn smaller than 9 px;
#   - no script error.
# Last, the page printed to PDF (--print-to-pdf): A4 pages (595 x 842 pt).
# Exits non-zero on any failure.
#
# Usage: scripts/check-html.sh [OUT_DIR]   (default target/html-check)
# Writes OUT_DIR/report.html, OUT_DIR/report.png (the screenshot, 1280x2400),
# OUT_DIR/report.dom.html, OUT_DIR/report.pdf, OUT_DIR/layout-*.json (the
# measurements) and the browser's logs.
# On a fresh Debian machine run as root: chromium and a CJK font
# (fonts-noto-cjk, or the Chinese text renders as boxes) are apt-get installed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${1:-$ROOT/target/html-check}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

. "$ROOT/scripts/lib.sh"

need_chromium

echo "== cargo build --release -p jingmin-cli"
cargo build --quiet --release -p jingmin-cli
BIN="$(cargo_target_dir)/release/jingmin"

REPORT=(report examples/data/exports/* --roster examples/data/roster.csv --exported-by-police)
HTML="$OUT/report.html"
PNG="$OUT/report.png"
DOM="$OUT/report.dom.html"
SORTED="$OUT/report-click.dom.html"
HEADLINE="$OUT/headline.txt"
PDF="$OUT/report.pdf"
LONG="$OUT/report-long.html"
LONG_DOM="$OUT/report-long.dom.html"
rm -f "$HTML" "$PNG" "$DOM" "$SORTED" "$HEADLINE" "$PDF" "$LONG" "$LONG_DOM" "$OUT"/layout-*.json

# The page's header and footer: a title, a unit and a fixed time of making
# (2024-04-06 03:34:38 at +08:00).
export CHECK_TITLE="2024年3月警民群工作报告" CHECK_UNIT="青禾县公安局" CHECK_EPOCH=1712345678
# Long words with markup and a control character: they must wrap, escaped.
CHECK_LONG_TITLE="<i>$(printf '长%.0s' $(seq 60))</i>"$'\a'"&amp;"
CHECK_LONG_UNIT="$(printf 'W%.0s' $(seq 160))"
export CHECK_LONG_TITLE CHECK_LONG_UNIT

echo "== jingmin report --format html"
SOURCE_DATE_EPOCH="$CHECK_EPOCH" "$BIN" "${REPORT[@]}" --format html --title "$CHECK_TITLE" --unit "$CHECK_UNIT" --out "$HTML"
"$BIN" "${REPORT[@]}" --format html --title "$CHECK_LONG_TITLE" --unit "$CHECK_LONG_UNIT" --out "$LONG"
# The inputs as the shell gave them, for the footer.
printf '%s\n' examples/data/exports/* >"$OUT/inputs.txt"
# The headline as the text report prints it (its first line).
"$BIN" "${REPORT[@]}" | head -n 1 >"$HEADLINE"

# A profile of its own for every run, removed at the end.
PROFILE="$(mktemp -d)"
trap 'rm -rf "$PROFILE"' EXIT
chromium_run() {
    timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$PROFILE" --window-size=1280,2400 "$@"
}

echo "== chromium: screenshot"
chromium_run --screenshot="$PNG" "file://$HTML" 2>"$OUT/chromium-screenshot.log" || {
    echo "chromium failed to take the screenshot:" >&2
    cat "$OUT/chromium-screenshot.log" >&2
    exit 1
}
dump_dom() { # HTML_FILE DOM_FILE LOG_FILE
    chromium_run --enable-logging=stderr --v=0 --dump-dom "file://$1" >"$2" 2>"$3" || {
        echo "chromium failed to dump the DOM of $1:" >&2
        cat "$3" >&2
        exit 1
    }
}
echo "== chromium: DOM"
dump_dom "$HTML" "$DOM" "$OUT/chromium-dom.log"
# The sorting in the browser: a copy of the page (the page itself stays as
# written) that clicks the 回应率 header once, which sorts descending.
sed 's|</body>|<script>document.querySelector("#group-table th[data-key=answered_share]").click();</script></body>|' \
    "$HTML" >"$OUT/report-click.html"
dump_dom "$OUT/report-click.html" "$SORTED" "$OUT/chromium-click.log"
dump_dom "$LONG" "$LONG_DOM" "$OUT/chromium-long.log"

# Chromium's windows are at least 500 px wide and ignore the viewport meta
# tag: the phone is emulated over the DevTools protocol instead.
echo "== chromium: layout on a phone (390 px), a desktop (1280 px), in print (A4)"
LAYOUT=(python3 "$ROOT/scripts/chromium_page.py" layout)
"${LAYOUT[@]}" "file://$HTML" "$OUT/layout-phone.json" --width 390 --height 844 --mobile
"${LAYOUT[@]}" "file://$HTML" "$OUT/layout-desktop.json" --width 1280 --height 900
# A4 less the page's margins (210 mm - 2 x 12 mm) is 703 CSS px wide.
"${LAYOUT[@]}" "file://$HTML" "$OUT/layout-print.json" --width 703 --height 1000 --print
"${LAYOUT[@]}" "file://$LONG" "$OUT/layout-long.json" --width 390 --height 844 --mobile

echo "== chromium: print to PDF"
chromium_run --no-pdf-header-footer --print-to-pdf="$PDF" "file://$HTML" 2>"$OUT/chromium-pdf.log" || {
    echo "chromium failed to print the page:" >&2
    cat "$OUT/chromium-pdf.log" >&2
    exit 1
}

echo "== checking the page"
export CHECK_OUT="$OUT"
python3 - "$DOM" "$PNG" "$HEADLINE" "$HTML" "$SORTED" "$OUT/chromium-dom.log" "$OUT/chromium-click.log" "$OUT/chromium-long.log" <<'PY'
import datetime
import html
import json
import os
import re
import struct
import sys
from html.parser import HTMLParser

dom_path, png_path, headline_path, html_path, sorted_path = sys.argv[1:6]
log_paths = sys.argv[6:]
failures = []


def fail(msg):
    failures.append(msg)


CHARTS = ["chart-daily", "chart-daily-narrow", "chart-fraud-types", "chart-fraud-stances", "chart-response"]
SHAPES = {"rect", "path", "line", "polyline", "polygon", "circle"}
# Attributes through which a page fetches something.
URL_ATTRS = {"src", "href", "xlink:href", "action", "formaction", "data", "poster",
             "background", "srcset", "ping", "manifest", "codebase", "cite"}
FETCHING_TAGS = {"link", "iframe", "frame", "object", "embed", "img", "image", "audio",
                 "video", "source", "track", "base", "use", "feimage"}


def positive(v):
    try:
        return float(v) > 0
    except (TypeError, ValueError):
        return False


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.svgs = {}          # id -> {"shapes": n, "drawn": n, "texts": [..]}
        self.svg_stack = []     # ids of open svg elements (None without id)
        self.in_text = 0
        self.ids = {}
        self.tables = {}        # id -> {"class", "th", "body_rows", "foot_rows"}
        self.table = None
        self.section = None
        self.headline = None
        self.in_headline = False
        self.in_style = False
        self.styles = []
        self.scripts_with_src = []
        self.fetching = []
        self.urls = []

    def current_svg(self):
        for s in reversed(self.svg_stack):
            if s is not None:
                return s
        return None

    def handle_starttag(self, tag, attrs):
        self.start(tag, attrs, closed=False)

    def handle_startendtag(self, tag, attrs):
        self.start(tag, attrs, closed=True)

    def start(self, tag, attrs, closed):
        a = dict(attrs)
        if "id" in a:
            self.ids[a["id"]] = self.ids.get(a["id"], 0) + 1
        for k, v in attrs:
            if v is None:
                continue
            # Anything but an in-page anchor or inline data is fetched
            # (http(s), protocol-relative, or a path next to the file).
            if k in URL_ATTRS and v.strip() and not v.strip().startswith(("#", "data:")):
                self.urls.append((tag, k, v))
            if k == "style" and re.search(r"url\s*\(|@import", v, re.I):
                self.urls.append((tag, k, v))
        if tag in FETCHING_TAGS:
            self.fetching.append(tag)
        if tag == "script" and "src" in a:
            self.scripts_with_src.append(a["src"])
        if tag == "style":
            self.in_style = not closed
        if tag == "svg":
            sid = a.get("id")
            if sid is not None:
                self.svgs.setdefault(sid, {"shapes": 0, "drawn": 0, "rects": 0, "texts": []})
            if not closed:
                self.svg_stack.append(sid)
            return
        cur = self.current_svg()
        if cur is not None:
            if tag in SHAPES:
                self.svgs[cur]["shapes"] += 1
                if tag == "rect" and positive(a.get("width")) and positive(a.get("height")):
                    self.svgs[cur]["drawn"] += 1
                    self.svgs[cur]["rects"] += 1
                elif tag == "line" and (a.get("x1"), a.get("y1")) != (a.get("x2"), a.get("y2")):
                    self.svgs[cur]["drawn"] += 1
                elif tag in ("path", "polyline", "polygon") and (a.get("d") or a.get("points")):
                    self.svgs[cur]["drawn"] += 1
            if tag == "text" and not closed:
                self.in_text += 1
                self.svgs[cur]["texts"].append("")
        if tag == "table":
            tid = a.get("id", "")
            self.table = tid
            self.tables[tid] = {"class": a.get("class", ""), "th": [], "body_rows": 0, "foot_rows": 0}
        elif self.table is not None:
            t = self.tables[self.table]
            if tag in ("thead", "tbody", "tfoot"):
                self.section = tag
            elif tag == "tr":
                if self.section == "tbody":
                    t["body_rows"] += 1
                    t.setdefault("rows", []).append([])
                elif self.section == "tfoot":
                    t["foot_rows"] += 1
            elif tag == "th":
                t["th"].append(dict(a))
            elif tag == "td" and self.section == "tbody" and t.get("rows"):
                t["rows"][-1].append(dict(a))
        if tag == "p" and a.get("id") == "headline":
            self.in_headline = True
            self.headline = ""

    def handle_endtag(self, tag):
        if tag == "svg" and self.svg_stack:
            self.svg_stack.pop()
        elif tag == "text" and self.in_text:
            self.in_text -= 1
        elif tag == "table":
            self.table = None
            self.section = None
        elif tag in ("thead", "tbody", "tfoot"):
            self.section = None
        elif tag == "p":
            self.in_headline = False
        elif tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_headline:
            self.headline += data
        if self.in_style:
            self.styles.append(data)
        cur = self.current_svg()
        if cur is not None and self.in_text and self.svgs[cur]["texts"]:
            self.svgs[cur]["texts"][-1] += data


with open(dom_path, encoding="utf-8") as fh:
    dom = fh.read()
if "<html" not in dom or "</html>" not in dom:
    fail(f"{dom_path}: not an HTML document (Chromium's --dump-dom printed {len(dom)} characters)")
page = Page()
page.feed(dom)
page.close()

# The charts.
min_drawn = {"chart-daily": 30, "chart-daily-narrow": 30, "chart-fraud-types": 3, "chart-fraud-stances": 4, "chart-response": 2}
for cid in CHARTS:
    svg = page.svgs.get(cid)
    if svg is None:
        fail(f"chart {cid}: no <svg id=\"{cid}\"> in the page")
        continue
    if page.ids.get(cid, 0) != 1:
        fail(f"chart {cid}: the id occurs {page.ids.get(cid, 0)} times")
    if svg["shapes"] == 0:
        fail(f"chart {cid}: no rect/path/line inside")
    elif svg["drawn"] < min_drawn[cid]:
        fail(f"chart {cid}: {svg['drawn']} shapes of non-zero size, expected at least {min_drawn[cid]}")
    if not any(t.strip() for t in svg["texts"]):
        fail(f"chart {cid}: no text labels")
    print(f"   {cid}: {svg['shapes']} shapes ({svg['drawn']} drawn), {len(svg['texts'])} labels")
# The legend of the daily chart: HTML beside it (it wraps on a phone).
legend = re.search(r'<ul class="legend" id="legend-daily">(.*?)</ul>', dom, re.S)
legend_items = [re.sub(r"<[^>]*>", "", li) for li in re.findall(r"<li\b.*?</li>", legend.group(1), re.S)] if legend else []
for label in ("其他", "法治宣传", "提醒告知", "化解矛盾", "安全防范", "便民服务", "异常报告", "弘扬正气"):
    if label not in legend_items:
        fail(f"chart-daily: the legend lacks {label} (legend: {legend_items})")
for cid in ("chart-daily", "chart-daily-narrow"):
    daily = page.svgs.get(cid, {"texts": []})["texts"]
    if not any(re.fullmatch(r"\d\d-\d\d", t) for t in daily):
        fail(f"{cid}: no day labels (MM-DD) on the x axis")

# The group table.
gt = page.tables.get("group-table")
if gt is None:
    fail("no <table id=\"group-table\">")
else:
    if "sortable" not in gt["class"].split():
        fail(f"group-table: class {gt['class']!r} lacks 'sortable'")
    keys = [th.get("data-key") for th in gt["th"]]
    for k in ("group", "messages", "cases_opened", "answered_share"):
        if k not in keys:
            fail(f"group-table: no column {k} (columns: {keys})")
    if not all(th.get("data-type") in ("num", "text") for th in gt["th"]):
        fail("group-table: a header has no data-type for sorting")
    if gt["body_rows"] != 6:
        fail(f"group-table: {gt['body_rows']} group rows, expected 6 (the demo data's groups)")
    if gt["foot_rows"] != 1:
        fail(f"group-table: {gt['foot_rows']} total rows, expected 1")
    print(f"   group-table: {len(keys)} columns, {gt['body_rows']} rows + {gt['foot_rows']} total")

# Clicking 回应率 sorted the group rows by it, descending, in Chromium.
def parse(path):
    with open(path, encoding="utf-8") as fh:
        p = Page()
        p.feed(fh.read())
        p.close()
    return p


clicked = parse(sorted_path).tables.get("group-table")
if clicked is None or gt is None:
    fail("group-table: missing after the click")
else:
    keys = [th.get("data-key") for th in clicked["th"]]
    col = keys.index("answered_share") if "answered_share" in keys else None
    if col is None:
        fail("group-table: no answered_share column after the click")
    else:
        before = [float(r[col].get("data-v", "nan")) for r in gt.get("rows", [])]
        after = [float(r[col].get("data-v", "nan")) for r in clicked.get("rows", [])]
        if sorted(after) != sorted(before) or len(after) != 6:
            fail(f"group-table: the click lost or changed rows: {before} -> {after}")
        elif after != sorted(after, reverse=True):
            fail(f"group-table: not sorted by answered share (descending) after a click: {after}")
        elif "desc" not in (clicked["th"][col].get("class") or ""):
            fail("group-table: the clicked header is not marked as sorted (class desc)")
        else:
            print(f"   group-table sorts in Chromium: answered shares {after}")

# No script errors in the browser's console.
for lp in log_paths:
    with open(lp, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if "Uncaught" in line or ("CONSOLE" in line and "rror" in line):
                fail(f"{lp}: {line.strip()}")

# The headline: the text report's first line.
with open(headline_path, encoding="utf-8") as fh:
    expected = fh.read().strip()
got = (page.headline or "").strip()
if not expected.startswith("共 6 个群、"):
    fail(f"the text report's headline is unexpected: {expected[:60]!r}")
if got != expected:
    fail(f"headline differs from the text report's:\n  page: {got!r}\n  text: {expected!r}")
for needle in ("条消息", "群众咨询", "涉诈消息"):
    if needle not in got:
        fail(f"headline lacks {needle!r}")

# No network.
if page.urls:
    fail(f"URLs the browser would fetch: {page.urls[:5]}")
if page.fetching:
    fail(f"elements that fetch: {sorted(set(page.fetching))}")
if page.scripts_with_src:
    fail(f"external scripts: {page.scripts_with_src}")
css = "".join(page.styles)
if re.search(r"url\s*\(|@import", css, re.I):
    fail("the style sheet loads something (url() or @import)")
with open(html_path, encoding="utf-8") as fh:
    source = fh.read()
# Text from the data is escaped (`&lt;`), so a `<` here opens a real element.
if re.search(r"<(link|iframe|frame|img|image|object|embed|audio|video|source|base)\b", source, re.I):
    fail("the written HTML has an element that fetches")

# The screenshot: a PNG of the window size.
with open(png_path, "rb") as fh:
    png = fh.read()
if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
    fail(f"{png_path}: not a PNG")
else:
    w, h = struct.unpack(">II", png[16:24])
    if (w, h) != (1280, 2400):
        fail(f"{png_path}: {w}x{h}, expected 1280x2400")
    if len(png) < 50_000:
        fail(f"{png_path}: only {len(png)} bytes: a blank page?")
    print(f"   screenshot: {w}x{h}, {len(png)} bytes")

# The header and the footer.
out_dir = os.environ["CHECK_OUT"]
env = os.environ
if '<meta name="viewport" content="width=device-width, initial-scale=1">' not in dom:
    fail("no viewport meta tag (a phone would lay the page out 980 px wide)")


def element_text(source, pattern):
    m = re.search(pattern, source, re.S)
    return html.unescape(re.sub(r"<[^>]*>", "", m.group(1))).strip() if m else None


tz8 = datetime.timezone(datetime.timedelta(hours=8))
made = datetime.datetime.fromtimestamp(int(env["CHECK_EPOCH"]), tz8)
with open(os.path.join(out_dir, "inputs.txt"), encoding="utf-8") as fh:
    inputs = [line.rstrip("\n") for line in fh if line.strip()]
wanted = {
    r'<h1 id="title">(.*?)</h1>': env["CHECK_TITLE"],
    r'<p class="unit" id="unit">(.*?)</p>': env["CHECK_UNIT"],
    r'<dd id="footer-title">(.*?)</dd>': env["CHECK_TITLE"],
    r'<dd id="footer-unit">(.*?)</dd>': env["CHECK_UNIT"],
    r'<dd id="footer-period">(.*?)</dd>': "2024-03-01 07:02 至 2024-04-05 23:57（UTC+08:00）",
    r'<dd id="footer-generated">(.*?)</dd>': made.strftime("%Y-%m-%d %H:%M:%S") + "（UTC+08:00）",
}
for pattern, want in wanted.items():
    got = element_text(dom, pattern)
    if got != want:
        fail(f"{pattern}: {got!r}, expected {want!r}")
if f'<time datetime="{made.isoformat()}">' not in dom:
    fail(f"the footer's time lacks datetime=\"{made.isoformat()}\"")
m = re.search(r'<dd id="footer-inputs">(.*?)</dd>', dom, re.S)
listed = [html.unescape(x) for x in re.findall(r"<code>(.*?)</code>", m.group(1))] if m else []
if listed != inputs:
    fail(f"the footer's inputs {listed}, expected {inputs}")
if not re.search(r"<title>[^<]*" + re.escape(env["CHECK_TITLE"]) + "[^<]*" + re.escape(env["CHECK_UNIT"]), dom):
    fail("the document's <title> lacks the title and the unit")
# The long title: escaped (its markup is text) and without the control character.
with open(os.path.join(out_dir, "report-long.dom.html"), encoding="utf-8") as fh:
    long_dom = fh.read()
long_title = env["CHECK_LONG_TITLE"].replace("\a", "")
if element_text(long_dom, r'<h1 id="title">(.*?)</h1>') != long_title:
    fail(f"the long title reads {element_text(long_dom, r'<h1 id=.title.>(.*?)</h1>')!r}, expected {long_title!r}")
if "<i>" in long_dom.split("<body", 1)[-1] or "\a" in long_dom:
    fail("the long title's markup or control character reached the page")

# The layout, as Chromium measured it.
LAYOUTS = {  # name: (file, viewport width, media, the daily chart shown)
    "phone": ("layout-phone.json", 390, "screen", "chart-daily-narrow"),
    "desktop": ("layout-desktop.json", 1280, "screen", "chart-daily"),
    "print": ("layout-print.json", 703, "print", "chart-daily"),
    "long title, phone": ("layout-long.json", 390, "screen", "chart-daily-narrow"),
}
for name, (file, width, media, daily_shown) in LAYOUTS.items():
    with open(os.path.join(out_dir, file), encoding="utf-8") as fh:
        lay = json.load(fh)
    where = f"layout ({name})"
    W = lay["innerWidth"]
    if W != width:
        # A phone lays out a page without a viewport meta tag 980 px wide,
        # and zooms out to a page wider than its screen.
        fail(f"{where}: the viewport is {W} px wide, expected {width} (no viewport meta tag, or the page is wider than the screen)")
    if lay["media"] != media:
        fail(f"{where}: laid out for {lay['media']}, expected {media}")
    if lay["scrollWidth"] > W:
        fail(f"{where}: the page is {lay['scrollWidth']} px wide, wider than the viewport ({W} px)")
    if lay["checked"] < 200:
        fail(f"{where}: only {lay['checked']} elements measured")
    for o in lay["outside"][:10]:
        fail(f"{where}: {o['el']} spans {o['left']:.1f}..{o['right']:.1f} px, outside 0..{W}")
    # Tables scroll in their boxes (on a screen), the boxes stay inside.
    boxes = lay["scrollBoxes"]
    # groups, ranking, officers, categories, cases, fraud, indicators, the
    # three drill-down lists and the days.
    if len(boxes) != 11:
        fail(f"{where}: {len(boxes)} table scroll boxes, expected 11")
    for b in boxes:
        if b["box"]["left"] < -0.5 or b["box"]["right"] > W + 0.5:
            fail(f"{where}: the box of {b['table']} is outside the page")
        if media == "screen" and b["overflowX"] not in ("auto", "scroll"):
            fail(f"{where}: the box of {b['table']} does not scroll (overflow-x: {b['overflowX']})")
        if media == "print" and b["scrollWidth"] > b["clientWidth"] + 1:
            fail(f"{where}: {b['table']} is {b['scrollWidth']} px wide, wider than the printed page ({b['clientWidth']} px)")
    if name == "phone":
        wide = [b["table"] for b in boxes if b["scrollWidth"] > b["clientWidth"]]
        if "group-table" not in wide:
            fail(f"{where}: the group table does not scroll in its box (wider ones: {wide}); the check would not see an overflow")
    # The legend: eight entries, each shown inside the viewport.
    legend = lay["legend"]
    if len(legend) != 8:
        fail(f"{where}: {len(legend)} legend entries, expected 8")
    for e in legend:
        if e["width"] <= 0 or e["height"] <= 0:
            fail(f"{where}: legend entry {e['text']} is not shown")
        elif e["left"] < -0.5 or e["right"] > W + 0.5 or e["top"] < 0 or e["bottom"] > lay["scrollHeight"]:
            fail(f"{where}: legend entry {e['text']} is outside the viewport ({e['left']:.0f}..{e['right']:.0f} px)")
    # The charts.
    charts = {c["id"]: c for c in lay["charts"]}
    shown = {cid for cid, c in charts.items() if c["shown"]}
    want_shown = {daily_shown, "chart-fraud-types", "chart-fraud-stances", "chart-response"}
    if shown != want_shown:
        fail(f"{where}: charts shown {sorted(shown)}, expected {sorted(want_shown)}")
    for cid in sorted(shown):
        c = charts[cid]
        if c["box"]["left"] < -0.5 or c["box"]["right"] > W + 0.5:
            fail(f"{where}: {cid} is outside the page")
        for t in c["textsOutside"][:5]:
            fail(f"{where}: {cid}: the text {t['text']!r} leaves its chart or the page")
        for t in c["valuesOutside"][:5]:
            fail(f"{where}: {cid}: the value label {t['text']!r} leaves its chart or the page")
        for b in c["barsOutside"][:5]:
            fail(f"{where}: {cid}: a bar leaves its chart ({b})")
        if c["minFont"] is None or c["minFont"] < 9:
            fail(f"{where}: {cid}: text drawn at {c['minFont']} px, too small to read")
        drawn = page.svgs.get(cid, {}).get("rects", 0)
        if cid.startswith("chart-daily"):
            if c["bars"] != drawn or drawn < 30:
                fail(f"{where}: {cid}: {c['bars']} of its {drawn} bars shown")
            if c["ticks"] < 2:
                fail(f"{where}: {cid}: {c['ticks']} day labels")
            if c["tickOverlaps"]:
                fail(f"{where}: {cid}: day labels overlap: {c['tickOverlaps'][:5]}")
        elif c["values"] == 0 or c["values"] != c["bars"]:
            fail(f"{where}: {cid}: {c['values']} value labels for {c['bars']} bars")
    for e in lay["errors"]:
        fail(f"{where}: script error: {e}")
    daily = charts.get(daily_shown, {})
    print(f"   layout ({name}): {W} px wide, page {lay['scrollWidth']} px; {lay['checked']} elements inside; "
          f"{len(legend)} legend entries; {daily_shown} {daily.get('box', {}).get('width', 0):.0f} px with "
          f"{daily.get('bars')} bars, {daily.get('ticks')} day labels; smallest chart text "
          f"{min((c['minFont'] for c in lay['charts'] if c['minFont']), default=0):.1f} px")

# The printed page: A4.
pdf_path = os.path.join(out_dir, "report.pdf")
with open(pdf_path, "rb") as fh:
    pdf = fh.read()
boxes = re.findall(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", pdf)
pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
if not pdf.startswith(b"%PDF-"):
    fail(f"{pdf_path}: not a PDF")
elif not boxes or pages < 2:
    fail(f"{pdf_path}: {pages} pages, {len(boxes)} media boxes")
else:
    sizes = {tuple(round(float(v)) for v in b) for b in boxes}
    if sizes != {(0, 0, 595, 842)}:
        fail(f"{pdf_path}: page sizes {sorted(sizes)}, expected A4 (0 0 595 842)")
    print(f"   print: {pages} A4 pages ({len(pdf)} bytes)")

if failures:
    print("FAILED:", file=sys.stderr)
    for f in failures:
        print(" -", f, file=sys.stderr)
    sys.exit(1)
print("   all checks passed")
PY
echo "== the page renders: $PNG"
