#!/usr/bin/env python3
"""Open a page in headless Chromium at a given screen size, then measure its
layout or take a screenshot of the whole page.

Chromium's --window-size cannot go below 500 px wide, and a desktop window
ignores the page's viewport meta tag; a phone is emulated here instead, over
the DevTools protocol on a pipe (--remote-debugging-pipe: no port, no
network), with the standard library only.

  chromium_page.py layout URL OUT.json --width 390 --height 844 [--mobile] [--print]
      OUT.json: the findings of LAYOUT_JS (see there) on the loaded page;
      --print lays the page out with the print style sheet.
  chromium_page.py screenshot URL OUT.png --width 390 [--mobile] [--scale 2]
                   [--max-height 6000]
      a PNG of the whole page (at most --max-height CSS pixels of it).

Used by scripts/check-html.sh and scripts/screenshots.sh. Exits non-zero
when Chromium fails or a step times out.
"""

import argparse
import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

TIMEOUT = 60  # seconds for any one step

# What the layout checks need, measured in the page (CSS pixels):
# - the viewport's width and the document's scroll width;
# - every rendered element whose box leaves [0, innerWidth], but those
#   inside a horizontal scroll box (.scroll);
# - the scroll boxes: their own box and whether their content scrolls;
# - each legend entry of the daily chart: its box;
# - each chart (svg.chart): whether it is shown, its box, its texts that
#   leave it, the smallest font size as drawn, its value labels (text.value)
#   and how many leave it, and the x-axis labels (text.tick-x) that overlap.
LAYOUT_JS = r"""
(function () {
  var W = window.innerWidth, E = 0.5;
  function box(el) { var r = el.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height}; }
  function shown(r) { return r.width > 0 || r.height > 0; }
  function describe(el) {
    var c = el.getAttribute('class'), t = (el.textContent || '').replace(/\s+/g, ' ').trim();
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (c ? '.' + c.split(' ').join('.') : '') + (t ? ' "' + t.slice(0, 40) + '"' : '');
  }
  function inScroll(el) {
    for (var p = el.parentNode; p && p.nodeType === 1; p = p.parentNode) {
      if ((' ' + (p.getAttribute('class') || '') + ' ').indexOf(' scroll ') >= 0) { return true; }
    }
    return false;
  }
  function inside(r, o) { return r.left >= o.left - E && r.right <= o.right + E && r.top >= o.top - E && r.bottom <= o.bottom + E; }
  var out = {innerWidth: W, innerHeight: window.innerHeight, scrollWidth: document.documentElement.scrollWidth,
             scrollHeight: document.documentElement.scrollHeight, media: window.matchMedia('print').matches ? 'print' : 'screen',
             viewportMeta: !!document.querySelector('meta[name=viewport]'), outside: [], checked: 0, scrollBoxes: [], legend: [], charts: []};
  var all = document.body.getElementsByTagName('*');
  for (var i = 0; i < all.length; i++) {
    var el = all[i], tag = el.tagName.toLowerCase();
    if (tag === 'script' || tag === 'style' || tag === 'title') { continue; }
    var r = box(el);
    if (!shown(r) || inScroll(el)) { continue; }
    out.checked++;
    if (r.left < -E || r.right > W + E) { out.outside.push({el: describe(el), left: r.left, right: r.right}); }
  }
  var boxes = document.querySelectorAll('.scroll');
  for (i = 0; i < boxes.length; i++) {
    var b = boxes[i], t = b.querySelector('table');
    out.scrollBoxes.push({table: t ? t.id : '', box: box(b), scrollWidth: b.scrollWidth, clientWidth: b.clientWidth,
                          overflowX: getComputedStyle(b).overflowX});
  }
  var items = document.querySelectorAll('#legend-daily li');
  for (i = 0; i < items.length; i++) { var lb = box(items[i]); lb.text = items[i].textContent; out.legend.push(lb); }
  var svgs = document.querySelectorAll('svg.chart');
  for (i = 0; i < svgs.length; i++) {
    var s = svgs[i], sr = box(s), c = {id: s.id, shown: shown(sr), box: sr, texts: 0, textsOutside: [], minFont: null,
                                      values: 0, valuesOutside: [], ticks: 0, tickOverlaps: [], bars: 0, barsOutside: []};
    if (c.shown) {
      var ctm = s.getScreenCTM(), scale = ctm ? Math.sqrt(ctm.a * ctm.a + ctm.b * ctm.b) : 1;
      var texts = s.getElementsByTagName('text'), ticks = [];
      for (var j = 0; j < texts.length; j++) {
        var tx = texts[j], tr = box(tx), cls = ' ' + (tx.getAttribute('class') || '') + ' ';
        var px = parseFloat(getComputedStyle(tx).fontSize) * scale;
        c.texts++;
        if (c.minFont === null || px < c.minFont) { c.minFont = px; }
        var ok = inside(tr, sr) && tr.left >= -E && tr.right <= W + E;
        if (!ok) { c.textsOutside.push({text: tx.textContent, box: tr}); }
        if (cls.indexOf(' value ') >= 0) { c.values++; if (!ok) { c.valuesOutside.push({text: tx.textContent, box: tr}); } }
        if (cls.indexOf(' tick-x ') >= 0) { ticks.push({text: tx.textContent, left: tr.left, right: tr.right}); }
      }
      ticks.sort(function (a, b) { return a.left - b.left; });
      c.ticks = ticks.length;
      for (j = 1; j < ticks.length; j++) {
        if (ticks[j].left < ticks[j - 1].right) { c.tickOverlaps.push(ticks[j - 1].text + '/' + ticks[j].text); }
      }
      var rects = s.getElementsByTagName('rect');
      for (j = 0; j < rects.length; j++) {
        var rr = box(rects[j]);
        if (!shown(rr)) { continue; }
        c.bars++;
        if (!inside(rr, sr)) { c.barsOutside.push(rr); }
      }
    }
    out.charts.push(c);
  }
  return JSON.stringify(out);
})()
"""


