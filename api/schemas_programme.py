"""What the programme endpoints (champions, insights, onboarding, newsletter) answer and
accept. Every field is declared with its real type and nullability: the OpenAPI document
is generated from these and schemathesis checks each response against it."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from shared.parsing import MAX_ID

Sentiment = Literal["positive", "neutral", "negative"]
RosterStatus = Literal["active", "upcoming", "past", "all"]


class DepartmentRef(Schema):
    id: int
    name: str


class NamedRef(Schema):
    id: int
    name: str


class PersonRef(Schema):
    """A colleague as the intranet shows them next to their work (no e-mail address)."""

    id: int
    name: str
    job_title: str


class PersonDetail(PersonRef):
    department: DepartmentRef | None


# --- champions ------------------------------------------------------------------------

class RosterTerm(Schema):
    id: int
    person: PersonRef
    starts_on: date
    ends_on: date
    ended_on: date | None
    last_day: date = Field(description="The day the term ended or will end.")
    is_active: bool
    is_upcoming: bool
    served_days: int


class RosterDepartment(Schema):
    """A department and its champions matching the filter; an empty list is a gap."""

    department: DepartmentRef
    champions: list[RosterTerm]


class RosterPage(Schema):
    items: list[RosterDepartment]
    next: str | None
    count: int
    count_capped: bool


class CoverageDepartment(Schema):
    id: int
    name: str
    parent_id: int | None
    head_count: int
    active_champions: int
    ending_soon: int = Field(description="Active terms ending within 30 days.")
    per_hundred: float | None = Field(description="Champions per 100 people (no head "
                                                  "count: null).")
    status: Literal["gap", "ending", "covered"]


class Coverage(Schema):
    total: int
    covered: int
    percentage: int
    departments: list[CoverageDepartment]


class ProfileTerm(Schema):
    id: int
    department: DepartmentRef
    starts_on: date
    ends_on: date
    ended_on: date | None
    ended_reason: str
    last_day: date
    is_active: bool
    handover_note: str


class IdeaRef(Schema):
    id: int
    title: str
    stage: str | None


class IssueRef(Schema):
    id: int
    title: str
    published_at: datetime | None
    url: str | None


class Outcomes(Schema):
    implemented: int
    in_progress: int
    insights_to_ideas: int


# --- insights -------------------------------------------------------------------------

class InsightOut(Schema):
    id: int
    text: str
    sentiment: Sentiment
    created_at: datetime
    author: PersonRef
    department: DepartmentRef | None
    customer_segment: NamedRef | None
    channel: NamedRef | None
    idea_id: int | None = Field(description="The idea it inspired (its number).")
    tags: list[str]


class InsightPage(Schema):
    items: list[InsightOut]
    next: str | None
    count: int
    count_capped: bool


class InsightIn(Schema):
    text: str = Field(min_length=1, max_length=1000)
    sentiment: Sentiment = "neutral"
    customer_segment: int | None = Field(None, ge=1, le=MAX_ID,
                                         description="A customer segment id.")
    channel: int | None = Field(None, ge=1, le=MAX_ID, description="A channel id.")
    idea: int | None = Field(None, ge=1, le=MAX_ID,
                             description="The number of an idea it inspired.")
    tags: list[str] = Field(default_factory=list, max_length=50)


class ChampionProfile(Schema):
    person: PersonDetail
    terms: list[ProfileTerm]
    sponsored_ideas: list[IdeaRef]
    outcomes: Outcomes
    insights: list[InsightOut] = Field(description="The latest 20.")
    newsletter_issues: list[IssueRef]


# --- onboarding -----------------------------------------------------------------------

class OnboardingModule(Schema):
    id: int
    title: str
    url: str | None
    estimated_minutes: int


class OnboardingEnrolment(Schema):
    id: int
    module: OnboardingModule
    path: NamedRef | None
    status: Literal["assigned", "completed", "review"]
    due_on: date | None
    overdue: bool
    completed_at: datetime | None
    best_score: int | None
    steps: int
    steps_done: int
    percent: int
    quiz_passed: bool
    resume_url: str | None = Field(description="Where to carry on (null: nothing to resume).")


class OnboardingPath(Schema):
    id: int
    name: str
    certificate_url: str


class Onboarding(Schema):
    overall: int = Field(description="Percent of all steps done.")
    next_due: int | None = Field(description="The id of the next unfinished enrolment.")
    enrolments: list[OnboardingEnrolment]
    paths: list[OnboardingPath]


# --- newsletter -----------------------------------------------------------------------

class NewsletterIssue(Schema):
    id: int
    title: str
    published_at: datetime | None
    url: str | None
    summary: str


class NewsletterPage(Schema):
    items: list[NewsletterIssue]
    next: str | None
    count: int
    count_capped: bool
