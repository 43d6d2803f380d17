"""Reference data over data/: the registry of regions, län, kommuner and RSS, and the questionnaire forms.

Pure lookups that import nothing of the project but `config` and `errors`.
"""
from reference.forms import Form, FormError, default_forms, form_by_id, load_form, normalise_question_id
from reference.records import Question, Respondent
from reference.registry import Registry, default_registry, find_in_text, resolve, resolve_lan, suggest

__all__ = ["Form", "FormError", "Question", "Registry", "Respondent", "default_forms", "default_registry",
           "find_in_text", "form_by_id", "load_form", "normalise_question_id", "resolve", "resolve_lan", "suggest"]
