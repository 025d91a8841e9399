"""The suggestion's state machine, its deadlines and the overdue flag."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from pingan.procuratorate import services
from pingan.procuratorate.models import Event, Suggestion, SuggestionStatus, Verification, add_months
from pingan.procuratorate.tests.helpers import admin_agency, draft, served

pytestmark = pytest.mark.django_db
S = SuggestionStatus


def test_a_suggestion_goes_from_draft_to_rectified_and_keeps_the_whole_trail():
    s = served(served_on=dt.date(2024, 3, 22))
    assert s.status == S.AWAITING_REPLY and s.number == "乌检行公建〔2024〕1号"
    services.suggestion_reply(actor=None, suggestion=s, reply="已开展专项检查", rectification="下架过期食品46批次",
                              replied_on=dt.date(2024, 5, 10))
    services.suggestion_start_verification(actor=None, suggestion=s, on=dt.date(2024, 5, 29))
    s = services.suggestion_verify(actor=None, suggestion=s, result=Verification.DONE, on=dt.date(2024, 6, 3))
    assert (s.status, s.verification, s.closed_on) == (S.RECTIFIED, Verification.DONE, dt.date(2024, 6, 3))
    trail = list(Event.objects.filter(record_type="suggestion", record_id=s.pk).values_list("to_status", flat=True))
    assert trail == [S.DRAFT, S.REVIEW, S.TO_SERVE, S.AWAITING_REPLY, S.REPLIED, S.VERIFYING, S.RECTIFIED]


def test_the_reply_is_due_two_months_after_service_by_default():
    assert served(served_on=dt.date(2024, 3, 22)).reply_deadline == dt.date(2024, 5, 22)


def test_the_deadline_keeps_to_the_end_of_a_shorter_month():
    assert add_months(dt.date(2023, 12, 31), 2) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 12, 31), 2) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 11, 15), 3) == dt.date(2025, 2, 15)


def test_the_period_and_the_deadline_itself_can_be_set():
    assert served(months=3, served_on=dt.date(2024, 3, 22)).reply_deadline == dt.date(2024, 6, 22)
    explicit = served(served_on=dt.date(2024, 3, 22), reply_deadline=dt.date(2024, 4, 30), title="另一份")
    assert explicit.reply_deadline == dt.date(2024, 4, 30)
    with pytest.raises(ValidationError, match="回复期限须晚于送达日期"):
        served(served_on=dt.date(2024, 3, 22), reply_deadline=dt.date(2024, 3, 22), title="第三份")


def test_overdue_is_computed_from_the_deadline_and_the_state_never_stored():
    s = served(served_on=dt.date(2024, 3, 1))  # due 2024-05-01
    assert not s.is_overdue(dt.date(2024, 5, 1))
    assert s.is_overdue(dt.date(2024, 5, 2))
    assert list(Suggestion.objects.overdue(dt.date(2024, 5, 2))) == [s]
    assert not Suggestion.objects.overdue(dt.date(2024, 5, 1)).exists()
    services.suggestion_reply(actor=None, suggestion=s, reply="已整改", replied_on=dt.date(2024, 5, 20))
    s.refresh_from_db()
    assert not s.is_overdue(dt.date(2024, 6, 1))
    assert not s.replies.get().on_time  # answered, but late


def test_an_illegal_step_is_refused_in_chinese_naming_the_state():
    s = draft()
    with pytest.raises(ValidationError) as exc:
        services.suggestion_serve(actor=None, suggestion=s, served_on=dt.date(2024, 3, 1))
    assert "检察建议当前状态为“起草”，不能送达" in exc.value.messages[0]
    with pytest.raises(ValidationError, match="不能回复"):
        services.suggestion_reply(actor=None, suggestion=s, reply="x")
    with pytest.raises(ValidationError, match="不能认定整改到位"):
        services.suggestion_verify(actor=None, suggestion=s, result=Verification.DONE)
    s.refresh_from_db()
    assert s.status == S.DRAFT


def test_every_step_of_the_table_has_a_chinese_label_and_real_states():
    for key, step in services.SUGGESTION_FLOW.items():
        assert step.label and step.target in S.values and set(step.sources) <= set(S.values), key


def test_it_may_not_verify_before_the_deadline_without_a_reply_but_may_after_it():
    s = served(served_on=dt.date(2024, 3, 1))
    with pytest.raises(ValidationError, match="须待被建议单位回复后再核查"):
        services.suggestion_start_verification(actor=None, suggestion=s, on=dt.date(2024, 4, 1))
    s = services.suggestion_start_verification(actor=None, suggestion=s, on=dt.date(2024, 5, 10))
    assert s.status == S.VERIFYING
    assert Event.objects.filter(record_id=s.pk, action="逾期未回复，径行核查").exists()


def test_partial_rectification_puts_it_under_follow_up_with_a_new_deadline_then_litigation():
    s = served(served_on=dt.date(2024, 3, 1))
    services.suggestion_reply(actor=None, suggestion=s, reply="部分整改", replied_on=dt.date(2024, 4, 20))
    services.suggestion_start_verification(actor=None, suggestion=s, on=dt.date(2024, 5, 6))
    s = services.suggestion_verify(actor=None, suggestion=s, result=Verification.PARTIAL, on=dt.date(2024, 5, 10))
    assert (s.status, s.reply_deadline) == (S.FOLLOW_UP, dt.date(2024, 7, 10))
    assert s.is_overdue(dt.date(2024, 7, 11))
    services.suggestion_remind(actor=None, suggestion=s, on=dt.date(2024, 7, 15))
    assert Event.objects.get(record_id=s.pk, action="催告回复").note.startswith("已逾期5天")
    with pytest.raises(ValidationError, match="须填写公益诉讼案号"):
        services.suggestion_litigate(actor=None, suggestion=s, litigation_ref="", on=dt.date(2024, 7, 20))
    s = services.suggestion_litigate(actor=None, suggestion=s, litigation_ref="（2024）内0824行初5号",
                                     on=dt.date(2024, 7, 20))
    assert s.status == S.LITIGATION


def test_a_suggestion_under_follow_up_can_be_issued_again_linked_to_the_first():
    s = served(served_on=dt.date(2024, 3, 1))
    services.suggestion_start_verification(actor=None, suggestion=s, on=dt.date(2024, 5, 6))
    services.suggestion_verify(actor=None, suggestion=s, result=Verification.NONE, on=dt.date(2024, 5, 10))
    again = services.suggestion_reissue(actor=None, suggestion=s, on=dt.date(2024, 5, 12))
    assert (again.status, again.previous_id, again.title, again.number) == (S.DRAFT, s.pk, s.title, "")


def test_approval_numbers_the_documents_in_sequence_and_refuses_a_used_number():
    first, second = served(), served(title="第二份")
    assert (first.number, second.number) == ("乌检行公建〔2024〕1号", "乌检行公建〔2024〕2号")
    third = draft(title="第三份")
    services.suggestion_submit(actor=None, suggestion=third, on=dt.date(2024, 1, 5))
    with pytest.raises(ValidationError, match="已被使用"):
        services.suggestion_approve(actor=None, suggestion=third, number=first.number, on=dt.date(2024, 1, 10))


def test_only_a_draft_can_be_edited_and_only_to_an_administrative_agency():
    s = draft()
    with pytest.raises(ValidationError):
        services.suggestion_update(actor=None, suggestion=s, addressed_agency=s.procuratorate)
    services.suggestion_update(actor=None, suggestion=s, title="新标题", addressed_agency=admin_agency("卫生健康委员会"))
    s = served()
    with pytest.raises(ValidationError, match="只有起草状态可以修改"):
        services.suggestion_update(actor=None, suggestion=s, title="改")


def test_a_draft_may_lack_its_legal_basis_but_cannot_go_for_approval_without_it():
    s = draft(legal_basis="", requirements="")
    with pytest.raises(ValidationError, match="提请审批前须填写：法律依据、建议事项"):
        services.suggestion_submit(actor=None, suggestion=s)


def test_the_daily_job_reminds_each_overdue_suggestion_once_a_week():
    from django.core.management import call_command

    overdue, fresh = served(served_on=dt.date(2024, 3, 1)), served(served_on=dt.date.today(), title="新的")
    call_command("proc_remind")
    call_command("proc_remind")
    reminders = Event.objects.filter(action="催告回复")
    assert [e.record_id for e in reminders] == [overdue.pk]
    assert fresh.pk not in [e.record_id for e in reminders]
