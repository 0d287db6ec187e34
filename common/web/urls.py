"""Pages every host has (included at the root of both URLconfs)."""

from django.urls import path

from common.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
