"""The HTML run report `crm publish` writes beside the warehouse renders in headless Chromium.

Run after ./crm demo (Debian's chromium at /usr/bin/chromium, or CRM_CHROMIUM):
    CRM_WAREHOUSE=work/demo/warehouse/warehouse.duckdb python -m pytest notebooks/tests
"""
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import sync_playwright

SECTIONS = ["glance", "quality", "segments", "scores", "models", "funnel", "kpis", "alerts", "tables"]


def report_file():
    live = os.environ.get("CRM_WAREHOUSE")
    report = Path(live).parent / "report.html" if live else None
    if report is None or not report.is_file():
        pytest.fail(
            f"no run report beside CRM_WAREHOUSE={live!r}: run ./crm demo (or crm publish) first and set "
            f"CRM_WAREHOUSE=work/demo/warehouse/warehouse.duckdb",
            pytrace=False,
        )
    return report


def expected_charts():
    """The charts the report must draw, from what the warehouse holds."""
    with duckdb.connect(os.environ["CRM_WAREHOUSE"], read_only=True) as con:
        models = [m for (m,) in con.execute("select distinct model from model_versions order by 1").fetchall()]
        scored = [m for (m,) in con.execute("select distinct model from scores order by 1").fetchall()]
    assert models, "the demo warehouse has no model versions: run the demo with --days 240 or more so it trains"
    charts = ["Share of the date's records quarantined", "Data-quality checks passed", "Members per segment",
              "Segment sizes over the last", "Funnel stages", "Revenue per day", "Orders per day"]
    charts += [f"{chart}, {model}" for model in models for chart in ["Lift by decile", "Cumulative gains", "Calibration"]]
    charts += [f"Scores of {model}" for model in scored]
    return charts


def chromium():
    path = os.environ.get("CRM_CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail("no chromium: install Debian's (apt-get install chromium) or set CRM_CHROMIUM", pytrace=False)
    return path


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    report = report_file()
    errors = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("pageerror", lambda e: errors.append(f"script error: {e}"))
            page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            page.on("requestfailed", lambda r: errors.append(f"failed to load {r.url}"))
            page.goto(report.as_uri())
            page.wait_for_selector("html[data-report-ready=yes]", timeout=10_000)
            page.screenshot(path=str(tmp_path_factory.mktemp("report") / "report.png"), full_page=True)
            yield page, errors
        finally:
            browser.close()


def test_renders_without_script_errors(page):
    _, errors = page
    assert errors == []


def test_has_every_section(page):
    pg, _ = page
    for section in SECTIONS:
        assert pg.locator(f"h2#{section}").count() == 1, f"section {section} missing"
    assert pg.title().startswith("CRM run report 20")


def test_charts_draw_marks_with_a_size(page):
    pg, _ = page
    expected = expected_charts()
    charts = pg.locator("svg.chart")
    assert charts.count() >= len(expected), f"only {charts.count()} charts"
    for i in range(charts.count()):
        chart = charts.nth(i)
        box = chart.bounding_box()
        name = chart.get_attribute("aria-label")
        assert box and box["width"] > 100 and box["height"] > 50, f"chart {name} has no size: {box}"
        marks = chart.locator("rect, polyline, circle").count()
        assert marks > 0, f"chart {name} draws nothing"
    labels = [charts.nth(i).get_attribute("aria-label") for i in range(charts.count())]
    for chart in expected:
        assert any(label.startswith(chart) for label in labels), f"no chart '{chart}' among {labels}"


def test_bars_carry_the_numbers_in_their_tooltips(page):
    pg, _ = page
    bars = pg.locator("svg.chart[aria-label^='Members per segment'] rect title")
    titles = [bars.nth(i).text_content() for i in range(bars.count())]
    assert titles and all(":" in t and any(c.isdigit() for c in t) for t in titles), titles


def test_clicking_a_heading_sorts_the_table(page):
    pg, _ = page
    table = pg.locator("#segments ~ table.sortable").first
    heading = table.locator("th", has_text="members").first
    heading.click()
    assert heading.get_attribute("aria-sort") == "ascending"
    members = [int(v.replace(",", "")) for v in table.locator("tbody tr td:nth-child(2)").all_text_contents()]
    assert members == sorted(members) and len(members) > 1
    heading.click()
    members = [int(v.replace(",", "")) for v in table.locator("tbody tr td:nth-child(2)").all_text_contents()]
    assert members == sorted(members, reverse=True)
