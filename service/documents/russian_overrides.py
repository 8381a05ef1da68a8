"""Corrections to pytrovich's rules, for :mod:`service.documents.russian`.

pytrovich (the petrovich rule set) declines by word endings only. A few real surnames and
first names end like a pattern they do not follow; they are listed here, found by testing.
Every key is the lower-case nominative; forms are in the order gent, datv, accs, ablt, loct
(the nominative never changes). Add a name here when an order comes out wrong.
"""

from __future__ import annotations

#: Surnames whose forms differ from what the suffix rules produce, for "male", "female" or
#: "any" gender.
SURNAME_FORMS: dict[tuple[str, str], tuple[str, str, str, str, str]] = {
    # Nouns, not possessive «-ова» forms: the rules would give «Совой» for a woman's genitive.
    ("сова", "any"): ("совы", "сове", "сову", "совой", "сове"),
    ("вдова", "any"): ("вдовы", "вдове", "вдову", "вдовой", "вдове"),
    ("голова", "any"): ("головы", "голове", "голову", "головой", "голове"),
    ("корова", "any"): ("коровы", "корове", "корову", "коровой", "корове"),
    ("основа", "any"): ("основы", "основе", "основу", "основой", "основе"),
    # The «-нец» rule drops the vowel (Волынец → Волынца) but «Кузнца» is not a word.
    ("кузнец", "male"): ("кузнеца", "кузнецу", "кузнеца", "кузнецом", "кузнеце"),
    # Unstressed ending after «ш»: «Квашей», not «Квашой».
    ("кваша", "any"): ("кваши", "кваше", "квашу", "квашей", "кваше"),
}

#: Surnames never declined although their ending looks declinable (French stressed «-я»).
SURNAME_INDECLINABLE: frozenset[str] = frozenset({"золя"})

#: Patronymic particles of Turkic names: «Мамедов Рашид Гусейн оглы» — the particle and the
#: father's name before it never change.
MALE_PATRONYMIC_PARTICLES: frozenset[str] = frozenset({"оглы", "оглу", "улы", "уулу", "угли"})
FEMALE_PATRONYMIC_PARTICLES: frozenset[str] = frozenset({"кызы", "гызы", "кизи", "кыз"})

#: The first part of a double surname that never declines: a particle, not a name
#: («Тер-Петросяну», «Сен-Симону», «фон-Визину»).
SURNAME_PREFIXES: frozenset[str] = frozenset(
    {"тер", "сен", "сент", "фон", "ван", "де", "ди", "дю", "ле", "ла", "ибн", "абу", "аль", "эль"}
)

#: Korean, Vietnamese and Chinese surnames that open a name of three parts without a patronymic
#: («Ким Ир Сен», «Нгуен Ван Минь»): such a name declines in its last part only, and only a
#: man's (Розенталь, «Справочник по правописанию и литературной правке»: Ким Ир Сена,
#: Хо Ши Мина). With a patronymic («Ким Виктор Енович») the name declines as a Russian one.
EAST_ASIAN_SURNAMES: frozenset[str] = frozenset(
    {
        # Korean
        "ким", "ли", "пак", "цой", "чой", "хан", "тен", "югай", "кан", "шин", "син", "нам",
        "ан", "хван", "лим", "ю", "чон", "юн", "огай",
        # Vietnamese
        "нгуен", "чан", "ле", "фам", "хоанг", "хуинь", "фан", "ву", "во", "данг", "буй", "до",
        "хо", "нго", "зыонг", "динь", "чыонг", "лыонг",
        # Chinese
        "ван", "чжан", "лю", "чэнь", "чен", "ян", "хуан", "чжао", "чжоу", "сюй", "сунь", "чжу",
        "линь", "дэн", "тан",
    }
)  # fmt: skip

