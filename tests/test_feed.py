"""`mtlint feed`: the corpus articles as a translated RSS feed against their originals as an Atom feed."""
import json
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from html import escape

import pytest

from conftest import corpus_files, reference_for
from mtlint.cli import main

pytestmark = pytest.mark.model  # runs the real encoder and quality-estimation model

ARTICLES = corpus_files()
BASE_TIME = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)
# An original published after the translated feed was made: nothing in it matches.
UNTRANSLATED_ORIGINAL = [
    "Heavy rain expected across the north this weekend",
    "Forecasters have warned of heavy rain across the north of the country from Saturday morning.",
    "Rivers could rise quickly, and drivers are asked to avoid flooded roads and low bridges.",
    "Temperatures will stay mild, with sunshine returning by Monday afternoon.",
]


def paragraphs(path):
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def html_body(lines):
    return "".join(f"<p>{escape(line)}</p>" for line in lines)


def atom_entry(entry_id, link, published, lines):
    return (f"<entry><id>{entry_id}</id><title>{escape(lines[0])}</title><link rel=\"alternate\" href=\"{link}\"/>"
            f"<published>{published.isoformat()}</published><updated>{published.isoformat()}</updated>"
            f"<content type=\"html\">{escape(html_body(lines[1:]))}</content></entry>")


def rss_item(guid, link, published, lines):
    return (f"<item><guid isPermaLink=\"false\">{guid}</guid><link>{link}</link><title>{escape(lines[0])}</title>"
            f"<pubDate>{format_datetime(published)}</pubDate>"
            f"<description>{escape(html_body(lines[1:]))}</description></item>")


@pytest.fixture(scope="module")
def feeds(tmp_path_factory):
    """Articles 0, 1, 3 and 4 paired by guid, link, date and title, and content similarity; article 2 has no
    original in the original feed (which has one new item instead): the one article without issues."""
    directory = tmp_path_factory.mktemp("feeds")
    entries, items = [], []
    for n, article in enumerate(ARTICLES):
        original_time = BASE_TIME + timedelta(hours=n)
        if n != 2:
            original_id = f"urn:news:{n}" if n == 0 else f"https://news.example/en/story-{n}"
            entries.append(atom_entry(original_id, f"https://news.example/en/story-{n}", original_time,
                                      paragraphs(reference_for(article))))
        guid = f"urn:news:{n}" if n == 0 else f"https://zeitung.example/de/artikel-{n}"
        link = f"https://news.example/en/story-{n}" if n == 1 else f"https://zeitung.example/de/artikel-{n}"
        translated_time = original_time if n == 3 else original_time + timedelta(days=1, minutes=7 * n)
        items.append(rss_item(guid, link, translated_time, paragraphs(article)))
    entries.append(atom_entry("urn:news:new", "https://news.example/en/weather", BASE_TIME + timedelta(days=2),
                              UNTRANSLATED_ORIGINAL))
    original = directory / "original.atom"
    original.write_text("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
                        "<title>News</title><id>urn:news</id><updated>2025-03-05T09:00:00Z</updated>"
                        + "\n".join(entries) + "</feed>\n", encoding="utf-8")
    translated = directory / "translated.rss"
    translated.write_text("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>"
                          "<title>Nachrichten</title><link>https://zeitung.example/</link><language>de-DE</language>"
                          + "\n".join(items) + "</channel></rss>\n", encoding="utf-8")
    return original, translated


def run_cli(capsys, *args):
    with pytest.raises(SystemExit) as exit_info:
        main([str(a) for a in args])
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


@pytest.fixture(scope="module")
def feed_report(feeds):
    from mtlint.embed import get_encoder
    from mtlint.feed import check_feeds
    from mtlint.pipeline import Options

    original, translated = feeds
    return check_feeds(str(original), str(translated), Options(), get_encoder())


def test_items_are_paired_by_id_link_date_and_similarity(feed_report):
    pairs = [(item["translated_id"], item["original_id"], item["pairing"]) for item in feed_report["items"]]
    assert pairs == [
        ("urn:news:0", "urn:news:0", "guid"),
        ("https://zeitung.example/de/artikel-1", "https://news.example/en/story-1", "link"),
        ("https://zeitung.example/de/artikel-3", "https://news.example/en/story-3", "date-title"),
        ("https://zeitung.example/de/artikel-4", "https://news.example/en/story-4", "similarity"),
    ]
    assert feed_report["unpaired"] == [
        {"side": "original", "id": "urn:news:new", "title": UNTRANSLATED_ORIGINAL[0]},
        {"side": "translated", "id": "https://zeitung.example/de/artikel-2", "title": paragraphs(ARTICLES[2])[0]},
    ]
    # The original feed declares no language and mixes English, Ukrainian and French: each item is detected.
    assert feed_report["original"]["lang"] is None and feed_report["translated"]["lang"] == "de"
    assert [(item["original_lang"], item["translated_lang"]) for item in feed_report["items"]] == \
        [(reference_for(a).suffixes[0][1:], "de") for n, a in enumerate(ARTICLES) if n != 2]


def test_each_paired_item_is_checked_with_spans_into_its_text(feed_report):
    for item, article in zip(feed_report["items"], [a for n, a in enumerate(ARTICLES) if n != 2]):
        text = item["translated_text"]
        assert text.splitlines() == paragraphs(article)  # title, then the description's paragraphs
        spans = [issue for issue in item["issues"] if issue["target_span"]]
        assert spans, f"no issue located in {item['translated_id']}"
        for issue in spans:
            start, end = issue["target_span"]
            assert text[start:end] == issue["target_text"]
        assert item["summary"]["words"] > 100
    failed = [item for item in feed_report["items"] if not item["summary"]["passed"]]
    assert feed_report["summary"] == {"pairs": 4, "unpaired": 2, "failed": len(failed), "passed": not failed}


def test_the_command_gates_the_whole_feed(feeds, feed_report, capsys):
    original, translated = feeds
    code, out, err = run_cli(capsys, "feed", original, translated, "--format", "json", "--fail-on", "never")
    assert code == 0, err
    result = json.loads(out)
    assert [(i["translated_id"], i["pairing"]) for i in result["items"]] == \
        [(i["translated_id"], i["pairing"]) for i in feed_report["items"]]
    code, out, err = run_cli(capsys, "feed", original, translated, "--fail-on", "minor")
    assert code == 1  # every paired article has at least a minor issue
    assert "unpaired original item: urn:news:new" in out
    assert out.rstrip().endswith("4 pairs, 4 failed, 2 unpaired - FAILED")


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<rss version="2.0"><channel><title>&c;</title></channel></rss>
"""


@pytest.mark.parametrize("name,content,message", [
    ("laughs.rss", LAUGHS, "entity declaration 'a' refused"),
    ("broken.rss", "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\n<item><title>x</item></channel></rss>\n",
     "broken.rss:3:"),
    ("page.xml", "<?xml version=\"1.0\"?><html><body/></html>", "not an RSS or Atom feed"),
])
def test_unsafe_or_malformed_feeds_exit_2(feeds, tmp_path, capsys, name, content, message):
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    code, out, err = run_cli(capsys, "feed", feeds[0], bad)
    assert code == 2 and out == ""
    assert err.startswith("mtlint: error: ") and err.count("\n") == 1 and message in err, err
