"""Batch signing of 100 rendered orders: the school's CA, the director's certificate, a
detached CMS signature over each order's exact bytes, and the verification of each."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

from bench.measure import Timer
from service.documents.catalogue import Kind
from service.documents.render import render_template_file
from service.signing.ca import create_ca, issue_signer
from service.signing.cms import sign_detached, verify_detached

ORDERS = 100


def order_documents(
    templates: Path, jobs: list[tuple[Kind, dict[str, Any]]], count: int = ORDERS
) -> list[bytes]:
    """``count`` distinct orders: the school's order kinds, numbered 1…count."""
    orders = [(kind, context) for kind, context in jobs if kind.is_order]
    if not orders:
        raise SystemExit("no order among the school's documents")
    documents = []
    for number in range(1, count + 1):
        kind, context = orders[(number - 1) % len(orders)]
        context = copy.deepcopy(context)
        context["doc"]["number"] = f"{number}/24"
        context["doc"]["date"] = date(2023, 9, 1 + number % 28)
        documents.append(render_template_file(templates / kind.template, context))
    return documents


def bench_signing(documents: list[bytes], org_name: str, director: str) -> dict:
    """Time the CA and certificate, then signing and verifying every document."""
    with Timer() as setup:
        ca_key, ca_cert = create_ca(org_name)
        key, cert = issue_signer(ca_key, ca_cert, director, "директор", org_name, "director")
    with Timer() as signing:
        signatures = [sign_detached(data, key, cert, [ca_cert]) for data in documents]
    with Timer() as verifying:
        verdicts = [
            verify_detached(data, signature, [ca_cert])
            for data, signature in zip(documents, signatures, strict=True)
        ]
    good = sum(1 for v in verdicts if v.bottom_line)
    if good != len(documents):
        raise SystemExit(f"only {good} of {len(documents)} signatures verify")
    return {
        "documents": len(documents),
        "ca_and_signer_s": setup.seconds,
        "sign_s": signing.seconds,
        "sign_per_s": len(documents) / signing.seconds,
        "verify_s": verifying.seconds,
        "verify_per_s": len(documents) / verifying.seconds,
        "verified": good,
        "signature_bytes": len(signatures[0]),
    }
