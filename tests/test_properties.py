"""Property and fuzz tests: no text makes the core raise or report a span outside the text, no
result fails to round-trip through JSON, and no bank file makes the loader raise anything but
a `BankError` that locates every problem inside the file. Then the adversarial inputs of
issue #8 (megabytes of one character, of mixed text) through the commands: each gives a
result or a clean size error, never a hang or a traceback (`bench/adversarial.py` times them).

The examples are derandomized (fixed seed, no example database) so CI sees the same ones on
every run."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from empathy_cli.analysis import Analysis, Span, analyze
from empathy_cli.banks.loader import BankSource, builtin_dir, load_sources, validate_paths
from empathy_cli.batch import run_batch
from empathy_cli.cli import main
from empathy_cli.composer import compose
from empathy_cli.errors import BankError
from empathy_cli.lint import CheckResult, check_draft
from empathy_cli.models import KINDS, STEP_IDS, Banks
from empathy_cli.render.check import check_dict
from empathy_cli.render.json import analysis_dict, reply_dict

ROOT = Path(__file__).resolve().parent.parent
FAST = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=300,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- texts -------------------------------------------------------------------------------

FRAGMENTS = [
    # what the analysis looks for
    "I'm furious", "not happy at all", "NOT HAPPY", "pas du tout content", "je suis déçu",
    "where is my refund?", "still no refund", "charged twice", "3 weeks and nothing",
    "order #48213", "commande n° 48213", "frustrting", "Thanks,\nMaria", "Cordialement,\nLéa",
    "On Mon, 3 Mar 2025, Bob <b@x.io> wrote:", "Le 3 mars 2025, X a écrit :", "> quoted line",
    "-- \nBob", "Sent from my phone", "my name is Ana", "why not?", "?!", "!!!", "???",
    "you should have read the FAQ", "calm down", "as I said", "unfortunately", "No.",
    # text that is tricky as text
    "😡", "👍🏽", "👨\u200d👩\u200d👧", "🇫🇷", "e\u0301", "\u0301", "\u0301\u0301", "ﬁ", "Œuvre",
    "l’équipe",
    "don’t", "J'", "« guillemets »", "“quoted”", '"', "—", "…", "\u00a0", "\u2028", "\u202e",
    "\u200b", "\ufeff", "\x00", "\x7f", "\x85", "\x9b2J", "\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07", "\x1bP", "\x1b", "\r\n", "\r", "\n", "\n\n", "\t", " ", "\\", "\\\\[",
    "[bold]x[/bold]", "{{name}}", "{{concern}}", "{0}", "%s", "$(reboot)", "<script>",
    # lone surrogates are valid Python str (not valid UTF-8)
    "\ud800", "\udfff", "\udc80", "\ud83d",
]  # fmt: skip
TEXT = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(max_size=12),
        st.characters(categories=["Cs"]),
        st.sampled_from([" ", "\n", ". "]),
    ),
    max_size=30,
).map("".join)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """Reference: `\\r\\n`, `\\r` and `\\n` each end a line; both are 1-based."""
    line, last = 1, -1
    for m in re.finditer(r"\r\n|\r|\n", text[:offset]):
        line += 1
        last = m.end() - 1
    return line, offset - last


def assert_span(text: str, start: int | None, end: int | None, shown: str | None) -> None:
    assert start is not None and end is not None
    assert 0 <= start <= end <= len(text)
    assert text[start:end] == shown


def assert_spans_in_order(text: str, spans: tuple[Span, ...]) -> None:
    for s in spans:
        assert_span(text, s.start, s.end, s.text)
        assert (s.line, s.column) == line_col(text, s.start)
    assert [(s.start, s.end) for s in spans] == sorted((s.start, s.end) for s in spans)


def all_spans(a: Analysis) -> list[tuple[Span, ...]]:
    groups = [r.cues for r in (*a.emotions, *a.situations)]
    groups += [a.negations, a.grievances, tuple(t.span for t in a.typos)]
    if a.concern_span is not None:
        groups.append((a.concern_span,))
    return groups


def round_trips(obj: dict[str, Any]) -> None:
    encoded = json.dumps(obj, ensure_ascii=False, allow_nan=False)
    assert json.loads(encoded) == obj
    # what the CLI writes: valid UTF-8 even with a lone surrogate (escaped as JSON does)
    json.loads(encoded.encode("utf-8", "backslashreplace").decode("utf-8"))


# --- analyze, compose, check_draft ---------------------------------------------------------


@FAST
@given(text=TEXT, lang=st.sampled_from(["auto", "en", "fr"]))
def test_analyze_never_raises_and_spans_stay_in_the_text(
    banks: Banks, text: str, lang: str
) -> None:
    result = analyze(text, banks, lang=lang)
    assert result.language in ("en", "fr")
    assert 0.0 <= result.intensity <= 1.0
    for reading in (*result.emotions, *result.situations):
        assert 0.0 <= reading.score <= 1.0
    for spans in all_spans(result):
        assert_spans_in_order(text, spans)
    if result.concern is not None:
        assert result.concern_span is not None
    round_trips(analysis_dict(result))
    assert analyze(text, banks, lang=lang) == result  # same input, same output


@FAST
@given(
    text=TEXT,
    tone=st.sampled_from([None, "warm", "neutral", "formal"]),
    channel=st.sampled_from([None, "email", "chat", "phone", "social"]),
    variant=st.integers(min_value=1, max_value=7),
    name=st.one_of(st.none(), st.sampled_from(FRAGMENTS)),
)
def test_compose_never_raises_and_keeps_the_five_steps(
    banks: Banks, text: str, tone: str | None, channel: str | None, variant: int, name: str | None
) -> None:
    reading = analyze(text, banks)
    slots = {"name": name} if name is not None else None
    reply = compose(reading, banks, tone=tone, channel=channel, variant=variant, slots=slots)
    assert tuple(s.id for s in reply.steps) == STEP_IDS
    assert reply.reply.strip()
    # slots come from the phrases only: the customer's "{{name}}" is text, not a slot
    phrase_slots = {
        m for p in banks.phrases for m in re.findall(r"\{\{([a-z][a-z0-9_]*)\}\}", p.text)
    }
    assert {s.name for s in reply.slots} <= phrase_slots
    ids = {p.id for p in banks.phrases if p.language == reply.language}
    assert all(part.phrase_id in ids for part in (reply.greeting, *reply.steps, reply.closing))
    round_trips(reply_dict(reply))


def assert_check(text: str, result: CheckResult) -> None:
    assert 0 <= result.score <= 100
    placed = [f for f in result.findings if f.start is not None]
    whole = [f for f in result.findings if f.start is None]
    assert list(result.findings) == placed + whole  # positioned first, then whole-draft
    assert [f.start for f in placed] == sorted(f.start for f in placed if f.start is not None)
    for f in placed:
        assert_span(text, f.start, f.end, f.text)
        assert f.start is not None
        assert (f.line, f.column) == line_col(text, f.start)
    for f in whole:
        assert (f.line, f.column, f.end, f.text) == (None, None, None, None)
    for hit in result.steps:
        assert_span(text, hit.start, hit.end, hit.text)
    assert set(result.steps_covered) <= set(STEP_IDS)


@FAST
@given(draft=TEXT, reply_to=st.one_of(st.none(), TEXT), lang=st.sampled_from(["auto", "fr"]))
def test_check_draft_never_raises_and_findings_stay_in_the_draft(
    banks: Banks, draft: str, reply_to: str | None, lang: str
) -> None:
    result = check_draft(draft, banks, lang=lang, reply_to=reply_to)
    assert_check(draft, result)
    round_trips(check_dict(result))


@settings(FAST, max_examples=60)
@given(lines=st.lists(st.one_of(TEXT, TEXT.map(lambda t: json.dumps({"text": t}))), max_size=4))
def test_batch_answers_every_line(banks: Banks, lines: list[str]) -> None:
    lines = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    answers = list(run_batch(lines, banks))
    assert len(answers) == sum(1 for line in lines if line.strip())
    for answer in answers:
        round_trips(answer)


def test_batch_writes_a_lone_surrogate_back_as_json_escapes(tmp_path: Path) -> None:
    """Found by these tests: `"\\ud800"` in a record stopped the whole run."""
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a\\udc80", "text": "My refund is late\\ud800 again!"}\n')
    run = subprocess.run(
        [sys.executable, "-m", "empathy_cli", "batch", "--file", str(source)],
        capture_output=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout.decode("utf-8"))
    assert answer["id"] == "a\udc80"
    assert "error" not in answer


# --- bank files ----------------------------------------------------------------------------

SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(
        ["angry", "refund", "listen", "warm", "email", "error", "negator", "a-b", "{{name}}",
         "x{{", "(a+)+b", "\\s*no", "[", "not happy", "*", "déçu*", "", " "]
    ),
)  # fmt: skip
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=6), inner, max_size=3),
    ),
    max_leaves=8,
)
ENTRY_KEYS = [
    "id", "text", "step", "title", "emotions", "situations", "tone", "channel", "tags", "note",
    "enabled", "goal", "techniques", "emotion", "situation", "role", "words", "pattern",
    "weight", "severity", "message", "unless", "unless_pattern", "suggestion", "source", "x",
]  # fmt: skip
ENTRY = st.dictionaries(st.sampled_from(ENTRY_KEYS), VALUE, max_size=7)
DOCUMENT = st.fixed_dictionaries(
    {
        "kind": st.one_of(st.sampled_from([*KINDS, "markers"]), SCALAR),
        "language": st.one_of(st.sampled_from(["en", "fr"]), SCALAR),
    },
    optional={
        "step": st.sampled_from(["listen", "closing", "nope"]),
        "phrases": st.lists(ENTRY, max_size=4),
        "cues": st.lists(ENTRY, max_size=4),
        "rules": st.lists(ENTRY, max_size=4),
        "description": VALUE,
        "extra": VALUE,
    },
)
REAL_FILES = sorted(builtin_dir().rglob("*.yaml"))
IDS = st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)
WORDS = st.lists(
    st.one_of(st.text(min_size=1, max_size=15), st.sampled_from(FRAGMENTS)), max_size=4
)
PATTERNS = st.sampled_from(
    [r"\bno\b", r"\b\d+ days\b", r"(?:^|[.!?\n])[^\S\n]*no\b", r"\bwhy\b[^.?!\n]{0,40}\?", "é"]
)
VALID_DOCUMENT = st.one_of(
    st.fixed_dictionaries(
        {
            "kind": st.just("cues"),
            "language": st.sampled_from(["en", "fr"]),
            "cues": st.lists(
                st.fixed_dictionaries(
                    {
                        "id": IDS,
                        "emotion": st.sampled_from(["angry", "sad", "grateful"]),
                        "words": WORDS,
                    },
                    optional={"weight": st.floats(0.05, 3.0)},
                )
                | st.fixed_dictionaries(
                    {
                        "id": IDS,
                        "role": st.sampled_from(["negator", "intensifier"]),
                        "pattern": PATTERNS,
                    }
                ),
                max_size=4,
            ),
        }
    ),
    st.fixed_dictionaries(
        {
            "kind": st.just("rules"),
            "language": st.sampled_from(["en", "fr"]),
            "rules": st.lists(
                st.fixed_dictionaries(
                    {
                        "id": IDS,
                        "severity": st.sampled_from(["error", "warning", "suggestion"]),
                        "message": st.text(min_size=1, max_size=30),
                        "words": WORDS,
                    },
                    optional={"unless": WORDS, "unless_pattern": PATTERNS},
                ),
                max_size=4,
            ),
        }
    ),
)
INSERTS = [
    ":", "- ", "\t", "  ", "{", "}", "[", "]", '"', "'", "&a ", "*a", "!!python/object ",
    "!!binary ", "? ", "|", ">", "#", "---\n", "...\n", "%YAML 1.1\n", "\n", "\r", "\x00",
    "\ufeff", "é", "\ud800", "id: dup\n", "  - id: x\n", "<<: *a\n", "pattern: '(a+)+'\n",
]  # fmt: skip


def mutate(text: str, ops: list[tuple[int, int, int]]) -> str:
    """Apply (what, where, pick) edits to a bank file's text."""
    for what, where, pick in ops:
        pos = where % (len(text) + 1)
        if what == 0:
            text = text[:pos] + INSERTS[pick % len(INSERTS)] + text[pos:]
        elif what == 1:
            text = text[:pos] + text[pos + 1 + pick % 5 :]
        elif what == 2:
            lines = text.split("\n")
            k = pos % len(lines)
            lines.insert(k, lines[(k + pick) % len(lines)])
            text = "\n".join(lines)
        else:
            text = text[:pos]
    return text


