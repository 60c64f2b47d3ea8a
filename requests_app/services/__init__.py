"""The spine's façade for writes (docs/architecture.md, "The façade"): the only writers of requests,
events, messages and the outbox. Views, forms, the API, tasks, the guichet and the domain apps call these
functions and nothing deeper (an import-linter contract forbids the modules behind them); reads go through
requests_app.selectors, wiring through requests_app.registry."""

from requests_app.services.drafts import drafts_purge
from requests_app.services.filing import (
    FilingData,
    draft_delete,
    request_confirm_email,
    request_draft_save,
    request_file_anonymous,
    request_submit,
    requests_link_to_user,
)
from requests_app.services.retention import (
    account_delete,
    account_deletion_blockers,
    account_may_delete,
    requests_anonymise_expired,
    retention_cutoff,
)
from requests_app.services.workflow import (
    TRANSITIONS,
    request_assign,
    request_cancel,
    request_change_service,
    request_claim,
    request_event_record,
    request_mark_duplicate,
    request_message_post,
    request_reopen,
    request_requester_notify,
    request_set_priority,
    request_transition,
)

__all__ = [
    "TRANSITIONS",
    "FilingData",
    "account_delete",
    "account_deletion_blockers",
    "account_may_delete",
    "draft_delete",
    "drafts_purge",
    "request_assign",
    "request_cancel",
    "request_change_service",
    "request_claim",
    "request_event_record",
    "request_confirm_email",
    "request_draft_save",
    "request_file_anonymous",
    "request_mark_duplicate",
    "request_message_post",
    "request_reopen",
    "request_requester_notify",
    "request_set_priority",
    "request_submit",
    "request_transition",
    "requests_anonymise_expired",
    "requests_link_to_user",
    "retention_cutoff",
]
