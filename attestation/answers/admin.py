from django.contrib import admin

from attestation.answers.models import AnswerDocument, AnswerPage

admin.site.register([AnswerPage, AnswerDocument])