def assert_loads_or_locates(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        validate_paths([path])
    except BankError as exc:
        lines = data.split(b"\n")
        assert exc.problems
        for problem in exc.problems:
            assert problem.path == str(path)
            assert problem.message.strip()
            assert 1 <= problem.line <= len(lines) + 1, problem
            assert problem.column >= 1, problem
        return
    # it loads: then it can be indexed and used
    banks = load_sources([BankSource("option", path)], cache=False)
    analyze("Not happy at all, where is my refund?! Thanks, Bob", banks)
    check_draft("Calm down, as I said there is nothing we can do.", banks)


@settings(FAST, max_examples=400)
@given(doc=st.one_of(DOCUMENT, VALID_DOCUMENT), header=st.booleans())
def test_generated_bank_documents_load_or_report_located_problems(
    tmp_path: Path, doc: dict[str, Any], header: bool
) -> None:
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    if header:
        text = "# a generated bank\n" + text
    assert_loads_or_locates(tmp_path / "generated.yaml", text.encode("utf-8", "surrogatepass"))


@settings(FAST, max_examples=400)
@given(
    index=st.integers(min_value=0, max_value=len(REAL_FILES) - 1),
    ops=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=3),
            st.integers(min_value=0, max_value=10**6),
            st.integers(min_value=0, max_value=100),
        ),
        min_size=1,
        max_size=3,
    ),
    raw=st.binary(max_size=3),
)
def test_mutated_bank_files_load_or_report_located_problems(
    tmp_path: Path, index: int, ops: list[tuple[int, int, int]], raw: bytes
) -> None:
    text = mutate(REAL_FILES[index].read_text("utf-8"), ops)
    data = text.encode("utf-8", "surrogatepass")
    cut = ops[0][1] % (len(data) + 1)
    assert_loads_or_locates(tmp_path / REAL_FILES[index].name, data[:cut] + raw + data[cut:])


