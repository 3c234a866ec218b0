"""Checking a detached ЭЦП (NCA RK, CMS) over a protocol's frozen PDF through NCANode
(https://ncanode.kz, API v3: `POST /cms/verify`), when `NCANODE_URL` is set. Without it the
signature is stored and shown "not verified"; a failed or unreachable check never loses it."""

import base64
import logging

import httpx
from django.conf import settings

log = logging.getLogger(__name__)
MAX_CMS_BYTES = 1024 * 1024


def cms_verify(*, cms: bytes, data: bytes) -> tuple[str, str]:
    """`(ecp status, detail)`: `valid`, `invalid`, or `unverified` (no NCANode, or it did not
    answer)."""
    url = getattr(settings, "NCANODE_URL", "")
    if not url:
        return "unverified", ""
    payload = {
        "revocationCheck": ["OCSP"],
        "cms": base64.b64encode(cms).decode(),
        "data": base64.b64encode(data).decode(),
    }
    try:
        response = httpx.post(f"{url.rstrip('/')}/cms/verify", json=payload, timeout=15)
        body = response.json()
    except (httpx.HTTPError, ValueError) as error:
        log.warning("NCANode did not answer: %s", error)
        return "unverified", str(error)[:500]
    if response.status_code != 200:
        return "unverified", str(body.get("message", ""))[:500]
    signers = body.get("signers") or []
    subjects = "; ".join(
        str((s.get("certificates") or [{}])[0].get("subject", {}).get("commonName", ""))
        for s in signers
    )
    return ("valid" if body.get("valid") else "invalid"), subjects[:500]
