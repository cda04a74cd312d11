"""The README and docs/ stay usable: short README, commands the CLI accepts, links that resolve, no lab notebook.

Commands are parsed by the CLI's own click commands (options, choices, argument
counts, value types), without running them, so the test needs no model and
takes well under a second.
"""
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest

from mtlint.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").rglob("*.md"))
# Written by another part of the same change; their links are checked once they exist.
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def command_lines(path: Path) -> list[str]:
    """Every `mtlint ...` line of a ```sh fence, and every `$ mtlint ...` line of a transcript fence."""
    lines = []
    for language, body in FENCE.findall(path.read_text(encoding="utf-8")):
        for line in body.splitlines():
            line = line.strip()
            if language == "sh" and line.startswith("mtlint"):
                lines.append(line)
            elif language in ("", "console", "shell") and line.startswith("$ mtlint"):
                lines.append(line[2:])
    return lines


def parse(line: str) -> click.Context:
    """Parse one command line as the CLI would, up to (not including) running the command.

    Raises click's UsageError for an unknown command or option, a bad choice or
    a wrong number of arguments."""
    words = shlex.split(line, comments=True)
    assert words[0] == "mtlint", line
    words = words[1:]
    position = next((i for i, word in enumerate(words) if not word.startswith("-")), None)
    try:
        if position is None:  # only the group's own options: --help, --version
            return cli.make_context("mtlint", words)
        group = cli.make_context("mtlint", words[:position] + ["checks"])  # any command: the group's options
        command = cli.get_command(group, words[position])
        if command is None:
            raise click.UsageError(f"no such command {words[position]!r}")
        return command.make_context(words[position], words[position + 1:], parent=group)
    except click.exceptions.Exit as exit_:  # --help, --version: parsed and answered
        assert exit_.exit_code == 0, line
        return None


def repository_paths(context: click.Context | None) -> list[str]:
    """The arguments that name a file or directory under one of the repository's own folders."""
    if context is None:
        return []
    values = []
    for value in context.params.values():
        values.extend(value if isinstance(value, tuple) else [value])
    return [v for v in values if isinstance(v, str) and "/" in v and (ROOT / v.split("/")[0]).is_dir()
            and not v.startswith(("reports/", "docs/"))]


README_COMMANDS = command_lines(README)
DOCS_COMMANDS = [(path.relative_to(ROOT).as_posix(), line) for path in DOCS for line in command_lines(path)]


def test_readme_is_under_200_lines():
    assert len(README.read_text(encoding="utf-8").splitlines()) < 200


def test_readme_shows_the_main_commands():
    used = {shlex.split(line)[1] for line in README_COMMANDS if len(shlex.split(line)) > 1}
    assert {"check", "report", "pairs", "checks"} <= used


@pytest.mark.parametrize("line", README_COMMANDS)
def test_readme_commands_parse(line):
    for path in repository_paths(parse(line)):
        assert (ROOT / path).exists(), f"{line}: {path} does not exist"


@pytest.mark.parametrize(("page", "line"), DOCS_COMMANDS)
def test_docs_commands_parse(page, line):
    for path in repository_paths(parse(line)):
        assert (ROOT / path).exists(), f"{page}: {line}: {path} does not exist"


def cheap(line: str) -> bool:
    """A command that reads no document and loads no model: help, version, the list of checks."""
    words = shlex.split(line, comments=True)[1:]
    return bool(words) and (words[0] == "checks" or "--help" in words or "--version" in words)


