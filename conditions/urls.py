from django.urls import path

from conditions import views

app_name = "conditions"

urlpatterns = [
    path("conditions/", views.condition_list, name="condition_list"),
    path("conditions/<slug:slug>/", views.condition_detail, name="condition_detail"),
    path("treatments/", views.treatment_list, name="treatment_list"),
    path("treatments/<slug:slug>/", views.treatment_detail, name="treatment_detail"),
]
