"""Training drills (`empathy practice`): scenarios from the banks, scored.

A round shows a scenario's customer message and asks the trainee which emotion(s) they
hear; the answer is scored against the scenario's emotions (the main one, listed first,
counts double) and compared with the automatic reading (`analyze`): an emotion the reading
also hears costs nothing even when the scenario does not list it. Then the trainee writes a
reply, scored by the draft checker against the scenario's message (cold wording, missing
steps, the customer's emotion and situation acknowledged), and sees the trainer's notes and
a model answer from `compose`. A summary ends the drill: score per step and per emotion,
and what to work on.

The order of the scenarios comes from `random.Random(seed)` with a fixed default seed, so
the same command gives the same drill. Nothing here prints or reads a terminal: `drill`
talks to a `DrillUI` (the terminal one is in `commands/practice.py`).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from .errors import InputError
from .models import EMOTIONS, STEP_IDS
from .text import fold
from .textsafe import strip_controls

if TYPE_CHECKING:
    from .analysis import Analysis
    from .lint import Finding
    from .models import Banks, Scenario

DEFAULT_ROUNDS = 5
DEFAULT_SEED = 1
EMOTION_CHOICES = (*EMOTIONS, "neutral")  # numbered 1-8 in the question
MAIN_WEIGHT = 2  # the main emotion of a scenario counts this much, the others 1
WRONG_PENALTY = 20  # points lost per emotion heard that neither the scenario nor the reading has
WEAK_STEP = 0.6  # a step present in fewer replies than this share is worth working on
MAX_WORK_ON = 4
# Emotions close enough that hearing one for the other is half right.
NEAR: dict[str, tuple[str, ...]] = {
    "angry": ("frustrated",),
    "frustrated": ("angry", "disappointed"),
    "disappointed": ("frustrated", "sad"),
    "sad": ("disappointed", "worried"),
    "worried": ("sad", "confused"),
    "confused": ("worried",),
}

EMOTION_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "angry": "anger",
        "frustrated": "frustration",
        "disappointed": "disappointment",
        "confused": "confusion",
        "worried": "worry",
        "sad": "sadness",
        "grateful": "gratitude",
        "neutral": "none (a calm request)",
    },
    "fr": {
        "angry": "colère",
        "frustrated": "frustration",
        "disappointed": "déception",
        "confused": "incompréhension",
        "worried": "inquiétude",
        "sad": "tristesse",
        "grateful": "gratitude",
        "neutral": "aucune (demande calme)",
    },
}

# What to listen for, shown when an emotion is missed.
EMOTION_HINTS: dict[str, dict[str, str]] = {
    "en": {
        "angry": "Capitals, exclamation marks, threats, 'unacceptable', 'third time': the "
        "customer feels wronged. Acknowledge the wrong before anything else.",
        "frustrated": "Efforts that led nowhere: 'still', 'again', 'I've tried everything', "
        "dates and counts of attempts.",
        "disappointed": "Quiet words about a broken expectation: 'I expected better', 'a "
        "letdown', a loyal customer. No shouting, but the relationship is at stake.",
        "confused": "Questions, 'I don't understand', 'is this a mistake?': answer the "
        "question plainly before anything else.",
        "worried": "A deadline, money or safety at stake, 'what do I do?', 'panicking': "
        "say what you are doing now.",
        "sad": "A loss, an occasion missed, 'felt like crying': respond to the person "
        "before the procedure.",
        "grateful": "Thanks and praise, even when a problem follows: receive them first.",
        "neutral": "A plain request with no grievance: no apology for a feeling that "
        "isn't there; a short, efficient answer is the empathic one.",
    },
    "fr": {
        "angry": "Majuscules, points d'exclamation, menaces, « inadmissible », « troisième "
        "fois » : le client se sent lésé. Reconnaître le tort avant tout.",
        "frustrated": "Des efforts restés sans résultat : « toujours pas », « encore », "
        "« j'ai tout essayé », des dates, des relances comptées.",
        "disappointed": "Des mots calmes sur une attente trahie : « je m'attendais à "
        "mieux », un client fidèle. Pas de cris, mais la relation est en jeu.",
        "confused": "Des questions, « je ne comprends pas », « est-ce une erreur ? » : "
        "répondre simplement à la question avant tout.",
        "worried": "Une échéance, de l'argent ou la sécurité en jeu, « que dois-je "
        "faire ? », « je panique » : dire ce que vous faites tout de suite.",
        "sad": "Un deuil, un moment manqué, « j'en aurais pleuré » : répondre à la "
        "personne avant la procédure.",
        "grateful": "Des remerciements, même suivis d'un problème : les accueillir d'abord.",
        "neutral": "Une demande simple, sans reproche : pas d'excuses pour un sentiment "
        "absent ; une réponse courte et efficace est la réponse empathique.",
    },
}

# Word starts (case- and accent-folded) that name each emotion, in both languages.
_EMOTION_STEMS: dict[str, tuple[str, ...]] = {
    "angry": ("ang", "furi", "fury", "mad", "rage", "outrag", "colere", "fach", "enerv"),
    "frustrated": ("frustr", "annoy", "irrit", "exasp", "agac", "impatien"),
    "disappointed": ("disappoint", "letdown", "decu", "decep", "desillus"),
    "confused": ("confus", "puzzl", "perplex", "lost", "perdu", "incompr", "unsure", "doubt"),
    "worried": (
        "worr",
        "anxi",
        "afraid",
        "fear",
        "scare",
        "panic",
        "stress",
        "nerv",
        "inqui",
        "angoiss",
        "peur",
        "paniq",
    ),
    "sad": ("sad", "grief", "griev", "upset", "trist", "chagrin", "peine", "deuil"),
    "grateful": ("grate", "gratitud", "thank", "apprecia", "reconnaiss", "merci"),
    "neutral": ("none", "calm", "neutr", "nothing", "aucun", "rien"),
}
# Words that may sit between emotion names ("angry and worried", "en colère et inquiet").
_FILLERS = frozenset(
    (  # noqa: SIM905 (a word list reads better as a string)
        "and or but also a bit very quite mostly mainly i hear think it s is et ou mais aussi "
        "un peu tres plutot surtout je pense entends c est en de la le du"
    ).split()
)
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "intro": "Practice in English (rounds: {rounds}, seed {seed}). For each customer "
        "message, say which emotion you hear, then write your reply. Ctrl-D stops the "
        "drill and shows the summary; Ctrl-C quits.",
        "round": "Round {n}/{total}",
        "question": "Which emotion do you hear? One or more numbers or names:",
        "emotion_prompt": "emotion › ",
        "unknown": "Not an emotion on the list: {words}. Type numbers 1-8 or names.",
        "emotion_score": "Emotion: {score}/100",
        "you_heard": "You heard: ",
        "nothing_heard": "nothing",
        "scenario_has": "The scenario: ",
        "main": "main",
        "reading_has": "The automatic reading: ",
        "reading_none": "no emotion",
        "found_main": "Well heard: {label} is the main emotion here.",
        "found_other": "Also well heard: {labels}.",
        "missed": "Missed: {labels}.",
        "backed": "Not listed by the scenario, but the automatic reading hears it too, so "
        "fair enough: {labels}.",
        "wrong": "Not in this message: {labels}.",
        "near": "Close: {guess} is next to {expected}, which is what this customer shows.",
        "reply_prompt": "Write your reply, then press Ctrl-D (or Enter on two empty lines). "
        "Leave it empty to see the model answer.",
        "reply_score": "Reply: {score}/100 (wording {check}/100, steps {covered}/5)",
        "no_reply": "No reply written.",
        "covered": "Steps covered: ",
        "missing": "Missing steps: ",
        "none": "none",
        "clean": "No cold or blaming wording found.",
        "notes": "Trainer's notes",
        "model": "Model answer",
        "model_note": "Built from the phrase banks; the {{slots}} are left for you.",
        "next": "Press Enter for the next scenario.",
        "summary": "Summary",
        "summary_line": "{rounds} rounds · emotions {emotions}/100 · replies {replies}/100",
        "summary_line_one": "1 round · emotions {emotions}/100 · reply {replies}/100",
        "summary_none": "No round completed.",
        "steps_title": "Steps in your replies",
        "emotions_title": "Emotions heard",
        "step_row": "{covered}/{replies}",
        "error": "error",
        "warning": "warning",
        "suggestion": "suggestion",
        "quote": "“{text}”",
        "emotion_row": "{found}/{present}",
        "work_on": "To work on",
        "work_step": "Step “{title}”: missing from {missing}/{replies} replies. Try this: "
        "{technique}",
        "work_step_plain": "Step “{title}”: missing from {missing}/{replies} replies.",
        "work_emotion": "Emotion “{label}”: missed {missed}/{present}. {hint}",
        "work_rule": "Cold wording came back {count} times ({rule}): {message}",
        "work_no_reply": "Write a reply in every round: that is where the practice is.",
        "work_nothing": "Nothing stands out. Try new scenarios with --seed {seed}, or more rounds.",
    },
    "fr": {
        "intro": "Entraînement en français (manches : {rounds}, graine {seed}). Pour chaque "
        "message de client, dites quelle émotion vous entendez, puis écrivez votre "
        "réponse. Ctrl-D arrête l'exercice et affiche le bilan ; Ctrl-C quitte.",
        "round": "Manche {n}/{total}",
        "question": "Quelle émotion entendez-vous ? Un ou plusieurs numéros ou noms :",
        "emotion_prompt": "émotion › ",
        "unknown": "Émotion absente de la liste : {words}. Tapez des numéros de 1 à 8 ou des noms.",
        "emotion_score": "Émotion : {score}/100",
        "you_heard": "Vous avez entendu : ",
        "nothing_heard": "rien",
        "scenario_has": "Le scénario : ",
        "main": "principale",
        "reading_has": "La lecture automatique : ",
        "reading_none": "aucune émotion",
        "found_main": "Bien vu : {label}, l'émotion principale ici.",
        "found_other": "Bien entendu aussi : {labels}.",
        "missed": "Manqué : {labels}.",
        "backed": "Absent du scénario, mais entendu aussi par la lecture automatique, donc "
        "défendable : {labels}.",
        "wrong": "Absent de ce message : {labels}.",
        "near": "Presque : « {guess} » est voisine de « {expected} », ce que ce client exprime.",
        "reply_prompt": "Écrivez votre réponse, puis Ctrl-D (ou Entrée sur deux lignes "
        "vides). Laissez-la vide pour voir la réponse modèle.",
        "reply_score": "Réponse : {score}/100 (formulation {check}/100, étapes {covered}/5)",
        "no_reply": "Pas de réponse écrite.",
        "covered": "Étapes présentes : ",
        "missing": "Étapes manquantes : ",
        "none": "aucune",
        "clean": "Aucune formulation froide ou culpabilisante repérée.",
        "notes": "Notes du formateur",
        "model": "Réponse modèle",
        "model_note": "Tirée des banques de phrases ; les {{champs}} restent à compléter.",
        "next": "Entrée pour le scénario suivant.",
        "summary": "Bilan",
        "summary_line": "{rounds} manches · émotions {emotions}/100 · réponses {replies}/100",
        "summary_line_one": "1 manche · émotions {emotions}/100 · réponse {replies}/100",
        "summary_none": "Aucune manche terminée.",
        "steps_title": "Étapes présentes dans vos réponses",
        "emotions_title": "Émotions repérées",
        "step_row": "{covered}/{replies}",
        "error": "erreur",
        "warning": "avertissement",
        "suggestion": "suggestion",
        "quote": "« {text} »",
        "emotion_row": "{found}/{present}",
        "work_on": "À travailler",
        "work_step": "Étape « {title} » absente de {missing}/{replies} réponses. Piste : "
        "{technique}",
        "work_step_plain": "Étape « {title} » absente de {missing}/{replies} réponses.",
        "work_emotion": "Émotion « {label} » manquée {missed}/{present} fois. {hint}",
        "work_rule": "Formulation froide revenue {count} fois ({rule}) : {message}",
        "work_no_reply": "Écrivez une réponse à chaque manche : c'est là que l'on progresse.",
        "work_nothing": "Rien de particulier à signaler. Essayez d'autres scénarios avec "
        "--seed {seed}, ou davantage de manches.",
    },
}


def texts(language: str) -> dict[str, str]:
    """The drill's strings in `language` (English for any other)."""
    return TEXTS.get(language, TEXTS["en"])


