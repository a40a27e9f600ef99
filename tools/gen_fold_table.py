#!/usr/bin/env python3
"""Generate src/fold_table.rs: the Traditional/variant -> Simplified per-character fold table.

Usage (from the repository root):

    python3 tools/gen_fold_table.py [--opencc DIR] [--curated FILE] [--out FILE]

    --opencc   folder with the OpenCC dictionaries
               (default: ../shared/data/opencc relative to the repository root)
    --curated  curated additions (default: data/fold_curated.txt)
    --out      output file, "-" for stdout (default: src/fold_table.rs)

Standard library only. The output is deterministic: it depends only on the
input files (whose SHA-256 digests are recorded in the header), never on the
time, the machine or the paths given.

Inputs (OpenCC, Apache License 2.0, https://github.com/BYVoid/OpenCC):
  TSCharacters.txt                  Traditional -> Simplified, per character
  CJK_Compatibility_Ideographs.txt  compatibility ideograph -> unified ideograph
  TWVariants.txt, HKVariants.txt    standard Traditional -> Taiwan / Hong Kong
                                    variant; read in reverse (variant -> standard)
TSPhrases.txt is not read: the table is per character, phrases are ignored.

How the table is built
----------------------
1. Raw mappings, by precedence (a source keeps the first mapping it gets):
   a. curated lines (data/fold_curated.txt);
   b. TSCharacters.txt: the FIRST candidate only. A key whose first candidate
      is itself (OpenCC keeps it, e.g. 么 覆 瞭 衹 藉 沈) is a fixed point: it
      blocks the later sources, so a variant file cannot fold it;
   c. CJK_Compatibility_Ideographs.txt (compatibility -> unified);
   d. TWVariants.txt / HKVariants.txt reversed: every variant V listed for a
      standard form S (V != S) gives V -> S, unless V is itself a key of either
      variant file (then V is a standard form in its own right, e.g. 才 核 煙
      梁) or a key of TSCharacters.txt (handled by b). When one variant comes
      from several standard forms that fold differently, the generator stops
      and asks for a decision (none do in the current data).
   Only single-codepoint sources and targets are used; multi-character
   entries are ignored.
2. KEEP characters (below) are removed: they are never folded.
3. Chains are resolved: each source is followed through the raw mappings to a
   fixed point (薴 -> 苧 -> 苎 gives 薴 -> 苎; compatibility 車 U+F902 -> 車 ->
   车). A cycle is an error. Identity results are dropped. The result is
   idempotent: no target is itself a source.
4. Safety check: a source that is a GB2312 character (the 6,763 common
   Simplified characters, via Python's gb2312 codec) must be listed in
   REVIEWED_GB2312_FOLDS or KEEP, otherwise the generator stops. This is how
   "never fold a common Simplified character onto another one" is enforced
   when the OpenCC data changes.

Decisions about characters that are both Traditional and Simplified
-------------------------------------------------------------------
- 著 stays 著 (KEEP). OpenCC t2s leaves it alone; only the reversed Taiwan
  file would give 著 -> 着, which would turn Simplified 著名/显著 into 着.
- 干 后 里 面 发 are not OpenCC sources: they stay. 乾 -> 干, 後 -> 后,
  裡/裏 -> 里, 麵/麪 -> 面, 髮/發 -> 发 follow OpenCC's first candidate.
- 乾 -> 干 is kept (reviewed): in Traditional text 乾 is overwhelmingly 干
  (乾淨, 餅乾); Simplified 乾 survives only in 乾坤/乾隆 and names.
- Likewise reviewed and kept, following OpenCC: 夥->伙 徵->征 於->于 麽->么
  拚->拼 捱->挨 摺->折 榘->矩 菸->烟 醣->糖 麴->曲.
- KEEP 吒 薹 袷: OpenCC folds them (->咤 苔 夹), but their Simplified uses
  (哪吒, 蒜薹, 袷袢) keep the character and the Traditional readings that
  differ are rare.
- 帳 -> 账 (curated override of OpenCC's 帐): in messages 帳 is 帳戶/帳號.
  帐 itself is Simplified and is not folded.
"""

import argparse
import hashlib
import os
import sys

# Common Simplified characters that must never be folded (see the docstring).
KEEP = "著吒薹袷"

# GB2312 characters that OpenCC folds and that were reviewed and accepted.
REVIEWED_GB2312_FOLDS = "乾夥後徵於麽拚捱摺榘菸醣麴"

OPENCC_FILES = (
    "TSCharacters.txt",
    "CJK_Compatibility_Ideographs.txt",
    "TWVariants.txt",
    "HKVariants.txt",
)


