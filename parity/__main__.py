"""Allow `python -m parity` where the console script is not on PATH."""

from parity.cli import main

main()
