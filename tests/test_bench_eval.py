"""bench/eval.py: the scoring helpers follow LABELS.md, and the script skips cleanly (exit 0,
one line on stderr) when the shared evaluation data is not beside the repository."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

EVAL_SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "eval.py"


def load_eval() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_eval", EVAL_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_eval"] = module
    spec.loader.exec_module(module)
    return module


def test_macro_f1_averages_the_classes_that_appear() -> None:
    bench = load_eval()
    gold = ["neg", "neg", "not", "not"]
    assert bench.macro_f1(gold, gold, ("neg", "not")) == 1.0
    # always answering "neg": F1(neg) = 2/3, F1(not) = 0
    assert bench.macro_f1(gold, ["neg"] * 4, ("neg", "not")) == pytest.approx(1 / 3)
    # a class neither predicted nor in gold is left out of the mean
    assert bench.macro_f1(gold, gold, ("neg", "not", "none")) == 1.0


def test_banking_mapping_covers_the_strict_intents() -> None:
    bench = load_eval()
    assert bench.INTENT_TO_SITUATION["transaction_charged_twice"] == "billing"
    assert bench.INTENT_TO_SITUATION["Refund_not_showing_up"] == "refund"
    assert "exchange_rate" not in bench.INTENT_TO_SITUATION  # informational: `none`
    assert len(bench.INTENT_TO_SITUATION) == 36


def test_language_rows_need_three_real_words_once_handles_and_links_are_gone() -> None:
    bench = load_eval()
    rows = [
        bench.Row("@acme https://t.co/x #fail ok", "en"),
        bench.Row("[NAME] is here now", "en"),
        bench.Row("my parcel never came", "en"),
    ]
    assert [r.text for r in bench.language_rows(rows)] == [
        "[NAME] is here now",
        "my parcel never came",
    ]


def test_skips_with_a_clear_message_when_the_data_is_absent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = load_eval()
    monkeypatch.setattr(bench, "EVAL", tmp_path / "missing")
    assert bench.main(["--split", "test"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("Skipped: the evaluation data is not at ")
