"""Build src/jiaokan/data/character-classes.txt: characters.compute_classes() for this Python's Unicode version.

    python benchmarks/gen_characters.py

jiaokan reads the file instead of scanning every code point (about 65 ms a run) when the running Python's
``unicodedata.unidata_version`` is the one it was built from, and computes the classes otherwise;
tests/test_start.py checks the file against ``unicodedata``.  Rebuild it when the derivation in
``jiaokan.characters`` changes, or to follow a newer Python's Unicode.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from jiaokan.characters import CLASSES_DATA, class_code_points, classes_data  # noqa: E402


def main() -> None:
    out = ROOT / "src" / "jiaokan" / CLASSES_DATA
    out.write_text(classes_data(unicodedata.unidata_version, class_code_points()), encoding="ascii")
    print(f"{out}: Unicode {unicodedata.unidata_version}, {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
