"""mtlint serve over loopback: health, checks, pairs, bounds, errors and a clean stop."""
import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.model  # runs the real encoder and quality-estimation model


@pytest.fixture(scope="module")
def server():
    process = subprocess.Popen([sys.executable, "-m", "mtlint", "serve", "--port", "0", "--max-bytes", "20000",
                                "--enable", "number-mismatch,placeholder"],
                               stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    line = process.stderr.readline()
    assert "serving on http://127.0.0.1:" in line, line
    url = line.split("serving on ")[1].split()[0]
    yield process, url
    if process.poll() is None:
        process.kill()
        process.wait()


def _post(url, payload, raw=None):
    data = raw if raw is not None else json.dumps(payload).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_health_answers(server):
    _, url = server
    with urllib.request.urlopen(url + "/health", timeout=60) as response:
        body = json.loads(response.read())
    assert response.status == 200 and body["status"] == "ok" and body["encoder"]


def test_check_returns_the_json_report(server):
    _, url = server
    status, report = _post(url + "/check", {"source": "The fee is 5 euros.", "target": "Die Gebühr beträgt 7 Euro.",
                                            "source_lang": "en", "target_lang": "de"})
    assert status == 200 and report["schema"] == "mtlint.report/1"
    assert [(i["check"], i["target_text"]) for i in report["issues"]] == [("number-mismatch", "7")]
    assert report["summary"]["passed"] is False


def test_pairs_returns_one_result_per_row(server):
    _, url = server
    status, body = _post(url + "/pairs", {"source_lang": "en", "target_lang": "de", "rows": [
        {"id": "a", "source": "Delete %s?", "target": "%s löschen?"},
        {"id": "b", "source": "Delete %s?", "target": "Löschen?"}]})
    assert status == 200
    assert [(r["id"], r["passed"]) for r in body["results"]] == [("a", True), ("b", False)]


def test_bad_requests_get_clear_errors(server):
    _, url = server
    assert _post(url + "/check", None, raw=b"{not json")[0] == 400
    status, body = _post(url + "/check", {"source": 5, "target": "x"})
    assert status == 400 and "'source' must be a string" in body["error"]
    assert _post(url + "/nowhere", {})[0] == 404
    status, body = _post(url + "/check", {"source": "x" * 30000, "target": "y"})
    assert status == 413 and "limit is 20000" in body["error"]


def test_sigterm_stops_the_server_cleanly(server):
    process, url = server
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    assert "server stopped" in process.stderr.read()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "/health", timeout=5)
