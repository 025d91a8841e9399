from ninja import Router

router = Router(tags=["林草湖警长"])
