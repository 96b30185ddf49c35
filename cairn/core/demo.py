"""Deterministic demo data: plausible people, organisations, job titles, places and dates.

Everything here draws from a `random.Random` passed in (never the global one), so a seed
always gives the same demo. Each app that has something to show registers a *filler* in its
own `demo.py` module:

    @filler("network", order=10)
    def fill_network(user, rng, size, today):
        ...create people and interactions for `user`...
        return {"people": 150, "interactions": 900}

`demo_fill` discovers those modules and runs every filler in order, each with its own random
stream (so adding a filler never changes what the others generate).
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from importlib import import_module
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from cairn.core.errors import DomainError

DEFAULT_SEED = 1
DEMO_EMAIL = "demo@example.com"
# Printed with every demo login: the demo is for trying Cairn, not for real data.
DEMO_PASSWORD = "cairn-demo-password"


# --- Sizes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Size:
    """How much a filler should create for one demo account."""

    name: str
    people: int
    organisations: int
    interactions: int
    postings: int


SIZES: dict[str, Size] = {
    size.name: size
    for size in (
        # What `make run` shows: a network one could really keep warm.
        Size("small", people=150, organisations=40, interactions=900, postings=400),
        # The benchmark user.
        Size("heavy", people=20_000, organisations=3_000, interactions=200_000, postings=100_000),
        # For smoke runs of the benchmarks in CI: every code path, few rows.
        Size("quick", people=300, organisations=50, interactions=2_000, postings=1_000),
    )
}


def size_named(name: str) -> Size:
    """The size called `name`; an unknown name is a DomainError listing the known ones."""
    try:
        return SIZES[name]
    except KeyError:
        known = ", ".join(SIZES)
        raise DomainError(f"Unknown demo size {name!r}: choose {known}.", field="size") from None


# --- People ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """A naming tradition: given and family names that belong together, and how they combine."""

    key: str
    weight: int
    given: tuple[str, ...]
    family: tuple[str, ...]
    style: str = "plain"  # plain | two_families | hyphen | syllables | korean | vietnamese


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split(","))


ORIGINS: tuple[Origin, ...] = (
    Origin(
        "anglo",
        18,
        _words(
            "Emma,Oliver,Charlotte,James,Amelia,Jack,Sophie,Harry,Grace,Thomas,Olivia,William,"
            "Hannah,Daniel,Chloe,Samuel,Lucy,Benjamin,Megan,Joshua,Rachel,Michael,Laura,David,"
            "Katherine,Matthew,Jessica,Andrew,Emily,Christopher,Sarah,Ryan,Abigail,Nathan,Eleanor,"
            "Tyler,Lauren,Ethan,Zoe,Liam,Aidan,Fiona,Connor,Siobhan,Gareth,Rhiannon,Callum,Isla"
        ),
        _words(
            "Smith,Johnson,Williams,Brown,Taylor,Wilson,Davies,Evans,Thomas,Roberts,Walker,Wright,"
            "Robinson,Thompson,White,Hughes,Edwards,Green,Hall,Wood,Harris,Martin,Jackson,Clarke,"
            "Lewis,Morgan,Cooper,Bennett,Murphy,Kelly,O'Brien,Campbell,Stewart,Anderson,Mitchell,"
            "Parker,Collins,Reed,Foster,Sullivan,Fraser,Gallagher,Byrne,MacLeod,Price,Howell"
        ),
        "hyphen",
    ),
    Origin(
        "french",
        8,
        _words(
            "Camille,Louis,Léa,Hugo,Manon,Jules,Chloé,Lucas,Inès,Gabriel,Sarah,Arthur,Juliette,"
            "Raphaël,Élise,Théo,Margaux,Antoine,Clémence,Nicolas,Mathilde,Julien,Pauline,Maxime,"
            "Céline,Étienne,Amandine,Baptiste,Océane,Romain,Aurélie,Guillaume"
        ),
        _words(
            "Martin,Bernard,Dubois,Thomas,Robert,Richard,Petit,Durand,Leroy,Moreau,Simon,Laurent,"
            "Lefèvre,Michel,David,Bertrand,Roux,Vincent,Fournier,Morel,Girard,André,Mercier,Dupont,"
            "Lambert,Bonnet,François,Legrand,Garnier,Faure,Rousseau,Blanc,Guérin,Chevalier,Lemaire"
        ),
        "hyphen",
    ),
    Origin(
        "germanic",
        8,
        _words(
            "Lukas,Anna,Felix,Lena,Jonas,Marie,Leon,Sophie,Maximilian,Laura,Paul,Hannah,Finn,Lea,"
            "Tobias,Katharina,Niklas,Johanna,Jan,Sanne,Daan,Femke,Bram,Lotte,Sem,Eva,Stefan,Julia,"
            "Matthias,Annika,Jürgen,Greta"
        ),
        _words(
            "Müller,Schmidt,Schneider,Fischer,Weber,Meyer,Wagner,Becker,Schulz,Hoffmann,Koch,"
            "Richter,Klein,Wolf,Schröder,Neumann,Braun,Zimmermann,Hartmann,Krüger,de Jong,"
            "Jansen,de Vries,van den Berg,Bakker,Visser,Smit,Meijer,Mulder,de Boer,Vos,Peeters,"
            "Huber,Gruber"
        ),
        "hyphen",
    ),
    Origin(
        "hispanic",
        10,
        _words(
            "Lucía,Mateo,Sofía,Santiago,Valentina,Diego,Camila,Alejandro,Isabella,Javier,María,"
            "Carlos,Paula,Pablo,Daniela,Andrés,Elena,Miguel,Carmen,Sebastián,Gabriela,Fernando,Ana,"
            "Luis,Ximena,Rodrigo,Natalia,Emilio,Renata,Joaquín,Marisol,Iker"
        ),
        _words(
            "García,Rodríguez,González,Fernández,López,Martínez,Sánchez,Pérez,Gómez,Díaz,Hernández,"
            "Álvarez,Jiménez,Moreno,Muñoz,Romero,Alonso,Navarro,Torres,Ramírez,Ruiz,Vargas,Castillo,"
            "Ortega,Morales,Rojas,Mendoza,Herrera,Silva,Medina,Castro,Guerrero"
        ),
        "two_families",
    ),
    Origin(
        "italian",
        4,
        _words(
            "Giulia,Francesco,Chiara,Alessandro,Martina,Lorenzo,Giorgia,Matteo,Francesca,Andrea,"
            "Sara,Leonardo,Alessia,Riccardo,Elisa,Davide,Federica,Marco,Silvia,Giovanni,Tommaso,"
            "Beatrice,Stefano,Ilaria"
        ),
        _words(
            "Rossi,Russo,Ferrari,Esposito,Bianchi,Romano,Colombo,Ricci,Marino,Greco,Bruno,Gallo,"
            "Conti,De Luca,Mancini,Costa,Giordano,Rizzo,Lombardi,Moretti,Barbieri,Fontana,Santoro,"
            "Mariani,Rinaldi"
        ),
    ),
    Origin(
        "lusophone",
        5,
        _words(
            "João,Ana,Pedro,Beatriz,Gustavo,Larissa,Rafael,Mariana,Thiago,Juliana,Bruno,Fernanda,"
            "Felipe,Carolina,Letícia,Vinícius,Tiago,Inês,Raquel,Caio"
        ),
        _words(
            "Silva,Santos,Oliveira,Souza,Pereira,Costa,Ferreira,Almeida,Carvalho,Gomes,Ribeiro,"
            "Martins,Rocha,Lima,Araújo,Barbosa,Cardoso,Teixeira,Moura,Nunes"
        ),
        "two_families",
    ),
    Origin(
        "nordic",
        3,
        _words(
            "Emil,Ida,Oskar,Freja,Magnus,Ingrid,Lars,Astrid,Erik,Sigrid,Anders,Maja,Henrik,Linnea,"
            "Mikkel,Elin,Johan,Karin,Nils,Saga"
        ),
        _words(
            "Hansen,Johansson,Andersson,Nielsen,Larsen,Karlsson,Eriksson,Jensen,Pedersen,Lindqvist,"
            "Berg,Haugen,Virtanen,Korhonen,Nieminen,Lindström,Dahl,Holm,Sørensen,Björk"
        ),
    ),
    Origin(
        # Family names that do not change with gender, so any pairing reads naturally.
        "central_eastern",
        6,
        _words(
            "Jakub,Zuzanna,Piotr,Katarzyna,Tomasz,Agnieszka,Michał,Magdalena,Oleksandr,Olena,"
            "Dmytro,Iryna,Marko,Ivana,Luka,Milica,Andrei,Ioana,Bence,Eszter,Mihai,Kateryna,Bogdan,"
            "Petra"
        ),
        _words(
            "Nowak,Wójcik,Mazur,Krawczyk,Kaczmarek,Pawlak,Dudek,Wróbel,Shevchenko,Kovalenko,"
            "Bondarenko,Tkachenko,Kravchenko,Melnyk,Horvat,Kovačević,Petrović,Jovanović,Popescu,"
            "Ionescu,Nagy,Horváth,Tóth,Szabó"
        ),
    ),
    Origin(
        "south_asian",
        10,
        _words(
            "Aarav,Priya,Arjun,Ananya,Rohan,Kavya,Vikram,Divya,Rahul,Neha,Aditya,Pooja,Siddharth,"
            "Shreya,Karan,Meera,Nikhil,Riya,Sanjay,Lakshmi,Varun,Aishwarya,Rajesh,Deepa,Harsh,"
            "Sunita,Anil,Isha,Farhan,Ayesha,Imran,Sadia"
        ),
        _words(
            "Sharma,Patel,Singh,Kumar,Gupta,Reddy,Iyer,Nair,Rao,Mehta,Joshi,Desai,Shah,Menon,"
            "Chatterjee,Banerjee,Mukherjee,Pillai,Verma,Agarwal,Kapoor,Malhotra,Bhat,Krishnan,Das,"
            "Chopra,Sinha,Naidu,Chowdhury,Hossain,Qureshi,Siddiqui"
        ),
    ),
    Origin(
        # Given names are one or two syllables, as they are in practice.
        "chinese",
        8,
        _words(
            "Wei,Jing,Hao,Xin,Yu,Zi,Han,Xuan,Yi,Ming,Jia,Rui,Lan,Qing,Tian,Yang,Hui,Ling,Zhi,Hong,"
            "Jun,Mei,Shu,Ting,An,Xiao,Bo,Kai,Lei,Yan"
        ),
        _words(
            "Wang,Li,Zhang,Liu,Chen,Yang,Huang,Zhao,Wu,Zhou,Xu,Sun,Ma,Zhu,Hu,Guo,He,Lin,Luo,Gao,"
            "Tan,Ng,Wong,Chan,Lim,Teo,Tang,Song"
        ),
        "syllables",
    ),
    Origin(
        "japanese",
        3,
        _words(
            "Haruto,Yui,Sota,Aoi,Yuto,Hina,Ren,Sakura,Kenji,Yuki,Takumi,Daiki,Rin,Hiroshi,Emi,"
            "Kaito,Naoko,Shota,Ayaka,Riku,Misaki,Kazuki"
        ),
        _words(
            "Sato,Suzuki,Takahashi,Tanaka,Watanabe,Ito,Yamamoto,Nakamura,Kobayashi,Kato,Yoshida,"
            "Yamada,Sasaki,Matsumoto,Inoue,Kimura,Hayashi,Shimizu,Mori,Ikeda,Hashimoto,Ogawa"
        ),
    ),
    Origin(
        "korean",
        3,
        _words(
            "Min,Ji,Seo,Ha,Do,Yun,Jun,Woo,Hyun,Su,Ye,Eun,Jin,Young,Sung,Hye,Tae,Da,Yeon,Bin,Ho,"
            "Kyung,Na"
        ),
        _words("Kim,Lee,Park,Choi,Jung,Kang,Cho,Yoon,Jang,Lim,Han,Oh,Seo,Shin,Kwon,Hwang"),
        "korean",
    ),
    Origin(
        "vietnamese",
        2,
        _words(
            "Linh,Minh,Anh,Huy,Thảo,Đức,Mai,Khánh,Trang,Quang,Ngọc,Tuấn,Hoa,Long,Phương,Nam,"
            "Hương,Dũng"
        ),
        _words("Nguyễn,Trần,Lê,Phạm,Hoàng,Phan,Vũ,Đặng,Bùi,Đỗ,Hồ,Ngô,Dương,Lý"),
        "vietnamese",
    ),
    Origin(
        "malay_indonesian",
        2,
        _words("Siti,Arif,Putri,Budi,Dewi,Rizal,Ayu,Fajar,Nurul,Hafiz,Indah,Agus,Wulan,Irfan"),
        _words(
            "Santoso,Wijaya,Hidayat,Saputra,Rahman,Kusuma,Pratama,Setiawan,Halim,Ismail,Abdullah,"
            "Lestari,Nugroho,Hakim"
        ),
    ),
    Origin(
        "arabic",
        5,
        _words(
            "Omar,Layla,Youssef,Fatima,Ahmed,Nour,Karim,Mariam,Hassan,Salma,Ali,Yasmin,Khalid,"
            "Rania,Tariq,Samir,Hana,Rami,Dina,Ziad,Amira,Bilal,Aisha,Mona"
        ),
        _words(
            "Haddad,Khalil,Mansour,Nasser,Saleh,Hamdan,Farouk,Aziz,Ibrahim,Hussein,Karam,Saad,"
            "Najjar,Khoury,Sabbagh,Darwish,Qasim,Hamid,Taha,El-Amin,Bakr,Shamsi"
        ),
    ),
    Origin(
        "persian",
        2,
        _words("Dariush,Shirin,Reza,Parisa,Arash,Niloufar,Kian,Roya,Babak,Sara,Farhad,Mahsa"),
        _words(
            "Hosseini,Mohammadi,Rezaei,Ahmadi,Karimi,Moradi,Jafari,Tehrani,Sadeghi,Rahimi,Kazemi,"
            "Farahani"
        ),
    ),
    Origin(
        "turkish",
        2,
        _words("Emre,Elif,Mehmet,Zeynep,Can,Ayşe,Burak,Merve,Kerem,Defne,Murat,Selin,Onur,Ece"),
        _words(
            "Yılmaz,Kaya,Demir,Şahin,Çelik,Yıldız,Öztürk,Aydın,Arslan,Doğan,Kılıç,Aslan,Koç,Polat"
        ),
    ),
    Origin(
        "west_african",
        4,
        _words(
            "Chidi,Ngozi,Emeka,Adaeze,Tunde,Folake,Kwame,Ama,Kofi,Abena,Oluwaseun,Yetunde,Ibrahim,"
            "Aminata,Moussa,Fatou,Kelechi,Chiamaka,Segun,Efua"
        ),
        _words(
            "Okafor,Adeyemi,Okonkwo,Mensah,Asante,Boateng,Owusu,Adebayo,Eze,Nwosu,Balogun,"
            "Oyelaran,Diallo,Traoré,Ndiaye,Sow,Diop,Obi,Osei,Agyeman"
        ),
    ),
    Origin(
        "east_southern_african",
        3,
        _words(
            "Wanjiru,Amani,Baraka,Neema,Juma,Zawadi,Tendai,Thandiwe,Sipho,Lerato,Thabo,Nomvula,"
            "Mandla,Zanele,Tariku,Selam,Makena,Kagiso"
        ),
        _words(
            "Mwangi,Otieno,Kamau,Wanjiku,Ochieng,Njoroge,Mutua,Kimani,Nkosi,Dlamini,Ndlovu,"
            "Mokoena,Khumalo,Moyo,Banda,Phiri,Tesfaye,Bekele,Haile,Girma"
        ),
    ),
)
_ORIGIN_WEIGHTS = [origin.weight for origin in ORIGINS]
_VIETNAMESE_MIDDLE = ("Văn", "Thị", "Minh", "Ngọc", "Đức", "Thanh", "Hoàng", "Quốc", "Thu", "Gia")


@dataclass(frozen=True)
class PersonName:
    given: str
    family: str
    origin: str

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}"


def person_name(rng: random.Random) -> PersonName:
    """One plausible name; about one in eight mixes traditions, as families and moves do."""
    origin = rng.choices(ORIGINS, _ORIGIN_WEIGHTS)[0]
    given = _given(origin, rng)
    family_origin = rng.choices(ORIGINS, _ORIGIN_WEIGHTS)[0] if rng.random() < 0.12 else origin
    return PersonName(given, _family(family_origin, rng), origin.key)


def _given(origin: Origin, rng: random.Random) -> str:
    if origin.style == "syllables":
        first = rng.choice(origin.given)
        if rng.random() < 0.3:
            return first
        second = rng.choice([s for s in origin.given if s != first])
        return first + second.lower()
    if origin.style == "korean":
        first, second = rng.sample(origin.given, 2)
        return f"{first}-{second.lower()}"
    if origin.style == "vietnamese" and rng.random() < 0.5:
        return f"{rng.choice(_VIETNAMESE_MIDDLE)} {rng.choice(origin.given)}"
    return rng.choice(origin.given)


def _family(origin: Origin, rng: random.Random) -> str:
    if origin.style == "two_families" and rng.random() < 0.35:
        return " ".join(rng.sample(origin.family, 2))
    if origin.style == "hyphen" and rng.random() < 0.04:
        return "-".join(rng.sample(origin.family, 2))
    return rng.choice(origin.family)


def person_names(rng: random.Random, count: int) -> list[PersonName]:
    """`count` names, distinct unless the pool is nearly exhausted (then repeats, as in life)."""
    seen: set[str] = set()
    names = []
    for _ in range(count):
        for _attempt in range(25):
            name = person_name(rng)
            if name.full not in seen:
                break
        seen.add(name.full)
        names.append(name)
    return names


def ascii_slug(text: str, separator: str = "-") -> str:
    """`Müller & Søn` → `muller-and-son`: for demo email addresses and web domains."""
    text = text.replace("&", " and ").replace("ø", "o").replace("Ø", "O").replace("ł", "l")
    text = text.replace("đ", "d").replace("Đ", "D").replace("ı", "i").replace("ß", "ss")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", separator, plain.lower()).strip(separator)


def email_for(name: PersonName, domain: str) -> str:
    """A demo address like `lea.muller@northwind-labs.example` (never a real domain)."""
    return f"{ascii_slug(name.given, '')}.{ascii_slug(name.family, '')}@{domain}"


# --- Places ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    city: str
    country: str
    time_zone: str
    origin: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


def _places(origin: str, rows: str) -> list[Place]:
    found = []
    for row in rows.strip().splitlines():
        city, country, zone = (part.strip() for part in row.split("|"))
        found.append(Place(city, country, zone, origin))
    return found


PLACES: tuple[Place, ...] = tuple(
    _places(
        "anglo",
        """
        London|United Kingdom|Europe/London
        Manchester|United Kingdom|Europe/London
        Edinburgh|United Kingdom|Europe/London
        Dublin|Ireland|Europe/Dublin
        New York|United States|America/New_York
        Boston|United States|America/New_York
        Chicago|United States|America/Chicago
        Austin|United States|America/Chicago
        Denver|United States|America/Denver
        Seattle|United States|America/Los_Angeles
        San Francisco|United States|America/Los_Angeles
        Toronto|Canada|America/Toronto
        Vancouver|Canada|America/Vancouver
        Sydney|Australia|Australia/Sydney
        Melbourne|Australia|Australia/Melbourne
        Auckland|New Zealand|Pacific/Auckland
        """,
    )
    + _places(
        "french",
        """
        Paris|France|Europe/Paris
        Lyon|France|Europe/Paris
        Bordeaux|France|Europe/Paris
        Nantes|France|Europe/Paris
        Toulouse|France|Europe/Paris
        Montréal|Canada|America/Toronto
        Brussels|Belgium|Europe/Brussels
        Geneva|Switzerland|Europe/Zurich
        """,
    )
    + _places(
        "germanic",
        """
        Berlin|Germany|Europe/Berlin
        Munich|Germany|Europe/Berlin
        Hamburg|Germany|Europe/Berlin
        Vienna|Austria|Europe/Vienna
        Zurich|Switzerland|Europe/Zurich
        Amsterdam|Netherlands|Europe/Amsterdam
        Rotterdam|Netherlands|Europe/Amsterdam
        Utrecht|Netherlands|Europe/Amsterdam
        """,
    )
    + _places(
        "hispanic",
        """
        Madrid|Spain|Europe/Madrid
        Barcelona|Spain|Europe/Madrid
        Valencia|Spain|Europe/Madrid
        Mexico City|Mexico|America/Mexico_City
        Guadalajara|Mexico|America/Mexico_City
        Bogotá|Colombia|America/Bogota
        Buenos Aires|Argentina|America/Argentina/Buenos_Aires
        Santiago|Chile|America/Santiago
        Lima|Peru|America/Lima
        """,
    )
    + _places(
        "italian",
        """
        Milan|Italy|Europe/Rome
        Rome|Italy|Europe/Rome
        Turin|Italy|Europe/Rome
        Bologna|Italy|Europe/Rome
        """,
    )
    + _places(
        "lusophone",
        """
        Lisbon|Portugal|Europe/Lisbon
        Porto|Portugal|Europe/Lisbon
        São Paulo|Brazil|America/Sao_Paulo
        Rio de Janeiro|Brazil|America/Sao_Paulo
        Belo Horizonte|Brazil|America/Sao_Paulo
        """,
    )
    + _places(
        "nordic",
        """
        Stockholm|Sweden|Europe/Stockholm
        Gothenburg|Sweden|Europe/Stockholm
        Copenhagen|Denmark|Europe/Copenhagen
        Oslo|Norway|Europe/Oslo
        Helsinki|Finland|Europe/Helsinki
        """,
    )
    + _places(
        "central_eastern",
        """
        Warsaw|Poland|Europe/Warsaw
        Kraków|Poland|Europe/Warsaw
        Prague|Czechia|Europe/Prague
        Kyiv|Ukraine|Europe/Kyiv
        Budapest|Hungary|Europe/Budapest
        Bucharest|Romania|Europe/Bucharest
        Belgrade|Serbia|Europe/Belgrade
        Zagreb|Croatia|Europe/Zagreb
        """,
    )
    + _places(
        "south_asian",
        """
        Bengaluru|India|Asia/Kolkata
        Mumbai|India|Asia/Kolkata
        Delhi|India|Asia/Kolkata
        Hyderabad|India|Asia/Kolkata
        Pune|India|Asia/Kolkata
        Chennai|India|Asia/Kolkata
        Dhaka|Bangladesh|Asia/Dhaka
        Karachi|Pakistan|Asia/Karachi
        """,
    )
    + _places(
        "chinese",
        """
        Shanghai|China|Asia/Shanghai
        Beijing|China|Asia/Shanghai
        Shenzhen|China|Asia/Shanghai
        Hong Kong|Hong Kong|Asia/Hong_Kong
        Taipei|Taiwan|Asia/Taipei
        Singapore|Singapore|Asia/Singapore
        """,
    )
    + _places(
        "japanese",
        """
        Tokyo|Japan|Asia/Tokyo
        Osaka|Japan|Asia/Tokyo
        Fukuoka|Japan|Asia/Tokyo
        """,
    )
    + _places(
        "korean",
        """
        Seoul|South Korea|Asia/Seoul
        Busan|South Korea|Asia/Seoul
        """,
    )
    + _places(
        "vietnamese",
        """
        Hanoi|Vietnam|Asia/Ho_Chi_Minh
        Ho Chi Minh City|Vietnam|Asia/Ho_Chi_Minh
        """,
    )
    + _places(
        "malay_indonesian",
        """
        Jakarta|Indonesia|Asia/Jakarta
        Surabaya|Indonesia|Asia/Jakarta
        Kuala Lumpur|Malaysia|Asia/Kuala_Lumpur
        """,
    )
    + _places(
        "arabic",
        """
        Dubai|United Arab Emirates|Asia/Dubai
        Cairo|Egypt|Africa/Cairo
        Amman|Jordan|Asia/Amman
        Beirut|Lebanon|Asia/Beirut
        Casablanca|Morocco|Africa/Casablanca
        Riyadh|Saudi Arabia|Asia/Riyadh
        Doha|Qatar|Asia/Qatar
        """,
    )
    + _places(
        "persian",
        """
        Tehran|Iran|Asia/Tehran
        Isfahan|Iran|Asia/Tehran
        """,
    )
    + _places(
        "turkish",
        """
        Istanbul|Türkiye|Europe/Istanbul
        Ankara|Türkiye|Europe/Istanbul
        İzmir|Türkiye|Europe/Istanbul
        """,
    )
    + _places(
        "west_african",
        """
        Lagos|Nigeria|Africa/Lagos
        Abuja|Nigeria|Africa/Lagos
        Accra|Ghana|Africa/Accra
        Dakar|Senegal|Africa/Dakar
        Abidjan|Côte d'Ivoire|Africa/Abidjan
        """,
    )
    + _places(
        "east_southern_african",
        """
        Nairobi|Kenya|Africa/Nairobi
        Kigali|Rwanda|Africa/Kigali
        Addis Ababa|Ethiopia|Africa/Addis_Ababa
        Johannesburg|South Africa|Africa/Johannesburg
        Cape Town|South Africa|Africa/Johannesburg
        Harare|Zimbabwe|Africa/Harare
        """,
    )
)
_PLACES_BY_ORIGIN: dict[str, list[Place]] = {}
for _place in PLACES:
    _PLACES_BY_ORIGIN.setdefault(_place.origin, []).append(_place)


def place(rng: random.Random, origin: str | None = None) -> Place:
    """A city; given a name's origin, usually one where that name is common (people move)."""
    if origin in _PLACES_BY_ORIGIN and rng.random() < 0.7:
        return rng.choice(_PLACES_BY_ORIGIN[origin])
    return rng.choice(PLACES)


