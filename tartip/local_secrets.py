"""The secrets of a single-machine run (`make run`, `make dev`), kept in var/secrets.env.

`make run` writes the file once (`python -m tartip.local_secrets`), before any process starts;
the settings of every process read it, and so do the `manage.py` commands typed afterwards. The
environment wins over the file: a server configured through its environment never reads it.
A deployment sets the variables itself (docs/deployment.md) and has no such file.
"""

import os
import secrets
import sys
from pathlib import Path

import environ
from cryptography.fernet import Fernet

FILE_NAME = "secrets.env"

# Each secret and how a fresh one is made: the formats the settings check (tartip/env.py).
GENERATORS = {
    "SECRET_KEY": lambda: secrets.token_urlsafe(50),
    "FIELD_ENCRYPTION_KEY": lambda: Fernet.generate_key().decode(),
    "FIELD_HASH_KEY": lambda: secrets.token_urlsafe(48),
    "AUDIT_KEY": lambda: secrets.token_urlsafe(48),
}


def _earlier_development_key(var_dir: Path, name: str) -> str | None:
    """Before this file, development kept each key in var/dev-<name>: taking them over keeps the
    data already written under var/ readable."""
    key_file = var_dir / f"dev-{name.lower().replace('_', '-')}"
    return key_file.read_text().strip() if key_file.exists() else None


def write_secrets_file(path: Path) -> bool:
    """Write fresh secrets to `path`, readable by its owner only. An existing file is kept as it
    is (its keys protect data already written): returns whether a file was written."""
    values = {name: _earlier_development_key(path.parent, name) or make() for name, make in GENERATORS.items()}
    text = "".join(f"{name}={value}\n" for name, value in values.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    return True


def read_secrets_file(path: Path) -> None:
    """Put the file's secrets into the environment where it has none (the environment wins)."""
    if path.exists():
        environ.Env.read_env(path, overwrite=False)


if __name__ == "__main__":
    target = Path(sys.argv[1])
    if write_secrets_file(target):
        print(f"Secrets generated in {target} (keep it: it decrypts the data under {target.parent}/).")
