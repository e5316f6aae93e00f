"""Plain, immutable data types shared by the loader, the core functions and the renderers.

Bank entries are `typing.NamedTuple`s: immutable and typed like frozen dataclasses, but
about eight times cheaper for Python to define at import and faster to build and to
unpickle from the bank cache, which is what a start of `empathy` pays for.
"""

from __future__ import annotations

from typing import Any, NamedTuple

LANGUAGES = ("en", "fr")
STEP_IDS = ("listen", "validate", "perspective", "compassion", "collaborate")
FRAME_IDS = ("greeting", "closing")
PHRASE_STEPS = STEP_IDS + FRAME_IDS
EMOTIONS = ("angry", "frustrated", "disappointed", "confused", "worried", "sad", "grateful")
# `neutral` may tag phrases and scenarios meant for calm messages; analyze never reports it.
PHRASE_EMOTIONS = (*EMOTIONS, "neutral")
NEGATIVE_EMOTIONS = ("angry", "frustrated", "disappointed", "worried", "sad")
SITUATIONS = (
    "late_delivery",
    "refund",
    "billing",
    "defect",
    "wrong_item",
    "cancellation",
    "account_access",
    "no_response",
    "technical_issue",
    "missed_appointment",
    "staff_conduct",
)
TONES = ("warm", "neutral", "formal")
CHANNELS = ("email", "chat", "phone", "social")
SEVERITIES = ("error", "warning", "suggestion")
CUE_ROLES = ("negator", "intensifier", "diminisher", "grievance", "positive", "politeness")
# `markers`: expressions that show a step in an agent's draft (read by `empathy check`)
KINDS = ("phrases", "steps", "cues", "rules", "scenarios", "markers")
KNOWN_SLOTS = ("name", "agent", "company", "item", "order", "date")
LAYERS = ("builtin", "user", "env", "option")


class Origin(NamedTuple):
    """Where an entry was defined: file, line and layer."""

    path: str
    line: int
    layer: str


class Phrase(NamedTuple):
    id: str
    language: str
    step: str
    text: str
    title: str
    emotions: tuple[str, ...] = ()
    situations: tuple[str, ...] = ()
    tone: str = "neutral"
    channel: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    note: str | None = None
    origin: Origin | None = None


class StepGuide(NamedTuple):
    id: str
    language: str
    title: str
    goal: str
    techniques: tuple[str, ...] = ()
    pitfalls: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    origin: Origin | None = None


class Cue(NamedTuple):
    id: str
    language: str
    emotion: str | None = None
    situation: str | None = None
    role: str | None = None
    words: tuple[str, ...] = ()
    pattern: str | None = None
    weight: float = 1.0
    note: str | None = None
    origin: Origin | None = None

    @property
    def target(self) -> str:
        """`emotion:angry`, `situation:refund` or `role:negator`."""
        if self.emotion:
            return f"emotion:{self.emotion}"
        if self.situation:
            return f"situation:{self.situation}"
        return f"role:{self.role}"


class Rule(NamedTuple):
    id: str
    language: str
    severity: str
    message: str
    words: tuple[str, ...] = ()
    pattern: str | None = None
    suggestion: str | None = None
    unless: tuple[str, ...] = ()
    unless_pattern: str | None = None
    note: str | None = None
    origin: Origin | None = None


class Marker(NamedTuple):
    """Words or a pattern showing that an agent's draft does one of the five steps."""

    id: str
    language: str
    step: str
    words: tuple[str, ...] = ()
    pattern: str | None = None
    note: str | None = None
    origin: Origin | None = None


class Scenario(NamedTuple):
    id: str
    language: str
    message: str
    emotions: tuple[str, ...]
    situations: tuple[str, ...] = ()
    notes: str | None = None
    origin: Origin | None = None


class BankFile(NamedTuple):
    """One loaded bank file, for `empathy banks list`."""

    path: str
    layer: str
    kind: str
    language: str
    entries: int


Entry = Phrase | StepGuide | Cue | Rule | Scenario | Marker


class Banks:
    """Every entry of every layer, merged by (kind, language, id), in a stable order.

    Immutable, like the entries. `_indexes` holds the derived indexes (built lazily per
    language and cached with the banks); it plays no part in equality.
    """

    __slots__ = ("_indexes", "cues", "files", "markers", "phrases", "rules", "scenarios", "steps")
    # the fields, in the order of the constructor's arguments (the bank cache stores them)
    _fields = ("phrases", "steps", "cues", "rules", "scenarios", "files", "markers")

    phrases: tuple[Phrase, ...]
    steps: tuple[StepGuide, ...]
    cues: tuple[Cue, ...]
    rules: tuple[Rule, ...]
    scenarios: tuple[Scenario, ...]
    files: tuple[BankFile, ...]
    markers: tuple[Marker, ...]
    _indexes: dict[str, Any]

    def __init__(
        self,
        phrases: tuple[Phrase, ...] = (),
        steps: tuple[StepGuide, ...] = (),
        cues: tuple[Cue, ...] = (),
        rules: tuple[Rule, ...] = (),
        scenarios: tuple[Scenario, ...] = (),
        files: tuple[BankFile, ...] = (),
        markers: tuple[Marker, ...] = (),
        _indexes: dict[str, Any] | None = None,
    ) -> None:
        init = object.__setattr__
        init(self, "phrases", phrases)
        init(self, "steps", steps)
        init(self, "cues", cues)
        init(self, "rules", rules)
        init(self, "scenarios", scenarios)
        init(self, "files", files)
        init(self, "markers", markers)
        init(self, "_indexes", {} if _indexes is None else _indexes)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Banks are immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Banks are immutable: cannot delete {name!r}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Banks)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        counts = ", ".join(f"{name}={len(getattr(self, name))}" for name in self._fields)
        return f"Banks({counts})"

    def __reduce__(self) -> tuple[Any, ...]:
        # per-process memos (`memo:...`, see `compose`) stay behind: a worker builds its own
        indexes = {k: v for k, v in self._indexes.items() if not k.startswith("memo:")}
        return (type(self), (*self._values(), indexes))

    def phrases_for(self, language: str) -> tuple[Phrase, ...]:
        return tuple(p for p in self.phrases if p.language == language)

    def steps_for(self, language: str) -> tuple[StepGuide, ...]:
        by_id = {s.id: s for s in self.steps if s.language == language}
        return tuple(by_id[i] for i in STEP_IDS if i in by_id)

    def cues_for(self, language: str) -> tuple[Cue, ...]:
        return tuple(c for c in self.cues if c.language == language)

    def rules_for(self, language: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.language == language)

    def scenarios_for(self, language: str) -> tuple[Scenario, ...]:
        return tuple(s for s in self.scenarios if s.language == language)

    def markers_for(self, language: str) -> tuple[Marker, ...]:
        return tuple(m for m in self.markers if m.language == language)
