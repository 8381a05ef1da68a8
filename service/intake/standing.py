"""A workbook's «Организация» naming as director or curator someone who cannot sign: the
administrator switched her account off (a director who left, after another replaced her), or
revoked her key with none in force. The register is the school's, so the workbook is taken —
with a warning, since every document will name her and her key cannot sign them."""

from __future__ import annotations

from service.intake.lookup import RegisterLookup
from service.intake.model import IntakeReport
from service.intake.problems import cell_error
from service.intake.sheets import Record

_SIGNING_OFFICES = {
    "head_name": ("director", "руководитель", "руководителя"),
    "curator_name": ("curator", "куратор", "куратора"),
}
"""The cells of «Организация» naming a signer: her signing role, the office, its genitive."""


def check_signers(
    organization: Record | None, report: IntakeReport, lookup: RegisterLookup | None
) -> None:
    """Warn at «Руководитель (ФИО)» or «Куратор (ФИО)» naming a person whose account is
    switched off or whose keys are revoked (:meth:`RegisterLookup.signer_standing`)."""
    if organization is None or lookup is None:
        return
    for field, (role, office, of_office) in _SIGNING_OFFICES.items():
        name = organization.get(field)
        if field in organization.bad or not isinstance(name, str):
            continue
        standing = lookup.signer_standing(name, role)
        if standing is None:
            continue
        state, login = standing
        if state == "disabled":
            why = f"учётная запись «{login}» отключена администратором"
            key = "ключом отключённой учётной записи"
            then = "попросите администратора включить учётную запись"
        else:
            why = f"ключ подписи (учётная запись «{login}») отозван, действующего нет"
            key = "отозванным ключом"
            then = "попросите администратора выпустить новый сертификат"
        cell_error(
            report,
            organization,
            field,
            f"{name} — {why}. В документах подписант — {name}, а {key} их не подписать. "
            f"Если {office} сменился, укажите ФИО нового {of_office}; если нет — {then}. "
            "Книга принята.",
            warning=True,
        )
