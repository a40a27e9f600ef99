"""jingmin on Apache Spark: analysis columns and exact case statistics.

``pip install "jingmin[spark]"`` (pyspark, pyarrow, pandas). ``import
jingmin`` itself never imports pyspark; this module needs it.

>>> from jingmin import spark as jms                      # doctest: +SKIP
>>> flagged = jms.analyze(df, text_col="text", role_col="role")
>>> agg = jms.aggregate(df)                # a jingmin.Aggregator
>>> agg.report()                           # == `jingmin report --format json`

``analyze(df, ...)`` adds the analysis of each row as typed columns
(``mapInArrow``: Arrow batches, one engine per Python worker process).

``aggregate(df, ...)`` counts the rows as ``jingmin report`` counts a JSON
Lines file: one ``Aggregator`` per partition, fed Arrow batches with
``add_many``; the partial snapshots are combined by ``treeReduce`` with
``merge``. The result does not depend on partitioning or row order.

Rows are read as the JSON Lines reader of the command line reads a line
(``src/ingest/jsonl.rs``), column by column:

- ``id``, ``group``, ``sender``, ``role``: strings (integer columns are
  written in decimal, as a JSON integer is); blank is absent. ``group`` is
  trimmed; a row without one takes ``default_group`` (the command line
  takes the file name's stem, then ``--group``).
- ``role``: ``police``/``resident``/``unknown`` (any case) or 民警, 警察,
  辅警, 警官, 群众, 居民, 村民, 家长, 未知; when it is absent or unknown, the
  ``roster`` (sender → role, as ``--roster``), then a sender name holding
  民警/警官/辅警/派出所/警务室 makes it ``police``.
- ``time``: a string as in JSON Lines (RFC 3339, ``YYYY-MM-DD
  HH:MM[:SS]`` or ``YYYY/MM/DD …`` with optional ``AM``/``PM``/上午/下午,
  read in the configured offset, Unix seconds up to 12 digits or
  milliseconds in 13), an integer column (Unix seconds or milliseconds, the
  same rule), a float or decimal column with whole values, a Spark
  ``TimestampType`` or ``TimestampNTZType``. A ``TimestampType`` value is
  an instant: it is written as RFC 3339 in the configured offset
  (``utc_offset_seconds``, +08:00 by default), fractions of a second
  dropped (floor), so ``2024-03-01 02:00:00.9 UTC`` is
  ``2024-03-01T10:00:00+08:00``, whatever ``spark.sql.session.timeZone``
  says. A ``TimestampNTZType`` value is a wall-clock time and is read in the
  configured offset, as ``YYYY-MM-DD HH:MM:SS`` in JSON Lines is.
- ``text``: a string column.

A row that the command line could not read (no text, blank text, a time or
role that cannot be read, a message over the size limit) is counted under
``messages.rejected`` with the reason ``unreadable``, as the command line
counts such a line, and never fails the job. It is counted with
``Aggregator.add_unreadable(source, line)``, whose key stands for the
command line's (file, line): ``source`` is ``spark-row:`` and the first 32
hex digits of the SHA-256 of the row's fields as read (id, group, sender,
role, time, text, as JSON), ``line`` the row's number among the rows with
the same fields (1, 2, …; counted after the partitions are merged). So
distinct rows are distinct records and identical rows count once each, as
identical lines of a file do, whatever the partitioning or order; and the
same rows counted again (the aggregator of the same DataFrame merged in)
are copies, as the lines of a file read twice are.

Without an id column the command line numbers the lines of a file
(``{group}:L{line}``); Spark rows have no line numbers, so copies are then
recognised by the library's content key (group, instant, sender, text).

The configuration is the command line's: ``drill_down`` is on (the
report's ``drill_down`` lists have their senders and texts) unless the
``config`` given sets it, as ``--no-drill-down`` turns it off.

The report is masked as ``jingmin report`` masks it by default: the merged
aggregator is masked (``Aggregator.mask_personal_data``) before it is
returned. Messages are analysed without raw output, so the indicators and
drill-down texts are masked by the analysis already; what the masking
changes is the sender names (``wxid_13912345678``, shown by the officers'
figures and the drill-down lists), which the analysis never sees and the
command line masks too. The partial snapshots (``snapshots=``) are not
masked: they hold sender names as given.
"""

