from django.contrib import admin

from attestation.notices.models import Notice

admin.site.register(Notice)
