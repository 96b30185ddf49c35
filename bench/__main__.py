"""`python -m bench …`: the child side of the runner, started by `cairn bench` in a subprocess
whose environment points at the bench database."""

import sys

from bench.runner import child_main

sys.exit(child_main(sys.argv[1:]))
