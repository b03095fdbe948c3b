from django.urls import include, path

from bookings import manage_views, questionnaire_views, team_views, views, waitlist_views

app_name = "bookings"

# Booking a new appointment, step by step; the review step is kept under the form's key.
booking_steps = [
    path("", views.start, name="start"),
    path("<slug:service_slug>/", views.choose_practitioner, name="practitioner"),
    path("<slug:service_slug>/times/", views.times, name="times"),
    path("<slug:service_slug>/details/", views.details, name="details"),
    path("<slug:service_slug>/waitlist/", waitlist_views.join, name="waitlist_join"),
    path(
        "review/<uuid:key>/",
        include(
            [
                path("", views.review, name="review"),
                path("time/", views.review_change_time, name="review_change_time"),
            ]
        ),
    ),
]

# One booking, from the private link in the patient's email.
own_booking = [
    path("", manage_views.manage, name="manage"),
    path("calendar.ics", manage_views.calendar, name="calendar"),
    path("cancel/", manage_views.cancel, name="cancel"),
    path("reschedule/", manage_views.reschedule, name="reschedule"),
    path("reschedule/confirm/", manage_views.reschedule_confirm, name="reschedule_confirm"),
    path("health/", questionnaire_views.overview, name="questionnaire"),
    path("health/<slug:step>/", questionnaire_views.step, name="questionnaire_step"),
]

# The waitlist's links, from its emails.
waitlist_links = [
    path("<int:entry_id>/<str:token>/leave/", waitlist_views.leave, name="waitlist_leave"),
    path("offer/<int:offer_id>/<str:token>/", waitlist_views.offer, name="waitlist_offer"),
]

urlpatterns = [
    path("book/", include(booking_steps)),
    path("booking/<str:reference>/<str:token>/", include(own_booking)),
    path("waitlist/", include(waitlist_links)),
    path("team/", team_views.team, name="team"),
    path("team/photos/<str:digest>.<str:extension>", team_views.team_photo, name="team_photo"),
    path("team/<slug:slug>/", team_views.team_member, name="team_member"),
]
