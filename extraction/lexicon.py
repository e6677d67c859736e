"""The words the rules look for, per language. Kept apart from the rules so that a new wording is one line."""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Lexicon:
    # A document being signed, and which kind it is (first match wins).
    signing: re.Pattern
    kinds: list[tuple[str, re.Pattern]]
    title: re.Pattern
    # Parks and organisations: a generic word with a name, or a name with a generic word.
    org_before: str
    org_after: str
    # People's roles, by cues before or after the name.
    cues: list[tuple[str, str, re.Pattern]]  # (role, "before"/"after" the name, pattern)
    party_cue: re.Pattern  # "on the part of X", "со стороны X"
    position_words: re.Pattern
    event_words: str
    event_cue: re.Pattern
    scope_cue: re.Pattern
    fact_sentence: re.Pattern
    stages: list[tuple[str, re.Pattern]]
    stage_range: re.Pattern
    milestone_cue: re.Pattern
    facts: dict[str, re.Pattern]
    ownership: list[tuple[str, re.Pattern]]
    no_funding: re.Pattern
    funding: re.Pattern
    facilities: list[tuple[str, re.Pattern]]
    sector_cue: re.Pattern
    cities: dict[str, str]  # folded stem found in the text -> the city's name


QUOTED = r"[«\"“„][^«»\"“”„\n]{2,80}[»\"”“]"
EN_NAME_WORD = r"(?:[A-Z][a-zA-Z]+(?:-[A-Z]?[a-zA-Z]+)?|[A-Z]{2,6}(?:-\d+)?)"
RU_NAME_WORD = r"(?:[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?|[А-ЯЁ]{2,6}(?:-\d+)?)"

# Russian federal subjects and large cities most often named by parks; others are found by the words
# "region", "oblast", "Republic of", "область", "край", "республика".
EN_CITIES = {
    "st petersburg": "St. Petersburg", "saint petersburg": "St. Petersburg", "moscow": "Moscow", "kazan": "Kazan",
    "novosibirsk": "Novosibirsk", "yekaterinburg": "Yekaterinburg", "ekaterinburg": "Yekaterinburg",
    "nizhny novgorod": "Nizhny Novgorod", "samara": "Samara", "ufa": "Ufa", "kaliningrad": "Kaliningrad",
    "tomsk": "Tomsk", "krasnoyarsk": "Krasnoyarsk", "perm": "Perm", "voronezh": "Voronezh", "sochi": "Sochi",
    "rostov-on-don": "Rostov-on-Don", "vladivostok": "Vladivostok", "tyumen": "Tyumen", "chelyabinsk": "Chelyabinsk",
    "omsk": "Omsk", "innopolis": "Innopolis", "skolkovo": "Skolkovo", "minsk": "Minsk", "astana": "Astana",
    "tashkent": "Tashkent", "veliky novgorod": "Veliky Novgorod", "barnaul": "Barnaul", "arkhangelsk": "Arkhangelsk",
    "togliatti": "Togliatti", "tolyatti": "Togliatti", "murmansk": "Murmansk", "petrozavodsk": "Petrozavodsk", "almaty": "Almaty", "yaroslavl": "Yaroslavl", "tula": "Tula", "kaluga": "Kaluga",
    "obninsk": "Obninsk", "dubna": "Dubna", "irkutsk": "Irkutsk", "khabarovsk": "Khabarovsk", "saratov": "Saratov",
    "volgograd": "Volgograd", "izhevsk": "Izhevsk", "naberezhnye chelny": "Naberezhnye Chelny",
}  # fmt: skip
RU_CITY_ADJECTIVES = {
    "петербургск": "Санкт-Петербург", "московск": "Москва", "казанск": "Казань", "новосибирск": "Новосибирск",
    "екатеринбургск": "Екатеринбург", "нижегородск": "Нижний Новгород", "самарск": "Самара", "уфимск": "Уфа",
    "калининградск": "Калининград", "томск": "Томск", "красноярск": "Красноярск", "пермск": "Пермь",
    "сочинск": "Сочи", "тюменск": "Тюмень", "иннополисск": "Иннополис",
}  # fmt: skip

