"""`python -m autobook_cli` = `autobook`."""

from autobook_cli.app import main

main()
