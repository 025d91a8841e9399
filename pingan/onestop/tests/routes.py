"""放管服一站式 routes in the permission matrix (see pingan/testing/matrix.py)."""

ROUTES: list = []
