from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render


@login_required
def home(request):
    if not request.user.is_registrar:
        raise Http404
    return render(request, "imports/home.html", {})
