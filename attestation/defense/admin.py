from django.contrib import admin

from attestation.defense.models import Dossier, Interruption, Thesis, WrittenQuestion

# View-only for the registrar (accounts/roles.py): the dossier changes through its service,
# which audits every change (defense/dossier.py).
admin.site.register([Thesis, Dossier, WrittenQuestion, Interruption])
