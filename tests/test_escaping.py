"""HTML reports of script- and markup-laden articles, opened in a real headless browser.

The articles carry ``<script>``, event handlers, ``javascript:`` links,
``</textarea>``, template syntax, quotes and bidi overrides, in their text
and in their file names; ``mtlint check --format html`` and ``mtlint report``
render them. In Chromium nothing of it may run (no dialog, no console
error, ``window.pwned`` stays unset, no request leaves the page) and every
piece is shown as the literal text it is.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mtlint.cli import main

pytestmark = pytest.mark.model  # runs the real encoder and quality-estimation model

# Each payload would set window.pwned (or open a dialog) if it ever became markup or code.
PAYLOADS = [
    '<script>window.pwned = 1; alert("script")</script>',
    '<img src=x onerror="window.pwned=2;alert(2)">',
    '<a href="javascript:window.pwned=3">Klick hier</a>',
    "</textarea><script>window.pwned=4</script>",
    "</title></style><svg onload=window.pwned=5>",
    '" onmouseover="window.pwned=6" data-x="',
    "' onfocus='window.pwned=7' autofocus '",
    '<iframe srcdoc="<script>parent.pwned=8</script>"></iframe>',
    "{{ 7*7 }} {% if 1 %}jinja{% endif %} ${window.pwned=9} <%= 10 %>",
    "]]><!-- --><!--<script>window.pwned=11</script>",
    "\u202eevil\u202c \u2066isolated\u2069 \u200f",
]
SOURCE = "\n".join([
    "Council approves the budget.",
    *[f"The mayor said: {payload} on Monday." for payload in PAYLOADS],
    "Critics called the plan &amp; the vote &lt;too small&gt;.",
]) + "\n"
TARGET = "\n".join([
    "Rat billigt den Haushalt.",
    *[f"Der Bürgermeister sagte: {payload} am Montag." for payload in PAYLOADS],
    "The critics called the plan &amp; the vote &lt;too small&gt;.",  # left in English: an issue quoting it
    "Lesen Sie auch: <b onclick=\"window.pwned=12\">Mehr</b>",       # boilerplate: another issue
]) + "\n"
HOSTILE_NAME = "<img src=x onerror=window.pwned=13> \"q\" 'a' {{x}} \u202e"

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


def run_cli(*args):
    with pytest.raises(SystemExit) as exit_info:
        main([str(a) for a in args])
    return exit_info.value.code


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The HTML pages mtlint writes for the hostile articles: one from check, the rest from report."""
    root = tmp_path_factory.mktemp("escaping")
    corpus, references, out = root / "corpus", root / "references", root / "out"
    corpus.mkdir()
    references.mkdir()
    (corpus / f"{HOSTILE_NAME}.txt").write_text(TARGET, encoding="utf-8")
    (references / f"{HOSTILE_NAME}.en.txt").write_text(SOURCE, encoding="utf-8")
    (corpus / "orphan <svg onload=window.pwned=14>.txt").write_text(TARGET, encoding="utf-8")  # unpaired
    checked = root / "check.html"
    assert run_cli("check", references / f"{HOSTILE_NAME}.en.txt", corpus / f"{HOSTILE_NAME}.txt",
                   "--format", "html", "-o", checked, "--fail-on", "never") == 0
    assert run_cli("report", corpus, references, "-o", out, "-q", "--fail-on", "never") == 0
    articles = sorted(p for p in out.glob("*.html") if p.name != "index.html")
    assert len(articles) == 1
    return {"check": checked, "report": articles[0], "index": out / "index.html"}


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (pip) is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        try:
            instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        except Exception as exc:  # a browser that does not start is an environment problem, not a test failure
            pytest.skip(f"chromium does not start: {str(exc).splitlines()[0]}")
        try:
            yield instance
        finally:
            instance.close()


def open_page(browser, path: Path):
    """Open ``path``; return (page, problems) where problems collects anything that ran or was fetched."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning")
            else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "about:")) else problems.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, problems


INJECTED = """() => {
  const handlers = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on') || /^\\s*javascript:/i.test(attr.value)) handlers.push(el.tagName + ' ' + attr.name);
    }
  }
  return {pwned: window.pwned === undefined ? null : String(window.pwned),
          scripts: document.scripts.length,
          // elements only the payloads could have made (the index's own bar chart is an svg with role=img)
          foreign: document.querySelectorAll('img, iframe, svg:not([role=img]), textarea, object, embed, b, a[data-x]').length,
          handlers};
}"""


@pytest.mark.parametrize("which", ["check", "report", "index"])
def test_nothing_from_the_inputs_runs_and_all_of_it_is_shown_literally(browser, pages, which):
    page, problems = open_page(browser, pages[which])
    try:
        # Give handlers that would fire on load, focus or a timer their chance.
        page.mouse.move(300, 300)
        page.keyboard.press("Tab")
        page.wait_for_timeout(200)
        state = page.evaluate(INJECTED)
        assert state["pwned"] is None
        assert state["handlers"] == [] and state["foreign"] == 0
        assert state["scripts"] <= 1  # the page's own script, nothing from the inputs
        text = page.evaluate("document.body.textContent")
        if which == "index":
            assert HOSTILE_NAME.strip() in text or HOSTILE_NAME.replace(" ", "_") in text or "onerror" in text
            assert "orphan <svg onload=window.pwned=14>.txt" in text
        else:
            # A payload may be cut into two sentences (at "<!"): join each side's cells, whitespace aside.
            for side in ("src", "tgt"):
                cells = "".join(page.evaluate(f"[...document.querySelectorAll('td.txt.{side}')].map(c => c.textContent)"))
                shown = "".join(cells.split())
                for payload in PAYLOADS:
                    assert "".join(payload.split()) in shown, (side, payload)
            assert "&amp; the vote &lt;too small&gt;" in text  # entities stay as typed, not decoded
        # Every issue's tooltip shows its message and text as text.
        marks = page.locator("mark[id^='m-']")
        for index in range(min(marks.count(), 6)):
            marks.nth(index).focus()
            page.wait_for_timeout(20)
        assert page.evaluate("window.pwned") is None
        assert problems == []
    finally:
        page.close()


def test_the_report_pages_name_the_hostile_documents_in_text_only(pages):
    index = pages["index"].read_text(encoding="utf-8")
    assert "<svg onload" not in index and "&lt;svg onload=window.pwned=14&gt;" in index
    assert "<img src=x" not in index
    for name in ("check", "report"):
        html = pages[name].read_text(encoding="utf-8")
        assert html.count("<script") == 1  # the page's own
        assert "<img" not in html and "<iframe" not in html and "<svg" not in html
