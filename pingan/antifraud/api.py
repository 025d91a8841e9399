from ninja import Router

router = Router(tags=["反电信网络诈骗"])
