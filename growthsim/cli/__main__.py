"""``python -m growthsim.cli``: the same command line as the ``growthsim`` script."""

from . import main

main()
