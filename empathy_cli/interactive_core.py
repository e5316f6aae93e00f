"""Build a reply step by step (`empathy suggest -i`): the logic, without a terminal.

`ReplyBuilder` holds the state of one session: for each of the five steps, the phrases that
fit the message, ranked by `compose.rank` (so option 1 is what `empathy suggest` would pick,
and with the default options the first three are what `empathy phrases --for MESSAGE --step
STEP` lists first), and what the agent chose: a phrase, their own text, or nothing. `walk`
drives a session through any `UI` (the terminal one is in `commands/interactive.py`; tests
use a scripted one), and `parse_answer` reads one answer at a step's prompt.

Nothing here prints, reads a terminal or imports Rich.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from .composer import (
    CUSTOMER_SLOTS,
    Candidate,
    default_tone,
    dictionary,
    fill,
    layout,
    pick,
    rank,
    slot_names,
    slot_values,
)
from .models import STEP_IDS
from .search import fit_score
from .textsafe import strip_controls

if TYPE_CHECKING:
    from .analysis import Analysis
    from .lint import CheckResult
    from .models import Banks, Phrase

PAGE_SIZE = 3
MIN_OWN_TEXT = 4  # an answer this long (and not a command) is the agent's own text

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "step": "Step {n}/5 · {title}",
        "keys": "Enter/no. pick · n more · s skip · t own text · b back · ? help",
        "keys_short": "Enter/no. · n · s · t · b · ?",
        "prompt": "choice › ",
        "own": "Your text for this step (one line; Enter cancels): ",
        "slot": "{slot}{hint}: ",
        "slot_help": "Type the value of each slot, or press Enter to fill it in later.",
        "wrapped": "That was the last of them; back to the best ones.",
        "no_phrase": "No phrase in the banks for this step: type your own, or s to skip.",
        "invalid": "Not understood: type {a}-{b}, n, s, t, b, or write your own sentence.",
        "first": "This is the first step.",
        "help": (
            "Enter takes the first phrase shown, a number the phrase with that number "
            "(1 fits best). n shows {k} more (p the previous ones), s leaves the step out, "
            "t (or any sentence you type) uses your own words for the step, "
            "b goes back to the previous step. Ctrl-D leaves without a reply, Ctrl-C aborts."
        ),
        "page": "{a}-{b} of {total}",
        "chosen": "current choice",
        "skipped": "(skipped)",
        "own_label": "(your text)",
        "review": "Your reply",
        "review_keys": "Enter {copy_or_finish} · 1-5 change a step · {finish_key}",
        "copy_and_finish": "copy it and finish",
        "finish": "finish",
        "finish_key": "f finish without copying",
        "finish_key_nocopy": "c copy it and finish",
        "review_prompt": "reply › ",
        "review_invalid": "Type Enter, a step number 1-5, c, f or v.",
        "fill_key": "v fill in the {{slots}}",
        "check": "Draft check: {score}/100",
        "error": "error",
        "warning": "warning",
        "suggestion": "suggestion",
        "quote": "“{text}”",
        "check_clean": "No cold or blaming wording found.",
        "check_missing": "Not covered: {steps}.",
        "reading": "Reading: ",
        "emotion_none": "no emotion (a calm request)",
        "situation_none": "no situation found",
        "concern": "Concern: ",
        "tone": "tone {tone}, {channel}",
        "left": "Left without a reply.",
        "fill_later": "Still to fill in: {slots}.",
    },
    "fr": {
        "step": "Étape {n}/5 · {title}",
        "keys": ("Entrée/n° choisir · n autres · s passer · t votre texte · b retour · ? aide"),
        "keys_short": "Entrée/n° · n · s · t · b · ?",
        "prompt": "choix › ",
        "own": "Votre texte pour cette étape (une ligne ; Entrée annule) : ",
        "slot": "{slot}{hint} : ",
        "slot_help": "Tapez la valeur de chaque champ, ou Entrée pour le compléter plus tard.",
        "wrapped": "C'étaient les dernières ; retour aux meilleures.",
        "no_phrase": "Aucune phrase dans les banques pour cette étape : écrivez la vôtre, ou s.",
        "invalid": "Réponse non comprise : tapez {a}-{b}, n, s, t, b, ou écrivez votre phrase.",
        "first": "C'est la première étape.",
        "help": (
            "Entrée prend la première phrase affichée, un numéro la phrase de ce numéro "
            "(1 convient le mieux). n en montre {k} autres (p les précédentes), "
            "s laisse l'étape de côté, "
            "t (ou toute phrase tapée) met vos propres mots pour l'étape, "
            "b revient à l'étape précédente. Ctrl-D quitte sans réponse, Ctrl-C interrompt."
        ),
        "page": "{a}-{b} sur {total}",
        "chosen": "choix actuel",
        "skipped": "(étape passée)",
        "own_label": "(votre texte)",
        "review": "Votre réponse",
        "review_keys": "Entrée {copy_or_finish} · 1-5 changer une étape · {finish_key}",
        "copy_and_finish": "copier et terminer",
        "finish": "terminer",
        "finish_key": "f terminer sans copier",
        "finish_key_nocopy": "c copier et terminer",
        "review_prompt": "réponse › ",
        "review_invalid": "Tapez Entrée, un numéro d'étape de 1 à 5, c, f ou v.",
        "fill_key": "v remplir les {{champs}}",
        "check": "Vérification du brouillon : {score}/100",
        "error": "erreur",
        "warning": "avertissement",
        "suggestion": "suggestion",
        "quote": "« {text} »",
        "check_clean": "Aucune formulation froide ou culpabilisante repérée.",
        "check_missing": "Non couvert : {steps}.",
        "reading": "Lecture : ",
        "emotion_none": "aucune émotion (demande calme)",
        "situation_none": "aucune situation repérée",
        "concern": "Préoccupation : ",
        "tone": "ton {tone}, {channel}",
        "left": "Sortie sans réponse.",
        "fill_later": "Reste à compléter : {slots}.",
    },
}

SLOT_HINTS: dict[str, dict[str, str]] = {
    "en": {
        "name": "the customer's name",
        "agent": "your name, for the sign-off",
        "company": "your company's name",
        "item": "the product",
        "order": "the order number",
        "date": "the date",
        "details": "what you found or will do",
    },
    "fr": {
        "name": "le nom du client",
        "agent": "votre nom, pour la signature",
        "company": "le nom de votre entreprise",
        "item": "le produit",
        "order": "le numéro de commande",
        "date": "la date",
        "details": "ce que vous avez constaté ou allez faire",
    },
}

_COMMANDS: dict[str, str] = {
    "n": "next",
    "+": "next",
    "next": "next",
    "more": "next",
    "suivant": "next",
    "suivantes": "next",
    "autres": "next",
    "p": "prev",
    "-": "prev",
    "prev": "prev",
    "s": "skip",
    "skip": "skip",
    "passer": "skip",
    "t": "type",
    "type": "type",
    "texte": "type",
    "b": "back",
    "back": "back",
    "retour": "back",
    "?": "help",
    "h": "help",
    "help": "help",
    "aide": "help",
}

AnswerKind = Literal["pick", "next", "prev", "skip", "type", "text", "back", "help", "invalid"]


def texts(language: str) -> dict[str, str]:
    """The interface strings in the message's language (English for any other)."""
    return TEXTS.get(language, TEXTS["en"])


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer at a step's prompt, read by `parse_answer`."""

    kind: AnswerKind
    number: int = 0  # for "pick": the 1-based rank, 0 for the first option shown
    text: str = ""  # for "text": the agent's own sentence


