#!/usr/bin/env python3
"""Leave-one-source-out evaluation of jingmin's models, beside a baseline.

For every source (the development set ../shared/eval/dev.jsonl and each set
of data/labelled/), the engine's models are trained without that source
(examples/train_classifier.rs, the shipped training settings) and the source
is scored by ../shared/eval/score.py. The baseline is a TF-IDF character
1-3-gram linear SVM (scikit-learn defaults, sender role prefixed as a token)
trained on the same data: one classifier for the category, one for
fraud-related or not, one for the stance and one for the primary type.

    python3 tools/loso.py [--only NAME ...] [--out DIR] [--markdown FILE]
        [--blind]                  score the held-out set as if no sender's
                                   role were known (as real SMS and exports
                                   without a roster arrive), for both
        [--min NAME=VALUE ...]     floors on the engine's held-out figures
        [--max NAME=VALUE ...]     ceilings on them (false_alarms: the share
                                   of messages without fraud content flagged)
        [--no-baseline]            the engine only (faster)
        [--baseline-augment N]     give the baseline's training data the
                                   role-blind copies the engine's trainer
                                   adds (one message in N of known role,
                                   N=2 as the trainer does; default 0: the
                                   baseline as specified, without them)
        [--beat-baseline]          fail unless the engine matches or beats
                                   the baseline on every split (category,
                                   fraud recall at equal or better precision,
                                   type, stance)

With the baseline, each split also prints the engine's best fraud recall at
the baseline's precision (over every threshold on its risk).

Floors apply only to sets of at least 300 messages. Exit status 1 when a
floor or the baseline check fails.
"""

import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEV = os.path.join(ROOT, "..", "shared", "eval", "dev.jsonl")
SCORE = os.path.join(ROOT, "..", "shared", "eval", "score.py")
METRICS = ["category_acc", "category_macro_f1", "fraud_precision", "fraud_recall", "fraud_type_acc", "stance_acc", "false_alarms"]


def sources():
    out = [("dev", DEV)]
    d = os.path.join(ROOT, "data", "labelled")
    for f in sorted(os.listdir(d)):
        if f.endswith(".jsonl"):
            out.append((f[: -len(".jsonl")], os.path.join(d, f)))
    return out


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def score(gold, pred):
    out = subprocess.run([sys.executable, SCORE, gold, pred], capture_output=True, text=True, check=True).stdout
    figures = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2:
            try:
                figures[parts[0]] = float(parts[1])
            except ValueError:
                pass
    return figures


def flagged(gold_path, pred_path):
    """For each prediction of a labelled message: whether the gold has
    fraud content, whether the engine flags it (a fraud type or a hit), and
    its score, the risk (that of a message not flagged is its fraud
    probability, 0-29) put above every unflagged one when flagged."""
    gold = {x["id"]: x for x in load(gold_path)}
    out = []
    for p in load(pred_path):
        g = gold.get(p.get("id"))
        if g is None:
            continue
        fr = p.get("fraud") or {}
        f = bool(fr.get("types") or fr.get("hits"))
        out.append((bool(g["fraud_types"]), f, fr.get("risk", 0) + (100 if f else 0)))
    return out


def false_alarms(rows):
    """The share of the messages without fraud content that are flagged."""
    neg = [f for y, f, _ in rows if not y]
    return sum(neg) / max(len(neg), 1)


def recall_at_precision(rows, precision):
    """The engine's best fraud recall over every threshold on its score
    whose precision is at least `precision`."""
    positives = sum(1 for y, _, _ in rows if y)
    best = 0.0
    for t in sorted({s for _, _, s in rows}):
        tp = sum(1 for y, _, s in rows if y and s >= t)
        fp = sum(1 for y, _, s in rows if not y and s >= t)
        if tp and tp / (tp + fp) >= precision:
            best = max(best, tp / max(positives, 1))
    return best


def engine_split(name, path, others, outdir, trainer, blind, extra):
    d = os.path.join(outdir, name)
    os.makedirs(d, exist_ok=True)
    test = path
    if blind:
        test = os.path.join(d, name + ".blind.jsonl")
        with open(test, "w", encoding="utf-8") as f:
            for x in load(path):
                x["role"] = "unknown"
                f.write(json.dumps(x, ensure_ascii=False) + "\n")
    cmd = [trainer]
    for _, p in others:
        cmd += ["--data", p]
    cmd += ["--min-count", "4", "--out", os.path.join(d, "category.bin"), "--fraud-out", os.path.join(d, "fraud.bin"), "--predict", test] + extra
    subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    pred = os.path.join(d, os.path.basename(test)[: -len(".jsonl")] + ".pred.jsonl")
    figures = score(path, pred)
    rows = flagged(path, pred)
    figures["false_alarms"] = false_alarms(rows)
    return figures, pred, rows


