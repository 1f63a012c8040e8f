"""The permission matrix: every URL pattern of the URLconf (the Wagtail admin's and
allauth's included) × every role, with the ids of objects the role must not see.

How it works
- `url_cells()` walks `get_resolver()` and turns every pattern into one or more
  requests: patterns with arguments are filled from the world (tests/security/conftest.py)
  once per *variant* (e.g. an idea URL with another person's draft, a confidential idea,
  the reviewer's own idea and a public idea); list, search, chooser, report and history
  views are also asked `?q=secret` and `?export=csv`.
- EXPECTATIONS says, for each `name[variant]` (fnmatch globs, first match wins), what
  each role gets for GET and POST. A pattern no rule matches fails the test, so a new
  view or a Wagtail upgrade cannot slip in unexamined.
- Every response, whatever the rule: never a 5xx, and never a marker text of an object
  the role must not see (conftest.PRIVATE_TO), in the body or the headers.
- A denied POST must change nothing: a fingerprint of the data that matters is taken
  before and after (each request runs in a savepoint that is rolled back afterwards).

Codes, one letter per role in ROLES order (anonymous, employee, new hire, champion,
reviewer, programme admin):
  O  ok: 2xx, or a redirect that is not to the login page or the admin's "no access"
  D  denied: 401/403/404/405/410, or a redirect to the login page (or, in the Wagtail
     admin, to the admin home with its "no permission" message); a POST changes nothing
  N  nothing: GET gets no page (any 3xx or 4xx); POST changes nothing (whatever the
     status: the intranet refuses some actions with a message and a redirect)
  A  anything but a server error (public pages, forms that may answer 400 or 429)
  M  a hand-made POST without the form's fields: Wagtail core answers some of its own
     forms with a 500 (MultiValueDictKeyError); tolerated for roles that may use the form
  X  Wagtail's deliberate error page (/admin/failwhale/), a 500 by design
  H  the health check: 200, or 503 naming what is down (no worker runs during the tests)
  -  not requested
MATRIX_DUMP=/tmp/matrix writes the failing cells and every observed cell (role, status,
outcome) to /tmp/matrix.GET|POST[.observed], to help write a rule for a new URL.

When a rule gives no POST codes, POST expects what GET does, with O relaxed to A (an
empty form may fairly answer 400).
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import clear_own_cache_keys

from .conftest import (
    CONFIDENTIAL,
    DRAFT,
    OWN_NOTE,
    PRIVATE_TO,
    ROLES,
    World,
)

# Marked so pytest-django creates the test database; the world fixture builds its data
# once for the module (each test runs in a savepoint of that transaction).
pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------------------------------
# The expectation table. Keys are fnmatch globs on "name[variant]" (unnamed patterns:
# "route:<route>"); the first matching rule applies. Codes: see the module docstring.
#                          anon/emp/hire/champ/rev/admin
EXPECTATIONS: list[tuple[str, str, str | None]] = []


def rules(*entries):
    for entry in entries:
        glob, get_codes, *post = entry
        EXPECTATIONS.append((glob, get_codes, post[0] if post else None))


ADMIN_ONLY = "DDDDDO"  # the Wagtail admin, programme admins only
ADMIN_USERS = "DDDOOO"  # anyone with admin access (champion, reviewer, programme admin)
PAGE_EDITORS = "DDDODO"  # champions (newsletter) and programme admins
NOBODY = "DDDDDD"
SIGNED_IN = "DOOOOO"
ANYONE = "AAAAAA"

#      name[variant] glob                              GET           POST (default: GET, O→A)
rules(
    # --- the site's own doors -------------------------------------------------------
    ("healthz", "HHHHHH", NOBODY),
    ("favicon", "OOOOOO", NOBODY),
    ("set_language", ANYONE, ANYONE),
    ("route:admin/login/", ANYONE, ANYONE),
    ("route:_util/login/", ANYONE, ANYONE),
    ("wagtailcore_login", ANYONE, ANYONE),
    ("wagtailadmin_login", ANYONE, ANYONE),
    ("route:admin/logout/", "DAAAAA", "DAAAAA"),
    ("wagtailadmin_logout", "DAAAAA", "DAAAAA"),
    ("wagtailcore_authenticate_with_password[*]", NOBODY),
    ("wagtaildocs_authenticate_with_password[*]", NOBODY),
    ("wagtaildocs_serve[document]", "DAAAAA"),
    ("wagtaildocs_serve[missing]", NOBODY),
    # Wagtail's own password reset is a second, unthrottled reset path: allauth's
    # (/accounts/password/reset/) is the only one. No page, no mail.
    ("wagtailadmin_password_reset*", "NNNNNN", "NNNNNN"),
    ("wagtailadmin_sprite", SIGNED_IN),
    ("wagtailadmin_javascript_catalog", SIGNED_IN),
    # --- allauth ------------------------------------------------------------------------
    ("account_login", ANYONE, ANYONE),
    ("account_signup", ANYONE, ANYONE),
    ("account_logout", "DAAAAA", "DAAAAA"),
    ("account_inactive", ANYONE, ANYONE),
    ("account_email_verification_sent", ANYONE, ANYONE),
    ("account_reset_password*", ANYONE, ANYONE),
    ("account_confirm_email[bogus]", ANYONE, ANYONE),
    ("account_reauthenticate", SIGNED_IN), ("account_email", SIGNED_IN),
    ("account_change_password", SIGNED_IN), ("account_set_password", "DAAAAA"),
    ("account_confirm_login_code", "DAAAAA"),
    ("mfa_index", SIGNED_IN), ("mfa_*", "DAAAAA"),
    ("socialaccount_connections", SIGNED_IN),
    ("socialaccount_*", ANYONE, ANYONE),
    ("route:accounts/social/*", "DAAAAA"),
    ("openid_connect_*", ANYONE, ANYONE),
    # --- ideas ----------------------------------------------------------------------
    ("ideas:list", SIGNED_IN), ("ideas:export", SIGNED_IN), ("ideas:similar", SIGNED_IN),
    # The person chooser's suggestions: names and addresses of active people, as the
    # nomination and enrolment forms listed them before.
    ("person_search", SIGNED_IN, "DDDDDD"),
    ("ideas:mine", SIGNED_IN), ("ideas:create", SIGNED_IN),
    ("ideas:recognition", SIGNED_IN, NOBODY),  # the recognition board: public ideas only
    ("ideas:queue", "DDDDOO", "DDDDAA"),
    ("ideas:*[draft]", NOBODY, NOBODY),  # another person's draft: nobody else, ever
    ("ideas:*[huge]", NOBODY, NOBODY),
    ("ideas:detail[confidential]", "DDDDOO"),
    ("ideas:detail[own]", SIGNED_IN), ("ideas:detail[public]", SIGNED_IN),
    ("ideas:edit[*]", NOBODY, NOBODY),  # only a draft's author edits it
    ("ideas:attachment[confidential]", "DDDDOO", NOBODY),
    ("ideas:attachment[public]", SIGNED_IN, NOBODY),
    # Its small picture on idea cards: the same rule as the attachment.
    ("ideas:attachment_thumbnail[confidential]", "DDDDOO", NOBODY),
    ("ideas:attachment_thumbnail[public]", SIGNED_IN, NOBODY),
    # Actions are POST only (GET: 405). On a confidential idea only reviewers and admins
    # may act; on their own idea a reviewer takes no review action (conflict of interest).
    ("ideas:submit[confidential]", NOBODY, "DDDDNN"),
    ("ideas:submit[*]", NOBODY, "DNNNNN"),
    ("ideas:withdraw[confidential]", NOBODY, "DDDDNN"),
    ("ideas:withdraw[own]", NOBODY, "DNNNAN"),
    ("ideas:withdraw[public]", NOBODY, "DNNNNN"),
    ("ideas:support[confidential]", NOBODY, "DDDDAA"),
    ("ideas:follow[confidential]", NOBODY, "DDDDAA"),
    ("ideas:comment_add[confidential]", NOBODY, "DDDDAA"),
    ("ideas:support[*]", NOBODY, "DAAAAA"), ("ideas:follow[*]", NOBODY, "DAAAAA"),
    ("ideas:comment_add[*]", NOBODY, "DAAAAA"),
    ("ideas:decide[own]", NOBODY, "DNNNNA"),
    ("ideas:decide[confidential]", NOBODY, "DDDDAA"),
    ("ideas:decide[public]", NOBODY, "DNNNAA"),
    # The decision panel: whatever deciding allows, as one form.
    ("ideas:review[own]", NOBODY, "DNNNNA"),
    ("ideas:review[confidential]", NOBODY, "DDDDAA"),
    ("ideas:review[public]", NOBODY, "DNNNAA"),
    ("ideas:note_add[own]", NOBODY, "DDDDNA"), ("ideas:score[own]", NOBODY, "DDDDNA"),
    ("ideas:assign[own]", NOBODY, "DDDDNA"), ("ideas:sponsor[own]", NOBODY, "DDDDNA"),
    ("ideas:note_add[*]", NOBODY, "DDDDAA"), ("ideas:score[*]", NOBODY, "DDDDAA"),
    ("ideas:assign[*]", NOBODY, "DDDDAA"), ("ideas:sponsor[*]", NOBODY, "DDDDAA"),
    # Measured impact: the owner or a programme admin, once an idea is implemented (none
    # of the world's ideas is, so every POST changes nothing).
    ("ideas:impact[*]", NOBODY, "DNNNNN"),
    # Recognition: the submitter invites co-authors; the invitee answers; the submitter or
    # the co-author removes the credit; anyone who sees an idea thanks its contributors,
    # except the contributors themselves. The world's invitation asks the employee.
    ("ideas:coauthor_invite[own]", NOBODY, "DDDDAD"),
    ("ideas:coauthor_invite[*]", NOBODY, NOBODY),
    ("ideas:coauthor_answer[invited]", NOBODY, "DADDDD"),
    ("ideas:coauthor_remove[invited]", NOBODY, "DADDDD"),
    ("ideas:coauthor_*[confidential]", NOBODY, NOBODY),
    ("ideas:thank[confidential]", NOBODY, "DDDDAA"),
    ("ideas:thank[own]", NOBODY, "DAAADA"),
    ("ideas:thank[public]", NOBODY, "DAAAAA"),
    ("ideas:comment_edit[mine]", SIGNED_IN, "DAAAAA"),
    ("ideas:comment_edit[*]", NOBODY, NOBODY),  # only the author edits a comment
    ("ideas:comment_delete[mine]", NOBODY, "DAAAAA"),
    ("ideas:comment_delete[*]", NOBODY, NOBODY),
    ("ideas:comment_hide[own]", NOBODY, "DDDDNA"),
    # --- the JSON API (/api/v1/): signed out is a 401 problem; the session's calls see
    # what the pages show. A huge id is refused by the schema (422); a body that is not
    # JSON is a 400/422 whoever sends it (N: nothing changes). GET on a POST-only path and
    # POST on a GET-only one are 405s.
    ("api-v1:openapi-*", "OOOOOO", NOBODY),
    ("api-v1:api-root", "OOOOOO", NOBODY),  # a redirect to the docs
    ("api-v1:idea_*[draft]", NOBODY, "DNNNNN"),
    ("api-v1:idea_*[huge]", "DNNNNN", "DNNNNN"),
    ("api-v1:idea_list", SIGNED_IN, "DNNNNN"), ("api-v1:idea_create", SIGNED_IN, "DNNNNN"),
    ("api-v1:idea_detail[confidential]", "DDDDOO", NOBODY),
    ("api-v1:idea_update[confidential]", "DDDDOO", NOBODY),
    ("api-v1:idea_detail[*]", SIGNED_IN, NOBODY), ("api-v1:idea_update[*]", SIGNED_IN, NOBODY),
    ("api-v1:idea_comment*[confidential]", "DDDDOO", "DNNNNN"),
    ("api-v1:idea_comment*[*]", SIGNED_IN, "DNNNNN"),
    ("api-v1:idea_submit[*]", NOBODY, "DNNNNN"),
    ("api-v1:idea_transition[*]", NOBODY, "DNNNNN"),
    ("api-v1:idea_assign[*]", NOBODY, "DNNNNN"),
    ("api-v1:idea_*support[confidential]", NOBODY, "DDDDAA"),
    ("api-v1:idea_*follow[confidential]", NOBODY, "DDDDAA"),
    ("api-v1:idea_*support[*]", NOBODY, "DAAAAA"),
    ("api-v1:idea_*follow[*]", NOBODY, "DAAAAA"),
    ("api-v1:review_queue", "DDDDOO", NOBODY),
    ("api-v1:champion_profile[huge]", "DNNNNN", NOBODY),
    ("api-v1:insight_*", SIGNED_IN, "DNNNNN"),
    ("api-v1:*", SIGNED_IN, NOBODY),  # the programme's other (GET-only) endpoints
    ("api:tokens", SIGNED_IN, "DAAAAA"),
    ("api:token_revoke[*]", NOBODY, NOBODY),
    ("ideas:comment_hide[*]", NOBODY, "DDDDAA"),
    # --- champions --------------------------------------------------------------------
    ("champions:roster", SIGNED_IN), ("champions:coverage", SIGNED_IN),
    ("champions:profile[other]", SIGNED_IN), ("champions:profile[huge]", NOBODY),
    ("champions:nominate", SIGNED_IN), ("champions:insights", SIGNED_IN),
    ("champions:meeting[department]", SIGNED_IN),
    ("champions:nominations", ADMIN_ONLY),
    # Turning another person's insight into an idea: champions (with a term) and
    # managers; a POST without the idea's fields changes nothing.
    ("champions:insight_to_idea[other]", "DDDODO", "DDDNDN"),
    ("champions:insight_to_idea[huge]", NOBODY, NOBODY),
    # Insights are read by everyone signed in; answered by its owner, a champion of its
    # department or a manager; handed over by its owner or a manager. The queue lists
    # the reader's own (a manager's filters ask for more).
    ("champions:insight_queue", SIGNED_IN, NOBODY),
    ("champions:insight[other]", SIGNED_IN, "DDDADA"),
    ("champions:insight_reassign[other]", NOBODY, "DDDDDA"),
    ("champions:insight*[huge]", NOBODY, NOBODY),
    # Pulses: everyone in the audience answers an open round; champions (with a term)
    # and managers read the results and log a written answer as an insight.
    ("portal:search", SIGNED_IN, NOBODY),
    ("champions:customers", SIGNED_IN, NOBODY),
    ("champions:customer[segment]", SIGNED_IN, NOBODY),
    ("champions:customer[huge]", NOBODY, NOBODY),
    ("champions:pulse_list", SIGNED_IN, NOBODY),
    ("champions:pulse_answer[open]", SIGNED_IN, "DAAAAA"),
    ("champions:pulse_results[open]", "DDDODO", NOBODY),
    ("champions:pulse_to_insight[answer]", NOBODY, "DDDADA"),
    ("champions:pulse_links[open]", NOBODY, "DDDADA"),
    ("champions:pulse*[huge]", NOBODY, NOBODY),
    # A customer's single-use link: public, and an unknown token is simply not found.
    ("pulse_public[bogus]", NOBODY, NOBODY),
    ("champions:nomination_decide[open]", NOBODY, "DDDDDA"),
    ("champions:term_action[champion]", NOBODY, "DDDADA"),
    ("champions:term_action[other]", NOBODY, "DDDDDA"),
    ("champions:handover[champion]", PAGE_EDITORS),
    ("champions:handover[other]", ADMIN_ONLY),
    ("champions:sponsor_idea[confidential]", NOBODY, "DDDDAA"),
    ("champions:sponsor_idea[*]", NOBODY, "DNNANA"),
    # --- onboarding -------------------------------------------------------------------
    ("training:my_onboarding", SIGNED_IN), ("training:team", SIGNED_IN),
    ("training:quiz[live]", SIGNED_IN), ("training:quiz[*]", NOBODY, NOBODY),
    ("training:certificate[path]", "DAAAAA"),
    ("training:enrol", ADMIN_ONLY), ("training:report", ADMIN_ONLY),
    # --- newsletter, notifications, profile, dashboard ---------------------------------
    ("newsletter:subscription", SIGNED_IN),
    # The one-click unsubscribe link works by its signed token alone (RFC 8058).
    ("newsletter:unsubscribe[*]", ANYONE, ANYONE),
    ("people:profile", SIGNED_IN), ("notifications:list", SIGNED_IN),
    ("notifications:settings", SIGNED_IN),
    ("notifications:read", NOBODY, "DAAAAA"),
    ("portal:home", SIGNED_IN), ("portal:dashboard", ADMIN_ONLY),
    # --- Wagtail pages served on the site ----------------------------------------------
    ("wagtail_serve[unpublished-*]", NOBODY, NOBODY),
    ("wagtail_serve[missing]", NOBODY, NOBODY),
    ("wagtail_serve[*]", SIGNED_IN),
    # --- the Wagtail admin ---------------------------------------------------------------
    ("wagtailadmin_home", ADMIN_USERS),
    ("route:admin/test404/", "DDDAAA"), ("route:admin/^.*/$*", NOBODY),
    # Wagtail's deliberate error page (to test error reporting): a 500 by design, for
    # admin users only.
    ("wagtailadmin_error_test", "DDDXXX", "DDDXXX"),
    ("wagtailadmin_account", ADMIN_USERS, "DDDNNN"),  # never changes the e-mail address
    ("wagtailadmin_dismissibles", ADMIN_USERS),
    ("wagtailadmin_block_preview", "DDDAAA"),
    ("wagtailadmin_tag_autocomplete", ADMIN_USERS),
    ("wagtailadmin_tag_model_autocomplete[*]", ADMIN_USERS),
    ("wagtailadmin_api:pages:listing", ADMIN_USERS),
    ("wagtailadmin_api:pages:detail[issue]", "DDDADO"),
    ("wagtailadmin_api:pages:detail[myissue]", PAGE_EDITORS),
    ("wagtailadmin_api:pages:detail[training]", ADMIN_ONLY),
    ("wagtailadmin_api:pages:action[myissue]", NOBODY, "DDDADA"),
    ("wagtailadmin_api:pages:action[*]", NOBODY, "DDDDDA"),
    ("wagtailadmin_api:*:find", "DDDAAA"),
    ("wagtailadmin_api:*", ADMIN_USERS),
    # Explorer and page actions. [issue]: another champion's unpublished issue (only its
    # author, its approvers and programme admins may work on it); [myissue]: the
    # champion's own; [training]: an unpublished onboarding module.
    ("wagtailadmin_explore_root", PAGE_EDITORS),
    ("wagtailadmin_explore*[training*]", "DDDNDO"),
    ("wagtailadmin_explore*", PAGE_EDITORS),
    ("wagtailadmin_pages:search*", PAGE_EDITORS),
    ("wagtailadmin_pages:type_use*", PAGE_EDITORS),
    ("wagtailadmin_pages:choose_parent[*]", "DDDAAA"),
    ("wagtailadmin_pages:add[issue]", PAGE_EDITORS, "DDDMDM"),
    ("wagtailadmin_pages:preview_on_add[issue]", PAGE_EDITORS, "DDDMDM"),
    ("wagtailadmin_pages:add[training]", ADMIN_ONLY, "DDDDDM"),
    ("wagtailadmin_pages:preview_on_add[training]", ADMIN_ONLY, "DDDDDM"),
    ("wagtailadmin_pages:add_subpage[training]", ADMIN_ONLY),
    ("wagtailadmin_pages:add_subpage[*]", NOBODY),  # issues have no sub-pages
    ("wagtailadmin_pages:unpublish[*]", NOBODY),  # none of them is live
    ("wagtailadmin_pages:convert_alias[*]", NOBODY),
    ("wagtailadmin_pages:revisions_index[*]", "DDDAAA"),  # a redirect to the history
    ("wagtailadmin_pages:confirm_workflow_cancellation[*]", "DDDAAA"),
    ("wagtailadmin_pages:set_page_position[myissue]", NOBODY, "DDDADA"),
    ("wagtailadmin_pages:set_page_position[*]", NOBODY, "DDDDDA"),
    ("wagtailadmin_pages:lock[*]", NOBODY, "DDDDDA"),
    ("wagtailadmin_pages:unlock[*]", NOBODY, "DDDDDA"),
    ("wagtailadmin_pages:revisions_unschedule[*]", ADMIN_ONLY),
    ("wagtailadmin_pages:set_privacy[*]", ADMIN_ONLY),
    ("wagtailadmin_pages:workflow_*[issue]", ADMIN_ONLY),
    ("wagtailadmin_pages:collect_workflow_action_data[issue]", ADMIN_ONLY),
    ("wagtailadmin_pages:workflow_action[*]", NOBODY),  # no workflow in progress
    ("wagtailadmin_pages:collect_workflow_action_data[*]", NOBODY),
    ("wagtailadmin_pages:workflow_preview[*]", NOBODY),
    ("wagtailadmin_pages:workflow_history_detail[*]", NOBODY),
    # History and usage show titles and actions, never content: a champion may see
    # them for the archive's issues (the markers would catch content).
    ("wagtailadmin_pages:workflow_history[issue]", "DDDADO"),
    ("wagtailadmin_pages:history*[issue]", "DDDADO"),
    ("wagtailadmin_pages:usage[issue]", "DDDADO"),
    ("wagtailadmin_pages:edit[myissue]", PAGE_EDITORS, "DDDMDM"),
    ("wagtailadmin_pages:preview_on_edit[myissue]", PAGE_EDITORS, "DDDMDM"),
    ("wagtailadmin_pages:revisions_revert[myissue]", PAGE_EDITORS, "DDDMDM"),
    ("wagtailadmin_pages:copy[myissue]", PAGE_EDITORS, "DDDMDM"),
    ("wagtailadmin_pages:*[myissue]", PAGE_EDITORS),
    ("wagtailadmin_pages:edit[*]", ADMIN_ONLY, "DDDDDM"),
    ("wagtailadmin_pages:preview_on_edit[*]", ADMIN_ONLY, "DDDDDM"),
    ("wagtailadmin_pages:revisions_revert[*]", ADMIN_ONLY, "DDDDDM"),
    ("wagtailadmin_pages:copy[*]", ADMIN_ONLY, "DDDDDM"),
    ("wagtailadmin_pages:*[issue]", ADMIN_ONLY),
    ("wagtailadmin_pages:*[training]", ADMIN_ONLY),
    # The bulk confirmation lists the chosen items, those the person may not act on too.
    ("wagtail_bulk_action[*]?id", "DDDAAA"),
    ("wagtail_bulk_action[*]", NOBODY, "DDDDDA"),
    ("wagtailadmin_editing_sessions:ping[training]", NOBODY, "DDDDDA"),
    ("wagtailadmin_editing_sessions:ping[*]", NOBODY, "DDDADA"),
    # Releasing someone else's editing session does nothing.
    ("wagtailadmin_editing_sessions:release[*]", NOBODY, "DDDNNN"),
    # Choosers any admin user may open (links, images and documents they may use).
    ("wagtailadmin_choose_page_external_link", ADMIN_USERS, "DDDMMM"),
    # Browsing into an unpublished page: only people who may work on it (its title shows).
    ("wagtailadmin_choose_page_child[training]", ADMIN_ONLY),
    ("wagtailadmin_choose_page_child[*issue]", PAGE_EDITORS),
    ("wagtailadmin_choose_page*", ADMIN_USERS),
    ("wagtailembeds:*", ADMIN_USERS),
    ("wagtaildocs_chooser:create", NOBODY), ("wagtaildocs_chooser:*", ADMIN_USERS),
    ("wagtailimages_chooser:choose*", ADMIN_USERS),
    ("wagtailimages_chooser:chosen_multiple", ADMIN_USERS),
    ("wagtailimages_chooser:*", NOBODY),  # nobody here may choose images
    ("wagtailadmin_workflows:task_chooser*", ADMIN_USERS),
    ("wagtailadmin_workflows:task_chosen", ADMIN_USERS),
    ("wagtailadmin_workflows:*", NOBODY),
    ("decided_idea_chooser:chosen[public]", ADMIN_USERS),
    ("decided_idea_chooser:chosen[*]", NOBODY),
    ("decided_idea_chooser:create", NOBODY),
    ("decided_idea_chooser:*", ADMIN_USERS),
    ("wagtailsnippetchoosers_ideas_stage:create", ADMIN_ONLY, "DDDDDM"),
    ("wagtailsnippetchoosers_people_department:create", ADMIN_ONLY, "DDDDDM"),
    ("wagtailsnippetchoosers_training_onboardingpath:create", ADMIN_ONLY, "DDDDDM"),
    ("wagtailsnippetchoosers_champions_pulsesurvey:create", ADMIN_ONLY, "DDDDDM"),
    ("wagtailsnippetchoosers_people_journeymap:create", ADMIN_ONLY, "DDDDDM"),
    ("wagtailsnippetchoosers_*:create", NOBODY),
    ("wagtailsnippetchoosers_*", ADMIN_USERS),
    # Snippets: the pipeline, departments and onboarding paths are programme admins'.
    # Deleting one that is still used must be refused with a message, not a 500.
    ("wagtailsnippets_ideas_stage:*", ADMIN_ONLY),
    ("wagtailsnippets_people_department:*", ADMIN_ONLY),
    # Its stages are a StreamField: Wagtail's form 500s on a POST without them.
    ("wagtailsnippets_people_journeymap:add", ADMIN_ONLY, "DDDDDM"),
    ("wagtailsnippets_people_journeymap:copy", ADMIN_ONLY, "DDDDDM"),
    ("wagtailsnippets_people_journeymap:edit", ADMIN_ONLY, "DDDDDM"),
    ("wagtailsnippets_people_journeymap:*", ADMIN_ONLY),
    ("wagtailsnippets_training_onboardingpath:*", ADMIN_ONLY),
    ("wagtailsnippets_champions_insight:list*", PAGE_EDITORS),
    ("wagtailsnippets_champions_pulsesurvey:*", ADMIN_ONLY),
    ("wagtailsnippets_*", NOBODY),  # customer vocabulary, insights: no admin editing
    ("wagtailsnippets:index", PAGE_EDITORS),
    ("wagtailusers_users:*", ADMIN_ONLY),
    # API tokens in the admin: programme admins list and revoke (POST only) anyone's.
    ("api_tokens:revoke[*]", NOBODY, NOBODY),
    ("api_tokens:*", ADMIN_ONLY, "DDDDDA"),
    # The inbound e-mail log: programme admins read it; nothing is changed there.
    ("mailin_inbound:*", ADMIN_ONLY, "DDDDDA"),
    # Webhooks (Settings › Webhooks): programme admins only. No endpoint exists in the
    # world, so views of one answer 404 to everyone ("missing"); redeliver is POST only.
    ("webhooks:*[missing]", NOBODY, NOBODY),
    ("webhooks:*", ADMIN_ONLY, "DDDDDA"),
    ("wagtailusers_groups:*", NOBODY),
    ("wagtailsites:*", NOBODY), ("wagtailadmin_collections:*", NOBODY),
    ("wagtailredirects:*", NOBODY),
    # Programme settings (holidays, targets, champion term, newsletter approval):
    # people.change_programmesettings, held by programme admins only.
    # The settings have no preview (not PreviewableMixin): 404 for everyone.
    ("wagtailsettings:preview_on_edit", NOBODY),
    ("wagtailsettings:*", ADMIN_ONLY), ("wagtailsettings_entry", ADMIN_ONLY),
    ("wagtaildocs:*", NOBODY), ("wagtailimages:*", NOBODY),
    # Reports: each lists only what the person may see (the markers check that).
    ("wagtailadmin_reports:site_history*", ADMIN_USERS),
    ("wagtailadmin_reports:locked_pages*", NOBODY),
    ("wagtailadmin_reports:*", PAGE_EDITORS),
    # The intranet's own page types report (portal.admin_urls), at Wagtail's path.
    ("wagtailadmin_reports_page_types_usage*", PAGE_EDITORS),
    # Newsletter sends (programme admins) and test sends (who may edit the issue).
    ("newsletter_sends", ADMIN_ONLY),
    ("newsletter_send_progress[send]", ADMIN_ONLY),
    ("newsletter_send_control[send]", NOBODY, "DDDDDA"),
    ("newsletter_send_*[huge]", NOBODY, NOBODY),
    ("newsletter_test_send[myissue]", PAGE_EDITORS),
    ("newsletter_test_send[issue]", ADMIN_ONLY),
    ("newsletter_test_send[*]", NOBODY, NOBODY),
    # "This will e-mail N people" before an issue's first publish: who may publish it
    # or approve it ([issue] awaits the programme admins' approval); POST without the
    # revision shown publishes nothing.
    ("newsletter_confirm_publish[issue]", ADMIN_ONLY, "DDDDDA"),
    ("newsletter_confirm_publish[myissue]", ADMIN_ONLY, "DDDDDA"),
    ("newsletter_confirm_publish[*]", NOBODY, NOBODY),
)


# ---------------------------------------------------------------------------------------
# Filling URL arguments from the world

HUGE = "9" * 25


def _glob(key: str, glob: str) -> bool:
    """fnmatch without character classes: only * is a wildcard ([variant] is literal)."""
    return re.fullmatch(".*".join(map(re.escape, glob.split("*"))), key) is not None


@dataclass(frozen=True)
class Cell:
    key: str  # name[variant] (what the table matches)
    path: str  # the request path (with query string)


def walk(patterns, prefix="", namespace=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace + ((entry.namespace,) if entry.namespace else ())
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = ":".join((*namespace, entry.name)) if entry.name else None
            yield name, prefix + str(entry.pattern)


ARG = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def arg_names(route: str) -> list[str]:
    return [a or b for a, b in ARG.findall(route)]


def render(route: str, values: dict) -> str:
    path = ARG.sub(lambda m: str(values[m.group(1) or m.group(2)]), route)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


# Patterns with unnamed regex groups (or catch-alls): sample paths by hand.
SAMPLES = {
    "wagtaildocs_serve": lambda w: [("document", f"/documents/{w.ids['document']}/handbook.txt"),
                                    ("missing", f"/documents/{HUGE}/x.txt")],
    "route:admin/^.*/$": lambda w: [("", "/admin/no-such-admin-page/")],
    "wagtail_serve": lambda w: [
        ("home", "/"), ("archive", "/newsletter/"), ("archive-search", "/newsletter/?q=secret"),
        ("sent-issue", "/newsletter/october/"), ("unpublished-issue", "/newsletter/draft-by-cleo/"),
        ("training-index", "/learn/"), ("live-module", "/learn/basics/"),
        ("live-lesson", "/learn/basics/basics-lesson-1/"),
        ("unpublished-module", "/learn/unpublished-module/"), ("missing", "/no/such/page/"),
    ],
}

IDEA_VARIANTS = ("draft", "confidential", "own", "public")
PAGE_VARIANTS = ("issue", "myissue", "training")


def _idea(v):
    return lambda w, role: w.ideas[v].pk


def _comment(v):
    if v == "mine":
        return lambda w, role: w.my_comments.get(role, w.my_comments["employee"]).pk
    return lambda w, role: w.comments[v].pk


def _const(value):
    return lambda w, role: value


def _id(name):
    return lambda w, role: w.ids[name]


def _page(v, key="page"):
    return lambda w, role: w.pages[v][key]


def variants_for(name: str | None, route: str, names: list[str]) -> list[tuple[str, dict]]:
    """[(variant, {arg: fn(world, role) -> value})] for a pattern with arguments."""
    n = name or ""
    a = set(names)
    if n in ("ideas:comment_edit", "ideas:comment_delete", "ideas:comment_hide"):
        return [(v, {"pk": _comment(v)}) for v in (*IDEA_VARIANTS, "mine")]
    if n in ("ideas:attachment", "ideas:attachment_thumbnail"):
        return [(v, {"pk": lambda w, role, v=v: w.attachments[v].pk})
                for v in ("draft", "confidential", "public")]
    if n.startswith("api-v1:idea_"):
        return [(v, {"idea_id": _idea(v)}) for v in IDEA_VARIANTS] + [
            ("huge", {"idea_id": _const(HUGE)})]
    if n == "api-v1:champion_profile":
        return [("other", {"person_id": _id("other_user")}),
                ("huge", {"person_id": _const(HUGE)})]
    if n == "webhooks:redeliver":
        return [("missing", {"pk": _const("00000000-0000-0000-0000-000000000000")})]
    if n.startswith("webhooks:") and "pk" in a:
        return [("missing", {"pk": _const("999999")})]
    if n in ("api:token_revoke", "api_tokens:revoke"):
        return [("huge", {"pk": _const(HUGE)})]
    if n in ("ideas:coauthor_answer", "ideas:coauthor_remove"):
        return [(v, {"pk": lambda w, role, v=v: w.contributions[v].pk})
                for v in ("invited", "confidential")] + [("huge", {"pk": _const(HUGE)})]
    if n.startswith("ideas:") or n == "champions:sponsor_idea":
        return [(v, {"pk": _idea(v)}) for v in IDEA_VARIANTS] + [("huge", {"pk": _const(HUGE)})]
    if n == "decided_idea_chooser:chosen":
        return [(v, {"pk": _idea(v)}) for v in ("draft", "confidential", "public")] + [
            ("huge", {"pk": _const(HUGE)})]
    if n == "champions:profile":
        return [("other", {"pk": _id("other_user")}), ("huge", {"pk": _const(HUGE)})]
    if n in ("champions:insight_to_idea", "champions:insight", "champions:insight_reassign"):
        return [("other", {"pk": lambda w, role: w.snippets["champions_insight"]}),
                ("huge", {"pk": _const(HUGE)})]
    if n == "champions:customer":
        return [("segment", {"pk": _id("segment")}), ("huge", {"pk": _const(HUGE)})]
    if n == "pulse_public":
        return [("bogus", {"token": _const("not-a-token")})]
    if n in ("champions:pulse_answer", "champions:pulse_results", "champions:pulse_links"):
        return [("open", {"pk": _id("pulse_round")}), ("huge", {"pk": _const(HUGE)})]
    if n == "champions:pulse_to_insight":
        return [("answer", {"pk": _id("pulse_answer")}), ("huge", {"pk": _const(HUGE)})]
    if n == "champions:nomination_decide":
        return [("open", {"pk": _id("nomination")})]
    if n in ("champions:term_action", "champions:handover"):
        return [("champion", {"pk": _id("term_champion")}),
                ("other", {"pk": _id("term_champion2")})]
    if n == "champions:meeting":
        return [("department", {"pk": _id("department")})]
    if n == "training:quiz":
        return [("live", {"pk": _id("live_module")}),
                ("unpublished", {"pk": _id("unpublished_module")}), ("huge", {"pk": _const(HUGE)})]
    if n == "training:certificate":
        return [("path", {"pk": _id("path")})]
    if n == "newsletter:unsubscribe":
        return [("other", {"token": _id("unsubscribe_token")}), ("bogus", {"token": _const("x")})]
    if n in ("newsletter_send_progress", "newsletter_send_control"):
        return [("send", {"pk": _id("send")}), ("huge", {"pk": _const(HUGE)})]
    if n == "wagtailadmin_editing_sessions:release":
        return [("other", {"session_id": _id("editing_session")})]
    if n == "wagtailadmin_editing_sessions:ping":
        return [(v, {"app_label": _const("wagtailcore"), "model_name": _const("page"),
                     "object_id": _page(v), "session_id": _id("editing_session")})
                for v in PAGE_VARIANTS]
    if n == "wagtail_bulk_action":
        return [("page-delete", {"app_label": _const("wagtailcore"), "model_name": _const("page"),
                                 "action": _const("delete")}),
                ("user-delete", {"app_label": _const("people"), "model_name": _const("user"),
                                 "action": _const("delete")})]
    if n.startswith("wagtailsnippets_") or n.startswith("wagtailsnippetchoosers_"):
        model = n.split(":")[0].split("_", 1)[1]
        return [("", {"pk": lambda w, role, m=model: w.snippets[m]})]
    if n.startswith("wagtailusers_users:"):
        return [("other", {"pk": _id("other_user")})]
    if n.startswith("wagtailusers_groups:"):
        return [("reviewers", {"pk": _id("group")})]
    if n.startswith("wagtailadmin_collections:"):
        return [("collection", {k: _id("collection") for k in a})]
    if n.startswith("wagtailadmin_workflows:"):
        values = {"pk": _id("task") if "task" in n else _id("workflow"),
                  "task_id": _id("task"), "page_pk": _id("archive"),
                  "workflow_pk": _id("workflow"), "app_label": _const("wagtailcore"),
                  "model_name": _const("groupapprovaltask")}
        return [("", {k: values[k] for k in a})]
    if n.startswith("wagtailredirects:"):
        return [("redirect", {"redirect_id": _id("redirect")})]
    if n.startswith(("wagtailsettings:", "wagtailsettings_entry")):
        # The one registered setting: people.ProgrammeSettings (programme admins only).
        values = {"app_name": _const("people"), "model_name": _const("programmesettings"),
                  "pk": _id("programme_settings")}
        return [("", {k: values[k] for k in a})]
    if n.startswith(("wagtailimages:", "wagtailimages_chooser:", "wagtailadmin_api:images")):
        values = {"image_id": _id("image"), "pk": _id("image"), "uploaded_file_id": _const(HUGE),
                  "filter_spec": _const("fill-10x10")}
        return [("image", {k: values[k] for k in a})]
    if n.startswith(("wagtaildocs:", "wagtaildocs_chooser:", "wagtailadmin_api:documents")):
        values = {"document_id": _id("document"), "doc_id": _id("document"),
                  "pk": _id("document"), "uploaded_file_id": _const(HUGE)}
        return [("document", {k: values[k] for k in a})]
    if n == "wagtaildocs_authenticate_with_password":
        return [("missing", {"restriction_id": _const(HUGE)})]
    if n.startswith("wagtailsites:"):
        return [("site", {"pk": _id("site")})]
    if n == "wagtailadmin_tag_model_autocomplete":
        return [("taggit", {"app_name": _const("taggit"), "model_name": _const("tag")})]
    if n in ("wagtailadmin_pages:type_use", "wagtailadmin_pages:type_use_results"):
        return [("issue", {"content_type_app_name": _const("newsletter"),
                           "content_type_model_name": _const("newsletterissuepage")})]
    if n == "wagtailadmin_pages:choose_parent":
        return [("issue", {"app_label": _const("newsletter"),
                           "model_name": _const("newsletterissuepage")}),
                ("training", {"app_label": _const("training"), "model_name": _const("modulepage")})]
    if n in ("wagtailadmin_pages:add", "wagtailadmin_pages:preview_on_add"):
        return [("issue", {"content_type_app_name": _const("newsletter"),
                           "content_type_model_name": _const("newsletterissuepage"),
                           "parent_page_id": _id("archive")}),
                ("training", {"content_type_app_name": _const("training"),
                              "content_type_model_name": _const("modulepage"),
                              "parent_page_id": _id("training_index")})]
    if n in ("wagtailadmin_explore", "wagtailadmin_explore_results",
             "wagtailadmin_choose_page_child"):
        return [("archive", {"parent_page_id": _id("archive")}),
                ("training-index", {"parent_page_id": _id("training_index")}),
                *[(v, {"parent_page_id": _page(v)}) for v in PAGE_VARIANTS]]
    if n == "wagtailadmin_password_reset_confirm":
        return [("bogus", {"uidb64": _const("MQ"), "token": _const("bogus-token")})]
    if n == "account_confirm_email":
        return [("bogus", {"key": _const("bogus-key")})]
    if n == "account_reset_password_from_key":
        return [("bogus", {"uidb36": _const("1"), "key": _const("bogus-key")})]
    if n.startswith("openid_connect_"):
        return [("", {"provider_id": _const("oidc")})]
    if n == "wagtailcore_authenticate_with_password":
        return [("missing", {"page_view_restriction_id": _const(HUGE),
                             "page_id": _page("issue")})]
    page_args = {"page_id", "parent_page_id", "page_to_move_id", "pk", "revision_id",
                 "destination_id", "task_state_id", "workflow_state_id", "task_id",
                 "action_name", "revision_id_a", "revision_id_b"}
    if a and a <= page_args and (n.startswith(("wagtailadmin_pages:", "wagtailadmin_api:pages"))
                                 or n in ("newsletter_test_send",
                                          "newsletter_confirm_publish")):
        out = []
        for v in PAGE_VARIANTS:
            values = {"page_id": _page(v), "parent_page_id": _page(v),
                      "page_to_move_id": _page(v), "pk": _page(v),
                      "revision_id": _page(v, "revision"), "destination_id": _page(v, "parent"),
                      "task_state_id": _page(v, "task_state"),
                      "workflow_state_id": _page(v, "workflow_state"),
                      "task_id": _page(v, "task"), "action_name": _const(
                          "copy" if n.startswith("wagtailadmin_api") else "approve"),
                      "revision_id_a": _const("earliest"), "revision_id_b": _const("latest")}
            out.append((v, {k: values[k] for k in a}))
        if n in ("newsletter_test_send", "newsletter_confirm_publish"):
            out.append(("huge", {"page_id": _const(HUGE)}))
        return out
    return []


# List-like views are also asked to search for the markers and to export.
SEARCH_QUERIES = {
    "*:list": ("?q=secret", "?q=secret&export=csv"),
    "*:list_results": ("?q=secret",),
    "*:index": ("?q=secret", "?q=secret&export=csv"),
    "*:index_results": ("?q=secret",),
    "*:choose": ("?q=secret",),
    "*:choose_results": ("?q=secret",),
    "*:history": ("?export=csv",),
    "*:history_results": ("?q=secret",),
    "*:search": ("?q=secret",),
    "*:search_results": ("?q=secret",),
    "wagtailadmin_choose_page_search": ("?q=secret",),
    "wagtailadmin_explore_results": ("?q=secret",),
    "wagtailadmin_reports:*": ("?q=secret", "?export=csv"),
    "wagtailadmin_reports_*": ("?q=secret", "?export=csv"),
    "wagtailadmin_tag_autocomplete": ("?term=secret",),
    "wagtailadmin_tag_model_autocomplete": ("?term=secret",),
    "wagtailadmin_api:pages:listing": ("?search=secret", "?type=wagtailcore.Page&fields=*"),
    "wagtailadmin_api:*:listing": ("?search=secret",),
    "wagtailadmin_api:*:find": ("?id=0",),
    "ideas:list": ("?q=secret", "?sort=newest"),
    "ideas:export": ("?q=secret",),
    "ideas:similar": ("?title=secret+draft+conf+title&problem=problem",),
    "person_search": ("?q=secret", "?q=person"),
    "ideas:queue": ("?q=secret",),
    "api-v1:idea_list": ("?q=secret", "?sort=supported"),
    "api-v1:review_queue": ("?q=secret",),
    "champions:insights": ("?q=secret",),
    "portal:search": ("?q=secret", "?q=secret&kind=ideas", "?q=secret&kind=people"),
    "champions:roster": ("?q=omar",),
    "champions:nominations": ("?status=open",),
    "training:report": ("?format=csv",),
    "portal:dashboard": ("?export=funnel",),
    "wagtail_bulk_action[page-delete]": ("?id={issue}",),
    "wagtail_bulk_action[user-delete]": ("?id={other_user}",),
    "decided_idea_chooser:chosen_multiple": ("?id={confidential}&id={draft}",),
    "wagtailsnippetchoosers_*:chosen_multiple": ("?id=1",),
}


def url_cells(world: World | None = None) -> list[tuple[str, str | None, str, list]]:
    """[(key, name, route, [(variant, fill)])] for every pattern of the URLconf."""
    out = []
    for name, route in walk(get_resolver().url_patterns):
        key = name or f"route:{route}"
        names = arg_names(route)
        if key in SAMPLES:
            out.append((key, name, route, "samples"))
        elif not names and "(" not in route:
            out.append((key, name, route, [("", {})]))
        else:
            out.append((key, name, route, variants_for(name, route, names)))
    return out


def expand(world: World, role: str) -> list[Cell]:
    """Every request of the matrix for one role."""
    cells = []
    for key, _name, route, fills in url_cells():
        if fills == "samples":
            cells += [Cell(f"{key}[{v}]", path) for v, path in SAMPLES[key](world)]
            continue
        for variant, fill in fills:
            values = {arg: fn(world, role) for arg, fn in fill.items()}
            path = render(route, values)
            cell_key = f"{key}[{variant}]" if variant else key
            cells.append(Cell(cell_key, path))
            for glob, queries in SEARCH_QUERIES.items():
                if _glob(cell_key, glob) or _glob(key, glob):
                    for query in queries:
                        query = query.format(issue=world.pages["issue"]["page"],
                                             other_user=world.other.pk,
                                             confidential=world.ideas["confidential"].pk,
                                             draft=world.ideas["draft"].pk)
                        cells.append(Cell(f"{cell_key}{query.split('=')[0]}", path + query))
    return cells


def rule_for(key: str):
    base = key.split("?", 1)[0]
    for glob, get_codes, post_codes in EXPECTATIONS:
        if _glob(key, glob) or _glob(base, glob):
            return glob, get_codes, post_codes
    return None


def codes_for(key: str, method: str) -> str | None:
    rule = rule_for(key)
    if rule is None:
        return None
    _glob, get_codes, post_codes = rule
    codes = get_codes.replace(" ", "")
    if method == "POST":
        if post_codes is None:
            codes = codes.replace("O", "A")
        else:
            codes = post_codes.replace(" ", "")
    assert len(codes) == len(ROLES), f"rule {rule[0]!r} needs {len(ROLES)} codes"
    return codes


# ---------------------------------------------------------------------------------------
# Running one cell

LOGIN_URL = "/accounts/login/"


def _fingerprint() -> str:
    """A digest of the data a refused request must not change."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group
    from wagtail.admin.models import EditingSession
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.models import (
        Collection,
        GroupPagePermission,
        ModelLogEntry,
        Page,
        PageLogEntry,
        Revision,
        Site,
        TaskState,
        Workflow,
        WorkflowState,
    )

    from champions.models import (
        Insight,
        Nomination,
        PulseAnswer,
        PulseLink,
        PulseResponse,
        Term,
    )
    from ideas.models import (
        Attachment,
        Comment,
        Contributor,
        Follow,
        Idea,
        ImpactMeasurement,
        InternalNote,
        Score,
        Support,
        ThankYou,
    )
    from newsletter.models import Delivery, Send, Unsubscription
    from notifications.models import Notification
    from people.models import Department, User
    from training.models import Enrolment, LessonCompletion, OnboardingPath, QuizAttempt

    queries = [
        Idea.objects.values_list("pk", "title", "status", "stage_id", "assignee_id",
                                 "sponsor_id", "confidential", "duplicate_of_id"),
        Comment.objects.values_list("pk", "body", "hidden_at"),
        InternalNote.objects.values_list("pk", "body"),
        Score.objects.values_list("pk", "impact", "reach", "confidence", "effort"),
        Support.objects.values_list("pk"), Follow.objects.values_list("pk"),
        Attachment.objects.values_list("pk"),
        Contributor.objects.values_list("pk", "status"), ThankYou.objects.values_list("pk"),
        ImpactMeasurement.objects.values_list("pk", "measured"),
        Notification.objects.values_list("pk", "read_at"),
        Nomination.objects.values_list("pk", "status"),
        Term.objects.values_list("pk", "ended_on", "ends_on", "handover_note", "successor_id"),
        Insight.objects.values_list("pk", "text", "status", "owner_id", "responded_at"),
        PulseResponse.objects.values_list("pk"),
        PulseAnswer.objects.values_list("pk", "insight_id"),
        PulseLink.objects.values_list("pk", "used_at"),
        Enrolment.objects.values_list("pk", "status", "due_on"),
        LessonCompletion.objects.values_list("pk"), QuizAttempt.objects.values_list("pk"),
        User.objects.values_list("pk", "email", "is_active", "password", "display_name",
                                 "department_id", "is_superuser", "username"),
        User.groups.through.objects.values_list("pk", "user_id", "group_id"),
        EmailAddress.objects.values_list("pk", "email", "verified", "primary"),
        Group.objects.values_list("pk", "name"),
        Group.permissions.through.objects.values_list("pk"),
        GroupPagePermission.objects.values_list("pk"),
        Page.objects.values_list("pk", "title", "live", "locked", "owner_id", "path",
                                 "latest_revision_id", "has_unpublished_changes", "slug"),
        Revision.objects.values_list("pk"),
        PageLogEntry.objects.values_list("pk"), ModelLogEntry.objects.values_list("pk"),
        Send.objects.values_list("pk", "status"),
        Delivery.objects.values_list("pk", "status"),
        Unsubscription.objects.values_list("pk"),
        Collection.objects.values_list("pk", "name"),
        Redirect.objects.values_list("pk", "old_path"), Site.objects.values_list("pk"),
        Workflow.objects.values_list("pk", "active"),
        WorkflowState.objects.values_list("pk", "status"),
        TaskState.objects.values_list("pk", "status"),
        Image.objects.values_list("pk", "title"), Document.objects.values_list("pk", "title"),
        Department.objects.values_list("pk", "name"),
        OnboardingPath.objects.values_list("pk", "name"),
        EditingSession.objects.values_list("pk", "user_id"),
    ]
    digest = hashlib.sha256()
    for qs in queries:
        digest.update(repr(list(qs.order_by("pk"))).encode())
    return digest.hexdigest()


