"""The body's queue, the prosecutor's oversight, and the work on a report (signals.work_views).

Included into the `signals` namespace before `signals/<reference>/`, so "queue" and "oversight"
are never read as references."""

from django.urls import path

from signals import work_views

urlpatterns = [
    path("signals/queue/", work_views.queue, name="queue"),
    path("signals/oversight/", work_views.oversight, name="oversight"),
    path("signals/forwards/<int:pk>/decide/", work_views.forward_decide, name="forward_decide"),
    path("signals/extensions/<int:pk>/decide/", work_views.extension_decide, name="extension_decide"),
    path("signals/<str:reference>/assign/", work_views.assign, name="assign"),
    path("signals/<str:reference>/forward/", work_views.forward, name="forward"),
    path("signals/<str:reference>/extension/", work_views.extension, name="extension"),
    path("signals/<str:reference>/register/", work_views.register, name="register"),
    path("signals/<str:reference>/answer/", work_views.answer, name="answer"),
    path("signals/<str:reference>/accept/", work_views.accept, name="accept"),
    path("signals/<str:reference>/return/", work_views.return_answer, name="return"),
    path("signals/<str:reference>/merge/", work_views.merge, name="merge"),
]
