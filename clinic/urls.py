from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from clinic import views

admin.site.site_header = "Stride front desk"
admin.site.site_title = "Stride admin"
admin.site.index_title = "Today's work"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "book/",
        views.TemplateView.as_view(template_name="clinic/book_placeholder.html"),
        name="book",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
