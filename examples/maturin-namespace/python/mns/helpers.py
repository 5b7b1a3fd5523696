"""In `mns`, a package without __init__.py."""

HALF = 21


def main() -> None:
    print(HALF)
