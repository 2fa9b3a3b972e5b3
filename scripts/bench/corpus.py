#!/usr/bin/env python3
"""Write a synthetic exhibition for `make bench`: N invented people, never real ones.

Usage: corpus.py SITE N [--narrated F] [--seed S] [--hugo DIR]

  SITE         a Memorial site root to write afresh (SITE/content/...); never the repository's own
  N            records, in CSV files of at most 20,000 rows; each one gets a case page per language
  --narrated   the fraction of records with a narrative in kk, ru and en (default 1.0)
  --seed       another corpus of the same shape (default 1921)
  --hugo DIR   also write the same exhibition as a Hugo site: one page per published record and
               language with the same facts and narrative, taxonomies `people` and `year`, lists of
               50, the same free page

Every person, name, file and sheet number here is made up: names are put together from
syllables, places are numbered auls, and every narrative says that its person is invented.
The output depends only on N, F and the seed; record k is the same in every corpus of the same
seed (a smaller corpus is a prefix of a larger one), and so is whether it is narrated.
Only Python's standard library is used.
"""

import argparse
import csv
import datetime
import os
import random
import shutil
import sys

LANGS = ("kk", "ru", "en")
MARKER = ".synthetic-corpus"

# Kazakh letters that Russian spelling writes with a plain Cyrillic letter.
KK_TO_RU = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
RU_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}


def to_ru(kk):
    return kk.translate(KK_TO_RU)


def to_latin(ru):
    out = []
    for ch in ru:
        low = ch.lower()
        lat = RU_TO_LATIN.get(low, ch)
        out.append(lat.capitalize() if ch != low else lat)
    return "".join(out)


# Syllables that names are made of, spelt the Kazakh way; Russian and Latin spellings follow.
SURNAME_HEADS = ["Тал", "Жар", "Көк", "Бай", "Сар", "Құм", "Ақ", "Ор", "Ес", "Мың", "Қар", "Тұр",
                 "Іл", "Өр", "Дөң", "Шал", "Бұл", "Кен"]
SURNAME_TAILS = ["ғабыл", "текен", "мырза", "дарбек", "сұлан", "жігіт", "нияз", "пейіс", "бөрі",
                 "ғали", "таймас", "қожа"]
MALE_GIVEN = ["Ерғазы", "Тілеп", "Нұрбай", "Сәрсен", "Дәулет", "Құдайберген", "Жақып", "Мұса",
              "Әбен", "Ыбырай", "Өмірзақ", "Серік", "Төлеген", "Бекмұрат"]
FEMALE_GIVEN = ["Ақбілек", "Гүлжан", "Сәуле", "Күлән", "Айжан", "Бибігүл", "Ұлжан", "Шәрбану",
                "Мәншүк", "Зейнеп"]
# Non-Kazakh names keep one Russian spelling in kk and ru.
OTHER_GIVEN_MALE = ["Отто", "Вальтер", "Тарас", "Ян", "Ким Ен", "Григорий", "Арвид", "Фёдор"]
OTHER_SURNAME_STEMS = ["Кальм", "Дорн", "Штейг", "Лисиц", "Пархом", "Ведер", "Брам", "Гольц"]

PEOPLES = {  # code: (kk, ru, en)
    "kazakh": ("қазақ", "казах", "Kazakh"), "russian": ("орыс", "русский", "Russian"),
    "ukrainian": ("украин", "украинец", "Ukrainian"), "german": ("неміс", "немец", "German"),
    "korean": ("кәріс", "кореец", "Korean"), "polish": ("поляк", "поляк", "Polish"),
    "tatar": ("татар", "татарин", "Tatar"), "uzbek": ("өзбек", "узбек", "Uzbek"),
    "uyghur": ("ұйғыр", "уйгур", "Uyghur"), "chechen": ("шешен", "чеченец", "Chechen"),
    "ingush": ("ингуш", "ингуш", "Ingush"), "belarusian": ("беларусь", "белорус", "Belarusian"),
    "jewish": ("еврей", "еврей", "Jewish"), "dungan": ("дүнген", "дунганин", "Dungan"),
    "kyrgyz": ("қырғыз", "киргиз", "Kyrgyz"), "bashkir": ("башқұрт", "башкир", "Bashkir"),
    "chuvash": ("чуваш", "чуваш", "Chuvash"), "armenian": ("армян", "армянин", "Armenian"),
    "greek": ("грек", "грек", "Greek"), "latvian": ("латыш", "латыш", "Latvian"),
    "lithuanian": ("литва", "литовец", "Lithuanian"), "kalmyk": ("қалмақ", "калмык", "Kalmyk"),
    "karachay": ("қарашай", "карачаевец", "Karachay"), "balkar": ("балқар", "балкарец", "Balkar"),
    "crimean-tatar": ("қырым татары", "крымский татарин", "Crimean Tatar"),
    "meskhetian-turk": ("месхет түрігі", "турок-месхетинец", "Meskhetian Turk"),
    "kurd": ("күрд", "курд", "Kurd"), "finnish": ("фин", "финн", "Finnish"),
}
# Most people of the exhibition are Kazakh; the rest share the remaining weight.
PEOPLE_WEIGHTS = [40 if code == "kazakh" else 2 for code in PEOPLES]
# Peoples whose invented names are made of the Kazakh syllables; the others get the other names.
KAZAKH_NAMED = {"kazakh", "kyrgyz", "uzbek", "uyghur", "bashkir", "tatar", "karachay", "balkar", "kalmyk"}

