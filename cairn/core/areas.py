"""What each area of Cairn is for, shown until the area has its own pages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    slug: str
    title: str
    purpose: str
    will_do: tuple[str, ...]


AREAS = {
    area.slug: area
    for area in [
        Area(
            "conversations",
            "Conversations",
            "Informational interviews and outreach, from the first ask to the thank-you.",
            (
                "Find people doing the work you are curious about",
                "Request templates you personalise, and questions sent ahead",
                "Structured notes: advice, leads and the names you were given",
                "Thank-you follow-ups that do not slip",
            ),
        ),
        Area(
            "pursuits",
            "Pursuits",
            "Your job search as a pipeline you can see.",
            (
                "Target organisations and openings",
                "Applications moving through stages, as a board or a table",
                "Interviews with the people you met, offers and documents",
                "Funnel numbers that show where the search stalls",
            ),
        ),
        Area(
            "market",
            "Market",
            "Watch the job market while you are happily employed.",
            (
                "Follow job feeds and public job boards",
                "See who hires, how often they re-post, and how requirements drift",
                "Saved watches that put matching postings on Today",
            ),
        ),
        Area(
            "discovery",
            "Discovery",
            "For when you are not sure what you want next.",
            (
                "An interest inventory and a work-values sort",
                "Stories of work you enjoyed, and the skills in them",
                "An occupation explorer that explains each match",
                "A shortlist of ideas, each with people to ask and postings to watch",
            ),
        ),
        Area(
            "transitions",
            "Transitions",
            "Structure for the big forks: the move, the offer, the leap.",
            (
                "Options weighed against the criteria that matter to you",
                "What would flip the decision, and the point of no return",
                "Who you consulted, and a look back once it is done",
            ),
        ),
    ]
}
