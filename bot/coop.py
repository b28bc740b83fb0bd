"""The Coop de la médiation numérique's vocabulary, in one place: its thematiques in their
two families, and every value of its activity report (compte rendu d'activité, CRA).

Values are the Coop's stored values, labels its French labels, both read from its
public code (github.com/inclusion-numerique/coop-mediation-numerique, commit 46aa33b
of 30 June 2026): the enums of apps/web/prisma/schema.prisma, the labels of
apps/web/src/features/activites/use-cases/cra/ (fields/*.ts, individuel/fields/*.ts,
collectif/fields/niveau-atelier.ts) and of features/beneficiaire/domain/*.ts. The desk's
export follows the Coop's own (bot/desk/reports.py). bot/classification.py maps intents
onto these thematiques; routing, triage and the desk import them from here.
"""

from __future__ import annotations

from bot.enums import StrEnum

SOURCE = "github.com/inclusion-numerique/coop-mediation-numerique@46aa33b (2026-06-30)"


class Thematique(StrEnum):
    # Non-administrative help (thematiquesNonAdministrativesLabels).
    DIAGNOSTIC_NUMERIQUE = "diagnostic_numerique"
    PRENDRE_EN_MAIN_DU_MATERIEL = "prendre_en_main_du_materiel"
    MAINTENANCE_DE_MATERIEL = "maintenance_de_materiel"
    GERE_SES_CONTENUS_NUMERIQUES = "gere_ses_contenus_numeriques"
    NAVIGATION_SUR_INTERNET = "navigation_sur_internet"
    EMAIL = "email"
    BUREAUTIQUE = "bureautique"
    RESEAUX_SOCIAUX = "reseaux_sociaux"
    SANTE = "sante"
    BANQUE_ET_ACHATS_EN_LIGNE = "banque_et_achats_en_ligne"
    ENTREPRENEURIAT = "entrepreneuriat"
    INSERTION_PROFESSIONNELLE = "insertion_professionnelle"
    SECURITE_NUMERIQUE = "securite_numerique"
    PARENTALITE = "parentalite"
    SCOLARITE_ET_NUMERIQUE = "scolarite_et_numerique"
    CREER_AVEC_LE_NUMERIQUE = "creer_avec_le_numerique"
    CULTURE_NUMERIQUE = "culture_numerique"
    INTELLIGENCE_ARTIFICIELLE = "intelligence_artificielle"
    AIDE_AUX_DEMARCHES_ADMINISTRATIVES = "aide_aux_demarches_administratives"
    # Administrative procedures, démarches (thematiquesAdministrativesLabels).
    PAPIERS_ELECTIONS_CITOYENNETE = "papiers_elections_citoyennete"
    FAMILLE_SCOLARITE = "famille_scolarite"
    SOCIAL_SANTE = "social_sante"
    TRAVAIL_FORMATION = "travail_formation"
    LOGEMENT = "logement"
    TRANSPORTS_MOBILITE = "transports_mobilite"
    ARGENT_IMPOTS = "argent_impots"
    JUSTICE = "justice"
    ETRANGERS_EUROPE = "etrangers_europe"
    LOISIRS_SPORTS_CULTURE = "loisirs_sports_culture"
    ASSOCIATIONS = "associations"


T = Thematique
THEMATIQUES_NON_ADMINISTRATIVES: dict[Thematique, str] = {
    T.DIAGNOSTIC_NUMERIQUE: "Diagnostic numérique",
    T.PRENDRE_EN_MAIN_DU_MATERIEL: "Prendre en main du matériel",
    T.MAINTENANCE_DE_MATERIEL: "Maintenance de matériel",
    T.GERE_SES_CONTENUS_NUMERIQUES: "Gérer ses contenus numériques",
    T.NAVIGATION_SUR_INTERNET: "Navigation sur internet",
    T.EMAIL: "E-mail",
    T.BUREAUTIQUE: "Bureautique",
    T.RESEAUX_SOCIAUX: "Réseaux sociaux communication",
    T.SANTE: "Santé",
    T.BANQUE_ET_ACHATS_EN_LIGNE: "Banque et achats en ligne",
    T.ENTREPRENEURIAT: "Accompagner un professionnel",
    T.INSERTION_PROFESSIONNELLE: "Insertion professionnelle",
    T.SECURITE_NUMERIQUE: "Prévention en sécurité numérique",
    T.PARENTALITE: "Parentalité",
    T.SCOLARITE_ET_NUMERIQUE: "Scolarité et numérique",
    T.CREER_AVEC_LE_NUMERIQUE: "Créer avec le numérique",
    T.CULTURE_NUMERIQUE: "Culture numérique",
    T.INTELLIGENCE_ARTIFICIELLE: "Intelligence artificielle (IA)",
    T.AIDE_AUX_DEMARCHES_ADMINISTRATIVES: "Aide aux démarches administratives",
}
THEMATIQUES_ADMINISTRATIVES: dict[Thematique, str] = {
    T.PAPIERS_ELECTIONS_CITOYENNETE: "Papiers - Élections - Citoyenneté",
    T.FAMILLE_SCOLARITE: "Famille - Scolarité",
    T.SOCIAL_SANTE: "Social - Santé",
    T.TRAVAIL_FORMATION: "Travail - Formation - Entreprise",
    T.LOGEMENT: "Logement",
    T.TRANSPORTS_MOBILITE: "Transports - Mobilité",
    T.ARGENT_IMPOTS: "Argent - Impôts",
    T.JUSTICE: "Justice",
    T.ETRANGERS_EUROPE: "Étrangers - Europe",
    T.LOISIRS_SPORTS_CULTURE: "Loisirs - Sports - Culture",
    T.ASSOCIATIONS: "Associations",
}
# Every thematique: value -> French label shown to conseillers, in the Coop's order.
THEMATIQUES: dict[Thematique, str] = {**THEMATIQUES_NON_ADMINISTRATIVES, **THEMATIQUES_ADMINISTRATIVES}
# Démarches count as administrative (routing: data/routes/*.yml `administrative: true`).
ADMINISTRATIVE_THEMATIQUES = frozenset(THEMATIQUES_ADMINISTRATIVES)