def _body(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    headers = "\n".join(f"{k}: {v}" for k, v in response.items())
    return (headers + "\n" + content.decode("utf-8", "replace")).lower()


def _is_login_redirect(response) -> bool:
    return response.status_code in (301, 302, 303, 307, 308) and \
        response["Location"].split("?")[0] in (LOGIN_URL, "/admin/login/", "/_util/login/")


def _is_admin_refusal(response) -> bool:
    # Wagtail's permission_denied(): a redirect to the admin home with an error message.
    return response.status_code == 302 and response["Location"].split("?")[0] == "/admin/"


def _outcome(response) -> str:
    status = response.status_code
    if status >= 500:
        return "5xx"
    if status in (401, 403, 404, 405, 410) or _is_login_redirect(response):
        return "denied"
    if _is_admin_refusal(response):
        return "admin-refusal"
    if status in (400, 409, 429):
        return "refused-input"
    if 200 <= status < 400:
        return "ok"
    return f"other-{status}"


def _matches(code: str, outcome: str, changed: bool, method: str, status: int) -> bool:
    if code in "MX":
        return True
    if code == "H":
        return status in (200, 503)
    if outcome == "5xx":
        return False
    if code == "A":
        return True
    if code == "O":
        return outcome == "ok"
    if code == "N":
        return not changed if method == "POST" else not 200 <= status < 300
    if code == "D":
        if method == "POST" and changed:
            return False
        return outcome in ("denied", "admin-refusal")
    raise AssertionError(f"unknown code {code!r}")


# Extra texts a role must not receive on particular cells (beyond the markers).
FORBIDDEN_EXTRA = {
    # Conflict of interest: on their own idea a reviewer sees no reviewer tools at all.
    ("reviewer", "ideas:detail[own]"): ('id="scores-heading"', 'id="notes-heading"',
                                        OWN_NOTE),
}


def _other_notification_unread(w, role):
    from notifications.models import Notification

    if Notification.objects.filter(recipient=w.other, read_at__isnull=False).exists():
        return "marked another person's notification read"
    return None


def _no_email_changed(w, role):
    from people.models import User

    changed = [u.username for u in User.objects.all()
               if u.email != w.emails.get(u.pk, u.email)]
    return f"e-mail address changed for {changed}" if changed else None


def _no_conflicting_assignment(w, role):
    from ideas.models import Idea

    own = Idea.objects.get(pk=w.ideas["own"].pk)
    draft = Idea.objects.get(pk=w.ideas["draft"].pk)
    if draft.assignee_id is not None:
        return "assigned another person's draft"
    if role == "reviewer" and own.assignee_id is not None:
        return "the reviewer assigned their own idea"
    return None


# Checked after every POST to these URLs (inside the request's savepoint), whatever the
# role: what no request may do even when the role may use the view.
INVARIANTS = {
    "notifications:read": _other_notification_unread,
    "wagtailadmin_account": _no_email_changed,
    "account_email": _no_email_changed,
    "ideas:queue": _no_conflicting_assignment,
    "ideas:assign": _no_conflicting_assignment,
}


class Matrix:
    def __init__(self, world: World):
        self.world = world
        self.clients = {}
        self.sessions = {}
        for role in ROLES:
            client = Client(raise_request_exception=False)
            if role != "anonymous":
                client.force_login(world.users[role])
            self.clients[role] = client
            self.sessions[role] = client.cookies.get(settings.SESSION_COOKIE_NAME)
        self.failures: list[tuple] = []
        self.observed: list[tuple] = []
        self.count = 0

    def run(self, role: str, method: str, cell: Cell, code: str) -> None:
        client = self.clients[role]
        broken = None
        sid = transaction.savepoint_create()
        try:
            before = _fingerprint() if method == "POST" else None
            sent = len(mail.outbox)
            if method == "GET":
                response = client.get(cell.path)
            else:
                response = client.post(cell.path, data=self._post_data(cell))
            body = _body(response)
            changed = method == "POST" and (_fingerprint() != before
                                            or len(mail.outbox) != sent)
            invariant = INVARIANTS.get(cell.key.split("[")[0].split("?")[0])
            if method == "POST" and invariant:
                broken = invariant(self.world, role)
        finally:
            transaction.savepoint_rollback(sid)
            # Each request starts from the signed-in session and a clean cache (rate
            # limits, cached site roots a rolled-back request may have filled).
            client.cookies = SimpleCookie()
            if self.sessions[role] is not None:
                client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role].value
            # Only this test process's keys: on Redis a FLUSHDB would also empty the Celery
            # queue a parallel test's worker is reading (tests/services).
            clear_own_cache_keys()
            del mail.outbox[sent:]
        self.count += 1
        outcome = _outcome(response)
        self.observed.append((cell.key, role, method, response.status_code, outcome,
                              response.get("Location", "")[:50], changed))
        problems = []
        if not _matches(code, outcome, changed, method, response.status_code):
            detail = outcome
            if outcome == "5xx" and getattr(response, "exc_info", None):
                detail += f" {response.exc_info[0].__name__}: {str(response.exc_info[1])[:80]}"
            elif response.status_code in (301, 302, 303):
                detail += f" → {response['Location'][:60]}"
            if changed:
                detail += " (and changed data)"
            problems.append(f"expected {code} got {response.status_code} {detail}")
        leaked = [m for m, roles in PRIVATE_TO.items() if role in roles and m in body]
        leaked += [t for t in FORBIDDEN_EXTRA.get((role, cell.key.split("?")[0]), ())
                   if t.lower() in body]
        if leaked:
            problems.append(f"LEAK {', '.join(leaked)} (status {response.status_code})")
        if broken:
            problems.append(f"POST broke a rule: {broken}")
        for problem in problems:
            self.failures.append((role, method, cell.key, cell.path, problem))

    def _post_data(self, cell: Cell) -> dict:
        # Enough to pass each write's form where it matters for the matrix: a denied
        # role's POST must then be refused by permission, not by a missing field.
        w = self.world
        key = cell.key.split("[")[0]
        variant = cell.key.split("[")[1].split("]")[0] if "[" in cell.key else ""
        if key == "ideas:decide" and variant in w.ideas:
            idea = w.ideas[variant]
            stage = idea.stage
            target = stage.allowed_next.first() if stage else None
            return {"to_stage": target.pk if target else "", "reason": "Because.",
                    "expected_stage": stage.pk if stage else ""}
        if key == "ideas:review" and variant in w.ideas:
            idea = w.ideas[variant]
            stage = idea.stage
            target = stage.allowed_next.first() if stage else None
            return {"to_stage": target.pk if target else "", "reason": "Because.",
                    "expected_stage": stage.pk if stage else "", "note": "A note",
                    "impact": 3, "reach": 3, "confidence": 3, "effort": 3}
        data = {
            "ideas:comment_edit": {"body": "Edited"},
            "ideas:comment_hide": {"reason": "Off topic"},
            "ideas:comment_add": {"body": "A comment"},
            "ideas:note_add": {"body": "A note"},
            "ideas:score": {"impact": 3, "reach": 3, "confidence": 3, "effort": 3},
            "ideas:assign": {"assignee": w.users["reviewer"].pk},
            "ideas:sponsor": {"sponsor": w.users["champion"].pk},
            "ideas:impact": {"unit": "score", "baseline": "3.4", "measured": "4.2",
                             "measured_on": "2026-11-20", "method": "Survey"},
            "ideas:support": {}, "ideas:follow": {},
            "ideas:coauthor_invite": {"person": w.users["champion"].pk},
            "ideas:coauthor_answer": {"answer": "accept"},
            "ideas:thank": {"body": "Thank you!"},
            "ideas:edit": {"title": "Edited title", "problem": "p", "delight": "d",
                           "metric": "nps"},
            "ideas:queue": {"ideas": [i.pk for i in w.ideas.values()],
                            "assignee": w.users["reviewer"].pk},
            "champions:nomination_decide": {"decision": "approve", "reason": "Yes"},
            "champions:term_action": {"action": "end", "reason": "Done"},
            "champions:handover": {"note": "Over to you", "successor": w.other.pk},
            "champions:insight": {"status": "acknowledged", "note": "On it"},
            "champions:pulse_answer": {f"q{w.ids['pulse_question']}": "Long waits"},
            "champions:pulse_links": {"count": 3},
            "champions:insight_reassign": {"reassign-owner": w.users["champion"].pk},
            "notifications:read": {"id": [n for n in range(1, 50)]},
            "newsletter_send_control": {"action": "retry"},
            "wagtailadmin_account": {"name_email-email": "someone@gmail.com",
                                     "name_email-first_name": "X",
                                     "name_email-last_name": "Y"},
            "wagtailadmin_password_reset": {"email": w.other.email},
            "wagtailadmin_pages:edit": {"title": "Hijacked", "slug": "hijacked",
                                        "action-publish": "1"},
            "wagtailadmin_pages:delete": {},
            "wagtailadmin_pages:workflow_action": {},
            "wagtailusers_users:edit": {"email": "x@gmail.com", "username": "x"},
            "wagtailadmin_editing_sessions:release": {},
        }.get(key, {"q": "secret"})
        return data


