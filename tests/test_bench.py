"""The bench's pure helpers: if these are wrong, the figures in the README are wrong."""

import pytest

from bench.availability import format_result
from bench.emails import first_slot_link, hidden_fields
from bench.report import (
    Measurement,
    asset_urls,
    error_text,
    font_urls,
    format_table,
    parse_wrk_result,
    percentile,
    ratio_text,
    same_origin,
    verdict,
)

BASE = "http://127.0.0.1:8123/conditions/heel-pain/"


def test_percentile_is_nearest_rank():
    values = list(range(100, 0, -1))  # 1..100, unsorted

    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile(values, 0) == 1
    assert percentile([7.5], 99) == 7.5
    assert percentile([1, 2, 3, 4], 50) == 2


@pytest.mark.parametrize("values,pct", [([], 50), ([1], 101)])
def test_percentile_rejects_nonsense(values, pct):
    with pytest.raises(ValueError):
        percentile(values, pct)


def test_parse_wrk_result_reads_the_lua_summary_line():
    output = (
        "Running 10s test @ http://127.0.0.1:8123/\n"
        "  2 threads and 16 connections\n"
        "BENCH-RESULT requests=25000 duration_us=10000000 p50_us=3250 p99_us=41000 status_errors=2 socket_errors=1\n"
    )

    result = parse_wrk_result(output)

    assert result.requests == 25000
    assert result.per_second == 2500
    assert result.p50_ms == 3.25
    assert result.p99_ms == 41
    assert error_text(result) == "(2 HTTP errors, 1 socket errors/timeouts)"


def test_parse_wrk_result_fails_loudly_without_the_summary():
    with pytest.raises(ValueError, match="BENCH-RESULT"):
        parse_wrk_result("unable to connect to 127.0.0.1:8123 Connection refused\n")


def test_error_text_is_empty_when_nothing_failed():
    assert error_text(Measurement(requests=10, seconds=1, p50_ms=1, p99_ms=2)) == ""


def test_ratio_and_verdict_against_the_static_file():
    assert ratio_text(820, 1000) == "0.82x"
    assert verdict(750, 1000, 0.75) == "PASS"
    assert verdict(749, 1000, 0.75) == "FAIL"
    assert verdict(1000, 1000, None) == "baseline"
    assert ratio_text(10, 0) == "n/a"
    assert verdict(10, 0, 0.3) == "n/a"


def test_format_table_aligns_text_left_and_numbers_right():
    table = format_table(
        ["target", "req/s", "result"],
        [["static", "3,500", "baseline"], ["home page", "2,100", "PASS"], ["free times", "-", "not available yet"]],
    )

    assert table.splitlines() == [
        "target      req/s  result",
        "----------  -----  -----------------",
        "static      3,500  baseline",
        "home page   2,100  PASS",
        "free times      -  not available yet",
    ]


def test_asset_urls_finds_what_the_browser_fetches_once_each():
    html = """<html><head>
      <link rel="icon" href="/static/img/favicon.1a.svg" type="image/svg+xml">
      <link rel="stylesheet" href="/static/css/site.2b.css">
      <link rel="canonical" href="https://soletherapy.example/conditions/heel-pain/">
      <link rel="preload" href="/static/fonts/body.3c.woff2" as="font" crossorigin>
      <link rel="stylesheet" href="/static/css/site.2b.css">
      <script src="../../static/js/site.4d.js" defer></script>
      <script>inline()</script>
    </head><body><img src="/static/img/photo.jpg" alt=""></body></html>"""

    assert asset_urls(html, BASE) == [
        "http://127.0.0.1:8123/static/img/favicon.1a.svg",
        "http://127.0.0.1:8123/static/css/site.2b.css",
        "http://127.0.0.1:8123/static/fonts/body.3c.woff2",
        "http://127.0.0.1:8123/static/js/site.4d.js",
    ]


def test_font_urls_resolve_against_the_stylesheet():
    css_url = "http://127.0.0.1:8123/static/css/site.2b.css"
    css = """@font-face{src:url("../fonts/a.5e.woff2") format("woff2"),url(../fonts/a.5e.woff) format("woff")}
      .x{background:url(../img/bg.png)} .y{background:url("data:image/svg+xml,...")}
      @font-face{src:url('../fonts/a.5e.woff2?v=1#iefix')}"""

    assert font_urls(css, css_url) == [
        "http://127.0.0.1:8123/static/fonts/a.5e.woff2",
        "http://127.0.0.1:8123/static/fonts/a.5e.woff",
        "http://127.0.0.1:8123/static/fonts/a.5e.woff2?v=1#iefix",
    ]


def test_same_origin_spots_another_host():
    assert same_origin("http://127.0.0.1:8123/static/x.css", BASE)
    assert not same_origin("https://cdn.example.com/x.css", BASE)


def test_availability_result_flags_query_counts_that_grow_with_bookings():
    result = {
        "median_ms": 24.96,
        "min_ms": 24.5,
        "max_ms": 56.0,
        "queries": 7,
        "slots": 2005,
        "few_queries": 6,
        "few_slots": 7804,
    }

    text = format_result(result)

    assert "5,000 bookings: median 25.0 ms of 7 runs" in text
    assert "7 queries, 2,005 free slots" in text
    assert "Under 60 ms with 5,000 bookings: PASS" in text
    assert text.endswith("Query count independent of the number of bookings: FAIL")
    assert format_result(result | {"queries": 6}).endswith(": PASS")
    assert "not available yet" in format_result({"missing": "No module named 'bookings.availability'"})


