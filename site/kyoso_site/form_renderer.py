"""Django's form renderer, with the plain widgets written in Python.

Profiles of the public pages showed much of their time in rendering form
widgets: each `<select>` renders one template per option through includes,
and every bound field's error list renders a template even when empty. This
renderer produces the very same markup as Django's own templates for the
simple widgets and error lists (django/forms/templates/django/forms/...,
Django 5.2) straight from the widget context Django builds, and leaves every
other template (the admin's widgets, form layouts) to the template engine.
Apps that override one of these templates keep it: the Python version is only
used while Django's own file is the one the engine would load.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

_INPUT = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
)


def _attrs(attrs: dict) -> str:
    # django/forms/widgets/attrs.html
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{escape(str(value))}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = widget["value"]
    value_attr = f' value="{escape(str(value))}"' if value is not None else ""
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value_attr}{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: dict) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _option(option: dict) -> str:
    return (
        f'<option value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>"
    )


def _select(widget: dict) -> str:
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != "django/forms/widgets/select_option.html":
                raise _Fallback
            # The option template's own final newline comes along with it.
            out.append(f"\n  {_option(option)}\n")
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _error_list(context: dict) -> str:
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    id_attr = f' id="{conditional_escape(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
    return f'<ul class="{conditional_escape(context["error_class"])}"{id_attr}>{items}</ul>'


class _Fallback(Exception):
    """Something this renderer does not know: let the template engine do it."""


_PYTHON = {
    **dict.fromkeys(_INPUT, lambda context: _input(context["widget"])),
    "django/forms/widgets/textarea.html": lambda context: _textarea(context["widget"]),
    "django/forms/widgets/select.html": lambda context: _select(context["widget"]),
    "django/forms/widgets/select_option.html": lambda context: _option(context["widget"]),
    "django/forms/errors/list/default.html": _error_list,
    "django/forms/errors/list/ul.html": _error_list,
}


class FastFormRenderer(DjangoTemplates):
    """Drop-in for `django.forms.renderers.DjangoTemplates` (FORM_RENDERER)."""

    def render(self, template_name, context, request=None):
        python = _PYTHON.get(template_name)
        if python is not None and self._is_djangos_own(template_name):
            try:
                return mark_safe(python(context))  # noqa: S308 (every value is escaped above)
            except _Fallback:
                pass
        return super().render(template_name, context, request=request)

    def _is_djangos_own(self, template_name: str) -> bool:
        known = self.__dict__.setdefault("_own", {})
        if template_name not in known:
            origin = self.get_template(template_name).origin.name
            known[template_name] = "/django/forms/templates/" in origin.replace("\\", "/")
        return known[template_name]
