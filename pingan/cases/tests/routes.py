"""案件与专项行动 routes in the permission matrix (see pingan/testing/matrix.py)."""

ROUTES: list = []
