"""Kinds with one document per pair (or group): the personalised programme and, once the
pair has results, the mentor's report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from service.documents.kind import Kind, Subject, Variables

if TYPE_CHECKING:  # listing the catalogue does not load the register
    from service.register import models as m


def _plan_program(register: Any, pair: m.Pair) -> Variables:
    return {"pair": register.program_context(pair)}


def _sample_program(samples: Any) -> Variables:
    return {"pair": samples.pairs[0]}


def _plan_report_pair(register: Any, pair: m.Pair) -> Variables | None:
    from service.documents.replacement import with_mentors

    if pair.id not in register.results:
        return None
    # the mentor of now and, after a replacement, who led the pair before her and until when
    shown = with_mentors(register.pair_context(pair), pair)
    return {"pair": shown, "result": register.result_context(pair)}


def _sample_report_pair(samples: Any) -> Variables:
    return {"pair": samples.pairs[0], "result": samples.result}


KINDS: tuple[Kind, ...] = (
    Kind(
        "program",
        "Персонализированная программа наставничества",
        "program.docx",
        Subject.PAIR,
        ("mentor", "mentee", "curator", "director"),
        approved=True,
        plan=_plan_program,
        sample=_sample_program,
    ),
    Kind(
        "report_pair",
        "Отчёт наставника",
        "report_pair.docx",
        Subject.PAIR,
        ("mentor", "curator"),
        dated_at_signing=True,
        plan=_plan_report_pair,
        sample=_sample_report_pair,
    ),
)
"""In the order each pair's documents are planned."""