def emotion_label(emotion: str, language: str) -> str:
    """The name of an emotion in the trainee's language (`colère`, `worry`...)."""
    return EMOTION_LABELS.get(language, EMOTION_LABELS["en"]).get(emotion, emotion)


# --- choosing scenarios -------------------------------------------------------------------


def pick_scenarios(banks: Banks, language: str, rounds: int, seed: int) -> list[Scenario]:
    """The scenarios of a drill, in an order fixed by `seed`.

    Every scenario comes once before any comes back; with more rounds than scenarios the
    list is shuffled again (never the same scenario twice in a row).

    Raises:
        InputError: the banks hold no scenario in `language`.
    """
    pool = sorted(banks.scenarios_for(language), key=lambda s: s.id)
    if not pool:
        name = {"en": "English", "fr": "French"}.get(language, language)
        raise InputError(
            f"No training scenario in {name}. Add some to a bank (kind: scenarios), "
            "see docs/banks.md."
        )
    rng = random.Random(seed)
    chosen: list[Scenario] = []
    while len(chosen) < rounds:
        batch = list(pool)
        rng.shuffle(batch)
        if chosen and len(batch) > 1 and batch[0].id == chosen[-1].id:
            batch.append(batch.pop(0))
        chosen.extend(batch)
    return chosen[:rounds]