# --- Work ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Industry:
    key: str
    label: str
    suffixes: tuple[str, ...]
    roles: tuple[str, ...]


INDUSTRIES: tuple[Industry, ...] = (
    Industry(
        "software",
        "Software and internet",
        _words("Labs,Software,Systems,Cloud,Analytics,Digital,Technologies"),
        _words(
            "Software Engineer,Backend Developer,Frontend Developer,Data Engineer,Data Scientist,"
            "Site Reliability Engineer,Product Manager,Product Designer,UX Researcher,"
            "Engineering Manager,QA Engineer,Solutions Architect,Developer Advocate,"
            "Security Engineer,Machine Learning Engineer"
        ),
    ),
    Industry(
        "health",
        "Health care and life sciences",
        _words("Health,Medical,Care,Clinic,Therapeutics,Biosciences"),
        _words(
            "Registered Nurse,Nurse Practitioner,General Practitioner,Pharmacist,Physiotherapist,"
            "Clinical Research Associate,Laboratory Scientist,Hospital Administrator,"
            "Occupational Therapist,Radiographer,Biostatistician"
        ),
    ),
    Industry(
        "finance",
        "Finance and insurance",
        _words("Capital,Partners,Bank,Financial,Insurance,Asset Management"),
        _words(
            "Financial Analyst,Risk Analyst,Portfolio Manager,Actuary,Compliance Officer,"
            "Relationship Manager,Auditor,Credit Analyst,Investment Associate,Treasury Manager"
        ),
    ),
    Industry(
        "education",
        "Education and research",
        _words("Academy,College,Institute,School,Learning Trust"),
        _words(
            "Teacher,Lecturer,Professor,Research Fellow,Careers Adviser,Instructional Designer,"
            "Admissions Officer,School Counsellor,Librarian,Lab Technician"
        ),
    ),
    Industry(
        "public",
        "Government and public services",
        _words(
            "City Council,Housing Agency,Transport Authority,Public Health Agency,"
            "Employment Service,Regional Council"
        ),
        _words(
            "Policy Adviser,Urban Planner,Programme Officer,Public Health Officer,Economist,"
            "Statistician,Procurement Officer,Communications Officer,Caseworker"
        ),
    ),
    Industry(
        "nonprofit",
        "Non-profit and community",
        _words("Foundation,Trust,Alliance,Initiative,Network,Collective"),
        _words(
            "Programme Manager,Fundraising Manager,Volunteer Coordinator,Grants Officer,"
            "Community Organiser,Advocacy Lead,Impact Analyst"
        ),
    ),
    Industry(
        "manufacturing",
        "Manufacturing and engineering",
        _words("Industries,Manufacturing,Works,Engineering,Materials,Robotics"),
        _words(
            "Mechanical Engineer,Process Engineer,Quality Manager,Plant Manager,"
            "Supply Chain Planner,Production Supervisor,Electrical Engineer,"
            "Procurement Specialist,Maintenance Technician"
        ),
    ),
    Industry(
        "retail",
        "Retail and consumer goods",
        _words("Market,Goods,Outfitters,Stores,Home,Foods"),
        _words(
            "Store Manager,Merchandiser,Buyer,E-commerce Manager,Category Manager,"
            "Visual Merchandiser,Customer Service Lead,Brand Manager"
        ),
    ),
    Industry(
        "media",
        "Media and creative",
        _words("Media,Studio,Press,Publishing,Pictures,Radio"),
        _words(
            "Journalist,Editor,Producer,Copywriter,Graphic Designer,Video Editor,"
            "Content Strategist,Photographer,Art Director"
        ),
    ),
    Industry(
        "consulting",
        "Consulting and professional services",
        _words("Consulting,Group,Associates,Advisory,Strategy"),
        _words(
            "Consultant,Strategy Analyst,Engagement Manager,Change Manager,Business Analyst,"
            "Management Consultant"
        ),
    ),
    Industry(
        "logistics",
        "Transport and logistics",
        _words("Logistics,Freight,Transport,Shipping,Mobility"),
        _words(
            "Logistics Coordinator,Fleet Manager,Warehouse Manager,Operations Analyst,"
            "Customs Specialist,Transport Planner,Dispatcher"
        ),
    ),
    Industry(
        "energy",
        "Energy and environment",
        _words("Energy,Power,Renewables,Grid,Solar,Water"),
        _words(
            "Energy Analyst,Field Engineer,Project Engineer,Sustainability Manager,Grid Engineer,"
            "Health and Safety Manager,Environmental Scientist"
        ),
    ),
    Industry(
        "law",
        "Law",
        _words("LLP,Law,Legal"),
        _words(
            "Associate,Paralegal,Legal Counsel,Partner,Legal Secretary,Trademark Attorney,Solicitor"
        ),
    ),
    Industry(
        "hospitality",
        "Hospitality and travel",
        _words("Hotels,Hospitality,Kitchen,Travel,Resorts"),
        _words(
            "Hotel Manager,Chef de Partie,Event Planner,Front Office Manager,Sommelier,"
            "Travel Consultant,Head Chef"
        ),
    ),
)
INDUSTRIES_BY_KEY = {industry.key: industry for industry in INDUSTRIES}
_INDUSTRY_WEIGHTS = (16, 10, 8, 8, 7, 5, 8, 7, 6, 6, 5, 5, 4, 5)

