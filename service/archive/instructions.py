"""``ПРОВЕРКА.txt``: how an inspector checks an exported bag with OpenSSL, a BagIt validator
and (for the PDF copies) pyHanko, without this service."""

from __future__ import annotations

from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes

INSTRUCTIONS_NAME = "ПРОВЕРКА.txt"

PROOF_SCRIPT = r"""python3 - <<'КОНЕЦ'
import hashlib, json, pathlib, re
head = pathlib.Path("data/Журнал/контрольная точка.txt").read_text(encoding="utf-8")
size = int(re.search(r"размер: (\d+)", head).group(1))
root = bytes.fromhex(re.search(r"корень: ([0-9a-f]{64})", head).group(1))
H = lambda b: hashlib.sha256(b).digest()
def included(entry, index, path):  # RFC 9162, 2.1.3.2
    fn, sn, r = index, size - 1, H(b"\0" + entry)
    for p in path:
        if sn == 0: return False
        if fn & 1 or fn == sn:
            r = H(b"\1" + p + r)
            while fn and not fn & 1: fn >>= 1; sn >>= 1
        else:
            r = H(b"\1" + r + p)
        fn >>= 1; sn >>= 1
    return sn == 0 and r == root
bad = 0
for proof in sorted(pathlib.Path("data").rglob("*.журнал.json")):
    for e in json.loads(proof.read_text(encoding="utf-8"))["entries"]:
        ok = included(e["entry"].encode(), e["index"], [bytes.fromhex(h) for h in e["path"]])
        bad += not ok
        print("ВЕРНО  " if ok else "НЕВЕРНО", proof, e["kind"])
print("Ошибок:", bad)
КОНЕЦ"""


