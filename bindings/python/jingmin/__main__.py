"""``python -m jingmin``: the library from the command line.

    python -m jingmin analyze [FILE|-] [--text [--role ROLE]] [--raw] [--lexicon FILE]
    python -m jingmin version

``analyze`` reads JSON Lines messages (taxonomy §4: ``text`` required;
``id`` is echoed, ``role`` is ``police``, ``resident`` or ``unknown``), or
with ``--text`` plain text, one message per line, and writes exactly one
line per input line, in input order, as the native ``jingmin analyze`` does
(docs/analysis-output.md): the library's own analysis JSON, an error line
``{"line":N,"error":{"kind":…,"message":…}}`` (with the ``id`` when it could
be read) for a line that cannot be analysed, ``{"line":N,"blank":true}`` for
a blank line. A bad line is also reported on stderr with its line number,
never its text, and the run goes on. Exit status: 0 when every line was
analysed, 1 when some were not, 2 for unusable input or arguments.

``version`` prints the binding's and the library's versions and the path
of the library that was loaded.
"""

import argparse
import ctypes
import decimal
import io
import json
import math
import sys
from typing import Optional, TextIO

from . import __version__, _ffi
from ._errors import JingminError, error_for

_ROLES = {"unknown": 0, "police": 1, "resident": 2}
# --role also takes the Chinese labels, as the native --role does.
_ROLE_ARGS = {"unknown": 0, "未知": 0, "police": 1, "民警": 1, "resident": 2, "群众": 2}
# The fields a message has (jingmin::Message); others are ignored.
_FIELDS = ("id", "group", "sender", "role", "time", "text")
# Unicode White_Space, what Rust's str::trim strips (str.strip() would also
# strip U+001C..U+001F): a line of only these is blank.
_WHITE_SPACE = ("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                "\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def _safe_id(ident: Optional[str]) -> Optional[str]:
    """The id, when it can be named in an error: a short name that cannot be
    message text or personal data (``jingmin::is_safe_name``: ASCII letters,
    digits, ``-_.:``, no run of five digits)."""
    if ident is None or not 0 < len(ident) <= 64:
        return None
    if not all(c.isascii() and (c.isalnum() or c in "-_.:") for c in ident):
        return None
    run = 0
    for c in ident:
        run = run + 1 if c.isdigit() else 0
        if run >= 5:
            return None
    return ident


def _float_text(f: float) -> str:
    """A float as Rust writes an f64: the shortest digits, never an exponent."""
    if f == 0:
        return "-0" if math.copysign(1.0, f) < 0 else "0"
    d = decimal.Decimal(repr(f))
    if d == d.to_integral_value():
        return str(int(d))
    return format(d, "f")


def _id_text(value) -> Optional[str]:
    """An id as the library reads it: a string as it is, a number as its
    decimal text (beyond 64 bits, as the nearest double); else no id."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value) if -(1 << 63) <= value < (1 << 64) else _float_text(float(value))
    if isinstance(value, float):
        return _float_text(value)
    return None


def _has_surrogate(value) -> bool:
    """Whether a lone surrogate (a ``\\ud800`` escape) is anywhere in it."""
    if isinstance(value, str):
        return any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, list):
        return any(_has_surrogate(v) for v in value)
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    return False


class _Object(dict):
    """A JSON object that remembers its duplicated keys."""

    duplicates = frozenset()


def _object(pairs):
    obj = _Object(pairs)
    if len(obj) != len(pairs):
        seen = set()
        obj.duplicates = frozenset(k for k, _ in pairs if k in seen or seen.add(k))
    return obj


def _reject_constant(name):
    raise ValueError("%s is not JSON" % name)


def _float(s: str) -> float:
    f = float(s)
    if math.isinf(f):
        raise ValueError("number out of range")
    return f


def _int(s: str) -> int:
    i = int(s)
    if abs(i) > (1 << 1024):
        raise ValueError("number out of range")
    return i


def _loads(line: str):
    """JSON as serde_json reads it: no NaN or Infinity, no number beyond a
    double."""
    return json.loads(line, object_pairs_hook=_object, parse_constant=_reject_constant, parse_float=_float,
                      parse_int=_int)


def _message_problem(doc) -> Optional[str]:
    """Why a JSON value is not a message (as jingmin::Message reads one), or
    None. ``"json"`` when a field read holds a lone surrogate: serde_json
    refuses such a string as JSON."""
    if not isinstance(doc, dict):
        return "not a JSON object"
    if any(_has_surrogate(k) for k in doc) or any(_has_surrogate(doc[f]) for f in _FIELDS if f in doc):
        return "json"
    for f in _FIELDS:
        if f in doc.duplicates:
            return "duplicate field `%s`" % f
    if "text" not in doc:
        return "missing field `text`"
    if not isinstance(doc["text"], str):
        return "`text` is not a string"
    for f in ("id", "time"):
        if doc.get(f) is not None and _id_text(doc[f]) is None:
            return "`%s` is not a string or a number" % f
    for f in ("group", "sender"):
        if doc.get(f) is not None and not isinstance(doc[f], str):
            return "`%s` is not a string" % f
    if "role" in doc and (not isinstance(doc["role"], str) or doc["role"] not in _ROLES):
        return "`role` is not police, resident or unknown"
    return None


class _Engine:
    """A jm_engine handle for one run (the library's JSON, not dataclasses)."""

    def __init__(self, lexicon: Optional[bytes]) -> None:
        lib = _ffi.lib()
        out = ctypes.c_void_p()
        if lexicon is None:
            status = lib.jm_engine_new_default(ctypes.byref(out))
        else:
            status = lib.jm_engine_new_from_lexicon(lexicon, len(lexicon), 1, ctypes.byref(out))
        if status != _ffi.JM_OK:
            raise error_for(status, _ffi.last_error())
        self.handle = out.value

    def max_message_bytes(self) -> int:
        return _ffi.lib().jm_engine_max_message_bytes(self.handle)

    def analyze_json(self, text: bytes, flags: int) -> bytes:
        out = ctypes.c_void_p()
        status = _ffi.lib().jm_analyze_json(self.handle, text, len(text), flags, ctypes.byref(out))
        if status != _ffi.JM_OK:
            raise error_for(status, _ffi.last_error())
        return _ffi.take_string(out.value)

    def close(self) -> None:
        if self.handle:
            _ffi.free_engine(self.handle)
            self.handle = None


def _flags(role: int, raw: bool) -> int:
    return (role << _ffi.JM_FLAG_ROLE_SHIFT) | (_ffi.JM_FLAG_RAW if raw else 0)


def _limit_text(max_bytes: int) -> str:
    return "%d MiB" % (max_bytes >> 20) if max_bytes % (1 << 20) == 0 else "%d-byte" % max_bytes


def _error_line(line_no: int, ident: Optional[str], kind: str, message: str) -> str:
    doc = {"line": line_no}
    if ident is not None:
        doc["id"] = ident
    doc["error"] = {"kind": kind, "message": message}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def _judge(line: str, engine: _Engine, text_mode: bool, role: int, raw: bool, max_bytes: int):
    """The output line of one input line (without its line end), and the
    failure as (id, message) or None."""
    size = len(line.encode("utf-8", "surrogateescape"))
    if size > max_bytes:
        return None, ("too_large", "line of %d bytes, over the %s message limit; not analysed"
                      % (size, _limit_text(max_bytes)))
    try:
        line.encode("utf-8")
    except UnicodeEncodeError as e:  # bytes the reader escaped
        return None, ("invalid_utf8", "invalid UTF-8 at byte %d"
                      % len(line[: e.start].encode("utf-8", "surrogateescape")))
    line = line.lstrip("\ufeff")
    if not line.strip(_WHITE_SPACE):
        return "blank", None
    if text_mode:
        return engine.analyze_json(line.encode("utf-8"), _flags(role, raw)).decode("utf-8"), None
    try:
        doc = _loads(line)
    except (ValueError, RecursionError) as e:
        where = " (column %d)" % e.colno if isinstance(e, json.JSONDecodeError) else ""
        return None, ("invalid_json", "not well-formed JSON%s" % where)
    problem = _message_problem(doc)
    if problem is not None:
        if problem == "json" or _has_surrogate(doc):
            return None, ("invalid_json", "not well-formed JSON (a lone surrogate)")
        ident = _id_text(doc.get("id")) if isinstance(doc, dict) else None
        return ident, ("invalid_message", "not a message: " + problem)
    ident = _id_text(doc.get("id"))
    analysis = engine.analyze_json(doc["text"].encode("utf-8"), _flags(_ROLES[doc.get("role", "unknown")], raw))
    analysis = analysis.decode("utf-8")
    if ident is not None:
        # The id first, as the native `jingmin analyze` writes it.
        analysis = '{"id":%s,%s' % (json.dumps(ident, ensure_ascii=False), analysis[1:])
    return analysis, None


def analyze(stream: TextIO, name: str, out: TextIO, err: TextIO, raw: bool, lexicon: Optional[bytes],
            text_mode: bool = False, role: str = "unknown") -> int:
    """Analyse every line of ``stream`` (opened with universal newlines and
    ``surrogateescape``); the exit status."""
    try:
        engine = _Engine(lexicon)
    except JingminError as e:
        print("jingmin analyze: %s" % e, file=err)
        return 2
    failed = 0
    try:
        max_bytes = engine.max_message_bytes()
        for line_no, line in enumerate(stream, 1):
            if line.endswith("\n"):
                line = line[:-1]
            try:
                doc, failure = _judge(line, engine, text_mode, _ROLE_ARGS[role], raw, max_bytes)
            except JingminError as e:
                doc, failure = None, ("invalid_message", str(e))
            if failure is not None:
                ident, (kind, message) = doc, failure
                named = _safe_id(ident)
                print("%s:%d%s: %s" % (name, line_no, " (id %s)" % named if named else "", message), file=err)
                failed += 1
                doc = _error_line(line_no, ident, kind, message)
            elif doc == "blank":
                doc = '{"line":%d,"blank":true}' % line_no
            try:
                out.write(doc + "\n")
            except BrokenPipeError:
                return 0
    finally:
        engine.close()
    try:
        out.flush()
    except BrokenPipeError:
        return 0
    if failed:
        print("jingmin analyze: %d line(s) could not be analysed" % failed, file=err)
        return 1
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jingmin", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("analyze", help="analyse JSON Lines messages (or plain text): one output line per input line",
                       epilog="Output line N answers input line N: an analysis, an error line or a blank line's "
                              "marker (docs/analysis-output.md). Exit status: 0 every line was analysed, 1 some "
                              "lines could not be, 2 unusable input or arguments.")
    p.add_argument("input", nargs="?", default="-",
                   help="a JSON Lines file (a text file with --text), or - for standard input (default)")
    p.add_argument("--text", action="store_true",
                   help="plain text: each line (LF, CRLF or CR ended) is the text of one message")
    p.add_argument("--role", choices=sorted(_ROLE_ARGS, key=lambda r: (_ROLE_ARGS[r], r)), metavar="ROLE",
                   help="the role for every line of --text: police (民警), resident (群众) or unknown (未知, "
                        "the default)")
    p.add_argument("--raw", action="store_true", help="leave personal data unmasked in entities")
    p.add_argument("--lexicon", metavar="FILE", help="a lexicon (JSON) layered over the built-in one")
    sub.add_parser("version", help="versions and the library's path")
    args = parser.parse_args(argv)
    if args.command == "version":
        try:
            lib = _ffi.lib()
        except JingminError as e:
            print("python -m jingmin: %s" % e, file=sys.stderr)
            return 2
        print("jingmin %s (binding), library %s, ABI %d: %s"
              % (__version__, lib.jm_version().decode("ascii"), lib.jm_abi_version(), _ffi.library_path()))
        return 0
    if args.command != "analyze":
        parser.print_help(sys.stderr)
        return 2
    if args.role is not None and not args.text:
        p.error("--role applies to --text")
    lexicon = None
    if args.lexicon:
        try:
            with open(args.lexicon, "rb") as f:
                lexicon = f.read()
        except OSError as e:
            print("jingmin analyze: cannot read %s: %s" % (args.lexicon, e.strerror), file=sys.stderr)
            return 2
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n", write_through=False)
    mode = {"text_mode": args.text, "role": args.role or "unknown"}
    try:
        # Universal newlines: lines end at LF, CRLF or a lone CR, as natively.
        if args.input == "-":
            stream = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="surrogateescape", newline=None)
            return analyze(stream, "<stdin>", out, sys.stderr, args.raw, lexicon, **mode)
        try:
            f = open(args.input, encoding="utf-8", errors="surrogateescape", newline=None)
        except OSError as e:
            print("jingmin analyze: cannot open %s: %s" % (args.input, e.strerror), file=sys.stderr)
            return 2
        with f:
            return analyze(f, args.input, out, sys.stderr, args.raw, lexicon, **mode)
    finally:
        try:
            out.flush()
        except BrokenPipeError:
            pass
        out.detach()


if __name__ == "__main__":
    sys.exit(main())
