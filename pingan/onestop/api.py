from ninja import Router

router = Router(tags=["放管服一站式"])
