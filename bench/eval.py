"""Score `analyze` on the public labelled sets in `../shared/eval/` beside lexicon baselines.

Usage (from the repository root):

    python bench/eval.py                 # the dev halves (what improvements are checked on)
    python bench/eval.py --split test    # the test halves (reported, never tuned on)
    python bench/eval.py --json          # one JSON object, for scripts

The figures are the ones defined in `../shared/eval/LABELS.md`, section "Scoring used for the
reported figures"; every baseline is scored in the same run, on the same rows, with the fixed
settings given there:

- VADER: compound <= -0.05 -> negative (`frustrated`), else neutral.
- NRCLex's word list with a plain `[a-z']+` tokenizer (no NLTK download): the most frequent of
  anger+disgust -> `angry`, fear -> `worried`, sadness -> `sad`, else neutral.
- textblob-fr: polarity < 0 -> negative (`frustrated`), else neutral (French set only).
- py3langid restricted to en/fr (language accuracy only).
- "always negative": `frustrated` on every row (for situations: `none` on every row).

The baselines are dev-only dependencies: `pip install -e '.[bench]'`. A baseline whose package
is missing is shown as `-`. When `../shared/eval/` is absent, the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(ROOT))

NEG = frozenset({"angry", "frustrated", "disappointed", "worried", "sad"})
NEG_CONFUSED = NEG | {"confused"}
PRECEDENCE = (
    "angry",
    "frustrated",
    "disappointed",
    "worried",
    "sad",
    "confused",
    "grateful",
    "neutral",
)

# GoEmotions strict mapping (LABELS.md section 1)
GOEMOTIONS_STRICT = {
    "anger": "angry",
    "disgust": "angry",
    "annoyance": "frustrated",
    "disappointment": "disappointed",
    "confusion": "confused",
    "fear": "worried",
    "nervousness": "worried",
    "sadness": "sad",
    "grief": "sad",
    "gratitude": "grateful",
    "neutral": "neutral",
}
# the authors' sentiment_dict.json "positive" list, gratitude excluded (LABELS.md, extra check)
GOEMOTIONS_POSITIVE = frozenset(
    {
        "admiration",
        "amusement",
        "approval",
        "caring",
        "desire",
        "excitement",
        "joy",
        "love",
        "optimism",
        "pride",
        "relief",
    }
)

# XED ids (LABELS.md section 2)
XED_MERGED = {
    1: "angry_or_frustrated",
    3: "angry_or_frustrated",
    4: "worried",
    6: "sad_or_disappointed",
}
XED_ACCEPTED = {
    "angry_or_frustrated": frozenset({"angry", "frustrated"}),
    "worried": frozenset({"worried"}),
    "sad_or_disappointed": frozenset({"sad", "disappointed"}),
}
XED_POSITIVE_ONLY = frozenset({5, 8})  # joy, trust

# BANKING77 strict mapping (LABELS.md section 4)
BANKING_STRICT = {
    "late_delivery": (
        "card_arrival transfer_not_received_by_recipient pending_transfer pending_top_up "
        "pending_card_payment pending_cash_withdrawal balance_not_updated_after_bank_transfer "
        "balance_not_updated_after_cheque_or_cash_deposit"
    ),
    "refund": "request_refund Refund_not_showing_up",
    "billing": (
        "extra_charge_on_statement transaction_charged_twice card_payment_fee_charged "
        "cash_withdrawal_charge transfer_fee_charged card_payment_wrong_exchange_rate "
        "wrong_exchange_rate_for_cash_withdrawal wrong_amount_of_cash_received "
        "card_payment_not_recognised cash_withdrawal_not_recognised "
        "direct_debit_payment_not_recognised"
    ),
    "defect": (
        "card_not_working contactless_not_working virtual_card_not_working card_swallowed "
        "declined_card_payment declined_cash_withdrawal declined_transfer failed_transfer "
        "top_up_failed beneficiary_not_allowed"
    ),
    "account_access": "passcode_forgotten pin_blocked unable_to_verify_identity",
    "cancellation": "cancel_transfer terminate_account",
}
INTENT_TO_SITUATION = {
    intent: situation for situation, intents in BANKING_STRICT.items() for intent in intents.split()
}
SITUATION_CLASSES = (*BANKING_STRICT, "none")

_STRIP_FOR_LANG = re.compile(r"https?://\S+|www\.\S+|@\w+|#\w+|\[NAME\]|\[RELIGION\]")
_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")
_NRC_TOKEN = re.compile(r"[a-z']+")


# --- data ----------------------------------------------------------------------------------


@dataclass
class Row:
    text: str
    language: str
    gold: frozenset[str] = frozenset()  # mapped gold set (emotions or merged classes)
    primary: str | None = None
    extra: dict[str, object] = field(default_factory=dict)


def _split_dir(split: str) -> Path:
    return EVAL / split


def load_goemotions(split: str) -> list[Row]:
    names = (EVAL / "goemotions_emotions.txt").read_text("utf-8").split()
    rows = []
    with (_split_dir(split) / "goemotions.tsv").open(encoding="utf-8", newline="") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            text, ids = parts[0], parts[1]
            labels = {names[int(i)] for i in ids.split(",") if i.strip()}
            gold = {GOEMOTIONS_STRICT[label] for label in labels if label in GOEMOTIONS_STRICT}
            if len(gold) > 1:
                gold.discard("neutral")
            primary = next((p for p in PRECEDENCE if p in gold), None)
            positive_only = bool(labels) and labels <= GOEMOTIONS_POSITIVE
            rows.append(Row(text, "en", frozenset(gold), primary, {"positive_only": positive_only}))
    return rows


def load_complaints(split: str) -> list[Row]:
    rows = []
    with (_split_dir(split) / "complaints_tweets.csv").open(encoding="utf-8", newline="") as fh:
        for record in csv.reader(fh):
            if len(record) != 4 or record[2] not in ("0", "1"):
                continue
            domain = record[3]
            rows.append(
                Row(
                    record[1],
                    "en",
                    extra={
                        "complaint": record[2] == "1",
                        "domain": domain,
                        "company": domain not in ("random_tweet", "random_reply"),
                    },
                )
            )
    return rows


def load_xed(split: str) -> list[Row]:
    rows = []
    with (_split_dir(split) / "xed_fr.tsv").open(encoding="utf-8", newline="") as fh:
        for line in fh:
            text, _, ids = line.rstrip("\n").rpartition("\t")
            if not text:
                continue
            labels = {int(i) for i in ids.split(",") if i.strip()}
            gold = frozenset(XED_MERGED[i] for i in labels if i in XED_MERGED)
            rows.append(
                Row(
                    text,
                    "fr",
                    gold,
                    extra={"positive_only": bool(labels) and labels <= XED_POSITIVE_ONLY},
                )
            )
    return rows


def load_banking(split: str) -> list[Row]:
    rows = []
    with (_split_dir(split) / "banking77.csv").open(encoding="utf-8", newline="") as fh:
        for record in csv.DictReader(fh):
            situation = INTENT_TO_SITUATION.get(record["category"], "none")
            rows.append(Row(record["text"], "en", primary=situation))
    return rows


# --- metrics --------------------------------------------------------------------------------


def macro_f1(gold: Sequence[str], pred: Sequence[str], classes: Iterable[str]) -> float:
    """Mean F1 over `classes` (a class never predicted and never gold is left out)."""
    scores = []
    for c in classes:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p != c)
        if tp + fp + fn == 0:
            continue
        scores.append(2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores) if scores else 0.0


def rate(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


# --- predictors -----------------------------------------------------------------------------

Emotion = Callable[[str], str]  # text -> coarse emotion or "neutral"


def ours() -> tuple[Callable[[str], object], object]:
    from empathy_cli.analysis import analyze
    from empathy_cli.banks.loader import load_banks

    banks = load_banks(user=False, env=False, cache=False)
    return (lambda text: analyze(text, banks)), banks


def vader() -> Emotion | None:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    analyzer = SentimentIntensityAnalyzer()
    return lambda text: (
        "frustrated" if analyzer.polarity_scores(text)["compound"] <= -0.05 else "neutral"
    )


def nrclex() -> Emotion | None:
    try:
        import nrclex.core as core
    except ImportError:
        return None
    lexicon: dict[str, list[str]] = core._load_bundled_lexicon()

    def predict(text: str) -> str:
        counts = {"angry": 0, "worried": 0, "sad": 0}
        for word in _NRC_TOKEN.findall(text.lower()):
            for affect in lexicon.get(word, ()):
                if affect in ("anger", "disgust"):
                    counts["angry"] += 1
                elif affect == "fear":
                    counts["worried"] += 1
                elif affect == "sadness":
                    counts["sad"] += 1
        best = max(counts.values())
        if best == 0:
            return "neutral"
        return next(name for name in ("angry", "worried", "sad") if counts[name] == best)

    return predict


def textblob_fr() -> Emotion | None:
    try:
        from textblob_fr import PatternAnalyzer
    except ImportError:
        return None
    analyzer = PatternAnalyzer()
    return lambda text: "frustrated" if analyzer.analyze(text)[0] < 0 else "neutral"


def langid() -> Callable[[str], str] | None:
    try:
        import py3langid
    except ImportError:
        return None
    py3langid.set_languages(["en", "fr"])
    return lambda text: str(py3langid.classify(text)[0])


def always_negative(_text: str) -> str:
    return "frustrated"


# --- scoring ------------------------------------------------------------------------------


def score_emotions(
    goemotions: list[Row], complaints: list[Row], xed: list[Row], predict: Emotion
) -> dict[str, float]:
    """Every emotion figure for one predictor (text -> emotion or `neutral`)."""
    out: dict[str, float] = {}
    scope = [r for r in goemotions if r.gold]
    pred = [predict(r.text) for r in scope]
    out["goemotions_macro_f1"] = macro_f1(
        [r.primary or "" for r in scope],
        pred,
        [c for c in PRECEDENCE if any(r.primary == c for r in scope)],
    )
    out["goemotions_set_match"] = rate([p in r.gold for p, r in zip(pred, scope, strict=True)])
    positive = [r for r in goemotions if not r.gold and r.extra["positive_only"]]
    out["goemotions_positive_false_alarm"] = rate([predict(r.text) in NEG for r in positive])

    company = [r for r in complaints if r.extra["company"]]
    gold = ["neg" if r.extra["complaint"] else "not" for r in company]
    pred = [predict(r.text) for r in company]
    out["complaints_neg_macro_f1"] = macro_f1(
        gold, ["neg" if p in NEG else "not" for p in pred], ("neg", "not")
    )
    out["complaints_neg_confused_macro_f1"] = macro_f1(
        gold, ["neg" if p in NEG_CONFUSED else "not" for p in pred], ("neg", "not")
    )
    random = [r for r in complaints if not r.extra["company"]]
    out["complaints_random_false_alarm"] = rate([predict(r.text) in NEG for r in random])

    neg_rows = [r for r in xed if r.gold]
    pos_rows = [r for r in xed if not r.gold and r.extra["positive_only"]]
    pred_neg = [predict(r.text) for r in neg_rows]
    pred_pos = [predict(r.text) for r in pos_rows]
    out["xed_neg_macro_f1"] = macro_f1(
        ["neg"] * len(neg_rows) + ["not"] * len(pos_rows),
        ["neg" if p in NEG else "not" for p in pred_neg + pred_pos],
        ("neg", "not"),
    )
    out["xed_merged_accuracy"] = rate(
        [any(p in XED_ACCEPTED[c] for c in r.gold) for p, r in zip(pred_neg, neg_rows, strict=True)]
    )
    out["xed_neutral_rate"] = rate([p == "neutral" for p in pred_neg])
    return out


def score_situations(banking: list[Row], predict: Callable[[str], str]) -> float:
    gold = [r.primary or "none" for r in banking]
    pred = [predict(r.text) for r in banking]
    pred = [p if p in SITUATION_CLASSES else "none" for p in pred]
    return macro_f1(gold, pred, SITUATION_CLASSES)


def language_rows(*sets: list[Row]) -> list[Row]:
    out = []
    for rows in sets:
        for r in rows:
            stripped = _STRIP_FOR_LANG.sub(" ", r.text)
            if len(_LETTER_WORD.findall(stripped)) >= 3:
                out.append(r)
    return out


FIGURES = (
    ("goemotions_macro_f1", "GoEmotions macro-F1 (EN)"),
    ("goemotions_set_match", "GoEmotions set-match (EN)"),
    ("goemotions_positive_false_alarm", "GoEmotions NEG on positive rows (lower better)"),
    ("complaints_neg_macro_f1", "Complaints NEG macro-F1 (EN)"),
    ("complaints_neg_confused_macro_f1", "Complaints NEG+confused macro-F1"),
    ("complaints_random_false_alarm", "Random tweets NEG rate (lower better)"),
    ("xed_neg_macro_f1", "XED NEG macro-F1 (FR)"),
    ("xed_merged_accuracy", "XED merged-class accuracy (FR)"),
    ("xed_neutral_rate", "XED neutral on in-scope rows (info)"),
    ("banking77_situation_macro_f1", "BANKING77 situation macro-F1 (EN)"),
    ("language_accuracy", "Language accuracy (EN+FR)"),
)
BASELINES = ("VADER", "NRCLex", "textblob-fr", "py3langid", "always-negative")
COLUMNS = ("empathy-cli", *BASELINES, "best baseline", "margin")
# which baselines apply to which sets: the English lexicons are not scored on French text,
# textblob-fr only on French text
_APPLIES = {
    "VADER": ("goemotions", "complaints"),
    "NRCLex": ("goemotions", "complaints"),
    "textblob-fr": ("xed",),
    "always-negative": ("goemotions", "complaints", "xed", "banking77"),
}


def evaluate(split: str) -> dict[str, object]:
    started = time.perf_counter()
    goemotions = load_goemotions(split)
    complaints = load_complaints(split)
    xed = load_xed(split)
    banking = load_banking(split)

    analyze_text, _banks = ours()
    cache: dict[str, object] = {}

    def reading(text: str) -> object:
        hit = cache.get(text)
        if hit is None:
            hit = cache[text] = analyze_text(text)
        return hit

    def our_emotion(text: str) -> str:
        return reading(text).emotion or "neutral"  # type: ignore[attr-defined,no-any-return]

    def our_situation(text: str) -> str:
        return reading(text).situation or "none"  # type: ignore[attr-defined,no-any-return]

    table: dict[str, dict[str, float | None]] = {f: dict.fromkeys(COLUMNS) for f, _ in FIGURES}

    def put(column: str, figures: dict[str, float], sets: tuple[str, ...]) -> None:
        for key, value in figures.items():
            if key.split("_")[0] in sets:
                table[key][column] = value

    all_sets = ("goemotions", "complaints", "xed")
    put("empathy-cli", score_emotions(goemotions, complaints, xed, our_emotion), all_sets)
    for column, factory in (("VADER", vader), ("NRCLex", nrclex), ("textblob-fr", textblob_fr)):
        predict = factory()
        if predict is not None:
            sets = _APPLIES[column]
            put(
                column,
                score_emotions(
                    goemotions if "goemotions" in sets else [],
                    complaints if "complaints" in sets else [],
                    xed if "xed" in sets else [],
                    predict,
                ),
                sets,
            )
    put("always-negative", score_emotions(goemotions, complaints, xed, always_negative), all_sets)

    table["banking77_situation_macro_f1"]["empathy-cli"] = score_situations(banking, our_situation)
    table["banking77_situation_macro_f1"]["always-negative"] = score_situations(
        banking, lambda _t: "none"
    )

    lang_rows = language_rows(goemotions, complaints, xed, banking)
    table["language_accuracy"]["empathy-cli"] = rate(
        [reading(r.text).language == r.language for r in lang_rows]  # type: ignore[attr-defined]
    )
    detect = langid()
    if detect is not None:
        table["language_accuracy"]["py3langid"] = rate(
            [detect(r.text) == r.language for r in lang_rows]
        )

    for key, _label in FIGURES:
        values = [v for c in BASELINES if (v := table[key][c]) is not None]
        ours_value = table[key]["empathy-cli"]
        if values and key != "xed_neutral_rate":
            best = min(values) if _lower_is_better(key) else max(values)
            table[key]["best baseline"] = best
            if ours_value is not None:
                table[key]["margin"] = ours_value - best

    counts = {
        "goemotions_in_scope": sum(1 for r in goemotions if r.gold),
        "goemotions_out_of_scope": sum(1 for r in goemotions if not r.gold),
        "goemotions_positive_only": sum(
            1 for r in goemotions if not r.gold and r.extra["positive_only"]
        ),
        "complaints_company": sum(1 for r in complaints if r.extra["company"]),
        "complaints_random": sum(1 for r in complaints if not r.extra["company"]),
        "xed_negative_rows": sum(1 for r in xed if r.gold),
        "xed_positive_only_rows": sum(1 for r in xed if not r.gold and r.extra["positive_only"]),
        "banking77_rows": len(banking),
        "language_rows": len(lang_rows),
    }
    return {
        "split": split,
        "figures": table,
        "rows": counts,
        "seconds": round(time.perf_counter() - started, 1),
        "machine": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
    }


def _lower_is_better(key: str) -> bool:
    return key.endswith("false_alarm") or key == "xed_neutral_rate"


def render(result: dict[str, object]) -> str:
    table: dict[str, dict[str, float | None]] = result["figures"]  # type: ignore[assignment]
    label_width = max(len(label) for _, label in FIGURES)
    widths = [max(len(c), 6) for c in COLUMNS]
    header = " ".join(
        [f"{'figure':<{label_width}}", *(f"{c:>{w}}" for c, w in zip(COLUMNS, widths, strict=True))]
    )
    lines = [f"empathy-cli reading, {result['split']} split", "", header, "-" * len(header)]
    for key, label in FIGURES:
        cells = []
        for column, width in zip(COLUMNS, widths, strict=True):
            value = table[key][column]
            text = (
                "-" if value is None else f"{value:+.3f}" if column == "margin" else f"{value:.3f}"
            )
            cells.append(f"{text:>{width}}")
        lines.append(" ".join([f"{label:<{label_width}}", *cells]))
    rows: dict[str, int] = result["rows"]  # type: ignore[assignment]
    lines.append("")
    lines.append("rows: " + ", ".join(f"{k} {v}" for k, v in rows.items()))
    lines.append(f"{result['machine']}; {result['seconds']} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not (EVAL / args.split).is_dir():
        print(
            f"Skipped: the evaluation data is not at {EVAL / args.split} "
            "(it lives beside the repository in shared/eval/).",
            file=sys.stderr,
        )
        return 0
    result = evaluate(args.split)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
