#!/usr/bin/env bash
# The ABI promise of libjingmin, checked: the committed list
# abi/jingmin-MAJOR.symbols (MAJOR: the soname's, libjingmin.so.MAJOR) names
# every exported jm_ function with its prototype, every type and constant
# of include/jingmin.h. This script compares against it:
#   - the symbols the shared library exports (nm -D --defined-only);
#   - the header's declarations, normalised: function prototypes (types
#     only, no parameter names), struct layouts, enum constants, #defines;
#   - the soname (readelf -d, and jingmin-capi/build.rs), JM_ABI_VERSION and
#     the Python binding's ABI_VERSION, which all carry MAJOR;
#   - the list's own history (git): within one MAJOR the list only grows.
# Anything added must be added to the list; anything removed or changed is
# a break: it passes only with a new soname (build.rs), JM_ABI_VERSION and a
# new list abi/jingmin-(MAJOR+1).symbols, all changed together.
#
# Usage: scripts/check-abi.sh [--so FILE] [--header FILE] [--abi-dir DIR]
#                             [--build-rs FILE] [--ffi FILE] [--no-history] [--print]
#   --so FILE      the shared library (default: build it, target/release/libjingmin.so)
#   --header FILE  default include/jingmin.h
#   --abi-dir DIR  where the lists are (default abi/)
#   --build-rs F   default jingmin-capi/build.rs;  --ffi F: bindings/python/jingmin/_ffi.py
#   --no-history   skip the git history check (a copy, a shallow clone)
#   --print        print the list the current header and library make, then exit
#                  (to add entries: compare with the list, paste the new lines)
# Exit status: 0 when everything matches, 1 otherwise (each difference named).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
. "$ROOT/scripts/lib.sh"

SO="" HEADER="$ROOT/include/jingmin.h" ABI_DIR="$ROOT/abi" BUILD_RS="$ROOT/jingmin-capi/build.rs"
FFI="$ROOT/bindings/python/jingmin/_ffi.py" HISTORY=1 PRINT=0
while [ $# -gt 0 ]; do
    case "$1" in
        --so) SO="$2"; shift 2 ;;
        --header) HEADER="$2"; shift 2 ;;
        --abi-dir) ABI_DIR="$2"; shift 2 ;;
        --build-rs) BUILD_RS="$2"; shift 2 ;;
        --ffi) FFI="$2"; shift 2 ;;
        --no-history) HISTORY=0; shift ;;
        --print) PRINT=1; shift ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "check-abi: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
command -v nm >/dev/null 2>&1 && command -v readelf >/dev/null 2>&1 || apt_install binutils
if [ -z "$SO" ]; then
    cargo build --release --quiet -p jingmin-capi || exit 1
    SO="$(cargo_target_dir)/release/libjingmin.so"
fi
[ -f "$SO" ] || { echo "check-abi: $SO not found" >&2; exit 1; }

# name TYPE for every defined dynamic symbol; the soname.
EXPORTS="$(nm -D --defined-only "$SO" | awk '{print $3, $2}')"
SONAME="$(readelf -d "$SO" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')"

