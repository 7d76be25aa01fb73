from django.urls import path

from . import views

app_name = "evaluations"
urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("nieuw/", views.evaluation_new, name="new"),
    path("<int:pk>/", views.evaluation_detail, name="detail"),
    path("<int:pk>/grafiek/<str:kind>.svg", views.evaluation_chart, name="chart"),
    path("<int:pk>/controle/", views.evaluation_check, name="check"),
]
