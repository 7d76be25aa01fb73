"""De handreikingen in het Nederlands (taalniveau B1). Alleen echte, openbare landelijke
nummers; de lokale partners komen uit de routeringstabel."""

# ruff: noqa: E501

ALARM = ("112", "112", "", "Bij direct gevaar voor iemand, of als iemand nu hulp nodig heeft.")
POLITIE = ("Politie, geen spoed", "0900-8844", "https://www.politie.nl",
           "Als het geen spoed heeft, of als je iets wilt bespreken met de wijkagent.")
GEMEENTE = ("De gemeente", "", "",
            "Bel het algemene nummer 14 met het netnummer van je gemeente (bijvoorbeeld 14 050).")

GUIDES = {
    "undermining": {
        "title": "Wat doe je als je tekenen van ondermijning ziet?",
        "intro": "Ondermijning is criminaliteit die een buurt van binnenuit aantast: drugshandel, jongeren die worden geronseld, geldezels, bedrijven die een dekmantel zijn. Jij ziet soms de eerste tekenen. Jouw taak is signaleren, niet onderzoeken.",
        "signs": [
            "Jongeren hebben opeens veel geld, dure kleren of een nieuwe telefoon, en je weet niet waarvan.",
            "Jongeren vertellen dat iemand hun bankpas wil 'lenen', of dat ze geld kunnen verdienen met hun rekening.",
            "Veel korte bezoekjes bij een woning of een auto, ook 's avonds en 's nachts.",
            "Een winkel of zaak met bijna nooit klanten, die toch open blijft.",
            "Jongeren spijbelen en trekken op met oudere jongens die ze eerst niet kenden.",
            "Dichtgeplakte ramen, een sterke wietlucht of een vreemd zoemend geluid.",
        ],
        "do": [
            "Schrijf op wat je zag, in welke buurt en in welke week. Niet wie.",
            "Leg het vast als signaal, zonder namen, adressen of kentekens.",
            "Bel 112 als er direct gevaar is.",
            "Wil je iets over personen kwijt? Bel de politie (0900-8844) of meld het anoniem bij Meld Misdaad Anoniem (0800-7000).",
            "Bespreek het met je leidinggevende of met het veiligheidsteam van de gemeente.",
            "Blijf in contact met de jongeren. Een goede band met een volwassene beschermt.",
        ],
        "dont": [
            "Ga niet zelf onderzoeken, volgen of foto's maken.",
            "Spreek niemand aan op vermoedens van criminaliteit.",
            "Beloof geen geheimhouding die je niet kunt waarmaken.",
            "Zet geen namen, adressen of kentekens in een signaal.",
        ],
        "contacts": [
            ALARM,
            POLITIE,
            ("Meld Misdaad Anoniem", "0800-7000", "https://www.meldmisdaadanoniem.nl",
             "Als je iets weet over een misdrijf en anoniem wilt blijven."),
            GEMEENTE,
        ],
    },
    "poverty_debts": {
        "title": "Wat doe je als je ziet dat iemand geldzorgen heeft?",
        "intro": "Schulden groeien snel als niemand helpt. Hoe eerder iemand hulp krijgt, hoe kleiner het probleem blijft. Schuldhulp van de gemeente is gratis.",
        "signs": [
            "Brieven en aanmaningen blijven ongeopend liggen.",
            "Kinderen komen zonder ontbijt naar school, hebben geen gymkleren of gaan niet mee op schoolreis.",
            "Gas, stroom of water is afgesloten, of dat dreigt.",
            "Mensen zeggen afspraken af, schamen zich of vermijden contact.",
            "Veel stress, slecht slapen, ruzie over geld.",
        ],
        "do": [
            "Vraag rustig hoe het gaat en of geld zorgen geeft.",
            "Verwijs naar de schuldhulp van de gemeente. Die is gratis.",
            "Noem Geldfit (0800-8115, geldfit.nl): gratis en anoniem advies.",
            "Help bij de eerste stap, bijvoorbeeld samen bellen.",
            "Zie je dit vaker in een buurt? Leg het vast als signaal.",
        ],
        "dont": [
            "Leen zelf geen geld uit en neem geen bankzaken over.",
            "Oordeel niet. Geldzorgen kunnen iedereen overkomen.",
            "Beloof niet dat de schulden verdwijnen.",
            "Zet geen namen of bedragen van personen in een signaal.",
        ],
        "contacts": [
            ("Schuldhulp van de gemeente", "", "",
             "Bel het algemene nummer 14 met het netnummer van je gemeente en vraag naar schuldhulp."),
            ("Geldfit", "0800-8115", "https://www.geldfit.nl",
             "Gratis en anoniem advies bij geldzorgen, ook als je je zorgen maakt over een ander."),
            ("Het Juridisch Loket", "0900-8020", "https://www.juridischloket.nl",
             "Bij vragen over rechten, bijvoorbeeld bij een deurwaarder of huurschuld."),
        ],
    },
    "psychological": {
        "title": "Wat doe je als je ziet dat het psychisch niet goed gaat met iemand?",
        "intro": "Iemand kan psychisch vastlopen door stress, verlies, schulden of een ziekte. Je hoeft geen hulpverlener te zijn om te helpen. Een gesprek en de weg naar hulp maken al verschil.",
        "signs": [
            "Iemand trekt zich terug en verzorgt zichzelf of het huis slecht.",
            "Verward gedrag: onsamenhangend praten, erg angstig of achterdochtig zijn.",
            "Iemand praat over de dood of zegt dat het leven geen zin meer heeft.",
            "Veel alcohol of drugs gebruiken.",
            "Overlast door verward gedrag in de buurt.",
        ],
        "do": [
            "Bel 112 bij direct gevaar.",
            "Denk je dat iemand aan zelfmoord denkt? Vraag er rustig naar. Ernaar vragen maakt het niet erger.",
            "Verwijs naar 113 Zelfmoordpreventie: bel 113 of gratis 0800-0113, dag en nacht.",
            "Geen direct gevaar? Raad aan naar de huisarts te gaan.",
            "Verward gedrag zonder spoed: bel de politie op 0900-8844.",
            "Leg het vast als signaal als je dit vaker ziet in een buurt.",
        ],
        "dont": [
            "Laat iemand die in acuut gevaar is niet alleen.",
            "Stel geen diagnose.",
            "Beloof geen geheimhouding als iemand in gevaar is.",
            "Zet geen namen of gezondheidsgegevens in een signaal.",
        ],
        "contacts": [
            ALARM,
            ("113 Zelfmoordpreventie", "0800-0113", "https://www.113.nl",
             "Dag en nacht, gratis en anoniem. Je kunt ook 113 bellen of chatten op 113.nl."),
            ("De huisarts", "", "", "Als er geen direct gevaar is: de huisarts is de eerste stap naar hulp."),
            ("De Luisterlijn", "088-0767000", "https://www.deluisterlijn.nl",
             "Dag en nacht een luisterend oor."),
            POLITIE,
        ],
    },
    "loneliness": {
        "title": "Wat doe je als je ziet dat iemand eenzaam is?",
        "intro": "Eenzaamheid zie je niet altijd. Het komt voor bij jong en oud. Een kleine stap, zoals een praatje, kan veel betekenen.",
        "signs": [
            "Je ziet iemand bijna nooit meer buiten of bij activiteiten.",
            "Iemand vertelt dat hij of zij niemand heeft om mee te praten.",
            "Na het overlijden van een partner of na verlies van werk trekt iemand zich terug.",
            "Post blijft liggen of de gordijnen blijven dicht.",
        ],
        "do": [
            "Maak een praatje en vraag hoe het gaat.",
            "Wijs op activiteiten in de buurt, zoals het buurthuis of de bibliotheek.",
            "Verwijs naar het sociaal team van de gemeente.",
            "Noem De Luisterlijn (088-0767000) voor een gesprek, dag en nacht.",
            "Blijft de post liggen en maak je je zorgen of iemand in nood is? Bel 112.",
        ],
        "dont": [
            "Neem niet alles over. Kleine stappen werken beter.",
            "Dwing niemand om mee te doen.",
            "Zet geen namen of adressen in een signaal.",
        ],
        "contacts": [
            ("Sociaal team", "", "",
             "Bel het algemene nummer 14 met het netnummer van je gemeente en vraag naar het sociaal team."),
            ("De Luisterlijn", "088-0767000", "https://www.deluisterlijn.nl",
             "Dag en nacht een luisterend oor."),
            ("Eén tegen eenzaamheid", "", "https://www.eentegeneenzaamheid.nl",
             "Ideeën en activiteiten tegen eenzaamheid."),
            ALARM,
        ],
    },
    "housing": {
        "title": "Wat doe je als je ziet dat woningen slecht zijn?",
        "intro": "Een slechte woning maakt mensen ziek en geeft stress. Bewoners durven soms niet te klagen. Jij kunt ze de weg wijzen.",
        "signs": [
            "Schimmel, vocht, tocht of een kapotte verwarming.",
            "Veel mensen in een kleine woning.",
            "Achterstallig onderhoud: kapotte verlichting, liften of deuren in portieken.",
            "Vluchtwegen staan vol of brandveiligheid lijkt niet in orde.",
            "Huurders zijn bang om te klagen bij de verhuurder.",
        ],
        "do": [
            "Raad bewoners aan om gebreken schriftelijk te melden bij de verhuurder.",
            "Bij een woningcorporatie: die is partner en krijgt dit signaal.",
            "Bij particuliere verhuur: wijs op de Huurcommissie of Het Juridisch Loket (0900-8020).",
            "Ruik je gas of is er direct brandgevaar? Bel 112. Bij een gasstoring: 0800-9009.",
            "Zie je het in meer woningen in een buurt? Leg het vast als signaal.",
        ],
        "dont": [
            "Zet geen adressen of huisnummers in een signaal. Noem de buurt.",
            "Ga niet zonder toestemming een woning binnen.",
            "Beloof niets namens de verhuurder.",
        ],
        "contacts": [
            ALARM,
            ("Storingsnummer gas en stroom", "0800-9009", "",
             "Bij een gaslucht of een storing in gas of stroom."),
            ("Huurcommissie", "", "https://www.huurcommissie.nl",
             "Bij een geschil over onderhoud of huur met de verhuurder."),
            ("Het Juridisch Loket", "0900-8020", "https://www.juridischloket.nl",
             "Bij vragen over de rechten van huurders."),
        ],
    },
    "youth_at_risk": {
        "title": "Wat doe je als je ziet dat een jongere in de problemen komt?",
        "intro": "Jongeren laten vaak eerst kleine veranderingen zien. Jij kent ze en ziet het misschien als eerste. Blijf in contact en schakel op tijd hulp in.",
        "signs": [
            "Spijbelen of vaak ziek gemeld zijn.",
            "Ander gedrag, nieuwe (oudere) vrienden, geld of spullen zonder uitleg.",
            "Laat op straat zijn of niet thuis slapen.",
            "Honger, blauwe plekken of angst om naar huis te gaan.",
            "Praten over messen of wapens.",
        ],
        "do": [
            "Blijf in contact en luister zonder te oordelen.",
            "Volg de meldcode huiselijk geweld en kindermishandeling van je organisatie.",
            "Twijfel je over geweld of mishandeling? Bel Veilig Thuis (0800-2000) voor advies. Dat kan anoniem.",
            "Overleg met de leerplichtambtenaar of het sociaal team.",
            "Jongeren kunnen zelf De Kindertelefoon bellen: 0800-0432.",
            "Bel 112 bij direct gevaar.",
        ],
        "dont": [
            "Ga niet zelf ondervragen of bewijs zoeken.",
            "Beloof geen geheimhouding.",
            "Zet geen namen, klassen of andere dingen in een signaal waaraan je een jongere herkent.",
        ],
        "contacts": [
            ALARM,
            ("Veilig Thuis", "0800-2000", "https://www.veiligthuis.nl",
             "Advies en melden bij huiselijk geweld en kindermishandeling, dag en nacht."),
            ("De Kindertelefoon", "0800-0432", "https://www.kindertelefoon.nl",
             "Voor kinderen en jongeren zelf, gratis en anoniem."),
            POLITIE,
        ],
    },
    "other": {
        "title": "Wat doe je als je iets anders ziet dat je zorgen geeft?",
        "intro": "Niet alles past in een thema. Onveilige plekken, spanningen tussen groepen of een buurt die achteruitgaat zijn ook belangrijke signalen.",
        "signs": [
            "Plekken waar mensen zich onveilig voelen, bijvoorbeeld door slechte verlichting.",
            "Spanningen of ruzies tussen groepen in de buurt.",
            "Veel afval, vernielingen of leegstand.",
        ],
        "do": [
            "Beschrijf wat je ziet en in welke buurt. Niet wie.",
            "Leg het vast als signaal. Het programmabureau kijkt welke partner het oppakt.",
            "Twijfel je? Overleg met je leidinggevende.",
            "Bel 112 bij direct gevaar, en de politie (0900-8844) als het geen spoed heeft.",
        ],
        "dont": [
            "Zet geen namen, adressen, telefoonnummers of kentekens in een signaal.",
            "Ga niet zelf handhaven.",
        ],
        "contacts": [ALARM, POLITIE, GEMEENTE],
    },
}