def parse_answer(raw: str, total: int) -> Answer:
    """Read an answer at a step's prompt.

    Enter picks the first option shown (`pick` with number 0); a number picks the phrase of
    that rank (the options are numbered by rank, 1 being the best fit, so `n` shows 4-6);
    `n`/`p` page through, `s` skips, `t` asks for own text, `b` goes back, `?` asks for
    help (the long forms `next`, `skip`, `suivant`, `passer`... too). Anything else of at
    least `MIN_OWN_TEXT` characters is the agent's own text for the step.

    Args:
        raw: the line typed, without its newline.
        total: how many phrases the step has (0 when the banks have none for it).
    """
    answer = strip_controls(raw).strip()
    if not answer:
        return Answer("pick", 0) if total else Answer("invalid")
    command = _COMMANDS.get(answer.lower())
    if command:
        return Answer(command)  # type: ignore[arg-type]
    if answer.isdigit():
        number = int(answer)
        return Answer("pick", number) if 1 <= number <= total else Answer("invalid")
    if len(answer) >= MIN_OWN_TEXT:
        return Answer("text", text=answer)
    return Answer("invalid")


@dataclass(frozen=True, slots=True)
class Option:
    """One phrase offered at a step: its number on the page and its text as it would read."""

    number: int  # 1-based rank among the step's phrases
    phrase: Phrase
    text: str  # filled with the values known so far; unknown slots stay as {{slot}}
    missing: tuple[str, ...]  # slots still unknown
    fit: float  # 0-100, as `empathy phrases --for` shows it
    reason: str