# Roles found in every kind of organisation.
COMMON_ROLES = _words(
    "Recruiter,HR Business Partner,Accountant,Office Manager,Marketing Manager,Sales Executive,"
    "Account Manager,Customer Success Manager,Project Manager,Operations Manager,Data Analyst,"
    "Executive Assistant,IT Support Specialist,Communications Manager,Finance Manager"
)
LEADERSHIP_TITLES = _words(
    "Head of Engineering,Director of Operations,VP Sales,Chief Financial Officer,"
    "Chief Executive Officer,Head of People,Director of Marketing,Head of Product,"
    "Managing Director,Founder,Chief Operating Officer,Head of Research"
)
# Titles that do not take "Senior" or "Junior".
_NO_SENIORITY = frozenset(
    ("Professor", "Partner", "General Practitioner", "Head Chef", "Sommelier", "Founder")
)
_MANAGES = re.compile(r"\b(Manager|Lead|Director|Head|Officer)\b")
_SENIORITY = (("", 55), ("Senior ", 22), ("Junior ", 8), ("Lead ", 7), ("Principal ", 3))


def industry(rng: random.Random) -> Industry:
    """An industry, weighted roughly by how many people work in it."""
    return rng.choices(INDUSTRIES, _INDUSTRY_WEIGHTS)[0]