class GenError(Exception):
    pass


def repo_root():
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def is_single(s):
    return len(s) == 1


def is_gb2312(c):
    try:
        c.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def is_compat_ideograph(c):
    cp = ord(c)
    return 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F


def read_text(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise GenError(f"cannot read {path}: {e.strerror}")
    try:
        return data, data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise GenError(f"{path}: not UTF-8 at byte {e.start}")


def parse_opencc(path):
    """Return (entries, digest): entries is a list of (key, [candidates]) in file order."""
    data, text = read_text(path)
    entries = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0] or not parts[1].strip():
            raise GenError(f"{path}:{lineno}: expected 'key<TAB>values'")
        entries.append((parts[0], parts[1].split()))
    return entries, hashlib.sha256(data).hexdigest()


def parse_curated(path):
    data, text = read_text(path)
    entries = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line, _, comment = raw.partition("#")
        line = line.strip()
        if not line:
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            raise GenError(f"{path}:{lineno}: expected 'SRC<TAB>DST  # comment'")
        src, dst = parts[0].strip(), parts[1].strip()
        if not (is_single(src) and is_single(dst)):
            raise GenError(f"{path}:{lineno}: SRC and DST must be single characters")
        if src == dst:
            raise GenError(f"{path}:{lineno}: identity mapping")
        entries.append((src, dst, comment.strip(), lineno))
    return entries, hashlib.sha256(data).hexdigest()


