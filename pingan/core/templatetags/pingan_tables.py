"""``{% table_rows table %}``: a table's body rows rendered in Python (see pingan.core.tables)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    return table.rows_html(context)
