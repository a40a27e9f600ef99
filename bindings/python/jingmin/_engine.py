"""The Engine: an owned ``jm_engine`` handle."""

import array
import ctypes
import itertools
import json
import os
import struct
import threading
from typing import Dict, Iterable, List, Optional, Sequence, Union

from . import _ffi
from ._errors import EngineClosedError, InvalidArgumentError, JingminIOError, error_for
from ._types import Analysis, Category, FraudType, Role, Stance, Summary

RoleLike = Union[None, str, int, Role]
Lexicon = Union[str, bytes, "os.PathLike[str]"]

_SUMMARY = struct.Struct("=IfIIIII")
assert _SUMMARY.size == ctypes.sizeof(_ffi.JmSummary)

# A jm_text is {pointer, size_t}; an array of machine words of that size
# lays out a jm_text array without a Python-level loop over ctypes objects.
_WORD = ctypes.sizeof(ctypes.c_void_p)
_WORD_CODE = {8: "Q", 4: "I"}.get(_WORD) if ctypes.sizeof(ctypes.c_size_t) == _WORD else None
if _WORD_CODE is not None and array.array(_WORD_CODE).itemsize != _WORD:
    _WORD_CODE = None


def _check(status: int) -> None:
    if status != _ffi.JM_OK:
        raise error_for(status, _ffi.last_error())


def _role_code(role: RoleLike) -> int:
    if role is None:
        return 0
    if isinstance(role, Role):
        return role.code
    if isinstance(role, str):
        try:
            return Role(role).code
        except ValueError:
            raise InvalidArgumentError(
                _ffi.JM_ERR_INVALID_ARGUMENT, "role: unknown role %r" % (role,)
            ) from None
    if isinstance(role, int) and not isinstance(role, bool):
        # The library checks the code; what does not fit the four role bits
        # of the flags (a uint32_t) would be truncated into another role
        # (2**24 + 1 into police), so it is refused here.
        if not 0 <= role <= 0xF:  # JM_FLAG_ROLE_MASK >> JM_FLAG_ROLE_SHIFT
            raise InvalidArgumentError(_ffi.JM_ERR_INVALID_ARGUMENT, "role: unknown role code %d" % role)
        return role
    raise TypeError("role must be None, a Role, its name or its code, not %s" % type(role).__name__)


def _encode(text: str, what: str = "text") -> bytes:
    if not isinstance(text, str):
        raise TypeError("%s must be str, not %s" % (what, type(text).__name__))
    # A lone surrogate becomes bytes the library rejects with the byte offset.
    return text.encode("utf-8", "surrogatepass")


def _lexicon_bytes(lexicon: Lexicon) -> bytes:
    if isinstance(lexicon, bytes):
        return lexicon
    if isinstance(lexicon, str) and lexicon.lstrip()[:1] in ("{", "["):
        return _encode(lexicon, "lexicon")
    if isinstance(lexicon, (str, os.PathLike)):
        path = os.fspath(lexicon)
        try:
            with open(path, "rb") as f:
                return f.read()
        except OSError as e:
            raise JingminIOError(
                _ffi.JM_ERR_IO, "lexicon: cannot read %s: %s" % (path, e.strerror or e)
            ) from e
    raise TypeError("lexicon must be a path, a JSON str or bytes, not %s" % type(lexicon).__name__)


_CATEGORY = {c.code: c for c in Category}
_FRAUD_TYPE = {c.code: c for c in FraudType}
_STANCE = {c.code: c for c in Stance}


_F32 = struct.Struct("=f")
_short_f32 = {}  # type: dict


def _shortest(x: float) -> float:
    """The float32 ``x`` as the shortest decimal that reads back as the same
    float32: the number the library's JSON prints (``0.83``, not
    ``0.8299999833106995``), so summaries and analyses agree."""
    key = _F32.pack(x)
    found = _short_f32.get(key)
    if found is None:
        found = x
        for digits in range(1, 10):
            candidate = float("%.*g" % (digits, x))
            if _F32.pack(candidate) == key:
                found = candidate
                break
        if len(_short_f32) < 4096:
            _short_f32[key] = found
    return found


