"""Wagtail approval workflows set up by code: one workflow with one group-approval task,
assigned to a page (and so to the pages below it). Idempotent: run after every migrate."""


def ensure_approval_workflow(*, name: str, task_name: str, page, groups,
                             replace: bool = False):
    """The workflow `name` with its single task `task_name` (approved by `groups`),
    assigned to `page`. A page that already has another workflow keeps it unless
    `replace`. Returns the workflow."""
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    workflow, _ = Workflow.objects.get_or_create(name=name)
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        # (workflow.workflow_tasks.create() would only add it in memory: a workflow
        # without a task finishes at once and publishes as the submitter.)
        task, created = GroupApprovalTask.objects.get_or_create(name=task_name)
        if created or not task.groups.exists():
            task.groups.set(groups)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    if replace:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    else:
        WorkflowPage.objects.get_or_create(page=page, defaults={"workflow": workflow})
    return workflow


def remove_approval_workflow(*, name: str, page) -> None:
    """Take the workflow `name` off `page` (the workflow itself stays, for its history)."""
    from wagtail.models import WorkflowPage

    WorkflowPage.objects.filter(page=page, workflow__name=name).delete()