import atexit
import ctypes
import hashlib
import json
import math
import os
import re
import threading
from typing import Any, Dict, List, Mapping, Optional, Sequence

try:
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyspark.sql import DataFrame, functions as F, types as T
except ImportError as _e:  # pragma: no cover - exercised without pyspark
    raise ImportError(
        "jingmin.spark needs pyspark and pyarrow (and pandas, which pyspark's Arrow "
        "functions import): pip install \"jingmin[spark]\" (missing: %s)" % (_e.name or _e)
    ) from _e

from ._aggregate import Aggregator
from ._engine import Engine, _check
from . import _ffi

__all__ = ["analyze", "aggregate", "ANALYSIS_COLUMNS", "DEFAULT_COLUMNS", "message_of_row"]

#: The JSON Lines field names, the default column of each field.
DEFAULT_COLUMNS = {"id": "id", "group": "group", "sender": "sender", "role": "role", "time": "time", "text": "text"}

#: The columns ``analyze`` adds (besides ``analysis_json``), with their types.
ANALYSIS_COLUMNS = [
    ("category", T.StringType()),
    ("confidence", T.DoubleType()),
    ("fraud_types", T.ArrayType(T.StringType(), containsNull=False)),
    ("stance", T.StringType()),
    ("risk", T.IntegerType()),
    ("hit_count", T.IntegerType()),
    ("entity_count", T.IntegerType()),
]

_CHINA_STANDARD_TIME = 8 * 3600

# ---------------------------------------------------------------------------
# One engine per Python worker process, built once per lexicon.

_engines = {}  # type: Dict[str, Engine]
_engines_built = {}  # type: Dict[str, int]  # engines built per lexicon key in this process
_engines_lock = threading.Lock()


def _close_engines() -> None:
    with _engines_lock:
        engines = list(_engines.values())
        _engines.clear()
    for e in engines:
        e.close()


atexit.register(_close_engines)


def _lexicon_key(lexicon: Optional[bytes], layer: bool) -> str:
    if lexicon is None:
        return "default"
    return "%s:%s" % ("layer" if layer else "alone", hashlib.sha256(lexicon).hexdigest())


def _engine_for(key: str, lexicon_broadcast, layer: bool) -> Engine:
    """The process's engine for this lexicon (made on first use, closed at
    exit); the broadcast is read only when the engine is made."""
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None or engine.closed:
            lexicon = None if lexicon_broadcast is None else lexicon_broadcast.value
            engine = Engine(lexicon=lexicon, layer=layer) if lexicon is not None else Engine()
            _engines[key] = engine
            _engines_built[key] = _engines_built.get(key, 0) + 1
        return engine


def _read_lexicon(lexicon) -> Optional[bytes]:
    if lexicon is None:
        return None
    if isinstance(lexicon, bytes):
        return lexicon
    if isinstance(lexicon, str) and lexicon.lstrip()[:1] in ("{", "["):
        return lexicon.encode("utf-8")
    with open(os.fspath(lexicon), "rb") as f:
        return f.read()


def _ship_lexicon(df: DataFrame, lexicon, layer: bool):
    """(cache key, broadcast or None); the lexicon is checked on the driver
    first, so that a bad one fails here and not in every task."""
    data = _read_lexicon(lexicon)
    if data is None:
        return _lexicon_key(None, layer), None
    Engine(lexicon=data, layer=layer).close()
    return _lexicon_key(data, layer), df.sparkSession.sparkContext.broadcast(data)


# ---------------------------------------------------------------------------
# Reading a row as the command line's JSON Lines reader reads a line.

# Rust's char::is_whitespace (White_Space), which str::trim uses; Python's
# str.strip() would also remove U+001C..U+001F.
_WS = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"

_ROLE_WORDS = {
    "民警": "police", "警察": "police", "辅警": "police", "警官": "police",
    "群众": "resident", "居民": "resident", "村民": "resident", "家长": "resident",
    "未知": "unknown", "": "unknown",
}
_POLICE_NAME_CUES = ("民警", "警官", "辅警", "派出所", "警务室")


