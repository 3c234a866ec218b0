from django.contrib import admin

from attestation.proctoring.models import Incident, IncidentDecision

admin.site.register([Incident, IncidentDecision])
