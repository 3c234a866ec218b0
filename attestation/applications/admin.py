from django.contrib import admin

from attestation.applications.models import Application, Evidence

admin.site.register([Application, Evidence])
