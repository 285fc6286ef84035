"""Results of supervision, one module per concern: the acts of prosecutorial response and their
amounts (`acts`), crime statistics and the figures held by month (`crime`), the offices' monthly
submissions (`submissions`), criminal cases under control (`cases`), investment projects
(`business`), social facilities from returned assets (`facilities`), highlights for publication
(`highlights`). Callers import the models from `supervision.models`."""

from .acts import (
    ASSESSED_HEADINGS,
    BENEFICIARY_FIELDS,
    ActAmount,
    BusinessMatter,
    OutgoingCounter,
    SupervisoryAct,
    SupervisoryActEvent,
    SupervisoryActQuerySet,
)
from .business import InvestmentProject, ProjectEvent
from .cases import CaseEvent, CriminalCase, DropperArticle, InvestigatingBody, Stage
from .crime import (
    CRIME_CATEGORIES,
    ArticleGravity,
    CrimeFields,
    CrimeImport,
    CrimeImportEvent,
    CrimeImportProblem,
    CrimeRecord,
    CrimeStaged,
    CrimeTableImport,
    Gravity,
    MonthlyFigure,
)
from .facilities import FacilityEvent, FacilityPhoto, SocialFacility
from .highlights import Highlight, HighlightEvent
from .submissions import LockedMonth, Submission, SubmissionEvent, SubmissionValue

__all__ = [
    "ASSESSED_HEADINGS",
    "BENEFICIARY_FIELDS",
    "CRIME_CATEGORIES",
    "ActAmount",
    "BusinessMatter",
    "CaseEvent",
    "CriminalCase",
    "DropperArticle",
    "FacilityEvent",
    "FacilityPhoto",
    "Highlight",
    "HighlightEvent",
    "InvestigatingBody",
    "InvestmentProject",
    "ProjectEvent",
    "SocialFacility",
    "Stage",
    "ArticleGravity",
    "CrimeFields",
    "CrimeImport",
    "CrimeImportEvent",
    "CrimeImportProblem",
    "CrimeRecord",
    "CrimeStaged",
    "CrimeTableImport",
    "Gravity",
    "LockedMonth",
    "MonthlyFigure",
    "OutgoingCounter",
    "Submission",
    "SubmissionEvent",
    "SubmissionValue",
    "SupervisoryAct",
    "SupervisoryActEvent",
    "SupervisoryActQuerySet",
]
