"""Demo-data benchmarks: how long the heavy user takes to generate."""

from __future__ import annotations

import time

from bench.runner import Context, Measurement, benchmark, build_user


@benchmark("demo.heavy_generation", unit="s", goal="value < 60", database="fresh")
def heavy_generation(context: Context) -> Measurement:
    """Seconds to create and fill the heavy user in an empty database.

    The baseline is creating one bare account, the fixed cost inside every generation; the
    ratio grows as later capabilities add their rows to the generator.
    """
    from cairn.accounts.services import user_create
    from cairn.core.demo import DEMO_PASSWORD

    # The first account also pays for imports and the first connection: keep that out.
    user_create(email="warm-up@example.com", password=DEMO_PASSWORD)
    began = time.perf_counter()
    user_create(email="baseline@example.com", password=DEMO_PASSWORD)
    baseline = time.perf_counter() - began

    began = time.perf_counter()
    build_user(context.user_email, context.size_name)
    value = time.perf_counter() - began
    return Measurement(value=value, baseline=baseline)
