"""Renderers for mtlint report dicts (schema ``mtlint.report/1``).

Each renderer is a plain function of report dict(s) and the decoded texts the
offsets index (a report dict holds spans, not full texts). Output is
deterministic: no timestamps, stable ordering.

- :mod:`mtlint.render.html`: ``article_page`` (one document, side by side) and
  ``index_page`` (all documents ranked) as self-contained HTML for editors;
- :mod:`mtlint.render.markdown`: ``markdown``, a pull-request comment;
- :mod:`mtlint.render.sarif`: ``sarif``, a SARIF 2.1.0 log for code scanning;
- :mod:`mtlint.render.junit`: ``junit``, JUnit XML for CI test reports.

Import the functions from their modules (``from mtlint.render.sarif import
sarif``): the package re-exports nothing, so a module and its function never
shadow each other.
"""
