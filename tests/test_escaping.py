"""Issue 15, item 4: nothing a document or a file name holds reaches a terminal, a CI log or a page raw.

Through the real command line: a witness holding ANSI/OSC escape sequences (clear screen, window title, OSC 8
hyperlink), BEL, backspace, CR, U+2028/U+2029 and lines that GitHub Actions would execute (``::error …::``,
``::add-mask::``), and a witness whose FILE NAME holds an escape sequence and a line break, in every text report.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .cli import Result, run
from .test_bad_input import SAMPLES

HOSTILE = (
    "\x1b[2J\x1b[H"  # clear screen, cursor home
    "\x1b]0;pwned\x07"  # OSC 0: the window title
    "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"  # OSC 8 hyperlink
    "\x9b31m"  # a C1 CSI
    "\x07\x08\x08\x08\r"  # BEL, backspace, CR
    "\u2028\u2029\u202e"
    "\n::error file=README.md,line=1::forged\n::add-mask::secret\n##[add-mask]secret2"
)
EVIL_NAME = "w\x1b[2J\x1b]0;t\x07\n::error file=README.md,line=1::forged.txt"
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _workflow_commands(text: str) -> list[str]:
    """Lines GitHub Actions would execute: ``::`` at the start after spaces, or the legacy ``##[`` anywhere."""
    return [line for line in text.split("\n") if line.lstrip(" \t").startswith("::") or "##[" in line]


def _assert_safe(text: str, what: str) -> None:
    assert RAW.search(text) is None, (what, repr(RAW.findall(text)[:8]))
    assert _workflow_commands(text) == [], (what, _workflow_commands(text))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("escaping")
    base = (SAMPLES / "directive-vendor-reprint-001.txt").read_text(encoding="utf-8")
    (root / "base.txt").write_text(base, encoding="utf-8")
    lines = base.split("\n")
    k = len(lines) // 2
    lines[k] += HOSTILE
    witness = "\n".join(lines)
    (root / "w.txt").write_text(witness, encoding="utf-8")
    (root / EVIL_NAME).write_text(witness, encoding="utf-8")
    (root / "w.md").write_text(f"---\ntitle: \"t\\e[2J\"\n---\n\n{witness}", encoding="utf-8")
    return root


COMMANDS = [
    ("diff", "base.txt", "w.txt"),
    ("diff", "--include-cosmetic", "base.txt", "w.txt"),
    ("diff", "--stat", "base.txt", "w.txt"),
    ("diff", "-q", "base.txt", "w.txt"),
    ("diff", "base.txt", EVIL_NAME),
    ("diff", "--stat", EVIL_NAME, "w.txt"),
    ("check", "base.txt", "w.txt", EVIL_NAME, "w.md"),
    ("check", "-q", "base.txt", EVIL_NAME),
    ("trace", "base.txt", "w.txt"),
    ("trace", "base.txt", EVIL_NAME),
    ("collate", "base.txt", "w.txt", EVIL_NAME),
    ("normalize", "w.txt"),
    ("normalize", "--show-map", "w.txt"),
    ("normalize", EVIL_NAME),
    ("normalize", "--rules", "none", "w.txt"),
    ("scan", "base.txt", "."),
]


@pytest.mark.parametrize("color", [False, True], ids=["plain", "color"])
@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a).replace(EVIL_NAME, "EVIL") for a in COMMANDS])
def test_no_text_report_prints_a_control_character_or_a_workflow_command(folder: Path, args: tuple[str, ...], color: bool) -> None:
    env = {"FORCE_COLOR": "1"} if color else {"NO_COLOR": "1"}
    done = run(args, cwd=folder, env=env)
    assert done.code in (0, 1), done.err_bytes.decode("utf-8", "replace")
    out, err = done.out, done.err
    if color:  # the report's own colours are SGR codes; nothing else may be an escape
        assert "\x1b[" in out or args[0] in ("normalize", "scan") or "-q" in args
        out = re.sub(r"\x1b\[[0-9;]*m", "", out)
        err = re.sub(r"\x1b\[[0-9;]*m", "", err)
    if args[0] == "scan":  # JSONL records on stdout: JSON escapes every control character
        records = [json.loads(line) for line in out.split("\n")[:-1]]
        assert len(records) == 4 and RAW.search(out.replace("\n", "")) is None
        _assert_safe(err, "scan summary")
        return
    _assert_safe(out, "stdout")
    _assert_safe(err, "stderr")
    if EVIL_NAME in args and "-q" not in args:
        assert "w\\u001b[2J" in out  # the name is shown, escaped


def test_the_escaped_text_is_still_shown(folder: Path) -> None:
    out = run(["diff", "base.txt", "w.txt"], cwd=folder, env={"NO_COLOR": "1"}).out
    assert "\\u001b[2J" in out and "\\u001b]0;pwned" in out
    assert "\\u001b]8" in out and "\\u0007" in out  # BEL shown too (rich Text alone would drop it silently)