def _trim(s: str) -> str:
    return s.strip(_WS)


def _role_from_text(s: str) -> Optional[str]:
    """A role as a data column or roster may spell it (``roles.rs``)."""
    s = _trim(s)
    lower = s.lower() if s.isascii() else None
    if lower in ("police", "resident", "unknown"):
        return lower
    return _ROLE_WORDS.get(s)


def _days_in_month(y: int, m: int) -> int:
    if m == 2:
        return 29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28
    return 30 if m in (4, 6, 9, 11) else 31


def _days_from_civil(y: int, m: int, d: int) -> int:
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(z: int):
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return y + (m <= 2), m, d


def _naive_seconds(y, mo, d, h, mi, s) -> Optional[int]:
    if not 1 <= y <= 9999 or not 1 <= mo <= 12 or d == 0 or d > _days_in_month(y, mo):
        return None
    if h > 23 or mi > 59 or s > 59:
        return None
    return _days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s


# parse_parts of src/ingest/datetime.rs: YYYY-MM-DD[ T]H:MM[:SS[.fff]] (or
# with /), then the rest. ASCII digits only; the year has four digits, a
# single space or T after the date and any spaces before the hour.
_PARTS = re.compile(r"([0-9]{4})([-/])([0-9]{1,2})\2([0-9]{1,2})[ T] *([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?(\.[0-9]*)?", re.S)


def _parse_parts(s: str):
    """``YYYY-MM-DD[ T]H:MM[:SS[.fff]]`` (or ``/``): (parts, rest) or None."""
    m = _PARTS.match(s)
    if m is None:
        return None
    y, _, mo, d, h, mi, sec, frac = m.groups()
    if frac == ".":  # a decimal point without digits
        return None
    return (int(y), int(mo), int(d), int(h), int(mi), int(sec) if sec else 0), s[m.end():]


def _parse_offset(s: str) -> Optional[int]:
    s = _trim(s)
    if not s:
        return None
    for prefix in ("UTC", "GMT"):
        if s.startswith(prefix):
            s = s[len(prefix):]
            break
    if s in ("", "Z", "z"):
        return 0
    if s[0] not in "+-":
        return None
    sign, r = (1 if s[0] == "+" else -1), s[1:]
    if ":" in r:
        h, m = r.split(":", 1)
    elif len(r) == 4:
        h, m = r[:2], r[2:]
    else:
        h, m = r, "0"
    if not 1 <= len(h) <= 2 or not 1 <= len(m) <= 2:
        return None
    if not all("0" <= c <= "9" for c in h + m):
        return None
    h, m = int(h), int(m)
    if h > 23 or m > 59:
        return None
    return sign * (h * 3600 + m * 60)


_DIGITS = re.compile(r"[0-9]+")


def _parse_unix_digits(s: str) -> Optional[int]:
    """Unix seconds (1-12 digits) or milliseconds (13 digits), digits only."""
    if _DIGITS.fullmatch(s) is None:
        return None
    if len(s) <= 12:
        value = int(s)
    elif len(s) == 13:
        value = int(s) // 1000
    else:
        return None
    return None if value > 253402300799 else value


def _parse_rfc3339(s: str) -> Optional[int]:
    found = _parse_parts(_trim(s))
    if found is None:
        return None
    (y, mo, d, h, mi, sec), rest = found
    off = _parse_offset(rest)
    if off is None:
        return None
    naive = _naive_seconds(y, mo, d, h, mi, sec)
    return None if naive is None else naive - off


def _parse_local(s: str, offset: int) -> Optional[int]:
    s = _trim(s)
    half = None
    for suffix, pm in (("AM", False), ("am", False), ("PM", True), ("pm", True), ("上午", False), ("下午", True)):
        if s.endswith(suffix):
            s, half = s[: -len(suffix)].rstrip(_WS), pm
            break
    found = _parse_parts(s)
    if found is None or found[1]:
        return None
    y, mo, d, h, mi, sec = found[0]
    if half is not None:
        if h == 0 or h > 12:
            return None
        h = h % 12 + (12 if half else 0)
    naive = _naive_seconds(y, mo, d, h, mi, sec)
    return None if naive is None else naive - offset


