from django.urls import path

from . import views

app_name = "membership"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organization/register/", views.organization_register, name="organization-register"),
    path("organization/", views.organization_profile, name="organization"),
    path("profile/", views.profile, name="profile"),
    path("team/", views.team, name="team"),
    path("team/invite/", views.invitation_create, name="invitation-create"),
    path("team/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation-revoke"),
    path("team/seats/<int:pk>/remove/", views.seat_remove, name="seat-remove"),
    path("team/seats/<int:pk>/role/", views.seat_role, name="seat-role"),
    path("team/seats/<int:pk>/make-owner/", views.seat_make_owner, name="seat-make-owner"),
    path("apply/", views.apply, name="apply"),
    path("cancel/", views.cancel, name="cancel"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
]
