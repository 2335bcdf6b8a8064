"""`python -m app`: the newsfacts command line, as the `newsfacts` script runs it."""

from app.cli import main

if __name__ == "__main__":
    main()
