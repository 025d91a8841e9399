from ninja import Router

router = Router(tags=["后台任务"])
