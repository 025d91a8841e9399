from django.contrib import admin

from pingan.core.admin import PinganModelAdmin
from pingan.org.models import Agency, PoliceRoom, Posting, Staff, TeamSeat, VillageAssignment


@admin.register(Agency)
class AgencyAdmin(PinganModelAdmin):
    list_display = ("name", "kind", "line", "area", "parent")
    list_filter = ("kind", "line")
    search_fields = ("name",)
    autocomplete_fields = ("area", "parent")


class PostingInline(admin.TabularInline):
    model = Posting
    extra = 0
    autocomplete_fields = ("agency",)


@admin.register(Staff)
class StaffAdmin(PinganModelAdmin):
    list_display = ("name", "category", "agency", "area", "active")
    list_filter = ("category", "active")
    search_fields = ("name", "name_initials")
    autocomplete_fields = ("agency", "area")
    exclude = ("id_number", "phone")  # personal data is edited through the import or the staff services
    inlines = [PostingInline]


@admin.register(VillageAssignment)
class VillageAssignmentAdmin(PinganModelAdmin):
    list_display = ("village", "role", "staff", "start", "end")
    list_filter = ("role",)
    autocomplete_fields = ("staff", "village")


@admin.register(PoliceRoom)
class PoliceRoomAdmin(PinganModelAdmin):
    list_display = ("name", "village", "station", "high_standard", "opened", "closed")
    autocomplete_fields = ("village", "station")


@admin.register(TeamSeat)
class TeamSeatAdmin(PinganModelAdmin):
    list_display = ("staff", "area", "position", "start", "end")
    autocomplete_fields = ("staff", "area")
