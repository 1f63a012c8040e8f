"""The product's URLs plus two floors, only in the benchmark settings."""

from django.urls import path

from portal.urls import handler403, handler404, handler500  # noqa: F401
from portal.urls import urlpatterns as product

from . import views

urlpatterns = [
    path("_bench/bare/", views.bare, name="bench_bare"),
    path("_bench/rows/", views.rows, name="bench_rows"),
    *product,
]
