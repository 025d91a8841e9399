"""Who sees what: the procuratorate its jurisdiction; a liaison only what was served on its own
agency; police, justice and grid users nothing unless it was shared with their line."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from pingan.core.scope import NotVisible, get_visible_or_404
from pingan.procuratorate import services
from pingan.procuratorate.models import (
    Event,
    FraudIntervention,
    Lead,
    Share,
    Suggestion,
    SuggestionReply,
    WageClaim,
    WageWorker,
)
from pingan.procuratorate.tests.helpers import admin_agency, draft, procuratorate, served
from pingan.testing.factories import area
from pingan.testing.personas import BANNER, SIBLING_TOWNSHIP, TOWNSHIP, VILLAGE

pytestmark = pytest.mark.django_db

OTHER_LINES = ["hq_officer", "station_chief", "village_officer", "grid_worker", "justice_clerk", "judicial_office",
               "legal_literate"]


def _lead(code=TOWNSHIP):
    return services.lead_register(actor=None, procuratorate=procuratorate(), area=area(code), field="food_drug",
                                  source="own", subject="过期食品", received_on=dt.date(2024, 2, 1))


def test_the_prosecutor_of_the_banner_sees_every_record_of_it(persona):
    prosecutor = persona("prosecutor")
    s, lead = draft(), _lead(SIBLING_TOWNSHIP)
    assert set(Suggestion.objects.visible_to(prosecutor)) == {s}
    assert set(Lead.objects.visible_to(prosecutor)) == {lead}


def test_a_liaison_sees_only_what_was_served_on_their_own_agency(persona):
    liaison = persona("liaison")
    own, other = liaison.agency, admin_agency("卫生健康委员会")
    mine, theirs, unsent = served(own), served(other, title="给卫健委的"), draft(own, title="草稿")
    assert list(Suggestion.objects.visible_to(liaison)) == [mine]
    for hidden in (theirs, unsent):
        with pytest.raises(NotVisible):
            get_visible_or_404(Suggestion, liaison, pk=hidden.pk)
    _lead()
    assert not Lead.objects.visible_to(liaison).exists()


def test_a_liaison_sees_the_trail_of_their_suggestion_but_not_its_internal_steps(persona, client_as):
    from pingan.procuratorate.selectors import trail

    liaison = persona("liaison")
    s = served(liaison.agency)
    actions = [e.action for e in trail(liaison, s)]
    assert actions == ["送达"]
    assert [e.action for e in trail(persona("prosecutor"), s)][:3] == ["起草", "提请审批", "批准制发"]


def test_the_liaison_replies_but_may_not_approve_or_serve(persona):
    liaison = persona("liaison")
    s = served(liaison.agency)
    reply = services.suggestion_reply(actor=liaison, suggestion=s, reply="已整改")
    assert (reply.via, reply.replied_by) == ("平安乡村", liaison)
    assert SuggestionReply.objects.visible_to(liaison).get() == reply
    with pytest.raises(PermissionDenied):
        services.suggestion_start_verification(actor=liaison, suggestion=s)
    other = served(admin_agency("卫生健康委员会"), title="别家的")
    with pytest.raises(NotVisible):
        services.suggestion_reply(actor=liaison, suggestion=other, reply="不是我们的")


@pytest.mark.parametrize("login", OTHER_LINES)
def test_police_justice_and_grid_users_see_nothing_unless_it_was_shared(persona, login):
    user = persona(login)
    code = VILLAGE if login in ("village_officer", "grid_worker", "legal_literate") else TOWNSHIP
    served(code=code), _lead(code)
    for model in (Suggestion, Lead, WageClaim, FraudIntervention, Event):
        assert not model.objects.visible_to(user).exists(), model


def test_a_share_opens_a_record_to_one_line_only_and_can_be_withdrawn(persona):
    chief, clerk = persona("station_chief"), persona("justice_clerk")
    lead = _lead()
    share = services.share_create(actor=persona("prosecutor"), record=lead, line="police", note="请协助核查")
    assert list(Lead.objects.visible_to(chief)) == [lead]
    assert not Lead.objects.visible_to(clerk).exists()
    assert not Suggestion.objects.visible_to(chief).exists()  # only that record
    with pytest.raises(PermissionDenied):
        services.lead_assess(actor=chief, lead=lead, outcome="close", reason="x")
    services.share_revoke(actor=persona("prosecutor"), share=share)
    assert not Lead.objects.visible_to(chief).exists()


def test_a_share_still_respects_the_jurisdiction(persona):
    lead = _lead(SIBLING_TOWNSHIP)
    Share.objects.create(record_type="lead", record_id=lead.pk, line="police")
    assert not Lead.objects.visible_to(persona("station_chief")).exists()
    assert Lead.objects.visible_to(persona("hq_officer")).exists()


def test_a_claim_shared_with_an_agency_opens_to_its_liaison_with_its_workers(persona):
    liaison = persona("liaison")
    claim = services.wage_claim_register(actor=None, procuratorate=procuratorate(), area=area(TOWNSHIP),
                                         project="安置小区", contractor="郝某", received_on=dt.date(2024, 3, 1))
    from pingan.core import idcard

    services.wage_worker_add(actor=None, claim=claim, name="王强", amount_owed="5000.00",
                             id_number=idcard.make("150824", dt.date(1980, 1, 1), 11))
    assert not WageWorker.objects.visible_to(liaison).exists()
    services.share_create(actor=None, record=claim, agency=liaison.agency, note="请核查工资保证金")
    assert WageWorker.objects.visible_to(liaison).count() == 1


def test_sharing_with_the_administrative_line_as_a_whole_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="行政机关请选择具体单位"):
        services.share_create(actor=None, record=_lead(), line="admin")


def test_another_banners_prosecutor_sees_nothing_here(persona):
    from pingan.accounts.models import User

    draft()
    other = User.objects.create(username="p2", role="prosecutor", jurisdiction=area("152922000000"),
                                agency=procuratorate("152922000000"))
    assert not Suggestion.objects.visible_to(other).exists()
    assert BANNER  # the persona's banner is 150824
