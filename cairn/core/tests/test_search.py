"""The search engine on its own: text folding, ranking, prefixes, ownership, hostile input."""

import pytest
from django.db import connection
from django.urls import NoReverseMatch
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cairn.core import search
from cairn.core.search import Document, Segment
from cairn.network import services
from cairn.network.models import Interaction

pytestmark = pytest.mark.django_db

NOTES: dict[int, dict[int, Document]] = {}  # owner id → object id → document, for rebuilds


@pytest.fixture
def notes():
    """A kind of document of our own, so that these tests do not depend on any app."""

    def documents(user):
        yield list(NOTES.get(user.pk, {}).values())

    def url(pk, data):
        if data.get("unlinked"):
            raise NoReverseMatch("no page yet")
        return f"/notes/{pk}/"

    kind = search.register(
        search.Kind(
            name="note",
            code=250,
            label="Notes",
            url=url,
            documents=documents,
            count=lambda user: len(NOTES.get(user.pk, {})),
            order=99,
        )
    )
    yield kind
    search.KINDS.pop("note")
    NOTES.clear()


def add(owner, object_id, title, body="", **data):
    doc = Document(object_id, title, body, data)
    NOTES.setdefault(owner.pk, {})[object_id] = doc
    search.index(owner.pk, "note", [doc])
    return doc


def found(user, text, **options):
    return [hit.object_id for hit in search.query(user, text, kinds=["note"], **options)]


# ---------------------------------------------------------------- text (no database)


def test_terms_are_folded_words_and_never_syntax():
    assert search.terms('"Ana" OR ru* -x (José) NEAR/3 a:b') == [
        "ana", "or", "ru", "x", "jose", "near", "3", "a",
    ]  # fmt: skip
    assert search.terms("ÉLODIE élodie Élodie") == ["elodie"]
    assert search.terms("___ *** '' \"\" ;--") == []


def test_terms_are_few_and_short():
    wanted = search.terms(" ".join(f"word{i}" for i in range(50)) + " " + "x" * 500)
    assert len(wanted) == search.MAX_TERMS
    assert all(len(term) <= search.MAX_TERM_LENGTH for term in search.terms("y" * 500))


def test_folding_drops_accents_and_case_but_keeps_letters_without_accents():
    assert search.fold("José Ñúñez ÅSA Straße") == "jose nunez asa straße"
    assert search.words("ana.ruiz@example.com, +34 612") == [
        "ana", "ruiz", "example", "com", "34", "612",
    ]  # fmt: skip


def test_highlight_marks_words_starting_with_a_term_accents_and_all():
    parts = search.highlight("José Ruiz-Pérez, joséphine", ["jos", "pe"])
    assert parts == (
        Segment("José", True),
        Segment(" Ruiz-", False),
        Segment("Pérez", True),
        Segment(", ", False),
        Segment("joséphine", True),
    )
    # Inside a word is not a match: the index only matches the start of words.
    assert search.highlight("Superman", ["man"]) == (Segment("Superman", False),)


def test_highlight_keeps_a_decomposed_accent_with_its_letter():
    text = "Jose\u0301 Ruiz"  # "José" written with a combining accent
    assert search.highlight(text, ["jose"])[0] == Segment("Jose\u0301", True)


def test_an_excerpt_is_a_window_around_the_first_match():
    body = " ".join(["filler"] * 60) + " met Ana at PyCon " + " ".join(["more"] * 60)
    parts = search.excerpt(body, ["pycon"], width=80)
    text = "".join(part.text for part in parts)
    assert text.startswith("… ") and text.endswith(" …")
    assert Segment("PyCon", True) in parts
    assert len(text) <= 90
    assert search.excerpt(body, ["absent"]) == ()
    assert search.excerpt("short note", ["note"]) == (
        Segment("short ", False),
        Segment("note", True),
    )


# ---------------------------------------------------------------- the index


def test_every_term_is_a_prefix_and_every_term_must_match(owner, notes):
    add(owner, 1, "Ana Ruiz")
    add(owner, 2, "Ana Lopez")
    add(owner, 3, "Rui Costa")
    add(owner, 4, "Anabel Rubio")
    assert sorted(found(owner, "ana ru")) == [1, 4]
    assert sorted(found(owner, "ru")) == [1, 3, 4]
    assert found(owner, "ruiz ana") == [1]
    assert found(owner, "ana ruizz") == []


