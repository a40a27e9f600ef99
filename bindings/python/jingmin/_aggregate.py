"""The Aggregator: an owned ``jm_aggregator`` handle."""

import ctypes
import enum
import json
import re
import threading
from typing import Any, Dict, Iterable, Mapping, NamedTuple, Optional, Union

from . import _ffi
from ._engine import Engine, _check
from ._errors import AggregatorClosedError, error_for

Config = Union[None, str, bytes, Mapping[str, Any]]


class Added(str, enum.Enum):
    """What ``Aggregator.add`` did with a message (``jm_added``)."""

    #: A message not seen before, counted.
    NEW = "new"
    #: A copy of a message already counted: only ``messages.duplicates`` grew.
    DUPLICATE = "duplicate"
    #: Counted under ``messages.rejected``: no ``group``.
    REJECTED_MISSING_GROUP = "rejected_missing_group"
    #: Counted under ``messages.rejected``: a group but no ``time``.
    REJECTED_MISSING_TIME = "rejected_missing_time"
    #: Counted under ``messages.rejected``: a ``time`` that cannot be read, or
    #: outside the plausible range (2000-01-01 to one day past the clock by default).
    REJECTED_INVALID_TIME = "rejected_invalid_time"
    #: Counted under ``messages.rejected``: a record that could not be read
    #: at all (``Aggregator.add_unreadable``).
    REJECTED_UNREADABLE = "rejected_unreadable"

    @property
    def rejected(self) -> bool:
        """Whether the message was counted under ``messages.rejected``."""
        return self.value.startswith("rejected_")

    def __str__(self) -> str:
        return self.value


# jm_added codes, in order.
_ADDED = [
    Added.NEW,
    Added.DUPLICATE,
    Added.REJECTED_MISSING_GROUP,
    Added.REJECTED_MISSING_TIME,
    Added.REJECTED_INVALID_TIME,
    Added.REJECTED_UNREADABLE,
]


class AddCounts(NamedTuple):
    """What ``Aggregator.add_many`` did: every message is in one count."""

    added: int
    duplicates: int
    rejected: int


_default_engine = None  # type: Optional[Engine]
_default_lock = threading.Lock()


def _shared_engine() -> Engine:
    """The default engine aggregators use when given none (made once)."""
    global _default_engine
    with _default_lock:
        if _default_engine is None or _default_engine.closed:
            _default_engine = Engine()
        return _default_engine


def _message_bytes(message: Any, what: str) -> bytes:
    if not isinstance(message, Mapping):
        raise TypeError("%s must be a mapping (a taxonomy §4 message), not %s" % (what, type(message).__name__))
    text = json.dumps(dict(message), ensure_ascii=False, separators=(",", ":"))
    # A lone surrogate becomes bytes the library rejects with the byte offset.
    return text.encode("utf-8", "surrogatepass")


def _document_bytes(doc: Union[str, bytes], what: str) -> bytes:
    if isinstance(doc, bytes):
        return doc
    if isinstance(doc, str):
        return doc.encode("utf-8", "surrogatepass")
    raise TypeError("%s must be str or bytes, not %s" % (what, type(doc).__name__))


def _config_bytes(config: Config) -> bytes:
    if isinstance(config, Mapping):
        return json.dumps(dict(config)).encode("utf-8")
    return _document_bytes(config, "config")  # type: ignore[arg-type]


_LINE = re.compile(r"jsonl: line (\d+)")


