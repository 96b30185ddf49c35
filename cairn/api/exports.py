"""Exports: the complete archive and people as vCards, streamed as files."""

from django.http import StreamingHttpResponse
from ninja import Field, Query, Router, Schema

from cairn.exchange import archive, export

router = Router(tags=["export"])


def _file(chunks, format: str) -> StreamingHttpResponse:
    _, _, content_type = export.FORMATS[format]
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename(format)}"'
    return response


@router.get(
    "/export/archive",
    summary="Everything, as the complete archive",
    response={200: None},
    openapi_extra={"responses": {200: {"description": "The archive (JSON), streamed."}}},
)
def export_archive(request):
    """Every row the account owns, as the JSON archive that `cairn import --format archive`
    and Settings → Your data restore into an empty account (see docs/archive.md)."""
    return _file(archive.write_archive(request.user), "archive")


class VcardQuery(Schema):
    version: str = Field("3.0", pattern=r"^(3\.0|4\.0)$")
    circle: str = Field("", max_length=80, description="Only the people in this circle.")
    q: str = Field("", max_length=200, description="Only the people matching these words.")


@router.get(
    "/export/people.vcf",
    summary="People as vCards",
    response={200: None},
    openapi_extra={"responses": {200: {"description": "A .vcf file, streamed."}}},
)
def export_vcards(request, filters: Query[VcardQuery]):
    """Everyone not in the bin (or one circle, or who matches `q`), vCard 3.0 or 4.0."""
    choice = export.PeopleChoice(circle=filters.circle.strip(), query=filters.q.strip())
    export.people_to_export(request.user, choice)  # an unknown circle is a 400 here
    return _file(export.vcards(request.user, choice, version=filters.version), "vcard")
