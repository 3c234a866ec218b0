from django.contrib import admin

from attestation.grading.models import Score

admin.site.register([Score])
