"""Plain, frozen data types shared by the loader, the core functions and the renderers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
)
TONES = ("warm", "neutral", "formal")
CHANNELS = ("email", "chat", "phone", "social")
SEVERITIES = ("error", "warning", "suggestion")
CUE_ROLES = ("negator", "intensifier", "diminisher", "grievance", "positive", "politeness")
# `markers`: expressions that show a step in an agent's draft (read by `empathy check`)
KINDS = ("phrases", "steps", "cues", "rules", "scenarios", "markers")
KNOWN_SLOTS = ("name", "agent", "company", "item", "order", "date")
LAYERS = ("builtin", "user", "env", "option")


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an entry was defined: file, line and layer."""

    path: str
    line: int
    layer: str


@dataclass(frozen=True, slots=True)
class Phrase:
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


@dataclass(frozen=True, slots=True)
class StepGuide:
    id: str
    language: str
    title: str
    goal: str
    techniques: tuple[str, ...] = ()
    pitfalls: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Cue:
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


@dataclass(frozen=True, slots=True)
class Rule:
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


@dataclass(frozen=True, slots=True)
class Marker:
    """Words or a pattern showing that an agent's draft does one of the five steps."""

    id: str
    language: str
    step: str
    words: tuple[str, ...] = ()
    pattern: str | None = None
    note: str | None = None
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    language: str
    message: str
    emotions: tuple[str, ...]
    situations: tuple[str, ...] = ()
    notes: str | None = None
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class BankFile:
    """One loaded bank file, for `empathy banks list`."""

    path: str
    layer: str
    kind: str
    language: str
    entries: int


Entry = Phrase | StepGuide | Cue | Rule | Scenario | Marker


@dataclass(frozen=True)
class Banks:
    """Every entry of every layer, merged by (kind, language, id), in a stable order."""

    phrases: tuple[Phrase, ...] = ()
    steps: tuple[StepGuide, ...] = ()
    cues: tuple[Cue, ...] = ()
    rules: tuple[Rule, ...] = ()
    scenarios: tuple[Scenario, ...] = ()
    files: tuple[BankFile, ...] = ()
    markers: tuple[Marker, ...] = ()
    # derived indexes, built lazily per language and cached with the banks
    _indexes: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

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
