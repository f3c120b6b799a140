"""The benchmark's modules live in scripts/bench/, outside the installed packages."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
