"""Start the supportive-care planner: python main.py [--db PATH] [--smoke]."""

from planner.ui.app import run

if __name__ == "__main__":
    raise SystemExit(run())