def _table(failures) -> str:
    lines = [f"{len(failures)} failing cell(s):",
             f"{'role':16} {'method':6} {'url name[variant]':60} problem / path"]
    for role, method, key, path, problem in sorted(failures):
        lines.append(f"{role:16} {method:6} {key:60} {problem}  ({path})")
    return "\n".join(lines)


def _run_matrix(world, django_db_blocker, method: str, role: str) -> Matrix:
    started = time.monotonic()
    role_index = ROLES.index(role)
    with django_db_blocker.unblock():
        matrix = Matrix(world)
        dump = os.environ.get("MATRIX_DUMP")
        if dump:
            dump = f"{dump}.{role}"
        for cell in expand(world, role):
            if method == "POST" and "?" in cell.path:
                continue  # the search and export variants are GET requests
            codes = codes_for(cell.key, method)
            code = codes[role_index] if codes else "A"
            if code == "-":
                continue
            matrix.run(role, method, cell, code)
        if dump:
            with open(f"{dump}.{method}", "w") as out:
                out.write(_table(matrix.failures))
            with open(f"{dump}.{method}.observed", "w") as out:
                for row in matrix.observed:
                    out.write("\t".join(map(str, row)) + "\n")
    matrix.seconds = time.monotonic() - started
    return matrix


# ---------------------------------------------------------------------------------------
# The tests