ENGLISH = Lexicon(
    signing=re.compile(
        r"\b(?:sign(?:ed|s|ing)?|concluded|inked|sealed|entered into|put (?:their|his|her) signatures?|bears the signatures)\b",
        re.I,
    ),
    kinds=[
        ("amendment", re.compile(r"\b(?:supplementary agreement|addendum|amendment|supplement to)\b", re.I)),
        ("memorandum", re.compile(r"\b(?:memorandum|MoU)\b")),
        ("agreement", re.compile(r"\b(?:agreement|accord|treaty|contract)\b", re.I)),
    ],
    title=re.compile(
        r"\b(?P<title>(?:supplementary\s+)?(?:agreement|memorandum|addendum|amendment)"
        r"(?:\s+of\s+understanding)?\s+(?:on|of|for|to|about|regarding)\s+.+?)"
        r"(?=\s+(?:during|at|on the sidelines|on the margins|within|as part of|in the framework|between|with|"
        r"in the presence|which|that|on\s+\d|in\s+(?:[A-Z]|\d))\b|[,.;:()]|$)",
        re.I,
    ),
    org_before=(
        r"(?:IT[- ][Pp]ark|[Tt]echnop\w*lis|[Tt]echnopark|[Tt]echno-?park|[Tt]echnology [Pp]ark|[Ss]cience(?: and [Tt]echnology)? [Pp]ark"
        r"|[Ii]ndustrial [Pp]ark|[Ii]nnovation (?:[Pp]ark|[Cc]ent(?:re|er))|[Ss]pecial [Ee]conomic [Zz]one|SEZ)"
    ),
    org_after=(
        r"(?:Technopark|Technopolis|Technology Park|Science Park|Science and Technology Park|Industrial Park"
        r"|Innovation Cent(?:re|er)|University|Institute|Cluster|Foundation|Fund|Agency|Corporation|Academy)"
        r"(?:['’]s\s+(?:technology park|science park|technopark|innovation cent(?:re|er)))?"
    ),
    cues=[
        (
            "signatory",
            "after",
            re.compile(
                r"\b(?:signed|inked|concluded|sealed)\b(?:\s+(?!hosted|organi[sz]ed|held|chaired)[\w«»\"“”-]+){0,6}?\s+by\b|\bsignatories (?:were|are)\b|\bsignatures of\b",
                re.I,
            ),
        ),
        (
            "signatory",
            "before",
            re.compile(
                r"\b(?:signed|inked|sealed|put (?:their|his|her) signatures?|initialled)\b(?!\s+by)|\bhave signed\b",
                re.I,
            ),
        ),
        (
            "witness",
            "after",
            re.compile(
                r"\b(?:in the presence of|witnessed by|attended by|with the participation of|in attendance (?:was|were)|(?:also )?present were|(?:also )?present was|guests included)\b",
                re.I,
            ),
        ),
        (
            "witness",
            "before",
            re.compile(
                r"\b(?:took part|take part|attended|witnessed|(?:was|were) present|participated|looked on)\b", re.I
            ),
        ),
        (
            "quoted",
            "after",
            re.compile(
                r"\b(?:said|says|noted|added|stressed|emphasi[sz]ed|commented|according to|explained|pointed out|remarked|declared|stated)\b",
                re.I,
            ),
        ),
        (
            "quoted",
            "before",
            re.compile(
                r"\b(?:said|says|noted|added|stressed|emphasi[sz]ed|commented|explained|pointed out|believes|remarked|declared|stated|told)\b",
                re.I,
            ),
        ),
    ],
    party_cue=re.compile(
        r"\b(?:on (?:the )?(?:part|behalf) of(?: the)?|for the part of|representing|signed for(?: the)?)\s+|(?:^|[,;]\s*)[Ff]or\s+(?=the\s+[A-Z]|[«\"“A-Z])"
    ),
    position_words=re.compile(
        r"\b(?:CEO|CTO|COO|CFO|Director|Chairman|Chairwoman|Chair|President|Vice[- ]President|Minister|Deputy|Head|"
        r"Governor|Mayor|Rector|Vice[- ]Rector|Dean|Manager|Officer|Founder|Co-founder|Chief|Secretary|Ambassador|"
        r"Representative|Adviser|Advisor|Executive|Commissioner|Senator|Chancellor|Provost|Partner|Coordinator)\b"
        r"|\b(?:head|director|chairman|manager|chief executive|minister|governor|mayor|rector|founder|president) of\b"
    ),
    event_words=r"(?:Forum|Congress|Summit|Exhibition|Expo|EXPO|Conference|Week|Fair|Show|Festival|Assembly|Convention|Innoprom|INNOPROM|Days|Salon|Roundtable|Meeting)",
    event_cue=re.compile(
        r"\b(?:during|at|on the sidelines of|on the margins of|within|as part of|in the framework of|in the course of)\s+(?:the\s+)?",
        re.I,
    ),
    scope_cue=re.compile(
        r"\b(?:subject of the (?:agreement|memorandum|document)(?:\s+(?:is|are))?|(?:agreement|memorandum|document|parties|cooperation)\s+"
        r"(?:covers|cover|provides? for|envisages?|focus(?:es)? on|includes?|aims? at|is aimed at|will (?:cover|focus on|include))|"
        r"(?:agree|agreed|undertake|intend|plan|will) to (?:cooperate|work together|jointly)|cooperation (?:in|on)|joint|"
        r"under the (?:supplementary )?(?:agreement|memorandum|document)|(?:agreement|memorandum|document) (?:adds|extends|expands|sets up)|"
        r"(?:parks|parties|sides|partners) (?:will|agreed to|plan to|intend to|have divided)|innovation chain)\b",
        re.I,
    ),
    fact_sentence=re.compile(
        r"\b(?:(?:established|founded|set up|created) in \d{4}|\d+\s+(?:resident|compan|products|patents))", re.I
    ),
    stages=[
        ("idea", re.compile(r"\b(?:business ideas?|ideas?|upstream|idea stage)\b", re.I)),
        ("research", re.compile(r"\b(?:R&D|R ?& ?D|research|scientific|development work)\b", re.I)),
        ("prototype", re.compile(r"\b(?:prototyp\w*|pilot\w*|testing|test benches|samples?|demonstrat\w*)\b", re.I)),
        ("production", re.compile(r"\b(?:production|manufactur\w*|serial|industrial scale|scale-up)\b", re.I)),
        (
            "promotion",
            re.compile(
                r"\b(?:promotion|promoting|promote|marketing|commerciali[sz]\w*|downstream|market entry|export\w*|sales|trade (?:shows?|missions?|fairs?)|customers|buyers)\b",
                re.I,
            ),
        ),
    ],
    stage_range=re.compile(r"\bfrom\b(?P<first>.{0,80}?)\bto\b(?P<last>.{0,120})", re.I),
    milestone_cue=re.compile(
        r"\b(?:(?:is|are|was|were) (?:planned|scheduled|expected|due|to be|to \w+)|will (?:be|start|open|begin|launch|hold|"
        r"take place|present|complete|prepare|sign|publish|run|set up|create|establish|organi[sz]e|announce|draw up|deliver)|"
        r"plan(?:s|ned)? to|intend to|deadline|no later than|by the end of)\b",
        re.I,
    ),
    facts={
        "founded": re.compile(
            r"\b(?:established|founded|created|set up|launched|opened|developed|operat\w+|built|since)\b(?:\s+[^\s.;]+){0,5}?\s+(?:in|since|from)?\s*(?P<value>(?:19|20)\d\d)\b",
            re.I,
        ),
        "residents": re.compile(
            r"(?P<value>[\w-]+(?:\s+hundred)?)\s+(?:resident compan(?:y|ies)|residents|resident firms|companies)\b",
            re.I,
        ),
        "products": re.compile(r"(?P<value>[\w-]+(?:\s+hundred)?)\s+(?:(?P<adj>[a-z]+)\s+)?products\b", re.I),
        "patents": re.compile(r"(?P<value>[\w-]+(?:\s+hundred)?)\s+(?:registered\s+|granted\s+)?patents\b", re.I),
        "know_how": re.compile(r"(?P<value>[\w-]+(?:\s+hundred)?)\s+(?:items of\s+)?know-?hows?\b", re.I),
    },
    ownership=[
        ("public_private", re.compile(r"\bpublic[-–— ]private\b", re.I)),
        (
            "private",
            re.compile(
                r"\b(?:100\s*% private|fully private|privately (?:owned|funded)|private (?:park|project|investor))\b|\bis (?:100\s*%\s*)?private\b",
                re.I,
            ),
        ),
        (
            "state",
            re.compile(
                r"\b(?:state-owned|state owned|government-owned|(?:wholly |fully )?owned by the (?:state|region|regional government|federal government|city|government)|belongs to the (?:regional |federal |city )?(?:government|state|region))\b",
                re.I,
            ),
        ),
    ],
    no_funding=re.compile(
        r"\b(?:(?:does|do) not receive|without|receives no|no) (?:any )?(?:government|state|public|budget) (?:funding|money|support|financing|subsidies)\b",
        re.I,
    ),
    funding=re.compile(
        r"\b(?:(?:receives?|received|gets?|supported by) (?:government|state|federal|regional|budget) (?:funding|support|financing|subsidies)|"
        r"(?:financed|funded) (?:from|by) the (?:regional |federal |state |city )?(?:budget|government|state)|"
        r"receives? (?:its |all its )?(?:funding|money|financing) from the (?:regional |federal |state |city )?(?:budget|government))\b",
        re.I,
    ),
    facilities=[
        ("business_incubator", re.compile(r"\bbusiness incubators?\b", re.I)),
        ("lab_complex", re.compile(r"\b(?:lab|laboratory) (?:complex|building|centre|center)s?\b", re.I)),
        ("venture_fund", re.compile(r"\bventure funds?\b", re.I)),
        ("design_bureau", re.compile(r"\bdesign (?:bureau|office)s?\b", re.I)),
        ("social_commercial_centre", re.compile(r"\bsocial and (?:commercial|business) cent(?:er|re)s?\b", re.I)),
        ("residential", re.compile(r"\b(?:cottage village|residential (?:quarter|area|district))s?\b", re.I)),
        ("educational", re.compile(r"\b(?:educational cent(?:er|re)|training cent(?:er|re)|school)s?\b", re.I)),
        (
            "production_site",
            re.compile(r"\b(?:production (?:site|building|facilit(?:y|ies))|industrial site)s?\b", re.I),
        ),
    ],
    sector_cue=re.compile(
        r"\b(?:for innovations in|speciali[sz](?:es|ing|ation is)? in|focus(?:es|ed|ing)? on|in the (?:fields?|areas?|sectors?) of|"
        r"specialisations? (?:are|include)|works? in)\s+(?P<list>[^.;]+)",
        re.I,
    ),
    cities=EN_CITIES,
)