class Aggregator:
    """Case statistics over messages: by category, role, group and day;
    fraud by type and stance; cases opened and answered with first-response
    times (the report of ``docs/report-schema.md``).

    ``Aggregator(engine=None, config=None)``: ``engine`` analyses the
    messages (the shared default engine when None); ``config`` is an
    ``AggregatorConfig`` as a dict or JSON text, e.g.
    ``{"answer_window_seconds": 3600}``.

    Order does not matter, copies of a message count once, and aggregators
    fed parts of a log ``merge`` into exactly the aggregator of the whole
    log. An aggregator pickles as its snapshot (without its engine: an
    unpickled one uses the default engine unless ``engine`` is set), so it
    can travel between processes.

    An aggregator serialises its own calls (it may be shared by threads, one
    call at a time runs). It is closed by ``close()``, a ``with`` block or
    garbage collection; using it afterwards raises ``AggregatorClosedError``.
    """

    def __init__(self, engine: Optional[Engine] = None, config: Config = None) -> None:
        self._handle = None  # type: Optional[int]
        self._lock = threading.Lock()
        self.engine = engine
        lib = _ffi.lib()
        out = ctypes.c_void_p()
        if config is None:
            status = lib.jm_aggregator_new(ctypes.byref(out))
        else:
            data = _config_bytes(config)
            status = lib.jm_aggregator_new_with_config(data, len(data), ctypes.byref(out))
        _check(status)
        self._handle = out.value

    @classmethod
    def restore(cls, snapshot: Union[str, bytes], engine: Optional[Engine] = None) -> "Aggregator":
        """An aggregator from a ``snapshot()``: it reports the same and keeps
        counting. Raises ``InvalidSnapshotError`` for another format, a newer
        version, a corrupted or truncated document."""
        data = _document_bytes(snapshot, "snapshot")
        out = ctypes.c_void_p()
        _check(_ffi.lib().jm_aggregator_restore(data, len(data), ctypes.byref(out)))
        self = cls.__new__(cls)
        self._handle = out.value
        self._lock = threading.Lock()
        self.engine = engine
        return self

    # -- the engine ---------------------------------------------------------

    @property
    def engine(self) -> Optional[Engine]:
        """The engine that analyses added messages; None for the default."""
        return self._engine

    @engine.setter
    def engine(self, engine: Optional[Engine]) -> None:
        if engine is not None and not isinstance(engine, Engine):
            raise TypeError("engine must be a jingmin.Engine or None, not %s" % type(engine).__name__)
        self._engine = engine

    def _engine_enter(self):
        engine = self._engine if self._engine is not None else _shared_engine()
        return engine, engine._enter()

    # -- lifetime -----------------------------------------------------------

    def close(self) -> None:
        """Release the aggregator. Idempotent; waits for a running call."""
        lock = getattr(self, "_lock", None)
        if lock is None:  # __init__ failed before anything was allocated
            return
        with lock:
            handle, self._handle = self._handle, None
        if handle:
            _ffi.free_aggregator(handle)

    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called."""
        return not self._handle

    def __enter__(self) -> "Aggregator":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: nothing sensible to do
            pass

    def _live(self) -> int:
        """The handle; call with ``self._lock`` held."""
        if not self._handle:
            raise AggregatorClosedError(_ffi.JM_ERR_NULL_ARGUMENT, "aggregator is closed")
        return self._handle

    # -- counting -----------------------------------------------------------

    def add(self, message: Mapping[str, Any]) -> Added:
        """Analyse one message (a dict as taxonomy §4: ``text`` required;
        ``id``, ``group``, ``sender``, ``role``, ``time`` optional) and count
        it. Returns what happened to it; a message without group or a
        readable time is not an error but ``Added.REJECTED_*``."""
        data = _message_bytes(message, "message")
        outcome = ctypes.c_uint32(0)
        with self._lock:
            handle = self._live()
            engine, engine_handle = self._engine_enter()
            try:
                status = _ffi.lib().jm_aggregator_add_json_ex(
                    handle, engine_handle, data, len(data), ctypes.byref(outcome)
                )
            finally:
                engine._leave()
        _check(status)
        return _ADDED[outcome.value]

    def add_many(self, messages: Iterable[Mapping[str, Any]], batch_size: int = 4096) -> AddCounts:
        """Count many messages, ``batch_size`` at a time, through the C
        batch call (``jm_aggregator_add_jsonl``). Returns the counts.

        On an invalid message the exception names its index; the batches
        before it are counted, nothing of its own batch is.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        added = duplicates = rejected = 0
        batch = []  # type: list
        start = 0
        for i, m in enumerate(messages):
            batch.append(_message_bytes(m, "messages[%d]" % i))
            if len(batch) == batch_size:
                c = self._add_batch(batch, start)
                added, duplicates, rejected = added + c.added, duplicates + c.duplicates, rejected + c.rejected
                start = i + 1
                batch = []
        if batch:
            c = self._add_batch(batch, start)
            added, duplicates, rejected = added + c.added, duplicates + c.duplicates, rejected + c.rejected
        return AddCounts(added, duplicates, rejected)

    def _add_batch(self, batch: list, start: int) -> AddCounts:
        data = b"\n".join(batch)
        counts = _ffi.JmAddCounts()
        with self._lock:
            handle = self._live()
            engine, engine_handle = self._engine_enter()
            try:
                status = _ffi.lib().jm_aggregator_add_jsonl(
                    handle, engine_handle, data, len(data), ctypes.byref(counts)
                )
            finally:
                engine._leave()
        if status != _ffi.JM_OK:
            message = _ffi.last_error()
            found = _LINE.search(message)
            if found:
                message = "messages[%d]: %s" % (start + int(found.group(1)) - 1, message)
            raise error_for(status, message + " (messages[%d:] were not counted)" % start)
        return AddCounts(counts.added, counts.duplicates, counts.rejected)

    def add_unreadable(self, source: str, line: int) -> Added:
        """Count a record that could not be read at all (malformed, over the
        message size limit) under ``messages.rejected``, reason
        ``unreadable``, as ``jingmin report`` counts one: no group, no day.
        The record is known by ``source`` (the file name, or any name that
        stays the same for the same input) and ``line`` (0 to 2**64 - 1):
        ``Added.REJECTED_UNREADABLE`` the first time, ``Added.DUPLICATE``
        when the same (source, line) was counted before, here or in an
        aggregator merged in."""
        if not isinstance(source, str):
            raise TypeError("source must be str, not %s" % type(source).__name__)
        if isinstance(line, bool) or not isinstance(line, int):
            raise TypeError("line must be an int, not %s" % type(line).__name__)
        if not 0 <= line < 1 << 64:
            raise ValueError("line must be from 0 to 2**64 - 1, not %d" % line)
        data = source.encode("utf-8", "surrogatepass")
        outcome = ctypes.c_uint32(0)
        with self._lock:
            status = _ffi.lib().jm_aggregator_add_unreadable(
                self._live(), data, len(data), line, ctypes.byref(outcome)
            )
        _check(status)
        return _ADDED[outcome.value]

    def mask_personal_data(self) -> None:
        """Mask the personal data the aggregator keeps, as a default report of
        ``jingmin report`` shows it (without ``--raw``): raw indicators (of a
        snapshot saved with ``--raw --keep-raw``, restored or merged in) and
        phone, ID and bank card numbers in drill-down texts and sender names.
        Reports and snapshots taken afterwards hold only masked forms.
        Idempotent."""
        with self._lock:
            status = _ffi.lib().jm_aggregator_mask_personal_data(self._live())
        _check(status)

    def merge(self, other: "Aggregator") -> None:
        """Add everything ``other`` counted (``other`` is unchanged). Raises
        ``InvalidArgumentError`` when ``other`` is this aggregator and
        ``InvalidConfigError`` when the two are configured differently."""
        if not isinstance(other, Aggregator):
            raise TypeError("other must be a jingmin.Aggregator, not %s" % type(other).__name__)
        if other is self:
            with self._lock:
                handle = self._live()
                status = _ffi.lib().jm_aggregator_merge(handle, handle)  # refused by the library
            _check(status)
            return
        # Both locks, always in the same order, so that a.merge(b) and
        # b.merge(a) on two threads cannot deadlock.
        first, second = (self, other) if id(self) < id(other) else (other, self)
        with first._lock, second._lock:
            into = self._live()
            if not other._handle:
                raise AggregatorClosedError(_ffi.JM_ERR_NULL_ARGUMENT, "other: aggregator is closed")
            status = _ffi.lib().jm_aggregator_merge(into, other._handle)
        _check(status)

    # -- reading ------------------------------------------------------------

    def snapshot(self) -> str:
        """The whole state as a versioned JSON document (see ``restore``)."""
        return self._string(_ffi.lib().jm_aggregator_snapshot)

    def report_json(self) -> str:
        """The report as JSON text (``docs/report-schema.md``)."""
        return self._string(_ffi.lib().jm_aggregator_report_json)

    def report(self) -> Dict[str, Any]:
        """The report as a dict (``docs/report-schema.md``)."""
        return json.loads(self.report_json())

    def _string(self, fn) -> str:
        out = ctypes.c_void_p()
        with self._lock:
            status = fn(self._live(), ctypes.byref(out))
        _check(status)
        return _ffi.take_string(out.value).decode("utf-8")

    # -- pickling -----------------------------------------------------------

    def __reduce__(self):
        return (_unpickle, (self.snapshot(),))

    def __repr__(self) -> str:
        return "<jingmin.Aggregator %s>" % ("closed" if self.closed else "open")


def _unpickle(snapshot: str) -> Aggregator:
    return Aggregator.restore(snapshot)
