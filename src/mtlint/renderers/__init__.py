"""Renderers for mtlint report dicts (schema ``mtlint.report/1``).

Each renderer is a plain function of report dict(s) and the decoded texts the
offsets index (a report dict holds spans, not full texts). Output is
deterministic: no timestamps, stable ordering.

- :mod:`mtlint.renderers.html`: ``article_page`` (one document, side by side) and
  ``index_page`` (all documents ranked) as self-contained HTML for editors;
- :mod:`mtlint.renderers.markdown`: ``markdown``, a pull-request comment;
- :mod:`mtlint.renderers.sarif`: ``sarif``, a SARIF 2.1.0 log for code scanning;
- :mod:`mtlint.renderers.junit`: ``junit``, JUnit XML for CI test reports.

:func:`render` gives one document's report in a format by name (what
``mtlint check --format`` writes); the renderers themselves are imported from
their modules (``from mtlint.renderers.sarif import sarif``), so a module and its
function never shadow each other.
"""


def render(fmt: str, report: dict, source_text: str, target_text: str, color: bool = False,
           fail_on: str = "major") -> str:
    """One document's report in the requested format."""
    from ..report import to_json, to_text

    if fmt == "json":
        return to_json(report)
    if fmt == "html":
        from .html import article_page

        return article_page(report, source_text, target_text)
    if fmt == "md":
        from .markdown import markdown

        return markdown([(report, target_text)])
    if fmt == "sarif":
        from .sarif import sarif

        return to_json(sarif([(report, target_text)]))
    if fmt == "junit":
        from .junit import junit

        return junit([(report, target_text)], per="segment", fail_on=fail_on)
    return to_text(report, target_text, color=color)