class Chromium:
    """A headless Chromium driven over --remote-debugging-pipe."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="jingmin-chromium-")
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def fds():
            # Chromium reads commands on fd 3 and writes on fd 4.
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.log = open(os.path.join(self.profile, "chromium.log"), "w+")
        self.proc = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", "--remote-debugging-pipe", f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log, preexec_fn=fds, close_fds=False)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buf = b""
        self._id = 0
        self.events = []
        self.session = None

    def _read_message(self, deadline):
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_chrome], [], [], left)
            if ready:
                chunk = os.read(self._from_chrome, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the pipe")
                self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, session=True):
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self._id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, method):
        deadline = time.monotonic() + TIMEOUT
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._read_message(deadline))

    def open(self, url, width, height, mobile, scale=1, media=None):
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        self.metrics(width, height, mobile, scale)
        if media:
            self.call("Emulation.setEmulatedMedia", {"media": media})
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")
        # Fonts (the CJK one) loaded, and a frame laid out with them.
        self.evaluate("document.fonts ? document.fonts.ready.then(function(){return 1;}) : 1", await_promise=True)
        self.evaluate("new Promise(function(r){requestAnimationFrame(function(){requestAnimationFrame(function(){r(1);});});})",
                      await_promise=True)

    def metrics(self, width, height, mobile, scale=1):
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile})

    def evaluate(self, expression, await_promise=False):
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": await_promise})
        if "exceptionDetails" in r:
            raise RuntimeError(f"script failed: {r['exceptionDetails']}")
        return r["result"].get("value")

    def errors(self):
        """Uncaught exceptions and console errors seen so far."""
        out = []
        for e in self.events:
            if e.get("method") == "Runtime.exceptionThrown":
                out.append(e["params"]["exceptionDetails"].get("text", "exception"))
            elif e.get("method") == "Runtime.consoleAPICalled" and e["params"].get("type") == "error":
                out.append(" ".join(str(a.get("value", a.get("description", ""))) for a in e["params"].get("args", [])))
        return out

    def close(self):
        try:
            self.call("Browser.close", session=False)
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_chrome, self._from_chrome):
            try:
                os.close(fd)
            except OSError:
                pass
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=["layout", "screenshot"])
    ap.add_argument("url")
    ap.add_argument("out")
    ap.add_argument("--width", type=int, required=True)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--mobile", action="store_true", help="emulate a phone (the viewport meta tag applies)")
    ap.add_argument("--print", action="store_true", help="lay out with the print style sheet")
    ap.add_argument("--scale", type=float, default=1, help="device pixels per CSS pixel")
    ap.add_argument("--max-height", type=int, default=6000)
    a = ap.parse_args()

    c = Chromium()
    try:
        c.open(a.url, a.width, a.height, a.mobile, a.scale, "print" if a.print else None)
        if a.action == "layout":
            found = json.loads(c.evaluate(LAYOUT_JS))
            found["errors"] = c.errors()
            with open(a.out, "w", encoding="utf-8") as fh:
                json.dump(found, fh, ensure_ascii=False, indent=1)
        else:
            height = min(int(c.evaluate("document.documentElement.scrollHeight")), a.max_height)
            c.metrics(a.width, height, a.mobile, a.scale)
            c.evaluate("new Promise(function(r){requestAnimationFrame(function(){requestAnimationFrame(function(){r(1);});});})",
                       await_promise=True)
            shot = c.call("Page.captureScreenshot", {"format": "png"})
            with open(a.out, "wb") as fh:
                fh.write(base64.b64decode(shot["data"]))
    except (RuntimeError, OSError, ValueError) as e:
        print(f"chromium_page.py {a.action} {a.url}: {e}", file=sys.stderr)
        c.log.seek(0)
        sys.stderr.write(c.log.read()[-4000:])
        c.close()
        sys.exit(1)
    c.close()


if __name__ == "__main__":
    main()
