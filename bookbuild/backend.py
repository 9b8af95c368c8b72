"""The matplotlib backend the book's code draws with at build time and in the tests.

Agg, whose ``plt.show()`` leaves the figures open for the caller to collect. Agg's own ``show()``
warns "FigureCanvasAgg is non-interactive, and thus cannot be shown" wherever a display could
exist (Linux with DISPLAY set, macOS, Windows), which would put a line on the page that depends
on the machine that built it. Select it with ``matplotlib.use("module://bookbuild.backend")``.
"""

from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg


class FigureManager(FigureManagerBase):
    def show(self) -> None:
        """Nothing to show: the build embeds every open figure in the page."""


class FigureCanvas(FigureCanvasAgg):
    manager_class = FigureManager
