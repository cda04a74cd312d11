"""The Python API: docs/python-api.md's examples run as written, and the API's own promises."""
import re

import pytest

import mtlint
from conftest import ROOT

pytestmark = pytest.mark.model  # runs the real encoder and quality-estimation model

DOC = ROOT / "docs" / "python-api.md"


def _examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_the_page_has_examples():
    assert len(_examples()) >= 5


def test_python_api_examples_run_as_written(monkeypatch):
    monkeypatch.chdir(ROOT)  # the examples name corpus/ and references/ relative to the checkout
    namespace: dict = {}
    for block in _examples():
        exec(compile(block, str(DOC), "exec"), namespace)  # each block sees the names the earlier ones made


def test_top_level_names_are_the_api():
    for name in ("check", "check_files", "check_pairs", "check_corpus", "Options", "Report", "Issue", "render",
                 "list_checks", "Checker"):
        assert getattr(mtlint, name) is not None
    assert callable(mtlint.check) and callable(mtlint.render)
    import importlib

    importlib.import_module("mtlint.checks.base")  # a submodule import must not replace the function
    importlib.import_module("mtlint.renderers")
    assert callable(mtlint.check) and callable(mtlint.render)
    with pytest.raises(AttributeError):
        mtlint.no_such_name


def test_library_errors_name_no_command_line_flags():
    from mtlint.errors import MtlintError

    with pytest.raises(MtlintError) as caught:
        mtlint.check("", "")
    assert "--" not in str(caught.value)


def test_the_default_checker_is_shared():
    from mtlint.api import default_checker

    assert default_checker() is default_checker()
    assert default_checker().encoder is default_checker().encoder


def test_library_input_errors_are_mtlint_errors():
    """What the command line refuses, the library refuses too, with the errors docs/python-api.md names."""
    from mtlint.errors import InputError, UsageError

    with pytest.raises(InputError, match="empty"):
        mtlint.check("", "", source_lang="en", target_lang="de")
    with pytest.raises(InputError, match="<target>: empty"):
        mtlint.check("The council met on Monday.", "  \n", source_lang="en", target_lang="de")
    with pytest.raises(UsageError, match="unknown language code 'english'"):
        mtlint.check_pairs([("Hello world.", "Hallo Welt.")], "english", "de")