class TypeActivite(StrEnum):
    INDIVIDUEL = "individuel"
    COLLECTIF = "collectif"


TYPE_ACTIVITE_LABELS = {
    TypeActivite.INDIVIDUEL: "Accompagnement individuel",
    TypeActivite.COLLECTIF: "Atelier collectif",
}


class TypeLieu(StrEnum):
    """Where the help took place: the export's "Canaux d'accompagnement"."""

    LIEU_ACTIVITE = "lieu_activite"
    DOMICILE = "domicile"
    A_DISTANCE = "a_distance"
    AUTRE = "autre"


TYPE_LIEU_LABELS = {
    TypeLieu.LIEU_ACTIVITE: "Lieu d’activité",
    TypeLieu.AUTRE: "Autre lieu",
    TypeLieu.DOMICILE: "À domicile",
    TypeLieu.A_DISTANCE: "À distance",
}


class Materiel(StrEnum):
    ORDINATEUR = "ordinateur"
    TELEPHONE = "telephone"
    TABLETTE = "tablette"
    AUTRE = "autre"
    AUCUN = "aucun"


MATERIEL_LABELS = {
    Materiel.ORDINATEUR: "Ordinateur",
    Materiel.TELEPHONE: "Téléphone",
    Materiel.TABLETTE: "Tablette",
    Materiel.AUTRE: "Autre",
    Materiel.AUCUN: "Pas de matériel",
}


class Autonomie(StrEnum):
    ENTIEREMENT_ACCOMPAGNE = "entierement_accompagne"
    PARTIELLEMENT_AUTONOME = "partiellement_autonome"
    AUTONOME = "autonome"


AUTONOMIE_LABELS = {
    Autonomie.ENTIEREMENT_ACCOMPAGNE: "Avec guidage",
    Autonomie.PARTIELLEMENT_AUTONOME: "Autonome avec guidage en cas de besoin",
    Autonomie.AUTONOME: "Autonome",
}
AUTONOMIE_STARS = {Autonomie.ENTIEREMENT_ACCOMPAGNE: 1, Autonomie.PARTIELLEMENT_AUTONOME: 2, Autonomie.AUTONOME: 3}


class NiveauAtelier(StrEnum):
    DEBUTANT = "debutant"
    INTERMEDIAIRE = "intermediaire"
    AVANCE = "avance"


NIVEAU_ATELIER_LABELS = {
    NiveauAtelier.DEBUTANT: "Débutant",
    NiveauAtelier.INTERMEDIAIRE: "Intermédiaire",
    NiveauAtelier.AVANCE: "Avancé",
}
NIVEAU_ATELIER_STARS = {NiveauAtelier.DEBUTANT: 1, NiveauAtelier.INTERMEDIAIRE: 2, NiveauAtelier.AVANCE: 3}


class StructureDeRedirection(StrEnum):
    ADMINISTRATION = "administration"
    MEDIATION_NUMERIQUE = "mediation_numerique"
    OPERATEUR_OU_ORGANISME_EN_CHARGE = "operateur_ou_organisme_en_charge"
    AIDE_SOCIALE = "aide_sociale"
    INSERTION_PROFESSIONNELLE = "insertion_professionnelle"
    AIDE_AUX_DEMARCHES_ADMINISTRATIVES = "aide_aux_demarches_administratives"
    AUTRE = "autre"


S = StructureDeRedirection
STRUCTURE_DE_REDIRECTION_LABELS = {
    S.ADMINISTRATION: "Administration (mairie, préfecture…)",
    S.MEDIATION_NUMERIQUE: "Autre structure de médiation numérique",
    S.OPERATEUR_OU_ORGANISME_EN_CHARGE: "Opérateur ou organisme en charge de la démarche administrative",
    S.AIDE_SOCIALE: "Structure d’aide sociale (maison des solidarités, centre social…)",
    S.INSERTION_PROFESSIONNELLE: "Structure d’insertion professionnelle (France Travail, mission locale, chambre de commerce…)",
    S.AIDE_AUX_DEMARCHES_ADMINISTRATIVES: "Structure d’aide aux démarches administratives (France Services…)",
    S.AUTRE: "Autre",
}