def _format_rfc3339(unix: int, offset: int) -> Optional[str]:
    local = unix + offset
    days, secs = divmod(local, 86400)
    y, m, d = _civil_from_days(days)
    if not 0 <= y <= 9999:
        return None
    sign = "-" if offset < 0 else "+"
    off = abs(offset) // 60
    return "%04d-%02d-%02dT%02d:%02d:%02d%s%02d:%02d" % (
        y, m, d, secs // 3600, secs % 3600 // 60, secs % 60, sign, off // 60, off % 60
    )


class _Unreadable(Exception):
    """A row the command line's JSON Lines reader would reject."""


def _time_of(value: Any, offset: int) -> Optional[str]:
    """The time as the JSON Lines reader writes it (RFC 3339 in ``offset``),
    None when absent; raises ``_Unreadable`` when it cannot be read."""
    if value is None:
        return None
    if isinstance(value, str):
        if not _trim(value):
            return None
        unix = _parse_unix_digits(_trim(value))
        if unix is None:
            unix = _parse_rfc3339(value)
        if unix is None:
            unix = _parse_local(value, offset)
    elif isinstance(value, bool):
        raise _Unreadable("time")
    elif isinstance(value, int):
        unix = _parse_unix_digits(str(value)) if value >= 0 else None
    elif isinstance(value, float):
        unix = _parse_unix_digits(str(int(value))) if math.isfinite(value) and value == int(value) and value >= 0 else None
    else:
        raise _Unreadable("time")
    if unix is None:
        raise _Unreadable("time")
    text = _format_rfc3339(unix, offset)
    if text is None:
        raise _Unreadable("time")
    return text


def _text_field(value: Any) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise _Unreadable("field")


def message_of_row(
    id: Any = None,
    group: Any = None,
    sender: Any = None,
    role: Any = None,
    time: Any = None,
    text: Any = None,
    utc_offset_seconds: int = _CHINA_STANDARD_TIME,
    default_group: Optional[str] = None,
    roster: Optional[Mapping[str, str]] = None,
) -> Optional[Dict[str, Any]]:
    """The taxonomy §4 message the command line's JSON Lines reader makes of
    a line with these fields, or None when it would reject the line as
    unreadable. ``time`` may be a string, an int (Unix seconds or
    milliseconds) or a whole float; ``TimestampType`` values are converted
    before (see the module's documentation)."""
    if not isinstance(text, str):
        return None
    try:
        role_text = _text_field(role)
        explicit = None
        if role_text is not None:
            explicit = _role_from_text(role_text)
            if explicit is None:
                return None
        group_text = _text_field(group)
        group_text = _trim(group_text) if group_text is not None else None
        if not group_text:
            group_text = default_group
        sender_text = _text_field(sender)
        if sender_text is not None and not _trim(sender_text):
            sender_text = None
        when = _time_of(time, utc_offset_seconds)
        id_text = _text_field(id)
        if id_text is not None and not _trim(id_text):
            id_text = None
    except _Unreadable:
        return None
    if not _trim(text):  # a content message with no text (media is never blank)
        return None
    resolved = explicit if explicit not in (None, "unknown") else None
    if resolved is None and roster and sender_text is not None:
        listed = roster.get(_trim(sender_text))
        if listed is not None:
            resolved = listed
    if resolved is None and sender_text is not None and any(c in sender_text for c in _POLICE_NAME_CUES):
        resolved = "police"
    m = {"text": text, "role": resolved or "unknown"}  # type: Dict[str, Any]
    if id_text is not None:
        m["id"] = id_text
    if group_text is not None:
        m["group"] = group_text
    if sender_text is not None:
        m["sender"] = sender_text
    if when is not None:
        m["time"] = when
    return m


def _row_key(fields: Sequence[Any]) -> str:
    """A key of a row's content (its fields as read)."""
    doc = json.dumps([_jsonable(v) for v in fields], ensure_ascii=False)
    return hashlib.sha256(doc.encode("utf-8", "surrogatepass")).hexdigest()[:32]


#: The source of the unreadable records of ``aggregate`` (see the module's
#: documentation).
UNREADABLE_SOURCE = "spark-row:"


