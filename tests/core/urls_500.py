from django.urls import path


def boom(request):
    raise RuntimeError("testfeil")


urlpatterns = [path("boom/", boom)]