def ca_fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 fingerprint as ``openssl x509 -fingerprint -sha256`` prints it."""
    return ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256()))


def instructions_text(
    *,
    organization: str,
    year: str,
    exported_at: datetime,
    documents: int,
    tree_size: int,
    root: str,
    ca_fingerprint: str,
    ca_valid_until: datetime,
    example: str,
    destroyed: int = 0,
) -> str:
    """The text of ``ПРОВЕРКА.txt``; ``example`` is the path of one signed DOCX in the bag;
    ``destroyed``: the year's documents destroyed by an act (listed, no files)."""
    ca = '"data/Удостоверяющий центр/ca.pem"'
    crl = '"data/Удостоверяющий центр/crl.pem"'
    point = '"data/Журнал/контрольная точка.txt"'
    stem = example.removesuffix(".docx")
    exported_seconds = int(exported_at.timestamp())
    gone = (
        f"\nУничтожено по акту документов: {destroyed} — они есть в описи, «Файл»: «уничтожен "
        "(акт № … от …)»;\nих файлов в пакете нет."
        if destroyed
        else ""
    )
    return f"""ПРОВЕРКА ПАКЕТА ДОКУМЕНТОВ ПРОГРАММЫ НАСТАВНИЧЕСТВА

{organization}
Учебный год: {year}. Пакет выгружен {exported_at:%d.%m.%Y %H:%M}; документов: {documents}.{gone}
Контрольная точка журнала: записей {tree_size}, корень {root}.

Пакет собран по стандарту BagIt (RFC 8493) и проверяется без сервиса «Наставник»: нужны
OpenSSL, любая программа проверки BagIt и, для PDF-копий, pyHanko. Все команды ниже
выполняются в папке пакета — там, где лежит этот файл.

Что где лежит:
  data/Раздел 12/…      — восемь документов раздела 12 Положения (по пунктам);
  data/Пары/…            — программы и отчёты наставнических пар;
  data/Участники/…       — согласия и договоры участников (со сканами бумажных подписей);
  data/Организация/…     — прочие документы школы;
  data/Опись.xlsx, data/Опись.pdf — опись: номер, документ, дата, листов, файл, SHA-256;
  data/Опись.json        — та же опись для программ проверки;
  data/Сводка по разделу 12.docx — наличие и подписи документов раздела 12;
  data/Удостоверяющий центр/ca.pem, crl.pem — сертификат и список отозванных сертификатов
                           удостоверяющего центра (УЦ) школы;
  data/Журнал/           — контрольная точка журнала событий, подписанная УЦ школы.
Для каждого документа X: X.docx — документ, X.docx.p7s — его электронная подпись,
X.pdf — копия PDF/A с отметкой о подписи, X.журнал.json — доказательство, что подпись и
помещение в архив записаны в журнал.

0. СЕРТИФИКАТ УДОСТОВЕРЯЮЩЕГО ЦЕНТРА ШКОЛЫ — корень доверия всех подписей пакета.
   Отпечаток SHA-256 этого сертификата:
     {ca_fingerprint}
   Сверьте его с отпечатком, полученным от школы отдельно (на бумаге, письмом, на сайте):
     openssl x509 -in {ca} -noout -fingerprint -sha256
   Если отпечатки различаются, пакету доверять нельзя: его могли пересобрать и переподписать.

1. ЦЕЛОСТНОСТЬ: ни один файл не изменён, не удалён и не добавлен.
     python3 -m pip install bagit
     bagit.py --validate .
   Ответ «… is valid» — пакет цел. Проверяйте полностью, без ключа --fast: быстрый режим
   сравнивает только число и размер файлов и не замечает изменённых байтов.
   Без bagit (изменённые и удалённые файлы, но не лишние):  sha256sum -c manifest-sha256.txt

2. ПОДПИСЬ ШКОЛЫ НА СПИСКЕ ФАЙЛОВ. tagmanifest-sha256.txt содержит хеши manifest-*.txt (в них —
   хеши всех файлов data/), bag-info.txt, bagit.txt и этого файла; он подписан УЦ школы,
   поэтому пересчитать хеши после правки файла незаметно нельзя:
     openssl cms -verify -binary -inform DER -in tagmanifest-sha256.txt.p7s \\
       -content tagmanifest-sha256.txt -CAfile {ca} -purpose any -out /dev/null
     sha256sum -c tagmanifest-sha256.txt
   «CMS Verification successful» и «OK» по каждой строке — список составлен школой и не изменён.
   (-purpose any нужен потому, что подпись поставлена ключом самого УЦ.) Сертификат УЦ
   действует до {ca_valid_until:%d.%m.%Y}; после этого добавляйте к командам openssl cms -verify
   с -purpose any (здесь и в п. 5) -attime {exported_seconds} — момент выгрузки пакета, когда УЦ
   подписал список файлов и контрольную точку.

3. ПОДПИСИ ДОКУМЕНТОВ. Сертификат подписанта выдаётся на год, поэтому подпись проверяют на
   момент подписания: он записан в самой подписи (signingTime, время по Гринвичу) и
   подтверждён журналом (п. 5, поле at записи document_signed). Например:
     f=$(mktemp); t=$(openssl cms -cmsout -print -inform DER -in "data/{example}.p7s" |
       grep -A2 signingTime | sed -n 's/.*UTCTIME://p'); echo "Подписан: $t"
     openssl cms -verify -binary -inform DER -in "data/{example}.p7s" -content "data/{example}" \\
       -CAfile {ca} -attime "$(date -d "$t" +%s)" -signer "$f" -out /dev/null
     openssl x509 -in "$f" -noout -subject -serial -dates \\
       -nameopt utf8,sname,sep_multiline
   «CMS Verification successful» — документ не изменён после подписания, подпись сделана
   ключом, который выдал УЦ школы, и сертификат в момент подписания действовал. Последняя
   команда называет владельца сертификата (CN — ФИО, title — должность), номер сертификата
   (serial) и срок его действия. ФИО владельца должно совпадать с ФИО на строке подписи
   документа («____ Т.И. Кинякина»): сертификат на другое лицо — подпись не того, кого
   называет документ. Без -attime OpenSSL проверяет на сегодня и после окончания срока
   сертификата отвечает «certificate has expired» — это не порок подписи; ключ -no_check_time
   вместо -attime отключает проверку сроков совсем (и тогда не видно, действовал ли
   сертификат при подписании).
   Отозван ли сертификат — по списку отозванных (номер и дата отзыва каждого):
     openssl crl -in {crl} -noout -text | grep -A1 "Serial Number"
   Номера сертификата подписанта в списке нет — не отозван. Есть — сравните дату отзыва
   (Revocation Date) с моментом подписания: отозван после подписания — подпись, поставленная
   действовавшим ключом, остаётся действительной; до подписания — подпись недействительна.
   Ключ -crl_check команды openssl cms для этого не годится: он отвечает «certificate
   revoked» и при отзыве после подписания, а через год после выгрузки — «CRL has expired».
   Все подписи сразу, каждая на момент своего подписания, с владельцем и отзывом:
{signatures_loop("data", ca, crl)}
4. PDF-КОПИИ. X.pdf — копия документа в формате PDF/A-2b для чтения и печати. Отметка
   «ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ» на последней странице — видимая часть подписи PAdES,
   сделанной ключом того же подписанта; её проверяет любая программа просмотра PDF, если
   добавить ca.pem в доверенные сертификаты, или pyHanko:
     python3 -m pip install pyhanko-cli
     pyhanko sign validate --trust {ca} --trust-replace --no-revocation-check "data/{stem}.pdf"
   (после истечения срока сертификата добавьте --validation-time claimed).
   Если ключ подписанта был отозван или истёк до того, как документ поместили в архив
   (например, директор сменился в середине года), его отметка нарисована на копии без
   подписи PAdES: отозванным ключом подписывать нельзя. Так записано в журнале событий
   (запись о помещении в архив, поле marks_without_pades: номер сертификата и причина), а
   подпись документа проверяется по X.docx.p7s на момент подписания (п. 2).
   Подлинник — X.docx с его подписью X.docx.p7s.

5. ЖУРНАЛ СОБЫТИЙ. Сервис записывает каждое событие (документ создан, подписан, помещён в
   архив…) в журнал, записи которого сложены в дерево Меркла (RFC 6962). Контрольная точка —
   размер и корень дерева, подписанные УЦ школы:
     openssl cms -verify -binary -inform DER -in {point[:-1]}.p7s" -content {point} \\
       -CAfile {ca} -purpose any -out /dev/null
   X.журнал.json содержит записи журнала о подписях документа и о помещении его в архив
   (поле entry; в нём document_sha256, signature_sha256, pdf_sha256 — SHA-256 файлов X.docx,
   X.docx.p7s, X.pdf, их можно сравнить с sha256sum; в записи о подписи ещё role и signatory —
   роль подписанта и его ФИО, как их называет документ) и путь от каждой записи к корню
   (RFC 9162, п. 2.1.3.2). Проверка всех доказательств (нужен только python3; скопируйте
   в терминал строки от «python3» до «КОНЕЦ» включительно):

{PROOF_SCRIPT}

6. ВСЁ СРАЗУ, если установлен сервис «Наставник»:  nastavnik archive verify ПАПКА_ПАКЕТА
   — вердикт по каждому файлу и итог.
"""