def with_blind_copies(messages, every):
    """The messages, each of known role on a line whose index is a
    multiple of `every` followed by a copy without its role: the copies
    examples/train_classifier.rs adds (`--augment-every`). None for 0."""
    for n, x in enumerate(messages):
        yield x
        if every and x.get("role", "unknown") != "unknown" and n % every == 0:
            yield dict(x, role="unknown")


def baseline_split(train, test, blind):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    def doc(x, role=None):
        return "<%s> %s" % (role or x.get("role", "unknown"), x["text"])

    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    X = vec.fit_transform([doc(x) for x in train])
    Xt = vec.transform([doc(x, "unknown" if blind else None) for x in test])
    cat = LinearSVC().fit(X, [x["category"] for x in train]).predict(Xt)
    fraud = LinearSVC().fit(X, [bool(x["fraud_types"]) for x in train]).predict(Xt)
    stance = LinearSVC().fit(X, [x["stance"] for x in train]).predict(Xt)
    pos = [i for i, x in enumerate(train) if x["fraud_types"]]
    typ = LinearSVC().fit(X[pos], [train[i]["fraud_types"][0] for i in pos]).predict(Xt)
    n = len(test)
    ok_cat = sum(1 for x, c in zip(test, cat) if c == x["category"] or c in x.get("also", []))
    cats = sorted({x["category"] for x in train + test})
    f1s = []
    for c in cats:
        tp = sum(1 for x, p in zip(test, cat) if p == c and (x["category"] == c or c in x.get("also", [])))
        fp = sum(1 for x, p in zip(test, cat) if p == c and not (x["category"] == c or c in x.get("also", [])))
        fn = sum(1 for x, p in zip(test, cat) if x["category"] == c and p != c and p not in x.get("also", []))
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    gold = [bool(x["fraud_types"]) for x in test]
    tp = sum(1 for g, p in zip(gold, fraud) if g and p)
    fp = sum(1 for g, p in zip(gold, fraud) if p and not g)
    fn = sum(1 for g, p in zip(gold, fraud) if g and not p)
    positives = [i for i, g in enumerate(gold) if g]
    return {
        "category_acc": ok_cat / max(n, 1),
        "category_macro_f1": sum(f1s) / max(len(f1s), 1),
        "fraud_precision": tp / max(tp + fp, 1),
        "fraud_recall": tp / max(tp + fn, 1),
        # As ../shared/eval/score.py scores the engine: a type counts when
        # the message is flagged and its primary type is one of the gold.
        "fraud_type_acc": sum(1 for i in positives if fraud[i] and typ[i] in test[i]["fraud_types"]) / max(len(positives), 1),
        "stance_acc": sum(1 for x, s in zip(test, stance) if s == x["stance"]) / max(n, 1),
        "false_alarms": fp / max(sum(1 for g in gold if not g), 1),
    }


