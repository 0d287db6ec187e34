"""Install the federation's reference services and their tier requirements.

Part of `migrate`, so every installation (production, demo, tests) has the catalogue
without seeding. Forward is idempotent (update_or_create by code; a requirement is added
only when its service and tier have none yet, so HQ's later dated changes are kept).
The data is frozen here on purpose: later changes go through the API or a new migration.
"""

import datetime

from django.db import migrations

LANGUAGES = ("en", "fr", "nl", "de", "it", "es", "sv")

# code: (category, {language: (name, short description)})
SERVICES = {
    "invoicing": ("employment", {
        "en": ("Invoicing", "Issue invoices to your clients under the cooperative's name and follow up payments."),
        "fr": ("Facturation", "Émettre des factures à vos clients au nom de la coopérative et suivre les paiements."),
        "nl": ("Facturatie", "Facturen aan uw klanten uitschrijven op naam van de coöperatie en de betalingen opvolgen."),
        "de": ("Rechnungsstellung", "Rechnungen an Ihre Kunden im Namen der Genossenschaft stellen und Zahlungen nachverfolgen."),
        "it": ("Fatturazione", "Emettere fatture ai vostri clienti a nome della cooperativa e seguire i pagamenti."),
        "es": ("Facturación", "Emitir facturas a sus clientes en nombre de la cooperativa y hacer el seguimiento de los pagos."),
        "sv": ("Fakturering", "Fakturera dina kunder i kooperativets namn och följa upp betalningarna."),
    }),
    "salary_conversion": ("employment", {
        "en": ("Turnover into salary", "Turn the turnover you collect into salaried employment, with social protection."),
        "fr": ("Conversion du chiffre d'affaires en salaire", "Transformer le chiffre d'affaires encaissé en emploi salarié, avec la protection sociale."),
        "nl": ("Omzetting van omzet in loon", "De geïnde omzet omzetten in loondienst, met sociale bescherming."),
        "de": ("Umwandlung von Umsatz in Lohn", "Den eingenommenen Umsatz in eine sozialversicherte Anstellung umwandeln."),
        "it": ("Conversione del fatturato in salario", "Trasformare il fatturato incassato in lavoro dipendente, con la protezione sociale."),
        "es": ("Conversión de la facturación en salario", "Convertir la facturación cobrada en empleo asalariado, con protección social."),
        "sv": ("Omvandling av omsättning till lön", "Omvandla den omsättning du får in till en anställning med social trygghet."),
    }),
    "guarantee_fund": ("security", {
        "en": ("Mutual guarantee fund", "Your salary is paid even when a client pays late or not at all."),
        "fr": ("Fonds de garantie mutuel", "Votre salaire est versé même quand un client paie en retard ou ne paie pas."),
        "nl": ("Onderling waarborgfonds", "Uw loon wordt betaald, ook als een klant te laat of helemaal niet betaalt."),
        "de": ("Gegenseitiger Garantiefonds", "Ihr Lohn wird gezahlt, auch wenn ein Kunde verspätet oder gar nicht zahlt."),
        "it": ("Fondo di garanzia mutualistico", "Il vostro salario viene pagato anche quando un cliente paga in ritardo o non paga."),
        "es": ("Fondo de garantía mutuo", "Su salario se paga aunque un cliente pague tarde o no pague."),
        "sv": ("Ömsesidig garantifond", "Din lön betalas ut även när en kund betalar sent eller inte alls."),
    }),
    "advances": ("security", {
        "en": ("Cash advances", "An advance on expected turnover to start a project or bridge a gap."),
        "fr": ("Avances de trésorerie", "Une avance sur le chiffre d'affaires attendu pour lancer un projet ou passer un creux."),
        "nl": ("Voorschotten", "Een voorschot op de verwachte omzet om een project te starten of een moeilijke periode te overbruggen."),
        "de": ("Vorschüsse", "Ein Vorschuss auf den erwarteten Umsatz, um ein Projekt zu starten oder eine Lücke zu überbrücken."),
        "it": ("Anticipi di cassa", "Un anticipo sul fatturato previsto per avviare un progetto o superare un periodo difficile."),
        "es": ("Anticipos de tesorería", "Un anticipo sobre la facturación prevista para iniciar un proyecto o cubrir un bache."),
        "sv": ("Förskott", "Ett förskott på väntad omsättning för att starta ett projekt eller klara ett glapp."),
    }),
    "insurance": ("security", {
        "en": ("Insurance", "Professional liability and accident insurance for your work."),
        "fr": ("Assurances", "Assurance responsabilité civile professionnelle et accidents pour votre activité."),
        "nl": ("Verzekeringen", "Beroepsaansprakelijkheids- en ongevallenverzekering voor uw werk."),
        "de": ("Versicherungen", "Berufshaftpflicht- und Unfallversicherung für Ihre Arbeit."),
        "it": ("Assicurazioni", "Assicurazione di responsabilità civile professionale e contro gli infortuni per il vostro lavoro."),
        "es": ("Seguros", "Seguro de responsabilidad civil profesional y de accidentes para su trabajo."),
        "sv": ("Försäkringar", "Ansvarsförsäkring och olycksfallsförsäkring för ditt arbete."),
    }),
    "training": ("training", {
        "en": ("Training", "Workshops and courses to manage your activity and develop your skills."),
        "fr": ("Formation", "Ateliers et formations pour gérer votre activité et développer vos compétences."),
        "nl": ("Opleiding", "Workshops en opleidingen om uw activiteit te beheren en uw vaardigheden te ontwikkelen."),
        "de": ("Weiterbildung", "Workshops und Kurse, um Ihre Tätigkeit zu führen und Ihre Kompetenzen zu entwickeln."),
        "it": ("Formazione", "Laboratori e corsi per gestire la vostra attività e sviluppare le vostre competenze."),
        "es": ("Formación", "Talleres y cursos para gestionar su actividad y desarrollar sus competencias."),
        "sv": ("Utbildning", "Workshoppar och kurser för att driva din verksamhet och utveckla din kompetens."),
    }),
    "coworking": ("workspace", {
        "en": ("Coworking", "Desks and meeting rooms in the cooperative's shared workspaces."),
        "fr": ("Coworking", "Bureaux et salles de réunion dans les espaces de travail partagés de la coopérative."),
        "nl": ("Coworking", "Werkplekken en vergaderzalen in de gedeelde werkruimtes van de coöperatie."),
        "de": ("Coworking", "Arbeitsplätze und Besprechungsräume in den gemeinsamen Räumen der Genossenschaft."),
        "it": ("Coworking", "Postazioni e sale riunioni negli spazi di lavoro condivisi della cooperativa."),
        "es": ("Coworking", "Puestos de trabajo y salas de reuniones en los espacios compartidos de la cooperativa."),
        "sv": ("Coworking", "Arbetsplatser och mötesrum i kooperativets gemensamma lokaler."),
    }),
    "legal_help": ("advice", {
        "en": ("Legal help", "Advice on contracts, copyright and disputes with clients."),
        "fr": ("Aide juridique", "Conseils sur les contrats, le droit d'auteur et les litiges avec les clients."),
        "nl": ("Juridische hulp", "Advies over contracten, auteursrecht en geschillen met klanten."),
        "de": ("Rechtsberatung", "Beratung zu Verträgen, Urheberrecht und Streitigkeiten mit Kunden."),
        "it": ("Assistenza legale", "Consulenza su contratti, diritto d'autore e controversie con i clienti."),
        "es": ("Asesoría jurídica", "Asesoramiento sobre contratos, derechos de autor y conflictos con clientes."),
        "sv": ("Juridisk hjälp", "Rådgivning om avtal, upphovsrätt och tvister med kunder."),
    }),
    "mobility_helpdesk": ("advice", {
        "en": ("International mobility helpdesk", "Help for members working across borders: postings, social security, taxes."),
        "fr": ("Service d'aide à la mobilité internationale", "Aide aux membres qui travaillent au-delà des frontières : détachement, sécurité sociale, impôts."),
        "nl": ("Helpdesk internationale mobiliteit", "Hulp voor leden die over de grenzen heen werken: detachering, sociale zekerheid, belastingen."),
        "de": ("Helpdesk für internationale Mobilität", "Hilfe für Mitglieder, die grenzüberschreitend arbeiten: Entsendung, Sozialversicherung, Steuern."),
        "it": ("Sportello per la mobilità internazionale", "Aiuto per i soci che lavorano oltre confine: distacco, previdenza sociale, tasse."),
        "es": ("Servicio de ayuda a la movilidad internacional", "Ayuda a los socios que trabajan en otros países: desplazamientos, seguridad social, impuestos."),
        "sv": ("Rådgivning om internationell rörlighet", "Hjälp för medlemmar som arbetar över gränserna: utstationering, socialförsäkring, skatter."),
    }),
    "grant_help": ("advice", {
        "en": ("Help with public grants", "Find public grants and funding and prepare the application."),
        "fr": ("Aide aux subventions publiques", "Trouver des subventions et financements publics et préparer la demande."),
        "nl": ("Hulp bij overheidssubsidies", "Overheidssubsidies en financiering vinden en de aanvraag voorbereiden."),
        "de": ("Hilfe bei öffentlichen Fördermitteln", "Öffentliche Fördermittel finden und den Antrag vorbereiten."),
        "it": ("Aiuto per i contributi pubblici", "Trovare contributi e finanziamenti pubblici e preparare la domanda."),
        "es": ("Ayuda para subvenciones públicas", "Encontrar subvenciones y financiación pública y preparar la solicitud."),
        "sv": ("Hjälp med offentliga bidrag", "Hitta offentliga bidrag och finansiering och förbereda ansökan."),
    }),
    "delivery_platform": ("platform", {
        "en": ("Delivery riders' platform", "A cooperative platform through which riders deliver as salaried members."),
        "fr": ("Plateforme de coursiers", "Une plateforme coopérative par laquelle les coursiers livrent en tant que membres salariés."),
        "nl": ("Platform voor koeriers", "Een coöperatief platform waarmee koeriers leveren als leden in loondienst."),
        "de": ("Lieferplattform für Kuriere", "Eine genossenschaftliche Plattform, über die Kuriere als angestellte Mitglieder ausliefern."),
        "it": ("Piattaforma per i rider", "Una piattaforma cooperativa attraverso la quale i rider consegnano come soci dipendenti."),
        "es": ("Plataforma de repartidores", "Una plataforma cooperativa a través de la cual los repartidores entregan como socios asalariados."),
        "sv": ("Plattform för budbärare", "En kooperativ plattform där bud levererar som anställda medlemmar."),
    }),
}