CHARGES = {
    "58-1a": ("58-1а-бап (Отанға опасыздық)", "ст. 58-1а (измена Родине)", "Art. 58-1a (treason)"),
    "58-2": ("58-2-бап (қарулы көтеріліс)", "ст. 58-2 (вооружённое восстание)", "Art. 58-2 (armed uprising)"),
    "58-6": ("58-6-бап (тыңшылық)", "ст. 58-6 (шпионаж)", "Art. 58-6 (espionage)"),
    "58-7": ("58-7-бап (зиянкестік)", "ст. 58-7 (вредительство)", "Art. 58-7 (wrecking)"),
    "58-8": ("58-8-бап (террорлық әрекет)", "ст. 58-8 (террористический акт)", "Art. 58-8 (terrorist act)"),
    "58-10": ("58-10-бап (кеңеске қарсы үгіт)", "ст. 58-10 (антисоветская агитация)",
              "Art. 58-10 (anti-Soviet agitation)"),
    "58-11": ("58-11-бап (ұйымдық әрекет)", "ст. 58-11 (организационная деятельность)",
              "Art. 58-11 (organised activity)"),
    "58-14": ("58-14-бап (контрреволюциялық саботаж)", "ст. 58-14 (контрреволюционный саботаж)",
              "Art. 58-14 (counter-revolutionary sabotage)"),
    "chsir": ("Отанын сатқанның отбасы мүшесі", "член семьи изменника Родины",
              "family member of a traitor to the motherland"),
}
SENTENCES = {
    "execution": ("ату жазасы", "расстрел", "execution"),
    "death-sentence-commuted": ("өлім жазасы (кейін ауыстырылған)", "смертный приговор (впоследствии заменён)",
                                "death sentence (later commuted)"),
    "camp-3-years": ("3 жыл лагерь", "3 года ИТЛ", "3 years of labour camp"),
    "camp-5-years": ("5 жыл лагерь", "5 лет ИТЛ", "5 years of labour camp"),
    "camp-8-years": ("8 жыл лагерь", "8 лет ИТЛ", "8 years of labour camp"),
    "camp-10-years": ("10 жыл лагерь", "10 лет ИТЛ", "10 years of labour camp"),
    "camp-25-years": ("25 жыл лагерь", "25 лет ИТЛ", "25 years of labour camp"),
    "exile-5-years": ("5 жыл жер аудару", "5 лет ссылки", "5 years of exile"),
    "special-settlement": ("арнайы қоныс", "спецпоселение", "special settlement"),
    "died-in-custody": ("тергеу кезінде қайтыс болды", "умер под следствием", "died in custody"),
}
BODIES = {
    "nkvd-troika": ("НКВД үштігі", "Тройка НКВД", "NKVD troika"),
    "special-council": ("НКВД жанындағы Ерекше кеңес", "Особое совещание при НКВД",
                        "Special Council of the NKVD"),
    "military-collegium": ("Жоғарғы соттың Әскери алқасы", "Военная коллегия Верховного суда",
                           "Military Collegium of the Supreme Court"),
    "ogpu-collegium": ("ОГПУ алқасы", "Коллегия ОГПУ", "OGPU Collegium"),
    "regional-court": ("облыстық сот", "областной суд", "regional court"),
}
REGIONS = [("Ақмола", "Акмолинская", "Akmolinsk"), ("Алматы", "Алма-Атинская", "Alma-Ata"),
           ("Ақтөбе", "Актюбинская", "Aktyubinsk"), ("Қарағанды", "Карагандинская", "Karaganda"),
           ("Қостанай", "Кустанайская", "Kustanai"), ("Павлодар", "Павлодарская", "Pavlodar"),
           ("Семей", "Семипалатинская", "Semipalatinsk"), ("Оңтүстік Қазақстан", "Южно-Казахстанская",
                                                          "South Kazakhstan"),
           ("Батыс Қазақстан", "Западно-Казахстанская", "West Kazakhstan"),
           ("Шығыс Қазақстан", "Восточно-Казахстанская", "East Kazakhstan")]
