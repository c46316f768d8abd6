"""The report of a cluster: one self-contained HTML file, and the same figures as static images.

``write_report(folder)`` (``innocluster report DIR``) writes the interactive report of a run
folder or a folder of real data; ``plot_figure(folder, kind, out)`` (``innocluster plot``) writes
one figure as PNG, SVG or PDF. See ``docs/report.md``.
"""

from innocluster.report.html import render_report, write_report
from innocluster.report.panels import PANELS, Panel, PanelContent, build_panels

__all__ = ["PANELS", "Panel", "PanelContent", "build_panels", "render_report", "write_report"]
