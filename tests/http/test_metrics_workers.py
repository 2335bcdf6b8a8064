"""/metrics of a server with several workers counts the requests of all of them."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.databases import ScratchDatabases
from tests.live import live_server

HEALTH_COUNT = re.compile(
    r'^newsfacts_http_requests_total\{method="GET",route="/healthz",status="200"\} (\S+)$', re.M
)
WORKER = re.compile(r'^newsfacts_worker\{pid="(\d+)"\} 1\.0$', re.M)


def test_metrics_add_up_every_worker(scratch_databases: ScratchDatabases) -> None:
    with live_server(scratch_databases.create("sqlite"), workers=2) as base:
        # Ready means one worker answers; the other may still be starting.
        deadline = time.monotonic() + 180
        while len(set(WORKER.findall(httpx.get(f"{base}/metrics", timeout=10).text))) < 2:
            assert time.monotonic() < deadline, "the second worker did not start"
            time.sleep(0.2)

        def probe(_: int) -> int:
            # A connection each, so the workers (which share the socket) both take some.
            with httpx.Client(timeout=10) as client:
                return client.get(f"{base}/healthz").status_code

        with ThreadPoolExecutor(max_workers=6) as pool:
            assert set(pool.map(probe, range(60))) == {200}
        for _ in range(6):
            with httpx.Client(timeout=10) as client:
                scraped = client.get(f"{base}/metrics")
            assert scraped.status_code == 200
            # Every scrape, whichever worker answers it, sees both workers and all 60 probes.
            assert len(set(WORKER.findall(scraped.text))) == 2, scraped.text
            assert [float(n) for n in HEALTH_COUNT.findall(scraped.text)] == [60.0]
            # Gauges of one worker's pool or process would pass for the service's: left out.
            assert "newsfacts_db_pool_" not in scraped.text
            assert "process_cpu_seconds_total" not in scraped.text
