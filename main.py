"""Start the supportive-care planner: python main.py [--db PATH] [--smoke]."""

# The record's modules (plain Python: the storage, its services and their values) are imported
# before Qt. Once PySide6 is loaded, it reads the source of every module imported after it (its
# `__feature__` switch looks for the word "PySide6"): ~40 modules read for nothing at every
# start (docs/decisions.md, "Speed targets").
import planner.services.patient_record  # noqa: F401  (imported first for its order)
from planner.ui.app import run

if __name__ == "__main__":
    raise SystemExit(run())
