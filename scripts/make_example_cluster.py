"""Regenerate the example cluster shipped with the package (SIMULATED data, not real).

The example is the run folder of the ``default`` preset with seed 0, the same as
``innocluster run default --seed 0 --out src/innocluster/datasets/example_cluster``, followed
by two edits that make the folder the same on every machine:

- ``run.json`` loses its wall times (``wall_seconds``, ``timings``), which vary between runs;
- a ``README.md`` says what the folder is and how it was made.

The tables themselves are deterministic: the same seed gives the same tables on any number of
threads (``tests/core/test_engine.py``). Run from the repository root:

    python scripts/make_example_cluster.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import innocluster as ic

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "src" / "innocluster" / "datasets" / "example_cluster"
PRESET = "default"
SEED = 0

README = """# Example cluster (SIMULATED, not real data)

These cluster tables were made by the innocluster simulator. They describe no real cluster,
firm or patent: use them to try the measures, the diagnosis and the data formats.

- made with: `innocluster run {preset} --seed {seed}` (innocluster {version}, {commit});
  regenerate with `python scripts/make_example_cluster.py` from the repository root
- scenario: the `{preset}` preset, {steps} steps (years); the full resolved scenario is in
  `scenario.toml`, the seed and versions in `run.json` (wall times removed)
- tables (Parquet, columns in `docs/data-formats.md`):
  {counts}

Use it as a data folder:

```bash
innocluster validate example
innocluster measure example
innocluster diagnose example
python -c "import innocluster as ic; print(ic.datasets.example_cluster())"
```

The word `example` stands for this folder wherever a command takes a data folder (unless a
folder named `example` exists where the command runs).
"""


def commit() -> str:
    """The commit the example is made from, marked when the source differs from it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "--", "src/innocluster", f":!{FOLDER.relative_to(ROOT)}")
    return f"commit {head}" + (" with uncommitted changes" if changed else "")


def main() -> None:
    """Simulate, save into the package's example folder, and describe the folder."""
    run = ic.simulate(PRESET, seed=SEED)
    run.save(FOLDER)
    info_path = FOLDER / "run.json"
    info = json.loads(info_path.read_text("utf-8"))
    for varying in ("wall_seconds", "timings"):
        info.pop(varying, None)
    info_path.write_text(json.dumps(info, indent=2) + "\n", "utf-8")
    counts = ", ".join(
        f"{len(getattr(run, name)):,} {name}"
        for name in ("organizations", "patents", "alliances", "citations", "indicators")
    )
    text = README.format(
        preset=PRESET,
        seed=SEED,
        version=ic.__version__,
        commit=commit(),
        steps=run.scenario.steps,
        counts=counts,
    )
    (FOLDER / "README.md").write_text(text, "utf-8")
    size = sum(p.stat().st_size for p in FOLDER.iterdir())
    print(f"wrote {FOLDER} ({counts}; {size / 1024:.0f} KiB)", file=sys.stderr)


if __name__ == "__main__":
    main()
