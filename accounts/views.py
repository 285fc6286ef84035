from django.conf import settings
from django.shortcuts import render
from django.views.i18n import set_language as django_set_language


def home(request):
    return render(request, "accounts/home.html")


def set_language(request):
    """Django's language switch, remembered on the account of a logged-in user."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


def locked_out(request, credentials=None, *args, **kwargs):
    from django.http import HttpResponse

    return HttpResponse(status=429)
