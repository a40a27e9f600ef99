"""jingmin (警民): analysis of police–community chat messages.

A ctypes binding of the library's C ABI: work categories, fraud assessment
(types, stance, risk, keyword hits with spans in the original text) and
entities, as dataclasses mirroring the taxonomy's JSON (§5).

>>> import jingmin
>>> with jingmin.Engine() as engine:                      # doctest: +SKIP
...     a = engine.analyze("这是刷单诈骗吗？", role="resident")
...     [s.stance for s in engine.analyze_many(["收到", "我被骗了"])]

Case statistics (``Aggregator``): feed messages (taxonomy §4 dicts), merge
partial aggregators in any order, ship them between processes as snapshots
(they pickle), read the report.

>>> with jingmin.Aggregator() as agg:                     # doctest: +SKIP
...     agg.add({"group": "g", "time": "2024-03-01 10:00:00", "text": "请问怎么办居住证？"})
...     agg.report()["messages"]["total"]
"""

from ._aggregate import AddCounts, Added, Aggregator
from ._engine import Engine
from ._errors import (
    AggregatorClosedError,
    EngineClosedError,
    InputTooLargeError,
    InternalError,
    InvalidArgumentError,
    InvalidConfigError,
    InvalidJsonError,
    InvalidLexiconError,
    InvalidSnapshotError,
    InvalidTimeError,
    InvalidUtf8Error,
    JingminError,
    JingminIOError,
    LibraryNotFoundError,
    NullArgumentError,
)
from ._ffi import library_path
from ._types import (
    Analysis,
    Category,
    Entity,
    EntityKind,
    Evidence,
    FraudAssessment,
    FraudType,
    Hit,
    Role,
    Stance,
    Summary,
)

#: The binding's version; equal to the library's (``library_version()``).
__version__ = "0.1.0"


def library_version() -> str:
    """The version of the loaded shared library (``jm_version()``)."""
    from ._ffi import lib

    return lib().jm_version().decode("ascii")


__all__ = [
    "AddCounts",
    "Added",
    "Aggregator",
    "AggregatorClosedError",
    "Analysis",
    "Category",
    "Engine",
    "EngineClosedError",
    "Entity",
    "EntityKind",
    "Evidence",
    "FraudAssessment",
    "FraudType",
    "Hit",
    "InputTooLargeError",
    "InternalError",
    "InvalidArgumentError",
    "InvalidConfigError",
    "InvalidJsonError",
    "InvalidLexiconError",
    "InvalidSnapshotError",
    "InvalidTimeError",
    "InvalidUtf8Error",
    "JingminError",
    "JingminIOError",
    "LibraryNotFoundError",
    "NullArgumentError",
    "Role",
    "Stance",
    "Summary",
    "__version__",
    "library_path",
    "library_version",
]