OCCUPATIONS = [("мұғалім", "учитель", "teacher"), ("малшы", "чабан", "herder"),
               ("есепші", "счетовод", "bookkeeper"), ("темір жолшы", "железнодорожник", "railway worker"),
               ("колхоз төрағасы", "председатель колхоза", "collective farm chairman"),
               ("молда", "мулла", "mullah"), ("инженер", "инженер", "engineer"),
               ("студент", "студент", "student"), ("дәрігер", "врач", "doctor"),
               ("агроном", "агроном", "agronomist"), ("ауылдық кеңес хатшысы", "секретарь аулсовета",
                                                     "village council secretary"),
               ("жазушы", "писатель", "writer")]
NOTES = [("Есімінің жазылуы іс құжаттарында әртүрлі.", "Написание имени в документах дела разнится.",
          "The spelling of the name differs between the documents of the file."),
         ("Туған жылы шамамен көрсетілген.", "Год рождения указан приблизительно.",
          "The year of birth is approximate."),
         ("Іс екі томнан тұрады.", "Дело состоит из двух томов.", "The file has two volumes.")]

TEXT = {
    "kk": dict(
        life="Өмірі", case="Іс", after="Үкімнен кейін", sources="Дереккөздер", docs="Іс құжаттары",
        columns=("Күні", "Құжат", "Парақ"),
        documents=["Қамауға алу ордері", "Тінту хаттамасы", "Жауап алу хаттамасы", "Айыптау қорытындысы",
                   "Хаттамадан үзінді", "Ақтау туралы анықтама"],
        invented="Бұл адам ойдан шығарылған: көрме жылдамдықты өлшеу үшін жасалған, мұндай істі ешбір "
                 "мұрағат сақтамайды.",
        born="{name} {birth} жылы {place} туған.",
        life_sentences=["Істе кәсібі «{occupation}» деп көрсетілген.",
                        "Көршілері кейін ара ұстап, үлкен бау-бақша өсірген шаруашылықты еске алған.",
                        "1920 жылдары отбасы темір жолдағы жұмыс соңынан екі рет көшкен.",
                        "Ол ауылда хат танитын санаулы адамның бірі болған.",
                        "Отбасында бес бала өскен, олардың екеуі ғана есейген."],
        case_sentences=["Жауап алу хаттамалары бірнеше ондаған парақты алады, олардың көбі асығыс жазылған.",
                        "Кейін айтқанынан бас тартқан екі куәнің жауабынан басқа істе ешқандай дәлел жоқ.",
                        "Айып мына бап бойынша тағылған: *{charge}*.",
                        "Шешімді шығарған орган: **{body}**.",
                        "Тергеу {months} айға созылған."],
        after_sentences=["Туыстарының тағдыры туралы хаттарына жылдар өткен соң ғана жауап берілген.",
                         "Кейінгі жылдары іс қайта қаралғанда қылмыс құрамы табылмаған.",
                         "Істегі фотосуретте шамамен {age} жастағы адам бейнеленген.",
                         "Іс туыстарына олардың сұрауы бойынша ашылған."],
        corrected="Істің бірінші парағында жыл түзетілген: ~~{wrong}~~ {year}.",
        quote="> «Кінәмді мойындамаймын».\n>\n> — жауап алу хаттамасынан (ойдан шығарылған)",
        tasks="- [x] Есеп карточкасымен салыстырылды\n- [ ] Фотосурет анықталды",
        footnote="Парақ нөмірлері де, бұл жазбадағы басқасы да ойдан шығарылған.",
        reference="Мұрағат шифры", link="Ойдан шығарылған жазба",
        summary="Ойдан шығарылған жазба: {occupation}, {year} жылы қамалған; өлшеулер үшін жасалған.",
        place="{region} облысы, № {aul} ауыл",
    ),
    "ru": dict(
        life="Жизнь", case="Дело", after="После приговора", sources="Источники", docs="Документы дела",
        columns=("Дата", "Документ", "Лист"),
        documents=["Ордер на арест", "Протокол обыска", "Протокол допроса", "Обвинительное заключение",
                   "Выписка из протокола", "Справка о реабилитации"],
        invented="Этот человек вымышлен: выставка создана для замеров скорости, и ни один архив не хранит "
                 "такого дела.",
        born="{name}, {birth} год рождения, место рождения: {place}.",
        life_sentences=["В деле род занятий указан как «{occupation}».",
                        "Соседи позднее вспоминали хозяйство, где держали пчёл и большой огород.",
                        "В 1920-е годы семья дважды переезжала вслед за работой на железной дороге.",
                        "В ауле это был один из немногих грамотных людей.",
                        "В семье росло пятеро детей, до взрослых лет дожили двое."],
        case_sentences=["Протоколы допросов занимают несколько десятков листов, большей частью написанных "
                        "торопливой рукой.",
                        "Кроме показаний двух свидетелей, позднее от них отказавшихся, в деле нет "
                        "доказательств.",
                        "Обвинение предъявлено по статье: *{charge}*.",
                        "Решение вынес орган: **{body}**.",
                        "Следствие длилось {months} мес."],
        after_sentences=["На письма родственников о судьбе арестованного ответили лишь спустя годы.",
                         "При пересмотре дела в последующие годы состава преступления не нашли.",
                         "На фотографии из дела — человек лет {age}.",
                         "Дело открыли для родственников по их запросу."],
        corrected="На первом листе дела год исправлен: ~~{wrong}~~ {year}.",
        quote="> «Виновным себя не признаю».\n>\n> — из протокола допроса (вымышлено)",
        tasks="- [x] Сверено с учётной карточкой\n- [ ] Фотография опознана",
        footnote="Номера листов вымышлены, как и всё в этой записи.",
        reference="Архивный шифр", link="Вымышленная запись",
        summary="Вымышленная запись: {occupation}, арест в {year} году; создана для замеров.",
        place="{region} область, аул № {aul}",
    ),
    "en": dict(
        life="Life", case="The case", after="After the sentence", sources="Sources", docs="Documents in the file",
        columns=("Date", "Document", "Sheet"),
        documents=["Arrest warrant", "Search record", "Interrogation record", "Indictment",
                   "Extract from the minutes", "Rehabilitation certificate"],
        invented="This person is invented: the exhibition is generated for a benchmark, and no archive "
                 "holds this file.",
        born="{name} was born in {birth} in {place}.",
        life_sentences=["The file records the occupation as “{occupation}”.",
                        "Neighbours later recalled a household that kept bees and a large vegetable garden.",
                        "In the 1920s the family moved twice, following work on the railway.",
                        "This was one of the few people in the aul who could read and write.",
                        "Five children grew up in the family; two of them lived to adulthood."],
        case_sentences=["The interrogation records run to several dozen sheets, most of them written in a "
                        "hurried hand.",
                        "Beyond the statements of two witnesses, both later withdrawn, the file holds no "
                        "evidence.",
                        "The charge was brought under *{charge}*.",
                        "The decision was taken by the **{body}**.",
                        "The investigation lasted {months} months."],
        after_sentences=["Letters from relatives asking about the arrested person's fate were answered "
                         "only years later.",
                         "When the case was reviewed in later years, no crime was found.",
                         "A photograph in the file shows a person of about {age}.",
                         "The file was opened to relatives at their request."],
        corrected="The first sheet of the file corrects the year: ~~{wrong}~~ {year}.",
        quote="> “I do not admit guilt.”\n>\n> — from the interrogation record (invented)",
        tasks="- [x] Checked against the registration card\n- [ ] Photograph identified",
        footnote="The sheet numbers are invented, like everything in this record.",
        reference="Archive reference", link="Invented record",
        summary="Invented record: {occupation}, arrested in {year}; written for benchmarks.",
        place="Aul No. {aul}, {region} region",
    ),
}
SITE_TITLE = ("Синтетикалық көрме (ойдан шығарылған адамдар)", "Синтетическая выставка (вымышленные люди)",
              "Synthetic exhibition (invented people)")
