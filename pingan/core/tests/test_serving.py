"""The app server's start-up step (pingan/serving.py), run by pingan.wsgi and pingan.asgi."""

import gc

from pingan.serving import prepare_for_requests


def test_start_up_objects_are_frozen_out_of_the_collectors_walks():
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        prepare_for_requests()
        frozen = gc.get_freeze_count()
        # the modules, URL patterns and models of the whole project: far more than a bare interpreter has
        assert frozen > 50_000
        objects_walked = len(gc.get_objects())
        assert objects_walked < frozen / 5  # a full collection now walks a small part of the process
    finally:
        gc.unfreeze()


def test_the_wsgi_and_asgi_entry_points_prepare_the_process(monkeypatch):
    import importlib

    import pingan.asgi
    import pingan.serving
    import pingan.wsgi

    calls = []
    monkeypatch.setattr(pingan.serving, "prepare_for_requests", lambda: calls.append(1))
    for module in (pingan.wsgi, pingan.asgi):
        importlib.reload(module)
    assert len(calls) == 2
