"""``python -m tst``: the ``tst`` command."""

from __future__ import annotations

import sys

from tst.cli import main

if __name__ == "__main__":
    sys.exit(main())