def test_error_messages_stay_one_line(folder: Path) -> None:
    for args in (("diff", "base.txt", "missing\x1b[2J\n::error file=x::forged.txt"),
                 ("normalize", "--rules", "\x1b]0;t\x07\n::add-mask::x", "w.txt"),
                 ("diff", "--nonsense\x1b[2J\n::error::x", "base.txt", "w.txt")):
        done = run(args, cwd=folder)
        err = done.err
        assert done.code == 2, err
        assert err.count("\n") == 1 and err.startswith("jiaokan: error: "), err
        _assert_safe(err, "error")


def test_a_witness_that_cannot_be_read_under_a_hostile_name(folder: Path) -> None:
    name = "bad\x1b[2J\n::error file=README.md::forged.docx"
    (folder / name).write_bytes(b"PK\x03\x04 not a zip")
    try:
        done = run(["check", "base.txt", name], cwd=folder, env={"NO_COLOR": "1"})
        assert done.code == 2
        _assert_safe(done.out, "stdout")
        _assert_safe(done.err, "stderr")
        gh = run(["check", "--format", "github", "base.txt", name], cwd=folder).out
        assert gh.startswith("::error file=bad\\u001b[2J%0A%3A%3Aerror file=README.md%3A%3Aforged.docx,title=")
        assert all(line.startswith("::error ") for line in gh.splitlines()[:-1])
    finally:
        (folder / name).unlink()


def test_github_format_escapes_properties_and_messages(folder: Path) -> None:
    name = "a%b,c:d\re.txt"
    (folder / name).write_text((folder / "w.txt").read_text(encoding="utf-8"), encoding="utf-8")
    try:
        out = run(["check", "--format", "github", "base.txt", name], cwd=folder).out
    finally:
        (folder / name).unlink()
    lines = out.split("\n")
    assert lines[-1] == "" and lines[-2].startswith("jiaokan check: ")
    annotations = lines[:-2]
    assert annotations and all(line.startswith("::error file=a%25b%2Cc%3Ad%0De.txt,line=") for line in annotations)
    for line in annotations:
        props, message = line[len("::error "):].split("::", 1)
        assert RAW.search(line) is None
        for prop in props.split(","):
            key, _, value = prop.partition("=")
            assert key in ("file", "line", "col", "endLine", "endColumn", "title")
            assert ":" not in value and "," not in value
        assert "%" not in message.replace("%25", "").replace("%0A", "").replace("%0D", "")
    assert "\\u001b]0;pwned" in out  # the message shows the escape sequence as text


class _Blocks(HTMLParser):
    """The page's script blocks and whether each ended where it began (no `</script>` inside)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.comments: list[str] = []
        self._in: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._in, self._text = dict(attrs), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in is not None:
            self.scripts.append((self._in, "".join(self._text)))
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self._text.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


EMBED = "</script><script>window.__x=1</script><!--<script>\u2028\u2029</SCRIPT >&lt;"


def _page(done: Result) -> tuple[str, _Blocks]:
    """A page a command wrote, checked for workflow commands, and its script blocks and comments."""
    assert done.code in (0, 1), done.err_bytes
    page = done.out
    assert _workflow_commands(page) == []
    parser = _Blocks()
    parser.feed(page)
    parser.close()
    return page, parser


def test_the_review_page_embeds_hostile_text_escaped(tmp_path: Path) -> None:
    base = tmp_path / "base.txt"
    base.write_text("关于加强数字政府建设的指导意见。\n\n各地区要抓好落实。\n", encoding="utf-8")
    witness = tmp_path / f"w{EMBED.replace('/', '')}.txt"  # in the name too (witness paths are embedded)
    witness.write_text(f"关于加强数字政府建设的指导意见。{EMBED}\n\n::error file=README.md::forged\n\n各地区要抓好落实。\n", encoding="utf-8")
    _, parser = _page(run(["review", str(base), str(witness)], cwd=tmp_path))
    assert len(parser.scripts) == 2, [a for a, _ in parser.scripts]  # the data and our own script, nothing more
    (data_attrs, data), (_code_attrs, _code) = parser.scripts
    assert data_attrs.get("type") == "application/json"
    for raw in ("<", ">", "\u2028", "\u2029"):
        assert raw not in data
    payload = json.loads(data)
    assert any("</script>" in str(m) or "<!--" in str(m) for m in json.dumps(payload, ensure_ascii=False).split('"'))
    assert str(witness) in payload["witnesses"] or any("</script" in w for w in payload["witnesses"])
    assert parser.comments == [] or all("<script>" not in c for c in parser.comments)


def test_the_trace_page_shows_hostile_text_as_text(tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text("关于加强数字政府建设的指导意见。\n\n各地区要抓好落实。\n", encoding="utf-8")
    derived = tmp_path / "derived.txt"
    derived.write_text(f"各地区要抓好落实。{EMBED}\n\n::add-mask::secret\n", encoding="utf-8")
    page, parser = _page(run(["trace", "--format", "html", str(source), str(derived)], cwd=tmp_path))
    assert parser.scripts == []  # the trace page has no script at all, and the text made none
    assert parser.comments == []
    assert "&lt;/script&gt;" in page
