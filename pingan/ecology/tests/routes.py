"""林草湖警长 routes in the permission matrix (see pingan/testing/matrix.py)."""

ROUTES: list = []