def test_accents_and_case_do_not_matter_either_way(owner, notes):
    add(owner, 1, "José Pérez")
    add(owner, 2, "Jose Perez")
    add(owner, 3, "ÉLODIE Ørsted")
    assert sorted(found(owner, "jose")) == [1, 2]
    assert sorted(found(owner, "JOSÉ PÉR")) == [1, 2]
    assert found(owner, "elodie") == [3]
    assert found(owner, "Élo") == [3]


def test_a_title_match_ranks_above_a_mention_in_the_body(owner, notes):
    add(owner, 1, "Bea Lopez", "Introduced me to Ana at the conference")
    add(owner, 2, "Ana Ruiz", "Product manager")
    add(owner, 3, "Carl Diaz", "Ana's former colleague; Ana recommended him")
    hits = search.query(owner, "ana", kinds=["note"])
    assert hits[0].object_id == 2
    assert hits[0].rank > hits[1].rank >= hits[2].rank
    assert hits[0].title_parts == (Segment("Ana", True), Segment(" Ruiz", False))
    assert hits[0].snippet == ()  # only the title matched
    assert Segment("Ana", True) in hits[1].snippet


def test_indexing_again_replaces_and_remove_drops(owner, notes):
    add(owner, 1, "Ana Ruiz", "old notes about gardening")
    add(owner, 1, "Ana Ruiz", "new notes about sailing")
    assert search.count(owner.pk, "note") == 1
    assert found(owner, "gardening") == []
    assert found(owner, "sailing") == [1]
    search.remove(owner.pk, "note", [1, 999])
    assert found(owner, "ana") == []
    assert search.count(owner.pk) == 0
    search.index(owner.pk, "note", [Document(2, "First"), Document(2, "Second")])
    assert [hit.title for hit in search.query(owner, "second first second")] == []
    assert [hit.title for hit in search.query(owner, "second")] == ["Second"]


def test_clear_forgets_one_kind_one_owner_or_everything(owner, stranger, notes):
    add(owner, 1, "Ana Ruiz")
    add(stranger, 1, "Ana Stranger")
    search.index(owner.pk, "person", [Document(5, "Ana elsewhere")])
    assert search.clear(owner.pk, "note") == 1
    assert search.count(owner.pk) == 1 and search.count(stranger.pk) == 1
    search.clear(stranger.pk)
    assert search.count(stranger.pk) == 0 and search.count(owner.pk) == 1
    search.clear()
    assert search.count() == 0


def test_a_query_never_returns_another_owners_documents(owner, stranger, notes):
    add(owner, 1, "Ana Ruiz", "secret plans")
    add(stranger, 2, "Ana Other", "public plans")
    assert found(owner, "ana") == [1]
    assert found(stranger, "ana") == [2]
    assert found(stranger, "secret") == []
    # The same object id under two owners stays two documents.
    add(stranger, 1, "Sam's own note")
    assert [hit.title for hit in search.query(owner, "ana", kinds=["note"])] == ["Ana Ruiz"]


def test_kinds_have_their_own_name_and_code(notes):
    with pytest.raises(ValueError, match="share a code"):
        search.register(search.Kind("memo", 250, "Memos", notes.url, notes.documents, notes.count))
    with pytest.raises(ValueError, match="registered twice"):
        search.register(search.Kind("note", 251, "Notes", notes.url, notes.documents, notes.count))
    with pytest.raises(ValueError, match="between 1 and 255"):
        search.register(search.Kind("memo", 256, "Memos", notes.url, notes.documents, notes.count))
    with pytest.raises(ValueError, match="not registered"):
        search.index(1, "memo", [Document(1, "Memo")])
    assert "memo" not in search.KINDS


def test_nobody_signed_out_finds_anything(owner, notes):
    from django.contrib.auth.models import AnonymousUser

    add(owner, 1, "Ana Ruiz")
    assert search.query(AnonymousUser(), "ana") == []
    assert search.query(None, "ana") == []


