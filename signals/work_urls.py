"""The body's queue, the prosecutor's oversight, and the work on a report (signals.views.work).

Included into the `signals` namespace before `signals/<reference>/`, so "queue" and "oversight"
are never read as references."""

from django.urls import path

from signals.views import work

urlpatterns = [
    path("signals/queue/", work.queue, name="queue"),
    path("signals/oversight/", work.oversight, name="oversight"),
    path("signals/forwards/<int:pk>/decide/", work.forward_decide, name="forward_decide"),
    path("signals/extensions/<int:pk>/decide/", work.extension_decide, name="extension_decide"),
    path("signals/<str:reference>/assign/", work.assign, name="assign"),
    path("signals/<str:reference>/forward/", work.forward, name="forward"),
    path("signals/<str:reference>/extension/", work.extension, name="extension"),
    path("signals/<str:reference>/register/", work.register, name="register"),
    path("signals/<str:reference>/answer/", work.answer, name="answer"),
    path("signals/<str:reference>/accept/", work.accept, name="accept"),
    path("signals/<str:reference>/return/", work.return_answer, name="return"),
    path("signals/<str:reference>/merge/", work.merge, name="merge"),
]
