"""Loading the shared library and declaring its C signatures.

Every symbol used gets ``argtypes`` and ``restype``. Strings the library
returns through ``char **`` are received as ``c_void_p`` (an address), copied
with ``ctypes.string_at`` and released with ``jm_string_free``: a ``c_char_p``
result would copy the bytes and lose the pointer, leaking it.
"""

import ctypes
import os
import sys
import threading
from typing import List, Optional

from ._errors import LibraryNotFoundError

# Status codes (jm_status in jingmin.h).
JM_OK = 0
JM_ERR_NULL_ARGUMENT = 1
JM_ERR_INVALID_UTF8 = 2
JM_ERR_INVALID_JSON = 3
JM_ERR_INVALID_LEXICON = 4
JM_ERR_INVALID_SNAPSHOT = 5
JM_ERR_TOO_LARGE = 6
JM_ERR_IO = 7
JM_ERR_PANIC = 8
JM_ERR_INVALID_TIME = 9
JM_ERR_INVALID_ARGUMENT = 10
JM_ERR_INVALID_CONFIG = 11

JM_FLAG_RAW = 1
JM_FLAG_ROLE_SHIFT = 8

# The ABI this module was written against (JM_ABI_VERSION).
ABI_VERSION = 0


class JmText(ctypes.Structure):
    """``jm_text``: one message of a batch."""

    _fields_ = [("ptr", ctypes.c_void_p), ("len", ctypes.c_size_t)]


class JmAddCounts(ctypes.Structure):
    """``jm_add_counts``: what a batch add did."""

    _fields_ = [("added", ctypes.c_size_t), ("duplicates", ctypes.c_size_t), ("rejected", ctypes.c_size_t)]


class JmSummary(ctypes.Structure):
    """``jm_summary``: the fixed-size digest of an analysis."""

    _fields_ = [
        ("category", ctypes.c_uint32),
        ("confidence", ctypes.c_float),
        ("fraud_type", ctypes.c_uint32),
        ("stance", ctypes.c_uint32),
        ("risk", ctypes.c_uint32),
        ("hit_count", ctypes.c_uint32),
        ("entity_count", ctypes.c_uint32),
    ]


_c_status = ctypes.c_uint32
_engine_p = ctypes.c_void_p
_agg_p = ctypes.c_void_p
_bytes_p = ctypes.c_char_p  # const uint8_t *: accepts bytes (no copy) and None
_out_p = ctypes.POINTER(ctypes.c_void_p)

_SIGNATURES = {
    "jm_version": ([], ctypes.c_char_p),  # static string: copying is right
    "jm_abi_version": ([], ctypes.c_uint32),
    "jm_last_error": ([], ctypes.c_char_p),  # owned by the library
    "jm_engine_new_default": ([_out_p], _c_status),
    "jm_engine_new_from_lexicon": ([_bytes_p, ctypes.c_size_t, ctypes.c_int, _out_p], _c_status),
    "jm_engine_free": ([_engine_p], None),
    "jm_engine_max_message_bytes": ([_engine_p], ctypes.c_size_t),
    "jm_analyze": ([_engine_p, _bytes_p, ctypes.c_size_t, ctypes.POINTER(JmSummary)], _c_status),
    "jm_analyze_ex": (
        [_engine_p, _bytes_p, ctypes.c_size_t, ctypes.c_uint32, ctypes.POINTER(JmSummary)],
        _c_status,
    ),
    "jm_analyze_json": ([_engine_p, _bytes_p, ctypes.c_size_t, ctypes.c_uint32, _out_p], _c_status),
    "jm_analyze_batch": (
        [_engine_p, ctypes.POINTER(JmText), ctypes.c_size_t, ctypes.POINTER(JmSummary)],
        _c_status,
    ),
    "jm_analyze_batch_ex": (
        [
            _engine_p,
            ctypes.POINTER(JmText),
            ctypes.POINTER(ctypes.c_uint32),
            ctypes.c_size_t,
            ctypes.c_uint32,
            ctypes.POINTER(JmSummary),
        ],
        _c_status,
    ),
    "jm_mask": ([_engine_p, _bytes_p, ctypes.c_size_t, _out_p], _c_status),
    "jm_aggregator_new": ([_out_p], _c_status),
    "jm_aggregator_new_with_config": ([_bytes_p, ctypes.c_size_t, _out_p], _c_status),
    "jm_aggregator_free": ([_agg_p], None),
    "jm_aggregator_add_json": ([_agg_p, _engine_p, _bytes_p, ctypes.c_size_t], _c_status),
    "jm_aggregator_add_json_ex": (
        [_agg_p, _engine_p, _bytes_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_uint32)],
        _c_status,
    ),
    "jm_aggregator_add_jsonl": (
        [_agg_p, _engine_p, _bytes_p, ctypes.c_size_t, ctypes.POINTER(JmAddCounts)],
        _c_status,
    ),
    "jm_aggregator_add_unreadable": (
        [_agg_p, _bytes_p, ctypes.c_size_t, ctypes.c_uint64, ctypes.POINTER(ctypes.c_uint32)],
        _c_status,
    ),
    "jm_aggregator_mask_personal_data": ([_agg_p], _c_status),
    "jm_aggregator_merge": ([_agg_p, _agg_p], _c_status),
    "jm_aggregator_snapshot": ([_agg_p, _out_p], _c_status),
    "jm_aggregator_restore": ([_bytes_p, ctypes.c_size_t, _out_p], _c_status),
    "jm_aggregator_report_json": ([_agg_p, _out_p], _c_status),
    "jm_string_free": ([ctypes.c_void_p], None),
    "jm_string_len": ([ctypes.c_void_p], ctypes.c_size_t),
    "jm_category_name": ([ctypes.c_uint32], ctypes.c_char_p),
    "jm_fraud_type_name": ([ctypes.c_uint32], ctypes.c_char_p),
    "jm_stance_name": ([ctypes.c_uint32], ctypes.c_char_p),
    "jm_entity_kind_name": ([ctypes.c_uint32], ctypes.c_char_p),
    "jm_role_name": ([ctypes.c_uint32], ctypes.c_char_p),
}