def test_deleting_an_account_deletes_its_documents(owner, stranger, notes):
    add(owner, 1, "Ana Ruiz")
    add(stranger, 1, "Ana Other")
    owner_id = owner.pk
    owner.delete()
    assert search.count(owner_id) == 0
    assert found(stranger, "ana") == [1]
    if connection.vendor == "sqlite":  # the full-text index let go of the row too
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM core_search_fts WHERE core_search_fts MATCH 'ruiz'")
            assert cursor.fetchall() == []


def test_kinds_limit_and_links(owner, notes):
    for pk in range(1, 8):
        add(owner, pk, f"Ana number {pk}")
    add(owner, 8, "Ana without a page", unlinked=True)
    assert len(found(owner, "ana", limit=3)) == 3
    assert search.query(owner, "ana", kinds=[]) == []
    assert search.query(owner, "ana", kinds=["nothing-like-this"]) == []
    hits = {hit.object_id: hit for hit in search.query(owner, "ana", kinds=["note"])}
    assert hits[1].url == "/notes/1/"
    assert hits[8].url is None  # its page does not exist yet: shown without a link
    assert [group.kind.name for group in search.grouped(hits.values())] == ["note"]


def test_a_very_common_word_ranks_only_the_newest_matches(owner, notes, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 3)
    for pk in range(1, 7):
        add(owner, pk, f"Common title {pk}")
    assert sorted(found(owner, "common")) == [4, 5, 6]
    assert found(owner, "common title 2") == [2]  # narrower words find the older ones


def test_rebuild_refills_an_emptied_index(owner, notes):
    add(owner, 1, "Ana Ruiz")
    add(owner, 2, "Bea Lopez")
    search.clear(owner.pk)
    assert found(owner, "ana") == []
    reports = []
    assert search.rebuild(owner, only=["note"], progress=lambda k, n: reports.append(n)) == 2
    assert found(owner, "ana") == [1]
    assert reports == [2]


def test_a_scan_is_the_baseline_search_is_measured_against(owner):
    person = services.person_create(user=owner, full_name="Ana Ruiz")
    services.interaction_log(user=owner, people=[person], summary="Coffee", notes="About PyCon")
    queryset = Interaction.objects.for_user(owner)
    assert len(search.naive_scan(queryset, ["summary", "notes"], "pycon")) == 1
    assert search.naive_scan(queryset, ["summary", "notes"], "pycon nothing") == []
    searched, scanned = search.time_search_and_scan(
        owner, "pycon", kind="interaction", queryset=queryset, fields=["summary", "notes"],
        repeat=2,
    )  # fmt: skip
    assert searched > 0 and scanned > 0


HOSTILE = [
    '"',
    "'",
    "*",
    "NEAR(",
    "a AND",
    "OR OR",
    "title:ana",
    "{title}: x",
    "ana:*",
    "!&|",
    "'); DROP TABLE core_searchdocument; --",
    "\x00",
    "^ana",
    "-ana",
    "ﬁ ² ǅ İ",
    "👩‍💻",
]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
@example(text=HOSTILE[0])
@example(text=" ".join(HOSTILE))
def test_any_text_is_a_safe_query(owner, stranger, notes, text):
    if not search.count(owner.pk):
        add(owner, 1, "Ana Ruiz", "NEAR the * and the \"quotes\" 'too'")
        add(stranger, 1, "Ana Stranger", "hidden")
    for hit in search.query(owner, text, limit=5):
        assert hit.title != "Ana Stranger"
        assert "".join(part.text for part in hit.title_parts) == hit.title


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzàáâäçèéêëíñóöúüÀÉÖÑ", min_size=1, max_size=12)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=st.lists(WORD, min_size=1, max_size=8), pick=st.integers(0, 7), cut=st.integers(1, 12))
def test_a_document_is_found_by_the_start_of_any_of_its_words(owner, notes, words, pick, cut):
    add(owner, 1, "Note", " ".join(words))
    word = words[pick % len(words)]
    assert found(owner, word[:cut]) == [1]
    assert found(owner, word.upper()) == [1]
