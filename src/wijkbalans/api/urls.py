"""The JSON API, version 1, under ``/api/v1/``. See docs/api.md."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from .areas import AreaDetailView, AreaListView, AreaSetDetailView, AreaSetListView
from .auth import TokenView
from .coherence import CoherenceView
from .concerns import urlpatterns as concerns_urlpatterns
from .evaluations import EvaluationDetailView, EvaluationListView
from .indicators import (
    ImportBatchDetailView,
    ImportBatchListView,
    IndicatorDetailView,
    IndicatorListView,
    ObservationListView,
)
from .participation import urlpatterns as participation_urlpatterns
from .programmes import urlpatterns as programmes_urlpatterns
from .stacking import (
    AreaDriversView,
    AreaSetGapsView,
    AreaSetTargetsView,
    IndexView,
    TargetDetailView,
    TargetProgressView,
)
from .touchstone import urlpatterns as touchstone_urlpatterns

app_name = "api"
urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("areas/", AreaListView.as_view(), name="area-list"),
    path("areas/<str:code>/", AreaDetailView.as_view(), name="area-detail"),
    path("area-sets/", AreaSetListView.as_view(), name="area-set-list"),
    path("area-sets/<slug:slug>/", AreaSetDetailView.as_view(), name="area-set-detail"),
    path("indicators/", IndicatorListView.as_view(), name="indicator-list"),
    path("indicators/<str:code>/", IndicatorDetailView.as_view(), name="indicator-detail"),
    path("observations/", ObservationListView.as_view(), name="observation-list"),
    path("import-batches/", ImportBatchListView.as_view(), name="import-batch-list"),
    path("import-batches/<int:batch_id>/", ImportBatchDetailView.as_view(),
         name="import-batch-detail"),
    path("evaluations/", EvaluationListView.as_view(), name="evaluation-list"),
    path("evaluations/<int:pk>/", EvaluationDetailView.as_view(), name="evaluation-detail"),
    path("index/", IndexView.as_view(), name="index"),
    path("areas/<str:code>/drivers/", AreaDriversView.as_view(), name="area-drivers"),
    path("area-sets/<slug:slug>/targets/", AreaSetTargetsView.as_view(),
         name="area-set-targets"),
    path("area-sets/<slug:slug>/gaps/", AreaSetGapsView.as_view(), name="area-set-gaps"),
    path("targets/<int:pk>/", TargetDetailView.as_view(), name="target-detail"),
    path("targets/<int:pk>/progress/", TargetProgressView.as_view(), name="target-progress"),
    path("coherence/", CoherenceView.as_view(), name="coherence"),
]
urlpatterns += (programmes_urlpatterns + concerns_urlpatterns + participation_urlpatterns
                + touchstone_urlpatterns)
