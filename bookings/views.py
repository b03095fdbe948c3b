from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def start(request):
    return render(request, "bookings/start.html")
