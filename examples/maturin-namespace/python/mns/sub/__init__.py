from .native import answer

__all__ = ["answer", "main"]


def main() -> None:
    print(answer())
