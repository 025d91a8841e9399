from django.urls import path

from pingan.procuratorate.views import common, fraud, leads, suggestions, wages

app_name = "procuratorate"
urlpatterns = [
    path("", common.index, name="index"),
    path("shared/", common.shared, name="shared"),
    path("attachments/<int:pk>/", common.attachment_download, name="attachment"),
    path("records/<str:record_type>/<int:pk>/attach/", common.attach, name="attach"),
    path("records/<str:record_type>/<int:pk>/share/", common.share, name="share"),
    path("shares/<int:pk>/revoke/", common.share_revoke, name="share_revoke"),

    path("leads/", leads.lead_list, name="lead_list"),
    path("leads/new/", leads.lead_create, name="lead_create"),
    path("leads/<int:pk>/", leads.lead_detail, name="lead_detail"),
    path("leads/<int:pk>/assess/", leads.lead_assess, name="lead_assess"),

    path("suggestions/", suggestions.suggestion_list, name="suggestion_list"),
    path("suggestions/new/", suggestions.suggestion_create, name="suggestion_create"),
    path("suggestions/<int:pk>/", suggestions.suggestion_detail, name="suggestion_detail"),
    path("suggestions/<int:pk>/edit/", suggestions.suggestion_edit, name="suggestion_edit"),
    path("suggestions/<int:pk>/action/", suggestions.suggestion_action, name="suggestion_action"),
    path("suggestions/<int:pk>/reply/", suggestions.suggestion_reply, name="suggestion_reply"),

    path("claims/", wages.claim_list, name="claim_list"),
    path("claims/new/", wages.claim_create, name="claim_create"),
    path("claims/<int:pk>/", wages.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/workers/", wages.worker_add, name="worker_add"),
    path("claims/<int:pk>/prosecutions/", wages.prosecution_add, name="prosecution_add"),
    path("claims/<int:pk>/support/", wages.support_apply, name="support_apply"),
    path("claims/<int:pk>/referrals/", wages.referral_add, name="referral_add"),
    path("claims/<int:pk>/enforcements/", wages.enforcement_add, name="enforcement_add"),
    path("claims/<int:pk>/close/", wages.claim_close, name="claim_close"),
    path("prosecutions/<int:pk>/judgment/", wages.prosecution_judge, name="prosecution_judge"),
    path("support/<int:pk>/step/", wages.support_step, name="support_step"),
    path("referrals/<int:pk>/decide/", wages.referral_decide, name="referral_decide"),

    path("fraud/", fraud.fraud_list, name="fraud_list"),
    path("fraud/new/", fraud.fraud_create, name="fraud_create"),
    path("fraud/<int:pk>/", fraud.fraud_detail, name="fraud_detail"),
    path("fraud/<int:pk>/victims/", fraud.victim_add, name="victim_add"),
    path("fraud/<int:pk>/stage/", fraud.fraud_stage, name="fraud_stage"),
    path("publicity/", fraud.publicity_list, name="publicity_list"),
    path("publicity/new/", fraud.publicity_create, name="publicity_create"),
]
