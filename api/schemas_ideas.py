"""What the ideas and review endpoints answer and accept (the OpenAPI document is
generated from these; schemathesis checks every response against it)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from api.schemas_programme import DepartmentRef, NamedRef, PersonRef
from shared.parsing import MAX_ID

IdeaStatus = Literal["draft", "submitted", "withdrawn"]
Id = Field(..., ge=1, le=MAX_ID)


class StageRef(Schema):
    id: int
    name: str
    kind: str


class TagOut(Schema):
    slug: str
    name: str


class IdeaRow(Schema):
    id: int
    title: str
    status: IdeaStatus
    stage: StageRef | None
    department: DepartmentRef | None
    customer_segment: NamedRef | None
    confidential: bool
    support_count: int
    comment_count: int
    submitted_at: datetime | None
    decided_at: datetime | None
    tags: list[TagOut]
    url: str = Field(description="The idea's page on the intranet.")


class IdeaPage(Schema):
    items: list[IdeaRow]
    next: str | None
    count: int
    count_capped: bool


class ImpactOut(Schema):
    metric: str
    unit: Literal["score", "percent"]
    baseline: Decimal
    target: Decimal | None
    measured: Decimal
    measured_on: date
    improved: bool = Field(description="Measured better than the baseline (for churn: lower).")


class IdeaDetail(IdeaRow):
    problem: str
    delight: str
    customer_detail: str
    metric: str
    whys: list[str]
    journey_stage: NamedRef | None
    channel: NamedRef | None
    submitter: PersonRef
    coauthors: list[PersonRef] = Field(description="Colleagues credited beside the submitter.")
    impact: ImpactOut | None = Field(description="The measured impact, once recorded.")
    assignee: PersonRef | None
    sponsor: PersonRef | None
    duplicate_of_id: int | None
    created_at: datetime
    viewer_supports: bool
    viewer_follows: bool
    comments: str = Field(description="This API's list of the idea's comments.")


class IdeaIn(Schema):
    """A draft's fields, as the intranet's idea form takes them (ids for vocabularies)."""

    title: str = Field(..., max_length=200)
    problem: str = Field(..., max_length=5000)
    delight: str = Field(..., max_length=3000)
    customer_segment: int = Id
    customer_detail: str = ""
    metric: Literal["nps", "csat", "ces", "churn", "fcr", "other"]
    journey_stage: int | None = Field(None, ge=1, le=MAX_ID)
    channel: int | None = Field(None, ge=1, le=MAX_ID)
    department: int | None = Field(None, ge=1, le=MAX_ID)
    confidential: bool = False
    tags: list[str] = Field(default_factory=list, max_length=20)
    whys: list[str] = Field(default_factory=list, max_length=5)


class SupportOut(Schema):
    supported: bool
    support_count: int


class FollowOut(Schema):
    following: bool


class CommentIn(Schema):
    body: str = Field(..., min_length=1, max_length=5000)


class CommentOut(Schema):
    id: int
    author: PersonRef
    body: str = Field(description="Empty when a reviewer hid the comment.")
    hidden: bool
    created_at: datetime
    edited_at: datetime | None


class CommentPage(Schema):
    items: list[CommentOut]
    next: str | None
    count: int
    count_capped: bool


class TransitionIn(Schema):
    to_stage: int = Id
    reason: str = Field("", max_length=5000)
    expected_stage: int | None = Field(
        None, ge=1, le=MAX_ID,
        description="The stage you saw: if someone moved the idea since, the answer is 409.")
    duplicate_of: int | None = Field(None, ge=1, le=MAX_ID)
    customer_named: bool | None = Field(
        None, description="Amazon's first question: is the customer named? Accepting an "
                          "idea needs a yes to both questions (recorded first; omit both "
                          "to keep earlier answers).")
    delight_explained: bool | None = Field(
        None, description="Amazon's second question: is why it will delight them explained?")


class TransitionOut(Schema):
    id: int
    from_stage: StageRef | None
    to_stage: StageRef
    reason: str
    created_at: datetime


class AssignIn(Schema):
    assignee: int | None = Field(..., ge=1, le=MAX_ID,
                                 description="A reviewer's id, or null to unassign.")


class AssignOut(Schema):
    assignee: PersonRef | None
    changed: bool


class QueueRow(IdeaRow):
    assignee: PersonRef | None
    stage_entered_at: datetime | None


class QueuePage(Schema):
    items: list[QueueRow]
    next: str | None
    count: int
    count_capped: bool
