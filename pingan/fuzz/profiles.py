"""Hypothesis profiles. ``ci`` (the default) is bounded and derandomised, so a CI run is
reproducible and takes seconds; ``dev`` tries many more examples with a fresh seed each run:

    HYPOTHESIS_PROFILE=dev .venv/bin/pytest pingan/core/tests/test_properties.py pingan/fuzz

Neither keeps an example database (failures print their ``@reproduce_failure`` blob instead);
Hypothesis still caches in ``.hypothesis/``, which it git-ignores itself.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=300, deadline=None, derandomize=True, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev", max_examples=3000, deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)
