"""The report of a cluster: one self-contained HTML file, and the same figures as static images.

``write_report(folder)`` (``innocluster report DIR``) writes the interactive report of a run
folder or a folder of real data; ``plot_figure(folder, kind, out)`` (``innocluster plot``) writes
one figure as PNG, SVG or PDF. See ``docs/report.md``. The submodules load on first use
(PEP 562), so that reading a cluster folder (:mod:`innocluster.data.sources`) does not import
the drawing libraries.
"""

from __future__ import annotations

from innocluster._lazy import lazy_exports

#: Public name -> the submodule that defines it.
_EXPORTS = {
    "PANELS": "panels",
    "Panel": "panels",
    "PanelContent": "panels",
    "build_panels": "panels",
    "render_report": "html",
    "write_report": "html",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
