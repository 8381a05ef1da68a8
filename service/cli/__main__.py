"""``python -m service.cli``: the same command as ``nastavnik`` (the tests run it this way, with
the interpreter of their own virtual environment)."""

from service.cli import main

main()
