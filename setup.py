"""Packages app/ and, as app/migrations inside it, the repository's top-level migrations/."""

from setuptools import find_namespace_packages, setup

# The migrations stay at the repository root (alembic.ini, `make check-migrations`); a wheel
# carries them inside the package, where app/core/db.py looks first.
setup(
    packages=[
        *find_namespace_packages(include=["app", "app.*"], exclude=["*.__pycache__"]),
        "app.migrations",
        "app.migrations.versions",
    ],
    package_dir={"app.migrations": "migrations", "app.migrations.versions": "migrations/versions"},
)