RUSSIAN = Lexicon(
    signing=re.compile(r"\b(?:подписа\w*|подписи\s+под|подписями|заключ\w*|скрепил\w*)", re.I),
    kinds=[
        (
            "amendment",
            re.compile(
                r"\bдополнительн\w+\s+соглашени\w*|\bизменени\w+\s+в\s+соглашени|\bдополнени\w+\s+к\s+соглашени", re.I
            ),
        ),
        ("memorandum", re.compile(r"\bмеморандум\w*", re.I)),
        ("agreement", re.compile(r"\b(?:соглашени\w*|договор\w*)", re.I)),
    ],
    title=re.compile(
        r"(?P<title>(?:дополнительн\w+\s+)?(?:соглашени\w*|меморандум\w*|договор\w*)\s+(?:о|об|по)\s+.+?)"
        r"(?=\s+(?:в рамках|во время|на полях|на площадке|в ходе|между|в присутствии|со стороны|с\s+(?:[А-ЯЁ]|«))|[,.;:()]|$)",
        re.I,
    ),
    org_before=(
        r"(?:[Тт]ехнопол\w*|[Тт]ехнопарк\w*|[Нн]аукоград\w*|ОЭЗ|[Оо]соб\w+ экономическ\w+ зон\w+|[Ии]нновационн\w+ центр\w*"
        r"|[Ии]ндустриальн\w+ парк\w*|[Нн]аучн\w+ парк\w*|[Нн]аучно-\w+ парк\w*|IT-парк\w*|АО|ООО|ПАО|АНО|ОАО|ЗАО|[Уу]ниверситет\w*|[Ии]нститут\w*|[Кк]ластер\w*|[Фф]онд\w*|[Аа]гентств\w*)"
    ),
    org_after=r"(?:технопарк\w*|технопол\w*|университет\w*)",
    cues=[
        (
            "signatory",
            "after",
            re.compile(
                r"\b(?:подписал[иа]?|подписан[оаы]?|скрепили|поставили (?:свои )?подписи|подписи под \w+ поставил[иа]?)\b",
                re.I,
            ),
        ),
        ("signatory", "before", re.compile(r"\b(?:подписал[иа]?|скрепили|поставили (?:свои )?подписи)\b", re.I)),
        ("witness", "after", re.compile(r"\b(?:в присутствии|при участии|с участием)\b", re.I)),
        ("witness", "before", re.compile(r"\b(?:принял[иа]? участие|присутствовал[иа]?|участвовал[иа]?)\b", re.I)),
        # Russian puts the subject after the verb as often as before: "участие принял заместитель министра X".
        ("witness", "after", re.compile(r"\b(?:принял[иа]? участие|присутствовал[иа]?|участвовал[иа]?)\b", re.I)),
        (
            "quoted",
            "after",
            re.compile(
                r"\b(?:отметил[аи]?|сказал[аи]?|подчеркнул[аи]?|заявил[аи]?|по словам|пояснил[аи]?|добавил[аи]?|считает|рассказал[аи]?|сообщил[аи]?|уверен[а]?)\b",
                re.I,
            ),
        ),
        (
            "quoted",
            "before",
            re.compile(
                r"\b(?:отметил[аи]?|сказал[аи]?|подчеркнул[аи]?|заявил[аи]?|пояснил[аи]?|добавил[аи]?|считает|рассказал[аи]?|сообщил[аи]?|уверен[а]?)\b",
                re.I,
            ),
        ),
    ],
    party_cue=re.compile(r"\b(?:со стороны|от имени|от)\s+", re.I),
    position_words=re.compile(
        r"\b(?:директор\w*|гендиректор\w*|руководител\w*|глав\w*|председател\w*|министр\w*|заместител\w*|замминистр\w*|"
        r"губернатор\w*|президент\w*|ректор\w*|проректор\w*|мэр\w*|начальник\w*|заведующ\w*|управляющ\w*|вице-\w+|"
        r"основател\w*|советник\w*|представител\w*|полпред\w*|декан\w*|врио|CEO|исполнительн\w+|первый)\b",
        re.I,
    ),
    event_words=r"(?:собрани\w*|форум\w*|конгресс\w*|саммит\w*|выставк\w*|конференци\w*|недел\w*|ярмарк\w*|фестивал\w*|съезд\w*|Иннопром\w*|ИННОПРОМ|сесси\w*|салон\w*)",
    event_cue=re.compile(r"\b(?:в рамках|во время|на полях|на площадке|в ходе|на)\s+", re.I),
    scope_cue=re.compile(
        r"(?:предмет\w* (?:соглашени|меморандум|документ|договор)\w*(?:\s+(?:является|являются|стала?|—))?|предусматрива\w*|направлен\w*|охватыва\w*|включа\w*|"
        r"касает\w*|сосредоточ\w*|намерены|договорились|совместн\w*|сотрудничеств\w* в (?:област|сфер)|"
        r"(?:стороны|парки|площадки|технопарки)\s+(?:будут|запустят|создадут|смогут|намерены|планируют)|по соглашению|цель\w* (?:соглашени|меморандум))",
        re.I,
    ),
    fact_sentence=re.compile(
        r"(?:(?:создан|основан|образован)\w*\s+в\s+\d{4}|\d+\s+(?:компани|резидент|продукт|патент))", re.I
    ),
    stages=[
        ("idea", re.compile(r"(?:бизнес-иде\w*|\bиде[яийею]\w*|upstream|«Upstream»)", re.I)),
        ("research", re.compile(r"(?:НИОКР|научно-исследовательск\w*|исследовани\w*|разработк\w*|R&D)", re.I)),
        ("prototype", re.compile(r"(?:прототип\w*|пилотн\w*|опытн\w*|испытани\w*|апробаци\w*)", re.I)),
        ("production", re.compile(r"(?:производств\w*|выпуск\w*|серийн\w*|промышленн\w+ масштаб\w*)", re.I)),
        (
            "promotion",
            re.compile(
                r"(?:продвижени\w*|коммерциализаци\w*|вывод\w*(?:\s+\w+){0,2}\s+на\s+рын\w*|бизнес-мисси\w*|выставк\w*|downstream|«Downstream»|маркетинг\w*|экспорт\w*|продаж\w*)",
                re.I,
            ),
        ),
    ],
    stage_range=re.compile(r"(?:^|\s)от\s(?P<first>.{0,80}?)\sдо\s(?P<last>.{0,120})", re.I),
    milestone_cue=re.compile(
        r"(?:планиру\w*|запланирован\w*|намечен\w*|состоится|пройд[её]т|начн[её]тся|будет|будут|должн\w*|намерены|"
        r"не позднее|к концу|до конца|срок\w*|откроется|откроют|подготов\w*|проведут|запуст\w*|старту\w*|заработа\w*|появит\w*|открыт\w*|"
        r"\b[а-яё]+(?:ут|ют|ят)\b)",
        re.I,
    ),
    facts={
        "founded": re.compile(
            r"(?:создан\w*|основан\w*|образован\w*|учрежд[её]н\w*|развива\w+|реализу\w+|работа\w+|действу\w+)(?:\s+[^\s.;]+){0,5}?\s+(?:в|с)\s+(?P<value>(?:19|20)\d\d)\s+год",
            re.I,
        ),
        "residents": re.compile(
            r"(?P<value>[\wА-Яа-яё-]+)\s+(?:компани\w+-резидент\w*|резидент\w*|компаний-резидентов)", re.I
        ),
        "products": re.compile(r"(?P<value>[\wА-Яа-яё-]+)\s+(?:(?P<adj>[а-яё]+)\s+)?(?:продукт\w*|продукци\w*)", re.I),
        "patents": re.compile(r"(?P<value>[\wА-Яа-яё-]+)\s+(?:зарегистрированн\w+\s+)?патент\w*", re.I),
        "know_how": re.compile(r"(?P<value>[\wА-Яа-яё-]+)\s+ноу-хау", re.I),
    },
    ownership=[
        ("public_private", re.compile(r"государственно-частн\w*|частно-государственн\w*|ГЧП", re.I)),
        (
            "private",
            re.compile(
                r"(?:100\s*%\s*частн\w*|полностью частн\w*|частн\w+ (?:проект|парк|технопарк|инвестор)\w*|является частн\w*|на 100\s*% частн\w*)",
                re.I,
            ),
        ),
        (
            "state",
            re.compile(
                r"(?:государственн\w+ (?:технопарк|парк|учреждени)\w*|принадлежит (?:государству|региону)|"
                r"в собственности (?:\w+\s+)?(?:края|области|республики|региона|государства|города))",
                re.I,
            ),
        ),
    ],
    no_funding=re.compile(
        r"(?:не получает|без|не привлекает)\s+(?:никакого\s+)?(?:государственн\w+|бюджетн\w+)\s+(?:финансировани\w*|поддержк\w*|средств\w*|субсиди\w*)",
        re.I,
    ),
    funding=re.compile(
        r"(?:получает|получил\w*|при)\s+(?:государственн\w+|бюджетн\w+|федеральн\w+|региональн\w+)\s+(?:финансировани\w*|поддержк\w*|субсиди\w*)|финансиру\w+ из (?:\w+\s+)?бюджет\w*",
        re.I,
    ),
    facilities=[
        ("business_incubator", re.compile(r"бизнес-инкубатор\w*", re.I)),
        ("lab_complex", re.compile(r"лабораторн\w+ (?:комплекс|корпус|центр)\w*", re.I)),
        ("venture_fund", re.compile(r"венчурн\w+ фонд\w*", re.I)),
        ("design_bureau", re.compile(r"конструкторск\w+ бюро", re.I)),
        ("social_commercial_centre", re.compile(r"социально-делов\w+ центр\w*|общественно-делов\w+ центр\w*", re.I)),
        ("residential", re.compile(r"коттеджн\w+ пос[её]л\w*|жил\w+ (?:квартал|комплекс|микрорайон)\w*", re.I)),
        ("educational", re.compile(r"образовательн\w+ центр\w*|учебн\w+ центр\w*", re.I)),
        ("production_site", re.compile(r"производственн\w+ (?:площадк|корпус)\w*", re.I)),
    ],
    sector_cue=re.compile(
        r"(?:для инноваций в (?:сфере|области)?|специализиру\w+ на|специализаци\w*\s*[—–:-]|в (?:сфер|област)\w+|направлени\w*\s*[—–:-])\s+(?P<list>[^.;]+)",
        re.I,
    ),
    cities={},
)

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100, "one hundred": 100,
    "two hundred": 200, "three hundred": 300, "dozen": 12, "a dozen": 12,
    "один": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8,
    "девять": 9, "десять": 10, "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "сто": 100,
    "сотни": 100, "сотня": 100, "сотню": 100, "двухсот": 200, "двести": 200, "десятка": 10, "десяти": 10,
    "двадцати": 20, "тридцати": 30, "сорока": 40, "пятидесяти": 50, "ста": 100,
}  # fmt: skip

