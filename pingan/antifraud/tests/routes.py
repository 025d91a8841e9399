"""反电信网络诈骗 routes in the permission matrix (see pingan/testing/matrix.py)."""

ROUTES: list = []