def job_title(rng: random.Random, in_industry: Industry | None = None) -> str:
    """A plausible title, e.g. `Senior Data Engineer`, usually one typical of the industry."""
    if rng.random() < 0.05:
        return rng.choice(LEADERSHIP_TITLES)
    chosen = in_industry or industry(rng)
    role = rng.choice(chosen.roles if rng.random() < 0.7 else COMMON_ROLES)
    if role in _NO_SENIORITY:
        return role
    # A manager or a lead is at most "Senior"; "Lead Fleet Manager" is not a title.
    ladder = _SENIORITY[:2] if _MANAGES.search(role) else _SENIORITY
    prefixes, weights = zip(*ladder, strict=True)
    return rng.choices(prefixes, weights)[0] + role


@dataclass(frozen=True)
class Organisation:
    name: str
    industry: str
    place: Place
    domain: str


_ROOTS = _words(
    "Northwind,Bluebird,Granite,Harbour,Summit,Cedar,Lumen,Quill,Meridian,Kestrel,Juniper,"
    "Beacon,Riverbend,Copperleaf,Ironwood,Silverline,Brightpath,Stonebridge,Evergreen,Halcyon,"
    "Nimbus,Orchard,Pinecrest,Redwood,Sable,Tidewater,Vantage,Wildflower,Zephyr,Amberly,"
    "Bramble,Cobalt,Driftwood,Ember,Fairhaven,Greystone,Inkwell,Keystone,Larkspur,Mosaic,"
    "Northstar,Oakridge,Polaris,Quarry,Rookwood,Saltmarsh,Thistle,Upland,Verity,Willow,"
    "Yarrow,Aurora,Basalt,Clearwater,Dovetail,Fieldstone,Goldfinch,Heron,Indigo,Lodestar"
)