SITE_NOTICE = ("Бұл көрмедегі адамдардың бәрі ойдан шығарылған: ол тек өлшеулер үшін жасалған.",
               "Все люди этой выставки вымышлены: она создана только для замеров.",
               "Every person in this exhibition is invented: it exists only for benchmarks.")
ABOUT = ("Көрме туралы", "О выставке", "About the exhibition")
# Arrests by year, weighted towards 1937 and 1938 as in the real record.
YEARS = list(range(1921, 1955))
YEAR_WEIGHTS = [30 if y in (1937, 1938) else 6 if 1929 <= y <= 1933 else 2 for y in YEARS]


def quoted(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def day_text(day, precision=3):
    """A date as the records write it: YYYY, YYYY-MM or YYYY-MM-DD."""
    return day.isoformat()[: (4, 7, 10)[precision - 1]]


def russian_ending(stem, after_consonant, after_vowel, female):
    """-ов/-ев (-ович/-евич) after a consonant or a vowel, with the feminine -а (-овна)."""
    ending = after_vowel if stem[-1] in "аеёиоуыэюя" else after_consonant
    if female:
        ending = ending[:-2] + "на" if ending.endswith("ич") else ending + "а"
    return ending


def invent_name(r, people):
    """(kk, ru, en) of "Surname Given-name Patronymic"; the patronymic only sometimes."""
    female = r.random() < 0.18
    if people in KAZAKH_NAMED:
        stem = r.choice(SURNAME_HEADS) + r.choice(SURNAME_TAILS)
        given = r.choice(FEMALE_GIVEN if female else MALE_GIVEN)
        ru_stem = to_ru(stem)
        ru_surname = ru_stem + russian_ending(ru_stem, "ов", "ев", female)
        # Kazakh pages sometimes spell the surname the Kazakh way, as the search must then find.
        kk_surname = stem + ("қызы" if female else "ұлы") if r.random() < 0.3 else stem + ru_surname[len(ru_stem):]
        kk, ru = [kk_surname, given], [ru_surname, to_ru(given)]
        if r.random() < 0.6:
            father = r.choice(MALE_GIVEN)
            ru_father = to_ru(father)
            kk.append(father + ("қызы" if female else "ұлы"))
            ru.append(ru_father + russian_ending(ru_father, "ович", "евич", female))
        return (" ".join(kk), " ".join(ru), to_latin(" ".join(ru)))
    stem = r.choice(OTHER_SURNAME_STEMS) + r.choice(("ер", "ман", "енко", "ский"))
    given = r.choice(OTHER_GIVEN_MALE)
    ru = f"{stem} {given}"
    return (ru, ru, to_latin(ru))


def invent_record(seed, n, narrated_fraction):
    """Record n (from 1) of the corpus: the same whatever the corpus's size."""
    r = random.Random(f"memorial-bench {seed} {n}")
    rec = dict(id=f"syn-{n:06d}", people=r.choices(list(PEOPLES), weights=PEOPLE_WEIGHTS)[0])
    rec["name"] = invent_name(r, rec["people"])
    year = r.choices(YEARS, weights=YEAR_WEIGHTS)[0]
    rec["birth"] = r.randint(1870, year - 17)
    region = r.choice(REGIONS)
    aul = r.randint(1, 40)
    rec["place"] = tuple(TEXT[lang]["place"].format(region=region[i], aul=aul) for i, lang in enumerate(LANGS))
    rec["occupation"] = r.choice(OCCUPATIONS)
    arrest = datetime.date(year, r.randint(1, 12), r.randint(1, 28))
    sentence = arrest + datetime.timedelta(days=r.randint(12, 300))
    rec["arrest"] = "" if r.random() < 0.03 else day_text(arrest, r.choices((1, 2, 3), weights=(1, 2, 7))[0])
    rec["sentence_date"] = "" if r.random() < 0.05 else day_text(sentence)
    rec["year"] = sentence.year if rec["sentence_date"] else arrest.year
    rec["charge"] = r.sample(list(CHARGES), r.choices((1, 2), weights=(4, 1))[0])
    rec["body"] = r.choice(list(BODIES))
    kind = r.random()
    death_place = ("", "", "")
    if kind < 0.45:
        rec["sentence"] = ["execution"]
        death = day_text(sentence + datetime.timedelta(days=r.randint(0, 12))) if rec["sentence_date"] else ""
        death_place = rec["place"]
    elif kind < 0.5:
        rec["sentence"] = ["death-sentence-commuted", "camp-10-years"]
        death = ""
    else:
        rec["sentence"] = [r.choice(["camp-3-years", "camp-5-years", "camp-8-years", "camp-10-years",
                                     "camp-25-years", "exile-5-years", "special-settlement"])]
        death = str(sentence.year + r.randint(1, 40)) if r.random() < 0.4 else ""
        if death and r.random() < 0.3:
            rec["sentence"].append("died-in-custody")
            death = str(sentence.year + r.randint(1, 4))
    rec["death"], rec["death_place"] = death, death_place
    rec["rehabilitation"] = "" if r.random() < 0.3 else day_text(
        datetime.date(r.choice((1956, 1957, 1958, 1989, 1990)), r.randint(1, 12), r.randint(1, 28)))
    rec["ref"] = f"ф. {r.randint(1, 40)}, оп. {r.randint(1, 12)}, д. {r.randint(1, 99999)}"
    rec["note"] = r.choice(NOTES) if r.random() < 0.15 else ("", "", "")
    rec["restricted"] = r.random() < 0.01
    rec["narrated"] = r.random() < narrated_fraction
    rec["body_seed"] = r.getrandbits(32)
    return rec


def narrative(rec, lang):
    """The Markdown body of a narrative: sections, emphasis, a table or lists, a quotation, a
    footnote, strikethrough and links, about 1.6 KB, as the exhibition's narratives have."""
    i = LANGS.index(lang)
    t = TEXT[lang]
    r = random.Random(rec["body_seed"] * 7 + i)
    values = dict(occupation=rec["occupation"][i], charge="; ".join(CHARGES[c][i] for c in rec["charge"]),
                  body=BODIES[rec["body"]][i], months=r.randint(2, 11), age=r.randint(25, 60), year=rec["year"],
                  wrong=rec["year"] + 1)

    def sentences(pool, k):
        return " ".join(s.format(**values) for s in r.sample(pool, k))

    footnote = r.random() < 0.3
    out = [f"## {t['life']}", "",
           t["born"].format(name=f"**{rec['name'][i]}**", birth=rec["birth"], place=rec["place"][i]) + " "
           + sentences(t["life_sentences"], 3), "", t["invented"], "",
           f"## {t['case']}", "", sentences(t["case_sentences"], 3), ""]
    sheets = sorted(r.sample(range(1, 300), r.randint(3, 6)))
    if r.random() < 0.4:
        out += [f"| {t['columns'][0]} | {t['columns'][1]} | {t['columns'][2]} |", "|---|---|---:|"]
        out += [f"| {r.randint(1, 28):02d}.{r.randint(1, 12):02d}.{rec['year']} | {t['documents'][k]} | {s} |"
                for k, s in enumerate(sheets)]
    else:
        out += [f"### {t['docs']}", ""] + [f"- {t['documents'][k]}, л. {s}" for k, s in enumerate(sheets)]
    out += [""]
    if r.random() < 0.5:
        out += [t["quote"], ""]
    out += [f"## {t['after']}", "", sentences(t["after_sentences"], 2) + ("[^1]" if footnote else ""), ""]
    if r.random() < 0.3:
        out += [t["corrected"].format(**values), ""]
    if r.random() < 0.2:
        out += [t["tasks"], ""]
    out += [f"## {t['sources']}", "", f"1. {t['reference']}: `{rec['ref']}`",
            f"2. [{t['link']} {rec['id']}](https://archive.example.org/synthetic/{rec['id']})",
            f"3. www.example.org/register/{rec['id']}", ""]
    if footnote:
        out += [f"[^1]: {t['footnote']}", ""]
    return "\n".join(out)


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def vocabulary(path, entries):
    write(path, "".join(f"{quoted(code)}: {{kk: {quoted(kk)}, ru: {quoted(ru)}, en: {quoted(en)}}}\n"
                        for code, (kk, ru, en) in entries.items()))


COLUMNS = ["id", "name_kk", "name_ru", "name_en", "birth_year", "birth_place_kk", "birth_place_ru",
           "birth_place_en", "people", "occupation_kk", "occupation_ru", "occupation_en", "arrest_date",
           "charge", "sentencing_body", "sentence_date", "sentence", "death_date", "death_place_kk",
           "death_place_ru", "death_place_en", "rehabilitation_date", "archive_ref", "note_kk", "note_ru",
           "note_en", "sources", "status"]


def row(rec):
    return [rec["id"], *rec["name"], rec["birth"], *rec["place"], rec["people"], *rec["occupation"],
            rec["arrest"], ";".join(rec["charge"]), rec["body"], rec["sentence_date"], ";".join(rec["sentence"]),
            rec["death"], *rec["death_place"], rec["rehabilitation"], rec["ref"], *rec["note"],
            f"https://archive.example.org/synthetic/{rec['id']};Synthetic register, vol. {int(rec['id'][4:]) % 97 + 1}",
            "restricted" if rec["restricted"] else "published"]


def memorial_site(site):
    content = os.path.join(site, "content")
    for sub in ("records", "cases", "vocabularies", "pages/about"):
        os.makedirs(os.path.join(content, sub))
    write(os.path.join(content, "site.yml"),
          "base_url: https://example.org/\nlanguages: [kk, ru, en]\n"
          + "title: {" + ", ".join(f"{lang}: {quoted(SITE_TITLE[i])}" for i, lang in enumerate(LANGS)) + "}\n"
          + "notice: {" + ", ".join(f"{lang}: {quoted(SITE_NOTICE[i])}" for i, lang in enumerate(LANGS)) + "}\n"
          + "shot_sentences: [execution]\n")
    vocabulary(os.path.join(content, "vocabularies", "peoples.yml"), PEOPLES)
    vocabulary(os.path.join(content, "vocabularies", "charges.yml"), CHARGES)
    vocabulary(os.path.join(content, "vocabularies", "sentences.yml"), SENTENCES)
    vocabulary(os.path.join(content, "vocabularies", "bodies.yml"), BODIES)
    for i, lang in enumerate(LANGS):
        write(os.path.join(content, "pages", "about", f"{lang}.md"),
              f"---\ntitle: {quoted(ABOUT[i])}\n---\n\n{SITE_NOTICE[i]}\n")
    return content


HUGO_CONFIG = """baseURL = "https://example.org/"
title = "Synthetic exhibition (invented people)"
defaultContentLanguage = "kk"
defaultContentLanguageInSubdir = true
paginate = 50
disableKinds = ["RSS"]
[taxonomies]
  people = "people"
  year = "year"
[markup.goldmark.extensions]
  table = true
  strikethrough = true
  linkify = true
  footnote = true
  taskList = true
[languages]
"""

# The same pages as Memorial's built-in templates make, in Hugo's terms: a case page with its
# facts, narrative, index links and translations; paginated lists; the taxonomies' pages.
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="{{ .Language.Lang }}"><head><meta charset="utf-8">
<title>{{ .Title }} | {{ .Site.Title }}</title>{{ with .Summary }}<meta name="description" content="{{ . | plainify }}">{{ end }}
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">{{ end }}</head>
<body><header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
<nav>{{ range .Site.Home.AllTranslations }}<a hreflang="{{ .Language.Lang }}" href="{{ .RelPermalink }}">{{ .Language.LanguageName }}</a> {{ end }}</nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ .Site.Params.notice }}</footer></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
{{ with .Params.facts }}<dl>{{ range . }}<dt>{{ index . 0 }}</dt><dd>{{ index . 1 }}</dd>{{ end }}</dl>{{ end }}
{{ .Content }}
{{ with .Params.sources }}<ul>{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}
<p>{{ range .GetTerms "people" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}{{ range .GetTerms "year" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ with .Translations }}<ul>{{ range . }}<li><a hreflang="{{ .Language.Lang }}" href="{{ .RelPermalink }}">{{ .Language.LanguageName }}</a></li>{{ end }}</ul>{{ end }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Params.summary }} — {{ . }}{{ end }}</li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
""",
    "_default/taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<table>{{ range .Data.Terms.Alphabetical }}<tr><td><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a></td><td>{{ .Count }}</td></tr>{{ end }}</table>{{ end }}
""",
    "_default/term.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1><p>{{ .Site.Params.notice }}</p>
