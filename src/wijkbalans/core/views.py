from django.shortcuts import render

from wijkbalans.core.selectors import recent_batches, store_summary


def sources(request):
    return render(request, "core/sources.html",
                  {"summary": store_summary(), "batches": recent_batches()})