class Genre(StrEnum):
    MASCULIN = "masculin"
    FEMININ = "feminin"
    NON_COMMUNIQUE = "non_communique"


GENRE_LABELS = {Genre.MASCULIN: "Masculin", Genre.FEMININ: "Féminin", Genre.NON_COMMUNIQUE: "Non communiqué"}


class TrancheAge(StrEnum):
    MOINS_DE_DOUZE = "moins_de_douze"
    DOUZE_DIX_HUIT = "douze_dix_huit"
    DIX_HUIT_VINGT_QUATRE = "dix_huit_vingt_quatre"
    VINGT_CINQ_TRENTE_NEUF = "vingt_cinq_trente_neuf"
    QUARANTE_CINQUANTE_NEUF = "quarante_cinquante_neuf"
    SOIXANTE_SOIXANTE_NEUF = "soixante_soixante_neuf"
    SOIXANTE_DIX_PLUS = "soixante_dix_plus"
    NON_COMMUNIQUE = "non_communique"


TRANCHE_AGE_LABELS = {
    TrancheAge.SOIXANTE_DIX_PLUS: "70 ans et plus",
    TrancheAge.SOIXANTE_SOIXANTE_NEUF: "60 - 69 ans",
    TrancheAge.QUARANTE_CINQUANTE_NEUF: "40 - 59 ans",
    TrancheAge.VINGT_CINQ_TRENTE_NEUF: "25 - 39 ans",
    TrancheAge.DIX_HUIT_VINGT_QUATRE: "18 - 24 ans",
    TrancheAge.DOUZE_DIX_HUIT: "12 - 17 ans",
    TrancheAge.MOINS_DE_DOUZE: "Moins de 12 ans",
    TrancheAge.NON_COMMUNIQUE: "Non communiqué",
}


class StatutSocial(StrEnum):
    SCOLARISE = "scolarise"
    SANS_EMPLOI = "sans_emploi"
    EN_EMPLOI = "en_emploi"
    RETRAITE = "retraite"
    NON_COMMUNIQUE = "non_communique"


STATUT_SOCIAL_LABELS = {
    StatutSocial.RETRAITE: "Retraité",
    StatutSocial.SANS_EMPLOI: "Sans emploi",
    StatutSocial.EN_EMPLOI: "En emploi",
    StatutSocial.SCOLARISE: "Scolarisé",
    StatutSocial.NON_COMMUNIQUE: "Non communiqué ou hétérogène",
}

# The CRA's duration choices, in minutes (dureeAccompagnementParDefautLabels); any other is "Personnaliser".
DUREES_PAR_DEFAUT = (15, 30, 45, 60, 90, 120)

YES_NO_LABELS = {True: "Oui", False: "Non"}


def thematique_label(code: str | None) -> str:
    return THEMATIQUES.get(code or "", code or "—")


def estimate_autonomie(has_email: str | None, has_login: str | None) -> Autonomie:
    """A first guess of the CRA's `autonomie` from the triage's two autonomy clues ("oui" / "non")."""
    answers = [a for a in (has_email, has_login) if a in ("oui", "non")]
    if not answers:
        return Autonomie.PARTIELLEMENT_AUTONOME
    yes = answers.count("oui")
    if yes == 0:
        return Autonomie.ENTIEREMENT_ACCOMPAGNE
    if yes == len(answers) == 2:
        return Autonomie.AUTONOME
    return Autonomie.PARTIELLEMENT_AUTONOME


# Who sent the person (a prescripteur booking from the desk: tickets.prescriber_structure) has no
# field in the CRA nor in its export: `orientation` / "Structure de redirection" is where the
# conseiller sends the person next. The prescription stays on the ticket.

# The columns of the Coop's activity export, in its order (list/export/buildAccompagnementsWorksheet.ts,
# an export of several médiateurs, without the v1 source column).
EXPORT_COLUMNS = (
    "Date",
    "Enregistré le",
    "Dernière modification le",
    "Prénom du médiateur",
    "Nom du médiateur",
    "Rôle",
    "ID - Conum",
    "Type",
    "Participants",
    "Canaux d’accompagnement",
    "Nom du lieu",
    "Adresse",
    "Commune",
    "Code postal",
    "Code Insee",
    "Durée (min)",
    "Nom de l’atelier",
    "Matériel numérique utilisé",
    "Thématique(s) d’accompagnement",
    "Tags",
    "Nom de la démarche administrative",
    "Niveau d’autonomie (ou de l’atelier)",
    "Bénéficiaire réorienté",
    "Structure de redirection",
    "Commune du bénéficiaire",
    "Code postal du bénéficiaire",
    "Code Insee du bénéficiaire",
    "Genre du bénéficiaire",
    "Tranche d’âge du bénéficiaire",
    "Statut du bénéficiaire",
    "ID CRA",
)
# Values of several choices in one cell are on separate lines, as in the Coop's export.
CELL_LINE_BREAK = "\n"
ROLE_CONSEILLER_NUMERIQUE = "Conseiller Numérique"
