"""The quick block-YAML reader gives exactly what the full path gives, or hands the file over.

`parse` reads a file with `block_yaml.read_block` when it can and composes it with PyYAML
otherwise. For every input here, the values and findings of `parse` must equal those of
the full path alone (`read_block` switched off); and whatever `read_block` accepts, the
full path must read to the same values, with the same types, and no finding.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from generator.records import load
from generator.records.block_yaml import Ambiguous, plain_value, read_block
from tests.support import HOSTILE_FILES, SAMPLE_REGISTRY, billion_laughs, dump_yaml

SAMPLES = sorted(SAMPLE_REGISTRY.rglob("*.yaml"))


def _full(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[str, list]:
    with monkeypatch.context() as patch:
        patch.setattr(load, "read_block", lambda text: None)
        return _outcome(raw)


def _outcome(raw: bytes) -> tuple[str, list]:
    """What `parse` makes of the bytes: the values (repr keeps bool, int and float apart) and findings."""
    doc, findings = load.parse(raw, "registry/centers/x.yaml", "center")
    return repr(doc and doc.data), findings


def _agrees(text: str) -> bool:
    """`read_block` declines the text, or reads what the full path reads; True if it read it."""
    quick = read_block(text)
    if quick is None:
        return False
    doc, findings = load.compose(text, "x.yaml", "center")
    assert findings == [] and doc is not None, (text, findings)
    assert repr(quick) == repr(doc.data), text
    return True


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_sample_takes_the_quick_path_to_the_same_values(path: Path) -> None:
    assert _agrees(path.read_text(encoding="utf-8"))


def test_records_as_the_tests_write_them_take_the_quick_path() -> None:
    """PyYAML's dumper writes lists at their key's indent and quotes ambiguous text."""
    for path in SAMPLES:
        data = load.compose(path.read_text(encoding="utf-8"), "x.yaml", "center")[0].data  # type: ignore[union-attr]
        text = dump_yaml({**data, "quoted": ["no", "010", "it's", "", "a: b"], "empty": [], "none": {}})
        assert _agrees(text)


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_hostile_files_take_the_full_path(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = HOSTILE_FILES[name][0]
    assert _outcome(raw) == _full(raw, monkeypatch)
    assert _outcome(raw)[1], "every hostile file has its finding"


def test_alias_bomb_takes_the_full_path(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = billion_laughs(9)
    assert _outcome(raw) == _full(raw, monkeypatch)


@pytest.mark.parametrize(
    "text, value",
    [
        ("0", 0),
        ("7", 7),
        ("2024", 2024),
        ("+4", 4),
        ("-3", -3),
        ("1.5", 1.5),
        ("2024-01-31", "2024-01-31"),
        ("12a", "12a"),
        ("²", "²"),
        ("١٢", "١٢"),
        ("１２", "１２"),
        ("0350-3030100", "0350-3030100"),
        ("", None),
        ("00", Ambiguous),
        ("0350", Ambiguous),
        ("010", Ambiguous),
        ("1_000", Ambiguous),
        ("1e3", Ambiguous),
    ],
)
def test_plain_scalars_resolve_as_yaml_1_2(text: str, value: object) -> None:
    """ASCII digits only make an integer: other Unicode digits stay text, as the patterns say."""
    if value is Ambiguous:
        with pytest.raises(Ambiguous):
            plain_value(text)
    else:
        assert repr(plain_value(text)) == repr(value)


# The shapes records are written in: `read_block` must read these itself.
QUICK = [
    "a: 1\nb:\n- x\n- q\nc: 2\n",  # a list at its key's indent
    "a:\n  - x\n  -   q\n",
    "a:\n  - k: 1\n    j: 2\n  - k: 3\n",
    "a:\n  -   k: 1\n      j: 2\n",
    "a:\n  - k:\n    - x\n",  # a list at the indent of a key inside a list item
    "a:\n  - k:\n      j: 1\n",
    "a:\n  -\n    k: 1\n  -\n  - x\n",  # "-" alone: a block below it, or null
    "  a: 1\n  b: 2\n",  # the whole document indented
    "a: 1\n  # a comment\nb: 2\n# end",
    "a: 1#2\nb: x:y\nc: http://x.org/#top\n",
    "a: 'it''s'\nb: \"say\"\nc: ''\nd: \"\"\ne: ' pad '\n",
    "a: []\nb: {}\n",
    "a: x   \nb: 'y'   \nc:   \n- z  \n",
    "a: ~\nb: null\nc: Null\nd:\ne: true\nf: False\ng: TRUE\n",
    "a: 10\nc: +4\nd: 0\ne: 1.5\nf: .5\ng: 5.\ni: 0x1F\nj: .inf\nk: .nan\n",
    "a: 2024-01-31\nb: 2024-1-31\nc: 2024-01-31T10:00:00\nd: 0350-3030100\n",
    "yes: 1\nno: 2\nnull: 3\n",
    "a-b: 1\n_c: 2\nD9: 3\n",
    "a: \u3000全角空格\u3000\nb: \xa0nbsp\xa0\nc: 中文：冒号\nd: \ue000\ufffd\U0001f600\n",
    "".join("  " * i + f"k{i}:\n" for i in range(20)) + "  " * 20 + "leaf: 1\n",
]

# Valid or broken YAML beyond the subset: `read_block` declines or agrees; `parse` is unchanged.
EDGES = QUICK + [
    "a:\n  - - x\n",
    "a:\n  - x\n   - y\n",
    "a:\n  - x\n    - y\n",  # a continued plain scalar
    "a: x\n  y\n",
    "a:\n  x\n  y\n",
    "a:\n    b: 1\n  c: 2\n",
    "  a: 1\nb: 2\n",
    "a: 1 # a comment\n",
    "a: x::\n",
    "a: x:\n",
    "a: x: y\n",
    "a:x\n",
    "a : 1\n",
    "a: 'unclosed\n",
    "a: 'multi\n  line'\n",
    'a: "esc\\x41"\n',
    'a: "tab\\there"\n',
    "a: 'x' y\n",
    "a: [ ]\nd: [1]\ne: {x: 1}\n",
    "a: 1e3\n",
    "a: 12:30\n",
    "a: yes\n",
    "a: No\n",
    "a: on\n",
    "a: y\n",
    "a: 010\n",
    "a: 1_000\n",
    "a: 0b11\n",
    "a: 0o17\n",
    "a:\n  - off\n",
    "1: 4\n",
    "a: 1\na: 2\n",
    "a:\n  b: 1\n  b: 2\n",
    "- a\n- b\n",
    "x\n",
    "",
    "# only a comment\n",
    "---\na: 1\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n...\n",
    "%YAML 1.2\n---\na: 1\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: !custom x\n",
    "? a\n: 1\n",
    '"a": 1\n',
    "<<: {}\n",
    "a: |\n  text\n",
    "a: >\n  text\n",
    "a: -x\nb: ?x\nc: :x\nd: - x\ne: -3\nf: -0.0\n",
    "a: @x\nb: `x`\nc: %x\n",
    "a: x,y\nb: [x\n",
    "a: x\u2028y\n",
    "a: x\u2029y\n",
    "a: x\x85y\n",
    "a: x\ufeffy\n",
    "\ufeffa: 1\n",
    "a: x\r\nb: y\r\n",
    "a: x\ry\n",
    "a:\tx\n",
    "a: \ufffe\n",
    "k" * 200 + ": 1\n",
    "".join("  " * i + f"k{i}:\n" for i in range(40)),
    "".join("  " * i + f"k{i}:\n" for i in range(31)) + "  " * 31 + "leaf: 1\n",
    "".join("  " * i + "-\n" for i in range(40)),
    "a: " + "[" * 40 + "]" * 40 + "\n",
    "a: 1\n# " + "[" * 40 + "\n",  # brackets in a comment still count towards the flow depth
]


@pytest.mark.parametrize("text", QUICK)
def test_common_shapes_take_the_quick_path(text: str) -> None:
    assert _agrees(text)


@pytest.mark.parametrize("text", EDGES)
def test_edges_of_the_subset(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _agrees(text)
    raw = text.encode("utf-8")
    assert _outcome(raw) == _full(raw, monkeypatch)


_PIECES = [
    " ",
    "  ",
    "\n",
    "-",
    "- ",
    ":",
    ": ",
    "#",
    " #",
    "'",
    '"',
    "[",
    "]",
    "{",
    "}",
    "&a",
    "*a",
    "!",
    "|",
    ">",
    "?",
    ",",
    "~",
    "0",
    "1",
    "y",
    "no",
    "1e3",
    "12:30",
    "\\",
    "\t",
    "\r",
    "\u3000",
    "\x85",
    "中",
]


def _mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        action = rng.randrange(5)
        if action == 0:  # insert a YAML-significant piece
            at = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:at] + rng.choice(_PIECES) + lines[i][at:]
        elif action == 1:  # delete a few characters
            at = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:at] + lines[i][at + rng.randint(1, 3) :]
        elif action == 2:  # change the indent
            lines[i] = " " * rng.randint(0, 6) + lines[i].lstrip(" ")
        elif action == 3:  # repeat a line (a duplicate key, or another list item)
            lines.insert(i, lines[i])
        else:
            del lines[i]
    return "\n".join(lines)


@pytest.mark.slow
def test_mutated_samples_give_the_same_outcome_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thousands of small edits of the samples: both paths agree on values and findings."""
    rng = random.Random(20261128)
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES]
    quick = 0
    for _ in range(3000):
        text = _mutate(rng.choice(texts), rng)
        quick += _agrees(text)
        raw = text.encode("utf-8")
        assert _outcome(raw) == _full(raw, monkeypatch), text
    assert quick > 500  # the test also exercises the quick path, not only the fallback