# --- adversarial sizes through the commands ------------------------------------------------

MIXED = (
    "Bonjour, ma commande 48213 n'est toujours pas arrivée !!! 😡 I was charged TWICE "
    "and nobody answers.\r\n> On Mon, Bob wrote:\n\x1b[31m[bold]{{name}}\x1b[0m e\u0301 \t"
)


@pytest.mark.parametrize(
    ("command", "content"),
    [
        ("analyze", "a" * 1_500_000),
        ("suggest", "!" * 1_500_000),
        ("analyze", (MIXED * (6_000_000 // len(MIXED) + 1))[:6_000_000]),
    ],
    ids=["analyze-1.5MB-one-char", "suggest-1.5MB-one-char", "analyze-6MB-mixed"],
)
def test_huge_messages_are_cut_to_100kb_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, content: str
) -> None:
    message = tmp_path / "huge.txt"
    message.write_text(content, encoding="utf-8")
    code = main([command, "--file", str(message), "--format", "json", "--no-cache"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "over 100 KB; only the first 100 KB were read" in err
    json.loads(out)


def test_a_huge_draft_is_a_clean_size_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text((MIXED * 40_000)[:6_000_000], encoding="utf-8")
    code = main(["check", "--file", str(draft), "--no-cache"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.startswith("Error: The draft is over 100 KB.")
    assert "Traceback" not in err


def test_a_huge_batch_answers_every_line(tmp_path: Path) -> None:
    lines = [json.dumps({"id": i, "text": MIXED * 3}) for i in range(200)]
    lines.append("é" * 1_500_000)  # one enormous plain-text record
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run = subprocess.run(
        [sys.executable, "-m", "empathy_cli", "batch", "--file", str(source), "-o", str(out)],
        capture_output=True,
        check=False,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr.decode()
    answers = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [a["id"] for a in answers] == [*range(200), 201]
    assert not any("error" in a for a in answers)