# A milestone's title: the words before its date ("the first intake is planned for March 2025") or
# after it ("by 2025 the parties will open a joint lab").
MILESTONE_TITLES = {
    "ru": (
        [
            # "Первые проекты стороны планируют отобрать в декабре": the verb, then what it is done to.
            r"(?P<object>[^,;:]+?)\s+(?:стороны|парки|партн[её]ры|площадки)\s+(?:(?:планируют|намерены|должны|собираются)\s+)?(?P<verb>\w+)\s+(?:до|к|в|не позднее)?\s*(?:конца|концу|начала|середины)?\s*$",
            r"(?P<object>[^,;:]+?)\s+(?:планируется|предстоит|нужно|необходимо|решено)\s+(?P<verb>\w+)\s+(?:до|к|в|не позднее)?\s*(?:конца|концу|начала|середины)?\s*$",
            r"(?P<title>[^,;:]+?)\s+(?:должен|должна|должно|должны)\s+(?:быть\s+)?(?P<verb>\w+)\s+(?:до|к|в|не позднее)?\s*(?:конца|концу|началу|начала|середины)?\s*$",
            r"(?P<title>[^,;:]+?)\s+(?:стартует|стартуют|заработает|заработают|откроется|откроются|появится|начнёт работу|начнет работу|будет запущен\w*|будет открыт\w*|будет создан\w*)\s+(?:до|к|в|не позднее)?\s*(?:конца|концу|начала|середины)?\s*$",
            r"(?P<title>[^,;:]+?)\s+(?:объявят|проведут|откроют|запустят|подготовят|выпустят|представят|создадут|подведут|начнут)\s+(?:до|к|в|не позднее)?\s*(?:конца|концу|начала|середины)?\s*$",
            r"(?P<title>[^,;:]+?)\s+(?:запланирован\w*|планируется|планирует\w*|намечен\w*|состоится|пройд[её]т|начн[её]тся|откроется|будет\s+\w+)\s+(?:на|в|до|к|не позднее)?\s*(?:конец|конца|начало|начала|середину)?\s*$",
            r"(?:планиру\w+|намерены|должны|будет|будут|планируется|предстоит)\s+(?P<title>[^,;:]+?)\s+(?:до|к|в|не позднее)?\s*(?:конца|концу|начала|середины)?\s*$",
        ],
        [
            r"^\s*(?:года|году|г\.)?\s*,?\s*(?:во?\s+[А-ЯЁ][\w-]+\s+)?(?P<verb>откроется|откроются|заработает|заработают|стартует|стартуют|начн[её]т работу|появится|появятся|состоится|пройд[её]т)\s+(?P<title>[^,.;]+)",
            r"^\s*(?:года|году|г\.)?\s*,?\s*(?:[^,.;]{0,60}?\s)?(?:планируют\s+|намерены\s+|должны\s+)?(?P<verb>[а-яё]+(?:ут|ют|ят|ат|ить|ать|еть))\s+(?P<title>[^,.;]+)",
        ],
    ),
    "en": (
        [
            # "a pilot line is to be commissioned by", "the first pilots are to start in": the subject and its verb.
            r"(?P<title>[^,;:]+?)\s+(?:is|are)\s+to\s+(?:be\s+)?(?P<verb>\w+)\s+(?:by|in|on|before|no later than|until)\s+(?:the\s+)?(?:end|start|beginning|middle)?\s*(?:of\s+)?$",
            r"(?P<title>[^,;:]+?)\s+will\s+(?:take place|be held|start|begin|open|launch)\s+(?:by|in|on|before|no later than|until)\s+(?:the\s+)?(?:end|start|beginning|middle|first half|second half)?\s*(?:of\s+)?$",
            r"(?:^|\s)(?:and\s+)?to\s+(?P<title>[^,;:]+?)\s+(?:by|in|before|no later than|until)\s+(?:the\s+)?(?:end|start|beginning|middle)?\s*(?:of\s+)?$",
            r"(?P<title>[^,;:]+?)\s+will\s+be\s+(?P<verb>\w+ed)\s+(?:by|in|on|before|no later than|until)\s+(?:the\s+)?(?:end|start|beginning|middle)?\s*(?:of\s+)?$",
            r"(?P<title>[^,;:]+?)\s+(?:is|are|was|were)\s+(?:planned|scheduled|expected|due|set)(?:\s+to\s+\w+)?\s+(?:for|by|in|on|before|until)?\s*(?:the\s+)?(?:end|start|beginning|middle)?\s*(?:of\s+)?$",
            r"(?:will|plan to|plans to|intend to|intends to|are to|is to|agreed to)\s+(?P<title>[^,;:]+?)\s+(?:by|in|before|no later than|until|on|for)\s+(?:the\s+)?(?:end|start|beginning|middle)?\s*(?:of\s+)?$",
        ],
        [
            r"^\s*,?\s*(?:the\s+)?(?:parties|partners|sides|parks|[A-Z]\w+)\s+(?:will|plan to|intend to|are to)\s+(?P<title>[^,.;]+)"
        ],
    ),
}