# What each tier must (core) or may (optional) offer, from this date on (open-ended).
REQUIREMENTS_FROM = datetime.date(2020, 1, 1)
CORE = {
    "academy": ["invoicing"],
    "open_smart": ["invoicing", "salary_conversion"],
    "social_franchise": ["invoicing", "salary_conversion", "guarantee_fund", "advances"],
    "european_group": [
        "invoicing", "salary_conversion", "guarantee_fund", "advances", "insurance", "training",
    ],
}
OPTIONAL = {
    "academy": ["salary_conversion", "training", "coworking", "legal_help"],
    "open_smart": [
        "guarantee_fund", "advances", "insurance", "training", "coworking", "legal_help",
        "mobility_helpdesk", "grant_help", "delivery_platform",
    ],
    "social_franchise": [
        "insurance", "training", "coworking", "legal_help", "mobility_helpdesk", "grant_help",
        "delivery_platform",
    ],
    "european_group": [
        "coworking", "legal_help", "mobility_helpdesk", "grant_help", "delivery_platform",
    ],
}


def install(apps, schema_editor):
    ReferenceService = apps.get_model("catalog_reference", "ReferenceService")
    TierRequirement = apps.get_model("catalog_reference", "TierRequirement")
    services = {}
    for code, (category, texts) in SERVICES.items():
        values = {"category": category, "name": texts["en"][0], "description": texts["en"][1]}
        for language in LANGUAGES:
            name, description = texts[language]
            values[f"name_{language}"] = name
            values[f"description_{language}"] = description
        services[code], _ = ReferenceService.objects.update_or_create(code=code, defaults=values)
    for levels, level in ((CORE, "core"), (OPTIONAL, "optional")):
        for tier, codes in levels.items():
            for code in codes:
                service = services[code]
                if TierRequirement.objects.filter(service=service, tier=tier).exists():
                    continue
                TierRequirement.objects.create(
                    service=service, tier=tier, level=level, effective_from=REQUIREMENTS_FROM
                )


def uninstall(apps, schema_editor):
    ReferenceService = apps.get_model("catalog_reference", "ReferenceService")
    TierRequirement = apps.get_model("catalog_reference", "TierRequirement")
    TierRequirement.objects.filter(service__code__in=SERVICES).delete()
    ReferenceService.objects.filter(code__in=SERVICES).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog_reference", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