# --- the emotion question -------------------------------------------------------------------


def parse_emotions(answer: str) -> tuple[list[str], list[str]]:
    """Read the emotions a trainee typed: numbers 1-8 (as listed), or names in English or
    French, any case, with or without accents, possibly abbreviated ("frustr", "colere").

    Returns:
        The emotions recognised (in the order typed, no repeats) and the words that were not.
    """
    found: list[str] = []
    unknown: list[str] = []
    for word in _WORD_RE.findall(fold(strip_controls(answer))):
        emotion: str | None = None
        if word.isdigit():
            number = int(word)
            if 1 <= number <= len(EMOTION_CHOICES):
                emotion = EMOTION_CHOICES[number - 1]
        else:
            emotion = _emotion_of(word)
            if emotion is None and word in _FILLERS:
                continue
        if emotion is None:
            unknown.append(word)
        elif emotion not in found:
            found.append(emotion)
    return found, unknown


def _emotion_of(word: str) -> str | None:
    best: tuple[int, str] | None = None
    for emotion, stems in _EMOTION_STEMS.items():
        for stem in stems:
            # the word starts with the stem ("frustrated"), or is a start of it of at least
            # three letters ("frust")
            if word.startswith(stem) or (len(word) >= 3 and stem.startswith(word)):
                length = min(len(stem), len(word))
                if best is None or length > best[0]:
                    best = (length, emotion)
    return best[1] if best else None