def organisation(rng: random.Random) -> Organisation:
    """A fictional organisation with its industry, home city and an `.example` web domain."""
    chosen = industry(rng)
    home = place(rng)
    suffix = rng.choice(chosen.suffixes)
    if chosen.key == "law":
        first, second = (_family(rng.choice(ORIGINS), rng) for _ in range(2))
        name = f"{first} & {second}" if suffix == "LLP" else f"{first} {second} {suffix}"
    elif chosen.key == "public":
        name = f"{home.city} {suffix}"
    elif rng.random() < 0.15:
        name = f"{_family(rng.choice(ORIGINS), rng)} {suffix}"
    else:
        name = f"{rng.choice(_ROOTS)} {suffix}"
    return Organisation(name, chosen.key, home, ascii_slug(name) + ".example")


def organisations(rng: random.Random, count: int) -> list[Organisation]:
    """`count` organisations with distinct names (a namesake gets its city appended)."""
    seen: set[str] = set()
    found = []
    for _ in range(count):
        for _attempt in range(25):
            candidate = organisation(rng)
            if candidate.name not in seen:
                break
        else:
            name = f"{candidate.name} {candidate.place.city}"
            candidate = Organisation(
                name, candidate.industry, candidate.place, ascii_slug(name) + ".example"
            )
        seen.add(candidate.name)
        found.append(candidate)
    return found