if sys.platform == "darwin":
    _NAMES = ["libjingmin.dylib"]
elif sys.platform == "win32":
    _NAMES = ["jingmin.dll"]
else:
    _NAMES = ["libjingmin.so", "libjingmin.so.0"]


def candidates() -> List[str]:
    """Where the library is looked for, in order (``$JINGMIN_LIBRARY`` aside):
    next to this package first (a wheel carries it there), then the
    ``target/`` of the source tree the package lives in (an editable
    install). ``$JINGMIN_LIBRARY``, when set, is the only place tried."""
    here = os.path.dirname(os.path.abspath(__file__))
    found = [os.path.join(here, name) for name in _NAMES]
    # The source tree the package lives in (an editable install): the first
    # ancestor with a Cargo.toml.
    d = here
    for _ in range(6):
        d = os.path.dirname(d)
        if os.path.isfile(os.path.join(d, "Cargo.toml")):
            for profile in ("release", "debug"):
                found.extend(os.path.join(d, "target", profile, name) for name in _NAMES)
            break
    return found


_lock = threading.Lock()
_lib = None  # type: Optional[ctypes.CDLL]
_path = None  # type: Optional[str]


def _declare(lib: ctypes.CDLL) -> None:
    for name, (argtypes, restype) in _SIGNATURES.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            raise OSError("it lacks %s (a library older than this binding)" % name) from None
        fn.argtypes = argtypes
        fn.restype = restype


def _open(path: str) -> ctypes.CDLL:
    lib = ctypes.CDLL(path)
    _declare(lib)
    abi = lib.jm_abi_version()
    if abi != ABI_VERSION:
        raise OSError("C ABI version %d, this binding needs %d" % (abi, ABI_VERSION))
    return lib


def lib() -> ctypes.CDLL:
    """The loaded library (loaded on first use)."""
    global _lib, _path
    if _lib is not None:
        return _lib
    with _lock:
        if _lib is not None:
            return _lib
        env = os.environ.get("JINGMIN_LIBRARY")
        if env:
            try:
                loaded = _open(env)
            except OSError as e:
                raise LibraryNotFoundError(
                    JM_ERR_IO, "JINGMIN_LIBRARY=%s cannot be loaded: %s" % (env, e)
                ) from e
            _path, _lib = env, loaded
            return _lib
        tried = []
        for path in candidates():
            if not os.path.isfile(path):
                tried.append(path)
                continue
            try:
                loaded = _open(path)
            except OSError as e:
                tried.append("%s (%s)" % (path, e))
                continue
            _path, _lib = path, loaded
            return _lib
        raise LibraryNotFoundError(
            JM_ERR_IO,
            "the jingmin shared library was not found; install a jingmin wheel (it carries "
            "the library), or set JINGMIN_LIBRARY to its path (build it with `cargo build "
            "--release -p jingmin-capi`; docs/install.md). Tried: " + ", ".join(tried)
        )


def library_path() -> str:
    """The path of the loaded library (loading it if needed)."""
    lib()
    assert _path is not None
    return _path


def take_string(ptr: Optional[int]) -> bytes:
    """Copy a library string (NUL bytes included) and free it."""
    if not ptr:
        return b""
    l = lib()
    try:
        return ctypes.string_at(ptr, l.jm_string_len(ptr))
    finally:
        l.jm_string_free(ptr)


def last_error() -> str:
    """The calling thread's last error message."""
    raw = lib().jm_last_error()
    return raw.decode("utf-8", "replace") if raw else ""


def free_engine(handle: int) -> None:
    """Release an engine handle (a separate function so tests can count calls)."""
    lib().jm_engine_free(handle)


def free_aggregator(handle: int) -> None:
    """Release an aggregator handle (a separate function so tests can count calls)."""
    lib().jm_aggregator_free(handle)
