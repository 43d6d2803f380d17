"""Coverage charts for the Word report: PNG images drawn with matplotlib (no display needed).

One chart per category: per code, the share of those who answered that mention it, one bar
per level (regioner, län med kommunsvar, kommuner med egna svar), labelled "5 av 6", codes
sorted by coverage, every label written out (long labels wrapped, never cut).
"""
from __future__ import annotations

import io
import textwrap
from typing import Sequence

LEVEL_COLOURS = {"regions": "#1f5f8b", "lan": "#4fa3c7", "kommuner": "#b9dbe9"}
LEVEL_LEGEND = {"regions": "Regioner", "lan": "Län med kommunsvar", "kommuner": "Kommuner med egna svar"}


def coverage_chart_png(codes: Sequence, answered: dict[str, int], *, width_in: float = 6.3,
                       dpi: int = 200) -> bytes:
    """A horizontal bar chart (PNG bytes) of `codes` (CodeCoverage, in the order given, top first).

    `answered`: level -> number who answered; levels nobody answered are left out.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    levels = [lvl for lvl in ("regions", "lan", "kommuner") if answered.get(lvl)]
    n = len(codes)
    bar_h = 0.8 / max(1, len(levels))
    labels = ["\n".join(textwrap.wrap(c.code_label, 34)) or c.code_id for c in codes]
    lines = sum(label.count("\n") + 1 for label in labels)
    height = 1.1 + max(n * 0.32 * max(1, len(levels)) / 1.6, lines * 0.2)
    fig, ax = plt.subplots(figsize=(width_in, height), dpi=dpi)
    try:
        for j, lvl in enumerate(levels):
            ys = [i + (j - (len(levels) - 1) / 2) * bar_h for i in range(n)]
            shares = [c.level(lvl).n / answered[lvl] * 100 for c in codes]
            ax.barh(ys, shares, height=bar_h * 0.92, color=LEVEL_COLOURS[lvl],
                    label=f"{LEVEL_LEGEND[lvl]} ({answered[lvl]} har svarat)")
            for y, share, c in zip(ys, shares, codes):
                ax.text(share + 1, y, f"{c.level(lvl).n} av {answered[lvl]}", va="center", fontsize=6.5)
        ax.set_yticks(range(n))
        ax.set_yticklabels(labels, fontsize=7.5)
        ax.invert_yaxis()
        ax.set_xlim(0, 112)
        ax.xaxis.set_major_locator(MultipleLocator(25))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{int(v)} %" if v <= 100 else ""))
        ax.tick_params(axis="x", labelsize=7)
        ax.set_xlabel("Andel av dem som svarat som nämner insatsen", fontsize=7.5)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.12 - 0.35 / height), ncol=1, fontsize=7,
                  frameon=False)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", pad_inches=0.08)  # never cut the legend
    finally:
        plt.close(fig)
    return buf.getvalue()