def test_every_url_pattern_has_an_expectation(world):
    """A new URL (a new view, a Wagtail or allauth upgrade) fails here until the table
    says what each role may do with it."""
    missing, unfilled = [], []
    keys = set()
    for role in ROLES[1:2]:
        for cell in expand(world, role):
            keys.add(cell.key)
    for key, _name, route, fills in url_cells():
        if fills != "samples" and not fills:
            unfilled.append(f"{key}  ({route})")
    missing = sorted(k for k in keys if rule_for(k) is None)
    assert not unfilled, "Patterns whose arguments the matrix cannot fill:\n" + "\n".join(
        unfilled)
    assert not missing, "URL patterns with no rule in EXPECTATIONS:\n" + "\n".join(missing)


def test_no_expectation_is_stale(world):
    keys = {cell.key for cell in expand(world, "employee")}
    stale = [glob for glob, _g, _p in EXPECTATIONS
             if not any(_glob(k, glob) or _glob(k.split("?")[0], glob)
                        for k in keys)]
    assert not stale, f"Rules that match no URL any more: {stale}"


# One test per role and method, so parallel test processes share the work.
@pytest.mark.parametrize("role", ROLES)
def test_matrix_get(world, django_db_blocker, role):
    matrix = _run_matrix(world, django_db_blocker, "GET", role)
    print(f"GET as {role}: {matrix.count} cells in {matrix.seconds:.0f}s")
    assert not matrix.failures, _table(matrix.failures)


@pytest.mark.parametrize("role", ROLES)
def test_matrix_post(world, django_db_blocker, role):
    matrix = _run_matrix(world, django_db_blocker, "POST", role)
    print(f"POST as {role}: {matrix.count} cells in {matrix.seconds:.0f}s")
    assert not matrix.failures, _table(matrix.failures)


def test_markers_are_where_the_matrix_looks(world, django_db_blocker):
    """The matrix is only as good as its markers: the roles allowed to see each private
    object do see its marker, so a leak would be noticed."""
    with django_db_blocker.unblock():
        matrix = Matrix(world)
        admin = matrix.clients["programme_admin"]
        owner = Client()
        owner.force_login(world.other)
        draft = owner.get(reverse("ideas:detail", args=[world.ideas["draft"].pk]))
        assert DRAFT in draft.content.decode()
        confidential = admin.get(reverse("ideas:detail",
                                         args=[world.ideas["confidential"].pk]))
        assert CONFIDENTIAL in confidential.content.decode()
        own = admin.get(reverse("ideas:detail", args=[world.ideas["own"].pk]))
        assert OWN_NOTE in own.content.decode()
        assert 'id="scores-heading"' in own.content.decode()