# --- Dates -----------------------------------------------------------------------------------


def date_between(rng: random.Random, start: date, end: date) -> date:
    """A day from `start` to `end`, both included."""
    return start + timedelta(days=rng.randint(0, (end - start).days))


def recent_date(rng: random.Random, *, today: date, years: float, bias: float = 1.0) -> date:
    """A day within `years` before `today`; `bias` > 1 crowds the days towards today."""
    span = int(365.25 * years)
    return today - timedelta(days=int(span * rng.random() ** bias))


def dates_spread(
    rng: random.Random, count: int, *, today: date, years: float, bias: float = 1.5
) -> list[date]:
    """`count` days over the last `years`, oldest first, denser lately (as memories are)."""
    return sorted(recent_date(rng, today=today, years=years, bias=bias) for _ in range(count))


def moment_on(rng: random.Random, day: date, zone: ZoneInfo) -> datetime:
    """An aware time during the working day of `day` in `zone`, on a five-minute mark."""
    minutes = rng.randrange(8 * 60, 19 * 60, 5)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)


# --- Fillers ---------------------------------------------------------------------------------

Filler = Callable[[Any, random.Random, Size, date], Mapping[str, int]]


@dataclass(frozen=True)
class RegisteredFiller:
    name: str
    order: int
    fill: Filler


