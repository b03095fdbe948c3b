from django.urls import path

from bookings import manage_views, views

app_name = "bookings"

urlpatterns = [
    path("book/", views.start, name="start"),
    path("book/review/<uuid:key>/", views.review, name="review"),
    path("book/review/<uuid:key>/time/", views.review_change_time, name="review_change_time"),
    path("book/<slug:service_slug>/", views.choose_practitioner, name="practitioner"),
    path("book/<slug:service_slug>/times/", views.times, name="times"),
    path("book/<slug:service_slug>/details/", views.details, name="details"),
    path("booking/<str:reference>/<str:token>/", manage_views.manage, name="manage"),
    path("booking/<str:reference>/<str:token>/cancel/", manage_views.cancel, name="cancel"),
    path("booking/<str:reference>/<str:token>/reschedule/", manage_views.reschedule, name="reschedule"),
    path(
        "booking/<str:reference>/<str:token>/reschedule/confirm/",
        manage_views.reschedule_confirm,
        name="reschedule_confirm",
    ),
]
