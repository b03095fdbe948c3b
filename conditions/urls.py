from django.urls import include, path

from conditions import views

app_name = "conditions"

conditions = [
    path("", views.condition_list, name="condition_list"),
    path("<slug:slug>/", views.condition_detail, name="condition_detail"),
]
treatments = [
    path("", views.treatment_list, name="treatment_list"),
    path("<slug:slug>/", views.treatment_detail, name="treatment_detail"),
]

urlpatterns = [path("conditions/", include(conditions)), path("treatments/", include(treatments))]
