from django.urls import path

from attestation.console import accommodations, attendance, views

app_name = "console"
urlpatterns = [
    path("sittings/", views.sittings, name="sittings"),
    path("sittings/<int:pk>/", views.sitting_detail, name="sitting"),
    path("sittings/<int:pk>/live/", views.sitting_live, name="sitting_live"),
    path("sittings/<int:pk>/attendance/", attendance.attendance, name="attendance"),
    path("sittings/<int:pk>/attendance/mark/", attendance.attendance_mark, name="attendance_mark"),
    path("examinees/<int:pk>/", views.examinee_detail, name="examinee"),
    path("examinees/<int:pk>/extend/", views.examinee_extend, name="examinee_extend"),
    path("examinees/<int:pk>/reopen/", views.examinee_reopen, name="examinee_reopen"),
    path(
        "examinees/<int:pk>/extra-time/",
        accommodations.examinee_extra_time,
        name="examinee_extra_time",
    ),
    path(
        "examinees/<int:pk>/exam-language/",
        accommodations.examinee_language,
        name="examinee_language",
    ),
    # Last: any other slug is one of the secretary's buttons.
    path("examinees/<int:pk>/<slug:action>/", views.examinee_action, name="examinee_action"),
]
