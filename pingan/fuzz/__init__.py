"""Fuzzing and property-based tests (issue 8, item 6 b and c).

* ``test_api_schema.py`` — Schemathesis against ``/api/openapi.json``, in process through the WSGI
  application, with a real Bearer token per operation (marker ``apifuzz``).
* ``pingan/core/tests/test_properties.py`` — Hypothesis properties of the ID-number validator, the
  address normaliser and place resolution, and the import cell parsers.

``profiles`` registers the Hypothesis profiles (``ci``, the default, and ``dev``); ``summary``
prints the figures (requests generated, failures, Hypothesis examples) at the end of a pytest run.
"""
