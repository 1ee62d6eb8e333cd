"""Entry point: `python run.py [--host H] [--port P]`, or `python run.py create-organiser ...`."""
import sys
from pathlib import Path

# Runs from a checkout without installing: platform/ is the source root.
sys.path.insert(0, str(Path(__file__).resolve().parent / "platform"))

from consult.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
