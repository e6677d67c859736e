"""What the review page posts back as a browser would, with what the test changes."""

from tests.support.forms import form_values


def review_post_data(response, **changes) -> dict:
    context = response.context
    data = form_values(context["form"])
    for name in ("party_formset", "people_formset", "milestone_formset"):
        formset = context[name]
        data |= form_values(formset.management_form)
        for row in formset.forms:
            data |= form_values(row)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