# A park's city: "located in X", "based in X", "in the city of X", "from X" (a known city anywhere counts too).
CITY_OF_PARK = {
    "en": re.compile(
        r"\b(?:in|from)\s+(?:the (?:city|town) of\s+)?(?P<city>[A-Z][\w-]+(?:[ -][A-Z][\w-]+)?)\b(?!\s+(?:[Rr]egion|[Oo]blast|[Kk]rai|Republic|[Tt]erritory))"
    ),
    "ru": re.compile(
        r"(?:\bво?|\bиз)\s+(?:городе\s+|г\.\s*)?(?P<city>[А-ЯЁ][\w-]+(?:[ -][А-ЯЁ][\w-]+)?)\b(?!\s+(?:област|кра[йяе]|республик))"
    ),
}

# A milestone announced with its date to come: "The parks plan a demo day; its date will be announced later."
# "The date of the first joint exhibition will be agreed later."
DATE_LATER = {
    "en": re.compile(
        r"\b[Tt]he date of (?:the\s+)?(?P<title>[^,;.]+?) (?:will be|is to be) (?:agreed|announced|set|fixed) later"
    ),
    "ru": re.compile(r"\b[Дд]ата (?P<title>[^,;.]+?) (?:будет|будут) (?:объявлен\w*|определен\w*|согласован\w*) позже"),
}
UNDATED_MILESTONE = {
    "en": re.compile(
        r"\b(?:plan|plans|intend|will hold|will organi[sz]e)\s+(?:to hold\s+)?(?:a|an|the)?\s*(?P<title>[^;,.]+?)\s*[;,]\s*(?:its|the|their) dates? (?:will be|is to be|are to be) (?:announced|set|agreed|fixed) later",
        re.I,
    ),
    "ru": re.compile(
        r"(?:планируют|намерены провести|проведут)\s+(?P<title>[^;,.]+?)\s*[;,—–-]+\s*(?:его|её|ее|их)?\s*(?:дата|даты|сроки)\s+(?:будут?|буду)\s+(?:объявлен\w*|определен\w*|согласован\w*)\s+позже",
        re.I,
    ),
}

REGIONS = {
    "ru": re.compile(
        r"(?P<region>Республик\w+\s+[А-ЯЁ]\w+|[А-ЯЁ]\w+\s+Республик\w+|[А-ЯЁ]\w+\s+(?:област|кра[йяе])\w*|[А-ЯЁ]\w+\s+автономн\w+\s+округ\w*|"
        r"Татарстан\w*|Башкортостан\w*|Башкирии|Мордовии|Чувашии|Удмуртии|Якутии|Крыму|Дагестан\w*)"
    ),
    "en": re.compile(
        r"\b(?P<region>Republic of [A-Z]\w+|(?:(?!The\b|In\b)[A-Z]\w+\s+)?[A-Z]\w+ (?:[Rr]egion|[Oo]blast|[Kk]rai|[Tt]erritory|[Rr]epublic|[Aa]utonomous [Oo]krug)|"
        r"Tatarstan|Bashkortostan|Bashkiria|Mordovia|Chuvashia|Udmurtia|Yakutia|Dagestan|Crimea)\b"
    ),
}


def for_language(language: str) -> Lexicon:
    return RUSSIAN if language == "ru" else ENGLISH