<ul><li><a href="{{ "cases/" | relLangURL }}">{{ len (where .Site.RegularPages "Section" "cases") }}</a></li>
<li><a href="{{ "people/" | relLangURL }}">people</a></li><li><a href="{{ "year/" | relLangURL }}">year</a></li>
<li><a href="{{ "about/" | relLangURL }}">about</a></li></ul>{{ end }}
""",
}
FACT_LABELS = {
    "kk": ("Туған жылы", "Туған жері", "Ұлты", "Кәсібі", "Қамауға алынған күні", "Айып", "Үкім шығарған орган",
           "Үкім күні", "Үкім", "Қайтыс болған күні", "Қайтыс болған жері", "Ақталған күні", "Мұрағат шифры",
           "Ескерту"),
    "ru": ("Год рождения", "Место рождения", "Национальность", "Род занятий", "Дата ареста", "Обвинение",
           "Осудивший орган", "Дата приговора", "Приговор", "Дата смерти", "Место смерти", "Дата реабилитации",
           "Архивный шифр", "Примечание"),
    "en": ("Year of birth", "Place of birth", "People", "Occupation", "Date of arrest", "Charge", "Sentencing body",
           "Date of sentence", "Sentence", "Date of death", "Place of death", "Date of rehabilitation",
           "Archive reference", "Note"),
}
CASES_TITLE = ("Істер", "Дела", "Cases")


def hugo_site(hugo):
    config = HUGO_CONFIG
    for i, lang in enumerate(LANGS):
        config += (f"  [languages.{lang}]\n    languageName = {quoted(('Қазақша', 'Русский', 'English')[i])}\n"
                   f"    weight = {i + 1}\n    title = {quoted(SITE_TITLE[i])}\n    contentDir = \"content/{lang}\"\n"
                   f"    [languages.{lang}.params]\n      notice = {quoted(SITE_NOTICE[i])}\n")
    write(os.path.join(hugo, "config.toml"), config)
    for path, text in HUGO_LAYOUTS.items():
        os.makedirs(os.path.dirname(os.path.join(hugo, "layouts", path)), exist_ok=True)
        write(os.path.join(hugo, "layouts", path), text)
    for i, lang in enumerate(LANGS):
        os.makedirs(os.path.join(hugo, "content", lang, "cases"))
        write(os.path.join(hugo, "content", lang, "cases", "_index.md"), f"---\ntitle: {quoted(CASES_TITLE[i])}\n---\n")
        write(os.path.join(hugo, "content", lang, "about.md"), f"---\ntitle: {quoted(ABOUT[i])}\n---\n\n{SITE_NOTICE[i]}\n")


def hugo_page(rec, lang, body):
    i = LANGS.index(lang)
    labels = FACT_LABELS[lang]
    values = (rec["birth"], rec["place"][i], PEOPLES[rec["people"]][i], rec["occupation"][i], rec["arrest"],
              "; ".join(CHARGES[c][i] for c in rec["charge"]), BODIES[rec["body"]][i], rec["sentence_date"],
              "; ".join(SENTENCES[s][i] for s in rec["sentence"]), rec["death"], rec["death_place"][i],
              rec["rehabilitation"], rec["ref"], rec["note"][i])
    facts = "".join(f"  - [{quoted(label)}, {quoted(str(value))}]\n" for label, value in zip(labels, values) if value)
    summary = TEXT[lang]["summary"].format(occupation=rec["occupation"][i], year=rec["year"]) if body else ""
    return (f"---\ntitle: {quoted(rec['name'][i])}\n" + (f"summary: {quoted(summary)}\n" if summary else "")
            + f"people: [{quoted(PEOPLES[rec['people']][i])}]\nyear: [\"{rec['year']}\"]\nfacts:\n{facts}"
            + f"sources: [{quoted('https://archive.example.org/synthetic/' + rec['id'])}]\n---\n\n{body}")


def main():
    parser = argparse.ArgumentParser(description="Write a synthetic exhibition of invented people.")
    parser.add_argument("site")
    parser.add_argument("n", type=int)
    parser.add_argument("--narrated", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1921)
    parser.add_argument("--hugo")
    args = parser.parse_args()
    # A folder is replaced only when it is empty or an earlier corpus: never a real site.
    for folder in filter(None, (args.site, args.hugo)):
        if os.path.isdir(folder) and os.listdir(folder) and not os.path.exists(os.path.join(folder, MARKER)):
            sys.exit(f"corpus.py: {folder} is not empty and not a synthetic corpus; choose a temporary folder")
    for folder in filter(None, (args.site, args.hugo)):
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        write(os.path.join(folder, MARKER), "A synthetic corpus of invented people, written by scripts/bench/corpus.py.\n")
    content = memorial_site(args.site)
    if args.hugo:
        hugo_site(args.hugo)
    body_bytes = narrated = 0
    rows_per_file = 20000
    writer = None
    records_file = None
    for n in range(1, args.n + 1):
        if (n - 1) % rows_per_file == 0:
            if records_file:
                records_file.close()
            records_file = open(os.path.join(content, "records", f"records-{(n - 1) // rows_per_file + 1:03d}.csv"),
                                "w", encoding="utf-8", newline="")
            writer = csv.writer(records_file, lineterminator="\n")
            writer.writerow(COLUMNS)
        rec = invent_record(args.seed, n, args.narrated)
        writer.writerow(row(rec))
        if rec["narrated"]:
            narrated += 1
            os.makedirs(os.path.join(content, "cases", rec["id"]))
        for i, lang in enumerate(LANGS):
            body = narrative(rec, lang) if rec["narrated"] else ""
            if body:
                body_bytes += len(body.encode())
                summary = TEXT[lang]["summary"].format(occupation=rec["occupation"][i], year=rec["year"])
                write(os.path.join(content, "cases", rec["id"], f"{lang}.md"),
                      f"---\nsummary: {quoted(summary)}\n---\n\n{body}")
            if args.hugo and not rec["restricted"]:
                write(os.path.join(args.hugo, "content", lang, "cases", rec["id"] + ".md"), hugo_page(rec, lang, body))
    if records_file:
        records_file.close()
    average = body_bytes / (3 * narrated) if narrated else 0
    print(f"wrote {args.n} invented records ({narrated} narrated, {average:.0f} bytes of Markdown a narrative) "
          f"into {args.site}" + (f" and {args.hugo}" if args.hugo else ""))


if __name__ == "__main__":
    main()