def signatures_loop(root: str, ca: str, crl: str | None) -> str:
    """The shell loop that checks every ``*.docx*.p7s`` under ``root`` as of its own signing
    moment (a signer's certificate is issued for a year) and prints its holder and serial —
    and, with a revocation list ``crl``, whether and when it was revoked (a key revoked after
    signing leaves the signature valid, as the service counts it). ``ca``/``crl``: paths as
    the shell reads them, quoted."""
    revocation = (
        f"""       r=$(openssl crl -in {crl} -noout -text | grep -A1 "Serial Number: ${{s:-нет}}$" |
         sed -n 's/.*Revocation Date: //p'); rm -f "$f"
       if [ -z "$r" ]; then r="не отозван"
       elif [ "$(date -d "$r" +%s)" -gt "$(date -d "$t" +%s)" ]; then
         r="отозван $r — после подписания: подпись действительна"
       else r="ОТОЗВАН $r — до подписания: ПОДПИСЬ НЕДЕЙСТВИТЕЛЬНА"; fi
       printf '%s\\n  %s; подписано %s; %s, сертификат № %s; %s\\n' "$p" "$v" "$t" "$w" "$s" "$r"
"""
        if crl
        else """       rm -f "$f"
       printf '%s\\n  %s; подписано %s; %s, сертификат № %s\\n' "$p" "$v" "$t" "$w" "$s"
"""
    )
    return f"""     find {root} -name '*.docx*.p7s' | sort | while IFS= read -r p; do
       d="${{p%.p7s}}"; case "$d" in *.docx) ;; *) d="${{d%.*}}" ;; esac; f=$(mktemp)
       t=$(openssl cms -cmsout -print -inform DER -in "$p" | grep -A2 signingTime |
         sed -n 's/.*UTCTIME://p')
       v=$(openssl cms -verify -binary -inform DER -in "$p" -content "$d" -CAfile {ca} \\
         -attime "$(date -d "$t" +%s)" -signer "$f" -out /dev/null 2>&1 | tail -1)
       s=$(openssl x509 -in "$f" -noout -serial 2>/dev/null | cut -d= -f2)
       w=$(openssl x509 -in "$f" -noout -subject -nameopt utf8,sname,sep_multiline \\
         2>/dev/null | sed -n 's/^ *CN=//p')
{revocation}     done
"""


