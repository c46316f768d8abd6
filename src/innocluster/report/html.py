"""The self-contained HTML report: every panel in one file that opens with no network.

plotly's JavaScript library is embedded once, in the page head; every figure is a ``div`` with
its data and no script source of its own. The page is a Jinja2 template
(``templates/report.html.j2``) with autoescaping, so text from the tables cannot break it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from innocluster._version import __version__
from innocluster.errors import InnoclusterError
from innocluster.report.data import ClusterData, load_cluster
from innocluster.report.experiment import is_experiment, load_experiment_folder
from innocluster.report.panels import PANELS, Panel, build_panels

__all__ = ["render_report", "write_report"]

#: Passed to every figure: no plotly logo (a link that would leave the page).
_CONFIG = {"displaylogo": False, "responsive": True}


def render_report(data: ClusterData | Any, panels: Sequence[Panel] = PANELS) -> str:
    """The report of ``data`` as one HTML page (text).

    Args:
        data: what the panels read: a run or data folder's
            :class:`~innocluster.report.data.ClusterData`, or an experiment folder's
            :class:`~innocluster.report.experiment.ExperimentData`; its ``title``, ``folder``
            and ``source`` head the page.
        panels: the panels to build, in order.
    """
    import jinja2
    import plotly.io as pio
    from plotly.offline import get_plotlyjs

    built = []
    for panel, content in build_panels(data, panels):
        figure = None
        if content.figure is not None:
            figure = pio.to_html(
                content.figure,
                full_html=False,
                include_plotlyjs=False,
                div_id=f"figure-{panel.key}",
                config=_CONFIG,
                auto_play=False,
            )
        built.append({"panel": panel, "content": content, "figure": figure})
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("innocluster.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("report.html.j2").render(
        title=data.title,
        folder=str(data.folder),
        source=data.source,
        panels=built,
        plotlyjs=get_plotlyjs(),
        version=__version__,
        created=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),  # noqa: UP017
    )


def write_report(folder: str | Path, out: str | Path | None = None) -> tuple[Path, float]:
    """Write the report of a folder; returns its path and the seconds it took.

    The folder's content decides the report: a folder with ``catalog.duckdb`` is an
    experiment's output folder (:func:`~innocluster.report.experiment_panels.experiment_panels`);
    any other is a run folder or a folder of real data (:data:`PANELS`).

    Args:
        folder: a run folder (``innocluster run``), a folder of real data, or an experiment's
            output folder (``innocluster sweep``, ``innocluster attribute``).
        out: the HTML file to write (default ``FOLDER/report.html``); written to a temporary
            name beside it, then renamed, so no half-written report is left.

    Raises:
        InnoclusterError: the folder cannot be read, or ``out`` is not an ``.html`` file.
    """
    start = time.perf_counter()
    target = Path(out) if out is not None else Path(folder) / "report.html"
    if target.suffix.lower() not in (".html", ".htm"):
        raise InnoclusterError(f"--out '{target}': expected a file name ending in .html")
    if target.is_dir():
        raise InnoclusterError(f"--out '{target}' is a folder: expected an .html file")
    if is_experiment(folder):
        from innocluster.report.experiment_panels import experiment_panels

        data = load_experiment_folder(folder)
        text = render_report(data, experiment_panels(data))
    else:
        text = render_report(load_cluster(folder))
    target.parent.mkdir(parents=True, exist_ok=True)
    # A hidden sibling, renamed over the target: a reader never sees half a page.
    temporary = target.with_name(f".{target.name}.{os.getpid()}-{time.monotonic_ns()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target, time.perf_counter() - start
