"""The weekly review and yearly take-stock forms, built from their prompts."""

from __future__ import annotations

from django import forms

from cairn.daily.reviews import WEEKLY_PROMPTS, YEARLY_PROMPTS, Prompt

FOCUS_LENGTH = 300


def _answer(prompt: Prompt, *, one_line: bool = False) -> forms.CharField:
    if one_line:
        widget: forms.Widget = forms.TextInput(attrs={"autocomplete": "off"})
    else:
        widget = forms.Textarea(attrs={"rows": 3})
    return forms.CharField(
        label=prompt.question,
        help_text=prompt.hint,
        required=False,
        max_length=FOCUS_LENGTH if one_line else None,
        widget=widget,
    )


class WeeklyReviewForm(forms.Form):
    week_of = forms.DateField(
        label="Week of",
        required=True,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Any day of the week will do.",
    )

    def __init__(self, *args, with_week: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        for prompt in WEEKLY_PROMPTS:
            self.fields[prompt.field] = _answer(prompt, one_line=prompt.field == "next_week_focus")
        if not with_week:
            del self.fields["week_of"]

    def answers(self) -> dict[str, str]:
        return {prompt.field: self.cleaned_data[prompt.field] for prompt in WEEKLY_PROMPTS}


class YearlyReviewForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for prompt in YEARLY_PROMPTS:
            self.fields[prompt.field] = _answer(prompt)

    def answers(self) -> dict[str, str]:
        return {prompt.field: self.cleaned_data[prompt.field] for prompt in YEARLY_PROMPTS}
