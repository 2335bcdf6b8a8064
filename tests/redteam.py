"""Red team: flood a local newsfacts with rotating bogus API keys, beside one real client.

    python -m tests.redteam http://127.0.0.1:8000 --real-key nf_... --requests 2000

Each attack request carries a bogus key never sent before (`Bearer nf_<n>_bogus`), the trick
that used to buy a fresh rate-limit bucket per request and evict real clients' buckets. The
report says how many attack requests got through (at most the address's limit, plus what
refilled meanwhile) and what the real client's bucket holds before and after (it must not have
been reset to full). Loopback only, bounded in requests (MAX_REQUESTS) and time (MAX_SECONDS).
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import sys
import time
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

import httpx

MAX_REQUESTS = 20_000
MAX_SECONDS = 300.0
PATH = "/v1/articles"


@dataclass
class Report:
    """What the attack achieved."""

    attack_requests: int
    attack_allowed: int
    attack_refused: int
    first_refused_at: int | None
    real_remaining_before: int
    real_remaining_after: int
    real_status_after: int
    limit: int
    seconds: float


def check_loopback(base: str) -> None:
    """Refuse any target but this machine."""
    host = urlsplit(base).hostname or ""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise SystemExit(f"refusing {base}: the red team only attacks 127.0.0.1 or ::1")


def attack(base: str, real_key: str, requests: int) -> Report:
    """Run the attack against `base` and report (see the module doc)."""
    check_loopback(base)
    requests = min(requests, MAX_REQUESTS)
    real = {"Authorization": f"Bearer {real_key}"}
    started = time.monotonic()
    with httpx.Client(base_url=base, timeout=10) as client:
        before = client.get(PATH, headers=real)
        if before.status_code != 200:
            raise SystemExit(f"the real client is refused before the attack: {before.status_code}")
        allowed = refused = 0
        first_refused: int | None = None
        for number in range(requests):
            if time.monotonic() - started > MAX_SECONDS:
                break
            answer = client.get(PATH, headers={"Authorization": f"Bearer nf_{number:012x}_bogus"})
            if answer.status_code == 429:
                refused += 1
                first_refused = number if first_refused is None else first_refused
            else:
                allowed += 1
        after = client.get(PATH, headers=real)
    return Report(
        attack_requests=allowed + refused,
        attack_allowed=allowed,
        attack_refused=refused,
        first_refused_at=first_refused,
        real_remaining_before=int(before.headers["ratelimit-remaining"]),
        real_remaining_after=int(after.headers.get("ratelimit-remaining", -1)),
        real_status_after=after.status_code,
        limit=int(before.headers["ratelimit-limit"]),
        seconds=round(time.monotonic() - started, 3),
    )


def main(argv: list[str] | None = None) -> None:
    """Command line: print the report as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base", help="the API's base URL, on 127.0.0.1 or ::1")
    parser.add_argument("--real-key", required=True, help="a valid API key (the real client)")
    parser.add_argument("--requests", type=int, default=2000, help=f"at most {MAX_REQUESTS}")
    args = parser.parse_args(argv)
    report = attack(args.base, args.real_key, args.requests)
    json.dump(asdict(report), sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