@dataclass(frozen=True, slots=True)
class EmotionScore:
    """How well the trainee heard the emotions of a scenario.

    Attributes:
        score: 0-100.
        expected: the scenario's emotions, main first (`neutral` for a calm request).
        guessed: what the trainee typed.
        found: expected and guessed.
        missed: expected, not guessed.
        near: `(guessed, expected)` pairs: a guess next to an expected emotion that was
            missed ("frustrated" for "angry"), worth half of it.
        backed: guessed, not expected, but the automatic reading hears it too (no penalty).
        wrong: guessed, heard by neither the scenario nor the reading.
        reading: the automatic reading's emotions (`neutral` when it hears none).
    """

    score: int
    expected: tuple[str, ...]
    guessed: tuple[str, ...]
    found: tuple[str, ...]
    missed: tuple[str, ...]
    near: tuple[tuple[str, str], ...]
    backed: tuple[str, ...]
    wrong: tuple[str, ...]
    reading: tuple[str, ...]

    @property
    def main_found(self) -> bool:
        return bool(self.expected) and self.expected[0] in self.found


def reading_emotions(analysis: Analysis) -> tuple[str, ...]:
    """The automatic reading as emotion names; `("neutral",)` when it hears none."""
    return tuple(r.name for r in analysis.emotions) or ("neutral",)


