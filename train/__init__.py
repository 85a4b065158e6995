"""Offline PyTorch training for digitpad's networks: ``python -m train <command>``."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# One rendering path: training imports the very digitpad package the page runs.
sys.path.insert(0, str(ROOT / "py"))
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # steadier epochs when the CPU is shared
