"""The Lighthouse harness of make bench (bench/lighthouse.py), offline: reading a report, the
verdicts against the issue's targets, the page types found in a site, the gzip server."""

from __future__ import annotations

import gzip
import urllib.request
from pathlib import Path

from bench import lighthouse as lh
from bench.run import Results, results_markdown, targets


def report(performance: float | None, tbt: float | None, accessibility: float | None = 0.93) -> dict:
    """The parts of a Lighthouse 12 JSON report (`--output=json`) the harness reads."""
    return {
        "lighthouseVersion": "12.8.2",
        "environment": {"benchmarkIndex": 1234.5},
        "categories": {
            "performance": {"id": "performance", "score": performance},
            "accessibility": {"id": "accessibility", "score": accessibility},
        },
        "audits": {
            "total-blocking-time": {"id": "total-blocking-time", "numericValue": tbt, "displayValue": f"{tbt} ms"},
            "first-contentful-paint": {"numericValue": 1200.5},
        },
    }


def test_parse_report_scales_scores_and_reads_tbt():
    s = lh.parse_report("中心名录", "centers/", report(0.97, 171.4, 0.89))
    assert (s.performance, s.tbt_ms, s.accessibility, s.error, s.benchmark_index) == (97, 171.4, 89, "", 1234.5)


def test_parse_report_of_a_failed_run():
    failed = report(None, None, None) | {"runtimeError": {"code": "NO_FCP", "message": "The page did not paint"}}
    s = lh.parse_report("首页", "", failed)
    assert s.performance is None and s.tbt_ms is None and s.error == "The page did not paint"
    assert lh.show(s).startswith("失败")


def score(label: str, path: str, performance: float | None, tbt: float | None) -> lh.Score:
    return lh.Score(label, path, performance, tbt, 90)


def test_verdicts_at_the_targets_edges():
    scores = {
        1000: [
            score("首页", "", 95, 199.9),  # just in
            score("截止日期", "deadlines/", 94, 50),  # performance just out
            score("中心名录", "centers/", 99, 200),  # TBT just out
            score("一个中心", "centers/x/", None, None),  # Lighthouse failed
        ],
        10000: [score("中心名录", "centers/", 70, 299)],
    }
    results = [v.result for v in lh.verdicts(scores)]
    assert results == ["PASS", "FAIL", "FAIL", "FAIL", "PASS"]
    assert lh.verdicts({10000: [score("中心名录", "centers/", 99, 300)]})[-1].result == "FAIL"
    unmeasured = lh.verdicts({})
    assert [v.result for v in unmeasured] == ["n/a", "n/a"] and all(v.measured == "未测" for v in unmeasured)


def test_median_run_is_kept_and_every_run_noted():
    runs = [score("首页", "", 91, 250), score("首页", "", 97, 150), score("首页", "", 95, 120)]
    kept = lh.median(runs)
    assert (kept.performance, kept.tbt_ms) == (95, 120)
    assert "91/250/—" in kept.note and "97/150/—" in kept.note
    assert lh.median([runs[0]]) == runs[0]


def test_targets_and_document_carry_the_lighthouse_rows():
    results = Results()
    results.facts["lighthouse"] = {1000: [score("首页", "", 98, 80)], 10000: [score("中心名录", "centers/", 90, 350)]}
    rows = [t for t in targets(results, [1000, 10000]) if t[0].startswith("Lighthouse")]
    assert [r[2] for r in rows] == ["PASS", "FAIL"]

    class Args:
        mkdocs_max, runs, seed = 10000, 2, 1

    text = results_markdown(results, [1000, 10000], Args())
    assert (
        "| 1,000 | 首页 | `/` | 98 | 80 | 90 |" in text
        and "| 10,000 | 中心名录 | `/centers/` | 90 | 350 | 90 |" in text
    )
    assert "Lighthouse 手机：中心名录，10,000 个中心：TBT < 300 ms | TBT 350 ms" in text


def test_page_types_of_a_site(tmp_path: Path):
    for page in (
        "",
        "centers/",
        "centers/page_2/",
        "centers/a-center/",
        "centers/b-center/",
        "notices/",
        "notices/n1/",
        "rules/",
        "counties/",
        "counties/忻府区/",
        "assets/x/",
        "data/",
        "data/changelog/",
        "measures/text/",
    ):
        (tmp_path / page).mkdir(parents=True, exist_ok=True)
        (tmp_path / page / "index.html").write_text("<html></html>", encoding="utf-8")
    pages = lh.page_types(tmp_path)
    assert pages == {
        "首页": "",
        "中心名录": "centers/",
        "公示公告列表": "notices/",
        "规则说明": "rules/",
        "数据下载": "data/",
        "中心名录第 2 页（无脚本时的分页）": "centers/page_2/",
        "一个中心": "centers/a-center/",
        "一条公示": "notices/n1/",
        "counties/": "counties/",
        "counties/…": "counties/忻府区/",
        "data/…": "data/changelog/",
        "measures/…": "measures/text/",
    }


def test_gzip_server_compresses_like_a_static_host(tmp_path: Path):
    (tmp_path / "centers").mkdir()
    body = "<p>中心名录</p>" * 500
    (tmp_path / "centers" / "index.html").write_text(body, encoding="utf-8")
    with lh.serve_gzip(tmp_path) as base:
        request = urllib.request.Request(base + "centers/", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            data = response.read()
        assert len(data) < len(body.encode()) / 10 and gzip.decompress(data).decode() == body
        with urllib.request.urlopen(base + "centers/index.html", timeout=10) as plain:  # no Accept-Encoding
            assert plain.headers.get("Content-Encoding") is None and plain.read().decode() == body
