from django.contrib import admin

from pingan.areas.models import Area
from pingan.core.admin import PinganModelAdmin


@admin.register(Area)
class AreaAdmin(PinganModelAdmin):
    list_display = ("code", "short_name", "kind", "level", "population", "households")
    list_filter = ("level", "kind")
    search_fields = ("code", "name", "short_name")
    readonly_fields = ("code", "path", "level", "parent")
    fields = ("code", "name", "short_name", "kind", "level", "parent", "path", "population", "households")

    def has_add_permission(self, request):
        return False  # units come from the official codes (pingan areas load) or the grid form
