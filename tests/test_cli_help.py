"""`python -m generator --help`: the help of every command is in Chinese (argparse's own words
too, set through its documented interface), and a usage error says so in Chinese."""

from __future__ import annotations

import pytest

from generator.cli import COMMANDS, main

ENGLISH = ("usage:", "options:", "positional arguments", "show this help message")


@pytest.mark.parametrize("argv", [["--help"], *([c.name, "--help"] for c in COMMANDS)], ids=lambda a: a[0])
def test_help_is_in_chinese(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main(argv)
    out = capsys.readouterr().out
    assert exit.value.code == 0
    assert out.startswith("用法：python -m generator")
    assert "\n选项:\n  -h, --help" in out and "显示本帮助并退出" in out
    if argv == ["--help"] or "参数:" in out:  # the commands, or a command's own arguments
        assert -1 < out.index("\n参数:\n") < out.index("\n选项:\n")
    assert not [word for word in ENGLISH if word in out]


def test_a_usage_error_is_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["diff"])  # BASE missing
    err = capsys.readouterr().err
    assert exit.value.code == 2
    assert err.startswith("用法：python -m generator diff") and "python -m generator diff：错误：" in err
