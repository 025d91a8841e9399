from ninja import Router

router = Router(tags=["案件与专项行动"])