def build(opencc_dir, curated_path):
    parsed = {}
    digests = {}
    for name in OPENCC_FILES:
        parsed[name], digests[name] = parse_opencc(os.path.join(opencc_dir, name))
    curated, curated_digest = parse_curated(curated_path)

    notes = []

    # b. TSCharacters: first candidate, single characters only.
    ts = {}
    for key, cands in parsed["TSCharacters.txt"]:
        if is_single(key) and is_single(cands[0]):
            ts.setdefault(key, cands[0])

    # c. compatibility ideographs.
    compat = {}
    for key, cands in parsed["CJK_Compatibility_Ideographs.txt"]:
        if is_single(key) and is_single(cands[0]):
            compat.setdefault(key, cands[0])

    # d. variant files, reversed.
    variant_keys = set()
    for name in ("TWVariants.txt", "HKVariants.txt"):
        variant_keys.update(k for k, _ in parsed[name])
    reversed_variants = {}  # variant -> {standard: file}
    for name in ("TWVariants.txt", "HKVariants.txt"):
        for std, cands in parsed[name]:
            if not is_single(std):
                continue
            for var in cands:
                if not is_single(var) or var == std:
                    continue
                if var in variant_keys or var in ts:
                    continue
                reversed_variants.setdefault(var, {}).setdefault(std, name)

    def follow(c, step):
        seen = [c]
        while True:
            n = step(c)
            if n is None or n == c:
                return c
            if n in seen:
                raise GenError("cycle: " + " -> ".join(seen + [n]))
            seen.append(n)
            c = n

    def base_fold(c):
        return follow(c, lambda x: ts.get(x, compat.get(x)))

    variant_map = {}  # variant -> folded standard form
    variant_origin = {}
    for var in sorted(reversed_variants):
        if var in compat:
            continue
        stds = reversed_variants[var]
        targets = {base_fold(s) for s in stds}
        if len(targets) != 1:
            desc = ", ".join(f"{s} ({stds[s]}) -> {base_fold(s)}" for s in sorted(stds))
            raise GenError(f"variant {var} folds differently through {desc}; decide in the curated file")
        target = targets.pop()
        if target == var:
            # e.g. HK 戶 -> 户: reversed it says 户 -> 戶, which folds back to 户.
            continue
        variant_map[var] = target
        variant_origin[var] = "+".join(sorted(set(stds.values()))).replace("Variants.txt", "")

    # What OpenCC alone gives (no curated lines); used to check the curated file.
    def opencc_fold(c):
        return follow(c, lambda x: ts.get(x, compat.get(x, variant_map.get(x))))

    raw = {}
    origin = {}
    for src, dst, comment, lineno in curated:
        if src in raw:
            raise GenError(f"{curated_path}:{lineno}: {src} listed twice")
        if is_gb2312(src):
            raise GenError(f"{curated_path}:{lineno}: {src} is a common Simplified character")
        ocfold = opencc_fold(src)
        if ocfold == opencc_fold(dst):
            raise GenError(
                f"{curated_path}:{lineno}: {src} -> {dst} is redundant, OpenCC already gives {ocfold}"
            )
        if ocfold != src and "override" not in comment:
            raise GenError(
                f"{curated_path}:{lineno}: OpenCC folds {src} -> {ocfold}; "
                "say 'override' in the comment to replace it"
            )
        raw[src] = dst
        origin[src] = "curated"

    for source, name in ((ts, "TSCharacters"), (compat, "compat"), (variant_map, None)):
        for key, val in source.items():
            if key not in raw:
                raw[key] = val
                origin[key] = name or variant_origin[key]

    # 2. KEEP.
    for c in KEEP:
        if c in raw:
            notes.append(f"kept unfolded: {c} (raw {c} -> {raw[c]} from {origin[c]})")
            del raw[c]
        else:
            notes.append(f"KEEP entry {c} is not a source in this data")

    # 3. resolve chains.
    def resolve(c):
        return follow(c, raw.get)

    table = {}
    chained = 0
    for src in raw:
        dst = resolve(src)
        if dst == src:
            continue
        if dst != raw[src]:
            chained += 1
        table[src] = dst

    # 4. safety check.
    reviewed = set(REVIEWED_GB2312_FOLDS)
    for src in sorted(table):
        if is_gb2312(src) and src not in reviewed:
            raise GenError(
                f"{src} (U+{ord(src):04X}) is a common Simplified character but would fold to "
                f"{table[src]} ({origin[src]}); add it to KEEP or REVIEWED_GB2312_FOLDS"
            )
    for c in sorted(reviewed - set(table)):
        notes.append(f"reviewed GB2312 fold {c} is not in the table any more")

    for src, dst in table.items():
        if table.get(dst, dst) != dst or src == dst:
            raise GenError(f"internal error: {src} -> {dst} is not idempotent")

    counts = {}
    for src in table:
        counts[origin[src]] = counts.get(origin[src], 0) + 1
    notes.append(f"{len(table)} entries; {chained} resolved through chains; by origin: "
                 + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    digests["fold_curated.txt"] = curated_digest
    return table, digests, notes


def char_lit(c):
    return "'\\u{%X}'" % ord(c)


def shown(c):
    return "U+%04X" % ord(c) if is_compat_ideograph(c) else c


def render(table, digests):
    out = []
    out.append("// @generated by tools/gen_fold_table.py -- DO NOT EDIT BY HAND.")
    out.append("//")
    out.append("// Regenerate from the repository root with:")
    out.append("//     python3 tools/gen_fold_table.py")
    out.append("// (defaults: --opencc ../shared/data/opencc --curated data/fold_curated.txt")
    out.append("//  --out src/fold_table.rs). tests/fold_table_current.rs checks that this")
    out.append("// file matches the generator's output.")
    out.append("//")
    out.append("// Traditional / variant -> Simplified, one character at a time. Derived from")
    out.append("// the OpenCC dictionaries (https://github.com/BYVoid/OpenCC, Apache License")
    out.append("// 2.0, see LICENSES/OpenCC-Apache-2.0.txt and NOTICE) and the curated file")
    out.append("// data/fold_curated.txt. Inputs (SHA-256):")
    for name in OPENCC_FILES:
        out.append(f"//   {digests[name]}  OpenCC {name}")
    out.append(f"//   {digests['fold_curated.txt']}  data/fold_curated.txt")
    out.append("// Rules: first candidate only, single characters only, chains resolved (the")
    out.append("// table is idempotent), common Simplified characters never folded. See the")
    out.append("// generator's documentation for the decisions.")
    out.append("")
    out.append("//! Per-character fold of Traditional and variant Chinese characters onto")
    out.append("//! Simplified ones (generated; see the comment above).")
    out.append("")
    out.append(f"/// The fold table: {len(table)} `(source, simplified)` pairs, sorted by source.")
    out.append("#[rustfmt::skip]")
    out.append("pub(crate) static FOLD_TABLE: &[(char, char)] = &[")
    for src in sorted(table):
        dst = table[src]
        out.append(f"    ({char_lit(src)}, {char_lit(dst)}), // {shown(src)} {shown(dst)}")
    out.append("];")
    out.append("")
    out.append(RUST_TAIL)
    return "\n".join(out)


RUST_TAIL = r'''/// Folds one character: the Simplified form of a Traditional, variant or
/// compatibility character, or `c` itself when the table has no entry.
#[inline]
pub(crate) fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    match FOLD_TABLE.binary_search_by(|&(src, _)| src.cmp(&c)) {
        Ok(i) => FOLD_TABLE.get(i).map_or(c, |&(_, dst)| dst),
        Err(_) => c,
    }
}

#[cfg(test)]
mod tests {
    use super::{fold_char, FOLD_TABLE};

    #[test]
    fn table_is_sorted_without_duplicates() {
        assert!(!FOLD_TABLE.is_empty());
        for pair in FOLD_TABLE.windows(2) {
            assert!(
                pair[0].0 < pair[1].0,
                "not strictly sorted: U+{:04X} then U+{:04X}",
                pair[0].0 as u32,
                pair[1].0 as u32
            );
        }
    }

    #[test]
    fn no_entry_maps_to_itself() {
        for &(src, dst) in FOLD_TABLE {
            assert_ne!(src, dst, "identity entry U+{:04X}", src as u32);
        }
    }

    #[test]
    fn every_entry_is_found_and_idempotent() {
        for &(src, dst) in FOLD_TABLE {
            assert_eq!(fold_char(src), dst, "lookup of U+{:04X}", src as u32);
            assert_eq!(
                fold_char(fold_char(src)),
                fold_char(src),
                "U+{:04X}",
                src as u32
            );
            assert_eq!(
                fold_char(dst),
                dst,
                "target U+{:04X} is folded again",
                dst as u32
            );
        }
    }

    #[test]
    fn no_ascii_source() {
        assert!(FOLD_TABLE
            .iter()
            .all(|&(src, dst)| !src.is_ascii() && !dst.is_ascii()));
        for b in 0u8..=127 {
            let c = char::from(b);
            assert_eq!(fold_char(c), c);
        }
    }

    #[test]
    fn traditional_samples_fold() {
        let samples = [
            ('詐', '诈'),
            ('騙', '骗'),
            ('單', '单'),
            ('帳', '账'),
            ('臺', '台'),
            ('戶', '户'),
            ('徵', '征'),
            ('麼', '么'),
            ('裡', '里'),
            ('裏', '里'),
            ('為', '为'),
            ('與', '与'),
            ('這', '这'),
            ('會', '会'),
            ('號', '号'),
            ('貸', '贷'),
            ('獎', '奖'),
            ('錢', '钱'),
            ('轉', '转'),
            ('萬', '万'),
            ('塊', '块'),
            ('堅', '坚'),
            ('後', '后'),
            ('乾', '干'),
            ('幹', '干'),
            ('麵', '面'),
            ('髮', '发'),
            ('發', '发'),
            ('爲', '为'),
            ('賬', '账'),
        ];
        for (t, s) in samples {
            assert_eq!(fold_char(t), s, "{t}");
        }
    }

    #[test]
    fn variant_and_compatibility_forms_fold() {
        // Reversed Taiwan / Hong Kong variants, then to Simplified.
        assert_eq!(fold_char('衞'), '卫');
        assert_eq!(fold_char('簷'), '檐');
        assert_eq!(fold_char('敍'), '叙');
        assert_eq!(fold_char('綫'), '线');
        // Compatibility ideograph U+F902 (車) -> 車 -> 车, in one step.
        assert_eq!(fold_char('\u{F902}'), '车');
        // Curated: old glyph and Japanese forms.
        assert_eq!(fold_char('戸'), '户');
        assert_eq!(fold_char('単'), '单');
        assert_eq!(fold_char('転'), '转');
    }

    #[test]
    fn simplified_characters_stay() {
        for c in "诈刷单著着干后里面发帐账台户征么为钱转万块坚骗吃才核梁哪吒蒜薹".chars()
        {
            assert_eq!(fold_char(c), c, "{c} must not be folded");
        }
    }
}
'''


def main(argv):
    root = repo_root()
    ap = argparse.ArgumentParser(description="Generate src/fold_table.rs from the OpenCC dictionaries.")
    ap.add_argument("--opencc", default=os.path.join(root, "..", "shared", "data", "opencc"))
    ap.add_argument("--curated", default=os.path.join(root, "data", "fold_curated.txt"))
    ap.add_argument("--out", default=os.path.join(root, "src", "fold_table.rs"))
    ap.add_argument("--verbose", action="store_true", help="print decisions to stderr")
    args = ap.parse_args(argv)
    try:
        table, digests, notes = build(args.opencc, args.curated)
    except GenError as e:
        print(f"gen_fold_table: {e}", file=sys.stderr)
        return 1
    text = render(table, digests)
    data = text.encode("utf-8")
    if args.out == "-":
        sys.stdout.buffer.write(data)
    else:
        with open(args.out, "wb") as f:
            f.write(data)
    for n in notes if args.verbose else notes[-1:]:
        print(f"gen_fold_table: {n}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
