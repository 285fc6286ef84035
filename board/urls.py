from django.urls import path

from board import dashboard_views, directive_views, document_views, meeting_views, progress_views, project_views

app_name = "board"

urlpatterns = [
    path("meetings/", meeting_views.meeting_list, name="meetings"),
    path("meetings/new/", meeting_views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/change/", meeting_views.meeting_change, name="meeting_change"),
    path("meetings/<int:pk>/hold/", meeting_views.meeting_hold, name="meeting_hold"),
    path("meetings/<int:pk>/reports/", meeting_views.meeting_report_add, name="meeting_report_add"),
    path(
        "meetings/<int:pk>/reports/<int:report_id>/file/",
        meeting_views.meeting_report_file,
        name="meeting_report_file",
    ),
    path("meetings/<int:pk>/directives/new/", directive_views.directive_new, name="directive_new"),
    path("meetings/<int:pk>/summary/", document_views.meeting_summary, name="meeting_summary"),
    path("meetings/<int:pk>/resolution/issue/", document_views.resolution_issue, name="resolution_issue"),
    path("meetings/<int:pk>/resolution/<str:extension>/<str:language>/", document_views.resolution, name="resolution"),
    path("meetings/<int:pk>/materials.pdf", document_views.materials, name="materials"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("directives/", progress_views.directive_list, name="directives"),
    path("directives/progress/", progress_views.directives_progress, name="directives_progress"),
    path("directives/open.xlsx", progress_views.directives_xlsx, name="directives_xlsx"),
    path("directives/upload/", progress_views.directives_upload, name="directives_upload"),
    path("directives/<int:pk>/", directive_views.directive_detail, name="directive"),
    path("executions/<int:pk>/report/", directive_views.execution_report, name="execution_report"),
    path("executions/<int:pk>/decide/", directive_views.execution_decide, name="execution_decide"),
    path("evidence/<int:pk>/", directive_views.evidence_file, name="evidence"),
    path("projects/", project_views.project_list, name="projects"),
    path("projects/new/", project_views.project_new, name="project_new"),
    path("projects/<int:pk>/", project_views.project_detail, name="project"),
    path("projects/<int:pk>/change/", project_views.project_edit, name="project_edit"),
    path("projects/<int:pk>/status/", project_views.project_status, name="project_status"),
    path("groups/new/", project_views.working_group_new, name="working_group_new"),
    path("groups/<int:pk>/", project_views.working_group_detail, name="working_group"),
    path("groups/<int:pk>/change/", project_views.working_group_edit, name="working_group_edit"),
]
