"""All tables, imported here so that ``SQLModel.metadata`` knows every one of them."""

from catalog.models.analysis_cache import AnalysisFinding, AnalysisRun, AnalysisSubject
from catalog.models.application import Application, ApplicationBase
from catalog.models.business import BusinessProcess, BusinessProcessBase
from catalog.models.change import ChangeRecord
from catalog.models.data import DataSet, DataSetBase
from catalog.models.importrun import ImportRun
from catalog.models.infrastructure import InfrastructureItem, InfrastructureItemBase
from catalog.models.integration import Integration, IntegrationBase, IntegrationDataSet
from catalog.models.lookup import LookupValue
from catalog.models.organisation import Instansi, InstansiBase, Organisation, OrganisationBase
from catalog.models.reference import ReferenceNode, ReferenceSet
from catalog.models.relation import Relation
from catalog.models.review import ReviewDecision
from catalog.models.search import SearchEntry
from catalog.models.security import SecurityControl, SecurityControlBase
from catalog.models.service import Service, ServiceBase
from catalog.models.user import ApiToken, AuditEvent, LoginAttempt, RoleMembership, User

__all__ = [
    "AnalysisFinding",
    "AnalysisRun",
    "AnalysisSubject",
    "ApiToken",
    "Application",
    "ApplicationBase",
    "AuditEvent",
    "BusinessProcess",
    "BusinessProcessBase",
    "ChangeRecord",
    "DataSet",
    "DataSetBase",
    "ImportRun",
    "InfrastructureItem",
    "InfrastructureItemBase",
    "Instansi",
    "InstansiBase",
    "Integration",
    "IntegrationBase",
    "IntegrationDataSet",
    "LoginAttempt",
    "LookupValue",
    "Organisation",
    "OrganisationBase",
    "ReferenceNode",
    "ReferenceSet",
    "Relation",
    "ReviewDecision",
    "RoleMembership",
    "SearchEntry",
    "SecurityControl",
    "SecurityControlBase",
    "Service",
    "ServiceBase",
    "User",
]
