"""Pages under /programma/: the register, results, money and coverage, coherence."""

from .web import coherence_urls, register_urls

app_name = "programmes"
urlpatterns = [*register_urls.urlpatterns, *coherence_urls.urlpatterns]