def score_emotions(
    guessed: Sequence[str], expected: Sequence[str], reading: Sequence[str]
) -> EmotionScore:
    """Score the emotions a trainee heard.

    The scenario's emotions are the answer: the main one (first) weighs `MAIN_WEIGHT`, each
    other one 1, and the score is the share of that weight found, out of 100. A guess next
    to a missed emotion (`NEAR`: frustration for anger, sadness for disappointment) earns
    half of that emotion's weight. Each other emotion guessed that neither the scenario nor
    the automatic reading hears costs `WRONG_PENALTY`. An empty answer scores 0.
    """
    guessed = tuple(dict.fromkeys(guessed))
    expected = tuple(dict.fromkeys(expected)) or ("neutral",)
    reading = tuple(reading) or ("neutral",)
    weights = {e: (MAIN_WEIGHT if i == 0 else 1) for i, e in enumerate(expected)}
    found = tuple(e for e in expected if e in guessed)
    missed = tuple(e for e in expected if e not in guessed)
    extra = [g for g in guessed if g not in weights]
    near: list[tuple[str, str]] = []
    for emotion in missed:
        guess = next((g for g in extra if g in NEAR.get(emotion, ())), None)
        if guess is not None:
            near.append((guess, emotion))
    close = {g for g, _ in near}
    backed = tuple(g for g in extra if g in reading and g not in close)
    wrong = tuple(g for g in extra if g not in reading and g not in close)
    earned = sum(weights[e] for e in found) + sum(weights[e] / 2 for _, e in near)
    share = earned / sum(weights.values())
    score = round(100 * share) - WRONG_PENALTY * len(wrong) if guessed else 0
    return EmotionScore(
        max(0, min(100, score)),
        expected,
        guessed,
        found,
        missed,
        tuple(near),
        backed,
        wrong,
        reading,
    )


# --- the reply --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyScore:
    """The draft checker's verdict on a trainee's reply.

    Attributes:
        text: the reply as written.
        score: 0-100 (0 for an empty reply): the mean of `check` and `steps`, so a polite
            reply that walks none of the five steps cannot pass for a good one.
        check: the draft checker's score, 0-100 (cold wording, emotion acknowledged...).
        steps: the share of the five steps the reply covers, 0-100.
        covered: the steps the checker found, in step order.
        missing: the steps it did not find.
        findings: the checker's findings at a place in the reply (cold wording...).
        remarks: its findings about the whole reply (missing steps, emotion not named...).
    """

    text: str
    score: int
    covered: tuple[str, ...]
    missing: tuple[str, ...]
    check: int = 0
    steps: int = 0
    findings: tuple[Finding, ...] = ()
    remarks: tuple[Finding, ...] = ()

    @property
    def written(self) -> bool:
        return bool(self.text.strip())


