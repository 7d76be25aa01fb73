from django.shortcuts import render

from wijkbalans.core.selectors import store_summary


def home(request):
    return render(request, "core/home.html", {"summary": store_summary()})
