"""Run inside the peer's virtual environment: create tenants the way a django-tenants
project does (Client.save() creates the schema and migrates it), timing each one.

    python driver.py provision PREFIX START COUNT   # prints one line: JSON list of ms
"""

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerproject.settings")
import django

django.setup()

from customers.models import Client  # noqa: E402


def provision(prefix, start, count):
    times = []
    for i in range(start, start + count):
        began = time.perf_counter()
        Client(schema_name=f"{prefix}{i:05d}", name=f"{prefix}{i}").save()
        times.append((time.perf_counter() - began) * 1000)
    return times


if __name__ == "__main__":
    _, command, prefix, start, count = sys.argv
    assert command == "provision"
    print(json.dumps(provision(prefix, int(start), int(count))))
