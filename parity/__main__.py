"""Allow `python -m parity` where the console script is not on PATH."""

from parity._entry import main

main()
