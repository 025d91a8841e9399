"""Demo data of 检护民生 for 伊金霍洛旗 2024, built from individual records through the services.

``build()`` is idempotent (a second run finds its records and does nothing) and deterministic
(``random.Random(2024)``). It works with or without the foundation demo: the banner's tree is
loaded if missing, and the procuratorate, its 控申 department and the administrative agencies are
looked up by kind, place and name, and created if absent.

What the 2024 report then prints (the article's figures): 制发检察建议4件 (the four food-and-drug
matters), 全部整改完毕; one wage claim whose 60-odd workers all received judicial aid; an early
intervention in a 缅北 fraud case with losses recovered; illegal-fundraising publicity.
"""

from __future__ import annotations

import datetime as dt
import decimal
import random

from django.db import transaction
from django.utils import timezone

from pingan.areas.models import Area
from pingan.areas.services import areas_load_banner
from pingan.core import idcard
from pingan.org.models import Agency, AgencyKind
from pingan.procuratorate import services
from pingan.procuratorate.models import (
    Field,
    FraudStage,
    LeadSource,
    Suggestion,
    Verification,
)

BANNER = "150627"
BANNER_CODE = "150627000000"
SEED = 2024
D = dt.date

TOWNS = {
    "阿勒腾席热镇": "150627100000", "札萨克镇": "150627101000", "乌兰木伦镇": "150627102000",
    "纳林陶亥镇": "150627103000", "红庆河镇": "150627105000",
}

# The four matters of the article, in its order: (lead, suggestion, reply), all of 2024.
SUGGESTIONS = [
    {
        "agency": "market", "town": "阿勒腾席热镇", "field": Field.FOOD_DRUG, "source": LeadSource.OWN,
        "received": D(2024, 3, 4), "served": D(2024, 3, 22), "replied": D(2024, 5, 10), "verified": D(2024, 6, 3),
        "number": "伊检行公建〔2024〕1号",
        "title": "关于督促加强对辖区商店销售过期食品监管的检察建议",
        "matter": "部分商店销售过期食品",
        "facts": "本院在履行公益诉讼检察职责中发现，阿勒腾席热镇等地部分便利店、小超市货架上存在超过保质期的"
                 "饮料、糕点、调味品等食品仍在销售，经营者未建立临期食品清理制度，危害不特定消费者身体健康。",
        "legal_basis": "《中华人民共和国食品安全法》第三十四条第十项、第五十四条、第一百二十四条；"
                       "《人民检察院公益诉讼办案规则》第七十五条。",
        "requirements": "一、对辖区商店销售超过保质期食品的问题开展专项检查，依法查处违法行为；"
                        "二、督促经营者落实进货查验记录和临期食品清理制度；三、建立常态化监管机制，防止问题反弹。",
        "reply": "收到检察建议后，我局立即开展食品安全专项检查，检查经营户312家，下架过期食品46批次，立案查处7家。",
        "rectification": "已对涉案经营者作出行政处罚，组织经营者签订食品安全承诺书，建立临期食品专区和定期巡查制度。",
    },
    {
        "agency": "health", "town": "红庆河镇", "field": Field.FOOD_DRUG, "source": LeadSource.HOTLINE,
        "received": D(2024, 4, 8), "served": D(2024, 4, 26), "replied": D(2024, 6, 14), "verified": D(2024, 7, 5),
        "number": "伊检行公建〔2024〕2号",
        "title": "关于督促依法查处村医非法售卖假药行为的检察建议",
        "matter": "村医非法售卖假药",
        "facts": "经12309检察服务热线反映并调查核实，红庆河镇某村卫生室乡村医生购进并向村民售卖无批准文号的"
                 "“祖传秘方”药品，经鉴定属于假药，村卫生室药品采购、使用管理存在漏洞。",
        "legal_basis": "《中华人民共和国药品管理法》第九十八条、第一百一十六条；《乡村医生从业管理条例》第二十八条、"
                       "第三十八条；《人民检察院公益诉讼办案规则》第七十五条。",
        "requirements": "一、依法查处涉事乡村医生的违法行为；二、对全旗村卫生室药品采购渠道和药品质量开展排查；"
                        "三、加强乡村医生执业培训和日常监督。",
        "reply": "我委会同市场监管部门对涉事村医依法处理，暂停其执业活动，并对全旗村卫生室开展药品质量专项排查。",
        "rectification": "排查村卫生室146家，规范药品统一采购配送，组织乡村医生依法执业培训2期。",
    },
    {
        "agency": "market", "town": "乌兰木伦镇", "field": Field.FOOD_DRUG, "source": LeadSource.OWN,
        "received": D(2024, 5, 6), "served": D(2024, 5, 24), "replied": D(2024, 7, 12), "verified": D(2024, 8, 2),
        "number": "伊检行公建〔2024〕3号",
        "title": "关于督促规范药店处方药销售管理的检察建议",
        "matter": "药店无处方销售氢溴酸右美沙芬",
        "facts": "本院调查发现，乌兰木伦镇等地部分零售药店在顾客未提供处方的情况下销售氢溴酸右美沙芬口服制剂，"
                 "该药已转为处方药管理，过量服用具有成瘾性，存在被未成年人滥用的风险。",
        "legal_basis": "《中华人民共和国药品管理法》第五十四条、第一百二十六条；《处方药与非处方药分类管理办法（试行）》"
                       "第八条；《药品经营质量管理规范》相关规定。",
        "requirements": "一、对辖区零售药店处方药销售情况开展专项检查；二、依法查处无处方销售处方药的行为；"
                        "三、督促药店落实处方审核和销售登记制度。",
        "reply": "我局对全旗零售药店开展处方药销售专项检查，责令12家药店限期整改，对3家药店依法立案查处。",
        "rectification": "全旗零售药店已全部落实处方药凭处方销售和执业药师审核制度，右美沙芬制剂实行专柜管理、实名登记。",
    },
    {
        "agency": "tobacco", "town": "阿勒腾席热镇", "field": Field.MINORS, "source": LeadSource.MEDIA,
        "received": D(2024, 6, 3), "served": D(2024, 6, 21), "replied": D(2024, 8, 9), "verified": D(2024, 9, 3),
        "number": "伊检行公建〔2024〕4号",
        "title": "关于督促规范自动售货机销售香烟的检察建议",
        "matter": "公共场所设置自动售货机销售香烟缺乏有效的年龄核验机制",
        "facts": "根据媒体报道线索，本院调查发现，辖区部分商场、酒店等公共场所设置的自动售货机销售香烟，"
                 "未设置任何年龄核验措施，未成年人可随意购买，侵害未成年人身心健康。",
        "legal_basis": "《中华人民共和国未成年人保护法》第五十九条、第一百零六条；《中华人民共和国烟草专卖法》"
                       "第五条；《人民检察院公益诉讼办案规则》第七十五条。",
        "requirements": "一、对辖区自动售货机销售香烟情况进行全面排查；二、督促经营者撤除或加装有效的年龄核验装置；"
                        "三、加强对烟草零售许可的监督管理。",
        "reply": "我局对辖区公共场所自动售货机开展排查，发现售烟设备9台，已责令经营者全部撤除售烟功能。",
        "rectification": "9台售烟自动售货机已全部撤除售烟功能，相关经营者已签订不向未成年人售烟承诺书。",
    },
]