FILLERS: dict[str, RegisteredFiller] = {}


def filler(name: str, *, order: int = 100) -> Callable[[Filler], Filler]:
    """Register `fill(user, rng, size, today) -> counts`; lower `order` runs first."""

    def register(fill: Filler) -> Filler:
        existing = FILLERS.get(name)
        if existing is not None and existing.fill is not fill:
            raise ValueError(f"Demo filler {name!r} is registered twice.")
        FILLERS[name] = RegisteredFiller(name, order, fill)
        return fill

    return register


def _discover() -> None:
    """Import the `demo` module of every Cairn app, which registers its fillers."""
    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    for config in apps.get_app_configs():
        if config.name.startswith("cairn.") and module_has_submodule(config.module, "demo"):
            import_module(f"{config.name}.demo")


def fillers() -> list[RegisteredFiller]:
    """Every registered filler, in the order they run."""
    _discover()
    return sorted(FILLERS.values(), key=lambda entry: (entry.order, entry.name))


def user_owns_rows(user: Any) -> bool:
    """Whether any row anywhere belongs to `user`."""
    from cairn.core.models import owned_models

    return any(model.objects.filter(owner=user).exists() for model in owned_models())


Progress = Callable[[str, Mapping[str, int] | None], None]


def demo_fill(
    *,
    user: Any,
    size: Size | str,
    seed: int,
    today: date,
    progress: Progress | None = None,
) -> dict[str, dict[str, int]]:
    """Fill an empty account with demo data; returns what each filler created, by filler.

    `progress(name, None)` is called before each filler and `progress(name, counts)` after.
    All or nothing: a failing filler leaves the account as it was.
    """
    chosen = size_named(size) if isinstance(size, str) else size
    if user_owns_rows(user):
        raise DomainError(
            f"{user.email} already has data: demo data goes only into a new or empty account.",
            code="exists",
        )
    created: dict[str, dict[str, int]] = {}
    with transaction.atomic():
        for entry in fillers():
            if progress:
                progress(entry.name, None)
            # One stream per filler: a new filler does not shift what the others draw.
            rng = random.Random(f"cairn-demo:{seed}:{entry.name}")
            created[entry.name] = dict(entry.fill(user, rng, chosen, today))
            if progress:
                progress(entry.name, created[entry.name])
    return created


@filler("account", order=0)
def fill_account(user: Any, rng: random.Random, size: Size, today: date) -> Mapping[str, int]:
    """Give the account a name and the time zone of a city where that name is at home."""
    from cairn.accounts.services import user_settings_update

    name = person_name(rng)
    home = place(rng, name.origin)
    user_settings_update(user=user, display_name=name.full, time_zone=home.time_zone)
    return {"account": 1}
