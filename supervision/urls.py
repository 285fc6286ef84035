from django.urls import path

from supervision import business_views, compstat_views, crime_views, highlight_views, submission_views, views

app_name = "supervision"

urlpatterns = [
    path("acts/", views.act_list, name="acts"),
    path("acts/new/", views.act_new, name="act_new"),
    path("acts/<int:act_id>/", views.act_detail, name="act_detail"),
    path("acts/<int:act_id>/change/", views.act_change, name="act_change"),
    path("acts/<int:act_id>/letter/", views.act_letter, name="act_letter"),
    path("acts/<int:act_id>/letter.docx", views.letter_docx, name="letter_docx"),
    path("acts/<int:act_id>/letter.pdf", views.letter_pdf, name="letter_pdf"),
    path("acts/<int:act_id>/outcome/", views.act_outcome, name="act_outcome"),
    path("projects/", business_views.project_list, name="projects"),
    path("projects/new/", business_views.project_new, name="project_new"),
    path("projects/<int:project_id>/", business_views.project_detail, name="project_detail"),
    path("projects/<int:project_id>/status/", business_views.project_status, name="project_status"),
    path("projects/<int:project_id>/problems/", business_views.project_problems, name="project_problems"),
    path("facilities/", business_views.facility_list, name="facilities"),
    path("facilities/map/", business_views.facility_map, name="facility_map"),
    path("facilities/new/", business_views.facility_new, name="facility_new"),
    path("facilities/<int:facility_id>/", business_views.facility_detail, name="facility_detail"),
    path("facilities/<int:facility_id>/progress/", business_views.facility_progress, name="facility_progress"),
    path("facilities/<int:facility_id>/photos/", business_views.facility_photo_add, name="facility_photo_add"),
    path(
        "facilities/<int:facility_id>/photos/<int:photo_id>/",
        business_views.facility_photo,
        name="facility_photo",
    ),
    path("highlights/", highlight_views.highlight_list, name="highlights"),
    path("highlights/new/", highlight_views.highlight_new, name="highlight_new"),
    path("highlights/preview/", highlight_views.highlight_preview, name="highlight_preview"),
    path("highlights/<int:pk>/", highlight_views.highlight_detail, name="highlight"),
    path("highlights/<int:pk>/change/", highlight_views.highlight_edit, name="highlight_change"),
    path("highlights/<int:pk>/approve/", highlight_views.highlight_approve, name="highlight_approve"),
    path("highlights/<int:pk>/withdraw/", highlight_views.highlight_withdraw, name="highlight_withdraw"),
    path("crime/imports/", crime_views.crime_import_list, name="crime_imports"),
    path("crime/imports/new/", crime_views.crime_import_new, name="crime_import_new"),
    path("crime/imports/template.csv", crime_views.crime_import_template, name="crime_import_template"),
    path("crime/imports/<int:pk>/", crime_views.crime_import_detail, name="crime_import"),
    path("crime/tables/new/", crime_views.crime_table_new, name="crime_table_new"),
    path("crime/tables/<int:pk>/", crime_views.crime_table_detail, name="crime_table"),
    path("crime/compstat/", compstat_views.compstat, name="compstat"),
    path("submissions/", submission_views.submission_list, name="submissions"),
    path("submissions/lock/", submission_views.month_lock, name="month_lock"),
    path("submissions/<int:office_id>/<str:month_text>/", submission_views.submission_month, name="submission_month"),
    path(
        "submissions/<int:office_id>/<str:month_text>/check/",
        submission_views.submission_check,
        name="submission_check",
    ),
    path(
        "submissions/<int:office_id>/<str:month_text>/template.xlsx",
        submission_views.submission_template,
        name="submission_template",
    ),
    path(
        "submissions/<int:office_id>/<str:month_text>/upload/",
        submission_views.submission_upload,
        name="submission_upload",
    ),
    path(
        "submissions/<int:office_id>/<str:month_text>/decide/",
        submission_views.submission_decide,
        name="submission_decide",
    ),
]