def _add_unreadable(agg: Aggregator, counts: Mapping[str, int]) -> None:
    """Count the rows the command line would count as unreadable
    (``counts``: how many rows of each content key): one record each, known
    by (``UNREADABLE_SOURCE`` + key, 1..n), so that identical rows count
    once each, as the command line counts each line."""
    for key in sorted(counts):
        for line in range(1, counts[key] + 1):
            agg.add_unreadable(UNREADABLE_SOURCE + key, line)


def _jsonable(v: Any) -> Any:
    if v is None or isinstance(v, (str, int, bool)):
        return v
    if isinstance(v, float):
        return repr(v)
    return str(v)


# ---------------------------------------------------------------------------
# Columns: what is selected and how each arrives in the Arrow batches.

_INTEGRAL = (T.ByteType, T.ShortType, T.IntegerType, T.LongType)
_FRACTIONAL = (T.FloatType, T.DoubleType, T.DecimalType)


def _field_type(df: DataFrame, name: str):
    try:
        return df.schema[name].dataType
    except KeyError:
        raise ValueError("column %r not in the DataFrame (columns: %s)" % (name, ", ".join(df.columns))) from None


def _string_column(df: DataFrame, name: str, field: str):
    t = _field_type(df, name)
    if isinstance(t, T.StringType):
        return F.col(name)
    if isinstance(t, _INTEGRAL):
        return F.col(name).cast("string")
    raise TypeError("%s column %r: expected a string or integer column, not %s" % (field, name, t.simpleString()))


def _time_column(df: DataFrame, name: str):
    """(column expression, how the Python side reads it)."""
    t = _field_type(df, name)
    if isinstance(t, T.StringType):
        return F.col(name), "value"
    if isinstance(t, _INTEGRAL):
        return F.col(name).cast("long"), "value"
    if isinstance(t, _FRACTIONAL):
        return F.col(name).cast("double"), "value"
    if isinstance(t, T.TimestampType):
        # Microseconds since the epoch (UTC): the instant, independent of
        # the session time zone.
        return F.unix_micros(F.col(name)), "instant_micros"
    if type(t).__name__ == "TimestampNTZType":
        return F.col(name), "wall_clock"
    raise TypeError(
        "time column %r: expected a string, number, timestamp or timestamp_ntz column, not %s"
        % (name, t.simpleString())
    )


# What stands in a time field for a timestamp out of the years 0000-9999:
# the reader then rejects the row, as it rejects such a time in JSON Lines.
_OUT_OF_RANGE = "out of range"