@dataclass(frozen=True, slots=True)
class Choice:
    """What the agent chose for a step."""

    template: str  # the phrase's text with its slots, or the agent's own text
    phrase_id: str | None = None  # None for the agent's own text

    @property
    def own(self) -> bool:
        return self.phrase_id is None


@dataclass(frozen=True, slots=True)
class Menu:
    """One page of a step's options."""

    step: str
    number: int  # 1-5
    title: str
    goal: str | None
    technique: str | None
    options: tuple[Option, ...]
    first: int  # 1-based rank of the first option shown
    total: int
    current: str | None  # the text chosen before, when the step is revisited


@dataclass(frozen=True, slots=True)
class Review:
    """The whole reply, with the draft checker's verdict."""

    reply: str
    check: CheckResult
    missing_slots: tuple[str, ...]


class ReplyBuilder:
    """The state of one interactive session: the ranked phrases and the agent's choices."""

    def __init__(
        self,
        analysis: Analysis,
        banks: Banks,
        *,
        tone: str | None = None,
        channel: str | None = None,
        slots: Mapping[str, str] | None = None,
    ) -> None:
        self.analysis = analysis
        self.banks = banks
        self.language = analysis.language
        self.tone = tone or default_tone(analysis)
        self.channel = channel or "email"
        self.values: dict[str, str] = slot_values(
            analysis, slots, dictionary(banks, analysis.language)
        )
        self.declined: set[str] = set()  # slots the agent chose to leave for later
        self.slot_help_shown = False
        self.candidates: dict[str, list[Candidate]] = {
            step: self._rank(step) for step in (*STEP_IDS, "greeting", "closing")
        }
        self.choices: dict[str, Choice | None] = {}  # None: the step is skipped
        self.frame: dict[str, Choice | None] = {}
        for part in ("greeting", "closing"):
            best = pick(self.candidates[part], 1)
            self.frame[part] = Choice(best.phrase.text, best.phrase.id) if best else None
        self.guides = {g.id: g for g in banks.steps_for(self.language)}

    def _rank(self, step: str) -> list[Candidate]:
        return rank(
            step,
            self.analysis,
            self.banks,
            tone=self.tone,
            channel=self.channel,
            values=self.values,
        )

    def menu(self, step: str, first: int = 0) -> Menu:
        """The page of `step`'s options that starts at the 0-based rank `first`."""
        ranked = self.candidates[step]
        first = first % len(ranked) if ranked else 0
        options = tuple(
            self._option(n, c) for n, c in enumerate(ranked[first : first + PAGE_SIZE], first + 1)
        )
        guide = self.guides.get(step)
        current = None
        if step in self.choices:
            chosen = self.choices[step]
            current = self.fill(chosen) if chosen else ""
        return Menu(
            step=step,
            number=STEP_IDS.index(step) + 1,
            title=guide.title if guide else step,
            goal=guide.goal if guide else None,
            technique=guide.techniques[0] if guide and guide.techniques else None,
            options=options,
            first=first + 1,
            total=len(ranked),
            current=current,
        )

    def _option(self, number: int, candidate: Candidate) -> Option:
        phrase = candidate.phrase
        missing = tuple(s for s in slot_names(phrase.text) if s not in self.values)
        return Option(
            number,
            phrase,
            fill(phrase.text, self.values),
            missing,
            fit_score(candidate.score),
            candidate.reason,
        )

    def option(self, step: str, number: int) -> Option:
        """The phrase of rank `number` (1-based) for `step`."""
        return self._option(number, self.candidates[step][number - 1])

    def choose(self, step: str, option: Option) -> None:
        self.choices[step] = Choice(option.phrase.text, option.phrase.id)

    def write(self, step: str, text: str) -> None:
        """The agent's own words for a step (kept as typed: never scanned for slots)."""
        self.choices[step] = Choice(strip_controls(text).strip())

    def skip(self, step: str) -> None:
        self.choices[step] = None

    def fill(self, choice: Choice) -> str:
        return choice.template if choice.own else fill(choice.template, self.values)

    def unknown_slots(self, parts: Sequence[str] | None = None) -> list[str]:
        """Slots used by the chosen phrases (of `parts`, default all and the greeting and
        closing) whose value is still unknown, in order of appearance."""
        names = parts if parts is not None else ("greeting", *STEP_IDS, "closing")
        out: list[str] = []
        for part in names:
            choice = self.frame.get(part) if part in self.frame else self.choices.get(part)
            if choice is None or choice.own:
                continue
            for slot in slot_names(choice.template):
                if slot not in self.values and slot not in CUSTOMER_SLOTS and slot not in out:
                    out.append(slot)
        return out

    def set_slot(self, name: str, value: str) -> None:
        """Fill a slot for every phrase that uses it; an empty value leaves it for later."""
        value = strip_controls(value).strip()
        if value:
            self.values[name] = value
        else:
            self.declined.add(name)

    def slots_to_ask(self, parts: Sequence[str] | None = None) -> list[str]:
        return [s for s in self.unknown_slots(parts) if s not in self.declined]

    def reply(self) -> str:
        """The whole reply as it stands, laid out as `empathy suggest` lays it out."""
        steps = []
        for step in STEP_IDS:
            choice = self.choices.get(step)
            steps.append(self.fill(choice) if choice else "")
        greeting = self.frame.get("greeting")
        closing = self.frame.get("closing")
        return layout(
            self.fill(greeting) if greeting else "",
            steps,
            self.fill(closing) if closing else "",
        )

    def review(self) -> Review:
        """The reply and the draft checker's verdict on it, against the customer's message."""
        text = strip_controls(self.reply())
        return Review(
            text, check_reply(text, self.banks, self.analysis), tuple(self.unknown_slots())
        )