@pytest.mark.parametrize("line", [line for line in README_COMMANDS if cheap(line)])
def test_readme_commands_that_need_no_model_run(line):
    """Run as written, through the installed entry point where there is one, from the repository root."""
    script = Path(sys.executable).with_name("mtlint")
    program = [str(script)] if script.exists() else [sys.executable, "-m", "mtlint"]
    result = subprocess.run(program + shlex.split(line, comments=True)[1:], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_readme_setup_commands_exist():
    """`make X` names a Makefile target, and the venv the README activates is the one make creates."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([\w.-]+):", makefile, re.MULTILINE))
    shell_lines = [line.strip() for language, body in FENCE.findall(README.read_text(encoding="utf-8"))
                   if language == "sh" for line in body.splitlines()]
    made = [shlex.split(line, comments=True)[1] for line in shell_lines if line.startswith("make ")]
    assert made and set(made) <= targets
    venv = re.search(r"^VENV \?= (\S+)$", makefile, re.MULTILINE).group(1)
    assert f"source {venv}/bin/activate" in shell_lines


def test_the_parser_rejects_what_the_cli_rejects():
    with pytest.raises(click.NoSuchOption):
        parse("mtlint check SOURCE TARGET --formt json")
    with pytest.raises(click.BadParameter):
        parse("mtlint check SOURCE TARGET --format yaml")
    with pytest.raises(click.UsageError):
        parse("mtlint frobnicate SOURCE")
    with pytest.raises(click.UsageError):
        parse("mtlint check SOURCE")
    with pytest.raises(click.NoSuchOption):
        parse("mtlint feed A B --baseline base.json")  # feed takes no baseline
    assert parse("mtlint report corpus/ references/ -o reports/ --jobs 2").params["jobs"] == 2


def links(path: Path) -> list[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return [target for target in LINK.findall(text) if not re.match(r"[a-z]+:", target)]


@pytest.mark.parametrize("page", [README, *DOCS], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_local_links_resolve(page):
    for target in links(page):
        file_part, _, anchor = target.partition("#")
        resolved = (page.parent / file_part).resolve() if file_part else page
        relative = resolved.relative_to(ROOT).as_posix() if resolved.is_relative_to(ROOT) else str(resolved)
        assert resolved.exists(), f"{page.name}: link to {target} does not resolve"
        if anchor and resolved.suffix == ".md":
            assert anchor in anchors(resolved), f"{page.name}: no heading for #{anchor} in {relative}"


def test_checks_page_is_generated_from_the_registry():
    """docs/checks.md is `mtlint checks --format md`: regenerate it when a check changes."""
    from mtlint.checks import all_checks
    from mtlint.renderers.catalogue import checks_markdown

    assert (ROOT / "docs" / "checks.md").read_text(encoding="utf-8") == checks_markdown(all_checks().values())


def test_generated_benchmark_blocks_match_their_signed_result_files(tmp_path):
    """docs/benchmarks.md's ``<!-- result: NAME -->`` blocks are bench/results/NAME.json rendered
    (bench/render_benchmarks.py); every result file is shown, and a changed figure shows."""
    import json

    sys.path.insert(0, str(ROOT / "bench"))
    from render_benchmarks import BLOCK, DOC, render

    text = DOC.read_text(encoding="utf-8")
    rendered, missing = render(text)
    assert not missing, f"no result file for {missing}"
    assert rendered == text, "docs/benchmarks.md is not current: run bench/render_benchmarks.py"
    shown = {m.group(2) for m in BLOCK.finditer(text)}
    assert shown == {p.stem for p in (ROOT / "bench" / "results").glob("*.json")}
    for name in shown:  # each carries its signature; a different figure renders differently
        record = json.loads((ROOT / "bench" / "results" / f"{name}.json").read_text(encoding="utf-8"))
        assert {"mtlint", "commit", "encoder", "date"} <= set(record["signature"])
        (tmp_path / f"{name}.json").write_text(json.dumps({**record, "markdown": "| changed |"}), encoding="utf-8")
        assert render(text, tmp_path)[0] != text


def anchors(path: Path) -> set[str]:
    """GitHub's anchors for the headings of a Markdown file."""
    out = set()
    for heading in re.findall(r"^#+\s+(.*)$", FENCE.sub("", path.read_text(encoding="utf-8")), re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        out.add(slug)
    return out


@pytest.mark.parametrize("page", [README, *DOCS], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_session_history_outside_the_changelog(page):
    hits = [line for line in page.read_text(encoding="utf-8").splitlines() if re.search(r"\bsessions?\b", line, re.I)]
    assert not hits, f"{page.name} narrates history; it belongs in CHANGELOG.md: {hits[:3]}"


def test_readme_links_the_docs():
    targets = {target.partition("#")[0] for target in links(README)}
    assert {"docs/usage.md", "docs/formats.md", "docs/benchmarks.md", "docs/checks.md", "docs/python-api.md",
            "CHANGELOG.md"} <= targets