def score_reply(text: str, scenario: Scenario, banks: Banks) -> ReplyScore:
    """Check a trainee's reply against the scenario's message with the draft checker."""
    text = strip_controls(text).strip()
    if not text:
        return ReplyScore("", 0, (), STEP_IDS)
    from .lint import check_draft

    result = check_draft(text, banks, lang=scenario.language, reply_to=scenario.message)
    covered = tuple(s for s in STEP_IDS if s in result.steps_covered)
    steps = round(100 * len(covered) / len(STEP_IDS))
    return ReplyScore(
        text,
        round((result.score + steps) / 2),
        covered,
        tuple(s for s in STEP_IDS if s not in covered),
        int(result.score),
        steps,
        tuple(f for f in result.findings if f.start is not None),
        tuple(f for f in result.findings if f.start is None),
    )


def model_answer(scenario: Scenario, banks: Banks, slots: Mapping[str, str] | None = None) -> str:
    """What `empathy suggest` would answer to the scenario's message."""
    from .analysis import analyze
    from .composer import compose

    analysis = analyze(scenario.message, banks, lang=scenario.language)
    return compose(analysis, banks, slots=slots).reply


# --- a drill ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundResult:
    scenario: Scenario
    emotions: EmotionScore
    reply: ReplyScore
    model: str


class DrillUI(Protocol):
    """What `drill` needs from a terminal, a pipe or a test."""

    def show_scenario(self, number: int, total: int, scenario: Scenario) -> None: ...

    def ask(self, prompt: str) -> str:
        """One line, without its newline; EOFError at the end of input (Ctrl-D)."""
        ...

    def read_reply(self, prompt: str) -> str:
        """A multi-line reply, ended by end of input or two empty lines."""
        ...

    def say(self, text: str, style: str = "") -> None: ...

    def show_emotions(self, result: EmotionScore, language: str) -> None: ...

    def show_reply(self, result: RoundResult, language: str) -> None: ...

    def pause(self, prompt: str) -> None: ...


def read_block(read_line: Callable[[], str]) -> str:
    """Read lines until end of input ("") or two empty lines in a row (so two empty lines
    right away give an empty reply)."""
    lines: list[str] = []
    empty = 0
    while True:
        line = read_line()
        if line == "":
            break
        line = line.rstrip("\r\n")
        if line.strip():
            empty = 0
        else:
            empty += 1
            if empty >= 2:
                break
        lines.append(line)
    return "\n".join(lines).strip("\n")


def ask_emotions(ui: DrillUI, language: str) -> list[str]:
    """Ask until the answer names at least one emotion (or is empty)."""
    t = texts(language)
    while True:
        found, unknown = parse_emotions(ui.ask(t["emotion_prompt"]))
        if found or not unknown:
            return found
        ui.say(t["unknown"].format(words=", ".join(unknown)), "yellow")


def play_round(
    scenario: Scenario,
    banks: Banks,
    ui: DrillUI,
    *,
    number: int,
    total: int,
    slots: Mapping[str, str] | None = None,
) -> RoundResult:
    """One round: the scenario, the emotion question, the reply, the feedback.

    Raises:
        EOFError: end of input at the emotion question (the drill stops there).
    """
    from .analysis import analyze

    language = scenario.language
    t = texts(language)
    ui.show_scenario(number, total, scenario)
    guessed = ask_emotions(ui, language)
    analysis = analyze(scenario.message, banks, lang=language)
    emotions = score_emotions(guessed, scenario.emotions, reading_emotions(analysis))
    ui.show_emotions(emotions, language)
    reply = score_reply(ui.read_reply(t["reply_prompt"]), scenario, banks)
    result = RoundResult(scenario, emotions, reply, model_answer(scenario, banks, slots))
    ui.show_reply(result, language)
    return result


def drill(
    scenarios: Sequence[Scenario],
    banks: Banks,
    ui: DrillUI,
    *,
    slots: Mapping[str, str] | None = None,
) -> list[RoundResult]:
    """Play every round; end of input at an emotion question stops the drill early.

    Returns:
        The rounds played to the end.
    """
    results: list[RoundResult] = []
    for number, scenario in enumerate(scenarios, 1):
        try:
            results.append(
                play_round(scenario, banks, ui, number=number, total=len(scenarios), slots=slots)
            )
        except EOFError:
            break
        if number < len(scenarios):
            try:
                ui.pause(texts(scenario.language)["next"])
            except EOFError:
                break
    return results