def check_reply(text: str, banks: Banks, analysis: Analysis) -> CheckResult:
    """Run the draft checker on a reply against the message it answers."""
    from .lint import check_draft

    return check_draft(text, banks, lang=analysis.language, reply_to=analysis)


class UI(Protocol):
    """What `walk` needs from a terminal (or from a test)."""

    def show_menu(self, menu: Menu, language: str) -> None: ...

    def show_review(self, review: Review, builder: ReplyBuilder) -> None: ...

    def say(self, text: str, style: str = "") -> None: ...

    def ask(self, prompt: str) -> str:
        """One line typed by the agent, without its newline; EOFError on Ctrl-D."""
        ...


@dataclass(frozen=True, slots=True)
class Outcome:
    reply: str
    copy: bool


def walk(builder: ReplyBuilder, ui: UI, *, copy: bool = False) -> Outcome:
    """Walk the five steps, then review the reply until the agent is done.

    Args:
        builder: the session.
        ui: the terminal (or a scripted stand-in).
        copy: `--copy` was given: Enter at the review copies the reply.

    Returns:
        The final reply and whether to copy it.

    Raises:
        EOFError: the agent pressed Ctrl-D (leave without a reply).
    """
    t = texts(builder.language)
    index = 0
    while index < len(STEP_IDS):
        moved = _step(builder, ui, STEP_IDS[index])
        if moved < 0 and index == 0:
            ui.say(t["first"], "dim")
            continue
        index += moved
    ask_slots(builder, ui, None)
    while True:
        review = builder.review()
        ui.show_review(review, builder)
        hint = t["review_keys"].format(
            copy_or_finish=t["copy_and_finish"] if copy else t["finish"],
            finish_key=t["finish_key"] if copy else t["finish_key_nocopy"],
        )
        if review.missing_slots:
            hint += " · " + t["fill_key"]
        ui.say(hint, "dim")
        while True:
            answer = strip_controls(ui.ask(t["review_prompt"])).strip().lower()
            if answer in ("", "c", "f", "v") or (
                answer.isdigit() and 1 <= int(answer) <= len(STEP_IDS)
            ):
                break
            ui.say(t["review_invalid"], "yellow")
        if answer.isdigit():
            _step(builder, ui, STEP_IDS[int(answer) - 1])
            ask_slots(builder, ui, None)
            continue
        if answer == "v":
            builder.declined.clear()
            ask_slots(builder, ui, None)
            continue
        if answer == "":
            return Outcome(review.reply, copy)
        return Outcome(review.reply, answer == "c")