def reliability(rows, all_sources, preds, markdown):
    """Predicted risk bands against the observed share of fraud-related and
    of harmful (solicitation, victim report) messages, over every held-out
    prediction."""
    paths = dict(all_sources)
    bands = [(0, 9), (10, 29), (30, 49), (50, 69), (70, 89), (90, 100)]
    counts = {b: [0, 0, 0] for b in bands}
    for name, _, _, _ in rows:
        gold = {x["id"]: x for x in load(paths[name])}
        for p in load(preds[name]):
            x = gold.get(p.get("id"))
            if x is None:
                continue
            r = p["fraud"]["risk"]
            for b in bands:
                if b[0] <= r <= b[1]:
                    c = counts[b]
                    c[0] += 1
                    c[1] += bool(x["fraud_types"])
                    c[2] += x["stance"] in ("solicitation", "victim_report")
    with open(markdown, "a", encoding="utf-8") as f:
        f.write("\n| predicted risk | messages | fraud-related | solicitation or victim report |\n|---|---|---|---|\n")
        for b in bands:
            n, fr, harm = counts[b]
            if n:
                f.write("| %d–%d | %d | %.1f %% | %.1f %% |\n" % (b[0], b[1], n, 100.0 * fr / n, 100.0 * harm / n))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "loso"))
    ap.add_argument("--markdown")
    ap.add_argument("--min", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--beat-baseline", action="store_true")
    ap.add_argument("--blind", action="store_true")
    ap.add_argument("--max", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--baseline-augment", type=int, default=0, metavar="N")
    ap.add_argument("--train-arg", action="append", default=[], help="another argument for the trainer")
    ap.add_argument("--trainer", default=None, help="the built train_classifier example")
    a = ap.parse_args()
    trainer = a.trainer
    if trainer is None:
        target = json.loads(subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"], capture_output=True, text=True, check=True, cwd=ROOT).stdout)["target_directory"]
        subprocess.run(["cargo", "build", "--quiet", "--release", "--example", "train_classifier"], check=True, cwd=ROOT)
        trainer = os.path.join(target, "release", "examples", "train_classifier")
    floors = {k: float(v) for k, v in (m.split("=", 1) for m in a.min)}
    ceilings = {k: float(v) for k, v in (m.split("=", 1) for m in a.max)}
    all_sources = sources()
    rows = []
    preds = {}
    failures = []
    for name, path in all_sources:
        if a.only and name not in a.only:
            continue
        others = [(n, p) for n, p in all_sources if n != name]
        t0 = time.time()
        eng, preds[name], flags = engine_split(name, path, others, a.out, trainer, a.blind, a.train_arg)
        test = load(path)
        if a.no_baseline:
            base = {m: float("nan") for m in METRICS}
        else:
            train = [y for _, p in others for y in with_blind_copies(load(p), a.baseline_augment)]
            base = baseline_split(train, test, a.blind)
            eng["recall_at_baseline_precision"] = recall_at_precision(flags, base["fraud_precision"])
        rows.append((name, len(test), eng, base))
        print("%-16s %5d  engine %s  baseline %s  (%.0f s)" % (
            name, len(test),
            " ".join("%s %.3f" % (m.replace("category_", "cat_").replace("fraud_", "f_"), eng.get(m, 0)) for m in METRICS),
            " ".join("%.3f" % base[m] for m in METRICS), time.time() - t0), flush=True)
        if "recall_at_baseline_precision" in eng:
            print("%-16s        engine fraud recall %.3f at the baseline's precision %.3f" % (
                name, eng["recall_at_baseline_precision"], base["fraud_precision"]), flush=True)
        if len(test) >= 300:
            for m, v in floors.items():
                if eng.get(m, 0.0) < v:
                    failures.append("%s: %s %.3f below the floor %.2f" % (name, m, eng.get(m, 0.0), v))
            for m, v in ceilings.items():
                if eng.get(m, 1.0) > v:
                    failures.append("%s: %s %.3f above the ceiling %.2f" % (name, m, eng.get(m, 1.0), v))
        if a.beat_baseline and not a.no_baseline:
            for m in ["category_acc", "fraud_type_acc", "stance_acc"]:
                if eng.get(m, 0.0) + 1e-9 < base[m]:
                    failures.append("%s: %s %.3f below the baseline's %.3f" % (name, m, eng.get(m, 0.0), base[m]))
            if eng.get("fraud_recall", 0) + 1e-9 < base["fraud_recall"] and eng.get("fraud_precision", 0) <= base["fraud_precision"]:
                failures.append("%s: fraud recall %.3f below the baseline's %.3f without better precision" % (
                    name, eng.get("fraud_recall", 0), base["fraud_recall"]))
    if a.markdown:
        with open(a.markdown, "w", encoding="utf-8") as f:
            f.write("| held-out set | n | category | macro-F1 | fraud P / R | type | stance | false alarms |\n|---|---|---|---|---|---|---|---|\n")
            for name, n, e, b in rows:
                f.write("| %s | %d | %.3f (%.3f) | %.3f (%.3f) | %.3f / %.3f (%.3f / %.3f) | %.3f (%.3f) | %.3f (%.3f) | %.1f %% (%.1f %%) |\n" % (
                    name, n, e.get("category_acc", 0), b["category_acc"], e.get("category_macro_f1", 0), b["category_macro_f1"],
                    e.get("fraud_precision", 0), e.get("fraud_recall", 0), b["fraud_precision"], b["fraud_recall"],
                    e.get("fraud_type_acc", 0), b["fraud_type_acc"], e.get("stance_acc", 0), b["stance_acc"],
                    100 * e.get("false_alarms", 0), 100 * b["false_alarms"]))
    if a.markdown:
        reliability(rows, all_sources, preds, a.markdown)
    for f in failures:
        print("FAIL", f)
    print("loso: %d splits, %d passed, %d failed" % (len(rows), len(rows) - len({f.split(':')[0] for f in failures}), len({f.split(':')[0] for f in failures})))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