# --- the summary --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """The end of a drill.

    Attributes:
        rounds: rounds played.
        emotion_score: mean emotion score, 0-100.
        reply_score: mean reply score over the replies written, 0-100.
        replies: replies written (and checked).
        steps: `(step, replies that cover it)` for the five steps, in order.
        emotions: `(emotion, times heard, times present)` for each emotion the scenarios had.
        rules: `(rule, times, message)` of the cold wording found, most frequent first.
        work_on: advice, most useful first.
    """

    rounds: int
    emotion_score: int
    reply_score: int
    replies: int
    steps: tuple[tuple[str, int], ...]
    emotions: tuple[tuple[str, int, int], ...]
    rules: tuple[tuple[str, int, str], ...]
    work_on: tuple[str, ...]


def summarize(
    results: Sequence[RoundResult], banks: Banks, language: str, *, seed: int = DEFAULT_SEED
) -> Summary:
    """Scores per step and per emotion over a drill, and what to work on."""
    t = texts(language)
    rounds = len(results)
    checked = [r.reply for r in results if r.reply.written]
    replies = len(checked)
    steps = tuple((s, sum(1 for r in checked if s in r.covered)) for s in STEP_IDS)
    present: Counter[str] = Counter()
    heard: Counter[str] = Counter()
    for r in results:
        for emotion in r.emotions.expected:
            present[emotion] += 1
            heard[emotion] += emotion in r.emotions.found
    emotions = tuple((e, heard[e], present[e]) for e in EMOTION_CHOICES if present[e])
    rule_count: Counter[str] = Counter()
    messages: dict[str, str] = {}
    for reply in checked:
        for finding in reply.findings:
            if finding.severity in ("error", "warning"):
                rule_count[finding.rule] += 1
                messages.setdefault(finding.rule, finding.message)
    rules = tuple(
        (rule, n, messages[rule])
        for rule, n in sorted(rule_count.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    work: list[tuple[float, str]] = []  # (priority, advice): lower comes first
    guides = {g.id: g for g in banks.steps_for(language)}
    for step, covered in steps:
        if replies and covered < WEAK_STEP * replies:
            guide = guides.get(step)
            title = guide.title if guide else step
            values = {"title": title, "missing": replies - covered, "replies": replies}
            if guide and guide.techniques:
                technique = guide.techniques[0].rstrip()
                if technique[-1:].isalnum() or technique.endswith(")"):
                    technique += "."
                advice = t["work_step"].format(technique=technique, **values)
            else:
                advice = t["work_step_plain"].format(**values)
            work.append((covered / replies, advice))
    for emotion, found, count in emotions:
        if found < count:
            hint = EMOTION_HINTS.get(language, EMOTION_HINTS["en"]).get(emotion, "")
            label = emotion_label(emotion, language)
            advice = t["work_emotion"].format(
                label=label, missed=count - found, present=count, hint=hint
            )
            work.append((found / count, advice.strip()))
    for rule, n, message in [r for r in rules if r[1] >= 2][:2]:
        work.append((0.5, t["work_rule"].format(count=n, rule=rule, message=message)))
    work.sort(key=lambda pair: pair[0])  # stable: steps, then emotions, then rules
    advice_list = [a for _, a in work][:MAX_WORK_ON]
    if rounds and replies < rounds:
        advice_list.insert(0, t["work_no_reply"])
    if rounds and not advice_list:
        advice_list.append(t["work_nothing"].format(seed=seed + 1))
    return Summary(
        rounds=rounds,
        emotion_score=round(sum(r.emotions.score for r in results) / rounds) if rounds else 0,
        reply_score=round(sum(r.score for r in checked) / replies) if replies else 0,
        replies=replies,
        steps=steps,
        emotions=emotions,
        rules=rules,
        work_on=tuple(advice_list),
    )
