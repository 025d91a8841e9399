"""后台任务 routes in the permission matrix (see pingan/testing/matrix.py)."""

ROUTES: list = []