HAN_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶闫"
GIVEN = "建国军伟强磊勇杰涛明超斌鹏辉刚峰飞宇浩波东亮平志海龙华文俊云德瑞凯鑫振宏永春成立新旭锋丽娜敏静燕芳霞玲"
MONGOL = ("巴特尔", "额尔敦", "那日苏", "朝鲁", "宝音", "苏和", "布和", "孟和", "毕力格", "巴图", "乌力吉", "图门")
REGIONS = ("150627", "150627", "150627", "150602", "150621", "150622", "150625", "152321", "612722", "142731")


def _agency(kind: str, area: Area, keywords: tuple[str, ...], name: str, short: str,
            parent: Agency | None = None) -> Agency:
    """The agency of ``kind`` at ``area`` whose name contains one of ``keywords``; created if absent."""
    for keyword in keywords:
        found = Agency.objects.filter(kind=kind, area=area, name__contains=keyword).order_by("pk").first()
        if found is not None:
            return found
    return Agency.objects.create(kind=kind, area=area, name=name, short_name=short, parent=parent)


def _person(rng: random.Random, seq: int) -> tuple[str, str]:
    mongol = rng.random() < 0.25
    name = rng.choice(MONGOL) if mongol else rng.choice(HAN_SURNAMES) + "".join(
        rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    born = D(rng.randint(1962, 2001), rng.randint(1, 12), rng.randint(1, 28))
    return name, idcard.make(rng.choice(REGIONS), born, seq)


def is_present(procuratorate: Agency) -> bool:
    return Suggestion.objects.filter(procuratorate=procuratorate, number=SUGGESTIONS[0]["number"]).exists()


def build(stdout=None) -> None:
    write = stdout.write if stdout is not None else (lambda text: None)
    areas_load_banner(banner_code=BANNER)
    banner = Area.objects.get(code=BANNER_CODE)
    proc = _agency(AgencyKind.PROCURATORATE, banner, ("检察院",), "伊金霍洛旗人民检察院", "检察院")
    if is_present(proc):
        write("检护民生演示数据已存在，跳过\n")
        return
    rng = random.Random(SEED)
    agencies = {
        "market": _agency(AgencyKind.ADMIN_AGENCY, banner, ("市场监督管理", "市场监管"), "伊金霍洛旗市场监督管理局",
                          "市场监管局"),
        "health": _agency(AgencyKind.ADMIN_AGENCY, banner, ("卫生健康",), "伊金霍洛旗卫生健康委员会", "卫健委"),
        "labour": _agency(AgencyKind.ADMIN_AGENCY, banner, ("人力资源和社会保障", "人社"), "伊金霍洛旗人力资源和社会保障局",
                         "人社局"),
        "tobacco": _agency(AgencyKind.ADMIN_AGENCY, banner, ("烟草专卖",), "伊金霍洛旗烟草专卖局", "烟草专卖局"),
    }
    kongshen = _agency(AgencyKind.PROCURATORATE_DEPT, banner, ("控告申诉", "控申"), "伊金霍洛旗人民检察院控告申诉检察部",
                       "控告申诉检察部", parent=proc)
    towns = {name: Area.objects.get(code=code) for name, code in TOWNS.items()}
    with transaction.atomic():
        _suggestions(proc, agencies, towns)
        workers = _wage_claim(rng, proc, agencies["labour"], kongshen, towns)
        _fraud(rng, proc, towns)
        _publicity(rng, proc, towns)
        _closed_lead(proc, towns)
        _pending_2025(proc, agencies["market"], towns)
    write(f"检护民生演示数据：检察建议{len(SUGGESTIONS)}件，讨薪农民工{workers}名，提前介入2件，防非宣传3场\n")


def _suggestions(proc: Agency, agencies: dict[str, Agency], towns: dict[str, Area]) -> None:
    for item in SUGGESTIONS:
        area = towns[item["town"]]
        lead = services.lead_register(
            actor=None, procuratorate=proc, area=area, field=item["field"], source=item["source"],
            subject=item["matter"], received_on=item["received"], description=item["facts"])
        assessed = item["received"] + dt.timedelta(days=7)
        services.lead_assess(actor=None, lead=lead, outcome="suggestion", on=assessed,
                             assessment="经调查核实，行政机关存在监管不到位情形，拟制发检察建议",
                             suggestion={k: item[k] for k in ("title", "matter", "facts", "legal_basis", "requirements")}
                             | {"addressed_agency": agencies[item["agency"]]})
        s = Suggestion.objects.get(lead=lead)
        services.suggestion_submit(actor=None, suggestion=s, on=assessed + dt.timedelta(days=3))
        services.suggestion_approve(actor=None, suggestion=s, number=item["number"], on=item["served"] - dt.timedelta(days=2))
        services.suggestion_serve(actor=None, suggestion=s, served_on=item["served"])
        services.suggestion_reply(actor=None, suggestion=s, reply=item["reply"], rectification=item["rectification"],
                                  replied_on=item["replied"])
        services.suggestion_start_verification(actor=None, suggestion=s, on=item["verified"] - dt.timedelta(days=5),
                                               note="实地回访检查整改情况")
        services.suggestion_verify(actor=None, suggestion=s, result=Verification.DONE, on=item["verified"],
                                   note="经实地核查，整改措施已落实到位")


def _wage_claim(rng: random.Random, proc: Agency, labour: Agency, kongshen: Agency, towns: dict[str, Area]) -> int:
    town = towns["札萨克镇"]
    lead = services.lead_register(
        actor=None, procuratorate=proc, area=town, field=Field.LABOUR, source=LeadSource.COMPLAINT,
        subject="札萨克镇安置小区二期工程施工承包人拖欠农民工工资", received_on=D(2024, 3, 11),
        description="数十名农民工联名反映，工程完工后施工承包人郝某军以各种理由拒不支付劳动报酬。")
    services.lead_assess(actor=None, lead=lead, outcome="case", on=D(2024, 3, 15), case_ref="伊检民（行）受〔2024〕9号",
                         assessment="涉及人数多、金额大，立案办理，并与公安机关、人社部门会商")
    claim = services.wage_claim_register(
        actor=None, procuratorate=proc, area=town, lead=lead, received_on=D(2024, 3, 15),
        project="札萨克镇安置小区二期建设工程", employer="伊金霍洛旗某房地产开发有限公司", contractor="郝某军",
        contractor_code=idcard.make("150627", D(1976, 5, 12), 31),  # a person: his ID number, kept encrypted
        summary="施工承包人郝某军承包该工程劳务后，拖欠农民工工资，经人社部门责令支付仍拒不支付。")
    count = rng.randint(61, 68)
    workers = []
    for seq in range(count):
        name, number = _person(rng, 100 + seq)
        owed = decimal.Decimal(rng.randint(60, 420) * 100)
        workers.append(services.wage_worker_add(actor=None, claim=claim, name=name, id_number=number, amount_owed=owed,
                                                audit=False))
    suit = services.support_suit_apply(actor=None, claim=claim, workers=workers, applied_on=D(2024, 4, 8))
    services.support_suit_advance(actor=None, suit=suit, action="review", on=D(2024, 4, 10))
    services.support_suit_advance(actor=None, suit=suit, action="issue", on=D(2024, 4, 19),
                                  document_ref="伊检民支诉〔2024〕3号")
    services.support_suit_advance(actor=None, suit=suit, action="court", on=D(2024, 4, 26), court="伊金霍洛旗人民法院",
                                  court_case_ref="（2024）内0627民初1873号")
    owed_total = sum((w.amount_owed for w in workers), decimal.Decimal("0.00"))
    services.support_suit_advance(actor=None, suit=suit, action="decide", on=D(2024, 7, 16),
                                  outcome="调解结案：确认承包人郝某军支付全部拖欠工资", amount_awarded=owed_total)
    p = services.prosecution_file(actor=None, claim=claim, case_ref="伊检刑诉〔2024〕87号", defendant="郝某军",
                                  court="伊金霍洛旗人民法院", filed_on=D(2024, 6, 18),
                                  police_case_ref="伊公（札）立字〔2024〕0412号")
    services.prosecution_judge(actor=None, prosecution=p, judged_on=D(2024, 9, 20),
                               judgment="被告人郝某军犯拒不支付劳动报酬罪，判处有期徒刑一年六个月，并处罚金人民币二万元")
    referral = services.aid_refer(actor=None, claim=claim, workers=workers, referred_to=kongshen,
                                  referred_on=D(2024, 6, 3), note="生活困难，工资短期内难以执行到位")
    decisions = [(w, True, decimal.Decimal(rng.randint(20, 50) * 100), "") for w in workers]
    services.aid_decide(actor=None, referral=referral, decided_on=D(2024, 7, 10), decisions=decisions)
    services.enforcement_record(actor=None, claim=claim, on=D(2024, 8, 28), court="伊金霍洛旗人民法院",
                                action="跟进执行：法院查封承包人名下车辆2辆、冻结银行账户1个")
    services.enforcement_record(actor=None, claim=claim, on=D(2024, 11, 20), court="伊金霍洛旗人民法院",
                                action="跟进执行：查封车辆依法拍卖，款项发放农民工",
                                amount_recovered=decimal.Decimal("186000.00"))
    services.suggestion_draft(
        actor=None, procuratorate=proc, area=proc.area, addressed_agency=labour, field=Field.LABOUR, wage_claim=claim,
        on=D(2024, 12, 16), title="关于督促加强农民工工资保证金存储监管的检察建议",
        matter="工程建设项目未按规定存储农民工工资保证金",
        facts="本院办理札萨克镇安置小区二期工程欠薪案件中发现，该项目施工总承包单位未按规定存储农民工工资保证金，"
              "主管部门未及时督促补存。",
        legal_basis="《保障农民工工资支付条例》第三十二条、第五十五条；《工程建设领域农民工工资保证金规定》。",
        requirements="一、对在建工程项目农民工工资保证金存储情况开展巡查；二、督促未存储的施工单位限期补存；"
                     "三、加强保障农民工工资支付政策宣传。")
    return count


def _fraud(rng: random.Random, proc: Agency, towns: dict[str, Area]) -> None:
    cross = services.fraud_intervention_register(
        actor=None, procuratorate=proc, area=towns["阿勒腾席热镇"], case_ref="伊公刑〔2024〕156号",
        case_name="王某某等人帮助缅北电信诈骗集团转移资金案", police_agency="伊金霍洛旗公安局",
        crime="帮助信息网络犯罪活动罪", cross_border=True, region="缅北", intervened_on=D(2024, 4, 16),
        opinion="引导公安机关固定资金流向、通讯记录等电子数据，追查上下游关联犯罪，及时冻结涉案账户。")
    for name, loss, share in (("张某", "86000.00", "0.60"), ("李某某", "153000.00", "0.45"),
                              ("乌某", "42000.00", "1.00"), ("刘某", "210000.00", "0.30"), ("赵某某", "27500.00", "1.00")):
        loss = decimal.Decimal(loss)
        recovered = (loss * decimal.Decimal(share)).quantize(decimal.Decimal("0.01"))
        services.fraud_victim_add(actor=None, intervention=cross, name=name, loss=loss, recovered=recovered,
                                  recovered_on=D(2024, rng.randint(8, 10), rng.randint(1, 28)))
    services.fraud_stage_set(actor=None, intervention=cross, stage=FraudStage.REVIEW, on=D(2024, 7, 2))
    services.fraud_stage_set(actor=None, intervention=cross, stage=FraudStage.PROSECUTED, on=D(2024, 8, 20))
    services.share_create(actor=None, record=cross, line="police", note="供公安机关跟进追赃挽损")
    local = services.fraud_intervention_register(
        actor=None, procuratorate=proc, area=towns["乌兰木伦镇"], case_ref="伊公刑〔2024〕233号",
        case_name="冒充电商客服“退款”诈骗案", police_agency="伊金霍洛旗公安局", crime="诈骗罪",
        intervened_on=D(2024, 7, 9), opinion="建议调取被害人转账记录和涉案手机号通话记录，查明诈骗资金去向。")
    services.fraud_victim_add(actor=None, intervention=local, name="高某", loss=decimal.Decimal("38600.00"),
                              recovered=decimal.Decimal("38600.00"), recovered_on=D(2024, 9, 12))
    services.fraud_stage_set(actor=None, intervention=local, stage=FraudStage.REVIEW, on=D(2024, 8, 30))


def _publicity(rng: random.Random, proc: Agency, towns: dict[str, Area]) -> None:
    for on, town, place in ((D(2024, 6, 14), "阿勒腾席热镇", "伊金霍洛旗市民广场"),
                            (D(2024, 6, 20), "札萨克镇", "札萨克镇集贸市场"),
                            (D(2024, 11, 8), "乌兰木伦镇", "乌兰木伦镇社区活动中心")):
        services.publicity_event_record(
            actor=None, procuratorate=proc, area=towns[town], held_on=on, place=place,
            forms="发放宣传资料、现场答疑解惑", materials=rng.randint(3, 8) * 100, audience=rng.randint(12, 40) * 10,
            note="以案释法，讲解非法集资常见手法，引导群众守好“钱袋子”")


def _closed_lead(proc: Agency, towns: dict[str, Area]) -> None:
    lead = services.lead_register(
        actor=None, procuratorate=proc, area=towns["纳林陶亥镇"], field=Field.ECOLOGY, source=LeadSource.PINGAN,
        source_ref="网格走访发现", subject="纳林陶亥镇某砂场夜间违规取土", received_on=D(2024, 9, 2),
        description="网格员走访中发现某砂场存在夜间取土、破坏草原植被的情况。")
    services.lead_assess(actor=None, lead=lead, outcome="close", on=D(2024, 9, 13),
                         reason="经核查，自然资源部门已立案查处并责令恢复植被，行政机关已依法履职，不予立案。")


def _pending_2025(proc: Agency, market: Agency, towns: dict[str, Area]) -> None:
    """One suggestion served in 2025 and still unanswered, so the home pages show an overdue reply."""
    served = D(2025, 3, 12)
    if timezone.localdate() <= services.add_months(served, 2):
        return
    s = services.suggestion_draft(
        actor=None, procuratorate=proc, area=towns["阿勒腾席热镇"], addressed_agency=market, field=Field.MINORS,
        on=D(2025, 2, 24), title="关于督促整治校园周边商店向未成年人销售电子烟的检察建议",
        matter="校园周边商店向未成年人销售电子烟",
        facts="本院在开展未成年人保护专项监督中发现，阿勒腾席热镇多所中小学周边商店向未成年人销售电子烟。",
        legal_basis="《中华人民共和国未成年人保护法》第五十九条、第一百一十八条；《电子烟管理办法》第十九条。",
        requirements="一、对校园周边商店开展专项检查；二、依法查处向未成年人销售电子烟的行为；三、建立常态化巡查机制。")
    services.suggestion_submit(actor=None, suggestion=s, on=D(2025, 2, 28))
    services.suggestion_approve(actor=None, suggestion=s, number="伊检行公建〔2025〕1号", on=D(2025, 3, 10))
    services.suggestion_serve(actor=None, suggestion=s, served_on=served)
