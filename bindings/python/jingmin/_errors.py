"""The exceptions of the binding: one subclass of JingminError per status."""

from typing import Dict, Optional, Type


class JingminError(Exception):
    """A failure reported by the library.

    ``status`` is the ``jm_status`` code of the C ABI (see ``jingmin.h``) and
    ``message`` the library's description of what went wrong and where
    (never the analysed text).
    """

    status = None  # type: Optional[int]

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def __reduce__(self):  # keep status and message through pickling
        return (type(self), (self.status, self.message))


class NullArgumentError(JingminError):
    """JM_ERR_NULL_ARGUMENT: a required argument was missing."""


class InvalidUtf8Error(JingminError, ValueError):
    """JM_ERR_INVALID_UTF8: text was not valid UTF-8 (a lone surrogate in a
    Python str); the message gives the byte offset."""


class InvalidJsonError(JingminError, ValueError):
    """JM_ERR_INVALID_JSON: a JSON document could not be parsed."""


class InvalidLexiconError(JingminError, ValueError):
    """JM_ERR_INVALID_LEXICON: a lexicon is malformed."""


class InvalidSnapshotError(JingminError, ValueError):
    """JM_ERR_INVALID_SNAPSHOT: a snapshot could not be restored."""


class InputTooLargeError(JingminError, ValueError):
    """JM_ERR_TOO_LARGE: the text is larger than the engine's maximum."""


class JingminIOError(JingminError):
    """JM_ERR_IO: reading or writing a file failed."""


class LibraryNotFoundError(JingminIOError):
    """The shared library could not be found or loaded (status JM_ERR_IO)."""


class InternalError(JingminError):
    """JM_ERR_PANIC: an internal error was caught at the C boundary."""


class InvalidTimeError(JingminError, ValueError):
    """JM_ERR_INVALID_TIME: a timestamp could not be read."""


class InvalidArgumentError(JingminError, ValueError):
    """JM_ERR_INVALID_ARGUMENT: an argument is out of range (unknown role…)."""


class InvalidConfigError(JingminError, ValueError):
    """JM_ERR_INVALID_CONFIG: an aggregator configuration is malformed, or two
    aggregators configured differently were merged."""


class EngineClosedError(JingminError):
    """The engine was closed (status JM_ERR_NULL_ARGUMENT: its handle is gone)."""


class AggregatorClosedError(JingminError):
    """The aggregator was closed (status JM_ERR_NULL_ARGUMENT: its handle is gone)."""


ERRORS = {
    1: NullArgumentError,
    2: InvalidUtf8Error,
    3: InvalidJsonError,
    4: InvalidLexiconError,
    5: InvalidSnapshotError,
    6: InputTooLargeError,
    7: JingminIOError,
    8: InternalError,
    9: InvalidTimeError,
    10: InvalidArgumentError,
    11: InvalidConfigError,
}  # type: Dict[int, Type[JingminError]]


def error_for(status: int, message: str) -> JingminError:
    """The exception for a non-zero status."""
    cls = ERRORS.get(status, JingminError)
    return cls(status, message)
