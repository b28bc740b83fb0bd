"""`python -m bot <command>`: the project's command line.

Commands:
  rasa ARGS...   run Rasa's own CLI with our settings exported (train, run, shell...)
  classify       one message per line on stdin -> one JSON classification per line
"""

from __future__ import annotations

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
