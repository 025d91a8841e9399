"""What an app server process does once, after loading the application and before its first request.

A Django process holds ~380,000 long-lived objects (modules, URL patterns, models, compiled templates).
Python's garbage collector walks all of them in each full collection: ~200 ms, once every few hundred
requests of a worker, and always in the middle of someone's page (bench/RESULTS.md: 205 ms, 14 ms
once frozen). ``gc.freeze()`` moves what is alive at start-up into a permanent
generation the collector no longer walks; what requests allocate is collected as before."""

import gc


def prepare_for_requests() -> None:
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module now, not on the first request
    get_template("base.html")  # the layout every page extends, compiled once (cached loader)
    gc.collect()  # what start-up left as garbage is freed, not frozen
    gc.freeze()
