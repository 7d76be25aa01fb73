from django.conf import settings

from wijkbalans import __version__


def site(request):
    return {"WIJKBALANS_VERSION": __version__, "DEMO_MODE": settings.DEMO_MODE}
