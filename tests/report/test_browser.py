"""The HTML reports opened in headless Chromium, as a person would open them: a run folder's
report, and the reports of three experiment folders (Sobol, attribution, grid).

Needs Debian's ``chromium`` (``/usr/bin/chromium``; ``apt-get install -y chromium``). Without it
the tests fail under CI (``CI=true``) and are skipped elsewhere.
"""

from __future__ import annotations

import os
import shutil

import pytest

from innocluster.report import PANELS, write_report

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
MISSING = "chromium is not installed: apt-get update && apt-get install -y chromium"

# Skipped before any fixture is set up: the run and experiment folders (session fixtures, set up
# before the module's own) are not made for tests that cannot run. Under CI, `browser` fails.
pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM) and os.environ.get("CI") != "true", reason=MISSING
)


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(MISSING)  # only under CI: elsewhere the module is skipped
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def report(run_folder, tmp_path_factory):
    path, _ = write_report(run_folder, tmp_path_factory.mktemp("report") / "report.html")
    return path


@pytest.fixture(scope="module")
def opened(browser, report):
    """The report's page, with the console errors and the requests seen while it loaded."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report.as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 8")
    yield page, errors, requests
    page.close()


def test_page_loads_without_errors_or_network(opened, report):
    page, errors, requests = opened
    page.wait_for_timeout(300)
    assert errors == []
    assert requests == [report.as_uri()]


def test_every_panel_draws_its_traces(opened):
    page, _, _ = opened
    for panel in PANELS:
        drawn = page.evaluate(
            """key => {
                const gd = document.getElementById('figure-' + key);
                if (!gd || !gd.data) return null;
                const marks = gd.querySelectorAll(
                    '.scatterlayer .trace path, .scatterlayer .trace .point, .heatmaplayer image');
                return {traces: gd.data.length, svg: gd.querySelectorAll('svg.main-svg').length,
                        marks: marks.length};
            }""",
            panel.key,
        )
        assert drawn is not None, panel.key
        assert drawn["traces"] >= 1 and drawn["svg"] >= 1 and drawn["marks"] >= 3, (panel, drawn)


def test_slider_changes_the_map(opened, tmp_path):
    page, errors, _ = opened
    state = """() => {
        const gd = document.getElementById('figure-map');
        return {active: gd._fullLayout.sliders[0].active,
                title: gd._fullLayout.title.text,
                points: gd.querySelectorAll('.scatterlayer .trace .point').length};
    }"""
    before = page.evaluate(state)
    page.locator("#figure-map").scroll_into_view_if_needed()
    rail = page.locator("#figure-map .slider-rail-rect").bounding_box()
    page.mouse.click(rail["x"] + 2, rail["y"] + rail["height"] / 2)  # the first year
    page.wait_for_function(
        "() => document.getElementById('figure-map')._fullLayout.sliders[0].active === 0"
    )
    page.wait_for_timeout(300)
    after = page.evaluate(state)
    assert before["active"] > 0 and after["active"] == 0
    assert after["title"] != before["title"] and after["title"].startswith("year 0:")
    assert after["points"] != before["points"] and after["points"] > 0
    assert errors == []
    page.evaluate("window.scrollTo(0, 0)")
    shot = tmp_path / "report.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 100_000


@pytest.fixture(scope="module", params=["sobol", "attribution", "grid"])
def experiment_page(request, browser, folders, reports):
    """An experiment report's page in Chromium, with the console errors and the requests seen."""
    path = folders[request.param] / "report.html"
    figures = reports[request.param].count('<div id="figure-')
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot').length >= {figures}")
    page.wait_for_timeout(200)
    yield request.param, path, figures, page, errors, requests
    page.close()


def test_page_loads_without_errors_or_network_and_every_plot_draws(experiment_page, tmp_path):
    name, path, figures, page, errors, requests = experiment_page
    assert errors == []
    assert requests == [path.as_uri()]
    drawn = page.evaluate(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => ({
            id: gd.id, traces: gd.data.length,
            marks: gd.querySelectorAll('.scatterlayer .trace path, .scatterlayer .point, '
                                       + '.barlayer .point').length}))"""
    )
    assert len(drawn) == figures >= 2
    for plot in drawn:
        assert plot["traces"] >= 1 and plot["marks"] >= 2, (name, plot)
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 50_000
