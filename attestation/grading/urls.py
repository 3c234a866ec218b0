from django.urls import path

from attestation.grading import decision_views, views

app_name = "grading"
urlpatterns = [
    path("sittings/<int:pk>/", views.console, name="console"),
    path("sittings/<int:pk>/announce/", views.announce, name="announce"),
    path("sittings/<int:pk>/announce-time/", views.announce_time, name="announce_time"),
    path("sittings/<int:pk>/results/", views.results, name="results"),
    path("sittings/<int:pk>/results.xlsx", views.results_export, name="results_xlsx"),
    path("commissions/<int:pk>/results/", views.commission_results, name="commission_results"),
    path("examinees/<int:pk>/", views.examinee, name="examinee"),
    path("examinees/<int:pk>/score/", views.score, name="score"),
    path("examinees/<int:pk>/final/", views.final, name="final"),
    path("examinees/<int:pk>/recusal/", decision_views.recusal, name="recusal"),
    path("examinees/<int:pk>/dissent/", decision_views.dissent, name="dissent"),
]
