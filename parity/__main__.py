"""Allow `python -m parity` where the console script is not on PATH."""

from parity.cli.entry import main

main()
