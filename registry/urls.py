from django.urls import path

from .views import blocking, graffiti, indicators, networks, notices, outreach

app_name = "registry"

urlpatterns = [
    path("", indicators.registry_home, name="home"),
    path("new/", indicators.indicator_new, name="new"),
    path("allow-list/", indicators.allow_list, name="allow_list"),
    path("outreach/", outreach.outreach, name="outreach"),
    path("outreach/<int:pk>/photo/", outreach.outreach_photo, name="outreach_photo"),
    path("requests/", blocking.requests_list, name="requests"),
    path("requests/new/", blocking.blocking_select, name="blocking_select"),
    path("requests/<int:pk>/", blocking.request_detail, name="request"),
    path("requests/<int:pk>/change/", blocking.request_change, name="request_change"),
    path("requests/<int:pk>/send/", blocking.request_send, name="request_send"),
    path("requests/<int:pk>/answer/", blocking.request_answer, name="request_answer"),
    path("requests/<int:pk>/upload/", blocking.request_upload, name="request_upload"),
    path("requests/<int:pk>/items/<int:item_id>/remove/", blocking.item_remove, name="item_remove"),
    path("requests/<int:pk>/letter.docx", blocking.letter_docx, name="request_docx"),
    path("requests/<int:pk>/letter.pdf", blocking.letter_pdf, name="request_pdf"),
    path("requests/<int:pk>/list.xlsx", blocking.list_xlsx, name="request_xlsx"),
    path("graffiti/", graffiti.graffiti_list, name="graffiti"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/new/", notices.notice_new, name="notice_new"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice"),
    path("notices/<int:pk>/columns/", notices.notice_columns, name="notice_columns"),
    path("notices/<int:pk>/read-again/", notices.notice_read_again, name="notice_read_again"),
    path("networks/", networks.network_list, name="networks"),
    path("<int:pk>/", indicators.indicator_detail, name="indicator"),
    path("<int:pk>/unmask/", indicators.indicator_unmask, name="unmask"),
    path("<int:pk>/confirm/", indicators.indicator_confirm, name="confirm"),
    path("sightings/<int:pk>/unlink/", indicators.sighting_unlink, name="unlink"),
]