def test_the_end_to_end_booking_reads_the_pages_as_a_browser_would():
    times = (
        '<a class="btn" href="/book/assessment/details/?start=2026-12-02T23%3A00%3A00Z&amp;practitioner=1">10:00 am</a>'
    )
    details = (
        '<input type="hidden" name="csrfmiddlewaretoken" value="abc">'
        '<input type="hidden" name="start" value="2026-12-02T23:00:00Z" id="id_start">'
    )

    assert first_slot_link(times) == "/book/assessment/details/?start=2026-12-02T23%3A00%3A00Z&practitioner=1"
    assert first_slot_link("<p>No free times</p>") is None
    assert hidden_fields(details) == {"csrfmiddlewaretoken": "abc", "start": "2026-12-02T23:00:00Z"}


def test_the_side_by_side_table_takes_medians_and_judges_throughput_and_tail(tmp_path):
    from bench import compare, targets
    from bench.report import Measurement

    def runs(*per_second, p50=2.0, p99=5.0):
        return [Measurement(requests=int(rate * 10), seconds=10, p50_ms=p50, p99_ms=p99) for rate in per_second]

    static = targets.Target("static", "/s.css", None, runs=runs(1000, 900, 1100))
    home = targets.Target("home", "/", 1.0, runs=runs(1000, 1050, 400))  # one slow round: the median holds
    times = targets.Target("times", "/t/", 0.9, p99_times_p50=5, runs=runs(950, 950, 950, p50=2, p99=11))
    missing = targets.Target("gone", "/gone/", 1.0)

    table = targets.rows([static, home, times, missing])

    assert [row["result"] for row in table[:3]] == ["baseline", "PASS", "FAIL"]  # times: p99 is 5.5x its p50
    assert table[1]["req_s_median"] == 1000 and table[1]["req_s_min"] == 400 and table[1]["ratio"] == 1.0
    assert table[3]["result"].startswith("not available")
    assert targets.printable(table)[1][2] == "1,000 (400-1,050)"

    last = tmp_path / "bench-last.csv"
    targets.write_csv(table, last)
    home.runs = runs(1200, 1200, 1200)
    targets.write_csv(targets.rows([static, home, times, missing]), last)
    assert (tmp_path / "bench-previous.csv").exists()
    compared = compare.compare(compare.read(tmp_path / "bench-previous.csv"), compare.read(last))
    assert compared[1][:4] == ["home", "1,000", "1,200", "+20%"]


def test_growth_is_read_against_the_yardstick_timed_beside_it():
    from bench.growth import growth_of

    # The machine slowed by half while the larger diaries were timed: no growth of its own.
    assert growth_of([20.0, 30.0, 30.0], [10.0, 15.0, 15.0]) == pytest.approx(1.0)
    # Twice as slow at 100,000 while the yardstick held: growth.
    assert growth_of([20.0, 20.0, 40.0], [10.0, 10.0, 10.0]) == pytest.approx(2.0)
    # Lists are judged from 10,000 on (an empty diary lists no rows).
    assert growth_of([5.0, 50.0, 55.0], [10.0, 10.0, 10.0], first=1) == pytest.approx(1.1)


def test_a_lighthouse_run_that_loses_its_trace_is_tried_once_more(monkeypatch):
    import subprocess

    from bench import lighthouse

    runs = []

    def flaky(url):
        runs.append(url)
        if len(runs) == 1:
            raise subprocess.CalledProcessError(1, "lighthouse")  # NO_NAVSTART
        return {"performance": 100}, []

    monkeypatch.setattr(lighthouse, "scores", flaky)
    assert lighthouse.scores_tried_twice("http://127.0.0.1:1/team/") == ({"performance": 100}, [], 2)
    assert lighthouse.scores_tried_twice("http://127.0.0.1:1/") == ({"performance": 100}, [], 1)

    def broken(url):
        raise subprocess.CalledProcessError(1, "lighthouse")

    monkeypatch.setattr(lighthouse, "scores", broken)
    with pytest.raises(subprocess.CalledProcessError):
        lighthouse.scores_tried_twice("http://127.0.0.1:1/fees/")


def test_the_times_page_miss_is_judged_on_its_slowest_median():
    from bench.growth import times_miss_line

    assert times_miss_line([15.6, 19.0, 18.7]).endswith(
        "median at most 19.0 ms over the three sizes; goal under 30 ms: PASS"
    )
    assert times_miss_line([15.6, 31.0, 18.7]).endswith("goal under 30 ms: FAIL")


def test_the_page_weight_says_who_compressed_the_html():
    from bench.weight import Fetched, PageWeight, format_weight

    kept = PageWeight(html_raw=18_000, html_brotli=5_000, resources=[Fetched("http://h/", 200, "br", 300, 5_000)])
    assert "compressed by the application" in format_weight("/", kept)
    plain = PageWeight(
        html_raw=18_000, html_brotli=5_000, resources=[Fetched("http://h/", 200, "br (by a proxy)", 300, 5_000)]
    )
    assert "a reverse proxy would compress it" in format_weight("/", plain)
