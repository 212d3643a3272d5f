from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("ping/", views.ping),
    path("items/", views.create_item),
    path("items/<int:pk>/", views.item),
    path("password/", views.change_password),
    path("reports/", views.reports),
]
