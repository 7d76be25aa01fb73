"""``{% load concerns_nav %}{% if user|may_use_concerns %}``: whether to show the link to
the concern pages (members of the Local Alliance)."""

from django import template

from wijkbalans.concerns.knowledge import user_may_read_knowledge

register = template.Library()


@register.filter
def may_use_concerns(user) -> bool:
    return user_may_read_knowledge(user=user)
