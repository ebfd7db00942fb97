"""jiaokan collate: variant places, the majority, who shares whose readings, the base chosen."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from jiaokan import read_document, serialize
from jiaokan.collate import collate_documents

from .cli import run
from .conftest import COUNTY_002, VENDOR_001, XINHUA_000


@pytest.fixture(scope="module")
def family(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The vendor's copy, the county's, two copies made from the vendor's and one from the county's, and a summary."""
    folder = tmp_path_factory.mktemp("family")
    vendor = VENDOR_001.read_text(encoding="utf-8")
    county = COUNTY_002.read_text(encoding="utf-8")
    copies = {
        "a-from-001.txt": vendor.replace("數字政府建設專家委員會", "數字政府建設咨詢委員會"),
        "b-from-001.txt": vendor.replace("到2025年", "到2026年"),
        "c-from-002.txt": county.replace("统筹指导协调", "统一指导协调"),
    }
    paths = [VENDOR_001, COUNTY_002]
    for name, text in copies.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    return [*paths, XINHUA_000]


@pytest.fixture(scope="module")
def collation(family: list[Path]):  # type: ignore[no-untyped-def]
    return collate_documents([read_document(str(p)) for p in family])


def test_variant_places_and_majority(collation) -> None:  # type: ignore[no-untyped-def]
    paths = [c.path for c in collation.copies]
    places = {p.majority: dict(zip(paths, p.readings, strict=True)) for p in collation.places}
    assert set(places) == {"支撑", "提升", "2025", "多层级", "职能", "统筹", "专家"}
    county, summary = str(COUNTY_002), str(XINHUA_000)
    assert places["提升"][county] == "建设" and places["提升"][summary] == "提升"  # the summary has this sentence
    assert places["多层级"][county] == "多层次" and places["多层级"][summary] is None  # and not this one
    assert places["支撑"][county] == ""  # omitted


def test_who_copied_whom(collation) -> None:  # type: ignore[no-untyped-def]
    by_path = {c.path: c for c in collation.copies}
    child = next(c for p, c in by_path.items() if p.endswith("c-from-002.txt"))
    assert child.closest == str(COUNTY_002) and len(child.shared) == 4  # 支撑 and 职能 dropped, 建设, 多层次
    assert by_path[str(COUNTY_002)].closest == child.path
    assert by_path[str(XINHUA_000)].partial and by_path[str(XINHUA_000)].coverage < 0.2
    assert not by_path[str(VENDOR_001)].partial


def test_base_auto_is_the_copy_most_agree_with(collation) -> None:  # type: ignore[no-untyped-def]
    # 001 and 002 both differ from the other full copies in 3.8 substantive places on average; with the Xinhua page's
    # chrome set aside (docs/extract.md), the county copy accounts for more of the others' text (89% against 88%)
    assert collation.copies[collation.base].path == str(COUNTY_002)
    assert "89% of the other copies' text" in collation.why and "next, " + str(VENDOR_001) + ": 88%" in collation.why
    assert collation.chosen == "auto" and "substantive differences" in collation.why


def test_cli_json_html_and_base(family: list[Path], collation, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = run(["collate", *map(str, family), "-f", "json"])
    assert r.code == 1  # variant places
    data = json.loads(r.out)
    assert data == serialize.data(collation)
    schema = json.loads(resources.files("jiaokan").joinpath("schemas/collate-1.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    # the alignment table: the summary has text only in some rows
    summary_cells = [row["copies"][str(XINHUA_000)] for row in data["table"]]
    assert any(summary_cells) and summary_cells.count(None) > len(summary_cells) / 2
    given = run(["collate", *map(str, family), "--base", str(COUNTY_002), "-f", "json"])
    assert json.loads(given.out)["base"] == {"path": str(COUNTY_002), "chosen": "given", "why": f"{COUNTY_002} was given as the base"}
    page = tmp_path / "c.html"
    h = run(["collate", *map(str, family), "-f", "html", "-o", str(page)])
    assert h.code == 1, h.err
    text = page.read_text(encoding="utf-8")
    for k in range(len(family) - 1):
        assert f'data-w="{k}"' in text  # a column (and a chooser) per copy besides the base
    one = run(["collate", str(VENDOR_001)])
    assert one.code == 2 and one.err.startswith("jiaokan: error: collate needs at least two copies")