# The history of the list (every line any committed version had), when the
# abi directory is in a git work tree with its history.
HISTORY_FILE="$(mktemp)"
trap 'rm -f "$HISTORY_FILE"' EXIT
HISTORY_NOTE=""
if [ "$HISTORY" = 1 ] && [ "$PRINT" = 0 ]; then
    if git -C "$ABI_DIR" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        if [ "$(git -C "$ABI_DIR" rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
            HISTORY_NOTE="history check skipped: shallow clone"
        else
            # '+' lines of every commit that touched a list, with the list's name.
            git -C "$ABI_DIR" log -p --format='@@commit %h' -- . 2>/dev/null |
                awk '/^\+\+\+ /{f=$2; sub(".*/","",f); next} /^\+/{print f "\t" substr($0,2)}' >"$HISTORY_FILE"
        fi
    else
        HISTORY_NOTE="history check skipped: $ABI_DIR is not in a git work tree"
    fi
fi

EXPORTS="$EXPORTS" SONAME="$SONAME" HISTORY_NOTE="$HISTORY_NOTE" python3 - "$HEADER" "$ABI_DIR" "$BUILD_RS" "$FFI" "$HISTORY_FILE" "$PRINT" "$SO" <<'PY'
import os
import re
import sys

header_path, abi_dir, build_rs, ffi_path, history_path, print_only, so_path = sys.argv[1:8]
print_only = print_only == "1"
problems = []


def normalise_tokens(text):
    """C tokens of a declaration, joined with single spaces: `*` binds to
    what follows, no space inside parentheses or before commas."""
    tokens = re.findall(r"[A-Za-z_][A-Za-z_0-9]*|0[xX][0-9a-fA-F]+|\d+|\*|\(|\)|,|\[|\]|[^\sA-Za-z_0-9]", text)
    out = ""
    for t in tokens:
        if not out:
            out = t
        elif t in (",", ")", "]") or out.endswith(("(", "*", "[")):
            out += t
        else:
            out += " " + t
    return out.replace(",", ", ")


def strip_param_name(param):
    """`const struct jm_engine *engine` -> `const struct jm_engine *`."""
    toks = normalise_tokens(param).split(" ")
    if param.strip() == "void":
        return "void"
    words = re.findall(r"[A-Za-z_][A-Za-z_0-9]*|\*|\[\d*\]", param)
    if len(words) >= 2 and re.fullmatch(r"[A-Za-z_][A-Za-z_0-9]*", words[-1]) and words[-2] not in ("struct", "enum", "union"):
        words = words[:-1]
    return normalise_tokens(" ".join(words))


def header_entries(path):
    src = open(path, encoding="utf-8").read()
    src = re.sub(r"/\*.*?\*/", " ", src, flags=re.S)
    src = re.sub(r"//[^\n]*", " ", src)
    entries = []
    kept = []
    for line in src.split("\n"):
        s = line.strip()
        m = re.match(r"#\s*define\s+(JM_[A-Z0-9_]+)\s+(.+)$", s)
        if m:
            entries.append("define %s %s" % (m.group(1), normalise_tokens(m.group(2))))
            continue
        if s.startswith("#"):
            continue
        kept.append(line)
    body = " ".join(kept)
    body = re.sub(r'extern\s+"C"\s*\{', " ", body)
    # enums: enum NAME [: TYPE] { A = 0, B = 1, };
    for m in re.finditer(r"\benum\s+(jm_\w+)\s*(?::\s*(\w+)\s*)?\{([^}]*)\}\s*;", body):
        name, members = m.group(1), m.group(3)
        for member in members.split(","):
            member = member.strip()
            if not member:
                continue
            entries.append("enum %s %s" % (name, normalise_tokens(member)))
    body_no_enums = re.sub(r"\benum\s+jm_\w+\s*(?::\s*\w+\s*)?\{[^}]*\}\s*;", " ", body)
    # structs with a body: (typedef) struct NAME { fields } [NAME];
    for m in re.finditer(r"\bstruct\s+(jm_\w+)\s*\{([^}]*)\}", body_no_enums):
        fields = [normalise_tokens(f) for f in m.group(2).split(";") if f.strip()]
        entries.append("struct %s { %s; }" % (m.group(1), "; ".join(fields)))
    rest = re.sub(r"(typedef\s+)?struct\s+jm_\w+\s*\{[^}]*\}\s*\w*\s*;", " ", body_no_enums)
    # opaque types: typedef struct NAME NAME;
    for m in re.finditer(r"typedef\s+struct\s+(jm_\w+)\s+\1\s*;", rest):
        entries.append("opaque struct %s" % m.group(1))
    # typedefs of the integer codes: both branches of the C23 switch say the
    # same thing for the ABI (a uint32_t), so only the C89-C17 one counts.
    for m in re.finditer(r"typedef\s+(u?int\d+_t)\s+(jm_\w+)\s*;", rest):
        entries.append("typedef %s = %s" % (m.group(2), m.group(1)))
    rest = re.sub(r"typedef[^;]*;", " ", rest)
    functions = {}
    for m in re.finditer(r"([^;{}]*?)\b(jm_\w+)\s*\(([^;{}]*)\)\s*;", rest):
        ret, name, params = m.group(1), m.group(2), m.group(3)
        ps = [strip_param_name(p) for p in params.split(",")]
        proto = "%s %s(%s)" % (normalise_tokens(ret), name, ", ".join(ps))
        proto = proto.replace("* ", "*").replace(" *" + name, " *" + name)
        functions[name] = proto
        entries.append("func " + proto)
    return entries, functions


entries, functions = header_entries(header_path)

# exported symbols
exports = {}
for line in os.environ.get("EXPORTS", "").splitlines():
    if line.strip():
        name, kind = line.split()
        exports[name.split("@")[0]] = kind
soname = os.environ.get("SONAME", "")
m = re.fullmatch(r"libjingmin\.so\.(\d+)", soname)
if not m:
    print("check-abi: %s: soname %r is not libjingmin.so.N" % (so_path, soname))
    sys.exit(1)
major = int(m.group(1))
current = ["soname " + soname] + entries

if print_only:
    print("# The ABI of %s (scripts/check-abi.sh --print)." % soname)
    print("\n".join(current))
    sys.exit(0)

# 1. exports = the header's functions, all jm_ functions
for name, kind in sorted(exports.items()):
    if not name.startswith("jm_"):
        problems.append("exported but not a jm_ symbol: %s (jingmin-capi/jingmin.map)" % name)
    elif kind not in ("T", "W", "i"):
        problems.append("exported jm_ symbol is not a function (nm type %s): %s" % (kind, name))
    if name.startswith("jm_") and name not in functions:
        problems.append("exported but not declared in %s: %s" % (os.path.basename(header_path), name))
for name in sorted(functions):
    if name not in exports:
        problems.append("declared in %s but not exported by the library: %s" % (os.path.basename(header_path), name))

# 2. soname, JM_ABI_VERSION, build.rs and the binding agree on MAJOR
abi_defines = [e for e in entries if e.startswith("define JM_ABI_VERSION ")]
if abi_defines != ["define JM_ABI_VERSION %d" % major]:
    problems.append("JM_ABI_VERSION in the header is %s, the soname says %d (change them together)"
                    % (abi_defines[0].split()[-1] if abi_defines else "missing", major))
try:
    rs = open(build_rs, encoding="utf-8").read()
    found = re.findall(r"-soname,libjingmin\.so\.(\d+)", rs)
    if found != [str(major)]:
        problems.append("%s sets soname libjingmin.so.%s, the library has %s (a stale build?)"
                        % (build_rs, "/".join(found) or "?", soname))
except OSError as e:
    problems.append("cannot read %s: %s" % (build_rs, e))
try:
    py = open(ffi_path, encoding="utf-8").read()
    found = re.findall(r"^ABI_VERSION\s*=\s*(\d+)", py, flags=re.M)
    if found != [str(major)]:
        problems.append("%s: ABI_VERSION = %s, the soname says %d" % (ffi_path, "/".join(found) or "?", major))
except OSError as e:
    problems.append("cannot read %s: %s" % (ffi_path, e))

# 3. the list of this MAJOR
list_name = "jingmin-%d.symbols" % major
list_path = os.path.join(abi_dir, list_name)
try:
    promised = [l.rstrip("\n") for l in open(list_path, encoding="utf-8")]
except OSError:
    others = sorted(f for f in os.listdir(abi_dir) if f.endswith(".symbols")) if os.path.isdir(abi_dir) else []
    print("check-abi: %s is missing: the library's soname is %s%s. A new soname needs its own list,"
          " written with scripts/check-abi.sh --print." % (list_path, soname,
          " (lists present: %s)" % ", ".join(others) if others else ""))
    sys.exit(1)
promised = [l for l in promised if l.strip() and not l.lstrip().startswith("#")]
promised_set, current_set = set(promised), set(current)
for l in promised:
    if l not in current_set:
        problems.append("REMOVED or CHANGED (an ABI break: it needs a new soname, JM_ABI_VERSION and list): %s" % l)
for l in current:
    if l not in promised_set:
        problems.append("ADDED, not in %s (add this line to it): %s" % (list_name, l))
if len(promised) != len(promised_set):
    problems.append("%s lists some lines twice" % list_name)

# 4. within one MAJOR the list only grows: every line any commit added is still there
note = os.environ.get("HISTORY_NOTE", "")
history_lines = 0
if not note:
    for line in open(history_path, encoding="utf-8"):
        fname, _, text = line.rstrip("\n").partition("\t")
        if fname != list_name or not text.strip() or text.lstrip().startswith("#"):
            continue
        history_lines += 1
        if text not in promised_set:
            problems.append("%s once promised, and no longer lists (lists only grow within a soname): %s"
                            % (list_name, text))

funcs = sum(1 for l in current if l.startswith("func "))
if problems:
    for p in dict.fromkeys(problems):
        print("check-abi: " + p)
    print("check-abi: FAILED (%d problem(s)) against %s" % (len(dict.fromkeys(problems)), list_path))
    sys.exit(1)
print("check-abi: %s: %d exported functions, %d header entries match %s%s"
      % (soname, funcs, len(current), list_name, "; " + note if note else
         "; history: %d committed line(s) still listed" % history_lines))
PY
