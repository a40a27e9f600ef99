"""``python -m jingmin``: the library from the command line.

    python -m jingmin analyze [FILE|-] [--raw] [--lexicon FILE]
    python -m jingmin version

``analyze`` reads JSON Lines messages (taxonomy §4: ``text`` required;
``id`` is echoed, ``role`` is ``police``, ``resident`` or ``unknown``) and
writes one analysis per line (taxonomy §5), in input order: the library's
own JSON, as the native ``jingmin analyze`` prints it. A bad line is
reported on stderr with its line number, never its text, and the run goes
on. Exit status: 0 when every line was analysed, 1 when some were not, 2 for
unusable input or arguments.

``version`` prints the binding's and the library's versions and the path
of the library that was loaded.
"""

import argparse
import ctypes
import io
import json
import sys
from typing import Optional, TextIO

from . import __version__, _ffi
from ._errors import JingminError, error_for

_ROLES = {"unknown": 0, "未知": 0, "police": 1, "民警": 1, "resident": 2, "群众": 2}


def _safe_id(value) -> Optional[str]:
    """The id, when it can be named in an error (short, no message text)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    s = str(value)
    if 0 < len(s) <= 64 and all(c.isascii() and (c.isalnum() or c in "-_.:") for c in s):
        return s
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


def _message_flags(msg, raw: bool) -> int:
    role = msg.get("role", "unknown")
    if not isinstance(role, str) or role not in _ROLES:
        raise ValueError("unknown role (police, resident or unknown)")
    return (_ROLES[role] << _ffi.JM_FLAG_ROLE_SHIFT) | (_ffi.JM_FLAG_RAW if raw else 0)


def analyze(stream: TextIO, name: str, out: TextIO, err: TextIO, raw: bool, lexicon: Optional[bytes]) -> int:
    """Analyse every line of ``stream``; the exit status."""
    try:
        engine = _Engine(lexicon)
    except JingminError as e:
        print("jingmin analyze: %s" % e, file=err)
        return 2
    failed = 0
    try:
        for line_no, line in enumerate(stream, 1):
            line = line.rstrip("\r\n").lstrip("\ufeff")
            if not line.strip():
                continue
            where = "%s:%d" % (name, line_no)
            try:
                line.encode("utf-8")
            except UnicodeEncodeError as e:  # bytes the reader escaped
                print("%s: invalid UTF-8 at byte %d" % (where, len(line[: e.start].encode("utf-8", "surrogateescape"))),
                      file=err)
                failed += 1
                continue
            try:
                msg = json.loads(line)
            except ValueError as e:
                print("%s: not JSON: %s (column %d)" % (where, e.msg, e.colno), file=err)
                failed += 1
                continue
            if not isinstance(msg, dict):
                print("%s: not a message: not a JSON object" % where, file=err)
                failed += 1
                continue
            ident = msg.get("id")
            named = _safe_id(ident)
            where_id = where + (" (id %s)" % named if named else "")
            text = msg.get("text")
            if not isinstance(text, str):
                print("%s: not a message: %s" % (where_id, "missing field `text`" if text is None
                                                 else "`text` is not a string"), file=err)
                failed += 1
                continue
            if ident is not None and (isinstance(ident, bool) or not isinstance(ident, (str, int, float))):
                print("%s: not a message: `id` is not a string or a number" % where, file=err)
                failed += 1
                continue
            try:
                flags = _message_flags(msg, raw)
                doc = engine.analyze_json(text.encode("utf-8", "surrogatepass"), flags)
            except (ValueError, JingminError) as e:
                print("%s: %s" % (where_id, e), file=err)
                failed += 1
                continue
            doc_text = doc.decode("utf-8")
            if ident is not None:
                # The id first, as the native `jingmin analyze` writes it.
                id_text = ident if isinstance(ident, str) else json.dumps(ident)
                doc_text = '{"id":%s,%s' % (json.dumps(id_text, ensure_ascii=False), doc_text[1:])
            try:
                out.write(doc_text + "\n")
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
    p = sub.add_parser("analyze", help="analyse JSON Lines messages: one analysis (JSON) per line")
    p.add_argument("input", nargs="?", default="-", help="a JSON Lines file, or - for standard input (default)")
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
    lexicon = None
    if args.lexicon:
        try:
            with open(args.lexicon, "rb") as f:
                lexicon = f.read()
        except OSError as e:
            print("jingmin analyze: cannot read %s: %s" % (args.lexicon, e.strerror), file=sys.stderr)
            return 2
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n", write_through=False)
    try:
        if args.input == "-":
            stream = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="surrogateescape", newline="\n")
            return analyze(stream, "<stdin>", out, sys.stderr, args.raw, lexicon)
        try:
            f = open(args.input, encoding="utf-8", errors="surrogateescape", newline="\n")
        except OSError as e:
            print("jingmin analyze: cannot open %s: %s" % (args.input, e.strerror), file=sys.stderr)
            return 2
        with f:
            return analyze(f, args.input, out, sys.stderr, args.raw, lexicon)
    finally:
        try:
            out.flush()
        except BrokenPipeError:
            pass
        out.detach()


if __name__ == "__main__":
    sys.exit(main())
