"""The taxonomy's codes and the analysis as dataclasses (taxonomy §1–§5).

Enum values are the ``snake_case`` names of the JSON, so a member compares
equal to its name (``Category.SAFETY == "safety"``); ``.code`` is the stable
number of the C ABI.
"""

import enum
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional


class _Coded(str, enum.Enum):
    """A taxonomy enum: a str (its name) with a numeric code."""

    @property
    def code(self) -> int:
        """The stable numeric code (the C header's constant)."""
        return _CODES[type(self)][self.value]

    @classmethod
    def from_code(cls, code: int):
        """The member with this code; ValueError for an unknown code."""
        try:
            return _BY_CODE[cls][code]
        except KeyError:
            raise ValueError("%s has no code %r" % (cls.__name__, code)) from None

    def __str__(self) -> str:
        return self.value


class Category(_Coded):
    """Work category (taxonomy §1)."""

    OTHER = "other"
    LEGAL_PUBLICITY = "legal_publicity"
    REMINDER = "reminder"
    DISPUTE = "dispute"
    SAFETY = "safety"
    SERVICE = "service"
    ANOMALY = "anomaly"
    PRAISE = "praise"


class FraudType(_Coded):
    """Fraud type (taxonomy §2); NONE only where a code is needed."""

    NONE = "none"
    TASK_REBATE = "task_rebate"
    INVESTMENT = "investment"
    FAKE_LOAN = "fake_loan"
    FAKE_CUSTOMER_SERVICE = "fake_customer_service"
    IMPERSONATE_AUTHORITY = "impersonate_authority"
    CREDIT_REPAIR = "credit_repair"
    FAKE_SHOPPING = "fake_shopping"
    IMPERSONATE_ACQUAINTANCE = "impersonate_acquaintance"
    GAME_TRADE = "game_trade"
    ROMANCE = "romance"
    CARD_TRAFFICKING = "card_trafficking"
    PREDATORY_LOAN = "predatory_loan"
    ILLEGAL_FUNDRAISING = "illegal_fundraising"
    FAKE_PRIZE = "fake_prize"
    INSURANCE_BENEFIT = "insurance_benefit"
    IMPERSONATE_MILITARY = "impersonate_military"
    SEXTORTION = "sextortion"
    GENERIC = "generic"


class Stance(_Coded):
    """What a message does with fraud content (taxonomy §2)."""

    NONE = "none"
    WARNING = "warning"
    INQUIRY = "inquiry"
    SOLICITATION = "solicitation"
    VICTIM_REPORT = "victim_report"


class EntityKind(_Coded):
    """Kind of an entity (taxonomy §3)."""

    PHONE = "phone"
    URL = "url"
    ID_CARD = "id_card"
    BANK_CARD = "bank_card"
    MONEY = "money"
    WECHAT_ID = "wechat_id"
    QQ_NUMBER = "qq_number"
    LICENSE_PLATE = "license_plate"


class Role(_Coded):
    """Who sent a message (taxonomy §4)."""

    UNKNOWN = "unknown"
    POLICE = "police"
    RESIDENT = "resident"


def _codes(cls, codes: List[int]) -> Dict[str, int]:
    members = list(cls)
    assert len(members) == len(codes)
    return {m.value: c for m, c in zip(members, codes)}


_CODES = {
    Category: _codes(Category, list(range(8))),
    FraudType: _codes(FraudType, list(range(18)) + [99]),
    Stance: _codes(Stance, list(range(5))),
    EntityKind: _codes(EntityKind, list(range(1, 9))),
    Role: _codes(Role, list(range(3))),
}  # type: Dict[Any, Dict[str, int]]

_BY_CODE = {
    cls: {code: cls(name) for name, code in table.items()} for cls, table in _CODES.items()
}  # type: Dict[Any, Dict[int, Any]]


@dataclass(frozen=True)
class Evidence:
    """A feature that counted toward a category."""

    feature: str
    category: Category
    weight: float


@dataclass(frozen=True)
class Hit:
    """A fraud keyword found in the text.

    ``start``/``end`` are byte offsets into the UTF-8 text;
    ``char_start``/``char_end`` index the Python ``str`` directly:
    ``text[hit.char_start:hit.char_end] == hit.matched``.
    """

    type: FraudType
    keyword: str
    matched: str
    start: int
    end: int
    char_start: int
    char_end: int
    obfuscated: bool = False


@dataclass(frozen=True)
class FraudAssessment:
    """The fraud assessment of a message."""

    types: List[FraudType]
    stance: Stance
    risk: int
    hits: List[Hit]


@dataclass(frozen=True)
class Entity:
    """An entity (indicator): ``text`` masked for personal data unless raw
    output was asked for; ``value`` in yuan for money."""

    kind: EntityKind
    text: str
    value: Optional[float]
    start: int
    end: int
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Summary:
    """The fixed-size digest of an analysis (``jm_summary``)."""

    category: Category
    confidence: float
    fraud_type: FraudType
    stance: Stance
    risk: int
    hit_count: int
    entity_count: int


@dataclass(frozen=True)
class Analysis:
    """The full analysis of one message (taxonomy §5)."""

    category: Category
    confidence: float
    evidence: List[Evidence]
    fraud: FraudAssessment
    entities: List[Entity]
    id: Optional[str] = field(default=None)

    def summary(self) -> Summary:
        """The digest of this analysis, as ``analyze_many`` returns it."""
        return Summary(
            category=self.category,
            confidence=self.confidence,
            fraud_type=self.fraud.types[0] if self.fraud.types else FraudType.NONE,
            stance=self.fraud.stance,
            risk=self.fraud.risk,
            hit_count=len(self.fraud.hits),
            entity_count=len(self.entities),
        )

    @classmethod
    def from_json(cls, doc: Dict[str, Any]) -> "Analysis":
        """Build from the library's JSON (taxonomy §5)."""
        fraud = doc["fraud"]
        return cls(
            id=doc.get("id"),
            category=Category(doc["category"]),
            confidence=float("nan") if doc["confidence"] is None else float(doc["confidence"]),
            evidence=[
                Evidence(feature=e["feature"], category=Category(e["category"]), weight=float(e["weight"]))
                for e in doc.get("evidence", [])
            ],
            fraud=FraudAssessment(
                types=[FraudType(t) for t in fraud["types"]],
                stance=Stance(fraud["stance"]),
                risk=int(fraud["risk"]),
                hits=[
                    Hit(
                        type=FraudType(h["type"]),
                        keyword=h["keyword"],
                        matched=h["matched"],
                        start=h["start"],
                        end=h["end"],
                        char_start=h["char_start"],
                        char_end=h["char_end"],
                        obfuscated=bool(h.get("obfuscated", False)),
                    )
                    for h in fraud["hits"]
                ],
            ),
            entities=[
                Entity(
                    kind=EntityKind(e["kind"]),
                    text=e["text"],
                    value=None if e.get("value") is None else float(e["value"]),
                    start=e["start"],
                    end=e["end"],
                    char_start=e["char_start"],
                    char_end=e["char_end"],
                )
                for e in doc["entities"]
            ],
        )