#: First names whose sex both pytrovich's list and pymorphy3's dictionary get wrong or cannot
#: tell (tested one by one: the detector guesses «Лейсан», «Тамар», «Жибек» men's by the
#: consonant, the dictionary files «Айсылу», «Севиль», «Гюнель» as men's and the folk «Никола»
#: — Николай —, «Илия», «Важа» as women's). Turkic, Caucasian and Central Asian women's names
#: in a consonant are the class the two miss;
#: :data:`FEMALE_NAME_PREFIXES` and :data:`FEMALE_NAME_SUFFIXES` catch the ones built of the
#: common women's parts.
FIRST_NAME_SEX: dict[str, str] = {
    **dict.fromkeys(
        (
            # Russian folk and church forms; Georgian; Muslim names in «-а», «-я»
            "никола", "илия", "иеремия", "исаия", "нико", "важа", "сосо", "муса", "яхья",
            "гамза", "зия", "риза", "ака", "тимоха", "ярема", "анри", "франко", "давит",
            "ваагн",
        ),
        "masc",
    ),
    **dict.fromkeys(
        (
            # Tatar, Bashkir
            "лейсан", "ляйсан", "айсылу", "айсулу", "нурсулу", "миляуша", "чулпан", "гулу",
            "алсу", "алсина", "ильсияр", "зумрат",
            # Azerbaijani
            "севиль", "гюнель", "кёнуль", "конуль", "айтен", "нармин", "айдан", "айсель",
            "айсун", "ирада", "наргиз",
            # Kazakh, Kyrgyz, Uzbek
            "жанар", "жибек", "бермет", "айпери", "чолпон", "мээрим", "сайкал", "томирис",
            "жулдыз", "меруерт", "сауле", "акмарал", "мохинур", "феруза", "дильбар", "севинч",
            "айнур", "лейла", "раушан", "карлыгаш", "алуа", "аружан", "баян", "назым",
            "шолпан", "айым", "салтанат", "балжан", "самал", "инкар", "куралай", "маржан",
            "дильназ", "айназ", "гулжан", "зулихан",
            # Dagestani, Chechen, Ingush
            "аминат", "патимат", "хадижат", "мадинат", "загидат", "айшат", "аишат", "асият",
            "петимат", "написат", "хамисат", "муслимат", "саидат", "барият", "сакинат",
            "салихат", "зулихат", "марьят", "зарган",
            # Georgian, Armenian
            "тамар", "русудан", "нестан", "кетеван", "нино", "этери", "мариам", "астхик",
            "арев", "шушаник",
            # German, Hebrew; the Vietnamese women's middle name («Нгуен Тхи Лан»)
            "ирмгард", "зигрид", "хава", "тхи",
            # French; Armenian (the detector took both for men's: «Черных Мари», reader22)
            "мари", "ани",
        ),
        "femn",
    ),
}  # fmt: skip

#: Parts that make a Turkic or Persian first name a woman's wherever they stand: «гуль»/«гюль»
#: (flower: Гульшат, Гульсум, Гульчачак, Айгуль, Гюльнара), «сылу»/«сулу» (beauty: Айсылу),
#: «бике»/«бика» (lady: Зайнабика), «ниса» (woman: Фатханиса), «бану» (lady: Гульбану);
#: the Armenian «-нуш» (sweet: Ануш, Сирануш, Айкануш).
FEMALE_NAME_PREFIXES: tuple[str, ...] = ("гуль", "гюль")
FEMALE_NAME_SUFFIXES: tuple[str, ...] = (
    "гуль", "гюль", "сылу", "сулу", "бике", "бика", "ниса", "бану", "нуш",
)  # fmt: skip

#: Men's names in an unstressed «-а» the rules keep unchanged although they decline like
#: «Никита» (Розенталь: грузинские имена на безударное «-а» склоняются — «поэма Шоты
#: Руставели»; petrovich's evaluation set agrees).
DECLINED_MALE_NAMES_IN_A: frozenset[str] = frozenset({"шота"})
