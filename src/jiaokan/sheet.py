"""A text report as lines of styled text, written directly when plain, through rich when coloured (issue 19).

A report is lines of text whose pieces have styles (rich's names: ``bold``, ``dim``, ``bold red strike``) and, in
``jiaokan diff``, one narrow table.  Without colour, what rich writes for such lines is their text: the sheet writes
that itself, which spares a run rich's import and its rendering of each line (about 20 ms of a 0.2 s
``jiaokan diff``).  With colour, or where rich would change the text (a tab to expand to the next stop, a table
wider than the page to fold), the sheet is printed through rich's console as it always was.  Either way, every
control character but the line break is shown escaped, and no line can begin a CI workflow command.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from jiaokan.characters import no_workflow_commands, one_line

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderableType, RenderHook, RenderResult
    from rich.table import Table as RichTable
    from rich.text import Text

Justify = Literal["left", "right"]

# what rich's Text drops from the text it is given (rich.control.STRIP_CONTROL_CODES: BEL, BS, VT, FF, CR)
_DROPPED = dict.fromkeys((7, 8, 11, 12, 13))


class Line:
    """One printed line (or more, with line breaks in it): a first piece whose style is the line's own, as with
    rich's ``Text(text, style=…)``, then pieces appended with theirs."""

    __slots__ = ("pieces", "style")

    def __init__(self, text: str = "", style: str = "") -> None:
        self.style = style
        self.pieces: list[tuple[str, str]] = [(text, "")]

    def append(self, text: str, style: str = "") -> Line:
        self.pieces.append((text, style))
        return self

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.pieces).translate(_DROPPED)

    def rich(self) -> Text:
        from rich.text import Text

        first, rest = self.pieces[0][0], self.pieces[1:]
        line = Text(first, style=self.style)
        for text, style in rest:
            line.append(text, style=style)
        return line


class Grid:
    """A table of short cells (codes, counts): a header row in bold, columns two spaces apart, no borders."""

    __slots__ = ("columns", "rows")

    def __init__(self, columns: Sequence[tuple[str, Justify]]) -> None:
        self.columns = tuple(columns)
        self.rows: list[tuple[str, ...]] = []

    def add_row(self, *cells: str) -> None:
        self.rows.append(cells)

    def widths(self) -> list[int]:
        from rich.cells import cell_len

        return [max(cell_len(c) for c in cells) for cells in zip(*((name for name, _ in self.columns), *self.rows), strict=True)]

    def lines(self) -> list[str]:
        from rich.cells import cell_len

        widths = self.widths()
        out = []
        for cells in ((name for name, _ in self.columns), *self.rows):
            parts = []
            for cell, width, (_, justify) in zip(cells, widths, self.columns, strict=True):
                pad = " " * (width - cell_len(cell))
                parts.append(pad + cell if justify == "right" else cell + pad)
            out.append("  ".join(parts))
        return out

    def rich(self) -> RichTable:
        from rich.table import Table as RichTable

        table = RichTable(show_header=True, header_style="bold", box=None, pad_edge=False)
        for name, justify in self.columns:
            table.add_column(name, justify=justify, no_wrap=True)
        for cells in self.rows:
            table.add_row(*cells)
        return table


Item = Line | Grid | str


class Sheet:
    """The lines of one report, in order; :meth:`text` writes them."""

    __slots__ = ("color", "items", "width")

    def __init__(self, *, color: bool, width: int) -> None:
        self.color = color
        self.width = width
        self.items: list[Item] = []

    def print(self, item: Item = "") -> None:
        self.items.append(item)

    def _plain(self) -> bool:
        """Whether the text is what rich would write: no colour, no tab, every table within the page."""
        if self.color:
            return False
        for item in self.items:
            if isinstance(item, Grid):
                if sum(item.widths()) + 2 * (len(item.columns) - 1) > self.width or any("\t" in c for row in item.rows for c in row):
                    return False
            elif "\t" in (item if isinstance(item, str) else "".join(text for text, _ in item.pieces)):
                return False
        return True

    def text(self) -> str:
        if not self._plain():
            buf = io.StringIO()
            out = console(buf, self.color, self.width)
            for item in self.items:
                out.print(item if isinstance(item, str) else item.rich())
            return done(buf)
        lines: list[str] = []
        for item in self.items:
            if isinstance(item, Grid):
                lines.extend(item.lines())
            else:
                lines.append("\n".join(one_line(t) for t in (item.translate(_DROPPED) if isinstance(item, str) else item.plain).split("\n")))
        return no_workflow_commands("".join(f"{line}\n" for line in lines))


def console(buf: io.StringIO, color: bool, width: int) -> Console:
    """A rich console writing into ``buf``: no wrapping, no markup, every printed text escaped (:class:`_Escaped`)."""
    from rich.console import Console

    out = Console(file=buf, force_terminal=color, no_color=not color, color_system="standard" if color else None,
                  width=width, highlight=False, emoji=False, soft_wrap=True, markup=False)
    out.push_render_hook(_escaping())
    return out


class _Escaped:
    """A renderable whose text segments have every control character but the line break shown escaped: the last
    net under the escaping done where document text and names enter a report (rich Text drops BEL, backspace and
    CR, but passes ESC, so ``ESC[2J`` or an OSC 8 hyperlink would reach the terminal raw)."""

    def __init__(self, inner: RenderableType) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        for seg in console.render(self.inner, options):
            if seg.control or not seg.text or seg.text == "\n":
                yield seg
            else:
                yield Segment("\n".join(one_line(t) for t in seg.text.split("\n")), seg.style, seg.control)


def _escaping() -> RenderHook:
    """A render hook wrapping everything printed in :class:`_Escaped` (rich is imported only when a report is)."""
    from rich.console import RenderHook

    class Hook(RenderHook):
        def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
            return [_Escaped(r) for r in renderables]

    return Hook()


def done(buf: io.StringIO) -> str:
    """The report a console wrote: no line of it can begin a CI workflow command."""
    return no_workflow_commands(buf.getvalue())
