"""`python -m litmus.cli …`: the `litmus` command."""

import sys

from litmus.cli import main

sys.exit(main())
