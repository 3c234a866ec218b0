from django.contrib import admin

from attestation.defense.models import Interruption, Thesis, WrittenQuestion

admin.site.register([Thesis, WrittenQuestion, Interruption])