def _step(builder: ReplyBuilder, ui: UI, step: str) -> int:
    """Run one step's menu until the agent decides; 1 to go on, -1 to go back."""
    t = texts(builder.language)
    first = 0
    menu = builder.menu(step, first)
    ui.show_menu(menu, builder.language)
    while True:
        answer = parse_answer(ui.ask(t["prompt"]), menu.total)
        last = menu.first + len(menu.options) - 1
        if answer.kind == "pick":
            option = menu.options[0] if answer.number == 0 else builder.option(step, answer.number)
            builder.choose(step, option)
            ui.say(f"✓ {option.phrase.title}", "green")
            ask_slots(builder, ui, [step])
            return 1
        if answer.kind == "text":
            builder.write(step, answer.text)
            ui.say(f"✓ {t['own_label']}", "green")
            return 1
        if answer.kind == "type":
            own = strip_controls(ui.ask(t["own"])).strip()
            if own:
                builder.write(step, own)
                ui.say(f"✓ {t['own_label']}", "green")
                return 1
            continue
        if answer.kind == "skip":
            builder.skip(step)
            ui.say(f"– {t['skipped']}", "dim")
            return 1
        if answer.kind == "back":
            return -1
        if answer.kind in ("next", "prev"):
            if not menu.total:
                ui.say(t["no_phrase"], "yellow")
                continue
            if answer.kind == "next":
                first += PAGE_SIZE
                if first >= menu.total:
                    ui.say(t["wrapped"], "dim")
                    first = 0
            else:
                first = first - PAGE_SIZE if first else (menu.total - 1) // PAGE_SIZE * PAGE_SIZE
            menu = builder.menu(step, first)
            ui.show_menu(menu, builder.language)
            continue
        if answer.kind == "help":
            ui.say(t["help"].format(k=PAGE_SIZE), "dim")
            continue
        if not menu.total:
            ui.say(t["no_phrase"], "yellow")
        else:
            ui.say(t["invalid"].format(a=menu.first, b=last), "yellow")


def ask_slots(builder: ReplyBuilder, ui: UI, parts: Sequence[str] | None) -> None:
    """Ask for the value of every unknown slot of the chosen phrases (once each)."""
    t = texts(builder.language)
    hints = SLOT_HINTS.get(builder.language, SLOT_HINTS["en"])
    for slot in builder.slots_to_ask(parts):
        hint = hints.get(slot)
        if not builder.slot_help_shown:
            ui.say(t["slot_help"], "dim")
            builder.slot_help_shown = True
        prompt = t["slot"].format(slot="{{" + slot + "}}", hint=f" ({hint})" if hint else "")
        builder.set_slot(slot, ui.ask(prompt))
