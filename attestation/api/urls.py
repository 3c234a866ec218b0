from ninja import NinjaAPI

from attestation.answers.api import router as answers_router
from attestation.api import errors
from attestation.api.auth import auth
from attestation.api.examinees import router as examinees_router
from attestation.api.me import router as me_router
from attestation.api.parsing import StrictParser
from attestation.applications.api import router as applications_router
from attestation.commissions.api import router as decision_router
from attestation.defense.api import router as defense_router
from attestation.grading.api import router as grading_router
from attestation.graduates.api import router as graduates_router
from attestation.live.api import router as live_router
from attestation.proctoring.api import router as proctoring_router
from attestation.records.api import router as records_router

api = NinjaAPI(
    title="Attestation API",
    version="1",
    description="Online final attestation: the State Attestation Commission's work (CONTRACT.md).",
    auth=auth,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=StrictParser(),
)
errors.install(api)
api.add_router("", me_router)
api.add_router("", examinees_router)
api.add_router("", answers_router)
api.add_router("", grading_router)
api.add_router("", proctoring_router)
api.add_router("", live_router)
api.add_router("", defense_router)
api.add_router("", applications_router)
api.add_router("", records_router)
api.add_router("", decision_router)
api.add_router("", graduates_router)
# After every router: the error statuses the plumbing answers, in every operation.
errors.document(api)