_new = object.__new__
_set_attr = object.__setattr__


def _summary(fields) -> Summary:
    category, confidence, fraud_type, stance, risk, hits, entities = fields
    # The frozen dataclass filled without its __init__ (a third of the
    # cost); the same fields, so equality and repr are unchanged.
    s = _new(Summary)
    _set_attr(
        s,
        "__dict__",
        {
            "category": _CATEGORY[category],
            "confidence": _shortest(confidence),
            "fraud_type": _FRAUD_TYPE[fraud_type],
            "stance": _STANCE[stance],
            "risk": risk,
            "hit_count": hits,
            "entity_count": entities,
        },
    )
    return s


# Summaries are immutable values and repeat a great deal (most messages of a
# batch share a few digests), so equal ones are made once and shared. The
# cache is bounded; plain dict operations are atomic under the GIL.
_SUMMARY_CACHE_MAX = 1 << 16
_summary_cache: Dict[tuple, Summary] = {}


def _summaries(raw: bytes) -> List[Summary]:
    cache = _summary_cache
    get = cache.get
    out = []
    append = out.append
    for fields in _SUMMARY.iter_unpack(raw):
        s = get(fields)
        if s is None:
            s = _summary(fields)
            if len(cache) < _SUMMARY_CACHE_MAX:
                cache[fields] = s
        append(s)
    return out


