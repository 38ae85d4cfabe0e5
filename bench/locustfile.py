"""Load test for `make bench` (bench/run.py): logged-in users on loopback, mostly reading
(overview, filters, kommune pages, follow-up list), one request in ten a write (a follow-up's
status). Sessions are prepared by run.py (BENCH_SESSIONS) so no login is part of the load.
BENCH_THINK="lo,hi": seconds each user waits between requests (run.py sets it)."""

import itertools
import json
import os
import random
import string
from pathlib import Path

from locust import FastHttpUser, between, task

SPEC = json.loads(Path(os.environ["BENCH_SESSIONS"]).read_text())
POOL = itertools.cycle(SPEC["users"])
AAR = SPEC["aar"]
THINK = [float(x) for x in os.environ.get("BENCH_THINK", "2,6").split(",")]


class Bruker(FastHttpUser):
    wait_time = between(*THINK)

    def on_start(self):
        self.me = next(POOL)
        self.csrf = "".join(random.choices(string.ascii_letters + string.digits, k=32))
        self.cookie = f"sessionid={self.me['session']}; csrftoken={self.csrf}"

    def get(self, path, name):
        self.client.get(path, headers={"Cookie": self.cookie}, name=name)

    @task(3)
    def overview(self):
        self.get(f"/oversikt/?aar={AAR}", "oversikt")

    @task(2)
    def overview_filtered(self):
        self.get(f"/oversikt/?aar={AAR}&fylke={SPEC['fylke']}&under=on&forrige=on&hele_landet=on", "oversikt filter")

    @task(3)
    def kommune(self):
        self.get(f"/kommuner/{random.choice(self.me['kommuner'])}/", "kommune")

    @task(1)
    def oppfolging(self):
        self.get("/oppfolging/", "oppfolging")

    @task(1)
    def write(self):
        if not self.me["punkter"]:  # kommune users do not write follow-ups: read instead
            return self.kommune()
        pk = random.choice(self.me["punkter"])
        self.client.post(f"/oppfolging/{pk}/", data={"status": random.choice(["aapen", "paagaar"]), "kommentar": ""},
                         headers={"Cookie": self.cookie, "X-CSRFToken": self.csrf}, name="skriv status",
                         allow_redirects=False)