def pack_instructions(heading: str, as_of: datetime, ca: x509.Certificate) -> str:
    """``ПРОВЕРКА.txt`` of a ZIP pack (:mod:`service.archive.packs`): the CA's fingerprint and
    every signature checked as of its signing moment, with OpenSSL alone; what a pack cannot
    check (revocation, the ledger) and where it is checked. ``as_of``: when its newest
    document was made or signed (not when it was downloaded: the same content, downloaded
    again or resumed, is the same file)."""
    return f"""ПРОВЕРКА ПОДПИСЕЙ КОМПЛЕКТА ДОКУМЕНТОВ

{heading}
Комплект составлен на {as_of:%d.%m.%Y %H:%M} (самый новый документ или подпись в нём).
В нём: Опись.xlsx — опись; документы (DOCX);
X.docx.p7s — электронная подпись документа X.docx (у документа с несколькими подписями —
X.docx.director.p7s и X.docx.curator.p7s: подписи руководителя и куратора); сканы бумажных
подписей; ca.pem — сертификат удостоверяющего центра (УЦ) школы. Команды выполняются в папке,
куда распакован комплект; нужен OpenSSL.

1. СЕРТИФИКАТ УЦ ШКОЛЫ — корень доверия подписей. Его отпечаток SHA-256:
     {ca_fingerprint(ca)}
   Сверьте его с отпечатком, полученным от школы отдельно (на бумаге, письмом, на сайте):
     openssl x509 -in ca.pem -noout -fingerprint -sha256

2. ПОДПИСИ — каждая на момент своего подписания (сертификат подписанта выдаётся на год, и без
   -attime OpenSSL после его окончания отвечает «certificate has expired»), с владельцем
   сертификата и его номером:
{signatures_loop(".", "ca.pem", None)}
   «CMS Verification successful» — документ не изменён после подписания, подпись сделана
   ключом, который выдал УЦ школы, и сертификат в момент подписания действовал. ФИО владельца
   сертификата должно совпадать с ФИО на строке подписи документа («____ Т.И. Кинякина»).

Отзыв сертификатов этот комплект не проверяет: списка отозванных в нём нет, как нет и журнала
событий. Для такой проверки нужен архивный пакет учебного года — проверяющий скачивает его
на странице сервиса «Архив» (выгружает его администратор: `nastavnik archive export`), в нём
ПРОВЕРКА.txt со всеми шагами, — или страница сервиса «Проверка файла».
"""