class Engine:
    """An analysis engine.

    ``Engine()`` uses the built-in lexicon; ``Engine(lexicon=..., layer=True)``
    layers a lexicon (a path, a JSON ``str`` or ``bytes``) over it, or with
    ``layer=False`` uses the lexicon alone.

    One engine may be shared by any number of threads (the library releases
    the GIL during calls). It is closed by ``close()``, by a ``with`` block or
    when garbage-collected; closing is idempotent, and a close while other
    threads are inside a call waits for them to leave before the handle is
    freed. Using a closed engine raises ``EngineClosedError``.
    """

    def __init__(self, lexicon: Optional[Lexicon] = None, layer: bool = True) -> None:
        self._handle = None  # type: Optional[int]
        self._lock = threading.Lock()
        self._users = 0
        self._closing = False
        lib = _ffi.lib()
        out = ctypes.c_void_p()
        if lexicon is None:
            status = lib.jm_engine_new_default(ctypes.byref(out))
        else:
            data = _lexicon_bytes(lexicon)
            status = lib.jm_engine_new_from_lexicon(data, len(data), 1 if layer else 0, ctypes.byref(out))
        _check(status)
        self._handle = out.value

    # -- lifetime ---------------------------------------------------------

    def close(self) -> None:
        """Release the engine. Idempotent; safe while other threads use it."""
        lock = getattr(self, "_lock", None)
        if lock is None:  # __init__ failed before anything was allocated
            return
        with lock:
            if self._closing:
                return
            self._closing = True
            if self._users:
                return  # the last user frees it
            handle, self._handle = self._handle, None
        if handle:
            _ffi.free_engine(handle)

    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called."""
        return self._closing

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: nothing sensible to do
            pass

    def _enter(self) -> int:
        with self._lock:
            if self._closing or not self._handle:
                raise EngineClosedError(_ffi.JM_ERR_NULL_ARGUMENT, "engine is closed")
            self._users += 1
            return self._handle

    def _leave(self) -> None:
        handle = None
        with self._lock:
            self._users -= 1
            if self._closing and self._users == 0 and self._handle:
                handle, self._handle = self._handle, None
        if handle:
            _ffi.free_engine(handle)

    # -- analysis ---------------------------------------------------------

    @property
    def max_message_bytes(self) -> int:
        """The largest text, in UTF-8 bytes, the engine analyses."""
        handle = self._enter()
        try:
            return _ffi.lib().jm_engine_max_message_bytes(handle)
        finally:
            self._leave()

    def analyze(self, text: str, role: RoleLike = None, raw: bool = False) -> Analysis:
        """The full analysis of one message (taxonomy §5).

        ``role``: ``"police"``, ``"resident"``, ``"unknown"`` (default) or a
        ``Role``. ``raw=True`` leaves personal data unmasked in entities.
        Char offsets index ``text`` directly.
        """
        data = _encode(text)
        flags = (_role_code(role) << _ffi.JM_FLAG_ROLE_SHIFT) | (_ffi.JM_FLAG_RAW if raw else 0)
        out = ctypes.c_void_p()
        handle = self._enter()
        try:
            _check(_ffi.lib().jm_analyze_json(handle, data, len(data), flags, ctypes.byref(out)))
        finally:
            self._leave()
        doc = json.loads(_ffi.take_string(out.value).decode("utf-8"))
        return Analysis.from_json(doc)

    def summarize(self, text: str, role: RoleLike = None) -> Summary:
        """The digest of one message (one ``jm_analyze_ex`` call)."""
        data = _encode(text)
        flags = _role_code(role) << _ffi.JM_FLAG_ROLE_SHIFT
        out = _ffi.JmSummary()
        handle = self._enter()
        try:
            _check(_ffi.lib().jm_analyze_ex(handle, data, len(data), flags, ctypes.byref(out)))
        finally:
            self._leave()
        return _summary(
            (out.category, out.confidence, out.fraud_type, out.stance, out.risk, out.hit_count, out.entity_count)
        )

    def analyze_many(
        self,
        texts: Iterable[str],
        role: RoleLike = None,
        roles: Optional[Sequence[RoleLike]] = None,
    ) -> List[Summary]:
        """The digests of many messages through one batch call.

        ``role`` applies to every message; ``roles``, if given, has one role
        per message and takes its place.
        """
        encoded = [_encode(t, "texts[%d]" % i) for i, t in enumerate(texts)]
        n = len(encoded)
        if n == 0:
            return []
        flags = _role_code(role) << _ffi.JM_FLAG_ROLE_SHIFT
        role_array = None
        if roles is not None:
            codes = [_role_code(r) for r in roles]
            if len(codes) != n:
                raise InvalidArgumentError(
                    _ffi.JM_ERR_INVALID_ARGUMENT, "roles: %d roles for %d texts" % (len(codes), n)
                )
            role_array = (ctypes.c_uint32 * n)(*codes)

        # One buffer for all texts; the jm_text array points into it.
        joined = b"".join(encoded)
        keep = ctypes.create_string_buffer(joined, len(joined) + 1)
        base = ctypes.addressof(keep)
        lengths = [len(b) for b in encoded]
        starts = itertools.accumulate([0] + lengths[:-1])
        if _WORD_CODE is not None:
            words = array.array(_WORD_CODE, bytes(2 * n * _WORD))
            words[0::2] = array.array(_WORD_CODE, (base + s for s in starts))
            words[1::2] = array.array(_WORD_CODE, lengths)
            items = (_ffi.JmText * n).from_buffer(words)
        else:  # unusual ABI: fill the structures one by one
            items = (_ffi.JmText * n)()
            for i, (s, l) in enumerate(zip(starts, lengths)):
                items[i].ptr = base + s
                items[i].len = l
        out = (_ffi.JmSummary * n)()

        handle = self._enter()
        try:
            _check(_ffi.lib().jm_analyze_batch_ex(handle, items, role_array, n, flags, out))
        finally:
            self._leave()
        return _summaries(bytes(out))

    def mask(self, text: str) -> str:
        """The text with personal data (phones, ID and bank card numbers)
        masked."""
        data = _encode(text)
        out = ctypes.c_void_p()
        handle = self._enter()
        try:
            _check(_ffi.lib().jm_mask(handle, data, len(data), ctypes.byref(out)))
        finally:
            self._leave()
        return _ffi.take_string(out.value).decode("utf-8")

    def __repr__(self) -> str:
        return "<jingmin.Engine %s>" % ("closed" if self._closing else "open")