def _time_values(column, how: str, offset: int) -> List[Any]:
    """The values of the time column as a JSON Lines file would hold them:
    strings and numbers unchanged, timestamps as RFC 3339 in ``offset``."""
    if how == "value":
        return column.to_pylist()
    if how == "instant_micros":  # Unix microseconds (UTC) of a TimestampType
        seconds = [None if v is None else v // 1_000_000 for v in column.to_pylist()]
    else:  # a TimestampNTZType: the wall clock, read in the configured offset
        micros = pc.cast(column.cast(pa.timestamp("us")), pa.int64()).to_pylist()
        seconds = [None if v is None else v // 1_000_000 - offset for v in micros]
    out = []  # type: List[Any]
    for v in seconds:
        if v is None:
            out.append(None)
        else:
            text = _format_rfc3339(v, offset)
            out.append(_OUT_OF_RANGE if text is None else text)
    return out


# ---------------------------------------------------------------------------
# analyze()


def _analysis_json(engine: Engine, text: str, role_code: int) -> str:
    data = text.encode("utf-8", "surrogatepass")
    flags = role_code << _ffi.JM_FLAG_ROLE_SHIFT
    out = ctypes.c_void_p()
    handle = engine._enter()
    try:
        _check(_ffi.lib().jm_analyze_json(handle, data, len(data), flags, ctypes.byref(out)))
    finally:
        engine._leave()
    return _ffi.take_string(out.value).decode("utf-8")


_ROLE_CODE = {"unknown": 0, "police": 1, "resident": 2}


def _analyze_batches(batches, text_i, role_i, keep, key, lexicon_bc, layer, with_json, out_names):
    engine = _engine_for(key, lexicon_bc, layer)
    limit = engine.max_message_bytes
    for batch in batches:
        texts = batch.column(text_i).to_pylist()
        n = len(texts)
        if role_i is None:
            roles = [0] * n
        else:
            roles = [_ROLE_CODE.get(_role_from_text(r) or "unknown", 0) if isinstance(r, str) else 0
                     for r in batch.column(role_i).to_pylist()]
        ok = [i for i, t in enumerate(texts) if isinstance(t, str) and len(t.encode("utf-8", "surrogatepass")) <= limit]
        summaries = engine.analyze_many([texts[i] for i in ok], roles=[roles[i] for i in ok]) if ok else []
        category = [None] * n  # type: List[Any]
        confidence = [None] * n  # type: List[Any]
        fraud_types = [None] * n  # type: List[Any]
        stance = [None] * n  # type: List[Any]
        risk = [None] * n  # type: List[Any]
        hits = [None] * n  # type: List[Any]
        entities = [None] * n  # type: List[Any]
        docs = [None] * n  # type: List[Any]
        for i, s in zip(ok, summaries):
            category[i] = s.category.value
            confidence[i] = s.confidence
            stance[i] = s.stance.value
            risk[i] = s.risk
            hits[i] = s.hit_count
            entities[i] = s.entity_count
            doc = _analysis_json(engine, texts[i], roles[i]) if with_json or s.fraud_type.value != "none" else None
            if with_json:
                docs[i] = doc
            # The summary names the first fraud type only; the others come
            # from the full analysis, asked for fraud messages alone.
            fraud_types[i] = json.loads(doc)["fraud"]["types"] if doc is not None and s.fraud_type.value != "none" else []
        arrays = [batch.column(j) for j in keep]
        arrays += [
            pa.array(category, pa.string()),
            pa.array(confidence, pa.float64()),
            pa.array(fraud_types, pa.list_(pa.string())),
            pa.array(stance, pa.string()),
            pa.array(risk, pa.int32()),
            pa.array(hits, pa.int32()),
            pa.array(entities, pa.int32()),
        ]
        if with_json:
            arrays.append(pa.array(docs, pa.string()))
        yield pa.RecordBatch.from_arrays(arrays, names=out_names)


def analyze(
    df: DataFrame,
    text_col: str = "text",
    role_col: Optional[str] = None,
    keep: Optional[Sequence[str]] = None,
    lexicon=None,
    layer: bool = True,
    with_json: bool = False,
    json_col: str = "analysis_json",
    prefix: str = "",
) -> DataFrame:
    """``df`` with the analysis of ``text_col`` as columns: ``category``
    (string), ``confidence`` (double), ``fraud_types`` (array<string>, all
    types, the primary first), ``stance`` (string), ``risk``, ``hit_count``,
    ``entity_count`` (int), and with ``with_json=True`` the full analysis as
    JSON (``json_col``, taxonomy §5, personal data masked). Column names
    take ``prefix``.

    ``role_col`` (optional) holds the sender's role, spelled as in JSON
    Lines; without it every message is analysed with role ``unknown``.
    ``keep``: the input columns to keep (default: all). ``lexicon``: a
    user lexicon (path, JSON text or bytes) layered over the built-in one
    (``layer=False``: alone), shipped to the executors once (broadcast).

    A row without text (null) or over the message size limit keeps its
    columns and gets nulls. Each Python worker process builds one engine per
    lexicon, once, and frees it at exit.
    """
    kept = list(df.columns) if keep is None else list(keep)
    for name in kept + [text_col] + ([role_col] if role_col else []):
        _field_type(df, name)
    if not isinstance(_field_type(df, text_col), T.StringType):
        raise TypeError("text column %r must be a string column" % text_col)
    names = [prefix + n for n, _ in ANALYSIS_COLUMNS] + ([prefix + json_col] if with_json else [])
    clash = sorted(set(names) & set(kept))
    if clash:
        raise ValueError("output columns %s already in the kept columns; use prefix= or keep=" % clash)

    # The selection: kept columns, then the text and role under private names.
    selected = [F.col(c) for c in kept] + [F.col(text_col).alias("__jm_text")]
    if role_col:
        selected.append(_string_column(df, role_col, "role").alias("__jm_role"))
    source = df.select(*selected)
    text_i = len(kept)
    role_i = len(kept) + 1 if role_col else None

    fields = [df.schema[c] for c in kept]
    fields += [T.StructField(prefix + n, t, True) for n, t in ANALYSIS_COLUMNS]
    if with_json:
        fields.append(T.StructField(prefix + json_col, T.StringType(), True))
    schema = T.StructType(fields)
    out_names = [f.name for f in fields]

    key, bc = _ship_lexicon(df, lexicon, layer)
    keep_i = list(range(len(kept)))

    def run(batches):
        return _analyze_batches(batches, text_i, role_i, keep_i, key, bc, layer, with_json, out_names)

    return source.mapInArrow(run, schema)


# ---------------------------------------------------------------------------
# aggregate()


def _feed_batches(batches, how_time, key, lexicon_bc, layer, config_bc, mapping_bc, batch_size):
    """One partition: one aggregator fed every batch; yields its snapshot."""
    engine = _engine_for(key, lexicon_bc, layer)
    opts = mapping_bc.value
    offset = opts["offset"]
    default_group = opts["default_group"]
    roster = opts["roster"]
    limit = engine.max_message_bytes
    agg = Aggregator(engine=engine, config=config_bc.value)
    unreadable = {}  # type: Dict[str, int]
    try:
        for batch in batches:
            columns = [batch.column(i).to_pylist() for i in range(6)]
            columns[4] = _time_values(batch.column(4), how_time, offset)
            messages = []
            for fields in zip(*columns):
                m = message_of_row(*fields, utc_offset_seconds=offset, default_group=default_group, roster=roster)
                if m is not None and len(m["text"]) * 6 + 4096 > limit and _json_size(m) > limit:
                    m = None  # over the message limit: unreadable, as a line over it is
                if m is None:
                    key = _row_key(fields)
                    unreadable[key] = unreadable.get(key, 0) + 1
                else:
                    messages.append(m)
            agg.add_many(messages, batch_size=batch_size)
        snapshot = agg.snapshot()
    finally:
        agg.close()
    yield pa.RecordBatch.from_pydict({
        "snapshot": pa.array([snapshot], pa.string()),
        "unreadable": pa.array([json.dumps(unreadable, sort_keys=True)], pa.string()),
    })


def _json_size(m: Mapping[str, Any]) -> int:
    return len(json.dumps(dict(m), ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"))


def _merge_snapshots(a: str, b: str) -> str:
    """Two partial snapshots as one (restore both, merge, re-snapshot)."""
    x = Aggregator.restore(a)
    y = Aggregator.restore(b)
    try:
        x.merge(y)
        return x.snapshot()
    finally:
        x.close()
        y.close()


def _merge_parts(a, b):
    """Two partitions' (snapshot, unreadable counts) as one."""
    counts = dict(a[1])
    for key, n in b[1].items():
        counts[key] = counts.get(key, 0) + n
    return _merge_snapshots(a[0], b[0]), counts


def _config_dict(config) -> Dict[str, Any]:
    if config is None:
        return {}
    if isinstance(config, (str, bytes)):
        config = json.loads(config)
    if not isinstance(config, Mapping):
        raise TypeError("config must be a dict or JSON text of an AggregatorConfig")
    return dict(config)


def aggregate(
    df: DataFrame,
    group_col: Optional[str] = "group",
    time_col: Optional[str] = "time",
    sender_col: Optional[str] = "sender",
    role_col: Optional[str] = "role",
    id_col: Optional[str] = "id",
    text_col: str = "text",
    lexicon=None,
    layer: bool = True,
    config=None,
    default_group: Optional[str] = None,
    roster: Optional[Mapping[str, str]] = None,
    batch_size: int = 4096,
    depth: int = 2,
    snapshots: Optional[List[str]] = None,
) -> Aggregator:
    """The case statistics of ``df``'s rows as one ``jingmin.Aggregator``:
    its ``report()`` is what ``jingmin report --format json`` prints for a
    JSON Lines file of the same messages.

    Columns: ``*_col`` names the column of each field of JSON Lines (the
    defaults are the JSON Lines names: ``id``, ``group``, ``sender``,
    ``role``, ``time``, ``text``). A default column the DataFrame lacks is
    absent from every message; a column named explicitly must exist; None
    leaves the field out. ``config``: an ``AggregatorConfig`` (dict or
    JSON; ``utc_offset_seconds`` also reads times without offset, as
    ``--tz``); ``drill_down`` is true unless it says otherwise, as on the
    command line. ``default_group`` stands for ``--group``, ``roster`` (sender
    → role) for ``--roster``; ``lexicon``/``layer`` as for ``analyze``.
    The lexicon and the configuration reach the executors once, as
    broadcasts.

    Each partition feeds one aggregator in Arrow batches (``add_many``,
    ``batch_size`` messages a call); the partial snapshots are merged by
    ``treeReduce`` (``depth``). ``snapshots``, if a list, receives each
    partition's snapshot (for measuring them; unmasked). The result does
    not depend on the number of partitions or the order of rows.

    Rows the command line could not read are counted as ``unreadable``
    (see the module's documentation for their keys), and the aggregator
    returned is masked as a default report of the command line is.
    """
    names = {"id": id_col, "group": group_col, "sender": sender_col, "role": role_col, "time": time_col, "text": text_col}
    explicit = {
        "id": id_col != "id", "group": group_col != "group", "sender": sender_col != "sender",
        "role": role_col != "role", "time": time_col != "time", "text": True,
    }
    conf = _config_dict(config)
    # The command line's configuration: drill-down texts kept unless
    # --no-drill-down (here: the caller's drill_down).
    conf.setdefault("drill_down", True)
    Aggregator(config=conf).close()  # a bad configuration fails here, on the driver
    offset = int(conf.get("utc_offset_seconds", _CHINA_STANDARD_TIME))
    roster_map = None
    if roster:
        roster_map = {}
        for sender, role in roster.items():
            r = _role_from_text(str(role))
            if r is None:
                raise ValueError("roster: unknown role %r for %r" % (role, sender))
            roster_map[_trim(str(sender))] = r

    selected = []
    how_time = "value"
    for field in ("id", "group", "sender", "role", "time", "text"):
        name = names[field]
        if name is None or (not explicit[field] and name not in df.columns):
            selected.append(F.lit(None).cast("string").alias("__jm_" + field))
            continue
        if field == "time":
            expr, how_time = _time_column(df, name)
        elif field == "text":
            if not isinstance(_field_type(df, name), T.StringType):
                raise TypeError("text column %r must be a string column" % name)
            expr = F.col(name)
        else:
            expr = _string_column(df, name, field)
        selected.append(expr.alias("__jm_" + field))
    source = df.select(*selected)

    key, lexicon_bc = _ship_lexicon(df, lexicon, layer)
    sc = df.sparkSession.sparkContext
    config_bc = sc.broadcast(conf)
    mapping_bc = sc.broadcast({"offset": offset, "default_group": default_group, "roster": roster_map})

    def feed(batches):
        return _feed_batches(batches, how_time, key, lexicon_bc, layer, config_bc, mapping_bc, batch_size)

    parts = source.mapInArrow(feed, "snapshot string, unreadable string").rdd.map(
        lambda row: (row[0], json.loads(row[1]))
    )
    try:
        if snapshots is not None:
            parts = parts.cache()
            snapshots.extend(p[0] for p in parts.collect())
        # Every partition yields one snapshot, so the reduction has
        # something to reduce unless there is no partition at all.
        merged = parts.treeReduce(_merge_parts, depth=depth) if parts.getNumPartitions() else None
    finally:
        if snapshots is not None:
            parts.unpersist()
        for b in (config_bc, mapping_bc) + ((lexicon_bc,) if lexicon_bc is not None else ()):
            b.unpersist()
    if merged is None:
        return Aggregator(config=conf)
    agg = Aggregator.restore(merged[0])
    _add_unreadable(agg, merged[1])
    # As a report of the command line without --raw (and its snapshot
    # without --keep-raw): masked once everything is merged.
    agg.mask_personal_data()
    return agg
